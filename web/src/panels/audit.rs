//! The Audit tab: paste the policies you already have and see what the configuration still
//! needs (or what is broader than needed). Runs `policy::audit` on every change.

use super::event_value;
use crate::editor::severity_word;
use crate::markdown;
use crate::Shared;
use s3_replication_lint::Diagnostic;
use yew::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuditField {
    Role,
    Trust,
    /// The key policy of the key with this ARN ("" when the configuration names no key).
    Key(String),
    Bucket,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuditTexts {
    pub role: String,
    pub trust: String,
    /// (key ARN, its key policy as pasted): one box per key the configuration uses.
    pub keys: Vec<(String, String)>,
    pub bucket: String,
}

impl AuditTexts {
    pub fn set(&mut self, field: AuditField, value: String) {
        match field {
            AuditField::Role => self.role = value,
            AuditField::Trust => self.trust = value,
            AuditField::Key(arn) => match self.keys.iter_mut().find(|(k, _)| *k == arn) {
                Some((_, text)) => *text = value,
                None => self.keys.push((arn, value)),
            },
            AuditField::Bucket => self.bucket = value,
        }
    }

    /// The key policy pasted for `arn`.
    pub fn key(&self, arn: &str) -> &str {
        self.keys
            .iter()
            .find(|(k, _)| k == arn)
            .map_or("", |(_, t)| t.as_str())
    }

    pub fn is_empty(&self) -> bool {
        [&self.role, &self.trust, &self.bucket]
            .into_iter()
            .chain(self.keys.iter().map(|(_, t)| t))
            .all(|s| s.trim().is_empty())
    }
}

/// A KMS key the configuration uses: its ARN (or placeholder) and what it is, e.g. "replica
/// key of `photos-dr`" (from the generated key policies).
#[derive(Clone, Debug, PartialEq)]
pub struct AuditKey {
    pub arn: String,
    pub title: String,
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub texts: Shared<AuditTexts>,
    /// `None` until something was pasted (or when the document cannot be read).
    pub results: Option<Shared<Vec<Diagnostic>>>,
    /// One key-policy box per key; none known: one box for any key.
    pub keys: Vec<AuditKey>,
    pub onedit: Callback<(AuditField, String)>,
}

#[function_component(AuditPanel)]
pub fn audit_panel(p: &Props) -> Html {
    let field = |f: AuditField, id: &str, label: &str, value: &str| {
        let cb = p.onedit.clone();
        let oninput = Callback::from(move |e: InputEvent| cb.emit((f.clone(), event_value(&e))));
        html! {
            <div class="field wide">
                <label for={id.to_string()}>{label}</label>
                <textarea id={id.to_string()} rows="6" spellcheck="false" wrap="off"
                    value={value.to_string()} placeholder="{ \"Version\": \"2012-10-17\", \"Statement\": [ … ] }" {oninput} />
            </div>
        }
    };
    let t = &*p.texts;
    let results = match &p.results {
        None => {
            html! { <p class="empty">{"Paste one or more existing policies (JSON) to compare them with what this configuration needs."}</p> }
        }
        Some(r) if r.is_empty() => {
            html! { <p class="ok" role="status">{"No findings: the pasted policies grant what this configuration needs."}</p> }
        }
        Some(r) => {
            let items = r.iter().map(|d| {
                html! {
                    <li class={classes!("diag", format!("diag-{}", d.severity.as_str()))} data-code={d.code}>
                        <span class="sev">{severity_word(d.severity)}</span>
                        <a class="code" href={format!("#rule/{}", d.code)}>{d.code}</a>
                        <span class="pos">{format!("{} (line {}:{})", d.path, d.range.start.line, d.range.start.column)}</span>
                        <span class="msg">{markdown::inline(&d.message)}</span>
                        { d.help.as_ref().map(|h| html! { <p class="help">{crate::panels::diagnostics::help_text(h)}</p> }).unwrap_or_default() }
                    </li>
                }
            });
            html! { <ul class="diag-list" aria-label="Audit findings">{ for items }</ul> }
        }
    };
    html! {
        <div class="audit">
            <div class="audit-inputs">
                { field(AuditField::Role, "audit-role", "Existing role permissions policy", &t.role) }
                { field(AuditField::Trust, "audit-trust", "Existing trust policy", &t.trust) }
                if p.keys.is_empty() {
                    { field(AuditField::Key(String::new()), "audit-key", "Existing KMS key policy", t.key("")) }
                }
                { for p.keys.iter().enumerate().map(|(i, k)| field(
                    AuditField::Key(k.arn.clone()),
                    &format!("audit-key-{i}"),
                    &format!("Existing key policy of the {}: {}", k.title, k.arn),
                    t.key(&k.arn),
                )) }
                { field(AuditField::Bucket, "audit-bucket", "Existing destination bucket policy", &t.bucket) }
            </div>
            { results }
        </div>
    }
}
