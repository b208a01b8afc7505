//! The problems list: every diagnostic with its position; click one to select its range.

use layerlens_core::analysis::{Analysis, Located};
use yew::prelude::*;

use crate::view::{
    code_spans, position_label, problems_label, severity_name, sorted_diagnostics, Shared,
};

/// The message, with `backticked` parts as code.
fn message(text: &str) -> Html {
    code_spans(text)
        .into_iter()
        .map(|(code, run)| {
            if code {
                html! { <code>{ run.to_owned() }</code> }
            } else {
                html! { { run.to_owned() } }
            }
        })
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct DiagnosticsProps {
    pub analysis: Shared<Analysis>,
    pub on_reveal: Callback<Located>,
}

#[function_component(Diagnostics)]
pub fn diagnostics(props: &DiagnosticsProps) -> Html {
    let items = sorted_diagnostics(&props.analysis);
    let count = items.len();

    html! {
        <section class="panel diagnostics-panel" aria-labelledby="diagnostics-title" data-testid="diagnostics">
            <div class="panel-head">
                <h2 id="diagnostics-title" class="panel-title">{ "Problems" }</h2>
                <span id="diagnostics-count"
                      class={classes!("count", (count > 0).then_some("has-problems"))}
                      data-testid="diagnostic-count"
                      data-count={count.to_string()}
                      role="status"
                      aria-live="polite">
                    { problems_label(count) }
                </span>
            </div>
            if items.is_empty() {
                <p class="empty">{ "Nothing to report for this Dockerfile." }</p>
            } else {
                <ul class="diagnostics">
                    { for items.into_iter().map(|d| {
                        let range = d.range;
                        let onclick = props.on_reveal.reform(move |_: MouseEvent| range);
                        let severity = severity_name(d.severity);
                        let position = position_label(&d.range);
                        html! {
                            <li class={classes!("diagnostic", format!("sev-{severity}"))}
                                data-testid="diagnostic"
                                data-line={d.range.start_pos.line.to_string()}
                                data-column={d.range.start_pos.column.to_string()}
                                data-code={d.code.clone()}
                                data-severity={severity}>
                                <button type="button" {onclick}
                                        title={format!("Select line {position}")}>
                                    <span class="sev-dot" aria-hidden="true"></span>
                                    <span class="visually-hidden">{ format!("{severity}: ") }</span>
                                    <span class="message">{ message(&d.message) }</span>
                                    <span class="where">
                                        <span class="code-name">{ d.code.clone() }</span>
                                        <span class="pos" data-testid="diagnostic-position">{ position }</span>
                                    </span>
                                </button>
                            </li>
                        }
                    }) }
                </ul>
            }
        </section>
    }
}
