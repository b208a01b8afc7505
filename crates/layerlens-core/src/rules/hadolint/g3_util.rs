//! Helpers shared by the rules DL3040–DL3067: variable references in Dockerfile words,
//! values that can be known at lint time, label iteration for the label-schema rules,
//! which stages end up in a shipped image, and the edits their fixes make inside RUN
//! scripts (a new argument after a word, a step chained onto the end of a script).

use crate::fix::Edit;
use crate::instructions::{KeyValue, Typed};
use crate::model::{Base, Model, RunAnalysis, ScriptPart};
use crate::rules::{Context, LabelType, Report};
use crate::shell::{Command, Word};
use crate::syntax::PieceKind;
use crate::text::Span;

/// Names of the variables a Dockerfile word refers to (`$NAME`, `${NAME}`, `${NAME:-x}`),
/// outside single quotes and not escaped with a backslash. Names inside a `${…}` default
/// (`${A:-$B}`) are included.
pub fn var_refs(word: &str) -> Vec<String> {
    let bytes = word.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut single = false;
    let mut double = false;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\\' if !single => i += 2,
            b'\'' if !double => {
                single = !single;
                i += 1;
            }
            b'"' if !single => {
                double = !double;
                i += 1;
            }
            b'$' if !single => {
                let braced = bytes.get(i + 1) == Some(&b'{');
                let start = if braced { i + 2 } else { i + 1 };
                let mut end = start;
                while end < bytes.len()
                    && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_')
                {
                    end += 1;
                }
                if end > start && !bytes[start].is_ascii_digit() {
                    // ASCII only, so the slice is on char boundaries.
                    out.push(word[start..end].to_string());
                }
                i = end.max(i + 1);
            }
            _ => i += 1,
        }
    }
    out
}

/// Whether `word` refers to a variable.
pub fn has_var(word: &str) -> bool {
    !var_refs(word).is_empty()
}

