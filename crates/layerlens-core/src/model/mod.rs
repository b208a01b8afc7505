//! The build as BuildKit would plan it: stages, their graph, and the ARG/ENV, SHELL,
//! WORKDIR and USER in effect at every instruction.
//!
//! Built once from a [`Document`]; every analysis reads it instead of re-deriving scopes.

mod graph;
mod runs;
mod scope;

pub use graph::{Edge, EdgeKind, StageRef};
pub use runs::{RunAnalysis, ScriptPart};
pub use scope::{Binding, BindingKind, Scope};

use crate::instructions::{typed, CommandLine, ImageRef, Typed};
use crate::syntax::lex::{LexError, Lexer};
use crate::syntax::{Document, Keyword, ParseError};
use crate::text::Span;

/// BuildKit's default shell on Linux.
pub const DEFAULT_SHELL: [&str; 2] = ["/bin/sh", "-c"];

/// What a stage starts from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Base {
    /// `FROM scratch`: an empty filesystem.
    Scratch,
    /// An image from a registry.
    Image(ImageRef),
    /// An earlier stage of this file.
    Stage(usize),
    /// Could not be resolved (blank after expansion, or not a valid reference).
    Unresolved,
}

#[derive(Clone, Debug)]
pub struct Stage {
    pub index: usize,
    /// Stage name, lower-cased (`AS Build` → `build`).
    pub name: Option<String>,
    /// Index of the FROM instruction.
    pub from: usize,
    /// Indexes of the instructions after FROM that belong to this stage.
    pub instructions: Vec<usize>,
    /// The base as written.
    pub base_written: String,
    /// The base after expanding global ARGs.
    pub base_expanded: String,
    pub base: Base,
    pub platform: Option<String>,
}

impl Stage {
    /// A label for people: the name, or `#index`.
    pub fn label(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| format!("#{}", self.index))
    }
}

/// The state in effect when an instruction runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    /// The stage, or `None` for global ARGs before the first FROM.
    pub stage: Option<usize>,
    /// SHELL for shell-form commands.
    pub shell: Vec<String>,
    /// Absolute working directory.
    pub workdir: String,
    /// USER set in this file (or inherited from a parent stage); `None` means the base
    /// image's user.
    pub user: Option<String>,
    /// Number of scope bindings visible (see [`Model::scope`]).
    scope_len: usize,
}

/// The planned build.
#[derive(Clone, Debug)]
pub struct Model {
    pub doc: Document,
    /// Typed view of each instruction (parallel to `doc.instructions`).
    pub typed: Vec<Typed>,
    /// Context of each instruction (parallel to `doc.instructions`).
    pub contexts: Vec<Context>,
    pub stages: Vec<Stage>,
    /// ARGs declared before the first FROM, with expanded defaults.
    pub global_args: Vec<Binding>,
    /// Edges between stages and images.
    pub edges: Vec<Edge>,
    /// Errors of BuildKit's instruction layer and of expansion (the parser's errors stay
    /// in `doc.errors`).
    pub errors: Vec<ParseError>,
    /// Per stage, the bindings (ARG/ENV) in the order they were made.
    bindings: Vec<Vec<Binding>>,
    /// Shell analysis of each RUN / ONBUILD RUN (parallel to `doc.instructions`).
    runs: Vec<Option<RunAnalysis>>,
}

/// Builtin ARGs BuildKit provides in the global scope, with the values a typical
/// linux/amd64 builder gives them.
pub const BUILTIN_ARGS: [(&str, &str); 11] = [
    ("BUILDPLATFORM", "linux/amd64"),
    ("BUILDOS", "linux"),
    ("BUILDOSVERSION", ""),
    ("BUILDARCH", "amd64"),
    ("BUILDVARIANT", ""),
    ("TARGETPLATFORM", "linux/amd64"),
    ("TARGETOS", "linux"),
    ("TARGETOSVERSION", ""),
    ("TARGETARCH", "amd64"),
    ("TARGETVARIANT", ""),
    ("TARGETSTAGE", ""),
];

