//! CopyIgnoredFile: COPY/ADD of a path the `.dockerignore` excludes (BuildKit's check).

use crate::dockerignore::{glob_match, Dockerignore, Pattern};
use crate::instructions::{Source, Typed};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "CopyIgnoredFile",
    name: "copy-ignored-file",
    origin: Origin::Buildkit,
    severity: Severity::Warning,
    categories: &[Category::Correctness],
    summary: "The file is not in the build context, so the COPY fails or copies nothing.",
    docs: Docs {
        what: "Flags a local source of COPY (without `--from`) or ADD that the `.dockerignore` \
               excludes, after ARG/ENV expansion: the path itself or one of its parent \
               directories matches an ignore pattern, and no later `!` pattern can bring it (or \
               something below it) back. `COPY . ...` is flagged only when a pattern ignores \
               everything (`*`, `**`, `**/*`). Runs only when a `.dockerignore` is given.",
        why: "Files matched by `.dockerignore` are never sent to the builder. A COPY of such a \
              path fails with `not found` (a confusing error when the file is right there on \
              disk), and a wildcard COPY silently copies nothing, so the image ships without \
              its config or assets. Either the ignore pattern is too broad or the COPY is stale; \
              the warning points at the conflict before the build does.",
        bad: "FROM alpine:3.20\nCOPY ./tmp/helloworld.txt /helloworld.txt\n",
        good: "FROM alpine:3.20\nCOPY ./data/helloworld.txt /helloworld.txt\n",
        guide: "Layer Caching Strategy",
        example_config: None,
        example_dockerignore: Some("tmp/\n*.log\n"),
        fix_note: "",
    },
    // No fix: editing .dockerignore or the COPY is the author's call.
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    let Some(ignore) = context.dockerignore else {
        return;
    };
    if ignore.patterns.is_empty() {
        return;
    }
    for i in 0..context.len() {
        let (sources, verb) = match context.typed(i) {
            Typed::Copy(copy) if copy.from.is_none() => (&copy.sources, "COPY"),
            Typed::Add(add) => (&add.sources, "ADD"),
            _ => continue,
        };
        for source in sources {
            let Source::Path(text) = source else { continue };
            let value = context
                .model
                .expand(i, &text.value)
                .unwrap_or_else(|_| text.value.clone());
            if is_remote(&value) {
                continue;
            }
            let path = clean(&value);
            let Some(pattern) = excluded_by(ignore, &path) else {
                continue;
            };
            let shown = if path.is_empty() { "." } else { path.as_str() };
            report.add(
                i,
                text.span,
                format!(
                    "`{shown}` is excluded by the .dockerignore pattern `{}` (line {}), so this {verb} has nothing to copy; narrow the pattern or add `!{shown}`",
                    pattern.text, pattern.line
                ),
            );
        }
    }
}

/// URLs and git sources are fetched, not read from the context.
fn is_remote(source: &str) -> bool {
    source.contains("://") || source.starts_with("git@")
}

/// `filepath.Clean`, relative to the context root (`./a/../b/` → `b`, `.` and `/` → ``).
fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// The pattern that leaves `path` out of the context, if nothing can bring it back.
fn excluded_by<'a>(ignore: &'a Dockerignore, path: &str) -> Option<&'a Pattern> {
    if path.is_empty() {
        // The context root: only a pattern that ignores every entry empties it.
        let (index, pattern) = ignore
            .patterns
            .iter()
            .enumerate()
            .rev()
            .find(|(_, p)| !p.exclusion && matches!(p.text.as_str(), "*" | "**" | "**/*"))?;
        let reincluded = ignore.patterns[index + 1..].iter().any(|p| p.exclusion);
        return (!reincluded).then_some(pattern);
    }
    if !ignore.excludes(path) {
        return None;
    }
    let index = ignore
        .patterns
        .iter()
        .rposition(|p| !p.exclusion && p.text != "." && matches_or_parent(&p.text, path))?;
    // A later `!pattern` that can match something below `path` means the COPY still has
    // content (BuildKit keeps quiet then).
    let reincluded = ignore.patterns[index + 1..]
        .iter()
        .any(|p| p.exclusion && may_match_below(&p.text, path));
    (!reincluded).then(|| &ignore.patterns[index])
}

fn matches_or_parent(pattern: &str, path: &str) -> bool {
    let mut candidate = path;
    loop {
        if glob_match(pattern, candidate) {
            return true;
        }
        match candidate.rfind('/') {
            Some(i) => candidate = &candidate[..i],
            None => return false,
        }
    }
}

