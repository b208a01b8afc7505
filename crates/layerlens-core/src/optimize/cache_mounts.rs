//! BuildKit cache mounts for package managers:
//! `RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt`.
//!
//! A cache mount keeps the manager's downloads on the builder between builds and never
//! writes them into a layer: a rebuilt install layer downloads only what changed, and the
//! image carries no cache. **Safe**: what gets installed is the same; only the download
//! cache moves out of the image (as with `--no-cache-dir`).
//!
//! Made only when the file opts into BuildKit (a `# syntax=` line, or a `RUN --mount`
//! already present) or [`super::OptimizeOptions::assume_buildkit`] is set, in which case a
//! `# syntax=docker/dockerfile:1` line is added at the top as well. Guards:
//! - pip, npm, yarn: the RUN runs as root (the cache paths are root's), the install does
//!   not turn the cache off (`--no-cache-dir`, `PIP_NO_CACHE_DIR`) or move it
//!   (`PIP_CACHE_DIR`, `npm_config_cache`, `YARN_CACHE_FOLDER`, `--cache`);
//! - Go (stages FROM a `golang` image): the module cache `/go/pkg/mod` would leave the image,
//!   so every RUN of the stage that runs `go` gets the same mounts, in one change;
//! - a target already mounted is left alone.

use crate::fix::{Applicability, Edit};
use crate::instructions::{CommandLine, MountType, Typed};
use crate::model::{Base, Model};

use super::engine::{Candidate, Ctx, Proposal};
use super::text::line_of;
use super::MoveKind;

/// Whether the file already uses BuildKit-only syntax.
fn opts_into_buildkit(model: &Model) -> bool {
    model.doc.directives.syntax.is_some()
        || model.typed.iter().any(|t| match t {
            Typed::Run(r) => !r.mounts.is_empty(),
            _ => false,
        })
}

fn runs_as_root(model: &Model, i: usize) -> bool {
    match model.contexts[i].user.as_deref() {
        None => true,
        Some(u) => matches!(u.split(':').next(), Some("root" | "0")),
    }
}

/// Variables set in scope at `i` or in the RUN text.
fn variable_set(model: &Model, i: usize, name: &str, text: &str) -> bool {
    model.scope(i).binding(name).is_some() || text.contains(name)
}

/// The cache targets RUN `i` needs for pip, npm and yarn.
fn targets(model: &Model, i: usize) -> Vec<(&'static str, &'static str)> {
    let Some(run) = model.run(i) else {
        return Vec::new();
    };
    let text = run.full_text();
    let mut out = Vec::new();
    for (cmd, _) in run.commands() {
        let Some(name) = cmd.basename() else { continue };
        let positional = cmd.positional_args();
        let sub = positional.first().map(|w| w.value.as_str());
        let pip =
            (name.starts_with("pip") && !name.starts_with("pipx") && !name.starts_with("pipenv"))
                || (name.starts_with("python")
                    && cmd
                        .args()
                        .windows(2)
                        .any(|w| w[0].value == "-m" && w[1].value == "pip"));
        if pip && cmd.args().iter().any(|w| w.value == "install") {
            if cmd.has_long_flag("no-cache-dir")
                || cmd.has_long_flag("cache-dir")
                || variable_set(model, i, "PIP_NO_CACHE_DIR", &text)
                || variable_set(model, i, "PIP_CACHE_DIR", &text)
            {
                continue;
            }
            out.push(("pip", "/root/.cache/pip"));
        } else if name == "npm" && matches!(sub, Some("ci" | "install" | "i" | "clean-install")) {
            if cmd.has_long_flag("cache")
                || variable_set(model, i, "npm_config_cache", &text)
                || variable_set(model, i, "NPM_CONFIG_CACHE", &text)
            {
                continue;
            }
            out.push(("npm", "/root/.npm"));
        } else if name == "yarn"
            && matches!(sub, None | Some("install"))
            && cmd
                .args()
                .iter()
                .all(|w| w.value.starts_with('-') || w.value == "install")
        {
            if cmd.has_long_flag("cache-folder")
                || variable_set(model, i, "YARN_CACHE_FOLDER", &text)
            {
                continue;
            }
            out.push(("yarn", "/usr/local/share/.cache/yarn"));
        }
    }
    out.sort();
    out.dedup();
    out
}

fn mounted(model: &Model, i: usize, target: &str) -> bool {
    match &model.typed[i] {
        Typed::Run(r) => r.mounts.iter().any(|m| {
            m.target
                .as_deref()
                .is_some_and(|t| t.trim_end_matches('/') == target)
                || (m.kind == MountType::Cache && m.target.is_none())
        }),
        _ => false,
    }
}

/// Where the mount flags go: right before the command text.
fn insert_at(model: &Model, i: usize) -> Option<usize> {
    match &model.typed[i] {
        Typed::Run(r) => match &r.command {
            CommandLine::Shell(t) => Some(t.span.start),
            CommandLine::Exec(items) => items.first().map(|t| {
                // Before the `[` of the JSON array.
                let text = &model.doc.text;
                text[..t.span.start].rfind('[').unwrap_or(t.span.start)
            }),
            CommandLine::Empty => None,
        },
        _ => None,
    }
}

fn flags_text(cx: &Ctx, targets: &[&str]) -> String {
    targets
        .iter()
        .map(|t| format!("--mount=type=cache,target={t}{}", cx.style.continuation()))
        .collect()
}

