//! The layer view: what an image built from this Dockerfile would be made of, predicted
//! without building it.
//!
//! - **Ledger** (`ledger.rs`): per instruction, a filesystem layer or image metadata only,
//!   its stage, whether the target builds that stage, and its cache-key inputs.
//! - **Sizes** (`size.rs`, `walk.rs`, `commands.rs`): each layer's on-disk and pull size as a
//!   range with a note and sourced parts, from the knowledge tables (base images, package
//!   installs, caches, defaults). Unknown stays unknown (`max: None`).
//! - **File model** (`files.rs`): coarse units of files per layer — created, rewritten,
//!   deleted, copied up — so `COPY --from` knows what it takes and waste can be computed.
//! - **Waste** (`waste.rs`): dive's efficiency score and wasted bytes, and the corrected
//!   Σ (all copies − smallest copy), with the instruction that caused each item and the fix.
//! - **Cache simulator** (`cache.rs`): what a change (files, ARG, base image, an edited
//!   instruction) makes BuildKit rebuild, and presets for the usual changes.
//! - **Stage graph** (`graph.rs`) and the **report** (`report.rs`).
//!
//! [`analyze`] is cheap enough to run on every keystroke and never panics.

mod cache;
mod commands;
mod files;
mod graph;
mod ledger;
mod report;
mod size;
mod walk;
mod waste;

pub use cache::{source_selects, Change, Preset, PresetKind, Verdict};
pub use files::{ChangeKind, FileChange, FileKind};
pub use graph::{GraphEdge, GraphEdgeKind, Node, StageGraph};
pub use ledger::{CacheInput, Effect};
pub use report::{CacheSummary, InstructionLayer, LayerReport, StageLayers, StageMiss, Totals};
pub use size::{human, Confidence, Estimate, SizePart, SizeRange};
pub use waste::{Leftover, ScoreRange, WasteItem, WasteKind};

use crate::dockerignore::Dockerignore;
use crate::model::Model;

/// What to analyse the layers with besides the Dockerfile.
#[derive(Clone, Debug, Default)]
pub struct LayerOptions {
    /// The stage to build (`--target`); the last stage when `None`.
    pub target: Option<String>,
    /// The build context's `.dockerignore`, for the cache simulator.
    pub dockerignore: Option<Dockerignore>,
    /// Size of the build context in bytes (what `.dockerignore` leaves), if known: sizes
    /// COPYs of the context, which are unknown otherwise.
    pub context_size: Option<u64>,
    /// What changed since the last build; empty for no cache simulation.
    pub changes: Vec<Change>,
}

/// Analyses the layers of `model`'s build. Never panics.
pub fn analyze(model: &Model, options: &LayerOptions) -> LayerReport {
    report::build(model, options)
}

/// The changes a preset stands for in this Dockerfile (for `options.changes`).
pub fn preset_changes(model: &Model, options: &LayerOptions, preset: PresetKind) -> Vec<Change> {
    let target = options
        .target
        .as_deref()
        .and_then(|t| model.target_stage(Some(t)))
        .or_else(|| model.target_stage(None));
    let built = target.map(|t| model.reachable(t)).unwrap_or_default();
    cache::presets(model, &built, options.dockerignore.as_ref())
        .into_iter()
        .find(|p| p.kind == preset)
        .map(|p| p.changes)
        .unwrap_or_default()
}

/// Parses a size such as `120MB`, `1.5 GiB`, `800k`, `2048` (bytes).
pub fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let value: f64 = number.parse().ok()?;
    let factor: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "m" | "mb" => 1e6,
        "g" | "gb" => 1e9,
        "ki" | "kib" => 1024.0,
        "mi" | "mib" => 1024.0 * 1024.0,
        "gi" | "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    let bytes = value * factor;
    (0.0..1e18).contains(&bytes).then(|| bytes.round() as u64)
}
