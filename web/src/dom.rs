//! Small imperative browser helpers the components share. Styles are set through the CSSOM
//! (`element.style.setProperty`), which the Content-Security-Policy allows, unlike `style`
//! attributes.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::NodeRef;

pub fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

pub fn document() -> Option<web_sys::Document> {
    window()?.document()
}

pub fn set_style(node: &NodeRef, property: &str, value: &str) {
    if let Some(el) = node.cast::<HtmlElement>() {
        let _ = el.style().set_property(property, value);
    }
}

/// Indices of the diagnostics drawn under the point (the highlight layer lies under the
/// textarea, so ask for every element at the point, not just the topmost). Inside a shadow
/// root (the embedded editor) the shadow root answers, not the document.
pub fn diagnostics_at(near: &web_sys::Node, x: i32, y: i32) -> Vec<usize> {
    let root = near.get_root_node();
    let elements = match root.dyn_ref::<web_sys::ShadowRoot>() {
        Some(shadow) => shadow.elements_from_point(x as f32, y as f32),
        None => match document() {
            Some(doc) => doc.elements_from_point(x as f32, y as f32),
            None => return Vec::new(),
        },
    };
    let mut out: Vec<usize> = Vec::new();
    for el in elements.iter() {
        let Ok(el) = el.dyn_into::<web_sys::Element>() else {
            continue;
        };
        if let Some(ids) = el.get_attribute("data-d") {
            for id in ids.split(' ').filter_map(|s| s.parse().ok()) {
                if !out.contains(&id) {
                    out.push(id);
                }
            }
            break;
        }
    }
    out
}

/// Select UTF-16 range `[start, end)` in the textarea, focus it and scroll it into view.
pub fn select_range(t: &HtmlTextAreaElement, start: u32, end: u32, line: u32, line_height: f64) {
    let _ = t.focus();
    let _ = t.set_selection_range(start, end);
    let h = f64::from(t.client_height());
    let y = f64::from(line.saturating_sub(1)) * line_height;
    let top = f64::from(t.scroll_top());
    if y < top || y + line_height > top + h {
        t.set_scroll_top((y - h / 3.0).max(0.0) as i32);
    }
}

/// Chromium's `insertText` command costs about 2 ms per inserted line; above this size a
/// replacement is written directly (fast, but not undoable).
const UNDOABLE_MAX_LINES: usize = 60;
const UNDOABLE_MAX_BYTES: usize = 8_000;

/// Replace UTF-16 range `[start, end)` of the textarea with `text` as if typed, so the
/// browser's undo history keeps the change. Large replacements (converting a big document)
/// are written with `setRangeText` instead. Either way an `input` event reaches the editor.
pub fn replace_range(t: &HtmlTextAreaElement, start: u32, end: u32, text: &str) {
    let _ = t.focus();
    let _ = t.set_selection_range(start, end);
    let small = text.len() <= UNDOABLE_MAX_BYTES
        && text.bytes().filter(|&b| b == b'\n').count() <= UNDOABLE_MAX_LINES;
    let done = small
        && document()
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
            .and_then(|d| {
                d.exec_command_with_show_ui_and_value("insertText", false, text)
                    .ok()
            })
            .unwrap_or(false);
    if !done {
        let _ = t.set_range_text_with_start_and_end_and_mode(text, start, end, "end");
        if let Ok(ev) = web_sys::Event::new("input") {
            let _ = t.dispatch_event(&ev);
        }
    }
}

pub fn local_get(key: &str) -> Option<String> {
    window()?.local_storage().ok()??.get_item(key).ok()?
}

pub fn local_set(key: &str, value: &str) {
    if let Some(Ok(Some(s))) = window().map(|w| w.local_storage()) {
        let _ = s.set_item(key, value);
    }
}

pub fn location_hash() -> String {
    window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Set the fragment without adding a history entry or scrolling.
pub fn replace_hash(hash: &str) {
    if let Some(w) = window() {
        let url = if hash.is_empty() {
            let loc = w.location();
            format!(
                "{}{}",
                loc.pathname().unwrap_or_default(),
                loc.search().unwrap_or_default()
            )
        } else {
            hash.to_string()
        };
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&url));
        }
    }
}

/// The page URL without its fragment.
pub fn base_url() -> String {
    window()
        .and_then(|w| w.location().href().ok())
        .map(|h| h.split('#').next().unwrap_or_default().to_string())
        .unwrap_or_default()
}

/// Copy text to the clipboard. Returns false when the browser refused (no permission).
pub fn copy(text: &str) -> bool {
    match window() {
        Some(w) => {
            let _promise = w.navigator().clipboard().write_text(text);
            true
        }
        None => false,
    }
}

/// Show `word` instead of `was` on a button (its text and accessible name: "Copy X" becomes
/// "Copied X") for `ms`, then what it said before. The text node is changed in place, so
/// the virtual DOM, which still holds `was`, leaves it alone and can update it later.
pub fn flash(button: &web_sys::EventTarget, was: &'static str, word: &str, ms: u32) {
    let Some(b) = button.dyn_ref::<web_sys::Element>() else {
        return;
    };
    let (Some(text), Some(label)) = (b.first_child(), b.get_attribute("aria-label")) else {
        return;
    };
    text.set_node_value(Some(word));
    let rest = label.split_once(' ').map_or("", |(_, r)| r);
    let _ = b.set_attribute("aria-label", &format!("{word} {rest}"));
    let b = b.clone();
    gloo::timers::callback::Timeout::new(ms, move || {
        text.set_node_value(Some(was));
        let _ = b.set_attribute("aria-label", &label);
    })
    .forget();
}

/// Offer `text` as a file download (a `blob:` URL; nothing is sent anywhere).
pub fn download(name: &str, text: &str, mime: &str) {
    let Some(doc) = document() else { return };
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = doc.create_element("a") {
        if let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() {
            a.set_href(&url);
            a.set_download(name);
            if let Some(body) = doc.body() {
                let _ = body.append_child(&a);
                a.click();
                let _ = body.remove_child(&a);
            }
        }
    }
    // Some browsers read the blob after the click returns: free it a little later.
    gloo::timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
}

/// The mark `embed.rs` puts on the root of an embedded editor shown without its deployment
/// context panel (style.css then shows help texts' host-page reading, see `help_text`).
pub const NO_CONTEXT_PANEL: &str = "data-no-context-panel";
