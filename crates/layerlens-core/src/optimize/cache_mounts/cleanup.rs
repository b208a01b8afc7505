//! What a RUN deletes in a directory that gets a cache mount, and the edits that drop it.

use super::*;

/// How a path an `rm` deletes relates to a mounted directory (in order of consequence).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Hit {
    /// Unrelated.
    Miss,
    /// Something inside it.
    Part,
    /// The directory itself or all of its contents (`dir`, `dir/`, `dir/*`).
    Whole,
    /// A directory above it (or a glob that may match one): the mount point would be
    /// removed too, which fails.
    Parent,
}

/// The absolute path a word names, with `~` and `$HOME` read as root's home; `None` for
/// relative paths and other variables.
pub(super) fn literal_path(word: &Word) -> Option<String> {
    let v = word.value.as_str();
    let v = if v == "~" || v == "$HOME" || v == "${HOME}" {
        "/root".to_string()
    } else if let Some(rest) = v
        .strip_prefix("~/")
        .or_else(|| v.strip_prefix("$HOME/"))
        .or_else(|| v.strip_prefix("${HOME}/"))
    {
        format!("/root/{rest}")
    } else {
        v.to_string()
    };
    (v.starts_with('/') && !v.contains(['$', '`'])).then_some(v)
}

/// How deleting `word` touches `dir`.
pub(super) fn hit(word: &Word, dir: &str) -> Hit {
    let Some(path) = literal_path(word) else {
        return Hit::Miss;
    };
    let glob = path.find(['*', '?', '[']);
    let (base, whole) = match glob {
        // `dir/*` is all of it; a glob further down is a part; higher up it may match `dir`.
        Some(at) => {
            let base = path[..at].rsplit_once('/').map_or("", |(b, _)| b);
            let whole = &path[base.len()..] == "/*";
            (if base.is_empty() { "/" } else { base }.to_string(), whole)
        }
        None => {
            let trimmed = path.trim_end_matches('/');
            (
                if trimmed.is_empty() { "/" } else { trimmed }.to_string(),
                true,
            )
        }
    };
    if base == dir {
        return if whole { Hit::Whole } else { Hit::Part };
    }
    if is_within(&base, dir) {
        return Hit::Part;
    }
    if is_within(dir, &base) {
        return Hit::Parent;
    }
    Hit::Miss
}

/// `find ... -delete`, or `find ... -exec rm ...`.
pub(super) fn finds_and_deletes(cmd: &Command) -> bool {
    let args = cmd.args();
    cmd.is("find")
        && args.iter().enumerate().any(|(k, w)| {
            w.value == "-delete"
                || (matches!(w.value.as_str(), "-exec" | "-execdir")
                    && args
                        .get(k + 1)
                        .is_some_and(|next| next.value.ends_with("rm")))
        })
}

pub(super) fn is_rm(cmd: &Command) -> bool {
    cmd.is("rm") && !cmd.via_shell_c
}

/// Whether `cmd` deletes `dir` (or all its contents, or a directory above it).
pub(super) fn deletes(cmd: &Command, dir: &str) -> bool {
    is_rm(cmd)
        && cmd
            .positional_args()
            .iter()
            .any(|w| matches!(hit(w, dir), Hit::Whole | Hit::Parent))
}

/// Whether `cmd` is `<name> <sub...>` (`apt-get clean`, `npm cache clean`).
pub(super) fn is_call(cmd: &Command, names: &[&str], subs: &[&[&str]]) -> bool {
    if !names.iter().any(|n| cmd.is(n)) {
        return false;
    }
    let positional: Vec<&str> = cmd
        .positional_args()
        .iter()
        .map(|w| w.value.as_str())
        .collect();
    subs.iter().any(|s| positional.starts_with(s))
}

/// Whether `cmd` is a manager's own cleanup of a cache that is now mounted: it would only
/// empty the cache.
pub(super) fn cleans_cache(cmd: &Command, targets: &[&str]) -> bool {
    let has = |t: &str| targets.contains(&t);
    (has(APT_ARCHIVES)
        && is_call(
            cmd,
            &["apt-get", "apt"],
            &[&["clean"], &["autoclean"], &["distclean"], &["dist-clean"]],
        ))
        || (has("/root/.cache/pip") && is_call(cmd, &["pip", "pip3"], &[&["cache", "purge"]]))
        || (has("/root/.npm") && is_call(cmd, &["npm"], &[&["cache", "clean"]]))
        || (has("/usr/local/share/.cache/yarn") && is_call(cmd, &["yarn"], &[&["cache", "clean"]]))
        || (has("/root/.cache/uv")
            && is_call(cmd, &["uv"], &[&["cache", "clean"], &["cache", "prune"]]))
        || (targets.iter().any(|t| t.ends_with("/store"))
            && is_call(cmd, &["pnpm"], &[&["store", "prune"]]))
        || (has("/root/.cache/pypoetry/cache") && is_call(cmd, &["poetry"], &[&["cache", "clear"]]))
        || (has("/go/pkg/mod") && is_go_cache_clean(cmd))
}

