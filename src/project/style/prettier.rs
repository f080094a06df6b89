//! Prettier: its config files in Prettier's own search order, package.json's `prettier` key,
//! and `overrides` for the rendered file.

use serde_json::{Map, Value};

use super::parse::{line_of_key, parse_json, parse_toml, parse_yaml, whole_number};
use super::{CONFIG_FILES, Options, PROBE_PATH, StyleError, TrailingCommas, globs};
use crate::glob;

pub(super) struct PrettierConfig {
    pub(super) file: String,
    pub(super) options: Options,
}

/// Files Prettier can only load by running them.
fn is_executable_config(name: &str) -> bool {
    [".js", ".ts", ".mjs", ".mts", ".cjs", ".cts"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

pub(super) fn find_prettier(
    read: &dyn Fn(&str) -> Option<String>,
    package_json_prettier: Option<&Value>,
    notes: &mut Vec<String>,
) -> Result<Option<PrettierConfig>, StyleError> {
    // Prettier 3 looks at package.json first, and skips it when the key is absent.
    if let Some(value) = package_json_prettier.filter(|v| !v.is_null()) {
        let file = "package.json#prettier";
        let options = prettier_options_from_value(file, "package.json", None, value, notes)?;
        return Ok(Some(PrettierConfig {
            file: file.into(),
            options,
        }));
    }
    for &name in CONFIG_FILES.iter().take_while(|n| n.contains("prettier")) {
        let Some(text) = read(name) else { continue };
        if is_executable_config(name) {
            notes.push(format!(
                "`{name}` is only executable as JavaScript; using the default style"
            ));
            return Ok(Some(PrettierConfig {
                file: name.into(),
                options: Options::default(),
            }));
        }
        let value = parse_prettier_file(name, &text)?;
        let options = prettier_options_from_value(name, name, Some(&text), &value, notes)?;
        return Ok(Some(PrettierConfig {
            file: name.into(),
            options,
        }));
    }
    Ok(None)
}

/// Parses a Prettier config file into a JSON value; `.prettierrc` is sniffed (JSON, YAML, or
/// TOML), as its content has no extension to go by.
fn parse_prettier_file(name: &str, text: &str) -> Result<Value, StyleError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match name {
        ".prettierrc.json" | ".prettierrc.json5" => parse_json(name, text),
        ".prettierrc.yaml" | ".prettierrc.yml" => parse_yaml(name, text),
        ".prettierrc.toml" => parse_toml(name, text),
        _ => {
            let first = text.trim_start();
            if first.starts_with('{') {
                return parse_json(name, text);
            }
            match parse_yaml(name, text) {
                // A TOML file reads as YAML that is a single string, or fails to parse.
                Ok(Value::String(s)) if looks_like_toml(text) => {
                    let _ = s;
                    parse_toml(name, text)
                }
                Err(_) if looks_like_toml(text) => parse_toml(name, text),
                other => other,
            }
        }
    }
}

fn looks_like_toml(text: &str) -> bool {
    text.lines().map(str::trim).any(|line| {
        line.starts_with('[')
            || line
                .split_once('=')
                .is_some_and(|(key, _)| !key.trim().is_empty() && !key.contains(':'))
    })
}

/// Reads Prettier options from a parsed config, applying `overrides` for `*.ts` files.
fn prettier_options_from_value(
    label: &str,
    file: &str,
    text: Option<&str>,
    value: &Value,
    notes: &mut Vec<String>,
) -> Result<Options, StyleError> {
    let map = match value {
        Value::Null => return Ok(Options::default()),
        Value::String(package) => {
            notes.push(format!(
                "`{label}` names the shared config `{package}`, which flue cannot read; using the default style"
            ));
            return Ok(Options::default());
        }
        Value::Object(map) => map,
        _ => {
            return Err(StyleError {
                file: file.into(),
                line: None,
                message: format!("`{label}` must be an object of Prettier options"),
            });
        }
    };
    let mut options = prettier_options(file, text, map, notes)?;
    if let Some(overrides) = map.get("overrides").and_then(Value::as_array) {
        for o in overrides {
            let matches = globs(o.get("files"))
                .iter()
                .any(|g| glob::matches_file(g, PROBE_PATH))
                && !globs(o.get("excludeFiles"))
                    .iter()
                    .any(|g| glob::matches_file(g, PROBE_PATH));
            if let (true, Some(Value::Object(inner))) = (matches, o.get("options")) {
                options.overlay(&prettier_options(file, text, inner, notes)?);
            }
        }
    }
    Ok(options)
}

fn prettier_options(
    file: &str,
    text: Option<&str>,
    map: &Map<String, Value>,
    notes: &mut Vec<String>,
) -> Result<Options, StyleError> {
    let bad = |key: &str, expected: &str| StyleError {
        file: file.into(),
        line: text.and_then(|t| line_of_key(t, key)),
        message: format!("`{key}` in `{file}` must be {expected}"),
    };
    let boolean = |key: &str| -> Result<Option<bool>, StyleError> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(bad(key, "`true` or `false`")),
        }
    };
    let number = |key: &str| whole_number(map.get(key)).ok_or_else(|| bad(key, "a whole number"));

    let trailing_comma = match map.get("trailingComma") {
        None | Some(Value::Null) => None,
        Some(v) => Some(match v.as_str() {
            Some("all") => TrailingCommas::All,
            Some("es5") => TrailingCommas::Es5,
            Some("none") => TrailingCommas::None,
            _ => return Err(bad("trailingComma", "`\"all\"`, `\"es5\"` or `\"none\"`")),
        }),
    };
    let end_of_line = match map.get("endOfLine") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_str() {
            Some(s @ ("lf" | "crlf" | "cr" | "auto")) => Some(s.to_string()),
            _ => {
                return Err(bad(
                    "endOfLine",
                    "`\"lf\"`, `\"crlf\"`, `\"cr\"` or `\"auto\"`",
                ));
            }
        },
    };

    note_unsupported(file, map, notes);

    Ok(Options {
        use_tabs: boolean("useTabs")?,
        tab_width: number("tabWidth")?,
        single_quote: boolean("singleQuote")?,
        semi: boolean("semi")?,
        trailing_comma,
        print_width: number("printWidth")?,
        end_of_line,
    })
}

/// Notes the options that change a TypeScript file but that flue does not apply, when they
/// differ from Prettier's default.
fn note_unsupported(file: &str, map: &Map<String, Value>, notes: &mut Vec<String>) {
    let string = |key: &str| -> Option<&str> { map.get(key).and_then(Value::as_str) };
    let unsupported = [
        (
            "arrowParens",
            string("arrowParens").is_some_and(|v| v != "always"),
        ),
        (
            "bracketSpacing",
            map.get("bracketSpacing") == Some(&Value::Bool(false)),
        ),
        (
            "quoteProps",
            string("quoteProps").is_some_and(|v| v != "as-needed"),
        ),
        (
            "objectWrap",
            string("objectWrap").is_some_and(|v| v != "preserve"),
        ),
        (
            "experimentalTernaries",
            map.get("experimentalTernaries") == Some(&Value::Bool(true)),
        ),
        (
            "experimentalOperatorPosition",
            string("experimentalOperatorPosition").is_some_and(|v| v != "end"),
        ),
    ];
    for (key, differs) in unsupported {
        if differs {
            notes.push(format!(
                "`{key}` in `{file}` is not applied; Prettier may still reformat the generated file"
            ));
        }
    }
}
