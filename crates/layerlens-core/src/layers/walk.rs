//! Builds every stage in the mind: the file model of each stage and the estimate of each
//! instruction's layer (base image, RUN, COPY/ADD, WORKDIR, metadata).

use crate::instructions::{ImageRef, Source, Typed};
use crate::knowledge::{self, TagMatch};
use crate::model::{join_path, Base, Model};

use super::commands::{interpret_run, LayerWriter, RunContext};
use super::files::{FileChange, FileKind, FileSystem};
use super::ledger::stage_of;
use super::size::{
    compressed, default_part, uncompressed, unknown_part, Confidence, Estimate, SizePart, SizeRange,
};
use super::LayerOptions;

/// What the walk found for one instruction.
#[derive(Clone, Debug)]
pub(super) struct Walked {
    pub estimate: Estimate,
    /// Compressed (pull/push) size.
    pub pull: SizeRange,
    pub changes: Vec<FileChange>,
    pub notes: Vec<String>,
    /// Filesystem layers of a base image, when the table knows them.
    pub base_layers: Option<u32>,
}

impl Walked {
    fn metadata(note: &str) -> Walked {
        Walked {
            estimate: Estimate::zero(note),
            pull: SizeRange::ZERO,
            changes: Vec::new(),
            notes: Vec::new(),
            base_layers: None,
        }
    }
}

/// The walk's result: per instruction (`None` for global ARGs) and each stage's final files.
pub(super) struct WalkResult {
    pub instructions: Vec<Option<Walked>>,
    pub stage_files: Vec<FileSystem>,
}

/// The estimate of a base image: on-disk size (measured, or derived from the compressed
/// size), pull size, and how its tag was matched.
pub(super) fn base_image(image: &ImageRef) -> (Estimate, SizeRange, Option<u32>) {
    let Some(facts) = knowledge::image_size_facts(image) else {
        let part = unknown_part(
            format!("base image {}", image.raw),
            "not in base_image_sizes.tsv",
        );
        return (
            Estimate {
                bytes: SizeRange::UNKNOWN,
                confidence: Confidence::Unknown,
                note: format!(
                    "{} is not in the size table: its size is unknown",
                    image.raw
                ),
                parts: vec![part],
            },
            SizeRange::UNKNOWN,
            None,
        );
    };
    let (lo, hi, how) = match facts.matched {
        TagMatch::Exact => (
            1.0,
            1.0,
            format!("figures measured for {}", facts.measured_tag()),
        ),
        other => {
            let spread = knowledge::layer_default("neighbour_version")
                .map(|d| (d.low, d.high))
                .unwrap_or((1.0, 1.0));
            let why = if other == TagMatch::Neighbour {
                format!(
                    "{} is not in the table: figures of {} widened by {:.0}% each way",
                    image.raw,
                    facts.measured_tag(),
                    (spread.1 - 1.0) * 100.0
                )
            } else {
                format!(
                    "{} names no version: figures of {} (the table's latest) widened by {:.0}% each way",
                    image.raw,
                    facts.measured_tag(),
                    (spread.1 - 1.0) * 100.0
                )
            };
            (spread.0, spread.1, why)
        }
    };
    let pull = SizeRange::mb(facts.compressed.low, facts.compressed.high).scale(lo, hi);
    let exact = facts.matched == TagMatch::Exact;
    let (disk, confidence, basis) = match facts.disk {
        Some(d) => (
            SizeRange::mb(d.low, d.high).scale(lo, hi),
            if exact {
                Confidence::Measured
            } else {
                Confidence::Approximate
            },
            "on-disk size measured",
        ),
        None => (
            uncompressed(pull),
            Confidence::Approximate,
            "on-disk size derived from the pull size × the compression ratio (layer_defaults.tsv)",
        ),
    };
    let note = format!("{how}; {basis}; pull size {pull}");
    let part = SizePart {
        what: format!("base image {}", image.raw),
        bytes: disk,
        confidence,
        source: format!("base_image_sizes.tsv: {}", facts.source),
    };
    (
        Estimate {
            bytes: disk,
            confidence,
            note,
            parts: vec![part],
        },
        pull,
        facts.layers,
    )
}

