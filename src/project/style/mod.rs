//! The project's code style, read statically from its formatter configs into a [`Style`].
//! Formatting a render into it is `blueprint::format`.
//!
//! Owns: finding which config file answers (Prettier, then Biome, then `.editorconfig`), and
//! reading the handful of options that change how a TypeScript file looks (indentation,
//! quotes, semicolons, trailing commas, line width, line endings). `prettier.rs`, `biome.rs`
//! and `editorconfig.rs` read one tool's files each, `parse.rs` turns config text (JSON, YAML,
//! TOML) into JSON values. Does not own: reading files (the caller passes a `read` function over
//! the project root), formatting, blueprints, or upgrades.
//!
//! Limits:
//! - Only the project root is looked at; Prettier and `.editorconfig` also search parent
//!   directories, and `root = true` is not needed here.
//! - Configs that are only executable (`prettier.config.js`, `.prettierrc.cjs`, …), shared
//!   config packages (`"prettier": "@acme/prettier-config"`) and Biome `extends` are not
//!   followed: the default style is used (or what the file itself sets) and a note says so.
//! - Override and section globs are matched (by `crate::glob`) against `src/sandboxes/mirage.ts`
//!   (the file flue renders); patterns that cannot match it are ignored.
//! - Options beyond the six above (`arrowParens`, `bracketSpacing`, `quoteProps`, …) are not
//!   applied; when one differs from Prettier's default a note says so.
//! - `.prettierrc.json5` is read as lenient JSON (comments, trailing commas, unquoted keys), not
//!   full JSON5.

mod biome;
mod editorconfig;
mod parse;
mod prettier;

use serde_json::Value;

use biome::biome_options;
use editorconfig::editorconfig_options;
use parse::parse_json;
use prettier::{PrettierConfig, find_prettier};

/// How one level of indentation is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Indent {
    /// This many spaces (Prettier `tabWidth`).
    Spaces(u8),
    /// One tab, counted as this many columns when measuring line width (Prettier `tabWidth`
    /// with `useTabs`; Biome `indentWidth`).
    Tabs(u8),
}

/// Which quote string literals prefer (the other one is used when it needs fewer escapes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quotes {
    /// `"text"` (Prettier default).
    Double,
    /// `'text'` (Prettier `singleQuote: true`).
    Single,
}

/// Where trailing commas go in multi-line lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrailingCommas {
    /// Everywhere, including parameters, arguments and type parameters (Prettier 3 default).
    All,
    /// Where ES5 allows them: objects, arrays, imports, exports, enums, tuples.
    Es5,
    /// Nowhere.
    None,
}

/// The options that change how a generated TypeScript file looks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Style {
    /// Indentation (Prettier `useTabs`, `tabWidth`).
    pub indent: Indent,
    /// Preferred quote for strings (Prettier `singleQuote`).
    pub quotes: Quotes,
    /// Whether statements end with `;` (Prettier `semi`).
    pub semicolons: bool,
    /// Trailing commas in multi-line lists (Prettier `trailingComma`).
    pub trailing_commas: TrailingCommas,
    /// The width lines are wrapped at (Prettier `printWidth`).
    pub line_width: u32,
    /// Whether lines end with CRLF instead of LF (Prettier `endOfLine: "crlf"`).
    pub crlf: bool,
}

impl Default for Style {
    /// Prettier's default style, the one templates are written in.
    fn default() -> Self {
        Style {
            indent: Indent::Spaces(2),
            quotes: Quotes::Double,
            semicolons: true,
            trailing_commas: TrailingCommas::All,
            line_width: 80,
            crlf: false,
        }
    }
}

impl Style {
    /// Whether this is Prettier's default style, in which case renders are used as they are.
    pub fn is_default(&self) -> bool {
        *self == Style::default()
    }

    /// Whether code is laid out as in Prettier's default style (line endings aside): then
    /// renders need no formatting, only the line ending applied.
    pub fn layout_is_default(&self) -> bool {
        Style {
            crlf: false,
            ..self.clone()
        } == Style::default()
    }

