//! The embedding API: `mount(element, options)` renders an independent editor into any
//! element (the `<s3-replication-editor>` custom element calls it inside its shadow root)
//! and returns a handle the host drives. Nothing here touches the URL, localStorage or the
//! network.

use crate::analysis::Analysis;
use crate::app::{App, AppProps, EmbedOptions, External, Panels};
use crate::Shared;
use s3_replication_lint::{DeploymentContext, Format};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::AppHandle;

/// A mounted editor.
#[wasm_bindgen]
pub struct EditorHandle {
    app: Option<AppHandle<App>>,
    root: web_sys::Element,
    options: Shared<EmbedOptions>,
}

fn get(options: &JsValue, key: &str) -> JsValue {
    if options.is_object() {
        js_sys::Reflect::get(options, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// `"diagnostics policies"`, `"diagnostics,context"` or an array of those names; an empty or
/// absent value shows every panel.
pub fn parse_panels(spec: &str) -> Panels {
    let names: Vec<&str> = spec
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .collect();
    if names.is_empty() {
        return Panels::default();
    }
    Panels {
        diagnostics: names.contains(&"diagnostics"),
        policies: names.contains(&"policies"),
        context: names.contains(&"context"),
    }
}

pub fn parse_format(s: &str) -> Option<Format> {
    match s.trim().to_ascii_lowercase().as_str() {
        "xml" => Some(Format::Xml),
        "json" => Some(Format::Json),
        _ => None,
    }
}

fn context_of(value: &JsValue) -> Result<DeploymentContext, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(DeploymentContext::default());
    }
    let text = match value.as_string() {
        Some(s) => s,
        None => js_sys::JSON::stringify(value)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default(),
    };
    if text.trim().is_empty() {
        return Ok(DeploymentContext::default());
    }
    DeploymentContext::from_json(&text).map_err(|e| JsError::new(&e))
}

fn truthy(v: &JsValue) -> bool {
    match v.as_bool() {
        Some(b) => b,
        None => v
            .as_string()
            .is_some_and(|s| !matches!(s.as_str(), "false" | "0")),
    }
}

/// Render an editor into `root`. Options (all optional): `value` (the document), `context`
/// (deployment context as JSON text or object), `format` (`"xml"`/`"json"`, else detected),
/// `readonly`, `panels` (which of `diagnostics policies context` to show) and `onChange`
/// (called with the JSON of `{ text, format, diagnostics, policies, valid }` after each edit).
#[wasm_bindgen]
pub fn mount(root: web_sys::Element, options: JsValue) -> Result<EditorHandle, JsError> {
    let panels_value = get(&options, "panels");
    let panels = match panels_value.as_string() {
        Some(s) => parse_panels(&s),
        None if js_sys::Array::is_array(&panels_value) => {
            let joined: Vec<String> = js_sys::Array::from(&panels_value)
                .iter()
                .filter_map(|v| v.as_string())
                .collect();
            parse_panels(&joined.join(" "))
        }
        None => Panels::default(),
    };
    // Help texts then name the `context` the page passes, not a panel the user cannot see.
    if panels.context {
        let _ = root.remove_attribute(crate::dom::NO_CONTEXT_PANEL);
    } else {
        let _ = root.set_attribute(crate::dom::NO_CONTEXT_PANEL, "");
    }
    let opts = Shared::new(EmbedOptions {
        value: get(&options, "value").as_string().unwrap_or_default(),
        context: context_of(&get(&options, "context"))?,
        format: get(&options, "format")
            .as_string()
            .and_then(|f| parse_format(&f)),
        readonly: truthy(&get(&options, "readonly")),
        panels,
        on_change: get(&options, "onChange")
            .dyn_into::<js_sys::Function>()
            .ok(),
        latest: RefCell::new(String::new()),
    });
    let app = yew::Renderer::<App>::with_root_and_props(
        root.clone(),
        AppProps {
            embed: Some(opts.clone()),
        },
    )
    .render();
    Ok(EditorHandle {
        app: Some(app),
        root,
        options: opts,
    })
}

#[wasm_bindgen]
impl EditorHandle {
    fn send(&self, cmd: External) {
        if let Some(app) = &self.app {
            app.send_message(crate::app::Msg::External(cmd));
        }
    }

    fn textarea(&self) -> Option<web_sys::HtmlTextAreaElement> {
        self.root
            .query_selector("textarea")
            .ok()
            .flatten()
            .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    }

    /// The document as it is in the editor now.
    #[wasm_bindgen(js_name = getValue)]
    pub fn get_value(&self) -> String {
        self.textarea()
            .map(|t| t.value())
            .unwrap_or_else(|| self.options.value.clone())
    }

    /// Replace the document (not undoable).
    #[wasm_bindgen(js_name = setValue)]
    pub fn set_value(&self, text: String) {
        // The app handles the message on its next turn: the text goes in now, so that a
        // `getValue()` right after `setValue()` reads what was set.
        if let Some(t) = self.textarea() {
            t.set_value(&text);
        }
        self.send(External::SetValue(text));
    }

    /// Replace the deployment context (JSON text or object).
    #[wasm_bindgen(js_name = setContext)]
    pub fn set_context(&self, context: JsValue) -> Result<(), JsError> {
        self.send(External::SetContext(Box::new(context_of(&context)?)));
        Ok(())
    }

    #[wasm_bindgen(js_name = setReadonly)]
    pub fn set_readonly(&self, readonly: bool) {
        self.send(External::SetReadonly(readonly));
    }

    pub fn focus(&self) {
        self.send(External::Focus);
    }

    /// The latest `{ text, format, diagnostics, policies, valid, configuration? }`, as JSON.
    pub fn snapshot(&self) -> String {
        let latest = self.options.latest.borrow().clone();
        if !latest.is_empty() {
            return latest;
        }
        // Not rendered yet (Yew renders on the next microtask): analyse the initial state.
        let o = &*self.options;
        let a = Analysis::new(std::rc::Rc::from(o.value.as_str()), o.format, &o.context);
        crate::app::change_detail(&a, &a, None)
    }

    /// Unmount the editor.
    pub fn destroy(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panels_and_formats() {
        assert_eq!(parse_panels(""), Panels::default());
        let p = parse_panels("diagnostics, policies");
        assert!(p.diagnostics && p.policies && !p.context);
        assert_eq!(parse_format(" JSON "), Some(Format::Json));
        assert_eq!(parse_format("yaml"), None);
    }
}
