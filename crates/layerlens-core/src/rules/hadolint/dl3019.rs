//! DL3019: `apk add` without `--no-cache`.

use super::dl3018::APK_VALUE_FLAGS;
use super::g1_util::{delete_with_operator, insert_flag_after, matched_later};
use super::g2_util::{find_verb, head_span};
use crate::fix::{Edit, Fix};
use crate::rules::cmd::has_cache_mount;
use crate::rules::{
    Category, Context, Docs, Fixability, Origin, Report, Rule, RunAnalysis, Severity,
};
use crate::shell::Command;

pub static RULE: Rule = Rule {
    code: "DL3019",
    name: "apk-add-no-cache",
    origin: Origin::Hadolint,
    severity: Severity::Info,
    categories: &[Category::Size],
    summary: "Without `--no-cache`, apk leaves its package index in the layer.",
    docs: Docs::new(
        "Flags `apk add` without `--no-cache`, unless the RUN mounts a cache or tmpfs over \
         `/var/cache/apk`.",
        "Without `--no-cache`, apk keeps the repository indexes it downloads (or that \
         `apk update` / `-U` fetched) in `/var/cache/apk`: about 2 MB for Alpine's main and \
         community repositories, stored in the layer for good even if a later RUN deletes \
         them. `--no-cache` fetches the index into memory for this one command and writes \
         nothing, so there is no `apk update` to forget and no `rm -rf /var/cache/apk/*` to \
         remember. With BuildKit, `--mount=type=cache,target=/var/cache/apk` keeps the index \
         between builds instead.",
        "FROM alpine:3.20\nRUN apk update && apk add curl~8.9\n",
        "FROM alpine:3.20\nRUN apk add --no-cache curl~8.9\n",
        "Image Size Optimization",
    )
    .with_fix_note(
        "Adds `--no-cache` after `add`; when the command is directly preceded by a plain \
         `apk update &&` that nothing else relies on, that update is dropped too, since \
         `--no-cache` fetches a fresh index for the command itself and the update would only \
         leave its copy in the layer. Safe: the same packages come from the same repositories; \
         only the stored index goes. The update stays when another apk command of the RUN, or \
         of a later RUN built on this one, could still read the stored index.",
    ),
    fix: Fixability::Safe,
    check,
};

/// apk subcommands that read the repository index.
const READS_INDEX: [&str; 9] = [
    "add", "upgrade", "fix", "search", "fetch", "policy", "list", "dot", "version",
];

/// Options a plain `apk update` may carry and still be dropped.
const PLAIN_UPDATE: [&str; 7] = [
    "update",
    "-q",
    "--quiet",
    "-v",
    "--verbose",
    "--no-progress",
    "--progress",
];

fn is_update(c: &Command) -> bool {
    c.is("apk") && find_verb(c, &APK_VALUE_FLAGS, &["update"], &[]).is_some()
}

/// Whether apk command `c` reads the stored index (it neither fetches its own nor updates).
fn reads_stored_index(c: &Command) -> bool {
    c.is("apk")
        && !c.has_long_flag("no-cache")
        && !c.has_flag('U')
        && !c.has_long_flag("update-cache")
        && find_verb(c, &APK_VALUE_FLAGS, &READS_INDEX, &[]).is_some()
}

/// Whether RUN `j` reads a stored index before updating it itself.
fn needs_stored_index(context: &Context, j: usize) -> bool {
    let Some(run) = context.run(j) else {
        return false;
    };
    for (c, _) in run.commands() {
        if is_update(c) {
            return false;
        }
        if reads_stored_index(c) {
            return true;
        }
    }
    false
}

/// The edit that drops a plain `apk update &&` right before `add` (the `at`-th command of
/// the RUN), when no other apk command of the RUN runs after the update.
fn drop_update(
    context: &Context,
    i: usize,
    run: &RunAnalysis,
    at: usize,
    needed_later: bool,
) -> Option<Edit> {
    if needed_later || at == 0 {
        return None;
    }
    let commands: Vec<_> = run.commands().collect();
    let (update, update_part) = *commands.get(at - 1)?;
    let (add, add_part) = *commands.get(at)?;
    let plain = is_update(update)
        && update
            .args()
            .iter()
            .all(|w| PLAIN_UPDATE.contains(&w.value.as_str()))
        && update.assignments.is_empty()
        && update.redirects.is_empty();
    let chained = update.operator_after == Some(crate::shell::Operator::And)
        && add.operator_before == Some(crate::shell::Operator::And)
        && update.pipeline != add.pipeline
        && std::ptr::eq(update_part, add_part)
        && update.subshell_depth == add.subshell_depth
        && !update.in_condition
        && !update.in_loop_or_branch
        && !update.in_function
        && !update.in_substitution;
    let others_after = commands.iter().skip(at + 1).any(|(c, _)| c.is("apk"));
    if !plain || !chained || others_after {
        return None;
    }
    delete_with_operator(context, i, update_part, update)
}

