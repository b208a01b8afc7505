//! DL3065: `FROM --platform=$TARGETPLATFORM`, which is the default anyway.

use super::g4_util::delete_flag;
use crate::fix::Fix;
use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3065",
    name: "redundant-target-platform",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Maintainability],
    summary: "A stage is built for the target platform by default; `--platform=$TARGETPLATFORM` adds nothing.",
    docs: Docs::new(
        "Flags `FROM --platform=$TARGETPLATFORM` and `FROM --platform=${TARGETPLATFORM}`.",
        "Without `--platform`, BuildKit already pulls the base image for the platform being \
         built. Spelling out the default is noise that readers mistake for a cross-compilation \
         setup, and copying it into a builder stage where `$BUILDPLATFORM` was meant makes \
         that stage run under emulation, which is typically 5–20 times slower.",
        "FROM --platform=$TARGETPLATFORM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r2\n",
        "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r2\n",
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
    for i in 0..context.len() {
        let Typed::From(from) = context.typed(i) else {
            continue;
        };
        let Some(platform) = &from.platform else {
            continue;
        };
        if matches!(
            platform.value.as_str(),
            "$TARGETPLATFORM" | "${TARGETPLATFORM}"
        ) {
            // A global `ARG TARGETPLATFORM=<value>` would make the flag mean something.
            let redefined = context
                .model
                .global_args
                .iter()
                .any(|b| b.name == "TARGETPLATFORM" && b.value.is_some());
            let fix = (!redefined).then(|| {
                Fix::safe(
                    "Remove `--platform=$TARGETPLATFORM`",
                    vec![delete_flag(context.model, platform.text.span)],
                )
            });
            report
                .add(
                    i,
                    platform.text.span,
                    "`--platform=$TARGETPLATFORM` is what BuildKit does by default; remove the flag",
                )
                .fix = fix;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixes() {
        use crate::rules::hadolint::g4_util::fixed;
        let f = |t: &str| fixed(t, "DL3065");
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