/// Whether stage `s` is FROM a `golang` image (directly or through its stages).
fn golang_stage(model: &Model, s: usize) -> bool {
    let mut current = Some(s);
    let mut hops = 0;
    while let Some(c) = current {
        hops += 1;
        if hops > model.stages.len() + 1 {
            return false;
        }
        current = match &model.stages[c].base {
            Base::Image(image) => return image.name == "golang",
            Base::Stage(p) if *p < c => Some(*p),
            _ => None,
        };
    }
    false
}

pub fn propose(cx: &Ctx) -> Vec<Proposal> {
    let model = cx.model;
    let opted = opts_into_buildkit(model);
    if !opted && !cx.options.assume_buildkit {
        return Vec::new();
    }
    let directive = (!opted && model.doc.directives.syntax.is_none()).then(|| {
        let at = if model.doc.text.starts_with('\u{feff}') {
            3
        } else {
            0
        };
        Edit::insert(
            at,
            format!("# syntax=docker/dockerfile:1{}", cx.style.newline),
        )
    });
    let mut out = Vec::new();
    let finish = |mut c: Candidate| {
        if let Some(d) = &directive {
            c.edits.push(d.clone());
            c.rules.push("LL1019".into());
            c.moved
                .push_str("; `# syntax=docker/dockerfile:1` added at the top");
        }
        c
    };
    // pip, npm, yarn: per RUN.
    for (i, typed) in model.typed.iter().enumerate() {
        if !matches!(typed, Typed::Run(_)) || !runs_as_root(model, i) {
            continue;
        }
        let wanted: Vec<(&str, &str)> = targets(model, i)
            .into_iter()
            .filter(|(_, t)| !mounted(model, i, t))
            .collect();
        if wanted.is_empty() {
            continue;
        }
        let Some(at) = insert_at(model, i) else {
            continue;
        };
        let paths: Vec<&str> = wanted.iter().map(|(_, t)| *t).collect();
        let managers: Vec<&str> = wanted.iter().map(|(m, _)| *m).collect();
        let span = model.doc.instructions[i].span;
        let mut c = Candidate::new(MoveKind::CacheMount, Applicability::Safe, span);
        c.title = format!(
            "Cache mount for {} on line {}",
            managers.join(" and "),
            line_of(model, i)
        );
        c.moved = format!(
            "`--mount=type=cache,target={}` added to the RUN",
            paths.join("`, `")
        );
        c.rules = vec!["LL1004".into()];
        c.why = format!(
            "With a cache mount, {} keeps its downloads on the builder between builds instead \
             of in the layer: a rebuilt install fetches only what changed, and the image \
             carries no download cache.",
            managers.join(" and ")
        );
        c.key = format!("cache:{}", model.doc.instructions[i].original());
        c.edits = vec![Edit::insert(at, flags_text(cx, &paths))];
        out.push(Ok(finish(c)));
    }
    // Go: every `go` RUN of a golang stage, together.
    for stage in &model.stages {
        if !golang_stage(model, stage.index) {
            continue;
        }
        let go_runs: Vec<usize> = stage
            .instructions
            .iter()
            .copied()
            .filter(|&i| {
                matches!(model.typed[i], Typed::Run(_))
                    && model
                        .run(i)
                        .is_some_and(|r| r.commands().any(|(c, _)| c.name() == Some("go")))
            })
            .collect();
        if go_runs.is_empty() {
            continue;
        }
        let all_root = go_runs.iter().all(|&i| runs_as_root(model, i));
        let env_moved = go_runs.iter().any(|&i| {
            ["GOPATH", "GOMODCACHE", "GOCACHE", "GOFLAGS"]
                .iter()
                .any(|v| model.scope(i).binding(v).is_some())
        });
        if !all_root || env_moved {
            continue;
        }
        let go_targets = ["/go/pkg/mod", "/root/.cache/go-build"];
        let mut edits = Vec::new();
        for &i in &go_runs {
            let missing: Vec<&str> = go_targets
                .iter()
                .copied()
                .filter(|t| !mounted(model, i, t))
                .collect();
            if missing.is_empty() {
                continue;
            }
            if missing.len() != go_targets.len() {
                // Some mounts already there, others not: leave the author's layout alone.
                edits.clear();
                break;
            }
            let Some(at) = insert_at(model, i) else {
                edits.clear();
                break;
            };
            edits.push(Edit::insert(at, flags_text(cx, &missing)));
        }
        if edits.is_empty() {
            continue;
        }
        let first = go_runs[0];
        let span = model.doc.instructions[first].span;
        let mut c = Candidate::new(MoveKind::CacheMount, Applicability::Safe, span);
        c.title = format!("Cache mounts for Go in stage {}", stage.label());
        c.moved = format!(
            "`--mount=type=cache` for /go/pkg/mod and /root/.cache/go-build on {} RUN(s)",
            edits.len()
        );
        c.rules = vec!["LL1004".into()];
        c.why = "Go keeps downloaded modules in /go/pkg/mod and compiled packages in \
                 /root/.cache/go-build; as cache mounts they survive between builds (a rebuild \
                 recompiles only what changed) and stay out of the image. Every `go` RUN of the \
                 stage gets them, so later steps still see the modules."
            .into();
        c.key = format!("cache-go:{}", stage.index);
        c.edits = edits;
        out.push(Ok(finish(c)));
    }
    out
}
