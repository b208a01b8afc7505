//! Running the final image as a non-root user: a user created right after FROM (unless the
//! base already has one), `--chown` on the COPYs of the build context, and `USER` after the
//! last build step.
//!
//! ```text
//! FROM python:3.13-slim          FROM python:3.13-slim
//! COPY . /app                →   RUN useradd --create-home --uid 1000 --shell /bin/bash appuser
//! CMD ["python", "app.py"]       COPY --chown=appuser:appuser . /app
//!                                USER 1000
//!                                CMD ["python", "app.py"]
//! ```
//!
//! USER takes the numeric UID (DL3066: a runtime can check a number without the image's
//! /etc/passwd); `--chown` names the user.
//!
//! **Unsafe**: the program loses root's rights (ports below 1024 without the capability,
//! writing outside its own files). The build steps still run as root, and the application's
//! own files are owned by the new user, so it can still write to them as before. Guards:
//! - the final image sets what runs (a CMD or ENTRYPOINT): a file without one is a base image
//!   for others, whose builds would inherit the user;
//! - no USER anywhere in the final image's stages (a chosen user, even root, stays);
//! - nothing that switches users itself: `gosu`, `su-exec`, `su`, `sudo`, `setpriv`, or an
//!   ENTRYPOINT script (`docker-entrypoint.sh`), which commonly needs root to step down;
//! - a base whose user tools are known: Debian/Ubuntu-based official images and RHEL-likes
//!   (`useradd`), Alpine (`adduser -D`), `node` (its `node` user), distroless (`nonroot`),
//!   scratch (uid 65534); otherwise nothing is changed.

use crate::fix::{Applicability, Edit};
use crate::instructions::{CommandLine, ImageRef, Typed};
use crate::model::{Base, Model};

use super::engine::{Candidate, Ctx, Proposal, Refusal};
use super::facts::{has_trailing_text, package_op, plain_run, Pm};
use super::text::{insert_after, insert_before, keyword_indent, line_end, line_of};
use super::MoveKind;

/// How the final image gets its user.
struct Plan {
    /// `USER` value.
    user: String,
    /// `--chown` value.
    chown: String,
    /// Command that creates the user, when the base has none.
    create: Option<String>,
}

const DEBIAN_BASED: [&str; 12] = [
    "debian",
    "python",
    "ruby",
    "golang",
    "perl",
    "rust",
    "buildpack-deps",
    "pypy",
    "julia",
    "haskell",
    "erlang",
    "elixir",
];
const UBUNTU_BASED: [&str; 2] = ["ubuntu", "eclipse-temurin"];
const RHEL_BASED: [&str; 4] = ["fedora", "rockylinux", "almalinux", "centos"];

fn useradd(uid: u32) -> String {
    format!("useradd --create-home --uid {uid} --shell /bin/bash appuser")
}

/// A user `appuser` with this uid, created by `command`. USER takes the number (DL3066: a
/// runtime can check a numeric UID without the image's /etc/passwd).
fn creating(command: String, uid: u32) -> Plan {
    Plan {
        user: uid.to_string(),
        chown: "appuser:appuser".into(),
        create: Some(command),
    }
}

fn existing(uid: u32, chown: &str) -> Plan {
    Plan {
        user: uid.to_string(),
        chown: chown.into(),
        create: None,
    }
}

