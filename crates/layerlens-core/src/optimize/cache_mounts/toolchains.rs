//! Go and cargo in stages FROM their toolchain images: one change per stage, since every
//! RUN that runs the tool must see the same caches.

use super::*;

/// A toolchain image whose build tool keeps its downloads in fixed directories, so every
/// RUN of the stage that runs the tool gets the same mounts.
pub(super) struct Toolchain {
    image: &'static str,
    command: &'static str,
    label: &'static str,
    targets: [&'static str; 2],
    /// Variables that move the caches or change how they are used.
    moved_by: &'static [&'static str],
    /// Options that make the tool work from the cache alone.
    offline: &'static [&'static str],
    why: &'static str,
}

pub(super) const TOOLCHAINS: [Toolchain; 2] = [
    Toolchain {
        image: "golang",
        command: "go",
        label: "Go",
        targets: ["/go/pkg/mod", "/root/.cache/go-build"],
        moved_by: &["GOPATH", "GOMODCACHE", "GOCACHE", "GOFLAGS"],
        offline: &[],
        why: "Go keeps downloaded modules in /go/pkg/mod and compiled packages in \
              /root/.cache/go-build; as cache mounts they survive between builds (a rebuild \
              recompiles only what changed) and stay out of the image. Every `go` RUN of the \
              stage gets them, so later steps still see the modules.",
    },
    Toolchain {
        image: "rust",
        command: "cargo",
        label: "cargo",
        targets: ["/usr/local/cargo/registry", "/usr/local/cargo/git/db"],
        moved_by: &["CARGO_HOME", "CARGO_NET_OFFLINE"],
        offline: &["offline", "frozen"],
        why: "cargo keeps the crates it downloads in /usr/local/cargo/registry and git \
              dependencies in /usr/local/cargo/git/db; as cache mounts they survive between \
              builds and stay out of the image. Every `cargo` RUN of the stage gets them, so \
              later steps still see the crates. The target directory is not mounted: it \
              holds the build output.",
    },
];

pub(super) fn toolchain(cx: &Ctx, tool: &Toolchain, stage: usize) -> Option<Proposal> {
    let model = cx.model;
    if root_image(model, stage).is_none_or(|image| image.name != tool.image) {
        return None;
    }
    let runs: Vec<usize> = model.stages[stage]
        .instructions
        .iter()
        .copied()
        .filter(|&i| is_run(model, i) && commands(model, i).iter().any(|c| c.is(tool.command)))
        .collect();
    let &first = runs.first()?;
    let all_root = runs.iter().all(|&i| runs_as_root(model, i));
    let moved = runs.iter().any(|&i| {
        tool.moved_by
            .iter()
            .any(|v| model.scope(i).binding(v).is_some())
    });
    if !all_root || moved {
        return None;
    }
    let title = format!(
        "Cache mounts for {} in stage {}",
        tool.label,
        model.stages[stage].label()
    );
    let span = model.doc.instructions[first].span;
    let refuse = |reason: String| {
        Some(Err(Refusal {
            kind: MoveKind::CacheMount,
            title: title.clone(),
            rules: vec!["LL1004".into()],
            reason,
            at: span,
        }))
    };
    let offline = runs
        .iter()
        .copied()
        .chain(later_runs(model, *runs.last()?))
        .find(|&i| runs_with_flag(model, i, tool.command, tool.offline));
    if let Some(i) = offline {
        return refuse(format!(
            "the RUN on line {} runs {} offline: it reads only what the cache holds, and a \
             cache mount may be empty",
            line_of(model, i),
            tool.command
        ));
    }
    let mut edits = Vec::new();
    let mut dropped = Vec::new();
    let mut count = 0;
    for &i in &runs {
        let missing: Vec<&str> = tool
            .targets
            .iter()
            .copied()
            .filter(|t| !covered(model, i, t))
            .collect();
        if missing.is_empty() {
            continue;
        }
        if missing.len() != tool.targets.len() {
            // Some mounts already there, others not: leave the author's layout alone.
            return None;
        }
        let at = insert_at(model, i)?;
        match drop_cleanup(model, i, &missing) {
            Ok((more, what)) => {
                edits.extend(more);
                dropped.extend(what);
            }
            Err(reason) => return refuse(reason),
        }
        let caches: Vec<Cache> = missing.iter().map(|t| Cache::shared(t)).collect();
        edits.push(Edit::insert(at, flags_text(cx, i, &caches)));
        count += 1;
    }
    if count == 0 {
        return None;
    }
    let mut c = Candidate::new(MoveKind::CacheMount, Applicability::Safe, span);
    c.title = title;
    c.moved = format!(
        "`--mount=type=cache` for {} on {count} RUN(s)",
        tool.targets.join(" and ")
    );
    if !dropped.is_empty() {
        c.moved
            .push_str(&format!("; {} dropped", dropped.join(", ")));
    }
    c.rules = vec!["LL1004".into()];
    c.why = tool.why.into();
    c.key = format!("cache-{}:{stage}", tool.command);
    c.edits = edits;
    Some(Ok(c))
}
