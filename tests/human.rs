//! The human report's layout: status verbs in one right-aligned column with
//! a margin (cargo's style), and the scripts a new user runs first.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

fn flue(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_flue"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("CI", "true")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn project() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    fs::write(
        d.path().join("package.json"),
        "{\n  \"dependencies\": {\n    \"@flue/runtime\": \"^2.1.0\"\n  }\n}\n",
    )
    .unwrap();
    d
}

const VERBS: &[&str] = &[
    "Project",
    "Source root",
    "Created",
    "Would create",
    "Updated",
    "Would update",
    "Added",
    "Would add",
];

/// The column where a status line's text starts (its first backtick), for
/// the lines whose verb is followed by a quoted path or name.
fn text_column(line: &str) -> Option<usize> {
    let t = line.trim_start();
    VERBS
        .iter()
        .any(|v| t.starts_with(&format!("{v} `")))
        .then(|| line.find('`'))
        .flatten()
}

#[test]
fn would_create_lines_up_with_created_and_keeps_a_margin() {
    let d = project();
    let (code, dry) = flue(d.path(), &["add", "mirage", "--dry-run"]);
    assert_eq!(code, 3, "{dry}");
    let (code, real) = flue(d.path(), &["add", "mirage"]);
    assert_eq!(code, 0, "{real}");
    let would = dry.lines().find(|l| l.contains("Would create")).unwrap();
    let created = real.lines().find(|l| l.contains("Created")).unwrap();
    assert!(would.starts_with(' '), "no margin: {would:?}");
    assert_eq!(
        text_column(would),
        text_column(created),
        "{would:?} / {created:?}"
    );
    // Every status line of both reports starts its text in the same column.
    let columns: Vec<usize> = dry
        .lines()
        .chain(real.lines())
        .filter_map(text_column)
        .collect();
    assert!(columns.len() >= 6, "{columns:?}");
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{dry}\n{real}");
    let (code, again) = flue(d.path(), &["add", "mirage"]);
    assert_eq!(code, 0);
    assert!(again.contains("Done: nothing to do"), "{again}");
}

/// `scripts/example.sh` is the first thing a new user runs: on a fresh
/// machine its build takes minutes, so cargo's progress must show.
#[test]
fn example_script_shows_cargo_progress() {
    let script =
        fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/example.sh")).unwrap();
    let builds: Vec<&str> = script
        .lines()
        .filter(|l| l.trim_start().starts_with("cargo build"))
        .collect();
    assert!(!builds.is_empty(), "the script builds flue");
    for b in builds {
        assert!(
            !b.contains("--quiet") && !b.split_whitespace().any(|w| w == "-q"),
            "`{b}` hides cargo's progress"
        );
    }
}
