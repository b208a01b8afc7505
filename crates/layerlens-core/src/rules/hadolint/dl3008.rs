//! DL3008: `apt-get install` without pinned versions.

use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::shell::{Command, Word};

pub static RULE: Rule = Rule {
    code: "DL3008",
    name: "apt-get-pin-versions",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Correctness],
    summary: "Unpinned apt packages make the same Dockerfile build different images over time.",
    docs: Docs::new(
        "Flags `apt-get install` of a package without a version (`pkg=1.2-3`), a release \
         (`pkg/bookworm-backports`) or a local `.deb` file.",
        "Debian mirrors move on: `apt-get install curl` gives whatever version is current on \
         the day of the build, so two builds of one commit can differ, and a rebuild months \
         later may pull a major upgrade that breaks the image. Pinning makes rebuilds \
         reproducible and upgrades deliberate. (Pins must be refreshed when the base image \
         moves to a newer Debian release.)",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n    && rm -rf /var/lib/apt/lists/*\n",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \\\n    && rm -rf /var/lib/apt/lists/*\n",
        "Security Best Practices",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

/// Options of apt-get that take the next word as their value.
const VALUE_FLAGS: [&str; 4] = ["-t", "--target-release", "-o", "-c"];

/// The packages of an `apt-get install` (also used on `apt install`, which DL3027 renames)
/// that carry no version, release or `.deb` path.
pub(super) fn unpinned_packages(command: &Command) -> Vec<&Word> {
    let positional = command.positional_args_with(&VALUE_FLAGS);
    let Some(at) = positional.iter().position(|w| w.value == "install") else {
        return Vec::new();
    };
    positional
        .get(at + 1..)
        .unwrap_or(&[])
        .iter()
        .copied()
        .filter(|package| {
            let name = package.value.as_str();
            !(name.contains('=') || name.contains('/') || name.ends_with(".deb"))
        })
        .collect()
}

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        for (command, part) in run.commands_named("apt-get") {
            for package in unpinned_packages(command) {
                let name = package.value.as_str();
                let span = part.span(context.model, &package.range);
                report.add(
                    i,
                    span,
                    format!("pin the version of `{name}` (`{name}=<version>`) so rebuilds install the same package"),
                );
            }
        }
    }
}
