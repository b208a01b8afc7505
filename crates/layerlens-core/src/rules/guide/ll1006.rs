//! LL1006: files removed in a later layer than the one that created them.

use super::g5_util::{
    basename, chain_instructions, copy_like, final_chain, is_within, package_name, package_op,
    resolve,
};
use crate::dockerignore::glob_match;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::shell::Command;

pub static RULE: Rule = Rule {
    code: "LL1006",
    name: "remove-in-same-layer",
    origin: Origin::Layerlens,
    severity: Severity::Warning,
    categories: &[Category::Size],
    summary: "Deleting in a later RUN hides files but keeps their bytes in the earlier layer.",
    docs: Docs::new(
        "In the stages of the final image, flags removals that come a layer too late: apt lists \
         deleted in a RUN after the one that ran `apt-get update`, packages purged or deleted \
         in a RUN after the one that installed them, and `rm` of a file that an earlier COPY, \
         ADD or download (`curl -o`, `wget`) created.",
        "Layers only add: a deletion in a later layer writes a whiteout entry and the original \
         bytes stay in the layer below, pulled and stored with every copy of the image. \
         `RUN apt-get update` followed by a separate cleanup keeps about 50 MB of package \
         lists (Debian 12); a build-essential installed and purged in separate RUNs keeps its \
         ~274 MB and adds the purge on top. Clean up in the same RUN that creates the files.",
        "FROM python:3.13-slim\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\nRUN rm -rf /var/lib/apt/lists/*\n",
        "FROM python:3.13-slim\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends curl \\\n    && rm -rf /var/lib/apt/lists/*\n",
        "Understanding Docker Layers",
    ),
    // No fix: the cleanup belongs in the RUN that created the files, and moving it there breaks
    // the RUNs in between that still use them; merging the RUNs is the optimizer's move.
    fix: crate::rules::Fixability::None,
    check,
};

const APT_LISTS: &str = "/var/lib/apt/lists";
const MAX_TRACKED: usize = 512;

/// A file an earlier layer created.
struct Created {
    path: String,
    instruction: usize,
    how: String,
}

/// Whether removing `target` (a path or glob) removes `path`.
fn covers(target: &str, path: &str) -> bool {
    if target.contains('*') || target.contains('?') || target.contains('[') {
        // Globs match the path or one of its parent directories.
        let pattern = target.trim_start_matches('/');
        let mut candidate = path.trim_start_matches('/');
        loop {
            if glob_match(pattern, candidate) {
                return true;
            }
            match candidate.rfind('/') {
                Some(k) => candidate = &candidate[..k],
                None => return false,
            }
        }
    }
    is_within(path, target)
}

/// Files a command downloads: `curl -o f`, `curl -O url`, `wget -O f url`, `wget url`.
fn downloads(cmd: &Command, workdir: &str) -> Vec<String> {
    let mut out = Vec::new();
    let keep = |v: &str| !v.is_empty() && v != "-" && !v.starts_with("/dev/") && !v.contains('$');
    if cmd.is("curl") {
        for v in cmd
            .flag_values("-o")
            .into_iter()
            .chain(cmd.flag_values("--output"))
        {
            if keep(v) {
                out.push(resolve(workdir, v));
            }
        }
        if cmd.has_flag('O') || cmd.has_long_flag("remote-name") {
            for w in cmd.positional_args() {
                if w.value.contains("://") && !w.value.contains('$') {
                    let name = basename(w.value.split(['?', '#']).next().unwrap_or(""));
                    if keep(name) {
                        out.push(resolve(workdir, name));
                    }
                }
            }
        }
    } else if cmd.is("wget") {
        let named: Vec<&str> = cmd
            .flag_values("-O")
            .into_iter()
            .chain(cmd.flag_values("--output-document"))
            .collect();
        if !named.is_empty() {
            out.extend(
                named
                    .into_iter()
                    .filter(|v| keep(v))
                    .map(|v| resolve(workdir, v)),
            );
        } else {
            let dir = cmd
                .flag_value("-P")
                .or_else(|| cmd.flag_value("--directory-prefix"))
                .map(|d| resolve(workdir, d))
                .unwrap_or_else(|| workdir.to_string());
            for w in cmd.positional_args() {
                if w.value.contains("://") && !w.value.contains('$') {
                    let name = basename(w.value.split(['?', '#']).next().unwrap_or(""));
                    if keep(name) {
                        out.push(resolve(&dir, name));
                    }
                }
            }
        }
    }
    out
}

