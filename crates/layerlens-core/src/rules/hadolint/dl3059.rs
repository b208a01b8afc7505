//! DL3059: consecutive single-command RUNs that could be one.

use super::g3_util::is_shell_c_wrapper;
use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

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
    ),
    fix: crate::rules::Fixability::None,
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
                report.add(
                    i,
                    context.keyword_span(i),
                    format!(
                        "this RUN and the one on line {} each run a single command; join them \
                         with `&&` into one RUN to save a layer",
                        context.instruction(p).start_line
                    ),
                );
                // Like hadolint: a third single RUN is compared with the first.
                continue;
            }
        }
        previous = single.then_some(i);
    }
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
}
