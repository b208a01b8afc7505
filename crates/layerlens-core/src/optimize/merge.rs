//! Merging RUNs that belong together, moving cleanup into the layer that created the files,
//! and dropping cleanup layers that delete nothing. All **unsafe** (layer boundaries and
//! failure points of the build change).
//!
//! RUNs belong together when they are consecutive in a stage (only comments and blank lines
//! between) and:
//! - one only refreshes package lists (`apt-get update`) and the next installs with the same
//!   manager: apart, the update layer is reused from the cache while the install changes,
//!   so the install reads stale lists, and the lists stay in a layer of their own;
//! - a later one removes what an earlier one created (apt lists, package caches, a
//!   downloaded file, installed packages): apart, the removal only hides the bytes, which
//!   stay in the earlier layer; everything between an install and the removal of that
//!   package goes along, since it uses the package.
//!
//! After an apt removal in a merged RUN, `apt-get autoremove -y` is added when missing, so
//! the dependencies pulled in with the removed packages go too (the guide's remedy).
//!
//! Guards for merging: shell form without heredocs, identical flags, no shell comment at the
//! end of a RUN that gets text appended, no shell state carried (`cd`, `export`, `set`,
//! `exit`, functions, `&`) out of every RUN but the last, every RUN but the first a plain
//! `&&` chain (so `x && <it>` runs all of it or fails), and no lint pragma above a RUN that
//! disappears.

use crate::fix::{Applicability, Edit};
use crate::model::Model;
use crate::text::Span;

use super::engine::{Candidate, Ctx, Proposal, Refusal};
use super::facts::{
    changes_shell_state, cleanup, flags_text, has_trailing_text, is_and_list, is_apt_lists,
    package_op, plain_run, real_commands, uses_apt, Cleanup, Pm,
};
use super::text::{
    blanks_between, has_pragma_above, line_end, line_of, only_trivia_between, short,
};
use super::MoveKind;

/// What a group of RUNs created that later RUNs may remove.
#[derive(Default)]
struct Created {
    apt_lists: bool,
    apt_installs: bool,
    packages: Vec<(Pm, String)>,
    downloads: Vec<String>,
    caches: bool,
}

impl Created {
    fn add(&mut self, model: &Model, i: usize) {
        let Some(part) = model.run(i).and_then(|r| r.parts.first()) else {
            return;
        };
        let workdir = model.contexts[i].workdir.clone();
        for cmd in &part.script.commands {
            if let Some(op) = package_op(cmd) {
                if op.is_update() && op.manager == Pm::Apt {
                    self.apt_lists = true;
                }
                if op.is_install() {
                    if op.manager == Pm::Apt {
                        self.apt_installs = true;
                    }
                    self.caches = true;
                    for p in op.packages {
                        self.packages.push((op.manager, p));
                    }
                }
            }
            let name = cmd.basename().unwrap_or("");
            if matches!(name, "pip" | "pip3" | "npm" | "yarn") {
                self.caches = true;
            }
            if name == "curl" {
                for v in cmd
                    .flag_values("-o")
                    .into_iter()
                    .chain(cmd.flag_values("--output"))
                {
                    if !v.contains('$') && v != "-" {
                        self.downloads.push(crate::model::join_path(&workdir, v));
                    }
                }
            }
            if name == "wget" {
                for v in cmd
                    .flag_values("-O")
                    .into_iter()
                    .chain(cmd.flag_values("--output-document"))
                {
                    if !v.contains('$') && v != "-" {
                        self.downloads.push(crate::model::join_path(&workdir, v));
                    }
                }
            }
        }
    }

