//! Reads the version of one package from a lockfile's text (npm, pnpm, yarn
//! classic and berry, bun's text lockfile). Lockfiles are data, never
//! executed; an unreadable one answers `None` so the next source decides.

use std::path::Path;

/// The lockfile kinds flue understands, by file name.
pub const LOCKFILES: &[(&str, crate::project::PackageManager)] = {
    use crate::project::PackageManager::*;
    &[
        ("pnpm-lock.yaml", Pnpm),
        ("yarn.lock", Yarn),
        ("bun.lock", Bun),
        ("bun.lockb", Bun),
        ("package-lock.json", Npm),
        ("npm-shrinkwrap.json", Npm),
    ]
};

/// The version of `package` that the lockfile `name` with content `text`
/// records for the importer at `importer` (the project's path relative to the
/// lockfile's directory, `/`-separated, empty for the same directory).
pub fn locked_version(
    name: &str,
    text: &str,
    importer: &str,
    package: &str,
    declared: Option<&str>,
) -> Option<String> {
    match name {
        "package-lock.json" | "npm-shrinkwrap.json" => npm(text, importer, package),
        "pnpm-lock.yaml" => pnpm(text, importer, package),
        "yarn.lock" => yarn(text, package, declared),
        "bun.lock" => bun(text, package),
        _ => None,
    }
}

fn npm(text: &str, importer: &str, package: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).ok()?;
    if let Some(packages) = v.get("packages") {
        let mut keys = Vec::new();
        if !importer.is_empty() {
            keys.push(format!("{importer}/node_modules/{package}"));
        }
        keys.push(format!("node_modules/{package}"));
        for k in keys {
            if let Some(ver) = packages
                .get(&k)
                .and_then(|p| p.get("version"))
                .and_then(|v| v.as_str())
            {
                return Some(ver.to_string());
            }
        }
    }
    v.get("dependencies")?
        .get(package)?
        .get("version")?
        .as_str()
        .map(String::from)
}

fn pnpm(text: &str, importer: &str, package: &str) -> Option<String> {
    use yaml_rust2::{Yaml, YamlLoader};
    let docs = YamlLoader::load_from_str(text).ok()?;
    let doc = docs.first()?;
    let key = if importer.is_empty() { "." } else { importer };
    let sections = ["dependencies", "devDependencies", "optionalDependencies"];
    let from_map = |m: &Yaml| -> Option<String> {
        for s in sections {
            let entry = &m[s][package];
            let raw = match entry {
                Yaml::String(s) => Some(s.clone()),
                Yaml::Hash(_) => entry["version"].as_str().map(String::from),
                Yaml::Real(s) => Some(s.clone()),
                _ => None,
            };
            if let Some(raw) = raw {
                let clean = raw.split('(').next().unwrap_or(&raw).trim().to_string();
                if clean.starts_with("link:") || clean.starts_with("file:") {
                    return None;
                }
                return Some(clean);
            }
        }
        None
    };
    let importers = &doc["importers"];
    if !importers.is_badvalue() && !importers[key].is_badvalue() {
        return from_map(&importers[key]);
    }
    // Lockfiles of a single project (no `importers`) keep sections at the top.
    from_map(doc)
}

fn yarn(text: &str, package: &str, declared: Option<&str>) -> Option<String> {
    let mut best: Option<String> = None;
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.starts_with(' ') || line.starts_with('#') || !line.trim_end().ends_with(':') {
            continue;
        }
        let header = line.trim_end().trim_end_matches(':');
        let specs: Vec<&str> = header
            .split(',')
            .map(|s| s.trim().trim_matches('"'))
            .filter(|s| s.starts_with(&format!("{package}@")))
            .collect();
        if specs.is_empty() {
            continue;
        }
        let mut version = None;
        while let Some(next) = lines.peek() {
            if !next.starts_with(' ') {
                break;
            }
            let t = next.trim();
            if let Some(v) = t.strip_prefix("version") {
                let v = v.trim_start_matches(':').trim().trim_matches('"');
                version = Some(v.to_string());
            }
            lines.next();
        }
        let Some(version) = version else { continue };
        let matches_declared = declared.is_some_and(|d| {
            specs.iter().any(|s| {
                let r = &s[package.len() + 1..];
                r == d || r.strip_prefix("npm:") == Some(d)
            })
        });
        if matches_declared {
            return Some(version);
        }
        best.get_or_insert(version);
    }
    best
}

