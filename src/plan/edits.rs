//! The plan's edits of files other than the output and `package.json`:
//! `.env.example` lines and Wrangler config entries, from descriptor data.

use super::{FileAction, FileChange};
use crate::blueprint::{Blueprint, ConfigEdit, Version};
use crate::error::{Code, Error, Result, WarningCode};
use crate::project::{self, Project, Warning};

/// An edit of a file other than the output: before and after text.
fn edit_change(file: &project::FileState, after: String, note: Option<String>) -> FileChange {
    FileChange {
        path: file.path.clone(),
        display: file.display.clone(),
        action: if file.content.is_some() {
            FileAction::Update
        } else {
            FileAction::Create
        },
        from_version: None,
        to_version: None,
        before: file.content.clone(),
        after: Some(after),
        note,
        conflicts: Vec::new(),
        discarded: Vec::new(),
        needs_confirmation: false,
    }
}

/// `NAME=` lines for the variables `.env.example` lacks, when the project keeps one.
pub(super) fn env_example_change(project: &Project, bp: &Blueprint) -> Result<Option<FileChange>> {
    if bp.env.is_empty() {
        return Ok(None);
    }
    let file = project.env_example.as_ref().map_err(|e| e.clone())?;
    let Some(text) = file.content.as_deref() else {
        return Ok(None);
    };
    let names: Vec<&str> = bp.env.iter().map(|e| e.name).collect();
    Ok(crate::config_edit::append_env(text, &names).map(|after| {
        edit_change(
            file,
            after,
            Some(format!("lines for the variables `{}` reads", bp.id())),
        )
    }))
}

/// The config entries the version needs for this target (Wrangler config),
/// and the warning that the file had to be created, when it had.
pub(super) fn config_changes(
    project: &Project,
    bp: &Blueprint,
    version: &Version,
) -> Result<(Option<FileChange>, Option<Warning>)> {
    let edits: Vec<&ConfigEdit> = version
        .config
        .iter()
        .filter(|c| c.target == project.target.name)
        .collect();
    if edits.is_empty() {
        return Ok((None, None));
    }
    let file = project.wrangler.as_ref().map_err(|e| e.clone())?;
    match &file.content {
        None => {
            let (change, warning) = created_config(file, bp, &edits);
            Ok((Some(change), Some(warning)))
        }
        Some(before) => Ok((edited_config(file, before, &edits)?, None)),
    }
}

fn item(c: &ConfigEdit) -> serde_json::Value {
    serde_json::from_str(c.item).expect("the build script writes valid JSON")
}

/// A Wrangler config holding only the entries `bp` needs.
fn created_config(
    file: &project::FileState,
    bp: &Blueprint,
    edits: &[&ConfigEdit],
) -> (FileChange, Warning) {
    let mut entries: Vec<(&str, Vec<serde_json::Value>)> = Vec::new();
    for c in edits {
        match entries.iter_mut().find(|(k, _)| *k == c.key) {
            Some((_, items)) => items.push(item(c)),
            None => entries.push((c.key, vec![item(c)])),
        }
    }
    let warning = Warning {
        code: WarningCode::WranglerConfigCreated,
        message: format!(
            "the project has no Wrangler config; `{}` creates `{}` with only the entries `{}` needs: merge it into your Worker's configuration (`name`, `main`, `compatibility_date`)",
            bp.id(),
            file.display,
            bp.id()
        ),
    };
    let change = edit_change(
        file,
        crate::config_edit::new_jsonc(&entries),
        Some("created: no Wrangler config was found".into()),
    );
    (change, warning)
}

/// The existing Wrangler config with the entries it lacks added (JSONC or
/// TOML, layout and comments kept); `None` when it has them all.
fn edited_config(
    file: &project::FileState,
    before: &str,
    edits: &[&ConfigEdit],
) -> Result<Option<FileChange>> {
    let toml = file.display.ends_with(".toml");
    let mut text = before.to_string();
    let mut keys = Vec::new();
    for c in edits {
        let edited = if toml {
            crate::config_edit::edit_toml(&text, c.key, &item(c), c.match_key)
        } else {
            crate::config_edit::edit_jsonc(&text, c.key, &item(c), c.match_key)
        };
        match edited {
            Ok(Some(t)) => {
                text = t;
                keys.push(format!("`{}`", c.key));
            }
            Ok(None) => {}
            Err(e) => {
                return Err(Error::new(
                    Code::InvalidConfig,
                    format!(
                        "cannot add `{}` to `{}`: {}",
                        c.key, file.display, e.message
                    ),
                )
                .file(file.display.clone())
                .line_opt(e.line, None)
                .hint("fix the file, then run the command again; nothing was written"));
            }
        }
    }
    if keys.is_empty() {
        return Ok(None);
    }
    let note = format!("added to {}", keys.join(", "));
    Ok(Some(edit_change(file, text, Some(note))))
}
