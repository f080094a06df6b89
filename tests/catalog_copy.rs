//! Adding a blueprint is adding a folder: in a temporary copy of the crate,
//! copy `templates/sandbox/mirage/` to `templates/sandbox/mirage-copy/` (its
//! name and markers changed, nothing else), build, and add the new
//! blueprint to a fixture project. No Rust is edited.
//!
//! The copy lives at a fixed path in this crate's target directory and
//! builds there, so the dependencies are shared and only the `flue` crate
//! itself recompiles (files are rewritten only when they differ, so a re-run
//! with unchanged sources builds nothing). Its binary is named `flue-copy`,
//! so it never replaces the `flue` the other tests run.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Writes `bytes` unless the file holds them already (keeps its mtime).
fn write_if_changed(path: &Path, bytes: &[u8]) {
    if fs::read(path).ok().as_deref() != Some(bytes) {
        fs::write(path, bytes).unwrap();
    }
}

/// Mirrors `from` into `to` (files edited by `edit`), removing what `from` lacks.
fn copy_dir(from: &Path, to: &Path, edit: &dyn Fn(&Path, String) -> String) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            let text = fs::read_to_string(e.path()).unwrap();
            write_if_changed(&dest, edit(e.path(), text).as_bytes());
        }
    }
    let stale: Vec<PathBuf> = walkdir::WalkDir::new(to)
        .contents_first(true)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| !from.join(p.strip_prefix(to).unwrap()).exists())
        .collect();
    for p in stale {
        if p.is_dir() {
            fs::remove_dir_all(&p).unwrap();
        } else {
            fs::remove_file(&p).unwrap();
        }
    }
}

/// `sandbox/mirage-worker`: a test blueprint (Mirage's v2 body) that runs on
/// Cloudflare only, reads an environment variable and needs a Wrangler entry.
fn worker_blueprint(mirage: &Path, dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    let body = fs::read_to_string(mirage.join("v2.ts"))
        .unwrap()
        .replace("sandbox/mirage@2", "sandbox/mirage-worker@1");
    fs::write(dir.join("v1.ts"), body).unwrap();
    fs::write(dir.join("guide.md"), "# mirage-worker\n").unwrap();
    fs::write(dir.join("blueprint.toml"), WORKER).unwrap();
}

const WORKER: &str = r#"kind = "sandbox"
name = "mirage-worker"
summary = "test blueprint: Cloudflare only, one env var, one Wrangler entry"
output = "sandboxes/mirage-worker.ts"
runtime_package = "@flue/runtime"
wire_up = "import it from `{file}`"

[targets.node]
supported = false
why = "mirage-worker needs the Worker Loader binding: it cannot run on Node"
[targets.cloudflare]
supported = true

[[env]]
name = "WORKER_TOKEN"
purpose = "token of the test service"

[[versions]]
number = 1
min_runtime = "2.0.3"
summary = "driver API"

[[versions.deps]]
name = "@struktoai/mirage-core"
range = "^0.0.2"

[[versions.config]]
target = "cloudflare"
file = "wrangler"
key = "worker_loaders"
item = { binding = "LOADER" }
match = "binding"
"#;

/// The copy of the crate: only what `cargo build` needs.
fn crate_copy(src: &Path, dst: &Path) {
    let keep = |_: &Path, t: String| t;
    for f in ["Cargo.lock", "build.rs", "askama.toml"] {
        write_if_changed(&dst.join(f), &fs::read(src.join(f)).unwrap());
    }
    let manifest = fs::read_to_string(src.join("Cargo.toml")).unwrap();
    let renamed = manifest.replace("[[bin]]\nname = \"flue\"", "[[bin]]\nname = \"flue-copy\"");
    assert_ne!(
        renamed, manifest,
        "Cargo.toml has a `[[bin]] name = \"flue\"`"
    );
    // Its own workspace: the copy sits under this crate's target directory.
    let renamed = if renamed.contains("\n[workspace]") {
        renamed
    } else {
        format!("{renamed}\n[workspace]\n")
    };
    write_if_changed(&dst.join("Cargo.toml"), renamed.as_bytes());
    copy_dir(&src.join("src"), &dst.join("src"), &keep);
}

