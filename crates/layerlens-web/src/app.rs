//! The playground page: the editor on the left, always visible; on the right, tabs for
//! what the core found (Problems · Layers · Stages · Optimize).
//!
//! Fixes, the optimized file and Undo are written into the editor here (`apply`): through
//! the textarea's own editing when the browser allows it (so Ctrl+Z works too), recorded on
//! the reducer's undo stack, and analysed at once.

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use layerlens_core::analysis::{analyze_with, Analysis, Located, Options};
use layerlens_core::dockerignore::Dockerignore;
use layerlens_core::layers::{parse_size, Change};
use layerlens_core::optimize::{fix_all, OptimizeOptions};
use layerlens_core::rules::Config;
use yew::prelude::*;

use crate::diagnostics::Diagnostics;
use crate::dom::focus_by_id;
use crate::edit::write_editor;
use crate::editor::Editor;
use crate::example::{self, BAD_PYTHON};
use crate::header::Header;
use crate::layers::Layers;
use crate::optimize::OptimizeView;
use crate::outline::Outline;
use crate::stage_graph::StageGraphView;
use crate::state::{Action, Applied, ContextInputs, DiffMode, Scenario, State, Tab};
use crate::view::{line_marks, problems_label, reveal, size_label, typed_changes, Shared};

/// Pause in typing after which the text is analysed again.
const DEBOUNCE_MS: u32 = 150;

/// Everything the analysis depends on; it is recomputed exactly when one of these changes.
#[derive(PartialEq)]
struct Inputs {
    source: Rc<str>,
    /// Compared by identity: a new value is made only when the inputs settle.
    context: Shared<ContextInputs>,
    scenario: Scenario,
    target: Option<String>,
    allow_unsafe: bool,
}

/// The analysis options for these inputs.
fn options(inputs: &Inputs) -> Options {
    let ctx = &*inputs.context;
    let dockerignore =
        (!ctx.dockerignore.trim().is_empty()).then(|| Dockerignore::parse(&ctx.dockerignore));
    let (changes, preset): (Vec<Change>, _) = match inputs.scenario {
        Scenario::Nothing => (Vec::new(), None),
        Scenario::Paths => (typed_changes(&ctx.paths), None),
        Scenario::Preset(kind) => (Vec::new(), Some(kind)),
    };
    Options {
        config: Config {
            target: inputs.target.clone(),
            ..Config::default()
        },
        dockerignore,
        context_size: parse_size(&ctx.context_size),
        changes,
        preset,
        allow_unsafe: inputs.allow_unsafe,
    }
}

/// The one analysis per change (a preset is resolved by the core for the current text).
fn run(inputs: &Inputs) -> Analysis {
    analyze_with(&inputs.source, &options(inputs))
}

/// The text with every safe rule fix applied ("Fix all safe"), linted with the same
/// configuration as the analysis.
fn fix_all_safe(inputs: &Inputs) -> String {
    let options = options(inputs);
    fix_all(
        &inputs.source,
        &OptimizeOptions {
            allow_unsafe: false,
            config: options.config,
            dockerignore: options.dockerignore,
            context_size: options.context_size,
            ..OptimizeOptions::default()
        },
    )
    .text
}

