//! KMS checks about the deployment: request rate, S3 Bucket Keys, destination default
//! encryption, source keys, and `UseSourceMultiRegionKey` (S3R408-S3R413).

use super::{encryption, kms_rules, source_mrk, sse_kms_objects, use_source_mrk};
use crate::arn::KmsKeyRef;
use crate::model::Rule;
use crate::rules::support::facts::first_rule_per_bucket;
use crate::rules::support::labels::rule_label;
use crate::rules::{CheckContext, RulePath};

declare_rule! {
    pub static REQUEST_RATE {
        code: "S3R408",
        name: "kms-request-rate",
        severity: Warning,
        confidence: Documented,
        s3_error: "503 Slow Down (KMS throttling during replication)",
        summary: "Replicating SSE-KMS objects multiplies KMS requests and can hit KMS quotas",
        check: check_request_rate,
        docs: r#"## What it does
Reported once per document when an enabled rule replicates SSE-KMS objects, unless the
deployment context says both the source and every such destination use S3 Bucket Keys.

## Why it matters
Each replicated SSE-KMS object needs a decrypt in the source Region and an encrypt in the
destination Region, so KMS requests in the source Region roughly double. When the PUT rate
exceeds about half the KMS request quota, replication is throttled (HTTP 503).

## Example
```xml
<SourceSelectionCriteria><SseKmsEncryptedObjects><Status>Enabled</Status></SseKmsEncryptedObjects></SourceSelectionCriteria>
```

## Fix
Enable S3 Bucket Keys on the source and destination buckets, or ask for a KMS quota increase.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
- https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html
"#,
    }
}

declare_rule! {
    pub static BUCKET_KEYS {
        code: "S3R409",
        name: "bucket-keys-encryption-context",
        severity: Warning,
        confidence: Documented,
        summary: "With S3 Bucket Keys the KMS encryption context is the bucket ARN, not the object ARN",
        check: check_bucket_keys,
        docs: r#"## What it does
When SSE-KMS objects are replicated and the deployment context says the source
(`sourceBucketKeys`) or a destination (`destinations.<bucket>.bucketKeys`) uses S3 Bucket
Keys, reminds that the KMS encryption context changes. Without those fields it says once that
this was not verified.

## Why it matters
Policies that restrict `kms:Decrypt`/`kms:Encrypt` with
`kms:EncryptionContext:aws:s3:arn` = `arn:aws:s3:::bucket/prefix*` stop matching when Bucket
Keys are on: the context is then `arn:aws:s3:::bucket`, and replication fails with access
denied on the key.

## Example
<!-- context: {"sourceBucketKeys": true, "destinations": {"acme-replica": {"bucketKeys": true}}} -->
```xml
<SourceSelectionCriteria><SseKmsEncryptedObjects><Status>Enabled</Status></SseKmsEncryptedObjects></SourceSelectionCriteria>
<Destination>
  <Bucket>arn:aws:s3:::acme-replica</Bucket>
  <EncryptionConfiguration><ReplicaKmsKeyID>arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab</ReplicaKmsKeyID></EncryptionConfiguration>
</Destination>
```

## Fix
Use the bucket ARN in the encryption-context condition for buckets with Bucket Keys.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
"#,
    }
}

declare_rule! {
    pub static DESTINATION_DEFAULT_KMS {
        code: "S3R410",
        name: "destination-default-kms",
        severity: Info,
        confidence: Documented,
        summary: "The destination encrypts replicas of unencrypted source objects with its default KMS key",
        check: check_destination_default,
        docs: r#"## What it does
When the context says a destination's default encryption is `SSE-KMS` or `DSSE-KMS`, notes
what that means for replicas of objects stored unencrypted at the source (possible for objects
written before S3 began encrypting every upload in January 2023).

## Why it matters
Those replicas are encrypted with the destination's default key, so their ETags differ from
the source objects', and the replication role needs `kms:GenerateDataKey` and `kms:Encrypt`
on that key. Objects encrypted at the source (SSE-S3, SSE-KMS, DSSE-KMS) keep their own
encryption type on the replica: AWS documents that the destination's default encryption is
then not used. S3 Bucket Keys do not apply to DSSE-KMS.

## Example
<!-- context: {"destinations": {"acme-replica": {"defaultEncryption": "SSE-KMS"}}} -->
```xml
<Destination><Bucket>arn:aws:s3:::acme-replica</Bucket></Destination>
```

## Fix
Grant the role the KMS permissions on the destination's default key.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
"#,
    }
}

