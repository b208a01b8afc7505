//! BuildKit cache mounts for package managers:
//! `RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt`.
//!
//! A cache mount keeps a manager's downloads on the builder between builds and never writes
//! them into a layer: a rebuilt install layer downloads only what changed, and the image
//! carries no download cache. Made only when the file opts into BuildKit (a `# syntax=`
//! line, or a `RUN --mount` already present) or [`super::OptimizeOptions::assume_buildkit`]
//! is set, in which case a `# syntax=docker/dockerfile:1` line is added at the top as well.
//! A file that opts in gets one change per RUN (per stage for Go and cargo). Otherwise all
//! mounts come in one change with the `# syntax=` line: once the file opts in, LL1004 asks
//! for a mount on every install, so one install that cannot have its mount keeps the whole
//! file as it is. The flags go right before the command, one per line, in the RUN's own
//! continuation indent.
//!
//! **Safe** for every manager below: the same packages get installed, and what leaves the
//! image is a download cache (or package index) that no later step of the build reads (the
//! guards make sure). The base image is taken to ship without apt lists or an apk index, as
//! Debian's, Ubuntu's and Alpine's images do: a mount would hide those during the RUN.
//!
//! The managers and the directories mounted (the defaults for root, as the official images
//! set things up):
//!
//! | manager | mounted | where |
//! | --- | --- | --- |
//! | pip | `/root/.cache/pip` | any stage |
//! | npm | `/root/.npm` | any stage |
//! | yarn (classic) | `/usr/local/share/.cache/yarn` | any stage |
//! | pnpm | `/root/.local/share/pnpm/store`, or `$PNPM_HOME/store` | any stage |
//! | poetry | `/root/.cache/pypoetry/cache` and `.../artifacts` | any stage |
//! | uv | `/root/.cache/uv` | any stage |
//! | apt | `/var/cache/apt` and `/var/lib/apt/lists`, both `sharing=locked` | any stage |
//! | apk | `/var/cache/apk` | any stage |
//! | gem, bundler | `/usr/local/bundle/cache` (`$GEM_HOME/cache`) | stages FROM `ruby` |
//! | Go | `/go/pkg/mod` and `/root/.cache/go-build` | stages FROM `golang` |
//! | cargo | `/usr/local/cargo/registry` and `/usr/local/cargo/git/db` | stages FROM `rust` |
//!
//! Guards shared by all of them:
//! - the RUN runs as root (the directories are root's, and a new cache mount is owned by
//!   root), and the manager's cache is where the table says: no variable or option moves it
//!   (`PIP_CACHE_DIR`, `npm_config_cache`, `--store-dir`, `POETRY_CACHE_DIR`, `UV_CACHE_DIR`,
//!   `HOME`, `XDG_CACHE_HOME`, `GEM_HOME`, `CARGO_HOME`, `GOMODCACHE`...) or turns it off
//!   (`--no-cache-dir`, `PIP_NO_CACHE_DIR`, `uv --no-cache`, `poetry --no-cache`: those are
//!   left as written; apk's `--no-cache` is the exception, see below);
//! - no command that works from the cache alone (`--offline`, `cargo --frozen`,
//!   `bundle install --local`, `bundle cache`...) runs in the RUN or later on top of it: a
//!   cache mount may be empty (a new builder, a pruned cache) while the layer that filled it
//!   is reused from the build cache;
//! - cleanup of a mounted directory in the same RUN (`rm -rf /var/lib/apt/lists/*`,
//!   `apt-get clean`, `rm -rf /root/.cache/pip`, `npm cache clean`, `go clean -modcache`...)
//!   is dropped: it would only empty the cache, and removing the mount point itself fails
//!   (`Device or resource busy`). When it cannot be dropped cleanly, or it removes a parent
//!   of a mounted directory (`rm -rf /root/.cache`), the mount is not added;
//! - a directory the RUN already mounts (or one inside or above it) is left alone.
//!
//! Per manager:
//! - **apt.** The RUN runs `apt-get update` before anything that reads the package lists,
//!   and installs something. The lists are mounted at `/var/lib/apt/lists` rather than
//!   `/var/lib/apt` (Docker's documentation mounts the latter): `/var/lib/apt` also holds
//!   `extended_states`, apt's record of which packages were installed automatically, which
//!   belongs in the image. Both mounts are `sharing=locked` because apt locks these
//!   directories, so parallel builds must take turns. The mounts hide what earlier layers
//!   left there, so no earlier RUN of the stage (or of the stages it is built FROM) may leave
//!   lists without the same mount, nor .deb files when this RUN cleans `/var/cache/apt`. When
//!   the RUN does not delete its lists, they used to stay in the image: then no later RUN may
//!   read lists without updating them first (as the DL3009 fix requires), and the lists
//!   leave the image. When it deletes them (`rm -rf /var/lib/apt/lists/*`), the `rm` goes:
//!   the mount already keeps them out of the layer, which is why DL3009 accepts it.
//!   Debian's and Ubuntu's images configure apt (`/etc/apt/apt.conf.d/docker-clean`) to
//!   delete downloaded .deb files after every install, so there only the lists are reused
//!   between builds. Docker's documented remedy deletes that file and writes a
//!   `Keep-Downloaded-Packages` setting; that is not done here: it changes a file of the
//!   image, and with it every later apt call in this image and in images built from it (their
//!   installs would keep their .deb files in their layers). It is left to the author.
//! - **apk.** Alpine keeps its package indexes in `/var/cache/apk`, and the packages too only
//!   when `/etc/apk/cache` links there (not so in the `alpine` images; making the link
//!   changes the image, so it is not done). The index must be fetched in the RUN (`apk
//!   update` first, or `--update-cache`): the mount may hold an old one, or none. `apk add
//!   --no-cache` uses no cache at all, so `--no-cache` becomes `--update-cache` (or is
//!   dropped when the RUN already fetched the index): the same packages from a fresh index,
//!   and still nothing in the layer. (Unlike pip's `--no-cache-dir`, which stays: on Alpine
//!   `--no-cache` is how nearly every install is written, DL3019 asks for it, and keeping it
//!   would keep apk, and with it most Alpine files, out of the move; LL1004's fix makes the
//!   same replacement.) As with apt, earlier RUNs may not leave an index there, and when
//!   this RUN used to leave its index in the image, no later RUN may read it.
//! - **Go, cargo** (stages FROM `golang` / `rust`): every RUN of the stage that runs `go` /
//!   `cargo` gets the same mounts in one change, so later steps see the downloaded modules or
//!   crates; if some have them and others do not, the layout is the author's and is left
//!   alone. Cargo's `target/` directory is never mounted (Docker's documentation does):
//!   it holds the build output, which a later step copies or runs.
//! - **poetry.** Only the download caches (`cache/` and `artifacts/` under
//!   `/root/.cache/pypoetry`): by default poetry creates its virtualenvs in the same
//!   directory (`virtualenvs/`), and those must stay in the image.
//! - **pnpm.** The content store (`<pnpm home>/store`); pnpm then copies files into
//!   `node_modules` instead of hard-linking them.
//! - **uv.** Not when uv links the environment's files into the cache (`UV_LINK_MODE=symlink`
//!   or `--link-mode symlink`): the environment would point into the mount. uv falls back from
//!   hard links to copies across the mount and says so once.
//! - **gem, bundler.** In stages FROM `ruby` (where `GEM_HOME` is `/usr/local/bundle`),
//!   `gem install` and `bundle install` keep each downloaded `.gem` in `$GEM_HOME/cache`;
//!   that directory is mounted (Docker's documentation mounts `/root/.gem`, which these images
//!   do not download into). Not when the gems go elsewhere (`--path`, `--deployment`,
//!   `BUNDLE_PATH`, `--install-dir`, `--user-install`), and not when a later step reads the
//!   `.gem` files (`bundle cache`, `gem pristine`, `--local` installs).

