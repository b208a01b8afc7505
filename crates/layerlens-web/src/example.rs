//! The examples the playground offers, from the guide the product teaches
//! (`shared/seed/docker-optimization-guide.md`, copied as test data; the browser tests and
//! `crates/layerlens-core/tests/layers.rs` check their layers and cache outcomes).

/// One example of the picker.
pub struct Example {
    /// Stable key (`data-example`, the `<select>` value).
    pub key: &'static str,
    pub label: &'static str,
    pub text: &'static str,
}

/// The text the editor starts with: the guide's "bad" Python example (Optimal Layer
/// Ordering), joined with its "one RUN per step" mistake, so there is something to find at
/// once.
pub const BAD_PYTHON: &str = r#"# The whole app is copied before its requirements are installed,
# so every code edit throws away the pip layer's cache.
FROM python:3.13-slim
RUN apt-get update
RUN apt-get install -y curl
COPY . .
RUN pip install -r requirements.txt
CMD ["python", "app.py"]
"#;

/// Guide, "Layer Caching Strategy" → "Example: Python FastAPI Project" (verbatim). Its
/// stated outcomes: a code change rebuilds from `COPY . .`, a dependency change from the
/// manifests, a system-package change from the apt line.
pub const CACHING_FASTAPI: &str = r#"FROM python:3.13-slim

