//! Recursive-descent grammar over the pulled tokens, tolerant of broken input.
//!
//! Only simple commands are emitted; compound commands set context flags ([`Ctx`]) on the
//! commands inside them. Error recovery: every list stops at a closing token (`)`, `fi`,
//! `done`, `esac`, `}`, `;;`, `then`, …) that some enclosing construct is waiting for, and
//! reports and skips one that nobody is waiting for, so a stray `fi` costs one error, not
//! the rest of the script. Every loop consumes at least one token per round.

use super::lexer::{is_assignment, Op, PendingHeredoc, Tok};
use super::{
    Command, Operator, OperatorToken, Range, Redirect, ShellError, Word, MAX_COMMANDS, MAX_ERRORS,
    MAX_NESTING,
};

/// Extra copy budget on top of twice the text length, so small texts never hit it.
const COPY_BUDGET_EXTRA: usize = 1 << 16;

/// Context inherited by the commands parsed while it is in effect.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Ctx {
    pub(super) subshell_depth: usize,
    pub(super) in_substitution: bool,
    pub(super) in_condition: bool,
    pub(super) in_loop_or_branch: bool,
    pub(super) in_function: bool,
    pub(super) via_shell_c: bool,
}

/// Constructs that wait for a closing token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Closer {
    Paren = 0,
    Brace = 1,
    If = 2,
    Loop = 3,
    Case = 4,
}

/// Reserved words, recognised only when unquoted and in command position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kw {
    If,
    Then,
    Elif,
    Else,
    Fi,
    While,
    Until,
    Do,
    Done,
    For,
    Select,
    In,
    Case,
    Esac,
    LBrace,
    RBrace,
    Bang,
    Function,
}

impl Kw {
    fn from_word(w: &Word) -> Option<Kw> {
        if w.quoted {
            return None;
        }
        Some(match w.value.as_str() {
            "if" => Kw::If,
            "then" => Kw::Then,
            "elif" => Kw::Elif,
            "else" => Kw::Else,
            "fi" => Kw::Fi,
            "while" => Kw::While,
            "until" => Kw::Until,
            "do" => Kw::Do,
            "done" => Kw::Done,
            "for" => Kw::For,
            "select" => Kw::Select,
            "in" => Kw::In,
            "case" => Kw::Case,
            "esac" => Kw::Esac,
            "{" => Kw::LBrace,
            "}" => Kw::RBrace,
            "!" => Kw::Bang,
            "function" => Kw::Function,
            _ => return None,
        })
    }

    fn closer(self) -> Option<Closer> {
        match self {
            Kw::Then | Kw::Elif | Kw::Else | Kw::Fi => Some(Closer::If),
            Kw::Do | Kw::Done => Some(Closer::Loop),
            Kw::Esac => Some(Closer::Case),
            Kw::RBrace => Some(Closer::Brace),
            _ => None,
        }
    }

    fn starts_compound(self) -> bool {
        matches!(
            self,
            Kw::If
                | Kw::While
                | Kw::Until
                | Kw::For
                | Kw::Select
                | Kw::Case
                | Kw::LBrace
                | Kw::Function
        )
    }
}

/// What kind of token is next (a `Copy` summary, so the parser can branch without borrowing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Word,
    Op(Op),
    Redir,
    Eof,
}

/// What parsing one pipeline element produced.
enum Element {
    /// A simple command, with its index in `out` (None if dropped by the command cap).
    Simple(Option<usize>),
    /// A compound command or function definition.
    Compound,
}

