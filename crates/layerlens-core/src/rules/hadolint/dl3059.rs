//! DL3059: consecutive single-command RUNs that could be one.

use super::g3_util::{append_point, continuation_layout, is_shell_c_wrapper, line_ending};
use crate::fix::{Edit, Fix};
use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::syntax::NodeKind;
use crate::text::Span;

pub static RULE: Rule = Rule {
    code: "DL3059",
    name: "consecutive-run",
    origin: Origin::Hadolint,
    severity: Severity::Info,
    categories: &[Category::Size, Category::Cache],
    summary: "Each RUN adds a layer; back-to-back one-command RUNs are usually one step.",
    docs: Docs::new(
        "Flags a RUN that directly follows another RUN (comments in between do not matter) \
         when both consist of a single simple command and carry the same flags (`--mount`, \
         `--network`, `--security`). RUNs that already chain several commands are taken as \
         deliberately split. Commands inside `sh -c` strings and heredoc bodies are counted, \
         so `RUN sh -c 'a && b'` is a chain, while `RUN sh -c 'a'` is one command.",
        "Every RUN is a layer and a cache step: each adds a few KB of metadata, a snapshot \
         and, when a later RUN deletes what an earlier one created, bytes that can never be \
         reclaimed. Merging `RUN apt-get update` and `RUN apt-get install …` also fixes the \
         classic stale-cache bug where the install reuses an old cached update layer.",
        "FROM debian:bookworm-slim\nRUN mkdir -p /srv/app\nRUN chown nobody /srv/app\n",
        "FROM debian:bookworm-slim\nRUN mkdir -p /srv/app \\\n    && chown nobody /srv/app\n",
        "Understanding Docker Layers",
    )
    .with_fix_note(
        "Joins this RUN onto the RUN before it: the earlier line gets a continuation and \
         this one becomes `    && <command>` (or follows the `&& \\` style the earlier RUN \
         already uses), with the file's escape character; comment lines in between stay \
         inside the continuation, blank ones go. Unsafe: the two commands now share a layer \
         and a cache key and run in one shell, so a change to either reruns both. No fix \
         when the first command changes the shell's state (`cd`, `export`, `exec`, ...), \
         when either RUN uses a heredoc or exec form, or when a pragma sits between them.",
    ),
    fix: crate::rules::Fixability::Unsafe,
    check,
};

/// The number of simple commands a RUN executes, stopping once it exceeds one. A shell
/// wrapper whose `-c` string was analysed counts through its inner commands.
fn command_count(context: &Context, i: usize) -> usize {
    let Some(run) = context.run(i) else {
        return 0;
    };
    let mut count = 0;
    for part in &run.parts {
        let commands = &part.script.commands;
        for (k, command) in commands.iter().enumerate() {
            if command.words.is_empty() || is_shell_c_wrapper(command, commands.get(k + 1)) {
                continue;
            }
            count += 1;
            if count > 1 {
                return count;
            }
        }
    }
    count
}

/// The flags of a RUN as written, for comparing two RUNs.
fn flags<'a>(context: &Context<'a>, i: usize) -> Vec<&'a str> {
    context
        .instruction(i)
        .command
        .flags
        .iter()
        .map(|f| f.text.value.as_str())
        .collect()
}

fn check(context: &Context, report: &mut Report) {
    // The previous instruction if it was a single-command RUN.
    let mut previous: Option<usize> = None;
    for i in 0..context.len() {
        if !matches!(context.typed(i), Typed::Run(_)) {
            previous = None;
            continue;
        }
        let single = command_count(context, i) <= 1;
        if let Some(p) = previous {
            if single && flags(context, p) == flags(context, i) {
                // Merge into the RUN right before (in a chain of single RUNs each one is
                // joined onto its predecessor, so the fixes of a chain do not overlap).
                let fix = merge_fix(context, i - 1, i);
                report
                    .add(
                        i,
                        context.keyword_span(i),
                        format!(
                            "this RUN and the one on line {} each run a single command; join them \
                         with `&&` into one RUN to save a layer",
                            context.instruction(p).start_line
                        ),
                    )
                    .fix = fix;
                // Like hadolint: a third single RUN is compared with the first.
                continue;
            }
        }
        previous = single.then_some(i);
    }
}

/// Builtins whose effect outlives the command: after a merge they would change what the
/// next command sees (or, for `exec` and `exit`, stop it from running).
const STATEFUL: &[&str] = &[
    "cd", "pushd", "popd", "export", "set", "unset", "source", ".", "alias", "unalias", "umask",
    "ulimit", "shopt", "trap", "exec", "eval", "exit", "return", "readonly", "declare", "typeset",
    "local", "hash", "enable", "builtin", "shift",
];

