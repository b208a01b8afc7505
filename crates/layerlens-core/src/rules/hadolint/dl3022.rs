//! DL3022: `COPY --from` naming no earlier stage.

use super::g2_util::{copy_from, StageNames};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3022",
    name: "copy-from-known-stage",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Correctness],
    summary: "A `--from` that matches no earlier stage is pulled as an image from a registry.",
    docs: Docs::new(
        "Flags `COPY --from=<name>` when `<name>` is neither a stage defined above (by name, \
         compared as BuildKit does without regard to case, or by index) nor written as an image \
         reference (with a tag, digest or registry path).",
        "BuildKit resolves `--from` against the stages above the COPY; anything else is taken \
         as an image name and pulled from Docker Hub. A typo (`--from=buidler`) or a stage \
         defined further down therefore does not fail with a clear message: the build tries to \
         download `docker.io/library/buidler`, fails with an access error, or worse, copies files \
         out of a stranger's image of that name. Define the stage first, or spell out the image \
         with its tag.",
        "FROM golang:1.23 AS build\nRUN go build -o /out/app .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=builder /out/app /app\n",
        "FROM golang:1.23 AS build\nRUN go build -o /out/app .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /out/app /app\n",
        "Multi-Stage Builds",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    let stages = StageNames::new(context);
    for i in 0..context.len() {
        let Some(from) = copy_from(context, i) else {
            continue;
        };
        let Some(name) = from.resolved.as_deref() else {
            continue;
        };
        // Stages up to and including the current one (a self-reference is DL3023's job).
        let known = context.stage_of(i).map_or(0, |s| s + 1);
        let is_image = name.contains([':', '/', '@']);
        let is_stage = stages.is_stage_before(name, known);
        if is_image || is_stage {
            continue;
        }
        let message = match name.parse::<usize>() {
            Ok(n) => format!(
                "`--from={n}` points past the stages defined so far ({known}); stage indexes count \
                 FROM instructions from 0"
            ),
            Err(_) => format!(
                "no stage named `{name}` is defined above this COPY, so it would be pulled as an \
                 image; define `FROM ... AS {name}` before it or write the image with its tag"
            ),
        };
        report.add(i, from.span, message);
    }
}

#[cfg(test)]
mod tests {
    use super::super::g2_util::test_support::spans;

    const CODE: &str = "DL3022";

    #[test]
    fn names_are_case_insensitive_like_buildkit() {
        let text = "FROM alpine:3.20 AS Build\nFROM alpine:3.20\nCOPY --from=build /a /a\n";
        assert!(spans(text, CODE).is_empty());
    }

    #[test]
    fn later_stage_and_typos_fire() {
        let text = "FROM alpine:3.20 AS base\nCOPY --from=bsae /a /a\nCOPY --from=later /b /b\nCOPY --from=1 /c /c\nFROM alpine:3.20 AS later\n";
        assert_eq!(
            spans(text, CODE),
            vec!["--from=bsae", "--from=later", "--from=1"]
        );
    }

    #[test]
    fn images_and_variables() {
        let text = "ARG SRC=base\nFROM alpine:3.20 AS base\nCOPY --from=nginx:1.27 /a /a\nCOPY --from=gcr.io/x/y /b /b\nARG SRC\nCOPY --from=${SRC} /c /c\n";
        assert!(spans(text, CODE).is_empty());
    }
}
