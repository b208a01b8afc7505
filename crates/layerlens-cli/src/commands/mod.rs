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

/// Prints `value` as pretty JSON with the `file` it describes and the `schema_version` of
/// its contract added at the top level (the JSON outputs of `layers` and `optimize`).
pub fn print_json_report(
    value: &impl serde::Serialize,
    file: &Path,
    schema_version: u32,
) -> Result<(), ExitCode> {
    let mut value = serde_json::to_value(value).map_err(|e| {
        eprintln!("layerlens: {e}");
        ExitCode::from(1)
    })?;
    if let Some(map) = value.as_object_mut() {
        map.insert("file".into(), file.display().to_string().into());
        map.insert("schema_version".into(), schema_version.into());
    }
    println!(
        "{}",
        serde_json::to_string_pretty(&value).unwrap_or_default()
    );
    Ok(())
}

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
