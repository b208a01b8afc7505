//! DL3053: a schema label of type `rfc3339` whose value is not an RFC 3339 timestamp.

use super::g3_util::{check_label_type, schema_config};
use crate::rules::{Category, Context, Docs, LabelType, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3053",
    name: "label-invalid-rfc3339",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Production],
    summary: "A label the schema types as `rfc3339` must hold a full timestamp like 2024-05-01T12:00:00Z.",
    docs: Docs {
        what: "With a `label-schema` that gives a label the type `rfc3339`, flags a value that \
               is not an RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS`, optional fraction, and a \
               `Z` or `±HH:MM` offset, with valid calendar values.",
        why: "Build-date labels (`org.opencontainers.image.created`) are sorted and compared by \
              registries, retention policies and audit tools. A value like `2024/05/01` or a \
              local time without an offset sorts wrongly or is rejected, so the image may be \
              deleted early by a cleanup policy or shown as undated in an audit.",
        bad: "FROM alpine:3.20\nLABEL org.opencontainers.image.created=\"2024-05-01 12:00\"\n",
        good: "FROM alpine:3.20\nLABEL org.opencontainers.image.created=\"2024-05-01T12:00:00Z\"\n",
        guide: "Production Optimizations",
        example_config: Some(example_config),
        example_dockerignore: None,
        fix_note: "",
    },
    // No fix: only the author knows the right timestamp.
    fix: crate::rules::Fixability::None,
    check,
};

fn example_config() -> crate::rules::Config {
    schema_config("org.opencontainers.image.created", LabelType::Rfc3339)
}

fn check(context: &Context, report: &mut Report) {
    check_label_type(
        context,
        report,
        LabelType::Rfc3339,
        is_rfc3339,
        |name, value| {
            format!(
                "label `{name}` must be an RFC 3339 timestamp such as `2024-05-01T12:00:00Z`, not \
             `{value}`"
            )
        },
    );
}

/// Parses exactly `n` ASCII digits at `at`.
fn digits(s: &[u8], at: usize, n: usize) -> Option<u32> {
    let part = s.get(at..at + n)?;
    if !part.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(part.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0')))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// RFC 3339 `date-time`.
pub(super) fn is_rfc3339(value: &str) -> bool {
    let s = value.as_bytes();
    let date = (|| {
        let year = digits(s, 0, 4)?;
        (s.get(4) == Some(&b'-')).then_some(())?;
        let month = digits(s, 5, 2)?;
        (s.get(7) == Some(&b'-')).then_some(())?;
        let day = digits(s, 8, 2)?;
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(())
    })();
    if date.is_none() || !matches!(s.get(10), Some(b'T' | b't')) {
        return false;
    }
    let time = (|| {
        let hour = digits(s, 11, 2)?;
        (s.get(13) == Some(&b':')).then_some(())?;
        let minute = digits(s, 14, 2)?;
        (s.get(16) == Some(&b':')).then_some(())?;
        let second = digits(s, 17, 2)?;
        (hour <= 23 && minute <= 59 && second <= 60).then_some(())
    })();
    if time.is_none() {
        return false;
    }
    let mut at = 19;
    if s.get(at) == Some(&b'.') {
        let start = at + 1;
        at = start;
        while s.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        if at == start {
            return false;
        }
    }
    match s.get(at) {
        Some(b'Z' | b'z') => at + 1 == s.len(),
        Some(b'+' | b'-') => {
            let ok = digits(s, at + 1, 2).is_some_and(|h| h <= 23)
                && s.get(at + 3) == Some(&b':')
                && digits(s, at + 4, 2).is_some_and(|m| m <= 59);
            ok && at + 6 == s.len()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_rfc3339;

    #[test]
    fn timestamps() {
        for ok in [
            "2021-03-10T10:26:33.564595127+01:00",
            "2024-05-01T12:00:00Z",
            "2024-02-29t00:00:00z",
            "1990-12-31T23:59:60-08:00",
        ] {
            assert!(is_rfc3339(ok), "{ok}");
        }
        for bad in [
            "not-date",
            "2024-05-01",
            "2024-05-01 12:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-05-01T12:00:00",
            "2024-05-01T12:00:00.Z",
            "2024-05-01T12:00:00+0100",
            "2024-05-01T12:00:00Zx",
            "é",
        ] {
            assert!(!is_rfc3339(bad), "{bad}");
        }
    }
}
