//! The `// flue-blueprint: <kind>/<name>@<version>` first line: reading it
//! from a file and writing it. Knows nothing about the catalog.

use std::fmt;

pub const PREFIX: &str = "// flue-blueprint:";

/// A parsed marker line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub kind: String,
    pub name: String,
    pub version: u32,
}

impl fmt::Display for Marker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}/{}@{}", PREFIX, self.kind, self.name, self.version)
    }
}

/// What the first line of a file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A well-formed marker.
    Marker(Marker),
    /// The line starts like a marker but cannot be read; the text is kept.
    Malformed(String),
    /// No marker at all.
    None,
}

/// How many leading lines may hold the marker: tools such as linters ask for
/// a comment at the very top (`/* eslint-disable */`), and users comply.
pub const SEARCH_LINES: usize = 5;

/// Reads the marker from the first lines of `text` (a BOM and CR are ignored).
pub fn read(text: &str) -> Found {
    match find(text) {
        Some((_, line)) => parse_line(line),
        None => Found::None,
    }
}

/// The index and text of the line holding the marker, if any.
fn find(text: &str) -> Option<(usize, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.split('\n')
        .take(SEARCH_LINES)
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .enumerate()
        .find(|(_, l)| l.trim_start().starts_with(PREFIX))
}

fn parse_line(first: &str) -> Found {
    let rest = first.trim_start().strip_prefix(PREFIX).unwrap_or("");
    let rest = rest.trim();
    let parsed = rest.split_once('/').and_then(|(kind, tail)| {
        let (name, version) = tail.rsplit_once('@')?;
        let version: u32 = version.parse().ok()?;
        let ok = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        (ok(kind) && ok(name)).then(|| Marker {
            kind: kind.to_string(),
            name: name.to_string(),
            version,
        })
    });
    match parsed {
        Some(m) => Found::Marker(m),
        None => Found::Malformed(first.to_string()),
    }
}

/// Replaces the marker line of `text` with `marker` (used after a merge so
/// the file names the version it now follows); the first line when there is
/// no marker.
pub fn replace_first_line(text: &str, marker: &Marker) -> String {
    let bom = if text.starts_with('\u{feff}') {
        "\u{feff}"
    } else {
        ""
    };
    let body = &text[bom.len()..];
    let index = find(body).map(|(i, _)| i).unwrap_or(0);
    let mut out = String::with_capacity(text.len() + 2);
    out.push_str(bom);
    for (i, line) in body.split_inclusive('\n').enumerate() {
        if i == index {
            let ending = &line[line.trim_end_matches(['\r', '\n']).len()..];
            out.push_str(&marker.to_string());
            out.push_str(ending);
        } else {
            out.push_str(line);
        }
    }
    if body.is_empty() {
        out.push_str(&marker.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_marker() {
        assert_eq!(
            read("// flue-blueprint: sandbox/mirage@2\nimport x;\n"),
            Found::Marker(Marker {
                kind: "sandbox".into(),
                name: "mirage".into(),
                version: 2
            })
        );
    }

    #[test]
    fn ignores_bom_and_crlf() {
        assert!(matches!(
            read("\u{feff}// flue-blueprint: sandbox/mirage@1\r\nx"),
            Found::Marker(Marker { version: 1, .. })
        ));
    }

    #[test]
    fn no_marker() {
        assert_eq!(read("import x from 'y';\n"), Found::None);
        assert_eq!(read(""), Found::None);
    }

    #[test]
    fn marker_below_a_leading_comment() {
        let text = "/* eslint-disable */\n// flue-blueprint: sandbox/mirage@1\nx\n";
        assert!(matches!(
            read(text),
            Found::Marker(Marker { version: 1, .. })
        ));
        let m = Marker {
            kind: "sandbox".into(),
            name: "mirage".into(),
            version: 2,
        };
        assert_eq!(
            replace_first_line(text, &m),
            "/* eslint-disable */\n// flue-blueprint: sandbox/mirage@2\nx\n"
        );
        assert_eq!(
            read("a\nb\nc\nd\ne\n// flue-blueprint: sandbox/mirage@1\n"),
            Found::None
        );
    }

    #[test]
    fn malformed_marker() {
        assert!(matches!(
            read("// flue-blueprint: sandbox/mirage@latest\n"),
            Found::Malformed(_)
        ));
        assert!(matches!(
            read("// flue-blueprint: mirage\n"),
            Found::Malformed(_)
        ));
    }

    #[test]
    fn replaces_first_line_keeping_crlf() {
        let m = Marker {
            kind: "sandbox".into(),
            name: "mirage".into(),
            version: 2,
        };
        assert_eq!(
            replace_first_line("// flue-blueprint: sandbox/mirage@1\r\nx\r\n", &m),
            "// flue-blueprint: sandbox/mirage@2\r\nx\r\n"
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = read(&s);
        }

        #[test]
        fn round_trips(kind in "[a-z][a-z0-9-]{0,10}", name in "[a-z][a-z0-9-]{0,10}", v in 0u32..1000) {
            let m = Marker { kind, name, version: v };
            let line = format!("{m}\nrest\n");
            proptest::prop_assert_eq!(read(&line), Found::Marker(m));
        }
    }
}
