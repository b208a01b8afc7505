//! WORKDIR instead of `cd`: `RUN cd /src && make` → `WORKDIR /src` + `RUN make`.
//!
//! A `cd` lasts only for its RUN, so later instructions are easy to misread; WORKDIR says
//! where the stage works. Unlike the `cd`, WORKDIR stays in effect for what follows, so the
//! move is only made when that cannot matter:
//!
//! - the RUN starts with `cd /absolute/literal/path &&` (top level, no `cd -` or `$OLDPWD`
//!   later in the RUN);
//! - no later instruction of the stage depends on the working directory before an absolute
//!   WORKDIR resets it: no RUN, no COPY/ADD to a relative destination, no relative WORKDIR,
//!   no ONBUILD; and no stage is built FROM this one.
//!
//! **Safe** when, in addition, the stage's final working directory does not change (a later
//! absolute WORKDIR) or the stage is not part of the final image: WORKDIR only creates the
//! directory when it is missing, where the `cd` would have failed the build. **Unsafe** when
//! the final image's working directory (where CMD runs) becomes the `cd`'s directory.

use crate::fix::{Applicability, Edit};
use crate::instructions::Typed;
use crate::model::{Base, Model};
use crate::shell::Operator;
use crate::text::Span;

use super::engine::{Candidate, Ctx, Proposal, Refusal};
use super::facts::plain_run;
use super::text::{keyword_indent, line_of};
use super::MoveKind;

/// What follows the RUN, as far as its working directory goes.
enum After {
    /// Something later depends on the directory (why).
    Depends(String),
    /// Nothing depends on it and the stage's final directory is reset later.
    Nothing,
    /// Only the stage's final working directory changes.
    FinalDirectory,
}

fn after(model: &Model, i: usize, stage: usize) -> After {
    let ins = &model.stages[stage].instructions;
    let Some(pos) = ins.iter().position(|&k| k == i) else {
        return After::Depends("the RUN is not in its stage".into());
    };
    for &k in &ins[pos + 1..] {
        let line = line_of(model, k);
        match &model.typed[k] {
            Typed::Workdir(w) if w.value.starts_with('/') => return After::Nothing,
            Typed::Workdir(_) => {
                return After::Depends(format!("the relative WORKDIR on line {line} builds on it"))
            }
            Typed::Run(_) => {
                return After::Depends(format!("the RUN on line {line} would run there too"))
            }
            Typed::Copy(c) if !c.dest.value.starts_with('/') => {
                return After::Depends(format!("the COPY on line {line} copies to a relative path"))
            }
            Typed::Add(a) if !a.dest.value.starts_with('/') => {
                return After::Depends(format!("the ADD on line {line} copies to a relative path"))
            }
            Typed::Onbuild(_) => {
                return After::Depends(format!("the ONBUILD on line {line} would run there"))
            }
            _ => {}
        }
    }
    let child = model.stages.iter().any(|s| s.base == Base::Stage(stage));
    if child {
        return After::Depends(
            "another stage is built FROM this one and inherits its WORKDIR".into(),
        );
    }
    After::FinalDirectory
}

/// Whether `stage` is part of the target image.
fn in_final_image(cx: &Ctx, stage: usize) -> bool {
    let mut current = cx.target;
    while let Some(s) = current {
        if s == stage {
            return true;
        }
        current = match cx.model.stages.get(s).map(|x| &x.base) {
            Some(Base::Stage(p)) if *p < s => Some(*p),
            _ => None,
        };
    }
    false
}

