//! The driver: proposes steps (structural moves, then rule fixes), checks each against the
//! invariants, keeps the ones that pass, and repeats until a whole pass keeps nothing.
//!
//! Determinism matters for `optimize(optimize(x)) == optimize(x)`: moves are tried in a
//! fixed order, each move's candidates in text order, and a refused candidate is retried
//! after any other step is kept (the text it was refused on is gone). The run ends on a pass
//! that keeps nothing, so the output is a fixed point of every move and fix.

use std::collections::{BTreeMap, BTreeSet};

use crate::fix::{self, Applicability, Edit};
use crate::layers::{self, Change as CacheChange, LayerOptions, PresetKind};
use crate::model::Model;
use crate::rules::{lint, Finding, LintOptions};
use crate::text::Span;

use super::effects::{self, Layers};
use super::guards::{self, BuiltStages, FinalConfig, Signature};
use super::spans::StepMap;
use super::text::Style;
use super::{
    cache_mounts, dockerignore, exec_form, fixes, merge, non_root, reorder, stage_split, workdir,
    Change, Hunk, MoveKind, OptimizeOptions, Optimized, Skipped, Totals,
};

/// What the run may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Structural moves and rule fixes.
    Optimize,
    /// Rule fixes only (`layerlens fix`).
    FixOnly,
}

/// Upper bounds that keep any input fast (each step re-parses and re-lints).
const MAX_PASSES: usize = 12;
const MAX_KEPT: usize = 120;
const MAX_TRIES: usize = 400;

/// A step a move or a fix proposes.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub kind: MoveKind,
    pub title: String,
    pub moved: String,
    pub rules: Vec<String>,
    pub why: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
    /// Identity of the candidate on this text (to not retry it when refused).
    pub key: String,
    /// Where it applies in the current text.
    pub at: Span,
    /// The final image's USER may change (the non-root move).
    pub changes_user: bool,
    /// The final image's WORKDIR may change (the unsafe WORKDIR move).
    pub changes_workdir: bool,
}

impl Candidate {
    pub fn new(kind: MoveKind, applicability: Applicability, at: Span) -> Candidate {
        Candidate {
            kind,
            title: String::new(),
            moved: String::new(),
            rules: Vec::new(),
            why: String::new(),
            applicability,
            edits: Vec::new(),
            key: String::new(),
            at,
            changes_user: false,
            changes_workdir: false,
        }
    }
}

/// A move that looked applicable and was not made, with the reason (a guard condition).
#[derive(Clone, Debug)]
pub struct Refusal {
    pub kind: MoveKind,
    pub title: String,
    pub rules: Vec<String>,
    pub reason: String,
    pub at: Span,
}

pub type Proposal = Result<Candidate, Refusal>;

/// What moves see.
pub struct Ctx<'a> {
    pub model: &'a Model,
    pub options: &'a OptimizeOptions,
    pub style: Style,
    /// The target stage.
    pub target: Option<usize>,
    pub findings: &'a [Finding],
}

/// The moves, in the order they are tried within a pass.
const MOVERS: [fn(&Ctx) -> Vec<Proposal>; 7] = [
    exec_form::propose,
    workdir::propose,
    reorder::propose,
    merge::propose,
    cache_mounts::propose,
    stage_split::propose,
    non_root::propose,
];

/// One text with everything the guards and effects need.
struct State {
    text: String,
    model: Model,
    findings: Vec<Finding>,
    layers: Layers,
}

/// A kept step.
struct Kept {
    candidate: Candidate,
    map: StepMap,
    effect: super::Effect,
}

struct Engine<'o> {
    options: &'o OptimizeOptions,
    mode: Mode,
    layer_options: LayerOptions,
    code_change: Vec<CacheChange>,
    baseline: Signature,
    comments: BTreeMap<String, usize>,
    stages: BuiltStages,
    expected: FinalConfig,
    tries: usize,
    /// The linter (the rules' `lint`, or a stand-in in tests).
    linter: Linter,
}

/// Lints a model with the run's options.
pub type Linter = fn(&Model, &OptimizeOptions) -> Vec<Finding>;

/// The rules' own linter.
fn rules_linter(model: &Model, options: &OptimizeOptions) -> Vec<Finding> {
    lint(
        model,
        &options.config,
        options.dockerignore.as_ref(),
        &LintOptions::default(),
    )
}

