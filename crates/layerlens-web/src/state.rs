//! The playground's state: one reducer, no global mutable state.

use std::rc::Rc;

use yew::Reducible;

/// A range of the editor text to select and scroll to, in UTF-16 code units.
///
/// `seq` changes on every request, so clicking the same item twice selects it twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reveal {
    pub start: u32,
    pub end: u32,
    /// 1-based line of `start`, used to scroll the textarea.
    pub line: usize,
    pub seq: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// What the editor shows, updated on every keystroke.
    pub source: Rc<str>,
    /// What was last analysed; catches up with `source` after the debounce.
    pub analyzed: Rc<str>,
    pub reveal: Option<Reveal>,
}

pub enum Action {
    /// The user typed: new editor text.
    Edit(String),
    /// The debounce ran out: analyse what the editor shows now.
    Settle,
    /// Select a range in the editor (from a clicked diagnostic or instruction).
    Reveal { start: u32, end: u32, line: usize },
}

impl State {
    pub fn new(source: &str) -> Self {
        let source: Rc<str> = Rc::from(source);
        Self {
            analyzed: Rc::clone(&source),
            source,
            reveal: None,
        }
    }

    /// True while the editor holds text that has not been analysed yet.
    pub fn pending(&self) -> bool {
        !Rc::ptr_eq(&self.source, &self.analyzed)
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::Edit(text) => {
                if *self.source == *text {
                    return self;
                }
                Rc::new(State {
                    source: Rc::from(text),
                    analyzed: Rc::clone(&self.analyzed),
                    reveal: self.reveal,
                })
            }
            Action::Settle => {
                if !self.pending() {
                    return self;
                }
                Rc::new(State {
                    source: Rc::clone(&self.source),
                    analyzed: Rc::clone(&self.source),
                    reveal: self.reveal,
                })
            }
            Action::Reveal { start, end, line } => {
                let seq = self.reveal.map_or(0, |r| r.seq.wrapping_add(1));
                Rc::new(State {
                    source: Rc::clone(&self.source),
                    analyzed: Rc::clone(&self.analyzed),
                    reveal: Some(Reveal {
                        start,
                        end,
                        line,
                        seq,
                    }),
                })
            }
        }
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
    }

    #[test]
    fn every_reveal_is_new() {
        let s = Rc::new(State::new("FROM a\n"));
        let a = s.reduce(Action::Reveal {
            start: 0,
            end: 4,
            line: 1,
        });
        let b = Rc::clone(&a).reduce(Action::Reveal {
            start: 0,
            end: 4,
            line: 1,
        });
        assert_ne!(a.reveal, b.reveal);
    }
}
