//! The stage graph as SVG: stages in file order down the middle, the external images
//! (and `scratch`) they start from on the left, and stage-to-stage edges (FROM a stage,
//! `COPY --from`, `RUN --mount=from`) as arcs on the right. The target is outlined, what
//! reaches the final image is in the accent colour, stages the target does not need are
//! dashed and faded. Nodes and edges come from the core's `StageGraph`; only the geometry
//! is computed here.

use std::collections::BTreeMap;

use layerlens_core::analysis::Analysis;
use layerlens_core::layers::{GraphEdgeKind, Node, StageGraph};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::state::Action;
use crate::view::{reveal, size_label, Shared};

const PAD: f64 = 8.0;
/// Widest an image node gets (long references are cut to fit).
const IMG_W_MAX: f64 = 172.0;
/// Width of one character of the 11.5px monospace labels, and the room around them.
const CHAR_W: f64 = 7.0;
const IMG_PAD: f64 = 28.0;
/// Characters an image label may have.
const IMG_CHARS: usize = 22;
const IMG_H: f64 = 30.0;
const GAP_X: f64 = 46.0;
const STAGE_W: f64 = 200.0;
const STAGE_H: f64 = 50.0;
const GAP_Y: f64 = 18.0;
const LANE: f64 = 15.0;
const FIRST_LANE: f64 = 22.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    fn cy(&self) -> f64 {
        self.y + self.h / 2.0
    }
    fn right(&self) -> f64 {
        self.x + self.w
    }
}

pub fn kind_name(kind: GraphEdgeKind) -> &'static str {
    match kind {
        GraphEdgeKind::From => "from",
        GraphEdgeKind::CopyFrom => "copy_from",
        GraphEdgeKind::MountFrom => "mount_from",
    }
}

