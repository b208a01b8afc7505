//! DL4000: MAINTAINER is deprecated.

use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::syntax::Keyword;

pub static RULE: Rule = Rule {
    code: "DL4000",
    name: "maintainer-deprecated",
    origin: Origin::Hadolint,
    severity: Severity::Error,
    categories: &[Category::Maintainability],
    summary: "MAINTAINER is deprecated; record the author in the OCI `authors` label.",
    docs: Docs::new(
        "Flags every MAINTAINER instruction, wherever it appears.",
        "MAINTAINER only fills the legacy `Author` field of the image configuration, which \
         registries, SBOM tools and `docker inspect --format '{{ .Config.Labels }}'` ignore. The \
         OCI annotation `org.opencontainers.image.authors`, set with LABEL, is where tooling \
         looks for an owner, next to the source URL and version labels, and it can be queried \
         with `docker images --filter label=...`. MAINTAINER may be dropped from the syntax in \
         a future release.",
        "FROM debian:bookworm-slim\nMAINTAINER Jane Doe <jane@example.com>\n",
        "FROM debian:bookworm-slim\nLABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\"\n",
        "Production Optimizations",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let instruction = context.instruction(i);
        if instruction.keyword() != Keyword::Maintainer {
            continue;
        }
        let who = match context.typed(i) {
            Typed::Maintainer(who) => who.value.trim(),
            _ => instruction.command.rest.value.trim(),
        };
        let message = if who.is_empty() {
            "MAINTAINER is deprecated: use `LABEL org.opencontainers.image.authors=\"...\"`"
                .to_string()
        } else {
            format!(
                "MAINTAINER is deprecated: use `LABEL org.opencontainers.image.authors=\"{}\"`",
                who.replace('"', "\\\"")
            )
        };
        report.add(i, context.keyword_span(i), message);
    }
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::{findings, lines};

    #[test]
    fn flags_maintainer_anywhere() {
        assert_eq!(lines("MAINTAINER Lukas\nFROM debian\n", "DL4000"), vec![1]);
        let f = findings("FROM busybox\nMAINTAINER hudu@mail.com\n", "DL4000");
        assert!(f[0].1.contains("authors=\"hudu@mail.com\""), "{f:?}");
        assert!(lines("FROM debian\nLABEL maintainer=x\n", "DL4000").is_empty());
    }
}
