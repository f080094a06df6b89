//! The error value every core function returns: a stable `code` (the JSON
//! `code`), a one-line message, where it happened (file, line, column) and a
//! hint that says what to do next. Knows nothing about printing.

use std::fmt;
use std::path::Path;

/// An error a user can act on. Codes are snake_case and stable once released.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Stable machine-readable code (`invalid_manifest`, `unknown_blueprint`, …).
    pub code: &'static str,
    /// Lowercase phrase, no trailing period.
    pub message: String,
    /// File the error is about, relative to the project root when inside it.
    pub file: Option<String>,
    /// 1-based line in `file`.
    pub line: Option<usize>,
    /// 1-based column in `file`.
    pub column: Option<usize>,
    /// What to do next; printed after a blank line.
    pub hint: Option<String>,
    /// Extra lines shown under the location (e.g. the offending source line).
    pub notes: Vec<String>,
    /// The word the user probably meant ("did you mean"), for agents.
    pub suggestion: Option<String>,
}

impl Error {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            file: None,
            line: None,
            column: None,
            hint: None,
            notes: Vec::new(),
            suggestion: None,
        }
    }

    pub fn suggest(mut self, word: impl Into<String>) -> Self {
        self.suggestion = Some(word.into());
        self
    }

    pub fn file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn line_opt(mut self, line: Option<usize>, column: Option<usize>) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// The process exit code this error maps to.
    pub fn exit_code(&self) -> i32 {
        match self.code {
            "usage" => 2,
            "merge_conflict" | "unresolved_conflict" => 4,
            _ => 1,
        }
    }

    /// A "nothing was written" hint suffix, which agents rely on.
    pub fn nothing_written(mut self) -> Self {
        self.hint = Some(match self.hint.take() {
            Some(h) if h.contains("nothing was written") => h,
            Some(h) => format!("{h}; nothing was written"),
            None => "nothing was written".to_string(),
        });
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(file) = &self.file {
            write!(f, " ({file}")?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(col) = self.column {
                    write!(f, ":{col}")?;
                }
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Shows `path` relative to `root` when it is inside it, with `/` separators.
pub fn display_path(root: &Path, path: &Path) -> String {
    let shown = path.strip_prefix(root).unwrap_or(path);
    let s = shown.to_string_lossy().replace('\\', "/");
    if s.is_empty() { ".".to_string() } else { s }
}

/// 1-based line and column of byte `offset` in `text` (the one rule: [`crate::js::line_col`]).
pub use crate::js::line_col;
