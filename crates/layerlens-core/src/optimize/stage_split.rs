//! Splitting a build into a builder stage and a runtime stage, so compilers, SDKs and
//! development headers stay behind.
//!
//! The final stage is kept as the builder, under a free name (`builder`, else `build` or
//! `compile`), and a runtime stage is appended, taking the name the final stage had (a build
//! that targets that name still gets the image that runs). The runtime stage gets the
//! artefact with `COPY --from`, the stage's ENV (and ARG) lines again, its working directory,
//! and everything after the build step (the application COPY, CMD, EXPOSE...), moved with
//! its comments. **Unsafe**: files the program reads at run time besides the artefact
//! (templates, configuration written by the build) stay in the builder. Four shapes are
//! recognised:
//!
//! - **Go**, FROM `golang`: one `go build -o OUT` with `CGO_ENABLED=0` (a static binary),
//!   run by an exec-form CMD/ENTRYPOINT that names OUT → runtime
//!   `gcr.io/distroless/static-debian12:nonroot` (which runs as uid 65532) with only OUT;
//! - **Java**, FROM `maven`, `gradle`, `eclipse-temurin` (JDK) or `openjdk`: a Maven/Gradle
//!   build, run as `java … -jar JAR` with a literal path → runtime `eclipse-temurin:N-jre`
//!   (the same Java version) with only the jar;
//! - **Python**, FROM `python` (not Alpine): compilers or `-dev` packages installed by apt
//!   before the `pip install` steps → the pip installs write to `/install` (`--prefix`), the
//!   runtime stage on the same base gets `/install` as `/usr/local`, the packages the build
//!   RUN installed besides build tools, and the runtime libraries of the `-dev` packages
//!   (`libpq-dev` → `libpq5`; headers of libraries the python image already has need
//!   nothing). An unknown `-dev` package stops the move.
//! - **Node**, FROM `node` (any tag): the package manifests copied, the dependencies
//!   installed, the sources copied, one RUN of the `build` script (`npm run build`, `yarn
//!   build`, `pnpm build`, `… run build`), and an exec-form CMD/ENTRYPOINT running
//!   `node DIR/FILE` (or `node DIR`) with DIR one of `dist`, `build`, `out`, `.output` → a
//!   runtime stage on the same base (the FROM as written: the same tag and variant) that
//!   repeats the package-manager set-up RUNs (`corepack …`, `npm install -g …`) and the
//!   manifest COPYs as written, repeats the install without the development dependencies
//!   (`npm ci --omit=dev`, or `--production` on a Node before 15, whose npm 6 knows only that;
//!   `yarn install --frozen-lockfile --production`; `pnpm install --frozen-lockfile --prod`;
//!   unchanged when the builder's install already leaves them out), and copies DIR from the
//!   builder (`COPY --from=builder /app/dist ./dist`). Guards of its own:
//!   - the install is `npm ci`, `npm install` with package-lock.json among the copied
//!     manifests, `yarn install --frozen-lockfile` or `pnpm install --frozen-lockfile` (so
//!     both stages resolve the same versions), in a RUN that does nothing else but clear
//!     caches; it names no packages, uses no variables and stays in its directory (no
//!     `--prefix`, `--cwd`, workspace, filter or recursion);
//!   - before the install only set-up RUNs and COPYs of manifests (`package.json`, the
//!     lockfiles, `.npmrc`, `.yarnrc`, globs such as `package*.json`) into the install's
//!     directory, which is also where the build runs and the program starts;
//!   - no other RUN before the build: a system package install may be what native modules
//!     compile against or what the program calls, and a RUN between the install and the
//!     build may write into `node_modules` (`prisma generate`), which the runtime stage
//!     installs afresh;
//!   - the build RUN only builds; node is started without options that load other files
//!     (`-r`, `--import`, `--env-file`...); the FROM sets no `--platform`; a Yarn set up by a
//!     RUN (maybe Yarn 2+, which has no `--production` install) stops the move.
//!
//!   An image started with `npm start`, `next start` and the like names no output directory:
//!   refused with that reason. Unsafe besides the common reason: the runtime install runs the
//!   package's own install scripts without the development dependencies.
//!
//! Guards common to all: the final stage is the last one, is FROM an image, no stage builds
//! FROM it, no `--target` is configured, it sets no USER, SHELL or ONBUILD, and before the
//! build step it only does what the builder alone needs (ENV, ARG, WORKDIR, package installs,
//! COPYs of sources and manifests, dependency downloads); for Go, Java and Node only the run
//! configuration follows the build step (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL..., which move)
//! besides ARG and WORKDIR (which stay; for Node a WORKDIR there fails its one-directory
//! guard). Blank lines left at the builder's end by the moved instructions are removed.

