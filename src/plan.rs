//! Planning: turns a detected `Project`, a blueprint request and the
//! command's options into a `Plan` (files to write with their before and
//! after text, dependency edits, warnings, next steps). Pure: no I/O, no
//! printing. Everything `apply` and `report` need is in the plan.

use std::path::PathBuf;

use nodejs_semver::{Range, Version as SemVer};
use serde::Serialize;

use crate::blueprint::format;
use crate::blueprint::marker::{self, Found, Marker};
use crate::blueprint::spec::Request;
use crate::blueprint::{Blueprint, Version};
use crate::error::{Error, Result};
use crate::glob;
use crate::merge::{self, Conflict, Labels};
use crate::project::manifest::{DepOutcome, DepRequest};
use crate::project::style;
use crate::project::{self, Evidence, Project, Warning};
use crate::text;

mod edits;
use edits::{config_changes, env_example_change};

/// Which command is planning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    Add,
    Update,
    Diff,
}

/// What to do with a conflicting merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OnConflict {
    #[default]
    Abort,
    Markers,
    Overwrite,
}

/// The options that change the plan.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub command: Command,
    /// `--force`: replace a file that has no marker.
    pub force: bool,
    pub on_conflict: OnConflict,
    /// `--install` will run after applying (changes the next steps).
    pub install: bool,
}

/// The install the new dependencies need, when `--install` does not run it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstallStep {
    /// `pnpm install`.
    pub command: &'static str,
    /// The lockfile `package.json` got ahead of, when there is one.
    pub lockfile: Option<String>,
    /// The package manager's frozen-lockfile install, which fails until
    /// then, in backticks (Markdown-like, as the report shows commands).
    pub frozen: &'static str,
}

/// The install that refuses a lockfile out of date with `package.json`, in backticks.
pub fn frozen_install_command(pm: project::PackageManager) -> &'static str {
    match pm {
        project::PackageManager::Npm => "`npm ci`",
        project::PackageManager::Pnpm => "`pnpm install --frozen-lockfile`",
        project::PackageManager::Yarn => {
            "`yarn install --immutable` (Yarn 1: `yarn install --frozen-lockfile`)"
        }
        project::PackageManager::Bun => "`bun install --frozen-lockfile`",
    }
}

/// Which blueprint version was picked and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pick {
    pub kind: &'static str,
    pub name: &'static str,
    pub version: u32,
    /// Why this version.
    pub reason: String,
    /// The newest version this build carries.
    pub latest: u32,
}

/// What happens to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileAction {
    Create,
    Update,
    Unchanged,
    Conflict,
    Skip,
}

/// One file the plan reads and may write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// The real path written (symlinks resolved).
    pub path: PathBuf,
    /// Relative to the project root.
    pub display: String,
    pub action: FileAction,
    /// The marker version the file had.
    pub from_version: Option<u32>,
    /// The marker version the file will have.
    pub to_version: Option<u32>,
    /// Content as read; `None` when the file does not exist.
    pub before: Option<String>,
    /// Content to write; `None` when nothing is written.
    pub after: Option<String>,
    /// One line about what happened (`edited by you; nothing to upgrade`).
    pub note: Option<String>,
    pub conflicts: Vec<Conflict>,
    /// Lines of the user's file an overwrite discards.
    pub discarded: Vec<String>,
    /// Writing it replaces the user's content: ask first (or need `--yes`).
    pub needs_confirmation: bool,
}

impl FileChange {
    pub fn writes(&self) -> bool {
        self.after.is_some() && self.after != self.before
    }

    /// Unified diff of the change, empty when nothing changes.
    pub fn diff(&self) -> String {
        match &self.after {
            Some(after) => merge::unified_diff(
                self.before.as_deref().unwrap_or(""),
                after,
                &if self.before.is_some() {
                    format!("a/{}", self.display)
                } else {
                    "/dev/null".to_string()
                },
                &format!("b/{}", self.display),
            ),
            None => String::new(),
        }
    }
}

/// What happens to one dependency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DepAction {
    Added,
    AlreadyPresent,
    Raised,
    OtherTargetPresent,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DepChange {
    pub name: String,
    /// The range the blueprint asks for.
    pub range: String,
    pub action: DepAction,
    /// Section it is (or will be) in.
    pub section: String,
    /// The range found in `package.json`, when there was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing: Option<String>,
}

