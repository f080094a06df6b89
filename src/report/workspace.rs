//! Reports of `flue status` and of `--workspace` runs: the status table,
//! per-package sections in text, one JSON object with a `packages` array.
//! Renders values; decides nothing.

use serde::Serialize;
use serde_json::Value;

use super::json::{ErrorJson, RunJson, Versioned};
use super::{Output, Palette, Report, error_human, print_stderr, print_stdout, to_human};
use crate::error::{Code, Error};
use crate::plan::{Command, Plan};
use crate::project::Warning;
use crate::status::{Entry, PackageStatus, State};

/// One package's status, with where it is.
#[derive(Debug, Clone)]
pub struct StatusOf {
    /// The package root, absolute.
    pub root: String,
    /// The source root, relative to the package root.
    pub source_root: String,
    pub status: PackageStatus,
}

/// What one package of a workspace run gave.
pub enum PackageBody<'a> {
    Status(Result<StatusOf, Error>),
    /// Left alone, and why (`does not depend on @flue/runtime`).
    Skipped(String),
    Run(Report<'a>),
}

/// One package's section of a workspace report.
pub struct PackageSection<'a> {
    /// Relative to the workspace root.
    pub rel: String,
    pub exit_code: i32,
    pub body: PackageBody<'a>,
}

/// A whole workspace run.
pub struct WorkspaceReport<'a> {
    pub root: String,
    pub config: &'static str,
    /// `status`, `add`, `update` or `diff`.
    pub command: &'static str,
    /// `status --check`.
    pub check: bool,
    pub exit_code: i32,
    pub packages: Vec<PackageSection<'a>>,
    /// An error about the run as a whole (`not_installed` anywhere).
    pub error: Option<Error>,
}

/// The fields of one package's status.
#[derive(Serialize)]
struct StatusFields<'a> {
    root: &'a str,
    source_root: &'a str,
    installed: &'a [Entry],
    warnings: &'a [Warning],
}

impl<'a> From<&'a StatusOf> for StatusFields<'a> {
    fn from(st: &'a StatusOf) -> Self {
        StatusFields {
            root: &st.root,
            source_root: &st.source_root,
            installed: &st.status.installed,
            warnings: &st.status.warnings,
        }
    }
}

/// The object of `flue status` on one package.
#[derive(Serialize)]
struct StatusJson<'a> {
    ok: bool,
    exit_code: i32,
    command: &'static str,
    check: bool,
    #[serde(flatten)]
    status: StatusFields<'a>,
}

/// The JSON object of `flue status` on one package.
pub fn status_json(st: &StatusOf, check: bool, exit_code: i32) -> Value {
    Versioned::new(StatusJson {
        ok: true,
        exit_code,
        command: "status",
        check,
        status: st.into(),
    })
    .to_value()
}

/// One entry of `packages`: its path, then what it gave.
#[derive(Serialize)]
struct PackageJson<'a> {
    path: &'a str,
    #[serde(flatten)]
    body: PackageBodyJson<'a>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum PackageBodyJson<'a> {
    Status {
        ok: bool,
        exit_code: i32,
        #[serde(flatten)]
        status: StatusFields<'a>,
    },
    Failed {
        ok: bool,
        exit_code: i32,
        error: ErrorJson<'a>,
    },
    Skipped {
        ok: bool,
        exit_code: i32,
        skipped: &'a str,
    },
    Run(Box<RunJson<'a>>),
}

impl<'a> From<&'a PackageSection<'a>> for PackageJson<'a> {
    fn from(s: &'a PackageSection<'a>) -> Self {
        let exit_code = s.exit_code;
        let body = match &s.body {
            PackageBody::Status(Ok(st)) => PackageBodyJson::Status {
                ok: true,
                exit_code,
                status: st.into(),
            },
            PackageBody::Status(Err(e)) => PackageBodyJson::Failed {
                ok: false,
                exit_code,
                error: e.into(),
            },
            PackageBody::Skipped(why) => PackageBodyJson::Skipped {
                ok: true,
                exit_code: 0,
                skipped: why,
            },
            PackageBody::Run(r) => PackageBodyJson::Run(Box::new(RunJson::new(r))),
        };
        PackageJson { path: &s.rel, body }
    }
}

fn section_ok(s: &PackageSection) -> bool {
    match &s.body {
        PackageBody::Status(r) => r.is_ok(),
        PackageBody::Skipped(_) => true,
        PackageBody::Run(r) => r.decision.error.is_none(),
    }
}

/// The run-wide error: the given one, else a summary of the packages that failed.
fn summary_error(r: &WorkspaceReport) -> Option<Error> {
    if let Some(e) = &r.error {
        return Some(e.clone());
    }
    let failed: Vec<&str> = r
        .packages
        .iter()
        .filter(|s| !section_ok(s))
        .map(|s| s.rel.as_str())
        .collect();
    (!failed.is_empty()).then(|| {
        Error::new(
            Code::PackageErrors,
            format!(
                "{} of {} packages did not succeed: {}",
                failed.len(),
                r.packages.len(),
                failed.join(", ")
            ),
        )
        .hint("each package's `error` says what happened; the other packages went on")
    })
}

#[derive(Serialize)]
struct WorkspaceJson<'a> {
    ok: bool,
    exit_code: i32,
    command: &'a str,
    /// `status` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    check: Option<bool>,
    workspace: WhereJson<'a>,
    packages: Vec<PackageJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorJson<'a>>,
}

