//! The line loop of BuildKit's `parser.Parse`, made lossless and tolerant.

use super::command::parse_command;
use super::lex::heredocs_in_line;
use super::lines::{
    continuation_keep_len, is_comment, is_space, leading_space_len, physical_lines, PhysicalLine,
};
use super::{
    Args, Directive, Directives, Document, Heredoc, Instruction, LogicalLine, Node, NodeKind,
    ParseError, Piece, PieceKind,
};
use crate::text::Span;

/// BuildKit reads lines with a 64 KiB scanner buffer.
const MAX_LINE_LEN: usize = 65_535;

/// Parses any text. Never fails: problems are collected in [`Document::errors`].
pub fn parse(text: &str) -> Document {
    let mut parser = Parser {
        text,
        lines: physical_lines(text),
        next: 0,
        directives: DirectiveState::default(),
        comments: Vec::new(),
        doc: Document {
            text: text.to_string(),
            nodes: Vec::new(),
            instructions: Vec::new(),
            directives: Directives::default(),
            errors: Vec::new(),
        },
    };
    parser.check_line_lengths();
    parser.run();
    if parser.doc.instructions.is_empty() {
        parser.error(Span::empty(0), "file with no instructions");
    }
    parser.doc.directives.escape = parser.directives.escape;
    parser.doc
}

struct Parser<'a> {
    text: &'a str,
    lines: Vec<PhysicalLine>,
    /// Index of the next physical line to read.
    next: usize,
    directives: DirectiveState,
    /// Comment lines seen since the last instruction (BuildKit's `PrevComment`).
    comments: Vec<String>,
    doc: Document,
}

