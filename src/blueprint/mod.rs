//! The catalog: blueprints as data. A blueprint is a folder
//! `templates/<kind>/<name>/` holding a descriptor (`blueprint.toml`), one
//! template per version and a guide; the build script compiles the folders
//! into `CATALOG`. Adding a blueprint or a version is adding files, never
//! Rust. This module holds only the types the generated code fills in.

#[cfg(test)]
mod codegen;
#[cfg(test)]
mod descriptor;
#[cfg(test)]
mod descriptor_tests;
pub mod format;
pub mod marker;
pub mod render;
pub mod spec;

use crate::project::TargetName;

/// A dependency a blueprint version adds to `package.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dep {
    /// npm package name.
    pub name: &'static str,
    /// npm range written into `dependencies`.
    pub range: &'static str,
    /// Which targets need it; empty means every target.
    pub targets: &'static [TargetName],
    /// A caveat reported whenever the dependency is added (e.g. unpublished).
    pub caveat: Option<&'static str>,
    /// The `package.json` section: `dependencies` or `devDependencies`.
    pub section: &'static str,
}

impl Dep {
    pub fn applies_to(&self, target: TargetName) -> bool {
        self.targets.is_empty() || self.targets.contains(&target)
    }
}

/// One version of a blueprint: its template and its data.
#[derive(Debug, Clone, Copy)]
pub struct Version {
    /// The number in the marker (`@2`).
    pub number: u32,
    /// The oldest runtime (`runtime_package`) this version's code compiles against.
    pub min_runtime: &'static str,
    /// What changed, one line, for reports and the guide.
    pub summary: &'static str,
    /// Renders the template (Prettier default style, LF, final newline).
    pub render: fn() -> String,
    /// Dependencies this version adds.
    pub deps: &'static [Dep],
    /// Entries this version adds to the project's config files.
    pub config: &'static [ConfigEdit],
}

/// An entry a version adds to a config file: `item` is appended to the
/// top-level array `key` unless an element already matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfigEdit {
    pub target: TargetName,
    /// Which config: `wrangler` (`wrangler.jsonc`, `wrangler.json` or `wrangler.toml`).
    pub file: &'static str,
    /// A top-level array.
    pub key: &'static str,
    /// The entry, as JSON text.
    pub item: &'static str,
    /// Elements compare by this field; `None` compares whole values.
    pub match_key: Option<&'static str>,
}

/// Whether a blueprint runs on a target, and why not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TargetSupport {
    pub target: TargetName,
    pub supported: bool,
    /// The sentence a refusal prints (set when unsupported).
    pub why: Option<&'static str>,
}

/// An environment variable the generated file reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnvVar {
    pub name: &'static str,
    pub purpose: &'static str,
}

/// A blueprint this build leaves out because its SDK cannot be installed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unpublished {
    pub kind: &'static str,
    pub name: &'static str,
    pub package: &'static str,
    /// Why it is left out, for the catalog listing.
    pub note: &'static str,
}

/// A known file that is not a render of any version but that real projects
/// carry under a marker (upstream's guide shipped them); used as a merge base.
#[derive(Debug, Clone, Copy)]
pub struct Variant {
    /// Marker version the variant carries.
    pub marker_version: u32,
    /// Where it came from, for the report.
    pub origin: &'static str,
    pub render: fn() -> String,
}

/// A blueprint descriptor.
#[derive(Debug, Clone, Copy)]
pub struct Blueprint {
    pub kind: &'static str,
    pub name: &'static str,
    /// Other names it answers to, compared case-insensitively.
    pub aliases: &'static [&'static str],
    /// One-line summary for the catalog listing.
    pub summary: &'static str,
    /// Output path relative to the source root, `/`-separated.
    pub output: &'static str,
    /// The package whose installed version decides which version fits.
    pub runtime_package: &'static str,
    /// One entry per target this flue knows.
    pub targets: &'static [TargetSupport],
    /// Environment variables the generated file reads.
    pub env: &'static [EnvVar],
    /// Versions, oldest first.
    pub versions: &'static [Version],
    pub variants: &'static [Variant],
    /// The Markdown guide printed by `--print` (upgrade diffs are inserted).
    pub guide: &'static str,
    /// The next step after a fresh install; `{file}` is the written path.
    pub wire_up: &'static str,
}

impl Blueprint {
    pub fn latest(&self) -> &'static Version {
        self.versions
            .last()
            .expect("a blueprint has at least one version")
    }

    pub fn version(&self, n: u32) -> Option<&'static Version> {
        self.versions.iter().find(|v| v.number == n)
    }

    pub fn id(&self) -> String {
        format!("{}/{}", self.kind, self.name)
    }

    /// Why the blueprint cannot run on `target`, when it cannot.
    pub fn unsupported(&self, target: TargetName) -> Option<&'static str> {
        self.targets
            .iter()
            .find(|t| t.target == target && !t.supported)
            .map(|t| t.why.unwrap_or("it does not support this target"))
    }
}

// The catalog, generated by `build.rs` from `templates/`: the askama
// template types, `CATALOG` and `UNPUBLISHED`.
include!(concat!(env!("OUT_DIR"), "/catalog.rs"));

/// Every kind this build carries, in catalog order, without repeats.
pub fn kinds() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for b in CATALOG {
        if !out.contains(&b.kind) {
            out.push(b.kind);
        }
    }
    out
}
