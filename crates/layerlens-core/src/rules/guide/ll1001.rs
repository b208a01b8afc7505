//! LL1001: the whole build context copied before a dependency install that needs only the
//! manifests.

use super::g5_fix_util::{
    blank_line_before, block_start, block_text, is_metadata_only, manifest_only_inputs, Style,
};
use super::g5_util::{copy_like, dep_install, resolve};
use crate::fix::{Edit, Fix};
use crate::instructions::Typed;
use crate::knowledge;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

/// The directory part of an absolute path (`/app/req.txt` → `/app`).
fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) => "/",
        Some(k) => &path[..k],
        None => "",
    }
}

/// A destination that is a directory: ends in `/` (or is `.` for one source).
fn dir_dest(dest: &str, sources: usize) -> String {
    if dest.ends_with('/') || (dest == "." && sources == 1) {
        dest.to_string()
    } else {
        format!("{dest}/")
    }
}

/// `COPY <manifests> <dir>` lines before the `COPY . .` at `copy_at`, and RUN `run_at`
/// moved up between them.
fn fix_for(context: &Context, copy_at: usize, run_at: usize) -> Option<Fix> {
    let model = context.model;
    let Typed::Copy(copy) = context.typed(copy_at) else {
        return None;
    };
    // `COPY . <dest>` of the context, with flags a second COPY can repeat.
    let [crate::instructions::Source::Path(src)] = copy.sources.as_slice() else {
        return None;
    };
    if !matches!(src.value.as_str(), "." | "./")
        || copy.from.is_some()
        || copy.parents
        || !copy.exclude.is_empty()
    {
        return None;
    }
    let between = model.stages[context.stage_of(run_at)?]
        .instructions
        .iter()
        .filter(|&&k| k > copy_at && k < run_at);
    if !between.clone().all(|&k| is_metadata_only(model, k)) {
        return None;
    }
    let inputs = manifest_only_inputs(model, run_at)?;
    let workdir = &model.contexts[run_at].workdir;
    let dest = copy_like(context, copy_at)?.dest_path(model, copy_at);
    let dest = dest.trim_end_matches('/');
    let dest_text = copy.dest.span.slice(&model.doc.text);
    if dest_text.contains(['"', '\'']) {
        return None;
    }
    // Group the inputs by the directory they go to.
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for input in &inputs {
        let path = resolve(workdir, input);
        let rel = if dest.is_empty() || dest == "/" {
            path.strip_prefix('/')
        } else {
            path.strip_prefix(dest).and_then(|r| r.strip_prefix('/'))
        }?;
        let dir = parent(&path);
        let target = if dir.trim_end_matches('/') == dest || (dest.is_empty() && dir == "/") {
            String::new()
        } else if let Some(sub) = dir
            .strip_prefix(workdir.trim_end_matches('/'))
            .and_then(|r| r.strip_prefix('/'))
            .filter(|_| workdir != "/")
        {
            format!("{sub}/")
        } else {
            format!("{dir}/")
        };
        match groups.iter_mut().find(|g| g.0 == target) {
            Some(g) => g.1.push(rel.to_string()),
            None => groups.push((target, vec![rel.to_string()])),
        }
    }
    let style = Style::of(model);
    let keyword = style.keyword("COPY");
    let flags: String = [&copy.chown, &copy.chmod]
        .into_iter()
        .flatten()
        .map(|f| format!(" {}", f.text.span.slice(&model.doc.text)))
        .chain(copy.link.then(|| " --link".to_string()))
        .collect();
    let mut insert = String::new();
    for (target, files) in &groups {
        let to = if target.is_empty() {
            // A glob may match several files: a directory destination then.
            let globbed = files.iter().any(|f| f.contains(['*', '?', '[']));
            dir_dest(dest_text, files.len() + usize::from(globbed))
        } else {
            target.clone()
        };
        insert.push_str(&format!(
            "{keyword}{flags} {} {to}{}",
            files.join(" "),
            style.newline
        ));
    }
    let (run_span, run_text) = block_text(model, run_at, &style)?;
    insert.push_str(&run_text);
    // Keep the blank line that separated the RUN from what came before it.
    let mut removed = run_span;
    if let Some(blank) = blank_line_before(model, run_span.start) {
        removed = blank.cover(run_span);
        insert.push_str(style.newline);
    }
    let names = groups
        .iter()
        .flat_map(|g| g.1.iter().map(|f| format!("`{f}`")))
        .collect::<Vec<_>>()
        .join(", ");
    Some(Fix::unsafe_(
        format!("Copy {names} and install before copying the rest"),
        vec![
            Edit::insert(block_start(model, copy_at), insert),
            Edit::delete(removed),
        ],
    ))
}

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
    )
    .with_fix_note(
        "Moves the install RUN (with its comment lines) above the `COPY . .`, preceded by a \
         new COPY of just the files it reads (`COPY requirements.txt .`, `COPY package*.json \
         ./`, `COPY go.mod go.sum ./`...) with the same --chown/--chmod; the `COPY . .` stays \
         and now follows the install. Only when the RUN does nothing but manifest installs \
         and steps that read no project file, and only metadata instructions stand between \
         the two. Unsafe: a manifest may pull in files the rule cannot see (`-e .` or \
         `-r other.txt` in requirements.txt, an .npmrc, workspaces, `replace` directories \
         in go.mod), and files of the context now land on top of what the install wrote \
         (a local node_modules or .venv not excluded by .dockerignore).",
    ),
    fix: crate::rules::Fixability::Unsafe,
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
                report
                    .add(
                        i,
                        part.command_span(context.model, command),
                        format!(
                            "this install reruns on every code change because `{keyword} .` (line {line}) comes first: copy {names} alone before it, install, then copy the rest"
                        ),
                    )
                    .fix = fix_for(context, copy_at, i);
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
    fn fixes() {
        assert_eq!(
            fixed(
                "LL1001",
                "FROM python:3.13-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nCMD [\"python\", \"app.py\"]\n"
            ),
            "FROM python:3.13-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD [\"python\", \"app.py\"]\n"
        );
        // Comments travel with their instruction; blank lines, flags and casing are kept.
        assert_eq!(
            fixed(
                "LL1001",
                "from node:22\nworkdir /app\n\n# the app\ncopy --chown=node:node . .\n\n# deps\nrun npm ci \\\n    && npm cache clean --force\n\ncmd [\"node\", \"s.js\"]\n"
            ),
            "from node:22\nworkdir /app\n\ncopy --chown=node:node package*.json ./\n# deps\nrun npm ci \\\n    && npm cache clean --force\n\n# the app\ncopy --chown=node:node . .\n\ncmd [\"node\", \"s.js\"]\n"
        );
        // Another destination and a manifest in a subdirectory.
        assert_eq!(
            fixed(
                "LL1001",
                "FROM python:3.13-slim\nCOPY . /srv\nRUN pip install -r /srv/requirements/prod.txt -c /srv/constraints.txt\n"
            ),
            "FROM python:3.13-slim\nCOPY requirements/prod.txt /srv/requirements/\nCOPY constraints.txt /srv/\nRUN pip install -r /srv/requirements/prod.txt -c /srv/constraints.txt\nCOPY . /srv\n"
        );
        assert_eq!(
            fixed(
                "LL1001",
                "# escape=`\nFROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go mod download `\n    && apk add --no-cache git\n"
            ),
            "# escape=`\nFROM golang:1.23\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download `\n    && apk add --no-cache git\nCOPY . .\n"
        );
        for text in [
            // The RUN also builds, or sits after an ENV, or the install needs the project.
            "FROM node:22\nCOPY . .\nRUN npm ci && npm run build\n",
            "FROM python:3\nCOPY . .\nENV PIP_INDEX_URL=x\nRUN pip install -r requirements.txt\n",
            "FROM python:3\nCOPY . .\nRUN poetry install\n",
            "FROM x\nCOPY . .\nRUN composer install\n",
            "FROM x\nADD . /app\nRUN pip install -r /app/requirements.txt\n",
            "FROM x\nCOPY . .\nRUN pip install -r $REQS\n",
            "FROM x\nCOPY . /app\nRUN pip install -r /other/requirements.txt\n",
            // Heredoc and exec-form RUNs are left alone.
            "FROM x\nCOPY . .\nRUN <<EOF\npip install -r requirements.txt\nEOF\n",
            "FROM x\nCOPY . .\nRUN [\"pip\", \"install\", \"-r\", \"requirements.txt\"]\n",
        ] {
            let f = findings("LL1001", text);
            assert_eq!(f.len(), 1, "{text}");
            assert!(f[0].fix.is_none(), "{text}");
        }
    }

    #[test]
    fn guide_real_world_examples_are_clean() {
        for text in [FASTAPI, NEXTJS, GO] {
            assert!(findings("LL1001", text).is_empty());
        }
    }
}
