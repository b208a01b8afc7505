//! DL3052: a schema label of type `url` whose value is not an absolute URI.

use super::g3_util::{check_label_type, schema_config};
use crate::rules::{Category, Context, Docs, LabelType, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3052",
    name: "label-invalid-url",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Production],
    summary: "A label the schema types as `url` must hold an absolute URI such as https://….",
    docs: Docs {
        what: "With a `label-schema` that gives a label the type `url`, flags a value that is \
               not an absolute URI (RFC 3986: a scheme such as `https:` followed by valid URI \
               characters). Values built from variables are checked when their values are \
               known.",
        why: "URL labels (`org.opencontainers.image.source`, `…documentation`) are turned into \
              links by registries and used by scanners and Dependabot-like tools to find the \
              repository behind an image. A bare `github.com/org/repo` or a typo with a space \
              is not a URL: the link silently breaks and the image cannot be traced to its \
              source.",
        bad: "FROM alpine:3.20\nLABEL org.opencontainers.image.source=\"github.com/acme/api\"\n",
        good: "FROM alpine:3.20\nLABEL org.opencontainers.image.source=\"https://github.com/acme/api\"\n",
        guide: "Production Optimizations",
        example_config: Some(example_config),
        example_dockerignore: None,
        fix_note: "",
    },
    // No fix: only the author knows the right URL.
    fix: crate::rules::Fixability::None,
    check,
};

fn example_config() -> crate::rules::Config {
    schema_config("org.opencontainers.image.source", LabelType::Url)
}

fn check(context: &Context, report: &mut Report) {
    check_label_type(
        context,
        report,
        LabelType::Url,
        is_absolute_uri,
        |name, value| {
            format!("label `{name}` must be an absolute URL (`https://…`), not `{value}`")
        },
    );
}

fn unreserved(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~".contains(c)
}

fn sub_delim(c: char) -> bool {
    "!$&'()*+,;=".contains(c)
}

/// Whether every character of `s` is allowed by `extra` or is unreserved, a sub-delimiter
/// or part of a `%XX` escape.
fn chars_ok(s: &str, extra: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i] as char;
        if c == '%' {
            let hex = |j: usize| bytes.get(j).is_some_and(|b| b.is_ascii_hexdigit());
            if !(hex(i + 1) && hex(i + 2)) {
                return false;
            }
            i += 3;
            continue;
        }
        if !(bytes[i].is_ascii() && (unreserved(c) || sub_delim(c) || extra.contains(c))) {
            return false;
        }
        i += 1;
    }
    true
}

/// An absolute URI (RFC 3986 `absolute-URI` plus an optional fragment).
pub(super) fn is_absolute_uri(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once(':') else {
        return false;
    };
    let mut sc = scheme.chars();
    if !sc.next().is_some_and(|c| c.is_ascii_alphabetic())
        || !sc.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        return false;
    }
    let (rest, fragment) = match rest.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (rest, None),
    };
    if fragment.is_some_and(|f| !chars_ok(f, ":@/?")) {
        return false;
    }
    let (hier, query) = match rest.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (rest, None),
    };
    if query.is_some_and(|q| !chars_ok(q, ":@/?")) {
        return false;
    }
    let path = match hier.strip_prefix("//") {
        Some(after) => {
            let end = after.find('/').unwrap_or(after.len());
            if !authority_ok(&after[..end]) {
                return false;
            }
            &after[end..]
        }
        None => hier,
    };
    chars_ok(path, ":@/")
}

fn authority_ok(authority: &str) -> bool {
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    if userinfo.is_some_and(|u| !chars_ok(u, ":")) {
        return false;
    }
    let (host, port) = if let Some(inner) = hostport.strip_prefix('[') {
        let Some((literal, after)) = inner.split_once(']') else {
            return false;
        };
        if !literal
            .chars()
            .all(|c| c.is_ascii_hexdigit() || ":.vV".contains(c) || unreserved(c) || sub_delim(c))
        {
            return false;
        }
        match after.strip_prefix(':') {
            Some(p) => ("", Some(p)),
            None if after.is_empty() => ("", None),
            None => return false,
        }
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        }
    };
    port.is_none_or(|p| p.chars().all(|c| c.is_ascii_digit())) && chars_ok(host, "")
}

#[cfg(test)]
mod tests {
    use super::is_absolute_uri;

    #[test]
    fn uris() {
        for ok in [
            "http://example.com",
            "https://github.com/acme/api.git",
            "https://user:pw@host:8080/p/a%20th?q=1&r=2#frag",
            "mailto:ops@example.com",
            "urn:isbn:0451450523",
            "http://[::1]:80/",
            "file:///etc/hosts",
        ] {
            assert!(is_absolute_uri(ok), "{ok}");
        }
        for bad in [
            "not-url",
            "github.com/acme/api",
            "https://exa mple.com",
            "1http://x",
            "http://host:port/",
            "https://x/%zz",
            "",
            ":x",
        ] {
            assert!(!is_absolute_uri(bad), "{bad}");
        }
    }
}
