//! LL1010: the final image's base pinned by tag only, not by digest.

use super::g5_util::{final_chain, from_image_span, root_of, Root};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "LL1010",
    name: "pin-base-digest",
    origin: Origin::Layerlens,
    severity: Severity::Info,
    categories: &[Category::Security, Category::Correctness],
    summary: "A tag can be moved to other content; a digest always names the same bytes.",
    docs: Docs::new(
        "Flags the base image of the final image (through stage aliases) when it has no \
         `@sha256:` digest. Build stages, `scratch` and stage aliases are not flagged.",
        "Tags are mutable: `python:3.13-slim` is re-pushed every few weeks, so two builds of \
         the same commit can ship different operating-system packages, and a compromised or \
         mistaken push reaches you silently. A digest (`python:3.13-slim@sha256:…`) pins the \
         exact bytes; keep the tag in front for readability and let a bot (Renovate, \
         Dependabot) bump the digest so security updates still arrive, reviewed.",
        "FROM python:3.13-slim\nCMD [\"python\", \"-V\"]\n",
        "FROM python:3.13-slim@sha256:0c7dcb3ae2b2d8bb2b2d8a7c8e0e5bd8e6d2c8bb1a2a0c3b9e8c1f4a5b6c7d8e9f\nCMD [\"python\", \"-V\"]\n",
        "Security Best Practices",
    ),
    // No fix: the digest to pin is not in the file (it has to be looked up in a registry).
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    let Some(&target) = final_chain(context).first() else {
        return;
    };
    let Root::Image(image, stage) = root_of(context.model, target) else {
        return;
    };
    if image.digest.is_some() {
        return;
    }
    report.add(
        context.model.stages[stage].from,
        from_image_span(context, stage),
        format!(
            "pin the final image's base by digest (`{}@sha256:<digest>`) so every rebuild starts from the same bytes; let an update bot bump it",
            image.raw
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::super::g5_util::test_support::*;

    #[test]
    fn digests() {
        assert_eq!(
            spans("LL1010", "FROM python:3.13.1-slim\n"),
            ["python:3.13.1-slim"]
        );
        assert!(findings("LL1010", "FROM python:3.13-slim@sha256:abc123\n").is_empty());
        assert!(findings(
            "LL1010",
            "FROM golang:1.23 AS b\nFROM scratch\nCOPY --from=b /x /x\n"
        )
        .is_empty());
        // Through an alias, reported at the FROM that names the image.
        assert_eq!(
            spans("LL1010", "FROM node:22 AS base\nFROM base\n"),
            ["node:22"]
        );
        // Only the final image's chain.
        assert!(findings("LL1010", "FROM node:22 AS b\nFROM alpine@sha256:abc\n").is_empty());
    }

    #[test]
    fn guide_real_world_examples() {
        // Kept on purpose: the guide itself calls digests the better choice.
        assert_eq!(findings("LL1010", FASTAPI).len(), 1);
        assert_eq!(findings("LL1010", NEXTJS).len(), 1);
        assert!(findings("LL1010", GO).is_empty());
    }
}
