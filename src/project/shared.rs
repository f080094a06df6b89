//! What detection reads above a project root, kept for the run: the directories
//! of the upward walk past the package (the workspace root among them) and the
//! real paths it resolves. A workspace run detects every package below one
//! root; with a [`Shared`] it reads that root's `package.json`, boundary
//! markers, lockfile, style config, installed runtime and `pnpm-workspace.yaml`
//! once, not once per package.
//!
//! Sharing changes no result. A file above a root is not under it, so its
//! display path is its full path: what reading it gives, warnings included, is
//! the same for every package below. A file that would show relative to the
//! asking root (a package directory named like the file it stands in for) is
//! read for that package alone. Real paths are a function of the path.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use super::{Manifest, PackageManager, Warning};
use crate::error::Result;
use crate::fsx;
use crate::project::style;

/// Facts about the directories above project roots and the real paths
/// detection resolved, for every detection of one run (`detect_with`). Safe to
/// share between threads. Holds what the disk said when first asked, so it
/// lives for one run: nothing re-detects after writing. Paths are keyed by
/// their text: one path written two ways is asked twice.
#[derive(Debug, Default)]
pub struct Shared {
    above: Mutex<HashMap<OsString, Arc<Above>, Fast>>,
    seen: Mutex<HashMap<OsString, Arc<Seen>, Fast>>,
}

/// A hasher for the memo's paths (the multiply-rotate of rustc's `FxHasher`):
/// the keys are this run's own paths, so SipHash's resistance to chosen keys
/// buys nothing, and hashing long paths with it showed in profiles.
pub(super) type Fast = std::hash::BuildHasherDefault<FxHasher>;

#[derive(Default)]
pub(super) struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// What the disk said of a path.
#[derive(Debug, Clone)]
pub(super) struct Seen {
    /// Its real path (`realpath`), when it resolves.
    pub real: Option<PathBuf>,
    /// Something is there (`lstat` succeeds).
    pub exists: bool,
    /// Nothing is there as a read sees it: `lstat` says not found, or a file
    /// stands where a directory on the way should be.
    pub missing: bool,
    /// It is a symlink.
    pub symlink: bool,
    /// It is a directory, symlinks followed (`stat`).
    pub dir: bool,
    /// It is a file, symlinks followed (`stat`).
    pub file: bool,
}

impl Seen {
    const MISSING: Seen = Seen {
        real: None,
        exists: false,
        missing: true,
        symlink: false,
        dir: false,
        file: false,
    };
}

/// A read whose file may be missing or unreadable: its text, or the display
/// path of a file that exists but could not be read; and the warnings it gave.
type Refined = (std::result::Result<Option<Arc<str>>, String>, Vec<Warning>);

/// The style detected in one directory, and the warnings reading it gave.
pub(super) type StyleAt = Result<(style::Detected, Vec<Warning>)>;

