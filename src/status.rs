//! `flue status`: from a detected project and the file at each blueprint's
//! output path to one state per installed blueprint. Pure: no I/O, no
//! printing. "Edited" is `plan::is_edited`, the same test `add` and `update`
//! use; the version the runtime calls for is `plan::choose_version`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::Serialize;

use crate::blueprint::Blueprint;
use crate::blueprint::format::CanonicalForm;
use crate::blueprint::marker::{self, Found};
use crate::error::{Result, WarningCode};
use crate::merge;
use crate::plan;
use crate::project::{FileState, Project, Warning};

/// The state of one installed blueprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// The file is the render of the version the runtime calls for.
    Current,
    /// The runtime calls for a newer version than the file's.
    UpgradeAvailable,
    /// Same version, changed by the user beyond formatting.
    Edited,
    /// The file still holds merge conflict markers.
    Conflict,
    /// Same version, a known non-flue body (upstream's guide) under flue's marker.
    Variant,
    /// The file is newer than the project's runtime supports.
    RuntimeTooOld,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Current => "current",
            State::UpgradeAvailable => "upgrade-available",
            State::Edited => "edited",
            State::Conflict => "conflict",
            State::Variant => "variant",
            State::RuntimeTooOld => "runtime-too-old",
        }
    }
}

/// One installed blueprint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub kind: &'static str,
    pub name: &'static str,
    /// The file, relative to the project root.
    pub path: String,
    /// The version in the file's marker.
    pub version: u32,
    /// The version the project's runtime calls for now.
    pub wanted: u32,
    /// Why that version.
    pub reason: String,
    pub state: State,
    /// The file differs from its version's render beyond formatting.
    pub edited: bool,
    /// Where the known non-flue body comes from, when the file follows one.
    pub variant: Option<&'static str>,
    /// First line of conflict markers, for `conflict`.
    pub conflict_line: Option<usize>,
}

/// The status of one package.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PackageStatus {
    pub installed: Vec<Entry>,
    pub warnings: Vec<Warning>,
}

impl PackageStatus {
    /// The `--check` exit code: 4 for a conflict, else 3 for a pending upgrade, else 0.
    pub fn check_code(&self) -> i32 {
        let has = |s: State| self.installed.iter().any(|e| e.state == s);
        if has(State::Conflict) {
            4
        } else if has(State::UpgradeAvailable) {
            3
        } else {
            0
        }
    }
}

/// What [`status`] computes from text alone, remembered across the packages
/// of a run (safe to share between threads): each blueprint version is
/// rendered once per style, and a file that differs from its render is
/// compared with it (two dprint passes for "edited beyond formatting", and
/// the known variants) once per distinct file and render. Answers are the
/// same as computing them afresh.
#[derive(Debug, Default)]
pub struct Memo {
    renders: Mutex<Vec<Rendered>>,
    /// By (file as compared, render).
    compared: Mutex<HashMap<(String, Arc<str>), Compared>>,
}

/// One blueprint version rendered in one style.
#[derive(Debug)]
struct Rendered {
    kind: &'static str,
    name: &'static str,
    version: u32,
    style: crate::project::style::Style,
    text: Arc<str>,
    /// Its canonical form, for "edited beyond formatting".
    form: Arc<CanonicalForm>,
}