#[derive(Serialize)]
struct WhereJson<'a> {
    root: &'a str,
    config: &'a str,
}

/// The one JSON object of a workspace run.
pub fn workspace_json(r: &WorkspaceReport) -> Value {
    let error = summary_error(r);
    Versioned::new(WorkspaceJson {
        ok: error.is_none(),
        exit_code: r.exit_code,
        command: r.command,
        check: (r.command == "status").then_some(r.check),
        workspace: WhereJson {
            root: &r.root,
            config: r.config,
        },
        packages: r.packages.iter().map(PackageJson::from).collect(),
        error: error.as_ref().map(ErrorJson::from),
    })
    .to_value()
}

fn state_colour(pal: &Palette, s: State) -> String {
    match s {
        State::Current => pal.green(s.as_str()),
        State::Conflict => pal.red(s.as_str()),
        State::UpgradeAvailable | State::RuntimeTooOld => pal.yellow(s.as_str()),
        State::Edited | State::Variant => pal.cyan(s.as_str()),
    }
}

/// The status table of one package (no header).
fn status_table(st: &PackageStatus, pal: &Palette, indent: &str) -> String {
    let mut out = String::new();
    let id_w = st
        .installed
        .iter()
        .map(|e| e.kind.len() + e.name.len() + 1)
        .chain([9])
        .max()
        .unwrap_or(9);
    out.push_str(&format!(
        "{indent}{:<id_w$}  {:<7}  {:<6}  {:<17}  FILE\n",
        "BLUEPRINT", "VERSION", "WANTED", "STATE"
    ));
    for e in &st.installed {
        let state = state_colour(pal, e.state);
        // Pad by the plain text's width: colour codes have none.
        let pad = " ".repeat(17usize.saturating_sub(e.state.as_str().len()));
        out.push_str(&format!(
            "{indent}{:<id_w$}  {:<7}  {:<6}  {state}{pad}  {}\n",
            format!("{}/{}", e.kind, e.name),
            format!("@{}", e.version),
            format!("@{}", e.wanted),
            e.path
        ));
    }
    for e in &st.installed {
        let id = format!("{}/{}", e.kind, e.name);
        out.push_str(&format!(
            "{indent}  {id}: @{} because {}\n",
            e.wanted, e.reason
        ));
        if let Some(l) = e.conflict_line {
            out.push_str(&format!(
                "{indent}  {id}: conflict markers from line {l}: resolve them, then run `flue update {} {}`\n",
                e.kind, e.name
            ));
        }
        if let Some(v) = e.variant {
            out.push_str(&format!("{indent}  {id}: follows {v}\n"));
        }
        if e.state == State::UpgradeAvailable {
            out.push_str(&format!(
                "{indent}  {id}: `flue diff {} {}` shows the upgrade{}\n",
                e.kind,
                e.name,
                if e.edited {
                    " (your edits are merged)"
                } else {
                    ""
                }
            ));
        }
    }
    out
}

/// The human status of one package (stdout).
pub fn status_human(st: &StatusOf, pal: &Palette) -> String {
    if st.status.installed.is_empty() {
        return format!("No blueprints installed in `{}`\n", st.root);
    }
    format!(
        "{} `{}` (source root `{}`)\n\n{}",
        pal.bold("Project"),
        st.root,
        st.source_root,
        status_table(&st.status, pal, "  ")
    )
}

/// Warnings as lines for stderr.
pub fn warnings_human(ws: &[Warning], pal: &Palette) -> String {
    ws.iter()
        .map(|w| format!("{}: {}\n", pal.yellow("warning"), w.message))
        .collect()
}