impl Model {
    /// Plans the build of `doc`.
    pub fn build(doc: Document) -> Model {
        let mut model = Model {
            typed: Vec::with_capacity(doc.instructions.len()),
            contexts: Vec::with_capacity(doc.instructions.len()),
            stages: Vec::new(),
            global_args: Vec::new(),
            edges: Vec::new(),
            errors: Vec::new(),
            bindings: Vec::new(),
            runs: Vec::new(),
            doc,
        };
        for i in 0..model.doc.instructions.len() {
            let (t, error) = typed(&model.doc.instructions[i]);
            model.errors.extend(error);
            model.typed.push(t);
        }
        model.plan();
        graph::link(&mut model);
        model.runs = (0..model.doc.instructions.len())
            .map(|i| runs::analyse_run(&model, i))
            .collect();
        model
    }

    /// Parses and plans `text`.
    pub fn parse(text: &str) -> Model {
        Model::build(crate::syntax::parse(text))
    }

    fn lexer(&self) -> Lexer {
        Lexer::new(self.doc.directives.escape)
    }

    fn error(&mut self, span: Span, message: impl Into<String>) {
        self.errors.push(ParseError {
            span,
            message: message.into(),
        });
    }

    /// Walks the instructions in order, tracking stages and scopes.
    fn plan(&mut self) {
        let lexer = self.lexer();
        let mut current: Option<usize> = None;
        let mut shell: Vec<String> = DEFAULT_SHELL.iter().map(|s| s.to_string()).collect();
        let mut workdir = "/".to_string();
        let mut user: Option<String> = None;
        for i in 0..self.typed.len() {
            let keyword = self.doc.instructions[i].keyword();
            if keyword == Keyword::From {
                current = Some(self.start_stage(i, &lexer));
                let stage = &self.stages[current.unwrap_or(0)];
                // A stage built on another stage inherits its final configuration.
                (shell, workdir, user) = match stage.base {
                    Base::Stage(parent) => self.final_config(parent),
                    _ => (
                        DEFAULT_SHELL.iter().map(|s| s.to_string()).collect(),
                        "/".to_string(),
                        None,
                    ),
                };
            }
            let scope_len = current.map_or(self.global_args.len(), |s| self.bindings[s].len());
            self.contexts.push(Context {
                stage: current,
                shell: shell.clone(),
                workdir: workdir.clone(),
                user: user.clone(),
                scope_len,
            });
            let Some(stage) = current else {
                self.global_instruction(i, &lexer);
                continue;
            };
            if keyword != Keyword::From {
                self.stages[stage].instructions.push(i);
            }
            match self.typed[i].clone() {
                Typed::Shell(items) => shell = items.iter().map(|t| t.value.clone()).collect(),
                Typed::Workdir(path) => {
                    if let Some(value) = self.expand_at(i, &path.value, path.span, &lexer) {
                        workdir = join_path(&workdir, &value);
                    }
                }
                Typed::User(u) => {
                    if let Some(value) = self.expand_at(i, &u.value, u.span, &lexer) {
                        user = Some(value);
                    }
                }
                Typed::Env(pairs) => self.env(stage, i, &pairs, &lexer),
                Typed::Arg(decls) => self.stage_args(stage, i, &decls, &lexer),
                _ => {}
            }
        }
    }

    /// An instruction before the first FROM: only ARG is allowed there.
    fn global_instruction(&mut self, i: usize, lexer: &Lexer) {
        match self.typed[i].clone() {
            Typed::Arg(decls) => {
                for decl in decls {
                    let value = match &decl.default {
                        Some(d) => {
                            let env = scope::GlobalEnv(&self.global_args);
                            match lexer.process_word(d, &env) {
                                Ok(v) => Some(v),
                                Err(e) => {
                                    self.lex_error(decl.text.span, e);
                                    None
                                }
                            }
                        }
                        None => None,
                    };
                    self.global_args.push(Binding {
                        name: decl.name.clone(),
                        value,
                        kind: BindingKind::Arg,
                        instruction: i,
                    });
                }
            }
            Typed::Invalid => {}
            _ => {
                let span = self.doc.instructions[i].command.keyword_text.span;
                self.error(span, "no build stage in current context");
            }
        }
    }

