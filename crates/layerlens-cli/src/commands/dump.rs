//! `layerlens dump`: BuildKit's AST dump.

use std::path::PathBuf;
use std::process::ExitCode;

use layerlens_core::syntax::dump::dump;

#[derive(clap::Args)]
pub struct Args {
    /// The Dockerfile to dump.
    file: PathBuf,
}

pub fn run(args: &Args) -> ExitCode {
    match super::parse_or_report(&args.file) {
        Ok(doc) => {
            print!("{}", dump(&doc));
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}
