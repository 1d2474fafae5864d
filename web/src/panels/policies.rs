//! The output tabs: one per generated document kind, each with copy, download and the reason
//! for every statement; plus the Audit tab (see `audit.rs`).

use crate::analysis::Analysis;
use crate::editor::severity_word;
use crate::markdown;
use crate::panels::diagnostics::help_text;
use crate::{dom, Shared};
use s3_replication_lint::policy::json::Json;
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
            Tab::Bucket => "No destination bucket policy is needed: every destination is owned by the source account (or its owner is unknown; set it in the deployment context).",
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

/// A Copy button: it says "Copied" itself (text and accessible name) for two seconds; a
/// refusal of the browser goes to the page's notice.
fn copy_button(
    text: String,
    word: &'static str,
    label: String,
    onnotice: &Callback<String>,
) -> Html {
    let cb = onnotice.clone();
    let onclick = Callback::from(move |e: MouseEvent| {
        if !dom::copy(&text) {
            cb.emit("The browser did not allow copying; select the text instead.".into());
        } else if let Some(button) = e.target() {
            dom::flash(&button, word, "Copied", 2_000);
        }
    });
    html! { <button type="button" class="copy" {onclick} aria-label={label}>{word}</button> }
}

/// A document's Copy button and its Download button (`name`, labelled "Download `what`").
fn actions(copy: Html, name: String, text: String, mime: &'static str, what: &str) -> Html {
    let download = Callback::from(move |_: MouseEvent| dom::download(&name, &text, mime));
    html! {
        <div class="actions">
            { copy }
            <button type="button" onclick={download} aria-label={format!("Download {what}")}>{"Download"}</button>
        </div>
    }
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
    html! {
        <article class="policy-code" data-code={code.label()}>
            <header>
                <h3>{format!("Every policy of this configuration, as {}", code.label())}</h3>
                { actions(
                    copy_button(text.clone(), "Copy", format!("Copy the {} code", code.label()), onnotice),
                    code.file_name().to_string(), text.clone(), "text/plain", code.file_name(),
                ) }
            </header>
            <p class="how">{"One file for all the tabs: the role with its trust and permissions, key policy additions and the destination bucket policy, with the same statements as the JSON."}</p>
            <pre class="policy-json" tabindex="0" aria-label={format!("{} code", code.label())}><code>{text}</code></pre>
        </article>
    }
}

/// The download's name: a key policy and a bucket policy are named after their key (ID or
/// alias) or bucket, e.g. `key-policy-0f1e….json`, `bucket-policy-acme-replica.json`.
fn file_name(d: &PolicyDocument, n: usize) -> String {
    // What follows the ARN's last `:` (`key/…`, `alias/…`, the bucket), or a placeholder.
    let at = d
        .attach_to
        .bytes()
        .rposition(|b| b == b':')
        .map_or(0, |i| i + 1);
    let tail = &d.attach_to[at..];
    let (prefix, name) = match d.kind {
        DocumentKind::KmsKeyPolicy => ("key-policy-", tail.strip_prefix("key/").unwrap_or(tail)),
        DocumentKind::DestinationBucketPolicy => ("bucket-policy-", tail),
        _ => ("", ""),
    };
    // Only characters safe in a file name on every system: `/` becomes `-`, `${…}` goes.
    let name: String = name
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '.' | '_' | '-' => Some(c),
            '/' => Some('-'),
            _ => None,
        })
        .take(100)
        .collect();
    let name = name.trim_start_matches('.');
    if !name.is_empty() {
        format!("{prefix}{name}.json")
    } else if n > 0 {
        format!("{}-{}.json", d.kind.as_str(), n + 1)
    } else {
        format!("{}.json", d.kind.as_str())
    }
}

/// What the Copy button of a document copies: a key policy tab says "add this statement to
/// the key's existing key policy", so it copies that statement (statements, comma-separated),
/// not a whole policy that would replace the key's.
fn copy_text(d: &PolicyDocument) -> String {
    match (d.kind, d.policy.get("Statement")) {
        (DocumentKind::KmsKeyPolicy, Some(Json::Arr(stmts))) => stmts
            .iter()
            .map(Json::to_pretty)
            .collect::<Vec<_>>()
            .join(",\n"),
        _ => d.text.clone(),
    }
}

fn document_view(d: &PolicyDocument, n: usize, onnotice: &Callback<String>) -> Html {
    let reasons = d.statements.iter().map(|s| {
        html! { <li><code>{if s.sid.is_empty() { "(no Sid)" } else { s.sid.as_str() }}</code>{" — "}{markdown::inline(&s.reason)}</li> }
    });
    html! {
        <article class="policy-doc" data-kind={d.kind.as_str()}>
            <header>
                <h3>{&d.title}</h3>
                { actions(
                    copy_button(copy_text(d), if d.kind == DocumentKind::KmsKeyPolicy { "Copy statement" } else { "Copy" }, format!("Copy {}", d.title), onnotice),
                    file_name(d, n), d.text.clone(), "application/json", &d.title,
                ) }
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
            html! { <li><code>{&ph.token}</code>{": "}{markdown::inline(&ph.what)}{" — "}{help_text(&ph.how_to_fill)}</li> }
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
                    <span class="sev">{severity_word(n.severity)}</span>{" "}{help_text(&n.message)}
                </li>
            }
        });
        html! { <ul class="policy-notes">{ for items }</ul> }
    });
    let body = if docs.is_empty() {
        html! { <p class="empty">{help_text(p.tab.empty_text())}</p> }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(kind: DocumentKind, attach_to: &str) -> PolicyDocument {
        PolicyDocument {
            kind,
            title: String::new(),
            attach_to: attach_to.into(),
            how_to_apply: String::new(),
            policy: Json::obj(vec![]),
            text: String::new(),
            statements: Vec::new(),
        }
    }

    #[test]
    fn downloads_are_named_after_their_key_or_bucket() {
        let key = |a| file_name(&doc(DocumentKind::KmsKeyPolicy, a), 0);
        assert_eq!(
            key("arn:aws:kms:us-east-1:111122223333:key/0f1e2d3c-4b5a"),
            "key-policy-0f1e2d3c-4b5a.json"
        );
        assert_eq!(
            key("arn:aws:kms:us-east-1:111122223333:alias/backup"),
            "key-policy-alias-backup.json"
        );
        assert_eq!(key("${REPLICA_KMS_KEY}"), "key-policy-REPLICA_KMS_KEY.json");
        assert!(!key("../..").contains('/') && !key("../..").starts_with('.'));
        assert_eq!(key("…"), "kms-key-policy.json");
        let bucket = doc(
            DocumentKind::DestinationBucketPolicy,
            "arn:aws:s3:::acme.replica-1",
        );
        assert_eq!(file_name(&bucket, 0), "bucket-policy-acme.replica-1.json");
        assert_eq!(
            file_name(&doc(DocumentKind::Trust, "arn:aws:iam::1:role/r"), 1),
            "trust-2.json"
        );
    }
}
