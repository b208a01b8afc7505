//! DL3004: sudo inside RUN.

use super::dl3002::{created_before, is_numeric_user};
use super::g1_util::{line_after, line_before, word_at, WordAt};
use crate::fix::{Edit, Fix};
use crate::model::Base;
use crate::rules::{Category, Context, Docs, Fixability, Origin, Report, Rule, Severity};

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
        "FROM debian:bookworm-slim\nUSER 10001\nRUN sudo apt-get update\n",
        "FROM debian:bookworm-slim\nUSER 0\nRUN apt-get update\nUSER 10001\n",
        "Security Best Practices",
    )
    .with_fix_note(
        "Deletes every `sudo` of the RUN, when each one only prefixes a command (no sudo \
         options such as `-u`). If the RUN runs as a user other than root, it is wrapped in \
         `USER 0` before and a `USER <uid>` back to that user after (numeric, so the lines \
         pass DL3066); when the user's UID or the base image's user is unknown, no fix is \
         offered. Unsafe: sudo resets the \
         environment (PATH, HOME, proxies, ENV values), so without it the command sees the \
         build's environment, which can change what it does.",
    ),
    fix: Fixability::Unsafe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        let mut fix: Option<Option<Fix>> = None;
        for (command, part) in run.commands_named("sudo") {
            let span = command
                .words
                .first()
                .map(|w| part.span(context.model, &w.range))
                .unwrap_or_else(|| part.command_span(context.model, command));
            let fix = fix.get_or_insert_with(|| without_sudo(context, i)).clone();
            report
                .add(
                    i,
                    span,
                    "drop `sudo`: set `USER root` before this RUN (and switch back after) instead",
                )
                .fix = fix;
        }
    }
}

/// Whether a user value (`root`, `0`, `root:wheel`) is root.
fn is_root(user: &str) -> bool {
    matches!(user.split(':').next(), Some("root" | "0"))
}

/// Whether the stage of instruction `i` runs as root when no USER of this file applies:
/// `scratch`, an image known to default to root, or a stage built on such a one.
fn root_by_default(context: &Context, i: usize) -> bool {
    let mut stage = context.stage_of(i);
    // Each step goes to an earlier stage, so this ends.
    while let Some(s) = stage.and_then(|s| context.model.stages.get(s)) {
        match &s.base {
            Base::Scratch => return true,
            Base::Image(image) => {
                return crate::knowledge::image_traits(image).and_then(|t| t.nonroot) == Some(false)
            }
            Base::Stage(parent) if *parent < s.index => stage = Some(*parent),
            _ => return false,
        }
    }
    false
}

/// The fix for RUN `i`: every `sudo` deleted, and the RUN wrapped in `USER root` / `USER
/// <user>` when it does not already run as root.
fn without_sudo(context: &Context, i: usize) -> Option<Fix> {
    let run = context.run(i)?;
    if run.exec_form || context.typed_effective(i).1 {
        return None;
    }
    let source = context.model.doc.text.as_str();
    let mut edits = Vec::new();
    for (command, part) in run.commands_named("sudo") {
        let [sudo, next, ..] = command.words.as_slice() else {
            return None;
        };
        if next.value.starts_with('-') {
            return None;
        }
        let WordAt::Shell(at) = word_at(context, i, part, sudo)? else {
            return None;
        };
        let span = part.span(context.model, &(sudo.range.start..next.range.start));
        let gap = source.get(at.end..span.end)?;
        if span.start != at.start || gap.is_empty() || !gap.chars().all(|c| c == ' ' || c == '\t') {
            return None;
        }
        edits.push(Edit::delete(span));
    }
    match &context.model.contexts.get(i)?.user {
        Some(user) if is_root(user) => {}
        None if root_by_default(context, i) => {}
        Some(user) => {
            // Numeric forms, so the new USER lines add no DL3066 (named user) finding.
            let stage = context
                .stage_of(i)
                .and_then(|s| context.model.stages.get(s))?;
            let back = if is_numeric_user(user) {
                user.clone()
            } else {
                created_before(context, stage, i, Some(user))?.uid?
            };
            edits.push(line_before(context, i, "USER 0")?);
            edits.push(line_after(context, i, &format!("USER {back}"))?);
        }
        _ => return None,
    }
    Some(Fix::unsafe_(
        "Run this step as root with USER instead of sudo",
        edits,
    ))
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::{count, fix_count, fixed, spans};

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

    #[test]
    fn fix_switches_user_around_the_run() {
        assert_eq!(
            fixed("DL3004", "FROM debian:bookworm-slim\nRUN useradd -u 1000 app\nUSER app\nRUN sudo apt-get update && sudo apt-get install -y curl\nCMD [\"bash\"]\n"),
            "FROM debian:bookworm-slim\nRUN useradd -u 1000 app\nUSER app\nUSER 0\nRUN apt-get update && apt-get install -y curl\nUSER 1000\nCMD [\"bash\"]\n"
        );
        // Casing, indentation, a heredoc body, and no final line break.
        assert_eq!(
            fixed(
                "DL3004",
                "from debian:12\nuser 1000\n  run <<EOF\nsudo make install\nEOF"
            ),
            "from debian:12\nuser 1000\n  user 0\n  run <<EOF\nmake install\nEOF\n  user 1000"
        );
        // CRLF, the last line without a break.
        assert_eq!(
            fixed("DL3004", "FROM debian:12\r\nUSER 1000\r\nRUN sudo ls"),
            "FROM debian:12\r\nUSER 1000\r\nUSER 0\r\nRUN ls\r\nUSER 1000"
        );
        // Already root: only the sudo goes.
        assert_eq!(
            fixed(
                "DL3004",
                "FROM debian:12\nUSER root\nRUN sh -c 'sudo make install'\n"
            ),
            "FROM debian:12\nUSER root\nRUN sh -c 'make install'\n"
        );
        // No USER: Debian's images run as root.
        assert_eq!(
            fixed("DL3004", "FROM debian:12\nRUN sudo make\n"),
            "FROM debian:12\nRUN make\n"
        );
        // The gap spans a continuation: left alone.
        assert_eq!(
            fixed("DL3004", "FROM debian:12\nRUN sudo \\\n    make\n"),
            "FROM debian:12\nRUN sudo \\\n    make\n"
        );
    }

    #[test]
    fn no_fix_when_the_user_or_sudo_options_matter() {
        // sudo switching to another user, exec form, ONBUILD.
        assert_eq!(
            fix_count("DL3004", "FROM debian:12\nUSER root\nRUN sudo -u app ls\n"),
            0
        );
        assert_eq!(
            fix_count("DL3004", "FROM debian:12\nRUN [\"sudo\", \"ls\"]\n"),
            0
        );
        assert_eq!(
            fix_count("DL3004", "FROM debian:12\nONBUILD RUN sudo ls\n"),
            0
        );
        // A named user without a known UID.
        assert_eq!(
            fix_count("DL3004", "FROM debian:12\nUSER app\nRUN sudo ls\n"),
            0
        );
        // A base image whose user is unknown.
        assert_eq!(fix_count("DL3004", "FROM example/tool:1\nRUN sudo ls\n"), 0);
    }
}
