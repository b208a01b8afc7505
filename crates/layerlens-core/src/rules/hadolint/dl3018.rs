//! DL3018: `apk add` without pinned versions.

use super::g2_util::{find_verb, word_span};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3018",
    name: "apk-add-pin-versions",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Correctness],
    summary: "Unpinned apk packages make the same Dockerfile build different images over time.",
    docs: Docs::new(
        "Flags each package of `apk add` that carries no version constraint (`pkg=1.2.3-r0`, \
         `pkg~1.2`, `pkg>=1.2`) and is not a local `.apk` file. Virtual package names \
         (`--virtual`/`-t`) and repository URLs (`--repository`/`-X`) are not packages.",
        "`apk add curl` installs whatever the Alpine mirror offers on the day of the build, so \
         two builds of one commit can ship different binaries, and a rebuild months later can \
         pull a new major version that breaks the image. A pin makes upgrades a reviewed change. \
         Alpine repositories keep only the newest build of each package per branch, so an exact \
         `=` pin can stop resolving after a security update; `pkg~1.2` (same minor version, any \
         patch) keeps builds working while still bounding what changes.",
        "FROM alpine:3.20\nRUN apk add --no-cache curl\n",
        "FROM alpine:3.20\nRUN apk add --no-cache curl~8.9\n",
        "Security Best Practices",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

/// apk options that take the next word as their value.
pub(super) const APK_VALUE_FLAGS: [&str; 12] = [
    "-t",
    "--virtual",
    "-X",
    "--repository",
    "-p",
    "--root",
    "--arch",
    "--cache-dir",
    "--keys-dir",
    "--repositories-file",
    "--timeout",
    "--cache-max-age",
];

fn is_pinned(package: &str) -> bool {
    package.contains(['=', '~', '>', '<']) || package.ends_with(".apk")
}

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        for (command, part) in run.commands_named("apk") {
            let Some(add) = find_verb(command, &APK_VALUE_FLAGS, &["add"], &[]) else {
                continue;
            };
            for package in add.operands {
                let name = package.value.as_str();
                if is_pinned(name) {
                    continue;
                }
                report.add(
                    i,
                    word_span(context.model, part, package),
                    format!(
                        "pin `{name}` to a version (`{name}=<version>`, or `{name}~<major.minor>` \
                         to accept patch releases)"
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g2_util::test_support::spans;

    const CODE: &str = "DL3018";

    #[test]
    fn flags_each_unpinned_package() {
        let text =
            "FROM alpine:3.20\nRUN apk add --no-cache curl git=2.45.2-r0 \"jq>1\" ./x.apk bash\n";
        assert_eq!(spans(text, CODE), vec!["curl", "bash"]);
    }

    #[test]
    fn skips_option_values() {
        let text = "FROM alpine:3.20\nRUN apk --repositories-file /etc/r add -t .deps --cache-dir /c gcc~13\n";
        assert!(spans(text, CODE).is_empty());
    }

    #[test]
    fn sees_heredoc_bodies_sh_c_exec_form_and_onbuild() {
        let text = "FROM alpine:3.20\nRUN <<EOF\napk add curl\nEOF\nRUN sh -c 'apk add git'\nRUN [\"apk\", \"add\", \"make\"]\nONBUILD RUN apk add gcc\nRUN cat <<EOF | sh\napk add zip\nEOF\n";
        assert_eq!(spans(text, CODE), vec!["curl", "git", "\"make\"", "gcc"]);
    }

    #[test]
    fn heredoc_fed_to_a_shell_is_checked() {
        let text = "FROM alpine:3.20\nRUN sh <<EOF\napk add curl\nEOF\n";
        assert_eq!(spans(text, CODE), vec!["curl"]);
    }

    #[test]
    fn other_subcommands_are_ignored() {
        let text = "FROM alpine:3.20\nRUN apk del curl && apk info add\n";
        assert!(spans(text, CODE).is_empty());
    }
}
