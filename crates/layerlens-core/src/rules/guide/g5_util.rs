//! Helpers the guide's rules share: the final image's stage chain, its base image, package
//! installs and removals, dependency installs, COPY sources and command lines of CMD,
//! ENTRYPOINT and HEALTHCHECK.
//!
//! (Candidates for the framework: `final_chain`, `root_of`, `package_ops`, `LineScript`.)

use std::collections::HashSet;

use crate::instructions::{CommandLine, Healthcheck, ImageRef, Mount, MountType, Source, Typed};
use crate::knowledge::{self, ImageTraits};
use crate::model::{join_path, Base, Model};
use crate::rules::{Context, RunAnalysis, ScriptPart};
use crate::shell::{self, Command, Script, Word};
use crate::syntax::{Keyword, Text};
use crate::text::Span;

// ---------------------------------------------------------------------------------------
// Stages

/// `stage`, the stage it is built FROM, that one's base stage... (`stage` first). Parents
/// always come earlier in the file, so the walk ends.
pub fn chain(model: &Model, stage: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut current = Some(stage);
    while let Some(s) = current {
        if s >= model.stages.len() || out.contains(&s) {
            break;
        }
        out.push(s);
        current = match model.stages[s].base {
            Base::Stage(parent) if parent < s => Some(parent),
            _ => None,
        };
    }
    out
}

/// The stages the target image is made of (target first); empty without stages.
pub fn final_chain(context: &Context) -> Vec<usize> {
    context
        .target
        .map(|t| chain(context.model, t))
        .unwrap_or_default()
}

/// The instructions of a chain's stages in build order (root stage first), FROMs excluded.
pub fn chain_instructions(model: &Model, chain: &[usize]) -> Vec<usize> {
    chain
        .iter()
        .rev()
        .flat_map(|&s| model.stages[s].instructions.iter().copied())
        .collect()
}

/// What a chain of stages starts from.
#[derive(Clone, Copy, Debug)]
pub enum Root<'a> {
    /// An image, with the stage whose FROM names it.
    Image(&'a ImageRef, usize),
    /// `FROM scratch`.
    Scratch,
    Unknown,
}

/// The image (or scratch) at the bottom of `stage`'s chain.
pub fn root_of(model: &Model, stage: usize) -> Root<'_> {
    let Some(&last) = chain(model, stage).last() else {
        return Root::Unknown;
    };
    match &model.stages[last].base {
        Base::Image(image) => Root::Image(image, last),
        Base::Scratch => Root::Scratch,
        _ => Root::Unknown,
    }
}

/// What the base at the bottom of `stage`'s chain is known to contain.
pub fn root_traits(model: &Model, stage: usize) -> Option<ImageTraits> {
    match root_of(model, stage) {
        Root::Image(image, _) => knowledge::image_traits(image),
        Root::Scratch => Some(knowledge::scratch_traits()),
        Root::Unknown => None,
    }
}

/// Span of the image word of a stage's FROM (the keyword if it cannot be found).
pub fn from_image_span(context: &Context, stage: usize) -> Span {
    let Some(s) = context.model.stages.get(stage) else {
        return Span::default();
    };
    match context.typed(s.from) {
        Typed::From(from) => from.image.span,
        _ => context.keyword_span(s.from),
    }
}

/// Whether the file opts into BuildKit: a `# syntax=` directive, or syntax only BuildKit
/// understands anywhere (`RUN --mount`, heredocs, `COPY --link`...; see [`buildkit_feature`]).
/// Adding the directive (LL1019's fix) therefore never changes the answer.
pub fn uses_buildkit(context: &Context) -> bool {
    context.model.doc.directives.syntax.is_some()
        || (0..context.len()).any(|i| buildkit_feature(context, i).is_some())
}

/// The first BuildKit-only flag or heredoc of instruction `i` (looking through ONBUILD):
/// its span and a description (`` `--mount` ``, `a heredoc`).
pub fn buildkit_feature(context: &Context, i: usize) -> Option<(Span, String)> {
    let instruction = context.instruction(i);
    let command = instruction.effective_command();
    let flags: &[&str] = match command.keyword {
        Keyword::Run => &["mount", "network", "security", "device"],
        Keyword::Copy => &["link", "chmod", "parents", "exclude"],
        Keyword::Add => &[
            "link",
            "chmod",
            "checksum",
            "keep-git-dir",
            "exclude",
            "unpack",
        ],
        _ => return None,
    };
    command
        .flags
        .iter()
        .find(|f| flags.contains(&f.name()))
        .map(|f| (f.text.span, format!("`--{}`", f.name())))
        .or_else(|| {
            instruction
                .heredocs
                .first()
                .map(|h| (h.word, "a heredoc".to_string()))
        })
}