/// `python3.13` for a stage whose root image is `python:3.13-*`, else `python3`.
fn python_dir(model: &Model, stage: usize) -> String {
    let mut s = stage;
    for _ in 0..model.stages.len() {
        match model.stages.get(s).map(|st| &st.base) {
            Some(Base::Stage(p)) if *p < s => s = *p,
            Some(Base::Image(image)) if image.name == "python" => {
                let tag = image.tag.as_deref().unwrap_or("");
                let v: String = tag
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '.')
                    .collect();
                let parts: Vec<&str> = v.split('.').filter(|p| !p.is_empty()).collect();
                if parts.len() >= 2 {
                    return format!("python{}.{}", parts[0], parts[1]);
                }
                break;
            }
            _ => break,
        }
    }
    "python3".to_string()
}

/// Walks every stage.
pub(super) fn walk(model: &Model, options: &LayerOptions) -> WalkResult {
    let n = model.doc.instructions.len();
    let mut instructions: Vec<Option<Walked>> = vec![None; n];
    let mut stage_files: Vec<FileSystem> = Vec::with_capacity(model.stages.len());
    for stage in &model.stages {
        let from = stage.from;
        let mut fs = FileSystem::default();
        let walked_from = match &stage.base {
            Base::Image(image) => {
                let (estimate, pull, layers) = base_image(image);
                fs.write(
                    from,
                    "base",
                    "/",
                    &format!("base image {}", image.raw),
                    FileKind::BaseImage,
                    estimate.bytes,
                );
                Walked {
                    changes: fs.changes_of(from),
                    estimate,
                    pull,
                    notes: Vec::new(),
                    base_layers: layers,
                }
            }
            Base::Unresolved => {
                fs.write(
                    from,
                    "base",
                    "/",
                    "base image",
                    FileKind::BaseImage,
                    SizeRange::UNKNOWN,
                );
                let mut w = Walked::metadata("");
                w.estimate = Estimate::from_parts(
                    vec![unknown_part(
                        format!("base image {}", stage.base_expanded),
                        "the base could not be resolved",
                    )],
                    "",
                );
                w.pull = SizeRange::UNKNOWN;
                w
            }
            Base::Stage(parent) => {
                if let Some(parent_fs) = stage_files.get(*parent) {
                    fs = parent_fs.clone();
                }
                let label = model
                    .stages
                    .get(*parent)
                    .map(|s| s.label())
                    .unwrap_or_default();
                Walked::metadata(&format!(
                    "continues stage {label}: its layers are counted there"
                ))
            }
            Base::Scratch => Walked::metadata("scratch: an empty filesystem, no layer"),
        };
        if from < n {
            instructions[from] = Some(walked_from);
        }
        for &i in &stage.instructions {
            let walked = instruction(model, options, i, stage.index, &mut fs, &stage_files);
            if i < n {
                instructions[i] = Some(walked);
            }
        }
        stage_files.push(fs);
    }
    WalkResult {
        instructions,
        stage_files,
    }
}

fn layer(estimate: Estimate, fs: &FileSystem, i: usize, notes: Vec<String>) -> Walked {
    Walked {
        pull: compressed(estimate.bytes),
        estimate,
        changes: fs.changes_of(i),
        notes,
        base_layers: None,
    }
}

