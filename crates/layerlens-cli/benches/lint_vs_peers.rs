//! Lints the whole corpus in one process and compares wall time, whole process, with the
//! peers on the same files: hadolint (one call with all files), dockerfile-doctor (PyPI) and
//! dockerfile-utils (npm, `validate()` over every file in one Node process).
//!
//! Run: `cargo bench -p layerlens-cli --bench lint_vs_peers`. Peers that are not installed
//! (see `.ci/setup`) are reported as skipped. Each tool runs several times; the fastest run
//! counts (the one least disturbed by other work on the machine).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn corpus() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for group in std::fs::read_dir(repo().join("tests/corpus"))
        .expect("corpus")
        .flatten()
    {
        if group.path().is_dir() {
            files.extend(
                std::fs::read_dir(group.path())
                    .into_iter()
                    .flatten()
                    .flatten()
                    .map(|e| e.path()),
            );
        }
    }
    files.sort();
    files
}

/// Fastest of `runs` runs of the command, or `None` if it cannot run.
fn time(runs: usize, mut make: impl FnMut() -> Command) -> Option<Duration> {
    let mut best = None::<Duration>;
    for _ in 0..runs {
        let start = Instant::now();
        let output = make().output().ok()?;
        let elapsed = start.elapsed();
        // Linters exit non-zero when they find problems; only a crash or no output is a failure.
        if output.status.code().is_none() || output.stdout.is_empty() {
            eprintln!(
                "  failed: {}",
                String::from_utf8_lossy(&output.stderr)
                    .lines()
                    .next()
                    .unwrap_or("")
            );
            return None;
        }
        best = Some(best.map_or(elapsed, |b| b.min(elapsed)));
    }
    best
}

fn main() {
    let files = corpus();
    let venv = std::env::var_os("LAYERLENS_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".venv"));
    let peers_dir = repo().join("tests/peers");
    println!("corpus: {} files", files.len());

    let ours = time(10, || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_layerlens"));
        c.args(["lint", "-f", "json", "--no-fail"]).args(&files);
        c
    })
    .expect("layerlens runs");
    println!("{:<34} {:>10.1} ms", "layerlens lint (all rules)", ms(ours));

    let hadolint = venv.join("bin/hadolint");
    let doctor = venv.join("bin/dockerfile-doctor");
    let peers: Vec<(&str, Option<Duration>, f64)> = vec![
        (
            "hadolint 2.15.1 (one call)",
            hadolint
                .exists()
                .then(|| {
                    time(3, || {
                        let mut c = Command::new(&hadolint);
                        c.args(["--no-fail", "-f", "json"]).args(&files);
                        c
                    })
                })
                .flatten(),
            100.0,
        ),
        (
            "dockerfile-doctor 0.1.5",
            doctor
                .exists()
                .then(|| {
                    time(3, || {
                        let mut c = Command::new(&doctor);
                        c.args(["--format", "json", "-q"]).args(&files);
                        c
                    })
                })
                .flatten(),
            10.0,
        ),
        (
            "dockerfile-utils 0.16.3 (node)",
            peers_dir
                .join("node_modules/dockerfile-utils")
                .exists()
                .then(|| {
                    time(3, || {
                        let mut c = Command::new("node");
                        c.arg(peers_dir.join("validate_all.mjs")).args(&files);
                        c
                    })
                })
                .flatten(),
            10.0,
        ),
    ];
    for (name, duration, target) in peers {
        match duration {
            Some(d) => {
                let ratio = d.as_secs_f64() / ours.as_secs_f64();
                let verdict = if ratio >= target { "meets" } else { "MISSES" };
                println!("{name:<34} {:>10.1} ms   layerlens is {ratio:>6.1}x faster ({verdict} the {target}x target)", ms(d));
            }
            None => println!(
                "{name:<34} {:>13}   (not installed: run .ci/setup)",
                "skipped"
            ),
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
