//! DL3057: the image has no HEALTHCHECK (off by default).

use crate::instructions::Typed;
use crate::model::Base;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3057",
    name: "healthcheck-missing",
    origin: Origin::Hadolint,
    severity: Severity::Ignore,
    categories: &[Category::Production],
    summary: "Without a HEALTHCHECK, Docker only knows whether the process runs, not whether it works.",
    docs: Docs::new(
        "Off by default (enable it with a severity override). Flags the image being built — \
         the target stage — when neither it nor any stage it is built FROM declares a \
         HEALTHCHECK. `HEALTHCHECK NONE` counts: it states that no check is wanted. Build \
         stages that only feed other stages are not judged.",
        "A container whose process is alive but deadlocked, or still warming up, looks \
         healthy to Docker and Swarm without a HEALTHCHECK: traffic keeps flowing to it and \
         nothing restarts it, so an outage lasts until a human notices. A check costs one \
         small process every interval (30 s by default).",
        "FROM nginx:1.27-alpine\nCOPY site/ /usr/share/nginx/html/\n",
        "FROM nginx:1.27-alpine\nCOPY site/ /usr/share/nginx/html/\nHEALTHCHECK --interval=30s CMD wget -q -O /dev/null http://localhost/ || exit 1\n",
        "Production Optimizations",
    ),
    // No fix: a health check needs a command and endpoint only the author knows.
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    let Some(target) = context.target else {
        return;
    };
    let stages = &context.model.stages;
    let mut stage = target;
    // Walk the FROM chain; each step goes to an earlier stage, so it ends.
    for _ in 0..=stages.len() {
        let Some(current) = stages.get(stage) else {
            return;
        };
        let declares = current
            .instructions
            .iter()
            .any(|&i| matches!(context.typed(i), Typed::Healthcheck(_)));
        if declares {
            return;
        }
        match current.base {
            Base::Stage(parent) if parent < stage => stage = parent,
            _ => break,
        }
    }
    let Some(last) = stages.get(target) else {
        return;
    };
    let span = match context.typed(last.from) {
        Typed::From(from) => from.image.span,
        _ => context.keyword_span(last.from),
    };
    report.add(
        last.from,
        span,
        format!(
            "the image built by stage `{}` has no HEALTHCHECK; add one (or `HEALTHCHECK NONE` \
             to state that none is wanted)",
            last.label()
        ),
    );
}

#[cfg(test)]
mod tests {
    use crate::model::Model;
    use crate::rules::{lint, Config, LintOptions};

    fn count(text: &str, keep: bool) -> usize {
        let options = LintOptions {
            keep_off_by_default: keep,
        };
        lint(&Model::parse(text), &Config::default(), None, &options)
            .iter()
            .filter(|f| f.code == "DL3057")
            .count()
    }

    #[test]
    fn off_by_default_and_only_the_target() {
        assert_eq!(count("FROM scratch\n", false), 0);
        assert_eq!(count("FROM scratch\n", true), 1);
        // Intermediate stages are not judged.
        assert_eq!(
            count("FROM a AS build\nFROM b\nHEALTHCHECK NONE\n", true),
            0
        );
        assert_eq!(
            count("FROM a AS base\nHEALTHCHECK CMD true\nFROM base\n", true),
            0
        );
        // ONBUILD HEALTHCHECK applies to child images, not this one.
        assert_eq!(count("FROM a\nONBUILD HEALTHCHECK CMD true\n", true), 1);
    }

    #[test]
    fn enabled_by_override() {
        let mut config = Config::default();
        config
            .overrides
            .insert("DL3057".into(), crate::rules::Severity::Warning);
        let found = lint(
            &Model::parse("FROM scratch\n"),
            &config,
            None,
            &LintOptions::default(),
        );
        assert!(found.iter().any(|f| f.code == "DL3057"));
    }
}
