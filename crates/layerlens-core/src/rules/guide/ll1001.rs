//! LL1001: not written yet (placeholder; the registry tests fail until it is).

use crate::rules::{Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "LL1001",
    name: "todo-ll1001",
    origin: Origin::Layerlens,
    severity: Severity::Warning,
    categories: &[],
    summary: "",
    docs: Docs::new("", "", "", "", ""),
    check,
};

fn check(_context: &Context, _report: &mut Report) {}
