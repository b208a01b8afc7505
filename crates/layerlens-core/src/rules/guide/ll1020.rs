//! LL1020: a HEALTHCHECK that calls curl or wget in an image that has neither.

use super::g5_util::{
    chain_instructions, copy_like, final_chain, healthcheck_line, kept_packages, root_of,
    root_traits, LineScript, Root,
};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "LL1020",
    name: "healthcheck-tool-missing",
    origin: Origin::Layerlens,
    severity: Severity::Warning,
    categories: &[Category::Correctness, Category::Production],
    summary: "A health check that calls a missing program always fails: the container is marked unhealthy.",
    docs: Docs::new(
        "Flags a HEALTHCHECK of the final image that runs `curl` or `wget` when the base is \
         known not to ship it (Debian slim images have neither, alpine has busybox wget but no \
         curl, distroless and scratch have nothing) and no RUN of the final image installs it \
         nor COPY brings it in.",
        "The probe fails with \"not found\" every time, so after the retries Docker marks the \
         container unhealthy: Swarm replaces it in a loop and Compose dependants waiting for \
         `service_healthy` never start. Nothing fails at build time, so this is found in \
         production. Install the tool (about 12 MB for curl on Debian 12) or probe with what \
         the image has, such as the application's own interpreter.",
        "FROM python:3.13-slim\nUSER nobody\nEXPOSE 8000\nHEALTHCHECK CMD curl -f http://localhost:8000/health || exit 1\nCMD [\"python\", \"-m\", \"http.server\", \"8000\"]\n",
        "FROM python:3.13-slim\nUSER nobody\nEXPOSE 8000\nHEALTHCHECK CMD python -c \"import urllib.request; urllib.request.urlopen('http://localhost:8000/health')\"\nCMD [\"python\", \"-m\", \"http.server\", \"8000\"]\n",
        "Production Optimizations",
    ),
    // No fix: installing the tool or rewriting the probe with what the image has is a choice.
    fix: crate::rules::Fixability::None,
    check,
};

fn is_curl(name: &str) -> bool {
    name == "curl"
}

fn is_wget(name: &str) -> bool {
    name == "wget"
}

fn check(context: &Context, report: &mut Report) {
    let chain = final_chain(context);
    let Some(&target) = chain.first() else { return };
    let Some(traits) = root_traits(context.model, target) else {
        return;
    };
    let instructions = chain_instructions(context.model, &chain);
    let base = match root_of(context.model, target) {
        Root::Image(image, _) => format!("`{}`", image.raw),
        Root::Scratch => "`scratch`".to_string(),
        Root::Unknown => return,
    };
    for &i in &instructions {
        let Some(line) = healthcheck_line(context.typed(i)) else {
            continue;
        };
        let Some(script) = LineScript::new(i, line) else {
            continue;
        };
        for cmd in &script.script.commands {
            let (tool, shipped) = if cmd.is("curl") {
                ("curl", traits.curl)
            } else if cmd.is("wget") {
                ("wget", traits.wget)
            } else {
                continue;
            };
            if shipped != Some(false) {
                continue;
            }
            let installed = !kept_packages(context, if tool == "curl" { is_curl } else { is_wget })
                .is_empty()
                || instructions.iter().any(|&j| {
                    copy_like(context, j).is_some_and(|c| {
                        c.dest.value.contains(tool) || c.paths().any(|p| p.value.contains(tool))
                    }) || context.run(j).is_some_and(|r| {
                        // A static binary downloaded into a bin directory, or a source build.
                        r.commands().any(|(c, _)| {
                            c.args()
                                .iter()
                                .any(|w| w.value.ends_with(&format!("/{tool}")))
                        })
                    })
                });
            if installed {
                continue;
            }
            let name = cmd.name().unwrap_or(tool);
            let span = script.span(context.model, &cmd.words[0].range);
            report.add(
                i,
                span,
                format!(
                    "the health check runs `{name}`, but {base} does not ship {tool} and no RUN installs it: every probe fails; install {tool} or probe with a program the image has"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g5_util::test_support::*;

    #[test]
    fn missing_tools() {
        let text = "FROM python:3.13-slim\nHEALTHCHECK --interval=30s --timeout=10s --start-period=40s --retries=3 \\\n    CMD curl -f http://localhost:8000/health || exit 1\n";
        assert_eq!(spans("LL1020", text), ["curl"]);
        let text = "FROM python:3.13-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n";
        assert!(findings("LL1020", text).is_empty());
        // Alpine has busybox wget, not curl.
        assert!(findings(
            "LL1020",
            "FROM node:22-alpine\nHEALTHCHECK CMD wget -qO- http://localhost:3000/ || exit 1\n"
        )
        .is_empty());
        assert_eq!(findings("LL1020", "FROM node:22-alpine\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost:3000/\"]\n").len(), 1);
        assert_eq!(findings("LL1020", "FROM alpine:3.20\nRUN apk add --no-cache --virtual .d curl && apk del .d\nHEALTHCHECK CMD curl -f http://x/\n").len(), 1);
        assert!(findings(
            "LL1020",
            "FROM alpine:3.20\nRUN apk add --no-cache curl\nHEALTHCHECK CMD curl -f http://x/\n"
        )
        .is_empty());
        assert_eq!(findings("LL1020", "FROM gcr.io/distroless/static-debian12\nHEALTHCHECK CMD [\"wget\", \"-q\", \"http://x/\"]\n").len(), 1);
        // Full images ship curl; unknown images are not judged.
        assert!(findings(
            "LL1020",
            "FROM python:3.13\nHEALTHCHECK CMD curl -f http://x/\n"
        )
        .is_empty());
        assert!(findings(
            "LL1020",
            "FROM myorg/base:1\nHEALTHCHECK CMD curl -f http://x/\n"
        )
        .is_empty());
    }

    #[test]
    fn guide_real_world_examples_are_clean() {
        for text in [FASTAPI, NEXTJS, GO] {
            assert!(findings("LL1020", text).is_empty());
        }
    }
}
