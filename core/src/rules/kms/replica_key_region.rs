//! The replica key must be in the destination bucket's Region (S3R405).

use super::FAILS;
use crate::arn::looks_like_region;
use crate::rules::CheckContext;

declare_rule! {
    pub static REGION {
        code: "S3R405",
        name: "replica-key-region",
        severity: Error,
        confidence: Documented,
        summary: "The replica KMS key is not in the destination bucket's Region",
        check: check_region,
        docs: r#"## What it does
Compares the Region in the `ReplicaKmsKeyID` ARN with the destination bucket's Region, taken
from the deployment context (`destinations.<bucket>.region`) or from an account-regional
bucket name (`<prefix>-<account>-<region>-an`). Without either it says once that this was not
verified.

## Why it matters
The key must have been created in the destination bucket's Region. PutBucketReplication does
not check keys: it answers 200 OK, and then replication of every SSE-KMS object fails.
Multi-Region keys are no exception: S3 treats them as single-Region keys, so name the replica
of the key that lives in the destination Region.

## Example
<!-- context: {"sourceRegion": "us-east-1", "destinations": {"acme-logs-usw2": {"region": "us-west-2"}}} -->
```xml
<SourceSelectionCriteria><SseKmsEncryptedObjects><Status>Enabled</Status></SseKmsEncryptedObjects></SourceSelectionCriteria>
<Destination>
  <Bucket>arn:aws:s3:::acme-logs-usw2</Bucket>
  <EncryptionConfiguration>
    <ReplicaKmsKeyID>arn:aws:kms:us-east-1:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0</ReplicaKmsKeyID>
  </EncryptionConfiguration>
</Destination>
```

## Fix
Use a key created in the destination Region (or that Region's replica of a multi-Region key).

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
- https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html
"#,
    }
}

fn check_region(cx: &mut CheckContext) {
    for n in 0..cx.facts.replica_keys.len() {
        let rk = cx.replica_key(n);
        let (i, key, r, path) = (rk.rule, rk.key, &rk.parsed, rk.path());
        let Some(arn) = r.arn() else { continue };
        if !looks_like_region(arn.region) {
            continue; // S3R404
        }
        let rule = &cx.doc.rules[i];
        let Some(bucket) = rule.destination_bucket() else {
            continue;
        };
        match cx.destination_region(i) {
            Some(region) if region.value != arn.region => {
                let mut msg = format!(
                    "{FAILS}: the replica key is in {} but the destination bucket is in {}, {}",
                    arn.region,
                    region.value,
                    region.source.describe()
                );
                if cx
                    .ctx
                    .source_region
                    .as_ref()
                    .is_some_and(|s| s.value == arn.region)
                {
                    msg.push_str(" (the key is in the source Region)");
                }
                let d = cx.report(&REGION, key.span(), path, msg);
                d.help = Some(if r.is_multi_region() {
                    format!(
                        "S3 treats multi-Region keys as single-Region keys: name the replica of this key in {}.",
                        region.value
                    )
                } else {
                    format!("Use a KMS key created in {}.", region.value)
                });
            }
            Some(_) => {}
            None => cx.unverified_destination(
                &REGION,
                bucket,
                "region",
                "whether the replica key is in the destination bucket's Region",
                key.span(),
                path,
            ),
        }
    }
}
