//! Physical lines and the whitespace rules BuildKit applies to them.

use crate::text::Span;

/// One physical line: `span` includes the newline, `content` excludes trailing CR/LF.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PhysicalLine {
    pub span: Span,
    pub content: Span,
}

/// Splits `text` into lines, keeping newlines in `span` (BuildKit's `scanLines`), and
/// trimming every trailing `\r`/`\n` from `content` (its `trimNewline`).
pub fn physical_lines(text: &str) -> Vec<PhysicalLine> {
    let mut lines = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    while start < bytes.len() {
        let end = match bytes[start..].iter().position(|&b| b == b'\n') {
            Some(i) => start + i + 1,
            None => bytes.len(),
        };
        let mut content_end = end;
        while content_end > start && matches!(bytes[content_end - 1], b'\n' | b'\r') {
            content_end -= 1;
        }
        lines.push(PhysicalLine {
            span: Span::new(start, end),
            content: Span::new(start, content_end),
        });
        start = end;
    }
    lines
}

/// Go's `unicode.IsSpace`.
pub fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// The separator BuildKit splits words on: `[\t\v\f\r ]`.
pub fn is_word_separator(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ')
}

/// Go's `unicode.IsSpace(rune(b))` on a single byte, as BuildKit's byte-wise loops use it.
pub fn is_space_byte(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | 0x85 | 0xa0)
}

/// Length of the leading Unicode whitespace of `s`.
pub fn leading_space_len(s: &str) -> usize {
    s.len() - s.trim_start_matches(is_space).len()
}

/// Whether a line is a comment: `#` after leading whitespace.
pub fn is_comment(s: &str) -> bool {
    s.trim_start_matches(is_space).starts_with('#')
}

/// If `s` ends with a line continuation (`escape` followed only by spaces/tabs, and not
/// itself escaped), the length of the text that stays: everything before the escape.
pub fn continuation_keep_len(s: &str, escape: char) -> Option<usize> {
    let trimmed = s.trim_end_matches([' ', '\t']);
    let before = trimmed.strip_suffix(escape)?;
    match before.chars().next_back() {
        None => Some(0),
        Some(c) if c == escape => None,
        Some(_) => Some(before.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_newlines_and_trim_crlf_from_content() {
        let text = "a\r\nb\n\nc";
        let lines = physical_lines(text);
        let contents: Vec<&str> = lines.iter().map(|l| l.content.slice(text)).collect();
        assert_eq!(contents, ["a", "b", "", "c"]);
        assert_eq!(lines[0].span.slice(text), "a\r\n");
        assert_eq!(lines[3].span.slice(text), "c");
    }

    #[test]
    fn continuation_rules_match_buildkit() {
        assert_eq!(continuation_keep_len("echo \\", '\\'), Some(5));
        assert_eq!(continuation_keep_len("echo \\ \t", '\\'), Some(5));
        assert_eq!(continuation_keep_len("\\", '\\'), Some(0));
        assert_eq!(continuation_keep_len("foo\\\\", '\\'), None);
        assert_eq!(continuation_keep_len("foo\\x", '\\'), None);
        assert_eq!(continuation_keep_len("foo`", '`'), Some(3));
        assert_eq!(continuation_keep_len("foo\\", '`'), None);
    }
}
