//! Snapshots of the optimizer (every move, unsafe changes allowed) on the guide's examples
//! and 20 corpus files: the output, each change with its rules, class, effect and the lines
//! it touched in both texts, what was considered and not done, the proposed `.dockerignore`
//! and the totals. Files live in `tests/snapshots/optimize/`; each was read and judged when
//! written (see the review notes at the top of each).
//!
//! A mismatch fails with both versions; `UPDATE_SNAPSHOTS=1 cargo test -p layerlens-core
//! --test optimize_snapshots` rewrites them (then read the diff before committing). The review
//! note (lines starting with `#` before the first `==`) is kept across updates.
//!
//! When rules gain fixes (the fix loop applies whatever fixes findings carry), these outputs
//! change on purpose: update and re-read them.

mod common;

use std::fmt::Write as _;
use std::path::PathBuf;

use layerlens_core::fix::Applicability;
use layerlens_core::layers::{human, SizeRange};
use layerlens_core::optimize::{optimize, OptimizeOptions, Optimized};
use layerlens_core::text::LineIndex;

fn range(r: SizeRange) -> String {
    match r.max {
        Some(max) if max == r.min => human(max),
        Some(max) => format!("{}–{}", human(r.min), human(max)),
        None => format!("≥{}", human(r.min)),
    }
}

fn render(input: &str, out: &Optimized) -> String {
    let before = LineIndex::new(input);
    let after = LineIndex::new(&out.text);
    let mut s = String::new();
    let _ = writeln!(s, "== input\n{input}");
    let _ = writeln!(s, "== output");
    if out.changed {
        let _ = writeln!(s, "{}", out.text);
    } else {
        let _ = writeln!(s, "(unchanged)\n");
    }
    let _ = writeln!(s, "== changes");
    for (k, c) in out.changes.iter().enumerate() {
        let class = match c.applicability {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        };
        let _ = writeln!(
            s,
            "{}. [{}; {class}; {}] {}",
            k + 1,
            c.kind.as_str(),
            c.rules.join(","),
            c.title
        );
        let _ = writeln!(s, "   moved: {}", c.moved);
        let _ = writeln!(s, "   effect: {}", c.effect.summary);
        let hunks: Vec<String> = c
            .hunks
            .iter()
            .map(|h| {
                format!(
                    "{}→{}",
                    before.line_col(input, h.original.start).line,
                    after.line_col(&out.text, h.output.start).line
                )
            })
            .collect();
        let _ = writeln!(
            s,
            "   hunks (line in original → line in output): {}",
            hunks.join(" ")
        );
    }
    let _ = writeln!(s, "\n== not done");
    for sk in &out.skipped {
        let _ = writeln!(s, "- [{}] {} — {}", sk.kind.as_str(), sk.title, sk.reason);
    }
    if let Some(d) = &out.dockerignore {
        let _ = writeln!(s, "\n== proposed .dockerignore (COPY on line {})", d.line);
        for e in &d.entries {
            let _ = writeln!(s, "{}", e.pattern);
        }
    }
    let (b, a) = (&out.totals.before, &out.totals.after);
    let _ = writeln!(
        s,
        "\n== totals (estimated)\nsize {} → {}; layers {} → {}; a code change reruns {} → {} steps; findings {} → {}",
        range(b.size_bytes),
        range(a.size_bytes),
        b.layers,
        a.layers,
        b.rebuilt_on_code_change,
        a.rebuilt_on_code_change,
        b.findings,
        a.findings
    );
    s
}

fn snapshot_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/optimize")
}

/// Compares with (or, with UPDATE_SNAPSHOTS=1, writes) the snapshot `name`.
fn check(name: &str, input: &str, mismatches: &mut Vec<String>) {
    let out = optimize(input, &OptimizeOptions::with_unsafe());
    let rendered = render(input, &out);
    let path = snapshot_dir().join(format!("{name}.snap"));
    let existing = std::fs::read_to_string(&path).ok();
    let (note, body) = match &existing {
        Some(text) => {
            let at = text.find("== input").unwrap_or(0);
            (text[..at].to_string(), text[at..].to_string())
        }
        None => (String::new(), String::new()),
    };
    if body == rendered {
        return;
    }
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(snapshot_dir()).unwrap();
        let note = if note.is_empty() {
            "# review: (not yet reviewed)\n\n".to_string()
        } else {
            note
        };
        std::fs::write(&path, format!("{note}{rendered}")).unwrap();
        return;
    }
    mismatches.push(format!(
        "{name}: snapshot differs (UPDATE_SNAPSHOTS=1 to rewrite)\n--- expected\n{body}\n--- got\n{rendered}"
    ));
}

