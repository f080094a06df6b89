//! The plan's `package.json` edit (SPEC §5): the dependencies a blueprint
//! version adds for the project's target, each added, left as the user
//! wrote it, or raised from a range an older version added; warnings for
//! the other target's packages and for a project without the runtime.

use super::{DepAction, DepChange, FileAction, FileChange};
use crate::blueprint::{Blueprint, Version};
use crate::error::{Result, WarningCode};
use crate::project::manifest::{DepOutcome, DepRequest};
use crate::project::{self, Project, Warning};

/// The dependency changes, the edited `package.json` when it changes, and
/// the warnings.
pub(super) struct Planned {
    pub deps: Vec<DepChange>,
    pub manifest: Option<FileChange>,
    pub warnings: Vec<Warning>,
}

/// Plans the dependencies of `version` of `bp`.
pub(super) fn plan_deps(project: &Project, bp: &Blueprint, version: &Version) -> Result<Planned> {
    let target = project.target.name;
    let requests: Vec<DepRequest> = version
        .deps
        .iter()
        .filter(|d| d.applies_to(target))
        .map(|d| DepRequest {
            name: d.name.to_string(),
            range: d.range.to_string(),
            // Ranges older versions added, which this one may raise.
            replaceable: bp
                .versions
                .iter()
                .filter(|v| v.number < version.number)
                .flat_map(|v| v.deps.iter())
                .filter(|o| o.name == d.name && o.range != d.range)
                .map(|o| o.range.to_string())
                .collect(),
            section: d.section,
        })
        .collect();
    let (manifest_after, outcomes) = project
        .manifest
        .add_dependencies(&requests)
        .map_err(|e| project::manifest_error(&project.manifest_file.display, e))?;
    let mut warnings = Vec::new();
    let mut deps = Vec::new();
    for (req, outcome) in requests.iter().zip(outcomes) {
        let (action, section, existing) = match outcome {
            DepOutcome::Added { section } => (DepAction::Added, section, None),
            DepOutcome::AlreadyPresent { section, range } => {
                (DepAction::AlreadyPresent, section, Some(range))
            }
            DepOutcome::Raised { section, from } => (DepAction::Raised, section, Some(from)),
        };
        let caveat = version
            .deps
            .iter()
            .find(|d| d.name == req.name)
            .and_then(|d| d.caveat);
        if action == DepAction::Added
            && let Some(c) = caveat
        {
            warnings.push(Warning {
                code: WarningCode::UnpublishedDependency,
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
    other_target(project, version, &mut deps, &mut warnings);
    if project.manifest.dependency(bp.runtime_package).is_none() {
        warnings.push(Warning {
            code: WarningCode::NotAFlueProject,
            message: format!(
                "`{}` is not a dependency in `{}`: this does not look like a Flue project",
                bp.runtime_package, project.manifest_file.display
            ),
        });
    }
    Ok(Planned {
        deps,
        manifest: manifest_change(project, manifest_after),
        warnings,
    })
}

/// The other target's packages the project already has: reported, removed never.
fn other_target(
    project: &Project,
    version: &Version,
    deps: &mut Vec<DepChange>,
    warnings: &mut Vec<Warning>,
) {
    let target = project.target.name;
    for d in version.deps.iter().filter(|d| !d.applies_to(target)) {
        let Some(e) = project.manifest.dependency(d.name) else {
            continue;
        };
        let targets: Vec<&str> = d.targets.iter().map(|t| t.as_str()).collect();
        warnings.push(Warning {
            code: WarningCode::OtherTargetDependency,
            message: format!(
                "`{}` (for {}) is in `{}`, but this project's target is {}; flue removes nothing",
                d.name,
                targets.join("/"),
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

/// `package.json`'s change, when its text changes.
fn manifest_change(project: &Project, after: String) -> Option<FileChange> {
    let file = &project.manifest_file;
    if file.content.as_deref() == Some(after.as_str()) {
        return None;
    }
    Some(FileChange {
        path: file.path.clone(),
        display: file.display.clone(),
        action: FileAction::Update,
        from_version: None,
        to_version: None,
        before: file.content.clone(),
        after: Some(after),
        note: file
            .via_symlink
            .then(|| format!("edited through its symlink: `{}`", file.path.display())),
        conflicts: Vec::new(),
        discarded: Vec::new(),
        needs_confirmation: false,
    })
}