pub(super) struct Parser<'a> {
    pub(super) text: &'a str,
    pub(super) bytes: &'a [u8],
    pub(super) pos: usize,
    peeked: Option<Tok>,
    /// Count of real tokens consumed, to guarantee progress.
    consumed: usize,
    /// Lexing inside `[[ … ]]`.
    pub(super) cond_mode: bool,
    pub(super) ctx: Ctx,
    /// Current recursion depth (compound commands, subshells, substitutions).
    pub(super) nest: usize,
    pub(super) shell_c_depth: usize,
    /// How many open constructs wait for each kind of closer (indexed by `Closer`).
    pub(super) expect: [u32; 5],
    pub(super) pending_heredocs: Vec<PendingHeredoc>,
    /// (heredoc id, body range) as bodies are read.
    pub(super) heredoc_bodies: Vec<(usize, Range)>,
    /// For each heredoc id: (command index in `out`, redirect index), once the command is kept.
    heredoc_slots: Vec<Option<(usize, usize)>>,
    /// `(( … ))` scans starting before this offset are known to fail.
    pub(super) arith_fail_before: usize,
    pub(super) next_pipeline: usize,
    /// Commands parsed in place (their `sh -c` strings are still to be expanded).
    pub(super) out: Vec<Command>,
    /// Commands from separately parsed text (backticks, `sh -c`), already complete and mapped.
    pub(super) nested: Vec<Command>,
    pub(super) errors: Vec<ShellError>,
    pub(super) functions: Vec<Word>,
    pub(super) operators: Vec<OperatorToken>,
    /// Record offset maps for words (used when re-lexing an `sh -c` argument).
    pub(super) record_map: bool,
    /// Re-lexing only: do not parse backtick bodies.
    pub(super) discard: bool,
    /// The `nest` of the word being re-lexed with `record_map` (its nested words are not).
    pub(super) record_nest: usize,
    /// Ranges of the re-lexed word's value that are copies of substitutions / `${…}`.
    pub(super) outer_substitutions: Vec<Range>,
    /// Bytes of `sh -c` strings that may still be re-parsed (shared by the whole analysis,
    /// so nested `sh -c "$(sh -c …)"` stays linear).
    pub(super) reparse_budget: usize,
    commands_capped: bool,
    nest_reported: bool,
    /// Bytes that substitutions may still copy into word values (see `push_raw`).
    pub(super) copy_budget: usize,
    pub(super) budget_reported: bool,
}

impl<'a> Parser<'a> {
    pub(super) fn new(text: &'a str, ctx: Ctx, nest: usize, shell_c_depth: usize) -> Self {
        Parser {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            peeked: None,
            consumed: 0,
            cond_mode: false,
            ctx,
            nest,
            shell_c_depth,
            expect: [0; 5],
            pending_heredocs: Vec::new(),
            heredoc_bodies: Vec::new(),
            heredoc_slots: Vec::new(),
            arith_fail_before: 0,
            next_pipeline: 0,
            out: Vec::new(),
            nested: Vec::new(),
            errors: Vec::new(),
            functions: Vec::new(),
            operators: Vec::new(),
            record_map: false,
            discard: false,
            record_nest: 0,
            outer_substitutions: Vec::new(),
            reparse_budget: 0,
            commands_capped: false,
            nest_reported: false,
            copy_budget: text
                .len()
                .saturating_mul(2)
                .saturating_add(COPY_BUDGET_EXTRA),
            budget_reported: false,
        }
    }

    // ----- errors and output -------------------------------------------------------------

    pub(super) fn error(&mut self, range: Range, message: impl Into<String>) {
        if self.discard {
            return;
        }
        match self.errors.len() {
            n if n < MAX_ERRORS => self.errors.push(ShellError {
                range,
                message: message.into(),
            }),
            n if n == MAX_ERRORS => self.errors.push(ShellError {
                range,
                message: "too many errors; further errors are not reported".into(),
            }),
            _ => {}
        }
    }

    /// Room for one more command? Reports the cap once.
    pub(super) fn room_for_command(&mut self, at: usize) -> bool {
        if self.out.len() + self.nested.len() < MAX_COMMANDS {
            return true;
        }
        if !self.commands_capped {
            self.commands_capped = true;
            self.error(
                at..at,
                format!("more than {MAX_COMMANDS} commands; the rest is not analysed"),
            );
        }
        false
    }

