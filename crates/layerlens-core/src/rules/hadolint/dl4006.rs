//! DL4006: a pipe in RUN without `pipefail`.

use super::g3_util::line_ending;
use super::g4_util::{base_shell, insertion_point_before, json_string, keyword_like, BaseShell};
use crate::fix::{Edit, Fix};
use crate::instructions::Typed;
use crate::model::Model;
use crate::rules::pragma::{parse_pragma, Pragma};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, ScriptPart, Severity};
use crate::shell::{self, Operator};
use crate::syntax::NodeKind;
use crate::text::Span;

pub static RULE: Rule = Rule {
    code: "DL4006",
    name: "pipefail",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Correctness],
    summary: "Without pipefail only the last command of a pipe decides success: a failed download still builds.",
    docs: Docs::new(
        "Flags a RUN whose shell script contains a pipe (`|`, `|&`) that runs without the \
         `pipefail` option. The option counts when the stage's SHELL is bash, zsh or ash with \
         `-o pipefail` (a stage built `FROM` another stage inherits its SHELL, as in Docker), \
         or when `set -o pipefail` (`set -eo pipefail`, ...) runs earlier in the same script. \
         Pipes in heredoc scripts are checked against the shell that runs them (the SHELL, a \
         `#!` line, or `bash <<EOF`), and pipes in `sh -c` strings against that `sh`. Stages \
         whose SHELL is PowerShell or cmd are skipped; ONBUILD triggers are skipped because \
         they run with the child image's SHELL.",
        "A POSIX shell reports the exit status of the *last* command of a pipeline only. In \
         `curl -fsSL https://example.com/tool.tgz | tar -xz`, a 404, a TLS error or a timeout \
         makes curl fail, tar reads an empty stream and may still exit 0, and the build goes on \
         with a missing or truncated tool: the broken image is discovered at run time, far from \
         the cause. `pipefail` makes the RUN fail as soon as any command of the pipe fails.",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates \\\n    && curl -fsSL https://example.com/install.sh | sh\n",
        "FROM debian:bookworm-slim\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates \\\n    && curl -fsSL https://example.com/install.sh | sh\n",
        "Common Anti-Patterns",
    )
    .with_fix_note(
        "Adds a SHELL instruction with `-o pipefail` before the first such RUN of the stage \
         (above its comments, in the file's keyword casing), so every later RUN of the \
         stage is covered too. The shell is chosen per base image: the stage's own SHELL \
         when it is bash, zsh or ash; `/bin/ash` on Alpine and BusyBox, whose `/bin/sh` is \
         ash; `/bin/bash` on Debian, Ubuntu, the RHEL family and the official images built \
         on them (Debian's `/bin/sh` is dash, which has no pipefail). Unknown bases, \
         scratch, pipes inside `sh -c` strings, heredocs run by another program and exec \
         form get no fix. Unsafe: a pipe whose early command fails (`yes | ...`, a closed \
         pipe) now fails the build, and later shell-form RUN, CMD and ENTRYPOINT of the \
         stage run under the new shell.",
    ),
    fix: crate::rules::Fixability::Unsafe,
    check,
};

/// Shells whose `-o pipefail` hadolint accepts.
const PIPEFAIL_SHELLS: [&str; 3] = ["bash", "zsh", "ash"];

/// Shells that run `-c` strings.
const SHELLS: [&str; 7] = ["sh", "bash", "ash", "dash", "zsh", "ksh", "busybox"];

/// How the shell that runs a script treats pipes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Runner {
    /// PowerShell, cmd: not a POSIX shell, nothing to say.
    NotPosix,
    /// Runs with `-o pipefail`.
    Pipefail,
    /// A POSIX shell without pipefail.
    Plain,
}

