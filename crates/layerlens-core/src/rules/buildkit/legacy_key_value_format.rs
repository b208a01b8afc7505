//! LegacyKeyValueFormat: `ENV key value` / `LABEL key value` (BuildKit's check).

use crate::fix::{Edit, Fix};
use crate::instructions::{KeyValue, Typed};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::text::Span;

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
    )
    .with_fix_note(
        "Replaces the blanks after the key with `=` and, when the value has blanks outside \
         quotes, wraps it in double quotes (a value that already holds quotes or escapes is \
         written again as one double-quoted string with the same content; one that also \
         holds `$` gets no fix). Safe: BuildKit processes the value the same way in both forms, \
         so the variable or label gets exactly the same value (`$` references still expand).",
    ),
    fix: crate::rules::Fixability::Safe,
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
            let edits = fix_edits(context, pair);
            let suggestion = edits.as_ref().and_then(|e| written_pair(context, pair, e));
            let message = match suggestion {
                Some(s) => format!("write `{keyword} {s}`: the legacy `{keyword} key value` form is deprecated and easy to misread"),
                None => format!(
                    "write `{keyword} {}=\"...\"`: in the legacy `{keyword} key value` form the whole rest of the line becomes the value",
                    pair.key.value
                ),
            };
            report.add(i, context.instruction_span(i), message).fix =
                edits.map(|e| Fix::safe(format!("Write `{}=…`", pair.key.value), e));
        }
    }
}

/// The edits that turn a legacy pair into `key=value` with the same value: the blanks
/// after the key become `=`; a value with unquoted blanks is wrapped in double quotes when
/// it holds no quotes or escapes (inside double quotes `$` still expands, so nothing
/// changes), else each unquoted blank gets the escape character. `None` for keys that are
/// not plain words, empty values and values BuildKit could not process (unbalanced quotes).
fn fix_edits(context: &Context, pair: &KeyValue) -> Option<Vec<Edit>> {
    let text = context.model.doc.text.as_str();
    let escape = context.model.doc.directives.escape;
    let key = pair.key.span.slice(text);
    let plain_key =
        !key.is_empty() && key == pair.key.value && !key.contains(['"', '\'', '$', '=', escape]);
    let value = pair.value.value.as_str();
    if !plain_key || value.is_empty() || pair.value.span.start < pair.key.span.end {
        return None;
    }
    let separator = Span::new(pair.key.span.end, pair.value.span.start);
    let blanks = unquoted_blanks(value, escape)?;
    if blanks.is_empty() {
        return Some(vec![Edit::replace(separator, "=")]);
    }
    if !value.contains(['"', '\'', escape]) {
        return Some(vec![
            Edit::replace(separator, "=\""),
            Edit::insert(pair.value.span.end, "\""),
        ]);
    }
    // Quotes or escapes: write the processed value again inside double quotes (only for
    // one-line values without `$`, whose processing is then plain).
    if value.contains('$') || pair.value.span.slice(text) != value {
        return None;
    }
    let literal = processed(value, escape)?;
    let mut quoted = String::with_capacity(literal.len() + 2);
    quoted.push('"');
    for c in literal.chars() {
        if c == '"' || c == '$' || c == escape {
            quoted.push(escape);
        }
        quoted.push(c);
    }
    quoted.push('"');
    Some(vec![
        Edit::replace(separator, "="),
        Edit::replace(pair.value.span, quoted),
    ])
}

/// The value BuildKit's word processing makes of `value` (no `$` in it): quotes removed,
/// escapes resolved. `None` for an open quote or a trailing escape character.
fn processed(value: &str, escape: char) -> Option<String> {
    let mut out = String::with_capacity(value.len());
    let mut quote: Option<char> = None;
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some('\'') if c == '\'' => quote = None,
            Some('\'') => out.push(c),
            Some(_) if c == '"' => quote = None,
            Some(_) if c == escape => {
                let next = chars.next()?;
                // Inside double quotes only `"`, `$` and the escape character are escaped.
                if next != '"' && next != '$' && next != escape {
                    out.push(c);
                }
                out.push(next);
            }
            Some(_) => out.push(c),
            None if c == escape => out.push(chars.next()?),
            None if c == '"' || c == '\'' => quote = Some(c),
            None => out.push(c),
        }
    }
    quote.is_none().then_some(out)
}

