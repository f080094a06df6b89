//! Descriptor errors name the file, line and column; checked here on
//! in-memory descriptors, without running cargo.

use super::descriptor::{self, DescError, check_files, check_template, parse};

const FILE: &str = "templates/sandbox/demo/blueprint.toml";

/// A valid descriptor of `sandbox/demo`; tests break one line of it.
const GOOD: &str = r#"kind = "sandbox"
name = "demo"
aliases = ["demo-sdk"]
summary = "Demo"
output = "sandboxes/demo.ts"
runtime_package = "@flue/runtime"
wire_up = "use `{file}`"

[targets.node]
supported = true
[targets.cloudflare]
supported = false
why = "Demo needs Node's `net`: it cannot run in a Cloudflare Worker"

[[env]]
name = "DEMO_API_KEY"
purpose = "API key"

[[versions]]
number = 2
min_runtime = "2.0.3"
summary = "second"

[[versions.deps]]
name = "demo-sdk"
range = "^1"
targets = ["node"]

[[versions.deps]]
name = "@types/demo"
range = "^1"
section = "devDependencies"

[[versions]]
number = 1
min_runtime = "1.0.0-beta.5"
summary = "first"
"#;

fn err(text: &str) -> DescError {
    parse(FILE, text, "sandbox", "demo").expect_err("the descriptor is invalid")
}

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle")
        + 1
}

#[test]
fn a_good_descriptor_parses_with_versions_sorted_and_defaults() {
    let d = parse(FILE, GOOD, "sandbox", "demo").unwrap();
    assert_eq!(
        d.versions.iter().map(|v| v.number).collect::<Vec<_>>(),
        [1, 2]
    );
    let v2 = &d.versions[1];
    assert_eq!(v2.deps[0].section, "dependencies");
    assert_eq!(v2.deps[1].section, "devDependencies");
    assert_eq!(v2.line, line_of(GOOD, "number = 2") - 1);
    assert!(!d.targets[1].supported);
    assert!(
        d.targets[1]
            .why
            .as_deref()
            .unwrap()
            .contains("Cloudflare Worker")
    );
    assert_eq!(d.env[0].name, "DEMO_API_KEY");
}

#[test]
fn the_real_mirage_descriptor_parses() {
    let text = include_str!("../../templates/sandbox/mirage/blueprint.toml");
    let d = parse("mirage", text, "sandbox", "mirage").unwrap();
    assert_eq!(d.versions.len(), 2);
    assert_eq!(d.variants[0].marker_version, 1);
}

#[test]
fn missing_key_points_at_its_table() {
    let text = GOOD.replace("min_runtime = \"2.0.3\"\n", "");
    let e = err(&text);
    assert_eq!(e.file, FILE);
    assert_eq!(e.line, line_of(&text, "number = 2") - 1, "{e}");
    assert!(e.message.contains("missing `min_runtime`"), "{e}");
    let e = err(&GOOD.replace("summary = \"Demo\"\n", ""));
    assert!(e.message.contains("missing `summary`"), "{e}");
}

#[test]
fn wrong_type_points_at_the_value() {
    let text = GOOD.replace("number = 1", "number = \"one\"");
    let e = err(&text);
    assert_eq!((e.line, e.column), (line_of(&text, "\"one\""), 10), "{e}");
    assert!(e.message.contains("whole number"), "{e}");
    let text = GOOD.replace("supported = true", "supported = \"yes\"");
    let e = err(&text);
    assert_eq!(e.line, line_of(&text, "\"yes\""), "{e}");
    let text = GOOD.replace("aliases = [\"demo-sdk\"]", "aliases = [\"demo-sdk\", 3]");
    assert_eq!(err(&text).line, 3);
}

#[test]
fn unknown_key_points_at_the_key() {
    let text = GOOD.replace(
        "range = \"^1\"\ntargets",
        "range = \"^1\"\ncaveats = \"x\"\ntargets",
    );
    let e = err(&text);
    assert_eq!((e.line, e.column), (line_of(&text, "caveats"), 1), "{e}");
    assert!(e.message.contains("unknown key `caveats`"), "{e}");
    let e = err(&format!("colour = 1\n{GOOD}"));
    assert_eq!(e.line, 1);
}

#[test]
fn unknown_target_is_refused_in_each_place() {
    let text = GOOD.replace(
        "[targets.cloudflare]",
        "[targets.deno]\nsupported = true\n[targets.cloudflare]",
    );
    let e = err(&text);
    assert_eq!(e.line, line_of(&text, "[targets.deno]"), "{e}");
    assert!(e.message.contains("unknown target `deno`"), "{e}");
    let text = GOOD.replace("targets = [\"node\"]", "targets = [\"bun\"]");
    let e = err(&text);
    assert_eq!(e.line, line_of(&text, "\"bun\""), "{e}");
    // A dependency for a target the blueprint does not support.
    let text = GOOD.replace("targets = [\"node\"]", "targets = [\"cloudflare\"]");
    assert!(err(&text).message.contains("marks unsupported"));
}

