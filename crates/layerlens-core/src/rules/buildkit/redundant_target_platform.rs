//! RedundantTargetPlatform: `FROM --platform=$TARGETPLATFORM` (BuildKit's check).

use super::g4_util::GlobalScope;
use crate::fix::Fix;
use crate::instructions::Typed;
use crate::rules::hadolint::g4_util::delete_flag;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::syntax::lex::Env;

pub static RULE: Rule = Rule {
    code: "RedundantTargetPlatform",
    name: "redundant-target-platform",
    origin: Origin::Buildkit,
    severity: Severity::Warning,
    categories: &[Category::Maintainability],
    summary: "Stages already build for $TARGETPLATFORM; saying so adds noise and hides real platform choices.",
    docs: Docs::new(
        "Flags `FROM --platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`): the flag only repeats \
         the default.",
        "Every stage is built for the target platform unless told otherwise, so the flag changes \
         nothing. It does cost attention: readers of a multi-platform Dockerfile look for \
         `--platform` to find the stages that run on the build machine (`$BUILDPLATFORM`, used \
         for fast cross-compilation instead of slow emulation), and a redundant flag looks like \
         one of those. Removing it leaves only the platform choices that matter.",
        "FROM --platform=$TARGETPLATFORM alpine:3.20 AS runtime\nRUN apk add --no-cache ca-certificates\n",
        "FROM alpine:3.20 AS runtime\nRUN apk add --no-cache ca-certificates\n",
        "Build Performance",
    )
    .with_fix_note(
        "Deletes the `--platform=...` flag. Safe: without it BuildKit builds the stage for \
         the target platform, which is exactly what the flag asked for.",
    ),
    fix: crate::rules::Fixability::Safe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    let scope = GlobalScope(context.model);
    for stage in &context.model.stages {
        let Typed::From(from) = context.typed(stage.from) else {
            continue;
        };
        let Some(platform) = &from.platform else {
            continue;
        };
        let Some(processed) = scope.process(&platform.value) else {
            continue;
        };
        let only_target = processed.matched.len() == 1
            && processed.matched[0] == "TARGETPLATFORM"
            && processed.unmatched.is_empty();
        if only_target && scope.get("TARGETPLATFORM") == Some(processed.result.as_str()) {
            let fix = Fix::safe(
                format!("Remove `--platform={}`", platform.value),
                vec![delete_flag(context.model, platform.text.span)],
            );
            report
                .add(
                    stage.from,
                    platform.text.span,
                    format!(
                    "remove `--platform={}`: stages are built for the target platform by default",
                    platform.value
                ),
                )
                .fix = Some(fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::{findings, lines};

    const CODE: &str = "RedundantTargetPlatform";

    #[test]
    fn buildkit_cases() {
        assert_eq!(
            lines("\nFROM --platform=$TARGETPLATFORM scratch\n", CODE),
            vec![2]
        );
        let f = findings("\nFROM --platform=${TARGETPLATFORM} scratch\n", CODE);
        assert!(f[0].1.contains("`--platform=${TARGETPLATFORM}`"));
        assert!(lines(
            "\n# check=skip=RedundantTargetPlatform\nFROM --platform=$TARGETPLATFORM scratch\n",
            CODE
        )
        .is_empty());
    }

    #[test]
    fn other_platform_values_are_fine() {
        for ok in [
            "FROM --platform=$BUILDPLATFORM scratch\n",
            "FROM --platform=linux/$TARGETARCH scratch\n",
            "FROM --platform=${TARGETPLATFORM}-x scratch\n",
        ] {
            assert!(lines(ok, CODE).is_empty(), "{ok}");
        }
    }

    #[test]
    fn fixes() {
        use crate::rules::hadolint::g4_util::fixed;
        let f = |t: &str| fixed(t, "RedundantTargetPlatform");
        assert_eq!(
            f("FROM --platform=$TARGETPLATFORM alpine:3.20 AS run\n"),
            "FROM alpine:3.20 AS run\n"
        );
        assert_eq!(
            f("from --platform=${TARGETPLATFORM}   \\\n    alpine:3.20\n"),
            "from \\\n    alpine:3.20\n"
        );
        assert_eq!(
            f("# escape=`\nFROM --platform=$TARGETPLATFORM `\n    alpine:3.20\n"),
            "# escape=`\nFROM `\n    alpine:3.20\n"
        );
    }
}
