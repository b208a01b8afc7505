//! The before/after comparison: a line diff of the analysed Dockerfile and the optimizer's
//! output, which of the optimizer's changes touched each changed line (from the byte spans
//! of the change's hunks, which the core gives in both texts), and the words that differ
//! inside a changed line. Pure, no DOM: unit-tested natively.
//!
//! The diff is a longest-common-subsequence over lines after trimming the common prefix and
//! suffix; Dockerfiles are short, and a pathological pair (more than [`MAX_CELLS`] cells in
//! the table) falls back to "all removed, then all added", which is still correct.

use std::ops::Range;

use layerlens_core::optimize::Change;
use layerlens_core::text::Span;

/// Largest LCS table (cells) computed; beyond it the middle is shown as replaced.
const MAX_CELLS: usize = 1 << 20;

/// Unchanged lines kept around a changed block when a long unchanged run is folded.
pub const CONTEXT: usize = 3;

/// Shortest unchanged run worth folding (shorter runs are shown in full).
const MIN_FOLD: usize = 4;

/// What a diff row does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Same,
    Removed,
    Added,
}

/// One row of the diff: 0-based line numbers in the original (`old`) and the output (`new`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    pub op: Op,
    pub old: Option<usize>,
    pub new: Option<usize>,
}

/// The lines of a text with their byte ranges (without the `\n`). A trailing newline does
/// not start another line; an empty text has none.
pub fn lines(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            out.push(start..i);
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

/// Longest common subsequence of `a` and `b` as pairs of indices, in order. `None` when the
/// table would be too big.
fn lcs<T: PartialEq>(a: &[T], b: &[T]) -> Option<Vec<(usize, usize)>> {
    let (n, m) = (a.len(), b.len());
    if n.checked_mul(m)? > MAX_CELLS {
        return None;
    }
    let width = m + 1;
    // table[i * width + j] = LCS length of a[i..] and b[j..].
    let mut table = vec![0u32; (n + 1) * width];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[i * width + j] = if a[i] == b[j] {
                table[(i + 1) * width + j + 1] + 1
            } else {
                table[(i + 1) * width + j].max(table[i * width + j + 1])
            };
        }
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            pairs.push((i, j));
            i += 1;
            j += 1;
        } else if table[(i + 1) * width + j] >= table[i * width + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    Some(pairs)
}

/// Diff rows turning `old` into `new` (lines compared exactly). Within a changed block the
/// removed lines come before the added ones.
pub fn diff_lines(old: &[&str], new: &[&str]) -> Vec<Row> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (a, b) = (
        &old[prefix..old.len() - suffix],
        &new[prefix..new.len() - suffix],
    );
    let same = |o: usize, n: usize| Row {
        op: Op::Same,
        old: Some(o),
        new: Some(n),
    };
    let mut rows: Vec<Row> = (0..prefix).map(|i| same(i, i)).collect();
    let pairs = lcs(a, b).unwrap_or_default();
    let (mut i, mut j) = (0, 0);
    for (pi, pj) in pairs.into_iter().chain([(a.len(), b.len())]) {
        rows.extend((i..pi).map(|k| Row {
            op: Op::Removed,
            old: Some(prefix + k),
            new: None,
        }));
        rows.extend((j..pj).map(|k| Row {
            op: Op::Added,
            old: None,
            new: Some(prefix + k),
        }));
        if pi < a.len() {
            rows.push(same(prefix + pi, prefix + pj));
        }
        i = pi + 1;
        j = pj + 1;
    }
    let (o0, n0) = (old.len() - suffix, new.len() - suffix);
    rows.extend((0..suffix).map(|k| same(o0 + k, n0 + k)));
    rows
}

/// A stretch of the diff as shown: changed rows, unchanged rows, or unchanged rows folded
/// away (`Fold`, shown as "N unchanged lines").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Changed(Range<usize>),
    Same(Range<usize>),
    Fold(Range<usize>),
}

