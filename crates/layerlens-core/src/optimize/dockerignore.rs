//! A proposed `.dockerignore` when the Dockerfile copies the whole build context
//! (`COPY . .`): a separate file, never edited into the Dockerfile.
//!
//! Everything the `.dockerignore` lets through is sent to the builder and copied into the
//! image: `.git` (often larger than the code), local virtualenvs and `node_modules` (which
//! would also overwrite what the image installed), secrets in `.env`, editor and OS litter.
//! Entries are chosen so the build cannot break:
//! - an entry is left out when an instruction names that path (`COPY .git ...`) or a
//!   build step needs it: `.git` stays when a RUN calls `git` or installs the project itself
//!   (`pip install .`, setuptools-scm reads it); `node_modules` is proposed only when the
//!   file installs them; build outputs (`target/`, `dist/`...) only when the file builds them;
//! - with an existing `.dockerignore`, only entries it lacks are proposed, appended to it.

use serde::Serialize;

use crate::dockerignore::Dockerignore;
use crate::instructions::{Source, Typed};
use crate::model::Model;

use super::OptimizeOptions;

/// One proposed line with the reason for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DockerignoreEntry {
    pub pattern: String,
    pub why: String,
}

/// The proposed file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DockerignoreProposal {
    /// The whole proposed `.dockerignore` (the existing one plus the new entries).
    pub text: String,
    /// The entries added.
    pub entries: Vec<DockerignoreEntry>,
    /// Whether the proposal extends an existing `.dockerignore`.
    pub extends_existing: bool,
    /// Line (in the original text) of the `COPY . .` that prompted it.
    pub line: usize,
}

/// What the build does, as far as choosing entries goes.
#[derive(Default)]
struct Uses {
    git: bool,
    installs_project: bool,
    python: bool,
    node_install: bool,
    node_builds: bool,
    cargo: bool,
    maven: bool,
    gradle: bool,
    go: bool,
    named_sources: Vec<String>,
}

fn uses(model: &Model) -> Uses {
    let mut u = Uses::default();
    for (i, typed) in model.typed.iter().enumerate() {
        match typed {
            Typed::Copy(c) => {
                for s in &c.sources {
                    if let Source::Path(p) = s {
                        u.named_sources
                            .push(p.value.trim_start_matches("./").to_string());
                    }
                }
            }
            Typed::Add(a) => {
                for s in &a.sources {
                    if let Source::Path(p) = s {
                        u.named_sources
                            .push(p.value.trim_start_matches("./").to_string());
                    }
                }
            }
            _ => {}
        }
        if let Typed::From(from) = typed {
            let image = from.image.value.rsplit('/').next().unwrap_or("");
            if image.starts_with("python") || image.starts_with("pypy") {
                u.python = true;
            }
        }
        if let Typed::Cmd(line) | Typed::Entrypoint(line) = typed {
            let first = match line {
                crate::instructions::CommandLine::Exec(items) => {
                    items.first().map(|t| t.value.clone())
                }
                crate::instructions::CommandLine::Shell(t) => {
                    t.value.split_whitespace().next().map(str::to_string)
                }
                crate::instructions::CommandLine::Empty => None,
            };
            if first.is_some_and(|p| {
                let p = p.rsplit('/').next().unwrap_or("").to_string();
                p.starts_with("python")
                    || ["uvicorn", "gunicorn", "flask", "celery"].contains(&p.as_str())
            }) {
                u.python = true;
            }
        }
        let Some(run) = model.run(i) else { continue };
        for (cmd, _) in run.commands() {
            let Some(name) = cmd.basename() else { continue };
            let args: Vec<&str> = cmd.args().iter().map(|w| w.value.as_str()).collect();
            match name {
                "git" => u.git = true,
                n if n.starts_with("pip")
                    || n.starts_with("python")
                    || n == "poetry"
                    || n == "uv"
                    || n == "pipenv" =>
                {
                    u.python = true;
                    if args
                        .iter()
                        .any(|a| *a == "." || a.starts_with("./") || *a == "-e")
                        || (n == "poetry"
                            && args.contains(&"install")
                            && !args.contains(&"--no-root"))
                        || args.contains(&"setup.py")
                    {
                        u.installs_project = true;
                    }
                }
                "npm" | "yarn" | "pnpm" => {
                    if args
                        .iter()
                        .any(|a| matches!(*a, "ci" | "install" | "i" | "clean-install"))
                        || (name == "yarn" && args.is_empty())
                    {
                        u.node_install = true;
                    }
                    if args.iter().any(|a| *a == "build" || *a == "run") {
                        u.node_builds = true;
                    }
                }
                "cargo" => u.cargo = true,
                "mvn" | "mvnw" => u.maven = true,
                "gradle" | "gradlew" => u.gradle = true,
                "go" => u.go = true,
                _ => {}
            }
        }
    }
    u
}

