//! DL3003: `cd` inside RUN instead of WORKDIR.

use super::g1_util::{delete_with_operator, line_before};
use crate::fix::Fix;
use crate::rules::{
    Category, Context, Docs, Fixability, Origin, Report, Rule, RunAnalysis, ScriptPart, Severity,
};
use crate::shell::Command;

pub static RULE: Rule = Rule {
    code: "DL3003",
    name: "use-workdir",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Maintainability],
    summary: "A `cd` lasts only for its own RUN; WORKDIR sets the directory for every later instruction.",
    docs: Docs::new(
        "Flags a `cd` command anywhere in a RUN (also in subshells, `$( )` and `sh -c` strings).",
        "Each RUN starts a fresh shell in the current WORKDIR, so a `cd` silently stops applying at \
         the next instruction. Chains like `cd /src && make && cd - && ...` hide where files land \
         and break as soon as someone splits the RUN. WORKDIR is explicit, survives across \
         instructions, creates the directory when missing and shows up in the image history.",
        "FROM alpine:3.20\nRUN cd /usr/src/app && make\n",
        "FROM alpine:3.20\nWORKDIR /usr/src/app\nRUN make\n",
        "Production Optimizations",
    )
    .with_fix_note(
        "When the RUN starts with `cd /absolute/path &&` (or `;`), moves it into a WORKDIR \
         line above the RUN, written in the file's casing: `RUN cd /src && make` becomes \
         `WORKDIR /src` + `RUN make`. Other `cd`s are left for a person. Unsafe: unlike the \
         `cd`, WORKDIR stays in effect for every later instruction of the stage, including \
         COPY destinations and the container's CMD, and it creates the directory when it is \
         missing; review relative paths after it.",
    ),
    fix: Fixability::Unsafe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        // hadolint ignores ONBUILD triggers for this rule; so do we (the trigger runs in a
        // child build whose WORKDIR we cannot see).
        if context.typed_effective(i).1 {
            continue;
        }
        for (at, (command, part)) in run.commands().enumerate() {
            if !command.is("cd") {
                continue;
            }
            let span = part.command_span(context.model, command);
            let fix = if at == 0 {
                workdir_instead(context, i, run, part, command)
            } else {
                None
            };
            report
                .add(
                    i,
                    span,
                    "`cd` here only lasts for this RUN; set the directory with WORKDIR instead",
                )
                .fix = fix;
        }
    }
}

/// The fix for a RUN whose first command is `cd /path` followed by `&&` or `;`: a WORKDIR
/// line above the RUN, and the `cd` removed from it.
fn workdir_instead(
    context: &Context,
    i: usize,
    run: &RunAnalysis,
    part: &ScriptPart,
    cd: &Command,
) -> Option<Fix> {
    let top_level = cd.subshell_depth == 0
        && !cd.via_shell_c
        && !cd.in_condition
        && !cd.in_loop_or_branch
        && !cd.in_function
        && !cd.in_substitution
        && cd.operator_before.is_none()
        && cd.assignments.is_empty()
        && cd.redirects.is_empty();
    let [dir] = cd.args() else {
        return None;
    };
    let plain = dir.value.starts_with('/')
        && !dir.quoted
        && !dir.has_expansion
        && dir
            .value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./+@%,:".contains(c));
    // `cd -` and `$OLDPWD` later in the RUN need the directory the `cd` left.
    let uses_old_dir = run.full_text().contains("OLDPWD")
        || run
            .commands()
            .any(|(c, _)| c.is("cd") && c.args().iter().any(|w| w.value == "-"));
    if !top_level || !plain || uses_old_dir {
        return None;
    }
    let delete = delete_with_operator(context, i, part, cd)?;
    let insert = line_before(context, i, &format!("WORKDIR {}", dir.value))?;
    Some(Fix::unsafe_(
        format!("Move `cd {}` into a WORKDIR", dir.value),
        vec![insert, delete],
    ))
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::{count, fix_count, fixed};

    const CODE: &str = "DL3003";

    #[test]
    fn cd_anywhere_but_onbuild() {
        assert_eq!(count(CODE, "FROM a:1\nRUN make && (cd /x && make)\n"), 1);
        assert_eq!(count(CODE, "FROM a:1\nRUN sh -c 'cd /x'\n"), 1);
        assert_eq!(count(CODE, "FROM a:1\nONBUILD RUN cd /x && make\n"), 0);
    }

    #[test]
    fn fix_moves_a_leading_cd_into_workdir() {
        assert_eq!(
            fixed(CODE, "FROM a:1\nRUN cd /usr/src/app && make\n"),
            "FROM a:1\nWORKDIR /usr/src/app\nRUN make\n"
        );
        // The file's casing and indentation, flags kept on the RUN, a continuation joined.
        assert_eq!(
            fixed(
                CODE,
                "from a:1\n  run --mount=type=cache,target=/c cd /x && \\\n    make install\n"
            ),
            "from a:1\n  workdir /x\n  run --mount=type=cache,target=/c make install\n"
        );
        assert_eq!(
            fixed(CODE, "# escape=`\nFROM a:1\nRUN cd /src; `\n    make\n"),
            "# escape=`\nFROM a:1\nWORKDIR /src\nRUN make\n"
        );
        let found =
            super::super::g1_util::test_util::findings(CODE, "FROM a:1\nRUN cd /x && make\n");
        assert_eq!(
            found[0].fix.as_ref().map(|f| f.applicability),
            Some(crate::fix::Applicability::Unsafe)
        );
    }

    #[test]
    fn no_fix_for_other_cds() {
        for body in [
            "cd /x",
            "make && cd /x && make",
            "cd src && make",
            "cd $HOME && make",
            "cd /x || exit 1",
            "cd /x && make && cd - && ls",
            "(cd /x && make)",
            "sh -c 'cd /x && make'",
            "cd /x && \\\n# note\n    make",
            "<<EOF\ncd /x\nmake\nEOF",
        ] {
            let text = format!("FROM a:1\nRUN {body}\n");
            assert_eq!(fix_count(CODE, &text), 0, "{body}");
        }
    }
}
