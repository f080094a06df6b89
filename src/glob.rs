//! Glob matching, in one place: the file globs of formatter configs (Prettier
//! `overrides.files`, Biome `include`/`includes`, EditorConfig section names) and tsconfig
//! `include` patterns. Wildcards are matched by globset (as for workspace globs,
//! `project/workspace.rs`); what differs between the tools is done here, before globset sees a
//! pattern. Paths are relative to the project root, `/`-separated.
//!
//! File globs ([`matches_file`]): `*`, `?`, `[abc]`, `[!abc]`, `[a-z]`, `{a,b}` (nested), `**`.
//! - `*`, `?` and classes never match `/`; `**` matches anything, `/` included, wherever it
//!   stands (EditorConfig's `src/**.ts`), and `**/` also matches no directory at all.
//! - Braces are expanded first, as micromatch and EditorConfig do; an unclosed `{` is literal.
//! - A pattern without `/` matches the last path segment (Prettier's `matchBase` for such
//!   patterns, EditorConfig's rule for a section without `/`); one with `/` matches the whole
//!   path. A leading `./` is ignored.
//! - Classes are read as globset (and micromatch) read them: a `]` right after `[` or `[!` is a
//!   member, `[[:alpha:]]` names a POSIX class, an unclosed `[` is literal.
//! - Limits: a pattern globset cannot read even so (a reversed range `[z-a]`) matches nothing.
//!
//! tsconfig patterns ([`tsconfig_covers`]) follow TypeScript: only `*`, `?` and `**/`, a path
//! without wildcards covers itself and everything under it, and wildcards never match a path
//! segment that starts with `.` unless the pattern spells the dot.

use globset::{GlobBuilder, GlobMatcher, GlobSetBuilder};

/// Whether a formatter config's file glob matches `path`.
pub fn matches_file(pattern: &str, path: &str) -> bool {
    let pattern = pattern.strip_prefix("./").unwrap_or(pattern);
    let subject = if pattern.contains('/') {
        path
    } else {
        path.rsplit('/').next().unwrap_or(path)
    };
    let mut set = GlobSetBuilder::new();
    for alternative in expand_braces(pattern) {
        for glob in spread_globstars(pieces(&alternative)) {
            let glob = glob.concat();
            // A glob ending in `/` names directories, never a file.
            if glob.ends_with('/') {
                continue;
            }
            match builder(&glob).build() {
                Ok(glob) => {
                    set.add(glob);
                }
                Err(_) => return false,
            }
        }
    }
    set.build().is_ok_and(|set| set.is_match(subject))
}

/// Whether a tsconfig `include` pattern covers `path`.
pub fn tsconfig_covers(pattern: &str, path: &str) -> bool {
    let pattern = pattern.trim_start_matches("./").trim_end_matches('/');
    if pattern.is_empty() || pattern == "." {
        return true;
    }
    if !pattern.contains(['*', '?']) {
        // A directory includes everything under it; a file only itself.
        return path == pattern || path.starts_with(&format!("{pattern}/"));
    }
    let segments: Option<Vec<Segment>> = pattern.split('/').map(Segment::new).collect();
    let names: Vec<&str> = path.split('/').collect();
    segments.is_some_and(|segments| match_segments(&segments, &names))
}

/// globset as the file globs need it: `*` stays within a segment, `\` is a plain character,
/// `[` without `]` is literal.
fn builder(glob: &str) -> GlobBuilder<'_> {
    let mut b = GlobBuilder::new(glob);
    b.literal_separator(true)
        .backslash_escape(false)
        .allow_unclosed_class(true);
    b
}

/// One segment of a tsconfig pattern.
enum Segment<'p> {
    /// `**`: any number of directories.
    Any,
    /// Anything else, with its text (whether it spells a leading dot matters).
    Glob(&'p str, GlobMatcher),
}

impl<'p> Segment<'p> {
    fn new(text: &'p str) -> Option<Self> {
        if text == "**" {
            return Some(Segment::Any);
        }
        // TypeScript has no classes or braces: those characters are literal.
        let escaped: String = text
            .chars()
            .map(|c| match c {
                '[' | ']' | '{' | '}' => format!("[{c}]"),
                c => c.to_string(),
            })
            .collect();
        let glob = builder(&escaped).build().ok()?;
        Some(Segment::Glob(text, glob.compile_matcher()))
    }
}

