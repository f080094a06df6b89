//! Snapshots of every template version's render, the guide, and `--help`;
//! plus the properties every render must have.

use flue::blueprint::{CATALOG, marker};

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
    let bp = &CATALOG[0];
    insta::assert_snapshot!("mirage_v1", (bp.version(1).unwrap().render)());
}

#[test]
fn mirage_v2_render() {
    let bp = &CATALOG[0];
    insta::assert_snapshot!("mirage_v2", (bp.version(2).unwrap().render)());
}

#[test]
fn mirage_guide_with_computed_upgrade_diffs() {
    let g = flue::cli::guide(&CATALOG[0]);
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
