//! Turns `templates/<kind>/<name>/` folders into the compiled-in catalog
//! (`$OUT_DIR/catalog.rs`, included by `src/blueprint/mod.rs`). A malformed
//! descriptor or template fails the build with `file:line:column: message`.

use std::path::{Path, PathBuf};

#[path = "src/blueprint/descriptor.rs"]
mod descriptor;

use descriptor::{DescError, Descriptor, UnpublishedDesc};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/blueprint/descriptor.rs");
    match catalog(&root) {
        Ok(code) => {
            let dest = out.join("catalog.rs");
            if std::fs::read_to_string(&dest).ok().as_deref() != Some(code.as_str()) {
                std::fs::write(&dest, code).expect("OUT_DIR is writable");
            }
        }
        Err(e) => {
            eprintln!("error: invalid blueprint: {e}");
            std::process::exit(1);
        }
    }
}

fn io_error(path: &str, e: std::io::Error) -> DescError {
    DescError {
        file: path.to_string(),
        line: 1,
        column: 1,
        message: format!("cannot read it: {e}"),
    }
}

fn catalog(root: &Path) -> Result<String, DescError> {
    let templates = root.join("templates");
    println!("cargo:rerun-if-changed=templates");
    let rel = |p: &Path| {
        p.strip_prefix(root)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/")
    };
    let mut descs: Vec<Descriptor> = Vec::new();
    let mut dirs: Vec<String> = Vec::new();
    let mut unpublished: Vec<UnpublishedDesc> = Vec::new();
    let walk = walkdir::WalkDir::new(&templates)
        .min_depth(1)
        .sort_by_file_name();
    for entry in walk {
        let entry = entry.map_err(|e| DescError {
            file: "templates".into(),
            line: 1,
            column: 1,
            message: format!("cannot walk it: {e}"),
        })?;
        let path = entry.path();
        let shown = rel(path);
        println!("cargo:rerun-if-changed={}", path.display());
        let name = entry.file_name().to_string_lossy().to_string();
        let is_dir = entry.file_type().is_dir();
        match entry.depth() {
            1 if is_dir => {}
            2 if is_dir && !name.starts_with(['_', '.']) => {
                let kind = path
                    .parent()
                    .and_then(|p| p.file_name())
                    .unwrap_or_default();
                let kind = kind.to_string_lossy().to_string();
                let file = path.join("blueprint.toml");
                let file_shown = rel(&file);
                let text = std::fs::read_to_string(&file).map_err(|e| DescError {
                    message: format!("a blueprint folder needs a `blueprint.toml`: {e}"),
                    ..io_error(&file_shown, e)
                })?;
                let d = descriptor::parse(&file_shown, &text, &kind, &name)?;
                let read = |f: &str| std::fs::read_to_string(path.join(f)).ok();
                descriptor::check_files(&d, &shown, &read)?;
                descs.push(d);
                dirs.push(path.to_string_lossy().replace('\\', "/"));
            }
            2 if name == "_unpublished.toml" => {
                let kind = path
                    .parent()
                    .and_then(|p| p.file_name())
                    .unwrap_or_default();
                let text = std::fs::read_to_string(path).map_err(|e| io_error(&shown, e))?;
                unpublished.extend(descriptor::parse_unpublished(
                    &shown,
                    &text,
                    &kind.to_string_lossy(),
                )?);
            }
            1 | 2 if !name.starts_with('.') => {
                return Err(DescError {
                    file: shown,
                    line: 1,
                    column: 1,
                    message: "unexpected here: `templates/` holds `<kind>/<name>/` folders and `<kind>/_unpublished.toml`".into(),
                });
            }
            _ => {}
        }
    }
    descriptor::check_catalog(&descs, &unpublished)?;
    Ok(descriptor::generate(&descs, &dirs, &unpublished))
}
