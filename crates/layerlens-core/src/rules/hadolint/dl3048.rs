//! DL3048: label keys outside Docker's naming convention.

use super::g3_util::labels;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3048",
    name: "invalid-label-key",
    origin: Origin::Hadolint,
    severity: Severity::Style,
    categories: &[Category::Maintainability],
    summary:
        "Label keys should be lower-case reverse-DNS names outside Docker's reserved namespaces.",
    docs: Docs::new(
        "Flags a LABEL key that does not start with a lower-case letter, does not end with a \
         lower-case letter or digit, contains characters other than `a-z 0-9 . - _ /`, \
         contains `..` or `--`, or uses a namespace Docker reserves (`com.docker.`, \
         `io.docker.`, `org.dockerproject.`).",
        "Labels are read by tools — registries, scanners, `docker inspect --format`, \
         Kubernetes annotations copied from them — that expect Docker's key convention. A \
         key like `Version` or `my..key` works in one tool and is silently dropped or \
         mismatched in another, and a key in a reserved namespace may collide with metadata \
         Docker itself writes. Renaming later breaks every query that used the old key.",
        "FROM alpine:3.20\nLABEL Maintainer=\"ops@example.com\"\n",
        "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"ops@example.com\"\n",
        "Production Optimizations",
    ),
    // No fix: renaming a label key changes the metadata consumers read; the new name is the author's call.
    fix: crate::rules::Fixability::None,
    check,
};

/// Why `key` is not a valid label key, if it is not.
fn problem(key: &str) -> Option<&'static str> {
    if key.is_empty() {
        return Some("is empty");
    }
    for reserved in ["com.docker.", "io.docker.", "org.dockerproject."] {
        if key.starts_with(reserved) {
            return Some("uses a namespace reserved by Docker");
        }
    }
    if !key.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Some("must start with a lower-case letter");
    }
    if !key.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()) {
        return Some("must end with a lower-case letter or a digit");
    }
    if !key
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._/-".contains(c))
    {
        return Some("may only contain lower-case letters, digits, `.`, `-`, `_` and `/`");
    }
    if key.contains("..") || key.contains("--") {
        return Some("must not contain `..` or `--`");
    }
    None
}

fn check(context: &Context, report: &mut Report) {
    for (i, kv, key) in labels(context) {
        if let Some(why) = problem(&key) {
            report.add(
                i,
                kv.key.span,
                format!("label key `{key}` {why} (e.g. `org.opencontainers.image.title`)"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn keys() {
        assert!(problem("org.label-schema.version").is_none());
        assert!(problem("a").is_none());
        assert!(problem("Version").is_some());
        assert!(problem("a_").is_some());
        assert!(problem("a:b").is_some());
        assert!(problem("io.docker.x").is_some());
    }
}
