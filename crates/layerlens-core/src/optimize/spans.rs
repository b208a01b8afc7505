//! Positions across steps: each kept step is a set of edits from one text to the next; a
//! [`StepMap`] maps offsets through it forwards (old → new) and backwards (new → old), so
//! every change's hunks can be given in the original text and in the final output.

use crate::fix::Edit;
use crate::text::Span;

/// The edits of one step: for each, its range in the old text and in the new text.
#[derive(Clone, Debug, Default)]
pub struct StepMap {
    /// Sorted, non-overlapping (old, new) pairs.
    pairs: Vec<(Span, Span)>,
}

impl StepMap {
    /// The map of applying `edits` (non-overlapping, any order) to a text.
    pub fn new(edits: &[Edit]) -> StepMap {
        let mut sorted: Vec<&Edit> = edits.iter().collect();
        sorted.sort_by_key(|e| (e.span.start, e.span.end));
        let mut pairs = Vec::with_capacity(sorted.len());
        let mut delta: i64 = 0;
        for e in sorted {
            let start = (e.span.start as i64 + delta).max(0) as usize;
            let new = Span::new(start, start + e.text.len());
            pairs.push((e.span, new));
            delta += e.text.len() as i64 - e.span.len() as i64;
        }
        StepMap { pairs }
    }

    /// The (old, new) span of each edit, in text order.
    pub fn pairs(&self) -> &[(Span, Span)] {
        &self.pairs
    }

    /// Maps offset `at` of one side (`old` when `forward`) to the other. A point strictly
    /// inside a replaced range goes to the start (`end_bias` false) or the end of the
    /// replacement; a point at an insertion stays after the inserted text as a start and
    /// before it as an end.
    fn map_point(&self, at: usize, end_bias: bool, forward: bool) -> usize {
        let mut delta: i64 = 0;
        for (old, new) in &self.pairs {
            let (from, to) = if forward { (old, new) } else { (new, old) };
            if at < from.start {
                break;
            }
            if from.is_empty() {
                if at == from.start && end_bias {
                    break;
                }
            } else if at > from.start && at < from.end {
                return if end_bias { to.end } else { to.start };
            } else if at == from.start {
                break;
            }
            delta = to.end as i64 - from.end as i64;
        }
        (at as i64 + delta).max(0) as usize
    }

    pub fn forward(&self, span: Span) -> Span {
        let start = self.map_point(span.start, false, true);
        let end = self.map_point(span.end, true, true);
        Span::new(start, end.max(start))
    }

    pub fn backward(&self, span: Span) -> Span {
        let start = self.map_point(span.start, false, false);
        let end = self.map_point(span.end, true, false);
        Span::new(start, end.max(start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_through_replacements_insertions_and_deletions() {
        // "abcdef" → replace "bc" by "XYZ", insert "!" at 5, delete "f".
        let edits = [
            Edit::replace(Span::new(1, 3), "XYZ"),
            Edit::insert(5, "!"),
            Edit::delete(Span::new(5, 6)),
        ];
        // apply() would reject the insert + delete at 5 as overlapping only when they share
        // bytes; an empty insertion before a deletion is fine.
        let map = StepMap::new(&edits);
        // "a" stays.
        assert_eq!(map.forward(Span::new(0, 1)), Span::new(0, 1));
        // "bc" → "XYZ".
        assert_eq!(map.forward(Span::new(1, 3)), Span::new(1, 4));
        // "de" shifted by one.
        assert_eq!(map.forward(Span::new(3, 5)), Span::new(4, 6));
        assert_eq!(map.backward(Span::new(1, 4)), Span::new(1, 3));
        assert_eq!(map.backward(Span::new(4, 6)), Span::new(3, 5));
        assert_eq!(map.backward(Span::new(6, 7)), Span::new(5, 5));
    }
}