// ---------------------------------------------------------------------------------------
// Paths

/// Resolves a path written in a RUN or COPY against the working directory (`~` is root's home).
pub fn resolve(workdir: &str, path: &str) -> String {
    let path = path.trim_matches(|c| c == '"' || c == '\'');
    let path = if path == "~" {
        "/root".to_string()
    } else if let Some(rest) = path.strip_prefix("~/") {
        format!("/root/{rest}")
    } else {
        path.to_string()
    };
    join_path(workdir, &path)
}

/// The last path component (`/a/b/` → `b`).
pub fn basename(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

/// Whether `path` is `dir` or inside it.
pub fn is_within(path: &str, dir: &str) -> bool {
    if dir == "/" {
        return path.starts_with('/');
    }
    path == dir
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

// ---------------------------------------------------------------------------------------
// COPY / ADD

/// The parts of a COPY or ADD that rules about files need.
pub struct CopyLike<'a> {
    pub keyword: &'static str,
    pub sources: &'a [Source],
    pub dest: &'a Text,
    /// `--from=...` (COPY only).
    pub from: Option<&'a str>,
}

/// COPY or ADD (not under ONBUILD).
pub fn copy_like<'a>(context: &Context<'a>, i: usize) -> Option<CopyLike<'a>> {
    match context.typed(i) {
        Typed::Copy(c) => Some(CopyLike {
            keyword: "COPY",
            sources: &c.sources,
            dest: &c.dest,
            from: c.from.as_ref().map(|f| f.value.as_str()),
        }),
        Typed::Add(a) => Some(CopyLike {
            keyword: "ADD",
            sources: &a.sources,
            dest: &a.dest,
            from: None,
        }),
        _ => None,
    }
}

impl CopyLike<'_> {
    /// The source paths (heredoc sources left out).
    pub fn paths(&self) -> impl Iterator<Item = &Text> {
        self.sources.iter().filter_map(|s| match s {
            Source::Path(t) => Some(t),
            Source::Heredoc { .. } => None,
        })
    }

    /// Whether this copies the whole build context (`COPY . .`, `ADD ./ /app`, `COPY * ./`).
    pub fn copies_whole_context(&self) -> bool {
        self.from.is_none() && self.paths().any(|t| is_whole_context(&t.value))
    }

    /// The destination resolved against the working directory of instruction `i`.
    pub fn dest_path(&self, model: &Model, i: usize) -> String {
        let workdir = model
            .contexts
            .get(i)
            .map(|c| c.workdir.as_str())
            .unwrap_or("/");
        let raw = model
            .expand(i, &self.dest.value)
            .unwrap_or_else(|_| self.dest.value.clone());
        resolve(workdir, &raw)
    }

    /// Whether the destination is a directory (ends in `/`, or several sources).
    pub fn dest_is_dir(&self) -> bool {
        let d = self.dest.value.trim_matches('"');
        d.ends_with('/') || d == "." || d.ends_with("/.") || self.sources.len() > 1
    }
}

/// `.`, `./`, `*`, `./*`, `/`: the whole build context.
pub fn is_whole_context(source: &str) -> bool {
    matches!(
        source.trim_matches('"'),
        "." | "./" | "*" | "./*" | "/" | "./." | ".*"
    )
}

// ---------------------------------------------------------------------------------------
// Command lines of CMD / ENTRYPOINT / HEALTHCHECK

/// The shell analysis of a CMD, ENTRYPOINT or HEALTHCHECK command line, with a way back
/// to source spans.
pub struct LineScript {
    pub script: Script,
    map: LineMap,
}

enum LineMap {
    Logical { instruction: usize, base: usize },
    Pieces(Vec<(usize, usize, Span)>),
}

impl LineScript {
    /// Analyses a command line of instruction `i`.
    pub fn new(i: usize, line: &CommandLine) -> Option<LineScript> {
        match line {
            CommandLine::Shell(text) => Some(LineScript {
                script: shell::parse_script(&text.value),
                map: LineMap::Logical {
                    instruction: i,
                    base: text.logical.start,
                },
            }),
            CommandLine::Exec(items) => {
                let mut text = String::new();
                let mut pieces = Vec::new();
                for item in items {
                    if !text.is_empty() {
                        text.push(' ');
                    }
                    let start = text.len();
                    text.push_str(&quote_word(&item.value));
                    pieces.push((start, text.len(), item.span));
                }
                Some(LineScript {
                    script: shell::parse_script(&text),
                    map: LineMap::Pieces(pieces),
                })
            }
            CommandLine::Empty => None,
        }
    }

