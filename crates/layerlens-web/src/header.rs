//! The masthead: product name and what it does, in one line.

use yew::prelude::*;

#[function_component(Header)]
pub fn header() -> Html {
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
        </header>
    }
}
