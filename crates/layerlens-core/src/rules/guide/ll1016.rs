//! LL1016: `chown -R`/`chmod -R` over files an earlier COPY/ADD of the stage put there.

use super::g5_util::{copy_like, is_within, resolve};
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "LL1016",
    name: "use-copy-chown",
    origin: Origin::Layerlens,
    severity: Severity::Warning,
    categories: &[Category::Size],
    summary: "Changing owner or mode in a later RUN stores every copied file a second time.",
    docs: Docs::new(
        "Flags `chown -R` and `chmod -R` in a RUN when the path includes files an earlier COPY \
         or ADD of the same stage created.",
        "A layer records whole files: changing only the owner or mode of a file rewrites it in \
         the new layer, so `COPY . /app` followed by `RUN chown -R app:app /app` ships the \
         application twice (a 300 MB tree becomes 600 MB to pull) and adds a slow RUN to every \
         build. `COPY --chown=app:app` and `COPY --chmod=755` set ownership and mode as the \
         files are written, at no cost.",
        "FROM python:3.13-slim\nRUN useradd --create-home app\nCOPY . /app\nRUN chown -R app:app /app\nUSER app\n",
        "FROM python:3.13-slim\nRUN useradd --create-home app\nCOPY --chown=app:app . /app\nUSER app\n",
        "Image Size Optimization",
    ),
    fix: crate::rules::Fixability::None,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for stage in &context.model.stages {
        // (destination, line, keyword) of every COPY/ADD so far.
        let mut copied: Vec<(String, usize, &'static str)> = Vec::new();
        for &i in &stage.instructions {
            if let Some(copy) = copy_like(context, i) {
                if copied.len() < 256 {
                    copied.push((
                        copy.dest_path(context.model, i),
                        context.instruction(i).start_line,
                        copy.keyword,
                    ));
                }
                continue;
            }
            if copied.is_empty() || context.typed_effective(i).1 {
                continue;
            }
            let Some(run) = context.run(i) else { continue };
            let workdir = context.model.contexts[i].workdir.clone();
            for (cmd, part) in run.commands() {
                let tool = if cmd.is("chown") {
                    "chown"
                } else if cmd.is("chmod") {
                    "chmod"
                } else {
                    continue;
                };
                if !(cmd.has_flag('R') || cmd.has_long_flag("recursive")) {
                    continue;
                }
                // The first operand is the owner or the mode.
                let operands = cmd.positional_args();
                for word in operands.iter().skip(1) {
                    if word.value.contains('$') {
                        continue;
                    }
                    let path = resolve(&workdir, &word.value);
                    // The path covers a copied destination, or lies inside one.
                    let hit = copied
                        .iter()
                        .find(|(dest, _, _)| is_within(dest, &path) || is_within(&path, dest));
                    let Some((dest, line, keyword)) = hit else {
                        continue;
                    };
                    let flag = if tool == "chown" {
                        "--chown"
                    } else {
                        "--chmod"
                    };
                    let value = operands.first().map(|w| w.value.as_str()).unwrap_or("...");
                    report.add(
                        i,
                        part.span(context.model, &(cmd.words[0].range.start..word.range.end)),
                        format!(
                            "`{tool} -R` rewrites `{dest}` from the {keyword} on line {line}, so those files are stored twice: set it while copying with `{keyword} {flag}={value}`"
                        ),
                    );
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g5_util::test_support::*;

    #[test]
    fn recursive_changes() {
        let text = "FROM debian:12\nWORKDIR /app\nCOPY . .\nRUN chown -R app:app /app\n";
        assert_eq!(spans("LL1016", text), ["chown -R app:app /app"]);
        let f = findings("LL1016", text);
        assert!(f[0].message.contains("COPY --chown=app:app"));
        let text =
            "FROM debian:12\nCOPY bin/ /usr/local/bin/\nRUN chmod -R 755 /usr/local/bin/tool\n";
        assert_eq!(findings("LL1016", text).len(), 1);
        // Not recursive, unrelated path, other stage: fine.
        assert!(findings(
            "LL1016",
            "FROM debian:12\nCOPY . /app\nRUN chown app /app\nRUN chown -R app /var/log/app\n"
        )
        .is_empty());
        assert!(findings(
            "LL1016",
            "FROM debian:12 AS a\nCOPY . /app\nFROM debian:12\nRUN chown -R app /app\n"
        )
        .is_empty());
        assert!(findings(
            "LL1016",
            "FROM debian:12\nRUN chown -R app /app\nCOPY . /app\n"
        )
        .is_empty());
    }

    #[test]
    fn guide_real_world_examples_are_clean() {
        for text in [FASTAPI, NEXTJS, GO] {
            assert!(findings("LL1016", text).is_empty());
        }
    }
}
