//! package.json as an editable document. Adds dependencies without changing indentation, key
//! order, line endings, BOM or final newline. Knows nothing about blueprints or targets.
//!
//! [`Manifest::parse`] reads the text strictly, as npm's `JSON.parse` does, and keeps it next to
//! the byte ranges of the top-level keys and of the dependency sections.
//! [`Manifest::add_dependencies`] turns requests into a few insertions (and, to raise a range, the
//! replacement of one string literal), computed from those ranges and applied in one pass: every
//! byte outside the new entries is copied from the original text.
//!
//! A new entry copies its neighbours: the text between two entries (the indentation after the
//! line break, or `, ` on one line) and the text between a key and its value. New line breaks use
//! the file's dominant newline. An empty `{}` is expanded one indentation unit deeper than the
//! line of its key, unless the whole document is written on one line.
//!
//! Why not jsonc-parser's CST for the edit itself: its `CstObject::insert`/`append` (0.34)
//! always call `ensure_multiline`, which reflows a one-line object (`{"a":1}`) over several
//! lines; they trim blank lines at the start and end of the object they insert into; they write
//! `": "` whatever the neighbours use; and they take the first line break of the file, not the
//! dominant one. Building the CST of a 20,000-entry file also takes about 20 ms (the AST and
//! `serde_json` about 2 ms each). The AST gives byte ranges, which is all a splice needs.
//!
//! Key order: a section counts as sorted if its keys are in npm's order (`localeCompare(b, 'en')`,
//! which `npm install` uses when it saves), approximated for ASCII by `npm_order`, or else in
//! plain code-unit order (what yarn and most `sort-package-json` style tools write). A new key
//! goes to its place in whichever order the section is in, or at the end when it is in neither.
//!
//! Limits: numbers beyond `f64` (`1e400`) and nesting deeper than 128 levels are rejected
//! (`serde_json`'s limits; `JSON.parse` accepts them). Columns count Unicode scalar values.

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::error::Code;
use jsonc_parser::ast::{self, ObjectPropName};
use jsonc_parser::common::Ranged;
use jsonc_parser::errors::{ParseError, ParseErrorKind};
use jsonc_parser::{CollectOptions, ParseOptions, ParseStringErrorKind, parse_to_ast};
use serde_json::Value;

/// The sections a dependency is looked up in, in lookup order.
const SECTIONS: [&str; 4] = [
    "dependencies",
    "devDependencies",
    "peerDependencies",
    "optionalDependencies",
];

/// The sections new dependencies may be written to, in the order created.
pub const EDITED_SECTIONS: [&str; 2] = ["dependencies", "devDependencies"];

/// Indentation used when the document gives no evidence of its own.
const DEFAULT_INDENT: &str = "  ";

/// A parsed `package.json`, kept as its original text plus what is needed to edit it.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// The text without its BOM.
    text: String,
    /// Whether the file started with a UTF-8 BOM (written back on edit).
    had_bom: bool,
    /// The file's dominant line break, used for every line break flue writes.
    newline: &'static str,
    /// The decoded top-level object.
    value: serde_json::Map<String, Value>,
    /// Where the top-level object and its keys are.
    root: ObjectSpan,
    /// The dependency sections present, in [`SECTIONS`] order.
    sections: Vec<Section>,
}

/// One entry found in a dependency section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepEntry {
    /// The section it was found in, e.g. `devDependencies`.
    pub section: String,
    /// The range as written (decoded), or the raw JSON text if the value is not a string.
    pub range: String,
}

/// A dependency to add to `dependencies`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepRequest {
    /// Package name, e.g. `@struktoai/mirage-core`.
    pub name: String,
    /// Range to write, e.g. `^0.0.2`.
    pub range: String,
    /// Ranges an older blueprint version wrote; an existing entry equal to one of these may be
    /// raised to `range`.
    pub replaceable: Vec<String>,
    /// Where a new entry goes: one of [`EDITED_SECTIONS`].
    pub section: &'static str,
}

