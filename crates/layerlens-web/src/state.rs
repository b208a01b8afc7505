//! The playground's state: one reducer, no global mutable state.
//!
//! What the user types (the Dockerfile, the `.dockerignore`, the build-context size, a
//! changed path) is kept twice: as shown (`source`, `context`) and as last analysed
//! (`analyzed`, `settled`). The analysis is derived from the settled copies only, so it
//! runs once per pause in typing, never per keystroke. Clicks (a preset, an example, the
//! target) take effect at once.
//!
//! Text the playground writes into the editor itself (an applied fix, the optimized file,
//! an example) is recorded on an undo stack first, so every such change can be taken back
//! with the Undo button (the editor also writes it through the textarea's own editing, so
//! the browser's Ctrl+Z takes it back as well; see `edit.rs`).

use std::rc::Rc;

use layerlens_core::layers::PresetKind;
use yew::Reducible;

/// A range of the editor text to scroll to, in UTF-16 code units.
///
/// `seq` changes on every request, so clicking the same item twice reveals it twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reveal {
    pub start: u32,
    pub end: u32,
    /// 1-based line of `start`, used to scroll the textarea.
    pub line: usize,
    /// Select the range and focus the editor (a diagnostic, an instruction); otherwise
    /// only scroll to it (a layer, whose line is highlighted instead).
    pub select: bool,
    pub seq: u32,
}

/// 1-based first and last line of something the editor highlights.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lines {
    pub first: usize,
    pub last: usize,
}

/// The panels of the right-hand column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Problems,
    Layers,
    Stages,
    Optimize,
}

/// How the before/after comparison is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DiffMode {
    /// One column, removed lines above the lines that replace them.
    #[default]
    Unified,
    /// The original and the optimized file side by side (the panel widens).
    Split,
}

/// Text the editor held before the playground replaced it, and what replaced it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Undo {
    pub text: Rc<str>,
    /// What was applied, for the Undo button's label (`Add --no-cache-dir`).
    pub label: String,
}

/// Text to put into the editor (a fix, the optimized file), with what it is for Undo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub text: String,
    pub label: String,
}

/// Longest undo history kept.
const MAX_UNDO: usize = 50;

/// What the cache simulation assumes changed since the last build.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Scenario {
    /// No simulation.
    #[default]
    Nothing,
    /// One of the core's presets, resolved for the current file.
    Preset(PresetKind),
    /// The paths typed in the "changed path" field.
    Paths,
}

/// The optional inputs next to the Dockerfile, as typed.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ContextInputs {
    /// Text of the `.dockerignore` (empty: none).
    pub dockerignore: String,
    /// Build-context size as typed (`120MB`); empty: unknown.
    pub context_size: String,
    /// Changed paths or globs, separated by commas or spaces.
    pub paths: String,
}

/// Which of the context inputs was edited.
pub enum ContextField {
    Dockerignore,
    ContextSize,
    Paths,
}

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// What the editor shows, updated on every keystroke.
    pub source: Rc<str>,
    /// What was last analysed; catches up with `source` after the debounce.
    pub analyzed: Rc<str>,
    /// The context inputs as shown, and as last analysed.
    pub context: Rc<ContextInputs>,
    pub settled: Rc<ContextInputs>,
    pub scenario: Scenario,
    /// `--target`: the stage to build (`None`: the last one).
    pub target: Option<String>,
    pub reveal: Option<Reveal>,
    pub tab: Tab,
    /// Lines under the pointer (a hovered layer), highlighted in the editor.
    pub hover: Option<Lines>,
    /// Lines of the layer last clicked, highlighted until the text changes.
    pub pinned: Option<Lines>,
    /// Let the optimizer make unsafe changes too (the before/after view's switch).
    pub allow_unsafe: bool,
    pub diff_mode: DiffMode,
    /// Texts to go back to, newest last.
    pub undo: Vec<Undo>,
}