    fn push_command(&mut self, cmd: Command, heredocs: &[(usize, usize)]) -> Option<usize> {
        if !self.room_for_command(cmd.range.start) {
            return None;
        }
        let idx = self.out.len();
        for &(redir, id) in heredocs {
            if let Some(slot) = self.heredoc_slots.get_mut(id) {
                *slot = Some((idx, redir));
            }
        }
        self.out.push(cmd);
        Some(idx)
    }

    /// Record operator `op` at `range`; it follows simple command `idx` (if the element
    /// before it was a simple command that was kept).
    fn note_operator(&mut self, idx: Option<usize>, op: Operator, range: Range) {
        if let Some(c) = idx.and_then(|i| self.out.get_mut(i)) {
            c.operator_after = Some(op);
        }
        if self.operators.len() < MAX_COMMANDS && !self.discard {
            self.operators.push(OperatorToken {
                op,
                range,
                via_shell_c: self.ctx.via_shell_c,
            });
        }
    }

    fn new_pipeline(&mut self) -> usize {
        self.next_pipeline += 1;
        self.next_pipeline - 1
    }

    fn too_deep(&mut self, range: Range) {
        if !self.nest_reported {
            self.nest_reported = true;
            self.error(
                range,
                "compound commands nested too deeply; inner structure is not analysed",
            );
        }
    }

    // ----- token access --------------------------------------------------------------------

    fn fill(&mut self) {
        if self.peeked.is_none() {
            let t = self.lex_token();
            self.peeked = Some(t);
        }
    }

    fn peek_class(&mut self) -> Class {
        self.fill();
        match &self.peeked {
            Some(Tok::Word(_)) => Class::Word,
            Some(Tok::Op(op, _)) => Class::Op(*op),
            Some(Tok::Redir { .. }) => Class::Redir,
            Some(Tok::Eof(_)) | None => Class::Eof,
        }
    }

    fn peek_kw(&mut self) -> Option<Kw> {
        self.fill();
        match &self.peeked {
            Some(Tok::Word(w)) => Kw::from_word(w),
            _ => None,
        }
    }

    fn peek_range(&mut self) -> Range {
        self.fill();
        self.peeked
            .as_ref()
            .map_or(self.pos..self.pos, |t| t.range())
    }

    fn bump(&mut self) -> Tok {
        self.fill();
        let t = self.peeked.take().unwrap_or(Tok::Eof(self.text.len()));
        if !matches!(t, Tok::Eof(_)) {
            self.consumed += 1;
        }
        t
    }

    fn bump_range(&mut self) -> Range {
        self.bump().range()
    }

    fn bump_word(&mut self) -> Word {
        match self.bump() {
            Tok::Word(w) => w,
            other => Word {
                range: other.range(),
                ..Word::default()
            },
        }
    }

    /// Consume a `)` if it is next. Leaves no token cached either way (used when a `$( )`
    /// ends in the middle of lexing a word).
    pub(super) fn bump_rparen(&mut self) -> bool {
        let ok = self.peek_class() == Class::Op(Op::RParen);
        if ok {
            self.bump();
        } else {
            // Only end of input can be here (nothing else stops a `$( )` list).
            self.peeked = None;
        }
        ok
    }

    /// After a stray closing token has been reported, its `;` is not another error.
    fn skip_separator(&mut self) {
        if matches!(self.peek_class(), Class::Op(Op::Semi | Op::Amp)) {
            self.bump();
        }
    }

    fn skip_newlines(&mut self) {
        while self.peek_class() == Class::Op(Op::Newline) {
            self.bump();
        }
    }

    fn expects(&self, c: Closer) -> bool {
        self.expect[c as usize] > 0
    }

    fn open(&mut self, c: Closer) {
        self.expect[c as usize] += 1;
    }

    fn close(&mut self, c: Closer) {
        let e = &mut self.expect[c as usize];
        *e = e.saturating_sub(1);
    }

