//! The `--json` contract (SPEC §8, §13): every subcommand, with every flag
//! its `--help` lists (and every value of a flag that has a fixed set), run
//! with `--json`, prints exactly one JSON object on stdout that validates
//! against `schema/report.schema.json`, with `exit_code` equal to the
//! process's exit status. The invocations are enumerated from the clap
//! definition itself, so a new flag or subcommand is covered without
//! editing this file.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use clap::CommandFactory;

fn validator() -> jsonschema::Validator {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schema/report.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).expect("the schema is valid")
}

/// A fresh project with version 1 of the adapter installed.
fn project() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    fs::write(
        d.path().join("package.json"),
        "{\n  \"dependencies\": {\n    \"@flue/runtime\": \"^2.1.0\"\n  }\n}\n",
    )
    .unwrap();
    let bp = flue::blueprint::CATALOG
        .iter()
        .find(|b| b.name == "mirage")
        .unwrap();
    fs::create_dir_all(d.path().join("sandboxes")).unwrap();
    fs::write(
        d.path().join("sandboxes/mirage.ts"),
        (bp.version(1).unwrap().render)(),
    )
    .unwrap();
    d
}

fn run(dir: &Path, args: &[String]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_flue"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        // No package manager on PATH: `--install` fails fast instead of reaching a registry.
        .env("PATH", dir.join("no-bin"))
        .env("HOME", dir)
        .env("CI", "true")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// One value per flag that takes one: each fixed value, else a sample.
fn flag_forms(arg: &clap::Arg) -> Vec<Vec<String>> {
    let Some(long) = arg.get_long() else {
        return Vec::new();
    };
    let flag = format!("--{long}");
    if !arg.get_action().takes_values() {
        return vec![vec![flag]];
    }
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .map(|v| v.get_name().to_string())
        .collect();
    let values = if !values.is_empty() {
        values
    } else if long == "blueprint-version" {
        vec!["1".into(), "2".into(), "9".into()]
    } else {
        vec![".".into(), "missing-dir".into()]
    };
    values.into_iter().map(|v| vec![flag.clone(), v]).collect()
}

/// Positional forms per subcommand: none, and the ones the usage lists.
fn positionals(sub: &str) -> Vec<Vec<&'static str>> {
    match sub {
        "add" => vec![
            vec![],
            vec!["mirage"],
            vec!["sandbox"],
            vec!["sandbox", "mirage@1"],
        ],
        "update" | "diff" => vec![vec![], vec!["sandbox", "mirage"], vec!["mirag"]],
        "completions" => vec![
            vec![],
            vec!["bash"],
            vec!["zsh"],
            vec!["fish"],
            vec!["nushell"],
        ],
        "help" => vec![vec![], vec!["add"], vec!["ad"]],
        _ => vec![vec![]],
    }
}

fn invocations() -> Vec<Vec<String>> {
    let mut cli = flue::cli::Cli::command();
    cli.build();
    let mut subs: Vec<(Option<String>, Vec<clap::Arg>)> =
        vec![(None, cli.get_arguments().cloned().collect())];
    for s in cli.get_subcommands() {
        subs.push((
            Some(s.get_name().to_string()),
            s.get_arguments().cloned().collect(),
        ));
    }
    let mut out = Vec::new();
    for (sub, args) in &subs {
        let name = sub.as_deref().unwrap_or("");
        let mut forms: Vec<Vec<String>> = vec![vec![], vec!["-h".into()], vec!["--help".into()]];
        forms.extend(args.iter().flat_map(flag_forms));
        for pos in positionals(name) {
            for f in &forms {
                let mut words: Vec<String> = sub.iter().cloned().collect();
                words.extend(pos.iter().map(|s| s.to_string()));
                words.extend(f.iter().cloned());
                words.push("--json".into());
                out.push(words);
            }
        }
    }
    // Unknown subcommands and flags are usage errors, still one object.
    out.push(vec!["ad".into(), "mirage".into(), "--json".into()]);
    out.push(vec!["add".into(), "--bogus".into(), "--json".into()]);
    out.push(vec!["--json".into(), "add".into(), "mirage@".into()]);
    out
}

/// What is wrong with the output of one invocation.
fn check(v: &jsonschema::Validator, args: &[String]) -> Vec<String> {
    let d = project();
    let (status, stdout) = run(d.path(), args);
    let shown = args.join(" ");
    let mut problems = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(&stdout).into_iter::<serde_json::Value>();
    let first = match stream.next() {
        Some(Ok(value)) => value,
        other => {
            return vec![format!(
                "`flue {shown}`: not JSON ({other:?}): {stdout:.200}"
            )];
        }
    };
    if stream.next().is_some() {
        problems.push(format!("`flue {shown}`: more than one JSON value"));
    }
    if !first.is_object() {
        problems.push(format!("`flue {shown}`: not an object"));
    }
    if !stdout.ends_with("}\n") || stdout.trim().lines().count() != 1 {
        problems.push(format!("`flue {shown}`: not one line ending in a newline"));
    }
    for e in v.iter_errors(&first) {
        problems.push(format!(
            "`flue {shown}`: schema: {e} at `{}`",
            e.instance_path
        ));
    }
    if first["exit_code"].as_i64() != Some(i64::from(status)) {
        problems.push(format!(
            "`flue {shown}`: exit_code {} but the process exited {status}",
            first["exit_code"]
        ));
    }
    problems
}

#[test]
fn every_invocation_with_json_prints_one_valid_object() {
    let v = validator();
    let all = invocations();
    assert!(
        all.len() > 100,
        "the enumeration found too little: {}",
        all.len()
    );
    // Four runs at a time: each is a process in its own fresh project.
    let problems: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = all
            .chunks(all.len().div_ceil(4))
            .map(|chunk| s.spawn(|| chunk.iter().flat_map(|a| check(&v, a)).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(
        problems.is_empty(),
        "{} problems in {} invocations:\n{}",
        problems.len(),
        all.len(),
        problems.join("\n")
    );
}

/// One conflict, one line number: the report's `conflicts[].line`, the
/// error's line and the written file agree (the `<<<<<<<` line).
#[test]
fn a_conflict_has_one_line_number_everywhere() {
    let d = project();
    let file = d.path().join("sandboxes/mirage.ts");
    let text = fs::read_to_string(&file).unwrap();
    // An edit inside a region version 2 rewrites: a conflict.
    let edited = text.replacen(
        "const api = new MirageSandboxApi(workspace, id);",
        "const api = new MirageSandboxApi(workspace, `agent-${id}`);",
        1,
    );
    assert_ne!(edited, text, "the v1 render holds the line the test edits");
    fs::write(&file, &edited).unwrap();
    let args: Vec<String> = [
        "update",
        "sandbox",
        "mirage",
        "--on-conflict",
        "markers",
        "--yes",
        "--json",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let (status, stdout) = run(d.path(), &args);
    assert_eq!(status, 4, "{stdout}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let line = v["files"][0]["conflicts"][0]["line"].as_u64().unwrap() as usize;
    assert_eq!(v["error"]["line"].as_u64(), Some(line as u64), "{stdout}");
    let written = fs::read_to_string(&file).unwrap();
    let at = written.lines().nth(line - 1).unwrap();
    assert!(
        at.starts_with("<<<<<<< "),
        "line {line} of the written file is `{at}`"
    );
}