/// What [`Manifest::add_dependencies`] did for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DepOutcome {
    /// A new entry was written.
    Added {
        /// Always `dependencies`.
        section: String,
    },
    /// An entry was already there and was left as written.
    AlreadyPresent {
        /// The section it is in.
        section: String,
        /// Its range as written.
        range: String,
    },
    /// An entry written by an older blueprint version had its range replaced.
    Raised {
        /// The section it is in.
        section: String,
        /// The range it had before.
        from: String,
    },
}

/// A `package.json` that cannot be read or edited safely.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ManifestError {
    /// Stable snake_case code: `invalid_manifest`, `duplicate_key` or `not_an_object`.
    pub code: Code,
    /// Lowercase phrase without a trailing period, e.g. "invalid JSON: trailing comma".
    pub message: String,
    /// 1-based line of the problem, counted in the original text.
    pub line: Option<usize>,
    /// 1-based column (in characters; a BOM is not counted).
    pub column: Option<usize>,
    /// For `duplicate_key`: the line of the first occurrence.
    pub first_line: Option<usize>,
    /// For `duplicate_key`: the column of the first occurrence.
    pub first_column: Option<usize>,
}

/// Byte ranges of one object (offsets into [`Manifest::text`]).
#[derive(Debug, Clone)]
struct ObjectSpan {
    /// Offset of `{`.
    open: usize,
    /// Offset of `}`.
    close: usize,
    props: Vec<Prop>,
}

/// Byte ranges of one `"key": value` pair.
#[derive(Debug, Clone)]
struct Prop {
    /// Decoded key.
    name: String,
    key_start: usize,
    key_end: usize,
    value_start: usize,
    value_end: usize,
    /// Decoded value, when it is a string.
    string_value: Option<String>,
}

/// A dependency section that is present (and is an object).
#[derive(Debug, Clone)]
struct Section {
    name: &'static str,
    /// The `"dependencies": {…}` pair in the top-level object.
    key_start: usize,
    key_end: usize,
    object: ObjectSpan,
}

/// One splice: remove `remove` bytes at `at`, then insert `insert` there.
#[derive(Debug)]
struct Edit {
    at: usize,
    remove: usize,
    insert: String,
}

/// An order a dependency section can be kept in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyOrder {
    /// npm's `localeCompare(b, 'en')`, see [`npm_order`].
    Npm,
    /// Plain code-unit order (JavaScript's default `sort()` for these names).
    CodeUnit,
}

impl KeyOrder {
    fn compare(self, a: &str, b: &str) -> Ordering {
        match self {
            KeyOrder::Npm => npm_order(a, b),
            KeyOrder::CodeUnit => a.cmp(b),
        }
    }

    /// The order `keys` are in, npm's first; `None` when they are in neither.
    fn detect<'a>(keys: impl Iterator<Item = &'a str> + Clone) -> Option<KeyOrder> {
        [KeyOrder::Npm, KeyOrder::CodeUnit]
            .into_iter()
            .find(|order| {
                let mut previous: Option<&str> = None;
                keys.clone().all(|key| {
                    let ok = previous.is_none_or(|p| order.compare(p, key) != Ordering::Greater);
                    previous = Some(key);
                    ok
                })
            })
    }
}

