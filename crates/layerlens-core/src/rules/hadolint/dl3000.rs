//! DL3000: relative WORKDIR.

use super::g1_util::{expand_at, strip_quotes, Expanded};
use crate::fix::{Edit, Fix};
use crate::instructions::Typed;
use crate::model::{join_path, Base};
use crate::rules::{Category, Context, Docs, Fixability, Origin, Report, Rule, Severity};
use crate::syntax::Text;

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
    )
    .with_fix_note(
        "Writes the path the WORKDIR resolves to: the current working directory joined with \
         the relative path (`WORKDIR app` after `WORKDIR /srv` becomes `WORKDIR /srv/app`; \
         variables are kept). Safe when an earlier absolute WORKDIR of the stage, of a stage \
         it is built on, or `FROM scratch` fixes the current directory: the path is then the \
         same one. Unsafe otherwise, because the current directory comes from the base image, \
         which this file does not show: the fix assumes `/`, and an image that sets its own \
         WORKDIR (`/go`, `/usr/src/app`...) would put the directory elsewhere than before.",
    ),
    fix: Fixability::Unsafe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    let mut known: Option<Vec<bool>> = None;
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
        let known = known.get_or_insert_with(|| known_workdirs(context));
        let fix = absolute(context, i, path, known.get(i).copied().unwrap_or(false));
        report
            .add(
                i,
                path.span,
                format!(
                    "`{value}` is resolved against the WORKDIR in effect (possibly the base image's): write the absolute path, e.g. `/{}`",
                    value.trim_start_matches("./")
                ),
            )
            .fix = fix;
    }
}

/// For each instruction: whether the working directory in effect is known from this file
/// (an earlier absolute WORKDIR in the stage or the stages it is built on, or `scratch`)
/// rather than inherited from a base image.
fn known_workdirs(context: &Context) -> Vec<bool> {
    let model = context.model;
    let mut out = vec![false; context.len()];
    let mut stage_known = vec![false; model.stages.len()];
    let mut current = false;
    for (i, slot) in out.iter_mut().enumerate() {
        match context.typed(i) {
            Typed::From(_) => {
                let base = context
                    .stage_of(i)
                    .and_then(|s| model.stages.get(s))
                    .map(|s| &s.base);
                current = match base {
                    Some(Base::Scratch) => true,
                    Some(Base::Stage(p)) => stage_known.get(*p).copied().unwrap_or(false),
                    _ => false,
                };
            }
            Typed::Workdir(path) => {
                *slot = current;
                if let Expanded::Known(v) = expand_at(model, i, &path.value) {
                    current |= is_absolute(&v);
                } else {
                    current = false;
                }
            }
            _ => *slot = current,
        }
        if let Some(k) = context.stage_of(i).and_then(|s| stage_known.get_mut(s)) {
            *k = current;
        }
    }
    out
}

/// The fix: the absolute path this WORKDIR resolves to, written in place of the relative
/// one. Safe when the current directory is `known`, unsafe when it assumes the base
/// image's is `/`.
fn absolute(context: &Context, i: usize, path: &Text, known: bool) -> Option<Fix> {
    let current = context.model.contexts.get(i)?.workdir.as_str();
    let written = context.model.doc.text.get(path.span.start..path.span.end)?;
    if written != path.value || !current.starts_with('/') {
        return None;
    }
    let quote = written
        .chars()
        .next()
        .filter(|&q| (q == '"' || q == '\'') && written.len() >= 2 && written.ends_with(q));
    let inner = match quote {
        Some(_) => &written[1..written.len() - 1],
        None => written,
    };
    if inner.contains(['\\', '`', '\'', '"', ' ']) {
        return None;
    }
    let resolved = if inner.contains('$') {
        // Keep the variables: prefix the current directory.
        let rest = inner.trim_start_matches("./");
        format!("{}/{rest}", current.trim_end_matches('/'))
    } else {
        join_path(current, inner)
    };
    let q = quote.map(String::from).unwrap_or_default();
    let edit = Edit::replace(path.span, format!("{q}{resolved}{q}"));
    let title = format!("Write the absolute path `{resolved}`");
    Some(if known {
        Fix::safe(title, vec![edit])
    } else {
        Fix::unsafe_(title, vec![edit])
    })
}

/// `/x`, or a Windows drive path (`C:\x`, `C:/x`, `C:`).
fn is_absolute(path: &str) -> bool {
    let mut chars = path.chars();
    path.starts_with('/')
        || (chars.next().is_some_and(|c| c.is_ascii_alphabetic()) && chars.next() == Some(':'))
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::{count, fix_count, fixed, fixed_safe, spans};

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

    #[test]
    fn fix_writes_the_resolved_path() {
        // Known current directory: safe.
        let text = "FROM a:1\nWORKDIR /srv\nWORKDIR app\nWORKDIR './x/y'\nWORKDIR ../z\nARG D=q\nWORKDIR $D\n";
        assert_eq!(
            fixed_safe("DL3000", text),
            "FROM a:1\nWORKDIR /srv\nWORKDIR /srv/app\nWORKDIR '/srv/app/x/y'\nWORKDIR /srv/app/x/z\nARG D=q\nWORKDIR /srv/app/x/z/$D\n"
        );
        assert_eq!(
            fixed_safe("DL3000", "FROM scratch\nWORKDIR app\n"),
            "FROM scratch\nWORKDIR /app\n"
        );
        // Known through the stage it is built on.
        let text = "FROM a:1 AS base\nWORKDIR /opt\nFROM base\nworkdir app\n";
        assert_eq!(
            fixed_safe("DL3000", text),
            "FROM a:1 AS base\nWORKDIR /opt\nFROM base\nworkdir /opt/app\n"
        );
    }

    #[test]
    fn fix_is_unsafe_when_the_base_image_decides() {
        let text = "FROM node:22-slim\nWORKDIR app\n";
        assert_eq!(fixed_safe("DL3000", text), text);
        assert_eq!(fixed("DL3000", text), "FROM node:22-slim\nWORKDIR /app\n");
        // A WORKDIR from an unknown variable keeps the directory unknown.
        let text = "FROM a:1\nARG BASE\nWORKDIR /$BASE\nWORKDIR app\n";
        assert_eq!(fixed_safe("DL3000", text), text);
        // Text that is not the plain value is left alone.
        assert_eq!(fix_count("DL3000", "FROM a:1\nWORKDIR my\\ app\n"), 0);
    }
}