    /// Source span of a range of `text`.
    pub fn span(&self, model: &Model, range: &shell::Range) -> Span {
        match &self.map {
            LineMap::Logical { instruction, base } => model
                .doc
                .instructions
                .get(*instruction)
                .map(|ins| {
                    ins.line
                        .to_source_span(base + range.start, base + range.end)
                })
                .unwrap_or_default(),
            LineMap::Pieces(pieces) => pieces
                .iter()
                .filter(|(s, e, _)| *s < range.end.max(range.start + 1) && range.start < *e)
                .map(|(_, _, span)| *span)
                .reduce(Span::cover)
                .unwrap_or_else(|| pieces.first().map(|p| p.2).unwrap_or_default()),
        }
    }
}

fn quote_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%^".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// The command line of a HEALTHCHECK CMD.
pub fn healthcheck_line(typed: &Typed) -> Option<&CommandLine> {
    match typed {
        Typed::Healthcheck(Healthcheck::Cmd(cmd)) => Some(&cmd.command),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// OS packages

/// OS package managers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pm {
    Apt,
    Apk,
    Rpm,
    Zypper,
}

/// An install or removal of OS packages.
pub struct PackageOp<'a> {
    pub manager: Pm,
    pub install: bool,
    /// Package words (variables left out).
    pub packages: Vec<&'a Word>,
    /// `apk add --virtual NAME`: the group name a later `apk del NAME` removes.
    pub virtual_name: Option<&'a str>,
    /// apt `purge`/`remove` with `--auto-remove`, or `autoremove`.
    pub autoremove: bool,
}

/// Reads an OS package install or removal from a command.
pub fn package_op(cmd: &Command) -> Option<PackageOp<'_>> {
    let name = cmd.basename()?;
    let (manager, value_flags, installs, removes): (Pm, &[&str], &[&str], &[&str]) = match name {
        "apt-get" | "apt" | "aptitude" => (
            Pm::Apt,
            &["-t", "--target-release", "-o", "-c", "--option"],
            &["install"],
            &["remove", "purge", "autoremove", "autopurge"],
        ),
        "apk" => (
            Pm::Apk,
            &[
                "-t",
                "--virtual",
                "-X",
                "--repository",
                "-p",
                "--root",
                "--arch",
                "--cache-dir",
                "--keys-dir",
                "--repositories-file",
            ],
            &["add"],
            &["del"],
        ),
        "yum" | "dnf" | "microdnf" | "tdnf" | "dnf5" => (
            Pm::Rpm,
            &[
                "-c",
                "--config",
                "-d",
                "--debuglevel",
                "-e",
                "--errorlevel",
                "-x",
                "--exclude",
                "--setopt",
                "--releasever",
                "--installroot",
                "--enablerepo",
                "--disablerepo",
            ],
            &["install", "groupinstall", "localinstall", "reinstall"],
            &["remove", "erase", "autoremove"],
        ),
        "zypper" => (
            Pm::Zypper,
            &["-R", "--root", "-r", "--repo", "--from", "-t", "--type"],
            &["install", "in"],
            &["remove", "rm"],
        ),
        _ => return None,
    };
    let positional = cmd.positional_args_with(value_flags);
    let (at, sub) = positional
        .iter()
        .enumerate()
        .find(|(_, w)| !w.has_expansion)
        .map(|(at, w)| (at, w.value.as_str()))?;
    let install = if installs.contains(&sub) {
        true
    } else if removes.contains(&sub) {
        false
    } else {
        return None;
    };
    let packages = positional
        .get(at + 1..)
        .unwrap_or(&[])
        .iter()
        .copied()
        .filter(|w| !w.has_expansion && !w.value.is_empty())
        .collect();
    let virtual_name = if manager == Pm::Apk {
        cmd.flag_value("-t").or_else(|| cmd.flag_value("--virtual"))
    } else {
        None
    };
    let autoremove =
        manager == Pm::Apt && (sub.starts_with("auto") || cmd.has_long_flag("auto-remove"));
    Some(PackageOp {
        manager,
        install,
        packages,
        virtual_name,
        autoremove,
    })
}

/// The package name of a package word without version pins (`gcc=12` → `gcc`).
pub fn package_name(word: &str) -> &str {
    let end = word.find(['=', '>', '<', '~']).unwrap_or(word.len());
    let name = &word[..end];
    // apt `pkg/release`, apk `pkg@tag`.
    let name = name.split('/').next().unwrap_or(name);
    name.split('@').next().unwrap_or(name)
}

