//! DL3027: `apt` in a RUN.

use super::dl3008::unpinned_packages;
use super::dl3014::assumes_yes;
use super::dl3015::skips_recommends;
use super::g1_util::{apt_subcommand, word_at, WordAt};
use super::g2_util::{removes_under, word_span};
use crate::fix::{Edit, Fix};
use crate::rules::cmd::has_cache_mount;
use crate::rules::{
    Category, Context, Docs, Fixability, Origin, Report, Rule, ScriptPart, Severity,
};
use crate::shell::{Command, Word};

pub static RULE: Rule = Rule {
    code: "DL3027",
    name: "no-apt",
    origin: Origin::Hadolint,
    severity: Severity::Warning,
    categories: &[Category::Correctness, Category::Maintainability],
    summary: "`apt` is made for people at a terminal; scripts should call `apt-get`.",
    docs: Docs::new(
        "Flags every `apt` command in a RUN (also in heredoc scripts, `sh -c` strings, exec form \
         and ONBUILD).",
        "`apt` is the interactive front end: its output, progress bars and even its command-line \
         behaviour may change between releases without notice, and it prints \"WARNING: apt \
         does not have a stable CLI interface\" into every build log. `apt-get` and `apt-cache` \
         are the scriptable tools with a stable interface, and the other apt rules (pinning, \
         `-y`, `--no-install-recommends`, list cleanup) know how to check them.",
        "FROM debian:bookworm-slim\nRUN apt update && apt install -y --no-install-recommends curl=7.88.1-10+deb12u8 \\\n    && rm -rf /var/lib/apt/lists/*\n",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \\\n    && rm -rf /var/lib/apt/lists/*\n",
        "Common Anti-Patterns",
    )
    .with_fix_note(
        "Renames the command: `apt` becomes `apt-get` (`apt full-upgrade` becomes `apt-get \
         dist-upgrade`), or `apt-cache` for the query subcommands (`search`, `show`, \
         `policy`...). Safe for subcommands that download nothing (`update`, `remove`, \
         `purge`, `autoremove`, `clean`, queries): both tools share the resolver and the \
         configuration. Unsafe for the ones that download packages (`install`, \
         `dist-upgrade`...) unless the same RUN later empties `/var/cache/apt`: `apt` deletes \
         the downloaded `.deb` files after installing, `apt-get` keeps them, so on a base \
         image without a cleanup hook the layer grows. `apt upgrade` (which also installs new \
         dependencies, unlike `apt-get upgrade`), `list`, `edit-sources` and `reinstall` get \
         no fix.",
    ),
    fix: Fixability::Unsafe,
    check,
};

/// Subcommands that `apt-get` runs the same way as `apt`, downloading nothing.
const SAME_NO_DOWNLOAD: [&str; 7] = [
    "update",
    "remove",
    "purge",
    "autoremove",
    "clean",
    "autoclean",
    "check",
];

/// Subcommands that download packages: `apt` deletes them afterwards, `apt-get` keeps them.
const DOWNLOADING: [&str; 7] = [
    "install",
    "dist-upgrade",
    "full-upgrade",
    "source",
    "build-dep",
    "download",
    "satisfy",
];

/// Query subcommands that belong to `apt-cache`.
const QUERIES: [&str; 6] = ["search", "show", "policy", "depends", "rdepends", "showsrc"];

/// Whether a command after position `at` of the RUN empties apt's package cache.
fn cache_emptied_after(commands: &[(&Command, &ScriptPart)], at: usize) -> bool {
    commands.iter().skip(at + 1).any(|(c, _)| {
        let clean = (c.is("apt-get") || c.is("apt"))
            && apt_subcommand(c).is_some_and(|w| w.value == "clean");
        clean || removes_under(c, &["/var/cache/apt"])
    })
}

/// An edit that puts `suffix` after the `apt` at the end of a written name (`apt` →
/// `apt-get`, `/usr/bin/apt` → `/usr/bin/apt-get`, `"apt"` → `"apt-get"` in exec form).
fn extend_name(context: &Context, at: WordAt, suffix: &str) -> Option<Edit> {
    let span = at.span();
    let written = context.model.doc.text.get(span.start..span.end)?;
    let end = match at {
        WordAt::Shell(_) if written.ends_with("apt") => span.end,
        WordAt::Shell(_) if written.ends_with("apt'") || written.ends_with("apt\"") => span.end - 1,
        WordAt::Json(_) if written.ends_with("apt\"") => span.end - 1,
        _ => return None,
    };
    Some(Edit::insert(end, suffix))
}

/// The fix for one `apt` command, with its class.
fn rename(
    context: &Context,
    i: usize,
    commands: &[(&Command, &ScriptPart)],
    at: usize,
    cache_mounted: bool,
) -> Option<Fix> {
    let (command, part) = *commands.get(at)?;
    let name = command.words.first()?;
    let sub = apt_subcommand(command)?;
    let name_at = word_at(context, i, part, name)?;
    let subcommand = sub.value.as_str();
    if QUERIES.contains(&subcommand) {
        let edit = extend_name(context, name_at, "-cache")?;
        return Some(Fix::safe("Use apt-cache instead of apt", vec![edit]));
    }
    let mut edits = vec![extend_name(context, name_at, "-get")?];
    if subcommand == "full-upgrade" {
        edits.push(replace_word(context, i, part, sub, "dist-upgrade")?);
    }
    // As `apt-get install` the command meets the apt-get rules (DL3008, DL3014, DL3015):
    // the rename brings what they ask for, or is not offered (pins need a person).
    let mut recommends_dropped = false;
    if subcommand == "install" {
        if !unpinned_packages(command).is_empty() {
            return None;
        }
        let mut flags = Vec::new();
        if !assumes_yes(command) {
            flags.push("-y");
        }
        if !skips_recommends(command) {
            flags.push("--no-install-recommends");
            recommends_dropped = true;
        }
        if !flags.is_empty() {
            let at = word_at(context, i, part, sub)?;
            let text: String = flags
                .iter()
                .map(|flag| match at {
                    WordAt::Shell(_) => format!(" {flag}"),
                    WordAt::Json(_) => format!(", \"{flag}\""),
                })
                .collect();
            edits.push(Edit::insert(at.span().end, text));
        }
    }
    let title = "Use apt-get instead of apt";
    let keeps_cache =
        DOWNLOADING.contains(&subcommand) && !(cache_mounted || cache_emptied_after(commands, at));
    if SAME_NO_DOWNLOAD.contains(&subcommand)
        || (DOWNLOADING.contains(&subcommand) && !keeps_cache && !recommends_dropped)
    {
        Some(Fix::safe(title, edits))
    } else if DOWNLOADING.contains(&subcommand) {
        Some(Fix::unsafe_(title, edits))
    } else {
        None
    }
}

/// An edit that replaces a plain word with `text`.
fn replace_word(
    context: &Context,
    i: usize,
    part: &ScriptPart,
    word: &Word,
    text: &str,
) -> Option<Edit> {
    match word_at(context, i, part, word)? {
        WordAt::Shell(span) if !word.quoted => Some(Edit::replace(span, text)),
        WordAt::Json(span) => Some(Edit::replace(span, format!("\"{text}\""))),
        WordAt::Shell(_) => None,
    }
}

fn check(context: &Context, report: &mut Report) {
    for i in 0..context.len() {
        let Some(run) = context.run(i) else { continue };
        if run.commands_named("apt").next().is_none() {
            continue;
        }
        let commands: Vec<(&Command, &ScriptPart)> = run.commands().collect();
        let cache_mounted = has_cache_mount(context.mounts(i), "/var/cache/apt");
        for (at, &(command, part)) in commands.iter().enumerate() {
            if !command.is("apt") {
                continue;
            }
            let Some(name) = command.words.first() else {
                continue;
            };
            let replacement = match command.positional_args().first().map(|w| w.value.as_str()) {
                Some("search" | "show" | "policy" | "depends" | "rdepends" | "showsrc") => {
                    "apt-cache"
                }
                _ => "apt-get",
            };
            report
                .add(
                    i,
                    word_span(context.model, part, name),
                    format!("call `{replacement}` instead of `apt`, whose interface is not stable for scripts"),
                )
                .fix = rename(context, i, &commands, at, cache_mounted);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::g1_util::test_util::{fix_count, fixed, fixed_safe};
    use super::super::g2_util::test_support::{findings, spans};

    const CODE: &str = "DL3027";

    #[test]
    fn every_apt_command() {
        let text = "FROM debian:12\nRUN apt update && /usr/bin/apt install -y x && apt-get clean\nRUN bash -c 'apt show curl'\nONBUILD RUN apt upgrade\n";
        assert_eq!(spans(text, CODE), vec!["apt", "/usr/bin/apt", "apt", "apt"]);
        assert!(findings(text, CODE)[2].2.contains("apt-cache"));
    }

    #[test]
    fn fix_renames_to_apt_get_or_apt_cache() {
        let text = "FROM debian:12\nRUN apt update && apt show curl && /usr/bin/apt full-upgrade -y && apt-get clean\nRUN [\"apt\", \"update\"]\nRUN sh -c 'apt remove -y x'\n";
        assert_eq!(
            fixed_safe(CODE, text),
            "FROM debian:12\nRUN apt-get update && apt-cache show curl && /usr/bin/apt-get dist-upgrade -y && apt-get clean\nRUN [\"apt-get\", \"update\"]\nRUN sh -c 'apt-get remove -y x'\n"
        );
        assert_eq!(
            fixed(CODE, "FROM debian:12\nRUN <<EOF\napt update\nEOF\n"),
            "FROM debian:12\nRUN <<EOF\napt-get update\nEOF\n"
        );
    }

    #[test]
    fn install_brings_what_the_apt_get_rules_ask_for() {
        // Pinned, with the cache emptied later: safe, adding `-y`.
        let text = "FROM debian:12\nRUN apt install --no-install-recommends curl=7.88 \\\n    && rm -rf /var/cache/apt/archives\n";
        assert_eq!(
            fixed_safe(CODE, text),
            "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl=7.88 \\\n    && rm -rf /var/cache/apt/archives\n"
        );
        // Without the cache cleanup (apt-get keeps the .deb files) or with recommends
        // dropped, the fix is unsafe.
        let text = "FROM debian:12\nRUN apt install -y curl=7.88\n";
        assert_eq!(fixed_safe(CODE, text), text);
        assert_eq!(
            fixed(CODE, text),
            "FROM debian:12\nRUN apt-get install --no-install-recommends -y curl=7.88\n"
        );
        // Unpinned packages would need a version only a person can choose.
        assert_eq!(
            fix_count(CODE, "FROM debian:12\nRUN apt install -y curl\n"),
            0
        );
        // No apt-get equivalent with the same behaviour.
        for sub in [
            "upgrade",
            "list --installed",
            "reinstall curl",
            "edit-sources",
        ] {
            let text = format!("FROM debian:12\nRUN apt {sub}\n");
            assert_eq!(fix_count(CODE, &text), 0, "{sub}");
        }
    }
}
