//! `layerlens`: the command-line front end of the Layerlens core.

mod commands;
mod config_file;
mod input;
mod output;
mod parallel;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The analysis allocates many small strings and vectors; mimalloc does that faster than
/// the system allocator (measured by the lint benchmark).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Lint Dockerfiles (hadolint's rules, BuildKit's checks and the guide's rules).
    Lint(commands::lint::Args),
    /// List every rule.
    Rules(commands::rules::Args),
    /// Explain a rule: what it checks, why, a bad and a good example.
    Explain(commands::explain::Args),
    /// Predicted layers, sizes, waste and cache reuse of the image a Dockerfile builds.
    Layers(commands::layers::Args),
    /// Apply the rules' fixes in place (atomically), or print a diff with --diff.
    Fix(commands::fix::Args),
    /// Print the optimized Dockerfile; --explain lists each change and its estimated effect.
    Optimize(commands::optimize::Args),
}

fn main() -> ExitCode {
    restore_default_sigpipe();
    let cli = Cli::parse();
    match cli.command {
        Command::Parse(args) => commands::parse::run(&args),
        Command::Dump(args) => commands::dump::run(&args),
        Command::Lint(args) => commands::lint::run(&args),
        Command::Rules(args) => commands::rules::run(&args),
        Command::Explain(args) => commands::explain::run(&args),
        Command::Layers(args) => commands::layers::run(&args),
        Command::Fix(args) => commands::fix::run(&args),
        Command::Optimize(args) => commands::optimize::run(&args),
    }
}

/// Like other Unix tools, stop quietly when the reader of our output goes away
/// (`layerlens rules | head`) instead of failing to print. Rust ignores SIGPIPE by default.
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: setting a signal disposition to the default, before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
