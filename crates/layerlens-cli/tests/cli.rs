//! The CLI end to end: contracts of `parse`, `dump` and `lint`, errors and exit codes.

use std::process::{Command, Output};

mod common;
use common::{layerlens, stderr, stdout, write};

#[test]
fn parse_prints_buildkit_fields() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Dockerfile",
        b"FROM a\nRUN --mount=type=cache,target=/x echo \\\n  hi\nONBUILD RUN x\n",
    );
    let o = layerlens(&["parse", "--format", "json", "Dockerfile"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let run = &v[1];
    let keys: Vec<&str> = run
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "cmd",
        "sub_cmd",
        "json",
        "original",
        "start_line",
        "end_line",
        "flags",
        "value",
        "heredocs",
    ] {
        assert!(keys.contains(&key), "{key} missing");
    }
    assert_eq!(run["flags"][0], "--mount=type=cache,target=/x");
    assert_eq!(run["value"][0], "echo   hi");
    assert_eq!(run["end_line"], 3);
    assert_eq!(v[2]["sub_cmd"], "RUN");
}

#[test]
fn parse_errors_have_positions_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", b"FROM a\n\nENV PATH\n");
    for command in [
        &["parse", "--format", "json", "Dockerfile"][..],
        &["dump", "Dockerfile"],
    ] {
        let o = layerlens(command, dir.path());
        assert_eq!(o.status.code(), Some(1));
        assert_eq!(
            stderr(&o).trim(),
            "Dockerfile:3:5: ENV must have two arguments"
        );
    }
}

#[test]
fn unreadable_inputs_give_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "binary", b"FROM a\n\0\x01\x02");
    write(dir.path(), "latin1", b"FROM a\nLABEL x=\"caf\xe9\"\n");
    std::fs::create_dir(dir.path().join("adir")).unwrap();
    let cases = [
        ("missing", "missing: no such file"),
        ("adir", "adir: is a directory"),
        ("binary", "binary: looks like a binary file"),
        ("latin1", "latin1: 2:13: invalid UTF-8"),
    ];
    for (file, expected) in cases {
        let o = layerlens(&["dump", file], dir.path());
        assert_eq!(o.status.code(), Some(1), "{file}");
        assert!(stderr(&o).starts_with(expected), "{file}: {}", stderr(&o));
    }
}

#[test]
fn ten_megabytes_of_garbage_is_handled() {
    let dir = tempfile::tempdir().unwrap();
    // Printable garbage with newlines, quotes, escapes and heredoc markers.
    let alphabet = b"RUN FROM <<EOF \\\n\"'[]${}#=-- abc\t";
    let mut state: u64 = 42;
    let garbage: Vec<u8> = (0..10_000_000)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            alphabet[(state >> 33) as usize % alphabet.len()]
        })
        .collect();
    write(dir.path(), "Dockerfile", &garbage);
    // Parsing gives a result or positioned errors, never a crash.
    for command in [
        &["dump", "Dockerfile"][..],
        &["parse", "--format", "json", "Dockerfile"],
    ] {
        let o = layerlens(command, dir.path());
        assert!(
            o.status.code() == Some(0) || stderr(&o).starts_with("Dockerfile:"),
            "{command:?}"
        );
        assert!(o.status.code().is_some(), "killed by a signal");
    }
    // Linting runs every rule; a 1 MB slice keeps the debug-build test quick (the full
    // 10 MB takes about 7 s in a release build).
    write(dir.path(), "Dockerfile", &garbage[..1_000_000]);
    let o = layerlens(
        &["lint", "-f", "json", "--no-fail", "Dockerfile"],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with('['));
}

#[test]
fn lint_exit_codes_follow_the_threshold() {
    let dir = tempfile::tempdir().unwrap();
    // One warning (DL3003), nothing worse.
    write(dir.path(), "Dockerfile", b"FROM alpine:3.22\nRUN cd /tmp\n");
    let code = |extra: &[&str]| {
        let mut args = vec!["lint", "-f", "json"];
        for code in ["LL1010", "LL1011", "LL1013"] {
            args.extend(["--ignore", code]);
        }
        args.extend_from_slice(extra);
        args.push("Dockerfile");
        layerlens(&args, dir.path()).status.code()
    };
    assert_eq!(code(&[]), Some(1));
    assert_eq!(code(&["--failure-threshold", "error"]), Some(0));
    assert_eq!(code(&["--failure-threshold", "warning"]), Some(1));
    assert_eq!(code(&["--no-fail"]), Some(0));
    assert_eq!(
        code(&["--ignore", "DL3003", "--failure-threshold", "style"]),
        Some(0)
    );
}

