//! DL3040: `dnf`/`microdnf` installs without cleaning the package cache afterwards.

use super::g3_util::append_step;
use crate::fix::Fix;
use crate::rules::cmd::has_cache_mount;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::shell::Command;

pub static RULE: Rule = Rule {
    code: "DL3040",
    name: "dnf-clean-all",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Size],
    summary:
        "dnf keeps downloaded metadata and packages in /var/cache; clean them in the same RUN.",
    docs: Docs::new(
        "Flags a RUN where `dnf` or `microdnf` installs, upgrades or reinstalls packages and no \
         later command of the same RUN cleans the cache (`dnf clean all`, or `rm -rf` of \
         `/var/cache/dnf`, `/var/cache/yum` or `/var/cache/libdnf5`). A cache or tmpfs mount \
         on the cache directory makes the clean-up unnecessary.",
        "The repository metadata dnf downloads is typically 50–250 MB on Fedora and RHEL \
         images, and it is committed into the layer of the RUN that installed packages. A \
         later `RUN dnf clean all` cannot win those bytes back, because the earlier layer \
         still holds them; only cleaning in the same RUN (or keeping the cache in a \
         `--mount=type=cache`) keeps the image small.",
        "FROM fedora:41\nRUN dnf install -y httpd-2.4.62\n",
        "FROM fedora:41\nRUN dnf install -y httpd-2.4.62 && dnf clean all\n",
        "Image Size Optimization",
    )
    .with_fix_note(
        "Chains `dnf clean all` (or `microdnf clean all`) onto the end of the same RUN with \
         `&&`: on a RUN written over several `&&`-joined lines it adds a line in the same \
         style, in a heredoc script it extends the last command. Safe: only dnf's download \
         cache goes, the installed packages stay, and the `&&` keeps the RUN failing when an \
         earlier command fails. Exec-form RUNs and installs with `--installroot` get no fix.",
    ),
    fix: crate::rules::Fixability::Safe,
    check,
};

/// Subcommands that download packages into the cache.
const INSTALLS: [&str; 17] = [
    "install",
    "in",
    "upgrade",
    "up",
    "update",
    "upgrade-minimal",
    "up-min",
    "update-minimal",
    "reinstall",
    "rei",
    "localinstall",
    "groupinstall",
    "groupupdate",
    "downgrade",
    "distro-sync",
    "distrosync",
    "dsync",
];

/// dnf options that take the next word as their value.
pub(super) const DNF_VALUE_FLAGS: [&str; 24] = [
    "-c",
    "--config",
    "-d",
    "--debuglevel",
    "-e",
    "--errorlevel",
    "-x",
    "--exclude",
    "--enablerepo",
    "--disablerepo",
    "--repo",
    "--repoid",
    "--setopt",
    "--releasever",
    "--installroot",
    "--forcearch",
    "--downloaddir",
    "--destdir",
    "--repofrompath",
    "--disableplugin",
    "--enableplugin",
    "--rpmverbosity",
    "--color",
    "--comment",
];

/// Cache directories of dnf 4 (`/var/cache/dnf`), microdnf/yum (`/var/cache/yum`) and
/// dnf 5 (`/var/cache/libdnf5`).
const CACHE_DIRS: [&str; 3] = ["/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5"];

fn subcommands(command: &Command) -> (Option<&str>, Option<&str>) {
    let operands = command.positional_args_with(&DNF_VALUE_FLAGS);
    (
        operands.first().map(|w| w.value.as_str()),
        operands.get(1).map(|w| w.value.as_str()),
    )
}

/// Whether `command` (already known to be `tool`) downloads packages.
fn installs(command: &Command) -> bool {
    match subcommands(command) {
        (Some(sub), _) if INSTALLS.contains(&sub) => true,
        (Some("module" | "group" | "groups"), Some(sub)) => INSTALLS.contains(&sub),
        _ => false,
    }
}

