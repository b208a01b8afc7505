//! GitLab Code Quality report (the Code Climate issue format with fingerprints).

use layerlens_core::analysis::Severity;
use serde_json::json;

use super::FileReport;

pub fn render(reports: &[FileReport]) -> String {
    let mut issues = Vec::new();
    for report in reports {
        for d in &report.diagnostics {
            let severity = match d.severity {
                Severity::Error => "blocker",
                Severity::Warning => "major",
                Severity::Info => "info",
                Severity::Style => "minor",
            };
            let identity = format!(
                "{}:{}:{}:{}:{}",
                report.path, d.code, d.range.start, d.range.end, d.message
            );
            issues.push(json!({
                "type": "issue",
                "check_name": d.code,
                "description": d.message,
                "categories": ["Bug Risk"],
                "severity": severity,
                "fingerprint": fingerprint(&identity),
                "location": {
                    "path": report.path,
                    "lines": { "begin": d.range.start_pos.line, "end": d.range.end_pos.line }
                }
            }));
        }
    }
    serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into()) + "\n"
}

/// A stable 128-bit hex fingerprint (two FNV-1a passes with different seeds); GitLab only
/// needs it to be stable and unique per finding.
fn fingerprint(s: &str) -> String {
    let fnv = |seed: u64| {
        s.bytes().fold(seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    };
    format!(
        "{:016x}{:016x}",
        fnv(0xcbf2_9ce4_8422_2325),
        fnv(0x6c62_272e_07bb_0142)
    )
}