/// Removes one pair of matching surrounding quotes.
pub fn unquote(s: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

/// The variable `name` as visible at instruction `i`: `None` when undefined, `Some(None)`
/// for an `ARG` without a value. Inside a stage this is the model's scope (stage ARGs and
/// ENV, inherited ENV); before the first FROM (not valid Docker, but linted like hadolint
/// does) the ENV and ARG instructions above `i` count.
pub fn lookup(context: &Context, i: usize, name: &str) -> Option<Option<String>> {
    if context.stage_of(i).is_some() {
        return context
            .model
            .scope(i)
            .binding(name)
            .map(|b| b.value.clone());
    }
    // Bounded so that a long file without FROM stays linear.
    (i.saturating_sub(1000)..i)
        .rev()
        .find_map(|k| match context.typed(k) {
            Typed::Env(pairs) => pairs
                .iter()
                .rev()
                .find(|p| p.key.value == name)
                .map(|p| Some(unquote(&p.value.value).to_string())),
            Typed::Arg(decls) => decls
                .iter()
                .rev()
                .find(|d| d.name == name)
                .map(|d| d.default.clone()),
            _ => None,
        })
}

/// Whether every variable `word` refers to has a value at instruction `i` (an `ARG` without
/// a default is only known at build time).
pub fn vars_known(context: &Context, i: usize, word: &str) -> bool {
    var_refs(word)
        .iter()
        .all(|name| lookup(context, i, name).is_some_and(|v| v.is_some()))
}

/// The value of `word` at instruction `i` (quotes removed, variables expanded), or `None`
/// when it depends on a variable whose value is unknown before the build.
pub fn known_value(context: &Context, i: usize, word: &str) -> Option<String> {
    if !vars_known(context, i, word) {
        return None;
    }
    context.model.expand(i, word).ok()
}

/// Whether the RUN at `i` leaves its files in a shipped image: always for ONBUILD triggers
/// (they run in whatever image is built from this one) and for RUNs before any FROM.
pub fn run_is_shipped(context: &Context, i: usize, shipped: &[bool]) -> bool {
    if context.typed_effective(i).1 {
        return true;
    }
    match context.stage_of(i) {
        Some(stage) => shipped.get(stage).copied().unwrap_or(true),
        None => true,
    }
}

/// Per stage: whether its layers end up in a shipped image (it is the target stage, or
/// another stage is built `FROM` it).
pub fn shipped_stages(context: &Context) -> Vec<bool> {
    let mut shipped = vec![false; context.model.stages.len()];
    for stage in &context.model.stages {
        if let Base::Stage(parent) = stage.base {
            if let Some(slot) = shipped.get_mut(parent) {
                *slot = true;
            }
        }
    }
    if let Some(target) = context.target {
        if let Some(slot) = shipped.get_mut(target) {
            *slot = true;
        }
    }
    shipped
}

/// Every `LABEL` pair of the file (ONBUILD labels belong to child images and are skipped),
/// with the instruction index and the label name (quotes removed).
pub fn labels<'a, 'm: 'a>(
    context: &'a Context<'m>,
) -> impl Iterator<Item = (usize, &'m KeyValue, String)> + 'a {
    (0..context.len()).flat_map(move |i| {
        let pairs: &[KeyValue] = match context.typed(i) {
            Typed::Label(pairs) => pairs,
            _ => &[],
        };
        pairs
            .iter()
            .map(move |kv| (i, kv, unquote(&kv.key.value).to_string()))
    })
}

/// The span of a label's value, or of its key when the value is empty.
pub fn value_span(kv: &KeyValue) -> Span {
    if kv.value.span.is_empty() {
        kv.key.span
    } else {
        kv.value.span
    }
}

/// Runs a type check for the schema labels of type `kind`: every LABEL setting such a
/// label to a value that is known at lint time, non-empty and fails `valid` is reported
/// with `message(name, value)`.
pub fn check_label_type(
    context: &Context,
    report: &mut Report,
    kind: LabelType,
    valid: fn(&str) -> bool,
    message: fn(&str, &str) -> String,
) {
    let schema = &context.config.label_schema;
    if !schema.values().any(|t| *t == kind) {
        return;
    }
    for (i, kv, name) in labels(context) {
        if schema.get(&name) != Some(&kind) {
            continue;
        }
        let Some(value) = known_value(context, i, &kv.value.value) else {
            continue;
        };
        // An empty value is DL3051's finding.
        if value.is_empty() || valid(&value) {
            continue;
        }
        report.add(i, value_span(kv), message(&name, &value));
    }
}

/// A label schema with one entry, for the label rules' example configurations.
pub fn schema_config(name: &str, kind: LabelType) -> crate::rules::Config {
    let mut config = crate::rules::Config::default();
    config.label_schema.insert(name.to_string(), kind);
    config
}

/// Commands of a RUN that are "leaves": not a shell wrapper whose `-c` string was analysed
/// (`sh -c "a && b"` counts as `a` and `b`, not as three commands).
pub fn is_shell_c_wrapper(command: &Command, next: Option<&Command>) -> bool {
    next.is_some_and(|n| {
        n.via_shell_c && n.range.start >= command.range.start && n.range.end <= command.range.end
    })
}

// ---------------------------------------------------------------------------------------
// Fix helpers: edits inside RUN scripts that keep the file's own layout.

/// The source span of `word` when the source holds exactly the word's raw text (no
/// continuation inside it, not a JSON token of exec form).
pub fn literal_span(model: &Model, part: &ScriptPart, word: &Word) -> Option<Span> {
    let raw = word.raw(&part.text);
    let span = part.span(model, &word.range);
    (!raw.is_empty() && span.slice(&model.doc.text) == raw).then_some(span)
}

/// An edit adding `arg` as a new argument right after `word` of `command`: ` arg` in shell
/// text (also inside a `sh -c` string or a heredoc body), `, "arg"` after the JSON token in
/// exec form. `None` when the word cannot be located exactly in the source.
pub fn insert_arg_after(
    model: &Model,
    run: &RunAnalysis,
    part: &ScriptPart,
    command: &Command,
    word: &Word,
    arg: &str,
) -> Option<Edit> {
    if run.exec_form && !command.via_shell_c {
        // The word is one JSON string of the array.
        // Only a token without escapes, so that it surely is this word.
        let span = part.span(model, &word.range);
        let token = span.slice(&model.doc.text);
        let inner = token.strip_prefix('"').and_then(|t| t.strip_suffix('"'))?;
        if inner.contains('\\') || inner != word.value {
            return None;
        }
        let quoted = super::g4_util::json_string(arg);
        return Some(Edit::insert(span.end, format!(", {quoted}")));
    }
    if run.exec_form {
        return None;
    }
    let span = literal_span(model, part, word)?;
    Some(Edit::insert(span.end, format!(" {arg}")))
}

/// Words that close a compound command.
const CLOSERS: [&str; 5] = ["fi", "done", "esac", "}", ")"];

/// Where a command can be chained onto the end of `part`'s script: the offset (in
/// `part.text`) right after its last command or the keyword that closes the last compound
/// command. `None` when the script does not end plainly (a background `&`, a dangling
/// operator, a parse error) or runs nothing.
pub fn append_point(part: &ScriptPart) -> Option<usize> {
    let script = &part.script;
    if !script.errors.is_empty() {
        return None;
    }
    let last = script
        .commands
        .iter()
        .filter(|c| !c.via_shell_c)
        .map(|c| c.range.end)
        .max()?;
    let text = part.text.as_str();
    let bytes = text.as_bytes();
    let mut at = last;
    let mut i = last;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b';' => {
                if bytes.get(i + 1) == Some(&b';') {
                    return None;
                }
                i += 1;
            }
            b')' => {
                i += 1;
                at = i;
            }
            _ => {
                let end = text[i..]
                    .find(|c: char| c.is_whitespace() || c == ';' || c == ')' || c == '#')
                    .map_or(text.len(), |k| i + k);
                if !CLOSERS.contains(&&text[i..end]) {
                    return None;
                }
                i = end;
                at = end;
            }
        }
    }
    Some(at)
}

