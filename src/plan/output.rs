//! The plan of the blueprint's output file (SPEC §7): create it, refuse a
//! file flue did not make, keep a file that is current or newer, or upgrade
//! it by three-way merge (base: the known text the file follows; ours: the
//! file; theirs: the new render), with `--on-conflict` deciding what a
//! conflict writes.

use super::known::{self, Known};
use super::{Command, FileAction, FileChange, OnConflict, Options, comparable, is_edited};
use crate::blueprint::format;
use crate::blueprint::marker::{self, Found, Marker};
use crate::blueprint::spec::Request;
use crate::blueprint::{Blueprint, Version};
use crate::error::{Code, Error, Result, WarningCode};
use crate::merge::{self, Labels};
use crate::project::style;
use crate::project::{Project, Warning};
use crate::text;

/// What planning the output file reads.
pub(super) struct Ctx<'a> {
    pub project: &'a Project,
    pub bp: &'static Blueprint,
    /// The version chosen for the project.
    pub version: &'static Version,
    /// Its render in the project's style.
    pub new_render: &'a str,
    pub req: &'a Request,
    pub opts: &'a Options,
}

impl Ctx<'_> {
    fn shown(&self) -> &str {
        &self.project.output.display
    }

    fn style(&self) -> &style::Style {
        &self.project.style.style
    }
}

/// The output file's change and the warnings planning it gave.
pub(super) struct Planned {
    pub file: FileChange,
    pub warnings: Vec<Warning>,
}

impl From<FileChange> for Planned {
    fn from(file: FileChange) -> Self {
        Planned {
            file,
            warnings: Vec::new(),
        }
    }
}

/// The marker line of version `n` of `bp`.
pub(super) fn marker_for(bp: &Blueprint, n: u32) -> Marker {
    Marker {
        kind: bp.kind.to_string(),
        name: bp.name.to_string(),
        version: n,
    }
}

/// Plans the output file.
pub(super) fn plan_output(cx: &Ctx) -> Result<Planned> {
    let out = &cx.project.output;
    let mut file = FileChange {
        path: out.path.clone(),
        display: out.display.clone(),
        action: FileAction::Create,
        from_version: None,
        to_version: Some(cx.version.number),
        before: out.content.clone(),
        after: None,
        note: None,
        conflicts: Vec::new(),
        discarded: Vec::new(),
        needs_confirmation: false,
    };
    let Some(text) = &out.content else {
        if cx.opts.command == Command::Update {
            let bp = cx.bp;
            return Err(Error::new(
                Code::NotInstalled,
                format!(
                    "`{}` is not installed: `{}` does not exist",
                    bp.id(),
                    cx.shown()
                ),
            )
            .hint(format!(
                "install it with `flue add {} {}`; nothing was written",
                bp.kind, bp.name
            )));
        }
        file.after = Some(text::with_newline(cx.new_render, cx.style().newline()));
        return Ok(file.into());
    };
    let shown = cx.shown().to_string();
    if let Some(line) = merge::has_conflict_markers(text) {
        return Err(Error::new(Code::UnresolvedConflict, format!("`{shown}` still holds merge conflict markers"))
            .file(shown)
            .at(line, 1)
            .hint("resolve the conflicts (keep one side of each `<<<<<<<`…`>>>>>>>` block), then run the command again; nothing was written"));
    }
    let m = match marker::read(text) {
        Found::Marker(m) if m.kind == cx.bp.kind && m.name == cx.bp.name => m,
        Found::None | Found::Malformed(_) if cx.opts.force => {
            file.action = FileAction::Update;
            file.after = Some(text::with_newline(cx.new_render, cx.style().newline()));
            file.needs_confirmation = true;
            file.note = Some("replaced with `--force` (it had no flue marker)".into());
            return Ok(file.into());
        }
        found => return Err(not_ours(cx, found)),
    };
    plan_existing(cx, file, &m, text)
}

