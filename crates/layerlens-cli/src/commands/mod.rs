//! One module per subcommand.

pub mod dump;
pub mod explain;
pub mod fix;
pub mod layers;
pub mod lint;
pub mod optimize;
pub mod parse;
pub mod rules;

use std::path::Path;
use std::process::ExitCode;

use layerlens_core::syntax::{self, Document};
use layerlens_core::text::LineIndex;

use crate::input::read_dockerfile;

/// Reads and parses `path`; on any error prints `FILE:LINE:COL: message` lines to stderr.
pub fn parse_or_report(path: &Path) -> Result<Document, ExitCode> {
    let text = read_dockerfile(path).map_err(|e| {
        eprintln!("{e}");
        ExitCode::from(1)
    })?;
    let doc = syntax::parse(&text);
    if doc.errors.is_empty() {
        return Ok(doc);
    }
    let index = LineIndex::new(&doc.text);
    for error in &doc.errors {
        let at = index.line_col(&doc.text, error.span.start);
        eprintln!(
            "{}:{}:{}: {}",
            path.display(),
            at.line,
            at.column,
            error.message
        );
    }
    Err(ExitCode::from(1))
}
