//! DL3026: images from registries outside the trusted list.

use super::g2_util::{expand, StageNames};
use crate::instructions::{ImageRef, MountType, Typed};
use crate::model::Base;
use crate::rules::{Category, Config, Context, Docs, Origin, Report, Rule, Severity};
use crate::text::Span;

pub static RULE: Rule = Rule {
    code: "DL3026",
    name: "trusted-registries",
    origin: Origin::Hadolint,
    severity: Severity::Error,
    categories: &[Category::Security],
    summary: "Images from registries nobody vetted can carry anything into the build.",
    docs: Docs {
        what: "When trusted registries are configured (`trustedRegistries`: exact hosts, `*`, \
               `*.example.com`, `registry*`), flags every image the build pulls from another \
               registry: FROM images, `COPY --from=<image>` and `RUN --mount=from=<image>` \
               (cache and bind mounts). Earlier stages and `scratch` are always fine; an image \
               without a registry host comes from Docker Hub, so it needs `docker.io` or \
               `hub.docker.com` in the list. Off when the list is empty.",
        why: "Every pulled image runs with the build's privileges and ends up in, or feeds, \
              what you ship. Organisations restrict pulls to a mirror or an internal registry \
              so that images are scanned, signed and cached; one stray \
              `FROM someone/tool` or `COPY --from=ghcr.io/x/y` bypasses all of that, and a \
              typo-squatted name on a public registry is a classic supply-chain attack. The \
              check keeps every pull inside the list you approved.",
        bad: "FROM ghcr.io/example/tool:1.4 AS tool\nFROM registry.example.com/base/python:3.13\nCOPY --from=tool /usr/bin/tool /usr/bin/tool\n",
        good: "FROM registry.example.com/tools/tool:1.4 AS tool\nFROM registry.example.com/base/python:3.13\nCOPY --from=tool /usr/bin/tool /usr/bin/tool\n",
        guide: "Security Best Practices",
        example_config: Some(example_config),
        example_dockerignore: None,
        fix_note: "",
    },
    fix: crate::rules::Fixability::None,
    check,
};

fn example_config() -> Config {
    Config {
        trusted_registries: vec!["registry.example.com".to_string()],
        ..Config::default()
    }
}

/// Explicit names of Docker Hub.
const DOCKER_HUB: [&str; 3] = ["docker.io", "index.docker.io", "registry-1.docker.io"];

fn check(context: &Context, report: &mut Report) {
    let patterns = &context.config.trusted_registries;
    if patterns.is_empty() {
        return;
    }
    let stages = StageNames::new(context);
    for i in 0..context.len() {
        match context.typed(i) {
            Typed::From(from) => {
                let Some(stage) = context.stage_of(i) else {
                    continue;
                };
                if let Some(Base::Image(image)) = context.model.stages.get(stage).map(|s| &s.base) {
                    judge(report, patterns, i, from.image.span, image);
                }
            }
            Typed::Copy(copy) => {
                if let Some(flag) = &copy.from {
                    judge_source(context, &stages, report, i, &flag.value, flag.text.span);
                }
            }
            Typed::Run(run) => {
                for mount in &run.mounts {
                    if !matches!(mount.kind, MountType::Cache | MountType::Bind) {
                        continue;
                    }
                    if let Some(from) = &mount.from {
                        judge_source(context, &stages, report, i, from, mount.span);
                    }
                }
            }
            _ => {}
        }
    }
}

/// A `--from` of COPY or of a mount: an earlier stage, `scratch`, or an image.
fn judge_source(
    context: &Context,
    stages: &StageNames,
    report: &mut Report,
    i: usize,
    value: &str,
    span: Span,
) {
    let Some(name) = expand(context, i, value).filter(|v| !v.is_empty()) else {
        return;
    };
    let current = context.stage_of(i).unwrap_or(0);
    if stages.is_stage_before(&name, current) || name.eq_ignore_ascii_case("scratch") {
        return;
    }
    if let Some(image) = ImageRef::parse(&name) {
        judge(report, &context.config.trusted_registries, i, span, &image);
    }
}

fn judge(report: &mut Report, patterns: &[String], i: usize, span: Span, image: &ImageRef) {
    if is_trusted(image, patterns) {
        return;
    }
    let registry = if image.explicit_registry {
        format!("the registry `{}`", image.registry)
    } else {
        "Docker Hub (no registry host given)".to_string()
    };
    report.add(
        i,
        span,
        format!(
            "`{}` comes from {registry}, which is not among the trusted registries ({}); pull it \
             from an approved registry or add that registry to the list",
            image.raw,
            patterns.join(", ")
        ),
    );
}

fn is_trusted(image: &ImageRef, patterns: &[String]) -> bool {
    let registry = image.registry.to_ascii_lowercase();
    let hub = !image.explicit_registry || DOCKER_HUB.contains(&registry.as_str());
    let mut names = vec![registry.as_str()];
    if hub {
        names.extend(["docker.io", "hub.docker.com"]);
    }
    patterns
        .iter()
        .any(|p| names.iter().any(|name| matches_pattern(p, name)))
}

/// `*` matches anything, `*.suffix` a suffix, `prefix*` a prefix; otherwise exact (hosts
/// are compared without regard to case).
fn matches_pattern(pattern: &str, registry: &str) -> bool {
    let pattern = pattern.trim().to_ascii_lowercase();
    if pattern == "*" {
        true
    } else if let Some(suffix) = pattern.strip_prefix('*') {
        registry.ends_with(suffix)
    } else if let Some(prefix) = pattern.strip_suffix('*') {
        registry.starts_with(prefix)
    } else {
        registry == pattern
    }
}

#[cfg(test)]
mod tests {
    use super::super::g2_util::test_support::findings_with;
    use super::matches_pattern;
    use crate::rules::Config;

    const CODE: &str = "DL3026";

    fn spans(text: &str, trusted: &[&str]) -> Vec<String> {
        let config = Config {
            trusted_registries: trusted.iter().map(|s| s.to_string()).collect(),
            ..Config::default()
        };
        findings_with(text, CODE, &config)
            .into_iter()
            .map(|f| f.1)
            .collect()
    }

    #[test]
    fn patterns() {
        assert!(matches_pattern("*", "x.io"));
        assert!(matches_pattern("*.corp.com", "a.corp.com"));
        assert!(!matches_pattern("*.corp.com", "corp.com"));
        assert!(matches_pattern("registry*", "registry.io"));
        assert!(matches_pattern("Quay.IO", "quay.io"));
        assert!(!matches_pattern("quay.io", "quay.io.evil.com"));
    }

    #[test]
    fn off_without_a_list() {
        assert!(spans("FROM evil.io/x:1\n", &[]).is_empty());
    }

    #[test]
    fn stages_scratch_and_variables() {
        let text = "ARG BASE=evil.io/x:1\nFROM ${BASE} AS a\nFROM scratch AS b\nFROM a\nCOPY --from=b /x /x\nCOPY --from=1 /y /y\nRUN --mount=type=bind,from=evil.io/y:2,target=/m true\nRUN --mount=type=secret,id=t true\n";
        assert_eq!(
            spans(text, &["good.io"]),
            vec!["${BASE}", "--mount=type=bind,from=evil.io/y:2,target=/m"]
        );
    }

    #[test]
    fn docker_hub_names() {
        let text = "FROM index.docker.io/library/alpine:3.20\nFROM alpine:3.20\n";
        assert!(spans(text, &["docker.io"]).is_empty());
        assert_eq!(spans(text, &["good.io"]).len(), 2);
    }
}
