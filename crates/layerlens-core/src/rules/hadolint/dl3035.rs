//! DL3035: `zypper dist-upgrade`.

use super::g2_util::{head_span, invocation, ZYPPER_VALUE_FLAGS};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3035",
    name: "no-zypper-dist-upgrade",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Correctness, Category::Size],
    summary: "A distribution upgrade inside a build gives a different image on every rebuild.",
    docs: Docs::new(
        "Flags `zypper dist-upgrade` and its short form `zypper dup`.",
        "`dist-upgrade` moves every installed package to whatever the repositories hold today, \
         allowing vendor changes and package removals. The result depends on the day of the \
         build, adds a layer that duplicates much of the base image (often 100 MB or more, as \
         changed files are stored again), and can turn a Leap base into something its \
         maintainers never tested. Use a newer base image tag for system updates, and \
         `zypper patch` or pinned installs for targeted fixes.",
        "FROM opensuse/leap:15.6\nRUN zypper --non-interactive dup && zypper clean --all\n",
        "FROM opensuse/leap:15.6\nRUN zypper --non-interactive patch && zypper clean --all\n",
        "Common Anti-Patterns",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        for (command, part) in run.commands_named("zypper") {
            let Some(inv) = invocation(command, &ZYPPER_VALUE_FLAGS) else {
                continue;
            };
            if !matches!(inv.sub.value.as_str(), "dist-upgrade" | "dup") {
                continue;
            }
            report.add(
                i,
                head_span(context.model, part, command, inv.sub),
                "avoid `zypper dist-upgrade` in a build; move to a newer base image tag instead",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g2_util::test_support::spans;

    const CODE: &str = "DL3035";

    #[test]
    fn both_spellings_everywhere() {
        let text = "FROM opensuse/leap:15.6\nRUN zypper -n dup\nRUN sh -c 'zypper dist-upgrade -y'\nONBUILD RUN zypper dup\nRUN zypper up\n";
        assert_eq!(
            spans(text, CODE),
            vec!["zypper -n dup", "zypper dist-upgrade", "zypper dup"]
        );
    }
}
