//! `Destination/StorageClass` (S3R314, S3R315).

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Document, Rule, Str, Val};
use crate::rules::support::fixes::set_value_fix;
use crate::rules::CheckContext;
use crate::schema::STORAGE_CLASS_VALUES;

/// The storage classes a replication destination accepts.
pub const REPLICATION_STORAGE_CLASSES: &[&str] = &[
    "STANDARD",
    "REDUCED_REDUNDANCY",
    "STANDARD_IA",
    "ONEZONE_IA",
    "INTELLIGENT_TIERING",
    "GLACIER",
    "DEEP_ARCHIVE",
    "GLACIER_IR",
];

declare_rule! {
    pub static INVALID {
        code: "S3R314",
        name: "storage-class-invalid",
        severity: Error,
        confidence: Documented,
        s3_error: "MalformedXML / InvalidArgument; the API reference: \"FSX_OPENZFS is not an accepted value when replicating objects\"",
        summary: "StorageClass is not one of the replication storage classes",
        check: check_invalid,
        docs: r#"## What it does
Checks `Destination/StorageClass` against the classes a replica can be stored in: STANDARD,
REDUCED_REDUNDANCY, STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER, DEEP_ARCHIVE and
GLACIER_IR. Unknown strings are errors, and so is FSX_OPENZFS, which the API reference names as
"not an accepted value when replicating objects". The other values of the wider S3
storage-class list (EXPRESS_ONEZONE, OUTPOSTS, SNOW, FSX_ONTAP, AWS_BACKUP_*) are warnings: they
are classes of directory buckets, Outposts, Snow devices, FSx and AWS Backup, which no general
purpose replica can be stored in, but no AWS source says whether PutBucketReplication refuses
them or replication fails later, so this is inferred. A value that differs only in case or
separators gets a fix.

## Why it matters
The AWS CLI does not check the value, so the mistake only shows at PutBucketReplication or as
failed replication.

## Example
```xml
<Destination><Bucket>arn:aws:s3:::acme-replica</Bucket><StorageClass>standard-ia</StorageClass></Destination>
```

## Fix
Use one of the eight values above, in capitals, or omit the element to keep the source
object's class.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_Destination.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-replicationdestination.html
"#,
    }
}

declare_rule! {
    pub static COSTLY {
        code: "S3R315",
        name: "storage-class-costly",
        severity: Warning,
        confidence: Documented,
        summary: "The replica storage class has retrieval fees, minimum durations or less durability",
        check: check_costly,
        docs: r#"## What it does
Warns when replicas go to GLACIER, DEEP_ARCHIVE, GLACIER_IR, ONEZONE_IA or REDUCED_REDUNDANCY.

## Why it matters
Archive classes have minimum storage durations and retrieval fees (GLACIER and DEEP_ARCHIVE
replicas must be restored before they can be read), ONEZONE_IA keeps one Availability Zone,
and REDUCED_REDUNDANCY is a legacy class with less durability and no price advantage. This is
often right for a backup copy, so check that it is intended.

## Example
```xml
<Destination><Bucket>arn:aws:s3:::acme-archive</Bucket><StorageClass>DEEP_ARCHIVE</StorageClass></Destination>
```

## Fix
Keep it if the replica is a cold backup; otherwise use STANDARD_IA or INTELLIGENT_TIERING.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/storage-class-intro.html
- https://aws.amazon.com/s3/pricing/
"#,
    }
}

fn normalize(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            '-' | ' ' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

/// Every rule's `Destination/StorageClass`, with the rule index.
fn storage_classes(doc: &Document) -> impl Iterator<Item = (usize, &Val<Str>)> {
    doc.rules.iter().enumerate().filter_map(|(i, rule)| {
        let sc = rule.destination.as_ref()?.storage_class.as_ref()?;
        Some((i, sc))
    })
}

fn check_invalid(cx: &mut CheckContext) {
    let src = cx.text;
    for (i, sc) in storage_classes(cx.doc) {
        let v = sc.as_str();
        if REPLICATION_STORAGE_CLASSES.contains(&v) {
            continue;
        }
        let shown: String = v.chars().take(40).collect();
        let n = normalize(v);
        let suggestion = REPLICATION_STORAGE_CLASSES
            .iter()
            .find(|c| **c == n)
            .copied();
        // Only FSX_OPENZFS is refused by name in AWS's documentation; the other S3 classes
        // outside the replication list are refused by inference (see the docs), so a warning.
        let inferred = STORAGE_CLASS_VALUES.contains(&v) && v != "FSX_OPENZFS";
        let msg = if inferred {
            format!("`{v}` is an S3 storage class, but not one a general purpose replica can be stored in; AWS does not document whether S3 refuses it or replication fails later (inferred)")
        } else if v == "FSX_OPENZFS" {
            "`FSX_OPENZFS` is not an accepted value when replicating objects (API reference)"
                .to_string()
        } else if suggestion.is_some() {
            format!("`{shown}` is not a storage class; the values are case-sensitive")
        } else {
            format!("`{shown}` is not a replication storage class")
        };
        let d = cx.report(
            &INVALID,
            sc.span(),
            format!("{}/Destination/StorageClass", Rule::path(i)),
            msg,
        );
        if inferred {
            d.severity = Severity::Warning;
        }
        d.help = Some(format!(
            "Use one of {}.",
            REPLICATION_STORAGE_CLASSES.join(", ")
        ));
        if let Some(s) = suggestion {
            set_value_fix(d, src, sc.span(), s, format!("Write `{s}`"));
        }
    }
}

fn why_costly(class: &str) -> Option<&'static str> {
    Some(match class {
        "GLACIER" => "replicas in S3 Glacier Flexible Retrieval must be restored before they can be read, and have a 90-day minimum storage duration",
        "DEEP_ARCHIVE" => "replicas in S3 Glacier Deep Archive must be restored (hours) before they can be read, and have a 180-day minimum storage duration",
        "GLACIER_IR" => "S3 Glacier Instant Retrieval charges per GB retrieved and has a 90-day minimum storage duration",
        "ONEZONE_IA" => "S3 One Zone-IA keeps replicas in a single Availability Zone, and charges retrieval and a 30-day minimum",
        "REDUCED_REDUNDANCY" => "REDUCED_REDUNDANCY is a legacy class with lower durability and usually a higher price than STANDARD",
        _ => return None,
    })
}

fn check_costly(cx: &mut CheckContext) {
    for (i, sc) in storage_classes(cx.doc) {
        if let Some(why) = why_costly(sc.as_str()) {
            // One per rule can be many: written only if the engine keeps it.
            let span = sc.span();
            cx.report_later(&COSTLY, span, move || {
                Diagnostic::new(
                    COSTLY.code,
                    COSTLY.severity,
                    span,
                    format!("{}/Destination/StorageClass", Rule::path(i)),
                    format!("Replica storage class {}: {why}", sc.as_str()),
                )
                .with_help("Fine for a cold backup copy; otherwise consider STANDARD_IA or INTELLIGENT_TIERING.")
            });
        }
    }
}
