//! Reads vite and flue config files as text and finds the build target. Never executes them.
//!
//! Owns a small JavaScript/TypeScript tokenizer (comments, strings, template literals with
//! nested `${…}`, regex literals) and three scanners built on it:
//! [`scan_vite_flue_target`], [`scan_vite_cloudflare_plugin`] and [`scan_flue_config_target`].
//! Knows nothing about files, paths or the precedence between sources (SPEC §4): the caller
//! reads the files, applies the precedence and turns a [`ScanError`] into a report.
//!
//! # Limits
//!
//! This is a tokenizer plus bracket matching, not a parser. What it does not do:
//!
//! - Regex literals are recognised by the usual heuristic (a `/` where an expression may
//!   start). A regex right after `}` or `)` is read as a division; a would-be regex that runs
//!   to the end of its line falls back to a division instead of failing.
//! - Object literals are told from blocks, type literals and destructuring patterns by the
//!   token before `{`. Type literals (`type T = {…}`, `x: {…}` outside an object, `<{…}>`,
//!   `A | {…}`) and `const {…} =` patterns are skipped. A destructuring pattern is also
//!   skipped when its `}` is followed by `=`, `) =>` or `) {`; other patterns (for example
//!   `({ target }, b) =>`) are read as object literals.
//! - Values are only read when they are a string literal or a template literal without
//!   substitutions, optionally followed by `as …`/`satisfies …`. Anything else (`cond ? 'a' :
//!   'b'`, `('node')`, a variable) is [`ScanError::NotLiteral`].
//! - Imports: ES `import` statements only. `require(...)` bindings are not followed; with no
//!   `@flue/…` import a plain `flue(` call still counts, but `cloudflare(` needs its import.
//! - With several `flue(…)` calls, the first one whose first object-literal argument has a
//!   `target` key wins; calls without a `target` are skipped.
//! - Unicode escapes in identifiers (`\u0074arget`) are not decoded; in strings they are.

use std::collections::HashMap;

/// The build target a project is meant for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetName {
    /// A Node.js server.
    Node,
    /// Cloudflare Workers.
    Cloudflare,
}

impl TargetName {
    /// The word used in config files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetName::Node => "node",
            TargetName::Cloudflare => "cloudflare",
        }
    }

    fn from_literal(s: &str) -> Option<Self> {
        match s {
            "node" => Some(TargetName::Node),
            "cloudflare" => Some(TargetName::Cloudflare),
            _ => None,
        }
    }
}

/// Something found in a config file, with where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<T> {
    /// What was found.
    pub value: T,
    /// 1-based line of the value (the string literal, or the callee of the call).
    pub line: usize,
    /// 1-based column, counted in characters (a leading BOM is not counted).
    pub column: usize,
}

/// Why the target could not be read from a config file.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ScanError {
    /// `target` is present but not a string literal (e.g. `process.env.T`, a variable, a
    /// template literal with `${}`).
    #[error("`target` is not a string literal (`{text}`), so the build target cannot be known")]
    NotLiteral {
        /// 1-based line of the value.
        line: usize,
        /// 1-based column of the value, in characters.
        column: usize,
        /// The expression's source text, whitespace collapsed, at most 60 characters.
        text: String,
    },
    /// A string literal that is neither `"node"` nor `"cloudflare"`.
    #[error("unknown target `{value}`, expected `node` or `cloudflare`")]
    UnknownTarget {
        /// 1-based line of the literal.
        line: usize,
        /// 1-based column of the literal, in characters.
        column: usize,
        /// The literal's value, at most 60 characters.
        value: String,
    },
    /// An unterminated string, comment or template: the file cannot be read reliably.
    #[error("cannot read the config: {message}")]
    Unparseable {
        /// 1-based line where the construct starts.
        line: usize,
        /// 1-based column where the construct starts, in characters.
        column: usize,
        /// What is wrong, a lowercase phrase.
        message: String,
    },
}

impl ScanError {
    /// A stable snake_case code for `--json` output.
    pub fn code(&self) -> &'static str {
        match self {
            ScanError::NotLiteral { .. } => "target_not_literal",
            ScanError::UnknownTarget { .. } => "unknown_target",
            ScanError::Unparseable { .. } => "config_unparseable",
        }
    }

    /// 1-based `(line, column)` of the problem.
    pub fn location(&self) -> (usize, usize) {
        match self {
            ScanError::NotLiteral { line, column, .. }
            | ScanError::UnknownTarget { line, column, .. }
            | ScanError::Unparseable { line, column, .. } => (*line, *column),
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            ScanError::UnknownTarget { .. } => {
                "use `node` or `cloudflare`, or pass `--target node` or `--target cloudflare`"
            }
            _ => "pass it explicitly, `--target node` or `--target cloudflare`",
        }
    }
}

/// vite.config.*: the `target` property of the first object literal argument of a call to
/// `flue(...)`, where `flue` is the local name bound by an import from `@flue/vite` or any
/// `@flue/…` package (named `flue`, possibly aliased, default, or `ns.flue`). Without such
/// an import a call named `flue(` still counts. Only a `target` key directly in that object.
pub fn scan_vite_flue_target(src: &str) -> Result<Option<Found<TargetName>>, ScanError> {
    let toks = tokenize(src).map_err(|f| f.into_error(src))?;
    let outline = outline(src, &toks);
    let mut binds = import_bindings(src, &toks, |m| m.starts_with("@flue/"), "flue");
    if binds.is_empty() {
        binds.push(Binding::Local("flue".to_owned()));
    }
    for (_, paren) in calls(src, &toks, &outline, &binds, "flue") {
        let Some(&obj) = outline.first_obj_arg.get(&paren) else {
            continue;
        };
        if let Some(&p) = outline.target_by_obj.get(&obj) {
            return read_target(src, &toks, &outline.targets[p]).map(Some);
        }
    }
    Ok(None)
}

/// vite.config.*: every `flue({ target })` call's target, in source order
/// (the first decides; the others are only compared with it). A later call
/// whose target cannot be read is left out; the first one's error is returned.
pub fn scan_vite_flue_targets(src: &str) -> Result<Vec<Found<TargetName>>, ScanError> {
    let toks = tokenize(src).map_err(|f| f.into_error(src))?;
    let outline = outline(src, &toks);
    let mut binds = import_bindings(src, &toks, |m| m.starts_with("@flue/"), "flue");
    if binds.is_empty() {
        binds.push(Binding::Local("flue".to_owned()));
    }
    let mut out = Vec::new();
    for (_, paren) in calls(src, &toks, &outline, &binds, "flue") {
        let Some(&obj) = outline.first_obj_arg.get(&paren) else {
            continue;
        };
        if let Some(&p) = outline.target_by_obj.get(&obj) {
            match read_target(src, &toks, &outline.targets[p]) {
                Ok(found) => out.push(found),
                Err(e) if out.is_empty() => return Err(e),
                Err(_) => {}
            }
        }
    }
    Ok(out)
}

