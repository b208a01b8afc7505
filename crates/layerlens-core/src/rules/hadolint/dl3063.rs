//! DL3063: a stage named `scratch` or `context`.

use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3063",
    name: "reserved-stage-name",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Correctness],
    summary:
        "`scratch` and `context` already mean something to the builder; do not name stages so.",
    docs: Docs::new(
        "Flags `FROM … AS scratch` and `FROM … AS context`, in any letter case (BuildKit \
         lower-cases stage names, so `AS Scratch` is the same name).",
        "`scratch` is the built-in empty image and `context` is the name of the build \
         context in `COPY --from` and bake files. A stage with one of these names makes \
         `FROM scratch` or `--from=context` ambiguous: depending on the builder you get the \
         stage or the built-in, and the image silently contains the wrong files.",
        "FROM golang:1.23 AS scratch\nRUN go version\n",
        "FROM golang:1.23 AS build\nRUN go version\n",
        "Common Anti-Patterns",
    ),
    // No fix: the new stage name is the author's call.
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Typed::From(from) = context.typed(i) else {
            continue;
        };
        let (Some(name), Some(text)) = (&from.name, &from.name_text) else {
            continue;
        };
        if name == "scratch" || name == "context" {
            report.add(
                i,
                text.span,
                format!(
                    "`{}` is a reserved name; call this stage something else",
                    text.value
                ),
            );
        }
    }
}
