//! LL1018: editors and debugging tools installed in the final image.

use super::g5_util::kept_packages;
use crate::knowledge;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

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
    ),
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for p in kept_packages(context, knowledge::is_debug_tool_package) {
        let size = knowledge::package_size(&p.name)
            .map(|s| format!(" (~{:.0} MB installed on Debian 12)", s.installed_mb))
            .unwrap_or_default();
        report.add(
            p.instruction,
            p.part.span(context.model, &p.word.range),
            format!(
                "`{}` is a debugging or editing tool{size}: leave it out of the final image and debug from outside the container",
                p.name
            ),
        );
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
}
