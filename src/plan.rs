//! Planning: turns a detected `Project`, a blueprint request and the
//! command's options into a `Plan` (files to write with their before and
//! after text, dependency edits, warnings, next steps). Pure: no I/O, no
//! printing. Everything `apply` and `report` need is in the plan.

use std::path::PathBuf;

use serde::Serialize;

use crate::blueprint::Blueprint;
use crate::blueprint::format;
use crate::blueprint::spec::Request;
use crate::error::{Code, Error, Result, WarningCode};
use crate::glob;
use crate::merge::{self, Conflict};
use crate::project::{self, Evidence, Project, Warning};
use crate::text;

mod deps;
mod edits;
mod known;
mod output;
#[cfg(test)]
pub(crate) mod testing;
mod version;

use edits::{config_changes, env_example_change};
pub use known::{render_styled, variant_followed};
pub use version::choose_version;

/// Which command is planning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    Add,
    Update,
    Diff,
}

impl Command {
    /// The command's name, as typed.
    pub fn as_str(self) -> &'static str {
        match self {
            Command::Add => "add",
            Command::Update => "update",
            Command::Diff => "diff",
        }
    }
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

    /// The line of each conflict in the file as it is after the run: the
    /// `<<<<<<<` line when markers were written, else the line in the user's file.
    pub fn conflict_lines(&self, written: bool) -> Vec<usize> {
        let marks: Vec<usize> = match (&self.after, written) {
            (Some(after), true) => after
                .lines()
                .enumerate()
                .filter(|(_, l)| l.starts_with("<<<<<<< ") || *l == "<<<<<<<")
                .map(|(i, _)| i + 1)
                .collect(),
            _ => Vec::new(),
        };
        self.conflicts
            .iter()
            .enumerate()
            .map(|(i, c)| marks.get(i).copied().unwrap_or(c.line))
            .collect()
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
    /// The version the request pinned (`mirage@1`), so a command to run next pins it too.
    pub pinned: Option<u32>,
    pub files: Vec<FileChange>,
    pub deps: Vec<DepChange>,
    pub warnings: Vec<Warning>,
    /// Steps after the change, other than the install (wiring up, tsconfig).
    pub next_steps: Vec<String>,
    pub install_step: Option<InstallStep>,
    pub outcome: Outcome,
}

impl Outcome {
    /// A conflict in any file wins; else changes when any file is written.
    fn of(files: &[FileChange]) -> Outcome {
        if files.iter().any(|f| f.action == FileAction::Conflict) {
            Outcome::Conflict
        } else if files.iter().any(|f| f.writes()) {
            Outcome::Changes
        } else {
            Outcome::NothingToDo
        }
    }
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

/// A file the user made read-only is not rewritten (a rename would replace it
/// regardless of its mode) unless `--force`.
fn refuse_read_only(project: &Project, files: &[FileChange], force: bool) -> Result<()> {
    if force {
        return Ok(());
    }
    // Every file flue may rewrite: the output, package.json, and the
    // `.env.example` and Wrangler config a blueprint edits.
    let mut states = vec![&project.output, &project.manifest_file];
    states.extend(project.env_example.as_ref().ok());
    states.extend(project.wrangler.as_ref().ok());
    let locked = files
        .iter()
        .filter(|f| f.writes())
        .find(|f| states.iter().any(|s| s.read_only && s.path == f.path));
    match locked {
        None => Ok(()),
        Some(f) => Err(Error::new(
            Code::ReadOnlyFile,
            format!("`{}` is read-only, so flue does not rewrite it", f.display),
        )
        .file(f.display.clone())
        .hint("make it writable (`chmod u+w`), or pass `--force` to replace it keeping its mode; nothing was written")),
    }
}

/// Plans `add`, `update` or `diff` for one blueprint.
pub fn plan(project: &Project, req: &Request, opts: &Options) -> Result<Plan> {
    let bp = req.blueprint;
    refuse_unsupported(project, bp)?;
    let (version, reason, mut warnings) = choose_version(bp, project, req.pinned);
    warnings.splice(0..0, project.warnings.iter().cloned());
    let new_render = render_styled(
        version.render,
        &project.style.style,
        &project.output.display,
    )?;
    let cx = output::Ctx {
        project,
        bp,
        version,
        new_render: &new_render,
        req,
        opts,
    };
    let out = output::plan_output(&cx)?;
    warnings.extend(out.warnings);
    let deps = deps::plan_deps(project, bp, version)?;
    warnings.extend(deps.warnings);
    let mut files = vec![out.file];
    files.extend(deps.manifest);
    files.extend(env_example_change(project, bp)?);
    let (config, config_warning) = config_changes(project, bp, version)?;
    files.extend(config);
    warnings.extend(config_warning);
    warnings.extend(project.style.notes.iter().map(|note| Warning {
        code: WarningCode::StyleNote,
        message: note.clone(),
    }));
    refuse_read_only(project, &files, opts.force)?;
    let (next_steps, tsconfig_warning) = next_steps(project, &files, bp);
    warnings.extend(tsconfig_warning);
    let install_step = install_step(project, &deps.deps).filter(|_| !opts.install);
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
        pinned: req.pinned,
        outcome: Outcome::of(&files),
        files,
        deps: deps.deps,
        warnings,
        next_steps,
        install_step,
    })
}

