//! LL1008: whole-system upgrades (`apt-get upgrade`, `apk upgrade`, `yum update`...).

use super::g5_fix_util::delete_command;
use crate::fix::Fix;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "LL1008",
    name: "no-system-upgrade",
    origin: Origin::Layerlens,
    severity: Severity::Warning,
    categories: &[Category::Correctness, Category::Size],
    summary: "Upgrading every package makes builds unreproducible; update the base image instead.",
    docs: Docs::new(
        "Flags `apt-get upgrade`/`dist-upgrade`/`full-upgrade` (also `apt` and `aptitude`), \
         `apk upgrade`, `yum update`/`upgrade`, `dnf upgrade`/`update`/`distro-sync`, \
         `microdnf update` and `zypper update`/`patch` run without naming packages.",
        "An upgrade installs whatever the mirrors hold on build day, so the same Dockerfile \
         gives different images week to week and a rebuild can pull a breaking change. It also \
         duplicates every upgraded file of the base image in a new layer (tens to hundreds of \
         MB). The base image maintainers publish patched images regularly: pull a newer tag \
         (or pin a digest and bump it) and upgrade single packages by name when you must.",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get upgrade -y \\\n    && rm -rf /var/lib/apt/lists/*\n",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends --only-upgrade openssl \\\n    && rm -rf /var/lib/apt/lists/*\n",
        "Common Anti-Patterns",
    )
    .with_fix_note(
        "Deletes the upgrade command together with the `&&` or `;` that joins it to its \
         neighbours (the whole RUN when it did nothing else). Unsafe: the image then keeps \
         the package versions of its base instead of the newest ones, which is the point \
         but may drop a security update the base image has not shipped yet. No fix when the \
         upgrade sits in a pipeline, condition, loop or `sh -c` string, or behind `||`.",
    ),
    fix: crate::rules::Fixability::Unsafe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        for (cmd, part) in run.commands() {
            let Some(name) = cmd.basename() else { continue };
            let (value_flags, upgrades): (&[&str], &[&str]) = match name {
                "apt-get" | "apt" => (
                    &["-t", "--target-release", "-o", "-c"],
                    &["upgrade", "dist-upgrade", "full-upgrade"],
                ),
                "aptitude" => (
                    &["-t", "-o"],
                    &["upgrade", "safe-upgrade", "full-upgrade", "dist-upgrade"],
                ),
                "apk" => (&["-X", "--repository", "-p", "--root"], &["upgrade"]),
                "yum" | "dnf" | "microdnf" | "tdnf" | "dnf5" => (
                    &[
                        "-c",
                        "--config",
                        "-x",
                        "--exclude",
                        "--setopt",
                        "--releasever",
                        "--enablerepo",
                        "--disablerepo",
                    ],
                    &[
                        "update",
                        "upgrade",
                        "distro-sync",
                        "dsync",
                        "upgrade-minimal",
                        "up",
                    ],
                ),
                // `zypper dist-upgrade` is hadolint's DL3035.
                "zypper" => (
                    &["-R", "--root", "-r", "--repo"],
                    &["update", "up", "patch"],
                ),
                _ => continue,
            };
            let positional = cmd.positional_args_with(value_flags);
            let Some((at, sub)) = positional
                .iter()
                .enumerate()
                .find(|(_, w)| !w.has_expansion)
            else {
                continue;
            };
            if !upgrades.contains(&sub.value.as_str()) {
                continue;
            }
            // `apt-get upgrade` ignores names; the others upgrade only what is named.
            let targeted =
                !matches!(name, "apt-get" | "apt" | "aptitude") && positional.len() > at + 1;
            if targeted {
                continue;
            }
            let span = part.span(context.model, &(cmd.words[0].range.start..sub.range.end));
            let fix = delete_command(context.model, i, run, part, cmd)
                .map(|edits| Fix::unsafe_(format!("Remove `{name} {}`", sub.value), edits));
            report
                .add(
                    i,
                    span,
                    format!(
                        "`{name} {}` upgrades every package to whatever the mirrors hold today: use a newer base image tag and upgrade single packages by name if needed",
                        sub.value
                    ),
                )
                .fix = fix;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g5_util::test_support::*;

    #[test]
    fn upgrades() {
        let bad = "FROM python:3.13-slim\nRUN apt-get update && apt-get upgrade -y\n";
        assert_eq!(spans("LL1008", bad), ["apt-get upgrade"]);
        let text = "FROM x\nRUN apt-get -y dist-upgrade\nRUN apk upgrade --no-cache\nRUN yum -y update\nRUN dnf upgrade -y\nRUN zypper -n update\n";
        assert_eq!(findings("LL1008", text).len(), 5);
        let ok = "FROM x\nRUN apk upgrade --no-cache openssl\nRUN yum update -y openssl\nRUN apt-get update\nRUN apt-get install -y --only-upgrade openssl\n";
        assert!(findings("LL1008", ok).is_empty());
        assert_eq!(
            findings("LL1008", "FROM x\nRUN sh -c 'apt-get upgrade -y'\n").len(),
            1
        );
        for text in [FASTAPI, NEXTJS, GO] {
            assert!(findings("LL1008", text).is_empty());
        }
    }

    #[test]
    fn fixes() {
        assert_eq!(
            fixed(
                "LL1008",
                "FROM debian:12\nRUN apt-get update && apt-get upgrade -y\n"
            ),
            "FROM debian:12\nRUN apt-get update\n"
        );
        assert_eq!(
            fixed(
                "LL1008",
                "FROM debian:12\nRUN apt-get update \\\n    && apt-get -y dist-upgrade \\\n    && rm -rf /var/lib/apt/lists/*\n"
            ),
            "FROM debian:12\nRUN apt-get update \\\n    && rm -rf /var/lib/apt/lists/*\n"
        );
        assert_eq!(
            fixed(
                "LL1008",
                "# escape=`\nFROM alpine:3.20\nRUN apk upgrade --no-cache `\n    && apk add --no-cache curl\n"
            ),
            "# escape=`\nFROM alpine:3.20\nRUN apk add --no-cache curl\n"
        );
        // A RUN that only upgrades goes; comments stay.
        assert_eq!(
            fixed(
                "LL1008",
                "FROM fedora:40\n# patch everything\nRUN yum -y update\nRUN yum -y install x\n"
            ),
            "FROM fedora:40\n# patch everything\nRUN yum -y install x\n"
        );
        assert_eq!(
            fixed(
                "LL1008",
                "FROM debian:12\nRUN <<EOF\nset -e\napt-get update\napt-get upgrade -y\nEOF\n"
            ),
            "FROM debian:12\nRUN <<EOF\nset -e\napt-get update\nEOF\n"
        );
        assert_eq!(
            fixed(
                "LL1008",
                "FROM debian:12\nONBUILD RUN apt-get update && apt-get upgrade -y\n"
            ),
            "FROM debian:12\nONBUILD RUN apt-get update\n"
        );
        for text in [
            "FROM x\nRUN sh -c 'apt-get upgrade -y'\n",
            "FROM x\nRUN apt-get upgrade -y || true\n",
            "FROM x\nRUN [\"apt-get\", \"upgrade\", \"-y\"]\n",
        ] {
            let f = findings("LL1008", text);
            assert_eq!(f.len(), 1, "{text}");
            assert!(f[0].fix.is_none(), "{text}");
        }
    }
}
