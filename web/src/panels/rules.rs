//! In-app rule pages (`#rules`, `#rule/S3R201`): the registry's metadata and its Markdown
//! docs, rendered as text nodes only.

use crate::editor::severity_word;
use crate::markdown;
use s3_replication_lint::rules;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// `None` = the index of every rule.
    pub code: Option<AttrValue>,
}

/// A rule's docs: in the build (natively), or read from the second module (the editor's
/// first load leaves them out).
#[derive(Properties, PartialEq)]
struct DocsProps {
    code: &'static str,
    docs: &'static str,
}

#[function_component(RuleDocs)]
fn rule_docs(p: &DocsProps) -> Html {
    let loaded = use_state(|| None::<Result<String, String>>);
    {
        let (loaded, code, built_in) = (loaded.clone(), p.code, !p.docs.is_empty());
        use_effect_with(code, move |_| {
            loaded.set(None);
            if !built_in {
                wasm_bindgen_futures::spawn_local(async move {
                    loaded.set(Some(crate::iac::rule_docs(code).await));
                });
            }
        });
    }
    let body = match (&*loaded, p.docs) {
        (_, docs) if !docs.is_empty() => markdown::render(docs),
        (Some(Ok(docs)), _) => markdown::render(docs),
        (Some(Err(e)), _) => {
            html! { <p class="hint">{ format!("The documentation could not be loaded: {e}") }</p> }
        }
        (None, _) => html! { <p class="hint">{"Loading the documentation…"}</p> },
    };
    html! { <div class="rule-docs">{ body }</div> }
}

#[function_component(RulePage)]
pub fn rule_page(p: &Props) -> Html {
    let back = html! { <p class="back"><a href="#">{"← Back to the editor"}</a>{" · "}<a href="#rules">{"All rules"}</a></p> };
    let Some(code) = &p.code else {
        let items = rules::registry().iter().map(|r| {
            html! {
                <tr>
                    <td><a href={format!("#rule/{}", r.code)}>{r.code}</a></td>
                    <td>{r.name}</td>
                    <td>{severity_word(r.severity)}</td>
                    <td>{markdown::inline(r.summary)}</td>
                </tr>
            }
        });
        return html! {
            <article class="rule-page" aria-labelledby="rule-title">
                { back }
                <h2 id="rule-title" tabindex="-1">{"Rules"}</h2>
                <table class="rule-index">
                    <thead><tr><th>{"Code"}</th><th>{"Name"}</th><th>{"Severity"}</th><th>{"Summary"}</th></tr></thead>
                    <tbody>{ for items }</tbody>
                </table>
            </article>
        };
    };
    let Some(rule) = rules::find(code) else {
        return html! {
            <article class="rule-page" aria-labelledby="rule-title">
                { back }
                <h2 id="rule-title" tabindex="-1">{"Unknown rule "}<code>{code.to_string()}</code></h2>
            </article>
        };
    };
    html! {
        <article class="rule-page" aria-labelledby="rule-title">
            { back }
            <h2 id="rule-title" tabindex="-1"><code>{rule.code}</code>{" "}{rule.name}</h2>
            <dl class="rule-meta">
                <dt>{"Default severity"}</dt><dd>{severity_word(rule.severity)}</dd>
                <dt>{"Summary"}</dt><dd>{markdown::inline(rule.summary)}</dd>
                { rule.s3_error.map(|e| html! { <><dt>{"S3 error"}</dt><dd><code>{e}</code></dd></> }).unwrap_or_default() }
                <dt>{"Confidence"}</dt><dd>{rule.confidence.describe()}</dd>
            </dl>
            <RuleDocs code={rule.code} docs={rule.docs} />
        </article>
    }
}