/// The whole-context COPY that prompts a proposal, if any (its line).
fn whole_context_copy(model: &Model) -> Option<usize> {
    model.typed.iter().enumerate().find_map(|(i, t)| {
        let sources = match t {
            Typed::Copy(c) if c.from.is_none() => &c.sources,
            Typed::Add(a) => &a.sources,
            _ => return None,
        };
        sources
            .iter()
            .any(|s| matches!(s, Source::Path(p) if matches!(p.value.as_str(), "." | "./" | "*" | "./*")))
            .then(|| model.doc.instructions[i].start_line)
    })
}

/// The proposal for the optimized `model`; `line` points into `original`.
pub fn propose(
    model: &Model,
    original: &Model,
    options: &OptimizeOptions,
) -> Option<DockerignoreProposal> {
    whole_context_copy(model)?;
    let line = whole_context_copy(original).unwrap_or(0);
    let u = uses(model);
    let existing = options.dockerignore.as_ref();
    let mut wanted: Vec<(&str, &str)> = Vec::new();
    if !u.git && !u.installs_project {
        wanted.push((
            ".git",
            "the repository history: often larger than the code, and never needed at run time",
        ));
    }
    wanted.push((
        ".env",
        "local secrets and settings must not end up in an image layer",
    ));
    wanted.push(("*.log", "log files from local runs"));
    wanted.push((".DS_Store", "macOS folder metadata"));
    wanted.push((".vscode/", "editor settings"));
    wanted.push((".idea/", "editor settings"));
    if u.python {
        wanted.push((
            "__pycache__/",
            "compiled bytecode of the local Python, rebuilt in the image",
        ));
        wanted.push(("*.pyc", "compiled bytecode of the local Python"));
        wanted.push((
            ".venv/",
            "a local virtualenv: built for the host, useless in the image",
        ));
        wanted.push((".pytest_cache/", "test runner cache"));
    }
    if u.node_install {
        wanted.push(("node_modules/", "installed by the image itself; a local copy would overwrite it with modules built for the host"));
        wanted.push(("npm-debug.log*", "npm's local debug logs"));
    }
    if u.node_builds {
        wanted.push(("dist/", "a local build output; the image builds its own"));
    }
    if u.cargo {
        wanted.push((
            "target/",
            "Cargo's local build output; the image builds its own",
        ));
    }
    if u.maven || u.gradle {
        wanted.push((
            "target/",
            "Maven's local build output; the image builds its own",
        ));
        wanted.push((
            "build/",
            "Gradle's local build output; the image builds its own",
        ));
        wanted.push((".gradle/", "Gradle's local cache"));
    }
    let mut entries: Vec<DockerignoreEntry> = Vec::new();
    for (pattern, why) in wanted {
        if entries.iter().any(|e| e.pattern == pattern) {
            continue;
        }
        let bare = pattern.trim_end_matches('/');
        // Never exclude what an instruction names.
        let named = u.named_sources.iter().any(|s| {
            let s = s.trim_end_matches('/');
            s == bare
                || s.starts_with(&format!("{bare}/"))
                || crate::dockerignore::glob_match(bare, s)
        });
        if named {
            continue;
        }
        if existing.is_some_and(|d| already_excluded(d, bare)) {
            continue;
        }
        entries.push(DockerignoreEntry {
            pattern: pattern.to_string(),
            why: why.to_string(),
        });
    }
    if entries.is_empty() {
        return None;
    }
    let mut text = String::new();
    let extends = existing.is_some();
    if let Some(d) = existing {
        for p in &d.patterns {
            if p.exclusion {
                text.push('!');
            }
            text.push_str(&p.text);
            text.push('\n');
        }
    } else {
        text.push_str("# Proposed by Layerlens: keep these out of the build context.\n");
    }
    for e in &entries {
        text.push_str(&e.pattern);
        text.push('\n');
    }
    Some(DockerignoreProposal {
        text,
        entries,
        extends_existing: extends,
        line,
    })
}

/// Whether the existing `.dockerignore` already leaves out `path` (or a sample inside it).
fn already_excluded(d: &Dockerignore, path: &str) -> bool {
    let sample = path.replace('*', "x");
    d.excludes(&sample) || d.excludes(&format!("{sample}/x"))
}
