//! Bucket versioning, a fact only the deployment context carries: the source bucket
//! (S3R604) and each destination bucket (S3R322) must have versioning `Enabled`.
//! Without the status in the context, each reports once that it could not verify it (S3R600).

use crate::diagnostic::Severity;
use crate::model::Rule;
use crate::rules::support::facts::first_rule_per_bucket;
use crate::rules::support::labels::rule_label;
use crate::rules::{CheckContext, RulePath};

declare_rule! {
    pub static DESTINATION_VERSIONING {
        code: "S3R322",
        name: "destination-versioning-not-enabled",
        severity: Error,
        confidence: Observed,
        s3_error: "InvalidRequest: Destination bucket must have versioning enabled.",
        summary: "The deployment context says a destination bucket's versioning is not Enabled",
        check: check_destination_versioning,
        docs: r#"## What it does
Reads `destinations.<bucket>.versioning` from the deployment context (`Enabled`, `Suspended`
or `Disabled` for a bucket whose versioning was never turned on) and reports each destination
bucket whose status is not `Enabled`, on the first rule that names it. When only `Disabled`
rules name the bucket the finding is a warning. Without the field, the check reports that it
could not verify the bucket (S3R600).

## Why it matters
Replication copies object versions, so both buckets must keep every version. S3 checks the
destination when the configuration is saved and refuses it with `400 InvalidRequest`
"Destination bucket must have versioning enabled." (the same answer as for a destination
that does not exist). `Suspended` is not enough. If versioning on a destination is suspended
after replication was set up, objects sent there fail with the replication failure reason
`DstBucketUnversioned`. Whether S3 also checks the destinations of disabled rules is not
known, hence only a warning for them.

## Example
<!-- context: {"destinations": {"acme-replica": {"versioning": "Suspended"}}} -->
```xml
<Destination><Bucket>arn:aws:s3:::acme-replica</Bucket></Destination>
```

## Fix
Turn versioning on in the destination bucket
(`aws s3api put-bucket-versioning --bucket acme-replica --versioning-configuration Status=Enabled`)
before saving the replication configuration, and leave it on.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-failure-codes.html
"#,
    }
}

declare_rule! {
    pub static SOURCE_VERSIONING {
        code: "S3R604",
        name: "source-versioning-not-enabled",
        severity: Error,
        confidence: Observed,
        s3_error: "InvalidRequest: Versioning must be 'Enabled' on the bucket to apply a replication configuration",
        summary: "The deployment context says the source bucket's versioning is not Enabled",
        check: check_source_versioning,
        docs: r#"## What it does
Reads `sourceVersioning` from the deployment context (`Enabled`, `Suspended`, or `Disabled`
for a bucket whose versioning was never turned on) and reports a source bucket whose status
is not `Enabled`; reported once. Without the field, the check reports that it could not verify it (S3R600).

## Why it matters
S3 refuses to store a replication configuration on a bucket without versioning:
`400 InvalidRequest` "Versioning must be 'Enabled' on the bucket to apply a replication
configuration". A bucket with `Suspended` versioning is refused too. The document itself can
be perfect; the request still fails.

## Example
<!-- context: {"sourceVersioning": "Suspended"} -->
```xml
<Destination><Bucket>arn:aws:s3:::acme-replica</Bucket></Destination>
```

## Fix
Turn versioning on in the source bucket
(`aws s3api put-bucket-versioning --bucket SOURCE --versioning-configuration Status=Enabled`),
then save the replication configuration. Keep it on while replication is configured.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html
"#,
    }
}

/// What a versioning status means for replication: `None` when it is `Enabled` or a value
/// this check does not know (callers that build the context in code may write anything), else
/// how to describe it.
fn not_enabled(status: &str) -> Option<&'static str> {
    let s = status.trim();
    if s.eq_ignore_ascii_case("Suspended") {
        Some("Suspended")
    } else if s.eq_ignore_ascii_case("Disabled") {
        Some("Disabled (never enabled)")
    } else {
        None
    }
}