    /// Can a command start at the next token?
    fn command_can_start(&mut self) -> bool {
        match self.peek_class() {
            Class::Word => self.peek_kw().and_then(Kw::closer).is_none(),
            Class::Redir | Class::Op(Op::LParen) => true,
            _ => false,
        }
    }

    // ----- grammar -------------------------------------------------------------------------

    /// The whole input: lists until the end, skipping anything unexpected.
    pub(super) fn parse_program(&mut self) {
        loop {
            self.parse_list();
            if self.peek_class() == Class::Eof {
                break;
            }
            // Not reachable (nothing is expected at top level), but never loop forever.
            let r = self.bump_range();
            self.error(r, "unexpected token");
        }
        self.attach_heredoc_bodies();
    }

    fn attach_heredoc_bodies(&mut self) {
        for (id, body) in std::mem::take(&mut self.heredoc_bodies) {
            if let Some(Some((ci, ri))) = self.heredoc_slots.get(id).copied() {
                if let Some(r) = self.out.get_mut(ci).and_then(|c| c.redirects.get_mut(ri)) {
                    r.body = Some(body);
                }
            }
        }
    }

    /// A compound list: and-or lists separated by `;`, `&` or newlines, up to a closing token
    /// that an enclosing construct expects (or the end of input).
    pub(super) fn parse_list(&mut self) {
        let mut op_before: Option<Operator> = None;
        loop {
            match self.peek_class() {
                Class::Eof => return,
                Class::Op(Op::Newline) => {
                    self.bump();
                    continue;
                }
                Class::Op(Op::RParen) => {
                    if self.expects(Closer::Paren) {
                        return;
                    }
                    let r = self.bump_range();
                    self.error(r, "unexpected `)`");
                    self.skip_separator();
                    continue;
                }
                Class::Op(op @ (Op::DSemi | Op::SemiAmp | Op::DSemiAmp)) => {
                    if self.expects(Closer::Case) {
                        return;
                    }
                    let r = self.bump_range();
                    self.error(r, format!("unexpected `{}` outside case", op.text()));
                    continue;
                }
                Class::Op(Op::LParen) | Class::Redir => {}
                Class::Op(op) => {
                    let r = self.bump_range();
                    self.error(r, format!("unexpected `{}` (missing command)", op.text()));
                    op_before = None;
                    continue;
                }
                Class::Word => {
                    if let Some(closer) = self.peek_kw().and_then(Kw::closer) {
                        if self.expects(closer) {
                            return;
                        }
                        let r = self.bump_range();
                        let word = self.slice(r.start, r.end).to_string();
                        self.error(r, format!("unexpected `{word}`"));
                        self.skip_separator();
                        continue;
                    }
                }
            }
            let before = self.consumed;
            let last = self.parse_and_or(op_before.take());
            if self.consumed == before {
                // Safety net: never spin on a token nobody consumes.
                let r = self.bump_range();
                self.error(r, "unexpected token");
                continue;
            }
            let sep = match self.peek_class() {
                Class::Op(Op::Semi | Op::Newline) => Some(Operator::Semi),
                Class::Op(Op::Amp) => Some(Operator::Background),
                _ => None,
            };
            if let Some(sep) = sep {
                let r = self.bump_range();
                self.note_operator(last, sep, r);
                op_before = Some(sep);
            }
        }
    }

    /// Pipelines joined by `&&` / `||`. Returns the index of the last simple command.
    fn parse_and_or(&mut self, op_before: Option<Operator>) -> Option<usize> {
        let mut last = self.parse_pipeline(op_before);
        loop {
            let op = match self.peek_class() {
                Class::Op(Op::AndIf) => Operator::And,
                Class::Op(Op::OrIf) => Operator::Or,
                _ => return last,
            };
            let r = self.bump_range();
            self.note_operator(last, op, r.clone());
            self.skip_newlines();
            if !self.command_can_start() {
                let t = self.slice(r.start, r.end).to_string();
                self.error(r, format!("missing command after `{t}`"));
                return None;
            }
            last = self.parse_pipeline(Some(op));
        }
    }

