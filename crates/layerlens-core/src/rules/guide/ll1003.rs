//! LL1003: package-manager caches left in the final image (npm, poetry, go, cargo, gem,
//! bundler, composer; pip, apt, apk, yarn, yum, dnf and zypper are hadolint's DL rules).

use super::g5_fix_util::{append_step, Style};
use super::g5_util::{dep_install, final_chain, has_cache_mount_for, root_of, Root};
use crate::fix::{Edit, Fix};
use crate::rules::cmd::is_truthy;
use crate::rules::{
    Category, Context, Docs, Origin, Report, Rule, RunAnalysis, ScriptPart, Severity,
};
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
    )
    .with_fix_note(
        "Per manager. Safe, because only a download cache or generated documentation leaves \
         the image and nothing installed changes: npm gets `&& npm cache clean --force` \
         after the install, `gem install` gets `--no-document`, composer gets `&& composer \
         clear-cache`, bundler in an official ruby image (gems in /usr/local/bundle) gets \
         `&& rm -rf /usr/local/bundle/cache`, and poetry gets the cache directory removed \
         when its virtualenv is known to live elsewhere (in the project, or not created). \
         Unsafe: Go gets `&& go clean -cache -modcache`, which also drops the module sources \
         a later `go build` or `go run` in the image would have reused. Cargo has no fix: \
         its remedy is a build stage. The step is added right after the install, on a new \
         line when the RUN puts one command per line.",
    ),
    fix: crate::rules::Fixability::Unsafe,
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
) -> Option<(&'static str, String)> {
    let install = dep_install(cmd)?;
    let message = problem_message(context, chain, i, run, cmd, install.manager)?;
    Some((install.manager, message))
}

