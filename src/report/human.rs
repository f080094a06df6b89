//! The human report of a run (stderr): cargo-style status lines for what was
//! detected and what happens to each file and dependency, diffs, warnings,
//! then what is pending and the next steps. Renders a `Report`; decides nothing.

use anstyle::{AnsiColor, Style};

use super::{Report, next_steps};
use crate::error::Error;
use crate::plan::{
    Command, DepAction, DepChange, FileAction, FileChange, Outcome, Plan, evidence_text,
};

/// Colours for the human report.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub on: bool,
}

impl Palette {
    pub(crate) fn paint(&self, s: &str, style: Style) -> String {
        if self.on {
            format!("{style}{s}{style:#}")
        } else {
            s.to_string()
        }
    }
    pub(crate) fn green(&self, s: &str) -> String {
        self.paint(s, AnsiColor::Green.on_default().bold())
    }
    pub(crate) fn red(&self, s: &str) -> String {
        self.paint(s, AnsiColor::Red.on_default().bold())
    }
    pub(crate) fn yellow(&self, s: &str) -> String {
        self.paint(s, AnsiColor::Yellow.on_default().bold())
    }
    pub(crate) fn cyan(&self, s: &str) -> String {
        self.paint(s, AnsiColor::Cyan.on_default())
    }
    pub(crate) fn bold(&self, s: &str) -> String {
        self.paint(s, Style::new().bold())
    }
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

/// The diffs a confirmation asks about: the files whose change rewrites the user's content.
pub fn confirm_diffs(plan: &Plan, pal: &Palette) -> String {
    plan.files
        .iter()
        .filter(|f| f.writes() && f.needs_confirmation)
        .map(|f| paint_diff(&f.diff(), pal))
        .collect()
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

/// Which diffs the human report shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Diffs {
    /// None: `flue diff` prints them on stdout, or the prompt showed them.
    None,
    /// Changes to existing files.
    Changes,
    /// Every change, new files included (`--dry-run`).
    All,
}

impl Diffs {
    fn of(r: &Report) -> Diffs {
        if r.command == Some(Command::Diff) || r.decision.prompted {
            Diffs::None
        } else if r.decision.dry_run {
            Diffs::All
        } else {
            Diffs::Changes
        }
    }
}

/// A human report being written.
struct Text<'a> {
    out: String,
    pal: &'a Palette,
}

impl Text<'_> {
    /// A cargo-style status line: a bold verb right-aligned to 13 columns
    /// (the longest verbs, "Would create", keep a margin too).
    fn status(&mut self, verb: &str, rest: &str, colour: fn(&Palette, &str) -> String) {
        let verb = colour(self.pal, &format!("{verb:>13}"));
        self.out.push_str(&format!("{verb} {rest}\n"));
    }

    fn line(&mut self, s: &str) {
        self.out.push_str(s);
        self.out.push('\n');
    }
}

/// The human report (stderr). `quiet` keeps errors and warnings only.
pub fn to_human(r: &Report, pal: &Palette, quiet: bool) -> String {
    let mut t = Text {
        out: String::new(),
        pal,
    };
    if let Some(plan) = r.plan {
        if !quiet {
            detected(&mut t, plan);
            let diffs = Diffs::of(r);
            for f in &plan.files {
                file_lines(&mut t, r, f, diffs);
            }
            for d in &plan.deps {
                dep_line(&mut t, d, r.decision.applied);
            }
        }
        warnings(&mut t, r, plan);
        install_lines(&mut t, r, quiet);
        closing(&mut t, r, plan, quiet);
    }
    if let Some(e) = &r.decision.error {
        t.out.push_str(&error_human(e, pal));
    }
    t.out
}

/// What was detected and which blueprint version was picked, and why.
fn detected(t: &mut Text, plan: &Plan) {
    let p = &plan.project;
    let green = Palette::green;
    t.status("Project", &format!("`{}`", p.root.display()), green);
    let target = evidence_text(&p.target.evidence);
    t.status(
        "Target",
        &format!("{} — {target}", p.target.name.as_str()),
        green,
    );
    let pm = evidence_text(&p.pm.evidence);
    t.status("Using", &format!("{} — {pm}", p.pm.name.as_str()), green);
    let src = crate::error::display_path(&p.root, &p.source_root);
    t.status("Source root", &format!("`{src}`"), green);
    if let Some(src) = &p.style.source {
        let summary = p.style.style.summary();
        let summary = if summary.is_empty() {
            "default style".to_string()
        } else {
            summary
        };
        t.status("Style", &format!("`{}`: {summary}", src.file), green);
    }
    let k = &plan.pick;
    let pick = format!("{}/{}@{} — {}", k.kind, k.name, k.version, k.reason);
    t.status("Blueprint", &pick, green);
}

