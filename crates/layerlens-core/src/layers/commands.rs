//! What a RUN writes: each shell command read as a change to the file model (packages
//! installed or purged, indexes and caches left behind, dependencies, build outputs,
//! downloads, deletions, `chown -R` copies) with a sized part for the layer's estimate.
//!
//! This is a clean re-implementation of the package-manager reading the guide's lint rules
//! do (`rules/guide/g5_util.rs` keeps its helpers private to the rules): here every
//! command also needs a size and a place in the file model.

use crate::instructions::MountType;
use crate::knowledge;
use crate::model::{join_path, Model};
use crate::shell::{Command, Word};

use super::files::{is_within, FileKind, FileSystem};
use super::size::{compressed, default_part, unknown_part, Confidence, SizePart, SizeRange};

/// Writes one layer: the file model and the parts of the layer's estimate stay in step
/// (a unit deleted in the same layer takes its part out again).
pub(super) struct LayerWriter<'f> {
    pub i: usize,
    pub fs: &'f mut FileSystem,
    parts: Vec<Option<SizePart>>,
    /// (unit, part) written by this layer.
    unit_parts: Vec<(usize, usize)>,
    /// Mount targets (cache, tmpfs, bind): what goes there is not stored in the layer.
    skip_under: Vec<String>,
    pub notes: Vec<String>,
    counter: usize,
}

impl<'f> LayerWriter<'f> {
    pub fn new(i: usize, fs: &'f mut FileSystem) -> Self {
        LayerWriter {
            i,
            fs,
            parts: Vec::new(),
            unit_parts: Vec::new(),
            skip_under: Vec::new(),
            notes: Vec::new(),
            counter: 0,
        }
    }

    /// A key unique to this layer (`apt:12:0`).
    pub fn key(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}:{}:{}", self.i, self.counter)
    }

    /// Stores a unit; returns its index, or `None` when it goes to a mount.
    pub fn write(
        &mut self,
        key: &str,
        path: &str,
        kind: FileKind,
        part: SizePart,
    ) -> Option<usize> {
        if let Some(target) = self.skip_under.iter().find(|t| is_within(path, t)) {
            self.notes.push(format!(
                "{} goes to the mount at {target}: not stored in the layer",
                part.what
            ));
            return None;
        }
        let at = self
            .fs
            .write(self.i, key, path, &part.what, kind, part.bytes);
        match self.unit_parts.iter().find(|(u, _)| *u == at) {
            Some(&(_, p)) => self.parts[p] = Some(part),
            None => {
                self.parts.push(Some(part));
                self.unit_parts.push((at, self.parts.len() - 1));
            }
        }
        Some(at)
    }

    /// Deletes unit `at` in this layer.
    pub fn delete_unit(&mut self, at: usize) {
        if !self.fs.delete(at, self.i) {
            // It never left this layer: it costs nothing.
            if let Some(&(_, p)) = self.unit_parts.iter().find(|(u, _)| *u == at) {
                if let Some(slot) = self.parts.get_mut(p) {
                    *slot = None;
                }
            }
        }
    }

    /// Deletes whatever `target` (an absolute path, a glob or `dir/*`) covers.
    pub fn delete(&mut self, target: &str) {
        for at in self.fs.covered(target) {
            self.delete_unit(at);
        }
    }

    /// `chown -R` / `chmod -R`: files under `target` from earlier layers are stored again.
    pub fn copy_up(&mut self, target: &str, command: &str) {
        let (bytes, touched) = self.fs.copy_up(target, self.i);
        if touched.is_empty() {
            return;
        }
        self.parts.push(Some(SizePart {
            what: format!("files under {target} stored again by `{command}`"),
            bytes,
            confidence: if bytes.is_known() {
                Confidence::Approximate
            } else {
                Confidence::Unknown
            },
            source: "changing owner or mode copies each file whole into the new layer (overlay copy-up); sizes from the layers that wrote them".into(),
        }));
    }

    pub fn into_parts(self) -> (Vec<SizePart>, Vec<String>) {
        (self.parts.into_iter().flatten().collect(), self.notes)
    }
}

/// What a RUN needs to know about where it runs.
pub(super) struct RunContext<'a> {
    pub model: &'a Model,
    pub i: usize,
    pub workdir: String,
    /// `python3.13`, from the stage's base image tag (`python3` when unknown).
    pub python: String,
}

