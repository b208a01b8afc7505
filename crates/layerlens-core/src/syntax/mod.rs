//! Lossless, tolerant Dockerfile syntax faithful to BuildKit's parser.
//!
//! [`parse`] splits any text into top-level [`Node`]s that cover every byte in order
//! (byte-order mark, directives, comments, blank lines, instructions). An instruction in
//! turn is split into [`Piece`]s (its physical lines, comment and blank lines inside a
//! continuation, heredoc bodies and terminators), so [`Document::print`] gives the input
//! back byte for byte. What BuildKit sees (the continuation-joined line, keyword, flags,
//! arguments, heredocs) is kept beside it, each part with its exact source span.
//!
//! Errors never stop the parse: each becomes a [`ParseError`] with a span and the rest of
//! the file is still parsed.

mod command;
pub mod dump;
mod json;
mod keyword;
pub mod lex;
mod lines;
mod logical;
mod parser;

pub use keyword::Keyword;
pub use logical::LogicalLine;
pub use parser::parse;

use crate::text::Span;

/// A parsed Dockerfile.
#[derive(Clone, Debug)]
pub struct Document {
    pub text: String,
    /// Top-level nodes; their spans partition `text`.
    pub nodes: Vec<Node>,
    /// Instructions in source order (nodes refer to them by index).
    pub instructions: Vec<Instruction>,
    pub directives: Directives,
    /// Errors BuildKit's parser (the first of its three layers) would raise.
    pub errors: Vec<ParseError>,
}

impl Document {
    /// Prints the tree back: the exact input.
    pub fn print(&self) -> String {
        let mut out = String::with_capacity(self.text.len());
        for node in &self.nodes {
            match node.kind {
                NodeKind::Instruction(i) => {
                    for piece in &self.instructions[i].pieces {
                        out.push_str(piece.span.slice(&self.text));
                    }
                }
                _ => out.push_str(node.span.slice(&self.text)),
            }
        }
        out
    }

    /// The text of a span of this document.
    pub fn slice(&self, span: Span) -> &str {
        span.slice(&self.text)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// A UTF-8 byte-order mark at the very start.
    ByteOrderMark,
    /// A recognised parser directive line (`# escape=\``).
    Directive,
    /// A comment line (including `#` lines after the directive block).
    Comment,
    /// An empty or whitespace-only line.
    Blank,
    /// An instruction, by index into [`Document::instructions`].
    Instruction(usize),
}

/// The parser directives in effect (`syntax`, `escape`, `check`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directives {
    /// The escape character: `\` unless `# escape=\``.
    pub escape: char,
    pub syntax: Option<Directive>,
    pub check: Option<Directive>,
    pub escape_directive: Option<Directive>,
}

impl Default for Directives {
    fn default() -> Self {
        Directives {
            escape: '\\',
            syntax: None,
            check: None,
            escape_directive: None,
        }
    }
}

/// One directive line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// The whole value as written (`docker/dockerfile:1.4 // comment`).
    pub full: String,
    /// The value BuildKit uses: the text up to the first space.
    pub value: String,
    /// Span of the whole directive line (without the newline).
    pub span: Span,
    /// Span of the value text.
    pub value_span: Span,
}

/// A parse error with the span it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub span: Span,
    pub message: String,
}

/// One instruction: everything BuildKit reads as one node, with its source layout.
#[derive(Clone, Debug)]
pub struct Instruction {
    /// From the start of the first line to the end of the last consumed line (newline included).
    pub span: Span,
    /// 1-based line numbers as BuildKit reports them (heredoc bodies included).
    pub start_line: usize,
    pub end_line: usize,
    /// The continuation-joined text BuildKit parses.
    pub line: LogicalLine,
    /// Keyword, flags and arguments parsed from `line`.
    pub command: Command,
    pub heredocs: Vec<Heredoc>,
    /// Comment lines right before the instruction (BuildKit's `PrevComment`).
    pub comments: Vec<String>,
    /// The physical layout; the spans partition `span`.
    pub pieces: Vec<Piece>,
    /// Whether whitespace-only lines occur inside the continuation.
    pub has_empty_continuation_line: bool,
}

impl Instruction {
    pub fn keyword(&self) -> Keyword {
        self.command.keyword
    }

    /// BuildKit's `Original`: the joined line.
    pub fn original(&self) -> &str {
        self.line.as_str()
    }

