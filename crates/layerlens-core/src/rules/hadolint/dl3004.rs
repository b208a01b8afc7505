//! DL3004: sudo inside RUN.

use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3004",
    name: "no-sudo",
    origin: Origin::Hadolint,
    severity: Severity::Error,
    categories: &[Category::Security, Category::Correctness],
    summary: "RUN already runs as the current USER; sudo adds a setuid binary, a TTY quirk and a password prompt that can hang the build.",
    docs: Docs::new(
        "Flags `sudo` anywhere in a RUN (also inside `sh -c` strings, heredoc scripts, exec form \
         and ONBUILD triggers).",
        "A build step runs as whatever USER is set, so privileges are chosen with USER, not sudo. \
         sudo must be installed (several MB with its PAM and plugin files), it leaves a setuid-root \
         binary in the image for any later exploit to use, it may prompt for a password and hang \
         the build until a CI timeout, and it resets the environment so ENV values such as PATH \
         or proxies silently disappear. Switch with `USER root` for the privileged steps and back \
         to the app user afterwards; at runtime use `gosu`/`su-exec` in an entrypoint if you \
         must drop privileges.",
        "FROM debian:bookworm-slim\nUSER app\nRUN sudo apt-get update\n",
        "FROM debian:bookworm-slim\nUSER root\nRUN apt-get update\nUSER app\n",
        "Security Best Practices",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        for (command, part) in run.commands_named("sudo") {
            let span = command
                .words
                .first()
                .map(|w| part.span(context.model, &w.range))
                .unwrap_or_else(|| part.command_span(context.model, command));
            report.add(
                i,
                span,
                "drop `sudo`: set `USER root` before this RUN (and switch back after) instead",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::{count, spans};

    #[test]
    fn sudo_anywhere() {
        assert_eq!(
            spans("DL3004", "FROM a:1\nRUN sudo make install\n"),
            ["sudo"]
        );
        assert_eq!(
            count("DL3004", "FROM a:1\nRUN apt-get install -y sudo\n"),
            0
        );
        assert_eq!(count("DL3004", "FROM a:1\nRUN bash -c \"sudo ls\"\n"), 1);
        assert_eq!(count("DL3004", "FROM a:1\nRUN [\"sudo\", \"ls\"]\n"), 1);
        assert_eq!(
            count("DL3004", "FROM a:1\nRUN <<EOF\nset -e\nsudo ls\nEOF\n"),
            1
        );
        assert_eq!(count("DL3004", "FROM a:1\nONBUILD RUN sudo ls\n"), 1);
    }
}
