//! The files detection reads as states (content, read-only, via a symlink),
//! and the checks that keep every path flue writes inside the project:
//! `..` and symlinks that leave the root, dangling links and loops.

use std::path::{Path, PathBuf};

use super::{FileState, Project, Purpose, Shared, manifest};
use crate::error::{Code, Error, Result, display_path};
use crate::fsx;

/// Reads another blueprint's output file (`output` relative to the source
/// root) of a detected project, with the same checks as `detect` (`shared`
/// remembers the real paths it resolves: the root, the output directory).
pub fn read_output(
    project: &Project,
    output: &str,
    shared: &Shared,
    purpose: Purpose,
) -> Result<FileState> {
    read_output_at(
        &project.root,
        &project.source_root.join(output),
        shared,
        purpose,
    )
}

/// An output file: refused when it leads outside the root, else as read.
pub(super) fn read_output_at(
    root: &Path,
    path: &Path,
    shared: &Shared,
    purpose: Purpose,
) -> Result<FileState> {
    let missing = check_inside_root(root, path, shared)?;
    let display = display_path(root, path);
    if missing {
        return Ok(FileState::absent(path, &display));
    }
    read_state_seen(root, path, &display, shared, purpose)
}

impl FileState {
    /// A file that is not there.
    pub(super) fn absent(path: &Path, display: &str) -> FileState {
        FileState {
            path: path.to_path_buf(),
            display: display.to_string(),
            content: None,
            via_symlink: false,
            read_only: false,
        }
    }
}

/// Turns a manifest parse error into an error naming `package.json` and its line.
pub fn manifest_error(display: &str, e: manifest::ManifestError) -> Error {
    let message =
        if e.message.contains(&format!("`{display}`")) || e.message.contains("`package.json`") {
            e.message.clone()
        } else {
            format!("`{display}`: {}", e.message)
        };
    let mut err = Error::new(e.code, message)
        .file(display.to_string())
        .line_opt(e.line, e.column);
    if let (Some(l), Some(c)) = (e.first_line, e.first_column) {
        err = err.note(format!("first one at {l}:{c}"));
    }
    err.hint("fix the file, then run the command again")
        .nothing_written()
}

pub(super) fn read_state(root: &Path, path: &Path, display: &str) -> Result<FileState> {
    let via_symlink = fsx::is_symlink(path);
    let real = if via_symlink {
        fsx::canonical(path).unwrap_or_else(|| path.to_path_buf())
    } else {
        path.to_path_buf()
    };
    read_state_at(root, path, display, via_symlink, real, true)
}

/// [`read_state`], with what `shared` already knows of the path.
pub(super) fn read_state_seen(
    root: &Path,
    path: &Path,
    display: &str,
    shared: &Shared,
    purpose: Purpose,
) -> Result<FileState> {
    let seen = shared.seen(path);
    let real = match &seen.real {
        Some(real) if seen.symlink => real.clone(),
        _ => path.to_path_buf(),
    };
    let asks_read_only = purpose != Purpose::Status;
    read_state_at(root, path, display, seen.symlink, real, asks_read_only)
}

/// `path` read (`real` is where it leads, `via_symlink` whether it is a
/// symlink), and whether it is read-only when `asks_read_only`.
pub(super) fn read_state_at(
    root: &Path,
    path: &Path,
    display: &str,
    via_symlink: bool,
    real: PathBuf,
    asks_read_only: bool,
) -> Result<FileState> {
    let content = fsx::read_text(root, path)?;
    let read_only = asks_read_only && content.is_some() && fsx::is_read_only(&real);
    Ok(FileState {
        path: real,
        display: display.to_string(),
        content,
        via_symlink,
        read_only,
    })
}

/// Refuses an output path that leaves the root through `..` or a symlink.
/// `Ok(true)` when nothing is at the path (so reading it finds nothing).
pub(super) fn check_inside_root(root: &Path, path: &Path, shared: &Shared) -> Result<bool> {
    let real_root = shared.canonical(root).unwrap_or_else(|| root.to_path_buf());
    // One `lstat` of the path answers both: is it there, and if not, would a read say so.
    let at = shared.seen(path);
    // The deepest existing ancestor decides where the path really goes.
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    let mut seen = at.clone();
    while !seen.exists {
        match (existing.file_name(), existing.parent()) {
            (Some(n), Some(p)) => {
                rest.push(n.to_os_string());
                existing = p.to_path_buf();
                seen = shared.seen(&existing);
            }
            _ => break,
        }
    }
    // Named only when refused: most outputs are inside.
    let shown = || display_path(root, path);
    if rest.iter().any(|n| n == "..") {
        return Err(escapes(&shown(), root));
    }
    if let Some(real) = &seen.real {
        if !real.starts_with(&real_root) {
            return Err(escapes(&shown(), root));
        }
        // An existing non-directory in the middle of the path (`existing` is
        // what `real` is, symlinks followed).
        if !rest.is_empty() && !seen.dir {
            let blocker = display_path(root, &existing);
            return Err(Error::new(
                Code::NotADirectory,
                format!(
                    "`{blocker}` is a file, but `{}` needs it to be a directory",
                    shown()
                ),
            )
            .file(blocker.clone())
            .hint(format!(
                "move `{blocker}` aside, then run the command again"
            ))
            .nothing_written());
        }
    } else if fsx::is_symlink(&existing) {
        // A symlink that resolves nowhere: refuse rather than guess, naming why.
        let leads_out = std::fs::read_link(&existing).is_ok_and(|t| {
            let parent = existing.parent().unwrap_or(root);
            let parent = fsx::canonical(parent).unwrap_or_else(|| parent.to_path_buf());
            !lexical(&parent.join(t)).starts_with(&real_root)
        });
        return Err(if leads_out {
            escapes(&shown(), root)
        } else {
            broken_link(root, &existing)
        });
    }
    Ok(at.missing)
}

/// `path` with `.` and `..` resolved as text (the path does not exist to ask the disk).
pub(super) fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// A symlink on the output path that leads nowhere: a loop, or a missing target.
pub(super) fn broken_link(root: &Path, link: &Path) -> Error {
    let shown = display_path(root, link);
    let target = std::fs::read_link(link)
        .map(|t| t.display().to_string())
        .unwrap_or_else(|_| "?".into());
    // ELOOP: 40 on Linux, 62 on macOS and the BSDs.
    let looped = std::fs::metadata(link)
        .err()
        .and_then(|e| e.raw_os_error())
        .is_some_and(|n| {
            if cfg!(target_os = "linux") {
                n == 40
            } else {
                n == 62
            }
        });
    let err = if looped {
        Error::new(
            Code::SymlinkLoop,
            format!("`{shown}` is a symlink loop (`{shown}` -> `{target}` leads back to itself)"),
        )
        .hint(format!(
            "replace `{shown}` with a directory or a link to one inside the project; nothing was written"
        ))
    } else {
        Error::new(
            Code::DanglingSymlink,
            format!("`{shown}` is a symlink to `{target}`, which does not exist"),
        )
        .hint(format!(
            "remove `{shown}`, or create what it points to inside the project; nothing was written"
        ))
    };
    err.file(shown)
}

pub(super) fn escapes(shown: &str, _root: &Path) -> Error {
    Error::new(
        Code::PathEscapesRoot,
        format!("`{shown}` leads outside the project root (through a symlink or `..`)"),
    )
    .file(shown.to_string())
    .hint("point the `sandboxes` directory inside the project; nothing was written")
}
