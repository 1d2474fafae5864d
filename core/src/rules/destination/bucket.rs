//! `Destination/Bucket`: ARN form, partition, bucket naming, bucket types, destination =
//! source (S3R300-S3R304).

use crate::arn::{self, Arn, PARTITIONS};
use crate::diagnostic::Severity;
use crate::rules::support::fixes::set_value_fix;
use crate::rules::support::labels::rule_label;
use crate::rules::{CheckContext, RulePath};

declare_rule! {
    pub static BUCKET_NOT_ARN {
        code: "S3R300",
        name: "destination-bucket-not-arn",
        severity: Error,
        confidence: Documented,
        s3_error: "InvalidArgument (S3 emulators word it \"Invalid bucket ARN\")",
        summary: "Destination/Bucket must be a bucket ARN `arn:<partition>:s3:::<name>`",
        check: check_bucket_arn,
        docs: r#"## What it does
Checks that `Destination/Bucket` is the ARN of a bucket: `arn:aws:s3:::name`, with empty Region
and account fields and nothing after the name. A bare bucket name, an `s3://` URL, an access
point ARN or an object ARN (`arn:aws:s3:::name/*`) is reported; where the bucket is obvious a
fix rewrites the value.

## Why it matters
The API names the destination by ARN. Policies often use `arn:aws:s3:::name/*`, and copying
that or the plain bucket name into the replication rule is a common slip that S3 refuses.

## Example
```xml
<Destination><Bucket>acme-replica</Bucket></Destination>
```

## Fix
Write `arn:aws:s3:::acme-replica` (use your partition, e.g. `aws-cn`, if not `aws`).

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_Destination.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html
"#,
    }
}

declare_rule! {
    pub static PARTITION_MISMATCH {
        code: "S3R301",
        name: "destination-partition-mismatch",
        severity: Error,
        // Partition isolation is documented; what S3 answers at PutBucketReplication is not.
        confidence: Documented,
        summary: "The destination bucket ARN names another (or an unknown) partition than the Role",
        check: check_partition,
        docs: r#"## What it does
Compares the partition of the destination bucket ARN (`aws`, `aws-cn`, `aws-us-gov`, ...) with
the partition of the deployment (the context's `partition`, else the Role ARN's). A partition
that AWS does not have is reported as a warning.

## Why it matters
Partitions are isolated (documented): a role in `aws` cannot write to a bucket in `aws-cn`.
Whether S3 rejects the configuration up front is not documented; either way no object is
replicated.

## Example
```xml
<Role>arn:aws:iam::111122223333:role/replication</Role>
<!-- ... -->
<Bucket>arn:aws-cn:s3:::acme-replica</Bucket>
```

## Fix
Replicate within one partition; use the same partition in every ARN.

## References
- https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
"#,
    }
}

declare_rule! {
    pub static BUCKET_NAME_INVALID {
        code: "S3R302",
        name: "destination-bucket-name-invalid",
        severity: Error,
        confidence: Documented,
        s3_error: "InvalidRequest: Destination bucket must have versioning enabled. (what S3 answers for a bucket that does not exist)",
        summary: "The destination bucket name breaks the general purpose bucket naming rules",
        check: check_bucket_name,
        docs: r#"## What it does
Checks the bucket name in `Destination/Bucket` against the naming rules for general purpose
buckets: 3-63 characters of lowercase letters, digits, `.` and `-`; starting and ending with a
letter or digit; no `..`; not shaped like an IPv4 address; none of the reserved prefixes
(`xn--`, `sthree-`, `amzn-s3-demo-`) or suffixes (`-s3alias`, `--ol-s3`, `.mrap`); the `-an`
suffix only in account-regional names (`<prefix>-<12-digit account>-<region>-an`). Uppercase,
`_` and names up to 255 characters are only a warning: such legacy buckets can exist in
us-east-1 (created before March 2018).

## Why it matters
No bucket can have such a name, so the destination does not exist. S3 answers
`Destination bucket must have versioning enabled.` for a destination that does not exist.
An access point alias (`-s3alias`) or Multi-Region Access Point (`.mrap`) is not a bucket.

## Example
```xml
<Destination><Bucket>arn:aws:s3:::Acme..Replica</Bucket></Destination>
```

## Fix
Use the name of the existing destination bucket.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html
"#,
    }
}

