//! MultipleInstructionsDisallowed: two CMD, ENTRYPOINT or HEALTHCHECK in one stage
//! (BuildKit's check).

use crate::fix::Fix;
use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "MultipleInstructionsDisallowed",
    name: "multiple-instructions-disallowed",
    origin: Origin::Buildkit,
    severity: Severity::Warning,
    categories: &[Category::Correctness],
    summary: "Only the last CMD, ENTRYPOINT or HEALTHCHECK of a stage takes effect; earlier ones are dead code.",
    docs: Docs::new(
        "Flags a CMD, ENTRYPOINT or HEALTHCHECK that a later instruction of the same kind in the \
         same stage overrides. The finding sits on the overridden (earlier) instruction; a \
         `# check=skip=...` comment goes above the later one, as in BuildKit. A stage built \
         `FROM` another stage may override its parent's CMD without a warning.",
        "Each of these instructions replaces the previous value in the image configuration, so \
         the earlier one never runs. Readers (and reviewers) still assume it does: a service \
         documented as starting with one command actually starts with another, or a health check \
         that looks strict is silently replaced by a lax one. Keeping a single instruction per \
         stage makes the container's start-up behaviour obvious.",
        "FROM python:3.13-slim\nCMD [\"python\", \"-m\", \"http.server\"]\nCOPY app.py /app.py\nCMD [\"python\", \"/app.py\"]\n",
        "FROM python:3.13-slim\nCOPY app.py /app.py\nCMD [\"python\", \"/app.py\"]\n",
        "Common Anti-Patterns",
    )
    .with_fix_note(
        "Deletes the overridden (earlier) instruction, its line only; comments above it \
         stay. Safe: the image configuration only ever holds the last CMD, ENTRYPOINT or \
         HEALTHCHECK of a stage, so removing one that is always replaced changes nothing.",
    ),
    fix: crate::rules::Fixability::Safe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for stage in &context.model.stages {
        // The last CMD, ENTRYPOINT and HEALTHCHECK seen in this stage.
        let mut last: [Option<usize>; 3] = [None; 3];
        for &i in &stage.instructions {
            let (slot, name) = match context.typed(i) {
                Typed::Cmd(_) => (0, "CMD"),
                Typed::Entrypoint(_) => (1, "ENTRYPOINT"),
                Typed::Healthcheck(_) => (2, "HEALTHCHECK"),
                _ => continue,
            };
            if let Some(previous) = last[slot] {
                let line = context.instruction(i).start_line;
                // BuildKit reports at the overridden instruction but filters with the comments
                // of the current one.
                let fix =
                    crate::rules::hadolint::g4_util::delete_instruction(context.model, previous)
                        .map(|edit| {
                            Fix::safe(format!("Delete this overridden {name}"), vec![edit])
                        });
                report.add(
                    i,
                    context.instruction_span(previous),
                    format!(
                        "this {name} is overridden by the {name} on line {line}; only the last {name} of a stage takes effect, so delete one of them"
                    ),
                )
                .fix = fix;
            }
            last[slot] = Some(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::lines;

    const CODE: &str = "MultipleInstructionsDisallowed";

    #[test]
    fn buildkit_cases() {
        let text = "\nFROM scratch\nENTRYPOINT [\"/myapp\"]\nENTRYPOINT [\"/myotherapp\"]\nCMD [\"/myapp\"]\nCMD [\"/myotherapp\"]\nHEALTHCHECK CMD [\"/myapp\"]\nHEALTHCHECK CMD [\"/myotherapp\"]\n";
        assert_eq!(lines(text, CODE), vec![3, 5, 7]);
        let text = "\nFROM scratch\nENTRYPOINT [\"/myapp\"]\nCMD [\"/myapp\"]\nHEALTHCHECK CMD [\"/myapp\"]\nCOPY <<EOF /a.txt\nHello, World!\nEOF\nENTRYPOINT [\"/myotherapp\"]\nCMD [\"/myotherapp\"]\nHEALTHCHECK CMD [\"/myotherapp\"]\n";
        assert_eq!(lines(text, CODE), vec![3, 4, 5]);
        let text = "\nFROM scratch AS a\nENTRYPOINT [\"/myapp\"]\nCMD [\"/myapp\"]\nHEALTHCHECK CMD [\"/myapp\"]\n\nFROM a AS b\nENTRYPOINT [\"/myotherapp\"]\nCMD [\"/myotherapp\"]\nHEALTHCHECK CMD [\"/myotherapp\"]\n";
        assert!(lines(text, CODE).is_empty());
    }

    #[test]
    fn filtered_by_the_later_instruction_comments() {
        let text =
            "FROM scratch\nCMD [\"a\"]\n# check=skip=MultipleInstructionsDisallowed\nCMD [\"b\"]\n";
        assert!(lines(text, CODE).is_empty());
        let text =
            "FROM scratch\n# check=skip=MultipleInstructionsDisallowed\nCMD [\"a\"]\nCMD [\"b\"]\n";
        assert_eq!(lines(text, CODE), vec![3]);
    }

    #[test]
    fn onbuild_does_not_count() {
        assert!(lines("FROM scratch\nONBUILD CMD [\"a\"]\nCMD [\"b\"]\n", CODE).is_empty());
    }

    #[test]
    fn fixes() {
        use crate::rules::hadolint::g4_util::fixed;
        let text = "FROM scratch\nENTRYPOINT [\"/a\"]\n# the real one\nENTRYPOINT [\"/b\"]\nCMD a\nHEALTHCHECK NONE\nCMD [\"b\"]\nHEALTHCHECK --interval=5s \\\n  CMD [\"/b\", \"check\"]\n";
        assert_eq!(
            fixed(text, CODE),
            "FROM scratch\n# the real one\nENTRYPOINT [\"/b\"]\nCMD [\"b\"]\nHEALTHCHECK --interval=5s \\\n  CMD [\"/b\", \"check\"]\n"
        );
    }
}
