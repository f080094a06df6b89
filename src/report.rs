//! Reporting: renders a `Plan` and the `Decision` taken on it (or an
//! `Error`) as a human report for stderr or as one JSON object for stdout.
//! Both renderers read the same `Report` value, so they never disagree.
//! The only module allowed to print: the shell hands it values and an
//! [`Output`] (json, quiet, colour).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;

use serde_json::Value;

use crate::decide::{Decision, NextAction};
use crate::error::Error;
use crate::plan::{Command, Outcome, Plan};
use crate::project::Project;

mod human;
mod json;
pub mod meta;
pub mod workspace;

pub use human::{Palette, confirm_diffs, error_human, paint_diff, to_human};
use json::{ErrorJson, RunJson, Versioned};

/// Version of the JSON object's shape. Bumped only on breaking changes.
pub const SCHEMA_VERSION: u32 = 1;

/// How a run wants its report: one JSON object, or text (quiet, coloured).
#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub json: bool,
    /// Errors and warnings only.
    pub quiet: bool,
    pub pal: Palette,
}

/// A plan plus what was decided and done with it.
#[derive(Debug, Clone)]
pub struct Report<'a> {
    pub plan: Option<&'a Plan>,
    /// The detected project when planning failed (so errors still describe it).
    pub project: Option<&'a Project>,
    /// The command, when known.
    pub command: Option<Command>,
    pub decision: Decision,
}

impl<'a> Report<'a> {
    /// The report of a planned run.
    pub fn of(plan: &'a Plan, decision: Decision) -> Report<'a> {
        Report {
            plan: Some(plan),
            project: None,
            command: Some(plan.command),
            decision,
        }
    }
}

impl Report<'_> {
    /// A report of an error that stopped the command before it had a plan.
    pub fn error_only(error: Error, dry_run: bool) -> Report<'static> {
        Report {
            plan: None,
            project: None,
            command: None,
            decision: Decision::failed(error, dry_run),
        }
    }
}

/// The next steps of a run, as prose and as commands, in one order: the
/// shell's (apply, resolve), the install, then the plan's (wire up, tsconfig).
pub fn next_steps(r: &Report, plan: &Plan) -> (Vec<String>, Vec<NextAction>) {
    let d = &r.decision;
    let mut prose: Vec<String> = d
        .next_actions
        .iter()
        .map(|a| format!("run `{}` to {}", a.command, a.why))
        .collect();
    let mut actions = d.next_actions.clone();
    let resolving = plan.outcome == Outcome::Conflict && !d.applied;
    if let Some(i) = plan.install_step.as_ref().filter(|_| !resolving) {
        let when = if d.applied {
            ""
        } else {
            "once the change is applied, "
        };
        let changed = if d.applied { "changed" } else { "will change" };
        prose.push(match &i.lockfile {
            Some(lock) => format!(
                "{when}run `{}`: `package.json` {changed}, so `{lock}` is out of date; {} fails until it is updated",
                i.command, i.frozen
            ),
            None => format!("{when}run `{}` to install the new dependencies", i.command),
        });
        actions.push(NextAction {
            command: i.command.to_string(),
            why: match &i.lockfile {
                Some(lock) => format!("install the new dependencies and update `{lock}`"),
                None => "install the new dependencies".to_string(),
            },
        });
    }
    prose.extend(plan.next_steps.iter().cloned());
    (prose, actions)
}

/// The JSON object for a report.
pub fn to_json(r: &Report) -> Value {
    Versioned::new(RunJson::new(r)).to_value()
}

/// An `error` object.
pub fn error_json(e: &Error) -> Value {
    serde_json::to_value(ErrorJson::from(e)).expect("errors serialize")
}

/// Prints a run's report: the JSON object on stdout, or the human report on
/// stderr (and, for `flue diff`, the diffs on stdout).
pub fn emit(r: &Report, out: &Output) {
    if out.json {
        print_stdout(&format!("{}\n", to_json(r)));
        return;
    }
    if r.command == Some(Command::Diff)
        && let Some(plan) = r.plan
    {
        let diffs: String = plan.files.iter().map(|f| f.diff()).collect();
        print_stdout(&diffs);
    }
    print_stderr(&to_human(r, &out.pal, out.quiet));
}

/// Prints an error that stopped a command before it had a plan.
pub fn emit_error(e: Error, dry_run: bool, out: &Output) {
    emit(&Report::error_only(e, dry_run), out);
}

/// Writes to stdout, treating a closed pipe as success.
pub fn print_stdout(s: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(s.as_bytes());
    let _ = out.flush();
}

/// Writes to stderr.
pub fn print_stderr(s: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(s.as_bytes());
    let _ = err.flush();
}
