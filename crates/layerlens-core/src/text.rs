//! Byte spans and line/column conversion.
//!
//! The core speaks byte offsets only; lines and columns are derived here, at the edge.

use serde::Serialize;

/// A half-open byte range `start..end` into a source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub const fn empty(at: usize) -> Self {
        Span { start: at, end: at }
    }

    pub const fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub const fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    pub fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// The text of this span, or "" if it does not fit `text` (never panics).
    pub fn slice(self, text: &str) -> &str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// A 1-based line and column of a byte offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LineCol {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column in Unicode scalar values.
    pub column: usize,
    /// 0-based column in UTF-16 code units, as a browser counts.
    pub utf16_column: usize,
}

/// Start offsets of every line, for fast offset → line/column lookups.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.reserve(text.len() / 32);
        // Eight bytes at a time: most words hold no newline and are skipped whole.
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGHS: u64 = 0x8080_8080_8080_8080;
        const NEWLINES: u64 = ONES * b'\n' as u64;
        let bytes = text.as_bytes();
        let mut chunks = bytes.chunks_exact(8);
        let mut base = 0;
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let x = u64::from_le_bytes(word) ^ NEWLINES;
            if x.wrapping_sub(ONES) & !x & HIGHS != 0 {
                for (i, &b) in chunk.iter().enumerate() {
                    if b == b'\n' {
                        line_starts.push(base + i + 1);
                    }
                }
            }
            base += 8;
        }
        for (i, &b) in chunks.remainder().iter().enumerate() {
            if b == b'\n' {
                line_starts.push(base + i + 1);
            }
        }
        LineIndex { line_starts }
    }

    /// Byte offset of the start of every line.
    pub fn line_starts(&self) -> &[usize] {
        &self.line_starts
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where the 1-based `line` starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line.checked_sub(1)?).copied()
    }

    /// Line and column of `offset` (clamped to the text, snapped back to a char boundary).
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_index = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line_index];
        let before = &text[start..offset];
        let (chars, utf16) = if before.is_ascii() {
            (before.len(), before.len())
        } else {
            (before.chars().count(), before.encode_utf16().count())
        };
        LineCol {
            line: line_index + 1,
            column: chars + 1,
            utf16_column: utf16,
        }
    }
}

/// Converts a byte offset to a UTF-16 offset from the start of `text`.
pub fn utf16_offset(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    text[..offset].encode_utf16().count()
}

/// Converts a UTF-16 offset (from a browser) back to a byte offset in `text`.
pub fn byte_offset_from_utf16(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// `s` as a JSON string literal (exec-form arrays, SHELL instructions written by fixes).
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_starts_match_a_plain_scan_at_every_alignment() {
        // Newlines at every position of the eight-byte words, next to multi-byte chars
        // and bytes that differ from '\n' by one bit.
        let pieces = [
            "\n",
            "a",
            "\u{e9}",
            "\u{1F600}",
            "\x0b",
            "\x0a\x0a",
            "\u{10a}",
            "*",
        ];
        let mut text = String::new();
        for i in 0..400usize {
            text.push_str(pieces[(i * 7 + i / 3) % pieces.len()]);
            let plain: Vec<usize> = std::iter::once(0)
                .chain(text.match_indices('\n').map(|(at, _)| at + 1))
                .collect();
            assert_eq!(LineIndex::new(&text).line_starts(), plain, "{text:?}");
        }
    }

    #[test]
    fn line_col_counts_chars_and_utf16_units() {
        let text = "ab\n\u{1F600}x\r\nz";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        let x = text.find('x').unwrap();
        let lc = index.line_col(text, x);
        assert_eq!((lc.line, lc.column, lc.utf16_column), (2, 2, 2));
        let z = text.find('z').unwrap();
        assert_eq!(index.line_col(text, z).line, 3);
        // Offsets inside a multi-byte char snap back to its start.
        assert_eq!(index.line_col(text, 4).column, 1);
        // Offsets past the end are clamped.
        assert_eq!(index.line_col(text, 999).line, 3);
    }

    #[test]
    fn utf16_round_trip() {
        let text = "é\u{1F600}a";
        let a = text.find('a').unwrap();
        assert_eq!(utf16_offset(text, a), 3);
        assert_eq!(byte_offset_from_utf16(text, 3), a);
        assert_eq!(byte_offset_from_utf16(text, 99), text.len());
    }

    #[test]
    fn span_slice_never_panics() {
        assert_eq!(Span::new(5, 9).slice("abc"), "");
        assert_eq!(Span::new(1, 3).slice("abc"), "bc");
        assert_eq!(Span::new(0, 1).slice("é"), "");
    }
}
