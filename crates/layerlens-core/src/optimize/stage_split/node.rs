//! The Node shape of the stage split: the builder keeps the full install, the sources and
//! the build; the runtime stage installs the production dependencies again from the same
//! manifests and copies the build output. The guards are listed in the parent module.

use crate::instructions::{CommandLine, ImageRef, Source, Typed};
use crate::knowledge::wildcard_match;
use crate::model::{join_path, Model};
use crate::shell::{Command, Word};

use super::super::facts::{cleanup, package_op, plain_run, real_commands, Cleanup};
use super::{final_workdir, line_of, Runtime, Setup};

/// Where Node builds put their output. The program must run from one of these, so what the
/// runtime stage needs from the builder is that directory.
const OUTPUT_DIRS: [&str; 4] = ["dist", "build", "out", ".output"];

/// What npm, Yarn 1 and pnpm read to install; COPYs of these alone may precede the install.
/// (`.yarnrc.yml` is Yarn 2+, which has no `--production`: such a COPY stops the move.)
const MANIFESTS: [&str; 8] = [
    "package.json",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "pnpm-workspace.yaml",
    ".npmrc",
    ".yarnrc",
];

/// Node options that run or load something besides the script (a preloaded module, an
/// `.env` file, inline code, another mode).
const LOADING_OPTIONS: [&str; 17] = [
    "-r",
    "--require",
    "--import",
    "--loader",
    "--experimental-loader",
    "-e",
    "--eval",
    "-p",
    "--print",
    "--env-file",
    "--env-file-if-exists",
    "-c",
    "--check",
    "-i",
    "--interactive",
    "--test",
    "--watch",
];

/// Options of the package managers that send them to another directory or workspace.
const ELSEWHERE: [&str; 9] = [
    "--prefix",
    "--workspace",
    "-w",
    "--cwd",
    "--modules-folder",
    "-C",
    "--dir",
    "--filter",
    "-F",
];

/// Other options of the package managers that take the next word as their value.
const VALUE_OPTIONS: [&str; 5] = ["--omit", "--include", "--only", "--registry", "--loglevel"];

/// Old release lines by code name: they come with npm 6, which knows only `--production`.
const NPM6_CODENAMES: [&str; 6] = ["argon", "boron", "carbon", "dubnium", "erbium", "fermium"];

/// A dependency install command.
struct InstallCmd<'c> {
    manager: &'static str,
    /// The word after which the production-only option goes (`ci`, `install`, `yarn`).
    anchor: &'c Word,
    /// It already leaves out the development dependencies.
    production: bool,
    /// It fails rather than resolve versions the lockfile does not pin (all but `npm install`).
    locked: bool,
}

/// The dependency install RUN, as the runtime stage repeats it.
struct Install {
    at: usize,
    manager: &'static str,
    /// Where in the file the production-only option goes.
    offset: usize,
    production: bool,
    locked: bool,
    /// The RUN also sets up the package manager (`corepack enable && pnpm install …`).
    sets_up: bool,
}

/// What comes before the build: what the runtime stage repeats, and the install.
struct Steps {
    /// Package-manager set-up RUNs and manifest COPYs, in order.
    repeat: Vec<usize>,
    manifest_copies: Vec<usize>,
    install: Install,
}

pub(super) fn plan(model: &Model, t: usize, image: &ImageRef) -> Result<Runtime, String> {
    if image.name != "node" {
        return Err(String::new());
    }
    let stage = &model.stages[t];
    // The build step is what makes a file this shape; without one it is not.
    let Some(build) = build_step(model, &stage.instructions)? else {
        return Err(String::new());
    };
    if stage.platform.is_some() {
        return Err("the FROM chooses a platform, which the runtime stage would not".into());
    }
    let before: Vec<usize> = stage
        .instructions
        .iter()
        .copied()
        .take_while(|&i| i != build)
        .collect();
    let steps = steps_before_build(model, &before)?;
    let dir = model.contexts[steps.install.at].workdir.clone();
    for &i in &steps.manifest_copies {
        check_manifest_copy(model, i, &dir)?;
    }
    if model.contexts[build].workdir != dir {
        return Err("the build runs in another directory than the install".into());
    }
    if final_workdir(model, t) != dir {
        return Err("the program runs in another directory than the install".into());
    }
    let out = output_dir(model, t, &dir)?;
    Ok(runtime(
        &stage.base_written,
        image,
        &steps,
        build,
        &dir,
        &out,
    ))
}

