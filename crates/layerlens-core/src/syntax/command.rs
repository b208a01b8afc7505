//! One joined line → keyword, flags and arguments (BuildKit's `newNodeFromLine`).
//!
//! Every function works on a range of the [`LogicalLine`] so that each value it produces
//! carries its exact source span.

use super::json::{parse_array, JsonArray};
use super::lines::{is_space, is_space_byte, is_word_separator};
use super::{Args, Command, Flag, Keyword, LogicalLine, Pair, ParseError, Text};
use crate::text::Span;

/// ONBUILD triggers nest (`ONBUILD ONBUILD ...`); BuildKit rejects that later anyway, so
/// we stop recursing here rather than risk the stack.
const MAX_ONBUILD_DEPTH: usize = 16;

/// Parses `line[start..end]` as one instruction line. Always returns a command; when
/// BuildKit's parser would fail, `args` is [`Args::Invalid`] and the error is returned too.
pub(crate) fn parse_command(
    line: &LogicalLine,
    start: usize,
    end: usize,
    escape: char,
    depth: usize,
) -> (Command, Option<ParseError>) {
    let p = LineParser { line, escape };
    let (start, end) = p.trim(start, end);
    let s = &line.as_str()[start..end];
    let keyword_end = s.find(is_word_separator).map_or(end, |i| start + i);
    let keyword_text = p.text(start, keyword_end);
    let keyword = Keyword::parse(&keyword_text.value);

    let mut rest_start = keyword_end;
    while rest_start < end {
        match line.as_str()[rest_start..].chars().next() {
            Some(c) if is_word_separator(c) => rest_start += c.len_utf8(),
            _ => break,
        }
    }
    let (flags, args_start) = if keyword_end < end {
        p.flags(rest_start, end)
    } else {
        (Vec::new(), end)
    };
    let (rest_start, rest_end) = p.trim(args_start, end);
    let rest = p.text(rest_start, rest_end);

    let (args, error) = match keyword {
        Keyword::Add | Keyword::Copy | Keyword::Volume => p.maybe_json_list(&rest),
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Shell => p.maybe_json(&rest),
        Keyword::Env => p.name_values(&rest, "ENV"),
        Keyword::Label => p.name_values(&rest, "LABEL"),
        Keyword::Arg => (p.name_or_name_values(&rest), None),
        Keyword::From | Keyword::Expose => (p.whitespace_words(&rest), None),
        Keyword::Maintainer | Keyword::User | Keyword::Workdir | Keyword::Stopsignal => {
            (p.whole(&rest), None)
        }
        Keyword::Healthcheck => p.health(&rest),
        Keyword::Onbuild => p.sub_command(&rest, depth),
        Keyword::Unknown => (Args::Ignored, None),
    };
    let command = Command {
        keyword,
        keyword_text,
        flags,
        rest,
        args,
    };
    (command, error)
}

struct LineParser<'a> {
    line: &'a LogicalLine,
    escape: char,
}

