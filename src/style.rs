//! The project's code style, read statically from its formatter configs, and formatting of a
//! render into it.
//!
//! Owns: finding which config file answers (Prettier, then Biome, then `.editorconfig`),
//! reading the handful of options that change how a TypeScript file looks (indentation,
//! quotes, semicolons, trailing commas, line width, line endings), and formatting a render
//! (written in Prettier's default style) into that style with dprint-plugin-typescript tuned
//! for Prettier parity. Does not own: reading files (the caller passes a `read` function over
//! the project root), blueprints, or upgrades.
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
//! - Formatting matches Prettier exactly (checked with the real `prettier --check` by
//!   `tests/ts/prettier.sh`) when the indentation width is 2 and the line width 80: the
//!   render's own layout is kept and only tokens change. With another width or indentation
//!   dprint lays the file out itself; that matches Prettier only for code that avoids the
//!   constructs the two lay out differently (dprint never breaks after `=` before a wrapped
//!   ternary or `&&` chain, indents a wrapped `??` operand inside parentheses, moves a long
//!   template literal after `key:` onto its own line, keeps an expanded object pattern in a
//!   parameter list). The mirage templates avoid them and match Prettier at every width from
//!   80 to 120 with 2 or 4 spaces or tabs; other renders may still be re-wrapped by Prettier.
//! - `.prettierrc.json5` is read as lenient JSON (comments, trailing commas, unquoted keys), not
//!   full JSON5.

use std::path::Path;
use std::sync::Mutex;

use dprint_plugin_typescript::configuration::{
    BracePosition, Configuration, ConfigurationBuilder, MemberSpacing,
    NamedTypeImportsExportsOrder, NextControlFlowPosition, OperatorPosition, PreferHanging,
    QuoteProps, QuoteStyle, SameOrNextLinePosition, SemiColonOrComma, SemiColons, SortOrder,
    TrailingCommas as DprintCommas, UseBraces, UseParentheses,
};
use serde_json::{Map, Value};

use crate::glob;
use crate::js::{self, Token, TokenKind};

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
    /// Path relative to the project root (`package.json` for its `prettier` key); empty when
    /// the error is in the render being formatted.
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

// ---------------------------------------------------------------------------------------------
// Options, as Prettier names them, before defaults are filled in.

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

// ---------------------------------------------------------------------------------------------
// Prettier

struct PrettierConfig {
    file: String,
    options: Options,
}

