//! hadolint's own rule tests (1104 cases from hadolint v2.15.1, GPL-3.0 test inputs; see
//! tests/README.md), replayed against our rules. Every case must pass, or be listed with
//! the reason in tests/conformance/hadolint/DEVIATIONS.md, and every listed case must
//! really fail (so the list stays honest).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use layerlens_core::model::Model;
use layerlens_core::rules::{lint, Config, LabelType, LintOptions};
use serde_json::Value;

fn config_from(case: &Value) -> Config {
    let mut config = Config::default();
    let Some(c) = case.get("config").filter(|c| !c.is_null()) else {
        return config;
    };
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    if let Some(r) = c.get("trustedRegistries") {
        config.trusted_registries = strings(r);
    }
    if let Some(i) = c.get("ignored") {
        config.ignored = strings(i);
    }
    if let Some(schema) = c.get("label-schema").and_then(Value::as_object) {
        for (name, kind) in schema {
            let kind = LabelType::parse(kind.as_str().unwrap_or("")).unwrap_or(LabelType::Text);
            config.label_schema.insert(name.clone(), kind);
        }
    }
    if let Some(strict) = c.get("strict-labels").and_then(Value::as_bool) {
        config.strict_labels = strict;
    }
    config
}

/// Case ids listed in DEVIATIONS.md (any `DLxxxx-nnn`-style id in a table row).
fn documented_deviations() -> BTreeSet<String> {
    let path = common::data_dir().join("conformance/hadolint/DEVIATIONS.md");
    let texts = [std::fs::read_to_string(path).unwrap_or_default()];
    texts
        .iter()
        .flat_map(|text| text.lines())
        .filter(|l| l.starts_with('|'))
        .flat_map(|l| {
            l.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .filter(|w| {
                    let (rule, n) = w.split_once('-').unwrap_or(("", ""));
                    (rule.starts_with("DL") || rule == "SCANY" || rule == "ANY")
                        && !n.is_empty()
                        && n.chars().all(|c| c.is_ascii_digit())
                })
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn hadolint_rule_cases() {
    let path = common::data_dir().join("conformance/hadolint/hadolint_cases.jsonl");
    let text = std::fs::read_to_string(path).unwrap();
    let deviations = documented_deviations();
    let mut per_rule: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut unexpected = Vec::new();
    let mut fixed_deviations = Vec::new();
    let mut total = (0, 0);
    for line in text.lines() {
        let case: Value = serde_json::from_str(line).unwrap();
        let id = case["id"].as_str().unwrap().to_string();
        let rule = case["rule"].as_str().unwrap();
        let source = case
            .get("dockerfile_effective")
            .and_then(Value::as_str)
            .filter(|_| case["onbuild"].as_bool().unwrap_or(false))
            .unwrap_or_else(|| case["dockerfile"].as_str().unwrap());
        let source = format!("{source}\n");
        let model = Model::parse(&source);
        let config = config_from(&case);
        let options = LintOptions {
            keep_off_by_default: true,
        };
        let findings = lint(&model, &config, None, &options);
        let count = findings
            .iter()
            .filter(|f| match rule {
                "*" => f.code.starts_with("DL") && !config.ignored.iter().any(|c| c == f.code),
                // ShellCheck is out of scope: `SC*` cases only ask for our shell analysis
                // to be silent or not, which we do not emulate.
                "SC*" => f.code.starts_with("SC"),
                code => f.code == code,
            })
            .count();
        // `*` cases expect no findings at all, from any rule.
        let passed = match case["count"].as_str().unwrap_or("") {
            ">=1" => count >= 1,
            n => n.parse::<usize>().map(|n| n == count).unwrap_or(false),
        };
        let entry = per_rule.entry(rule.to_string()).or_default();
        entry.1 += 1;
        total.1 += 1;
        if passed {
            entry.0 += 1;
            total.0 += 1;
            if deviations.contains(&id) {
                fixed_deviations.push(id);
            }
        } else if !deviations.contains(&id) {
            let codes: Vec<&str> = findings.iter().map(|f| f.code).collect();
            unexpected.push(format!(
                "{id} ({}): got {codes:?}\n{source}",
                case["expect"]
            ));
        }
    }
    println!(
        "hadolint cases: {}/{} pass ({} documented deviations)",
        total.0,
        total.1,
        deviations.len()
    );
    for (rule, (pass, all)) in &per_rule {
        if pass != all {
            println!("  {rule}: {pass}/{all}");
        }
    }
    assert!(
        fixed_deviations.is_empty(),
        "listed as deviations but pass: {fixed_deviations:?}"
    );
    assert!(
        unexpected.is_empty(),
        "{} undocumented failures:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
}
