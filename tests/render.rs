//! Snapshots of every template version's render, the guide, and `--help`;
//! plus the properties every render must have.

use flue::blueprint::{Blueprint, CATALOG, marker};

fn mirage() -> &'static Blueprint {
    CATALOG.iter().find(|b| b.name == "mirage").unwrap()
}

#[test]
fn every_render_is_exact_deterministic_and_marked() {
    for bp in CATALOG {
        for v in bp.versions {
            let a = (v.render)();
            let b = (v.render)();
            assert_eq!(a, b, "{}@{} renders differently twice", bp.id(), v.number);
            assert!(!a.contains('\r'), "{}@{} has CR", bp.id(), v.number);
            assert!(
                a.ends_with('\n') && !a.ends_with("\n\n"),
                "{}@{} must end with one newline",
                bp.id(),
                v.number
            );
            let expected = marker::Marker {
                kind: bp.kind.into(),
                name: bp.name.into(),
                version: v.number,
            };
            assert_eq!(a.lines().next(), Some(expected.to_string().as_str()));
            // No template syntax is interpreted: the render is the file itself.
            let path = format!(
                "{}/templates/{}/{}/v{}.ts",
                env!("CARGO_MANIFEST_DIR"),
                bp.kind,
                bp.name,
                v.number
            );
            let file = std::fs::read_to_string(&path).unwrap();
            assert_eq!(
                a,
                flue::blueprint::render::normalize(&file),
                "{path} contains template syntax"
            );
        }
    }
}

#[test]
fn mirage_v1_render() {
    let bp = mirage();
    insta::assert_snapshot!("mirage_v1", (bp.version(1).unwrap().render)());
}

#[test]
fn mirage_v2_render() {
    let bp = mirage();
    insta::assert_snapshot!("mirage_v2", (bp.version(2).unwrap().render)());
}

#[test]
fn mirage_guide_with_computed_upgrade_diffs() {
    let g = flue::cli::guide(mirage());
    assert!(!g.contains("<!-- flue:upgrade-diffs -->"));
    assert!(
        g.contains("+// flue-blueprint: sandbox/mirage@2"),
        "the upgrade diff is computed from the renders"
    );
    insta::assert_snapshot!("mirage_guide", g);
}

#[test]
fn help_texts() {
    use clap::CommandFactory;
    let mut cmd = flue::cli::Cli::command();
    let help = cmd.render_long_help().to_string();
    insta::assert_snapshot!("help", help);
    let add = cmd
        .find_subcommand_mut("add")
        .unwrap()
        .render_long_help()
        .to_string();
    insta::assert_snapshot!("help_add", add);
}

/// Every error and warning code the code can emit is documented in the README.
#[test]
fn every_code_is_documented() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let mut missing = Vec::new();
    for entry in walkdir::WalkDir::new(format!("{root}/src")) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() || entry.path().to_string_lossy().ends_with("_tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for pat in ["Error::new(", "code: "] {
            for (i, _) in text.match_indices(pat) {
                let Some(rest) = text[i + pat.len()..].trim_start().strip_prefix('"') else {
                    continue;
                };
                let code: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_' || c.is_ascii_digit())
                    .collect();
                if !code.is_empty()
                    && rest[code.len()..].starts_with('"')
                    && !readme.contains(&format!("`{code}`"))
                {
                    missing.push(format!("{code} ({})", entry.path().display()));
                }
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "codes missing from README.md: {missing:?}"
    );
}
