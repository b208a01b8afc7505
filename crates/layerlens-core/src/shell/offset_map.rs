//! Offset tables from a derived string back to the text it was derived from.
//!
//! The argument of `sh -c "…"` and the body of a backtick substitution are parsed again after
//! quote/escape removal, so their offsets differ from the original text. While building the
//! derived string we record, in segments, where each piece came from: a verbatim copy maps
//! byte for byte ("linear"), an escape such as `\"` or `$'\x41'` maps its output character(s)
//! to the whole escape sequence ("atom"). Segments keep the table small (a quoted word without
//! escapes is one segment) while still mapping every character exactly.

use super::Range;

#[derive(Clone, Copy, Debug)]
struct Seg {
    inner: usize,
    outer: usize,
    inner_len: usize,
    outer_len: usize,
    linear: bool,
}

/// Maps byte offsets of a derived string (inner) to the original text (outer).
#[derive(Clone, Debug, Default)]
pub(super) struct OffsetMap {
    segs: Vec<Seg>,
    /// Outer offset used when the derived string is empty.
    origin: usize,
}

impl OffsetMap {
    pub(super) fn new(origin: usize) -> Self {
        OffsetMap {
            segs: Vec::new(),
            origin,
        }
    }

    /// `len` bytes copied verbatim from `outer` to `inner`.
    pub(super) fn linear(&mut self, inner: usize, outer: usize, len: usize) {
        if len == 0 {
            return;
        }
        if let Some(last) = self.segs.last_mut() {
            if last.linear
                && last.inner + last.inner_len == inner
                && last.outer + last.outer_len == outer
            {
                last.inner_len += len;
                last.outer_len += len;
                return;
            }
        }
        self.segs.push(Seg {
            inner,
            outer,
            inner_len: len,
            outer_len: len,
            linear: true,
        });
    }

    /// `inner_len` output bytes produced by the escape sequence at `outer..outer+outer_len`.
    pub(super) fn atom(&mut self, inner: usize, inner_len: usize, outer: usize, outer_len: usize) {
        if inner_len == 0 {
            return;
        }
        self.segs.push(Seg {
            inner,
            outer,
            inner_len,
            outer_len,
            linear: false,
        });
    }

    /// A new map of `self` restricted to inner offsets `from..`, shifted so that inner offset
    /// `from` becomes 0 (for `su --command=…`, where the script starts inside the word).
    pub(super) fn suffix(&self, from: usize) -> OffsetMap {
        let mut out = OffsetMap::new(self.start(from));
        for s in &self.segs {
            let end = s.inner + s.inner_len;
            if end <= from {
                continue;
            }
            if s.inner >= from {
                out.segs.push(Seg {
                    inner: s.inner - from,
                    ..*s
                });
            } else if s.linear {
                let skip = from - s.inner;
                out.segs.push(Seg {
                    inner: 0,
                    outer: s.outer + skip,
                    inner_len: s.inner_len - skip,
                    outer_len: s.outer_len - skip,
                    linear: true,
                });
            } else {
                // `from` falls inside an escape's output; keep the whole escape.
                out.segs.push(Seg {
                    inner: 0,
                    inner_len: end - from,
                    ..*s
                });
            }
        }
        out
    }

    /// Index of the segment containing inner byte `p`, if any.
    fn find(&self, p: usize) -> Option<usize> {
        let i = self.segs.partition_point(|s| s.inner + s.inner_len <= p);
        match self.segs.get(i) {
            Some(s) if s.inner <= p => Some(i),
            _ => None,
        }
    }

    /// Outer offset where the character starting at inner offset `p` starts.
    fn start(&self, p: usize) -> usize {
        match self.find(p) {
            Some(i) => {
                let s = self.segs[i];
                if s.linear {
                    s.outer + (p - s.inner)
                } else {
                    s.outer
                }
            }
            // At (or past) the end: just after the last piece.
            None => self
                .segs
                .last()
                .map_or(self.origin, |s| s.outer + s.outer_len),
        }
    }

    /// Outer offset where the character ending at inner offset `p` ends.
    fn end(&self, p: usize) -> usize {
        if p == 0 {
            return self.start(0);
        }
        match self.find(p - 1) {
            Some(i) => {
                let s = self.segs[i];
                if s.linear {
                    s.outer + (p - s.inner)
                } else {
                    s.outer + s.outer_len
                }
            }
            None => self.start(p),
        }
    }

    /// Map an inner range to the outer text.
    pub(super) fn range(&self, r: &Range) -> Range {
        let start = self.start(r.start);
        if r.end <= r.start {
            return start..start;
        }
        let end = self.end(r.end).max(start);
        start..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_and_atoms() {
        // outer: `"a\"b"` at offset 10 -> inner `a"b`
        let mut m = OffsetMap::new(10);
        m.linear(0, 11, 1); // a
        m.atom(1, 1, 12, 2); // \"
        m.linear(2, 14, 1); // b
        assert_eq!(m.range(&(0..3)), 11..15);
        assert_eq!(m.range(&(1..2)), 12..14);
        assert_eq!(m.range(&(2..3)), 14..15);
        assert_eq!(m.range(&(3..3)), 15..15);
        let s = m.suffix(1);
        assert_eq!(s.range(&(0..2)), 12..15);
    }

    #[test]
    fn merges_contiguous_copies() {
        let mut m = OffsetMap::new(0);
        m.linear(0, 5, 2);
        m.linear(2, 7, 3);
        assert_eq!(m.segs.len(), 1);
        assert_eq!(m.range(&(1..4)), 6..9);
    }

    #[test]
    fn empty_map_uses_origin() {
        let m = OffsetMap::new(7);
        assert_eq!(m.range(&(0..0)), 7..7);
        assert_eq!(m.range(&(0..3)), 7..7);
    }
}