#[test]
fn target_rules_need_every_target_and_a_why_when_unsupported() {
    let text = GOOD.replace(
        "why = \"Demo needs Node's `net`: it cannot run in a Cloudflare Worker\"\n",
        "",
    );
    let e = err(&text);
    assert!(e.message.contains("missing `why`"), "{e}");
    assert_eq!(e.line, line_of(&text, "[targets.cloudflare]"));
    let text = GOOD.replace("[targets.node]\nsupported = true\n", "");
    assert!(err(&text).message.contains("missing `node`"));
}

#[test]
fn folder_names_and_duplicates() {
    let e = parse(FILE, GOOD, "sandbox", "other").unwrap_err();
    assert!(e.message.contains("folder `other`"), "{e}");
    assert_eq!(e.line, 2);
    let text = GOOD.replace("number = 1", "number = 2");
    assert!(err(&text).message.contains("listed twice"));
    let text = GOOD.replace(
        "section = \"devDependencies\"",
        "section = \"peerDependencies\"",
    );
    assert!(err(&text).message.contains("`section`"));
}

#[test]
fn invalid_toml_names_the_line() {
    let text = GOOD.replace("summary = \"first\"", "summary = \"first");
    let e = err(&text);
    assert_eq!(e.line, line_of(&text, "summary = \"first"), "{e}");
    assert!(e.message.starts_with("invalid TOML"), "{e}");
}

#[test]
fn config_edits_are_checked_and_carried_as_json() {
    let text = format!(
        "{}\n[[versions.config]]\ntarget = \"node\"\nfile = \"wrangler\"\nkey = \"worker_loaders\"\nitem = {{ binding = \"LOADER\", n = 1 }}\nmatch = \"binding\"\n",
        GOOD
    );
    let d = parse(FILE, &text, "sandbox", "demo").unwrap();
    let c = &d.versions[0].config[0];
    assert_eq!(c.item_json, r#"{"binding":"LOADER","n":1}"#);
    assert_eq!(c.match_key.as_deref(), Some("binding"));
    let bad = text.replace("match = \"binding\"", "match = \"name\"");
    let e = err(&bad);
    assert_eq!(e.line, line_of(&bad, "match = \"name\""), "{e}");
    let bad = text.replace("file = \"wrangler\"", "file = \"vite\"");
    assert!(err(&bad).message.contains("unknown config file"));
}

#[test]
fn templates_must_exist_and_carry_their_marker() {
    let d = parse(FILE, GOOD, "sandbox", "demo").unwrap();
    let dir = "templates/sandbox/demo";
    let files = |v1: &'static str| {
        move |f: &str| match f {
            "v1.ts" => Some(v1.to_string()),
            "v2.ts" => Some("// flue-blueprint: sandbox/demo@2\nx;\n".to_string()),
            "guide.md" => Some("# Demo\n".to_string()),
            _ => None,
        }
    };
    check_files(&d, dir, &files("// flue-blueprint: sandbox/demo@1\n")).unwrap();
    let e = check_files(&d, dir, &files("// flue-blueprint: sandbox/demo@3\n")).unwrap_err();
    assert_eq!(e.file, "templates/sandbox/demo/v1.ts");
    assert_eq!(e.line, 1);
    assert!(
        e.message
            .contains("expected the marker `// flue-blueprint: sandbox/demo@1`")
    );
    let e = check_files(&d, dir, &|f: &str| {
        (f != "v2.ts").then(|| "// flue-blueprint: sandbox/demo@1\n".to_string())
    })
    .unwrap_err();
    assert_eq!(e.file, FILE);
    assert_eq!(e.line, line_of(GOOD, "number = 2") - 1, "{e}");
    assert!(e.message.contains("v2.ts` is missing"));
}

#[test]
fn template_syntax_is_refused_with_its_line() {
    let e = check_template(
        "v1.ts",
        "// flue-blueprint: sandbox/demo@1\nconst a = 1;\nconst s = `{{x}}`;\n",
        "sandbox",
        "demo",
        1,
    )
    .unwrap_err();
    assert_eq!((e.line, e.column), (3, 12));
}

#[test]
fn unpublished_list() {
    let text =
        "[[unpublished]]\nname = \"boxd\"\npackage = \"@boxd-sh/sdk\"\nnote = \"not on npm\"\n";
    let u = descriptor::parse_unpublished("u.toml", text, "sandbox").unwrap();
    assert_eq!(u[0].package, "@boxd-sh/sdk");
    let e = descriptor::parse_unpublished("u.toml", &text.replace("note", "notes"), "sandbox")
        .unwrap_err();
    assert_eq!(e.line, 4);
}
