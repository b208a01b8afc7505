//! Edits the guide's rules build their fixes from, written so that a fixed file keeps its own
//! style: the escape character, line endings, keyword casing, and the continuation layout
//! of the RUN being edited.
//!
//! (Candidates for the framework: `Style`, `append_step`, `delete_command`, `block_start`.)

use crate::fix::Edit;
use crate::model::Model;
use crate::rules::{RunAnalysis, ScriptPart};
use crate::shell::{Command, Operator};
use crate::syntax::{NodeKind, PieceKind};
use crate::text::Span;

// ---------------------------------------------------------------------------------------
// The file's style

/// How the file writes things: continuation character, line ending, keyword casing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    pub escape: char,
    pub newline: &'static str,
    /// Most keywords are written in lower case.
    pub lowercase: bool,
}

impl Style {
    pub fn of(model: &Model) -> Style {
        let text = &model.doc.text;
        let newline = match text.find('\n') {
            Some(at) if at > 0 && text.as_bytes()[at - 1] == b'\r' => "\r\n",
            _ => "\n",
        };
        let (mut lower, mut upper) = (0, 0);
        for ins in &model.doc.instructions {
            let k = &ins.command.keyword_text.value;
            if k.chars().any(|c| c.is_ascii_alphabetic()) {
                if k.chars().all(|c| !c.is_ascii_uppercase()) {
                    lower += 1;
                } else if k.chars().all(|c| !c.is_ascii_lowercase()) {
                    upper += 1;
                }
            }
        }
        Style {
            escape: model.doc.directives.escape,
            newline,
            lowercase: lower > upper,
        }
    }

    /// An instruction keyword in the file's casing (`RUN` or `run`).
    pub fn keyword(&self, keyword: &str) -> String {
        if self.lowercase {
            keyword.to_ascii_lowercase()
        } else {
            keyword.to_ascii_uppercase()
        }
    }
}

// ---------------------------------------------------------------------------------------
// Where instructions go

/// Start of instruction `i` together with the comment lines right above it (no blank line
/// between): inserting here keeps those comments with their instruction.
pub fn block_start(model: &Model, i: usize) -> usize {
    let Some(ins) = model.doc.instructions.get(i) else {
        return 0;
    };
    let Some(at) = model
        .doc
        .nodes
        .iter()
        .position(|n| n.kind == NodeKind::Instruction(i))
    else {
        return ins.span.start;
    };
    let mut start = ins.span.start;
    for node in model.doc.nodes[..at].iter().rev() {
        if node.kind != NodeKind::Comment {
            break;
        }
        start = node.span.start;
    }
    start
}

/// Where text goes right after instruction `i` (heredoc bodies included), and the line
/// ending to put first when the instruction ends the file without one.
pub fn after_instruction(model: &Model, i: usize, style: &Style) -> (usize, &'static str) {
    let Some(ins) = model.doc.instructions.get(i) else {
        return (model.doc.text.len(), "");
    };
    let end = ins.span.end;
    let ends_line = model.doc.text[..end.min(model.doc.text.len())].ends_with('\n');
    (end, if ends_line { "" } else { style.newline })
}

/// Whether a comment line sits inside `span` of instruction `i` (a replacement of that span
/// would drop it).
pub fn has_comment_within(model: &Model, i: usize, span: Span) -> bool {
    model.doc.instructions.get(i).is_some_and(|ins| {
        ins.pieces.iter().any(|p| {
            p.kind == PieceKind::ContinuationComment
                && p.span.start < span.end
                && span.start < p.span.end
        })
    })
}

/// Deletes one word of instruction `i` (source span `word`, `prev_end` the end of the token
/// before it) without touching comment lines: the word's whole physical line when it stands
/// alone on a continued line, otherwise from the end of the token before it.
pub fn delete_word(
    model: &Model,
    i: usize,
    prev_end: usize,
    word: Span,
    style: &Style,
) -> Option<Edit> {
    let text = &model.doc.text;
    let line_start = text[..word.start].rfind('\n').map_or(0, |k| k + 1);
    let line_end = text[word.end..]
        .find('\n')
        .map_or(text.len(), |k| word.end + k + 1);
    let before = &text[line_start..word.start];
    let after = text[word.end..line_end]
        .trim_end_matches(['\n', '\r'])
        .trim();
    let alone = before.trim().is_empty()
        && after
            .strip_suffix(style.escape)
            .is_some_and(|r| r.trim().is_empty())
        && line_start > prev_end;
    if alone {
        return Some(Edit::delete(Span::new(line_start, line_end)));
    }
    let span = Span::new(prev_end, word.end);
    (prev_end < word.start && !has_comment_within(model, i, span)).then(|| Edit::delete(span))
}

