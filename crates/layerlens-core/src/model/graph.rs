//! The stage graph: FROM, `COPY --from` and `RUN --mount=from` edges, and what a target
//! needs.

use super::{Base, Model};
use crate::instructions::{ImageRef, Typed};
use crate::text::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeKind {
    /// `FROM <base>`.
    From,
    /// `COPY --from=<source>`.
    CopyFrom,
    /// `RUN --mount=from=<source>`.
    MountFrom,
}

/// What an edge points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StageRef {
    Stage(usize),
    Image(String),
    Scratch,
}

/// `to` (a stage) uses `from` through `kind` at instruction `instruction`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    pub from: StageRef,
    pub to: usize,
    pub kind: EdgeKind,
    pub instruction: usize,
    pub span: Span,
}

/// Collects every edge of the model.
pub(super) fn link(model: &mut Model) {
    let mut edges = Vec::new();
    for stage in &model.stages {
        let from = match &stage.base {
            Base::Stage(parent) => StageRef::Stage(*parent),
            Base::Scratch => StageRef::Scratch,
            Base::Image(image) => StageRef::Image(image.raw.clone()),
            Base::Unresolved => StageRef::Image(stage.base_expanded.clone()),
        };
        edges.push(Edge {
            from,
            to: stage.index,
            kind: EdgeKind::From,
            instruction: stage.from,
            span: model.doc.instructions[stage.from].span,
        });
        for &i in &stage.instructions {
            let sources: Vec<(String, Span, EdgeKind)> = match &model.typed[i] {
                Typed::Copy(copy) => copy
                    .from
                    .iter()
                    .map(|f| (f.value.clone(), f.text.span, EdgeKind::CopyFrom))
                    .collect(),
                Typed::Run(run) => run
                    .mounts
                    .iter()
                    .filter_map(|m| Some((m.from.clone()?, m.span, EdgeKind::MountFrom)))
                    .collect(),
                _ => Vec::new(),
            };
            for (source, span, kind) in sources {
                edges.push(Edge {
                    from: resolve(model, &source, stage.index),
                    to: stage.index,
                    kind,
                    instruction: i,
                    span,
                });
            }
        }
    }
    model.edges = edges;
}

/// `--from` names an earlier stage (by name or index) or else an image.
fn resolve(model: &Model, source: &str, current: usize) -> StageRef {
    if let Some(stage) = model.stage_by_name(source, current) {
        return StageRef::Stage(stage);
    }
    if let Ok(index) = source.parse::<usize>() {
        if index < current {
            return StageRef::Stage(index);
        }
    }
    if source.eq_ignore_ascii_case("scratch") {
        return StageRef::Scratch;
    }
    StageRef::Image(ImageRef::parse(source).map_or_else(|| source.to_string(), |r| r.raw))
}

/// Stages needed to build `target`, by walking edges backwards.
pub(super) fn reachable(model: &Model, target: usize) -> Vec<bool> {
    let mut seen = vec![false; model.stages.len()];
    let mut todo = vec![target];
    while let Some(stage) = todo.pop() {
        if stage >= seen.len() || seen[stage] {
            continue;
        }
        seen[stage] = true;
        for edge in model.edges.iter().filter(|e| e.to == stage) {
            if let StageRef::Stage(dep) = edge.from {
                todo.push(dep);
            }
        }
    }
    seen
}
