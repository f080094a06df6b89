//! The shell of `flue status` and of `--workspace` runs. Status detects,
//! computes states (`status::status`) and reports; it never writes.
//! A workspace run detects and plans every package on its own (in parallel
//! when there are enough of them), asks once for the whole set, applies
//! package by package in workspace order, each all or nothing, and prints
//! one report. Exit code: the most severe of the packages (4 > 1 > 3 > 0).

use std::path::Path;

use crate::apply;
use crate::blueprint::{CATALOG, spec::Request};
use crate::cli::Settings;
use crate::decide::{self, Answer};
use crate::error::{Code, Error, display_path};
use crate::plan::{self, Command, Plan};
use crate::project::{self, workspace};
use crate::report::workspace::{PackageBody, PackageSection, StatusOf, WorkspaceReport};
use crate::report::{self, Output, Palette, Report};
use crate::status;

pub const STATUS_AFTER_HELP: &str = "\
States: current, upgrade-available, edited (beyond formatting), conflict (markers left),
variant (a known non-flue body), runtime-too-old.

Exit codes: 0 (plain `status` always, conflicts included); with `--check`:
  4  a conflict is unresolved
  3  an upgrade is pending
  0  otherwise
With `--workspace`, the most severe package wins (4 > 1 > 3 > 0).";

/// Below this many packages, planning on one thread is faster than starting more.
const PARALLEL_FROM: usize = 16;

/// Maps `f` over the packages on up to 8 threads, keeping their order; 8 at a time, so
/// that a thread taking a slow package (an edited file's formatter passes) leaves the rest
/// to the others.
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    if items.len() < PARALLEL_FROM {
        return items.iter().map(&f).collect();
    }
    crate::par::map(items, 8, 8, f)
}

/// What a status run reads and computes once for all its packages: what is
/// above them (the workspace root's manifest, lockfile, style, installed
/// runtime), and the renders and comparisons their files share.
#[derive(Default)]
struct StatusRun {
    shared: project::Shared,
    memo: status::Memo,
}

/// Status of the package at or above `dir`: detected once per runtime
/// package the catalog's blueprints follow (in practice once), reading only
/// what status uses.
fn package_status(settings: &Settings, dir: &Path, run: &StatusRun) -> Result<StatusOf, Error> {
    let shared = &run.shared;
    // (runtime package, output path it was detected with, project)
    let mut detected: Vec<(&str, &str, project::Project)> = Vec::new();
    let mut st = status::PackageStatus {
        installed: Vec::new(),
        warnings: Vec::new(),
    };
    for bp in CATALOG {
        let i = match detected.iter().position(|d| d.0 == bp.runtime_package) {
            Some(i) => i,
            None => {
                let opts = settings.status_options(dir, bp.output, bp.runtime_package);
                let p = project::detect_with(&opts, shared, project::Purpose::Status)?;
                detected.push((bp.runtime_package, bp.output, p));
                detected.len() - 1
            }
        };
        let (_, output, p) = &detected[i];
        let file = if *output == bp.output {
            p.output.clone()
        } else {
            project::read_output(p, bp.output, shared, project::Purpose::Status)?
        };
        let one = status::status_with(p, &[(bp, file)], &run.memo)?;
        st.installed.extend(one.installed);
        for w in one.warnings {
            if !st.warnings.contains(&w) {
                st.warnings.push(w);
            }
        }
    }
    let p = &detected[0].2;
    Ok(StatusOf {
        root: p.root.to_string_lossy().to_string(),
        source_root: display_path(&p.root, &p.source_root),
        status: st,
    })
}

/// `flue status [--check] [--workspace]`.
pub fn status(settings: &Settings, check: bool, out: &Output) -> Result<i32, Error> {
    let cwd = crate::cli::checked_cwd(&settings.cwd)?;
    if !settings.workspace {
        let st = package_status(settings, &cwd, &StatusRun::default())?;
        let code = if check { st.status.check_code() } else { 0 };
        report::workspace::emit_status(&st, check, code, out);
        return Ok(code);
    }
    let run = StatusRun::default();
    let ws = workspace::discover_with(&cwd, settings.home.as_deref(), &run.shared)?;
    let results = par_map(&ws.packages, |p| package_status(settings, &p.dir, &run));
    let mut exit = 0;
    let packages: Vec<PackageSection> = ws
        .packages
        .iter()
        .zip(results)
        .map(|(p, r)| {
            let code = match &r {
                Ok(st) if check => st.status.check_code(),
                Ok(_) => 0,
                Err(e) => e.exit_code(),
            };
            exit = decide::most_severe(exit, code);
            PackageSection {
                rel: p.rel.clone(),
                exit_code: code,
                body: PackageBody::Status(r),
            }
        })
        .collect();
    let r = WorkspaceReport {
        root: ws.root.to_string_lossy().to_string(),
        config: ws.config,
        command: "status",
        check,
        exit_code: exit,
        packages,
        error: None,
    };
    report::workspace::emit(&r, out);
    Ok(exit)
}

