//! Invariants of SPEC §13, as property tests over the real binary:
//!
//! For every supported style S (quotes, semicolons, indent 2/4/tab, widths
//! 80–120, trailing commas, LF/CRLF; read from Prettier, Biome or
//! EditorConfig) and every version pair a < b of every blueprint:
//! - render(a, S) upgraded under S is byte-identical to render(b, S);
//! - a re-run after it writes nothing and does not call the file edited;
//! - with a user insertion, the insertion survives and the rest is render(b, S);
//! - no output contains `\r\r` or mixes line endings.

use std::fs;
use std::path::Path;
use std::process::Command;

use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Style {
    single: bool,
    semi: bool,
    /// 0 = tabs, else that many spaces.
    indent: u8,
    width: u32,
    /// "all", "es5" or "none".
    commas: &'static str,
    crlf: bool,
    /// "prettier", "biome" or "editorconfig".
    source: &'static str,
}

fn style() -> impl Strategy<Value = Style> {
    (
        any::<bool>(),
        any::<bool>(),
        prop::sample::select(vec![0u8, 2, 4]),
        80u32..=120,
        prop::sample::select(vec!["all", "es5", "none"]),
        any::<bool>(),
        prop::sample::select(vec!["prettier", "biome", "editorconfig"]),
    )
        .prop_map(
            |(single, semi, indent, width, commas, crlf, source)| Style {
                single,
                semi,
                indent,
                width,
                commas,
                crlf,
                source,
            },
        )
}

/// Writes the style's config file; returns nothing, the project reads it.
fn write_style(dir: &Path, s: &Style) {
    let eol = if s.crlf { "crlf" } else { "lf" };
    match s.source {
        "prettier" => {
            let indent = if s.indent == 0 {
                "\"useTabs\": true".to_string()
            } else {
                format!("\"tabWidth\": {}", s.indent)
            };
            let config = format!(
                "{{\"singleQuote\": {}, \"semi\": {}, {indent}, \"printWidth\": {}, \"trailingComma\": \"{}\", \"endOfLine\": \"{eol}\"}}\n",
                s.single, s.semi, s.width, s.commas
            );
            fs::write(dir.join(".prettierrc"), config).unwrap();
        }
        "biome" => {
            let (style, width) = if s.indent == 0 {
                ("tab", 2)
            } else {
                ("space", s.indent)
            };
            let config = format!(
                "{{\"formatter\": {{\"indentStyle\": \"{style}\", \"indentWidth\": {width}, \"lineWidth\": {}, \"lineEnding\": \"{eol}\"}}, \"javascript\": {{\"formatter\": {{\"quoteStyle\": \"{}\", \"semicolons\": \"{}\", \"trailingCommas\": \"{}\"}}}}}}\n",
                s.width,
                if s.single { "single" } else { "double" },
                if s.semi { "always" } else { "asNeeded" },
                s.commas
            );
            fs::write(dir.join("biome.json"), config).unwrap();
        }
        _ => {
            let indent = if s.indent == 0 {
                "indent_style = tab\n".to_string()
            } else {
                format!("indent_style = space\nindent_size = {}\n", s.indent)
            };
            let config = format!(
                "root = true\n\n[*]\nend_of_line = {eol}\n{indent}max_line_length = {}\n",
                s.width
            );
            fs::write(dir.join(".editorconfig"), config).unwrap();
        }
    }
}

fn project(s: &Style) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    fs::write(
        d.path().join("package.json"),
        "{\n  \"dependencies\": {\n    \"@flue/runtime\": \"^2.1.0\"\n  }\n}\n",
    )
    .unwrap();
    fs::create_dir(d.path().join("src")).unwrap();
    write_style(d.path(), s);
    d
}

/// Runs flue in `dir` as an agent would (CI, no stdin): exit code and stdout.
fn flue(dir: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_flue"))
        .args(args)
        .arg("--json")
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("CI", "true")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (out.status.code().unwrap_or(-1), json)
}

fn adapter(dir: &Path, output: &str) -> String {
    fs::read_to_string(dir.join("src").join(output)).unwrap()
}

/// The file as `flue add <id>@<v>` renders it under `s`.
fn render(s: &Style, id: &str, v: u32, output: &str) -> String {
    let d = project(s);
    let (kind, name) = id.split_once('/').unwrap();
    let (code, json) = flue(d.path(), &["add", kind, &format!("{name}@{v}"), "--yes"]);
    assert_eq!(code, 0, "{json}");
    adapter(d.path(), output)
}

