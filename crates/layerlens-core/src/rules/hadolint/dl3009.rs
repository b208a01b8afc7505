//! DL3009: apt package lists left in the layer.

use super::g1_util::{
    append_step, apt_subcommand, is_apt_call, is_kept, kept_stages, matched_later,
};
use crate::fix::Fix;
use crate::instructions::{Mount, MountType};
use crate::model::join_path;
use crate::rules::{Category, Context, Docs, Fixability, Origin, Report, Rule, Severity};
use crate::shell::{Command, Word};

pub static RULE: Rule = Rule {
    code: "DL3009",
    name: "apt-lists-cleanup",
    origin: Origin::Hadolint,
    severity: Severity::Info,
    categories: &[Category::Size],
    summary: "`apt-get update` downloads package indexes that stay in the layer unless the same RUN deletes them.",
    docs: Docs::new(
        "Flags a RUN that runs `apt-get update` (or `apt update`, `aptitude update`) and does not \
         remove `/var/lib/apt/lists` afterwards in the same RUN (`rm -rf /var/lib/apt/lists/*`, \
         `apt-get distclean`, or `find /var/lib/apt/lists ... -delete`). Only stages whose files \
         reach an image are checked: the final stage and stages that a later stage is built \
         `FROM`. A cache, tmpfs or bind mount over `/var/lib/apt/lists` (or a parent such as \
         `/var/lib/apt`) keeps the lists out of the layer and is accepted.",
        "The package indexes are large: about 19 MB on disk for Debian bookworm's main \
         repository alone (50 MB uncompressed), more with the updates and security suites or on \
         Ubuntu. They are useless at runtime and go stale within days. Deleting them in a later \
         RUN does not help, because the earlier layer still carries them; the `rm` must be in \
         the same RUN, after the last update. An `rm -rf` of some other directory does not count.",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8\n",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \\\n    && rm -rf /var/lib/apt/lists/*\n",
        "Image Size Optimization",
    )
    .with_fix_note(
        "Appends `rm -rf /var/lib/apt/lists/*` as the last step of the RUN (or of the heredoc \
         script) that ran the update, in the layout the RUN already uses. Safe: the lists are \
         only read by apt itself, and the fix is left out when a later RUN of the stage, or of \
         a stage built on it, calls apt without its own update and so still needs them. \
         Images then behave like Debian's and Ubuntu's official ones, which ship without \
         lists.",
    ),
    fix: Fixability::Safe,
    check,
};

const LISTS: &str = "/var/lib/apt/lists";

/// The cleanup the fix appends.
const CLEANUP: &str = "rm -rf /var/lib/apt/lists/*";

/// apt subcommands that read the package lists.
const READS_LISTS: [&str; 11] = [
    "install",
    "upgrade",
    "dist-upgrade",
    "full-upgrade",
    "dselect-upgrade",
    "reinstall",
    "source",
    "build-dep",
    "download",
    "satisfy",
    "changelog",
];

/// Whether RUN `j` uses the package lists before updating them itself.
fn needs_old_lists(context: &Context, j: usize) -> bool {
    let Some(run) = context.run(j) else {
        return false;
    };
    for (c, _) in run.commands() {
        if is_update(c) {
            return false;
        }
        let reads = c.is("apt-cache")
            || (["apt-get", "apt", "aptitude"].iter().any(|t| c.is(t))
                && apt_subcommand(c).is_some_and(|w| READS_LISTS.contains(&w.value.as_str())));
        if reads {
            return true;
        }
    }
    false
}

