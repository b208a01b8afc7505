//! DL3049: a label required by the label schema is missing from a stage.

use super::g3_util::{labels, schema_config};
use crate::instructions::Typed;
use crate::model::{Base, EdgeKind, StageRef};
use crate::rules::{Category, Context, Docs, LabelType, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3049",
    name: "required-label-missing",
    origin: Origin::Hadolint,
    severity: Severity::Info,
    categories: &[Category::Production, Category::Maintainability],
    summary: "The label schema requires this label, and the image this stage produces lacks it.",
    docs: Docs {
        what: "With a `label-schema` configured, flags each stage (at its FROM) that lacks a \
               required label. A stage has a label when it sets it or when the stage it is \
               built FROM has it. A stage that is only a source for `COPY --from`/`RUN \
               --mount=from`, or whose child stage sets the label, is not flagged.",
        why: "Organisations require labels such as the source repository, owner or version so \
              that a running container can be traced back to its code and team. An image \
              without them is an orphan in the registry: scanners cannot route a CVE to an \
              owner and incident responders lose minutes finding who built it.",
        bad: "FROM alpine:3.20\nCMD [\"true\"]\n",
        good: "FROM alpine:3.20\nLABEL org.opencontainers.image.source=\"https://example.com/repo\"\nCMD [\"true\"]\n",
        guide: "Production Optimizations",
        example_config: Some(example_config),
        example_dockerignore: None,
        fix_note: "",
    },
    // No fix: only the author knows the value of the missing label.
    fix: crate::rules::Fixability::None,
    check,
};

fn example_config() -> crate::rules::Config {
    schema_config("org.opencontainers.image.source", LabelType::Url)
}

fn check(context: &Context, report: &mut Report) {
    let schema = &context.config.label_schema;
    let stages = &context.model.stages;
    if schema.is_empty() || stages.is_empty() {
        return;
    }
    // Stages used as a source of files by another stage.
    let mut copied = vec![false; stages.len()];
    for edge in &context.model.edges {
        if let (StageRef::Stage(s), EdgeKind::CopyFrom | EdgeKind::MountFrom) =
            (&edge.from, edge.kind)
        {
            if let Some(slot) = copied.get_mut(*s) {
                *slot = true;
            }
        }
    }
    for name in schema.keys() {
        let mut sets = vec![false; stages.len()];
        for (i, _, key) in labels(context) {
            if key == *name {
                if let Some(slot) = context.stage_of(i).and_then(|s| sets.get_mut(s)) {
                    *slot = true;
                }
            }
        }
        // Stages come in order, so a parent is final before its children.
        let mut has = vec![false; stages.len()];
        for (s, stage) in stages.iter().enumerate() {
            let inherited = match stage.base {
                Base::Stage(p) => has.get(p).copied().unwrap_or(false),
                _ => false,
            };
            has[s] = sets[s] || inherited;
        }
        for (s, stage) in stages.iter().enumerate() {
            if has[s] || copied[s] {
                continue;
            }
            let child_has = stages
                .iter()
                .any(|t| t.base == Base::Stage(s) && has[t.index]);
            if child_has {
                continue;
            }
            let span = match context.typed(stage.from) {
                Typed::From(from) => from.image.span,
                _ => context.keyword_span(stage.from),
            };
            report.add(
                stage.from,
                span,
                format!(
                    "stage `{}` produces an image without the required label `{name}`; add \
                     `LABEL {name}=…`",
                    stage.label()
                ),
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
            .filter(|f| f.code == "DL3049")
            .count()
    }

    #[test]
    fn copy_sources_by_index_and_mounts_are_exempt() {
        assert_eq!(
            count("FROM a\nFROM b\nLABEL foo=1\nCOPY --from=0 /x /y\n"),
            0
        );
        assert_eq!(
            count("FROM a AS deps\nFROM b\nLABEL foo=1\nRUN --mount=from=deps,target=/d true\n"),
            0
        );
        // A named child setting the label exempts its parent too.
        assert_eq!(count("FROM a AS base\nFROM base AS app\nLABEL foo=1\n"), 0);
        assert_eq!(count("FROM a\nONBUILD LABEL foo=1\n"), 1);
    }
}
