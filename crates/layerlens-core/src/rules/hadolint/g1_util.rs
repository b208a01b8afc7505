//! Helpers shared by the g1 rules (DL1001–DL3016): apt subcommands, variable expansion that
//! only trusts fully known values, and which stages end up in an image. Also the helpers
//! for the fixes of DL1001–DL3038 (word positions, flag insertion, appending a step to a
//! RUN in its own layout, new instruction lines), and the corpus tests of those fixes.

use crate::fix::Edit;
use crate::instructions::{CommandLine, Typed};
use crate::model::{Base, Binding, Model, BUILTIN_ARGS};
use crate::shell::{parse_script, Command, Operator, Word};
use crate::syntax::lex::{Env, Lexer};
use crate::syntax::PieceKind;

use crate::rules::{Context, ScriptPart};
use crate::text::Span;

/// Options of apt-get/apt/aptitude that take the next word as their value.
pub const APT_VALUE_FLAGS: [&str; 6] = [
    "-o",
    "-c",
    "-t",
    "--target-release",
    "--option",
    "--config-file",
];

/// The subcommand of an apt-get/apt/aptitude call (`install`, `update`...): its first
/// operand once option values are skipped.
pub fn apt_subcommand(cmd: &Command) -> Option<&Word> {
    cmd.positional_args_with(&APT_VALUE_FLAGS)
        .into_iter()
        .next()
}

/// Whether `cmd` is `tool <subcommand>` for an apt front end.
pub fn is_apt_call(cmd: &Command, tools: &[&str], subcommand: &str) -> bool {
    tools.iter().any(|t| cmd.is(t)) && apt_subcommand(cmd).is_some_and(|w| w.value == subcommand)
}

/// Source span from a command's name to its subcommand word (`apt-get install`), or the
/// whole command when there is no subcommand.
pub fn name_to_subcommand_span(
    context: &Context,
    part: &ScriptPart,
    cmd: &Command,
    subcommand: Option<&Word>,
) -> Span {
    match (cmd.words.first(), subcommand) {
        (Some(name), Some(sub)) => part.span(context.model, &(name.range.start..sub.range.end)),
        _ => part.command_span(context.model, cmd),
    }
}

/// Removes one pair of surrounding quotes (`"x"` or `'x'`), as hadolint does for paths.
pub fn strip_quotes(s: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

/// The result of expanding a word with BuildKit's rules.
pub enum Expanded {
    /// No variables, or every variable has a known value: the final text.
    Known(String),
    /// Some variable has no value we can see (set by `--build-arg` or the base image):
    /// the final text cannot be known here.
    Unknown,
}

/// Expands `word` with the ARG/ENV visible at instruction `i`. Quotes are removed. When the
/// lexer rejects the word, the text with outer quotes stripped is returned.
pub fn expand_at(model: &Model, i: usize, word: &str) -> Expanded {
    let lexer = Lexer::new(model.doc.directives.escape);
    match lexer.process(word, &model.scope(i)) {
        Ok(p) if p.unmatched.is_empty() => Expanded::Known(p.result),
        Ok(_) => Expanded::Unknown,
        Err(_) if word.contains('$') => Expanded::Unknown,
        Err(_) => Expanded::Known(strip_quotes(word).to_string()),
    }
}

/// The global scope (ARGs before the first FROM plus BuildKit's builtin ARGs), for FROM.
struct Globals<'a>(&'a [Binding]);

impl Env for Globals<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        match self.0.iter().rev().find(|b| b.name == name) {
            Some(b) => b.value.as_deref(),
            None => BUILTIN_ARGS
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| *v),
        }
    }
}

/// Expands a FROM image with the global ARGs.
pub fn expand_global(model: &Model, word: &str) -> Expanded {
    let lexer = Lexer::new(model.doc.directives.escape);
    match lexer.process(word, &Globals(&model.global_args)) {
        Ok(p) if p.unmatched.is_empty() => Expanded::Known(p.result),
        _ => Expanded::Unknown,
    }
}

