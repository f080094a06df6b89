//! End-to-end cases: each `fixtures/<case>/` is data, adding a case adds no
//! Rust. A case holds:
//!
//! - `cmd`: the arguments, one line, split on whitespace (`add sandbox mirage --json`)
//! - `in/`: the project, copied to a temp dir (absent: an empty directory)
//! - `out/`: the whole tree expected afterwards, compared byte for byte;
//!   absent means "same as `in/`", which proves nothing was written
//! - `status`: the exit code
//! - `stdout` or `stdout.json` (pretty-printed, paths normalised), `stderr`
//! - optional `cwd` (a subdirectory to run in) and `env` (`KEY=VALUE` lines;
//!   `[ROOT]` and `[PATH]` in a value expand to the temp project and the real `PATH`)
//!
//! A file whose whole content is `[render sandbox/mirage@2]` (in `in/` or
//! `out/`) stands for that blueprint version's exact render, so template
//! changes do not ripple through every case; blessing writes it that way.
//!
//! The binary runs with a cleared environment plus `CI=true`, `HOME` set to
//! the temp dir (so upward walks stop there) and stdin closed. The temp
//! project path reads `[ROOT]` in expected output.
//!
//! `FLUE_BLESS=1 cargo test --test cases` rewrites the expected files from
//! the actual run; review them with `git diff fixtures/` as code.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for e in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel.is_empty() {
            continue;
        }
        let ft = e.file_type();
        if ft.is_symlink() {
            let target = fs::read_link(e.path()).unwrap();
            out.insert(rel, format!("-> {}", target.display()).into_bytes());
        } else if ft.is_file() {
            out.insert(rel, fs::read(e.path()).unwrap());
        } else if ft.is_dir() && fs::read_dir(e.path()).unwrap().next().is_none() {
            out.insert(format!("{rel}/"), Vec::new());
        }
    }
    out
}

/// The render a `[render kind/name@N]` placeholder stands for.
fn expand(bytes: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(bytes).ok()?.trim_end();
    let spec = text.strip_prefix("[render ")?.strip_suffix(']')?;
    let (id, n) = spec.rsplit_once('@')?;
    let bp = flue::blueprint::CATALOG.iter().find(|b| b.id() == id)?;
    Some((bp.version(n.parse().ok()?)?.render)().into_bytes())
}

/// The placeholder for `bytes` when they are exactly a render.
fn placeholder(bytes: &[u8]) -> Option<Vec<u8>> {
    flue::blueprint::CATALOG.iter().find_map(|bp| {
        bp.versions
            .iter()
            .find(|v| (v.render)().as_bytes() == bytes)
            .map(|v| format!("[render {}@{}]\n", bp.id(), v.number).into_bytes())
    })
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    if !from.exists() {
        return;
    }
    for e in walkdir::WalkDir::new(from).follow_links(false) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        let ft = e.file_type();
        if ft.is_symlink() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(fs::read_link(e.path()).unwrap(), &dest).unwrap();
        } else if ft.is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(e.path(), &dest).unwrap();
            if let Some(render) = expand(&fs::read(e.path()).unwrap()) {
                fs::write(&dest, render).unwrap();
            }
        }
    }
}

fn write_tree(dir: &Path, t: &BTreeMap<String, Vec<u8>>) {
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir).unwrap();
    for (rel, bytes) in t {
        let p = dir.join(rel.trim_end_matches('/'));
        if rel.ends_with('/') {
            fs::create_dir_all(&p).unwrap();
            continue;
        }
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        if let Some(target) = bytes.strip_prefix(b"-> ") {
            #[cfg(unix)]
            std::os::unix::fs::symlink(String::from_utf8_lossy(target).to_string(), &p).unwrap();
        } else {
            fs::write(&p, placeholder(bytes).unwrap_or_else(|| bytes.clone())).unwrap();
        }
    }
}

fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .replace('\r', "␍")
        .replace('\u{feff}', "[BOM]")
}

fn text_diff(expected: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .header("expected", "actual")
        .to_string()
}

/// Replaces the temp paths in output with stable placeholders.
fn normalize(s: &str, root: &Path, base: &Path) -> String {
    let mut s = s.to_string();
    for (p, name) in [(root, "[ROOT]"), (base, "[BASE]")] {
        if let Ok(c) = fs::canonicalize(p) {
            s = s.replace(&c.to_string_lossy().to_string(), name);
        }
        s = s.replace(&p.to_string_lossy().to_string(), name);
    }
    s
}

struct Outcome {
    status: i32,
    stdout: String,
    stderr: String,
    tree: BTreeMap<String, Vec<u8>>,
}

