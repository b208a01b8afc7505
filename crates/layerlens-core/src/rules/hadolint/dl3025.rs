//! DL3025: CMD, ENTRYPOINT and HEALTHCHECK CMD in shell form.

use crate::instructions::{CommandLine, Healthcheck, Typed};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3025",
    name: "json-form-commands",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Production],
    summary: "Shell form wraps the command in `/bin/sh -c`, which swallows stop signals.",
    docs: Docs::new(
        "Flags CMD, ENTRYPOINT and `HEALTHCHECK CMD` written as plain text (shell form) instead \
         of a JSON array (exec form), also under ONBUILD.",
        "In shell form Docker runs `/bin/sh -c \"<text>\"`, so the shell is PID 1 and your \
         program its child. `docker stop` sends SIGTERM to the shell, which does not pass it on; \
         after the 10-second grace period the container is killed, open requests are dropped \
         and shutdown hooks never run. A shell-form ENTRYPOINT also ignores the CMD and the \
         arguments of `docker run`, and images without `/bin/sh` (distroless, scratch) cannot \
         start at all. The JSON form runs the program directly.",
        "FROM python:3.13-slim\nCMD gunicorn --bind 0.0.0.0:8000 app:app\n",
        "FROM python:3.13-slim\nCMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app:app\"]\n",
        "Production Optimizations",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let (line, what) = match context.typed_effective(i).0 {
            Typed::Cmd(line) => (line, "CMD"),
            Typed::Entrypoint(line) => (line, "ENTRYPOINT"),
            Typed::Healthcheck(Healthcheck::Cmd(h)) => (&h.command, "HEALTHCHECK CMD"),
            _ => continue,
        };
        let CommandLine::Shell(text) = line else {
            continue;
        };
        let example = json_example(&text.value);
        report.add(
            i,
            text.span,
            format!("write {what} as a JSON array (`{example}`) so the program itself runs and receives signals"),
        );
    }
}

/// A short exec-form rendering of the first words, for the message.
fn json_example(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let shown: Vec<String> = words
        .iter()
        .take(3)
        .map(|w| format!("\"{}\"", w.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    let more = if words.len() > 3 { ", ..." } else { "" };
    format!("[{}{more}]", shown.join(", "))
}

#[cfg(test)]
mod tests {
    use super::super::g2_util::test_support::{findings, spans};

    const CODE: &str = "DL3025";

    #[test]
    fn flags_shell_forms_only() {
        let text = "FROM alpine:3.20\nCMD echo hi\nENTRYPOINT [\"/init\"]\nHEALTHCHECK --interval=5s CMD wget -q localhost\nONBUILD CMD run me now please\n";
        assert_eq!(
            spans(text, CODE),
            vec!["echo hi", "wget -q localhost", "run me now please"]
        );
        let found = findings(text, CODE);
        assert!(found[2].2.contains("[\"run\", \"me\", \"now\", ...]"));
    }

    #[test]
    fn healthcheck_none_and_empty_cmd_are_fine() {
        let text = "FROM alpine:3.20\nHEALTHCHECK NONE\nCMD []\n";
        assert!(spans(text, CODE).is_empty());
    }
}