fn check(context: &Context, report: &mut Report) {
    let chain = final_chain(context);
    let mut created: Vec<Created> = Vec::new();
    let mut apt_update: Option<usize> = None;
    // Installed packages: (name, instruction).
    let mut installed: Vec<(String, usize)> = Vec::new();
    for i in chain_instructions(context.model, &chain) {
        if context.typed_effective(i).1 {
            continue;
        }
        let workdir = context.model.contexts[i].workdir.clone();
        if let Some(copy) = copy_like(context, i) {
            let dest = copy.dest_path(context.model, i);
            let dir = copy.dest_is_dir();
            for src in copy.paths() {
                let v = src.value.trim_matches('"');
                if super::g5_util::is_whole_context(v) || v.contains('*') || v.contains('$') {
                    continue;
                }
                let path = if dir {
                    resolve(&dest, basename(v))
                } else {
                    dest.clone()
                };
                if created.len() < MAX_TRACKED {
                    let line = context.instruction(i).start_line;
                    created.push(Created {
                        path,
                        instruction: i,
                        how: format!("{} on line {line}", copy.keyword),
                    });
                }
            }
            continue;
        }
        let Some(run) = context.run(i) else { continue };
        // Only package managers, downloads and `rm` matter here.
        const RELEVANT: [&str; 13] = [
            "apt-get", "apt", "aptitude", "apk", "yum", "dnf", "microdnf", "tdnf", "dnf5",
            "zypper", "curl", "wget", "rm",
        ];
        if !RELEVANT.iter().any(|n| run.has_command(n)) {
            continue;
        }
        let line = context.instruction(i).start_line;
        let mut this_updates = false;
        let mut this_creates = Vec::new();
        let mut rm_targets: Vec<String> = Vec::new();
        for (cmd, part) in run.commands() {
            if (cmd.is("apt-get") || cmd.is("apt") || cmd.is("aptitude"))
                && cmd
                    .positional_args()
                    .first()
                    .is_some_and(|w| w.value == "update")
            {
                this_updates = true;
            }
            this_creates.extend(downloads(cmd, &workdir));
            if let Some(op) = package_op(cmd) {
                for word in &op.packages {
                    let name = package_name(&word.value).to_string();
                    if op.install {
                        installed.push((name, i));
                    } else if let Some((_, at)) =
                        installed.iter().find(|(n, at)| *n == name && *at < i)
                    {
                        let at_line = context.instruction(*at).start_line;
                        report.add(
                            i,
                            part.span(context.model, &word.range),
                            format!(
                                "`{name}` was installed by the RUN on line {at_line}; removing it in a later RUN saves nothing: install, use and remove it in one RUN (or use a build stage)"
                            ),
                        );
                    }
                }
            }
            if !cmd.is("rm") {
                continue;
            }
            for word in cmd.positional_args() {
                if word.value.contains('$') {
                    continue;
                }
                let target = resolve(&workdir, &word.value);
                rm_targets.push(target.clone());
                if let Some(at) = apt_update {
                    if covers(&target, APT_LISTS) || is_within(&target, APT_LISTS) {
                        if at < i && !this_updates {
                            let at_line = context.instruction(at).start_line;
                            report.add(
                                i,
                                part.span(context.model, &word.range),
                                format!(
                                    "the apt lists were written by `apt-get update` on line {at_line}; deleting them in this later RUN does not shrink the image: remove them in the RUN that updates"
                                ),
                            );
                            apt_update = None;
                        }
                        continue;
                    }
                }
                if let Some(k) = created
                    .iter()
                    .position(|c| c.instruction < i && covers(&target, &c.path))
                {
                    let c = created.remove(k);
                    report.add(
                        i,
                        part.span(context.model, &word.range),
                        format!(
                            "`{}` was added by {}; deleting it in a later layer keeps its bytes in the image: don't add it, or create, use and delete it in one RUN",
                            c.path, c.how
                        ),
                    );
                }
            }
        }
        if this_updates {
            let cleaned = rm_targets
                .iter()
                .any(|t| covers(t, APT_LISTS) || is_within(t, APT_LISTS) || t == "/var/lib/apt");
            apt_update = if cleaned { None } else { Some(i) };
        }
        for path in this_creates {
            let removed_here = rm_targets.iter().any(|t| covers(t, &path));
            if !removed_here && created.len() < MAX_TRACKED {
                created.push(Created {
                    path,
                    instruction: i,
                    how: format!("the download in the RUN on line {line}"),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g5_util::test_support::*;

    #[test]
    fn guide_combine_run_example() {
        let bad = "FROM python:3.13-slim\nRUN apt-get update\nRUN apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n";
        assert_eq!(spans("LL1006", bad), ["/var/lib/apt/lists/*"]);
        let good = "FROM python:3.13-slim\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends curl \\\n    && rm -rf /var/lib/apt/lists/*\n";
        assert!(findings("LL1006", good).is_empty());
    }

    #[test]
    fn guide_install_and_remove_anti_pattern() {
        let bad = "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y build-essential\nRUN make install\nRUN apt-get remove -y build-essential  # Doesn't reduce image size!\n";
        let f = findings("LL1006", bad);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].span.slice(bad), "build-essential");
        assert!(f[0].message.contains("line 3"));
        let good = "FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends build-essential \\\n    && make install \\\n    && apt-get remove -y build-essential \\\n    && apt-get autoremove -y \\\n    && rm -rf /var/lib/apt/lists/*\n";
        assert!(findings("LL1006", good).is_empty());
    }

    #[test]
    fn copied_and_downloaded_files() {
        let text = "FROM debian:12\nWORKDIR /tmp\nCOPY app.tar.gz /tmp/\nRUN tar xzf app.tar.gz\nRUN rm /tmp/app.tar.gz\n";
        assert_eq!(spans("LL1006", text), ["/tmp/app.tar.gz"]);
        let text = "FROM debian:12\nRUN curl -fsSL -o /tmp/x.tgz https://e.com/x.tgz\nRUN rm -rf /tmp/*.tgz\n";
        assert_eq!(spans("LL1006", text), ["/tmp/*.tgz"]);
        let text =
            "FROM debian:12\nWORKDIR /src\nRUN wget https://e.com/go.tar.gz\nRUN rm -rf /src\n";
        assert_eq!(findings("LL1006", text).len(), 1);
        // Same RUN: fine.
        assert!(findings(
            "LL1006",
            "FROM debian:12\nRUN curl -o /tmp/x https://e.com/x && rm /tmp/x\nRUN rm -f /tmp/x\n"
        )
        .is_empty());
        // Files of the base image or unknown origin: not ours to judge.
        assert!(findings(
            "LL1006",
            "FROM nginx:1.27\nRUN rm /etc/nginx/conf.d/default.conf\n"
        )
        .is_empty());
        // A build stage's layers are not shipped.
        assert!(findings("LL1006", "FROM debian:12 AS b\nRUN apt-get update\nRUN rm -rf /var/lib/apt/lists/*\nFROM scratch\nCOPY --from=b /x /x\n").is_empty());
    }

    #[test]
    fn guide_real_world_examples_are_clean() {
        for text in [FASTAPI, NEXTJS, GO] {
            assert!(findings("LL1006", text).is_empty());
        }
    }
}
