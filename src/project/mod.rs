//! Detection: reads a bounded, known set of files into a `Project` value
//! (root, source root, package manager, build target with evidence, the
//! manifest, what the project has of the runtime, the existing output file,
//! the code style). Never walks `node_modules`, `.git` or the whole tree,
//! never executes anything, never writes.

mod files;
pub mod lockfile;
pub mod manifest;
mod shared;
pub mod style;
pub mod target;
pub mod workspace;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::error::{Code, Error, Result, WarningCode, display_path};
use crate::fsx;
pub use files::{manifest_error, read_output};
use files::{read_output_at, read_state, read_state_seen};
pub use manifest::Manifest;
pub use shared::Shared;
pub use target::TargetName;

impl Serialize for TargetName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A package manager flue knows how to name and run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PackageManager {
    Npm,
    Pnpm,
    Yarn,
    Bun,
}

impl PackageManager {
    pub fn as_str(self) -> &'static str {
        match self {
            PackageManager::Npm => "npm",
            PackageManager::Pnpm => "pnpm",
            PackageManager::Yarn => "yarn",
            PackageManager::Bun => "bun",
        }
    }

    pub fn from_name(s: &str) -> Option<PackageManager> {
        match s.trim().to_ascii_lowercase().as_str() {
            "npm" => Some(PackageManager::Npm),
            "pnpm" => Some(PackageManager::Pnpm),
            "yarn" => Some(PackageManager::Yarn),
            "bun" => Some(PackageManager::Bun),
            _ => None,
        }
    }

    /// The command that installs what `package.json` declares.
    pub fn install_command(self) -> &'static str {
        match self {
            PackageManager::Npm => "npm install",
            PackageManager::Pnpm => "pnpm install",
            PackageManager::Yarn => "yarn install",
            PackageManager::Bun => "bun install",
        }
    }
}

/// Why a detected value is what it is: the file (and line) that decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// What decided, in words (`--target`, `flue({ target })`, `default`).
    pub reason: String,
    /// File relative to the project root (`../pnpm-lock.yaml` when above it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl Evidence {
    fn reason(reason: impl Into<String>) -> Evidence {
        Evidence {
            reason: reason.into(),
            file: None,
            line: None,
            column: None,
        }
    }

    fn in_file(
        reason: impl Into<String>,
        file: String,
        line: Option<usize>,
        column: Option<usize>,
    ) -> Evidence {
        Evidence {
            reason: reason.into(),
            file: Some(file),
            line,
            column,
        }
    }

    /// `vite.config.ts:12` or the reason alone.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_ref()?;
        Some(match self.line {
            Some(l) => format!("{file}:{l}"),
            None => file.clone(),
        })
    }
}

/// The build target and what decided it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    pub name: TargetName,
    pub evidence: Evidence,
}

/// The package manager and what decided it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pm {
    pub name: PackageManager,
    pub evidence: Evidence,
}

/// What the project has of the runtime package, by source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RuntimeInfo {
    /// Version in `node_modules/<pkg>/package.json`, as Node resolves it, and that file.
    pub installed: Option<(String, String)>,
    /// Version recorded in the lockfile, and the lockfile.
    pub locked: Option<(String, String)>,
    /// Range declared in `package.json` (after resolving `workspace:`/`catalog:`), and where.
    pub declared: Option<(String, String)>,
    /// A declared spec that could not be turned into a range (`workspace:*`, `github:…`).
    pub unresolved: Option<String>,
    /// Files that would have answered but could not be read (each also a warning), so the
    /// report never claims they were absent.
    pub unreadable: Vec<String>,
}

/// A file flue reads and may write, with its content as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileState {
    /// Path as flue will write it (a symlink is resolved to its real path).
    pub path: PathBuf,
    /// Relative to the project root, for reports.
    pub display: String,
    /// Content when the file exists.
    pub content: Option<String>,
    /// The path was reached through a symlink; `path` is the real file.
    pub via_symlink: bool,
    /// It exists and has no write permission bit: the user made it read-only.
    pub read_only: bool,
}

/// A warning found while detecting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub code: WarningCode,
    pub message: String,
}

/// `tsconfig.json`'s `include`, when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TsConfig {
    pub include: Option<Vec<String>>,
}

/// Everything the planner needs to know about the project.
#[derive(Debug, Clone)]
pub struct Project {
    /// The directory holding `package.json`.
    pub root: PathBuf,
    /// `.flue/`, `src/` or the root.
    pub source_root: PathBuf,
    pub manifest_file: FileState,
    pub manifest: Manifest,
    pub pm: Pm,
    pub target: Target,
    pub runtime: RuntimeInfo,
    /// The blueprint's output file.
    pub output: FileState,
    pub style: style::Detected,
    pub tsconfig: Option<TsConfig>,
    /// The nearest lockfile, relative to the root, when there is one.
    pub lockfile: Option<String>,
    /// `.env.example` at the root (content `None` when absent); an error
    /// reading it matters only to a blueprint that needs to edit it.
    pub env_example: Result<FileState>,
    /// The Wrangler config at the root (`wrangler.jsonc`, `.json`, `.toml`,
    /// first found); `wrangler.jsonc` with content `None` when there is none.
    pub wrangler: Result<FileState>,
    pub warnings: Vec<Warning>,
}

