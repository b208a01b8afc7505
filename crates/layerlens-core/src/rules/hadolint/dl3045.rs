//! DL3045: COPY to a relative destination before any WORKDIR.

use super::g3_util::unquote;
use crate::instructions::Typed;
use crate::model::Base;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3045",
    name: "copy-relative-without-workdir",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Correctness, Category::Maintainability],
    summary:
        "A relative COPY destination depends on the base image's WORKDIR unless this file sets one.",
    docs: Docs::new(
        "Flags a `COPY` whose destination is relative (not `/…`, not a Windows drive path such \
         as `C:\\…`, not starting with a variable) in a stage where no WORKDIR has been set — \
         neither in the stage itself nor in the stage it is built FROM (followed through \
         stage aliases).",
        "A relative destination is resolved against the working directory the base image \
         happens to define. With `FROM node` that is `/`, with another tag it may be \
         `/usr/src/app`: the files land somewhere else when the base image changes, and the \
         CMD that expects them fails at run time. An explicit WORKDIR makes the destination \
         part of this Dockerfile, costing one line.",
        "FROM python:3.13-slim\nCOPY app.py app/\n",
        "FROM python:3.13-slim\nWORKDIR /srv\nCOPY app.py app/\n",
        "Production Optimizations",
    ),
    // No fix: which absolute destination (or WORKDIR) was meant is the author's call.
    fix: crate::rules::Fixability::None,
    check,
};

/// `/x`, `C:\x`, `c:/x`.
fn is_absolute(dest: &str) -> bool {
    if dest.starts_with('/') {
        return true;
    }
    let mut chars = dest.chars();
    matches!(
        (chars.next(), chars.next(), chars.next()),
        (Some(d), Some(':'), Some('\\' | '/')) if d.is_ascii_alphabetic()
    )
}

fn check(context: &Context, report: &mut Report) {
    let stages = &context.model.stages;
    // Per stage: whether a WORKDIR is in effect at its end.
    let mut workdir_set = vec![false; stages.len()];
    // WORKDIR before the first FROM (not valid Docker, but hadolint tracks it).
    let mut global_workdir = false;
    for i in 0..context.len() {
        let stage = context.stage_of(i);
        match context.typed(i) {
            Typed::From(_) => {
                if let Some(s) = stage {
                    let inherited = match stages.get(s).map(|st| &st.base) {
                        Some(Base::Stage(parent)) => {
                            workdir_set.get(*parent).copied().unwrap_or(false)
                        }
                        _ => false,
                    };
                    if let Some(slot) = workdir_set.get_mut(s) {
                        *slot = inherited;
                    }
                }
            }
            Typed::Workdir(_) => match stage {
                Some(s) => {
                    if let Some(slot) = workdir_set.get_mut(s) {
                        *slot = true;
                    }
                }
                None => global_workdir = true,
            },
            Typed::Copy(copy) => {
                let set = match stage {
                    Some(s) => workdir_set.get(s).copied().unwrap_or(false),
                    None => global_workdir,
                };
                let dest = unquote(&copy.dest.value);
                if set || is_absolute(dest) || dest.starts_with('$') {
                    continue;
                }
                report.add(
                    i,
                    copy.dest.span,
                    format!(
                        "`{dest}` is relative to whatever WORKDIR the base image sets; add a \
                         WORKDIR before this COPY or use an absolute destination"
                    ),
                );
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Model;
    use crate::rules::{lint, Config, LintOptions};

    fn count(text: &str) -> usize {
        let options = LintOptions {
            keep_off_by_default: true,
        };
        lint(&Model::parse(text), &Config::default(), None, &options)
            .iter()
            .filter(|f| f.code == "DL3045")
            .count()
    }

    #[test]
    fn stages_track_their_own_workdir() {
        // Two unnamed stages of one image do not share WORKDIR state.
        assert_eq!(count("FROM debian\nWORKDIR /a\nFROM debian\nCOPY a b\n"), 1);
        // Stage names are case-insensitive.
        assert_eq!(
            count("FROM debian AS Base\nWORKDIR /a\nFROM base\nCOPY a b\n"),
            0
        );
        assert_eq!(count("FROM debian\nONBUILD COPY a b\n"), 0);
        assert_eq!(count("FROM debian\nCOPY [\"a\", \"b\"]\n"), 1);
        assert_eq!(count("FROM debian\nCOPY a /b\n"), 0);
    }
}
