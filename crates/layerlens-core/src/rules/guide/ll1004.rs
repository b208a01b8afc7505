//! LL1004: package installs without a BuildKit cache mount in a file that uses BuildKit.

use super::g5_util::{dep_install, has_cache_mount_for, package_op, uses_buildkit, Pm};
use crate::knowledge;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::shell::Command;

pub static RULE: Rule = Rule {
    code: "LL1004",
    name: "use-cache-mount",
    origin: Origin::Layerlens,
    severity: Severity::Info,
    categories: &[Category::Cache],
    summary: "A cache mount keeps downloads between builds without putting them in the image.",
    docs: Docs::new(
        "In a Dockerfile that already uses BuildKit (a `# syntax=` directive or any `RUN \
         --mount`), flags package installs (pip, npm, yarn, pnpm, apt, apk, go, cargo, gem, \
         bundler, poetry) whose RUN has no `--mount=type=cache` on that manager's cache \
         directory, and names the directory to mount.",
        "When an install layer is rebuilt (a new dependency, a changed base), the manager \
         downloads everything again: hundreds of MB and often minutes per build. A cache mount \
         keeps the downloads on the builder between builds and never writes them into a layer, \
         so rebuilds fetch only what changed and the image stays as small as with \
         `--no-cache-dir`.",
        "# syntax=docker/dockerfile:1\nFROM python:3.13-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n",
        "# syntax=docker/dockerfile:1\nFROM python:3.13-slim\nCOPY requirements.txt .\nRUN --mount=type=cache,target=/root/.cache/pip \\\n    pip install -r requirements.txt\n",
        "Build Performance",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

/// The cache manager a command installs with.
fn manager_of(cmd: &Command) -> Option<&'static str> {
    if let Some(op) = package_op(cmd) {
        return match (op.manager, op.install) {
            (Pm::Apt, true) => Some("apt"),
            (Pm::Apk, true) => Some("apk"),
            _ => None,
        };
    }
    let install = dep_install(cmd)?;
    Some(match install.manager {
        "bundler" | "gem" => "gem",
        "pip" => "pip",
        "npm" => "npm",
        "yarn" => "yarn",
        "pnpm" => "pnpm",
        "go" => "go",
        "cargo" => "cargo",
        "poetry" => "poetry",
        _ => return None,
    })
}

/// Words a mount target of this manager's cache contains.
fn keywords(manager: &str) -> &'static [&'static str] {
    match manager {
        "pip" => &["pip"],
        "npm" => &[".npm"],
        "yarn" => &["yarn"],
        "pnpm" => &["pnpm"],
        "apt" => &["/var/cache/apt", "/var/lib/apt"],
        "apk" => &["apk"],
        "go" => &["go-build", "pkg/mod"],
        "cargo" => &["cargo"],
        "gem" => &["gem", "bundle"],
        "poetry" => &["pypoetry", "poetry"],
        _ => &[],
    }
}

fn check(context: &Context, report: &mut Report) {
    if !uses_buildkit(context) {
        return;
    }
    for i in 0..context.len() {
        if context.typed_effective(i).1 {
            continue;
        }
        let Some(run) = context.run(i) else { continue };
        let mounts = context.mounts(i);
        for (cmd, part) in run.commands() {
            let Some(manager) = manager_of(cmd) else {
                continue;
            };
            let targets = knowledge::cache_targets(manager);
            let mut covered = targets.iter().any(|t| has_cache_mount_for(mounts, t))
                || keywords(manager)
                    .iter()
                    .any(|k| has_cache_mount_for(mounts, k));
            if manager == "poetry" {
                if let Some(dir) = context
                    .model
                    .scope(i)
                    .binding("POETRY_CACHE_DIR")
                    .and_then(|b| b.value.clone())
                {
                    covered |= has_cache_mount_for(mounts, &dir);
                }
            }
            if covered || targets.is_empty() {
                continue;
            }
            let flags = targets
                .iter()
                .map(|t| format!("--mount=type=cache,target={t}"))
                .collect::<Vec<_>>()
                .join(" ");
            let mut message = format!(
                "keep {manager}'s downloads between builds with `RUN {flags}` (outside the image)"
            );
            match manager {
                "apt" => message.push_str(
                    "; Debian images delete downloaded packages unless /etc/apt/apt.conf.d/docker-clean is removed",
                ),
                "apk" if cmd.has_long_flag("no-cache") => {
                    message.push_str("; drop `--no-cache` so apk uses it")
                }
                "pip" if cmd.has_long_flag("no-cache-dir") => {
                    message.push_str("; drop `--no-cache-dir` so pip uses it")
                }
                _ => {}
            }
            report.add(i, part.command_span(context.model, cmd), message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g5_util::test_support::*;

    #[test]
    fn only_with_buildkit() {
        assert!(findings("LL1004", "FROM python:3.13\nRUN pip install -r r.txt\n").is_empty());
        let f = findings(
            "LL1004",
            "# syntax=docker/dockerfile:1\nFROM python:3.13\nRUN pip install -r r.txt\n",
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("target=/root/.cache/pip"));
        // Any RUN --mount opts in too.
        let text = "FROM node:22\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n";
        assert_eq!(spans("LL1004", text), ["npm ci"]);
    }

    #[test]
    fn mounted_caches_pass() {
        let text = "# syntax=docker/dockerfile:1\nFROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y gcc\n";
        assert!(findings("LL1004", text).is_empty());
        let text = "# syntax=docker/dockerfile:1\nFROM golang:1.23\nRUN --mount=type=cache,target=/go/pkg/mod go mod download\n";
        assert!(findings("LL1004", text).is_empty());
        let text = "# syntax=docker/dockerfile:1\nFROM python:3.13\nRUN --mount=type=cache,target=/root/.cache pip install flask\n";
        assert!(findings("LL1004", text).is_empty());
        let text = "# syntax=docker/dockerfile:1\nFROM alpine:3.20\nRUN apk add --no-cache curl\n";
        let f = findings("LL1004", text);
        assert!(
            f[0].message.contains("/var/cache/apk") && f[0].message.contains("drop `--no-cache`")
        );
    }

    #[test]
    fn guide_real_world_examples_are_clean() {
        for text in [FASTAPI, NEXTJS, GO] {
            assert!(findings("LL1004", text).is_empty());
        }
    }
}
