//! LL1019: BuildKit-only syntax without a `# syntax=` directive.

use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::syntax::Keyword;

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
    ),
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    if context.model.doc.directives.syntax.is_some() {
        return;
    }
    let mut first = None;
    let mut count = 0;
    for i in 0..context.len() {
        let instruction = context.instruction(i);
        let command = instruction.effective_command();
        let flags: &[&str] = match command.keyword {
            Keyword::Run => &["mount", "network", "security", "device"],
            Keyword::Copy => &["link", "chmod", "parents", "exclude"],
            Keyword::Add => &[
                "link",
                "chmod",
                "checksum",
                "keep-git-dir",
                "exclude",
                "unpack",
            ],
            _ => continue,
        };
        let found = command
            .flags
            .iter()
            .find(|f| flags.contains(&f.name()))
            .map(|f| (f.text.span, format!("`--{}`", f.name())))
            .or_else(|| {
                instruction
                    .heredocs
                    .first()
                    .map(|h| (h.word, "a heredoc".to_string()))
            });
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
        report.add(
            i,
            span,
            format!(
                "{what} needs BuildKit's Dockerfile frontend{more}: add `# syntax=docker/dockerfile:1` as the first line so every builder parses this file the same way"
            ),
        );
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
}