/// Inputs of detection that do not come from the project's files.
#[derive(Debug, Clone, Default)]
pub struct DetectOptions {
    /// Absolute directory to start from.
    pub cwd: PathBuf,
    pub target: Option<TargetName>,
    pub package_manager: Option<PackageManager>,
    /// The home directory, where upward walks stop.
    pub home: Option<PathBuf>,
    /// `npm_config_user_agent`, set when run through a package manager.
    pub user_agent: Option<String>,
    /// Output path of the blueprint, relative to the source root.
    pub output: String,
    /// Package whose version decides the blueprint version.
    pub runtime_package: String,
}

/// What the caller will use of the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Purpose {
    /// Planning `add`, `update` or `diff`: everything.
    #[default]
    Plan,
    /// `flue status`: what states need (the manifest, the runtime, the output
    /// files, the style). `tsconfig.json`, `.env.example` and the Wrangler
    /// config are not read (`tsconfig` is `None`, the other two absent), nor
    /// whether a file is read-only (`read_only` is `false`).
    Status,
}

const VITE_CONFIGS: &[&str] = &[
    "vite.config.js",
    "vite.config.mjs",
    "vite.config.ts",
    "vite.config.cjs",
    "vite.config.mts",
    "vite.config.cts",
];
const FLUE_CONFIGS: &[&str] = &[
    "flue.config.ts",
    "flue.config.mts",
    "flue.config.cts",
    "flue.config.js",
    "flue.config.mjs",
    "flue.config.cjs",
];
const WRANGLER_FILES: &[&str] = &["wrangler.jsonc", "wrangler.json", "wrangler.toml"];

/// Finds the project root: the nearest directory at or above `cwd` with a `package.json`.
pub fn find_root(cwd: &Path, home: Option<&Path>) -> Result<PathBuf> {
    find_root_with(cwd, home, &Shared::default())
}

fn find_root_with(cwd: &Path, home: Option<&Path>, shared: &Shared) -> Result<PathBuf> {
    let mut dir = Some(cwd);
    while let Some(d) = dir {
        if shared.exists(&d.join("package.json")) {
            return Ok(d.to_path_buf());
        }
        if is_boundary(d, home, &Names::UNLISTED) {
            break;
        }
        dir = d.parent();
    }
    Err(Error::new(
        Code::NoProject,
        format!("no `package.json` found in `{}` or above", cwd.display()),
    )
    .hint("run flue inside a Flue project, or pass `--cwd <dir>`")
    .nothing_written())
}

/// Walks upward stop at `.git`, a workspace root, or the home directory.
fn is_boundary(dir: &Path, home: Option<&Path>, names: &Names) -> bool {
    has_marker(dir, names) || home.is_some_and(|h| h == dir)
}

/// `.git` or `pnpm-workspace.yaml` is in `dir`.
fn has_marker(dir: &Path, names: &Names) -> bool {
    names.exists(dir, ".git") || names.exists(dir, "pnpm-workspace.yaml")
}

/// The names in a directory, listed once, so that probing it for a file that
/// is not there costs no system call: a project root is probed for about 30
/// (style configs, lockfiles, boundary markers), of which it holds a few. A
/// name listed as it is asked, and no symlink, is answered from its listed
/// type; one listed with other ASCII case (a case-insensitive file system may
/// take it for the name asked), or a symlink, is asked of the disk.
struct Names(Option<HashMap<String, Listed, shared::Fast>>);

/// A listed name (the key is it with ASCII case folded): as written, and its
/// type when it is no symlink.
struct Listed {
    name: std::ffi::OsString,
    kind: Option<std::fs::FileType>,
}

/// What a probe asks of a name.
#[derive(Clone, Copy)]
enum Probe {
    Exists,
    File,
    Dir,
}

impl Names {
    /// Not listed: every name is asked of the disk.
    const UNLISTED: Names = Names(None);

    /// `dir`'s names, or [`Names::UNLISTED`] when it cannot be listed whole.
    fn of(dir: &Path) -> Names {
        let listed = std::fs::read_dir(dir).and_then(|entries| {
            entries
                .map(|e| {
                    let e = e?;
                    let name = e.file_name();
                    // From the listing itself (`d_type`) where the file system gives it.
                    let kind = e.file_type().ok().filter(|t| !t.is_symlink());
                    let key = name.to_string_lossy().to_ascii_lowercase();
                    Ok((key, Listed { name, kind }))
                })
                .collect::<std::io::Result<_>>()
        });
        Names(listed.ok())
    }

