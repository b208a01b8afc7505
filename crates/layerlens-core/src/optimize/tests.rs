//! Unit tests of each move, its guards, the fix loop (driven by stand-in rules) and the
//! positions of hunks.

use super::engine::{run_with, Mode};
use super::*;
use crate::fix::{Edit, Fix};
use crate::model::Model;
use crate::rules::{Finding, Severity};

fn with(f: impl Fn(&mut Moves)) -> OptimizeOptions {
    let mut moves = Moves::none();
    f(&mut moves);
    OptimizeOptions {
        allow_unsafe: true,
        moves,
        ..Default::default()
    }
}

fn run(text: &str, options: &OptimizeOptions) -> Optimized {
    let out = optimize(text, options);
    let model = Model::parse(&out.text);
    assert!(
        model.doc.errors.is_empty() && model.errors.is_empty(),
        "does not parse:\n{}\n{:?}",
        out.text,
        model.errors
    );
    assert_eq!(
        optimize(&out.text, options).text,
        out.text,
        "not idempotent"
    );
    out
}

fn reasons(out: &Optimized) -> Vec<String> {
    out.skipped.iter().map(|s| s.reason.clone()).collect()
}

// ----------------------------------------------------------------------------------------
// Exec form

#[test]
fn exec_form_only_for_plain_words() {
    let o = with(|m| m.exec_form = true);
    let out = run("FROM a:1\nCMD exec python app.py --port 80\n", &o);
    assert_eq!(
        out.text,
        "FROM a:1\nCMD [\"python\", \"app.py\", \"--port\", \"80\"]\n"
    );
    assert_eq!(out.changes[0].applicability, Applicability::Unsafe);
    for text in [
        "FROM a:1\nCMD python $APP\n",
        "FROM a:1\nCMD a && b\n",
        "FROM a:1\nCMD a > /log\n",
        "FROM a:1\nCMD FOO=1 a\n",
        "FROM a:1\nSHELL [\"/bin/bash\", \"-c\"]\nCMD a\n",
        "FROM a:1\nENTRYPOINT run\nCMD [\"x\"]\n",
    ] {
        let out = run(text, &o);
        assert_eq!(out.text, text);
        assert_eq!(out.skipped.len(), 1, "{text}: {:?}", out.skipped);
    }
    // Quotes are removed the way the shell would.
    let out = run("FROM a:1\nENTRYPOINT node 'my app.js'\n", &o);
    assert_eq!(out.text, "FROM a:1\nENTRYPOINT [\"node\", \"my app.js\"]\n");
    // Safe only: the unsafe move is listed, not made.
    let out = optimize("FROM a:1\nCMD a b\n", &OptimizeOptions::default());
    assert_eq!(out.text, "FROM a:1\nCMD a b\n");
    assert!(reasons(&out).iter().any(|r| r.starts_with("unsafe")));
}

// ----------------------------------------------------------------------------------------
// Merging RUNs

#[test]
fn merges_update_install_and_cleanup_keeping_comments() {
    let o = with(|m| m.merge_runs = true);
    let text = "FROM debian:12\nRUN apt-get update\n# the tools\n\nRUN apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\nCMD [\"curl\"]\n";
    let out = run(text, &o);
    assert_eq!(
        out.text,
        "FROM debian:12\nRUN apt-get update \\\n# the tools\n    && apt-get install -y curl \\\n    && rm -rf /var/lib/apt/lists/*\nCMD [\"curl\"]\n"
    );
    let change = &out.changes[0];
    assert_eq!(change.kind, MoveKind::MergeRuns);
    assert_eq!(change.effect.layers_before - change.effect.layers_after, 2);
    assert!(change.effect.bytes_saved.low > 0, "{:?}", change.effect);
}

#[test]
fn merge_follows_the_file_style() {
    let o = with(|m| m.merge_runs = true);
    let text = "from debian:12\nrun apt-get update && \\\n\tapt-get install -y make\nrun apt-get purge -y make\n";
    let out = run(text, &o);
    // Trailing `&&`, tab indent, lower-case keywords; autoremove added after the purge.
    assert_eq!(
        out.text,
        "from debian:12\nrun apt-get update && \\\n\tapt-get install -y make && \\\n\tapt-get purge -y make && \\\n\tapt-get autoremove -y\n"
    );
}

#[test]
fn merge_guards() {
    let o = with(|m| m.merge_runs = true);
    for (text, why) in [
        (
            "FROM debian:12\nRUN apt-get update\nRUN --network=none apt-get install -y curl\n",
            "other flags",
        ),
        (
            "FROM debian:12\nRUN apt-get install -y x # comment\nRUN apt-get remove -y x\n",
            "shell comment",
        ),
        (
            "FROM debian:12\nRUN apt-get install -y x\nRUN apt-get remove -y x || true\n",
            "plain `&&` chain",
        ),
        (
            "FROM debian:12\nRUN apt-get install -y x\n# hadolint ignore=DL3059\nRUN apt-get remove -y x\n",
            "pragma",
        ),
        (
            "FROM debian:12\nRUN apt-get install -y x && cd /tmp\nRUN make\nRUN apt-get remove -y x\n",
            "shell's state",
        ),
    ] {
        let out = run(text, &o);
        assert_eq!(out.text, text);
        assert!(
            reasons(&out).iter().any(|r| r.contains(why)),
            "{text}: {:?}",
            out.skipped
        );
    }
    // Unrelated consecutive RUNs are left alone.
    let text = "FROM debian:12\nRUN mkdir /a\nRUN touch /b\n";
    assert_eq!(run(text, &o).text, text);
}