/// Files Prettier can only load by running them.
fn is_executable_config(name: &str) -> bool {
    [".js", ".ts", ".mjs", ".mts", ".cjs", ".cts"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

fn find_prettier(
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

fn globs(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
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
    let number = |key: &str| -> Result<Option<u32>, StyleError> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_u64()
                .map(|n| Some(n.min(u64::from(u32::MAX)) as u32))
                .ok_or_else(|| bad(key, "a whole number")),
        }
    };
    let string = |key: &str| -> Option<&str> { map.get(key).and_then(Value::as_str) };

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

    // Options that change a TypeScript file but that flue does not apply.
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

// ---------------------------------------------------------------------------------------------
// Biome

/// Reads Biome's formatter options; `None` when its formatter is off for JavaScript. The bool
/// says whether `.editorconfig` fills in what it leaves unset (`formatter.useEditorconfig`).
fn biome_options(
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
    let number = |key: &str| -> Result<Option<u32>, StyleError> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_u64()
                .map(|n| Some(n.min(u64::from(u32::MAX)) as u32))
                .ok_or_else(|| bad(key, "a whole number")),
        }
    };
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

// ---------------------------------------------------------------------------------------------
// .editorconfig

/// The options `.editorconfig` sets for the rendered file, mapped as Prettier maps them
/// (prettier 3, `editorconfig-to-prettier.js`).
fn editorconfig_options(text: &str) -> Options {
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

// ---------------------------------------------------------------------------------------------
// Parsing config files into JSON values

fn parse_json(name: &str, text: &str) -> Result<Value, StyleError> {
    let options = jsonc_parser::ParseOptions::default();
    jsonc_parser::parse_to_serde_value::<Option<Value>>(text, &options)
        .map(Option::unwrap_or_default)
        .map_err(|e| StyleError {
            file: name.into(),
            line: Some(e.line_display()),
            message: format!("cannot parse `{name}` as JSON: {}", e.kind()),
        })
}

fn parse_yaml(name: &str, text: &str) -> Result<Value, StyleError> {
    let docs = yaml_rust2::YamlLoader::load_from_str(text).map_err(|e| StyleError {
        file: name.into(),
        line: Some(e.marker().line()),
        message: format!("cannot parse `{name}` as YAML: {}", e.info()),
    })?;
    Ok(docs.first().map(yaml_to_json).unwrap_or(Value::Null))
}

fn yaml_to_json(yaml: &yaml_rust2::Yaml) -> Value {
    use yaml_rust2::Yaml;
    match yaml {
        Yaml::Real(s) => s
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Null, Value::Number),
        Yaml::Integer(i) => Value::from(*i),
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Array(items) => Value::Array(items.iter().map(yaml_to_json).collect()),
        Yaml::Hash(hash) => Value::Object(
            hash.iter()
                .filter_map(|(k, v)| {
                    let key = match k {
                        Yaml::String(s) | Yaml::Real(s) => s.clone(),
                        Yaml::Integer(i) => i.to_string(),
                        Yaml::Boolean(b) => b.to_string(),
                        _ => return None,
                    };
                    Some((key, yaml_to_json(v)))
                })
                .collect(),
        ),
        Yaml::Alias(_) | Yaml::Null | Yaml::BadValue => Value::Null,
    }
}

fn parse_toml(name: &str, text: &str) -> Result<Value, StyleError> {
    let doc = text
        .parse::<toml_edit::DocumentMut>()
        .map_err(|e| StyleError {
            file: name.into(),
            line: e.span().map(|span| js::line_col(text, span.start).0),
            message: format!("cannot parse `{name}` as TOML: {}", e.message()),
        })?;
    Ok(toml_table_to_json(doc.as_table()))
}

fn toml_table_to_json(table: &toml_edit::Table) -> Value {
    Value::Object(
        table
            .iter()
            .map(|(k, item)| (k.to_string(), toml_item_to_json(item)))
            .collect(),
    )
}

fn toml_item_to_json(item: &toml_edit::Item) -> Value {
    use toml_edit::Item;
    match item {
        Item::None => Value::Null,
        Item::Value(v) => toml_value_to_json(v),
        Item::Table(t) => toml_table_to_json(t),
        Item::ArrayOfTables(a) => Value::Array(a.iter().map(toml_table_to_json).collect()),
    }
}

fn toml_value_to_json(value: &toml_edit::Value) -> Value {
    use toml_edit::Value as T;
    match value {
        T::String(s) => Value::String(s.value().clone()),
        T::Integer(i) => Value::from(*i.value()),
        T::Float(f) => serde_json::Number::from_f64(*f.value()).map_or(Value::Null, Value::Number),
        T::Boolean(b) => Value::Bool(*b.value()),
        T::Datetime(d) => Value::String(d.value().to_string()),
        T::Array(a) => Value::Array(a.iter().map(toml_value_to_json).collect()),
        T::InlineTable(t) => Value::Object(
            t.iter()
                .map(|(k, v)| (k.to_string(), toml_value_to_json(v)))
                .collect(),
        ),
    }
}

/// 1-based line where `key` first appears as a key, for pointing at a bad value.
fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let line = line.trim_start().trim_start_matches(['"', '\'']);
            line.strip_prefix(key).is_some_and(|rest| {
                rest.trim_start_matches(['"', '\''])
                    .trim_start()
                    .starts_with([':', '='])
            })
        })
        .map(|i| i + 1)
}

// ---------------------------------------------------------------------------------------------
// Formatting