use crate::fix::{Applicability, Edit};
use crate::instructions::{CommandLine, MountType, Typed};
use crate::model::{join_path, Base, Model, RunAnalysis, ScriptPart};
use crate::rules::guide::g5_fix_util::{delete_list_element, delete_word, Style as FixStyle};
use crate::shell::{Command, Word};
use crate::syntax::PieceKind;

use super::engine::{Candidate, Ctx, Proposal, Refusal};
use super::facts::package_op;
use super::text::{is_within, line_of};
use super::MoveKind;

mod cleanup;
mod managers;
mod runs;
mod system;
mod toolchains;

use cleanup::*;
use managers::*;
use runs::*;
use system::*;
use toolchains::*;

const APT_ARCHIVES: &str = "/var/cache/apt";
const APT_LISTS: &str = "/var/lib/apt/lists";
const APK_CACHE: &str = "/var/cache/apk";

/// A directory a package manager keeps its downloads in.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Cache {
    target: String,
    /// `sharing=locked`: the manager locks the directory, so parallel builds take turns.
    locked: bool,
}

impl Cache {
    fn shared(target: &str) -> Cache {
        Cache {
            target: target.to_string(),
            locked: false,
        }
    }

    fn locked(target: &str) -> Cache {
        Cache {
            target: target.to_string(),
            locked: true,
        }
    }

    fn flag(&self) -> String {
        let sharing = if self.locked { ",sharing=locked" } else { "" };
        format!("--mount=type=cache,target={}{sharing}", self.target)
    }
}

