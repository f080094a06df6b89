//! Guarantees under faults and races (SPEC §9): all-or-nothing writes with a
//! fault injected at each write in turn, no temporary or lock files left,
//! permissions and untouched mtimes kept, eight concurrent runs ending
//! consistent, and large inputs handled.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const MANIFEST: &str =
    "{\n  \"name\": \"app\",\n  \"dependencies\": {\n    \"@flue/runtime\": \"^2.1.0\"\n  }\n}\n";

fn project() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    fs::write(d.path().join("package.json"), MANIFEST).unwrap();
    fs::create_dir(d.path().join("src")).unwrap();
    fs::write(d.path().join("src/index.ts"), "export {};\n").unwrap();
    d
}

fn flue(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_flue"));
    c.args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("CI", "true")
        .stdin(Stdio::null());
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn snapshot(dir: &Path) -> BTreeMap<String, (Vec<u8>, u32)> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .to_string();
        let md = fs::symlink_metadata(e.path()).unwrap();
        #[cfg(unix)]
        let mode = std::os::unix::fs::PermissionsExt::mode(&md.permissions());
        #[cfg(not(unix))]
        let mode = 0;
        let bytes = if md.is_file() {
            fs::read(e.path()).unwrap()
        } else {
            Vec::new()
        };
        out.insert(rel, (bytes, mode));
    }
    out
}

#[test]
fn a_failed_write_rolls_back_every_earlier_write() {
    // A fresh add writes two files (the adapter, then package.json).
    for n in 1..=2 {
        let d = project();
        let before = snapshot(d.path());
        let out = flue(
            d.path(),
            &["add", "sandbox", "mirage"],
            &[("FLUE_TEST_FAULT", &format!("write:{n}"))],
        );
        assert_eq!(
            out.status.code(),
            Some(1),
            "write {n}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("injected write fault"), "{stderr}");
        assert_eq!(
            snapshot(d.path()),
            before,
            "fault at write {n} left the tree changed"
        );
    }
}

#[test]
fn a_failed_upgrade_write_restores_the_old_file() {
    let d = project();
    assert_eq!(
        flue(d.path(), &["add", "mirage@1"], &[]).status.code(),
        Some(0)
    );
    // Drop a dependency so the upgrade writes both files again.
    fs::write(d.path().join("package.json"), MANIFEST).unwrap();
    for n in 1..=2 {
        let before = snapshot(d.path());
        let out = flue(
            d.path(),
            &["update", "sandbox", "mirage", "--yes"],
            &[("FLUE_TEST_FAULT", &format!("write:{n}"))],
        );
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(snapshot(d.path()), before, "fault at write {n}");
    }
}

#[cfg(unix)]
#[test]
fn permissions_of_edited_files_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let d = project();
    let pj = d.path().join("package.json");
    fs::set_permissions(&pj, fs::Permissions::from_mode(0o640)).unwrap();
    assert_eq!(
        flue(d.path(), &["add", "mirage"], &[]).status.code(),
        Some(0)
    );
    assert_eq!(
        fs::metadata(&pj).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert_ne!(fs::read_to_string(&pj).unwrap(), MANIFEST);
}

#[test]
fn untouched_files_keep_their_mtime_and_a_noop_rerun_writes_nothing() {
    let d = project();
    assert_eq!(
        flue(d.path(), &["add", "mirage"], &[]).status.code(),
        Some(0)
    );
    let files = ["src/index.ts", "src/sandboxes/mirage.ts", "package.json"];
    let mtimes: Vec<_> = files
        .iter()
        .map(|f| fs::metadata(d.path().join(f)).unwrap().modified().unwrap())
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let out = flue(d.path(), &["add", "mirage"], &[]);
    assert_eq!(out.status.code(), Some(0));
    let after: Vec<_> = files
        .iter()
        .map(|f| fs::metadata(d.path().join(f)).unwrap().modified().unwrap())
        .collect();
    assert_eq!(mtimes, after);
}

#[test]
fn no_temporary_or_lock_file_survives_any_run() {
    let d = project();
    flue(
        d.path(),
        &["add", "mirage"],
        &[("FLUE_TEST_FAULT", "write:2")],
    );
    flue(d.path(), &["add", "mirage"], &[]);
    flue(d.path(), &["add", "mirage", "--dry-run"], &[]);
    for e in walkdir::WalkDir::new(d.path()) {
        let name = e.unwrap().file_name().to_string_lossy().to_string();
        assert!(
            !name.starts_with(".flue-") && !name.ends_with(".tmp") && !name.contains("lock"),
            "left behind: {name}"
        );
    }
}

#[test]
fn eight_concurrent_runs_end_consistent() {
    let d = project();
    let reference = project();
    assert_eq!(
        flue(reference.path(), &["add", "mirage"], &[])
            .status
            .code(),
        Some(0)
    );
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let dir = d.path().to_path_buf();
            std::thread::spawn(move || flue(&dir, &["add", "mirage", "--json"], &[]))
        })
        .collect();
    let outs: Vec<Output> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    for o in &outs {
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stdout)
        );
    }
    let created = outs
        .iter()
        .filter(|o| String::from_utf8_lossy(&o.stdout).contains("\"applied\":true"))
        .count();
    assert_eq!(
        created, 1,
        "exactly one run writes; the others find it up to date"
    );
    let strip = |s: BTreeMap<String, (Vec<u8>, u32)>| {
        s.into_iter()
            .map(|(k, (b, _))| (k, b))
            .collect::<BTreeMap<_, _>>()
    };
    assert_eq!(strip(snapshot(d.path())), strip(snapshot(reference.path())));
}