impl LineParser<'_> {
    fn str(&self) -> &str {
        self.line.as_str()
    }

    fn text(&self, start: usize, end: usize) -> Text {
        self.text_with(start, end, self.str()[start..end].to_string())
    }

    fn text_with(&self, start: usize, end: usize, value: String) -> Text {
        Text {
            value,
            span: self.line.to_source_span(start, end),
            logical: Span::new(start, end),
        }
    }

    /// Go's `strings.TrimSpace` on a range.
    fn trim(&self, start: usize, end: usize) -> (usize, usize) {
        let s = &self.str()[start..end];
        let lead = s.len() - s.trim_start_matches(is_space).len();
        let trail = s.len() - s.trim_end_matches(is_space).len();
        if lead == s.len() {
            return (end, end);
        }
        (start + lead, end - trail)
    }

    fn error(&self, text: &Text, message: String) -> Option<ParseError> {
        Some(ParseError {
            span: text.span,
            message,
        })
    }

    /// BuildKit's `extractBuilderFlags`: leading `--words`, walked byte by byte (quotes
    /// removed, escapes processed, a bare `--` ends the flags and is dropped). Returns the
    /// flags and where the remaining text starts.
    fn flags(&self, start: usize, end: usize) -> (Vec<Flag>, usize) {
        #[derive(PartialEq)]
        enum Phase {
            Spaces,
            Word,
            Quote(u8),
        }
        let bytes = self.str().as_bytes();
        let escape = self.escape as u8;
        let mut flags = Vec::new();
        let mut phase = Phase::Spaces;
        let mut word = String::new();
        let mut word_start = start;
        let mut blank_ok = false;
        let push = |word: &mut String, from: usize, to: usize, flags: &mut Vec<Flag>| {
            let to = self.ceil_boundary(to);
            flags.push(Flag {
                text: self.text_with(from, to, std::mem::take(word)),
            });
        };
        let mut pos = start;
        loop {
            if phase == Phase::Spaces {
                if pos >= end {
                    return (flags, end);
                }
                if is_space_byte(bytes[pos]) {
                    pos += 1;
                    continue;
                }
                if bytes[pos] != b'-' || pos + 1 >= end || bytes[pos + 1] != b'-' {
                    return (flags, self.ceil_boundary(pos));
                }
                phase = Phase::Word;
                word_start = pos;
            }
            if pos >= end {
                if word != "--" && (blank_ok || !word.is_empty()) {
                    push(&mut word, word_start, end, &mut flags);
                }
                return (flags, end);
            }
            let mut b = bytes[pos];
            match phase {
                Phase::Word => {
                    if is_space_byte(b) {
                        phase = Phase::Spaces;
                        if word == "--" {
                            return (flags, self.ceil_boundary(pos));
                        }
                        if blank_ok || !word.is_empty() {
                            push(&mut word, word_start, pos, &mut flags);
                        }
                        word.clear();
                        blank_ok = false;
                        pos += 1;
                        continue;
                    }
                    if b == b'\'' || b == b'"' {
                        phase = Phase::Quote(b);
                        blank_ok = true;
                        pos += 1;
                        continue;
                    }
                    if b == escape {
                        if pos + 1 >= end {
                            pos += 1;
                            continue;
                        }
                        pos += 1;
                        b = bytes[pos];
                    }
                    // Go appends each byte as a rune: non-ASCII becomes Latin-1, as there.
                    word.push(char::from(b));
                }
                Phase::Quote(quote) => {
                    if b == quote {
                        phase = Phase::Word;
                        pos += 1;
                        continue;
                    }
                    if b == escape {
                        if pos + 1 >= end {
                            phase = Phase::Word;
                            pos += 1;
                            continue;
                        }
                        pos += 1;
                        b = bytes[pos];
                    }
                    word.push(char::from(b));
                }
                Phase::Spaces => {}
            }
            pos += 1;
        }
    }

    fn ceil_boundary(&self, mut pos: usize) -> usize {
        let s = self.str();
        while pos < s.len() && !s.is_char_boundary(pos) {
            pos += 1;
        }
        pos
    }

    /// RUN, CMD, ENTRYPOINT, SHELL: JSON array or one string.
    fn maybe_json(&self, rest: &Text) -> (Args, Option<ParseError>) {
        if rest.value.is_empty() {
            return (Args::Empty, None);
        }
        match self.json(rest) {
            Some(Ok(args)) => (args, None),
            Some(Err(e)) => (Args::Invalid, Some(e)),
            None => (Args::Shell(rest.clone()), None),
        }
    }

    /// ADD, COPY, VOLUME: JSON array or whitespace-separated words.
    fn maybe_json_list(&self, rest: &Text) -> (Args, Option<ParseError>) {
        match self.json(rest) {
            Some(Ok(args)) => (args, None),
            Some(Err(e)) => (Args::Invalid, Some(e)),
            None => (self.whitespace_words(rest), None),
        }
    }

    /// `Some(Ok)` for exec form, `Some(Err)` for an array of non-strings, `None` otherwise.
    fn json(&self, rest: &Text) -> Option<Result<Args, ParseError>> {
        let base = rest.logical.start;
        match parse_array(&rest.value) {
            JsonArray::Strings(items) => Some(Ok(Args::Exec(
                items
                    .into_iter()
                    .map(|(value, r)| self.text_with(base + r.start, base + r.end, value))
                    .collect(),
            ))),
            JsonArray::NotStrings => Some(Err(ParseError {
                span: rest.span,
                message: "when using JSON array syntax, arrays must be comprised of strings only"
                    .into(),
            })),
            JsonArray::NotJson => None,
        }
    }

    /// FROM, EXPOSE and list shell forms: split on `[\t\v\f\r ]+`, no quote handling.
    fn whitespace_words(&self, rest: &Text) -> Args {
        if rest.value.is_empty() {
            return Args::Empty;
        }
        let base = rest.logical.start;
        let mut words = Vec::new();
        let mut word_start = None;
        for (i, c) in rest.value.char_indices() {
            match (is_word_separator(c), word_start) {
                (true, Some(s)) => {
                    words.push(self.text(base + s, base + i));
                    word_start = None;
                }
                (false, None) => word_start = Some(i),
                _ => {}
            }
        }
        if let Some(s) = word_start {
            words.push(self.text(base + s, base + rest.value.len()));
        }
        Args::Words(words)
    }

    /// MAINTAINER, USER, WORKDIR, STOPSIGNAL: the whole rest.
    fn whole(&self, rest: &Text) -> Args {
        if rest.value.is_empty() {
            Args::Empty
        } else {
            Args::Shell(rest.clone())
        }
    }

    /// BuildKit's `parseWords`: words split on whitespace outside quotes; quotes and
    /// escapes are kept in the word.
    fn words(&self, rest: &Text) -> Vec<Text> {
        let base = rest.logical.start;
        let s = rest.value.as_str();
        let mut words = Vec::new();
        let mut word = String::new();
        let mut word_start = 0;
        let mut in_word = false;
        let mut quote: Option<char> = None;
        let mut blank_ok = false;
        let mut chars = s.char_indices().peekable();
        let mut finish = |word: &mut String, from: usize, to: usize, blank_ok: bool| {
            if blank_ok || !word.is_empty() {
                words.push(self.text_with(base + from, base + to, std::mem::take(word)));
            }
            word.clear();
        };
        while let Some((i, c)) = chars.next() {
            let at_end_after =
                |chars: &mut std::iter::Peekable<std::str::CharIndices>| chars.peek().is_none();
            if !in_word && quote.is_none() {
                if is_space(c) {
                    continue;
                }
                in_word = true;
                word_start = i;
            }
            if let Some(q) = quote {
                if c == q {
                    quote = None;
                }
                if c == self.escape && q != '\'' {
                    if at_end_after(&mut chars) {
                        quote = None;
                        continue;
                    }
                    word.push(c);
                    if let Some((_, next)) = chars.next() {
                        word.push(next);
                    }
                    continue;
                }
                word.push(c);
                continue;
            }
            if is_space(c) {
                finish(&mut word, word_start, i, blank_ok);
                in_word = false;
                blank_ok = false;
                continue;
            }
            if c == '\'' || c == '"' {
                quote = Some(c);
                blank_ok = true;
            }
            if c == self.escape {
                if at_end_after(&mut chars) {
                    continue;
                }
                word.push(c);
                if let Some((_, next)) = chars.next() {
                    word.push(next);
                }
                continue;
            }
            word.push(c);
        }
        if in_word || quote.is_some() {
            finish(&mut word, word_start, s.len(), blank_ok);
        }
        words
    }

    /// ARG: one word per name or name=value.
    fn name_or_name_values(&self, rest: &Text) -> Args {
        let words = self.words(rest);
        if words.is_empty() {
            Args::Empty
        } else {
            Args::Words(words)
        }
    }

    /// ENV, LABEL: `key=value ...`, or the legacy `key value` when the first word has no `=`.
    fn name_values(&self, rest: &Text, keyword: &str) -> (Args, Option<ParseError>) {
        let words = self.words(rest);
        let Some(first) = words.first() else {
            return (Args::Empty, None);
        };
        if !first.value.contains('=') {
            let s = rest.value.as_str();
            let Some(sep) = s.find(is_word_separator) else {
                let message = format!("{keyword} must have two arguments");
                return (Args::Invalid, self.error(rest, message));
            };
            let value_start = s[sep..]
                .find(|c| !is_word_separator(c))
                .map_or(s.len(), |i| sep + i);
            let base = rest.logical.start;
            let pair = Pair {
                key: self.text(base, base + sep),
                value: self.text(base + value_start, base + s.len()),
                legacy: true,
            };
            return (Args::Pairs(vec![pair]), None);
        }
        let mut pairs = Vec::new();
        for word in &words {
            let Some(eq) = word.value.find('=') else {
                let message = format!(
                    "Syntax error - can't find = in {}. Must be of the form: name=value",
                    super::dump::go_quote(&word.value)
                );
                return (Args::Invalid, self.error(word, message));
            };
            // Quotes and escapes are kept, so `=` sits at the same offset in the source text.
            let at = word.logical.start + eq;
            pairs.push(Pair {
                key: self.text_with(word.logical.start, at, word.value[..eq].to_string()),
                value: self.text_with(at + 1, word.logical.end, word.value[eq + 1..].to_string()),
                legacy: false,
            });
        }
        (Args::Pairs(pairs), None)
    }

    /// HEALTHCHECK: a type word, then JSON or a string.
    fn health(&self, rest: &Text) -> (Args, Option<ParseError>) {
        let s = rest.value.as_str();
        let is_ascii_space = |c: char| c.is_ascii() && is_space_byte(c as u8);
        let sep = s.find(is_ascii_space).unwrap_or(s.len());
        if sep == 0 {
            return (Args::Empty, None);
        }
        let next = s[sep..]
            .find(|c| !is_ascii_space(c))
            .map_or(s.len(), |i| sep + i);
        let base = rest.logical.start;
        let kind = self.text(base, base + sep);
        let command_text = self.text(base + next, base + s.len());
        let (command, error) = self.maybe_json(&command_text);
        let args = match command {
            Args::Invalid => Args::Invalid,
            command => Args::Health {
                kind,
                command: Box::new(command),
            },
        };
        (args, error)
    }

    /// ONBUILD: the trigger is parsed as a line of its own.
    fn sub_command(&self, rest: &Text, depth: usize) -> (Args, Option<ParseError>) {
        if rest.value.is_empty() {
            return (Args::Empty, None);
        }
        if depth >= MAX_ONBUILD_DEPTH {
            let message = "ONBUILD triggers nested too deeply".to_string();
            return (Args::Invalid, self.error(rest, message));
        }
        let (inner, error) = parse_command(
            self.line,
            rest.logical.start,
            rest.logical.end,
            self.escape,
            depth + 1,
        );
        (Args::OnBuild(Box::new(inner)), error)
    }
}
