//! Findings from the deployment context alone: Object Lock, Batch Replication, Regions in
//! another partition, facts an account-regional bucket name contradicts (S3R601-S3R603,
//! S3R605).

use crate::arn;
use crate::model::Rule;
use crate::rules::support::facts::{first_rule_per_bucket, region_partition};
use crate::rules::CheckContext;

declare_rule! {
    pub static OBJECT_LOCK {
        code: "S3R601",
        name: "object-lock-replication",
        severity: Info,
        confidence: Documented,
        s3_error: "Replication failure reason: DstBucketObjectLockConfigMissing",
        summary: "The source uses S3 Object Lock: destinations need Object Lock and the role extra permissions",
        check: check_object_lock,
        docs: r#"## What it does
When the deployment context says `"objectLock": true` and a rule is enabled, lists what
replication of locked objects requires; reported once.

## Why it matters
Replicas of locked objects fail (`DstBucketObjectLockConfigMissing`) unless every destination
bucket has Object Lock enabled, and the replication role needs `s3:GetObjectRetention` and
`s3:GetObjectLegalHold` on source objects. Replication on an Object Lock bucket is set up with
the CLI, API or SDKs.

## Example
<!-- context: {"objectLock": true} -->
```xml
<Destination><Bucket>arn:aws:s3:::acme-replica</Bucket></Destination>
```

## Fix
Enable Object Lock on each destination bucket and add the two permissions to the role.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html
"#,
    }
}

declare_rule! {
    pub static BATCH_REPLICATION {
        code: "S3R602",
        name: "batch-replication",
        severity: Info,
        confidence: Documented,
        summary: "Batch Replication of existing objects needs its own trust and permissions",
        check: check_batch,
        docs: r#"## What it does
When the deployment context says `"batchReplication": true` and a rule is enabled, lists what
S3 Batch Replication needs beyond live replication; reported once.

## Why it matters
Live replication never copies objects that existed before the rule. Batch Replication runs as
an S3 Batch Operations job: the role must trust `batchoperations.s3.amazonaws.com` and may
`s3:InitiateReplication` on source objects, plus read the manifest and write the completion
report (`s3:PutInventoryConfiguration` for a generated manifest).

## Example
<!-- context: {"batchReplication": true} -->
```json
{ "Destination": { "Bucket": "arn:aws:s3:::acme-replica" } }
```

## Fix
Add the trust principal and permissions to the role the job uses.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-batch-replication-batch.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
"#,
    }
}

declare_rule! {
    pub static REGION_PARTITION {
        code: "S3R603",
        name: "region-partition-mismatch",
        severity: Error,
        // Partition isolation is documented; what S3 answers at PutBucketReplication is not.
        confidence: Documented,
        summary: "A Region in the deployment context belongs to another partition than the replication",
        check: check_region_partition,
        docs: r#"## What it does
Checks the context's `sourceRegion` and `destinations.<bucket>.region` against the partition
(context `partition`, else the Role ARN): `cn-*` Regions are in `aws-cn`, `us-gov-*` in
`aws-us-gov`, `us-iso-*` in `aws-iso`, and so on.

## Why it matters
Partitions are isolated (documented); a bucket in a China Region cannot receive replicas from
a role in the `aws` partition. Whether S3 rejects the configuration up front is not
documented; either way no object is replicated.

## Example
<!-- context: {"destinations": {"acme-replica": {"region": "cn-north-1"}}} -->
```xml
<Role>arn:aws:iam::111122223333:role/replication</Role>
<Destination><Bucket>arn:aws:s3:::acme-replica</Bucket></Destination>
```

## Fix
Correct the Region, or replicate within one partition.

## References
- https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html
"#,
    }
}

declare_rule! {
    pub static CONTEXT_CONFLICT {
        code: "S3R605",
        name: "context-contradicts-bucket-name",
        severity: Warning,
        confidence: Documented,
        summary: "The deployment context gives a bucket another Region or account than its account-regional name",
        check: check_conflicts,
        docs: r#"## What it does
An account-regional bucket name (`<prefix>-<account>-<region>-an`) states the bucket's owner
and Region. Compares them with `sourceRegion` and `sourceAccount` (for `sourceBucket`) and with
`destinations.<bucket>.region` and `.account` (for each destination the document names).

## Why it matters
One of the two facts is wrong, and the checks and generated policies use the context's: a
`kms:ViaService` Region, a bucket policy for the wrong account. The generated policies are
not reported complete until it is corrected.

## Example
<!-- context: {"destinations": {"logs-444455556666-us-west-2-an": {"region": "eu-west-1"}}} -->
```xml
<Destination><Bucket>arn:aws:s3:::logs-444455556666-us-west-2-an</Bucket></Destination>
```

## Fix
Correct the context, or name the bucket you mean.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
"#,
    }
}

