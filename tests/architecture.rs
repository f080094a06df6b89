//! The size rules of docs/architecture.md, checked: every file in `src/`
//! reads in one sitting (at most 900 code lines, not counting its unit
//! tests), and no function hides a long parameter list behind an allow.
//! Function length (80 lines) is clippy's `too_many_lines`, configured in
//! `clippy.toml` and denied in CI.

use std::path::{Path, PathBuf};

const MAX_CODE_LINES: usize = 900;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Lines that are neither blank nor comments, up to the file's
/// `#[cfg(test)]` module (unit tests do not count; `*_tests.rs` files are
/// tests through and through).
fn code_lines(text: &str) -> usize {
    text.lines()
        .take_while(|l| l.trim() != "#[cfg(test)]")
        .filter(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with("//")
        })
        .count()
}

fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let shown = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            (shown, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

#[test]
fn no_source_file_is_over_900_code_lines() {
    let too_long: Vec<String> = sources()
        .iter()
        .filter(|(name, _)| !name.ends_with("_tests.rs"))
        .map(|(name, text)| (name, code_lines(text)))
        .filter(|(_, n)| *n > MAX_CODE_LINES)
        .map(|(name, n)| format!("{name}: {n} code lines"))
        .collect();
    assert!(too_long.is_empty(), "over {MAX_CODE_LINES}: {too_long:#?}");
}

#[test]
fn no_function_allows_too_many_arguments() {
    let allowed: Vec<String> = sources()
        .into_iter()
        .filter(|(_, text)| text.contains("clippy::too_many_arguments"))
        .map(|(name, _)| name)
        .collect();
    assert!(
        allowed.is_empty(),
        "`too_many_arguments` allowed in {allowed:?}"
    );
}

#[test]
fn the_function_length_rule_is_configured() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let clippy = std::fs::read_to_string(root.join("clippy.toml")).unwrap();
    assert!(clippy.contains("too-many-lines-threshold = 80"), "{clippy}");
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).unwrap();
    assert!(
        lib.contains("clippy::too_many_lines"),
        "lib.rs must warn on too_many_lines"
    );
}
