//! Text parsed a second time: `sh -c "…"` strings and backtick bodies.
//!
//! Both are strings *derived* from the original text (quotes and escapes removed), so they are
//! parsed separately and every range in the result is mapped back through an [`OffsetMap`]
//! built while deriving them. The mapping is exact per character: an escape such as `\"`
//! maps to its whole two-byte sequence.

use super::command::basename;
use super::offset_map::OffsetMap;
use super::parser::{Ctx, Parser};
use super::{
    Command, OperatorToken, Range, Script, ShellError, Word, MAX_COMMANDS, MAX_NESTING,
    MAX_SHELL_C_DEPTH,
};

/// The result of parsing one text, with ranges relative to that text.
pub(super) struct Output {
    commands: Vec<Command>,
    errors: Vec<ShellError>,
    functions: Vec<Word>,
    operators: Vec<OperatorToken>,
    /// Pipeline indices used (0..pipelines), so a parent can shift them into its own space.
    pipelines: usize,
}

impl Output {
    pub(super) fn into_script(self) -> Script {
        Script {
            commands: self.commands,
            errors: self.errors,
            functions: self.functions,
            operators: self.operators,
        }
    }
}

/// Parse `text` completely: commands in place, backtick bodies (during lexing) and `sh -c`
/// strings (afterwards). Results starting inside `skip` (sorted, disjoint) are dropped: for an
/// `sh -c` string those are substitutions the outer shell already ran and the outer parse
/// already reported. `budget` is the shared re-parse budget (see `Parser::reparse_budget`).
pub(super) fn parse_text(
    text: &str,
    ctx: Ctx,
    nest: usize,
    shell_c_depth: usize,
    skip: &[Range],
    budget: &mut usize,
) -> Output {
    let mut p = Parser::new(text, ctx, nest, shell_c_depth);
    p.reparse_budget = *budget;
    p.parse_program();
    if !skip.is_empty() {
        p.drop_inside(skip);
    }
    // Collect first: expanding pushes into `p`.
    let found: Vec<(Range, usize, Ctx)> = p
        .out
        .iter()
        .filter_map(|cmd| {
            let (word, offset) = shell_c_argument(cmd)?;
            Some((cmd.words.get(word)?.range.clone(), offset, ctx_of(cmd)))
        })
        .collect();
    for (range, offset, ctx) in found {
        if shell_c_depth < MAX_SHELL_C_DEPTH && nest < MAX_NESTING {
            expand_shell_c(&mut p, range, offset, ctx);
        } else {
            p.error(
                range,
                "`sh -c` strings nested too deeply; this one is not analysed",
            );
        }
    }
    *budget = p.reparse_budget;
    let mut commands = std::mem::take(&mut p.out);
    commands.append(&mut p.nested);
    Output {
        commands,
        errors: std::mem::take(&mut p.errors),
        functions: std::mem::take(&mut p.functions),
        operators: std::mem::take(&mut p.operators),
        pipelines: p.next_pipeline,
    }
}

/// The context an `sh -c` command passes on to the commands of its string.
fn ctx_of(cmd: &Command) -> Ctx {
    Ctx {
        subshell_depth: cmd.subshell_depth,
        in_substitution: cmd.in_substitution,
        in_condition: cmd.in_condition,
        in_loop_or_branch: cmd.in_loop_or_branch,
        in_function: cmd.in_function,
        via_shell_c: true,
    }
}

/// Re-lex the `sh -c` argument word at `range` with an offset map, parse its value (from
/// byte `offset` on) and add the commands with ranges mapped back into `p.text`.
fn expand_shell_c(p: &mut Parser<'_>, range: Range, offset: usize, ctx: Ctx) {
    // Each level re-lexes its argument and re-parses the text of the level inside it; the
    // shared budget keeps the total linear in the input whatever the nesting.
    let Some(rest) = p.reparse_budget.checked_sub(range.len()) else {
        p.error(
            range,
            "too much nested `sh -c` text; this string is not analysed",
        );
        return;
    };
    p.reparse_budget = rest;
    let mut lx = Parser::new(p.text, Ctx::default(), p.nest, p.shell_c_depth);
    lx.pos = range.start;
    lx.record_map = true;
    lx.record_nest = p.nest;
    lx.discard = true;
    let (word, map) = lx.lex_word(false);
    let map = map.unwrap_or_else(|| OffsetMap::new(range.start));
    let (value, map) = if offset == 0 {
        (word.value.as_str(), map)
    } else {
        match word.value.get(offset..) {
            Some(v) => (v, map.suffix(offset)),
            None => return,
        }
    };
    // Substitutions outside single quotes are run by the outer shell, and the outer parse
    // has reported their commands already: skip them in the inner parse (that also keeps
    // `sh -c "$(sh -c "$(…)")"` from being expanded once per level).
    let skip = merge_ranges(
        lx.outer_substitutions
            .iter()
            .filter(|r| r.end > offset)
            .map(|r| r.start.saturating_sub(offset)..r.end - offset)
            .collect(),
    );
    let Some(rest) = p.reparse_budget.checked_sub(value.len()) else {
        p.error(
            range,
            "too much nested `sh -c` text; this string is not analysed",
        );
        return;
    };
    p.reparse_budget = rest;
    let out = parse_text(
        value,
        ctx,
        p.nest + 1,
        p.shell_c_depth + 1,
        &skip,
        &mut p.reparse_budget,
    );
    p.absorb(out, &map);
}

