//! `layerlens rules`: every rule with its code, severity and summary.

use std::process::ExitCode;

use layerlens_core::rules::registry;

#[derive(clap::Args)]
pub struct Args {
    /// Print as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &Args) -> ExitCode {
    if args.json {
        let list: Vec<_> = registry()
            .map(|r| {
                serde_json::json!({
                    "code": r.code,
                    "name": r.name,
                    "origin": r.origin,
                    "severity": r.severity,
                    "categories": r.categories,
                    "summary": r.summary,
                    "guide": r.docs.guide,
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&list).unwrap_or_default()
        );
        return ExitCode::SUCCESS;
    }
    for rule in registry() {
        println!(
            "{:<32} {:<8} {:<32} {}",
            rule.code,
            rule.severity.as_str(),
            rule.name,
            rule.summary
        );
    }
    ExitCode::SUCCESS
}