fn check(context: &Context, report: &mut Report) {
    let kept = kept_stages(context);
    // Computed on the first finding only: most files have none.
    let mut later_readers: Option<Vec<bool>> = None;
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        if !is_kept(&kept, context, i) {
            continue;
        }
        let workdir = context
            .model
            .contexts
            .get(i)
            .map_or("/", |c| c.workdir.as_str());
        if context
            .mounts(i)
            .iter()
            .any(|m| mount_covers_lists(m, workdir))
        {
            continue;
        }
        let commands: Vec<_> = run.commands().collect();
        let Some(last) = commands.iter().rposition(|(c, _)| is_update(c)) else {
            continue;
        };
        let cleaned = commands
            .get(last + 1..)
            .unwrap_or(&[])
            .iter()
            .any(|(c, part)| removes_lists(c, &part.text));
        if cleaned {
            continue;
        }
        let Some((command, part)) = commands.get(last) else {
            continue;
        };
        let tool = command.basename().unwrap_or("apt-get");
        let readers = later_readers
            .get_or_insert_with(|| matched_later(context, |j| needs_old_lists(context, j)));
        let needed_later = readers.get(i).copied().unwrap_or(true);
        let finding = report.add(
            i,
            part.command_span(context.model, command),
            format!("`{tool} update` leaves the package lists in this layer: end the same RUN with `&& rm -rf /var/lib/apt/lists/*`"),
        );
        if !needed_later {
            finding.fix = append_step(context, i, part, CLEANUP)
                .map(|edit| Fix::safe("Remove the apt lists at the end of this RUN", vec![edit]));
        }
    }
}

fn is_update(c: &Command) -> bool {
    is_apt_call(c, &["apt-get", "apt", "aptitude"], "update")
}

/// Whether `c` deletes the package lists: `rm` of the directory, its contents or a parent,
/// `apt-get distclean`, or `find <dir> ... -delete`.
fn removes_lists(c: &Command, text: &str) -> bool {
    if c.is("rm") {
        return c
            .positional_args()
            .iter()
            .any(|w| path_covers_lists(w, text));
    }
    if is_apt_call(c, &["apt-get", "apt"], "distclean")
        || is_apt_call(c, &["apt-get", "apt"], "dist-clean")
    {
        return true;
    }
    if c.is("find") {
        let deletes = c
            .args()
            .iter()
            .any(|w| w.value == "-delete" || w.value == "-exec" || w.value == "-execdir");
        return deletes
            && c.args()
                .iter()
                .take_while(|w| !w.value.starts_with('-') && w.value != "(" && w.value != "!")
                .any(|w| path_covers_lists(w, text));
    }
    false
}

/// Whether the path word names the lists directory, its contents (`/*`) or a parent of it.
/// A glob inside quotes (`"/var/lib/apt/lists/*"`) is not expanded by the shell, so it
/// removes nothing.
fn path_covers_lists(word: &Word, text: &str) -> bool {
    let raw = word.raw(text);
    if word.value.ends_with('*') && !raw.ends_with('*') {
        return false;
    }
    let mut path = word.value.as_str();
    loop {
        let trimmed = path
            .strip_suffix("/*")
            .or_else(|| path.strip_suffix('/'))
            .unwrap_or(path);
        if trimmed.len() == path.len() {
            break;
        }
        path = trimmed;
    }
    is_lists_or_parent(path)
}

/// `/var/lib/apt/lists` itself or one of its parent directories (`""` stands for `/`).
fn is_lists_or_parent(path: &str) -> bool {
    path.is_empty()
        || (path.starts_with('/') && (path == LISTS || LISTS.starts_with(&format!("{path}/"))))
}