impl Engine<'_> {
    fn lint(&self, model: &Model) -> Vec<Finding> {
        (self.linter)(model, self.options)
    }

    fn state(&self, text: String, model: Model, findings: Vec<Finding>) -> State {
        let layers = effects::analyze(&model, &self.layer_options, &self.code_change);
        State {
            text,
            model,
            findings,
            layers,
        }
    }

    /// Applies a candidate to `state` and checks the invariants; the new state or why not.
    fn try_step(&mut self, state: &State, c: &Candidate) -> Result<State, String> {
        self.tries += 1;
        let text = fix::apply(&state.text, &c.edits)
            .map_err(|e| format!("the edits do not fit together ({e:?})"))?;
        if text == state.text {
            return Err("it changes nothing".into());
        }
        let model = Model::parse(&text);
        let errors = guards::error_signature(&model);
        if let Some((_, message)) = errors.iter().next() {
            return Err(format!("the result would not parse: {message}"));
        }
        let lost = guards::lost_comments(&self.comments, &guards::comments(&model));
        if let Some(c) = lost.first() {
            return Err(format!("the comment `{c}` would be lost"));
        }
        let target = self.options.config.target.as_deref();
        if let Some(why) = guards::lost_stage(&self.stages, &guards::built_stages(&model, target)) {
            return Err(why);
        }
        let mut expected = self.expected.clone();
        let config = guards::final_config(&model, target);
        if c.changes_user {
            expected.user = config.user.clone();
        }
        if c.changes_workdir {
            expected.workdir = config.workdir.clone();
        }
        if self.mode == Mode::Optimize || c.kind != MoveKind::Fix {
            if let Some(why) = guards::config_difference(&expected, &config) {
                return Err(why);
            }
        }
        let findings = self.lint(&model);
        let new = guards::new_entries(&self.baseline, &guards::signature(&findings, &model));
        if let Some((code, message)) = new.first() {
            return Err(format!(
                "it would add a finding the input does not have: {code} {message}"
            ));
        }
        self.expected = expected;
        Ok(self.state(text, model, findings))
    }
}

/// Runs the optimizer (or only the fixes) on `source`.
pub fn run(source: &str, options: &OptimizeOptions, mode: Mode) -> Optimized {
    run_with(source, options, mode, rules_linter)
}

/// [`run`] with another linter (tests drive the fix loop with rules of their own).
pub fn run_with(source: &str, options: &OptimizeOptions, mode: Mode, linter: Linter) -> Optimized {
    let model = Model::parse(source);
    let layer_options = LayerOptions {
        target: options.config.target.clone(),
        dockerignore: options.dockerignore.clone(),
        context_size: options.context_size,
        changes: Vec::new(),
    };
    let code_change = layers::preset_changes(&model, &layer_options, PresetKind::ApplicationCode);
    let target = options.config.target.as_deref();
    let mut engine = Engine {
        options,
        mode,
        layer_options,
        code_change,
        baseline: Signature::new(),
        comments: guards::comments(&model),
        stages: guards::built_stages(&model, target),
        expected: guards::final_config(&model, target),
        tries: 0,
        linter,
    };
    let findings = engine.lint(&model);
    engine.baseline = guards::signature(&findings, &model);
    let parse_errors = guards::error_signature(&model);
    let original_model = model.clone();
    let original = engine.state(source.to_string(), model, findings);
    let stages_before = original.model.stages.len();
    let before = original
        .layers
        .snapshot(stages_before, original.findings.len());

    let mut kept: Vec<Kept> = Vec::new();
    let mut skipped: BTreeMap<String, Skipped> = BTreeMap::new();
    let mut state = original;
    if parse_errors.is_empty() && !source.is_empty() {
        let mut passes = 0;
        loop {
            passes += 1;
            skipped.clear();
            let progressed = pass(&mut engine, &mut state, &mut kept, &mut skipped);
            if !progressed || passes >= MAX_PASSES || kept.len() >= MAX_KEPT {
                break;
            }
        }
    } else if !parse_errors.is_empty() {
        skipped.insert(
            "parse".into(),
            Skipped {
                kind: MoveKind::Fix,
                title: "Optimize".into(),
                rules: vec![crate::analysis::SYNTAX_ERROR_CODE.to_string()],
                reason: "the file has syntax errors; fix them first".into(),
                needs_unsafe: false,
                original: None,
            },
        );
    }

    // Hunks in original and output coordinates.
    let maps: Vec<&StepMap> = kept.iter().map(|k| &k.map).collect();
    let changes: Vec<Change> = kept
        .iter()
        .enumerate()
        .map(|(k, step)| {
            let hunks = step
                .map
                .pairs()
                .iter()
                .map(|(old, new)| {
                    let original = maps[..k].iter().rev().fold(*old, |s, m| m.backward(s));
                    let output = maps[k + 1..].iter().fold(*new, |s, m| m.forward(s));
                    Hunk { original, output }
                })
                .collect();
            let c = &step.candidate;
            Change {
                kind: c.kind,
                title: c.title.clone(),
                moved: c.moved.clone(),
                rules: c.rules.clone(),
                why: c.why.clone(),
                applicability: c.applicability,
                hunks,
                effect: step.effect.clone(),
            }
        })
        .collect();
    let skipped: Vec<Skipped> = skipped
        .into_values()
        .map(|mut s| {
            s.original = s
                .original
                .map(|span| maps.iter().rev().fold(span, |s, m| m.backward(s)));
            s
        })
        .collect();

    let after = state
        .layers
        .snapshot(state.model.stages.len(), state.findings.len());
    let proposal = (mode == Mode::Optimize && options.moves.dockerignore)
        .then(|| dockerignore::propose(&state.model, &original_model, options))
        .flatten();
    Optimized {
        changed: state.text != source,
        text: state.text,
        changes,
        skipped,
        dockerignore: proposal,
        totals: Totals {
            bytes_saved: effects::saved(before.size_bytes, after.size_bytes),
            before,
            after,
        },
    }
}

