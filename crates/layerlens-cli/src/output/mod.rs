//! Output formats of `layerlens lint`.

mod checkstyle;
mod github;
mod gitlab;
mod json;
mod sarif;
mod tty;

use clap::ValueEnum;
use layerlens_core::analysis::Diagnostic;

/// The findings of one file.
pub struct FileReport {
    pub path: String,
    pub source: String,
    pub diagnostics: Vec<Diagnostic>,
    /// This file's part of the output, rendered ahead by a worker thread (`render_part`).
    pub part: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable, with the source line underlined.
    Tty,
    /// hadolint's JSON array (plus end positions).
    Json,
    /// SARIF 2.1.0 for code-scanning tools.
    Sarif,
    /// Checkstyle XML.
    Checkstyle,
    /// GitLab Code Quality (Code Climate) JSON.
    Gitlab,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

/// This file's part of the output, for the formats that are a plain join of per-file
/// parts (the rest need every file at once and render in `render`).
pub fn render_part(format: Format, report: &FileReport, color: bool) -> Option<String> {
    match format {
        Format::Tty => Some(tty::render_file(report, color)),
        Format::Json => Some(json::render_file(report)),
        _ => None,
    }
}

/// Renders all reports in `format`, using the parts rendered ahead where present.
pub fn render(format: Format, reports: &[FileReport], color: bool) -> String {
    match format {
        Format::Tty => tty::render(reports, color),
        Format::Json => json::render(reports),
        Format::Sarif => sarif::render(reports),
        Format::Checkstyle => checkstyle::render(reports),
        Format::Gitlab => gitlab::render(reports),
        Format::Github => github::render(reports),
    }
}

/// XML text escaping.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {
                out.push_str(&format!("&#{};", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}