fn plan(
    model: &Model,
    root: Option<&ImageRef>,
    scratch: bool,
    stages: &[usize],
) -> Result<Plan, String> {
    if scratch {
        return Ok(existing(65534, "65534:65534"));
    }
    let Some(image) = root else {
        return Err("the base image is not known".into());
    };
    let tag = image.tag.as_deref().unwrap_or("latest");
    if tag.contains("windows") || tag.contains("nanoserver") {
        return Err("Windows images are not handled".into());
    }
    if image.registry == "gcr.io" && image.repository.starts_with("distroless/") {
        if tag.contains("nonroot") {
            return Err(String::new());
        }
        // Every distroless image has `nonroot` (uid 65532).
        return Ok(existing(65532, "65532:65532"));
    }
    let official = !image.explicit_registry && image.repository.starts_with("library/");
    let name = image.name.as_str();
    if official && name == "node" {
        // The node images have `node` with uid 1000.
        return Ok(existing(1000, "node:node"));
    }
    let alpine = (official && name == "alpine") || tag.contains("alpine");
    if official && alpine && name != "php" {
        return Ok(creating("adduser -D -u 1000 appuser".into(), 1000));
    }
    if official && DEBIAN_BASED.contains(&name) {
        return Ok(creating(useradd(1000), 1000));
    }
    if official && UBUNTU_BASED.contains(&name) {
        // Recent Ubuntu images already have `ubuntu` with uid 1000.
        return Ok(creating(useradd(10001), 10001));
    }
    if official && RHEL_BASED.contains(&name) {
        return Ok(creating(useradd(1000), 1000));
    }
    // By the package manager the file uses.
    let mut managers = stages
        .iter()
        .flat_map(|&s| model.stages[s].instructions.iter())
        .filter_map(|&i| {
            model.run(i).map(|r| {
                r.commands()
                    .filter_map(|(c, _)| package_op(c).map(|op| op.manager))
                    .collect::<Vec<_>>()
            })
        })
        .flatten();
    match managers.next() {
        Some(Pm::Apt) => Ok(creating(useradd(10001), 10001)),
        Some(Pm::Apk) => Ok(creating("adduser -D -u 10001 appuser".into(), 10001)),
        _ => Err(format!(
            "it is not known how to create a user in `{}`",
            image.raw
        )),
    }
}

/// Programs that switch users themselves.
const SWITCHERS: [&str; 6] = ["gosu", "su-exec", "su", "sudo", "setpriv", "chroot"];