/// One pass over every move and then the fixes; whether anything was kept.
fn pass(
    engine: &mut Engine,
    state: &mut State,
    kept: &mut Vec<Kept>,
    skipped: &mut BTreeMap<String, Skipped>,
) -> bool {
    let mut progressed = false;
    let mut refused: BTreeSet<String> = BTreeSet::new();
    if engine.mode == Mode::Optimize {
        for mover in MOVERS {
            loop {
                if kept.len() >= MAX_KEPT || engine.tries >= MAX_TRIES {
                    return progressed;
                }
                let proposals = {
                    let ctx = context(engine, state);
                    mover(&ctx)
                };
                let Some(candidate) = choose(engine, proposals, &refused, skipped) else {
                    break;
                };
                if step(engine, state, candidate, kept, &mut refused, skipped) {
                    progressed = true;
                    refused.clear();
                }
            }
        }
    }
    if engine.options.moves.fixes {
        loop {
            if kept.len() >= MAX_KEPT || engine.tries >= MAX_TRIES {
                return progressed;
            }
            let candidate = {
                let ctx = context(engine, state);
                fixes::propose(&ctx, engine.mode == Mode::Optimize)
            };
            let Some(candidate) = choose(engine, candidate, &refused, skipped) else {
                break;
            };
            if step(engine, state, candidate, kept, &mut refused, skipped) {
                progressed = true;
                refused.clear();
            }
        }
    }
    progressed
}

fn context<'a>(engine: &'a Engine, state: &'a State) -> Ctx<'a> {
    let model = &state.model;
    let target = model
        .target_stage(engine.options.config.target.as_deref())
        .or_else(|| model.target_stage(None));
    Ctx {
        model,
        options: engine.options,
        style: Style::of(model),
        target,
        findings: &state.findings,
    }
}

/// The first proposal that may be tried; refusals and disallowed ones go to `skipped`.
fn choose(
    engine: &Engine,
    proposals: Vec<Proposal>,
    refused: &BTreeSet<String>,
    skipped: &mut BTreeMap<String, Skipped>,
) -> Option<Candidate> {
    for p in proposals {
        match p {
            Err(r) => {
                if engine.options.moves.allows(r.kind) {
                    let key = format!("{}|{}|{}", r.kind.as_str(), r.title, r.reason);
                    skipped.entry(key).or_insert(Skipped {
                        kind: r.kind,
                        title: r.title,
                        rules: r.rules,
                        reason: r.reason,
                        needs_unsafe: false,
                        original: Some(r.at),
                    });
                }
            }
            Ok(c) => {
                if !engine.options.moves.allows(c.kind) || refused.contains(&c.key) {
                    continue;
                }
                if c.applicability == Applicability::Unsafe && !engine.options.allow_unsafe {
                    let key = format!("{}|{}", c.kind.as_str(), c.key);
                    skipped.entry(key).or_insert(Skipped {
                        kind: c.kind,
                        title: c.title,
                        rules: c.rules,
                        reason: "unsafe: it may change what the image contains or does; allow unsafe changes to make it".into(),
                        needs_unsafe: true,
                        original: Some(c.at),
                    });
                    continue;
                }
                return Some(c);
            }
        }
    }
    None
}

/// Tries one candidate; keeps it or records why not. Whether it was kept.
fn step(
    engine: &mut Engine,
    state: &mut State,
    candidate: Candidate,
    kept: &mut Vec<Kept>,
    refused: &mut BTreeSet<String>,
    skipped: &mut BTreeMap<String, Skipped>,
) -> bool {
    match engine.try_step(state, &candidate) {
        Ok(next) => {
            let map = StepMap::new(&candidate.edits);
            let effect = effects::effect(&state.layers, &next.layers, &map);
            kept.push(Kept {
                map,
                candidate,
                effect,
            });
            *state = next;
            true
        }
        Err(reason) => {
            refused.insert(candidate.key.clone());
            let key = format!("{}|{}", candidate.kind.as_str(), candidate.key);
            skipped.insert(
                key,
                Skipped {
                    kind: candidate.kind,
                    title: candidate.title,
                    rules: candidate.rules,
                    reason,
                    needs_unsafe: false,
                    original: Some(candidate.at),
                },
            );
            false
        }
    }
}