/// Per stage: whether what its instructions leave on disk ends up in an image. That is the
/// target (final) stage, and every stage a later stage is built `FROM` (its files are
/// inherited). A stage only read by `COPY --from` is not: the copy takes the files it names,
/// not the rest.
pub fn kept_stages(context: &Context) -> Vec<bool> {
    let stages = &context.model.stages;
    let mut kept: Vec<bool> = (0..stages.len())
        .map(|s| context.is_final_stage(s))
        .collect();
    for stage in stages {
        if let Base::Stage(parent) = stage.base {
            if parent < stage.index {
                if let Some(k) = kept.get_mut(parent) {
                    *k = true;
                }
            }
        }
    }
    kept
}

/// Whether instruction `i` is in a kept stage (see [`kept_stages`]); instructions before
/// any FROM count as kept.
pub fn is_kept(kept: &[bool], context: &Context, i: usize) -> bool {
    context
        .stage_of(i)
        .is_none_or(|s| kept.get(s).copied().unwrap_or(true))
}

/// The last path component, splitting on `/` and `\` (Windows paths), quotes removed.
/// Stray quotes are dropped too: BuildKit splits a shell-form COPY on whitespace, so
/// `"C:\Program Files\a.tar"` arrives as two words, `"C:\Program` and `Files\a.tar"`.
pub fn path_basename(path: &str) -> &str {
    let path = path.trim_matches(['"', '\'']);
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

// ---------------------------------------------------------------------------------------
// Fix helpers, shared by the fixes of DL1001–DL3038: where a shell word sits in the source,
// flag insertions, appending a step to a RUN in the file's own layout, and "does anything
// later build on this instruction's files".

/// Where a word of a RUN's shell analysis sits in the source, for editing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WordAt {
    /// Shell text: the span holds exactly the word as written (quotes included).
    Shell(Span),
    /// One argument of an exec-form RUN: the span is its whole JSON string token.
    Json(Span),
}

impl WordAt {
    pub fn span(self) -> Span {
        match self {
            WordAt::Shell(s) | WordAt::Json(s) => s,
        }
    }
}

/// Where `word` (of `part`, in RUN `i`) is written, when an edit can target it exactly:
/// `None` for words that only map approximately (inside an `sh -c` string of an exec-form
/// RUN, or rebuilt across an escape).
pub fn word_at(context: &Context, i: usize, part: &ScriptPart, word: &Word) -> Option<WordAt> {
    if word.range.is_empty() {
        return None;
    }
    let span = part.span(context.model, &word.range);
    let slice = context.model.doc.text.get(span.start..span.end)?;
    if slice == word.raw(&part.text) {
        return Some(WordAt::Shell(span));
    }
    if !context.run(i)?.exec_form {
        return None;
    }
    let Typed::Run(run) = context.typed_effective(i).0 else {
        return None;
    };
    let CommandLine::Exec(items) = &run.command else {
        return None;
    };
    let is_token = slice.len() >= 2 && slice.starts_with('"') && slice.ends_with('"');
    items
        .iter()
        .any(|item| item.span == span && item.value == word.value && is_token)
        .then_some(WordAt::Json(span))
}

/// The text that adds `flag` after a word: ` -y` in shell text, `, "-y"` in exec form.
fn flag_suffix(at: WordAt, flag: &str) -> String {
    match at {
        WordAt::Shell(_) => format!(" {flag}"),
        WordAt::Json(_) => format!(", \"{flag}\""),
    }
}

/// An edit that inserts `flag` right after `word` (`apk add` → `apk add --no-cache`).
pub fn insert_flag_after(
    context: &Context,
    i: usize,
    part: &ScriptPart,
    word: &Word,
    flag: &str,
) -> Option<Edit> {
    let at = word_at(context, i, part, word)?;
    Some(Edit::insert(at.span().end, flag_suffix(at, flag)))
}

