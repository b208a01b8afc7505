//! FromAsCasing: `FROM ... as` / `from ... AS` (BuildKit's check).

use super::g4_util::from_words;
use crate::fix::{Edit, Fix};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "FromAsCasing",
    name: "from-as-casing",
    origin: Origin::Buildkit,
    severity: Severity::Warning,
    categories: &[Category::Maintainability],
    summary: "The `AS` of a FROM should be cased like its `FROM` keyword.",
    docs: Docs::new(
        "Flags a stage declaration whose `AS` keyword is cased differently from its FROM keyword \
         (`FROM image as name`, `from image AS name`). A mixed-case FROM keyword is left to \
         ConsistentInstructionCasing.",
        "Both spellings build the same image, but the file then mixes two conventions on one line, \
         which is the first thing reviewers and formatters trip over. Stage declarations are the \
         lines people scan to understand a multi-stage build; keeping `FROM ... AS` (or \
         `from ... as`) uniform makes them easy to find with one search and keeps `docker build \
         --check` quiet.",
        "FROM node:22-alpine as build\nRUN node --version\n",
        "FROM node:22-alpine AS build\nRUN node --version\n",
        "Multi-Stage Builds",
    )
    .with_fix_note(
        "Rewrites `AS` in the casing of its FROM keyword. Safe: the keyword is \
         case-insensitive, the stage is the same.",
    ),
    fix: crate::rules::Fixability::Safe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let [_, as_word, _, ..] = from_words(context, i) else {
            continue;
        };
        let keyword = &context.instruction(i).command.keyword_text.value;
        let keyword_lower = *keyword == keyword.to_lowercase();
        let keyword_upper = *keyword == keyword.to_uppercase();
        let word = &as_word.value;
        let expected = if keyword_lower && *word != word.to_lowercase() {
            word.to_lowercase()
        } else if !keyword_lower && keyword_upper && *word != word.to_uppercase() {
            word.to_uppercase()
        } else {
            continue;
        };
        let fix = Fix::safe(
            format!("Write `{expected}`"),
            vec![Edit::replace(as_word.span, expected.clone())],
        );
        report
            .add(
                i,
                as_word.span,
                format!(
                    "write `{expected}` to match the `{keyword}` keyword of this stage declaration"
                ),
            )
            .fix = Some(fix);
    }
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::{findings, lines};

    #[test]
    fn as_must_follow_from() {
        let text =
            "FROM scratch AS BadStageName\n\nFROM scratch as base2\n\nFROM scratch AS base3\n";
        assert_eq!(lines(text, "FromAsCasing"), vec![3]);
        let text = "from scratch AS base\n\nfrom scratch as base2\n";
        assert_eq!(lines(text, "FromAsCasing"), vec![1]);
        assert!(findings(text, "FromAsCasing")[0].1.contains("`as`"));
    }

    #[test]
    fn mixed_case_from_is_left_to_consistent_casing() {
        assert!(lines("From scratch as base\n", "FromAsCasing").is_empty());
        assert!(lines("FROM scratch\n", "FromAsCasing").is_empty());
    }

    #[test]
    fn skip_directive() {
        let text = "#check=skip=ConsistentInstructionCasing,FromAsCasing\nFROM scratch as base\ncopy Dockerfile .\n";
        assert!(lines(text, "FromAsCasing").is_empty());
        let text =
            "#check=skip=ConsistentInstructionCasing\nFROM scratch as base\ncopy Dockerfile .\n";
        assert_eq!(lines(text, "FromAsCasing"), vec![2]);
        assert!(lines(text, "ConsistentInstructionCasing").is_empty());
    }

    #[test]
    fn fixes() {
        use crate::rules::hadolint::g4_util::fixed;
        assert_eq!(
            fixed(
                "FROM node as build\nfrom node AS run\nFROM node \\\n  As x\n",
                "FromAsCasing"
            ),
            "FROM node AS build\nfrom node as run\nFROM node \\\n  AS x\n"
        );
    }
}
