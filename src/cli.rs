//! The shell: clap definitions, `Settings` resolved once from arguments and
//! the environment, and the steps of a command: detect, plan, decide (after
//! asking, when `decide` says to ask), apply, report. It executes; the
//! policy is `decide`'s and the text is `report`'s. Nothing deeper reads
//! `std::env`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::blueprint::{self, CATALOG, spec};
use crate::decide::{self, Answer, InstallRun};
use crate::error::{Code, Error};
use crate::fsx::Faults;
use crate::plan::{self, Command, OnConflict, Plan};
use crate::project::{self, PackageManager, TargetName};
use crate::report::{self, Output, Palette, Report};
use crate::{apply, env_vars};

mod help;

use help::{clap_error, help};

const AFTER_HELP: &str = "\
Examples:
  flue add sandbox mirage          add the Mirage sandbox adapter to this project
  flue add mirage@1 --dry-run      show what version 1 would change, write nothing
  flue diff sandbox mirage         print the pending upgrade as a unified diff
  flue update sandbox mirage --yes apply an upgrade without a prompt

Exit codes:
  0  done, or nothing to do
  1  error (nothing was written unless the report says otherwise)
  2  usage error
  3  changes pending (`diff`, `--dry-run`, or an upgrade held back for want of `--yes`)
  4  merge conflict (wins over 3)";

/// Native blueprint generator for Flue projects.
///
/// `flue add sandbox mirage` adds the Mirage sandbox adapter to a Flue project,
/// with the runtime dependency for its build target, and upgrades it later by
/// three-way merge, keeping your edits.
#[derive(Debug, Parser)]
#[command(name = "flue", bin_name = "flue", disable_version_flag = true, disable_help_subcommand = true, after_help = AFTER_HELP, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Cmd>,
    #[command(flatten)]
    pub global: GlobalArgs,
    /// Print the version and the blueprint versions this build carries
    #[arg(short = 'V', long = "version", global = true)]
    pub version: bool,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Add a blueprint, or converge an existing one to the chosen version
    #[command(override_usage = "flue add [OPTIONS]\n       flue add [OPTIONS] <KIND>\n       flue add [OPTIONS] <NAME>[@VERSION]\n       flue add [OPTIONS] <KIND> <NAME>[@VERSION]", after_help = AFTER_HELP)]
    Add {
        /// Blueprint kind (`sandbox`; alone: list that kind), or the name when it is unambiguous
        #[arg(value_name = "KIND", value_parser = CatalogWords { kinds: true }, hide_possible_values = true)]
        first: Option<String>,
        /// Blueprint name, optionally with a version (`mirage`, `mirage@1`)
        #[arg(value_name = "NAME", value_parser = CatalogWords { kinds: false }, hide_possible_values = true)]
        second: Option<String>,
    },
    /// Upgrade an installed blueprint (error when it is not installed)
    #[command(override_usage = "flue update [OPTIONS] <NAME>[@VERSION]\n       flue update [OPTIONS] <KIND> <NAME>[@VERSION]", after_help = AFTER_HELP)]
    Update {
        /// Blueprint kind (`sandbox`), or the name when it is unambiguous
        #[arg(value_name = "KIND", value_parser = CatalogWords { kinds: true }, hide_possible_values = true)]
        first: String,
        /// Blueprint name, optionally with a version (`mirage`, `mirage@2`)
        #[arg(value_name = "NAME", value_parser = CatalogWords { kinds: false }, hide_possible_values = true)]
        second: Option<String>,
    },
    /// Print what `add`/`update` would change as a unified diff; write nothing
    #[command(override_usage = "flue diff [OPTIONS] <NAME>[@VERSION]\n       flue diff [OPTIONS] <KIND> <NAME>[@VERSION]", after_help = AFTER_HELP)]
    Diff {
        /// Blueprint kind (`sandbox`), or the name when it is unambiguous
        #[arg(value_name = "KIND", value_parser = CatalogWords { kinds: true }, hide_possible_values = true)]
        first: String,
        /// Blueprint name, optionally with a version (`mirage`, `mirage@2`)
        #[arg(value_name = "NAME", value_parser = CatalogWords { kinds: false }, hide_possible_values = true)]
        second: Option<String>,
    },
    /// Show every installed blueprint, its version and state (`--check`: a CI drift gate)
    #[command(after_help = crate::workspace_run::STATUS_AFTER_HELP)]
    Status {
        /// Exit 4 when a conflict is unresolved, else 3 when an upgrade is pending, else 0
        #[arg(long)]
        check: bool,
    },
    /// Print a shell completion script
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
    /// Print the help of flue or of one of its commands
    Help {
        /// The command (`add`, `update`, `diff`, `completions`)
        #[arg(value_name = "COMMAND")]
        command: Option<String>,
    },
}

