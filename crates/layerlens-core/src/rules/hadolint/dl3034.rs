//! DL3034: zypper without a non-interactive switch.

use super::g1_util::rewrite_word_with_flag;
use super::g2_util::{head_span, invocation, ZYPPER_VALUE_FLAGS};
use crate::fix::Fix;
use crate::rules::{Category, Context, Docs, Fixability, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3034",
    name: "zypper-non-interactive",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Correctness],
    summary: "Without `-n`/`-y`, zypper waits for an answer that never comes and the build fails.",
    docs: Docs::new(
        "Flags `zypper install`/`in`, `remove`/`rm`, `source-install`/`si` and `patch` without \
         `--non-interactive` (`-n`), `--no-confirm` or `-y`.",
        "A build has no terminal. When zypper asks \"Continue? [y/n/v/...? shows all options]\" \
         it reads end-of-file and aborts, so the RUN fails after zypper has already refreshed \
         repository metadata (tens of megabytes for the openSUSE repositories). `-n` before \
         the subcommand makes every prompt take its default, `-y` after it accepts the \
         installation; either keeps the build unattended.",
        "FROM opensuse/leap:15.6\nRUN zypper install curl=8.6.0 && zypper clean --all\n",
        "FROM opensuse/leap:15.6\nRUN zypper --non-interactive install curl=8.6.0 && zypper clean --all\n",
        "Common Anti-Patterns",
    )
    .with_fix_note(
        "Adds the global option `--non-interactive` right after `zypper`, where it works for \
         every subcommand. Safe: it only makes zypper take the default answer instead of \
         reading one from a terminal the build does not have. A build that succeeds today \
         was never asked, so it does the same with the option; where the default answer is \
         \"no\" (an unknown license or signing key) zypper stops, just as it does now.",
    ),
    fix: Fixability::Safe,
    check,
};

/// Subcommands that can prompt.
const PROMPTING: [&str; 7] = [
    "install",
    "in",
    "remove",
    "rm",
    "source-install",
    "si",
    "patch",
];

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        for (command, part) in run.commands_named("zypper") {
            let Some(inv) = invocation(command, &ZYPPER_VALUE_FLAGS) else {
                continue;
            };
            if !PROMPTING.contains(&inv.sub.value.as_str()) {
                continue;
            }
            let unattended = command.has_flag('n')
                || command.has_flag('y')
                || command.has_long_flag("non-interactive")
                || command.has_long_flag("no-confirm");
            if unattended {
                continue;
            }
            let finding = report.add(
                i,
                head_span(context.model, part, command, inv.sub),
                format!(
                    "run `zypper --non-interactive {}` (or add `-y`) so it does not stop at a prompt",
                    inv.sub.value
                ),
            );
            finding.fix = command
                .words
                .first()
                .and_then(|name| {
                    rewrite_word_with_flag(context, i, part, name, "--non-interactive")
                })
                .map(|edit| Fix::safe("Run zypper with --non-interactive", vec![edit]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::fixed;
    use super::super::g2_util::test_support::spans;

    const CODE: &str = "DL3034";

    #[test]
    fn switches() {
        let text = "FROM opensuse/leap:15.6\nRUN zypper in a=1 && zypper -n in b=1 && zypper rm -y c && zypper --root /x patch && zypper refresh\n";
        assert_eq!(
            spans(text, CODE),
            vec!["zypper in", "zypper --root /x patch"]
        );
    }

    #[test]
    fn sh_c_and_heredoc() {
        let text = "FROM opensuse/leap:15.6\nRUN sh -c 'zypper install a=1'\nRUN <<EOF\nzypper remove b\nEOF\n";
        assert_eq!(spans(text, CODE), vec!["zypper install", "zypper remove"]);
    }

    #[test]
    fn fix_adds_the_switch() {
        let from = "FROM opensuse/leap:15.6";
        assert_eq!(
            fixed(CODE, &format!("{from}\nRUN zypper in a=1 \\\n && /usr/bin/zypper --root /x patch\n")),
            format!("{from}\nRUN zypper --non-interactive in a=1 \\\n && /usr/bin/zypper --non-interactive --root /x patch\n")
        );
        assert_eq!(
            fixed(
                CODE,
                "FROM opensuse/leap:15.6\nRUN [\"zypper\", \"in\", \"a=1\"]\n"
            ),
            "FROM opensuse/leap:15.6\nRUN [\"zypper\", \"--non-interactive\", \"in\", \"a=1\"]\n"
        );
    }
}
