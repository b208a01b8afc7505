//! hadolint's JSON: `[{code, column, file, level, line, message}]` plus end positions.

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
}

pub fn render(reports: &[FileReport]) -> String {
    let entries: Vec<Entry> = reports
        .iter()
        .flat_map(|r| {
            r.diagnostics.iter().map(move |d| Entry {
                code: &d.code,
                column: d.range.start_pos.column,
                file: &r.path,
                level: d.severity.as_str(),
                line: d.range.start_pos.line,
                message: &d.message,
                end_line: d.range.end_pos.line,
                end_column: d.range.end_pos.column,
            })
        })
        .collect();
    serde_json::to_string(&entries).unwrap_or_else(|_| "[]".into()) + "\n"
}
