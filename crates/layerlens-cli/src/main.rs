//! `layerlens`: the command-line front end of the Layerlens core.

mod commands;
mod input;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "layerlens",
    version,
    about = "Dockerfile analysis: parse, lint, layers, fixes"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the instructions exactly as BuildKit's parser sees them.
    Parse(commands::parse::Args),
    /// Print BuildKit's AST dump (the format of its parser test files).
    Dump(commands::dump::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Parse(args) => commands::parse::run(&args),
        Command::Dump(args) => commands::dump::run(&args),
    }
}
