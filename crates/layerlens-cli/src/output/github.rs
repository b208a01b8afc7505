//! GitHub Actions workflow commands: each finding becomes an annotation on the PR.

use layerlens_core::analysis::Severity;

use super::FileReport;

/// Escapes a property value (`%`, CR, LF, `:` and `,`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Escapes the message (`%`, CR, LF).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for report in reports {
        for d in &report.diagnostics {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Style => "notice",
            };
            out.push_str(&format!(
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                escape_property(&report.path),
                d.range.start_pos.line,
                d.range.start_pos.column,
                d.range.end_pos.line,
                d.range.end_pos.column,
                escape_property(&d.code),
                escape_data(&d.message)
            ));
        }
    }
    out
}