/// The overall result, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Something will be (or was) written.
    Changes,
    NothingToDo,
    /// A merge conflicted.
    Conflict,
}

/// Everything `add`/`update`/`diff` need; reporting and applying never look at the disk again.
#[derive(Debug, Clone)]
pub struct Plan {
    pub command: Command,
    pub project: Project,
    pub pick: Pick,
    pub files: Vec<FileChange>,
    pub deps: Vec<DepChange>,
    pub warnings: Vec<Warning>,
    /// Steps after the change, other than the install (wiring up, tsconfig).
    pub next_steps: Vec<String>,
    pub install_step: Option<InstallStep>,
    pub outcome: Outcome,
}

impl Plan {
    pub fn has_changes(&self) -> bool {
        self.files.iter().any(|f| f.writes())
    }

    pub fn needs_confirmation(&self) -> bool {
        self.files
            .iter()
            .any(|f| f.writes() && f.needs_confirmation)
    }
}

/// The version of the blueprint the project's runtime supports.
pub fn choose_version(
    bp: &Blueprint,
    project: &Project,
    pinned: Option<u32>,
) -> (&'static Version, String, Vec<Warning>) {
    let pkg = bp.runtime_package;
    let mut warnings = Vec::new();
    let rt = &project.runtime;
    if let Some(p) = pinned {
        let v = bp
            .version(p)
            .expect("pins are checked when the request is resolved");
        if let Some(have) = known_runtime(rt)
            && !runtime_allows(&have, v.min_runtime)
        {
            warnings.push(Warning {
                code: "runtime_too_old",
                message: format!(
                    "version {p} is pinned, but it needs `{pkg}` {} or newer and the project has `{have}`; the generated file will not compile until the runtime is upgraded",
                    v.min_runtime
                ),
            });
        }
        return (v, format!("pinned to version {p}"), warnings);
    }
    let supports = |v: &Version, have: &SemVer| -> bool {
        SemVer::parse(v.min_runtime).is_ok_and(|min| *have >= min)
    };
    let concrete = [
        rt.installed
            .as_ref()
            .map(|(v, f)| (v, format!("`{pkg}` {v} is installed (`{f}`)"))),
        rt.locked
            .as_ref()
            .map(|(v, f)| (v, format!("`{pkg}` {v} is locked in `{f}`"))),
    ];
    for (ver, why) in concrete.into_iter().flatten() {
        if let Ok(have) = SemVer::parse(ver) {
            return match bp.versions.iter().rev().find(|v| supports(v, &have)) {
                Some(v) => (v, format!("{why}{}", why_not_newer(bp, v)), warnings),
                None => {
                    let oldest = &bp.versions[0];
                    warnings.push(too_old_warning(pkg, ver, oldest));
                    (
                        oldest,
                        format!("{why}, older than any version supports"),
                        warnings,
                    )
                }
            };
        }
    }
    if let Some((range, src)) = &rt.declared
        && let Ok(declared) = Range::parse(range)
    {
        let fits = |v: &Version| {
            Range::parse(format!(">={}", v.min_runtime)).is_ok_and(|min| declared.allows_any(&min))
        };
        let why = if rt.unreadable.is_empty() {
            format!(
                "`{pkg}` is declared as `{range}` in `{src}` (no installed copy or lockfile entry found)"
            )
        } else {
            let files: Vec<String> = rt.unreadable.iter().map(|f| format!("`{f}`")).collect();
            format!(
                "`{pkg}` is declared as `{range}` in `{src}` ({} could not be read)",
                files.join(" and ")
            )
        };
        return match bp.versions.iter().rev().find(|v| fits(v)) {
            Some(v) => (v, format!("{why}{}", why_not_newer(bp, v)), warnings),
            None => {
                let oldest = &bp.versions[0];
                warnings.push(too_old_warning(pkg, range, oldest));
                (
                    oldest,
                    format!("{why}, older than any version supports"),
                    warnings,
                )
            }
        };
    }
    let latest = bp.latest();
    let what = match &rt.unresolved {
        Some(spec) => {
            format!("`{pkg}` is declared as `{spec}`, which flue cannot turn into a version")
        }
        None if !rt.unreadable.is_empty() => {
            let files: Vec<String> = rt.unreadable.iter().map(|f| format!("`{f}`")).collect();
            format!(
                "`{pkg}` is not declared, and {} could not be read",
                files.join(" and ")
            )
        }
        None => format!("`{pkg}` is not installed, locked or declared"),
    };
    warnings.push(Warning {
        code: "runtime_version_unknown",
        message: format!(
            "{what}; rendering the newest version ({}), which needs `{pkg}` {} or newer",
            latest.number, latest.min_runtime
        ),
    });
    (latest, format!("{what}: newest version"), warnings)
}