fn bun(text: &str, package: &str) -> Option<String> {
    let v: serde_json::Value =
        jsonc_parser::parse_to_serde_value(text, &jsonc_parser::ParseOptions::default()).ok()?;
    let entry = v.get("packages")?.get(package)?.get(0)?.as_str()?;
    entry.strip_prefix(&format!("{package}@")).map(String::from)
}

/// `importer` path for a project at `root` whose lockfile sits in `lock_dir`.
pub fn importer(lock_dir: &Path, root: &Path) -> String {
    root.strip_prefix(lock_dir)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npm_lock_v3() {
        let t = r#"{"lockfileVersion":3,"packages":{"":{},"node_modules/@flue/runtime":{"version":"2.0.1"}}}"#;
        assert_eq!(
            locked_version("package-lock.json", t, "", "@flue/runtime", None).as_deref(),
            Some("2.0.1")
        );
    }

    #[test]
    fn npm_lock_workspace_package() {
        let t = r#"{"packages":{"node_modules/@flue/runtime":{"version":"2.1.0"},"apps/a/node_modules/@flue/runtime":{"version":"2.0.1"}}}"#;
        assert_eq!(
            locked_version("package-lock.json", t, "apps/a", "@flue/runtime", None).as_deref(),
            Some("2.0.1")
        );
        assert_eq!(
            locked_version("package-lock.json", t, "apps/b", "@flue/runtime", None).as_deref(),
            Some("2.1.0")
        );
    }

    #[test]
    fn pnpm_lock_v9() {
        let t = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      '@flue/runtime':\n        specifier: ^2.0.0\n        version: 2.0.1(typescript@5.6.3)\n";
        assert_eq!(
            locked_version("pnpm-lock.yaml", t, "", "@flue/runtime", None).as_deref(),
            Some("2.0.1")
        );
    }

    #[test]
    fn yarn_classic_and_berry() {
        let classic = "# yarn lockfile v1\n\n\"@flue/runtime@^2.0.0\":\n  version \"2.0.5\"\n  resolved \"x\"\n";
        assert_eq!(
            locked_version("yarn.lock", classic, "", "@flue/runtime", Some("^2.0.0")).as_deref(),
            Some("2.0.5")
        );
        let berry = "__metadata:\n  version: 8\n\n\"@flue/runtime@npm:^2.1.0\":\n  version: 2.1.0\n  resolution: \"@flue/runtime@npm:2.1.0\"\n";
        assert_eq!(
            locked_version("yarn.lock", berry, "", "@flue/runtime", Some("^2.1.0")).as_deref(),
            Some("2.1.0")
        );
    }

    #[test]
    fn bun_text_lock() {
        let t = "{\n  \"lockfileVersion\": 1,\n  \"packages\": {\n    \"@flue/runtime\": [\"@flue/runtime@2.0.3\", \"\", {}, \"sha\"],\n  },\n}\n";
        assert_eq!(
            locked_version("bun.lock", t, "", "@flue/runtime", None).as_deref(),
            Some("2.0.3")
        );
    }

    #[test]
    fn garbage_is_none() {
        assert_eq!(
            locked_version("package-lock.json", "{", "", "x", None),
            None
        );
        assert_eq!(
            locked_version("pnpm-lock.yaml", ": : :", "", "x", None),
            None
        );
        assert_eq!(locked_version("bun.lockb", "\0\0", "", "x", None), None);
    }
}
