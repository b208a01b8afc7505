//! The pieces of the before/after view: the totals, the label of each change, the line
//! marks and the proposed `.dockerignore`.

use layerlens_core::fix::Applicability;
use layerlens_core::optimize::{Change, Optimized, Snapshot};
use yew::prelude::*;

use crate::edit::download;
use crate::rule_docs::rich;
use crate::state::Action;
use crate::view::{saving_label, size_label};

fn applicability_name(a: Applicability) -> &'static str {
    match a {
        Applicability::Safe => "safe",
        Applicability::Unsafe => "unsafe",
    }
}

/// One before → after figure of the totals.
fn stat(
    label: &str,
    before: String,
    after: String,
    better: Option<bool>,
    sub: Html,
    id: &str,
) -> Html {
    let tone = match better {
        Some(true) => "is-better",
        Some(false) => "is-worse",
        None => "is-same",
    };
    html! {
        <div class={classes!("stat", "ba-stat", tone)} data-testid={format!("opt-{id}")}
             data-before={before.clone()} data-after={after.clone()}>
            <span class="stat-label">{ label.to_owned() }</span>
            <span class="ba-values">
                <span class="ba-before">{ before }</span>
                <span class="ba-arrow" aria-label="becomes">{ "→" }</span>
                <span class="ba-after">{ after }</span>
            </span>
            <span class="stat-sub">{ sub }</span>
        </div>
    }
}

/// `Some(true)` when the figure went down (better), `Some(false)` up, `None` the same.
fn compare_counts<T: PartialOrd>(before: T, after: T) -> Option<bool> {
    (before != after).then_some(after < before)
}

pub(super) fn totals(o: &Optimized) -> Html {
    let (b, a): (&Snapshot, &Snapshot) = (&o.totals.before, &o.totals.after);
    let size_better = compare_counts(b.size_bytes.min, a.size_bytes.min);
    let saving = saving_label(o.totals.bytes_saved).unwrap_or_else(|| "same estimate".to_owned());
    html! {
        <div class="totals ba-totals" data-testid="opt-totals">
            { stat("Image size", size_label(b.size_bytes), size_label(a.size_bytes), size_better,
                   html! { { saving } }, "size") }
            { stat("Layers", b.layers.to_string(), a.layers.to_string(),
                   compare_counts(b.layers, a.layers), html! { { "in the final image" } }, "layers") }
            { stat("Code change rebuilds", b.rebuilt_on_code_change.to_string(),
                   a.rebuilt_on_code_change.to_string(),
                   compare_counts(b.rebuilt_on_code_change, a.rebuilt_on_code_change),
                   html! { { "steps rerun after an app edit" } }, "rebuilds") }
            { stat("Findings", b.findings.to_string(), a.findings.to_string(),
                   compare_counts(b.findings, a.findings), html! { { "lint problems" } }, "findings") }
        </div>
    }
}

/// What a note's head reports: a click (pin the change's lines) and the pointer over it.
pub(super) struct NoteEvents {
    pub(super) focus: Callback<usize>,
    pub(super) hover: Callback<Option<usize>>,
}

/// A change's label above the block it touched. `full`: title, effect and why; otherwise
/// a one-line reference to the note shown further up.
pub(super) fn note(
    change: &Change,
    number: usize,
    full: bool,
    active: bool,
    on: &NoteEvents,
    index: usize,
) -> Html {
    let applicability = applicability_name(change.applicability);
    let onclick = on.focus.reform(move |_: MouseEvent| index);
    let onmouseenter = on.hover.reform(move |_: MouseEvent| Some(index));
    let onmouseleave = on.hover.reform(|_: MouseEvent| None);
    let head = html! {
        <button type="button" class="note-head" {onclick} {onmouseenter} {onmouseleave}
                aria-pressed={active.to_string()}
                title="Highlight the lines this change touched">
            <span class="note-num" aria-label={format!("change {number}")}>{ number }</span>
            <span class="note-title">{ rich(&change.title) }</span>
            <span class={classes!("chip", "applic", format!("applic-{applicability}"))}>{ applicability }</span>
        </button>
    };
    if !full {
        return html! {
            <li class={classes!("change-note", "is-ref", active.then_some("is-active"))}
                data-testid="change-ref" data-number={number.to_string()}>
                { head }
            </li>
        };
    }
    let effect = &change.effect;
    html! {
        <li class={classes!("change-note", active.then_some("is-active"))} data-testid="change"
            data-number={number.to_string()} data-kind={change.kind.as_str()}
            data-applicability={applicability} data-rules={change.rules.join(" ")}>
            { head }
            <p class="note-effect" data-testid="change-effect">
                <span class="est">{ "Effect: " }</span>{ rich(&effect.summary) }
            </p>
            <details class="note-why">
                <summary>
                    { "Why" }
                    { for change.rules.iter().map(|r| html! { <code class="rule-code">{ r.clone() }</code> }) }
                </summary>
                <p data-testid="change-why">{ rich(&change.why) }</p>
                if !change.moved.is_empty() {
                    <p class="note-moved"><strong>{ "What changed: " }</strong>{ rich(&change.moved) }</p>
                }
            </details>
        </li>
    }
}

