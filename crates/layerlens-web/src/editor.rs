//! The Dockerfile editor: a plain textarea with a line-number gutter.
//!
//! The textarea grows to fit its text and one outer box scrolls both it and the gutter,
//! so the line numbers can never drift out of step with the lines.

use std::collections::BTreeMap;
use std::rc::Rc;

use layerlens_core::analysis::{Analysis, Severity};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::edit::EDITOR_ID;
use crate::highlight::segments;
use crate::state::{Lines, Reveal, Undo};
use crate::view::{line_count, parse_px, severity_name, Shared};

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub value: Rc<str>,
    pub on_input: Callback<String>,
    /// Range to select, set when a diagnostic or an instruction is clicked.
    pub reveal: Option<Reveal>,
    /// Lines to highlight (a hovered or clicked layer).
    pub band: Option<Lines>,
    /// Worst severity per line, shown as marks in the gutter.
    pub marks: Shared<BTreeMap<usize, Severity>>,
    /// True while the text shown has not been analysed yet.
    pub pending: bool,
    /// The latest analysis and the text it was made from (which may lag `value`).
    pub analysis: Shared<Analysis>,
    pub analyzed: Rc<str>,
    /// What Undo would bring back (the last fix or optimization applied), if anything.
    pub undo: Option<Undo>,
    pub on_undo: Callback<Rc<str>>,
}

/// The textarea's line height in pixels.
fn line_height(ta: &HtmlTextAreaElement) -> f64 {
    web_sys::window()
        .and_then(|w| w.get_computed_style(ta).ok().flatten())
        .and_then(|style| style.get_property_value("line-height").ok())
        .and_then(|v| parse_px(&v))
        .unwrap_or(20.0)
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let textarea = use_node_ref();
    let scroller = use_node_ref();

    {
        let textarea = textarea.clone();
        let scroller = scroller.clone();
        use_effect_with(props.reveal, move |reveal| {
            if let (Some(reveal), Some(ta)) = (reveal, textarea.cast::<HtmlTextAreaElement>()) {
                if reveal.select {
                    let _ = ta.focus();
                    let _ = ta.set_selection_range(reveal.start, reveal.end);
                }
                if let Some(scroller) = scroller.cast::<web_sys::HtmlElement>() {
                    let line_top = (reveal.line.saturating_sub(1)) as f64 * line_height(&ta);
                    let target = line_top - f64::from(scroller.client_height()) / 3.0;
                    scroller.set_scroll_top(target.max(0.0) as i32);
                    scroller.set_scroll_left(0);
                }
            }
        });
    }
    {
        // A highlighted layer whose lines are out of view scrolls them into view.
        let textarea = textarea.clone();
        let scroller = scroller.clone();
        use_effect_with(props.band, move |band| {
            let (Some(band), Some(ta), Some(scroller)) = (
                band,
                textarea.cast::<HtmlTextAreaElement>(),
                scroller.cast::<web_sys::HtmlElement>(),
            ) else {
                return;
            };
            let lh = line_height(&ta);
            let top = band.first.saturating_sub(1) as f64 * lh;
            let bottom = band.last as f64 * lh + 24.0;
            let (view_top, view_height) = (
                f64::from(scroller.scroll_top()),
                f64::from(scroller.client_height()),
            );
            if top < view_top || bottom > view_top + view_height {
                let target = top - view_height / 3.0;
                scroller.set_scroll_top(target.max(0.0) as i32);
            }
        });
    }

    let painted = use_memo(
        (
            Rc::clone(&props.value),
            Rc::clone(&props.analyzed),
            props.analysis.clone(),
        ),
        |(text, analyzed, analysis)| {
            segments(text, analyzed, analysis)
                .into_iter()
                .map(|seg| {
                    let run = text[seg.start..seg.end].to_owned();
                    if seg.classes.is_empty() {
                        html! { { run } }
                    } else {
                        html! { <span class={seg.classes}>{ run }</span> }
                    }
                })
                .collect::<Html>()
        },
    );

    let oninput = {
        let on_input = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            let ta: HtmlTextAreaElement = e.target_unchecked_into();
            on_input.emit(ta.value());
        })
    };

    let lines = line_count(&props.value);
    let columns = props
        .value
        .split('\n')
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0);
    let size = format!("--lines: {}; --columns: {};", lines + 1, columns + 2);

    html! {
        <section class="panel editor-panel" aria-labelledby="editor-label">
            <div class="panel-head">
                <label id="editor-label" class="panel-title" for="editor-input">{ "Dockerfile" }</label>
                <div class="head-actions">
                    if let Some(undo) = &props.undo {
                        <button type="button" class="btn small undo" data-testid="undo"
                                onclick={{
                                    let on_undo = props.on_undo.clone();
                                    let text = Rc::clone(&undo.text);
                                    Callback::from(move |_: MouseEvent| on_undo.emit(Rc::clone(&text)))
                                }}
                                title={format!("Undo: {}", undo.label)}
                                aria-label={format!("Undo: {}", undo.label)}>
                            <span aria-hidden="true">{ "↶ " }</span>{ "Undo" }
                        </button>
                    }
                    <span class={classes!("status", props.pending.then_some("is-pending"))}
                          data-testid="status">
                        { if props.pending { "Analysing…" } else { "Up to date" } }
                    </span>
                </div>
            </div>
            <div class="editor" ref={scroller}>
                <div class="gutter" aria-hidden="true">
                    { for (1..=lines).map(|n| {
                        let mark = props.marks.get(&n).map(|s| severity_name(*s));
                        let banded = props.band.is_some_and(|b| (b.first..=b.last).contains(&n));
                        html! {
                            <div class={classes!("ln", mark.map(|m| format!("mark-{m}")), banded.then_some("in-band"))}>{ n }</div>
                        }
                    }) }
                </div>
                <div class="code-area" style={size}>
                    if let Some(band) = props.band {
                        <div class="line-band" aria-hidden="true" data-testid="line-band"
                             data-first={band.first.to_string()} data-last={band.last.to_string()}
                             style={format!("--band-first: {}; --band-lines: {};",
                                            band.first, band.last.saturating_sub(band.first) + 1)}></div>
                    }
                    <pre class="highlight" aria-hidden="true">{ (*painted).clone() }{ "\n" }</pre>
                    <textarea
                        id={EDITOR_ID}
                        ref={textarea}
                        data-testid="editor"
                        class="code"
                        value={props.value.to_string()}
                        {oninput}
                        wrap="off"
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        aria-describedby="diagnostics-count"
                    />
                </div>
            </div>
        </section>
    }
}
