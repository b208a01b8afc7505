//! `layerlens layers`: the predicted layers of the image a Dockerfile builds, like
//! `docker history` (bottom to top), with estimated sizes, dive's predicted verdict and,
//! with `--changed`, what a rebuild would reuse.
//!
//! `--format json` is a stable contract: the core's `LayerReport` plus `file` and
//! `schema_version`; see `tests/layers_cli.rs`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use layerlens_core::dockerignore::Dockerignore;
use layerlens_core::layers::{
    analyze, parse_size, preset_changes, Change, InstructionLayer, LayerOptions, LayerReport,
    PresetKind, SizeRange,
};
use layerlens_core::model::Model;
use layerlens_core::text::LineIndex;

use crate::input::read_dockerfile;

/// Version of the JSON output; bumped only for incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LayersFormat {
    Tty,
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "tty")]
    format: LayersFormat,
    /// The stage to build (default: the last stage).
    #[arg(long)]
    target: Option<String>,
    /// A file (or glob) of the build context that changed; repeatable.
    #[arg(long = "changed", value_name = "PATH")]
    changed: Vec<String>,
    /// A build argument whose value changed; repeatable.
    #[arg(long = "changed-arg", value_name = "NAME")]
    changed_arg: Vec<String>,
    /// The base images moved to a new digest.
    #[arg(long = "changed-base")]
    changed_base: bool,
    /// The instruction at this line was edited; repeatable.
    #[arg(long = "changed-line", value_name = "LINE")]
    changed_line: Vec<usize>,
    /// A preset change: application-code, dependency-manifest, system-packages, base-image.
    #[arg(long, value_name = "PRESET")]
    preset: Option<String>,
    /// The build context's .dockerignore (default: the one next to the Dockerfile).
    #[arg(long)]
    dockerignore: Option<PathBuf>,
    /// Size of the build context (`120MB`, `1.5GiB`, bytes), to size COPYs of it.
    #[arg(long, value_name = "SIZE")]
    context_size: Option<String>,
    /// The Dockerfile.
    file: PathBuf,
}