#[test]
fn a_copied_blueprint_folder_builds_and_adds() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // target/debug/flue → target
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_flue"));
    let target_dir = bin.parent().unwrap().parent().unwrap();
    let repo = target_dir.join("catalog-copy");
    fs::create_dir_all(&repo).unwrap();
    crate_copy(&src, &repo);
    // templates/ as in the crate, plus the copied folder.
    let templates = tempfile::tempdir().unwrap();
    copy_dir(&src.join("templates"), templates.path(), &|_, t| t);
    let mirage = src.join("templates/sandbox/mirage");
    let copy = templates.path().join("sandbox/mirage-copy");
    copy_dir(&mirage, &copy, &|path, text| {
        let text = text.replace("sandbox/mirage@", "sandbox/mirage-copy@");
        if path.ends_with("blueprint.toml") {
            text.replace("name = \"mirage\"", "name = \"mirage-copy\"")
                .replace(
                    "output = \"sandboxes/mirage.ts\"",
                    "output = \"sandboxes/mirage-copy.ts\"",
                )
                .replace(
                    "aliases = [\"@struktoai/mirage-node\", \"@struktoai/mirage-browser\"]",
                    "aliases = []",
                )
        } else {
            text
        }
    });
    worker_blueprint(&mirage, &templates.path().join("sandbox/mirage-worker"));
    copy_dir(templates.path(), &repo.join("templates"), &|_, t| t);
    let copy = repo.join("templates/sandbox/mirage-copy");

    let tmp = tempfile::tempdir().unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let start = std::time::Instant::now();
    let out = Command::new(cargo)
        .args(["build", "--offline", "--quiet", "--bin", "flue-copy"])
        .current_dir(&repo)
        .env("CARGO_TARGET_DIR", target_dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the copy does not build:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("copy built in {:?}", start.elapsed());
    let copy_bin = target_dir
        .join("debug")
        .join(format!("flue-copy{}", std::env::consts::EXE_SUFFIX));

    let project = tmp.path().join("project");
    copy_dir(&src.join("fixtures/add_node_fresh/in"), &project, &|_, t| t);
    let run = |args: &[&str]| {
        Command::new(&copy_bin)
            .args(args)
            .current_dir(&project)
            .env("HOME", tmp.path())
            .env("CI", "true")
            .output()
            .unwrap()
    };
    let list = run(&["add"]);
    let listing = String::from_utf8_lossy(&list.stdout);
    assert!(listing.contains("mirage-copy"), "{listing}");
    let add = run(&["add", "sandbox", "mirage-copy"]);
    assert_eq!(
        add.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    let written = fs::read_to_string(project.join("src/sandboxes/mirage-copy.ts")).unwrap();
    let expected = fs::read_to_string(copy.join("v2.ts")).unwrap();
    assert_eq!(written, expected);
    assert!(written.starts_with("// flue-blueprint: sandbox/mirage-copy@2\n"));
    let manifest = fs::read_to_string(project.join("package.json")).unwrap();
    assert!(manifest.contains("@struktoai/mirage-node"), "{manifest}");
    // Re-running is a no-op, as for any blueprint.
    let again = run(&["add", "sandbox", "mirage-copy"]);
    assert_eq!(again.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&again.stderr).contains("nothing to do"));

    worker_mechanisms(&copy_bin);
}

