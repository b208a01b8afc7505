//! Tokens, words and quoting.
//!
//! The lexer is a set of methods on [`Parser`] rather than a separate pass because shell
//! lexing depends on parsing: `$( … )` holds a whole command list (with `case` patterns whose
//! `)` do not close it), `[[ … ]]` changes which characters are operators, and heredoc bodies
//! start at the next newline *token*. Lexing is pulled one token at a time by the parser.
//!
//! Scanning works on bytes; every syntax character is ASCII, so a multi-byte UTF-8 character
//! can never be mistaken for one, and slices are only taken at ASCII positions or the end.

use super::offset_map::OffsetMap;
use super::parser::{Closer, Parser};
use super::{Range, Word, MAX_NESTING};

/// Operator tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Op {
    AndIf,
    OrIf,
    Semi,
    DSemi,
    SemiAmp,
    DSemiAmp,
    Pipe,
    PipeAmp,
    Amp,
    LParen,
    RParen,
    Newline,
}

impl Op {
    pub(super) fn text(self) -> &'static str {
        match self {
            Op::AndIf => "&&",
            Op::OrIf => "||",
            Op::Semi => ";",
            Op::DSemi => ";;",
            Op::SemiAmp => ";&",
            Op::DSemiAmp => ";;&",
            Op::Pipe => "|",
            Op::PipeAmp => "|&",
            Op::Amp => "&",
            Op::LParen => "(",
            Op::RParen => ")",
            Op::Newline => "newline",
        }
    }
}

#[derive(Clone, Debug)]
pub(super) enum Tok {
    Word(Word),
    Op(Op, Range),
    Redir {
        range: Range,
        fd: Option<u32>,
        op: &'static str,
    },
    Eof(usize),
}

impl Tok {
    pub(super) fn range(&self) -> Range {
        match self {
            Tok::Word(w) => w.range.clone(),
            Tok::Op(_, r) | Tok::Redir { range: r, .. } => r.clone(),
            Tok::Eof(p) => *p..*p,
        }
    }
}

/// A heredoc whose body starts after the next newline token.
#[derive(Clone, Debug)]
pub(super) struct PendingHeredoc {
    pub(super) id: usize,
    pub(super) delim: String,
    pub(super) strip_tabs: bool,
    pub(super) delim_range: Range,
}

/// A word being built: its value after quote removal and, when asked for, where each part
/// of the value came from (for `sh -c` strings).
pub(super) struct WordBuf {
    value: String,
    quoted: bool,
    has_expansion: bool,
    open_bracket: bool,
    map: Option<OffsetMap>,
}

impl WordBuf {
    fn new(record: bool, origin: usize) -> Self {
        WordBuf {
            value: String::new(),
            quoted: false,
            has_expansion: false,
            open_bracket: false,
            map: record.then(|| OffsetMap::new(origin)),
        }
    }

    /// Text copied verbatim from `outer`.
    fn linear(&mut self, s: &str, outer: usize) {
        if let Some(m) = &mut self.map {
            m.linear(self.value.len(), outer, s.len());
        }
        self.value.push_str(s);
    }

    /// A character produced by the escape sequence at `outer..outer + outer_len`.
    fn atom(&mut self, c: char, outer: usize, outer_len: usize) {
        if let Some(m) = &mut self.map {
            m.atom(self.value.len(), c.len_utf8(), outer, outer_len);
        }
        self.value.push(c);
    }
}

const BLANK: &[u8] = b" \t\r";