    /// Whether `cleanup` removes something this group created.
    fn cleaned_by(&self, c: &Cleanup, workdir: &str) -> bool {
        match c {
            Cleanup::Rm(paths) => paths.iter().any(|p| {
                if is_apt_lists(p) {
                    return self.apt_lists;
                }
                let abs = crate::model::join_path(workdir, p);
                let prefix = abs.trim_end_matches('*');
                self.downloads
                    .iter()
                    .any(|d| d == &abs || (p.ends_with('*') && d.starts_with(prefix)))
                    || (self.caches && is_cache_path(&abs))
            }),
            Cleanup::CacheClean => self.caches || self.apt_installs,
            Cleanup::Remove(pm, names) => {
                (names.is_empty() && *pm == Pm::Apt && self.apt_installs)
                    || names
                        .iter()
                        .any(|n| self.packages.iter().any(|(m, p)| m == pm && p == n))
            }
        }
    }
}

/// Package-manager caches and temporary directories.
fn is_cache_path(path: &str) -> bool {
    ["/var/cache/", "/root/.cache", "/tmp/", "/root/.npm"]
        .iter()
        .any(|p| path.starts_with(p))
}

/// The cleanup commands of a RUN when it does nothing else.
fn cleanup_only(model: &Model, i: usize) -> Option<Vec<Cleanup>> {
    let part = model.run(i)?.parts.first()?;
    let mut out = Vec::new();
    for cmd in real_commands(&part.script) {
        out.push(cleanup(cmd)?);
    }
    (!out.is_empty()).then_some(out)
}

/// Whether a RUN only refreshes apt's package lists.
fn update_only(model: &Model, i: usize) -> bool {
    model.run(i).and_then(|r| r.parts.first()).is_some_and(|p| {
        let mut any = false;
        for cmd in real_commands(&p.script) {
            match package_op(cmd) {
                Some(op) if op.is_update() && op.manager == Pm::Apt => any = true,
                _ => return false,
            }
        }
        any
    })
}

fn installs_apt(model: &Model, i: usize) -> bool {
    model.run(i).and_then(|r| r.parts.first()).is_some_and(|p| {
        p.script
            .commands
            .iter()
            .filter_map(package_op)
            .any(|op| op.manager == Pm::Apt && op.is_install())
    })
}

/// Packages a RUN removes.
fn removals(model: &Model, i: usize) -> Vec<(Pm, String)> {
    let Some(p) = model.run(i).and_then(|r| r.parts.first()) else {
        return Vec::new();
    };
    p.script
        .commands
        .iter()
        .filter_map(package_op)
        .filter(|op| op.is_removal())
        .flat_map(|op| op.packages.into_iter().map(move |n| (op.manager, n)))
        .collect()
}

/// The RUN instructions of a stage in order, and whether each pair is adjacent.
fn runs_of(model: &Model, stage: usize) -> Vec<usize> {
    model.stages[stage]
        .instructions
        .iter()
        .copied()
        .filter(|&i| matches!(model.typed[i], crate::instructions::Typed::Run(_)))
        .collect()
}

/// Adjacent RUN successor of `i` in its stage.
fn next_run(model: &Model, stage: usize, i: usize) -> Option<usize> {
    let ins = &model.stages[stage].instructions;
    let at = ins.iter().position(|&k| k == i)?;
    let next = *ins.get(at + 1)?;
    (matches!(model.typed[next], crate::instructions::Typed::Run(_))
        && only_trivia_between(model, i, next))
    .then_some(next)
}

/// Why a group cannot be merged, if it cannot.
fn unmergeable(model: &Model, group: &[usize], append_after_last: bool) -> Option<String> {
    let first_flags = flags_text(model, group[0]);
    for (k, &i) in group.iter().enumerate() {
        let line = line_of(model, i);
        let Some(part) = plain_run(model, i) else {
            return Some(format!(
                "the RUN on line {line} is not a plain shell-form RUN (exec form, heredoc or unparsable)"
            ));
        };
        if flags_text(model, i) != first_flags {
            return Some(format!("the RUN on line {line} has other flags"));
        }
        let last = k + 1 == group.len();
        if (!last || append_after_last) && has_trailing_text(part) {
            return Some(format!(
                "the RUN on line {line} ends with a shell comment, which would swallow what follows"
            ));
        }
        if !last && changes_shell_state(&part.script) {
            return Some(format!(
                "the RUN on line {line} changes the shell's state (cd, export, set...), which would carry over"
            ));
        }
        if k > 0 && !is_and_list(&part.script) {
            return Some(format!(
                "the RUN on line {line} is not a plain `&&` chain, so joining it with `&&` would change when its commands run"
            ));
        }
        if k > 0 && has_pragma_above(model, i) {
            return Some(format!(
                "a lint pragma above the RUN on line {line} applies to that RUN alone"
            ));
        }
    }
    None
}