use crate::fix::{Applicability, Edit};
use crate::instructions::{CommandLine, ImageRef, Typed};
use crate::knowledge;
use crate::model::{join_path, Base, Model};
use crate::shell::Command;

use super::engine::{Candidate, Ctx, Proposal, Refusal};
use super::facts::{package_op, plain_run, Pm};
use super::text::{blanks_after, block, block_text, keyword_indent, line_of, Style};
use super::MoveKind;

mod node;

/// The runtime package each `-dev` package needs (`""`: the python image already has it).
const RUNTIME_LIBS: [(&str, &str); 22] = [
    ("libpq-dev", "libpq5"),
    ("libxml2-dev", "libxml2"),
    ("libxslt1-dev", "libxslt1.1"),
    ("libxslt-dev", "libxslt1.1"),
    ("libjpeg-dev", "libjpeg62-turbo"),
    ("libjpeg62-turbo-dev", "libjpeg62-turbo"),
    ("libmariadb-dev", "libmariadb3"),
    ("python3-dev", ""),
    ("libpython3-dev", ""),
    ("libssl-dev", ""),
    ("libffi-dev", ""),
    ("zlib1g-dev", ""),
    ("libbz2-dev", ""),
    ("liblzma-dev", ""),
    ("libsqlite3-dev", ""),
    ("libreadline-dev", ""),
    ("libncurses-dev", ""),
    ("libncursesw5-dev", ""),
    ("libgdbm-dev", ""),
    ("uuid-dev", ""),
    ("libexpat1-dev", ""),
    ("linux-libc-dev", ""),
];

/// An instruction of the runtime stage between its WORKDIR and the artefact's COPY.
enum Setup {
    /// A new RUN with this shell command (Python's runtime libraries).
    Run(String),
    /// A builder instruction written again as it is, with `insert` (a byte offset in the
    /// file, and text) put in: Node's manifest COPYs and production install.
    Repeat {
        at: usize,
        insert: Option<(usize, String)>,
    },
}

/// What the runtime stage is made of.
struct Runtime {
    image: String,
    setup: Vec<Setup>,
    /// `COPY --from` sources and destinations.
    copies: Vec<(String, String)>,
    /// Edits to the builder besides moving lines out (`--prefix` on pip).
    builder_edits: Vec<Edit>,
    /// The instruction that ends the builder's work.
    split: usize,
    what: String,
    why: String,
    /// Whether the runtime stage has RUNs, so the ARGs before the build step are repeated.
    copy_args: bool,
    /// Whether everything after the build step moves to the runtime stage (Python); otherwise
    /// only the run configuration does, and anything else stops the move.
    moves_rest: bool,
}

fn refusal(at: crate::text::Span, reason: String) -> Proposal {
    Err(Refusal {
        kind: MoveKind::StageSplit,
        title: "Split into a builder and a runtime stage".into(),
        rules: vec!["LL1005".into()],
        reason,
        at,
    })
}

fn is_metadata(t: &Typed) -> bool {
    matches!(
        t,
        Typed::Cmd(_)
            | Typed::Entrypoint(_)
            | Typed::Expose(_)
            | Typed::Label(_)
            | Typed::Volume(_)
            | Typed::Stopsignal(_)
            | Typed::Healthcheck(_)
            | Typed::Maintainer(_)
    )
}

