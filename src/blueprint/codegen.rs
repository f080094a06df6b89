//! Writes the Rust source of the compiled-in catalog from parsed
//! descriptors. Used by `build.rs` only (included with `#[path]`, beside
//! `descriptor.rs`).

use super::descriptor::{Descriptor, UnpublishedDesc, template_name};

fn lit(s: &str) -> String {
    format!("{s:?}")
}

fn opt_lit(s: &Option<String>) -> String {
    match s {
        Some(s) => format!("Some({s:?})"),
        None => "None".to_string(),
    }
}

fn targets_lit(ts: &[String]) -> String {
    let items: Vec<String> = ts.iter().map(|t| target_variant(t)).collect();
    format!("&[{}]", items.join(", "))
}

fn target_variant(t: &str) -> String {
    let mut c = t.chars();
    let first = c.next().map(|f| f.to_ascii_uppercase()).unwrap_or('_');
    format!("TargetName::{first}{}", c.as_str())
}

/// The Rust source of the catalog. `dirs[i]` is the absolute folder of
/// `descs[i]` (for `include_str!`); `rel_dirs[i]` the folder relative to
/// `templates/` (for askama's `path`).
pub fn generate(
    descs: &[Descriptor],
    abs_dirs: &[String],
    unpublished: &[UnpublishedDesc],
) -> String {
    let mut types = String::new();
    let mut entries = String::new();
    let mut n = 0usize;
    let mut template = |rel: String, out: &mut String| -> String {
        n += 1;
        out.push_str(&format!(
            "#[derive(askama::Template)]\n#[template(path = {}, escape = \"none\")]\nstruct Template{n};\n",
            lit(&rel)
        ));
        format!("|| render::render(&Template{n})")
    };
    for (d, abs) in descs.iter().zip(abs_dirs) {
        let rel = format!("{}/{}", d.kind, d.name);
        let mut versions = String::new();
        for v in &d.versions {
            let render = template(format!("{rel}/{}", template_name(v.number)), &mut types);
            let deps: Vec<String> = v
                .deps
                .iter()
                .map(|dep| {
                    format!(
                        "Dep {{ name: {}, range: {}, targets: {}, caveat: {}, section: {} }}",
                        lit(&dep.name),
                        lit(&dep.range),
                        targets_lit(&dep.targets),
                        opt_lit(&dep.caveat),
                        lit(&dep.section)
                    )
                })
                .collect();
            let config: Vec<String> = v
                .config
                .iter()
                .map(|c| {
                    format!(
                        "ConfigEdit {{ target: {}, file: {}, key: {}, item: {}, match_key: {} }}",
                        target_variant(&c.target),
                        lit(&c.file),
                        lit(&c.key),
                        lit(&c.item_json),
                        opt_lit(&c.match_key)
                    )
                })
                .collect();
            versions.push_str(&format!(
                "Version {{ number: {}, min_runtime: {}, summary: {}, render: {render}, deps: &[{}], config: &[{}] }},\n",
                v.number,
                lit(&v.min_runtime),
                lit(&v.summary),
                deps.join(", "),
                config.join(", ")
            ));
        }
        let mut variants = String::new();
        for v in &d.variants {
            let render = template(format!("{rel}/{}", v.file), &mut types);
            variants.push_str(&format!(
                "Variant {{ marker_version: {}, origin: {}, render: {render} }},\n",
                v.marker_version,
                lit(&v.origin)
            ));
        }
        let targets: Vec<String> = d
            .targets
            .iter()
            .map(|t| {
                format!(
                    "TargetSupport {{ target: {}, supported: {}, why: {} }}",
                    target_variant(&t.target),
                    t.supported,
                    opt_lit(&t.why)
                )
            })
            .collect();
        let env: Vec<String> = d
            .env
            .iter()
            .map(|e| {
                format!(
                    "EnvVar {{ name: {}, purpose: {} }}",
                    lit(&e.name),
                    lit(&e.purpose)
                )
            })
            .collect();
        let aliases: Vec<String> = d.aliases.iter().map(|a| lit(a)).collect();
        entries.push_str(&format!(
            "Blueprint {{\n kind: {}, name: {}, aliases: &[{}], summary: {}, output: {}, runtime_package: {},\n targets: &[{}],\n env: &[{}],\n versions: &[\n{versions}],\n variants: &[\n{variants}],\n guide: include_str!({}),\n wire_up: {},\n}},\n",
            lit(&d.kind),
            lit(&d.name),
            aliases.join(", "),
            lit(&d.summary),
            lit(&d.output),
            lit(&d.runtime_package),
            targets.join(", "),
            env.join(", "),
            lit(&format!("{abs}/guide.md")),
            lit(&d.wire_up)
        ));
    }
    let unpublished: Vec<String> = unpublished
        .iter()
        .map(|u| {
            format!(
                "Unpublished {{ kind: {}, name: {}, package: {}, note: {} }}",
                lit(&u.kind),
                lit(&u.name),
                lit(&u.package),
                lit(&u.note)
            )
        })
        .collect();
    format!(
        "// Generated by build.rs from templates/: do not edit.\n{types}\n/// Every blueprint this build carries, in display order (kind, then name).\npub static CATALOG: &[Blueprint] = &[\n{entries}];\n\n/// Blueprints left out because their SDK cannot be installed.\npub static UNPUBLISHED: &[Unpublished] = &[{}];\n",
        unpublished.join(", ")
    )
}