fn check(context: &Context, report: &mut Report) {
    // The RUN before which this stage's SHELL fix goes (the first fixable one since the
    // stage started or its SHELL last changed), and the SHELL instructions seen so far.
    let mut anchor: Option<(usize, usize, usize)> = None;
    let mut shells_seen = 0usize;
    let mut last_shell: Option<(&Vec<String>, Runner)> = None;
    for i in 0..context.len() {
        if matches!(context.typed(i), Typed::Shell(_)) {
            shells_seen += 1;
        }
        let Some(run) = context.run(i) else { continue };
        if context.typed_effective(i).1 {
            continue;
        }
        // A stage's SHELL rarely changes: classify each distinct one once.
        let words = &context.model.contexts[i].shell;
        let shell = match &last_shell {
            Some((seen, runner)) if *seen == words => *runner,
            _ => {
                let runner = runner_of_words(words);
                last_shell = Some((words, runner));
                runner
            }
        };
        if shell == Runner::NotPosix {
            continue;
        }
        let instruction = context.instruction(i);
        let main = run.parts.first();
        for (k, part) in run.parts.iter().enumerate() {
            // Who runs the top level of this part.
            let runner = if run.exec_form {
                // Exec form runs the program directly; only `sh -c` strings can pipe.
                Runner::Plain
            } else if k == 0 {
                shell
            } else {
                heredoc_runner(part, main, instruction, shell)
            };
            if runner == Runner::NotPosix {
                continue;
            }
            let Some(pipe) = unprotected_pipe(context.model, part, runner, shell) else {
                continue;
            };
            // Whether the stage's SHELL runs this pipe (so a new SHELL protects it).
            let governed = !pipe.in_shell_c
                && !run.exec_form
                && (k == 0 || heredoc_uses_stage_shell(part, main, instruction));
            let fix = governed
                .then(|| {
                    let stage = context.stage_of(i)?;
                    let words = pipefail_shell(context, i, stage)?;
                    let j = match anchor {
                        Some((s, j, seen)) if s == stage && seen == shells_seen => j,
                        _ if ignores_here(context.model, i) => return None,
                        _ => {
                            anchor = Some((stage, i, shells_seen));
                            i
                        }
                    };
                    shell_fix(context, j, &words)
                })
                .flatten();
            report.add(i, pipe.span, pipe.message).fix = fix;
            break;
        }
    }
}

/// The SHELL words that add `-o pipefail` to the shell RUN `i` runs with, when the base
/// image tells which shell there is (see the fix note).
fn pipefail_shell(context: &Context, i: usize, stage: usize) -> Option<Vec<String>> {
    let current = &context.model.contexts.get(i)?.shell;
    let (program, rest) = current.split_first()?;
    let program = match shell_basename(program).as_str() {
        "bash" | "zsh" | "ash" => program.clone(),
        "sh" => match base_shell(context.model, stage) {
            BaseShell::Ash => "/bin/ash".to_string(),
            BaseShell::Bash => "/bin/bash".to_string(),
            BaseShell::Unknown => return None,
        },
        _ => return None,
    };
    let mut words = vec![program, "-o".to_string(), "pipefail".to_string()];
    words.extend(rest.iter().cloned());
    Some(words)
}

/// Whether a pragma right above RUN `i` ignores DL4006 there (then no SHELL goes above it).
fn ignores_here(model: &Model, i: usize) -> bool {
    let Some(at) = model
        .doc
        .nodes
        .iter()
        .position(|n| n.kind == NodeKind::Instruction(i))
    else {
        return false;
    };
    model.doc.nodes[..at]
        .iter()
        .rev()
        .take_while(|n| n.kind == NodeKind::Comment)
        .any(|n| {
            matches!(parse_pragma(model.doc.slice(n.span)),
                Some(Pragma::Ignore(codes)) if codes.iter().any(|c| c.eq_ignore_ascii_case("DL4006")))
        })
}

/// The fix inserting `SHELL <words>` before RUN `j` (above the comments that describe it).
fn shell_fix(context: &Context, j: usize, words: &[String]) -> Option<Fix> {
    let model = context.model;
    let at = insertion_point_before(model, j)?;
    let json = words
        .iter()
        .map(|w| json_string(w))
        .collect::<Vec<_>>()
        .join(", ");
    let keyword = keyword_like(&context.instruction(j).command.keyword_text.value, "SHELL");
    let newline = line_ending(&model.doc.text, at);
    let line = context.instruction(j).start_line;
    Some(Fix::unsafe_(
        format!("Add `SHELL [{json}]` before the RUN on line {line}"),
        vec![Edit::insert(at, format!("{keyword} [{json}]{newline}"))],
    ))
}

