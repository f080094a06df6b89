//! Parses what the user typed (`sandbox mirage`, `mirage@1`,
//! `@struktoai/mirage-node`) into a catalog entry and an optional pinned
//! version. Unknown kinds and names are input errors with "did you mean".

use super::{Blueprint, CATALOG, kinds};
use crate::error::{Code, Error, Result};

/// A resolved request for one blueprint.
#[derive(Debug, Clone, Copy)]
pub struct Request {
    pub blueprint: &'static Blueprint,
    /// A version the user pinned (`mirage@1`, `--blueprint-version 1`).
    pub pinned: Option<u32>,
}

/// Resolves `[kind] name[@version]` against the catalog.
pub fn resolve(kind: Option<&str>, name: &str, flag_version: Option<u32>) -> Result<Request> {
    let (name, at_version) = split_version(name)?;
    let pinned = match (at_version, flag_version) {
        (Some(a), Some(b)) if a != b => {
            return Err(Error::new(
                Code::Usage,
                format!("`{name}@{a}` and `--blueprint-version {b}` disagree"),
            )
            .hint("pin the version one way only"));
        }
        (a, b) => a.or(b),
    };
    let lname = name.to_ascii_lowercase();
    if let Some(kind) = kind {
        let lkind = kind.to_ascii_lowercase();
        if !kinds().iter().any(|k| *k == lkind) {
            let known = kinds();
            let mut e = Error::new(
                Code::UnknownKind,
                format!("this build of flue carries no blueprints of kind `{kind}`"),
            )
            .note(format!("known kinds: {}", known.join(", ")));
            if let Some(s) = did_you_mean(&lkind, known.iter().copied()) {
                e = e
                    .hint(format!("a kind with a similar name exists: `{s}`"))
                    .suggest(s);
            } else {
                e = e.hint("run `flue add` to list the catalog");
            }
            return Err(e);
        }
        let found = CATALOG
            .iter()
            .find(|b| b.kind == lkind && matches_name(b, &lname));
        match found {
            Some(b) => Ok(check_version(Request {
                blueprint: b,
                pinned,
            })?),
            None => Err(unknown_name(name, Some(&lkind))),
        }
    } else {
        let found: Vec<&'static Blueprint> =
            CATALOG.iter().filter(|b| matches_name(b, &lname)).collect();
        match found.as_slice() {
            [b] => Ok(check_version(Request {
                blueprint: b,
                pinned,
            })?),
            [] => Err(unknown_name(name, None)),
            many => Err(Error::new(
                Code::AmbiguousBlueprint,
                format!("`{name}` names blueprints of several kinds"),
            )
            .hint(format!(
                "name the kind: {}",
                many.iter()
                    .map(|b| format!("`flue add {} {}`", b.kind, b.name))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ))),
        }
    }
}

fn matches_name(b: &Blueprint, lname: &str) -> bool {
    b.name == lname || b.aliases.iter().any(|a| a.eq_ignore_ascii_case(lname))
}

fn split_version(s: &str) -> Result<(&str, Option<u32>)> {
    // `@scope/pkg@1`: the version `@` is never the first character.
    match s.rfind('@') {
        Some(i) if i > 0 && i + 1 == s.len() => Err(Error::new(
            Code::InvalidVersion,
            format!("missing version after `@` in `{s}`"),
        )
        .hint(format!(
            "write a whole number, as in `{s}2`, or leave out the `@`"
        ))),
        Some(i) if i > 0 => {
            let v = &s[i + 1..];
            let v = v.strip_prefix('v').unwrap_or(v);
            match v.parse::<u32>() {
                Ok(n) => Ok((&s[..i], Some(n))),
                Err(_) => Err(Error::new(
                    Code::InvalidVersion,
                    format!(
                        "`{}` is not a blueprint version (expected a whole number, as in `mirage@2`)",
                        &s[i + 1..]
                    ),
                )),
            }
        }
        _ => Ok((s, None)),
    }
}

fn check_version(r: Request) -> Result<Request> {
    if let Some(v) = r.pinned
        && r.blueprint.version(v).is_none()
    {
        let known: Vec<String> = r
            .blueprint
            .versions
            .iter()
            .map(|v| v.number.to_string())
            .collect();
        return Err(Error::new(
            Code::UnknownVersion,
            format!("blueprint `{}` has no version {v}", r.blueprint.id()),
        )
        .note(format!("versions this build carries: {}", known.join(", ")))
        .hint("a newer flue may carry it"));
    }
    Ok(r)
}

fn unknown_name(name: &str, kind: Option<&str>) -> Error {
    let candidates: Vec<&'static Blueprint> = CATALOG
        .iter()
        .filter(|b| kind.is_none_or(|k| b.kind == k))
        .collect();
    let listed: Vec<String> = candidates.iter().map(|b| b.id()).collect();
    let what = match kind {
        Some(k) => format!("no blueprint named `{name}` of kind `{k}`"),
        None => format!("no blueprint named `{name}`"),
    };
    let mut e =
        Error::new(Code::UnknownBlueprint, what).note(format!("known: {}", listed.join(", ")));
    let names = candidates
        .iter()
        .flat_map(|b| std::iter::once(b.name).chain(b.aliases.iter().copied()));
    e = match did_you_mean(&name.to_ascii_lowercase(), names) {
        Some(s) => e
            .hint(format!("a blueprint with a similar name exists: `{s}`"))
            .suggest(s),
        None => e.hint("run `flue add` to list the catalog"),
    };
    e
}

/// The closest candidate within a small edit distance.
pub fn did_you_mean<'a>(input: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (edit_distance(input, &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| *d <= (c.len().max(3) / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_and_name() {
        let r = resolve(Some("sandbox"), "mirage", None).unwrap();
        assert_eq!(r.blueprint.name, "mirage");
        assert_eq!(r.pinned, None);
    }

    #[test]
    fn name_only_alias_case_insensitive_with_version() {
        let r = resolve(None, "@StruktoAI/Mirage-Node@1", None).unwrap();
        assert_eq!(r.blueprint.name, "mirage");
        assert_eq!(r.pinned, Some(1));
    }

    #[test]
    fn unknown_name_suggests() {
        let e = resolve(Some("sandbox"), "mirag", None).unwrap_err();
        assert_eq!(e.code.as_str(), "unknown_blueprint");
        assert!(e.hint.unwrap().contains("`mirage`"));
    }

    #[test]
    fn unknown_kind_lists_kinds() {
        let e = resolve(Some("channel"), "slack", None).unwrap_err();
        assert_eq!(e.code.as_str(), "unknown_kind");
        assert!(e.notes[0].contains("sandbox"));
    }

    #[test]
    fn unknown_version() {
        let e = resolve(None, "mirage@9", None).unwrap_err();
        assert_eq!(e.code.as_str(), "unknown_version");
    }

    #[test]
    fn empty_version_after_at_says_so() {
        let e = resolve(None, "mirage@", None).unwrap_err();
        assert_eq!(e.code.as_str(), "invalid_version");
        assert_eq!(e.message, "missing version after `@` in `mirage@`");
    }

    #[test]
    fn did_you_mean_is_a_field() {
        let e = resolve(Some("sandbox"), "mirag", None).unwrap_err();
        assert_eq!(e.suggestion.as_deref(), Some("mirage"));
        let e = resolve(Some("sandbx"), "mirage", None).unwrap_err();
        assert_eq!(e.suggestion.as_deref(), Some("sandbox"));
    }

    #[test]
    fn conflicting_pins() {
        let e = resolve(None, "mirage@1", Some(2)).unwrap_err();
        assert_eq!(e.code.as_str(), "usage");
    }
}
