//! The diagnostics list: severity in words, code (linking to its rule page), position,
//! message, help, and a Fix button when the diagnostic carries one.
//!
//! Keyboard: the list is one Tab stop (roving tabindex). Up/Down, Home and End move between
//! problems; Enter on a problem selects its range, as a click does. Only the current
//! problem's controls are in the Tab order, so Tab from it reaches its Fix button (and
//! Shift+Tab its rule link) before leaving the list.

use super::count;
use crate::analysis::Analysis;
use crate::editor::severity_word;
use crate::markdown;
use crate::Shared;
use s3_replication_lint::Severity;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// A help text. Where it points to "the deployment context" it carries both readings: the
/// panel's, and for an editor embedded without that panel (its root is marked by `embed.rs`,
/// style.css shows the right one) the `context` the host page passes.
pub fn help_text(text: &str) -> Html {
    const PANEL: &str = "the deployment context";
    match text.split_once(PANEL) {
        None => markdown::inline(text),
        Some((before, after)) => html! {
            <>
                { markdown::inline(before) }
                <span class="ctx-panel">{PANEL}</span>
                <span class="ctx-page">{ markdown::inline("the `context` the embedding page passes") }</span>
                { markdown::inline(after) }
            </>
        },
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub analysis: Shared<Analysis>,
    pub onselect: Callback<usize>,
    pub onfix: Callback<usize>,
    /// False when the document is read-only.
    #[prop_or(true)]
    pub can_fix: bool,
    /// False when embedded: the host page owns the URL fragment.
    #[prop_or(true)]
    pub rule_links: bool,
}

/// The list, with the problem that is the list's Tab stop.
pub struct Diagnostics {
    active: usize,
    list: NodeRef,
}

impl Component for Diagnostics {
    type Message = usize;
    type Properties = Props;

    fn create(_ctx: &Context<Self>) -> Self {
        Diagnostics {
            active: 0,
            list: NodeRef::default(),
        }
    }

    /// Problem `i` became the current one (focused, or moved to with the keys).
    fn update(&mut self, _ctx: &Context<Self>, i: usize) -> bool {
        std::mem::replace(&mut self.active, i) != i
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let p = ctx.props();
        let a = &*p.analysis;
        let errors = a.count(Severity::Error);
        let warnings = a.count(Severity::Warning);
        let infos = a.count(Severity::Info);
        let summary = if a.report.diagnostics.is_empty() {
            "No problems found".to_string()
        } else {
            format!(
                "{}, {}, {}",
                count(errors, "error"),
                count(warnings, "warning"),
                count(infos, "note")
            )
        };
        let n = a.report.diagnostics.len();
        let current = self.active.min(n.saturating_sub(1));
        let onkeydown = {
            let (list, link) = (self.list.clone(), ctx.link().clone());
            Callback::from(move |e: KeyboardEvent| {
                let next = match e.key().as_str() {
                    "ArrowDown" => (current + 1).min(n.saturating_sub(1)),
                    "ArrowUp" => current.saturating_sub(1),
                    "Home" => 0,
                    "End" => n.saturating_sub(1),
                    _ => return,
                };
                e.prevent_default();
                let goto = list
                    .cast::<web_sys::Element>()
                    .and_then(|ul| {
                        let at = format!(".diag:nth-child({}) .goto", next + 1);
                        ul.query_selector(&at).ok().flatten()
                    })
                    .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(b) = goto {
                    let _ = b.focus();
                }
                link.send_message(next);
            })
        };
        let items = a.report.diagnostics.iter().enumerate().map(|(i, d)| {
        let sev = d.severity.as_str();
        let tabindex = if i == current { "0" } else { "-1" };
        let select = {
            let cb = p.onselect.clone();
            Callback::from(move |_: MouseEvent| cb.emit(i))
        };
        let onfocusin = ctx.link().callback(move |_: FocusEvent| i);
        let fix = d.fix.as_ref().filter(|_| p.can_fix).map(|f| {
            let cb = p.onfix.clone();
            let onclick = Callback::from(move |_: MouseEvent| cb.emit(i));
            let label = format!("Fix: {}", f.title);
            html! { <button type="button" class="fix" {onclick} {tabindex} title={label.clone()}>{label}</button> }
        });
        let pos = format!("{}:{}", d.range.start.line, d.range.start.column);
        html! {
            <li class={classes!("diag", format!("diag-{sev}"))} {onfocusin}
                data-code={d.code} data-severity={sev} data-line={d.range.start.line.to_string()}>
                <span class="sev">{severity_word(d.severity)}</span>
                if p.rule_links {
                    <a class="code" href={format!("#rule/{}", d.code)} {tabindex} title="Open the rule page">{d.code}</a>
                } else {
                    <span class="code">{d.code}</span>
                }
                <button type="button" class="goto" onclick={select} {tabindex}
                    title="Select this range in the editor">
                    <span class="pos">{format!("Line {pos}")}</span>
                    <span class="msg">{markdown::inline(&d.message)}</span>
                </button>
                { fix }
                { d.help.as_ref().map(|h| html! { <p class="help">{help_text(h)}</p> }).unwrap_or_default() }
                { for d.related.iter().map(|r| html! {
                    <p class="help related">{format!("Line {}:{}: ", r.range.start.line, r.range.start.column)}{markdown::inline(&r.message)}</p>
                }) }
            </li>
        }
    }).collect::<Html>();
        html! {
            <section class="panel diagnostics" aria-labelledby="diagnostics-heading">
                <h2 id="diagnostics-heading">{"Problems"}
                    <span class={classes!("summary", (errors > 0).then_some("has-errors"))}>{summary}</span>
                </h2>
                <ul class="diag-list" aria-label="Diagnostics" ref={self.list.clone()} {onkeydown}>{ items }</ul>
            </section>
        }
    }
}
