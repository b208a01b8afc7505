//! The optimizer's invariants over every file of the corpus (tests/corpus), with unsafe
//! changes allowed and every move on, checked here independently of the engine's own guards:
//!
//! - it never panics;
//! - the output parses with no error (ours here; BuildKit's own parser in
//!   `optimize_oracle.rs`);
//! - `optimize(optimize(x)) == optimize(x)`;
//! - every stage the target builds is still built (by name, and no fewer);
//! - the final image keeps its CMD, ENTRYPOINT, EXPOSE, ENV, VOLUME and STOPSIGNAL (and USER,
//!   unless the non-root move was made);
//! - every comment line survives;
//! - no lint finding the input did not have (code + message with numbers masked);
//! - a file with no change comes back byte for byte.
//!
//! Prints the counts: files improved, findings before → after, estimated bytes saved, changes
//! per kind. `cargo test -p layerlens-core --test optimize_corpus -- --nocapture`.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use layerlens_core::instructions::{CommandLine, Typed};
use layerlens_core::model::{Base, Model};
use layerlens_core::optimize::{optimize, MoveKind, OptimizeOptions, Optimized};
use layerlens_core::rules::{lint, Config, LintOptions};
use layerlens_core::syntax::{NodeKind, PieceKind};

fn mask(s: &str) -> String {
    let mut out = String::new();
    let mut digits = false;
    for c in s.chars() {
        if c.is_ascii_digit() {
            if !digits {
                out.push('#');
            }
            digits = true;
        } else {
            digits = false;
            out.push(c);
        }
    }
    out
}

/// Findings by code and message, numbers and base image names masked (a stage split gives
/// the final image another base; "pin the base by digest" about it is not a new finding).
fn findings(model: &Model) -> BTreeSet<(String, String)> {
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
    lint(model, &Config::default(), None, &LintOptions::default())
        .into_iter()
        .map(|f| {
            let mut m = f.message.clone();
            for n in &names {
                m = m.replace(n.as_str(), "<image>");
            }
            (f.code.to_string(), mask(&m))
        })
        .collect()
}