# 1. System dependencies (rarely change)
RUN apt-get update && apt-get install -y --no-install-recommends \
    libpq5 \
    && rm -rf /var/lib/apt/lists/*

# 2. Install Poetry (rarely changes)
RUN pip install poetry

# 3. Configure Poetry (never changes)
ENV POETRY_NO_INTERACTION=1 \
    POETRY_VIRTUALENVS_IN_PROJECT=1

# 4. Copy only dependency files (change occasionally)
COPY pyproject.toml poetry.lock ./

# 5. Install dependencies (cached unless pyproject.toml/poetry.lock change)
RUN poetry install --only=main --no-root

# 6. Copy application code (changes frequently)
COPY . .

# 7. Runtime configuration (rarely changes)
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]
"#;

/// Guide, "Multi-Stage Builds" → "Real-World Example: Python with Compiled Dependencies".
/// The guide writes size comments after the line continuations (`build-essential \   # ~150MB`),
/// which ends the RUN there for BuildKit; those comments are dropped here so the example
/// builds as its author meant.
pub const MULTI_STAGE: &str = r#"# ============================================
# Stage 1: Builder - Heavy image with build tools
# ============================================
FROM python:3.13-slim AS builder

WORKDIR /app

# Install build dependencies (gcc, make, etc.)
# These are LARGE but needed to compile packages like psycopg2, cryptography
RUN apt-get update && apt-get install -y --no-install-recommends \
    build-essential \
    libpq-dev \
    libssl-dev \
    && rm -rf /var/lib/apt/lists/*

# Install Poetry
RUN pip install poetry

ENV POETRY_NO_INTERACTION=1 \
    POETRY_VIRTUALENVS_IN_PROJECT=1

# Copy only dependency files
COPY pyproject.toml poetry.lock ./

# Install dependencies into .venv
# This compiles wheels for packages that need compilation
RUN poetry install --only=main --no-root

# ============================================
# Stage 2: Runtime - Lightweight image
# ============================================
FROM python:3.13-slim

WORKDIR /app

# Install ONLY runtime libraries (no headers, no compilers)
RUN apt-get update && apt-get install -y --no-install-recommends \
    libpq5 \
    && rm -rf /var/lib/apt/lists/*

# Create non-root user
RUN useradd --create-home --shell /bin/bash app

# Copy ONLY the virtual environment (already compiled)
COPY --from=builder --chown=app:app /app/.venv /app/.venv

# Copy application code
COPY --chown=app:app . .

USER app

ENV PATH="/app/.venv/bin:$PATH"

CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]
"#;

/// Guide, "Real-World Examples" → "Example 1: Python FastAPI" (verbatim).
pub const FASTAPI: &str = r#"# ============================================
# Builder Stage
# ============================================
FROM python:3.13-slim AS builder

WORKDIR /app

# Install build dependencies
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        build-essential \
        libpq-dev \
    && rm -rf /var/lib/apt/lists/*

# Install Poetry
RUN pip install --no-cache-dir poetry

# Configure Poetry
ENV POETRY_NO_INTERACTION=1 \
    POETRY_VIRTUALENVS_IN_PROJECT=1 \
    POETRY_CACHE_DIR=/tmp/poetry_cache

# Copy only dependency files (cache layer)
COPY pyproject.toml poetry.lock ./

# Install dependencies
RUN poetry install --only=main --no-root && rm -rf $POETRY_CACHE_DIR

# ============================================
# Runtime Stage
# ============================================
FROM python:3.13-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH="/app/.venv/bin:$PATH"

WORKDIR /app

# Install only runtime libraries
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 \
    && rm -rf /var/lib/apt/lists/*

# Create non-root user
RUN useradd --create-home --no-log-init --shell /bin/bash app

# Copy virtual environment from builder
COPY --from=builder --chown=app:app /app/.venv /app/.venv

# Copy application code
COPY --chown=app:app . .

USER app

EXPOSE 8000

# Health check
HEALTHCHECK --interval=30s --timeout=10s --start-period=40s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://localhost:8000/health')"

CMD ["uvicorn", "src.app.main:task_app", "--host", "0.0.0.0", "--port", "8000"]
"#;

/// Guide, "Real-World Examples" → "Example 2: Node.js with Next.js" (verbatim).
pub const NEXTJS: &str = r#"FROM node:18-alpine AS deps
WORKDIR /app
COPY package*.json ./
RUN npm ci --only=production

FROM node:18-alpine AS builder
WORKDIR /app
COPY . .
COPY --from=deps /app/node_modules ./node_modules
RUN npm run build

FROM node:18-alpine AS runner
WORKDIR /app

ENV NODE_ENV=production

RUN addgroup --system --gid 1001 nodejs \
    && adduser --system --uid 1001 nextjs

COPY --from=builder --chown=nextjs:nodejs /app/.next ./.next
COPY --from=builder --chown=nextjs:nodejs /app/public ./public
COPY --from=deps /app/node_modules ./node_modules
COPY --from=builder /app/package.json ./package.json

USER nextjs

EXPOSE 3000

CMD ["npm", "start"]
"#;

/// Guide, "Real-World Examples" → "Example 3: Go Application" (verbatim).
pub const GO: &str = r#"# Builder: Compile Go binary
FROM golang:1.21-alpine AS builder

WORKDIR /app

# Copy go.mod and go.sum first (cache dependencies)
COPY go.mod go.sum ./
RUN go mod download

# Copy source code
COPY . .

# Build static binary
RUN CGO_ENABLED=0 GOOS=linux go build -a -installsuffix cgo -o main .

# Runtime: Ultra-minimal image
FROM scratch

# Copy CA certificates (for HTTPS requests)
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/

# Copy binary
COPY --from=builder /app/main /main

EXPOSE 8080

CMD ["/main"]
"#;

pub const EXAMPLES: &[Example] = &[
    Example {
        key: "bad-python",
        label: "Python, bad layer order",
        text: BAD_PYTHON,
    },
    Example {
        key: "fastapi-cache",
        label: "FastAPI, cache-friendly order",
        text: CACHING_FASTAPI,
    },
    Example {
        key: "multi-stage",
        label: "Python multi-stage build",
        text: MULTI_STAGE,
    },
    Example {
        key: "fastapi",
        label: "FastAPI, production (multi-stage)",
        text: FASTAPI,
    },
    Example {
        key: "nextjs",
        label: "Node.js with Next.js",
        text: NEXTJS,
    },
    Example {
        key: "go",
        label: "Go, static binary on scratch",
        text: GO,
    },
];

/// The example whose text the editor shows, if it is one unchanged.
pub fn current(text: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.text == text)
}

pub fn by_key(key: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_found() {
        for e in EXAMPLES {
            assert_eq!(by_key(e.key).map(|x| x.key), Some(e.key));
            assert_eq!(current(e.text).map(|x| x.key), Some(e.key));
        }
        assert!(current("FROM x\n").is_none());
    }
}