impl Manifest {
    /// Parses strict JSON (npm rejects comments and trailing commas: turn jsonc-parser's
    /// leniency OFF). `text` is the file's content as UTF-8 (BOM possibly present).
    pub fn parse(text: &str) -> Result<Manifest, ManifestError> {
        let (body, had_bom) = match text.strip_prefix('\u{feff}') {
            Some(body) => (body, true),
            None => (text, false),
        };
        let ast = parse_to_ast(body, &CollectOptions::default(), &strict_options())
            .map_err(|err| parse_error(body, &err))?;
        let Some(root_value) = ast.value else {
            let (line, column) = line_column(body, body.len());
            return Err(ManifestError::at(
                Code::InvalidManifest,
                "invalid JSON: the file is empty".to_string(),
                line,
                column,
            ));
        };
        // jsonc-parser, even with every `allow_*` off, accepts a few things JSON does not (raw
        // control characters in strings, non-ASCII whitespace, leading zeros); serde_json is
        // exactly as strict as `JSON.parse`, and its value answers `value()`.
        let value: Value = serde_json::from_str(body).map_err(|err| serde_error(body, &err))?;
        let ast::Value::Object(root_object) = &root_value else {
            let (line, column) = line_column(body, root_value.start());
            return Err(ManifestError::at(
                Code::NotAnObject,
                "`package.json` is not a JSON object".to_string(),
                line,
                column,
            ));
        };
        let Value::Object(value) = value else {
            unreachable!("serde_json and jsonc-parser disagree on the top-level value")
        };
        let root = object_span(root_object);
        check_duplicates(body, &root, "`package.json`")?;

        let mut sections = Vec::new();
        for name in SECTIONS {
            let Some(prop) = root_object.properties.iter().find(|p| prop_name(p) == name) else {
                continue;
            };
            let ast::Value::Object(object) = &prop.value else {
                let (line, column) = line_column(body, prop.value.start());
                return Err(ManifestError::at(
                    Code::NotAnObject,
                    format!("`{name}` is not an object"),
                    line,
                    column,
                ));
            };
            let object = object_span(object);
            check_duplicates(body, &object, &format!("`{name}`"))?;
            let key = prop.name.range();
            sections.push(Section {
                name,
                key_start: key.start,
                key_end: key.end,
                object,
            });
        }

        Ok(Manifest {
            text: body.to_string(),
            had_bom,
            newline: crate::text::dominant_newline(body),
            value,
            root,
            sections,
        })
    }

    /// The entry for `name`, looked up in `dependencies`, `devDependencies`, `peerDependencies`
    /// and `optionalDependencies`, in that order.
    pub fn dependency(&self, name: &str) -> Option<DepEntry> {
        self.find_dependency(name).map(|(section, prop)| DepEntry {
            section: section.name.to_string(),
            range: self.range_text(prop),
        })
    }

    /// A top-level string, e.g. `packageManager` or `name`; `None` if missing or not a string.
    pub fn string_field(&self, key: &str) -> Option<String> {
        self.value.get(key)?.as_str().map(str::to_string)
    }

    /// Whether the top-level object has `key`, e.g. `workspaces`.
    pub fn has_key(&self, key: &str) -> bool {
        self.value.contains_key(key)
    }

    /// A top-level value, e.g. `prettier` or `workspaces`.
    pub fn value(&self, key: &str) -> Option<Value> {
        self.value.get(key).cloned()
    }