/// Formats a TypeScript render (in Prettier's default style) into `style`.
///
/// Returns `text` unchanged, without running the formatter, when `style` lays code out as the
/// default does. The first line (the `// flue-blueprint: …` marker) stays first and byte-exact;
/// the output is LF and ends with exactly one newline: line endings are applied once, to the
/// whole output, where it is written (`crate::text`).
pub fn format(text: &str, style: &Style) -> Result<String, StyleError> {
    let lf = crate::text::to_lf(text);
    if style.layout_is_default() {
        return Ok(lf);
    }
    let marker = lf.split('\n').next().unwrap_or_default();
    // One parse serves dprint and, when the layout is kept, the render's tokens.
    let source = js::parse_for_format(&lf);
    let formatted = with_config(style, |config| {
        let shared = source.as_ref().and_then(|source| {
            dprint_plugin_typescript::format_parsed_source(source, config, None).ok()
        });
        // Without the shared parse, or on an error, dprint parses the text itself (trying TSX
        // too) and reports what it reports.
        shared.map_or_else(
            || {
                dprint_plugin_typescript::format_text(dprint_plugin_typescript::FormatTextOptions {
                    path: Path::new("render.ts"),
                    extension: Some("ts"),
                    text: lf.clone(),
                    config,
                    external_formatter: None,
                })
            },
            Ok,
        )
    })
    .map_err(|e| StyleError {
        file: String::new(),
        line: None,
        message: format!("cannot format the render: {e}"),
    })?
    .unwrap_or_else(|| lf.clone());
    let formatted = if preserves_layout(style) {
        let ours = match &source {
            Some(source) => js::tokens_of(source, &lf),
            None => js::tokens(&lf),
        };
        ours.and_then(|ours| keep_layout(&ours, &formatted, style))
            .unwrap_or(formatted)
    } else {
        formatted
    };

    let body = formatted.split_once('\n').map_or("", |(_, rest)| rest);
    let mut out = String::with_capacity(formatted.len() + formatted.len() / 16);
    out.push_str(marker);
    out.push('\n');
    out.push_str(body.trim_end_matches(['\n', ' ', '\t']));
    out.push('\n');
    // The marker line was LF-normalised above only in its terminator; it is byte-exact.
    debug_assert!(out.starts_with(marker));
    Ok(out)
}