pub fn run(args: &Args) -> ExitCode {
    let source = match read_dockerfile(&args.file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("layerlens: {e}");
            return ExitCode::from(1);
        }
    };
    let model = Model::parse(&source);
    let options = match options(args, &model) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("layerlens: {e}");
            return ExitCode::from(2);
        }
    };
    let report = analyze(&model, &options);
    // Syntax errors: reported with positions, as `lint` does, and the exit code is 1.
    let index = LineIndex::new(&model.doc.text);
    let mut failed = false;
    for error in model.doc.errors.iter().chain(&model.errors) {
        let at = index.line_col(&model.doc.text, error.span.start);
        eprintln!(
            "{}:{}:{}: {}",
            args.file.display(),
            at.line,
            at.column,
            error.message
        );
        failed = true;
    }
    match args.format {
        LayersFormat::Json => {
            if let Err(code) = super::print_json_report(&report, &args.file, SCHEMA_VERSION) {
                return code;
            }
        }
        LayersFormat::Tty => print!("{}", render(&args.file, &model, &report, &options)),
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn options(args: &Args, model: &Model) -> Result<LayerOptions, String> {
    let file = args.file.display();
    if let Some(t) = &args.target {
        if model.target_stage(Some(t)).is_none() {
            let names: Vec<String> = model.stages.iter().filter_map(|s| s.name.clone()).collect();
            return Err(format!(
                "{file}: no build stage named `{t}` (stages: {})",
                if names.is_empty() {
                    "none named".to_string()
                } else {
                    names.join(", ")
                }
            ));
        }
    }
    let context_size = match &args.context_size {
        Some(s) => Some(parse_size(s).ok_or_else(|| {
            format!("invalid --context-size `{s}` (examples: 120MB, 1.5GiB, 2048)")
        })?),
        None => None,
    };
    let dockerignore = dockerignore_for(&args.file, args.dockerignore.as_deref())?;
    let mut options = LayerOptions {
        target: args.target.clone(),
        dockerignore,
        context_size,
        changes: Vec::new(),
    };
    let mut changes: Vec<Change> = args
        .changed
        .iter()
        .map(|p| Change::File { path: p.clone() })
        .collect();
    changes.extend(
        args.changed_arg
            .iter()
            .map(|n| Change::Arg { name: n.clone() }),
    );
    if args.changed_base {
        changes.push(Change::BaseImage { image: None });
    }
    for &line in &args.changed_line {
        let index = model
            .doc
            .instructions
            .iter()
            .position(|i| i.start_line <= line && line <= i.end_line)
            .ok_or_else(|| format!("{file}: no instruction at line {line}"))?;
        changes.push(Change::Instruction { index });
    }
    if let Some(p) = &args.preset {
        let kind = PresetKind::from_name(p).ok_or_else(|| {
            format!("unknown preset `{p}` (application-code, dependency-manifest, system-packages, base-image)")
        })?;
        let resolved = preset_changes(model, &options, kind);
        if resolved.is_empty() {
            eprintln!("layerlens: preset `{p}` matches nothing in {file}");
        }
        changes.extend(resolved);
    }
    options.changes = changes;
    Ok(options)
}

/// The explicit .dockerignore, else `<Dockerfile>.dockerignore` or `.dockerignore` beside it.
fn dockerignore_for(
    dockerfile: &Path,
    explicit: Option<&Path>,
) -> Result<Option<Dockerignore>, String> {
    if let Some(p) = explicit {
        return std::fs::read_to_string(p)
            .map(|t| Some(Dockerignore::parse(&t)))
            .map_err(|e| format!("{}: {e}", p.display()));
    }
    let dir = dockerfile.parent().unwrap_or(Path::new("."));
    let specific = dockerfile
        .file_name()
        .map(|n| dir.join(format!("{}.dockerignore", n.to_string_lossy())));
    Ok(specific
        .into_iter()
        .chain([dir.join(".dockerignore")])
        .find_map(|p| std::fs::read_to_string(p).ok())
        .map(|t| Dockerignore::parse(&t)))
}

fn size(r: SizeRange) -> String {
    r.to_string()
}

fn percent(x: f64) -> String {
    format!("{:.0} %", (x * 100.0).clamp(0.0, 100.0))
}

fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        s.chars().take(width.saturating_sub(1)).collect::<String>() + "…"
    }
}

fn cache_cell(x: &InstructionLayer) -> String {
    match (&x.cached, &x.reason) {
        (Some(Some(true)), _) => "cached".into(),
        (Some(Some(false)), Some(Some(reason))) if x.first_miss == Some(true) => {
            format!("REBUILT ← {reason}")
        }
        (Some(Some(false)), _) => "rebuilt".into(),
        (Some(None), _) => "not built".into(),
        _ => String::new(),
    }
}