pub enum Action {
    /// The user typed: new editor text.
    Edit(String),
    /// A context input was typed into.
    EditContext(ContextField, String),
    /// The debounce ran out: analyse what is shown now.
    Settle,
    /// Replace the text at once (an example was picked); analysed without waiting.
    Load(String),
    /// Scroll to (and maybe select) a range in the editor.
    Reveal {
        start: u32,
        end: u32,
        line: usize,
        select: bool,
    },
    SetTab(Tab),
    SetScenario(Scenario),
    SetTarget(Option<String>),
    Hover(Option<Lines>),
    Pin(Option<Lines>),
    /// The playground replaced the editor text (a fix, the optimized file): `previous` is
    /// what the editor held before, recorded for Undo; the new text is analysed at once.
    /// The editor may already show `text` (written through the textarea), or not yet.
    Apply {
        previous: Rc<str>,
        text: String,
        label: String,
    },
    /// Go back to the text before the last Apply (or Load).
    Undo,
    SetUnsafe(bool),
    SetDiffMode(DiffMode),
    /// Use this text as the `.dockerignore` (the proposed one), analysed at once.
    UseDockerignore(String),
}

impl State {
    pub fn new(source: &str) -> Self {
        let source: Rc<str> = Rc::from(source);
        let context = Rc::new(ContextInputs::default());
        Self {
            analyzed: Rc::clone(&source),
            source,
            settled: Rc::clone(&context),
            context,
            scenario: Scenario::Nothing,
            target: None,
            reveal: None,
            tab: Tab::default(),
            hover: None,
            pinned: None,
            allow_unsafe: false,
            diff_mode: DiffMode::default(),
            undo: Vec::new(),
        }
    }

    /// Records `previous` for Undo, unless it is what the editor will show anyway.
    fn remember(&mut self, previous: Rc<str>, now: &str, label: String) {
        if *previous == *now {
            return;
        }
        if self.undo.len() >= MAX_UNDO {
            self.undo.remove(0);
        }
        self.undo.push(Undo {
            text: previous,
            label,
        });
    }

    /// Shows `text` and analyses it without waiting for the debounce.
    fn show_now(&mut self, text: Rc<str>) {
        self.analyzed = Rc::clone(&text);
        self.source = text;
        self.settled = Rc::clone(&self.context);
        self.hover = None;
        self.pinned = None;
    }

    /// True while something typed has not been analysed yet.
    pub fn pending(&self) -> bool {
        !Rc::ptr_eq(&self.source, &self.analyzed) || !Rc::ptr_eq(&self.context, &self.settled)
    }

