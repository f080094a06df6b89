//! Tests of `manifest.rs`: `given(input).running(edit).produces(output)`, one behaviour per
//! test, then proptest round trips.

use super::*;

// ---------------------------------------------------------------------------------------------
// given / running / produces

struct Given(&'static str);

struct Ran {
    result: Result<(String, Vec<DepOutcome>), ManifestError>,
}

fn given(text: &'static str) -> Given {
    Given(text)
}

/// A request without replaceable ranges.
fn dep(name: &str, range: &str) -> DepRequest {
    DepRequest {
        name: name.to_string(),
        range: range.to_string(),
        replaceable: Vec::new(),
        section: "dependencies",
    }
}

fn added() -> DepOutcome {
    DepOutcome::Added {
        section: "dependencies".to_string(),
    }
}

impl Given {
    fn running(self, reqs: &[DepRequest]) -> Ran {
        let result = Manifest::parse(self.0).and_then(|m| m.add_dependencies(reqs));
        Ran { result }
    }

    fn adding(self, name: &str, range: &str) -> Ran {
        self.running(&[dep(name, range)])
    }

    #[track_caller]
    fn fails_with(self, code: &str, message: &str, line: usize, column: usize) -> ManifestError {
        let err = Manifest::parse(self.0).expect_err("parse should fail");
        assert_eq!(
            (
                err.code.as_str(),
                err.message.as_str(),
                err.line,
                err.column
            ),
            (code, message, Some(line), Some(column))
        );
        err
    }
}

impl Ran {
    #[track_caller]
    fn produces(self, expected: &str) -> Vec<DepOutcome> {
        let (text, outcomes) = self.result.expect("edit should succeed");
        assert_eq!(
            text, expected,
            "\n--- got ---\n{text}\n--- expected ---\n{expected}"
        );
        outcomes
    }
}

// ---------------------------------------------------------------------------------------------
// layout

#[test]
fn two_spaces_sorted_inserts_in_place() {
    given("{\n  \"name\": \"x\",\n  \"dependencies\": {\n    \"a\": \"^1.0.0\",\n    \"c\": \"^1.0.0\"\n  }\n}\n")
        .adding("b", "^2.0.0")
        .produces("{\n  \"name\": \"x\",\n  \"dependencies\": {\n    \"a\": \"^1.0.0\",\n    \"b\": \"^2.0.0\",\n    \"c\": \"^1.0.0\"\n  }\n}\n");
}

#[test]
fn four_spaces_copies_indentation() {
    given("{\n    \"dependencies\": {\n        \"a\": \"1\"\n    }\n}\n")
        .adding("b", "2")
        .produces(
            "{\n    \"dependencies\": {\n        \"a\": \"1\",\n        \"b\": \"2\"\n    }\n}\n",
        );
}

#[test]
fn tabs_copy_indentation() {
    given("{\n\t\"dependencies\": {\n\t\t\"b\": \"1\"\n\t}\n}\n")
        .adding("a", "2")
        .produces("{\n\t\"dependencies\": {\n\t\t\"a\": \"2\",\n\t\t\"b\": \"1\"\n\t}\n}\n");
}

#[test]
fn crlf_is_kept() {
    given("{\r\n  \"dependencies\": {\r\n    \"a\": \"1\"\r\n  }\r\n}\r\n")
        .adding("b", "2")
        .produces(
            "{\r\n  \"dependencies\": {\r\n    \"a\": \"1\",\r\n    \"b\": \"2\"\r\n  }\r\n}\r\n",
        );
}

#[test]
fn crlf_is_used_for_a_new_section() {
    given("{\r\n  \"name\": \"x\"\r\n}\r\n")
        .adding("a", "1")
        .produces(
            "{\r\n  \"name\": \"x\",\r\n  \"dependencies\": {\r\n    \"a\": \"1\"\r\n  }\r\n}\r\n",
        );
}

#[test]
fn dominant_newline_wins_over_the_first_one() {
    given("{\n  \"name\": \"x\",\r\n  \"version\": \"1.0.0\"\r\n}\r\n")
        .adding("a", "1")
        .produces("{\n  \"name\": \"x\",\r\n  \"version\": \"1.0.0\",\r\n  \"dependencies\": {\r\n    \"a\": \"1\"\r\n  }\r\n}\r\n");
}

#[test]
fn bom_is_kept() {
    given("\u{feff}{\n  \"dependencies\": {}\n}\n")
        .adding("a", "1")
        .produces("\u{feff}{\n  \"dependencies\": {\n    \"a\": \"1\"\n  }\n}\n");
}

#[test]
fn missing_final_newline_stays_missing() {
    given("{\n  \"name\": \"x\"\n}")
        .adding("a", "1")
        .produces("{\n  \"name\": \"x\",\n  \"dependencies\": {\n    \"a\": \"1\"\n  }\n}");
}

#[test]
fn unsorted_section_gets_new_entries_at_the_end() {
    given("{\n  \"dependencies\": {\n    \"c\": \"1\",\n    \"a\": \"1\"\n  }\n}\n")
        .running(&[dep("d", "2"), dep("b", "2")])
        .produces("{\n  \"dependencies\": {\n    \"c\": \"1\",\n    \"a\": \"1\",\n    \"d\": \"2\",\n    \"b\": \"2\"\n  }\n}\n");
}

#[test]
fn sorted_section_gets_each_entry_in_place() {
    given("{\n  \"dependencies\": {\n    \"@a/x\": \"1\",\n    \"m\": \"1\"\n  }\n}\n")
        .running(&[dep("z", "2"), dep("@struktoai/mirage-core", "2"), dep("a", "2")])
        .produces("{\n  \"dependencies\": {\n    \"@a/x\": \"1\",\n    \"@struktoai/mirage-core\": \"2\",\n    \"a\": \"2\",\n    \"m\": \"1\",\n    \"z\": \"2\"\n  }\n}\n");
}

#[test]
fn first_position_copies_the_leading_indentation() {
    given("{\n  \"dependencies\": {\n    \"b\": \"1\",\n    \"c\": \"1\"\n  }\n}")
        .adding("a", "2")
        .produces("{\n  \"dependencies\": {\n    \"a\": \"2\",\n    \"b\": \"1\",\n    \"c\": \"1\"\n  }\n}");
}

#[test]
fn npm_order_puts_underscore_before_hyphen() {
    // `localeCompare` sorts `_` before `-`; byte order does the opposite
    given("{\"dependencies\": {\"a_b\": \"1\", \"a-c\": \"1\"}}")
        .adding("a-a", "2")
        .produces("{\"dependencies\": {\"a_b\": \"1\", \"a-a\": \"2\", \"a-c\": \"1\"}}");
}

#[test]
fn code_unit_order_is_recognised_too() {
    // `B` < `a` in code units, not in npm's order
    given("{\"dependencies\": {\"B\": \"1\", \"a\": \"1\", \"c\": \"1\"}}")
        .adding("b", "2")
        .produces("{\"dependencies\": {\"B\": \"1\", \"a\": \"1\", \"b\": \"2\", \"c\": \"1\"}}");
}

#[test]
fn empty_section_expands_one_level_deeper_than_its_key() {
    given("{\n  \"name\": \"x\",\n  \"dependencies\": {}\n}\n")
        .running(&[dep("b", "1"), dep("a", "1")])
        .produces("{\n  \"name\": \"x\",\n  \"dependencies\": {\n    \"a\": \"1\",\n    \"b\": \"1\"\n  }\n}\n");
}

#[test]
fn empty_section_over_two_lines_keeps_its_closing_line() {
    given("{\n  \"dependencies\": {\n  }\n}\n")
        .adding("a", "1")
        .produces("{\n  \"dependencies\": {\n    \"a\": \"1\"\n  }\n}\n");
}

#[test]
fn missing_section_is_created_at_the_end() {
    given("{\n  \"name\": \"x\",\n  \"version\": \"1.0.0\"\n}\n")
        .running(&[dep("b", "1"), dep("a", "1")])
        .produces("{\n  \"name\": \"x\",\n  \"version\": \"1.0.0\",\n  \"dependencies\": {\n    \"a\": \"1\",\n    \"b\": \"1\"\n  }\n}\n");
}

#[test]
fn missing_section_after_a_nested_last_value() {
    given("{\n  \"scripts\": {\n    \"dev\": \"vite\"\n  }\n}\n")
        .adding("a", "1")
        .produces("{\n  \"scripts\": {\n    \"dev\": \"vite\"\n  },\n  \"dependencies\": {\n    \"a\": \"1\"\n  }\n}\n");
}

#[test]
fn empty_document_object_gets_npm_layout() {
    given("{}\n")
        .adding("a", "1")
        .produces("{\n  \"dependencies\": {\n    \"a\": \"1\"\n  }\n}\n");
}

#[test]
fn minified_stays_on_one_line() {
    given("{\"name\":\"x\",\"dependencies\":{\"a\":\"1\"}}")
        .adding("b", "2")
        .produces("{\"name\":\"x\",\"dependencies\":{\"a\":\"1\",\"b\":\"2\"}}");
}

#[test]
fn minified_missing_section_stays_on_one_line() {
    given("{\"name\":\"x\"}")
        .adding("a", "1")
        .produces("{\"name\":\"x\",\"dependencies\":{\"a\":\"1\"}}");
}

#[test]
fn minified_empty_section_stays_on_one_line() {
    given("{\"name\":\"x\",\"dependencies\":{}}\n")
        .running(&[dep("b", "2"), dep("a", "1")])
        .produces("{\"name\":\"x\",\"dependencies\":{\"a\":\"1\",\"b\":\"2\"}}\n");
}

#[test]
fn one_line_with_spaces_copies_the_spaces() {
    given("{ \"name\": \"x\" }")
        .adding("a", "1")
        .produces("{ \"name\": \"x\", \"dependencies\": { \"a\": \"1\" } }");
}

#[test]
fn one_line_section_in_a_multiline_document_stays_on_one_line() {
    given("{\n  \"dependencies\": {\"a\": \"1\"}\n}\n")
        .adding("b", "2")
        .produces("{\n  \"dependencies\": {\"a\": \"1\", \"b\": \"2\"}\n}\n");
}

#[test]
fn colon_spacing_is_copied_from_the_neighbour() {
    given("{\n  \"dependencies\": {\n    \"a\" : \"1\"\n  }\n}\n")
        .adding("b", "2")
        .produces("{\n  \"dependencies\": {\n    \"a\" : \"1\",\n    \"b\" : \"2\"\n  }\n}\n");
}

#[test]
fn blank_lines_inside_the_section_survive() {
    given("{\n  \"dependencies\": {\n\n    \"a\": \"1\"\n\n  }\n}\n")
        .adding("b", "2")
        .produces("{\n  \"dependencies\": {\n\n    \"a\": \"1\",\n    \"b\": \"2\"\n\n  }\n}\n");
}

#[test]
fn non_ascii_and_escapes_elsewhere_survive() {
    given("{\n  \"description\": \"caf\u{e9} \\u00e9 \\\"q\\\" \\/ \u{1f600}\",\n  \"dependencies\": {}\n}\n")
        .adding("a", "1")
        .produces("{\n  \"description\": \"caf\u{e9} \\u00e9 \\\"q\\\" \\/ \u{1f600}\",\n  \"dependencies\": {\n    \"a\": \"1\"\n  }\n}\n");
}

// ---------------------------------------------------------------------------------------------
// present, raised

#[test]
fn present_in_dev_dependencies_is_left_alone() {
    let outcomes = given("{\n  \"devDependencies\": {\n    \"a\": \"~0.1\"\n  }\n}\n")
        .adding("a", "^1")
        .produces("{\n  \"devDependencies\": {\n    \"a\": \"~0.1\"\n  }\n}\n");
    assert_eq!(
        outcomes,
        [DepOutcome::AlreadyPresent {
            section: "devDependencies".to_string(),
            range: "~0.1".to_string()
        }]
    );
}

#[test]
fn escaped_key_matches_its_decoded_name() {
    let outcomes = given("{\"dependencies\": {\"\\u0040scope/x\": \"1\"}}")
        .adding("@scope/x", "2")
        .produces("{\"dependencies\": {\"\\u0040scope/x\": \"1\"}}");
    assert!(matches!(outcomes[0], DepOutcome::AlreadyPresent { .. }));
}

#[test]
fn replaceable_range_is_raised() {
    let request = DepRequest {
        replaceable: vec!["^0.0.1".to_string()],
        ..dep("a", "^0.0.2")
    };
    let outcomes =
        given("{\n  \"dependencies\": {\n    \"a\":   \"^0.0.1\",\n    \"b\": \"1\"\n  }\n}\n")
            .running(&[request])
            .produces(
                "{\n  \"dependencies\": {\n    \"a\":   \"^0.0.2\",\n    \"b\": \"1\"\n  }\n}\n",
            );
    assert_eq!(
        outcomes,
        [DepOutcome::Raised {
            section: "dependencies".to_string(),
            from: "^0.0.1".to_string()
        }]
    );
}

#[test]
fn user_range_is_not_raised() {
    let request = DepRequest {
        replaceable: vec!["^0.0.1".to_string()],
        ..dep("a", "^0.0.2")
    };
    let outcomes = given("{\"dependencies\": {\"a\": \"^0.0.0\"}}")
        .running(&[request])
        .produces("{\"dependencies\": {\"a\": \"^0.0.0\"}}");
    assert!(matches!(outcomes[0], DepOutcome::AlreadyPresent { .. }));
}

#[test]
fn raise_and_add_at_the_same_end() {
    let request = DepRequest {
        replaceable: vec!["1".to_string()],
        ..dep("a", "2")
    };
    let outcomes = given("{\"dependencies\": {\"a\": \"1\"}}")
        .running(&[request, dep("b", "3")])
        .produces("{\"dependencies\": {\"a\": \"2\", \"b\": \"3\"}}");
    assert_eq!(outcomes[1], added());
}

#[test]
fn outcomes_follow_request_order() {
    let outcomes = given("{\"dependencies\": {\"b\": \"1\"}}")
        .running(&[dep("c", "1"), dep("b", "2"), dep("a", "1"), dep("c", "9")])
        .produces("{\"dependencies\": {\"a\": \"1\", \"b\": \"1\", \"c\": \"1\"}}");
    assert_eq!(
        outcomes,
        [
            added(),
            DepOutcome::AlreadyPresent {
                section: "dependencies".to_string(),
                range: "1".to_string()
            },
            added(),
            DepOutcome::AlreadyPresent {
                section: "dependencies".to_string(),
                range: "1".to_string()
            },
        ]
    );
}

#[test]
fn nothing_to_add_returns_the_text_unchanged() {
    given("\u{feff}{\"dependencies\": {\"a\": \"1\"}}")
        .adding("a", "2")
        .produces("\u{feff}{\"dependencies\": {\"a\": \"1\"}}");
}

// ---------------------------------------------------------------------------------------------
// reading

#[test]
fn lookups_read_top_level_values() {
    let m = Manifest::parse(
        "{\"name\": \"x\", \"packageManager\": \"pnpm@10.1.0\", \"workspaces\": [\"a\"], \"n\": 1, \"devDependencies\": {\"v\": {\"x\": 1}}}",
    )
    .unwrap();
    assert_eq!(
        m.string_field("packageManager").as_deref(),
        Some("pnpm@10.1.0")
    );
    assert_eq!(m.string_field("n"), None);
    assert!(m.has_key("workspaces"));
    assert!(!m.has_key("prettier"));
    assert_eq!(m.value("workspaces"), Some(serde_json::json!(["a"])));
    assert_eq!(
        m.dependency("v"),
        Some(DepEntry {
            section: "devDependencies".to_string(),
            range: "{\"x\": 1}".to_string()
        })
    );
    assert_eq!(m.dependency("w"), None);
}

// ---------------------------------------------------------------------------------------------
// errors

#[test]
fn trailing_comma_is_refused() {
    given("{\n  \"a\": 1,\n}\n").fails_with(
        "invalid_manifest",
        "invalid JSON: trailing comma",
        2,
        9,
    );
}

#[test]
fn comment_is_refused() {
    given("{\n  // hi\n  \"a\": 1\n}\n").fails_with(
        "invalid_manifest",
        "invalid JSON: comments are not allowed",
        2,
        3,
    );
}

#[test]
fn truncated_file_is_refused() {
    given("{\n  \"a\": {\n    \"b\": 1\n").fails_with(
        "invalid_manifest",
        "invalid JSON: this `{` is never closed (is the file cut short?)",
        2,
        8,
    );
}

#[test]
fn empty_file_is_refused() {
    given("").fails_with("invalid_manifest", "invalid JSON: the file is empty", 1, 1);
}

#[test]
fn single_quotes_are_refused() {
    given("{'a': 1}").fails_with(
        "invalid_manifest",
        "invalid JSON: strings must use double quotes",
        1,
        2,
    );
}

#[test]
fn control_character_in_a_string_is_refused() {
    let err = given("{\n  \"a\": \"x\ty\"\n}").fails_with(
        "invalid_manifest",
        "invalid JSON: control character (\\u0000-\\u001F) found while parsing a string",
        2,
        10,
    );
    assert_eq!(err.first_line, None);
}

#[test]
fn columns_do_not_count_the_bom() {
    given("\u{feff}{\"a\": 1,}").fails_with(
        "invalid_manifest",
        "invalid JSON: trailing comma",
        1,
        8,
    );
}

#[test]
fn columns_count_characters() {
    given("{\"\u{e9}\u{e9}\": 1,}").fails_with(
        "invalid_manifest",
        "invalid JSON: trailing comma",
        1,
        9,
    );
}

#[test]
fn crlf_lines_are_counted_once() {
    given("{\r\n\r\n  \"a\": 1,\r\n}").fails_with(
        "invalid_manifest",
        "invalid JSON: trailing comma",
        3,
        9,
    );
}

#[test]
fn top_level_array_is_refused() {
    given("\n[]").fails_with("not_an_object", "`package.json` is not a JSON object", 2, 1);
}

#[test]
fn dependencies_array_is_refused() {
    given("{\n  \"dependencies\": [\"a\"]\n}").fails_with(
        "not_an_object",
        "`dependencies` is not an object",
        2,
        19,
    );
}

#[test]
fn peer_dependencies_string_is_refused() {
    given("{\n  \"peerDependencies\": \"a\"\n}").fails_with(
        "not_an_object",
        "`peerDependencies` is not an object",
        2,
        23,
    );
}

#[test]
fn duplicate_top_level_key_is_refused() {
    let err = given("{\n  \"dependencies\": {},\n  \"name\": \"x\",\n  \"dependencies\": {}\n}")
        .fails_with(
            "duplicate_key",
            "`package.json` has two `dependencies` keys",
            4,
            3,
        );
    assert_eq!((err.first_line, err.first_column), (Some(2), Some(3)));
}

#[test]
fn duplicate_dependency_is_refused() {
    let err = given("{\n  \"dependencies\": {\n    \"a\": \"1\",\n    \"\\u0061\": \"2\"\n  }\n}")
        .fails_with("duplicate_key", "`dependencies` has two `a` keys", 4, 5);
    assert_eq!((err.first_line, err.first_column), (Some(3), Some(5)));
}

#[test]
fn duplicate_keys_elsewhere_are_allowed() {
    assert!(Manifest::parse("{\"scripts\": {\"a\": \"1\", \"a\": \"2\"}}").is_ok());
}

#[test]
fn messages_start_lowercase_except_acronyms() {
    assert_eq!(lowercase_first("Unexpected token"), "unexpected token");
    assert_eq!(lowercase_first("EOF while parsing"), "EOF while parsing");
    assert_eq!(lowercase_first(""), "");
}

// ---------------------------------------------------------------------------------------------
// performance

#[test]
fn twenty_thousand_dependencies_edit_in_sorted_place() {
    let mut text = String::from("{\n  \"name\": \"big\",\n  \"dependencies\": {\n");
    for i in 0..20_000 {
        text.push_str(&format!("    \"pkg-{i:05}\": \"^1.0.0\",\n"));
    }
    text.push_str("    \"zzz\": \"1\"\n  }\n}\n");
    let manifest = Manifest::parse(&text).unwrap();
    let (out, outcomes) = manifest
        .add_dependencies(&[
            dep("pkg-10000a", "1"),
            dep("aaa", "1"),
            dep("pkg-00001", "2"),
        ])
        .unwrap();
    assert_eq!(outcomes[0], added());
    assert!(
        out.contains("\"pkg-10000\": \"^1.0.0\",\n    \"pkg-10000a\": \"1\",\n    \"pkg-10001\"")
    );
    // Its speed is measured by scripts/bench.sh, never asserted: a loaded
    // machine made this test flaky.
}

// ---------------------------------------------------------------------------------------------
// properties

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// A string as written (`raw`, with its quotes) and as read (`decoded`).
    #[derive(Debug, Clone)]
    struct Str {
        raw: String,
        decoded: String,
    }

    #[derive(Debug, Clone)]
    enum Node {
        Str(Str),
        Num(i64),
        Bool(bool),
        Null,
        Arr(Vec<Node>),
        Obj(Vec<(Str, Node)>),
    }

    /// How a document is laid out; `indent: None` writes it on one line.
    #[derive(Debug, Clone)]
    struct Style {
        indent: Option<&'static str>,
        newline: &'static str,
        colon: &'static str,
        /// One-line only: `, ` or `,`, and the spaces inside braces.
        separator: &'static str,
        pad: &'static str,
        bom: bool,
        final_newline: bool,
        /// Extra whitespace written, in turn, after each `{`, `[`, `,` and `:` and before each
        /// `}` and `]` (blank lines, stray spaces, mixed newlines); empty for none.
        noise: Vec<&'static str>,
    }

    fn push_noise(style: &Style, counter: &mut usize, out: &mut String) {
        if !style.noise.is_empty() {
            out.push_str(style.noise[*counter % style.noise.len()]);
            *counter += 1;
        }
    }

    fn encode_char(c: char, how: u8, raw: &mut String) {
        let short = match c {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '/' => Some("\\/"),
            '\u{8}' => Some("\\b"),
            '\u{c}' => Some("\\f"),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            '\t' => Some("\\t"),
            _ => None,
        };
        let must_escape = c < ' ' || c == '"' || c == '\\';
        match (how % 3, short) {
            (0, _) if !must_escape => raw.push(c),
            (1, Some(s)) => raw.push_str(s),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    if how.is_multiple_of(2) {
                        raw.push_str(&format!("\\u{unit:04x}"));
                    } else {
                        raw.push_str(&format!("\\u{unit:04X}"));
                    }
                }
            }
        }
    }

    fn str_from(chars: Vec<(char, u8)>) -> Str {
        let mut raw = String::from("\"");
        let mut decoded = String::new();
        for (c, how) in chars {
            encode_char(c, how, &mut raw);
            decoded.push(c);
        }
        raw.push('"');
        Str { raw, decoded }
    }

    fn plain(s: &str) -> Str {
        Str {
            raw: json_string(s),
            decoded: s.to_string(),
        }
    }

    fn any_char() -> impl Strategy<Value = char> {
        prop_oneof![
            4 => proptest::char::range('a', 'z'),
            1 => proptest::sample::select(vec![
                '"', '\\', '/', '\n', '\t', '\r', '\u{0}', '\u{1f}', ' ', '{', '}', ',', ':', '\u{e9}',
                '\u{65e5}', '\u{1f600}', '\u{feff}', '\u{2028}', '\u{7f}', '@', '-', '_', '.'
            ]),
        ]
    }

    fn any_str() -> impl Strategy<Value = Str> {
        proptest::collection::vec((any_char(), any::<u8>()), 0..8).prop_map(str_from)
    }

    fn any_node() -> impl Strategy<Value = Node> {
        let leaf = prop_oneof![
            any_str().prop_map(Node::Str),
            any::<i64>().prop_map(Node::Num),
            any::<bool>().prop_map(Node::Bool),
            Just(Node::Null),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Node::Arr),
                proptest::collection::vec((any_str(), inner), 0..4).prop_map(Node::Obj),
            ]
        })
    }

    const NAMES: [&str; 12] = [
        "a",
        "b",
        "z",
        "@scope/x",
        "@types/node",
        "left-pad",
        "lodash.merge",
        "a_b",
        "a-b",
        "react",
        "zod",
        "B",
    ];

    fn any_dep_name() -> impl Strategy<Value = Str> {
        (proptest::sample::select(NAMES.to_vec()), any::<bool>()).prop_map(|(name, escape)| {
            if escape {
                // write the first character as `\u00XX`
                let mut chars: Vec<(char, u8)> = name.chars().map(|c| (c, 0)).collect();
                chars[0].1 = 2;
                str_from(chars)
            } else {
                plain(name)
            }
        })
    }

    fn any_range() -> impl Strategy<Value = String> {
        proptest::sample::select(vec!["^1.0.0", "~2.1", "*", "1.2.3 - 2", "latest", "^0.0.1"])
            .prop_map(str::to_string)
    }

    /// Order of the generated `dependencies`.
    #[derive(Debug, Clone, Copy)]
    enum Sorting {
        Npm,
        CodeUnit,
        AsGenerated,
    }

    #[derive(Debug, Clone)]
    struct Case {
        style: Style,
        /// Top-level entries; `dependencies` and `devDependencies` among them, when present.
        root: Vec<(Str, Node)>,
        requests: Vec<DepRequest>,
    }

    fn dedup(entries: Vec<(Str, Node)>) -> Vec<(Str, Node)> {
        let mut seen = std::collections::HashSet::new();
        entries
            .into_iter()
            .filter(|(k, _)| seen.insert(k.decoded.clone()))
            .collect()
    }

    fn any_style() -> impl Strategy<Value = Style> {
        (
            proptest::sample::select(vec![None, Some("  "), Some("    "), Some("\t"), Some(" ")]),
            proptest::sample::select(vec!["\n", "\r\n"]),
            proptest::sample::select(vec![": ", ":", " : "]),
            proptest::sample::select(vec!["", " "]),
            any::<bool>(),
            any::<bool>(),
            prop_oneof![
                3 => Just(Vec::new()),
                1 => proptest::collection::vec(
                    proptest::sample::select(vec!["", " ", "\n", "\r\n", "\n\n  ", "\t", "\r"]),
                    1..6,
                ),
            ],
        )
            .prop_map(
                |(indent, newline, colon, pad, bom, final_newline, noise)| Style {
                    indent,
                    // formatters pair `": "` with `", "`; a one-entry object shows nothing else
                    separator: if colon.ends_with(' ') { ", " } else { "," },
                    newline,
                    colon,
                    pad,
                    bom,
                    final_newline,
                    noise,
                },
            )
    }

    fn any_case() -> impl Strategy<Value = Case> {
        let deps = || proptest::collection::vec((any_dep_name(), any_range()), 0..6);
        let section = proptest::option::of((
            deps(),
            proptest::sample::select(vec![Sorting::Npm, Sorting::CodeUnit, Sorting::AsGenerated]),
        ));
        let dev = proptest::option::of(deps());
        let others = proptest::collection::vec((any_str(), any_node()), 0..5);
        let requests = proptest::collection::vec(
            (
                proptest::sample::select(NAMES.to_vec()),
                any_range(),
                proptest::option::of(any_range()),
            ),
            1..4,
        );
        (
            any_style(),
            section,
            dev,
            others,
            requests,
            any::<prop::sample::Index>(),
        )
            .prop_map(|(style, section, dev, others, requests, at)| {
                let others: Vec<(Str, Node)> = others
                    .into_iter()
                    .filter(|(k, _)| !SECTIONS.contains(&k.decoded.as_str()))
                    .collect();
                let mut root = dedup(others);
                let to_obj = |deps: Vec<(Str, String)>| -> Vec<(Str, Node)> {
                    dedup(
                        deps.into_iter()
                            .map(|(k, v)| (k, Node::Str(plain(&v))))
                            .collect(),
                    )
                };
                if let Some((deps, sorting)) = section {
                    let mut deps = to_obj(deps);
                    match sorting {
                        Sorting::Npm => deps.sort_by(|a, b| npm_order(&a.0.decoded, &b.0.decoded)),
                        Sorting::CodeUnit => deps.sort_by(|a, b| a.0.decoded.cmp(&b.0.decoded)),
                        Sorting::AsGenerated => {}
                    }
                    let index = at.index(root.len() + 1);
                    root.insert(index, (plain("dependencies"), Node::Obj(deps)));
                }
                if let Some(dev) = dev {
                    root.push((plain("devDependencies"), Node::Obj(to_obj(dev))));
                }
                // the same name twice in one call is a caller's bug (the first wins, and a second
                // run could then raise it): keep one request per name
                let mut names = std::collections::HashSet::new();
                let requests = requests
                    .into_iter()
                    .filter(|(name, _, _)| names.insert(*name))
                    .map(|(name, range, old)| DepRequest {
                        name: name.to_string(),
                        range,
                        replaceable: old.into_iter().collect(),
                        section: "dependencies",
                    })
                    .collect();
                Case {
                    style,
                    root,
                    requests,
                }
            })
    }

    fn print(node: &Node, style: &Style, depth: usize, counter: &mut usize, out: &mut String) {
        let entries: Vec<(Option<&Str>, &Node)> = match node {
            Node::Str(s) => return out.push_str(&s.raw),
            Node::Num(n) => return out.push_str(&n.to_string()),
            Node::Bool(b) => return out.push_str(&b.to_string()),
            Node::Null => return out.push_str("null"),
            Node::Arr(items) => items.iter().map(|n| (None, n)).collect(),
            Node::Obj(props) => props.iter().map(|(k, n)| (Some(k), n)).collect(),
        };
        let (open, close) = if matches!(node, Node::Arr(_)) {
            ('[', ']')
        } else {
            ('{', '}')
        };
        out.push(open);
        push_noise(style, counter, out);
        if !entries.is_empty() {
            let last = entries.len() - 1;
            for (i, (key, value)) in entries.into_iter().enumerate() {
                match style.indent {
                    Some(unit) => {
                        out.push_str(style.newline);
                        out.push_str(&unit.repeat(depth + 1));
                    }
                    None if i == 0 => out.push_str(style.pad),
                    None => {}
                }
                if let Some(key) = key {
                    out.push_str(&key.raw);
                    out.push_str(style.colon);
                    push_noise(style, counter, out);
                }
                print(value, style, depth + 1, counter, out);
                if i < last {
                    out.push_str(if style.indent.is_some() {
                        ","
                    } else {
                        style.separator
                    });
                    push_noise(style, counter, out);
                }
            }
            match style.indent {
                Some(unit) => {
                    out.push_str(style.newline);
                    out.push_str(&unit.repeat(depth));
                }
                None => out.push_str(style.pad),
            }
            push_noise(style, counter, out);
        }
        out.push(close);
    }

    fn document(case: &Case, root: &[(Str, Node)]) -> String {
        let mut out = String::new();
        if case.style.bom {
            out.push('\u{feff}');
        }
        print(&Node::Obj(root.to_vec()), &case.style, 0, &mut 0, &mut out);
        if case.style.final_newline {
            out.push_str(case.style.newline);
        }
        out
    }

    /// The document the edit should produce: the same printer, run on the expected value.
    fn expected(case: &Case, outcomes: &[DepOutcome]) -> String {
        let mut root = case.root.clone();
        let mut new: Vec<(Str, Node)> = Vec::new();
        for (req, outcome) in case.requests.iter().zip(outcomes) {
            match outcome {
                DepOutcome::Added { .. } => {
                    new.push((plain(&req.name), Node::Str(plain(&req.range))))
                }
                DepOutcome::Raised { section, .. } => {
                    let (_, Node::Obj(deps)) = root
                        .iter_mut()
                        .find(|(k, _)| &k.decoded == section)
                        .unwrap()
                    else {
                        unreachable!()
                    };
                    let (_, value) = deps
                        .iter_mut()
                        .find(|(k, _)| k.decoded == req.name)
                        .unwrap();
                    *value = Node::Str(plain(&req.range));
                }
                DepOutcome::AlreadyPresent { .. } => {}
            }
        }
        if !new.is_empty() {
            match root.iter_mut().find(|(k, _)| k.decoded == "dependencies") {
                Some((_, Node::Obj(deps))) => {
                    let keys = || deps.iter().map(|(k, _)| k.decoded.as_str());
                    let sorted = |cmp: fn(&str, &str) -> Ordering| {
                        keys()
                            .zip(keys().skip(1))
                            .all(|(a, b)| cmp(a, b) != Ordering::Greater)
                    };
                    let order: Option<fn(&str, &str) -> Ordering> = if sorted(npm_order) {
                        Some(npm_order)
                    } else if sorted(|a, b| a.cmp(b)) {
                        Some(|a, b| a.cmp(b))
                    } else {
                        None
                    };
                    match order {
                        Some(cmp) => {
                            for entry in new {
                                let at = deps.partition_point(|(k, _)| {
                                    cmp(&k.decoded, &entry.0.decoded) != Ordering::Greater
                                });
                                deps.insert(at, entry);
                            }
                        }
                        None => deps.extend(new),
                    }
                }
                Some(_) => unreachable!(),
                None => {
                    new.sort_by(|a, b| npm_order(&a.0.decoded, &b.0.decoded));
                    root.push((plain("dependencies"), Node::Obj(new)));
                }
            }
        }
        let mut case = case.clone();
        if case.root.is_empty() {
            // `{}` gives no style to copy: expect npm's, with the file's newline if it has one
            case.style.indent = Some("  ");
            case.style.colon = ": ";
            if !case.style.final_newline {
                case.style.newline = "\n";
            }
        }
        document(&case, &root)
    }

    /// Whether `small` can be obtained by deleting characters from `big`.
    fn is_subsequence(small: &str, big: &str) -> bool {
        let mut big = big.chars();
        small.chars().all(|c| big.any(|b| b == c))
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(512),
            ..ProptestConfig::default()
        })]

        #[test]
        fn edit_matches_the_printer_and_only_inserts(case in any_case()) {
            let input = document(&case, &case.root);
            let manifest = Manifest::parse(&input).map_err(|e| TestCaseError::fail(format!("{e:?}\n{input}")))?;
            let (output, outcomes) = manifest.add_dependencies(&case.requests).unwrap();
            prop_assert_eq!(outcomes.len(), case.requests.len());

            // (1) the value is the input's plus the new dependencies
            let strip = |s: &str| s.strip_prefix('\u{feff}').unwrap_or(s).to_string();
            let mut want: Value = serde_json::from_str(&strip(&input)).unwrap();
            for (req, outcome) in case.requests.iter().zip(&outcomes) {
                match outcome {
                    DepOutcome::Added { section } | DepOutcome::Raised { section, .. } => {
                        let object = want.as_object_mut().unwrap().entry(section.clone()).or_insert_with(|| serde_json::json!({}));
                        object.as_object_mut().unwrap().insert(req.name.clone(), Value::String(req.range.clone()));
                    }
                    DepOutcome::AlreadyPresent { .. } => {}
                }
            }
            let got: Value = serde_json::from_str(&strip(&output)).unwrap();
            prop_assert_eq!(&got, &want);

            // (2) nothing but insertions, unless a range was raised
            if !outcomes.iter().any(|o| matches!(o, DepOutcome::Raised { .. })) {
                prop_assert!(is_subsequence(&input, &output), "not only insertions:\n{}\n{}", input, output);
            }

            // the layout is the one the document already uses (noise makes it irregular)
            if case.style.noise.is_empty() {
                prop_assert_eq!(&output, &expected(&case, &outcomes));
            }

            // (3) running again changes nothing
            let again = Manifest::parse(&output).unwrap();
            let (output2, outcomes2) = again.add_dependencies(&case.requests).unwrap();
            prop_assert_eq!(&output2, &output);
            let all_present = outcomes2.iter().all(|o| matches!(o, DepOutcome::AlreadyPresent { .. }));
            prop_assert!(all_present, "second run: {:?}", outcomes2);
        }

        #[test]
        fn parse_never_panics(text in "\\PC*") {
            let _ = Manifest::parse(&text);
        }

        #[test]
        fn parse_never_panics_on_json_like_text(text in "[\u{feff}{}\\[\\]\",:\\\\ \t\r\nabu0-9/*.eE+-]{0,40}") {
            if let Ok(manifest) = Manifest::parse(&text) {
                let _ = manifest.add_dependencies(&[dep("a", "1")]);
            }
        }

        #[test]
        fn errors_point_inside_the_text(text in "[{}\\[\\]\",:a1 \r\n]{0,30}") {
            if let Err(err) = Manifest::parse(&text) {
                let line = err.line.unwrap();
                let lines = text.split("\r\n").flat_map(|l| l.split(['\n', '\r'])).count();
                prop_assert!(line >= 1 && line <= lines.max(1), "{:?} in {:?}", err, text);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// devDependencies

fn dev(name: &str, range: &str) -> DepRequest {
    DepRequest {
        section: "devDependencies",
        ..dep(name, range)
    }
}

#[test]
fn dev_dependency_goes_to_an_existing_dev_section() {
    let outcomes = given("{\n  \"dependencies\": {\n    \"a\": \"1\"\n  },\n  \"devDependencies\": {\n    \"x\": \"1\"\n  }\n}\n")
        .running(&[dep("b", "2"), dev("y", "3")])
        .produces("{\n  \"dependencies\": {\n    \"a\": \"1\",\n    \"b\": \"2\"\n  },\n  \"devDependencies\": {\n    \"x\": \"1\",\n    \"y\": \"3\"\n  }\n}\n");
    assert_eq!(
        outcomes[1],
        DepOutcome::Added {
            section: "devDependencies".to_string()
        }
    );
}

#[test]
fn both_sections_created_in_order() {
    given("{\n  \"name\": \"x\"\n}\n")
        .running(&[dev("y", "3"), dep("b", "2")])
        .produces("{\n  \"name\": \"x\",\n  \"dependencies\": {\n    \"b\": \"2\"\n  },\n  \"devDependencies\": {\n    \"y\": \"3\"\n  }\n}\n");
    given("{}")
        .running(&[dev("y", "3"), dep("b", "2")])
        .produces("{\n  \"dependencies\": {\n    \"b\": \"2\"\n  },\n  \"devDependencies\": {\n    \"y\": \"3\"\n  }\n}");
    given("{\"name\": \"x\"}")
        .running(&[dev("y", "3"), dep("b", "2")])
        .produces("{\"name\": \"x\", \"dependencies\": {\"b\": \"2\"}, \"devDependencies\": {\"y\": \"3\"}}");
}

#[test]
fn dev_dependency_present_in_dependencies_is_left_alone() {
    let outcomes = given("{\"dependencies\": {\"y\": \"1\"}}")
        .running(&[dev("y", "3")])
        .produces("{\"dependencies\": {\"y\": \"1\"}}");
    assert!(
        matches!(&outcomes[0], DepOutcome::AlreadyPresent { section, .. } if section == "dependencies")
    );
}