/// The runtime stage: the set-up and manifest COPYs again, the install without the
/// development dependencies, and the build output.
fn runtime(
    base: &str,
    image: &ImageRef,
    steps: &Steps,
    build: usize,
    dir: &str,
    out: &str,
) -> Runtime {
    let install = &steps.install;
    let flag = production_flag(install.manager, image);
    let mut setup: Vec<Setup> = steps
        .repeat
        .iter()
        .map(|&at| Setup::Repeat { at, insert: None })
        .collect();
    setup.push(Setup::Repeat {
        at: install.at,
        insert: (!install.production).then(|| (install.offset, format!(" {flag}"))),
    });
    let how = if install.production {
        "as the builder's install already does".to_string()
    } else {
        format!("`{flag}`")
    };
    Runtime {
        image: base.to_string(),
        setup,
        copies: vec![(join_path(dir, out), format!("./{out}"))],
        builder_edits: Vec::new(),
        split: build,
        what: "build output".into(),
        why: format!(
            "Building needs the development dependencies, the sources and whatever the build \
             leaves behind; running needs the production dependencies and the build output. \
             The runtime stage, on the same base, installs the dependencies from the same \
             manifests without the development ones ({how}) and takes `{out}` from the builder."
        ),
        copy_args: true,
        moves_rest: false,
    }
}

/// The RUN that runs the package's `build` script; `None` when there is none.
fn build_step(model: &Model, instructions: &[usize]) -> Result<Option<usize>, String> {
    let mut found = None;
    for &i in instructions {
        let Some(run) = model.run(i) else { continue };
        if !run.commands().any(|(c, _)| is_build(c)) {
            continue;
        }
        let line = line_of(model, i);
        if found.is_some() {
            return Err(format!("the build is run again on line {line}"));
        }
        let Some(part) = plain_run(model, i) else {
            return Err(format!(
                "the build RUN on line {line} is not plain shell form"
            ));
        };
        if part
            .script
            .commands
            .iter()
            .any(|c| install_command(c).is_some())
        {
            return Err(format!(
                "the dependencies are installed in the build RUN on line {line}; the install \
                 needs a RUN of its own after the manifests are copied"
            ));
        }
        if !real_commands(&part.script).all(is_build) {
            return Err(format!("the RUN on line {line} does more than the build"));
        }
        found = Some(i);
    }
    Ok(found)
}

/// Whether the command runs the package's `build` script in its own directory.
fn is_build(cmd: &Command) -> bool {
    let args: Vec<&str> = cmd.args().iter().map(|w| w.value.as_str()).collect();
    let build = matches!(
        (cmd.basename(), args.as_slice()),
        (Some("npm"), ["run" | "run-script", "build", ..])
            | (Some("yarn" | "pnpm"), ["build", ..] | ["run", "build", ..])
    );
    build && !cmd.args().iter().any(|w| goes_elsewhere(&w.value))
}

fn goes_elsewhere(word: &str) -> bool {
    ELSEWHERE.iter().any(|f| {
        word.strip_prefix(f)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('='))
    })
}

