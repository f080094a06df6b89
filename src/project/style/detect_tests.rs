use super::*;
use std::collections::HashMap;

fn files(list: &[(&str, &str)]) -> HashMap<String, String> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn detect_in(list: &[(&str, &str)]) -> Detected {
    let map = files(list);
    detect(&|name| map.get(name).cloned(), None).unwrap()
}

fn detect_err(list: &[(&str, &str)]) -> StyleError {
    let map = files(list);
    detect(&|name| map.get(name).cloned(), None).unwrap_err()
}

fn source(d: &Detected) -> Option<(&str, &str)> {
    d.source.as_ref().map(|s| (s.file.as_str(), s.kind))
}

#[test]
fn nothing_means_prettier_default() {
    let d = detect_in(&[]);
    assert!(d.style.is_default());
    assert_eq!(d.source, None);
    assert!(d.notes.is_empty());
}

#[test]
fn every_file_read_is_listed() {
    let asked = std::cell::RefCell::new(Vec::new());
    let read = |name: &str| {
        asked.borrow_mut().push(name.to_string());
        None
    };
    detect(&read, None).unwrap();
    for name in asked.borrow().iter() {
        assert!(CONFIG_FILES.contains(&name.as_str()), "{name}");
    }
}

#[test]
fn prettierrc_as_json() {
    let d = detect_in(&[(
        ".prettierrc",
        "{ \"singleQuote\": true, \"useTabs\": true }",
    )]);
    assert_eq!(d.style.quotes, Quotes::Single);
    assert_eq!(d.style.indent, Indent::Tabs(2));
    assert_eq!(source(&d), Some((".prettierrc", "prettier")));
    assert_eq!(d.style.summary(), "singleQuote, tabs");
}

#[test]
fn prettierrc_as_yaml() {
    let d = detect_in(&[(".prettierrc", "# style\nsemi: false\nprintWidth: 100\n")]);
    assert!(!d.style.semicolons);
    assert_eq!(d.style.line_width, 100);
    assert_eq!(d.style.summary(), "semi: false, printWidth: 100");
}

#[test]
fn prettierrc_as_toml() {
    let d = detect_in(&[(".prettierrc", "trailingComma = \"es5\"\ntabWidth = 4\n")]);
    assert_eq!(d.style.trailing_commas, TrailingCommas::Es5);
    assert_eq!(d.style.indent, Indent::Spaces(4));
    assert_eq!(d.style.summary(), "trailingComma: es5, tabWidth: 4");
}

#[test]
fn prettierrc_empty_is_default() {
    let d = detect_in(&[(".prettierrc", "")]);
    assert!(d.style.is_default());
    assert_eq!(source(&d), Some((".prettierrc", "prettier")));
}

#[test]
fn other_prettier_files() {
    let json = detect_in(&[(".prettierrc.json", "{\"endOfLine\": \"crlf\"}")]);
    assert!(json.style.crlf);
    let yaml = detect_in(&[(".prettierrc.yaml", "singleQuote: true")]);
    assert_eq!(yaml.style.quotes, Quotes::Single);
    let yml = detect_in(&[(".prettierrc.yml", "useTabs: true\ntabWidth: 4")]);
    assert_eq!(yml.style.indent, Indent::Tabs(4));
    assert_eq!(yml.style.summary(), "tabs, tabWidth: 4");
    let toml = detect_in(&[(".prettierrc.toml", "semi = false")]);
    assert!(!toml.style.semicolons);
    let json5 = detect_in(&[(".prettierrc.json5", "{ semi: false, // no\n}")]);
    assert!(!json5.style.semicolons);
}

#[test]
fn package_json_key() {
    let value = serde_json::json!({ "singleQuote": true });
    let d = detect(&|_| None, Some(&value)).unwrap();
    assert_eq!(d.style.quotes, Quotes::Single);
    assert_eq!(source(&d), Some(("package.json#prettier", "prettier")));
}

#[test]
fn package_json_key_comes_first_as_in_prettier() {
    let value = serde_json::json!({ "semi": false });
    let map = files(&[(".prettierrc", "singleQuote: true")]);
    let d = detect(&|n| map.get(n).cloned(), Some(&value)).unwrap();
    assert!(!d.style.semicolons);
    assert_eq!(d.style.quotes, Quotes::Double);
}

