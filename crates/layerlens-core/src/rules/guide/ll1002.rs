//! LL1002: dependency manifests copied in the same COPY as source files.

use super::g5_fix_util::{
    after_instruction, delete_word, is_metadata_only, manifest_only_inputs, Style,
};
use super::g5_util::{basename, copy_like, dep_install};
use crate::fix::{Edit, Fix};
use crate::instructions::{Source, Typed};
use crate::knowledge;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

/// Splits COPY `at`: the sources that are not manifests move into a COPY after RUN `run_at`.
fn fix_for(context: &Context, at: usize, run_at: usize, others: &[usize]) -> Option<Fix> {
    let model = context.model;
    let text = &model.doc.text;
    let Typed::Copy(copy) = context.typed(at) else {
        return None;
    };
    if copy.from.is_some() || copy.parents || !copy.exclude.is_empty() {
        return None;
    }
    let paths: Vec<_> = copy
        .sources
        .iter()
        .map(|s| match s {
            Source::Path(t) => Some(t),
            Source::Heredoc { .. } => None,
        })
        .collect::<Option<Vec<_>>>()?;
    if paths.iter().any(|p| p.value.contains(['"', '\'', '$'])) {
        return None;
    }
    let stage = &model.stages[context.stage_of(at)?];
    if !stage
        .instructions
        .iter()
        .filter(|&&k| k > at && k < run_at)
        .all(|&k| is_metadata_only(model, k))
    {
        return None;
    }
    // The RUN reads manifests only, and none of the moved files.
    let inputs = manifest_only_inputs(model, run_at)?;
    if others.iter().any(|&k| {
        let moved = basename(&paths[k].value);
        inputs
            .iter()
            .any(|f| basename(f) == moved || knowledge::wildcard_match(basename(f), moved))
    }) {
        return None;
    }
    let dest_text = copy.dest.span.slice(text);
    if dest_text.contains(['"', '\'']) {
        return None;
    }
    let style = Style::of(model);
    let mut edits = Vec::new();
    for &k in others {
        // From the end of the token before it (the previous source, a flag or the keyword).
        let start = if k == 0 {
            context
                .instruction(at)
                .command
                .flags
                .last()
                .map_or(context.keyword_span(at).end, |f| f.text.span.end)
        } else {
            paths[k - 1].span.end
        };
        edits.push(delete_word(model, at, start, paths[k].span, &style)?);
    }
    let kept = paths.len() - others.len();
    // One kept source copied to `/app` (no slash) would become a file named /app.
    let dir = |d: &str, n: usize| -> String {
        if d.ends_with('/') || (d == "." && n == 1) {
            d.to_string()
        } else {
            format!("{d}/")
        }
    };
    let kept_glob = paths
        .iter()
        .enumerate()
        .any(|(k, p)| !others.contains(&k) && p.value.contains('*'));
    if dir(dest_text, kept + usize::from(kept_glob)) != dest_text {
        edits.push(Edit::insert(copy.dest.span.end, "/"));
    }
    let flags: String = context
        .instruction(at)
        .command
        .flags
        .iter()
        .map(|f| format!(" {}", f.text.span.slice(text)))
        .collect();
    let moved: Vec<&str> = others.iter().map(|&k| paths[k].span.slice(text)).collect();
    let moved_glob = moved.iter().any(|m| m.contains('*'));
    let (after, prefix) = after_instruction(model, run_at, &style);
    edits.push(Edit::insert(
        after,
        format!(
            "{prefix}{}{flags} {} {}{}",
            style.keyword("COPY"),
            moved.join(" "),
            dir(dest_text, moved.len() + usize::from(moved_glob)),
            style.newline
        ),
    ));
    Some(Fix::unsafe_(
        format!("Copy {} after the install", moved.join(", ")),
        edits,
    ))
}

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
    )
    .with_fix_note(
        "Takes the non-manifest sources out of the COPY and copies them in a new COPY (same \
         flags and destination) right after the install RUN. Only when the RUN does nothing \
         but manifest installs and steps that read no project file, and only metadata \
         instructions stand between the COPY and the RUN. Unsafe: a manifest may refer to \
         the moved files (`-e .` in requirements.txt, a gemspec in the Gemfile), and files \
         the install wrote at the destination can now be overwritten by the moved ones.",
    ),
    fix: crate::rules::Fixability::Unsafe,
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
            let other_indices: Vec<usize> = copy
                .paths()
                .enumerate()
                .filter(|(_, p)| {
                    let b = basename(&p.value);
                    !knowledge::is_manifest_file(b) && !is_install_config(b)
                })
                .map(|(k, _)| k)
                .collect();
            let Some(first_other) = others.first() else {
                continue;
            };
            // An install reading one of these manifests must follow in the stage.
            let used = stage.instructions[pos + 1..].iter().copied().find(|&j| {
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
            let Some(run_at) = used else {
                continue;
            };
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
            report
                .add(
                    i,
                    first_other.span,
                    format!(
                        "{other_names} travels with {manifest_names} in one {}: copy the manifests alone, install, then copy {other_names}",
                        copy.keyword
                    ),
                )
                .fix = fix_for(context, i, run_at, &other_indices);
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
    fn fixes() {
        let bad = "FROM python:3.13-slim\nWORKDIR /app\nCOPY requirements.txt app.py ./\nRUN pip install --no-cache-dir -r requirements.txt\nCMD [\"python\", \"app.py\"]\n";
        let out = fixed("LL1002", bad);
        assert_eq!(
            out,
            "FROM python:3.13-slim\nWORKDIR /app\nCOPY requirements.txt ./\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY app.py ./\nCMD [\"python\", \"app.py\"]\n"
        );
        assert!(findings("LL1002", &out).is_empty());
        assert_eq!(
            fixed(
                "LL1002",
                "from node:22\ncopy --chown=node:node src/ package.json package-lock.json lib/ /app/\nrun npm ci \\\n    && npm cache clean --force\n# go\ncmd [\"node\"]"
            ),
            "from node:22\ncopy --chown=node:node package.json package-lock.json /app/\nrun npm ci \\\n    && npm cache clean --force\ncopy --chown=node:node src/ lib/ /app/\n# go\ncmd [\"node\"]"
        );
        assert_eq!(
            fixed(
                "LL1002",
                "# escape=`\nFROM golang:1.23\nCOPY go.mod go.sum `\n     main.go /src/\nRUN go mod download\n"
            ),
            "# escape=`\nFROM golang:1.23\nCOPY go.mod go.sum /src/\nRUN go mod download\nCOPY main.go /src/\n"
        );
        for text in [
            "FROM python:3\nCOPY requirements.txt setup.py ./\nRUN pip install -r requirements.txt && pip install -e .\n",
            "FROM python:3\nCOPY requirements.txt app.py ./\nRUN python app.py --prep\nRUN pip install -r requirements.txt\n",
            "FROM node:22\nCOPY --from=b package.json index.js ./\nRUN npm ci\n",
        ] {
            for f in findings("LL1002", text) {
                assert!(f.fix.is_none(), "{text}");
            }
        }
    }

    #[test]
    fn guide_real_world_examples_are_clean() {
        for text in [FASTAPI, NEXTJS, GO] {
            assert!(findings("LL1002", text).is_empty());
        }
    }
}
