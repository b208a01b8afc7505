//! Differential test against BuildKit's own parser (PyPI `dockerfile`, a Go extension
//! wrapping BuildKit's parser) over every file of the corpus.

mod common;

use std::process::Command;

use layerlens_core::syntax::{dump::oracle_commands, parse};

#[test]
fn corpus_parses_identically_to_buildkit() {
    let Some(python) = common::oracle_python() else {
        assert!(
            !common::oracles_required(),
            "the oracle venv is missing (run the README's test command)"
        );
        eprintln!("skipped: no oracle venv (set LAYERLENS_VENV or run .ci/test)");
        return;
    };
    let files = common::corpus_files();
    let script = common::data_dir().join("oracles/buildkit_parse.py");
    let output = Command::new(python)
        .arg(&script)
        .args(&files)
        .output()
        .expect("run the oracle");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut identical = 0;
    let mut differ = Vec::new();
    for (line, file) in stdout.lines().zip(&files) {
        let theirs: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(theirs["file"].as_str().unwrap(), file.to_str().unwrap());
        let text = std::fs::read_to_string(file).unwrap();
        let doc = parse(&text);
        let same = match theirs.get("error") {
            Some(_) => !doc.errors.is_empty(),
            None => {
                doc.errors.is_empty()
                    && serde_json::to_value(oracle_commands(&doc)).unwrap() == theirs["commands"]
            }
        };
        if same {
            identical += 1;
        } else {
            differ.push(file.display().to_string());
        }
    }
    println!(
        "BuildKit parser parity: {identical}/{} corpus files identical",
        files.len()
    );
    assert_eq!(identical, files.len(), "differ: {differ:?}");
}
