use super::*;
use crate::project::style::{Indent, Quotes, Style, TrailingCommas};

const SAMPLE: &str = include_str!("../../tests/style/sample.ts");

#[test]
fn default_style_is_returned_unchanged() {
    let odd = "// flue-blueprint: x@1\nconst  a = 'b'\n\n\n";
    assert_eq!(format(odd, &Style::default()).unwrap(), odd);
}

fn styles() -> Vec<Style> {
    let d = Style::default();
    vec![
        Style {
            quotes: Quotes::Single,
            indent: Indent::Tabs(2),
            ..d.clone()
        },
        Style {
            semicolons: false,
            line_width: 100,
            ..d.clone()
        },
        Style {
            indent: Indent::Tabs(2),
            ..d.clone()
        },
        Style {
            trailing_commas: TrailingCommas::Es5,
            ..d.clone()
        },
        Style {
            indent: Indent::Spaces(4),
            ..d.clone()
        },
        Style {
            crlf: true,
            ..d.clone()
        },
    ]
}

#[test]
fn format_keeps_marker_and_is_idempotent() {
    let marker = SAMPLE.lines().next().unwrap();
    for style in styles() {
        let once = format(SAMPLE, &style).unwrap();
        // Always LF: the line ending is applied where the output is written.
        assert!(once.starts_with(&format!("{marker}\n")));
        assert!(!once.contains('\r'));
        assert!(once.ends_with("}\n") || once.ends_with(";\n"));
        let twice = format(&once, &style).unwrap();
        assert_eq!(once, twice, "not idempotent for {style:?}");
    }
}

#[test]
fn format_applies_the_style() {
    let style = Style {
        quotes: Quotes::Single,
        indent: Indent::Tabs(2),
        semicolons: false,
        ..Style::default()
    };
    let out = format(SAMPLE, &style).unwrap();
    assert!(out.contains("\n\tasync stat(path: string): Promise<FileStat> {\n"));
    assert!(out.contains("import { createSandboxSessionEnv } from '@flue/runtime'\n"));
    assert!(out.contains("if (word === '') return \"''\"\n"), "{out}");
}

#[test]
fn format_is_lf_whatever_the_line_ending() {
    // A CRLF style changes no layout: the render is returned as it is, LF.
    let out = format(
        "// flue-blueprint: x@1\r\nconst a = 1;\r\n",
        &Style {
            crlf: true,
            ..Style::default()
        },
    )
    .unwrap();
    assert_eq!(out, "// flue-blueprint: x@1\nconst a = 1;\n");
}

#[test]
fn formatting_only_differences_are_not_edits() {
    let tabs = Style {
        quotes: Quotes::Single,
        indent: Indent::Tabs(2),
        semicolons: false,
        ..Style::default()
    };
    let restyled = format(SAMPLE, &tabs).unwrap();
    assert!(same_but_formatting(SAMPLE, &restyled));
    assert!(same_but_formatting(SAMPLE, &SAMPLE.replace('\n', "\r\n")));
    let edited = SAMPLE.replacen("async stat(", "async statx(", 1);
    assert!(!same_but_formatting(SAMPLE, &edited));
}

#[test]
fn format_ends_with_one_newline() {
    let style = Style {
        semicolons: false,
        ..Style::default()
    };
    let out = format("// flue-blueprint: x@1\n\nconst a = 1;\n\n\n", &style).unwrap();
    assert_eq!(out, "// flue-blueprint: x@1\n\nconst a = 1\n");
}

#[test]
fn format_reports_parse_errors() {
    let style = Style {
        semicolons: false,
        ..Style::default()
    };
    let e = format("// flue-blueprint: x@1\nconst = ;\n", &style).unwrap_err();
    assert!(
        e.message.starts_with("cannot format the render"),
        "{}",
        e.message
    );
}