/// The program an exec-form CMD/ENTRYPOINT runs, and its arguments.
fn exec_program(model: &Model, stage: usize) -> Option<(Vec<String>, bool)> {
    let mut found = None;
    for &i in &model.stages[stage].instructions {
        match &model.typed[i] {
            Typed::Entrypoint(CommandLine::Exec(items)) => {
                found = Some((items.iter().map(|t| t.value.clone()).collect(), true))
            }
            Typed::Entrypoint(_) => found = Some((Vec::new(), false)),
            Typed::Cmd(CommandLine::Exec(items)) if !matches!(found, Some((_, true))) => {
                found = Some((items.iter().map(|t| t.value.clone()).collect(), true))
            }
            Typed::Cmd(_) if !matches!(found, Some((_, true))) => found = Some((Vec::new(), false)),
            _ => {}
        }
    }
    found
}

/// Go: the `go build -o OUT` RUN and OUT.
fn go_plan(model: &Model, t: usize, image: &ImageRef) -> Result<Runtime, String> {
    if image.name != "golang" {
        return Err(String::new());
    }
    let mut build = None;
    for &i in &model.stages[t].instructions {
        let Some(run) = model.run(i) else { continue };
        for (cmd, _) in run.commands() {
            if cmd.name() == Some("go")
                && cmd
                    .positional_args()
                    .first()
                    .is_some_and(|w| w.value == "build")
            {
                if build.is_some() {
                    return Err("the stage builds more than one Go program".into());
                }
                build = Some((i, cmd.clone()));
            }
        }
    }
    let Some((i, cmd)) = build else {
        return Err(String::new());
    };
    let out = cmd
        .flag_value("-o")
        .filter(|o| !o.contains('$') && !o.ends_with('/'))
        .ok_or("the build does not name its output with a literal `-o FILE`")?;
    let cgo_off = cmd.assignments.iter().any(|a| a.value == "CGO_ENABLED=0")
        || model
            .scope(i)
            .binding("CGO_ENABLED")
            .and_then(|b| b.value.as_deref())
            == Some("0")
        || model
            .run(i)
            .is_some_and(|r| r.full_text().contains("CGO_ENABLED=0"));
    if !cgo_off {
        return Err(
            "the binary may link to the C library; with `CGO_ENABLED=0` it would be static and could run on distroless"
                .into(),
        );
    }
    let cwd = run_cwd(model, i);
    let out_abs = join_path(&cwd, out);
    let (program, exec) = exec_program(model, t).ok_or("the stage does not say what it runs")?;
    if !exec {
        return Err("the CMD/ENTRYPOINT is in shell form; distroless images have no shell".into());
    }
    let workdir = final_workdir(model, t);
    let runs_it = program.first().is_some_and(|p| {
        join_path(&workdir, p) == out_abs
            || (!p.contains('/')
                && out_abs.rsplit('/').next() == Some(p.as_str())
                && ["/usr/local/bin", "/usr/bin", "/bin"]
                    .iter()
                    .any(|d| out_abs == format!("{d}/{p}")))
    });
    if !runs_it {
        return Err(format!(
            "the CMD/ENTRYPOINT does not run the built binary `{out}`"
        ));
    }
    if model.stages[t]
        .instructions
        .iter()
        .any(|&k| matches!(model.typed[k], Typed::Healthcheck(_)))
    {
        return Err("a HEALTHCHECK needs tools a distroless image does not have".into());
    }
    Ok(Runtime {
        image: "gcr.io/distroless/static-debian12:nonroot".into(),
        setup: Vec::new(),
        copies: vec![(out_abs.clone(), out_abs)],
        builder_edits: Vec::new(),
        split: i,
        what: "Go binary".into(),
        why: "The Go toolchain image weighs hundreds of MB; a static binary (CGO_ENABLED=0) \
              needs none of it at run time. The runtime stage starts from distroless static \
              (CA certificates, time zones, no shell; its `nonroot` variant runs as uid 65532) \
              and gets only the binary."
            .into(),
        copy_args: false,
        moves_rest: false,
    })
}

/// The directory a RUN's commands run in (its WORKDIR, or a leading `cd`).
fn run_cwd(model: &Model, i: usize) -> String {
    let mut cwd = model.contexts[i].workdir.clone();
    if let Some(first) = model.run(i).and_then(|r| r.commands().next()) {
        if first.0.is("cd") {
            if let [dir] = first.0.args() {
                if !dir.has_expansion {
                    cwd = join_path(&cwd, &dir.value);
                }
            }
        }
    }
    cwd
}

