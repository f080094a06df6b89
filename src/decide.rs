//! Deciding: what a run does with a plan. From the plan, the settings and
//! the answer to the prompt (when the shell asked one), a `Decision`: write
//! or not, install or not, held back, declined, the exit code, the error to
//! attach and the commands to suggest. The shell carries it out and records
//! what happened through [`Decision::wrote`] and [`Decision::installed`],
//! which decide the rest (a failed write or install is the error).
//!
//! Pure: no I/O, no prompts, no printing. The policy of SPEC §7 and §8
//! lives here and nowhere else: 4 (conflict) wins over 3 (pending), which
//! wins over 0; a change that rewrites the user's content needs `--yes` or a
//! yes at the prompt, and so does every change of a `--workspace` run (one
//! confirmation for the whole set).

use serde::Serialize;

use crate::blueprint::spec::Request;
use crate::cli::Settings;
use crate::error::{Code, Error, WarningCode};
use crate::plan::{Command, FileAction, OnConflict, Outcome, Plan};
use crate::project::{PackageManager, Warning};

mod next;

/// What the user said at the prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// No prompt was shown: none was needed, or none is allowed (no
    /// terminal, `CI`, an agent, `--yes`).
    NotAsked,
    Yes,
    No,
}

impl Answer {
    /// A prompt's result (a prompt that failed counts as "no").
    pub fn from_prompt(yes: bool) -> Answer {
        if yes { Answer::Yes } else { Answer::No }
    }
}

/// A next step as a command an agent can run, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextAction {
    pub command: String,
    pub why: String,
}

/// What the install run by `--install` gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstallResult {
    /// `pnpm install`.
    pub command: String,
    pub ok: bool,
    /// Last lines of the package manager's output.
    pub output_tail: String,
}

/// The package manager's install as the shell saw it run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstallRun {
    /// The program could not be started (the message says why).
    NotStarted(String),
    /// It ran: whether it exited 0, and its stdout then stderr.
    Exited { success: bool, output: String },
}

/// What to do with a plan, and later what came of it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Decision {
    /// Nothing is to be written: `--dry-run` or `flue diff`.
    pub dry_run: bool,
    /// Write the plan's changes (all or nothing).
    pub apply: bool,
    /// Run the package manager's install once the files are written, or
    /// when nothing had to be (the dependencies may be declared but not
    /// installed yet).
    pub install: bool,
    /// The changes were written (set by [`Decision::wrote`]).
    pub applied: bool,
    /// Nothing is written: the change needs a confirmation that was not
    /// given. Why it needs one (the report and the next action say it).
    pub held_back: Option<String>,
    /// The user answered "no" at the prompt.
    pub declined: bool,
    /// A prompt was shown, with the diffs it asked about.
    pub prompted: bool,
    pub exit_code: i32,
    /// The error the run ends with, if any (a conflict, a failed write or install).
    pub error: Option<Error>,
    /// Warnings that come from the run rather than the plan (the install's).
    pub warnings: Vec<Warning>,
    /// The install's result, when it ran.
    pub install_result: Option<InstallResult>,
    /// Commands to run next (apply a held-back change, resolve a conflict).
    pub next_actions: Vec<NextAction>,
}

/// `command` never writes with these settings: `--dry-run`, or `flue diff`
/// (so it takes no lock either).
pub fn writes_nothing(command: Command, settings: &Settings) -> bool {
    settings.dry_run || command == Command::Diff
}

/// Writing the plan is refused outright: a conflict that is only shown, or
/// that `--on-conflict abort` (the default) keeps out of the file.
fn blocked(plan: &Plan, settings: &Settings) -> bool {
    plan.outcome == Outcome::Conflict
        && (writes_nothing(plan.command, settings) || settings.on_conflict == OnConflict::Abort)
}

/// A change of this plan needs a confirmation before it is written: it
/// rewrites the user's content, or it is part of a workspace run.
fn needs_consent(plan: &Plan, settings: &Settings) -> bool {
    settings.workspace || plan.needs_confirmation()
}

/// The plan would be written once the user agrees.
pub fn awaits_consent(plan: &Plan, settings: &Settings) -> bool {
    !writes_nothing(plan.command, settings)
        && !blocked(plan, settings)
        && plan.has_changes()
        && needs_consent(plan, settings)
}