/// The marker line of version `n` of `bp`.
fn marker_for(bp: &Blueprint, n: u32) -> Marker {
    Marker {
        kind: bp.kind.to_string(),
        name: bp.name.to_string(),
        version: n,
    }
}

/// What the project has of the runtime, as a version or a range, in the
/// order that decides (installed, locked, declared).
fn known_runtime(rt: &project::RuntimeInfo) -> Option<String> {
    rt.installed
        .as_ref()
        .or(rt.locked.as_ref())
        .map(|(v, _)| v.clone())
        .or_else(|| rt.declared.as_ref().map(|(r, _)| r.clone()))
}

/// Whether a version, or some version of a range, is at least `min`.
fn runtime_allows(have: &str, min: &str) -> bool {
    if let Ok(v) = SemVer::parse(have) {
        return SemVer::parse(min).is_ok_and(|m| v >= m);
    }
    match (Range::parse(have), Range::parse(format!(">={min}"))) {
        (Ok(r), Ok(m)) => r.allows_any(&m),
        _ => true,
    }
}

/// "; version 2 needs 2.0.3 or newer" when a newer version was passed over.
fn why_not_newer(bp: &Blueprint, chosen: &Version) -> String {
    match bp.versions.iter().find(|v| v.number > chosen.number) {
        Some(next) => format!(
            "; version {} needs {} or newer",
            next.number, next.min_runtime
        ),
        None => format!(
            "; the newest version ({}) needs {} or newer",
            chosen.number, chosen.min_runtime
        ),
    }
}

fn too_old_warning(pkg: &str, have: &str, oldest: &Version) -> Warning {
    Warning {
        code: "runtime_too_old",
        message: format!(
            "`{pkg}` {have} is older than this blueprint supports (it needs {} or newer); the generated file may not compile",
            oldest.min_runtime
        ),
    }
}

/// A file the user made read-only is not rewritten (a rename would replace it
/// regardless of its mode) unless `--force`.
fn refuse_read_only(
    files: &[FileChange],
    states: &[&project::FileState],
    force: bool,
) -> Result<()> {
    if force {
        return Ok(());
    }
    let locked = files
        .iter()
        .filter(|f| f.writes())
        .find(|f| states.iter().any(|s| s.read_only && s.path == f.path));
    match locked {
        None => Ok(()),
        Some(f) => Err(Error::new(
            "read_only_file",
            format!("`{}` is read-only, so flue does not rewrite it", f.display),
        )
        .file(f.display.clone())
        .hint("make it writable (`chmod u+w`), or pass `--force` to replace it keeping its mode; nothing was written")),
    }
}

/// Renders a version in the project's style.
pub fn render_styled(
    render: fn() -> String,
    style: &style::Style,
    display: &str,
) -> Result<String> {
    format::format(&render(), style).map_err(|e| {
        Error::new(
            "format_failed",
            format!(
                "cannot format `{display}` in the project's style: {}",
                e.message
            ),
        )
        .hint("report this as a bug; `--dry-run` shows the unformatted file")
    })
}