const GUIDE: [(&str, &str); 15] = [
    ("guide_layer_ordering", "FROM python:3.13-slim\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n"),
    ("guide_combine_runs", "FROM python:3.13-slim\nRUN apt-get update\nRUN apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n"),
    ("guide_no_cache_dir", "FROM python:3.13-slim\nRUN pip install -r requirements.txt\n"),
    ("guide_non_root", "FROM python:3.13-slim\nCOPY . /app\nCMD [\"python\", \"app.py\"]\n"),
    ("guide_no_install_recommends", "FROM python:3.13-slim\nRUN apt-get install -y curl\n"),
    ("guide_install_and_remove", "FROM python:3.13-slim\nRUN apt-get update\nRUN apt-get install -y build-essential\nRUN make install\nRUN apt-get remove -y build-essential\n"),
    ("guide_apt_get_upgrade", "FROM python:3.13-slim\nRUN apt-get update && apt-get upgrade -y\n"),
    ("guide_layer_caching", "FROM python:3.13-slim\nWORKDIR /app\nCOPY . /app\nRUN pip install -r requirements.txt\n"),
    ("guide_exec_form", "FROM python:3.13-slim\nCMD uvicorn app.main:app --host 0.0.0.0\n"),
    ("guide_fastapi_project", "FROM python:3.13-slim\n\n# 1. System dependencies (rarely change)\nRUN apt-get update && apt-get install -y --no-install-recommends \\\n    libpq5 \\\n    && rm -rf /var/lib/apt/lists/*\n\n# 2. Install Poetry (rarely changes)\nRUN pip install poetry\n\n# 3. Configure Poetry (never changes)\nENV POETRY_NO_INTERACTION=1 \\\n    POETRY_VIRTUALENVS_IN_PROJECT=1\n\n# 4. Copy only dependency files (change occasionally)\nCOPY pyproject.toml poetry.lock ./\n\n# 5. Install dependencies (cached unless pyproject.toml/poetry.lock change)\nRUN poetry install --only=main --no-root\n\n# 6. Copy application code (changes frequently)\nCOPY . .\n\n# 7. Runtime configuration (rarely changes)\nCMD [\"uvicorn\", \"app.main:app\", \"--host\", \"0.0.0.0\"]\n"),
    ("guide_multi_stage_basic", "# Stage 1: Named \"builder\"\nFROM python:3.13-slim AS builder\nRUN pip install build-tools\nCOPY . .\nRUN python setup.py build\n\n# Stage 2: Final image (unnamed or named)\nFROM python:3.13-slim\n# Copy only the built artifacts from \"builder\"\nCOPY --from=builder /app/dist /app/dist\nCMD [\"python\", \"/app/dist/main.py\"]\n"),
    ("guide_real_world_fastapi", "FROM python:3.13-slim AS builder\n\nWORKDIR /app\n\n# Install build dependencies\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends \\\n        build-essential \\\n        libpq-dev \\\n    && rm -rf /var/lib/apt/lists/*\n\n# Install Poetry\nRUN pip install --no-cache-dir poetry\n\n# Configure Poetry\nENV POETRY_NO_INTERACTION=1 \\\n    POETRY_VIRTUALENVS_IN_PROJECT=1 \\\n    POETRY_CACHE_DIR=/tmp/poetry_cache\n\n# Copy only dependency files (cache layer)\nCOPY pyproject.toml poetry.lock ./\n\n# Install dependencies\nRUN poetry install --only=main --no-root && rm -rf $POETRY_CACHE_DIR\n\nFROM python:3.13-slim\n\nENV PYTHONUNBUFFERED=1 \\\n    PYTHONDONTWRITEBYTECODE=1 \\\n    PATH=\"/app/.venv/bin:$PATH\"\n\nWORKDIR /app\n\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends libpq5 \\\n    && rm -rf /var/lib/apt/lists/*\n\nRUN useradd --create-home --no-log-init --shell /bin/bash app\n\nCOPY --from=builder --chown=app:app /app/.venv /app/.venv\n\nCOPY --chown=app:app . .\n\nUSER app\n\nEXPOSE 8000\n\nHEALTHCHECK --interval=30s --timeout=10s --start-period=40s --retries=3 \\\n    CMD python -c \"import urllib.request; urllib.request.urlopen('http://localhost:8000/health')\"\n\nCMD [\"uvicorn\", \"src.app.main:task_app\", \"--host\", \"0.0.0.0\", \"--port\", \"8000\"]\n"),
    ("guide_real_world_nextjs", "FROM node:18-alpine AS deps\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --only=production\n\nFROM node:18-alpine AS builder\nWORKDIR /app\nCOPY . .\nCOPY --from=deps /app/node_modules ./node_modules\nRUN npm run build\n\nFROM node:18-alpine AS runner\nWORKDIR /app\n\nENV NODE_ENV=production\n\nRUN addgroup --system --gid 1001 nodejs \\\n    && adduser --system --uid 1001 nextjs\n\nCOPY --from=builder --chown=nextjs:nodejs /app/.next ./.next\nCOPY --from=builder --chown=nextjs:nodejs /app/public ./public\nCOPY --from=deps /app/node_modules ./node_modules\nCOPY --from=builder /app/package.json ./package.json\n\nUSER nextjs\n\nEXPOSE 3000\n\nCMD [\"npm\", \"start\"]\n"),
    ("guide_real_world_go", "# Builder: Compile Go binary\nFROM golang:1.21-alpine AS builder\n\nWORKDIR /app\n\n# Copy go.mod and go.sum first (cache dependencies)\nCOPY go.mod go.sum ./\nRUN go mod download\n\n# Copy source code\nCOPY . .\n\n# Build static binary\nRUN CGO_ENABLED=0 GOOS=linux go build -a -installsuffix cgo -o main .\n\n# Runtime: Ultra-minimal image\nFROM scratch\n\n# Copy CA certificates (for HTTPS requests)\nCOPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\n\n# Copy binary\nCOPY --from=builder /app/main /main\n\nEXPOSE 8080\n\nCMD [\"/main\"]\n"),
    ("guide_node_build_single_stage", "FROM node:18-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN npm run build\n\n# the app listens here\nEXPOSE 3000\nCMD node dist/index.js\n"),
];

