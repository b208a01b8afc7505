//! DL3024: two stages with the same name.

use std::collections::HashMap;

use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3024",
    name: "unique-stage-names",
    origin: Origin::Hadolint,
    severity: Severity::Error,
    categories: &[Category::Correctness],
    summary: "Stage names must be unique, or `--from` and `--target` cannot tell the stages apart.",
    docs: Docs::new(
        "Flags a `FROM ... AS <name>` whose name was already given to an earlier stage. Names \
         are compared without regard to case, because BuildKit lower-cases them \
         (`AS Build` and `AS build` clash).",
        "A name can point at only one stage, so `COPY --from=build`, `FROM build` and \
         `docker build --target build` silently pick one of the duplicates and ignore the other: \
         the image gets files from a stage you did not mean, and the mistake only shows at run \
         time. BuildKit reports the clash as an error-level build check (DuplicateStageName). \
         Duplicates usually come from pasting a stage block; give each stage a name that says \
         what it produces (`deps`, `build`, `test`, `runtime`).",
        "FROM node:22 AS build\nRUN npm ci\nFROM node:22 AS build\nRUN npm run build\n",
        "FROM node:22 AS deps\nRUN npm ci\nFROM deps AS build\nRUN npm run build\n",
        "Multi-Stage Builds",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    // Lower-cased name -> line of the FROM that first used it.
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for stage in &context.model.stages {
        let Typed::From(from) = context.typed(stage.from) else {
            continue;
        };
        let (Some(name), Some(name_text)) = (from.name.as_deref(), from.name_text.as_ref()) else {
            continue;
        };
        let line = context.instruction(stage.from).start_line;
        match seen.get(name) {
            Some(first) => {
                report.add(
                    stage.from,
                    name_text.span,
                    format!(
                        "the stage name `{name}` is already used by the stage on line {first}; \
                         rename one of them"
                    ),
                );
            }
            None => {
                seen.insert(name, line);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g2_util::test_support::findings;

    const CODE: &str = "DL3024";

    #[test]
    fn case_insensitive_and_reported_once_per_repeat() {
        let text = "FROM alpine:3.20 AS a\nFROM alpine:3.20 AS A\nFROM alpine:3.20 AS b\nFROM alpine:3.20 AS a\n";
        let found = findings(text, CODE);
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].0, found[0].1.as_str()), (2, "A"));
        assert_eq!((found[1].0, found[1].1.as_str()), (4, "a"));
        assert!(found[0].2.contains("line 1"));
    }
}
