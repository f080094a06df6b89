//! Config file text (JSON with comments, YAML, TOML) as JSON values, and where a key is, for
//! errors that point at a line.

use serde_json::Value;

use super::StyleError;
use crate::js;
/// A config's whole-number option (Prettier's `tabWidth`, Biome's `lineWidth`, …): `Some(None)`
/// when absent or `null`, clamped to `u32::MAX` when larger; `None` when it is not a whole
/// number, for the caller to name the key.
pub(super) fn whole_number(value: Option<&Value>) -> Option<Option<u32>> {
    match value {
        None | Some(Value::Null) => Some(None),
        Some(v) => v.as_u64().map(|n| Some(n.min(u64::from(u32::MAX)) as u32)),
    }
}

pub(super) fn parse_json(name: &str, text: &str) -> Result<Value, StyleError> {
    let options = jsonc_parser::ParseOptions::default();
    jsonc_parser::parse_to_serde_value::<Option<Value>>(text, &options)
        .map(Option::unwrap_or_default)
        .map_err(|e| StyleError {
            file: name.into(),
            line: Some(e.line_display()),
            message: format!("cannot parse `{name}` as JSON: {}", e.kind()),
        })
}

pub(super) fn parse_yaml(name: &str, text: &str) -> Result<Value, StyleError> {
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

pub(super) fn parse_toml(name: &str, text: &str) -> Result<Value, StyleError> {
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
pub(super) fn line_of_key(text: &str, key: &str) -> Option<usize> {
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