#[test]
fn moves_cleanup_into_the_creating_run_and_drops_noop_cleanups() {
    let o = with(|m| m.merge_runs = true);
    let text = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nCOPY app /app\n# tidy\nRUN rm -rf /var/lib/apt/lists/*\nCMD [\"/app/run\"]\n";
    let out = run(text, &o);
    assert_eq!(
        out.text,
        "FROM debian:12\nRUN apt-get update && apt-get install -y curl \\\n    && rm -rf /var/lib/apt/lists/*\nCOPY app /app\n# tidy\nCMD [\"/app/run\"]\n"
    );
    assert_eq!(out.changes[0].kind, MoveKind::MoveCleanup);
    // An apt command in between needs the lists: nothing moves.
    let text = "FROM debian:12\nRUN apt-get update\nCOPY a /a\nRUN apt-get install -y x\nCOPY b /b\nRUN rm -rf /var/lib/apt/lists/*\n";
    let out = run(text, &o);
    assert!(out
        .changes
        .iter()
        .all(|c| c.kind != MoveKind::MoveCleanup || !c.moved.contains("`RUN apt-get update`")));
    // Already deleted in the RUN that downloaded them: the later cleanup is an empty layer.
    let text = "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nCOPY a /a\nRUN rm -rf /var/lib/apt/lists/*\n";
    let out = run(text, &o);
    assert_eq!(
        out.text,
        "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nCOPY a /a\n"
    );
    assert_eq!(out.changes[0].kind, MoveKind::RemoveNoopCleanup);
    // Lists possibly from the base image: not a no-op.
    let text =
        "FROM debian:12\nRUN apt-get install -y curl\nCOPY a /a\nRUN rm -rf /var/lib/apt/lists/*\n";
    assert_eq!(run(text, &o).text, text);
}

// ----------------------------------------------------------------------------------------
// Reordering

#[test]
fn reorder_for_each_manager() {
    let o = with(|m| m.reorder = true);
    for (run_line, copy) in [
        ("RUN npm ci", "COPY package*.json ./"),
        (
            "RUN yarn install --frozen-lockfile",
            "COPY package.json yarn.lock* ./",
        ),
        ("RUN go mod download", "COPY go.mod go.sum* ./"),
        (
            "RUN poetry install --no-root",
            "COPY pyproject.toml poetry.lock* ./",
        ),
        (
            "RUN uv sync --no-install-project",
            "COPY pyproject.toml uv.lock* ./",
        ),
        ("RUN pipenv install", "COPY Pipfile Pipfile.lock* ./"),
        ("RUN bundle install", "COPY Gemfile Gemfile.lock* ./"),
        (
            "RUN composer install --no-scripts --no-autoloader",
            "COPY composer.json composer.lock* ./",
        ),
        ("RUN mvn -B dependency:go-offline", "COPY pom.xml ."),
        (
            "RUN pip install -r requirements/prod.txt -c constraints/x.txt",
            "",
        ),
    ] {
        let text = format!("FROM x:1\nWORKDIR /app\nCOPY . .\n{run_line}\nCMD [\"x\"]\n");
        let out = run(&text, &o);
        if copy.is_empty() {
            // Manifests in two directories: refused.
            assert_eq!(out.text, text, "{run_line}");
            continue;
        }
        let expected =
            format!("FROM x:1\nWORKDIR /app\n{copy}\n{run_line}\nCOPY . .\nCMD [\"x\"]\n");
        assert_eq!(out.text, expected, "{run_line}: {:?}", out.skipped);
    }
}

#[test]
fn reorder_guards() {
    let o = with(|m| m.reorder = true);
    for (text, why) in [
        ("FROM x:1\nCOPY . .\nRUN poetry install\n", "--no-root"),
        (
            "FROM x:1\nCOPY . .\nRUN pip install -r requirements.txt -e .\n",
            "editable",
        ),
        (
            "FROM x:1\nCOPY . .\nRUN pip install -r requirements.txt && python setup.py x\n",
            "may read the copied files",
        ),
        (
            "FROM x:1\nCOPY . .\nRUN make\nRUN npm ci\n",
            "may use the copied files",
        ),
        (
            "FROM x:1\nCOPY . /src\nRUN pip install -r requirements.txt\n",
            "/requirements.txt",
        ),
        ("FROM x:1\nCOPY . .\nWORKDIR /app\nRUN npm ci\n", "WORKDIR"),
        (
            "FROM x:1\nCOPY . .\nCOPY conf/x.txt ./x.txt\nRUN npm ci\n",
            "writes where",
        ),
        ("FROM x:1\nCOPY . .\nRUN cargo fetch\n", "cargo fetch"),
    ] {
        let out = run(text, &o);
        assert_eq!(out.text, text);
        assert!(
            reasons(&out).iter().any(|r| r.contains(why)),
            "{text}: {:?}",
            out.skipped
        );
    }
    // What lies between the COPY and the install may move past it when it reads nothing.
    let text = "FROM python:3.13\nWORKDIR /app\n# all of it\nCOPY --chown=1000 . .\nENV A=1\nRUN apt-get update && apt-get install -y libpq5\nRUN pip install --upgrade pip && pip install -r requirements.txt\nCMD [\"x\"]\n";
    let out = run(text, &o);
    assert_eq!(
        out.text,
        "FROM python:3.13\nWORKDIR /app\nCOPY --chown=1000 requirements.txt .\nENV A=1\nRUN apt-get update && apt-get install -y libpq5\nRUN pip install --upgrade pip && pip install -r requirements.txt\n# all of it\nCOPY --chown=1000 . .\nCMD [\"x\"]\n"
    );
    // The manifests honour the .dockerignore.
    let mut o2 = o.clone();
    o2.dockerignore = Some(crate::dockerignore::Dockerignore::parse(
        "requirements.txt\n",
    ));
    let text = "FROM x:1\nCOPY . .\nRUN pip install -r requirements.txt\n";
    let out = run(text, &o2);
    assert_eq!(out.text, text);
}

// ----------------------------------------------------------------------------------------
// WORKDIR

