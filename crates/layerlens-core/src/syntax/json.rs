//! The JSON (exec) form, decided exactly as Go's `json.Unmarshal` into `[]any` decides it.
//!
//! BuildKit treats the arguments as exec form only if they are one valid JSON array (with
//! nothing after it but whitespace). A valid array holding anything but strings is a hard
//! error; any other JSON error silently falls back to shell form. Nesting is checked with
//! an explicit stack, so deep input cannot overflow ours.

use std::ops::Range;

#[derive(Debug, PartialEq, Eq)]
pub enum JsonArray {
    /// Exec form: each string with its byte range (quotes included) in the input.
    Strings(Vec<(String, Range<usize>)>),
    /// Valid JSON, but not an array of strings only.
    NotStrings,
    /// Not valid JSON: shell form.
    NotJson,
}

/// Go's limit on nesting depth.
const MAX_DEPTH: usize = 10_000;

pub fn parse_array(input: &str) -> JsonArray {
    let mut scanner = Scanner {
        s: input.as_bytes(),
        input,
        pos: 0,
    };
    match scanner.array() {
        Some(result) => {
            scanner.skip_ws();
            if scanner.pos != scanner.s.len() {
                JsonArray::NotJson
            } else {
                result
            }
        }
        None => JsonArray::NotJson,
    }
}

