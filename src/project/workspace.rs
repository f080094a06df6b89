//! Workspaces: finds the workspace root at or above a directory and lists
//! its packages, from `pnpm-workspace.yaml` (`packages` globs, `!`
//! exclusions) or the root `package.json` `workspaces` (an array, or
//! `{ "packages": [...] }`). Lists only the directories below which a glob
//! can match (`packages/*` lists `packages/`, not each package), never
//! `node_modules` or `.git`, and follows no symlinked directory.
//! Knows nothing about blueprints.
//!
//! Limits: brace and character-class globs work as globset reads them; a
//! package is a directory holding a `package.json` file.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

use crate::error::{Code, Error, Result};
use crate::fsx;

/// A workspace and its packages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    /// The directory holding the workspace config.
    pub root: PathBuf,
    /// The file that lists the packages: `pnpm-workspace.yaml` or `package.json`.
    pub config: &'static str,
    /// The package globs as written (exclusions keep their `!`).
    pub patterns: Vec<String>,
    /// The packages, in workspace order (depth first, by file name).
    pub packages: Vec<Package>,
}

/// One package of a workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// Absolute directory.
    pub dir: PathBuf,
    /// Relative to the workspace root, `/`-separated (`.` for the root itself).
    pub rel: String,
}

/// Finds the workspace at or above `cwd` and lists its packages.
pub fn discover(cwd: &Path, home: Option<&Path>) -> Result<Workspace> {
    discover_with(cwd, home, &super::Shared::default())
}

/// [`discover`], remembering in `shared` what it learns of each package's
/// `package.json` (detecting the package asks again).
pub fn discover_with(cwd: &Path, home: Option<&Path>, shared: &super::Shared) -> Result<Workspace> {
    let (root, config, patterns) = find(cwd, home)?;
    let packages = expand(&root, config, &patterns, shared)?;
    Ok(Workspace {
        root,
        config,
        patterns,
        packages,
    })
}

/// The nearest directory at or above `cwd` that declares a workspace, its
/// config file and its patterns. The walk stops at `.git` or the home directory.
fn find(cwd: &Path, home: Option<&Path>) -> Result<(PathBuf, &'static str, Vec<String>)> {
    let mut dir = Some(cwd);
    while let Some(d) = dir {
        let yaml = d.join("pnpm-workspace.yaml");
        if fsx::is_file(&yaml) {
            let text = fsx::read_text(d, &yaml)?.unwrap_or_default();
            return Ok((
                d.to_path_buf(),
                "pnpm-workspace.yaml",
                pnpm_patterns(&text)?,
            ));
        }
        let manifest = d.join("package.json");
        if fsx::is_file(&manifest)
            && let Some(text) = fsx::read_text(d, &manifest)?
            && text.contains("\"workspaces\"")
        {
            let m = super::Manifest::parse(&text)
                .map_err(|e| super::manifest_error(&manifest.display().to_string(), e))?;
            if let Some(v) = m.value("workspaces") {
                let patterns = npm_patterns(&v).ok_or_else(|| {
                    Error::new(
                        Code::InvalidWorkspace,
                        format!("`{}`: `workspaces` is neither an array of globs nor `{{ \"packages\": [...] }}`", manifest.display()),
                    )
                    .file(manifest.display().to_string())
                    .hint("fix the file, then run the command again; nothing was written")
                })?;
                return Ok((d.to_path_buf(), "package.json", patterns));
            }
        }
        if fsx::exists(&d.join(".git")) || home.is_some_and(|h| h == d) {
            break;
        }
        dir = d.parent();
    }
    Err(Error::new(
        Code::NoWorkspace,
        format!(
            "no workspace found at or above `{}` (no `pnpm-workspace.yaml`, no `package.json` with `workspaces`)",
            cwd.display()
        ),
    )
    .hint("run it inside a workspace, or drop `--workspace` to work on this package alone; nothing was written"))
}