impl RunContext<'_> {
    /// A variable's value at this instruction (ARG or ENV), or from the command's own
    /// assignments (`PIP_NO_CACHE_DIR=1 pip install`).
    fn var(&self, cmd: &Command, name: &str) -> Option<String> {
        for a in &cmd.assignments {
            if let Some((n, v)) = a.value.split_once('=') {
                if n == name {
                    return Some(v.to_string());
                }
            }
        }
        self.model
            .scope(self.i)
            .binding(name)
            .and_then(|b| b.value.clone())
    }

    fn truthy(&self, cmd: &Command, name: &str) -> Option<bool> {
        self.var(cmd, name).map(|v| {
            !matches!(
                v.trim().to_ascii_lowercase().as_str(),
                "" | "0" | "false" | "no" | "off"
            )
        })
    }

    /// A word with `$VAR`s expanded (`None` if it cannot be).
    fn word(&self, w: &Word) -> Option<String> {
        if !w.value.contains('$') {
            return Some(w.value.clone());
        }
        let v = self.model.expand(self.i, &w.value).ok()?;
        (!v.is_empty() && !v.contains('$')).then_some(v)
    }

    /// A path written in the command, made absolute (`~` is root's home).
    fn path(&self, raw: &str) -> String {
        let p = if raw == "~" {
            "/root".to_string()
        } else if let Some(rest) = raw.strip_prefix("~/") {
            format!("/root/{rest}")
        } else {
            raw.to_string()
        };
        if p.contains(['*', '?', '[']) {
            // Keep globs as written, only made absolute.
            if p.starts_with('/') {
                p
            } else {
                format!("{}/{p}", self.workdir.trim_end_matches('/'))
            }
        } else {
            join_path(&self.workdir, &p)
        }
    }

    fn template(&self, t: &str) -> String {
        t.replace("{workdir}", self.workdir.trim_end_matches('/'))
            .replace("{python}", &self.python)
    }

    fn target(&self, manager: &str, fallback: &str) -> String {
        knowledge::install_target(manager)
            .map(|(t, _)| self.template(t))
            .unwrap_or_else(|| fallback.to_string())
    }
}

/// Reads every command of RUN `ctx.i` into the file model.
pub(super) fn interpret_run(ctx: &RunContext, w: &mut LayerWriter) {
    let Some(run) = ctx.model.run(ctx.i) else {
        return;
    };
    if let Some(crate::instructions::Typed::Run(r)) = ctx.model.typed.get(ctx.i) {
        for m in &r.mounts {
            if let Some(t) = &m.target {
                let t = join_path(&ctx.workdir, t);
                w.skip_under.push(t.clone());
                if matches!(m.kind, MountType::Cache) {
                    w.notes.push(format!(
                        "cache mount at {t}: what is written there stays out of the image"
                    ));
                }
            }
        }
    }
    let commands: Vec<&Command> = run
        .commands()
        .map(|(c, _)| c)
        .filter(|c| !c.in_function && !c.in_substitution)
        .collect();
    // `apt-mark auto '.*'` + `apt-get purge --auto-remove`: everything installed is removed.
    let apt_mark_auto = commands.iter().any(|c| {
        c.words
            .windows(2)
            .any(|p| p[0].value.ends_with("apt-mark") && p[1].value == "auto")
    });
    for cmd in commands {
        interpret(ctx, w, cmd, apt_mark_auto);
    }
}

fn interpret(ctx: &RunContext, w: &mut LayerWriter, cmd: &Command, apt_mark_auto: bool) {
    let Some(name) = cmd.basename() else {
        return;
    };
    let name = name.to_string();
    let handled = match name.as_str() {
        "apt-get" | "apt" | "aptitude" => apt(ctx, w, cmd, apt_mark_auto),
        "apk" => apk(w, cmd),
        "yum" | "dnf" | "microdnf" | "tdnf" | "dnf5" => rpm(w, cmd, "rpm", "/var/cache/dnf"),
        "zypper" => rpm(w, cmd, "zypper", "/var/cache/zypp"),
        "npm" => npm(ctx, w, cmd),
        "yarn" => yarn(ctx, w, cmd, "yarn"),
        "pnpm" => yarn(ctx, w, cmd, "pnpm"),
        "poetry" => poetry(ctx, w, cmd),
        "pipenv" => pipenv(ctx, w, cmd),
        "go" => go(ctx, w, cmd),
        "cargo" => cargo(ctx, w, cmd),
        "gem" => gem(w, cmd),
        "bundle" | "bundler" => {
            simple_deps(ctx, w, cmd, &["install"], "bundler", "deps_bundler", true)
        }
        "composer" => simple_deps(
            ctx,
            w,
            cmd,
            &["install", "update", "require"],
            "composer",
            "deps_composer",
            false,
        ),
        "mvn" | "mvnw" | "./mvnw" => maven(ctx, w, cmd),
        "make" => make(ctx, w, cmd),
        "rm" => rm(ctx, w, cmd),
        "chown" | "chmod" | "chgrp" => recursive_owner(ctx, w, cmd, &name),
        "curl" => curl(ctx, w, cmd),
        "wget" => wget(ctx, w, cmd),
        _ => false,
    };
    if handled {
        return;
    }
    if pip(ctx, w, cmd) {
        return;
    }
    match knowledge::small_command(&name) {
        Some((false, _)) => {}
        Some((true, _)) => {
            let key = w.key("small");
            let what = format!("files written by `{name}`");
            w.write(
                &key,
                &ctx.workdir,
                FileKind::Other,
                default_part("small_files", what),
            );
        }
        None => {
            let key = w.key("cmd");
            let part = unknown_part(
                format!("files written by `{name}`"),
                "no table says what this command writes",
            );
            w.write(&key, &ctx.workdir, FileKind::Other, part);
        }
    }
}

// ---------------------------------------------------------------------------------------
// OS packages