impl Parser<'_> {
    fn error(&mut self, span: Span, message: impl Into<String>) {
        self.doc.errors.push(ParseError {
            span,
            message: message.into(),
        });
    }

    fn node(&mut self, kind: NodeKind, span: Span) {
        self.doc.nodes.push(Node { kind, span });
    }

    fn check_line_lengths(&mut self) {
        let long: Vec<Span> = self
            .lines
            .iter()
            .filter(|l| l.content.len() > MAX_LINE_LEN)
            .map(|l| l.content)
            .collect();
        for span in long {
            let message =
                format!("dockerfile line greater than max allowed size of {MAX_LINE_LEN}");
            self.error(span, message);
        }
    }

    fn run(&mut self) {
        while self.next < self.lines.len() {
            let mut line = self.lines[self.next];
            if self.next == 0 && self.text.starts_with('\u{feff}') {
                let bom = '\u{feff}'.len_utf8();
                self.node(NodeKind::ByteOrderMark, Span::new(0, bom));
                line.span.start += bom;
                line.content.start = line.content.start.max(bom);
            }
            self.top_level_line(line);
        }
    }

    /// A line outside any instruction: directive, comment, blank, or an instruction start.
    fn top_level_line(&mut self, line: PhysicalLine) {
        let raw = line.content.slice(self.text);
        let lead = leading_space_len(raw);
        let token = &raw[lead..];
        let token_span = Span::new(line.content.start + lead, line.content.end);

        match self.directives.recognise(token, token_span) {
            Recognised::Directive(result) => {
                match result {
                    Ok((key, directive)) => self.store_directive(key, directive),
                    Err(e) => self.doc.errors.push(e),
                }
                self.node(NodeKind::Directive, line.span);
                self.next += 1;
                return;
            }
            Recognised::NotDirective => {}
        }
        if is_comment(raw) {
            self.collect_comment(raw);
            self.node(NodeKind::Comment, line.span);
            self.next += 1;
            return;
        }
        let continues = continuation_keep_len(token, self.directives.escape);
        if continues.is_none() && token.is_empty() {
            self.node(NodeKind::Blank, line.span);
            self.next += 1;
            return;
        }
        self.instruction(line, lead, continues);
    }

    fn store_directive(&mut self, key: DirectiveKey, directive: Directive) {
        let slot = match key {
            DirectiveKey::Syntax => &mut self.doc.directives.syntax,
            DirectiveKey::Escape => &mut self.doc.directives.escape_directive,
            DirectiveKey::Check => &mut self.doc.directives.check,
        };
        *slot = Some(directive);
    }

    /// BuildKit keeps `TrimSpace(line[1:])`, so an indented `  # x` is stored as `# x`; an
    /// empty comment resets the list.
    fn collect_comment(&mut self, raw: &str) {
        let after_first = raw.char_indices().nth(1).map_or("", |(i, _)| &raw[i..]);
        let comment = after_first.trim_matches(is_space);
        if comment.is_empty() {
            self.comments.clear();
        } else {
            self.comments.push(comment.to_string());
        }
    }

    /// Reads one instruction: its continuation lines, then its heredoc bodies.
    fn instruction(&mut self, first: PhysicalLine, lead: usize, continues: Option<usize>) {
        let start_line = self.next + 1;
        let escape = self.directives.escape;
        let mut joined = LogicalLine::default();
        let mut pieces = vec![Piece {
            kind: PieceKind::Line,
            span: first.span,
        }];
        let token_start = first.content.start + lead;
        let token_end = continues.map_or(first.content.end, |keep| token_start + keep);
        joined.push(self.text, Span::new(token_start, token_end));
        self.next += 1;

        let mut continuing = continues.is_some();
        let mut has_empty_continuation_line = false;
        while continuing && self.next < self.lines.len() {
            let line = self.lines[self.next];
            self.next += 1;
            let raw = line.content.slice(self.text);
            let kind = if is_comment(raw) {
                PieceKind::ContinuationComment
            } else if raw.trim_start_matches(is_space).is_empty() {
                has_empty_continuation_line = true;
                PieceKind::EmptyContinuationLine
            } else {
                let keep = continuation_keep_len(raw, escape);
                continuing = keep.is_some();
                let end = keep.map_or(line.content.end, |k| line.content.start + k);
                joined.push(self.text, Span::new(line.content.start, end));
                PieceKind::Line
            };
            pieces.push(Piece {
                kind,
                span: line.span,
            });
        }

        let (command, error) = parse_command(&joined, 0, joined.as_str().len(), escape, 0);
        if let Some(e) = error {
            self.doc.errors.push(e);
        }
        let mut instruction = Instruction {
            span: first.span,
            start_line,
            end_line: start_line,
            line: joined,
            command,
            heredocs: Vec::new(),
            comments: std::mem::take(&mut self.comments),
            pieces,
            has_empty_continuation_line,
        };
        self.read_heredocs(&mut instruction);
        instruction.end_line = self.next;
        if let Some(last) = instruction.pieces.last() {
            instruction.span.end = last.span.end;
        }
        let index = self.doc.instructions.len();
        self.node(NodeKind::Instruction(index), instruction.span);
        self.doc.instructions.push(instruction);
    }

    /// Detects heredocs in the joined line and consumes their bodies, in order.
    fn read_heredocs(&mut self, instruction: &mut Instruction) {
        let effective = instruction.effective_command();
        let eligible = effective.keyword.takes_heredocs()
            && !effective.is_json()
            && !matches!(effective.args, Args::Invalid);
        let line = instruction.line.as_str();
        if !eligible || !line.contains("<<") {
            return;
        }
        let words = match heredocs_in_line(line) {
            Ok(words) => words,
            Err(e) => {
                let span = instruction.line.to_source_span(0, line.len());
                self.error(span, e.message);
                return;
            }
        };
        for (word, range) in words {
            let index = instruction.heredocs.len();
            let word_span = instruction.line.to_source_span(range.start, range.end);
            let body_start = self
                .lines
                .get(self.next)
                .map_or(self.text.len(), |l| l.span.start);
            let mut content = String::new();
            let mut terminator = None;
            while let Some(&line) = self.lines.get(self.next) {
                self.next += 1;
                let mut candidate = line.content.slice(self.text);
                if word.chomp {
                    candidate = candidate.trim_start_matches('\t');
                }
                if candidate == word.name {
                    terminator = Some(line.span);
                    instruction.pieces.push(Piece {
                        kind: PieceKind::HeredocEnd(index),
                        span: line.span,
                    });
                    break;
                }
                content.push_str(line.span.slice(self.text));
                instruction.pieces.push(Piece {
                    kind: PieceKind::HeredocBody(index),
                    span: line.span,
                });
            }
            let body_end = terminator.map_or(self.text.len(), |t| t.start);
            if terminator.is_none() {
                self.error(
                    Span::new(word_span.start, self.text.len()),
                    "unterminated heredoc",
                );
            }
            instruction.heredocs.push(Heredoc {
                name: word.name,
                file_descriptor: word.file_descriptor,
                expand: word.expand,
                chomp: word.chomp,
                content,
                word: word_span,
                body: Span::new(body_start, body_end.max(body_start)),
                terminator,
            });
            if terminator.is_none() {
                return;
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum DirectiveKey {
    Syntax,
    Escape,
    Check,
}

enum Recognised {
    Directive(Result<(DirectiveKey, Directive), ParseError>),
    NotDirective,
}

/// BuildKit's directive parser: directives are only recognised until the first line that
/// is not one (an instruction, blank line, plain comment or unknown `# key=value`).
struct DirectiveState {
    done: bool,
    seen: Vec<DirectiveKey>,
    escape: char,
}

impl Default for DirectiveState {
    fn default() -> Self {
        DirectiveState {
            done: false,
            seen: Vec::new(),
            escape: '\\',
        }
    }
}

impl DirectiveState {
    /// `token` is the line with leading whitespace removed; `span` is its source span.
    fn recognise(&mut self, token: &str, span: Span) -> Recognised {
        if self.done {
            return Recognised::NotDirective;
        }
        let Some((key_text, value_offset, value)) = match_directive(token) else {
            self.done = true;
            return Recognised::NotDirective;
        };
        let key = match key_text.to_ascii_lowercase().as_str() {
            "syntax" => DirectiveKey::Syntax,
            "escape" => DirectiveKey::Escape,
            "check" => DirectiveKey::Check,
            _ => {
                self.done = true;
                return Recognised::NotDirective;
            }
        };
        let name = key_text.to_ascii_lowercase();
        if self.seen.contains(&key) {
            return Recognised::Directive(Err(ParseError {
                span,
                message: format!("only one {name} parser directive can be used"),
            }));
        }
        self.seen.push(key);
        if key == DirectiveKey::Escape {
            match value {
                "\\" => self.escape = '\\',
                "`" => self.escape = '`',
                _ => {
                    return Recognised::Directive(Err(ParseError {
                        span,
                        message: format!("invalid escape token '{value}' does not match ` or \\"),
                    }))
                }
            }
        }
        let value_start = span.start + value_offset;
        Recognised::Directive(Ok((
            key,
            Directive {
                full: value.to_string(),
                value: value.split(' ').next().unwrap_or("").to_string(),
                span,
                value_span: Span::new(value_start, value_start + value.len()),
            },
        )))
    }
}

/// Matches `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` (RE2's `\s` is `[\t\n\f\r ]`).
/// Returns the key, the value's offset in `token` and the value.
fn match_directive(token: &str) -> Option<(&str, usize, &str)> {
    let is_re_space = |c: char| matches!(c, '\t' | '\n' | '\u{c}' | '\r' | ' ');
    let after_hash = token.strip_prefix('#')?;
    let key_start = token.len() - after_hash.trim_start_matches(is_re_space).len();
    let rest = &token[key_start..];
    let key_len = rest
        .char_indices()
        .find(|&(i, c)| {
            if i == 0 {
                !c.is_ascii_alphabetic()
            } else {
                !c.is_ascii_alphanumeric()
            }
        })
        .map_or(rest.len(), |(i, _)| i);
    if key_len == 0 {
        return None;
    }
    let key = &rest[..key_len];
    let after_key = rest[key_len..].trim_start_matches(is_re_space);
    let after_eq = after_key.strip_prefix('=')?;
    if after_eq.is_empty() {
        return None;
    }
    let trimmed = after_eq.trim_matches(is_re_space);
    let (value, value_start) = if trimmed.is_empty() {
        // `(.+?)` must take a character, so an all-blank value is its last blank.
        let last = after_eq.chars().next_back()?;
        (
            &after_eq[after_eq.len() - last.len_utf8()..],
            token.len() - last.len_utf8(),
        )
    } else {
        let lead = after_eq.len() - after_eq.trim_start_matches(is_re_space).len();
        (trimmed, token.len() - after_eq.len() + lead)
    };
    Some((key, value_start, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directive_matching_follows_the_regex() {
        assert_eq!(
            match_directive("# syntax = a/b:1 "),
            Some(("syntax", 11, "a/b:1"))
        );
        assert_eq!(match_directive("#escape=`"), Some(("escape", 8, "`")));
        assert_eq!(match_directive("# EScape=\\"), Some(("EScape", 9, "\\")));
        assert_eq!(match_directive("# escape= "), Some(("escape", 9, " ")));
        assert_eq!(match_directive("# escape="), None);
        assert_eq!(match_directive("# 1x=y"), None);
        assert_eq!(match_directive("# key-x=y"), None);
        assert_eq!(match_directive("# just a comment"), None);
    }
}
