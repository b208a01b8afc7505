//! The problems list: every diagnostic in reading order with its severity, code and
//! position. Clicking one selects its range in the editor and opens its rule's
//! documentation (why it matters, bad → good) underneath.

use layerlens_core::analysis::{Analysis, Located};
use yew::prelude::*;

use crate::rule_docs::{docs_for, rich};
use crate::view::{position_label, severity_name, sorted_diagnostics, Shared};

#[derive(Properties, PartialEq)]
pub struct DiagnosticsProps {
    pub analysis: Shared<Analysis>,
    pub on_reveal: Callback<Located>,
}

#[function_component(Diagnostics)]
pub fn diagnostics(props: &DiagnosticsProps) -> Html {
    // The open item, by code and line (offsets move while typing above it).
    let open = use_state(|| None::<(String, usize)>);
    let items = sorted_diagnostics(&props.analysis);

    html! {
        <div class="tab-body diagnostics-body" data-testid="diagnostics">
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
                        html! {
                            <li class={classes!("diagnostic", format!("sev-{severity}"), is_open.then_some("is-open"))}
                                data-testid="diagnostic"
                                data-line={d.range.start_pos.line.to_string()}
                                data-column={d.range.start_pos.column.to_string()}
                                data-code={d.code.clone()}
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
