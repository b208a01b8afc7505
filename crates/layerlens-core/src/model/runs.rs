//! Shell analysis of every RUN (and ONBUILD RUN): its command text, the heredoc bodies
//! that are scripts, and exec form, each with a map back to source spans.

use std::collections::HashMap;

use crate::instructions::{CommandLine, Typed};
use crate::shell::{self, parse_script, Script};
use crate::syntax::Heredoc;
use crate::text::Span;

use super::Model;

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
    /// (part, command) indexes by the command's basename: a hundred rules ask for commands
    /// by name on every keystroke, so this is built once.
    by_name: HashMap<String, Vec<(u32, u32)>>,
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
        let base = crate::shell::command::basename(name);
        self.by_name
            .get(base)
            .into_iter()
            .flatten()
            .filter_map(move |&(p, c)| {
                let part = self.parts.get(p as usize)?;
                Some((part.script.commands.get(c as usize)?, part))
            })
    }

    /// Whether any command is named `name`.
    pub fn has_command(&self, name: &str) -> bool {
        self.by_name
            .contains_key(crate::shell::command::basename(name))
    }

    fn index_names(&mut self) {
        self.by_name.clear();
        for (p, part) in self.parts.iter().enumerate() {
            for (c, command) in part.script.commands.iter().enumerate() {
                if let Some(base) = command.basename() {
                    self.by_name
                        .entry(base.to_string())
                        .or_default()
                        .push((p as u32, c as u32));
                }
            }
        }
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

/// Builds the shell analysis of instruction `i` if it is a RUN (directly or under ONBUILD).
pub(super) fn analyse_run(model: &Model, i: usize) -> Option<RunAnalysis> {
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
    analysis.index_names();
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