/// The fix joining RUN `i` onto RUN `p` (the instruction right before it).
fn merge_fix(context: &Context, p: usize, i: usize) -> Option<Fix> {
    let model = context.model;
    let text = model.doc.text.as_str();
    let (first, second) = (context.instruction(p), context.instruction(i));
    let (run_p, run_i) = (context.run(p)?, context.run(i)?);
    let plain = |run: &crate::rules::RunAnalysis, instruction: &crate::syntax::Instruction| {
        !run.exec_form && run.parts.len() == 1 && instruction.heredocs.is_empty()
    };
    if !plain(run_p, first) || !plain(run_i, second) {
        return None;
    }
    let part = run_p.parts.first()?;
    // The first command must not leave state behind for the second.
    let command = part.script.commands.iter().find(|c| !c.words.is_empty())?;
    if command.basename().is_some_and(|n| STATEFUL.contains(&n))
        || part.script.commands.iter().any(|c| c.words.is_empty())
    {
        return None;
    }
    // Only blanks or `;` may follow the last command (a comment would swallow the rest).
    let point = append_point(part)?;
    if !part
        .text
        .get(point..)?
        .trim_matches([' ', '\t', ';'])
        .is_empty()
        || point == 0
    {
        return None;
    }
    if first.pieces.last()?.kind != crate::syntax::PieceKind::Line
        || first.has_empty_continuation_line
    {
        return None;
    }
    let at = part.span(model, &(point - 1..point)).end;
    let body_start = second.command.rest.span.start;
    if body_start <= at {
        return None;
    }
    // What lies between: comments are kept (inside the continuation), blank lines go; a
    // pragma or `# check=` comment belongs to the second RUN and stops the merge.
    let mut comments = String::new();
    for node in &model.doc.nodes {
        if node.span.start < first.span.end || node.span.end > second.span.start {
            continue;
        }
        match node.kind {
            NodeKind::Comment => {
                let line = node.span.slice(text);
                if crate::rules::pragma::parse_pragma(line).is_some()
                    || line
                        .trim_start_matches(['#', ' ', '\t'])
                        .strip_prefix("check")
                        .is_some_and(|r| r.trim_start().starts_with('='))
                {
                    return None;
                }
                comments.push_str(line);
                if !line.ends_with('\n') {
                    comments.push_str(line_ending(text, first.span.start));
                }
            }
            NodeKind::Blank => {}
            _ => return None,
        }
    }
    let escape = model.doc.directives.escape;
    let joiner = match continuation_layout(model, p) {
        Some(layout) if layout.leading_operator => format!(
            "{}{escape}{}{comments}{}&&{}",
            layout.before_escape, layout.newline, layout.indent, layout.after_operator
        ),
        Some(layout) => format!(
            " &&{}{escape}{}{comments}{}",
            layout.before_escape, layout.newline, layout.indent
        ),
        None => {
            let newline = line_ending(text, first.span.start);
            format!(" {escape}{newline}{comments}    && ")
        }
    };
    Some(Fix::unsafe_(
        format!("Join this RUN onto the RUN on line {}", first.start_line),
        vec![Edit::replace(Span::new(at, body_start), joiner)],
    ))
}

#[cfg(test)]
mod tests {
    use crate::model::Model;
    use crate::rules::{lint, Config, LintOptions};

    fn count(text: &str) -> usize {
        let options = LintOptions {
            keep_off_by_default: true,
        };
        lint(&Model::parse(text), &Config::default(), None, &options)
            .iter()
            .filter(|f| f.code == "DL3059")
            .count()
    }

    #[test]
    fn single_commands_only() {
        assert_eq!(count("FROM d\nRUN a\nRUN b\nRUN c\n"), 2);
        assert_eq!(count("FROM d\nRUN sh -c 'a && b'\nRUN c\n"), 0);
        assert_eq!(count("FROM d\nRUN sh -c 'a'\nRUN c\n"), 1);
        assert_eq!(count("FROM d\nRUN cat <<EOF > /x\nhi\nEOF\nRUN c\n"), 1);
        assert_eq!(count("FROM d\nRUN <<EOF\na\nb\nEOF\nRUN c\n"), 0);
        assert_eq!(count("FROM d\nRUN [\"a\"]\nRUN [\"b\"]\n"), 1);
        assert_eq!(count("FROM d\nRUN a\nONBUILD RUN b\nRUN c\n"), 0);
        assert_eq!(count("FROM d\nRUN a\nFROM e\nRUN b\n"), 0);
    }

    #[test]
    fn fixes() {
        use super::super::g4_util::fixed;
        let f = |t: &str| fixed(t, "DL3059");
        assert_eq!(
            f("FROM d\nRUN mkdir -p /srv/app\nRUN chown nobody /srv/app\n"),
            "FROM d\nRUN mkdir -p /srv/app \\\n    && chown nobody /srv/app\n"
        );
        // A chain, comments kept inside the continuation, blank lines dropped, `;` dropped.
        assert_eq!(
            f("FROM d\nRUN a;\n\n# then b\nRUN b \\\n      --flag\nRUN c # done\nCOPY x /x\n"),
            "FROM d\nRUN a \\\n# then b\n    && b \\\n      --flag \\\n    && c # done\nCOPY x /x\n"
        );
        // The earlier RUN's own layout is followed.
        assert_eq!(
            f("FROM d\nRUN --network=none a && \\\n  b\nRUN --network=none c\nRUN --network=none d\n"),
            "FROM d\nRUN --network=none a && \\\n  b\nRUN --network=none c \\\n    && d\n"
        );
        assert_eq!(
            f("# escape=`\r\nFROM d\r\nRUN a\r\nRUN b\r\n"),
            "# escape=`\r\nFROM d\r\nRUN a `\r\n    && b\r\n"
        );
        for unfixable in [
            "FROM d\nRUN cd /x\nRUN make\n",
            "FROM d\nRUN export A=1\nRUN make\n",
            "FROM d\nRUN A=1\nRUN make\n",
            "FROM d\nRUN a # note\nRUN b\n",
            "FROM d\nRUN [\"a\"]\nRUN [\"b\"]\n",
            "FROM d\nRUN cat <<EOF > /x\nhi\nEOF\nRUN c\n",
            "FROM d\nRUN a\n# hadolint ignore=DL3008\nRUN apt-get install -y b\n",
        ] {
            assert_eq!(f(unfixable), unfixable);
        }
    }
}
