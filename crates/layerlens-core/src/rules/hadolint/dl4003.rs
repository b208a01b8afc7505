//! DL4003: more than one CMD in a stage.

use super::g4_util::repeats;
use crate::fix::Fix;
use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL4003",
    name: "multiple-cmd",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Correctness],
    summary: "Only the last CMD of a stage takes effect; the earlier ones never run.",
    docs: Docs::new(
        "Flags every CMD after the first one in the same stage (ONBUILD triggers are not \
         counted).",
        "CMD sets the default command of the image, and each CMD replaces the previous one, so \
         only the last CMD of a stage is ever used. An earlier CMD is dead code that still \
         misleads: readers assume the container starts with it, and edits to it change \
         nothing. (A stage built `FROM` another stage may replace its parent's CMD; that is \
         not flagged.) One CMD per stage keeps the start-up command obvious.",
        "FROM python:3.13-slim\nCMD [\"python\", \"-m\", \"http.server\"]\nCOPY app.py /app/app.py\nCMD [\"python\", \"/app/app.py\"]\n",
        "FROM python:3.13-slim\nCOPY app.py /app/app.py\nCMD [\"python\", \"/app/app.py\"]\n",
        "Common Anti-Patterns",
    )
    .with_fix_note(
        "Deletes the earlier, overridden CMD (its line only; comments above it stay). \
         Safe: the image configuration only ever holds the last CMD of the stage, so \
         removing one that is always replaced changes nothing the image does.",
    ),
    fix: crate::rules::Fixability::Safe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for (i, previous) in repeats(context, |t| matches!(t, Typed::Cmd(_))) {
        let line = context.instruction(previous).start_line;
        let fix = super::g4_util::delete_instruction(context.model, previous)
            .map(|edit| Fix::safe(format!("Delete the CMD on line {line}"), vec![edit]));
        report.add(
            i,
            context.instruction_span(i),
            format!(
                "this CMD replaces the CMD on line {line}; only the last CMD of a stage takes effect, so remove the other one"
            ),
        )
        .fix = fix;
    }
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::lines;

    const CODE: &str = "DL4003";

    #[test]
    fn per_stage() {
        assert_eq!(
            lines("FROM debian\nCMD bash\nRUN foo\nCMD another\n", CODE),
            vec![4]
        );
        assert!(lines(
            "FROM debian as distro1\nCMD bash\nRUN foo\nFROM debian as distro2\nCMD another\n",
            CODE
        )
        .is_empty());
        assert_eq!(lines("FROM debian as distro1\nCMD bash\nRUN foo\nCMD another\nFROM debian as distro2\nCMD another\n", CODE), vec![4]);
        assert!(lines("CMD /bin/true\n", CODE).is_empty());
        assert_eq!(
            lines("FROM a\nCMD [\"a\"]\nCMD [\"b\"]\nCMD [\"c\"]\n", CODE),
            vec![3, 4]
        );
    }

    #[test]
    fn onbuild_and_healthcheck_do_not_count() {
        assert!(lines("FROM a\nONBUILD CMD x\nCMD y\nHEALTHCHECK CMD true\n", CODE).is_empty());
    }

    #[test]
    fn fixes() {
        use super::super::g4_util::fixed;
        assert_eq!(
            fixed(
                "FROM a\n# first\nCMD [\"a\"]\nRUN x\nCMD b \\\n  c\ncmd [\"d\"]\nFROM b\nCMD e\n",
                CODE
            ),
            "FROM a\n# first\nRUN x\ncmd [\"d\"]\nFROM b\nCMD e\n"
        );
    }
}