    /// The lines the editor highlights: the hovered layer, else the pinned one.
    pub fn band(&self) -> Option<Lines> {
        self.hover.or(self.pinned)
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Edit(text) => {
                if *self.source == *text {
                    return self;
                }
                // The browser's own undo took back what the playground applied: the
                // entry is spent.
                if next.undo.last().is_some_and(|u| *u.text == *text) {
                    next.undo.pop();
                }
                next.source = Rc::from(text);
                next.pinned = None;
            }
            Action::EditContext(field, text) => {
                let mut context = (*self.context).clone();
                let slot = match field {
                    ContextField::Dockerignore => &mut context.dockerignore,
                    ContextField::ContextSize => &mut context.context_size,
                    ContextField::Paths => &mut context.paths,
                };
                if *slot == text {
                    return self;
                }
                *slot = text;
                if matches!(field, ContextField::Paths) {
                    next.scenario = Scenario::Paths;
                }
                next.context = Rc::new(context);
            }
            Action::Settle => {
                if !self.pending() {
                    return self;
                }
                next.analyzed = Rc::clone(&self.source);
                next.settled = Rc::clone(&self.context);
            }
            Action::Load(text) => {
                next.remember(
                    Rc::clone(&self.source),
                    &text,
                    "load the example".to_owned(),
                );
                next.show_now(Rc::from(text));
                next.target = None;
                next.reveal = None;
            }
            Action::Apply {
                previous,
                text,
                label,
            } => {
                // Typed through the textarea, the text may already be shown (and the
                // Edit it caused must not count as an undo).
                next.remember(previous, &text, label);
                let text = if *self.source == *text {
                    Rc::clone(&self.source)
                } else {
                    Rc::from(text)
                };
                next.show_now(text);
            }
            Action::Undo => {
                let Some(entry) = next.undo.pop() else {
                    return self;
                };
                let text = if *self.source == *entry.text {
                    Rc::clone(&self.source)
                } else {
                    entry.text
                };
                next.show_now(text);
            }
            Action::SetUnsafe(on) => {
                if self.allow_unsafe == on {
                    return self;
                }
                next.allow_unsafe = on;
            }
            Action::SetDiffMode(mode) => {
                if self.diff_mode == mode {
                    return self;
                }
                next.diff_mode = mode;
            }
            Action::UseDockerignore(text) => {
                let mut context = (*self.context).clone();
                context.dockerignore = text;
                let context = Rc::new(context);
                next.settled = Rc::clone(&context);
                next.context = context;
                next.analyzed = Rc::clone(&self.source);
            }
            Action::Reveal {
                start,
                end,
                line,
                select,
            } => {
                let seq = self.reveal.map_or(0, |r| r.seq.wrapping_add(1));
                next.reveal = Some(Reveal {
                    start,
                    end,
                    line,
                    select,
                    seq,
                });
            }
            Action::SetTab(tab) => {
                if self.tab == tab {
                    return self;
                }
                next.tab = tab;
                next.hover = None;
            }
            Action::SetScenario(scenario) => {
                if self.scenario == scenario {
                    return self;
                }
                next.scenario = scenario;
            }
            Action::SetTarget(target) => {
                if self.target == target {
                    return self;
                }
                next.target = target;
            }
            Action::Hover(lines) => {
                if self.hover == lines {
                    return self;
                }
                next.hover = lines;
            }
            Action::Pin(lines) => {
                if self.pinned == lines {
                    return self;
                }
                next.pinned = lines;
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_then_settle_catches_up() {
        let s = Rc::new(State::new("FROM a\n"));
        assert!(!s.pending());
        let s = s.reduce(Action::Edit("FROM b\n".into()));
        assert!(s.pending());
        assert_eq!(&*s.analyzed, "FROM a\n");
        let s = s.reduce(Action::Settle);
        assert!(!s.pending());
        assert_eq!(&*s.analyzed, "FROM b\n");
    }

    #[test]
    fn same_text_is_not_an_edit() {
        let s = Rc::new(State::new("FROM a\n"));
        let t = Rc::clone(&s).reduce(Action::Edit("FROM a\n".into()));
        assert!(Rc::ptr_eq(&s, &t));
        let u = Rc::clone(&s).reduce(Action::EditContext(ContextField::Paths, String::new()));
        assert!(Rc::ptr_eq(&s, &u));
    }

    #[test]
    fn context_inputs_wait_for_the_debounce() {
        let s = Rc::new(State::new("FROM a\n"));
        let s = s.reduce(Action::EditContext(ContextField::Paths, "src/a.py".into()));
        assert!(s.pending());
        assert_eq!(s.scenario, Scenario::Paths);
        assert_eq!(s.settled.paths, "");
        let s = s.reduce(Action::Settle);
        assert!(!s.pending());
        assert_eq!(s.settled.paths, "src/a.py");
        // A size typed does not change the scenario.
        let s = s.reduce(Action::SetScenario(Scenario::Nothing));
        let s = s.reduce(Action::EditContext(ContextField::ContextSize, "1MB".into()));
        assert_eq!(s.scenario, Scenario::Nothing);
    }

    #[test]
    fn loading_an_example_is_analysed_at_once() {
        let s = Rc::new(State::new("FROM a\n"));
        let s = s.reduce(Action::Edit("FROM b\n".into()));
        let s = s.reduce(Action::Load("FROM c\n".into()));
        assert!(!s.pending());
        assert_eq!(&*s.analyzed, "FROM c\n");
    }

    #[test]
    fn apply_is_analysed_at_once_and_undoable() {
        let s = Rc::new(State::new("FROM a\n"));
        let before = Rc::clone(&s.source);
        let s = s.reduce(Action::Apply {
            previous: Rc::clone(&before),
            text: "FROM b\n".into(),
            label: "fix".into(),
        });
        assert!(!s.pending());
        assert_eq!(&*s.analyzed, "FROM b\n");
        assert_eq!(s.undo.len(), 1);
        assert_eq!(s.undo[0].label, "fix");
        let s = s.reduce(Action::Undo);
        assert_eq!(&*s.source, "FROM a\n");
        assert!(!s.pending());
        assert!(s.undo.is_empty());
        // Nothing left: Undo does nothing.
        let t = Rc::clone(&s).reduce(Action::Undo);
        assert!(Rc::ptr_eq(&s, &t));
    }

    #[test]
    fn apply_after_the_textarea_already_shows_the_text() {
        // The textarea's own editing fired an Edit first; the Apply records what was
        // there before it.
        let s = Rc::new(State::new("FROM a\n"));
        let previous = Rc::clone(&s.source);
        let s = s.reduce(Action::Edit("FROM b\n".into()));
        let s = s.reduce(Action::Apply {
            previous,
            text: "FROM b\n".into(),
            label: "fix".into(),
        });
        assert!(!s.pending());
        assert_eq!(&*s.undo[0].text, "FROM a\n");
        // The browser's Ctrl+Z brings the old text back as an Edit: the entry is spent.
        let s = s.reduce(Action::Edit("FROM a\n".into()));
        assert!(s.undo.is_empty());
        // Applying what is already there records nothing.
        let same = Rc::clone(&s.source);
        let s = s.reduce(Action::Apply {
            previous: same,
            text: "FROM a\n".into(),
            label: "noop".into(),
        });
        assert!(s.undo.is_empty());
    }

    #[test]
    fn loading_an_example_can_be_undone() {
        let s = Rc::new(State::new("FROM mine\n"));
        let s = s.reduce(Action::Load("FROM example\n".into()));
        let s = s.reduce(Action::Undo);
        assert_eq!(&*s.source, "FROM mine\n");
    }

    #[test]
    fn a_proposed_dockerignore_is_used_at_once() {
        let s = Rc::new(State::new("FROM a\n"));
        let s = s.reduce(Action::UseDockerignore(".git\n".into()));
        assert!(!s.pending());
        assert_eq!(s.settled.dockerignore, ".git\n");
        assert_eq!(s.context.dockerignore, ".git\n");
    }

    #[test]
    fn every_reveal_is_new() {
        let s = Rc::new(State::new("FROM a\n"));
        let reveal = || Action::Reveal {
            start: 0,
            end: 4,
            line: 1,
            select: true,
        };
        let a = s.reduce(reveal());
        let b = Rc::clone(&a).reduce(reveal());
        assert_ne!(a.reveal, b.reveal);
    }

    #[test]
    fn hover_wins_over_pinned_and_edits_unpin() {
        let s = Rc::new(State::new("FROM a\n"));
        let one = Lines { first: 1, last: 1 };
        let two = Lines { first: 2, last: 3 };
        let s = s.reduce(Action::Pin(Some(one)));
        assert_eq!(s.band(), Some(one));
        let s = s.reduce(Action::Hover(Some(two)));
        assert_eq!(s.band(), Some(two));
        let s = s.reduce(Action::Hover(None));
        assert_eq!(s.band(), Some(one));
        let s = s.reduce(Action::Edit("FROM b\n".into()));
        assert_eq!(s.band(), None);
    }
}
