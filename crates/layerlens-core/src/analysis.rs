//! The one entry point the front ends call: `analyze(source) -> Analysis`.
//!
//! Everything a front end shows is derived here, so the web app and the CLI never
//! re-derive what the core knows. Positions are byte spans plus 1-based line/column
//! (and UTF-16 columns for the browser).

use serde::Serialize;

use crate::dockerignore::Dockerignore;
use crate::fix::Fix;
use crate::layers::{self, Change, LayerOptions, LayerReport, PresetKind};
use crate::model::{Base, Model};
use crate::optimize::{self, OptimizeOptions, Optimized};
use crate::rules::{lint, Config, LintOptions, Severity as RuleSeverity};
use crate::syntax::{Args, Instruction, Keyword};
use crate::text::{LineIndex, Span};

/// A position derived at the edge from a byte offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column counted in Unicode scalar values.
    pub column: usize,
    /// 0-based column counted in UTF-16 code units (what a browser textarea uses).
    pub utf16_column: usize,
}

/// A byte range with its derived start and end positions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Located {
    pub start: usize,
    pub end: usize,
    pub start_pos: Position,
    pub end_pos: Position,
    /// Start offset counted in UTF-16 code units from the beginning of the text.
    pub utf16_start: usize,
    /// End offset counted in UTF-16 code units from the beginning of the text.
    pub utf16_end: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
    Style,
}

impl Severity {
    /// A rule severity as shown; `None` for rules that are off.
    pub fn from_rule(severity: RuleSeverity) -> Option<Severity> {
        Some(match severity {
            RuleSeverity::Error => Severity::Error,
            RuleSeverity::Warning => Severity::Warning,
            RuleSeverity::Info => Severity::Info,
            RuleSeverity::Style => Severity::Style,
            RuleSeverity::Ignore => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Style => "style",
        }
    }
}

/// A problem found in the file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub range: Located,
    /// The instruction it concerns, if any.
    pub instruction: Option<usize>,
    /// A mechanical fix (byte-range edits of the analysed text), when the rule has one.
    pub fix: Option<Fix>,
}

/// One instruction as the core sees it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InstructionSummary {
    /// Keyword in upper case (`RUN`), or as written when unknown.
    pub keyword: String,
    /// Index of the stage it belongs to; `None` for ARGs before the first FROM.
    pub stage: Option<usize>,
    /// Short one-line rendering of the arguments.
    pub summary: String,
    pub range: Located,
}

/// One build stage.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StageSummary {
    pub index: usize,
    pub name: Option<String>,
    /// The base as written (`python:3.13-slim`, `scratch`, or another stage's name).
    pub base: String,
    /// Index of the stage this one builds on, when FROM names a stage.
    pub parent: Option<usize>,
    /// Whether building the default target builds this stage.
    pub built: bool,
    pub range: Located,
}

/// Everything the front ends show.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Analysis {
    pub stages: Vec<StageSummary>,
    pub instructions: Vec<InstructionSummary>,
    pub diagnostics: Vec<Diagnostic>,
    /// Layers, sizes, waste, cache simulation and the stage graph.
    pub layers: LayerReport,
    /// The optimized Dockerfile with every change explained.
    pub optimized: Optimized,
}

/// Code of diagnostics for text BuildKit cannot build (hadolint's code for parse errors).
pub const SYNTAX_ERROR_CODE: &str = "DL1000";

/// What a syntax error of BuildKit means and its usual cause, keyed on the message.
pub fn syntax_error_hint(message: &str) -> &'static str {
    let m = message.to_ascii_lowercase();
    if m.contains("unknown instruction") {
        "A line that does not start with an instruction keyword is usually the rest of a \
         RUN whose line continuation broke: the backslash must be the last character of the \
         line. A comment after it (`build-essential \\ # 150MB`) ends the instruction, and the \
         next line is read as a new one."
    } else if m.contains("no build stage") {
        "Only ARG may come before the first FROM: every other instruction needs a stage to \
         run in. Add a FROM above it, or move it below the first FROM."
    } else if m.contains("json") {
        "Exec form (`[\"cmd\", \"arg\"]`) is a JSON array of strings: every element needs \
         double quotes, and numbers or nested arrays are not allowed."
    } else if m.contains("modifier") || m.contains("blank") || m.contains("substitution") {
        "A `${...}` expansion uses a form BuildKit does not support, or expands to nothing \
         where a value is required. Dockerfiles support `${VAR}`, `${VAR:-default}`, \
         `${VAR:+alt}`, `${VAR:?message}` and the `#`, `%` and `/` pattern forms."
    } else if m.contains("heredoc") {
        "A heredoc (`<<EOF`) needs a line holding exactly its delimiter to end it; without \
         one it swallows the rest of the file."
    } else if m.contains("flag") {
        "Flags (`--name=value`) must be ones the instruction knows, given once, with a value \
         where one is required."
    } else if m.contains("argument") {
        "The instruction has the wrong number of arguments for its syntax; check the \
         instruction's reference for the forms it accepts."
    } else if m.contains("directive") || m.contains("escape") {
        "Parser directives (`# syntax=`, `# escape=`, `# check=`) must come first in the \
         file, each at most once, with valid values."
    } else {
        "The text is not valid Dockerfile syntax as BuildKit reads it."
    }
}

