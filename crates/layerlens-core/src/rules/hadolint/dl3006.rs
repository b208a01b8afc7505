//! DL3006: FROM an image without a tag.

use super::g1_util::{expand_global, Expanded};
use crate::instructions::Typed;
use crate::model::Base;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3006",
    name: "tag-base-image",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Correctness, Category::Cache],
    summary: "An untagged base image means `latest`: whatever was pushed last, different from one build to the next.",
    docs: Docs::new(
        "Flags a FROM image written without a tag or digest (`FROM python`). Earlier stages, \
         `scratch`, and images whose name comes from an ARG without a default are not flagged; \
         ARG defaults are expanded, so `ARG BASE=python` + `FROM $BASE` is flagged.",
        "Without a tag Docker pulls `latest`, which moves whenever the publisher pushes: a rebuild \
         of the same commit can jump a major version (python 3.12 to 3.13, a new Debian release \
         with different package names), break in CI for reasons unrelated to the change, and \
         invalidate every cached layer on top of it. A tag such as `python:3.13-slim-bookworm` \
         says what you tested against; a digest (`@sha256:...`) makes the build fully \
         reproducible.",
        "FROM python\nRUN pip install --no-cache-dir flask==3.0.3\n",
        "FROM python:3.13-slim-bookworm\nRUN pip install --no-cache-dir flask==3.0.3\n",
        "Security Best Practices",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Typed::From(from) = context.typed(i) else {
            continue;
        };
        let Some(stage) = context
            .stage_of(i)
            .and_then(|s| context.model.stages.get(s))
        else {
            continue;
        };
        if from.image.value.contains('$')
            && matches!(
                expand_global(context.model, &from.image.value),
                Expanded::Unknown
            )
        {
            continue;
        }
        let Base::Image(image) = &stage.base else {
            continue;
        };
        if image.tag.is_some() || image.digest.is_some() {
            continue;
        }
        let name = image.short_name();
        let via = if from.image.value.contains('$') {
            format!(" (`{}` expands to `{}`)", from.image.value, image.raw)
        } else {
            String::new()
        };
        report.add(
            i,
            from.image.span,
            format!("`{name}` has no tag{via}, so it means `latest`: pin a version tag (`{name}:<version>`) or a digest"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::{count, spans};

    #[test]
    fn untagged() {
        assert_eq!(spans("DL3006", "FROM debian AS b\n"), ["debian"]);
        assert_eq!(count("DL3006", "FROM debian:12\n"), 0);
        assert_eq!(count("DL3006", "FROM debian@sha256:abc\n"), 0);
        assert_eq!(count("DL3006", "FROM scratch\n"), 0);
        assert_eq!(count("DL3006", "FROM localhost:5000/app\n"), 1);
        assert_eq!(count("DL3006", "FROM a:1 AS Build\nFROM build\n"), 0);
        // A stage name used before it is defined is an image.
        assert_eq!(count("DL3006", "FROM later\nFROM a:1 AS later\n"), 1);
    }

    #[test]
    fn variables() {
        assert_eq!(count("DL3006", "ARG BASE\nFROM ${BASE}\n"), 0);
        assert_eq!(count("DL3006", "ARG TAG\nFROM debian:${TAG}\n"), 0);
        assert_eq!(count("DL3006", "ARG BASE=debian:12\nFROM ${BASE}\n"), 0);
        assert_eq!(count("DL3006", "ARG BASE=debian\nFROM ${BASE}\n"), 1);
        assert_eq!(count("DL3006", "ARG V=12\nFROM debian:$V\n"), 0);
        // Builtin platform ARGs are known.
        assert_eq!(count("DL3006", "FROM base-${TARGETARCH}\n"), 1);
    }
}
