//! The optimizer: the whole Dockerfile rewritten the way the guide teaches, with every change
//! explained and its effect estimated from the layer model.
//!
//! [`optimize`] alternates two kinds of step until neither finds anything more to do:
//!
//! - **structural moves** (one file each): reorder for caching (`reorder.rs`), merge RUNs and
//!   move cleanup (`merge.rs`), cache mounts (`cache_mounts.rs`), builder/runtime stage split
//!   (`stage_split.rs`), non-root user (`non_root.rs`), exec-form CMD/ENTRYPOINT
//!   (`exec_form.rs`) and WORKDIR instead of `cd` (`workdir.rs`);
//! - **rule fixes** (`fixes.rs`): whatever fixes the lint rules attach to their findings,
//!   applied one rule at a time and re-linted after each, up to a fixed point.
//!
//! Every step is a set of plain text edits on the current text, so whatever a step does not
//! touch stays byte for byte (comments, blank lines, the file's own layout), and a file with
//! nothing to improve comes back unchanged. Before a step is kept, the engine (`engine.rs`)
//! checks the invariants (`guards.rs`): the result parses with no new error, has no finding
//! the input did not have, keeps every comment, keeps every stage the target needs, and the
//! final image keeps its CMD, ENTRYPOINT, EXPOSE, ENV, VOLUME, STOPSIGNAL, LABEL, HEALTHCHECK,
//! WORKDIR and USER (USER may change only by the non-root move, WORKDIR only by the WORKDIR
//! move). A step that fails a check is dropped and listed in [`Optimized::skipped`] with
//! the reason. The `.dockerignore` proposal (`dockerignore.rs`) is returned beside the text,
//! never edited into it.
//!
//! Each move is classed **safe** (cannot change what the image contains or does) or
//! **unsafe** (may change it; only with [`OptimizeOptions::allow_unsafe`]); the class and the
//! guard conditions of each move are documented on [`MoveKind`] and in the move's file.
//!
//! Positions are byte ranges in the original text and in the output text ([`Hunk`]), so a
//! front end can label each hunk of a diff with the change that made it.

mod cache_mounts;
mod dockerignore;
mod effects;
mod engine;
mod exec_form;
mod facts;
mod fixes;
mod guards;
mod merge;
mod non_root;
mod reorder;
mod spans;
mod stage_split;
mod text;
mod workdir;

use serde::Serialize;

use crate::dockerignore::Dockerignore;
use crate::fix::Applicability;
use crate::layers::SizeRange;
use crate::rules::Config;
use crate::text::Span;

pub use dockerignore::{DockerignoreEntry, DockerignoreProposal};

/// What the optimizer may do.
#[derive(Clone, Debug, Default)]
pub struct OptimizeOptions {
    /// Also make changes that may change what the image contains or does (unsafe moves and
    /// unsafe rule fixes). Off by default.
    pub allow_unsafe: bool,
    /// Which kinds of change to make.
    pub moves: Moves,
    /// Add BuildKit cache mounts even when the file does not opt into BuildKit (the file
    /// then gets a `# syntax=docker/dockerfile:1` line as well).
    pub assume_buildkit: bool,
    /// Lint configuration (ignored rules, trusted registries, the target stage...).
    pub config: Config,
    /// The build context's `.dockerignore`, when known.
    pub dockerignore: Option<Dockerignore>,
    /// Size of the build context in bytes, when known (sizes `COPY . .` in the estimates).
    pub context_size: Option<u64>,
}

impl OptimizeOptions {
    /// Every move, safe and unsafe.
    pub fn with_unsafe() -> Self {
        OptimizeOptions {
            allow_unsafe: true,
            ..Default::default()
        }
    }
}

/// Switches for each kind of change; all on by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Moves {
    /// Fixes attached to lint findings.
    pub fixes: bool,
    /// Copy dependency manifests and install before copying the application.
    pub reorder: bool,
    /// Merge RUNs that belong together, move cleanup into the layer that made the files,
    /// drop cleanup layers that delete nothing.
    pub merge_runs: bool,
    /// BuildKit cache mounts for package managers.
    pub cache_mounts: bool,
    /// Builder and runtime stages when tools are installed only to build.
    pub stage_split: bool,
    /// Run the final image as a non-root user.
    pub non_root: bool,
    /// Exec-form CMD and ENTRYPOINT.
    pub exec_form: bool,
    /// WORKDIR instead of a leading `cd` in RUN.
    pub workdir: bool,
    /// Propose a `.dockerignore` when the whole context is copied.
    pub dockerignore: bool,
}

impl Default for Moves {
    fn default() -> Self {
        Moves::all()
    }
}

impl Moves {
    pub const fn all() -> Moves {
        Moves {
            fixes: true,
            reorder: true,
            merge_runs: true,
            cache_mounts: true,
            stage_split: true,
            non_root: true,
            exec_form: true,
            workdir: true,
            dockerignore: true,
        }
    }

    pub const fn none() -> Moves {
        Moves {
            fixes: false,
            reorder: false,
            merge_runs: false,
            cache_mounts: false,
            stage_split: false,
            non_root: false,
            exec_form: false,
            workdir: false,
            dockerignore: false,
        }
    }