/// Reads an npm, Yarn or pnpm install of the package's dependencies: `None` when `cmd` is
/// not one, `Some(Err)` when it is one the move does not handle.
fn install_command(cmd: &Command) -> Option<Result<InstallCmd<'_>, String>> {
    let manager = match cmd.basename()? {
        "npm" => "npm",
        "yarn" => "yarn",
        "pnpm" => "pnpm",
        _ => return None,
    };
    let value_options: Vec<&str> = ELSEWHERE.iter().chain(&VALUE_OPTIONS).copied().collect();
    let positional = cmd.positional_args_with(&value_options);
    let anchor = match (manager, positional.as_slice()) {
        ("npm", [sub, ..]) if matches!(sub.value.as_str(), "ci" | "clean-install") => *sub,
        ("npm" | "pnpm", [sub, ..]) if matches!(sub.value.as_str(), "install" | "i") => *sub,
        ("yarn", [sub, ..]) if sub.value == "install" => *sub,
        // A bare `yarn` installs too (not `yarn --version`).
        ("yarn", []) if !cmd.has_long_flag("version") && !cmd.has_long_flag("help") => {
            &cmd.words[0]
        }
        _ => return None,
    };
    if is_manager_setup(cmd) {
        return None;
    }
    let refuse = |why: &str| Some(Err(why.to_string()));
    if positional.len() > 1 {
        return refuse("the install names packages, which changes package.json");
    }
    if cmd.words.iter().any(|w| w.has_expansion) {
        return refuse("the install uses variables");
    }
    let recursive = manager == "pnpm" && (cmd.has_long_flag("recursive") || cmd.has_flag('r'));
    if recursive || cmd.args().iter().any(|w| goes_elsewhere(&w.value)) {
        return refuse("the install runs in another directory or workspace");
    }
    if manager != "npm" && !cmd.has_long_flag("frozen-lockfile") {
        return refuse(
            "the install has no `--frozen-lockfile`, so the runtime stage's install could \
             resolve other versions than the builder's",
        );
    }
    let production = match manager {
        "npm" => {
            cmd.has_long_flag("production")
                || cmd.flag_values("--omit").contains(&"dev")
                || cmd
                    .flag_value("--only")
                    .is_some_and(|v| v.starts_with("prod"))
        }
        "yarn" => cmd.has_long_flag("production") || cmd.has_long_flag("prod"),
        _ => cmd.has_long_flag("prod") || cmd.has_long_flag("production") || cmd.has_flag('P'),
    };
    Some(Ok(InstallCmd {
        manager,
        anchor,
        production,
        locked: !(manager == "npm" && matches!(anchor.value.as_str(), "install" | "i")),
    }))
}

/// Whether the command sets up a package manager, which the runtime stage needs too:
/// `corepack …`, or a global npm install (`npm install -g pnpm`).
fn is_manager_setup(cmd: &Command) -> bool {
    match cmd.basename() {
        Some("corepack") => true,
        Some("npm") => {
            let global = cmd.has_flag('g') || cmd.has_long_flag("global");
            let sub = cmd.positional_args().first().map(|w| w.value.clone());
            global && matches!(sub.as_deref(), Some("install" | "i" | "add"))
        }
        _ => false,
    }
}

/// What the stage does before the build, checked: set-up RUNs, manifest COPYs, the install,
/// then the sources. Anything whose result the program might need at run time stops the move.
fn steps_before_build(model: &Model, before: &[usize]) -> Result<Steps, String> {
    let mut repeat = Vec::new();
    let mut manifest_copies = Vec::new();
    let mut install: Option<Install> = None;
    for &i in before {
        let line = line_of(model, i);
        match &model.typed[i] {
            Typed::Run(_) => {
                if let Some(found) = install_run(model, i)? {
                    if install.is_some() {
                        return Err(format!(
                            "the dependencies are installed again on line {line}"
                        ));
                    }
                    install = Some(found);
                } else if install.is_none() && is_setup_run(model, i) {
                    repeat.push(i);
                } else {
                    return Err(run_reason(model, i));
                }
            }
            Typed::Copy(c) if c.from.is_none() && install.is_none() => {
                repeat.push(i);
                manifest_copies.push(i);
            }
            Typed::Add(_) => return Err(format!("the ADD on line {line} is not handled")),
            _ => {}
        }
    }
    let install = install.ok_or(
        "the dependencies are not installed (`npm ci`, `yarn install --frozen-lockfile`, \
         `pnpm install --frozen-lockfile`) before the build",
    )?;
    if manifest_copies.is_empty() {
        return Err("no COPY of the package manifests comes before the install".into());
    }
    if !install.locked
        && !manifest_copies
            .iter()
            .any(|&i| copies_npm_lockfile(model, i))
    {
        return Err(
            "`npm install` runs without a copied package-lock.json, so the runtime stage's \
             install could resolve other versions than the builder's"
                .into(),
        );
    }
    if install.manager == "yarn" {
        let setup = repeat.iter().copied().find(|&i| is_setup_run(model, i));
        if let Some(i) = setup.or(install.sets_up.then_some(install.at)) {
            return Err(format!(
                "the RUN on line {} sets up the package manager; a Yarn other than 1 has no \
                 `--production` install",
                line_of(model, i)
            ));
        }
    }
    Ok(Steps {
        repeat,
        manifest_copies,
        install,
    })
}

