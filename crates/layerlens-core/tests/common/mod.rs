//! Shared helpers for the integration tests: where the project's test data lives.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository's `tests/` directory.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests")
}

/// Every Dockerfile of the copied corpus, sorted.
pub fn corpus_files() -> Vec<PathBuf> {
    let root = data_dir().join("corpus");
    let mut files = Vec::new();
    let Ok(groups) = std::fs::read_dir(&root) else {
        return files;
    };
    for group in groups.flatten() {
        if !group.path().is_dir() {
            continue;
        }
        for file in std::fs::read_dir(group.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            files.push(file.path());
        }
    }
    files.sort();
    files
}

/// The Python interpreter of the oracles' virtualenv, if it is installed.
pub fn oracle_python() -> Option<PathBuf> {
    let venv = std::env::var_os("LAYERLENS_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| data_dir().join("../.venv"));
    let python = venv.join("bin/python");
    python.exists().then_some(python)
}

/// Whether a missing oracle must fail the test (set by `.ci/test`) instead of skipping it.
pub fn oracles_required() -> bool {
    std::env::var_os("LAYERLENS_REQUIRE_ORACLES").is_some()
}