    /// Whether changes of `kind` are switched on.
    pub fn allows(&self, kind: MoveKind) -> bool {
        match kind {
            MoveKind::Fix => self.fixes,
            MoveKind::Reorder => self.reorder,
            MoveKind::MergeRuns | MoveKind::MoveCleanup | MoveKind::RemoveNoopCleanup => {
                self.merge_runs
            }
            MoveKind::CacheMount => self.cache_mounts,
            MoveKind::StageSplit => self.stage_split,
            MoveKind::NonRoot => self.non_root,
            MoveKind::ExecForm => self.exec_form,
            MoveKind::Workdir => self.workdir,
        }
    }
}

/// The kinds of change, with their class and guards.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MoveKind {
    /// A fix a lint rule attached to a finding; its class is the rule's.
    Fix,
    /// **Unsafe.** `COPY <manifests>` + the install before `COPY . <dir>`, which moves below
    /// the install. Guards: the install reads only manifests (`pip install -r`, `npm ci`,
    /// `yarn install`, `pnpm install`, `go mod download`, `poetry install --no-root`,
    /// `uv sync --no-install-project`, `pipenv install`, `bundle install`, `composer install
    /// --no-scripts --no-autoloader`, `mvn dependency:go-offline`) and every other command of
    /// its RUN is a package-manager step; the manifests resolve into the copied directory;
    /// nothing between the COPY and the install reads or overwrites what the COPY wrote. Unsafe
    /// because a manifest can name other files of the context (`-r base.txt`, `-e .`, a local
    /// `replace`, a gemspec, npm lifecycle scripts) that the install would then not find.
    Reorder,
    /// **Unsafe.** Consecutive RUNs that belong together become one: `apt-get update` with the
    /// install that needs it, and an install with the RUNs up to and including the cleanup
    /// or removal of what it installed (adding `apt-get autoremove -y` after an apt removal).
    /// Guards: shell form, no heredocs, same flags, no shell comment at the end of a RUN, the
    /// earlier RUNs change no shell state (`cd`, `export`, `set`, ...), the later ones are
    /// plain `&&` chains, no pragma comment between them. Unsafe because a failing command now
    /// fails a bigger step and the build's layer boundaries change.
    MergeRuns,
    /// **Unsafe.** A cleanup-only RUN (apt lists, a downloaded file) whose files an earlier,
    /// non-adjacent RUN of the stage created moves into that RUN. Guards: nothing in between
    /// uses the files (no apt command in between for the lists; no mention of the file), and
    /// the creating RUN is a plain `&&` chain in shell form.
    MoveCleanup,
    /// **Unsafe.** A RUN that deletes nothing is dropped (an empty layer): a cleanup of apt
    /// lists an earlier RUN of the stage already deleted after its last update, with no apt
    /// command in between; or a RUN that only refreshes the apt lists and deletes them again.
    RemoveNoopCleanup,
    /// **Safe.** `RUN --mount=type=cache,target=<cache>` on installs by pip, npm, yarn, pnpm,
    /// poetry, uv, apt, apk, gem and bundler (in stages FROM `ruby`), Go (FROM `golang`) and
    /// cargo (FROM `rust`) when the file opts into BuildKit (a `# syntax=` line or a
    /// `RUN --mount` already present) or [`OptimizeOptions::assume_buildkit`] is set (then
    /// every mount comes in one change with the `# syntax=` line). Guards: the RUN runs as
    /// root with the manager's default cache location; nothing works from the cache alone
    /// (`--offline`, `bundle cache`...); cleanup of a mounted directory in the RUN can be
    /// dropped; apt and apk fetch their lists or index in the RUN, no earlier RUN left any
    /// there and none later reads what this RUN used to leave in the image; Go and cargo get
    /// the same mounts on every RUN of the stage that runs them. The cached downloads never
    /// reach the image and the installed result is the same. Details in `cache_mounts.rs`.
    CacheMount,
    /// **Unsafe.** A single-stage build that compiles becomes a builder stage plus a runtime
    /// stage: a Go binary on distroless, a Java jar on a JRE, Python packages installed with
    /// compilers copied (`pip install --prefix`) onto the same base without them, a Node
    /// build output (the directory `node` runs from) beside a production-only install of the
    /// same manifests on the same base. Guards: the final stage is FROM an image, the
    /// artefact is named literally, the run configuration (CMD, ENTRYPOINT, ENV, EXPOSE, ...)
    /// is re-declared in the runtime stage, which keeps the final stage's name. Unsafe
    /// because files the program reads at run time besides the artefact are left behind.
    StageSplit,
    /// **Unsafe.** A user created before the first COPY (or one the base already has: `node`,
    /// distroless `nonroot`, 65534 on scratch), `--chown` on the COPYs of the build context,
    /// and `USER <uid>` after the last build step. Guards: the final stage sets what runs (a
    /// CMD or ENTRYPOINT that is not an interpreter or shell alone), sets no USER, does not
    /// step down itself (gosu, su-exec, an entrypoint script, servers such as nginx), and its
    /// base is one whose user tools are known.
    NonRoot,
    /// **Unsafe.** `CMD python app.py` → `CMD ["python", "app.py"]` (also ENTRYPOINT). Guards:
    /// one simple command of plain words (no variables, globs, redirections or operators),
    /// the default shell, and for ENTRYPOINT no CMD after it in the stage. Unsafe because the
    /// process no longer runs under `/bin/sh` (signals reach it directly).
    ExecForm,
    /// A leading `cd /abs &&` in a RUN becomes `WORKDIR /abs`. **Safe** when nothing later in
    /// the stage (or a stage built FROM it) depends on the working directory before another
    /// absolute WORKDIR, and the directory is not the image's run-time directory; **unsafe**
    /// when only the run-time directory of the image changes. Otherwise not made.
    Workdir,
}

