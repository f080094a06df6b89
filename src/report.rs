//! Reporting: renders a `Plan` (and what happened to it) or an `Error` as a
//! human report for stderr or as one JSON object for stdout. Both renderers
//! read the same `Report` value, so they never disagree. The only module
//! allowed to print.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;

use anstyle::{AnsiColor, Style};
use serde_json::{Value, json};

use crate::error::Error;
use crate::plan::{DepAction, FileAction, Outcome, Plan, evidence_text};

pub mod workspace;

/// Version of the JSON object's shape. Bumped only on breaking changes.
pub const SCHEMA_VERSION: u32 = 1;

/// What happened to the result of an install, when `--install` ran.
#[derive(Debug, Clone)]
pub struct InstallResult {
    pub command: String,
    pub ok: bool,
    /// Last lines of the package manager's output.
    pub output_tail: String,
}

/// A plan plus what the shell did with it.
#[derive(Debug, Clone)]
pub struct Report<'a> {
    pub plan: Option<&'a Plan>,
    /// The detected project when planning failed (so errors still describe it).
    pub project: Option<&'a crate::project::Project>,
    /// The command, when known.
    pub command: Option<crate::plan::Command>,
    /// The files were written.
    pub applied: bool,
    /// Nothing was written because confirmation was needed and not given.
    pub held_back: bool,
    pub dry_run: bool,
    pub install: Option<InstallResult>,
    pub error: Option<Error>,
    pub exit_code: i32,
    /// Warnings added by the shell (install, prompts).
    pub extra_warnings: Vec<(String, String)>,
    /// The user answered "no" at the prompt.
    pub declined: bool,
    /// Commands the shell suggests after this run (apply with `--yes`, …).
    pub actions: Vec<NextAction>,
}

/// A next step as a command an agent can run, with why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NextAction {
    pub command: String,
    pub why: String,
}

/// The next steps of a run, as prose and as commands, in one order: the
/// shell's (apply, resolve), the install, then the plan's (wire up, tsconfig).
pub fn next_steps(r: &Report, plan: &Plan) -> (Vec<String>, Vec<NextAction>) {
    let mut prose: Vec<String> = r
        .actions
        .iter()
        .map(|a| format!("run `{}` to {}", a.command, a.why))
        .collect();
    let mut actions = r.actions.clone();
    let resolving = plan.outcome == Outcome::Conflict && !r.applied;
    if let Some(i) = plan.install_step.as_ref().filter(|_| !resolving) {
        let when = if r.applied {
            ""
        } else {
            "once the change is applied, "
        };
        let changed = if r.applied { "changed" } else { "will change" };
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

/// Why nothing was written without `--yes` (the same words in the report
/// and in the next action).
pub fn confirmation_reason(plan: &Plan) -> String {
    let Some(f) = plan
        .files
        .iter()
        .find(|f| f.writes() && f.needs_confirmation)
    else {
        return "it needs a confirmation".to_string();
    };
    let what = if f.action == FileAction::Conflict {
        "writing conflict markers into"
    } else if !f.discarded.is_empty() || !f.conflicts.is_empty() {
        "overwriting"
    } else if f.from_version.is_none() {
        "replacing"
    } else {
        "upgrading"
    };
    format!(
        "{what} `{}` rewrites an existing file, so it needs a confirmation",
        f.display
    )
}

/// The line of each conflict in the file as it is after the run: the
/// `<<<<<<<` line when markers were written, else the line in the user's file.
pub fn conflict_lines(f: &crate::plan::FileChange, written: bool) -> Vec<usize> {
    let marks: Vec<usize> = match (&f.after, written) {
        (Some(after), true) => after
            .lines()
            .enumerate()
            .filter(|(_, l)| l.starts_with("<<<<<<< ") || *l == "<<<<<<<")
            .map(|(i, _)| i + 1)
            .collect(),
        _ => Vec::new(),
    };
    f.conflicts
        .iter()
        .enumerate()
        .map(|(i, c)| marks.get(i).copied().unwrap_or(c.line))
        .collect()
}

impl Report<'_> {
    /// A report of an error that stopped the command before it had a plan.
    pub fn error_only(error: Error, dry_run: bool) -> Report<'static> {
        Report {
            plan: None,
            project: None,
            command: None,
            applied: false,
            held_back: false,
            dry_run,
            install: None,
            exit_code: error.exit_code(),
            error: Some(error),
            extra_warnings: vec![],
            declined: false,
            actions: vec![],
        }
    }
}

