//! The comparison behind the before/after view, derived once per analysis: the line diff
//! (`diff.rs`), which change touched each row, every line painted with the editor's
//! highlight classes plus the changed words, and the side-by-side pairing.

use std::ops::Range;

use layerlens_core::analysis::Analysis;
use layerlens_core::optimize::Optimized;
use layerlens_core::syntax;
use yew::prelude::*;

use crate::diff::{self, removed_and_added, Block, Notes, Op, Row};
use crate::highlight::{segments_from, Segment};

/// The diff and how it is painted, derived once per analysis.
pub(super) struct Comparison {
    pub(super) rows: Vec<Row>,
    pub(super) blocks: Vec<Block>,
    /// Changes (indices into `Optimized::changes`) that touched each row.
    pub(super) touched: Vec<Vec<usize>>,
    pub(super) notes: Notes,
    /// Each line painted (keywords, comments, changed words), by line number.
    pub(super) old_html: Vec<Html>,
    pub(super) new_html: Vec<Html>,
    /// The row shown beside each row in the side-by-side layout (a paired edit).
    pub(super) partner: Vec<Option<usize>>,
}

/// One line of `text` as spans: the highlight classes of the segments it crosses, plus
/// `mark` on the byte ranges (relative to the line) in `words`.
fn paint(
    text: &str,
    line: Range<usize>,
    segs: &[Segment],
    words: &[Range<usize>],
    mark: &'static str,
) -> Html {
    let first = segs.partition_point(|s| s.end <= line.start);
    let mut cuts = vec![line.start, line.end];
    for s in segs[first..].iter().take_while(|s| s.start < line.end) {
        cuts.push(s.start.max(line.start));
        cuts.push(s.end.min(line.end));
    }
    for w in words {
        cuts.push(line.start + w.start);
        cuts.push(line.start + w.end);
    }
    cuts.retain(|c| line.contains(c) || *c == line.end);
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .filter_map(|w| {
            let (a, b) = (w[0], w[1]);
            let run = text.get(a..b)?.to_owned();
            let mut classes: Vec<&'static str> = segs[first..]
                .iter()
                .find(|s| s.start <= a && a < s.end)
                .map(|s| s.classes.clone())
                .unwrap_or_default();
            if words
                .iter()
                .any(|w| line.start + w.start <= a && a < line.start + w.end)
            {
                classes.push(mark);
            }
            Some(if classes.is_empty() {
                html! { { run } }
            } else {
                html! { <span class={classes}>{ run }</span> }
            })
        })
        .collect()
}

pub(super) fn compare(original: &str, optimized: &Optimized, analysis: &Analysis) -> Comparison {
    let output = optimized.text.as_str();
    let (old_ranges, new_ranges) = (diff::lines(original), diff::lines(output));
    let old: Vec<&str> = old_ranges.iter().map(|r| &original[r.clone()]).collect();
    let new: Vec<&str> = new_ranges.iter().map(|r| &output[r.clone()]).collect();
    let rows = diff::diff_lines(&old, &new);
    let blocks = diff::blocks(&rows);
    let touched = diff::attribute(&rows, &optimized.changes, original, output);
    let notes = diff::notes(&blocks, &touched, optimized.changes.len());

    let mut old_words: Vec<Vec<Range<usize>>> = vec![Vec::new(); old.len()];
    let mut new_words: Vec<Vec<Range<usize>>> = vec![Vec::new(); new.len()];
    let mut partner = vec![None; rows.len()];
    for block in &blocks {
        if let Block::Changed(range) = block {
            for (r, a) in diff::pair_edits(&rows, range.clone(), &old, &new) {
                partner[r] = Some(a);
                partner[a] = Some(r);
                if let (Some(o), Some(n)) = (rows[r].old, rows[a].new) {
                    if let Some((ow, nw)) = diff::word_changes(old[o], new[n]) {
                        old_words[o] = ow;
                        new_words[n] = nw;
                    }
                }
            }
        }
    }

    // Keywords from the core: the analysis for the original, a parse of the output.
    let old_segs = segments_from(
        original,
        original,
        analysis.instructions.iter().map(|i| i.range.start),
        std::iter::empty(),
    );
    let parsed = syntax::parse(output);
    let new_segs = segments_from(
        output,
        output,
        parsed.instructions.iter().map(|i| i.span.start),
        std::iter::empty(),
    );
    let old_html = old_ranges
        .iter()
        .zip(&old_words)
        .map(|(r, w)| paint(original, r.clone(), &old_segs, w, "w-del"))
        .collect();
    let new_html = new_ranges
        .iter()
        .zip(&new_words)
        .map(|(r, w)| paint(output, r.clone(), &new_segs, w, "w-add"))
        .collect();
    Comparison {
        rows,
        blocks,
        touched,
        notes,
        old_html,
        new_html,
        partner,
    }
}

pub(super) fn op_name(op: Op) -> &'static str {
    match op {
        Op::Same => "same",
        Op::Removed => "removed",
        Op::Added => "added",
    }
}

/// Row indices of a changed block laid out side by side: removed lines on the left,
/// added on the right, each paired edit on one row, the others zipped between them.
pub(super) fn split_rows(
    rows: &[Row],
    partner: &[Option<usize>],
    block: Range<usize>,
) -> Vec<(Option<usize>, Option<usize>)> {
    let (removed, added) = removed_and_added(rows, block);
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    let zip = |rs: &[usize], as_: &[usize], out: &mut Vec<(Option<usize>, Option<usize>)>| {
        for k in 0..rs.len().max(as_.len()) {
            out.push((rs.get(k).copied(), as_.get(k).copied()));
        }
    };
    for (ri, &r) in removed.iter().enumerate() {
        let Some(a) = partner[r] else {
            continue;
        };
        let Some(ai) = added.iter().position(|&x| x == a) else {
            continue;
        };
        if ai < j {
            continue;
        }
        zip(&removed[i..ri], &added[j..ai], &mut out);
        out.push((Some(r), Some(a)));
        i = ri + 1;
        j = ai + 1;
    }
    zip(&removed[i..], &added[j..], &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn side_by_side_puts_paired_edits_on_one_row() {
        let row = |op, old, new| Row { op, old, new };
        // Two lines removed, three added; the second removed line was edited into the
        // third added one.
        let rows = [
            row(Op::Removed, Some(0), None),
            row(Op::Removed, Some(1), None),
            row(Op::Added, None, Some(0)),
            row(Op::Added, None, Some(1)),
            row(Op::Added, None, Some(2)),
        ];
        let mut partner = vec![None; rows.len()];
        partner[1] = Some(4);
        partner[4] = Some(1);
        assert_eq!(
            split_rows(&rows, &partner, 0..rows.len()),
            vec![(Some(0), Some(2)), (None, Some(3)), (Some(1), Some(4)),]
        );
        // Without pairs, the sides are zipped.
        let none = vec![None; rows.len()];
        assert_eq!(
            split_rows(&rows, &none, 0..rows.len()),
            vec![(Some(0), Some(2)), (Some(1), Some(3)), (None, Some(4))]
        );
    }
}
