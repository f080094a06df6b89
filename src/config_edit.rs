//! Format-preserving edits a blueprint asks for beyond `package.json`:
//! entries appended to a top-level array of the Wrangler config (JSONC with
//! jsonc-parser's CST, TOML with toml_edit; comments kept), and `NAME=` lines
//! appended to `.env.example`. Pure text in, text out: planning calls these,
//! `apply` writes the results.

use jsonc_parser::ParseOptions;
use jsonc_parser::cst::{CstInputValue, CstRootNode};
use serde_json::Value;

/// Why an edit could not be planned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError {
    pub message: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
}

fn err(message: impl Into<String>) -> EditError {
    EditError {
        message: message.into(),
        line: None,
    }
}

/// Whether `element` already stands for `item` (same `match_key` field, or equal).
fn matches(element: &Value, item: &Value, match_key: Option<&str>) -> bool {
    match match_key {
        Some(k) => element.get(k).is_some() && element.get(k) == item.get(k),
        None => element == item,
    }
}

fn to_cst(v: &Value) -> CstInputValue {
    match v {
        Value::Null => CstInputValue::Null,
        Value::Bool(b) => CstInputValue::Bool(*b),
        Value::Number(n) => CstInputValue::Number(n.to_string()),
        Value::String(s) => CstInputValue::String(s.clone()),
        Value::Array(a) => CstInputValue::Array(a.iter().map(to_cst).collect()),
        Value::Object(o) => {
            CstInputValue::Object(o.iter().map(|(k, v)| (k.clone(), to_cst(v))).collect())
        }
    }
}

/// Appends `item` to the top-level array `key` of a JSONC document unless an
/// element matches. `Ok(None)`: already present, nothing to change.
pub fn edit_jsonc(
    text: &str,
    key: &str,
    item: &Value,
    match_key: Option<&str>,
) -> Result<Option<String>, EditError> {
    let opts = ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        allow_loose_object_property_names: false,
        ..Default::default()
    };
    let root = CstRootNode::parse(text, &opts).map_err(|e| EditError {
        message: format!("invalid JSONC: {}", e.kind()),
        line: Some(crate::error::line_col(text, e.range().start).0),
    })?;
    let obj = root
        .object_value()
        .ok_or_else(|| err("the top level is not an object"))?;
    let array = match obj.get(key) {
        Some(prop) => prop
            .array_value()
            .ok_or_else(|| err(format!("`{key}` is not an array")))?,
        None => obj.array_value_or_set(key),
    };
    let present = array.elements().iter().any(|e| {
        jsonc_parser::parse_to_serde_value::<Value>(&e.to_string(), &Default::default())
            .is_ok_and(|v| matches(&v, item, match_key))
    });
    if present {
        return Ok(None);
    }
    array.append(to_cst(item));
    Ok(Some(root.to_string()))
}

fn toml_value(v: &Value) -> Result<toml_edit::Value, EditError> {
    Ok(match v {
        Value::Bool(b) => (*b).into(),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.into(),
            (None, Some(f)) => f.into(),
            _ => return Err(err("a number TOML cannot carry")),
        },
        Value::String(s) => s.as_str().into(),
        Value::Array(a) => {
            let mut arr = toml_edit::Array::new();
            for x in a {
                arr.push(toml_value(x)?);
            }
            toml_edit::Value::Array(arr)
        }
        Value::Object(o) => {
            let mut t = toml_edit::InlineTable::new();
            for (k, x) in o {
                t.insert(k, toml_value(x)?);
            }
            toml_edit::Value::InlineTable(t)
        }
        Value::Null => return Err(err("TOML has no null")),
    })
}

fn toml_to_json(item: &toml_edit::Item) -> Option<Value> {
    match item {
        toml_edit::Item::Value(v) => value_to_json(v),
        toml_edit::Item::Table(t) => Some(Value::Object(
            t.iter()
                .filter_map(|(k, v)| Some((k.to_string(), toml_to_json(v)?)))
                .collect(),
        )),
        _ => None,
    }
}

