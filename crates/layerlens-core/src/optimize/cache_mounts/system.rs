//! apt and apk: one verdict per RUN, since what the RUN does before and after the install
//! (updating, cleaning) and what the RUNs around it leave or read decide it.

use super::*;

/// apt subcommands that neither read the package lists nor download anything.
pub(super) const APT_NO_LISTS: [&str; 9] = [
    "update",
    "clean",
    "autoclean",
    "distclean",
    "dist-clean",
    "remove",
    "purge",
    "autoremove",
    "autopurge",
];

/// apt subcommands that download packages.
pub(super) const APT_DOWNLOADS: [&str; 10] = [
    "install",
    "upgrade",
    "dist-upgrade",
    "full-upgrade",
    "dselect-upgrade",
    "build-dep",
    "source",
    "download",
    "reinstall",
    "satisfy",
];

pub(super) fn is_apt(cmd: &Command) -> bool {
    ["apt-get", "apt", "aptitude"].iter().any(|n| cmd.is(n))
}

/// The subcommand of an apt front end (`None` for other commands, or when hidden in a
/// variable).
pub(super) fn apt_sub(cmd: &Command) -> Option<String> {
    if !is_apt(cmd) {
        return None;
    }
    package_op(cmd).map(|op| op.sub)
}

pub(super) fn apt_update(cmd: &Command) -> bool {
    apt_sub(cmd).as_deref() == Some("update")
}

/// Whether `cmd` reads apt's package lists (any apt front end but for updating, cleaning and
/// removing).
pub(super) fn reads_lists(cmd: &Command) -> bool {
    if cmd.is("apt-cache") {
        return true;
    }
    is_apt(cmd) && apt_sub(cmd).is_none_or(|s| !APT_NO_LISTS.contains(&s.as_str()))
}

pub(super) fn downloads_debs(cmd: &Command) -> bool {
    apt_sub(cmd).is_some_and(|s| APT_DOWNLOADS.contains(&s.as_str()))
}

pub(super) fn deletes_lists(cmd: &Command) -> bool {
    deletes(cmd, APT_LISTS) || is_call(cmd, &["apt-get", "apt"], &[&["distclean"], &["dist-clean"]])
}

/// Whether RUN `j` reads package lists left by earlier layers (before updating them).
pub(super) fn needs_old_lists(model: &Model, j: usize) -> bool {
    for c in commands(model, j) {
        if apt_update(c) {
            return false;
        }
        if reads_lists(c) {
            return true;
        }
    }
    false
}

/// Whether RUN `j` leaves package lists in its layer (it updates and does not delete them
/// after its last update).
pub(super) fn leaves_lists(model: &Model, j: usize) -> bool {
    let cmds = commands(model, j);
    match cmds.iter().rposition(|c| apt_update(c)) {
        Some(last) => !cmds[last + 1..].iter().any(|c| deletes_lists(c)),
        None => false,
    }
}

