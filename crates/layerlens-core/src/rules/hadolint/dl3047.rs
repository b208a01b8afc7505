//! DL3047: `wget` printing its progress bar into the build log.

use super::g3_util::insert_arg_after;
use crate::fix::Fix;
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
    )
    .with_fix_note(
        "Adds `-nv` (no-verbose) right after `wget`. `-nv` rather than `--progress=dot:giga` \
         because BusyBox wget, the `wget` of Alpine images, accepts (and ignores) `-nv` but \
         rejects `--progress`, which would break the build. Safe: only the log output \
         changes; GNU wget still prints errors and one line per downloaded file.",
    ),
    fix: crate::rules::Fixability::Safe,
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
            let fix = command
                .words
                .first()
                .and_then(|name| insert_arg_after(context.model, run, part, command, name, "-nv"));
            report
                .add(
                    i,
                    part.command_span(context.model, command),
                    "`wget` will print thousands of progress lines into the build log; add \
                     `-nv` (or `--progress=dot:giga` with GNU wget, or `-q`)",
                )
                .fix = fix.map(|edit| Fix::safe("Add `-nv` to wget", vec![edit]));
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

    #[test]
    fn fixes() {
        use super::super::g4_util::fixed;
        let f = |t: &str| fixed(t, "DL3047");
        assert_eq!(
            f("FROM d\nRUN wget -O /tmp/a https://x/a && wget https://x/b\n"),
            "FROM d\nRUN wget -nv -O /tmp/a https://x/a && wget -nv https://x/b\n"
        );
        assert_eq!(
            f("FROM d\nRUN set -e; \\\n    /usr/bin/wget \\\n      https://x/a\n"),
            "FROM d\nRUN set -e; \\\n    /usr/bin/wget -nv \\\n      https://x/a\n"
        );
        assert_eq!(
            f("# escape=`\nFROM d\nRUN wget `\n    https://x/a\n"),
            "# escape=`\nFROM d\nRUN wget -nv `\n    https://x/a\n"
        );
        assert_eq!(
            f("FROM d\nRUN [\"wget\", \"https://x\"]\n"),
            "FROM d\nRUN [\"wget\", \"-nv\", \"https://x\"]\n"
        );
        assert_eq!(
            f("FROM d\nONBUILD RUN <<EOF\nwget https://x\nEOF\n"),
            "FROM d\nONBUILD RUN <<EOF\nwget -nv https://x\nEOF\n"
        );
    }
}
