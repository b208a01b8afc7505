//! JSONArgsRecommended: shell-form CMD/ENTRYPOINT (BuildKit's check).

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
    check,
};

fn check(context: &Context, report: &mut Report) {
    // Stages whose configuration has a SHELL (set in the stage or a parent stage).
    for i in 0..context.len() {
        let (line, keyword) = match context.typed(i) {
            Typed::Cmd(line) => (line, "CMD"),
            Typed::Entrypoint(line) => (line, "ENTRYPOINT"),
            _ => continue,
        };
        if !matches!(line, CommandLine::Shell(_)) || has_shell_instruction(context, i) {
            continue;
        }
        report.add(
            i,
            context.instruction_span(i),
            format!("write {keyword} as a JSON array so the program runs as PID 1 and receives stop signals"),
        );
    }
}

/// Whether a SHELL instruction is in effect at `i` (this stage or a stage it builds on).
fn has_shell_instruction(context: &Context, i: usize) -> bool {
    let shell = &context.model.contexts[i].shell;
    shell
        .iter()
        .map(String::as_str)
        .ne(crate::model::DEFAULT_SHELL)
}