pub fn propose(cx: &Ctx) -> Vec<Proposal> {
    let model = cx.model;
    let Some(t) = cx.target else {
        return Vec::new();
    };
    // The final image's stages, root first.
    let mut chain = Vec::new();
    let mut current = Some(t);
    while let Some(s) = current {
        if chain.contains(&s) {
            break;
        }
        chain.push(s);
        current = match model.stages[s].base {
            Base::Stage(p) if p < s => Some(p),
            _ => None,
        };
    }
    chain.reverse();
    let instructions: Vec<usize> = chain
        .iter()
        .flat_map(|&s| model.stages[s].instructions.iter().copied())
        .collect();
    let stage = &model.stages[t];
    let at = model.doc.instructions[stage.from].span;
    let title = "Run the final image as a non-root user".to_string();
    let refuse = |reason: String| {
        vec![Err(Refusal {
            kind: MoveKind::NonRoot,
            title: title.clone(),
            rules: vec!["LL1011".into()],
            reason,
            at,
        })]
    };
    if instructions
        .iter()
        .any(|&i| matches!(model.typed[i], Typed::User(_)))
    {
        return Vec::new();
    }
    let runs_something = instructions
        .iter()
        .any(|&i| matches!(model.typed[i], Typed::Cmd(_) | Typed::Entrypoint(_)));
    if !runs_something {
        // A base image for other builds: not ours to change.
        return Vec::new();
    }
    for &i in &instructions {
        let text = model.doc.instructions[i].original();
        let words: Vec<&str> = text
            .split(|c: char| c.is_whitespace() || "\"',;&|()[]".contains(c))
            .map(|w| w.rsplit('/').next().unwrap_or(w))
            .collect();
        let runtime = matches!(model.typed[i], Typed::Cmd(_) | Typed::Entrypoint(_));
        if runtime && words.iter().any(|w| SWITCHERS.contains(w)) {
            return refuse(format!(
                "the command on line {} switches users itself",
                line_of(model, i)
            ));
        }
        if !runtime && words.iter().any(|w| *w == "gosu" || *w == "su-exec") {
            return refuse(format!(
                "line {} installs gosu/su-exec, which steps down from root at run time",
                line_of(model, i)
            ));
        }
        if let Typed::Entrypoint(line) = &model.typed[i] {
            let program = match line {
                CommandLine::Exec(items) => items.first().map(|t| t.value.as_str()),
                CommandLine::Shell(t) => Some(t.value.as_str()),
                CommandLine::Empty => None,
            };
            if program.is_some_and(|v| v.contains(".sh") || v.contains("entrypoint")) {
                return refuse(
                    "the ENTRYPOINT is a script, which often needs root to prepare and step down"
                        .into(),
                );
            }
        }
    }
    // What the image runs by default: an interpreter or shell alone makes it a base for
    // other builds; a server that starts as root and steps down needs root.
    if let Some(program) = default_program(model, &instructions) {
        let base = program.0.rsplit('/').next().unwrap_or("").to_string();
        let interpreter = INTERPRETERS.contains(&base.as_str())
            || (base.starts_with("python")
                && base[6..].chars().all(|c| c.is_ascii_digit() || c == '.'));
        if interpreter && program.1 {
            return refuse(format!(
                "the image runs `{base}` alone, an interactive interpreter or shell: a base image for other builds"
            ));
        }
        if SERVERS.contains(&base.as_str()) {
            return refuse(format!(
                "`{base}` starts as root and drops privileges itself"
            ));
        }
    }
    let root = chain[0];
    let (image, scratch) = match &model.stages[root].base {
        Base::Image(image) => (Some(image), false),
        Base::Scratch => (None, true),
        _ => (None, false),
    };
    let plan = match plan(model, image, scratch, &chain) {
        Ok(p) => p,
        // Nothing to do (the base already runs as a non-root user).
        Err(why) if why.is_empty() => return Vec::new(),
        Err(why) => return refuse(why),
    };
    let style = &cx.style;
    let mut edits = Vec::new();
    let ins = &stage.instructions;
    // Where the user is created: the first slot between two non-RUNs before the first COPY
    // or ADD of the stage (or right after FROM).
    let first_copy = ins
        .iter()
        .position(|&i| matches!(model.typed[i], Typed::Copy(_) | Typed::Add(_)))
        .unwrap_or(ins.len());
    let is_run = |i: usize| matches!(model.typed[i], Typed::Run(_));
    let mut slot = 0; // insert before ins[slot] (or at the end).
    if plan.create.is_some() {
        let mut found = None;
        for k in 0..=first_copy {
            let prev_run = k > 0 && is_run(ins[k - 1]);
            let next_run = ins.get(k).is_some_and(|&i| is_run(i));
            if !prev_run && !next_run {
                found = Some(k);
                break;
            }
        }
        let command = plan.create.clone().unwrap_or_default();
        // Between RUNs a RUN of its own would be a DL3059 finding: join the user creation to
        // the RUN before the first COPY instead.
        let joinable = |i: usize| {
            plain_run(model, i).is_some_and(|p| !has_trailing_text(p))
                && !model.doc.instructions[i].original().contains("useradd")
        };
        let join_at = if found.is_none() {
            (1..=first_copy)
                .rev()
                .find(|&k| is_run(ins[k - 1]) && joinable(ins[k - 1]))
        } else {
            None
        };
        if let Some(k) = join_at {
            slot = k;
            let run = ins[k - 1];
            let chain = style.and_chain(&[String::new(), command]);
            edits.push(Edit::insert(line_end(model, run), chain));
        } else {
            slot = found.unwrap_or(0);
            let indent = keyword_indent(model, stage.from);
            let line = format!(
                "{indent}{} {command}{}",
                style.keyword("RUN"),
                style.newline
            );
            edits.push(match ins.get(slot) {
                Some(&i) => insert_before(model, i, &line),
                None => insert_after(model, stage.from, &line, style),
            });
        }
    }
    // --chown on the COPYs and ADDs of the context after the user exists.
    let mut chowned = 0;
    for &i in &ins[slot.min(ins.len())..] {
        let (from, chown) = match &model.typed[i] {
            Typed::Copy(c) => (c.from.is_some(), c.chown.is_some()),
            Typed::Add(a) => (false, a.chown.is_some()),
            _ => continue,
        };
        if from || chown {
            continue;
        }
        let kw = model.doc.instructions[i].command.keyword_text.span.end;
        edits.push(Edit::insert(kw, format!(" --chown={}", plan.chown)));
        chowned += 1;
    }
    // USER after the last build step of the stage.
    let last_build = ins
        .iter()
        .rev()
        .find(|&&i| {
            matches!(
                model.typed[i],
                Typed::Run(_) | Typed::Copy(_) | Typed::Add(_)
            )
        })
        .copied();
    let indent = keyword_indent(model, stage.from);
    let user_line = format!(
        "{indent}{} {}{}",
        style.keyword("USER"),
        plan.user,
        style.newline
    );
    match last_build {
        Some(i) => edits.push(insert_after(model, i, &user_line, style)),
        None => match (plan.create.is_some(), ins.get(slot)) {
            // Only metadata after FROM: USER right after the new RUN.
            (true, Some(&i)) => edits.push(insert_before(model, i, &user_line)),
            _ => edits.push(insert_after(model, stage.from, &user_line, style)),
        },
    }
    let chowns = match chowned {
        0 => String::new(),
        1 => ", --chown on the COPY of the application".to_string(),
        n => format!(", --chown on {n} COPY/ADD of the application"),
    };
    let mut c = Candidate::new(MoveKind::NonRoot, Applicability::Unsafe, at);
    c.title = format!("Run the final image as `{}`", plan.user);
    c.moved = match &plan.create {
        Some(cmd) => format!("`{cmd}` added{chowns}, `USER {}` after the last build step", plan.user),
        None if scratch => format!(
            "`USER {}` after the last build step{chowns} (a numeric user needs no account on scratch)",
            plan.user
        ),
        None => format!(
            "`USER {}` after the last build step{chowns} (the base image has this user)",
            plan.user
        ),
    };
    c.rules = vec!["LL1011".into()];
    c.why = "Without USER the container's process runs as root: any hole in the application \
             hands an attacker root inside the container, a step closer to the host. A user of \
             its own limits that; the build steps still run as root, and the application keeps \
             ownership of its own files."
        .into();
    c.key = format!("nonroot:{}", stage.index);
    c.changes_user = true;
    c.edits = edits;
    vec![Ok(c)]
}