/// Plans `add`, `update` or `diff` for one blueprint.
pub fn plan(project: &Project, req: &Request, opts: &Options) -> Result<Plan> {
    let bp = req.blueprint;
    let target = project.target.name;
    if let Some(why) = bp.unsupported(target) {
        return Err(Error::new(
            "unsupported_target",
            format!(
                "`{}` does not support the {} target: {why}",
                bp.id(),
                target.as_str()
            ),
        )
        .note(format!("target: {}", evidence_text(&project.target.evidence)))
        .hint("use another blueprint for this target, or pass `--target` if the detection is wrong; nothing was written"));
    }
    let (version, reason, mut warnings) = choose_version(bp, project, req.pinned);
    warnings.splice(0..0, project.warnings.iter().cloned());
    let style = &project.style.style;
    let out = &project.output;
    let new_render = render_styled(version.render, style, &out.display)?;

    let mut file = FileChange {
        path: out.path.clone(),
        display: out.display.clone(),
        action: FileAction::Create,
        from_version: None,
        to_version: Some(version.number),
        before: out.content.clone(),
        after: None,
        note: None,
        conflicts: Vec::new(),
        discarded: Vec::new(),
        needs_confirmation: false,
    };
    let shown = &out.display;
    match &out.content {
        None => {
            if opts.command == Command::Update {
                return Err(Error::new(
                    "not_installed",
                    format!("`{}` is not installed: `{shown}` does not exist", bp.id()),
                )
                .hint(format!(
                    "install it with `flue add {} {}`; nothing was written",
                    bp.kind, bp.name
                )));
            }
            file.after = Some(text::with_newline(&new_render, style.newline()));
        }
        Some(text) => {
            if let Some(line) = merge::has_conflict_markers(text) {
                return Err(Error::new("unresolved_conflict", format!("`{shown}` still holds merge conflict markers"))
                    .file(shown.clone())
                    .at(line, 1)
                    .hint("resolve the conflicts (keep one side of each `<<<<<<<`…`>>>>>>>` block), then run the command again; nothing was written"));
            }
            match marker::read(text) {
                Found::None | Found::Malformed(_) if opts.force => {
                    file.action = FileAction::Update;
                    file.after = Some(text::with_newline(&new_render, style.newline()));
                    file.needs_confirmation = true;
                    file.note = Some("replaced with `--force` (it had no flue marker)".into());
                }
                Found::None => {
                    return Err(Error::new(
                        "unmarked_file",
                        format!(
                            "`{shown}` was not made by flue (line 1 has no `{}` marker)",
                            marker::PREFIX
                        ),
                    )
                    .file(shown.clone())
                    .at(1, 1)
                    .hint("move it aside, or pass `--force` to replace it; nothing was written"));
                }
                Found::Malformed(line) => {
                    return Err(Error::new("invalid_marker", format!("the marker in `{shown}` cannot be read: `{line}`"))
                        .file(shown.clone())
                        .at(1, 1)
                        .hint(format!("write it as `{}`, or pass `--force` to replace the file; nothing was written", marker_for(bp, version.number))));
                }
                Found::Marker(m) if m.kind != bp.kind || m.name != bp.name => {
                    return Err(Error::new(
                        "other_blueprint",
                        format!(
                            "`{shown}` was made by blueprint `{}/{}`, not `{}`",
                            m.kind,
                            m.name,
                            bp.id()
                        ),
                    )
                    .file(shown.clone())
                    .at(1, 1)
                    .hint("move it aside, then run the command again; nothing was written"));
                }
                Found::Marker(m) => plan_existing(
                    &mut file,
                    &mut warnings,
                    bp,
                    version,
                    &m,
                    text,
                    &new_render,
                    project,
                    req,
                    opts,
                )?,
            }
        }
    }

    // Dependencies.
    let mut deps = Vec::new();
    let mut requests = Vec::new();
    for d in version.deps.iter().filter(|d| d.applies_to(target)) {
        let replaceable = bp
            .versions
            .iter()
            .filter(|v| v.number < version.number)
            .flat_map(|v| v.deps.iter())
            .filter(|o| o.name == d.name && o.range != d.range)
            .map(|o| o.range.to_string())
            .collect();
        requests.push(DepRequest {
            name: d.name.to_string(),
            range: d.range.to_string(),
            replaceable,
            section: d.section,
        });
    }
    let (manifest_after, outcomes) = project
        .manifest
        .add_dependencies(&requests)
        .map_err(|e| project::manifest_error(&project.manifest_file.display, e))?;
    for (req, outcome) in requests.iter().zip(outcomes) {
        let (action, section, existing) = match outcome {
            DepOutcome::Added { section } => (DepAction::Added, section, None),
            DepOutcome::AlreadyPresent { section, range } => {
                (DepAction::AlreadyPresent, section, Some(range))
            }
            DepOutcome::Raised { section, from } => (DepAction::Raised, section, Some(from)),
        };
        if action == DepAction::Added
            && let Some(c) = version
                .deps
                .iter()
                .find(|d| d.name == req.name)
                .and_then(|d| d.caveat)
        {
            warnings.push(Warning {
                code: "unpublished_dependency",
                message: c.to_string(),
            });
        }
        deps.push(DepChange {
            name: req.name.clone(),
            range: req.range.clone(),
            action,
            section,
            existing,
        });
    }
    for d in version.deps.iter().filter(|d| !d.applies_to(target)) {
        if let Some(e) = project.manifest.dependency(d.name) {
            warnings.push(Warning {
                code: "other_target_dependency",
                message: format!(
                    "`{}` (for {}) is in `{}`, but this project's target is {}; flue removes nothing",
                    d.name,
                    d.targets.iter().map(|t| t.as_str()).collect::<Vec<_>>().join("/"),
                    e.section,
                    target.as_str()
                ),
            });
            deps.push(DepChange {
                name: d.name.to_string(),
                range: d.range.to_string(),
                action: DepAction::OtherTargetPresent,
                section: e.section,
                existing: Some(e.range),
            });
        }
    }
    if project.manifest.dependency(bp.runtime_package).is_none() {
        warnings.push(Warning {
            code: "not_a_flue_project",
            message: format!(
                "`{}` is not a dependency in `{}`: this does not look like a Flue project",
                bp.runtime_package, project.manifest_file.display
            ),
        });
    }

    let mut files = vec![file];
    let manifest_changed =
        project.manifest_file.content.as_deref() != Some(manifest_after.as_str());
    if manifest_changed {
        files.push(FileChange {
            path: project.manifest_file.path.clone(),
            display: project.manifest_file.display.clone(),
            action: FileAction::Update,
            from_version: None,
            to_version: None,
            before: project.manifest_file.content.clone(),
            after: Some(manifest_after),
            note: project.manifest_file.via_symlink.then(|| {
                format!(
                    "edited through its symlink: `{}`",
                    project.manifest_file.path.display()
                )
            }),
            conflicts: Vec::new(),
            discarded: Vec::new(),
            needs_confirmation: false,
        });
    }
    files.extend(env_example_change(project, bp)?);
    files.extend(config_changes(project, bp, version, &mut warnings)?);
    for note in &project.style.notes {
        warnings.push(Warning {
            code: "style_note",
            message: note.clone(),
        });
    }

    let outcome = if files.iter().any(|f| f.action == FileAction::Conflict) {
        Outcome::Conflict
    } else if files.iter().any(|f| f.writes()) {
        Outcome::Changes
    } else {
        Outcome::NothingToDo
    };
    // Every file flue may rewrite: the output, package.json, and the
    // `.env.example` and Wrangler config a blueprint edits.
    let mut states = vec![&project.output, &project.manifest_file];
    states.extend(project.env_example.as_ref().ok());
    states.extend(project.wrangler.as_ref().ok());
    refuse_read_only(&files, &states, opts.force)?;
    let next_steps = next_steps(project, &files, bp, &mut warnings);
    let install_step = deps
        .iter()
        .any(|d| matches!(d.action, DepAction::Added | DepAction::Raised))
        .then(|| InstallStep {
            command: project.pm.name.install_command(),
            lockfile: project.lockfile.clone(),
            frozen: frozen_install_command(project.pm.name),
        })
        .filter(|_| !opts.install);
    Ok(Plan {
        command: opts.command,
        pick: Pick {
            kind: bp.kind,
            name: bp.name,
            version: version.number,
            reason,
            latest: bp.latest().number,
        },
        project: project.clone(),
        files,
        deps,
        warnings,
        next_steps,
        install_step,
        outcome,
    })
}