/// Groups rows into blocks, folding unchanged runs that are long enough, keeping
/// [`CONTEXT`] lines next to each change.
pub fn blocks(rows: &[Row]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let changed = rows[i].op != Op::Same;
        let mut j = i;
        while j < rows.len() && (rows[j].op != Op::Same) == changed {
            j += 1;
        }
        if changed {
            out.push(Block::Changed(i..j));
        } else {
            let keep_before = if i == 0 { 0 } else { CONTEXT };
            let keep_after = if j == rows.len() { 0 } else { CONTEXT };
            if j - i >= keep_before + keep_after + MIN_FOLD {
                if keep_before > 0 {
                    out.push(Block::Same(i..i + keep_before));
                }
                out.push(Block::Fold(i + keep_before..j - keep_after));
                if keep_after > 0 {
                    out.push(Block::Same(j - keep_after..j));
                }
            } else {
                out.push(Block::Same(i..j));
            }
        }
        i = j;
    }
    out
}

/// Finds the 0-based line that holds a byte offset.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    pub fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// The lines a span covers; `None` for an empty span (an insertion point or a deletion
    /// seen from the other side). A span ending with a newline does not reach the next line.
    pub fn covered(&self, span: Span) -> Option<Range<usize>> {
        (span.end > span.start).then(|| self.line_of(span.start)..self.line_of(span.end - 1) + 1)
    }

    /// The lines a change's span touched: those it covers, or for an insertion point
    /// inside a line (a flag added) that line. An insertion at a line start adds whole
    /// lines and touches none of the old ones.
    pub fn touched(&self, span: Span) -> Option<Range<usize>> {
        self.covered(span).or_else(|| {
            let line = self.line_of(span.start);
            (self.starts[line] != span.start).then_some(line..line + 1)
        })
    }
}

/// For every row, the indices (into `changes`) of the changes that touched its line:
/// removed lines through the hunks' original spans, added lines through their output spans.
pub fn attribute(
    rows: &[Row],
    changes: &[Change],
    original: &str,
    output: &str,
) -> Vec<Vec<usize>> {
    let (old_index, new_index) = (LineIndex::new(original), LineIndex::new(output));
    let mut old_lines: Vec<(Range<usize>, usize)> = Vec::new();
    let mut new_lines: Vec<(Range<usize>, usize)> = Vec::new();
    for (c, change) in changes.iter().enumerate() {
        for hunk in &change.hunks {
            if let Some(r) = old_index.touched(hunk.original) {
                old_lines.push((r, c));
            }
            if let Some(r) = new_index.covered(hunk.output) {
                new_lines.push((r, c));
            }
        }
    }
    let touching = |spans: &[(Range<usize>, usize)], line: usize| {
        let mut out: Vec<usize> = spans
            .iter()
            .filter(|(r, _)| r.contains(&line))
            .map(|(_, c)| *c)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    };
    rows.iter()
        .map(|row| match (row.op, row.old, row.new) {
            (Op::Removed, Some(line), _) => touching(&old_lines, line),
            (Op::Added, _, Some(line)) => touching(&new_lines, line),
            _ => Vec::new(),
        })
        .collect()
}

/// The changes of each changed block, and the display number of every change: changes
/// are numbered in reading order of the block they first appear in; changes that touch no
/// changed line come last.
pub struct Notes {
    /// For each block index, the changes that touched one of its rows (ascending numbers).
    pub per_block: Vec<Vec<usize>>,
    /// Display number (1-based) of each change, by its index in `changes`.
    pub number: Vec<usize>,
    /// Changes that touch no changed line, in display order.
    pub unplaced: Vec<usize>,
}

pub fn notes(blocks: &[Block], touched: &[Vec<usize>], changes: usize) -> Notes {
    let mut number = vec![0usize; changes];
    let mut next = 1;
    let mut per_block = Vec::with_capacity(blocks.len());
    for block in blocks {
        let mut here: Vec<usize> = Vec::new();
        if let Block::Changed(rows) = block {
            for r in rows.clone() {
                for &c in &touched[r] {
                    if c < changes && !here.contains(&c) {
                        here.push(c);
                    }
                }
            }
            // Number by first row, then by the core's order.
            here.sort_by_key(|&c| {
                let first = rows.clone().position(|r| touched[r].contains(&c));
                (first, c)
            });
            for &c in &here {
                if number[c] == 0 {
                    number[c] = next;
                    next += 1;
                }
            }
            here.sort_by_key(|&c| number[c]);
        }
        per_block.push(here);
    }
    let mut unplaced = Vec::new();
    for (c, n) in number.iter_mut().enumerate() {
        if *n == 0 {
            *n = next;
            next += 1;
            unplaced.push(c);
        }
    }
    Notes {
        per_block,
        number,
        unplaced,
    }
}

