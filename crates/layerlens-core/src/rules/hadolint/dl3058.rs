//! DL3058: a schema label of type `email` whose value is not an email address.

use super::g3_util::{check_label_type, schema_config};
use crate::rules::{Category, Context, Docs, LabelType, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3058",
    name: "label-invalid-email",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Production],
    summary:
        "A label the schema types as `email` must hold one valid address (RFC 5322 addr-spec).",
    docs: Docs {
        what: "With a `label-schema` that gives a label the type `email`, flags a value that \
               is not a single address `local@domain` in RFC 5322 form (dot-atom or quoted \
               local part; a domain name or an address literal). Display names such as \
               `Ops <ops@example.com>` are not addresses.",
        why: "Contact labels are what alerting and vulnerability tooling use to notify the \
              owners of an image. A value like `ops team` or `ops@` cannot be mailed, so a \
              critical CVE report bounces or goes nowhere and the fix waits until someone \
              notices by hand.",
        bad: "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"ops team\"\n",
        good: "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"ops@example.com\"\n",
        guide: "Production Optimizations",
        example_config: Some(example_config),
        example_dockerignore: None,
        fix_note: "",
    },
    // No fix: only the author knows the right address.
    fix: crate::rules::Fixability::None,
    check,
};

fn example_config() -> crate::rules::Config {
    schema_config("org.opencontainers.image.authors", LabelType::Email)
}

fn check(context: &Context, report: &mut Report) {
    check_label_type(
        context,
        report,
        LabelType::Email,
        is_email,
        |name, value| {
            format!(
                "label `{name}` must be one email address such as `ops@example.com`, not `{value}`"
            )
        },
    );
}

fn atext(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c)
}

fn dot_atom(s: &str, allowed: fn(char) -> bool) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|a| !a.is_empty() && a.chars().all(allowed))
}

fn quoted_local(s: &str) -> bool {
    let Some(inner) = s.strip_prefix('"').and_then(|r| r.strip_suffix('"')) else {
        return false;
    };
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if !chars
                .next()
                .is_some_and(|e| (e.is_ascii() && !e.is_ascii_control()) || e == '\t') =>
            {
                return false
            }
            '\\' => {}
            '"' => return false,
            c if c.is_ascii_control() && c != '\t' => return false,
            c if !c.is_ascii() => return false,
            _ => {}
        }
    }
    true
}

fn domain(s: &str) -> bool {
    if let Some(literal) = s.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        return !literal.is_empty()
            && literal
                .chars()
                .all(|c| c.is_ascii_graphic() && !"[]\\".contains(c));
    }
    s.len() <= 253
        && s.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// An RFC 5322 `addr-spec` (without comments or folding white space).
pub(super) fn is_email(value: &str) -> bool {
    let Some((local, host)) = value.rsplit_once('@') else {
        return false;
    };
    value.len() <= 254
        && local.len() <= 64
        && (dot_atom(local, atext) || quoted_local(local))
        && domain(host)
}

#[cfg(test)]
mod tests {
    use super::is_email;

    #[test]
    fn addresses() {
        for ok in [
            "abcd@google.com",
            "first.last+tag@example.co.uk",
            "\"a b\"@example.com",
            "ops@[192.0.2.1]",
            "x@localhost",
        ] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "not-email",
            "ops@",
            "@example.com",
            "a..b@example.com",
            "Ops <ops@example.com>",
            "a@-x.com",
            "a b@example.com",
            "a@b@c",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
