//! The cache simulator: given what changed (files of the build context, an ARG's value,
//! the base image, an edited instruction), which steps of each built stage BuildKit reuses
//! and which it runs again, and why the first one misses.
//!
//! Rules (reference/buildkit/layers.md §3): a COPY/ADD misses when a file it selects
//! changed (content, not mtime; `.dockerignore` and `--exclude` leave files out); a RUN
//! misses when its command, environment (every ARG with a value and every ENV in scope),
//! working directory, user or bind-mounted files change; once one step misses, every later
//! step of the stage runs again (a `COPY --link` layer is reused and re-stacked); a stage
//! FROM a rebuilt stage, and `COPY --from`/`RUN --mount=from` of one, miss too.

use serde::{Deserialize, Serialize};

use crate::dockerignore::{glob_match, Dockerignore};
use crate::instructions::{CommandLine, MountType, Source, Typed};
use crate::knowledge;
use crate::model::{Base, Model};

use super::ledger::{effect, mentions, stage_of, Effect};

/// Something that changed since the last build.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// A file (or glob) of the build context, relative to its root (`src/app.py`).
    File { path: String },
    /// A build argument's value (`--build-arg NAME=...`).
    Arg { name: String },
    /// The base image moved (a new digest behind the tag). `None`: every base image;
    /// else the image as written in FROM (or its repository, `python`).
    BaseImage { image: Option<String> },
    /// The instruction with this index was edited.
    Instruction { index: usize },
}

/// The verdict for one instruction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub cached: bool,
    /// The first step of its stage that misses.
    pub first_miss: bool,
    pub reason: String,
}

/// Presets the UI offers under "what changed?".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PresetKind {
    ApplicationCode,
    DependencyManifest,
    SystemPackages,
    BaseImage,
}

impl PresetKind {
    pub const ALL: [PresetKind; 4] = [
        PresetKind::ApplicationCode,
        PresetKind::DependencyManifest,
        PresetKind::SystemPackages,
        PresetKind::BaseImage,
    ];

    pub fn label(self) -> &'static str {
        match self {
            PresetKind::ApplicationCode => "Application code",
            PresetKind::DependencyManifest => "Dependency manifest",
            PresetKind::SystemPackages => "System packages",
            PresetKind::BaseImage => "Base image",
        }
    }

    /// `application-code` etc., as the CLI spells them.
    pub fn from_name(name: &str) -> Option<PresetKind> {
        match name.to_ascii_lowercase().replace(['-', ' '], "_").as_str() {
            "application_code" | "code" | "app" => Some(PresetKind::ApplicationCode),
            "dependency_manifest" | "dependencies" | "deps" | "manifest" => {
                Some(PresetKind::DependencyManifest)
            }
            "system_packages" | "system" | "packages" => Some(PresetKind::SystemPackages),
            "base_image" | "base" => Some(PresetKind::BaseImage),
            _ => None,
        }
    }
}

/// A preset resolved for one Dockerfile.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Preset {
    pub kind: PresetKind,
    pub label: &'static str,
    /// What the preset stands for in this file.
    pub description: String,
    pub changes: Vec<Change>,
}

/// Strips `./` and `/` so context paths compare.
fn context_path(p: &str) -> String {
    let p = p.trim_matches('"');
    let p = p.trim_start_matches("./").trim_start_matches('/');
    p.trim_end_matches('/').to_string()
}

fn has_glob(p: &str) -> bool {
    p.contains(['*', '?', '['])
}

/// The part of a glob before its first wildcard.
fn literal_prefix(p: &str) -> &str {
    let end = p.find(['*', '?', '[']).unwrap_or(p.len());
    &p[..end]
}

