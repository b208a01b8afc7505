//! DL3050: with strict labels, a label outside the label schema.

use super::g3_util::{labels, schema_config};
use crate::rules::{Category, Context, Docs, LabelType, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3050",
    name: "label-not-in-schema",
    origin: Origin::Hadolint,
    severity: Severity::Info,
    categories: &[Category::Maintainability],
    summary: "Strict labels are on, and this label is not part of the configured schema.",
    docs: Docs {
        what: "With `strict-labels: true`, flags every LABEL key that the `label-schema` does \
               not list (with an empty schema, every label).",
        why: "A fixed label vocabulary is what lets dashboards, cost reports and registry \
              policies query images reliably. Ad-hoc keys (`maintainer`, `Version`, \
              `build-date` next to `org.opencontainers.image.created`) fragment that \
              vocabulary, and every consumer then needs special cases for each spelling.",
        bad:
            "FROM alpine:3.20\nLABEL org.opencontainers.image.version=\"1.4.2\" team=\"payments\"\n",
        good: "FROM alpine:3.20\nLABEL org.opencontainers.image.version=\"1.4.2\"\n",
        guide: "Production Optimizations",
        example_config: Some(example_config),
        example_dockerignore: None,
        fix_note: "",
    },
    // No fix: dropping the label or adding it to the schema is the author's call.
    fix: crate::rules::Fixability::None,
    check,
};

fn example_config() -> crate::rules::Config {
    let mut config = schema_config("org.opencontainers.image.version", LabelType::Semver);
    config.strict_labels = true;
    config
}

fn check(context: &Context, report: &mut Report) {
    if !context.config.strict_labels {
        return;
    }
    let schema = &context.config.label_schema;
    for (i, kv, key) in labels(context) {
        if schema.contains_key(&key) {
            continue;
        }
        report.add(
            i,
            kv.key.span,
            format!("label `{key}` is not in the label schema; remove it or add it to the schema"),
        );
    }
}