/// The id part of a tab (`tab-layers`, `data-tab="layers"`).
fn tab_key(tab: Tab) -> &'static str {
    match tab {
        Tab::Problems => "problems",
        Tab::Layers => "layers",
        Tab::Stages => "stages",
        Tab::Optimize => "optimize",
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| State::new(BAD_PYTHON));
    let timer = use_mut_ref(|| None::<Timeout>);
    // What the editor shows and what was analysed, for callbacks made once.
    let shown = use_mut_ref(|| Rc::clone(&state.source));
    *shown.borrow_mut() = Rc::clone(&state.source);

    // Derived data: recomputed only when what is analysed changes.
    let inputs = Rc::new(Inputs {
        source: Rc::clone(&state.analyzed),
        context: Shared(Rc::clone(&state.settled)),
        scenario: state.scenario,
        target: state.target.clone(),
        allow_unsafe: state.allow_unsafe,
    });
    let latest = use_mut_ref(|| Rc::clone(&inputs));
    *latest.borrow_mut() = Rc::clone(&inputs);
    let analysis = use_memo(inputs, |inputs| run(inputs));
    let marks = use_memo(Shared(Rc::clone(&analysis)), |a| line_marks(a));

    // Every change goes through here. Typing (the Dockerfile or a context field)
    // restarts the debounce; clicks apply at once. Made once, so panels that get it keep
    // equal props and skip re-rendering.
    let dispatch = {
        let dispatcher = state.dispatcher();
        use_callback((), move |action: Action, _| {
            let typed = matches!(action, Action::Edit(_) | Action::EditContext(..));
            if matches!(action, Action::Load(_)) {
                timer.borrow_mut().take();
            }
            dispatcher.dispatch(action);
            if typed {
                let settle = dispatcher.clone();
                // Replacing the timer drops (cancels) the previous one.
                *timer.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, move || {
                    settle.dispatch(Action::Settle)
                }));
            }
        })
    };
    let on_input = dispatch.reform(Action::Edit);
    let on_reveal = {
        let dispatch = dispatch.clone();
        use_callback((), move |range: Located, _| {
            dispatch.emit(reveal(range, true))
        })
    };
    let on_load = dispatch.reform(|text: &'static str| Action::Load(text.to_owned()));

    // Writes text into the editor: as if typed when the browser allows it (its Ctrl+Z
    // then takes it back), else through the state; either way recorded for Undo and
    // analysed at once.
    let on_apply = {
        let dispatch = dispatch.clone();
        let shown = shown.clone();
        use_callback((), move |applied: Applied, _| {
            // Read before writing: the write's input event updates what is shown.
            let previous = Rc::clone(&shown.borrow());
            write_editor(&applied.text);
            dispatch.emit(Action::Apply {
                previous,
                text: applied.text,
                label: applied.label,
            });
        })
    };
    let on_fix_all = {
        let on_apply = on_apply.clone();
        let latest = latest.clone();
        use_callback((), move |(), _| {
            let inputs = Rc::clone(&latest.borrow());
            let text = fix_all_safe(&inputs);
            on_apply.emit(Applied {
                text,
                label: "fix all safe problems".to_owned(),
            });
        })
    };
    let on_undo = {
        let dispatch = dispatch.clone();
        let shown = shown.clone();
        use_callback((), move |text: Rc<str>, _| {
            // Written as if typed, the text arrives as an edit that spends the undo entry;
            // it only needs analysing now. Otherwise (refused, or nothing to write, so no
            // edit) the state pops the entry itself.
            let differs = **shown.borrow() != *text;
            if differs && write_editor(&text) {
                dispatch.emit(Action::Settle);
            } else {
                dispatch.emit(Action::Undo);
            }
        })
    };

    let tab_button = |tab: Tab, label: &'static str, id: &'static str, badge: Html| {
        let active = state.tab == tab;
        let onclick = dispatch.reform(move |_: MouseEvent| Action::SetTab(tab));
        html! {
            <button type="button" role="tab" id={format!("tab-{id}")}
                    class={classes!("tab", active.then_some("is-active"))}
                    tabindex={if active { "0" } else { "-1" }}
                    aria-selected={active.to_string()} aria-controls="tab-panel"
                    data-testid={format!("tab-{id}")} {onclick}>
                <span class="tab-label">{ label }</span>
                { badge }
            </button>
        }
    };
    // Arrow keys move between the tabs (one tab stop for the whole list).
    let on_tab_key = {
        let dispatch = dispatch.clone();
        let current = state.tab;
        Callback::from(move |e: KeyboardEvent| {
            let next = match e.key().as_str() {
                "ArrowRight" | "ArrowLeft" | "Home" | "End" => {
                    let order = [Tab::Problems, Tab::Layers, Tab::Stages, Tab::Optimize];
                    let i = order.iter().position(|t| *t == current).unwrap_or(0);
                    match e.key().as_str() {
                        "ArrowRight" => order[(i + 1) % order.len()],
                        "ArrowLeft" => order[(i + order.len() - 1) % order.len()],
                        "Home" => order[0],
                        _ => order[order.len() - 1],
                    }
                }
                _ => return,
            };
            e.prevent_default();
            dispatch.emit(Action::SetTab(next));
            focus_by_id(&format!("tab-{}", tab_key(next)));
        })
    };
    let count = analysis.diagnostics.len();
    let problems_badge = html! {
        <span id="diagnostics-count"
              class={classes!("count", (count > 0).then_some("has-problems"))}
              data-testid="diagnostic-count"
              data-count={count.to_string()}
              role="status"
              aria-live="polite">
            <span aria-hidden="true">{ count }</span>
            <span class="visually-hidden">{ problems_label(count) }</span>
        </span>
    };
    let size_badge = html! {
        <span class="badge" data-testid="size-badge">{ size_label(analysis.layers.totals.size_bytes) }</span>
    };
    let stages_badge = html! {
        <span class="badge">{ analysis.stages.len() }</span>
    };
    let changes = analysis.optimized.changes.len();
    let optimize_badge = html! {
        <span class={classes!("badge", (changes == 0).then_some("is-zero"))} data-testid="optimize-badge"
              title={format!("{changes} change(s) the optimizer would make")}>
            { changes }
        </span>
    };

    let pending = state.pending();
    let shared = Shared(Rc::clone(&analysis));
    let body = match state.tab {
        Tab::Problems => html! {
            <Diagnostics analysis={shared.clone()} analyzed={Rc::clone(&state.analyzed)} {pending}
                         on_reveal={on_reveal.clone()} on_apply={on_apply.clone()}
                         on_fix_all={on_fix_all.clone()} />
        },
        Tab::Optimize => html! {
            <OptimizeView analysis={shared.clone()} analyzed={Rc::clone(&state.analyzed)} {pending}
                          allow_unsafe={state.allow_unsafe} mode={state.diff_mode}
                          dockerignore={state.settled.dockerignore.clone()}
                          dispatch={dispatch.clone()} on_apply={on_apply.clone()} />
        },
        Tab::Layers => html! {
            <Layers analysis={shared.clone()} scenario={state.scenario}
                    context={Rc::clone(&state.context)} dispatch={dispatch.clone()} />
        },
        Tab::Stages => html! {
            <div class="tab-body stages-body">
                <StageGraphView analysis={shared.clone()} target={state.target.clone()}
                                dispatch={dispatch.clone()} />
                <Outline analysis={shared.clone()} on_reveal={on_reveal.clone()} />
            </div>
        },
    };
    let tab_id = tab_key(state.tab);
    let wide = state.tab == Tab::Optimize && state.diff_mode == DiffMode::Split;

    html! {
        <div class="app" data-testid="app" data-state={if pending { "pending" } else { "ready" }}>
            <Header current={example::current(&state.source).map(|e| e.key)} {on_load} />
            <main class={classes!("workspace", wide.then_some("is-wide"))}>
                <Editor
                    value={Rc::clone(&state.source)}
                    {on_input}
                    reveal={state.reveal}
                    marks={Shared(marks)}
                    band={state.band()}
                    {pending}
                    analysis={shared.clone()}
                    analyzed={Rc::clone(&state.analyzed)}
                    undo={state.undo.last().cloned()}
                    {on_undo}
                />
                <aside class="panel insights" aria-label="Analysis">
                    <div class="tabs" role="tablist" aria-label="What the analysis found"
                         onkeydown={on_tab_key}>
                        { tab_button(Tab::Problems, "Problems", "problems", problems_badge) }
                        { tab_button(Tab::Layers, "Layers", "layers", size_badge) }
                        { tab_button(Tab::Stages, "Stages", "stages", stages_badge) }
                        { tab_button(Tab::Optimize, "Optimize", "optimize", optimize_badge) }
                    </div>
                    <div id="tab-panel" class="tab-panel" role="tabpanel"
                         aria-labelledby={format!("tab-{tab_id}")} data-tab={tab_id}>
                        { body }
                    </div>
                </aside>
            </main>
        </div>
    }
}