fn check_destination_versioning(cx: &mut CheckContext) {
    let doc = cx.doc;
    // Each destination bucket once, on the first rule naming it; an error when an enabled
    // rule uses it.
    let enabled = first_rule_per_bucket(cx, Rule::is_enabled);
    for (i, b, name) in first_rule_per_bucket(cx, |_| true) {
        let span = b.span();
        let enabled = enabled.iter().any(|&(_, _, n)| n == name);
        let Some(versioning) = cx.destination(i).and_then(|d| d.versioning.as_deref()) else {
            cx.unverified_destination(
                &DESTINATION_VERSIONING,
                name,
                "versioning",
                "whether the destination bucket has versioning enabled",
                span,
                RulePath::new(i, "/Destination/Bucket"),
            );
            continue;
        };
        let Some(status) = not_enabled(versioning) else {
            continue;
        };
        let label = doc
            .rules
            .get(i)
            .map(|r| rule_label(r, i))
            .unwrap_or_default();
        let message = if enabled {
            format!(
                "{label} replicates into `{name}`, whose versioning is {status} (from the deployment context): S3 refuses the configuration with \"Destination bucket must have versioning enabled.\""
            )
        } else {
            format!(
                "{label} names `{name}`, whose versioning is {status} (from the deployment context); only disabled rules use it, so S3 may accept the configuration, but enabling them needs versioning on `{name}`"
            )
        };
        let d = cx.report(
            &DESTINATION_VERSIONING,
            span,
            RulePath::new(i, "/Destination/Bucket"),
            message,
        );
        if !enabled {
            d.severity = Severity::Warning;
        }
        d.help = Some(format!(
            "Enable versioning on `{name}` (put-bucket-versioning with Status=Enabled) and keep it on; suspending it later makes replication to it fail with DstBucketUnversioned."
        ));
    }
}

fn check_source_versioning(cx: &mut CheckContext) {
    // The whole configuration is refused: point at the rule list (JSON `"Rules"` key, else the
    // first `<Rule>` tag), or at the root when there is none.
    let (span, path) = match (&cx.doc.rules_meta, cx.doc.rules.first()) {
        (Some(m), _) if !m.name_span.is_empty() => (m.name_span, "/Rules".to_string()),
        (_, Some(r)) => (r.meta.name_span, Rule::path(0)),
        _ => (cx.doc.meta.name_span, String::new()),
    };
    let Some(versioning) = cx.ctx.raw.source_versioning.as_deref() else {
        cx.unverified(
            &SOURCE_VERSIONING,
            "sourceVersioning",
            "whether the source bucket has versioning enabled",
            span,
            path,
        );
        return;
    };
    let Some(status) = not_enabled(versioning) else {
        return;
    };
    let bucket = match cx.ctx.source_bucket.as_deref() {
        Some(b) => format!("The source bucket `{b}`"),
        None => "The source bucket".to_string(),
    };
    let mut message = format!(
        "{bucket} has versioning {status} (from the deployment context): S3 refuses the configuration with \"Versioning must be 'Enabled' on the bucket to apply a replication configuration\""
    );
    if cx.ctx.raw.object_lock == Some(true) {
        // Object Lock needs versioning, and versioning cannot be suspended under it.
        message.push_str("; `objectLock` is true too, but an Object Lock bucket always has versioning Enabled, so one of the two is wrong");
    }
    let d = cx.report(&SOURCE_VERSIONING, span, path, message);
    d.help = Some(
        "Enable versioning on the source bucket (put-bucket-versioning with Status=Enabled) before saving the replication configuration."
            .into(),
    );
}

#[cfg(test)]
mod tests {
    use crate::{check, CheckOptions, DeploymentContext, Severity};

