//! Registry-wide tests: every rule is documented, and its examples behave.

use super::*;
use crate::dockerignore::Dockerignore;
use crate::model::Model;

/// Codes `rule` reports on `text` (with the rule's example configuration).
fn codes_on(rule: &Rule, text: &str) -> Vec<String> {
    let config = rule.docs.example_config.map(|f| f()).unwrap_or_default();
    let ignore = rule.docs.example_dockerignore.map(Dockerignore::parse);
    let model = Model::parse(text);
    let options = LintOptions {
        keep_off_by_default: true,
    };
    // Experimental BuildKit checks need enabling; the examples do it with a directive.
    lint(&model, &config, ignore.as_ref(), &options)
        .into_iter()
        .map(|f| f.code.to_string())
        .collect()
}

#[test]
fn registry_has_every_rule_once() {
    let codes: Vec<&str> = registry().map(|r| r.code).collect();
    assert_eq!(hadolint::RULES.len(), 71);
    assert_eq!(buildkit::RULES.len(), 22);
    let mut unique = codes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), codes.len(), "duplicate codes");
}

#[test]
fn every_rule_is_documented() {
    let mut missing = Vec::new();
    for rule in registry() {
        let d = &rule.docs;
        let complete = !rule.name.starts_with("todo")
            && !rule.summary.is_empty()
            && !rule.categories.is_empty()
            && !d.what.is_empty()
            && d.why.len() >= 80
            && !d.bad.is_empty()
            && !d.good.is_empty()
            && !d.guide.is_empty();
        if !complete {
            missing.push(rule.code);
        }
    }
    assert!(
        missing.is_empty(),
        "rules without complete docs: {missing:?}"
    );
}

#[test]
fn bad_examples_fire_and_good_examples_do_not() {
    let mut wrong = Vec::new();
    for rule in registry() {
        if rule.docs.bad.is_empty() {
            continue;
        }
        if !codes_on(rule, rule.docs.bad).iter().any(|c| c == rule.code) {
            wrong.push(format!("{}: bad example does not fire", rule.code));
        }
        if codes_on(rule, rule.docs.good)
            .iter()
            .any(|c| c == rule.code)
        {
            wrong.push(format!("{}: good example fires", rule.code));
        }
        if !Model::parse(rule.docs.good).errors.is_empty() {
            wrong.push(format!("{}: good example does not parse", rule.code));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn fixes_match_their_declared_class_and_remove_the_finding() {
    use crate::fix::Applicability;
    let mut wrong = Vec::new();
    for rule in registry() {
        let expected = match rule.fix {
            Fixability::None => None,
            Fixability::Safe => Some(Applicability::Safe),
            Fixability::Unsafe => Some(Applicability::Unsafe),
        };
        let config = rule.docs.example_config.map(|f| f()).unwrap_or_default();
        let ignore = rule.docs.example_dockerignore.map(Dockerignore::parse);
        let options = LintOptions {
            keep_off_by_default: true,
        };
        let bad = rule.docs.bad;
        let findings: Vec<Finding> = lint(&Model::parse(bad), &config, ignore.as_ref(), &options)
            .into_iter()
            .filter(|f| f.code == rule.code)
            .collect();
        for finding in &findings {
            let Some(fix) = &finding.fix else { continue };
            if Some(fix.applicability) != expected
                && !(expected == Some(Applicability::Unsafe)
                    && fix.applicability == Applicability::Safe)
            {
                wrong.push(format!(
                    "{}: fix class {:?} but declared {:?}",
                    rule.code, fix.applicability, rule.fix
                ));
            }
        }
        if expected.is_some() && rule.docs.fix_note.len() < 40 {
            wrong.push(format!(
                "{}: a fixable rule explains its fix class in docs.fix_note",
                rule.code
            ));
        }
        if expected.is_none() {
            if findings.iter().any(|f| f.fix.is_some()) {
                wrong.push(format!("{}: declares no fix but produces one", rule.code));
            }
            continue;
        }
        // Applying every fix of the bad example makes the rule fall silent.
        let fixes: Vec<&crate::fix::Fix> = findings.iter().filter_map(|f| f.fix.as_ref()).collect();
        if fixes.is_empty() {
            wrong.push(format!(
                "{}: declares a fix but its bad example gets none",
                rule.code
            ));
            continue;
        }
        let (fixed, _) = crate::fix::apply_fixes(bad, fixes);
        let model = Model::parse(&fixed);
        if !model.doc.errors.is_empty() || !model.errors.is_empty() {
            wrong.push(format!(
                "{}: fixed example does not parse:\n{fixed}",
                rule.code
            ));
        }
        let still = lint(&model, &config, ignore.as_ref(), &options)
            .into_iter()
            .any(|f| f.code == rule.code);
        if still {
            wrong.push(format!(
                "{}: still fires after its fixes:\n{fixed}",
                rule.code
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
