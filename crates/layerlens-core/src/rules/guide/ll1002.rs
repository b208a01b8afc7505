//! LL1002: dependency manifests copied in the same COPY as source files.

use super::g5_util::{basename, copy_like, dep_install};
use crate::knowledge;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "LL1002",
    name: "copy-manifests-alone",
    origin: Origin::Layerlens,
    severity: Severity::Info,
    categories: &[Category::Cache],
    summary: "Manifests copied together with code: a code edit still reinstalls every dependency.",
    docs: Docs::new(
        "Flags a COPY that copies dependency manifests (`requirements.txt`, `package.json`, \
         `go.mod`, `Gemfile`...) together with source files or directories, when a dependency \
         install from those manifests follows in the stage.",
        "The cache key of a COPY covers all of its sources, so `COPY requirements.txt app.py ./` \
         changes whenever `app.py` does, and the `pip install` after it reruns: every code edit \
         pays for a full dependency download and install (often minutes and hundreds of MB). \
         Give the manifests a COPY of their own.",
        "FROM python:3.13-slim\nWORKDIR /app\nCOPY requirements.txt app.py ./\nRUN pip install --no-cache-dir -r requirements.txt\nCMD [\"python\", \"app.py\"]\n",
        "FROM python:3.13-slim\nWORKDIR /app\nCOPY requirements.txt ./\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY app.py ./\nCMD [\"python\", \"app.py\"]\n",
        "Layer Caching Strategy",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

/// Files that commonly travel with manifests and are not code (installs read them).
fn is_install_config(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("readme")
        || lower.starts_with("license")
        || lower.starts_with(".npmrc")
        || lower.starts_with(".yarnrc")
        || lower == ".yarn"
        || lower == "setup.cfg"
        || lower == "manifest.in"
        || lower == ".python-version"
        || lower == ".nvmrc"
        || lower.starts_with("rust-toolchain")
        || lower == "patches"
        || lower.starts_with("constraints")
}

fn check(context: &Context, report: &mut Report) {
    for stage in &context.model.stages {
        for (pos, &i) in stage.instructions.iter().enumerate() {
            let Some(copy) = copy_like(context, i) else {
                continue;
            };
            if copy.from.is_some() || copy.copies_whole_context() {
                continue;
            }
            let manifests: Vec<&str> = copy
                .paths()
                .map(|p| basename(&p.value))
                .filter(|b| knowledge::is_manifest_file(b))
                .collect();
            if manifests.is_empty() {
                continue;
            }
            let others: Vec<_> = copy
                .paths()
                .filter(|p| {
                    let b = basename(&p.value);
                    !knowledge::is_manifest_file(b) && !is_install_config(b)
                })
                .collect();
            let Some(first_other) = others.first() else {
                continue;
            };
            // An install reading one of these manifests must follow in the stage.
            let used = stage.instructions[pos + 1..].iter().any(|&j| {
                context.run(j).is_some_and(|run| {
                    run.commands().any(|(c, _)| {
                        dep_install(c).is_some_and(|d| {
                            d.from_manifests
                                && d.manifests.iter().any(|m| {
                                    manifests.iter().any(|x| {
                                        *x == basename(m)
                                            || knowledge::wildcard_match(x, basename(m))
                                    })
                                })
                        })
                    })
                })
            });
            if !used {
                continue;
            }
            let other_names = others
                .iter()
                .map(|p| format!("`{}`", p.value))
                .collect::<Vec<_>>()
                .join(", ");
            let manifest_names = manifests
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ");
            report.add(
                i,
                first_other.span,
                format!(
                    "{other_names} travels with {manifest_names} in one {}: copy the manifests alone, install, then copy {other_names}",
                    copy.keyword
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g5_util::test_support::*;

    #[test]
    fn mixed_copies() {
        let text = "FROM python:3.13-slim\nCOPY requirements.txt app.py ./\nRUN pip install -r requirements.txt\n";
        assert_eq!(spans("LL1002", text), ["app.py"]);
        let text = "FROM node:22\nCOPY src/ package.json package-lock.json ./\nRUN npm ci\n";
        let f = findings("LL1002", text);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("`src/`"));
        // README with the manifests is normal for poetry projects.
        let ok = "FROM python:3.13-slim\nCOPY pyproject.toml poetry.lock README.md ./\nRUN poetry install --no-root\n";
        assert!(findings("LL1002", ok).is_empty());
        // No install after it.
        assert!(findings(
            "LL1002",
            "FROM x\nCOPY package.json server.js ./\nCMD [\"node\", \"server.js\"]\n"
        )
        .is_empty());
        // Globbed manifests.
        assert_eq!(
            findings(
                "LL1002",
                "FROM node:22\nCOPY package*.json index.js ./\nRUN npm ci\n"
            )
            .len(),
            1
        );
    }

    #[test]
    fn guide_real_world_examples_are_clean() {
        for text in [FASTAPI, NEXTJS, GO] {
            assert!(findings("LL1002", text).is_empty());
        }
    }
}
