//! DL3027: `apt` in a RUN.

use super::g2_util::word_span;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3027",
    name: "no-apt",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Correctness, Category::Maintainability],
    summary: "`apt` is made for people at a terminal; scripts should call `apt-get`.",
    docs: Docs::new(
        "Flags every `apt` command in a RUN (also in heredoc scripts, `sh -c` strings, exec form \
         and ONBUILD).",
        "`apt` is the interactive front end: its output, progress bars and even its command-line \
         behaviour may change between releases without notice, and it prints \"WARNING: apt \
         does not have a stable CLI interface\" into every build log. `apt-get` and `apt-cache` \
         are the scriptable tools with a stable interface, and the other apt rules (pinning, \
         `-y`, `--no-install-recommends`, list cleanup) know how to check them.",
        "FROM debian:bookworm-slim\nRUN apt update && apt install -y --no-install-recommends curl=7.88.1-10+deb12u8 \\\n    && rm -rf /var/lib/apt/lists/*\n",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \\\n    && rm -rf /var/lib/apt/lists/*\n",
        "Common Anti-Patterns",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        for (command, part) in run.commands_named("apt") {
            let Some(name) = command.words.first() else {
                continue;
            };
            let replacement = match command.positional_args().first().map(|w| w.value.as_str()) {
                Some("search" | "show" | "policy" | "depends" | "rdepends" | "showsrc") => {
                    "apt-cache"
                }
                _ => "apt-get",
            };
            report.add(
                i,
                word_span(context.model, part, name),
                format!("call `{replacement}` instead of `apt`, whose interface is not stable for scripts"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g2_util::test_support::{findings, spans};

    const CODE: &str = "DL3027";

    #[test]
    fn every_apt_command() {
        let text = "FROM debian:12\nRUN apt update && /usr/bin/apt install -y x && apt-get clean\nRUN bash -c 'apt show curl'\nONBUILD RUN apt upgrade\n";
        assert_eq!(spans(text, CODE), vec!["apt", "/usr/bin/apt", "apt", "apt"]);
        assert!(findings(text, CODE)[2].2.contains("apt-cache"));
    }
}
