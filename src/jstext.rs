//! Facts about JavaScript/TypeScript source text shared by the two readers
//! of it (the config scanner in `project::target` and the formatter's
//! tokenizer in `style`). Knows nothing about either.

/// Keywords after which an expression starts, so a `/` there begins a regex
/// literal rather than a division (the usual tokenizer heuristic).
pub const KEYWORDS_BEFORE_EXPRESSION: &[&str] = &[
    "return",
    "typeof",
    "instanceof",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "case",
    "do",
    "else",
    "yield",
    "await",
];