/// Whether the shell is to ask before applying `plans` (one question for
/// all of them): prompts are allowed, `--yes` was not given, and some plan
/// waits for a confirmation.
pub fn must_ask<'a>(plans: impl IntoIterator<Item = &'a Plan>, settings: &Settings) -> bool {
    settings.interactive && !settings.yes && plans.into_iter().any(|p| awaits_consent(p, settings))
}

/// What to do with `plan`, given the answer to the prompt (if one was shown).
pub fn decide(plan: &Plan, settings: &Settings, answer: Answer) -> Decision {
    let conflicted = plan.outcome == Outcome::Conflict;
    let mut d = Decision {
        dry_run: writes_nothing(plan.command, settings),
        // Its diffs were shown with the question.
        prompted: answer != Answer::NotAsked && awaits_consent(plan, settings),
        ..Decision::default()
    };
    if blocked(plan, settings) {
        d.error = Some(conflict_error(plan, false));
        d.exit_code = 4;
    } else if d.dry_run {
        d.exit_code = if plan.has_changes() { 3 } else { 0 };
    } else if awaits_consent(plan, settings) && !settings.yes && answer != Answer::Yes {
        d.held_back = Some(confirmation_reason(plan, settings));
        d.declined = answer == Answer::No;
        d.exit_code = 3;
        if conflicted {
            // Markers held back: still a conflict (4 wins over 3).
            d.error = Some(conflict_error(plan, false).hint(
                "writing conflict markers rewrites your file, so it needs a confirmation: pass `--yes` with `--on-conflict markers`; nothing was written",
            ));
            d.exit_code = 4;
        }
    } else {
        d.apply = plan.has_changes();
        d.install = settings.install;
        if conflicted {
            // Markers go into the file: the run ends in a conflict once they are written.
            d.error = Some(conflict_error(plan, d.apply));
            d.exit_code = 4;
        }
    }
    d.next_actions = next::actions(&d, plan, settings);
    d
}

/// The most severe of two exit codes: 4 > 1 > 3 > 0 (2 never comes from a package).
pub fn most_severe(a: i32, b: i32) -> i32 {
    let rank = |c: i32| match c {
        4 => 4,
        1 => 3,
        3 => 2,
        0 => 0,
        _ => 1,
    };
    if rank(b) > rank(a) { b } else { a }
}

/// How a workspace run ends, from the exit codes of the packages it did not
/// skip: the most severe code (SPEC §15), and for `update` that found the
/// blueprint in no package, the `not_installed` error (exit 1).
pub fn workspace_end(
    cmd: Command,
    req: &Request,
    codes: impl IntoIterator<Item = i32>,
) -> (i32, Option<Error>) {
    let mut ran = false;
    let exit = codes.into_iter().fold(0, |exit, c| {
        ran = true;
        most_severe(exit, c)
    });
    if ran || cmd != Command::Update {
        return (exit, None);
    }
    let bp = req.blueprint;
    let e = Error::new(
        Code::NotInstalled,
        format!("`{}` is installed in no package of the workspace", bp.id()),
    )
    .hint(format!(
        "install it with `flue add {} {} --workspace`; nothing was written",
        bp.kind, bp.name
    ));
    (1, Some(e))
}

impl Decision {
    /// The decision of a run that stopped at `error`, before it had a plan.
    pub fn failed(error: Error, dry_run: bool) -> Decision {
        Decision {
            dry_run,
            exit_code: error.exit_code(),
            error: Some(error),
            ..Decision::default()
        }
    }

    /// Records the write the shell made: a failed write is the error, and
    /// nothing is installed after it.
    pub fn wrote(mut self, result: Result<(), Error>) -> Decision {
        match result {
            Ok(()) => self.applied = self.apply,
            Err(e) => {
                self.install = false;
                self.exit_code = e.exit_code();
                self.error = Some(e);
            }
        }
        self
    }

