//! DL3025: CMD, ENTRYPOINT and HEALTHCHECK CMD in shell form.

use crate::fix::{Edit, Fix};
use crate::instructions::{CommandLine, Healthcheck, Typed};
use crate::rules::{Category, Context, Docs, Fixability, Origin, Report, Rule, Severity};
use crate::syntax::{PieceKind, Text};

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
    )
    .with_fix_note(
        "Rewrites the command as a JSON array of its words (a leading `exec` is dropped), \
         only when the text is plain words with no shell syntax at all: no quotes, variables, \
         globs, `~`, redirections, operators or shell builtins, and only under a POSIX shell. \
         Unsafe: the program becomes PID 1 and now receives the stop signal itself, which it \
         may handle differently than the shell did; the environment no longer passes through \
         a shell. An ENTRYPOINT is only rewritten when its stage has no CMD, because in exec \
         form an ENTRYPOINT receives the CMD as arguments.",
    ),
    fix: Fixability::Unsafe,
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
        let fix = exec_form(context, i, text, what);
        report
            .add(
                i,
                text.span,
                format!("write {what} as a JSON array (`{example}`) so the program itself runs and receives signals"),
            )
            .fix = fix;
    }
}

/// Shells whose `-c` parsing the rewrite reproduces for plain words.
const POSIX_SHELLS: [&str; 7] = ["sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"];

/// Shell keywords and builtins that have no program of their own to exec.
const BUILTINS: [&str; 28] = [
    "cd", "set", "source", ".", "export", "unset", "eval", "trap", "ulimit", "umask", "alias",
    "if", "for", "while", "until", "case", "function", "readonly", "local", "return", "exit",
    "shift", "wait", "type", "hash", "read", "builtin", "exec",
];

/// Whether a word means the same to the shell and as an exec argument.
fn is_plain_word(word: &str) -> bool {
    !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c))
}

/// The exec-form rewrite of shell-form `text`, when it is plain words.
fn exec_form(context: &Context, i: usize, text: &Text, what: &str) -> Option<Fix> {
    let shell = context.model.contexts.get(i)?.shell.first()?;
    let shell_name = shell.rsplit('/').next().unwrap_or(shell);
    if !POSIX_SHELLS.contains(&shell_name) {
        return None;
    }
    let (_, onbuild) = context.typed_effective(i);
    if what == "ENTRYPOINT" && (onbuild || stage_has_cmd(context, i)) {
        return None;
    }
    // A comment line inside the continuation would be lost with the replaced text.
    let commented = context.instruction(i).pieces.iter().any(|p| {
        p.kind == PieceKind::ContinuationComment
            && text.span.start < p.span.start
            && p.span.start < text.span.end
    });
    if commented {
        return None;
    }
    let mut words: Vec<&str> = text.value.split_whitespace().collect();
    if words.first() == Some(&"exec") {
        words.remove(0);
    }
    let first = words.first()?;
    if first.contains('=') || BUILTINS.contains(first) || !words.iter().all(|w| is_plain_word(w)) {
        return None;
    }
    let json: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
    Some(Fix::unsafe_(
        format!("Write {what} in exec form"),
        vec![Edit::replace(text.span, format!("[{}]", json.join(", ")))],
    ))
}

/// Whether the stage of instruction `i` has a CMD of its own (not under ONBUILD).
fn stage_has_cmd(context: &Context, i: usize) -> bool {
    let Some(stage) = context
        .stage_of(i)
        .and_then(|s| context.model.stages.get(s))
    else {
        return false;
    };
    stage
        .instructions
        .iter()
        .any(|&j| matches!(context.typed(j), Typed::Cmd(_)))
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
    use super::super::g1_util::test_util::{fix_count, fixed};
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

    #[test]
    fn fix_writes_plain_words_as_a_json_array() {
        assert_eq!(
            fixed(CODE, "FROM python:3.13-slim\nCMD exec gunicorn --bind 0.0.0.0:8000 app:app\n"),
            "FROM python:3.13-slim\nCMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app:app\"]\n"
        );
        assert_eq!(
            fixed(CODE, "FROM a:1\nentrypoint /init \\\n  --verbose\n"),
            "FROM a:1\nentrypoint [\"/init\", \"--verbose\"]\n"
        );
        assert_eq!(
            fixed(CODE, "# escape=`\nFROM a:1\nHEALTHCHECK --interval=5s CMD wget -q `\n  -O- localhost:80\n"),
            "# escape=`\nFROM a:1\nHEALTHCHECK --interval=5s CMD [\"wget\", \"-q\", \"-O-\", \"localhost:80\"]\n"
        );
        assert_eq!(
            fixed(CODE, "FROM a:1\nONBUILD CMD node server.js\n"),
            "FROM a:1\nONBUILD CMD [\"node\", \"server.js\"]\n"
        );
        let found = super::super::g1_util::test_util::findings(CODE, "FROM a:1\nCMD run\n");
        assert_eq!(
            found[0].fix.as_ref().map(|f| f.applicability),
            Some(crate::fix::Applicability::Unsafe)
        );
    }

    #[test]
    fn no_fix_when_the_shell_does_something() {
        for cmd in [
            "CMD node $APP",
            "CMD echo \"hi\"",
            "CMD curl -f localhost || exit 1",
            "CMD ls *.txt",
            "CMD cd /app && make",
            "CMD FOO=1 run",
            "CMD run > /log",
            "CMD ~/bin/run",
            "CMD exec",
        ] {
            let text = format!("FROM a:1\n{cmd}\n");
            assert_eq!(fix_count(CODE, &text), 0, "{cmd}");
        }
        // In exec form an ENTRYPOINT would receive the CMD as arguments.
        assert_eq!(
            fix_count(CODE, "FROM a:1\nENTRYPOINT /init\nCMD [\"--help\"]\n"),
            0
        );
        assert_eq!(fix_count(CODE, "FROM a:1\nONBUILD ENTRYPOINT /init\n"), 0);
        // Another shell, or a comment line that would be lost.
        assert_eq!(
            fix_count(
                CODE,
                "FROM a:1\nSHELL [\"pwsh\", \"-Command\"]\nCMD Start-App\n"
            ),
            0
        );
        assert_eq!(
            fix_count(CODE, "FROM a:1\nCMD run \\\n# note\n  --fast\n"),
            0
        );
    }
}
