//! The playground's state: one reducer, no global mutable state.
//!
//! What the user types (the Dockerfile, the `.dockerignore`, the build-context size, a
//! changed path) is kept twice: as shown (`source`, `context`) and as last analysed
//! (`analyzed`, `settled`). The analysis is derived from the settled copies only, so it
//! runs once per pause in typing, never per keystroke. Clicks (a preset, an example, the
//! target) take effect at once.

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
}

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
        }
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
                let text: Rc<str> = Rc::from(text);
                next.analyzed = Rc::clone(&text);
                next.source = text;
                next.settled = Rc::clone(&self.context);
                next.target = None;
                next.hover = None;
                next.pinned = None;
                next.reveal = None;
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
