//! Which blueprint version a project gets (SPEC §6): the pinned one, else
//! the newest its runtime supports, judged from the installed version, then
//! the locked one, then the declared range; the newest with a warning when
//! none answers.

use crate::error::WarningCode;
use nodejs_semver::{Range, Version as SemVer};

use crate::blueprint::{Blueprint, Version};
use crate::project::{Project, RuntimeInfo, Warning};

/// The version chosen, why, and the warnings the choice gives.
pub type Choice = (&'static Version, String, Vec<Warning>);

/// The version of the blueprint the project's runtime supports.
pub fn choose_version(bp: &Blueprint, project: &Project, pinned: Option<u32>) -> Choice {
    let rt = &project.runtime;
    if let Some(p) = pinned {
        return pinned_version(bp, rt, p);
    }
    let pkg = bp.runtime_package;
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
            let supports = |v: &Version| SemVer::parse(v.min_runtime).is_ok_and(|min| have >= min);
            return newest(bp, ver, why, supports);
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
            format!(
                "`{pkg}` is declared as `{range}` in `{src}` ({} could not be read)",
                quoted(&rt.unreadable)
            )
        };
        return newest(bp, range, why, fits);
    }
    unknown_runtime(bp, rt)
}

/// A pinned version, with a warning when the runtime is known to be too old for it.
fn pinned_version(bp: &Blueprint, rt: &RuntimeInfo, p: u32) -> Choice {
    let v = bp
        .version(p)
        .expect("pins are checked when the request is resolved");
    let mut warnings = Vec::new();
    if let Some(have) = known_runtime(rt)
        && !runtime_allows(&have, v.min_runtime)
    {
        warnings.push(Warning {
            code: WarningCode::RuntimeTooOld,
            message: format!(
                "version {p} is pinned, but it needs `{}` {} or newer and the project has `{have}`; the generated file will not compile until the runtime is upgraded",
                bp.runtime_package, v.min_runtime
            ),
        });
    }
    (v, format!("pinned to version {p}"), warnings)
}

/// The newest version `supports` admits, for a runtime `have` (a version or
/// a range); the oldest, with a warning, when none does.
fn newest(bp: &Blueprint, have: &str, why: String, supports: impl Fn(&Version) -> bool) -> Choice {
    match bp.versions.iter().rev().find(|v| supports(v)) {
        Some(v) => (v, format!("{why}{}", why_not_newer(bp, v)), Vec::new()),
        None => {
            let oldest = &bp.versions[0];
            let warning = Warning {
                code: WarningCode::RuntimeTooOld,
                message: format!(
                    "`{}` {have} is older than this blueprint supports (it needs {} or newer); the generated file may not compile",
                    bp.runtime_package, oldest.min_runtime
                ),
            };
            let why = format!("{why}, older than any version supports");
            (oldest, why, vec![warning])
        }
    }
}

/// Nothing says which runtime the project has: the newest version, with a warning.
fn unknown_runtime(bp: &Blueprint, rt: &RuntimeInfo) -> Choice {
    let pkg = bp.runtime_package;
    let latest = bp.latest();
    let what = match &rt.unresolved {
        Some(spec) => {
            format!("`{pkg}` is declared as `{spec}`, which flue cannot turn into a version")
        }
        None if !rt.unreadable.is_empty() => format!(
            "`{pkg}` is not declared, and {} could not be read",
            quoted(&rt.unreadable)
        ),
        None => format!("`{pkg}` is not installed, locked or declared"),
    };
    let warning = Warning {
        code: WarningCode::RuntimeVersionUnknown,
        message: format!(
            "{what}; rendering the newest version ({}), which needs `{pkg}` {} or newer",
            latest.number, latest.min_runtime
        ),
    };
    (latest, format!("{what}: newest version"), vec![warning])
}

/// `` `a` and `b` ``.
fn quoted(files: &[String]) -> String {
    let files: Vec<String> = files.iter().map(|f| format!("`{f}`")).collect();
    files.join(" and ")
}

/// What the project has of the runtime, as a version or a range, in the
/// order that decides (installed, locked, declared).
fn known_runtime(rt: &RuntimeInfo) -> Option<String> {
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