/// Words and the blanks between them, as byte ranges of `line`.
fn tokens(line: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut blank = None;
    for (i, c) in line.char_indices() {
        let is_blank = c.is_whitespace();
        if blank != Some(is_blank) {
            if i > start {
                out.push(start..i);
            }
            start = i;
            blank = Some(is_blank);
        }
    }
    if start < line.len() {
        out.push(start..line.len());
    }
    out
}

/// Byte ranges of changed words: in the old line, in the new line.
pub type WordChanges = (Vec<Range<usize>>, Vec<Range<usize>>);

/// The parts of two similar lines that differ, word by word, as byte ranges within each
/// line; `None` when the lines have too little in common to be shown as one edited line.
pub fn word_changes(old: &str, new: &str) -> Option<WordChanges> {
    let (a, b) = (tokens(old), tokens(new));
    let (wa, wb): (Vec<&str>, Vec<&str>) = (
        a.iter().map(|r| &old[r.clone()]).collect(),
        b.iter().map(|r| &new[r.clone()]).collect(),
    );
    let pairs = lcs(&wa, &wb)?;
    let shared: usize = pairs
        .iter()
        .map(|&(i, _)| wa[i].trim().len())
        .sum::<usize>();
    let weight = |s: &str| s.split_whitespace().map(str::len).sum::<usize>();
    let smaller = weight(old).min(weight(new));
    if smaller == 0 || shared * 2 < smaller {
        return None;
    }
    let unmatched = |ranges: &[Range<usize>], words: &[&str], kept: Vec<usize>| {
        let blank = |k: usize| words[k].trim().is_empty();
        let marked = |k: usize| !blank(k) && !kept.contains(&k);
        let mut out: Vec<Range<usize>> = Vec::new();
        let mut k = 0;
        while k < ranges.len() {
            if !marked(k) {
                k += 1;
                continue;
            }
            let mut run = ranges[k].clone();
            k += 1;
            // Changed words separated only by blanks are one marked run.
            while k + 1 < ranges.len() && blank(k) && marked(k + 1) {
                run.end = ranges[k + 1].end;
                k += 2;
            }
            out.push(run);
        }
        out
    };
    let old_marks = unmatched(&a, &wa, pairs.iter().map(|p| p.0).collect());
    let new_marks = unmatched(&b, &wb, pairs.iter().map(|p| p.1).collect());
    Some((old_marks, new_marks))
}

/// Pairs removed and added lines of one changed block that read as the same line edited:
/// `(removed row, added row)` in order, each row at most once.
pub fn pair_edits(
    rows: &[Row],
    block: Range<usize>,
    old: &[&str],
    new: &[&str],
) -> Vec<(usize, usize)> {
    let (removed, added) = removed_and_added(rows, block);
    let mut out = Vec::new();
    let mut from = 0;
    for r in removed {
        let Some(before) = rows[r].old.and_then(|i| old.get(i)) else {
            continue;
        };
        for (k, &a) in added.iter().enumerate().skip(from) {
            let Some(after) = rows[a].new.and_then(|i| new.get(i)) else {
                continue;
            };
            if word_changes(before, after).is_some() {
                out.push((r, a));
                from = k + 1;
                break;
            }
        }
    }
    out
}

/// The smallest edit turning `old` into `new`: the range of `old` to replace, in UTF-16
/// code units (what a textarea counts), and the text to put there.
pub struct Splice<'a> {
    pub utf16: Range<u32>,
    pub text: &'a str,
}

/// The byte lengths of the longest common prefix of `old` and `new`, and of the longest
/// common suffix of what is left after it (so the two never overlap).
/// The removed and the added rows of a changed block, each in order.
pub fn removed_and_added(rows: &[Row], block: Range<usize>) -> (Vec<usize>, Vec<usize>) {
    let removed = block
        .clone()
        .filter(|&r| rows[r].op == Op::Removed)
        .collect();
    let added = block.filter(|&r| rows[r].op == Op::Added).collect();
    (removed, added)
}

