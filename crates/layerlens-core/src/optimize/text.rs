//! Writing in the file's own style, and where instructions start and end in the text.
//!
//! Moves insert, delete and move whole instructions; they do it through these helpers so new
//! text follows the file's keyword casing, line endings, escape character and continuation
//! indent, and an instruction moves together with the comment lines right above it.

use crate::fix::Edit;
use crate::model::Model;
use crate::syntax::{Keyword, NodeKind, PieceKind};
use crate::text::{json_string, Span};

/// How the file is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Style {
    /// `\n` or `\r\n`.
    pub newline: &'static str,
    /// The escape (line-continuation) character.
    pub escape: char,
    /// Indent of continuation lines (`    `).
    pub indent: String,
    /// Keywords in lower case (`run`) rather than upper case.
    pub lower: bool,
    /// `&&` at the end of continued lines (`a && \`) rather than at the start (`    && b`).
    pub trailing_and: bool,
}

impl Style {
    pub fn of(model: &Model) -> Style {
        let text = &model.doc.text;
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let escape = model.doc.directives.escape;
        let (mut lower, mut upper) = (0, 0);
        for ins in &model.doc.instructions {
            let k = &ins.command.keyword_text.value;
            if ins.keyword() == Keyword::Unknown {
                continue;
            }
            if k.chars().all(|c| !c.is_ascii_uppercase()) {
                lower += 1;
            } else {
                upper += 1;
            }
        }
        // The indent and `&&` placement of existing continuation lines.
        let mut indent: Option<String> = None;
        let (mut trailing, mut leading) = (0, 0);
        for ins in &model.doc.instructions {
            let lines: Vec<&str> = ins
                .pieces
                .iter()
                .filter(|p| p.kind == PieceKind::Line)
                .map(|p| p.span.slice(text))
                .collect();
            for (k, line) in lines.iter().enumerate() {
                let body = line.trim_end_matches(['\r', '\n']);
                if k > 0 && indent.is_none() {
                    let ws: String = body
                        .chars()
                        .take_while(|c| *c == ' ' || *c == '\t')
                        .collect();
                    if !ws.is_empty() {
                        indent = Some(ws);
                    }
                }
                let stripped = body.trim_end();
                if let Some(before) = stripped.strip_suffix(escape) {
                    if before.trim_end().ends_with("&&") {
                        trailing += 1;
                    }
                }
                if k > 0 && body.trim_start().starts_with("&&") {
                    leading += 1;
                }
            }
        }
        Style {
            newline,
            escape,
            indent: indent.unwrap_or_else(|| "    ".to_string()),
            lower: lower > upper,
            trailing_and: trailing > leading,
        }
    }

    /// A keyword (`RUN`) in the file's casing.
    pub fn keyword(&self, upper: &str) -> String {
        if self.lower {
            upper.to_ascii_lowercase()
        } else {
            upper.to_string()
        }
    }

    /// ` \` + newline + indent: continues a line.
    pub fn continuation(&self) -> String {
        format!(" {}{}{}", self.escape, self.newline, self.indent)
    }

    /// Joins shell commands with `&&` over continuation lines, in the file's layout.
    pub fn and_chain(&self, commands: &[String]) -> String {
        let mut out = String::new();
        for (k, c) in commands.iter().enumerate() {
            if k > 0 {
                if self.trailing_and {
                    out.push_str(&format!(
                        " && {}{}{}",
                        self.escape, self.newline, self.indent
                    ));
                } else {
                    out.push_str(&self.continuation());
                    out.push_str("&& ");
                }
            }
            out.push_str(c);
        }
        out
    }
}

/// Index of the top-level node of instruction `i`.
fn node_of(model: &Model, i: usize) -> Option<usize> {
    model
        .doc
        .nodes
        .iter()
        .position(|n| n.kind == NodeKind::Instruction(i))
}

/// The comment lines directly above instruction `i` (no blank line between), as a span.
pub fn comments_above(model: &Model, i: usize) -> Option<Span> {
    let at = node_of(model, i)?;
    let nodes = &model.doc.nodes;
    let mut first = at;
    while first > 0 && nodes[first - 1].kind == NodeKind::Comment {
        first -= 1;
    }
    (first < at).then(|| Span::new(nodes[first].span.start, nodes[at - 1].span.end))
}

/// Instruction `i` with the comment lines directly above it.
pub fn block(model: &Model, i: usize) -> Span {
    let span = model.doc.instructions[i].span;
    match comments_above(model, i) {
        Some(c) => Span::new(c.start, span.end),
        None => span,
    }
}

/// The text of a block, always ending with a newline.
pub fn block_text(model: &Model, span: Span, style: &Style) -> String {
    let mut t = span.slice(&model.doc.text).to_string();
    if !t.ends_with('\n') {
        t.push_str(style.newline);
    }
    t
}

