//! The output tabs: one per generated document kind, each with copy, download and the reason
//! for every statement; plus the Audit tab (see `audit.rs`).

use crate::analysis::Analysis;
use crate::editor::severity_word;
use crate::markdown;
use crate::{dom, Shared};
use s3_replication_lint::policy::{DocumentKind, PolicyDocument};
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Role,
    Trust,
    Kms,
    Bucket,
    Simulate,
    Topology,
    Audit,
}

impl Tab {
    pub const ALL: [Tab; 7] = [
        Tab::Role,
        Tab::Trust,
        Tab::Kms,
        Tab::Bucket,
        Tab::Simulate,
        Tab::Topology,
        Tab::Audit,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Tab::Role => "Role permissions policy",
            Tab::Trust => "Trust policy",
            Tab::Kms => "KMS key policies",
            Tab::Bucket => "Destination bucket policy",
            Tab::Simulate => "Simulate",
            Tab::Topology => "Topology",
            Tab::Audit => "Audit",
        }
    }

    /// The tab whose [`Tab::id`] is `id`.
    pub fn from_id(id: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|t| t.id() == id)
    }

    pub fn id(self) -> &'static str {
        match self {
            Tab::Role => "role",
            Tab::Trust => "trust",
            Tab::Kms => "kms",
            Tab::Bucket => "bucket",
            Tab::Simulate => "simulate",
            Tab::Topology => "topology",
            Tab::Audit => "audit",
        }
    }

    /// A tab of generated policies (not Simulate, Topology or Audit).
    pub fn shows_policies(self) -> bool {
        !self.kinds().is_empty()
    }

    fn kinds(self) -> &'static [DocumentKind] {
        match self {
            Tab::Role => &[
                DocumentKind::RolePermissions,
                DocumentKind::BatchReplication,
                DocumentKind::Deployer,
            ],
            Tab::Trust => &[DocumentKind::Trust],
            Tab::Kms => &[DocumentKind::KmsKeyPolicy],
            Tab::Bucket => &[DocumentKind::DestinationBucketPolicy],
            Tab::Simulate | Tab::Topology | Tab::Audit => &[],
        }
    }

    fn empty_text(self) -> &'static str {
        match self {
            Tab::Kms => "No KMS key policy statements are needed: no rule replicates SSE-KMS objects.",
            Tab::Bucket => "No destination bucket policy is needed: every destination is owned by the source account (or its owner is unknown; set it in the context).",
            _ => "Nothing to generate: the document has no enabled rule that could be read.",
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct TabsProps {
    pub current: Tab,
    pub onselect: Callback<Tab>,
}

/// The tab strip; arrow keys, Home and End move between tabs (WAI-ARIA tabs pattern).
#[function_component(TabList)]
pub fn tab_list(p: &TabsProps) -> Html {
    let tabs = Tab::ALL.iter().enumerate().map(|(i, &tab)| {
        let selected = tab == p.current;
        let cb = p.onselect.clone();
        let onclick = Callback::from(move |_: MouseEvent| cb.emit(tab));
        let cb = p.onselect.clone();
        let onkeydown = Callback::from(move |e: KeyboardEvent| {
            let n = Tab::ALL.len();
            let next = match e.key().as_str() {
                "ArrowRight" => Some((i + 1) % n),
                "ArrowLeft" => Some((i + n - 1) % n),
                "Home" => Some(0),
                "End" => Some(n - 1),
                _ => None,
            };
            if let Some(j) = next {
                e.prevent_default();
                cb.emit(Tab::ALL[j]);
                // Look the tab up next to this one: inside a shadow root (embedded editor)
                // `document.getElementById` cannot see it.
                let selector = format!("#tab-{}", Tab::ALL[j].id());
                if let Some(el) = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .and_then(|t| t.parent_element())
                    .and_then(|list| list.query_selector(&selector).ok().flatten())
                    .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = el.focus();
                }
            }
        });
        html! {
            <button type="button" role="tab" id={format!("tab-{}", tab.id())}
                aria-selected={if selected { "true" } else { "false" }}
                aria-controls={format!("panel-{}", tab.id())}
                tabindex={if selected { "0" } else { "-1" }}
                class={classes!("tab", selected.then_some("selected"))}
                {onclick} {onkeydown}>{tab.label()}</button>
        }
    });
    html! { <div class="tabs" role="tablist" aria-label="Outputs">{ for tabs }</div> }
}

