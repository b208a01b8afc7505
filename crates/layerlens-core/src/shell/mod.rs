//! Shell analysis of RUN text.
//!
//! [`parse_script`] turns the shell text of a RUN instruction (the continuation-joined line
//! after the keyword and flags, a heredoc body used as a script, or the argument of
//! `sh -c "…"`) into a flat list of simple [`Command`]s with exact byte ranges, plus soft
//! [`ShellError`]s. Lint rules look at commands ("apt-get install without -y"), so the
//! result is deliberately flat: compound commands (`if`, `for`, subshells, …) are not
//! nodes of their own, their context is recorded as flags on each simple command.
//!
//! Why hand-written rather than `brush-parser`: we need exact byte ranges for every word and
//! redirect, a best-effort result for broken input (a linter sees half-typed text all the
//! time), and a small wasm bundle.
//!
//! Guarantees: never panics, always returns a result, every range lies within the input on
//! char boundaries, time is linear in the input (times a small constant for nesting), and
//! recursion depth is bounded ([`MAX_NESTING`], [`MAX_SHELL_C_DEPTH`]).
//!
//! Layout: `lexer.rs` (tokens, words, quoting, expansions, heredoc bodies), `parser.rs`
//! (grammar and context flags), `shell_c.rs` (re-parsing `sh -c` strings and backtick
//! bodies, mapping ranges back), `offset_map.rs` (the per-character offset table those use),
//! `command.rs` (flag and argument helpers for lint rules).

pub(crate) mod command;
mod lexer;
mod offset_map;
mod parser;
mod shell_c;
#[cfg(test)]
mod tests;

use serde::Serialize;

/// Byte offsets into the analysed text (half-open).
pub type Range = std::ops::Range<usize>;

/// How deeply compound commands, subshells and substitutions may nest before the analyser
/// stops descending (it then reports a soft error and skips the inner text). Keeps the
/// recursive-descent parser's stack use bounded, including in wasm's 1 MB stack.
pub const MAX_NESTING: usize = 40;

/// How many `sh -c "…"` strings inside each other are re-parsed.
pub const MAX_SHELL_C_DEPTH: usize = 6;

/// At most this many commands are kept; beyond that the analysis of the rest is dropped (with
/// an error). Bounds memory for pathological input such as megabytes of `a;a;a;`.
pub const MAX_COMMANDS: usize = 100_000;

/// At most this many soft errors are kept (garbage input would otherwise yield one per byte).
pub const MAX_ERRORS: usize = 1_000;

/// Parse shell text. Never fails: broken input gives a best-effort result plus `errors`.
///
/// Commands are returned in source order (by start offset), including commands found inside
/// `$( )`, backticks, process substitutions and re-parsed `sh -c` strings; their flags tell
/// where they came from. Pipeline indices are numbered in order of first appearance.
#[must_use]
pub fn parse_script(text: &str) -> Script {
    // Re-parsing `sh -c` strings may cost at most a few times the input.
    let mut budget = text.len().saturating_mul(4).saturating_add(1 << 16);
    let mut script =
        shell_c::parse_text(text, parser::Ctx::default(), 0, 0, &[], &mut budget).into_script();
    // Source order makes rules such as "apt-get update then install" straightforward.
    script.commands.sort_by_key(|c| c.range.start);
    script.errors.sort_by_key(|e| e.range.start);
    script.operators.sort_by_key(|o| o.range.start);
    renumber_pipelines(&mut script.commands);
    script
}

/// Pipelines were numbered as they were opened (nested parses get their own blocks); make
/// them dense and increasing in source order.
fn renumber_pipelines(commands: &mut [Command]) {
    let mut seen: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for cmd in commands.iter_mut() {
        let next = seen.len();
        cmd.pipeline = *seen.entry(cmd.pipeline).or_insert(next);
    }
}

/// The result of [`parse_script`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Script {
    /// Every simple command, in source order.
    pub commands: Vec<Command>,
    /// Soft errors (unterminated quotes, stray `fi`, …), in source order.
    pub errors: Vec<ShellError>,
    /// Names of functions defined in the script (`f() { …; }`, `function f { …; }`), so rules
    /// can tell user functions from external programs.
    pub functions: Vec<Word>,
    /// Every list and pipe operator, in source order (newline separators included as
    /// `Semi`). Complements `Command::operator_before/after`, which cannot show a pipe
    /// between two compound commands (`{ a; } | { b; }`).
    pub operators: Vec<OperatorToken>,
}

/// One list or pipe operator in the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OperatorToken {
    pub op: Operator,
    pub range: Range,
    /// Inside a re-parsed `sh -c` string.
    pub via_shell_c: bool,
}

/// A problem found while parsing. Never fatal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShellError {
    pub range: Range,
    pub message: String,
}

