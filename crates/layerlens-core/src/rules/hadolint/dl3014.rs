//! DL3014: `apt-get install` without `-y`.

use super::g1_util::{apt_subcommand, is_apt_call, name_to_subcommand_span};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::shell::Command;

pub static RULE: Rule = Rule {
    code: "DL3014",
    name: "apt-get-assume-yes",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Correctness],
    summary: "Without `-y`, apt-get asks for confirmation that a build cannot give.",
    docs: Docs::new(
        "Flags `apt-get install` without `-y`/`--yes`/`--assume-yes`, `-qq` (or `-q=2`, \
         `--quiet --quiet`, which imply yes), or `-o APT::Get::Assume-Yes=true`.",
        "When an install pulls in more than the named packages, apt-get stops at \"Do you want \
         to continue? [Y/n]\". A build has no terminal, so apt reads end-of-file and aborts: the \
         build fails, or works today and breaks the day a dependency changes and the prompt \
         appears. `-y` answers yes up front; it does not change what gets installed.",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install --no-install-recommends curl=7.88.1-10+deb12u8 \\\n    && rm -rf /var/lib/apt/lists/*\n",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \\\n    && rm -rf /var/lib/apt/lists/*\n",
        "Common Anti-Patterns",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        for (command, part) in run.commands_named("apt-get") {
            if !is_apt_call(command, &["apt-get"], "install") || assumes_yes(command) {
                continue;
            }
            report.add(
                i,
                name_to_subcommand_span(context, part, command, apt_subcommand(command)),
                "add `-y` so `apt-get install` does not stop at a confirmation prompt",
            );
        }
    }
}

fn assumes_yes(c: &Command) -> bool {
    if c.has_flag('y') || c.has_long_flag("yes") || c.has_long_flag("assume-yes") {
        return true;
    }
    // Quiet level 2 implies -y: `-qq`, `-q -q`, `-q=2`, `--quiet --quiet`.
    let mut quiet = 0;
    for w in c.args().iter().take_while(|w| w.value != "--") {
        let v = w.value.as_str();
        if v == "-q=2" || v == "--quiet=2" {
            return true;
        }
        if v == "--quiet" {
            quiet += 1;
        } else if let Some(cluster) = v.strip_prefix('-').filter(|r| !r.starts_with('-')) {
            if !cluster.contains('=') {
                quiet += cluster.matches('q').count();
            }
        }
    }
    if quiet >= 2 {
        return true;
    }
    c.flag_values("-o").iter().any(|o| {
        o.split_once('=').is_some_and(|(k, v)| {
            k.eq_ignore_ascii_case("APT::Get::Assume-Yes")
                && matches!(v.to_ascii_lowercase().as_str(), "true" | "1" | "yes")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::{count, spans};

    fn run(cmd: &str) -> usize {
        count("DL3014", &format!("FROM debian:12\nRUN {cmd}\n"))
    }

    #[test]
    fn yes_forms() {
        assert_eq!(
            spans("DL3014", "FROM debian:12\nRUN apt-get -q install curl\n"),
            ["apt-get -q install"]
        );
        assert_eq!(run("apt-get install curl"), 1);
        assert_eq!(run("apt-get install -yq curl"), 0);
        assert_eq!(run("apt-get -qy install curl"), 0);
        assert_eq!(run("apt-get install -q curl"), 1);
        assert_eq!(run("apt-get install -q --quiet curl"), 0);
        assert_eq!(run("apt-get -o APT::Get::Assume-Yes=true install curl"), 0);
        assert_eq!(run("apt-get update"), 0);
        // `install` as a package name or option value is not the subcommand.
        assert_eq!(run("apt-get -o Dir::Etc=install remove -y x"), 0);
    }

    #[test]
    fn everywhere() {
        assert_eq!(run("sh -c 'apt-get install curl'"), 1);
        assert_eq!(run("[\"apt-get\", \"install\", \"curl\"]"), 1);
        assert_eq!(run("<<EOF\napt-get install curl\nEOF"), 1);
        assert_eq!(
            count(
                "DL3014",
                "FROM debian:12\nONBUILD RUN apt-get install curl\n"
            ),
            1
        );
    }
}