#[test]
fn workdir_safe_unsafe_and_refused() {
    let o = with(|m| m.workdir = true);
    // Nothing after depends on it, and a later WORKDIR resets the image's directory: safe.
    let text = "FROM a:1\nRUN cd /src && make && make install\nWORKDIR /\nCMD [\"x\"]\n";
    let out = run(
        text,
        &OptimizeOptions {
            allow_unsafe: false,
            ..o.clone()
        },
    );
    assert_eq!(
        out.text,
        "FROM a:1\nWORKDIR /src\nRUN make && make install\nWORKDIR /\nCMD [\"x\"]\n"
    );
    assert_eq!(out.changes[0].applicability, Applicability::Safe);
    // Only the run-time directory changes: unsafe.
    let text = "FROM a:1\nRUN cd /src && \\\n    make\nCMD [\"x\"]\n";
    let out = run(text, &o);
    assert_eq!(out.text, "FROM a:1\nWORKDIR /src\nRUN make\nCMD [\"x\"]\n");
    assert_eq!(out.changes[0].applicability, Applicability::Unsafe);
    // A later RUN would run there too: refused.
    let text = "FROM a:1\nRUN cd /src && make\nRUN ./configure\n";
    let out = run(text, &o);
    assert_eq!(out.text, text);
    assert!(reasons(&out)[0].contains("would run there too"));
    // A builder stage whose directory nobody inherits: safe.
    let text = "FROM a:1 AS b\nRUN cd /src && make\nFROM scratch\nCOPY --from=b /src/x /x\n";
    let out = run(text, &o);
    assert_eq!(out.changes[0].applicability, Applicability::Safe);
}

// ----------------------------------------------------------------------------------------
// Cache mounts

#[test]
fn cache_mounts_need_buildkit_and_the_default_cache() {
    let o = with(|m| m.cache_mounts = true);
    let plain = "FROM python:3.13-slim\nRUN pip install -r r.txt\n";
    assert_eq!(run(plain, &o).text, plain);
    let text = format!("# syntax=docker/dockerfile:1\n{plain}");
    let out = run(
        &text,
        &OptimizeOptions {
            allow_unsafe: false,
            ..o.clone()
        },
    );
    assert_eq!(
        out.text,
        "# syntax=docker/dockerfile:1\nFROM python:3.13-slim\nRUN --mount=type=cache,target=/root/.cache/pip \\\n    pip install -r r.txt\n"
    );
    assert_eq!(out.changes[0].applicability, Applicability::Safe);
    // With the option, the directive comes too.
    let out = run(
        plain,
        &OptimizeOptions {
            assume_buildkit: true,
            ..o.clone()
        },
    );
    assert!(out.text.starts_with("# syntax=docker/dockerfile:1\nFROM"));
    assert!(out.changes[0].rules.contains(&"LL1019".to_string()));
    for text in [
        "# syntax=docker/dockerfile:1\nFROM python:3.13-slim\nRUN pip install --no-cache-dir -r r.txt\n",
        "# syntax=docker/dockerfile:1\nFROM python:3.13-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install -r r.txt\n",
        "# syntax=docker/dockerfile:1\nFROM python:3.13-slim\nUSER app\nRUN pip install -r r.txt\n",
        "# syntax=docker/dockerfile:1\nFROM python:3.13-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r r.txt\n",
    ] {
        assert_eq!(run(text, &o).text, text);
    }
    // Go: every `go` RUN of the stage, in one change.
    let text = "# syntax=docker/dockerfile:1\nFROM golang:1.22\nRUN go mod download\nRUN go build -o /x .\n";
    let out = run(text, &o);
    assert_eq!(out.changes.len(), 1);
    assert_eq!(out.text.matches("target=/go/pkg/mod").count(), 2);
    assert_eq!(out.text.matches("target=/root/.cache/go-build").count(), 2);
}

/// The cache-mount move alone on a file that opts into BuildKit: the output (checked to
/// parse and to be stable) and the reasons of what was refused. Every change is safe.
fn mounts(body: &str) -> (String, Vec<String>) {
    let text = format!("# syntax=docker/dockerfile:1\n{body}");
    let out = run(&text, &with(|m| m.cache_mounts = true));
    assert!(out
        .changes
        .iter()
        .all(|c| c.applicability == Applicability::Safe));
    let output = out
        .text
        .strip_prefix("# syntax=docker/dockerfile:1\n")
        .unwrap();
    (output.to_string(), reasons(&out))
}

/// Asserts the move leaves `body` alone and says why, with `reason` in the explanation.
fn refuses(body: &str, reason: &str) {
    let (out, why) = mounts(body);
    assert_eq!(out, body);
    assert!(why.iter().any(|r| r.contains(reason)), "{body}: {why:?}");
}

#[test]
fn cache_mounts_for_apt() {
    // The lists cleanup goes: the mount keeps them out of the layer and between builds.
    let (out, _) = mounts("FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n");
    assert_eq!(
        out,
        "FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n    --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \\\n    apt-get update && apt-get install -y --no-install-recommends curl\n"
    );
    // In the RUN's own layout; `apt-get clean` goes too, other paths of the `rm` stay.
    let (out, _) = mounts("FROM debian:12\nRUN apt-get update \\\n\t&& apt-get install -y curl \\\n\t&& apt-get clean \\\n\t&& rm -rf /var/lib/apt/lists/* /tmp/build\n");
    assert_eq!(
        out,
        "FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n\t--mount=type=cache,target=/var/lib/apt/lists,sharing=locked \\\n\tapt-get update \\\n\t&& apt-get install -y curl \\\n\t&& rm -rf /tmp/build\n"
    );
    // Lists the RUN left in the image leave it, when nothing later reads them.
    let (out, _) =
        mounts("FROM debian:12\nRUN apt-get update && apt-get install -y curl\nCMD [\"curl\"]\n");
    assert!(
        out.starts_with(
            "FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked"
        ),
        "{out}"
    );
    // A mount already there stays; the missing one is added.
    let (out, _) = mounts("FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked apt-get update && apt-get install -y curl\n");
    assert_eq!(
        out,
        "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n    apt-get update && apt-get install -y curl\n"
    );
    // RUN by RUN, each after the ones above it got theirs.
    let (out, _) = mounts("FROM debian:12\nRUN apt-get update && apt-get install -y gcc\nRUN apt-get update && apt-get install -y curl && apt-get clean\n");
    assert_eq!(
        out.matches("target=/var/lib/apt/lists,sharing=locked")
            .count(),
        2,
        "{out}"
    );
    assert!(!out.contains("apt-get clean"));

    refuses(
        "FROM debian:12\nRUN apt-get install -y curl\n",
        "without `apt-get update`",
    );
    refuses(
        "FROM debian:12\nRUN apt-get install -y ca-certificates && apt-get update && apt-get install -y curl\n",
        "runs before `apt-get update`",
    );
    // A later RUN reads the lists this one leaves in the image.
    refuses(
        "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN apt-get install -y git\n",
        "the RUN on line 4 reads the package lists",
    );
    // An earlier RUN left lists the mount would hide and keep.
    refuses(
        "FROM debian:12\nRUN apt-get update\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
        "the RUN on line 3 leaves package lists",
    );
    // Removing a parent of the mount point fails with the mount in place.
    refuses(
        "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt\n",
        "`rm /var/lib/apt` would also remove",
    );
    let user = "FROM debian:12\nUSER app\nRUN apt-get update && apt-get install -y curl\n";
    assert_eq!(mounts(user).0, user);
}

