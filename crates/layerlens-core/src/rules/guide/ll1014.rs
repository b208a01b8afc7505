//! LL1014: the whole build context copied with a `.dockerignore` that lets junk and secrets in.

use super::g5_util::copy_like;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "LL1014",
    name: "dockerignore-for-context-copy",
    origin: Origin::Layerlens,
    severity: Severity::Warning,
    categories: &[Category::Size, Category::Security, Category::Cache],
    summary: "`COPY . .` copies whatever the .dockerignore lets through: .git, .env, node_modules...",
    docs: Docs {
        what: "When the `.dockerignore` is known, flags `COPY . …`/`ADD . …` (the whole build \
               context) if the file is empty or does not exclude `.git`, `.env`, \
               `node_modules`, `__pycache__`, `.venv` or `*.log`. Without a known \
               `.dockerignore` it says nothing (the file may exist).",
        why: "Everything the context holds is sent to the builder and copied: `.git` alone is \
              often tens to hundreds of MB, a local `node_modules` or `.venv` can be larger and \
              built for the wrong platform, and `.env` puts credentials into a layer anyone can \
              read. Any change to these files (every commit changes `.git`) also misses the \
              cache of the COPY and rebuilds everything after it.",
        bad: "FROM python:3.13-slim\nWORKDIR /app\nCOPY . .\nCMD [\"python\", \"app.py\"]\n",
        good: "FROM python:3.13-slim\nWORKDIR /app\nCOPY src/ ./src/\nCMD [\"python\", \"src/app.py\"]\n",
        guide: "Image Size Optimization",
        example_config: None,
        example_dockerignore: Some("__pycache__/\n*.pyc\n"),
        fix_note: "",
    },
    // No fix: the remedy is a .dockerignore file, not an edit of the Dockerfile.
    fix: crate::rules::Fixability::None,
    check,
};

/// Paths that should stay out of the context, with a sample path to test each with.
const UNWANTED: [(&str, &str); 6] = [
    (".git", ".git/HEAD"),
    (".env", ".env"),
    ("node_modules", "node_modules/x/index.js"),
    ("__pycache__", "__pycache__/app.cpython-313.pyc"),
    (".venv", ".venv/bin/python"),
    ("*.log", "debug.log"),
];

fn check(context: &Context, report: &mut Report) {
    let Some(ignore) = context.dockerignore else {
        return;
    };
    let let_in: Vec<&str> = UNWANTED
        .iter()
        .filter(|(_, sample)| !ignore.excludes(sample))
        .map(|(name, _)| *name)
        .collect();
    if let_in.is_empty() {
        return;
    }
    let empty = ignore.patterns.is_empty();
    for i in 0..context.len() {
        let Some(copy) = copy_like(context, i) else {
            continue;
        };
        if !copy.copies_whole_context() {
            continue;
        }
        let Some(src) = copy
            .paths()
            .find(|p| super::g5_util::is_whole_context(&p.value))
        else {
            continue;
        };
        let message = if empty {
            format!(
                "the .dockerignore is empty, so `{} {}` copies the whole directory, `.git` and any `.env` included: list at least .git, .env*, node_modules, __pycache__, .venv and *.log",
                copy.keyword, src.value
            )
        } else {
            let names = let_in
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            format!(
                "the .dockerignore does not exclude {names}, so `{} {}` copies them into the image if they exist: add them to .dockerignore",
                copy.keyword, src.value
            )
        };
        report.add(i, src.span, message);
    }
}

#[cfg(test)]
mod tests {
    use super::super::g5_util::test_support::*;
    use crate::rules::Config;

    #[test]
    fn dockerignore() {
        let text = "FROM python:3.13-slim\nCOPY . /app\n";
        // Unknown .dockerignore: silent.
        assert!(findings("LL1014", text).is_empty());
        let f = findings_with("LL1014", text, &Config::default(), Some(""));
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("empty"));
        let f = findings_with(
            "LL1014",
            text,
            &Config::default(),
            Some("node_modules\n.git\n"),
        );
        assert!(
            f[0].message
                .contains("`.env`, `__pycache__`, `.venv`, `*.log`"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].span.slice(text), ".");
        let full = "__pycache__/\n*.pyc\n.git/\n.env\n.venv/\nnode_modules/\n*.log\n";
        assert!(findings_with("LL1014", text, &Config::default(), Some(full)).is_empty());
        // Named sources and COPY --from are not the context.
        assert!(findings_with(
            "LL1014",
            "FROM x\nCOPY src/ /app/\nCOPY --from=b . /app\n",
            &Config::default(),
            Some("")
        )
        .is_empty());
    }

    #[test]
    fn guide_forgetting_dockerignore() {
        // The guide's own .dockerignore covers everything the rule asks for.
        let guide = "__pycache__/\n*.pyc\n*.pyo\n*.pyd\n.git/\n.gitignore\n.env\n.venv/\nnode_modules/\ntests/\n*.md\n.vscode/\n.idea/\n*.log\n.DS_Store\n";
        let text = "FROM python:3.13-slim\nCOPY . /app\n";
        assert!(findings_with("LL1014", text, &Config::default(), Some(guide)).is_empty());
        for text in [FASTAPI, NEXTJS, GO] {
            assert!(findings("LL1014", text).is_empty());
            assert!(findings_with("LL1014", text, &Config::default(), Some(guide)).is_empty());
        }
    }
}