/// The subcommand (first positional word) and the words after it.
fn sub_and_rest<'c>(cmd: &'c Command, value_flags: &[&str]) -> Option<(String, Vec<&'c Word>)> {
    let positional = cmd.positional_args_with(value_flags);
    let at = positional.iter().position(|w| !w.has_expansion)?;
    let sub = positional[at].value.clone();
    Some((sub, positional[at + 1..].to_vec()))
}

/// A package word without version or release (`gcc=12` → `gcc`, `vim/bookworm` → `vim`,
/// `musl@edge` → `musl`); `None` for variables and options.
fn package_word(w: &Word) -> Option<String> {
    if w.has_expansion || w.value.is_empty() || w.value.starts_with('-') {
        return None;
    }
    let v = w.value.as_str();
    let end = v.find(['=', '>', '<', '~', '/', '@']).unwrap_or(v.len());
    let name = v[..end].trim_end_matches(':');
    (!name.is_empty()).then(|| name.to_string())
}

/// The estimate of installing `names` with `manager`: a row for the whole set, else each
/// package's row or the manager's default, added up as packages that may share files.
fn packages_part(
    manager: &'static str,
    label: &str,
    names: &[String],
    recommends: bool,
) -> SizePart {
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let what = format!("{label} {}", names.join(", "));
    if let Some(f) = knowledge::package_facts(manager, &refs, recommends) {
        return SizePart {
            what,
            bytes: SizeRange::mb(f.installed_mb, f.installed_mb),
            confidence: Confidence::Measured,
            source: format!("package_sizes.tsv `{}`: {}", f.packages, f.source),
        };
    }
    let default_key = if manager == "apt" && recommends {
        "apt_unknown_package_recommends".to_string()
    } else {
        format!("{manager}_unknown_package")
    };
    let mut ranges = Vec::new();
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    let mut confidence = Confidence::Approximate;
    for n in names {
        if let Some(f) = knowledge::package_facts(manager, &[n.as_str()], recommends) {
            ranges.push(SizeRange::mb(f.installed_mb, f.installed_mb));
            known.push(n.as_str());
        } else {
            let d = default_part(&default_key, n.clone());
            confidence = confidence.max(d.confidence);
            ranges.push(d.bytes);
            unknown.push(n.as_str());
        }
    }
    let mut source = String::new();
    if !known.is_empty() {
        source.push_str(&format!("package_sizes.tsv rows for {}", known.join(", ")));
    }
    if !unknown.is_empty() {
        if !source.is_empty() {
            source.push_str("; ");
        }
        let d = knowledge::layer_default(&default_key);
        source.push_str(&format!(
            "{} not in the tables: default `{default_key}` {} each",
            unknown.join(", "),
            d.map(|d| format!("{}–{} MB ({})", d.low, d.high, d.source))
                .unwrap_or_default()
        ));
    }
    if names.len() > 1 {
        source.push_str("; packages may share dependencies: at least the largest, at most the sum");
    }
    SizePart {
        what,
        bytes: SizeRange::overlapping(&ranges),
        confidence,
        source,
    }
}

/// Removes `names` (and, with `all`, every package this layer's manager installed in this
/// RUN) from the live package units of `manager`.
fn remove_packages(w: &mut LayerWriter, manager: &str, names: &[String], all_of_layer: bool) {
    let i = w.i;
    let targets: Vec<usize> =
        w.fs.units
            .iter()
            .enumerate()
            .filter(|(_, u)| {
                u.alive && u.manager == Some(leak(manager)) && u.kind == FileKind::Packages
            })
            .filter(|(_, u)| {
                (all_of_layer && u.created_by() == Some(i))
                    || u.packages.iter().any(|p| names.contains(p))
            })
            .map(|(at, _)| at)
            .collect();
    for at in targets {
        let unit = &w.fs.units[at];
        let whole = (all_of_layer && unit.created_by() == Some(i))
            || unit.packages.iter().all(|p| names.contains(p));
        if whole {
            w.delete_unit(at);
            continue;
        }
        // Part of a set: split off the removed packages' share and delete that.
        let removed: Vec<String> = unit
            .packages
            .iter()
            .filter(|p| names.contains(p))
            .cloned()
            .collect();
        let label = unit.what.split(' ').take(2).collect::<Vec<_>>().join(" ");
        let share = packages_part(leak(manager), &label, &removed, true);
        let share_bytes = share.bytes.hull(SizeRange {
            min: 0,
            max: share.bytes.max,
        });
        let (created, path) = (unit.created_by().unwrap_or(i), unit.path.clone());
        let rest_bytes = unit.bytes.saturating_sub(share_bytes);
        {
            let unit = &mut w.fs.units[at];
            unit.packages.retain(|p| !names.contains(p));
            unit.bytes = rest_bytes;
            if let Some(first) = unit.history.first_mut() {
                first.bytes = rest_bytes;
            }
        }
        let key = format!("{manager}:{created}:split:{}", removed.join(","));
        let split = w.fs.write(
            created,
            &key,
            &path,
            &share.what,
            FileKind::Packages,
            share_bytes,
        );
        w.fs.units[split].packages = removed;
        w.fs.units[split].manager = Some(leak(manager));
        w.delete_unit(split);
    }
}

