//! LL1021: CMD/ENTRYPOINT in exec form that wraps the program in `sh -c` without `exec`.

use super::g5_util::{chain_instructions, final_chain};
use crate::instructions::{CommandLine, Typed};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};
use crate::shell;

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
    ),
    fix: crate::rules::Fixability::None,
    check,
};

const SHELLS: [&str; 7] = ["sh", "bash", "ash", "dash", "zsh", "ksh", "busybox"];

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
        );
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
}
