//! The commands a run suggests (the `next_actions` of the JSON report and
//! the first of the human "Next steps"): apply a held-back or dry-run
//! change, or resolve a conflict. Pure: reads the decision, the plan and
//! the settings.

use super::{Decision, NextAction, needs_consent};
use crate::cli::Settings;
use crate::plan::{Command, FileAction, OnConflict, Outcome, Plan};

/// The suggested commands, in the order to try them; for a conflict they are
/// alternatives (the `why` of each says what it does). None when the
/// decision applies the change: writing it is the step.
pub(super) fn actions(d: &Decision, plan: &Plan, settings: &Settings) -> Vec<NextAction> {
    let conflicted = plan.outcome == Outcome::Conflict;
    let needs_yes = needs_consent(plan, settings);
    let verb = match plan.command {
        Command::Update => "update",
        // `add` converges an install to the chosen version, so it applies a diff too.
        Command::Add | Command::Diff => "add",
    };
    let cmd = |extra: &[&str]| rerun(verb, plan, settings, extra);
    let file = plan
        .files
        .iter()
        .find(|f| f.action == FileAction::Conflict)
        .unwrap_or(&plan.files[0]);
    if d.declined || d.apply {
        return Vec::new();
    }
    if conflicted {
        let markers = NextAction {
            command: cmd(&["--on-conflict", "markers", "--yes"]),
            why: format!(
                "write diff3 conflict markers into `{}` and resolve them by hand",
                file.display
            ),
        };
        if d.held_back.is_some() {
            return vec![markers];
        }
        return vec![
            markers,
            NextAction {
                command: cmd(&["--on-conflict", "overwrite", "--yes"]),
                why: format!(
                    "replace `{}` with the version {} render, discarding your conflicting lines",
                    file.display, plan.pick.version
                ),
            },
        ];
    }
    if !plan.has_changes() || d.error.is_some() {
        return Vec::new();
    }
    // The choice that made this plan; in a workspace run also the one the
    // other packages' plans were made with.
    let conflict_flag: &[&str] = match settings.on_conflict {
        OnConflict::Overwrite => &["--on-conflict", "overwrite"],
        OnConflict::Markers if settings.workspace => &["--on-conflict", "markers"],
        _ => &[],
    };
    let yes: &[&str] = if needs_yes { &["--yes"] } else { &[] };
    let extra: Vec<&str> = conflict_flag.iter().chain(yes).copied().collect();
    if let Some(why) = &d.held_back {
        return vec![NextAction {
            command: cmd(&extra),
            why: format!("apply the change ({why})"),
        }];
    }
    if d.dry_run {
        let why = if plan.command == Command::Diff {
            "apply the change this diff shows"
        } else {
            "apply the change this dry run shows"
        };
        return vec![NextAction {
            command: cmd(&extra),
            why: why.to_string(),
        }];
    }
    Vec::new()
}

/// `flue <verb> <kind> <name>[@N]` with the flags that decide the result
/// (a workspace run is run again on the whole workspace: it asks one
/// confirmation for all its packages).
fn rerun(verb: &str, plan: &Plan, settings: &Settings, extra: &[&str]) -> String {
    let mut words = vec![
        "flue".to_string(),
        verb.to_string(),
        plan.pick.kind.to_string(),
        match plan.pinned {
            Some(n) => format!("{}@{n}", plan.pick.name),
            None => plan.pick.name.to_string(),
        },
    ];
    if settings.cwd_given {
        words.push("--cwd".into());
        words.push(shell_quote(&settings.cwd.to_string_lossy()));
    }
    words.extend(settings.overrides.iter().cloned());
    if settings.workspace {
        words.push("--workspace".into());
    }
    if settings.force {
        words.push("--force".into());
    }
    if settings.install {
        words.push("--install".into());
    }
    words.extend(extra.iter().map(|s| s.to_string()));
    words.join(" ")
}

/// A word as a POSIX shell reads it back.
fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:@=,".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::shell_quote;

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("/tmp/app"), "/tmp/app");
        assert_eq!(shell_quote("/tmp/my app"), "'/tmp/my app'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
