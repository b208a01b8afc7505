//! hadolint's JSON: `[{code, column, file, level, line, message}]` plus end positions and,
//! where the rule has one, the fix.

use std::fmt::Write;

use layerlens_core::analysis::Diagnostic;
use layerlens_core::fix::{Applicability, Fix};
use layerlens_core::text::LineIndex;

use super::FileReport;

// Written by hand rather than through serde: linting a large tree prints megabytes of
// it, and most strings need no escaping at all, which a plain scan finds at once. The
// fields and their order are the stable contract (hadolint's, plus ours after them):
// code, column, file, level, line, message, end_line, end_column and, when present,
// fix {title, applicability, edits [{line, column, end_line, end_column, start, end, text}]}.

pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::from("[");
    for report in reports {
        let part = match &report.part {
            Some(part) => std::borrow::Cow::Borrowed(part.as_str()),
            None => std::borrow::Cow::Owned(render_file(report)),
        };
        if part.is_empty() {
            continue;
        }
        if out.len() > 1 {
            out.push(',');
        }
        out.push_str(&part);
    }
    out.push_str("]\n");
    out
}

/// One file's entries, comma-separated, without the array's brackets (empty when the
/// file has no findings).
pub fn render_file(report: &FileReport) -> String {
    // Only fixes need positions worked out here; most files have few.
    let index = std::cell::OnceCell::new();
    let index = || index.get_or_init(|| LineIndex::new(&report.source));
    let mut file = String::new();
    push_json_str(&mut file, &report.path);
    let mut out = String::new();
    for d in &report.diagnostics {
        if !out.is_empty() {
            out.push(',');
        }
        push_entry(&mut out, d, &file, &report.source, index);
    }
    out
}

fn push_entry<'a>(
    out: &mut String,
    d: &Diagnostic,
    file: &str,
    source: &str,
    index: impl Fn() -> &'a LineIndex,
) {
    out.push_str("{\"code\":");
    push_json_str(out, &d.code);
    out.push_str(",\"column\":");
    push_number(out, d.range.start_pos.column);
    out.push_str(",\"file\":");
    out.push_str(file);
    out.push_str(",\"level\":");
    push_json_str(out, d.severity.as_str());
    out.push_str(",\"line\":");
    push_number(out, d.range.start_pos.line);
    out.push_str(",\"message\":");
    push_json_str(out, &d.message);
    out.push_str(",\"end_line\":");
    push_number(out, d.range.end_pos.line);
    out.push_str(",\"end_column\":");
    push_number(out, d.range.end_pos.column);
    if let Some(fix) = &d.fix {
        out.push_str(",\"fix\":");
        push_fix(out, fix, source, index());
    }
    out.push('}');
}

/// `{title, applicability (safe|unsafe), edits}`; each edit replaces the text from
/// (line, column) to (end_line, end_column), also given as byte offsets, with `text`.
fn push_fix(out: &mut String, fix: &Fix, source: &str, index: &LineIndex) {
    out.push_str("{\"title\":");
    push_json_str(out, &fix.title);
    out.push_str(match fix.applicability {
        Applicability::Safe => ",\"applicability\":\"safe\",\"edits\":[",
        Applicability::Unsafe => ",\"applicability\":\"unsafe\",\"edits\":[",
    });
    for (n, e) in fix.edits.iter().enumerate() {
        let start = index.line_col(source, e.span.start);
        let end = index.line_col(source, e.span.end);
        if n > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            "{{\"line\":{},\"column\":{},\"end_line\":{},\"end_column\":{},\"start\":{},\"end\":{},\"text\":",
            start.line, start.column, end.line, end.column, e.span.start, e.span.end
        );
        push_json_str(out, &e.text);
        out.push('}');
    }
    out.push_str("]}");
}

/// Bytes that a JSON string cannot hold as they are.
const NEEDS_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// A non-negative integer in decimal (without going through the formatting machinery).
fn push_number(out: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(d as char);
    }
}

/// `s` as a JSON string, escaped as serde_json does (short escapes for `\b \f \n \r \t`,
/// `\u00XX` for other control characters; everything else as is).
fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    if !s.bytes().any(|b| NEEDS_ESCAPE[usize::from(b)]) {
        out.push_str(s);
    } else {
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                c if (c as u32) < 0x20 => {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                }
                c => out.push(c),
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_like_serde_json() {
        for s in [
            "plain `code` and ünïcödé 名",
            "quote \" backslash \\ slash /",
            "controls \n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f}",
            "",
        ] {
            let mut ours = String::new();
            push_json_str(&mut ours, s);
            assert_eq!(ours, serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0, 7, 10, 99, 100, 4096, 1_000_001, usize::MAX] {
            let mut ours = String::new();
            push_number(&mut ours, n);
            assert_eq!(ours, n.to_string());
        }
    }
}