/// Whether a changed context path (or glob) is selected by a COPY source.
pub fn source_selects(source: &str, changed: &str) -> bool {
    let source = context_path(source);
    let changed = context_path(changed);
    if source.is_empty() || source == "." || source == "*" || source == ".*" {
        return true;
    }
    if changed.is_empty() {
        return true;
    }
    let within = |path: &str, dir: &str| {
        path == dir || path.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
    };
    if !has_glob(&changed) {
        if !has_glob(&source) {
            return within(&changed, &source);
        }
        // The source glob matches the file or one of its parent directories.
        let mut candidate = changed.as_str();
        loop {
            if glob_match(&source, candidate) {
                return true;
            }
            match candidate.rfind('/') {
                Some(at) => candidate = &candidate[..at],
                None => return false,
            }
        }
    }
    // A changed glob: it covers the source, or their literal prefixes overlap.
    if glob_match(&changed, &source) {
        return true;
    }
    let prefix = literal_prefix(&changed);
    let src_prefix = literal_prefix(&source);
    prefix.starts_with(src_prefix)
        && (!has_glob(&source) && within(prefix.trim_end_matches('/'), &source)
            || has_glob(&source))
        || src_prefix.starts_with(prefix)
}

/// The first file change (not ignored) that a set of context sources selects.
fn busting_file<'c>(
    sources: &[String],
    excludes: &[String],
    changes: &'c [Change],
    ignore: Option<&Dockerignore>,
) -> Option<&'c str> {
    changes.iter().find_map(|c| match c {
        Change::File { path } => {
            let p = context_path(path);
            if ignore.is_some_and(|i| i.excludes(&p)) {
                return None;
            }
            if excludes.iter().any(|e| glob_match(&context_path(e), &p)) {
                return None;
            }
            sources
                .iter()
                .any(|s| source_selects(s, &p))
                .then_some(path.as_str())
        }
        _ => None,
    })
}

/// Whether a base-image change applies to `image` (as written in FROM, or its name).
fn base_changed(changes: &[Change], written: &str, repository_name: Option<&str>) -> bool {
    changes.iter().any(|c| match c {
        Change::BaseImage { image: None } => true,
        Change::BaseImage { image: Some(x) } => {
            x.eq_ignore_ascii_case(written)
                || repository_name.is_some_and(|n| x.eq_ignore_ascii_case(n))
        }
        _ => false,
    })
}

fn line(model: &Model, i: usize) -> usize {
    model
        .doc
        .instructions
        .get(i)
        .map(|x| x.start_line)
        .unwrap_or(0)
}

fn edited(changes: &[Change], i: usize) -> bool {
    changes
        .iter()
        .any(|c| matches!(c, Change::Instruction { index } if *index == i))
}

/// A change of the environment that is waiting for the next step that embeds it.
struct Pending {
    reason: String,
    /// Variable names it concerns (for COPY/WORKDIR that mention them); empty for all.
    names: Vec<String>,
    /// Only the next RUN (and WORKDIR for a user change) picks it up.
    kind: PendingKind,
}

#[derive(PartialEq, Clone, Copy)]
enum PendingKind {
    /// ARG/ENV: every RUN; COPY/ADD/WORKDIR that mention the names.
    Variable,
    /// WORKDIR: RUN, and COPY/ADD with a relative destination.
    Workdir,
    /// USER: RUN and WORKDIR's mkdir.
    User,
    /// SHELL: shell-form RUN.
    Shell,
}

