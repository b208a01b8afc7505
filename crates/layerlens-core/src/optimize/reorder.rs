//! Ordering layers for caching: copy the dependency manifests and install before copying
//! the application.
//!
//! ```text
//! COPY . .                              COPY requirements.txt .
//! RUN pip install -r requirements.txt → RUN pip install -r requirements.txt
//!                                       COPY . .
//! ```
//!
//! COPY's cache key is the content of everything it copies, and every step after a cache miss
//! runs again; with the application copied first, any code edit reinstalls every dependency.
//!
//! **Unsafe**, with guards that make the two files build the same image whenever the
//! manifests name no other file of the build context:
//! - the COPY copies the whole context (`.` or `./`) and nothing else, with no variables and
//!   no flags but `--chown`, `--chmod`, `--link` (the manifest COPY gets the same flags);
//! - the install step reads only manifests: `pip install -r/-c FILE` (plus named packages),
//!   `npm ci`/`npm install` without packages, `yarn install`, `pnpm install`/`fetch`,
//!   `go mod download`, `poetry install --no-root`, `uv sync --no-install-project`,
//!   `pipenv install`/`sync`, `bundle install`, `composer install --no-scripts
//!   --no-autoloader`, `mvn dependency:go-offline`; every other command of its RUN is a
//!   package-manager or system step that reads nothing of the context;
//! - the manifests resolve into the directory the COPY wrote, all in one directory;
//! - what lies between the COPY and the install neither reads nor overwrites the copied
//!   files (ENV, ARG, LABEL, EXPOSE, USER, absolute WORKDIR, COPYs elsewhere, system RUNs).
//!
//! It stays unsafe because a manifest can refer to other files (`-r base.txt`, `-e .`, a
//! local `replace` in go.mod, a gemspec, npm lifecycle scripts, a private `.npmrc`), which the
//! install would then not find. Lock files a project may not have are copied with a glob
//! (`yarn.lock*`), which matches nothing without failing.

use crate::fix::{Applicability, Edit};
use crate::instructions::{Source, Typed};
use crate::model::{join_path, Model};
use crate::shell::Command;

use super::engine::{Candidate, Ctx, Proposal, Refusal};
use super::facts::{cleanup, package_op, plain_run, Cleanup};
use super::text::{
    block, block_text, insert_after, is_within, join_rel, keyword_indent, line_of, short,
};
use super::MoveKind;

/// A dependency install that reads manifests only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Install {
    pub manager: &'static str,
    /// Manifest paths as the command reads them (relative to its directory or absolute);
    /// may be globs.
    pub manifests: Vec<String>,
    /// The directory the install runs in, when it says (`npm --prefix`).
    pub dir: Option<String>,
}

