//! What the moves need to know about RUN commands: package-manager operations, cleanup
//! commands, and the shell properties that decide whether two RUNs can become one.
//!
//! (The guide's rules have similar helpers in their own module; these are the optimizer's,
//! stricter where a rewrite needs proof rather than a hint.)

use crate::instructions::{CommandLine, Typed};
use crate::model::{Model, ScriptPart};
use crate::shell::{Command, Operator, Script};

/// The shell script of a shell-form RUN without heredocs, flags aside.
pub fn plain_run(model: &Model, i: usize) -> Option<&ScriptPart> {
    let Typed::Run(run) = &model.typed[i] else {
        return None;
    };
    if !matches!(run.command, CommandLine::Shell(_)) {
        return None;
    }
    if !model.doc.instructions[i].heredocs.is_empty() {
        return None;
    }
    let analysis = model.run(i)?;
    match analysis.parts.as_slice() {
        [part] if part.script.errors.is_empty() => Some(part),
        _ => None,
    }
}

/// The RUN's flags as written (`--mount=...` words), for comparing two RUNs.
pub fn flags_text(model: &Model, i: usize) -> Vec<String> {
    model.doc.instructions[i]
        .command
        .flags
        .iter()
        .map(|f| f.text.value.clone())
        .collect()
}

/// Whether every list operator at the top of `script` is `&&` (pipes are fine), so
/// `x && <script>` runs the whole script only when `x` succeeded and fails when any part
/// fails.
pub fn is_and_list(script: &Script) -> bool {
    !script.commands.is_empty()
        && script.functions.is_empty()
        && script.commands.iter().all(|c| !c.via_shell_c)
        && script
            .operators
            .iter()
            .all(|o| matches!(o.op, Operator::And | Operator::Pipe | Operator::PipeErr))
}

/// Commands whose effect outlives them in the same shell.
const STATEFUL: [&str; 20] = [
    "cd", "pushd", "popd", "export", "set", "unset", "source", ".", "alias", "umask", "ulimit",
    "shopt", "trap", "exec", "readonly", "declare", "typeset", "local", "exit", "return",
];

/// Whether running `script` changes the shell for whatever comes after it in the same
/// shell (directory, variables, options, traps), or may stop it (`exit`, `exec`).
pub fn changes_shell_state(script: &Script) -> bool {
    !script.functions.is_empty()
        || script.commands.iter().any(|c| {
            (c.words.is_empty() && !c.assignments.is_empty())
                || c.name().is_some_and(|n| STATEFUL.contains(&n))
                || c.via_shell_c && c.is("exit")
        })
        || script
            .operators
            .iter()
            .any(|o| o.op == Operator::Background)
}

/// Whether the script's text has something after its last command (a `# comment`), which
/// would swallow anything appended to it.
pub fn has_trailing_text(part: &ScriptPart) -> bool {
    let end = part
        .script
        .commands
        .iter()
        .map(|c| {
            let mut e = c.range.end;
            for r in &c.redirects {
                e = e.max(r.range.end);
            }
            e
        })
        .chain(part.script.operators.iter().map(|o| o.range.end))
        .max()
        .unwrap_or(0);
    let rest = part.text.get(end..).unwrap_or("");
    // Closing parts of compound commands (`fi`, `done`, `)`, `}`) are fine; a `#` is not.
    rest.contains('#')
}

/// OS package managers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pm {
    Apt,
    Apk,
    Rpm,
}

/// An OS package manager operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageOp {
    pub manager: Pm,
    pub sub: String,
    /// Package names, version pins removed; variables left out.
    pub packages: Vec<String>,
}

impl PackageOp {
    pub fn is_install(&self) -> bool {
        matches!(
            self.sub.as_str(),
            "install" | "add" | "groupinstall" | "localinstall"
        )
    }

    pub fn is_update(&self) -> bool {
        matches!(self.sub.as_str(), "update" | "makecache")
    }

    pub fn is_removal(&self) -> bool {
        matches!(
            self.sub.as_str(),
            "remove" | "purge" | "autoremove" | "autopurge" | "del" | "erase"
        )
    }
}