/// vite.config.*: the first call to the local binding of `cloudflare` imported from
/// `@cloudflare/vite-plugin` (named, possibly aliased, default, or `ns.cloudflare`). Only
/// counts when that import exists. Returns the position of the callee.
pub fn scan_vite_cloudflare_plugin(src: &str) -> Result<Option<Found<()>>, ScanError> {
    let toks = tokenize(src).map_err(|f| f.into_error(src))?;
    let outline = outline(src, &toks);
    let binds = import_bindings(src, &toks, |m| m == "@cloudflare/vite-plugin", "cloudflare");
    if binds.is_empty() {
        return Ok(None);
    }
    Ok(calls(src, &toks, &outline, &binds, "cloudflare")
        .first()
        .map(|&(callee, _)| {
            let (line, column) = line_col(src, toks[callee].start);
            Found {
                value: (),
                line,
                column,
            }
        }))
}

/// flue.config.*: the first `target` property key at object depth 1 of any object literal
/// (not nested inside another object literal), ignoring comments, strings and type literals.
pub fn scan_flue_config_target(src: &str) -> Result<Option<Found<TargetName>>, ScanError> {
    let toks = tokenize(src).map_err(|f| f.into_error(src))?;
    let outline = outline(src, &toks);
    match outline
        .targets
        .iter()
        .find(|p| p.obj_depth == 1 && !is_pattern(src, &toks, &outline, p.obj_open))
    {
        Some(p) => read_target(src, &toks, p).map(Some),
        None => Ok(None),
    }
}

// ---------------------------------------------------------------------------------------
// Reading a `target` value

/// Longest text kept in an error, in characters.
const MAX_TEXT: usize = 60;

fn read_target(src: &str, toks: &[Tok], prop: &Prop) -> Result<Found<TargetName>, ScanError> {
    let key = toks[prop.key];
    let Some(v) = prop.value else {
        // Shorthand `{ target }`: the value is a variable.
        let (line, column) = line_col(src, key.start);
        return Err(ScanError::NotLiteral {
            line,
            column,
            text: "target".to_owned(),
        });
    };
    let Some(&val) = toks.get(v) else {
        let (line, column) = line_col(src, key.start);
        return Err(ScanError::Unparseable {
            line,
            column,
            message: "`target` has no value".to_owned(),
        });
    };
    let (line, column) = line_col(src, val.start);
    let literal =
        matches!(val.kind, Kind::Str | Kind::Template) && ends_value(src, toks.get(v + 1).copied());
    if !literal {
        return Err(ScanError::NotLiteral {
            line,
            column,
            text: expr_text(src, toks, v),
        });
    }
    let value = decode(val.inner(src));
    match TargetName::from_literal(&value) {
        Some(name) => Ok(Found {
            value: name,
            line,
            column,
        }),
        None => Err(ScanError::UnknownTarget {
            line,
            column,
            value: shorten(&value),
        }),
    }
}

/// Whether the token after a literal ends the property value (`'node' as const` does).
fn ends_value(src: &str, next: Option<Tok>) -> bool {
    match next {
        None => true,
        Some(t) => match t.kind {
            Kind::Punct => matches!(t.text(src), "," | "}" | ";" | ")" | "]"),
            Kind::Ident => matches!(t.text(src), "as" | "satisfies"),
            _ => false,
        },
    }
}

/// Source text of the expression starting at token `v`, up to the `,` or closing bracket
/// that ends it.
fn expr_text(src: &str, toks: &[Tok], v: usize) -> String {
    let mut depth = 0usize;
    let mut end = toks[v].end;
    for t in &toks[v..] {
        if t.kind == Kind::Punct {
            match t.text(src) {
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" if depth == 0 => break,
                ")" | "]" | "}" => depth -= 1,
                "," | ";" if depth == 0 => break,
                _ => {}
            }
        }
        end = t.end;
        // Enough text for the message: stop early instead of walking a huge expression.
        if end - toks[v].start > 4 * MAX_TEXT {
            break;
        }
    }
    let collapsed = src[toks[v].start..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    shorten(&collapsed)
}

fn shorten(s: &str) -> String {
    if s.chars().count() <= MAX_TEXT {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(MAX_TEXT - 1).collect();
        out.push('…');
        out
    }
}

/// Decodes the body of a string literal or of a template without substitutions.
fn decode(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut it = body.chars().peekable();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            None => {}
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('v') => out.push('\u{b}'),
            Some('0') => out.push('\0'),
            // Line continuation.
            Some('\r') => {
                it.next_if_eq(&'\n');
            }
            Some('\n' | '\u{2028}' | '\u{2029}') => {}
            Some('x') => {
                let hex: String = it.clone().take(2).collect();
                match u32::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|_| hex.len() == 2)
                {
                    Some(n) => {
                        it.nth(1);
                        out.extend(char::from_u32(n));
                    }
                    None => out.push('x'),
                }
            }
            Some('u') => {
                // `\uXXXX` or `\u{X…}`; a malformed escape is kept as a plain `u`.
                let rest: String = it.clone().take(10).collect();
                let (hex, used) = match rest.strip_prefix('{') {
                    Some(body) => body.find('}').map_or(("", 0), |n| (&body[..n], n + 2)),
                    None => (rest.get(..4).unwrap_or(""), 4),
                };
                let ch = Some(hex)
                    .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .and_then(char::from_u32);
                match ch {
                    Some(ch) => {
                        it.nth(used - 1);
                        out.push(ch);
                    }
                    None => out.push('u'),
                }
            }
            Some(other) => out.push(other),
        }
    }
    out
}

/// 1-based line and character column of a byte offset. `\r\n`, `\n` and a lone `\r` each
/// end a line; a leading BOM takes no column.
fn line_col(src: &str, byte: usize) -> (usize, usize) {
    let prefix = src.get(..byte).unwrap_or(src);
    let prefix = prefix.strip_prefix('\u{feff}').unwrap_or(prefix);
    let (mut line, mut col) = (1, 1);
    let mut chars = prefix.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => {
                line += 1;
                col = 1;
            }
            _ => col += 1,
        }
    }
    (line, col)
}

// ---------------------------------------------------------------------------------------
// Imports and calls

/// How an imported function can be called.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Binding {
    /// `local(…)`.
    Local(String),
    /// `ns.export(…)` after `import * as ns`.
    Namespace(String),
}

/// Bindings of `export` (or the default export) from modules accepted by `module_ok`.
fn import_bindings(
    src: &str,
    toks: &[Tok],
    module_ok: impl Fn(&str) -> bool,
    export: &str,
) -> Vec<Binding> {
    let mut out = Vec::new();
    for i in 0..toks.len() {
        if toks[i].kind != Kind::Ident || toks[i].text(src) != "import" {
            continue;
        }
        if i > 0 && matches!(toks[i - 1].text(src), "." | "?.") {
            continue;
        }
        if let Some(import) = parse_import(src, toks, i + 1)
            && module_ok(&import.module)
        {
            for (imported, local) in import.named {
                if imported == export || imported == "default" {
                    out.push(Binding::Local(local));
                }
            }
            out.extend(import.default.map(Binding::Local));
            out.extend(import.namespace.map(Binding::Namespace));
        }
    }
    out
}

