//! The JSON object of a run, from types: each struct here is one object of
//! `schema/report.schema.json`, its fields in the order they are printed.
//! `tests/json_contract.rs` and every fixture's `stdout.json` keep them honest.

use serde::Serialize;
use serde_json::Value;

use super::{Report, SCHEMA_VERSION, next_steps};
use crate::decide::{InstallResult, NextAction};
use crate::error::{Code, Error};
use crate::merge::Conflict;
use crate::plan::{Command, DepChange, FileAction, FileChange, Outcome, Plan};
use crate::project::{Pm, Project, Target, Warning};

/// Any top-level object: the schema version, then the fields of `T`.
#[derive(Serialize)]
pub(crate) struct Versioned<T: Serialize> {
    pub schema_version: u32,
    #[serde(flatten)]
    pub body: T,
}

impl<T: Serialize> Versioned<T> {
    pub fn new(body: T) -> Self {
        Versioned {
            schema_version: SCHEMA_VERSION,
            body,
        }
    }

    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).expect("report values serialize")
    }
}

/// The fields of a run's object (a top-level one, or one package of a workspace's).
#[derive(Serialize)]
pub(crate) struct RunJson<'a> {
    ok: bool,
    exit_code: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    command: Option<Command>,
    #[serde(skip_serializing_if = "Option::is_none")]
    project: Option<ProjectJson<'a>>,
    #[serde(flatten)]
    planned: Option<PlannedJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    install: Option<&'a InstallResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorJson<'a>>,
}

/// What a run that got a plan adds.
#[derive(Serialize)]
struct PlannedJson<'a> {
    dry_run: bool,
    applied: bool,
    held_back: bool,
    outcome: Outcome,
    blueprint: PickJson<'a>,
    files: Vec<FileJson<'a>>,
    dependencies: &'a [DepChange],
    warnings: Vec<&'a Warning>,
    declined: bool,
    next_steps: Vec<String>,
    next_actions: Vec<NextAction>,
}

#[derive(Serialize)]
struct PickJson<'a> {
    kind: &'a str,
    name: &'a str,
    version: u32,
    latest: u32,
    reason: &'a str,
}

#[derive(Serialize)]
struct FileJson<'a> {
    path: &'a str,
    action: FileAction,
    from_version: Option<u32>,
    to_version: Option<u32>,
    written: bool,
    note: Option<&'a str>,
    diff: String,
    conflicts: Vec<ConflictJson<'a>>,
    discarded: &'a [String],
}

#[derive(Serialize)]
struct ConflictJson<'a> {
    line: usize,
    base: &'a [String],
    ours: &'a [String],
    theirs: &'a [String],
}

#[derive(Serialize)]
struct ProjectJson<'a> {
    root: String,
    source_root: String,
    manifest: &'a str,
    manifest_real_path: Option<String>,
    target: &'a Target,
    package_manager: &'a Pm,
    style: StyleJson<'a>,
}

#[derive(Serialize)]
struct StyleJson<'a> {
    default: bool,
    summary: String,
    source: Option<StyleSourceJson<'a>>,
}

#[derive(Serialize)]
struct StyleSourceJson<'a> {
    file: &'a str,
    kind: &'a str,
}

/// An `error` object.
#[derive(Serialize)]
pub(crate) struct ErrorJson<'a> {
    code: Code,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    hint: Option<&'a str>,
    notes: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<&'a str>,
}

impl<'a> From<&'a Error> for ErrorJson<'a> {
    fn from(e: &'a Error) -> Self {
        ErrorJson {
            code: e.code,
            message: &e.message,
            file: e.file.as_deref(),
            line: e.line,
            column: e.column,
            hint: e.hint.as_deref(),
            notes: &e.notes,
            suggestion: e.suggestion.as_deref(),
        }
    }
}

impl<'a> RunJson<'a> {
    pub fn new(r: &'a Report) -> Self {
        let d = &r.decision;
        RunJson {
            ok: d.error.is_none(),
            exit_code: d.exit_code,
            command: r.command.or(r.plan.map(|p| p.command)),
            project: r.plan.map(|p| &p.project).or(r.project).map(project),
            planned: r.plan.map(|p| planned(r, p)),
            install: d.install_result.as_ref(),
            error: d.error.as_ref().map(ErrorJson::from),
        }
    }
}

fn planned<'a>(r: &'a Report, plan: &'a Plan) -> PlannedJson<'a> {
    let d = &r.decision;
    let (next_steps, next_actions) = next_steps(r, plan);
    PlannedJson {
        dry_run: d.dry_run,
        applied: d.applied,
        held_back: d.held_back.is_some(),
        outcome: plan.outcome,
        blueprint: PickJson {
            kind: plan.pick.kind,
            name: plan.pick.name,
            version: plan.pick.version,
            latest: plan.pick.latest,
            reason: &plan.pick.reason,
        },
        files: plan
            .files
            .iter()
            .map(|f| file(f, d.applied && f.writes()))
            .collect(),
        dependencies: &plan.deps,
        warnings: plan.warnings.iter().chain(&d.warnings).collect(),
        declined: d.declined,
        next_steps,
        next_actions,
    }
}

fn file(f: &FileChange, written: bool) -> FileJson<'_> {
    let conflicts = f
        .conflicts
        .iter()
        .zip(f.conflict_lines(written))
        .map(|(c, line): (&Conflict, usize)| ConflictJson {
            line,
            base: &c.base,
            ours: &c.ours,
            theirs: &c.theirs,
        })
        .collect();
    FileJson {
        path: &f.display,
        action: f.action,
        from_version: f.from_version,
        to_version: f.to_version,
        written,
        note: f.note.as_deref(),
        diff: f.diff(),
        conflicts,
        discarded: &f.discarded,
    }
}

fn project(p: &Project) -> ProjectJson<'_> {
    let real = p.manifest_file.via_symlink;
    ProjectJson {
        root: p.root.to_string_lossy().to_string(),
        source_root: crate::error::display_path(&p.root, &p.source_root),
        manifest: &p.manifest_file.display,
        manifest_real_path: real.then(|| p.manifest_file.path.to_string_lossy().to_string()),
        target: &p.target,
        package_manager: &p.pm,
        style: StyleJson {
            default: p.style.style.is_default(),
            summary: p.style.style.summary(),
            source: p.style.source.as_ref().map(|s| StyleSourceJson {
                file: &s.file,
                kind: s.kind,
            }),
        },
    }
}