/// Like [`insert_flag_after`], but written as a replacement of the word itself
/// (`install` → `install -y`). Another rule's insertion right after the same word
/// (`--no-install-recommends`) then combines with it in one pass instead of clashing.
pub fn rewrite_word_with_flag(
    context: &Context,
    i: usize,
    part: &ScriptPart,
    word: &Word,
    flag: &str,
) -> Option<Edit> {
    let at = word_at(context, i, part, word)?;
    let span = at.span();
    let written = context.model.doc.text.get(span.start..span.end)?;
    Some(Edit::replace(
        span,
        format!("{written}{}", flag_suffix(at, flag)),
    ))
}

/// `keyword` (given in upper case) in the casing of `written` (`run` → `workdir`).
pub fn keyword_in_style(written: &str, keyword: &str) -> String {
    if !written.chars().any(|c| c.is_ascii_uppercase()) {
        keyword.to_ascii_lowercase()
    } else if !written.chars().any(|c| c.is_ascii_lowercase()) {
        keyword.to_ascii_uppercase()
    } else {
        let lower = keyword.to_ascii_lowercase();
        let mut chars = lower.chars();
        chars
            .next()
            .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
            .unwrap_or_default()
    }
}

/// The line break instruction `i` uses (`\r\n` or `\n`).
pub fn line_break(context: &Context, i: usize) -> &'static str {
    let source = context.model.doc.text.as_str();
    let first = context
        .instruction(i)
        .pieces
        .first()
        .map_or("", |p| p.span.slice(source));
    // A last line without a break (only one per file): the file's first break decides.
    let crlf = if first.ends_with('\n') {
        first.ends_with("\r\n")
    } else {
        source
            .find('\n')
            .is_some_and(|n| source[..n].ends_with('\r'))
    };
    if crlf {
        "\r\n"
    } else {
        "\n"
    }
}

