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
/// Whether flue reads versions from the lockfile `name` (`bun.lockb` is binary: it only names
/// the package manager).
pub fn has_versions(name: &str) -> bool {
    matches!(
        name,
        "package-lock.json" | "npm-shrinkwrap.json" | "pnpm-lock.yaml" | "yarn.lock" | "bun.lock"
    )
}

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
    let mut keys = Vec::new();
    if !importer.is_empty() {
        keys.push(format!("{importer}/node_modules/{package}"));
    }
    keys.push(format!("node_modules/{package}"));
    // npm writes lockfiles in one layout; find the entry's key and its
    // `version` textually instead of parsing megabytes of JSON per run.
    for k in &keys {
        if let Some(v) = npm_entry_version(text, k) {
            return Some(v);
        }
    }
    // Anything unusual (hand-edited, lockfile v1): parse it properly.
    let v: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).ok()?;
    if let Some(packages) = v.get("packages") {
        for k in &keys {
            if let Some(ver) = packages
                .get(k)
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

/// `"<key>": { … "version": "x" … }` found as text; only a flat prefix of the
/// entry (before any nested object) is searched.
fn npm_entry_version(text: &str, key: &str) -> Option<String> {
    let needle = format!("\"{key}\":");
    let at = text.find(&needle)? + needle.len();
    let rest = text[at..].trim_start().strip_prefix('{')?;
    let body = &rest[..rest.find(['{', '}']).unwrap_or(rest.len())];
    let v = body.find("\"version\":")?;
    let after = body[v + 10..].trim_start().strip_prefix('"')?;
    let end = after.find('"')?;
    Some(after[..end].to_string())
}

/// Finds `package`'s version for `importer` by reading the `importers:`
/// section line by line (it comes first in pnpm lockfiles v6 and v9), so a
/// large lockfile is not parsed as a whole. Lockfiles without `importers:`
/// (v5, one project) keep their sections at the top level.
fn pnpm(text: &str, importer: &str, package: &str) -> Option<String> {
    let key = if importer.is_empty() { "." } else { importer };
    let unquote = |s: &str| s.trim().trim_matches(|c| c == '\'' || c == '"').to_string();
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let clean = |raw: &str| -> Option<String> {
        let raw = unquote(raw);
        let v = raw.split('(').next().unwrap_or(&raw).trim().to_string();
        (!v.is_empty() && !v.starts_with("link:") && !v.starts_with("file:")).then_some(v)
    };
    let has_importers = text.lines().any(|l| l.trim_end() == "importers:");
    // Indentation of the importer block's sections and of their entries.
    let (mut in_scope, section_indent) = if has_importers { (false, 4) } else { (true, 0) };
    let mut in_importers = false;
    let mut in_section = false;
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let ind = indent(line);
        let t = line.trim();
        if has_importers {
            if ind == 0 {
                if in_importers {
                    return None;
                }
                in_importers = t == "importers:";
                continue;
            }
            if !in_importers {
                continue;
            }
            if ind == 2 {
                in_scope = t.strip_suffix(':').map(unquote).as_deref() == Some(key);
                in_section = false;
                continue;
            }
        }
        if !in_scope {
            continue;
        }
        if ind == section_indent {
            in_section = matches!(
                t,
                "dependencies:" | "devDependencies:" | "optionalDependencies:"
            );
            continue;
        }
        if in_section && ind == section_indent + 2 {
            let Some((k, v)) = t.split_once(':') else {
                continue;
            };
            if unquote(k) != package {
                continue;
            }
            if !v.trim().is_empty() {
                return clean(v);
            }
            // A block: `specifier:` and `version:` one level deeper.
            while let Some(next) = lines.peek() {
                if indent(next) <= ind {
                    break;
                }
                if let Some(v) = next.trim().strip_prefix("version:") {
                    return clean(v);
                }
                lines.next();
            }
            return None;
        }
    }
    None
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
    // `"<pkg>": ["<pkg>@<version>", …]` in bun's text lockfile.
    let needle = format!("\"{package}\": [\"{package}@");
    if let Some(i) = text.find(&needle) {
        let rest = &text[i + needle.len()..];
        return rest.find('"').map(|e| rest[..e].to_string());
    }
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
    fn pnpm_lock_workspace_importer_and_inline_v5() {
        let t = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    devDependencies:\n      typescript:\n        specifier: ^5\n        version: 5.6.3\n\n  packages/app:\n    dependencies:\n      '@flue/runtime':\n        specifier: catalog:\n        version: 2.1.0\n\npackages:\n\n  '@flue/runtime@2.0.1':\n    resolution: {}\n";
        assert_eq!(
            locked_version("pnpm-lock.yaml", t, "packages/app", "@flue/runtime", None).as_deref(),
            Some("2.1.0")
        );
        assert_eq!(
            locked_version("pnpm-lock.yaml", t, "", "@flue/runtime", None),
            None
        );
        let v5 = "lockfileVersion: 5.4\n\nspecifiers:\n  '@flue/runtime': ^2.0.0\n\ndependencies:\n  '@flue/runtime': 2.0.5\n\npackages:\n";
        assert_eq!(
            locked_version("pnpm-lock.yaml", v5, "", "@flue/runtime", None).as_deref(),
            Some("2.0.5")
        );
    }

    #[test]
    fn npm_lock_pretty_printed_text_path() {
        let t = "{\n  \"packages\": {\n    \"node_modules/@flue/runtime\": {\n      \"version\": \"2.0.8\",\n      \"resolved\": \"x\",\n      \"dependencies\": {\n        \"a\": \"1\"\n      }\n    }\n  }\n}\n";
        assert_eq!(
            locked_version("package-lock.json", t, "", "@flue/runtime", None).as_deref(),
            Some("2.0.8")
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