#[test]
fn cache_mounts_for_apk() {
    // `--no-cache` uses no cache at all: the index is fetched fresh into the mount instead.
    let (out, _) = mounts("FROM alpine:3.20\nRUN apk add --no-cache curl\n");
    assert_eq!(
        out,
        "FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk \\\n    apk add --update-cache curl\n"
    );
    // Fetched already in the RUN: `--no-cache` simply goes.
    let (out, _) = mounts(
        "FROM alpine:3.20\nRUN apk update && apk add --no-cache curl && apk add --no-cache git\n",
    );
    assert_eq!(
        out,
        "FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk \\\n    apk update && apk add curl && apk add git\n"
    );
    let (out, _) =
        mounts("FROM alpine:3.20\nRUN apk add --update curl && rm -rf /var/cache/apk/*\n");
    assert_eq!(
        out,
        "FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk \\\n    apk add --update curl\n"
    );
    // The mount may hold an old index, or none.
    refuses(
        "FROM alpine:3.20\nRUN apk add curl\n",
        "reads the package index before",
    );
    refuses(
        "FROM alpine:3.20\nRUN apk add -U curl\nRUN apk add git\n",
        "the RUN on line 4 reads the package index",
    );
}

#[test]
fn cache_mounts_for_cargo_and_go() {
    // Every cargo RUN of the stage, in one change; never the target directory.
    let (out, _) = mounts(
        "FROM rust:1.80\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\nRUN cargo test\n",
    );
    assert_eq!(
        out,
        "FROM rust:1.80\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/usr/local/cargo/registry \\\n    --mount=type=cache,target=/usr/local/cargo/git/db \\\n    cargo build --release\nRUN --mount=type=cache,target=/usr/local/cargo/registry \\\n    --mount=type=cache,target=/usr/local/cargo/git/db \\\n    cargo test\n"
    );
    refuses(
        "FROM rust:1.80\nRUN cargo fetch\nRUN cargo build --frozen\n",
        "runs cargo offline",
    );
    for text in [
        "FROM debian:12\nRUN cargo build\n",
        "FROM rust:1.80\nENV CARGO_HOME=/cargo\nRUN cargo build\n",
        "FROM rust:1.80\nUSER 1000\nRUN cargo build\n",
    ] {
        assert_eq!(mounts(text).0, text);
    }
    // Go: cleaning the module cache would only empty the mount (and fail on its mount point).
    let (out, _) = mounts("FROM golang:1.22\nRUN go build -o /x . && go clean -cache -modcache\n");
    assert_eq!(
        out,
        "FROM golang:1.22\nRUN --mount=type=cache,target=/go/pkg/mod \\\n    --mount=type=cache,target=/root/.cache/go-build \\\n    go build -o /x .\n"
    );
}

#[test]
fn cache_mounts_for_pnpm_poetry_uv() {
    let (out, _) = mounts("FROM node:22\nRUN pnpm install --frozen-lockfile\n");
    assert_eq!(
        out,
        "FROM node:22\nRUN --mount=type=cache,target=/root/.local/share/pnpm/store \\\n    pnpm install --frozen-lockfile\n"
    );
    let (out, _) = mounts("FROM node:22\nENV PNPM_HOME=/pnpm\nRUN pnpm install\n");
    assert!(
        out.contains("RUN --mount=type=cache,target=/pnpm/store \\\n"),
        "{out}"
    );
    refuses(
        "FROM node:22\nRUN pnpm fetch\nRUN pnpm install --offline\n",
        "pnpm --offline",
    );
    // Poetry: the download caches only, never the virtualenvs beside them.
    let (out, _) = mounts("FROM python:3.12\nRUN poetry install --no-root\n");
    assert_eq!(
        out,
        "FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pypoetry/cache \\\n    --mount=type=cache,target=/root/.cache/pypoetry/artifacts \\\n    poetry install --no-root\n"
    );
    refuses(
        "FROM python:3.12\nENV POETRY_VIRTUALENVS_IN_PROJECT=1\nRUN poetry install && rm -rf ~/.cache/pypoetry\n",
        "`rm ~/.cache/pypoetry` would also remove",
    );
    // uv: its own cache cleaning goes with the mount.
    let (out, _) = mounts("FROM python:3.12\nRUN uv sync --locked && uv cache clean\n");
    assert_eq!(
        out,
        "FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/uv \\\n    uv sync --locked\n"
    );
    let (out, _) = mounts("FROM python:3.12\nRUN uv pip install --system -r requirements.txt\n");
    assert!(out.contains("target=/root/.cache/uv"));
    refuses(
        "FROM python:3.12\nENV UV_LINK_MODE=symlink\nRUN uv sync\n",
        "`symlink` link mode",
    );
    refuses(
        "FROM python:3.12\nRUN uv sync --offline\n",
        "`uv --offline`",
    );
    // The cache is elsewhere or off: nothing to do.
    for text in [
        "FROM node:22\nRUN pnpm install --store-dir /s\n",
        "FROM python:3.12\nENV POETRY_CACHE_DIR=/tmp/poetry\nRUN poetry install\n",
        "FROM python:3.12\nRUN poetry install --no-cache\n",
        "FROM python:3.12\nRUN uv sync --no-cache\n",
        "FROM python:3.12\nENV UV_CACHE_DIR=/uv\nRUN uv sync\n",
        "FROM python:3.12\nENV XDG_CACHE_HOME=/cache\nRUN uv sync\n",
    ] {
        assert_eq!(mounts(text).0, text);
    }
}

