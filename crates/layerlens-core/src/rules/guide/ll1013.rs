//! LL1013: the final image lacks the configured OCI labels.

use super::g5_util::{chain_instructions, final_chain, from_image_span};
use crate::instructions::Typed;
use crate::rules::{Category, Config, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "LL1013",
    name: "oci-labels",
    origin: Origin::Layerlens,
    severity: Severity::Info,
    categories: &[Category::Maintainability],
    summary: "Standard labels tell registries, scanners and people where an image comes from.",
    docs: Docs {
        what: "Flags a final image (with the stages it is built FROM) missing any of the labels \
               listed in the configuration's `required_oci_labels` (by default \
               `org.opencontainers.image.source`, `.version` and `.description`).",
        why: "The OCI annotation keys are what registries and tools read: GitHub links a \
              package to its repository through `org.opencontainers.image.source`, scanners \
              and Renovate use the source and version to find changelogs and fixes, and an \
              operator facing an unknown image in production learns what it is with \
              `docker inspect` instead of guessing. Three LABEL lines, no bytes in any layer.",
        bad: "FROM python:3.13-slim\nCMD [\"python\", \"-V\"]\n",
        good: "FROM python:3.13-slim\nLABEL org.opencontainers.image.source=\"https://github.com/user/repo\" \\\n      org.opencontainers.image.version=\"1.0.0\" \\\n      org.opencontainers.image.description=\"FastAPI Task Management System\"\nCMD [\"python\", \"-V\"]\n",
        guide: "Production Optimizations",
        example_config: Some(Config::default),
        example_dockerignore: None,
        fix_note: "",
    },
    // No fix: placeholder labels would publish wrong metadata; the values need a person.
    fix: crate::rules::Fixability::None,
    check,
};

fn unquote(s: &str) -> &str {
    s.trim().trim_matches('"').trim_matches('\'')
}

fn check(context: &Context, report: &mut Report) {
    let required = &context.config.required_oci_labels;
    if required.is_empty() {
        return;
    }
    let chain = final_chain(context);
    let Some(&target) = chain.first() else { return };
    let mut present: Vec<String> = Vec::new();
    for i in chain_instructions(context.model, &chain) {
        if let Typed::Label(pairs) = context.typed(i) {
            for pair in pairs {
                let key = context
                    .model
                    .expand(i, &pair.key.value)
                    .unwrap_or_else(|_| pair.key.value.clone());
                present.push(unquote(&key).to_string());
            }
        }
    }
    let missing: Vec<&String> = required.iter().filter(|r| !present.contains(r)).collect();
    if missing.is_empty() {
        return;
    }
    let names = missing
        .iter()
        .map(|m| format!("`{m}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let plural = if missing.len() == 1 {
        "label"
    } else {
        "labels"
    };
    report.add(
        context.model.stages[target].from,
        from_image_span(context, target),
        format!("the final image has no {names} {plural}: add them with LABEL so registries and scanners can tell what it is and where it comes from"),
    );
}

#[cfg(test)]
mod tests {
    use super::super::g5_util::test_support::*;
    use crate::rules::Config;

    #[test]
    fn labels() {
        let f = findings(
            "LL1013",
            "FROM alpine:3.20\nLABEL org.opencontainers.image.source=x\n",
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains(
            "`org.opencontainers.image.version`, `org.opencontainers.image.description` labels"
        ));
        let ok = "FROM alpine:3.20 AS base\nLABEL \"org.opencontainers.image.source\"=x\nFROM base\nLABEL org.opencontainers.image.version=1 org.opencontainers.image.description=d\n";
        assert!(findings("LL1013", ok).is_empty());
        let none = Config {
            required_oci_labels: Vec::new(),
            ..Config::default()
        };
        assert!(findings_with("LL1013", "FROM alpine:3.20\n", &none, None).is_empty());
    }

    #[test]
    fn guide_real_world_examples() {
        // Kept: none of the examples label its image, though the guide recommends it.
        for text in [FASTAPI, NEXTJS, GO] {
            assert_eq!(findings("LL1013", text).len(), 1);
        }
    }
}
