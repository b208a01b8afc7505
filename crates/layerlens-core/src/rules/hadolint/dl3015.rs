//! DL3015: `apt-get install` without `--no-install-recommends`.

use super::g1_util::{apt_subcommand, insert_flag_after, is_apt_call, name_to_subcommand_span};
use crate::fix::Fix;
use crate::rules::{Category, Context, Docs, Fixability, Origin, Report, Rule, Severity};
use crate::shell::Command;

pub static RULE: Rule = Rule {
    code: "DL3015",
    name: "apt-get-no-install-recommends",
    origin: Origin::Hadolint,
    severity: Severity::Info,
    categories: &[Category::Size],
    summary: "Recommended packages are optional extras that often double the size of an install.",
    docs: Docs::new(
        "Flags `apt-get install` without `--no-install-recommends` (or \
         `-o APT::Install-Recommends=false`).",
        "By default apt also installs every package the ones you asked for merely recommend. \
         Measured on Debian bookworm: `build-essential` is 51 packages and 274 MB installed with \
         `--no-install-recommends`, 130 packages and 359 MB without; `python3-pip` goes from 30 \
         packages (48 MB) to 156 (431 MB). The extras are documentation tools, fonts and \
         helpers the container never uses, but they cost pull time and add attack surface. \
         Install what you need explicitly.",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y python3-pip=23.0.1+dfsg-1 \\\n    && rm -rf /var/lib/apt/lists/*\n",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends python3-pip=23.0.1+dfsg-1 \\\n    && rm -rf /var/lib/apt/lists/*\n",
        "Image Size Optimization",
    )
    .with_fix_note(
        "Adds `--no-install-recommends` after `install`. Unsafe: the image no longer gets the \
         recommended packages, and the application may have relied on one of them without \
         listing it (a CA bundle, a locale, a helper binary). Check that it still runs, and \
         add any package it needs to the install line explicitly.",
    ),
    fix: Fixability::Unsafe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        for (command, part) in run.commands_named("apt-get") {
            if !is_apt_call(command, &["apt-get"], "install") || skips_recommends(command) {
                continue;
            }
            let subcommand = apt_subcommand(command);
            let finding = report.add(
                i,
                name_to_subcommand_span(context, part, command, subcommand),
                "add `--no-install-recommends` so apt installs only the packages you list and their dependencies",
            );
            finding.fix = subcommand
                .and_then(|sub| insert_flag_after(context, i, part, sub, "--no-install-recommends"))
                .map(|edit| Fix::unsafe_("Add --no-install-recommends", vec![edit]));
        }
    }
}

pub(super) fn skips_recommends(c: &Command) -> bool {
    if c.has_long_flag("no-install-recommends") {
        return true;
    }
    let off = |value: &str| {
        value.split_once('=').is_some_and(|(k, v)| {
            k.eq_ignore_ascii_case("APT::Install-Recommends")
                && matches!(
                    v.trim_matches('"').to_ascii_lowercase().as_str(),
                    "false" | "0" | "no" | "off"
                )
        })
    };
    c.flag_values("-o").into_iter().any(off) || c.args().iter().any(|w| off(&w.value))
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::{count, fixed, spans};

    fn run(cmd: &str) -> usize {
        count("DL3015", &format!("FROM debian:12\nRUN {cmd}\n"))
    }

    #[test]
    fn recommends() {
        assert_eq!(
            spans(
                "DL3015",
                "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n"
            ),
            ["apt-get install"]
        );
        assert_eq!(run("apt-get install -y --no-install-recommends curl"), 0);
        assert_eq!(
            run("apt-get -o APT::Install-Recommends=false install -y curl"),
            0
        );
        assert_eq!(
            run("apt-get -oAPT::Install-Recommends=0 install -y curl"),
            0
        );
        assert_eq!(
            run("apt-get -o APT::Install-Recommends=true install -y curl"),
            1
        );
        assert_eq!(run("apt-get remove -y curl"), 0);
        assert_eq!(run("bash -c 'apt-get install -y curl'"), 1);
        assert_eq!(
            count(
                "DL3015",
                "FROM debian:12\nONBUILD RUN apt-get install -y x\n"
            ),
            1
        );
    }

    #[test]
    fn fix_inserts_the_flag_after_install() {
        let fix = |body: &str| fixed("DL3015", &format!("FROM debian:12\nRUN {body}\n"));
        assert_eq!(
            fix("apt-get install -y curl"),
            "FROM debian:12\nRUN apt-get install --no-install-recommends -y curl\n"
        );
        assert_eq!(
            fix("apt-get update \\\n && apt-get install -y \\\n   curl"),
            "FROM debian:12\nRUN apt-get update \\\n && apt-get install --no-install-recommends -y \\\n   curl\n"
        );
        assert_eq!(
            fix("[\"apt-get\", \"install\", \"-y\", \"curl\"]"),
            "FROM debian:12\nRUN [\"apt-get\", \"install\", \"--no-install-recommends\", \"-y\", \"curl\"]\n"
        );
        assert_eq!(
            fix("<<EOF\nset -e\napt-get install -y curl\nEOF"),
            "FROM debian:12\nRUN <<EOF\nset -e\napt-get install --no-install-recommends -y curl\nEOF\n"
        );
        let findings = super::super::g1_util::test_util::findings(
            "DL3015",
            "FROM debian:12\nRUN apt-get install -y curl\n",
        );
        assert_eq!(
            findings[0].fix.as_ref().map(|f| f.applicability),
            Some(crate::fix::Applicability::Unsafe)
        );
    }
}