fn assert_line_endings(text: &str, s: &Style, what: &str) {
    assert!(!text.contains("\r\r"), "{what}: doubled carriage return");
    let crlf = text.matches("\r\n").count();
    let lf = text.matches('\n').count();
    if s.crlf {
        assert_eq!(crlf, lf, "{what}: mixed line endings in a CRLF style");
    } else {
        assert_eq!(crlf, 0, "{what}: CRLF in an LF style");
    }
}

fn note(json: &serde_json::Value) -> String {
    json["files"][0]["note"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Every (blueprint id, output path, a, b) with a < b.
fn pairs() -> Vec<(String, &'static str, u32, u32)> {
    let mut out = Vec::new();
    for bp in flue::blueprint::CATALOG {
        for (i, a) in bp.versions.iter().enumerate() {
            for b in &bp.versions[i + 1..] {
                out.push((bp.id(), bp.output, a.number, b.number));
            }
        }
    }
    assert!(
        !out.is_empty(),
        "the catalog has a blueprint with two versions"
    );
    out
}

fn check_upgrade(s: &Style, id: &str, output: &str, a: u32, b: u32, insertion: Option<&str>) {
    let expected_new = render(s, id, b, output);
    assert_line_endings(&expected_new, s, "render(b)");
    let d = project(s);
    let (kind, name) = id.split_once('/').unwrap();
    let (code, json) = flue(d.path(), &["add", kind, &format!("{name}@{a}"), "--yes"]);
    assert_eq!(code, 0, "{json}");
    let old = adapter(d.path(), output);
    assert_line_endings(&old, s, "render(a)");
    let newline = if s.crlf { "\r\n" } else { "\n" };
    if let Some(ins) = insertion {
        let edited = format!("{old}{newline}{ins}{newline}");
        fs::write(d.path().join("src").join(output), edited).unwrap();
    }
    let (code, json) = flue(d.path(), &["update", kind, name, "--yes"]);
    assert_eq!(code, 0, "upgrade {id}@{a}→{b} under {s:?}: {json}");
    let upgraded = adapter(d.path(), output);
    assert_line_endings(&upgraded, s, "upgraded");
    let expected = match insertion {
        None => expected_new,
        Some(ins) => format!("{expected_new}{newline}{ins}{newline}"),
    };
    assert!(
        upgraded == expected,
        "upgrade {id}@{a}→{b} under {s:?} differs from the render:\n{}",
        similar::TextDiff::from_lines(&expected, &upgraded).unified_diff()
    );
    let (code, json) = flue(d.path(), &["add", kind, name]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["files"][0]["action"], "unchanged", "{json}");
    assert_eq!(json["files"][0]["written"], false, "{json}");
    if insertion.is_none() {
        assert!(
            !note(&json).contains("edited"),
            "re-run says edited: {json}"
        );
    }
    assert_eq!(
        adapter(d.path(), output),
        upgraded,
        "the re-run rewrote the file"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn an_upgrade_under_any_style_is_the_new_render(s in style()) {
        for (id, output, a, b) in pairs() {
            check_upgrade(&s, &id, output, a, b, None);
        }
    }

    #[test]
    fn a_user_insertion_survives_an_upgrade_under_any_style(s in style()) {
        for (id, output, a, b) in pairs() {
            check_upgrade(&s, &id, output, a, b, Some("export const userNote = 1;"));
        }
    }

    #[test]
    fn a_fresh_render_is_up_to_date_on_a_re_run(s in style()) {
        for bp in flue::blueprint::CATALOG {
            let d = project(&s);
            let (code, json) = flue(d.path(), &["add", bp.kind, bp.name, "--yes"]);
            if code != 0 {
                // A blueprint that refuses this project's target is not this test's subject.
                prop_assume!(json["error"]["code"] == "unsupported_target", "{}", json);
                continue;
            }
            let text = adapter(d.path(), bp.output);
            assert_line_endings(&text, &s, "fresh render");
            let (code, json) = flue(d.path(), &["add", bp.kind, bp.name]);
            prop_assert_eq!(code, 0);
            prop_assert_eq!(note(&json), "up to date");
        }
    }
}