/// What to analyse with besides the Dockerfile.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub config: Config,
    /// The `.dockerignore` next to the Dockerfile, when there is one.
    pub dockerignore: Option<Dockerignore>,
    /// Size of the build context in bytes, when known (sizes `COPY . .`).
    pub context_size: Option<u64>,
    /// What changed since the last build, for the cache simulation.
    pub changes: Vec<Change>,
    /// A "what changed?" preset, resolved for this file and added to `changes`.
    pub preset: Option<PresetKind>,
    /// Let the optimizer make unsafe changes too (the playground's safe/unsafe switch).
    pub allow_unsafe: bool,
}

/// Analyses `source` with default options. Never panics; any text gives a result.
pub fn analyze(source: &str) -> Analysis {
    analyze_with(source, &Options::default())
}

/// Analyses `source`. Never panics; any text gives a result.
pub fn analyze_with(source: &str, options: &Options) -> Analysis {
    let model = Model::parse(source);
    let locate = Locator::new(&model.doc.text);
    let built = model
        .target_stage(None)
        .map(|t| model.reachable(t))
        .unwrap_or_default();

    let stages = model
        .stages
        .iter()
        .map(|stage| StageSummary {
            index: stage.index,
            name: stage.name.clone(),
            base: stage.base_written.clone(),
            parent: match stage.base {
                Base::Stage(parent) => Some(parent),
                _ => None,
            },
            built: built.get(stage.index).copied().unwrap_or(false),
            range: locate.span(model.doc.instructions[stage.from].span),
        })
        .collect();

    let instructions = model
        .doc
        .instructions
        .iter()
        .zip(&model.contexts)
        .map(|(instruction, context)| InstructionSummary {
            keyword: keyword_label(instruction),
            stage: context.stage,
            summary: summarize(instruction),
            range: locate.span(instruction.span),
        })
        .collect();

    let diagnostics = diagnostics_of(&model, options, &locate);
    let mut layer_options = LayerOptions {
        target: options.config.target.clone(),
        dockerignore: options.dockerignore.clone(),
        context_size: options.context_size,
        changes: options.changes.clone(),
    };
    if let Some(preset) = options.preset {
        let resolved = layers::preset_changes(&model, &layer_options, preset);
        layer_options.changes.extend(resolved);
    }
    let layers = layers::analyze(&model, &layer_options);
    let optimized = optimize::optimize(
        source,
        &OptimizeOptions {
            allow_unsafe: options.allow_unsafe,
            config: options.config.clone(),
            dockerignore: options.dockerignore.clone(),
            context_size: options.context_size,
            ..OptimizeOptions::default()
        },
    );
    Analysis {
        stages,
        instructions,
        diagnostics,
        layers,
        optimized,
    }
}

/// Only the diagnostics (syntax errors and lint findings) of `source`: what `layerlens lint`
/// needs, without the layer analysis.
pub fn diagnostics(source: &str, options: &Options) -> Vec<Diagnostic> {
    let model = Model::parse(source);
    let locate = Locator::new(&model.doc.text);
    diagnostics_of(&model, options, &locate)
}

fn diagnostics_of(model: &Model, options: &Options, locate: &Locator) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = model
        .doc
        .errors
        .iter()
        .chain(&model.errors)
        .map(|e| Diagnostic {
            code: SYNTAX_ERROR_CODE.to_string(),
            severity: Severity::Error,
            message: e.message.clone(),
            range: locate.span(e.span),
            instruction: instruction_at(model, e.span.start),
            fix: None,
        })
        .collect();
    let findings = lint(
        model,
        &options.config,
        options.dockerignore.as_ref(),
        &LintOptions::default(),
    );
    diagnostics.extend(findings.into_iter().filter_map(|f| {
        Some(Diagnostic {
            code: f.code.to_string(),
            severity: Severity::from_rule(f.severity)?,
            message: f.message,
            range: locate.span(f.span),
            instruction: f.instruction,
            fix: f.fix,
        })
    }));
    diagnostics.sort_by_key(|d| (d.range.start, d.range.end));

    diagnostics
}

