//! DL4005: `ln` over /bin/sh instead of SHELL.

use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL4005",
    name: "use-shell-instruction",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Maintainability, Category::Correctness],
    summary: "Replacing /bin/sh with a symlink changes the shell for everything in the image; SHELL changes it for the build only.",
    docs: Docs::new(
        "Flags an `ln` command in a RUN (also in heredoc scripts, `sh -c` strings, exec form and \
         ONBUILD triggers) that takes `/bin/sh` as an argument, typically \
         `ln -sf /bin/bash /bin/sh`.",
        "Re-pointing `/bin/sh` swaps the system shell of the image: every package maintainer \
         script, `system()` call and cron job in the final container now runs under bash (or \
         whatever was linked), and the next package upgrade of `dash` or `bash` may silently \
         restore the old link. If the goal is to run the Dockerfile's RUN instructions with \
         bash, `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` does exactly that, is \
         visible in the Dockerfile and does not touch the filesystem.",
        "FROM debian:bookworm-slim\nRUN ln -sf /bin/bash /bin/sh\nRUN echo $((1 + 1))\n",
        "FROM debian:bookworm-slim\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN echo $((1 + 1))\n",
        "Common Anti-Patterns",
    ),
    // No fix: replacing the /bin/sh symlink changes the shell of the running container too.
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        for (command, part) in run.commands_named("ln") {
            if !command.args().iter().any(|w| w.value == "/bin/sh") {
                continue;
            }
            report.add(
                i,
                part.command_span(context.model, command),
                "this `ln` replaces `/bin/sh` for the whole image; to run RUN instructions with another shell, set it with `SHELL [\"/bin/bash\", \"-c\"]` instead",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::lines;

    const CODE: &str = "DL4005";

    #[test]
    fn hadolint_cases() {
        assert_eq!(
            lines("FROM a\nRUN ln -sfv /bin/bash /bin/sh\n", CODE),
            vec![2]
        );
        assert_eq!(
            lines("FROM a\nONBUILD RUN ln -sfv /bin/bash /bin/sh\n", CODE),
            vec![2]
        );
        assert!(lines("FROM a\nRUN ln -sf /bin/true /sbin/initctl\n", CODE).is_empty());
        assert!(lines(
            "FROM a\nRUN ln -s foo bar && unrelated && something_with /bin/sh\n",
            CODE
        )
        .is_empty());
    }

    #[test]
    fn sees_heredocs_and_sh_c() {
        assert_eq!(
            lines(
                "FROM a\nRUN <<EOF\nset -e\nln -sf /bin/bash /bin/sh\nEOF\n",
                CODE
            ),
            vec![4]
        );
        assert_eq!(
            lines("FROM a\nRUN sh -c 'ln -sf /bin/bash /bin/sh'\n", CODE),
            vec![2]
        );
    }
}