/// What comparing a file with its render found: whether it is edited, and
/// the known variant it follows more closely.
type Compared = (bool, Option<&'static str>);

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Memo {
    fn render(
        &self,
        bp: &'static Blueprint,
        version: u32,
        made: fn() -> String,
        project: &Project,
        display: &str,
    ) -> Result<(Arc<str>, Arc<CanonicalForm>)> {
        let style = &project.style.style;
        let hit = lock(&self.renders)
            .iter()
            .find(|r| {
                (r.kind, r.name, r.version) == (bp.kind, bp.name, version) && r.style == *style
            })
            .map(|r| (r.text.clone(), r.form.clone()));
        if let Some(hit) = hit {
            return Ok(hit);
        }
        // A render that cannot be formatted is an error naming this file: not remembered.
        let render: Arc<str> = plan::render_styled(made, style, display)?.into();
        let form = Arc::new(CanonicalForm::default());
        lock(&self.renders).push(Rendered {
            kind: bp.kind,
            name: bp.name,
            version,
            style: style.clone(),
            text: render.clone(),
            form: form.clone(),
        });
        Ok((render, form))
    }

    /// Whether `ours` is edited against `render`, and the closer variant when it is.
    fn compare(
        &self,
        bp: &Blueprint,
        version: u32,
        ours: &str,
        (render, form): &(Arc<str>, Arc<CanonicalForm>),
    ) -> Compared {
        let compute = || {
            let edited = plan::is_edited_to(ours, render, form);
            let variant = if edited {
                plan::variant_followed(bp, version, ours, render).map(|v| v.origin)
            } else {
                None
            };
            (edited, variant)
        };
        // A file that is its render is settled without dprint: nothing to remember.
        if ours == &**render {
            return compute();
        }
        let key = (ours.to_string(), render.clone());
        if let Some(hit) = lock(&self.compared).get(&key) {
            return *hit;
        }
        let found = compute();
        lock(&self.compared).insert(key, found);
        found
    }
}

/// The status of every blueprint in `outputs` (each with the file at its output path).
pub fn status(
    project: &Project,
    outputs: &[(&'static Blueprint, FileState)],
) -> Result<PackageStatus> {
    status_with(project, outputs, &Memo::default())
}

/// [`status`], remembering in `memo` what other packages of the run can reuse.
pub fn status_with(
    project: &Project,
    outputs: &[(&'static Blueprint, FileState)],
    memo: &Memo,
) -> Result<PackageStatus> {
    let mut out = PackageStatus {
        installed: Vec::new(),
        warnings: Vec::new(),
    };
    for (bp, file) in outputs {
        let Some(text) = &file.content else { continue };
        let warn = |code: WarningCode, message: String| Warning { code, message };
        let m = match marker::read(text) {
            Found::Marker(m) if m.kind == bp.kind && m.name == bp.name => m,
            Found::Marker(m) => {
                out.warnings.push(warn(
                    WarningCode::OtherBlueprint,
                    format!(
                        "`{}` is where `{}` goes, but it was made by `{}/{}`",
                        file.display,
                        bp.id(),
                        m.kind,
                        m.name
                    ),
                ));
                continue;
            }
            _ => {
                out.warnings.push(warn(WarningCode::UnmarkedFile, format!("`{}` is where `{}` goes, but it has no flue marker, so it is not counted as installed", file.display, bp.id())));
                continue;
            }
        };
        let Some(made) = bp.version(m.version) else {
            out.warnings.push(warn(WarningCode::NewerBlueprint, format!("`{}` names version {} of `{}`, which this flue does not carry (made by a newer flue?)", file.display, m.version, bp.id())));
            continue;
        };
        let (wanted, reason, warnings) = plan::choose_version(bp, project, None);
        for w in warnings {
            if !out.warnings.contains(&w) {
                out.warnings.push(w);
            }
        }
        let ours = plan::comparable(text);
        let render = memo.render(bp, m.version, made.render, project, &file.display)?;
        let (edited, variant) = memo.compare(bp, m.version, &ours, &render);
        let conflict_line = merge::has_conflict_markers(text);
        let state = if conflict_line.is_some() {
            State::Conflict
        } else if wanted.number < m.version {
            State::RuntimeTooOld
        } else if wanted.number > m.version {
            State::UpgradeAvailable
        } else if variant.is_some() {
            State::Variant
        } else if edited {
            State::Edited
        } else {
            State::Current
        };
        out.installed.push(Entry {
            kind: bp.kind,
            name: bp.name,
            path: file.display.clone(),
            version: m.version,
            wanted: wanted.number,
            reason,
            state,
            edited,
            variant,
            conflict_line,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::testing::{self, mirage, output, render};

    fn project(runtime: &str) -> Project {
        testing::project(runtime, None)
    }

    fn state_of(runtime: &str, text: Option<String>) -> Vec<State> {
        let bp = mirage();
        status(&project(runtime), &[(bp, output(text))])
            .unwrap()
            .installed
            .iter()
            .map(|e| e.state)
            .collect()
    }

    #[test]
    fn each_state() {
        assert_eq!(state_of("2.1.0", None), []);
        assert_eq!(state_of("2.1.0", Some(render(2))), [State::Current]);
        assert_eq!(
            state_of("2.1.0", Some(render(2).replace("\n", "\r\n"))),
            [State::Current]
        );
        assert_eq!(
            state_of("2.1.0", Some(render(1))),
            [State::UpgradeAvailable]
        );
        assert_eq!(state_of("2.0.1", Some(render(1))), [State::Current]);
        assert_eq!(state_of("2.0.1", Some(render(2))), [State::RuntimeTooOld]);
        assert_eq!(
            state_of("2.1.0", Some(render(2) + "// mine\n")),
            [State::Edited]
        );
        let conflicted = render(2) + "<<<<<<< yours\na\n=======\nb\n>>>>>>> new\n";
        assert_eq!(state_of("2.1.0", Some(conflicted)), [State::Conflict]);
        let variant = (mirage().variants[0].render)();
        assert_eq!(state_of("2.0.1", Some(variant.clone())), [State::Variant]);
        assert_eq!(state_of("2.1.0", Some(variant)), [State::UpgradeAvailable]);
    }

    #[test]
    fn a_memo_gives_the_answers_computing_afresh_gives() {
        let bp = mirage();
        let edited = render(2) + "// mine\n";
        let variant = (mirage().variants[0].render)();
        let texts = [
            render(2),
            edited.clone(),
            render(1),
            variant.clone(),
            edited,
            render(2).replace('\n', "\r\n"),
            variant,
        ];
        let memo = Memo::default();
        for runtime in ["2.1.0", "2.0.1", "2.1.0"] {
            for text in &texts {
                let file = output(Some(text.clone()));
                let outputs = [(bp, file)];
                let fresh = status(&project(runtime), &outputs).unwrap();
                let remembered = status_with(&project(runtime), &outputs, &memo).unwrap();
                assert_eq!(remembered, fresh);
            }
        }
    }

    #[test]
    fn unmarked_and_foreign_files_are_not_installed_but_warned() {
        let bp = mirage();
        for text in ["export {};\n", "// flue-blueprint: sandbox/other@1\n"] {
            let s = status(&project("2.1.0"), &[(bp, output(Some(text.into())))]).unwrap();
            assert!(s.installed.is_empty());
            assert_eq!(s.warnings.len(), 1);
        }
    }

    #[test]
    fn check_codes() {
        let mk = |states: &[State]| PackageStatus {
            installed: states
                .iter()
                .map(|s| Entry {
                    kind: "k",
                    name: "n",
                    path: "p".into(),
                    version: 1,
                    wanted: 1,
                    reason: String::new(),
                    state: *s,
                    edited: false,
                    variant: None,
                    conflict_line: None,
                })
                .collect(),
            warnings: vec![],
        };
        assert_eq!(mk(&[]).check_code(), 0);
        assert_eq!(
            mk(&[State::Edited, State::Variant, State::RuntimeTooOld]).check_code(),
            0
        );
        assert_eq!(
            mk(&[State::UpgradeAvailable, State::Current]).check_code(),
            3
        );
        assert_eq!(
            mk(&[State::UpgradeAvailable, State::Conflict]).check_code(),
            4
        );
    }
}
