//! SseKmsEncryptedObjects <-> EncryptionConfiguration/ReplicaKmsKeyID (S3R400-S3R402).

use super::{encryption, sse_kms_objects, use_source_mrk};
use crate::diagnostic::Severity;
use crate::model::Rule;
use crate::rules::support::edit::{format_of, Node};
use crate::rules::support::fixes::{insert_after, set_fix};
use crate::rules::CheckContext;

declare_rule! {
    pub static MISSING_REPLICA_KEY {
        code: "S3R400",
        name: "sse-kms-without-replica-key",
        severity: Error,
        confidence: Observed,
        s3_error: "InvalidRequest: ReplicaKmsKeyID must be specified if SseKmsEncryptedObjects tag is present.",
        summary: "SseKmsEncryptedObjects needs Destination/EncryptionConfiguration/ReplicaKmsKeyID",
        check: check_missing_key,
        docs: r#"## What it does
Reports a rule with `SourceSelectionCriteria/SseKmsEncryptedObjects` whose destination has no
`EncryptionConfiguration/ReplicaKmsKeyID`. With `UseSourceMultiRegionKey` enabled the key may
be omitted (undocumented either way), so nothing is reported then. With the status `Disabled`
it is a warning: S3's message speaks of the element being present, but only the enabled case
has been seen.

## Why it matters
S3 must know which key encrypts the replicas of SSE-KMS objects and rejects the rule.
S3 answers `InvalidRequest: ReplicaKmsKeyID must be specified if SseKmsEncryptedObjects tag is present.`

## Example
```xml
<SourceSelectionCriteria><SseKmsEncryptedObjects><Status>Enabled</Status></SseKmsEncryptedObjects></SourceSelectionCriteria>
<Destination><Bucket>arn:aws:s3:::acme-replica</Bucket></Destination>
```

## Fix
Add `<EncryptionConfiguration><ReplicaKmsKeyID>arn:aws:kms:REGION:ACCOUNT:key/ID</ReplicaKmsKeyID></EncryptionConfiguration>`
with a key in the destination bucket's Region.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_EncryptionConfiguration.html
"#,
    }
}

declare_rule! {
    pub static MISSING_SELECTION {
        code: "S3R401",
        name: "encryption-without-sse-kms-selection",
        severity: Error,
        confidence: Observed,
        s3_error: "InvalidRequest: SseKmsEncryptedObjects must be specified if EncryptionConfiguration is present.",
        summary: "EncryptionConfiguration needs SourceSelectionCriteria/SseKmsEncryptedObjects",
        check: check_missing_selection,
        docs: r#"## What it does
Reports `Destination/EncryptionConfiguration` in a rule without
`SourceSelectionCriteria/SseKmsEncryptedObjects`, and offers to add it (enabled).

## Why it matters
S3 rejects the rule. The replica key is only used for objects the rule opts in with
`SseKmsEncryptedObjects`.
S3 answers `InvalidRequest: SseKmsEncryptedObjects must be specified if EncryptionConfiguration is present.`

## Example
```xml
<Destination>
  <Bucket>arn:aws:s3:::acme-replica</Bucket>
  <EncryptionConfiguration><ReplicaKmsKeyID>arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab</ReplicaKmsKeyID></EncryptionConfiguration>
</Destination>
```

## Fix
Add `<SourceSelectionCriteria><SseKmsEncryptedObjects><Status>Enabled</Status></SseKmsEncryptedObjects></SourceSelectionCriteria>`,
or remove `EncryptionConfiguration`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
"#,
    }
}

