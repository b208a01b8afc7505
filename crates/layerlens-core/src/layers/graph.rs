//! The stage graph as a view: nodes for stages, external images and scratch; edges for
//! FROM, `COPY --from` and `RUN --mount=from`; which stages the target builds and which
//! ones end up in the final image.

use serde::Serialize;

use crate::model::{EdgeKind, Model, StageRef};

/// A node of the graph.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Node {
    Stage {
        id: String,
        index: usize,
        label: String,
        /// Built for the target (BuildKit skips the others).
        built: bool,
        /// The target stage.
        target: bool,
        /// Its layers are part of the final image (the target and the stages it is built
        /// FROM).
        in_final_image: bool,
        /// Index of its FROM instruction.
        instruction: usize,
    },
    Image {
        id: String,
        reference: String,
    },
    Scratch {
        id: String,
    },
}

impl Node {
    pub fn id(&self) -> &str {
        match self {
            Node::Stage { id, .. } | Node::Image { id, .. } | Node::Scratch { id } => id,
        }
    }
}

/// How one node feeds another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GraphEdgeKind {
    From,
    CopyFrom,
    MountFrom,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GraphEdge {
    /// Node ids.
    pub from: String,
    pub to: String,
    pub kind: GraphEdgeKind,
    /// The instruction that makes the edge.
    pub instruction: usize,
    pub line: usize,
    /// Whether it is followed when building the target.
    pub built: bool,
    /// Whether what flows along it reaches the final image (a FROM chain into it, or
    /// files copied into one of its stages; mounts never do).
    pub into_final_image: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StageGraph {
    pub nodes: Vec<Node>,
    pub edges: Vec<GraphEdge>,
    /// The target stage's index.
    pub target: Option<usize>,
}

/// Builds the graph. `built` and `in_final` are per stage.
pub fn stage_graph(
    model: &Model,
    target: Option<usize>,
    built: &[bool],
    in_final: &[bool],
) -> StageGraph {
    let mut nodes: Vec<Node> = model
        .stages
        .iter()
        .map(|s| Node::Stage {
            id: format!("stage:{}", s.index),
            index: s.index,
            label: s.label(),
            built: built.get(s.index).copied().unwrap_or(false),
            target: Some(s.index) == target,
            in_final_image: in_final.get(s.index).copied().unwrap_or(false),
            instruction: s.from,
        })
        .collect();
    let mut edges = Vec::new();
    for e in &model.edges {
        let from = match &e.from {
            StageRef::Stage(s) => format!("stage:{s}"),
            StageRef::Image(r) => {
                let id = format!("image:{r}");
                if !nodes.iter().any(|n| n.id() == id) {
                    nodes.push(Node::Image {
                        id: id.clone(),
                        reference: r.clone(),
                    });
                }
                id
            }
            StageRef::Scratch => {
                let id = "scratch".to_string();
                if !nodes.iter().any(|n| n.id() == id) {
                    nodes.push(Node::Scratch { id: id.clone() });
                }
                id
            }
        };
        let kind = match e.kind {
            EdgeKind::From => GraphEdgeKind::From,
            EdgeKind::CopyFrom => GraphEdgeKind::CopyFrom,
            EdgeKind::MountFrom => GraphEdgeKind::MountFrom,
        };
        let to_final = in_final.get(e.to).copied().unwrap_or(false);
        edges.push(GraphEdge {
            from,
            to: format!("stage:{}", e.to),
            kind,
            instruction: e.instruction,
            line: model
                .doc
                .instructions
                .get(e.instruction)
                .map(|i| i.start_line)
                .unwrap_or(0),
            built: built.get(e.to).copied().unwrap_or(false),
            into_final_image: to_final && kind != GraphEdgeKind::MountFrom,
        });
    }
    StageGraph {
        nodes,
        edges,
        target,
    }
}
