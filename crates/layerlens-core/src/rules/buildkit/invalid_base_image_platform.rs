//! InvalidBaseImagePlatform: a base image that cannot match the stage's platform
//! (BuildKit's check, limited to what the image name tells).

use super::g4_util::{is_windows_stage, parse_platform, pinned_platform, stage_chain, Platform};
use crate::model::Base;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "InvalidBaseImagePlatform",
    name: "invalid-base-image-platform",
    origin: Origin::Buildkit,
    severity: Severity::Warning,
    categories: &[Category::Correctness, Category::Production],
    summary: "The base image only exists for another OS or architecture than the one this stage builds for.",
    docs: Docs::new(
        "Compares the platform a stage builds for (its `--platform`, or the default target: \
         linux/amd64, or windows/amd64 when the final stage is built on a Windows-only image) \
         with the platform its base image is known to have, and flags an OS or \
         architecture mismatch. Scope: BuildKit reads the image's platform from the registry; \
         Layerlens works offline, so it only knows images whose name fixes the platform: Docker \
         Hub's per-architecture namespaces (`amd64/`, `arm64v8/`, `arm32v5/`, `arm32v6/`, \
         `arm32v7/`, `i386/`, `ppc64le/`, `s390x/`, `riscv64/`, `mips64le/`, `winamd64/`) and \
         Windows-only images (`mcr.microsoft.com/windows/*`, Server Core, Nano Server, .NET \
         Framework, tags naming a Windows base). Other images are assumed to be multi-platform.",
        "A single-platform image pulled for another architecture either fails (`no matching \
         manifest`) or, with emulation installed, runs every RUN under QEMU, 5-20x slower, and \
         produces an image for the wrong CPU that crashes with `exec format error` on the real \
         servers. A Windows image in a Linux build cannot run at all. Using the multi-platform \
         name (`alpine` instead of `arm64v8/alpine`) or an explicit matching `--platform` keeps \
         the build and the image consistent.",
        "FROM arm64v8/alpine:3.20\nRUN apk add --no-cache curl\n",
        "FROM alpine:3.20\nRUN apk add --no-cache curl\n",
        "Production Optimizations",
    ),
    // No fix: the right image or platform is the author's call.
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    let model = context.model;
    // A Dockerfile whose target stage is Windows-only is built on a Windows daemon, whose
    // default target platform is windows/amd64.
    let default_target = if context.target.is_some_and(|t| is_windows_stage(model, t)) {
        Platform {
            os: "windows".into(),
            arch: "amd64".into(),
            variant: String::new(),
        }
    } else {
        Platform::linux_amd64()
    };
    for stage in &model.stages {
        let Base::Image(image) = &stage.base else {
            continue;
        };
        let Some(pinned) = pinned_platform(image) else {
            continue;
        };
        // The platform requested for this stage: its --platform, else the default target.
        let requested = stage_chain(model, stage.index)
            .into_iter()
            .find_map(|s| model.stages.get(s).and_then(|st| st.platform.as_deref()))
            .map_or_else(|| Some(default_target.clone()), parse_platform);
        let Some(requested) = requested else {
            continue;
        };
        let os_differs = pinned.os != requested.os;
        let arch_differs = pinned.arch.is_some_and(|a| a != requested.arch);
        if !os_differs && !arch_differs {
            continue;
        }
        let actual = match pinned.arch {
            Some(arch) if pinned.variant.is_empty() => format!("{}/{arch}", pinned.os),
            Some(arch) => format!("{}/{arch}/{}", pinned.os, pinned.variant),
            None => pinned.os.to_string(),
        };
        let fix = if os_differs {
            format!("build it with `--platform={}/...`", pinned.os)
        } else {
            let multi = image.repository.split_once('/').map_or("", |(_, r)| r);
            format!(
                "use the multi-platform image (`{multi}`) or set `--platform={actual}` on this FROM"
            )
        };
        report.add(
            stage.from,
            image_span(context, stage.from),
            format!(
                "`{}` only exists for {actual} ({}), but this stage builds for {}; {fix}",
                image.raw,
                pinned.reason,
                requested.format()
            ),
        );
    }
}

/// The span of the image word of the FROM at `i`.
fn image_span(context: &Context, i: usize) -> crate::text::Span {
    match context.typed(i) {
        crate::instructions::Typed::From(from) => from.image.span,
        _ => context.instruction_span(i),
    }
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::{findings, lines};

    const CODE: &str = "InvalidBaseImagePlatform";

    #[test]
    fn architecture_namespaces() {
        let f = findings("FROM arm64v8/alpine:3.20\n", CODE);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].1.contains("linux/arm64") && f[0].1.contains("`alpine`"),
            "{f:?}"
        );
        assert!(lines("FROM --platform=linux/arm64 arm64v8/alpine\n", CODE).is_empty());
        assert!(lines("FROM amd64/debian:12\n", CODE).is_empty());
        assert_eq!(
            lines("FROM --platform=linux/arm64 amd64/debian:12\n", CODE),
            vec![1]
        );
        // The variant is not compared (BuildKit compares OS and architecture).
        assert!(lines("FROM --platform=linux/arm/v6 arm32v7/busybox\n", CODE).is_empty());
        // Other registries' namespaces mean nothing.
        assert!(lines("FROM ghcr.io/arm64v8/tool:1\n", CODE).is_empty());
    }

    #[test]
    fn windows_images() {
        // A Windows Dockerfile is built on a Windows daemon.
        assert!(lines("FROM mcr.microsoft.com/windows/servercore:ltsc2022\n", CODE).is_empty());
        let text = "FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022\n";
        assert!(lines(text, CODE).is_empty());
        let text = "FROM --platform=windows/amd64 mcr.microsoft.com/windows/nanoserver:ltsc2022\n";
        assert!(lines(text, CODE).is_empty());
        assert!(lines("FROM mcr.microsoft.com/dotnet/aspnet:8.0\n", CODE).is_empty());
        // A Windows stage in a Linux build cannot work.
        let text =
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS win\nRUN dir\nFROM alpine\n";
        assert_eq!(lines(text, CODE), vec![1]);
        let text = "FROM --platform=linux/amd64 mcr.microsoft.com/windows/nanoserver:ltsc2022\n";
        assert_eq!(lines(text, CODE), vec![1]);
    }

    #[test]
    fn platform_from_args_and_parent_stages() {
        assert!(lines(
            "ARG P=linux/arm64\nFROM --platform=$P arm64v8/alpine\n",
            CODE
        )
        .is_empty());
        assert_eq!(
            lines("FROM --platform=$BUILDPLATFORM arm64v8/alpine\n", CODE),
            vec![1]
        );
        assert!(lines("FROM alpine AS a\nFROM a\n", CODE).is_empty());
        assert!(lines(
            "# check=skip=InvalidBaseImagePlatform\nFROM arm64v8/alpine\n",
            CODE
        )
        .is_empty());
    }
}
