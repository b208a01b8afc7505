//! How long the optimizer takes per Dockerfile of the corpus and on the guide's bad examples
//! (the playground reruns it on every keystroke). Not a pass/fail test — timings on a
//! shared machine vary — so ignored:
//!
//! `cargo test --release -p layerlens-core --test optimize_bench -- --ignored --nocapture`

mod common;

use std::time::{Duration, Instant};

use layerlens_core::optimize::{optimize, OptimizeOptions};

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

fn report(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let total: Duration = times.iter().sum();
    println!(
        "{label}: {} files, mean {:.2} ms, p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        times.len(),
        total.as_secs_f64() * 1e3 / times.len() as f64,
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.95).as_secs_f64() * 1e3,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
}

#[test]
#[ignore]
fn optimizer_timing() {
    let texts: Vec<String> = common::corpus_files()
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    assert!(!texts.is_empty());
    for (label, options) in [
        ("corpus, safe", OptimizeOptions::default()),
        ("corpus, unsafe", OptimizeOptions::with_unsafe()),
    ] {
        let times = texts
            .iter()
            .map(|t| {
                best(3, || {
                    std::hint::black_box(optimize(t, &options));
                })
            })
            .collect();
        report(label, times);
    }
    let guide = [
        "FROM python:3.13-slim\nCOPY . .\nRUN pip install -r requirements.txt\nCMD python app.py\n",
        "FROM python:3.13-slim\nRUN apt-get update\nRUN apt-get install -y build-essential\nRUN make install\nRUN apt-get remove -y build-essential\nCOPY . /app\nCMD [\"python\", \"app.py\"]\n",
        "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go mod download\nRUN CGO_ENABLED=0 go build -o /app/server .\nCMD /app/server\n",
    ];
    let times = guide
        .iter()
        .map(|t| {
            best(10, || {
                std::hint::black_box(optimize(t, &OptimizeOptions::with_unsafe()));
            })
        })
        .collect();
    report("guide's bad examples, unsafe", times);
}
