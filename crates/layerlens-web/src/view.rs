//! Pure helpers that turn an `Analysis` into what the panels show. No DOM here, so it is
//! unit-tested natively.

use std::collections::BTreeMap;
use std::ops::Deref;
use std::rc::Rc;

use layerlens_core::analysis::{Analysis, Diagnostic, Located, Severity};
use layerlens_core::layers::{human, Change, Effect, ScoreRange, SizeRange};
use layerlens_core::optimize::Saved;

use crate::state::Action;

/// A shared, read-only value whose equality is identity, so passing a freshly derived
/// value down as a prop is cheap to compare and re-renders exactly when it was re-derived.
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// Number of lines the gutter shows: a trailing newline does not start a new line,
/// but an empty text still has line 1.
pub fn line_count(text: &str) -> usize {
    let n = text.split('\n').count();
    if n > 1 && text.ends_with('\n') {
        n - 1
    } else {
        n
    }
}

pub fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
        Severity::Style => "style",
    }
}

/// Lower is worse.
fn rank(severity: Severity) -> u8 {
    match severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
        Severity::Style => 3,
    }
}

/// The worst severity reported on each line, for marks in the gutter.
pub fn line_marks(analysis: &Analysis) -> BTreeMap<usize, Severity> {
    worst_per_line(
        analysis
            .diagnostics
            .iter()
            .map(|d| (d.range.start_pos.line, d.severity)),
    )
}

fn worst_per_line(items: impl IntoIterator<Item = (usize, Severity)>) -> BTreeMap<usize, Severity> {
    let mut marks = BTreeMap::new();
    for (line, severity) in items {
        marks
            .entry(line)
            .and_modify(|s: &mut Severity| {
                if rank(severity) < rank(*s) {
                    *s = severity;
                }
            })
            .or_insert(severity);
    }
    marks
}

/// Diagnostics in reading order (then worst first on the same spot).
pub fn sorted_diagnostics(analysis: &Analysis) -> Vec<&Diagnostic> {
    let mut out: Vec<&Diagnostic> = analysis.diagnostics.iter().collect();
    out.sort_by(|a, b| {
        (a.range.start, rank(a.severity), a.range.end, &a.code).cmp(&(
            b.range.start,
            rank(b.severity),
            b.range.end,
            &b.code,
        ))
    });
    out
}

/// "1 problem", "3 problems", "No problems".
pub fn problems_label(count: usize) -> String {
    match count {
        0 => "No problems".to_owned(),
        1 => "1 problem".to_owned(),
        n => format!("{n} problems"),
    }
}

/// `line:column` as people read it (1-based, columns in characters).
pub fn position_label(range: &Located) -> String {
    format!("{}:{}", range.start_pos.line, range.start_pos.column)
}

/// Splits a message at backticks: `(is_code, text)` runs, for rendering `code` spans.
/// An unmatched backtick is kept as text.
pub fn code_spans(message: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut rest = message;
    while let Some(open) = rest.find('`') {
        let Some(len) = rest[open + 1..].find('`') else {
            break;
        };
        if open > 0 {
            out.push((false, &rest[..open]));
        }
        out.push((true, &rest[open + 1..open + 1 + len]));
        rest = &rest[open + len + 2..];
    }
    if !rest.is_empty() {
        out.push((false, rest));
    }
    out
}

/// Parses a CSS pixel length such as `"21px"`.
pub fn parse_px(value: &str) -> Option<f64> {
    value.trim().strip_suffix("px")?.trim().parse().ok()
}

/// The action that scrolls the editor to `range`, selecting it when `select`.
pub fn reveal(range: Located, select: bool) -> Action {
    Action::Reveal {
        start: u32::try_from(range.utf16_start).unwrap_or(u32::MAX),
        end: u32::try_from(range.utf16_end).unwrap_or(u32::MAX),
        line: range.start_pos.line,
        select,
    }
}

/// How a ledger entry is named in the page and in `data-effect`.
pub fn effect_name(effect: Effect) -> &'static str {
    match effect {
        Effect::BaseImage => "base_image",
        Effect::ParentStage => "parent_stage",
        Effect::Scratch => "scratch",
        Effect::Layer => "layer",
        Effect::Metadata => "metadata",
        Effect::Nothing => "nothing",
    }
}

/// What an entry that adds no filesystem layer does instead, in a few words.
pub fn effect_note(effect: Effect) -> &'static str {
    match effect {
        Effect::BaseImage => "base image",
        Effect::ParentStage => "continues a stage",
        Effect::Scratch => "empty base",
        Effect::Layer => "layer",
        Effect::Metadata => "metadata",
        Effect::Nothing => "no layer",
    }
}