/// A package's diffs, their paths prefixed with the package's.
pub fn package_diffs(rel: &str, plan: &Plan, pal: &Palette) -> String {
    let prefix = if rel == "." {
        String::new()
    } else {
        format!("{rel}/")
    };
    plan.files
        .iter()
        .filter(|f| f.writes())
        .map(|f| {
            let old = match &f.before {
                Some(_) => format!("a/{prefix}{}", f.display),
                None => "/dev/null".into(),
            };
            let d = crate::merge::unified_diff(
                f.before.as_deref().unwrap_or(""),
                f.after.as_deref().unwrap_or(""),
                &old,
                &format!("b/{prefix}{}", f.display),
            );
            super::paint_diff(&d, pal)
        })
        .collect()
}

/// The human report of a workspace run: (stdout, stderr).
pub fn workspace_human(r: &WorkspaceReport, pal: &Palette, quiet: bool) -> (String, String) {
    let (mut out, mut err) = (String::new(), String::new());
    let head = format!(
        "{} `{}` (`{}`): {} package(s)\n",
        pal.bold("Workspace"),
        r.root,
        r.config,
        r.packages.len()
    );
    if r.command == "status" {
        out.push_str(&head);
    } else if !quiet {
        err.push_str(&head);
    }
    let mut nothing = Vec::new();
    for s in &r.packages {
        match &s.body {
            PackageBody::Status(Ok(st)) if st.status.installed.is_empty() => {
                nothing.push(s.rel.as_str());
                err.push_str(&prefixed(&s.rel, &warnings_human(&st.status.warnings, pal)));
            }
            PackageBody::Status(Ok(st)) => {
                out.push_str(&format!("\n{}\n", pal.bold(&s.rel)));
                out.push_str(&status_table(&st.status, pal, "  "));
                err.push_str(&prefixed(&s.rel, &warnings_human(&st.status.warnings, pal)));
            }
            PackageBody::Status(Err(e)) => {
                out.push_str(&format!(
                    "\n{}: {}\n",
                    pal.bold(&s.rel),
                    pal.red("error (see below)")
                ));
                err.push_str(&format!("{}:\n{}", pal.bold(&s.rel), error_human(e, pal)));
            }
            PackageBody::Skipped(why) => {
                if !quiet {
                    err.push_str(&format!("\n{} `{}`: {why}\n", pal.bold("Skipped"), s.rel));
                }
            }
            PackageBody::Run(rep) => {
                if rep.command == Some(Command::Diff)
                    && let Some(plan) = rep.plan
                {
                    out.push_str(&package_diffs(&s.rel, plan, &Palette { on: false }));
                }
                let text = to_human(rep, pal, quiet);
                if !text.is_empty() {
                    err.push_str(&format!("\n{} `{}`\n{text}", pal.bold("Package"), s.rel));
                }
            }
        }
    }
    if !nothing.is_empty() {
        out.push_str(&format!(
            "\nNo blueprints installed in {} package(s): {}\n",
            nothing.len(),
            nothing.join(", ")
        ));
    }
    let held: Vec<&str> = r
        .packages
        .iter()
        .filter(|s| matches!(&s.body, PackageBody::Run(rep) if rep.decision.held_back.is_some()))
        .map(|s| s.rel.as_str())
        .collect();
    if !held.is_empty() {
        err.push_str(&format!(
            "\n{}: nothing was written in any package: the changes in {} need one confirmation for the whole workspace; pass `--yes` to apply them\n",
            pal.yellow("pending"),
            held.join(", ")
        ));
    }
    if let Some(e) = &r.error {
        err.push_str(&error_human(e, pal));
    }
    (out, err)
}

fn prefixed(rel: &str, lines: &str) -> String {
    lines.lines().map(|l| format!("{rel}: {l}\n")).collect()
}

/// Prints `flue status` of one package: the JSON object, or the table on
/// stdout and the warnings on stderr.
pub fn emit_status(st: &StatusOf, check: bool, exit_code: i32, out: &Output) {
    if out.json {
        print_stdout(&format!("{}\n", status_json(st, check, exit_code)));
    } else {
        print_stdout(&status_human(st, &out.pal));
        print_stderr(&warnings_human(&st.status.warnings, &out.pal));
    }
}

/// Prints a workspace run: the JSON object, or its stdout and stderr parts.
pub fn emit(r: &WorkspaceReport, out: &Output) {
    if out.json {
        print_stdout(&format!("{}\n", workspace_json(r)));
    } else {
        let (stdout, stderr) = workspace_human(r, &out.pal, out.quiet);
        print_stdout(&stdout);
        print_stderr(&stderr);
    }
}
