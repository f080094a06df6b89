//! Three-way merge of line-oriented text: base (the render the file started
//! from), ours (the file as the user has it), theirs (the new render). Clean
//! merges give the merged text; conflicts give the hunks and a diff3-marked
//! text. Works on LF text; callers convert CRLF before and after.

use similar::{ConflictStyle, TextDiff, TextMerge};

/// One conflicting region.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Conflict {
    /// 1-based line in the user's file where the region starts.
    pub line: usize,
    /// The region's lines in the base render.
    pub base: Vec<String>,
    /// The region's lines in the user's file.
    pub ours: Vec<String>,
    /// The region's lines in the new render.
    pub theirs: Vec<String>,
}

/// The result of a merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The merged text, with diff3 markers where there are conflicts.
    pub text: String,
    pub conflicts: Vec<Conflict>,
}

impl Merged {
    pub fn is_clean(&self) -> bool {
        self.conflicts.is_empty()
    }
}

/// Labels written after the conflict markers.
pub struct Labels<'a> {
    pub base: &'a str,
    pub ours: &'a str,
    pub theirs: &'a str,
}

/// Merges `ours` and `theirs`, both descended from `base`.
pub fn merge3(base: &str, ours: &str, theirs: &str, labels: &Labels) -> Merged {
    let mut m = TextMerge::from_lines(base, ours, theirs);
    m.conflict_style(ConflictStyle::Diff3)
        .labels(labels.base, labels.ours, labels.theirs);
    let lines = |s: &str, r: std::ops::Range<usize>| -> Vec<String> {
        s.split_inclusive('\n')
            .skip(r.start)
            .take(r.len())
            .map(|l| l.trim_end_matches('\n').to_string())
            .collect()
    };
    let conflicts = m
        .conflicts()
        .map(|r| Conflict {
            line: r.ours_range().start + 1,
            base: lines(base, r.base_range()),
            ours: lines(ours, r.ours_range()),
            theirs: lines(theirs, r.theirs_range()),
        })
        .collect();
    Merged {
        text: m.to_string(),
        conflicts,
    }
}

/// How alike two texts are, from 0.0 to 1.0 (line based).
pub fn similarity(a: &str, b: &str) -> f32 {
    TextDiff::from_lines(a, b).ratio()
}

/// Whether `text` still holds conflict markers left by a merge.
pub fn has_conflict_markers(text: &str) -> Option<usize> {
    let mut open = None;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("<<<<<<< ") || line == "<<<<<<<" {
            open = Some(i + 1);
        } else if (line.starts_with(">>>>>>> ") || line == ">>>>>>>") && open.is_some() {
            return open;
        }
    }
    None
}

/// A unified diff of `old` to `new` with file headers, or empty when equal.
pub fn unified_diff(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    if old == new {
        return String::new();
    }
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .to_string()
}

/// Lines of `ours` that `theirs` does not keep, for reporting what an
/// overwrite discards.
pub fn discarded_lines(ours: &str, theirs: &str) -> Vec<String> {
    TextDiff::from_lines(ours, theirs)
        .iter_all_changes()
        .filter(|c| c.tag() == similar::ChangeTag::Delete)
        .map(|c| c.value().trim_end_matches('\n').to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: Labels = Labels {
        base: "base",
        ours: "yours",
        theirs: "new",
    };

    #[test]
    fn clean_merge_keeps_both_sides() {
        let m = merge3("a\nb\nc\nd\n", "a\nB\nc\nd\n", "a\nb\nc\nD\n", &L);
        assert!(m.is_clean());
        assert_eq!(m.text, "a\nB\nc\nD\n");
    }

    #[test]
    fn conflict_lists_the_hunk_and_marks_it() {
        let m = merge3("a\nb\nc\n", "a\nX\nc\n", "a\nY\nc\n", &L);
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.conflicts[0].line, 2);
        assert_eq!(m.conflicts[0].ours, vec!["X"]);
        assert_eq!(m.conflicts[0].theirs, vec!["Y"]);
        assert_eq!(m.conflicts[0].base, vec!["b"]);
        assert_eq!(
            m.text,
            "a\n<<<<<<< yours\nX\n||||||| base\nb\n=======\nY\n>>>>>>> new\nc\n"
        );
        assert_eq!(has_conflict_markers(&m.text), Some(2));
    }

    #[test]
    fn no_markers_in_plain_text() {
        assert_eq!(has_conflict_markers("a\n<<<<<<< only\nb\n"), None);
    }

    #[test]
    fn discarded_lines_are_the_user_lines_dropped() {
        assert_eq!(discarded_lines("a\nmine\nb\n", "a\nb\n"), vec!["mine"]);
    }

    proptest::proptest! {
        /// Lines both sides kept from the base survive the merge, in order.
        #[test]
        fn never_loses_lines_both_kept(
            base in proptest::collection::vec("[a-e]{1,3}", 0..30),
            drop_ours in proptest::collection::vec(proptest::bool::weighted(0.2), 30),
            drop_theirs in proptest::collection::vec(proptest::bool::weighted(0.2), 30),
        ) {
            let base: Vec<String> = base.iter().enumerate().map(|(i, s)| format!("{i}{s}")).collect();
            let keep = |drops: &[bool]| -> String {
                base.iter().enumerate().filter(|(i, _)| !drops[*i]).map(|(_, l)| format!("{l}\n")).collect()
            };
            let b: String = base.iter().map(|l| format!("{l}\n")).collect();
            let ours = keep(&drop_ours);
            let theirs = keep(&drop_theirs);
            let m = merge3(&b, &ours, &theirs, &L);
            proptest::prop_assert!(m.is_clean());
            let out: Vec<&str> = m.text.lines().collect();
            let both: Vec<&String> = base.iter().enumerate().filter(|(i, _)| !drop_ours[*i] && !drop_theirs[*i]).map(|(_, l)| l).collect();
            proptest::prop_assert_eq!(out.len(), both.len());
            for (a, b) in out.iter().zip(both) { proptest::prop_assert_eq!(*a, b.as_str()); }
        }
    }
}