/// Manager names are a fixed set; keep them `'static` without allocating.
fn leak(manager: &str) -> &'static str {
    match manager {
        "apt" => "apt",
        "apk" => "apk",
        "rpm" => "rpm",
        "zypper" => "zypper",
        _ => "other",
    }
}

fn install_unit(w: &mut LayerWriter, manager: &'static str, names: Vec<String>, part: SizePart) {
    let key = w.key(manager);
    if let Some(at) = w.write(&key, "/usr", FileKind::Packages, part) {
        w.fs.units[at].packages = names;
        w.fs.units[at].manager = Some(manager);
    }
}

fn apt(ctx: &RunContext, w: &mut LayerWriter, cmd: &Command, apt_mark_auto: bool) -> bool {
    let _ = ctx;
    let value_flags = ["-t", "--target-release", "-o", "-c", "--option"];
    let Some((sub, rest)) = sub_and_rest(cmd, &value_flags) else {
        return true;
    };
    match sub.as_str() {
        "update" => {
            let key = "apt-lists".to_string();
            w.write(
                &key,
                "/var/lib/apt/lists",
                FileKind::PackageLists,
                default_part("apt_lists", "apt package lists"),
            );
        }
        "install" => {
            let names: Vec<String> = rest.iter().filter_map(|w| package_word(w)).collect();
            if names.is_empty() {
                return true;
            }
            let options = cmd.flag_values("-o").join(" ") + &cmd.flag_values("--option").join(" ");
            let recommends = !(cmd.has_long_flag("no-install-recommends")
                || options.contains("Install-Recommends=false")
                || options.contains("Install-Recommends=0"));
            let label = if recommends {
                "apt packages (with Recommends)"
            } else {
                "apt packages"
            };
            let part = packages_part("apt", label, &names, recommends);
            install_unit(w, "apt", names, part);
        }
        "remove" | "purge" | "autoremove" | "autopurge" => {
            let names: Vec<String> = rest.iter().filter_map(|w| package_word(w)).collect();
            let auto = sub.starts_with("auto") || cmd.has_long_flag("auto-remove");
            remove_packages(w, "apt", &names, auto && apt_mark_auto);
        }
        // apt 2.7+: `clean` plus the package lists.
        "distclean" | "dist-clean" => w.delete("/var/lib/apt/lists"),
        "upgrade" | "dist-upgrade" | "full-upgrade" => {
            let key = w.key("apt-upgrade");
            w.write(
                &key,
                "/usr",
                FileKind::Packages,
                unknown_part(
                    "upgraded packages",
                    "what an upgrade replaces depends on the day it runs",
                ),
            );
        }
        _ => {}
    }
    true
}

fn apk(w: &mut LayerWriter, cmd: &Command) -> bool {
    let value_flags = [
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
    ];
    let Some((sub, rest)) = sub_and_rest(cmd, &value_flags) else {
        return true;
    };
    let index = |w: &mut LayerWriter| {
        w.write(
            "apk-index",
            "/var/cache/apk",
            FileKind::PackageLists,
            default_part("apk_index", "apk repository indexes"),
        );
    };
    match sub.as_str() {
        "add" => {
            let mut names: Vec<String> = rest.iter().filter_map(|w| package_word(w)).collect();
            if names.is_empty() {
                return true;
            }
            if !cmd.has_long_flag("no-cache") {
                index(w);
            }
            let part = packages_part("apk", "apk packages", &names, false);
            if let Some(v) = cmd.flag_value("-t").or_else(|| cmd.flag_value("--virtual")) {
                names.push(v.to_string());
            }
            install_unit(w, "apk", names, part);
        }
        "del" => {
            let names: Vec<String> = rest.iter().filter_map(|w| package_word(w)).collect();
            remove_packages(w, "apk", &names, false);
        }
        "update" => index(w),
        "cache"
            if rest
                .first()
                .is_some_and(|w| w.value == "clean" || w.value == "purge") =>
        {
            w.delete("/var/cache/apk");
        }
        _ => {}
    }
    true
}

fn rpm(w: &mut LayerWriter, cmd: &Command, manager: &'static str, cache: &str) -> bool {
    let value_flags = [
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
        "-R",
        "--root",
        "-r",
        "--repo",
        "--from",
        "-t",
        "--type",
    ];
    let Some((sub, rest)) = sub_and_rest(cmd, &value_flags) else {
        return true;
    };
    match sub.as_str() {
        "install" | "in" | "groupinstall" | "localinstall" | "reinstall" => {
            let names: Vec<String> = rest.iter().filter_map(|w| package_word(w)).collect();
            if names.is_empty() {
                return true;
            }
            let key = format!("{manager}-cache");
            w.write(
                &key,
                cache,
                FileKind::PackageLists,
                default_part("rpm_cache", format!("{manager} metadata cache")),
            );
            let part = packages_part(manager, &format!("{manager} packages"), &names, false);
            install_unit(w, manager, names, part);
        }
        "remove" | "erase" | "rm" | "autoremove" => {
            let names: Vec<String> = rest.iter().filter_map(|w| package_word(w)).collect();
            remove_packages(w, manager, &names, false);
        }
        "clean" => w.delete(cache),
        _ => {}
    }
    true
}

