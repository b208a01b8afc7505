//! `layerlens lint`: hadolint-compatible linting with exact ranges.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use layerlens_core::analysis::{diagnostics, Options, Severity, SYNTAX_ERROR_CODE};
use layerlens_core::dockerignore::Dockerignore;
use layerlens_core::rules::{Config, Severity as RuleSeverity};

use crate::config_file;
use crate::input::{read_dockerfile, InputError};
use crate::output::{render, render_part, FileReport, Format};
use crate::parallel::map_in_order;

#[derive(clap::Args)]
pub struct Args {
    /// Output format (default: tty, or `format` from the config file).
    #[arg(long, short = 'f', value_enum)]
    format: Option<Format>,
    /// Config file (hadolint's `.hadolint.yaml` keys plus Layerlens's); replaces discovery.
    #[arg(long, short = 'c')]
    config: Option<PathBuf>,
    /// Exit non-zero when a finding is at least this severe: error, warning, info, style, none.
    #[arg(long, short = 't')]
    failure_threshold: Option<String>,
    /// Always exit 0.
    #[arg(long)]
    no_fail: bool,
    /// Never colour the terminal output.
    #[arg(long)]
    no_color: bool,
    /// Ignore a rule (repeatable).
    #[arg(long = "ignore", value_name = "CODE")]
    ignore: Vec<String>,
    /// The stage the build targets (default: the last stage).
    #[arg(long)]
    target: Option<String>,
    /// The build context's .dockerignore (default: `.dockerignore` or
    /// `<Dockerfile>.dockerignore` next to each Dockerfile).
    #[arg(long)]
    dockerignore: Option<PathBuf>,
    /// Dockerfiles, or directories to search for Dockerfiles.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

/// Settings of the output rather than of the rules.
#[derive(Default)]
struct OutputSettings {
    format: Option<Format>,
    no_color: bool,
}

pub fn run(args: &Args) -> ExitCode {
    let mut output = OutputSettings::default();
    let config = match build_config(args, &mut output) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("layerlens: {e}");
            return ExitCode::from(2);
        }
    };
    let format = args.format.or(output.format).unwrap_or(Format::Tty);
    let color = !args.no_color
        && !output.no_color
        && format == Format::Tty
        && std::env::var_os("NO_COLOR").is_none()
        && std::io::stdout().is_terminal();
    // Reading, analysing and rendering each file all happen on the worker threads; only
    // the joining of the rendered parts is left to this one.
    let results = map_in_order(expand(&args.files), |path| {
        let source = read_dockerfile(&path)?;
        let mut report = analyze_one(path, source, &config, args.dockerignore.as_deref());
        report.part = render_part(format, &report, color);
        Ok::<_, InputError>(report)
    });
    let mut reports = Vec::with_capacity(results.len());
    let mut failed_to_read = false;
    for result in results {
        match result {
            Ok(report) => reports.push(report),
            Err(e) => {
                eprintln!("layerlens: {e}");
                failed_to_read = true;
            }
        }
    }
    print!("{}", render(format, &reports, color));
    exit_code(&reports, &config, failed_to_read)
}

fn analyze_one(
    path: PathBuf,
    source: String,
    config: &Config,
    dockerignore: Option<&Path>,
) -> FileReport {
    let options = Options {
        config: config.clone(),
        dockerignore: dockerignore_for(&path, dockerignore),
        ..Options::default()
    };
    let diagnostics = diagnostics(&source, &options);
    FileReport {
        path: path.display().to_string(),
        source,
        diagnostics,
        part: None,
    }
}