    /// Applies the requests; returns the new full text (BOM restored) and what happened for
    /// each request, in request order.
    ///
    /// A name requested twice in one call is added once, with the first request's range.
    pub fn add_dependencies(
        &self,
        reqs: &[DepRequest],
    ) -> Result<(String, Vec<DepOutcome>), ManifestError> {
        let mut edits = Vec::new();
        let mut outcomes = Vec::with_capacity(reqs.len());
        // (section, name, range) of the entries to add, in request order
        let mut added: Vec<(&'static str, &str, &str)> = Vec::new();

        for req in reqs {
            if let Some((section, prop)) = self.find_dependency(&req.name) {
                let current = self.range_text(prop);
                let raise = prop.string_value.as_deref().is_some_and(|written| {
                    written != req.range && req.replaceable.iter().any(|r| r == written)
                });
                if raise {
                    edits.push(Edit {
                        at: prop.value_start,
                        remove: prop.value_end - prop.value_start,
                        insert: json_string(&req.range),
                    });
                    outcomes.push(DepOutcome::Raised {
                        section: section.name.to_string(),
                        from: current,
                    });
                } else {
                    outcomes.push(DepOutcome::AlreadyPresent {
                        section: section.name.to_string(),
                        range: current,
                    });
                }
            } else if let Some(&(section, _, range)) = added.iter().find(|(_, n, _)| *n == req.name)
            {
                // the same name twice in one call: the first request wins
                outcomes.push(DepOutcome::AlreadyPresent {
                    section: section.to_string(),
                    range: range.to_string(),
                });
            } else {
                let section = if EDITED_SECTIONS.contains(&req.section) {
                    req.section
                } else {
                    EDITED_SECTIONS[0]
                };
                added.push((section, &req.name, &req.range));
                outcomes.push(DepOutcome::Added {
                    section: section.to_string(),
                });
            }
        }

        let mut to_create: Vec<(&str, Vec<(&str, &str)>)> = Vec::new();
        for name in EDITED_SECTIONS {
            let mut entries: Vec<(&str, &str)> = added
                .iter()
                .filter(|(s, _, _)| *s == name)
                .map(|&(_, n, r)| (n, r))
                .collect();
            if entries.is_empty() {
                continue;
            }
            match self.sections.iter().find(|s| s.name == name) {
                Some(section) if section.object.props.is_empty() => {
                    self.fill_empty_section(section, &mut entries, &mut edits)
                }
                Some(section) => self.insert_into_section(section, &mut entries, &mut edits),
                None => to_create.push((name, entries)),
            }
        }
        if !to_create.is_empty() {
            self.create_sections(&mut to_create, &mut edits);
        }

        let mut out = String::with_capacity(self.text.len() + 256);
        if self.had_bom {
            out.push('\u{feff}');
        }
        apply(&self.text, edits, &mut out);
        Ok((out, outcomes))
    }

    fn find_dependency(&self, name: &str) -> Option<(&Section, &Prop)> {
        self.sections.iter().find_map(|section| {
            let prop = section.object.props.iter().find(|p| p.name == name)?;
            Some((section, prop))
        })
    }

    fn range_text(&self, prop: &Prop) -> String {
        match &prop.string_value {
            Some(range) => range.clone(),
            None => self.text[prop.value_start..prop.value_end].to_string(),
        }
    }

    /// New entries into a section that has some: sorted position or the end.
    fn insert_into_section(
        &self,
        section: &Section,
        added: &mut [(&str, &str)],
        edits: &mut Vec<Edit>,
    ) {
        let props = &section.object.props;
        let n = props.len();
        // (index of the existing entry the new ones go before, the new ones)
        let mut groups: Vec<(usize, Vec<(&str, &str)>)> = Vec::new();
        match KeyOrder::detect(props.iter().map(|p| p.name.as_str())) {
            Some(order) => {
                added.sort_by(|a, b| order.compare(a.0, b.0));
                for &(name, range) in added.iter() {
                    let index = props
                        .partition_point(|p| order.compare(&p.name, name) != Ordering::Greater);
                    match groups.last_mut() {
                        Some((i, group)) if *i == index => group.push((name, range)),
                        _ => groups.push((index, vec![(name, range)])),
                    }
                }
            }
            None => groups.push((n, added.to_vec())),
        }

        let leading = &self.text[section.object.open + 1..props[0].key_start];
        for (index, group) in groups {
            let neighbour = &props[index.saturating_sub(1)];
            let colon = self.colon_of(neighbour);
            let entries: Vec<String> = group
                .iter()
                .map(|(name, range)| entry(name, colon, range))
                .collect();
            let separator = if index == 0 || n == 1 {
                self.separator_after_open(leading, colon)
            } else {
                // between the neighbours of the new entry, or the last two when appending
                let i = index.min(n - 1);
                self.separator(&self.text[props[i - 1].value_end..props[i].key_start])
            };
            let insert = if index < n {
                let mut text = entries.join(&separator);
                text.push_str(&separator);
                Edit {
                    at: props[index].key_start,
                    remove: 0,
                    insert: text,
                }
            } else {
                Edit {
                    at: props[n - 1].value_end,
                    remove: 0,
                    insert: format!("{separator}{}", entries.join(&separator)),
                }
            };
            edits.push(insert);
        }
    }

    /// New entries into `"dependencies": {}`.
    fn fill_empty_section(
        &self,
        section: &Section,
        added: &mut [(&str, &str)],
        edits: &mut Vec<Edit>,
    ) {
        added.sort_by(|a, b| npm_order(a.0, b.0));
        let object = &section.object;
        if self.is_one_line() {
            let style = self.inline_style();
            let entries: Vec<String> = added
                .iter()
                .map(|(name, range)| entry(name, style.colon, range))
                .collect();
            let inner_is_empty = object.close == object.open + 1;
            let trail = if inner_is_empty { style.trail } else { "" };
            edits.push(Edit {
                at: object.open + 1,
                remove: 0,
                insert: format!("{}{}{trail}", style.lead, entries.join(style.separator)),
            });
        } else {
            let colon = self.colon_between(section.key_end, object.open);
            let outer = line_indent(&self.text, section.key_start);
            let lines: Vec<String> = added
                .iter()
                .map(|(name, range)| entry(name, colon, range))
                .collect();
            edits.push(self.fill_multiline(object, outer, &self.indent_unit(), &lines));
        }
    }

    /// New sections (`"dependencies"`, `"devDependencies"`) at the end of the top-level object.
    fn create_sections(&self, sections: &mut [(&str, Vec<(&str, &str)>)], edits: &mut Vec<Edit>) {
        for (_, added) in sections.iter_mut() {
            added.sort_by(|a, b| npm_order(a.0, b.0));
        }
        let root = &self.root;
        let Some(last) = root.props.last() else {
            // `{}`: no style to copy, so write it as npm would
            let outer = line_indent(&self.text, root.open);
            let inner = format!("{outer}{DEFAULT_INDENT}");
            let keys: Vec<String> = sections
                .iter()
                .map(|(name, added)| {
                    let lines = added
                        .iter()
                        .map(|(n, range)| entry(n, ": ", range))
                        .collect::<Vec<_>>();
                    let object = self.multiline_object(&inner, DEFAULT_INDENT, &lines);
                    format!("{}: {object}", json_string(name))
                })
                .collect();
            edits.push(self.fill_multiline(root, outer, DEFAULT_INDENT, &keys));
            return;
        };
        let colon = self.colon_of(last);
        let n = root.props.len();
        let separator = if n >= 2 {
            self.separator(&self.text[root.props[n - 2].value_end..root.props[n - 1].key_start])
        } else {
            self.separator_after_open(&self.text[root.open + 1..root.props[0].key_start], colon)
        };
        let mut insert = String::new();
        for (name, added) in sections.iter() {
            let object = if self.is_one_line() {
                let style = self.inline_style();
                let entries: Vec<String> = added
                    .iter()
                    .map(|(n, range)| entry(n, style.colon, range))
                    .collect();
                format!(
                    "{{{}{}{}}}",
                    style.lead,
                    entries.join(style.separator),
                    style.trail
                )
            } else {
                let key_indent = match separator
                    .strip_prefix(',')
                    .and_then(|s| s.strip_prefix(self.newline))
                {
                    Some(indent) => indent,
                    None => line_indent(&self.text, last.key_start),
                };
                let lines: Vec<String> = added
                    .iter()
                    .map(|(n, range)| entry(n, colon, range))
                    .collect();
                self.multiline_object(key_indent, &self.indent_unit(), &lines)
            };
            insert.push_str(&format!("{separator}{}{colon}{object}", json_string(name)));
        }
        edits.push(Edit {
            at: last.value_end,
            remove: 0,
            insert,
        });
    }

    /// `{`, one line per entry at `outer` + `unit`, then `}` at `outer`.
    fn multiline_object(&self, outer: &str, unit: &str, lines: &[String]) -> String {
        let nl = self.newline;
        let inner = format!("{outer}{unit}");
        format!(
            "{{{nl}{inner}{}{nl}{outer}}}",
            lines.join(&format!(",{nl}{inner}"))
        )
    }

    /// Writes `lines` into an empty object, one a line, at `outer` + `unit`.
    fn fill_multiline(
        &self,
        object: &ObjectSpan,
        outer: &str,
        unit: &str,
        lines: &[String],
    ) -> Edit {
        let nl = self.newline;
        let inner = format!("{outer}{unit}");
        let body = lines.join(&format!(",{nl}{inner}"));
        let between = &self.text[object.open + 1..object.close];
        if between.contains(['\n', '\r']) {
            // `{\n  }`: the existing line break already closes the object
            Edit {
                at: object.open + 1,
                remove: 0,
                insert: format!("{nl}{inner}{body}"),
            }
        } else {
            // `{}` or `{ }`: insert before `}` so that it lands on its own line
            Edit {
                at: object.close,
                remove: 0,
                insert: format!("{nl}{inner}{body}{nl}{outer}"),
            }
        }
    }

    /// What goes between two entries, copied from `gap` (the text between a value and the next
    /// key, or between `{` and the first key): a comma, then either a line break and the
    /// indentation found after the gap's last line break, or the gap's spaces.
    fn separator(&self, gap: &str) -> String {
        let after_comma = gap.rfind(',').map_or(gap, |i| &gap[i + 1..]);
        match after_comma.rfind(['\n', '\r']) {
            Some(i) => format!(",{}{}", self.newline, &after_comma[i + 1..]),
            None => format!(",{after_comma}"),
        }
    }

    /// [`Manifest::separator`] from the text between `{` and the first key. On one line that
    /// text says nothing about what goes after a comma (`{"a": 1}`), so follow the colon: `, `
    /// after `": "`, `,` after `":"`.
    fn separator_after_open(&self, leading: &str, colon: &str) -> String {
        if leading.contains(['\n', '\r']) {
            self.separator(leading)
        } else if colon.ends_with([' ', '\t']) {
            ", ".to_string()
        } else {
            ",".to_string()
        }
    }

    /// The text between a key and its value (`": "`, `":"`…), unless it spans lines.
    fn colon_of(&self, prop: &Prop) -> &str {
        self.colon_between(prop.key_end, prop.value_start)
    }

    fn colon_between(&self, key_end: usize, value_start: usize) -> &str {
        let colon = &self.text[key_end..value_start];
        if colon.contains(['\n', '\r']) {
            ": "
        } else {
            colon
        }
    }

    /// Whether the top-level object is written on one line (minified or not).
    fn is_one_line(&self) -> bool {
        let root = &self.text[self.root.open..self.root.close];
        !root.contains(['\n', '\r'])
    }

    /// How the (one-line, non-empty) top-level object spaces itself, to copy into a new object.
    fn inline_style(&self) -> InlineStyle<'_> {
        let props = &self.root.props;
        let (Some(first), Some(last)) = (props.first(), props.last()) else {
            return InlineStyle {
                lead: "",
                trail: "",
                separator: ",",
                colon: ":",
            };
        };
        let colon = self.colon_of(first);
        let separator = if props.len() >= 2 {
            let gap = &self.text[props[0].value_end..props[1].key_start];
            gap.rfind(',').map_or(",", |i| &gap[i..])
        } else if colon.ends_with([' ', '\t']) {
            ", "
        } else {
            ","
        };
        InlineStyle {
            lead: &self.text[self.root.open + 1..first.key_start],
            trail: &self.text[last.value_end..self.root.close],
            separator,
            colon,
        }
    }

