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
}
