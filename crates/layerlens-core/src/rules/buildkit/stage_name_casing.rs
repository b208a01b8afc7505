//! StageNameCasing: a stage name written with capitals (BuildKit's check).

use super::g4_util::from_words;
use crate::fix::{Edit, Fix};
use crate::model::{EdgeKind, StageRef};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::text::Span;

pub static RULE: Rule = Rule {
    code: "StageNameCasing",
    name: "stage-name-casing",
    origin: Origin::Buildkit,
    severity: Severity::Warning,
    categories: &[Category::Maintainability],
    summary: "Stage names are case-insensitive; capitals suggest a difference BuildKit ignores.",
    docs: Docs::new(
        "Flags `FROM <image> AS <name>` when the stage name contains upper-case letters.",
        "BuildKit lower-cases every stage name: `AS BuilderBase` is stored as `builderbase`, and \
         `COPY --from=BUILDERBASE`, `--target builderbase` and `FROM BuilderBase` all reach the \
         same stage. Mixed case suggests a distinction that does not exist, and a search for the \
         name as written misses references spelled differently. Lower-case names (`builder-base`) \
         read the same everywhere they are used.",
        "FROM golang:1.23 AS BuildStage\nRUN go version\n\nFROM alpine:3.20\nCOPY --from=BuildStage /usr/local/go/VERSION /VERSION\n",
        "FROM golang:1.23 AS build-stage\nRUN go version\n\nFROM alpine:3.20\nCOPY --from=build-stage /usr/local/go/VERSION /VERSION\n",
        "Multi-Stage Builds",
    )
    .with_fix_note(
        "Lower-cases the stage name and every reference to it written out in this file \
         (`FROM <stage>`, `COPY --from=<stage>`, `RUN --mount=from=<stage>`). Safe: BuildKit \
         lower-cases stage names and the references to them anyway, so every reference \
         still reaches the same stage. A `--target` given on the command line keeps \
         working for the same reason.",
    ),
    fix: crate::rules::Fixability::Safe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        // BuildKit checks the third word of a three-word FROM before it validates the rest.
        let [_, _, name] = from_words(context, i) else {
            continue;
        };
        let lower = name.value.to_lowercase();
        if name.value != lower {
            let mut edits = vec![Edit::replace(name.span, lower.clone())];
            edits.extend(reference_edits(context, i, &lower));
            let fix = Fix::safe(format!("Rename the stage to `{lower}`"), edits);
            report.add(
                i,
                name.span,
                format!(
                    "stage name `{}` has capitals; BuildKit stores it as `{lower}`, so write it that way",
                    name.value
                ),
            )
            .fix = Some(fix);
        }
    }
}

/// Edits writing every literal reference to the stage declared at `from` as `lower`.
fn reference_edits(context: &Context, from: usize, lower: &str) -> Vec<Edit> {
    let model = context.model;
    let text = model.doc.text.as_str();
    let Some(stage) = model.stages.iter().position(|s| s.from == from) else {
        return Vec::new();
    };
    let mut edits = Vec::new();
    for edge in &model.edges {
        if edge.from != StageRef::Stage(stage) {
            continue;
        }
        match edge.kind {
            EdgeKind::From => {
                if let [image, ..] = from_words(context, edge.instruction) {
                    push_if_reference(&mut edits, text, image.span, lower);
                }
            }
            EdgeKind::CopyFrom => {
                let raw = edge.span.slice(text);
                if let Some(eq) = raw.find('=') {
                    let at = Span::new(edge.span.start + eq + 1, edge.span.end);
                    push_if_reference(&mut edits, text, at, lower);
                }
            }
            EdgeKind::MountFrom => {
                // `--mount=type=bind,from=Build,target=/x`: the `from` field.
                let raw = edge.span.slice(text);
                let Some(eq) = raw.find('=') else { continue };
                let mut offset = eq + 1;
                for field in raw[eq + 1..].split(',') {
                    if let Some((key, _)) = field.split_once('=') {
                        if key.trim().eq_ignore_ascii_case("from") {
                            let start = edge.span.start + offset + key.len() + 1;
                            let at = Span::new(start, edge.span.start + offset + field.len());
                            push_if_reference(&mut edits, text, at, lower);
                        }
                    }
                    offset += field.len() + 1;
                }
            }
        }
    }
    edits
}

/// Adds an edit when `span` holds the stage name in another casing.
fn push_if_reference(edits: &mut Vec<Edit>, text: &str, span: Span, lower: &str) {
    let written = span.slice(text);
    if written != lower && written.eq_ignore_ascii_case(lower) {
        edits.push(Edit::replace(span, lower));
    }
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::{findings, lines};

    #[test]
    fn flags_capitals_in_stage_names() {
        let text = "# warning: stage name should be lowercase\n#\nFROM scratch AS BadStageName\n\nFROM scratch as base2\n\nFROM scratch AS base3\n";
        assert_eq!(lines(text, "StageNameCasing"), vec![3]);
        let f = findings(text, "StageNameCasing");
        assert!(f[0].1.contains("`badstagename`"));
    }

    #[test]
    fn fires_even_when_the_instruction_is_broken_later() {
        // BuildKit warns before it rejects the rest of the file.
        let text = "FROM scratch AS BadStageName\nMAINTAINER me@example.org\nBADCMD\n";
        assert_eq!(lines(text, "StageNameCasing"), vec![1]);
    }

    #[test]
    fn skip_and_error_directives() {
        let skip = "# check=skip=StageNameCasing\nFROM scratch AS Bad\n";
        assert!(lines(skip, "StageNameCasing").is_empty());
        let local = "FROM alpine\n# check=skip=StageNameCasing\nFROM scratch AS Bad\n";
        assert!(lines(local, "StageNameCasing").is_empty());
        let error = "# check=error=true\nFROM scratch AS Bad\n";
        assert_eq!(
            super::super::g4_util::severities(error, "StageNameCasing"),
            vec![crate::rules::Severity::Error]
        );
    }

    #[test]
    fn fixes() {
        use crate::rules::hadolint::g4_util::fixed;
        let text = "FROM golang:1.23 AS BuildStage\nRUN go build\nFROM BUILDSTAGE AS Test\nRUN --mount=type=bind,from=buildStage,target=/src go test\nFROM alpine\nCOPY --from=BuildStage /app /app\nCOPY --from=Test \\\n  /r /r\nONBUILD COPY --from=BuildStage /x /x\n";
        assert_eq!(
            fixed(text, "StageNameCasing"),
            "FROM golang:1.23 AS buildstage\nRUN go build\nFROM buildstage AS test\nRUN --mount=type=bind,from=buildstage,target=/src go test\nFROM alpine\nCOPY --from=buildstage /app /app\nCOPY --from=test \\\n  /r /r\nONBUILD COPY --from=BuildStage /x /x\n"
        );
    }
}