fn instruction(
    model: &Model,
    options: &LayerOptions,
    i: usize,
    stage: usize,
    fs: &mut FileSystem,
    stage_files: &[FileSystem],
) -> Walked {
    let workdir = model
        .contexts
        .get(i)
        .map(|c| c.workdir.clone())
        .unwrap_or_else(|| "/".into());
    match model.typed.get(i) {
        Some(Typed::Run(_)) => {
            let ctx = RunContext {
                model,
                i,
                workdir,
                python: python_dir(model, stage),
            };
            let mut w = LayerWriter::new(i, fs);
            interpret_run(&ctx, &mut w);
            let (parts, notes) = w.into_parts();
            let estimate =
                Estimate::from_parts(parts, "writes nothing the tables know of (an empty layer)");
            layer(estimate, fs, i, notes)
        }
        Some(Typed::Copy(copy)) => {
            let from = copy.from.as_ref().map(|f| f.value.as_str());
            let parts = copy_layer(
                model,
                options,
                i,
                &workdir,
                &copy.sources,
                &copy.dest.value,
                from,
                false,
                fs,
                stage_files,
            );
            let estimate = Estimate::from_parts(parts, "copies nothing");
            layer(estimate, fs, i, Vec::new())
        }
        Some(Typed::Add(add)) => {
            let parts = copy_layer(
                model,
                options,
                i,
                &workdir,
                &add.sources,
                &add.dest.value,
                None,
                true,
                fs,
                stage_files,
            );
            let estimate = Estimate::from_parts(parts, "adds nothing");
            layer(estimate, fs, i, Vec::new())
        }
        Some(Typed::Workdir(_))
            if super::ledger::effect(model, i) == super::ledger::Effect::Layer =>
        {
            let mut w = Walked::metadata("creates the working directory: an empty directory, no file content (an empty layer if it exists)");
            w.changes = Vec::new();
            w
        }
        Some(Typed::Onbuild(_)) => Walked::metadata(
            "ONBUILD: runs only in images built FROM this one; no history entry here",
        ),
        Some(Typed::Invalid) | None => {
            Walked::metadata("not a valid instruction: BuildKit would stop here")
        }
        Some(_) => Walked::metadata("image metadata only: no filesystem layer"),
    }
}

fn is_whole_context(source: &str) -> bool {
    matches!(
        source.trim_matches('"'),
        "." | "./" | "*" | "./*" | "/" | "./." | ".*"
    )
}