/// Which packages installed by one RUN are removed again within that RUN.
pub struct RunRemovals {
    names: HashSet<String>,
    virtuals: HashSet<String>,
    /// The docker-library pattern `apt-mark auto '.*'; apt-mark manual $saved; apt-get purge
    /// --auto-remove`: every package installed by the RUN is removed unless marked manual.
    apt_all: bool,
}

impl RunRemovals {
    pub fn of(run: &RunAnalysis) -> RunRemovals {
        let mut names = HashSet::new();
        let mut virtuals = HashSet::new();
        let mut apt_mark_auto = false;
        let mut apt_autoremove = false;
        for (cmd, _) in run.commands() {
            // `apt-mark auto ...`, also run through a wrapper (`... | xargs apt-mark auto`).
            if cmd
                .words
                .windows(2)
                .any(|w| w[0].value.ends_with("apt-mark") && w[1].value == "auto")
            {
                apt_mark_auto = true;
            }
            if let Some(op) = package_op(cmd) {
                if op.install {
                    continue;
                }
                if op.autoremove {
                    apt_autoremove = true;
                }
                for p in &op.packages {
                    let n = package_name(&p.value).to_string();
                    if op.manager == Pm::Apk {
                        virtuals.insert(n.clone());
                    }
                    names.insert(n);
                }
            }
        }
        RunRemovals {
            names,
            virtuals,
            apt_all: apt_mark_auto && apt_autoremove,
        }
    }

    /// Whether the package `name` installed by `op` in this RUN is removed in it as well.
    pub fn removes(&self, op: &PackageOp, name: &str) -> bool {
        self.names.contains(name)
            || (op.manager == Pm::Apt && self.apt_all)
            || op.virtual_name.is_some_and(|v| self.virtuals.contains(v))
    }
}

/// An OS package installed by a RUN of the final image and never removed again.
#[derive(Clone)]
pub struct KeptPackage<'a> {
    pub instruction: usize,
    pub word: &'a Word,
    pub part: &'a ScriptPart,
    pub command: &'a Command,
    pub name: String,
}

/// OS packages matching `wanted` that the final image's RUNs install and neither the same RUN
/// nor a later RUN of the final image removes. Grouped by command, in order.
pub fn kept_packages<'a>(context: &Context<'a>, wanted: fn(&str) -> bool) -> Vec<KeptPackage<'a>> {
    context
        .kept_os_packages()
        .iter()
        .filter(|p| wanted(&p.name))
        .cloned()
        .collect()
}