    /// Records the install the shell ran for `pm`: a failure is the error
    /// (exit 1), pnpm's skipped build scripts only a warning.
    pub fn installed(mut self, pm: PackageManager, run: InstallRun) -> Decision {
        let (result, warning) = install_result(pm, run);
        self.warnings.extend(warning);
        if !result.ok {
            let what = if self.applied {
                "the files were written"
            } else {
                "nothing else changed"
            };
            self.error = Some(
                Error::new(
                    Code::InstallFailed,
                    format!("`{}` failed; {what}", result.command),
                )
                .hint(format!(
                    "fix the cause shown above, then run `{}` again",
                    result.command
                )),
            );
            self.exit_code = 1;
        }
        self.install_result = Some(result);
        self
    }
}

/// What an install run means. pnpm 10+ exits 1 with
/// `ERR_PNPM_IGNORED_BUILDS` when it skips dependencies' build scripts
/// although the install is complete (SPEC §5): a warning, not a failure.
pub fn install_result(pm: PackageManager, run: InstallRun) -> (InstallResult, Option<Warning>) {
    let command = pm.install_command().to_string();
    let (success, output) = match run {
        InstallRun::NotStarted(why) => {
            let r = InstallResult {
                command,
                ok: false,
                output_tail: format!("cannot run `{}`: {why}\n", pm.as_str()),
            };
            return (r, None);
        }
        InstallRun::Exited { success, output } => (success, output),
    };
    let lines: Vec<&str> = output.lines().collect();
    let tail: String = lines[lines.len().saturating_sub(20)..]
        .iter()
        .map(|l| format!("{l}\n"))
        .collect();
    if !success && pm == PackageManager::Pnpm && output.contains("ERR_PNPM_IGNORED_BUILDS") {
        let w = Warning {
            code: WarningCode::PnpmIgnoredBuilds,
            message: "pnpm skipped the build scripts of some dependencies (ERR_PNPM_IGNORED_BUILDS); the install itself is complete: run `pnpm approve-builds` to allow them".to_string(),
        };
        let r = InstallResult {
            command,
            ok: true,
            output_tail: tail,
        };
        return (r, Some(w));
    }
    let r = InstallResult {
        command,
        ok: success,
        output_tail: tail,
    };
    (r, None)
}

/// The `merge_conflict` error of a conflicting plan, pointing at the first
/// conflict as the file is after the run (`written`: markers were written).
pub fn conflict_error(plan: &Plan, written: bool) -> Error {
    let f = plan
        .files
        .iter()
        .find(|f| f.action == FileAction::Conflict)
        .expect("a conflict plan has a conflicting file");
    let mut e = Error::new(
        Code::MergeConflict,
        format!(
            "upgrading `{}` to version {} conflicts with your edits in {} place(s)",
            f.display,
            plan.pick.version,
            f.conflicts.len()
        ),
    )
    .file(f.display.clone());
    // The same line the report shows: the first marker in the written file,
    // else the user's line.
    if let Some(line) = f.conflict_lines(written).first().copied() {
        e = e.at(line, 1);
    }
    if written {
        e.hint("the file now holds diff3 conflict markers: resolve them, then run flue again")
    } else {
        e.hint("resolve by hand, or pass `--on-conflict markers` to write conflict markers, or `--on-conflict overwrite --yes` to take the new version; nothing was written")
    }
}

