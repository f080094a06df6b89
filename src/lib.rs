//! flue: a native blueprint generator for Flue projects.
//!
//! Detection (`project`) reads files into values, planning (`plan`) turns
//! them into a `Plan` without touching the disk, `apply` writes a plan all or
//! nothing, and `report` renders it as text or JSON. `cli` is the thin shell.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod apply;
pub mod blueprint;
pub mod cli;
pub mod error;
pub mod fsx;
pub mod merge;
pub mod plan;
pub mod project;
pub mod report;
pub mod style;
