//! Where linting time goes: parse, model, and each rule over the whole corpus.
//!
//! Run: `cargo bench -p layerlens-core --bench lint_rules`. Prints the phases and the ten
//! slowest rules (fastest of several rounds each).

use std::path::Path;
use std::time::{Duration, Instant};

use layerlens_core::model::Model;
use layerlens_core::rules::{registry, Config, Context, Report};
use layerlens_core::syntax::parse;

fn corpus() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
    let mut texts = Vec::new();
    for group in std::fs::read_dir(root).expect("tests/corpus").flatten() {
        if group.path().is_dir() {
            for file in std::fs::read_dir(group.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                texts.extend(std::fs::read_to_string(file.path()));
            }
        }
    }
    texts
}

fn best_of(rounds: usize, mut f: impl FnMut()) -> Duration {
    (0..rounds)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let texts = corpus();
    let parse_time = best_of(5, || {
        for t in &texts {
            std::hint::black_box(parse(t));
        }
    });
    let model_time = best_of(5, || {
        for t in &texts {
            std::hint::black_box(Model::parse(t));
        }
    });
    let models: Vec<Model> = texts.iter().map(|t| Model::parse(t)).collect();
    let config = Config::default();
    let context_time = best_of(5, || {
        for m in &models {
            std::hint::black_box(Context::new(m, &config, None));
        }
    });
    let contexts: Vec<Context> = models
        .iter()
        .map(|m| Context::new(m, &config, None))
        .collect();
    let mut per_rule: Vec<(Duration, &str)> = registry()
        .map(|rule| {
            let d = best_of(3, || {
                let mut findings = Vec::new();
                for c in &contexts {
                    let mut report = Report::new(rule, &mut findings);
                    (rule.check)(c, &mut report);
                }
                std::hint::black_box(findings);
            });
            (d, rule.code)
        })
        .collect();
    let rules_total: Duration = per_rule.iter().map(|(d, _)| *d).sum();
    println!("corpus: {} files", texts.len());
    println!("parse:           {:8.1} ms", ms(parse_time));
    println!("model (+shell):  {:8.1} ms", ms(model_time));
    println!("rule context:    {:8.1} ms", ms(context_time));
    println!("all rules:       {:8.1} ms", ms(rules_total));
    per_rule.sort_by_key(|(d, _)| std::cmp::Reverse(*d));
    for (d, code) in per_rule.iter().take(10) {
        println!("  {code:<32} {:6.2} ms", ms(*d));
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