/// A simple command: optional assignments, a command name and arguments, redirections.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Command {
    /// From the first token to the last token of this simple command (assignments,
    /// words and redirects, including redirect targets; not heredoc bodies).
    pub range: Range,
    /// Leading `NAME=value` words (also `NAME+=…`, `NAME[i]=…`, `NAME=(…)`).
    pub assignments: Vec<Word>,
    /// Name and arguments (the name is `words[0]`, if any). `[[ … ]]` is reported as a
    /// command named `[[` whose words run up to and including `]]`.
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
    /// The list or pipe operator that precedes it within its own list; `None` at the start of
    /// a list (start of input, after `then`/`do`/`(`/`{`/`$(`, …). Newline counts as `Semi`.
    pub operator_before: Option<Operator>,
    /// The operator that follows it within its own list (`None` when the list ends there,
    /// e.g. before `)`, `fi`, `;;` or the end of input).
    pub operator_after: Option<Operator>,
    /// Index of the pipeline this command belongs to; commands joined by `|`/`|&` share it.
    /// Commands inside a compound command that is one element of a pipeline get their own
    /// pipelines.
    pub pipeline: usize,
    /// Nesting depth of `( )` subshells, `$( )`/`<( )` substitutions and backticks
    /// (a command run by `sh -c` inherits the depth of the `sh` command).
    pub subshell_depth: usize,
    /// Inside `$( )`, backticks or `<( )`/`>( )`.
    pub in_substitution: bool,
    /// Part of an `if`/`elif`/`while`/`until` condition list.
    pub in_condition: bool,
    /// Inside a `for`/`select`/`while`/`until` body, an `if` branch or a `case` item.
    pub in_loop_or_branch: bool,
    /// Inside a function body (only runs if the function is called).
    pub in_function: bool,
    /// Found by re-parsing the string argument of `sh -c "…"` (also `bash`/`ash`/`dash`/
    /// `zsh`/`ksh` with other options before `-c`, `su -c`, and shells run through
    /// `sudo`/`env`/`xargs`/`find -exec`/… wrappers). Ranges still point into the analysed
    /// text, mapped character by character through quotes and escapes.
    pub via_shell_c: bool,
}

/// List and pipe operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Operator {
    /// `&&`
    And,
    /// `||`
    Or,
    /// `;` or newline
    Semi,
    /// `|`
    Pipe,
    /// `|&`
    PipeErr,
    /// `&`
    Background,
}

/// One shell word.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Word {
    /// Raw text range, including quotes.
    pub range: Range,
    /// After quote removal and backslash processing (`$'…'` escapes decoded). Parameter
    /// expansions, `$( )`, `$(( ))` and backticks are kept literally as written.
    pub value: String,
    /// Some part was quoted (`'…'`, `"…"`, `$'…'` or a backslash escape).
    pub quoted: bool,
    /// Contains `$var`, `${…}`, `$( )`, `$(( ))`, backticks, `<( )`, or an unquoted glob
    /// (`*`, `?`, `[…]`).
    pub has_expansion: bool,
}

/// A redirection such as `>/dev/null`, `2>&1` or `<<EOF`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Redirect {
    /// From the fd number (or operator) to the end of the target word.
    pub range: Range,
    /// An explicit fd number written before the operator (`2>` gives `Some(2)`).
    pub fd: Option<u32>,
    /// The operator alone, without fd digits: `>`, `>>`, `>|`, `<`, `<>`, `>&`, `<&`, `<<`,
    /// `<<-`, `<<<`, `&>`, `&>>`. So `2>&1` is `fd: Some(2)`, `op: ">&"`, target `1`.
    pub op: String,
    /// The target word (file, fd number, `-`, or heredoc delimiter). `None` if missing.
    pub target: Option<Word>,
    /// For `<<`/`<<-`: the range of the here-document body (the lines after the command line
    /// up to, not including, the delimiter line). `None` if the body is not part of the text
    /// (e.g. a Dockerfile `RUN cat <<EOF` line whose body BuildKit keeps separately).
    pub body: Option<Range>,
}

impl Script {
    /// Commands whose name is `name` or a path ending in `/name` (`/usr/bin/apt-get`
    /// matches `apt-get`).
    pub fn commands_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Command> + 'a {
        self.commands.iter().filter(move |c| c.is(name))
    }

    /// Whether any pipe (`|` or `|&`) occurs outside `sh -c` strings (what
    /// "pipe without pipefail" rules check).
    pub fn has_pipe(&self) -> bool {
        self.operators
            .iter()
            .any(|o| !o.via_shell_c && matches!(o.op, Operator::Pipe | Operator::PipeErr))
    }
}

impl Word {
    /// The raw text of this word in `text` (the string that was analysed), or "" if the
    /// range does not fit.
    pub fn raw<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.range.clone()).unwrap_or("")
    }
}