/// Target support, env vars and config edits, from descriptor data alone.
fn worker_mechanisms(bin: &Path) {
    let add = ["add", "sandbox", "mirage-worker"];
    // Node: refused before anything is written, with the descriptor's sentence.
    let (dir, r) = in_project(bin, &[(".env.example", "A=1\n")], &add, &[]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("needs the Worker Loader binding: it cannot run on Node"),
        "{}",
        r.stderr
    );
    assert_eq!(read(&dir, ".env.example").as_deref(), Some("A=1\n"));
    assert_eq!(read(&dir, "src/sandboxes/mirage-worker.ts"), None);
    let (_, r) = in_project(
        bin,
        &[],
        &["add", "sandbox", "mirage-worker", "--json"],
        &[],
    );
    assert!(
        r.stdout.contains("\"code\":\"unsupported_target\""),
        "{}",
        r.stdout
    );

    // Cloudflare with a commented wrangler.jsonc and a CRLF .env.example.
    let jsonc = "{\n  // my worker\n  \"name\": \"app\",\n  \"worker_loaders\": [\n    { \"binding\": \"OTHER\" } // keep\n  ]\n}\n";
    let files = [("wrangler.jsonc", jsonc), (".env.example", "A=1\r\n")];
    let cf = ["add", "sandbox", "mirage-worker", "--target", "cloudflare"];
    let (dir, r) = in_project(bin, &files, &cf, &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let w = read(&dir, "wrangler.jsonc").unwrap();
    assert!(
        w.contains("// my worker") && w.contains("// keep") && w.contains("\"LOADER\""),
        "{w}"
    );
    assert_eq!(
        read(&dir, ".env.example").as_deref(),
        Some("A=1\r\nWORKER_TOKEN=\r\n")
    );
    assert!(
        r.stderr
            .contains("`WORKER_TOKEN` (token of the test service)"),
        "{}",
        r.stderr
    );

    // Already there: a dry run shows nothing to do.
    let done = [
        ("wrangler.jsonc", w.as_str()),
        (".env.example", "WORKER_TOKEN=x\n"),
    ];
    let mut dry = cf.to_vec();
    dry.push("--dry-run");
    let (_, r) = in_project(bin, &done, &dry, &[]);
    assert!(
        !r.stderr.contains("Would update `wrangler.jsonc`"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("Would update `.env.example`"),
        "{}",
        r.stderr
    );

    // A dry run shows the edits and writes nothing.
    let (dir, r) = in_project(bin, &files, &dry, &[]);
    assert_eq!(r.code, Some(3), "{}", r.stderr);
    assert!(
        r.stderr.contains("+++ b/wrangler.jsonc") && r.stderr.contains("+WORKER_TOKEN="),
        "{}",
        r.stderr
    );
    assert_eq!(read(&dir, "wrangler.jsonc").as_deref(), Some(jsonc));

    // wrangler.toml, edited with its comments kept.
    let toml = "# my worker\nname = \"app\"\n";
    let (dir, r) = in_project(bin, &[("wrangler.toml", toml)], &cf, &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(
        read(&dir, "wrangler.toml").unwrap(),
        "# my worker\nname = \"app\"\n\n[[worker_loaders]]\nbinding = \"LOADER\"\n"
    );

    // No Wrangler config: a minimal one, and the report says so.
    let (dir, r) = in_project(bin, &[], &cf, &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(
        read(&dir, "wrangler.jsonc").unwrap(),
        "{\n  \"worker_loaders\": [\n    {\n      \"binding\": \"LOADER\"\n    }\n  ]\n}\n"
    );
    assert!(r.stderr.contains("has no Wrangler config"), "{}", r.stderr);

    // A failed write rolls back the config and .env.example edits too.
    let (dir, r) = in_project(bin, &files, &cf, &[("FLUE_TEST_FAULT", "write:4")]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_eq!(read(&dir, "wrangler.jsonc").as_deref(), Some(jsonc));
    assert_eq!(read(&dir, ".env.example").as_deref(), Some("A=1\r\n"));
    assert_eq!(read(&dir, "src/sandboxes/mirage-worker.ts"), None);
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs the copy's binary in a fresh copy of `add_node_fresh/in` plus `extra` files.
fn in_project(
    bin: &Path,
    extra: &[(&str, &str)],
    args: &[&str],
    env: &[(&str, &str)],
) -> (tempfile::TempDir, Run) {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("project");
    copy_dir(&src.join("fixtures/add_node_fresh/in"), &project, &|_, t| t);
    for (path, text) in extra {
        fs::write(project.join(path), text).unwrap();
    }
    let mut c = Command::new(bin);
    c.args(args)
        .current_dir(&project)
        .env("HOME", tmp.path())
        .env("CI", "true")
        .env_remove("FLUE_TEST_FAULT");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    let run = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).to_string(),
        stderr: String::from_utf8_lossy(&out.stderr).to_string(),
    };
    (tmp, run)
}

fn read(dir: &tempfile::TempDir, path: &str) -> Option<String> {
    fs::read_to_string(dir.path().join("project").join(path)).ok()
}
