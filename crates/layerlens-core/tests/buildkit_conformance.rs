//! BuildKit's own parser tests: the 33 dump files, the negative cases, line numbers.
//! Data: tests/conformance/buildkit (moby/buildkit, Apache-2.0; see tests/README.md).

mod common;

use layerlens_core::syntax::{dump::dump, parse};

#[test]
fn all_testfiles_dump_identically() {
    let dir = common::data_dir().join("conformance/buildkit/testfiles");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    cases.sort();
    let mut failures = Vec::new();
    for case in &cases {
        let text = std::fs::read_to_string(case.join("Dockerfile")).unwrap();
        let expected = std::fs::read_to_string(case.join("result")).unwrap();
        let doc = parse(&text);
        if !doc.errors.is_empty() || dump(&doc) != expected {
            failures.push(case.file_name().unwrap().to_string_lossy().to_string());
        }
    }
    println!(
        "BuildKit testfiles: {}/{} identical",
        cases.len() - failures.len(),
        cases.len()
    );
    assert_eq!(cases.len(), 33);
    assert!(failures.is_empty(), "differ: {failures:?}");
}

#[test]
fn negative_cases_are_rejected_with_buildkit_messages() {
    let dir = common::data_dir().join("conformance/buildkit/testfiles-negative");
    let expected = [
        ("empty_dockerfile", "file with no instructions"),
        ("env_no_value", "ENV must have two arguments"),
        ("only_comments", "file with no instructions"),
        (
            "shykes-nested-json",
            "when using JSON array syntax, arrays must be comprised of strings only",
        ),
    ];
    for (case, message) in expected {
        let text = std::fs::read_to_string(dir.join(case).join("Dockerfile")).unwrap();
        let doc = parse(&text);
        let messages: Vec<&str> = doc.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages, [message], "{case}");
    }
    println!("BuildKit negative cases: 4/4 rejected");
}

#[test]
fn line_numbers_cover_continuations_and_comments() {
    let path = common::data_dir().join("conformance/buildkit/testfile-line/Dockerfile");
    let doc = parse(&std::fs::read_to_string(path).unwrap());
    let lines: Vec<(usize, usize)> = doc
        .instructions
        .iter()
        .map(|i| (i.start_line, i.end_line))
        .collect();
    assert_eq!(lines, [(5, 5), (11, 12), (17, 31)]);
}