/// The edits that merge `group` into its first RUN, plus `extra` commands at the end.
fn merge_edits(cx: &Ctx, group: &[usize], extra: &[String]) -> Vec<Edit> {
    let model = cx.model;
    let style = &cx.style;
    let text = &model.doc.text;
    let mut edits = Vec::new();
    for pair in group.windows(2) {
        let (prev, next) = (pair[0], pair[1]);
        let joint = if style.trailing_and {
            format!(" && {}", style.escape)
        } else {
            format!(" {}", style.escape)
        };
        edits.push(Edit::insert(line_end(model, prev), joint));
        for blank in blanks_between(model, prev, next) {
            edits.push(Edit::delete(blank));
        }
        // `RUN --flags ` of the next RUN becomes the continuation's indent (and `&& `).
        let start = model.doc.instructions[next].span.start;
        let shell_start = plain_run(model, next)
            .and_then(|_| match &model.typed[next] {
                crate::instructions::Typed::Run(r) => match &r.command {
                    crate::instructions::CommandLine::Shell(t) => Some(t.span.start),
                    _ => None,
                },
                _ => None,
            })
            .unwrap_or(start);
        let lead = if style.trailing_and {
            style.indent.clone()
        } else {
            format!("{}&& ", style.indent)
        };
        // Keep the prefix only if it is on one line (flags split over lines are rewritten).
        let prefix = Span::new(start, shell_start);
        let _ = prefix.slice(text);
        edits.push(Edit::replace(prefix, lead));
    }
    if !extra.is_empty() {
        let last = *group.last().unwrap_or(&group[0]);
        let mut chain = String::new();
        for cmd in extra {
            chain.push_str(&style.and_chain(&[String::new(), cmd.clone()]));
        }
        edits.push(Edit::insert(line_end(model, last), chain));
    }
    edits
}

/// Builds the group starting at `start`, with the reasons it belongs together.
fn group_from(model: &Model, stage: usize, start: usize) -> (Vec<usize>, Vec<&'static str>) {
    let mut group = vec![start];
    let mut created = Created::default();
    created.add(model, start);
    let mut reasons: Vec<&'static str> = Vec::new();
    let mut current = start;
    while let Some(next) = next_run(model, stage, current) {
        let workdir = model.contexts[next].workdir.clone();
        let belongs =
            if update_only(model, current) && group.len() == 1 && installs_apt(model, next) {
                reasons.push("update");
                true
            } else if let Some(cleanups) = cleanup_only(model, next) {
                let ok = cleanups.iter().any(|c| created.cleaned_by(c, &workdir));
                if ok {
                    reasons.push("cleanup");
                }
                ok
            } else {
                // Between an install and the removal of what it installed.
                let mut k = next;
                let mut found = false;
                let mut hops = 0;
                loop {
                    let removed = removals(model, k);
                    if removed
                        .iter()
                        .any(|(m, n)| created.packages.iter().any(|(pm, p)| pm == m && p == n))
                    {
                        found = true;
                        break;
                    }
                    hops += 1;
                    match next_run(model, stage, k) {
                        Some(n) if hops < 16 => k = n,
                        _ => break,
                    }
                }
                if found {
                    reasons.push("remove");
                }
                found
            };
        if !belongs {
            break;
        }
        created.add(model, next);
        group.push(next);
        current = next;
    }
    (group, reasons)
}

