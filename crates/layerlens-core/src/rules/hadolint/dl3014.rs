//! DL3014: `apt-get install` without `-y`.

use super::g1_util::{
    apt_subcommand, is_apt_call, name_to_subcommand_span, rewrite_word_with_flag,
};
use crate::fix::Fix;
use crate::rules::{Category, Context, Docs, Fixability, Origin, Report, Rule, Severity};
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
    )
    .with_fix_note(
        "Adds `-y` right after `install`. Safe: the flag only answers the confirmation \
         prompt. A build that succeeds today never reached that prompt (or its apt config \
         already assumes yes), so it installs exactly the same packages with the flag; the \
         only builds that change are the ones that stopped at the prompt and failed.",
    ),
    fix: Fixability::Safe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        for (command, part) in run.commands_named("apt-get") {
            if !is_apt_call(command, &["apt-get"], "install") || assumes_yes(command) {
                continue;
            }
            let subcommand = apt_subcommand(command);
            let finding = report.add(
                i,
                name_to_subcommand_span(context, part, command, subcommand),
                "add `-y` so `apt-get install` does not stop at a confirmation prompt",
            );
            // Written as a rewrite of `install`, so DL3015's insertion after the same word
            // applies in the same pass: `install -y --no-install-recommends`.
            finding.fix = subcommand
                .and_then(|sub| rewrite_word_with_flag(context, i, part, sub, "-y"))
                .map(|edit| Fix::safe("Add -y to apt-get install", vec![edit]));
        }
    }
}

pub(super) fn assumes_yes(c: &Command) -> bool {
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
    use super::super::g1_util::test_util::{count, fixed, spans};

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

    #[test]
    fn fix_adds_yes_after_install() {
        let fix = |body: &str| fixed("DL3014", &format!("FROM debian:12\nRUN {body}\n"));
        assert_eq!(
            fix("apt-get update && apt-get install curl"),
            "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n"
        );
        assert_eq!(
            fix("apt-get update \\\n    && apt-get -q install \\\n        curl"),
            "FROM debian:12\nRUN apt-get update \\\n    && apt-get -q install -y \\\n        curl\n"
        );
        assert_eq!(
            fix("[\"apt-get\", \"install\", \"curl\"]"),
            "FROM debian:12\nRUN [\"apt-get\", \"install\", \"-y\", \"curl\"]\n"
        );
        assert_eq!(
            fix("sh -c 'apt-get install curl'"),
            "FROM debian:12\nRUN sh -c 'apt-get install -y curl'\n"
        );
        assert_eq!(
            fix("<<EOF\napt-get install curl\nEOF"),
            "FROM debian:12\nRUN <<EOF\napt-get install -y curl\nEOF\n"
        );
        // Inside an exec-form `sh -c` string the word has no exact place: no fix.
        let text = "FROM debian:12\nRUN [\"sh\", \"-c\", \"apt-get install curl\"]\n";
        assert_eq!(fixed("DL3014", text), text);
        assert_eq!(
            fixed(
                "DL3014",
                "# escape=`\nFROM debian:12\nONBUILD RUN apt-get update `\n  && apt-get install curl\n"
            ),
            "# escape=`\nFROM debian:12\nONBUILD RUN apt-get update `\n  && apt-get install -y curl\n"
        );
    }

    #[test]
    fn fix_combines_with_no_install_recommends() {
        // DL3014 rewrites `install`, DL3015 inserts after it: both apply in one pass.
        let text = "FROM debian:12\nRUN apt-get install curl\n";
        let model = crate::model::Model::parse(text);
        let options = crate::rules::LintOptions {
            keep_off_by_default: true,
        };
        let found = crate::rules::lint(&model, &Default::default(), None, &options);
        let fixes = found
            .iter()
            .filter(|f| f.code == "DL3014" || f.code == "DL3015")
            .filter_map(|f| f.fix.as_ref());
        assert_eq!(
            crate::fix::apply_fixes(text, fixes),
            (
                "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\n".to_string(),
                2
            )
        );
    }
}
