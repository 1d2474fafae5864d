//! The diagnostics list: severity in words, code (linking to its rule page), position,
//! message, help, and a Fix button when the diagnostic carries one.

use super::count;
use crate::analysis::Analysis;
use crate::editor::severity_word;
use crate::markdown;
use crate::Shared;
use s3_replication_lint::Severity;
use yew::prelude::*;

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

#[function_component(Diagnostics)]
pub fn diagnostics(p: &Props) -> Html {
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
    let items = a.report.diagnostics.iter().enumerate().map(|(i, d)| {
        let sev = d.severity.as_str();
        let select = {
            let cb = p.onselect.clone();
            Callback::from(move |_: MouseEvent| cb.emit(i))
        };
        let fix = d.fix.as_ref().filter(|_| p.can_fix).map(|f| {
            let cb = p.onfix.clone();
            let onclick = Callback::from(move |_: MouseEvent| cb.emit(i));
            let label = format!("Fix: {}", f.title);
            html! { <button type="button" class="fix" {onclick} title={label.clone()}>{label}</button> }
        });
        let pos = format!("{}:{}", d.range.start.line, d.range.start.column);
        html! {
            <li class={classes!("diag", format!("diag-{sev}"))}
                data-code={d.code} data-severity={sev} data-line={d.range.start.line.to_string()}>
                <span class="sev">{severity_word(d.severity)}</span>
                if p.rule_links {
                    <a class="code" href={format!("#rule/{}", d.code)} title="Open the rule page">{d.code}</a>
                } else {
                    <span class="code">{d.code}</span>
                }
                <button type="button" class="goto" onclick={select}
                    title="Select this range in the editor">
                    <span class="pos">{format!("Line {pos}")}</span>
                    <span class="msg">{markdown::inline(&d.message)}</span>
                </button>
                { fix }
                { d.help.as_ref().map(|h| html! { <p class="help">{markdown::inline(h)}</p> }).unwrap_or_default() }
                { for d.related.iter().map(|r| html! {
                    <p class="help related">{format!("Line {}:{}: ", r.range.start.line, r.range.start.column)}{markdown::inline(&r.message)}</p>
                }) }
            </li>
        }
    });
    html! {
        <section class="panel diagnostics" aria-labelledby="diagnostics-heading">
            <h2 id="diagnostics-heading">{"Problems"}
                <span class={classes!("summary", (errors > 0).then_some("has-errors"))}>{summary}</span>
            </h2>
            <ul class="diag-list" aria-label="Diagnostics">{ for items }</ul>
        </section>
    }
}