#[test]
fn cache_mounts_for_gem_and_bundler() {
    // In the ruby images gems are downloaded into $GEM_HOME/cache.
    let (out, _) = mounts("FROM ruby:3.3\nCOPY Gemfile Gemfile.lock ./\nRUN bundle install\n");
    assert_eq!(
        out,
        "FROM ruby:3.3\nCOPY Gemfile Gemfile.lock ./\nRUN --mount=type=cache,target=/usr/local/bundle/cache \\\n    bundle install\n"
    );
    let (out, _) = mounts("FROM ruby:3.3-alpine AS base\nFROM base\nRUN gem install rails\n");
    assert!(
        out.contains(
            "RUN --mount=type=cache,target=/usr/local/bundle/cache \\\n    gem install rails"
        ),
        "{out}"
    );
    refuses(
        "FROM ruby:3.3\nRUN bundle install --local\n",
        "`--local` install",
    );
    refuses(
        "FROM ruby:3.3\nRUN bundle install\nRUN bundle cache\n",
        "reads the downloaded `.gem` files",
    );
    for text in [
        "FROM debian:12\nRUN gem install rails\n",
        "FROM ruby:3.3\nENV BUNDLE_PATH=/gems\nRUN bundle install\n",
        "FROM ruby:3.3\nENV GEM_HOME=/gems\nRUN gem install rails\n",
        "FROM ruby:3.3\nRUN bundle install --deployment\n",
    ] {
        assert_eq!(mounts(text).0, text);
    }
}

#[test]
fn cache_mounts_drop_the_cleanup_of_mounted_caches() {
    let (out, _) =
        mounts("FROM python:3.12\nRUN pip install -r r.txt && rm -rf /root/.cache/pip\n");
    assert_eq!(
        out,
        "FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip \\\n    pip install -r r.txt\n"
    );
    let (out, _) = mounts("FROM node:22\nRUN npm ci && npm cache clean --force\n");
    assert_eq!(
        out,
        "FROM node:22\nRUN --mount=type=cache,target=/root/.npm \\\n    npm ci\n"
    );
    // `rm -rf /root/.cache` would fail on the mount point below it.
    refuses(
        "FROM python:3.12\nRUN pip install -r r.txt && rm -rf /root/.cache\n",
        "`rm /root/.cache` would also remove",
    );
    refuses(
        "FROM python:3.12\nRUN pip install -r r.txt && rm -rf ~/.cache/*\n",
        "would also remove",
    );
    // Working from the cache alone.
    refuses(
        "FROM node:22\nRUN npm ci\nRUN npm ci --offline\n",
        "what npm downloaded",
    );
}

#[test]
fn cache_mounts_with_assumed_buildkit_come_in_one_change() {
    // Opting in makes LL1004 look at every install: all mounts and the syntax line together.
    let o = OptimizeOptions {
        assume_buildkit: true,
        ..with(|m| m.cache_mounts = true)
    };
    let text = "FROM debian:12\nRUN apt-get update && apt-get install -y python3-pip && rm -rf /var/lib/apt/lists/*\nRUN pip install -r r.txt\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n";
    let out = run(text, &o);
    assert_eq!(out.changes.len(), 1, "{:?}", out.changes);
    assert!(out.text.starts_with("# syntax=docker/dockerfile:1\n"));
    assert_eq!(out.text.matches("target=/var/lib/apt/lists").count(), 2);
    assert_eq!(out.text.matches("target=/root/.cache/pip").count(), 1);
    assert!(!out.text.contains("rm -rf"));
    // One install that cannot have its mount keeps the file as it is.
    let text = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN apt-get install -y git\n";
    let out = run(text, &o);
    assert_eq!(out.text, text);
    assert!(!out.skipped.is_empty());
}

// ----------------------------------------------------------------------------------------
// Stage split

#[test]
fn go_binary_on_distroless() {
    let o = with(|m| m.stage_split = true);
    let text = "FROM golang:1.22\nWORKDIR /app\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app/server ./cmd/server\n# the port\nEXPOSE 8080\nCMD [\"/app/server\"]\n";
    let out = run(text, &o);
    assert_eq!(
        out.text,
        "FROM golang:1.22 AS builder\nWORKDIR /app\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app/server ./cmd/server\n\nFROM gcr.io/distroless/static-debian12:nonroot\nWORKDIR /app\nCOPY --from=builder /app/server /app/server\n# the port\nEXPOSE 8080\nCMD [\"/app/server\"]\n"
    );
    assert!(out.changes[0].effect.bytes_saved.low > 100_000_000);
    // Without CGO_ENABLED=0 the binary may need libc.
    let dynamic = text.replace("CGO_ENABLED=0 ", "");
    let out = run(&dynamic, &o);
    assert_eq!(out.text, dynamic);
    assert!(reasons(&out)[0].contains("CGO_ENABLED=0"));
}

#[test]
fn java_jar_on_a_jre() {
    let o = with(|m| m.stage_split = true);
    let text = "FROM maven:3.9-eclipse-temurin-21\nWORKDIR /app\nCOPY pom.xml .\nRUN mvn -B dependency:go-offline\nCOPY src ./src\nRUN mvn -B package -DskipTests\nEXPOSE 8080\nCMD [\"java\", \"-jar\", \"target/app.jar\"]\n";
    let out = run(text, &o);
    assert!(out.text.contains("\nFROM eclipse-temurin:21-jre\nWORKDIR /app\nCOPY --from=builder /app/target/app.jar /app/target/app.jar\nEXPOSE 8080\nCMD"), "{}", out.text);
    let globbed = text.replace("target/app.jar", "target/*.jar");
    assert_eq!(run(&globbed, &o).text, globbed);
}

#[test]
fn python_packages_built_with_compilers() {
    let o = with(|m| m.stage_split = true);
    let text = "FROM python:3.12-slim\nWORKDIR /app\nRUN apt-get update && apt-get install -y --no-install-recommends gcc python3-dev curl && rm -rf /var/lib/apt/lists/*\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD [\"gunicorn\", \"app:app\"]\n";
    let out = run(text, &o);
    assert_eq!(
        out.text,
        "FROM python:3.12-slim AS builder\nWORKDIR /app\nRUN apt-get update && apt-get install -y --no-install-recommends gcc python3-dev curl && rm -rf /var/lib/apt/lists/*\nCOPY requirements.txt .\nRUN pip install --prefix=/install --no-cache-dir -r requirements.txt\n\nFROM python:3.12-slim\nWORKDIR /app\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nCOPY --from=builder /install /usr/local\nCOPY . .\nCMD [\"gunicorn\", \"app:app\"]\n"
    );
    // An unknown -dev package stops it.
    let unknown = text.replace("python3-dev", "libfoo-dev");
    let out = run(&unknown, &o);
    assert_eq!(out.text, unknown);
    assert!(reasons(&out)[0].contains("libfoo-dev"));
}

