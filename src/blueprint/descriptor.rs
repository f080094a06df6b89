//! Reads blueprint descriptors (`templates/<kind>/<name>/blueprint.toml`,
//! SPEC §14) and turns the folder tree into the Rust source of the
//! compiled-in catalog. Shared by the build script (`build.rs` includes this
//! file with `#[path]`) and the unit tests, so every descriptor error is
//! tested without running cargo. Depends on std and toml_edit only; every
//! error names the file, line and column.

#![allow(dead_code)]

use std::fmt;
use std::ops::Range;

use toml_edit::{Document, Item, TableLike, Value};

/// The targets this flue knows, in the order descriptors list them.
pub const TARGETS: &[&str] = &["node", "cloudflare"];
/// `package.json` sections a dependency may go to.
pub const SECTIONS: &[&str] = &["dependencies", "devDependencies"];
/// Config files a version may edit (`wrangler`: `wrangler.jsonc`, `.json` or `.toml`).
pub const CONFIG_FILES: &[&str] = &["wrangler"];
/// The first line of every template: `// flue-blueprint: <kind>/<name>@<N>`.
pub const MARKER_PREFIX: &str = "// flue-blueprint:";

/// A descriptor error: where and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for DescError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

type Res<T> = Result<T, DescError>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetRule {
    pub target: String,
    pub supported: bool,
    pub why: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvVar {
    pub name: String,
    pub purpose: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepDesc {
    pub name: String,
    pub range: String,
    pub targets: Vec<String>,
    pub caveat: Option<String>,
    pub section: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigDesc {
    pub target: String,
    pub file: String,
    pub key: String,
    /// The entry to add, as JSON text.
    pub item_json: String,
    pub match_key: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionDesc {
    pub number: u32,
    pub min_runtime: String,
    pub summary: String,
    pub deps: Vec<DepDesc>,
    pub config: Vec<ConfigDesc>,
    /// Line of the `[[versions]]` entry, for errors about its template.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantDesc {
    pub marker_version: u32,
    pub file: String,
    pub origin: String,
    pub line: usize,
}

/// One parsed `blueprint.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Descriptor {
    /// The descriptor's path as errors show it.
    pub file: String,
    pub kind: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub summary: String,
    pub output: String,
    pub runtime_package: String,
    pub wire_up: String,
    /// One rule per known target, in `TARGETS` order.
    pub targets: Vec<TargetRule>,
    pub env: Vec<EnvVar>,
    /// Sorted by number.
    pub versions: Vec<VersionDesc>,
    pub variants: Vec<VariantDesc>,
}

/// A blueprint this flue leaves out because its SDK cannot be installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnpublishedDesc {
    pub kind: String,
    pub name: String,
    pub package: String,
    pub note: String,
}

/// Where errors point: the file's name and text.
struct Ctx<'a> {
    file: &'a str,
    text: &'a str,
}

impl Ctx<'_> {
    fn err(&self, span: Option<Range<usize>>, message: impl Into<String>) -> DescError {
        let offset = span.map(|s| s.start).unwrap_or(0).min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        DescError {
            file: self.file.to_string(),
            line,
            column: before[start..].chars().count() + 1,
            message: message.into(),
        }
    }

    fn line_of(&self, span: Option<Range<usize>>) -> usize {
        self.err(span, "").line
    }
}

/// A table (standard or inline) with the span errors about it point at.
struct Tbl<'a> {
    what: String,
    span: Option<Range<usize>>,
    t: &'a dyn TableLike,
}

impl<'a> Tbl<'a> {
    fn key_span(&self, key: &str) -> Option<Range<usize>> {
        let (k, item) = self.t.get_key_value(key)?;
        k.span().or_else(|| item.span()).or(self.span.clone())
    }

    fn value_span(&self, key: &str) -> Option<Range<usize>> {
        let (k, item) = self.t.get_key_value(key)?;
        item.span().or_else(|| k.span()).or(self.span.clone())
    }