    fn ask(&self, dir: &Path, name: &str, probe: Probe) -> bool {
        let on_disk = || {
            let path = dir.join(name);
            match probe {
                Probe::Exists => fsx::exists(&path),
                Probe::File => fsx::is_file(&path),
                Probe::Dir => fsx::is_dir(&path),
            }
        };
        let Some(names) = &self.0 else {
            return on_disk();
        };
        let listed = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            names.get(&name.to_ascii_lowercase())
        } else {
            names.get(name)
        };
        match listed {
            None => false,
            Some(Listed {
                name: as_listed,
                kind: Some(kind),
            }) if as_listed == name => match probe {
                Probe::Exists => true,
                Probe::File => kind.is_file(),
                Probe::Dir => kind.is_dir(),
            },
            Some(_) => on_disk(),
        }
    }

    fn exists(&self, dir: &Path, name: &str) -> bool {
        self.ask(dir, name, Probe::Exists)
    }

    fn is_file(&self, dir: &Path, name: &str) -> bool {
        self.ask(dir, name, Probe::File)
    }

    fn is_dir(&self, dir: &Path, name: &str) -> bool {
        self.ask(dir, name, Probe::Dir)
    }
}

/// One directory of the upward walk: the project root (`above` is `None`), or
/// a directory above it, whose facts are shared by the run.
struct Link {
    dir: PathBuf,
    above: Option<Arc<shared::Above>>,
}

impl Link {
    /// This directory's `package.json`: `root`'s for the root.
    fn manifest<'a>(&'a self, root: &'a Manifest) -> Option<&'a Manifest> {
        match &self.above {
            None => Some(root),
            Some(a) => a.manifest.as_ref(),
        }
    }

    /// [`read_refining`] of `rel`, relative to this directory.
    fn read(
        &self,
        root: &Path,
        rel: &Path,
        instead: &str,
        warnings: &mut Vec<Warning>,
    ) -> std::result::Result<Option<Arc<str>>, String> {
        match &self.above {
            None => read_refining(root, &self.dir.join(rel), instead, warnings)
                .map(|t| t.map(Arc::from)),
            Some(a) => a.read(root, rel, instead, warnings),
        }
    }
}

/// The directories from `root` upward, the last one being the boundary.
/// Reads each ancestor's `package.json` for `workspaces` and `packageManager`
/// (once per run, through `shared`).
fn ancestors(
    root: &Path,
    root_names: &Names,
    home: Option<&Path>,
    shared: &Shared,
    warnings: &mut Vec<Warning>,
) -> Vec<Link> {
    let mut out = Vec::new();
    let mut dir = Some(root);
    while let Some(d) = dir {
        let above = (d != root).then(|| shared.above(d, root));
        let (workspace_root, boundary) = match &above {
            None => (false, is_boundary(d, home, root_names)),
            Some(a) => {
                warnings.extend(a.warnings.iter().cloned());
                let ws = a.manifest.as_ref().is_some_and(|m| m.has_key("workspaces"));
                (ws, a.marker || home.is_some_and(|h| h == d))
            }
        };
        out.push(Link {
            dir: d.to_path_buf(),
            above,
        });
        if workspace_root || boundary {
            break;
        }
        dir = d.parent();
    }
    out
}

/// Reads an input that only refines the result (style configs, lockfiles, the installed
/// runtime's `package.json`, `tsconfig.json`, an ancestor's `package.json`): one that exists
/// but cannot be read is a warning naming it and what flue does instead (SPEC §13), never a
/// silent default. `Err` carries the file's display path, for reports that must not claim it
/// was absent.
fn read_refining(
    root: &Path,
    path: &Path,
    instead: &str,
    warnings: &mut Vec<Warning>,
) -> std::result::Result<Option<String>, String> {
    fsx::read_text(root, path).map_err(|e| {
        let shown = e.file.clone().unwrap_or_else(|| display_path(root, path));
        warnings.push(Warning {
            code: WarningCode::UnreadableInput,
            message: format!("{}; {instead}", e.message),
        });
        shown
    })
}

/// Reads the project. Errors name the file (and line) that stopped detection.
pub fn detect(opts: &DetectOptions) -> Result<Project> {
    detect_with(opts, &Shared::default(), Purpose::Plan)
}

/// [`detect`], sharing what is read above the project root with the other
/// detections of the run (`shared`), and reading only what `purpose` uses.
/// The project is the same as `detect`'s, but for what `purpose` leaves out.
pub fn detect_with(opts: &DetectOptions, shared: &Shared, purpose: Purpose) -> Result<Project> {
    let home = opts.home.as_deref();
    let root = find_root_with(&opts.cwd, home, shared)?;
    let manifest_path = root.join("package.json");
    let manifest_file = read_state_seen(&root, &manifest_path, "package.json", shared, purpose)?;
    let text = manifest_file.content.clone().ok_or_else(|| {
        Error::new(
            Code::NoProject,
            "`package.json` disappeared while reading it",
        )
    })?;
    let manifest = Manifest::parse(&text).map_err(|e| manifest_error(&manifest_file.display, e))?;
    let names = Names::of(&root);
    let mut warnings = Vec::new();
    let chain = if manifest.has_key("workspaces") {
        vec![Link {
            dir: root.clone(),
            above: None,
        }]
    } else {
        ancestors(&root, &names, home, shared, &mut warnings)
    };

    // The nearest lockfile, looked up once: it answers for the package
    // manager, the runtime version and the "lockfile out of date" step.
    let lock = find_lockfile(&chain, &names);
    let pm = detect_pm(opts, &root, &manifest, &chain, lock.as_ref());
    let target = detect_target(opts, &root, &mut warnings)?;
    let runtime = detect_runtime(opts, &root, &manifest, &chain, lock.as_ref(), &mut warnings);

    let source_root = [".flue", "src"]
        .iter()
        .find(|d| names.is_dir(&root, d))
        .map_or_else(|| root.clone(), |d| root.join(d));
    let output = read_output_at(&root, &source_root.join(&opts.output), shared, purpose)?;

    let style = detect_style(&root, &names, &chain, &manifest, &mut warnings)?;

    let lockfile = lock
        .as_ref()
        .map(|l| rel_up(&root, &l.link.dir, l.name, ""));
    let (tsconfig, env_example, wrangler) = plan_inputs(&root, purpose, &mut warnings);
    Ok(Project {
        lockfile,
        env_example,
        wrangler,
        root,
        source_root,
        manifest_file,
        manifest,
        pm,
        target,
        runtime,
        output,
        style,
        tsconfig,
        warnings,
    })
}

