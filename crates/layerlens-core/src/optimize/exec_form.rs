//! Exec-form CMD and ENTRYPOINT: `CMD python app.py` → `CMD ["python", "app.py"]`.
//!
//! **Unsafe.** In shell form the container's PID 1 is `/bin/sh -c`, which does not pass
//! SIGTERM on, so `docker stop` waits for its timeout and kills the program; in exec form the
//! program is PID 1 and gets the signal. The program's behaviour can differ in what the shell
//! did for it, hence unsafe. Guards (otherwise the shell matters and nothing is changed):
//!
//! - the command is one simple command of plain words: no `$` variables, globs, `~`,
//!   redirections, pipes, `&&`/`;`, or `VAR=value` prefixes (a leading `exec` is dropped:
//!   exec form does what it asked for);
//! - the stage uses the default shell (no SHELL instruction);
//! - no comment line inside the instruction's continuation lines;
//! - for ENTRYPOINT, no CMD follows it in the stage: in exec form the CMD would be appended
//!   to the ENTRYPOINT as arguments, in shell form it is ignored.

use crate::fix::{Applicability, Edit};
use crate::instructions::{CommandLine, Typed};
use crate::model::DEFAULT_SHELL;
use crate::shell;

use super::engine::{Candidate, Ctx, Proposal, Refusal};
use super::text::{has_inner_comments, json_array, line_of, short};
use super::MoveKind;

const RULES: [&str; 2] = ["DL3025", "JSONArgsRecommended"];

/// The words of a shell-form command line that exec form can run as is.
pub fn plain_words(text: &str) -> Result<Vec<String>, &'static str> {
    let script = shell::parse_script(text);
    if !script.errors.is_empty() {
        return Err("the shell text does not parse cleanly");
    }
    let [command] = script.commands.as_slice() else {
        return Err("it runs several commands, which needs a shell");
    };
    if !script.operators.is_empty() {
        return Err("it uses shell operators");
    }
    if !command.redirects.is_empty() {
        return Err("it redirects input or output, which needs a shell");
    }
    if !command.assignments.is_empty() {
        return Err("it sets variables for the command, which needs a shell");
    }
    if command
        .words
        .iter()
        .any(|w| w.has_expansion || w.value.starts_with('~'))
    {
        return Err("it uses variables, globs or `~`, which only a shell expands");
    }
    let mut words: Vec<String> = command.words.iter().map(|w| w.value.clone()).collect();
    if words.first().is_some_and(|w| w == "exec") {
        words.remove(0);
    }
    if words.is_empty() {
        return Err("there is no command");
    }
    Ok(words)
}

pub fn propose(cx: &Ctx) -> Vec<Proposal> {
    let model = cx.model;
    let mut out = Vec::new();
    for (i, typed) in model.typed.iter().enumerate() {
        let (line, keyword) = match typed {
            Typed::Cmd(line) => (line, "CMD"),
            Typed::Entrypoint(line) => (line, "ENTRYPOINT"),
            _ => continue,
        };
        let CommandLine::Shell(text) = line else {
            continue;
        };
        let at = model.doc.instructions[i].span;
        let title = format!("Exec form for {keyword} on line {}", line_of(model, i));
        let refuse = |reason: String| {
            Err(Refusal {
                kind: MoveKind::ExecForm,
                title: title.clone(),
                rules: RULES.iter().map(|s| s.to_string()).collect(),
                reason,
                at,
            })
        };
        let Some(context) = model.contexts.get(i) else {
            continue;
        };
        if context.shell != DEFAULT_SHELL {
            out.push(refuse("the stage sets its own SHELL".into()));
            continue;
        }
        if has_inner_comments(model, i) {
            out.push(refuse("a comment line sits inside the instruction".into()));
            continue;
        }
        let words = match plain_words(&text.value) {
            Ok(w) => w,
            Err(why) => {
                out.push(refuse(why.to_string()));
                continue;
            }
        };
        if keyword == "ENTRYPOINT" {
            let stage = context.stage;
            let cmd_after = model.typed.iter().enumerate().skip(i + 1).any(|(k, t)| {
                model.contexts.get(k).map(|c| c.stage) == Some(stage) && matches!(t, Typed::Cmd(_))
            });
            if cmd_after {
                out.push(refuse(
                    "a CMD follows: in exec form it would become arguments of the ENTRYPOINT"
                        .into(),
                ));
                continue;
            }
        }
        let json = json_array(&words);
        let mut c = Candidate::new(MoveKind::ExecForm, Applicability::Unsafe, at);
        c.title = title.clone();
        c.moved = format!("`{}` → `{keyword} {json}`", short(model, i));
        c.rules = RULES.iter().map(|s| s.to_string()).collect();
        c.why = format!(
            "In shell form the container's first process is `/bin/sh -c`, which does not pass \
             SIGTERM on: `docker stop` waits out its timeout and then kills the program. In exec \
             form `{}` is the first process and can shut down cleanly.",
            words[0]
        );
        c.key = format!("exec:{}", model.doc.instructions[i].original());
        c.edits = vec![Edit::replace(text.span, json)];
        out.push(Ok(c));
    }
    out
}