fn value_to_json(v: &toml_edit::Value) -> Option<Value> {
    use toml_edit::Value as V;
    Some(match v {
        V::String(s) => Value::String(s.value().clone()),
        V::Integer(i) => Value::from(*i.value()),
        V::Float(f) => Value::from(*f.value()),
        V::Boolean(b) => Value::Bool(*b.value()),
        V::Array(a) => Value::Array(a.iter().filter_map(value_to_json).collect()),
        V::InlineTable(t) => Value::Object(
            t.iter()
                .filter_map(|(k, v)| Some((k.to_string(), value_to_json(v)?)))
                .collect(),
        ),
        V::Datetime(d) => Value::String(d.value().to_string()),
    })
}

/// The TOML counterpart of [`edit_jsonc`]: `[[key]]` tables (or an inline
/// array) at the top level.
pub fn edit_toml(
    text: &str,
    key: &str,
    item: &Value,
    match_key: Option<&str>,
) -> Result<Option<String>, EditError> {
    let mut doc: toml_edit::DocumentMut =
        text.parse().map_err(|e: toml_edit::TomlError| EditError {
            message: format!("invalid TOML: {}", e.message().trim()),
            line: e.span().map(|s| crate::error::line_col(text, s.start).0),
        })?;
    let present = |elements: Vec<Option<Value>>| {
        elements
            .iter()
            .flatten()
            .any(|v| matches(v, item, match_key))
    };
    match doc.get_mut(key) {
        // An object becomes a `[[key]]` table; anything else (a compatibility
        // flag, say) an inline array `key = [item]`.
        None if item.is_object() => {
            let mut aot = toml_edit::ArrayOfTables::new();
            aot.push(object_table(item)?);
            doc.insert(key, toml_edit::Item::ArrayOfTables(aot));
        }
        None => {
            let mut arr = toml_edit::Array::new();
            arr.push(toml_value(item)?);
            doc.insert(key, toml_edit::Item::Value(toml_edit::Value::Array(arr)));
        }
        Some(toml_edit::Item::ArrayOfTables(aot)) => {
            let elements = aot
                .iter()
                .map(|t| toml_to_json(&toml_edit::Item::Table(t.clone())))
                .collect();
            if present(elements) {
                return Ok(None);
            }
            aot.push(object_table(item)?);
        }
        Some(toml_edit::Item::Value(toml_edit::Value::Array(arr))) => {
            if present(arr.iter().map(value_to_json).collect()) {
                return Ok(None);
            }
            arr.push(toml_value(item)?);
        }
        Some(_) => return Err(err(format!("`{key}` is not an array"))),
    }
    Ok(Some(doc.to_string()))
}

fn object_table(item: &Value) -> Result<toml_edit::Table, EditError> {
    let Value::Object(o) = item else {
        return Err(err("a `[[table]]` entry must be an object"));
    };
    let mut t = toml_edit::Table::new();
    for (k, v) in o {
        t.insert(k, toml_edit::Item::Value(toml_value(v)?));
    }
    Ok(t)
}

/// A minimal `wrangler.jsonc` holding the given top-level arrays.
pub fn new_jsonc(entries: &[(&str, Vec<Value>)]) -> String {
    let mut obj = serde_json::Map::new();
    for (k, items) in entries {
        obj.insert(k.to_string(), Value::Array(items.clone()));
    }
    let mut s = serde_json::to_string_pretty(&Value::Object(obj)).expect("JSON values serialise");
    s.push('\n');
    s
}

/// Whether `.env` text has an entry (or a commented-out one) for `name`.
fn has_env(text: &str, name: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_start();
        let l = l.strip_prefix('#').map(str::trim_start).unwrap_or(l);
        let l = l.strip_prefix("export ").unwrap_or(l).trim_start();
        l.strip_prefix(name)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    })
}