/// Offsets of the blanks of `value` outside quotes and not escaped; `None` when a quote
/// is left open.
fn unquoted_blanks(value: &str, escape: char) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    let mut quote: Option<char> = None;
    let mut chars = value.char_indices();
    while let Some((k, c)) = chars.next() {
        match quote {
            Some('\'') => {
                if c == '\'' {
                    quote = None;
                }
            }
            Some(_) => {
                if c == escape {
                    chars.next();
                } else if c == '"' {
                    quote = None;
                }
            }
            None => {
                if c == escape {
                    chars.next();
                } else if c == '"' || c == '\'' {
                    quote = Some(c);
                } else if c == ' ' || c == '\t' {
                    out.push(k);
                }
            }
        }
    }
    quote.is_none().then_some(out)
}

/// The pair as the fix writes it, for the message (one short line only).
fn written_pair(context: &Context, pair: &KeyValue, edits: &[Edit]) -> Option<String> {
    let text = context.model.doc.text.as_str();
    let whole = Span::new(pair.key.span.start, pair.value.span.end);
    let local: Vec<Edit> = edits
        .iter()
        .map(|e| {
            Edit::replace(
                Span::new(e.span.start - whole.start, e.span.end - whole.start),
                e.text.clone(),
            )
        })
        .collect();
    let written = crate::fix::apply(whole.slice(text), &local).ok()?;
    (written.len() <= 80 && !written.contains('\n')).then_some(written)
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

    #[test]
    fn fixes() {
        use crate::rules::hadolint::g4_util::fixed;
        let f = |t: &str| fixed(t, CODE);
        assert_eq!(
            f("FROM s\nENV NODE_ENV production\nlabel version   \"1.0 beta\"\n"),
            "FROM s\nENV NODE_ENV=production\nlabel version=\"1.0 beta\"\n"
        );
        assert_eq!(
            f("FROM s\nENV DEPS curl  git $EXTRA\n"),
            "FROM s\nENV DEPS=\"curl  git $EXTRA\"\n"
        );
        assert_eq!(
            f("FROM s\nENV MSG \"a b\" 'c \"d' e\\f\\\\\n"),
            "FROM s\nENV MSG=\"a b c \\\"d ef\\\\\"\n"
        );
        let dollar_and_quotes = "FROM s\nENV MSG \"a b\" $c\n";
        assert_eq!(f(dollar_and_quotes), dollar_and_quotes);
        assert_eq!(
            f("FROM s\nENV A \\\n    one \\\n    two\n"),
            "FROM s\nENV A=\"one \\\n    two\"\n"
        );
        assert_eq!(
            f("# escape=`\nFROM s\nENV P C:\\x y`z\n"),
            "# escape=`\nFROM s\nENV P=\"C:\\x yz\"\n"
        );
        let unbalanced = "FROM s\nENV A it's\n";
        assert_eq!(f(unbalanced), unbalanced);
    }

    #[test]
    fn fixed_values_read_back_the_same() {
        use crate::instructions::Typed;
        use crate::model::Model;
        for (escape, value) in [
            ("", "production"),
            ("", "a  b\tc"),
            ("", "$HOME/bin:${PATH}"),
            ("", "\"a b\" 'c d' e\\ f"),
            ("", "\"a \\\"b\\\\\" 'c \"d' e\\f\\\\ g \\\""),
            ("", "x\\ny z"),
            ("", "${A:-a b}"),
            ("# escape=`\n", "C:\\a b`c d"),
        ] {
            let text = format!("{escape}FROM s\nENV X=1\nENV V {value}\nLABEL l {value}\n");
            let after = crate::rules::hadolint::g4_util::fixed(&text, CODE);
            assert!(lines(&after, CODE).is_empty(), "{after}");
            let (a, b) = (Model::parse(&text), Model::parse(&after));
            for i in [2, 3] {
                let (Typed::Env(x) | Typed::Label(x)) = &a.typed[i] else {
                    panic!()
                };
                let (Typed::Env(y) | Typed::Label(y)) = &b.typed[i] else {
                    panic!("{after}")
                };
                assert_eq!(
                    a.expand(i, &x[0].value.value),
                    b.expand(i, &y[0].value.value),
                    "{value:?} -> {after}"
                );
            }
        }
    }
}