#[test]
fn keeps_the_render_layout_at_default_widths() {
    let asi = include_str!("../../tests/style/asi.ts");
    let style = Style {
        semicolons: false,
        indent: Indent::Tabs(2),
        ..Style::default()
    };
    let out = format(asi, &style).unwrap();
    assert!(
        out.contains(
            "const list = [1, 2, 3]\n;(globalThis as { seen?: number[] }).seen = list\n;[4, 5]"
        ),
        "{out}"
    );
    assert!(
        out.contains("\n\t/**\n\t * Counts.\n\t */\n\tcount(): number {\n"),
        "{out}"
    );
    assert!(
        out.contains("for (let i = 0; i < list.length; i++) {"),
        "{out}"
    );
    // A regex after `if (…)` (as the parser reads it), and a line break after `=` kept.
    let regex = "// flue-blueprint: x@1\nexport function f(s: string): boolean {\n  const long =\n    typeof s === \"string\";\n  if (s) /'/.test(s);\n  return long;\n}\n";
    let out = format(regex, &style).unwrap();
    assert!(
        out.contains("\tconst long =\n\t\ttypeof s === \"string\"\n\tif (s) /'/.test(s)\n"),
        "{out}"
    );
    // dprint alone would pull `typeof …` up onto the `=` line.
    let out = format(
        SAMPLE,
        &Style {
            quotes: Quotes::Single,
            ..Style::default()
        },
    )
    .unwrap();
    assert!(
        out.contains("const timeoutSignal =\n      typeof options?.timeoutMs === 'number'\n"),
        "{out}"
    );
}

#[test]
fn dprints_tokens_are_read_off_by_following_the_renders() {
    let render = "export const re = /'/;\nif (re) /a/.test(\"b\");\nlet t: Array<Array<number>> = [];\nconst s = `x ${ t } y`; // c\n";
    let dprint = "export const re = /'/\nif (re) /a/.test('b')\nlet t: Array<Array<number>> = []\nconst s = `x ${t} y` // c\n";
    let ours = js::tokens(render).unwrap();
    assert_eq!(follow(&ours, dprint), js::tokens(dprint));
    assert_eq!(string_len("'a\\'b' x"), Some(6));
    assert_eq!(string_len("\"ü\\\r\n\" x"), Some(7));
    assert_eq!(string_len("'a\nb'"), None);
    // A `;` dprint adds is found too.
    let ours = js::tokens("a = 1\n").unwrap();
    assert_eq!(follow(&ours, "a = 1;\n"), js::tokens("a = 1;\n"));
    // Tokens the render kept apart that touch in the other text: parsed instead.
    let ours = js::tokens("x = a in b;\n").unwrap();
    assert_eq!(follow(&ours, "x = ain b;\n"), None);
    // Anything else changed: parsed instead.
    assert_eq!(follow(&ours, "x = a of b;\n"), None);
}

#[test]
fn formatting_in_parts_gives_what_formatting_whole_gives() {
    // Every render of every blueprint version, in every style that keeps the layout.
    let d = Style::default();
    let kept = [
        Style {
            quotes: Quotes::Single,
            indent: Indent::Tabs(2),
            semicolons: false,
            ..d.clone()
        },
        Style {
            semicolons: false,
            trailing_commas: TrailingCommas::None,
            ..d.clone()
        },
        Style {
            quotes: Quotes::Single,
            trailing_commas: TrailingCommas::Es5,
            ..d.clone()
        },
        Style {
            indent: Indent::Tabs(2),
            ..d.clone()
        },
    ];
    let mut cut = 0;
    for bp in crate::blueprint::CATALOG {
        for v in bp.versions {
            let lf = (v.render)();
            for style in &kept {
                let whole = format_whole(&lf, style).unwrap();
                if let Some(parts) = in_parts(&lf, style) {
                    assert_eq!(parts, whole, "{}@{} in {style:?}", bp.id(), v.number);
                    cut += 1;
                }
            }
        }
    }
    // Every render of the catalog is long enough, and has a place to cut.
    let renders: usize = crate::blueprint::CATALOG
        .iter()
        .map(|b| b.versions.len())
        .sum();
    assert_eq!(cut, renders * kept.len());
}

#[test]
fn a_cut_inside_a_template_or_a_block_is_refused() {
    let style = Style {
        quotes: Quotes::Single,
        semicolons: false,
        ..Style::default()
    };
    let filler = "const a = \"x\";\n".repeat(200);
    // The only column-0 `export` after a blank line is inside a template literal.
    let text = format!("// m\n{filler}const t = `\n\nexport const inside = \"no\";\n`;\n{filler}");
    let starts: Vec<&str> = parts(&text)
        .iter()
        .map(|p| &text[p.code.start..p.code.start + 6])
        .collect();
    assert!(starts.contains(&"export"), "{starts:?}");
    assert_eq!(in_parts(&text, &style), None);
    let formatted = format(&text, &style).unwrap();
    assert!(
        formatted.contains("\nexport const inside = \"no\";\n"),
        "{formatted}"
    );
}