/// A string as a JSON string literal (for exec-form arrays).
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------------------
// Editing a RUN

/// Whether `cmd` is a plain element of its part's top-level list: not in a pipeline,
/// condition, loop, branch, function, subshell, substitution or `sh -c` string.
pub fn is_plain_list_element(cmd: &Command) -> bool {
    !cmd.via_shell_c
        && !cmd.in_substitution
        && !cmd.in_condition
        && !cmd.in_loop_or_branch
        && !cmd.in_function
        && cmd.subshell_depth == 0
        && !matches!(
            cmd.operator_before,
            Some(Operator::Pipe | Operator::PipeErr | Operator::Background)
        )
        && !matches!(
            cmd.operator_after,
            Some(Operator::Pipe | Operator::PipeErr | Operator::Background)
        )
}

/// Whether `part` is the RUN's own command text (not a heredoc body).
fn is_main_part(run: &RunAnalysis, part: &ScriptPart) -> bool {
    run.parts.first().is_some_and(|p| std::ptr::eq(p, part))
}

/// The source offset right after the analysed byte before `at` (`at > 0`).
fn source_end(model: &Model, part: &ScriptPart, at: usize) -> usize {
    part.span(model, &(at.saturating_sub(1)..at)).end
}

/// The source offset of the analysed byte at `at`.
fn source_start(model: &Model, part: &ScriptPart, at: usize) -> usize {
    part.span(model, &(at..at + 1)).start
}

/// How a multi-line RUN chains its commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    /// One physical line (or a heredoc body): ` && step` on the same line.
    Inline,
    /// `a \` ⏎ `    && b`: a new line starting with the operator.
    Leading,
    /// `a && \` ⏎ `    b`: the operator ends the line.
    Trailing,
}