declare_rule! {
    pub static DIRECTORY_BUCKET {
        code: "S3R303",
        name: "directory-or-table-bucket",
        severity: Error,
        confidence: Documented,
        s3_error: "PutBucketReplication: This operation is not supported for directory buckets.",
        summary: "Directory buckets (`--x-s3`) and table buckets (`--table-s3`) cannot take part in replication",
        check: check_directory_bucket,
        docs: r#"## What it does
Flags a destination bucket whose name ends in `--x-s3` (an S3 Express One Zone directory
bucket) or `--table-s3` (an S3 Tables bucket), and a source bucket (deployment context
`sourceBucket`) of either kind.

## Why it matters
PutBucketReplication is not supported for directory buckets, and replication needs a
versioned general purpose destination: directory and table buckets have no versioning.

## Example
```xml
<Destination><Bucket>arn:aws:s3:::acme-fast--usw2-az1--x-s3</Bucket></Destination>
```

## Fix
Replicate into a general purpose bucket. To copy data into a directory bucket use S3 Batch
Operations or your own copy job.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketReplication.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/directory-buckets-overview.html
"#,
    }
}

declare_rule! {
    pub static SAME_AS_SOURCE {
        code: "S3R304",
        name: "destination-is-source",
        severity: Warning,
        confidence: Emulator,
        s3_error: "S3 emulators: Destination bucket cannot be the same as the source bucket.",
        summary: "A rule replicates the source bucket into itself",
        check: check_same_as_source,
        docs: r#"## What it does
Compares each destination bucket with the source bucket named in the deployment context
(`sourceBucket`). Without that field it says once that this was not verified.

## Why it matters
Replicating a bucket into itself is never useful. S3-compatible emulators reject it; what AWS
does is not documented.
Evidence: searched public bug trackers (Terraform AWS provider, Pulumi, Crossplane, ACK, CDK,
LocalStack, moto) for S3's answer; none found.

## Example
<!-- context: {"sourceBucket": "acme-data"} -->
```xml
<Destination><Bucket>arn:aws:s3:::acme-data</Bucket></Destination>
```

## Fix
Name the bucket that should receive the replicas.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication.html
"#,
    }
}

/// What is wrong with a `Destination/Bucket` value that is not a plain bucket ARN, and the
/// bucket ARN it probably meant.
fn arn_problem(value: &str, partition: &str) -> Option<(String, Option<String>)> {
    let fixed = |name: &str| -> Option<String> {
        let ok = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_');
        ok.then(|| format!("arn:{partition}:s3:::{name}"))
    };
    if value.trim().is_empty() {
        return Some(("is empty".into(), None));
    }
    if value != value.trim() {
        return Some((
            "has leading or trailing whitespace".into(),
            Some(value.trim().to_string()),
        ));
    }
    if let Some(rest) = value.strip_prefix("s3://") {
        let name = rest.split('/').next().unwrap_or(rest);
        return Some(("is an s3:// URL, not a bucket ARN".into(), fixed(name)));
    }
    if !value.starts_with("arn:") {
        return Some(("is a bucket name, not a bucket ARN".into(), fixed(value)));
    }
    let a = match Arn::parse(value) {
        Ok(a) => a,
        Err(why) => return Some((format!("is not a well-formed ARN: it {why}"), None)),
    };
    if a.service != "s3" {
        return Some((
            format!("is an ARN of service `{}`, not of S3", a.service),
            None,
        ));
    }
    let resource_name = a.resource.split('/').next().unwrap_or(a.resource);
    if !a.region.is_empty() || !a.account.is_empty() {
        let what = if a.resource.starts_with("accesspoint/") || a.resource.starts_with("outpost/") {
            return Some((
                "is an access point or Outposts ARN; replication needs the bucket's own ARN".into(),
                None,
            ));
        } else {
            "has Region or account fields; a bucket ARN leaves both empty"
        };
        let fix =
            (!a.resource.contains('/')).then(|| format!("arn:{}:s3:::{}", a.partition, a.resource));
        return Some((what.into(), fix));
    }
    if a.resource.contains('/') {
        return Some((
            "names objects (`/...` after the bucket); use the bucket ARN alone".into(),
            (!resource_name.is_empty())
                .then(|| format!("arn:{}:s3:::{resource_name}", a.partition)),
        ));
    }
    if a.resource.is_empty() {
        return Some(("has no bucket name".into(), None));
    }
    None
}