/// One directory above a project root, as detection reads it. The manifest and
/// the boundary markers are read when it is first reached; the rest when first
/// asked for.
#[derive(Debug)]
pub(super) struct Above {
    pub dir: PathBuf,
    /// Its `package.json`, when it exists and parses.
    pub manifest: Option<Manifest>,
    /// What reading that `package.json` warned (each package repeats them).
    pub warnings: Vec<Warning>,
    /// `.git` or `pnpm-workspace.yaml` is here: the upward walk stops.
    pub marker: bool,
    lockfile: OnceLock<Option<(&'static str, PackageManager)>>,
    style_files: OnceLock<Vec<&'static str>>,
    style: OnceLock<StyleAt>,
    reads: Mutex<HashMap<PathBuf, Arc<Refined>>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Whether `dir/rel` shows the same for every root below `dir` (it is not
/// under `root`, so its display path is its full path).
fn shows_alike(root: &Path, dir: &Path, rel: &Path) -> bool {
    !dir.join(rel).starts_with(root)
}

impl Shared {
    /// The facts of `dir`, a directory above `root`, read on first use.
    pub(super) fn above(&self, dir: &Path, root: &Path) -> Arc<Above> {
        if let Some(a) = lock(&self.above).get(dir.as_os_str()) {
            return a.clone();
        }
        let mut warnings = Vec::new();
        let instead = "its `workspaces` and `packageManager` are not taken into account";
        let manifest =
            super::read_refining(root, &dir.join("package.json"), instead, &mut warnings)
                .ok()
                .flatten()
                .and_then(|t| Manifest::parse(&t).ok());
        let a = Arc::new(Above {
            dir: dir.to_path_buf(),
            manifest,
            warnings,
            marker: super::has_marker(dir, &super::Names::UNLISTED),
            lockfile: OnceLock::new(),
            style_files: OnceLock::new(),
            style: OnceLock::new(),
            reads: Mutex::new(HashMap::new()),
        });
        if shows_alike(root, dir, Path::new("package.json")) {
            // Two threads may both read it; either answer is the same.
            lock(&self.above)
                .entry(dir.as_os_str().to_owned())
                .or_insert_with(|| a.clone());
        }
        a
    }

    /// `fsx::canonical(path)`, remembered.
    pub(super) fn canonical(&self, path: &Path) -> Option<PathBuf> {
        self.seen(path).real.clone()
    }

    /// `fsx::exists(path)`, remembered.
    pub(super) fn exists(&self, path: &Path) -> bool {
        self.seen(path).exists
    }

    /// `fsx::is_file(path)`, remembered.
    pub(super) fn is_file(&self, path: &Path) -> bool {
        self.seen(path).file
    }

    /// What the disk says of `path`, asked once. A path that exists and is
    /// not a symlink is its parent's real path joined with its name, as
    /// `realpath` resolves it, so a package's root costs one `lstat` once its
    /// parent (shared by every package beside it) is known; below a directory
    /// known missing, nothing is there either.
    pub(super) fn seen(&self, path: &Path) -> Arc<Seen> {
        if let Some(hit) = lock(&self.seen).get(path.as_os_str()) {
            return hit.clone();
        }
        let asked = || {
            let at = std::fs::symlink_metadata(path);
            Seen {
                real: fsx::canonical(path),
                exists: at.is_ok(),
                missing: at.as_ref().is_err_and(is_missing),
                symlink: at.is_ok_and(|m| m.file_type().is_symlink()),
                dir: fsx::is_dir(path),
                file: fsx::is_file(path),
            }
        };
        let seen = match (path.parent(), path.file_name()) {
            // Only a plain `parent/name` (`parent` and `name` are the path's own
            // prefix and suffix, so their lengths tell): not `dir/.`, `a//b` or `..`.
            (Some(parent), Some(name))
                if parent.as_os_str().len() + 1 + name.len() == path.as_os_str().len() =>
            {
                let parent_missing = lock(&self.seen)
                    .get(parent.as_os_str())
                    .is_some_and(|p| p.missing);
                if parent_missing {
                    Seen::MISSING
                } else {
                    match std::fs::symlink_metadata(path) {
                        Ok(m) if !m.file_type().is_symlink() => Seen {
                            real: self.seen(parent).real.as_ref().map(|p| p.join(name)),
                            exists: true,
                            missing: false,
                            symlink: false,
                            dir: m.is_dir(),
                            file: m.is_file(),
                        },
                        Ok(_) => asked(),
                        // What `lstat` cannot reach, `realpath` and `stat` cannot either.
                        Err(e) => Seen {
                            missing: is_missing(&e),
                            ..Seen::MISSING
                        },
                    }
                }
            }
            _ => asked(),
        };
        let seen = Arc::new(seen);
        lock(&self.seen).insert(path.as_os_str().to_owned(), seen.clone());
        seen
    }
}

/// An `lstat` error that a read would take for "no such file".
fn is_missing(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
    )
}

impl Above {
    /// The first lockfile here, probed on first use.
    pub fn lockfile(&self) -> Option<(&'static str, PackageManager)> {
        *self
            .lockfile
            .get_or_init(|| super::lockfile_in(&self.dir, &super::Names::UNLISTED))
    }

    /// The style configs present here, probed on first use.
    pub fn style_files(&self) -> &[&'static str] {
        self.style_files
            .get_or_init(|| super::style_files_in(&self.dir, &super::Names::UNLISTED))
    }

    /// The style this directory's configs set, detected once (`detect` runs
    /// it), unless one of them would show relative to `root`.
    pub fn style(&self, root: &Path, detect: impl FnOnce() -> StyleAt) -> StyleAt {
        let alike = style::CONFIG_FILES
            .iter()
            .all(|f| shows_alike(root, &self.dir, Path::new(f)));
        if !alike {
            return detect();
        }
        self.style.get_or_init(detect).clone()
    }

    /// `read_refining` of `rel` (relative to this directory) for a package
    /// below: read once, its warnings repeated to each package that asks.
    pub fn read(
        &self,
        root: &Path,
        rel: &Path,
        instead: &str,
        warnings: &mut Vec<Warning>,
    ) -> std::result::Result<Option<Arc<str>>, String> {
        if !shows_alike(root, &self.dir, rel) {
            return super::read_refining(root, &self.dir.join(rel), instead, warnings)
                .map(|t| t.map(Arc::from));
        }
        let hit = lock(&self.reads).get(rel).cloned();
        let refined = hit.unwrap_or_else(|| {
            let mut w = Vec::new();
            let r = super::read_refining(root, &self.dir.join(rel), instead, &mut w)
                .map(|t| t.map(Arc::from));
            let refined = Arc::new((r, w));
            lock(&self.reads).insert(rel.to_path_buf(), refined.clone());
            refined
        });
        warnings.extend(refined.1.iter().cloned());
        refined.0.clone()
    }
}
