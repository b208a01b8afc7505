//! LL1016: `chown -R`/`chmod -R` over files an earlier COPY/ADD of the stage put there.

use super::g5_fix_util::{delete_command, delete_word, is_plain_list_element, Style};
use super::g5_util::{copy_like, is_whole_context, is_within, resolve, uses_buildkit, CopyLike};
use crate::fix::{Edit, Fix};
use crate::rules::{
    Category, Context, Docs, Origin, Report, Rule, RunAnalysis, ScriptPart, Severity,
};
use crate::shell::Command;

/// Commands that create users or groups.
const USER_TOOLS: [&str; 4] = ["useradd", "adduser", "groupadd", "addgroup"];

/// Whether a COPY/ADD certainly writes one file at its destination.
fn copies_one_file(copy: &CopyLike) -> bool {
    let sources: Vec<_> = copy.paths().collect();
    match sources.as_slice() {
        [one] if copy.sources.len() == 1 && !copy.dest_is_dir() => {
            let v = one.value.trim_matches('"');
            !is_whole_context(v)
                && !v.ends_with('/')
                && !v.contains(['*', '?', '['])
                && !v.contains("://")
                && super::g5_util::basename(v).contains('.')
        }
        _ => false,
    }
}

/// The value a COPY flag already has (`--chown`, `--chmod`).
fn flag_value<'a>(context: &Context<'a>, i: usize, name: &str) -> Option<&'a str> {
    context
        .instruction(i)
        .command
        .flag(name)
        .map(|f| f.value().unwrap_or(""))
}

