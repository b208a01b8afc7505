//! LL1017: base images whose version has reached end of life.

use crate::knowledge;
use crate::model::Base;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "LL1017",
    name: "end-of-life-base",
    origin: Origin::Layerlens,
    severity: Severity::Warning,
    categories: &[Category::Security],
    summary: "No more security fixes: every new vulnerability in this version stays open.",
    docs: Docs::new(
        "Flags FROM images whose version has reached end of life according to the knowledge \
         table (endoflife.date and the projects' own release pages): python 2.7-3.10, node 20 \
         and older, debian buster/bullseye (LTS ended), ubuntu 20.04 and older, alpine 3.21 \
         and older, golang 1.23 and older, ruby 3.2 and older, php 8.1 and older, and the \
         deprecated openjdk image; also a distribution named in the tag (`3.11-buster`, \
         `-alpine3.16`). Dates are compared with the day the table was checked.",
        "After end of life nobody publishes fixes: the image maintainers stop rebuilding the \
         tag, so every CVE found later in the interpreter, its standard library or the OS \
         packages stays in your image for good, and scanners flag it. Moving one minor version \
         at a time is cheap; jumping several after years of drift is a project. In build \
         stages it matters too: an end-of-life Go compiles its unpatched standard library into \
         the binary.",
        "FROM python:3.8-slim\nCMD [\"python\", \"-V\"]\n",
        "FROM python:3.13-slim\nCMD [\"python\", \"-V\"]\n",
        "Security Best Practices",
    ),
    // No fix: which supported release to move to (and whether the app runs on it) is a
    // person's decision.
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for stage in &context.model.stages {
        let Base::Image(image) = &stage.base else {
            continue;
        };
        let Some(eol) = knowledge::end_of_life(image) else {
            continue;
        };
        if !eol.is_past() {
            continue;
        }
        let message = if eol.deprecated {
            format!(
                "`{}` is deprecated (since {}) and no longer receives updates: switch to a maintained image such as eclipse-temurin",
                image.raw, eol.date
            )
        } else {
            format!(
                "`{}` is based on {}, which reached end of life on {}: no more security fixes; move to a supported release",
                image.raw,
                eol.label(),
                eol.date
            )
        };
        report.add(
            stage.from,
            super::g5_util::from_image_span(context, stage.index),
            message,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::g5_util::test_support::*;

    #[test]
    fn end_of_life() {
        let f = findings("LL1017", "FROM python:3.8-slim\n");
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("python 3.8") && f[0].message.contains("2024-10-07"),
            "{}",
            f[0].message
        );
        for eol in [
            "python:2.7",
            "node:16-alpine",
            "debian:buster-slim",
            "ubuntu:18.04",
            "alpine:3.18",
            "golang:1.21",
            "ruby:3.0",
            "php:8.0-fpm",
            "python:3.12-buster",
            "openjdk:17",
        ] {
            let text = format!("FROM {eol}\n");
            assert_eq!(findings("LL1017", &text).len(), 1, "{eol}");
        }
        for ok in [
            "python:3.13-slim",
            "node:22",
            "debian:bookworm",
            "ubuntu:24.04",
            "alpine:3.22",
            "nginx:1.27",
            "python:latest",
            "scratch",
        ] {
            let text = format!("FROM {ok}\n");
            assert!(findings("LL1017", &text).is_empty(), "{ok}");
        }
        // Every stage, via ARG too.
        assert_eq!(
            spans("LL1017", "ARG V=3.7\nFROM python:${V} AS b\nFROM b\n"),
            ["python:${V}"]
        );
    }

    #[test]
    fn guide_real_world_examples() {
        assert!(findings("LL1017", FASTAPI).is_empty());
        // Kept: node 18 reached end of life on 2025-04-30 and Go 1.21 on 2024-08-13.
        assert_eq!(findings("LL1017", NEXTJS).len(), 3);
        assert_eq!(findings("LL1017", GO).len(), 1);
    }
}