/// The file's text as renders are compared with it: no BOM, LF line endings.
pub fn comparable(text: &str) -> String {
    text::to_lf(text.trim_start_matches('\u{feff}'))
}

/// Whether a file (as [`comparable`] gives it) is "edited by you" against
/// the render of its own version in the project's style. The one definition
/// `add`, `update` and `flue status` share.
pub fn is_edited(ours: &str, render: &str) -> bool {
    // Beyond formatting (SPEC §13): what the project's formatter changes on
    // save is not an edit.
    !format::same_but_formatting(ours, render)
}

#[allow(clippy::too_many_arguments)]
fn plan_existing(
    file: &mut FileChange,
    warnings: &mut Vec<Warning>,
    bp: &Blueprint,
    version: &Version,
    m: &Marker,
    text: &str,
    new_render: &str,
    project: &Project,
    req: &Request,
    opts: &Options,
) -> Result<()> {
    let shown = &file.display;
    file.from_version = Some(m.version);
    let latest = bp.latest().number;
    if m.version > latest {
        return Err(Error::new("newer_blueprint", format!("`{shown}` was made by a newer flue (`{}@{}`; this flue knows up to version {latest})", bp.id(), m.version))
            .file(shown.clone())
            .at(1, 1)
            .hint("upgrade flue, then run the command again; nothing was written"));
    }
    if bp.version(m.version).is_none() {
        return Err(Error::new(
            "unknown_version",
            format!(
                "`{shown}` names version {} of `{}`, which this flue does not carry",
                m.version,
                bp.id()
            ),
        )
        .file(shown.clone())
        .at(1, 1)
        .hint("nothing was written"));
    }
    if let Some(p) = req.pinned
        && p < m.version
    {
        return Err(Error::new(
            "downgrade",
            format!(
                "`{shown}` is at version {}; flue does not downgrade to version {p}",
                m.version
            ),
        )
        .file(shown.clone())
        .at(1, 1)
        .hint(
            "pin version {} or newer, or move the file aside; nothing was written"
                .replace("{}", &m.version.to_string()),
        ));
    }
    // Everything below compares LF texts. The file's dominant line ending is
    // applied once to the whole result: a stray CRLF line does not turn the
    // whole file CRLF, and a CRLF render is never given a second `\r`.
    let newline = text::dominant_newline(text);
    let bom = text.starts_with('\u{feff}');
    let ours = comparable(text);
    if version.number >= m.version && is_foreign(bp, m.version, &ours, &project.style.style, shown)?
    {
        if opts.force {
            file.action = FileAction::Update;
            file.after = Some(text::with_newline(new_render, newline));
            file.needs_confirmation = true;
            file.note = Some(format!(
                "replaced with `--force` (its body under the `@{}` marker was not flue's)",
                m.version
            ));
            return Ok(());
        }
        return Err(Error::new(
            "foreign_file",
            format!(
                "`{shown}` carries the `{}@{}` marker, but its body is not flue's: it matches no render or known variant of that version (a file written from upstream's guide?)",
                bp.id(),
                m.version
            ),
        )
        .file(shown.clone())
        .at(1, 1)
        .hint(format!(
            "pass `--force` to replace it with flue's version {} (your copy is shown as the diff; keep it aside if you need it); nothing was written",
            version.number
        )));
    }
    if version.number < m.version {
        if opts.command == Command::Update {
            return Err(Error::new(
                "runtime_too_old",
                format!(
                    "`{shown}` is at version {}, but the project's `{}` only supports version {}",
                    m.version, bp.runtime_package, version.number
                ),
            )
            .file(shown.clone())
            .hint(format!(
                "upgrade `{}` to {} or newer; nothing was written",
                bp.runtime_package,
                bp.version(m.version).map(|v| v.min_runtime).unwrap_or("?")
            )));
        }
        file.action = FileAction::Unchanged;
        file.to_version = Some(m.version);
        file.note = Some(format!(
            "kept at version {}: the project's runtime supports only version {}",
            m.version, version.number
        ));
        warnings.push(Warning {
            code: "runtime_older_than_file",
            message: format!("`{shown}` is at version {}, newer than the project's `{}` supports (version {}); the file was kept", m.version, bp.runtime_package, version.number),
        });
        return Ok(());
    }
    if version.number == m.version {
        file.action = FileAction::Unchanged;
        file.note = Some(if ours == new_render {
            "up to date".to_string()
        } else if !is_edited(&ours, new_render) {
            "up to date (it differs from the render only in formatting)".to_string()
        } else {
            format!(
                "edited by you; already at version {}, nothing to upgrade",
                m.version
            )
        });
        return Ok(());
    }

    // An upgrade: pick the base closest to the file among the known renders.
    let style = &project.style.style;
    let old = bp.version(m.version).expect("checked above");
    let old_render = render_styled(old.render, style, shown)?;
    let restore = |s: &str| -> String {
        let s = text::with_newline(s, newline);
        if bom { format!("\u{feff}{s}") } else { s }
    };
    // Only formatting differs from the old render (the project's formatter, or
    // a style change since): the file has no edits, the upgrade is the new render.
    if ours != old_render && format::same_but_formatting(&ours, &old_render) {
        file.action = FileAction::Update;
        file.after = Some(restore(new_render));
        file.needs_confirmation = true;
        file.note = Some(
            "the file had no edits of yours (it differed from the render only in formatting)"
                .to_string(),
        );
        return Ok(());
    }
    let mut candidates: Vec<(String, Option<String>)> = vec![(old_render, None)];
    if !style.is_default() {
        candidates.push(((old.render)(), Some("the file matches the default-style render better than the project's current style (the style changed since it was made); merged from that".to_string())));
    }
    for v in bp.variants.iter().filter(|v| v.marker_version == m.version) {
        candidates.push(((v.render)(), Some(format!("the file follows {} rather than flue's version {} render; merged from that known file", v.origin, m.version))));
    }
    // The standard render is the base unless another known text is clearly
    // closer to the file (a file that is mostly the user's own matches
    // nothing well, and should not be reported as following a variant).
    let mut scored = candidates
        .into_iter()
        .map(|(text, note)| (merge::similarity(&text, &ours), text, note));
    let standard = scored.next().expect("the standard render is a candidate");
    let floor = standard.0;
    let base_note_pair = scored
        .filter(|c| c.0 > floor && c.0 >= 0.5)
        .fold(standard, |best, c| if c.0 > best.0 { c } else { best });
    let (base, base_note) = (base_note_pair.1, base_note_pair.2);
    if let Some(n) = &base_note {
        warnings.push(Warning {
            code: "merge_base",
            message: format!("`{shown}`: {n}"),
        });
    }
    let from_label = format!("flue {}@{}", bp.id(), m.version);
    let to_label = format!("flue {}@{}", bp.id(), version.number);
    // The marker line is flue's, not part of the merge: the same text on all
    // three sides (so a comment the user put above it merges cleanly), and
    // set to the new version afterwards.
    let neutral = |t: &str| marker::replace_first_line(t, &marker_for(bp, m.version));
    let merged = merge::merge3(
        &neutral(&base),
        &neutral(&ours),
        &neutral(new_render),
        &Labels {
            base: &from_label,
            ours: "yours",
            theirs: &to_label,
        },
    );
    file.action = FileAction::Update;
    // The marker line always names the new version.
    let text = marker::replace_first_line(&merged.text, &marker_for(bp, version.number));
    if merged.is_clean() {
        file.after = Some(restore(&text));
        file.needs_confirmation = true;
        file.note = Some(if ours == base {
            "the file had no edits of yours".to_string()
        } else {
            "your edits are kept".to_string()
        });
        return Ok(());
    }
    file.conflicts = merged.conflicts.clone();
    match opts.on_conflict {
        OnConflict::Abort => {
            file.action = FileAction::Conflict;
            file.note = Some(format!(
                "{} conflicting hunk(s); nothing was written",
                merged.conflicts.len()
            ));
        }
        OnConflict::Markers => {
            file.action = FileAction::Conflict;
            file.after = Some(restore(&text));
            // Markers rewrite the user's file: the same confirmation as an upgrade.
            file.needs_confirmation = true;
            file.note = Some(format!(
                "{} conflicting hunk(s) marked with diff3 markers; resolve them, then run flue again",
                merged.conflicts.len()
            ));
        }
        OnConflict::Overwrite => {
            file.after = Some(restore(new_render));
            file.discarded = users_discarded_lines(&base, &ours, new_render);
            file.needs_confirmation = true;
            file.note = Some(format!(
                "replaced by the version {} render (`--on-conflict overwrite`)",
                version.number
            ));
        }
    }
    Ok(())
}