/// Edges of one kind between the same two nodes, drawn as one path.
#[derive(Clone, Debug, PartialEq)]
pub struct EdgeLayout {
    pub from: String,
    pub to: String,
    pub kind: GraphEdgeKind,
    /// Lines of the instructions making it.
    pub lines: Vec<usize>,
    /// The first of those instructions.
    pub instruction: usize,
    pub built: bool,
    pub into_final_image: bool,
    /// SVG path data.
    pub d: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GraphLayout {
    pub width: f64,
    pub height: f64,
    /// One rectangle per node of the graph, in its order.
    pub nodes: Vec<Rect>,
    pub edges: Vec<EdgeLayout>,
}

/// Spreads `n` ports around a centre, `step` apart.
fn port(k: usize, n: usize, step: f64) -> f64 {
    (k as f64 - (n as f64 - 1.0) / 2.0) * step
}

/// Places the nodes and routes the edges.
pub fn layout(graph: &StageGraph) -> GraphLayout {
    // Image nodes are as wide as the longest label needs.
    let longest = graph
        .nodes
        .iter()
        .map(|n| match n {
            Node::Image { reference, .. } => reference.chars().count().min(IMG_CHARS),
            Node::Scratch { .. } => 15,
            Node::Stage { .. } => 0,
        })
        .max()
        .unwrap_or(0);
    let img_w = (longest as f64 * CHAR_W + IMG_PAD).clamp(96.0, IMG_W_MAX);
    let stage_x = PAD + img_w + GAP_X;
    let mut rects: Vec<Option<Rect>> = vec![None; graph.nodes.len()];
    let mut by_id: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, node) in graph.nodes.iter().enumerate() {
        by_id.insert(node.id(), i);
        if let Node::Stage { index, .. } = node {
            rects[i] = Some(Rect {
                x: stage_x,
                y: PAD + *index as f64 * (STAGE_H + GAP_Y),
                w: STAGE_W,
                h: STAGE_H,
            });
        }
    }
    // Sources sit level with the first stage they feed, pushed down to not overlap.
    let mut sources: Vec<(f64, usize)> = graph
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| !matches!(n, Node::Stage { .. }))
        .map(|(i, n)| {
            let want = graph
                .edges
                .iter()
                .filter(|e| e.from == n.id())
                .filter_map(|e| by_id.get(e.to.as_str()).and_then(|&t| rects[t]))
                .map(|r| r.cy())
                .fold(f64::INFINITY, f64::min);
            (if want.is_finite() { want } else { PAD }, i)
        })
        .collect();
    sources.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut next_free = PAD;
    for (want, i) in sources {
        let y = (want - IMG_H / 2.0).max(next_free);
        rects[i] = Some(Rect {
            x: PAD,
            y,
            w: img_w,
            h: IMG_H,
        });
        next_free = y + IMG_H + 8.0;
    }
    let nodes: Vec<Rect> = rects
        .into_iter()
        .map(|r| {
            r.unwrap_or(Rect {
                x: PAD,
                y: PAD,
                w: img_w,
                h: IMG_H,
            })
        })
        .collect();
    let is_stage = |id: &str| {
        by_id
            .get(id)
            .is_some_and(|&i| matches!(graph.nodes[i], Node::Stage { .. }))
    };

    // Group parallel edges of one kind.
    let mut groups: Vec<EdgeLayout> = Vec::new();
    for e in &graph.edges {
        if !by_id.contains_key(e.from.as_str()) || !by_id.contains_key(e.to.as_str()) {
            continue;
        }
        match groups
            .iter_mut()
            .find(|g| g.from == e.from && g.to == e.to && g.kind == e.kind)
        {
            Some(g) => {
                g.lines.push(e.line);
                g.built |= e.built;
                g.into_final_image |= e.into_final_image;
            }
            None => groups.push(EdgeLayout {
                from: e.from.clone(),
                to: e.to.clone(),
                kind: e.kind,
                lines: vec![e.line],
                instruction: e.instruction,
                built: e.built,
                into_final_image: e.into_final_image,
                d: String::new(),
            }),
        }
    }

    // Ports: edges entering a stage from the left, and arc ends on each stage's right.
    let mut left_in: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut right_ends: BTreeMap<String, Vec<(usize, bool)>> = BTreeMap::new();
    let mut arcs: Vec<usize> = Vec::new();
    for (g, e) in groups.iter().enumerate() {
        if is_stage(&e.from) {
            arcs.push(g);
            right_ends
                .entry(e.from.clone())
                .or_default()
                .push((g, false));
            right_ends.entry(e.to.clone()).or_default().push((g, true));
        } else {
            left_in.entry(e.to.clone()).or_default().push(g);
        }
    }
    // Shorter arcs hug the stages; longer ones go further out.
    let span = |g: usize| {
        let e = &groups[g];
        let y = |id: &str| by_id.get(id).map_or(0.0, |&i| nodes[i].cy());
        (y(&e.to) - y(&e.from)).abs()
    };
    arcs.sort_by(|&a, &b| span(a).total_cmp(&span(b)).then(a.cmp(&b)));
    let mut lane_of: BTreeMap<usize, usize> = BTreeMap::new();
    for (lane, &g) in arcs.iter().enumerate() {
        lane_of.insert(g, lane);
    }
    let mut end_offset: BTreeMap<(usize, bool), f64> = BTreeMap::new();
    for ends in right_ends.values_mut() {
        // Outer lanes get the outer ports, so arcs do not cross at the node.
        ends.sort_by_key(|(g, _)| lane_of.get(g).copied().unwrap_or(0));
        let n = ends.len();
        for (k, end) in ends.iter().enumerate() {
            end_offset.insert(
                *end,
                port(k, n, 7.0).clamp(-STAGE_H / 2.0 + 6.0, STAGE_H / 2.0 - 6.0),
            );
        }
    }

    for (g, edge) in groups.iter_mut().enumerate() {
        let (Some(&fi), Some(&ti)) = (by_id.get(edge.from.as_str()), by_id.get(edge.to.as_str()))
        else {
            continue;
        };
        let (a, b) = (nodes[fi], nodes[ti]);
        edge.d = match lane_of.get(&g) {
            Some(&lane) => {
                let x = a.right();
                let y1 = a.cy() + end_offset.get(&(g, false)).copied().unwrap_or(0.0);
                let y2 = b.cy() + end_offset.get(&(g, true)).copied().unwrap_or(0.0);
                let bulge = FIRST_LANE + lane as f64 * LANE;
                format!(
                    "M{x:.1},{y1:.1} C{:.1},{y1:.1} {:.1},{y2:.1} {:.1},{y2:.1}",
                    x + bulge * 1.33,
                    x + bulge * 1.33,
                    x + 3.0,
                )
            }
            None => {
                let ins = left_in.get(&edge.to).map(Vec::as_slice).unwrap_or(&[]);
                let k = ins.iter().position(|&x| x == g).unwrap_or(0);
                let y2 = b.cy() + port(k, ins.len(), 8.0);
                let (x1, y1, x2) = (a.right(), a.cy(), b.x - 3.0);
                let mid = (x1 + x2) / 2.0;
                format!("M{x1:.1},{y1:.1} C{mid:.1},{y1:.1} {mid:.1},{y2:.1} {x2:.1},{y2:.1}")
            }
        };
    }

    let bottom = nodes.iter().map(|r| r.y + r.h).fold(0.0, f64::max);
    GraphLayout {
        width: stage_x + STAGE_W + FIRST_LANE + arcs.len() as f64 * LANE + PAD + 6.0,
        height: bottom + PAD,
        nodes,
        edges: groups,
    }
}

