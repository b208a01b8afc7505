//! The invariants every kept step must respect, checked on the text it produces.
//!
//! - no parse error and no lint finding the original input did not have (a finding is
//!   identified by its code and its message with numbers masked, so a line number that
//!   moves does not make it new);
//! - every comment line of the input is still there (at top level or inside a continuation);
//! - every stage the target builds is still there and still built;
//! - the final image keeps its run configuration.

use std::collections::{BTreeMap, BTreeSet};

use crate::instructions::{CommandLine, Healthcheck, Typed};
use crate::model::{Base, Model};
use crate::rules::Finding;
use crate::shell;
use crate::syntax::{NodeKind, PieceKind};

/// A finding or error as the invariant compares them.
pub type Signature = BTreeSet<(String, String)>;

/// Replaces every run of digits by `#`.
fn mask(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut in_digits = false;
    for c in message.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push('#');
            }
            in_digits = true;
        } else {
            in_digits = false;
            out.push(c);
        }
    }
    out
}

/// The base images the file names, longest first (as written, expanded, repository and
/// name), so a finding about "the base image" reads the same whichever image it names.
fn base_names(model: &Model) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for s in &model.stages {
        if let Base::Image(image) = &s.base {
            for n in [
                s.base_written.clone(),
                image.raw.clone(),
                image.repository.clone(),
                image.name.clone(),
            ] {
                if n.len() > 2 && !names.contains(&n) {
                    names.push(n);
                }
            }
        }
    }
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names
}

/// Findings as the invariant compares them: code, and message with numbers and base image
/// names masked (a stage split gives the final image another base; a finding such as "pin
/// the base by digest" is the same finding about it, not a new one).
pub fn signature(findings: &[Finding], model: &Model) -> Signature {
    let names = base_names(model);
    findings
        .iter()
        .map(|f| {
            let mut m = f.message.clone();
            for n in &names {
                m = m.replace(n.as_str(), "<image>");
            }
            (f.code.to_string(), mask(&m))
        })
        .collect()
}

pub fn error_signature(model: &Model) -> Signature {
    model
        .doc
        .errors
        .iter()
        .chain(&model.errors)
        .map(|e| ("error".to_string(), mask(&e.message)))
        .collect()
}

/// What is in `now` and not in `before`.
pub fn new_entries(before: &Signature, now: &Signature) -> Vec<(String, String)> {
    now.difference(before).cloned().collect()
}