/// Sorted, disjoint version of `ranges`.
fn merge_ranges(mut ranges: Vec<Range>) -> Vec<Range> {
    ranges.sort_by_key(|r| r.start);
    let mut out: Vec<Range> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// Whether `at` lies inside one of the sorted, disjoint `ranges`.
fn inside(ranges: &[Range], at: usize) -> bool {
    let i = ranges.partition_point(|r| r.end <= at);
    ranges.get(i).is_some_and(|r| r.start <= at)
}

impl Parser<'_> {
    /// Add the result of a separate parse, mapping its ranges through `map` and shifting its
    /// pipeline numbers.
    pub(super) fn absorb(&mut self, out: Output, map: &OffsetMap) {
        let base = self.next_pipeline;
        self.next_pipeline += out.pipelines;
        for mut cmd in out.commands {
            map_command(&mut cmd, map);
            if !self.room_for_command(cmd.range.start) {
                break;
            }
            cmd.pipeline += base;
            self.nested.push(cmd);
        }
        for e in out.errors {
            self.error(map.range(&e.range), e.message);
        }
        for mut f in out.functions {
            f.range = map.range(&f.range);
            self.functions.push(f);
        }
        for mut o in out.operators {
            o.range = map.range(&o.range);
            if self.operators.len() < MAX_COMMANDS {
                self.operators.push(o);
            }
        }
    }

    /// Drop everything that starts inside `skip` (sorted, disjoint).
    fn drop_inside(&mut self, skip: &[Range]) {
        let keep = |r: &Range| !inside(skip, r.start);
        self.out.retain(|c| keep(&c.range));
        self.nested.retain(|c| keep(&c.range));
        self.errors.retain(|e| keep(&e.range));
        self.functions.retain(|f| keep(&f.range));
        self.operators.retain(|o| keep(&o.range));
    }
}

fn map_command(cmd: &mut Command, map: &OffsetMap) {
    cmd.range = map.range(&cmd.range);
    for w in cmd.assignments.iter_mut().chain(cmd.words.iter_mut()) {
        w.range = map.range(&w.range);
    }
    for r in &mut cmd.redirects {
        r.range = map.range(&r.range);
        if let Some(t) = &mut r.target {
            t.range = map.range(&t.range);
        }
        if let Some(b) = &mut r.body {
            *b = map.range(b);
        }
    }
}

/// Shells whose `-c` takes a command string.
const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "yash"];

/// Programs that run a command given in their arguments: `sudo sh -c …`, `env X=1 bash -c …`,
/// `xargs sh -c …`, `find … -exec sh -c … \;`. The shell is found by name among their
/// arguments (their own options are not parsed, so this is a heuristic).
const WRAPPERS: &[&str] = &[
    "sudo", "env", "exec", "command", "nohup", "nice", "time", "timeout", "setsid", "stdbuf",
    "chroot", "xargs", "gosu", "su-exec", "busybox", "find",
];

/// If `cmd` runs a command string (`sh -c STRING`, `bash -ex -c STRING`, `sudo sh -c STRING`,
/// `su -c STRING`, `su --command=STRING`), the index of the word holding it and the byte
/// offset in its value where the string starts.
pub(super) fn shell_c_argument(cmd: &Command) -> Option<(usize, usize)> {
    let name = cmd.basename()?;
    if name == "su" {
        return su_command_argument(&cmd.words);
    }
    let shell = if SHELLS.contains(&name) {
        0
    } else if WRAPPERS.contains(&name) {
        wrapped_shell(&cmd.words, name == "find")?
    } else {
        return None;
    };
    shell_command_string(&cmd.words, shell)
}

/// Index of the shell a wrapper runs; for `find`, only as the program of `-exec` & co.
fn wrapped_shell(words: &[Word], find: bool) -> Option<usize> {
    let mut armed = !find;
    for (i, w) in words.iter().enumerate().skip(1) {
        let v = w.value.as_str();
        if find && matches!(v, "-exec" | "-execdir" | "-ok" | "-okdir") {
            armed = true;
        } else if armed && SHELLS.contains(&basename(v)) {
            return Some(i);
        } else if find && (v == ";" || v == "+") {
            armed = false;
        }
    }
    None
}

/// The command string of a shell invoked as `words[shell]` with `-c`.
fn shell_command_string(words: &[Word], shell: usize) -> Option<(usize, usize)> {
    // Options come first; with `-c` among them, the first operand is the command string.
    // `-o opt`/`-O opt`/`+o opt` and `--rcfile file`/`--init-file file` take an argument.
    let mut saw_c = false;
    let mut i = shell + 1;
    while let Some(w) = words.get(i) {
        let v = w.value.as_str();
        if v == "--" || v == "-" {
            i += 1;
            break;
        }
        if let Some(long) = v.strip_prefix("--") {
            i += if matches!(long, "rcfile" | "init-file") {
                2
            } else {
                1
            };
            continue;
        }
        let Some(flags) = v.strip_prefix('-').or_else(|| v.strip_prefix('+')) else {
            break;
        };
        if flags.is_empty() {
            break;
        }
        if v.starts_with('-') && flags.contains('c') {
            saw_c = true;
        }
        i += if flags.contains(['o', 'O']) { 2 } else { 1 };
    }
    if saw_c && i < words.len() {
        Some((i, 0))
    } else {
        None
    }
}

/// `su [options] [user] -c STRING` (also `-lc STRING`, `--command STRING`,
/// `--command=STRING`): su's `-c` takes the string as its option argument.
fn su_command_argument(words: &[Word]) -> Option<(usize, usize)> {
    for (i, w) in words.iter().enumerate().skip(1) {
        let v = w.value.as_str();
        if v == "--" {
            return None;
        }
        if v.starts_with("--command=") {
            return Some((i, "--command=".len()));
        }
        let short_c = v.len() > 1 && v.starts_with('-') && !v.starts_with("--") && v.ends_with('c');
        if short_c || v == "--command" {
            return (i + 1 < words.len()).then_some((i + 1, 0));
        }
    }
    None
}
