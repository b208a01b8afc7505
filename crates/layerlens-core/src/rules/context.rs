//! What rules see: the planned build, the shell analysis of every RUN, the configuration
//! and (when given) the `.dockerignore`.

use crate::dockerignore::Dockerignore;
use crate::instructions::{CommandLine, Mount, Typed};
use crate::model::Model;
use crate::shell::{self, parse_script, Script};
use crate::syntax::{Heredoc, Instruction};
use crate::text::Span;

use super::Config;

/// Shells whose heredoc input is a script (`RUN bash <<EOF`).
const SHELLS: [&str; 7] = ["sh", "bash", "ash", "dash", "zsh", "ksh", "busybox"];

/// One analysed piece of shell text belonging to a RUN.
#[derive(Clone, Debug)]
pub struct ScriptPart {
    pub script: Script,
    /// The text that was analysed (shell ranges index into it).
    pub text: String,
    /// How ranges in `text` map back to the source.
    map: Mapping,
}

#[derive(Clone, Debug)]
enum Mapping {
    /// `text` is the instruction's joined line from this logical offset.
    Logical { instruction: usize, base: usize },
    /// `text` is a contiguous source range starting here (heredoc bodies).
    Source { base: usize },
    /// `text` was assembled from exec-form arguments: (start in `text`, end, source span).
    Pieces(Vec<(usize, usize, Span)>),
}

/// The shell analysis of one RUN (or ONBUILD RUN): its command text and any heredoc
/// bodies that are scripts.
#[derive(Clone, Debug, Default)]
pub struct RunAnalysis {
    pub parts: Vec<ScriptPart>,
    /// Exec form (`RUN ["..."]`).
    pub exec_form: bool,
}

impl RunAnalysis {
    /// Every simple command with the part it belongs to, in source order.
    pub fn commands(&self) -> impl Iterator<Item = (&shell::Command, &ScriptPart)> {
        self.parts
            .iter()
            .flat_map(|p| p.script.commands.iter().map(move |c| (c, p)))
    }

    /// Commands named `name` (also called by path).
    pub fn commands_named<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = (&'a shell::Command, &'a ScriptPart)> + 'a {
        self.commands().filter(move |(c, _)| c.is(name))
    }

    /// Whether any part has a pipe (outside `sh -c` strings).
    pub fn has_pipe(&self) -> bool {
        self.parts.iter().any(|p| p.script.has_pipe())
    }

    /// All analysed text joined (for rules that look for a literal such as
    /// `PIP_NO_CACHE_DIR=1` anywhere in the RUN).
    pub fn full_text(&self) -> String {
        self.parts
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl ScriptPart {
    /// Source span of a range of this part's text.
    pub fn span(&self, model: &Model, range: &shell::Range) -> Span {
        match &self.map {
            Mapping::Logical { instruction, base } => model.doc.instructions[*instruction]
                .line
                .to_source_span(base + range.start, base + range.end),
            Mapping::Source { base } => Span::new(base + range.start, base + range.end),
            Mapping::Pieces(pieces) => {
                let covering: Vec<Span> = pieces
                    .iter()
                    .filter(|(s, e, _)| *s < range.end.max(range.start + 1) && range.start < *e)
                    .map(|(_, _, span)| *span)
                    .collect();
                covering
                    .into_iter()
                    .reduce(Span::cover)
                    .unwrap_or_else(|| pieces.first().map(|p| p.2).unwrap_or_default())
            }
        }
    }

    /// Source span of a command.
    pub fn command_span(&self, model: &Model, command: &shell::Command) -> Span {
        self.span(model, &command.range)
    }
}

/// Everything a rule can look at.
pub struct Context<'a> {
    pub model: &'a Model,
    pub config: &'a Config,
    pub dockerignore: Option<&'a Dockerignore>,
    /// Per stage: whether building the target builds it.
    pub reachable: Vec<bool>,
    /// The target stage (the last one unless configured).
    pub target: Option<usize>,
    runs: Vec<Option<RunAnalysis>>,
}