/// hadolint's exit code: 1 on a parse error or a finding at least as severe as the
/// threshold, unless `no-fail`.
fn exit_code(reports: &[FileReport], config: &Config, failed_to_read: bool) -> ExitCode {
    if failed_to_read {
        return ExitCode::from(1);
    }
    if config.no_fail {
        return ExitCode::SUCCESS;
    }
    let threshold = config.failure_threshold;
    let fails = reports.iter().flat_map(|r| &r.diagnostics).any(|d| {
        d.code == SYNTAX_ERROR_CODE
            || (threshold != RuleSeverity::Ignore && rank(d.severity) <= rank_rule(threshold))
    });
    if fails {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn rank(s: Severity) -> u8 {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
        Severity::Style => 3,
    }
}

fn rank_rule(s: RuleSeverity) -> u8 {
    match s {
        RuleSeverity::Error => 0,
        RuleSeverity::Warning => 1,
        RuleSeverity::Info => 2,
        RuleSeverity::Style => 3,
        RuleSeverity::Ignore => 4,
    }
}

fn build_config(args: &Args, output: &mut OutputSettings) -> Result<Config, String> {
    let mut config = Config::default();
    config_file::apply_env(&mut config);
    let paths: Vec<PathBuf> = match &args.config {
        Some(path) => vec![path.clone()],
        None => config_file::find_hadolint_config()
            .into_iter()
            .chain(config_file::find_layerlens_config())
            .collect(),
    };
    for path in paths {
        let file = config_file::load_into(&path, &mut config)?;
        if let Some(f) = &file.format {
            output.format = Some(
                <Format as clap::ValueEnum>::from_str(f, true)
                    .map_err(|_| format!("{}: unknown format `{f}`", path.display()))?,
            );
        }
        output.no_color |= file.no_color.unwrap_or(false);
    }
    if let Some(t) = &args.failure_threshold {
        config.failure_threshold = config_file::parse_threshold(t).ok_or_else(|| {
            format!("unknown failure threshold `{t}` (error, warning, info, style, none)")
        })?;
    }
    if args.no_fail {
        config.no_fail = true;
    }
    config.ignored.extend(args.ignore.iter().cloned());
    if let Some(t) = &args.target {
        config.target = Some(t.clone());
    }
    Ok(config)
}

/// Files as given; directories are searched (recursively) for Dockerfiles.
fn expand(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            find_dockerfiles(path, &mut found, 0);
            found.sort();
            if found.is_empty() {
                eprintln!(
                    "layerlens: {}: no Dockerfile found in this directory",
                    path.display()
                );
            }
            out.extend(found);
        } else {
            out.push(path.clone());
        }
    }
    out
}

fn find_dockerfiles(dir: &Path, found: &mut Vec<PathBuf>, depth: usize) {
    const SKIP: [&str; 4] = [".git", "node_modules", "target", ".venv"];
    if depth > 16 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if path.is_dir() {
            if !SKIP.contains(&name.as_str()) {
                find_dockerfiles(&path, found, depth + 1);
            }
        } else if is_dockerfile_name(&name) {
            found.push(path);
        }
    }
}

/// `Dockerfile`, `Containerfile`, `Dockerfile.prod`, `prod.Dockerfile` (not `.dockerignore`).
fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".dockerignore") {
        return false;
    }
    lower == "dockerfile"
        || lower == "containerfile"
        || lower.starts_with("dockerfile.")
        || lower.ends_with(".dockerfile")
}

/// The .dockerignore that applies: given explicitly, `<name>.dockerignore` beside the
/// Dockerfile (BuildKit's per-Dockerfile ignore file), or `.dockerignore` beside it.
fn dockerignore_for(dockerfile: &Path, explicit: Option<&Path>) -> Option<Dockerignore> {
    let candidates: Vec<PathBuf> = match explicit {
        Some(p) => vec![p.to_path_buf()],
        None => {
            let dir = dockerfile.parent().unwrap_or(Path::new("."));
            let specific = dockerfile
                .file_name()
                .map(|n| dir.join(format!("{}.dockerignore", n.to_string_lossy())));
            specific
                .into_iter()
                .chain([dir.join(".dockerignore")])
                .collect()
        }
    };
    candidates
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
        .map(|text| Dockerignore::parse(&text))
}
