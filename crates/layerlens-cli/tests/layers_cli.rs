//! `layerlens layers` end to end: the JSON contract, `--changed`, the tty ledger, errors
//! and exit codes (consistent with `lint`: 1 for unreadable or invalid Dockerfiles, 2 for
//! bad options).

use std::process::Output;

mod common;
use common::{layerlens, stderr, stdout, write};

/// The guide's "Layer Caching Strategy" FastAPI example.
const FASTAPI: &str = r#"FROM python:3.13-slim

# 1. System dependencies (rarely change)
RUN apt-get update && apt-get install -y --no-install-recommends \
    libpq5 \
    && rm -rf /var/lib/apt/lists/*

# 2. Install Poetry (rarely changes)
RUN pip install poetry

# 3. Configure Poetry (never changes)
ENV POETRY_NO_INTERACTION=1 \
    POETRY_VIRTUALENVS_IN_PROJECT=1

# 4. Copy only dependency files (change occasionally)
COPY pyproject.toml poetry.lock ./

# 5. Install dependencies (cached unless pyproject.toml/poetry.lock change)
RUN poetry install --only=main --no-root

# 6. Copy application code (changes frequently)
COPY . .

# 7. Runtime configuration (rarely changes)
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]
"#;

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_str(&stdout(o)).expect("valid JSON")
}

#[test]
fn json_contract() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", FASTAPI);
    let v = json(&layerlens(
        &["layers", "--format", "json", "Dockerfile"],
        dir.path(),
    ));
    assert_eq!(v["schema_version"], 1);
    let instructions = v["instructions"].as_array().unwrap();
    assert_eq!(instructions.len(), 8);
    for x in instructions {
        for key in [
            "stage",
            "line",
            "instruction",
            "creates_layer",
            "built",
            "size_bytes",
        ] {
            assert!(x.get(key).is_some(), "{key} missing in {x}");
        }
        assert!(x["size_bytes"]["min"].is_u64());
        assert!(x["size_bytes"].get("max").is_some());
        // Without --changed there is no cache verdict.
        assert!(x.get("cached").is_none());
    }
    let keywords: Vec<&str> = instructions
        .iter()
        .map(|x| x["instruction"].as_str().unwrap())
        .collect();
    assert_eq!(
        keywords,
        ["FROM", "RUN", "RUN", "ENV", "COPY", "RUN", "COPY", "CMD"]
    );
    let layers: Vec<bool> = instructions
        .iter()
        .map(|x| x["creates_layer"].as_bool().unwrap())
        .collect();
    assert_eq!(layers, [true, true, true, false, true, true, true, false]);
    assert_eq!(instructions[1]["line"], 4);
    let totals = &v["totals"];
    assert!(totals["size_bytes"]["min"].as_u64().unwrap() > 100_000_000);
    // COPY . . without a context size: no upper bound.
    assert!(totals["size_bytes"]["max"].is_null());
    assert_eq!(totals["layers"], 6);
    assert!(totals["efficiency"]["min"].is_f64());
    assert!(totals["wasted_bytes"]["min"].is_u64());
    assert_eq!(v["stages"].as_array().unwrap().len(), 1);
    assert_eq!(v["stages"][0]["built"], true);
}

#[test]
fn changed_paths_give_cached_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", FASTAPI);
    let v = json(&layerlens(
        &[
            "layers",
            "-f",
            "json",
            "--changed",
            "src/app.py",
            "--context-size",
            "2MB",
            "Dockerfile",
        ],
        dir.path(),
    ));
    let cached: Vec<bool> = v["instructions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["cached"].as_bool().unwrap())
        .collect();
    assert_eq!(cached, [true, true, true, true, true, true, false, false]);
    let copy = &v["instructions"][6];
    assert_eq!(copy["first_miss"], true);
    assert!(copy["reason"].as_str().unwrap().contains("src/app.py"));
    assert_eq!(copy["size_bytes"]["max"], 2_000_000);
    // A dependency change rebuilds from the manifest copy.
    let v = json(&layerlens(
        &[
            "layers",
            "-f",
            "json",
            "--changed",
            "poetry.lock",
            "Dockerfile",
        ],
        dir.path(),
    ));
    assert_eq!(v["cache"]["first_miss"][0]["line"], 16);
    // The system-packages preset: from the apt line.
    let v = json(&layerlens(
        &[
            "layers",
            "-f",
            "json",
            "--preset",
            "system-packages",
            "Dockerfile",
        ],
        dir.path(),
    ));
    assert_eq!(v["cache"]["first_miss"][0]["line"], 4);
    // A file the .dockerignore leaves out busts nothing.
    write(dir.path(), ".dockerignore", "*.md\n");
    let v = json(&layerlens(
        &[
            "layers",
            "-f",
            "json",
            "--changed",
            "README.md",
            "Dockerfile",
        ],
        dir.path(),
    ));
    assert!(v["cache"]["first_miss"][0]["line"].is_null());
}

#[test]
fn tty_prints_the_ledger_bottom_to_top() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", FASTAPI);
    let o = layerlens(
        &["layers", "--changed", "src/app.py", "Dockerfile"],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let cmd = out.find("CMD [").unwrap();
    let from = out.rfind("FROM python:3.13-slim").unwrap();
    assert!(cmd < from, "newest first:\n{out}");
    assert!(out.contains("efficiency"));
    assert!(out.contains("REBUILT ← src/app.py changed"));
    assert!(out.contains("rebuilt from line 22"));
}

#[test]
fn errors_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    // Missing file: 1.
    let o = layerlens(&["layers", "nope"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("nope: no such file"));
    write(dir.path(), "Dockerfile", FASTAPI);
    // Unknown target: 2, with the stages named.
    let o = layerlens(&["layers", "--target", "ghost", "Dockerfile"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no build stage named `ghost`"));
    // Bad size: 2.
    let o = layerlens(
        &["layers", "--context-size", "lots", "Dockerfile"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    // A syntax error: position on stderr, the ledger still printed, exit 1.
    write(dir.path(), "Bad", "FROM alpine:3.24\nRUN echo\nBOGUS x\n");
    let o = layerlens(&["layers", "-f", "json", "Bad"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("Bad:3:1: unknown instruction: BOGUS"),
        "{}",
        stderr(&o)
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["instructions"].as_array().unwrap().len(), 3);
}
