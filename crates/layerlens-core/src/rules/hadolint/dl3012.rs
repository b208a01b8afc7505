//! DL3012: not written yet (placeholder; the registry tests fail until it is).

use crate::rules::{Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3012",
    name: "todo-dl3012",
    origin: Origin::Hadolint,
    severity: Severity::Error,
    categories: &[],
    summary: "",
    docs: Docs::new("", "", "", "", ""),
    check,
};

fn check(_context: &Context, _report: &mut Report) {}