    /// Commands joined by `|` / `|&`, optionally negated with `!`.
    fn parse_pipeline(&mut self, op_before: Option<Operator>) -> Option<usize> {
        let pipeline = self.new_pipeline();
        while self.peek_kw() == Some(Kw::Bang) {
            self.bump();
        }
        let mut before = op_before;
        loop {
            if !self.command_can_start() {
                let r = self.peek_range();
                self.error(r, "missing command");
                return None;
            }
            let last = match self.parse_command(pipeline, before) {
                Element::Simple(idx) => idx,
                Element::Compound => None,
            };
            let op = match self.peek_class() {
                Class::Op(Op::Pipe) => Operator::Pipe,
                Class::Op(Op::PipeAmp) => Operator::PipeErr,
                _ => return last,
            };
            let r = self.bump_range();
            self.note_operator(last, op, r.clone());
            self.skip_newlines();
            while self.peek_kw() == Some(Kw::Bang) {
                let bang = self.bump_range();
                self.error(bang, "`!` is only allowed at the start of a pipeline");
            }
            if !self.command_can_start() {
                self.error(r, "missing command after `|`");
                return None;
            }
            before = Some(op);
        }
    }

    /// One pipeline element: a compound command or a simple command.
    fn parse_command(&mut self, pipeline: usize, before: Option<Operator>) -> Element {
        let element = match self.peek_class() {
            Class::Op(Op::LParen) => {
                self.parse_paren();
                Element::Compound
            }
            Class::Word => match self.peek_kw() {
                Some(kw) if kw.starts_compound() => {
                    if self.nest >= MAX_NESTING {
                        let r = self.peek_range();
                        self.too_deep(r);
                        self.parse_simple(pipeline, before)
                    } else {
                        self.nest += 1;
                        self.parse_compound(kw);
                        self.nest -= 1;
                        Element::Compound
                    }
                }
                _ => self.parse_simple(pipeline, before),
            },
            _ => self.parse_simple(pipeline, before),
        };
        if matches!(element, Element::Compound) {
            self.parse_trailing_redirects();
        }
        element
    }

    /// Redirects after a compound command (`done < file`, `} > log`): parsed so that they
    /// are not mistaken for commands and heredoc bodies are skipped, but not reported.
    fn parse_trailing_redirects(&mut self) {
        while self.peek_class() == Class::Redir {
            let _ = self.parse_redirect();
        }
    }

    fn parse_compound(&mut self, kw: Kw) {
        match kw {
            Kw::If => self.parse_if(),
            Kw::While | Kw::Until => self.parse_while(),
            Kw::For | Kw::Select => self.parse_for(),
            Kw::Case => self.parse_case(),
            Kw::LBrace => self.parse_brace(),
            _ => self.parse_function_keyword(),
        }
    }

    /// `( … )` subshell or `(( … ))` arithmetic command.
    fn parse_paren(&mut self) {
        let open = self.peek_range();
        if self.byte_is(open.end, b'(') {
            if let Some(end) = self.scan_arith(open.end + 1) {
                // Arithmetic: no commands inside.
                self.peeked = None;
                self.consumed += 1;
                self.pos = end;
                return;
            }
        }
        self.bump();
        if self.nest >= MAX_NESTING {
            self.too_deep(open);
            self.pos = self.skip_balanced(self.pos);
            return;
        }
        let saved = self.ctx;
        self.ctx.subshell_depth += 1;
        self.nest += 1;
        self.open(Closer::Paren);
        self.parse_list();
        self.close(Closer::Paren);
        self.nest -= 1;
        if self.peek_class() == Class::Op(Op::RParen) {
            self.bump();
        } else {
            self.error(open, "unterminated `(` (missing `)`)");
        }
        self.ctx = saved;
    }

    fn byte_is(&self, i: usize, b: u8) -> bool {
        self.bytes.get(i) == Some(&b)
    }

