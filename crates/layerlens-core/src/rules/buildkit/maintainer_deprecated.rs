//! MaintainerDeprecated: the MAINTAINER instruction (BuildKit's check).

use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::syntax::Keyword;

pub static RULE: Rule = Rule {
    code: "MaintainerDeprecated",
    name: "maintainer-deprecated",
    origin: Origin::Buildkit,
    severity: Severity::Warning,
    categories: &[Category::Maintainability],
    summary: "MAINTAINER is deprecated; the OCI author label is what tools read.",
    docs: Docs::new(
        "Flags every MAINTAINER instruction.",
        "MAINTAINER only fills the legacy `Author` field of the image configuration, which registries, \
         scanners and `docker inspect` label queries ignore; the OCI annotation \
         `org.opencontainers.image.authors` set with LABEL is the standard place for it, sits next \
         to the other metadata labels and can be filtered with `docker images --filter label=...`. \
         MAINTAINER may be removed from the Dockerfile syntax in a future release.",
        "FROM alpine:3.20\nMAINTAINER Jane Doe <jane@example.com>\n",
        "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\"\n",
        "Production Optimizations",
    )
    .with_fix_note(
        "Replaces the instruction with `LABEL org.opencontainers.image.authors=\"…\"`, \
         keeping the text exactly (quotes, `$` and the escape character are escaped so the \
         label reads back as written) and the file's keyword casing. Safe: only image \
         metadata changes, from the legacy Author field to the standard label. No fix when \
         the stage already sets that label (which value should win is the author's call).",
    ),
    fix: crate::rules::Fixability::Safe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let instruction = context.instruction(i);
        if instruction.keyword() != Keyword::Maintainer {
            continue;
        }
        let who = match context.typed(i) {
            Typed::Maintainer(who) => who.value.trim().to_string(),
            _ => instruction.command.rest.value.trim().to_string(),
        };
        let message = if who.is_empty() {
            "MAINTAINER is deprecated; record the author with `LABEL org.opencontainers.image.authors=...`"
                .to_string()
        } else {
            format!(
                "MAINTAINER is deprecated; write `LABEL org.opencontainers.image.authors=\"{}\"` instead",
                who.replace('"', "\\\"")
            )
        };
        report.add(i, context.keyword_span(i), message).fix =
            crate::rules::hadolint::g4_util::maintainer_fix(context, i);
    }
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::{findings, lines};

    #[test]
    fn flags_maintainer() {
        let text = "\nFROM scratch\nMAINTAINER me@example.org\n";
        assert_eq!(lines(text, "MaintainerDeprecated"), vec![3]);
        assert!(findings(text, "MaintainerDeprecated")[0]
            .1
            .contains("authors=\"me@example.org\""));
        let text = "\nFROM scratch\nLABEL org.opencontainers.image.authors=\"me@example.org\"\n";
        assert!(lines(text, "MaintainerDeprecated").is_empty());
    }

    #[test]
    fn local_skip() {
        let text = "\nFROM scratch\n# check=skip=MaintainerDeprecated\nMAINTAINER me@example.org\n";
        assert!(lines(text, "MaintainerDeprecated").is_empty());
    }

    #[test]
    fn fixes() {
        use crate::rules::hadolint::g4_util::fixed;
        assert_eq!(
            fixed(
                "FROM scratch\nmaintainer Jane \"JD\" Doe $HOME\n",
                "MaintainerDeprecated"
            ),
            "FROM scratch\nlabel org.opencontainers.image.authors=\"Jane \\\"JD\\\" Doe \\$HOME\"\n"
        );
    }
}
