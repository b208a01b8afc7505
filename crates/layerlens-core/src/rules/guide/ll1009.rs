//! LL1009: a full base image where the same image has a slim variant.

use super::g5_util::{final_chain, from_image_span, root_of, Root};
use crate::knowledge::{self, SlimKind};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "LL1009",
    name: "prefer-slim-base",
    origin: Origin::Layerlens,
    severity: Severity::Info,
    categories: &[Category::Size],
    summary: "The full variant carries compilers and tools the running app never uses.",
    docs: Docs::new(
        "Flags the final image's base when it is the full variant of an official image that \
         publishes a smaller one: python, node and ruby (`-slim`), openjdk and eclipse-temurin \
         (JDK where a JRE suffices), and golang (a toolchain image shipped as the runtime). \
         Build stages may keep full images: their tools are what they are for.",
        "Full variants are built on buildpack-deps with gcc, headers, git and more: python:3.12 \
         is about 411 MB compressed against about 43 MB for python:3.12-slim, and node:22 \
         about 405 MB against about 78 MB for node:22-slim. That is what every pull, deploy \
         and scale-out downloads, and every extra package is more to patch. Start from the \
         slim variant and install the few libraries the app needs.",
        "FROM python:3.13\nWORKDIR /app\nCOPY . .\nCMD [\"python\", \"app.py\"]\n",
        "FROM python:3.13-slim\nWORKDIR /app\nCOPY . .\nCMD [\"python\", \"app.py\"]\n",
        "Image Size Optimization",
    ),
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
    let Some(slim) = knowledge::slim_variant(image) else {
        return;
    };
    let sizes = match (&slim.current_size, &slim.suggested_size) {
        (Some(cur), Some(new)) => {
            let measured = if cur.version == new.version {
                format!(" (measured for {}:{})", cur.image, cur.version)
            } else {
                String::new()
            };
            format!(
                ": {} compressed instead of {}{measured}",
                new.compressed, cur.compressed
            )
        }
        _ => String::new(),
    };
    let message = match slim.kind {
        SlimKind::Suffix => format!(
            "the final image is based on full `{}`; `{}` leaves out {}{sizes}",
            image.raw, slim.suggestion, slim.left_out
        ),
        SlimKind::JdkToJre => format!(
            "the final image ships a JDK (`{}`); running an application needs only a JRE such as `{}`, which leaves out {}{sizes}",
            image.raw, slim.suggestion, slim.left_out
        ),
        SlimKind::MultiStage => format!(
            "the final image is the Go toolchain (`{}`): build in it as a stage and copy the binary onto a small base (scratch, distroless or alpine); {}{sizes}",
            image.raw, slim.left_out
        ),
    };
    report.add(
        context.model.stages[stage].from,
        from_image_span(context, stage),
        message,
    );
}

#[cfg(test)]
mod tests {
    use super::super::g5_util::test_support::*;

    #[test]
    fn full_bases() {
        let f = findings("LL1009", "FROM python:3.12\nCMD [\"python\"]\n");
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("python:3.12-slim"));
        assert!(
            f[0].message
                .contains("~43 MB compressed instead of ~411 MB"),
            "{}",
            f[0].message
        );
        assert_eq!(
            spans(
                "LL1009",
                "FROM node:20 AS base\nFROM base\nCMD [\"node\"]\n"
            ),
            ["node:20"]
        );
        assert!(findings("LL1009", "FROM eclipse-temurin:21-jdk\n")[0]
            .message
            .contains("21-jre"));
        assert_eq!(
            findings("LL1009", "FROM golang:1.23\nRUN go build\n").len(),
            1
        );
        // Build stages may be full; small variants and other images are fine.
        assert!(findings("LL1009", "FROM golang:1.23 AS build\nRUN go build -o /x\nFROM scratch\nCOPY --from=build /x /x\n").is_empty());
        for ok in [
            "FROM python:3.13-slim\n",
            "FROM node:22-alpine\n",
            "FROM nginx:1.27\n",
            "FROM myorg/python:3\n",
        ] {
            assert!(findings("LL1009", ok).is_empty(), "{ok}");
        }
    }

    #[test]
    fn guide_examples() {
        assert_eq!(findings("LL1009", "FROM python:3.13\n").len(), 1);
        for text in [FASTAPI, NEXTJS, GO] {
            assert!(findings("LL1009", text).is_empty());
        }
    }
}
