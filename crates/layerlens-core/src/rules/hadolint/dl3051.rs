//! DL3051: a schema label set to an empty value.

use super::g3_util::{known_value, labels, schema_config, value_span};
use crate::rules::{Category, Context, Docs, LabelType, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3051",
    name: "label-empty",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Production],
    summary: "A required label with an empty value satisfies the schema on paper only.",
    docs: Docs {
        what: "With a `label-schema` configured, flags a LABEL that sets one of the schema's \
               labels to an empty string (also when it is built from variables whose known \
               values are empty).",
        why: "An empty required label passes the 'is it there' check while carrying no \
              information: the image still cannot be traced to its source or owner. It \
              usually means a build argument such as `--build-arg GIT_SHA=…` was forgotten \
              in CI, which is exactly what the label was meant to catch.",
        bad: "FROM alpine:3.20\nLABEL org.opencontainers.image.revision=\"\"\n",
        good: "FROM alpine:3.20\nLABEL org.opencontainers.image.revision=\"4f07059\"\n",
        guide: "Production Optimizations",
        example_config: Some(example_config),
        example_dockerignore: None,
        fix_note: "",
    },
    // No fix: only the author knows the value the label should hold.
    fix: crate::rules::Fixability::None,
    check,
};

fn example_config() -> crate::rules::Config {
    schema_config("org.opencontainers.image.revision", LabelType::Hash)
}

fn check(context: &Context, report: &mut Report) {
    let schema = &context.config.label_schema;
    if schema.is_empty() {
        return;
    }
    for (i, kv, key) in labels(context) {
        if !schema.contains_key(&key) {
            continue;
        }
        if known_value(context, i, &kv.value.value).is_some_and(|v| v.is_empty()) {
            report.add(
                i,
                value_span(kv),
                format!("required label `{key}` is empty; give it a real value"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Model;
    use crate::rules::{lint, LabelType, LintOptions};

    fn count(text: &str) -> usize {
        let config = super::super::g3_util::schema_config("foo", LabelType::Text);
        let options = LintOptions {
            keep_off_by_default: true,
        };
        lint(&Model::parse(text), &config, None, &options)
            .iter()
            .filter(|f| f.code == "DL3051")
            .count()
    }

    #[test]
    fn variables() {
        assert_eq!(count("FROM a\nARG V\nLABEL foo=$V\n"), 0);
        assert_eq!(count("FROM a\nARG V=\nLABEL foo=$V\n"), 1);
        assert_eq!(count("FROM a\nLABEL foo=''\n"), 1);
    }
}