/// The stage's working directory at its end.
fn final_workdir(model: &Model, t: usize) -> String {
    let stage = &model.stages[t];
    let last = stage.instructions.last().copied().unwrap_or(stage.from);
    let mut wd = model.contexts[last].workdir.clone();
    if let Typed::Workdir(w) = &model.typed[last] {
        if let Ok(v) = model.expand(last, &w.value) {
            wd = join_path(&wd, &v);
        }
    }
    wd
}

/// The Java version of a JDK or build-tool image tag, and whether it is Alpine-based.
fn java_version(image: &ImageRef) -> Option<(String, bool)> {
    let tag = image.tag.as_deref().unwrap_or("");
    let alpine = tag.contains("alpine");
    let digits = |s: &str| -> Option<String> {
        let d: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
        (!d.is_empty()).then_some(d)
    };
    match image.name.as_str() {
        "maven" | "gradle" => {
            for key in ["temurin-", "openjdk-", "jdk-", "jdk"] {
                if let Some(at) = tag.find(key) {
                    if let Some(v) = digits(&tag[at + key.len()..]) {
                        return Some((v, alpine));
                    }
                }
            }
            None
        }
        "eclipse-temurin" | "openjdk" => {
            if tag.contains("jre") {
                return None;
            }
            digits(tag).map(|v| (v, alpine))
        }
        _ => None,
    }
}

fn is_java_build(cmd: &Command) -> bool {
    let Some(name) = cmd.basename() else {
        return false;
    };
    let goals: Vec<&str> = cmd
        .positional_args()
        .iter()
        .map(|w| w.value.as_str())
        .collect();
    match name {
        "mvn" | "mvnw" => goals
            .iter()
            .any(|g| matches!(*g, "package" | "install" | "verify")),
        "gradle" | "gradlew" => goals.iter().any(|g| {
            matches!(
                *g,
                "build" | "bootJar" | "jar" | "assemble" | "shadowJar" | "installDist"
            )
        }),
        _ => false,
    }
}

fn java_plan(model: &Model, t: usize, image: &ImageRef) -> Result<Runtime, String> {
    let Some((version, alpine)) = java_version(image) else {
        return Err(String::new());
    };
    let build = model.stages[t]
        .instructions
        .iter()
        .copied()
        .rev()
        .find(|&i| {
            model
                .run(i)
                .is_some_and(|r| r.commands().any(|(c, _)| is_java_build(c)))
        });
    let Some(i) = build else {
        return Err(String::new());
    };
    let (program, _) = exec_program(model, t).ok_or("the stage does not say what it runs")?;
    let jar = program
        .iter()
        .position(|w| w == "-jar")
        .and_then(|k| program.get(k + 1))
        .filter(|_| {
            program
                .first()
                .is_some_and(|p| p == "java" || p.ends_with("/java"))
        })
        .ok_or("the CMD/ENTRYPOINT is not an exec-form `java -jar FILE`")?;
    if jar.contains(['*', '?', '[', '$']) {
        return Err("the jar is named with a pattern or variable".into());
    }
    let jar_abs = join_path(&final_workdir(model, t), jar);
    let runtime = if alpine {
        format!("eclipse-temurin:{version}-jre-alpine")
    } else {
        format!("eclipse-temurin:{version}-jre")
    };
    Ok(Runtime {
        image: runtime,
        setup: Vec::new(),
        copies: vec![(jar_abs.clone(), jar_abs)],
        builder_edits: Vec::new(),
        split: i,
        what: "jar".into(),
        why: format!(
            "The JDK and the build tool ({}) are needed to compile, not to run: a JRE image of \
             the same Java version ({version}) runs the jar and is a fraction of the size.",
            image.name
        ),
        copy_args: false,
        moves_rest: false,
    })
}

/// Whether a command is a pip install.
fn is_pip_install(cmd: &Command) -> bool {
    let Some(name) = cmd.basename() else {
        return false;
    };
    let pip = (name.starts_with("pip") && !name.starts_with("pipx") && !name.starts_with("pipenv"))
        || (name.starts_with("python")
            && cmd
                .args()
                .windows(2)
                .any(|w| w[0].value == "-m" && w[1].value == "pip"));
    pip && cmd.args().iter().any(|w| w.value == "install")
}