fn run_case(case: &Path) -> Outcome {
    let base = tempfile::tempdir().unwrap();
    let root = base.path().join("project");
    copy_tree(&case.join("in"), &root);
    let cmd = fs::read_to_string(case.join("cmd")).unwrap();
    let args: Vec<&str> = cmd.split_whitespace().collect();
    let cwd = match fs::read_to_string(case.join("cwd")) {
        Ok(c) => root.join(c.trim()),
        Err(_) => root.clone(),
    };
    let mut c = Command::new(env!("CARGO_BIN_EXE_flue"));
    c.args(&args)
        .current_dir(&cwd)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", base.path())
        .env("CI", "true")
        .stdin(Stdio::null());
    if let Ok(envs) = fs::read_to_string(case.join("env")) {
        for line in envs.lines().filter(|l| !l.trim().is_empty()) {
            let (k, v) = line.split_once('=').unwrap();
            let v = v
                .trim()
                .replace("[ROOT]", &root.to_string_lossy())
                .replace("[PATH]", &std::env::var("PATH").unwrap_or_default());
            c.env(k.trim(), v);
        }
    }
    let out = c.output().unwrap();
    let mut stdout = normalize(&String::from_utf8_lossy(&out.stdout), &root, base.path());
    if (case.join("stdout.json").exists() || stdout.trim_start().starts_with('{'))
        && let Ok(v) = serde_json::from_str::<serde_json::Value>(&stdout)
    {
        stdout = serde_json::to_string_pretty(&v).unwrap() + "\n";
    }
    Outcome {
        status: out.status.code().unwrap_or(-1),
        stdout,
        stderr: normalize(&String::from_utf8_lossy(&out.stderr), &root, base.path()),
        tree: tree(&root),
    }
}

fn check_case(case: &Path) -> Result<(), String> {
    let got = run_case(case);
    let expand_all = |t: BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
        t.into_iter()
            .map(|(k, v)| {
                let v = expand(&v).unwrap_or(v);
                (k, v)
            })
            .collect()
    };
    let expected_tree = expand_all(if case.join("out").exists() {
        tree(&case.join("out"))
    } else {
        tree(&case.join("in"))
    });
    let stdout_file =
        if case.join("stdout.json").exists() || got.stdout.trim_start().starts_with('{') {
            "stdout.json"
        } else {
            "stdout"
        };
    if std::env::var_os("FLUE_BLESS").is_some() {
        if got.tree != expand_all(tree(&case.join("in"))) || case.join("out").exists() {
            write_tree(&case.join("out"), &got.tree);
        }
        fs::write(case.join("status"), format!("{}\n", got.status)).unwrap();
        let _ = fs::remove_file(case.join("stdout"));
        let _ = fs::remove_file(case.join("stdout.json"));
        fs::write(case.join(stdout_file), &got.stdout).unwrap();
        fs::write(case.join("stderr"), &got.stderr).unwrap();
        return Ok(());
    }
    let mut problems = Vec::new();
    // Git keeps no empty directories: a clean clone would see another project.
    for k in tree(&case.join("in")).keys().filter(|k| k.ends_with('/')) {
        problems.push(format!(
            "`in/{k}` is an empty directory, which git does not keep: add a `.gitkeep`"
        ));
    }
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(&got.stdout) {
        problems.extend(schema_errors(&v));
    }
    let want_status: i32 = fs::read_to_string(case.join("status"))
        .map_err(|_| "missing `status`".to_string())?
        .trim()
        .parse()
        .unwrap();
    if got.status != want_status {
        problems.push(format!(
            "exit status: expected {want_status}, got {}",
            got.status
        ));
    }
    let want_stdout = fs::read_to_string(case.join(stdout_file)).unwrap_or_default();
    if got.stdout != want_stdout {
        problems.push(format!(
            "stdout differs:\n{}",
            text_diff(&want_stdout, &got.stdout)
        ));
    }
    let want_stderr = fs::read_to_string(case.join("stderr")).unwrap_or_default();
    if got.stderr != want_stderr {
        problems.push(format!(
            "stderr differs:\n{}",
            text_diff(&want_stderr, &got.stderr)
        ));
    }
    for (k, v) in &expected_tree {
        match got.tree.get(k) {
            None => problems.push(format!("missing file `{k}`")),
            Some(g) if g != v => {
                problems.push(format!("`{k}` differs:\n{}", text_diff(&show(v), &show(g))))
            }
            _ => {}
        }
    }
    for k in got.tree.keys().filter(|k| !expected_tree.contains_key(*k)) {
        problems.push(format!("unexpected file `{k}`"));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Errors of `v` against `schema/report.schema.json`.
fn schema_errors(v: &serde_json::Value) -> Vec<String> {
    let schema_path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schema/report.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema is valid");
    validator
        .iter_errors(v)
        .map(|e| {
            format!(
                "stdout does not match the JSON schema at `{}`: {e}",
                e.instance_path
            )
        })
        .collect()
}

/// One test per `fixtures/<case>/` (libtest-mimic, so they run in parallel and
/// `cargo test --test cases <case>` runs one). `FLUE_CASE=<substring>` still narrows the run.
fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let filter = std::env::var("FLUE_CASE").ok();
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("cmd").exists())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no fixture cases found");
    let trials = cases
        .into_iter()
        .filter_map(|case| {
            let name = case.file_name()?.to_string_lossy().to_string();
            if filter.as_ref().is_some_and(|f| !name.contains(f.as_str())) {
                return None;
            }
            Some(libtest_mimic::Trial::test(name, move || {
                check_case(&case).map_err(Into::into)
            }))
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
