//! The report the front ends show: one entry per instruction, one per stage, totals for the
//! final image, waste, the cache simulation and the stage graph. Everything serialises to
//! JSON; positions are byte spans plus instruction indexes and 1-based lines.

use serde::Serialize;

use crate::model::{Base, Model};
use crate::text::Span;

use super::cache::{self, Change, Preset};
use super::files::FileChange;
use super::graph::{stage_graph, StageGraph};
use super::ledger::{self, CacheInput, Effect};
use super::size::{Estimate, SizeRange};
use super::waste::{self, Leftover, ScoreRange, WasteItem};
use super::{walk, LayerOptions};

/// One instruction in the ledger.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InstructionLayer {
    /// Index into the document's instructions.
    pub index: usize,
    /// Its stage; `None` for ARGs before the first FROM.
    pub stage: Option<usize>,
    /// 1-based first and last line.
    pub line: usize,
    pub end_line: usize,
    /// Byte range in the source.
    pub span: Span,
    /// Keyword (`RUN`, `ONBUILD RUN`).
    pub instruction: String,
    /// The instruction on one line, shortened (like `docker history`'s CREATED BY).
    pub text: String,
    pub effect: Effect,
    pub creates_layer: bool,
    /// Its stage is built for the target.
    pub built: bool,
    /// Its layer ends up in the final image (the target's FROM chain).
    pub in_final_image: bool,
    /// Estimated on-disk size of what it adds.
    pub size_bytes: SizeRange,
    /// Estimated compressed size (what is pushed and pulled).
    pub pull_bytes: SizeRange,
    /// How the size was estimated.
    pub estimate: Estimate,
    /// What it does to files, in the synthetic file model.
    pub files: Vec<FileChange>,
    /// Remarks (cache mounts, ...).
    pub notes: Vec<String>,
    /// What its cache key is made of.
    pub cache_inputs: Vec<CacheInput>,
    /// With a simulated change: whether BuildKit reuses it (`None` outside built stages).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cached: Option<Option<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Option<String>>,
    /// The first step of its stage that misses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_miss: Option<bool>,
}

/// One stage.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StageLayers {
    pub index: usize,
    pub name: Option<String>,
    pub label: String,
    /// The base as written (`python:3.13-slim`, `scratch`, another stage's name).
    pub base: String,
    /// The stage it is built FROM, if any.
    pub parent: Option<usize>,
    pub built: bool,
    pub target: bool,
    pub in_final_image: bool,
    /// Index of the FROM instruction and of the others.
    pub from: usize,
    pub instructions: Vec<usize>,
    /// The image this stage would be (`docker build --target <it>`): its chain's layers.
    pub size_bytes: SizeRange,
    pub pull_bytes: SizeRange,
    /// Layers of that image (a base image counts as one).
    pub layers: usize,
}

/// Totals for the final image.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Totals {
    pub size_bytes: SizeRange,
    pub pull_bytes: SizeRange,
    /// Ledger entries that store layers in the final image (its base image counts as one).
    pub layers: usize,
    /// The base image's own layers, when the size table knows them.
    pub base_image_layers: Option<u32>,
    /// Layers whose size is unknown (their upper bound is missing from the total).
    pub unknown_layers: usize,
    /// dive's efficiency score, predicted (0–1).
    pub efficiency: ScoreRange,
    /// dive's "potential wasted space" (every copy of an inefficient path).
    pub wasted_bytes: SizeRange,
    /// Σ (all copies − smallest copy): what fixing the waste saves.
    pub wasted_bytes_corrected: SizeRange,
    /// Caches, package indexes and downloads left in the image.
    pub leftover_bytes: SizeRange,
}

/// The outcome of a cache simulation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CacheSummary {
    pub changes: Vec<Change>,
    /// Per built stage: the first instruction that misses, if any.
    pub first_miss: Vec<StageMiss>,
    /// Layer-creating steps that run again.
    pub rebuilt_layers: usize,
    /// Estimated size of the final image's layers that are rebuilt (pushed again).
    pub rebuilt_bytes: SizeRange,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StageMiss {
    pub stage: usize,
    pub instruction: Option<usize>,
    pub line: Option<usize>,
    pub reason: Option<String>,
}

