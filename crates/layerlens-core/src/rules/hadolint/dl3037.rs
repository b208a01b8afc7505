//! DL3037: `zypper install` without pinned versions.

use super::g2_util::{invocation, word_span, ZYPPER_VALUE_FLAGS};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3037",
    name: "zypper-pin-versions",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Correctness],
    summary: "Unpinned zypper packages make the same Dockerfile build different images over time.",
    docs: Docs::new(
        "Flags each package of `zypper install`/`in` without a version constraint (`pkg=1.2`, \
         `pkg>=1.2`, `pkg<2`) that is not an `.rpm` file.",
        "`zypper install nginx` installs the newest build in the repositories on the day of the \
         build, so the same commit can produce different images, and a rebuild to pick up a \
         base image fix can also pull in a new upstream release of every unpinned package. A \
         version constraint (`nginx=1.21.5`, or `nginx<1.22` to accept maintenance updates) \
         keeps rebuilds predictable and makes upgrades a deliberate, reviewed change.",
        "FROM opensuse/leap:15.6\nRUN zypper --non-interactive install nginx && zypper clean --all\n",
        "FROM opensuse/leap:15.6\nRUN zypper --non-interactive install nginx=1.21.5 && zypper clean --all\n",
        "Security Best Practices",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

/// Options of `zypper install` that take the next word as their value.
const INSTALL_VALUE_FLAGS: [&str; 6] = ["-t", "--type", "-r", "--repo", "--from", "--download"];

fn is_pinned(package: &str) -> bool {
    package.contains(['=', '>', '<']) || package.ends_with(".rpm")
}

fn check(context: &Context, report: &mut Report) {
    let value_flags: Vec<&str> = ZYPPER_VALUE_FLAGS
        .iter()
        .chain(INSTALL_VALUE_FLAGS.iter())
        .copied()
        .collect();
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        for (command, part) in run.commands_named("zypper") {
            let Some(inv) = invocation(command, &value_flags) else {
                continue;
            };
            if !matches!(inv.sub.value.as_str(), "install" | "in") {
                continue;
            }
            for package in inv.rest {
                let name = package.value.as_str();
                if is_pinned(name) {
                    continue;
                }
                report.add(
                    i,
                    word_span(context.model, part, package),
                    format!(
                        "pin the version of `{name}` (`{name}=<version>`, or a range such as `{name}>=<version>`)"
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g2_util::test_support::spans;

    const CODE: &str = "DL3037";

    #[test]
    fn constraints_and_option_values() {
        let text = "FROM opensuse/leap:15.6\nRUN zypper -n --root /r in -t pattern -r oss a=1 'b>=2' c\\<3 d.rpm e\n";
        assert_eq!(spans(text, CODE), vec!["e"]);
    }

    #[test]
    fn sh_c_heredoc_exec_form() {
        let text = "FROM opensuse/leap:15.6\nRUN <<EOF\nzypper -n in a\nEOF\nRUN sh -c 'zypper -n install b'\nRUN [\"zypper\", \"-n\", \"in\", \"c\"]\n";
        assert_eq!(spans(text, CODE), vec!["a", "b", "\"c\""]);
    }
}