/// Classifies a shell given as words (SHELL instruction, shebang line).
fn runner_of_words(words: &[String]) -> Runner {
    let Some(first) = words.first() else {
        return Runner::Plain;
    };
    let base = shell_basename(first);
    if base.starts_with("pwsh") || base.starts_with("powershell") || base.starts_with("cmd") {
        return Runner::NotPosix;
    }
    match command_of(words) {
        Some(command) if has_pipefail_option(&command) => Runner::Pipefail,
        _ => Runner::Plain,
    }
}

fn shell_basename(word: &str) -> String {
    let base = word.rsplit(['/', '\\']).next().unwrap_or(word);
    base.to_ascii_lowercase()
}

/// A shell command parsed from separate words.
fn command_of(words: &[String]) -> Option<shell::Command> {
    let text = words
        .iter()
        .map(|w| format!("'{}'", w.replace('\'', "'\\''")))
        .collect::<Vec<_>>()
        .join(" ");
    shell::parse_script(&text).commands.into_iter().next()
}

/// `bash -o pipefail`, `ash -eo pipefail`, ... (hadolint accepts bash, zsh and ash).
fn has_pipefail_option(command: &shell::Command) -> bool {
    command
        .basename()
        .is_some_and(|b| PIPEFAIL_SHELLS.contains(&b))
        && command.flag_values("-o").contains(&"pipefail")
}

/// `set -o pipefail`, `set -euo pipefail`, ...
fn is_set_pipefail(command: &shell::Command) -> bool {
    command.is("set") && command.flag_values("-o").contains(&"pipefail")
}

/// Whether a heredoc body is run by the stage's SHELL: a lone `RUN <<EOF` (or a body not fed
/// to any command) without a `#!` line.
fn heredoc_uses_stage_shell(
    part: &ScriptPart,
    main: Option<&ScriptPart>,
    instruction: &crate::syntax::Instruction,
) -> bool {
    let Some(heredoc) = instruction.heredocs.iter().find(|h| h.content == part.text) else {
        return false;
    };
    let fed_to = main.and_then(|m| {
        m.script.commands.iter().find(|c| {
            c.redirects.iter().any(|r| {
                r.op.starts_with("<<")
                    && r.op != "<<<"
                    && r.target.as_ref().is_some_and(|t| t.value == heredoc.name)
            })
        })
    });
    fed_to.is_none_or(|c| c.words.is_empty()) && !part.text.starts_with("#!")
}

/// Who runs a heredoc body: BuildKit runs a lone `RUN <<EOF` with the SHELL (or its `#!`
/// line); a body fed to a command (`RUN bash <<EOF`) is run by that command.
fn heredoc_runner(
    part: &ScriptPart,
    main: Option<&ScriptPart>,
    instruction: &crate::syntax::Instruction,
    shell: Runner,
) -> Runner {
    let Some(heredoc) = instruction.heredocs.iter().find(|h| h.content == part.text) else {
        return shell;
    };
    let fed_to = main.and_then(|m| {
        m.script.commands.iter().find(|c| {
            c.redirects.iter().any(|r| {
                r.op.starts_with("<<")
                    && r.op != "<<<"
                    && r.target.as_ref().is_some_and(|t| t.value == heredoc.name)
            })
        })
    });
    match fed_to {
        Some(command) if command.words.is_empty() => shebang_runner(&part.text).unwrap_or(shell),
        Some(command) => {
            if has_pipefail_option(command) {
                Runner::Pipefail
            } else {
                Runner::Plain
            }
        }
        None => shebang_runner(&part.text).unwrap_or(shell),
    }
}

/// The runner named by a `#!` line (`#!/usr/bin/env bash`, `#!/bin/bash -eo pipefail`).
fn shebang_runner(text: &str) -> Option<Runner> {
    let line = text.strip_prefix("#!")?.lines().next().unwrap_or("");
    let mut words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
    if words.first().is_some_and(|w| shell_basename(w) == "env") {
        words.remove(0);
        if words.first().is_some_and(|w| w == "-S") {
            words.remove(0);
        }
    }
    Some(runner_of_words(&words))
}