declare_rule! {
    pub static SOURCE_KMS_NOT_SELECTED {
        code: "S3R411",
        name: "source-kms-objects-not-selected",
        severity: Warning,
        confidence: Documented,
        summary: "The source has SSE-KMS objects but no rule opts them into replication",
        check: check_source_not_selected,
        docs: r#"## What it does
When the deployment context lists `sourceKmsKeys`, or sets `sourceDefaultEncryption` to
`SSE-KMS` or `DSSE-KMS` (a template or module that encrypts the source bucket with a key it
creates), checks that some enabled rule sets `SourceSelectionCriteria/SseKmsEncryptedObjects`
to `Enabled`. A rule with an `EncryptionConfiguration` and no such selection gets S3R401
instead (S3 refuses it), so this one stays quiet then.

## Why it matters
SSE-KMS and DSSE-KMS objects are replicated only by rules that opt in; the others skip them
silently.

## Example
<!-- context: {"sourceKmsKeys": ["arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"]} -->
```xml
<Destination><Bucket>arn:aws:s3:::acme-replica</Bucket></Destination>
```

## Fix
Add `SseKmsEncryptedObjects` (Enabled) and a `ReplicaKmsKeyID` to the rules that should copy
KMS-encrypted objects.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
"#,
    }
}

declare_rule! {
    pub static MRK_WITH_KEY {
        code: "S3R412",
        name: "source-mrk-with-replica-key",
        severity: Warning,
        confidence: Inferred,
        summary: "UseSourceMultiRegionKey together with ReplicaKmsKeyID is undocumented",
        check: check_mrk_with_key,
        docs: r#"## What it does
Warns when `EncryptionConfiguration` enables `UseSourceMultiRegionKey` and also names a
`ReplicaKmsKeyID`.

## Why it matters
`UseSourceMultiRegionKey` (added in November 2026) makes S3 use the destination-Region replica
of the source's multi-Region key. Which key wins when a replica key is also given is not
documented.

## Example
```xml
<EncryptionConfiguration>
  <ReplicaKmsKeyID>arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab</ReplicaKmsKeyID>
  <UseSourceMultiRegionKey><Status>Enabled</Status></UseSourceMultiRegionKey>
</EncryptionConfiguration>
```

## Fix
Keep one of the two.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_EncryptionConfiguration.html
"#,
    }
}

declare_rule! {
    pub static MRK_SOURCE_KEYS {
        code: "S3R413",
        name: "source-mrk-needs-multi-region-keys",
        severity: Warning,
        confidence: Inferred,
        summary: "UseSourceMultiRegionKey needs source objects under multi-Region keys",
        check: check_mrk_source_keys,
        docs: r#"## What it does
With `UseSourceMultiRegionKey` enabled, checks the context's `sourceKmsKeys`: each should be a
multi-Region key (`mrk-...`). Without that field it says once that this was not verified.

## Why it matters
Only a multi-Region key has a related key in the destination Region; objects encrypted with a
single-Region key presumably cannot be replicated this way, and each multi-Region key needs a
replica in the destination Region.

## Example
<!-- context: {"sourceKmsKeys": ["arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"]} -->
```xml
<SourceSelectionCriteria><SseKmsEncryptedObjects><Status>Enabled</Status></SseKmsEncryptedObjects></SourceSelectionCriteria>
<Destination>
  <Bucket>arn:aws:s3:::acme-replica</Bucket>
  <EncryptionConfiguration><UseSourceMultiRegionKey><Status>Enabled</Status></UseSourceMultiRegionKey></EncryptionConfiguration>
</Destination>
```

## Fix
Encrypt source objects with a multi-Region key replicated to the destination Region, or name a
`ReplicaKmsKeyID` instead.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_EncryptionConfiguration.html
- https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html
"#,
    }
}

fn sse_span(rule: &Rule) -> crate::source::Span {
    sse_kms_objects(rule).map_or(rule.meta.name_span, |s| s.meta.name_span)
}

