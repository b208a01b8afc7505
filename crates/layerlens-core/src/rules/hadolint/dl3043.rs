//! DL3043: ONBUILD triggering ONBUILD, FROM or MAINTAINER.

use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::syntax::{Args, Keyword};

pub static RULE: Rule = Rule {
    code: "DL3043",
    name: "onbuild-forbidden-trigger",
    origin: Origin::Hadolint,
    severity: Severity::Error,
    categories: &[Category::Correctness],
    summary: "Docker refuses ONBUILD triggers that are ONBUILD, FROM or MAINTAINER.",
    docs: Docs::new(
        "Flags `ONBUILD ONBUILD …`, `ONBUILD FROM …` and `ONBUILD MAINTAINER …`.",
        "An ONBUILD trigger runs as the first step of every image built FROM this one. Docker \
         rejects chained ONBUILD and FROM or MAINTAINER triggers outright, so the Dockerfile \
         fails to build (or, with an older builder, the downstream build fails), costing a \
         broken pipeline for everyone who uses the base image.",
        "FROM node:22-alpine\nONBUILD FROM node:22-alpine\n",
        "FROM node:22-alpine\nONBUILD COPY package.json package-lock.json ./\n",
        "Common Anti-Patterns",
    ),
    // No fix: whether the trigger should be dropped or run in this image is the author's call.
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let command = &context.instruction(i).command;
        let Args::OnBuild(inner) = &command.args else {
            continue;
        };
        let what = match inner.keyword {
            Keyword::Onbuild => "ONBUILD cannot trigger another ONBUILD",
            Keyword::From => {
                "ONBUILD cannot trigger FROM; a stage is chosen by the child's own FROM"
            }
            Keyword::Maintainer => {
                "ONBUILD cannot trigger MAINTAINER; set a LABEL in this image instead"
            }
            _ => continue,
        };
        report.add(i, inner.keyword_text.span, what);
    }
}