/// Simulates a rebuild. Returns a verdict per instruction (`None` for instructions of
/// stages the target does not build, and for global ARGs).
pub fn simulate(
    model: &Model,
    built: &[bool],
    changes: &[Change],
    ignore: Option<&Dockerignore>,
) -> Vec<Option<Verdict>> {
    let mut out: Vec<Option<Verdict>> = vec![None; model.doc.instructions.len()];
    let mut stage_rebuilt = vec![false; model.stages.len()];
    for stage in &model.stages {
        if !built.get(stage.index).copied().unwrap_or(false) {
            continue;
        }
        let mut miss: Option<usize> = None;
        let set = |out: &mut Vec<Option<Verdict>>, i: usize, v: Verdict| {
            if let Some(slot) = out.get_mut(i) {
                *slot = Some(v);
            }
        };
        // FROM.
        let from_reason = match &stage.base {
            Base::Stage(p) if stage_rebuilt.get(*p).copied().unwrap_or(false) => Some(format!(
                "stage {} it is built FROM was rebuilt",
                model.stages.get(*p).map(|s| s.label()).unwrap_or_default()
            )),
            Base::Image(image)
                if base_changed(changes, &stage.base_written, Some(&image.name))
                    || base_changed(changes, &image.raw, None) =>
            {
                Some(format!("the base image {} changed", image.raw))
            }
            _ if edited(changes, stage.from) => Some("this FROM line was edited".into()),
            _ => changes.iter().find_map(|c| match c {
                Change::Arg { name } if mentions(&stage.base_written, name) => {
                    Some(format!("build arg {name}, used in FROM, changed"))
                }
                _ => None,
            }),
        };
        match from_reason {
            Some(reason) => {
                miss = Some(stage.from);
                set(
                    &mut out,
                    stage.from,
                    Verdict {
                        cached: false,
                        first_miss: true,
                        reason,
                    },
                );
            }
            None => set(
                &mut out,
                stage.from,
                Verdict {
                    cached: true,
                    first_miss: false,
                    reason: "base unchanged".into(),
                },
            ),
        }
        let mut pending: Vec<Pending> = Vec::new();
        for &i in &stage.instructions {
            let typed = model.typed.get(i);
            // A state change this instruction makes for later steps.
            if let Some(p) = state_change(model, i, changes) {
                pending.push(p);
            }
            if let Some(first) = miss {
                let linked_reuse = !edited(changes, i)
                    && linked(typed)
                    && own_reason(model, i, changes, ignore, &stage_rebuilt, &[]).is_none();
                let v = if linked_reuse {
                    Verdict { cached: true, first_miss: false, reason: "COPY --link: the layer does not depend on the ones below; reused and re-stacked".into() }
                } else if effect(model, i) == Effect::Metadata {
                    Verdict {
                        cached: false,
                        first_miss: false,
                        reason: format!(
                            "image config re-applied after the miss at line {}",
                            line(model, first)
                        ),
                    }
                } else {
                    Verdict {
                        cached: false,
                        first_miss: false,
                        reason: format!(
                            "runs again: follows the cache miss at line {}",
                            line(model, first)
                        ),
                    }
                };
                set(&mut out, i, v);
                continue;
            }
            match own_reason(model, i, changes, ignore, &stage_rebuilt, &pending) {
                Some(reason) => {
                    miss = Some(i);
                    set(
                        &mut out,
                        i,
                        Verdict {
                            cached: false,
                            first_miss: true,
                            reason,
                        },
                    );
                }
                None => {
                    let reason = if effect(model, i) == Effect::Metadata
                        || effect(model, i) == Effect::Nothing
                    {
                        if edited(changes, i) && state_change(model, i, changes).is_some() {
                            "edited: the steps after it that use what it sets run again".into()
                        } else if edited(changes, i) {
                            "edited, but it only changes the image config: nothing is rebuilt"
                                .into()
                        } else {
                            "image config only".into()
                        }
                    } else {
                        "cached: its inputs did not change".into()
                    };
                    set(
                        &mut out,
                        i,
                        Verdict {
                            cached: true,
                            first_miss: false,
                            reason,
                        },
                    );
                }
            }
            // Steps that embed the pending state consume it.
            if is_op(typed) {
                pending.retain(|p| !consumes(model, i, p));
            }
        }
        stage_rebuilt[stage.index] = miss.is_some();
    }
    out
}

fn linked(typed: Option<&Typed>) -> bool {
    match typed {
        Some(Typed::Copy(c)) => c.link && c.chmod.is_none(),
        Some(Typed::Add(a)) => a.link && a.chmod.is_none(),
        _ => false,
    }
}

