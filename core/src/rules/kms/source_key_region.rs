//! The source keys must be in the source bucket's Region and partition (S3R415).

use super::kms_rules;
use crate::arn::{looks_like_region, KmsKeyRef, PARTITIONS};
use crate::context::Resolved;
use crate::diagnostic::Severity;
use crate::rules::{CheckContext, RulePath};

declare_rule! {
    pub static SOURCE_KEY_REGION {
        code: "S3R415",
        name: "source-key-region",
        severity: Error,
        confidence: Documented,
        summary: "A source KMS key is not in the source bucket's Region",
        check: check,
        docs: r#"## What it does
Compares the Region and partition of each `sourceKmsKeys` ARN in the deployment context with
the source bucket's Region (`sourceRegion`, or an account-regional `sourceBucket` name) and
the partition; without a source Region, checks that the keys share one Region. A warning when
no enabled rule replicates SSE-KMS objects.

## Why it matters
SSE-KMS uses a key in the bucket's own Region, so a key elsewhere cannot be the one that
encrypts the source objects: one of the two facts is wrong. Policies generated from them grant
`kms:Decrypt` on that key through `s3.<source Region>.amazonaws.com`, a condition that never
matches, and replication of SSE-KMS objects fails.

## Example
<!-- context: {"sourceRegion": "eu-west-1", "sourceKmsKeys": ["arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"]} -->
```xml
<SourceSelectionCriteria><SseKmsEncryptedObjects><Status>Enabled</Status></SseKmsEncryptedObjects></SourceSelectionCriteria>
<Destination>
  <Bucket>arn:aws:s3:::acme-replica</Bucket>
  <EncryptionConfiguration><ReplicaKmsKeyID>arn:aws:kms:us-west-2:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0</ReplicaKmsKeyID></EncryptionConfiguration>
</Destination>
```

## Fix
List the keys that encrypt the source objects (see `get-bucket-encryption` and `head-object`),
or correct `sourceRegion`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
- https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
"#,
    }
}

const OWN_REGION: &str =
    ": SSE-KMS uses a key in the bucket's own Region, so this key encrypts no source object";

/// Why each `sourceKmsKeys` ARN cannot encrypt the source bucket's objects, as messages: a
/// partition other than the replication's, a Region other than the source bucket's (or, with
/// that Region unknown, than the first key's). Shared with the policy plan.
pub(crate) fn mismatches(ctx: &Resolved) -> Vec<String> {
    let mut out = Vec::new();
    let mut first: Option<(&str, &str)> = None;
    for k in &ctx.raw.source_kms_keys {
        let Some(a) = KmsKeyRef::parse(k).arn().copied() else {
            continue;
        };
        if let Some(p) = &ctx.partition {
            if a.partition != p.value && PARTITIONS.contains(&a.partition) {
                out.push(format!(
                    "The source key `{k}` is in partition {}, but the replication runs in {} ({}){OWN_REGION}",
                    a.partition,
                    p.value,
                    p.source.describe()
                ));
                continue;
            }
        }
        if !looks_like_region(a.region) {
            continue;
        }
        let (region, why) = match (&ctx.source_region, first) {
            (Some(r), _) => (r.value.as_str(), r.source.describe().to_string()),
            (None, Some((k1, r1))) => (r1, format!("the Region of `{k1}`")),
            (None, None) => {
                first = Some((k, a.region));
                continue;
            }
        };
        if a.region != region {
            out.push(format!(
                "The source key `{k}` is in {}, but the source bucket is in {region} ({why}){OWN_REGION}",
                a.region
            ));
        }
    }
    out
}

fn check(cx: &mut CheckContext) {
    let messages = mismatches(cx.ctx);
    if messages.is_empty() {
        return;
    }
    let doc = cx.doc;
    // On the first rule that replicates SSE-KMS objects; with none, nothing fails.
    let at = kms_rules(doc).next().map(|(i, r)| {
        let s = super::sse_kms_objects(r).map_or(r.meta.name_span, |s| s.meta.name_span);
        (
            s,
            RulePath::new(i, "/SourceSelectionCriteria/SseKmsEncryptedObjects").build(),
        )
    });
    let (span, path, severity) = match at {
        Some((s, p)) => (s, p, Severity::Error),
        None => {
            let s = doc.role.as_ref().map_or(doc.meta.name_span, |r| r.span());
            (s, "/Role".to_string(), Severity::Warning)
        }
    };
    for m in messages {
        let d = cx.report(&SOURCE_KEY_REGION, span, path.clone(), m);
        d.severity = severity;
        d.help = Some(
            "Correct `sourceKmsKeys` (the keys that encrypt the source objects) or `sourceRegion` in the deployment context.".into(),
        );
    }
}
