//! BuildKit-facing views of a parse, used as stable contracts by the CLI and conformance
//! tests: the AST dump of BuildKit's parser tests, and the command list of the PyPI
//! `dockerfile` package (`dockerfile.parse_file`).

use serde::Serialize;

use super::{Args, Command, Document, Instruction};

/// BuildKit's `Node.Dump()` of the whole file, one `(keyword ...)` line per instruction,
/// with a trailing newline as in the `testfiles/*/result` files.
pub fn dump(doc: &Document) -> String {
    let mut out = String::new();
    for instruction in &doc.instructions {
        out.push('(');
        out.push_str(&dump_command(&instruction.command));
        out.push_str(")\n");
    }
    out
}

fn dump_command(command: &Command) -> String {
    let mut s = command.keyword_text.value.to_lowercase();
    if !command.flags.is_empty() {
        let flags: Vec<String> = command
            .flags
            .iter()
            .map(|f| go_quote(&f.text.value))
            .collect();
        s.push_str(&format!(" [{}]", flags.join(" ")));
    }
    if let Args::OnBuild(inner) = &command.args {
        s.push_str(&format!(" ({})", dump_command(inner)));
    } else {
        for value in values(&command.args, true) {
            s.push(' ');
            s.push_str(&go_quote(&value));
        }
    }
    s.trim_matches(char::is_whitespace).to_string()
}

/// The argument values as BuildKit's `Next` chain holds them. `with_separators` adds the
/// ENV/LABEL separator node newer BuildKit versions have (`"="`, or `""` for legacy form).
fn values(args: &Args, with_separators: bool) -> Vec<String> {
    match args {
        Args::Empty | Args::Invalid => Vec::new(),
        Args::Exec(items) | Args::Words(items) => items.iter().map(|t| t.value.clone()).collect(),
        Args::Shell(text) => vec![text.value.clone()],
        Args::Pairs(pairs) => pairs
            .iter()
            .flat_map(|p| {
                let mut v = vec![p.key.value.clone(), p.value.value.clone()];
                if with_separators {
                    v.push(if p.legacy { "" } else { "=" }.to_string());
                }
                v
            })
            .collect(),
        Args::Health { kind, command } => {
            let mut v = vec![kind.value.clone()];
            v.extend(values(command, with_separators));
            v
        }
        Args::OnBuild(inner) => values(&inner.args, with_separators),
        Args::Ignored => vec![String::new()],
    }
}

/// One instruction as the PyPI `dockerfile` package reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OracleCommand {
    pub cmd: String,
    pub sub_cmd: Option<String>,
    pub json: bool,
    pub original: String,
    pub start_line: usize,
    pub end_line: usize,
    pub flags: Vec<String>,
    pub value: Vec<String>,
    pub heredocs: Vec<OracleHeredoc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OracleHeredoc {
    pub name: String,
    pub file_descriptor: u32,
    pub content: String,
}

/// The `dockerfile.parse_file` view of every instruction.
pub fn oracle_commands(doc: &Document) -> Vec<OracleCommand> {
    doc.instructions.iter().map(oracle_command).collect()
}

fn oracle_command(instruction: &Instruction) -> OracleCommand {
    let command = &instruction.command;
    // For ONBUILD the package reports the trigger's keyword, JSON flag and values, and the
    // trigger's (always empty) heredocs, but the outer flags.
    let (sub_cmd, inner, heredocs) = match &command.args {
        Args::OnBuild(inner) => (Some(inner.keyword_text.value.clone()), &**inner, &[][..]),
        _ => (None, command, &instruction.heredocs[..]),
    };
    let mut original = instruction.original().to_string();
    if !heredocs.is_empty() {
        for heredoc in heredocs {
            original.push('\n');
            original.push_str(&heredoc.content);
            original.push_str(&heredoc.name);
        }
        original.push('\n');
    }
    OracleCommand {
        cmd: command.keyword_text.value.clone(),
        sub_cmd,
        json: inner.is_json(),
        original,
        start_line: instruction.start_line,
        end_line: instruction.end_line,
        flags: command.flags.iter().map(|f| f.text.value.clone()).collect(),
        value: values(&inner.args, false),
        heredocs: heredocs
            .iter()
            .map(|h| OracleHeredoc {
                name: h.name.clone(),
                file_descriptor: h.file_descriptor,
                content: h.content.clone(),
            })
            .collect(),
    }
}

/// Go's `strconv.Quote`.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if is_go_printable(c) => out.push(c),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and ASCII space.
/// Approximated without Unicode tables: everything except controls, non-ASCII spaces,
/// format characters and private-use code points (unassigned code points count as
/// printable here, unlike Go).
fn is_go_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let u = c as u32;
    let format_or_private = matches!(u,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x890..=0x891 | 0x8E2 | 0x180E
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F
        | 0xFEFF | 0xFFF9..=0xFFFB | 0xFFFE..=0xFFFF | 0x110BD | 0x110CD
        | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0001 | 0xE0020..=0xE007F | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF);
    !format_or_private
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_quote_matches_strconv() {
        assert_eq!(go_quote("a\"b\\"), r#""a\"b\\""#);
        assert_eq!(
            go_quote("\" \\ / \u{8} \u{c} \n \r \t \u{0}"),
            r#""\" \\ / \b \f \n \r \t \x00""#
        );
        assert_eq!(go_quote("♥☃"), "\"♥☃\"");
        assert_eq!(go_quote("\u{a0}\u{200b}\u{7f}"), r#""\u00a0\u200b\x7f""#);
        assert_eq!(go_quote("\u{f0000}"), r#""\U000f0000""#);
    }
}