#[test]
fn parts_meet_at_the_renders_own_blank_lines() {
    let style = Style {
        quotes: Quotes::Single,
        semicolons: false,
        ..Style::default()
    };
    let half = "const a = \"x\";\n".repeat(100);
    let text = format!("// m\n{half}\n\n\nexport function f() {{\n  return (\"y\");\n}}\n{half}");
    assert!(in_parts(&text, &style).is_some());
    assert_eq!(
        format(&text, &style).unwrap(),
        format_whole(&text, &style).unwrap()
    );
}

#[test]
fn a_string_requoted_is_the_same_token_and_other_escapes_are_read_as_pairs() {
    let s = |text| Token {
        kind: TokenKind::Str,
        space: "",
        text,
    };
    assert!(same_token(&s(r#""it's""#), &s(r"'it\'s'")));
    assert!(same_token(&s(r#""say \"hi\"""#), &s(r#"'say "hi"'"#)));
    // `\\` then a quote: an escaped backslash, then the quote itself, both ways round.
    assert!(same_token(&s(r#""\\'""#), &s(r"'\\\''")));
    assert!(!same_token(&s(r#""a\\'b""#), &s(r#""a\'b""#)));
    assert!(!same_token(&s("'ab'"), &s("'abc'")));
    let c = |text| Token {
        kind: TokenKind::Comment,
        space: "",
        text,
    };
    assert!(same_token(&c("/* a\n   b */"), &c("/* a\n\t\tb */")));
    assert!(!same_token(&c("// a b"), &c("// a  c")));
}

#[test]
fn parts_are_about_a_quarter_each_and_a_long_statement_stays_alone() {
    let small = |name: &str| format!("function {name}() {{\n  return \"x\";\n}}\n\n");
    let class = format!(
        "class Big {{\n{}}}\n\n",
        "  m() {\n    return \"a long method body\";\n  }\n".repeat(40)
    );
    let text = format!(
        "// m\n{}{class}{}// the end\n",
        ["a", "b", "c", "d", "e", "f"].map(small).concat(),
        ["g", "h"].map(small).concat()
    );
    let parts = parts(&text);
    // Contiguous, cut where a declaration starts, the code up to its blank space.
    assert_eq!(parts[0].code.start, 0);
    assert_eq!(parts.last().unwrap().end, text.len());
    for pair in parts.windows(2) {
        assert_eq!(pair[0].end, pair[1].code.start);
        assert!(text[pair[0].code.end..pair[0].end].trim().is_empty());
    }
    let class_part = parts
        .iter()
        .find(|p| text[p.code.clone()].starts_with("class Big"))
        .expect("the class starts a part");
    assert_eq!(&text[class_part.code.clone()], class.trim_end());
    // The small functions before the class are grouped, not one part each.
    assert!(parts.len() < 8, "{parts:?}");
    let style = Style {
        quotes: Quotes::Single,
        semicolons: false,
        ..Style::default()
    };
    assert_eq!(
        in_parts(&text, &style),
        Some(format_whole(&text, &style).unwrap())
    );
}

#[test]
fn an_ignore_comment_keeps_the_render_whole() {
    let style = Style {
        quotes: Quotes::Single,
        semicolons: false,
        ..Style::default()
    };
    let filler = "const a = \"x\";\n".repeat(100);
    // The comment ends a part if the text is cut after it: it applies to the next statement.
    let text = format!(
        "// m\n{filler}\n// prettier-ignore\n\nexport const kept = [\"as\",   \"written\"];\n{filler}"
    );
    assert_eq!(in_parts(&text, &style), None);
    let formatted = format(&text, &style).unwrap();
    assert_eq!(formatted, format_whole(&text, &style).unwrap());
    assert!(formatted.contains("const a = 'x'\n"), "{formatted}");
    assert!(
        formatted.contains("\nexport const kept = [\"as\",   \"written\"];\n"),
        "{formatted}"
    );
    let whole_file =
        format!("// m\n// flue-format-ignore-file\n{filler}\nexport const b = \"y\";\n{filler}");
    assert_eq!(in_parts(&whole_file, &style), None);
    assert_eq!(format(&whole_file, &style).unwrap(), whole_file);
}
