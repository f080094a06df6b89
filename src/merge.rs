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

    fn is_subsequence(needle: &[&str], hay: &[&str]) -> bool {
        let mut it = hay.iter();
        needle.iter().all(|n| it.any(|h| h == n))
    }

    proptest::proptest! {
        /// Lines both sides kept from the base survive the merge, in order;
        /// a clean merge of two deletions is exactly the lines both kept.
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
            let m = merge3(&b, &keep(&drop_ours), &keep(&drop_theirs), &L);
            let out: Vec<&str> = m.text.lines().collect();
            let both: Vec<&str> = base.iter().enumerate().filter(|(i, _)| !drop_ours[*i] && !drop_theirs[*i]).map(|(_, l)| l.as_str()).collect();
            proptest::prop_assert!(is_subsequence(&both, &out), "lost a line both kept: {:?}", m.text);
            if m.is_clean() {
                proptest::prop_assert_eq!(out, both);
            }
        }

        /// The upgrade property on the real templates: user insertions that
        /// stay at least one unchanged line away from every region where the
        /// old and new renders differ survive the merge, and everything else
        /// equals the new render.
        #[test]
        fn user_insertions_survive_a_real_upgrade(picks in proptest::collection::vec((0usize..10_000, "[a-z ]{0,20}"), 1..6)) {
            let pairs: Vec<_> = crate::blueprint::CATALOG.iter().flat_map(|b| b.versions.windows(2)).collect();
            assert!(!pairs.is_empty(), "the catalog has a blueprint with two versions");
            for pair in pairs {
                let (old, new) = ((pair[0].render)(), (pair[1].render)());
                let old_lines: Vec<&str> = old.lines().collect();
                // Gaps (before line i) that touch no changed region of old→new, with a margin of one line.
                let mut changed = vec![false; old_lines.len() + 1];
                for op in similar::TextDiff::from_lines(&old, &new).ops() {
                    let r = op.old_range();
                    if op.tag() != similar::DiffTag::Equal {
                        let end = (r.end + 1).min(old_lines.len());
                        changed[r.start.saturating_sub(1)..=end].fill(true);
                    }
                }
                let safe: Vec<usize> = (1..old_lines.len()).filter(|&i| !changed[i] && !changed[i - 1]).collect();
                proptest::prop_assume!(!safe.is_empty());
                let mut gaps: Vec<(usize, String)> = picks.iter().map(|(p, t)| (safe[p % safe.len()], format!("// user: {t}"))).collect();
                gaps.sort();
                gaps.dedup_by_key(|g| g.0);
                let mut ours = String::new();
                for (i, l) in old_lines.iter().enumerate() {
                    for (g, t) in &gaps {
                        if *g == i { ours.push_str(t); ours.push('\n'); }
                    }
                    ours.push_str(l);
                    ours.push('\n');
                }
                let m = merge3(&old, &ours, &new, &L);
                proptest::prop_assert!(m.is_clean(), "conflicts: {:?}", m.conflicts);
                for (_, t) in &gaps {
                    proptest::prop_assert!(m.text.contains(t.as_str()));
                }
                let without: String = m.text.lines().filter(|l| !l.starts_with("// user: ")).map(|l| format!("{l}\n")).collect();
                proptest::prop_assert_eq!(without, new);
            }
        }
    }
}
