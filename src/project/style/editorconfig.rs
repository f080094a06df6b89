//! `.editorconfig`: the sections that match the rendered file, mapped to Prettier options as
//! Prettier maps them.

use super::{Options, PROBE_PATH};
use crate::glob;

/// The options `.editorconfig` sets for the rendered file, mapped as Prettier maps them
/// (prettier 3, `editorconfig-to-prettier.js`).
pub(super) fn editorconfig_options(text: &str) -> Options {
    // Properties of the sections that match, later sections winning.
    let mut props: Vec<(String, String)> = Vec::new();
    let mut matching = false;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            matching = editorconfig_section_matches(section);
            continue;
        }
        if !matching {
            continue;
        }
        if let Some((key, value)) = line.split_once('=') {
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim().to_ascii_lowercase();
            props.retain(|(k, _)| *k != key);
            props.push((key, value));
        }
    }
    let get = |key: &str| {
        props
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let positive = |v: Option<&str>| v.and_then(|v| v.parse::<u32>().ok()).filter(|n| *n > 0);

    let indent_style = get("indent_style");
    let indent_size = get("indent_size");
    // The editorconfig library defaults `tab_width` to a numeric `indent_size`.
    let tab_width = positive(get("tab_width")).or(positive(indent_size));
    let mut options = Options::default();
    if indent_style == Some("space") {
        options.use_tabs = Some(false);
    } else if indent_style == Some("tab") || indent_size == Some("tab") {
        options.use_tabs = Some(true);
    }
    options.tab_width = if options.use_tabs == Some(false) && positive(indent_size).is_some() {
        positive(indent_size)
    } else {
        tab_width
    };
    options.print_width = match get("max_line_length") {
        Some("off") => Some(u32::MAX),
        v => positive(v),
    };
    options.single_quote = match get("quote_type") {
        Some("single") => Some(true),
        Some("double") => Some(false),
        _ => None,
    };
    options.end_of_line = get("end_of_line")
        .filter(|v| matches!(*v, "lf" | "crlf" | "cr"))
        .map(str::to_string);
    options
}

/// Whether an `.editorconfig` section applies to the rendered file: a pattern without `/`
/// matches the file name in any directory, one with `/` matches from the project root.
fn editorconfig_section_matches(section: &str) -> bool {
    let section = section.trim();
    if section.contains('/') {
        glob::matches_file(section.trim_start_matches('/'), PROBE_PATH)
    } else {
        glob::matches_file(section, PROBE_PATH)
    }
}