struct Import {
    module: String,
    default: Option<String>,
    namespace: Option<String>,
    /// `(imported, local)` pairs.
    named: Vec<(String, String)>,
}

/// Parses the clause after `import`, starting at token `k`. `None` for type-only imports,
/// side-effect imports, dynamic `import(…)` and anything unexpected.
fn parse_import(src: &str, toks: &[Tok], mut k: usize) -> Option<Import> {
    let text = |k: usize| toks.get(k).map(|t| t.text(src));
    let kind = |k: usize| toks.get(k).map(|t| t.kind);
    let is_ident = |k: usize| kind(k) == Some(Kind::Ident);

    if text(k) == Some("type")
        && (matches!(text(k + 1), Some("{" | "*"))
            || (is_ident(k + 1) && text(k + 1) != Some("from")))
    {
        return None;
    }
    let mut import = Import {
        module: String::new(),
        default: None,
        namespace: None,
        named: Vec::new(),
    };
    if is_ident(k) && text(k) != Some("from")
        || (text(k) == Some("from") && text(k + 1) == Some("from"))
    {
        import.default = text(k).map(str::to_owned);
        k += 1;
        if text(k) == Some(",") {
            k += 1;
        }
    }
    if text(k) == Some("*") {
        if text(k + 1) != Some("as") || !is_ident(k + 2) {
            return None;
        }
        import.namespace = text(k + 2).map(str::to_owned);
        k += 3;
    } else if text(k) == Some("{") {
        k += 1;
        loop {
            match (kind(k)?, text(k)?) {
                (Kind::Punct, "}") => {
                    k += 1;
                    break;
                }
                (Kind::Punct, ",") => k += 1,
                (Kind::Ident, "type")
                    if is_ident(k + 1) && text(k + 1) != Some("as")
                        || kind(k + 1) == Some(Kind::Str) =>
                {
                    // `type X [as Y]`: a type-only specifier, never callable.
                    k += 2;
                    if text(k) == Some("as") {
                        k += 2;
                    }
                }
                (Kind::Ident | Kind::Str, _) => {
                    let t = toks[k];
                    let imported = if t.kind == Kind::Str {
                        decode(t.inner(src))
                    } else {
                        t.text(src).to_owned()
                    };
                    k += 1;
                    let local = if text(k) == Some("as") && is_ident(k + 1) {
                        k += 2;
                        text(k - 1)?.to_owned()
                    } else if t.kind == Kind::Ident {
                        imported.clone()
                    } else {
                        return None;
                    };
                    import.named.push((imported, local));
                }
                _ => return None,
            }
        }
    }
    if text(k) != Some("from") || kind(k + 1) != Some(Kind::Str) {
        return None;
    }
    import.module = decode(toks[k + 1].inner(src));
    Some(import)
}

