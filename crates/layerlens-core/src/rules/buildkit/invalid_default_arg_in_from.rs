//! InvalidDefaultArgInFrom: not written yet (placeholder; the registry tests fail until it is).

use crate::rules::{Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "InvalidDefaultArgInFrom",
    name: "todo-invaliddefaultarginfrom",
    origin: Origin::Buildkit,
    severity: Severity::Warning,
    categories: &[],
    summary: "",
    docs: Docs::new("", "", "", "", ""),
    check,
};

fn check(_context: &Context, _report: &mut Report) {}
