//! DL3038: `dnf install` / `microdnf install` without `-y`.

use super::g1_util::rewrite_word_with_flag;
use super::g2_util::{find_verb, head_span, RPM_GROUPS, RPM_VALUE_FLAGS};
use crate::fix::Fix;
use crate::rules::{Category, Context, Docs, Fixability, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3038",
    name: "dnf-assume-yes",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Correctness],
    summary: "Without `-y`, dnf waits for a confirmation that never comes and the build fails.",
    docs: Docs::new(
        "Flags `dnf`, `dnf5` and `microdnf` installs (`install`, `in`, `groupinstall`, \
         `localinstall`, `group|module install`) without `-y` or `--assumeyes`.",
        "A build has no terminal. When dnf asks \"Is this ok [y/N]\" it reads end-of-file, takes \
         the default \"no\" and exits with an error, after it has already spent time (often \
         half a minute or more) downloading repository metadata. A base image whose `dnf.conf` \
         sets `assumeyes` hides the problem until the base changes. `-y` puts the answer in \
         the Dockerfile where it belongs.",
        "FROM fedora:40\nRUN dnf install httpd-2.4.62 && dnf clean all\n",
        "FROM fedora:40\nRUN dnf install -y httpd-2.4.62 && dnf clean all\n",
        "Common Anti-Patterns",
    )
    .with_fix_note(
        "Adds `-y` right after the install verb (`dnf install -y`). Safe: `-y` only answers \
         the confirmation question. A build that succeeds today either never asked it or has \
         `assumeyes` in its dnf configuration, and installs the same packages with the flag; \
         only builds that stopped at the prompt behave differently, by finishing.",
    ),
    fix: Fixability::Safe,
    check,
};

const TOOLS: [&str; 3] = ["dnf", "dnf5", "microdnf"];

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        for (command, part) in run.commands() {
            let Some(tool) = TOOLS.iter().find(|t| command.is(t)) else {
                continue;
            };
            let Some(found) = find_verb(
                command,
                &RPM_VALUE_FLAGS,
                &["install", "in", "groupinstall", "localinstall"],
                &RPM_GROUPS,
            ) else {
                continue;
            };
            if command.has_flag('y') || command.has_long_flag("assumeyes") {
                continue;
            }
            let finding = report.add(
                i,
                head_span(context.model, part, command, found.verb),
                format!(
                    "add `-y` to `{tool} {}` so it does not stop at the confirmation prompt",
                    found.verb.value
                ),
            );
            finding.fix = rewrite_word_with_flag(context, i, part, found.verb, "-y")
                .map(|edit| Fix::safe(format!("Add -y to {tool}"), vec![edit]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::fixed;
    use super::super::g2_util::test_support::spans;

    const CODE: &str = "DL3038";

    #[test]
    fn tools_and_verbs() {
        let text = "FROM fedora:40\nRUN dnf in a-1 && microdnf --nodocs install b-1 && dnf5 -y install c-1 && notdnf install d && dnf --setopt install_weak_deps=0 group install x && dnf -y remove y\n";
        assert_eq!(
            spans(text, CODE),
            vec![
                "dnf in",
                "microdnf --nodocs install",
                "dnf --setopt install_weak_deps=0 group install"
            ]
        );
    }

    #[test]
    fn sh_c_heredoc_exec_form_onbuild() {
        let text = "FROM fedora:40\nRUN <<EOF\ndnf install a-1\nEOF\nRUN sh -c 'dnf install b-1'\nRUN [\"microdnf\", \"install\", \"c-1\"]\nONBUILD RUN dnf install d-1\n";
        assert_eq!(spans(text, CODE).len(), 4);
    }

    #[test]
    fn fix_adds_the_switch() {
        let from = "FROM fedora:40";
        assert_eq!(
            fixed(
                CODE,
                &format!("{from}\nRUN dnf in a-1 && microdnf --nodocs install b-1\n")
            ),
            format!("{from}\nRUN dnf in -y a-1 && microdnf --nodocs install -y b-1\n")
        );
        assert_eq!(
            fixed(CODE, "FROM fedora:40\nRUN sh -c 'dnf5 install c-1'\n"),
            "FROM fedora:40\nRUN sh -c 'dnf5 install -y c-1'\n"
        );
    }
}