/// One file's status line, its diff, conflicts and discarded lines.
fn file_lines(t: &mut Text, r: &Report, f: &FileChange, diffs: Diffs) {
    let written = r.decision.applied && f.writes();
    let verb = match (f.action, written) {
        (FileAction::Create, true) => "Created",
        (FileAction::Create, false) => "Would create",
        (FileAction::Update, true) => "Updated",
        (FileAction::Update, false) => "Would update",
        (FileAction::Conflict, _) => "Conflict",
        (FileAction::Unchanged, _) => "Unchanged",
        (FileAction::Skip, _) => "Skipped",
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
    t.status(verb, &line, colour);
    let show = match diffs {
        Diffs::None => false,
        Diffs::Changes => f.before.is_some(),
        Diffs::All => true,
    };
    let diff = f.diff();
    if show && !diff.is_empty() {
        t.out.push_str(&paint_diff(&diff, t.pal));
    }
    for (c, line) in f.conflicts.iter().zip(f.conflict_lines(written)) {
        t.line(&format!("{} conflict at line {line}:", t.pal.red("  ✗")));
        for l in &c.ours {
            t.line(&format!("      yours  | {l}"));
        }
        for l in &c.theirs {
            t.line(&format!("      new    | {l}"));
        }
    }
    if !f.discarded.is_empty() {
        let bang = t.pal.yellow("  !");
        t.line(&format!("{bang} lines of yours the overwrite discards:"));
        for l in &f.discarded {
            t.line(&format!("      - {l}"));
        }
    }
}

fn dep_line(t: &mut Text, d: &DepChange, applied: bool) {
    let existing = d.existing.as_deref().unwrap_or("");
    let (verb, rest) = match d.action {
        DepAction::Added => (
            if applied { "Added" } else { "Would add" },
            format!("`{}` `{}` to `{}`", d.name, d.range, d.section),
        ),
        DepAction::AlreadyPresent => (
            "Present",
            format!(
                "`{}` `{existing}` in `{}` (left as written)",
                d.name, d.section
            ),
        ),
        DepAction::Raised => (
            if applied { "Raised" } else { "Would raise" },
            format!("`{}` from `{existing}` to `{}`", d.name, d.range),
        ),
        DepAction::OtherTargetPresent => (
            "Found",
            format!(
                "`{}` in `{}` (for another target; left alone)",
                d.name, d.section
            ),
        ),
    };
    t.status(verb, &rest, Palette::green);
}

fn warnings(t: &mut Text, r: &Report, plan: &Plan) {
    for w in plan.warnings.iter().chain(&r.decision.warnings) {
        let head = t.pal.yellow("warning");
        t.line(&format!("{head}: {}", w.message));
    }
}

/// The install: `Installed` when it succeeded, its output's tail when not.
fn install_lines(t: &mut Text, r: &Report, quiet: bool) {
    let Some(i) = &r.decision.install_result else {
        return;
    };
    if i.ok {
        if !quiet {
            t.status("Installed", &format!("`{}`", i.command), Palette::green);
        }
    } else if !i.output_tail.is_empty() {
        t.out.push_str(&i.output_tail);
        if !i.output_tail.ends_with('\n') {
            t.out.push('\n');
        }
    }
}

/// What is pending (held back, declined, a dry run, nothing to do), then the next steps.
fn closing(t: &mut Text, r: &Report, plan: &Plan, quiet: bool) {
    let d = &r.decision;
    if d.error.is_some() {
        return;
    }
    if let Some(why) = &d.held_back {
        if d.declined {
            let head = t.pal.yellow("declined");
            t.line(&format!(
                "{head}: you declined the change; nothing was written"
            ));
        } else {
            let head = t.pal.yellow("pending");
            t.line(&format!(
                "{head}: nothing was written: {why}; pass `--yes` to apply it"
            ));
        }
    }
    if quiet {
        return;
    }
    if d.held_back.is_some() {
        // Said above.
    } else if d.dry_run && plan.has_changes() {
        let head = t.pal.cyan("note");
        t.line(&format!("{head}: dry run, nothing was written"));
    } else if plan.outcome == Outcome::NothingToDo {
        t.status("Done:", "nothing to do", Palette::green);
    }
    let (steps, _) = next_steps(r, plan);
    if !steps.is_empty() && !d.declined {
        let head = t.pal.bold("Next steps:");
        t.out.push_str(&format!("\n{head}\n"));
        for s in &steps {
            t.line(&format!("  - {s}"));
        }
    }
}
