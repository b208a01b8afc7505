//! JSONArgsRecommended: shell-form CMD/ENTRYPOINT (BuildKit's check).

use super::g4_util::{is_windows_stage, shell_set_before};
use crate::fix::{Edit, Fix};
use crate::instructions::{CommandLine, Typed};
use crate::model::Base;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::syntax::PieceKind;

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
    )
    .with_fix_note(
        "Rewrites the command as a JSON array when it is one plain command: no operators, \
         redirections, variables, globs or leading assignments (quotes are resolved as the \
         shell would, a leading `exec` is dropped). Unsafe: the program becomes PID 1 and \
         now receives signals itself; arguments given to `docker run` (and a CMD, for an \
         ENTRYPOINT) are passed to it instead of being ignored, and an ENTRYPOINT script \
         sees the CMD's words rather than `/bin/sh -c ...`. An ENTRYPOINT whose stage has \
         a CMD, and Windows stages, get no fix.",
    ),
    fix: crate::rules::Fixability::Unsafe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    let shell_set = shell_set_before(context);
    let with_cmd = stages_with_cmd(context);
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
        let json = exec_form(&text.value);
        let message = match &json {
            Some(json) => format!(
                "write `{keyword} {json}` so the program runs as PID 1 and receives stop signals"
            ),
            None => format!(
                "write {keyword} as a JSON array (or wrap the shell logic in a script) so the program runs as PID 1 and receives stop signals"
            ),
        };
        let stage = context.stage_of(i);
        let windows = stage.is_some_and(|s| is_windows_stage(context.model, s));
        // An exec-form ENTRYPOINT receives the CMD as arguments, a shell-form one ignores
        // it: with a CMD around, converting would change what runs.
        let cmd_around = keyword == "ENTRYPOINT"
            && stage.is_some_and(|s| with_cmd.get(s).copied().unwrap_or(true));
        let only_lines = context
            .instruction(i)
            .pieces
            .iter()
            .all(|p| p.kind == PieceKind::Line);
        let fix = json
            .filter(|_| !windows && !cmd_around && only_lines && stage.is_some())
            .map(|json| {
                Fix::unsafe_(
                    format!("Write {keyword} in exec form"),
                    vec![Edit::replace(text.span, json)],
                )
            });
        report.add(i, context.instruction_span(i), message).fix = fix;
    }
}

/// Per stage: whether it or a stage built on it has a CMD.
fn stages_with_cmd(context: &Context) -> Vec<bool> {
    let model = context.model;
    let mut out: Vec<bool> = model
        .stages
        .iter()
        .map(|s| {
            s.instructions
                .iter()
                .any(|&k| matches!(context.typed(k), Typed::Cmd(_)))
        })
        .collect();
    // Children come after their parents: walk backwards to pass the answer up.
    for index in (0..model.stages.len()).rev() {
        if let Base::Stage(parent) = model.stages[index].base {
            if parent < index && out[index] {
                out[parent] = true;
            }
        }
    }
    out
}

/// Shell words that are not programs: builtins and reserved words `exec` cannot find.
const NOT_PROGRAMS: &[&str] = &[
    "cd", "set", "export", "source", ".", "eval", "trap", "ulimit", "umask", "alias", "unset",
    "readonly", "shift", "wait", "read", "return", "exit", "break", "continue", "local", "if",
    "then", "else", "for", "while", "until", "case", "do", "done", "fi", "esac", "function",
    "select", "time", "!", "{", "}", "[[", "exec", "declare", "typeset", "shopt", "builtin",
    "command",
];

/// The exec form of a shell-form command that is one simple command without shell syntax:
/// no operators, redirections, assignments, variables, globs, `~` or braces. Quotes and
/// backslashes are resolved the way the shell would (`python -c "print(1)"` gives
/// `["python", "-c", "print(1)"]`); a leading `exec` is dropped, the program replacing
/// the shell either way.
fn exec_form(text: &str) -> Option<String> {
    let script = crate::shell::parse_script(text);
    let [command] = script.commands.as_slice() else {
        return None;
    };
    if !script.errors.is_empty()
        || !script.operators.is_empty()
        || !command.redirects.is_empty()
        || !command.assignments.is_empty()
        || command.subshell_depth > 0
    {
        return None;
    }
    let mut words: &[crate::shell::Word] = &command.words;
    if words
        .first()
        .is_some_and(|w| w.value == "exec" && !w.quoted)
    {
        words = &words[1..];
        if words.first().is_some_and(|w| w.value.starts_with('-')) {
            return None;
        }
    }
    let plain = words.iter().all(|w| {
        let raw = w.raw(text);
        !w.has_expansion && !raw.contains(['~', '{', '}', '$', '`', '*', '?', '['])
    });
    let program = words.first()?;
    if !plain || words.len() > 24 || NOT_PROGRAMS.contains(&program.value.as_str()) {
        return None;
    }
    let quoted: Vec<String> = words
        .iter()
        .map(|w| crate::rules::hadolint::g4_util::json_string(&w.value))
        .collect();
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

    #[test]
    fn fixes() {
        use crate::rules::hadolint::g4_util::fixed;
        let f = |t: &str| fixed(t, CODE);
        assert_eq!(
            f("FROM python:3.13\nCMD uvicorn app.main:app --host 0.0.0.0\n"),
            "FROM python:3.13\nCMD [\"uvicorn\", \"app.main:app\", \"--host\", \"0.0.0.0\"]\n"
        );
        assert_eq!(
            f("FROM python:3.13\ncmd exec python -c \"print('a \\\"b\\\"')\" \\\n    --flag\n"),
            "FROM python:3.13\ncmd [\"python\", \"-c\", \"print('a \\\"b\\\"')\", \"--flag\"]\n"
        );
        assert_eq!(
            f("# escape=`\nFROM node\nENTRYPOINT node `\n    server.js\n"),
            "# escape=`\nFROM node\nENTRYPOINT [\"node\", \"server.js\"]\n"
        );
        for unfixable in [
            "FROM alpine\nCMD echo $HOME\n",
            "FROM alpine\nCMD a && b\n",
            "FROM alpine\nCMD A=1 run\n",
            "FROM alpine\nCMD run > /log\n",
            "FROM alpine\nCMD ls *.txt\n",
            "FROM alpine\nCMD cd /x\n",
            "FROM alpine\nCMD run ~/x\n",
            "FROM alpine\nENTRYPOINT run\nCMD [\"--help\"]\n",
            "FROM alpine AS a\nENTRYPOINT run\nFROM a\nCMD [\"--help\"]\n",
            "FROM alpine\nCMD run \\\n# why\n  x\n",
            "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCMD app.exe\n",
        ] {
            assert_eq!(f(unfixable), unfixable);
        }
    }
}
