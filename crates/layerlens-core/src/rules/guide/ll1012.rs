//! LL1012: a service image (EXPOSE) without HEALTHCHECK.

use super::g5_util::{chain_instructions, final_chain};
use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "LL1012",
    name: "service-without-healthcheck",
    origin: Origin::Layerlens,
    severity: Severity::Info,
    categories: &[Category::Production],
    summary: "Without a health check a hung service looks healthy and keeps receiving traffic.",
    docs: Docs::new(
        "Flags a final image that EXPOSEs a port (so it runs a service) but has no HEALTHCHECK \
         in its stage or the stages it is built FROM. `HEALTHCHECK NONE` counts as a \
         deliberate choice.",
        "Docker only knows whether the process is alive, not whether it answers. A deadlocked \
         or overloaded server keeps its \"running\" status, so Swarm and Compose never restart \
         it and load balancers keep sending it requests. A HEALTHCHECK probing the service \
         every 30 seconds costs a few milliseconds and turns hangs into restarts. (Kubernetes \
         ignores HEALTHCHECK and uses probes: declare them there instead.)",
        "FROM python:3.13-slim\nUSER nobody\nEXPOSE 8000\nCMD [\"python\", \"-m\", \"http.server\"]\n",
        "FROM python:3.13-slim\nUSER nobody\nEXPOSE 8000\nHEALTHCHECK --interval=30s --timeout=3s \\\n    CMD [\"python\", \"-c\", \"import urllib.request; urllib.request.urlopen('http://localhost:8000/')\"]\nCMD [\"python\", \"-m\", \"http.server\"]\n",
        "Production Optimizations",
    ),
    // No fix: what to probe (port, path, command) is specific to the application.
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    let chain = final_chain(context);
    let instructions = chain_instructions(context.model, &chain);
    let mut expose = None;
    for &i in &instructions {
        match context.typed(i) {
            Typed::Healthcheck(_) => return,
            Typed::Expose(_) if expose.is_none() => expose = Some(i),
            _ => {}
        }
    }
    if let Some(i) = expose {
        report.add(
            i,
            context.instruction_span(i),
            "this image serves a port but has no HEALTHCHECK: add one that probes the service so a hung process gets restarted",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::g5_util::test_support::*;

    #[test]
    fn healthchecks() {
        assert_eq!(
            spans("LL1012", "FROM nginx:1.27\nEXPOSE 80 443\n"),
            ["EXPOSE 80 443"]
        );
        assert!(findings("LL1012", "FROM nginx:1.27\nEXPOSE 80\nHEALTHCHECK NONE\n").is_empty());
        assert!(findings("LL1012", "FROM nginx:1.27 AS base\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost\"]\nFROM base\nEXPOSE 80\n").is_empty());
        assert!(findings("LL1012", "FROM nginx:1.27\nCMD [\"nginx\"]\n").is_empty());
        // Exposed only in a build stage.
        assert!(findings("LL1012", "FROM nginx:1.27 AS b\nEXPOSE 80\nFROM scratch\n").is_empty());
    }

    #[test]
    fn guide_real_world_examples() {
        assert!(findings("LL1012", FASTAPI).is_empty());
        // Kept: the Next.js and Go examples expose a port without a health check.
        assert_eq!(findings("LL1012", NEXTJS).len(), 1);
        assert_eq!(findings("LL1012", GO).len(), 1);
    }
}
