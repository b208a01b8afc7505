//! Where a RUN stands: its user and variables, the stages around it, the RUNs before and
//! after it on the same files, and what they mount.

use super::*;

/// Whether the file already uses BuildKit-only syntax.
pub(super) fn opts_into_buildkit(model: &Model) -> bool {
    model.doc.directives.syntax.is_some()
        || model.typed.iter().any(|t| match t {
            Typed::Run(r) => !r.mounts.is_empty(),
            _ => false,
        })
}

pub(super) fn runs_as_root(model: &Model, i: usize) -> bool {
    match model.contexts[i].user.as_deref() {
        None => true,
        Some(u) => matches!(u.split(':').next(), Some("root" | "0")),
    }
}

/// Whether a variable is set for RUN `i` (by ENV or ARG), or named in the RUN's own text.
pub(super) fn variable_set(model: &Model, i: usize, name: &str, text: &str) -> bool {
    model.scope(i).binding(name).is_some() || text.contains(name)
}

/// Whether root's home (or the XDG directory variable `xdg`, when given) may not be where
/// the defaults assume: set by ENV or ARG, or assigned in the RUN.
pub(super) fn home_moved(model: &Model, i: usize, xdg: Option<&str>, text: &str) -> bool {
    std::iter::once("HOME")
        .chain(xdg)
        .any(|name| model.scope(i).binding(name).is_some() || assigns(text, name))
}

/// Whether `text` assigns `name` (`NAME=...`, also after `export` or `env`).
pub(super) fn assigns(text: &str, name: &str) -> bool {
    let pattern = format!("{name}=");
    text.match_indices(&pattern).any(|(at, _)| {
        !text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// The image a stage is built from, following `FROM <stage>` back to an image.
pub(super) fn root_image(model: &Model, stage: usize) -> Option<&crate::instructions::ImageRef> {
    let mut current = stage;
    for _ in 0..=model.stages.len() {
        match &model.stages[current].base {
            Base::Image(image) => return Some(image),
            Base::Stage(p) if *p < current => current = *p,
            _ => return None,
        }
    }
    None
}

/// Whether RUN `i` is in a stage built (directly or through its stages) from image `name`.
pub(super) fn from_image(model: &Model, i: usize, name: &str) -> bool {
    model.contexts[i]
        .stage
        .and_then(|s| root_image(model, s))
        .is_some_and(|image| image.name == name)
}

/// Stages built on stage `s` (directly or through other stages), `s` excluded.
pub(super) fn descendants(model: &Model, s: usize) -> Vec<usize> {
    let mut inside = vec![false; model.stages.len()];
    inside[s] = true;
    let mut out = Vec::new();
    for stage in &model.stages {
        if let Base::Stage(p) = stage.base {
            if p < stage.index && inside[p] {
                inside[stage.index] = true;
                out.push(stage.index);
            }
        }
    }
    out
}

/// Stages `s` is built on (directly or through other stages), nearest first.
pub(super) fn ancestors(model: &Model, s: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut current = s;
    while let Base::Stage(p) = model.stages[current].base {
        if p >= current || out.contains(&p) {
            break;
        }
        out.push(p);
        current = p;
    }
    out
}

pub(super) fn is_run(model: &Model, j: usize) -> bool {
    matches!(model.typed[j], Typed::Run(_))
}

/// The RUNs that run on top of RUN `i`'s files: the rest of its stage and the stages built
/// on it.
pub(super) fn later_runs(model: &Model, i: usize) -> Vec<usize> {
    let Some(s) = model.contexts[i].stage else {
        return Vec::new();
    };
    let own = model.stages[s].instructions.iter().filter(|&&j| j > i);
    let below = descendants(model, s)
        .into_iter()
        .flat_map(|d| model.stages[d].instructions.iter());
    own.chain(below)
        .copied()
        .filter(|&j| is_run(model, j))
        .collect()
}

/// The RUNs whose files RUN `i` runs on top of: earlier in its stage and in the stages it
/// is built on.
pub(super) fn earlier_runs(model: &Model, i: usize) -> Vec<usize> {
    let Some(s) = model.contexts[i].stage else {
        return Vec::new();
    };
    let own = model.stages[s].instructions.iter().filter(|&&j| j < i);
    let above = ancestors(model, s)
        .into_iter()
        .flat_map(|a| model.stages[a].instructions.iter());
    own.chain(above)
        .copied()
        .filter(|&j| is_run(model, j))
        .collect()
}

pub(super) fn commands(model: &Model, j: usize) -> Vec<&Command> {
    model
        .run(j)
        .map(|r| r.commands().map(|(c, _)| c).collect())
        .unwrap_or_default()
}

/// Whether RUN `j` mounts something at `target`, inside it or above it (a cache mount with
/// no target counts as covering everything).
pub(super) fn covered(model: &Model, j: usize, target: &str) -> bool {
    let Typed::Run(run) = &model.typed[j] else {
        return false;
    };
    let workdir = model.contexts[j].workdir.as_str();
    run.mounts.iter().any(|m| match m.target.as_deref() {
        Some(t) => {
            let t = join_path(workdir, t);
            is_within(target, &t) || is_within(&t, target)
        }
        None => m.kind == MountType::Cache,
    })
}

/// Whether RUN `j` mounts `target` (see [`covered`]), or will in the same change.
pub(super) fn will_cover(
    model: &Model,
    planned: &[(usize, String)],
    j: usize,
    target: &str,
) -> bool {
    covered(model, j, target) || planned.iter().any(|(k, t)| *k == j && t == target)
}

/// Whether a command of RUN `j` named `name` has one of the long `flags`.
pub(super) fn runs_with_flag(model: &Model, j: usize, name: &str, flags: &[&str]) -> bool {
    commands(model, j)
        .iter()
        .any(|c| c.is(name) && flags.iter().any(|f| c.has_long_flag(f)))
}

/// The first later RUN (see [`later_runs`]) for which `reads` holds and that does not mount
/// `target` itself, as a refusal reason.
pub(super) fn later_reader(
    model: &Model,
    i: usize,
    target: &str,
    what: &str,
    reads: impl Fn(usize) -> bool,
) -> Option<String> {
    later_runs(model, i)
        .into_iter()
        .find(|&k| !covered(model, k, target) && reads(k))
        .map(|k| {
            format!(
                "the RUN on line {} reads {what} from the image, where this RUN leaves them \
                 today; with the mount they would not be there",
                line_of(model, k)
            )
        })
}
