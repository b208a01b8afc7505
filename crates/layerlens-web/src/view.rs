//! Pure helpers that turn an `Analysis` into what the panels show. No DOM here, so it is
//! unit-tested natively.

use std::collections::BTreeMap;
use std::ops::Deref;
use std::rc::Rc;

use layerlens_core::analysis::{Analysis, Diagnostic, Located, Severity};

/// A shared, read-only value whose equality is identity, so passing a freshly derived
/// value down as a prop is cheap to compare and re-renders exactly when it was re-derived.
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// Number of lines the gutter shows: a trailing newline does not start a new line,
/// but an empty text still has line 1.
pub fn line_count(text: &str) -> usize {
    let n = text.split('\n').count();
    if n > 1 && text.ends_with('\n') {
        n - 1
    } else {
        n
    }
}

pub fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
        Severity::Style => "style",
    }
}

/// Lower is worse.
fn rank(severity: Severity) -> u8 {
    match severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
        Severity::Style => 3,
    }
}

/// The worst severity reported on each line, for marks in the gutter.
pub fn line_marks(analysis: &Analysis) -> BTreeMap<usize, Severity> {
    worst_per_line(
        analysis
            .diagnostics
            .iter()
            .map(|d| (d.range.start_pos.line, d.severity)),
    )
}

fn worst_per_line(items: impl IntoIterator<Item = (usize, Severity)>) -> BTreeMap<usize, Severity> {
    let mut marks = BTreeMap::new();
    for (line, severity) in items {
        marks
            .entry(line)
            .and_modify(|s: &mut Severity| {
                if rank(severity) < rank(*s) {
                    *s = severity;
                }
            })
            .or_insert(severity);
    }
    marks
}

/// Diagnostics in reading order (then worst first on the same spot).
pub fn sorted_diagnostics(analysis: &Analysis) -> Vec<&Diagnostic> {
    let mut out: Vec<&Diagnostic> = analysis.diagnostics.iter().collect();
    out.sort_by_key(|d| (d.range.start, rank(d.severity), d.range.end));
    out
}

/// "1 problem", "3 problems", "No problems".
pub fn problems_label(count: usize) -> String {
    match count {
        0 => "No problems".to_owned(),
        1 => "1 problem".to_owned(),
        n => format!("{n} problems"),
    }
}

/// `line:column` as people read it (1-based, columns in characters).
pub fn position_label(range: &Located) -> String {
    format!("{}:{}", range.start_pos.line, range.start_pos.column)
}

/// Splits a message at backticks: `(is_code, text)` runs, for rendering `code` spans.
/// An unmatched backtick is kept as text.
pub fn code_spans(message: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut rest = message;
    while let Some(open) = rest.find('`') {
        let Some(len) = rest[open + 1..].find('`') else {
            break;
        };
        if open > 0 {
            out.push((false, &rest[..open]));
        }
        out.push((true, &rest[open + 1..open + 1 + len]));
        rest = &rest[open + len + 2..];
    }
    if !rest.is_empty() {
        out.push((false, rest));
    }
    out
}

/// Parses a CSS pixel length such as `"21px"`.
pub fn parse_px(value: &str) -> Option<f64> {
    value.trim().strip_suffix("px")?.trim().parse().ok()
}

// Tests build no core structs by hand (the core adds fields as it grows).
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_like_an_editor() {
        assert_eq!(line_count(""), 1);
        assert_eq!(line_count("FROM a"), 1);
        assert_eq!(line_count("FROM a\n"), 1);
        assert_eq!(line_count("FROM a\n\n"), 2);
        assert_eq!(line_count("FROM a\nRUN b"), 2);
    }

    #[test]
    fn marks_keep_the_worst_severity() {
        let marks = worst_per_line([
            (1, Severity::Style),
            (1, Severity::Error),
            (1, Severity::Warning),
            (2, Severity::Info),
        ]);
        assert_eq!(marks.get(&1), Some(&Severity::Error));
        assert_eq!(marks.get(&2), Some(&Severity::Info));
        assert_eq!(marks.get(&3), None);
    }

    #[test]
    fn backticks_become_code_spans() {
        assert_eq!(
            code_spans("use `USER app` here"),
            vec![(false, "use "), (true, "USER app"), (false, " here")]
        );
        assert_eq!(code_spans("`a``b`"), vec![(true, "a"), (true, "b")]);
        assert_eq!(code_spans("odd ` tick"), vec![(false, "odd ` tick")]);
        assert_eq!(code_spans(""), vec![]);
    }

    #[test]
    fn labels() {
        assert_eq!(problems_label(0), "No problems");
        assert_eq!(problems_label(1), "1 problem");
        assert_eq!(problems_label(4), "4 problems");
        assert_eq!(parse_px("21px"), Some(21.0));
        assert_eq!(parse_px(" 21.6px "), Some(21.6));
        assert_eq!(parse_px("normal"), None);
    }
}
