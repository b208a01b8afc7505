//! The before/after view: the core's optimized Dockerfile compared with the analysed one.
//!
//! At the top, the totals before → after (estimated size, layers, what a code edit
//! rebuilds, findings), the safe/unsafe switch, the layout (unified or side by side) and
//! the actions: Apply (writes the optimized file into the editor, undoable), Copy and
//! Download. Below, the line diff with every changed block labelled by the changes that
//! touched it (title, rules, applicability, estimated effect, why), numbered in reading
//! order and marked on each line they touched; then the changes considered and not made,
//! and the proposed `.dockerignore`. Everything shown comes from `Analysis::optimized`;
//! only the line diff and its layout are computed here (`diff.rs`, `compare.rs`); the
//! pieces (totals, change labels, the `.dockerignore` proposal) are in `parts.rs`.

mod compare;
mod parts;

use std::collections::BTreeSet;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use layerlens_core::analysis::Analysis;
use yew::prelude::*;

use crate::diff::{Block, Op};
use crate::edit::{copy_text, download};
use crate::rule_docs::rich;
use crate::state::{Action, Applied, DiffMode};
use crate::view::Shared;
use compare::{compare, op_name, split_rows};
use parts::{dockerignore_section, marks, note, totals, NoteEvents};

#[derive(Properties, PartialEq)]
pub struct OptimizeProps {
    pub analysis: Shared<Analysis>,
    /// The text the analysis was made from (the "before").
    pub analyzed: Rc<str>,
    /// True while the editor shows text not analysed yet (Apply waits).
    pub pending: bool,
    pub allow_unsafe: bool,
    pub mode: DiffMode,
    /// The `.dockerignore` the analysis used (empty: none).
    pub dockerignore: String,
    pub dispatch: Callback<Action>,
    pub on_apply: Callback<Applied>,
}