/// A Node app as the shape expects it: manifests, install, sources, build, run.
const NODE_APP: &str = "FROM node:20-alpine\nWORKDIR /app\n# manifests first\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nENV NODE_ENV=production\nEXPOSE 3000\nCMD [\"node\", \"dist/server.js\"]\n";

#[test]
fn node_build_output_beside_production_dependencies() {
    let o = with(|m| m.stage_split = true);
    let out = run(NODE_APP, &o);
    assert_eq!(
        out.text,
        "FROM node:20-alpine AS builder\nWORKDIR /app\n# manifests first\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n\nFROM node:20-alpine\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY --from=builder /app/dist ./dist\nENV NODE_ENV=production\nEXPOSE 3000\nCMD [\"node\", \"dist/server.js\"]\n"
    );
    let change = &out.changes[0];
    assert_eq!(change.kind, MoveKind::StageSplit);
    assert_eq!(change.applicability, Applicability::Unsafe);
    assert!(change.moved.contains("/app/dist"), "{}", change.moved);
    // ENV and ARG before the build come along (the runtime stage runs an install too).
    let text = NODE_APP.replace(
        "WORKDIR /app\n",
        "ARG NPM_TAG=1\nENV NODE_ENV=production\nWORKDIR /app\n",
    );
    let text = text.replace("ENV NODE_ENV=production\nEXPOSE", "EXPOSE");
    let out = run(&text, &o);
    assert!(
        out.text.contains("\nFROM node:20-alpine\nARG NPM_TAG=1\nENV NODE_ENV=production\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\n"),
        "{}",
        out.text
    );
    // A named final stage: the name stays with the image that runs (`--target app`).
    let named = NODE_APP.replace("node:20-alpine\n", "node:20-alpine AS app\n");
    let out = run(&named, &o);
    assert!(
        out.text.starts_with("FROM node:20-alpine AS builder\n")
            && out
                .text
                .contains("\nFROM node:20-alpine AS app\nWORKDIR /app\n"),
        "{}",
        out.text
    );
    // Blank lines left by the moved lines do not pile up; a last line without a newline
    // moves as well as any.
    let text = "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n\n\nCMD [\"node\", \"dist\"]";
    assert_eq!(
        run(text, &o).text,
        "FROM node:20 AS builder\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n\nFROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY --from=builder /app/dist ./dist\nCMD [\"node\", \"dist\"]\n"
    );
}

#[test]
fn node_split_per_package_manager() {
    let o = with(|m| m.stage_split = true);
    for (base, setup, copy, install, build, runtime_install) in [
        (
            "node:22",
            "",
            "COPY package.json yarn.lock ./",
            "RUN yarn install --frozen-lockfile && yarn cache clean",
            "RUN yarn build",
            "RUN yarn install --production --frozen-lockfile && yarn cache clean",
        ),
        (
            "node:20-slim",
            "RUN corepack enable\n",
            "COPY package.json pnpm-lock.yaml ./",
            "RUN pnpm install --frozen-lockfile",
            "RUN pnpm run build",
            "RUN pnpm install --prod --frozen-lockfile",
        ),
        // Node 14 comes with npm 6, which knows `--production` only.
        (
            "node:14",
            "",
            "COPY package.json package-lock.json ./",
            "RUN npm install",
            "RUN npm run build",
            "RUN npm install --production",
        ),
        // Set up in the install's own RUN: repeated with it.
        (
            "node:22-alpine",
            "",
            "COPY package.json pnpm-lock.yaml ./",
            "RUN corepack enable && pnpm install --frozen-lockfile",
            "RUN pnpm build",
            "RUN corepack enable && pnpm install --prod --frozen-lockfile",
        ),
        // Production-only already: repeated as it is.
        (
            "node:20",
            "",
            "COPY package*.json ./",
            "RUN npm ci --omit=dev",
            "RUN npm run build",
            "RUN npm ci --omit=dev",
        ),
    ] {
        let text = format!(
            "FROM {base}\n{setup}WORKDIR /app\n{copy}\n{install}\nCOPY . .\n{build}\nCMD [\"node\", \"build/index.js\"]\n"
        );
        let out = run(&text, &o);
        let expected = format!(
            "\nFROM {base}\nWORKDIR /app\n{setup}{copy}\n{runtime_install}\nCOPY --from=builder /app/build ./build\nCMD"
        );
        assert!(out.text.contains(&expected), "{text}\n→\n{}", out.text);
    }
}