/// An edit inserting `text` (which ends with a newline) on its own lines right after
/// instruction `i`.
pub fn insert_after(model: &Model, i: usize, text: &str, style: &Style) -> Edit {
    let end = model.doc.instructions[i].span.end;
    if model.doc.text[..end].ends_with('\n') {
        Edit::insert(end, text)
    } else {
        // The last line of the file has no newline: give it one, and drop ours.
        let body = text.strip_suffix('\n').unwrap_or(text);
        let body = body.strip_suffix('\r').unwrap_or(body);
        Edit::insert(end, format!("{}{body}", style.newline))
    }
}

/// An edit inserting `text` (which ends with a newline) on its own lines right before
/// instruction `i` and the comments above it.
pub fn insert_before(model: &Model, i: usize, text: &str) -> Edit {
    Edit::insert(block(model, i).start, text)
}

/// The indent before the keyword of instruction `i` (spaces and tabs only).
pub fn keyword_indent(model: &Model, i: usize) -> String {
    let ins = &model.doc.instructions[i];
    let start = ins.span.start;
    let kw = ins.command.keyword_text.span.start;
    model
        .doc
        .text
        .get(start..kw)
        .unwrap_or("")
        .chars()
        .filter(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// Where the text of instruction `i` ends, before its final newline (and before a heredoc
/// body: the end of the last line that carries the command).
pub fn line_end(model: &Model, i: usize) -> usize {
    let ins = &model.doc.instructions[i];
    let text = &model.doc.text;
    let last_line = ins
        .pieces
        .iter()
        .rev()
        .find(|p| p.kind == PieceKind::Line)
        .map(|p| p.span)
        .unwrap_or(ins.span);
    let slice = last_line.slice(text);
    let trimmed = slice.trim_end_matches(['\n', '\r']);
    last_line.start + trimmed.len()
}

/// Whether instruction `i` has comment lines or blank lines inside its continuation.
pub fn has_inner_comments(model: &Model, i: usize) -> bool {
    model.doc.instructions[i]
        .pieces
        .iter()
        .any(|p| matches!(p.kind, PieceKind::ContinuationComment))
}

/// Whether the comments right above instruction `i` include a lint pragma
/// (`# hadolint ignore=...`, `# check=...`), which applies to that instruction only.
pub fn has_pragma_above(model: &Model, i: usize) -> bool {
    comments_above(model, i).is_some_and(|span| {
        span.slice(&model.doc.text).lines().any(|l| {
            let l = l.trim_start_matches('#').trim().to_ascii_lowercase();
            l.starts_with("hadolint") || l.starts_with("check=") || l.starts_with("layerlens")
        })
    })
}

/// The nodes between two instructions (exclusive) are only comments and blank lines.
pub fn only_trivia_between(model: &Model, a: usize, b: usize) -> bool {
    let (Some(x), Some(y)) = (node_of(model, a), node_of(model, b)) else {
        return false;
    };
    x < y
        && model.doc.nodes[x + 1..y]
            .iter()
            .all(|n| matches!(n.kind, NodeKind::Comment | NodeKind::Blank))
}

/// Blank-line nodes between two instructions (their spans).
pub fn blanks_between(model: &Model, a: usize, b: usize) -> Vec<Span> {
    let (Some(x), Some(y)) = (node_of(model, a), node_of(model, b)) else {
        return Vec::new();
    };
    if x >= y {
        return Vec::new();
    }
    model.doc.nodes[x + 1..y]
        .iter()
        .filter(|n| n.kind == NodeKind::Blank)
        .map(|n| n.span)
        .collect()
}

/// Blank-line nodes after instruction `i` up to the end of the file (their spans).
pub fn blanks_after(model: &Model, i: usize) -> Vec<Span> {
    let Some(x) = node_of(model, i) else {
        return Vec::new();
    };
    model.doc.nodes[x + 1..]
        .iter()
        .filter(|n| n.kind == NodeKind::Blank)
        .map(|n| n.span)
        .collect()
}

/// A JSON array of strings in the guide's layout: `["a", "b"]`.
pub fn json_array(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| json_string(s)).collect();
    format!("[{}]", inner.join(", "))
}

/// Joins a directory and a relative path the way a Dockerfile author would write it.
pub fn join_rel(dir: &str, rel: &str) -> String {
    let rel = rel.trim_start_matches("./");
    if dir.is_empty() || dir == "." || dir == "./" {
        rel.to_string()
    } else {
        format!("{}/{}", dir.trim_end_matches('/'), rel)
    }
}

/// Whether `path` is `dir` or inside it (absolute paths).
pub fn is_within(path: &str, dir: &str) -> bool {
    if dir == "/" {
        return path.starts_with('/');
    }
    let dir = dir.trim_end_matches('/');
    path == dir
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// A short one-line rendering of instruction `i` for explanations.
pub fn short(model: &Model, i: usize) -> String {
    let ins = &model.doc.instructions[i];
    let words: Vec<&str> = ins.original().split_whitespace().collect();
    let mut s = words.join(" ");
    if s.chars().count() > 72 {
        s = s.chars().take(71).collect::<String>() + "…";
    }
    s
}

/// 1-based line of instruction `i`.
pub fn line_of(model: &Model, i: usize) -> usize {
    model.doc.instructions[i].start_line
}