/// The user's lines an overwrite discards: every block the user inserted or
/// changed relative to the base render, unless the new render holds that
/// same block of lines (both made the same change). By block, not by line:
/// a closing `}` of an added method is the user's even though `}` lines
/// are everywhere in the new render.
fn users_discarded_lines(base: &str, ours: &str, theirs: &str) -> Vec<String> {
    let ours_lines: Vec<&str> = ours.lines().collect();
    let theirs_lines: Vec<&str> = theirs.lines().collect();
    let mut out = Vec::new();
    for op in similar::TextDiff::from_lines(base, ours).ops() {
        let block = &ours_lines[op.new_range()];
        if op.tag() == similar::DiffTag::Equal || block.is_empty() {
            continue;
        }
        if !theirs_lines.windows(block.len()).any(|w| w == block) {
            out.extend(block.iter().map(|l| l.to_string()));
        }
    }
    out
}

/// Below this likeness to every known text of its marker version, a file is
/// not ours, however edited: the body was written by someone else.
const FOREIGN_BELOW: f32 = 0.3;

/// Whether a marked file's body is far from every render and known variant
/// of its marker version (SPEC §14: files from upstream's guides).
fn is_foreign(
    bp: &Blueprint,
    marker_version: u32,
    ours: &str,
    style: &style::Style,
    shown: &str,
) -> Result<bool> {
    let Some(v) = bp.version(marker_version) else {
        return Ok(false);
    };
    let mut known = vec![(v.render)()];
    if !style.is_default() {
        known.push(render_styled(v.render, style, shown)?);
    }
    known.extend(
        bp.variants
            .iter()
            .filter(|x| x.marker_version == marker_version)
            .map(|x| (x.render)()),
    );
    Ok(known
        .iter()
        .all(|k| merge::similarity(k, ours) < FOREIGN_BELOW))
}