fn is_op(typed: Option<&Typed>) -> bool {
    matches!(
        typed,
        Some(Typed::Run(_) | Typed::Copy(_) | Typed::Add(_) | Typed::Workdir(_))
    )
}

/// The state change an instruction makes that later steps embed, if it was edited or its
/// ARG changed.
fn state_change(model: &Model, i: usize, changes: &[Change]) -> Option<Pending> {
    let typed = model.typed.get(i)?;
    let l = line(model, i);
    let is_edited = edited(changes, i);
    match typed {
        Typed::Env(pairs) if is_edited => Some(Pending {
            reason: format!("ENV at line {l} was edited"),
            names: pairs.iter().map(|p| p.key.value.clone()).collect(),
            kind: PendingKind::Variable,
        }),
        Typed::Arg(decls) => {
            let names: Vec<String> = decls
                .iter()
                .filter(|d| {
                    is_edited
                        || changes
                            .iter()
                            .any(|c| matches!(c, Change::Arg { name } if *name == d.name))
                })
                .map(|d| d.name.clone())
                .collect();
            (!names.is_empty()).then(|| Pending {
                reason: if is_edited {
                    format!("ARG at line {l} was edited")
                } else {
                    format!(
                        "build arg {} changed (declared at line {l})",
                        names.join(", ")
                    )
                },
                names,
                kind: PendingKind::Variable,
            })
        }
        Typed::Workdir(_) if is_edited => Some(Pending {
            reason: format!("WORKDIR at line {l} was edited"),
            names: Vec::new(),
            kind: PendingKind::Workdir,
        }),
        Typed::User(_) if is_edited => Some(Pending {
            reason: format!("USER at line {l} was edited"),
            names: Vec::new(),
            kind: PendingKind::User,
        }),
        Typed::Shell(_) if is_edited => Some(Pending {
            reason: format!("SHELL at line {l} was edited"),
            names: Vec::new(),
            kind: PendingKind::Shell,
        }),
        _ => None,
    }
}

/// Whether step `i` embeds the pending state (and so misses because of it).
fn consumes(model: &Model, i: usize, p: &Pending) -> bool {
    let text = model
        .doc
        .instructions
        .get(i)
        .map(|x| x.original())
        .unwrap_or("");
    let mentions_any = || p.names.iter().any(|n| mentions(text, n));
    match (model.typed.get(i), p.kind) {
        (Some(Typed::Run(r)), PendingKind::Shell) => matches!(r.command, CommandLine::Shell(_)),
        (Some(Typed::Run(_)), _) => true,
        (Some(Typed::Workdir(_)), PendingKind::User) => effect(model, i) == Effect::Layer,
        (Some(Typed::Copy(_) | Typed::Add(_) | Typed::Workdir(_)), PendingKind::Variable) => {
            mentions_any()
        }
        (Some(Typed::Copy(c)), PendingKind::Workdir) => !c.dest.value.starts_with('/'),
        (Some(Typed::Add(a)), PendingKind::Workdir) => !a.dest.value.starts_with('/'),
        (Some(Typed::Workdir(w)), PendingKind::Workdir) => !w.value.starts_with('/'),
        _ => false,
    }
}

