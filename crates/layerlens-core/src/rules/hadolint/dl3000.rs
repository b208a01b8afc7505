//! DL3000: relative WORKDIR.

use super::g1_util::{expand_at, strip_quotes, Expanded};
use crate::instructions::Typed;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3000",
    name: "absolute-workdir",
    origin: Origin::Hadolint,
    severity: Severity::Error,
    categories: &[Category::Correctness, Category::Maintainability],
    summary: "A relative WORKDIR depends on every WORKDIR before it, and on the base image's.",
    docs: Docs::new(
        "Flags a WORKDIR whose path (after ARG/ENV expansion, when the values are known) is \
         relative. Paths starting with `/`, Windows drive paths (`C:\\`) and values that come \
         from variables set outside the Dockerfile are accepted.",
        "A relative WORKDIR is joined to the current one, which may have been set by the base \
         image (`node` sets none, `python` sets none, many vendor images set `/app` or `/opt/...`). \
         The same line then puts files in different places depending on the base tag or on an \
         earlier WORKDIR someone adds later, and COPY/RUN paths silently miss. An absolute path \
         means one directory, whatever came before.",
        "FROM node:22-slim\nWORKDIR app\nCOPY package.json ./\n",
        "FROM node:22-slim\nWORKDIR /app\nCOPY package.json ./\n",
        "Common Anti-Patterns",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Typed::Workdir(path) = context.typed(i) else {
            continue;
        };
        let written = path.value.as_str();
        let value = if written.contains('$') {
            match expand_at(context.model, i, written) {
                Expanded::Known(v) => v,
                Expanded::Unknown => continue,
            }
        } else {
            strip_quotes(written).to_string()
        };
        if value.is_empty() || is_absolute(&value) {
            continue;
        }
        report.add(
            i,
            path.span,
            format!(
                "`{value}` is resolved against the WORKDIR in effect (possibly the base image's): write the absolute path, e.g. `/{}`",
                value.trim_start_matches("./")
            ),
        );
    }
}

/// `/x`, or a Windows drive path (`C:\x`, `C:/x`, `C:`).
fn is_absolute(path: &str) -> bool {
    let mut chars = path.chars();
    path.starts_with('/')
        || (chars.next().is_some_and(|c| c.is_ascii_alphabetic()) && chars.next() == Some(':'))
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::{count, spans};

    #[test]
    fn relative_paths() {
        assert_eq!(spans("DL3000", "FROM a:1\nWORKDIR app\n"), ["app"]);
        assert_eq!(count("DL3000", "FROM a:1\nWORKDIR /app\n"), 0);
        assert_eq!(count("DL3000", "FROM a:1\nWORKDIR 'app'\n"), 1);
        assert_eq!(count("DL3000", "FROM a:1\nWORKDIR C:\\\\app\n"), 0);
        // A one-letter relative path must not crash (hadolint's index bug).
        assert_eq!(count("DL3000", "FROM a:1\nWORKDIR a\n"), 1);
    }

    #[test]
    fn variables() {
        // Unknown values (base image ENV, --build-arg) are trusted.
        assert_eq!(count("DL3000", "FROM a:1\nWORKDIR $HOME/app\n"), 0);
        assert_eq!(count("DL3000", "FROM a:1\nARG DIR\nWORKDIR ${DIR}\n"), 0);
        // Known values are checked.
        assert_eq!(
            count("DL3000", "FROM a:1\nARG DIR=app\nWORKDIR ${DIR}\n"),
            1
        );
        assert_eq!(
            count("DL3000", "FROM a:1\nENV DIR=/srv\nWORKDIR $DIR/app\n"),
            0
        );
    }
}