/// The project's style: like Prettier, the nearest directory with a style
/// config decides (the package first, then its parents up to the walk's
/// boundary). Every config name is probed in the root, so that reading its
/// style asks the disk only for the files that are there.
fn detect_style(
    root: &Path,
    names: &Names,
    chain: &[Link],
    manifest: &Manifest,
    warnings: &mut Vec<Warning>,
) -> Result<style::Detected> {
    let root_files = style_files_in(root, names);
    let style_link = chain.iter().find(|link| {
        let key = link.manifest(manifest).and_then(|m| m.value("prettier"));
        // `exists`, not `is_file`: an unreadable config, or a directory in its place,
        // still decides where the style comes from, and is reported when read.
        let has_file = match &link.above {
            None => !root_files.is_empty(),
            Some(a) => !a.style_files().is_empty(),
        };
        key.is_some() || has_file
    });
    let (mut style, style_warnings) = match style_link.and_then(|l| l.above.as_ref()) {
        Some(a) => {
            let key = a.manifest.as_ref().and_then(|m| m.value("prettier"));
            a.style(root, || style_in(root, &a.dir, key, a.style_files()))?
        }
        None => style_in(root, root, manifest.value("prettier"), &root_files)?,
    };
    warnings.extend(style_warnings);
    if let Some(link) = style_link
        && link.dir != *root
        && let Some(src) = style.source.as_mut()
    {
        src.file = rel_up(root, &link.dir, &src.file, "");
    }
    Ok(style)
}

/// What only planning reads: `tsconfig.json` (whether its `include` covers
/// the output), `.env.example` and the Wrangler config; status reads none.
fn plan_inputs(
    root: &Path,
    purpose: Purpose,
    warnings: &mut Vec<Warning>,
) -> (Option<TsConfig>, Result<FileState>, Result<FileState>) {
    match purpose {
        Purpose::Status => (
            None,
            Ok(FileState::absent(
                &root.join(".env.example"),
                ".env.example",
            )),
            Ok(FileState::absent(
                &root.join(WRANGLER_FILES[0]),
                WRANGLER_FILES[0],
            )),
        ),
        Purpose::Plan => {
            let instead = "flue cannot check that its `include` covers the generated file";
            let tsconfig = read_refining(root, &root.join("tsconfig.json"), instead, warnings)
                .ok()
                .flatten()
                .map(|t| tsconfig_of(&t));
            let env_example = read_state(root, &root.join(".env.example"), ".env.example");
            let wrangler_name = WRANGLER_FILES
                .iter()
                .find(|f| fsx::is_file(&root.join(f)))
                .unwrap_or(&WRANGLER_FILES[0]);
            let wrangler = read_state(root, &root.join(wrangler_name), wrangler_name);
            (tsconfig, env_example, wrangler)
        }
    }
}

fn tsconfig_of(text: &str) -> TsConfig {
    let v: Option<serde_json::Value> =
        jsonc_parser::parse_to_serde_value(text, &Default::default()).ok();
    TsConfig {
        include: v.and_then(|v| {
            v.get("include")?.as_array().map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(String::from))
                    .collect()
            })
        }),
    }
}

/// The style configs (of [`style::CONFIG_FILES`]) present in `dir`.
fn style_files_in(dir: &Path, names: &Names) -> Vec<&'static str> {
    style::CONFIG_FILES
        .iter()
        .copied()
        .filter(|f| names.exists(dir, f))
        .collect()
}

/// The style `dir`'s configs set (`files` are those present there, `key` its
/// `package.json`'s `prettier`), and what reading them warned.
fn style_in(
    root: &Path,
    dir: &Path,
    key: Option<serde_json::Value>,
    files: &[&str],
) -> shared::StyleAt {
    let warnings = std::cell::RefCell::new(Vec::new());
    let read_cfg = |name: &str| {
        // A config probed absent is not asked for again.
        if style::CONFIG_FILES.contains(&name) && !files.contains(&name) {
            return None;
        }
        let instead =
            "the style it sets is not used (the default style applies where nothing else sets one)";
        read_refining(root, &dir.join(name), instead, &mut warnings.borrow_mut())
            .ok()
            .flatten()
    };
    let style = style::detect(&read_cfg, key.as_ref()).map_err(|e| {
        Error::new(
            Code::InvalidStyleConfig,
            format!("cannot read `{}`: {}", e.file, e.message),
        )
        .file(e.file.clone())
        .line_opt(e.line, None)
        .hint("fix the file, or remove it to use the default style")
        .nothing_written()
    })?;
    Ok((style, warnings.into_inner()))
}

