//! `layerlens optimize`: prints the optimized Dockerfile; with `--explain`, the list of
//! changes with their rules, reasons and estimated effects (and the proposed
//! `.dockerignore`) on stderr, so stdout stays a Dockerfile; with `--format json`, the whole
//! result (text, changes with hunks in both texts, skipped moves, totals).
//!
//! Exit codes, as `layerlens lint`: 0 done; 1 when the file cannot be read or has syntax
//! errors (positions on stderr, nothing on stdout); 2 for a bad command line or
//! configuration.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use layerlens_core::dockerignore::Dockerignore;
use layerlens_core::fix::Applicability;
use layerlens_core::layers::{human, SizeRange};
use layerlens_core::model::Model;
use layerlens_core::optimize::{optimize, Moves, OptimizeOptions, Optimized, Saved};
use layerlens_core::rules::Config;
use layerlens_core::text::LineIndex;

use crate::config_file;
use crate::input::read_dockerfile;

/// Version of the JSON output; bumped only for incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OptimizeFormat {
    /// The optimized Dockerfile.
    Text,
    /// The whole result as JSON.
    Json,
}

/// Kinds of change that `--skip` switches off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Skip {
    Fixes,
    Reorder,
    MergeRuns,
    CacheMounts,
    StageSplit,
    NonRoot,
    ExecForm,
    Workdir,
    Dockerignore,
}

/// Options `fix` and `optimize` share with `lint`.
#[derive(clap::Args, Clone, Debug)]
pub struct CommonArgs {
    /// Config file (hadolint's `.hadolint.yaml` keys plus Layerlens's); replaces discovery.
    #[arg(long, short = 'c')]
    pub config: Option<PathBuf>,
    /// Ignore a rule (repeatable): its findings are neither fixed nor guarded.
    #[arg(long = "ignore", value_name = "CODE")]
    pub ignore: Vec<String>,
    /// The stage the build targets (default: the last stage).
    #[arg(long)]
    pub target: Option<String>,
    /// The build context's .dockerignore (default: the one next to the Dockerfile).
    #[arg(long)]
    pub dockerignore: Option<PathBuf>,
}

impl CommonArgs {
    /// The .dockerignore that applies to `dockerfile`.
    pub fn dockerignore_for(&self, dockerfile: &Path) -> Option<Dockerignore> {
        let candidates: Vec<PathBuf> = match &self.dockerignore {
            Some(p) => vec![p.clone()],
            None => {
                let dir = dockerfile.parent().unwrap_or(Path::new("."));
                let own = dockerfile
                    .file_name()
                    .map(|n| dir.join(format!("{}.dockerignore", n.to_string_lossy())));
                own.into_iter().chain([dir.join(".dockerignore")]).collect()
            }
        };
        candidates
            .iter()
            .find_map(|p| std::fs::read_to_string(p).ok())
            .map(|t| Dockerignore::parse(&t))
    }
}

/// The lint configuration: environment, config files (or `--config`), `--ignore`, `--target`.
pub fn load_config(args: &CommonArgs) -> Result<Config, String> {
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
        config_file::load_into(&path, &mut config)?;
    }
    config.ignored.extend(args.ignore.iter().cloned());
    if let Some(t) = &args.target {
        config.target = Some(t.clone());
    }
    Ok(config)
}

/// Prints `FILE:LINE:COL: message` for each syntax error; whether there were any.
pub fn report_syntax_errors(path: &Path, text: &str) -> bool {
    let model = Model::parse(text);
    let index = LineIndex::new(&model.doc.text);
    let mut any = false;
    for error in model.doc.errors.iter().chain(&model.errors) {
        let at = index.line_col(&model.doc.text, error.span.start);
        eprintln!(
            "{}:{}:{}: {}",
            path.display(),
            at.line,
            at.column,
            error.message
        );
        any = true;
    }
    any
}

#[derive(clap::Args)]
pub struct Args {
    /// Also make changes that may change what the image contains or does.
    #[arg(long = "unsafe")]
    unsafe_changes: bool,
    /// List the changes, their reasons and estimated effects on stderr.
    #[arg(long)]
    explain: bool,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    format: OptimizeFormat,
    /// Switch a kind of change off (repeatable).
    #[arg(long = "skip", value_enum, value_name = "KIND")]
    skip: Vec<Skip>,
    /// Add BuildKit cache mounts even when the file does not opt into BuildKit.
    #[arg(long)]
    buildkit: bool,
    #[command(flatten)]
    common: CommonArgs,
    /// The Dockerfile.
    file: PathBuf,
}