/// Every OS package the final image keeps (computed once per lint, see
/// `Context::kept_os_packages`).
pub(crate) fn all_kept_packages<'a>(context: &Context<'a>) -> Vec<KeptPackage<'a>> {
    let wanted = |_: &str| true;
    let chain = final_chain(context);
    let instructions = chain_instructions(context.model, &chain);
    // Removals per RUN, to see whether a later RUN removes a package.
    let removals: Vec<(usize, RunRemovals)> = instructions
        .iter()
        .filter(|&&i| !context.typed_effective(i).1)
        .filter_map(|&i| context.run(i).map(|r| (i, RunRemovals::of(r))))
        .collect();
    let mut out = Vec::new();
    for (pos, (i, same_run)) in removals.iter().enumerate() {
        let Some(run) = context.run(*i) else { continue };
        for (cmd, part) in run.commands() {
            let Some(op) = package_op(cmd) else { continue };
            if !op.install {
                continue;
            }
            for word in &op.packages {
                let name = package_name(&word.value);
                if !wanted(name) || same_run.removes(&op, name) {
                    continue;
                }
                let removed_later = removals[pos + 1..].iter().any(|(_, later)| {
                    later.names.contains(name)
                        || op.virtual_name.is_some_and(|v| later.virtuals.contains(v))
                });
                if removed_later {
                    continue;
                }
                out.push(KeptPackage {
                    instruction: *i,
                    word,
                    part,
                    command: cmd,
                    name: name.to_string(),
                });
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Language package managers

/// A dependency install by a language package manager.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DepInstall {
    /// `pip`, `npm`, `yarn`, `pnpm`, `go`, `poetry`, `pipenv`, `uv`, `bundler`, `gem`,
    /// `composer`, `cargo`, `maven`.
    pub manager: &'static str,
    /// Installs exactly what manifest files list (`pip install -r requirements.txt`,
    /// `npm ci`, `go mod download`...): it needs the manifests and nothing else.
    pub from_manifests: bool,
    /// The manifest files it reads (for pip, the `-r` files).
    pub manifests: Vec<String>,
    /// Downloads packages (so a cache is involved); false for e.g. `go build` of vendored code.
    pub downloads: bool,
}

fn is_pip(cmd: &Command) -> Option<usize> {
    let name = cmd.basename()?;
    if name.starts_with("pip") && !name.starts_with("pipx") && !name.starts_with("pipenv") {
        return Some(0);
    }
    if name.starts_with("python") {
        let args = cmd.args();
        let at = args
            .windows(2)
            .position(|w| w[0].value == "-m" && w[1].value == "pip")?;
        return Some(at + 2);
    }
    if name == "uv"
        && cmd
            .positional_args()
            .first()
            .is_some_and(|w| w.value == "pip")
    {
        return Some(1);
    }
    None
}

/// Reads a dependency install from a command.
pub fn dep_install(cmd: &Command) -> Option<DepInstall> {
    let name = cmd.basename()?;
    // Rules ask about every command; leave the rest before collecting arguments.
    const MANAGERS: [&str; 15] = [
        "uv", "npm", "yarn", "pnpm", "go", "poetry", "pipenv", "bundle", "bundler", "gem",
        "composer", "cargo", "mvn", "mvnw", "maven",
    ];
    if !(name.starts_with("pip") || name.starts_with("python") || MANAGERS.contains(&name)) {
        return None;
    }
    let positional = cmd.positional_args();
    let sub = |n: usize| positional.get(n).map(|w| w.value.as_str());
    let manifests = |m: &str| {
        knowledge::manifest_files(m)
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    let make = |manager: &'static str, from_manifests: bool, downloads: bool| DepInstall {
        manager,
        from_manifests,
        manifests: if from_manifests {
            manifests(if manager == "bundler" {
                "bundler"
            } else {
                manager
            })
        } else {
            Vec::new()
        },
        downloads,
    };
    if let Some(skip) = is_pip(cmd) {
        let args: Vec<&Word> = cmd.args().iter().skip(skip).collect();
        if !args.iter().any(|w| w.value == "install") {
            return None;
        }
        let mut requirements = Vec::new();
        let mut others = 0;
        let mut i = 0;
        while i < args.len() {
            let v = args[i].value.as_str();
            if v == "-r" || v == "--requirement" || v == "-c" || v == "--constraint" {
                if let Some(next) = args.get(i + 1) {
                    if v == "-r" || v == "--requirement" {
                        requirements.push(next.value.clone());
                    }
                }
                i += 2;
                continue;
            }
            if let Some(file) = v
                .strip_prefix("--requirement=")
                .or_else(|| v.strip_prefix("-r").filter(|r| !r.is_empty()))
            {
                requirements.push(file.to_string());
            } else if v == "-e"
                || v == "--editable"
                || (!v.starts_with('-') && v != "install" && v != "pip")
            {
                // Editable installs, local paths and named packages need more than manifests.
                others += 1;
            }
            i += 1;
        }
        return Some(DepInstall {
            manager: "pip",
            from_manifests: !requirements.is_empty() && others == 0,
            manifests: requirements,
            downloads: true,
        });
    }
    Some(match name {
        "npm" => match sub(0)? {
            "ci" | "clean-install" => make("npm", true, true),
            "install" | "i" | "add" => make("npm", positional.len() == 1, true),
            _ => return None,
        },
        "yarn" => match sub(0) {
            None if cmd.args().is_empty() => make("yarn", true, true),
            Some("install") => make("yarn", true, true),
            Some("add") => make("yarn", false, true),
            _ => return None,
        },
        "pnpm" => match sub(0)? {
            "install" | "i" => make("pnpm", positional.len() == 1, true),
            "fetch" => make("pnpm", true, true),
            "add" => make("pnpm", false, true),
            _ => return None,
        },
        "go" => match (sub(0)?, sub(1)) {
            ("mod", Some("download")) => make("go", true, true),
            ("build" | "install" | "get", _) => make("go", false, true),
            _ => return None,
        },
        "poetry" => match sub(0)? {
            "install" | "sync" => make("poetry", true, true),
            "add" => make("poetry", false, true),
            _ => return None,
        },
        "pipenv" => match sub(0)? {
            "install" | "sync" => make("pipenv", positional.len() == 1, true),
            _ => return None,
        },
        "uv" => match sub(0)? {
            "sync" => make("uv", true, true),
            _ => return None,
        },
        "bundle" | "bundler" => match sub(0) {
            None if cmd.args().is_empty() => make("bundler", true, true),
            Some("install") => make("bundler", true, true),
            _ => return None,
        },
        "gem" => match sub(0)? {
            "install" | "i" => make("gem", false, true),
            _ => return None,
        },
        "composer" => match sub(0)? {
            "install" => make("composer", true, true),
            "require" | "update" => make("composer", false, true),
            _ => return None,
        },
        "cargo" => match sub(0)? {
            "fetch" => make("cargo", true, true),
            "build" | "install" => make("cargo", false, true),
            _ => return None,
        },
        "mvn" | "mvnw"
            if positional.iter().any(|w| {
                w.value.starts_with("dependency:go-offline") || w.value == "dependency:resolve"
            }) =>
        {
            make("maven", true, true)
        }
        _ => return None,
    })
}

/// Whether a RUN's cache or tmpfs mounts cover a path containing `fragment`.
pub fn has_cache_mount_for(mounts: &[Mount], fragment: &str) -> bool {
    mounts.iter().any(|m| {
        matches!(m.kind, MountType::Cache | MountType::Tmpfs)
            && m.target.as_deref().is_some_and(|t| {
                let t = t.trim_end_matches('/');
                !t.is_empty() && (t.contains(fragment) || fragment.contains(t))
            })
    })
}

// ---------------------------------------------------------------------------------------
// Secrets

/// Why a file name looks like it holds a secret, if it does.
pub fn secret_file(name: &str) -> Option<&'static str> {
    let base = basename(name.trim_matches('"')).to_ascii_lowercase();
    let harmless_env = [
        ".example",
        ".sample",
        ".template",
        ".dist",
        ".defaults",
        ".default",
        ".tpl",
        ".test",
    ];
    if base == ".env"
        || (base.starts_with(".env.") && !harmless_env.iter().any(|s| base.ends_with(s)))
    {
        return Some("an environment file with credentials");
    }
    match base.as_str() {
        "id_rsa" | "id_dsa" | "id_ecdsa" | "id_ed25519" => return Some("an SSH private key"),
        ".npmrc" => return Some("npm credentials (`_authToken`)"),
        ".pypirc" => return Some("PyPI upload credentials"),
        ".netrc" | "_netrc" => return Some("login credentials for HTTP/FTP hosts"),
        ".git-credentials" => return Some("git credentials"),
        "credentials" | "credentials.json" => return Some("a credentials file"),
        ".dockercfg" => return Some("registry credentials"),
        "htpasswd" | ".htpasswd" => return Some("password hashes"),
        _ => {}
    }
    if name.trim_matches('"').ends_with(".docker/config.json") {
        return Some("registry credentials");
    }
    let ext = base.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "key" if !base.contains("pub") => Some("a private key"),
        "pem" => {
            let public = ["cert", "ca", "chain", "bundle", "pub", "root", "crt"]
                .iter()
                .any(|w| base.contains(w));
            (!public).then_some("a PEM file (private keys are kept in these)")
        }
        "p12" | "pfx" | "jks" | "keystore" => Some("a key store"),
        _ => None,
    }
}

