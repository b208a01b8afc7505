//! Wasted space, predicted the way dive measures it, from the synthetic file model.
//!
//! dive (`filetree/efficiency.go`) visits every path of every layer: a path stored by two or
//! more layers (rewritten, copied up by `chown -R`, or hidden by a whiteout) is
//! "inefficient". Its score is Σ smallest copy / Σ all copies over every path; its
//! "wasted bytes" add up *all* copies of the inefficient paths, the one kept included
//! (dive issue #684). The corrected figure (dive PR #685) is Σ (all copies − smallest).
//! We report both. Ranges come from evaluating everything at the low and at the high
//! ends of the estimates.

use serde::Serialize;

use super::files::{ChangeKind, FileKind, FileSystem, Unit};
use super::size::SizeRange;

/// A score as a range (0–1), from the low and high ends of the size estimates.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ScoreRange {
    pub min: f64,
    pub max: f64,
}

/// Why bytes are wasted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WasteKind {
    /// Deleted by a later layer: the whiteout hides it, the bytes stay.
    DeletedLater,
    /// Written again by a later layer.
    Rewritten,
    /// Stored again by `chown -R` / `chmod -R`.
    CopiedUp,
}

/// One inefficient path, with what caused it and how to avoid it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WasteItem {
    pub path: String,
    pub what: String,
    pub kind: WasteKind,
    /// Σ (all copies − smallest copy): what fixing it saves.
    pub wasted_bytes: SizeRange,
    /// dive's figure: all copies of the path added up.
    pub dive_bytes: SizeRange,
    /// The instruction that first stored the files.
    pub created_by: usize,
    /// The later instruction that deleted, rewrote or copied them.
    pub caused_by: usize,
    pub fix: String,
}

/// Files left in the image that serve no purpose at run time (caches, package indexes,
/// downloaded archives): not waste in dive's sense (stored once) but removable.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Leftover {
    pub path: String,
    pub what: String,
    pub bytes: SizeRange,
    pub instruction: usize,
    pub fix: String,
}

/// dive's verdict on an image, predicted.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WasteReport {
    pub efficiency: ScoreRange,
    /// dive's wasted bytes (all copies of inefficient paths).
    pub wasted_bytes: SizeRange,
    /// Σ (all copies − smallest copy).
    pub wasted_bytes_corrected: SizeRange,
    pub items: Vec<WasteItem>,
    pub leftovers: Vec<Leftover>,
}

fn fix_for(unit: &Unit, kind: WasteKind) -> String {
    match (kind, unit.kind) {
        (WasteKind::CopiedUp, _) => "set owner and mode while copying (`COPY --chown=user:group`, `COPY --chmod=...`) instead of `chown -R`/`chmod -R` in a later RUN, which stores every file a second time".into(),
        (_, FileKind::PackageLists) => "remove the package lists in the same RUN as the update (`&& rm -rf /var/lib/apt/lists/*`, `apk add --no-cache`), or keep them in a cache mount: deleting them in a later RUN only hides them".into(),
        (_, FileKind::Packages) => "install, use and remove build packages in one RUN, or build in a separate stage and copy only the result into the final one (multi-stage): removing them in a later RUN does not shrink the image".into(),
        (_, FileKind::Cache) => "clean the cache in the same RUN (`pip install --no-cache-dir`, `npm cache clean --force`) or use `RUN --mount=type=cache`: deleting it in a later RUN only hides it".into(),
        (_, FileKind::Download) => "download, unpack and delete the archive in one RUN, or fetch it in a build stage and copy only what is needed".into(),
        (WasteKind::Rewritten, _) => "write these files once: each layer that writes them again stores another copy".into(),
        _ => "delete files in the same RUN that creates them, or create them in a build stage: a later deletion only hides them".into(),
    }
}

fn leftover_fix(unit: &Unit) -> Option<String> {
    Some(match unit.kind {
        FileKind::PackageLists => "remove the package lists in the same RUN (`&& rm -rf /var/lib/apt/lists/*`; `apk add --no-cache`; `dnf clean all`), or use a cache mount".into(),
        FileKind::Cache => "do not keep the download cache (`pip install --no-cache-dir`, `npm cache clean --force`, `rm -rf` of the cache dir in the same RUN) or use `RUN --mount=type=cache`".into(),
        FileKind::Download => "delete the downloaded file in the same RUN after using it".into(),
        _ => return None,
    })
}

/// Scalar sizes of a unit's occurrences at one end of the ranges.
fn sizes(unit: &Unit, high: bool) -> Vec<u64> {
    unit.history
        .iter()
        .map(|o| {
            if high {
                o.bytes.max_or_min()
            } else {
                o.bytes.min
            }
        })
        .collect()
}

