//! DL3056: a schema label of type `semver` whose value is not a semantic version.

use super::g3_util::{check_label_type, schema_config};
use crate::rules::{Category, Context, Docs, LabelType, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3056",
    name: "label-invalid-semver",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Production],
    summary: "A label the schema types as `semver` must hold MAJOR.MINOR.PATCH per SemVer 2.0.0.",
    docs: Docs {
        what: "With a `label-schema` that gives a label the type `semver`, flags a value that \
               is not a Semantic Versioning 2.0.0 version: three numbers without leading \
               zeros, an optional `-pre.release` and an optional `+build` part. A leading `v` \
               (`v1.2.3`) is not part of the version.",
        why: "Deployment tools and registries compare version labels to pick the newest image \
              or decide whether an upgrade is a breaking change. `v1.2`, `1.2.3.4` or `latest` \
              cannot be ordered, so automated promotion stalls or, worse, orders versions as \
              text and rolls out 1.10.0 before 1.9.0.",
        bad: "FROM alpine:3.20\nLABEL org.opencontainers.image.version=\"v1.4\"\n",
        good: "FROM alpine:3.20\nLABEL org.opencontainers.image.version=\"1.4.0\"\n",
        guide: "Production Optimizations",
        example_config: Some(example_config),
        example_dockerignore: None,
        fix_note: "",
    },
    // No fix: only the author knows the right version.
    fix: crate::rules::Fixability::None,
    check,
};

fn example_config() -> crate::rules::Config {
    schema_config("org.opencontainers.image.version", LabelType::Semver)
}

fn check(context: &Context, report: &mut Report) {
    check_label_type(
        context,
        report,
        LabelType::Semver,
        is_semver,
        |name, value| {
            format!("label `{name}` must be a semantic version such as `1.4.0`, not `{value}`")
        },
    );
}

fn numeric(part: &str) -> bool {
    !part.is_empty()
        && part.chars().all(|c| c.is_ascii_digit())
        && (part == "0" || !part.starts_with('0'))
}

fn identifiers(s: &str, prerelease: bool) -> bool {
    s.split('.').all(|id| {
        !id.is_empty()
            && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && (!prerelease || !id.chars().all(|c| c.is_ascii_digit()) || numeric(id))
    })
}

/// A Semantic Versioning 2.0.0 version.
pub(super) fn is_semver(value: &str) -> bool {
    let (rest, build) = match value.split_once('+') {
        Some((r, b)) => (r, Some(b)),
        None => (value, None),
    };
    if build.is_some_and(|b| !identifiers(b, false)) {
        return false;
    }
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (rest, None),
    };
    if pre.is_some_and(|p| !identifiers(p, true)) {
        return false;
    }
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3 && parts.iter().all(|p| numeric(p))
}

#[cfg(test)]
mod tests {
    use super::is_semver;

    #[test]
    fn versions() {
        for ok in [
            "1.0.0",
            "2.0.1-rc1",
            "0.0.0",
            "1.2.3-alpha.1+build.5",
            "1.2.3+20240501",
        ] {
            assert!(is_semver(ok), "{ok}");
        }
        for bad in [
            "not-sem-ver",
            "v1.2.3",
            "1.2",
            "1.2.3.4",
            "01.2.3",
            "1.2.3-",
            "1.2.3-01",
            "1.2.3+",
        ] {
            assert!(!is_semver(bad), "{bad}");
        }
    }
}
