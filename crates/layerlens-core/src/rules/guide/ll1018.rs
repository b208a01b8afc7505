//! LL1018: editors and debugging tools installed in the final image.

use super::g5_fix_util::{delete_command, delete_word, Style};
use super::g5_util::{
    chain_instructions, final_chain, healthcheck_line, kept_packages, package_name, package_op,
    KeptPackage, LineScript,
};
use crate::fix::Fix;
use crate::instructions::Typed;
use crate::knowledge;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

/// The programs a debug-tool package provides, when they differ from its name.
fn programs(package: &str) -> &'static [&'static str] {
    match package {
        "vim" | "vim-tiny" => &["vim", "vi", "view", "vimdiff", "xxd"],
        "emacs" | "emacs-nox" => &["emacs"],
        "openssh-server" => &["sshd", "ssh-keygen"],
        "net-tools" => &["ifconfig", "netstat", "route", "arp"],
        "telnet" => &["telnet"],
        _ => &[],
    }
}

/// Whether the final image calls one of `names` anywhere.
fn is_called(context: &Context, names: &[&str]) -> bool {
    let chain = final_chain(context);
    chain_instructions(context.model, &chain)
        .into_iter()
        .any(|i| {
            let calls =
                |c: &crate::shell::Command| c.basename().is_some_and(|n| names.contains(&n));
            if let Some(run) = context.run(i) {
                return run.commands().any(|(c, _)| {
                    calls(c)
                        || c.args().iter().any(|w| {
                            names.contains(&w.value.as_str())
                                && !package_op(c).is_some_and(|op| op.install)
                        })
                });
            }
            let line = match context.typed(i) {
                Typed::Cmd(l) | Typed::Entrypoint(l) => Some(l),
                t => healthcheck_line(t),
            };
            line.and_then(|l| LineScript::new(i, l))
                .is_some_and(|s| s.script.commands.iter().any(calls))
        })
}

/// Drops the package word (or the install, if it installs nothing else).
fn removal(context: &Context, p: &KeptPackage) -> Option<Fix> {
    let model = context.model;
    let run = context.run(p.instruction)?;
    if run.exec_form || p.command.via_shell_c {
        return None;
    }
    let mut names: Vec<&str> = vec![p.name.as_str()];
    names.extend(programs(&p.name));
    if is_called(context, &names) {
        return None;
    }
    let op = package_op(p.command)?;
    let keeps_others = op
        .packages
        .iter()
        .any(|w| !knowledge::is_debug_tool_package(package_name(&w.value)));
    let title = format!("Don't install `{}`", p.name);
    if !keeps_others {
        let edits = delete_command(model, p.instruction, run, p.part, p.command)?;
        return Some(Fix::unsafe_(title, edits));
    }
    // From the end of the word before it, so the line layout around it stays.
    let at = p
        .command
        .words
        .iter()
        .position(|w| std::ptr::eq(w, p.word))?;
    let before = p.command.words.get(at.checked_sub(1)?)?;
    let start = p
        .part
        .span(
            model,
            &(before.range.end.saturating_sub(1)..before.range.end),
        )
        .end;
    let word = p.part.span(model, &p.word.range);
    let edit = delete_word(model, p.instruction, start, word, &Style::of(model))?;
    Some(Fix::unsafe_(title, vec![edit]))
}

