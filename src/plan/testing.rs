//! Projects built from strings, for the unit tests of planning, deciding and
//! status: no temp directory, no detection.

use std::path::PathBuf;

use crate::blueprint::{Blueprint, CATALOG, spec::Request};
use crate::project::{
    Evidence, FileState, Manifest, PackageManager, Pm, Project, RuntimeInfo, Target, TargetName,
};

pub(crate) fn mirage() -> &'static Blueprint {
    CATALOG.iter().find(|b| b.name == "mirage").unwrap()
}

/// The default-style render of version `n` of the Mirage blueprint.
pub(crate) fn render(n: u32) -> String {
    (mirage().version(n).unwrap().render)()
}

/// A request for the Mirage blueprint, unpinned.
pub(crate) fn request() -> Request {
    Request {
        blueprint: mirage(),
        pinned: None,
    }
}

/// The file at the Mirage blueprint's output path, holding `content`.
pub(crate) fn output(content: Option<String>) -> FileState {
    file(
        "/p/src/sandboxes/mirage.ts",
        "src/sandboxes/mirage.ts",
        content,
    )
}

fn file(path: &str, display: &str, content: Option<String>) -> FileState {
    FileState {
        path: PathBuf::from(path),
        display: display.into(),
        content,
        via_symlink: false,
        read_only: false,
    }
}

/// A Node project with `runtime` of `@flue/runtime` installed and the
/// Mirage dependencies declared, whose output file holds `content`.
pub(crate) fn project(runtime: &str, content: Option<String>) -> Project {
    let text = format!(
        "{{\"dependencies\": {{\"@flue/runtime\": \"{runtime}\", \"@struktoai/mirage-core\": \"^0.0.2\", \"@struktoai/mirage-node\": \"^0.0.2\"}}}}"
    );
    let ev = Evidence {
        reason: "test".into(),
        file: None,
        line: None,
        column: None,
    };
    Project {
        root: PathBuf::from("/p"),
        source_root: PathBuf::from("/p/src"),
        manifest_file: file("/p/package.json", "package.json", Some(text.clone())),
        manifest: Manifest::parse(&text).unwrap(),
        pm: Pm {
            name: PackageManager::Npm,
            evidence: ev.clone(),
        },
        target: Target {
            name: TargetName::Node,
            evidence: ev,
        },
        runtime: RuntimeInfo {
            installed: Some((runtime.to_string(), "node_modules".into())),
            ..Default::default()
        },
        output: output(content),
        style: crate::project::style::Detected {
            style: Default::default(),
            source: None,
            notes: vec![],
        },
        tsconfig: None,
        lockfile: None,
        warnings: vec![],
        env_example: Ok(file("/p/.env.example", ".env.example", None)),
        wrangler: Ok(file("/p/wrangler.jsonc", "wrangler.jsonc", None)),
    }
}