/// The refusal of a file at the output path that is not this blueprint's.
fn not_ours(cx: &Ctx, found: Found) -> Error {
    let shown = cx.shown().to_string();
    let e = match found {
        Found::Marker(m) => Error::new(
            Code::OtherBlueprint,
            format!(
                "`{shown}` was made by blueprint `{}/{}`, not `{}`",
                m.kind,
                m.name,
                cx.bp.id()
            ),
        )
        .hint("move it aside, then run the command again; nothing was written"),
        Found::Malformed(line) => Error::new(
            Code::InvalidMarker,
            format!("the marker in `{shown}` cannot be read: `{line}`"),
        )
        .hint(format!(
            "write it as `{}`, or pass `--force` to replace the file; nothing was written",
            marker_for(cx.bp, cx.version.number)
        )),
        Found::None => Error::new(
            Code::UnmarkedFile,
            format!(
                "`{shown}` was not made by flue (line 1 has no `{}` marker)",
                marker::PREFIX
            ),
        )
        .hint("move it aside, or pass `--force` to replace it; nothing was written"),
    };
    e.file(shown).at(1, 1)
}

/// The marker's version is one this flue can plan from.
fn check_marker(cx: &Ctx, m: &Marker) -> Result<()> {
    let (bp, shown) = (cx.bp, cx.shown());
    let latest = bp.latest().number;
    let refuse = |e: Error| Err(e.file(shown).at(1, 1));
    if m.version > latest {
        return refuse(Error::new(Code::NewerBlueprint, format!("`{shown}` was made by a newer flue (`{}@{}`; this flue knows up to version {latest})", bp.id(), m.version))
            .hint("upgrade flue, then run the command again; nothing was written"));
    }
    if bp.version(m.version).is_none() {
        return refuse(
            Error::new(
                Code::UnknownVersion,
                format!(
                    "`{shown}` names version {} of `{}`, which this flue does not carry",
                    m.version,
                    bp.id()
                ),
            )
            .hint("nothing was written"),
        );
    }
    if let Some(p) = cx.req.pinned
        && p < m.version
    {
        return refuse(
            Error::new(
                Code::Downgrade,
                format!(
                    "`{shown}` is at version {}; flue does not downgrade to version {p}",
                    m.version
                ),
            )
            .hint(format!(
                "pin version {} or newer, or move the file aside; nothing was written",
                m.version
            )),
        );
    }
    Ok(())
}

/// How the file ends its lines and whether it starts with a BOM: applied
/// once to the whole result, so a stray CRLF line does not turn the whole
/// file CRLF, and a CRLF render is never given a second `\r`.
struct Endings {
    newline: &'static str,
    bom: bool,
}

impl Endings {
    fn of(text: &str) -> Endings {
        Endings {
            newline: text::dominant_newline(text),
            bom: text.starts_with('\u{feff}'),
        }
    }

    fn restore(&self, lf: &str) -> String {
        let s = text::with_newline(lf, self.newline);
        if self.bom { format!("\u{feff}{s}") } else { s }
    }
}

/// A file with this blueprint's marker: foreign body, newer than the
/// runtime supports, current, or an upgrade.
fn plan_existing(cx: &Ctx, mut file: FileChange, m: &Marker, text: &str) -> Result<Planned> {
    check_marker(cx, m)?;
    file.from_version = Some(m.version);
    // Everything below compares LF texts.
    let endings = Endings::of(text);
    let ours = comparable(text);
    let version = cx.version.number;
    if version < m.version {
        return kept_newer(cx, file, m);
    }
    let old = cx.bp.version(m.version).expect("checked above");
    let known = Known::of(old, cx.style(), cx.shown())?;
    if known::is_foreign(cx.bp, m.version, &ours, &known, cx.style()) {
        return foreign(cx, file, m, &endings);
    }
    if version == m.version {
        file.action = FileAction::Unchanged;
        file.note = Some(if ours == cx.new_render {
            "up to date".to_string()
        } else if !is_edited(&ours, cx.new_render) {
            "up to date (it differs from the render only in formatting)".to_string()
        } else {
            format!("edited by you; already at version {version}, nothing to upgrade")
        });
        return Ok(file.into());
    }
    upgrade(cx, file, m, &ours, known, &endings)
}

