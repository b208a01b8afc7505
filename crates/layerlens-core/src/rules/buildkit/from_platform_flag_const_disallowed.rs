//! FromPlatformFlagConstDisallowed: `FROM --platform=linux/amd64` (BuildKit's check).

use super::g4_util::{parse_platform, GlobalScope};
use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "FromPlatformFlagConstDisallowed",
    name: "from-platform-flag-const-disallowed",
    origin: Origin::Buildkit,
    severity: Severity::Warning,
    categories: &[Category::Correctness],
    summary:
        "A constant --platform pins the stage to one architecture and breaks multi-platform builds.",
    docs: Docs::new(
        "Flags `FROM --platform=<constant>` (no variables) unless the stage name mentions the \
         platform's OS or architecture (`AS build-amd64`), which marks the pin as deliberate.",
        "A constant platform forces the stage onto that platform whatever `--platform` the build \
         asks for: on an Apple-silicon laptop or an arm64 CI runner a `linux/amd64` stage runs \
         under QEMU emulation, typically 5-20x slower, and in a multi-platform build every \
         variant gets the amd64 binaries. `--platform=$BUILDPLATFORM` (native speed for \
         cross-compilers) or no flag at all (the target platform) adapts to the build.",
        "FROM --platform=linux/amd64 golang:1.23 AS build\nRUN go version\n",
        "FROM --platform=$BUILDPLATFORM golang:1.23 AS build\nRUN go version\n",
        "Build Performance",
    ),
    // No fix: whether the stage should follow $BUILDPLATFORM or $TARGETPLATFORM is the author's call.
    fix: crate::rules::Fixability::None,
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
        if !processed.matched.is_empty() || !processed.unmatched.is_empty() {
            continue;
        }
        let Some(parsed) = parse_platform(&processed.result) else {
            continue;
        };
        let name = stage.name.as_deref().unwrap_or("");
        if name.contains(&parsed.os) || name.contains(&parsed.arch) {
            continue;
        }
        report.add(
            stage.from,
            platform.text.span,
            format!(
                "`--platform={}` pins this stage whatever platform is built; use `--platform=$BUILDPLATFORM` for build tools, drop the flag, or name the stage after the platform (`AS {}-{}`)",
                processed.result,
                if name.is_empty() { "build" } else { name },
                parsed.arch
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::lines;

    const CODE: &str = "FromPlatformFlagConstDisallowed";

    #[test]
    fn buildkit_cases() {
        assert_eq!(
            lines("\nFROM --platform=linux/amd64 scratch\n", CODE),
            vec![2]
        );
        assert!(lines(
            "\nFROM --platform=linux/amd64 scratch AS my_amd64_stage\n",
            CODE
        )
        .is_empty());
        assert!(lines("\nFROM --platform=linux/amd64 scratch AS linux\n", CODE).is_empty());
    }

    #[test]
    fn variables_and_skip() {
        assert!(lines("FROM --platform=$BUILDPLATFORM scratch\n", CODE).is_empty());
        assert!(lines("ARG P=linux/arm64\nFROM --platform=$P scratch\n", CODE).is_empty());
        assert!(lines(
            "# check=skip=FromPlatformFlagConstDisallowed\nFROM --platform=linux/arm64 scratch\n",
            CODE
        )
        .is_empty());
        assert!(lines("FROM alpine\n# check=skip=FromPlatformFlagConstDisallowed\nFROM --platform=linux/arm64 scratch\n", CODE).is_empty());
    }
}
