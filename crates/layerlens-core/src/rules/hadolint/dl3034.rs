//! DL3034: zypper without a non-interactive switch.

use super::g2_util::{head_span, invocation, ZYPPER_VALUE_FLAGS};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

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
    ),
    fix: crate::rules::Fixability::None,
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
            report.add(
                i,
                head_span(context.model, part, command, inv.sub),
                format!(
                    "run `zypper --non-interactive {}` (or add `-y`) so it does not stop at a prompt",
                    inv.sub.value
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
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
}
