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
        report.add(i, context.keyword_span(i), message).fix =
            super::g4_util::maintainer_fix(context, i);
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

    #[test]
    fn fixes() {
        use super::super::g4_util::fixed;
        let f = |t: &str| fixed(t, "DL4000");
        assert_eq!(
            f("FROM debian\nMAINTAINER Jane Doe <jane@example.com>\nRUN true\n"),
            "FROM debian\nLABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\"\nRUN true\n"
        );
        assert_eq!(
            f("from debian\nmaintainer \"Jo\" $USER \\x\n"),
            "from debian\nlabel org.opencontainers.image.authors=\"\\\"Jo\\\" \\$USER \\\\x\"\n"
        );
        assert_eq!(
            f("# escape=`\nFROM debian\nMAINTAINER a`b \"c\"\n"),
            "# escape=`\nFROM debian\nLABEL org.opencontainers.image.authors=\"a``b `\"c`\"\"\n"
        );
        assert_eq!(
            f("FROM debian\nMAINTAINER Jane \\\n  Doe\n"),
            "FROM debian\nLABEL org.opencontainers.image.authors=\"Jane   Doe\"\n"
        );
        for unfixable in [
            "MAINTAINER x\nFROM debian\n",
            "FROM debian\nLABEL org.opencontainers.image.authors=y\nMAINTAINER x\n",
            "FROM debian\nMAINTAINER x \\\n# c\n  y\n",
        ] {
            assert_eq!(f(unfixable), unfixable);
        }
    }

    #[test]
    fn fixed_label_reads_back_as_written() {
        use crate::instructions::Typed;
        use crate::model::Model;
        let fixed = super::super::g4_util::fixed(
            "FROM debian\nMAINTAINER \"Jo\" $USER \\x 'q'\n",
            "DL4000",
        );
        let model = Model::parse(&fixed);
        let Typed::Label(pairs) = &model.typed[1] else {
            panic!("{fixed}");
        };
        let value = model.expand(1, &pairs[0].value.value).unwrap();
        assert_eq!(value, "\"Jo\" $USER \\x 'q'");
    }
}