/// Physical lines (without line endings) of instruction `i`'s command text.
fn command_lines(model: &Model, i: usize) -> Vec<(Span, &str)> {
    let text = &model.doc.text;
    model
        .doc
        .instructions
        .get(i)
        .map(|ins| {
            ins.pieces
                .iter()
                .filter(|p| p.kind == PieceKind::Line)
                .map(|p| {
                    let s = p.span.slice(text);
                    (p.span, s.trim_end_matches(['\n', '\r']))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The text of a line without the trailing continuation character.
fn strip_escape(line: &str, escape: char) -> &str {
    let t = line.trim_end();
    t.strip_suffix(escape).unwrap_or(t).trim_end()
}

/// Appends `step` to the RUN's list right after `cmd` (`cmd && step`), in the layout the RUN
/// uses. `None` when `cmd` is not a plain list element, is followed by `||`, or lies in exec
/// form or an `sh -c` string.
pub fn append_step(
    model: &Model,
    i: usize,
    run: &RunAnalysis,
    part: &ScriptPart,
    cmd: &Command,
    step: &str,
    style: &Style,
) -> Option<Edit> {
    if run.exec_form || !is_plain_list_element(cmd) || cmd.words.is_empty() {
        return None;
    }
    if matches!(cmd.operator_after, Some(Operator::Or)) {
        return None;
    }
    // A heredoc redirect's body follows the command line: appending after it is not simple.
    if cmd
        .redirects
        .iter()
        .any(|r| r.op.starts_with("<<") && r.op != "<<<")
    {
        return None;
    }
    let end = source_end(model, part, cmd.range.end);
    let inline = Edit::insert(end, format!(" && {step}"));
    if !is_main_part(run, part) {
        return Some(inline);
    }
    let lines = command_lines(model, i);
    if lines.len() < 2 {
        return Some(inline);
    }
    let escape = style.escape;
    let leading = lines[1..]
        .iter()
        .any(|(_, l)| l.trim_start().starts_with("&&"));
    let trailing = lines[..lines.len() - 1]
        .iter()
        .any(|(_, l)| strip_escape(l, escape).ends_with("&&"));
    let layout = match (leading, trailing) {
        (true, false) => Layout::Leading,
        (false, true) => Layout::Trailing,
        _ => Layout::Inline,
    };
    // Only when the command ends its physical line does a new line fit the layout.
    let text = &model.doc.text;
    let line_end = text[end..].find('\n').map_or(text.len(), |k| end + k);
    let rest = strip_escape(text[end..line_end].trim_end_matches('\r'), escape).trim();
    let ends_line = rest.is_empty() || rest == "&&" || rest == ";";
    let indent = lines[1..]
        .iter()
        .rev()
        .map(|(_, l)| &l[..l.len() - l.trim_start().len()])
        .find(|ind| !ind.is_empty())
        .unwrap_or("    ");
    let nl = style.newline;
    Some(match layout {
        Layout::Leading if ends_line => {
            Edit::insert(end, format!(" {escape}{nl}{indent}&& {step}"))
        }
        Layout::Trailing if ends_line => {
            Edit::insert(end, format!(" && {escape}{nl}{indent}{step}"))
        }
        _ => inline,
    })
}

/// How many commands a RUN (or ONBUILD RUN) runs, counting through `sh -c` wrappers, and
/// stopping at 2 (as consecutive-RUN checks count).
pub fn run_command_count(model: &Model, k: usize) -> usize {
    let Some(run) = model.run(k) else { return 0 };
    let mut count = 0;
    for part in &run.parts {
        let commands = &part.script.commands;
        for (n, c) in commands.iter().enumerate() {
            let wrapper = commands.get(n + 1).is_some_and(|next| {
                next.via_shell_c
                    && next.range.start >= c.range.start
                    && next.range.end <= c.range.end
            });
            if c.words.is_empty() || wrapper {
                continue;
            }
            count += 1;
            if count > 1 {
                return count;
            }
        }
    }
    count
}

/// Whether instruction `k` is a plain (not ONBUILD) RUN of at most one command without
/// flags: a RUN of one command next to it would make a "join these RUNs" finding.
pub fn is_single_command_run(model: &Model, k: usize) -> bool {
    matches!(model.typed.get(k), Some(crate::instructions::Typed::Run(_)))
        && model
            .doc
            .instructions
            .get(k)
            .is_some_and(|ins| ins.command.flags.is_empty())
        && run_command_count(model, k) <= 1
}

/// Whether leaving RUN `i` with a single command would put it next to another single-command
/// RUN (a new "consecutive RUNs" finding).
fn single_run_neighbour(model: &Model, i: usize) -> bool {
    let flags_of = |k: usize| -> Vec<&str> {
        model.doc.instructions[k]
            .command
            .flags
            .iter()
            .map(|f| f.text.value.as_str())
            .collect()
    };
    [i.checked_sub(1), Some(i + 1)]
        .into_iter()
        .flatten()
        .filter(|&k| k < model.doc.instructions.len())
        .any(|k| {
            matches!(model.typed[k], crate::instructions::Typed::Run(_))
                && run_command_count(model, k) <= 1
                && flags_of(k) == flags_of(i)
        })
}

/// Deletes `cmd` from its RUN together with one operator joining it to its neighbours
/// (`a && cmd && b` → `a && b`); a RUN made of `cmd` alone is deleted whole. `None` when the
/// command is not a plain `&&`/`;` list element or deleting it would leave a broken list.
pub fn delete_command(
    model: &Model,
    i: usize,
    run: &RunAnalysis,
    part: &ScriptPart,
    cmd: &Command,
) -> Option<Vec<Edit>> {
    // Shrinking the RUN to one command beside a one-command RUN invites merging them.
    if matches!(model.typed.get(i), Some(crate::instructions::Typed::Run(_)))
        && run_command_count(model, i) == 2
        && single_run_neighbour(model, i)
    {
        return None;
    }
    delete_list_element(model, i, run, part, cmd)
}

/// [`delete_command`] without its check of the neighbouring RUNs (for edits that also give
/// the RUN flags of its own, so it cannot join a neighbour).
pub fn delete_list_element(
    model: &Model,
    i: usize,
    run: &RunAnalysis,
    part: &ScriptPart,
    cmd: &Command,
) -> Option<Vec<Edit>> {
    if run.exec_form || !is_plain_list_element(cmd) || cmd.words.is_empty() {
        return None;
    }
    if cmd.redirects.iter().any(|r| r.op.starts_with("<<")) {
        return None;
    }
    let joins = |op: Option<Operator>| matches!(op, Some(Operator::And | Operator::Semi));
    let text = part.text.as_str();
    let ops: Vec<_> = part
        .script
        .operators
        .iter()
        .filter(|o| !o.via_shell_c)
        .collect();
    let blank = |a: usize, b: usize| text.get(a..b).is_some_and(|s| s.trim().is_empty());
    if matches!(cmd.operator_after, Some(Operator::Or)) {
        return None;
    }
    if joins(cmd.operator_before) {
        // Drop `<op> cmd`: from the end of what comes before the operator.
        let op = ops.iter().rev().find(|o| o.range.end <= cmd.range.start)?;
        if !blank(op.range.end, cmd.range.start) {
            return None;
        }
        let before = text.get(..op.range.start)?.trim_end().len();
        if before == 0 {
            return None;
        }
        let span = Span::new(
            source_end(model, part, before),
            source_end(model, part, cmd.range.end),
        );
        return (!has_comment_within(model, i, span)).then(|| vec![Edit::delete(span)]);
    }
    if cmd.operator_before.is_none() && joins(cmd.operator_after) {
        // Drop `cmd <op>`: up to the next command, which must exist.
        let op = ops.iter().find(|o| o.range.start >= cmd.range.end)?;
        if !blank(cmd.range.end, op.range.start) {
            return None;
        }
        let rest = text.get(op.range.end..)?;
        let next = op.range.end + (rest.len() - rest.trim_start().len());
        if !part.script.commands.iter().any(|c| {
            c.range.start == next && !c.via_shell_c && c.subshell_depth == cmd.subshell_depth
        }) {
            return None;
        }
        let span = Span::new(
            source_start(model, part, cmd.range.start),
            source_start(model, part, next),
        );
        return (!has_comment_within(model, i, span)).then(|| vec![Edit::delete(span)]);
    }
    if cmd.operator_before.is_none()
        && cmd.operator_after.is_none()
        && is_main_part(run, part)
        && run.parts.len() == 1
        && part.script.commands.len() == 1
        && part.script.errors.is_empty()
    {
        let ins = model.doc.instructions.get(i)?;
        if !ins.heredocs.is_empty() {
            return None;
        }
        return Some(vec![Edit::delete(ins.span)]);
    }
    None
}

// ---------------------------------------------------------------------------------------
// Manifests first (LL1001, LL1002)

/// Whether instruction `k` only sets metadata, so a RUN or COPY may move across it without
/// changing what either does (no ENV, ARG, WORKDIR, USER, SHELL, RUN, COPY...).
pub fn is_metadata_only(model: &Model, k: usize) -> bool {
    use crate::instructions::Typed;
    matches!(
        model.typed.get(k),
        Some(
            Typed::Label(_)
                | Typed::Expose(_)
                | Typed::Maintainer(_)
                | Typed::Stopsignal(_)
                | Typed::Healthcheck(_)
                | Typed::Cmd(_)
                | Typed::Entrypoint(_)
        )
    )
}

/// The files (as written, relative to the RUN's working directory) that RUN `i` reads from
/// the build context, when everything it does is a dependency install from manifests or
/// a step that reads no project file (OS packages, cache cleanup, `rm` of absolute paths).
/// `None` when any command might read more (or the RUN is not plain shell).
pub fn manifest_only_inputs(model: &Model, i: usize) -> Option<Vec<String>> {
    use super::g5_util::{dep_install, package_op};
    use crate::instructions::Typed;
    if !matches!(model.typed.get(i), Some(Typed::Run(_))) {
        return None;
    }
    let run = model.run(i)?;
    if run.exec_form || run.parts.len() != 1 {
        return None;
    }
    let part = run.parts.first()?;
    if !part.script.errors.is_empty() || !part.script.functions.is_empty() {
        return None;
    }
    let mut inputs: Vec<String> = Vec::new();
    let mut installs = 0;
    for cmd in &part.script.commands {
        if cmd.via_shell_c || cmd.in_substitution || cmd.words.is_empty() {
            return None;
        }
        if cmd.redirects.iter().any(|r| r.op.starts_with('<')) {
            return None;
        }
        let name = cmd.basename()?;
        let sub = cmd
            .positional_args()
            .first()
            .map(|w| w.value.clone())
            .unwrap_or_default();
        if let Some(install) = dep_install(cmd) {
            if !install.from_manifests {
                return None;
            }
            let files: Vec<String> = match install.manager {
                "pip" => pip_inputs(cmd)?,
                "npm" if !cmd.has_long_flag("workspace") && !cmd.has_flag('w') => {
                    vec!["package*.json".to_string()]
                }
                "poetry" if cmd.has_long_flag("no-root") => {
                    vec!["pyproject.toml".into(), "poetry.lock".into()]
                }
                "uv" if cmd.has_long_flag("no-install-project")
                    || cmd.has_long_flag("no-install-workspace") =>
                {
                    vec!["pyproject.toml".into(), "uv.lock".into()]
                }
                "yarn" | "pnpm" | "go" | "pipenv" | "bundler" => {
                    let key = install.manager;
                    crate::knowledge::manifest_files(key)
                        .into_iter()
                        .map(String::from)
                        .collect()
                }
                _ => return None,
            };
            if files.is_empty() {
                return None;
            }
            installs += 1;
            for f in files {
                if !inputs.contains(&f) {
                    inputs.push(f);
                }
            }
            continue;
        }
        if let Some(op) = package_op(cmd) {
            // Local package files come from the context.
            if op.packages.iter().any(|w| {
                w.value.contains('/')
                    || w.value.ends_with(".deb")
                    || w.value.ends_with(".rpm")
                    || w.value.ends_with(".apk")
            }) {
                return None;
            }
            continue;
        }
        let harmless = match name {
            "rm" => cmd.positional_args().iter().all(|w| {
                w.value.starts_with('/')
                    || w.value.starts_with("~/")
                    || w.value.starts_with("$HOME")
            }),
            "npm" | "yarn" => sub == "cache",
            "pip" | "pip3" => sub == "cache",
            "apt-get" | "apt" | "apk" | "yum" | "dnf" | "microdnf" | "zypper" => true,
            "set" | "true" | ":" | "echo" => cmd.redirects.is_empty(),
            _ => false,
        };
        if !harmless {
            return None;
        }
    }
    (installs > 0).then_some(inputs)
}

/// The requirement and constraint files of a `pip install` (`-r f`, `--requirement=f`,
/// `-c f`...), or `None` when one is a variable.
fn pip_inputs(cmd: &Command) -> Option<Vec<String>> {
    let args = cmd.args();
    let mut out = Vec::new();
    let mut k = 0;
    while k < args.len() {
        let v = args[k].value.as_str();
        let file = if matches!(v, "-r" | "--requirement" | "-c" | "--constraint") {
            k += 1;
            args.get(k).map(|w| w.value.as_str())
        } else {
            v.strip_prefix("--requirement=")
                .or_else(|| v.strip_prefix("--constraint="))
                .or_else(|| {
                    v.strip_prefix("-r")
                        .filter(|r| !r.is_empty() && !v.starts_with("--"))
                })
                .or_else(|| {
                    v.strip_prefix("-c")
                        .filter(|r| !r.is_empty() && !v.starts_with("--"))
                })
        };
        if let Some(f) = file {
            if f.is_empty() || f.contains('$') || f.contains("://") {
                return None;
            }
            out.push(f.to_string());
        }
        k += 1;
    }
    (!out.is_empty()).then_some(out)
}

/// Text of instruction `i` with the comment lines right above it, from [`block_start`] to
/// the end of the instruction, ending with a line ending.
pub fn block_text(model: &Model, i: usize, style: &Style) -> Option<(Span, String)> {
    let ins = model.doc.instructions.get(i)?;
    let span = Span::new(block_start(model, i), ins.span.end);
    let mut text = span.slice(&model.doc.text).to_string();
    if !text.ends_with('\n') {
        text.push_str(style.newline);
    }
    Some((span, text))
}

/// The blank line right before `offset` (its span), if the line before it is blank.
pub fn blank_line_before(model: &Model, offset: usize) -> Option<Span> {
    model
        .doc
        .nodes
        .iter()
        .find(|n| n.span.end == offset && n.kind == NodeKind::Blank)
        .map(|n| n.span)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply;

    fn run_of(text: &str, i: usize) -> (Model, usize) {
        let model = Model::parse(text);
        assert!(model.run(i).is_some());
        (model, i)
    }

    fn append(text: &str, i: usize, name: &str, step: &str) -> Option<String> {
        let (model, i) = run_of(text, i);
        let style = Style::of(&model);
        let run = model.run(i)?;
        let (cmd, part) = run.commands().find(|(c, _)| c.is(name))?;
        let edit = append_step(&model, i, run, part, cmd, step, &style)?;
        Some(apply(text, &[edit]).unwrap())
    }

    fn delete(text: &str, i: usize, name: &str) -> Option<String> {
        let (model, i) = run_of(text, i);
        let run = model.run(i)?;
        let (cmd, part) = run
            .commands()
            .find(|(c, p)| p.text[c.range.clone()].starts_with(name))?;
        let edits = delete_command(&model, i, run, part, cmd)?;
        Some(apply(text, &edits).unwrap())
    }

    #[test]
    fn appends_in_the_runs_layout() {
        assert_eq!(
            append("FROM x\nRUN npm ci\n", 1, "npm", "npm cache clean --force").unwrap(),
            "FROM x\nRUN npm ci && npm cache clean --force\n"
        );
        assert_eq!(
            append(
                "FROM x\nRUN apt-get update \\\n    && npm ci \\\n    && npm run build\n",
                1,
                "npm",
                "S"
            )
            .unwrap(),
            "FROM x\nRUN apt-get update \\\n    && npm ci \\\n    && S \\\n    && npm run build\n"
        );
        assert_eq!(
            append("FROM x\nRUN a && \\\n  npm ci\n", 1, "npm", "S").unwrap(),
            "FROM x\nRUN a && \\\n  npm ci && \\\n  S\n"
        );
        assert_eq!(
            append(
                "# escape=`\nFROM x\nRUN a `\n    && npm ci\n",
                1,
                "npm",
                "S"
            )
            .unwrap(),
            "# escape=`\nFROM x\nRUN a `\n    && npm ci `\n    && S\n"
        );
        // CRLF line endings stay.
        assert_eq!(
            append("FROM x\r\nRUN a \\\r\n    && npm ci\r\n", 1, "npm", "S").unwrap(),
            "FROM x\r\nRUN a \\\r\n    && npm ci \\\r\n    && S\r\n"
        );
        // `;`-style scripts get the step on the same line.
        assert_eq!(
            append(
                "FROM x\nRUN set -eux; \\\n    npm ci; \\\n    true\n",
                1,
                "npm",
                "S"
            )
            .unwrap(),
            "FROM x\nRUN set -eux; \\\n    npm ci && S; \\\n    true\n"
        );
        // A heredoc body.
        assert_eq!(
            append("FROM x\nRUN <<EOF\nnpm ci\nEOF\n", 1, "npm", "S").unwrap(),
            "FROM x\nRUN <<EOF\nnpm ci && S\nEOF\n"
        );
        assert!(append("FROM x\nRUN npm ci || true\n", 1, "npm", "S").is_none());
        assert!(append("FROM x\nRUN npm ci | tee log\n", 1, "npm", "S").is_none());
        assert!(append("FROM x\nRUN [\"npm\", \"ci\"]\n", 1, "npm", "S").is_none());
        assert!(append("FROM x\nRUN sh -c 'npm ci'\n", 1, "npm", "S").is_none());
    }

    #[test]
    fn deletes_commands() {
        assert_eq!(
            delete(
                "FROM x\nRUN apt-get update && apt-get upgrade -y \\\n    && rm -rf /l\n",
                1,
                "apt-get upgrade"
            )
            .unwrap(),
            "FROM x\nRUN apt-get update \\\n    && rm -rf /l\n"
        );
        let text = "FROM x\nRUN apk update && apk upgrade && rm -rf /l\n";
        assert_eq!(
            delete(text, 1, "apk update").unwrap(),
            "FROM x\nRUN apk upgrade && rm -rf /l\n"
        );
        let text = "FROM x\nRUN a \\\n    && yum -y update \\\n    && b\n";
        assert_eq!(
            delete(text, 1, "yum").unwrap(),
            "FROM x\nRUN a \\\n    && b\n"
        );
        let text = "FROM x\nRUN a && \\\n    yum -y update && \\\n    b\n";
        assert_eq!(
            delete(text, 1, "yum").unwrap(),
            "FROM x\nRUN a && \\\n    b\n"
        );
        let text = "FROM x\nRUN yum -y update \\\n    && b\n";
        assert_eq!(delete(text, 1, "yum").unwrap(), "FROM x\nRUN b\n");
        let text = "FROM x\nRUN yum -y update\nCMD [\"b\"]\n";
        assert_eq!(delete(text, 1, "yum").unwrap(), "FROM x\nCMD [\"b\"]\n");
        let text = "FROM x\nRUN <<EOF\nset -e\nyum -y update\nb\nEOF\n";
        assert_eq!(
            delete(text, 1, "yum").unwrap(),
            "FROM x\nRUN <<EOF\nset -e\nb\nEOF\n"
        );
        assert!(delete("FROM x\nRUN a || yum -y update\n", 1, "yum").is_none());
        assert!(delete("FROM x\nRUN if a; then yum -y update; fi\n", 1, "yum").is_none());
        assert!(delete("FROM x\nRUN { yum -y update; }\n", 1, "yum").is_none());
        // Would leave two one-command RUNs side by side.
        assert!(delete("FROM x\nRUN a\nRUN yum -y update && b\n", 2, "yum").is_none());
        assert!(delete("FROM x\nRUN a && c\nRUN yum -y update && b\n", 2, "yum").is_some());
    }

    #[test]
    fn deletes_words_but_not_comments() {
        let text =
            "FROM x\nRUN apt-get install -y \\\n\t\tgnupg \\\n# why\n\t\tless \\\n\t; true\n";
        let model = Model::parse(text);
        let style = Style::of(&model);
        let at = |w: &str| text.find(w).unwrap();
        let less = Span::new(at("less"), at("less") + 4);
        let edit = delete_word(&model, 1, at("gnupg") + 5, less, &style).unwrap();
        assert_eq!(
            apply(text, &[edit]).unwrap(),
            "FROM x\nRUN apt-get install -y \\\n\t\tgnupg \\\n# why\n\t; true\n"
        );
        // On the last line: from the end of the word before, unless a comment is between.
        let text = "FROM x\nRUN apt-get install -y gnupg \\\n# why\n  less\n";
        let model = Model::parse(text);
        let less = Span::new(text.find("less").unwrap(), text.find("less").unwrap() + 4);
        assert!(delete_word(&model, 1, text.find("gnupg").unwrap() + 5, less, &style).is_none());
    }

    #[test]
    fn style_and_blocks() {
        let model = Model::parse("from x\n# hi\n# there\nrun a\n");
        let style = Style::of(&model);
        assert!(style.lowercase);
        assert_eq!(style.keyword("USER"), "user");
        assert_eq!(block_start(&model, 1), 7);
        let model = Model::parse("FROM x\nRUN a");
        assert_eq!(after_instruction(&model, 1, &Style::of(&model)), (12, "\n"));
        assert_eq!(json_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
    }
}

#[cfg(test)]
mod corpus {
    //! Every fix of the guide's rules over the corpus (tests/corpus): the fixed file parses,
    //! the fixed findings go away, and no rule reports a code the file did not have.
    //! `cargo test -p layerlens-core --lib g5_fix_corpus -- --nocapture` prints the counts.

    use std::collections::{BTreeMap, BTreeSet};

    use crate::fix::{apply_fixes, Applicability, Fix};
    use crate::model::Model;
    use crate::rules::{guide, lint, Config, Finding, LintOptions};

    fn lint_all(text: &str) -> (Model, Vec<Finding>) {
        let model = Model::parse(text);
        let findings = lint(
            &model,
            &Config::default(),
            None,
            &LintOptions {
                keep_off_by_default: true,
            },
        );
        (model, findings)
    }

    fn ours(code: &str) -> bool {
        guide::RULES.iter().any(|r| r.code == code)
    }

    fn corpus_files() -> Vec<(String, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
        let mut out = Vec::new();
        let mut dirs: Vec<_> = std::fs::read_dir(&root).unwrap().flatten().collect();
        dirs.sort_by_key(|d| d.path());
        for dir in dirs.into_iter().filter(|d| d.path().is_dir()) {
            let mut entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
            entries.sort_by_key(|d| d.path());
            for entry in entries {
                if let Ok(text) = std::fs::read_to_string(entry.path()) {
                    let name = format!(
                        "{}/{}",
                        dir.file_name().to_string_lossy(),
                        entry.file_name().to_string_lossy()
                    );
                    out.push((name, text));
                }
            }
        }
        out
    }

    /// Applies the fixes of our findings (safe ones only, or all) and checks the invariants.
    fn run(unsafe_too: bool, inputs: &[(String, String)]) -> Vec<String> {
        let mut problems = Vec::new();
        let mut before: BTreeMap<&'static str, usize> = BTreeMap::new();
        let mut after: BTreeMap<&'static str, usize> = BTreeMap::new();
        let mut with_fix: BTreeMap<&'static str, usize> = BTreeMap::new();
        let (mut files, mut changed, mut applied) = (0, 0, 0);
        for (name, text) in inputs {
            let (name, text) = (name.as_str(), text.as_str());
            files += 1;
            let (model, found) = lint_all(text);
            let broken_before = !model.doc.errors.is_empty() || !model.errors.is_empty();
            let codes_before: BTreeSet<&str> = found.iter().map(|f| f.code).collect();
            let mine: Vec<&Finding> = found.iter().filter(|f| ours(f.code)).collect();
            let mut per_code_before: BTreeMap<&'static str, usize> = BTreeMap::new();
            for f in &mine {
                *per_code_before.entry(f.code).or_default() += 1;
                *before.entry(f.code).or_default() += 1;
                if f.fix.is_some() {
                    *with_fix.entry(f.code).or_default() += 1;
                }
            }
            let fixes: Vec<&Fix> = mine
                .iter()
                .filter_map(|f| f.fix.as_ref())
                .filter(|f| unsafe_too || f.applicability == Applicability::Safe)
                .collect();
            let (mut fixed, n) = apply_fixes(text, fixes);
            applied += n;
            // Then to a fixed point (fixes that clashed in one round apply in the next).
            for _ in 0..3 {
                let (_, again) = lint_all(&fixed);
                let more: Vec<&Fix> = again
                    .iter()
                    .filter(|f| ours(f.code))
                    .filter_map(|f| f.fix.as_ref())
                    .filter(|f| unsafe_too || f.applicability == Applicability::Safe)
                    .collect();
                let (next, n) = apply_fixes(&fixed, more);
                if n == 0 || next == fixed {
                    break;
                }
                applied += n;
                fixed = next;
            }
            if fixed != text {
                changed += 1;
                // G5_FIX_DUMP=dir writes each changed file there (for review with diff).
                if let Ok(dir) = std::env::var("G5_FIX_DUMP") {
                    let kind = if unsafe_too { "all" } else { "safe" };
                    let path = std::path::Path::new(&dir).join(kind).join(name);
                    let _ = std::fs::create_dir_all(path.parent().unwrap());
                    let _ = std::fs::write(path, &fixed);
                }
            }
            // Every comment line survives.
            let comments = |t: &str| {
                let mut m: BTreeMap<String, usize> = BTreeMap::new();
                for l in t.lines().filter(|l| l.trim_start().starts_with('#')) {
                    *m.entry(l.trim().to_string()).or_default() += 1;
                }
                m
            };
            let kept = comments(&fixed);
            for (line, n) in comments(text) {
                if kept.get(&line).copied().unwrap_or(0) < n {
                    problems.push(format!("{name}: comment lost: {line}"));
                }
            }
            let (model, found) = lint_all(&fixed);
            if !broken_before && (!model.doc.errors.is_empty() || !model.errors.is_empty()) {
                problems.push(format!(
                    "{name}: fixed file does not parse: {:?}",
                    model.errors
                ));
            }
            let mut per_code_after: BTreeMap<&'static str, usize> = BTreeMap::new();
            for f in found.iter().filter(|f| ours(f.code)) {
                *per_code_after.entry(f.code).or_default() += 1;
                *after.entry(f.code).or_default() += 1;
            }
            for (code, n) in &per_code_after {
                if *n > per_code_before.get(code).copied().unwrap_or(0) {
                    problems.push(format!("{name}: more {code} findings after fixing"));
                }
            }
            let new: Vec<&str> = found
                .iter()
                .map(|f| f.code)
                .filter(|c| !codes_before.contains(c))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            if !new.is_empty() {
                problems.push(format!("{name}: new findings {new:?}"));
            }
        }
        println!(
            "{} fixes: {files} files, {changed} changed, {applied} fixes applied",
            if unsafe_too { "safe+unsafe" } else { "safe" }
        );
        for (code, n) in &before {
            println!(
                "  {code}: {n} findings, {} with a fix, {} after",
                with_fix.get(code).copied().unwrap_or(0),
                after.get(code).copied().unwrap_or(0)
            );
        }
        problems
    }

    #[test]
    fn g5_fix_corpus() {
        let files = corpus_files();
        let mut problems = run(false, &files);
        problems.extend(run(true, &files));
        assert!(problems.is_empty(), "{problems:#?}");
    }

    /// The same invariants over every rule's documented examples and the guide's own
    /// real-world Dockerfiles (small files where many rules meet).
    #[test]
    fn g5_fix_examples() {
        use super::super::g5_util::test_support::{FASTAPI, GO, NEXTJS};
        let mut inputs: Vec<(String, String)> = crate::rules::registry()
            .flat_map(|r| {
                [
                    (format!("{} bad", r.code), r.docs.bad.to_string()),
                    (format!("{} good", r.code), r.docs.good.to_string()),
                ]
            })
            .collect();
        for (name, text) in [("fastapi", FASTAPI), ("nextjs", NEXTJS), ("go", GO)] {
            inputs.push((name.to_string(), text.to_string()));
        }
        let mut problems = run(false, &inputs);
        problems.extend(run(true, &inputs));
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