/// Evaluates dive's metrics for the layers of one image (the final stage's file model,
/// which carries the history of the stages it is built FROM).
pub fn evaluate(fs: &FileSystem) -> WasteReport {
    let mut score = [0.0f64; 2];
    let mut dive = SizeRange::ZERO;
    let mut corrected = SizeRange::ZERO;
    let mut items = Vec::new();
    let mut leftovers = Vec::new();
    for (end, high) in [(0usize, false), (1, true)] {
        let (mut min_sum, mut all_sum) = (0u128, 0u128);
        for unit in &fs.units {
            let s = sizes(unit, high);
            if s.is_empty() {
                continue;
            }
            min_sum += *s.iter().min().unwrap_or(&0) as u128;
            all_sum += s.iter().map(|&b| b as u128).sum::<u128>();
        }
        score[end] = if all_sum == 0 {
            1.0
        } else {
            min_sum as f64 / all_sum as f64
        };
    }
    for unit in &fs.units {
        if unit.history.len() >= 2 {
            let all = unit
                .history
                .iter()
                .fold(SizeRange::ZERO, |acc, o| acc.plus(o.bytes));
            let lo = sizes(unit, false);
            let hi = sizes(unit, true);
            let min_lo = *lo.iter().min().unwrap_or(&0);
            let min_hi = *hi.iter().min().unwrap_or(&0);
            let sum_lo: u64 = lo.iter().sum();
            let sum_hi: u64 = hi.iter().sum();
            let waste = SizeRange {
                min: sum_lo.saturating_sub(min_lo),
                max: all.max.map(|_| sum_hi.saturating_sub(min_hi)),
            };
            dive = dive.plus(all);
            corrected = corrected.plus(waste);
            let later = unit
                .history
                .iter()
                .skip(1)
                .find(|o| o.change != ChangeKind::Created);
            let kind = match later.map(|o| o.change) {
                Some(ChangeKind::Deleted) => WasteKind::DeletedLater,
                Some(ChangeKind::CopiedUp) => WasteKind::CopiedUp,
                _ => WasteKind::Rewritten,
            };
            items.push(WasteItem {
                path: unit.path.clone(),
                what: unit.what.clone(),
                kind,
                wasted_bytes: waste,
                dive_bytes: all,
                created_by: unit.created_by().unwrap_or(0),
                caused_by: later.map(|o| o.instruction).unwrap_or(0),
                fix: fix_for(unit, kind),
            });
        } else if unit.alive && !unit.history.is_empty() {
            if let Some(fix) = leftover_fix(unit) {
                leftovers.push(Leftover {
                    path: unit.path.clone(),
                    what: unit.what.clone(),
                    bytes: unit.bytes,
                    instruction: unit.created_by().unwrap_or(0),
                    fix,
                });
            }
        }
    }
    items.sort_by(|a, b| {
        b.wasted_bytes
            .max_or_min()
            .cmp(&a.wasted_bytes.max_or_min())
    });
    WasteReport {
        efficiency: ScoreRange {
            min: score[0].min(score[1]),
            max: score[0].max(score[1]),
        },
        wasted_bytes: dive,
        wasted_bytes_corrected: corrected,
        items,
        leftovers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dive_and_corrected_formulas() {
        let mut fs = FileSystem::default();
        fs.write(
            0,
            "base",
            "/",
            "base",
            FileKind::BaseImage,
            SizeRange::exact(100),
        );
        let lists = fs.write(
            1,
            "l",
            "/var/lib/apt/lists",
            "lists",
            FileKind::PackageLists,
            SizeRange::exact(50),
        );
        fs.delete(lists, 2);
        let r = evaluate(&fs);
        // Σmin = 100 + 0, Σall = 100 + 50.
        assert!((r.efficiency.min - 100.0 / 150.0).abs() < 1e-9);
        assert_eq!(r.wasted_bytes, SizeRange::exact(50));
        assert_eq!(r.wasted_bytes_corrected, SizeRange::exact(50));
        assert_eq!(r.items[0].kind, WasteKind::DeletedLater);
        // A rewrite: dive counts both copies, the corrected figure one.
        let mut fs = FileSystem::default();
        fs.write(1, "x", "/x", "x", FileKind::Other, SizeRange::exact(10));
        fs.write(2, "x", "/x", "x", FileKind::Other, SizeRange::exact(10));
        let r = evaluate(&fs);
        assert_eq!(r.wasted_bytes, SizeRange::exact(20));
        assert_eq!(r.wasted_bytes_corrected, SizeRange::exact(10));
    }
}