impl MoveKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MoveKind::Fix => "fix",
            MoveKind::Reorder => "reorder",
            MoveKind::MergeRuns => "merge_runs",
            MoveKind::MoveCleanup => "move_cleanup",
            MoveKind::RemoveNoopCleanup => "remove_noop_cleanup",
            MoveKind::CacheMount => "cache_mount",
            MoveKind::StageSplit => "stage_split",
            MoveKind::NonRoot => "non_root",
            MoveKind::ExecForm => "exec_form",
            MoveKind::Workdir => "workdir",
        }
    }
}

/// One region a change touched: where it was in the original text and where it is in the
/// output. A pure insertion has an empty `original` span (the insertion point); a pure
/// deletion an empty `output` span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Hunk {
    pub original: Span,
    pub output: Span,
}

/// Bytes saved, bound by bound (`before.min − after.min` .. `before.max − after.max`);
/// negative when the image grows. `high` is `None` when a bound is unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Saved {
    pub low: i64,
    pub high: Option<i64>,
}

/// What a change does to the image, estimated from the layer model (never measured).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Effect {
    /// Estimated size of the final image before and after the change.
    pub size_before: SizeRange,
    pub size_after: SizeRange,
    pub bytes_saved: Saved,
    /// Layers of the final image before and after.
    pub layers_before: usize,
    pub layers_after: usize,
    /// Layer-creating steps an application-code change reruns, before and after.
    pub rebuilt_on_code_change_before: usize,
    pub rebuilt_on_code_change_after: usize,
    /// Steps (shortened, as `docker history` shows them) that an application-code change
    /// reran before and no longer does.
    pub no_longer_rebuilt: Vec<String>,
    /// One line for people.
    pub summary: String,
}

/// One change the optimizer made.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    pub kind: MoveKind,
    /// What was done, in a few words.
    pub title: String,
    /// What moved or changed, concretely (instructions, lines).
    pub moved: String,
    /// The rule codes behind it.
    pub rules: Vec<String>,
    /// Why it helps.
    pub why: String,
    pub applicability: Applicability,
    pub hunks: Vec<Hunk>,
    pub effect: Effect,
}

/// A change that was considered and not made, with the reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub kind: MoveKind,
    pub title: String,
    pub rules: Vec<String>,
    pub reason: String,
    /// True when the change was left out only because it is unsafe and unsafe changes were
    /// not allowed (allowing them would make it).
    pub needs_unsafe: bool,
    /// Where in the original text it would have applied (approximate after other changes).
    pub original: Option<Span>,
}

/// The image at one end of the optimization.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Snapshot {
    pub size_bytes: SizeRange,
    pub pull_bytes: SizeRange,
    pub layers: usize,
    pub stages: usize,
    /// Layer-creating steps an application-code change reruns.
    pub rebuilt_on_code_change: usize,
    /// Estimated size of the final image's layers that change rebuilds.
    pub rebuilt_bytes_on_code_change: SizeRange,
    /// Lint findings (with the options' configuration).
    pub findings: usize,
}

/// Before → after for the whole file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Totals {
    pub before: Snapshot,
    pub after: Snapshot,
    pub bytes_saved: Saved,
}

/// The result of [`optimize`] (and of [`fix_all`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Optimized {
    /// The optimized Dockerfile.
    pub text: String,
    /// Whether `text` differs from the input.
    pub changed: bool,
    /// Changes in the order they were made.
    pub changes: Vec<Change>,
    /// Changes considered and refused, with reasons.
    pub skipped: Vec<Skipped>,
    /// A proposed `.dockerignore` (a separate file), when the whole context is copied.
    pub dockerignore: Option<DockerignoreProposal>,
    pub totals: Totals,
}

/// Optimizes `source`. Never panics; any text gives a result (unparseable input comes back
/// unchanged).
pub fn optimize(source: &str, options: &OptimizeOptions) -> Optimized {
    engine::run(source, options, engine::Mode::Optimize)
}

/// Applies the lint rules' fixes only (safe ones, or safe and unsafe with
/// `options.allow_unsafe`) to a fixed point: what `layerlens fix` and a "fix all" button do.
/// Structural moves and the `.dockerignore` proposal are not made.
pub fn fix_all(source: &str, options: &OptimizeOptions) -> Optimized {
    engine::run(source, options, engine::Mode::FixOnly)
}

#[cfg(test)]
mod tests;
