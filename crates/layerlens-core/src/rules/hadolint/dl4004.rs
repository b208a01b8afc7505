//! DL4004: more than one ENTRYPOINT in a stage.

use super::g4_util::repeats;
use crate::fix::Fix;
use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL4004",
    name: "multiple-entrypoint",
    origin: Origin::Hadolint,
    severity: Severity::Error,
    categories: &[Category::Correctness],
    summary: "Only the last ENTRYPOINT of a stage takes effect; the earlier ones never run.",
    docs: Docs::new(
        "Flags every ENTRYPOINT after the first one in the same stage (ONBUILD triggers are not \
         counted).",
        "ENTRYPOINT sets the executable the container runs, and each ENTRYPOINT replaces the \
         previous one (and resets a CMD inherited from the base image), so only the last one \
         of a stage counts. An earlier ENTRYPOINT is dead code: a wrapper script that looks \
         like it runs first (migrations, signal handling with tini) silently never does.",
        "FROM node:22-slim\nENTRYPOINT [\"/usr/bin/tini\", \"--\"]\nCOPY server.js /app/server.js\nENTRYPOINT [\"node\", \"/app/server.js\"]\n",
        "FROM node:22-slim\nCOPY server.js /app/server.js\nENTRYPOINT [\"/usr/bin/tini\", \"--\", \"node\", \"/app/server.js\"]\n",
        "Common Anti-Patterns",
    )
    .with_fix_note(
        "Deletes the earlier, overridden ENTRYPOINT (its line only; comments above it stay). \
         Safe: the image configuration only ever holds the last ENTRYPOINT of the stage, so \
         removing one that is always replaced changes nothing the image does.",
    ),
    fix: crate::rules::Fixability::Safe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for (i, previous) in repeats(context, |t| matches!(t, Typed::Entrypoint(_))) {
        let line = context.instruction(previous).start_line;
        let fix = super::g4_util::delete_instruction(context.model, previous)
            .map(|edit| Fix::safe(format!("Delete the ENTRYPOINT on line {line}"), vec![edit]));
        report.add(
            i,
            context.instruction_span(i),
            format!(
                "this ENTRYPOINT replaces the ENTRYPOINT on line {line}; only the last ENTRYPOINT of a stage takes effect, so remove the other one"
            ),
        )
        .fix = fix;
    }
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::lines;

    const CODE: &str = "DL4004";

    #[test]
    fn per_stage() {
        assert_eq!(
            lines(
                "FROM debian\nENTRYPOINT bash\nRUN foo\nENTRYPOINT another\n",
                CODE
            ),
            vec![4]
        );
        assert!(lines("FROM debian as distro1\nENTRYPOINT bash\nRUN foo\nFROM debian as distro2\nENTRYPOINT another\n", CODE).is_empty());
        assert_eq!(lines("FROM debian as distro1\nENTRYPOINT bash\nRUN foo\nENTRYPOINT another\nFROM debian as distro2\nENTRYPOINT another\n", CODE), vec![4]);
        assert!(lines("ENTRYPOINT /bin/true\n", CODE).is_empty());
        assert_eq!(
            lines(
                "FROM a\nENTRYPOINT [\"a\"]\nENTRYPOINT [\"b\"]\nENTRYPOINT [\"c\"]\n",
                CODE
            ),
            vec![3, 4]
        );
    }

    #[test]
    fn onbuild_and_healthcheck_do_not_count() {
        assert!(lines(
            "FROM a\nONBUILD ENTRYPOINT x\nENTRYPOINT y\nHEALTHCHECK CMD true\n",
            CODE
        )
        .is_empty());
    }

    #[test]
    fn fixes() {
        use super::super::g4_util::fixed;
        assert_eq!(
            fixed("FROM a\n# first\nENTRYPOINT [\"a\"]\nRUN x\nENTRYPOINT b \\\n  c\nentrypoint [\"d\"]\nFROM b\nENTRYPOINT e\n", CODE),
            "FROM a\n# first\nRUN x\nentrypoint [\"d\"]\nFROM b\nENTRYPOINT e\n"
        );
    }
}