fn problem_message(
    context: &Context,
    chain: &[usize],
    i: usize,
    run: &RunAnalysis,
    cmd: &Command,
    manager: &str,
) -> Option<String> {
    let mounts = context.mounts(i);
    let scope = context.model.scope(i);
    let env = |name: &str| scope.binding(name).and_then(|b| b.value.clone());
    match manager {
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

/// Whether poetry's virtualenv is known not to live in its cache directory (in-project, not
/// created, or given its own path), so removing the cache removes only downloads.
fn poetry_venv_elsewhere(context: &Context, i: usize, run: &RunAnalysis) -> bool {
    let scope = context.model.scope(i);
    let env = |name: &str| scope.binding(name).and_then(|b| b.value.clone());
    let configured = (0..=i).any(|j| {
        context.run(j).is_some_and(|r| {
            let t = r.full_text();
            t.contains("virtualenvs.create false") || t.contains("virtualenvs.in-project true")
        })
    });
    env("POETRY_VIRTUALENVS_IN_PROJECT").is_some_and(|v| is_truthy(&v))
        || env("POETRY_VIRTUALENVS_CREATE")
            .is_some_and(|v| matches!(v.as_str(), "0" | "false" | "False" | "FALSE" | "no" | "off"))
        || configured
        || run.full_text().contains("virtualenvs.create false")
}

/// The fix for a finding about `cmd` (the last command of its manager in the RUN).
fn fix_for(
    context: &Context,
    i: usize,
    run: &RunAnalysis,
    part: &ScriptPart,
    cmd: &Command,
    manager: &str,
    style: &Style,
) -> Option<Fix> {
    let model = context.model;
    let scope = model.scope(i);
    let env = |name: &str| scope.binding(name).and_then(|b| b.value.clone());
    let append = |step: &str| append_step(model, i, run, part, cmd, step, style);
    match manager {
        "npm" => Some(Fix::safe(
            "Clean the npm cache in the same RUN",
            vec![append("npm cache clean --force")?],
        )),
        "gem" => {
            if run.exec_form {
                return None;
            }
            let sub = cmd.positional_args().into_iter().next()?;
            let at = part.span(model, &sub.range).end;
            Some(Fix::safe(
                "Add `--no-document`",
                vec![Edit::insert(at, " --no-document")],
            ))
        }
        "composer" => Some(Fix::safe(
            "Clear composer's cache in the same RUN",
            vec![append("composer clear-cache")?],
        )),
        "bundler" => {
            // Only where the cache's place is known: official ruby images, default paths.
            let chain = final_chain(context);
            let official_ruby = chain.first().is_some_and(|&s| {
                matches!(root_of(model, s), Root::Image(image, _) if image.is_official() && image.name == "ruby")
            });
            let moved = ["GEM_HOME", "BUNDLE_PATH", "BUNDLE_DEPLOYMENT"]
                .iter()
                .any(|v| env(v).is_some())
                || cmd.has_long_flag("path")
                || cmd.has_long_flag("deployment")
                || cmd.has_long_flag("system")
                || run.full_text().contains("config set path")
                || run.full_text().contains("config path");
            if !official_ruby || moved {
                return None;
            }
            Some(Fix::safe(
                "Remove bundler's gem cache in the same RUN",
                vec![append("rm -rf /usr/local/bundle/cache")?],
            ))
        }
        "poetry" => {
            if !poetry_venv_elsewhere(context, i, run) {
                return None;
            }
            let step = if env("POETRY_CACHE_DIR").is_some() {
                "rm -rf $POETRY_CACHE_DIR"
            } else if env("XDG_CACHE_HOME").is_none() {
                "rm -rf ~/.cache/pypoetry"
            } else {
                return None;
            };
            Some(Fix::safe(
                "Remove poetry's cache in the same RUN",
                vec![append(step)?],
            ))
        }
        "go" => {
            // `go mod download` exists to fill the module cache: no fix there.
            let sub = cmd.positional_args().into_iter().next()?;
            if sub.value == "mod" {
                return None;
            }
            Some(Fix::unsafe_(
                "Clean Go's build and module caches in the same RUN",
                vec![append("go clean -cache -modcache")?],
            ))
        }
        _ => None,
    }
}

fn check(context: &Context, report: &mut Report) {
    let chain = final_chain(context);
    let style = Style::of(context.model);
    for i in super::g5_util::chain_instructions(context.model, &chain) {
        if context.typed_effective(i).1 {
            continue;
        }
        let Some(run) = context.run(i) else { continue };
        let found: Vec<(&Command, &ScriptPart, &'static str, String)> = run
            .commands()
            .filter_map(|(cmd, part)| {
                problem(context, &chain, i, run, cmd).map(|(m, msg)| (cmd, part, m, msg))
            })
            .collect();
        for (cmd, part, manager, message) in &found {
            // Cleanup steps go after the RUN's last install of the manager (one edit for all).
            let fix = match *manager {
                "gem" => fix_for(context, i, run, part, cmd, manager, &style),
                _ => found
                    .iter()
                    .rev()
                    .find(|f| f.2 == *manager)
                    .and_then(|l| fix_for(context, i, run, l.1, l.0, manager, &style)),
            };
            report
                .add(i, part.command_span(context.model, cmd), message.clone())
                .fix = fix;
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
    fn fixes() {
        assert_eq!(
            fixed("LL1003", "FROM node:22\nRUN npm ci\n"),
            "FROM node:22\nRUN npm ci && npm cache clean --force\n"
        );
        // One cleanup after the RUN's last npm install, in the RUN's own layout.
        assert_eq!(
            fixed(
                "LL1003",
                "FROM node:22\nRUN npm install -g a \\\n    && npm install -g b \\\n    && echo done\n"
            ),
            "FROM node:22\nRUN npm install -g a \\\n    && npm install -g b \\\n    && npm cache clean --force \\\n    && echo done\n"
        );
        assert_eq!(
            fixed("LL1003", "# escape=`\nFROM node:22\nRUN apt-get update `\n    && npm ci\n"),
            "# escape=`\nFROM node:22\nRUN apt-get update `\n    && npm ci `\n    && npm cache clean --force\n"
        );
        assert_eq!(
            fixed("LL1003", "FROM node:22\nRUN <<EOF\nset -e\nnpm ci\nEOF\n"),
            "FROM node:22\nRUN <<EOF\nset -e\nnpm ci && npm cache clean --force\nEOF\n"
        );
        assert_eq!(
            fixed("LL1003", "FROM debian:12\nRUN gem install rails -v 7.1\n"),
            "FROM debian:12\nRUN gem install --no-document rails -v 7.1\n"
        );
        assert_eq!(
            fixed("LL1003", "FROM php:8.3\nRUN composer install --no-dev\n"),
            "FROM php:8.3\nRUN composer install --no-dev && composer clear-cache\n"
        );
        assert_eq!(
            fixed("LL1003", "FROM ruby:3.3\nRUN bundle install\n"),
            "FROM ruby:3.3\nRUN bundle install && rm -rf /usr/local/bundle/cache\n"
        );
        assert_eq!(
            fixed(
                "LL1003",
                "FROM python:3.13\nENV POETRY_VIRTUALENVS_IN_PROJECT=1 POETRY_CACHE_DIR=/tmp/pc\nRUN poetry install --no-root\n"
            ),
            "FROM python:3.13\nENV POETRY_VIRTUALENVS_IN_PROJECT=1 POETRY_CACHE_DIR=/tmp/pc\nRUN poetry install --no-root && rm -rf $POETRY_CACHE_DIR\n"
        );
        let go = findings("LL1003", "FROM golang:1.23\nRUN go build -o /app .\n");
        assert_eq!(
            go[0].fix.as_ref().unwrap().applicability,
            crate::fix::Applicability::Unsafe
        );
        assert_eq!(
            fixed("LL1003", "FROM golang:1.23\nRUN go build -o /app .\n"),
            "FROM golang:1.23\nRUN go build -o /app . && go clean -cache -modcache\n"
        );
        // No fix where the remedy is not a local edit or the cache's place is unknown.
        for text in [
            "FROM rust:1.80\nRUN cargo build --release\n",
            "FROM golang:1.23\nRUN go mod download\n",
            "FROM python:3.13\nRUN poetry install\n",
            "FROM debian:12\nRUN bundle install\n",
            "FROM ruby:3.3\nENV BUNDLE_PATH=/gems\nRUN bundle install\n",
            "FROM node:22\nRUN npm ci || true\n",
            "FROM node:22\nRUN [\"npm\", \"ci\"]\n",
        ] {
            let f = findings("LL1003", text);
            assert_eq!(f.len(), 1, "{text}");
            assert!(f[0].fix.is_none(), "{text}");
        }
    }

    #[test]
    fn guide_real_world_examples_are_clean() {
        for text in [FASTAPI, NEXTJS, GO] {
            assert!(findings("LL1003", text).is_empty());
        }
    }
}