/// The package name without a version pin (`gcc=12` → `gcc`, `vim/bookworm` → `vim`).
pub fn package_name(word: &str) -> &str {
    let end = word
        .find(['=', '>', '<', '~', '/', '@'])
        .unwrap_or(word.len());
    word[..end].trim_end_matches(':')
}

/// Reads an OS package operation (`apt-get install -y x`, `apk add x`, `yum install x`).
pub fn package_op(cmd: &Command) -> Option<PackageOp> {
    let name = cmd.basename()?;
    let (manager, value_flags): (Pm, &[&str]) = match name {
        "apt-get" | "apt" | "aptitude" => (Pm::Apt, &["-t", "--target-release", "-o", "-c"]),
        "apk" => (
            Pm::Apk,
            &["-t", "--virtual", "-X", "--repository", "-p", "--root"],
        ),
        "yum" | "dnf" | "microdnf" => (Pm::Rpm, &["-c", "--setopt", "--enablerepo", "-x"]),
        _ => return None,
    };
    let positional = cmd.positional_args_with(value_flags);
    let (at, sub) = positional
        .iter()
        .enumerate()
        .find(|(_, w)| !w.has_expansion)
        .map(|(at, w)| (at, w.value.clone()))?;
    let packages = positional
        .get(at + 1..)
        .unwrap_or(&[])
        .iter()
        .filter(|w| !w.has_expansion && !w.value.is_empty())
        .map(|w| package_name(&w.value).to_string())
        .collect();
    Some(PackageOp {
        manager,
        sub,
        packages,
    })
}

/// A command that only deletes things: files, package caches, packages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cleanup {
    /// `rm` of these paths (as written).
    Rm(Vec<String>),
    /// `apt-get clean`, `yum clean all`, `pip cache purge`, `npm cache clean`...
    CacheClean,
    /// `apt-get remove/purge/autoremove`, `apk del`: these packages (empty for autoremove).
    Remove(Pm, Vec<String>),
}

/// Reads a cleanup command.
pub fn cleanup(cmd: &Command) -> Option<Cleanup> {
    if cmd.via_shell_c || !cmd.redirects.is_empty() {
        return None;
    }
    let name = cmd.basename()?;
    if name == "rm" {
        let paths: Vec<String> = cmd
            .positional_args()
            .iter()
            .map(|w| w.value.clone())
            .collect();
        return (!paths.is_empty()).then_some(Cleanup::Rm(paths));
    }
    let positional: Vec<&str> = cmd
        .positional_args()
        .iter()
        .map(|w| w.value.as_str())
        .collect();
    match (name, positional.as_slice()) {
        ("apt-get" | "apt", ["clean" | "autoclean"]) => return Some(Cleanup::CacheClean),
        ("yum" | "dnf" | "microdnf", ["clean", ..]) => return Some(Cleanup::CacheClean),
        ("pip" | "pip3", ["cache", "purge"]) => return Some(Cleanup::CacheClean),
        ("npm", ["cache", "clean", ..]) => return Some(Cleanup::CacheClean),
        ("yarn", ["cache", "clean", ..]) => return Some(Cleanup::CacheClean),
        _ => {}
    }
    let op = package_op(cmd)?;
    op.is_removal()
        .then_some(Cleanup::Remove(op.manager, op.packages))
}

/// Whether `path` (as written in an `rm`) names the apt package lists.
pub fn is_apt_lists(path: &str) -> bool {
    let p = path.trim_end_matches('/');
    p == "/var/lib/apt/lists" || p.starts_with("/var/lib/apt/lists/") || p == "/var/lib/apt"
}

/// Whether the command touches apt's state (reads or writes the package lists).
pub fn uses_apt(cmd: &Command) -> bool {
    cmd.basename().is_some_and(|n| {
        matches!(
            n,
            "apt-get" | "apt" | "aptitude" | "apt-cache" | "add-apt-repository" | "dpkg"
        )
    })
}

/// Commands of a script, ignoring `true`/`:` no-ops.
pub fn real_commands(script: &Script) -> impl Iterator<Item = &Command> {
    script
        .commands
        .iter()
        .filter(|c| !c.words.is_empty() && !matches!(c.name(), Some("true" | ":")))
}
