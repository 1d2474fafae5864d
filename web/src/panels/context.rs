//! The deployment-context form: what the document cannot say (source bucket, Regions,
//! owners, keys, Bucket Keys, Batch Replication, versioning). One row per destination in the document.

use super::event_value;
use crate::field_check::{self, Problem};
use s3_replication_lint::context::{DestinationContext, ENCRYPTION_VALUES, VERSIONING_VALUES};
use s3_replication_lint::{arn, DeploymentContext};
use yew::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub enum CtxEdit {
    SourceBucket(String),
    SourceRegion(String),
    SourceAccount(String),
    SourceKeys(String),
    SourceBucketKeys(Option<bool>),
    Batch(Option<bool>),
    ObjectLock(Option<bool>),
    SourceVersioning(String),
    DestRegion(String, String),
    DestAccount(String, String),
    DestBucketKeys(String, Option<bool>),
    SourceEncryption(String),
    DestEncryption(String, String),
    DestVersioning(String, String),
    /// Empty every field.
    ClearAll,
    /// Empty the fields that still hold the example's values.
    ClearExample,
}

fn opt(s: String) -> Option<String> {
    Some(s).filter(|s| !s.is_empty())
}

/// Apply one edit; empty fields become "unknown" and empty destination entries disappear.
pub fn apply(ctx: &mut DeploymentContext, keys_raw: &mut String, edit: CtxEdit) {
    use CtxEdit::*;
    match edit {
        SourceBucket(v) => ctx.source_bucket = opt(v),
        SourceRegion(v) => ctx.source_region = opt(v),
        SourceAccount(v) => ctx.source_account = opt(v),
        SourceKeys(v) => {
            ctx.source_kms_keys = v
                .split(['\n', ','])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            *keys_raw = v;
        }
        SourceBucketKeys(v) => ctx.source_bucket_keys = v,
        SourceEncryption(v) => ctx.source_default_encryption = opt(v),
        Batch(v) => ctx.batch_replication = v,
        ObjectLock(v) => ctx.object_lock = v,
        SourceVersioning(v) => ctx.source_versioning = opt(v),
        DestRegion(b, v) => edit_dest(ctx, &b, |d| d.region = opt(v)),
        DestAccount(b, v) => edit_dest(ctx, &b, |d| d.account = opt(v)),
        DestEncryption(b, v) => edit_dest(ctx, &b, |d| d.default_encryption = opt(v)),
        DestVersioning(b, v) => edit_dest(ctx, &b, |d| d.versioning = opt(v)),
        DestBucketKeys(b, v) => edit_dest(ctx, &b, |d| d.bucket_keys = v),
        ClearAll => {
            *ctx = DeploymentContext::default();
            keys_raw.clear();
        }
        // The app knows the example (see `example_fields`).
        ClearExample => {}
    }
}

/// The fields of `ctx` that still hold `example`'s values (labels), emptied when `clear`:
/// an example's facts must not speak for a document they were not written for.
pub fn example_fields(
    ctx: &mut DeploymentContext,
    example: &DeploymentContext,
    clear: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    macro_rules! same {
        ($($field:ident: $label:expr),*) => {$(
            if ctx.$field.is_some() && ctx.$field == example.$field {
                out.push($label.to_string());
                if clear {
                    ctx.$field = None;
                }
            }
        )*};
    }
    same!(partition: "partition", source_bucket: "source bucket", source_region: "source Region",
        source_account: "source account", source_bucket_keys: "source Bucket Keys",
        batch_replication: "Batch Replication", object_lock: "Object Lock",
        source_versioning: "source versioning",
        source_default_encryption: "source default encryption");
    if !ctx.source_kms_keys.is_empty() && ctx.source_kms_keys == example.source_kms_keys {
        out.push("source KMS keys".to_string());
        if clear {
            ctx.source_kms_keys.clear();
        }
    }
    for (bucket, d) in ctx.destinations.iter_mut() {
        let Some(e) = example.destinations.get(bucket) else {
            continue;
        };
        let name = arn::bucket_name(bucket);
        macro_rules! dest {
            ($($field:ident: $label:expr),*) => {$(
                if d.$field.is_some() && d.$field == e.$field {
                    out.push(format!("{} of {name}", $label));
                    if clear {
                        d.$field = None;
                    }
                }
            )*};
        }
        dest!(region: "Region", account: "account", bucket_keys: "Bucket Keys",
            default_encryption: "default encryption", versioning: "versioning");
    }
    ctx.destinations
        .retain(|_, d| *d != DestinationContext::default());
    out
}