// ---------------------------------------------------------------------------------------
// Language package managers

/// A cache unit at the manager's cache directory sized as the archives of `installed`.
fn cache_unit(w: &mut LayerWriter, manager: &str, dir: &str, installed: SizeRange) {
    let key = w.key(&format!("{manager}-cache"));
    let part = SizePart {
        what: format!("{manager} download cache"),
        bytes: compressed(installed),
        confidence: if installed.is_known() {
            Confidence::Approximate
        } else {
            Confidence::Unknown
        },
        source: format!(
            "the cache keeps the downloaded archives: the installed size ÷ the compression ratio of layer_defaults.tsv; cache directory from package_caches.tsv ({dir})"
        ),
    };
    w.write(&key, dir, FileKind::Cache, part);
}

fn cache_dir(manager: &str) -> String {
    knowledge::cache_targets(manager)
        .first()
        .map(|s| s.to_string())
        .unwrap_or_else(|| format!("/root/.cache/{manager}"))
}

fn deps_unit(w: &mut LayerWriter, key_prefix: &str, path: &str, part: SizePart) -> SizeRange {
    let bytes = part.bytes;
    let key = w.key(key_prefix);
    w.write(&key, path, FileKind::Dependencies, part);
    bytes
}

/// The part for named packages of a language manager: rows, else the manager's default.
fn named_packages(manager: &'static str, names: &[String]) -> SizePart {
    let label = format!("{manager} packages");
    packages_part(manager, &label, names, false)
}

/// Whether a pip command (`pip`, `pip3`, `python -m pip`, `uv pip`) and its arguments.
fn pip_args(cmd: &Command) -> Option<Vec<&Word>> {
    let name = cmd.basename()?;
    let args = cmd.args();
    let skip =
        if name.starts_with("pip") && !name.starts_with("pipx") && !name.starts_with("pipenv") {
            0
        } else if name.starts_with("python") {
            args.windows(2)
                .position(|w| w[0].value == "-m" && w[1].value == "pip")?
                + 2
        } else if name == "uv" && args.first().is_some_and(|w| w.value == "pip") {
            1
        } else {
            return None;
        };
    Some(args.iter().skip(skip).collect())
}

fn pip(ctx: &RunContext, w: &mut LayerWriter, cmd: &Command) -> bool {
    let Some(args) = pip_args(cmd) else {
        return false;
    };
    let sub = args
        .iter()
        .find(|a| !a.value.starts_with('-'))
        .map(|a| a.value.as_str());
    match sub {
        Some("install") => {}
        Some("cache")
            if args
                .iter()
                .any(|a| a.value == "purge" || a.value == "remove") =>
        {
            w.delete(&cache_dir("pip"));
            return true;
        }
        _ => return true,
    }
    let mut names = Vec::new();
    let mut manifests = false;
    let mut target: Option<String> = None;
    let mut user = false;
    let mut i = 0;
    while i < args.len() {
        let v = args[i].value.as_str();
        let next = args.get(i + 1).and_then(|w| ctx.word(w));
        match v {
            "install" => {}
            "-r" | "--requirement" | "-c" | "--constraint" => {
                manifests |= v.ends_with('r') || v == "--requirement";
                i += 1;
            }
            "-e" | "--editable" => {
                manifests = true;
                i += 1;
            }
            "-t" | "--target" | "--prefix" | "--root" => {
                target = next;
                i += 1;
            }
            "--user" => user = true,
            "-i" | "--index-url" | "--extra-index-url" | "-f" | "--find-links"
            | "--trusted-host" | "--platform" | "--python-version" | "--only-binary"
            | "--no-binary" | "--progress-bar" | "--cache-dir" | "--src" => i += 1,
            _ if v.starts_with("--requirement=") || (v.starts_with("-r") && v.len() > 2) => {
                manifests = true
            }
            _ if v.starts_with("--target=") || v.starts_with("--prefix=") => {
                target = v.split_once('=').map(|(_, t)| t.to_string());
            }
            _ if v.starts_with('-') => {}
            _ if v == "."
                || v.starts_with("./")
                || v.starts_with('/')
                || v.ends_with(".whl")
                || v.ends_with(".tar.gz") =>
            {
                manifests = true
            }
            _ => {
                if let Some(n) = package_word(args[i]) {
                    let n = n
                        .split(['[', '!'])
                        .next()
                        .unwrap_or(&n)
                        .to_ascii_lowercase();
                    names.push(n);
                } else {
                    manifests = true;
                }
            }
        }
        i += 1;
    }
    let path = match (target, user) {
        (Some(t), _) => ctx.path(&t),
        (None, true) => ctx.target("pip-user", "/root/.local"),
        (None, false) => venv_in_path(ctx, cmd)
            .unwrap_or_else(|| ctx.target("pip", "/usr/local/lib/python3/site-packages")),
    };
    let mut installed = SizeRange::ZERO;
    if !names.is_empty() {
        installed = installed.plus(deps_unit(w, "pip", &path, named_packages("pip", &names)));
    }
    if manifests {
        installed = installed.plus(deps_unit(
            w,
            "pip",
            &path,
            default_part(
                "deps_pip",
                "Python dependencies from requirements / the project",
            ),
        ));
    }
    let no_cache =
        cmd.has_long_flag("no-cache-dir") || ctx.truthy(cmd, "PIP_NO_CACHE_DIR") == Some(true);
    if !no_cache && (!names.is_empty() || manifests) {
        cache_unit(w, "pip", &cache_dir("pip"), installed);
    }
    true
}