fn detect_pm(
    opts: &DetectOptions,
    root: &Path,
    manifest: &Manifest,
    chain: &[Link],
    lock: Option<&Lockfile>,
) -> Pm {
    if let Some(pm) = opts.package_manager {
        return Pm {
            name: pm,
            evidence: Evidence::reason("--package-manager"),
        };
    }
    // `packageManager` of the root's or an ancestor's package.json.
    for link in chain {
        let dir = &link.dir;
        if let Some(field) = link
            .manifest(manifest)
            .and_then(|m| m.string_field("packageManager"))
        {
            let name = field.split('@').next().unwrap_or("");
            if let Some(pm) = PackageManager::from_name(name) {
                let file = display_path(root, &dir.join("package.json"));
                return Pm {
                    name: pm,
                    evidence: Evidence::in_file(
                        format!("`packageManager: \"{field}\"`"),
                        rel_up(root, dir, "package.json", &file),
                        None,
                        None,
                    ),
                };
            }
        }
    }
    if let Some(l) = lock {
        return Pm {
            name: l.pm,
            evidence: Evidence::in_file(
                "lockfile",
                rel_up(root, &l.link.dir, l.name, ""),
                None,
                None,
            ),
        };
    }
    if let Some(ua) = &opts.user_agent {
        let name = ua.split('/').next().unwrap_or("");
        if let Some(pm) = PackageManager::from_name(name) {
            return Pm {
                name: pm,
                evidence: Evidence::reason(format!("`npm_config_user_agent` ({name})")),
            };
        }
    }
    Pm {
        name: PackageManager::Npm,
        evidence: Evidence::reason("default"),
    }
}

/// A lockfile: the directory holding it, its file name and the package manager it belongs to.
struct Lockfile<'c> {
    link: &'c Link,
    name: &'static str,
    pm: PackageManager,
}

/// The nearest lockfile (`root_names` are the root's, the first link's).
fn find_lockfile<'c>(chain: &'c [Link], root_names: &Names) -> Option<Lockfile<'c>> {
    chain.iter().find_map(|link| {
        let found = match &link.above {
            None => lockfile_in(&link.dir, root_names),
            Some(a) => a.lockfile(),
        };
        found.map(|(name, pm)| Lockfile { link, name, pm })
    })
}

/// The first lockfile in `dir`, in [`lockfile::LOCKFILES`] order.
fn lockfile_in(dir: &Path, names: &Names) -> Option<(&'static str, PackageManager)> {
    lockfile::LOCKFILES
        .iter()
        .find(|(name, _)| names.is_file(dir, name))
        .copied()
}

/// `package.json`, `../../pnpm-lock.yaml`: a path relative to the root.
fn rel_up(root: &Path, dir: &Path, name: &str, fallback: &str) -> String {
    if dir == root {
        return name.to_string();
    }
    match root.strip_prefix(dir) {
        Ok(down) => {
            let ups = down.components().count();
            format!("{}{name}", "../".repeat(ups))
        }
        Err(_) if !fallback.is_empty() => fallback.to_string(),
        Err(_) => dir.join(name).display().to_string(),
    }
}

fn detect_target(opts: &DetectOptions, root: &Path, warnings: &mut Vec<Warning>) -> Result<Target> {
    let (found, vite_targets) = pick_target(opts, root)?;
    warn_disagreeing_flue_calls(&found, &vite_targets, warnings);
    if found.name == TargetName::Node
        && opts.target.is_none()
        && let Some(w) = WRANGLER_FILES.iter().find(|f| fsx::is_file(&root.join(f)))
    {
        warnings.push(Warning {
            code: WarningCode::WranglerWithoutCloudflareTarget,
            message: format!(
                "`{w}` exists, but nothing sets the build target to cloudflare, so it is node; pass `--target cloudflare` (or set `flue({{ target: \"cloudflare\" }})` in the vite config) if this project deploys to Cloudflare"
            ),
        });
    }
    Ok(found)
}

/// Two `flue({ target })` calls that disagree: the first decided; say so,
/// naming both lines. `vite_targets` are the vite config's calls, in source
/// order, when the first of them decided.
fn warn_disagreeing_flue_calls(
    found: &Target,
    vite_targets: &[target::Found<TargetName>],
    warnings: &mut Vec<Warning>,
) {
    let (Some(file), Some(line)) = (&found.evidence.file, found.evidence.line) else {
        return;
    };
    if let Some(other) = vite_targets.iter().find(|f| f.value != found.name) {
        warnings.push(Warning {
            code: WarningCode::ConflictingFlueTargets,
            message: format!(
                "`{file}` calls `flue({{ target }})` twice with different targets: `{}` at line {line}, column {} and `{}` at line {}, column {}; the first one decides (pass `--target` to choose)",
                found.name.as_str(),
                found.evidence.column.unwrap_or(1),
                other.value.as_str(),
                other.line,
                other.column
            ),
        });
    }
}