    /// The line break outputs in this style use.
    pub fn newline(&self) -> &'static str {
        if self.crlf { "\r\n" } else { "\n" }
    }

    /// The options that differ from Prettier's default, by their Prettier names, for the
    /// report: `singleQuote, tabs`. `default` when none differ.
    pub fn summary(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if self.quotes == Quotes::Single {
            parts.push("singleQuote".into());
        }
        if !self.semicolons {
            parts.push("semi: false".into());
        }
        match self.trailing_commas {
            TrailingCommas::All => {}
            TrailingCommas::Es5 => parts.push("trailingComma: es5".into()),
            TrailingCommas::None => parts.push("trailingComma: none".into()),
        }
        match self.indent {
            Indent::Spaces(2) => {}
            Indent::Spaces(n) => parts.push(format!("tabWidth: {n}")),
            Indent::Tabs(2) => parts.push("tabs".into()),
            Indent::Tabs(n) => parts.push(format!("tabs, tabWidth: {n}")),
        }
        if self.line_width != 80 {
            parts.push(format!("printWidth: {}", self.line_width));
        }
        if self.crlf {
            parts.push("endOfLine: crlf".into());
        }
        if parts.is_empty() {
            "default".into()
        } else {
            parts.join(", ")
        }
    }
}

/// The config file the style was read from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StyleSource {
    /// Path relative to the project root, or `package.json#prettier` for the key.
    pub file: String,
    /// `prettier`, `biome` or `editorconfig`.
    pub kind: &'static str,
}

/// What `detect` found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Detected {
    /// The style to render in.
    pub style: Style,
    /// Where it came from; `None` when no config answered (Prettier's default style).
    pub source: Option<StyleSource>,
    /// Things the report should mention: configs that could not be read, options not applied.
    pub notes: Vec<String>,
}

/// A config file that exists but cannot be used: unparseable, or an option with a bad value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct StyleError {
    /// Path relative to the project root (`package.json` for its `prettier` key).
    pub file: String,
    /// 1-based line of the problem, when known.
    pub line: Option<usize>,
    /// What is wrong, a lowercase phrase naming the file.
    pub message: String,
}

/// Every file `detect` may ask `read` for, in the order it asks.
pub const CONFIG_FILES: &[&str] = &[
    // Prettier's own search order (prettier 3, `config-searcher.js`), after package.json.
    ".prettierrc",
    ".prettierrc.json",
    ".prettierrc.yml",
    ".prettierrc.yaml",
    ".prettierrc.json5",
    ".prettierrc.js",
    "prettier.config.js",
    ".prettierrc.ts",
    "prettier.config.ts",
    ".prettierrc.mjs",
    "prettier.config.mjs",
    ".prettierrc.mts",
    "prettier.config.mts",
    ".prettierrc.cjs",
    "prettier.config.cjs",
    ".prettierrc.cts",
    "prettier.config.cts",
    ".prettierrc.toml",
    "biome.json",
    "biome.jsonc",
    ".editorconfig",
];

/// The file flue renders, relative to the project root, against which override globs and
/// `.editorconfig` sections are matched.
const PROBE_PATH: &str = "src/sandboxes/mirage.ts";

/// Reads the project's style. `read(name)` returns the text of a file in the project root if
/// it exists (`name` is one of [`CONFIG_FILES`]); `package_json_prettier` is the value of
/// package.json's `prettier` key, if any.
///
/// Prettier answers first (package.json's key, then its files in Prettier's own order), with
/// `.editorconfig` filling what its config leaves unset, as Prettier does; then Biome; then
/// `.editorconfig` alone on top of Prettier's defaults.
pub fn detect(
    read: &dyn Fn(&str) -> Option<String>,
    package_json_prettier: Option<&Value>,
) -> Result<Detected, StyleError> {
    let mut notes = Vec::new();
    let editorconfig = || -> Options {
        read(".editorconfig")
            .map(|text| editorconfig_options(&text))
            .unwrap_or_default()
    };

    if let Some(prettier) = find_prettier(read, package_json_prettier, &mut notes)? {
        let PrettierConfig { file, options } = prettier;
        let from_editorconfig = editorconfig();
        let filled = from_editorconfig.names_not_in(&options);
        if !filled.is_empty() {
            notes.push(format!(
                "`.editorconfig` sets {} (Prettier reads it too)",
                filled.join(", ")
            ));
        }
        let mut merged = from_editorconfig;
        merged.overlay(&options);
        return Ok(Detected {
            style: merged.resolve(&Style::default(), &mut notes),
            source: Some(StyleSource {
                file,
                kind: "prettier",
            }),
            notes,
        });
    }

    for name in ["biome.json", "biome.jsonc"] {
        let Some(text) = read(name) else { continue };
        let root = parse_json(name, &text)?;
        match biome_options(name, &text, &root, &mut notes)? {
            Some((options, use_editorconfig)) => {
                let mut merged = if use_editorconfig {
                    editorconfig()
                } else {
                    Options::default()
                };
                merged.overlay(&options);
                return Ok(Detected {
                    style: merged.resolve(&biome_default(), &mut notes),
                    source: Some(StyleSource {
                        file: name.into(),
                        kind: "biome",
                    }),
                    notes,
                });
            }
            // The Biome formatter is off for JavaScript: it does not decide the style.
            None => break,
        }
    }

    let options = editorconfig();
    if !options.is_empty() {
        return Ok(Detected {
            style: options.resolve(&Style::default(), &mut notes),
            source: Some(StyleSource {
                file: ".editorconfig".into(),
                kind: "editorconfig",
            }),
            notes,
        });
    }

    Ok(Detected {
        style: Style::default(),
        source: None,
        notes,
    })
}

