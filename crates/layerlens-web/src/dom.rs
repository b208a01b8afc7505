//! The few direct DOM calls the components need.

use wasm_bindgen::JsCast;

/// Focuses the element with `id` (the browser scrolls it into view).
pub fn focus_by_id(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id));
    if let Some(element) = element {
        if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
            let _ = element.focus();
        }
    }
}
