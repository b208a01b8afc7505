//! Lint rules: a registry of rules, one per file, each carrying its own documentation.
//!
//! A rule is a plain function over the whole [`Context`] (the planned build with shell
//! analysis of every RUN), so stateful rules ("a second CMD in the stage") and simple ones
//! ("a RUN that calls sudo") have the same shape. Rules report [`Finding`]s with exact
//! spans; pragmas and configuration are applied afterwards by [`engine::lint`].
//!
//! Codes: hadolint's rules keep hadolint's codes (`DL3008`), BuildKit's checks keep
//! BuildKit's names (`JSONArgsRecommended`), and the guide's own rules use `LL` codes.

pub mod buildkit;
pub mod cmd;
pub mod config;
mod context;
pub mod engine;
pub mod guide;
pub mod hadolint;
pub mod pragma;
#[cfg(test)]
mod tests;

pub use crate::model::{RunAnalysis, ScriptPart};
pub use config::{Config, LabelType};
pub use context::Context;
pub use engine::{lint, LintOptions};

use serde::Serialize;

use crate::fix::Fix;
use crate::text::Span;

/// How serious a finding is. `Ignore` is "off unless enabled" (hadolint's DL1001, DL3057).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
    Style,
    Ignore,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Style => "style",
            Severity::Ignore => "ignore",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            "info" => Severity::Info,
            "style" => Severity::Style,
            "ignore" | "none" => Severity::Ignore,
            _ => return None,
        })
    }
}

/// What a rule is about; a rule may have several.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Size,
    Cache,
    Security,
    Correctness,
    Maintainability,
    Production,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Size => "size",
            Category::Cache => "cache",
            Category::Security => "security",
            Category::Correctness => "correctness",
            Category::Maintainability => "maintainability",
            Category::Production => "production",
        }
    }
}

/// Whose rule this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Mirrors a hadolint rule (same code and default severity).
    Hadolint,
    /// Mirrors a BuildKit build check (same name).
    Buildkit,
    /// Our own rule for what the guide teaches.
    Layerlens,
}

/// A rule's documentation, written for people learning Dockerfiles.
#[derive(Clone, Copy, Debug)]
pub struct Docs {
    /// What the rule checks.
    pub what: &'static str,
    /// Why it matters, with its cost in bytes, seconds or risk.
    pub why: &'static str,
    /// A Dockerfile the rule flags (run as a test).
    pub bad: &'static str,
    /// The same Dockerfile written well (run as a test: the rule stays silent).
    pub good: &'static str,
    /// The guide section it belongs to (`"Image Size Optimization"`).
    pub guide: &'static str,
    /// Configuration the examples need (label schema, trusted registries...).
    pub example_config: Option<fn() -> Config>,
    /// A `.dockerignore` the examples are linted with.
    pub example_dockerignore: Option<&'static str>,
    /// What the fix does and why it is classed safe or unsafe ("" when there is no fix).
    pub fix_note: &'static str,
}

impl Docs {
    /// Documentation without example configuration.
    pub const fn new(
        what: &'static str,
        why: &'static str,
        bad: &'static str,
        good: &'static str,
        guide: &'static str,
    ) -> Docs {
        Docs {
            what,
            why,
            bad,
            good,
            guide,
            example_config: None,
            example_dockerignore: None,
            fix_note: "",
        }
    }

    /// The same documentation with a note on the rule's fix.
    pub const fn with_fix_note(self, fix_note: &'static str) -> Docs {
        Docs { fix_note, ..self }
    }
}

/// What a rule's fix can do to the image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Fixability {
    /// No mechanical fix: the remedy needs a decision only a person can make.
    None,
    /// The fix cannot change what the image contains or does.
    Safe,
    /// The fix may change the result (versions, users, layout); applied only on request.
    Unsafe,
}

/// One rule.
pub struct Rule {
    /// `DL3008`, `JSONArgsRecommended`, `LL1001`.
    pub code: &'static str,
    /// A short kebab-case name (`apt-get-pin-versions`).
    pub name: &'static str,
    pub origin: Origin,
    /// Default severity.
    pub severity: Severity,
    pub categories: &'static [Category],
    /// One line: why it matters (shown under each finding in the terminal).
    pub summary: &'static str,
    pub docs: Docs,
    /// Whether findings carry a fix, and how safe it is (documented per rule).
    pub fix: Fixability,
    /// Looks at the whole build and reports findings.
    pub check: fn(&Context, &mut Report),
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Rule({})", self.code)
    }
}

/// A problem a rule found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    /// The instruction it concerns (pragmas above that instruction apply to it).
    pub instruction: Option<usize>,
    pub span: Span,
    pub message: String,
    pub severity: Severity,
    /// A mechanical remedy, when the rule has one.
    pub fix: Option<Fix>,
}

/// Where a rule puts its findings.
pub struct Report<'a> {
    rule: &'static Rule,
    findings: &'a mut Vec<Finding>,
}

impl<'a> Report<'a> {
    pub fn new(rule: &'static Rule, findings: &'a mut Vec<Finding>) -> Self {
        Report { rule, findings }
    }

    /// Reports a finding about instruction `instruction` at `span`; returns it so a fix
    /// can be attached (`report.add(..).fix = Some(..)`).
    pub fn add(
        &mut self,
        instruction: usize,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.push(Some(instruction), span, message.into())
    }

    /// Reports a finding that belongs to no single instruction (e.g. a missing file).
    pub fn add_file(&mut self, span: Span, message: impl Into<String>) -> &mut Finding {
        self.push(None, span, message.into())
    }

    fn push(&mut self, instruction: Option<usize>, span: Span, message: String) -> &mut Finding {
        self.findings.push(Finding {
            code: self.rule.code,
            instruction,
            span,
            message,
            severity: self.rule.severity,
            fix: None,
        });
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }
}

/// Every rule, hadolint's first, then BuildKit's, then ours.
pub fn registry() -> impl Iterator<Item = &'static Rule> {
    hadolint::RULES
        .iter()
        .chain(buildkit::RULES)
        .chain(guide::RULES)
        .copied()
}

/// Looks a rule up by code (case-insensitive) or name.
pub fn find(code: &str) -> Option<&'static Rule> {
    registry().find(|r| r.code.eq_ignore_ascii_case(code) || r.name.eq_ignore_ascii_case(code))
}
