//! LegacyKeyValueFormat: `ENV key value` / `LABEL key value` (BuildKit's check).

use crate::instructions::{KeyValue, Typed};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "LegacyKeyValueFormat",
    name: "legacy-key-value-format",
    origin: Origin::Buildkit,
    severity: Severity::Warning,
    categories: &[Category::Maintainability],
    summary: "`ENV key value` takes the whole rest of the line as the value; `key=value` says what you mean.",
    docs: Docs::new(
        "Flags ENV and LABEL written in the legacy whitespace form (`ENV NAME value`), where the \
         first word has no `=`. (`ARG a b` declares two ARGs and is not affected.)",
        "In the legacy form everything after the first space, including further spaces, quotes \
         and what looks like more pairs, becomes one value: `ENV PORT 80 HOST 0.0.0.0` sets PORT \
         to `80 HOST 0.0.0.0` and the app then fails to bind. The form also allows only one \
         variable per instruction, and Docker has deprecated it. `ENV PORT=80 HOST=0.0.0.0` is \
         unambiguous and sets both in one step.",
        "FROM node:22-slim\nENV NODE_ENV production\n",
        "FROM node:22-slim\nENV NODE_ENV=production\n",
        "Common Anti-Patterns",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let pairs = match context.typed(i) {
            Typed::Env(pairs) | Typed::Label(pairs) => pairs,
            _ => continue,
        };
        let keyword = &context.instruction(i).command.keyword_text.value;
        for pair in pairs.iter().filter(|p| p.legacy) {
            let message = match suggestion(pair) {
                Some(s) => format!("write `{keyword} {s}`: the legacy `{keyword} key value` form is deprecated and easy to misread"),
                None => format!(
                    "write `{keyword} {}=\"...\"`: in the legacy `{keyword} key value` form the whole rest of the line becomes the value",
                    pair.key.value
                ),
            };
            report.add(i, context.instruction_span(i), message);
        }
    }
}

/// `key=value` (quoted when needed) for short one-line values.
fn suggestion(pair: &KeyValue) -> Option<String> {
    let value = &pair.value.value;
    if value.len() > 60 || value.contains(['\n', '\\']) {
        return None;
    }
    let already_quoted = value.len() >= 2
        && ((value.starts_with('"') && value.ends_with('"'))
            || (value.starts_with('\'') && value.ends_with('\'')));
    if already_quoted || !value.contains(char::is_whitespace) && !value.is_empty() {
        return Some(format!("{}={value}", pair.key.value));
    }
    (!value.contains('"')).then(|| format!("{}=\"{value}\"", pair.key.value))
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::{findings, lines};

    const CODE: &str = "LegacyKeyValueFormat";

    #[test]
    fn buildkit_cases() {
        assert_eq!(
            lines("\nFROM scratch\nENV testkey value\nLABEL key value\n", CODE),
            vec![3, 4]
        );
        assert!(lines("\nFROM scratch\nENV testkey=value\nLABEL key=value\n", CODE).is_empty());
        let text = "\nFROM scratch AS a\n\nFROM a AS b\nENV testkey value\nLABEL key value\n\nFROM a AS c\n";
        assert_eq!(lines(text, CODE), vec![5, 6]);
        let text = "\nFROM scratch\n# check=skip=LegacyKeyValueFormat\nENV testkey value\n# check=skip=LegacyKeyValueFormat\nLABEL key value\n";
        assert!(lines(text, CODE).is_empty());
    }

    #[test]
    fn arg_is_not_a_pair_and_messages_suggest_the_fix() {
        assert!(lines("FROM scratch\nARG a b\n", CODE).is_empty());
        let f = findings("FROM scratch\nENV DEPS curl git\n", CODE);
        assert!(f[0].1.contains("`ENV DEPS=\"curl git\"`"), "{f:?}");
        let f = findings("from scratch\nenv PORT 80\n", CODE);
        assert!(f[0].1.contains("`env PORT=80`"), "{f:?}");
    }
}
