//! The texts flue knows for a marker version (its render, in the templates'
//! style and in the project's, and the known variants from upstream's
//! guides), and the likeness rules over them: the base an upgrade merges
//! from, the `variant` state of `flue status`, and a foreign body under
//! flue's marker. One home for these rules, so `add`, `update` and `status`
//! agree.

use crate::blueprint::format;
use crate::blueprint::{Blueprint, Variant, Version};
use crate::error::{Code, Error, Result};
use crate::merge;
use crate::project::style;

/// Below this likeness to every known text of its marker version, a file is
/// not ours, however edited: the body was written by someone else.
const FOREIGN_BELOW: f32 = 0.3;

/// Another known text is the one a file follows, rather than flue's render
/// in the project's style, only when it is strictly closer and at least
/// this alike (a file that is mostly the user's own matches nothing well,
/// and should not be reported as following a variant).
const FOLLOWS_FROM: f32 = 0.5;

/// A version's render, made once.
#[derive(Debug, Clone)]
pub struct Known {
    /// In the templates' own style (Prettier's default).
    pub raw: String,
    /// In the project's style.
    pub styled: String,
}

impl Known {
    pub fn of(v: &Version, style: &style::Style, display: &str) -> Result<Known> {
        let raw = (v.render)();
        let styled = in_style(&raw, style, display)?;
        Ok(Known { raw, styled })
    }
}

/// Renders a version in the project's style.
pub fn render_styled(
    render: fn() -> String,
    style: &style::Style,
    display: &str,
) -> Result<String> {
    in_style(&render(), style, display)
}

/// A render (in the templates' style) in the project's style.
fn in_style(raw: &str, style: &style::Style, display: &str) -> Result<String> {
    format::format(raw, style).map_err(|e| {
        Error::new(
            Code::FormatFailed,
            format!(
                "cannot format `{display}` in the project's style: {}",
                e.message
            ),
        )
        .hint("report this as a bug; `--dry-run` shows the unformatted file")
    })
}

fn variants(bp: &Blueprint, marker_version: u32) -> impl Iterator<Item = &'static Variant> {
    bp.variants
        .iter()
        .filter(move |v| v.marker_version == marker_version)
}

/// Whether a marked file's body is far from every render and known variant
/// of its marker version (SPEC §14: files from upstream's guides).
pub fn is_foreign(
    bp: &Blueprint,
    marker_version: u32,
    ours: &str,
    known: &Known,
    style: &style::Style,
) -> bool {
    let unlike = |k: &str| merge::similarity(k, ours) < FOREIGN_BELOW;
    unlike(&known.raw)
        && (style.is_default() || unlike(&known.styled))
        && variants(bp, marker_version).all(|v| unlike(&(v.render)()))
}

/// Among `others`, the text a file (`ours`) follows rather than `standard`,
/// with its tag: the closest of those clearly closer (the first on a tie).
pub fn follows<T>(
    ours: &str,
    standard: &str,
    others: impl IntoIterator<Item = (String, T)>,
) -> Option<(String, T)> {
    let floor = merge::similarity(standard, ours);
    let mut best: Option<(f32, String, T)> = None;
    for (text, tag) in others {
        let score = merge::similarity(&text, ours);
        if score > floor && score >= FOLLOWS_FROM && best.as_ref().is_none_or(|b| score > b.0) {
            best = Some((score, text, tag));
        }
    }
    best.map(|(_, text, tag)| (text, tag))
}

/// The known variant of `marker_version` a file follows rather than flue's
/// `render` of it (in the project's style).
pub fn variant_followed(
    bp: &Blueprint,
    marker_version: u32,
    ours: &str,
    render: &str,
) -> Option<&'static Variant> {
    let others = variants(bp, marker_version).map(|v| ((v.render)(), v));
    follows(ours, render, others).map(|(_, v)| v)
}

/// The base an upgrade from `known` (the file's marker version) merges
/// from: flue's render in the project's style, unless the file clearly
/// follows the default-style render (the style changed since) or a known
/// variant; then that text, with a note saying so.
pub fn merge_base(
    bp: &Blueprint,
    marker_version: u32,
    ours: &str,
    known: Known,
    style: &style::Style,
) -> (String, Option<String>) {
    let mut others: Vec<(String, String)> = Vec::new();
    if !style.is_default() {
        others.push((known.raw, "the file matches the default-style render better than the project's current style (the style changed since it was made); merged from that".to_string()));
    }
    for v in variants(bp, marker_version) {
        others.push(((v.render)(), format!("the file follows {} rather than flue's version {marker_version} render; merged from that known file", v.origin)));
    }
    match follows(ours, &known.styled, others) {
        Some((text, note)) => (text, Some(note)),
        None => (known.styled, None),
    }
}