fn python_plan(model: &Model, t: usize, image: &ImageRef) -> Result<Runtime, String> {
    if image.name != "python" || image.tag.as_deref().unwrap_or("").contains("alpine") {
        return Err(String::new());
    }
    let ins = &model.stages[t].instructions;
    // The apt RUN that installs build tools.
    let mut build_run = None;
    let mut build_pkgs: Vec<String> = Vec::new();
    let mut kept: Vec<String> = Vec::new();
    let mut install_words: Vec<String> = Vec::new();
    for &i in ins {
        let Some(run) = model.run(i) else { continue };
        for (cmd, _) in run.commands() {
            let Some(op) = package_op(cmd) else { continue };
            if op.manager != Pm::Apt || !op.is_install() {
                continue;
            }
            let tools: Vec<&String> = op
                .packages
                .iter()
                .filter(|p| knowledge::is_build_tool_package(p))
                .collect();
            if tools.is_empty() {
                continue;
            }
            if build_run.is_some_and(|b| b != i) {
                return Err("build tools are installed by more than one RUN".into());
            }
            build_run = Some(i);
            install_words = cmd
                .words
                .iter()
                .take_while(|w| !op.packages.iter().any(|p| w.value.starts_with(p.as_str())))
                .map(|w| w.value.clone())
                .collect();
            for p in &op.packages {
                if knowledge::is_build_tool_package(p) {
                    build_pkgs.push(p.clone());
                } else {
                    kept.push(p.clone());
                }
            }
        }
    }
    let Some(b) = build_run else {
        return Err(String::new());
    };
    // Runtime libraries of the -dev packages.
    let mut runtime_libs: Vec<String> = Vec::new();
    for p in &build_pkgs {
        let is_dev = p.ends_with("-dev") || p.ends_with("-devel") || p.ends_with("-headers");
        if !is_dev {
            continue;
        }
        match RUNTIME_LIBS.iter().find(|(d, _)| d == p) {
            Some((_, "")) => {}
            Some((_, lib)) => runtime_libs.push(lib.to_string()),
            None => {
                return Err(format!(
                    "the runtime library that `{p}` is the headers of is not known"
                ))
            }
        }
    }
    // The pip installs after the build RUN; the last one ends the builder.
    let pos_b = ins.iter().position(|&k| k == b).unwrap_or(0);
    let mut split = None;
    let mut builder_edits = Vec::new();
    for &i in &ins[pos_b + 1..] {
        let Some(run) = model.run(i) else { continue };
        let pips: Vec<&Command> = run
            .commands()
            .filter(|(c, _)| is_pip_install(c))
            .map(|(c, _)| c)
            .collect();
        if pips.is_empty() {
            continue;
        }
        let Some(part) = plain_run(model, i) else {
            return Err(format!(
                "the pip RUN on line {} is not plain shell form",
                line_of(model, i)
            ));
        };
        let all_pip = part
            .script
            .commands
            .iter()
            .all(|c| is_pip_install(c) || c.is("rm") || c.is("pip") || c.is("pip3"));
        if !all_pip {
            return Err(format!(
                "the RUN on line {} does more than pip installs",
                line_of(model, i)
            ));
        }
        for c in pips {
            if c.has_long_flag("user")
                || c.has_long_flag("prefix")
                || c.has_long_flag("target")
                || c.has_flag('t')
                || c.has_flag('e')
                || c.has_long_flag("editable")
            {
                return Err(
                    "a pip install already chooses where it installs, or installs in place".into(),
                );
            }
            let Some(install) = c.words.iter().find(|w| w.value == "install") else {
                continue;
            };
            let span = part.span(model, &install.range);
            builder_edits.push(Edit::insert(span.end, " --prefix=/install"));
        }
        split = Some(i);
    }
    let Some(split) = split else {
        // Not the Python shape.
        return Err(String::new());
    };
    // The apt RUN for the runtime stage.
    let mut setup = Vec::new();
    let mut packages = kept.clone();
    for lib in runtime_libs {
        if !packages.contains(&lib) {
            packages.push(lib);
        }
    }
    if !packages.is_empty() {
        let mut install = if install_words.is_empty() {
            vec![
                "apt-get".to_string(),
                "install".to_string(),
                "-y".to_string(),
            ]
        } else {
            install_words
        };
        install.extend(packages.iter().cloned());
        setup.push(Setup::Run(format!(
            "apt-get update && {} && rm -rf /var/lib/apt/lists/*",
            install.join(" ")
        )));
    }
    Ok(Runtime {
        image: image.raw.clone(),
        setup,
        copies: vec![("/install".into(), "/usr/local".into())],
        builder_edits,
        split,
        what: "installed Python packages".into(),
        why: format!(
            "{} are needed to compile Python packages, not to run them. The builder installs \
             the packages into /install; the runtime stage, on the same base without the \
             compilers, copies them to /usr/local, where pip would have put them.",
            build_pkgs
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        copy_args: true,
        moves_rest: true,
    })
}

/// The text of a setup line of the runtime stage, ending with a newline.
fn setup_text(model: &Model, setup: &Setup, run: &str, style: &Style) -> String {
    match setup {
        Setup::Run(command) => format!("{run} {command}{}", style.newline),
        Setup::Repeat { at, insert } => {
            let span = model.doc.instructions[*at].span;
            let mut text = span.slice(&model.doc.text).to_string();
            if let Some((offset, words)) = insert {
                text.insert_str(offset - span.start, words);
            }
            if !text.ends_with('\n') {
                text.push_str(style.newline);
            }
            text
        }
    }
}

pub fn propose(cx: &Ctx) -> Vec<Proposal> {
    let model = cx.model;
    let Some(t) = cx.target else {
        return Vec::new();
    };
    let stage = &model.stages[t];
    let Base::Image(image) = &stage.base else {
        return Vec::new();
    };
    let at = model.doc.instructions[stage.from].span;
    // Which shape applies.
    let mut plan = None;
    for attempt in [go_plan, java_plan, python_plan, node::plan] {
        match attempt(model, t, image) {
            Ok(p) => {
                plan = Some(p);
                break;
            }
            Err(why) if why.is_empty() => {}
            Err(why) => return vec![refusal(at, why)],
        }
    }
    let Some(runtime) = plan else {
        return Vec::new();
    };
    if t + 1 != model.stages.len() {
        return vec![refusal(
            at,
            "the final stage is not the last one in the file".into(),
        )];
    }
    if cx.options.config.target.is_some() {
        return vec![refusal(at, "a target stage is configured".into())];
    }
    if model.stages.iter().any(|s| s.base == Base::Stage(t)) {
        return vec![refusal(
            at,
            "another stage is built FROM the final stage".into(),
        )];
    }
    let ins = &stage.instructions;
    let Some(split_pos) = ins.iter().position(|&k| k == runtime.split) else {
        return Vec::new();
    };
    // What the builder keeps, copies and gives up.
    let mut moved: Vec<usize> = Vec::new();
    let mut copied: Vec<usize> = Vec::new();
    for (pos, &i) in ins.iter().enumerate() {
        let line = line_of(model, i);
        let typed = &model.typed[i];
        match typed {
            Typed::User(_) | Typed::Shell(_) | Typed::Onbuild(_) => {
                return vec![refusal(
                    at,
                    format!("line {line} (USER, SHELL or ONBUILD) is not handled"),
                )]
            }
            Typed::Env(_) if pos <= split_pos => copied.push(i),
            Typed::Env(_) => moved.push(i),
            Typed::Arg(_) if runtime.copy_args && pos <= split_pos => copied.push(i),
            t if is_metadata(t) => moved.push(i),
            _ if pos > split_pos => {
                if runtime.moves_rest {
                    moved.push(i);
                } else if !matches!(typed, Typed::Arg(_) | Typed::Workdir(_)) {
                    return vec![refusal(
                        at,
                        format!("line {line} builds something after the {}", runtime.what),
                    )];
                }
            }
            Typed::Run(_) | Typed::Copy(_) | Typed::Add(_) | Typed::Workdir(_) | Typed::Arg(_) => {
                if let Typed::Copy(c) = typed {
                    if c.from.is_some() {
                        return vec![refusal(
                            at,
                            format!("the COPY --from on line {line} may bring run-time files"),
                        )];
                    }
                }
            }
            _ => {
                return vec![refusal(at, format!("line {line} is not handled"))];
            }
        }
    }
    let style = &cx.style;
    // The builder takes a free name; a name the stage had stays with the final image, so a
    // build that targets it by name still gets what runs.
    let name = ["builder", "build", "compile"]
        .iter()
        .find(|n| model.stages.iter().all(|s| s.name.as_deref() != Some(**n)))
        .map(|s| s.to_string())
        .unwrap_or_else(|| "builder".into());
    let Typed::From(from) = &model.typed[stage.from] else {
        return Vec::new();
    };
    let mut edits = runtime.builder_edits.clone();
    let runtime_name = match &from.name_text {
        Some(written) => {
            edits.push(Edit::replace(written.span, name.clone()));
            format!(" {} {}", style.keyword("AS"), written.value)
        }
        None => {
            edits.push(Edit::insert(
                from.image.span.end,
                format!(" {} {name}", style.keyword("AS")),
            ));
            String::new()
        }
    };
    // The runtime stage.
    let indent = keyword_indent(model, stage.from);
    let nl = style.newline;
    let kw = |k: &str| format!("{indent}{}", style.keyword(k));
    let mut text = String::new();
    text.push_str(nl);
    text.push_str(&format!(
        "{} {}{runtime_name}{nl}",
        kw("FROM"),
        runtime.image
    ));
    for &i in &copied {
        let span = model.doc.instructions[i].span;
        text.push_str(&block_text(model, span, style));
    }
    // Where the runtime stage starts working: after the build step for Python (the moved
    // instructions bring their own WORKDIRs), at the end of the stage otherwise.
    let workdir_after = if runtime.moves_rest {
        model.contexts[runtime.split].workdir.clone()
    } else {
        final_workdir(model, t)
    };
    if workdir_after != "/" {
        text.push_str(&format!("{} {workdir_after}{nl}", kw("WORKDIR")));
    }
    for line in &runtime.setup {
        text.push_str(&setup_text(model, line, &kw("RUN"), style));
    }
    for (from, to) in &runtime.copies {
        text.push_str(&format!("{} --from={name} {from} {to}{nl}", kw("COPY")));
    }
    for &i in &moved {
        let span = block(model, i);
        text.push_str(&block_text(model, span, style));
        edits.push(Edit::delete(span));
    }
    // Blank lines that separated the moved instructions would be left at the builder's end,
    // before the blank line that opens the runtime stage.
    let last_kept = ins
        .iter()
        .rev()
        .copied()
        .find(|i| !moved.contains(i))
        .unwrap_or(stage.from);
    edits.extend(blanks_after(model, last_kept).into_iter().map(Edit::delete));
    // Append at the end of the file.
    let end = model.doc.text.len();
    let mut tail = String::new();
    // A last line without a newline needs one, unless it moved to the runtime stage.
    let last_line_stays = !edits
        .iter()
        .any(|e| e.span.end == end && e.span.start < end && e.text.is_empty());
    if !model.doc.text.ends_with('\n') && last_line_stays {
        tail.push_str(nl);
    }
    tail.push_str(&text);
    edits.push(Edit::insert(end, tail));
    let mut c = Candidate::new(MoveKind::StageSplit, Applicability::Unsafe, at);
    c.title = format!(
        "Split into a builder stage and a `{}` runtime stage",
        runtime.image
    );
    c.moved = format!(
        "stage `{name}` builds; a new final stage FROM {} gets the {} ({}) and {} instruction(s) moved from the builder",
        runtime.image,
        runtime.what,
        runtime
            .copies
            .iter()
            .map(|(f, _)| f.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        moved.len()
    );
    c.rules = vec!["LL1005".into()];
    c.why = runtime.why;
    c.key = format!("split:{}", model.doc.instructions[stage.from].original());
    c.edits = edits;
    vec![Ok(c)]
}