fn cleans(command: &Command, tool: &str) -> bool {
    if command.is(tool) {
        return subcommands(command).0 == Some("clean");
    }
    command.is("rm")
        && command.args().iter().any(|w| {
            let v = w.value.trim_end_matches('/');
            v == "/var/cache" || v == "/var/cache/*" || CACHE_DIRS.iter().any(|d| v.starts_with(d))
        })
}

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        let mounts = context.mounts(i);
        if [
            "/var/cache/libdnf5",
            ".cache/libdnf5",
            "/var/cache/dnf",
            "/var/cache/yum",
        ]
        .iter()
        .any(|d| has_cache_mount(mounts, d))
        {
            continue;
        }
        let commands: Vec<_> = run.commands().collect();
        for tool in ["dnf", "microdnf"] {
            // The last install that no clean-up follows.
            let mut pending = None;
            for (command, part) in &commands {
                if command.is(tool) && installs(command) {
                    pending = Some((*command, *part));
                } else if pending.is_some() && cleans(command, tool) {
                    pending = None;
                }
            }
            if let Some((command, part)) = pending {
                let sub = subcommands(command).0.unwrap_or("install");
                // With `--installroot` the cache lives under the other root.
                let step = format!("{tool} clean all");
                let fix = (!command.has_long_flag("installroot"))
                    .then(|| append_step(context.model, i, run, part, &step))
                    .flatten()
                    .map(|edit| Fix::safe(format!("Add `{step}` to this RUN"), vec![edit]));
                report
                    .add(
                        i,
                        part.command_span(context.model, command),
                        format!(
                            "`{tool} {sub}` leaves its package cache in this layer; add \
                         `&& {tool} clean all` at the end of the same RUN"
                        ),
                    )
                    .fix = fix;
            }
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
            .filter(|f| f.code == "DL3040")
            .count()
    }

    #[test]
    fn sees_heredocs_sh_c_and_exec_form() {
        assert_eq!(
            count("FROM fedora\nRUN <<EOF\ndnf install -y a-1\nEOF\n"),
            1
        );
        assert_eq!(
            count("FROM fedora\nRUN <<EOF\ndnf install -y a-1\ndnf clean all\nEOF\n"),
            0
        );
        assert_eq!(count("FROM fedora\nRUN sh -c 'dnf install -y a-1'\n"), 1);
        assert_eq!(
            count("FROM fedora\nRUN [\"dnf\", \"install\", \"-y\", \"a-1\"]\n"),
            1
        );
    }

    #[test]
    fn update_counts_and_unrelated_rm_does_not_clean() {
        assert_eq!(count("FROM fedora\nRUN dnf -y update\n"), 1);
        assert_eq!(
            count("FROM fedora\nRUN dnf -y install a-1 && rm -rf /tmp/x\n"),
            1
        );
        assert_eq!(
            count("FROM fedora\nRUN dnf -y install a-1 && rm -rf /var/cache/dnf\n"),
            0
        );
        assert_eq!(
            count("FROM fedora\nRUN --mount=type=cache,target=/var/cache/dnf dnf -y install a-1\n"),
            0
        );
        // One finding per tool and RUN.
        assert_eq!(
            count("FROM fedora\nRUN dnf -y install a-1 && dnf -y install b-2\n"),
            1
        );
        assert_eq!(
            count("FROM fedora\nRUN dnf -y --enablerepo x install a-1\n"),
            1
        );
        assert_eq!(count("FROM fedora\nRUN dnf repolist\n"), 0);
    }

    #[test]
    fn fixes() {
        use super::super::g4_util::fixed;
        let f = |t: &str| fixed(t, "DL3040");
        assert_eq!(
            f("FROM fedora\nRUN dnf install -y httpd-2.4.62\n"),
            "FROM fedora\nRUN dnf install -y httpd-2.4.62 && dnf clean all\n"
        );
        // Leading `&&` continuation lines: a new line in the same style.
        assert_eq!(
            f("FROM fedora\nRUN dnf -y update \\\n    && dnf -y install httpd-2.4.62\n"),
            "FROM fedora\nRUN dnf -y update \\\n    && dnf -y install httpd-2.4.62 \\\n    && dnf clean all\n"
        );
        // A comment ends the line: the step goes before it, on the same line.
        assert_eq!(
            f("FROM fedora\nRUN dnf -y update \\\n    && dnf -y install httpd-2.4.62 # web\n"),
            "FROM fedora\nRUN dnf -y update \\\n    && dnf -y install httpd-2.4.62 && dnf clean all # web\n"
        );
        // Trailing `&&` continuation lines.
        assert_eq!(
            f("FROM fedora\nRUN dnf -y update && \\\n\tdnf -y install httpd-2.4.62\n"),
            "FROM fedora\nRUN dnf -y update && \\\n\tdnf -y install httpd-2.4.62 && \\\n\tdnf clean all\n"
        );
        // Arguments continued over lines: appended to the last line.
        assert_eq!(
            f("FROM fedora\nRUN microdnf install -y \\\n      httpd-2.4.62 \\\n      php-8.3.1;\n"),
            "FROM fedora\nRUN microdnf install -y \\\n      httpd-2.4.62 \\\n      php-8.3.1 && microdnf clean all;\n"
        );
        assert_eq!(
            f("# escape=`\nFROM fedora\nRUN dnf -y update `\n    && dnf -y install httpd-2.4.62\n"),
            "# escape=`\nFROM fedora\nRUN dnf -y update `\n    && dnf -y install httpd-2.4.62 `\n    && dnf clean all\n"
        );
        assert_eq!(
            f("FROM fedora\nRUN if true; then dnf -y install a-1; fi\n"),
            "FROM fedora\nRUN if true; then dnf -y install a-1; fi && dnf clean all\n"
        );
        assert_eq!(
            f("FROM fedora\nRUN <<EOF\ndnf -y install a-1\necho done\n\nEOF\n"),
            "FROM fedora\nRUN <<EOF\ndnf -y install a-1\necho done && dnf clean all\n\nEOF\n"
        );
        assert_eq!(
            f("FROM fedora\nONBUILD RUN dnf -y install a-1\n"),
            "FROM fedora\nONBUILD RUN dnf -y install a-1 && dnf clean all\n"
        );
        assert_eq!(
            f("FROM fedora\nRUN sh -c 'dnf -y install a-1'\n"),
            "FROM fedora\nRUN sh -c 'dnf -y install a-1' && dnf clean all\n"
        );
        for unfixable in [
            "FROM fedora\nRUN [\"dnf\", \"install\", \"-y\", \"a-1\"]\n",
            "FROM fedora\nRUN dnf -y install a-1 &\n",
            "FROM fedora\nRUN dnf --installroot /mnt -y install a-1\n",
        ] {
            assert_eq!(f(unfixable), unfixable);
        }
    }
}
