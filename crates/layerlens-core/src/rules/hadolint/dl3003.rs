//! DL3003: `cd` inside RUN instead of WORKDIR.

use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3003",
    name: "use-workdir",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Maintainability],
    summary: "A `cd` lasts only for its own RUN; WORKDIR sets the directory for every later instruction.",
    docs: Docs::new(
        "Flags a `cd` command anywhere in a RUN (also in subshells, `$( )` and `sh -c` strings).",
        "Each RUN starts a fresh shell in the current WORKDIR, so a `cd` silently stops applying at \
         the next instruction. Chains like `cd /src && make && cd - && ...` hide where files land \
         and break as soon as someone splits the RUN. WORKDIR is explicit, survives across \
         instructions, creates the directory when missing and shows up in the image history.",
        "FROM alpine:3.20\nRUN cd /usr/src/app && make\n",
        "FROM alpine:3.20\nWORKDIR /usr/src/app\nRUN make\n",
        "Production Optimizations",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        // hadolint ignores ONBUILD triggers for this rule; so do we (the trigger runs in a
        // child build whose WORKDIR we cannot see).
        if context.typed_effective(i).1 {
            continue;
        }
        for (command, part) in run.commands_named("cd") {
            let span = part.command_span(context.model, command);
            report.add(
                i,
                span,
                "`cd` here only lasts for this RUN; set the directory with WORKDIR instead",
            );
        }
    }
}