/// Edit the entry of `bucket` (found under its name or its ARN); an entry left empty goes.
fn edit_dest(
    ctx: &mut DeploymentContext,
    bucket: &str,
    edit: impl FnOnce(&mut DestinationContext),
) {
    let key = ctx
        .destinations
        .keys()
        .find(|k| arn::bucket_name(k) == bucket)
        .cloned()
        .unwrap_or_else(|| bucket.to_string());
    let entry = ctx.destinations.entry(key.clone()).or_default();
    edit(entry);
    if *entry == DestinationContext::default() {
        ctx.destinations.remove(&key);
    }
}

fn tri_value(v: Option<bool>) -> &'static str {
    match v {
        None => "",
        Some(true) => "yes",
        Some(false) => "no",
    }
}

fn parse_tri(s: &str) -> Option<bool> {
    match s {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub context: crate::Shared<DeploymentContext>,
    /// The source KMS keys as typed (one per line).
    pub keys_raw: AttrValue,
    /// Destination bucket names found in the document.
    pub destinations: Vec<String>,
    /// The example the context was filled from, and the fields that still hold its values.
    pub example: Option<AttrValue>,
    pub example_fields: Vec<String>,
    pub onedit: Callback<CtxEdit>,
}

/// The message beside a field whose value the checks cannot use (or should doubt).
fn problem_note(id: &str, problem: &Option<Problem>) -> Html {
    match problem {
        Some(p) => html! {
            <p class={classes!("field-problem", if p.error { "error" } else { "warning" })}
                id={format!("{id}-problem")}>{ p.message.clone() }</p>
        },
        None => Html::default(),
    }
}

fn described_by(id: &str, problem: &Option<Problem>) -> Option<String> {
    problem.as_ref().map(|_| format!("{id}-problem"))
}

/// An edit of destination `bucket`'s entry, from the value of one of its fields.
fn dest_edit<T: 'static>(
    on: &Callback<CtxEdit>,
    bucket: &str,
    make: fn(String, T) -> CtxEdit,
) -> Callback<T> {
    let bucket = bucket.to_string();
    on.reform(move |v| make(bucket.clone(), v))
}

struct TextField<'a> {
    id: &'a str,
    label: &'a str,
    /// Names the field for assistive technology when `label` alone is ambiguous.
    aria_label: Option<String>,
    value: Option<&'a str>,
    placeholder: &'a str,
    check: fn(&str) -> Option<Problem>,
}

fn text_field(f: TextField<'_>, onedit: Callback<String>) -> Html {
    let oninput = Callback::from(move |e: InputEvent| onedit.emit(event_value(&e)));
    let value = f.value.unwrap_or_default();
    let problem = (f.check)(value);
    html! {
        <div class="field">
            <label for={f.id.to_string()}>{f.label}</label>
            <input id={f.id.to_string()} type="text" spellcheck="false" autocomplete="off"
                aria-label={f.aria_label}
                aria-invalid={problem.as_ref().is_some_and(|p| p.error).then_some("true")}
                aria-describedby={described_by(f.id, &problem)}
                value={value.to_string()} placeholder={f.placeholder.to_string()} {oninput} />
            { problem_note(f.id, &problem) }
        </div>
    }
}

fn tri_field(id: &str, label: &str, value: Option<bool>, onchange: Callback<Option<bool>>) -> Html {
    let onchange = Callback::from(move |e: Event| onchange.emit(parse_tri(&event_value(&e))));
    let current = tri_value(value);
    html! {
        <div class="field">
            <label for={id.to_string()}>{label}</label>
            <select id={id.to_string()} {onchange}>
                <option value="" selected={current.is_empty()}>{"Unknown"}</option>
                <option value="yes" selected={current == "yes"}>{"Yes"}</option>
                <option value="no" selected={current == "no"}>{"No"}</option>
            </select>
        </div>
    }
}