/// Everything the layer view shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerReport {
    pub target: Option<usize>,
    pub instructions: Vec<InstructionLayer>,
    pub stages: Vec<StageLayers>,
    pub totals: Totals,
    pub waste: Vec<WasteItem>,
    pub leftovers: Vec<Leftover>,
    pub graph: StageGraph,
    /// Present when changes were simulated.
    pub cache: Option<CacheSummary>,
    /// "What changed?" presets resolved for this file.
    pub presets: Vec<Preset>,
    /// Remarks about the whole analysis (an unknown target, ...).
    pub notes: Vec<String>,
}

/// The stages whose layers make up stage `s`'s image: it and those it is built FROM.
fn chain(model: &Model, s: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut current = Some(s);
    while let Some(c) = current {
        if c >= model.stages.len() || out.contains(&c) {
            break;
        }
        out.push(c);
        current = match model.stages[c].base {
            Base::Stage(p) if p < c => Some(p),
            _ => None,
        };
    }
    out
}

pub(super) fn build(model: &Model, options: &LayerOptions) -> LayerReport {
    let mut notes = Vec::new();
    let target = match options.target.as_deref() {
        Some(name) => match model.target_stage(Some(name)) {
            Some(t) => Some(t),
            None => {
                notes.push(format!(
                    "target stage `{name}` not found; using the last stage"
                ));
                model.target_stage(None)
            }
        },
        None => model.target_stage(None),
    };
    let built = target
        .map(|t| model.reachable(t))
        .unwrap_or_else(|| vec![false; model.stages.len()]);
    let final_chain = target.map(|t| chain(model, t)).unwrap_or_default();
    let in_final: Vec<bool> = (0..model.stages.len())
        .map(|s| final_chain.contains(&s))
        .collect();

    let walked = walk::walk(model, options);
    let verdicts = (!options.changes.is_empty()).then(|| {
        cache::simulate(
            model,
            &built,
            &options.changes,
            options.dockerignore.as_ref(),
        )
    });

    let mut instructions = Vec::with_capacity(model.doc.instructions.len());
    for (i, ins) in model.doc.instructions.iter().enumerate() {
        let stage = model.contexts.get(i).and_then(|c| c.stage);
        let effect = ledger::effect(model, i);
        let w = walked.instructions.get(i).cloned().flatten();
        let (estimate, pull, files, wnotes) = match w {
            Some(w) => (w.estimate, w.pull, w.changes, w.notes),
            None => (
                Estimate::zero("a global ARG: only for FROM lines"),
                SizeRange::ZERO,
                Vec::new(),
                Vec::new(),
            ),
        };
        let is_built = stage.is_none_or(|s| built.get(s).copied().unwrap_or(false));
        let verdict = verdicts.as_ref().map(|v| v.get(i).cloned().flatten());
        instructions.push(InstructionLayer {
            index: i,
            stage,
            line: ins.start_line,
            end_line: ins.end_line,
            span: ins.span,
            instruction: ledger::keyword(ins),
            text: ledger::summary(ins, 100),
            effect,
            creates_layer: effect.creates_layer(),
            built: is_built,
            in_final_image: stage.is_some_and(|s| in_final.get(s).copied().unwrap_or(false)),
            size_bytes: estimate.bytes,
            pull_bytes: pull,
            estimate,
            files,
            notes: wnotes,
            cache_inputs: ledger::cache_inputs(model, i),
            cached: verdict.as_ref().map(|v| v.as_ref().map(|v| v.cached)),
            reason: verdict
                .as_ref()
                .map(|v| v.as_ref().map(|v| v.reason.clone())),
            first_miss: verdict
                .as_ref()
                .map(|v| v.as_ref().is_some_and(|v| v.first_miss)),
        });
    }

    // Per stage: the image it would be.
    let stage_total = |s: usize| -> (SizeRange, SizeRange, usize) {
        let mut size = SizeRange::ZERO;
        let mut pull = SizeRange::ZERO;
        let mut layers = 0;
        for c in chain(model, s) {
            let Some(stage) = model.stages.get(c) else {
                continue;
            };
            for &i in std::iter::once(&stage.from).chain(stage.instructions.iter()) {
                if let Some(x) = instructions.get(i) {
                    if x.creates_layer {
                        size = size.plus(x.size_bytes);
                        pull = pull.plus(x.pull_bytes);
                        layers += 1;
                    }
                }
            }
        }
        (size, pull, layers)
    };
    let stages: Vec<StageLayers> = model
        .stages
        .iter()
        .map(|s| {
            let (size_bytes, pull_bytes, layers) = stage_total(s.index);
            StageLayers {
                index: s.index,
                name: s.name.clone(),
                label: s.label(),
                base: s.base_written.clone(),
                parent: match s.base {
                    Base::Stage(p) => Some(p),
                    _ => None,
                },
                built: built.get(s.index).copied().unwrap_or(false),
                target: Some(s.index) == target,
                in_final_image: in_final.get(s.index).copied().unwrap_or(false),
                from: s.from,
                instructions: s.instructions.clone(),
                size_bytes,
                pull_bytes,
                layers,
            }
        })
        .collect();

    let evaluation = target
        .and_then(|t| walked.stage_files.get(t))
        .map(waste::evaluate)
        .unwrap_or_else(|| waste::evaluate(&Default::default()));
    let (size_bytes, pull_bytes, layers) =
        target
            .map(stage_total)
            .unwrap_or((SizeRange::ZERO, SizeRange::ZERO, 0));
    let final_instructions: Vec<&InstructionLayer> = instructions
        .iter()
        .filter(|x| x.in_final_image && x.creates_layer)
        .collect();
    let totals = Totals {
        size_bytes,
        pull_bytes,
        layers,
        base_image_layers: final_chain
            .last()
            .and_then(|&root| model.stages.get(root))
            .and_then(|s| walked.instructions.get(s.from).cloned().flatten())
            .and_then(|w| w.base_layers),
        unknown_layers: final_instructions
            .iter()
            .filter(|x| !x.size_bytes.is_known())
            .count(),
        efficiency: evaluation.efficiency,
        wasted_bytes: evaluation.wasted_bytes,
        wasted_bytes_corrected: evaluation.wasted_bytes_corrected,
        leftover_bytes: evaluation
            .leftovers
            .iter()
            .fold(SizeRange::ZERO, |acc, l| acc.plus(l.bytes)),
    };

    let cache = verdicts.as_ref().map(|v| {
        let first_miss = model
            .stages
            .iter()
            .filter(|s| built.get(s.index).copied().unwrap_or(false))
            .map(|s| {
                let first = std::iter::once(s.from)
                    .chain(s.instructions.iter().copied())
                    .find(|&i| v.get(i).cloned().flatten().is_some_and(|x| x.first_miss));
                StageMiss {
                    stage: s.index,
                    instruction: first,
                    line: first
                        .and_then(|i| model.doc.instructions.get(i))
                        .map(|x| x.start_line),
                    reason: first
                        .and_then(|i| v.get(i).cloned().flatten())
                        .map(|x| x.reason),
                }
            })
            .collect();
        let rebuilt: Vec<&InstructionLayer> = instructions
            .iter()
            .filter(|x| x.creates_layer && x.cached == Some(Some(false)))
            .collect();
        CacheSummary {
            changes: options.changes.clone(),
            first_miss,
            rebuilt_layers: rebuilt.len(),
            rebuilt_bytes: rebuilt
                .iter()
                .filter(|x| x.in_final_image)
                .fold(SizeRange::ZERO, |acc, x| acc.plus(x.size_bytes)),
        }
    });

    LayerReport {
        target,
        graph: stage_graph(model, target, &built, &in_final),
        presets: cache::presets(model, &built, options.dockerignore.as_ref()),
        instructions,
        stages,
        totals,
        waste: evaluation.items,
        leftovers: evaluation.leftovers,
        cache,
        notes,
    }
}
