//! What the editor paints under the (transparent) textarea text: instruction keywords,
//! comments, and squiggles under diagnostic ranges.
//!
//! Keywords and diagnostics come from the core's `Analysis`, never from a second parser.
//! That analysis lags the text by the debounce, so its offsets are carried over to the
//! text being typed by [`Remap`] (unchanged prefix and suffix), which keeps the colours
//! steady while typing.

use std::collections::BTreeSet;

use layerlens_core::analysis::{Analysis, Severity};

use crate::view::severity_name;

/// Maps byte offsets of the analysed text onto the current text, assuming one edited
/// region between an unchanged prefix and an unchanged suffix.
pub struct Remap {
    prefix: usize,
    old_suffix_start: usize,
    delta: isize,
}

impl Remap {
    pub fn new(old: &str, new: &str) -> Self {
        let (prefix, suffix) = crate::diff::common_affixes(old, new);
        Remap {
            prefix,
            old_suffix_start: old.len() - suffix,
            delta: new.len() as isize - old.len() as isize,
        }
    }

    /// A range of the old text carried over to the new text, or `None` when it touches
    /// the edited region. A range that ends where the edit starts belongs to the prefix.
    pub fn range(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        if end <= self.prefix {
            Some((start, end))
        } else if start >= self.old_suffix_start {
            let shift = |o: usize| (o as isize + self.delta) as usize;
            Some((shift(start), shift(end)))
        } else {
            None
        }
    }
}

/// A run of text and the CSS classes painted on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub start: usize,
    pub end: usize,
    pub classes: Vec<&'static str>,
}

