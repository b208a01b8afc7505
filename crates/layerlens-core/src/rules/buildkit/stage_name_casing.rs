//! StageNameCasing: a stage name written with capitals (BuildKit's check).

use super::g4_util::from_words;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

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
    ),
    fix: crate::rules::Fixability::None,
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
            report.add(
                i,
                name.span,
                format!(
                    "stage name `{}` has capitals; BuildKit stores it as `{lower}`, so write it that way",
                    name.value
                ),
            );
        }
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
}
