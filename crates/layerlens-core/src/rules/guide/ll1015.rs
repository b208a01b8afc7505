//! LL1015: shell-form commands in a stage whose base has no shell.

use super::g5_fix_util::{has_comment_within, json_string};
use super::g5_util::{
    chain, chain_instructions, copy_like, healthcheck_line, root_of, root_traits, Root,
};
use crate::fix::{Edit, Fix};
use crate::instructions::{CommandLine, Typed};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::shell;
use crate::syntax::Text;

pub static RULE: Rule = Rule {
    code: "LL1015",
    name: "shell-form-without-shell",
    origin: Origin::Layerlens,
    severity: Severity::Error,
    categories: &[Category::Correctness],
    summary: "Shell form runs `/bin/sh -c`, which scratch and distroless images do not have.",
    docs: Docs::new(
        "Flags shell-form RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD in a stage built on an image \
         without a shell: `scratch`, distroless (`gcr.io/distroless/*` except `:debug`), \
         Chainguard static, also through stage aliases. A stage that copies a shell in \
         (`/bin/sh`, busybox) is not flagged.",
        "Shell form means `/bin/sh -c \"<command>\"`. Without `/bin/sh` a RUN fails the build, \
         and a shell-form CMD or ENTRYPOINT builds fine but the container dies at start with \
         `exec: \"/bin/sh\": stat /bin/sh: no such file or directory` - found only at deploy \
         time. A shell-form HEALTHCHECK fails every probe and marks the container unhealthy. \
         Write these in exec form (a JSON array).",
        "FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\n\nFROM scratch\nCOPY --from=build /app /app\nCMD /app\n",
        "FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\n\nFROM scratch\nCOPY --from=build /app /app\nCMD [\"/app\"]\n",
        "Production Optimizations",
    )
    .with_fix_note(
        "Rewrites the command as a JSON array of its words (`CMD /app --serve` becomes \
         `CMD [\"/app\", \"--serve\"]`; a leading `exec` is dropped), when it is one simple \
         command whose words need nothing from a shell: no variables, globs, `~`, \
         redirections, pipes or `&&`. Unsafe: the program is started directly instead of \
         through `/bin/sh -c`, and an ENTRYPOINT in exec form receives CMD's arguments, which \
         shell form ignored; in an image without a shell the old form could not run at all.",
    ),
    fix: crate::rules::Fixability::Unsafe,
    check,
};

/// Whether the stage chain copies a shell in.
fn copies_shell(context: &Context, chain: &[usize]) -> bool {
    chain_instructions(context.model, chain)
        .into_iter()
        .any(|i| {
            copy_like(context, i).is_some_and(|c| {
                let dest = c.dest.value.as_str();
                dest.ends_with("/sh")
                    || dest.ends_with("/bin")
                    || dest.ends_with("/bin/")
                    || dest == "/"
                    || c.paths()
                        .any(|p| p.value.ends_with("/sh") || p.value.contains("busybox"))
                    || c.from.is_some_and(|f| f.contains("busybox"))
            })
        })
}

/// The exec form of a shell-form command line, when its words need no shell.
fn exec_form_fix(context: &Context, i: usize, text: &Text) -> Option<Fix> {
    if !context.instruction(i).heredocs.is_empty()
        || has_comment_within(context.model, i, text.span)
    {
        return None;
    }
    let script = shell::parse_script(&text.value);
    let [cmd] = script.commands.as_slice() else {
        return None;
    };
    if !script.errors.is_empty()
        || !script.operators.is_empty()
        || !script.functions.is_empty()
        || !cmd.assignments.is_empty()
        || !cmd.redirects.is_empty()
        || cmd.subshell_depth > 0
        || cmd.in_condition
        || cmd.in_loop_or_branch
    {
        return None;
    }
    let mut words: Vec<&str> = cmd.words.iter().map(|w| w.value.as_str()).collect();
    if words.first() == Some(&"exec") {
        words.remove(0);
    }
    let plain = cmd
        .words
        .iter()
        .all(|w| !w.has_expansion && !w.value.starts_with('~') && !w.value.is_empty())
        // A backslash means what the shell makes of it: leave those to a person.
        && !text.value.contains('\\');
    let program = *words.first()?;
    if !plain
        || matches!(
            program,
            "cd" | "export" | "set" | "." | "source" | "exec" | "[["
        )
    {
        return None;
    }
    let array = words
        .iter()
        .map(|w| json_string(w))
        .collect::<Vec<_>>()
        .join(", ");
    Some(Fix::unsafe_(
        "Write it in exec form",
        vec![Edit::replace(text.span, format!("[{array}]"))],
    ))
}

