//! Running the rules: every rule over the context, then pragmas, `# check=` options and
//! configuration, in that order.

use crate::dockerignore::Dockerignore;
use crate::model::Model;

use super::pragma::{instruction_check_options, CheckOptions, Suppressions};
use super::{registry, Config, Context, Finding, Origin, Report, Severity};

/// How much filtering to apply.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LintOptions {
    /// Keep findings whose severity is `Ignore` (rules off by default). hadolint's own test
    /// harness sees them; the CLI does not.
    pub keep_off_by_default: bool,
}

/// Lints a planned build. Findings are sorted by position.
pub fn lint(
    model: &Model,
    config: &Config,
    dockerignore: Option<&Dockerignore>,
    options: &LintOptions,
) -> Vec<Finding> {
    let context = Context::new(model, config, dockerignore);
    let mut findings = Vec::new();
    // The origin of each finding, side by side (looking rules up by code costs more).
    let mut origins = Vec::new();
    for rule in registry() {
        if config.is_ignored(rule.code) {
            continue;
        }
        let mut report = Report::new(rule, &mut findings);
        (rule.check)(&context, &mut report);
        origins.resize(findings.len(), rule.origin);
    }
    filter(model, config, options, findings, &origins)
}

fn filter(
    model: &Model,
    config: &Config,
    options: &LintOptions,
    findings: Vec<Finding>,
    origins: &[Origin],
) -> Vec<Finding> {
    let doc = &model.doc;
    let suppressions = (!config.disable_ignore_pragma).then(|| Suppressions::collect(doc));
    let check = doc
        .directives
        .check
        .as_ref()
        .and_then(|d| CheckOptions::parse(&d.value).ok())
        .unwrap_or_default();
    let mut kept: Vec<Finding> = findings
        .into_iter()
        .zip(origins)
        .filter_map(|(mut f, &origin)| {
            if let Some(s) = &suppressions {
                if s.suppresses(f.code, f.instruction, doc) {
                    return None;
                }
            }
            if origin == Origin::Buildkit {
                let experimental = super::buildkit::EXPERIMENTAL.contains(&f.code);
                let local = f
                    .instruction
                    .and_then(|i| instruction_check_options(doc, i));
                if experimental {
                    let enabled = check.enables_experimental(f.code)
                        || local
                            .as_ref()
                            .is_some_and(|l| l.enables_experimental(f.code));
                    if !enabled {
                        return None;
                    }
                } else if check.skips(f.code) || local.is_some_and(|l| l.skips(f.code)) {
                    return None;
                }
                if check.error {
                    f.severity = Severity::Error;
                }
            }
            f.severity = config.severity_of(f.code, f.severity);
            if f.severity == Severity::Ignore && !options.keep_off_by_default {
                return None;
            }
            Some(f)
        })
        .collect();
    kept.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code))
    });
    kept
}