/// Accepts any word (unknown kinds and names are input errors, exit 1, with
/// the catalog listed), but offers the catalog's kinds and names to shell
/// completion scripts.
#[derive(Debug, Clone, Copy)]
struct CatalogWords {
    kinds: bool,
}

impl clap::builder::TypedValueParser for CatalogWords {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        let mut words: Vec<(&'static str, String)> = Vec::new();
        if self.kinds {
            for k in blueprint::kinds() {
                words.push((k, format!("blueprints of kind {k}")));
            }
        }
        for b in CATALOG {
            words.push((b.name, b.summary.to_string()));
        }
        words.dedup_by(|a, b| a.0 == b.0);
        Some(Box::new(words.into_iter().map(|(w, help)| {
            clap::builder::PossibleValue::new(w).help(help)
        })))
    }
}

/// Flags every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Run as if started in this directory
    #[arg(long, global = true, value_name = "DIR", help_heading = "Project")]
    pub cwd: Option<PathBuf>,
    /// Build target, instead of detecting it
    #[arg(long, global = true, value_enum, help_heading = "Project")]
    pub target: Option<TargetArg>,
    /// Package manager, instead of detecting it
    #[arg(long, global = true, value_enum, help_heading = "Project")]
    pub package_manager: Option<PmArg>,
    /// Run on every package of the workspace (`status`, `add`, `update`, `diff`)
    #[arg(long, global = true, help_heading = "Project")]
    pub workspace: bool,
    /// Render this blueprint version (same as `name@N`)
    #[arg(long, global = true, value_name = "N", help_heading = "Blueprint")]
    pub blueprint_version: Option<u32>,
    /// Print the blueprint's guide (Markdown, offline) and exit
    #[arg(long, global = true, help_heading = "Blueprint")]
    pub print: bool,
    /// Show what would change; write nothing (exit 3 when something would)
    #[arg(long, global = true, help_heading = "Writing")]
    pub dry_run: bool,
    /// Answer yes to confirmations (needed without a terminal for upgrades, `--force`, `overwrite`)
    #[arg(short, long, global = true, help_heading = "Writing")]
    pub yes: bool,
    /// Replace a file that flue did not make
    #[arg(long, global = true, help_heading = "Writing")]
    pub force: bool,
    /// What to do when an upgrade conflicts with your edits
    #[arg(long, global = true, value_enum, default_value_t = ConflictArg::Abort, help_heading = "Writing")]
    pub on_conflict: ConflictArg,
    /// Run the package manager's install after writing
    #[arg(
        long,
        global = true,
        conflicts_with = "dry_run",
        help_heading = "Writing"
    )]
    pub install: bool,
    /// Print one JSON object on stdout instead of the human report
    #[arg(long, global = true, help_heading = "Output")]
    pub json: bool,
    /// Print only errors and warnings
    #[arg(short, long, global = true, help_heading = "Output")]
    pub quiet: bool,
    /// When to use colour
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN", help_heading = "Output")]
    pub color: ColorArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TargetArg {
    /// Node.js
    Node,
    /// Cloudflare Workers
    Cloudflare,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PmArg {
    /// npm
    Npm,
    /// pnpm
    Pnpm,
    /// Yarn
    Yarn,
    /// Bun
    Bun,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ConflictArg {
    /// Write nothing and exit 4, listing the conflicting hunks
    Abort,
    /// Write diff3 conflict markers into the file and exit 4
    Markers,
    /// Replace the file with the new render, showing the discarded lines
    Overwrite,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ColorArg {
    /// Colour when stderr is a terminal and no agent, `NO_COLOR` or `TERM=dumb` says otherwise
    Auto,
    /// Always colour
    Always,
    /// Never colour
    Never,
}

/// The environment, read once.
#[derive(Debug, Clone, Default)]
pub struct Env {
    pub vars: Vec<(String, String)>,
    pub stdin_tty: bool,
    pub stderr_tty: bool,
    pub cwd: PathBuf,
}

impl Env {
    pub fn capture() -> Env {
        Env {
            vars: std::env::vars().collect(),
            stdin_tty: std::io::stdin().is_terminal(),
            stderr_tty: std::io::stderr().is_terminal(),
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        }
    }

    fn get(&self, k: &str) -> Option<&str> {
        self.vars
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
    }

    fn set(&self, k: &str) -> bool {
        self.get(k)
            .is_some_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
    }
}

/// Arguments and environment resolved once.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub cwd: PathBuf,
    pub json: bool,
    pub quiet: bool,
    pub colour: bool,
    /// Prompts are allowed (stdin is a terminal, no `CI`, no agent).
    pub interactive: bool,
    pub agent: Option<String>,
    pub yes: bool,
    pub dry_run: bool,
    pub force: bool,
    pub install: bool,
    pub print: bool,
    pub on_conflict: OnConflict,
    pub target: Option<TargetName>,
    pub package_manager: Option<PackageManager>,
    pub blueprint_version: Option<u32>,
    /// `--workspace`: every package of the workspace.
    pub workspace: bool,
    pub home: Option<PathBuf>,
    pub user_agent: Option<String>,
    /// `--cwd` was given (next actions carry it).
    pub cwd_given: bool,
    /// `--target` and `--package-manager` as given (next actions carry them).
    pub overrides: Vec<String>,
}

impl Settings {
    /// What detecting the project in `dir` for a blueprint (its `output`
    /// and `runtime` package) takes from these settings: the one place a run
    /// turns its flags into detection options.
    pub fn detect_options(
        &self,
        dir: &Path,
        output: &str,
        runtime: &str,
    ) -> project::DetectOptions {
        project::DetectOptions {
            cwd: dir.to_path_buf(),
            target: self.target,
            package_manager: self.package_manager,
            home: self.home.clone(),
            user_agent: self.user_agent.clone(),
            output: output.to_string(),
            runtime_package: runtime.to_string(),
        }
    }

    /// [`Settings::detect_options`] for reading what is installed (status,
    /// the catalog): the build target does not change what is installed, so
    /// naming one skips the config scan, and a config that cannot be read
    /// does not hide it.
    pub fn status_options(
        &self,
        dir: &Path,
        output: &str,
        runtime: &str,
    ) -> project::DetectOptions {
        project::DetectOptions {
            target: Some(self.target.unwrap_or(TargetName::Node)),
            ..self.detect_options(dir, output, runtime)
        }
    }

    pub fn resolve(g: &GlobalArgs, env: &Env) -> Settings {
        let agent = env_vars::AGENT_VARS
            .iter()
            .find(|v| env.set(v))
            .map(|v| v.to_string());
        let ci = env.set(env_vars::CI);
        let colour = match g.color {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => {
                if env.get(env_vars::NO_COLOR).is_some_and(|v| !v.is_empty()) {
                    false
                } else if env.set(env_vars::CLICOLOR_FORCE) {
                    true
                } else {
                    env.stderr_tty && env.get(env_vars::TERM) != Some("dumb") && agent.is_none()
                }
            }
        };
        let cwd = match &g.cwd {
            Some(c) if c.is_absolute() => c.clone(),
            Some(c) => env.cwd.join(c),
            None => env.cwd.clone(),
        };
        let cwd = std::path::absolute(&cwd).unwrap_or(cwd);
        Settings {
            cwd,
            json: g.json,
            quiet: g.quiet,
            colour: colour && !g.json,
            interactive: env.stdin_tty && !ci && agent.is_none() && !g.json,
            agent,
            yes: g.yes,
            dry_run: g.dry_run,
            force: g.force,
            install: g.install,
            print: g.print,
            on_conflict: match g.on_conflict {
                ConflictArg::Abort => OnConflict::Abort,
                ConflictArg::Markers => OnConflict::Markers,
                ConflictArg::Overwrite => OnConflict::Overwrite,
            },
            target: g.target.map(|t| match t {
                TargetArg::Node => TargetName::Node,
                TargetArg::Cloudflare => TargetName::Cloudflare,
            }),
            package_manager: g.package_manager.map(|p| match p {
                PmArg::Npm => PackageManager::Npm,
                PmArg::Pnpm => PackageManager::Pnpm,
                PmArg::Yarn => PackageManager::Yarn,
                PmArg::Bun => PackageManager::Bun,
            }),
            blueprint_version: g.blueprint_version,
            workspace: g.workspace,
            home: env
                .get(env_vars::HOME)
                .or(env.get(env_vars::USERPROFILE))
                .map(PathBuf::from),
            user_agent: env.get(env_vars::NPM_USER_AGENT).map(String::from),
            cwd_given: g.cwd.is_some(),
            overrides: overrides(g),
        }
    }
}

impl Settings {
    /// How the report is printed.
    pub fn output(&self) -> Output {
        Output {
            json: self.json,
            quiet: self.quiet,
            pal: Palette { on: self.colour },
        }
    }

    /// The settings that change a plan.
    fn plan_options(&self, command: Command) -> plan::Options {
        plan::Options {
            command,
            force: self.force,
            on_conflict: self.on_conflict,
            install: self.install,
        }
    }
}

/// `--target`/`--package-manager` as typed, for a command to run next.
fn overrides(g: &GlobalArgs) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(t) = g.target {
        out.push(format!(
            "--target {}",
            t.to_possible_value()
                .map(|v| v.get_name().to_string())
                .unwrap_or_default()
        ));
    }
    if let Some(p) = g.package_manager {
        out.push(format!(
            "--package-manager {}",
            p.to_possible_value()
                .map(|v| v.get_name().to_string())
                .unwrap_or_default()
        ));
    }
    out
}

/// Runs flue with `args` in `env`; returns the exit code.
pub fn run(args: Vec<String>, env: Env) -> i32 {
    if let Some(spec) = env.get(env_vars::TEST_FAULT) {
        Faults::parse(spec).install();
    }
    // `flue add -- --json` passes `--json` as a value; every other spelling asks for JSON.
    let wants_json = args
        .iter()
        .skip(1)
        .take_while(|a| *a != "--")
        .any(|a| a == "--json");
    let cli = match Cli::try_parse_from(&args) {
        Ok(c) => c,
        Err(e) => return clap_error(&e, wants_json),
    };
    let settings = Settings::resolve(&cli.global, &env);
    let out = settings.output();
    if cli.version {
        report::meta::version(&out);
        return 0;
    }
    let fail = |e: Error| -> i32 {
        let code = e.exit_code();
        report::emit_error(e, settings.dry_run, &out);
        code
    };
    match cli.command {
        None if settings.json => fail(
            Error::new(Code::Usage, "no command given")
                .hint("run `flue --help`; `flue add` lists the catalog"),
        ),
        None => {
            report::meta::clap_help(&mut Cli::command());
            2
        }
        Some(Cmd::Completions { shell }) => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "flue", &mut script);
            let script = String::from_utf8_lossy(&script);
            report::meta::completions(&shell.to_string(), &script, &out);
            0
        }
        Some(Cmd::Status { check }) => {
            crate::workspace_run::status(&settings, check, &out).unwrap_or_else(fail)
        }
        Some(Cmd::Help { command }) => help(command.as_deref(), &settings).unwrap_or_else(fail),
        Some(Cmd::Add { first: None, .. }) if settings.print => fail(print_needs_a_name()),
        Some(Cmd::Add { first: None, .. }) => catalog(&settings, None),
        Some(Cmd::Add {
            first: Some(a),
            second: None,
        }) if is_kind_only(&a) && !settings.print => catalog(&settings, Some(&a)),
        Some(Cmd::Add {
            first: Some(a),
            second,
        }) => blueprint_command(Command::Add, &a, second.as_deref(), &settings, &out)
            .unwrap_or_else(fail),
        Some(Cmd::Update { first, second }) => {
            blueprint_command(Command::Update, &first, second.as_deref(), &settings, &out)
                .unwrap_or_else(fail)
        }
        Some(Cmd::Diff { first, second }) => {
            blueprint_command(Command::Diff, &first, second.as_deref(), &settings, &out)
                .unwrap_or_else(fail)
        }
    }
}