/// Every comment line (top level and inside continuations), trimmed, with its count.
pub fn comments(model: &Model) -> BTreeMap<String, usize> {
    let text = &model.doc.text;
    let mut out: BTreeMap<String, usize> = BTreeMap::new();
    for node in &model.doc.nodes {
        match node.kind {
            NodeKind::Comment | NodeKind::Directive => {
                *out.entry(node.span.slice(text).trim().to_string())
                    .or_default() += 1;
            }
            NodeKind::Instruction(i) => {
                for p in &model.doc.instructions[i].pieces {
                    if p.kind == PieceKind::ContinuationComment {
                        *out.entry(p.span.slice(text).trim().to_string())
                            .or_default() += 1;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The comments of `before` missing from `now`.
pub fn lost_comments(
    before: &BTreeMap<String, usize>,
    now: &BTreeMap<String, usize>,
) -> Vec<String> {
    before
        .iter()
        .filter(|(c, n)| now.get(*c).copied().unwrap_or(0) < **n)
        .map(|(c, _)| c.clone())
        .collect()
}

/// The stages the target builds: names of the named ones, and how many there are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuiltStages {
    pub named: BTreeSet<String>,
    pub count: usize,
}

pub fn built_stages(model: &Model, target: Option<&str>) -> BuiltStages {
    let Some(t) = model
        .target_stage(target)
        .or_else(|| model.target_stage(None))
    else {
        return BuiltStages {
            named: BTreeSet::new(),
            count: 0,
        };
    };
    let reachable = model.reachable(t);
    let mut named = BTreeSet::new();
    let mut count = 0;
    for s in &model.stages {
        if reachable.get(s.index).copied().unwrap_or(false) {
            count += 1;
            if let Some(n) = &s.name {
                named.insert(n.clone());
            }
        }
    }
    BuiltStages { named, count }
}

/// Why `now` loses a stage `before` built, if it does.
pub fn lost_stage(before: &BuiltStages, now: &BuiltStages) -> Option<String> {
    if let Some(n) = before.named.difference(&now.named).next() {
        return Some(format!("stage `{n}` would no longer be built"));
    }
    (now.count < before.count)
        .then(|| format!("{} stage(s) built instead of {}", now.count, before.count))
}

/// The run configuration of the final image, as the file sets it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FinalConfig {
    pub cmd: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    pub expose: BTreeSet<String>,
    pub env: BTreeMap<String, String>,
    pub volume: BTreeSet<String>,
    pub stopsignal: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub healthcheck: Option<Vec<String>>,
    pub user: Option<String>,
    pub workdir: String,
}

/// A command line as words: exec form as is; shell form split into words when it is one
/// simple command (so `CMD a b` equals `CMD ["a", "b"]`), else the text behind `sh -c`.
fn words(line: &CommandLine) -> Option<Vec<String>> {
    match line {
        CommandLine::Exec(items) => Some(items.iter().map(|t| t.value.clone()).collect()),
        CommandLine::Shell(text) => {
            let script = shell::parse_script(&text.value);
            let simple = script.commands.len() == 1
                && script.operators.is_empty()
                && script.errors.is_empty()
                && script.commands[0].redirects.is_empty()
                && script.commands[0].assignments.is_empty()
                && script.commands[0].words.iter().all(|w| !w.has_expansion);
            if simple {
                let mut w: Vec<String> = script.commands[0]
                    .words
                    .iter()
                    .map(|w| w.value.clone())
                    .collect();
                if w.first().is_some_and(|x| x == "exec") {
                    w.remove(0);
                }
                Some(w)
            } else {
                Some(vec![
                    "/bin/sh".into(),
                    "-c".into(),
                    text.value.split_whitespace().collect::<Vec<_>>().join(" "),
                ])
            }
        }
        CommandLine::Empty => None,
    }
}

/// The stages the target image is made of, root first.
fn chain(model: &Model, target: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut current = Some(target);
    while let Some(s) = current {
        if s >= model.stages.len() || out.contains(&s) {
            break;
        }
        out.push(s);
        current = match model.stages[s].base {
            Base::Stage(p) if p < s => Some(p),
            _ => None,
        };
    }
    out.reverse();
    out
}

pub fn final_config(model: &Model, target: Option<&str>) -> FinalConfig {
    let mut c = FinalConfig {
        workdir: "/".into(),
        ..Default::default()
    };
    let Some(t) = model
        .target_stage(target)
        .or_else(|| model.target_stage(None))
    else {
        return c;
    };
    let expand = |i: usize, s: &str| model.expand(i, s).unwrap_or_else(|_| s.to_string());
    for s in chain(model, t) {
        for &i in &model.stages[s].instructions {
            match &model.typed[i] {
                Typed::Cmd(line) => c.cmd = words(line),
                Typed::Entrypoint(line) => {
                    c.entrypoint = words(line);
                }
                Typed::Expose(ports) => {
                    for p in ports {
                        for w in expand(i, &p.value).split_whitespace() {
                            c.expose.insert(w.to_ascii_lowercase());
                        }
                    }
                }
                Typed::Env(pairs) => {
                    for p in pairs {
                        c.env
                            .insert(expand(i, &p.key.value), expand(i, &p.value.value));
                    }
                }
                Typed::Label(pairs) => {
                    for p in pairs {
                        c.labels
                            .insert(expand(i, &p.key.value), expand(i, &p.value.value));
                    }
                }
                Typed::Volume(paths) => {
                    for p in paths {
                        c.volume.insert(expand(i, &p.value));
                    }
                }
                Typed::Stopsignal(s) => c.stopsignal = Some(expand(i, &s.value)),
                Typed::User(u) => c.user = Some(expand(i, &u.value)),
                Typed::Healthcheck(h) => {
                    c.healthcheck = match h {
                        Healthcheck::None => Some(vec!["NONE".into()]),
                        Healthcheck::Cmd(cmd) => words(&cmd.command),
                    }
                }
                _ => {}
            }
        }
    }
    let stage = &model.stages[t];
    let last = stage.instructions.last().copied().unwrap_or(stage.from);
    if let Some(context) = model.contexts.get(last) {
        c.workdir = context.workdir.clone();
    }
    if let Typed::Workdir(w) = &model.typed[last] {
        c.workdir = crate::model::join_path(&c.workdir, &expand(last, &w.value));
    }
    c
}

/// What differs between two configurations, for people.
pub fn config_difference(before: &FinalConfig, now: &FinalConfig) -> Option<String> {
    let mut what = Vec::new();
    if before.cmd != now.cmd {
        what.push("CMD");
    }
    if before.entrypoint != now.entrypoint {
        what.push("ENTRYPOINT");
    }
    if before.expose != now.expose {
        what.push("EXPOSE");
    }
    if before.env != now.env {
        what.push("ENV");
    }
    if before.volume != now.volume {
        what.push("VOLUME");
    }
    if before.stopsignal != now.stopsignal {
        what.push("STOPSIGNAL");
    }
    if before.labels != now.labels {
        what.push("LABEL");
    }
    if before.healthcheck != now.healthcheck {
        what.push("HEALTHCHECK");
    }
    if before.user != now.user {
        what.push("USER");
    }
    if before.workdir != now.workdir {
        what.push("WORKDIR");
    }
    (!what.is_empty()).then(|| format!("the final image's {} would change", what.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_numbers() {
        assert_eq!(mask("line 12 and 3.5 MB"), "line # and #.# MB");
    }

    #[test]
    fn shell_and_exec_commands_compare_as_words() {
        let a = final_config(&Model::parse("FROM a\nCMD python app.py\n"), None);
        let b = final_config(
            &Model::parse("FROM a\nCMD [\"python\", \"app.py\"]\n"),
            None,
        );
        assert_eq!(a.cmd, b.cmd);
        let c = final_config(&Model::parse("FROM a\nCMD python $APP\n"), None);
        assert_ne!(a.cmd, c.cmd);
    }

    #[test]
    fn config_follows_the_stage_chain() {
        let m = Model::parse(
            "FROM a AS base\nENV X=1\nEXPOSE 80\nFROM base\nUSER app\nWORKDIR /srv\nCMD [\"x\"]\n",
        );
        let c = final_config(&m, None);
        assert_eq!(c.env.get("X").map(String::as_str), Some("1"));
        assert!(c.expose.contains("80"));
        assert_eq!(c.user.as_deref(), Some("app"));
        assert_eq!(c.workdir, "/srv");
    }
}