#[test]
fn lint_reads_hadolint_config_and_pragmas() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Dockerfile",
        b"FROM alpine:3.22\n# hadolint ignore=DL3003\nRUN cd /tmp\nRUN cd /var\n",
    );
    let codes = |o: &Output| -> Vec<(String, u64)> {
        let v: serde_json::Value = serde_json::from_str(&stdout(o)).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == "DL3003")
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_string(),
                    d["line"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let o = layerlens(&["lint", "-f", "json", "Dockerfile"], dir.path());
    assert_eq!(codes(&o), [("DL3003".to_string(), 4)]);
    write(dir.path(), ".hadolint.yaml", b"ignored: [DL3003]\n");
    let o = layerlens(&["lint", "-f", "json", "Dockerfile"], dir.path());
    assert!(codes(&o).is_empty());
    write(
        dir.path(),
        ".hadolint.yaml",
        b"override:\n  error: [DL3003]\n",
    );
    let o = layerlens(&["lint", "-f", "json", "Dockerfile"], dir.path());
    assert!(stdout(&o)
        .contains("\"code\":\"DL3003\",\"column\":5,\"file\":\"Dockerfile\",\"level\":\"error\""));
    write(dir.path(), ".hadolint.yaml", b"failure-threshold: [oops\n");
    let o = layerlens(&["lint", "Dockerfile"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(".hadolint.yaml"));
}

#[test]
fn lint_walks_directories_and_every_format_renders() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("svc/api")).unwrap();
    write(
        dir.path(),
        "svc/api/Dockerfile",
        b"FROM alpine:3.22\nRUN cd /tmp\n",
    );
    write(
        dir.path(),
        "svc/worker.Dockerfile",
        b"FROM alpine:3.22\nRUN cd /var\n",
    );
    write(dir.path(), "svc/README.md", b"not a dockerfile");
    let o = layerlens(&["lint", "-f", "json", "--no-fail", "svc"], dir.path());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let mut files: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    files.dedup();
    assert_eq!(files, ["svc/api/Dockerfile", "svc/worker.Dockerfile"]);
    for (format, marker) in [
        ("sarif", "\"version\": \"2.1.0\""),
        ("checkstyle", "<checkstyle version=\"4.3\">"),
        ("gitlab", "\"fingerprint\""),
        ("github", "::warning file=svc/api/Dockerfile,line=2,col=5"),
        ("tty", "= why:"),
    ] {
        let o = layerlens(&["lint", "-f", format, "--no-fail", "svc"], dir.path());
        assert!(stdout(&o).contains(marker), "{format}: {}", stdout(&o));
    }
}

/// Files are read, linted and rendered on worker threads; the output still follows the
/// order of the arguments, clean files add nothing and an unreadable one is reported.
#[test]
fn many_files_keep_argument_order_and_report_unreadable_ones() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["lint".to_string(), "-f".into(), "json".into()];
    for i in 0..40 {
        let name = format!("f{i:02}.Dockerfile");
        // Every third file is clean; one file in the middle does not exist.
        let text = if i % 3 == 0 {
            "# layerlens global ignore=LL1013\nFROM scratch\nCOPY app /app\nUSER 1000\nCMD [\"/app\"]\n"
                .to_string()
        } else {
            format!("FROM alpine:3.22\nRUN cd /tmp{i}\n")
        };
        if i != 20 {
            write(dir.path(), &name, text.as_bytes());
        }
        args.push(name);
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = layerlens(&refs, dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("f20.Dockerfile"), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let mut files: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    files.dedup();
    let expected: Vec<String> = (0..40)
        .filter(|i| i % 3 != 0 && *i != 20)
        .map(|i| format!("f{i:02}.Dockerfile"))
        .collect();
    assert_eq!(files, expected);
    // The terminal format keeps the same order and counts every finding once.
    let mut tty_args = refs.clone();
    tty_args[2] = "tty";
    let text = stdout(&layerlens(&tty_args, dir.path()));
    let positions: Vec<usize> = expected
        .iter()
        .map(|f| text.find(f.as_str()).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]));
    assert!(
        text.contains(&format!("in {} files", expected.len())),
        "{text}"
    );
}

#[test]
fn rules_and_explain() {
    let dir = tempfile::tempdir().unwrap();
    let o = layerlens(&["rules"], dir.path());
    assert!(stdout(&o).contains("DL3008") && stdout(&o).contains("JSONArgsRecommended"));
    let o = layerlens(&["explain", "dl3008"], dir.path());
    assert!(o.status.success());
    assert!(stdout(&o).contains("Why it matters") && stdout(&o).contains("Bad:"));
    let o = layerlens(&["explain", "DL9999"], dir.path());
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_closed_pipe_ends_output_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    // Far more output than a pipe buffers, so the writer is still writing when we hang up.
    let dir = tempfile::tempdir().unwrap();
    let text = format!("FROM alpine:3.22\n{}", "RUN cd /tmp\n".repeat(5000));
    write(dir.path(), "Dockerfile", text.as_bytes());
    let mut child = Command::new(env!("CARGO_BIN_EXE_layerlens"))
        .args(["lint", "-f", "json", "Dockerfile"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one byte, then hang up, as `| head -c1` would.
    let mut stdout = child.stdout.take().unwrap();
    let mut byte = [0u8; 1];
    stdout.read_exact(&mut byte).unwrap();
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn json_findings_carry_fixes() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Dockerfile",
        b"FROM python:3.13-slim\nRUN pip install flask==3.0.0\n",
    );
    let o = layerlens(
        &["lint", "-f", "json", "--no-fail", "Dockerfile"],
        dir.path(),
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let dl3042 = v
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "DL3042")
        .expect("DL3042 reported");
    let fix = &dl3042["fix"];
    assert_eq!(fix["applicability"], "safe");
    let edit = &fix["edits"][0];
    assert_eq!(edit["text"], " --no-cache-dir");
    assert_eq!(edit["line"], 2);
    assert_eq!(edit["start"], edit["end"], "an insertion");
}
