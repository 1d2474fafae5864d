//! The deployment-context form: what the document cannot say (source bucket, Regions,
//! owners, keys, Bucket Keys, Batch Replication, versioning). One row per destination in the document.

use super::event_value;
use s3_replication_lint::context::{DestinationContext, VERSIONING_VALUES};
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
    DestEncryption(String, String),
    DestVersioning(String, String),
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
        Batch(v) => ctx.batch_replication = v,
        ObjectLock(v) => ctx.object_lock = v,
        SourceVersioning(v) => ctx.source_versioning = opt(v),
        DestRegion(b, v) => edit_dest(ctx, &b, |d| d.region = opt(v)),
        DestAccount(b, v) => edit_dest(ctx, &b, |d| d.account = opt(v)),
        DestEncryption(b, v) => edit_dest(ctx, &b, |d| d.default_encryption = opt(v)),
        DestVersioning(b, v) => edit_dest(ctx, &b, |d| d.versioning = opt(v)),
        DestBucketKeys(b, v) => edit_dest(ctx, &b, |d| d.bucket_keys = v),
    }
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
    pub onedit: Callback<CtxEdit>,
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

fn text_field(
    id: &str,
    label: &str,
    value: Option<&str>,
    placeholder: &str,
    onedit: &Callback<CtxEdit>,
    make: fn(String) -> CtxEdit,
) -> Html {
    let onedit = onedit.reform(make);
    let oninput = Callback::from(move |e: InputEvent| onedit.emit(event_value(&e)));
    html! {
        <div class="field">
            <label for={id.to_string()}>{label}</label>
            <input id={id.to_string()} type="text" spellcheck="false" autocomplete="off"
                value={value.unwrap_or_default().to_string()} placeholder={placeholder.to_string()} {oninput} />
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
        html! {
            <div class="field wide">
                <label for="ctx-source-keys">{"Source KMS key ARNs (one per line)"}</label>
                <textarea id="ctx-source-keys" rows="2" spellcheck="false" wrap="off"
                    value={p.keys_raw.clone()}
                    placeholder="arn:aws:kms:us-east-1:111122223333:key/…" {oninput} />
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
    let rows = p.destinations.iter().enumerate().map(|(i, bucket)| {
        let d = ctx
            .destinations
            .iter()
            .find(|(k, _)| arn::bucket_name(k) == bucket.as_str())
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let field = |suffix: &str, label: &str, value: Option<String>, placeholder: &str, make: fn(String, String) -> CtxEdit| {
            let id = format!("ctx-dest-{i}-{suffix}");
            let edit = dest_edit(on, bucket, make);
            let oninput = Callback::from(move |e: InputEvent| edit.emit(event_value(&e)));
            html! {
                <div class="field">
                    <label for={id.clone()}>{label}</label>
                    <input id={id} type="text" spellcheck="false" autocomplete="off"
                        aria-label={format!("{label} of {bucket}")}
                        value={value.unwrap_or_default()} placeholder={placeholder.to_string()} {oninput} />
                </div>
            }
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
            &["SSE-S3", "SSE-KMS", "DSSE-KMS"],
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
                { field("region", "Region", d.region.clone(), "e.g. us-west-2", CtxEdit::DestRegion) }
                { field("account", "Account", d.account.clone(), "12-digit owner account", CtxEdit::DestAccount) }
                { bk }
                { encryption }
                { versioning }
            </fieldset>
        }
    });
    html! {
        <section class="panel context" aria-labelledby="context-heading">
            <h2 id="context-heading">{"Deployment context"}</h2>
            <p class="hint">{"Facts the document does not carry. Leave a field empty when unknown: \
                checks that need it are skipped and the policies keep a placeholder."}</p>
            <fieldset class="source-row">
                <legend>{"Source"}</legend>
                { text_field("ctx-source-bucket", "Source bucket", ctx.source_bucket.as_deref(), "bucket name", on, CtxEdit::SourceBucket) }
                { text_field("ctx-source-region", "Source Region", ctx.source_region.as_deref(), "e.g. us-east-1", on, CtxEdit::SourceRegion) }
                { text_field("ctx-source-account", "Source account", ctx.source_account.as_deref(), "inferred from the Role ARN", on, CtxEdit::SourceAccount) }
                { keys }
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