    fn start_stage(&mut self, i: usize, lexer: &Lexer) -> usize {
        let index = self.stages.len();
        let (written, name, platform, span) = match &self.typed[i] {
            Typed::From(from) => (
                from.image.value.clone(),
                from.name.clone(),
                from.platform
                    .as_ref()
                    .map(|p| (p.value.clone(), p.text.span)),
                from.image.span,
            ),
            _ => {
                let args = &self.doc.instructions[i].command.rest;
                (args.value.clone(), None, None, args.span)
            }
        };
        let env = scope::GlobalEnv(&self.global_args);
        let expanded = lexer.process_word(&written, &env);
        let platform = platform.map(|(p, span)| (lexer.process_word(&p, &env), p, span));
        let expanded = expanded.unwrap_or_else(|e| {
            self.lex_error(span, e);
            written.clone()
        });
        let platform = platform.map(|(result, p, span)| {
            result.unwrap_or_else(|e| {
                self.lex_error(span, e);
                p
            })
        });
        let base = if expanded.eq_ignore_ascii_case("scratch") {
            Base::Scratch
        } else if let Some(parent) = self.stage_by_name(&expanded, index) {
            Base::Stage(parent)
        } else if expanded.is_empty() {
            self.error(span, format!("base name ({written}) should not be blank"));
            Base::Unresolved
        } else {
            ImageRef::parse(&expanded).map_or(Base::Unresolved, Base::Image)
        };
        self.stages.push(Stage {
            index,
            name,
            from: i,
            instructions: Vec::new(),
            base_written: written,
            base_expanded: expanded,
            base,
            platform,
        });
        // ARGs are not inherited across FROM; ENV is, through a stage base.
        let inherited = match self.stages[index].base {
            Base::Stage(parent) => self.bindings[parent]
                .iter()
                .filter(|b| b.kind == BindingKind::Env)
                .cloned()
                .collect(),
            _ => Vec::new(),
        };
        self.bindings.push(inherited);
        index
    }

    /// The stage an earlier stage's name or index refers to (case-insensitive, as BuildKit).
    pub fn stage_by_name(&self, name: &str, before: usize) -> Option<usize> {
        let lower = name.to_lowercase();
        self.stages[..before.min(self.stages.len())]
            .iter()
            .rev()
            .find(|s| s.name.as_deref() == Some(lower.as_str()))
            .map(|s| s.index)
    }

    fn final_config(&self, stage: usize) -> (Vec<String>, String, Option<String>) {
        let last = self.stages[stage]
            .instructions
            .last()
            .copied()
            .unwrap_or(self.stages[stage].from);
        let mut shell = self.contexts[last].shell.clone();
        let mut workdir = self.contexts[last].workdir.clone();
        let mut user = self.contexts[last].user.clone();
        // The context is the state *before* the last instruction; apply it.
        match &self.typed[last] {
            Typed::Shell(items) => shell = items.iter().map(|t| t.value.clone()).collect(),
            Typed::Workdir(path) => {
                if let Ok(v) = self.expand(last, &path.value) {
                    workdir = join_path(&workdir, &v);
                }
            }
            Typed::User(u) => {
                if let Ok(v) = self.expand(last, &u.value) {
                    user = Some(v);
                }
            }
            _ => {}
        }
        (shell, workdir, user)
    }

