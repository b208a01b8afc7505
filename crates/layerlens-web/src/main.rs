//! Layerlens playground: a Yew single-page app over `layerlens-core`.
//!
//! One direction of data: the editor text and the optional inputs (`.dockerignore`,
//! build-context size, what changed, target) live in one reducer ([`state`]); after a
//! short pause in typing they are handed once to `layerlens_core::analysis::analyze_with`,
//! and every panel (problems with rule docs and quick fixes, layers, stage graph, outline,
//! the before/after view of the optimized file) renders from that one `Analysis`.
//! Components are one per file; pure helpers are in [`view`] and [`diff`].

mod app;
mod diagnostics;
mod diff;
mod dom;
mod edit;
mod editor;
mod example;
mod header;
mod highlight;
mod layers;
mod optimize;
mod outline;
mod rule_docs;
mod stage_graph;
mod state;
mod view;

fn main() {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => yew::Renderer::<app::App>::with_root(root).render(),
        None => yew::Renderer::<app::App>::new().render(),
    };
}