fn is_pip_name(name: &str) -> bool {
    name.strip_prefix("pip")
        .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

fn is_python_name(name: &str) -> bool {
    name.strip_prefix("python")
        .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// pip options that take a value in the next word.
const PIP_VALUE_FLAGS: [&str; 24] = [
    "-t",
    "--target",
    "--prefix",
    "--root",
    "-i",
    "--index-url",
    "--extra-index-url",
    "--trusted-host",
    "--src",
    "--upgrade-strategy",
    "--progress-bar",
    "--python-version",
    "--platform",
    "--implementation",
    "--abi",
    "--only-binary",
    "--no-binary",
    "-C",
    "--config-settings",
    "--log",
    "--cache-dir",
    "--timeout",
    "--retries",
    "--proxy",
];

/// Reads a pip install: `Some(Ok)` reads only manifests, `Some(Err)` reads more.
fn pip_install(cmd: &Command) -> Option<Result<Install, String>> {
    let name = cmd.basename()?;
    let args: Vec<&str> = cmd.args().iter().map(|w| w.value.as_str()).collect();
    let rest: &[&str] = if is_pip_name(name) {
        &args
    } else if is_python_name(name) {
        let at = args.windows(2).position(|w| w == ["-m", "pip"])?;
        &args[at + 2..]
    } else {
        return None;
    };
    let install_at = rest.iter().position(|a| !a.starts_with('-'))?;
    if rest[install_at] != "install" {
        return None;
    }
    if cmd.args().iter().any(|w| w.has_expansion) {
        return Some(Err("the install uses variables".into()));
    }
    let mut manifests = Vec::new();
    let mut k = install_at + 1;
    while k < rest.len() {
        let a = rest[k];
        let value_of = |k: usize| rest.get(k + 1).map(|s| s.to_string());
        match a {
            "-r" | "--requirement" | "-c" | "--constraint" => {
                if let Some(v) = value_of(k) {
                    manifests.push(v);
                }
                k += 2;
                continue;
            }
            "-e" | "--editable" => {
                return Some(Err("it installs an editable local project".into()))
            }
            "-f" | "--find-links" => {
                if value_of(k).is_some_and(|v| !v.contains("://")) {
                    return Some(Err("it reads packages from a local directory".into()));
                }
                k += 2;
                continue;
            }
            _ => {}
        }
        if let Some(v) = a
            .strip_prefix("--requirement=")
            .or_else(|| a.strip_prefix("--constraint="))
            .or_else(|| {
                a.strip_prefix("-r")
                    .filter(|v| !v.is_empty() && !a.starts_with("--"))
            })
            .or_else(|| {
                a.strip_prefix("-c")
                    .filter(|v| !v.is_empty() && !a.starts_with("--"))
            })
        {
            manifests.push(v.to_string());
        } else if a.starts_with("--find-links=") && !a.contains("://") {
            return Some(Err("it reads packages from a local directory".into()));
        } else if PIP_VALUE_FLAGS.contains(&a) {
            k += 1;
        } else if !a.starts_with('-') {
            // A package: a name is fine, a path or URL to local files is not.
            if a == "." || a.starts_with('.') || a.starts_with('/') || a.contains('/') {
                return Some(Err(format!("it installs `{a}` from the context")));
            }
        }
        k += 1;
    }
    if manifests.is_empty() {
        return None;
    }
    Some(Ok(Install {
        manager: "pip",
        manifests,
        dir: None,
    }))
}

/// Reads a dependency install: `None` when `cmd` is not one.
pub fn dep_install(cmd: &Command) -> Option<Result<Install, String>> {
    if let Some(pip) = pip_install(cmd) {
        return Some(pip);
    }
    let name = cmd.basename()?;
    let positional = cmd.positional_args_with(&["--prefix", "-C", "--dir", "--cwd"]);
    let sub = positional.first().map(|w| w.value.as_str());
    let ok = |manager: &'static str, files: &[&str]| {
        Some(Ok(Install {
            manager,
            manifests: files.iter().map(|s| s.to_string()).collect(),
            dir: None,
        }))
    };
    let err = |why: &str| Some(Err(why.to_string()));
    if cmd
        .words
        .iter()
        .any(|w| w.has_expansion && !w.value.contains('*'))
    {
        return match name {
            "npm" | "yarn" | "pnpm" | "go" | "poetry" | "uv" | "pipenv" | "bundle" | "composer" => {
                err("the install uses variables")
            }
            _ => None,
        };
    }
    match name {
        "npm" => {
            let install = match sub? {
                "ci" | "clean-install" => true,
                "install" | "i" => positional.len() == 1,
                _ => return None,
            };
            if !install {
                return err("it adds packages, which changes package.json");
            }
            let mut i = ok("npm", &["package*.json"]);
            if let Some(Ok(x)) = &mut i {
                x.dir = cmd.flag_value("--prefix").map(str::to_string);
            }
            i
        }
        "yarn" => match sub {
            None | Some("install") if positional.len() <= 1 => {
                if cmd.flag_value("--cwd").is_some() {
                    return err("it runs in another directory");
                }
                ok("yarn", &["package.json", "yarn.lock*"])
            }
            _ => None,
        },
        "pnpm" => match sub? {
            "install" | "i" if positional.len() == 1 => {
                ok("pnpm", &["package.json", "pnpm-lock.yaml*"])
            }
            "fetch" => ok("pnpm", &["pnpm-lock.yaml"]),
            _ => None,
        },
        "go" => match (sub?, positional.get(1).map(|w| w.value.as_str())) {
            ("mod", Some("download")) => ok("go", &["go.mod", "go.sum*"]),
            _ => None,
        },
        "poetry" => match sub? {
            "install" | "sync" => {
                if cmd.has_long_flag("no-root") {
                    ok("poetry", &["pyproject.toml", "poetry.lock*"])
                } else {
                    err("`poetry install` without `--no-root` installs the project itself, which needs its sources")
                }
            }
            _ => None,
        },
        "uv" => match sub? {
            "sync" => {
                if cmd.has_long_flag("no-install-project") {
                    ok("uv", &["pyproject.toml", "uv.lock*"])
                } else {
                    err("`uv sync` without `--no-install-project` installs the project itself, which needs its sources")
                }
            }
            _ => None,
        },
        "pipenv" => match sub? {
            "install" | "sync" if positional.len() == 1 => {
                ok("pipenv", &["Pipfile", "Pipfile.lock*"])
            }
            _ => None,
        },
        "bundle" | "bundler" => match sub {
            None if cmd.args().is_empty() => ok("bundler", &["Gemfile", "Gemfile.lock*"]),
            Some("install") => ok("bundler", &["Gemfile", "Gemfile.lock*"]),
            _ => None,
        },
        "composer" => match sub? {
            "install" => {
                if cmd.has_long_flag("no-scripts") && cmd.has_long_flag("no-autoloader") {
                    ok("composer", &["composer.json", "composer.lock*"])
                } else {
                    err("`composer install` runs scripts and builds the autoloader from the sources; it needs `--no-scripts --no-autoloader` to work from the manifests alone")
                }
            }
            _ => None,
        },
        "cargo" => match sub? {
            "fetch" => {
                err("`cargo fetch` needs the crate's source targets to exist, not only Cargo.toml")
            }
            _ => None,
        },
        "mvn" => {
            if positional.iter().any(|w| {
                w.value.starts_with("dependency:go-offline") || w.value == "dependency:resolve"
            }) {
                if cmd.flag_value("-f").is_some() || cmd.flag_value("--file").is_some() {
                    return err("it reads another POM");
                }
                ok("maven", &["pom.xml"])
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Whether a command reads or writes nothing of the build context copied into `dest`
/// (when run with working directory `cwd`).
fn context_free(cmd: &Command, cwd: &str, dest: &str) -> bool {
    let outside = |p: &str| {
        let abs = join_path(cwd, p);
        p.starts_with('/') && !is_within(&abs, dest) && !is_within(dest, &abs)
    };
    if cmd.redirects.iter().any(|r| {
        r.target.as_ref().is_some_and(|t| {
            !(t.value.starts_with("/dev/")
                || t.value.chars().all(|c| c.is_ascii_digit() || c == '-')
                || outside(&t.value))
        })
    }) {
        return false;
    }
    if cmd.words.is_empty() {
        return cmd.assignments.is_empty();
    }
    let Some(name) = cmd.basename() else {
        return false;
    };
    if package_op(cmd).is_some() {
        return true;
    }
    match cleanup(cmd) {
        Some(Cleanup::Rm(paths)) => return paths.iter().all(|p| outside(p)),
        Some(_) => return true,
        None => {}
    }
    let positional = cmd.positional_args();
    match name {
        "true"
        | ":"
        | "echo"
        | "useradd"
        | "groupadd"
        | "adduser"
        | "addgroup"
        | "update-ca-certificates" => true,
        "mkdir" | "ln" | "touch" => positional.iter().all(|w| outside(&w.value)),
        "chmod" | "chown" => {
            positional.len() > 1 && positional.iter().skip(1).all(|w| outside(&w.value))
        }
        "pip" | "pip3" => {
            // `pip install <names>` (no files, no requirements).
            positional.first().is_some_and(|w| w.value == "install")
                && cmd.args().iter().all(|w| {
                    !w.has_expansion
                        && !matches!(
                            w.value.as_str(),
                            "-r" | "--requirement" | "-e" | "--editable" | "-c"
                        )
                        && !w.value.starts_with('.')
                        && !w.value.contains('/')
                })
        }
        "npm" => cmd.has_flag('g') || cmd.has_long_flag("global"),
        _ => false,
    }
}

/// The whole-context COPY at `i`: its destination as written and resolved, and its flags.
struct WholeCopy {
    dest_written: String,
    dest: String,
    flags: Vec<String>,
}

fn whole_copy(model: &Model, i: usize) -> Option<WholeCopy> {
    let Typed::Copy(copy) = &model.typed[i] else {
        return None;
    };
    let ins = &model.doc.instructions[i];
    if copy.from.is_some() || !ins.heredocs.is_empty() || !copy.exclude.is_empty() || copy.parents {
        return None;
    }
    let [Source::Path(src)] = copy.sources.as_slice() else {
        return None;
    };
    if !matches!(src.value.as_str(), "." | "./") {
        return None;
    }
    if ins.original().contains('$') {
        return None;
    }
    let dest_written = copy.dest.value.clone();
    let dest = join_path(&model.contexts[i].workdir, &dest_written);
    let flags = ins
        .command
        .flags
        .iter()
        .map(|f| f.text.span.slice(&model.doc.text).to_string())
        .collect();
    Some(WholeCopy {
        dest_written,
        dest,
        flags,
    })
}

/// Why instruction `b`, between the COPY and the install, keeps the order, if it does.
fn blocks_move(model: &Model, b: usize, w: &WholeCopy) -> Option<String> {
    let line = line_of(model, b);
    match &model.typed[b] {
        Typed::Env(_)
        | Typed::Arg(_)
        | Typed::Label(_)
        | Typed::Expose(_)
        | Typed::User(_)
        | Typed::Stopsignal(_)
        | Typed::Healthcheck(_)
        | Typed::Cmd(_)
        | Typed::Entrypoint(_)
        | Typed::Shell(_)
        | Typed::Maintainer(_) => None,
        Typed::Workdir(_) => (!w.dest_written.starts_with('/')).then(|| {
            format!("the WORKDIR on line {line} would change where the moved COPY writes")
        }),
        Typed::Copy(c) => {
            let dest = join_path(&model.contexts[b].workdir, &c.dest.value);
            (is_within(&dest, &w.dest) || is_within(&w.dest, &dest) || c.dest.value.contains('$'))
                .then(|| format!("the COPY on line {line} writes where the moved COPY writes"))
        }
        Typed::Add(a) => {
            let dest = join_path(&model.contexts[b].workdir, &a.dest.value);
            (is_within(&dest, &w.dest) || is_within(&w.dest, &dest) || a.dest.value.contains('$'))
                .then(|| format!("the ADD on line {line} writes where the moved COPY writes"))
        }
        Typed::Run(_) => {
            let cwd = model.contexts[b].workdir.clone();
            let Some(part) = plain_run(model, b) else {
                return Some(format!("the RUN on line {line} may use the copied files"));
            };
            let free = part
                .script
                .commands
                .iter()
                .all(|c| !c.via_shell_c && context_free(c, &cwd, &w.dest));
            (!free).then(|| format!("the RUN on line {line} may use the copied files"))
        }
        _ => Some(format!("line {line} keeps the order")),
    }
}

/// The manifests an install reads (absolute paths) and its manager, or why it reads more.
type InstallRead = Result<(Vec<String>, &'static str), String>;

/// The install of RUN `q`.
fn install_of(model: &Model, q: usize, w: &WholeCopy) -> Option<InstallRead> {
    let part = plain_run(model, q)?;
    let mut cwd = model.contexts[q].workdir.clone();
    let mut manifests = Vec::new();
    let mut manager = "";
    let mut found = false;
    let mut blocker: Option<String> = None;
    for (k, cmd) in part.script.commands.iter().enumerate() {
        if cmd.via_shell_c || cmd.in_function {
            blocker.get_or_insert("the RUN runs commands through `sh -c`".into());
            continue;
        }
        if k == 0 && cmd.is("cd") {
            match cmd.args() {
                [dir] if !dir.has_expansion => {
                    cwd = join_path(&cwd, &dir.value);
                    continue;
                }
                _ => {
                    blocker.get_or_insert("the RUN changes directory".into());
                    continue;
                }
            }
        }
        match dep_install(cmd) {
            Some(Ok(install)) => {
                found = true;
                manager = install.manager;
                let dir = match &install.dir {
                    Some(d) => join_path(&cwd, d),
                    None => cwd.clone(),
                };
                for m in install.manifests {
                    manifests.push(join_path(&dir, &m));
                }
            }
            Some(Err(why)) => return Some(Err(why)),
            None => {
                if !context_free(cmd, &cwd, &w.dest) {
                    blocker.get_or_insert(format!(
                        "`{}` in the same RUN may read the copied files",
                        part.text.get(cmd.range.clone()).unwrap_or("").trim()
                    ));
                }
            }
        }
    }
    if !found {
        return None;
    }
    if let Some(b) = blocker {
        return Some(Err(b));
    }
    Some(Ok((manifests, manager)))
}

pub fn propose(cx: &Ctx) -> Vec<Proposal> {
    let model = cx.model;
    let mut out = Vec::new();
    for stage in &model.stages {
        let ins = &stage.instructions;
        for (pos, &w_at) in ins.iter().enumerate() {
            let Some(w) = whole_copy(model, w_at) else {
                continue;
            };
            // The first install after it, and what lies between.
            let mut blocked: Option<String> = None;
            let mut target: Option<(usize, InstallRead)> = None;
            for &b in &ins[pos + 1..] {
                if let Some(r) = install_of(model, b, &w) {
                    target = Some((b, r));
                    break;
                }
                if blocked.is_none() {
                    blocked = blocks_move(model, b, &w);
                }
                // Another copy of the whole context: the install belongs to that one.
                if whole_copy(model, b).is_some() {
                    break;
                }
            }
            let Some((q, install)) = target else {
                continue;
            };
            let title = format!(
                "Install dependencies (line {}) before copying the application (line {})",
                line_of(model, q),
                line_of(model, w_at)
            );
            let at = model.doc.instructions[w_at].span;
            let refuse = |reason: String| {
                Err(Refusal {
                    kind: MoveKind::Reorder,
                    title: title.clone(),
                    rules: vec!["LL1001".into()],
                    reason,
                    at,
                })
            };
            if let Some(why) = blocked {
                out.push(refuse(why));
                continue;
            }
            let (manifests, manager) = match install {
                Ok(x) => x,
                Err(why) => {
                    out.push(refuse(format!(
                        "the install may read more than its manifests: {why}"
                    )));
                    continue;
                }
            };
            // Manifests as context paths, all in one directory.
            let mut rels = Vec::new();
            let mut bad = None;
            for m in &manifests {
                let rel = if w.dest == "/" {
                    m.strip_prefix('/').map(str::to_string)
                } else {
                    m.strip_prefix(&format!("{}/", w.dest.trim_end_matches('/')))
                        .map(str::to_string)
                };
                match rel {
                    Some(r) if !r.is_empty() && !r.contains("..") => rels.push(r),
                    _ => bad = Some(m.clone()),
                }
            }
            if let Some(m) = bad {
                out.push(refuse(format!(
                    "the install reads `{m}`, which the COPY on line {} does not write",
                    line_of(model, w_at)
                )));
                continue;
            }
            let dir_of = |r: &str| {
                r.rsplit_once('/')
                    .map(|(d, _)| d.to_string())
                    .unwrap_or_default()
            };
            let dir = dir_of(&rels[0]);
            if rels.iter().any(|r| dir_of(r) != dir) {
                out.push(refuse("the manifests are in several directories".into()));
                continue;
            }
            if let Some(ignore) = &cx.options.dockerignore {
                if let Some(r) = rels.iter().find(|r| !r.contains('*') && ignore.excludes(r)) {
                    out.push(refuse(format!("`.dockerignore` excludes `{r}`")));
                    continue;
                }
            }
            let mut sources: Vec<String> = Vec::new();
            for r in &rels {
                if !sources.contains(r) {
                    sources.push(r.clone());
                }
            }
            // A directory destination; with several files (or a glob) it must end in `/`.
            let several = sources.len() > 1 || sources.iter().any(|s| s.contains('*'));
            let dest = if dir.is_empty() {
                let d = w.dest_written.clone();
                if d.ends_with('/') || (d == "." && !several) {
                    d
                } else {
                    format!("{d}/")
                }
            } else {
                format!("{}/", join_rel(&w.dest_written, &dir))
            };
            let style = &cx.style;
            let mut line = keyword_indent(model, w_at);
            line.push_str(&style.keyword("COPY"));
            for f in &w.flags {
                line.push(' ');
                line.push_str(f);
            }
            for s in &sources {
                line.push(' ');
                line.push_str(s);
            }
            line.push(' ');
            line.push_str(&dest);
            line.push_str(style.newline);
            let moved_block = block(model, w_at);
            let moved_text = block_text(model, moved_block, style);
            let mut c = Candidate::new(MoveKind::Reorder, Applicability::Unsafe, at);
            c.title = title.clone();
            c.moved = format!(
                "`{}` moved below `{}`; `{}` added before the install",
                short(model, w_at),
                short(model, q),
                line.trim()
            );
            c.rules = vec!["LL1001".into()];
            c.why = format!(
                "COPY's cache key is the content of everything it copies, and after a cache miss \
                 every later step runs again. With the whole application copied before the \
                 {manager} install, any code edit reinstalls every dependency; with only the \
                 manifests copied first, the install stays cached until they change."
            );
            c.key = format!(
                "reorder:{}:{}",
                model.doc.instructions[w_at].original(),
                model.doc.instructions[q].original()
            );
            c.edits = vec![
                Edit::insert(moved_block.start, line),
                Edit::delete(moved_block),
                insert_after(model, q, &moved_text, style),
            ];
            out.push(Ok(c));
        }
    }
    out
}
