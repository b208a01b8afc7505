//! DL3023: `COPY --from` naming its own stage.

use super::g2_util::copy_from;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3023",
    name: "copy-from-own-stage",
    origin: Origin::Hadolint,
    severity: Severity::Error,
    categories: &[Category::Correctness],
    summary: "A stage cannot copy from itself; the build stops with a dependency error.",
    docs: Docs::new(
        "Flags `COPY --from=<x>` inside the stage that `<x>` names, by its name (compared \
         without regard to case, as BuildKit does) or by its index.",
        "A stage's files only exist once the stage has finished, so `COPY --from` of the stage \
         being built cannot work: BuildKit rejects the whole build with a circular dependency \
         error before running a single step, and the message points at the graph rather than \
         the line. It is usually a copy-paste slip: the COPY was meant for the next stage, or \
         the `--from` should name the build stage.",
        "FROM node:22 AS web\nRUN npm ci && npm run build\nCOPY --from=web /app/dist /srv\n",
        "FROM node:22 AS web\nRUN npm ci && npm run build\nFROM nginx:1.27-alpine\nCOPY --from=web /app/dist /usr/share/nginx/html\n",
        "Multi-Stage Builds",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(stage) = context.stage_of(i) else {
            continue;
        };
        let Some(from) = copy_from(context, i) else {
            continue;
        };
        let Some(name) = from.resolved.as_deref() else {
            continue;
        };
        let own_name = context
            .model
            .stages
            .get(stage)
            .and_then(|s| s.name.as_deref())
            .is_some_and(|n| n.eq_ignore_ascii_case(name));
        let own_index = name.parse::<usize>().is_ok_and(|n| n == stage);
        if !(own_name || own_index) {
            continue;
        }
        report.add(
            i,
            from.span,
            format!(
                "`--from={name}` is the stage this COPY belongs to; copy from an earlier stage \
                 or move the COPY to a later one"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::g2_util::test_support::spans;

    const CODE: &str = "DL3023";

    #[test]
    fn by_name_any_case_and_by_index() {
        let text = "FROM alpine:3.20 AS App\nCOPY --from=app /a /a\nCOPY --from=0 /b /b\nFROM alpine:3.20\nCOPY --from=app /c /c\n";
        assert_eq!(spans(text, CODE), vec!["--from=app", "--from=0"]);
    }

    #[test]
    fn onbuild_is_not_judged() {
        // The trigger runs in a child build whose stages are unknown here.
        let text = "FROM alpine:3.20 AS app\nONBUILD COPY --from=app /a /a\n";
        assert!(spans(text, CODE).is_empty());
    }
}