/// Whether the merged group removes apt packages without autoremoving their dependencies.
fn needs_autoremove(model: &Model, group: &[usize]) -> Option<String> {
    let mut removal_tool = None;
    for &i in group {
        let Some(part) = model.run(i).and_then(|r| r.parts.first()) else {
            continue;
        };
        for cmd in &part.script.commands {
            if let Some(op) = package_op(cmd) {
                if op.manager != Pm::Apt || !op.is_removal() {
                    continue;
                }
                if op.sub.starts_with("auto") || cmd.has_long_flag("auto-remove") {
                    return None;
                }
                removal_tool = cmd.name().map(str::to_string);
            }
        }
    }
    removal_tool.map(|tool| format!("{tool} autoremove -y"))
}

pub fn propose(cx: &Ctx) -> Vec<Proposal> {
    let model = cx.model;
    let mut out = Vec::new();
    for stage in 0..model.stages.len() {
        let runs = runs_of(model, stage);
        let mut skip_until = 0;
        for (pos, &start) in runs.iter().enumerate() {
            if pos < skip_until {
                continue;
            }
            let (group, reasons) = group_from(model, stage, start);
            if group.len() < 2 {
                continue;
            }
            skip_until = pos + group.len();
            let first = line_of(model, group[0]);
            let last = line_of(model, *group.last().unwrap_or(&start));
            let title = format!("Merge {} RUNs (lines {first}–{last}) into one", group.len());
            let mut rules = vec!["DL3059".to_string()];
            if reasons.iter().any(|r| *r == "cleanup" || *r == "remove") {
                rules.push("LL1006".to_string());
            }
            if reasons.contains(&"update") {
                rules.push("DL3009".to_string());
            }
            let at = Span::new(
                model.doc.instructions[group[0]].span.start,
                model.doc.instructions[*group.last().unwrap_or(&start)]
                    .span
                    .end,
            );
            let mut group = group;
            let mut reasons = reasons;
            let mut autoremove = needs_autoremove(model, &group);
            if let Some(why) = unmergeable(model, &group, autoremove.is_some()) {
                // The update and the install alone may still go together.
                let prefix = group[..2].to_vec();
                if group.len() > 2
                    && reasons.first() == Some(&"update")
                    && unmergeable(model, &prefix, false).is_none()
                {
                    group = prefix;
                    reasons.truncate(1);
                    autoremove = None;
                    rules.retain(|r| r != "LL1006");
                } else {
                    out.push(Err(Refusal {
                        kind: MoveKind::MergeRuns,
                        title,
                        rules,
                        reason: why,
                        at,
                    }));
                    continue;
                }
            }
            let last = line_of(model, *group.last().unwrap_or(&start));
            let title = format!("Merge {} RUNs (lines {first}–{last}) into one", group.len());
            let at = Span::new(
                model.doc.instructions[group[0]].span.start,
                model.doc.instructions[*group.last().unwrap_or(&start)]
                    .span
                    .end,
            );
            let extra: Vec<String> = autoremove.into_iter().collect();
            let mut c = Candidate::new(MoveKind::MergeRuns, Applicability::Unsafe, at);
            c.title = title;
            c.moved = group
                .iter()
                .map(|&i| format!("`{}`", short(model, i)))
                .collect::<Vec<_>>()
                .join(" + ")
                + if extra.is_empty() {
                    ""
                } else {
                    ", then `apt-get autoremove -y`"
                };
            c.why = why_text(&reasons, !extra.is_empty());
            c.rules = rules;
            c.key = format!(
                "merge:{}",
                group
                    .iter()
                    .map(|&i| model.doc.instructions[i].original().to_string())
                    .collect::<Vec<_>>()
                    .join("|")
            );
            c.edits = merge_edits(cx, &group, &extra);
            out.push(Ok(c));
        }
        out.extend(move_cleanup(cx, stage));
        out.extend(update_and_delete(cx, stage));
    }
    out
}

