//! flue: a native blueprint generator for Flue projects.
//!
//! Detection (`project`) reads files into values, planning (`plan`) turns
//! them into a `Plan` without touching the disk, `decide` says what to do
//! with it (write, hold back, exit code), `apply` writes a plan all or
//! nothing, and `report` renders it as text or JSON. `cli` is the thin shell.
#![warn(clippy::print_stdout, clippy::print_stderr)]
// Functions stay under 80 lines (`clippy.toml`); CI denies warnings.
#![warn(clippy::too_many_lines)]
// `Error` carries file, position, hint and notes for the user; it only travels the
// cold path once per run, so its size does not matter.
#![allow(clippy::result_large_err)]

pub mod apply;
pub mod blueprint;
pub mod cli;
pub mod config_edit;
pub mod decide;
pub mod env_vars;
pub mod error;
pub mod fsx;
pub mod glob;
pub mod js;
pub mod merge;
pub mod par;
pub mod plan;
pub mod project;
pub mod report;
pub mod status;
pub mod text;
pub mod workspace_run;
