//! DL3047: `wget` printing its progress bar into the build log.

use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::shell::Command;

pub static RULE: Rule = Rule {
    code: "DL3047",
    name: "wget-progress",
    origin: Origin::Hadolint,
    severity: Severity::Info,
    categories: &[Category::Maintainability],
    summary: "wget's default progress output floods non-interactive build logs.",
    docs: Docs::new(
        "Flags `wget` without an option that tames its output: `--progress=…`, `-q`/`--quiet`, \
         `-nv`/`--no-verbose`, or `-o`/`-a` (`--output-file`, `--append-output`) sending the \
         log to a file.",
        "Without a terminal, wget falls back to printing a dot for every few kilobytes it \
         fetches: downloading a 200 MB archive writes thousands of lines into the build log, \
         which slows CI log viewers, hits log size limits (BuildKit truncates a step's output \
         at 2 MiB by default) and buries the lines that explain a failure.",
        "FROM debian:bookworm-slim\nRUN wget https://example.com/tool.tar.gz\n",
        "FROM debian:bookworm-slim\nRUN wget --progress=dot:giga https://example.com/tool.tar.gz\n",
        "Build Performance",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

/// wget's short options that take a value: in `-O/tmp/a` the letters after `O` are its
/// value, not options.
const VALUE_LETTERS: &str = "OoatTwPUeiBQlARDIX";

/// Whether one of `wanted` is given as a short option (alone or in a cluster such as
/// `-qO-`), before `--`.
fn has_short(command: &Command, wanted: &[char]) -> bool {
    command
        .args()
        .iter()
        .take_while(|w| w.value != "--")
        .filter_map(|w| w.value.strip_prefix('-'))
        .filter(|rest| !rest.starts_with('-'))
        .any(|cluster| {
            for c in cluster.chars() {
                if wanted.contains(&c) {
                    return true;
                }
                if VALUE_LETTERS.contains(c) {
                    return false;
                }
            }
            false
        })
}

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        for (command, part) in run.commands_named("wget") {
            let quiet = command.has_long_flag("progress")
                || command.has_long_flag("quiet")
                || command.has_long_flag("no-verbose")
                || command.has_long_flag("output-file")
                || command.has_long_flag("append-output")
                || command.args().iter().any(|w| w.value == "-nv")
                || has_short(command, &['q', 'o', 'a']);
            if quiet {
                continue;
            }
            report.add(
                i,
                part.command_span(context.model, command),
                "`wget` will print thousands of progress lines into the build log; add \
                 `--progress=dot:giga` (or `-q`/`-nv`)",
            );
        }
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
            .filter(|f| f.code == "DL3047")
            .count()
    }

    #[test]
    fn options_and_nesting() {
        assert_eq!(count("FROM d\nRUN wget -qO- https://x | sh\n"), 0);
        assert_eq!(count("FROM d\nRUN wget -O- https://x\n"), 1);
        assert_eq!(count("FROM d\nRUN wget -O/tmp/a.tar https://x\n"), 1);
        assert_eq!(count("FROM d\nRUN sh -c 'wget https://x'\n"), 1);
        assert_eq!(count("FROM d\nRUN [\"wget\", \"https://x\"]\n"), 1);
        assert_eq!(count("FROM d\nRUN <<EOF\nwget -nv https://x\nEOF\n"), 0);
    }
}