/// TypeScript's wildcards never match a path segment that starts with `.` (so `**/*` does not
/// include `.flue/`), unless the pattern spells the dot.
fn match_segments(p: &[Segment], s: &[&str]) -> bool {
    match (p.first(), s.first()) {
        (None, None) => true,
        (Some(Segment::Any), _) => {
            match_segments(&p[1..], s)
                || (!s.is_empty() && !s[0].starts_with('.') && match_segments(p, &s[1..]))
        }
        (Some(Segment::Glob(text, glob)), Some(name)) => {
            let hidden_to_wildcards = name.starts_with('.') && !text.starts_with('.');
            !hidden_to_wildcards && glob.is_match(name) && match_segments(&p[1..], &s[1..])
        }
        _ => false,
    }
}

/// The brace-free patterns `{a,b}` (nested or not) stands for; an unclosed `{` stays literal.
fn expand_braces(pattern: &str) -> Vec<String> {
    let Some(open) = pattern.find('{') else {
        return vec![pattern.to_string()];
    };
    let mut depth = 0;
    let mut close = None;
    let mut splits = Vec::new();
    for (i, c) in pattern[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(open + i);
                    break;
                }
            }
            ',' if depth == 1 => splits.push(open + i),
            _ => {}
        }
    }
    let Some(close) = close else {
        return vec![pattern.to_string()];
    };
    let (head, tail) = (&pattern[..open], &pattern[close + 1..]);
    let mut bounds = vec![open];
    bounds.extend(splits);
    bounds.push(close);
    bounds
        .windows(2)
        .flat_map(|w| expand_braces(&format!("{head}{}{tail}", &pattern[w[0] + 1..w[1]])))
        .collect()
}

/// A brace-free pattern as globset reads it: classes (`[…]`, closed as globset closes them) and
/// `**` whole, braces left by [`expand_braces`] (unclosed, so literal) escaped, every other
/// character alone.
fn pieces(pattern: &str) -> Vec<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let piece = match chars[i] {
            '[' => match class_end(&chars, i) {
                Some(end) => chars[i..=end].iter().collect(),
                None => "[[]".to_string(),
            },
            '*' if chars.get(i + 1) == Some(&'*') => "**".to_string(),
            '{' => "[{]".to_string(),
            '}' => "[}]".to_string(),
            c => c.to_string(),
        };
        i += match piece.as_str() {
            "[[]" | "[{]" | "[}]" => 1,
            _ => piece.chars().count(),
        };
        out.push(piece);
    }
    out
}

/// Index of the `]` closing the class opened at `open`: a `]` right after `[`, `[!` or `[^`
/// belongs to the class. `None` when it is not closed.
fn class_end(chars: &[char], open: usize) -> Option<usize> {
    let mut i = open + 1;
    if matches!(chars.get(i), Some('!' | '^')) {
        i += 1;
    }
    if chars.get(i) == Some(&']') {
        i += 1;
    }
    (i..chars.len()).find(|&j| chars[j] == ']')
}