/// Why a change needs a confirmation, so nothing is written without `--yes`.
fn confirmation_reason(plan: &Plan, settings: &Settings) -> String {
    let Some(f) = plan
        .files
        .iter()
        .find(|f| f.writes() && f.needs_confirmation)
    else {
        return match settings.workspace {
            true => "a `--workspace` run writes its packages' changes after one confirmation for them all".to_string(),
            false => "it needs a confirmation".to_string(),
        };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::testing::{project, render, request};
    use crate::plan::{self, Options};

    fn plan_with(cmd: Command, on_conflict: OnConflict, content: Option<String>) -> Plan {
        let opts = Options {
            command: cmd,
            force: false,
            on_conflict,
            install: false,
        };
        plan::plan(&project("2.1.0", content), &request(), &opts).unwrap()
    }

    /// A new file: no confirmation needed.
    fn fresh() -> Plan {
        plan_with(Command::Add, OnConflict::Abort, None)
    }

    /// Version 1 to 2 without edits: rewrites the user's file.
    fn upgrade() -> Plan {
        plan_with(Command::Add, OnConflict::Abort, Some(render(1)))
    }

    /// Version 1 edited on a line version 2 changes.
    fn conflict(on_conflict: OnConflict) -> Plan {
        let ours = render(1).replace(
            "class MirageSandboxApi implements SandboxApi {",
            "class MirageSandboxApi implements SandboxApi { // mine",
        );
        plan_with(Command::Update, on_conflict, Some(ours))
    }

    fn settings() -> Settings {
        Settings::default()
    }

    fn commands(d: &Decision) -> Vec<&str> {
        d.next_actions.iter().map(|a| a.command.as_str()).collect()
    }

    #[test]
    fn a_new_file_is_written_without_a_confirmation() {
        let d = decide(&fresh(), &settings(), Answer::NotAsked);
        assert!(d.apply && d.held_back.is_none() && !d.install);
        assert_eq!((d.exit_code, d.error), (0, None));
        assert!(d.next_actions.is_empty());
        assert!(!must_ask(
            [&fresh()],
            &Settings {
                interactive: true,
                ..settings()
            }
        ));
    }

    #[test]
    fn an_upgrade_without_yes_or_a_terminal_is_held_back() {
        let d = decide(&upgrade(), &settings(), Answer::NotAsked);
        assert!(!d.apply && !d.declined && !d.prompted);
        assert!(
            d.held_back
                .as_deref()
                .unwrap()
                .starts_with("upgrading `src/sandboxes/mirage.ts`")
        );
        assert_eq!(d.exit_code, 3);
        assert_eq!(commands(&d), ["flue add sandbox mirage --yes"]);
    }

    #[test]
    fn yes_applies_an_upgrade() {
        let s = Settings {
            yes: true,
            interactive: true,
            ..settings()
        };
        assert!(!must_ask([&upgrade()], &s));
        let d = decide(&upgrade(), &s, Answer::NotAsked);
        assert!(d.apply && d.held_back.is_none());
        assert_eq!(d.exit_code, 0);
        assert!(d.next_actions.is_empty());
    }

    #[test]
    fn on_a_terminal_the_answer_decides() {
        let s = Settings {
            interactive: true,
            ..settings()
        };
        assert!(must_ask([&upgrade()], &s));
        let yes = decide(&upgrade(), &s, Answer::Yes);
        assert!(yes.apply && yes.prompted && yes.exit_code == 0);
        let no = decide(&upgrade(), &s, Answer::No);
        assert!(!no.apply && no.declined && no.prompted && no.held_back.is_some());
        assert_eq!(no.exit_code, 3);
        assert!(
            no.next_actions.is_empty(),
            "a declined change suggests nothing"
        );
    }

    #[test]
    fn a_workspace_run_needs_one_confirmation_even_for_new_files() {
        let s = Settings {
            workspace: true,
            ..settings()
        };
        let d = decide(&fresh(), &s, Answer::NotAsked);
        assert!(!d.apply);
        assert!(d.held_back.as_deref().unwrap().contains("`--workspace`"));
        assert_eq!(d.exit_code, 3);
        assert_eq!(commands(&d), ["flue add sandbox mirage --workspace --yes"]);
        let interactive = Settings {
            interactive: true,
            ..s.clone()
        };
        assert!(must_ask([&fresh()], &interactive));
        assert!(decide(&fresh(), &interactive, Answer::Yes).apply);
        assert!(decide(&fresh(), &Settings { yes: true, ..s }, Answer::NotAsked).apply);
    }

    #[test]
    fn a_dry_run_or_diff_writes_nothing_and_exits_3_when_something_would_change() {
        let s = Settings {
            dry_run: true,
            interactive: true,
            ..settings()
        };
        assert!(!must_ask([&upgrade()], &s));
        let d = decide(&upgrade(), &s, Answer::NotAsked);
        assert!(d.dry_run && !d.apply && d.held_back.is_none());
        assert_eq!(d.exit_code, 3);
        assert_eq!(d.next_actions[0].why, "apply the change this dry run shows");
        let diff = plan_with(Command::Diff, OnConflict::Abort, Some(render(1)));
        let d = decide(&diff, &settings(), Answer::NotAsked);
        assert!(d.dry_run && d.exit_code == 3);
        assert_eq!(commands(&d), ["flue add sandbox mirage --yes"]);
        assert_eq!(d.next_actions[0].why, "apply the change this diff shows");
        assert!(writes_nothing(Command::Diff, &settings()));
        assert!(!writes_nothing(Command::Add, &settings()));
    }

    #[test]
    fn nothing_to_do_exits_0() {
        let current = plan_with(Command::Add, OnConflict::Abort, Some(render(2)));
        for s in [
            settings(),
            Settings {
                dry_run: true,
                ..settings()
            },
        ] {
            let d = decide(&current, &s, Answer::NotAsked);
            assert!(!d.apply && d.held_back.is_none());
            assert_eq!((d.exit_code, d.next_actions.len()), (0, 0));
        }
    }

    #[test]
    fn a_conflict_is_exit_4_with_the_ways_out() {
        let d = decide(&conflict(OnConflict::Abort), &settings(), Answer::NotAsked);
        assert!(!d.apply && d.held_back.is_none());
        assert_eq!(d.exit_code, 4);
        assert_eq!(d.error.as_ref().unwrap().code.as_str(), "merge_conflict");
        assert_eq!(
            commands(&d),
            [
                "flue update sandbox mirage --on-conflict markers --yes",
                "flue update sandbox mirage --on-conflict overwrite --yes"
            ]
        );
        // A dry run with markers only shows them.
        let dry = Settings {
            dry_run: true,
            on_conflict: OnConflict::Markers,
            ..settings()
        };
        let d = decide(&conflict(OnConflict::Markers), &dry, Answer::NotAsked);
        assert!(!d.apply && d.exit_code == 4 && d.error.is_some());
    }

    #[test]
    fn markers_without_yes_are_held_back_and_still_a_conflict() {
        for workspace in [false, true] {
            let s = Settings {
                on_conflict: OnConflict::Markers,
                workspace,
                ..settings()
            };
            let d = decide(&conflict(OnConflict::Markers), &s, Answer::NotAsked);
            assert!(!d.apply && d.held_back.is_some());
            assert_eq!(d.exit_code, 4, "4 wins over 3");
            let flags = if workspace { " --workspace" } else { "" };
            let markers = format!("flue update sandbox mirage{flags} --on-conflict markers --yes");
            assert_eq!(commands(&d), [markers.as_str()]);
            let hint = d.error.unwrap().hint.unwrap();
            assert!(hint.contains("pass `--yes` with `--on-conflict markers`"));
        }
    }

    #[test]
    fn markers_with_yes_are_written_and_the_run_ends_in_a_conflict() {
        let s = Settings {
            on_conflict: OnConflict::Markers,
            yes: true,
            ..settings()
        };
        let plan = conflict(OnConflict::Markers);
        let d = decide(&plan, &s, Answer::NotAsked).wrote(Ok(()));
        assert!(d.apply && d.applied);
        assert_eq!(d.exit_code, 4);
        let e = d.error.unwrap();
        assert!(e.hint.unwrap().contains("now holds diff3 conflict markers"));
        // The line of the `<<<<<<<` marker in the written file.
        let after = plan.files[0].after.as_deref().unwrap();
        let marker = after
            .lines()
            .position(|l| l.starts_with("<<<<<<<"))
            .unwrap()
            + 1;
        assert_eq!(e.line, Some(marker));
    }

    #[test]
    fn a_failed_write_is_the_error_and_nothing_is_installed() {
        let s = Settings {
            install: true,
            ..settings()
        };
        let d = decide(&fresh(), &s, Answer::NotAsked);
        assert!(d.apply && d.install);
        let d = d.wrote(Err(Error::new(Code::WriteFailed, "cannot write")));
        assert!(!d.applied && !d.install);
        assert_eq!(d.exit_code, 1);
        assert_eq!(d.error.unwrap().code.as_str(), "write_failed");
    }

    #[test]
    fn install_runs_even_when_nothing_had_to_be_written() {
        let current = plan_with(Command::Add, OnConflict::Abort, Some(render(2)));
        let d = decide(
            &current,
            &Settings {
                install: true,
                ..settings()
            },
            Answer::NotAsked,
        );
        assert!(!d.apply && d.install);
        let ok = InstallRun::Exited {
            success: true,
            output: "added 3 packages\n".into(),
        };
        let d = d.wrote(Ok(())).installed(PackageManager::Npm, ok);
        assert_eq!((d.exit_code, d.error), (0, None));
        assert!(d.install_result.unwrap().ok);
    }

    #[test]
    fn a_failed_install_is_exit_1_and_says_what_was_written() {
        let d = decide(&fresh(), &settings(), Answer::NotAsked).wrote(Ok(()));
        let failed = InstallRun::Exited {
            success: false,
            output: "npm ERR! 404\n".into(),
        };
        let d = d.installed(PackageManager::Npm, failed);
        assert_eq!(d.exit_code, 1);
        let e = d.error.unwrap();
        assert_eq!(e.code.as_str(), "install_failed");
        assert_eq!(e.message, "`npm install` failed; the files were written");
        assert_eq!(d.install_result.unwrap().output_tail, "npm ERR! 404\n");
        let not_started = Decision::default().installed(
            PackageManager::Pnpm,
            InstallRun::NotStarted("not found".into()),
        );
        let r = not_started.install_result.unwrap();
        assert_eq!(
            (r.ok, r.output_tail.as_str()),
            (false, "cannot run `pnpm`: not found\n")
        );
        assert!(
            not_started
                .error
                .unwrap()
                .message
                .ends_with("nothing else changed")
        );
    }

    #[test]
    fn pnpm_skipping_build_scripts_is_a_warning_not_a_failure() {
        let run = InstallRun::Exited {
            success: false,
            output: "ERR_PNPM_IGNORED_BUILDS  Ignored build scripts: protobufjs\n".into(),
        };
        let d = Decision::default().installed(PackageManager::Pnpm, run.clone());
        assert_eq!((d.exit_code, d.error.is_none()), (0, true));
        assert_eq!(d.warnings[0].code.as_str(), "pnpm_ignored_builds");
        // Only pnpm's code means that.
        let d = Decision::default().installed(PackageManager::Npm, run);
        assert_eq!(d.exit_code, 1);
    }

    #[test]
    fn the_install_output_keeps_its_last_20_lines() {
        let output: String = (1..=30).map(|i| format!("line {i}\n")).collect();
        let run = InstallRun::Exited {
            success: true,
            output,
        };
        let (r, _) = install_result(PackageManager::Npm, run);
        assert_eq!(r.output_tail.lines().count(), 20);
        assert!(r.output_tail.starts_with("line 11\n") && r.output_tail.ends_with("line 30\n"));
    }

    #[test]
    fn severity_order() {
        assert_eq!([0, 3, 1, 4, 0].into_iter().fold(0, most_severe), 4);
        assert_eq!([0, 3, 1, 0].into_iter().fold(0, most_severe), 1);
        assert_eq!([0, 3, 0].into_iter().fold(0, most_severe), 3);
        assert_eq!([0, 0].into_iter().fold(0, most_severe), 0);
    }

    #[test]
    fn a_workspace_run_ends_with_its_most_severe_package() {
        let req = request();
        assert_eq!(workspace_end(Command::Add, &req, [0, 3, 4, 1]), (4, None));
        assert_eq!(workspace_end(Command::Add, &req, []), (0, None));
        assert_eq!(workspace_end(Command::Update, &req, [3]), (3, None));
        let (exit, e) = workspace_end(Command::Update, &req, []);
        assert_eq!((exit, e.unwrap().code.as_str()), (1, "not_installed"));
    }

    #[test]
    fn next_actions_carry_the_flags_that_decide_the_result() {
        let s = Settings {
            cwd: "/tmp/my app".into(),
            cwd_given: true,
            overrides: vec!["--target node".into()],
            force: true,
            ..settings()
        };
        let mut plan = upgrade();
        plan.pinned = Some(2);
        let d = decide(&plan, &s, Answer::NotAsked);
        assert_eq!(
            commands(&d),
            ["flue add sandbox mirage@2 --cwd '/tmp/my app' --target node --force --yes"]
        );
    }
}