const CORPUS: [&str; 20] = [
    "jessfraz__dockerfiles/wrk__Dockerfile",
    "jessfraz__dockerfiles/ansible__Dockerfile",
    "jessfraz__dockerfiles/awscli__Dockerfile",
    "jessfraz__dockerfiles/bpftrace__Dockerfile",
    "jessfraz__dockerfiles/powershell__Dockerfile",
    "jessfraz__dockerfiles/tor-browser__stable__Dockerfile",
    "jessfraz__dockerfiles/htop__Dockerfile",
    "jessfraz__dockerfiles/nmap__Dockerfile",
    "jessfraz__dockerfiles/irssi__Dockerfile",
    "jessfraz__dockerfiles/gcloud__Dockerfile",
    "jessfraz__dockerfiles/kernel-builder__Dockerfile",
    "jessfraz__dockerfiles/consul__Dockerfile",
    "docker-library__python/3.10__bookworm__Dockerfile",
    "docker-library__golang/1.26__alpine3.23__Dockerfile",
    "docker-library__redis/6.2__debian__Dockerfile",
    "docker-library__php/8.2__alpine3.23__fpm__Dockerfile",
    "docker-library__postgres/14__alpine3.23__Dockerfile",
    "nodejs__docker-node/22__bookworm-slim__Dockerfile",
    "nginx__docker-nginx/mainline__alpine-slim__Dockerfile",
    "docker-library__buildpack-deps/debian__bookworm__Dockerfile",
];

#[test]
fn snapshots() {
    let mut mismatches = Vec::new();
    for (name, input) in GUIDE {
        check(name, input, &mut mismatches);
    }
    let root = common::data_dir().join("corpus");
    for file in CORPUS {
        let text =
            std::fs::read_to_string(root.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let name = format!("corpus__{}", file.replace('/', "__").replace('.', "_"));
        check(&name, &text, &mut mismatches);
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n\n"));
}