fn mark(
    out: &mut Vec<(usize, usize, &'static str)>,
    start: usize,
    end: usize,
    class: &'static str,
) {
    if start < end {
        out.push((start, end, class));
    }
}

/// Splits `text` into segments with the classes that apply to each.
///
/// `analyzed` is the text `analysis` was computed from (it may lag `text`).
pub fn segments(text: &str, analyzed: &str, analysis: &Analysis) -> Vec<Segment> {
    segments_from(
        text,
        analyzed,
        analysis.instructions.iter().map(|i| i.range.start),
        analysis
            .diagnostics
            .iter()
            .map(|d| (d.range.start, d.range.end, d.severity)),
    )
}

/// [`segments`] from instruction start offsets and diagnostic ranges of `analyzed`.
pub fn segments_from(
    text: &str,
    analyzed: &str,
    instruction_starts: impl IntoIterator<Item = usize>,
    diagnostics: impl IntoIterator<Item = (usize, usize, Severity)>,
) -> Vec<Segment> {
    let remap = Remap::new(analyzed, text);
    let mut marks: Vec<(usize, usize, &'static str)> = Vec::new();

    // Comment lines (display only: a line whose first non-blank character is `#`).
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let lead = body.len() - body.trim_start().len();
        if body[lead..].starts_with('#') {
            mark(
                &mut marks,
                offset + lead,
                offset + body.len(),
                "tok-comment",
            );
        }
        offset += line.len();
    }

    // Keywords: the first word of every instruction the core found.
    for start in instruction_starts {
        let Some(rest) = analyzed.get(start..) else {
            continue;
        };
        let len = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
        if let Some((s, e)) = remap.range(start, start + len) {
            mark(&mut marks, s, e, "tok-keyword");
        }
    }

    // Squiggles under diagnostics; an empty range marks the character after it.
    for (start, end, severity) in diagnostics {
        let mut end = end;
        if end <= start {
            end = analyzed
                .get(start..)
                .unwrap_or("")
                .chars()
                .next()
                .filter(|c| *c != '\n')
                .map_or(start, |c| start + c.len_utf8());
        }
        if let Some((s, e)) = remap.range(start, end) {
            mark(
                &mut marks,
                s,
                e,
                match severity_name(severity) {
                    "error" => "sq-error",
                    "warning" => "sq-warning",
                    "info" => "sq-info",
                    _ => "sq-style",
                },
            );
        }
    }

    // Sweep the boundaries into non-overlapping segments.
    let mut cuts: BTreeSet<usize> = BTreeSet::from([0, text.len()]);
    for &(s, e, _) in &marks {
        if e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e) {
            cuts.insert(s);
            cuts.insert(e);
        }
    }
    let cuts: Vec<usize> = cuts.into_iter().collect();
    let mut out: Vec<Segment> = Vec::new();
    for pair in cuts.windows(2) {
        let (s, e) = (pair[0], pair[1]);
        if s == e {
            continue;
        }
        let mut classes: Vec<&'static str> = marks
            .iter()
            .filter(|(ms, me, _)| *ms <= s && e <= *me && *me <= text.len())
            .map(|(_, _, c)| *c)
            .collect();
        classes.sort_unstable();
        classes.dedup();
        match out.last_mut() {
            Some(last) if last.classes == classes && last.end == s => last.end = e,
            _ => out.push(Segment {
                start: s,
                end: e,
                classes,
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn painted(text: &str, segs: &[Segment]) -> Vec<(String, Vec<&'static str>)> {
        segs.iter()
            .map(|s| (text[s.start..s.end].to_owned(), s.classes.clone()))
            .collect()
    }

    #[test]
    fn remap_keeps_prefix_and_shifts_suffix() {
        let r = Remap::new("FROM a\nRUN b\n", "FROM a\nXX\nRUN b\n");
        assert_eq!(r.range(0, 4), Some((0, 4)));
        assert_eq!(r.range(7, 10), Some((10, 13)));
    }

    #[test]
    fn remap_drops_ranges_in_the_edit() {
        let r = Remap::new("RUN abc", "RUN aXc");
        assert_eq!(r.range(4, 7), None);
        assert_eq!(r.range(0, 3), Some((0, 3)));
    }

    #[test]
    fn remap_is_identity_without_edits_and_char_safe() {
        let r = Remap::new("é😀", "é😀");
        assert_eq!(r.range(0, 6), Some((0, 6)));
        let r = Remap::new("a😀b", "a😁b");
        assert_eq!(r.range(0, 1), Some((0, 1)));
        assert_eq!(r.range(5, 6), Some((5, 6)));
        assert_eq!(r.range(1, 5), None);
    }

    #[test]
    fn comments_keywords_and_squiggles() {
        let text = "# hi\nFROM a\nENV X\n";
        let segs = segments_from(text, text, [5, 12], [(12, 17, Severity::Error)]);
        assert_eq!(
            painted(text, &segs),
            vec![
                ("# hi".to_owned(), vec!["tok-comment"]),
                ("\n".to_owned(), vec![]),
                ("FROM".to_owned(), vec!["tok-keyword"]),
                (" a\n".to_owned(), vec![]),
                ("ENV".to_owned(), vec!["sq-error", "tok-keyword"]),
                (" X".to_owned(), vec!["sq-error"]),
                ("\n".to_owned(), vec![]),
            ]
        );
    }

    #[test]
    fn stale_analysis_is_carried_over_while_typing() {
        // The analysis saw "FROM a\n"; the user has since typed a line above it.
        let segs = segments_from("# x\nFROM a\n", "FROM a\n", [0], []);
        assert_eq!(
            painted("# x\nFROM a\n", &segs),
            vec![
                ("# x".to_owned(), vec!["tok-comment"]),
                ("\n".to_owned(), vec![]),
                ("FROM".to_owned(), vec!["tok-keyword"]),
                (" a\n".to_owned(), vec![]),
            ]
        );
        // Offsets that no longer fit the text are ignored, never a panic.
        let segs = segments_from("", "FROM a\n", [0, 99], [(3, 99, Severity::Info)]);
        assert_eq!(segs, vec![]);
    }
}
