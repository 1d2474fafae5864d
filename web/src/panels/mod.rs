//! The panels around the editor. Each is a function component whose props compare by
//! identity, so a keystroke re-renders only what a new analysis changed.

pub mod audit;
pub mod context;
pub mod diagnostics;
pub mod explain;
pub mod policies;
pub mod rules;
pub mod simulate;
pub mod topology;

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The current value of the `<input>`, `<textarea>` or `<select>` an event came from.
pub fn event_value(e: &Event) -> String {
    let Some(target) = e.target() else {
        return String::new();
    };
    if let Some(i) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        i.value()
    } else if let Some(t) = target.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        t.value()
    } else if let Some(s) = target.dyn_ref::<web_sys::HtmlSelectElement>() {
        s.value()
    } else {
        String::new()
    }
}

/// Plural helper: "1 error", "2 errors".
pub fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