/// The target and what decided it; with it, every `flue({ target })` call of
/// the vite config when one of them decided (else nothing).
fn pick_target(
    opts: &DetectOptions,
    root: &Path,
) -> Result<(Target, Vec<target::Found<TargetName>>)> {
    if let Some(t) = opts.target {
        return Ok((
            Target {
                name: t,
                evidence: Evidence::reason("--target"),
            },
            Vec::new(),
        ));
    }
    let read = |name: &str| -> Result<Option<String>> { fsx::read_text(root, &root.join(name)) };
    let vite = match VITE_CONFIGS.iter().find(|f| fsx::is_file(&root.join(f))) {
        Some(f) => read(f)?.map(|t| (*f, t)),
        None => None,
    };
    // The vite config is parsed once for all of its questions (steps 2 and 4,
    // and the calls that disagree).
    let vite = match &vite {
        Some((file, text)) => Some((
            *file,
            target::read_vite(file, text).map_err(|e| scan_error(file, e))?,
        )),
        None => None,
    };
    if let Some((file, facts)) = vite.as_ref()
        && let Some(found) = facts.flue_target()
    {
        let target = Target {
            name: found.value,
            evidence: Evidence::in_file(
                "`flue({ target })` in the vite config",
                file.to_string(),
                Some(found.line),
                Some(found.column),
            ),
        };
        let all = vite
            .map(|(_, facts)| facts.flue_targets)
            .unwrap_or_default();
        return Ok((target, all));
    }
    if let Some(file) = FLUE_CONFIGS.iter().find(|f| fsx::is_file(&root.join(f)))
        && let Some(text) = read(file)?
        && let Some(found) =
            target::read_flue_config(file, &text).map_err(|e| scan_error(file, e))?
    {
        return Ok((
            Target {
                name: found.value,
                evidence: Evidence::in_file(
                    "`target` in the flue config",
                    file.to_string(),
                    Some(found.line),
                    Some(found.column),
                ),
            },
            Vec::new(),
        ));
    }
    if let Some((file, facts)) = &vite
        && let Some(found) = &facts.cloudflare_plugin
    {
        return Ok((
            Target {
                name: TargetName::Cloudflare,
                evidence: Evidence::in_file(
                    "`cloudflare()` from `@cloudflare/vite-plugin`",
                    file.to_string(),
                    Some(found.line),
                    Some(found.column),
                ),
            },
            Vec::new(),
        ));
    }
    Ok((
        Target {
            name: TargetName::Node,
            evidence: Evidence::reason("default (no vite or flue config sets a target)"),
        },
        Vec::new(),
    ))
}

fn scan_error(file: &str, e: target::ScanError) -> Error {
    let hint = "pass it explicitly, `--target node` or `--target cloudflare`; nothing was written";
    match e {
        target::ScanError::NotLiteral { line, column, text } => Error::new(
            Code::TargetNotLiteral,
            format!("cannot tell the build target: `target` in `{file}` is not a string literal (`{text}`)"),
        )
        .file(file)
        .at(line, column)
        .hint(hint),
        target::ScanError::UnknownTarget { line, column, value } => Error::new(
            Code::UnknownTarget,
            format!("`{file}` sets the build target to `{value}`, which is neither `node` nor `cloudflare`"),
        )
        .file(file)
        .at(line, column)
        .hint(hint),
        target::ScanError::Unparseable { line, column, message } => Error::new(
            Code::UnparseableConfig,
            format!("cannot read `{file}`: {message}"),
        )
        .file(file)
        .at(line, column)
        .hint(hint),
    }
}

fn detect_runtime(
    opts: &DetectOptions,
    root: &Path,
    manifest: &Manifest,
    chain: &[Link],
    lock: Option<&Lockfile>,
    warnings: &mut Vec<Warning>,
) -> RuntimeInfo {
    let pkg = opts.runtime_package.as_str();
    let mut info = RuntimeInfo::default();
    // Installed, as Node resolves it: node_modules of the root, then of each parent.
    let installed = Path::new("node_modules").join(pkg).join("package.json");
    for link in chain {
        let instead =
            "the installed version is not known; the lockfile or the declared range decides";
        let read = link.read(root, &installed, instead, warnings);
        if let Err(shown) = &read {
            info.unreadable.push(shown.clone());
        }
        if let Ok(Some(t)) = read
            && let Some(v) = serde_json::from_str::<serde_json::Value>(&t)
                .ok()
                .and_then(|v| v.get("version")?.as_str().map(String::from))
        {
            info.installed = Some((
                v,
                rel_up(
                    root,
                    &link.dir,
                    &format!("node_modules/{pkg}/package.json"),
                    "",
                ),
            ));
            break;
        }
    }
    let declared_raw = manifest.dependency(pkg).map(|d| d.range);
    // The installed copy answers first; the lockfile is read only without one.
    let locked_text = match lock {
        Some(l) if info.installed.is_none() && lockfile::has_versions(l.name) => {
            let instead = "the locked version is not known; the declared range decides";
            match l.link.read(root, Path::new(l.name), instead, warnings) {
                Ok(text) => text.map(|t| (&l.link.dir, l.name, t)),
                Err(shown) => {
                    info.unreadable.push(shown);
                    None
                }
            }
        }
        _ => None,
    };
    if let Some((dir, name, text)) = locked_text {
        let importer = lockfile::importer(dir, root);
        if let Some(v) =
            lockfile::locked_version(name, &text, &importer, pkg, declared_raw.as_deref())
        {
            info.locked = Some((v, rel_up(root, dir, name, "")));
        }
    }
    if let Some(raw) = declared_raw {
        match resolve_declared(root, chain, pkg, &raw, warnings) {
            Some((range, source)) => info.declared = Some((range, source)),
            None => info.unresolved = Some(raw),
        }
    }
    info
}

