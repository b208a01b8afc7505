//! `layerlens explain CODE`: a rule's documentation.

use std::process::ExitCode;

use layerlens_core::analysis::SYNTAX_ERROR_CODE;
use layerlens_core::rules::{find, registry};

#[derive(clap::Args)]
pub struct Args {
    /// Rule code or name (`DL3008`, `JSONArgsRecommended`, `LL1001`).
    code: String,
}

pub fn run(args: &Args) -> ExitCode {
    if args.code.eq_ignore_ascii_case(SYNTAX_ERROR_CODE) {
        println!("{SYNTAX_ERROR_CODE} (syntax error)");
        println!("severity: error");
        println!();
        println!(
            "BuildKit cannot parse the file, so `docker build` stops before running a single step."
        );
        println!(
            "Layerlens keeps reading after the error, so the rest of the file is still checked."
        );
        println!();
        println!(
            "Common causes\n  {}",
            layerlens_core::analysis::syntax_error_hint("unknown instruction")
        );
        println!(
            "  {}",
            layerlens_core::analysis::syntax_error_hint("no build stage")
        );
        println!("  {}", layerlens_core::analysis::syntax_error_hint("json"));
        return ExitCode::SUCCESS;
    }
    let Some(rule) = find(&args.code) else {
        let close: Vec<&str> = registry()
            .map(|r| r.code)
            .filter(|c| {
                c.to_ascii_lowercase()
                    .contains(&args.code.to_ascii_lowercase())
            })
            .take(5)
            .collect();
        eprintln!("layerlens: no rule `{}`", args.code);
        if !close.is_empty() {
            eprintln!("did you mean: {}", close.join(", "));
        }
        return ExitCode::from(2);
    };
    let categories: Vec<&str> = rule.categories.iter().map(|c| c.as_str()).collect();
    println!("{} ({})", rule.code, rule.name);
    println!(
        "severity: {}   categories: {}   guide: {}",
        rule.severity.as_str(),
        categories.join(", "),
        rule.docs.guide
    );
    println!();
    println!("{}", rule.summary);
    println!();
    println!("What it checks\n  {}", rule.docs.what);
    println!();
    println!("Why it matters\n  {}", rule.docs.why);
    println!();
    println!("Bad:\n{}", indent(rule.docs.bad));
    println!("Good:\n{}", indent(rule.docs.good));
    ExitCode::SUCCESS
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}\n")).collect()
}