fn sse_path(i: usize) -> RulePath {
    RulePath::new(i, "/SourceSelectionCriteria/SseKmsEncryptedObjects")
}

fn check_request_rate(cx: &mut CheckContext) {
    let doc = cx.doc;
    let mut rules = kms_rules(doc).peekable();
    let Some(&(i, first)) = rules.peek() else {
        return;
    };
    let all_bucket_keys = cx.ctx.raw.source_bucket_keys == Some(true)
        && rules.all(|(i, _)| cx.destination(i).and_then(|d| d.bucket_keys) == Some(true));
    if all_bucket_keys {
        return;
    }
    let d = cx.report(
        &REQUEST_RATE,
        sse_span(first),
        sse_path(i),
        "Replicating SSE-KMS objects roughly doubles KMS requests in the source Region and adds as many in the destination Region; heavy PUT traffic can be throttled (HTTP 503)",
    );
    d.help = Some(
        "Enable S3 Bucket Keys on source and destination, or request a higher KMS quota.".into(),
    );
}

fn check_bucket_keys(cx: &mut CheckContext) {
    let doc = cx.doc;
    let mut source_done = false;
    let mut seen: Vec<&str> = Vec::new();
    for (i, rule) in kms_rules(doc) {
        let span = sse_span(rule);
        if !source_done {
            source_done = true;
            match cx.ctx.raw.source_bucket_keys {
                Some(true) => {
                    let d = cx.report(
                        &BUCKET_KEYS,
                        span,
                        sse_path(i),
                        "The source bucket uses S3 Bucket Keys (from the deployment context): the KMS encryption context for source objects is the bucket ARN, not the object ARN",
                    );
                    d.help = Some("kms:Decrypt conditions on kms:EncryptionContext:aws:s3:arn must name the source bucket ARN.".into());
                }
                Some(false) => {}
                None => cx.unverified(
                    &BUCKET_KEYS,
                    "sourceBucketKeys",
                    "which KMS encryption context the source objects use (S3 Bucket Keys)",
                    span,
                    sse_path(i),
                ),
            }
        }
        let Some(name) = cx.bucket(i) else {
            continue;
        };
        if seen.contains(&name) {
            continue;
        }
        seen.push(name);
        let path = RulePath::new(i, "/Destination/Bucket");
        let bspan = rule
            .destination
            .as_ref()
            .and_then(|d| d.bucket.as_ref())
            .map_or(span, |b| b.span());
        match cx.destination(i).and_then(|d| d.bucket_keys) {
            Some(true) => {
                let d = cx.report(
                    &BUCKET_KEYS,
                    bspan,
                    path,
                    format!("`{name}` uses S3 Bucket Keys (from the deployment context): the KMS encryption context for replicas is the bucket ARN, not the object ARN"),
                );
                d.help = Some("kms:Encrypt conditions on kms:EncryptionContext:aws:s3:arn must name the destination bucket ARN.".into());
            }
            Some(false) => {}
            None => cx.unverified_destination(
                &BUCKET_KEYS,
                name,
                "bucketKeys",
                "which KMS encryption context the replicas use (S3 Bucket Keys)",
                bspan,
                path,
            ),
        }
    }
}

fn check_destination_default(cx: &mut CheckContext) {
    if cx.ctx.raw.destinations.is_empty() {
        return;
    }
    for (i, b, name) in first_rule_per_bucket(cx, Rule::is_enabled) {
        let Some(dc) = cx.destination(i) else {
            continue;
        };
        let Some(enc) = dc.default_encryption.as_deref() else {
            continue;
        };
        if !matches!(enc, "SSE-KMS" | "DSSE-KMS") {
            continue;
        }
        let mut msg = format!(
            "`{name}` encrypts new objects with {enc} by default (from the deployment context): replicas of source objects stored unencrypted get its default key and a different ETag (SSE-S3 and KMS-encrypted objects keep their own encryption)"
        );
        if enc == "DSSE-KMS" && dc.bucket_keys == Some(true) {
            msg.push_str("; S3 Bucket Keys do not apply to DSSE-KMS");
        }
        let d = cx.report(
            &DESTINATION_DEFAULT_KMS,
            b.span(),
            RulePath::new(i, "/Destination/Bucket"),
            msg,
        );
        d.help = Some("The replication role needs kms:GenerateDataKey and kms:Encrypt on the destination's default key.".into());
    }
}

