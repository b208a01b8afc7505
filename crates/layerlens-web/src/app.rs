//! The playground page: editor on the left, what the core found on the right.

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use layerlens_core::analysis::{analyze, Located};
use yew::prelude::*;

use crate::diagnostics::Diagnostics;
use crate::editor::Editor;
use crate::example::BAD_PYTHON;
use crate::header::Header;
use crate::outline::Outline;
use crate::state::{Action, State};
use crate::view::{line_marks, Shared};

/// Pause in typing after which the text is analysed again.
const DEBOUNCE_MS: u32 = 150;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| State::new(BAD_PYTHON));
    let timer = use_mut_ref(|| None::<Timeout>);

    // Derived data: recomputed only when the analysed text changes.
    let analysis = use_memo(Rc::clone(&state.analyzed), |source| analyze(source));
    let marks = use_memo(Shared(Rc::clone(&analysis)), |a| line_marks(a));

    let on_input = {
        let dispatcher = state.dispatcher();
        Callback::from(move |text: String| {
            dispatcher.dispatch(Action::Edit(text));
            let settle = dispatcher.clone();
            // Replacing the timer drops (cancels) the previous one.
            *timer.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, move || {
                settle.dispatch(Action::Settle)
            }));
        })
    };

    let on_reveal = {
        let dispatcher = state.dispatcher();
        Callback::from(move |range: Located| {
            dispatcher.dispatch(Action::Reveal {
                start: u32::try_from(range.utf16_start).unwrap_or(u32::MAX),
                end: u32::try_from(range.utf16_end).unwrap_or(u32::MAX),
                line: range.start_pos.line,
            })
        })
    };

    let pending = state.pending();
    html! {
        <div class="app" data-testid="app" data-state={if pending { "pending" } else { "ready" }}>
            <Header />
            <main class="workspace">
                <Editor
                    value={Rc::clone(&state.source)}
                    {on_input}
                    reveal={state.reveal}
                    marks={Shared(marks)}
                    {pending}
                    analysis={Shared(Rc::clone(&analysis))}
                    analyzed={Rc::clone(&state.analyzed)}
                />
                <aside class="insights" aria-label="Analysis">
                    <Diagnostics analysis={Shared(Rc::clone(&analysis))} on_reveal={on_reveal.clone()} />
                    <Outline analysis={Shared(analysis)} {on_reveal} />
                </aside>
            </main>
        </div>
    }
}