/// Why step `i` misses on its own inputs, if it does.
fn own_reason(
    model: &Model,
    i: usize,
    changes: &[Change],
    ignore: Option<&Dockerignore>,
    stage_rebuilt: &[bool],
    pending: &[Pending],
) -> Option<String> {
    let typed = model.typed.get(i)?;
    let current = model.contexts.get(i).and_then(|c| c.stage);
    if edited(changes, i) && is_op(Some(typed)) && effect(model, i) == Effect::Layer {
        return Some("this instruction was edited".into());
    }
    if is_op(Some(typed)) {
        if let Some(p) = pending.iter().find(|p| consumes(model, i, p)) {
            return Some(p.reason.clone());
        }
    }
    let stage_label = |s: usize| model.stages.get(s).map(|x| x.label()).unwrap_or_default();
    match typed {
        Typed::Run(run) => {
            for m in &run.mounts {
                if let Some(from) = &m.from {
                    if let Some(s) = stage_of(model, from, current) {
                        if stage_rebuilt.get(s).copied().unwrap_or(false) {
                            return Some(format!(
                                "it mounts stage {}, which was rebuilt",
                                stage_label(s)
                            ));
                        }
                    } else if base_changed(changes, from, None) {
                        return Some(format!("the mounted image {from} changed"));
                    }
                } else if m.kind == MountType::Bind {
                    let source = vec![m.source.clone().unwrap_or_else(|| ".".into())];
                    if let Some(f) = busting_file(&source, &[], changes, ignore) {
                        return Some(format!("{f} changed and is bind-mounted into this RUN"));
                    }
                }
            }
            None
        }
        Typed::Copy(copy) => copy_reason(
            model,
            i,
            &copy.sources,
            copy.from.as_ref().map(|f| f.value.as_str()),
            &copy
                .exclude
                .iter()
                .map(|e| e.value.clone())
                .collect::<Vec<_>>(),
            changes,
            ignore,
            stage_rebuilt,
        ),
        Typed::Add(add) => copy_reason(
            model,
            i,
            &add.sources,
            None,
            &add.exclude
                .iter()
                .map(|e| e.value.clone())
                .collect::<Vec<_>>(),
            changes,
            ignore,
            stage_rebuilt,
        ),
        _ => None,
    }
}

#[allow(clippy::too_many_arguments)]
fn copy_reason(
    model: &Model,
    i: usize,
    sources: &[Source],
    from: Option<&str>,
    excludes: &[String],
    changes: &[Change],
    ignore: Option<&Dockerignore>,
    stage_rebuilt: &[bool],
) -> Option<String> {
    let current = model.contexts.get(i).and_then(|c| c.stage);
    if let Some(from) = from {
        return match stage_of(model, from, current) {
            Some(s) if stage_rebuilt.get(s).copied().unwrap_or(false) => Some(format!(
                "stage {} was rebuilt (reused only if the copied files come out byte-identical)",
                model.stages.get(s).map(|x| x.label()).unwrap_or_default()
            )),
            Some(_) => None,
            None => base_changed(changes, from, None).then(|| format!("the image {from} changed")),
        };
    }
    let paths: Vec<String> = sources
        .iter()
        .filter_map(|s| match s {
            Source::Path(t) => Some(
                model
                    .expand(i, &t.value)
                    .unwrap_or_else(|_| t.value.clone()),
            ),
            Source::Heredoc { .. } => None,
        })
        .filter(|p| !p.contains("://"))
        .collect();
    busting_file(&paths, excludes, changes, ignore).map(|f| {
        let whole = paths
            .iter()
            .any(|p| matches!(context_path(p).as_str(), "" | "." | "*"));
        if whole {
            format!("{f} changed: this copies the whole build context")
        } else {
            format!("{f} changed and is copied here")
        }
    })
}

// ---------------------------------------------------------------------------------------
// Presets

/// A plausible application file for the stack the Dockerfile builds, not ignored.
fn sample_code_path(model: &Model, dir: &str, ignore: Option<&Dockerignore>) -> String {
    let text = model.doc.text.to_ascii_lowercase();
    let candidates: &[&str] =
        if text.contains("python") || text.contains("pip ") || text.contains("poetry") {
            &["app/main.py", "src/app.py", "main.py"]
        } else if text.contains("node") || text.contains("npm ") || text.contains("yarn") {
            &["src/index.js", "index.js", "app/page.tsx"]
        } else if text.contains("golang") || text.contains("go build") {
            &["main.go", "cmd/server/main.go"]
        } else if text.contains("cargo") || text.contains("rust") {
            &["src/main.rs"]
        } else if text.contains("ruby") || text.contains("bundle") {
            &["app/models/user.rb", "app.rb"]
        } else {
            &["src/app", "app/main"]
        };
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    candidates
        .iter()
        .map(|c| format!("{prefix}{c}"))
        .find(|p| !ignore.is_some_and(|i| i.excludes(p)))
        .unwrap_or_else(|| format!("{prefix}{}", candidates[0]))
}