/// Biome's defaults differ from Prettier's in one way: tabs.
fn biome_default() -> Style {
    Style {
        indent: Indent::Tabs(2),
        ..Style::default()
    }
}

/// The glob list of an override: one string or an array of them.
fn globs(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Options, as Prettier names them, before defaults are filled in.
#[derive(Debug, Clone, Default, PartialEq)]
struct Options {
    use_tabs: Option<bool>,
    tab_width: Option<u32>,
    single_quote: Option<bool>,
    semi: Option<bool>,
    trailing_comma: Option<TrailingCommas>,
    print_width: Option<u32>,
    /// `lf`, `crlf`, `cr` or `auto`.
    end_of_line: Option<String>,
}

impl Options {
    fn is_empty(&self) -> bool {
        *self == Options::default()
    }

    /// Takes every option `other` sets.
    fn overlay(&mut self, other: &Options) {
        fn take<T: Clone>(mine: &mut Option<T>, theirs: &Option<T>) {
            if theirs.is_some() {
                mine.clone_from(theirs);
            }
        }
        take(&mut self.use_tabs, &other.use_tabs);
        take(&mut self.tab_width, &other.tab_width);
        take(&mut self.single_quote, &other.single_quote);
        take(&mut self.semi, &other.semi);
        take(&mut self.trailing_comma, &other.trailing_comma);
        take(&mut self.print_width, &other.print_width);
        take(&mut self.end_of_line, &other.end_of_line);
    }

    /// Prettier names of the options set here and not in `other`.
    fn names_not_in(&self, other: &Options) -> Vec<&'static str> {
        let mut names = Vec::new();
        let mut check = |mine: bool, theirs: bool, name| {
            if mine && !theirs {
                names.push(name);
            }
        };
        check(self.use_tabs.is_some(), other.use_tabs.is_some(), "useTabs");
        check(
            self.tab_width.is_some(),
            other.tab_width.is_some(),
            "tabWidth",
        );
        check(
            self.single_quote.is_some(),
            other.single_quote.is_some(),
            "singleQuote",
        );
        check(self.semi.is_some(), other.semi.is_some(), "semi");
        check(
            self.trailing_comma.is_some(),
            other.trailing_comma.is_some(),
            "trailingComma",
        );
        check(
            self.print_width.is_some(),
            other.print_width.is_some(),
            "printWidth",
        );
        check(
            self.end_of_line.is_some(),
            other.end_of_line.is_some(),
            "endOfLine",
        );
        names
    }

    fn resolve(&self, base: &Style, notes: &mut Vec<String>) -> Style {
        let (base_tabs, base_width) = match base.indent {
            Indent::Spaces(n) => (false, n),
            Indent::Tabs(n) => (true, n),
        };
        let width = self
            .tab_width
            .map(|w| w.clamp(1, u32::from(u8::MAX)) as u8)
            .unwrap_or(base_width);
        let indent = if self.use_tabs.unwrap_or(base_tabs) {
            Indent::Tabs(width)
        } else {
            Indent::Spaces(width)
        };
        let crlf = match self.end_of_line.as_deref() {
            Some("crlf") => true,
            Some("lf") => false,
            Some("cr") => {
                notes.push("`endOfLine: cr` is not supported; using LF line endings".into());
                false
            }
            // "auto" keeps a file's existing line endings; a render has LF.
            _ => base.crlf,
        };
        Style {
            indent,
            quotes: match self.single_quote {
                Some(true) => Quotes::Single,
                Some(false) => Quotes::Double,
                None => base.quotes,
            },
            semicolons: self.semi.unwrap_or(base.semicolons),
            trailing_commas: self.trailing_comma.unwrap_or(base.trailing_commas),
            line_width: self.print_width.unwrap_or(base.line_width).max(1),
            crlf,
        }
    }
}

#[cfg(test)]
#[path = "detect_tests.rs"]
mod tests;