#[cfg(test)]
pub mod test_support {
    //! Linting helpers for the g5 rules' tests.

    use crate::dockerignore::Dockerignore;
    use crate::model::Model;
    use crate::rules::{lint, Config, Finding, LintOptions};

    /// Findings of `code` on `text` (default config, no .dockerignore).
    pub fn findings(code: &str, text: &str) -> Vec<Finding> {
        findings_with(code, text, &Config::default(), None)
    }

    pub fn findings_with(
        code: &str,
        text: &str,
        config: &Config,
        ignore: Option<&str>,
    ) -> Vec<Finding> {
        let ignore = ignore.map(Dockerignore::parse);
        lint(
            &Model::parse(text),
            config,
            ignore.as_ref(),
            &LintOptions {
                keep_off_by_default: true,
            },
        )
        .into_iter()
        .filter(|f| f.code == code)
        .collect()
    }

    /// `text` with every fix of `code`'s findings applied (panics if the result does not
    /// parse cleanly).
    pub fn fixed(code: &str, text: &str) -> String {
        fixed_with(code, text, &Config::default(), None)
    }

    pub fn fixed_with(code: &str, text: &str, config: &Config, ignore: Option<&str>) -> String {
        let found = findings_with(code, text, config, ignore);
        let fixes: Vec<&crate::fix::Fix> = found.iter().filter_map(|f| f.fix.as_ref()).collect();
        let (out, _) = crate::fix::apply_fixes(text, fixes);
        let model = Model::parse(&out);
        assert!(
            model.doc.errors.is_empty() && model.errors.is_empty(),
            "fixed text does not parse: {:?}\n{out}",
            model.errors
        );
        out
    }