fn file_written(r: &Report, f: &crate::plan::FileChange) -> bool {
    r.applied && f.writes()
}

/// The JSON object for a report.
pub fn to_json(r: &Report) -> Value {
    let mut obj = serde_json::Map::new();
    obj.insert("schema_version".into(), json!(SCHEMA_VERSION));
    obj.insert("ok".into(), json!(r.error.is_none()));
    obj.insert("exit_code".into(), json!(r.exit_code));
    if let Some(c) = r.command.or(r.plan.map(|p| p.command)) {
        obj.insert("command".into(), json!(c));
    }
    if let Some(p) = r.plan.map(|p| &p.project).or(r.project) {
        obj.insert("project".into(), project_json(p));
    }
    if let Some(plan) = r.plan {
        obj.insert("dry_run".into(), json!(r.dry_run));
        obj.insert("applied".into(), json!(r.applied));
        obj.insert("held_back".into(), json!(r.held_back));
        obj.insert("outcome".into(), json!(plan.outcome));
        obj.insert(
            "blueprint".into(),
            json!({
                "kind": plan.pick.kind,
                "name": plan.pick.name,
                "version": plan.pick.version,
                "latest": plan.pick.latest,
                "reason": plan.pick.reason,
            }),
        );
        let files: Vec<Value> = plan
            .files
            .iter()
            .map(|f| {
                let lines = conflict_lines(f, file_written(r, f));
                let conflicts: Vec<Value> = f
                    .conflicts
                    .iter()
                    .zip(lines)
                    .map(|(c, line)| {
                        json!({"line": line, "base": c.base, "ours": c.ours, "theirs": c.theirs})
                    })
                    .collect();
                json!({
                    "path": f.display,
                    "action": f.action,
                    "from_version": f.from_version,
                    "to_version": f.to_version,
                    "written": file_written(r, f),
                    "note": f.note,
                    "diff": f.diff(),
                    "conflicts": conflicts,
                    "discarded": f.discarded,
                })
            })
            .collect();
        obj.insert("files".into(), Value::Array(files));
        obj.insert("dependencies".into(), json!(plan.deps));
        let mut warnings: Vec<Value> = plan
            .warnings
            .iter()
            .map(|w| json!({"code": w.code, "message": w.message}))
            .collect();
        warnings.extend(
            r.extra_warnings
                .iter()
                .map(|(c, m)| json!({"code": c, "message": m})),
        );
        obj.insert("warnings".into(), Value::Array(warnings));
        obj.insert("declined".into(), json!(r.declined));
        let (prose, actions) = next_steps(r, plan);
        obj.insert("next_steps".into(), json!(prose));
        obj.insert("next_actions".into(), json!(actions));
    }
    if let Some(i) = &r.install {
        obj.insert(
            "install".into(),
            json!({"command": i.command, "ok": i.ok, "output_tail": i.output_tail}),
        );
    }
    if let Some(e) = &r.error {
        obj.insert("error".into(), error_json(e));
    }
    Value::Object(obj)
}

fn project_json(p: &crate::project::Project) -> Value {
    json!({
        "root": p.root.to_string_lossy(),
        "source_root": crate::error::display_path(&p.root, &p.source_root),
        "manifest": p.manifest_file.display,
        "manifest_real_path": p.manifest_file.via_symlink.then(|| p.manifest_file.path.to_string_lossy().to_string()),
        "target": p.target,
        "package_manager": p.pm,
        "style": {
            "default": p.style.style.is_default(),
            "summary": p.style.style.summary(),
            "source": p.style.source.as_ref().map(|s| json!({"file": s.file, "kind": s.kind})),
        },
    })
}

pub fn error_json(e: &Error) -> Value {
    let mut v = json!({
        "code": e.code,
        "message": e.message,
        "file": e.file,
        "line": e.line,
        "column": e.column,
        "hint": e.hint,
        "notes": e.notes,
    });
    if let Some(s) = &e.suggestion {
        v["suggestion"] = json!(s);
    }
    v
}

/// Colours for the human report.
pub struct Palette {
    pub on: bool,
}

