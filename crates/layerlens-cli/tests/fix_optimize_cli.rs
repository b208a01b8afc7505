//! `layerlens fix` and `layerlens optimize` end to end: outputs, exit codes, errors with
//! positions, and the file-safety contract of `fix` (atomic rewrite, permissions kept, no
//! temporary file left, nothing touched with `--diff`, on errors, or when there is nothing
//! to fix).
//!
//! The rewrite tests need a rule that carries a fix: they take the first rule whose
//! documented bad example gets one, and say so and check the no-fix path when none does.

use std::path::Path;

mod common;
use common::{layerlens, stderr, stdout, write};

use layerlens_core::optimize::{fix_all, optimize, OptimizeOptions};
use layerlens_core::rules::{registry, Fixability};

/// Names of the files in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names
}

/// A Dockerfile that `fix` changes (safe fixes, or unsafe ones with `unsafe_`), if any rule
/// has a fix yet.
fn fixable(unsafe_: bool) -> Option<(String, String)> {
    let options = OptimizeOptions {
        allow_unsafe: unsafe_,
        ..Default::default()
    };
    registry()
        .filter(|r| r.fix != Fixability::None && r.docs.example_config.is_none())
        .find_map(|r| {
            let out = fix_all(r.docs.bad, &options);
            out.changed
                .then(|| (r.code.to_string(), r.docs.bad.to_string()))
        })
}

/// Nothing for any rule to fix, even unsafely.
const CLEAN: &str = "FROM scratch\nCOPY a /a\nUSER 65534\nENTRYPOINT [\"/a\"]\n";

const BAD_PYTHON: &str = "FROM python:3.13-slim\n# the app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD python app.py\n";

#[test]
fn optimize_prints_the_optimized_dockerfile() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", BAD_PYTHON.as_bytes());
    let o = layerlens(&["optimize", "--unsafe", "Dockerfile"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let expected = optimize(BAD_PYTHON, &OptimizeOptions::with_unsafe()).text;
    assert_eq!(stdout(&o), expected);
    assert!(stdout(&o).contains("requirements.txt .\nRUN pip install"));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    // Safe only: the unsafe moves are not made.
    let o = layerlens(&["optimize", "Dockerfile"], dir.path());
    assert!(o.status.success());
    assert_eq!(
        stdout(&o),
        optimize(BAD_PYTHON, &OptimizeOptions::default()).text
    );
    // The file itself is never changed.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        BAD_PYTHON
    );
}

#[test]
fn optimize_explain_lists_changes_with_effects_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", BAD_PYTHON.as_bytes());
    let o = layerlens(
        &["optimize", "--unsafe", "--explain", "Dockerfile"],
        dir.path(),
    );
    assert!(o.status.success());
    let e = stderr(&o);
    assert!(e.contains("[LL1001; unsafe]"), "{e}");
    assert!(e.contains("[DL3025, JSONArgsRecommended; unsafe]"), "{e}");
    assert!(
        e.contains("a code change no longer reruns `RUN pip install -r requirements.txt`"),
        "{e}"
    );
    assert!(e.contains("totals (estimated):"), "{e}");
    assert!(e.contains("proposed .dockerignore"), "{e}");
    // stdout is still exactly the Dockerfile.
    assert_eq!(
        stdout(&o),
        optimize(BAD_PYTHON, &OptimizeOptions::with_unsafe()).text
    );
    // Without --unsafe, the unsafe moves are named as available.
    let o = layerlens(&["optimize", "--explain", "Dockerfile"], dir.path());
    assert!(stderr(&o).contains("with --unsafe also:"), "{}", stderr(&o));
}

#[test]
fn optimize_json_contract() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", BAD_PYTHON.as_bytes());
    let o = layerlens(
        &["optimize", "--unsafe", "--format", "json", "Dockerfile"],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["file"], "Dockerfile");
    assert_eq!(v["changed"], true);
    let change = &v["changes"][0];
    for key in [
        "kind",
        "title",
        "moved",
        "rules",
        "why",
        "applicability",
        "hunks",
        "effect",
    ] {
        assert!(!change[key].is_null(), "{key} missing");
    }
    let hunk = &change["hunks"][0];
    assert!(hunk["original"]["start"].is_u64() && hunk["output"]["end"].is_u64());
    for key in [
        "size_before",
        "size_after",
        "bytes_saved",
        "layers_before",
        "no_longer_rebuilt",
        "summary",
    ] {
        assert!(!change["effect"][key].is_null(), "effect.{key} missing");
    }
    assert!(v["totals"]["before"]["size_bytes"]["min"].is_u64());
    assert!(v["skipped"].is_array());
    assert!(v["dockerignore"]["text"].is_string());
}