#[test]
fn shared_config_package_is_a_note() {
    let value = serde_json::json!("@acme/prettier-config");
    let map = files(&[("biome.json", "{}")]);
    let d = detect(&|n| map.get(n).cloned(), Some(&value)).unwrap();
    assert!(d.style.is_default());
    assert_eq!(source(&d), Some(("package.json#prettier", "prettier")));
    assert!(
        d.notes[0].contains("`@acme/prettier-config`"),
        "{:?}",
        d.notes
    );
}

#[test]
fn js_configs_are_a_note() {
    for name in [
        "prettier.config.js",
        ".prettierrc.cjs",
        ".prettierrc.mjs",
        "prettier.config.ts",
    ] {
        let d = detect_in(&[
            (name, "export default { semi: false };"),
            ("biome.json", "{}"),
        ]);
        assert!(d.style.is_default(), "{name}");
        assert_eq!(source(&d), Some((name, "prettier")));
        assert_eq!(
            d.notes,
            vec![format!(
                "`{name}` is only executable as JavaScript; using the default style"
            )]
        );
    }
}

#[test]
fn prettier_file_order() {
    let d = detect_in(&[
        (".prettierrc.json", "{\"semi\": false}"),
        ("prettier.config.js", "module.exports = {}"),
        (".prettierrc.toml", "singleQuote = true"),
    ]);
    assert_eq!(source(&d), Some((".prettierrc.json", "prettier")));
    assert!(d.notes.is_empty());
}

#[test]
fn prettier_over_biome_over_editorconfig() {
    let all = [
        (".prettierrc", "semi: false"),
        ("biome.json", "{}"),
        (".editorconfig", "[*]\nindent_size = 4\n"),
    ];
    assert_eq!(source(&detect_in(&all)), Some((".prettierrc", "prettier")));
    assert_eq!(source(&detect_in(&all[1..])), Some(("biome.json", "biome")));
    assert_eq!(
        source(&detect_in(&all[2..])),
        Some((".editorconfig", "editorconfig"))
    );
}

#[test]
fn prettier_overrides_for_ts() {
    let d = detect_in(&[(
        ".prettierrc.json",
        r#"{ "semi": false, "overrides": [
            { "files": "*.ts", "options": { "singleQuote": true } },
            { "files": ["**/*.{ts,tsx}"], "options": { "printWidth": 120 } },
            { "files": "*.md", "options": { "useTabs": true } },
            { "files": "*.ts", "excludeFiles": "src/**", "options": { "tabWidth": 8 } }
        ] }"#,
    )]);
    assert!(!d.style.semicolons);
    assert_eq!(d.style.quotes, Quotes::Single);
    assert_eq!(d.style.line_width, 120);
    assert_eq!(d.style.indent, Indent::Spaces(2));
}

#[test]
fn editorconfig_fills_what_prettier_leaves() {
    let d = detect_in(&[
        (".prettierrc", "singleQuote: true\ntabWidth: 2"),
        (
            ".editorconfig",
            "root = true\n[*]\nindent_style = tab\nindent_size = 4\nend_of_line = crlf\n",
        ),
    ]);
    assert_eq!(d.style.indent, Indent::Tabs(2));
    assert!(d.style.crlf);
    assert_eq!(d.style.quotes, Quotes::Single);
    assert_eq!(
        d.notes,
        vec!["`.editorconfig` sets useTabs, endOfLine (Prettier reads it too)"]
    );
}