fn check(context: &Context, report: &mut Report) {
    for stage in &context.model.stages {
        let Some(traits) = root_traits(context.model, stage.index) else {
            continue;
        };
        if traits.shell != Some(false) {
            continue;
        }
        let stage_chain = chain(context.model, stage.index);
        if copies_shell(context, &stage_chain) {
            continue;
        }
        let base = match root_of(context.model, stage.index) {
            Root::Image(image, _) => format!("`{}`", image.raw),
            Root::Scratch => "`scratch`".to_string(),
            Root::Unknown => continue,
        };
        for &i in &stage.instructions {
            let (line, keyword) = match context.typed(i) {
                Typed::Run(run) => (&run.command, "RUN"),
                Typed::Cmd(line) => (line, "CMD"),
                Typed::Entrypoint(line) => (line, "ENTRYPOINT"),
                t => match healthcheck_line(t) {
                    Some(line) => (line, "HEALTHCHECK CMD"),
                    None => continue,
                },
            };
            if !matches!(line, CommandLine::Shell(_)) {
                continue;
            }
            let CommandLine::Shell(text) = line else {
                continue;
            };
            let outcome = if keyword == "RUN" {
                "the build fails"
            } else if keyword == "HEALTHCHECK CMD" {
                "every health probe fails"
            } else {
                "the container fails to start"
            };
            report
                .add(
                    i,
                    text.span,
                    format!(
                        "{keyword} in shell form needs /bin/sh, which {base} does not have: {outcome}; write it as a JSON array (`[\"/app\", \"--flag\"]`)"
                    ),
                )
                .fix = exec_form_fix(context, i, text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g5_util::test_support::*;

    #[test]
    fn no_shell_bases() {
        let text = "FROM scratch\nCOPY app /app\nCMD /app --serve\n";
        assert_eq!(spans("LL1015", text), ["/app --serve"]);
        let text = "FROM gcr.io/distroless/static-debian12 AS base\nFROM base\nRUN echo hi\nENTRYPOINT /app\nHEALTHCHECK CMD /app -health\n";
        assert_eq!(findings("LL1015", text).len(), 3);
        assert!(findings("LL1015", "FROM gcr.io/distroless/base:debug\nRUN echo hi\n").is_empty());
        assert!(findings(
            "LL1015",
            "FROM scratch\nCOPY --from=busybox:1.36 /bin/busybox /bin/sh\nRUN echo hi\n"
        )
        .is_empty());
        assert!(findings("LL1015", "FROM scratch\nCMD [\"/app\"]\n").is_empty());
        assert!(findings("LL1015", "FROM alpine:3.20\nCMD /app\n").is_empty());
    }

    #[test]
    fn fixes() {
        assert_eq!(
            fixed("LL1015", "FROM scratch\nCOPY app /app\nCMD /app --serve\n"),
            "FROM scratch\nCOPY app /app\nCMD [\"/app\", \"--serve\"]\n"
        );
        assert_eq!(
            fixed(
                "LL1015",
                "FROM gcr.io/distroless/static-debian12\nENTRYPOINT exec /app \\\n    --config \"/etc/app conf\"\nHEALTHCHECK --interval=5s CMD /app -health\n"
            ),
            "FROM gcr.io/distroless/static-debian12\nENTRYPOINT [\"/app\", \"--config\", \"/etc/app conf\"]\nHEALTHCHECK --interval=5s CMD [\"/app\", \"-health\"]\n"
        );
        assert_eq!(
            fixed(
                "LL1015",
                "# escape=`\nFROM scratch\nCMD /app `\n    --dir 'a b'\n"
            ),
            "# escape=`\nFROM scratch\nCMD [\"/app\", \"--dir\", \"a b\"]\n"
        );
        for text in [
            "FROM scratch\nCMD /app --port $PORT\n",
            "FROM scratch\nCMD /app > /log\n",
            "# escape=`\nFROM scratch\nCMD /app C:\\dir\n",
            "FROM scratch\nCMD /migrate && /app\n",
            "FROM scratch\nCMD /app \\\n# the flag\n  --serve\n",
            "FROM scratch\nRUN <<EOF\necho hi\nEOF\n",
        ] {
            let f = findings("LL1015", text);
            assert_eq!(f.len(), 1, "{text}");
            assert!(f[0].fix.is_none(), "{text}");
        }
    }

    #[test]
    fn guide_real_world_examples_are_clean() {
        for text in [FASTAPI, NEXTJS, GO] {
            assert!(findings("LL1015", text).is_empty());
        }
    }
}
