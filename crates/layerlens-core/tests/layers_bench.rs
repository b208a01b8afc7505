//! How long the layer view takes per Dockerfile of the corpus (it runs on every keystroke in
//! the browser). Not a pass/fail test — timings on a shared machine vary — so ignored:
//!
//! `cargo test --release -p layerlens-core --test layers_bench -- --ignored --nocapture`

mod common;

use std::time::{Duration, Instant};

use layerlens_core::layers::{analyze, preset_changes, LayerOptions, PresetKind};
use layerlens_core::model::Model;

/// The fastest of `rounds` runs of `f` (the least disturbed by other work).
fn best(rounds: usize, mut f: impl FnMut()) -> Duration {
    (0..rounds)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[test]
#[ignore]
fn layers_timing_over_the_corpus() {
    let texts: Vec<String> = common::corpus_files()
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    assert!(!texts.is_empty());
    let mut plain = Vec::new();
    let mut simulated = Vec::new();
    let mut parse = Vec::new();
    for text in &texts {
        let model = Model::parse(text);
        let options = LayerOptions {
            changes: preset_changes(
                &model,
                &LayerOptions::default(),
                PresetKind::ApplicationCode,
            ),
            ..Default::default()
        };
        parse.push(best(5, || {
            std::hint::black_box(Model::parse(text));
        }));
        plain.push(best(5, || {
            std::hint::black_box(analyze(&model, &LayerOptions::default()));
        }));
        simulated.push(best(5, || {
            std::hint::black_box(analyze(&model, &options));
        }));
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    println!(
        "corpus: {} files, {:.1} kB on average",
        texts.len(),
        bytes as f64 / texts.len() as f64 / 1e3
    );
    for (name, times) in [
        ("Model::parse", &mut parse),
        ("layers::analyze", &mut plain),
        ("layers::analyze + cache simulation", &mut simulated),
    ] {
        times.sort();
        let total: Duration = times.iter().sum();
        println!(
            "{name:<36} median {:>8.1} µs  p90 {:>8.1} µs  max {:>8.1} µs  mean {:>8.1} µs",
            percentile(times, 0.5).as_secs_f64() * 1e6,
            percentile(times, 0.9).as_secs_f64() * 1e6,
            times.last().unwrap().as_secs_f64() * 1e6,
            total.as_secs_f64() * 1e6 / times.len() as f64
        );
    }
}
