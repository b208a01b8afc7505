//! ConsistentInstructionCasing: keywords cased against the file's majority (BuildKit's check).

use super::g4_util::from_words;
use crate::fix::{Edit, Fix};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::syntax::Keyword;

pub static RULE: Rule = Rule {
    code: "ConsistentInstructionCasing",
    name: "consistent-instruction-casing",
    origin: Origin::Buildkit,
    severity: Severity::Warning,
    categories: &[Category::Maintainability],
    summary: "Instruction keywords should all be upper-case or all lower-case.",
    docs: Docs::new(
        "Counts the instruction keywords of every stage as written (all-lower vs all-upper; \
         instructions before the first FROM and ONBUILD triggers do not count) and flags each \
         keyword that differs from the majority casing; mixed-case keywords such as `Run` are \
         always flagged. Ties count as upper-case.",
        "Keywords are case-insensitive, so `Run` and `RUN` build the same thing, but a file that \
         mixes them is harder to scan: instruction boundaries stop standing out, and searches or \
         scripts that grep for `^RUN` silently miss the lower-case ones (a common way for a \
         cleanup step or a secret-handling RUN to escape review). One casing everywhere keeps \
         the structure visible.",
        "FROM alpine:3.20\nrun apk add --no-cache curl\nCOPY app /app\nCMD [\"/app/run\"]\n",
        "FROM alpine:3.20\nRUN apk add --no-cache curl\nCOPY app /app\nCMD [\"/app/run\"]\n",
        "Common Anti-Patterns",
    )
    .with_fix_note(
        "Rewrites the keyword in the majority casing (and, on a FROM, its `AS` to match, so \
         FromAsCasing does not start firing). Safe: keywords are case-insensitive, the \
         instruction is the same.",
    ),
    fix: crate::rules::Fixability::Safe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    // The FROM of each stage and every instruction in a stage, as written.
    let counted: Vec<usize> = (0..context.len())
        .filter(|&i| context.stage_of(i).is_some())
        .filter(|&i| context.instruction(i).keyword() != Keyword::Unknown)
        .collect();
    let (mut lower, mut upper) = (0usize, 0usize);
    for &i in &counted {
        let keyword = &context.instruction(i).command.keyword_text.value;
        if *keyword == keyword.to_lowercase() {
            lower += 1;
        } else if *keyword == keyword.to_uppercase() {
            upper += 1;
        }
    }
    let majority_lower = lower > upper;
    for &i in &counted {
        let keyword = &context.instruction(i).command.keyword_text.value;
        let (expected, casing) = if majority_lower {
            (keyword.to_lowercase(), "lower-case")
        } else {
            (keyword.to_uppercase(), "upper-case")
        };
        if *keyword == expected {
            continue;
        }
        let mut edits = vec![Edit::replace(context.keyword_span(i), expected.clone())];
        if let [_, as_word, _, ..] = from_words(context, i) {
            let as_expected = if majority_lower { "as" } else { "AS" };
            if as_word.value != as_expected {
                edits.push(Edit::replace(as_word.span, as_expected));
            }
        }
        let fix = Fix::safe(format!("Write `{expected}`"), edits);
        report.add(
            i,
            context.keyword_span(i),
            format!(
                "write `{expected}`: most instructions in this file are {casing} ({lower} lower, {upper} upper)"
            ),
        )
        .fix = Some(fix);
    }
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::{findings, lines};

    const CODE: &str = "ConsistentInstructionCasing";

    #[test]
    fn buildkit_cases() {
        assert_eq!(
            lines("\n#\nFrom scratch as base\nFROM scratch AS base2\n", CODE),
            vec![3]
        );
        assert_eq!(
            lines(
                "\nFROM scratch\ncopy Dockerfile /foo\nCOPY Dockerfile /bar\n",
                CODE
            ),
            vec![3]
        );
        let text = "\n#\nfrOM scratch as base\nfrom scratch as base2\n";
        assert_eq!(lines(text, CODE), vec![3]);
        assert!(findings(text, CODE)[0].1.contains("`from`"));
        assert_eq!(
            lines(
                "\nfrom scratch\nCOPY Dockerfile /foo\ncopy Dockerfile /bar\n",
                CODE
            ),
            vec![3]
        );
        assert_eq!(
            lines("\nfrom scratch\nCOPY Dockerfile /foo\nCOPY Dockerfile /bar\nCOPY Dockerfile /baz\n", CODE),
            vec![2]
        );
        assert_eq!(
            lines("\nFROM scratch\ncopy Dockerfile /foo\ncopy Dockerfile /bar\ncopy Dockerfile /baz\n", CODE),
            vec![2]
        );
        assert!(lines(
            "\nfrom scratch\ncopy Dockerfile /foo\ncopy Dockerfile /bar\n",
            CODE
        )
        .is_empty());
        assert!(lines(
            "\nFROM scratch\nCOPY Dockerfile /foo\nCOPY Dockerfile /bar\n",
            CODE
        )
        .is_empty());
        assert!(lines("\nFROM alpine\nRUN <<'EOT'\nenv\nEOT\n", CODE).is_empty());
    }

    #[test]
    fn meta_args_and_onbuild_triggers_do_not_count() {
        let text = "arg V=1\nFROM alpine\nONBUILD run echo hi\nRUN echo\n";
        assert!(lines(text, CODE).is_empty());
    }

    #[test]
    fn skip_all_and_file_level_error() {
        assert!(lines(
            "#check=skip=all\nFROM scratch as base\ncopy Dockerfile .\n",
            CODE
        )
        .is_empty());
        let text = "#check=error=true\nFROM scratch\ncopy Dockerfile .\n";
        assert_eq!(
            super::super::g4_util::severities(text, CODE),
            vec![crate::rules::Severity::Error]
        );
    }

    #[test]
    fn fixes() {
        use crate::rules::hadolint::g4_util::fixed;
        assert_eq!(
            fixed(
                "From alpine as base\nrun echo \\\n  hi\nCOPY a /a\nCmd [\"x\"]\n",
                CODE
            ),
            "FROM alpine AS base\nRUN echo \\\n  hi\nCOPY a /a\nCMD [\"x\"]\n"
        );
        assert_eq!(
            fixed(
                "from alpine AS base\nrun echo hi\nCOPY a /a\nonbuild RUN x\n",
                CODE
            ),
            "from alpine AS base\nrun echo hi\ncopy a /a\nonbuild RUN x\n"
        );
        // FromAsCasing stays quiet after the fix.
        let text = "From alpine as base\nRUN echo\n";
        let after = fixed(text, CODE);
        assert!(
            super::super::g4_util::lines(&after, "FromAsCasing").is_empty(),
            "{after}"
        );
    }
}