/// `COPY --chown=owner` on the copies under each path, and the chown/chmod made
/// non-recursive (or deleted when it named copied files only).
#[allow(clippy::too_many_arguments)]
fn fix_for(
    context: &Context,
    stage_instructions: &[usize],
    i: usize,
    run: &RunAnalysis,
    part: &ScriptPart,
    cmd: &Command,
    tool: &str,
) -> Option<Fix> {
    let model = context.model;
    if run.exec_form || !is_plain_list_element(cmd) {
        return None;
    }
    // Only -R and harmless flags.
    let allowed: &[&str] = &[
        "-R",
        "--recursive",
        "-v",
        "--verbose",
        "-c",
        "--changes",
        "-f",
    ];
    let operands = cmd.positional_args();
    let value = operands.first()?;
    let flag_words: Vec<_> = cmd
        .args()
        .iter()
        .filter(|w| w.value.starts_with('-'))
        .collect();
    let harmless = |v: &str| {
        allowed.contains(&v)
            || (!v.starts_with("--") && v.len() > 1 && v[1..].chars().all(|c| "Rvcf".contains(c)))
    };
    if flag_words.iter().any(|w| !harmless(&w.value)) {
        return None;
    }
    let value_ok = if tool == "chown" {
        !value.value.is_empty()
            && !value.has_expansion
            && !value.value.contains('.')
            && value.value.split(':').count() <= 2
    } else {
        uses_buildkit(context)
            && (3..=4).contains(&value.value.len())
            && value.value.chars().all(|c| ('0'..='7').contains(&c))
    };
    if !value_ok || operands.len() < 2 {
        return None;
    }
    let flag = if tool == "chown" { "chown" } else { "chmod" };
    let workdir = &model.contexts[i].workdir;
    let position = stage_instructions.iter().position(|&j| j == i)?;
    let before = &stage_instructions[..position];
    let mut copy_edits: Vec<Edit> = Vec::new();
    let mut all_files = true;
    let mut first_copy = usize::MAX;
    let full = run.full_text();
    for word in &operands[1..] {
        if word.has_expansion {
            return None;
        }
        let path = resolve(workdir, &word.value);
        let path = path.trim_end_matches('/');
        if path.is_empty() || full.matches(path).count() > 1 {
            return None;
        }
        let mut exact = false;
        for &j in before {
            if let Some(copy) = copy_like(context, j) {
                let dest = copy.dest_path(model, j);
                let dest = dest.trim_end_matches('/');
                if !is_within(dest, path) {
                    continue;
                }
                if dest == path {
                    exact = true;
                    all_files &= copies_one_file(&copy);
                } else {
                    all_files = false;
                }
                first_copy = first_copy.min(j);
                match flag_value(context, j, flag) {
                    Some(v) if v == value.value => {}
                    Some(_) => return None,
                    None => {
                        let at = context.keyword_span(j).end;
                        let edit = Edit::insert(at, format!(" --{flag}={}", value.value));
                        if !copy_edits.contains(&edit) {
                            copy_edits.push(edit);
                        }
                    }
                }
            } else if context.run(j).is_some_and(|r| r.full_text().contains(path)) {
                // A RUN wrote or may have written there.
                return None;
            }
        }
        if !exact {
            return None;
        }
    }
    // The owner must exist when the COPY runs.
    if tool == "chown" {
        let creates_user = |r: &RunAnalysis| {
            USER_TOOLS
                .iter()
                .any(|t| r.commands_named(t).next().is_some())
        };
        if creates_user(run)
            || before
                .iter()
                .filter(|&&j| j > first_copy)
                .any(|&j| context.run(j).is_some_and(creates_user))
        {
            return None;
        }
    }
    let mut edits = copy_edits;
    if all_files {
        edits.extend(delete_command(model, i, run, part, cmd)?);
    } else {
        for w in &flag_words {
            let span = part.span(model, &w.range);
            if w.value == "-R" || w.value == "--recursive" {
                // The word and the space before it.
                let at = cmd.words.iter().position(|x| std::ptr::eq(x, *w))?;
                let before = cmd.words.get(at.checked_sub(1)?)?;
                let prev_end = part
                    .span(
                        model,
                        &(before.range.end.saturating_sub(1)..before.range.end),
                    )
                    .end;
                edits.push(delete_word(model, i, prev_end, span, &Style::of(model))?);
            } else if w.value.contains('R') && !w.value.starts_with("--") {
                edits.push(Edit::replace(span, w.value.replace('R', "")));
            }
        }
    }
    Some(Fix::unsafe_(
        format!(
            "Set the {} with `COPY --{flag}`",
            if tool == "chown" { "owner" } else { "mode" }
        ),
        edits,
    ))
}

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
    )
    .with_fix_note(
        "Adds `--chown=<owner>` (or `--chmod=<octal mode>` in a file that uses BuildKit) to \
         every COPY/ADD of the stage that wrote into the changed path, and then drops `-R` \
         from the command, so it only changes the directory itself, or deletes the command \
         when it named single copied files. Only when each path is exactly a COPY \
         destination, no RUN wrote there and the owner exists when the COPY runs. Unsafe: \
         files the base image or a package already had in that directory keep their old \
         owner or mode.",
    ),
    fix: crate::rules::Fixability::Unsafe,
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
                    let fix = fix_for(context, &stage.instructions, i, run, part, cmd, tool);
                    report
                        .add(
                            i,
                            part.span(context.model, &(cmd.words[0].range.start..word.range.end)),
                            format!(
                                "`{tool} -R` rewrites `{dest}` from the {keyword} on line {line}, so those files are stored twice: set it while copying with `{keyword} {flag}={value}`"
                            ),
                        )
                        .fix = fix;
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
    fn fixes() {
        // A directory: contents get --chown, the directory itself keeps its chown.
        assert_eq!(
            fixed(
                "LL1016",
                "FROM debian:12\nRUN useradd app\nWORKDIR /app\nCOPY . .\nRUN chown -R app:app /app\n"
            ),
            "FROM debian:12\nRUN useradd app\nWORKDIR /app\nCOPY --chown=app:app . .\nRUN chown app:app /app\n"
        );
        // A single copied file: the command goes.
        assert_eq!(
            fixed(
                "LL1016",
                "FROM debian:12\n# config\nCOPY torrc.default /etc/tor/torrc.default\n# owned by tor\nRUN chown -R debian-tor:debian-tor /etc/tor/torrc.default\nUSER debian-tor\n"
            ),
            "FROM debian:12\n# config\nCOPY --chown=debian-tor:debian-tor torrc.default /etc/tor/torrc.default\n# owned by tor\nUSER debian-tor\n"
        );
        assert_eq!(
            fixed(
                "LL1016",
                "FROM debian:12\nCOPY a.conf /etc/a.conf\nRUN apt-get update \\\n    && chown -Rv a /etc/a.conf \\\n    && rm -rf /var/lib/apt/lists/*\n"
            ),
            "FROM debian:12\nCOPY --chown=a a.conf /etc/a.conf\nRUN apt-get update \\\n    && rm -rf /var/lib/apt/lists/*\n"
        );
        assert_eq!(
            fixed(
                "LL1016",
                "# syntax=docker/dockerfile:1\nFROM debian:12\nCOPY bin/ /opt/bin/\nRUN chmod -R 755 /opt/bin\n"
            ),
            "# syntax=docker/dockerfile:1\nFROM debian:12\nCOPY --chmod=755 bin/ /opt/bin/\nRUN chmod 755 /opt/bin\n"
        );
        assert_eq!(
            fixed(
                "LL1016",
                "# escape=`\nFROM debian:12\nCOPY x/ /srv/\nRUN chown -R 1000:1000 `\n    /srv\n"
            ),
            "# escape=`\nFROM debian:12\nCOPY --chown=1000:1000 x/ /srv/\nRUN chown 1000:1000 `\n    /srv\n"
        );
        for text in [
            // The user is created after the COPY.
            "FROM debian:12\nCOPY . /app\nRUN useradd app && chown -R app /app\n",
            // A parent of the copied path, or a path another RUN wrote to.
            "FROM debian:12\nCOPY a.conf /etc/x/a.conf\nRUN chown -R x /etc/x\n",
            "FROM debian:12\nCOPY . /app\nRUN mkdir -p /app/logs\nRUN chown -R app /app\n",
            // Variables, other flags, chmod without BuildKit, symbolic modes.
            "FROM debian:12\nCOPY . /app\nRUN chown -R $U /app\n",
            "FROM debian:12\nCOPY . /app\nRUN chown -R --from=root app /app\n",
            "FROM debian:12\nCOPY . /app\nRUN chmod -R 755 /app\n",
            "# syntax=docker/dockerfile:1\nFROM debian:12\nCOPY . /app\nRUN chmod -R u+x /app\n",
            // A COPY with another owner already.
            "FROM debian:12\nCOPY --chown=b . /app\nRUN chown -R app /app\n",
        ] {
            let f = findings("LL1016", text);
            assert_eq!(f.len(), 1, "{text}");
            assert!(f[0].fix.is_none(), "{text}");
        }
    }

    #[test]
    fn guide_real_world_examples_are_clean() {
        for text in [FASTAPI, NEXTJS, GO] {
            assert!(findings("LL1016", text).is_empty());
        }
    }
}