fn check_source_not_selected(cx: &mut CheckContext) {
    let doc = cx.doc;
    let keys = cx.ctx.raw.source_kms_keys.len();
    let default = cx
        .ctx
        .raw
        .source_default_encryption
        .as_deref()
        .filter(|e| matches!(*e, "SSE-KMS" | "DSSE-KMS"));
    // A rule with an EncryptionConfiguration but no selection already gets S3R401 (an error
    // S3 raises) for the same omission.
    let s3r401 = doc.rules.iter().any(|r| {
        r.is_enabled()
            && r.destination
                .as_ref()
                .is_some_and(|d| d.encryption_configuration.is_some())
    });
    if (keys == 0 && default.is_none()) || s3r401 || kms_rules(doc).next().is_some() {
        return;
    }
    let what = match default {
        Some(e) => format!("encrypts new objects with {e} by default"),
        None => format!("has SSE-KMS objects ({keys} key(s) in the deployment context)"),
    };
    let Some((i, rule)) = doc.rules.iter().enumerate().find(|(_, r)| r.is_enabled()) else {
        return;
    };
    let d = cx.report(
        &SOURCE_KMS_NOT_SELECTED,
        rule.meta.name_span,
        Rule::path(i),
        format!(
            "The source bucket {what}, but no enabled rule sets SseKmsEncryptedObjects to Enabled; those objects are silently not replicated"
        ),
    );
    d.help = Some(format!(
        "Add SourceSelectionCriteria/SseKmsEncryptedObjects (Enabled) and a ReplicaKmsKeyID to {} and any other rule that should copy them.",
        rule_label(rule, i)
    ));
}

fn mrk_rules(doc: &crate::model::Document) -> impl Iterator<Item = (usize, &Rule)> {
    doc.rules
        .iter()
        .enumerate()
        .filter(|(_, r)| use_source_mrk(r))
}

fn mrk_span(rule: &Rule) -> crate::source::Span {
    source_mrk(rule).map_or(rule.meta.name_span, |m| m.meta.name_span)
}

fn mrk_path(i: usize) -> RulePath {
    RulePath::new(
        i,
        "/Destination/EncryptionConfiguration/UseSourceMultiRegionKey",
    )
}

fn check_mrk_with_key(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in mrk_rules(doc) {
        let has_key = encryption(rule).is_some_and(|e| e.replica_kms_key_id.is_some());
        if has_key {
            let d = cx.report(
                &MRK_WITH_KEY,
                mrk_span(rule),
                mrk_path(i),
                "UseSourceMultiRegionKey is enabled and a ReplicaKmsKeyID is also given; which key S3 then uses is not documented",
            );
            d.help = Some("Keep either UseSourceMultiRegionKey or ReplicaKmsKeyID.".into());
        }
    }
}

fn check_mrk_source_keys(cx: &mut CheckContext) {
    let doc = cx.doc;
    let keys = cx.ctx.raw.source_kms_keys.clone();
    for (i, rule) in mrk_rules(doc) {
        let span = mrk_span(rule);
        if keys.is_empty() {
            cx.unverified(
                &MRK_SOURCE_KEYS,
                "sourceKmsKeys",
                "whether source objects use multi-Region keys (UseSourceMultiRegionKey)",
                span,
                mrk_path(i),
            );
            continue;
        }
        let single: Vec<&str> = keys
            .iter()
            .filter(|k| !KmsKeyRef::parse(k).is_multi_region())
            .map(String::as_str)
            .collect();
        if let Some(first) = single.first() {
            let d = cx.report(
                &MRK_SOURCE_KEYS,
                span,
                mrk_path(i),
                format!(
                    "UseSourceMultiRegionKey is enabled, but source key `{first}`{} is not a multi-Region key; objects under it likely fail to replicate",
                    if single.len() > 1 {
                        format!(" (and {} more)", single.len() - 1)
                    } else {
                        String::new()
                    }
                ),
            );
            d.help = Some("Use multi-Region keys (mrk-...) with a replica in the destination Region, or name a ReplicaKmsKeyID.".into());
        }
    }
}