#[test]
fn optimize_skip_switches_moves_off() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", BAD_PYTHON.as_bytes());
    let o = layerlens(
        &[
            "optimize",
            "--unsafe",
            "--skip",
            "reorder",
            "--skip",
            "non-root",
            "--skip",
            "exec-form",
            "--skip",
            "fixes",
            "Dockerfile",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), BAD_PYTHON);
    let o = layerlens(
        &["optimize", "--skip", "everything", "Dockerfile"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn nothing_to_improve_comes_back_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let text = "FROM scratch\r\nCOPY app /app\r\nUSER 65534\r\nENTRYPOINT [\"/app\"]";
    write(dir.path(), "Dockerfile", text.as_bytes());
    let o = layerlens(
        &["optimize", "--unsafe", "--explain", "Dockerfile"],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(o.stdout, text.as_bytes());
    assert!(stderr(&o).contains("nothing to change"), "{}", stderr(&o));
}

#[test]
fn optimize_errors_have_positions_and_lint_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", b"FROM a\n\nENV PATH\n");
    let o = layerlens(&["optimize", "Dockerfile"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o).trim(),
        "Dockerfile:3:5: ENV must have two arguments"
    );
    assert!(o.stdout.is_empty());
    let o = layerlens(&["optimize", "missing"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("missing: no such file"),
        "{}",
        stderr(&o)
    );
    write(dir.path(), "ok", b"FROM a:1\nCMD [\"x\"]\n");
    let o = layerlens(&["optimize", "--target", "nope", "ok"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no build stage named `nope`"));
    let o = layerlens(&["optimize", "--config", "absent.yaml", "ok"], dir.path());
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn fix_leaves_files_with_nothing_to_fix_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "Dockerfile", CLEAN.as_bytes());
    let before = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let o = layerlens(&["fix", "--unsafe", "Dockerfile"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("Dockerfile: nothing to fix"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        before
    );
    assert_eq!(listing(dir.path()), ["Dockerfile"]);
    let o = layerlens(&["fix", "--diff", "Dockerfile"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
}

#[test]
fn fix_rewrites_atomically_keeping_permissions() {
    let Some((code, bad)) = fixable(false).or_else(|| fixable(true)) else {
        eprintln!("no rule carries a fix yet: the rewrite path is covered once one does");
        return;
    };
    let unsafe_needed = fixable(false).is_none();
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "Dockerfile", bad.as_bytes());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let mut args = vec!["fix"];
    if unsafe_needed {
        args.push("--unsafe");
    }
    // --diff first: a diff, exit 1, nothing changed.
    let mut diff_args = args.clone();
    diff_args.extend(["--diff", "Dockerfile"]);
    let o = layerlens(&diff_args, dir.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("--- a/Dockerfile\n+++ b/Dockerfile\n@@"),
        "{}",
        stdout(&o)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), bad);
    assert_eq!(listing(dir.path()), ["Dockerfile"]);
    // Then for real.
    args.push("Dockerfile");
    let o = layerlens(&args, dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains(&code), "{code}: {}", stderr(&o));
    let options = OptimizeOptions {
        allow_unsafe: unsafe_needed,
        ..Default::default()
    };
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        fix_all(&bad, &options).text
    );
    assert_eq!(
        listing(dir.path()),
        ["Dockerfile"],
        "a temporary file was left"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }
}

#[test]
fn fix_never_touches_unreadable_or_invalid_input() {
    let dir = tempfile::tempdir().unwrap();
    let invalid = write(
        dir.path(),
        "broken",
        b"FROM a\n\nENV PATH\nRUN pip install x\n",
    );
    let binary = write(dir.path(), "binary", b"FROM a\0\x01\x02");
    let latin1 = write(dir.path(), "latin1", b"FROM a\nLABEL x=\xe9\n");
    let fine = write(dir.path(), "fine", CLEAN.as_bytes());
    let o = layerlens(
        &[
            "fix", "--unsafe", "broken", "binary", "latin1", "missing", "fine",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("broken:3:5: ENV must have two arguments"), "{e}");
    assert!(e.contains("broken: not changed (syntax errors)"), "{e}");
    assert!(e.contains("binary: looks like a binary file"), "{e}");
    assert!(e.contains("latin1: 2:9: invalid UTF-8"), "{e}");
    assert!(e.contains("missing: no such file"), "{e}");
    assert!(e.contains("fine: nothing to fix"), "{e}");
    assert_eq!(
        std::fs::read(&invalid).unwrap(),
        b"FROM a\n\nENV PATH\nRUN pip install x\n"
    );
    assert_eq!(std::fs::read(&binary).unwrap(), b"FROM a\0\x01\x02");
    assert_eq!(std::fs::read(&latin1).unwrap(), b"FROM a\nLABEL x=\xe9\n");
    assert_eq!(std::fs::read(&fine).unwrap(), CLEAN.as_bytes());
    assert_eq!(listing(dir.path()), ["binary", "broken", "fine", "latin1"]);
    // A bad command line.
    let o = layerlens(&["fix"], dir.path());
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn fix_cannot_write_leaves_the_original() {
    let Some((_, bad)) = fixable(true) else {
        eprintln!("no rule carries a fix yet: the write-failure path is covered once one does");
        return;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("ro");
        std::fs::create_dir(&sub).unwrap();
        let path = write(&sub, "Dockerfile", bad.as_bytes());
        std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o555)).unwrap();
        // Root may write anyway; then there is no failure to observe.
        let probe = std::fs::write(sub.join("probe"), b"x").is_ok();
        if !probe {
            let o = layerlens(&["fix", "--unsafe", "ro/Dockerfile"], dir.path());
            assert_eq!(o.status.code(), Some(1));
            assert!(stderr(&o).contains("not changed"), "{}", stderr(&o));
            assert_eq!(std::fs::read_to_string(&path).unwrap(), bad);
            assert_eq!(listing(&sub), ["Dockerfile"]);
        }
        std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}