/// `--print` with no blueprint named.
fn print_needs_a_name() -> Error {
    let names: Vec<&str> = CATALOG.iter().map(|b| b.name).collect();
    Error::new(Code::Usage, "`--print` needs a blueprint name")
        .note(format!("blueprints: {}", names.join(", ")))
        .hint("run `flue add <name> --print`, as in `flue add mirage --print`")
}

/// `word` is a kind of the catalog and not also a blueprint name.
fn is_kind_only(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    blueprint::kinds().contains(&w.as_str())
        && !CATALOG
            .iter()
            .any(|b| b.name == w || b.aliases.iter().any(|a| a.eq_ignore_ascii_case(&w)))
}

/// `--cwd` (or the current directory) as an existing directory's real path.
pub(crate) fn checked_cwd(cwd: &Path) -> Result<PathBuf, Error> {
    match std::fs::canonicalize(cwd) {
        Ok(p) if p.is_dir() => Ok(p),
        Ok(_) => Err(Error::new(
            Code::NotADirectory,
            format!("`{}` is not a directory", cwd.display()),
        )
        .hint("pass a project directory to `--cwd`; nothing was written")),
        Err(e) => Err(Error::new(
            Code::NotADirectory,
            format!(
                "cannot use `{}` as the working directory: {e}",
                cwd.display()
            ),
        )
        .hint("pass an existing project directory to `--cwd`; nothing was written")),
    }
}

