//! LL1004: package installs without a BuildKit cache mount in a file that uses BuildKit.

use super::g5_fix_util::{delete_word, Style};
use super::g5_util::{dep_install, has_cache_mount_for, package_op, uses_buildkit, Pm};
use crate::fix::{Edit, Fix};
use crate::instructions::Typed;
use crate::knowledge;
use crate::rules::cmd::is_truthy;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, RunAnalysis, Severity};
use crate::shell::Command;

/// Managers whose cache directory holds downloads only, so a cache mount keeps the image's
/// contents apart from the cache itself.
const MOUNTABLE: [&str; 7] = ["pip", "npm", "yarn", "pnpm", "go", "cargo", "apk"];

/// Whether RUN `i` runs as root (the cache targets are root's directories).
fn runs_as_root(context: &Context, i: usize) -> bool {
    match context.model.contexts[i].user.as_deref() {
        None => true,
        Some(u) => matches!(u.split(':').next(), Some("root" | "0")),
    }
}

/// The edits that let `cmd` (of `manager`) use a cache mount, besides the mount itself:
/// `None` when the command cannot use one.
fn command_edits(
    context: &Context,
    i: usize,
    run: &RunAnalysis,
    cmd: &Command,
    manager: &str,
) -> Option<Vec<Edit>> {
    let part = run.commands().find(|(c, _)| std::ptr::eq(*c, cmd))?.1;
    let model = context.model;
    let drop_word = |value: &str| -> Option<Edit> {
        let at = cmd.words.iter().position(|w| w.value == value)?;
        let before = cmd.words.get(at.checked_sub(1)?)?;
        let prev_end = part
            .span(
                model,
                &(before.range.end.saturating_sub(1)..before.range.end),
            )
            .end;
        let span = part.span(model, &cmd.words[at].range);
        delete_word(model, i, prev_end, span, &Style::of(model))
    };
    match manager {
        "pip" => {
            let env_off = context
                .model
                .scope(i)
                .binding("PIP_NO_CACHE_DIR")
                .and_then(|b| b.value.clone())
                .is_some_and(|v| is_truthy(&v))
                || run.full_text().contains("PIP_NO_CACHE_DIR");
            if env_off {
                return None;
            }
            Some(drop_word("--no-cache-dir").into_iter().collect())
        }
        "apk" => {
            // Without --no-cache apk reads its index from the (empty) mount: fetch it there.
            let updates = cmd.has_flag('U')
                || cmd.has_long_flag("update")
                || run.commands().any(|(c, _)| {
                    c.is("apk")
                        && c.positional_args()
                            .first()
                            .is_some_and(|w| w.value == "update")
                        && c.range.end <= cmd.range.start
                });
            match (cmd.has_long_flag("no-cache"), updates) {
                (true, true) => Some(vec![drop_word("--no-cache")?]),
                (true, false) => {
                    let w = cmd.args().iter().find(|w| w.value == "--no-cache")?;
                    Some(vec![Edit::replace(part.span(model, &w.range), "--update")])
                }
                (false, true) => Some(Vec::new()),
                (false, false) => None,
            }
        }
        _ => Some(Vec::new()),
    }
}