/// The line ending used by the line that contains `at` (`\r\n` or `\n`).
pub fn line_ending(text: &str, at: usize) -> &'static str {
    match text.get(at..).and_then(|rest| rest.find('\n')) {
        Some(k) if k > 0 && text.as_bytes().get(at + k - 1) == Some(&b'\r') => "\r\n",
        Some(_) => "\n",
        None if text.contains("\r\n") => "\r\n",
        None => "\n",
    }
}

/// How a multi-line RUN continues its lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Indentation of the continuation lines.
    pub indent: String,
    /// Whitespace written before the escape character at the end of a line.
    pub before_escape: String,
    /// `&&` starts the continuation lines (`    && b`) rather than ending the lines before
    /// them (`a && \`).
    pub leading_operator: bool,
    /// Whitespace after a leading `&&`.
    pub after_operator: String,
    pub newline: &'static str,
}

/// The layout of instruction `i` when it spans several physical lines joined with `&&`
/// (judged from its last two lines), else `None`.
pub fn continuation_layout(model: &Model, i: usize) -> Option<Layout> {
    let text = model.doc.text.as_str();
    let instruction = model.doc.instructions.get(i)?;
    let escape = model.doc.directives.escape;
    let lines: Vec<&str> = instruction
        .pieces
        .iter()
        .filter(|p| p.kind == PieceKind::Line)
        .map(|p| p.span.slice(text))
        .collect();
    let [.., previous, last] = lines.as_slice() else {
        return None;
    };
    let newline = if previous.ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let body = previous.trim_end_matches(['\n', '\r']);
    let body = body.trim_end_matches([' ', '\t']).strip_suffix(escape)?;
    let before_escape = body[body.trim_end_matches([' ', '\t']).len()..].to_string();
    let body = body.trim_end_matches([' ', '\t']);
    let content = last.trim_start_matches([' ', '\t']);
    let indent = last[..last.len() - content.len()].to_string();
    if indent.is_empty() {
        return None;
    }
    if let Some(after) = content.strip_prefix("&&") {
        let rest = after.trim_start_matches([' ', '\t']);
        return Some(Layout {
            indent,
            before_escape,
            leading_operator: true,
            after_operator: after[..after.len() - rest.len()].to_string(),
            newline,
        });
    }
    body.ends_with("&&").then(|| Layout {
        indent,
        before_escape,
        leading_operator: false,
        after_operator: " ".to_string(),
        newline,
    })
}

