//! `layerlens fix`: applies the lint rules' fixes (safe ones; with `--unsafe` also those
//! that may change the image) to a fixed point and rewrites each file in place, or prints a
//! unified diff with `--diff` and changes nothing.
//!
//! Writing is atomic: the new text goes to a temporary file in the same directory, which is
//! flushed to disk, given the original's permissions and renamed over the original, so a
//! reader sees either the old file or the new one, never half of it. A file with nothing to
//! fix is never touched (not even its modification time).
//!
//! Exit codes, as `layerlens lint`: 0 done; 1 when a file could not be read, has syntax
//! errors or could not be written (it is then left as it was), and with `--diff` when
//! anything would change; 2 for a bad command line or configuration.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use layerlens_core::fix::Applicability;
use layerlens_core::optimize::{fix_all, OptimizeOptions, Optimized};

use super::optimize::{load_config, report_syntax_errors, CommonArgs};
use crate::input::read_dockerfile;

#[derive(clap::Args)]
pub struct Args {
    /// Also apply fixes that may change what the image contains or does.
    #[arg(long = "unsafe")]
    unsafe_fixes: bool,
    /// Print a unified diff of what would change and change nothing (exit 1 if any).
    #[arg(long)]
    diff: bool,
    #[command(flatten)]
    common: CommonArgs,
    /// Dockerfiles to fix.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

pub fn run(args: &Args) -> ExitCode {
    let config = match load_config(&args.common) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("layerlens: {e}");
            return ExitCode::from(2);
        }
    };
    let mut failed = false;
    let mut would_change = false;
    for path in &args.files {
        let text = match read_dockerfile(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("layerlens: {e}");
                failed = true;
                continue;
            }
        };
        if report_syntax_errors(path, &text) {
            eprintln!("layerlens: {}: not changed (syntax errors)", path.display());
            failed = true;
            continue;
        }
        let options = OptimizeOptions {
            allow_unsafe: args.unsafe_fixes,
            config: config.clone(),
            dockerignore: args.common.dockerignore_for(path),
            ..Default::default()
        };
        let fixed = fix_all(&text, &options);
        if !fixed.changed {
            eprintln!("{}: nothing to fix", path.display());
            report_skipped(path, &fixed);
            continue;
        }
        if args.diff {
            would_change = true;
            print!("{}", unified_diff(path, &text, &fixed.text));
            report(path, &fixed, "would apply");
            continue;
        }
        match write_atomically(path, &fixed.text) {
            Ok(()) => report(path, &fixed, "applied"),
            Err(e) => {
                eprintln!("layerlens: {}: not changed: {e}", path.display());
                failed = true;
            }
        }
    }
    if failed || would_change {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// One line per rule whose fixes were applied, then the unsafe ones left out.
fn report(path: &Path, fixed: &Optimized, verb: &str) {
    let count: usize = fixed.changes.iter().map(|c| c.hunks.len().max(1)).sum();
    eprintln!(
        "{}: {verb} {} fix(es) from {} rule(s)",
        path.display(),
        count,
        fixed.changes.len()
    );
    for c in &fixed.changes {
        let class = match c.applicability {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        };
        eprintln!("  {} ({class}): {}", c.rules.join(", "), c.title);
    }
    report_skipped(path, fixed);
}

fn report_skipped(path: &Path, fixed: &Optimized) {
    let unsafe_left: Vec<String> = fixed
        .skipped
        .iter()
        .filter(|s| s.reason.starts_with("unsafe"))
        .map(|s| s.rules.join(", "))
        .collect();
    if !unsafe_left.is_empty() {
        eprintln!(
            "{}: {} more with --unsafe ({})",
            path.display(),
            unsafe_left.len(),
            unsafe_left.join(", ")
        );
    }
    for s in fixed
        .skipped
        .iter()
        .filter(|s| !s.reason.starts_with("unsafe"))
    {
        eprintln!(
            "{}: not applied: {} ({}): {}",
            path.display(),
            s.rules.join(", "),
            s.title,
            s.reason
        );
    }
}

/// A unified diff with three lines of context, `--- a/FILE` / `+++ b/FILE` headers.
pub fn unified_diff(path: &Path, old: &str, new: &str) -> String {
    let name = path.display().to_string();
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// Replaces `path` with `text`: a temporary file beside it, flushed, with the original's
/// permissions, renamed over it. On any error the original is left as it was and the
/// temporary file is removed.
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "Dockerfile".into());
    let permissions = std::fs::metadata(path)?.permissions();
    let mut attempt = 0;
    let (tmp, mut file) = loop {
        let candidate = dir.join(format!(
            ".{name}.layerlens-{}-{attempt}.tmp",
            std::process::id()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(f) => break (candidate, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    };
    let result = (|| {
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        drop(file);
        std::fs::set_permissions(&tmp, permissions)?;
        std::fs::rename(&tmp, path)?;
        // Make the rename itself durable where the platform allows it.
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn atomic_write_replaces_and_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Dockerfile");
        std::fs::write(&path, "FROM a\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        // A stale temporary name from another process does not get in the way.
        std::fs::write(
            dir.path().join(format!(
                ".Dockerfile.layerlens-{}-0.tmp",
                std::process::id()
            )),
            "x",
        )
        .unwrap();
        write_atomically(&path, "FROM b\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "FROM b\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        assert_eq!(names(dir.path()).len(), 2);
    }

    #[test]
    fn atomic_write_fails_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write_atomically(&dir.path().join("missing"), "x").is_err());
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn diff_has_headers_and_context() {
        let d = unified_diff(Path::new("Dockerfile"), "a\nb\nc\n", "a\nB\nc\n");
        assert_eq!(
            d,
            "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
        );
    }
}
