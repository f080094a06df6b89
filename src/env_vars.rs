//! Every environment variable flue reads, named once (as uv's `env_vars.rs`
//! does). They are read in one place, `cli::Env::capture`, into `Settings`;
//! nothing else in flue reads the environment.

/// Set by CI services: never prompt.
pub const CI: &str = "CI";
/// Any non-empty value turns colour off (<https://no-color.org>).
pub const NO_COLOR: &str = "NO_COLOR";
/// Turns colour on even when stderr is not a terminal.
pub const CLICOLOR_FORCE: &str = "CLICOLOR_FORCE";
/// `dumb` turns colour off.
pub const TERM: &str = "TERM";
/// Where upward walks stop.
pub const HOME: &str = "HOME";
/// The home directory on Windows.
pub const USERPROFILE: &str = "USERPROFILE";
/// Set by npm, pnpm, yarn and bun when they run a script or a bin: names the
/// package manager.
pub const NPM_USER_AGENT: &str = "npm_config_user_agent";
/// Test-only fault injection (`read:<path suffix>`, `write:<n>`); never set in
/// normal use.
pub const TEST_FAULT: &str = "FLUE_TEST_FAULT";

/// Environment variables that coding agents set.
pub const AGENT_VARS: &[&str] = &[
    "AI_AGENT",
    "CLAUDECODE",
    "CLAUDE_CODE",
    "CURSOR_AGENT",
    "CURSOR_TRACE_ID",
    "CODEX_SANDBOX",
    "CODEX_CI",
    "CODEX_THREAD_ID",
    "GEMINI_CLI",
    "OPENCODE",
    "OPENCODE_CLIENT",
    "AUGMENT_AGENT",
    "ANTIGRAVITY_AGENT",
    "REPL_ID",
    "CLINE_ACTIVE",
    "GOOSE_TERMINAL",
    "AMP_AGENT",
];
