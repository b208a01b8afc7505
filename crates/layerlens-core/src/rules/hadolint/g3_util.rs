//! Helpers shared by the rules DL3040–DL3067: variable references in Dockerfile words,
//! values that can be known at lint time, label iteration for the label-schema rules, and
//! which stages end up in a shipped image.

use crate::instructions::{KeyValue, Typed};
use crate::model::Base;
use crate::rules::{Context, LabelType, Report};
use crate::shell::Command;
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
pub fn labels<'a>(
    context: &'a Context,
) -> impl Iterator<Item = (usize, &'a KeyValue, String)> + 'a {
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