/// A RUN that only downloads the apt lists and deletes them again (what is left of
/// `apt-get update && apt-get upgrade` once the upgrade is gone): its layer holds nothing.
fn update_and_delete(cx: &Ctx, stage: usize) -> Vec<Proposal> {
    let model = cx.model;
    let mut out = Vec::new();
    for &i in &model.stages[stage].instructions {
        let Some(part) = plain_run(model, i) else {
            continue;
        };
        let mut updated = false;
        let mut deleted = false;
        let mut other = false;
        for cmd in real_commands(&part.script) {
            match (package_op(cmd), cleanup(cmd)) {
                (Some(op), _) if op.is_update() && op.manager == Pm::Apt && !deleted => {
                    updated = true
                }
                (_, Some(Cleanup::Rm(paths)))
                    if updated
                        && paths.iter().all(|p| {
                            let p = p.trim_end_matches('/');
                            p == "/var/lib/apt/lists" || p.starts_with("/var/lib/apt/lists/")
                        }) =>
                {
                    deleted = true
                }
                _ => other = true,
            }
        }
        if !updated || !deleted || other || has_pragma_above(model, i) {
            continue;
        }
        let at = model.doc.instructions[i].span;
        let mut c = Candidate::new(MoveKind::RemoveNoopCleanup, Applicability::Unsafe, at);
        c.title = format!(
            "Drop the RUN on line {} that only refreshes and deletes the apt lists",
            line_of(model, i)
        );
        c.moved = format!("`{}` removed", short(model, i));
        c.rules = vec!["DL3009".into(), "LL1008".into()];
        c.why = "The RUN downloads the package lists and deletes them again: it installs nothing \
                 and its layer holds nothing but the deletion."
            .into();
        c.key = format!("update-delete:{}", model.doc.instructions[i].original());
        c.edits = vec![Edit::delete(at)];
        out.push(Ok(c));
    }
    out
}

fn why_text(reasons: &[&str], autoremove: bool) -> String {
    let mut parts = Vec::new();
    if reasons.contains(&"update") {
        parts.push(
            "`apt-get update` in a RUN of its own is cached on its own: when the install line \
             changes, BuildKit reuses the old package lists and installs from stale indexes, and \
             the lists stay in a layer of their own.",
        );
    }
    if reasons.contains(&"cleanup") || reasons.contains(&"remove") {
        parts.push(
            "A layer only ever adds: deleting files or packages in a later RUN hides them but \
             keeps their bytes in the layer that created them. Removing them in the same RUN \
             keeps them out of the image.",
        );
    }
    if autoremove {
        parts.push(
            "`apt-get autoremove -y` also removes the packages that came in only as \
             dependencies of what was removed.",
        );
    }
    if parts.is_empty() {
        parts.push("These steps belong together; one RUN makes one layer.");
    }
    parts.join(" ")
}