fn comments(model: &Model) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for node in &model.doc.nodes {
        match node.kind {
            NodeKind::Comment | NodeKind::Directive => {
                *out.entry(node.span.slice(&model.doc.text).trim().to_string())
                    .or_insert(0) += 1
            }
            NodeKind::Instruction(i) => {
                for p in &model.doc.instructions[i].pieces {
                    if p.kind == PieceKind::ContinuationComment {
                        *out.entry(p.span.slice(&model.doc.text).trim().to_string())
                            .or_insert(0) += 1;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Names of the stages the default target builds, and how many.
fn built(model: &Model) -> (BTreeSet<String>, usize) {
    let Some(t) = model.target_stage(None) else {
        return (BTreeSet::new(), 0);
    };
    let reach = model.reachable(t);
    let stages: Vec<_> = model
        .stages
        .iter()
        .filter(|s| reach.get(s.index).copied().unwrap_or(false))
        .collect();
    (
        stages.iter().filter_map(|s| s.name.clone()).collect(),
        stages.len(),
    )
}

/// The run configuration of the final image (what the invariant names), as words.
fn config(model: &Model) -> BTreeMap<&'static str, Vec<String>> {
    let mut out: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let Some(t) = model.target_stage(None) else {
        return out;
    };
    let mut chain = vec![t];
    while let Base::Stage(p) = model.stages[*chain.last().unwrap()].base {
        if chain.contains(&p) {
            break;
        }
        chain.push(p);
    }
    let words = |line: &CommandLine| -> Vec<String> {
        match line {
            CommandLine::Exec(items) => items.iter().map(|t| t.value.clone()).collect(),
            CommandLine::Shell(t) => {
                let w: Vec<String> = t.value.split_whitespace().map(str::to_string).collect();
                // `CMD a b` and `CMD ["a", "b"]` run the same words.
                let plain = w.iter().all(|x| {
                    !x.contains([
                        '$', '*', '?', '[', '~', '\'', '"', '\\', '&', '|', ';', '<', '>',
                    ])
                });
                if plain {
                    w.into_iter().skip_while(|x| x == "exec").collect()
                } else {
                    vec!["/bin/sh".into(), "-c".into(), w.join(" ")]
                }
            }
            CommandLine::Empty => Vec::new(),
        }
    };
    for &s in chain.iter().rev() {
        for &i in &model.stages[s].instructions {
            let expand = |v: &str| model.expand(i, v).unwrap_or_else(|_| v.to_string());
            match &model.typed[i] {
                Typed::Cmd(l) => {
                    out.insert("CMD", words(l));
                }
                Typed::Entrypoint(l) => {
                    out.insert("ENTRYPOINT", words(l));
                }
                Typed::Expose(p) => out
                    .entry("EXPOSE")
                    .or_default()
                    .extend(p.iter().map(|x| expand(&x.value))),
                Typed::Env(pairs) => out.entry("ENV").or_default().extend(
                    pairs
                        .iter()
                        .map(|p| format!("{}={}", expand(&p.key.value), expand(&p.value.value))),
                ),
                Typed::Volume(p) => out
                    .entry("VOLUME")
                    .or_default()
                    .extend(p.iter().map(|x| expand(&x.value))),
                Typed::Stopsignal(s) => {
                    out.insert("STOPSIGNAL", vec![expand(&s.value)]);
                }
                Typed::User(u) => {
                    out.insert("USER", vec![expand(&u.value)]);
                }
                _ => {}
            }
        }
    }
    for key in ["EXPOSE", "VOLUME"] {
        if let Some(v) = out.get_mut(key) {
            v.sort();
            v.dedup();
        }
    }
    // ENV: the last value of each name counts.
    if let Some(env) = out.get_mut("ENV") {
        let mut last: BTreeMap<String, String> = BTreeMap::new();
        for e in env.iter() {
            let (k, v) = e.split_once('=').unwrap_or((e, ""));
            last.insert(k.to_string(), v.to_string());
        }
        *env = last.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
    }
    out
}

/// Checks the invariants for one input; returns the violations.
pub fn violations(input: &str, out: &Optimized, options: &OptimizeOptions) -> Vec<String> {
    let mut bad = Vec::new();
    let before = Model::parse(input);
    let after = Model::parse(&out.text);
    if before.doc.errors.is_empty() && before.errors.is_empty() {
        for e in after.doc.errors.iter().chain(&after.errors) {
            bad.push(format!("parse error: {}", e.message));
        }
    }
    if !out.changed && out.text != input {
        bad.push("unchanged but different text".into());
    }
    if out.changes.is_empty() && out.text != input {
        bad.push("no change listed but the text differs".into());
    }
    let again = optimize(&out.text, options);
    if again.text != out.text {
        bad.push(format!(
            "not idempotent: second run made {:?}",
            again.changes.iter().map(|c| &c.title).collect::<Vec<_>>()
        ));
    }
    let (names_before, count_before) = built(&before);
    let (names_after, count_after) = built(&after);
    if !names_before.is_subset(&names_after) || count_after < count_before {
        bad.push(format!(
            "stages lost: {names_before:?}/{count_before} → {names_after:?}/{count_after}"
        ));
    }
    let non_root = out.changes.iter().any(|c| c.kind == MoveKind::NonRoot);
    let mut cb = config(&before);
    let mut ca = config(&after);
    if non_root {
        cb.remove("USER");
        ca.remove("USER");
    }
    if cb != ca {
        bad.push(format!("final config changed: {cb:?} → {ca:?}"));
    }
    let comments_after = comments(&after);
    for (c, n) in comments(&before) {
        if comments_after.get(&c).copied().unwrap_or(0) < n {
            bad.push(format!("comment lost: {c}"));
        }
    }
    let fb = findings(&before);
    for f in findings(&after).difference(&fb) {
        bad.push(format!("new finding: {} {}", f.0, f.1));
    }
    bad
}

#[test]
fn corpus_invariants_and_counts() {
    corpus_run("unsafe changes allowed", &OptimizeOptions::with_unsafe());
    corpus_run("safe changes only", &OptimizeOptions::default());
    // Few corpus files opt into BuildKit themselves: assume it, so the cache-mount move runs.
    corpus_run(
        "safe changes only, BuildKit assumed",
        &OptimizeOptions {
            assume_buildkit: true,
            ..Default::default()
        },
    );
}

fn corpus_run(label: &str, options: &OptimizeOptions) {
    let files = common::corpus_files();
    assert!(files.len() >= 400, "corpus missing: {}", files.len());
    let mut improved = 0;
    let mut findings_before = 0;
    let mut findings_after = 0;
    let mut saved_low: i64 = 0;
    let mut saved_high: i64 = 0;
    let mut layers_before = 0;
    let mut layers_after = 0;
    let mut per_kind: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut skipped: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let out = match std::panic::catch_unwind(|| optimize(&text, options)) {
            Ok(o) => o,
            Err(_) => {
                failures.push(format!("{}: panicked", path.display()));
                continue;
            }
        };
        for v in violations(&text, &out, options) {
            failures.push(format!("{}: {v}", path.display()));
        }
        if out.changed {
            improved += 1;
        }
        findings_before += out.totals.before.findings;
        findings_after += out.totals.after.findings;
        saved_low += out.totals.bytes_saved.low;
        saved_high += out
            .totals
            .bytes_saved
            .high
            .unwrap_or(out.totals.bytes_saved.low);
        layers_before += out.totals.before.layers;
        layers_after += out.totals.after.layers;
        for c in &out.changes {
            *per_kind.entry(c.kind.as_str()).or_default() += 1;
        }
        for s in &out.skipped {
            *skipped.entry(s.kind.as_str()).or_default() += 1;
        }
    }
    println!(
        "optimizer over the corpus ({} files, {label}):",
        files.len()
    );
    println!("  files improved: {improved}");
    println!("  findings: {findings_before} → {findings_after}");
    println!("  final-image layers: {layers_before} → {layers_after}");
    let signed = |b: i64| {
        let h = layerlens_core::layers::human(b.unsigned_abs());
        if b < 0 {
            format!("-{h}")
        } else {
            h
        }
    };
    println!(
        "  estimated bytes saved: {} – {} (sum of per-file estimates; negative: the image grows)",
        signed(saved_low),
        signed(saved_high)
    );
    println!("  changes by kind: {per_kind:?}");
    println!("  considered and not made, by kind: {skipped:?}");
    assert!(
        failures.is_empty(),
        "{} violations:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ----------------------------------------------------------------------------------------
// Generated inputs: Dockerfiles assembled from the patterns the moves look for (and their
// near misses), in random order and combination; and arbitrary text.

mod generated {
    use super::*;
    use proptest::prelude::*;

    const BASES: [&str; 9] = [
        "FROM python:3.13-slim",
        "FROM python:3.12-slim AS build",
        "FROM golang:1.22",
        "FROM node:20",
        "FROM debian:12",
        "FROM alpine:3.20",
        "FROM maven:3.9-eclipse-temurin-21",
        "FROM scratch",
        "from ubuntu:24.04",
    ];

    const LINES: [&str; 42] = [
        "WORKDIR /app",
        "COPY . .",
        "COPY . /app",
        "COPY --chown=1000 . .",
        "COPY requirements.txt .",
        "RUN pip install -r requirements.txt",
        "RUN pip install --no-cache-dir -r requirements.txt",
        "RUN npm ci",
        "RUN npm run build",
        "RUN apt-get update",
        "RUN apt-get install -y curl",
        "RUN apt-get install -y build-essential",
        "RUN rm -rf /var/lib/apt/lists/*",
        "RUN apt-get remove -y build-essential",
        "RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*",
        "RUN cd /src && make",
        "RUN cd /tmp && \\\n    curl -o x.tgz https://e.com/x.tgz",
        "RUN make install # build it",
        "CMD python app.py",
        "CMD [\"python\", \"app.py\"]",
        "CMD exec gunicorn app:app",
        "ENTRYPOINT run --flag",
        "USER app",
        "ENV A=1",
        "ENV CGO_ENABLED=0",
        "EXPOSE 80",
        "# a comment",
        "# hadolint ignore=DL3059",
        "",
        "RUN go mod download",
        "RUN CGO_ENABLED=0 go build -o /app/server .",
        "CMD [\"/app/server\"]",
        "RUN mvn -B package",
        "CMD [\"java\", \"-jar\", \"target/app.jar\"]",
        "RUN --mount=type=cache,target=/root/.cache/pip pip install -r r.txt",
        "LABEL a=b",
        "RUN set -e; \\\n    a; \\\n    b",
        "HEALTHCHECK CMD curl -f http://localhost/ || exit 1",
        "ARG V=1",
        "COPY --from=build /app /app",
        // A whole Node stage (the stage split needs its FROM), which later lines may spoil.
        "FROM node:20-alpine\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nCMD [\"node\", \"dist/server.js\"]",
        "ENV NODE_ENV=production",
    ];

    fn dockerfile() -> impl Strategy<Value = String> {
        let stage = (0..BASES.len(), prop::collection::vec(0..LINES.len(), 0..9));
        (
            any::<bool>(),
            any::<bool>(),
            prop::collection::vec(stage, 1..3),
        )
            .prop_map(|(syntax, crlf, stages)| {
                let mut text = String::new();
                if syntax {
                    text.push_str("# syntax=docker/dockerfile:1\n");
                }
                for (base, lines) in stages {
                    text.push_str(BASES[base]);
                    text.push('\n');
                    for l in lines {
                        text.push_str(LINES[l]);
                        text.push('\n');
                    }
                }
                if crlf {
                    text = text.replace('\n', "\r\n");
                }
                text
            })
    }

    /// The generator reaches every move (so the property test exercises them all).
    #[test]
    fn generated_inputs_reach_every_move() {
        use proptest::strategy::ValueTree;
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let mut kinds: BTreeMap<&'static str, usize> = BTreeMap::new();
        let options = OptimizeOptions::with_unsafe();
        for _ in 0..600 {
            let text = dockerfile().new_tree(&mut runner).unwrap().current();
            for c in optimize(&text, &options).changes {
                *kinds.entry(c.kind.as_str()).or_default() += 1;
            }
        }
        println!("changes over 600 generated files: {kinds:?}");
        for kind in [
            "reorder",
            "merge_runs",
            "move_cleanup",
            "cache_mount",
            "stage_split",
            "non_root",
            "exec_form",
            "workdir",
        ] {
            assert!(kinds.contains_key(kind), "{kind} never made: {kinds:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn generated_dockerfiles_keep_the_invariants(text in dockerfile(), unsafe_ in any::<bool>()) {
            let options = OptimizeOptions { allow_unsafe: unsafe_, ..Default::default() };
            let out = optimize(&text, &options);
            let bad = violations(&text, &out, &options);
            prop_assert!(bad.is_empty(), "{}\n--- gives ---\n{}\n{:?}", text, out.text, bad);
        }

        #[test]
        fn any_text_gives_a_result(text in "(FROM |RUN |COPY |CMD |[a-z \\\\\"'\\[\\]&|;#\n=/.-]){0,60}") {
            let options = OptimizeOptions::with_unsafe();
            let out = optimize(&text, &options);
            let before = Model::parse(&text);
            if before.doc.errors.is_empty() && before.errors.is_empty() {
                let after = Model::parse(&out.text);
                prop_assert!(after.doc.errors.is_empty() && after.errors.is_empty(), "{:?} → {:?}", text, out.text);
            } else {
                prop_assert_eq!(&out.text, &text);
            }
        }
    }
}