    /// One level of indentation: what the first top-level key has more than the `{` line.
    fn indent_unit(&self) -> String {
        let Some(first) = self.root.props.first() else {
            return DEFAULT_INDENT.to_string();
        };
        let line_start = line_start(&self.text, first.key_start);
        let indent = &self.text[line_start..first.key_start];
        let starts_line = indent.bytes().all(|b| b == b' ' || b == b'\t');
        let outer = line_indent(&self.text, self.root.open);
        match indent.strip_prefix(outer) {
            Some(unit) if starts_line && !unit.is_empty() => unit.to_string(),
            _ => DEFAULT_INDENT.to_string(),
        }
    }
}

/// Spacing of a one-line object.
struct InlineStyle<'a> {
    /// Between `{` and the first key.
    lead: &'a str,
    /// Between the last value and `}`.
    trail: &'a str,
    /// Between entries, comma included.
    separator: &'a str,
    /// Between a key and its value.
    colon: &'a str,
}

impl ManifestError {
    fn at(code: Code, message: String, line: usize, column: usize) -> ManifestError {
        ManifestError {
            code,
            message,
            line: Some(line),
            column: Some(column),
            first_line: None,
            first_column: None,
        }
    }
}

/// npm refuses what `JSON.parse` refuses.
fn strict_options() -> ParseOptions {
    ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

fn parse_error(text: &str, err: &ParseError) -> ManifestError {
    use ParseErrorKind as K;
    let what = match err.kind() {
        K::TrailingCommasNotAllowed => "trailing comma".to_string(),
        K::CommentsNotAllowed => "comments are not allowed".to_string(),
        K::SingleQuotedStringsNotAllowed => "strings must use double quotes".to_string(),
        K::ExpectedStringObjectProperty => "keys must be double-quoted strings".to_string(),
        K::UnterminatedObject => "this `{` is never closed (is the file cut short?)".to_string(),
        K::UnterminatedArray => "this `[` is never closed (is the file cut short?)".to_string(),
        K::String(ParseStringErrorKind::UnterminatedStringLiteral) => {
            "this string is never closed".to_string()
        }
        K::ExpectedComma => "expected a comma".to_string(),
        K::ExpectedColonAfterObjectKey => "expected `:` after the key".to_string(),
        K::ExpectedObjectValue => "expected a value after `:`".to_string(),
        K::MultipleRootJsonValues => "unexpected text after the end of the object".to_string(),
        K::HexadecimalNumbersNotAllowed
        | K::UnaryPlusNumbersNotAllowed
        | K::BareDecimalPointNumbersNotAllowed
        | K::NonFiniteNumbersNotAllowed => "invalid number".to_string(),
        other => lowercase_first(&other.to_string()),
    };
    let (line, column) = line_column(text, err.range().start);
    ManifestError::at(
        Code::InvalidManifest,
        format!("invalid JSON: {what}"),
        line,
        column,
    )
}

fn serde_error(text: &str, err: &serde_json::Error) -> ManifestError {
    let message = err.to_string();
    let what = message.split(" at line ").next().unwrap_or(&message);
    // serde_json counts lines by `\n` and columns in bytes; turn that into an offset and count
    // again the way the other errors do
    let line_start = if err.line() <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(err.line() - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    let offset = floor_char_boundary(text, line_start + err.column().saturating_sub(1));
    let (line, column) = line_column(text, offset);
    ManifestError::at(
        Code::InvalidManifest,
        format!("invalid JSON: {}", lowercase_first(what)),
        line,
        column,
    )
}

fn check_duplicates(text: &str, object: &ObjectSpan, owner: &str) -> Result<(), ManifestError> {
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(object.props.len());
    for prop in &object.props {
        if let Some(&first) = seen.get(prop.name.as_str()) {
            let (line, column) = line_column(text, prop.key_start);
            let (first_line, first_column) = line_column(text, first);
            return Err(ManifestError {
                code: Code::DuplicateKey,
                message: format!("{owner} has two `{}` keys", prop.name),
                line: Some(line),
                column: Some(column),
                first_line: Some(first_line),
                first_column: Some(first_column),
            });
        }
        seen.insert(&prop.name, prop.key_start);
    }
    Ok(())
}

fn object_span(object: &ast::Object) -> ObjectSpan {
    ObjectSpan {
        open: object.range.start,
        close: object.range.end - 1,
        props: object
            .properties
            .iter()
            .map(|prop| {
                let key = prop.name.range();
                let value = prop.value.range();
                Prop {
                    name: prop_name(prop).to_string(),
                    key_start: key.start,
                    key_end: key.end,
                    value_start: value.start,
                    value_end: value.end,
                    string_value: match &prop.value {
                        ast::Value::StringLit(s) => Some(s.value.to_string()),
                        _ => None,
                    },
                }
            })
            .collect(),
    }
}

fn prop_name<'a>(prop: &'a ast::ObjectProp) -> &'a str {
    match &prop.name {
        ObjectPropName::String(s) => &s.value,
        ObjectPropName::Word(w) => w.value,
    }
}

