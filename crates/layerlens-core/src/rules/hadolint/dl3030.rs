//! DL3030: `yum install` without `-y`.

use super::g1_util::rewrite_word_with_flag;
use super::g2_util::{find_verb, head_span, RPM_GROUPS, RPM_VALUE_FLAGS};
use crate::fix::Fix;
use crate::rules::{Category, Context, Docs, Fixability, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3030",
    name: "yum-assume-yes",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Correctness],
    summary: "Without `-y`, yum waits for a confirmation that never comes and the build fails.",
    docs: Docs::new(
        "Flags `yum install`, `groupinstall`, `localinstall` and `yum group|module install` \
         without `-y` or `--assumeyes`.",
        "A build has no terminal: when yum asks \"Is this ok [y/N]\" it reads end-of-file, takes \
         it as \"no\" and exits with an error, so the RUN fails after the repository metadata \
         (often tens of megabytes) has already been downloaded. Worse, a base image whose \
         `yum.conf` sets `assumeyes` hides the problem until the base changes. `-y` states the \
         answer in the Dockerfile.",
        "FROM centos:7\nRUN yum install httpd-2.4.6 && yum clean all\n",
        "FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n",
        "Common Anti-Patterns",
    )
    .with_fix_note(
        "Adds `-y` right after the install verb (`yum install -y`). Safe: `-y` only answers \
         the \"Is this ok\" question. A build that succeeds today either never asked it or \
         has `assumeyes` in its yum configuration, and installs the same packages with the \
         flag; only builds that stopped at the prompt behave differently, by finishing.",
    ),
    fix: Fixability::Safe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        for (command, part) in run.commands_named("yum") {
            let Some(found) = find_verb(
                command,
                &RPM_VALUE_FLAGS,
                &["install", "groupinstall", "localinstall"],
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
                    "add `-y` to `yum {}` so it does not stop at the confirmation prompt",
                    found.verb.value
                ),
            );
            finding.fix = rewrite_word_with_flag(context, i, part, found.verb, "-y")
                .map(|edit| Fix::safe("Add -y to yum", vec![edit]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::fixed;
    use super::super::g2_util::test_support::spans;

    const CODE: &str = "DL3030";

    #[test]
    fn install_verbs() {
        let text = "FROM centos:7\nRUN yum install a-1 && yum -y install b-1 && yum --assumeyes groupinstall c && yum module install d:1 && yum -qy localinstall e.rpm && yum remove f\n";
        assert_eq!(spans(text, CODE), vec!["yum install", "yum module install"]);
    }

    #[test]
    fn sh_c_heredoc_exec_form_onbuild() {
        let text = "FROM centos:7\nRUN <<EOF\nyum install a-1\nEOF\nRUN sh -c 'yum install b-1'\nRUN [\"yum\", \"install\", \"c-1\"]\nONBUILD RUN yum install d-1\n";
        assert_eq!(
            spans(text, CODE),
            vec![
                "yum install",
                "yum install",
                "\"yum\", \"install\"",
                "yum install"
            ]
        );
    }

    #[test]
    fn fix_adds_the_switch() {
        let from = "FROM centos:7";
        assert_eq!(
            fixed(
                CODE,
                &format!("{from}\nRUN yum install a-1 \\\n    && yum module install b:1\n")
            ),
            format!("{from}\nRUN yum install -y a-1 \\\n    && yum module install -y b:1\n")
        );
        assert_eq!(
            fixed(CODE, "FROM centos:7\nRUN [\"yum\", \"install\", \"c-1\"]\n"),
            "FROM centos:7\nRUN [\"yum\", \"install\", \"-y\", \"c-1\"]\n"
        );
        assert_eq!(
            fixed(
                CODE,
                "FROM centos:7\nONBUILD RUN <<EOF\nyum groupinstall x\nEOF\n"
            ),
            "FROM centos:7\nONBUILD RUN <<EOF\nyum groupinstall -y x\nEOF\n"
        );
    }
}