/// Appends a `NAME=` line for each name `text` lacks, in its dominant line
/// ending, keeping whether it ends with a newline. `None`: nothing to add.
pub fn append_env(text: &str, names: &[&str]) -> Option<String> {
    let missing: Vec<&&str> = names.iter().filter(|n| !has_env(text, n)).collect();
    if missing.is_empty() {
        return None;
    }
    let crlf = text.matches("\r\n").count() * 2 > text.matches('\n').count();
    let nl = if crlf { "\r\n" } else { "\n" };
    let final_newline = text.is_empty() || text.ends_with('\n');
    let mut out = text.to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(nl);
    }
    let lines: Vec<String> = missing.iter().map(|n| format!("{n}=")).collect();
    out.push_str(&lines.join(nl));
    if final_newline {
        out.push_str(nl);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn jsonc_append_keeps_comments_and_is_idempotent() {
        let text = "{\n  // the worker\n  \"name\": \"app\",\n  \"worker_loaders\": [\n    { \"binding\": \"OTHER\" }, // keep\n  ],\n}\n";
        let item = json!({"binding": "LOADER"});
        let out = edit_jsonc(text, "worker_loaders", &item, Some("binding"))
            .unwrap()
            .unwrap();
        assert!(
            out.contains("// the worker") && out.contains("// keep"),
            "{out}"
        );
        assert!(out.contains("\"LOADER\""), "{out}");
        assert_eq!(
            edit_jsonc(&out, "worker_loaders", &item, Some("binding")).unwrap(),
            None
        );
    }

    #[test]
    fn jsonc_creates_the_array_and_refuses_a_non_array() {
        let out = edit_jsonc(
            "{\n  \"name\": \"app\"\n}\n",
            "worker_loaders",
            &json!({"binding": "L"}),
            None,
        )
        .unwrap()
        .unwrap();
        let v: Value = jsonc_parser::parse_to_serde_value(&out, &Default::default()).unwrap();
        assert_eq!(v["worker_loaders"], json!([{"binding": "L"}]));
        assert_eq!(v["name"], "app");
        let e =
            edit_jsonc("{\"worker_loaders\": 1}", "worker_loaders", &json!(1), None).unwrap_err();
        assert!(e.message.contains("not an array"));
        let e = edit_jsonc("{\n\"a\": }", "k", &json!(1), None).unwrap_err();
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn toml_append_keeps_comments_and_is_idempotent() {
        let text = "# app\nname = \"app\"\n\n[[worker_loaders]]\nbinding = \"OTHER\" # keep\n";
        let item = json!({"binding": "LOADER"});
        let out = edit_toml(text, "worker_loaders", &item, Some("binding"))
            .unwrap()
            .unwrap();
        assert!(out.starts_with(text), "{out}");
        assert!(
            out.ends_with("[[worker_loaders]]\nbinding = \"LOADER\"\n"),
            "{out}"
        );
        assert_eq!(
            edit_toml(&out, "worker_loaders", &item, Some("binding")).unwrap(),
            None
        );
        let out = edit_toml("name = \"app\"\n", "worker_loaders", &item, None)
            .unwrap()
            .unwrap();
        assert_eq!(
            out,
            "name = \"app\"\n\n[[worker_loaders]]\nbinding = \"LOADER\"\n"
        );
        // A missing array of plain values is created inline, before any table.
        let out = edit_toml(
            "name = \"app\"\n\n[vars]\nA = \"1\"\n",
            "flags",
            &json!("b"),
            None,
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            out,
            "name = \"app\"\nflags = [\"b\"]\n\n[vars]\nA = \"1\"\n"
        );
        let out = edit_toml("flags = [\"a\"]\n", "flags", &json!("b"), None)
            .unwrap()
            .unwrap();
        assert_eq!(out, "flags = [\"a\", \"b\"]\n");
        assert_eq!(
            edit_toml("flags = [\"a\"]\n", "flags", &json!("a"), None).unwrap(),
            None
        );
    }

    #[test]
    fn env_lines_keep_format_and_existing_entries() {
        assert_eq!(append_env("A=1\n", &["B", "A"]).unwrap(), "A=1\nB=\n");
        assert_eq!(
            append_env("A=1\r\nC=2\r\n", &["B"]).unwrap(),
            "A=1\r\nC=2\r\nB=\n".replace("B=\n", "B=\r\n")
        );
        assert_eq!(append_env("A=1", &["B"]).unwrap(), "A=1\nB=");
        assert_eq!(append_env("# B=\nexport A = 1\n", &["A", "B"]), None);
        assert_eq!(append_env("", &["B"]).unwrap(), "B=\n");
        assert_eq!(append_env("BB=1\n", &["B"]).unwrap(), "BB=1\nB=\n");
    }
}