/// Cleanup RUNs of apt lists that are not next to the RUN that downloaded the lists: the
/// cleanup moves into that RUN (or, when the lists are already gone, the RUN is dropped).
fn move_cleanup(cx: &Ctx, stage: usize) -> Vec<Proposal> {
    let model = cx.model;
    let mut out = Vec::new();
    let ins = &model.stages[stage].instructions;
    for (pos, &c) in ins.iter().enumerate() {
        let Some(cleanups) = cleanup_only(model, c) else {
            continue;
        };
        let lists_only = cleanups.iter().all(|x| match x {
            Cleanup::Rm(paths) => paths.iter().all(|p| is_apt_lists(p)),
            _ => false,
        });
        if !lists_only || plain_run(model, c).is_none() {
            continue;
        }
        // The nearest earlier RUN of the stage that touches apt.
        let Some((back, &r)) = ins[..pos].iter().enumerate().rev().find(|(_, &k)| {
            model
                .run(k)
                .and_then(|x| x.parts.first())
                .is_some_and(|p| p.script.commands.iter().any(uses_apt))
        }) else {
            continue;
        };
        // Adjacent RUNs are the merge's business.
        if back + 1 == pos
            && matches!(model.typed[r], crate::instructions::Typed::Run(_))
            && only_trivia_between(model, r, c)
        {
            continue;
        }
        let Some(part) = plain_run(model, r) else {
            continue;
        };
        let at = model.doc.instructions[c].span;
        let line = line_of(model, c);
        // Does `r` already delete the lists after its last update?
        let mut lists_present = false;
        let mut removed_all_lists = false;
        for cmd in &part.script.commands {
            if let Some(op) = package_op(cmd) {
                if op.is_update() && op.manager == Pm::Apt {
                    lists_present = true;
                    removed_all_lists = false;
                }
            }
            if let Some(Cleanup::Rm(paths)) = cleanup(cmd) {
                if paths.iter().any(|p| is_apt_lists(p)) {
                    lists_present = false;
                }
                if paths.iter().any(|p| {
                    matches!(
                        p.trim_end_matches('/'),
                        "/var/lib/apt/lists/*" | "/var/lib/apt/lists" | "/var/lib/apt"
                    )
                }) {
                    removed_all_lists = true;
                }
            }
        }
        // A no-op only when it deletes nothing but lists that are already gone.
        let within_lists = cleanups.iter().all(|x| match x {
            Cleanup::Rm(paths) => paths.iter().all(|p| {
                let p = p.trim_end_matches('/');
                p == "/var/lib/apt/lists" || p.starts_with("/var/lib/apt/lists/")
            }),
            _ => false,
        });
        let has_pragma = has_pragma_above(model, c);
        if has_pragma {
            continue;
        }
        let delete = Edit::delete(at);
        if !lists_present {
            let any_update = part
                .script
                .commands
                .iter()
                .filter_map(package_op)
                .any(|op| op.is_update());
            if !any_update || !removed_all_lists || !within_lists {
                // The lists may come from the base image: not provably a no-op.
                continue;
            }
            let mut cand = Candidate::new(MoveKind::RemoveNoopCleanup, Applicability::Unsafe, at);
            cand.title = format!("Drop the cleanup RUN on line {line}");
            cand.moved = format!(
                "`{}` removed: the RUN on line {} already deletes the apt lists",
                short(model, c),
                line_of(model, r)
            );
            cand.rules = vec!["LL1006".into()];
            cand.why = "The package lists were already deleted in the RUN that downloaded them; \
                        this RUN deletes nothing and only adds an empty layer."
                .into();
            cand.key = format!("noop:{}", model.doc.instructions[c].original());
            cand.edits = vec![delete];
            out.push(Ok(cand));
            continue;
        }
        if has_trailing_text(part) {
            out.push(Err(Refusal {
                kind: MoveKind::MoveCleanup,
                title: format!(
                    "Move the cleanup on line {line} into the RUN on line {}",
                    line_of(model, r)
                ),
                rules: vec!["LL1006".into(), "DL3009".into()],
                reason: "that RUN ends with a shell comment".into(),
                at,
            }));
            continue;
        }
        let commands: Vec<String> = model
            .run(c)
            .and_then(|x| x.parts.first())
            .map(|p| {
                real_commands(&p.script)
                    .map(|cmd| p.text[cmd.range.clone()].to_string())
                    .collect()
            })
            .unwrap_or_default();
        let mut chain = String::new();
        for cmd in &commands {
            chain.push_str(&cx.style.and_chain(&[String::new(), cmd.clone()]));
        }
        let mut cand = Candidate::new(MoveKind::MoveCleanup, Applicability::Unsafe, at);
        cand.title = format!(
            "Move the cleanup on line {line} into the RUN on line {}",
            line_of(model, r)
        );
        cand.moved = format!(
            "`{}` moved to the end of `{}`",
            commands.join(" && "),
            short(model, r)
        );
        cand.rules = vec!["LL1006".into(), "DL3009".into()];
        cand.why = "The apt lists were written by the RUN that ran `apt-get update`; deleting \
                    them in a later RUN keeps their bytes in that earlier layer. Deleted in the \
                    same RUN, they never reach the image."
            .into();
        cand.key = format!("move-cleanup:{}", model.doc.instructions[c].original());
        cand.edits = vec![Edit::insert(line_end(model, r), chain), delete];
        out.push(Ok(cand));
    }
    out
}