/// What one package manager of a RUN needs: its caches, and changes to its own commands.
struct Use {
    manager: &'static str,
    caches: Vec<Cache>,
    edits: Vec<Edit>,
    /// The changes `edits` make, for the change's description.
    notes: Vec<String>,
}

impl Use {
    fn new(manager: &'static str, caches: Vec<Cache>) -> Use {
        Use {
            manager,
            caches,
            edits: Vec::new(),
            notes: Vec::new(),
        }
    }
}

/// A manager's verdict on a RUN: nothing to do (`None`), a use, or why not (with the
/// manager's name).
type Found = Option<Result<Use, (&'static str, String)>>;

fn refused(manager: &'static str, reason: impl Into<String>) -> Found {
    Some(Err((manager, reason.into())))
}

// ----------------------------------------------------------------------------------------
// The move

/// Where the mount flags go: right before the command text.
fn insert_at(model: &Model, i: usize) -> Option<usize> {
    match &model.typed[i] {
        Typed::Run(r) => match &r.command {
            CommandLine::Shell(t) => Some(t.span.start),
            CommandLine::Exec(items) => items.first().map(|t| {
                // Before the `[` of the JSON array.
                let text = &model.doc.text;
                text[..t.span.start].rfind('[').unwrap_or(t.span.start)
            }),
            CommandLine::Empty => None,
        },
        _ => None,
    }
}

/// The mount flags for RUN `i`, each followed by a continuation in the RUN's own indent (the
/// file's when the RUN is one line).
fn flags_text(cx: &Ctx, i: usize, caches: &[Cache]) -> String {
    let model = cx.model;
    let text = &model.doc.text;
    let own = model.doc.instructions[i]
        .pieces
        .iter()
        .filter(|p| p.kind == PieceKind::Line)
        .skip(1)
        .map(|p| {
            p.span
                .slice(text)
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect::<String>()
        })
        .find(|ws| !ws.is_empty());
    let indent = own.unwrap_or_else(|| cx.style.indent.clone());
    let continuation = format!(" {}{}{indent}", cx.style.escape, cx.style.newline);
    caches
        .iter()
        .map(|c| format!("{}{continuation}", c.flag()))
        .collect()
}

/// Why the managers of `managers` gain from the mounts, with what is particular to some.
fn why_text(managers: &[&str]) -> String {
    let mut why = format!(
        "With a cache mount, {} keeps its downloads on the builder between builds instead \
         of in the layer: a rebuilt install fetches only what changed, and the image \
         carries no download cache.",
        managers.join(" and ")
    );
    if managers.contains(&"apt") {
        why.push_str(
            " apt locks its directories, so the mounts are `sharing=locked` and parallel \
             builds wait for each other. Debian and Ubuntu images delete downloaded .deb \
             files after each install (/etc/apt/apt.conf.d/docker-clean), so there only the \
             package lists are reused unless that file is removed; that changes every later \
             apt call of the image, so it is left to you.",
        );
    }
    if managers.contains(&"apk") {
        why.push_str(
            " apk keeps its package indexes there; it keeps the packages as well only where \
             /etc/apk/cache links to that directory.",
        );
    }
    if managers.contains(&"uv") || managers.contains(&"pnpm") {
        why.push_str(
            " Across the mount, files are copied into the environment instead of hard-linked.",
        );
    }
    why
}

/// The mounts for the per-RUN managers of RUN `i` (or why not), and the directories they
/// mount. `planned` are mounts the same change gives to other RUNs.
fn per_run(cx: &Ctx, i: usize, planned: &[(usize, String)]) -> (Vec<Proposal>, Vec<String>) {
    let model = cx.model;
    let Some(run) = model.run(i) else {
        return (Vec::new(), Vec::new());
    };
    let mut found = per_command(model, i, run);
    found.extend(apt(model, i, run, planned));
    found.extend(apk(model, i, run, planned));
    let title = |managers: &[&str]| {
        format!(
            "Cache mount for {} on line {}",
            managers.join(" and "),
            line_of(model, i)
        )
    };
    let span = model.doc.instructions[i].span;
    let refusal = |managers: &[&str], reason: String| Refusal {
        kind: MoveKind::CacheMount,
        title: title(managers),
        rules: vec!["LL1004".into()],
        reason,
        at: span,
    };
    let mut out: Vec<Proposal> = Vec::new();
    let mut managers: Vec<&str> = Vec::new();
    let mut caches: Vec<Cache> = Vec::new();
    let mut edits: Vec<Edit> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for f in found {
        match f {
            Err((manager, reason)) => out.push(Err(refusal(&[manager], reason))),
            Ok(used) => {
                let new: Vec<Cache> = used
                    .caches
                    .into_iter()
                    .filter(|c| !covered(model, i, &c.target) && !caches.contains(c))
                    .collect();
                if new.is_empty() {
                    continue;
                }
                if !managers.contains(&used.manager) {
                    managers.push(used.manager);
                }
                caches.extend(new);
                edits.extend(used.edits);
                for n in used.notes {
                    if !notes.contains(&n) {
                        notes.push(n);
                    }
                }
            }
        }
    }
    let Some(at) = insert_at(model, i).filter(|_| !caches.is_empty()) else {
        return (out, Vec::new());
    };
    let targets: Vec<&str> = caches.iter().map(|c| c.target.as_str()).collect();
    match drop_cleanup(model, i, &targets) {
        Ok((more, dropped)) => {
            edits.extend(more);
            notes.extend(dropped.into_iter().map(|d| format!("{d} dropped")));
        }
        Err(reason) => {
            out.push(Err(refusal(&managers, reason)));
            return (out, Vec::new());
        }
    }
    edits.push(Edit::insert(at, flags_text(cx, i, &caches)));
    let mut c = Candidate::new(MoveKind::CacheMount, Applicability::Safe, span);
    c.title = title(&managers);
    c.moved = format!(
        "`--mount=type=cache,target={}` added to the RUN",
        caches
            .iter()
            .map(|c| {
                c.flag()
                    .trim_start_matches("--mount=type=cache,target=")
                    .to_string()
            })
            .collect::<Vec<_>>()
            .join("`, `")
    );
    for n in &notes {
        c.moved.push_str("; ");
        c.moved.push_str(n);
    }
    c.rules = vec!["LL1004".into()];
    c.why = why_text(&managers);
    c.key = format!("cache:{}", model.doc.instructions[i].original());
    c.edits = edits;
    out.push(Ok(c));
    (out, targets.into_iter().map(String::from).collect())
}

/// The `# syntax=` line a file that does not opt into BuildKit gets with its first mounts.
fn directive(cx: &Ctx) -> Edit {
    let at = if cx.model.doc.text.starts_with('\u{feff}') {
        3
    } else {
        0
    };
    Edit::insert(
        at,
        format!("# syntax=docker/dockerfile:1{}", cx.style.newline),
    )
}

/// One change with every mount of the file and the `# syntax=` line: opting into BuildKit
/// makes LL1004 look at every install, so they all get their mounts at once (and a RUN that
/// cannot have one keeps the file out of BuildKit).
fn all_at_once(cx: &Ctx, steps: Vec<Candidate>) -> Option<Candidate> {
    let mut c = if steps.len() == 1 {
        steps.into_iter().next()?
    } else {
        let first = steps.first()?;
        let mut c = Candidate::new(MoveKind::CacheMount, Applicability::Safe, first.at);
        c.title = format!("Cache mounts on {} RUNs or stages", steps.len());
        c.rules = vec!["LL1004".into()];
        let mut moved = Vec::new();
        let mut whys: Vec<&str> = Vec::new();
        let mut keys = Vec::new();
        for s in &steps {
            moved.push(format!("{}: {}", s.title, s.moved));
            if !whys.contains(&s.why.as_str()) {
                whys.push(&s.why);
            }
            keys.push(s.key.as_str());
            c.at = c.at.cover(s.at);
            c.edits.extend(s.edits.iter().cloned());
        }
        c.moved = moved.join("; ");
        c.why = whys.join(" ");
        c.key = keys.join("|");
        c
    };
    c.edits.push(directive(cx));
    c.rules.push("LL1019".into());
    c.moved
        .push_str("; `# syntax=docker/dockerfile:1` added at the top");
    Some(c)
}

pub fn propose(cx: &Ctx) -> Vec<Proposal> {
    let model = cx.model;
    let opted = opts_into_buildkit(model);
    if !opted && !cx.options.assume_buildkit {
        return Vec::new();
    }
    // A file that opts in gets one change per RUN (and per stage for Go and cargo), each
    // checked against the text as it is; otherwise every mount comes in one change, each
    // RUN checked as if the RUNs before it had theirs.
    let together = !opted;
    let mut out = Vec::new();
    let mut planned: Vec<(usize, String)> = Vec::new();
    for i in 0..model.typed.len() {
        if !is_run(model, i) || !runs_as_root(model, i) {
            continue;
        }
        let (proposals, targets) = per_run(cx, i, &planned);
        if together {
            planned.extend(targets.into_iter().map(|t| (i, t)));
        }
        out.extend(proposals);
    }
    for tool in &TOOLCHAINS {
        for stage in 0..model.stages.len() {
            out.extend(toolchain(cx, tool, stage));
        }
    }
    if !together {
        return out;
    }
    let (steps, mut refusals): (Vec<Proposal>, Vec<Proposal>) =
        out.into_iter().partition(|p| p.is_ok());
    let steps: Vec<Candidate> = steps.into_iter().filter_map(Result::ok).collect();
    refusals.extend(all_at_once(cx, steps).map(Ok));
    refusals
}