#[function_component(OptimizeView)]
pub fn optimize_view(props: &OptimizeProps) -> Html {
    // The change whose lines are highlighted (clicked), and the one under the pointer.
    let pinned = use_state_eq(|| None::<usize>);
    let hovered = use_state_eq(|| None::<usize>);
    let unfolded = use_state_eq(BTreeSet::<usize>::new);
    let copied = use_state(|| None::<&'static str>);
    let copied_timer = use_mut_ref(|| None::<Timeout>);

    let analysis = &props.analysis;
    let optimized = &analysis.optimized;
    let cmp = use_memo(
        (props.analysis.clone(), Rc::clone(&props.analyzed)),
        |(analysis, analyzed)| compare(analyzed, &analysis.optimized, analysis),
    );
    // They are indices into this analysis: a new one starts with none.
    {
        let (pinned, hovered, unfolded) = (pinned.clone(), hovered.clone(), unfolded.clone());
        use_effect_with(props.analysis.clone(), move |_| {
            pinned.set(None);
            hovered.set(None);
            unfolded.set(BTreeSet::new());
        });
    }
    let active = hovered.or(*pinned);
    let active_number = active.and_then(|c| cmp.notes.number.get(c).copied());

    let events = NoteEvents {
        focus: {
            let pinned = pinned.clone();
            Callback::from(move |c: usize| {
                pinned.set(if *pinned == Some(c) { None } else { Some(c) });
            })
        },
        hover: {
            let hovered = hovered.clone();
            Callback::from(move |c: Option<usize>| hovered.set(c))
        },
    };

    // ---- actions ----
    let apply = {
        let on_apply = props.on_apply.clone();
        let text = optimized.text.clone();
        let n = optimized.changes.len();
        Callback::from(move |_: MouseEvent| {
            on_apply.emit(Applied {
                text: text.clone(),
                label: format!(
                    "apply the optimized Dockerfile ({n} change{})",
                    if n == 1 { "" } else { "s" }
                ),
            });
            // The Apply button is disabled once nothing is left to apply; keyboard focus
            // goes to the text it changed rather than falling back to the page.
            crate::dom::focus_by_id(crate::edit::EDITOR_ID);
        })
    };
    let copy = |what: &'static str, text: String| {
        let copied = copied.clone();
        let timer = copied_timer.clone();
        Callback::from(move |_: MouseEvent| {
            let copied = copied.clone();
            let timer = timer.clone();
            let text = text.clone();
            yew::platform::spawn_local(async move {
                if copy_text(text).await {
                    copied.set(Some(what));
                    let reset = copied.clone();
                    *timer.borrow_mut() = Some(Timeout::new(2_000, move || reset.set(None)));
                }
            });
        })
    };
    let copy_label = |what: &'static str| {
        if *copied == Some(what) {
            "Copied ✓"
        } else {
            "Copy"
        }
    };
    let save = |name: &'static str, text: String| {
        Callback::from(move |_: MouseEvent| {
            download(name, &text);
        })
    };

    let on_switch = {
        let dispatch = props.dispatch.clone();
        let on = props.allow_unsafe;
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::SetUnsafe(!on)))
    };
    let mode_button = |mode: DiffMode, label: &'static str, id: &'static str| {
        let pressed = props.mode == mode;
        let onclick = props
            .dispatch
            .reform(move |_: MouseEvent| Action::SetDiffMode(mode));
        html! {
            <button type="button" class={classes!("seg-btn", pressed.then_some("is-active"))}
                    aria-pressed={pressed.to_string()} data-testid={id} {onclick}>{ label }</button>
        }
    };

    let unsafe_skipped: Vec<&str> = optimized
        .skipped
        .iter()
        .filter(|s| s.needs_unsafe)
        .map(|s| s.title.as_str())
        .collect();
    let other_skipped: Vec<_> = optimized
        .skipped
        .iter()
        .filter(|s| !s.needs_unsafe)
        .collect();

    let hint = if props.allow_unsafe {
        html! {
            <p class="opt-hint is-unsafe">
                { "Unsafe changes are included: each may change what the image contains or does \
                   (marked " }<span class="chip applic applic-unsafe">{ "unsafe" }</span>
                { "). Review them before you apply." }
            </p>
        }
    } else if unsafe_skipped.is_empty() {
        html! {
            <p class="opt-hint">{ "Safe changes only: none of them can change what the image contains or does." }</p>
        }
    } else {
        let n = unsafe_skipped.len();
        html! {
            <p class="opt-hint" data-testid="unsafe-more">
                { "Safe changes only. " }
                <strong>{ format!("{n} more change{} ", if n == 1 { "" } else { "s" }) }</strong>
                { "need unsafe mode: " }
                { for unsafe_skipped.iter().enumerate().map(|(i, t)| html! {
                    <>{ if i > 0 { "; " } else { "" } }<span class="skip-title">{ rich(t) }</span></>
                }) }
                { "." }
            </p>
        }
    };

    // ---- the diff ----
    let numbers_of = |r: usize| {
        let mut n: Vec<usize> = cmp.touched[r]
            .iter()
            .map(|&c| cmp.notes.number[c])
            .collect();
        n.sort_unstable();
        n
    };
    let is_active_row = |r: usize| active.is_some_and(|c| cmp.touched[r].contains(&c));
    let line_no = |n: Option<usize>| n.map(|n| (n + 1).to_string()).unwrap_or_default();
    let code_of = |r: usize| -> Html {
        let row = cmp.rows[r];
        match row.op {
            Op::Added => row.new.and_then(|n| cmp.new_html.get(n).cloned()),
            _ => row.old.and_then(|n| cmp.old_html.get(n).cloned()),
        }
        .unwrap_or_default()
    };
    let sign = |op: Op| match op {
        Op::Same => " ",
        Op::Removed => "−",
        Op::Added => "+",
    };
    let unified_row = |r: usize| {
        let row = cmp.rows[r];
        let op = op_name(row.op);
        html! {
            <div class={classes!("d-row", format!("op-{op}"), is_active_row(r).then_some("is-active"))}
                 data-testid="diff-row" data-op={op}>
                { marks(&numbers_of(r), active_number) }
                <span class="d-ln">{ line_no(row.old) }</span>
                <span class="d-ln">{ line_no(row.new) }</span>
                <span class="d-sign" aria-hidden="true">{ sign(row.op) }</span>
                if row.op != Op::Same {
                    <span class="visually-hidden">{ if row.op == Op::Added { "added: " } else { "removed: " } }</span>
                }
                <code class="d-code">{ code_of(r) }</code>
            </div>
        }
    };
    let side = |r: Option<usize>, new_side: bool| match r {
        None => html! { <div class="s-side s-empty" aria-hidden="true"></div> },
        Some(r) => {
            let row = cmp.rows[r];
            let op = op_name(row.op);
            let (ln, numbers) = if new_side {
                (
                    line_no(row.new),
                    if row.op == Op::Added {
                        numbers_of(r)
                    } else {
                        Vec::new()
                    },
                )
            } else {
                (
                    line_no(row.old),
                    if row.op == Op::Removed {
                        numbers_of(r)
                    } else {
                        Vec::new()
                    },
                )
            };
            html! {
                <div class={classes!("s-side", format!("op-{op}"), is_active_row(r).then_some("is-active"))}>
                    <span class="d-ln">{ ln }</span>
                    <span class="d-sign" aria-hidden="true">{ sign(row.op) }</span>
                    <code class="d-code">{ code_of(r) }</code>
                    { marks(&numbers, active_number) }
                </div>
            }
        }
    };
    let split_row = |left: Option<usize>, right: Option<usize>| {
        let op = match (left, right) {
            (Some(l), None) => op_name(cmp.rows[l].op),
            (None, Some(r)) => op_name(cmp.rows[r].op),
            (Some(l), Some(_)) if cmp.rows[l].op == Op::Same => "same",
            _ => "changed",
        };
        html! {
            <div class="s-row" data-testid="split-row" data-op={op}>
                { side(left, false) }
                { side(right, true) }
            </div>
        }
    };
    let split = props.mode == DiffMode::Split;
    let mut shown: BTreeSet<usize> = BTreeSet::new();
    let body: Html = cmp
        .blocks
        .iter()
        .enumerate()
        .map(|(b, block)| match block {
            Block::Fold(range) if !unfolded.contains(&range.start) => {
                let start = range.start;
                let n = range.len();
                let onclick = {
                    let unfolded = unfolded.clone();
                    Callback::from(move |_: MouseEvent| {
                        let mut set = (*unfolded).clone();
                        set.insert(start);
                        unfolded.set(set);
                    })
                };
                html! {
                    <button type="button" class="d-fold" data-testid="diff-fold" {onclick}>
                        { format!("⋯ {n} unchanged line{}", if n == 1 { "" } else { "s" }) }
                    </button>
                }
            }
            Block::Same(range) | Block::Fold(range) => {
                if split {
                    range
                        .clone()
                        .map(|r| split_row(Some(r), Some(r)))
                        .collect::<Html>()
                } else {
                    range.clone().map(unified_row).collect::<Html>()
                }
            }
            Block::Changed(range) => {
                let here = &cmp.notes.per_block[b];
                let notes = here.iter().map(|&c| {
                    let full = shown.insert(c);
                    note(
                        &optimized.changes[c],
                        cmp.notes.number[c],
                        full,
                        active == Some(c),
                        &events,
                        c,
                    )
                });
                let rows: Html = if split {
                    split_rows(&cmp.rows, &cmp.partner, range.clone())
                        .into_iter()
                        .map(|(l, r)| split_row(l, r))
                        .collect()
                } else {
                    range.clone().map(unified_row).collect()
                };
                html! {
                    <div class="d-block" data-testid="diff-block">
                        if !here.is_empty() {
                            <ol class="change-notes">{ for notes }</ol>
                        }
                        { rows }
                    </div>
                }
            }
        })
        .collect();
    let unplaced: Vec<usize> = cmp.notes.unplaced.clone();

    let changed = optimized.changed;
    let count = optimized.changes.len();
    let can_apply = changed && !props.pending;

    html! {
        <div class="tab-body optimize-body" data-testid="optimize"
             data-changes={count.to_string()} data-changed={changed.to_string()}
             data-unsafe={props.allow_unsafe.to_string()}>
            <section class="opt-head" aria-label="Before and after">
                { totals(optimized) }
                <p class="fineprint">{ "Sizes and rebuilds are estimates from the layer model, not measurements." }</p>
                <div class="opt-toolbar">
                    <button type="button" role="switch" class={classes!("switch", props.allow_unsafe.then_some("is-on"))}
                            aria-checked={props.allow_unsafe.to_string()} data-testid="unsafe-switch"
                            onclick={on_switch}>
                        <span class="switch-track" aria-hidden="true"><span class="switch-thumb"></span></span>
                        <span class="switch-label">{ "Include unsafe changes" }</span>
                    </button>
                    <div class="seg" role="group" aria-label="Layout of the comparison">
                        { mode_button(DiffMode::Unified, "Unified", "diff-unified") }
                        { mode_button(DiffMode::Split, "Side by side", "diff-split") }
                    </div>
                </div>
                { hint }
                <div class="opt-actions">
                    <button type="button" class="btn primary" data-testid="apply-optimized"
                            disabled={!can_apply} onclick={apply}
                            title="Replace the editor's text with the optimized Dockerfile (Undo takes it back)">
                        { if changed { format!("Apply {count} change{}", if count == 1 { "" } else { "s" }) } else { "Apply".to_owned() } }
                    </button>
                    <button type="button" class="btn" data-testid="copy-optimized"
                            onclick={copy("dockerfile", optimized.text.clone())}
                            title="Copy the optimized Dockerfile">
                        { copy_label("dockerfile") }
                    </button>
                    <button type="button" class="btn" data-testid="download-optimized"
                            onclick={save("Dockerfile", optimized.text.clone())}
                            title="Download the optimized Dockerfile">
                        { "Download" }
                    </button>
                </div>
            </section>

            if changed {
                <div class={classes!("diff", if split { "is-split" } else { "is-unified" })}
                     data-testid="diff" data-mode={if split { "split" } else { "unified" }} role="group"
                     aria-label="Original and optimized Dockerfile, line by line">
                    if split {
                        <div class="s-row s-head" aria-hidden="true">
                            <div class="s-side">{ "Original" }</div>
                            <div class="s-side">{ "Optimized" }</div>
                        </div>
                    }
                    { body }
                </div>
            } else {
                <p class="empty" data-testid="opt-nothing">
                    { if props.allow_unsafe || unsafe_skipped.is_empty() {
                        "Nothing to change: the optimizer found no improvement to make."
                    } else {
                        "Nothing to change safely. Switch on unsafe changes to see the rest."
                    } }
                </p>
            }

            if !unplaced.is_empty() {
                <section class="opt-section">
                    <h3 class="section-title">{ "Also changed" }</h3>
                    <ol class="change-notes">
                        { for unplaced.iter().map(|&c| note(&optimized.changes[c], cmp.notes.number[c], true,
                                                             active == Some(c), &events, c)) }
                    </ol>
                </section>
            }

            if !other_skipped.is_empty() {
                <details class="opt-section skipped" data-testid="skipped">
                    <summary class="section-title">{ format!("Considered, not made ({})", other_skipped.len()) }</summary>
                    <ul class="skipped-list">
                        { for other_skipped.iter().map(|s| html! {
                            <li>
                                <span class="skip-title">{ rich(&s.title) }</span>
                                { for s.rules.iter().map(|r| html! { <code class="rule-code">{ r.clone() }</code> }) }
                                <span class="skip-reason">{ rich(&s.reason) }</span>
                            </li>
                        }) }
                    </ul>
                </details>
            }

            { dockerignore_section(optimized, &props.dockerignore, &props.dispatch, copy("dockerignore", optimized.dockerignore.as_ref().map(|d| d.text.clone()).unwrap_or_default()), copy_label("dockerignore")) }
        </div>
    }
}