/// Calls of the bindings, in source order, as `(callee token, "(" token)`.
fn calls(
    src: &str,
    toks: &[Tok],
    outline: &Outline,
    binds: &[Binding],
    export: &str,
) -> Vec<(usize, usize)> {
    let text = |k: usize| toks.get(k).map(|t| t.text(src));
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if t.kind != Kind::Ident || outline.is_key[i] {
            continue;
        }
        if i > 0 && matches!(text(i - 1), Some("." | "?." | "function")) {
            continue;
        }
        let name = t.text(src);
        for b in binds {
            match b {
                Binding::Local(local) if local == name && text(i + 1) == Some("(") => {
                    out.push((i, i + 1));
                    break;
                }
                Binding::Namespace(ns)
                    if ns == name
                        && text(i + 1) == Some(".")
                        && text(i + 2) == Some(export)
                        && text(i + 3) == Some("(") =>
                {
                    out.push((i, i + 3));
                    break;
                }
                _ => {}
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Outline: which braces are object literals, and their `target` keys

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    Paren,
    Bracket,
    Object,
    Block,
    /// A type literal or destructuring pattern: nothing inside counts.
    Opaque,
}

#[derive(Debug, Clone, Copy)]
struct Open {
    frame: Frame,
    /// Token index of the opening bracket.
    open: usize,
    /// Number of object literals enclosing (and including) this frame.
    obj_depth: usize,
}

/// A `target` property of an object literal.
#[derive(Debug, Clone, Copy)]
struct Prop {
    /// Token index of the key.
    key: usize,
    /// Token index of the value, `None` for shorthand `{ target }`.
    value: Option<usize>,
    /// Token index of the object's `{`.
    obj_open: usize,
    /// 1 for an object not nested in another object literal.
    obj_depth: usize,
}

struct Outline {
    /// `target` properties in source order.
    targets: Vec<Prop>,
    /// Object `{` token → index in `targets` of its first direct `target` key.
    target_by_obj: HashMap<usize, usize>,
    /// Call `(` token → `{` token of its first object-literal argument.
    first_obj_arg: HashMap<usize, usize>,
    /// Object `{` token → its `}` token, for objects with a `target` key.
    obj_close: HashMap<usize, usize>,
    /// Identifiers that are keys of an object literal (so `flue() {}` there is a method).
    is_key: Vec<bool>,
}

fn outline(src: &str, toks: &[Tok]) -> Outline {
    let mut ol = Outline {
        targets: Vec::new(),
        target_by_obj: HashMap::new(),
        first_obj_arg: HashMap::new(),
        obj_close: HashMap::new(),
        is_key: vec![false; toks.len()],
    };
    let mut stack: Vec<Open> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if let Some(top) = stack.last()
            && top.frame == Frame::Object
            && matches!(t.kind, Kind::Ident | Kind::Str | Kind::Num)
            && (i == top.open + 1 || toks[i - 1].is_punct(src, ","))
        {
            let text = t.text(src);
            ol.is_key[i] = t.kind == Kind::Ident;
            let is_target = match t.kind {
                Kind::Ident => text == "target",
                Kind::Str => decode(t.inner(src)) == "target",
                _ => false,
            };
            let next = toks.get(i + 1).map(|n| n.text(src));
            let value = match next {
                Some(":") => Some(Some(i + 2)),
                Some("," | "}") | None if t.kind == Kind::Ident => Some(None),
                _ => None,
            };
            if let (true, Some(value)) = (is_target, value) {
                ol.target_by_obj.entry(top.open).or_insert(ol.targets.len());
                ol.targets.push(Prop {
                    key: i,
                    value,
                    obj_open: top.open,
                    obj_depth: top.obj_depth,
                });
            }
        }
        if t.kind != Kind::Punct || t.end - t.start != 1 {
            continue;
        }
        let byte = src.as_bytes()[t.start];
        if !matches!(byte, b'(' | b'[' | b'{' | b')' | b']' | b'}') {
            continue;
        }
        let parent = stack.last().copied();
        let opaque = parent.is_some_and(|p| p.frame == Frame::Opaque);
        let depth = parent.map_or(0, |p| p.obj_depth);
        match byte {
            b'(' | b'[' => {
                let frame = match (opaque, byte) {
                    (true, _) => Frame::Opaque,
                    (false, b'(') => Frame::Paren,
                    _ => Frame::Bracket,
                };
                stack.push(Open {
                    frame,
                    open: i,
                    obj_depth: depth,
                });
            }
            b'{' => {
                let frame = if opaque {
                    Frame::Opaque
                } else {
                    classify_brace(src, toks, i, parent)
                };
                let obj_depth = depth + usize::from(frame == Frame::Object);
                if frame == Frame::Object
                    && let Some(p) = parent
                    && p.frame == Frame::Paren
                {
                    ol.first_obj_arg.entry(p.open).or_insert(i);
                }
                stack.push(Open {
                    frame,
                    open: i,
                    obj_depth,
                });
            }
            _ => {
                // Pop whatever is on top: valid code always matches, and popping one frame
                // per closer keeps this linear on broken input.
                if let Some(top) = stack.pop()
                    && top.frame == Frame::Object
                    && ol.target_by_obj.contains_key(&top.open)
                {
                    ol.obj_close.insert(top.open, i);
                }
            }
        }
    }
    ol
}

/// Decides what the `{` at token `i` opens, from the token before it.
fn classify_brace(src: &str, toks: &[Tok], i: usize, parent: Option<Open>) -> Frame {
    let Some(prev) = i.checked_sub(1).map(|p| toks[p]) else {
        return Frame::Block;
    };
    let text = prev.text(src);
    match prev.kind {
        Kind::Ident => match text {
            "return" | "default" | "typeof" | "in" | "of" | "yield" | "await" | "case" | "void"
            | "delete" | "throw" | "new" | "instanceof" => Frame::Object,
            "const" | "let" | "var" => Frame::Opaque,
            _ => Frame::Block,
        },
        Kind::Punct => match text {
            ")" | "]" | "}" | ";" | "{" | "=>" | ">" => Frame::Block,
            ":" if parent.is_some_and(|p| p.frame == Frame::Object) => Frame::Object,
            ":" | "<" | "|" | "&" => Frame::Opaque,
            "=" if is_type_alias(src, toks, i - 1) => Frame::Opaque,
            _ => Frame::Object,
        },
        _ => Frame::Block,
    }
}

/// Whether the `=` at token `eq` belongs to `type Name = …` or `type Name<…> = …`.
fn is_type_alias(src: &str, toks: &[Tok], eq: usize) -> bool {
    let mut k = eq;
    if k >= 1 && matches!(toks[k - 1].text(src), ">" | ">>") {
        // Walk back over the type parameters, a bounded distance.
        let mut depth = 0usize;
        let stop = k.saturating_sub(64);
        loop {
            k -= 1;
            match toks[k].text(src) {
                ">" => depth += 1,
                ">>" => depth += 2,
                "<" => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth == 0 || k <= stop {
                break;
            }
        }
        if depth != 0 {
            return false;
        }
    }
    k >= 2
        && toks[k - 1].kind == Kind::Ident
        && toks[k - 2].kind == Kind::Ident
        && toks[k - 2].text(src) == "type"
}

/// Whether the object at `{` token `open` is really a destructuring pattern, told by what
/// follows its `}`: `= …`, `) => …` or `) { …`.
fn is_pattern(src: &str, toks: &[Tok], ol: &Outline, open: usize) -> bool {
    let Some(&close) = ol.obj_close.get(&open) else {
        return false;
    };
    let text = |k: usize| toks.get(k).map(|t| t.text(src));
    match text(close + 1) {
        Some("=") => true,
        Some(")") => matches!(text(close + 2), Some("=>" | "{")),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------
// Tokenizer

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ident,
    /// `'…'` or `"…"`.
    Str,
    /// A template literal without substitutions.
    Template,
    /// A template literal with `${…}`, as one token.
    TemplateSubst,
    Num,
    Regex,
    Punct,
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    kind: Kind,
    /// Byte offset of the first character.
    start: usize,
    /// Byte offset after the last character.
    end: usize,
}

impl Tok {
    fn text(self, src: &str) -> &str {
        &src[self.start..self.end]
    }

    /// The body of a string or template, without its delimiters.
    fn inner(self, src: &str) -> &str {
        src.get(self.start + 1..self.end.saturating_sub(1))
            .unwrap_or("")
    }

    fn is_punct(self, src: &str, p: &str) -> bool {
        self.kind == Kind::Punct && self.text(src) == p
    }
}

/// A tokenizer failure at a byte offset; turned into [`ScanError::Unparseable`].
#[derive(Debug)]
struct Fail {
    at: usize,
    message: &'static str,
}

impl Fail {
    fn into_error(self, src: &str) -> ScanError {
        let (line, column) = line_col(src, self.at);
        ScanError::Unparseable {
            line,
            column,
            message: self.message.to_owned(),
        }
    }
}

/// A template literal whose `${` is open.
struct TemplateFrame {
    /// Byte offset of its backtick.
    start: usize,
    /// `{` opened inside the current substitution and not yet closed.
    braces: usize,
}

struct Lexer<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    toks: Vec<Tok>,
    /// Open template substitutions, outermost first. Tokens inside them are not emitted:
    /// the whole template becomes one `TemplateSubst` token.
    frames: Vec<TemplateFrame>,
    /// The last significant token, emitted or not (for the regex heuristic).
    prev: Option<Tok>,
}

const PUNCT4: &[&str] = &[">>>="];
const PUNCT3: &[&str] = &[
    "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=",
];
const PUNCT2: &[&str] = &[
    "=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=",
    "&=", "|=", "^=", "**", "<<", ">>",
];

fn tokenize(src: &str) -> Result<Vec<Tok>, Fail> {
    let mut lx = Lexer {
        src,
        b: src.as_bytes(),
        pos: 0,
        toks: Vec::with_capacity(src.len() / 4),
        frames: Vec::new(),
        prev: None,
    };
    if src.starts_with('\u{feff}') {
        lx.pos = 3;
    }
    if src[lx.pos..].starts_with("#!") {
        lx.skip_line();
    }
    loop {
        lx.skip_trivia()?;
        let Some(&c) = lx.b.get(lx.pos) else {
            if let Some(f) = lx.frames.first() {
                return Err(Fail {
                    at: f.start,
                    message: "unterminated template literal",
                });
            }
            return Ok(lx.toks);
        };
        let start = lx.pos;
        match c {
            b'\'' | b'"' => {
                lx.string(c)?;
                lx.emit(Kind::Str, start);
            }
            b'`' => {
                lx.pos += 1;
                lx.template(start, false)?;
            }
            b'{' => {
                if let Some(f) = lx.frames.last_mut() {
                    f.braces += 1;
                }
                lx.pos += 1;
                lx.emit(Kind::Punct, start);
            }
            b'}' => {
                lx.pos += 1;
                match lx.frames.last_mut() {
                    Some(f) if f.braces == 0 => {
                        let outer = f.start;
                        lx.template(outer, true)?;
                    }
                    Some(f) => {
                        f.braces -= 1;
                        lx.emit(Kind::Punct, start);
                    }
                    None => lx.emit(Kind::Punct, start),
                }
            }
            b'/' if lx.regex_allowed() && lx.regex() => lx.emit(Kind::Regex, start),
            b'0'..=b'9' => lx.number(),
            b'.' if lx.b.get(start + 1).is_some_and(u8::is_ascii_digit) => lx.number(),
            _ => {
                let ch = src[start..].chars().next().unwrap_or('\0');
                if ch == '_' || ch == '$' || ch.is_alphabetic() {
                    lx.ident();
                } else {
                    lx.punct(ch);
                }
            }
        }
    }
}

impl Lexer<'_> {
    fn emit(&mut self, kind: Kind, start: usize) {
        let tok = Tok {
            kind,
            start,
            end: self.pos,
        };
        if self.frames.is_empty() {
            self.toks.push(tok);
        }
        self.prev = Some(tok);
    }

    fn skip_line(&mut self) {
        let rest = &self.b[self.pos..];
        self.pos += rest
            .iter()
            .position(|&c| c == b'\n' || c == b'\r')
            .unwrap_or(rest.len());
    }

    fn skip_trivia(&mut self) -> Result<(), Fail> {
        loop {
            match self.b.get(self.pos) {
                Some(b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) => self.pos += 1,
                Some(b'/') if self.b.get(self.pos + 1) == Some(&b'/') => self.skip_line(),
                Some(b'/') if self.b.get(self.pos + 1) == Some(&b'*') => {
                    match self.src[self.pos + 2..].find("*/") {
                        Some(n) => self.pos += 2 + n + 2,
                        None => {
                            return Err(Fail {
                                at: self.pos,
                                message: "unterminated block comment",
                            });
                        }
                    }
                }
                Some(&c) if c >= 0x80 => match self.src[self.pos..].chars().next() {
                    Some(ch) if ch.is_whitespace() || ch == '\u{feff}' => self.pos += ch.len_utf8(),
                    _ => return Ok(()),
                },
                _ => return Ok(()),
            }
        }
    }

    fn string(&mut self, quote: u8) -> Result<(), Fail> {
        let start = self.pos;
        self.pos += 1;
        loop {
            match self.b.get(self.pos) {
                None | Some(b'\n' | b'\r') => {
                    return Err(Fail {
                        at: start,
                        message: "unterminated string literal",
                    });
                }
                Some(b'\\') => {
                    self.pos += 1;
                    // An escaped CRLF is one line continuation.
                    if self.b.get(self.pos) == Some(&b'\r')
                        && self.b.get(self.pos + 1) == Some(&b'\n')
                    {
                        self.pos += 1;
                    }
                    // Skip one byte; the rest of a multi-byte character is never special.
                    self.pos += 1;
                }
                Some(&c) if c == quote => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    /// Scans template characters after a backtick (`continuation == false`) or after the
    /// `}` closing a substitution (`continuation == true`, `start` is the template's backtick).
    fn template(&mut self, start: usize, continuation: bool) -> Result<(), Fail> {
        loop {
            match self.b.get(self.pos) {
                None => {
                    let at = self.frames.first().map_or(start, |f| f.start);
                    return Err(Fail {
                        at,
                        message: "unterminated template literal",
                    });
                }
                Some(b'\\') => self.pos += 2,
                Some(b'`') => {
                    self.pos += 1;
                    if continuation {
                        self.frames.pop();
                        self.emit(Kind::TemplateSubst, start);
                    } else {
                        self.emit(Kind::Template, start);
                    }
                    return Ok(());
                }
                Some(b'$') if self.b.get(self.pos + 1) == Some(&b'{') => {
                    self.pos += 2;
                    if !continuation {
                        self.frames.push(TemplateFrame { start, braces: 0 });
                    }
                    // Inside the substitution an expression starts: a `/` is a regex.
                    self.prev = None;
                    return Ok(());
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    /// The usual heuristic: a `/` where an expression may start begins a regex.
    fn regex_allowed(&self) -> bool {
        let Some(prev) = self.prev else { return true };
        let text = prev.text(self.src);
        match prev.kind {
            Kind::Punct => !matches!(text, ")" | "]" | "}"),
            Kind::Ident => crate::jstext::KEYWORDS_BEFORE_EXPRESSION.contains(&text),
            _ => false,
        }
    }

    /// Scans a regex literal at `/`. Returns false, consuming nothing, when it would run past
    /// the end of the line: then the `/` is read as a division.
    fn regex(&mut self) -> bool {
        let mut i = self.pos + 1;
        let mut class = false;
        loop {
            match self.b.get(i) {
                None | Some(b'\n' | b'\r') => return false,
                Some(b'\\') => {
                    if matches!(self.b.get(i + 1), None | Some(b'\n' | b'\r')) {
                        return false;
                    }
                    i += 2;
                }
                Some(b'[') => {
                    class = true;
                    i += 1;
                }
                Some(b']') => {
                    class = false;
                    i += 1;
                }
                Some(b'/') if !class => {
                    i += 1;
                    break;
                }
                Some(_) => i += 1,
            }
        }
        while self
            .b
            .get(i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'$')
        {
            i += 1;
        }
        // `i` may sit inside a multi-byte character only if one was escaped with `\`; move to
        // the next boundary so slicing stays valid.
        while !self.src.is_char_boundary(i) {
            i += 1;
        }
        self.pos = i;
        true
    }

    fn number(&mut self) {
        let start = self.pos;
        let hex = matches!(self.b.get(start..start + 2), Some(b"0x" | b"0X"));
        while let Some(&c) = self.b.get(self.pos) {
            let exp_sign =
                (c == b'+' || c == b'-') && !hex && matches!(self.b[self.pos - 1], b'e' | b'E');
            if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || exp_sign {
                self.pos += 1;
            } else {
                break;
            }
        }
        self.emit(Kind::Num, start);
    }

    fn ident(&mut self) {
        let start = self.pos;
        while self
            .b
            .get(self.pos)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'$')
        {
            self.pos += 1;
        }
        if self.b.get(self.pos).is_none_or(|c| c.is_ascii()) {
            self.emit(Kind::Ident, start);
            return;
        }
        for ch in self.src[self.pos..].chars() {
            if ch == '_'
                || ch == '$'
                || ch.is_alphanumeric()
                || ch == '\u{200c}'
                || ch == '\u{200d}'
            {
                self.pos += ch.len_utf8();
            } else {
                break;
            }
        }
        self.emit(Kind::Ident, start);
    }

    fn punct(&mut self, ch: char) {
        let start = self.pos;
        if !matches!(
            ch,
            '=' | '!' | '<' | '>' | '&' | '|' | '?' | '.' | '+' | '-' | '*' | '/' | '%' | '^'
        ) {
            self.pos += ch.len_utf8();
            self.emit(Kind::Punct, start);
            return;
        }
        let rest = &self.src[start..];
        let len = [(4, PUNCT4), (3, PUNCT3), (2, PUNCT2)]
            .into_iter()
            .find(|(n, list)| rest.get(..*n).is_some_and(|s| list.contains(&s)))
            .map_or(ch.len_utf8(), |(n, _)| n);
        // `a?.5:b` is a conditional, not optional chaining.
        let len =
            if rest.starts_with("?.") && rest.as_bytes().get(2).is_some_and(u8::is_ascii_digit) {
                1
            } else {
                len
            };
        self.pos += len;
        self.emit(Kind::Punct, start);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flue(src: &str) -> Result<Option<Found<TargetName>>, ScanError> {
        scan_vite_flue_target(src)
    }
    fn conf(src: &str) -> Result<Option<Found<TargetName>>, ScanError> {
        scan_flue_config_target(src)
    }
    fn cf(src: &str) -> Result<Option<Found<()>>, ScanError> {
        scan_vite_cloudflare_plugin(src)
    }
    fn found<T>(value: T, line: usize, column: usize) -> Option<Found<T>> {
        Some(Found {
            value,
            line,
            column,
        })
    }
    fn not_literal(line: usize, column: usize, text: &str) -> ScanError {
        ScanError::NotLiteral {
            line,
            column,
            text: text.to_owned(),
        }
    }
    fn unparseable(line: usize, column: usize, message: &str) -> ScanError {
        ScanError::Unparseable {
            line,
            column,
            message: message.to_owned(),
        }
    }
    use TargetName::{Cloudflare, Node};

    // --- vite: flue({ target }) -------------------------------------------------------

    #[test]
    fn every_flue_target_in_source_order() {
        let src = "import { flue } from '@flue/vite'\nflue({ target: 'node' })\nflue({ target: 'cloudflare' })\nflue({ target: x })";
        let all = scan_vite_flue_targets(src).unwrap();
        let want: Vec<Found<TargetName>> = [found(Node, 2, 16), found(Cloudflare, 3, 16)]
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(all, want);
        assert!(scan_vite_flue_targets("flue({ target: x })").is_err());
    }

    #[test]
    fn vite_named_import() {
        let src = "import { flue } from '@flue/vite'\nexport default { plugins: [flue({ target: 'cloudflare' })] }\n";
        assert_eq!(flue(src), Ok(found(Cloudflare, 2, 43)));
    }

    #[test]
    fn vite_default_import() {
        let src = "import flue from \"@flue/vite\";\nflue({ target: \"node\" })";
        assert_eq!(flue(src), Ok(found(Node, 2, 16)));
    }

    #[test]
    fn vite_aliased_import() {
        let src = "import { flue as f } from '@flue/vite'\nf({ target: 'node' })";
        assert_eq!(flue(src), Ok(found(Node, 2, 13)));
    }

    #[test]
    fn vite_alias_makes_plain_flue_not_count() {
        let src = "import { flue as f } from '@flue/vite'\nflue({ target: 'cloudflare' })\nf({ target: 'node' })";
        assert_eq!(flue(src), Ok(found(Node, 3, 13)));
    }

    #[test]
    fn vite_any_flue_package() {
        let src = "import { flue as x } from '@flue/other'\nx({ target: 'node' })";
        assert_eq!(flue(src), Ok(found(Node, 2, 13)));
    }

    #[test]
    fn vite_namespace_import() {
        let src = "import * as F from '@flue/vite'\nF.flue({ target: 'node' })";
        assert_eq!(flue(src), Ok(found(Node, 2, 18)));
    }

    #[test]
    fn vite_without_import_plain_flue_counts() {
        assert_eq!(flue("flue({ target: 'node' })"), Ok(found(Node, 1, 16)));
    }

    #[test]
    fn vite_member_call_does_not_count() {
        assert_eq!(flue("x.flue({ target: 'node' })"), Ok(None));
    }

    #[test]
    fn vite_nested_target_does_not_count() {
        assert_eq!(flue("flue({ build: { target: 'node' } })"), Ok(None));
    }

    #[test]
    fn vite_flue_without_target_is_none() {
        assert_eq!(
            flue("import { flue } from '@flue/vite'\nflue()\nflue({ entry: 'x' })"),
            Ok(None)
        );
    }

    #[test]
    fn vite_first_flue_call_wins() {
        let src = "flue({ target: 'node' }); flue({ target: 'cloudflare' })";
        assert_eq!(flue(src), Ok(found(Node, 1, 16)));
    }

    #[test]
    fn vite_call_without_target_is_skipped() {
        let src = "flue(); flue({ target: 'cloudflare' })";
        assert_eq!(flue(src), Ok(found(Cloudflare, 1, 24)));
    }

    #[test]
    fn vite_first_object_argument() {
        assert_eq!(
            flue("flue(opts, { target: 'node' })"),
            Ok(found(Node, 1, 22))
        );
    }

    #[test]
    fn vite_line_comment_decoy() {
        assert_eq!(
            flue("// flue({ target: 'cloudflare' })\nexport default {}"),
            Ok(None)
        );
    }

    #[test]
    fn vite_block_comment_decoy() {
        assert_eq!(
            flue("/* flue({ target: 'cloudflare' }) */ flue({ target: 'node' })"),
            Ok(found(Node, 1, 53))
        );
    }

    #[test]
    fn vite_string_decoy() {
        assert_eq!(
            flue("const s = \"flue({ target: 'cloudflare' })\""),
            Ok(None)
        );
    }

    #[test]
    fn vite_template_decoy() {
        assert_eq!(
            flue("const s = `flue({ target: 'cloudflare' }) ${1 + `flue(${'x'})`}`"),
            Ok(None)
        );
    }

    #[test]
    fn vite_braces_inside_substitution() {
        let src = "const s = `${ {a: '}'}.a } ${`${'`'}`}`; flue({ target: 'node' })";
        assert_eq!(flue(src), Ok(found(Node, 1, 57)));
    }

    #[test]
    fn vite_regex_decoy() {
        assert_eq!(
            flue("const r = /flue\\({ target: '[/]cloudflare' }\\)/g; flue()"),
            Ok(None)
        );
    }

    #[test]
    fn vite_division_is_not_regex() {
        let src = "const a = (1) / 2; flue({ target: 'node' }) // /";
        assert_eq!(flue(src), Ok(found(Node, 1, 35)));
    }

    #[test]
    fn vite_method_named_flue_does_not_count() {
        assert_eq!(
            flue("const o = { flue() { return 1 } }; function flue(x) {}"),
            Ok(None)
        );
    }

    #[test]
    fn vite_env_target_is_not_literal() {
        let src = "flue({\n  target: process.env.TARGET,\n})";
        assert_eq!(flue(src), Err(not_literal(2, 11, "process.env.TARGET")));
    }

    #[test]
    fn vite_variable_target_is_not_literal() {
        assert_eq!(flue("flue({ target: t })"), Err(not_literal(1, 16, "t")));
    }

    #[test]
    fn vite_template_with_substitution_is_not_literal() {
        assert_eq!(
            flue("flue({ target: `${t}` })"),
            Err(not_literal(1, 16, "`${t}`"))
        );
    }

    #[test]
    fn vite_ternary_is_not_literal() {
        let src = "flue({ target: ci ? 'cloudflare' : 'node', x: 1 })";
        assert_eq!(
            flue(src),
            Err(not_literal(1, 16, "ci ? 'cloudflare' : 'node'"))
        );
    }

    #[test]
    fn vite_not_literal_text_is_truncated() {
        let long = format!("flue({{ target: {} }})", "a.".repeat(100) + "b");
        let Err(ScanError::NotLiteral { text, .. }) = flue(&long) else {
            panic!()
        };
        assert_eq!(text.chars().count(), 60);
        assert!(text.ends_with('…'));
    }

    #[test]
    fn vite_unknown_target() {
        let src = "flue({ target: 'deno' })";
        assert_eq!(
            flue(src),
            Err(ScanError::UnknownTarget {
                line: 1,
                column: 16,
                value: "deno".to_owned()
            })
        );
    }

    #[test]
    fn vite_realistic_config_with_both_plugins() {
        let src = r#"// vite.config.ts
import { defineConfig } from 'vite'
import { cloudflare } from "@cloudflare/vite-plugin";
import { flue } from '@flue/vite'

/* Build for the edge. flue({ target: 'node' }) was the old setting. */
export default defineConfig(({ mode }) => ({
  build: { target: 'es2022', outDir: `dist/${mode}` },
  resolve: { alias: { '@': '/src' } },
  plugins: [
    flue({
      entry: 'src/index.ts',
      target: 'cloudflare',
    }),
    cloudflare({ configPath: './wrangler.jsonc' }),
  ],
}))
"#;
        assert_eq!(flue(src), Ok(found(Cloudflare, 13, 15)));
        assert_eq!(cf(src), Ok(found((), 15, 5)));
    }

    // --- vite: cloudflare() -----------------------------------------------------------

    #[test]
    fn cloudflare_named_import() {
        let src = "import { cloudflare } from '@cloudflare/vite-plugin'\nexport default { plugins: [cloudflare()] }";
        assert_eq!(cf(src), Ok(found((), 2, 28)));
    }

    #[test]
    fn cloudflare_aliased_import() {
        let src = "import { cloudflare as cfp } from '@cloudflare/vite-plugin'\nplugins: [cloudflare(), cfp()]";
        assert_eq!(cf(src), Ok(found((), 2, 25)));
    }

    #[test]
    fn cloudflare_default_import() {
        let src = "import plugin from '@cloudflare/vite-plugin'\nplugin()";
        assert_eq!(cf(src), Ok(found((), 2, 1)));
    }

    #[test]
    fn cloudflare_without_import_does_not_count() {
        assert_eq!(cf("export default { plugins: [cloudflare()] }"), Ok(None));
    }

    #[test]
    fn cloudflare_import_without_call_does_not_count() {
        assert_eq!(
            cf(
                "import { cloudflare } from '@cloudflare/vite-plugin'\nplugins: [/* cloudflare() */]"
            ),
            Ok(None)
        );
    }

    #[test]
    fn cloudflare_type_only_import_does_not_count() {
        assert_eq!(
            cf("import type { cloudflare } from '@cloudflare/vite-plugin'\ncloudflare()"),
            Ok(None)
        );
    }

    #[test]
    fn cloudflare_other_module_does_not_count() {
        assert_eq!(
            cf("import { cloudflare } from './local'\ncloudflare()"),
            Ok(None)
        );
    }

    #[test]
    fn cloudflare_string_decoy() {
        let src = "import { cloudflare } from '@cloudflare/vite-plugin'\nconst s = 'cloudflare()'";
        assert_eq!(cf(src), Ok(None));
    }

    // --- flue.config ------------------------------------------------------------------

    #[test]
    fn config_define_config() {
        assert_eq!(
            conf("export default defineConfig({ target: 'cloudflare' })"),
            Ok(found(Cloudflare, 1, 39))
        );
    }

    #[test]
    fn config_export_default_object() {
        assert_eq!(
            conf("export default { target: \"node\" }"),
            Ok(found(Node, 1, 26))
        );
    }

    #[test]
    fn config_const_then_export() {
        let src = "const config = { target: 'node' };\nexport default config";
        assert_eq!(conf(src), Ok(found(Node, 1, 26)));
    }

    #[test]
    fn config_module_exports() {
        assert_eq!(
            conf("module.exports = {\n\ttarget: 'cloudflare'\n}"),
            Ok(found(Cloudflare, 2, 10))
        );
    }

    #[test]
    fn config_arrow_returning_object() {
        let src = "export default defineConfig(() => { return { target: 'node' } })";
        assert_eq!(conf(src), Ok(found(Node, 1, 54)));
    }

    #[test]
    fn config_double_quoted_key() {
        assert_eq!(
            conf("export default { \"target\": \"node\" }"),
            Ok(found(Node, 1, 28))
        );
    }

    #[test]
    fn config_single_quoted_key() {
        assert_eq!(
            conf("export default { 'target': 'node' }"),
            Ok(found(Node, 1, 28))
        );
    }

    #[test]
    fn config_template_without_substitution_is_literal() {
        assert_eq!(
            conf("export default { target: `node` }"),
            Ok(found(Node, 1, 26))
        );
    }

    #[test]
    fn config_as_const_is_literal() {
        assert_eq!(
            conf("export default { target: 'node' as const }"),
            Ok(found(Node, 1, 26))
        );
    }

    #[test]
    fn config_escaped_literal_is_decoded() {
        assert_eq!(
            conf("export default { target: 'no\\u0064e' }"),
            Ok(found(Node, 1, 26))
        );
    }

    #[test]
    fn config_shorthand_is_not_literal() {
        assert_eq!(
            conf("const target = 'node'\nexport default { target }"),
            Err(not_literal(2, 18, "target"))
        );
    }

    #[test]
    fn config_method_target_is_ignored() {
        assert_eq!(
            conf("export default { target() { return 'x' }, t: 1 }"),
            Ok(None)
        );
    }

    #[test]
    fn config_computed_target_is_ignored() {
        assert_eq!(
            conf("export default { ['target']: process.env.T }"),
            Ok(None)
        );
    }

    #[test]
    fn config_nested_target_is_ignored() {
        assert_eq!(
            conf("export default { vite: { build: { target: 'es2020' } }, target: 'node' }"),
            Ok(found(Node, 1, 65))
        );
    }

    #[test]
    fn config_first_depth_one_target_wins() {
        let src = "const a = { target: 'cloudflare' }\nconst b = { target: 'node' }";
        assert_eq!(conf(src), Ok(found(Cloudflare, 1, 21)));
    }

    #[test]
    fn config_type_literal_is_ignored() {
        let src = "type Opts = { target: 'node' | 'cloudflare' }\ninterface I { target: string }\n\
                   function f(o: { target: string }): { target: X } { return o }\n\
                   export default defineConfig<{ target: T }>({ target: 'node' })";
        assert_eq!(conf(src), Ok(found(Node, 4, 54)));
    }

    #[test]
    fn config_generic_type_alias_is_ignored() {
        let src = "type O<T extends A<B>> = { target: T }\nexport default { target: 'node' }";
        assert_eq!(conf(src), Ok(found(Node, 2, 26)));
    }

    #[test]
    fn decode_escapes() {
        assert_eq!(decode(r"a\x41\u0042\u{43}\u{zz}\'\n"), "aABCu{zz}'\n");
    }

    #[test]
    fn config_destructuring_is_ignored() {
        let src = "const { target } = process.env\nconst f = ({ target: t }) => t\nexport default { target: 'node' }";
        assert_eq!(conf(src), Ok(found(Node, 3, 26)));
    }

    #[test]
    fn config_comment_and_string_decoys() {
        let src = "// target: 'cloudflare'\nconst s = \"target: 'cloudflare'\"\n/* { target: 'cloudflare' } */\nexport default { target: 'node' }";
        assert_eq!(conf(src), Ok(found(Node, 4, 26)));
    }

    #[test]
    fn config_without_target_is_none() {
        assert_eq!(conf("export default defineConfig({})"), Ok(None));
    }

    #[test]
    fn config_unknown_target() {
        assert_eq!(
            conf("export default { target: 'Node' }"),
            Err(ScanError::UnknownTarget {
                line: 1,
                column: 26,
                value: "Node".to_owned()
            })
        );
    }

    #[test]
    fn config_missing_value_is_unparseable() {
        assert_eq!(
            conf("export default { target:"),
            Err(unparseable(1, 18, "`target` has no value"))
        );
    }

    // --- positions --------------------------------------------------------------------

    #[test]
    fn crlf_counts_as_one_line() {
        let src = "import { flue } from '@flue/vite'\r\n\r\nflue({\r\n  target: 'node' })";
        assert_eq!(flue(src), Ok(found(Node, 4, 11)));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        assert_eq!(
            conf("export default { ünï: 'ü', target: 'node' }"),
            Ok(found(Node, 1, 36))
        );
    }

    #[test]
    fn leading_bom_is_not_a_column() {
        assert_eq!(
            conf("\u{feff}export default { target: 'node' }"),
            Ok(found(Node, 1, 26))
        );
    }

    // --- unparseable ------------------------------------------------------------------

    #[test]
    fn unterminated_string() {
        assert_eq!(
            conf("export default {\n  x: 'abc,\n  target: 'node' }"),
            Err(unparseable(2, 6, "unterminated string literal"))
        );
    }

    #[test]
    fn unterminated_block_comment() {
        assert_eq!(
            flue("flue({ target: 'node' })\n  /* oops"),
            Err(unparseable(2, 3, "unterminated block comment"))
        );
    }

    #[test]
    fn unterminated_template() {
        assert_eq!(
            flue("const a = `x ${ `y` } \nflue()"),
            Err(unparseable(1, 11, "unterminated template literal"))
        );
    }

    #[test]
    fn unterminated_regex_falls_back_to_division() {
        assert_eq!(
            conf("const a = /x\nexport default { target: 'node' }"),
            Ok(found(Node, 2, 26))
        );
    }

    #[test]
    fn error_accessors() {
        let e = not_literal(3, 4, "x");
        assert_eq!((e.code(), e.location()), ("target_not_literal", (3, 4)));
        assert!(
            e.to_string()
                .starts_with("`target` is not a string literal")
        );
    }

    #[test]
    fn one_megabyte_config_is_scanned() {
        let mut src = String::from("import { flue } from '@flue/vite'\n");
        let filler = "const x = { a: [1, 2, `t ${y} z`], b: 'str', c: /re[/]/g } // c\n";
        while src.len() < 1_000_000 {
            src.push_str(filler);
        }
        src.push_str("flue({ target: 'node' })\n");
        let lines = src.lines().count();
        assert_eq!(flue(&src), Ok(found(Node, lines, 16)));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let src = "`${".repeat(100_000) + "{(".repeat(100_000).as_str();
        assert!(flue(&src).is_err());
        let src = "{[(".repeat(100_000) + "target: x";
        assert_eq!(conf(&src), Ok(None));
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        const VALID: &[&str] = &[
            "import { flue } from '@flue/vite'\nimport { cloudflare as c } from '@cloudflare/vite-plugin'\nexport default defineConfig({ plugins: [flue({ target: 'cloudflare', x: `a${b}` }), c()] })\n",
            "export default defineConfig({\r\n  // comment\r\n  target: \"node\",\r\n  re: /[/]x/g,\r\n})\r\n",
            "type T = { target: string }\nconst config: T = { target: 'node' as const }\nmodule.exports = config\n",
        ];

        fn scan_all(src: &str) {
            let lines = src.split('\n').count() + src.matches('\r').count();
            for r in [
                scan_vite_flue_target(src).map(|f| f.map(|f| (f.line, f.column))),
                scan_flue_config_target(src).map(|f| f.map(|f| (f.line, f.column))),
                scan_vite_cloudflare_plugin(src).map(|f| f.map(|f| (f.line, f.column))),
            ] {
                let (line, col) = match r {
                    Ok(None) => continue,
                    Ok(Some(p)) => p,
                    Err(e) => e.location(),
                };
                assert!(line >= 1 && line <= lines.max(1) && col >= 1);
            }
        }

        proptest! {
            #[test]
            fn arbitrary_text_never_panics(src in any::<String>()) {
                scan_all(&src);
            }

            #[test]
            fn js_like_text_never_panics(src in "[ \\n\\r\\t{}()\\[\\]'\"`$/*\\\\:,.;=<>?a-z0-9é]{0,200}") {
                scan_all(&src);
            }

            #[test]
            fn truncated_configs_never_panic(i in 0usize..3, cut in 0usize..400) {
                let src = VALID[i];
                let cut = src.char_indices().map(|(k, _)| k).nth(cut).unwrap_or(src.len());
                scan_all(&src[..cut]);
            }

            #[test]
            fn configs_with_inserted_chars_never_panic(i in 0usize..3, at in 0usize..400, c in any::<char>(), n in 1usize..4) {
                let src = VALID[i];
                let at = src.char_indices().map(|(k, _)| k).nth(at).unwrap_or(src.len());
                let mut s = src.to_owned();
                for _ in 0..n { s.insert(at, c); }
                scan_all(&s);
            }

            #[test]
            fn leading_comment_shifts_result_by_one_line(text in "[^\\r\\n\u{2028}\u{2029}]{0,80}") {
                let base = VALID[0];
                let shifted = format!("//{text}\n{base}");
                let a = scan_vite_flue_target(base).unwrap().unwrap();
                let b = scan_vite_flue_target(&shifted).unwrap().unwrap();
                prop_assert_eq!(b.value, a.value);
                prop_assert_eq!((b.line, b.column), (a.line + 1, a.column));
            }

            #[test]
            fn string_contents_never_count(text in "[^'\\\\\\r\\n]{0,80}") {
                let src = format!("const s = '{text}'\nexport default {{ target: 'node' }}");
                prop_assert_eq!(scan_flue_config_target(&src).unwrap().map(|f| (f.value, f.line)), Some((TargetName::Node, 2)));
            }
        }
    }
}