/// A mount over the lists (or a parent) takes the writes out of the layer: cache and tmpfs
/// mounts by design, bind mounts because their writes are discarded.
fn mount_covers_lists(mount: &Mount, workdir: &str) -> bool {
    if !matches!(
        mount.kind,
        MountType::Cache | MountType::Tmpfs | MountType::Bind
    ) {
        return false;
    }
    let Some(target) = mount.target.as_deref() else {
        return false;
    };
    let target = join_path(workdir, target);
    is_lists_or_parent(target.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::{count, fix_count, fixed, spans};

    const UPDATE: &str = "apt-get update && apt-get install -y curl";

    fn run(body: &str) -> usize {
        count("DL3009", &format!("FROM debian:12\nRUN {body}\n"))
    }

    #[test]
    fn cleanup_must_remove_the_lists() {
        assert_eq!(run(UPDATE), 1);
        assert_eq!(run(&format!("{UPDATE} && rm -rf /var/lib/apt/lists/*")), 0);
        assert_eq!(run(&format!("{UPDATE} && rm -rf /var/lib/apt/lists")), 0);
        assert_eq!(run(&format!("{UPDATE} && rm -r /var/lib/apt/lists/")), 0);
        assert_eq!(run(&format!("{UPDATE} && rm -fr /var/lib/apt")), 0);
        assert_eq!(run(&format!("{UPDATE} && apt-get distclean")), 0);
        assert_eq!(
            run(&format!(
                "{UPDATE} && find /var/lib/apt/lists -type f -delete"
            )),
            0
        );
        // hadolint accepts any `rm -rf`; it does not remove the lists.
        assert_eq!(run(&format!("{UPDATE} && rm -rf /tmp/*")), 1);
        // `apt-get clean` empties /var/cache/apt, not the lists.
        assert_eq!(run(&format!("{UPDATE} && apt-get clean")), 1);
        // A quoted glob is not expanded: nothing is removed.
        assert_eq!(
            run(&format!("{UPDATE} && rm -rf \"/var/lib/apt/lists/*\"")),
            1
        );
        assert_eq!(
            run(&format!("{UPDATE} && rm -rf \"/var/lib/apt/lists\"/*")),
            0
        );
        // A subdirectory is not enough.
        assert_eq!(
            run(&format!("{UPDATE} && rm -rf /var/lib/apt/lists/partial")),
            1
        );
    }

    #[test]
    fn cleanup_must_follow_the_last_update() {
        assert_eq!(run(&format!("rm -rf /var/lib/apt/lists/* && {UPDATE}")), 1);
        assert_eq!(
            run(&format!(
                "{UPDATE} && rm -rf /var/lib/apt/lists/* && apt-get update"
            )),
            1
        );
        let text = format!("FROM debian:12\nRUN {UPDATE} && apt update\n");
        assert_eq!(spans("DL3009", &text), ["apt update"]);
    }

    #[test]
    fn sees_shell_c_heredocs_exec_form_and_onbuild() {
        assert_eq!(run("sh -c 'apt-get update && apt-get install -y curl'"), 1);
        assert_eq!(
            run("sh -c 'apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*'"),
            0
        );
        assert_eq!(run("[\"apt-get\", \"update\"]"), 1);
        assert_eq!(run("<<EOF\napt-get update\napt-get install -y x\nEOF"), 1);
        assert_eq!(
            run("<<EOF\napt-get update\napt-get install -y x\nrm -rf /var/lib/apt/lists/*\nEOF"),
            0
        );
        assert_eq!(
            count("DL3009", "FROM debian:12\nONBUILD RUN apt-get update\n"),
            1
        );
    }

    #[test]
    fn only_stages_that_reach_an_image() {
        // Only copied from: the lists stay behind.
        let text =
            "FROM debian:12 AS build\nRUN apt-get update\nFROM scratch\nCOPY --from=build /x /x\n";
        assert_eq!(count("DL3009", text), 0);
        // Built upon: the lists are inherited.
        let text = "FROM debian:12 AS base\nRUN apt-get update\nFROM base\nRUN true\n";
        assert_eq!(count("DL3009", text), 1);
        // ONBUILD triggers of a stage nobody builds on never run.
        let text = "FROM debian:12 AS base\nONBUILD RUN apt-get update\nFROM scratch\n";
        assert_eq!(count("DL3009", text), 0);
    }

    #[test]
    fn mounts_over_the_lists() {
        let text =
            "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\n";
        assert_eq!(count("DL3009", text), 0);
        let text = "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt apt-get update\n";
        assert_eq!(count("DL3009", text), 0);
        let text =
            "FROM debian:12\nRUN --mount=type=tmpfs,target=/var/lib/apt/lists/ apt-get update\n";
        assert_eq!(count("DL3009", text), 0);
        let text = "FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get update\n";
        assert_eq!(count("DL3009", text), 1);
        let text =
            "FROM debian:12\nWORKDIR /var/lib\nRUN --mount=type=cache,target=apt apt-get update\n";
        assert_eq!(count("DL3009", text), 0);
        let text = "FROM debian:12\nRUN --mount=type=secret,id=x,target=/var/lib/apt/lists apt-get update\n";
        assert_eq!(count("DL3009", text), 1);
    }

    #[test]
    fn fix_appends_the_cleanup_in_the_runs_layout() {
        let fix = |body: &str| fixed("DL3009", &format!("FROM debian:12\nRUN {body}\n"));
        // One line.
        assert_eq!(
            fix(UPDATE),
            format!("FROM debian:12\nRUN {UPDATE} && rm -rf /var/lib/apt/lists/*\n")
        );
        // Leading operators: a new line with the same indentation.
        assert_eq!(
            fix("apt-get update \\\n    && apt-get install -y \\\n        curl \\\n        wget"),
            "FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y \\\n        curl \\\n        wget \\\n    && rm -rf /var/lib/apt/lists/*\n"
        );
        // Trailing operators.
        assert_eq!(
            fix("apt-get update && \\\n  apt-get install -y curl"),
            "FROM debian:12\nRUN apt-get update && \\\n  apt-get install -y curl && \\\n  rm -rf /var/lib/apt/lists/*\n"
        );
        // A script ending in `;`.
        assert_eq!(
            fix("apt-get update;"),
            "FROM debian:12\nRUN apt-get update; rm -rf /var/lib/apt/lists/*\n"
        );
        // Heredoc script: a new last line, indented like the one before.
        assert_eq!(
            fix("<<EOF\nset -e\napt-get update\n  apt-get install -y curl\nEOF"),
            "FROM debian:12\nRUN <<EOF\nset -e\napt-get update\n  apt-get install -y curl\n  rm -rf /var/lib/apt/lists/*\nEOF\n"
        );
        // `sh -c`: the cleanup follows the shell, in the same RUN.
        assert_eq!(
            fix("sh -c 'apt-get update'"),
            "FROM debian:12\nRUN sh -c 'apt-get update' && rm -rf /var/lib/apt/lists/*\n"
        );
        // ONBUILD and CRLF line ends.
        assert_eq!(
            fixed(
                "DL3009",
                "FROM debian:12\r\nONBUILD RUN apt-get update \\\r\n    && apt-get install -y curl\r\n"
            ),
            "FROM debian:12\r\nONBUILD RUN apt-get update \\\r\n    && apt-get install -y curl \\\r\n    && rm -rf /var/lib/apt/lists/*\r\n"
        );
    }

    #[test]
    fn fix_keeps_the_escape_character() {
        let text =
            "# escape=`\nFROM debian:12\nRUN apt-get update `\n    && apt-get install -y curl\n";
        assert_eq!(
            fixed("DL3009", text),
            "# escape=`\nFROM debian:12\nRUN apt-get update `\n    && apt-get install -y curl `\n    && rm -rf /var/lib/apt/lists/*\n"
        );
    }

    #[test]
    fn no_fix_where_it_would_not_run_last_or_would_break_a_later_step() {
        // A trailing comment would swallow the appended step.
        let text = format!("FROM debian:12\nRUN {UPDATE} # done\n");
        assert_eq!(fix_count("DL3009", &text), 0);
        // Exec form has no shell to run it.
        assert_eq!(
            fix_count("DL3009", "FROM debian:12\nRUN [\"apt-get\", \"update\"]\n"),
            0
        );
        // A later RUN installs without updating: it needs the lists.
        let text = "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n";
        assert_eq!(fix_count("DL3009", text), 0);
        let text =
            "FROM debian:12 AS base\nRUN apt-get update\nFROM base\nRUN apt-cache policy curl\n";
        assert_eq!(fix_count("DL3009", text), 0);
        // ...unless it updates first.
        let text = "FROM debian:12\nRUN apt-get update\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n";
        assert_eq!(fix_count("DL3009", text), 1);
    }
}