fn first_rule_span(cx: &CheckContext) -> (crate::source::Span, String) {
    match cx.doc.rules.first() {
        Some(r) => (r.meta.name_span, Rule::path(0)),
        None => (cx.doc.meta.name_span, String::new()),
    }
}

fn check_object_lock(cx: &mut CheckContext) {
    if cx.ctx.raw.object_lock != Some(true) || !cx.doc.rules.iter().any(Rule::is_enabled) {
        return;
    }
    let (span, path) = first_rule_span(cx);
    let d = cx.report(
        &OBJECT_LOCK,
        span,
        path,
        "The source bucket uses S3 Object Lock (from the deployment context): every destination bucket needs Object Lock enabled, or replicas fail with DstBucketObjectLockConfigMissing",
    );
    d.help = Some("Also grant the replication role s3:GetObjectRetention and s3:GetObjectLegalHold on source objects.".into());
}

fn check_batch(cx: &mut CheckContext) {
    if cx.ctx.raw.batch_replication != Some(true) || !cx.doc.rules.iter().any(Rule::is_enabled) {
        return;
    }
    let (span, path) = first_rule_span(cx);
    let d = cx.report(
        &BATCH_REPLICATION,
        span,
        path,
        "Batch Replication (from the deployment context) copies existing objects with an S3 Batch Operations job: its role must trust batchoperations.s3.amazonaws.com and be allowed s3:InitiateReplication",
    );
    d.help = Some("Add s3:PutInventoryConfiguration if S3 generates the manifest, and write access for the completion report.".into());
}

fn check_region_partition(cx: &mut CheckContext) {
    let Some(p) = cx.ctx.partition.clone() else {
        return;
    };
    if !arn::PARTITIONS.contains(&p.value.as_str()) {
        return;
    }
    if let Some(r) = cx.ctx.raw.source_region.clone() {
        if arn::looks_like_region(&r) && region_partition(&r) != p.value {
            let span = cx
                .doc
                .role
                .as_ref()
                .map_or(cx.doc.meta.name_span, |r| r.span());
            cx.report(
                &REGION_PARTITION,
                span,
                "/Role",
                format!(
                    "The source Region {r} (from the deployment context) is in partition {}, but the replication runs in {} ({})",
                    region_partition(&r),
                    p.value,
                    p.source.describe()
                ),
            );
        }
    }
    for (i, b, name) in first_rule_per_bucket(cx, |_| true) {
        let Some(region) = cx.destination_region(i) else {
            continue;
        };
        let rp = region_partition(&region.value);
        if arn::looks_like_region(&region.value) && rp != p.value {
            let d = cx.report(
                &REGION_PARTITION,
                b.span(),
                format!("{}/Destination/Bucket", Rule::path(i)),
                format!(
                    "`{name}` is in {} ({}), a Region of partition {rp}, but the replication runs in {} ({}); S3 rejects this or replication fails",
                    region.value,
                    region.source.describe(),
                    p.value,
                    p.source.describe()
                ),
            );
            d.help = Some("Replication cannot cross partitions.".into());
        }
    }
}

fn check_conflicts(cx: &mut CheckContext) {
    let conflicts = cx.ctx.conflicts();
    if conflicts.is_empty() {
        return;
    }
    let firsts = first_rule_per_bucket(cx, |_| true);
    let role = cx.doc.role.as_ref().map(|r| r.span());
    for c in conflicts {
        let (span, path) = if c.source_bucket {
            (role.unwrap_or(cx.doc.meta.name_span), "/Role".to_string())
        } else {
            match firsts.iter().find(|(_, _, n)| *n == c.bucket) {
                Some(&(i, b, _)) => (b.span(), format!("{}/Destination/Bucket", Rule::path(i))),
                None => continue,
            }
        };
        let d = cx.report(&CONTEXT_CONFLICT, span, path, c.message());
        d.help = Some(format!("Correct `{}`, or the bucket name.", c.field));
    }
}

#[cfg(test)]
mod tests {
    use super::region_partition;

    #[test]
    fn partitions() {
        assert_eq!(region_partition("us-west-2"), "aws");
        assert_eq!(region_partition("cn-north-1"), "aws-cn");
        assert_eq!(region_partition("us-gov-west-1"), "aws-us-gov");
        assert_eq!(region_partition("us-isob-east-1"), "aws-iso-b");
        assert_eq!(region_partition("us-iso-east-1"), "aws-iso");
    }
}