fn context_sources(model: &Model, built: &[bool]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for stage in model
        .stages
        .iter()
        .filter(|s| built.get(s.index).copied().unwrap_or(false))
    {
        for &i in &stage.instructions {
            let sources = match model.typed.get(i) {
                Some(Typed::Copy(c)) if c.from.is_none() => &c.sources,
                Some(Typed::Add(a)) => &a.sources,
                _ => continue,
            };
            for s in sources {
                if let Source::Path(t) = s {
                    let v = model
                        .expand(i, &t.value)
                        .unwrap_or_else(|_| t.value.clone());
                    if !v.contains("://") {
                        out.push((i, v));
                    }
                }
            }
        }
    }
    out
}

fn basename(p: &str) -> &str {
    let t = p.trim_end_matches('/');
    t.rsplit('/').next().unwrap_or(t)
}

/// Resolves the four presets for this Dockerfile.
pub fn presets(model: &Model, built: &[bool], ignore: Option<&Dockerignore>) -> Vec<Preset> {
    let sources = context_sources(model, built);
    let mut out = Vec::new();
    // Application code: a source file the non-manifest COPYs select.
    let mut code = Vec::new();
    for (_, s) in &sources {
        let cp = context_path(s);
        let change = if matches!(cp.as_str(), "" | "." | "*" | ".*") {
            sample_code_path(model, "", ignore)
        } else if knowledge::is_manifest_file(basename(&cp)) {
            continue;
        } else if has_glob(&cp) || (!basename(&cp).contains('.') || s.ends_with('/')) {
            sample_code_path(model, literal_prefix(&cp).trim_end_matches('/'), ignore)
        } else {
            cp.clone()
        };
        let change = Change::File { path: change };
        if !code.contains(&change) {
            code.push(change);
        }
    }
    out.push(Preset {
        kind: PresetKind::ApplicationCode,
        label: PresetKind::ApplicationCode.label(),
        description: if code.is_empty() {
            "no COPY of application code from the build context".into()
        } else {
            "an application source file changed".into()
        },
        changes: code.into_iter().take(3).collect(),
    });
    // Dependency manifests: the manifest files COPY names, else the manifests of the
    // dependency installs the RUNs do.
    let mut manifests: Vec<Change> = Vec::new();
    let push = |p: String, manifests: &mut Vec<Change>| {
        let c = Change::File { path: p };
        if !manifests.contains(&c) {
            manifests.push(c);
        }
    };
    for (_, s) in &sources {
        let cp = context_path(s);
        let base = basename(&cp);
        if !knowledge::is_manifest_file(base) {
            continue;
        }
        if has_glob(base) {
            let dir = cp.strip_suffix(base).unwrap_or("");
            for m in all_manifest_names()
                .into_iter()
                .filter(|m| knowledge::wildcard_match(base, m))
            {
                push(format!("{dir}{m}"), &mut manifests);
            }
        } else {
            push(cp.clone(), &mut manifests);
        }
    }
    if manifests.is_empty() {
        for manager in dependency_managers(model, built) {
            for f in knowledge::manifest_files(manager) {
                push(f.to_string(), &mut manifests);
            }
        }
    }
    out.push(Preset {
        kind: PresetKind::DependencyManifest,
        label: PresetKind::DependencyManifest.label(),
        description: if manifests.is_empty() {
            "no dependency manifest found".into()
        } else {
            format!(
                "a dependency manifest changed ({})",
                manifests
                    .iter()
                    .filter_map(|c| match c {
                        Change::File { path } => Some(path.as_str()),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
        changes: manifests.into_iter().take(1).collect(),
    });
    // System packages: the first RUN of each built stage that installs OS packages.
    let mut system = Vec::new();
    for stage in model
        .stages
        .iter()
        .filter(|s| built.get(s.index).copied().unwrap_or(false))
    {
        if let Some(&i) = stage
            .instructions
            .iter()
            .find(|&&i| installs_os_packages(model, i))
        {
            system.push(Change::Instruction { index: i });
        }
    }
    out.push(Preset {
        kind: PresetKind::SystemPackages,
        label: PresetKind::SystemPackages.label(),
        description: if system.is_empty() {
            "no OS package install found".into()
        } else {
            "the OS package list was edited".into()
        },
        changes: system,
    });
    out.push(Preset {
        kind: PresetKind::BaseImage,
        label: PresetKind::BaseImage.label(),
        description: "a new image was pushed behind the base image tags".into(),
        changes: vec![Change::BaseImage { image: None }],
    });
    out
}

fn all_manifest_names() -> Vec<&'static str> {
    [
        "pip", "npm", "yarn", "pnpm", "go", "poetry", "pipenv", "uv", "bundler", "composer",
        "cargo", "maven",
    ]
    .iter()
    .flat_map(|m| knowledge::manifest_files(m))
    .collect()
}

/// Dependency managers whose installs the built stages run.
fn dependency_managers(model: &Model, built: &[bool]) -> Vec<&'static str> {
    let mut out = Vec::new();
    for stage in model
        .stages
        .iter()
        .filter(|s| built.get(s.index).copied().unwrap_or(false))
    {
        for &i in &stage.instructions {
            let Some(run) = model.run(i) else { continue };
            for (cmd, _) in run.commands() {
                let m = match cmd.basename() {
                    Some(n) if n.starts_with("pip") && !n.starts_with("pipenv") => "pip",
                    Some("npm") => "npm",
                    Some("yarn") => "yarn",
                    Some("pnpm") => "pnpm",
                    Some("go") => "go",
                    Some("poetry") => "poetry",
                    Some("pipenv") => "pipenv",
                    Some("bundle") => "bundler",
                    Some("composer") => "composer",
                    Some("cargo") => "cargo",
                    _ => continue,
                };
                if !out.contains(&m) {
                    out.push(m);
                }
            }
        }
    }
    out
}

fn installs_os_packages(model: &Model, i: usize) -> bool {
    let Some(run) = model.run(i) else {
        return false;
    };
    run.commands().any(|(cmd, _)| {
        let sub = |c: &crate::shell::Command| {
            c.positional_args_with(&["-o", "-t", "--virtual", "-c"])
                .first()
                .map(|w| w.value.clone())
        };
        match cmd.basename() {
            Some("apt-get" | "apt" | "aptitude" | "yum" | "dnf" | "microdnf" | "zypper") => {
                matches!(sub(cmd).as_deref(), Some("install" | "in"))
            }
            Some("apk") => sub(cmd).as_deref() == Some("add"),
            _ => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_select_changes() {
        assert!(source_selects(".", "src/app.py"));
        assert!(source_selects("src/", "src/app.py"));
        assert!(!source_selects("src", "srcs/app.py"));
        assert!(source_selects("package*.json", "package-lock.json"));
        assert!(!source_selects("package*.json", "src/index.js"));
        assert!(source_selects("requirements.txt", "requirements.txt"));
        assert!(!source_selects("requirements.txt", "app.py"));
        assert!(source_selects("src", "src/**/*.py"));
        assert!(source_selects("src/app.py", "src/*.py"));
        assert!(!source_selects("docs", "src/*.py"));
        assert_eq!(
            PresetKind::from_name("application-code"),
            Some(PresetKind::ApplicationCode)
        );
        assert_eq!(
            PresetKind::from_name("base_image"),
            Some(PresetKind::BaseImage)
        );
    }
}