/// `flue add` with no arguments: the catalog, with installed versions;
/// `flue add <kind>`: the blueprints of that kind.
fn catalog(settings: &Settings, kind: Option<&str>) -> i32 {
    let kind = kind.map(str::to_ascii_lowercase);
    // One detection's worth of reading above the project, for every row.
    let shared = project::Shared::default();
    let rows: Vec<_> = CATALOG
        .iter()
        .filter(|b| kind.as_deref().is_none_or(|k| b.kind == k))
        .map(|bp| (bp, installed_version(settings, bp, &shared)))
        .collect();
    report::meta::catalog(&rows, kind.as_deref(), &settings.output());
    0
}

/// The version of `bp` installed in the project at `--cwd`, if any.
fn installed_version(
    settings: &Settings,
    bp: &blueprint::Blueprint,
    shared: &project::Shared,
) -> Option<u32> {
    let opts = settings.status_options(&settings.cwd, bp.output, bp.runtime_package);
    let text = project::detect_with(&opts, shared, project::Purpose::Status)
        .ok()?
        .output
        .content?;
    match blueprint::marker::read(&text) {
        blueprint::marker::Found::Marker(m) if m.kind == bp.kind && m.name == bp.name => {
            Some(m.version)
        }
        _ => None,
    }
}

/// The guide with the upgrade diffs computed from the embedded renders.
pub fn guide(bp: &blueprint::Blueprint) -> String {
    let mut diffs = String::new();
    for pair in bp.versions.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        diffs.push_str(&format!(
            "### Version {} → {}\n\n{}\n\n```diff\n",
            a.number, b.number, b.summary
        ));
        diffs.push_str(&crate::merge::unified_diff(
            &(a.render)(),
            &(b.render)(),
            &format!("{}@{}", bp.output, a.number),
            &format!("{}@{}", bp.output, b.number),
        ));
        diffs.push_str("```\n");
    }
    bp.guide
        .replace("<!-- flue:upgrade-diffs -->", diffs.trim_end())
}

