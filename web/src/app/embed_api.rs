//! The editor embedded in a host page: what it tells the page (`change`) and what the page
//! asks of it.

use super::start::normalize;
use super::{App, External};
use crate::analysis::Analysis;
use crate::Shared;
use s3_replication_lint::input::InputKind;
use std::rc::Rc;
use yew::prelude::*;

impl App {
    /// Tell an embedding page what the editor now holds (its `change` event).
    pub(super) fn announce(&self) {
        let Some(embed) = &self.embed else { return };
        let template = self.iac.as_ref().map(|v| {
            let address = v.configurations.get(self.iac_selected).map(|c| &c.address);
            (v.kind, address.cloned())
        });
        let detail = change_detail(&self.analysis, &self.subject().0, template);
        if let Some(f) = &embed.on_change {
            let _ = f.call1(
                &wasm_bindgen::JsValue::NULL,
                &wasm_bindgen::JsValue::from_str(&detail),
            );
        }
        *embed.latest.borrow_mut() = detail;
    }

    /// A call from the host page.
    pub(super) fn external(&mut self, ctx: &Context<Self>, cmd: External) -> bool {
        match cmd {
            External::SetValue(text) => {
                let text = normalize(&text);
                if let Some(t) = self.textarea() {
                    t.set_value(&text);
                }
                if *text == *self.text {
                    return false;
                }
                self.text = Rc::from(text.as_str());
                self.reanalyze(ctx);
                true
            }
            External::SetContext(c) => {
                self.keys_raw = AttrValue::from(c.source_kms_keys.join("\n"));
                self.ctx = Shared::new(*c);
                self.reanalyze(ctx);
                true
            }
            External::SetReadonly(r) => {
                self.readonly = r;
                true
            }
            External::Focus => {
                if let Some(t) = self.textarea() {
                    let _ = t.focus();
                }
                false
            }
        }
    }
}

/// The `change` event detail of an embedded editor, as JSON: the text's findings, and the
/// policies of what it deploys (`outputs`: the text itself, or a template's selected
/// configuration, named by `template`).
pub(crate) fn change_detail(
    a: &Analysis,
    outputs: &Analysis,
    template: Option<(InputKind, Option<String>)>,
) -> String {
    let format = match &template {
        Some((kind, _)) => serde_json::json!(kind.as_str()),
        None => serde_json::json!(a.report.format),
    };
    let mut detail = serde_json::json!({
        "text": &*a.text,
        "format": format,
        "diagnostics": &a.report.diagnostics,
        "policies": &outputs.policies,
        "valid": !a.report.has_errors(),
    });
    if let Some((_, Some(address))) = template {
        detail["configuration"] = serde_json::json!(address);
    }
    detail.to_string()
}
