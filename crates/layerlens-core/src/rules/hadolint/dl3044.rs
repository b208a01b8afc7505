//! DL3044: an ENV value referring to a variable set by the same ENV.

use super::g3_util::{lookup, var_refs};
use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

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
    ),
    fix: crate::rules::Fixability::None,
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
        for pair in pairs {
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
                report.add(
                    i,
                    pair.value.span,
                    format!(
                        "`${name}` here reads the value from before this ENV, not the `{name}` \
                         it sets; set `{name}` in an earlier ENV instruction"
                    ),
                );
                reported.push(name);
            }
        }
    }
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
}