/// The little numbers of the changes that touched a line; `active` (a number) is the
/// change highlighted.
pub(super) fn marks(numbers: &[usize], active: Option<usize>) -> Html {
    if numbers.is_empty() {
        return html! { <span class="d-marks"></span> };
    }
    let text = numbers
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(" ");
    html! {
        <span class="d-marks" title={format!("Changed by {}", text)}>
            { for numbers.iter().map(|&n| html! {
                <span class={classes!("d-mark", (active == Some(n)).then_some("is-active"))}>{ n }</span>
            }) }
        </span>
    }
}

/// The proposed `.dockerignore`, entry by entry with its reason.
pub(super) fn dockerignore_section(
    optimized: &Optimized,
    in_use: &str,
    dispatch: &Callback<Action>,
    on_copy: Callback<MouseEvent>,
    copy_label: &'static str,
) -> Html {
    let Some(proposal) = &optimized.dockerignore else {
        if in_use.trim().is_empty() {
            return Html::default();
        }
        return html! {
            <section class="opt-section ignore-section" data-testid="dockerignore-in-use">
                <h3 class="section-title">{ ".dockerignore" }</h3>
                <p class="quiet">
                    { "The analysis uses your .dockerignore (edit it under Layers → Build context); \
                       it already leaves out what the optimizer would propose." }
                </p>
            </section>
        };
    };
    let text = proposal.text.clone();
    let on_use = {
        let text = text.clone();
        dispatch.reform(move |_: MouseEvent| Action::UseDockerignore(text.clone()))
    };
    let on_download = Callback::from(move |_: MouseEvent| {
        download(".dockerignore", &text);
    });
    let n = proposal.entries.len();
    html! {
        <section class="opt-section ignore-section" data-testid="dockerignore-proposal"
                 aria-labelledby="ignore-title">
            <div class="section-head flush">
                <h3 id="ignore-title" class="section-title">
                    { if proposal.extends_existing { "Additions to your .dockerignore" } else { "Proposed .dockerignore" } }
                </h3>
                <div class="opt-actions small">
                    <button type="button" class="btn" data-testid="use-dockerignore" onclick={on_use}
                            title="Use it as this page's .dockerignore (Layers → Build context)">
                        { "Use it" }
                    </button>
                    <button type="button" class="btn" data-testid="copy-dockerignore" onclick={on_copy}>{ copy_label }</button>
                    <button type="button" class="btn" data-testid="download-dockerignore" onclick={on_download}
                            title="Download it as .dockerignore (Chromium drops the leading dot: rename the file)">
                        { "Download" }
                    </button>
                </div>
            </div>
            <p class="quiet">
                { format!("The COPY of the whole build context on line {} sends everything the \
                           .dockerignore lets through to the builder, and into the image. \
                           {n} entr{} to leave out (a separate file next to the Dockerfile):",
                          proposal.line, if n == 1 { "y" } else { "ies" }) }
            </p>
            <ul class="ignore-list">
                { for proposal.entries.iter().map(|e| html! {
                    <li data-testid="ignore-entry">
                        <code class="ignore-pattern">{ e.pattern.clone() }</code>
                        <span class="ignore-why">{ rich(&e.why) }</span>
                    </li>
                }) }
            </ul>
        </section>
    }
}