/// A body that is not flue's under the marker: replaced with `--force`, else refused.
fn foreign(cx: &Ctx, mut file: FileChange, m: &Marker, endings: &Endings) -> Result<Planned> {
    let shown = cx.shown().to_string();
    if cx.opts.force {
        file.action = FileAction::Update;
        file.after = Some(text::with_newline(cx.new_render, endings.newline));
        file.needs_confirmation = true;
        file.note = Some(format!(
            "replaced with `--force` (its body under the `@{}` marker was not flue's)",
            m.version
        ));
        return Ok(file.into());
    }
    Err(Error::new(
        Code::ForeignFile,
        format!(
            "`{shown}` carries the `{}@{}` marker, but its body is not flue's: it matches no render or known variant of that version (a file written from upstream's guide?)",
            cx.bp.id(),
            m.version
        ),
    )
    .file(shown)
    .at(1, 1)
    .hint(format!(
        "pass `--force` to replace it with flue's version {} (your copy is shown as the diff; keep it aside if you need it); nothing was written",
        cx.version.number
    )))
}

/// The file is newer than the project's runtime supports: `update` refuses,
/// `add` keeps it and warns.
fn kept_newer(cx: &Ctx, mut file: FileChange, m: &Marker) -> Result<Planned> {
    let (bp, shown, version) = (cx.bp, cx.shown().to_string(), cx.version.number);
    if cx.opts.command == Command::Update {
        return Err(Error::new(
            Code::RuntimeTooOld,
            format!(
                "`{shown}` is at version {}, but the project's `{}` only supports version {version}",
                m.version, bp.runtime_package
            ),
        )
        .file(shown)
        .hint(format!(
            "upgrade `{}` to {} or newer; nothing was written",
            bp.runtime_package,
            bp.version(m.version).map(|v| v.min_runtime).unwrap_or("?")
        )));
    }
    file.action = FileAction::Unchanged;
    file.to_version = Some(m.version);
    file.note = Some(format!(
        "kept at version {}: the project's runtime supports only version {version}",
        m.version
    ));
    let warning = Warning {
        code: WarningCode::RuntimeOlderThanFile,
        message: format!(
            "`{shown}` is at version {}, newer than the project's `{}` supports (version {version}); the file was kept",
            m.version, bp.runtime_package
        ),
    };
    Ok(Planned {
        file,
        warnings: vec![warning],
    })
}

/// An upgrade from the marker's version to the chosen one.
fn upgrade(
    cx: &Ctx,
    mut file: FileChange,
    m: &Marker,
    ours: &str,
    known: Known,
    endings: &Endings,
) -> Result<Planned> {
    let (bp, style) = (cx.bp, cx.style());
    file.action = FileAction::Update;
    file.needs_confirmation = true;
    // Only formatting differs from the old render (the project's formatter, or
    // a style change since): the file has no edits, the upgrade is the new render.
    if ours != known.styled && format::same_but_formatting(ours, &known.styled) {
        file.after = Some(endings.restore(cx.new_render));
        file.note = Some(
            "the file had no edits of yours (it differed from the render only in formatting)"
                .to_string(),
        );
        return Ok(file.into());
    }
    let (base, base_note) = known::merge_base(bp, m.version, ours, known, style);
    let warnings: Vec<Warning> = base_note
        .map(|n| Warning {
            code: WarningCode::MergeBase,
            message: format!("`{}`: {n}", cx.shown()),
        })
        .into_iter()
        .collect();
    let from_label = format!("flue {}@{}", bp.id(), m.version);
    let to_label = format!("flue {}@{}", bp.id(), cx.version.number);
    // The marker line is flue's, not part of the merge: the same text on all
    // three sides (so a comment the user put above it merges cleanly), and
    // set to the new version afterwards.
    let neutral = |t: &str| marker::replace_first_line(t, &marker_for(bp, m.version));
    let merged = merge::merge3(
        &neutral(&base),
        &neutral(ours),
        &neutral(cx.new_render),
        &Labels {
            base: &from_label,
            ours: "yours",
            theirs: &to_label,
        },
    );
    let text = marker::replace_first_line(&merged.text, &marker_for(bp, cx.version.number));
    if merged.is_clean() {
        file.after = Some(endings.restore(&text));
        file.note = Some(if ours == base {
            "the file had no edits of yours".to_string()
        } else {
            "your edits are kept".to_string()
        });
    } else {
        file.conflicts = merged.conflicts;
        file = on_conflict(cx, file, &text, &base, ours, endings);
    }
    Ok(Planned { file, warnings })
}