/// Interpreters and shells: an image whose command is one of these alone is a base image.
const INTERPRETERS: [&str; 16] = [
    "python", "ruby", "irb", "node", "bash", "sh", "ash", "zsh", "php", "ghci", "erl", "iex",
    "julia", "perl", "jshell", "pwsh",
];

/// Servers that start as root and switch to their own user.
const SERVERS: [&str; 12] = [
    "httpd",
    "httpd-foreground",
    "apache2-foreground",
    "apache2ctl",
    "nginx",
    "php-fpm",
    "postgres",
    "mysqld",
    "mariadbd",
    "sshd",
    "supervisord",
    "cron",
];

/// The program the final image runs by default (ENTRYPOINT, else CMD), and whether it runs
/// without arguments.
fn default_program(model: &Model, instructions: &[usize]) -> Option<(String, bool)> {
    let mut entrypoint = None;
    let mut cmd = None;
    for &i in instructions {
        let words = |line: &CommandLine| -> Option<Vec<String>> {
            match line {
                CommandLine::Exec(items) => Some(items.iter().map(|t| t.value.clone()).collect()),
                CommandLine::Shell(t) => {
                    Some(t.value.split_whitespace().map(str::to_string).collect())
                }
                CommandLine::Empty => None,
            }
        };
        match &model.typed[i] {
            Typed::Entrypoint(l) => {
                entrypoint = words(l);
                cmd = None;
            }
            Typed::Cmd(l) => cmd = words(l),
            _ => {}
        }
    }
    let words = entrypoint.or(cmd)?;
    let first = words.first()?.clone();
    Some((first, words.len() == 1))
}