/// Whether `pattern` can match `path` or a path inside it.
fn may_match_below(pattern: &str, path: &str) -> bool {
    let pattern_parts: Vec<&str> = pattern.split('/').collect();
    let path_parts: Vec<&str> = path.split('/').collect();
    for (k, part) in pattern_parts.iter().enumerate() {
        if *part == "**" {
            return true;
        }
        let Some(segment) = path_parts.get(k) else {
            // The pattern goes deeper than `path`: something below it.
            return true;
        };
        let wildcard = segment.contains(['*', '?', '[']);
        if !(glob_match(part, segment) || wildcard && glob_match(segment, part)) {
            return false;
        }
    }
    pattern_parts.len() >= path_parts.len()
}

#[cfg(test)]
mod tests {
    use super::super::g4_util::findings_with;

    const CODE: &str = "CopyIgnoredFile";

    fn lines(text: &str, ignore: &str) -> Vec<usize> {
        findings_with(text, CODE, Some(ignore))
            .into_iter()
            .map(|(l, _)| l)
            .collect()
    }

    #[test]
    fn buildkit_cases() {
        let text = "\nFROM scratch\nCOPY Dockerfile .\nADD Dockerfile /windy\n";
        assert_eq!(lines(text, "\nDockerfile\n"), vec![3, 4]);
        let f = findings_with(text, CODE, Some("\nDockerfile\n"));
        assert!(f[1].1.contains("this ADD"), "{f:?}");
        let text = "# check=skip=CopyIgnoredFile\n\nFROM scratch\nCOPY Dockerfile .\nADD Dockerfile /windy\n";
        assert!(lines(text, "\nDockerfile\n").is_empty());
        let text = "\nFROM scratch AS base\nCOPY Dockerfile /foobar\nADD Dockerfile /windy\n\nFROM base\nCOPY --from=base /foobar /Dockerfile\n";
        assert!(lines(text, "\nfoobar\n").is_empty());
        assert!(lines(
            "\nFROM scratch\nCOPY ./Dockerfile .\n",
            "\n**\n!Dockerfile\n"
        )
        .is_empty());
        assert!(lines("\nFROM scratch\nCOPY . .\n\t", "\n**\n!Dockerfile\n").is_empty());
    }

    #[test]
    fn context_root() {
        let text = "\nFROM scratch\nCOPY . .\n";
        assert!(lines(text, "\n.*\n").is_empty());
        assert_eq!(lines(text, "\n*\n"), vec![3]);
    }

    #[test]
    fn negations() {
        let text = "\nFROM scratch\nCOPY sub/a.txt /\n";
        for ignore in [
            "sub\n!sub/b.txt\n",
            "sub\n!other.txt\n",
            "sub\n!nope/missing.txt\n",
            "!sub/b.txt\nsub\n",
        ] {
            assert_eq!(lines(text, ignore), vec![3], "{ignore}");
        }
        for copy in [
            "COPY sub /sub",
            "COPY . /ctx",
            "COPY sub/a.txt /",
            "COPY sub/*.txt /",
        ] {
            let text = format!("\nFROM scratch\n{copy}\n");
            assert!(lines(&text, "sub\n!sub/a.txt\n").is_empty(), "{copy}");
        }
        assert!(lines(
            "\nFROM scratch\nCOPY su.b /sub\n",
            "su.b\n!su\\.b/keep.txt\n"
        )
        .is_empty());
    }

    #[test]
    fn the_docs_pattern_and_expansion() {
        let ignore = "*/tmp/*\n";
        assert_eq!(
            lines("FROM scratch\nCOPY ./tmp/x.txt /x\n", ignore),
            Vec::<usize>::new()
        );
        assert_eq!(
            lines("FROM scratch\nCOPY app/tmp/x.txt /x\n", ignore),
            vec![2]
        );
        assert_eq!(
            lines("FROM scratch\nARG D=app\nCOPY $D/tmp/x.txt /x\n", ignore),
            vec![3]
        );
        // Remote sources and other stages are not read from the context.
        assert!(lines("FROM scratch\nADD https://example.com/tmp/x /x\n", "**\n").is_empty());
        // No .dockerignore, no check.
        assert!(findings_with("FROM scratch\nCOPY x /x\n", CODE, None).is_empty());
    }
}
