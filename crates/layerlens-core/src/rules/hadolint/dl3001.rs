//! DL3001: interactive or system-management commands inside RUN.

use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3001",
    name: "no-interactive-or-system-commands",
    origin: Origin::Hadolint,
    severity: Severity::Info,
    categories: &[Category::Correctness],
    summary: "A build step has no terminal, no init system and no running services to manage.",
    docs: Docs::new(
        "Flags RUN commands that only make sense on a live machine with a user at the keyboard: \
         `ssh`, `vim`, `top`, `ps`, `free`, `kill`, `mount`, `service`, `shutdown`.",
        "Every RUN is a fresh, non-interactive process whose effects are frozen into a layer: \
         `vim` waits for a keyboard forever (the build hangs until a CI timeout, often 60 minutes), \
         `service x start` starts a daemon that dies with the step, `ps`/`top`/`free` report on a \
         throwaway sandbox, `mount` needs privileges a build does not have, and `ssh` needs keys \
         that must not end up in a layer. Edit files with COPY or `sed`, start services from CMD \
         or ENTRYPOINT, and use `RUN --mount=type=ssh` for private repositories.",
        "FROM debian:bookworm-slim\nRUN service nginx start\n",
        "FROM debian:bookworm-slim\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n",
        "Common Anti-Patterns",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

/// hadolint's set (its message also names `ifconfig`, which it does not check).
const COMMANDS: [&str; 9] = [
    "free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim",
];

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        // Most RUNs call none of these: ask the name index before walking the commands.
        if !COMMANDS.iter().any(|name| run.has_command(name)) {
            continue;
        }
        for (command, part) in run.commands() {
            let Some(name) = command.basename() else {
                continue;
            };
            if !COMMANDS.contains(&name) {
                continue;
            }
            let hint = match name {
                "vim" => "edit files with COPY or `sed -i` instead of an interactive editor",
                "service" | "shutdown" => {
                    "start services from CMD/ENTRYPOINT; nothing started here outlives this RUN"
                }
                "ssh" => {
                    "fetch private sources with `RUN --mount=type=ssh` and git, not an ssh session"
                }
                "mount" => "use `RUN --mount=...` flags instead of mounting inside the build",
                _ => "it only reports on or acts on a throwaway build sandbox",
            };
            report.add(
                i,
                command
                    .words
                    .first()
                    .map(|w| part.span(context.model, &w.range))
                    .unwrap_or_else(|| part.command_span(context.model, command)),
                format!("`{name}` has no use in a build step: {hint}"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::{count, spans};

    #[test]
    fn finds_commands_everywhere() {
        assert_eq!(spans("DL3001", "FROM a:1\nRUN top -b -n1\n"), ["top"]);
        assert_eq!(
            count("DL3001", "FROM a:1\nRUN apt-get install -y ssh vim\n"),
            0
        );
        assert_eq!(
            count("DL3001", "FROM a:1\nRUN sh -c 'service nginx start'\n"),
            1
        );
        assert_eq!(
            count("DL3001", "FROM a:1\nRUN [\"/usr/bin/vim\", \"x\"]\n"),
            1
        );
        assert_eq!(count("DL3001", "FROM a:1\nRUN <<EOF\nps aux\nEOF\n"), 1);
        assert_eq!(count("DL3001", "FROM a:1\nONBUILD RUN kill 1\n"), 1);
        // `ifconfig` is named in hadolint's message but not checked.
        assert_eq!(count("DL3001", "FROM a:1\nRUN ifconfig\n"), 0);
    }
}
