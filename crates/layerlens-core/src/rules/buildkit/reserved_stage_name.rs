//! ReservedStageName: a stage named `scratch` or `context` (BuildKit's check).

use super::g4_util::stage_name_span;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "ReservedStageName",
    name: "reserved-stage-name",
    origin: Origin::Buildkit,
    severity: Severity::Warning,
    categories: &[Category::Correctness],
    summary: "`scratch` and `context` already mean something to BuildKit; a stage with that name is ambiguous.",
    docs: Docs::new(
        "Flags a stage named `scratch` or `context` (`FROM scratch` without a name is fine).",
        "`scratch` is BuildKit's empty image and `context` is the name of the build context in \
         `--build-context` and `COPY --from`. A stage with one of those names makes \
         `FROM scratch` or `COPY --from=context` mean something different from what readers (and \
         other tools) expect: a build that should start empty may suddenly inherit a whole stage, \
         adding its layers and megabytes to the image.",
        "FROM alpine:3.20 AS scratch\nRUN echo hello > /hello\n",
        "FROM alpine:3.20 AS hello\nRUN echo hello > /hello\n",
        "Multi-Stage Builds",
    ),
    // No fix: the new stage name is the author's call.
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for stage in &context.model.stages {
        let Some(name) = stage.name.as_deref() else {
            continue;
        };
        let meaning = match name {
            "scratch" => "the empty base image",
            "context" => "the build context",
            _ => continue,
        };
        report.add(
            stage.from,
            stage_name_span(context, stage.from),
            format!("`{name}` is reserved for {meaning}; rename this stage"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::lines;

    #[test]
    fn buildkit_cases() {
        let text = "\nFROM scratch AS scratch\nFROM scratch AS context\n";
        assert_eq!(lines(text, "ReservedStageName"), vec![2, 3]);
        assert!(lines("\nFROM scratch\nFROM scratch AS a\n", "ReservedStageName").is_empty());
        assert_eq!(
            lines("FROM alpine AS Scratch\n", "ReservedStageName"),
            vec![1]
        );
    }
}