impl Palette {
    fn paint(&self, s: &str, style: Style) -> String {
        if self.on {
            format!("{style}{s}{style:#}")
        } else {
            s.to_string()
        }
    }
    fn green(&self, s: &str) -> String {
        self.paint(s, AnsiColor::Green.on_default().bold())
    }
    fn red(&self, s: &str) -> String {
        self.paint(s, AnsiColor::Red.on_default().bold())
    }
    fn yellow(&self, s: &str) -> String {
        self.paint(s, AnsiColor::Yellow.on_default().bold())
    }
    fn cyan(&self, s: &str) -> String {
        self.paint(s, AnsiColor::Cyan.on_default())
    }
    fn bold(&self, s: &str) -> String {
        self.paint(s, Style::new().bold())
    }
}

/// A cargo-style status line: a bold verb right-aligned to 13 columns.
fn status(
    out: &mut String,
    pal: &Palette,
    verb: &str,
    rest: &str,
    colour: fn(&Palette, &str) -> String,
) {
    // 13 columns: the longest verbs ("Would create") keep a margin too.
    out.push_str(&format!("{} {rest}\n", colour(pal, &format!("{verb:>13}"))));
}

/// Colours a unified diff.
pub fn paint_diff(diff: &str, pal: &Palette) -> String {
    if !pal.on {
        return diff.to_string();
    }
    diff.lines()
        .map(|l| {
            if l.starts_with("+++") || l.starts_with("---") {
                pal.bold(l)
            } else if l.starts_with('+') {
                pal.paint(l, AnsiColor::Green.on_default())
            } else if l.starts_with('-') {
                pal.paint(l, AnsiColor::Red.on_default())
            } else if l.starts_with("@@") {
                pal.cyan(l)
            } else {
                l.to_string()
            }
        })
        .map(|l| l + "\n")
        .collect()
}

/// The human report (stderr). `quiet` keeps errors and warnings only.
/// Which diffs the human report shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Diffs {
    /// None (`flue diff` prints them on stdout instead).
    None,
    /// Changes to existing files.
    Changes,
    /// Every change, new files included (`--dry-run`).
    All,
}