    /// The command an ONBUILD wraps, or the command itself.
    pub fn effective_command(&self) -> &Command {
        match &self.command.args {
            Args::OnBuild(inner) => inner,
            _ => &self.command,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Piece {
    pub kind: PieceKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PieceKind {
    /// A line that contributes text to the joined line.
    Line,
    /// A comment line inside a continuation (skipped by BuildKit).
    ContinuationComment,
    /// A whitespace-only line inside a continuation (skipped, with a warning).
    EmptyContinuationLine,
    /// A line of the body of the heredoc with this index.
    HeredocBody(usize),
    /// The terminator line of the heredoc with this index.
    HeredocEnd(usize),
}

/// A piece of the joined line: its value and where it came from.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Text {
    /// The value BuildKit's parser produces (quotes are kept where BuildKit keeps them).
    pub value: String,
    /// Source span.
    pub span: Span,
    /// Range in the joined line ([`Instruction::line`]).
    pub logical: Span,
}

/// A keyword with its flags and arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    pub keyword: Keyword,
    /// The keyword as written.
    pub keyword_text: Text,
    pub flags: Vec<Flag>,
    /// Everything after the flags (trimmed).
    pub rest: Text,
    pub args: Args,
}

impl Command {
    /// Whether the arguments are in JSON (exec) form.
    pub fn is_json(&self) -> bool {
        match &self.args {
            Args::Exec(_) => true,
            Args::Health { command, .. } => matches!(**command, Args::Exec(_)),
            _ => false,
        }
    }

    /// The first flag named `name` (without `--`).
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name() == name)
    }
}

/// A `--name=value` word before the arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    /// The flag as BuildKit extracts it: quotes removed, escapes processed (`--from=build`).
    pub text: Text,
}

impl Flag {
    /// Name without the leading dashes (`from`).
    pub fn name(&self) -> &str {
        let body = self.text.value.trim_start_matches('-');
        body.split_once('=').map_or(body, |(name, _)| name)
    }

    /// The value after `=`, if any.
    pub fn value(&self) -> Option<&str> {
        self.text.value.split_once('=').map(|(_, value)| value)
    }
}

/// Arguments, shaped by the per-instruction parser BuildKit dispatches to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Args {
    /// No arguments.
    Empty,
    /// JSON (exec) form: the decoded strings, each with the span of its JSON token.
    Exec(Vec<Text>),
    /// One string: shell form of RUN/CMD/ENTRYPOINT/SHELL, or USER/WORKDIR/... text.
    Shell(Text),
    /// Whitespace-separated words (FROM, EXPOSE, COPY/ADD/VOLUME shell form) or ARG words.
    Words(Vec<Text>),
    /// ENV/LABEL pairs.
    Pairs(Vec<Pair>),
    /// HEALTHCHECK: the type word (`CMD`, `NONE`) and the command.
    Health { kind: Text, command: Box<Args> },
    /// ONBUILD's trigger, parsed like a line of its own.
    OnBuild(Box<Command>),
    /// An unknown instruction: BuildKit keeps one empty value.
    Ignored,
    /// BuildKit's parser rejected the arguments (see the document's errors).
    Invalid,
}

/// One ENV/LABEL assignment; quotes are kept, as in BuildKit's tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    pub key: Text,
    pub value: Text,
    /// Legacy `ENV key value` form (separator `""` in BuildKit's dump).
    pub legacy: bool,
}

/// A heredoc attached to RUN/COPY/ADD.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    pub name: String,
    pub file_descriptor: u32,
    /// False when any part of the delimiter was quoted.
    pub expand: bool,
    /// `<<-`: leading tabs are stripped by consumers.
    pub chomp: bool,
    /// The body as written, line endings included; not chomped.
    pub content: String,
    /// Span of the `<<EOF` word in the source.
    pub word: Span,
    /// Span of the body lines.
    pub body: Span,
    /// Span of the terminator line (newline included); `None` when unterminated.
    pub terminator: Option<Span>,
}

impl Heredoc {
    /// The content with leading tabs removed when the heredoc chomps (`<<-`).
    pub fn chomped_content(&self) -> String {
        if !self.chomp {
            return self.content.clone();
        }
        self.content
            .split_inclusive('\n')
            .map(|line| line.trim_start_matches('\t'))
            .collect()
    }
}
