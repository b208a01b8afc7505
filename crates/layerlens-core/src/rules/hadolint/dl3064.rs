//! DL3064: not written yet (placeholder; the registry tests fail until it is).

use crate::rules::{Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3064",
    name: "todo-dl3064",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[],
    summary: "",
    docs: Docs::new("", "", "", "", ""),
    check,
};

fn check(_context: &Context, _report: &mut Report) {}
