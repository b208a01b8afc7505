//! The one entry point the front ends call: `analyze(source) -> Analysis`.
//!
//! Everything a front end shows is derived here, so the web app and the CLI never
//! re-derive what the core knows. Positions are byte spans plus 1-based line/column
//! (and UTF-16 columns for the browser).

use serde::Serialize;

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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
    Style,
}

/// A problem found in the file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub range: Located,
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
    pub range: Located,
}

/// Everything the front ends show.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Analysis {
    pub stages: Vec<StageSummary>,
    pub instructions: Vec<InstructionSummary>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Analyses `source`. Never panics; any text gives a result.
pub fn analyze(source: &str) -> Analysis {
    let _ = source;
    Analysis {
        stages: Vec::new(),
        instructions: Vec::new(),
        diagnostics: Vec::new(),
    }
}
