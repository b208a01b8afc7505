//! DL3054: a schema label of type `spdx` whose value is not an SPDX license.

use super::g3_util::{check_label_type, schema_config};
use crate::rules::{Category, Context, Docs, LabelType, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3054",
    name: "label-invalid-spdx",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Production],
    summary: "A label the schema types as `spdx` must name licenses by their SPDX identifiers.",
    docs: Docs {
        what: "With a `label-schema` that gives a label the type `spdx`, flags a value that is \
               not an SPDX license identifier (`MIT`, `Apache-2.0`, `GPL-3.0-or-later`) or an \
               SPDX expression combining them (`MIT OR Apache-2.0`, `GPL-2.0-only WITH \
               Classpath-exception-2.0`, `LicenseRef-acme`). Identifiers are matched without \
               regard to case, as the SPDX specification says.",
        why: "License labels (`org.opencontainers.image.licenses`) feed compliance scanners \
              that decide whether an image may be shipped. A free-form value like `Apache 2` \
              or `BSD` matches no identifier, so the scanner reports the image as unknown or \
              blocks the release until someone checks the license by hand.",
        bad: "FROM alpine:3.20\nLABEL org.opencontainers.image.licenses=\"Apache 2\"\n",
        good: "FROM alpine:3.20\nLABEL org.opencontainers.image.licenses=\"Apache-2.0\"\n",
        guide: "Production Optimizations",
        example_config: Some(example_config),
        example_dockerignore: None,
        fix_note: "",
    },
    // No fix: only the author knows which license applies.
    fix: crate::rules::Fixability::None,
    check,
};

/// SPDX license identifiers, one per line; `#` lines are comments (the file names its
/// source).
const SPDX_IDS: &str = include_str!("spdx_ids.txt");

/// Exception identifiers that do not contain the word "exception".
const OTHER_EXCEPTIONS: [&str; 5] = [
    "GPL-CC-1.0",
    "Linux-syscall-note",
    "LLGPL",
    "SHL-2.0",
    "SHL-2.1",
];

fn example_config() -> crate::rules::Config {
    schema_config("org.opencontainers.image.licenses", LabelType::Spdx)
}

fn check(context: &Context, report: &mut Report) {
    check_label_type(
        context,
        report,
        LabelType::Spdx,
        is_spdx_expression,
        |name, value| {
            format!(
                "label `{name}` must be an SPDX license identifier or expression (e.g. \
             `Apache-2.0`), not `{value}`"
            )
        },
    );
}

fn is_license_id(id: &str) -> bool {
    let id = id.strip_suffix('+').unwrap_or(id);
    // `DocumentRef-x:LicenseRef-y` points at a license defined in another SPDX document.
    let (document, local) = match id.split_once(':') {
        Some((doc, local)) if doc.starts_with("DocumentRef-") => (true, local),
        Some(_) => return false,
        None => (false, id),
    };
    if let Some(reference) = local.strip_prefix("LicenseRef-") {
        return !reference.is_empty() && reference.chars().all(id_char);
    }
    !document
        && SPDX_IDS
            .lines()
            .filter(|l| !l.starts_with('#'))
            .any(|l| l.trim().eq_ignore_ascii_case(id))
}

fn is_exception_id(id: &str) -> bool {
    !id.is_empty()
        && id.chars().all(id_char)
        && (id.to_ascii_lowercase().contains("exception")
            || OTHER_EXCEPTIONS.iter().any(|e| e.eq_ignore_ascii_case(id)))
}

fn id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '.'
}

/// Splits an expression into tokens: parentheses and words.
fn tokens(value: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for word in value.split_whitespace() {
        let mut rest = word;
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix(['(', ')']) {
                out.push(&rest[..1]);
                rest = r;
                continue;
            }
            let end = rest.find(['(', ')']).unwrap_or(rest.len());
            out.push(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out
}

/// An SPDX license expression: `id`, `id WITH exception`, combined with AND/OR and
/// parentheses.
pub(super) fn is_spdx_expression(value: &str) -> bool {
    let tokens = tokens(value);
    let mut at = 0;
    expression(&tokens, &mut at, 0) && at == tokens.len()
}

/// `expr := term ((AND|OR) term)*`, `term := id [WITH exception] | '(' expr ')'`.
fn expression(tokens: &[&str], at: &mut usize, depth: usize) -> bool {
    if depth > 32 || !term(tokens, at, depth) {
        return false;
    }
    while tokens
        .get(*at)
        .is_some_and(|t| t.eq_ignore_ascii_case("AND") || t.eq_ignore_ascii_case("OR"))
    {
        *at += 1;
        if !term(tokens, at, depth) {
            return false;
        }
    }
    true
}

fn term(tokens: &[&str], at: &mut usize, depth: usize) -> bool {
    match tokens.get(*at) {
        Some(&"(") => {
            *at += 1;
            if !expression(tokens, at, depth + 1) || tokens.get(*at) != Some(&")") {
                return false;
            }
            *at += 1;
            true
        }
        Some(id) if is_license_id(id) => {
            *at += 1;
            if tokens
                .get(*at)
                .is_some_and(|t| t.eq_ignore_ascii_case("WITH"))
            {
                *at += 1;
                if !tokens.get(*at).is_some_and(|e| is_exception_id(e)) {
                    return false;
                }
                *at += 1;
            }
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_spdx_expression;

    #[test]
    fn licenses() {
        for ok in [
            "MIT",
            "BSD-3-Clause",
            "apache-2.0",
            "GPL-3.0",
            "GPL-2.0-only WITH Classpath-exception-2.0",
            "MIT OR Apache-2.0",
            "(MIT OR Apache-2.0) AND BSD-2-Clause",
            "LicenseRef-acme-internal",
            "GPL-2.0+",
        ] {
            assert!(is_spdx_expression(ok), "{ok}");
        }
        for bad in [
            "not-spdx",
            "Apache 2",
            "MIT OR",
            "(MIT",
            "MIT WITH",
            "BSD",
            "",
            "MIT Apache-2.0",
        ] {
            assert!(!is_spdx_expression(bad), "{bad}");
        }
    }
}