/// What planning one package gave.
enum Planned {
    Skipped(String),
    Failed(Error, Option<Box<project::Project>>),
    Ready(Box<Plan>),
}

fn plan_package(
    cmd: Command,
    req: &Request,
    settings: &Settings,
    dir: &Path,
    shared: &project::Shared,
) -> Planned {
    let bp = req.blueprint;
    let opts = settings.detect_options(dir, bp.output, bp.runtime_package);
    let project = match project::detect_with(&opts, shared, project::Purpose::Plan) {
        Ok(p) => p,
        Err(e) => return Planned::Failed(e, None),
    };
    if project.manifest.dependency(bp.runtime_package).is_none() {
        return Planned::Skipped(format!("does not depend on `{}`", bp.runtime_package));
    }
    if cmd == Command::Update && project.output.content.is_none() {
        return Planned::Skipped(format!("`{}` is not installed", bp.id()));
    }
    let o = plan::Options {
        command: cmd,
        force: settings.force,
        on_conflict: settings.on_conflict,
        install: false,
    };
    match plan::plan(&project, req, &o) {
        Ok(p) => Planned::Ready(Box::new(p)),
        Err(e) => Planned::Failed(e, Some(Box::new(project))),
    }
}

/// `add`/`update`/`diff --workspace`.
pub fn run(cmd: Command, req: &Request, settings: &Settings, out: &Output) -> Result<i32, Error> {
    if settings.install {
        return Err(Error::new(Code::Usage, "`--install` cannot be combined with `--workspace`")
            .hint("run your package manager's install once at the workspace root after flue; nothing was written"));
    }
    let shared = project::Shared::default();
    let ws = workspace::discover_with(&settings.cwd, settings.home.as_deref(), &shared)?;
    let dry = decide::writes_nothing(cmd, settings);
    let planned = par_map(&ws.packages, |p| {
        plan_package(cmd, req, settings, &p.dir, &shared)
    });
    let answer = ask(&ws.packages, &planned, settings, &out.pal);
    let mut sections = Vec::new();
    for (pkg, p) in ws.packages.iter().zip(&planned) {
        let (code, body) = match p {
            Planned::Skipped(why) => (0, PackageBody::Skipped(why.clone())),
            Planned::Failed(e, project) => {
                let mut r = Report::error_only(e.clone(), dry);
                r.command = Some(cmd);
                r.project = project.as_deref();
                (e.exit_code(), PackageBody::Run(r))
            }
            Planned::Ready(plan) => {
                let r = finish(plan, settings, answer);
                (r.decision.exit_code, PackageBody::Run(r))
            }
        };
        sections.push(PackageSection {
            rel: pkg.rel.clone(),
            exit_code: code,
            body,
        });
    }
    let skipped = |s: &PackageSection| matches!(s.body, PackageBody::Skipped(_));
    let (exit, error) = decide::workspace_end(
        cmd,
        req,
        sections.iter().filter(|s| !skipped(s)).map(|s| s.exit_code),
    );
    let r = WorkspaceReport {
        root: ws.root.to_string_lossy().to_string(),
        config: ws.config,
        command: cmd.as_str(),
        check: false,
        exit_code: exit,
        packages: sections,
        error,
    };
    report::workspace::emit(&r, out);
    Ok(exit)
}

/// Decides one package's plan with the workspace's answer and carries the
/// decision out: each package is locked and written on its own, all or nothing.
fn finish<'a>(plan: &'a Plan, settings: &Settings, answer: Answer) -> Report<'a> {
    let mut d = decide::decide(plan, settings, answer);
    if d.apply {
        d = d.wrote(apply::lock(&plan.project.root).and_then(|_lock| apply::apply(plan)));
    }
    Report::of(plan, d)
}

/// One prompt for every package's changes, when one is needed.
fn ask(
    packages: &[workspace::Package],
    planned: &[Planned],
    settings: &Settings,
    pal: &Palette,
) -> Answer {
    let ready = || {
        packages.iter().zip(planned).filter_map(|(pkg, p)| match p {
            Planned::Ready(plan) => Some((pkg, plan.as_ref())),
            _ => None,
        })
    };
    if !decide::must_ask(ready().map(|(_, plan)| plan), settings) {
        return Answer::NotAsked;
    }
    let shown: String = ready()
        .filter(|(_, plan)| decide::awaits_consent(plan, settings))
        .map(|(pkg, plan)| report::workspace::package_diffs(&pkg.rel, plan, pal))
        .collect();
    crate::cli::ask(&shown, "Apply these changes to every package listed?")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn par_map_keeps_order() {
        let v: Vec<usize> = (0..1000).collect();
        assert_eq!(
            par_map(&v, |x| x * 2),
            v.iter().map(|x| x * 2).collect::<Vec<_>>()
        );
    }
}
