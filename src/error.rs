//! The error value every core function returns: a stable `code` (the JSON
//! `code`), a one-line message, where it happened (file, line, column) and a
//! hint that says what to do next. Knows nothing about printing.

use std::fmt;
use std::path::Path;

/// Declares [`Code`]: one variant per stable error code, its JSON spelling
/// and its exit code, in one table (the README's table and the schema's
/// `enum` are checked against [`Code::ALL`]).
macro_rules! error_codes {
    ($($variant:ident = $text:literal => $exit:literal,)*) => {
        /// Every error code flue reports: snake_case and stable once released.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code { $($variant,)* }

        impl Code {
            /// Every code, in the README's order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The JSON `code`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $text,)* }
            }

            /// The process exit code an error with this code ends the run with.
            pub fn exit_code(self) -> i32 {
                match self { $(Code::$variant => $exit,)* }
            }
        }
    };
}

error_codes! {
    Usage = "usage" => 2,
    NoProject = "no_project" => 1,
    InvalidManifest = "invalid_manifest" => 1,
    NotAnObject = "not_an_object" => 1,
    DuplicateKey = "duplicate_key" => 1,
    InvalidUtf8 = "invalid_utf8" => 1,
    UnreadableFile = "unreadable_file" => 1,
    NotAFile = "not_a_file" => 1,
    NotADirectory = "not_a_directory" => 1,
    PathEscapesRoot = "path_escapes_root" => 1,
    TargetNotLiteral = "target_not_literal" => 1,
    UnknownTarget = "unknown_target" => 1,
    UnparseableConfig = "unparseable_config" => 1,
    InvalidStyleConfig = "invalid_style_config" => 1,
    UnknownKind = "unknown_kind" => 1,
    UnknownBlueprint = "unknown_blueprint" => 1,
    AmbiguousBlueprint = "ambiguous_blueprint" => 1,
    UnknownVersion = "unknown_version" => 1,
    InvalidVersion = "invalid_version" => 1,
    UnmarkedFile = "unmarked_file" => 1,
    ForeignFile = "foreign_file" => 1,
    UnsupportedTarget = "unsupported_target" => 1,
    InvalidConfig = "invalid_config" => 1,
    InvalidMarker = "invalid_marker" => 1,
    OtherBlueprint = "other_blueprint" => 1,
    NewerBlueprint = "newer_blueprint" => 1,
    Downgrade = "downgrade" => 1,
    NotInstalled = "not_installed" => 1,
    RuntimeTooOld = "runtime_too_old" => 1,
    NoWorkspace = "no_workspace" => 1,
    InvalidWorkspace = "invalid_workspace" => 1,
    PackageErrors = "package_errors" => 1,
    Locked = "locked" => 1,
    LockFailed = "lock_failed" => 1,
    ReadOnlyFile = "read_only_file" => 1,
    DanglingSymlink = "dangling_symlink" => 1,
    SymlinkLoop = "symlink_loop" => 1,
    ChangedWhileRunning = "changed_while_running" => 1,
    WriteFailed = "write_failed" => 1,
    FormatFailed = "format_failed" => 1,
    InstallFailed = "install_failed" => 1,
    MergeConflict = "merge_conflict" => 4,
    UnresolvedConflict = "unresolved_conflict" => 4,
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Declares [`WarningCode`] the way `error_codes!` declares [`Code`]: a
/// warning never changes the exit code, so it has no exit column.
macro_rules! warning_codes {
    ($($variant:ident = $text:literal,)*) => {
        /// Every warning code flue reports (README "Warning codes", the schema's
        /// `warning.code` enum): snake_case and stable once released.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum WarningCode { $($variant,)* }

        impl WarningCode {
            /// Every warning code, in the README's order.
            pub const ALL: &'static [WarningCode] = &[$(WarningCode::$variant,)*];

            /// The JSON `code`.
            pub fn as_str(self) -> &'static str {
                match self { $(WarningCode::$variant => $text,)* }
            }
        }
    };
}

warning_codes! {
    WranglerWithoutCloudflareTarget = "wrangler_without_cloudflare_target",
    ConflictingFlueTargets = "conflicting_flue_targets",
    NotAFlueProject = "not_a_flue_project",
    OtherTargetDependency = "other_target_dependency",
    UnpublishedDependency = "unpublished_dependency",
    RuntimeVersionUnknown = "runtime_version_unknown",
    RuntimeTooOld = "runtime_too_old",
    RuntimeOlderThanFile = "runtime_older_than_file",
    MergeBase = "merge_base",
    TsconfigExcludesFile = "tsconfig_excludes_file",
    StyleNote = "style_note",
    PnpmIgnoredBuilds = "pnpm_ignored_builds",
    UnreadableInput = "unreadable_input",
    WranglerConfigCreated = "wrangler_config_created",
    UnmarkedFile = "unmarked_file",
    OtherBlueprint = "other_blueprint",
    NewerBlueprint = "newer_blueprint",
}

impl fmt::Display for WarningCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for WarningCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// An error a user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Stable machine-readable code (`invalid_manifest`, `unknown_blueprint`, …).
    pub code: Code,
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
    pub fn new(code: Code, message: impl Into<String>) -> Self {
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
        self.code.exit_code()
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