pub fn run(args: &Args) -> ExitCode {
    let config = match load_config(&args.common) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("layerlens: {e}");
            return ExitCode::from(2);
        }
    };
    let text = match read_dockerfile(&args.file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("layerlens: {e}");
            return ExitCode::from(1);
        }
    };
    if report_syntax_errors(&args.file, &text) {
        return ExitCode::from(1);
    }
    if let Some(t) = &config.target {
        let model = Model::parse(&text);
        if model.target_stage(Some(t)).is_none() {
            eprintln!(
                "layerlens: {}: no build stage named `{t}`",
                args.file.display()
            );
            return ExitCode::from(2);
        }
    }
    let mut moves = Moves::all();
    for s in &args.skip {
        match s {
            Skip::Fixes => moves.fixes = false,
            Skip::Reorder => moves.reorder = false,
            Skip::MergeRuns => moves.merge_runs = false,
            Skip::CacheMounts => moves.cache_mounts = false,
            Skip::StageSplit => moves.stage_split = false,
            Skip::NonRoot => moves.non_root = false,
            Skip::ExecForm => moves.exec_form = false,
            Skip::Workdir => moves.workdir = false,
            Skip::Dockerignore => moves.dockerignore = false,
        }
    }
    let options = OptimizeOptions {
        allow_unsafe: args.unsafe_changes,
        moves,
        assume_buildkit: args.buildkit,
        dockerignore: args.common.dockerignore_for(&args.file),
        config,
        context_size: None,
    };
    let result = optimize(&text, &options);
    match args.format {
        OptimizeFormat::Text => print!("{}", result.text),
        OptimizeFormat::Json => {
            if let Err(code) = super::print_json_report(&result, &args.file, SCHEMA_VERSION) {
                return code;
            }
        }
    }
    if args.explain {
        eprint!("{}", explain(&args.file, &text, &result));
    }
    ExitCode::SUCCESS
}

fn range(r: SizeRange) -> String {
    match r.max {
        Some(max) if max == r.min => human(max),
        Some(max) => format!("{}–{}", human(r.min), human(max)),
        None => format!("≥ {}", human(r.min)),
    }
}

fn saved(s: Saved) -> String {
    let signed = |b: i64| {
        if b < 0 {
            format!("-{}", human(b.unsigned_abs()))
        } else {
            human(b as u64)
        }
    };
    match s.high {
        Some(h) if h == s.low => signed(h),
        Some(h) => format!("{} – {}", signed(s.low), signed(h)),
        None if s.low > 0 => format!("at least {}", signed(s.low)),
        None => "unknown".into(),
    }
}

/// The change list for people: what, where, why, and the estimated effect.
pub fn explain(path: &Path, source: &str, r: &Optimized) -> String {
    let index = LineIndex::new(source);
    let mut out = String::new();
    if r.changes.is_empty() {
        out.push_str(&format!("{}: nothing to change\n", path.display()));
    }
    for (k, c) in r.changes.iter().enumerate() {
        let class = match c.applicability {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        };
        let lines: Vec<usize> = c
            .hunks
            .iter()
            .map(|h| index.line_col(source, h.original.start).line)
            .collect();
        let at = match (lines.iter().min(), lines.iter().max()) {
            (Some(a), Some(b)) if a == b => format!("line {a}"),
            (Some(a), Some(b)) => format!("lines {a}–{b}"),
            _ => String::new(),
        };
        out.push_str(&format!(
            "{}. {} [{}; {}] ({at})\n",
            k + 1,
            c.title,
            c.rules.join(", "),
            class
        ));
        if !c.moved.is_empty() {
            out.push_str(&format!("   what: {}\n", c.moved));
        }
        if !c.why.is_empty() {
            out.push_str(&format!("   why: {}\n", c.why));
        }
        out.push_str(&format!("   effect (estimated): {}\n", c.effect.summary));
    }
    let b = &r.totals.before;
    let a = &r.totals.after;
    out.push_str(&format!(
        "totals (estimated): size {} → {} (saves {}), layers {} → {}, steps a code change reruns {} → {}, findings {} → {}\n",
        range(b.size_bytes),
        range(a.size_bytes),
        saved(r.totals.bytes_saved),
        b.layers,
        a.layers,
        b.rebuilt_on_code_change,
        a.rebuilt_on_code_change,
        b.findings,
        a.findings
    ));
    let unsafe_left: Vec<&str> = r
        .skipped
        .iter()
        .filter(|s| s.reason.starts_with("unsafe"))
        .map(|s| s.title.as_str())
        .collect();
    if !unsafe_left.is_empty() {
        out.push_str(&format!("with --unsafe also: {}\n", unsafe_left.join("; ")));
    }
    for s in r.skipped.iter().filter(|s| !s.reason.starts_with("unsafe")) {
        out.push_str(&format!("not done: {} — {}\n", s.title, s.reason));
    }
    if let Some(d) = &r.dockerignore {
        out.push_str(&format!(
            "proposed .dockerignore{} (for the COPY of the whole context on line {}):\n",
            if d.extends_existing {
                " (additions to the existing one)"
            } else {
                ""
            },
            d.line
        ));
        for e in &d.entries {
            out.push_str(&format!("   {:<16} # {}\n", e.pattern, e.why));
        }
    }
    out
}
