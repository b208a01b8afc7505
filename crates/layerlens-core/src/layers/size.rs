//! Byte ranges and estimates: every size the layer view shows is a range with a note
//! saying where it comes from, never a bare number.

use serde::{Deserialize, Serialize};

use crate::knowledge::{self, LayerDefault};

/// Bytes in a megabyte as the size tables count them (decimal, like `docker images`).
pub const BYTES_PER_MB: f64 = 1_000_000.0;

/// An inclusive range of bytes. `max: None` means no upper bound is known (a COPY of the
/// build context when its size was not given, a command the tables do not cover).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SizeRange {
    pub min: u64,
    pub max: Option<u64>,
}

impl SizeRange {
    pub const ZERO: SizeRange = SizeRange {
        min: 0,
        max: Some(0),
    };

    /// Nothing known: at least zero bytes, no upper bound.
    pub const UNKNOWN: SizeRange = SizeRange { min: 0, max: None };

    pub fn exact(bytes: u64) -> SizeRange {
        SizeRange {
            min: bytes,
            max: Some(bytes),
        }
    }

    pub fn between(a: u64, b: u64) -> SizeRange {
        SizeRange {
            min: a.min(b),
            max: Some(a.max(b)),
        }
    }

    /// A range given in MB (as the tables are).
    pub fn mb(low: f64, high: f64) -> SizeRange {
        SizeRange::between(mb_to_bytes(low), mb_to_bytes(high))
    }

    pub fn is_known(&self) -> bool {
        self.max.is_some()
    }

    pub fn is_zero(&self) -> bool {
        self.min == 0 && self.max == Some(0)
    }

    /// The upper bound, or the lower one when unknown (for scenarios that need a number).
    pub fn max_or_min(&self) -> u64 {
        self.max.unwrap_or(self.min)
    }

    pub fn plus(self, other: SizeRange) -> SizeRange {
        SizeRange {
            min: self.min.saturating_add(other.min),
            max: match (self.max, other.max) {
                (Some(a), Some(b)) => Some(a.saturating_add(b)),
                _ => None,
            },
        }
    }

    /// `self` less `other`, never below zero (what is left of a range when part is removed).
    pub fn saturating_sub(self, other: SizeRange) -> SizeRange {
        let min = self.min.saturating_sub(other.max.unwrap_or(self.min));
        let max = self.max.map(|m| m.saturating_sub(other.min));
        SizeRange {
            min: min.min(max.unwrap_or(min)),
            max,
        }
    }

    /// Both bounds multiplied: the low one by `low`, the high one by `high`.
    pub fn scale(self, low: f64, high: f64) -> SizeRange {
        SizeRange {
            min: (self.min as f64 * low).round().max(0.0) as u64,
            max: self.max.map(|m| (m as f64 * high).round().max(0.0) as u64),
        }
    }

    /// The sizes of several things installed together that may share files: at least the
    /// largest of them, at most all of them added up.
    pub fn overlapping(ranges: &[SizeRange]) -> SizeRange {
        let min = ranges.iter().map(|r| r.min).max().unwrap_or(0);
        let mut max = Some(0u64);
        for r in ranges {
            max = match (max, r.max) {
                (Some(a), Some(b)) => Some(a.saturating_add(b)),
                _ => None,
            };
        }
        SizeRange { min, max }
    }

    /// The range covering both.
    pub fn hull(self, other: SizeRange) -> SizeRange {
        SizeRange {
            min: self.min.min(other.min),
            max: match (self.max, other.max) {
                (Some(a), Some(b)) => Some(a.max(b)),
                _ => None,
            },
        }
    }
}

impl std::fmt::Display for SizeRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.max {
            None if self.min == 0 => write!(f, "unknown"),
            None => write!(f, "≥ {}", human(self.min)),
            Some(max) if max == self.min => write!(f, "{}", human(max)),
            Some(max) => {
                let (lo, hi) = (human(self.min), human(max));
                // `40 MB–55 MB` reads better as `40–55 MB` when the units agree.
                match (lo.rsplit_once(' '), hi.rsplit_once(' ')) {
                    (Some((l, lu)), Some((h, hu))) if lu == hu => write!(f, "{l}–{h} {hu}"),
                    _ => write!(f, "{lo}–{hi}"),
                }
            }
        }
    }
}

/// `12.3 MB`, `850 kB`, `0 B` (decimal units).
pub fn human(bytes: u64) -> String {
    let b = bytes as f64;
    if bytes == 0 {
        "0 B".into()
    } else if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else if b >= 1e7 {
        format!("{:.0} MB", b / 1e6)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else if b >= 1e3 {
        format!("{:.0} kB", b / 1e3)
    } else {
        format!("{bytes} B")
    }
}

pub fn mb_to_bytes(mb: f64) -> u64 {
    if mb.is_finite() && mb > 0.0 {
        (mb * BYTES_PER_MB).round() as u64
    } else {
        0
    }
}

/// How much an estimate can be trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Known exactly: image metadata only, an empty directory, `FROM scratch`.
    Exact,
    /// A measured figure for this very thing (a table row, or a size the user gave).
    Measured,
    /// Derived from measured figures: a neighbouring version, a compression ratio, the sum
    /// of packages that share dependencies.
    Approximate,
    /// A stated default: nothing was measured for this.
    Guess,
    /// Nothing is known; the range has no upper bound.
    Unknown,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Exact => "exact",
            Confidence::Measured => "measured",
            Confidence::Approximate => "approximate",
            Confidence::Guess => "guess",
            Confidence::Unknown => "unknown",
        }
    }
}