/// The ledger like `docker history`: per stage, newest layer first.
fn render(path: &Path, model: &Model, r: &LayerReport, options: &LayerOptions) -> String {
    let mut out = String::new();
    let simulating = r.cache.is_some();
    let _ = writeln!(
        out,
        "{}: {} stage(s); sizes are estimates (ranges, on disk)",
        path.display(),
        r.stages.len()
    );
    for note in &r.notes {
        let _ = writeln!(out, "note: {note}");
    }
    for s in r.stages.iter().rev() {
        let role = if s.target {
            "target"
        } else if s.built {
            "built, not in the final image"
        } else {
            "not built for the target"
        };
        let _ = writeln!(
            out,
            "\nSTAGE {} (FROM {}) — {role} — image {} on disk, {} to pull, {} layer(s)",
            s.label,
            s.base,
            size(s.size_bytes),
            size(s.pull_bytes),
            s.layers
        );
        let _ = writeln!(
            out,
            "{:>5}  {:<52} {:>14}  {}",
            "LINE",
            "CREATED BY",
            "SIZE",
            if simulating { "CACHE" } else { "" }
        );
        let rows = std::iter::once(s.from).chain(s.instructions.iter().copied());
        let rows: Vec<usize> = rows.collect();
        for &i in rows.iter().rev() {
            let Some(x) = r.instructions.get(i) else {
                continue;
            };
            let size_cell = if x.creates_layer {
                size(x.size_bytes)
            } else {
                "0 B (config)".into()
            };
            let _ = writeln!(
                out,
                "{:>5}  {:<52} {:>14}  {}",
                x.line,
                truncate(&x.text, 52),
                size_cell,
                cache_cell(x)
            );
        }
    }
    let t = &r.totals;
    let target = r
        .target
        .and_then(|s| r.stages.get(s))
        .map(|s| s.label.clone())
        .unwrap_or_else(|| "-".into());
    let _ = writeln!(out, "\nFinal image (stage {target}):");
    let _ = writeln!(
        out,
        "  size        {} on disk, {} to pull (estimates)",
        size(t.size_bytes),
        size(t.pull_bytes)
    );
    let base_layers = t
        .base_image_layers
        .map(|n| format!(", the base image has {n}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "  layers      {} (the base image counted as one{base_layers}){}",
        t.layers,
        if t.unknown_layers > 0 {
            format!("; {} of unknown size", t.unknown_layers)
        } else {
            String::new()
        }
    );
    let eff = if (t.efficiency.max - t.efficiency.min).abs() < 0.005 {
        percent(t.efficiency.min)
    } else {
        format!(
            "{}–{}",
            percent(t.efficiency.min),
            percent(t.efficiency.max)
        )
    };
    let _ = writeln!(
        out,
        "  efficiency  {eff} (predicted dive score)\n  wasted      {} (dive counts {})",
        size(t.wasted_bytes_corrected),
        size(t.wasted_bytes)
    );
    let unknown_context_copy = r.instructions.iter().any(|x| {
        x.in_final_image
            && !x.size_bytes.is_known()
            && x.files
                .iter()
                .any(|f| f.kind == layerlens_core::layers::FileKind::Context)
    });
    if options.context_size.is_none() && unknown_context_copy {
        let _ = writeln!(
            out,
            "  hint        give --context-size to size COPYs of the build context"
        );
    }
    let line = |i: usize| {
        model
            .doc
            .instructions
            .get(i)
            .map(|x| x.start_line)
            .unwrap_or(0)
    };
    if !r.waste.is_empty() {
        let _ = writeln!(out, "\nWasted space:");
        for w in &r.waste {
            let _ = writeln!(
                out,
                "  {:>14}  {} — {} (line {}), then line {}\n                  fix: {}",
                size(w.wasted_bytes),
                w.path,
                w.what,
                line(w.created_by),
                line(w.caused_by),
                w.fix
            );
        }
    }
    if !r.leftovers.is_empty() {
        let _ = writeln!(out, "\nLeft in the image:");
        for l in &r.leftovers {
            let _ = writeln!(
                out,
                "  {:>14}  {} — {} (line {})\n                  fix: {}",
                size(l.bytes),
                l.path,
                l.what,
                line(l.instruction),
                l.fix
            );
        }
    }
    if let Some(c) = &r.cache {
        let _ = writeln!(out, "\nRebuild:");
        for m in &c.first_miss {
            let label = r
                .stages
                .get(m.stage)
                .map(|s| s.label.clone())
                .unwrap_or_default();
            match (m.line, &m.reason) {
                (Some(l), Some(reason)) => {
                    let _ = writeln!(out, "  stage {label}: rebuilt from line {l} ({reason})");
                }
                _ => {
                    let _ = writeln!(out, "  stage {label}: fully cached");
                }
            }
        }
        let _ = writeln!(
            out,
            "  {} layer(s) rebuilt; {} of the final image to push again",
            c.rebuilt_layers,
            size(c.rebuilt_bytes)
        );
    }
    out
}