/// The `packages` list of `pnpm-workspace.yaml` (none: no packages).
pub fn pnpm_patterns(text: &str) -> Result<Vec<String>> {
    let bad = |msg: String, line: Option<usize>| {
        Error::new(
            Code::InvalidWorkspace,
            format!("cannot read `pnpm-workspace.yaml`: {msg}"),
        )
        .file("pnpm-workspace.yaml")
        .line_opt(line, None)
        .hint("fix the file, then run the command again; nothing was written")
    };
    let docs = yaml_rust2::YamlLoader::load_from_str(text)
        .map_err(|e| bad(e.info().to_string(), Some(e.marker().line())))?;
    let Some(doc) = docs.first() else {
        return Ok(Vec::new());
    };
    let list = &doc["packages"];
    if list.is_badvalue() || list.is_null() {
        return Ok(Vec::new());
    }
    let items = list
        .as_vec()
        .ok_or_else(|| bad("`packages` is not a list".into(), None))?;
    items
        .iter()
        .map(|i| {
            i.as_str()
                .map(String::from)
                .ok_or_else(|| bad("an entry of `packages` is not a string".into(), None))
        })
        .collect()
}

/// `workspaces` of a root `package.json`: an array, or `{ "packages": [...] }`.
pub fn npm_patterns(v: &serde_json::Value) -> Option<Vec<String>> {
    let list = match v {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Object(o) => o.get("packages")?.as_array()?,
        _ => return None,
    };
    list.iter().map(|s| s.as_str().map(String::from)).collect()
}

/// One include glob, split for pruning the walk.
struct Include {
    /// Literal leading segments (`packages` of `packages/*`).
    prefix: Vec<String>,
    /// Number of segments, or `None` when `**` makes the depth unbounded.
    depth: Option<usize>,
}

fn normalise(p: &str) -> String {
    let p = p.trim();
    let p = p.strip_prefix("./").unwrap_or(p);
    let p = p.trim_end_matches('/');
    if p.is_empty() { ".".into() } else { p.into() }
}

fn is_glob_segment(s: &str) -> bool {
    s.contains(['*', '?', '[', '{'])
}

fn glob(pattern: &str, config: &str) -> Result<Glob> {
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| {
            Error::new(
                Code::InvalidWorkspace,
                format!("`{config}`: `{pattern}` is not a valid glob: {}", e.kind()),
            )
            .file(config.to_string())
            .hint("fix the pattern, then run the command again; nothing was written")
        })
}

/// Visits the directories below `dir` depth first, by file name (`segs` is
/// `dir` relative to the walk's root), listing only those `descend` accepts.
/// Skips `node_modules`, `.git`, symlinks and unreadable directories.
fn walk(
    dir: &Path,
    segs: &mut Vec<String>,
    descend: &dyn Fn(&[String]) -> bool,
    visit: &mut dyn FnMut(&Path, &[String]),
) {
    if !descend(segs) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut dirs: Vec<(std::ffi::OsString, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| (e.file_name(), e.path()))
        .filter(|(name, _)| name != "node_modules" && name != ".git")
        .collect();
    dirs.sort();
    for (name, path) in dirs {
        segs.push(name.to_string_lossy().into_owned());
        visit(&path, segs);
        walk(&path, segs, descend, visit);
        segs.pop();
    }
}

