//! Writing into the editor, the clipboard and downloads: the page's few side effects.
//!
//! Text the playground puts into the editor (a quick fix, the optimized file, Undo) goes
//! through the textarea's own editing (`document.execCommand("insertText")` over the
//! smallest changed range), so the browser records it in the textarea's undo history and
//! Ctrl+Z takes it back, the caret lands where the change is, and the `input` event runs
//! the usual path. Browsers that refuse the command leave it to Yew to set the value.

use wasm_bindgen::JsCast;
use web_sys::{HtmlDocument, HtmlElement, HtmlTextAreaElement};

use crate::diff::splice;

/// The id of the editor's textarea.
pub const EDITOR_ID: &str = "editor-input";

fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

/// Replaces the editor's text with `text` as if typed. Returns true when the textarea now
/// holds `text`; false when the browser refused (the caller then sets it through state).
/// Focus goes back to whatever had it (the button clicked), unless that element is gone.
pub fn write_editor(text: &str) -> bool {
    let Some(doc) = document() else {
        return false;
    };
    let Some(ta) = doc
        .get_element_by_id(EDITOR_ID)
        .and_then(|e| e.dyn_into::<HtmlTextAreaElement>().ok())
    else {
        return false;
    };
    let old = ta.value();
    if old == text {
        return true;
    }
    let active = doc
        .active_element()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok());
    let cut = splice(&old, text);
    let options = web_sys::FocusOptions::new();
    options.set_prevent_scroll(true);
    let _ = ta.focus_with_options(&options);
    if ta
        .set_selection_range(cut.utf16.start, cut.utf16.end)
        .is_err()
    {
        return false;
    }
    let Ok(html_doc) = doc.dyn_into::<HtmlDocument>() else {
        return false;
    };
    let done = if cut.text.is_empty() {
        html_doc.exec_command("delete")
    } else {
        html_doc.exec_command_with_show_ui_and_value("insertText", false, cut.text)
    };
    let ok = done.unwrap_or(false) && ta.value() == text;
    if let Some(active) = active {
        if active.is_connected() && !active.is_same_node(Some(ta.as_ref())) {
            let _ = active.focus_with_options(&options);
        }
    }
    ok
}

/// Puts `text` on the clipboard. Resolves to whether it worked.
pub async fn copy_text(text: String) -> bool {
    let clipboard = web_sys::window().map(|w| w.navigator().clipboard());
    if let Some(clipboard) = clipboard {
        let promise = clipboard.write_text(&text);
        if wasm_bindgen_futures::JsFuture::from(promise).await.is_ok() {
            return true;
        }
    }
    copy_with_selection(&text)
}

/// The old way, for pages where the Clipboard API is missing or denied: select the text
/// in a hidden textarea and run the copy command.
fn copy_with_selection(text: &str) -> bool {
    let Some(doc) = document() else {
        return false;
    };
    let (Some(body), Ok(el)) = (doc.body(), doc.create_element("textarea")) else {
        return false;
    };
    let Ok(ta) = el.dyn_into::<HtmlTextAreaElement>() else {
        return false;
    };
    ta.set_value(text);
    let _ = ta.set_attribute("readonly", "");
    let _ = ta.style().set_property("position", "fixed");
    let _ = ta.style().set_property("opacity", "0");
    if body.append_child(&ta).is_err() {
        return false;
    }
    ta.select();
    let ok = doc
        .dyn_ref::<HtmlDocument>()
        .and_then(|d| d.exec_command("copy").ok())
        .unwrap_or(false);
    ta.remove();
    ok
}

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, text: &str) -> bool {
    let Some(doc) = document() else {
        return false;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    // Not text/plain: Chromium would save `Dockerfile` as `Dockerfile.txt`. A Blob made
    // from a string holds it as UTF-8 whatever the type.
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/octet-stream");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return false;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return false;
    };
    let link = doc
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    let ok = match (link, doc.body()) {
        (Some(a), Some(body)) => {
            a.set_href(&url);
            a.set_download(name);
            let _ = a.style().set_property("display", "none");
            let appended = body.append_child(&a).is_ok();
            a.click();
            a.remove();
            appended
        }
        _ => false,
    };
    // The click has started the download; the URL can go once it is read.
    let revoke = url.clone();
    gloo_timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&revoke);
    })
    .forget();
    ok
}
