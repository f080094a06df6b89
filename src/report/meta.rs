//! Reports that are not about a plan: the catalog listing, `--version`,
//! a blueprint's guide (`--print`), help and completion scripts, and
//! clap's usage errors. Each is text on stdout or one JSON object built
//! from the `#[derive(Serialize)]` structs here.

use serde::Serialize;

use super::json::{ErrorJson, Versioned};
use super::{Output, print_stdout};
use crate::blueprint::{Blueprint, CATALOG, UNPUBLISHED};
use crate::error::Error;

/// The fields every one of these objects starts with, then the body's.
#[derive(Serialize)]
struct Done<'a, T: Serialize> {
    ok: bool,
    exit_code: i32,
    command: &'static str,
    #[serde(flatten)]
    body: T,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorJson<'a>>,
}

/// Prints `body` as the one JSON object of a `command` that succeeded.
fn print_json<T: Serialize>(command: &'static str, body: T) {
    print_object(command, 0, body, None);
}

fn print_object<T: Serialize>(
    command: &'static str,
    exit_code: i32,
    body: T,
    error: Option<&Error>,
) {
    let done = Done {
        ok: error.is_none(),
        exit_code,
        command,
        body,
        error: error.map(ErrorJson::from),
    };
    print_stdout(&format!("{}\n", Versioned::new(done).to_value()));
}

/// One blueprint of the catalog.
#[derive(Serialize)]
struct CatalogEntry {
    kind: &'static str,
    name: &'static str,
    aliases: &'static [&'static str],
    latest: u32,
    versions: Vec<VersionEntry>,
    summary: &'static str,
    installed: Option<u32>,
}

#[derive(Serialize)]
struct VersionEntry {
    version: u32,
    min_runtime: &'static str,
    summary: &'static str,
}

impl CatalogEntry {
    fn new(b: &'static Blueprint, installed: Option<u32>) -> Self {
        CatalogEntry {
            kind: b.kind,
            name: b.name,
            aliases: b.aliases,
            latest: b.latest().number,
            versions: b
                .versions
                .iter()
                .map(|v| VersionEntry {
                    version: v.number,
                    min_runtime: v.min_runtime,
                    summary: v.summary,
                })
                .collect(),
            summary: b.summary,
            installed,
        }
    }
}

#[derive(Serialize)]
struct UnpublishedEntry {
    kind: &'static str,
    name: &'static str,
    package: &'static str,
    note: &'static str,
}

#[derive(Serialize)]
struct CatalogBody {
    blueprints: Vec<CatalogEntry>,
    unpublished: Vec<UnpublishedEntry>,
}

/// `flue add` (and `flue add <kind>`): the blueprints listed, each with the
/// version installed in this project, and those left out.
pub fn catalog(rows: &[(&'static Blueprint, Option<u32>)], kind: Option<&str>, out: &Output) {
    let unpublished = UNPUBLISHED
        .iter()
        .filter(|u| kind.is_none_or(|k| u.kind == k));
    if out.json {
        let body = CatalogBody {
            blueprints: rows.iter().map(|(b, i)| CatalogEntry::new(b, *i)).collect(),
            unpublished: unpublished
                .map(|u| UnpublishedEntry {
                    kind: u.kind,
                    name: u.name,
                    package: u.package,
                    note: u.note,
                })
                .collect(),
        };
        return print_json("catalog", body);
    }
    let mut text = match kind {
        Some(k) => format!("Blueprints of kind `{k}` this flue carries:\n\n"),
        None => String::from("Blueprints this flue carries:\n\n"),
    };
    // Columns as wide as their longest cell.
    let kw = rows.iter().map(|(b, _)| b.kind.len()).fold(4, usize::max);
    let nw = rows.iter().map(|(b, _)| b.name.len()).fold(4, usize::max);
    let row = |k: &str, n: &str, latest: &str, inst: &str, summary: &str| {
        format!("  {k:<kw$} {n:<nw$} {latest:<7} {inst:<10} {summary}\n")
    };
    text.push_str(&row("KIND", "NAME", "LATEST", "INSTALLED", "SUMMARY"));
    for (b, i) in rows {
        let inst = i.map(|v| format!("@{v}")).unwrap_or_else(|| "-".into());
        let latest = format!("@{}", b.latest().number);
        text.push_str(&row(b.kind, b.name, &latest, &inst, b.summary));
    }
    // The human listing names every blueprint left out, whatever the kind.
    if !UNPUBLISHED.is_empty() {
        text.push_str("\nNot carried (their SDK cannot be installed):\n");
        for u in UNPUBLISHED {
            text.push_str(&format!("  {} {}: {}\n", u.kind, u.name, u.note));
        }
    }
    text.push_str(
        "\nhint: `flue add <kind> <name>` adds one; `flue add <name> --print` prints its guide\n",
    );
    print_stdout(&text);
}

#[derive(Serialize)]
struct VersionBody {
    version: &'static str,
    blueprints: Vec<CatalogEntry>,
}

/// `flue --version`: the tool's version and the blueprint versions it carries.
pub fn version(out: &Output) {
    let version = env!("CARGO_PKG_VERSION");
    if out.json {
        let blueprints = CATALOG.iter().map(|b| CatalogEntry::new(b, None)).collect();
        return print_json(
            "version",
            VersionBody {
                version,
                blueprints,
            },
        );
    }
    let mut text = format!("flue {version}\n");
    for b in CATALOG {
        let v: Vec<String> = b.versions.iter().map(|v| v.number.to_string()).collect();
        text.push_str(&format!(
            "blueprint {} versions {} (latest {})\n",
            b.id(),
            v.join(", "),
            b.latest().number
        ));
    }
    print_stdout(&text);
}

#[derive(Serialize)]
struct GuideBody<'a> {
    guide: &'a str,
}

/// `--print`: a blueprint's guide (Markdown).
pub fn guide(text: &str, out: &Output) {
    match out.json {
        true => print_json("print", GuideBody { guide: text }),
        false => print_stdout(text),
    }
}

#[derive(Serialize)]
struct CompletionsBody<'a> {
    shell: &'a str,
    script: &'a str,
}

/// `flue completions <shell>`: the script.
pub fn completions(shell: &str, script: &str, out: &Output) {
    match out.json {
        true => print_json("completions", CompletionsBody { shell, script }),
        false => print_stdout(script),
    }
}

#[derive(Serialize)]
struct HelpBody<'a> {
    help: &'a str,
}

/// Help text on stdout, or as the `help` object (with `error` when the
/// help stands in for a missing argument, `exit_code` 2).
pub fn help(text: &str, exit_code: i32, error: Option<&Error>, out: &Output) {
    match out.json {
        true => print_object("help", exit_code, HelpBody { help: text }, error),
        false => print_stdout(text),
    }
}

/// The help of `cmd`, as clap prints it (styled on a terminal).
pub fn clap_help(cmd: &mut clap::Command) {
    let _ = cmd.print_help();
}

/// A clap error or help screen as clap prints it (stdout for help, stderr
/// for errors, styled when the stream is a terminal).
pub fn clap_message(e: &clap::Error) {
    let _ = e.print();
}
