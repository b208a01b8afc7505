//! LL1021: CMD/ENTRYPOINT in exec form that wraps the program in `sh -c` without `exec`.

use super::g5_fix_util::is_plain_list_element;
use super::g5_util::{chain_instructions, final_chain};
use crate::fix::{Edit, Fix};
use crate::instructions::{CommandLine, Typed};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::shell::{self, Script};
use crate::syntax::Text;

pub static RULE: Rule = Rule {
    code: "LL1021",
    name: "exec-in-shell-wrapper",
    origin: Origin::Layerlens,
    severity: Severity::Warning,
    categories: &[Category::Production],
    summary: "Behind `sh -c` the shell is PID 1 and the program may never see SIGTERM.",
    docs: Docs::new(
        "Flags CMD and ENTRYPOINT of the final image written as JSON arrays that start a shell \
         with `-c` (`[\"sh\", \"-c\", \"python app.py\"]`) when the script does not `exec` \
         its program.",
        "The JSON form was meant to make the program PID 1, but `sh -c` puts a shell there \
         instead. The shell does not pass SIGTERM on, so `docker stop` waits the full 10-second \
         grace period and then kills the program without a clean shutdown (dropped requests, \
         unflushed writes), on every deploy and scale-down. Whether a shell replaces itself \
         with a lone command depends on the shell and its version; `exec` makes it certain.",
        "FROM python:3.13-slim\nUSER nobody\nCMD [\"sh\", \"-c\", \"python app.py --port $PORT\"]\n",
        "FROM python:3.13-slim\nUSER nobody\nCMD [\"sh\", \"-c\", \"exec python app.py --port $PORT\"]\n",
        "Production Optimizations",
    )
    .with_fix_note(
        "Puts `exec ` in front of the script's last command, so the shell replaces itself \
         with the program, which becomes PID 1 and receives SIGTERM. Unsafe: the shell is \
         gone once the program starts, so anything the script meant to do after it (traps, \
         cleanup) no longer runs, and the program's own signal handling now decides how the \
         container stops. No fix when the last command is a shell builtin, sets variables \
         in front of it, sits in a pipeline, condition, loop or background job, or the \
         script uses `trap`.",
    ),
    fix: crate::rules::Fixability::Unsafe,
    check,
};

const SHELLS: [&str; 7] = ["sh", "bash", "ash", "dash", "zsh", "ksh", "busybox"];

/// Shell builtins that `exec` cannot run as a program.
const BUILTINS: [&str; 22] = [
    "cd", "wait", "export", "set", "unset", "trap", "source", ".", "exit", "return", "shift",
    "eval", "read", "true", "false", ":", "exec", "ulimit", "umask", "alias", "local", "[[",
];

/// `exec ` before the script's last command, when that is a plain program run at the end.
fn exec_fix(context: &Context, script: &Text, parsed: &Script) -> Option<Fix> {
    let raw = script.span.slice(&context.model.doc.text);
    // Offsets in the value map to the JSON token only when nothing in it is escaped.
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    if inner != script.value || !parsed.errors.is_empty() || !parsed.functions.is_empty() {
        return None;
    }
    if parsed.commands.iter().any(|c| c.is("trap")) {
        return None;
    }
    let last = parsed.commands.iter().max_by_key(|c| c.range.start)?;
    let name = last.name()?;
    if !is_plain_list_element(last)
        || last.operator_after.is_some()
        || !last.assignments.is_empty()
        || BUILTINS.contains(&name)
        || parsed
            .commands
            .iter()
            .any(|c| c.range.start > last.range.end)
    {
        return None;
    }
    let at = script.span.start + 1 + last.range.start;
    Some(Fix::unsafe_(
        format!("Start `{name}` with `exec`"),
        vec![Edit::insert(at, "exec ")],
    ))
}