#[test]
fn node_split_refusals() {
    let o = with(|m| m.stage_split = true);
    let app = |from: &str, to: &str| NODE_APP.replace(from, to);
    for (text, why) in [
        // What the image runs does not say where the build output is.
        (
            app("[\"node\", \"dist/server.js\"]", "[\"npm\", \"start\"]"),
            "`npm start`",
        ),
        (
            app(
                "[\"node\", \"dist/server.js\"]",
                "[\"npx\", \"next\", \"start\"]",
            ),
            "not known",
        ),
        (app("dist/server.js", "server.js"), "build output directory"),
        (
            app("dist/server.js", "src/server.js"),
            "build output directory",
        ),
        (
            app(
                "\"dist/server.js\"",
                "\"-r\", \"dotenv/config\", \"dist/server.js\"",
            ),
            "`-r`",
        ),
        (
            app("[\"node\", \"dist/server.js\"]", "node dist/server.js"),
            "shell form",
        ),
        // The install reads more than the manifests, or is not a separate step.
        (
            app(
                "COPY package*.json ./\nRUN npm ci\nCOPY . .\n",
                "COPY . .\nRUN npm ci\n",
            ),
            "more than the package manifests",
        ),
        (
            app(
                "RUN npm ci\nCOPY . .\nRUN npm run build",
                "COPY . .\nRUN npm ci && npm run build",
            ),
            "installed in the build RUN",
        ),
        (
            app("RUN npm ci\n", "RUN npm ci && npm prune\n"),
            "more than install",
        ),
        (
            app("RUN npm ci\n", "RUN npm install express\n"),
            "names packages",
        ),
        (
            app("RUN npm ci\n", "RUN npm install\n").replace("package*.json", "package.json"),
            "package-lock.json",
        ),
        (
            app(
                "COPY package*.json ./\nRUN npm ci",
                "COPY package.json yarn.lock ./\nRUN yarn install",
            ),
            "--frozen-lockfile",
        ),
        // Something the runtime stage would miss.
        (
            app("COPY . .\n", "COPY . .\nRUN npx prisma generate\n"),
            "line 7",
        ),
        (
            app(
                "WORKDIR /app\n",
                "WORKDIR /app\nRUN apk add --no-cache python3 make g++\n",
            ),
            "system packages",
        ),
        (
            app(
                "RUN npm run build",
                "RUN npm run build && cp -r public dist/",
            ),
            "more than the build",
        ),
        (app("EXPOSE 3000", "RUN npm test"), "builds something after"),
        (app("EXPOSE 3000", "WORKDIR /app/dist"), "another directory"),
        (
            app(
                "FROM node:20-alpine",
                "FROM --platform=linux/amd64 node:20-alpine",
            ),
            "platform",
        ),
        (app("COPY . .\n", "COPY . .\nUSER node\n"), "USER"),
        (
            app(
                "COPY package*.json ./\nRUN npm ci",
                "COPY package.json yarn.lock ./\nRUN corepack enable && yarn install --frozen-lockfile",
            ),
            "Yarn other than 1",
        ),
    ] {
        let out = run(&text, &o);
        assert_eq!(out.text, text);
        assert!(
            reasons(&out).iter().any(|r| r.contains(why)),
            "{text}: {:?}",
            out.skipped
        );
    }
    // The node image's entrypoint in front, and npm options with values, are fine.
    let text = app("RUN npm ci\n", "RUN npm ci --omit dev\n")
        .replace("CMD [", "ENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [");
    let out = run(&text, &o);
    assert!(
        out.text
            .contains("RUN npm ci --omit dev\nCOPY --from=builder /app/dist ./dist\n"),
        "{}",
        out.text
    );
    // Not the shape (no build step, another base): nothing said.
    for text in [
        NODE_APP.replace("RUN npm run build\n", ""),
        NODE_APP.replace("node:20-alpine", "debian:12"),
    ] {
        let out = run(&text, &o);
        assert_eq!(out.text, text);
        assert!(out.skipped.is_empty(), "{:?}", out.skipped);
    }
}

// ----------------------------------------------------------------------------------------
// Non-root

#[test]
fn non_root_per_base_and_guards() {
    let o = with(|m| m.non_root = true);
    let out = run("FROM node:20\nCOPY . .\nCMD [\"node\", \"x.js\"]\n", &o);
    assert_eq!(
        out.text,
        "FROM node:20\nCOPY --chown=node:node . .\nUSER 1000\nCMD [\"node\", \"x.js\"]\n"
    );
    let out = run("FROM alpine:3.20\nCOPY x /x\nENTRYPOINT [\"/x\"]\n", &o);
    assert!(
        out.text.contains("RUN adduser -D -u 1000 appuser\n"),
        "{}",
        out.text
    );
    let out = run("FROM scratch\nCOPY x /x\nENTRYPOINT [\"/x\"]\n", &o);
    assert_eq!(
        out.text,
        "FROM scratch\nCOPY --chown=65534:65534 x /x\nUSER 65534\nENTRYPOINT [\"/x\"]\n"
    );
    // Between RUNs the user creation joins the RUN before the first COPY.
    let out = run(
        "FROM debian:12\nRUN apt-get update && apt-get install -y x\nRUN mkdir /a\nCOPY a /a\nCMD [\"x\"]\n",
        &o,
    );
    assert!(
        out.text.contains("RUN mkdir /a \\\n    && useradd"),
        "{}",
        out.text
    );
    for text in [
        // A base image for other builds.
        "FROM python:3.13\nCMD [\"python3\"]\n",
        "FROM debian:12\nRUN apt-get update\n",
        // Chosen already.
        "FROM debian:12\nUSER root\nCMD [\"x\"]\n",
        // Steps down by itself.
        "FROM debian:12\nRUN apt-get install -y gosu\nCMD [\"gosu\", \"app\", \"x\"]\n",
        "FROM debian:12\nENTRYPOINT [\"docker-entrypoint.sh\"]\n",
        "FROM nginx:1.27\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n",
        // Unknown base.
        "FROM example.com/base:1\nCMD [\"x\"]\n",
    ] {
        assert_eq!(run(text, &o).text, text);
    }
}

// ----------------------------------------------------------------------------------------
// The fix loop, with stand-in rules

/// `T1` (safe): lower-case `run` keywords; `T2` (unsafe): a `LABEL x=1` missing after FROM;
/// `T3` (safe): a fix that breaks the file; `T4` (safe): turns `CMD a` into `CMD b`, which
/// `T5` reports (a finding the input did not have).
fn stand_in(model: &Model, _: &OptimizeOptions) -> Vec<Finding> {
    let mut out = Vec::new();
    let finding = |code: &'static str, i: usize, span: crate::text::Span, fix: Fix| Finding {
        code,
        instruction: Some(i),
        span,
        message: format!("{code} here"),
        severity: Severity::Warning,
        fix: Some(fix),
    };
    for (i, ins) in model.doc.instructions.iter().enumerate() {
        let kw = &ins.command.keyword_text;
        if kw.value == "run" {
            out.push(finding(
                "T1",
                i,
                kw.span,
                Fix::safe("Upper-case RUN", vec![Edit::replace(kw.span, "RUN")]),
            ));
        }
        if ins.keyword() == crate::syntax::Keyword::From && !model.doc.text.contains("LABEL x=1") {
            out.push(finding(
                "T2",
                i,
                kw.span,
                Fix::unsafe_(
                    "Add a label",
                    vec![Edit::insert(ins.span.end, "LABEL x=1\n")],
                ),
            ));
        }
        if ins.original().contains("BREAK") {
            out.push(finding(
                "T3",
                i,
                kw.span,
                Fix::safe("Break it", vec![Edit::replace(kw.span, "[[[")]),
            ));
        }
        if ins.original() == "CMD a" {
            let span = ins.command.rest.span;
            out.push(finding(
                "T4",
                i,
                span,
                Fix::safe("a to b", vec![Edit::replace(span, "b")]),
            ));
        }
        if ins.original() == "CMD b" {
            out.push(Finding {
                fix: None,
                ..finding("T5", i, kw.span, Fix::safe("", vec![]))
            });
        }
    }
    out
}