    /// Consume reserved word `kw` if next; otherwise report `missing` at `at`.
    fn expect_kw(&mut self, kw: Kw, at: &Range, missing: &str) -> bool {
        if self.peek_kw() == Some(kw) {
            self.bump();
            true
        } else {
            self.error(at.clone(), missing.to_string());
            false
        }
    }

    fn parse_if(&mut self) {
        let at = self.bump_range();
        let saved = self.ctx;
        self.open(Closer::If);
        self.ctx.in_condition = true;
        self.parse_list();
        self.ctx = saved;
        self.expect_kw(Kw::Then, &at, "`if` without `then`");
        self.ctx.in_loop_or_branch = true;
        self.parse_list();
        loop {
            match self.peek_kw() {
                Some(Kw::Elif) => {
                    let elif = self.bump_range();
                    self.ctx = saved;
                    self.ctx.in_condition = true;
                    self.parse_list();
                    self.ctx = saved;
                    self.expect_kw(Kw::Then, &elif, "`elif` without `then`");
                    self.ctx.in_loop_or_branch = true;
                    self.parse_list();
                }
                Some(Kw::Else) => {
                    self.bump();
                    self.parse_list();
                }
                Some(Kw::Fi) => {
                    self.bump();
                    break;
                }
                _ => {
                    self.error(at, "`if` without matching `fi`");
                    break;
                }
            }
        }
        self.close(Closer::If);
        self.ctx = saved;
    }

    fn parse_while(&mut self) {
        let at = self.bump_range();
        let saved = self.ctx;
        self.open(Closer::Loop);
        self.ctx.in_condition = true;
        self.parse_list();
        self.ctx = saved;
        self.parse_do_done(&at, saved);
        self.close(Closer::Loop);
    }

    /// `do … done` of a loop (the caller has opened `Closer::Loop`).
    fn parse_do_done(&mut self, at: &Range, saved: Ctx) {
        if self.expect_kw(Kw::Do, at, "loop without `do`") {
            self.ctx.in_loop_or_branch = true;
            self.parse_list();
            self.ctx = saved;
        }
        self.expect_kw(Kw::Done, at, "loop without matching `done`");
        self.ctx = saved;
    }

    fn parse_for(&mut self) {
        let at = self.bump_range();
        let saved = self.ctx;
        match self.peek_class() {
            Class::Op(Op::LParen) => {
                // `for (( init; cond; step ))`
                let open = self.peek_range();
                match self
                    .byte_is(open.end, b'(')
                    .then(|| self.scan_arith(open.end + 1))
                    .flatten()
                {
                    Some(end) => {
                        self.peeked = None;
                        self.consumed += 1;
                        self.pos = end;
                    }
                    None => {
                        self.error(at.clone(), "malformed `for ((…))`");
                        self.bump();
                    }
                }
            }
            Class::Word => {
                self.bump();
            }
            _ => self.error(at.clone(), "`for` without a variable name"),
        }
        self.skip_newlines();
        if self.peek_kw() == Some(Kw::In) {
            self.bump();
            while self.peek_class() == Class::Word {
                self.bump();
            }
        }
        if self.peek_class() == Class::Op(Op::Semi) {
            self.bump();
        }
        self.skip_newlines();
        self.open(Closer::Loop);
        self.parse_do_done(&at, saved);
        self.close(Closer::Loop);
    }