struct Scanner<'a> {
    s: &'a [u8],
    input: &'a str,
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// The top-level array; `None` on a syntax error.
    fn array(&mut self) -> Option<JsonArray> {
        self.skip_ws();
        if self.peek() != Some(b'[') {
            return None;
        }
        self.pos += 1;
        let mut strings = Vec::new();
        let mut only_strings = true;
        let mut number_out_of_range = false;
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Some(JsonArray::Strings(strings));
        }
        loop {
            self.skip_ws();
            let start = self.pos;
            if self.peek() == Some(b'"') {
                let value = self.string()?;
                strings.push((value, start..self.pos));
            } else {
                only_strings = false;
                if !self.value(&mut number_out_of_range)? {
                    return None;
                }
            }
            self.skip_ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    break;
                }
                _ => return None,
            }
        }
        // Go reports a number that does not fit a float64 as an error (shell form), which
        // it checks before BuildKit looks for non-strings.
        Some(if number_out_of_range {
            JsonArray::NotJson
        } else if only_strings {
            JsonArray::Strings(strings)
        } else {
            JsonArray::NotStrings
        })
    }

    /// Skips one non-string value (any depth). `Some(false)`/`None` on a syntax error.
    fn value(&mut self, out_of_range: &mut bool) -> Option<bool> {
        // Stack of open containers: b'[' or b'{'.
        let mut stack: Vec<u8> = Vec::new();
        loop {
            self.skip_ws();
            match self.peek()? {
                b'[' | b'{' => {
                    let open = self.s[self.pos];
                    self.pos += 1;
                    stack.push(open);
                    if stack.len() > MAX_DEPTH {
                        return None;
                    }
                    self.skip_ws();
                    let close = if open == b'[' { b']' } else { b'}' };
                    if self.peek() == Some(close) {
                        self.pos += 1;
                        stack.pop();
                    } else {
                        if open == b'{' {
                            self.object_key()?;
                        }
                        continue;
                    }
                }
                b'"' => {
                    self.string()?;
                }
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                b'-' | b'0'..=b'9' => {
                    if !self.number()? {
                        *out_of_range = true;
                    }
                }
                _ => return None,
            }
            // After a value: close containers or move to the next element.
            loop {
                let Some(&open) = stack.last() else {
                    return Some(true);
                };
                self.skip_ws();
                let close = if open == b'[' { b']' } else { b'}' };
                match self.peek()? {
                    b',' => {
                        self.pos += 1;
                        if open == b'{' {
                            self.skip_ws();
                            self.object_key()?;
                        }
                        break;
                    }
                    c if c == close => {
                        self.pos += 1;
                        stack.pop();
                    }
                    _ => return None,
                }
            }
        }
    }

    /// `"key" :` inside an object.
    fn object_key(&mut self) -> Option<()> {
        self.skip_ws();
        if self.peek() != Some(b'"') {
            return None;
        }
        self.string()?;
        self.skip_ws();
        if self.peek() != Some(b':') {
            return None;
        }
        self.pos += 1;
        Some(())
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        if self.s[self.pos..].starts_with(word) {
            self.pos += word.len();
            Some(())
        } else {
            None
        }
    }

    /// Scans a number; `Some(false)` when it is valid but does not fit a float64.
    fn number(&mut self) -> Option<bool> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek()? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return None;
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return None;
            }
            self.digits();
        }
        let text = self.input.get(start..self.pos)?;
        Some(text.parse::<f64>().is_ok_and(f64::is_finite))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    /// A string token, decoded; lone surrogates become U+FFFD as in Go.
    fn string(&mut self) -> Option<String> {
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            let rest = self.input.get(self.pos..)?;
            let c = rest.chars().next()?;
            match c {
                '"' => {
                    self.pos += 1;
                    return Some(out);
                }
                '\\' => {
                    self.pos += 1;
                    let esc = self.peek()?;
                    self.pos += 1;
                    match esc {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let unit = self.hex4()?;
                            out.push(self.unicode_escape(unit));
                        }
                        _ => return None,
                    }
                }
                c if (c as u32) < 0x20 => return None,
                c => {
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.input.get(self.pos..self.pos + 4)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.pos += 4;
        u32::from_str_radix(digits, 16).ok()
    }

    /// Decodes `\uXXXX`, pairing a high surrogate with a following `\uXXXX` low one.
    fn unicode_escape(&mut self, unit: u32) -> char {
        if (0xD800..0xDC00).contains(&unit) && self.s[self.pos..].starts_with(b"\\u") {
            let save = self.pos;
            self.pos += 2;
            if let Some(low) = self.hex4() {
                if (0xDC00..0xE000).contains(&low) {
                    let code = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                    return char::from_u32(code).unwrap_or('\u{FFFD}');
                }
            }
            self.pos = save;
        }
        char::from_u32(unit).unwrap_or('\u{FFFD}')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(input: &str) -> Vec<String> {
        match parse_array(input) {
            JsonArray::Strings(v) => v.into_iter().map(|(s, _)| s).collect(),
            other => panic!("{input}: {other:?}"),
        }
    }

    #[test]
    fn decodes_string_arrays() {
        assert_eq!(strings(r#"["a", "b c"]"#), ["a", "b c"]);
        assert_eq!(strings("[]"), Vec::<String>::new());
        assert_eq!(strings(r#"[""]"#), [""]);
        assert_eq!(strings(r#"["\u0041\/\n"]  "#), ["A/\n"]);
        assert_eq!(strings(r#"["\ud83d\ude00", "\ud800"]"#), ["😀", "\u{FFFD}"]);
        assert_eq!(strings("[\"♥\"]"), ["♥"]);
    }

    #[test]
    fn ranges_cover_the_quoted_tokens() {
        let input = r#"[ "a",  "bc" ]"#;
        let JsonArray::Strings(v) = parse_array(input) else {
            panic!()
        };
        assert_eq!(&input[v[1].1.clone()], "\"bc\"");
    }

    #[test]
    fn invalid_json_is_shell_form() {
        for input in [
            "['a']",
            r#"["a""#,
            r#"["a",]"#,
            r#"["a"] b"#,
            r#"["a\x"]"#,
            "[",
            r#"["a" "b"]"#,
            "[1e400]",
            "[01]",
            r#"[{"a" 1}]"#,
        ] {
            assert_eq!(parse_array(input), JsonArray::NotJson, "{input}");
        }
    }

    #[test]
    fn non_strings_are_rejected() {
        for input in [
            r#"["a", 1]"#,
            r#"[ "echo", [ "nested json" ] ]"#,
            "[null]",
            r#"[{"a": [1, {"b": true}]}]"#,
            "[-0.5e+3]",
        ] {
            assert_eq!(parse_array(input), JsonArray::NotStrings, "{input}");
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let deep = format!("[{}{}]", "[".repeat(50_000), "]".repeat(50_000));
        assert_eq!(parse_array(&deep), JsonArray::NotJson);
        let ok = format!("[{}{}]", "[".repeat(100), "]".repeat(100));
        assert_eq!(parse_array(&ok), JsonArray::NotStrings);
    }
}
