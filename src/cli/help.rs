//! Help, completions and usage errors: clap's output as the human text or
//! as one JSON object (`--json` means one object for every invocation).

use clap::CommandFactory;

use super::{Cli, Settings};
use crate::blueprint::spec;
use crate::error::{Code, Error};
use crate::report::{self, Output, Palette};

/// A clap error (help, usage) as the human text or one JSON object.
pub(super) fn clap_error(e: &clap::Error, json: bool) -> i32 {
    use clap::error::ErrorKind;
    let help_shown = matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    let code = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => 0,
        _ => 2,
    };
    if !json {
        report::meta::clap_message(e);
        return code;
    }
    let out = Output {
        json: true,
        quiet: false,
        pal: Palette { on: false },
    };
    let text = e.render().to_string();
    if help_shown {
        let missing = (code != 0).then(|| {
            Error::new(Code::Usage, "a command or argument is missing")
                .hint("the `help` field shows what the command takes")
        });
        report::meta::help(&text, code, missing.as_ref(), &out);
        return code;
    }
    let msg = e.kind().as_str().unwrap_or("invalid arguments").to_string();
    let mut err = Error::new(Code::Usage, msg)
        .note(text.trim().to_string())
        .hint("run `flue --help`");
    if let Some(s) = clap_suggestion(e) {
        err = err.suggest(s);
    }
    report::emit_error(err, false, &out);
    2
}

/// clap's "did you mean" (a subcommand, flag or value), when it has one.
fn clap_suggestion(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue};
    [
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedArg,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .find_map(|k| match e.get(k)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => v.first().cloned(),
        _ => None,
    })
}

/// `flue help [command]`: the long help on stdout (or as JSON).
pub(super) fn help(command: Option<&str>, settings: &Settings) -> Result<i32, Error> {
    let mut cli = Cli::command();
    cli.build();
    let text = match command {
        None => cli.render_long_help().to_string(),
        Some(name) => {
            let names: Vec<String> = cli
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            match cli.find_subcommand_mut(name) {
                Some(sub) => sub
                    .clone()
                    .bin_name(format!("flue {name}"))
                    .render_long_help()
                    .to_string(),
                None => {
                    let mut e = Error::new(Code::Usage, format!("`flue` has no command `{name}`"))
                        .note(format!("commands: {}", names.join(", ")));
                    if let Some(s) = spec::did_you_mean(name, names.iter().map(String::as_str)) {
                        e = e.suggest(s).hint(format!("did you mean `flue help {s}`?"));
                    }
                    return Err(e);
                }
            }
        }
    };
    report::meta::help(&text, 0, None, &settings.output());
    Ok(0)
}
