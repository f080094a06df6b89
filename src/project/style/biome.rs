//! Biome: `biome.json(c)` formatter options, the JavaScript section and `overrides` for the
//! rendered file.

use serde_json::{Map, Value};

use super::parse::{line_of_key, whole_number};
use super::{Options, PROBE_PATH, StyleError, TrailingCommas, globs};
use crate::glob;

/// Reads Biome's formatter options; `None` when its formatter is off for JavaScript. The bool
/// says whether `.editorconfig` fills in what it leaves unset (`formatter.useEditorconfig`).
pub(super) fn biome_options(
    name: &str,
    text: &str,
    root: &Value,
    notes: &mut Vec<String>,
) -> Result<Option<(Options, bool)>, StyleError> {
    let Some(root) = root.as_object() else {
        return Err(StyleError {
            file: name.into(),
            line: None,
            message: format!("`{name}` must be an object"),
        });
    };
    if root.contains_key("extends") {
        notes.push(format!("`extends` in `{name}` is not followed"));
    }
    let formatter = root.get("formatter");
    let js_formatter = root.get("javascript").and_then(|j| j.get("formatter"));
    let disabled =
        |v: Option<&Value>| v.and_then(|f| f.get("enabled")) == Some(&Value::Bool(false));
    if disabled(formatter) || disabled(js_formatter) {
        notes.push(format!("the Biome formatter is disabled in `{name}`"));
        return Ok(None);
    }
    let use_editorconfig =
        formatter.and_then(|f| f.get("useEditorconfig")) == Some(&Value::Bool(true));

    let mut options = Options::default();
    let mut read_section = |section: Option<&Value>, js: bool| -> Result<(), StyleError> {
        let Some(section) = section.and_then(Value::as_object) else {
            return Ok(());
        };
        options.overlay(&biome_section(name, text, section, js)?);
        Ok(())
    };
    read_section(formatter, false)?;
    read_section(js_formatter, true)?;
    if let Some(overrides) = root.get("overrides").and_then(Value::as_array) {
        for o in overrides {
            // Biome 1 calls the list `include`, Biome 2 `includes` (with `!` exclusions).
            let patterns = [globs(o.get("include")), globs(o.get("includes"))].concat();
            let included = patterns
                .iter()
                .any(|g| !g.starts_with('!') && glob::matches_file(g, PROBE_PATH));
            let excluded = patterns
                .iter()
                .filter_map(|g| g.strip_prefix('!'))
                .any(|g| glob::matches_file(g, PROBE_PATH))
                || globs(o.get("ignore"))
                    .iter()
                    .any(|g| glob::matches_file(g, PROBE_PATH));
            if included && !excluded {
                read_section(o.get("formatter"), false)?;
                read_section(o.get("javascript").and_then(|j| j.get("formatter")), true)?;
            }
        }
    }
    Ok(Some((options, use_editorconfig)))
}

fn biome_section(
    file: &str,
    text: &str,
    map: &Map<String, Value>,
    js: bool,
) -> Result<Options, StyleError> {
    let bad = |key: &str, expected: &str| StyleError {
        file: file.into(),
        line: line_of_key(text, key),
        message: format!("`{key}` in `{file}` must be {expected}"),
    };
    let word = |key: &str, allowed: &[&str]| -> Result<Option<String>, StyleError> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if allowed.contains(&s.as_str()) => Ok(Some(s.clone())),
            Some(_) => {
                let list: Vec<String> = allowed.iter().map(|a| format!("`\"{a}\"`")).collect();
                Err(bad(key, &format!("one of {}", list.join(", "))))
            }
        }
    };
    let number = |key: &str| whole_number(map.get(key)).ok_or_else(|| bad(key, "a whole number"));
    let mut options = Options {
        use_tabs: word("indentStyle", &["tab", "space"])?.map(|s| s == "tab"),
        // `indentSize` is Biome 1's deprecated name for `indentWidth`.
        tab_width: number("indentWidth")?.or(number("indentSize")?),
        print_width: number("lineWidth")?,
        end_of_line: word("lineEnding", &["lf", "crlf", "cr", "auto"])?,
        ..Options::default()
    };
    if js {
        options.single_quote = word("quoteStyle", &["double", "single"])?.map(|s| s == "single");
        options.semi = word("semicolons", &["always", "asNeeded"])?.map(|s| s == "always");
        // `trailingComma` is Biome 1's deprecated name.
        let commas = match word("trailingCommas", &["all", "es5", "none"])? {
            Some(c) => Some(c),
            None => word("trailingComma", &["all", "es5", "none"])?,
        };
        options.trailing_comma = commas.map(|c| match c.as_str() {
            "es5" => TrailingCommas::Es5,
            "none" => TrailingCommas::None,
            _ => TrailingCommas::All,
        });
    }
    Ok(options)
}