/// A size range for people: `40–55 MB`, `≥ 12 MB`, `unknown`.
pub fn size_label(range: SizeRange) -> String {
    range.to_string()
}

/// What a change does to the image size, as a phrase: `saves at least 24 MB`,
/// `saves ~5.0 MB`, `saves 2–6 MB`, `adds ~3 kB`; `None` when nothing worth stating is
/// known (no change, or only an unknown upper bound).
pub fn saving_label(saved: Saved) -> Option<String> {
    let (low, high) = (saved.low, saved.high);
    let h = |b: i64| human(b.unsigned_abs());
    // `2.0–6.0 MB`: the unit once when both ends share it.
    let between = |a: i64, b: i64| {
        let (a, b) = (h(a), h(b));
        match (a.rsplit_once(' '), b.rsplit_once(' ')) {
            (Some((n, unit)), Some((_, other))) if unit == other => format!("{n}–{b}"),
            _ => format!("{a}–{b}"),
        }
    };
    match high {
        Some(hi) if hi == low => match hi.signum() {
            1 => Some(format!("saves ~{}", h(hi))),
            -1 => Some(format!("adds ~{}", h(hi))),
            _ => None,
        },
        Some(hi) if low >= 0 => Some(if low == 0 {
            format!("saves up to {}", h(hi))
        } else {
            format!("saves {}", between(low, hi))
        }),
        Some(hi) if hi <= 0 => Some(format!("adds {}", between(hi, low))),
        Some(hi) => Some(format!("saves up to {} (may add {})", h(hi), h(low))),
        None if low > 0 => Some(format!("saves at least {}", h(low))),
        None => None,
    }
}

/// A predicted dive score as a percentage (`97 %`, `88–97 %`).
pub fn percent_label(score: ScoreRange) -> String {
    percent_between(score.min, score.max)
}

fn percent_between(min: f64, max: f64) -> String {
    let lo = (min * 100.0).round() as i64;
    let hi = (max * 100.0).round() as i64;
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    if lo == hi {
        format!("{lo} %")
    } else {
        format!("{lo}–{hi} %")
    }
}

/// A simulated change in a few words; `line_of` gives an instruction's line.
pub fn change_label(change: &Change, line_of: impl Fn(usize) -> Option<usize>) -> String {
    match change {
        Change::File { path } => path.clone(),
        Change::Arg { name } => format!("build argument {name}"),
        Change::BaseImage { image: Some(image) } => format!("base image {image}"),
        Change::BaseImage { image: None } => "every base image".to_owned(),
        Change::Instruction { index } => match line_of(*index) {
            Some(line) => format!("the instruction on line {line}"),
            None => "an instruction".to_owned(),
        },
    }
}

/// The changes typed in the path field: paths or globs separated by commas or spaces.
pub fn typed_changes(text: &str) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    for path in text.split([',', ' ', '\n', '\t']).filter(|p| !p.is_empty()) {
        let change = Change::File {
            path: path.to_owned(),
        };
        if !out.contains(&change) {
            out.push(change);
        }
    }
    out
}

/// Maps byte sizes to bar lengths (percent of the track). Linear while the sizes are of
/// one order of magnitude; logarithmic when they differ by 100× or more, so a 1 kB layer
/// and a 500 MB one are both visible.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    pub log: bool,
    /// Bytes at which the log scale starts (half the smallest size shown).
    floor: f64,
    /// The largest size shown.
    top: f64,
}

/// The shortest visible bar, in percent, for anything above zero bytes.
const MIN_BAR: f64 = 1.5;

impl Scale {
    /// A scale fitting every bound of `ranges` (unknown upper bounds are left out).
    pub fn fit(ranges: impl IntoIterator<Item = SizeRange>) -> Scale {
        let mut top = 0u64;
        let mut small = u64::MAX;
        for r in ranges {
            for b in [Some(r.min), r.max].into_iter().flatten() {
                top = top.max(b);
                if b > 0 {
                    small = small.min(b);
                }
            }
        }
        if top == 0 {
            return Scale {
                log: false,
                floor: 0.0,
                top: 1.0,
            };
        }
        let log = top / small.max(1) >= 100;
        Scale {
            log,
            floor: (small as f64 / 2.0).max(1.0),
            top: top as f64,
        }
    }

    /// Bar length for `bytes`, 0–100.
    pub fn percent(&self, bytes: u64) -> f64 {
        if bytes == 0 {
            return 0.0;
        }
        let b = bytes as f64;
        let p = if self.log {
            let span = (self.top / self.floor).ln();
            if span <= 0.0 {
                100.0
            } else {
                100.0 * (b / self.floor).ln() / span
            }
        } else {
            100.0 * b / self.top
        };
        p.clamp(MIN_BAR, 100.0)
    }
}