    fn only(&self, cx: &Ctx, allowed: &[&str]) -> Res<()> {
        for (key, _) in self.t.iter() {
            if !allowed.contains(&key) {
                return Err(cx.err(
                    self.key_span(key),
                    format!(
                        "unknown key `{key}` in {} (known: {})",
                        self.what,
                        allowed.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }

    fn missing(&self, cx: &Ctx, key: &str, ty: &str) -> DescError {
        cx.err(
            self.span.clone(),
            format!("{} is missing `{key}` ({ty})", self.what),
        )
    }

    fn wrong(&self, cx: &Ctx, key: &str, ty: &str) -> DescError {
        cx.err(
            self.value_span(key),
            format!("`{key}` in {} must be {ty}", self.what),
        )
    }

    fn opt_str(&self, cx: &Ctx, key: &str) -> Res<Option<String>> {
        match self.t.get(key) {
            None => Ok(None),
            Some(item) => match item.as_str() {
                Some(s) if !s.trim().is_empty() => Ok(Some(s.to_string())),
                _ => Err(self.wrong(cx, key, "a non-empty string")),
            },
        }
    }

    fn str(&self, cx: &Ctx, key: &str) -> Res<String> {
        self.opt_str(cx, key)?
            .ok_or_else(|| self.missing(cx, key, "a string"))
    }

    fn opt_strs(&self, cx: &Ctx, key: &str) -> Res<Option<Vec<String>>> {
        let Some(item) = self.t.get(key) else {
            return Ok(None);
        };
        let ty = "an array of non-empty strings";
        let arr = item.as_array().ok_or_else(|| self.wrong(cx, key, ty))?;
        arr.iter()
            .map(|v| match v.as_str() {
                Some(s) if !s.trim().is_empty() => Ok(s.to_string()),
                _ => Err(cx.err(v.span(), format!("`{key}` in {} must be {ty}", self.what))),
            })
            .collect::<Res<Vec<_>>>()
            .map(Some)
    }

    fn bool(&self, cx: &Ctx, key: &str) -> Res<bool> {
        match self.t.get(key) {
            None => Err(self.missing(cx, key, "true or false")),
            Some(item) => item
                .as_bool()
                .ok_or_else(|| self.wrong(cx, key, "true or false")),
        }
    }

    fn number(&self, cx: &Ctx, key: &str) -> Res<u32> {
        match self.t.get(key) {
            None => Err(self.missing(cx, key, "a whole number")),
            Some(item) => item
                .as_integer()
                .and_then(|n| u32::try_from(n).ok())
                .filter(|n| *n >= 1)
                .ok_or_else(|| self.wrong(cx, key, "a whole number from 1")),
        }
    }

    fn sub(&self, cx: &Ctx, key: &str) -> Res<Option<Tbl<'a>>> {
        let Some(item) = self.t.get(key) else {
            return Ok(None);
        };
        let t = item
            .as_table_like()
            .ok_or_else(|| self.wrong(cx, key, "a table"))?;
        Ok(Some(Tbl {
            what: format!("`{key}`"),
            span: self.key_span(key),
            t,
        }))
    }

    /// `[[key]]` entries (or an inline array of inline tables).
    fn entries(&self, cx: &Ctx, key: &str, what: &str) -> Res<Vec<Tbl<'a>>> {
        let Some(item) = self.t.get(key) else {
            return Ok(Vec::new());
        };
        let ty = format!("an array of tables (`[[{what}]]`)");
        match item {
            Item::ArrayOfTables(a) => Ok(a
                .iter()
                .map(|t| Tbl {
                    what: format!("`[[{what}]]`"),
                    span: t.span(),
                    t: t as &dyn TableLike,
                })
                .collect()),
            Item::Value(Value::Array(a)) => a
                .iter()
                .map(|v| match v {
                    Value::InlineTable(t) => Ok(Tbl {
                        what: format!("`[[{what}]]`"),
                        span: t.span(),
                        t: t as &dyn TableLike,
                    }),
                    _ => Err(cx.err(v.span(), format!("`{key}` must be {ty}"))),
                })
                .collect(),
            _ => Err(self.wrong(cx, key, &ty)),
        }
    }
}

const TOP_KEYS: &[&str] = &[
    "kind",
    "name",
    "aliases",
    "summary",
    "output",
    "runtime_package",
    "wire_up",
    "targets",
    "env",
    "versions",
    "variants",
];

/// Whether `s` may appear in a marker (`sandbox/<name>@1`) and a folder name.
fn is_slug(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn root<'a>(doc: &'a Document<&str>) -> Tbl<'a> {
    Tbl {
        what: "the descriptor".to_string(),
        span: None,
        t: doc.as_table() as &dyn TableLike,
    }
}

/// Parses the descriptor `text` of `templates/<kind>/<name>/` (`file` is how
/// errors name it). Checks the keys, their types and the folder names.
pub fn parse(file: &str, text: &str, kind_dir: &str, name_dir: &str) -> Res<Descriptor> {
    let cx = Ctx { file, text };
    let doc = Document::parse(text).map_err(|e| {
        let msg = e.message().trim().to_string();
        cx.err(e.span(), format!("invalid TOML: {msg}"))
    })?;
    let top = root(&doc);
    top.only(&cx, TOP_KEYS)?;
    let kind = top.str(&cx, "kind")?;
    let name = top.str(&cx, "name")?;
    for (key, value, dir) in [("kind", &kind, kind_dir), ("name", &name, name_dir)] {
        if !is_slug(value) {
            return Err(cx.err(
                top.value_span(key),
                format!("`{key}` must be lowercase letters, digits and `-` (it is part of the marker line)"),
            ));
        }
        if value != dir {
            return Err(cx.err(
                top.value_span(key),
                format!("`{key} = \"{value}\"` disagrees with the folder `{dir}`"),
            ));
        }
    }
    let output = top.str(&cx, "output")?;
    if output.starts_with('/') || output.contains('\\') || output.split('/').any(|s| s == "..") {
        return Err(cx.err(
            top.value_span("output"),
            "`output` must be a relative `/`-separated path inside the source root",
        ));
    }
    let desc = Descriptor {
        file: file.to_string(),
        aliases: top.opt_strs(&cx, "aliases")?.unwrap_or_default(),
        summary: top.str(&cx, "summary")?,
        output,
        runtime_package: top.str(&cx, "runtime_package")?,
        wire_up: top.str(&cx, "wire_up")?,
        targets: parse_targets(&cx, &top)?,
        env: parse_env(&cx, &top)?,
        versions: parse_versions(&cx, &top)?,
        variants: parse_variants(&cx, &top)?,
        kind,
        name,
    };
    check_targets_used(&cx, &top, &desc)?;
    Ok(desc)
}

fn parse_targets(cx: &Ctx, top: &Tbl) -> Res<Vec<TargetRule>> {
    let t = top
        .sub(cx, "targets")?
        .ok_or_else(|| top.missing(cx, "targets", "a table with one entry per target"))?;
    t.only(cx, TARGETS).map_err(|e| DescError {
        message: e.message.replace("unknown key", "unknown target"),
        ..e
    })?;
    let mut out = Vec::new();
    for target in TARGETS {
        let rule = t.sub(cx, target)?.ok_or_else(|| {
            cx.err(
                t.span.clone(),
                format!(
                    "`targets` is missing `{target}` (every target is listed, with `supported`)"
                ),
            )
        })?;
        let rule = Tbl {
            what: format!("`targets.{target}`"),
            ..rule
        };
        rule.only(cx, &["supported", "why"])?;
        let supported = rule.bool(cx, "supported")?;
        let why = rule.opt_str(cx, "why")?;
        if !supported && why.is_none() {
            return Err(rule.missing(cx, "why", "the sentence the refusal prints"));
        }
        if supported && why.is_some() {
            return Err(cx.err(
                rule.key_span("why"),
                format!("`why` in `targets.{target}` is only for an unsupported target"),
            ));
        }
        out.push(TargetRule {
            target: target.to_string(),
            supported,
            why,
        });
    }
    if out.iter().all(|r| !r.supported) {
        return Err(cx.err(t.span.clone(), "no target is supported"));
    }
    Ok(out)
}

fn parse_env(cx: &Ctx, top: &Tbl) -> Res<Vec<EnvVar>> {
    let mut out: Vec<EnvVar> = Vec::new();
    for e in top.entries(cx, "env", "env")? {
        e.only(cx, &["name", "purpose"])?;
        let name = e.str(cx, "name")?;
        let valid = name.starts_with(|c: char| c.is_ascii_uppercase() || c == '_')
            && name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(cx.err(
                e.value_span("name"),
                format!("`{name}` is not an environment variable name (A-Z, 0-9, `_`)"),
            ));
        }
        if out.iter().any(|o| o.name == name) {
            return Err(cx.err(e.value_span("name"), format!("`{name}` is listed twice")));
        }
        let purpose = e.str(cx, "purpose")?;
        out.push(EnvVar { name, purpose });
    }
    Ok(out)
}

fn target_list(cx: &Ctx, t: &Tbl, key: &str) -> Res<Vec<String>> {
    let list = t.opt_strs(cx, key)?.unwrap_or_default();
    for name in &list {
        if !TARGETS.contains(&name.as_str()) {
            return Err(cx.err(
                t.value_span(key),
                format!("unknown target `{name}` (known: {})", TARGETS.join(", ")),
            ));
        }
    }
    Ok(list)
}

fn parse_versions(cx: &Ctx, top: &Tbl) -> Res<Vec<VersionDesc>> {
    let entries = top.entries(cx, "versions", "versions")?;
    if entries.is_empty() {
        return Err(top.missing(cx, "versions", "at least one `[[versions]]`"));
    }
    let mut out: Vec<VersionDesc> = Vec::new();
    for v in entries {
        v.only(cx, &["number", "min_runtime", "summary", "deps", "config"])?;
        let number = v.number(cx, "number")?;
        if out.iter().any(|o| o.number == number) {
            return Err(cx.err(
                v.value_span("number"),
                format!("version {number} is listed twice"),
            ));
        }
        let min_runtime = v.str(cx, "min_runtime")?;
        if !looks_like_version(&min_runtime) {
            return Err(cx.err(
                v.value_span("min_runtime"),
                format!("`min_runtime` must be a version such as `2.0.3`, not `{min_runtime}`"),
            ));
        }
        let mut deps: Vec<DepDesc> = Vec::new();
        for d in v.entries(cx, "deps", "versions.deps")? {
            d.only(cx, &["name", "range", "targets", "caveat", "section"])?;
            let dep = DepDesc {
                name: d.str(cx, "name")?,
                range: d.str(cx, "range")?,
                targets: target_list(cx, &d, "targets")?,
                caveat: d.opt_str(cx, "caveat")?,
                section: d.opt_str(cx, "section")?.unwrap_or("dependencies".into()),
            };
            if !SECTIONS.contains(&dep.section.as_str()) {
                return Err(cx.err(
                    d.value_span("section"),
                    format!("`section` must be one of: {}", SECTIONS.join(", ")),
                ));
            }
            if deps.iter().any(|o| o.name == dep.name) {
                return Err(cx.err(
                    d.value_span("name"),
                    format!("`{}` is listed twice in this version", dep.name),
                ));
            }
            deps.push(dep);
        }
        let mut config = Vec::new();
        for c in v.entries(cx, "config", "versions.config")? {
            config.push(parse_config(cx, &c)?);
        }
        out.push(VersionDesc {
            number,
            min_runtime,
            summary: v.str(cx, "summary")?,
            deps,
            config,
            line: cx.line_of(v.span.clone()),
        });
    }
    out.sort_by_key(|v| v.number);
    Ok(out)
}

fn looks_like_version(s: &str) -> bool {
    let core = s.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

fn parse_config(cx: &Ctx, c: &Tbl) -> Res<ConfigDesc> {
    c.only(cx, &["target", "file", "key", "item", "match"])?;
    let target = c.str(cx, "target")?;
    if !TARGETS.contains(&target.as_str()) {
        return Err(cx.err(
            c.value_span("target"),
            format!("unknown target `{target}` (known: {})", TARGETS.join(", ")),
        ));
    }
    let file = c.str(cx, "file")?;
    if !CONFIG_FILES.contains(&file.as_str()) {
        return Err(cx.err(
            c.value_span("file"),
            format!(
                "unknown config file `{file}` (known: {})",
                CONFIG_FILES.join(", ")
            ),
        ));
    }
    let item =
        c.t.get("item")
            .ok_or_else(|| c.missing(cx, "item", "the entry to add"))?;
    let item_json = to_json(item).map_err(|m| cx.err(c.value_span("item"), m))?;
    let match_key = c.opt_str(cx, "match")?;
    if let Some(m) = &match_key {
        let has = item.as_table_like().is_some_and(|t| t.contains_key(m));
        if !has {
            return Err(cx.err(
                c.value_span("match"),
                format!("`match = \"{m}\"` names no field of `item`"),
            ));
        }
    }
    Ok(ConfigDesc {
        target,
        key: c.str(cx, "key")?,
        file,
        item_json,
        match_key,
    })
}

/// A TOML value as JSON text (strings, numbers, booleans, arrays, tables).
pub fn to_json(item: &Item) -> Result<String, String> {
    match item {
        Item::Value(v) => value_json(v),
        Item::Table(t) => table_json(t),
        _ => Err("`item` must be a value or a table".to_string()),
    }
}

fn table_json(t: &dyn TableLike) -> Result<String, String> {
    let mut parts = Vec::new();
    for (k, item) in t.iter() {
        parts.push(format!("{}:{}", json_str(k), to_json(item)?));
    }
    Ok(format!("{{{}}}", parts.join(",")))
}

fn value_json(v: &Value) -> Result<String, String> {
    Ok(match v {
        Value::String(s) => json_str(s.value()),
        Value::Integer(i) => i.value().to_string(),
        Value::Float(f) if f.value().is_finite() => f.value().to_string(),
        Value::Boolean(b) => b.value().to_string(),
        Value::Array(a) => {
            let items: Result<Vec<String>, String> = a.iter().map(value_json).collect();
            format!("[{}]", items?.join(","))
        }
        Value::InlineTable(t) => table_json(t)?,
        _ => {
            return Err(
                "`item` holds a value JSON cannot carry (a date or a non-finite float)".into(),
            );
        }
    })
}

fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Dependencies and config edits may only name supported targets.
fn check_targets_used(cx: &Ctx, top: &Tbl, d: &Descriptor) -> Res<()> {
    let supported = |t: &str| d.targets.iter().any(|r| r.target == t && r.supported);
    for v in &d.versions {
        let used = v
            .deps
            .iter()
            .flat_map(|dep| dep.targets.iter())
            .chain(v.config.iter().map(|c| &c.target));
        for t in used {
            if !supported(t) {
                let line_span = line_start(cx.text, v.line);
                let _ = top;
                return Err(cx.err(
                    Some(line_span..line_span),
                    format!(
                        "version {} names target `{t}`, which `targets.{t}` marks unsupported",
                        v.number
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn line_start(text: &str, line: usize) -> usize {
    text.split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum()
}

fn parse_variants(cx: &Ctx, top: &Tbl) -> Res<Vec<VariantDesc>> {
    let mut out = Vec::new();
    for v in top.entries(cx, "variants", "variants")? {
        v.only(cx, &["marker_version", "file", "origin"])?;
        let file = v.str(cx, "file")?;
        if file.starts_with('/') || file.split('/').any(|s| s == "..") {
            return Err(cx.err(
                v.value_span("file"),
                "`file` must be a path inside the blueprint folder",
            ));
        }
        out.push(VariantDesc {
            marker_version: v.number(cx, "marker_version")?,
            origin: v.str(cx, "origin")?,
            file,
            line: cx.line_of(v.span.clone()),
        });
    }
    Ok(out)
}

/// The template file name of a version.
pub fn template_name(n: u32) -> String {
    format!("v{n}.ts")
}

/// Checks the files beside the descriptor: `v<N>.ts` for each version (first
/// line the marker, no template syntax), `guide.md`, each variant's file.
/// `read` reads a path relative to the blueprint folder; `dir` is how errors
/// name that folder (`templates/sandbox/mirage`).
pub fn check_files(d: &Descriptor, dir: &str, read: &dyn Fn(&str) -> Option<String>) -> Res<()> {
    let at_line = |line: usize, message: String| DescError {
        file: d.file.clone(),
        line,
        column: 1,
        message,
    };
    let mut files: Vec<(String, u32, usize)> = d
        .versions
        .iter()
        .map(|v| (template_name(v.number), v.number, v.line))
        .collect();
    for v in &d.variants {
        if !d.versions.iter().any(|x| x.number == v.marker_version) {
            return Err(at_line(
                v.line,
                format!(
                    "variant `{}` carries marker version {}, which is not a version of this blueprint",
                    v.file, v.marker_version
                ),
            ));
        }
        files.push((v.file.clone(), v.marker_version, v.line));
    }
    for (name, number, line) in files {
        let text = read(&name).ok_or_else(|| {
            at_line(line, format!("`{dir}/{name}` is missing (each `[[versions]]` has its `v<N>.ts`; each variant its file)"))
        })?;
        check_template(&format!("{dir}/{name}"), &text, &d.kind, &d.name, number)?;
    }
    if read("guide.md").is_none() {
        return Err(at_line(1, format!("`{dir}/guide.md` is missing")));
    }
    Ok(())
}

/// A template's first line is its marker and it holds no template syntax
/// (templates are rendered verbatim).
pub fn check_template(file: &str, text: &str, kind: &str, name: &str, n: u32) -> Res<()> {
    let cx = Ctx { file, text };
    let want = format!("{MARKER_PREFIX} {kind}/{name}@{n}");
    let first = text.split('\n').next().unwrap_or("").trim_end_matches('\r');
    if first != want {
        return Err(cx.err(
            Some(0..0),
            format!("the first line is `{first}`; expected the marker `{want}`"),
        ));
    }
    for syntax in ["{{", "{%", "{#"] {
        if let Some(i) = text.find(syntax) {
            return Err(cx.err(
                Some(i..i),
                format!("`{syntax}` is template syntax; templates are rendered verbatim and must not contain it"),
            ));
        }
    }
    Ok(())
}

/// Parses `templates/<kind>/_unpublished.toml`: `[[unpublished]]` entries
/// with `name`, `package` and `note`.
pub fn parse_unpublished(file: &str, text: &str, kind: &str) -> Res<Vec<UnpublishedDesc>> {
    let cx = Ctx { file, text };
    let doc = Document::parse(text).map_err(|e| {
        let msg = e.message().trim().to_string();
        cx.err(e.span(), format!("invalid TOML: {msg}"))
    })?;
    let top = root(&doc);
    top.only(&cx, &["unpublished"])?;
    let mut out = Vec::new();
    for u in top.entries(&cx, "unpublished", "unpublished")? {
        u.only(&cx, &["name", "package", "note"])?;
        out.push(UnpublishedDesc {
            kind: kind.to_string(),
            name: u.str(&cx, "name")?,
            package: u.str(&cx, "package")?,
            note: u.str(&cx, "note")?,
        });
    }
    Ok(out)
}

/// Checks what no single descriptor can: names and aliases unique per kind.
pub fn check_catalog(descs: &[Descriptor], unpublished: &[UnpublishedDesc]) -> Res<()> {
    for (i, d) in descs.iter().enumerate() {
        for other in &descs[..i] {
            if other.kind != d.kind {
                continue;
            }
            let names = |x: &Descriptor| {
                std::iter::once(x.name.to_ascii_lowercase())
                    .chain(x.aliases.iter().map(|a| a.to_ascii_lowercase()))
                    .collect::<Vec<_>>()
            };
            let theirs = names(other);
            if let Some(n) = names(d).into_iter().find(|n| theirs.contains(n)) {
                return Err(DescError {
                    file: d.file.clone(),
                    line: 1,
                    column: 1,
                    message: format!("`{n}` also names `{}` ({})", other.name, other.file),
                });
            }
        }
        if let Some(u) = unpublished
            .iter()
            .find(|u| u.kind == d.kind && u.name == d.name)
        {
            return Err(DescError {
                file: d.file.clone(),
                line: 1,
                column: 1,
                message: format!("`{}` is also listed as unpublished", u.name),
            });
        }
    }
    Ok(())
}

fn lit(s: &str) -> String {
    format!("{s:?}")
}

fn opt_lit(s: &Option<String>) -> String {
    match s {
        Some(s) => format!("Some({s:?})"),
        None => "None".to_string(),
    }
}

fn targets_lit(ts: &[String]) -> String {
    let items: Vec<String> = ts.iter().map(|t| target_variant(t)).collect();
    format!("&[{}]", items.join(", "))
}

fn target_variant(t: &str) -> String {
    let mut c = t.chars();
    let first = c.next().map(|f| f.to_ascii_uppercase()).unwrap_or('_');
    format!("TargetName::{first}{}", c.as_str())
}

/// The Rust source of the catalog. `dirs[i]` is the absolute folder of
/// `descs[i]` (for `include_str!`); `rel_dirs[i]` the folder relative to
/// `templates/` (for askama's `path`).
pub fn generate(
    descs: &[Descriptor],
    abs_dirs: &[String],
    unpublished: &[UnpublishedDesc],
) -> String {
    let mut types = String::new();
    let mut entries = String::new();
    let mut n = 0usize;
    let mut template = |rel: String, out: &mut String| -> String {
        n += 1;
        out.push_str(&format!(
            "#[derive(askama::Template)]\n#[template(path = {}, escape = \"none\")]\nstruct Template{n};\n",
            lit(&rel)
        ));
        format!("|| render::render(&Template{n})")
    };
    for (d, abs) in descs.iter().zip(abs_dirs) {
        let rel = format!("{}/{}", d.kind, d.name);
        let mut versions = String::new();
        for v in &d.versions {
            let render = template(format!("{rel}/{}", template_name(v.number)), &mut types);
            let deps: Vec<String> = v
                .deps
                .iter()
                .map(|dep| {
                    format!(
                        "Dep {{ name: {}, range: {}, targets: {}, caveat: {}, section: {} }}",
                        lit(&dep.name),
                        lit(&dep.range),
                        targets_lit(&dep.targets),
                        opt_lit(&dep.caveat),
                        lit(&dep.section)
                    )
                })
                .collect();
            let config: Vec<String> = v
                .config
                .iter()
                .map(|c| {
                    format!(
                        "ConfigEdit {{ target: {}, file: {}, key: {}, item: {}, match_key: {} }}",
                        target_variant(&c.target),
                        lit(&c.file),
                        lit(&c.key),
                        lit(&c.item_json),
                        opt_lit(&c.match_key)
                    )
                })
                .collect();
            versions.push_str(&format!(
                "Version {{ number: {}, min_runtime: {}, summary: {}, render: {render}, deps: &[{}], config: &[{}] }},\n",
                v.number,
                lit(&v.min_runtime),
                lit(&v.summary),
                deps.join(", "),
                config.join(", ")
            ));
        }
        let mut variants = String::new();
        for v in &d.variants {
            let render = template(format!("{rel}/{}", v.file), &mut types);
            variants.push_str(&format!(
                "Variant {{ marker_version: {}, origin: {}, render: {render} }},\n",
                v.marker_version,
                lit(&v.origin)
            ));
        }
        let targets: Vec<String> = d
            .targets
            .iter()
            .map(|t| {
                format!(
                    "TargetSupport {{ target: {}, supported: {}, why: {} }}",
                    target_variant(&t.target),
                    t.supported,
                    opt_lit(&t.why)
                )
            })
            .collect();
        let env: Vec<String> = d
            .env
            .iter()
            .map(|e| {
                format!(
                    "EnvVar {{ name: {}, purpose: {} }}",
                    lit(&e.name),
                    lit(&e.purpose)
                )
            })
            .collect();
        let aliases: Vec<String> = d.aliases.iter().map(|a| lit(a)).collect();
        entries.push_str(&format!(
            "Blueprint {{\n kind: {}, name: {}, aliases: &[{}], summary: {}, output: {}, runtime_package: {},\n targets: &[{}],\n env: &[{}],\n versions: &[\n{versions}],\n variants: &[\n{variants}],\n guide: include_str!({}),\n wire_up: {},\n}},\n",
            lit(&d.kind),
            lit(&d.name),
            aliases.join(", "),
            lit(&d.summary),
            lit(&d.output),
            lit(&d.runtime_package),
            targets.join(", "),
            env.join(", "),
            lit(&format!("{abs}/guide.md")),
            lit(&d.wire_up)
        ));
    }
    let unpublished: Vec<String> = unpublished
        .iter()
        .map(|u| {
            format!(
                "Unpublished {{ kind: {}, name: {}, package: {}, note: {} }}",
                lit(&u.kind),
                lit(&u.name),
                lit(&u.package),
                lit(&u.note)
            )
        })
        .collect();
    format!(
        "// Generated by build.rs from templates/: do not edit.\n{types}\n/// Every blueprint this build carries, in display order (kind, then name).\npub static CATALOG: &[Blueprint] = &[\n{entries}];\n\n/// Blueprints left out because their SDK cannot be installed.\npub static UNPUBLISHED: &[Unpublished] = &[{}];\n",
        unpublished.join(", ")
    )
}
