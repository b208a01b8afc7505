//! LL1019: BuildKit-only syntax without a `# syntax=` directive.

use super::g5_fix_util::Style;
use super::g5_util::buildkit_feature;
use crate::fix::{Edit, Fix};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::syntax::NodeKind;

pub static RULE: Rule = Rule {
    code: "LL1019",
    name: "pin-dockerfile-frontend",
    origin: Origin::Layerlens,
    severity: Severity::Info,
    categories: &[Category::Maintainability, Category::Correctness],
    summary: "A `# syntax=` line pins the Dockerfile frontend that understands these features.",
    docs: Docs::new(
        "Flags the first use of BuildKit-only syntax (`RUN --mount`, `--network`, `--security`, \
         heredocs, `COPY --link`, `--chmod`, `--parents`, `--exclude`, `ADD --checksum`, \
         `--keep-git-dir`) in a file without a `# syntax=` directive.",
        "Without the directive the Dockerfile is parsed by whatever frontend the builder has \
         built in: an old Docker Engine, the legacy builder (`DOCKER_BUILDKIT=0`) or another \
         tool rejects these flags or, for heredocs, misreads the file. `# syntax=docker/dockerfile:1` \
         makes BuildKit fetch a current frontend (a few MB, cached) so every machine and CI \
         runner parses the file the same way and gets new features and fixes.",
        "FROM python:3.13-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n",
        "# syntax=docker/dockerfile:1\nFROM python:3.13-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n",
        "Build Performance",
    )
    .with_fix_note(
        "Inserts `# syntax=docker/dockerfile:1` as the file's first line (after a byte-order \
         mark, before any other directive). Safe: the instructions and what they build stay \
         the same; the line only names the frontend that already has to parse them (BuildKit \
         pulls that frontend image when it builds).",
    ),
    fix: crate::rules::Fixability::Safe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    if context.model.doc.directives.syntax.is_some() {
        return;
    }
    let mut first = None;
    let mut count = 0;
    for i in 0..context.len() {
        let found = buildkit_feature(context, i);
        if let Some((span, what)) = found {
            count += 1;
            first.get_or_insert((i, span, what));
        }
    }
    if let Some((i, span, what)) = first {
        let more = if count > 1 {
            format!(" (and {} more instruction(s))", count - 1)
        } else {
            String::new()
        };
        let style = Style::of(context.model);
        // After a byte-order mark; directives may follow in any order.
        let at = context
            .model
            .doc
            .nodes
            .first()
            .filter(|n| n.kind == NodeKind::ByteOrderMark)
            .map_or(0, |n| n.span.end);
        report
            .add(
                i,
                span,
                format!(
                    "{what} needs BuildKit's Dockerfile frontend{more}: add `# syntax=docker/dockerfile:1` as the first line so every builder parses this file the same way"
                ),
            )
            .fix = Some(Fix::safe(
            "Add `# syntax=docker/dockerfile:1`",
            vec![Edit::insert(
                at,
                format!("# syntax=docker/dockerfile:1{}", style.newline),
            )],
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::g5_util::test_support::*;

    #[test]
    fn buildkit_syntax() {
        let text = "FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\nCOPY --link a /a\n";
        let f = findings("LL1019", text);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].span.slice(text),
            "--mount=type=cache,target=/var/cache/apk"
        );
        assert!(f[0].message.contains("1 more"));
        assert_eq!(
            spans("LL1019", "FROM alpine\nRUN <<EOF\necho hi\nEOF\n"),
            ["<<EOF"]
        );
        assert_eq!(
            findings("LL1019", "FROM alpine\nCOPY --chmod=755 a /a\n").len(),
            1
        );
        assert!(findings(
            "LL1019",
            "# syntax=docker/dockerfile:1\nFROM alpine\nRUN <<EOF\necho hi\nEOF\n"
        )
        .is_empty());
        assert!(findings("LL1019", "FROM alpine\nCOPY --chown=1:1 a /a\nRUN echo\n").is_empty());
        for text in [FASTAPI, NEXTJS, GO] {
            assert!(findings("LL1019", text).is_empty());
        }
    }

    #[test]
    fn fixes() {
        assert_eq!(
            fixed("LL1019", "FROM alpine\nCOPY --link a /a\n"),
            "# syntax=docker/dockerfile:1\nFROM alpine\nCOPY --link a /a\n"
        );
        // After a byte-order mark, before other directives, CRLF kept.
        assert_eq!(
            fixed(
                "LL1019",
                "\u{feff}# escape=`\r\nFROM alpine\r\nRUN <<EOF\r\necho hi\r\nEOF\r\n"
            ),
            "\u{feff}# syntax=docker/dockerfile:1\r\n# escape=`\r\nFROM alpine\r\nRUN <<EOF\r\necho hi\r\nEOF\r\n"
        );
        let text =
            "# check=error=true\nFROM alpine\nONBUILD RUN --mount=type=cache,target=/x true\n";
        let out = fixed("LL1019", text);
        assert!(out.starts_with("# syntax=docker/dockerfile:1\n# check=error=true\n"));
        let model = crate::model::Model::parse(&out);
        assert!(model.doc.directives.syntax.is_some());
        assert!(model.doc.directives.check.is_some());
    }
}
