//! `flue status`: from a detected project and the file at each blueprint's
//! output path to one state per installed blueprint. Pure: no I/O, no
//! printing. "Edited" is `plan::is_edited`, the same test `add` and `update`
//! use; the version the runtime calls for is `plan::choose_version`.

use serde::Serialize;

use crate::blueprint::Blueprint;
use crate::blueprint::marker::{self, Found};
use crate::error::Result;
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

/// The status of every blueprint in `outputs` (each with the file at its output path).
pub fn status(
    project: &Project,
    outputs: &[(&'static Blueprint, FileState)],
) -> Result<PackageStatus> {
    let mut out = PackageStatus {
        installed: Vec::new(),
        warnings: Vec::new(),
    };
    for (bp, file) in outputs {
        let Some(text) = &file.content else { continue };
        let warn = |code: &'static str, message: String| Warning { code, message };
        let m = match marker::read(text) {
            Found::Marker(m) if m.kind == bp.kind && m.name == bp.name => m,
            Found::Marker(m) => {
                out.warnings.push(warn(
                    "other_blueprint",
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
                out.warnings.push(warn("unmarked_file", format!("`{}` is where `{}` goes, but it has no flue marker, so it is not counted as installed", file.display, bp.id())));
                continue;
            }
        };
        let Some(made) = bp.version(m.version) else {
            out.warnings.push(warn("newer_blueprint", format!("`{}` names version {} of `{}`, which this flue does not carry (made by a newer flue?)", file.display, m.version, bp.id())));
            continue;
        };
        let (wanted, reason, warnings) = plan::choose_version(bp, project, None);
        for w in warnings {
            if !out.warnings.contains(&w) {
                out.warnings.push(w);
            }
        }
        let ours = plan::comparable(text);
        let render = plan::render_styled(made.render, &project.style.style, &file.display)?;
        let edited = plan::is_edited(&ours, &render);
        let variant = if edited {
            closer_variant(bp, m.version, &ours, &render)
        } else {
            None
        };
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

/// A known variant the file follows more closely than flue's own render
/// (the rule `plan` uses to pick a merge base: strictly closer, and at least
/// half alike).
fn closer_variant(bp: &Blueprint, version: u32, ours: &str, render: &str) -> Option<&'static str> {
    let standard = merge::similarity(render, ours);
    bp.variants
        .iter()
        .filter(|v| v.marker_version == version)
        .map(|v| (merge::similarity(&(v.render)(), ours), v.origin))
        .filter(|(s, _)| *s > standard && *s >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, o)| o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blueprint::CATALOG;
    use crate::project::{Evidence, Manifest, PackageManager, Pm, RuntimeInfo, Target, TargetName};
    use std::path::PathBuf;

    fn mirage() -> &'static crate::blueprint::Blueprint {
        CATALOG.iter().find(|b| b.name == "mirage").unwrap()
    }

    fn project(runtime: &str) -> Project {
        let text = format!("{{\"dependencies\": {{\"@flue/runtime\": \"{runtime}\"}}}}");
        let ev = Evidence {
            reason: "test".into(),
            file: None,
            line: None,
            column: None,
        };
        let file = |c: Option<String>| FileState {
            path: PathBuf::from("/p/x"),
            display: "x".into(),
            content: c,
            via_symlink: false,
            read_only: false,
        };
        Project {
            root: PathBuf::from("/p"),
            source_root: PathBuf::from("/p/src"),
            manifest_file: file(Some(text.clone())),
            manifest: Manifest::parse(&text).unwrap(),
            pm: Pm {
                name: PackageManager::Npm,
                evidence: ev.clone(),
            },
            target: Target {
                name: TargetName::Node,
                evidence: ev,
            },
            runtime: RuntimeInfo {
                installed: Some((runtime.to_string(), "node_modules".into())),
                ..Default::default()
            },
            output: file(None),
            style: crate::project::style::Detected {
                style: Default::default(),
                source: None,
                notes: vec![],
            },
            tsconfig: None,
            lockfile: None,
            warnings: vec![],
            env_example: Ok(file(None)),
            wrangler: Ok(file(None)),
        }
    }

    fn state_of(runtime: &str, text: Option<String>) -> Vec<State> {
        let bp = mirage();
        let file = FileState {
            path: PathBuf::from("/p/src/sandboxes/mirage.ts"),
            display: "src/sandboxes/mirage.ts".into(),
            content: text,
            via_symlink: false,
            read_only: false,
        };
        status(&project(runtime), &[(bp, file)])
            .unwrap()
            .installed
            .iter()
            .map(|e| e.state)
            .collect()
    }

    fn render(n: u32) -> String {
        (mirage().version(n).unwrap().render)()
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
    fn unmarked_and_foreign_files_are_not_installed_but_warned() {
        let bp = mirage();
        for text in ["export {};\n", "// flue-blueprint: sandbox/other@1\n"] {
            let file = FileState {
                path: PathBuf::from("/p/src/sandboxes/mirage.ts"),
                display: "src/sandboxes/mirage.ts".into(),
                content: Some(text.into()),
                via_symlink: false,
                read_only: false,
            };
            let s = status(&project("2.1.0"), &[(bp, file)]).unwrap();
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