declare_rule! {
    pub static KEY_UNUSED {
        code: "S3R402",
        name: "replica-key-unused",
        severity: Warning,
        confidence: Inferred,
        summary: "A replica key is set but SseKmsEncryptedObjects is Disabled",
        check: check_key_unused,
        docs: r#"## What it does
Warns when a rule names a `ReplicaKmsKeyID` but sets `SseKmsEncryptedObjects/Status` to
`Disabled`.

## Why it matters
SSE-KMS and DSSE-KMS objects are then not replicated at all, and the key is never used; that
is rarely what the author meant.

## Example
```xml
<SourceSelectionCriteria><SseKmsEncryptedObjects><Status>Disabled</Status></SseKmsEncryptedObjects></SourceSelectionCriteria>
<Destination>
  <Bucket>arn:aws:s3:::acme-replica</Bucket>
  <EncryptionConfiguration><ReplicaKmsKeyID>arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab</ReplicaKmsKeyID></EncryptionConfiguration>
</Destination>
```

## Fix
Set the status to `Enabled`, or remove the encryption configuration.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
"#,
    }
}

fn check_missing_key(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(sse) = sse_kms_objects(rule) else {
            continue;
        };
        if encryption(rule).is_some_and(|e| e.replica_kms_key_id.is_some()) || use_source_mrk(rule)
        {
            continue;
        }
        let disabled = !sse.is_enabled();
        let d = cx.report(
            &MISSING_REPLICA_KEY,
            sse.meta.name_span,
            format!("{}/SourceSelectionCriteria/SseKmsEncryptedObjects", Rule::path(i)),
            if disabled {
                "SseKmsEncryptedObjects is present (though Disabled) without a ReplicaKmsKeyID; S3's check is worded on presence"
            } else {
                "SseKmsEncryptedObjects needs Destination/EncryptionConfiguration/ReplicaKmsKeyID"
            },
        );
        d.help = Some("Add the ARN of a customer managed KMS key in the destination bucket's Region as ReplicaKmsKeyID.".into());
        if disabled {
            d.severity = Severity::Warning;
        }
    }
}

fn check_missing_selection(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(enc) = encryption(rule) else {
            continue;
        };
        let ssc = rule.source_selection_criteria.as_ref();
        if ssc.is_some_and(|s| s.sse_kms_encrypted_objects.is_some()) {
            continue;
        }
        let format = format_of(doc, cx.text);
        let edit = match ssc {
            Some(s) => s.replica_modifications.as_ref().and_then(|rm| {
                insert_after(
                    doc,
                    cx.text,
                    &rm.meta,
                    Node::status_block("SseKmsEncryptedObjects", "Enabled", format),
                )
            }),
            None => rule.status.as_ref().and_then(|st| {
                insert_after(
                    doc,
                    cx.text,
                    &st.meta,
                    Node::Block(
                        "SourceSelectionCriteria",
                        vec![Node::status_block(
                            "SseKmsEncryptedObjects",
                            "Enabled",
                            format,
                        )],
                    ),
                )
            }),
        };
        let d = cx.report(
            &MISSING_SELECTION,
            enc.meta.name_span,
            format!("{}/Destination/EncryptionConfiguration", Rule::path(i)),
            "EncryptionConfiguration needs SourceSelectionCriteria/SseKmsEncryptedObjects in the same rule",
        );
        if let Some(e) = edit {
            set_fix(
                d,
                "Replicate SSE-KMS objects (add SseKmsEncryptedObjects Enabled)",
                vec![e],
            );
        }
    }
}

fn check_key_unused(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(sse) = sse_kms_objects(rule) else {
            continue;
        };
        if sse.status.as_ref().map(|s| s.as_str()) != Some("Disabled") {
            continue;
        }
        let Some(key) = encryption(rule).and_then(|e| e.replica_kms_key_id.as_ref()) else {
            continue;
        };
        let d = cx.report(
            &KEY_UNUSED,
            key.span(),
            format!("{}/Destination/EncryptionConfiguration/ReplicaKmsKeyID", Rule::path(i)),
            "This replica key is never used: SseKmsEncryptedObjects is Disabled, so SSE-KMS objects are not replicated",
        );
        let span = sse.status.as_ref().map_or(sse.meta.name_span, |s| s.span());
        *d = d
            .clone()
            .with_related(span, "SSE-KMS objects are skipped here");
    }
}
