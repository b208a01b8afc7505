//! The problems list: every diagnostic in reading order with its severity, code and
//! position. Clicking one selects its range in the editor and opens its rule's
//! documentation (why it matters, bad → good) underneath.
//!
//! A diagnostic whose rule has a mechanical fix gets a quick-fix button labelled with the
//! fix (unsafe ones marked); "Fix all safe" above the list applies every safe fix at once
//! (the core's `fix_all`). Both write into the editor through the app's undoable apply.

use std::rc::Rc;

use layerlens_core::analysis::{Analysis, Located};
use layerlens_core::fix::{self, Applicability};
use yew::prelude::*;

use crate::rule_docs::{docs_for, rich};
use crate::state::Applied;
use crate::view::{position_label, severity_name, sorted_diagnostics, Shared};

#[derive(Properties, PartialEq)]
pub struct DiagnosticsProps {
    pub analysis: Shared<Analysis>,
    /// The text the analysis was made from: fixes are edits of it.
    pub analyzed: Rc<str>,
    /// True while the editor shows text not analysed yet (fixes wait for it).
    pub pending: bool,
    pub on_reveal: Callback<Located>,
    pub on_apply: Callback<Applied>,
    pub on_fix_all: Callback<()>,
}

#[function_component(Diagnostics)]
pub fn diagnostics(props: &DiagnosticsProps) -> Html {
    // The open item, by code and line (offsets move while typing above it).
    let open = use_state(|| None::<(String, usize)>);
    let items = sorted_diagnostics(&props.analysis);
    let fixable = items.iter().filter(|d| d.fix.is_some()).count();
    let safe = items
        .iter()
        .filter(|d| {
            d.fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Safe)
        })
        .count();
    let on_fix_all = props.on_fix_all.reform(|_: MouseEvent| ());

    html! {
        <div class="tab-body diagnostics-body" data-testid="diagnostics">
            if fixable > 0 {
                <div class="fix-bar" data-testid="fix-bar">
                    <span class="meta">
                        { format!("{fixable} with a quick fix · {safe} safe") }
                    </span>
                    <button type="button" class="btn" data-testid="fix-all-safe"
                            data-count={safe.to_string()}
                            disabled={safe == 0 || props.pending} onclick={on_fix_all}
                            title="Apply every fix that cannot change what the image contains or does">
                        { "Fix all safe" }
                    </button>
                </div>
            }
            if items.is_empty() {
                <p class="empty">{ "Nothing to report for this Dockerfile." }</p>
            } else {
                <ul class="diagnostics">
                    { for items.into_iter().map(|d| {
                        let range = d.range;
                        let key = (d.code.clone(), d.range.start_pos.line);
                        let is_open = open.as_ref() == Some(&key);
                        let onclick = {
                            let open = open.clone();
                            let on_reveal = props.on_reveal.clone();
                            let key = key.clone();
                            Callback::from(move |_: MouseEvent| {
                                on_reveal.emit(range);
                                open.set(if is_open { None } else { Some(key.clone()) });
                            })
                        };
                        let severity = severity_name(d.severity);
                        let position = position_label(&d.range);
                        let docs_id = format!("docs-{}-{}", d.code, d.range.start);
                        let quick_fix = d.fix.as_ref().map(|f| {
                            let applicability = match f.applicability {
                                Applicability::Safe => "safe",
                                Applicability::Unsafe => "unsafe",
                            };
                            let onclick = {
                                let on_apply = props.on_apply.clone();
                                let analyzed = Rc::clone(&props.analyzed);
                                let edits = f.edits.clone();
                                let label = f.title.clone();
                                Callback::from(move |_: MouseEvent| {
                                    if let Ok(text) = fix::apply(&analyzed, &edits) {
                                        on_apply.emit(Applied { text, label: label.clone() });
                                    }
                                })
                            };
                            let title = if f.applicability == Applicability::Safe {
                                "Apply this fix (it cannot change what the image contains or does)"
                            } else {
                                "Apply this fix — unsafe: it may change what the image contains or does"
                            };
                            html! {
                                <button type="button" class={classes!("quick-fix", format!("applic-{applicability}"))}
                                        data-testid="quick-fix" data-applicability={applicability}
                                        disabled={props.pending} {onclick} {title}>
                                    <span class="qf-icon" aria-hidden="true">{ "⚡" }</span>
                                    <span class="qf-title">{ rich(&f.title) }</span>
                                    if f.applicability == Applicability::Unsafe {
                                        <span class="chip applic applic-unsafe">{ "unsafe" }</span>
                                    }
                                </button>
                            }
                        });
                        html! {
                            <li class={classes!("diagnostic", format!("sev-{severity}"), is_open.then_some("is-open"))}
                                data-testid="diagnostic"
                                data-line={d.range.start_pos.line.to_string()}
                                data-column={d.range.start_pos.column.to_string()}
                                data-code={d.code.clone()}
                                data-fix={d.fix.as_ref().map(|f| if f.applicability == Applicability::Safe { "safe" } else { "unsafe" })}
                                data-severity={severity}>
                                <button type="button" {onclick}
                                        aria-expanded={is_open.to_string()}
                                        aria-controls={docs_id.clone()}
                                        title={format!("Select line {position} and explain {}", d.code)}>
                                    <span class="sev-dot" aria-hidden="true"></span>
                                    <span class="visually-hidden">{ format!("{severity}: ") }</span>
                                    <span class="message">{ rich(&d.message) }</span>
                                    <span class="where">
                                        <span class="code-name">{ d.code.clone() }</span>
                                        <span class="pos" data-testid="diagnostic-position">{ position }</span>
                                        <span class="chevron" aria-hidden="true"></span>
                                    </span>
                                </button>
                                { for quick_fix }
                                if is_open {
                                    <div id={docs_id} class="docs-drawer">{ docs_for(&d.code, &d.message) }</div>
                                }
                            </li>
                        }
                    }) }
                </ul>
            }
        </div>
    }
}