impl<'a> Parser<'a> {
    /// `text[a..b]`, or "" if that is not a valid slice (never panics).
    pub(super) fn slice(&self, a: usize, b: usize) -> &'a str {
        self.text.get(a..b).unwrap_or("")
    }

    fn byte(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    /// Position of the next `needle` at or after `from`, or the end of the text.
    fn find_byte(&self, from: usize, needle: u8) -> Option<usize> {
        self.bytes
            .get(from..)
            .and_then(|rest| rest.iter().position(|&b| b == needle))
            .map(|i| from + i)
    }

    /// The length of the character starting at `i` (1 if `i` is not a char boundary).
    fn char_len_at(&self, i: usize) -> usize {
        self.text
            .get(i..)
            .and_then(|t| t.chars().next())
            .map_or(1, char::len_utf8)
    }

    /// Blanks and line continuations between tokens.
    fn skip_blanks(&mut self) {
        loop {
            match self.byte(self.pos) {
                Some(b) if BLANK.contains(&b) => self.pos += 1,
                Some(b'\\') => match (self.byte(self.pos + 1), self.byte(self.pos + 2)) {
                    (Some(b'\n'), _) => self.pos += 2,
                    (Some(b'\r'), Some(b'\n')) => self.pos += 3,
                    _ => return,
                },
                _ => return,
            }
        }
    }

    /// The next token. `cond_mode` is set by the parser inside `[[ … ]]`.
    pub(super) fn lex_token(&mut self) -> Tok {
        loop {
            self.skip_blanks();
            let start = self.pos;
            let Some(b) = self.byte(start) else {
                return Tok::Eof(self.text.len());
            };
            match b {
                // A comment runs to the end of the line; the newline stays a token.
                b'#' => {
                    self.pos = self.find_byte(start, b'\n').unwrap_or(self.text.len());
                    continue;
                }
                b'\n' => {
                    self.pos += 1;
                    if !self.pending_heredocs.is_empty() {
                        self.read_heredoc_bodies();
                    }
                    return Tok::Op(Op::Newline, start..start + 1);
                }
                _ => {}
            }
            if self.cond_mode {
                // Inside `[[ ]]`, `&&`, `||`, `<`, `(` … are operands, not shell operators.
                let two = (self.byte(start + 1), b);
                // `]]` ends the condition even when glued to an operator: `$([[ -n $x ]])`.
                let closes = two == (Some(b']'), b']')
                    && self
                        .byte(start + 2)
                        .is_none_or(|c| b" \t\r\n;&|()<>".contains(&c));
                if closes || two == (Some(b'&'), b'&') || two == (Some(b'|'), b'|') {
                    self.pos += 2;
                    return Tok::Word(Word {
                        range: start..start + 2,
                        value: self.slice(start, start + 2).to_string(),
                        quoted: false,
                        has_expansion: false,
                    });
                }
                if b == b';' || b == b'&' {
                    return self.lex_operator();
                }
                return Tok::Word(self.lex_word(true).0);
            }
            return match b {
                b';' | b'&' | b'|' | b'(' | b')' => self.lex_operator(),
                b'<' | b'>' if self.byte(start + 1) == Some(b'(') => {
                    Tok::Word(self.lex_word(false).0)
                }
                b'<' | b'>' => self.lex_redirect(None, start),
                b'0'..=b'9' => {
                    let mut end = start;
                    while matches!(self.byte(end), Some(b'0'..=b'9')) {
                        end += 1;
                    }
                    if matches!(self.byte(end), Some(b'<' | b'>')) {
                        let fd = self.slice(start, end).parse::<u32>().ok();
                        self.pos = end;
                        self.lex_redirect(fd, start)
                    } else {
                        Tok::Word(self.lex_word(false).0)
                    }
                }
                _ => Tok::Word(self.lex_word(false).0),
            };
        }
    }

    fn lex_operator(&mut self) -> Tok {
        let start = self.pos;
        let n1 = self.byte(start + 1);
        let n2 = self.byte(start + 2);
        let (op, len) = match self.byte(start) {
            Some(b';') => match (n1, n2) {
                (Some(b';'), Some(b'&')) => (Op::DSemiAmp, 3),
                (Some(b';'), _) => (Op::DSemi, 2),
                (Some(b'&'), _) => (Op::SemiAmp, 2),
                _ => (Op::Semi, 1),
            },
            Some(b'&') => match (n1, n2) {
                (Some(b'&'), _) => (Op::AndIf, 2),
                (Some(b'>'), Some(b'>')) => {
                    self.pos += 3;
                    return Tok::Redir {
                        range: start..start + 3,
                        fd: None,
                        op: "&>>",
                    };
                }
                (Some(b'>'), _) => {
                    self.pos += 2;
                    return Tok::Redir {
                        range: start..start + 2,
                        fd: None,
                        op: "&>",
                    };
                }
                _ => (Op::Amp, 1),
            },
            Some(b'|') => match n1 {
                Some(b'|') => (Op::OrIf, 2),
                Some(b'&') => (Op::PipeAmp, 2),
                _ => (Op::Pipe, 1),
            },
            Some(b'(') => (Op::LParen, 1),
            _ => (Op::RParen, 1),
        };
        self.pos = start + len;
        Tok::Op(op, start..start + len)
    }

    /// A redirection operator at `self.pos` (after any fd digits, which start at `start`).
    fn lex_redirect(&mut self, fd: Option<u32>, start: usize) -> Tok {
        let p = self.pos;
        let n1 = self.byte(p + 1);
        let n2 = self.byte(p + 2);
        let (op, len) = match self.byte(p) {
            Some(b'<') => match (n1, n2) {
                (Some(b'<'), Some(b'<')) => ("<<<", 3),
                (Some(b'<'), Some(b'-')) => ("<<-", 3),
                (Some(b'<'), _) => ("<<", 2),
                (Some(b'&'), _) => ("<&", 2),
                (Some(b'>'), _) => ("<>", 2),
                _ => ("<", 1),
            },
            _ => match n1 {
                Some(b'>') => (">>", 2),
                Some(b'&') => (">&", 2),
                Some(b'|') => (">|", 2),
                _ => (">", 1),
            },
        };
        self.pos = p + len;
        Tok::Redir {
            range: start..self.pos,
            fd,
            op,
        }
    }

    /// Read the bodies of pending heredocs; `self.pos` is just after a newline.
    fn read_heredoc_bodies(&mut self) {
        let len = self.text.len();
        for h in std::mem::take(&mut self.pending_heredocs) {
            let body_start = self.pos;
            loop {
                let line_start = self.pos;
                if line_start >= len {
                    self.error(
                        h.delim_range.clone(),
                        format!(
                            "here-document delimited by end of input (wanted `{}`)",
                            h.delim
                        ),
                    );
                    self.heredoc_bodies.push((h.id, body_start..len));
                    break;
                }
                let line_end = self.find_byte(line_start, b'\n').unwrap_or(len);
                let line = self.slice(line_start, line_end);
                let line = line.strip_suffix('\r').unwrap_or(line);
                let line = if h.strip_tabs {
                    line.trim_start_matches('\t')
                } else {
                    line
                };
                self.pos = (line_end + 1).min(len);
                if line == h.delim {
                    self.heredoc_bodies.push((h.id, body_start..line_start));
                    break;
                }
            }
        }
    }

    /// A word starting at `self.pos`. Also returns the offset map when `record_map` is set.
    pub(super) fn lex_word(&mut self, cond: bool) -> (Word, Option<OffsetMap>) {
        let start = self.pos;
        let mut wb = WordBuf::new(self.record_map, start);
        // Process substitution `<( … )` / `>( … )` (bash) is a word of its own.
        if !cond
            && matches!(self.byte(start), Some(b'<' | b'>'))
            && self.byte(start + 1) == Some(b'(')
        {
            self.lex_cmd_subst(&mut wb, 2);
        }
        while let Some(b) = self.byte(self.pos) {
            match b {
                b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' => break,
                b'|' | b'<' | b'>' | b')' if !cond => break,
                b'(' if !cond => {
                    // `NAME=( … )` array assignment: the parenthesised list is part of the word.
                    if is_array_assignment_prefix(self.slice(start, self.pos)) {
                        let open = self.pos;
                        self.pos = self.skip_balanced(open + 1);
                        let t = self.slice(open, self.pos);
                        wb.linear(t, open);
                        continue;
                    }
                    break;
                }
                b'\\' => self.lex_backslash(&mut wb),
                b'\'' => self.lex_single_quote(&mut wb),
                b'"' => self.lex_double_quote(&mut wb),
                b'$' => self.lex_dollar(&mut wb, false),
                b'`' => self.lex_backtick(&mut wb, false),
                _ => self.lex_plain_run(&mut wb, cond),
            }
        }
        let WordBuf {
            value,
            quoted,
            has_expansion,
            map,
            ..
        } = wb;
        let word = Word {
            range: start..self.pos,
            value,
            quoted,
            has_expansion,
        };
        (word, map)
    }

    /// Copy the raw text of a substitution or `${…}` (`s..e`) into a word's value. Nested
    /// substitutions copy the same text once per level, so a budget (set per parse, a small
    /// multiple of the text length) keeps pathological nesting from using memory
    /// proportional to depth × length; past it the value holds `…` instead.
    ///
    /// While re-lexing an `sh -c` argument, the value ranges these copies occupy are noted:
    /// the outer shell runs those substitutions itself (see `shell_c::expand_shell_c`).
    fn push_raw(&mut self, wb: &mut WordBuf, s: usize, e: usize) {
        if wb.map.is_some() && self.nest == self.record_nest {
            let at = wb.value.len();
            self.push_raw_inner(wb, s, e);
            self.outer_substitutions.push(at..wb.value.len());
        } else {
            self.push_raw_inner(wb, s, e);
        }
    }

    fn push_raw_inner(&mut self, wb: &mut WordBuf, s: usize, e: usize) {
        let t = self.slice(s, e);
        if t.len() <= self.copy_budget {
            self.copy_budget -= t.len();
            wb.linear(t, s);
        } else {
            if !self.budget_reported {
                self.budget_reported = true;
                self.error(s..e, "substitutions nested too heavily; word value elided");
            }
            wb.atom('…', s, t.len());
        }
    }

    /// Unquoted ordinary characters; notes globs.
    fn lex_plain_run(&mut self, wb: &mut WordBuf, cond: bool) {
        let start = self.pos;
        while let Some(b) = self.byte(self.pos) {
            let stop = match b {
                b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'\\' | b'\'' | b'"' | b'$' | b'`' => {
                    true
                }
                b'|' | b'<' | b'>' | b'(' | b')' => !cond,
                _ => false,
            };
            if stop {
                break;
            }
            match b {
                b'*' | b'?' => wb.has_expansion = true,
                b'[' => wb.open_bracket = true,
                b']' if wb.open_bracket => wb.has_expansion = true,
                _ => {}
            }
            self.pos += 1;
        }
        if self.pos == start {
            // Not reachable from `lex_word`; guarantees progress anyway.
            self.pos = start + self.char_len_at(start);
        }
        let t = self.slice(start, self.pos);
        wb.linear(t, start);
    }

    fn lex_backslash(&mut self, wb: &mut WordBuf) {
        let s = self.pos;
        match (self.byte(s + 1), self.byte(s + 2)) {
            (None, _) => {
                wb.linear("\\", s);
                self.pos += 1;
            }
            // Line continuation: removed entirely.
            (Some(b'\n'), _) => self.pos += 2,
            (Some(b'\r'), Some(b'\n')) => self.pos += 3,
            _ => {
                let len = self.char_len_at(s + 1);
                if let Some(c) = self.slice(s + 1, s + 1 + len).chars().next() {
                    wb.atom(c, s, 1 + len);
                }
                wb.quoted = true;
                self.pos = s + 1 + len;
            }
        }
    }

    pub(super) fn lex_single_quote(&mut self, wb: &mut WordBuf) {
        let s = self.pos;
        wb.quoted = true;
        let end = match self.find_byte(s + 1, b'\'') {
            Some(e) => e,
            None => {
                self.error(s..self.text.len(), "unterminated single quote");
                self.text.len()
            }
        };
        let t = self.slice(s + 1, end);
        wb.linear(t, s + 1);
        self.pos = (end + 1).min(self.text.len());
    }

    pub(super) fn lex_double_quote(&mut self, wb: &mut WordBuf) {
        let s = self.pos;
        wb.quoted = true;
        self.pos += 1;
        loop {
            let p = self.pos;
            match self.byte(p) {
                None => {
                    self.error(s..self.text.len(), "unterminated double quote");
                    return;
                }
                Some(b'"') => {
                    self.pos += 1;
                    return;
                }
                Some(b'\\') => match self.byte(p + 1) {
                    Some(c @ (b'"' | b'\\' | b'$' | b'`')) => {
                        wb.atom(char::from(c), p, 2);
                        self.pos += 2;
                    }
                    Some(b'\n') => self.pos += 2,
                    _ => {
                        wb.linear("\\", p);
                        self.pos += 1;
                    }
                },
                Some(b'$') => self.lex_dollar(wb, true),
                Some(b'`') => self.lex_backtick(wb, true),
                Some(_) => {
                    while let Some(b) = self.byte(self.pos) {
                        if matches!(b, b'"' | b'\\' | b'$' | b'`') {
                            break;
                        }
                        self.pos += 1;
                    }
                    let t = self.slice(p, self.pos);
                    wb.linear(t, p);
                }
            }
        }
    }

    /// `$…` in any form; `self.pos` is at the `$`.
    fn lex_dollar(&mut self, wb: &mut WordBuf, in_dquote: bool) {
        let s = self.pos;
        match self.byte(s + 1) {
            Some(b'(') => {
                if self.byte(s + 2) == Some(b'(') {
                    if let Some(end) = self.scan_arith(s + 3) {
                        self.pos = end;
                        self.push_raw(wb, s, end);
                        wb.has_expansion = true;
                        return;
                    }
                }
                self.lex_cmd_subst(wb, 2);
            }
            Some(b'{') => self.lex_param_braces(wb, in_dquote),
            Some(b'\'') if !in_dquote => self.lex_ansi_c(wb),
            Some(b'"') if !in_dquote => {
                // `$"…"` (locale translation) behaves like "…".
                self.pos += 1;
                self.lex_double_quote(wb);
            }
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                let mut e = s + 1;
                while matches!(self.byte(e), Some(c) if c.is_ascii_alphanumeric() || c == b'_') {
                    e += 1;
                }
                self.pos = e;
                let t = self.slice(s, e);
                wb.linear(t, s);
                wb.has_expansion = true;
            }
            Some(c) if c.is_ascii_digit() || b"@*#?-$!".contains(&c) => {
                self.pos = s + 2;
                let t = self.slice(s, s + 2);
                wb.linear(t, s);
                wb.has_expansion = true;
            }
            _ => {
                self.pos = s + 1;
                wb.linear("$", s);
            }
        }
    }

    /// `${ … }`, kept literally; substitutions inside are still analysed.
    fn lex_param_braces(&mut self, wb: &mut WordBuf, in_dquote: bool) {
        let s = self.pos;
        self.pos += 2;
        let mut depth = 1usize;
        let mut scratch = WordBuf::new(false, s);
        loop {
            let p = self.pos;
            match self.byte(p) {
                None => {
                    self.error(s..self.text.len(), "unterminated `${`");
                    break;
                }
                Some(b'}') => {
                    self.pos += 1;
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                Some(b'$') if self.byte(p + 1) == Some(b'{') => {
                    self.pos += 2;
                    depth += 1;
                }
                Some(b'$') => self.lex_dollar(&mut scratch, in_dquote),
                Some(b'`') => self.lex_backtick(&mut scratch, in_dquote),
                Some(b'"') => self.lex_double_quote(&mut scratch),
                Some(b'\'') if !in_dquote => self.lex_single_quote(&mut scratch),
                Some(b'\\') => {
                    self.pos += 1;
                    if self.byte(self.pos).is_some_and(|b| b.is_ascii()) {
                        self.pos += 1;
                    }
                }
                Some(_) => self.pos += 1,
            }
        }
        self.push_raw(wb, s, self.pos);
        wb.has_expansion = true;
    }

    /// `$'…'` with ANSI-C escapes decoded.
    fn lex_ansi_c(&mut self, wb: &mut WordBuf) {
        let s = self.pos;
        wb.quoted = true;
        self.pos += 2;
        loop {
            let p = self.pos;
            match self.byte(p) {
                None => {
                    self.error(s..self.text.len(), "unterminated `$'`");
                    return;
                }
                Some(b'\'') => {
                    self.pos += 1;
                    return;
                }
                Some(b'\\') => match self.decode_ansi_escape(p) {
                    Some((c, len)) => {
                        wb.atom(c, p, len);
                        self.pos = p + len;
                    }
                    None => {
                        wb.linear("\\", p);
                        self.pos = p + 1;
                    }
                },
                Some(_) => {
                    while let Some(b) = self.byte(self.pos) {
                        if b == b'\'' || b == b'\\' {
                            break;
                        }
                        self.pos += 1;
                    }
                    let t = self.slice(p, self.pos);
                    wb.linear(t, p);
                }
            }
        }
    }

    /// The character and source length of the `$'…'` escape at `p` (a backslash), or
    /// `None` when the backslash stays literal (bash keeps unknown escapes as written).
    fn decode_ansi_escape(&self, p: usize) -> Option<(char, usize)> {
        let simple = |c: char| Some((c, 2));
        let n = self.byte(p + 1)?;
        match n {
            b'n' => simple('\n'),
            b't' => simple('\t'),
            b'r' => simple('\r'),
            b'a' => simple('\u{7}'),
            b'b' => simple('\u{8}'),
            b'e' | b'E' => simple('\u{1b}'),
            b'f' => simple('\u{c}'),
            b'v' => simple('\u{b}'),
            b'\\' | b'\'' | b'"' | b'?' => simple(char::from(n)),
            b'x' | b'u' | b'U' => {
                let max = match n {
                    b'x' => 2,
                    b'u' => 4,
                    _ => 8,
                };
                let (v, digits) = self.read_digits(p + 2, 16, max);
                if digits == 0 {
                    return None;
                }
                // Bytes above 0x7f from `\x` are not valid UTF-8 on their own.
                let c = if n == b'x' && v > 0x7f {
                    char::REPLACEMENT_CHARACTER
                } else {
                    char::from_u32(v).unwrap_or(char::REPLACEMENT_CHARACTER)
                };
                Some((c, 2 + digits))
            }
            b'0'..=b'7' => {
                let (v, digits) = self.read_digits(p + 1, 8, 3);
                let v = v & 0xff;
                let c = if v > 0x7f {
                    char::REPLACEMENT_CHARACTER
                } else {
                    char::from_u32(v).unwrap_or(char::REPLACEMENT_CHARACTER)
                };
                Some((c, 1 + digits))
            }
            b'c' => {
                let x = self.byte(p + 2).filter(u8::is_ascii)?;
                Some((char::from(x & 0x1f), 3))
            }
            _ => None,
        }
    }

    /// Up to `max` digits in `radix` starting at `from`: (value, digit count).
    fn read_digits(&self, from: usize, radix: u32, max: usize) -> (u32, usize) {
        let mut v: u32 = 0;
        let mut n = 0;
        while n < max {
            let Some(d) = self
                .byte(from + n)
                .and_then(|b| char::from(b).to_digit(radix))
            else {
                break;
            };
            v = v.saturating_mul(radix).saturating_add(d);
            n += 1;
        }
        (v, n)
    }

    /// `$( … )` or `<( … )`: the commands inside are parsed in place, with the substitution
    /// flags set; the word keeps the raw text.
    fn lex_cmd_subst(&mut self, wb: &mut WordBuf, open_len: usize) {
        let s = self.pos;
        self.pos = s + open_len;
        if self.nest >= MAX_NESTING {
            self.error(
                s..s + open_len,
                "substitution nested too deeply; its commands are not analysed",
            );
            self.pos = self.skip_balanced(self.pos);
        } else {
            let saved_ctx = self.ctx;
            let saved_mode = self.cond_mode;
            // `$( )` is parsed on its own: closers pending outside (`fi`, `done`) do not
            // apply inside it.
            let saved_expect = self.expect;
            self.expect = Default::default();
            self.expect[Closer::Paren as usize] = 1;
            self.cond_mode = false;
            self.ctx.subshell_depth += 1;
            self.ctx.in_substitution = true;
            self.nest += 1;
            self.parse_list();
            if !self.bump_rparen() {
                self.error(s..s + open_len, "unterminated `$(` (missing `)`)");
            }
            self.nest -= 1;
            self.ctx = saved_ctx;
            self.cond_mode = saved_mode;
            self.expect = saved_expect;
        }
        self.push_raw(wb, s, self.pos);
        wb.has_expansion = true;
    }

    /// `` `…` ``: the body is unescaped (`` \` ``, `\\`, `\$`, and `\"` inside double quotes)
    /// into a new string that is parsed on its own; ranges are mapped back.
    fn lex_backtick(&mut self, wb: &mut WordBuf, in_dquote: bool) {
        let s = self.pos;
        self.pos += 1;
        let mut body = String::new();
        let mut map = OffsetMap::new(s + 1);
        let mut closed = false;
        loop {
            let p = self.pos;
            match self.byte(p) {
                None => break,
                Some(b'`') => {
                    self.pos += 1;
                    closed = true;
                    break;
                }
                Some(b'\\') => match self.byte(p + 1) {
                    Some(c @ (b'`' | b'\\' | b'$')) => {
                        map.atom(body.len(), 1, p, 2);
                        body.push(char::from(c));
                        self.pos += 2;
                    }
                    Some(b'"') if in_dquote => {
                        map.atom(body.len(), 1, p, 2);
                        body.push('"');
                        self.pos += 2;
                    }
                    Some(b'\n') => self.pos += 2,
                    _ => {
                        map.linear(body.len(), p, 1);
                        body.push('\\');
                        self.pos += 1;
                    }
                },
                Some(_) => {
                    while let Some(b) = self.byte(self.pos) {
                        if b == b'`' || b == b'\\' {
                            break;
                        }
                        self.pos += 1;
                    }
                    let t = self.slice(p, self.pos);
                    map.linear(body.len(), p, t.len());
                    body.push_str(t);
                }
            }
        }
        if !closed {
            self.error(s..self.text.len(), "unterminated backtick substitution");
        }
        self.push_raw(wb, s, self.pos);
        wb.has_expansion = true;
        if self.discard {
            return;
        }
        if self.nest >= MAX_NESTING {
            self.error(
                s..s + 1,
                "substitution nested too deeply; its commands are not analysed",
            );
            return;
        }
        let mut ctx = self.ctx;
        ctx.subshell_depth += 1;
        ctx.in_substitution = true;
        let out = super::shell_c::parse_text(
            &body,
            ctx,
            self.nest + 1,
            self.shell_c_depth,
            &[],
            &mut self.reparse_budget,
        );
        self.absorb(out, &map);
    }

    /// End of a parenthesised group starting after its `(` at `from` (depth 1), without
    /// parsing: used past the nesting limit and for array literals. Quotes are honoured.
    pub(super) fn skip_balanced(&self, from: usize) -> usize {
        let len = self.text.len();
        let mut depth = 1usize;
        let mut i = from;
        while i < len {
            match self.bytes.get(i).copied().unwrap_or(0) {
                b'\\' => i += 1,
                b'\'' => i = self.find_byte(i + 1, b'\'').unwrap_or(len),
                b'"' | b'`' => {
                    let q = self.bytes.get(i).copied().unwrap_or(0);
                    i += 1;
                    while i < len {
                        match self.bytes.get(i).copied().unwrap_or(0) {
                            b'\\' => i += 1,
                            c if c == q => break,
                            _ => {}
                        }
                        i += 1;
                    }
                }
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        len
    }

    /// If `(( … ))` closes properly starting just after `((` at `from`, the offset after the
    /// closing `))`. Otherwise `None` and the caller treats the text as `( (` / `$( (`,
    /// as bash does. A failed scan is remembered so that `((((…` cannot go quadratic.
    pub(super) fn scan_arith(&mut self, from: usize) -> Option<usize> {
        if from < self.arith_fail_before {
            return None;
        }
        let mut depth = 0usize;
        let mut i = from;
        let fail = loop {
            match self.byte(i) {
                None => break i,
                Some(b'(') => depth += 1,
                Some(b')') if depth == 0 => {
                    if self.byte(i + 1) == Some(b')') {
                        return Some(i + 2);
                    }
                    break i;
                }
                Some(b')') => depth -= 1,
                _ => {}
            }
            i += 1;
        };
        self.arith_fail_before = self.arith_fail_before.max(fail.max(from + 1));
        None
    }
}

/// `NAME=` or `NAME+=` (the text of a word so far), after which `(` opens an array literal.
fn is_array_assignment_prefix(s: &str) -> bool {
    let Some(name) = s.strip_suffix('=') else {
        return false;
    };
    let name = name.strip_suffix('+').unwrap_or(name);
    is_name(name)
}

/// A shell variable name.
pub(super) fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// Whether the raw text of a word is an assignment: `NAME=…`, `NAME+=…`, `NAME[…]=…`.
pub(super) fn is_assignment(raw: &str) -> bool {
    let end = raw
        .find(|c: char| !(c == '_' || c.is_ascii_alphanumeric()))
        .unwrap_or(raw.len());
    let (name, rest) = raw.split_at(end);
    if !is_name(name) {
        return false;
    }
    let rest = match rest.strip_prefix('[') {
        Some(r) => match r.find(']') {
            Some(i) => r.get(i + 1..).unwrap_or(""),
            None => return false,
        },
        None => rest,
    };
    rest.starts_with('=') || rest.starts_with("+=")
}
