//! DL3012: more than one HEALTHCHECK in a stage.

use crate::fix::{Edit, Fix};
use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Fixability, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3012",
    name: "single-healthcheck",
    origin: Origin::Hadolint,
    severity: Severity::Error,
    categories: &[Category::Correctness, Category::Production],
    summary: "Only the last HEALTHCHECK of a stage counts; the earlier ones are dead text that misleads readers.",
    docs: Docs::new(
        "Flags every HEALTHCHECK after the first one in the same stage (`HEALTHCHECK NONE` \
         included).",
        "A container has exactly one health check: each HEALTHCHECK replaces the previous one, \
         so only the last line of the stage is used. The others look like extra probes, but the \
         orchestrator never runs them: a readiness problem they were meant to catch goes \
         unnoticed, and whoever edits the first one wonders why nothing changes. Keep one \
         HEALTHCHECK, near the end of the stage.",
        "FROM nginx:1.27\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nHEALTHCHECK --interval=30s CMD curl -f http://localhost/health || exit 1\n",
        "FROM nginx:1.27\nHEALTHCHECK --interval=30s CMD curl -f http://localhost/health || exit 1\n",
        "Production Optimizations",
    )
    .with_fix_note(
        "Deletes the HEALTHCHECK that this one overrides (its whole line, continuation lines \
         included; comments above it stay). Safe: the image keeps only the last HEALTHCHECK \
         of the stage, so the deleted one never ran and the image's health check is \
         unchanged.",
    ),
    fix: Fixability::Safe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    let mut stage = None;
    let mut first: Option<usize> = None;
    let mut previous: Option<usize> = None;
    for i in 0..context.len() {
        if context.stage_of(i) != stage {
            stage = context.stage_of(i);
            first = None;
            previous = None;
        }
        if !matches!(context.typed(i), Typed::Healthcheck(_)) {
            continue;
        }
        if let (Some(earlier), Some(overridden)) = (first, previous) {
            let line = context.instruction(earlier).start_line;
            let dead = context.instruction(overridden);
            report
                .add(
                    i,
                    context.keyword_span(i),
                    format!("this HEALTHCHECK replaces the one on line {line}: keep a single HEALTHCHECK per stage"),
                )
                .fix = Some(Fix::safe(
                format!(
                    "Delete the overridden HEALTHCHECK on line {}",
                    dead.start_line
                ),
                vec![Edit::delete(dead.span)],
            ));
        }
        first = first.or(Some(i));
        previous = Some(i);
    }
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::{count, fixed, spans};

    #[test]
    fn per_stage() {
        let text = "FROM a:1\nHEALTHCHECK CMD a\nHEALTHCHECK NONE\nHEALTHCHECK CMD b\n";
        assert_eq!(spans("DL3012", text), ["HEALTHCHECK", "HEALTHCHECK"]);
        assert_eq!(
            count(
                "DL3012",
                "FROM a:1\nHEALTHCHECK CMD a\nFROM b:1\nHEALTHCHECK CMD b\n"
            ),
            0
        );
        // ONBUILD HEALTHCHECK belongs to child images.
        assert_eq!(
            count(
                "DL3012",
                "FROM a:1\nHEALTHCHECK CMD a\nONBUILD HEALTHCHECK CMD b\n"
            ),
            0
        );
    }

    #[test]
    fn fix_deletes_the_overridden_healthchecks() {
        let text = "FROM a:1\n# first probe\nHEALTHCHECK CMD a\nHEALTHCHECK --interval=5s \\\n  CMD b\nEXPOSE 80\nhealthcheck CMD c\n";
        assert_eq!(
            fixed("DL3012", text),
            "FROM a:1\n# first probe\nEXPOSE 80\nhealthcheck CMD c\n"
        );
        // Per stage.
        let text = "FROM a:1\nHEALTHCHECK CMD a\nFROM b:1\nHEALTHCHECK CMD b\nHEALTHCHECK NONE\n";
        assert_eq!(
            fixed("DL3012", text),
            "FROM a:1\nHEALTHCHECK CMD a\nFROM b:1\nHEALTHCHECK NONE\n"
        );
    }
}