fn basename(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

fn is_archive(path: &str) -> bool {
    [
        ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst",
    ]
    .iter()
    .any(|e| path.ends_with(e))
}

#[allow(clippy::too_many_arguments)]
fn copy_layer(
    model: &Model,
    options: &LayerOptions,
    i: usize,
    workdir: &str,
    sources: &[Source],
    dest: &str,
    from: Option<&str>,
    is_add: bool,
    fs: &mut FileSystem,
    stage_files: &[FileSystem],
) -> Vec<SizePart> {
    let dest_raw = model.expand(i, dest).unwrap_or_else(|_| dest.to_string());
    let dest_abs = join_path(workdir, &dest_raw);
    let dest_is_dir = dest_raw.ends_with('/') || dest_raw == "." || sources.len() > 1;
    let current = model.contexts.get(i).and_then(|c| c.stage);
    let mut w = LayerWriter::new(i, fs);
    let mut context_sources: Vec<String> = Vec::new();
    let mut only_manifests = true;
    for source in sources {
        let raw = match source {
            Source::Heredoc { word, index } => {
                let bytes = model
                    .doc
                    .instructions
                    .get(i)
                    .and_then(|ins| ins.heredocs.get(*index))
                    .map(|h| h.content.len() as u64)
                    .unwrap_or(0);
                let name = word
                    .value
                    .trim_start_matches(['<', '-'])
                    .trim_matches(['"', '\'']);
                let key = w.key("heredoc");
                let path = if dest_is_dir {
                    format!("{}/{name}", dest_abs.trim_end_matches('/'))
                } else {
                    dest_abs.clone()
                };
                w.write(
                    &key,
                    &path,
                    FileKind::Context,
                    SizePart {
                        what: format!("inline file {name}"),
                        bytes: SizeRange::exact(bytes),
                        confidence: Confidence::Exact,
                        source: "the heredoc's text in the Dockerfile".into(),
                    },
                );
                continue;
            }
            Source::Path(t) => model
                .expand(i, &t.value)
                .unwrap_or_else(|_| t.value.clone()),
        };
        if let Some(from) = from {
            copy_from(
                model,
                &mut w,
                &raw,
                &dest_abs,
                dest_is_dir,
                from,
                current,
                stage_files,
            );
            continue;
        }
        if raw.contains("://") || raw.starts_with("git@") {
            let key = w.key("download");
            let path = if dest_is_dir {
                format!("{}/{}", dest_abs.trim_end_matches('/'), basename(&raw))
            } else {
                dest_abs.clone()
            };
            w.write(
                &key,
                &path,
                FileKind::Download,
                unknown_part(
                    format!("remote {raw}"),
                    "the size of a remote file is not known without fetching it",
                ),
            );
            continue;
        }
        if !knowledge::is_manifest_file(basename(&raw)) {
            only_manifests = false;
        }
        context_sources.push(raw);
    }
    let whole = context_sources.iter().any(|s| is_whole_context(s));
    let extracted = is_add && context_sources.iter().any(|s| is_archive(s));
    for source in &context_sources {
        let what = format!("build context: {source}");
        let manifest = knowledge::is_manifest_file(basename(source));
        let part = if only_manifests || (manifest && !whole) {
            default_part("manifest_files", what)
        } else {
            match options.context_size {
                Some(size) if whole && !extracted => SizePart {
                    what,
                    bytes: SizeRange::exact(size),
                    confidence: Confidence::Measured,
                    source: "the build context size given (what .dockerignore leaves)".into(),
                },
                Some(size) if !extracted => SizePart {
                    what,
                    bytes: SizeRange::between(0, size),
                    confidence: Confidence::Approximate,
                    source: "part of the build context: at most the context size given".into(),
                },
                _ if extracted => unknown_part(
                    what,
                    "ADD extracts the archive: its unpacked size is not known",
                ),
                _ => unknown_part(
                    what,
                    "build context files: their size is unknown unless a context size is given",
                ),
            }
        };
        let single_file =
            !is_whole_context(source) && !source.ends_with('/') && basename(source).contains('.');
        let path = if dest_is_dir && single_file {
            format!("{}/{}", dest_abs.trim_end_matches('/'), basename(source))
        } else {
            dest_abs.clone()
        };
        let key = w.key("context");
        w.write(&key, &path, FileKind::Context, part);
        if whole && options.context_size.is_some() {
            // The whole context was sized once; other sources of the same COPY are in it.
            break;
        }
    }
    let (parts, _) = w.into_parts();
    parts
}

/// `COPY --from=<stage|image> source dest`: what the source stage's file model holds there.
#[allow(clippy::too_many_arguments)]
fn copy_from(
    model: &Model,
    w: &mut LayerWriter,
    source: &str,
    dest_abs: &str,
    dest_is_dir: bool,
    from: &str,
    current: Option<usize>,
    stage_files: &[FileSystem],
) {
    let src = join_path("/", source);
    let Some(stage) = stage_of(model, from, current) else {
        let key = w.key("copy");
        w.write(
            &key,
            dest_abs,
            FileKind::Copied,
            unknown_part(
                format!("{src} from image {from}"),
                "files of an image are not broken down by path",
            ),
        );
        return;
    };
    let label = model
        .stages
        .get(stage)
        .map(|s| s.label())
        .unwrap_or_default();
    let Some(files) = stage_files.get(stage) else {
        return;
    };
    let matched = files.under(&src);
    if matched.is_empty() {
        let key = w.key("copy");
        w.write(&key, dest_abs, FileKind::Copied, unknown_part(
            format!("{src} from stage {label}"),
            "not written by any instruction the layer view understands (a file of the base image, or of an unknown command)",
        ));
        return;
    }
    let target_base = if dest_is_dir && !dest_abs.ends_with(basename(&src)) {
        format!("{}/{}", dest_abs.trim_end_matches('/'), basename(&src))
    } else {
        dest_abs.to_string()
    };
    for (at, rest) in matched {
        let Some(unit) = files.units.get(at) else {
            continue;
        };
        let line = unit
            .created_by()
            .and_then(|c| model.doc.instructions.get(c))
            .map(|ins| ins.start_line)
            .unwrap_or(0);
        let (path, bytes, confidence, how) = match rest {
            Some(rest) if rest.is_empty() => (
                target_base.clone(),
                unit.bytes,
                Confidence::Approximate,
                "all of",
            ),
            Some(rest) => (
                format!("{}/{rest}", target_base.trim_end_matches('/')),
                unit.bytes,
                Confidence::Approximate,
                "all of",
            ),
            None => (
                target_base.clone(),
                SizeRange {
                    min: 0,
                    max: unit.bytes.max,
                },
                Confidence::Approximate,
                "part of",
            ),
        };
        let confidence = if bytes.is_known() {
            confidence
        } else {
            Confidence::Unknown
        };
        let key = w.key("copy");
        w.write(
            &key,
            &path,
            FileKind::Copied,
            SizePart {
                what: format!("{src} from stage {label} ({})", unit.what),
                bytes,
                confidence,
                source: format!(
                    "{how} what line {line} of stage {label} wrote there ({})",
                    unit.what
                ),
            },
        );
    }
}