pub static RULE: Rule = Rule {
    code: "LL1018",
    name: "debug-tools-in-final-image",
    origin: Origin::Layerlens,
    severity: Severity::Info,
    categories: &[Category::Size, Category::Security],
    summary: "Editors, debuggers and remote shells in production images widen the attack surface.",
    docs: Docs::new(
        "Flags editors and debugging or remote-access tools (vim, nano, less, sudo, \
         openssh-server, strace, gdb, telnet, net-tools, tcpdump...) installed by a RUN of the \
         final image.",
        "Every extra package is more bytes to pull (vim alone is about 42 MB installed on \
         Debian 12) and more code that can have vulnerabilities; sudo and an SSH server also \
         give an attacker who gets in a way to escalate or persist. Containers are debugged \
         from outside (`docker exec` with a debug image, `kubectl debug`), so the shipped image \
         needs none of them.",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates vim \\\n    && rm -rf /var/lib/apt/lists/*\n",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \\\n    && rm -rf /var/lib/apt/lists/*\n",
        "Security Best Practices",
    )
    .with_fix_note(
        "Removes the package from the install command (the whole install when it installed \
         only such tools), unless a RUN, CMD, ENTRYPOINT or HEALTHCHECK of the final image \
         calls the tool. Unsafe: the image no longer contains it, so whoever relied on \
         opening a shell in the container and running it will not find it.",
    ),
    fix: crate::rules::Fixability::Unsafe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for p in kept_packages(context, knowledge::is_debug_tool_package) {
        let size = knowledge::package_size(&p.name)
            .map(|s| format!(" (~{:.0} MB installed on Debian 12)", s.installed_mb))
            .unwrap_or_default();
        let fix = removal(context, &p);
        report
            .add(
                p.instruction,
                p.part.span(context.model, &p.word.range),
                format!(
                    "`{}` is a debugging or editing tool{size}: leave it out of the final image and debug from outside the container",
                    p.name
                ),
            )
            .fix = fix;
    }
}

#[cfg(test)]
mod tests {
    use super::super::g5_util::test_support::*;

    #[test]
    fn tools() {
        let text = "FROM debian:12\nRUN apt-get install -y curl vim strace openssh-server\n";
        assert_eq!(spans("LL1018", text), ["vim", "strace", "openssh-server"]);
        assert!(findings("LL1018", text)[0].message.contains("42 MB"));
        assert!(findings(
            "LL1018",
            "FROM debian:12 AS dev\nRUN apt-get install -y vim\nFROM debian:12\n"
        )
        .is_empty());
        assert_eq!(
            findings("LL1018", "FROM alpine:3.20\nRUN apk add --no-cache nano\n").len(),
            1
        );
        for text in [FASTAPI, NEXTJS, GO] {
            assert!(findings("LL1018", text).is_empty());
        }
    }

    #[test]
    fn fixes() {
        assert_eq!(
            fixed(
                "LL1018",
                "FROM debian:12\nRUN apt-get install -y curl vim strace\n"
            ),
            "FROM debian:12\nRUN apt-get install -y curl\n"
        );
        assert_eq!(
            fixed(
                "LL1018",
                "FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends \\\n        ca-certificates \\\n        vim \\\n    && rm -rf /var/lib/apt/lists/*\n"
            ),
            "FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends \\\n        ca-certificates \\\n    && rm -rf /var/lib/apt/lists/*\n"
        );
        // A package alone on its line goes with its line; the comment above it stays.
        assert_eq!(
            fixed(
                "LL1018",
                "FROM debian:12\nRUN apt-get install -y \\\n\t\tgnupg \\\n# a pager\n\t\tless \\\n\t; true\n"
            ),
            "FROM debian:12\nRUN apt-get install -y \\\n\t\tgnupg \\\n# a pager\n\t; true\n"
        );
        // Only debug tools: the install goes.
        assert_eq!(
            fixed(
                "LL1018",
                "# escape=`\nFROM alpine:3.20\nRUN apk add --no-cache nano less `\n    && echo ok\n"
            ),
            "# escape=`\nFROM alpine:3.20\nRUN echo ok\n"
        );
        for text in [
            "FROM debian:12\nRUN apt-get install -y curl openssh-server\nCMD [\"/usr/sbin/sshd\", \"-D\"]\n",
            "FROM debian:12\nRUN apt-get install -y curl sudo\nRUN sudo -u x true\n",
            "FROM debian:12\nRUN sh -c 'apt-get install -y curl vim'\n",
        ] {
            let f = findings("LL1018", text);
            assert_eq!(f.len(), 1, "{text}");
            assert!(f[0].fix.is_none(), "{text}");
        }
    }
}