/// `"name": "range"` with the given colon.
fn entry(name: &str, colon: &str, range: &str) -> String {
    format!("{}{colon}{}", json_string(name), json_string(range))
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string always serializes")
}

/// Applies non-overlapping edits in offset order (insertions at one offset keep their order).
fn apply(text: &str, mut edits: Vec<Edit>, out: &mut String) {
    edits.sort_by_key(|e| e.at);
    let mut pos = 0;
    for edit in edits {
        debug_assert!(edit.at >= pos, "overlapping edits");
        out.push_str(&text[pos..edit.at]);
        out.push_str(&edit.insert);
        pos = edit.at + edit.remove;
    }
    out.push_str(&text[pos..]);
}

/// Offset of the start of the line holding `offset` (after `\n`, `\r\n` or a lone `\r`).
fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1)
}

/// The spaces and tabs that start the line holding `offset`.
fn line_indent(text: &str, offset: usize) -> &str {
    let start = line_start(text, offset);
    let line = &text[start..];
    let len = line
        .bytes()
        .take_while(|b| *b == b' ' || *b == b'\t')
        .count();
    &line[..len]
}

use crate::js::line_col as line_column;

fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// "Unexpected token" → "unexpected token"; an acronym ("EOF while…") is left as it is.
fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(first), second) if !second.is_some_and(|c| c.is_uppercase()) => first
            .to_lowercase()
            .chain(s[first.len_utf8()..].chars())
            .collect(),
        _ => s.to_string(),
    }
}

/// npm's `a.localeCompare(b, 'en')` (ICU root collation), approximated for ASCII: punctuation
/// before digits before letters, letters compared without case first, then lowercase before
/// uppercase. Other characters sort after ASCII, by code point.
fn npm_order(a: &str, b: &str) -> Ordering {
    fn primary(c: char) -> u32 {
        // CLDR root order of ASCII punctuation and symbols
        const PUNCTUATION: &str = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";
        if c.is_ascii_whitespace() || c.is_ascii_control() {
            c as u32
        } else if let Some(i) = PUNCTUATION.find(c) {
            0x100 + i as u32
        } else if c.is_ascii_digit() {
            0x200 + c as u32
        } else if c.is_ascii_alphabetic() {
            0x300 + c.to_ascii_lowercase() as u32
        } else {
            0x1000 + c as u32
        }
    }
    a.chars()
        .map(primary)
        .cmp(b.chars().map(primary))
        .then_with(|| {
            let case = |c: char| c.is_ascii_uppercase();
            a.chars().map(case).cmp(b.chars().map(case))
        })
        .then_with(|| a.cmp(b))
}

#[cfg(test)]
#[path = "manifest_tests.rs"]
mod tests;