pub fn to_human(r: &Report, pal: &Palette, quiet: bool, diffs: Diffs) -> String {
    let mut out = String::new();
    if let Some(plan) = r.plan {
        let p = &plan.project;
        if !quiet {
            status(
                &mut out,
                pal,
                "Project",
                &format!("`{}`", p.root.display()),
                Palette::green,
            );
            status(
                &mut out,
                pal,
                "Target",
                &format!(
                    "{} — {}",
                    p.target.name.as_str(),
                    evidence_text(&p.target.evidence)
                ),
                Palette::green,
            );
            status(
                &mut out,
                pal,
                "Using",
                &format!("{} — {}", p.pm.name.as_str(), evidence_text(&p.pm.evidence)),
                Palette::green,
            );
            status(
                &mut out,
                pal,
                "Source root",
                &format!("`{}`", crate::error::display_path(&p.root, &p.source_root)),
                Palette::green,
            );
            if let Some(src) = &p.style.source {
                let summary = p.style.style.summary();
                let summary = if summary.is_empty() {
                    "default style".to_string()
                } else {
                    summary
                };
                status(
                    &mut out,
                    pal,
                    "Style",
                    &format!("`{}`: {summary}", src.file),
                    Palette::green,
                );
            }
            status(
                &mut out,
                pal,
                "Blueprint",
                &format!(
                    "{}/{}@{} — {}",
                    plan.pick.kind, plan.pick.name, plan.pick.version, plan.pick.reason
                ),
                Palette::green,
            );
            for f in &plan.files {
                let verb = match (f.action, r.applied && f.writes(), r.dry_run || r.held_back) {
                    (FileAction::Create, true, _) => "Created",
                    (FileAction::Create, false, _) => "Would create",
                    (FileAction::Update, true, _) => "Updated",
                    (FileAction::Update, false, _) => "Would update",
                    (FileAction::Conflict, true, _) => "Conflict",
                    (FileAction::Conflict, false, _) => "Conflict",
                    (FileAction::Unchanged, _, _) => "Unchanged",
                    (FileAction::Skip, _, _) => "Skipped",
                };
                let colour = if f.action == FileAction::Conflict {
                    Palette::red
                } else {
                    Palette::green
                };
                let mut line = format!("`{}`", f.display);
                if let (Some(a), Some(b)) = (f.from_version, f.to_version)
                    && a != b
                {
                    line.push_str(&format!(" (version {a} → {b})"));
                }
                if let Some(n) = &f.note {
                    line.push_str(&format!(": {n}"));
                }
                status(&mut out, pal, verb, &line, colour);
                let diff = f.diff();
                let show = match diffs {
                    Diffs::None => false,
                    Diffs::Changes => f.before.is_some(),
                    Diffs::All => true,
                };
                if show && !diff.is_empty() {
                    out.push_str(&paint_diff(&diff, pal));
                }
                for (c, line) in f
                    .conflicts
                    .iter()
                    .zip(conflict_lines(f, r.applied && f.writes()))
                {
                    out.push_str(&format!("{} conflict at line {line}:\n", pal.red("  ✗"),));
                    for l in &c.ours {
                        out.push_str(&format!("      yours  | {l}\n"));
                    }
                    for l in &c.theirs {
                        out.push_str(&format!("      new    | {l}\n"));
                    }
                }
                if !f.discarded.is_empty() {
                    out.push_str(&format!(
                        "{} lines of yours the overwrite discards:\n",
                        pal.yellow("  !")
                    ));
                    for l in &f.discarded {
                        out.push_str(&format!("      - {l}\n"));
                    }
                }
            }
            for d in &plan.deps {
                let (verb, rest) = match d.action {
                    DepAction::Added => (
                        if r.applied { "Added" } else { "Would add" },
                        format!("`{}` `{}` to `{}`", d.name, d.range, d.section),
                    ),
                    DepAction::AlreadyPresent => (
                        "Present",
                        format!(
                            "`{}` `{}` in `{}` (left as written)",
                            d.name,
                            d.existing.as_deref().unwrap_or(""),
                            d.section
                        ),
                    ),
                    DepAction::Raised => (
                        if r.applied { "Raised" } else { "Would raise" },
                        format!(
                            "`{}` from `{}` to `{}`",
                            d.name,
                            d.existing.as_deref().unwrap_or(""),
                            d.range
                        ),
                    ),
                    DepAction::OtherTargetPresent => (
                        "Found",
                        format!(
                            "`{}` in `{}` (for another target; left alone)",
                            d.name, d.section
                        ),
                    ),
                };
                status(&mut out, pal, verb, &rest, Palette::green);
            }
        }
        for w in &plan.warnings {
            out.push_str(&format!("{}: {}\n", pal.yellow("warning"), w.message));
        }
        for (_, m) in &r.extra_warnings {
            out.push_str(&format!("{}: {m}\n", pal.yellow("warning")));
        }
        if let Some(i) = &r.install {
            if i.ok {
                if !quiet {
                    status(
                        &mut out,
                        pal,
                        "Installed",
                        &format!("`{}`", i.command),
                        Palette::green,
                    );
                }
            } else if !i.output_tail.is_empty() {
                out.push_str(&i.output_tail);
                if !i.output_tail.ends_with('\n') {
                    out.push('\n');
                }
            }
        }
        let pending = if r.declined {
            format!(
                "{}: you declined the change; nothing was written\n",
                pal.yellow("declined")
            )
        } else {
            format!(
                "{}: nothing was written: {}; pass `--yes` to apply it\n",
                pal.yellow("pending"),
                confirmation_reason(plan)
            )
        };
        if r.held_back && r.error.is_none() && quiet {
            out.push_str(&pending);
        }
        if !quiet && r.error.is_none() {
            if r.held_back {
                out.push_str(&pending);
            } else if r.dry_run && plan.has_changes() {
                out.push_str(&format!(
                    "{}: dry run, nothing was written\n",
                    pal.cyan("note")
                ));
            } else if plan.outcome == Outcome::NothingToDo {
                status(&mut out, pal, "Done:", "nothing to do", Palette::green);
            }
            let (steps, _) = next_steps(r, plan);
            if !steps.is_empty() && !r.declined {
                out.push_str(&format!("\n{}\n", pal.bold("Next steps:")));
                for s in &steps {
                    out.push_str(&format!("  - {s}\n"));
                }
            }
        }
    }
    if let Some(e) = &r.error {
        out.push_str(&error_human(e, pal));
    }
    out
}

/// `error: message`, location, notes, `hint:` after a blank line.
pub fn error_human(e: &Error, pal: &Palette) -> String {
    let mut out = format!("{}: {}\n", pal.red("error"), e.message);
    if let Some(file) = &e.file {
        let loc = match (e.line, e.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file.clone(),
        };
        out.push_str(&format!("  {} {loc}\n", pal.cyan("-->")));
    }
    for n in &e.notes {
        out.push_str(&format!("  = {n}\n"));
    }
    if let Some(h) = &e.hint {
        out.push_str(&format!("\n{}: {h}\n", pal.cyan("hint")));
    }
    out
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