/// An edit that chains `step` (`dnf clean all`) onto the end of the script of `part` (a
/// RUN's command text or a heredoc script) with `&&`, so it runs only when everything
/// before it succeeded and the RUN's exit status is kept. On a RUN written over several
/// lines joined with `&&` it adds a line in the same style; elsewhere it appends
/// ` && step` to the last command. `None` for exec form and scripts that do not end
/// plainly.
pub fn append_step(
    model: &Model,
    i: usize,
    run: &RunAnalysis,
    part: &ScriptPart,
    step: &str,
) -> Option<Edit> {
    if run.exec_form {
        return None;
    }
    let point = append_point(part)?;
    if point == 0 {
        return None;
    }
    let at = part.span(model, &(point - 1..point)).end;
    let text = model.doc.text.as_str();
    let instruction = model.doc.instructions.get(i)?;
    // The physical line the insertion point is on, when it is the instruction's last.
    let last_line = instruction
        .pieces
        .iter()
        .rfind(|p| p.kind == PieceKind::Line)?;
    let on_last_line = last_line.span.start < at && at <= last_line.span.end;
    let rest_of_line = text.get(at..last_line.span.end).unwrap_or("");
    let at_line_end = rest_of_line.trim().is_empty();
    let in_main_text = part_is_main_text(run, part);
    if in_main_text && on_last_line && at_line_end {
        if let Some(layout) = continuation_layout(model, i) {
            let escape = model.doc.directives.escape;
            let Layout {
                indent,
                before_escape,
                newline,
                ..
            } = &layout;
            let text = if layout.leading_operator {
                format!(
                    "{before_escape}{escape}{newline}{indent}&&{}{step}",
                    layout.after_operator
                )
            } else {
                format!(" &&{before_escape}{escape}{newline}{indent}{step}")
            };
            return Some(Edit::insert(at, text));
        }
    }
    Some(Edit::insert(at, format!(" && {step}")))
}

/// Whether `part` is the RUN's own command text (not a heredoc body).
fn part_is_main_text(run: &RunAnalysis, part: &ScriptPart) -> bool {
    run.parts
        .first()
        .is_some_and(|first| std::ptr::eq(first, part))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_variable_references() {
        assert_eq!(
            var_refs("${A}/x:$B_2 $1 \\$C '$D' \"$E\""),
            ["A", "B_2", "E"]
        );
        assert_eq!(var_refs("${A:-$B}"), ["A", "B"]);
        assert!(var_refs("plain").is_empty());
        assert!(var_refs("$").is_empty());
        assert!(var_refs("é$").is_empty());
    }

    #[test]
    fn unquotes_one_pair() {
        assert_eq!(unquote("\"a\""), "a");
        assert_eq!(unquote("'a'"), "a");
        assert_eq!(unquote("\"a'"), "\"a'");
        assert_eq!(unquote("\""), "\"");
    }
}

/// Compares our findings with real hadolint's over the corpus for this group's codes:
/// `cargo test -p layerlens-core g3_corpus -- --ignored --nocapture`.
#[cfg(test)]
mod corpus {
    use std::collections::{BTreeMap, BTreeSet};

    use crate::model::Model;
    use crate::rules::{lint, Config, LintOptions};

    fn ours_code(code: &str) -> bool {
        code.strip_prefix("DL30")
            .and_then(|n| n.parse::<u32>().ok())
            .is_some_and(|n| (40..=67).contains(&n))
    }