/// The language the policy tabs show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    Json,
    Terraform,
    CloudFormation,
}

impl Code {
    pub const ALL: [Code; 3] = [Code::Json, Code::Terraform, Code::CloudFormation];

    pub fn label(self) -> &'static str {
        match self {
            Code::Json => "JSON",
            Code::Terraform => "Terraform",
            Code::CloudFormation => "CloudFormation",
        }
    }

    /// The emitter's name for it (`None`: the JSON documents themselves).
    pub fn target(self) -> Option<&'static str> {
        match self {
            Code::Json => None,
            Code::Terraform => Some("terraform"),
            Code::CloudFormation => Some("cloudformation"),
        }
    }

    fn file_name(self) -> &'static str {
        match self {
            Code::Terraform => "replication-policies.tf",
            _ => "replication-policies.yaml",
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct PolicyProps {
    pub analysis: Shared<Analysis>,
    pub tab: Tab,
    pub onnotice: Callback<String>,
    pub code: Code,
    pub oncode: Callback<Code>,
    /// The policies as `code` (not JSON): `None` while the code writer runs.
    pub emitted: Option<Shared<Result<String, String>>>,
}

/// JSON, Terraform or CloudFormation: a radio group above the policies.
fn code_switch(current: Code, oncode: &Callback<Code>) -> Html {
    let options = Code::ALL.iter().map(|&c| {
        let cb = oncode.clone();
        let onchange = Callback::from(move |_: Event| cb.emit(c));
        html! {
            <label class={classes!("code-option", (c == current).then_some("selected"))}>
                <input type="radio" name="policy-code" value={c.label()} checked={c == current} {onchange} />
                { c.label() }
            </label>
        }
    });
    html! {
        <div class="code-switch" role="radiogroup" aria-label="Policy format">{ for options }</div>
    }
}

/// Every policy of the configuration as one Terraform or CloudFormation file.
fn code_view(
    code: Code,
    emitted: &Option<Shared<Result<String, String>>>,
    onnotice: &Callback<String>,
) -> Html {
    let Some(answer) = emitted else {
        return html! { <p class="empty" aria-busy="true">{format!("Writing the policies as {}…", code.label())}</p> };
    };
    let text = match &**answer {
        Ok(text) => text.clone(),
        Err(e) => return html! { <p class="empty">{e.clone()}</p> },
    };
    let what = format!("the {} code", code.label());
    let cb = onnotice.clone();
    let copied = text.clone();
    let copy = Callback::from(move |_: MouseEvent| {
        if dom::copy(&copied) {
            cb.emit(format!("Copied {what} to the clipboard."));
        } else {
            cb.emit("The browser did not allow copying; select the text instead.".into());
        }
    });
    let saved = text.clone();
    let download =
        Callback::from(move |_: MouseEvent| dom::download(code.file_name(), &saved, "text/plain"));
    html! {
        <article class="policy-code" data-code={code.label()}>
            <header>
                <h3>{format!("Every policy of this configuration, as {}", code.label())}</h3>
                <div class="actions">
                    <button type="button" onclick={copy} aria-label={format!("Copy the {} code", code.label())}>{"Copy"}</button>
                    <button type="button" onclick={download} aria-label={format!("Download {}", code.file_name())}>{"Download"}</button>
                </div>
            </header>
            <p class="how">{"One file for all the tabs: the role with its trust and permissions, key policy additions and the destination bucket policy, with the same statements as the JSON."}</p>
            <pre class="policy-json" tabindex="0" aria-label={format!("{} code", code.label())}><code>{text}</code></pre>
        </article>
    }
}

fn file_name(d: &PolicyDocument, n: usize) -> String {
    let suffix = if n > 0 {
        format!("-{}", n + 1)
    } else {
        String::new()
    };
    format!("{}{}.json", d.kind.as_str(), suffix)
}

fn document_view(d: &PolicyDocument, n: usize, onnotice: &Callback<String>) -> Html {
    let text = d.text.clone();
    let cb = onnotice.clone();
    let title = d.title.clone();
    let copy = Callback::from(move |_: MouseEvent| {
        if dom::copy(&text) {
            cb.emit(format!("Copied “{title}” to the clipboard."));
        } else {
            cb.emit("The browser did not allow copying; select the text instead.".into());
        }
    });
    let text = d.text.clone();
    let name = file_name(d, n);
    let download =
        Callback::from(move |_: MouseEvent| dom::download(&name, &text, "application/json"));
    let reasons = d.statements.iter().map(|s| {
        html! { <li><code>{if s.sid.is_empty() { "(no Sid)" } else { s.sid.as_str() }}</code>{" — "}{markdown::inline(&s.reason)}</li> }
    });
    html! {
        <article class="policy-doc" data-kind={d.kind.as_str()}>
            <header>
                <h3>{&d.title}</h3>
                <div class="actions">
                    <button type="button" onclick={copy} aria-label={format!("Copy {}", d.title)}>{"Copy"}</button>
                    <button type="button" onclick={download} aria-label={format!("Download {}", d.title)}>{"Download"}</button>
                </div>
            </header>
            <p class="attach">{"Attach to: "}<code>{&d.attach_to}</code></p>
            <p class="how">{markdown::inline(&d.how_to_apply)}</p>
            <pre class="policy-json" tabindex="0" aria-label={format!("{} JSON", d.title)}><code>{&d.text}</code></pre>
            <details class="reasons" open=true>
                <summary>{"Why each statement is there"}</summary>
                <ul>{ for reasons }</ul>
            </details>
        </article>
    }
}

/// The generated documents of one tab, with the set's placeholders and notes on top.
#[function_component(PolicyPanel)]
pub fn policy_panel(p: &PolicyProps) -> Html {
    let a = &*p.analysis;
    let Some(set) = &a.policies else {
        return html! { <p class="empty">{"Fix the syntax errors to see the policies this configuration needs."}</p> };
    };
    let docs: Vec<&PolicyDocument> = set
        .documents
        .iter()
        .filter(|d| p.tab.kinds().contains(&d.kind))
        .collect();
    let placeholders = (!set.placeholders.is_empty()).then(|| {
        let items = set.placeholders.iter().map(|ph| {
            html! { <li><code>{&ph.token}</code>{": "}{markdown::inline(&ph.what)}{" — "}{markdown::inline(&ph.how_to_fill)}</li> }
        });
        html! {
            <div class="placeholders" role="note">
                <strong>{"Incomplete: these placeholders remain in the policies."}</strong>
                <ul>{ for items }</ul>
            </div>
        }
    });
    let notes = (!set.notes.is_empty()).then(|| {
        let items = set.notes.iter().map(|n| {
            html! {
                <li class={format!("note-{}", n.severity.as_str())}>
                    <span class="sev">{severity_word(n.severity)}</span>{" "}{markdown::inline(&n.message)}
                </li>
            }
        });
        html! { <ul class="policy-notes">{ for items }</ul> }
    });
    let body = if docs.is_empty() {
        html! { <p class="empty">{p.tab.empty_text()}</p> }
    } else {
        docs.iter()
            .enumerate()
            .map(|(i, d)| document_view(d, i, &p.onnotice))
            .collect::<Html>()
    };
    let body = if p.code == Code::Json {
        body
    } else {
        code_view(p.code, &p.emitted, &p.onnotice)
    };
    html! {
        <>
            { code_switch(p.code, &p.oncode) }
            { placeholders.unwrap_or_default() }
            { body }
            { notes.unwrap_or_default() }
        </>
    }
}