/// Whether two TypeScript texts differ only in what a formatter changes (line endings, quotes,
/// indentation, semicolons, trailing commas, wrapping): both are equal, or both parse and
/// dprint prints them identically in one fixed style. A file that is a render of ours
/// reformatted by the project's formatter on save, in whatever style, is therefore not
/// "edited" (SPEC §13).
pub fn same_but_formatting(a: &str, b: &str) -> bool {
    let (a, b) = (crate::text::to_lf(a), crate::text::to_lf(b));
    if a == b {
        return true;
    }
    match (canonical(&a), canonical(&b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// The one style texts are compared in: every option set, and a layout (4 spaces) that
/// rewraps instead of keeping the input's line breaks.
const CANONICAL: Style = Style {
    indent: Indent::Spaces(4),
    quotes: Quotes::Double,
    semicolons: true,
    trailing_commas: TrailingCommas::All,
    line_width: 80,
    crlf: false,
};

/// dprint's output for an LF text in the canonical style, trailing blank space folded; `None`
/// when the text does not parse.
fn canonical(lf: &str) -> Option<String> {
    let out = with_config(&CANONICAL, |config| {
        dprint_plugin_typescript::format_text(dprint_plugin_typescript::FormatTextOptions {
            path: Path::new("canonical.ts"),
            extension: Some("ts"),
            text: lf.to_string(),
            config,
            external_formatter: None,
        })
    })
    .ok()?;
    let out = out.unwrap_or_else(|| lf.to_string());
    Some(out.trim_end().to_string())
}

/// Whether Prettier would lay the file out exactly as the render already is (same indentation
/// width and line width as the default style), so that only tokens change.
fn preserves_layout(style: &Style) -> bool {
    let width = match style.indent {
        Indent::Spaces(n) | Indent::Tabs(n) => n,
    };
    width == 2 && style.line_width == 80
}

/// Puts dprint's tokens into the render's layout.
///
/// dprint and Prettier choose different line breaks in places (dprint never keeps a break after
/// `=`, indents binary operands inside parentheses, …). When the layout does not change, the
/// render's own line breaks and indentation are already Prettier's, and dprint's output differs
/// from the render only in tokens: quotes, `;` and `,` removed or added. So this walks both
/// token streams (`ours`, the render's), takes each token from dprint and the whitespace before
/// it from the render (with indentation converted to tabs when needed). `None` when the streams
/// differ in any other way, or the result does not hold exactly dprint's tokens; the caller then
/// uses dprint's output as it is.
fn keep_layout(ours: &[Token], dprint: &str, style: &Style) -> Option<String> {
    let tabs = matches!(style.indent, Indent::Tabs(_));
    let theirs = js::tokens(dprint)?;
    let mut out = Respaced {
        text: String::with_capacity(dprint.len() + 64),
        spaces: Vec::with_capacity(theirs.len()),
    };
    let (mut i, mut j) = (0, 0);
    // Whitespace from the render still to be written before the next token.
    let mut pending: Option<&str> = None;
    // A `;` to write at the start of the next token's line.
    let mut guard = false;
    while j < theirs.len() {
        let t = &theirs[j];
        let o = ours.get(i);
        if o.is_some_and(|o| same_token(o, t)) {
            let o = o.expect("checked");
            // Without semicolons a `;` guards a line starting with `(`, `[` or "`": the
            // render has it at the end of the line before.
            if !style.semicolons
                && t.text == ";"
                && t.space.contains('\n')
                && !o.space.contains('\n')
            {
                guard = true;
                i += 1;
                j += 1;
                continue;
            }
            out.space(pending.take().unwrap_or(o.space), tabs);
            if std::mem::take(&mut guard) {
                out.text.push(';');
                out.space("", tabs);
            }
            push_token(&mut out.text, t, tabs);
            i += 1;
            j += 1;
        } else if o.is_some_and(|o| matches!(o.text, ";" | ",")) {
            // Removed by dprint (semicolons, trailing commas); its whitespace goes too.
            let o = o.expect("checked");
            if pending.is_none() && o.space.contains('\n') {
                pending = Some(o.space);
            }
            i += 1;
        } else if matches!(t.text, ";" | ",") {
            // Added by dprint: a `;` guarding a line start takes that line's indentation.
            if t.space.contains('\n') {
                let next = o?;
                out.space(pending.take().unwrap_or(next.space), tabs);
                push_token(&mut out.text, t, tabs);
                pending = Some("");
            } else {
                out.space("", tabs);
                push_token(&mut out.text, t, tabs);
            }
            j += 1;
        } else {
            return None;
        }
    }
    if ours[i..].iter().any(|o| !matches!(o.text, ";" | ",")) {
        return None;
    }
    out.text.push('\n');
    out.holds(&theirs).then_some(out.text)
}

/// dprint's tokens written with other whitespace: the text, and where the whitespace before
/// each token is in it.
struct Respaced {
    text: String,
    spaces: Vec<std::ops::Range<usize>>,
}

impl Respaced {
    /// Writes the whitespace before the next token.
    fn space(&mut self, space: &str, tabs: bool) {
        let start = self.text.len();
        push_space(&mut self.text, space, tabs);
        self.spaces.push(start..self.text.len());
    }

    /// Whether the text holds exactly `theirs`, the tokens it was written from, and parses as
    /// the text they came from. Cheap when each token is written as it was and the whitespace
    /// before it provably changes nothing (see [`same_reading`]); otherwise the text is parsed
    /// again and its tokens compared.
    fn holds(&self, theirs: &[Token]) -> bool {
        let same_tokens = self.spaces.len() == theirs.len()
            && theirs.iter().enumerate().all(|(k, t)| {
                let end = self
                    .spaces
                    .get(k + 1)
                    .map_or(self.text.len() - 1, |s| s.start);
                self.text.get(self.spaces[k].end..end) == Some(t.text)
            });
        let safe = same_tokens
            && theirs.iter().enumerate().all(|(k, t)| {
                let before = k.checked_sub(1).map(|b| &theirs[b]);
                same_reading(before, &self.text[self.spaces[k].clone()], t)
            });
        let parses_so = || {
            js::tokens(&self.text).is_some_and(|check| {
                check.len() == theirs.len()
                    && check.iter().zip(theirs).all(|(a, b)| a.text == b.text)
            })
        };
        if safe {
            // Debug builds (every test) still check the claim.
            debug_assert!(
                parses_so(),
                "the whitespace changed the tokens:\n{}",
                self.text
            );
            return true;
        }
        parses_so()
    }
}

/// Whether writing `space` instead of `token.space` between `before` and `token` leaves the
/// tokens and the parse as they are. JavaScript and TypeScript read whitespace only to separate
/// tokens and to see line breaks (automatic semicolons, `[no LineTerminator here]`), so it holds
/// when the whitespace is of the same kind (none, blanks, a line break), and also:
/// - for a line break after an operator that an operand must follow (`=`, `(`, `&&`, `=>`, …):
///   no rule forbids one there, and no semicolon is inserted before an operand;
/// - for any whitespace before `)` or `]` (after anything but a comment), or before `.` after a
///   name, `)` or `]`: no semicolon is ever inserted before them, no rule forbids a line break
///   before them, and they join no token before them (a line comment would take them in, a
///   number `1.` or a `?.` their dot).
fn same_reading(before: Option<&Token>, space: &str, token: &Token) -> bool {
    if space_kind(space) == space_kind(token.space) {
        return true;
    }
    let Some(before) = before else { return false };
    let operator = before.kind == TokenKind::Punct && OPERAND_AFTER.contains(&before.text);
    let closer = token.kind == TokenKind::Punct
        && match token.text {
            ")" | "]" => before.kind != TokenKind::Comment,
            "." => {
                (before.kind == TokenKind::Word
                    && !before.text.starts_with(|c: char| c.is_ascii_digit()))
                    || (before.kind == TokenKind::Punct && matches!(before.text, ")" | "]"))
            }
            _ => false,
        };
    (operator && space_kind(space) == Space::LineBreak) || closer
}

/// Tokens an operand must follow.
const OPERAND_AFTER: &[&str] = &[
    "=", "=>", "(", "[", "{", ",", "&&", "||", "??", "+", "-", "*", "%", "**", "===", "!==", "==",
    "!=",
];

/// What whitespace between two tokens can mean to a parser.
#[derive(PartialEq)]
enum Space {
    None,
    Blanks,
    LineBreak,
}

fn space_kind(space: &str) -> Space {
    if space.is_empty() {
        Space::None
    } else if space.contains(['\n', '\r', '\u{2028}', '\u{2029}']) {
        Space::LineBreak
    } else {
        Space::Blanks
    }
}

fn push_space(out: &mut String, space: &str, tabs: bool) {
    match space.rfind('\n') {
        Some(nl) if tabs => {
            out.push_str(&space[..=nl]);
            out.push_str(&tab_indent(&space[nl + 1..]));
        }
        _ => out.push_str(space),
    }
}

fn push_token(out: &mut String, token: &Token, tabs: bool) {
    // Prettier re-indents the lines of a `/** … */`-style comment; dprint's output already has
    // the new indentation only when it used spaces.
    if tabs && token.kind == TokenKind::Comment && token.text.contains('\n') {
        let mut lines = token.text.split('\n');
        out.push_str(lines.next().unwrap_or_default());
        for line in lines {
            out.push('\n');
            let body = line.trim_start_matches([' ', '\t']);
            if body.starts_with('*') {
                out.push_str(&tab_indent(&line[..line.len() - body.len()]));
                out.push_str(body);
            } else {
                out.push_str(line);
            }
        }
    } else {
        out.push_str(token.text);
    }
}

/// Two-space indentation as tabs; an odd space (a `*` aligned in a block comment) stays.
fn tab_indent(indent: &str) -> String {
    let columns: usize = indent.chars().map(|c| if c == '\t' { 2 } else { 1 }).sum();
    let mut s = "\t".repeat(columns / 2);
    if columns % 2 == 1 {
        s.push(' ');
    }
    s
}

fn same_token(a: &Token, b: &Token) -> bool {
    if a.kind != b.kind {
        return false;
    }
    if a.kind == TokenKind::Str {
        let unquote = |t: &str| t[1..t.len() - 1].replace("\\'", "'").replace("\\\"", "\"");
        return unquote(a.text) == unquote(b.text);
    }
    if a.kind == TokenKind::Comment {
        let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        return words(a.text) == words(b.text);
    }
    a.text == b.text
}

/// Runs `f` with the dprint configuration for `style`, built once per distinct style.
fn with_config<T>(style: &Style, f: impl FnOnce(&Configuration) -> T) -> T {
    static CACHE: Mutex<Option<(Style, Configuration)>> = Mutex::new(None);
    let mut cache = CACHE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if cache.as_ref().is_none_or(|(cached, _)| cached != style) {
        *cache = Some((style.clone(), dprint_config(style)));
    }
    let (_, config) = cache.as_ref().expect("filled above");
    f(config)
}

const LAYOUT_PRESERVING_WIDTH: u32 = 100_000;

/// dprint-plugin-typescript settings that make its output what Prettier prints for the same
/// options, given input already in Prettier's default layout.
fn dprint_config(style: &Style) -> Configuration {
    let (use_tabs, width) = match style.indent {
        Indent::Spaces(n) => (false, n),
        Indent::Tabs(n) => (true, n),
    };
    let (all, es5) = match style.trailing_commas {
        TrailingCommas::All => (DprintCommas::OnlyMultiLine, DprintCommas::OnlyMultiLine),
        TrailingCommas::Es5 => (DprintCommas::Never, DprintCommas::OnlyMultiLine),
        TrailingCommas::None => (DprintCommas::Never, DprintCommas::Never),
    };
    // With Prettier's default indentation width and line width, Prettier lays the file out
    // exactly as the render already is: only tokens change (quotes, semicolons, commas, indent
    // characters). dprint then gets an unbounded width so that it keeps every line break.
    let keep = width == 2 && style.line_width == 80;
    let line_width = if keep {
        LAYOUT_PRESERVING_WIDTH
    } else {
        style.line_width.min(LAYOUT_PRESERVING_WIDTH)
    };
    let mut b = ConfigurationBuilder::new();
    b.line_width(line_width)
        .use_tabs(use_tabs)
        .indent_width(width.max(1))
        .quote_style(match style.quotes {
            Quotes::Double => QuoteStyle::PreferDouble,
            Quotes::Single => QuoteStyle::PreferSingle,
        })
        .semi_colons(if style.semicolons {
            SemiColons::Prefer
        } else {
            SemiColons::Asi
        })
        // Prettier's trailingComma: "es5" leaves them off parameters, arguments and type
        // parameters only.
        .trailing_commas(es5)
        .arguments_trailing_commas(all)
        .parameters_trailing_commas(all)
        .type_parameters_trailing_commas(all)
        // Layout: Prettier's choices.
        .prefer_hanging(false)
        .arguments_prefer_hanging(PreferHanging::Never)
        .parameters_prefer_hanging(PreferHanging::Never)
        .brace_position(BracePosition::SameLine)
        .next_control_flow_position(NextControlFlowPosition::SameLine)
        .operator_position(OperatorPosition::SameLine)
        .binary_expression_operator_position(OperatorPosition::SameLine)
        .conditional_expression_operator_position(OperatorPosition::NextLine)
        .conditional_type_operator_position(OperatorPosition::NextLine)
        .single_body_position(SameOrNextLinePosition::Maintain)
        .use_braces(UseBraces::Maintain)
        .arrow_function_use_parentheses(UseParentheses::Force)
        .quote_props(QuoteProps::Preserve)
        .type_literal_separator_kind(SemiColonOrComma::SemiColon)
        .enum_declaration_member_spacing(MemberSpacing::Maintain)
        .member_expression_line_per_expression(true)
        .conditional_expression_line_per_expression(true)
        // Spacing.
        .comment_line_force_space_after_slashes(false)
        .construct_signature_space_after_new_keyword(true)
        .constructor_type_space_after_new_keyword(true)
        .function_expression_space_after_function_keyword(true)
        .tagged_template_space_before_literal(false)
        // Prettier never reorders.
        .module_sort_import_declarations(SortOrder::Maintain)
        .module_sort_export_declarations(SortOrder::Maintain)
        .import_declaration_sort_named_imports(SortOrder::Maintain)
        .export_declaration_sort_named_exports(SortOrder::Maintain)
        .import_declaration_sort_type_only_imports(NamedTypeImportsExportsOrder::None)
        .export_declaration_sort_type_only_exports(NamedTypeImportsExportsOrder::None)
        // Re-laying out (other widths), Prettier joins what fits except objects and object
        // types written expanded (a line break after `{`).
        .prefer_single_line(false)
        .object_expression_prefer_single_line(false)
        .object_pattern_prefer_single_line(false)
        .type_literal_prefer_single_line(false)
        // Prettier joins a parameter list that fits, whatever the render's layout.
        .parameters_prefer_single_line(!keep)
        .import_declaration_prefer_single_line(!keep)
        .export_declaration_prefer_single_line(!keep)
        .ignore_node_comment_text("prettier-ignore")
        .ignore_file_comment_text("flue-format-ignore-file");
    b.build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const SAMPLE: &str = include_str!("../tests/style/sample.ts");

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
        let asi = include_str!("../tests/style/asi.ts");
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
}
