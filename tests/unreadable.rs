//! SPEC §13: every file flue reads, made unreadable (a read fault injected
//! through `FLUE_TEST_FAULT`, as permissions would; root ignores mode 000),
//! gives an error naming it when it decides the result, or a warning naming
//! it when it only refines the result — never a silent default — and the
//! report then never claims the input was absent.

use std::fs;
use std::path::Path;
use std::process::Command;

const MANIFEST: &str = "{\n  \"dependencies\": {\n    \"@flue/runtime\": \"^2.0.0\"\n  }\n}\n";

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

/// A project holding `rel` (with `text`), and whatever makes flue read it.
fn project(rel: &str, text: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let root = d.path().join("app");
    fs::create_dir_all(root.join("src")).unwrap();
    fs::create_dir(d.path().join(".git")).unwrap();
    write(&root, "package.json", MANIFEST);
    write(&root, rel, text);
    d
}

/// Runs `flue add sandbox mirage --dry-run --json` with reads of `fault` failing.
fn run(dir: &Path, fault: &str) -> (i32, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_flue"))
        .args(["add", "sandbox", "mirage", "--dry-run", "--json"])
        .current_dir(dir.join("app"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("CI", "true")
        .env("FLUE_TEST_FAULT", format!("read:{fault}"))
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap();
    (out.status.code().unwrap(), json)
}

fn assert_error_names(rel: &str, text: &str) {
    let d = project(rel, text);
    let (code, json) = run(d.path(), rel);
    assert_eq!(code, 1, "{rel}: {json}");
    let file = json["error"]["file"].as_str().unwrap_or_default();
    assert!(
        file.ends_with(rel),
        "{rel}: the error names {file:?}: {json}"
    );
}

fn assert_warning_names(rel: &str, text: &str, extra: &[(&str, &str)]) -> serde_json::Value {
    let d = project(rel, text);
    for (p, t) in extra {
        write(&d.path().join("app"), p, t);
    }
    let (code, json) = run(d.path(), rel);
    assert_eq!(
        code, 3,
        "{rel}: a refining input does not stop the run: {json}"
    );
    let named = json["warnings"].as_array().unwrap().iter().any(|w| {
        w["message"]
            .as_str()
            .is_some_and(|m| m.contains(&format!("`{rel}`")) || m.contains(&format!("{rel}`")))
    });
    assert!(named, "{rel}: no warning names it: {}", json["warnings"]);
    json
}

#[test]
fn inputs_that_decide_the_result_are_errors_naming_them() {
    assert_error_names("package.json", MANIFEST);
    assert_error_names(
        "vite.config.ts",
        "import { flue } from '@flue/vite';\nexport default { plugins: [flue({ target: 'node' })] };\n",
    );
    assert_error_names("flue.config.ts", "export default { target: 'node' };\n");
    assert_error_names(
        "src/sandboxes/mirage.ts",
        "// flue-blueprint: sandbox/mirage@2\n",
    );
}

#[test]
fn every_style_config_is_named_when_unreadable() {
    for name in flue::project::style::CONFIG_FILES {
        let text = match *name {
            ".editorconfig" => "root = true\n\n[*]\nindent_style = tab\n",
            n if n.ends_with(".toml") => "semi = false\n",
            n if n.ends_with(".yaml") || n.ends_with(".yml") => "semi: false\n",
            n if n.contains(".js") || n.contains(".ts") || n.contains(".mjs") => {
                "export default { semi: false };\n"
            }
            n if n.contains(".cjs") || n.contains(".cts") => "module.exports = { semi: false };\n",
            _ => "{ \"semi\": false }\n",
        };
        let json = assert_warning_names(name, text, &[]);
        assert_eq!(json["project"]["style"]["default"], true, "{name}: {json}");
    }
}

#[test]
fn an_unreadable_lockfile_is_named_and_never_called_absent() {
    let pnpm = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      '@flue/runtime':\n        specifier: ^2.0.0\n        version: 2.0.1\n";
    let npm = "{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"node_modules/@flue/runtime\": {\n      \"version\": \"2.0.1\"\n    }\n  }\n}\n";
    let yarn = "\"@flue/runtime@^2.0.0\":\n  version \"2.0.1\"\n";
    let bun = "{\n  \"lockfileVersion\": 1,\n  \"packages\": {\n    \"@flue/runtime\": [\"@flue/runtime@2.0.1\", \"\", {}, \"\"]\n  }\n}\n";
    for (name, text) in [
        ("pnpm-lock.yaml", pnpm),
        ("package-lock.json", npm),
        ("npm-shrinkwrap.json", npm),
        ("yarn.lock", yarn),
        ("bun.lock", bun),
    ] {
        // Readable, the lockfile picks version 1 (2.0.1 is older than 2.0.3).
        let d = project(name, text);
        let (code, json) = run(d.path(), "no-such-file");
        assert_eq!(code, 3, "{json}");
        assert_eq!(json["blueprint"]["version"], 1, "{name}: {json}");
        let json = assert_warning_names(name, text, &[]);
        let reason = json["blueprint"]["reason"].as_str().unwrap();
        assert!(
            !reason.contains("no installed copy or lockfile entry found"),
            "{reason}"
        );
        assert!(
            reason.contains(&format!("`{name}` could not be read")),
            "{reason}"
        );
        // The package manager still comes from the lockfile's name.
        assert_eq!(
            json["project"]["package_manager"]["evidence"]["file"], name,
            "{json}"
        );
    }
}

#[test]
fn the_installed_runtime_tsconfig_and_catalog_are_named_when_unreadable() {
    let installed = "node_modules/@flue/runtime/package.json";
    let json = assert_warning_names(installed, "{\"version\": \"2.0.1\"}\n", &[]);
    let reason = json["blueprint"]["reason"].as_str().unwrap();
    assert!(reason.contains("could not be read"), "{reason}");
    assert_warning_names("tsconfig.json", "{ \"include\": [\"src\"] }\n", &[]);
    // `catalog:` is resolved through the workspace root's pnpm-workspace.yaml.
    let d = tempfile::tempdir().unwrap();
    fs::create_dir(d.path().join(".git")).unwrap();
    write(
        d.path(),
        "app/pnpm-workspace.yaml",
        "packages: ['.']\ncatalog:\n  '@flue/runtime': ^2.0.0\n",
    );
    write(
        d.path(),
        "app/package.json",
        "{\n  \"dependencies\": {\n    \"@flue/runtime\": \"catalog:\"\n  }\n}\n",
    );
    fs::create_dir(d.path().join("app/src")).unwrap();
    let (code, json) = run(d.path(), "pnpm-workspace.yaml");
    assert_eq!(code, 3, "{json}");
    assert!(
        json["warnings"].to_string().contains("pnpm-workspace.yaml"),
        "{json}"
    );
}

#[test]
fn an_unreadable_parent_manifest_is_named() {
    let d = tempfile::tempdir().unwrap();
    fs::create_dir(d.path().join(".git")).unwrap();
    write(
        d.path(),
        "package.json",
        "{ \"packageManager\": \"pnpm@9.1.0\" }\n",
    );
    write(d.path(), "app/package.json", MANIFEST);
    fs::create_dir(d.path().join("app/src")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_flue"))
        .args(["add", "sandbox", "mirage", "--dry-run", "--json"])
        .current_dir(d.path().join("app"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", d.path())
        .env("CI", "true")
        .env(
            "FLUE_TEST_FAULT",
            format!(
                "read:{}/package.json",
                d.path().file_name().unwrap().to_string_lossy()
            ),
        )
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(3), "{json}");
    let warnings = json["warnings"].to_string();
    let parent = d.path().join("package.json");
    assert!(
        warnings.contains(&format!("`{}`", parent.display())),
        "{warnings}"
    );
}

#[test]
fn a_directory_where_a_style_config_belongs_is_named() {
    let d = project("src/index.ts", "export {};\n");
    fs::create_dir(d.path().join("app/.prettierrc")).unwrap();
    let (code, json) = run(d.path(), "no-such-file");
    assert_eq!(code, 3, "{json}");
    assert!(
        json["warnings"].to_string().contains(".prettierrc"),
        "{json}"
    );
}

#[test]
fn a_non_utf8_style_config_is_named() {
    let d = project("src/index.ts", "export {};\n");
    fs::write(
        d.path().join("app/.editorconfig"),
        b"root = true\n\xff\xfe\n",
    )
    .unwrap();
    let (code, json) = run(d.path(), "no-such-file");
    assert_eq!(code, 3, "{json}");
    assert!(
        json["warnings"].to_string().contains(".editorconfig"),
        "{json}"
    );
}