pub fn common_affixes(old: &str, new: &str) -> (usize, usize) {
    let prefix: usize = old
        .chars()
        .zip(new.chars())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    let room = old.len().min(new.len()) - prefix;
    let mut suffix = 0;
    for (a, b) in old.chars().rev().zip(new.chars().rev()) {
        if a != b || suffix + a.len_utf8() > room {
            break;
        }
        suffix += a.len_utf8();
    }
    (prefix, suffix)
}

pub fn splice<'a>(old: &str, new: &'a str) -> Splice<'a> {
    let (prefix, suffix) = common_affixes(old, new);
    let units = |s: &str| s.encode_utf16().count() as u32;
    let start16 = units(&old[..prefix]);
    Splice {
        utf16: start16..start16 + units(&old[prefix..old.len() - suffix]),
        text: &new[prefix..new.len() - suffix],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(rows: &[Row]) -> String {
        rows.iter()
            .map(|r| match r.op {
                Op::Same => '=',
                Op::Removed => '-',
                Op::Added => '+',
            })
            .collect()
    }

    #[test]
    fn splits_lines_like_an_editor() {
        assert_eq!(lines(""), Vec::<Range<usize>>::new());
        assert_eq!(lines("a\nbc\n"), vec![0..1, 2..4]);
        assert_eq!(lines("a\n\nb"), vec![0..1, 2..2, 3..4]);
    }

    #[test]
    fn diffs_lines() {
        let rows = diff_lines(&["a", "b", "c", "d"], &["a", "x", "c", "d", "e"]);
        assert_eq!(ops(&rows), "=-+==+");
        assert_eq!(rows[1].old, Some(1));
        assert_eq!(rows[2].new, Some(1));
        assert_eq!(rows[5].new, Some(4));
        assert_eq!(ops(&diff_lines(&["a"], &["a"])), "=");
        assert_eq!(ops(&diff_lines(&[], &["a"])), "+");
        assert_eq!(ops(&diff_lines(&["a", "b"], &[])), "--");
        // A moved line: removed where it was, added where it goes.
        let rows = diff_lines(&["copy", "install", "cmd"], &["install", "copy", "cmd"]);
        assert_eq!(rows.iter().filter(|r| r.op == Op::Same).count(), 2);
        // Every line of both sides appears exactly once, in order.
        let olds: Vec<usize> = rows.iter().filter_map(|r| r.old).collect();
        let news: Vec<usize> = rows.iter().filter_map(|r| r.new).collect();
        assert_eq!(olds, vec![0, 1, 2]);
        assert_eq!(news, vec![0, 1, 2]);
    }

    #[test]
    fn huge_inputs_fall_back_to_replacing_the_middle() {
        let a: Vec<String> = (0..1500).map(|i| format!("a{i}")).collect();
        let b: Vec<String> = (0..1500).map(|i| format!("b{i}")).collect();
        let (a, b): (Vec<&str>, Vec<&str>) = (
            a.iter().map(String::as_str).collect(),
            b.iter().map(String::as_str).collect(),
        );
        let rows = diff_lines(&a, &b);
        assert_eq!(rows.len(), 3000);
        assert!(rows[..1500].iter().all(|r| r.op == Op::Removed));
    }

    #[test]
    fn folds_long_unchanged_runs() {
        let old: Vec<String> = (0..30).map(|i| i.to_string()).collect();
        let mut new = old.clone();
        new[15] = "x".into();
        let (o, n): (Vec<&str>, Vec<&str>) = (
            old.iter().map(String::as_str).collect(),
            new.iter().map(String::as_str).collect(),
        );
        let rows = diff_lines(&o, &n);
        assert_eq!(
            blocks(&rows),
            vec![
                Block::Fold(0..12),
                Block::Same(12..15),
                Block::Changed(15..17),
                Block::Same(17..20),
                Block::Fold(20..31),
            ]
        );
        // Short runs stay.
        let rows = diff_lines(&["a", "b"], &["a", "c"]);
        assert_eq!(blocks(&rows), vec![Block::Same(0..1), Block::Changed(1..3)]);
    }

    #[test]
    fn line_index_and_spans() {
        let idx = LineIndex::new("ab\ncd\n");
        assert_eq!(idx.line_of(0), 0);
        assert_eq!(idx.line_of(2), 0);
        assert_eq!(idx.line_of(3), 1);
        assert_eq!(idx.covered(Span::new(0, 3)), Some(0..1));
        assert_eq!(idx.covered(Span::new(1, 4)), Some(0..2));
        assert_eq!(idx.covered(Span::new(3, 3)), None);
        // An insertion point inside a line touches it; at a line start, nothing.
        assert_eq!(idx.touched(Span::new(4, 4)), Some(1..2));
        assert_eq!(idx.touched(Span::new(3, 3)), None);
        assert_eq!(idx.touched(Span::new(1, 4)), Some(0..2));
    }

    #[test]
    fn numbers_notes_in_reading_order() {
        let rows = diff_lines(
            &["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"],
            &["A", "b", "c", "d", "e", "f", "g", "h", "i", "J"],
        );
        let bl = blocks(&rows);
        let mut touched = vec![Vec::new(); rows.len()];
        // Change 0 touches the last line, change 1 the first; change 2 nothing.
        let last = rows.iter().rposition(|r| r.op == Op::Added).unwrap();
        touched[last] = vec![0];
        touched[1] = vec![1];
        let n = notes(&bl, &touched, 3);
        assert_eq!(n.number, vec![2, 1, 3]);
        assert_eq!(n.unplaced, vec![2]);
        assert_eq!(n.per_block[0], vec![1]);
        assert_eq!(n.per_block.last().unwrap(), &vec![0]);
    }

    #[test]
    fn marks_changed_words() {
        let old = "RUN pip install -r requirements.txt";
        let new = "RUN pip install --no-cache-dir -r requirements.txt";
        let (o, n) = word_changes(old, new).unwrap();
        assert!(o.is_empty());
        assert_eq!(
            n.iter().map(|r| &new[r.clone()]).collect::<Vec<_>>(),
            vec!["--no-cache-dir"]
        );

        let old = "RUN apt-get install -y curl";
        let new = "    && apt-get install --no-install-recommends -y curl \\";
        let (o, n) = word_changes(old, new).unwrap();
        assert_eq!(
            o.iter().map(|r| &old[r.clone()]).collect::<Vec<_>>(),
            vec!["RUN"]
        );
        assert_eq!(
            n.iter().map(|r| &new[r.clone()]).collect::<Vec<_>>(),
            vec!["&&", "--no-install-recommends", "\\"]
        );
        // Adjacent changed words are one run.
        let (_, n) = word_changes("COPY . .", "COPY --chown=a:a --link . .").unwrap();
        assert_eq!(n.len(), 1);
        assert_eq!(word_changes("COPY . .", "USER 1000"), None);
    }

    #[test]
    fn pairs_edited_lines() {
        let old = ["RUN apt-get update", "COPY . ."];
        let new = [
            "RUN apt-get update \\",
            "    && rm -rf /var/lib/apt/lists/*",
            "COPY --chown=a:a . .",
        ];
        let rows = diff_lines(&old, &new);
        let pairs = pair_edits(&rows, 0..rows.len(), &old, &new);
        let shown: Vec<(usize, usize)> = pairs
            .iter()
            .map(|&(r, a)| (rows[r].old.unwrap(), rows[a].new.unwrap()))
            .collect();
        assert_eq!(shown, vec![(0, 0), (1, 2)]);
    }

    #[test]
    fn splices_the_smallest_range() {
        let s = splice("RUN pip install x\n", "RUN pip install --no-cache-dir x\n");
        assert_eq!(s.text, "--no-cache-dir ");
        assert_eq!(s.utf16, 16..16);
        // UTF-16 offsets count code units, not bytes (`é` is two bytes, one unit).
        let s = splice("# é\nA\n", "# é\nB\n");
        assert_eq!((s.utf16, s.text), (4..5, "B"));
        let s = splice("aaa", "aa");
        assert_eq!((s.utf16, s.text), (2..3, ""));
    }
}