fn check_bucket_arn(cx: &mut CheckContext) {
    let src = cx.text;
    let doc = cx.doc;
    let partition = cx.ctx.partition_or_default().to_string();
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(b) = rule.destination.as_ref().and_then(|d| d.bucket.as_ref()) else {
            continue;
        };
        // The common case, a plain bucket ARN, without parsing again.
        let plain = cx.bucket_arn(i).is_some_and(|a| {
            a.service == "s3"
                && a.region.is_empty()
                && a.account.is_empty()
                && !a.resource.is_empty()
                && !a.resource.contains('/')
        });
        if plain && b.as_str().trim_end().len() == b.value.len() {
            continue;
        }
        let Some((why, fix)) = arn_problem(b.as_str(), &partition) else {
            continue;
        };
        let shown: String = b.value.chars().take(80).collect();
        let d = cx.report(
            &BUCKET_NOT_ARN,
            b.span(),
            RulePath::new(i, "/Destination/Bucket"),
            format!("Destination bucket `{shown}` {why}"),
        );
        d.help = Some(format!(
            "Write the bucket ARN, e.g. `arn:{partition}:s3:::{}`.",
            arn::bucket_name(b.as_str().trim())
                .split('/')
                .next()
                .unwrap_or("bucket-name")
        ));
        if let Some(new) = fix {
            set_value_fix(d, src, b.span(), &new, format!("Use `{new}`"));
        }
    }
}

fn check_partition(cx: &mut CheckContext) {
    let doc = cx.doc;
    let expected = cx.ctx.partition.clone();
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(b) = rule.destination.as_ref().and_then(|d| d.bucket.as_ref()) else {
            continue;
        };
        let Some(a) = cx.bucket_arn(i) else {
            continue;
        };
        if a.service != "s3" {
            continue;
        }
        let path = RulePath::new(i, "/Destination/Bucket");
        if !PARTITIONS.contains(&a.partition) {
            let d = cx.report(
                &PARTITION_MISMATCH,
                b.span(),
                path,
                format!("`{}` is not an AWS partition", a.partition),
            );
            d.severity = Severity::Warning;
            d.help = Some(format!("Known partitions: {}.", PARTITIONS.join(", ")));
            continue;
        }
        let Some(p) = &expected else { continue };
        if p.value != a.partition {
            let d = cx.report(
                &PARTITION_MISMATCH,
                b.span(),
                path,
                format!(
                    "The destination bucket is in partition `{}` but the replication runs in `{}` ({}); S3 rejects this, or accepts it and replication fails",
                    a.partition,
                    p.value,
                    p.source.describe()
                ),
            );
            d.help = Some("Replication cannot cross partitions; keep source, role and destination in one partition.".into());
        }
    }
}