/// A pipe that runs without pipefail.
struct Pipe {
    span: Span,
    message: String,
    /// Inside a `sh -c` string (run by that shell, not the stage's SHELL).
    in_shell_c: bool,
}

/// The first pipe of `part` that runs without pipefail.
fn unprotected_pipe(
    model: &Model,
    part: &ScriptPart,
    runner: Runner,
    shell: Runner,
) -> Option<Pipe> {
    let script = &part.script;
    for op in &script.operators {
        if !matches!(op.op, Operator::Pipe | Operator::PipeErr) {
            continue;
        }
        // The `sh -c` command whose string contains this pipe, if any.
        let enclosing = op
            .via_shell_c
            .then(|| {
                script
                    .commands
                    .iter()
                    .filter(|c| {
                        c.range.start <= op.range.start
                            && op.range.end <= c.range.end
                            && c.basename().is_some_and(|b| SHELLS.contains(&b))
                            && c.has_flag('c')
                    })
                    .max_by_key(|c| c.range.start)
            })
            .flatten();
        let protected = match enclosing {
            Some(sh) => {
                has_pipefail_option(sh)
                    || script.commands.iter().any(|c| {
                        c.via_shell_c
                            && c.range.start > sh.range.start
                            && c.range.start < op.range.start
                            && is_set_pipefail(c)
                    })
            }
            None => {
                runner == Runner::Pipefail
                    || script.commands.iter().any(|c| {
                        !c.via_shell_c
                            && c.subshell_depth == 0
                            && !c.in_function
                            && !c.in_substitution
                            && c.range.start < op.range.start
                            && is_set_pipefail(c)
                    })
            }
        };
        if protected {
            continue;
        }
        let (span, first, last) = pipeline_around(model, part, op);
        let failing = first
            .map(|f| format!("a failure of `{f}`"))
            .unwrap_or_else(|| "a failure before the pipe".to_string());
        let decides = last
            .map(|l| format!("only `{l}`'s exit status counts"))
            .unwrap_or_else(|| "only the last command's exit status counts".to_string());
        let fix = match (enclosing, shell) {
            (Some(_), _) => "run the string with `bash -o pipefail -c` or start it with `set -o pipefail;`".to_string(),
            (None, Runner::Plain) if runner == shell => {
                "add `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before this RUN (`/bin/ash` on Alpine), or start the script with `set -o pipefail`".to_string()
            }
            _ => "start the script with `set -o pipefail` (or run it with `bash -o pipefail`)".to_string(),
        };
        return Some(Pipe {
            span,
            message: format!("{failing} in this pipe goes unnoticed, {decides}; {fix}"),
            in_shell_c: enclosing.is_some(),
        });
    }
    None
}

