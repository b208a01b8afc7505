//! LL1011: the final image never sets USER, so it runs as root.

use super::g5_util::{
    chain_instructions, final_chain, from_image_span, root_of, root_traits, Root,
};
use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "LL1011",
    name: "set-non-root-user",
    origin: Origin::Layerlens,
    severity: Severity::Warning,
    categories: &[Category::Security],
    summary: "Without USER the container runs as root: a breach gets root inside the container.",
    docs: Docs::new(
        "Flags a final image (with the stages it is built FROM) that never sets USER, unless \
         its base is known to run as a non-root user (distroless `:nonroot`, Chainguard) or it \
         drops privileges at start-up with gosu, su-exec or setpriv. An explicit `USER root` \
         is hadolint's DL3002.",
        "Most base images run as root (UID 0). An attacker who exploits the application then \
         holds root in the container: they can read every file, install tools, and the \
         container-escape bugs found every year start from there. A non-root USER costs one \
         RUN (useradd) and a `--chown` on COPY, and orchestrators can then enforce \
         `runAsNonRoot`.",
        "FROM python:3.13-slim\nCOPY . /app\nCMD [\"python\", \"/app/app.py\"]\n",
        "FROM python:3.13-slim\nRUN useradd --create-home --uid 1000 --shell /bin/bash appuser\nCOPY --chown=appuser:appuser . /app\nUSER appuser\nCMD [\"python\", \"/app/app.py\"]\n",
        "Security Best Practices",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

/// Programs that start as root and switch to another user.
const PRIVILEGE_DROPPERS: [&str; 7] = [
    "gosu",
    "su-exec",
    "setpriv",
    "runuser",
    "chpst",
    "s6-setuidgid",
    "setuidgid",
];

fn check(context: &Context, report: &mut Report) {
    let chain = final_chain(context);
    let Some(&target) = chain.first() else { return };
    let instructions = chain_instructions(context.model, &chain);
    let mut drops = false;
    for &i in &instructions {
        match context.typed_effective(i) {
            (Typed::User(_), false) => return,
            (Typed::Run(_), _) | (Typed::Cmd(_), _) | (Typed::Entrypoint(_), _) => {
                let text = context.instruction(i).original();
                drops |= PRIVILEGE_DROPPERS.iter().any(|p| text.contains(p));
            }
            _ => {}
        }
    }
    if drops {
        return;
    }
    if root_traits(context.model, target).is_some_and(|t| t.nonroot == Some(true)) {
        return;
    }
    let label = context.model.stages[target].label();
    let hint = match root_of(context.model, target) {
        Root::Scratch => "add `USER 65534:65534` (nobody) before CMD; scratch has no user database, a numeric id works",
        _ => "create a user (`RUN useradd --uid 10001 app`) and switch to it with `USER app`",
    };
    report.add(
        context.model.stages[target].from,
        from_image_span(context, target),
        format!("the final stage `{label}` never sets USER, so the container runs as root: {hint}"),
    );
}

#[cfg(test)]
mod tests {
    use super::super::g5_util::test_support::*;

    #[test]
    fn users() {
        let bad = "FROM python:3.13-slim\nCOPY . /app\nCMD [\"python\", \"app.py\"]\n";
        assert_eq!(spans("LL1011", bad), ["python:3.13-slim"]);
        let good = "FROM python:3.13-slim\nRUN useradd --create-home --uid 1000 --shell /bin/bash appuser\nCOPY --chown=appuser:appuser . /app\nUSER appuser\nCMD [\"python\", \"app.py\"]\n";
        assert!(findings("LL1011", good).is_empty());
        // USER root is DL3002's.
        assert!(findings("LL1011", "FROM debian:12\nUSER root\n").is_empty());
        // Inherited through a stage alias.
        assert!(findings("LL1011", "FROM debian:12 AS base\nUSER app\nFROM base\n").is_empty());
        // A builder's USER does not count.
        assert_eq!(
            findings("LL1011", "FROM debian:12 AS b\nUSER app\nFROM debian:12\n").len(),
            1
        );
        assert!(findings(
            "LL1011",
            "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\n"
        )
        .is_empty());
        assert!(findings(
            "LL1011",
            "FROM debian:12\nRUN apt-get install -y gosu\nENTRYPOINT [\"docker-entrypoint.sh\"]\n"
        )
        .is_empty());
    }

    #[test]
    fn guide_real_world_examples() {
        assert!(findings("LL1011", FASTAPI).is_empty());
        assert!(findings("LL1011", NEXTJS).is_empty());
        // Kept: the Go example's scratch image runs as UID 0.
        let f = findings("LL1011", GO);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("65534"));
    }
}
