//! The masthead: product name, what it does, and the example picker.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::example::{self, EXAMPLES};

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// Key of the example the editor shows unchanged, if any.
    pub current: Option<&'static str>,
    /// Called with the text of the example picked.
    pub on_load: Callback<&'static str>,
}

#[function_component(Header)]
pub fn header(props: &HeaderProps) -> Html {
    let onchange = {
        let on_load = props.on_load.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(ex) = example::by_key(&select.value()) {
                on_load.emit(ex.text);
            }
        })
    };
    html! {
        <header class="masthead" data-testid="header">
            <div class="brand">
                <svg class="logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
                    <path class="logo-back" d="M16 3 29 10 16 17 3 10Z" />
                    <path class="logo-mid" d="M3 16 16 23 29 16" />
                    <path class="logo-front" d="M3 22 16 29 29 22" />
                </svg>
                <h1 class="name">{ "Layerlens" }</h1>
            </div>
            <p class="tagline">
                { "See what every line of your Dockerfile does to the image — live, in your browser." }
            </p>
            <label class="example-pick">
                <span>{ "Example" }</span>
                <select data-testid="example-picker" {onchange}>
                    <option value="" selected={props.current.is_none()} disabled=true>
                        { "Your Dockerfile" }
                    </option>
                    { for EXAMPLES.iter().map(|ex| html! {
                        <option value={ex.key} selected={props.current == Some(ex.key)}>{ ex.label }</option>
                    }) }
                </select>
            </label>
        </header>
    }
}