/// Turns a declared spec into an npm range: plain ranges, `npm:pkg@range`,
/// `workspace:<range>`, and `catalog:`/`catalog:<name>` through `pnpm-workspace.yaml`.
fn resolve_declared(
    root: &Path,
    chain: &[Link],
    pkg: &str,
    raw: &str,
    warnings: &mut Vec<Warning>,
) -> Option<(String, String)> {
    let raw = raw.trim();
    if let Some(rest) = raw.strip_prefix("workspace:") {
        return match rest {
            "*" | "^" | "~" | "" => None,
            r => Some((
                r.to_string(),
                "package.json (workspace: protocol)".to_string(),
            )),
        };
    }
    if let Some(name) = raw.strip_prefix("catalog:") {
        let link = chain.last()?;
        let dir = &link.dir;
        let instead = "the `catalog:` range is not known";
        let text = link
            .read(root, Path::new("pnpm-workspace.yaml"), instead, warnings)
            .ok()??;
        let docs = yaml_rust2::YamlLoader::load_from_str(&text).ok()?;
        let doc = docs.first()?;
        let name = name.trim();
        let entry = if name.is_empty() || name == "default" {
            let e = &doc["catalog"][pkg];
            if e.is_badvalue() {
                &doc["catalogs"]["default"][pkg]
            } else {
                e
            }
        } else {
            &doc["catalogs"][name][pkg]
        };
        let range = entry.as_str()?.to_string();
        return Some((range, rel_up(root, dir, "pnpm-workspace.yaml", "")));
    }
    if let Some(rest) = raw.strip_prefix("npm:") {
        let (_, range) = rest.rsplit_once('@')?;
        return Some((range.to_string(), "package.json".to_string()));
    }
    if raw.contains(':') || raw.contains('/') || nodejs_semver::Range::parse(raw).is_err() {
        // A dist-tag (`latest`), a URL or a path: not a range.
        return None;
    }
    Some((raw.to_string(), "package.json".to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn opts(cwd: &Path, home: &Path) -> DetectOptions {
        DetectOptions {
            cwd: cwd.to_path_buf(),
            home: Some(home.to_path_buf()),
            output: "sandboxes/mirage.ts".into(),
            runtime_package: "@flue/runtime".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_stray_lockfile_above_the_repository_decides_nothing() {
        let base = tempfile::tempdir().unwrap();
        // base/yarn.lock (stray) / repo/.git / repo/package.json
        fs::write(base.path().join("yarn.lock"), "").unwrap();
        fs::write(
            base.path().join("package.json"),
            "{\"packageManager\": \"yarn@4.0.0\"}",
        )
        .unwrap();
        let repo = base.path().join("repo");
        fs::create_dir_all(repo.join(".git")).unwrap();
        fs::write(repo.join("package.json"), "{}").unwrap();
        let p = detect(&opts(&repo, Path::new("/nonexistent-home"))).unwrap();
        assert_eq!(p.pm.name, PackageManager::Npm);
        assert_eq!(p.pm.evidence.reason, "default");
    }

    #[test]
    fn root_search_stops_at_the_repository_root() {
        let base = tempfile::tempdir().unwrap();
        fs::write(base.path().join("package.json"), "{}").unwrap();
        let repo = base.path().join("repo");
        fs::create_dir_all(repo.join(".git")).unwrap();
        fs::create_dir_all(repo.join("sub")).unwrap();
        let e = detect(&opts(&repo.join("sub"), Path::new("/nonexistent-home"))).unwrap_err();
        assert_eq!(e.code.as_str(), "no_project");
    }

    #[test]
    fn shared_detection_gives_what_fresh_detection_gives() {
        let base = tempfile::tempdir().unwrap();
        let ws = base.path();
        fs::write(
            ws.join("package.json"),
            "{\"packageManager\": \"pnpm@9.15.0\", \"prettier\": {\"semi\": false}}",
        )
        .unwrap();
        fs::write(
            ws.join("pnpm-workspace.yaml"),
            "packages: ['packages/*']\ncatalog:\n  '@flue/runtime': ^2.0.0\n",
        )
        .unwrap();
        fs::write(ws.join("pnpm-lock.yaml"), "lockfileVersion: '9.0'\n").unwrap();
        fs::write(ws.join(".editorconfig"), "[*]\nindent_style = tab\n").unwrap();
        fs::create_dir_all(ws.join("node_modules/@flue/runtime")).unwrap();
        fs::write(
            ws.join("node_modules/@flue/runtime/package.json"),
            "{\"version\": \"2.1.0\"}",
        )
        .unwrap();
        // `a` takes its style from the root, `b` from a config of its own.
        for (name, extra) in [("a", ""), ("b", ".prettierrc")] {
            let dir = ws.join("packages").join(name);
            fs::create_dir_all(dir.join("src/sandboxes")).unwrap();
            fs::write(
                dir.join("package.json"),
                "{\"dependencies\": {\"@flue/runtime\": \"catalog:\"}}",
            )
            .unwrap();
            if !extra.is_empty() {
                fs::write(dir.join(extra), "{\"singleQuote\": true}").unwrap();
            }
        }
        let shared = Shared::default();
        for _ in 0..2 {
            for name in ["a", "b"] {
                let o = opts(&ws.join("packages").join(name), Path::new("/nonexistent"));
                let fresh = detect(&o).unwrap();
                let with = detect_with(&o, &shared, Purpose::Plan).unwrap();
                assert_eq!(format!("{with:?}"), format!("{fresh:?}"));
            }
        }
        let a = detect_with(
            &opts(&ws.join("packages/a"), Path::new("/nonexistent")),
            &shared,
            Purpose::Status,
        )
        .unwrap();
        assert_eq!(a.pm.evidence.file.as_deref(), Some("../../package.json"));
        assert_eq!(
            a.runtime.declared.as_ref().map(|d| d.1.as_str()),
            Some("../../pnpm-workspace.yaml")
        );
        assert_eq!(
            a.runtime.installed.as_ref().map(|d| d.1.as_str()),
            Some("../../node_modules/@flue/runtime/package.json")
        );
        assert_eq!(
            a.style.source.as_ref().map(|s| s.file.as_str()),
            Some("../../package.json#prettier")
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_listing_answers_as_the_probes_do() {
        let base = tempfile::tempdir().unwrap();
        let d = base.path();
        fs::create_dir(d.join("src")).unwrap();
        fs::create_dir(d.join("Lib")).unwrap();
        fs::write(d.join(".prettierrc"), "{}").unwrap();
        fs::write(d.join("YARN.LOCK"), "").unwrap();
        std::os::unix::fs::symlink("src", d.join(".flue")).unwrap();
        std::os::unix::fs::symlink("nowhere", d.join("biome.json")).unwrap();
        let names = Names::of(d);
        assert!(names.0.is_some());
        for name in [
            "src",
            "lib",
            "Lib",
            ".prettierrc",
            "yarn.lock",
            ".flue",
            "biome.json",
            "missing",
        ] {
            let path = d.join(name);
            assert_eq!(names.exists(d, name), fsx::exists(&path), "{name}");
            assert_eq!(names.is_file(d, name), fsx::is_file(&path), "{name}");
            assert_eq!(names.is_dir(d, name), fsx::is_dir(&path), "{name}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn shared_paths_answer_as_the_disk_does() {
        let base = tempfile::tempdir().unwrap();
        let real = base.path().join("real");
        fs::create_dir_all(real.join("pkg/src")).unwrap();
        std::os::unix::fs::symlink(&real, base.path().join("link")).unwrap();
        std::os::unix::fs::symlink("pkg/src", real.join("src-link")).unwrap();
        std::os::unix::fs::symlink("nowhere", real.join("dangling")).unwrap();
        fs::write(real.join("pkg/file"), "").unwrap();
        let shared = Shared::default();
        for p in [
            "link/pkg/src",
            "link/pkg",
            "link/src-link",
            "link/dangling",
            "link/pkg/file",
            "link/pkg/file/below",
            "real/pkg/./src",
            "link/pkg/../pkg/src",
            "link/missing",
            "link/pkg/src/missing",
        ] {
            let path = base.path().join(p);
            assert_eq!(shared.canonical(&path), fsx::canonical(&path), "{p}");
            assert_eq!(shared.exists(&path), fsx::exists(&path), "{p}");
            assert_eq!(shared.seen(&path).dir, fsx::is_dir(&path), "{p}");
        }
    }

    #[test]
    fn a_workspace_root_lockfile_answers_for_its_package() {
        let base = tempfile::tempdir().unwrap();
        let ws = base.path();
        fs::write(
            ws.join("package.json"),
            "{\"workspaces\": [\"packages/*\"]}",
        )
        .unwrap();
        fs::write(
            ws.join("package-lock.json"),
            "{\"packages\": {\"node_modules/@flue/runtime\": {\"version\": \"2.0.1\"}}}",
        )
        .unwrap();
        let app = ws.join("packages/app");
        fs::create_dir_all(app.join("src")).unwrap();
        fs::write(
            app.join("package.json"),
            "{\"dependencies\": {\"@flue/runtime\": \"^2.0.0\"}}",
        )
        .unwrap();
        let p = detect(&opts(&app.join("src"), ws)).unwrap();
        assert_eq!(p.root, app);
        assert_eq!(p.pm.name, PackageManager::Npm);
        assert_eq!(
            p.pm.evidence.file.as_deref(),
            Some("../../package-lock.json")
        );
        assert_eq!(
            p.runtime.locked.as_ref().map(|l| l.0.as_str()),
            Some("2.0.1")
        );
        assert_eq!(p.source_root, app.join("src"));
    }
}
