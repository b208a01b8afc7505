//! JSONArgsRecommended: shell-form CMD/ENTRYPOINT (BuildKit's check).

use super::g4_util::shell_set_before;
use crate::instructions::{CommandLine, Typed};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "JSONArgsRecommended",
    name: "json-args-recommended",
    origin: Origin::Buildkit,
    severity: Severity::Warning,
    categories: &[Category::Production],
    summary: "In shell form the process is `/bin/sh -c`, which does not pass SIGTERM on: stops wait for the kill timeout.",
    docs: Docs::new(
        "Flags CMD and ENTRYPOINT written in shell form when no SHELL instruction chose a shell \
         on purpose for the stage.",
        "Shell form runs your program as a child of `/bin/sh -c`. The shell is PID 1, it does not \
         forward signals, so `docker stop` sends SIGTERM to a process that never sees it and the \
         container is killed after the 10-second grace period: slow deploys and no graceful \
         shutdown (open connections dropped, buffers not flushed). Exec form (a JSON array) runs \
         the program itself as PID 1.",
        "FROM python:3.13-slim\nCMD uvicorn app.main:app --host 0.0.0.0\n",
        "FROM python:3.13-slim\nCMD [\"uvicorn\", \"app.main:app\", \"--host\", \"0.0.0.0\"]\n",
        "Production Optimizations",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    let shell_set = shell_set_before(context);
    for i in 0..context.len() {
        let (line, keyword) = match context.typed(i) {
            Typed::Cmd(line) => (line, "CMD"),
            Typed::Entrypoint(line) => (line, "ENTRYPOINT"),
            _ => continue,
        };
        let CommandLine::Shell(text) = line else {
            continue;
        };
        // Any SHELL instruction (in this stage or a stage it builds on) records a shell in
        // the image configuration; BuildKit then treats shell form as deliberate.
        if shell_set.get(i).copied().unwrap_or(false) {
            continue;
        }
        let message = match exec_form(&text.value) {
            Some(json) => format!(
                "write `{keyword} {json}` so the program runs as PID 1 and receives stop signals"
            ),
            None => format!(
                "write {keyword} as a JSON array (or wrap the shell logic in a script) so the program runs as PID 1 and receives stop signals"
            ),
        };
        report.add(i, context.instruction_span(i), message);
    }
}

/// The exec form of a shell-form command made of plain words only (no quotes, variables,
/// operators or globs): `uvicorn app:app` gives `["uvicorn", "app:app"]`.
fn exec_form(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let plain = |w: &&str| {
        w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c))
    };
    if words.is_empty() || words.len() > 12 || !words.iter().all(plain) {
        return None;
    }
    let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
    Some(format!("[{}]", quoted.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::{findings, lines};

    const CODE: &str = "JSONArgsRecommended";

    #[test]
    fn buildkit_cases() {
        assert_eq!(lines("\nFROM scratch\nCMD mycommand\n", CODE), vec![3]);
        assert_eq!(
            lines("\nFROM scratch\nENTRYPOINT mycommand\n", CODE),
            vec![3]
        );
        for text in [
            "\nFROM scratch\nSHELL [\"/usr/bin/customshell\"]\nCMD mycommand\n",
            "\nFROM scratch\nSHELL [\"/usr/bin/customshell\"]\nENTRYPOINT mycommand\n",
            "\nFROM scratch AS base\nSHELL [\"/usr/bin/customshell\"]\n\nFROM base\nCMD mycommand\n",
            "\nFROM scratch AS base\nSHELL [\"/usr/bin/customshell\"]\n\nFROM base\nENTRYPOINT mycommand\n",
            "\nFROM scratch\n# check=skip=JSONArgsRecommended\nCMD mycommand\n",
            "\nFROM scratch\n# check=skip=JSONArgsRecommended\nENTRYPOINT mycommand\n",
        ] {
            assert!(lines(text, CODE).is_empty(), "{text}");
        }
    }

    #[test]
    fn an_explicit_default_shell_counts_as_a_choice() {
        let text = "FROM alpine\nSHELL [\"/bin/sh\", \"-c\"]\nCMD run-me\n";
        assert!(lines(text, CODE).is_empty());
    }

    #[test]
    fn suggests_the_exec_form_for_plain_words() {
        let f = findings(
            "FROM python:3.13\nCMD uvicorn app.main:app --port 80\n",
            CODE,
        );
        assert!(
            f[0].1
                .contains(r#"`CMD ["uvicorn", "app.main:app", "--port", "80"]`"#),
            "{f:?}"
        );
        let f = findings("FROM alpine\nCMD echo $HOME && sleep 1\n", CODE);
        assert!(f[0].1.contains("JSON array"));
    }
}