/// The span of the pipeline around `op` and the names of its first and last commands.
fn pipeline_around<'a>(
    model: &Model,
    part: &'a ScriptPart,
    op: &shell::OperatorToken,
) -> (Span, Option<&'a str>, Option<&'a str>) {
    let commands = &part.script.commands;
    let left = commands
        .iter()
        .filter(|c| c.via_shell_c == op.via_shell_c && c.range.end <= op.range.start)
        .max_by_key(|c| c.range.end);
    let Some(left) = left else {
        return (part.span(model, &op.range), None, None);
    };
    let members: Vec<&shell::Command> = commands
        .iter()
        .filter(|c| c.pipeline == left.pipeline && c.via_shell_c == left.via_shell_c)
        .collect();
    let start = members
        .iter()
        .map(|c| c.range.start)
        .min()
        .unwrap_or(op.range.start);
    let end = members
        .iter()
        .map(|c| c.range.end)
        .max()
        .unwrap_or(op.range.end);
    let first = members.first().and_then(|c| c.name());
    let last = members
        .last()
        .and_then(|c| c.name())
        .filter(|_| members.len() > 1);
    (part.span(model, &(start..end)), first, last)
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::{findings, lines};

    const CODE: &str = "DL4006";

    #[test]
    fn hadolint_cases() {
        assert_eq!(
            lines(
                "FROM scratch\nRUN wget -O - https://some.site | wc -l > /number\n",
                CODE
            ),
            vec![2]
        );
        assert!(lines(
            "FROM scratch as build\nRUN wget -O - https://some.site && wc -l file > /number\n",
            CODE
        )
        .is_empty());
        for shell in [
            r#"["/bin/bash", "-eo", "pipefail", "-c"]"#,
            r#"["/bin/bash", "-e", "-o", "pipefail", "-c"]"#,
            r#"["/bin/bash", "-o", "errexit", "-o", "pipefail", "-c"]"#,
            r#"["/bin/zsh", "-o", "pipefail", "-c"]"#,
            r#"["/usr/local/bin/zsh", "-o", "pipefail", "-c"]"#,
            r#"["/bin/ash", "-eo", "pipefail", "-c"]"#,
            r#"["pwsh", "-c"]"#,
            r#"[ "powershell.exe" ]"#,
            r#"[ "cmd.exe", "/c" ]"#,
        ] {
            let text = format!("FROM scratch\nSHELL {shell}\nRUN wget -O - https://some.site | wc -l file > /number\n");
            assert!(lines(&text, CODE).is_empty(), "{shell}");
        }
        let text = "FROM scratch\nSHELL [\"/bin/sh\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\n";
        assert_eq!(lines(text, CODE), vec![3]);
        let text = "FROM scratch as build\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\nFROM scratch as build2\nRUN a | b\n";
        assert_eq!(lines(text, CODE), vec![5]);
        let text = "FROM scratch\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\nSHELL [\"/bin/sh\", \"-c\"]\nRUN a | b\n";
        assert_eq!(lines(text, CODE), vec![5]);
    }

    #[test]
    fn shell_is_inherited_from_a_parent_stage() {
        // hadolint resets at every FROM; Docker keeps the parent stage's SHELL.
        let text = "FROM alpine AS x\nSHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]\nFROM x\nRUN a | b\n";
        assert!(lines(text, CODE).is_empty());
    }

    #[test]
    fn set_pipefail_in_the_script_counts() {
        assert!(lines("FROM debian\nRUN set -eo pipefail; a | b\n", CODE).is_empty());
        assert!(lines("FROM debian\nRUN set -euxo pipefail && a | b\n", CODE).is_empty());
        // Too late, or in a subshell that has ended.
        assert_eq!(
            lines("FROM debian\nRUN a | b; set -o pipefail\n", CODE),
            vec![2]
        );
        assert_eq!(
            lines("FROM debian\nRUN (set -o pipefail); a | b\n", CODE),
            vec![2]
        );
    }

    #[test]
    fn heredocs() {
        assert_eq!(
            lines("FROM debian\nRUN <<EOF\ncurl x | sh\nEOF\n", CODE),
            vec![3]
        );
        assert!(lines(
            "FROM debian\nRUN <<EOF\nset -eo pipefail\ncurl x | sh\nEOF\n",
            CODE
        )
        .is_empty());
        assert!(lines(
            "FROM debian\nRUN <<EOF\n#!/bin/bash -eo pipefail\ncurl x | sh\nEOF\n",
            CODE
        )
        .is_empty());
        assert_eq!(
            lines("FROM debian\nRUN bash <<EOF\ncurl x | sh\nEOF\n", CODE),
            vec![3]
        );
        assert!(lines(
            "FROM debian\nRUN bash -o pipefail <<EOF\ncurl x | sh\nEOF\n",
            CODE
        )
        .is_empty());
        // A SHELL with pipefail runs a lone heredoc too.
        let text = "FROM debian\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN <<EOF\ncurl x | sh\nEOF\n";
        assert!(lines(text, CODE).is_empty());
    }

    #[test]
    fn sh_c_strings_and_exec_form() {
        assert_eq!(
            lines("FROM debian\nRUN sh -c 'curl x | sh'\n", CODE),
            vec![2]
        );
        assert!(lines("FROM debian\nRUN bash -o pipefail -c 'curl x | sh'\n", CODE).is_empty());
        assert!(lines(
            "FROM debian\nRUN bash -c 'set -o pipefail; curl x | sh'\n",
            CODE
        )
        .is_empty());
        assert_eq!(
            lines("FROM debian\nRUN [\"sh\", \"-c\", \"curl x | sh\"]\n", CODE),
            vec![2]
        );
        // The SHELL does not reach into a new `sh` process.
        let text = "FROM debian\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN sh -c 'curl x | sh'\n";
        assert_eq!(lines(text, CODE), vec![3]);
    }

    #[test]
    fn onbuild_is_skipped_and_messages_name_the_commands() {
        assert!(lines("FROM debian\nONBUILD RUN a | b\n", CODE).is_empty());
        let f = findings("FROM debian\nRUN curl -fsSL x | tar -xz\n", CODE);
        assert!(
            f[0].1.contains("`curl`") && f[0].1.contains("`tar`"),
            "{f:?}"
        );
    }

    #[test]
    fn fixes() {
        use super::super::g4_util::fixed;
        let f = |t: &str| fixed(t, CODE);
        // Debian: bash, once per stage, above the comments of the first RUN.
        assert_eq!(
            f("FROM debian:bookworm-slim\n# fetch\n# hadolint ignore=DL3008\nRUN curl -fsSL x | sh\nRUN a | b\nFROM debian AS two\nRUN c | d\n"),
            "FROM debian:bookworm-slim\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n# fetch\n# hadolint ignore=DL3008\nRUN curl -fsSL x | sh\nRUN a | b\nFROM debian AS two\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN c | d\n"
        );
        // Alpine: ash; lower-case keywords and CRLF kept.
        assert_eq!(
            f("from alpine:3.20\r\nrun a \\\r\n  | b\r\n"),
            "from alpine:3.20\r\nshell [\"/bin/ash\", \"-o\", \"pipefail\", \"-c\"]\r\nrun a \\\r\n  | b\r\n"
        );
        // A stage built on another stage: the root image decides; a SHELL of its own is kept.
        assert_eq!(
            f("FROM python:3.13 AS base\nFROM base\nSHELL [\"/bin/bash\", \"-e\", \"-c\"]\nRUN a | b\n"),
            "FROM python:3.13 AS base\nFROM base\nSHELL [\"/bin/bash\", \"-e\", \"-c\"]\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-e\", \"-c\"]\nRUN a | b\n"
        );
        // A SHELL change in between needs its own fix.
        assert_eq!(
            f("FROM ubuntu\nRUN a | b\nSHELL [\"/bin/sh\", \"-c\"]\nRUN c | d\n"),
            "FROM ubuntu\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\nSHELL [\"/bin/sh\", \"-c\"]\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN c | d\n"
        );
        // A lone heredoc runs with the SHELL.
        assert_eq!(
            f("# escape=`\nFROM fedora\nRUN <<EOF\ncurl x | sh\nEOF\n"),
            "# escape=`\nFROM fedora\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN <<EOF\ncurl x | sh\nEOF\n"
        );
        for unfixable in [
            "FROM scratch\nRUN a | b\n",
            "FROM mycompany/base\nRUN a | b\n",
            "FROM debian\nRUN sh -c 'a | b'\n",
            "FROM debian\nRUN bash <<EOF\na | b\nEOF\n",
            "FROM debian\nRUN <<EOF\n#!/bin/sh\na | b\nEOF\n",
            "FROM debian\nRUN [\"sh\", \"-c\", \"a | b\"]\n",
            "FROM debian\nSHELL [\"/bin/dash\", \"-c\"]\nRUN a | b\n",
        ] {
            assert_eq!(f(unfixable), unfixable);
        }
    }

    #[test]
    fn a_pragma_keeps_its_run_out_of_the_fix() {
        use super::super::g4_util::fixed;
        let text = "FROM debian\n# hadolint ignore=DL4006\nRUN a | b\nRUN c | d\n";
        assert_eq!(
            fixed(text, CODE),
            "FROM debian\n# hadolint ignore=DL4006\nRUN a | b\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN c | d\n"
        );
    }
}