/// The virtualenv a `PATH=/opt/venv/bin:$PATH` puts first, if any.
fn venv_in_path(ctx: &RunContext, cmd: &Command) -> Option<String> {
    let path = ctx.var(cmd, "PATH")?;
    let first = path.split(':').next()?;
    let dir = first.strip_suffix("/bin")?;
    (dir.contains("venv") || dir.contains(".venv")).then(|| dir.to_string())
}

fn poetry(ctx: &RunContext, w: &mut LayerWriter, cmd: &Command) -> bool {
    let Some((sub, _)) = sub_and_rest(cmd, &[]) else {
        return true;
    };
    if !matches!(sub.as_str(), "install" | "sync" | "add" | "update") {
        return true;
    }
    let path = if ctx.truthy(cmd, "POETRY_VIRTUALENVS_IN_PROJECT") == Some(true) {
        ctx.target("poetry-in-project", "/.venv")
    } else if ctx.truthy(cmd, "POETRY_VIRTUALENVS_CREATE") == Some(false) {
        ctx.target("pip", "/usr/local/lib/python3/site-packages")
    } else if let Some(p) = ctx.var(cmd, "POETRY_VIRTUALENVS_PATH") {
        ctx.path(&p)
    } else {
        ctx.target("poetry", "/root/.cache/pypoetry/virtualenvs")
    };
    let installed = deps_unit(
        w,
        "poetry",
        &path,
        default_part(
            "deps_pip",
            "Python dependencies from pyproject.toml / poetry.lock",
        ),
    );
    let cache = ctx
        .var(cmd, "POETRY_CACHE_DIR")
        .map(|p| ctx.path(&p))
        .unwrap_or_else(|| cache_dir("poetry"));
    cache_unit(w, "poetry", &cache, installed);
    true
}

fn pipenv(ctx: &RunContext, w: &mut LayerWriter, cmd: &Command) -> bool {
    let Some((sub, _)) = sub_and_rest(cmd, &[]) else {
        return true;
    };
    if !matches!(sub.as_str(), "install" | "sync") {
        return true;
    }
    let path = if cmd.has_long_flag("system") {
        ctx.target("pip", "/usr/local/lib/python3/site-packages")
    } else if ctx.truthy(cmd, "PIPENV_VENV_IN_PROJECT") == Some(true) {
        ctx.target("poetry-in-project", "/.venv")
    } else {
        ctx.target("pipenv", "/root/.local/share/virtualenvs")
    };
    deps_unit(
        w,
        "pipenv",
        &path,
        default_part("deps_pip", "Python dependencies from Pipfile.lock"),
    );
    true
}

fn npm(ctx: &RunContext, w: &mut LayerWriter, cmd: &Command) -> bool {
    let Some((sub, rest)) = sub_and_rest(cmd, &["--prefix", "-w", "--workspace", "--cache"]) else {
        return true;
    };
    let global = cmd.has_flag('g') || cmd.has_long_flag("global");
    match sub.as_str() {
        "ci" | "clean-install" | "install" | "i" | "add" => {
            let names: Vec<String> = rest.iter().filter_map(|w| package_word(w)).collect();
            let path = if global {
                ctx.target("npm-global", "/usr/local/lib/node_modules")
            } else {
                ctx.target("npm", "/node_modules")
            };
            let installed = if names.is_empty() {
                deps_unit(
                    w,
                    "npm",
                    &path,
                    default_part(
                        "deps_npm",
                        "Node.js dependencies from package.json / package-lock.json",
                    ),
                )
            } else {
                deps_unit(w, "npm", &path, named_packages("npm", &names))
            };
            cache_unit(w, "npm", &cache_dir("npm"), installed);
        }
        "cache" if rest.first().is_some_and(|w| w.value == "clean") => w.delete(&cache_dir("npm")),
        "run" | "run-script" => {
            if rest.first().is_some_and(|w| w.value.contains("build")) {
                build_output(ctx, w, "npm run build");
            } else {
                script_unknown(ctx, w, "npm run");
            }
        }
        _ => script_unknown(ctx, w, "npm"),
    }
    true
}