/// Leading spaces and tabs of `line`.
fn indentation(line: &str) -> &str {
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// Whether `candidate` (a script with `step` appended) runs `step` last, at the
/// top level, after everything before it: the new text parses without errors and its last
/// command is exactly `step`, preceded by `op`.
fn appends_cleanly(candidate: &str, step: &str, op: Operator) -> bool {
    let script = parse_script(candidate);
    if !script.errors.is_empty() {
        return false;
    }
    let Some(last) = script.commands.last() else {
        return false;
    };
    let words: Vec<&str> = last.words.iter().map(|w| w.value.as_str()).collect();
    let expected: Vec<&str> = step.split_whitespace().collect();
    words == expected
        && last.assignments.is_empty()
        && last.redirects.is_empty()
        && last.subshell_depth == 0
        && !last.via_shell_c
        && !last.in_condition
        && !last.in_loop_or_branch
        && !last.in_function
        && !last.in_substitution
        && last.operator_before == Some(op)
        && matches!(last.operator_after, None | Some(Operator::Semi))
        && candidate
            .get(last.range.end..)
            .is_some_and(|rest| rest.trim().is_empty())
}

/// An edit that appends the shell command `step` (plain words, no quoting needed) at the
/// end of `part` of RUN `i`, so it runs after everything else there, in the layout the RUN
/// already uses:
/// - one line: ` && step` at the end of the line;
/// - continuation lines with leading operators (`⏎    && b`): a new line `    && step`;
/// - continuation lines with trailing operators (`a && \⏎    b`): ` && \` then `    step`;
/// - a heredoc script: a new line `step` before the terminator, indented like the last line.
///
/// `None` for exec form, for scripts with shell syntax errors, or when the result would not
/// run `step` last at the top level (a trailing `&`, `;`, comment...).
pub fn append_step(context: &Context, i: usize, part: &ScriptPart, step: &str) -> Option<Edit> {
    let run = context.run(i)?;
    if run.exec_form || !part.script.errors.is_empty() {
        return None;
    }
    let index = run.parts.iter().position(|p| std::ptr::eq(p, part))?;
    if index == 0 {
        append_to_line(context, i, part, step)
    } else {
        append_to_heredoc(context, i, part, step)
    }
}

fn append_to_line(context: &Context, i: usize, part: &ScriptPart, step: &str) -> Option<Edit> {
    let text = part.text.as_str();
    let end = text.trim_end().len();
    let last_char = text[..end].chars().next_back()?;
    if !appends_cleanly(&format!("{} && {step}", &text[..end]), step, Operator::And) {
        // A script that ends with `;` takes the step after it, on the same line.
        let after_semicolon = last_char == ';'
            && appends_cleanly(&format!("{} {step}", &text[..end]), step, Operator::Semi);
        if !after_semicolon {
            return None;
        }
        let last = part.span(context.model, &(end - 1..end));
        let source = context.model.doc.text.as_str();
        return (source.get(last.start..last.end) == Some(";"))
            .then(|| Edit::insert(last.end, format!(" {step}")));
    }
    let source = context.model.doc.text.as_str();
    let last = part.span(context.model, &(end - last_char.len_utf8()..end));
    if source.get(last.start..last.end) != text.get(end - last_char.len_utf8()..end) {
        return None;
    }
    let at = last.end;
    let instruction = context.instruction(i);
    let lines: Vec<Span> = instruction
        .pieces
        .iter()
        .filter(|p| p.kind == PieceKind::Line)
        .map(|p| p.span)
        .collect();
    let current = lines.iter().position(|l| l.start < at && at <= l.end)?;
    if current == 0 {
        return Some(Edit::insert(at, format!(" && {step}")));
    }
    let escape = context.model.doc.directives.escape;
    let newline = line_break(context, i);
    let content = |n: usize| -> &str {
        lines
            .get(n)
            .map_or("", |l| l.slice(source).trim_end_matches(['\r', '\n']))
    };
    // Leading operators: the last continuation line that starts with `&&` gives the indent.
    if let Some(n) = (1..=current)
        .rev()
        .find(|&n| content(n).trim_start().starts_with("&&"))
    {
        let indent = indentation(content(n));
        return Some(Edit::insert(
            at,
            format!(" {escape}{newline}{indent}&& {step}"),
        ));
    }
    // Trailing operators: a line ending in `&& \` gives the indent of the line after it.
    let ends_with_and = |n: usize| {
        content(n)
            .trim_end()
            .strip_suffix(escape)
            .is_some_and(|rest| rest.trim_end().ends_with("&&"))
    };
    if let Some(n) = (0..current).rev().find(|&n| ends_with_and(n)) {
        let indent = indentation(content(n + 1));
        return Some(Edit::insert(
            at,
            format!(" && {escape}{newline}{indent}{step}"),
        ));
    }
    Some(Edit::insert(at, format!(" && {step}")))
}

fn append_to_heredoc(context: &Context, i: usize, part: &ScriptPart, step: &str) -> Option<Edit> {
    let base = part.span(context.model, &(0..0)).start;
    let heredoc = context
        .instruction(i)
        .heredocs
        .iter()
        .find(|h| h.body.start == base && h.content == part.text)?;
    heredoc.terminator?;
    let content = heredoc.content.as_str();
    if !content.ends_with('\n') {
        return None;
    }
    let newline = if content.ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let indent = content
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .map_or("", indentation);
    let addition = format!("{indent}{step}{newline}");
    if !appends_cleanly(&format!("{content}{addition}"), step, Operator::Semi) {
        return None;
    }
    Some(Edit::insert(base + content.len(), addition))
}

/// An edit that deletes command `first`, the `&&` or `;` after it and the blanks that
/// follow (`apk update && apk add x` → `apk add x`). `first` must be in the RUN's own line
/// (not a heredoc body or an `sh -c` string), and the deleted source must hold no comment
/// line.
pub fn delete_with_operator(
    context: &Context,
    i: usize,
    part: &ScriptPart,
    first: &Command,
) -> Option<Edit> {
    let run = context.run(i)?;
    if run.exec_form
        || first.via_shell_c
        || !matches!(first.operator_after, Some(Operator::And | Operator::Semi))
    {
        return None;
    }
    if !run.parts.first().is_some_and(|p| std::ptr::eq(p, part)) {
        return None;
    }
    let text = part.text.as_str();
    let operator = part
        .script
        .operators
        .iter()
        .find(|o| o.range.start >= first.range.end)?;
    if !text
        .get(first.range.end..operator.range.start)?
        .trim()
        .is_empty()
    {
        return None;
    }
    let after = text.get(operator.range.end..)?;
    let end = operator.range.end + (after.len() - after.trim_start().len());
    if end >= text.trim_end().len() {
        return None;
    }
    let span = part.span(context.model, &(first.range.start..end));
    let comment_inside =
        context.instruction(i).pieces.iter().any(|p| {
            p.kind != PieceKind::Line && span.start < p.span.start && p.span.start < span.end
        });
    if comment_inside || span.is_empty() {
        return None;
    }
    Some(Edit::delete(span))
}

/// An edit that adds the instruction line `line` (keyword in upper case, e.g.
/// `WORKDIR /src`) right before instruction `i`, on a line of its own with the same
/// indentation, its keyword in the casing of instruction `i`'s.
pub fn line_before(context: &Context, i: usize, line: &str) -> Option<Edit> {
    let instruction = context.instruction(i);
    let keyword = &instruction.command.keyword_text;
    let source = context.model.doc.text.as_str();
    let indent = source.get(instruction.span.start..keyword.span.start)?;
    if !indent.chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    let text = styled_line(&keyword.value, line);
    let newline = line_break(context, i);
    Some(Edit::insert(
        keyword.span.start,
        format!("{text}{newline}{indent}"),
    ))
}

/// An edit that adds the instruction line `line` right after instruction `i` (after its
/// heredoc bodies), with the same indentation and keyword casing.
pub fn line_after(context: &Context, i: usize, line: &str) -> Option<Edit> {
    let instruction = context.instruction(i);
    let keyword = &instruction.command.keyword_text;
    let source = context.model.doc.text.as_str();
    let indent = source.get(instruction.span.start..keyword.span.start)?;
    if !indent.chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    let text = styled_line(&keyword.value, line);
    let newline = line_break(context, i);
    let end = instruction.span.end;
    let ends_line = source.get(..end)?.ends_with('\n');
    Some(Edit::insert(
        end,
        if ends_line {
            format!("{indent}{text}{newline}")
        } else {
            format!("{newline}{indent}{text}")
        },
    ))
}

/// `line` with its first word (an upper-case keyword) in the casing of `written`.
fn styled_line(written: &str, line: &str) -> String {
    let (keyword, rest) = line.split_once(' ').unwrap_or((line, ""));
    let keyword = keyword_in_style(written, keyword);
    if rest.is_empty() {
        keyword
    } else {
        format!("{keyword} {rest}")
    }
}

/// For every instruction: whether some instruction for which `matches` holds runs later on
/// top of its files: further down its stage, or in a stage built `FROM` that stage
/// (directly or through other stages). Linear in the number of instructions.
pub fn matched_later(context: &Context, matches: impl Fn(usize) -> bool) -> Vec<bool> {
    let stages = &context.model.stages;
    let mut out = vec![false; context.len()];
    // Per stage: whether any instruction in it matches; then whether any descendant does.
    let mut own = vec![false; stages.len()];
    for stage in stages {
        let mut seen = false;
        for &j in stage.instructions.iter().rev() {
            if let Some(slot) = out.get_mut(j) {
                *slot = seen;
            }
            seen |= matches(j);
        }
        if let Some(slot) = own.get_mut(stage.index) {
            *slot = seen;
        }
    }
    let mut below = vec![false; stages.len()];
    for stage in stages.iter().rev() {
        let total = own.get(stage.index).copied().unwrap_or(false)
            || below.get(stage.index).copied().unwrap_or(false);
        if let Base::Stage(parent) = stage.base {
            if parent < stage.index {
                if let Some(slot) = below.get_mut(parent) {
                    *slot |= total;
                }
            }
        }
    }
    for stage in stages {
        if below.get(stage.index).copied().unwrap_or(false) {
            for &j in &stage.instructions {
                if let Some(slot) = out.get_mut(j) {
                    *slot = true;
                }
            }
        }
    }
    out
}

#[cfg(test)]
pub mod test_util {
    use crate::model::Model;
    use crate::rules::{lint, Config, Finding, LintOptions};

    /// Findings of `code` on `text` (off-by-default rules included).
    pub fn findings(code: &str, text: &str) -> Vec<Finding> {
        let model = Model::parse(text);
        lint(
            &model,
            &Config::default(),
            None,
            &LintOptions {
                keep_off_by_default: true,
            },
        )
        .into_iter()
        .filter(|f| f.code == code)
        .collect()
    }

    /// The source text each finding of `code` points at.
    pub fn spans(code: &str, text: &str) -> Vec<String> {
        findings(code, text)
            .iter()
            .map(|f| text[f.span.start..f.span.end].to_string())
            .collect()
    }

    pub fn count(code: &str, text: &str) -> usize {
        findings(code, text).len()
    }

    /// `text` with every fix of `code` applied (safe and unsafe), once.
    pub fn fixed(code: &str, text: &str) -> String {
        let found = findings(code, text);
        crate::fix::apply_fixes(text, found.iter().filter_map(|f| f.fix.as_ref())).0
    }

    /// `text` with only the safe fixes of `code` applied.
    pub fn fixed_safe(code: &str, text: &str) -> String {
        let found = findings(code, text);
        let safe = found
            .iter()
            .filter_map(|f| f.fix.as_ref())
            .filter(|f| f.applicability == crate::fix::Applicability::Safe);
        crate::fix::apply_fixes(text, safe).0
    }

    /// How many findings of `code` carry a fix.
    pub fn fix_count(code: &str, text: &str) -> usize {
        findings(code, text)
            .iter()
            .filter(|f| f.fix.is_some())
            .count()
    }
}

#[cfg(test)]
mod corpus_fixes {
    //! Every fix of the rules DL1001–DL3038 applied over the whole corpus: the result parses,
    //! the fixed findings go away, and no rule reports anything it did not report before.

    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    use crate::fix::{apply_fixes, Applicability};
    use crate::model::Model;
    use crate::rules::{lint, Config, Finding, LintOptions};

    /// The codes whose fixes live in this group's files.
    const CODES: [&str; 37] = [
        "DL1001", "DL3000", "DL3001", "DL3002", "DL3003", "DL3004", "DL3006", "DL3007", "DL3008",
        "DL3009", "DL3010", "DL3011", "DL3012", "DL3013", "DL3014", "DL3015", "DL3016", "DL3018",
        "DL3019", "DL3020", "DL3021", "DL3022", "DL3023", "DL3024", "DL3025", "DL3026", "DL3027",
        "DL3028", "DL3029", "DL3030", "DL3032", "DL3033", "DL3034", "DL3035", "DL3036", "DL3037",
        "DL3038",
    ];

    fn corpus_files() -> Vec<PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
        let mut files: Vec<PathBuf> = std::fs::read_dir(root)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|g| g.path().is_dir())
            .flat_map(|g| std::fs::read_dir(g.path()).into_iter().flatten().flatten())
            .map(|f| f.path())
            .collect();
        files.sort();
        files
    }

    fn findings(text: &str) -> (Model, Vec<Finding>) {
        let model = Model::parse(text);
        let options = LintOptions {
            keep_off_by_default: true,
        };
        let found = lint(&model, &Config::default(), None, &options);
        (model, found)
    }

    fn per_code(found: &[Finding]) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for f in found {
            *counts.entry(f.code).or_insert(0) += 1;
        }
        counts
    }

    fn parses(model: &Model) -> bool {
        model.doc.errors.is_empty() && model.errors.is_empty()
    }

    /// What a file looks like after fixing: its text, how many fixes were applied, and the
    /// per-code counts of all findings afterwards.
    struct Fixed {
        text: String,
        applied: usize,
        after: BTreeMap<&'static str, usize>,
    }

    /// Applies the fixes of `CODES` (of the given classes) until none is left (at most a
    /// few passes), starting from the file's findings `before`, and records broken
    /// invariants: the file must still parse, and no rule may report more than before.
    fn fix_file(
        name: &str,
        text: &str,
        before: &[Finding],
        parsed: bool,
        unsafe_too: bool,
        problems: &mut Vec<String>,
    ) -> Fixed {
        let counts_before = per_code(before);
        let mut current = text.to_string();
        let mut found: Vec<Finding> = before.to_vec();
        let mut applied = 0;
        for _ in 0..4 {
            let fixes: Vec<_> = found
                .iter()
                .filter(|f| CODES.contains(&f.code))
                .filter_map(|f| f.fix.as_ref())
                .filter(|f| unsafe_too || f.applicability == Applicability::Safe)
                .collect();
            let (next, n) = apply_fixes(&current, fixes);
            if n == 0 || next == current {
                break;
            }
            applied += n;
            current = next;
            let (model, again) = findings(&current);
            if parsed && !parses(&model) {
                problems.push(format!(
                    "{name}: no longer parses: {:?} {:?}",
                    model.doc.errors, model.errors
                ));
            }
            found = again;
        }
        let after = per_code(&found);
        for (code, n) in &after {
            let was = counts_before.get(code).copied().unwrap_or(0);
            if *n > was {
                problems.push(format!("{name}: {code} went from {was} to {n} findings"));
            }
        }
        Fixed {
            text: current,
            applied,
            after,
        }
    }

    /// Applies the fixes to every text (safe ones, then safe and unsafe ones), prints what
    /// changed and returns the broken invariants (and the fixed texts, safe+unsafe).
    fn check_texts(label: &str, texts: &[(String, String)]) -> (Vec<String>, Vec<String>) {
        let mut problems = Vec::new();
        let linted: Vec<(bool, Vec<Finding>)> = texts
            .iter()
            .map(|(_, text)| {
                let (model, found) = findings(text);
                (parses(&model), found)
            })
            .collect();
        // How many findings of each rule carry a fix, and of which class.
        let mut offered: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
        for (_, found) in &linted {
            for f in found.iter().filter(|f| CODES.contains(&f.code)) {
                let slot = offered.entry(f.code).or_default();
                slot[0] += 1;
                match f.fix.as_ref().map(|x| x.applicability) {
                    Some(Applicability::Safe) => slot[1] += 1,
                    Some(Applicability::Unsafe) => slot[2] += 1,
                    None => {}
                }
            }
        }
        println!("{label}: findings with a fix over {} files:", texts.len());
        for (code, [all, safe, unsafe_]) in &offered {
            if safe + unsafe_ > 0 {
                println!("  {code}: {all} findings, {safe} with a safe fix, {unsafe_} with an unsafe fix");
            }
        }
        let mut fixed_texts = Vec::new();
        for unsafe_too in [false, true] {
            let (mut changed, mut applied) = (0, 0);
            let (mut mine_before, mut mine_after) = (0, 0);
            let mut per_rule: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
            for ((name, text), (parsed, before)) in texts.iter().zip(&linted) {
                let fixed = fix_file(name, text, before, *parsed, unsafe_too, &mut problems);
                let mine = |counts: BTreeMap<&'static str, usize>| {
                    counts
                        .into_iter()
                        .filter(|(c, _)| CODES.contains(c))
                        .collect::<BTreeMap<_, _>>()
                };
                let b = mine(per_code(before));
                let a = mine(fixed.after);
                for (code, k) in &b {
                    let entry = per_rule.entry(code).or_default();
                    entry.0 += k;
                    entry.1 += a.get(code).copied().unwrap_or(0);
                }
                mine_before += b.values().sum::<usize>();
                mine_after += a.values().sum::<usize>();
                if fixed.applied > 0 {
                    changed += 1;
                    applied += fixed.applied;
                }
                if unsafe_too {
                    fixed_texts.push(fixed.text);
                }
            }
            println!(
                "{label}, {} fixes: {changed} of {} files changed, {applied} fixes applied, findings of DL1001–DL3038 {mine_before} -> {mine_after}",
                if unsafe_too { "safe+unsafe" } else { "safe" },
                texts.len()
            );
            for (code, (b, a)) in per_rule {
                if a != b {
                    println!("  {code}: {b} -> {a}");
                }
            }
        }
        (problems, fixed_texts)
    }

    #[test]
    fn fixes_over_the_corpus_keep_files_valid_and_add_no_findings() {
        let texts: Vec<(String, String)> = corpus_files()
            .iter()
            .filter_map(|f| Some((f.display().to_string(), std::fs::read_to_string(f).ok()?)))
            .collect();
        assert!(texts.len() > 400, "corpus not found");
        let (problems, _) = check_texts("corpus", &texts);
        assert!(problems.is_empty(), "{problems:#?}");
    }

    /// Layout variants of a Dockerfile: as written, with CRLF line ends, with lower-case
    /// keywords, indented, and with the backtick escape character.
    fn variants(text: &str) -> Vec<String> {
        const KEYWORDS: [&str; 12] = [
            "FROM",
            "RUN",
            "COPY",
            "ADD",
            "WORKDIR",
            "USER",
            "CMD",
            "ENTRYPOINT",
            "HEALTHCHECK",
            "ONBUILD",
            "EXPOSE",
            "ARG",
        ];
        let lower: String = text
            .split_inclusive('\n')
            .map(|line| match line.split_once(' ') {
                Some((k, rest)) if KEYWORDS.contains(&k) => format!("{} {rest}", k.to_lowercase()),
                _ => line.to_string(),
            })
            .collect();
        let indented: String = text
            .split_inclusive('\n')
            .map(|line| match line.split_once(' ') {
                Some((k, _)) if KEYWORDS.contains(&k) => format!("  {line}"),
                _ => line.to_string(),
            })
            .collect();
        vec![
            text.to_string(),
            text.replace('\n', "\r\n"),
            lower,
            indented,
            format!("# escape=`\n{}", text.replace("\\\n", "`\n")),
        ]
    }

    /// Every fixable rule's `bad` example, in every layout variant: the fixes apply, the
    /// file still parses, the rule falls silent and nothing else starts firing.
    #[test]
    fn fixes_over_layout_variants_of_the_bad_examples() {
        let mut texts = Vec::new();
        for rule in crate::rules::registry() {
            if !CODES.contains(&rule.code) || rule.fix == crate::rules::Fixability::None {
                continue;
            }
            for (n, text) in variants(rule.docs.bad).into_iter().enumerate() {
                let (_, found) = findings(&text);
                let fixable = found.iter().any(|f| f.code == rule.code && f.fix.is_some());
                assert!(fixable, "{} variant {n} gets no fix:\n{text}", rule.code);
                texts.push((format!("{} variant {n}", rule.code), text));
            }
        }
        let (problems, fixed) = check_texts("layout variants", &texts);
        assert!(problems.is_empty(), "{problems:#?}");
        for ((name, _), fixed) in texts.iter().zip(&fixed) {
            let code = name.split(' ').next().unwrap_or("");
            let (_, after) = findings(fixed);
            assert!(
                after.iter().all(|f| f.code != code),
                "{name}: {code} still fires after its fixes:\n{fixed}"
            );
        }
    }

    /// hadolint's own test Dockerfiles (for every rule) are small and full of the patterns
    /// the fixes rewrite, so they exercise the fixes far more than the corpus does.
    #[test]
    fn fixes_over_hadolint_cases_keep_files_valid_and_add_no_findings() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/conformance/hadolint/hadolint_cases.jsonl");
        let data = std::fs::read_to_string(path).expect("hadolint cases");
        let texts: Vec<(String, String)> = data
            .lines()
            .filter_map(|line| {
                let case: serde_json::Value = serde_json::from_str(line).ok()?;
                Some((
                    case["id"].as_str()?.to_string(),
                    case["dockerfile"].as_str()?.to_string(),
                ))
            })
            .collect();
        let (problems, _) = check_texts("hadolint cases", &texts);
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
