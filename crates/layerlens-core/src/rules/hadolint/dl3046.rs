//! DL3046: `useradd` with a large UID and without `--no-log-init`.

use super::g3_util::{has_var, insert_arg_after, known_value};
use crate::fix::Fix;
use crate::rules::{Category, Context, Docs, Origin, Report, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "DL3046",
    name: "useradd-no-log-init",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Size],
    summary: "useradd with a high UID writes huge sparse lastlog/faillog files into the layer.",
    docs: Docs::new(
        "Flags `useradd -u <uid>` (also `--uid`, `-u<uid>`, `--uid=<uid>`) with a UID of six \
         digits or more when `-l`/`--no-log-init` is missing. A UID held in a variable is \
         resolved through ARG/ENV when its value is known.",
        "useradd records the new user in /var/log/lastlog and /var/log/faillog, files indexed \
         by UID. For UID 123456789 they become sparse files of tens of gigabytes; the layer \
         format does not keep them sparse, so the image (and every pull) can grow by \
         gigabytes or the build can run out of disk. `-l` skips those log entries.",
        "FROM debian:bookworm-slim\nRUN useradd -u 1000001 app\n",
        "FROM debian:bookworm-slim\nRUN useradd -l -u 1000001 app\n",
        "Image Size Optimization",
    )
    .with_fix_note(
        "Adds `-l` right after `useradd`. Safe: the user, its UID, groups and home are \
         created exactly as before; only the empty lastlog/faillog records (login accounting \
         that nothing in a container reads) are not written.",
    ),
    fix: crate::rules::Fixability::Safe,
    check,
};

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        for (command, part) in run.commands_named("useradd") {
            if command.has_flag('l') || command.has_long_flag("no-log-init") {
                continue;
            }
            let mut uids = command.flag_values("-u");
            uids.extend(command.flag_values("--uid"));
            let large = uids.iter().find(|uid| {
                let value = if has_var(uid) {
                    match known_value(context, i, uid) {
                        Some(v) => v,
                        None => return false,
                    }
                } else {
                    uid.to_string()
                };
                value.len() > 5 && value.chars().all(|c| c.is_ascii_digit())
            });
            if let Some(uid) = large {
                let fix = command.words.first().and_then(|name| {
                    insert_arg_after(context.model, run, part, command, name, "-l")
                });
                report
                    .add(
                        i,
                        part.command_span(context.model, command),
                        format!(
                        "`useradd` with UID {uid} grows /var/log/lastlog and faillog to a huge \
                         file in this layer; add `-l` (`--no-log-init`)"
                    ),
                    )
                    .fix = fix.map(|edit| Fix::safe("Add `-l` to useradd", vec![edit]));
            }
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
            .filter(|f| f.code == "DL3046")
            .count()
    }

    #[test]
    fn uid_spellings_and_variables() {
        assert_eq!(count("FROM d\nRUN useradd --uid 1234567 a\n"), 1);
        assert_eq!(count("FROM d\nRUN useradd --uid=1234567 a\n"), 1);
        assert_eq!(count("FROM d\nRUN useradd -u1234567 a\n"), 1);
        assert_eq!(count("FROM d\nRUN useradd --no-log-init -u 1234567 a\n"), 0);
        assert_eq!(count("FROM d\nARG UID=1234567\nRUN useradd -u $UID a\n"), 1);
        // Unknown until the build: not judged.
        assert_eq!(count("FROM d\nARG UID\nRUN useradd -u ${UID} a\n"), 0);
        assert_eq!(count("FROM d\nRUN useradd -u 1000 a\n"), 0);
    }

    #[test]
    fn fixes() {
        use super::super::g4_util::fixed;
        let f = |t: &str| fixed(t, "DL3046");
        assert_eq!(
            f("FROM d\nRUN useradd -u 1000001 app\n"),
            "FROM d\nRUN useradd -l -u 1000001 app\n"
        );
        assert_eq!(
            f("FROM d\nRUN groupadd -g 1000001 app \\\n && useradd \\\n    --uid 1000001 -g app app\n"),
            "FROM d\nRUN groupadd -g 1000001 app \\\n && useradd -l \\\n    --uid 1000001 -g app app\n"
        );
        assert_eq!(
            f("FROM d\nRUN [\"useradd\", \"-u\", \"1000001\", \"app\"]\n"),
            "FROM d\nRUN [\"useradd\", \"-l\", \"-u\", \"1000001\", \"app\"]\n"
        );
    }
}
