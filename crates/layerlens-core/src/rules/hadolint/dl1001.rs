//! DL1001: not written yet (placeholder; the registry tests fail until it is).

use crate::rules::{Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL1001",
    name: "todo-dl1001",
    origin: Origin::Hadolint,
    severity: Severity::Ignore,
    categories: &[],
    summary: "",
    docs: Docs::new("", "", "", "", ""),
    check,
};

fn check(_context: &Context, _report: &mut Report) {}