    fn parse_case(&mut self) {
        let at = self.bump_range();
        let saved = self.ctx;
        if self.peek_class() == Class::Word {
            self.bump();
        } else {
            self.error(at.clone(), "`case` without a word");
        }
        self.skip_newlines();
        if self.peek_kw() == Some(Kw::In) {
            self.bump();
        } else {
            self.error(at.clone(), "`case` without `in`");
            if self.peek_class() != Class::Word {
                return;
            }
        }
        self.open(Closer::Case);
        loop {
            self.skip_newlines();
            match self.peek_class() {
                Class::Word if self.peek_kw() == Some(Kw::Esac) => {
                    self.bump();
                    break;
                }
                // A closer some enclosing construct waits for (`fi`, `done`, `}`): the
                // `esac` is missing; do not eat the closer as a pattern.
                Class::Word
                    if self
                        .peek_kw()
                        .and_then(Kw::closer)
                        .is_some_and(|c| self.expects(c)) =>
                {
                    self.error(at.clone(), "`case` without matching `esac`");
                    break;
                }
                Class::Word => {}
                Class::Op(Op::LParen) => {
                    self.bump();
                }
                _ => {
                    self.error(at.clone(), "`case` without matching `esac`");
                    break;
                }
            }
            // Patterns: word (| word)* )
            let mut ok = false;
            while self.peek_class() == Class::Word {
                self.bump();
                ok = true;
                if self.peek_class() == Class::Op(Op::Pipe) {
                    self.bump();
                } else {
                    break;
                }
            }
            if !ok || self.peek_class() != Class::Op(Op::RParen) {
                let r = self.peek_range();
                self.error(r, "expected `)` after case pattern");
                if !ok {
                    break;
                }
            } else {
                self.bump();
            }
            self.ctx.in_loop_or_branch = true;
            self.parse_list();
            self.ctx = saved;
            if matches!(
                self.peek_class(),
                Class::Op(Op::DSemi | Op::SemiAmp | Op::DSemiAmp)
            ) {
                self.bump();
            }
        }
        self.close(Closer::Case);
        self.ctx = saved;
    }

    fn parse_brace(&mut self) {
        let at = self.bump_range();
        self.open(Closer::Brace);
        self.parse_list();
        self.close(Closer::Brace);
        self.expect_kw(Kw::RBrace, &at, "`{` without matching `}`");
    }

    /// `function name [()] body` (bash).
    fn parse_function_keyword(&mut self) {
        let at = self.bump_range();
        if self.peek_class() == Class::Word {
            let name = self.bump_word();
            self.functions.push(name);
        } else {
            self.error(at.clone(), "`function` without a name");
        }
        if self.peek_class() == Class::Op(Op::LParen) {
            self.bump();
            if self.peek_class() == Class::Op(Op::RParen) {
                self.bump();
            } else {
                self.error(at.clone(), "expected `()` after function name");
            }
        }
        self.parse_function_body(&at);
    }

    fn parse_function_body(&mut self, at: &Range) {
        self.skip_newlines();
        if !self.command_can_start() {
            self.error(at.clone(), "function without a body");
            return;
        }
        if self.nest >= MAX_NESTING {
            // The body is left for the enclosing list to parse as ordinary commands.
            self.too_deep(at.clone());
            return;
        }
        let saved = self.ctx;
        self.ctx.in_function = true;
        self.nest += 1;
        let pipeline = self.new_pipeline();
        let _ = self.parse_command(pipeline, None);
        self.nest -= 1;
        self.ctx = saved;
    }