/// Cuts `text` to `max` characters with an ellipsis.
fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        text.chars().take(max.saturating_sub(1)).collect::<String>() + "…"
    }
}

#[derive(Properties, PartialEq)]
pub struct StageGraphProps {
    pub analysis: Shared<Analysis>,
    /// The `--target` chosen, if any.
    pub target: Option<String>,
    pub dispatch: Callback<Action>,
}

#[function_component(StageGraphView)]
pub fn stage_graph_view(props: &StageGraphProps) -> Html {
    let analysis = &props.analysis;
    let report = &analysis.layers;
    let graph = &report.graph;
    let placed = use_memo(props.analysis.clone(), |a| layout(&a.layers.graph));
    let dispatch = &props.dispatch;

    if graph.nodes.is_empty() {
        return html! {};
    }

    let go = |instruction: usize| {
        let range = analysis.instructions.get(instruction).map(|i| i.range);
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(range) = range {
                dispatch.emit(reveal(range, true));
            }
        })
    };
    let key_go = |instruction: usize| {
        let range = analysis.instructions.get(instruction).map(|i| i.range);
        let dispatch = dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                if let Some(range) = range {
                    dispatch.emit(reveal(range, true));
                }
            }
        })
    };
    let first_edge_from = |id: &str| {
        graph
            .edges
            .iter()
            .find(|e| e.from == id)
            .map(|e| e.instruction)
    };

    let nodes = graph.nodes.iter().zip(&placed.nodes).map(|(node, r)| match node {
        Node::Stage {
            id,
            index,
            label,
            built,
            target,
            in_final_image,
            instruction,
        } => {
            let stage = report.stages.get(*index);
            let (tag, role) = if *target {
                ("TARGET", "final")
            } else if *in_final_image {
                ("IN IMAGE", "final")
            } else if *built {
                ("BUILD ONLY", "build")
            } else {
                ("SKIPPED", "skipped")
            };
            let sub = match stage {
                Some(s) if *built => format!(
                    "{} · {} {}",
                    size_label(s.size_bytes),
                    s.layers,
                    if s.layers == 1 { "layer" } else { "layers" }
                ),
                _ => "not built for this target".to_owned(),
            };
            let name = if label.starts_with('#') {
                format!("stage {label}")
            } else {
                label.clone()
            };
            html! {
                <g class={classes!("g-node", "g-stage", format!("role-{role}"), target.then_some("is-target"))}
                   data-testid="graph-node" data-id={id.clone()} data-kind="stage"
                   data-label={label.clone()} data-target={target.to_string()}
                   data-built={built.to_string()} data-final={in_final_image.to_string()}
                   tabindex="0" role="button"
                   aria-label={format!("stage {label}: {}", tag.to_lowercase())}
                   onclick={go(*instruction)} onkeydown={key_go(*instruction)}>
                    <title>{ format!("Stage {label} (line {}) — {}", stage.map_or(0, |s| analysis.instructions.get(s.from).map_or(0, |i| i.range.start_pos.line)), tag.to_lowercase()) }</title>
                    <rect x={format!("{:.1}", r.x)} y={format!("{:.1}", r.y)}
                          width={format!("{:.1}", r.w)} height={format!("{:.1}", r.h)} rx="9" />
                    <text class="g-name" x={format!("{:.1}", r.x + 12.0)} y={format!("{:.1}", r.y + 20.0)}>
                        { fit(&name, 15) }
                    </text>
                    <text class="g-tag" x={format!("{:.1}", r.right() - 10.0)} y={format!("{:.1}", r.y + 19.0)}
                          text-anchor="end">{ tag }</text>
                    <text class="g-sub" x={format!("{:.1}", r.x + 12.0)} y={format!("{:.1}", r.y + 38.0)}>
                        { fit(&sub, 29) }
                    </text>
                </g>
            }
        }
        Node::Image { id, reference } => {
            let on = first_edge_from(id).unwrap_or(0);
            html! {
                <g class="g-node g-image" data-testid="graph-node" data-id={id.clone()} data-kind="image"
                   data-label={reference.clone()} tabindex="0" role="button"
                   aria-label={format!("image {reference}")}
                   onclick={go(on)} onkeydown={key_go(on)}>
                    <title>{ format!("External image {reference}") }</title>
                    <rect x={format!("{:.1}", r.x)} y={format!("{:.1}", r.y)}
                          width={format!("{:.1}", r.w)} height={format!("{:.1}", r.h)} rx="15" />
                    <text class="g-ref" x={format!("{:.1}", r.x + 14.0)} y={format!("{:.1}", r.y + 19.5)}>
                        { fit(reference, IMG_CHARS) }
                    </text>
                </g>
            }
        }
        Node::Scratch { id } => {
            let on = first_edge_from(id).unwrap_or(0);
            html! {
                <g class="g-node g-scratch" data-testid="graph-node" data-id={id.clone()} data-kind="scratch"
                   data-label="scratch" tabindex="0" role="button" aria-label="scratch: an empty filesystem"
                   onclick={go(on)} onkeydown={key_go(on)}>
                    <title>{ "scratch: an empty filesystem, no layer" }</title>
                    <rect x={format!("{:.1}", r.x)} y={format!("{:.1}", r.y)}
                          width={format!("{:.1}", r.w)} height={format!("{:.1}", r.h)} rx="15" />
                    <text class="g-ref" x={format!("{:.1}", r.x + 14.0)} y={format!("{:.1}", r.y + 19.5)}>
                        { "scratch (empty)" }
                    </text>
                </g>
            }
        }
    });

    let edges = placed.edges.iter().map(|e| {
        let tone = if e.into_final_image {
            "final"
        } else if e.built {
            "build"
        } else {
            "skipped"
        };
        let what = match e.kind {
            GraphEdgeKind::From => "FROM",
            GraphEdgeKind::CopyFrom => "COPY --from",
            GraphEdgeKind::MountFrom => "RUN --mount from",
        };
        let lines = e.lines.iter().map(usize::to_string).collect::<Vec<_>>().join(", ");
        html! {
            <g class={classes!("g-edge", format!("k-{}", kind_name(e.kind)), format!("tone-{tone}"))}
               data-testid="graph-edge" data-from={e.from.clone()} data-to={e.to.clone()}
               data-kind={kind_name(e.kind)} data-count={e.lines.len().to_string()}
               data-built={e.built.to_string()} data-final={e.into_final_image.to_string()}
               onclick={go(e.instruction)}>
                <title>{ format!("{what} — line{} {lines}", if e.lines.len() == 1 { "" } else { "s" }) }</title>
                <path class="g-hit" d={e.d.clone()} />
                <path class="g-line" d={e.d.clone()} marker-end={format!("url(#arrow-{tone})")} />
            </g>
        }
    });

    // The target picker: named stages (`docker build --target NAME`).
    let named: Vec<&String> = report
        .stages
        .iter()
        .filter_map(|s| s.name.as_ref())
        .collect();
    let onchange = dispatch.reform(|e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        let v = select.value();
        Action::SetTarget((!v.is_empty()).then_some(v))
    });
    let last = report
        .stages
        .last()
        .map(|s| s.label.clone())
        .unwrap_or_default();

    // In words: what is built, what ships, what is skipped.
    let names = |f: &dyn Fn(&layerlens_core::layers::StageLayers) -> bool| {
        report
            .stages
            .iter()
            .filter(|s| f(s))
            .map(|s| s.label.clone())
            .collect::<Vec<_>>()
    };
    let shipped = names(&|s| s.in_final_image);
    let build_only = names(&|s| s.built && !s.in_final_image);
    let skipped = names(&|s| !s.built);

    html! {
        <section class="graph-section" data-testid="stage-graph" aria-labelledby="graph-title">
            <div class="section-head">
                <h3 id="graph-title" class="section-title">{ "Stage graph" }</h3>
                if !named.is_empty() {
                    <label class="target-pick">
                        <span>{ "Target" }</span>
                        <select data-testid="target" {onchange}>
                            <option value="" selected={props.target.is_none()}>{ format!("last stage ({last})") }</option>
                            { for named.iter().map(|n| html! {
                                <option value={(*n).clone()} selected={props.target.as_deref() == Some(n.as_str())}>
                                    { (*n).clone() }
                                </option>
                            }) }
                        </select>
                    </label>
                }
            </div>
            <div class="graph-wrap">
                <svg class="stage-graph" viewBox={format!("0 0 {:.0} {:.0}", placed.width, placed.height)}
                     width={format!("{:.0}", placed.width)} role="group"
                     aria-label="Stages, the images they start from, and what each takes from the others">
                    <defs>
                        { for ["final", "build", "skipped"].into_iter().map(|tone| html! {
                            <marker id={format!("arrow-{tone}")} class={format!("arrow tone-{tone}")}
                                    viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7"
                                    orient="auto-start-reverse">
                                <path d="M0,1 L9,5 L0,9 Z" />
                            </marker>
                        }) }
                    </defs>
                    { for edges }
                    { for nodes }
                </svg>
            </div>
            <ul class="graph-legend" aria-label="Legend">
                <li><span class="lg lg-from"></span>{ "FROM" }</li>
                <li><span class="lg lg-copy"></span>{ "COPY --from" }</li>
                <li><span class="lg lg-mount"></span>{ "RUN --mount" }</li>
                <li><span class="lg lg-final"></span>{ "reaches the final image" }</li>
                <li><span class="lg lg-skipped"></span>{ "skipped" }</li>
            </ul>
            <p class="graph-summary" data-testid="graph-summary">
                <span>{ "Ships: " }<strong>{ shipped.join(", ") }</strong></span>
                if !build_only.is_empty() {
                    <span>{ " · built, left behind: " }<strong>{ build_only.join(", ") }</strong></span>
                }
                if !skipped.is_empty() {
                    <span>{ " · skipped: " }<strong>{ skipped.join(", ") }</strong></span>
                }
            </p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use layerlens_core::analysis::analyze;

    const NEXT: &str = crate::example::NEXTJS;

    #[test]
    fn nodes_do_not_overlap_and_parallel_edges_merge() {
        let a = analyze(NEXT);
        let g = layout(&a.layers.graph);
        assert_eq!(g.nodes.len(), a.layers.graph.nodes.len());
        for (i, r) in g.nodes.iter().enumerate() {
            for s in &g.nodes[i + 1..] {
                let apart =
                    r.x + r.w <= s.x || s.x + s.w <= r.x || r.y + r.h <= s.y || s.y + s.h <= r.y;
                assert!(apart, "{r:?} overlaps {s:?}");
            }
            assert!(r.x + r.w <= g.width && r.y + r.h <= g.height);
        }
        // Three COPY --from=builder into the runner become one path.
        let builder_to_runner: Vec<_> = g
            .edges
            .iter()
            .filter(|e| e.from == "stage:1" && e.to == "stage:2")
            .collect();
        assert_eq!(builder_to_runner.len(), 1);
        assert_eq!(builder_to_runner[0].lines.len(), 3);
        assert!(g.edges.iter().all(|e| e.d.starts_with('M')));
    }

    #[test]
    fn any_text_lays_out() {
        for text in [
            "",
            "FROM scratch\n",
            "FROM a AS x\nFROM x\nCOPY --from=y / /\n",
            "RUN x\n",
        ] {
            let a = analyze(text);
            let g = layout(&a.layers.graph);
            assert!(g.width > 0.0 && g.height >= 0.0);
        }
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
    }
}