    /// Whether some finding of `code` on `text` carries a fix.
    pub fn has_fix(code: &str, text: &str) -> bool {
        findings(code, text).iter().any(|f| f.fix.is_some())
    }

    /// The source text each finding of `code` points at.
    pub fn spans(code: &str, text: &str) -> Vec<String> {
        findings(code, text)
            .iter()
            .map(|f| f.span.slice(text).to_string())
            .collect()
    }

    /// The guide's three Real-World Examples.
    pub const FASTAPI: &str = "FROM python:3.13-slim AS builder\n\nWORKDIR /app\n\n# Install build dependencies\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends \\\n        build-essential \\\n        libpq-dev \\\n    && rm -rf /var/lib/apt/lists/*\n\n# Install Poetry\nRUN pip install --no-cache-dir poetry\n\n# Configure Poetry\nENV POETRY_NO_INTERACTION=1 \\\n    POETRY_VIRTUALENVS_IN_PROJECT=1 \\\n    POETRY_CACHE_DIR=/tmp/poetry_cache\n\n# Copy only dependency files (cache layer)\nCOPY pyproject.toml poetry.lock ./\n\n# Install dependencies\nRUN poetry install --only=main --no-root && rm -rf $POETRY_CACHE_DIR\n\nFROM python:3.13-slim\n\nENV PYTHONUNBUFFERED=1 \\\n    PYTHONDONTWRITEBYTECODE=1 \\\n    PATH=\"/app/.venv/bin:$PATH\"\n\nWORKDIR /app\n\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends libpq5 \\\n    && rm -rf /var/lib/apt/lists/*\n\nRUN useradd --create-home --no-log-init --shell /bin/bash app\n\nCOPY --from=builder --chown=app:app /app/.venv /app/.venv\n\nCOPY --chown=app:app . .\n\nUSER app\n\nEXPOSE 8000\n\nHEALTHCHECK --interval=30s --timeout=10s --start-period=40s --retries=3 \\\n    CMD python -c \"import urllib.request; urllib.request.urlopen('http://localhost:8000/health')\"\n\nCMD [\"uvicorn\", \"src.app.main:task_app\", \"--host\", \"0.0.0.0\", \"--port\", \"8000\"]\n";

    pub const NEXTJS: &str = "FROM node:18-alpine AS deps\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --only=production\n\nFROM node:18-alpine AS builder\nWORKDIR /app\nCOPY . .\nCOPY --from=deps /app/node_modules ./node_modules\nRUN npm run build\n\nFROM node:18-alpine AS runner\nWORKDIR /app\n\nENV NODE_ENV=production\n\nRUN addgroup --system --gid 1001 nodejs \\\n    && adduser --system --uid 1001 nextjs\n\nCOPY --from=builder --chown=nextjs:nodejs /app/.next ./.next\nCOPY --from=builder --chown=nextjs:nodejs /app/public ./public\nCOPY --from=deps /app/node_modules ./node_modules\nCOPY --from=builder /app/package.json ./package.json\n\nUSER nextjs\n\nEXPOSE 3000\n\nCMD [\"npm\", \"start\"]\n";

    pub const GO: &str = "# Builder: Compile Go binary\nFROM golang:1.21-alpine AS builder\n\nWORKDIR /app\n\n# Copy go.mod and go.sum first (cache dependencies)\nCOPY go.mod go.sum ./\nRUN go mod download\n\n# Copy source code\nCOPY . .\n\n# Build static binary\nRUN CGO_ENABLED=0 GOOS=linux go build -a -installsuffix cgo -o main .\n\n# Runtime: Ultra-minimal image\nFROM scratch\n\n# Copy CA certificates (for HTTPS requests)\nCOPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\n\n# Copy binary\nCOPY --from=builder /app/main /main\n\nEXPOSE 8080\n\nCMD [\"/main\"]\n";
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;

    #[test]
    fn package_ops() {
        let s = shell::parse_script(
            "apt-get install -y -o Dpkg::Options::=x gcc=12 $PKGS libpq-dev && apk add --no-cache --virtual .deps musl-dev && apk del .deps",
        );
        let ops: Vec<_> = s.commands.iter().filter_map(package_op).collect();
        assert_eq!(ops.len(), 3);
        assert!(ops[0].install);
        let names: Vec<&str> = ops[0]
            .packages
            .iter()
            .map(|w| package_name(&w.value))
            .collect();
        assert_eq!(names, ["gcc", "libpq-dev"]);
        assert_eq!(ops[1].virtual_name, Some(".deps"));
        assert!(!ops[2].install);
    }

