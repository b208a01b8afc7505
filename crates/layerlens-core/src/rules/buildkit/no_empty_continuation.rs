//! NoEmptyContinuation: a blank line inside a `\`-continued instruction (BuildKit's check).

use crate::fix::{Edit, Fix};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::syntax::PieceKind;
use crate::text::Span;

pub static RULE: Rule = Rule {
    code: "NoEmptyContinuation",
    name: "no-empty-continuation",
    origin: Origin::Buildkit,
    severity: Severity::Warning,
    categories: &[Category::Correctness],
    summary: "A blank line inside a continued instruction is skipped today and will be an error later.",
    docs: Docs::new(
        "Flags an instruction continued with `\\` whose continuation contains a blank (or \
         whitespace-only) line. Comment lines inside a continuation are fine; heredoc bodies are \
         not affected.",
        "Today BuildKit silently skips the blank line and joins what follows into the same \
         instruction, so a blank line that looks like the end of a RUN actually glues the next \
         line onto it: the build runs a different command than the one you see. Docker has \
         announced that empty continuation lines will become a hard parse error, which would \
         break the build outright. Removing the line (or replacing it with a `#` comment) keeps \
         the meaning explicit.",
        "FROM debian:bookworm-slim\nRUN apt-get update && \\\n    apt-get install -y --no-install-recommends curl && \\\n\n    rm -rf /var/lib/apt/lists/*\n",
        "FROM debian:bookworm-slim\nRUN apt-get update && \\\n    apt-get install -y --no-install-recommends curl && \\\n    # clean the package lists\n    rm -rf /var/lib/apt/lists/*\n",
        "Common Anti-Patterns",
    )
    .with_fix_note(
        "Deletes the blank lines inside the continuation. Safe: BuildKit already skips them \
         when it joins the lines, so the instruction it reads is byte for byte the same.",
    ),
    fix: crate::rules::Fixability::Safe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let instruction = context.instruction(i);
        if !instruction.has_empty_continuation_line {
            continue;
        }
        let blanks: Vec<Span> = instruction
            .pieces
            .iter()
            .filter(|p| p.kind == PieceKind::EmptyContinuationLine)
            .map(|p| p.span)
            .collect();
        let Some(first) = blanks.first() else {
            continue;
        };
        // Highlight the blank line itself, without its line break.
        let text = first.slice(&context.model.doc.text);
        let content = text.trim_end_matches(['\n', '\r']).len();
        let span = Span::new(first.start, first.start + content);
        let keyword = instruction.command.keyword_text.value.to_uppercase();
        let message = if blanks.len() == 1 {
            format!("blank line inside this continued {keyword}: delete it or turn it into a `#` comment")
        } else {
            format!(
                "{} blank lines inside this continued {keyword}: delete them or turn them into `#` comments",
                blanks.len()
            )
        };
        let edits = blanks.iter().map(|b| Edit::delete(*b)).collect();
        report.add(i, span, message).fix = Some(Fix::safe("Delete the blank lines", edits));
    }
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::lines;

    #[test]
    fn one_warning_per_instruction() {
        let text = "\nFROM scratch\n# warning: empty continuation line\nCOPY Dockerfile \\\n\n.\nCOPY Dockerfile \\\n.\n";
        assert_eq!(lines(text, "NoEmptyContinuation"), vec![5]);
        let text = "FROM alpine\nRUN a \\\n\n  \n b\n";
        assert_eq!(lines(text, "NoEmptyContinuation"), vec![3]);
    }

    #[test]
    fn comments_and_heredocs_are_fine() {
        let text = "FROM alpine\nRUN a \\\n# note\n b\nRUN <<EOF\necho a\n\necho b\nEOF\n";
        assert!(lines(text, "NoEmptyContinuation").is_empty());
    }

    #[test]
    fn skip_directive() {
        let text = "# check=skip=NoEmptyContinuation\nFROM alpine\nRUN a \\\n\n b\n";
        assert!(lines(text, "NoEmptyContinuation").is_empty());
    }

    #[test]
    fn fixes() {
        use crate::rules::hadolint::g4_util::fixed;
        let code = "NoEmptyContinuation";
        assert_eq!(
            fixed(
                "FROM d\nRUN a && \\\n\n    b && \\\n  \t\n    # c\n\n    d\nRUN e\n",
                code
            ),
            "FROM d\nRUN a && \\\n    b && \\\n    # c\n    d\nRUN e\n"
        );
        assert_eq!(
            fixed("# escape=`\r\nFROM d\r\nRUN a `\r\n\r\n  b\r\n", code),
            "# escape=`\r\nFROM d\r\nRUN a `\r\n  b\r\n"
        );
    }
}