impl<'a> Context<'a> {
    pub fn new(
        model: &'a Model,
        config: &'a Config,
        dockerignore: Option<&'a Dockerignore>,
    ) -> Self {
        let target = model.target_stage(config.target.as_deref());
        let reachable = target.map(|t| model.reachable(t)).unwrap_or_default();
        let runs = (0..model.doc.instructions.len())
            .map(|i| analyse_run(model, i))
            .collect();
        Context {
            model,
            config,
            dockerignore,
            reachable,
            target,
            runs,
        }
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
    pub fn run(&self, i: usize) -> Option<&RunAnalysis> {
        self.runs.get(i)?.as_ref()
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

/// Builds the shell analysis of instruction `i` if it is a RUN (directly or under ONBUILD).
fn analyse_run(model: &Model, i: usize) -> Option<RunAnalysis> {
    let instruction = &model.doc.instructions[i];
    let run = match &model.typed[i] {
        Typed::Run(run) => run,
        Typed::Onbuild(inner) => match &**inner {
            Typed::Run(run) => run,
            _ => return None,
        },
        _ => return None,
    };
    let mut analysis = RunAnalysis::default();
    match &run.command {
        CommandLine::Shell(text) => {
            let main = ScriptPart {
                script: parse_script(&text.value),
                text: text.value.clone(),
                map: Mapping::Logical {
                    instruction: i,
                    base: text.logical.start,
                },
            };
            let bodies = script_heredocs(&main, &text.value, &instruction.heredocs);
            analysis.parts.push(main);
            for heredoc in bodies {
                analysis.parts.push(ScriptPart {
                    script: parse_script(&heredoc.content),
                    text: heredoc.content.clone(),
                    map: Mapping::Source {
                        base: heredoc.body.start,
                    },
                });
            }
        }
        CommandLine::Exec(items) => {
            analysis.exec_form = true;
            analysis.parts.push(exec_part(items));
        }
        CommandLine::Empty => {}
    }
    Some(analysis)
}

/// The heredocs of a RUN whose bodies are shell scripts: `RUN <<EOF` alone (BuildKit runs
/// the body), or a heredoc fed to a shell (`RUN bash <<EOF`, `RUN <<EOF sh -e`).
fn script_heredocs<'h>(main: &ScriptPart, text: &str, heredocs: &'h [Heredoc]) -> Vec<&'h Heredoc> {
    let trimmed = text.trim();
    if heredocs.len() == 1
        && crate::syntax::lex::parse_heredoc_word(trimmed)
            .ok()
            .flatten()
            .is_some()
    {
        return heredocs.iter().collect();
    }
    heredocs
        .iter()
        .filter(|h| {
            main.script.commands.iter().any(|c| {
                let is_shell =
                    c.basename().is_some_and(|n| SHELLS.contains(&n)) && !c.has_flag('c');
                is_shell
                    && c.redirects.iter().any(|r| {
                        r.op.starts_with("<<")
                            && r.op != "<<<"
                            && r.target.as_ref().is_some_and(|t| t.value == h.name)
                    })
            })
        })
        .collect()
}

/// Exec form: the arguments joined by spaces (as hadolint reads them), each quoted if
/// needed, with a map back to each argument's JSON token.
fn exec_part(items: &[crate::syntax::Text]) -> ScriptPart {
    let mut text = String::new();
    let mut pieces = Vec::new();
    for item in items {
        if !text.is_empty() {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(&quote_word(&item.value));
        pieces.push((start, text.len(), item.span));
    }
    ScriptPart {
        script: parse_script(&text),
        text,
        map: Mapping::Pieces(pieces),
    }
}

/// Quotes a word for the shell unless it is plain; keeps `sh -c` strings analysable.
fn quote_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%^".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}