/// globset reads `**` as "any directories" only as a whole path segment; elsewhere
/// (`src/**.ts`) it would be two `*`. Such a `**` is spelled as the globs it stands for: any
/// text within one segment or across several (`src/*.ts`, `src/*/**/*.ts`); before a `/` it
/// may also be no directory at all (`a**/b` matches `ab`).
fn spread_globstars(pieces: Vec<String>) -> Vec<Vec<String>> {
    let is_slash = |i: usize| pieces.get(i).is_none_or(|p| p == "/");
    let glued = (0..pieces.len())
        .find(|&i| pieces[i] == "**" && !((i == 0 || is_slash(i - 1)) && is_slash(i + 1)));
    let Some(i) = glued else {
        return vec![pieces];
    };
    let head = &pieces[..i];
    let spell = |middle: &[&str], skip: usize| -> Vec<String> {
        let mut p = head.to_vec();
        p.extend(middle.iter().map(|s| s.to_string()));
        p.extend(pieces[i + skip..].iter().cloned());
        p
    };
    let alternatives = if pieces.get(i + 1).is_some_and(|p| p == "/") {
        [spell(&[], 2), spell(&["*", "/", "**", "/"], 2)]
    } else {
        [spell(&["*"], 1), spell(&["*", "/", "**", "/", "*"], 1)]
    };
    alternatives
        .into_iter()
        .flat_map(spread_globstars)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROBE: &str = "src/sandboxes/mirage.ts";

    #[test]
    fn file_globs() {
        for yes in [
            "*",
            "*.ts",
            "*.{ts,tsx}",
            "**/*.ts",
            "**/*.{js,ts}",
            "src/**/*.ts",
            "**",
            "mirage.ts",
            "*.[tj]s",
            "./src/**/*.ts",
            "src/**.ts",
            "src/**",
            "{src,lib}/**/*.ts",
            "{**/x,**/*.ts}",
            "s*/**/m*",
            "src/sand*s/*",
        ] {
            assert!(matches_file(yes, PROBE), "{yes}");
        }
        for no in [
            "*.js",
            "*.{js,jsx}",
            "test/**/*.ts",
            "*.d.ts",
            "*.tsx",
            "lib/*.ts",
            "*.[!t]s",
            "src/*.ts",
            "sandboxes/*.ts",
            "*/mirage.ts",
            "mirage.ts{",
            "[z-a]*",
        ] {
            assert!(!matches_file(no, PROBE), "{no}");
        }
        assert!(matches_file("a{b", "a{b"));
        assert!(matches_file("[abc", "x/[abc"));
        assert!(matches_file("a\\b", "a\\b"));
    }

    #[test]
    fn glued_globstars_cross_directories() {
        assert!(matches_file("src/**.ts", "src/mirage.ts"));
        assert!(matches_file("src/**.ts", "src/a/b/mirage.ts"));
        assert!(!matches_file("src/**.ts", "lib/a/mirage.ts"));
        assert!(matches_file("a**/b", "ax/y/b"));
        assert!(matches_file("a**/b", "a/b"));
        // Before a `/` it may also stand for no directory at all.
        assert!(matches_file("a**/b", "ab"));
        assert!(!matches_file("**/", "src"));
        assert!(matches_file("a/**b", "a/x/yb"));
        assert!(!matches_file("a/**b", "a/x/y"));
    }

    #[test]
    fn tsconfig_globs() {
        assert!(tsconfig_covers("src", PROBE));
        assert!(tsconfig_covers("src/**/*", PROBE));
        assert!(tsconfig_covers("src/**/*.ts", PROBE));
        assert!(tsconfig_covers("**/*.ts", "sandboxes/mirage.ts"));
        assert!(!tsconfig_covers("src", ".flue/sandboxes/mirage.ts"));
        assert!(!tsconfig_covers("src/*.ts", PROBE));
        assert!(tsconfig_covers("./src/", PROBE));
        // TypeScript's wildcards skip dot-directories.
        assert!(!tsconfig_covers("**/*", ".flue/sandboxes/mirage.ts"));
        assert!(!tsconfig_covers("**/*.ts", ".flue/sandboxes/mirage.ts"));
        assert!(tsconfig_covers(".flue", ".flue/sandboxes/mirage.ts"));
        assert!(tsconfig_covers(".flue/**/*", ".flue/sandboxes/mirage.ts"));
        assert!(tsconfig_covers("**/*", "sandboxes/mirage.ts"));
        // No classes or braces in TypeScript: they are literal.
        assert!(tsconfig_covers("[ab]/*.ts", "[ab]/x.ts"));
        assert!(!tsconfig_covers("[ab]/*.ts", "a/x.ts"));
        assert!(tsconfig_covers("{a,b}/*", "{a,b}/x.ts"));
        assert!(tsconfig_covers("s?c/**/*.ts", PROBE));
        assert!(tsconfig_covers("", PROBE));
        assert!(tsconfig_covers(".", PROBE));
    }
}
