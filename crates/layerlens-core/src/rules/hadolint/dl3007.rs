//! DL3007: FROM an image tagged `latest`.

use super::g1_util::{expand_global, Expanded};
use crate::instructions::Typed;
use crate::model::Base;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::text::Span;

pub static RULE: Rule = Rule {
    code: "DL3007",
    name: "no-latest-tag",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Correctness, Category::Cache],
    summary:
        "`latest` is a moving label, not a version: the base changes under you between builds.",
    docs: Docs::new(
        "Flags a FROM image tagged `latest` without a digest (after expanding global ARGs). \
         `image:latest@sha256:...` is accepted, because the digest fixes the content.",
        "`latest` is just the tag a publisher moves with every push. Builds of the same commit on \
         two days can get different base images (a new major version, a different libc), so a \
         passing build proves nothing about the next one and a rollback rebuild is not the same \
         image. Layer caches are also invalidated each time the tag moves. Write the version you \
         tested (`node:22.11-bookworm-slim`), or add the digest for full reproducibility.",
        "FROM node:latest\nCMD [\"node\", \"server.js\"]\n",
        "FROM node:22-bookworm-slim\nCMD [\"node\", \"server.js\"]\n",
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
        let written = &from.image.value;
        if written.contains('$')
            && matches!(expand_global(context.model, written), Expanded::Unknown)
        {
            continue;
        }
        let Base::Image(image) = &stage.base else {
            continue;
        };
        if image.tag.as_deref() != Some("latest") || image.digest.is_some() {
            continue;
        }
        // Point at the tag itself when it is written literally.
        let span = if written.ends_with(":latest") && from.image.span.len() == written.len() {
            Span::new(from.image.span.end - "latest".len(), from.image.span.end)
        } else {
            from.image.span
        };
        let name = image.short_name();
        report.add(
            i,
            span,
            format!("`{name}:latest` changes whenever a new version is pushed: use a version tag (`{name}:<version>`) or add a digest"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::{count, spans};

    #[test]
    fn latest() {
        assert_eq!(spans("DL3007", "FROM debian:latest AS b\n"), ["latest"]);
        assert_eq!(count("DL3007", "FROM debian:latest@sha256:abc\n"), 0);
        assert_eq!(count("DL3007", "FROM debian\n"), 0);
        assert_eq!(count("DL3007", "FROM reg.io:5000/latest:1\n"), 0);
        assert_eq!(count("DL3007", "ARG T=latest\nFROM debian:${T}\n"), 1);
        assert_eq!(count("DL3007", "ARG T\nFROM debian:${T}\n"), 0);
    }
}