    #[test]
    #[ignore]
    fn g3_corpus() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
        let Ok(text) = std::fs::read_to_string(root.join("hadolint-2.15.1.jsonl")) else {
            return;
        };
        let mut theirs: BTreeSet<(String, usize, String)> = BTreeSet::new();
        let mut files = Vec::new();
        for line in text.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
            let Some(file) = v["file"].as_str() else {
                continue;
            };
            files.push(file.to_string());
            for f in v["findings"].as_array().into_iter().flatten() {
                let code = f["code"].as_str().unwrap_or("");
                if ours_code(code) {
                    let line = f["line"].as_u64().unwrap_or(0) as usize;
                    theirs.insert((file.to_string(), line, code.to_string()));
                }
            }
        }
        let mut mine: BTreeSet<(String, usize, String)> = BTreeSet::new();
        for file in &files {
            let Ok(source) = std::fs::read_to_string(root.join(file)) else {
                continue;
            };
            let model = Model::parse(&source);
            let options = LintOptions {
                keep_off_by_default: false,
            };
            for f in lint(&model, &Config::default(), None, &options) {
                if !ours_code(f.code) {
                    continue;
                }
                let Some(i) = f.instruction else { continue };
                let line = model.doc.instructions[i].start_line;
                mine.insert((file.clone(), line, f.code.to_string()));
            }
        }
        let mut per_code: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
        for k in theirs.union(&mine) {
            let e = per_code.entry(k.2.clone()).or_default();
            match (theirs.contains(k), mine.contains(k)) {
                (true, true) => e.0 += 1,
                (true, false) => {
                    e.1 += 1;
                    println!("missed  {} {}:{}", k.2, k.0, k.1);
                }
                _ => {
                    e.2 += 1;
                    println!("extra   {} {}:{}", k.2, k.0, k.1);
                }
            }
        }
        let both = theirs.intersection(&mine).count();
        println!(
            "g3 corpus: hadolint {} findings, ours {}, shared {}",
            theirs.len(),
            mine.len(),
            both
        );
        for (code, (b, missed, extra)) in per_code {
            println!("  {code}: shared {b}, only hadolint {missed}, only ours {extra}");
        }
    }
}

/// The fixes of this group's rules (DL3040–DL4006 and every BuildKit check) over the whole
/// corpus: applied to a fixed point, first the safe ones only, then all of them, each
/// result must parse as well as the input, lose findings of the fixed rules and gain no
/// finding of any rule. `cargo test -p layerlens-core f2_fixes_over_the_corpus -- --ignored
/// --nocapture` prints the counts (with `F2_FIX_OUT=<dir>` it also writes the fixed files
/// and lists the findings left in them).
#[cfg(test)]
mod fixes_corpus {
    use std::collections::BTreeMap;

    use crate::fix::{Applicability, Fix};
    use crate::model::Model;
    use crate::rules::{lint, Config, Finding, LintOptions};

    fn ours(code: &str) -> bool {
        let dl = |range: std::ops::RangeInclusive<u32>, prefix: &str| {
            code.strip_prefix(prefix)
                .and_then(|n| n.parse::<u32>().ok())
                .is_some_and(|n| range.contains(&n))
        };
        dl(40..=67, "DL30")
            || dl(0..=6, "DL400")
            || crate::rules::buildkit::RULES.iter().any(|r| r.code == code)
    }

    fn findings(text: &str) -> Vec<Finding> {
        let options = LintOptions {
            keep_off_by_default: true,
        };
        lint(&Model::parse(text), &Config::default(), None, &options)
    }

