//! Parse throughput over the real-world corpus, in MB/s.
//!
//! Run: `cargo bench -p layerlens-core --bench parse_throughput`. Prints one line per
//! measured stage (syntax only, syntax + model, full analysis).

use std::path::Path;
use std::time::{Duration, Instant};

use layerlens_core::analysis::analyze;
use layerlens_core::model::Model;
use layerlens_core::syntax::parse;

fn corpus() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
    let mut texts = Vec::new();
    for group in std::fs::read_dir(root).expect("tests/corpus").flatten() {
        if !group.path().is_dir() {
            continue;
        }
        for file in std::fs::read_dir(group.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            if let Ok(text) = std::fs::read_to_string(file.path()) {
                texts.push(text);
            }
        }
    }
    texts
}

/// Runs `f` over the whole corpus repeatedly for at least `budget`; returns MB/s of the
/// fastest of several rounds (the least disturbed by other work on the machine).
fn measure(texts: &[String], budget: Duration, mut f: impl FnMut(&str)) -> f64 {
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut best = f64::MAX;
    let start = Instant::now();
    let mut rounds = 0;
    while rounds < 5 || start.elapsed() < budget {
        let round = Instant::now();
        for text in texts {
            f(text);
        }
        best = best.min(round.elapsed().as_secs_f64());
        rounds += 1;
    }
    bytes as f64 / best / 1e6
}

fn main() {
    let texts = corpus();
    let bytes: usize = texts.iter().map(String::len).sum();
    println!(
        "corpus: {} files, {:.2} MB",
        texts.len(),
        bytes as f64 / 1e6
    );
    let budget = Duration::from_secs(2);
    let syntax = measure(&texts, budget, |t| {
        std::hint::black_box(parse(t));
    });
    println!("parse (syntax tree):       {syntax:8.1} MB/s");
    let model = measure(&texts, budget, |t| {
        std::hint::black_box(Model::parse(t));
    });
    println!("parse + model:             {model:8.1} MB/s");
    let full = measure(&texts, budget, |t| {
        std::hint::black_box(analyze(t));
    });
    println!("analyze (everything):      {full:8.1} MB/s");
}
