//! DL3065: `FROM --platform=$TARGETPLATFORM`, which is the default anyway.

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
    ),
    fix: crate::rules::Fixability::None,
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
            report.add(
                i,
                platform.text.span,
                "`--platform=$TARGETPLATFORM` is what BuildKit does by default; remove the flag",
            );
        }
    }
}