#[test]
fn a_20000_dependency_manifest_is_edited() {
    let d = tempfile::tempdir().unwrap();
    let mut deps = String::from("    \"@flue/runtime\": \"^2.1.0\"");
    for i in 0..20_000 {
        deps.push_str(&format!(",\n    \"pkg-{i:05}\": \"^1.0.{i}\""));
    }
    let text = format!("{{\n  \"name\": \"big\",\n  \"dependencies\": {{\n{deps}\n  }}\n}}\n");
    fs::write(d.path().join("package.json"), &text).unwrap();
    let out = flue(d.path(), &["add", "mirage"], &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = fs::read_to_string(d.path().join("package.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&after).unwrap();
    assert_eq!(v["dependencies"].as_object().unwrap().len(), 20_003);
    // Only the two new entries were inserted; every other byte is as it was.
    let removed: String = after
        .split_inclusive('\n')
        .filter(|l| !l.contains("@struktoai/"))
        .collect();
    assert_eq!(removed, text);
}

#[test]
fn a_one_megabyte_vite_config_is_scanned() {
    let d = project();
    let mut cfg = String::from(
        "import { defineConfig } from \"vite\";\nimport { flue } from \"@flue/vite\";\n",
    );
    while cfg.len() < 1_000_000 {
        cfg.push_str("// a long comment that mentions flue({ target: \"cloudflare\" }) but is only a comment\nconst s = \"cloudflare() in a string\";\n");
    }
    cfg.push_str("export default defineConfig({ plugins: [flue({ target: \"cloudflare\" })] });\n");
    fs::write(d.path().join("vite.config.ts"), cfg).unwrap();
    let out = flue(d.path(), &["add", "mirage", "--json"], &[]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["project"]["target"]["name"], "cloudflare");
    assert!(v["project"]["target"]["evidence"]["line"].as_u64().unwrap() > 10_000);
}

#[cfg(unix)]
#[test]
fn new_files_follow_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let d = project();
    let bin = env!("CARGO_BIN_EXE_flue");
    let out = Command::new("sh")
        .args(["-c", &format!("umask 027 && CI=true '{bin}' add mirage -q")])
        .current_dir(d.path())
        .env("HOME", d.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mode = fs::metadata(d.path().join("src/sandboxes/mirage.ts"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o640);
}

#[test]
fn read_only_files_are_refused_unless_forced() {
    use std::os::unix::fs::PermissionsExt;
    let set_mode =
        |p: &Path, mode: u32| fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
    // A read-only package.json: nothing is written, the error names it.
    let d = project();
    let manifest = d.path().join("package.json");
    set_mode(&manifest, 0o444);
    let before = snapshot(d.path());
    let out = flue(d.path(), &["add", "mirage", "--json"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["error"]["code"], "read_only_file", "{json}");
    assert_eq!(json["error"]["file"], "package.json");
    assert_eq!(snapshot(d.path()), before, "nothing was written");
    // `--force` replaces it, keeping its mode.
    let out = flue(d.path(), &["add", "mirage", "--force", "--yes"], &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        fs::read_to_string(&manifest)
            .unwrap()
            .contains("@struktoai/mirage-node")
    );
    assert_eq!(
        fs::metadata(&manifest).unwrap().permissions().mode() & 0o777,
        0o444
    );

    // A read-only adapter is not upgraded.
    let d = project();
    assert_eq!(
        flue(d.path(), &["add", "mirage@1", "--yes"], &[])
            .status
            .code(),
        Some(0)
    );
    let adapter = d.path().join("src/sandboxes/mirage.ts");
    set_mode(&adapter, 0o444);
    let before = snapshot(d.path());
    let out = flue(
        d.path(),
        &["update", "sandbox", "mirage", "--yes", "--json"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["error"]["code"], "read_only_file", "{json}");
    assert_eq!(json["error"]["file"], "src/sandboxes/mirage.ts");
    assert_eq!(snapshot(d.path()), before, "nothing was written");
    // A run that writes nothing is not refused.
    let out = flue(d.path(), &["add", "mirage@1"], &[]);
    assert_eq!(out.status.code(), Some(0));

    // A read-only Wrangler config that a blueprint would edit.
    let d = project();
    let wrangler = d.path().join("wrangler.jsonc");
    fs::write(&wrangler, "{\n  \"name\": \"app\"\n}\n").unwrap();
    set_mode(&wrangler, 0o444);
    let before = snapshot(d.path());
    let args = [
        "add",
        "cloudflare-computer",
        "--target",
        "cloudflare",
        "--json",
    ];
    let out = flue(d.path(), &args, &[]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["error"]["code"], "read_only_file", "{json}");
    assert_eq!(json["error"]["file"], "wrangler.jsonc");
    assert_eq!(snapshot(d.path()), before, "nothing was written");
}
