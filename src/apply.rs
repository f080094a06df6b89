//! The only writer. Applies a plan's file changes all or nothing: takes an
//! advisory lock on the project root, checks each file still holds what was
//! read, writes each through a temporary file in its own directory renamed
//! over the target (permissions kept), and on any failure restores what it
//! already wrote and removes directories it created.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Code, Error, Result};
use crate::fsx::Faults;
use crate::plan::Plan;

/// How long a second run waits for the first before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// An advisory lock on the project root directory, released on drop. No
/// lock file is created: the lock is taken on the directory itself.
pub struct Lock {
    _file: File,
}

/// Locks the project root (`flock` on the directory's descriptor).
pub fn lock(root: &Path) -> Result<Lock> {
    let file = File::open(root).map_err(|e| {
        Error::new(
            Code::LockFailed,
            format!("cannot open `{}` to lock it: {e}", root.display()),
        )
        .hint("nothing was written")
    })?;
    let start = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Lock { _file: file }),
            Err(fs::TryLockError::WouldBlock) if start.elapsed() < LOCK_WAIT => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(
                    Error::new(Code::Locked, "another flue is running in this project").hint(
                        "wait for it to finish, then run the command again; nothing was written",
                    ),
                );
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(Error::new(
                    Code::LockFailed,
                    format!("cannot lock `{}`: {e}", root.display()),
                )
                .hint("nothing was written"));
            }
        }
    }
}

/// What was done to one path, so it can be undone.
enum Undo {
    Restore { path: PathBuf, bytes: Vec<u8> },
    Remove(PathBuf),
    RemoveDir(PathBuf),
}

/// Writes every changing file of `plan`. The caller holds the lock.
pub fn apply(plan: &Plan) -> Result<()> {
    let root = &plan.project.root;
    // Re-check under the lock that nothing changed since detection.
    for f in plan.files.iter().filter(|f| f.writes()) {
        let now = match fs::read(&f.path) {
            Ok(b) => Some(b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(write_error(&f.display, &e, false)),
        };
        if now.as_deref() != f.before.as_ref().map(|s| s.as_bytes()) {
            return Err(Error::new(
                Code::ChangedWhileRunning,
                format!("`{}` changed while flue was running", f.display),
            )
            .file(f.display.clone())
            .hint("run the command again; nothing was written"));
        }
    }
    let mut undo: Vec<Undo> = Vec::new();
    let mut n = 0;
    for f in plan.files.iter().filter(|f| f.writes()) {
        n += 1;
        let after = f.after.as_deref().expect("writes() implies after");
        if let Err(e) = write_one(root, &f.path, after, n, &mut undo) {
            let unrestored = rollback(undo);
            let mut err = write_error(&f.display, &e, unrestored.is_empty());
            if !unrestored.is_empty() {
                err = err.hint(format!(
                    "these could not be restored and need a look: {}",
                    unrestored.join(", ")
                ));
            }
            return Err(err);
        }
    }
    Ok(())
}

fn write_error(display: &str, e: &std::io::Error, rolled_back: bool) -> Error {
    Error::new(Code::WriteFailed, format!("cannot write `{display}`: {e}"))
        .file(display.to_string())
        .hint(if rolled_back {
            "every file flue had written in this run was restored; nothing was changed"
        } else {
            "nothing was written"
        })
}

fn write_one(
    root: &Path,
    path: &Path,
    content: &str,
    n: usize,
    undo: &mut Vec<Undo>,
) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(root);
    // Create missing parents, remembering them (deepest last) for rollback.
    let mut missing = Vec::new();
    let mut d = dir;
    while !d.exists() {
        missing.push(d.to_path_buf());
        match d.parent() {
            Some(p) => d = p,
            None => break,
        }
    }
    for m in missing.iter().rev() {
        fs::create_dir(m)?;
        undo.push(Undo::RemoveDir(m.clone()));
    }
    let old = match fs::read(path) {
        Ok(b) => Some((b, fs::metadata(path)?.permissions())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".flue-").suffix(".tmp");
    // A new file gets the usual 0666 minus the user's umask, as any editor's would.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(content.as_bytes())?;
    tmp.as_file().sync_all()?;
    if let Some((_, perms)) = &old {
        fs::set_permissions(tmp.path(), perms.clone())?;
    }
    if Faults::get().and_then(|f| f.write) == Some(n) {
        return Err(std::io::Error::other(
            "injected write fault (FLUE_TEST_FAULT)",
        ));
    }
    tmp.persist(path).map_err(|e| e.error)?;
    undo.push(match old {
        Some((bytes, _)) => Undo::Restore {
            path: path.to_path_buf(),
            bytes,
        },
        None => Undo::Remove(path.to_path_buf()),
    });
    Ok(())
}

/// Undoes what was done, newest first; returns the paths it could not restore.
fn rollback(undo: Vec<Undo>) -> Vec<String> {
    let mut failed = Vec::new();
    for u in undo.into_iter().rev() {
        let (path, result) = match u {
            Undo::Restore { path, bytes } => {
                let r = restore(&path, &bytes);
                (path, r)
            }
            Undo::Remove(p) => {
                let r = fs::remove_file(&p);
                (p, r)
            }
            Undo::RemoveDir(p) => {
                let r = fs::remove_dir(&p);
                (p, r)
            }
        };
        if let Err(e) = result {
            failed.push(format!("`{}` ({e})", path.display()));
        }
    }
    failed
}

fn restore(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let perms = fs::metadata(path)?.permissions();
    let mut tmp = tempfile::Builder::new()
        .prefix(".flue-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    fs::set_permissions(tmp.path(), perms)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