/// A drop-down whose first option, "Unknown", is the empty value.
fn select_field(
    id: &str,
    label: &str,
    current: Option<&str>,
    values: &[&'static str],
    onchange: Callback<String>,
) -> Html {
    let current = current.unwrap_or_default();
    let onchange = Callback::from(move |e: Event| onchange.emit(event_value(&e)));
    let options = std::iter::once(("", "Unknown"))
        .chain(values.iter().map(|&v| (v, v)))
        .map(|(v, l)| html! { <option value={v} selected={current == v}>{l}</option> });
    html! {
        <div class="field">
            <label for={id.to_string()}>{label}</label>
            <select id={id.to_string()} {onchange}>{ for options }</select>
        </div>
    }
}

#[function_component(ContextPanel)]
pub fn context_panel(p: &Props) -> Html {
    let ctx = &*p.context;
    let on = &p.onedit;
    let keys = {
        let cb = on.clone();
        let oninput =
            Callback::from(move |e: InputEvent| cb.emit(CtxEdit::SourceKeys(event_value(&e))));
        let problem = field_check::source_keys(&p.keys_raw, ctx.source_region.as_deref());
        html! {
            <div class="field wide">
                <label for="ctx-source-keys">{"Source KMS key ARNs (one per line)"}</label>
                <textarea id="ctx-source-keys" rows="2" spellcheck="false" wrap="off"
                    value={p.keys_raw.clone()}
                    aria-invalid={problem.as_ref().is_some_and(|p| p.error).then_some("true")}
                    aria-describedby={described_by("ctx-source-keys", &problem)}
                    placeholder="arn:aws:kms:us-east-1:111122223333:key/…" {oninput} />
                { problem_note("ctx-source-keys", &problem) }
            </div>
        }
    };
    let sbk = tri_field(
        "ctx-source-bucket-keys",
        "Source uses S3 Bucket Keys",
        ctx.source_bucket_keys,
        on.reform(CtxEdit::SourceBucketKeys),
    );
    let batch = tri_field(
        "ctx-batch",
        "Batch Replication planned",
        ctx.batch_replication,
        on.reform(CtxEdit::Batch),
    );
    let lock = tri_field(
        "ctx-object-lock",
        "Source has Object Lock",
        ctx.object_lock,
        on.reform(CtxEdit::ObjectLock),
    );
    let source_versioning = select_field(
        "ctx-source-versioning",
        "Source versioning",
        ctx.source_versioning.as_deref(),
        VERSIONING_VALUES,
        on.reform(CtxEdit::SourceVersioning),
    );
    let source_encryption = select_field(
        "ctx-source-encryption",
        "Source default encryption",
        ctx.source_default_encryption.as_deref(),
        ENCRYPTION_VALUES,
        on.reform(CtxEdit::SourceEncryption),
    );
    let rows = p.destinations.iter().enumerate().map(|(i, bucket)| {
        let d = ctx
            .destinations
            .iter()
            .find(|(k, _)| arn::bucket_name(k) == bucket.as_str())
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let field = |suffix: &str, label: &str, value: Option<&str>, placeholder: &str, check: fn(&str) -> Option<Problem>, make: fn(String, String) -> CtxEdit| {
            let id = format!("ctx-dest-{i}-{suffix}");
            text_field(
                TextField { id: &id, label, aria_label: Some(format!("{label} of {bucket}")), value, placeholder, check },
                dest_edit(on, bucket, make),
            )
        };
        let bk = tri_field(
            &format!("ctx-dest-{i}-bucket-keys"),
            "Bucket Keys",
            d.bucket_keys,
            dest_edit(on, bucket, CtxEdit::DestBucketKeys),
        );
        let encryption = select_field(
            &format!("ctx-dest-{i}-encryption"),
            "Default encryption",
            d.default_encryption.as_deref(),
            ENCRYPTION_VALUES,
            dest_edit(on, bucket, CtxEdit::DestEncryption),
        );
        let versioning = select_field(
            &format!("ctx-dest-{i}-versioning"),
            "Versioning",
            d.versioning.as_deref(),
            VERSIONING_VALUES,
            dest_edit(on, bucket, CtxEdit::DestVersioning),
        );
        html! {
            <fieldset class="dest-row" key={bucket.clone()}>
                <legend>{"Destination "}<code>{bucket}</code></legend>
                { field("region", "Region", d.region.as_deref(), "e.g. us-west-2", field_check::region, CtxEdit::DestRegion) }
                { field("account", "Account", d.account.as_deref(), "12-digit owner account", field_check::account, CtxEdit::DestAccount) }
                { bk }
                { encryption }
                { versioning }
            </fieldset>
        }
    });
    let is_empty = *ctx == DeploymentContext::default();
    let origin = html! {
        <div class="ctx-origin">
            if let (Some(title), false) = (&p.example, p.example_fields.is_empty()) {
                <p class="ctx-from-example" role="note">
                    <strong>{ format!("From the example “{title}”: ") }</strong>
                    { p.example_fields.join(", ") }
                    {". These describe the example, not your document."}
                </p>
                <button type="button" onclick={on.reform(|_| CtxEdit::ClearExample)}>{"Clear the example's values"}</button>
            }
            <button type="button" disabled={is_empty} onclick={on.reform(|_| CtxEdit::ClearAll)}>{"Clear all"}</button>
        </div>
    };
    html! {
        <section class="panel context" aria-labelledby="context-heading">
            <h2 id="context-heading">{"Deployment context"}</h2>
            <p class="hint">{"Facts the document does not carry. Leave a field empty when unknown: \
                checks that need it are skipped and the policies keep a placeholder."}</p>
            { origin }
            <fieldset class="source-row">
                <legend>{"Source"}</legend>
                { text_field(TextField { id: "ctx-source-bucket", label: "Source bucket", aria_label: None, value: ctx.source_bucket.as_deref(), placeholder: "bucket name", check: field_check::bucket }, on.reform(CtxEdit::SourceBucket)) }
                { text_field(TextField { id: "ctx-source-region", label: "Source Region", aria_label: None, value: ctx.source_region.as_deref(), placeholder: "e.g. us-east-1", check: field_check::region }, on.reform(CtxEdit::SourceRegion)) }
                { text_field(TextField { id: "ctx-source-account", label: "Source account", aria_label: None, value: ctx.source_account.as_deref(), placeholder: "inferred from the Role ARN", check: field_check::account }, on.reform(CtxEdit::SourceAccount)) }
                { keys }
                { source_encryption }
                { sbk }
                { batch }
                { lock }
                { source_versioning }
            </fieldset>
            { for rows }
            { if p.destinations.is_empty() {
                html! { <p class="hint">{"Destination rows appear here for every bucket the document replicates to."}</p> }
            } else { Html::default() } }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_update_and_prune() {
        let mut ctx = DeploymentContext::default();
        let mut raw = String::new();
        apply(
            &mut ctx,
            &mut raw,
            CtxEdit::SourceKeys("a\n\n b ,c\n".into()),
        );
        assert_eq!(ctx.source_kms_keys, vec!["a", "b", "c"]);
        assert_eq!(raw, "a\n\n b ,c\n");
        apply(
            &mut ctx,
            &mut raw,
            CtxEdit::DestRegion("dst".into(), "us-west-2".into()),
        );
        assert_eq!(ctx.destinations["dst"].region.as_deref(), Some("us-west-2"));
        apply(
            &mut ctx,
            &mut raw,
            CtxEdit::DestRegion("dst".into(), String::new()),
        );
        assert!(ctx.destinations.is_empty());
        ctx.destinations
            .insert("arn:aws:s3:::dst".into(), Default::default());
        apply(
            &mut ctx,
            &mut raw,
            CtxEdit::DestAccount("dst".into(), "444455556666".into()),
        );
        assert_eq!(ctx.destinations.len(), 1);
        assert!(ctx.destinations.contains_key("arn:aws:s3:::dst"));
        apply(&mut ctx, &mut raw, CtxEdit::SourceRegion(String::new()));
        assert_eq!(ctx.source_region, None);
        apply(
            &mut ctx,
            &mut raw,
            CtxEdit::DestVersioning("dst".into(), "Suspended".into()),
        );
        assert_eq!(
            ctx.destinations["arn:aws:s3:::dst"].versioning.as_deref(),
            Some("Suspended")
        );
        apply(
            &mut ctx,
            &mut raw,
            CtxEdit::SourceVersioning("Enabled".into()),
        );
        assert_eq!(ctx.source_versioning.as_deref(), Some("Enabled"));
    }
}
