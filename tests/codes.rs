//! The error codes a user can see are listed in three places: the `Code`
//! enum (the one the program uses), the README's "Error codes" table and
//! the JSON schema's `error.code` enum. These tests keep the three equal,
//! and check each code's documented exit status against `Code::exit_code`.

use std::collections::BTreeMap;

use flue::error::{Code, WarningCode};

const README: &str = include_str!("../README.md");
const SCHEMA: &str = include_str!("../schema/report.schema.json");

fn is_snake(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The codes of the enum, in its order.
fn enum_codes() -> Vec<&'static str> {
    Code::ALL.iter().map(|c| c.as_str()).collect()
}

/// The README's table rows: each code (a row may name several, `a` / `b`)
/// with its "exit" column.
fn readme_table() -> BTreeMap<String, String> {
    let section = README
        .split("### Error codes")
        .nth(1)
        .expect("the README has an \"Error codes\" section");
    let mut rows = BTreeMap::new();
    for line in section.lines().skip_while(|l| !l.starts_with('|')) {
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let (names, exit) = (cells[0], cells[cells.len() - 1]);
        for name in names.split('/').map(|n| n.trim().trim_matches('`')) {
            if is_snake(name) {
                assert!(
                    rows.insert(name.to_string(), exit.to_string()).is_none(),
                    "README lists `{name}` twice"
                );
            }
        }
    }
    rows.remove("code"); // the header row
    rows
}

fn schema_codes() -> Vec<String> {
    schema_enum("error")
}

/// `$defs.<def>.properties.code.enum` of the schema.
fn schema_enum(def: &str) -> Vec<String> {
    let schema: serde_json::Value = serde_json::from_str(SCHEMA).unwrap();
    schema["$defs"][def]["properties"]["code"]["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("schema: {def}.code has an enum"))
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn readme_table_lists_exactly_the_enum_codes() {
    let mut ours = enum_codes();
    ours.sort();
    let table = readme_table();
    let readme: Vec<&str> = table.keys().map(String::as_str).collect();
    assert_eq!(
        readme, ours,
        "README \"Error codes\" table vs src/error.rs `Code`"
    );
}

#[test]
fn schema_lists_exactly_the_enum_codes_in_order() {
    assert_eq!(
        schema_codes(),
        enum_codes(),
        "schema error.code enum vs `Code::ALL`"
    );
}

#[test]
fn readme_exit_column_matches_exit_code() {
    let table = readme_table();
    for code in Code::ALL {
        let documented = &table[code.as_str()];
        // `package_errors` ends a workspace run with its most severe package's status.
        if documented == "the most severe" {
            assert_eq!(*code, Code::PackageErrors);
            continue;
        }
        assert_eq!(
            documented,
            &code.exit_code().to_string(),
            "README's exit column for `{code}`"
        );
    }
}

#[test]
fn codes_are_snake_case_and_unique() {
    let mut seen = std::collections::HashSet::new();
    for code in enum_codes() {
        assert!(is_snake(code), "{code}");
        assert!(seen.insert(code), "`{code}` twice in `Code`");
    }
}

/// Every variant is raised somewhere outside `src/error.rs`: a code nothing
/// produces is a documented promise the program does not keep.
/// All of `src/` except `error.rs`, where the codes are declared.
fn sources() -> String {
    fn walk(dir: &std::path::Path, out: &mut String) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("error.rs") {
                out.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut src = String::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut src,
    );
    src
}

#[test]
fn every_code_is_raised_somewhere() {
    let src = sources();
    for code in Code::ALL {
        let variant = format!("Code::{code:?}");
        assert!(
            src.contains(&variant),
            "nothing raises `{code}` ({variant})"
        );
    }
}

/// The README's "Warning codes" paragraph: every backquoted snake_case word
/// that is not inside a parenthesis (those name files and keys).
fn readme_warnings() -> Vec<String> {
    let para = README
        .split("Warning codes:")
        .nth(1)
        .expect("the README has a \"Warning codes:\" paragraph")
        .split("\n\n")
        .next()
        .unwrap();
    let (mut depth, mut out) = (0, Vec::new());
    for (i, piece) in para.split('`').enumerate() {
        if i % 2 == 1 {
            if depth == 0 && is_snake(piece) {
                out.push(piece.to_string());
            }
            continue;
        }
        for c in piece.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
        }
    }
    out
}

#[test]
fn readme_and_schema_list_exactly_the_warning_codes() {
    let ours: Vec<&str> = WarningCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        readme_warnings(),
        ours,
        "README \"Warning codes\" vs `WarningCode::ALL`"
    );
    assert_eq!(
        schema_enum("warning"),
        ours,
        "schema warning.code enum vs `WarningCode::ALL`"
    );
}

#[test]
fn every_warning_code_is_raised_somewhere() {
    let src = sources();
    for code in WarningCode::ALL {
        let variant = format!("WarningCode::{code:?}");
        assert!(
            src.contains(&variant),
            "nothing raises warning `{code}` ({variant})"
        );
    }
}
