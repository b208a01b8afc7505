//! Terminal output: each finding with its source line, the range underlined, and the
//! rule's one-line reason.

use layerlens_core::analysis::{Diagnostic, Severity};
use layerlens_core::rules;

use super::FileReport;

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity(&self, s: Severity) -> String {
        let code = match s {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "32",
            Severity::Style => "36",
        };
        self.paint(code, s.as_str())
    }
}

pub fn render(reports: &[FileReport], color: bool) -> String {
    let mut out = String::new();
    for report in reports {
        match &report.part {
            Some(part) => out.push_str(part),
            None => out.push_str(&render_file(report, color)),
        }
    }
    let total: usize = reports.iter().map(|r| r.diagnostics.len()).sum();
    if total > 0 {
        let files = reports.iter().filter(|r| !r.diagnostics.is_empty()).count();
        out.push_str(&format!(
            "{total} finding{} in {files} file{}\n",
            if total == 1 { "" } else { "s" },
            if files == 1 { "" } else { "s" }
        ));
    }
    out
}

/// The findings of one file.
pub fn render_file(report: &FileReport, color: bool) -> String {
    let style = Style { on: color };
    let mut out = String::new();
    for d in &report.diagnostics {
        render_one(&mut out, &style, report, d);
    }
    out
}

fn render_one(out: &mut String, style: &Style, report: &FileReport, d: &Diagnostic) {
    let start = d.range.start_pos;
    out.push_str(&format!(
        "{}:{}:{}: {} {}: {}\n",
        style.paint("1", &report.path),
        start.line,
        start.column,
        style.severity(d.severity),
        style.paint("1", &d.code),
        d.message
    ));
    let Some(line_text) = report.source.lines().nth(start.line.saturating_sub(1)) else {
        return;
    };
    let line_text = line_text.trim_end_matches('\r');
    let gutter = start.line.to_string().len();
    let pad = " ".repeat(gutter);
    let bar = style.paint("34", "|");
    out.push_str(&format!("{pad} {bar}\n"));
    out.push_str(&format!(
        "{} {bar} {}\n",
        style.paint("34", &start.line.to_string()),
        expand_tabs(line_text)
    ));
    // Underline from the start column to the end column (or the end of the line).
    let chars: Vec<char> = line_text.chars().collect();
    let from = start.column.saturating_sub(1).min(chars.len());
    let to = if d.range.end_pos.line == start.line {
        d.range.end_pos.column.saturating_sub(1).min(chars.len())
    } else {
        chars.len()
    };
    let width = |cs: &[char]| {
        cs.iter()
            .map(|&c| if c == '\t' { 4 } else { 1 })
            .sum::<usize>()
    };
    let indent = width(&chars[..from]);
    let length = width(&chars[from..to.max(from)]).max(1);
    let marker = style.paint(marker_color(d.severity), &"^".repeat(length));
    out.push_str(&format!("{pad} {bar} {}{marker}\n", " ".repeat(indent)));
    if let Some(rule) = rules::find(&d.code) {
        if !rule.summary.is_empty() {
            out.push_str(&format!(
                "{pad} {} why: {}\n",
                style.paint("34", "="),
                rule.summary
            ));
        }
    }
    out.push('\n');
}

fn marker_color(s: Severity) -> &'static str {
    match s {
        Severity::Error => "31",
        Severity::Warning => "33",
        Severity::Info => "32",
        Severity::Style => "36",
    }
}

fn expand_tabs(s: &str) -> String {
    s.replace('\t', "    ")
}
