//! DL1001: inline ignore pragmas (off unless enabled).

use crate::rules::pragma::{parse_pragma, Pragma};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::syntax::NodeKind;
use crate::text::Span;

pub static RULE: Rule = Rule {
    code: "DL1001",
    name: "no-inline-ignore-pragma",
    origin: Origin::Hadolint,
    severity: Severity::Ignore,
    categories: &[Category::Maintainability],
    summary: "Inline ignore comments silence checks one instruction at a time, out of sight of the team's shared configuration.",
    docs: Docs::new(
        "Flags every `# hadolint ignore=...` (or `# layerlens ignore=...`) comment placed above an \
         instruction. Off by default: enable it (for example with `override: warning: [DL1001]`) \
         when suppressions must go through the shared configuration instead.",
        "Each inline pragma turns a check off for one instruction, and nobody reviewing the lint \
         setup sees it: a repository can collect dozens of silenced pin, root-user or cleanup \
         findings that ship to production. Central CI setups forbid them so that every exception \
         is written once, in `.hadolint.yaml` (`ignored:` or a severity override), where it is \
         reviewed. The finding cannot be silenced by another inline pragma, only by the \
         configuration or a `global ignore`.",
        "FROM debian:bookworm-slim\n# hadolint ignore=DL3008\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n    && rm -rf /var/lib/apt/lists/*\n",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \\\n    && rm -rf /var/lib/apt/lists/*\n",
        "Common Anti-Patterns",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    // Reported without an instruction, so that an inline pragma (even one naming DL1001) can
    // never silence the finding about itself; only configuration or `global ignore` can.
    let doc = &context.model.doc;
    for node in &doc.nodes {
        if node.kind != NodeKind::Comment {
            continue;
        }
        // The comment line without its line break (which the pragma grammar does not allow).
        let text = doc.slice(node.span).trim_end_matches(['\r', '\n']);
        if !matches!(parse_pragma(text), Some(Pragma::Ignore(_))) {
            continue;
        }
        let start = node.span.start + (text.len() - text.trim_start().len());
        let span = Span::new(start, node.span.start + text.trim_end().len());
        report.add_file(
            span,
            "inline ignore pragma: record this exception in the shared lint configuration instead",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::{count, spans};

    #[test]
    fn flags_inline_pragmas_only() {
        let text = "FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get install -y curl\n";
        assert_eq!(spans("DL1001", text), ["# hadolint ignore=DL3008"]);
        assert_eq!(
            count(
                "DL1001",
                "# hadolint global ignore=DL3008\nFROM debian:12\n"
            ),
            0
        );
        assert_eq!(
            count("DL1001", "# hadolint stage ignore=DL3008\nFROM debian:12\n"),
            0
        );
        assert_eq!(
            count("DL1001", "# hadolint shell=bash\nFROM debian:12\n"),
            0
        );
        assert_eq!(
            count("DL1001", "# layerlens ignore=DL3008\nFROM debian:12\n"),
            1
        );
    }

    #[test]
    fn a_pragma_cannot_silence_itself() {
        let text = "FROM debian:12\n# hadolint ignore=DL1001\nRUN true\n";
        assert_eq!(count("DL1001", text), 1);
        // Stacked pragmas: each one is reported.
        let text = "FROM debian:12\n# hadolint ignore=DL1001\n# hadolint ignore=DL3003\nRUN cd /\n";
        assert_eq!(count("DL1001", text), 2);
        // Only the global form or the configuration turns it off. (The global pragma is
        // the last line, without a line break, as a global pragma may be anywhere.)
        let text =
            "FROM debian:12\n# hadolint ignore=DL3003\nRUN cd /\n# hadolint global ignore=DL1001";
        assert_eq!(count("DL1001", text), 0);
        let text = "FROM debian:12\n# hadolint ignore=DL3003\nRUN cd /\n";
        let config = crate::rules::Config {
            ignored: vec!["DL1001".into()],
            ..Default::default()
        };
        let model = crate::model::Model::parse(text);
        let options = crate::rules::LintOptions {
            keep_off_by_default: true,
        };
        let findings = crate::rules::lint(&model, &config, None, &options);
        assert!(findings.iter().all(|f| f.code != "DL1001"));
    }
}
