//! Estimated effects, from the layer model: the final image's size and layer count, and
//! what an application-code change makes BuildKit rebuild, before and after a change.

use crate::layers::{
    self, human, Change as CacheChange, InstructionLayer, LayerOptions, LayerReport, SizeRange,
};
use crate::model::Model;

use super::spans::StepMap;
use super::{Effect, Saved, Snapshot};

/// The layer view of one text, with the simulated code change.
pub struct Layers {
    pub report: LayerReport,
}

/// Analyses `model` with the application-code change of the original file.
pub fn analyze(model: &Model, options: &LayerOptions, code_change: &[CacheChange]) -> Layers {
    let mut options = options.clone();
    options.changes = code_change.to_vec();
    Layers {
        report: layers::analyze(model, &options),
    }
}

impl Layers {
    /// Layer-creating steps that the code change reruns, as one-line texts.
    pub fn rebuilt(&self) -> Vec<String> {
        self.rebuilt_layers().map(|x| x.text.clone()).collect()
    }

    fn rebuilt_layers(&self) -> impl Iterator<Item = &InstructionLayer> {
        self.report
            .instructions
            .iter()
            .filter(|x| x.creates_layer && x.built && x.cached == Some(Some(false)))
    }

    pub fn snapshot(&self, stages: usize, findings: usize) -> Snapshot {
        let totals = &self.report.totals;
        let (rebuilt, bytes) = match &self.report.cache {
            Some(c) => (c.rebuilt_layers, c.rebuilt_bytes),
            None => (0, SizeRange::ZERO),
        };
        Snapshot {
            size_bytes: totals.size_bytes,
            pull_bytes: totals.pull_bytes,
            layers: totals.layers,
            stages,
            rebuilt_on_code_change: rebuilt,
            rebuilt_bytes_on_code_change: bytes,
            findings,
        }
    }
}

/// `before − after`, bound by bound.
pub fn saved(before: SizeRange, after: SizeRange) -> Saved {
    let low = before.min as i64 - after.min as i64;
    let high = match (before.max, after.max) {
        (Some(b), Some(a)) => Some(b as i64 - a as i64),
        _ => None,
    };
    match high {
        Some(h) if h < low => Saved {
            low: h,
            high: Some(low),
        },
        _ => Saved { low, high },
    }
}

fn signed(bytes: i64) -> String {
    if bytes < 0 {
        format!("-{}", human(bytes.unsigned_abs()))
    } else {
        human(bytes as u64)
    }
}

/// A saving for people: `~50 MB`, `20–60 MB`, `unknown`.
pub fn saved_text(s: Saved) -> Option<String> {
    match s.high {
        Some(h) if h == s.low => (h != 0).then(|| format!("~{}", signed(h))),
        Some(h) if s.low == 0 && h > 0 => Some(format!("up to {}", signed(h))),
        Some(h) => Some(format!("{}–{}", signed(s.low), signed(h))),
        // An unknown upper bound: only a saving is worth stating.
        None if s.low > 0 => Some(format!("at least {}", signed(s.low))),
        None => None,
    }
}

/// The effect of going from `before` to `after`.
pub fn effect(before: &Layers, after: &Layers, map: &StepMap) -> Effect {
    let b = &before.report.totals;
    let a = &after.report.totals;
    let rebuilt_before = before.rebuilt();
    let rebuilt_after = after.rebuilt();
    // Follow each step that a code change reran through the edits: still there and still
    // rerun, there and now cached, or moved/rewritten (then matched by its text).
    let mut unmatched_after: Vec<String> = rebuilt_after.clone();
    let mut no_longer = Vec::new();
    let mut moved = Vec::new();
    for x in before.rebuilt_layers() {
        let to = map.forward(x.span);
        let landing = (!to.is_empty())
            .then(|| {
                after
                    .report
                    .instructions
                    .iter()
                    .find(|y| y.span.start <= to.start && to.start < y.span.end)
            })
            .flatten();
        match landing {
            Some(y) if y.cached == Some(Some(false)) => {
                if let Some(k) = unmatched_after.iter().position(|r| *r == y.text) {
                    unmatched_after.remove(k);
                }
            }
            Some(y) if y.creates_layer => no_longer.push(x.text.clone()),
            _ => moved.push(x.text.clone()),
        }
    }
    for text in moved {
        if let Some(k) = unmatched_after.iter().position(|r| *r == text) {
            unmatched_after.remove(k);
        } else {
            no_longer.push(text);
        }
    }
    let bytes_saved = saved(b.size_bytes, a.size_bytes);
    let mut parts = Vec::new();
    match saved_text(bytes_saved) {
        Some(t) if bytes_saved.low >= 0 => parts.push(format!("saves {t} (estimated)")),
        Some(_) if bytes_saved.high.is_some_and(|h| h <= 0) => {
            let grown = Saved {
                low: -bytes_saved.high.unwrap_or(0),
                high: Some(-bytes_saved.low),
            };
            if let Some(t) = saved_text(grown) {
                parts.push(format!("adds {t} (estimated)"));
            }
        }
        Some(t) => parts.push(format!("changes the size by {t} (estimated)")),
        None => {}
    }
    if a.layers < b.layers {
        parts.push(format!("{} fewer layer(s)", b.layers - a.layers));
    } else if a.layers > b.layers {
        parts.push(format!("{} more layer(s)", a.layers - b.layers));
    }
    if !no_longer.is_empty() {
        parts.push(format!(
            "a code change no longer reruns {}",
            no_longer
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    } else if rebuilt_after.len() < rebuilt_before.len() {
        parts.push(format!(
            "a code change reruns {} step(s) instead of {}",
            rebuilt_after.len(),
            rebuilt_before.len()
        ));
    }
    let summary = if parts.is_empty() {
        "no change to the estimated size, layers or rebuilds".to_string()
    } else {
        parts.join("; ")
    };
    Effect {
        size_before: b.size_bytes,
        size_after: a.size_bytes,
        bytes_saved,
        layers_before: b.layers,
        layers_after: a.layers,
        rebuilt_on_code_change_before: rebuilt_before.len(),
        rebuilt_on_code_change_after: rebuilt_after.len(),
        no_longer_rebuilt: no_longer,
        summary,
    }
}