    fn env(
        &mut self,
        stage: usize,
        i: usize,
        pairs: &[crate::instructions::KeyValue],
        lexer: &Lexer,
    ) {
        // Every assignment of one ENV sees the environment from before the instruction.
        let mut new = Vec::new();
        for pair in pairs {
            let key = self.expand_at(i, &pair.key.value, pair.key.span, lexer);
            let value = self.expand_at(i, &pair.value.value, pair.value.span, lexer);
            if let (Some(name), Some(value)) = (key, value) {
                new.push(Binding {
                    name,
                    value: Some(value),
                    kind: BindingKind::Env,
                    instruction: i,
                });
            }
        }
        self.bindings[stage].extend(new);
    }

    fn stage_args(
        &mut self,
        stage: usize,
        i: usize,
        decls: &[crate::instructions::ArgDecl],
        lexer: &Lexer,
    ) {
        for decl in decls {
            let value = match &decl.default {
                Some(d) => self.expand_at(i, d, decl.text.span, lexer),
                // A bare `ARG NAME` in a stage takes the global value, if any.
                None => self
                    .global_args
                    .iter()
                    .rev()
                    .find(|b| b.name == decl.name)
                    .and_then(|b| b.value.clone())
                    .or_else(|| {
                        BUILTIN_ARGS
                            .iter()
                            .find(|(n, _)| *n == decl.name)
                            .map(|(_, v)| v.to_string())
                    }),
            };
            self.bindings[stage].push(Binding {
                name: decl.name.clone(),
                value,
                kind: BindingKind::Arg,
                instruction: i,
            });
        }
    }

    /// Expands `word` as BuildKit would at instruction `i`, recording an error if it fails.
    fn expand_at(&mut self, i: usize, word: &str, span: Span, lexer: &Lexer) -> Option<String> {
        match lexer.process_word(word, &self.scope(i)) {
            Ok(v) => Some(v),
            Err(e) => {
                self.lex_error(span, e);
                None
            }
        }
    }

    fn lex_error(&mut self, span: Span, e: LexError) {
        self.error(span, e.message);
    }

    /// The shell analysis of a RUN or ONBUILD RUN.
    pub fn run(&self, i: usize) -> Option<&RunAnalysis> {
        self.runs.get(i)?.as_ref()
    }

    /// The variables visible at instruction `i` (before it runs).
    pub fn scope(&self, i: usize) -> Scope<'_> {
        let Some(context) = self.contexts.get(i) else {
            return Scope::empty();
        };
        match context.stage {
            Some(stage) => Scope::new(
                &self.bindings[stage][..context.scope_len.min(self.bindings[stage].len())],
            ),
            None => Scope::new(&self.global_args[..context.scope_len.min(self.global_args.len())]),
        }
    }

    /// Expands `word` with the variables visible at instruction `i`.
    pub fn expand(&self, i: usize, word: &str) -> Result<String, LexError> {
        self.lexer().process_word(word, &self.scope(i))
    }

    /// Expands `word` and splits it into words (BuildKit's `ProcessWords`).
    pub fn expand_words(&self, i: usize, word: &str) -> Result<Vec<String>, LexError> {
        self.lexer().process_words(word, &self.scope(i))
    }

    /// The stage a `--target` selects: by name, or the last stage when `None`.
    pub fn target_stage(&self, target: Option<&str>) -> Option<usize> {
        match target {
            None => self.stages.len().checked_sub(1),
            Some(name) => self.stage_by_name(name, self.stages.len()),
        }
    }

    /// Which stages BuildKit builds for `target` (it skips the rest).
    pub fn reachable(&self, target: usize) -> Vec<bool> {
        graph::reachable(self, target)
    }

    /// Whether the command of a RUN/CMD/ENTRYPOINT is run through the shell.
    pub fn uses_shell(line: &CommandLine) -> bool {
        matches!(line, CommandLine::Shell(_))
    }
}

/// Resolves a WORKDIR against the current one, as BuildKit does (relative paths append).
pub fn join_path(current: &str, path: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{}/{}", current.trim_end_matches('/'), path)
    };
    clean_path(&joined)
}

/// `path.Clean` for absolute paths.
fn clean_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests;
