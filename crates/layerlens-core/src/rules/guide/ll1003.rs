//! LL1003: package-manager caches left in the final image (npm, poetry, go, cargo, gem,
//! bundler, composer; pip, apt, apk, yarn, yum, dnf and zypper are hadolint's DL rules).

use super::g5_util::{dep_install, final_chain, has_cache_mount_for, root_of, Root};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, RunAnalysis, Severity};
use crate::shell::Command;

pub static RULE: Rule = Rule {
    code: "LL1003",
    name: "package-cache-in-layer",
    origin: Origin::Layerlens,
    severity: Severity::Warning,
    categories: &[Category::Size],
    summary: "A package manager's download cache stays in the image: bytes nobody uses at run time.",
    docs: Docs::new(
        "Flags, in the stages that make up the final image, `npm install`/`npm ci` without \
         `npm cache clean --force`, `poetry install` without `--no-cache` or a removed cache \
         directory, `go build`/`go mod download` leaving the Go caches, cargo leaving its \
         registry, `gem install` without `--no-document`, `bundle install` leaving \
         `bundle/cache`, and composer without `--no-cache`, unless the RUN mounts a cache there.",
        "Package managers keep every downloaded archive so the next install is faster, but the \
         image never installs again: the npm cache of a typical app is tens to hundreds of MB, \
         the Go build and module caches often several hundred MB, and each gem's \
         documentation adds seconds and MB to every install. They ship in the layer and are \
         pulled on every deploy. Clean up in the same RUN, use a cache mount, or build in an \
         earlier stage.",
        "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
        "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev && npm cache clean --force\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
        "Image Size Optimization",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

/// Whether the RUN removes a path containing one of `fragments` (`rm -rf /root/.npm`).
fn removes(run: &RunAnalysis, fragments: &[&str]) -> bool {
    run.commands_named("rm").any(|(c, _)| {
        c.positional_args()
            .iter()
            .any(|w| fragments.iter().any(|f| w.value.contains(f)))
    })
}

/// Whether the RUN runs `name sub...` (`npm cache clean`).
fn runs(run: &RunAnalysis, name: &str, subs: &[&str]) -> bool {
    run.commands_named(name).any(|(c, _)| {
        let p = c.positional_args();
        subs.iter().enumerate().all(|(k, s)| {
            p.get(k)
                .is_some_and(|w| s.split('|').any(|alt| w.value == alt))
        })
    })
}

fn gem_docs_disabled(context: &Context, chain: &[usize]) -> bool {
    // The official ruby images write `gem: --no-document` into their gemrc.
    if let Some(&stage) = chain.first() {
        if let Root::Image(image, _) = root_of(context.model, stage) {
            if image.is_official() && image.name == "ruby" {
                return true;
            }
        }
    }
    (0..context.len()).any(|i| {
        context.run(i).is_some_and(|r| {
            let t = r.full_text();
            t.contains("gemrc") && t.contains("no-document")
        })
    })
}

fn problem(
    context: &Context,
    chain: &[usize],
    i: usize,
    run: &RunAnalysis,
    cmd: &Command,
) -> Option<String> {
    let install = dep_install(cmd)?;
    let mounts = context.mounts(i);
    let scope = context.model.scope(i);
    let env = |name: &str| scope.binding(name).and_then(|b| b.value.clone());
    match install.manager {
        "npm" => {
            let clean = runs(run, "npm", &["cache", "clean"]) || removes(run, &[".npm"]);
            let mounted = has_cache_mount_for(mounts, "/.npm");
            (!clean && !mounted).then(|| {
                "npm keeps every downloaded tarball in `/root/.npm`: add `&& npm cache clean --force` to this RUN (or mount a cache at /root/.npm)".to_string()
            })
        }
        "poetry" => {
            if cmd.has_long_flag("no-cache") || has_cache_mount_for(mounts, "pypoetry") {
                return None;
            }
            let dir = env("POETRY_CACHE_DIR");
            let cleaned = removes(run, &["POETRY_CACHE_DIR", "pypoetry"])
                || dir
                    .as_deref()
                    .is_some_and(|d| removes(run, &[d]) || has_cache_mount_for(mounts, d))
                || runs(run, "poetry", &["cache", "clear"]);
            (!cleaned).then(|| {
                "poetry leaves its download cache (`~/.cache/pypoetry` or POETRY_CACHE_DIR) in this layer: pass `--no-cache`, or remove the cache directory in the same RUN".to_string()
            })
        }
        "go" => {
            if has_cache_mount_for(mounts, "go-build") || has_cache_mount_for(mounts, "/go/pkg/mod")
            {
                return None;
            }
            let cleaned = runs(run, "go", &["clean"])
                || removes(
                    run,
                    &[
                        "go-build",
                        "/go/pkg",
                        "GOCACHE",
                        "GOMODCACHE",
                        "/root/.cache",
                    ],
                );
            (!cleaned).then(|| {
                "Go leaves its build cache (/root/.cache/go-build) and module cache (/go/pkg/mod) in the final image: build in an earlier stage and copy the binary, or run `go clean -cache -modcache` in this RUN".to_string()
            })
        }
        "cargo" => {
            if has_cache_mount_for(mounts, "cargo/registry") || has_cache_mount_for(mounts, "cargo")
            {
                return None;
            }
            let cleaned = removes(
                run,
                &["registry", "CARGO_HOME", ".cargo", "/usr/local/cargo"],
            );
            (!cleaned).then(|| {
                "cargo leaves the crate registry ($CARGO_HOME/registry) and build output in the final image: build in an earlier stage and copy the binary".to_string()
            })
        }
        "gem" => {
            let no_docs = cmd.has_long_flag("no-document")
                || cmd.has_flag('N')
                || (cmd.has_long_flag("no-rdoc") && cmd.has_long_flag("no-ri"));
            (!no_docs && !gem_docs_disabled(context, chain)).then(|| {
                "`gem install` generates documentation nobody reads in a container: add `--no-document`".to_string()
            })
        }
        "bundler" => {
            let cleaned = removes(
                run,
                &["bundle/cache", "/cache/*.gem", "BUNDLE_PATH", "GEM_HOME"],
            ) || has_cache_mount_for(mounts, "gem")
                || has_cache_mount_for(mounts, "bundle");
            (!cleaned).then(|| {
                "bundler keeps every downloaded .gem in `$BUNDLE_PATH/cache`: add `&& rm -rf /usr/local/bundle/cache` to this RUN".to_string()
            })
        }
        "composer" => {
            let cleaned = cmd.has_long_flag("no-cache")
                || runs(run, "composer", &["clear-cache|clearcache|cc"])
                || removes(
                    run,
                    &[
                        "composer/cache",
                        ".composer",
                        "COMPOSER_CACHE_DIR",
                        "/root/.cache/composer",
                    ],
                )
                || has_cache_mount_for(mounts, "composer")
                || env("COMPOSER_CACHE_DIR").as_deref() == Some("/dev/null");
            (!cleaned).then(|| {
                "composer keeps its download cache in the layer: pass `--no-cache` or run `composer clear-cache` in this RUN".to_string()
            })
        }
        _ => None,
    }
}

fn check(context: &Context, report: &mut Report) {
    let chain = final_chain(context);
    for i in super::g5_util::chain_instructions(context.model, &chain) {
        if context.typed_effective(i).1 {
            continue;
        }
        let Some(run) = context.run(i) else { continue };
        for (cmd, part) in run.commands() {
            if let Some(message) = problem(context, &chain, i, run, cmd) {
                report.add(i, part.command_span(context.model, cmd), message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g5_util::test_support::*;

    #[test]
    fn npm() {
        assert_eq!(spans("LL1003", "FROM node:22\nRUN npm ci\n"), ["npm ci"]);
        assert!(findings(
            "LL1003",
            "FROM node:22\nRUN npm ci && npm cache clean --force\n"
        )
        .is_empty());
        assert!(findings(
            "LL1003",
            "FROM node:22\nRUN --mount=type=cache,target=/root/.npm npm ci\n"
        )
        .is_empty());
        assert!(findings("LL1003", "FROM node:22\nRUN npm ci && rm -rf ~/.npm\n").is_empty());
        // A build stage's cache is not shipped.
        assert!(findings(
            "LL1003",
            "FROM node:22 AS deps\nRUN npm ci\nFROM node:22-slim\nCOPY --from=deps /app /app\n"
        )
        .is_empty());
        // The final image's parent stage counts.
        assert_eq!(
            findings(
                "LL1003",
                "FROM node:22 AS base\nRUN npm ci\nFROM base\nCMD [\"node\"]\n"
            )
            .len(),
            1
        );
    }

    #[test]
    fn other_managers() {
        assert!(findings(
            "LL1003",
            "FROM ruby:3.3\nRUN bundle --version && yarn --version\n"
        )
        .is_empty());
        assert_eq!(
            findings("LL1003", "FROM python:3.13\nRUN poetry install\n").len(),
            1
        );
        assert!(findings(
            "LL1003",
            "FROM python:3.13\nRUN poetry install --no-cache\n"
        )
        .is_empty());
        assert!(findings("LL1003", "FROM python:3.13\nENV POETRY_CACHE_DIR=/tmp/pc\nRUN poetry install && rm -rf /tmp/pc\n").is_empty());
        assert_eq!(
            findings("LL1003", "FROM golang:1.23\nRUN go build -o /app .\n").len(),
            1
        );
        assert!(findings("LL1003", "FROM golang:1.23\nRUN --mount=type=cache,target=/root/.cache/go-build go build -o /app .\n").is_empty());
        assert_eq!(
            findings("LL1003", "FROM rust:1.80\nRUN cargo build --release\n").len(),
            1
        );
        assert_eq!(
            findings("LL1003", "FROM debian:12\nRUN gem install rails\n").len(),
            1
        );
        assert!(findings(
            "LL1003",
            "FROM debian:12\nRUN gem install --no-document rails\n"
        )
        .is_empty());
        assert!(findings("LL1003", "FROM ruby:3.3\nRUN gem install rails\n").is_empty());
        assert_eq!(
            findings("LL1003", "FROM ruby:3.3\nRUN bundle install\n").len(),
            1
        );
        assert!(findings(
            "LL1003",
            "FROM ruby:3.3\nRUN bundle install && rm -rf /usr/local/bundle/cache\n"
        )
        .is_empty());
        assert_eq!(
            findings("LL1003", "FROM php:8.3\nRUN composer install\n").len(),
            1
        );
        assert!(findings("LL1003", "FROM php:8.3\nRUN composer install --no-cache\n").is_empty());
        // pip and yarn are hadolint's.
        assert!(findings(
            "LL1003",
            "FROM python:3.13\nRUN pip install flask && yarn install\n"
        )
        .is_empty());
    }

    #[test]
    fn guide_real_world_examples_are_clean() {
        for text in [FASTAPI, NEXTJS, GO] {
            assert!(findings("LL1003", text).is_empty());
        }
    }
}
