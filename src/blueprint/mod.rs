//! The catalog: blueprints as data. A blueprint is a descriptor (kind, name,
//! aliases, output path, versions with their dependency ranges) plus template
//! files under `templates/<kind>/<name>/`. Adding a blueprint or a version is
//! adding template files and one entry here, never new control flow.

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
}

macro_rules! template {
    ($ty:ident, $path:literal) => {
        #[derive(askama::Template)]
        #[template(path = $path, escape = "none")]
        struct $ty;
    };
}

template!(MirageV1, "sandbox/mirage/v1.ts");
template!(MirageV2, "sandbox/mirage/v2.ts");
template!(
    MirageUpstreamV1,
    "sandbox/mirage/known/upstream-v1-next-api.ts"
);

const MIRAGE_DEPS: &[Dep] = &[
    Dep {
        name: "@struktoai/mirage-node",
        range: "^0.0.2",
        targets: &[TargetName::Node],
        caveat: None,
    },
    Dep {
        name: "@struktoai/mirage-browser",
        range: "^0.0.2",
        targets: &[TargetName::Cloudflare],
        caveat: Some(
            "`@struktoai/mirage-browser` was not published on the npm registry when this blueprint was made (E404, 2026-11): installing it fails until it is",
        ),
    },
    Dep {
        name: "@struktoai/mirage-core",
        range: "^0.0.2",
        targets: &[],
        caveat: None,
    },
];

/// Every blueprint this build carries, in display order.
pub static CATALOG: &[Blueprint] = &[Blueprint {
    kind: "sandbox",
    name: "mirage",
    aliases: &["@struktoai/mirage-node", "@struktoai/mirage-browser"],
    summary: "Mirage workspace as a Flue sandbox (mounted resources behind one boundary)",
    output: "sandboxes/mirage.ts",
    runtime_package: "@flue/runtime",
    versions: &[
        Version {
            number: 1,
            min_runtime: "1.0.0-beta.5",
            summary: "session-env API (`createSandboxSessionEnv`, `SandboxApi`)",
            render: || render::render(&MirageV1),
            deps: MIRAGE_DEPS,
        },
        Version {
            number: 2,
            min_runtime: "2.0.3",
            summary: "driver API (`sandboxFromDriver`, `SandboxDriver`); refuses writes under read-only mounts",
            render: || render::render(&MirageV2),
            deps: MIRAGE_DEPS,
        },
    ],
    variants: &[Variant {
        marker_version: 1,
        origin: "upstream's guide, which shipped the driver-API adapter under `@1`",
        render: || render::render(&MirageUpstreamV1),
    }],
    guide: include_str!("../../templates/sandbox/mirage/guide.md"),
    wire_up: "pass the sandbox to an agent: import `mirage` from `{file}`, build a Mirage `Workspace`, then give `mirage(workspace)` as the agent's sandbox (`flue add mirage --print` shows an example)",
}];

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
