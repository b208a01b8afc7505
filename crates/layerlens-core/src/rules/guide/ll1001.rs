//! LL1001: the whole build context copied before a dependency install that needs only the
//! manifests.

use super::g5_util::{copy_like, dep_install};
use crate::knowledge;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "LL1001",
    name: "copy-manifests-before-install",
    origin: Origin::Layerlens,
    severity: Severity::Warning,
    categories: &[Category::Cache],
    summary: "After `COPY . .` every code edit misses the cache and reinstalls all dependencies.",
    docs: Docs::new(
        "Flags a dependency install that only reads manifest files (`pip install -r \
         requirements.txt`, `npm ci`, `go mod download`, `poetry install`, `bundle install`, \
         `composer install`, `cargo fetch`...) when the whole build context was copied earlier \
         in the stage and the manifests were not copied on their own before it.",
        "COPY's cache key is the content of every file it copies, and once one instruction \
         misses the cache every later one is rebuilt. With `COPY . .` first, editing one line of \
         code re-downloads and reinstalls every dependency: minutes per build instead of \
         seconds, and a new multi-hundred-MB layer to push each time. Copy the manifests, \
         install, then copy the code.",
        "FROM python:3.13-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nCMD [\"python\", \"app.py\"]\n",
        "FROM python:3.13-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD [\"python\", \"app.py\"]\n",
        "Layer Caching Strategy",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for stage in &context.model.stages {
        // Line of the first whole-context COPY, and manifests copied on their own before it.
        let mut whole: Option<(usize, &'static str)> = None;
        let mut manifests_alone: Vec<String> = Vec::new();
        for &i in &stage.instructions {
            if let Some(copy) = copy_like(context, i) {
                if copy.from.is_some() {
                    continue;
                }
                if copy.copies_whole_context() {
                    whole.get_or_insert((i, copy.keyword));
                } else if whole.is_none() {
                    manifests_alone.extend(
                        copy.paths()
                            .map(|p| super::g5_util::basename(&p.value).to_string())
                            .filter(|b| knowledge::is_manifest_file(b)),
                    );
                }
                continue;
            }
            let Some((copy_at, keyword)) = whole else {
                continue;
            };
            let Some(run) = context.run(i) else { continue };
            if context.typed_effective(i).1 {
                continue;
            }
            for (command, part) in run.commands() {
                let Some(install) = dep_install(command) else {
                    continue;
                };
                if !install.from_manifests || install.manifests.is_empty() {
                    continue;
                }
                let already = install.manifests.iter().any(|m| {
                    manifests_alone.iter().any(|a| {
                        a == super::g5_util::basename(m)
                            || knowledge::wildcard_match(a, super::g5_util::basename(m))
                    })
                });
                if already {
                    continue;
                }
                let names = install
                    .manifests
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(" and ");
                let line = context.instruction(copy_at).start_line;
                report.add(
                    i,
                    part.command_span(context.model, command),
                    format!(
                        "this install reruns on every code change because `{keyword} .` (line {line}) comes first: copy {names} alone before it, install, then copy the rest"
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g5_util::test_support::*;

    #[test]
    fn guide_layer_caching_examples() {
        let bad = "FROM python:3.13-slim\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n";
        assert_eq!(spans("LL1001", bad), ["pip install -r requirements.txt"]);
        let good = "FROM python:3.13-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"app.py\"]\n";
        assert!(findings("LL1001", good).is_empty());
        let anti = "FROM python:3.13-slim\nCOPY . /app\nRUN pip install -r requirements.txt\n";
        assert_eq!(findings("LL1001", anti).len(), 1);
    }

    #[test]
    fn other_managers_and_messages() {
        let f = findings(
            "LL1001",
            "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n",
        );
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message
                .contains("`package.json` and `package-lock.json`"),
            "{}",
            f[0].message
        );
        assert!(f[0].message.contains("line 3"));
        for run in [
            "go mod download",
            "poetry install --no-root",
            "bundle install",
            "composer install",
            "cargo fetch",
            "yarn install --frozen-lockfile",
        ] {
            let text = format!("FROM x\nCOPY . .\nRUN {run}\n");
            assert_eq!(findings("LL1001", &text).len(), 1, "{run}");
        }
        // Installs that need the source, or no manifest at all.
        for run in [
            "pip install .",
            "pip install flask",
            "npm run build",
            "go build ./...",
            "npm install express",
        ] {
            let text = format!("FROM x\nCOPY . .\nRUN {run}\n");
            assert!(findings("LL1001", &text).is_empty(), "{run}");
        }
        // Manifests copied alone first: the later `COPY . .` is fine.
        let ok = "FROM node:22\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm ci\n";
        assert!(findings("LL1001", ok).is_empty());
    }

    #[test]
    fn guide_real_world_examples_are_clean() {
        for text in [FASTAPI, NEXTJS, GO] {
            assert!(findings("LL1001", text).is_empty());
        }
    }
}