/// `go clean` with only cache flags (`-cache`, `-modcache`, `-testcache`, `-fuzzcache`).
pub(super) fn is_go_cache_clean(cmd: &Command) -> bool {
    cmd.is("go")
        && cmd.args().first().is_some_and(|w| w.value == "clean")
        && cmd.args().len() > 1
        && cmd.args()[1..].iter().all(|w| {
            matches!(
                w.value.trim_start_matches('-'),
                "cache" | "modcache" | "testcache" | "fuzzcache"
            )
        })
}

pub(super) fn command_text<'a>(part: &'a ScriptPart, cmd: &Command) -> &'a str {
    part.text
        .get(cmd.range.clone())
        .unwrap_or("")
        .lines()
        .next()
        .unwrap_or("")
        .trim()
}

/// Deletes word `at` of `cmd` (with the space before it).
pub(super) fn drop_word(
    model: &Model,
    i: usize,
    part: &ScriptPart,
    cmd: &Command,
    at: usize,
) -> Option<Edit> {
    let before = cmd.words.get(at.checked_sub(1)?)?;
    let prev_end = part
        .span(
            model,
            &(before.range.end.saturating_sub(1)..before.range.end),
        )
        .end;
    let span = part.span(model, &cmd.words[at].range);
    delete_word(model, i, prev_end, span, &FixStyle::of(model))
}

/// Edits that drop what RUN `i` does to clean the `targets` (see the module doc), with a
/// description of each, or why the mounts cannot go on this RUN.
pub(super) fn drop_cleanup(
    model: &Model,
    i: usize,
    targets: &[&str],
) -> Result<(Vec<Edit>, Vec<String>), String> {
    let Some(run) = model.run(i) else {
        return Ok((Vec::new(), Vec::new()));
    };
    let mut edits = Vec::new();
    let mut dropped = Vec::new();
    let cannot = |cmd: &Command, part: &ScriptPart| {
        format!(
            "`{}` cleans a directory that would be a cache mount, and cannot be dropped \
             cleanly from the RUN",
            command_text(part, cmd)
        )
    };
    for (cmd, part) in run.commands() {
        if cmd.is("rm") {
            let words = cmd.positional_args();
            let hits: Vec<Hit> = words
                .iter()
                .map(|w| targets.iter().map(|t| hit(w, t)).max().unwrap_or(Hit::Miss))
                .collect();
            if let Some(k) = hits.iter().position(|h| *h == Hit::Parent) {
                return Err(format!(
                    "`rm {}` would also remove a directory that would be a cache mount, and \
                     fail on it",
                    words[k].value
                ));
            }
            let mounted: Vec<usize> = (0..words.len()).filter(|&k| hits[k] != Hit::Miss).collect();
            if mounted.is_empty() {
                continue;
            }
            if mounted.len() == words.len() {
                let more = delete_list_element(model, i, run, part, cmd);
                edits.extend(more.ok_or_else(|| cannot(cmd, part))?);
                dropped.push(format!("`{}`", command_text(part, cmd)));
                continue;
            }
            // The other paths stay: only the mounted ones leave the `rm`.
            if cmd.via_shell_c {
                return Err(cannot(cmd, part));
            }
            for k in mounted {
                let at = cmd.words.iter().position(|w| std::ptr::eq(w, words[k]));
                let edit = at.and_then(|at| drop_word(model, i, part, cmd, at));
                edits.push(edit.ok_or_else(|| cannot(cmd, part))?);
                dropped.push(format!("`{}` (from `rm`)", words[k].value));
            }
        } else if finds_and_deletes(cmd)
            && cmd
                .args()
                .iter()
                .any(|w| targets.iter().any(|t| hit(w, t) != Hit::Miss))
        {
            return Err(format!(
                "`{}` deletes in a directory that would be a cache mount",
                command_text(part, cmd)
            ));
        } else if cleans_cache(cmd, targets) {
            let more = delete_list_element(model, i, run, part, cmd);
            edits.extend(more.ok_or_else(|| cannot(cmd, part))?);
            dropped.push(format!("`{}`", command_text(part, cmd)));
        }
    }
    Ok((edits, dropped))
}