/// The RUN's install, when it has one: besides it, the RUN may only set up the package
/// manager and clear caches (the runtime stage repeats all of it).
fn install_run(model: &Model, i: usize) -> Result<Option<Install>, String> {
    let line = line_of(model, i);
    let Some(run) = model.run(i) else {
        return Ok(None);
    };
    if !run.commands().any(|(c, _)| install_command(c).is_some()) {
        return Ok(None);
    }
    let part = plain_run(model, i)
        .ok_or_else(|| format!("the install RUN on line {line} is not plain shell form"))?;
    let mut found = None;
    let mut sets_up = false;
    for cmd in real_commands(&part.script) {
        match install_command(cmd) {
            Some(Ok(c)) if found.is_none() => found = Some(c),
            Some(Err(why)) => return Err(why),
            None if cleanup(cmd) == Some(Cleanup::CacheClean) => {}
            None if is_manager_setup(cmd) => sets_up = true,
            _ => {
                return Err(format!(
                    "the RUN on line {line} does more than install the dependencies"
                ))
            }
        }
    }
    Ok(found.map(|c| Install {
        at: i,
        manager: c.manager,
        offset: part.span(model, &c.anchor.range).end,
        production: c.production,
        locked: c.locked,
        sets_up,
    }))
}

/// A plain RUN that only sets up the package manager.
fn is_setup_run(model: &Model, i: usize) -> bool {
    plain_run(model, i).is_some_and(|part| {
        let mut commands = real_commands(&part.script).peekable();
        commands.peek().is_some()
            && commands.all(|c| is_manager_setup(c) || cleanup(c) == Some(Cleanup::CacheClean))
    })
}

/// Why a RUN before the build stops the move.
fn run_reason(model: &Model, i: usize) -> String {
    let line = line_of(model, i);
    let installs_packages = model.run(i).is_some_and(|r| {
        r.commands()
            .any(|(c, _)| package_op(c).is_some_and(|op| op.is_install()))
    });
    if installs_packages {
        format!(
            "the RUN on line {line} installs system packages, which the runtime stage's install \
             (native modules) or the program may need as well"
        )
    } else {
        format!(
            "the RUN on line {line} may write files the program needs at run time; only the \
             dependency install and the build output reach the runtime stage"
        )
    }
}

/// A COPY before the install copies manifests only, into the install's directory, so the
/// runtime stage can repeat it as it is.
fn check_manifest_copy(model: &Model, i: usize, dir: &str) -> Result<(), String> {
    let line = line_of(model, i);
    let Typed::Copy(copy) = &model.typed[i] else {
        return Ok(());
    };
    let manifests_only = copy.sources.iter().all(|s| match s {
        Source::Path(p) => is_manifest(&p.value),
        Source::Heredoc { .. } => false,
    });
    if !manifests_only {
        return Err(format!(
            "the COPY on line {line} copies more than the package manifests before the install"
        ));
    }
    let Ok(dest) = model.expand(i, &copy.dest.value) else {
        return Err(format!(
            "the destination of the COPY on line {line} does not expand"
        ));
    };
    let here = join_path(&model.contexts[i].workdir, &dest);
    if here != dir || join_path(dir, &dest) != dir {
        return Err(format!(
            "the COPY on line {line} puts the manifests elsewhere than where they are installed"
        ));
    }
    Ok(())
}

/// Whether the COPY brings npm's lockfile (or a glob that would).
fn copies_npm_lockfile(model: &Model, i: usize) -> bool {
    let Typed::Copy(copy) = &model.typed[i] else {
        return false;
    };
    copy.sources.iter().any(|s| match s {
        Source::Path(p) => {
            let name = p.value.strip_prefix("./").unwrap_or(&p.value);
            ["package-lock.json", "npm-shrinkwrap.json"]
                .iter()
                .any(|lock| wildcard_match(name, lock))
        }
        Source::Heredoc { .. } => false,
    })
}