#[test]
fn editorconfig_sections() {
    let text = "\
root = true

[*]
indent_style = space
indent_size = 2

[*.{ts,tsx}]
indent_size = 4
max_line_length = 100

[*.md]
indent_size = 8

[{package.json,*.yml}]
indent_style = tab

[src/**.ts]
end_of_line = CRLF
";
    let d = detect_in(&[(".editorconfig", text)]);
    assert_eq!(d.style.indent, Indent::Spaces(4));
    assert_eq!(d.style.line_width, 100);
    assert!(d.style.crlf);
    assert_eq!(source(&d), Some((".editorconfig", "editorconfig")));
}

#[test]
fn editorconfig_tabs_and_unrelated_sections() {
    let d = detect_in(&[(
        ".editorconfig",
        "[*.ts]\nindent_style = tab\ntab_width = 4\n",
    )]);
    assert_eq!(d.style.indent, Indent::Tabs(4));
    let d = detect_in(&[(".editorconfig", "[*.py]\nindent_size = 4\n")]);
    assert!(d.style.is_default());
    assert_eq!(d.source, None);
}

#[test]
fn biome_defaults_are_tabs() {
    let d = detect_in(&[("biome.json", "{ \"$schema\": \"x\" }")]);
    assert_eq!(
        d.style,
        Style {
            indent: Indent::Tabs(2),
            ..Style::default()
        }
    );
    assert_eq!(d.style.summary(), "tabs");
    assert_eq!(source(&d), Some(("biome.json", "biome")));
}

#[test]
fn biome_options() {
    let d = detect_in(&[(
        "biome.jsonc",
        r#"{
            // house style
            "formatter": { "indentStyle": "space", "indentWidth": 4, "lineWidth": 100, "lineEnding": "crlf" },
            "javascript": { "formatter": { "quoteStyle": "single", "semicolons": "asNeeded", "trailingCommas": "es5", },
            },
        }"#,
    )]);
    assert_eq!(
        d.style,
        Style {
            indent: Indent::Spaces(4),
            quotes: Quotes::Single,
            semicolons: false,
            trailing_commas: TrailingCommas::Es5,
            line_width: 100,
            crlf: true,
        }
    );
    assert_eq!(
        d.style.summary(),
        "singleQuote, semi: false, trailingComma: es5, tabWidth: 4, printWidth: 100, endOfLine: crlf"
    );
}

#[test]
fn biome_javascript_section_wins_and_overrides_apply() {
    let d = detect_in(&[(
        "biome.json",
        r#"{ "formatter": { "indentStyle": "space", "lineWidth": 120 },
             "javascript": { "formatter": { "lineWidth": 90 } },
             "overrides": [
               { "includes": ["**/*.ts"], "javascript": { "formatter": { "quoteStyle": "single" } } },
               { "include": ["*.json"], "formatter": { "indentStyle": "tab" } }
             ] }"#,
    )]);
    assert_eq!(d.style.indent, Indent::Spaces(2));
    assert_eq!(d.style.line_width, 90);
    assert_eq!(d.style.quotes, Quotes::Single);
}

#[test]
fn biome_formatter_disabled_falls_through() {
    let d = detect_in(&[
        ("biome.json", r#"{ "formatter": { "enabled": false } }"#),
        (".editorconfig", "[*]\nindent_style = tab\n"),
    ]);
    assert_eq!(source(&d), Some((".editorconfig", "editorconfig")));
    assert_eq!(
        d.notes,
        vec!["the Biome formatter is disabled in `biome.json`"]
    );
}

#[test]
fn unsupported_options_are_notes() {
    let d = detect_in(&[(
        ".prettierrc",
        "arrowParens: avoid\nbracketSpacing: false\nsemi: true",
    )]);
    assert!(d.style.is_default());
    assert_eq!(d.notes.len(), 2, "{:?}", d.notes);
    assert!(d.notes[0].starts_with("`arrowParens` in `.prettierrc` is not applied"));
}

#[test]
fn errors_name_file_and_line() {
    let e = detect_err(&[(
        ".prettierrc.json",
        "{\n  \"semi\": false,\n  \"tabWidth\": \"4\"\n}",
    )]);
    assert_eq!(e.file, ".prettierrc.json");
    assert_eq!(e.line, Some(3));
    assert_eq!(
        e.message,
        "`tabWidth` in `.prettierrc.json` must be a whole number"
    );

    let e = detect_err(&[(".prettierrc.json", "{\n  \"semi\": false,\n  \"x\": [\n}")]);
    assert_eq!(e.line, Some(4));
    assert!(
        e.message
            .starts_with("cannot parse `.prettierrc.json` as JSON"),
        "{}",
        e.message
    );

    let e = detect_err(&[(".prettierrc.yaml", "semi: false\n  bad: [\n")]);
    assert!(
        e.message
            .starts_with("cannot parse `.prettierrc.yaml` as YAML"),
        "{}",
        e.message
    );

    let e = detect_err(&[(".prettierrc.toml", "semi = \n")]);
    assert_eq!(e.line, Some(1));

    let e = detect_err(&[(
        "biome.json",
        "{ \"javascript\": { \"formatter\": {\n \"quoteStyle\": \"backtick\" } } }",
    )]);
    assert_eq!(e.line, Some(2));
    assert_eq!(
        e.message,
        "`quoteStyle` in `biome.json` must be one of `\"double\"`, `\"single\"`"
    );

    let e = detect_err(&[(".prettierrc", "trailingComma: always")]);
    assert_eq!(
        e.message,
        "`trailingComma` in `.prettierrc` must be `\"all\"`, `\"es5\"` or `\"none\"`"
    );
}

#[test]
fn summary_of_default() {
    assert_eq!(Style::default().summary(), "default");
}
