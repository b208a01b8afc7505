//! The optimizer's output parses with BuildKit's own parser (PyPI `dockerfile`, see
//! `oracle_parity.rs`): every file of the corpus and the guide's examples, optimized with
//! every move and unsafe changes allowed, with only the safe ones, and with only the safe ones
//! and BuildKit assumed (so the cache mounts are written into files that do not opt in).

mod common;

use std::process::Command;

use layerlens_core::optimize::{optimize, OptimizeOptions};

/// The guide's examples used by the other optimizer tests (bad ones, as Dockerfiles).
const GUIDE: [&str; 11] = [
    "FROM python:3.13-slim\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n",
    "FROM python:3.13-slim\nRUN apt-get update\nRUN apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n",
    "FROM python:3.13-slim\nRUN pip install -r requirements.txt\n",
    "FROM python:3.13-slim\nCOPY . /app\nCMD [\"python\", \"app.py\"]\n",
    "FROM python:3.13-slim\nRUN apt-get install -y curl\n",
    "FROM python:3.13-slim\nRUN apt-get update\nRUN apt-get install -y build-essential\nRUN make install\nRUN apt-get remove -y build-essential\n",
    "FROM python:3.13-slim\nWORKDIR /app\nCOPY . /app\nRUN pip install -r requirements.txt\n",
    "FROM python:3.13-slim\nCMD uvicorn app.main:app --host 0.0.0.0\n",
    "FROM golang:1.22\nWORKDIR /app\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app/server .\nEXPOSE 8080\nCMD [\"/app/server\"]\n",
    "FROM node:18-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN npm run build\n\n# the app listens here\nEXPOSE 3000\nCMD node dist/index.js\n",
    "FROM node:20-slim\nRUN corepack enable\nWORKDIR /app\nCOPY package.json pnpm-lock.yaml ./\nRUN pnpm install --frozen-lockfile\nCOPY . .\nRUN pnpm run build\nENV NODE_ENV=production\nCMD [\"node\", \"build/index.js\"]",
];

#[test]
fn optimized_files_parse_with_buildkit() {
    let Some(python) = common::oracle_python() else {
        assert!(
            !common::oracles_required(),
            "the oracle venv is missing (run the README's test command)"
        );
        eprintln!("skipped: no oracle venv (set LAYERLENS_VENV or run .ci/test)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut inputs: Vec<(String, String)> = GUIDE
        .iter()
        .enumerate()
        .map(|(k, t)| (format!("guide-{k}"), t.to_string()))
        .collect();
    for path in common::corpus_files() {
        if let Ok(text) = std::fs::read_to_string(&path) {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let group = path
                .parent()
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            inputs.push((format!("{group}__{name}"), text));
        }
    }
    let mut written = Vec::new();
    let mut changed = 0;
    for (name, text) in &inputs {
        for (suffix, options) in [
            ("unsafe", OptimizeOptions::with_unsafe()),
            ("safe", OptimizeOptions::default()),
            (
                "buildkit",
                OptimizeOptions {
                    assume_buildkit: true,
                    ..Default::default()
                },
            ),
        ] {
            let out = optimize(text, &options);
            if !out.changed {
                continue;
            }
            changed += 1;
            let path = dir.path().join(format!("{name}.{suffix}"));
            std::fs::write(&path, &out.text).unwrap();
            written.push(path);
        }
    }
    assert!(!written.is_empty());
    let script = common::data_dir().join("oracles/buildkit_parse.py");
    let output = Command::new(python)
        .arg(&script)
        .args(&written)
        .output()
        .expect("run the oracle");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut errors = Vec::new();
    for line in stdout.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        if let Some(e) = record.get("error") {
            errors.push(format!("{}: {e}", record["file"]));
        }
    }
    println!(
        "BuildKit parses {}/{} optimized outputs ({changed} changed files of {} inputs; unsafe, safe and BuildKit-assumed runs)",
        written.len() - errors.len(),
        written.len(),
        inputs.len()
    );
    assert!(errors.is_empty(), "{errors:#?}");
}