/// yarn and pnpm.
fn yarn(ctx: &RunContext, w: &mut LayerWriter, cmd: &Command, manager: &'static str) -> bool {
    let sub = sub_and_rest(cmd, &["--cwd", "--cache-folder", "--store-dir"]);
    let (sub, rest) = sub.unwrap_or_else(|| ("install".to_string(), Vec::new()));
    match sub.as_str() {
        "install" | "i" | "fetch" => {
            let installed = deps_unit(
                w,
                manager,
                &ctx.target(manager, "/node_modules"),
                default_part("deps_npm", format!("Node.js dependencies ({manager})")),
            );
            cache_unit(w, manager, &cache_dir(manager), installed);
        }
        "add" => {
            let names: Vec<String> = rest.iter().filter_map(|w| package_word(w)).collect();
            let installed = deps_unit(
                w,
                manager,
                &ctx.target(manager, "/node_modules"),
                named_packages("npm", &names),
            );
            cache_unit(w, manager, &cache_dir(manager), installed);
        }
        "cache" | "store"
            if rest
                .first()
                .is_some_and(|w| w.value == "clean" || w.value == "prune") =>
        {
            w.delete(&cache_dir(manager))
        }
        s if s.contains("build")
            || (s == "run" && rest.first().is_some_and(|w| w.value.contains("build"))) =>
        {
            build_output(ctx, w, &format!("{manager} build"))
        }
        _ => script_unknown(ctx, w, manager),
    }
    true
}

fn go(ctx: &RunContext, w: &mut LayerWriter, cmd: &Command) -> bool {
    let Some((sub, rest)) = sub_and_rest(
        cmd,
        &[
            "-o",
            "-C",
            "-ldflags",
            "-gcflags",
            "-tags",
            "-installsuffix",
            "-p",
            "-mod",
        ],
    ) else {
        return true;
    };
    match (sub.as_str(), rest.first().map(|w| w.value.as_str())) {
        ("mod", Some("download")) => {
            deps_unit(
                w,
                "go",
                &ctx.target("go", "/go/pkg/mod"),
                default_part("deps_go", "Go module cache"),
            );
        }
        ("build", _) => {
            let out = cmd
                .flag_value("-o")
                .map(|o| ctx.path(o))
                .unwrap_or_else(|| ctx.workdir.clone());
            let key = w.key("go-build");
            w.write(
                &key,
                &out,
                FileKind::BuildOutput,
                default_part("go_binary", "Go binary"),
            );
            let key = w.key("go-build-cache");
            w.write(
                &key,
                &cache_dir_at("go", 1, "/root/.cache/go-build"),
                FileKind::Cache,
                default_part("build_cache", "Go build cache"),
            );
        }
        ("install" | "get", _) => {
            let key = w.key("go-install");
            w.write(
                &key,
                "/go/bin",
                FileKind::Dependencies,
                default_part("go_unknown_package", "Go tools"),
            );
        }
        _ => {}
    }
    true
}

fn cache_dir_at(manager: &str, n: usize, fallback: &str) -> String {
    knowledge::cache_targets(manager)
        .get(n)
        .map(|s| s.to_string())
        .unwrap_or_else(|| fallback.to_string())
}

fn cargo(ctx: &RunContext, w: &mut LayerWriter, cmd: &Command) -> bool {
    let Some((sub, _)) = sub_and_rest(
        cmd,
        &[
            "--target-dir",
            "-p",
            "--package",
            "--bin",
            "--features",
            "--root",
        ],
    ) else {
        return true;
    };
    match sub.as_str() {
        "build" | "b" => {
            let key = w.key("cargo-build");
            w.write(
                &key,
                &ctx.target("cargo-build", "/target"),
                FileKind::BuildOutput,
                default_part("deps_cargo", "cargo registry sources and target directory"),
            );
        }
        "fetch" => {
            deps_unit(
                w,
                "cargo",
                &ctx.target("cargo", "/usr/local/cargo/registry"),
                default_part("deps_cargo", "cargo registry sources"),
            );
        }
        "install" => {
            let key = w.key("cargo-install");
            w.write(
                &key,
                "/usr/local/cargo/bin",
                FileKind::Dependencies,
                default_part("cargo_unknown_package", "cargo-installed binaries"),
            );
        }
        _ => {}
    }
    true
}

fn gem(w: &mut LayerWriter, cmd: &Command) -> bool {
    let Some((sub, rest)) = sub_and_rest(cmd, &["-v", "--version", "-i", "--install-dir"]) else {
        return true;
    };
    if matches!(sub.as_str(), "install" | "i") {
        let names: Vec<String> = rest.iter().filter_map(|w| package_word(w)).collect();
        if !names.is_empty() {
            deps_unit(w, "gem", "/usr/local/bundle", named_packages("gem", &names));
        }
    }
    true
}

fn simple_deps(
    ctx: &RunContext,
    w: &mut LayerWriter,
    cmd: &Command,
    subs: &[&str],
    manager: &str,
    default_key: &str,
    bare_installs: bool,
) -> bool {
    let sub = sub_and_rest(cmd, &[]).map(|(s, _)| s);
    let installs = match &sub {
        Some(s) => subs.contains(&s.as_str()),
        None => bare_installs,
    };
    if installs {
        let path = ctx.target(manager, "/usr/local/bundle");
        deps_unit(
            w,
            manager,
            &path,
            default_part(default_key, format!("{manager} dependencies")),
        );
    }
    true
}

fn maven(ctx: &RunContext, w: &mut LayerWriter, cmd: &Command) -> bool {
    let goals: Vec<&str> = cmd
        .positional_args()
        .iter()
        .map(|w| w.value.as_str())
        .collect();
    if goals.is_empty() {
        return true;
    }
    deps_unit(
        w,
        "maven",
        &ctx.target("maven", "/root/.m2/repository"),
        default_part("deps_maven", "Maven local repository"),
    );
    if goals
        .iter()
        .any(|g| matches!(*g, "package" | "install" | "verify"))
    {
        build_output(ctx, w, "mvn package");
    }
    true
}