/// A manifest name, or a glob that can only match manifests (`package*.json`).
fn is_manifest(source: &str) -> bool {
    let name = source.strip_prefix("./").unwrap_or(source);
    if MANIFESTS.contains(&name) {
        return true;
    }
    let Some(star) = name.find('*') else {
        return false;
    };
    let prefix = &name[..star];
    !prefix.is_empty()
        && !name.contains(['/', '?', '['])
        && MANIFESTS
            .iter()
            .any(|m| m.starts_with(prefix) && wildcard_match(name, m))
}

/// The words the image runs: ENTRYPOINT then CMD, both in exec form.
fn run_command(model: &Model, t: usize) -> Result<Vec<String>, String> {
    let (mut entrypoint, mut cmd) = (None, None);
    for &i in &model.stages[t].instructions {
        match &model.typed[i] {
            Typed::Entrypoint(line) => entrypoint = Some(line),
            Typed::Cmd(line) => cmd = Some(line),
            _ => {}
        }
    }
    let mut words = Vec::new();
    for line in [entrypoint, cmd].into_iter().flatten() {
        match line {
            CommandLine::Exec(items) => words.extend(items.iter().map(|w| w.value.clone())),
            CommandLine::Shell(_) => {
                return Err(
                    "the CMD/ENTRYPOINT is in shell form, so what it runs is not known".into(),
                )
            }
            CommandLine::Empty => {}
        }
    }
    if words.is_empty() {
        return Err("the stage does not say what it runs".into());
    }
    Ok(words)
}

/// The build output directory the program runs from: `node DIR/FILE` (or `node DIR`), DIR
/// one of [`OUTPUT_DIRS`] in the working directory.
fn output_dir(model: &Model, t: usize, dir: &str) -> Result<String, String> {
    let mut words = run_command(model, t)?;
    let shown = words.join(" ");
    // The node image's own entrypoint runs its arguments; the runtime stage has it too.
    if words.len() > 1 && words[0].ends_with("docker-entrypoint.sh") {
        words.remove(0);
    }
    let program = words[0].rsplit('/').next().unwrap_or("");
    if program != "node" {
        return Err(format!(
            "the image runs `{shown}`; which files that needs from the builder is not known \
             from the Dockerfile (with `node DIR/FILE`, DIR being the build output, it would be)"
        ));
    }
    let mut script = None;
    for arg in &words[1..] {
        if !arg.starts_with('-') {
            script = Some(arg.as_str());
            break;
        }
        let name = arg.split('=').next().unwrap_or("");
        if LOADING_OPTIONS.contains(&name) {
            return Err(format!(
                "node is started with `{arg}`, which loads more than the build output"
            ));
        }
    }
    let script = script.ok_or_else(|| format!("`{shown}` names no script"))?;
    if script.contains(['$', '*', '?', '[']) {
        return Err("the script is named with a variable or pattern".into());
    }
    let abs = join_path(dir, script);
    let inside = if dir == "/" {
        abs.strip_prefix('/')
    } else {
        abs.strip_prefix(dir).and_then(|r| r.strip_prefix('/'))
    };
    let top = inside.and_then(|r| r.split('/').next()).unwrap_or("");
    if !OUTPUT_DIRS.contains(&top) {
        return Err(format!(
            "`node {script}` does not run a file of a build output directory ({}) in {dir}",
            OUTPUT_DIRS.join(", ")
        ));
    }
    Ok(top.to_string())
}

/// The option that leaves out the development dependencies.
fn production_flag(manager: &str, image: &ImageRef) -> &'static str {
    match manager {
        "yarn" => "--production",
        "pnpm" => "--prod",
        _ if ships_npm6(image) => "--production",
        _ => "--omit=dev",
    }
}

/// Whether the node image's tag is a release before Node 15, which comes with npm 6 (npm 7
/// spells the production-only install `--omit=dev`; npm 6 knows only `--production`).
fn ships_npm6(image: &ImageRef) -> bool {
    let tag = image.tag.as_deref().unwrap_or("");
    let major = tag
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|d| d.parse::<u32>().ok());
    major.is_some_and(|m| m < 15) || NPM6_CODENAMES.iter().any(|c| tag.starts_with(c))
}
