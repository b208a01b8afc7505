//! DL3044: an ENV value referring to a variable set by the same ENV.

use super::g3_util::{line_ending, lookup, var_refs};
use crate::fix::{Edit, Fix};
use crate::instructions::KeyValue;
use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::text::Span;

pub static RULE: Rule = Rule {
    code: "DL3044",
    name: "env-self-reference",
    origin: Origin::Hadolint,
    severity: Severity::Error,
    categories: &[Category::Correctness],
    summary: "All pairs of one ENV see the old environment, so a reference to a sibling pair reads the old value.",
    docs: Docs::new(
        "Flags an `ENV a=… b=…` where one pair's value refers (`$a`, `${a}`, `${a:-x}`) to a \
         variable that another pair of the same ENV defines, unless that variable already \
         had a value before this ENV (from an ENV or ARG of the stage or a parent stage). A \
         pair referring to itself (`PATH=/opt/bin:$PATH`) is fine.",
        "Docker expands every value of one ENV instruction against the environment as it was \
         before the instruction. `ENV DIR=/app BIN=$DIR/bin` therefore sets BIN to `/bin`, \
         not `/app/bin`: the image builds fine and fails at run time when a program is not \
         found where BIN points, a bug that costs a debugging session to trace back.",
        "FROM alpine:3.20\nENV APP_HOME=/srv/app APP_BIN=${APP_HOME}/bin\n",
        "FROM alpine:3.20\nENV APP_HOME=/srv/app\nENV APP_BIN=${APP_HOME}/bin\n",
        "Common Anti-Patterns",
    )
    .with_fix_note(
        "Splits the ENV right before the pair that makes the reference: that pair and the \
         ones after it move to a new ENV on the next line (same keyword, continuation lines \
         kept), so the reference reads the value set just above. Only offered when every \
         other definition of the name comes earlier in the ENV. Unsafe: the variable gets \
         a different value than today (the one the author most likely meant), and so may \
         other references in the moved pairs.",
    ),
    fix: crate::rules::Fixability::Unsafe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Typed::Env(pairs) = context.typed(i) else {
            continue;
        };
        if pairs.len() < 2 {
            continue;
        }
        // How many pairs define each name (one ENV may set a name twice).
        let mut defined: std::collections::HashMap<&str, usize> = Default::default();
        for pair in pairs {
            *defined.entry(pair.key.value.as_str()).or_default() += 1;
        }
        for (k, pair) in pairs.iter().enumerate() {
            let mut reported: Vec<String> = Vec::new();
            for name in var_refs(&pair.value.value) {
                let own = usize::from(pair.key.value == name);
                let defined_elsewhere = defined.get(name.as_str()).copied().unwrap_or(0) > own;
                if !defined_elsewhere
                    || lookup(context, i, &name).is_some()
                    || reported.contains(&name)
                {
                    continue;
                }
                let fix = split_fix(context, i, pairs, k, &name);
                report
                    .add(
                        i,
                        pair.value.span,
                        format!(
                        "`${name}` here reads the value from before this ENV, not the `{name}` \
                         it sets; set `{name}` in an earlier ENV instruction"
                    ),
                    )
                    .fix = fix;
                reported.push(name);
            }
        }
    }
}

/// The fix starting a new ENV at pair `k` (which refers to `name`), when every other
/// definition of `name` in this ENV comes before it.
fn split_fix(context: &Context, i: usize, pairs: &[KeyValue], k: usize, name: &str) -> Option<Fix> {
    // Before the first FROM a new instruction would be one more error.
    context.stage_of(i)?;
    let (before, after) = pairs.split_at(k);
    let pair = after.first()?;
    if after.iter().skip(1).any(|p| p.key.value == name) {
        return None;
    }
    let previous = before.last()?;
    let end = if previous.value.span.is_empty() {
        previous.key.span.end
    } else {
        previous.value.span.end
    };
    let separator = Span::new(end, pair.key.span.start);
    let text = context.model.doc.text.as_str();
    let between = separator.slice(text);
    if separator.is_empty()
        || between.contains('#')
        || !between
            .trim()
            .chars()
            .all(|c| c == context.model.doc.directives.escape)
    {
        return None;
    }
    let keyword = &context.instruction(i).command.keyword_text.value;
    let newline = line_ending(text, separator.start);
    Some(Fix::unsafe_(
        format!("Set `{}` in a new ENV after `{name}`", pair.key.value),
        vec![Edit::replace(separator, format!("{newline}{keyword} "))],
    ))
}

#[cfg(test)]
mod tests {
    use crate::model::Model;
    use crate::rules::{lint, Config, LintOptions};

    fn count(text: &str) -> usize {
        let options = LintOptions {
            keep_off_by_default: true,
        };
        lint(&Model::parse(text), &Config::default(), None, &options)
            .iter()
            .filter(|f| f.code == "DL3044")
            .count()
    }

    #[test]
    fn scope_and_syntax() {
        // A global ARG is not visible in the stage unless redeclared.
        assert_eq!(count("ARG A=1\nFROM x\nENV A=2 B=$A\n"), 1);
        assert_eq!(count("FROM x\nARG A=1\nENV A=2 B=$A\n"), 0);
        // Inherited from a parent stage.
        assert_eq!(count("FROM x AS p\nENV A=1\nFROM p\nENV A=2 B=$A\n"), 0);
        assert_eq!(count("FROM x\nENV A=1 B=${A:-d}\n"), 1);
        assert_eq!(count("FROM x\nENV A=1 B='$A'\n"), 0);
        assert_eq!(count("FROM x\nENV A=1 B=\\$A\n"), 0);
    }

    #[test]
    fn fixes() {
        use super::super::g4_util::fixed;
        let f = |t: &str| fixed(t, "DL3044");
        assert_eq!(
            f("FROM x\nENV APP_HOME=/srv/app APP_BIN=${APP_HOME}/bin\n"),
            "FROM x\nENV APP_HOME=/srv/app\nENV APP_BIN=${APP_HOME}/bin\n"
        );
        assert_eq!(
            f("FROM x\nenv A=1 \\\n    B=$A \\\n    C=$B \\\n    D=2\n"),
            "FROM x\nenv A=1\nenv B=$A\nenv C=$B \\\n    D=2\n"
        );
        assert_eq!(
            f("# escape=`\r\nFROM x\r\nENV A=1 `\r\n  B=$A\r\n"),
            "# escape=`\r\nFROM x\r\nENV A=1\r\nENV B=$A\r\n"
        );
        for unfixable in [
            "FROM x\nENV B=$A A=1\n",
            "FROM x\nENV A=1 B=$A A=2\n",
            "FROM x\nENV A=1 \\\n# c\n  B=$A\n",
            "ENV A=1 B=$A\nFROM x\n",
        ] {
            assert_eq!(f(unfixable), unfixable);
        }
    }
}