/// The instruction whose source contains `offset`.
fn instruction_at(model: &Model, offset: usize) -> Option<usize> {
    let instructions = &model.doc.instructions;
    let i = instructions.partition_point(|x| x.span.end <= offset);
    (i < instructions.len() && instructions[i].span.start <= offset).then_some(i)
}

/// `RUN`, or `ONBUILD RUN`, or an unknown keyword as written.
fn keyword_label(instruction: &Instruction) -> String {
    let command = &instruction.command;
    let label = |c: &crate::syntax::Command| match c.keyword {
        Keyword::Unknown => c.keyword_text.value.clone(),
        k => k.upper(),
    };
    match &command.args {
        Args::OnBuild(inner) => format!("{} {}", label(command), label(inner)),
        _ => label(command),
    }
}

/// The arguments on one line, shortened for a list.
fn summarize(instruction: &Instruction) -> String {
    const MAX: usize = 80;
    let command = instruction.effective_command();
    let mut text: String = command
        .rest
        .value
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if text.chars().count() > MAX {
        text = text.chars().take(MAX - 1).collect::<String>() + "…";
    }
    text
}

/// Turns byte spans into [`Located`] ranges.
struct Locator<'a> {
    text: &'a str,
    index: LineIndex,
    /// UTF-16 offset of the start of each line, so conversions never rescan the text.
    utf16_line_starts: Vec<usize>,
}

impl<'a> Locator<'a> {
    fn new(text: &'a str) -> Self {
        let index = LineIndex::new(text);
        let utf16_line_starts = if text.is_ascii() {
            // One UTF-16 unit per byte (nearly every Dockerfile).
            index.line_starts().to_vec()
        } else {
            let mut starts = Vec::with_capacity(index.line_count());
            let mut units = 0;
            starts.push(0);
            for line in text.split_inclusive('\n') {
                units += line.encode_utf16().count();
                starts.push(units);
            }
            starts
        };
        Locator {
            text,
            index,
            utf16_line_starts,
        }
    }

    fn position(&self, offset: usize) -> (Position, usize) {
        let lc = self.index.line_col(self.text, offset);
        let line_start = self
            .utf16_line_starts
            .get(lc.line - 1)
            .copied()
            .unwrap_or(0);
        let position = Position {
            line: lc.line,
            column: lc.column,
            utf16_column: lc.utf16_column,
        };
        (position, line_start + lc.utf16_column)
    }

    fn span(&self, span: Span) -> Located {
        let (start_pos, utf16_start) = self.position(span.start);
        let (end_pos, utf16_end) = self.position(span.end);
        Located {
            start: span.start,
            end: span.end,
            start_pos,
            end_pos,
            utf16_start,
            utf16_end,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BAD_PYTHON: &str = "FROM python:3.13-slim\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n";

    #[test]
    fn lists_stages_and_instructions() {
        let a = analyze(BAD_PYTHON);
        assert_eq!(a.stages.len(), 1);
        assert_eq!(a.stages[0].base, "python:3.13-slim");
        assert!(a.stages[0].built);
        let keywords: Vec<&str> = a.instructions.iter().map(|i| i.keyword.as_str()).collect();
        assert_eq!(keywords, ["FROM", "COPY", "RUN", "CMD"]);
        assert_eq!(a.instructions[2].range.start_pos.line, 3);
        assert_eq!(a.instructions[2].summary, "pip install -r requirements.txt");
        let codes: Vec<&str> = a.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert!(!codes.contains(&SYNTAX_ERROR_CODE), "{codes:?}");
    }

    #[test]
    fn errors_from_every_layer_have_positions() {
        let a = analyze("RUN x\nFROM a\nCMD [\"a\", 1]\nBOGUS y\nENV A=${B:=c}\n");
        let found: Vec<(usize, &str)> = a
            .diagnostics
            .iter()
            .filter(|d| d.code == SYNTAX_ERROR_CODE)
            .map(|d| (d.range.start_pos.line, d.message.as_str()))
            .collect();
        assert_eq!(found.len(), 4, "{found:?}");
        assert_eq!(found[0], (1, "no build stage in current context"));
        assert_eq!(found[1].0, 3);
        assert!(found[2].1.starts_with("unknown instruction: BOGUS"));
        assert!(found[3].1.contains("unsupported modifier"));
    }

    #[test]
    fn utf16_offsets_for_the_browser() {
        let a = analyze("FROM a\nLABEL x=\"😀\"\nBOGUS\n");
        let d = a
            .diagnostics
            .iter()
            .find(|d| d.code == SYNTAX_ERROR_CODE)
            .unwrap();
        assert_eq!(d.range.start_pos.line, 3);
        // The emoji counts as two UTF-16 units.
        assert_eq!(
            d.range.utf16_start,
            "FROM a\nLABEL x=\"😀\"\n".encode_utf16().count()
        );
    }
}