/// What `--on-conflict` makes of a conflicting merge (`marked`: the merge
/// with diff3 markers).
fn on_conflict(
    cx: &Ctx,
    mut file: FileChange,
    marked: &str,
    base: &str,
    ours: &str,
    endings: &Endings,
) -> FileChange {
    let n = file.conflicts.len();
    match cx.opts.on_conflict {
        OnConflict::Abort => {
            file.action = FileAction::Conflict;
            file.after = None;
            file.needs_confirmation = false;
            file.note = Some(format!("{n} conflicting hunk(s); nothing was written"));
        }
        OnConflict::Markers => {
            file.action = FileAction::Conflict;
            // Markers rewrite the user's file: the same confirmation as an upgrade.
            file.after = Some(endings.restore(marked));
            file.note = Some(format!(
                "{n} conflicting hunk(s) marked with diff3 markers; resolve them, then run flue again"
            ));
        }
        OnConflict::Overwrite => {
            file.after = Some(endings.restore(cx.new_render));
            file.discarded = users_discarded_lines(base, ours, cx.new_render);
            file.note = Some(format!(
                "replaced by the version {} render (`--on-conflict overwrite`)",
                cx.version.number
            ));
        }
    }
    file
}

/// The user's lines an overwrite discards: every block the user inserted or
/// changed relative to the base render, unless the new render holds that
/// same block of lines (both made the same change). By block, not by line:
/// a closing `}` of an added method is the user's even though `}` lines
/// are everywhere in the new render.
fn users_discarded_lines(base: &str, ours: &str, theirs: &str) -> Vec<String> {
    let ours_lines: Vec<&str> = ours.lines().collect();
    let theirs_lines: Vec<&str> = theirs.lines().collect();
    let mut out = Vec::new();
    for op in similar::TextDiff::from_lines(base, ours).ops() {
        let block = &ours_lines[op.new_range()];
        if op.tag() == similar::DiffTag::Equal || block.is_empty() {
            continue;
        }
        if !theirs_lines.windows(block.len()).any(|w| w == block) {
            out.extend(block.iter().map(|l| l.to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::users_discarded_lines;

    #[test]
    fn an_overwrite_reports_every_discarded_line_of_an_added_method() {
        let base = "class A {\n  a() {\n    return 1;\n  }\n}\n";
        let ours = "class A {\n  a() {\n    return 1;\n  }\n  mine() {\n    return 2;\n  }\n}\n";
        let theirs = "class A {\n  a() {\n    return 3;\n  }\n}\n";
        let got = users_discarded_lines(base, ours, theirs);
        assert_eq!(got.iter().filter(|l| *l == "  }").count(), 1, "{got:?}");
        assert!(
            got.contains(&"  }".to_string())
                && got.contains(&"  mine() {".to_string())
                && got.contains(&"    return 2;".to_string())
        );
        // The same change on both sides is not discarded.
        assert!(users_discarded_lines(base, theirs, theirs).is_empty());
    }
}
