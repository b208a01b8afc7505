//! SARIF 2.1.0, with rule metadata so code-scanning UIs can show each rule's help.

use layerlens_core::analysis::Severity;
use layerlens_core::rules;
use serde_json::{json, Value};

use super::FileReport;

pub fn render(reports: &[FileReport]) -> String {
    let mut used: Vec<&str> = reports
        .iter()
        .flat_map(|r| r.diagnostics.iter().map(|d| d.code.as_str()))
        .collect();
    used.sort_unstable();
    used.dedup();
    let rules: Vec<Value> = used.iter().map(|code| rule_descriptor(code)).collect();
    let results: Vec<Value> = reports
        .iter()
        .flat_map(|report| {
            report.diagnostics.iter().map(move |d| {
                json!({
                    "ruleId": d.code,
                    "level": match d.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                        Severity::Info | Severity::Style => "note",
                    },
                    "message": { "text": d.message },
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": { "uri": report.path },
                            "region": {
                                "startLine": d.range.start_pos.line,
                                "startColumn": d.range.start_pos.column,
                                "endLine": d.range.end_pos.line,
                                "endColumn": d.range.end_pos.column,
                                "sourceLanguage": "dockerfile"
                            }
                        }
                    }]
                })
            })
        })
        .collect();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "Layerlens",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/layerlens/layerlens",
                "rules": rules
            }},
            "results": results
        }]
    });
    serde_json::to_string_pretty(&sarif).unwrap_or_default() + "\n"
}

fn rule_descriptor(code: &str) -> Value {
    match rules::find(code) {
        Some(rule) => json!({
            "id": rule.code,
            "name": rule.name,
            "shortDescription": { "text": rule.summary },
            "fullDescription": { "text": rule.docs.what },
            "help": {
                "text": format!("{}\n\nBad:\n{}\nGood:\n{}", rule.docs.why, rule.docs.bad, rule.docs.good)
            },
            "properties": {
                "tags": rule.categories.iter().map(|c| c.as_str()).collect::<Vec<_>>()
            }
        }),
        None => json!({ "id": code, "shortDescription": { "text": "The file cannot be parsed" } }),
    }
}