/// Naming problems of a general purpose bucket name; `Warning` for legacy-only names.
pub fn bucket_name_problem(name: &str) -> Option<(Severity, String)> {
    let err = |m: &str| Some((Severity::Error, m.to_string()));
    if name.ends_with("--x-s3") || name.ends_with("--table-s3") {
        return None; // S3R303
    }
    let legacy_chars = name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_');
    if name.len() < 3 {
        return err("is shorter than 3 characters");
    }
    if !legacy_chars {
        return err("may contain only letters, digits, `.` and `-`");
    }
    let first_last_ok = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric());
    if !first_last_ok(name.as_bytes().first()) || !first_last_ok(name.as_bytes().last()) {
        return err("must start and end with a letter or digit");
    }
    if name.contains("..") {
        return err("must not contain two adjacent periods");
    }
    if name.bytes().filter(|&b| b == b'.').count() == 3
        && name
            .split('.')
            .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return err("must not be formatted as an IP address");
    }
    for p in ["xn--", "sthree-", "amzn-s3-demo-"] {
        if name.starts_with(p) {
            return err(&format!("must not start with the reserved prefix `{p}`"));
        }
    }
    for (s, what) in [
        ("-s3alias", " (it is an access point alias, not a bucket)"),
        ("--ol-s3", " (it is an Object Lambda access point alias)"),
        (".mrap", " (it is a Multi-Region Access Point)"),
    ] {
        if name.ends_with(s) {
            return err(&format!(
                "must not end with the reserved suffix `{s}`{what}"
            ));
        }
    }
    if name.ends_with("-an") && arn::account_regional_bucket(name).is_none() {
        return err("ends with `-an`, which only account-regional names `<prefix>-<12-digit account>-<region>-an` may use");
    }
    let legacy = name.len() > 63 || name.bytes().any(|b| b.is_ascii_uppercase() || b == b'_');
    if legacy {
        if name.len() > 255 {
            return err("is longer than 255 characters");
        }
        return Some((
            Severity::Warning,
            "is valid only for legacy us-east-1 buckets created before March 1, 2018 (uppercase letters, `_` or more than 63 characters)".into(),
        ));
    }
    None
}

fn check_bucket_name(cx: &mut CheckContext) {
    let doc = cx.doc;
    // Names already found valid (rules mostly share a few destinations).
    let mut valid: Vec<&str> = Vec::new();
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(b) = rule.destination.as_ref().and_then(|d| d.bucket.as_ref()) else {
            continue;
        };
        // Only ARNs and names S3R300 can't explain: judge the name part of an S3 ARN.
        let Some(a) = cx.bucket_arn(i) else {
            continue;
        };
        if a.service != "s3" || !a.region.is_empty() || !a.account.is_empty() {
            continue;
        }
        let name = a.resource.split('/').next().unwrap_or(a.resource);
        if name.is_empty() || valid.contains(&name) {
            continue;
        }
        if let Some((severity, why)) = bucket_name_problem(name) {
            let shown: String = name.chars().take(80).collect();
            let d = cx.report(
                &BUCKET_NAME_INVALID,
                b.span(),
                RulePath::new(i, "/Destination/Bucket"),
                format!("Bucket name `{shown}` {why}"),
            );
            d.severity = severity;
            d.help = Some("Use the exact name of the existing destination bucket.".into());
        } else {
            if valid.len() == 8 {
                valid.remove(0);
            }
            valid.push(name);
        }
    }
}

fn bucket_kind(name: &str) -> Option<&'static str> {
    if name.ends_with("--x-s3") {
        Some("a directory bucket (S3 Express One Zone)")
    } else if name.ends_with("--table-s3") {
        Some("an S3 Tables bucket")
    } else {
        None
    }
}