/// One fix for every mountable manager of RUN `i` (so fixing one finding fixes them all).
fn run_fix(context: &Context, i: usize, wanted: &[(&Command, &'static str)]) -> Option<Fix> {
    let run = context.run(i)?;
    if run.exec_form || !runs_as_root(context, i) || !matches!(context.typed(i), Typed::Run(_)) {
        return None;
    }
    let command = &context.instruction(i).command;
    let at = command
        .flags
        .first()
        .map_or(command.rest.span.start, |f| f.text.span.start);
    let mut targets: Vec<&str> = Vec::new();
    let mut edits: Vec<Edit> = Vec::new();
    for &(cmd, manager) in wanted {
        if !MOUNTABLE.contains(&manager) {
            continue;
        }
        let Some(more) = command_edits(context, i, run, cmd, manager) else {
            continue;
        };
        for t in knowledge::cache_targets(manager) {
            if !targets.contains(&t) {
                targets.push(t);
            }
        }
        for e in more {
            if !edits.contains(&e) {
                edits.push(e);
            }
        }
    }
    if targets.is_empty() {
        return None;
    }
    let mounts: String = targets
        .iter()
        .map(|t| format!("--mount=type=cache,target={t} "))
        .collect();
    edits.push(Edit::insert(at, mounts));
    Some(Fix::unsafe_("Add a cache mount", edits))
}

pub static RULE: Rule = Rule {
    code: "LL1004",
    name: "use-cache-mount",
    origin: Origin::Layerlens,
    severity: Severity::Info,
    categories: &[Category::Cache],
    summary: "A cache mount keeps downloads between builds without putting them in the image.",
    docs: Docs::new(
        "In a Dockerfile that already uses BuildKit (a `# syntax=` directive, or syntax only \
         BuildKit reads such as `RUN --mount` or a heredoc), flags package installs (pip, npm, yarn, pnpm, apt, apk, go, cargo, gem, \
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
    )
    .with_fix_note(
        "Adds `--mount=type=cache,target=<dir>` for pip, npm, yarn, pnpm, Go, cargo and apk \
         to the RUN, and drops pip's `--no-cache-dir` (apk's `--no-cache` becomes \
         `--update`) so the manager uses the mount. Unsafe: whatever the manager wrote \
         there is no longer in the image, so a later step that expects it (a `go test` \
         or `cargo build --offline` reusing downloaded modules, an `apk add` relying on this \
         RUN's index) must fetch it again. Only for RUNs that run as root, where these \
         directories are the caches; apt (which Debian images configure to delete its \
         downloads), gem and poetry (whose cache directory may hold the virtualenv) get no fix.",
    ),
    fix: crate::rules::Fixability::Unsafe,
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
        let mut found = Vec::new();
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
            found.push((cmd, part, manager, message));
        }
        let wanted: Vec<(&Command, &'static str)> = found.iter().map(|f| (f.0, f.2)).collect();
        let fix = run_fix(context, i, &wanted);
        for (cmd, part, manager, message) in found {
            let finding = report.add(i, part.command_span(context.model, cmd), message);
            if MOUNTABLE.contains(&manager) {
                finding.fix = fix.clone();
            }
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
    fn fixes() {
        assert_eq!(
            fixed(
                "LL1004",
                "# syntax=docker/dockerfile:1\nFROM python:3.13\nRUN pip install --no-cache-dir -r r.txt\n"
            ),
            "# syntax=docker/dockerfile:1\nFROM python:3.13\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r r.txt\n"
        );
        // Every manager of the RUN in one fix, before the RUN's other flags; layout kept.
        assert_eq!(
            fixed(
                "LL1004",
                "FROM golang:1.23\nRUN --mount=type=secret,id=n go mod download \\\n    && npm ci\n"
            ),
            "FROM golang:1.23\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/root/.npm --mount=type=secret,id=n go mod download \\\n    && npm ci\n"
        );
        assert_eq!(
            fixed(
                "LL1004",
                "# escape=`\nFROM alpine:3.20\nRUN <<EOF\napk add --no-cache curl\nEOF\n"
            ),
            "# escape=`\nFROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk <<EOF\napk add --update curl\nEOF\n"
        );
        assert_eq!(
            fixed(
                "LL1004",
                "# syntax=docker/dockerfile:1\nFROM alpine:3.20\nRUN apk update && apk add --no-cache curl\n"
            ),
            "# syntax=docker/dockerfile:1\nFROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk update && apk add curl\n"
        );
        for text in [
            "# syntax=docker/dockerfile:1\nFROM debian:12\nRUN apt-get update && apt-get install -y gcc\n",
            "# syntax=docker/dockerfile:1\nFROM python:3.13\nUSER app\nRUN pip install -r r.txt\n",
            "# syntax=docker/dockerfile:1\nFROM python:3.13\nENV PIP_NO_CACHE_DIR=1\nRUN pip install -r r.txt\n",
            "# syntax=docker/dockerfile:1\nFROM alpine:3.20\nRUN apk add curl\n",
            "# syntax=docker/dockerfile:1\nFROM python:3.13\nRUN [\"pip\", \"install\", \"flask\"]\n",
        ] {
            let f = findings("LL1004", text);
            assert_eq!(f.len(), 1, "{text}");
            assert!(f[0].fix.is_none(), "{text}");
        }
    }

    #[test]
    fn guide_real_world_examples_are_clean() {
        for text in [FASTAPI, NEXTJS, GO] {
            assert!(findings("LL1004", text).is_empty());
        }
    }
}
