//! hadolint's JSON: `[{code, column, file, level, line, message}]` plus end positions and,
//! where the rule has one, the fix.

use layerlens_core::fix::Fix;
use layerlens_core::text::LineIndex;
use serde::Serialize;

use super::FileReport;

#[derive(Serialize)]
struct Entry<'a> {
    code: &'a str,
    column: usize,
    file: &'a str,
    level: &'a str,
    line: usize,
    message: &'a str,
    end_line: usize,
    end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    /// `safe` or `unsafe`.
    applicability: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

/// Replace the text from (line, column) to (end_line, end_column) — also given as byte
/// offsets — with `text`.
#[derive(Serialize)]
struct JsonEdit<'a> {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    start: usize,
    end: usize,
    text: &'a str,
}

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
    let index = LineIndex::new(&report.source);
    let mut out = String::new();
    for d in &report.diagnostics {
        let entry = Entry {
            code: &d.code,
            column: d.range.start_pos.column,
            file: &report.path,
            level: d.severity.as_str(),
            line: d.range.start_pos.line,
            message: &d.message,
            end_line: d.range.end_pos.line,
            end_column: d.range.end_pos.column,
            fix: d.fix.as_ref().map(|f| json_fix(f, &report.source, &index)),
        };
        if !out.is_empty() {
            out.push(',');
        }
        // Serialising plain strings and numbers into a String cannot fail.
        if let Ok(json) = serde_json::to_string(&entry) {
            out.push_str(&json);
        }
    }
    out
}

fn json_fix<'a>(fix: &'a Fix, source: &str, index: &LineIndex) -> JsonFix<'a> {
    JsonFix {
        title: &fix.title,
        applicability: match fix.applicability {
            layerlens_core::fix::Applicability::Safe => "safe",
            layerlens_core::fix::Applicability::Unsafe => "unsafe",
        },
        edits: fix
            .edits
            .iter()
            .map(|e| {
                let start = index.line_col(source, e.span.start);
                let end = index.line_col(source, e.span.end);
                JsonEdit {
                    line: start.line,
                    column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                    start: e.span.start,
                    end: e.span.end,
                    text: &e.text,
                }
            })
            .collect(),
    }
}