    /// A simple command (or a `name() body` function definition, detected after its name).
    fn parse_simple(&mut self, pipeline: usize, before: Option<Operator>) -> Element {
        let ctx = self.ctx;
        let mut cmd = Command {
            operator_before: before,
            pipeline,
            subshell_depth: ctx.subshell_depth,
            in_substitution: ctx.in_substitution,
            in_condition: ctx.in_condition,
            in_loop_or_branch: ctx.in_loop_or_branch,
            in_function: ctx.in_function,
            via_shell_c: ctx.via_shell_c,
            ..Command::default()
        };
        let mut heredocs: Vec<(usize, usize)> = Vec::new();
        let mut span: Option<Range> = None;
        let mut cover = |r: &Range| {
            span = Some(match span.take() {
                Some(s) => s.start.min(r.start)..s.end.max(r.end),
                None => r.clone(),
            });
        };
        loop {
            match self.peek_class() {
                Class::Word => {
                    let w = self.bump_word();
                    cover(&w.range);
                    if cmd.words.is_empty() && is_assignment(self.slice(w.range.start, w.range.end))
                    {
                        cmd.assignments.push(w);
                        continue;
                    }
                    let first = cmd.words.is_empty();
                    let dbracket = first && !w.quoted && w.value == "[[";
                    let at = w.range.clone();
                    cmd.words.push(w);
                    if dbracket {
                        if let Some(end) = self.lex_cond_words(&mut cmd.words, &at) {
                            cover(&(at.start..end));
                        }
                    } else if first
                        && cmd.assignments.is_empty()
                        && cmd.redirects.is_empty()
                        && self.peek_class() == Class::Op(Op::LParen)
                        && self.empty_parens_next()
                    {
                        return self.parse_function_def(cmd.words, &at);
                    }
                }
                Class::Redir => {
                    let (r, id) = self.parse_redirect();
                    cover(&r.range);
                    if let Some(id) = id {
                        heredocs.push((cmd.redirects.len(), id));
                    }
                    cmd.redirects.push(r);
                }
                Class::Op(Op::LParen) => {
                    let r = self.peek_range();
                    self.error(r, "unexpected `(` after command words");
                    break;
                }
                _ => break,
            }
        }
        let Some(range) = span else {
            return Element::Simple(None);
        };
        cmd.range = range;
        Element::Simple(self.push_command(cmd, &heredocs))
    }

    /// Whether the `(` token just peeked is followed by `)` (blanks between allowed): the
    /// `()` of a function definition, as opposed to a misplaced subshell.
    fn empty_parens_next(&mut self) -> bool {
        let mut i = self.peek_range().end;
        while matches!(self.bytes.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        self.byte_is(i, b')')
    }

    /// `name ( ) body`; the name has been read and `(` is next.
    fn parse_function_def(&mut self, mut words: Vec<Word>, at: &Range) -> Element {
        self.bump();
        if self.peek_class() == Class::Op(Op::RParen) {
            self.bump();
        } else {
            self.error(at.clone(), "expected `()` after function name");
        }
        if let Some(name) = words.pop() {
            self.functions.push(name);
        }
        self.parse_function_body(at);
        Element::Compound
    }

    /// Words of `[[ … ]]` up to and including `]]`, lexed with `&&`, `||`, `<`, `(` … as
    /// operands. Returns the end offset of the last word read.
    fn lex_cond_words(&mut self, words: &mut Vec<Word>, at: &Range) -> Option<usize> {
        let mut end = None;
        self.cond_mode = true;
        loop {
            match self.peek_class() {
                Class::Word => {
                    let w = self.bump_word();
                    end = Some(w.range.end);
                    let close = !w.quoted && w.value == "]]";
                    words.push(w);
                    if close {
                        break;
                    }
                }
                Class::Op(Op::Newline) => {
                    self.bump();
                }
                _ => {
                    self.error(at.clone(), "`[[` without matching `]]`");
                    break;
                }
            }
        }
        self.cond_mode = false;
        end
    }

    /// A redirection; registers heredocs. Returns the heredoc id if it is one.
    fn parse_redirect(&mut self) -> (Redirect, Option<usize>) {
        let (range, fd, op) = match self.bump() {
            Tok::Redir { range, fd, op } => (range, fd, op),
            other => (other.range(), None, ">"),
        };
        let target = if self.peek_class() == Class::Word {
            Some(self.bump_word())
        } else {
            self.error(range.clone(), format!("`{op}` without a target"));
            None
        };
        let end = target.as_ref().map_or(range.end, |t| t.range.end);
        let mut heredoc = None;
        if let (Some(t), "<<" | "<<-") = (&target, op) {
            let id = self.heredoc_slots.len();
            self.heredoc_slots.push(None);
            self.pending_heredocs.push(PendingHeredoc {
                id,
                delim: t.value.clone(),
                strip_tabs: op == "<<-",
                delim_range: t.range.clone(),
            });
            heredoc = Some(id);
        }
        let redirect = Redirect {
            range: range.start..end,
            fd,
            op: op.to_string(),
            target,
            body: None,
        };
        (redirect, heredoc)
    }
}