    const DOC: &str = r#"{ "Role": "arn:aws:iam::111122223333:role/replication",
  "Rules": [
    { "ID": "a", "Status": "Enabled", "Priority": 1, "Filter": { "Prefix": "a/" },
      "DeleteMarkerReplication": { "Status": "Disabled" },
      "Destination": { "Bucket": "arn:aws:s3:::dst-one" } },
    { "ID": "b", "Status": "Disabled", "Priority": 2, "Filter": { "Prefix": "b/" },
      "DeleteMarkerReplication": { "Status": "Disabled" },
      "Destination": { "Bucket": "arn:aws:s3:::dst-two" } },
    { "ID": "c", "Status": "Enabled", "Priority": 3, "Filter": { "Prefix": "c/" },
      "DeleteMarkerReplication": { "Status": "Disabled" },
      "Destination": { "Bucket": "arn:aws:s3:::dst-one" } } ] }"#;

    fn findings(text: &str, ctx: &str, code: &str) -> Vec<(Severity, String, String)> {
        let context = DeploymentContext::from_json(ctx).expect("context");
        check(
            text,
            &CheckOptions {
                format: None,
                context,
            },
        )
        .diagnostics
        .into_iter()
        .filter(|d| d.code == code)
        .map(|d| (d.severity, d.path, d.message))
        .collect()
    }

    #[test]
    fn destination_reported_once_per_bucket_and_softened_for_disabled_rules() {
        let ctx = r#"{"destinations": {
            "dst-one": {"versioning": "Suspended"},
            "arn:aws:s3:::dst-two": {"versioning": "Disabled"}}}"#;
        let f = findings(DOC, ctx, "S3R322");
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].0, Severity::Error);
        assert_eq!(f[0].1, "/Rules/0/Destination/Bucket");
        assert!(f[0].2.contains("Suspended"), "{}", f[0].2);
        assert_eq!(f[1].0, Severity::Warning);
        assert_eq!(f[1].1, "/Rules/1/Destination/Bucket");
        assert!(f[1].2.contains("never enabled"), "{}", f[1].2);
    }

    #[test]
    fn enabled_or_unknown_status_is_silent() {
        for ctx in [
            r#"{"destinations": {"dst-one": {"versioning": "Enabled"}}}"#,
            r#"{"destinations": {"dst-one": {"region": "us-west-2"}}}"#,
            r#"{"destinations": {"elsewhere": {"versioning": "Suspended"}}}"#,
            r#"{}"#,
        ] {
            assert!(findings(DOC, ctx, "S3R322").is_empty(), "{ctx}");
        }
        assert!(findings(DOC, r#"{"sourceVersioning": "Enabled"}"#, "S3R604").is_empty());
        assert!(findings(DOC, r#"{}"#, "S3R604").is_empty());
    }

    #[test]
    fn missing_status_is_reported_as_not_verified() {
        let f = findings(DOC, "{}", "S3R600");
        for (path, what) in [
            ("/Rules", "source bucket has versioning enabled (S3R604)"),
            (
                "/Rules/0/Destination/Bucket",
                "destination bucket has versioning enabled (S3R322)",
            ),
            (
                "/Rules/1/Destination/Bucket",
                "destination bucket has versioning enabled (S3R322)",
            ),
        ] {
            assert!(
                f.iter().any(|(_, p, m)| p == path && m.contains(what)),
                "{what}: {f:?}"
            );
        }
    }

    #[test]
    fn source_reported_once_even_without_rules() {
        let f = findings(DOC, r#"{"sourceVersioning": "Disabled"}"#, "S3R604");
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].0, Severity::Error);
        let empty = r#"{ "Role": "arn:aws:iam::111122223333:role/replication", "Rules": [] }"#;
        let f = findings(
            empty,
            r#"{"sourceVersioning": "Suspended", "sourceBucket": "acme"}"#,
            "S3R604",
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].2.contains("`acme`"), "{}", f[0].2);
    }

    #[test]
    fn statuses() {
        assert_eq!(super::not_enabled("Enabled"), None);
        assert_eq!(super::not_enabled(" suspended "), Some("Suspended"));
        assert_eq!(super::not_enabled("what"), None);
        assert_eq!(super::not_enabled(""), None);
    }

    #[test]
    fn object_lock_with_suspended_source_versioning_is_a_contradiction() {
        let f = findings(
            DOC,
            r#"{"sourceVersioning": "Suspended", "objectLock": true}"#,
            "S3R604",
        );
        assert!(
            f.len() == 1 && f[0].2.contains("one of the two is wrong"),
            "{f:?}"
        );
        let f = findings(DOC, r#"{"sourceVersioning": "Suspended"}"#, "S3R604");
        assert!(f.len() == 1 && !f[0].2.contains("objectLock"), "{f:?}");
    }
}
