//! DuplicateStageName: two stages with the same name (BuildKit's check).

use super::g4_util::stage_name_span;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DuplicateStageName",
    name: "duplicate-stage-name",
    origin: Origin::Buildkit,
    severity: Severity::Warning,
    categories: &[Category::Correctness],
    summary: "A second stage with the same name silently replaces the first for every later reference.",
    docs: Docs::new(
        "Flags a stage whose name (compared case-insensitively, as BuildKit stores it) was already \
         used by an earlier stage.",
        "BuildKit does not reject the duplicate: every later `FROM <name>`, `COPY --from=<name>` \
         and `--target <name>` resolves to the *last* stage with that name, while references \
         written before it still see the first one. Copying artifacts from the wrong stage \
         produces an image that builds fine and fails at run time (missing binary, old assets), \
         and `--target` may stop at a different stage than the one you are reading.",
        "FROM golang:1.23 AS build\nRUN go version\n\nFROM node:22 AS build\nRUN node --version\n\nFROM alpine:3.20\nCOPY --from=build /usr/local/bin /opt/bin\n",
        "FROM golang:1.23 AS build-go\nRUN go version\n\nFROM node:22 AS build-web\nRUN node --version\n\nFROM alpine:3.20\nCOPY --from=build-web /usr/local/bin /opt/bin\n",
        "Multi-Stage Builds",
    ),
    // No fix: which stage keeps the name is the author's call.
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    let stages = &context.model.stages;
    // The first stage that used each name.
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (index, stage) in stages.iter().enumerate() {
        let Some(name) = &stage.name else { continue };
        let first = *seen.entry(name.as_str()).or_insert(index);
        if first == index {
            continue;
        }
        let Some(first) = stages.get(first) else {
            continue;
        };
        let span = stage_name_span(context, stage.from);
        let line = context.instruction(first.from).start_line;
        report.add(
            stage.from,
            span,
            format!(
                "stage name `{name}` is already used on line {line}; later references will all point at this stage, so give it a unique name"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::lines;

    #[test]
    fn buildkit_cases() {
        assert_eq!(
            lines(
                "\nFROM scratch AS b\nFROM scratch AS b\n",
                "DuplicateStageName"
            ),
            vec![3]
        );
        assert!(lines(
            "\nFROM scratch AS b1\nFROM scratch AS b2\n",
            "DuplicateStageName"
        )
        .is_empty());
        // Names are compared as BuildKit stores them (lower-cased).
        assert_eq!(
            lines(
                "FROM scratch AS b\nFROM scratch AS B\nFROM scratch AS b\n",
                "DuplicateStageName"
            ),
            vec![2, 3]
        );
    }
}