fn next_steps(
    project: &Project,
    files: &[FileChange],
    bp: &Blueprint,
    warnings: &mut Vec<Warning>,
) -> Vec<String> {
    let mut steps = Vec::new();
    let out = &files[0];
    if out.before.is_none() && out.after.is_some() {
        steps.push(bp.wire_up.replace("{file}", &out.display));
    }
    if out.before.is_none() && !bp.env.is_empty() {
        let vars: Vec<String> = bp
            .env
            .iter()
            .map(|e| format!("`{}` ({})", e.name, e.purpose))
            .collect();
        steps.push(format!(
            "set {} in the environment the agent runs in",
            vars.join(", ")
        ));
    }
    if let Some(ts) = &project.tsconfig {
        // TypeScript's default `include` is `**/*`.
        let default = vec!["**/*".to_string()];
        let include = ts.include.as_ref().unwrap_or(&default);
        let rel = &out.display;
        if !include.iter().any(|p| glob::tsconfig_covers(p, rel)) {
            warnings.push(Warning {
                code: "tsconfig_excludes_file",
                message: format!("`tsconfig.json`'s `include` ({}) does not cover `{rel}`, so `tsc` will not check it", include.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")),
            });
            let dir = rel.split('/').next().unwrap_or(rel);
            steps.push(format!("add `\"{dir}\"` to `include` in `tsconfig.json`"));
        }
    }
    steps
}

/// The evidence line for a target, used by reports.
pub fn evidence_text(e: &Evidence) -> String {
    match e.location() {
        Some(loc) => format!("{} ({loc})", e.reason),
        None => e.reason.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_overwrite_reports_every_discarded_line_of_an_added_method() {
        let base = "class A {\n  a() {\n    return 1;\n  }\n}\n";
        let ours = "class A {\n  a() {\n    return 1;\n  }\n  mine() {\n    return 2;\n  }\n}\n";
        let theirs = "class A {\n  a() {\n    return 3;\n  }\n}\n";
        let got = users_discarded_lines(base, ours, theirs);
        assert_eq!(got.iter().filter(|l| *l == "  }").count(), 1, "{got:?}");
        assert!(
            got.contains(&"  mine() {".to_string()) && got.contains(&"    return 2;".to_string())
        );
        // The same change on both sides is not discarded.
        assert!(users_discarded_lines(base, theirs, theirs).is_empty());
    }
}