pub fn propose(cx: &Ctx) -> Vec<Proposal> {
    let model = cx.model;
    let mut out = Vec::new();
    for (i, typed) in model.typed.iter().enumerate() {
        if !matches!(typed, Typed::Run(_)) {
            continue;
        }
        let Some(part) = plain_run(model, i) else {
            continue;
        };
        let Some(cd) = part.script.commands.first() else {
            continue;
        };
        if !cd.is("cd") || cd.name() != Some("cd") {
            continue;
        }
        let top = cd.subshell_depth == 0
            && !cd.via_shell_c
            && !cd.in_condition
            && !cd.in_loop_or_branch
            && !cd.in_function
            && !cd.in_substitution
            && cd.operator_before.is_none()
            && cd.operator_after == Some(Operator::And)
            && cd.assignments.is_empty()
            && cd.redirects.is_empty();
        let [dir] = cd.args() else {
            continue;
        };
        let plain = dir.value.starts_with('/')
            && !dir.quoted
            && !dir.has_expansion
            && dir
                .value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./+@%,:".contains(c));
        if !top || !plain {
            continue;
        }
        let uses_old = part.text.contains("OLDPWD")
            || part
                .script
                .commands
                .iter()
                .any(|c| c.is("cd") && c.args().iter().any(|w| w.value == "-"));
        let Some(stage) = model.contexts[i].stage else {
            continue;
        };
        let at = model.doc.instructions[i].span;
        let title = format!(
            "WORKDIR {} instead of `cd` on line {}",
            dir.value,
            line_of(model, i)
        );
        let refuse = |reason: String| {
            Err(Refusal {
                kind: MoveKind::Workdir,
                title: title.clone(),
                rules: vec!["DL3003".into()],
                reason,
                at,
            })
        };
        if uses_old {
            out.push(refuse("the RUN goes back to the previous directory".into()));
            continue;
        }
        let (applicability, final_dir) = match after(model, i, stage) {
            After::Depends(why) => {
                out.push(refuse(why));
                continue;
            }
            After::Nothing => (Applicability::Safe, false),
            After::FinalDirectory if !in_final_image(cx, stage) => (Applicability::Safe, false),
            After::FinalDirectory => (Applicability::Unsafe, true),
        };
        // Delete `cd DIR && ` up to the next command.
        let Some(op) = part
            .script
            .operators
            .iter()
            .find(|o| o.range.start >= cd.range.end)
        else {
            continue;
        };
        let rest = part.text.get(op.range.end..).unwrap_or("");
        let skip = rest.len() - rest.trim_start().len();
        let next_start = op.range.end + skip;
        if next_start >= part.text.len() {
            continue;
        }
        let delete = part.span(model, &(cd.range.start..next_start));
        // Continuation characters between `&&` and the next command go too.
        let delete = Span::new(delete.start, source_next_word(model, delete.end));
        let indent = keyword_indent(model, i);
        let line = format!(
            "{}{} {}{}{indent}",
            "",
            cx.style.keyword("WORKDIR"),
            dir.value,
            cx.style.newline
        );
        let keyword_at = model.doc.instructions[i].command.keyword_text.span.start;
        let mut c = Candidate::new(MoveKind::Workdir, applicability, at);
        c.title = title.clone();
        c.moved = format!(
            "`cd {}` moved out of the RUN into a WORKDIR line",
            dir.value
        );
        c.rules = vec!["DL3003".into()];
        c.why = if final_dir {
            format!(
                "A `cd` lasts only for its own RUN; WORKDIR states where the stage works. The \
                 container now also starts in {} (it started in {} before).",
                dir.value, model.contexts[i].workdir
            )
        } else {
            "A `cd` lasts only for its own RUN; WORKDIR states where the stage works, and \
             nothing later in the stage depends on the directory."
                .to_string()
        };
        c.changes_workdir = final_dir;
        c.key = format!("workdir:{}", model.doc.instructions[i].original());
        c.edits = vec![Edit::insert(keyword_at, line), Edit::delete(delete)];
        out.push(Ok(c));
    }
    out
}

/// From a source offset, skips whitespace, escape characters and newlines (a continuation)
/// to the next word.
fn source_next_word(model: &Model, at: usize) -> usize {
    let text = &model.doc.text;
    let escape = model.doc.directives.escape;
    let mut k = at;
    let bytes = text.as_bytes();
    while k < text.len() {
        let c = bytes[k] as char;
        if c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == escape {
            k += 1;
        } else {
            break;
        }
    }
    k
}
