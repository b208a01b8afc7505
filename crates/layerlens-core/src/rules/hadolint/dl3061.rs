//! DL3061: an instruction other than ARG before the first FROM.

use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::syntax::Keyword;

pub static RULE: Rule = Rule {
    code: "DL3061",
    name: "instruction-before-from",
    origin: Origin::Hadolint,
    severity: Severity::Error,
    categories: &[Category::Correctness],
    summary: "Only ARG (and comments or parser directives) may come before the first FROM.",
    docs: Docs::new(
        "Flags every instruction before the first FROM except ARG. Comments and parser \
         directives (`# syntax=`, `# escape=`) are not instructions and are fine.",
        "Docker rejects the whole file with \"no build stage in current context\" when a \
         LABEL, ENV, RUN or similar comes before FROM, so nothing builds. Such lines are \
         usually meant for the first stage and only need to move below its FROM.",
        "LABEL org.opencontainers.image.vendor=\"Acme\"\nFROM alpine:3.20\n",
        "ARG ALPINE_VERSION=3.20\nFROM alpine:${ALPINE_VERSION}\nLABEL org.opencontainers.image.vendor=\"Acme\"\n",
        "Common Anti-Patterns",
    ),
    // No fix: where the instruction belongs (which stage, or an ARG) is the author's call.
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let keyword = context.instruction(i).keyword();
        if keyword == Keyword::From {
            break;
        }
        if keyword == Keyword::Arg {
            continue;
        }
        let written = &context.instruction(i).command.keyword_text.value;
        report.add(
            i,
            context.keyword_span(i),
            format!(
                "`{written}` comes before the first FROM, where only ARG is allowed; move it \
                 into a stage"
            ),
        );
    }
}
