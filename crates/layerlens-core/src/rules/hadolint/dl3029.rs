//! DL3029: `FROM --platform` with a fixed platform.

use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3029",
    name: "no-fixed-from-platform",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Correctness, Category::Production],
    summary: "A hard-coded `--platform` builds the wrong architecture or runs under emulation.",
    docs: Docs::new(
        "Flags `FROM --platform=<value>` unless the value refers to `BUILDPLATFORM` or \
         `TARGETPLATFORM` (the variables BuildKit fills in for cross-platform builds).",
        "A fixed `--platform=linux/amd64` ignores the platform the image is built for: on an \
         arm64 laptop or CI runner the stage runs through QEMU emulation, often 5 to 20 times \
         slower, and `docker buildx build --platform linux/arm64` still gets amd64 binaries in \
         its image, which then fail with `exec format error`. Use `$BUILDPLATFORM` for stages \
         that only compile (and cross-compile with `$TARGETOS`/`$TARGETARCH`), and leave the \
         flag off for stages that must match the target.",
        "FROM --platform=linux/amd64 golang:1.23 AS build\nRUN go build -o /out/app .\n",
        "FROM --platform=$BUILDPLATFORM golang:1.23 AS build\nARG TARGETOS TARGETARCH\nRUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .\n",
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
        let value = platform.value.as_str();
        if value.contains("BUILDPLATFORM") || value.contains("TARGETPLATFORM") {
            continue;
        }
        report.add(
            i,
            platform.text.span,
            format!(
                "`--platform={}` fixes the platform of this stage; use `$BUILDPLATFORM` for a \
                 build stage or drop the flag so the stage follows the target platform",
                value.trim_matches('"')
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::g2_util::test_support::spans;

    const CODE: &str = "DL3029";

    #[test]
    fn fixed_platforms_only() {
        let text = "FROM --platform=linux/arm64 alpine:3.20 AS a\nFROM --platform=${BUILDPLATFORM:-linux/amd64} alpine:3.20 AS b\nFROM alpine:3.20\n";
        assert_eq!(spans(text, CODE), vec!["--platform=linux/arm64"]);
    }
}
