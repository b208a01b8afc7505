//! Variable bindings and lookups for expansion.

use crate::syntax::lex::Env;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BindingKind {
    Arg,
    Env,
}

/// One ARG or ENV assignment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    pub name: String,
    /// `None` for an ARG declared without a value.
    pub value: Option<String>,
    pub kind: BindingKind,
    /// The instruction that made it.
    pub instruction: usize,
}

/// The variables visible at one point: the latest binding of each name wins.
#[derive(Clone, Copy, Debug)]
pub struct Scope<'a> {
    bindings: &'a [Binding],
}

impl<'a> Scope<'a> {
    pub fn new(bindings: &'a [Binding]) -> Self {
        Scope { bindings }
    }

    pub fn empty() -> Self {
        Scope { bindings: &[] }
    }

    /// The latest binding of `name`.
    pub fn binding(&self, name: &str) -> Option<&'a Binding> {
        self.bindings.iter().rev().find(|b| b.name == name)
    }

    /// Every visible name with its latest binding, in first-declared order.
    pub fn visible(&self) -> Vec<&'a Binding> {
        let mut seen: Vec<&'a Binding> = Vec::new();
        for b in self.bindings {
            match seen.iter_mut().find(|s| s.name == b.name) {
                Some(slot) => *slot = b,
                None => seen.push(b),
            }
        }
        seen
    }
}

impl Env for Scope<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        // An ARG declared without a value is unset for expansion.
        self.binding(name)?.value.as_deref()
    }
}

/// The global scope: meta ARGs plus BuildKit's builtin platform ARGs.
pub struct GlobalEnv<'a>(pub &'a [Binding]);

impl Env for GlobalEnv<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        match self.0.iter().rev().find(|b| b.name == name) {
            Some(b) => b.value.as_deref(),
            None => super::BUILTIN_ARGS
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| *v),
        }
    }
}