fn check(context: &Context, report: &mut Report) {
    let chain = final_chain(context);
    for i in chain_instructions(context.model, &chain) {
        let (line, keyword) = match context.typed(i) {
            Typed::Cmd(line) => (line, "CMD"),
            Typed::Entrypoint(line) => (line, "ENTRYPOINT"),
            _ => continue,
        };
        let CommandLine::Exec(items) = line else {
            continue;
        };
        let Some(program) = items.first() else {
            continue;
        };
        let name = program.value.rsplit('/').next().unwrap_or("");
        if !SHELLS.contains(&name) {
            continue;
        }
        let mut rest = items.iter().skip(1);
        if name == "busybox" && rest.next().is_none_or(|w| w.value != "sh") {
            continue;
        }
        // Options up to the one containing `c` (`-c`, `-ec`, `-euxc`).
        let mut script = None;
        for item in rest.by_ref() {
            let v = item.value.as_str();
            if !v.starts_with('-') {
                break;
            }
            if !v.starts_with("--") && v.contains('c') {
                script = rest.next();
                break;
            }
        }
        let Some(script) = script else { continue };
        let parsed = shell::parse_script(&script.value);
        if parsed.commands.is_empty() || parsed.commands.iter().any(|c| c.is("exec")) {
            continue;
        }
        // bash runs a lone simple command in place of itself.
        let lone = parsed.commands.len() == 1 && parsed.operators.is_empty();
        if name == "bash" && lone {
            continue;
        }
        let fix = exec_fix(context, script, &parsed);
        report.add(
            i,
            script.span,
            format!(
                "{keyword} runs this through `{name} -c`, so the shell is PID 1 and may not pass SIGTERM on: start the program with `exec` (`exec {}`)",
                parsed
                    .commands
                    .last()
                    .map(|c| script.value.get(c.range.clone()).unwrap_or(""))
                    .unwrap_or("")
            ),
        )
        .fix = fix;
    }
}

#[cfg(test)]
mod tests {
    use super::super::g5_util::test_support::*;

    #[test]
    fn shell_wrappers() {
        let text = "FROM python:3.13-slim\nCMD [\"sh\", \"-c\", \"python app.py\"]\n";
        assert_eq!(spans("LL1021", text), ["\"python app.py\""]);
        assert!(findings("LL1021", text)[0]
            .message
            .contains("`exec python app.py`"));
        assert_eq!(
            findings(
                "LL1021",
                "FROM x\nENTRYPOINT [\"/bin/sh\", \"-ec\", \"migrate && serve\"]\n"
            )
            .len(),
            1
        );
        assert!(findings(
            "LL1021",
            "FROM x\nCMD [\"sh\", \"-c\", \"migrate && exec serve\"]\n"
        )
        .is_empty());
        assert!(findings(
            "LL1021",
            "FROM x\nCMD [\"bash\", \"-c\", \"serve --port $PORT\"]\n"
        )
        .is_empty());
        assert_eq!(
            findings(
                "LL1021",
                "FROM x\nCMD [\"bash\", \"-c\", \"migrate; serve\"]\n"
            )
            .len(),
            1
        );
        assert!(findings("LL1021", "FROM x\nCMD [\"python\", \"-c\", \"print(1)\"]\n").is_empty());
        assert!(findings(
            "LL1021",
            "FROM x\nENTRYPOINT [\"sh\", \"-c\"]\nCMD [\"serve\"]\n"
        )
        .is_empty());
        // Shell form is DL3025's.
        assert!(findings("LL1021", "FROM x\nCMD sh -c 'serve'\n").is_empty());
        for text in [FASTAPI, NEXTJS, GO] {
            assert!(findings("LL1021", text).is_empty());
        }
    }

    #[test]
    fn fixes() {
        assert_eq!(
            fixed(
                "LL1021",
                "FROM x\nCMD [\"sh\", \"-c\", \"python app.py --port $PORT\"]\n"
            ),
            "FROM x\nCMD [\"sh\", \"-c\", \"exec python app.py --port $PORT\"]\n"
        );
        assert_eq!(
            fixed(
                "LL1021",
                "FROM x\nENTRYPOINT [ \"/bin/sh\", \"-ec\", \\\n  \"migrate && serve > /dev/stdout\" ]\n"
            ),
            "FROM x\nENTRYPOINT [ \"/bin/sh\", \"-ec\", \\\n  \"migrate && exec serve > /dev/stdout\" ]\n"
        );
        assert_eq!(
            fixed(
                "LL1021",
                "# escape=`\nFROM x\nCMD [\"bash\", \"-c\", \"migrate; serve\"]\n"
            ),
            "# escape=`\nFROM x\nCMD [\"bash\", \"-c\", \"migrate; exec serve\"]\n"
        );
        for text in [
            "FROM x\nCMD [\"sh\", \"-c\", \"serve | tee log\"]\n",
            "FROM x\nCMD [\"sh\", \"-c\", \"trap 'kill 0' TERM; serve\"]\n",
            "FROM x\nCMD [\"sh\", \"-c\", \"PORT=1 serve\"]\n",
            "FROM x\nCMD [\"sh\", \"-c\", \"serve \\\"$A\\\"\"]\n",
            "FROM x\nCMD [\"sh\", \"-c\", \"serve; wait\"]\n",
            "FROM x\nCMD [\"sh\", \"-c\", \"if a; then serve; fi\"]\n",
            "FROM x\nCMD [\"sh\", \"-c\", \"serve &\"]\n",
        ] {
            let f = findings("LL1021", text);
            assert_eq!(f.len(), 1, "{text}");
            assert!(f[0].fix.is_none(), "{text}");
        }
    }
}