fn make(ctx: &RunContext, w: &mut LayerWriter, cmd: &Command) -> bool {
    if cmd.positional_args().iter().any(|a| a.value == "install") {
        script_unknown(ctx, w, "make install");
    } else {
        build_output(ctx, w, "make");
    }
    true
}

fn build_output(ctx: &RunContext, w: &mut LayerWriter, what: &str) {
    let key = w.key("build");
    w.write(
        &key,
        &ctx.workdir,
        FileKind::BuildOutput,
        default_part("build_output", format!("output of `{what}`")),
    );
}

fn script_unknown(ctx: &RunContext, w: &mut LayerWriter, what: &str) {
    let key = w.key("cmd");
    w.write(
        &key,
        &ctx.workdir,
        FileKind::Other,
        unknown_part(
            format!("files written by `{what}`"),
            "a project script: what it writes is not known",
        ),
    );
}

// ---------------------------------------------------------------------------------------
// Files

fn rm(ctx: &RunContext, w: &mut LayerWriter, cmd: &Command) -> bool {
    for word in cmd.positional_args() {
        if let Some(v) = ctx.word(word) {
            let target = ctx.path(&v);
            if target != "/" {
                w.delete(&target);
            }
        }
    }
    true
}

fn recursive_owner(ctx: &RunContext, w: &mut LayerWriter, cmd: &Command, name: &str) -> bool {
    let recursive = cmd.has_flag('R') || cmd.has_long_flag("recursive");
    let positional = cmd.positional_args_with(&["--reference"]);
    if !recursive || positional.len() < 2 {
        let key = w.key("small");
        w.write(
            &key,
            &ctx.workdir,
            FileKind::Other,
            default_part("small_files", format!("files changed by `{name}`")),
        );
        return true;
    }
    for word in &positional[1..] {
        if let Some(v) = ctx.word(word) {
            let target = ctx.path(&v);
            w.copy_up(&target, &format!("{name} -R"));
        }
    }
    true
}

/// The last path component of a URL, without query.
fn url_basename(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next()?;
    let base = path.rsplit('/').next()?;
    (!base.is_empty() && base.contains('.')).then(|| base.to_string())
}

fn download(ctx: &RunContext, w: &mut LayerWriter, path: &str, url: Option<&str>) {
    let key = w.key("download");
    let what = match url {
        Some(u) => format!("download of {u}"),
        None => "downloaded file".to_string(),
    };
    w.write(
        &key,
        &ctx.path(path),
        FileKind::Download,
        unknown_part(
            what,
            "the size of a remote file is not known without fetching it",
        ),
    );
}

fn curl(ctx: &RunContext, w: &mut LayerWriter, cmd: &Command) -> bool {
    let url = cmd
        .positional_args_with(&[
            "-o",
            "--output",
            "-H",
            "--header",
            "-u",
            "--user",
            "-d",
            "--data",
            "-X",
            "--request",
            "-A",
            "--user-agent",
            "--retry",
            "-m",
            "--max-time",
            "--connect-timeout",
            "-w",
            "--write-out",
            "--proto",
            "-e",
            "--referer",
            "--cacert",
            "-K",
            "--config",
        ])
        .into_iter()
        .find(|w| w.value.contains("://"))
        .map(|w| w.value.clone());
    if let Some(out) = cmd.flag_value("-o").or_else(|| cmd.flag_value("--output")) {
        if out != "-" && out != "/dev/null" {
            download(ctx, w, out, url.as_deref());
        }
    } else if cmd.has_flag('O') || cmd.has_long_flag("remote-name") {
        if let Some(base) = url.as_deref().and_then(url_basename) {
            download(ctx, w, &base, url.as_deref());
        }
    }
    true
}

fn wget(ctx: &RunContext, w: &mut LayerWriter, cmd: &Command) -> bool {
    let value_flags = [
        "-O",
        "--output-document",
        "-P",
        "--directory-prefix",
        "-o",
        "--output-file",
        "-t",
        "--tries",
        "-T",
        "--timeout",
        "--header",
        "-U",
        "--user-agent",
    ];
    let url = cmd
        .positional_args_with(&value_flags)
        .into_iter()
        .find(|w| w.value.contains("://"))
        .map(|w| w.value.clone());
    match cmd
        .flag_value("-O")
        .or_else(|| cmd.flag_value("--output-document"))
    {
        Some("-") | Some("/dev/null") => {}
        Some(out) => download(ctx, w, out, url.as_deref()),
        None => {
            if let Some(base) = url.as_deref().and_then(url_basename) {
                let dir = cmd
                    .flag_value("-P")
                    .or_else(|| cmd.flag_value("--directory-prefix"));
                let path = match dir {
                    Some(d) => format!("{}/{base}", d.trim_end_matches('/')),
                    None => base,
                };
                download(ctx, w, &path, url.as_deref());
            }
        }
    }
    true
}
