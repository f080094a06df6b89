//! The one module that reads the disk for detection: every read names its
//! path in the error, non-UTF-8 and unreadable files become typed errors, and
//! a test-only fault hook can make a chosen read or write fail (permission
//! bits do not stop root, so tests need it). Writing lives in `apply`.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::error::{Code, Error, Result, display_path};

/// Faults injected by tests through `FLUE_TEST_FAULT` (comma-separated
/// `read:<file name>` / `write:<n>`). Never set in normal use.
#[derive(Debug, Default, Clone)]
pub struct Faults {
    /// Reads of a file whose path ends with these components fail as if permission was denied.
    pub read: Vec<String>,
    /// The n-th (1-based) file write of a run fails.
    pub write: Option<usize>,
}

static FAULTS: OnceLock<Faults> = OnceLock::new();

impl Faults {
    pub fn parse(spec: &str) -> Faults {
        let mut f = Faults::default();
        for part in spec.split(',') {
            match part.split_once(':') {
                Some(("read", name)) => f.read.push(name.to_string()),
                Some(("write", n)) => f.write = n.parse().ok(),
                _ => {}
            }
        }
        f
    }

    /// Installs the faults for this process (first call wins).
    pub fn install(self) {
        let _ = FAULTS.set(self);
    }

    pub fn get() -> Option<&'static Faults> {
        FAULTS.get()
    }
}

fn injected_read_fault(path: &Path) -> bool {
    let Some(f) = Faults::get() else { return false };
    // Whole trailing components: `package.json` hits every manifest,
    // `node_modules/@flue/runtime/package.json` only the installed runtime's.
    f.read.iter().any(|r| path.ends_with(r))
}

/// Reads a text file. `Ok(None)` when it does not exist.
pub fn read_text(root: &Path, path: &Path) -> Result<Option<String>> {
    match read_bytes(root, path)? {
        None => Ok(None),
        Some(bytes) => decode(root, path, bytes).map(Some),
    }
}

/// Reads a file's bytes. `Ok(None)` when it does not exist.
pub fn read_bytes(root: &Path, path: &Path) -> Result<Option<Vec<u8>>> {
    // Named only when something went wrong: most reads succeed or find nothing.
    let shown = || display_path(root, path);
    if injected_read_fault(path) && path.exists() {
        return Err(unreadable(
            &shown(),
            &io::Error::from(io::ErrorKind::PermissionDenied),
        ));
    }
    match read_all(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) if e.kind() == io::ErrorKind::NotADirectory => Ok(None),
        Err(e) if path.is_dir() => {
            let shown = shown();
            Err(Error::new(
                Code::NotAFile,
                format!("`{shown}` is a directory, but a file was expected"),
            )
            .file(shown.clone())
            .note(format!("{e}"))
            .hint(format!("move `{shown}` aside, then run the command again"))
            .nothing_written())
        }
        Err(e) => Err(unreadable(&shown(), &e)),
    }
}

/// `std::fs::read` without its `fstat` (and `File::read_to_end`'s `lseek`)
/// for the size: the files detection reads are small, so one read of a few
/// pages holds most of them, and a second finds the end.
fn read_all(path: &Path) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        match file.read(&mut chunk) {
            Ok(0) => return Ok(bytes),
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

fn unreadable(shown: &str, e: &io::Error) -> Error {
    Error::new(Code::UnreadableFile, format!("cannot read `{shown}`: {e}"))
        .file(shown.to_string())
        .hint("check the file's permissions")
        .nothing_written()
}

/// Decodes UTF-8, naming the line of the first bad byte.
pub fn decode(root: &Path, path: &Path, bytes: Vec<u8>) -> Result<String> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let (line, column) = crate::error::line_col(&prefix, prefix.len());
            let shown = display_path(root, path);
            Err(
                Error::new(Code::InvalidUtf8, format!("`{shown}` is not valid UTF-8"))
                    .file(shown)
                    .at(line, column)
                    .hint("save the file as UTF-8, then run the command again")
                    .nothing_written(),
            )
        }
    }
}

pub fn is_file(path: &Path) -> bool {
    path.is_file()
}

pub fn is_dir(path: &Path) -> bool {
    path.is_dir()
}

pub fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// The real path of `path`, following symlinks, when it exists.
pub fn canonical(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

/// Whether the file exists without any write permission bit (mode 0444).
pub fn is_read_only(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly())
}

pub fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path)
        .map(|m| m.file_type().is_symlink())
        .unwrap_or(false)
}
