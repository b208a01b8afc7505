//! What rules see: the planned build (with the shell analysis of every RUN), the
//! configuration and (when given) the `.dockerignore`.

use std::cell::OnceCell;

use crate::dockerignore::Dockerignore;
use crate::instructions::{Mount, Typed};
use crate::model::{Model, RunAnalysis};
use crate::syntax::Instruction;
use crate::text::Span;

use super::guide::g5_util::{all_kept_packages, KeptPackage};
use super::Config;

/// Everything a rule can look at.
pub struct Context<'a> {
    pub model: &'a Model,
    pub config: &'a Config,
    pub dockerignore: Option<&'a Dockerignore>,
    /// Per stage: whether building the target builds it.
    pub reachable: Vec<bool>,
    /// The target stage (the last one unless configured).
    pub target: Option<usize>,
    /// OS packages the final image keeps: several guide rules ask, so it is worked out once.
    kept_packages: OnceCell<Vec<KeptPackage<'a>>>,
}

impl<'a> Context<'a> {
    pub fn new(
        model: &'a Model,
        config: &'a Config,
        dockerignore: Option<&'a Dockerignore>,
    ) -> Self {
        let target = model.target_stage(config.target.as_deref());
        let reachable = target.map(|t| model.reachable(t)).unwrap_or_default();
        Context {
            model,
            config,
            dockerignore,
            reachable,
            target,
            kept_packages: OnceCell::new(),
        }
    }

    /// OS packages installed by the final image's RUNs and never removed again.
    pub(crate) fn kept_os_packages(&self) -> &[KeptPackage<'a>] {
        self.kept_packages.get_or_init(|| all_kept_packages(self))
    }

    /// Number of instructions.
    pub fn len(&self) -> usize {
        self.model.doc.instructions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn instruction(&self, i: usize) -> &'a Instruction {
        &self.model.doc.instructions[i]
    }

    /// The typed view of instruction `i`.
    pub fn typed(&self, i: usize) -> &'a Typed {
        &self.model.typed[i]
    }

    /// The typed view, looking through ONBUILD: `(typed, is_onbuild)`.
    pub fn typed_effective(&self, i: usize) -> (&'a Typed, bool) {
        match &self.model.typed[i] {
            Typed::Onbuild(inner) => (inner, true),
            t => (t, false),
        }
    }

    /// The shell analysis of a RUN or ONBUILD RUN.
    pub fn run(&self, i: usize) -> Option<&'a RunAnalysis> {
        self.model.run(i)
    }

    /// The `--mount`s of a RUN or ONBUILD RUN.
    pub fn mounts(&self, i: usize) -> &'a [Mount] {
        match self.typed_effective(i).0 {
            Typed::Run(run) => &run.mounts,
            _ => &[],
        }
    }

    /// The stage of instruction `i` (`None` before the first FROM).
    pub fn stage_of(&self, i: usize) -> Option<usize> {
        self.model.contexts.get(i)?.stage
    }

    /// Whether the stage of `i` is built for the target.
    pub fn is_built(&self, i: usize) -> bool {
        self.stage_of(i)
            .is_some_and(|s| self.reachable.get(s).copied().unwrap_or(false))
    }

    /// Whether `stage` is the final (target) stage.
    pub fn is_final_stage(&self, stage: usize) -> bool {
        self.target == Some(stage)
    }

    /// Span of the keyword of instruction `i` (for findings about the whole instruction).
    pub fn keyword_span(&self, i: usize) -> Span {
        self.instruction(i).command.keyword_text.span
    }

    /// Span of instruction `i` from its keyword to the end of its arguments (no heredoc
    /// bodies, no trailing newline).
    pub fn instruction_span(&self, i: usize) -> Span {
        let command = &self.instruction(i).command;
        let end = command.rest.span.end.max(command.keyword_text.span.end);
        Span::new(command.keyword_text.span.start, end)
    }
}