#[test]
fn fix_loop_applies_safe_fixes_to_a_fixed_point() {
    let text = "FROM a:1\nrun x\nrun y\nCMD a\nENV BREAK=1\n";
    let safe = OptimizeOptions::default();
    let out = run_with(text, &safe, Mode::FixOnly, stand_in);
    // T1 applied to both RUNs in one step; T2 unsafe: listed; T3 and T4 refused.
    assert_eq!(out.text, "FROM a:1\nRUN x\nRUN y\nCMD a\nENV BREAK=1\n");
    assert_eq!(out.changes.len(), 1);
    assert_eq!(out.changes[0].rules, ["T1"]);
    assert_eq!(out.changes[0].hunks.len(), 2);
    let why: Vec<(String, String)> = out
        .skipped
        .iter()
        .map(|s| (s.rules.join(","), s.reason.clone()))
        .collect();
    assert!(
        why.iter()
            .any(|(r, w)| r == "T2" && w.starts_with("unsafe")),
        "{why:?}"
    );
    assert!(
        why.iter()
            .any(|(r, w)| r == "T3" && w.contains("would not parse")),
        "{why:?}"
    );
    assert!(
        why.iter().any(|(r, w)| r == "T4" && w.contains("T5")),
        "{why:?}"
    );
    // With unsafe fixes, the label too.
    let out = run_with(
        text,
        &OptimizeOptions::with_unsafe(),
        Mode::FixOnly,
        stand_in,
    );
    assert_eq!(
        out.text,
        "FROM a:1\nLABEL x=1\nRUN x\nRUN y\nCMD a\nENV BREAK=1\n"
    );
    // Idempotent.
    let again = run_with(
        &out.text,
        &OptimizeOptions::with_unsafe(),
        Mode::FixOnly,
        stand_in,
    );
    assert_eq!(again.text, out.text);
    assert!(again.changes.is_empty());
}

// ----------------------------------------------------------------------------------------
// Positions

#[test]
fn hunks_point_into_the_original_and_the_output() {
    let text = "FROM python:3.13-slim\n# app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD python app.py\n";
    let out = run(
        text,
        &with(|m| {
            m.reorder = true;
            m.exec_form = true;
        }),
    );
    assert_eq!(
        out.text,
        "FROM python:3.13-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n# app\nCOPY . .\nCMD [\"python\", \"app.py\"]\n"
    );
    // The exec-form change came first; its hunk maps to the CMD in both texts.
    let exec = out
        .changes
        .iter()
        .find(|c| c.kind == MoveKind::ExecForm)
        .unwrap();
    assert_eq!(exec.hunks[0].original.slice(text), "python app.py");
    assert_eq!(
        exec.hunks[0].output.slice(&out.text),
        "[\"python\", \"app.py\"]"
    );
    let reorder = out
        .changes
        .iter()
        .find(|c| c.kind == MoveKind::Reorder)
        .unwrap();
    let outputs: Vec<&str> = reorder
        .hunks
        .iter()
        .map(|h| h.output.slice(&out.text))
        .collect();
    assert!(
        outputs.contains(&"COPY requirements.txt .\n"),
        "{outputs:?}"
    );
    assert!(outputs.contains(&"# app\nCOPY . .\n"), "{outputs:?}");
    let originals: Vec<&str> = reorder
        .hunks
        .iter()
        .map(|h| h.original.slice(text))
        .collect();
    assert!(originals.contains(&"# app\nCOPY . .\n"), "{originals:?}");
}

#[test]
fn nothing_to_improve_comes_back_byte_for_byte() {
    for text in [
        "",
        "FROM scratch\n",
        "# just a comment\n",
        "FROM a:1\r\nCOPY x /x\r\nUSER 1000\r\nCMD [\"/x\"]",
        "FROM a:1\nRUN [",
        "\u{feff}FROM a:1\nCMD [\"x\"]\n",
    ] {
        let out = optimize(text, &OptimizeOptions::with_unsafe());
        assert_eq!(out.text, text);
        assert!(!out.changed);
        assert!(out.changes.is_empty());
    }
}

#[test]
fn serializes_for_the_front_ends() {
    let out = optimize(
        "FROM python:3.13-slim\nCOPY . .\nRUN pip install -r requirements.txt\nCMD python app.py\n",
        &OptimizeOptions::with_unsafe(),
    );
    let json = serde_json::to_value(&out).unwrap();
    assert!(json["changes"][0]["hunks"][0]["original"]["start"].is_number());
    assert!(json["changes"][0]["effect"]["summary"].is_string());
    assert!(json["totals"]["before"]["layers"].is_number());
    assert!(json["dockerignore"]["entries"].is_array());
}

#[test]
fn skipped_changes_say_whether_only_unsafe_mode_would_make_them() {
    // Exec form for CMD is unsafe: left out in safe mode, and marked as such.
    let text = "FROM alpine:3.22\nCMD python app.py\n";
    let safe = optimize(
        text,
        &OptimizeOptions {
            allow_unsafe: false,
            ..with(|m| m.exec_form = true)
        },
    );
    assert_eq!(safe.text, text);
    assert!(
        !safe.skipped.is_empty() && safe.skipped.iter().all(|s| s.needs_unsafe),
        "{:?}",
        safe.skipped
    );
    let unsafe_ = run(text, &with(|m| m.exec_form = true));
    assert_ne!(unsafe_.text, text);
    assert!(unsafe_.skipped.iter().all(|s| !s.needs_unsafe));
}
