//! A continuation-joined instruction line that remembers where every byte came from.
//!
//! BuildKit joins `RUN a \` + `  b` into `RUN a   b` before it looks at the words. We do the
//! same, but keep a map from offsets in the joined text back to the source, so every word,
//! flag and shell command found in the joined text has an exact source range.

use crate::text::Span;

/// One contiguous piece of the joined text copied from the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Segment {
    logical: usize,
    source: usize,
    len: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogicalLine {
    text: String,
    segments: Vec<Segment>,
}

impl LogicalLine {
    /// Appends `source[span]` to the joined text.
    pub(crate) fn push(&mut self, source: &str, span: Span) {
        let piece = span.slice(source);
        if piece.is_empty() {
            return;
        }
        self.segments.push(Segment {
            logical: self.text.len(),
            source: span.start,
            len: piece.len(),
        });
        self.text.push_str(piece);
    }

    /// The joined text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Source offset of the byte at logical `offset` (an offset at the very end maps to the
    /// end of the last segment).
    pub fn to_source(&self, offset: usize) -> usize {
        match self.segment_at(offset, false) {
            Some(s) => s.source + (offset - s.logical),
            None => self.segments.last().map_or(0, |s| s.source + s.len),
        }
    }

    /// Source span of the logical range `start..end`. An end offset maps to the end of the
    /// byte before it, so a range never swallows the continuation characters that follow.
    pub fn to_source_span(&self, start: usize, end: usize) -> Span {
        if end <= start {
            let at = self.to_source(start);
            return Span::empty(at);
        }
        let first = self.to_source(start);
        let last = match self.segment_at(end, true) {
            Some(s) => s.source + (end - s.logical),
            None => self.to_source(end),
        };
        Span::new(first, last.max(first))
    }

    /// The segment containing `offset`; with `end_inclusive` an offset equal to a segment's
    /// end belongs to that segment rather than the next one.
    fn segment_at(&self, offset: usize, end_inclusive: bool) -> Option<&Segment> {
        let index = self.segments.partition_point(|s| {
            if end_inclusive {
                s.logical + s.len < offset
            } else {
                s.logical + s.len <= offset
            }
        });
        self.segments
            .get(index)
            .filter(|s| s.logical <= offset && offset <= s.logical + s.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_joined_offsets_back_to_source() {
        let source = "RUN a \\\n  b\n";
        let mut line = LogicalLine::default();
        line.push(source, Span::new(0, 6)); // "RUN a "
        line.push(source, Span::new(8, 11)); // "  b"
        assert_eq!(line.as_str(), "RUN a   b");
        let b = line.as_str().find('b').unwrap();
        assert_eq!(line.to_source(b), 10);
        // "a   b" spans the continuation and ends right after `b`.
        let span = line.to_source_span(4, 9);
        assert_eq!(span.slice(source), "a \\\n  b");
        // A range ending at a segment boundary stops before the escape character.
        assert_eq!(line.to_source_span(0, 6).slice(source), "RUN a ");
        assert_eq!(line.to_source(99), 11);
    }
}