    fn counts(findings: &[Finding]) -> BTreeMap<&'static str, usize> {
        let mut out = BTreeMap::new();
        for f in findings {
            *out.entry(f.code).or_insert(0) += 1;
        }
        out
    }

    /// Applies the fixes of our rules (of `allowed` classes) until nothing changes.
    fn fix_all(text: &str, unsafe_too: bool) -> String {
        let mut current = text.to_string();
        for _ in 0..10 {
            let found = findings(&current);
            let fixes: Vec<&Fix> = found
                .iter()
                .filter(|f| ours(f.code))
                .filter_map(|f| f.fix.as_ref())
                .filter(|f| unsafe_too || f.applicability == Applicability::Safe)
                .collect();
            let (next, applied) = crate::fix::apply_fixes(&current, fixes);
            if applied == 0 || next == current {
                break;
            }
            current = next;
        }
        current
    }

    /// Every file of the corpus (about 20 s in a debug build).
    #[test]
    #[ignore]
    fn f2_fixes_over_the_corpus() {
        check_corpus(1);
    }

    /// Every 12th file, so that `cargo test` keeps an eye on it.
    #[test]
    fn f2_fixes_over_a_corpus_sample() {
        check_corpus(12);
    }

    /// The inputs: the corpus files (every `step`-th), hadolint's rule test cases and
    /// BuildKit's parser test files (both small and full of corner cases).
    fn inputs(step: usize) -> Vec<(String, String)> {
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let root = repo.join("tests/corpus");
        let mut out = Vec::new();
        let list = std::fs::read_to_string(root.join("hadolint-2.15.1.jsonl")).unwrap_or_default();
        for line in list.lines().step_by(step) {
            let v: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
            if let Some(file) = v["file"].as_str() {
                if let Ok(text) = std::fs::read_to_string(root.join(file)) {
                    out.push((file.to_string(), text));
                }
            }
        }
        let cases = repo.join("tests/conformance/hadolint/hadolint_cases.jsonl");
        let cases = std::fs::read_to_string(cases).unwrap_or_default();
        for line in cases.lines().step_by(step) {
            let v: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
            if let (Some(id), Some(text)) = (v["id"].as_str(), v["dockerfile"].as_str()) {
                out.push((format!("hadolint case {id}"), text.to_string()));
            }
        }
        let testfiles = repo.join("tests/conformance/buildkit/testfiles");
        let mut dirs: Vec<_> = std::fs::read_dir(testfiles)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        dirs.sort();
        for dir in dirs {
            if let Ok(text) = std::fs::read_to_string(dir.join("Dockerfile")) {
                out.push((format!("buildkit {}", dir.display()), text));
            }
        }
        out
    }

    fn check_corpus(step: usize) {
        let inputs = inputs(step);
        let mut problems = Vec::new();
        for unsafe_too in [false, true] {
            let (mut files, mut changed, mut before_total, mut after_total) = (0, 0, 0, 0);
            let mut per_code: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
            for (file, source) in &inputs {
                let source = source.as_str();
                files += 1;
                let before_model = Model::parse(source);
                let before = counts(&findings(source));
                let fixed = fix_all(source, unsafe_too);
                if fixed == source {
                    continue;
                }
                changed += 1;
                if let Ok(dir) = std::env::var("F2_FIX_OUT") {
                    let out = std::path::Path::new(&dir)
                        .join(if unsafe_too { "all" } else { "safe" })
                        .join(file.replace(' ', "_").replace("/work/", ""));
                    let _ = std::fs::create_dir_all(out.parent().unwrap_or(&out));
                    let _ = std::fs::write(out, &fixed);
                }
                let after_model = Model::parse(&fixed);
                if after_model.doc.errors.len() > before_model.doc.errors.len()
                    || after_model.errors.len() > before_model.errors.len()
                {
                    problems.push(format!("{file}: the fixed file does not parse:\n{fixed}"));
                }
                let after = counts(&findings(&fixed));
                for (code, n) in &after {
                    let was = before.get(code).copied().unwrap_or(0);
                    if *n > was {
                        problems.push(format!(
                            "{file} (unsafe: {unsafe_too}): {code} {was} -> {n}\n{source}\n----\n{fixed}"
                        ));
                    }
                }
                for (code, n) in &before {
                    if ours(code) {
                        let now = after.get(code).copied().unwrap_or(0);
                        if unsafe_too && now > 0 && std::env::var("F2_FIX_OUT").is_ok() {
                            println!("  left: {file} {code} {n} -> {now}");
                        }
                        let e = per_code.entry(code).or_default();
                        e.0 += n;
                        e.1 += now;
                        before_total += n;
                        after_total += now;
                    }
                }
            }
            println!(
                "f2 fixes ({}): {files} files, {changed} changed; findings of the fixed rules in changed files {before_total} -> {after_total}",
                if unsafe_too { "safe + unsafe" } else { "safe only" }
            );
            for (code, (b, a)) in per_code {
                if b != a {
                    println!("  {code}: {b} -> {a}");
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    }
}