/// One contribution to an estimate, with where its figure comes from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SizePart {
    /// What it is (`apt packages build-essential, libpq-dev`, `apt package lists`).
    pub what: String,
    pub bytes: SizeRange,
    pub confidence: Confidence,
    /// Where the figure comes from (a URL, a file of the project, or why it is unknown).
    pub source: String,
}

/// An estimated size: a range, how far to trust it, a note for people and its parts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Estimate {
    pub bytes: SizeRange,
    pub confidence: Confidence,
    /// One sentence saying where the figure comes from.
    pub note: String,
    pub parts: Vec<SizePart>,
}

impl Estimate {
    /// Exactly zero bytes, with a reason.
    pub fn zero(note: impl Into<String>) -> Estimate {
        Estimate {
            bytes: SizeRange::ZERO,
            confidence: Confidence::Exact,
            note: note.into(),
            parts: Vec::new(),
        }
    }

    /// The sum of parts; the confidence is the weakest part's. `empty_note` is used when
    /// there are no parts (nothing written).
    pub fn from_parts(parts: Vec<SizePart>, empty_note: &str) -> Estimate {
        if parts.is_empty() {
            return Estimate::zero(empty_note);
        }
        let bytes = parts
            .iter()
            .fold(SizeRange::ZERO, |acc, p| acc.plus(p.bytes));
        let confidence = parts
            .iter()
            .map(|p| p.confidence)
            .max()
            .unwrap_or(Confidence::Exact);
        let note = parts
            .iter()
            .map(|p| format!("{} {}", p.what, p.bytes))
            .collect::<Vec<_>>()
            .join(" + ");
        Estimate {
            bytes,
            confidence,
            note,
            parts,
        }
    }
}

/// A size from a row of `layer_defaults.tsv`, as a part; an unknown part if the row is
/// missing (the tables ship with the binary, so that only happens if one is edited badly).
pub fn default_part(key: &str, what: impl Into<String>) -> SizePart {
    let what = what.into();
    match knowledge::layer_default(key) {
        Some(d) => part_from_default(&d, what, 1.0),
        None => SizePart {
            what,
            bytes: SizeRange::UNKNOWN,
            confidence: Confidence::Unknown,
            source: format!("no `{key}` row in layer_defaults.tsv"),
        },
    }
}

/// A part from a default row, its bounds multiplied by `scale`.
pub fn part_from_default(d: &LayerDefault, what: String, scale: f64) -> SizePart {
    SizePart {
        what,
        bytes: SizeRange::mb(d.low * scale, d.high * scale),
        confidence: if d.is_guess() {
            Confidence::Guess
        } else {
            Confidence::Approximate
        },
        source: format!("layer_defaults.tsv `{}`: {}", d.key, d.source),
    }
}

/// An unknown part: nothing in the tables says how big it is.
pub fn unknown_part(what: impl Into<String>, why: impl Into<String>) -> SizePart {
    SizePart {
        what: what.into(),
        bytes: SizeRange::UNKNOWN,
        confidence: Confidence::Unknown,
        source: why.into(),
    }
}

/// The on-disk / compressed ratio range (about 2.2–3.0).
pub fn compression_ratio() -> (f64, f64) {
    knowledge::layer_default("compression_ratio")
        .filter(|d| d.low > 0.0 && d.high >= d.low)
        .map(|d| (d.low, d.high))
        .unwrap_or((1.0, 1.0))
}

/// What a layer of `disk` bytes on disk weighs compressed (as pushed and pulled).
pub fn compressed(disk: SizeRange) -> SizeRange {
    let (low, high) = compression_ratio();
    disk.scale(1.0 / high, 1.0 / low)
}

/// What `compressed` bytes of archives (wheels, tarballs) unpack to on disk.
pub fn uncompressed(compressed: SizeRange) -> SizeRange {
    let (low, high) = compression_ratio();
    compressed.scale(low, high)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_and_display() {
        let a = SizeRange::mb(10.0, 20.0);
        assert_eq!(a.to_string(), "10–20 MB");
        assert_eq!(a.plus(SizeRange::UNKNOWN).to_string(), "≥ 10 MB");
        assert_eq!(SizeRange::UNKNOWN.to_string(), "unknown");
        assert_eq!(SizeRange::exact(119_200_000).to_string(), "119 MB");
        let o = SizeRange::overlapping(&[SizeRange::mb(5.0, 6.0), SizeRange::mb(10.0, 10.0)]);
        assert_eq!((o.min, o.max), (10_000_000, Some(16_000_000)));
        let s = SizeRange::mb(10.0, 20.0).saturating_sub(SizeRange::mb(15.0, 30.0));
        assert_eq!((s.min, s.max), (0, Some(5_000_000)));
        let c = compressed(SizeRange::mb(30.0, 30.0));
        assert!(c.min < c.max.unwrap() && c.max.unwrap() < 30_000_000);
    }
}
