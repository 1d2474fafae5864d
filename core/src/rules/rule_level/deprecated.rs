//! Members S3 no longer accepts or that carry nothing: `ExistingObjectReplication` (S3R230)
//! and an empty `SourceSelectionCriteria` (S3R231).

use crate::model::Rule;
use crate::rules::CheckContext;

declare_rule! {
    pub static EXISTING_OBJECT_REPLICATION {
        code: "S3R230",
        name: "existing-object-replication",
        severity: Error,
        confidence: Observed,
        s3_error: "MalformedXML: The XML you provided was not well-formed or did not validate against our published schema",
        summary: "`ExistingObjectReplication` is no longer supported; use S3 Batch Replication",
        check: check_existing,
        docs: r#"## What it does
Flags `ExistingObjectReplication` in a rule.

## Why it matters
The element used to need an allow-listing by AWS Support. The API reference now says "This
parameter is no longer supported", and S3 refuses requests that contain it with
`400 MalformedXML`, even though the AWS CLI still accepts it client-side.
S3 answers `MalformedXML: The XML you provided was not well-formed or did not validate against our published schema`.

## Example
```xml
<Rule>
  <ID>all</ID>
  <Status>Enabled</Status>
  <Priority>1</Priority>
  <Filter/>
  <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
  <ExistingObjectReplication><Status>Enabled</Status></ExistingObjectReplication>
  <Destination><Bucket>arn:aws:s3:::dst</Bucket></Destination>
</Rule>
```

## Fix
Remove the element. To copy objects that existed before the rule, run an S3 Batch Replication
job.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ExistingObjectReplication.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-batch-replication-batch.html
"#,
    }
}

declare_rule! {
    pub static EMPTY_SOURCE_SELECTION {
        code: "S3R231",
        name: "empty-source-selection-criteria",
        severity: Error,
        confidence: Observed,
        s3_error: "InvalidRequest: SourceSelectionCriteria cannot be empty",
        summary: "`SourceSelectionCriteria` is present but empty",
        check: check_empty_ssc,
        docs: r#"## What it does
Flags a `SourceSelectionCriteria` with neither `SseKmsEncryptedObjects` nor
`ReplicaModifications`.

## Why it matters
S3 refuses it with `InvalidRequest: SourceSelectionCriteria cannot be empty` (reported from a
real PutBucketReplication in hashicorp/terraform-provider-aws issue 44192, whose debug log
shows the empty element in the request; fixed in PR 47896). Older AWS documentation also
required `SseKmsEncryptedObjects` inside it, and the empty element does nothing in any case.

## Example
```json
{ "ID": "logs", "Status": "Enabled", "Priority": 1, "Filter": {},
  "DeleteMarkerReplication": { "Status": "Disabled" },
  "SourceSelectionCriteria": {},
  "Destination": { "Bucket": "arn:aws:s3:::dst" } }
```

## Fix
Remove it, or add `SseKmsEncryptedObjects` (to replicate SSE-KMS objects) or
`ReplicaModifications`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_SourceSelectionCriteria.html
- https://github.com/hashicorp/terraform-provider-aws/issues/44192
- https://github.com/hashicorp/terraform-provider-aws/pull/47896
"#,
    }
}

fn check_existing(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(eor) = &rule.existing_object_replication else {
            continue;
        };
        cx.report(
            &EXISTING_OBJECT_REPLICATION,
            eor.meta.name_span,
            format!("{}/ExistingObjectReplication", Rule::path(i)),
            "`ExistingObjectReplication` is no longer supported; S3 refuses it with MalformedXML (the AWS CLI does not catch this)",
        )
        .help = Some("Remove it; use S3 Batch Replication to replicate existing objects.".to_string());
    }
}

fn check_empty_ssc(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(ssc) = &rule.source_selection_criteria else {
            continue;
        };
        if ssc.sse_kms_encrypted_objects.is_some() || ssc.replica_modifications.is_some() {
            continue;
        }
        cx.report(
            &EMPTY_SOURCE_SELECTION,
            ssc.meta.name_span,
            format!("{}/SourceSelectionCriteria", Rule::path(i)),
            "`SourceSelectionCriteria` is empty; S3 refuses it: \"SourceSelectionCriteria cannot be empty\"",
        )
        .help = Some("Remove it, or add SseKmsEncryptedObjects or ReplicaModifications.".to_string());
    }
}
