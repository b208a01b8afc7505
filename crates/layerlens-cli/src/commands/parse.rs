//! `layerlens parse`: the instructions as the PyPI `dockerfile` package reports them.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use layerlens_core::syntax::dump::oracle_commands;

#[derive(clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// The Dockerfile to parse.
    file: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
}

pub fn run(args: &Args) -> ExitCode {
    let doc = match super::parse_or_report(&args.file) {
        Ok(doc) => doc,
        Err(code) => return code,
    };
    match args.format {
        Format::Json => match serde_json::to_string_pretty(&oracle_commands(&doc)) {
            Ok(json) => println!("{json}"),
            Err(e) => {
                eprintln!("{}: cannot serialise: {e}", args.file.display());
                return ExitCode::from(2);
            }
        },
    }
    ExitCode::SUCCESS
}