/// The packages the patterns select, in workspace order.
pub fn expand(
    root: &Path,
    config: &str,
    patterns: &[String],
    shared: &super::Shared,
) -> Result<Vec<Package>> {
    let (mut inc, mut exc) = (GlobSetBuilder::new(), GlobSetBuilder::new());
    let mut includes = Vec::new();
    for raw in patterns {
        match raw.trim().strip_prefix('!') {
            Some(p) => {
                let p = normalise(p);
                exc.add(glob(&p, config)?);
                // `!dir` also excludes what is under it, as pnpm reads it.
                exc.add(glob(&format!("{p}/**"), config)?);
            }
            None => {
                let p = normalise(raw);
                let segs: Vec<&str> = p.split('/').filter(|s| *s != ".").collect();
                includes.push(Include {
                    prefix: segs
                        .iter()
                        .take_while(|s| !is_glob_segment(s))
                        .map(|s| s.to_string())
                        .collect(),
                    depth: (!segs.contains(&"**")).then_some(segs.len()),
                });
                inc.add(glob(&p, config)?);
            }
        }
    }
    let build = |b: GlobSetBuilder| {
        b.build()
            .map_err(|e| Error::new(Code::InvalidWorkspace, format!("`{config}`: {e}")))
    };
    let (inc, exc): (GlobSet, GlobSet) = (build(inc)?, build(exc)?);
    // A directory is listed only when a glob can match below it: `packages/*`
    // lists the root and `packages/`, never the packages themselves.
    let descend = |segs: &[String]| {
        includes.iter().any(|i| {
            let shared = i.prefix.len().min(segs.len());
            i.prefix[..shared].iter().zip(segs).all(|(a, b)| a == b)
                && i.depth.is_none_or(|d| segs.len() < d)
        })
    };
    let mut out = Vec::new();
    if inc.is_match(".") && shared.is_file(&root.join("package.json")) {
        out.push(Package {
            dir: root.to_path_buf(),
            rel: ".".into(),
        });
    }
    walk(root, &mut Vec::new(), &descend, &mut |dir, segs| {
        let rel = segs.join("/");
        if inc.is_match(&rel) && !exc.is_match(&rel) && shared.is_file(&dir.join("package.json")) {
            out.push(Package {
                dir: dir.to_path_buf(),
                rel,
            });
        }
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn pkg(root: &Path, rel: &str) {
        fs::create_dir_all(root.join(rel)).unwrap();
        fs::write(root.join(rel).join("package.json"), "{}").unwrap();
    }

    fn rels(ws: &Workspace) -> Vec<&str> {
        ws.packages.iter().map(|p| p.rel.as_str()).collect()
    }

    #[test]
    fn pnpm_globs_exclusions_and_double_star() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        fs::write(
            r.join("pnpm-workspace.yaml"),
            "packages:\n  - \"apps/*\"\n  - 'libs/**'\n  - '!libs/**/fixtures/**'\n  - '!apps/legacy'\n",
        )
        .unwrap();
        for p in [
            "apps/web",
            "apps/legacy",
            "apps/web/node_modules/dep",
            "libs/a",
            "libs/group/b",
            "libs/a/fixtures/x",
            "other/c",
        ] {
            pkg(r, p);
        }
        fs::create_dir_all(r.join("apps/empty")).unwrap();
        let ws = discover(&r.join("libs/group/b"), None).unwrap();
        assert_eq!(ws.config, "pnpm-workspace.yaml");
        assert_eq!(rels(&ws), ["apps/web", "libs/a", "libs/group/b"]);
    }

    #[test]
    fn npm_array_and_yarn_object() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        fs::write(r.join("package.json"), r#"{"workspaces": ["packages/*"]}"#).unwrap();
        pkg(r, "packages/b");
        pkg(r, "packages/a");
        let ws = discover(&r.join("packages/a"), None).unwrap();
        assert_eq!(ws.config, "package.json");
        assert_eq!(rels(&ws), ["packages/a", "packages/b"]);
        fs::write(
            r.join("package.json"),
            r#"{"workspaces": {"packages": ["packages/a"], "nohoist": []}}"#,
        )
        .unwrap();
        assert_eq!(rels(&discover(r, None).unwrap()), ["packages/a"]);
    }

    #[test]
    fn a_bad_workspaces_value_or_yaml_is_an_error_naming_the_file() {
        let t = tempfile::tempdir().unwrap();
        fs::write(t.path().join("package.json"), r#"{"workspaces": 3}"#).unwrap();
        assert_eq!(
            discover(t.path(), None).unwrap_err().code.as_str(),
            "invalid_workspace"
        );
        fs::write(t.path().join("pnpm-workspace.yaml"), "packages: [\n").unwrap();
        let e = discover(t.path(), None).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.file.as_deref()),
            ("invalid_workspace", Some("pnpm-workspace.yaml"))
        );
    }

    #[test]
    fn no_workspace_stops_at_the_repository() {
        let t = tempfile::tempdir().unwrap();
        fs::write(t.path().join("package.json"), r#"{"workspaces": ["*"]}"#).unwrap();
        let repo = t.path().join("repo");
        fs::create_dir_all(repo.join(".git")).unwrap();
        pkg(&repo, "app");
        assert_eq!(
            discover(&repo.join("app"), None).unwrap_err().code.as_str(),
            "no_workspace"
        );
    }
}