    #[test]
    fn dep_installs() {
        let get = |t: &str| {
            let s = shell::parse_script(t);
            s.commands.iter().find_map(dep_install)
        };
        let pip = get("pip install --no-cache-dir -r requirements.txt").unwrap();
        assert!(pip.from_manifests);
        assert_eq!(pip.manifests, ["requirements.txt"]);
        assert!(
            !get("pip install -r requirements.txt -e .")
                .unwrap()
                .from_manifests
        );
        assert!(!get("pip install flask").unwrap().from_manifests);
        assert!(
            get("python -m pip install -r req.txt")
                .unwrap()
                .from_manifests
        );
        assert!(get("npm ci").unwrap().from_manifests);
        assert!(!get("npm install express").unwrap().from_manifests);
        assert!(get("go mod download").unwrap().from_manifests);
        assert!(!get("go build ./...").unwrap().from_manifests);
        assert!(get("npm run build").is_none());
        assert!(get("bundle install").unwrap().from_manifests);
    }

    #[test]
    fn secret_files() {
        assert!(secret_file(".env").is_some());
        assert!(secret_file("config/.env.production").is_some());
        assert!(secret_file(".env.example").is_none());
        assert!(secret_file("/root/.ssh/id_rsa").is_some());
        assert!(secret_file("id_rsa.pub").is_none());
        assert!(secret_file("server.key").is_some());
        assert!(secret_file("privkey.pem").is_some());
        assert!(secret_file("ca-cert.pem").is_none());
        assert!(secret_file("app.py").is_none());
    }

    #[test]
    fn chains() {
        let model =
            Model::parse("FROM python:3.13 AS base\nRUN x\nFROM base AS mid\nFROM mid\nRUN y\n");
        assert_eq!(chain(&model, 2), vec![2, 1, 0]);
        assert!(matches!(root_of(&model, 2), Root::Image(i, 0) if i.name == "python"));
        assert_eq!(chain_instructions(&model, &[2, 1, 0]), vec![1, 4]);
    }

    #[test]
    fn guide_examples_parse() {
        for text in [FASTAPI, NEXTJS, GO] {
            assert!(Model::parse(text).errors.is_empty());
        }
    }
}

#[cfg(test)]
mod corpus {
    //! `cargo test -p layerlens-core --lib g5_corpus -- --ignored --nocapture`: every LL rule
    //! over the corpus (tests/corpus), with counts per rule and each finding listed to a file.

    use std::collections::BTreeMap;

    use crate::model::Model;
    use crate::rules::{lint, Config, LintOptions};

    #[test]
    #[ignore]
    fn g5_corpus() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
        let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        let mut listing = String::new();
        let mut files = 0;
        let mut dirs: Vec<_> = std::fs::read_dir(&root).unwrap().flatten().collect();
        dirs.sort_by_key(|d| d.path());
        for dir in dirs.into_iter().filter(|d| d.path().is_dir()) {
            let mut entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
            entries.sort_by_key(|d| d.path());
            for entry in entries {
                let Ok(text) = std::fs::read_to_string(entry.path()) else {
                    continue;
                };
                files += 1;
                let model = Model::parse(&text);
                let findings = lint(
                    &model,
                    &Config::default(),
                    None,
                    &LintOptions {
                        keep_off_by_default: true,
                    },
                );
                let mut seen = std::collections::BTreeSet::new();
                for f in findings.iter().filter(|f| f.code.starts_with("LL")) {
                    let c = counts.entry(f.code).or_default();
                    c.0 += 1;
                    if seen.insert(f.code) {
                        c.1 += 1;
                    }
                    let line = text[..f.span.start.min(text.len())].matches('\n').count() + 1;
                    listing.push_str(&format!(
                        "{}\t{}/{}:{}\t{}\t{}\n",
                        f.code,
                        dir.file_name().to_string_lossy(),
                        entry.file_name().to_string_lossy(),
                        line,
                        f.span.slice(&text).lines().next().unwrap_or(""),
                        f.message
                    ));
                }
            }
        }
        println!("{files} files");
        for (code, (n, in_files)) in &counts {
            println!("{code}\t{n} findings\t{in_files} files");
        }
        std::fs::write("/tmp/g5_corpus_findings.tsv", listing).unwrap();
    }
}