// Tests build no core structs by hand (the core adds fields as it grows).
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_like_an_editor() {
        assert_eq!(line_count(""), 1);
        assert_eq!(line_count("FROM a"), 1);
        assert_eq!(line_count("FROM a\n"), 1);
        assert_eq!(line_count("FROM a\n\n"), 2);
        assert_eq!(line_count("FROM a\nRUN b"), 2);
    }

    #[test]
    fn marks_keep_the_worst_severity() {
        let marks = worst_per_line([
            (1, Severity::Style),
            (1, Severity::Error),
            (1, Severity::Warning),
            (2, Severity::Info),
        ]);
        assert_eq!(marks.get(&1), Some(&Severity::Error));
        assert_eq!(marks.get(&2), Some(&Severity::Info));
        assert_eq!(marks.get(&3), None);
    }

    #[test]
    fn backticks_become_code_spans() {
        assert_eq!(
            code_spans("use `USER app` here"),
            vec![(false, "use "), (true, "USER app"), (false, " here")]
        );
        assert_eq!(code_spans("`a``b`"), vec![(true, "a"), (true, "b")]);
        assert_eq!(code_spans("odd ` tick"), vec![(false, "odd ` tick")]);
        assert_eq!(code_spans(""), vec![]);
    }

    #[test]
    fn scales_go_log_across_orders_of_magnitude() {
        let linear = Scale::fit([SizeRange::mb(10.0, 20.0), SizeRange::mb(40.0, 80.0)]);
        assert!(!linear.log);
        assert_eq!(linear.percent(80_000_000), 100.0);
        assert_eq!(linear.percent(40_000_000), 50.0);
        assert_eq!(linear.percent(0), 0.0);

        let log = Scale::fit([
            SizeRange::exact(1_000),
            SizeRange::mb(100.0, 130.0),
            SizeRange::UNKNOWN,
        ]);
        assert!(log.log);
        assert_eq!(log.percent(130_000_000), 100.0);
        let small = log.percent(1_000);
        assert!((MIN_BAR..20.0).contains(&small), "{small}");
        assert!(log.percent(1_000_000) > small && log.percent(1_000_000) < 100.0);

        let empty = Scale::fit([SizeRange::ZERO, SizeRange::UNKNOWN]);
        assert_eq!(empty.percent(0), 0.0);
        assert_eq!(empty.percent(5), 100.0);
    }

    #[test]
    fn typed_paths_become_file_changes() {
        let changes = typed_changes(" src/app.py, requirements.txt  src/app.py\n");
        assert_eq!(
            changes,
            vec![
                Change::File {
                    path: "src/app.py".into()
                },
                Change::File {
                    path: "requirements.txt".into()
                },
            ]
        );
        assert!(typed_changes(" , ").is_empty());
        assert_eq!(
            change_label(&Change::Instruction { index: 2 }, |i| Some(i + 1)),
            "the instruction on line 3"
        );
    }

    #[test]
    fn savings() {
        let saved = |low, high| saving_label(Saved { low, high });
        assert_eq!(saved(24_000_000, None), Some("saves at least 24 MB".into()));
        assert_eq!(saved(0, None), None);
        assert_eq!(saved(0, Some(0)), None);
        assert_eq!(
            saved(5_000_000, Some(5_000_000)),
            Some("saves ~5.0 MB".into())
        );
        assert_eq!(saved(0, Some(2_000)), Some("saves up to 2 kB".into()));
        assert_eq!(
            saved(2_000_000, Some(6_000_000)),
            Some("saves 2.0–6.0 MB".into())
        );
        assert_eq!(saved(-3_000, Some(-3_000)), Some("adds ~3 kB".into()));
        assert_eq!(saved(-5_000, Some(-2_000)), Some("adds 2–5 kB".into()));
    }

    #[test]
    fn percentages() {
        assert_eq!(percent_between(1.0, 1.0), "100 %");
        assert_eq!(percent_between(0.97, 0.874), "87–97 %");
    }

    #[test]
    fn labels() {
        assert_eq!(problems_label(0), "No problems");
        assert_eq!(problems_label(1), "1 problem");
        assert_eq!(problems_label(4), "4 problems");
        assert_eq!(parse_px("21px"), Some(21.0));
        assert_eq!(parse_px(" 21.6px "), Some(21.6));
        assert_eq!(parse_px("normal"), None);
    }
}
