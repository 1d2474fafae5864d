//! "What this configuration does": the `explain` summary (one sentence per rule) and the
//! gaps (what is not replicated), above the policies. Collapsible; while collapsed nothing
//! is computed for it.

use crate::analysis::Explained;
use crate::{markdown, Shared};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Sentences (and gaps) shown before "Show all".
const SHOWN: usize = 5;

#[derive(Properties, PartialEq)]
pub struct ExplainProps {
    pub explained: Option<Shared<Explained>>,
    pub open: bool,
    /// The details element was opened (true) or closed (false).
    pub ontoggle: Callback<bool>,
    /// The explanation describes an older version of the document (being recomputed).
    #[prop_or_default]
    pub stale: bool,
}

pub struct ExplainPanel {
    show_all: bool,
}

pub enum Msg {
    ShowAll(bool),
}

impl Component for ExplainPanel {
    type Message = Msg;
    type Properties = ExplainProps;

    fn create(_ctx: &Context<Self>) -> Self {
        ExplainPanel { show_all: false }
    }

    fn update(&mut self, _ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::ShowAll(b) => {
                let changed = self.show_all != b;
                self.show_all = b;
                changed
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let p = ctx.props();
        let cb = p.ontoggle.clone();
        let ontoggle = Callback::from(move |e: Event| {
            if let Some(d) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok())
            {
                cb.emit(d.open());
            }
        });
        let body = if !p.open {
            Html::default()
        } else {
            match &p.explained {
                None => {
                    html! { <p class="empty">{"Fix the syntax errors to read what this configuration does."}</p> }
                }
                Some(ex) => self.body(ctx, ex),
            }
        };
        html! {
            <details class={classes!("panel", "explain", p.stale.then_some("stale"))} open={p.open} {ontoggle}>
                <summary><h2 id="explain-heading">{"What this configuration does"}</h2></summary>
                { body }
            </details>
        }
    }
}

impl ExplainPanel {
    fn body(&self, ctx: &Context<Self>, ex: &Explained) -> Html {
        let e = &ex.explanation;
        let n = e.summary.len() + e.gaps.len();
        let cap = if self.show_all { n } else { SHOWN };
        let items = e
            .summary
            .iter()
            .take(cap)
            .map(|s| html! { <li>{markdown::inline(s)}</li> });
        let link = ctx.link();
        let toggle = if e.summary.len() > SHOWN || e.gaps.len() > SHOWN {
            if self.show_all {
                html! { <button type="button" class="more" onclick={link.callback(|_| Msg::ShowAll(false))}>{"Show fewer"}</button> }
            } else {
                html! {
                    <button type="button" class="more" onclick={link.callback(|_| Msg::ShowAll(true))}>
                        {format!("Show all {n} sentences")}
                    </button>
                }
            }
        } else {
            Html::default()
        };
        let gaps = if e.gaps.is_empty() {
            html! { <p class="explain-nogaps">{"No gaps found: every object an enabled rule could miss is covered by another one."}</p> }
        } else {
            let items = e
                .gaps
                .iter()
                .take(cap)
                .map(|s| html! { <li>{markdown::inline(s)}</li> });
            html! {
                <>
                    <h3>{"Not replicated"}</h3>
                    <ul class="explain-gaps" aria-label="Gaps">{ for items }</ul>
                </>
            }
        };
        html! {
            <div class="explain-body">
                <ul class="explain-summary" aria-label="Summary">{ for items }</ul>
                { gaps }
                { toggle }
            </div>
        }
    }
}