fn resolve_request(
    verb: &str,
    first: &str,
    second: Option<&str>,
    settings: &Settings,
) -> Result<spec::Request, Error> {
    match second {
        Some(name) => spec::resolve(Some(first), name, settings.blueprint_version),
        None if is_kind_only(first) => {
            let k = first.to_ascii_lowercase();
            let names: Vec<&str> = CATALOG
                .iter()
                .filter(|b| b.kind == k)
                .map(|b| b.name)
                .collect();
            Err(Error::new(
                Code::Usage,
                format!("`{first}` is a kind: name the blueprint too"),
            )
            .note(format!("blueprints of kind `{k}`: {}", names.join(", ")))
            .hint(format!(
                "as in `flue {verb} {k} {}`",
                names.first().copied().unwrap_or("<name>")
            )))
        }
        None => spec::resolve(None, first, settings.blueprint_version),
    }
}

fn blueprint_command(
    cmd: Command,
    first: &str,
    second: Option<&str>,
    settings: &Settings,
    out: &Output,
) -> Result<i32, Error> {
    let req = resolve_request(cmd.as_str(), first, second, settings)?;
    if settings.print {
        report::meta::guide(&guide(req.blueprint), out);
        return Ok(0);
    }
    // `--cwd` must name an existing directory; `..` is resolved on the filesystem.
    let settings = &Settings {
        cwd: checked_cwd(&settings.cwd)?,
        ..settings.clone()
    };
    if settings.workspace {
        return crate::workspace_run::run(cmd, &req, settings, out);
    }
    let dry = decide::writes_nothing(cmd, settings);
    // Lock before reading so concurrent runs see each other's result.
    let _lock = if dry { None } else { Some(lock(settings)?) };
    let project = project::detect(&settings.detect_options(
        &settings.cwd,
        req.blueprint.output,
        req.blueprint.runtime_package,
    ))?;
    let plan = match plan::plan(&project, &req, &settings.plan_options(cmd)) {
        Ok(p) => p,
        Err(e) => {
            let r = Report {
                project: Some(&project),
                command: Some(cmd),
                ..Report::error_only(e, dry)
            };
            report::emit(&r, out);
            return Ok(r.decision.exit_code);
        }
    };
    let answer = match decide::must_ask([&plan], settings) {
        true => ask(
            &report::confirm_diffs(&plan, &out.pal),
            "Apply these changes?",
        ),
        false => Answer::NotAsked,
    };
    let mut d = decide::decide(&plan, settings, answer);
    if d.apply {
        d = d.wrote(apply::apply(&plan));
    }
    if d.install {
        d = d.installed(plan.project.pm.name, install(&plan));
    }
    let r = Report::of(&plan, d);
    report::emit(&r, out);
    Ok(r.decision.exit_code)
}

/// Locks the project at `--cwd`.
fn lock(settings: &Settings) -> Result<apply::Lock, Error> {
    apply::lock(&project::find_root(
        &settings.cwd,
        settings.home.as_deref(),
    )?)
}

/// Asks on the terminal, after showing what the question is about.
pub(crate) fn ask(shown: &str, question: &str) -> Answer {
    report::print_stderr(shown);
    Answer::from_prompt(
        dialoguer::Confirm::new()
            .with_prompt(question)
            .default(false)
            .interact()
            .unwrap_or(false),
    )
}

/// Runs the package manager's install in the project root.
fn install(plan: &Plan) -> InstallRun {
    let pm = plan.project.pm.name;
    let out = std::process::Command::new(pm.as_str())
        .arg("install")
        .current_dir(&plan.project.root)
        .stdin(std::process::Stdio::null())
        .output();
    match out {
        Err(e) => InstallRun::NotStarted(e.to_string()),
        Ok(o) => InstallRun::Exited {
            success: o.status.success(),
            output: format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            ),
        },
    }
}