pub(super) fn apt(
    model: &Model,
    i: usize,
    run: &RunAnalysis,
    planned: &[(usize, String)],
) -> Found {
    let cmds: Vec<&Command> = run.commands().map(|(c, _)| c).collect();
    if !cmds.iter().any(|c| downloads_debs(c)) {
        return None;
    }
    let Some(first) = cmds.iter().position(|c| apt_update(c)) else {
        return refused(
            "apt",
            "apt installs without `apt-get update` in the same RUN: it reads the lists the \
             image already has, which the mount would hide",
        );
    };
    if let Some(c) = cmds[..first].iter().find(|c| reads_lists(c)) {
        return refused(
            "apt",
            format!(
                "`{}` runs before `apt-get update`: it reads the lists the image already has, \
                 which the mount would hide",
                c.words
                    .iter()
                    .take(2)
                    .map(|w| w.value.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        );
    }
    // The mounts hide what earlier layers left there, and keep it in the image.
    let cleans_archives = cmds.iter().any(|c| {
        cleans_cache(c, &[APT_ARCHIVES])
            || (is_rm(c)
                && c.positional_args()
                    .iter()
                    .any(|w| hit(w, APT_ARCHIVES) != Hit::Miss))
    });
    for j in earlier_runs(model, i) {
        let lists = !will_cover(model, planned, j, APT_LISTS) && leaves_lists(model, j);
        let debs = cleans_archives
            && !will_cover(model, planned, j, APT_ARCHIVES)
            && commands(model, j).iter().any(|c| downloads_debs(c));
        if lists || debs {
            return refused(
                "apt",
                format!(
                    "the RUN on line {} leaves {} without these cache mounts: the mount \
                     would hide them from this RUN and keep them in the image",
                    line_of(model, j),
                    if lists {
                        "package lists"
                    } else {
                        "downloaded packages"
                    }
                ),
            );
        }
    }
    // Lists this RUN used to leave in the image must not be needed later.
    let last = cmds.iter().rposition(|c| apt_update(c)).unwrap_or(first);
    if !cmds[last + 1..].iter().any(|c| deletes_lists(c)) {
        if let Some(why) = later_reader(model, i, APT_LISTS, "the package lists", |k| {
            needs_old_lists(model, k)
        }) {
            return refused("apt", why);
        }
    }
    Some(Ok(Use::new(
        "apt",
        vec![Cache::locked(APT_ARCHIVES), Cache::locked(APT_LISTS)],
    )))
}

/// apk subcommands that read the repository index (as DL3019 counts them).
pub(super) const APK_READS_INDEX: [&str; 9] = [
    "add", "upgrade", "fix", "search", "fetch", "policy", "list", "dot", "version",
];

pub(super) fn apk_sub(cmd: &Command) -> Option<String> {
    if !cmd.is("apk") {
        return None;
    }
    package_op(cmd).map(|op| op.sub)
}

/// Whether an apk command fetches the index itself (`-U`, `--update-cache`, `--update`).
pub(super) fn apk_fetches(cmd: &Command) -> bool {
    cmd.has_flag('U') || cmd.has_long_flag("update-cache") || cmd.has_long_flag("update")
}

/// Whether apk command `cmd` writes or reads the index in `/var/cache/apk`.
pub(super) fn apk_uses_cache(cmd: &Command) -> bool {
    !cmd.has_long_flag("no-cache")
        && apk_sub(cmd).is_some_and(|s| s == "update" || APK_READS_INDEX.contains(&s.as_str()))
}

/// Whether RUN `j` reads an index left by earlier layers (before fetching one itself).
pub(super) fn needs_old_index(model: &Model, j: usize) -> bool {
    for c in commands(model, j) {
        let Some(sub) = apk_sub(c) else { continue };
        if sub == "update" || apk_fetches(c) {
            return false;
        }
        if apk_uses_cache(c) {
            return true;
        }
    }
    false
}

/// Whether RUN `j` leaves an index in `/var/cache/apk`.
pub(super) fn leaves_index(model: &Model, j: usize) -> bool {
    let cmds = commands(model, j);
    match cmds.iter().rposition(|c| apk_uses_cache(c)) {
        Some(last) => !cmds[last + 1..].iter().any(|c| deletes(c, APK_CACHE)),
        None => false,
    }
}

pub(super) fn apk(
    model: &Model,
    i: usize,
    run: &RunAnalysis,
    planned: &[(usize, String)],
) -> Found {
    if run.exec_form {
        return None;
    }
    let mut used = Use::new("apk", vec![Cache::shared(APK_CACHE)]);
    let mut fetched = false;
    let mut adds = false;
    let mut left = false;
    let mut last_use = 0;
    let cmds: Vec<(&Command, &ScriptPart)> = run.commands().collect();
    for (n, &(cmd, part)) in cmds.iter().enumerate() {
        let Some(sub) = apk_sub(cmd) else { continue };
        adds |= sub == "add";
        if sub == "update" {
            fetched = true;
            left = true;
            last_use = n;
            continue;
        }
        if !APK_READS_INDEX.contains(&sub.as_str()) {
            continue;
        }
        if let Some(at) = cmd.words.iter().position(|w| w.value == "--no-cache") {
            // With the mount apk keeps the index there: fetch it fresh once per RUN.
            let edit = if fetched || apk_fetches(cmd) {
                drop_word(model, i, part, cmd, at)
            } else {
                Some(Edit::replace(
                    part.span(model, &cmd.words[at].range),
                    "--update-cache",
                ))
            };
            let Some(edit) = edit else {
                return refused(
                    "apk",
                    format!(
                        "`--no-cache` of `{}` cannot be changed cleanly",
                        command_text(part, cmd)
                    ),
                );
            };
            used.notes.push(if fetched || apk_fetches(cmd) {
                "`--no-cache` dropped".into()
            } else {
                "`--no-cache` → `--update-cache`".into()
            });
            used.edits.push(edit);
            fetched = true;
            continue;
        }
        if cmd.has_long_flag("no-cache") {
            // Written `--no-cache=...` or hidden in a cluster: leave it to the author.
            return None;
        }
        if !(fetched || apk_fetches(cmd)) {
            return refused(
                "apk",
                format!(
                    "`{}` reads the package index before the RUN fetches one: with the mount \
                     it would read whatever an earlier build left there",
                    command_text(part, cmd)
                ),
            );
        }
        fetched = true;
        left = true;
        last_use = n;
    }
    if !adds {
        return None;
    }
    let cleans = cmds.iter().any(|(c, _)| {
        is_rm(c)
            && c.positional_args()
                .iter()
                .any(|w| hit(w, APK_CACHE) != Hit::Miss)
    });
    if left || cleans {
        if let Some(j) = earlier_runs(model, i)
            .into_iter()
            .find(|&j| !will_cover(model, planned, j, APK_CACHE) && leaves_index(model, j))
        {
            return refused(
                "apk",
                format!(
                    "the RUN on line {} leaves a package index in /var/cache/apk without this \
                     cache mount: the mount would hide it from this RUN and keep it in the \
                     image",
                    line_of(model, j)
                ),
            );
        }
    }
    let removed = cmds[last_use..].iter().any(|(c, _)| deletes(c, APK_CACHE));
    if left && !removed {
        if let Some(why) = later_reader(model, i, APK_CACHE, "the package index", |k| {
            needs_old_index(model, k)
        }) {
            return refused("apk", why);
        }
    }
    Some(Ok(used))
}
