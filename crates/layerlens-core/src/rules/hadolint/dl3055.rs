//! DL3055: a schema label of type `hash` whose value is not a git commit hash.

use super::g3_util::{check_label_type, schema_config};
use crate::rules::{Category, Context, Docs, LabelType, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3055",
    name: "label-invalid-git-hash",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Production],
    summary: "A label the schema types as `hash` must hold a git commit id in lower-case hex.",
    docs: Docs {
        what: "With a `label-schema` that gives a label the type `hash`, flags a value that is \
               not a git object id: lower-case hexadecimal, either abbreviated (7 to 39 \
               characters) or full (40 for SHA-1, 64 for SHA-256 repositories).",
        why: "A revision label (`org.opencontainers.image.revision`) is how an incident \
              responder goes from a running container to the exact commit that built it. A \
              branch name like `main` or a tag moves over time, so the label stops identifying \
              the code; a real commit id identifies it forever.",
        bad: "FROM alpine:3.20\nLABEL org.opencontainers.image.revision=\"main\"\n",
        good: "FROM alpine:3.20\nLABEL org.opencontainers.image.revision=\"43c572f1272b6b3171dd1db9e41b7027128ce080\"\n",
        guide: "Production Optimizations",
        example_config: Some(example_config),
        example_dockerignore: None,
        fix_note: "",
    },
    // No fix: only the author knows the right commit.
    fix: crate::rules::Fixability::None,
    check,
};

fn example_config() -> crate::rules::Config {
    schema_config("org.opencontainers.image.revision", LabelType::Hash)
}

fn check(context: &Context, report: &mut Report) {
    check_label_type(
        context,
        report,
        LabelType::Hash,
        is_git_hash,
        |name, value| {
            format!(
                "label `{name}` must be a git commit id (7 to 40 lower-case hex digits), not \
             `{value}`"
            )
        },
    );
}

/// An abbreviated or full git object id.
pub(super) fn is_git_hash(value: &str) -> bool {
    ((7..=40).contains(&value.len()) || value.len() == 64)
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::is_git_hash;

    #[test]
    fn hashes() {
        assert!(is_git_hash("2dbfae9"));
        assert!(is_git_hash("43c572f1272b6b3171dd1db9e41b7027128ce080"));
        assert!(is_git_hash(&"a".repeat(64)));
        assert!(!is_git_hash("not-git-hash"));
        assert!(!is_git_hash("2DBFAE9"));
        assert!(!is_git_hash("2dbfae"));
        assert!(!is_git_hash(&"a".repeat(41)));
    }
}