fn check_directory_bucket(cx: &mut CheckContext) {
    let doc = cx.doc;
    if let Some(src) = cx.ctx.source_bucket.clone() {
        if let Some(kind) = bucket_kind(&src) {
            let span = doc
                .role
                .as_ref()
                .map_or(doc.meta.name_span, |r| r.meta.span);
            let d = cx.report(
                &DIRECTORY_BUCKET,
                span,
                "",
                format!("The source bucket `{src}` (from the deployment context) is {kind}; PutBucketReplication is not supported for it"),
            );
            d.help =
                Some("Only general purpose buckets can have a replication configuration.".into());
        }
    }
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(b) = rule.destination.as_ref().and_then(|d| d.bucket.as_ref()) else {
            continue;
        };
        let Some(name) = cx.bucket(i) else { continue };
        if let Some(kind) = bucket_kind(name) {
            let d = cx.report(
                &DIRECTORY_BUCKET,
                b.span(),
                RulePath::new(i, "/Destination/Bucket"),
                format!("The destination `{name}` is {kind}; replication needs a versioned general purpose bucket"),
            );
            d.help = Some("Replicate into a general purpose bucket.".into());
        }
    }
}

fn check_same_as_source(cx: &mut CheckContext) {
    let doc = cx.doc;
    let source = cx.ctx.source_bucket.clone();
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(b) = rule.destination.as_ref().and_then(|d| d.bucket.as_ref()) else {
            continue;
        };
        let path = RulePath::new(i, "/Destination/Bucket");
        match &source {
            Some(src) => {
                if cx.bucket(i) == Some(src.as_str()) {
                    let d = cx.report(
                        &SAME_AS_SOURCE,
                        b.span(),
                        path,
                        format!(
                            "{} replicates `{src}` into itself (the source bucket, from the deployment context)",
                            rule_label(rule, i)
                        ),
                    );
                    d.help = Some("Name the bucket that should receive the replicas.".into());
                }
            }
            None => cx.unverified(
                &SAME_AS_SOURCE,
                "sourceBucket",
                "whether a destination is the source bucket itself",
                b.span(),
                path,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(bucket_name_problem("acme-replica"), None);
        assert_eq!(bucket_name_problem("logs-444455556666-us-west-2-an"), None);
        assert!(matches!(
            bucket_name_problem("ab"),
            Some((Severity::Error, _))
        ));
        assert!(matches!(
            bucket_name_problem("a..b"),
            Some((Severity::Error, _))
        ));
        assert!(matches!(
            bucket_name_problem("192.168.5.4"),
            Some((Severity::Error, _))
        ));
        assert!(matches!(
            bucket_name_problem("xn--abc"),
            Some((Severity::Error, _))
        ));
        assert!(matches!(
            bucket_name_problem("ap-123-s3alias"),
            Some((Severity::Error, _))
        ));
        assert!(matches!(
            bucket_name_problem("my-an"),
            Some((Severity::Error, _))
        ));
        assert!(matches!(
            bucket_name_problem("-abc"),
            Some((Severity::Error, _))
        ));
        assert!(matches!(
            bucket_name_problem("Legacy_Bucket"),
            Some((Severity::Warning, _))
        ));
        assert!(matches!(
            bucket_name_problem("b\u{e9}b"),
            Some((Severity::Error, _))
        ));
        assert_eq!(bucket_name_problem("x--x-s3"), None);
    }

    #[test]
    fn arns() {
        assert_eq!(arn_problem("arn:aws:s3:::acme", "aws"), None);
        let (_, fix) = arn_problem("acme", "aws-cn").unwrap();
        assert_eq!(fix.as_deref(), Some("arn:aws-cn:s3:::acme"));
        let (_, fix) = arn_problem("arn:aws:s3:::acme/*", "aws").unwrap();
        assert_eq!(fix.as_deref(), Some("arn:aws:s3:::acme"));
        let (_, fix) = arn_problem("s3://acme/x", "aws").unwrap();
        assert_eq!(fix.as_deref(), Some("arn:aws:s3:::acme"));
        let (_, fix) =
            arn_problem("arn:aws:s3:us-west-2:111122223333:accesspoint/ap", "aws").unwrap();
        assert_eq!(fix, None);
        assert!(arn_problem("arn:aws:iam::1:role/x", "aws").is_some());
        assert!(arn_problem("", "aws").is_some());
    }
}