fn check(context: &Context, report: &mut Report) {
    // Computed on the first finding only: most files have none.
    let mut later_readers: Option<Vec<bool>> = None;
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        if has_cache_mount(context.mounts(i), "/var/cache/apk") {
            continue;
        }
        for (at, (command, part)) in run.commands().enumerate() {
            if !command.is("apk") {
                continue;
            }
            let Some(add) = find_verb(command, &APK_VALUE_FLAGS, &["add"], &[]) else {
                continue;
            };
            if command.has_long_flag("no-cache") {
                continue;
            }
            let readers = later_readers
                .get_or_insert_with(|| matched_later(context, |j| needs_stored_index(context, j)));
            let needed_later = readers.get(i).copied().unwrap_or(true);
            let finding = report.add(
                i,
                head_span(context.model, part, command, add.verb),
                "use `apk add --no-cache` so the package index is not stored in the image",
            );
            let Some(flag) = insert_flag_after(context, i, part, add.verb, "--no-cache") else {
                continue;
            };
            finding.fix = Some(match drop_update(context, i, run, at, needed_later) {
                Some(drop) => Fix::safe(
                    "Use apk add --no-cache instead of apk update",
                    vec![drop, flag],
                ),
                None => Fix::safe("Use apk add --no-cache", vec![flag]),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::{fix_count, fixed};
    use super::super::g2_util::test_support::spans;

    const CODE: &str = "DL3019";

    #[test]
    fn flags_the_invocation() {
        let text =
            "FROM alpine:3.20\nRUN apk update && apk add -U curl && apk --no-cache add git\n";
        assert_eq!(spans(text, CODE), vec!["apk add"]);
    }

    #[test]
    fn sees_sh_c_heredoc_and_exec_form() {
        let text = "FROM alpine:3.20\nRUN <<EOF\napk add curl\nEOF\nRUN sh -c \"apk add git\"\nRUN [\"apk\", \"add\", \"make\"]\n";
        assert_eq!(
            spans(text, CODE),
            vec!["apk add", "apk add", "\"apk\", \"add\""]
        );
    }

    #[test]
    fn cache_mount_exempts() {
        let text = "FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\n";
        assert!(spans(text, CODE).is_empty());
    }

    #[test]
    fn fix_adds_no_cache_and_drops_a_plain_update() {
        let fix = |body: &str| fixed(CODE, &format!("FROM alpine:3.20\nRUN {body}\n"));
        assert_eq!(
            fix("apk add curl"),
            "FROM alpine:3.20\nRUN apk add --no-cache curl\n"
        );
        assert_eq!(
            fix("apk update && apk add curl"),
            "FROM alpine:3.20\nRUN apk add --no-cache curl\n"
        );
        assert_eq!(
            fix("apk update \\\n    && apk add \\\n       curl \\\n    && rm -rf /tmp/x"),
            "FROM alpine:3.20\nRUN apk add --no-cache \\\n       curl \\\n    && rm -rf /tmp/x\n"
        );
        assert_eq!(
            fix("[\"apk\", \"add\", \"curl\"]"),
            "FROM alpine:3.20\nRUN [\"apk\", \"add\", \"--no-cache\", \"curl\"]\n"
        );
        assert_eq!(
            fix("<<EOF\napk update\napk add curl\nEOF"),
            "FROM alpine:3.20\nRUN <<EOF\napk update\napk add --no-cache curl\nEOF\n"
        );
        assert_eq!(
            fixed(
                CODE,
                "# escape=`\nFROM alpine:3.20\nONBUILD RUN apk update `\n  && apk add curl\n"
            ),
            "# escape=`\nFROM alpine:3.20\nONBUILD RUN apk add --no-cache curl\n"
        );
    }

    #[test]
    fn update_stays_when_something_may_read_the_stored_index() {
        let fix = |body: &str| fixed(CODE, &format!("FROM alpine:3.20\n{body}\n"));
        // A later RUN of the stage reads the index.
        assert_eq!(
            fix("RUN apk update && apk add curl\nRUN apk info -a curl && apk add git"),
            "FROM alpine:3.20\nRUN apk update && apk add --no-cache curl\nRUN apk info -a curl && apk add --no-cache git\n"
        );
        // Another apk command of the same RUN.
        assert_eq!(
            fix("RUN apk update && apk add curl && apk add --no-cache git"),
            "FROM alpine:3.20\nRUN apk update && apk add --no-cache curl && apk add --no-cache git\n"
        );
        // An update with a repository of its own.
        assert_eq!(
            fix("RUN apk update -X https://r.example && apk add curl"),
            "FROM alpine:3.20\nRUN apk update -X https://r.example && apk add --no-cache curl\n"
        );
        // Every finding has a fix.
        assert_eq!(
            fix_count(CODE, "FROM alpine:3.20\nRUN apk add a && apk add b\n"),
            2
        );
    }
}