/// A blueprint that does not support the project's target is refused.
fn refuse_unsupported(project: &Project, bp: &Blueprint) -> Result<()> {
    let target = project.target.name;
    let Some(why) = bp.unsupported(target) else {
        return Ok(());
    };
    Err(Error::new(
        Code::UnsupportedTarget,
        format!(
            "`{}` does not support the {} target: {why}",
            bp.id(),
            target.as_str()
        ),
    )
    .note(format!("target: {}", evidence_text(&project.target.evidence)))
    .hint("use another blueprint for this target, or pass `--target` if the detection is wrong; nothing was written"))
}

/// The install the new or raised dependencies need.
fn install_step(project: &Project, deps: &[DepChange]) -> Option<InstallStep> {
    deps.iter()
        .any(|d| matches!(d.action, DepAction::Added | DepAction::Raised))
        .then(|| InstallStep {
            command: project.pm.name.install_command(),
            lockfile: project.lockfile.clone(),
            frozen: frozen_install_command(project.pm.name),
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
    is_edited_to(ours, render, &format::CanonicalForm::default())
}

/// [`is_edited`], with the render's canonical form kept in `form` for the
/// next file compared with the same render.
pub fn is_edited_to(ours: &str, render: &str, form: &format::CanonicalForm) -> bool {
    // Beyond formatting (SPEC §13): what the project's formatter changes on
    // save is not an edit.
    !format::same_but_formatting_to(ours, render, form)
}

/// The steps after the change other than the install (wire the file up,
/// set its variables, include it in `tsconfig.json`), and the warning when
/// `tsconfig.json` leaves it out.
fn next_steps(
    project: &Project,
    files: &[FileChange],
    bp: &Blueprint,
) -> (Vec<String>, Option<Warning>) {
    let mut steps = Vec::new();
    let mut warning = None;
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
            let patterns: Vec<String> = include.iter().map(|s| format!("`{s}`")).collect();
            warning = Some(Warning {
                code: WarningCode::TsconfigExcludesFile,
                message: format!(
                    "`tsconfig.json`'s `include` ({}) does not cover `{rel}`, so `tsc` will not check it",
                    patterns.join(", ")
                ),
            });
            let dir = rel.split('/').next().unwrap_or(rel);
            steps.push(format!("add `\"{dir}\"` to `include` in `tsconfig.json`"));
        }
    }
    (steps, warning)
}

/// The evidence line for a target, used by reports.
pub fn evidence_text(e: &Evidence) -> String {
    match e.location() {
        Some(loc) => format!("{} ({loc})", e.reason),
        None => e.reason.clone(),
    }
}
