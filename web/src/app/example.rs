//! The built-in examples: loading one (undoable), the context values that came from it,
//! and the notice's action button.

use super::start::{normalize, Route};
use super::{App, Msg};
use crate::panels::context::{self, CtxEdit};
use crate::share::SharedState;
use crate::{dom, examples, Shared};
use s3_replication_lint::{DeploymentContext, Format};
use std::rc::Rc;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// A button beside the notice.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum NoticeAction {
    Undo,
    /// Convert although the conversion drops something (said in the notice).
    Convert(Format),
}

/// The document and context before an example replaced them.
pub(super) struct Snapshot {
    pub(super) text: Rc<str>,
    pub(super) ctx: Shared<DeploymentContext>,
    pub(super) keys_raw: AttrValue,
    pub(super) example: Option<(AttrValue, DeploymentContext)>,
}

/// The example whose context `ctx` is, if any (an autosaved example keeps its label).
pub(super) fn example_of(ctx: &DeploymentContext) -> Option<(AttrValue, DeploymentContext)> {
    if *ctx == DeploymentContext::default() {
        return None;
    }
    examples::all()
        .iter()
        .find(|e| e.context() == *ctx)
        .map(|e| (AttrValue::from(e.title), ctx.clone()))
}

impl App {
    /// Empty the context fields that still hold the example's values; their labels.
    pub(super) fn clear_example(&mut self) -> Vec<String> {
        let Some((_, example)) = self.example.take() else {
            return Vec::new();
        };
        let mut c = (*self.ctx).clone();
        let cleared = context::example_fields(&mut c, &example, true);
        if !cleared.is_empty() {
            if c.source_kms_keys.is_empty() {
                self.keys_raw = AttrValue::default();
            }
            self.ctx = Shared::new(c);
        }
        cleared
    }

    /// Says that the text is one of the built-in examples, until it is edited.
    pub(super) fn example_label(&self) -> Html {
        if self.embed.is_some() {
            return Html::default();
        }
        match examples::all()
            .iter()
            .find(|e| e.text.len() == self.text.len() && *normalize(e.text) == *self.text)
        {
            Some(e) => html! {
                <p class="example-label">
                    <strong>{ format!("Example: {}.", e.title) }</strong>
                    {" Paste or type your own configuration to check it."}
                </p>
            },
            None => Html::default(),
        }
    }

    /// The button the notice offers, if any.
    pub(super) fn notice_button(&self, ctx: &Context<Self>) -> Html {
        let action = self.notice_action;
        let label = match action {
            Some(NoticeAction::Undo) if self.undo.is_some() => "Undo",
            Some(NoticeAction::Convert(_)) => "Convert anyway",
            _ => return Html::default(),
        };
        let onclick = ctx.link().callback(move |_| match action {
            Some(NoticeAction::Convert(to)) => Msg::ConvertAnyway(to),
            _ => Msg::Undo,
        });
        html! { <>{" "}<button type="button" class="notice-action" {onclick}>{label}</button></> }
    }

    /// Load example `id` with its context; what it replaces can be brought back.
    pub(super) fn pick_example(&mut self, ctx: &Context<Self>, id: &str) -> bool {
        if let Some(sel) = self.example_select.cast::<HtmlSelectElement>() {
            sel.set_value("");
        }
        let Some(e) = examples::find(id) else {
            return false;
        };
        self.undo = Some(Box::new(Snapshot {
            text: self.text.clone(),
            ctx: self.ctx.clone(),
            keys_raw: self.keys_raw.clone(),
            example: self.example.take(),
        }));
        self.example = Some((AttrValue::from(e.title), e.context()));
        if self.route != Route::Editor {
            // Picked from the Rules pages: back to the editor, where it was loaded.
            self.route = Route::Editor;
            dom::replace_hash("");
        }
        self.load(
            ctx,
            SharedState {
                text: e.text.to_string(),
                format: None,
                context: e.context(),
                object: None,
            },
        );
        self.notice = Some(format!(
            "Loaded the example “{}” and its deployment context.",
            e.title
        ));
        self.notice_action = Some(NoticeAction::Undo);
        self.share_link = None;
        true
    }

    /// An edit in the context panel.
    pub(super) fn edit_context(&mut self, ctx: &Context<Self>, edit: CtxEdit) -> bool {
        if edit == CtxEdit::ClearExample {
            let cleared = self.clear_example();
            self.notice = Some(format!(
                "Cleared the example's values: {}.",
                cleared.join(", ")
            ));
            self.reanalyze(ctx);
            return true;
        }
        if edit == CtxEdit::ClearAll {
            self.example = None;
        }
        let mut c = (*self.ctx).clone();
        let mut raw = self.keys_raw.to_string();
        context::apply(&mut c, &mut raw, edit);
        self.keys_raw = AttrValue::from(raw);
        self.ctx = Shared::new(c);
        self.reanalyze(ctx);
        true
    }
}
