//! DL3002: the last USER of a stage is root.

use super::g1_util::{expand_at, Expanded};
use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3002",
    name: "last-user-not-root",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Security],
    summary: "A container left running as root turns any bug in the app into root access to the container.",
    docs: Docs::new(
        "Flags a `USER root` (or `0`, `root:<group>`, `0:<gid>`) that is the last USER of its \
         stage. A stage built `FROM` such a stage without its own USER inherits root, and the \
         root USER line is reported once. Like hadolint, every stage is checked.",
        "Whatever the last USER is, CMD and ENTRYPOINT run as that user. As root, a remote-code \
         bug in the app can write anywhere in the container, install tools, read every mounted \
         secret and, with a runtime or kernel flaw, escape to the host; Kubernetes policies with \
         `runAsNonRoot` refuse to start such images at all. Switching back to an unprivileged \
         user after the root-only steps costs nothing.",
        "FROM debian:bookworm-slim\nRUN useradd --create-home app\nUSER root\nCMD [\"bash\"]\n",
        "FROM debian:bookworm-slim\nRUN useradd --create-home app\nUSER app\nCMD [\"bash\"]\n",
        "Security Best Practices",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for stage in &context.model.stages {
        let last_user = stage
            .instructions
            .iter()
            .rev()
            .find_map(|&i| match context.typed(i) {
                Typed::User(user) => Some((i, user)),
                _ => None,
            });
        let Some((i, user)) = last_user else { continue };
        let value = match expand_at(context.model, i, &user.value) {
            Expanded::Known(v) => v,
            Expanded::Unknown => continue,
        };
        let name = value.split(':').next().unwrap_or("");
        if name == "root" || name == "0" {
            report.add(
                i,
                user.span,
                format!(
                    "stage `{}` ends as `{value}`: switch to an unprivileged user (`USER app` or a numeric UID) after the steps that need root",
                    stage.label()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::{count, spans};

    #[test]
    fn root_forms() {
        assert_eq!(spans("DL3002", "FROM a:1\nUSER root\n"), ["root"]);
        assert_eq!(count("DL3002", "FROM a:1\nUSER 0:0\n"), 1);
        assert_eq!(count("DL3002", "FROM a:1\nUSER root:wheel\n"), 1);
        assert_eq!(count("DL3002", "FROM a:1\nUSER rooter\n"), 0);
        assert_eq!(count("DL3002", "FROM a:1\nUSER root\nRUN x\nUSER app\n"), 0);
        // A USER before any FROM is not a stage's user.
        assert_eq!(count("DL3002", "USER root\nFROM a:1\n"), 0);
        // ONBUILD USER applies to child images, not this one.
        assert_eq!(count("DL3002", "FROM a:1\nONBUILD USER root\n"), 0);
    }

    #[test]
    fn variables() {
        assert_eq!(count("DL3002", "FROM a:1\nARG U=root\nUSER $U\n"), 1);
        assert_eq!(count("DL3002", "FROM a:1\nARG U\nUSER $U\n"), 0);
        assert_eq!(count("DL3002", "FROM a:1\nENV U=app\nUSER ${U}\n"), 0);
    }
}
