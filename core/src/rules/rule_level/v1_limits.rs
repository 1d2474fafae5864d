//! Features that only V2 rules may use: `ReplicaModifications` and Replication Time Control
//! (S3R208). `Priority` and `DeleteMarkerReplication` have their own codes.

use crate::model::{Rule, SchemaVersion};
use crate::rules::CheckContext;
use crate::Severity;

declare_rule! {
    pub static V2_FEATURE_IN_V1 {
        code: "S3R208",
        name: "v2-feature-in-v1-rule",
        severity: Error,
        confidence: Documented,
        summary: "A V1 rule uses ReplicaModifications or Replication Time Control, which need V2",
        check: check,
        docs: r#"## What it does
Flags `SourceSelectionCriteria/ReplicaModifications` and `Destination/ReplicationTime` in a
rule that uses the V1 rule-level `Prefix`, and warns about `Destination/Metrics` there.

## Why it matters
The API reference says of `ReplicaModifications`: "In the earlier version, this element is
not allowed". The user guide defines V2 configurations as those with `Filter` "and rules that
specify S3 RTC", so RTC implies V2. Metrics without RTC in a V1 rule is not covered by any
source, so it is only a warning. The exact S3 messages are unknown.

## Example
```xml
<Rule>
  <ID>logs</ID>
  <Status>Enabled</Status>
  <Prefix>logs/</Prefix>
  <SourceSelectionCriteria>
    <ReplicaModifications><Status>Enabled</Status></ReplicaModifications>
  </SourceSelectionCriteria>
  <Destination><Bucket>arn:aws:s3:::dst</Bucket></Destination>
</Rule>
```

## Fix
Convert the document to V2 (the legacy-schema warning S3R233 offers the conversion).

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_SourceSelectionCriteria.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html
"#,
    }
}

fn check(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        if rule.schema_version() != Some(SchemaVersion::V1) {
            continue;
        }
        let base = Rule::path(i);
        let help = "Convert the rule to V2: move `Prefix` into `Filter`, add `Priority` and `DeleteMarkerReplication`.";
        if let Some(rm) = rule
            .source_selection_criteria
            .as_ref()
            .and_then(|s| s.replica_modifications.as_ref())
        {
            cx.report(
                &V2_FEATURE_IN_V1,
                rm.meta.name_span,
                format!("{base}/SourceSelectionCriteria/ReplicaModifications"),
                "`ReplicaModifications` is not allowed in a V1 rule (rule-level `Prefix`); it needs the V2 schema",
            )
            .help = Some(help.to_string());
        }
        let Some(dest) = &rule.destination else {
            continue;
        };
        if let Some(rt) = &dest.replication_time {
            cx.report(
                &V2_FEATURE_IN_V1,
                rt.meta.name_span,
                format!("{base}/Destination/ReplicationTime"),
                "Replication Time Control is a V2 feature; this rule uses the V1 rule-level `Prefix`",
            )
            .help = Some(help.to_string());
        } else if let Some(m) = &dest.metrics {
            let d = cx.report(
                &V2_FEATURE_IN_V1,
                m.meta.name_span,
                format!("{base}/Destination/Metrics"),
                "Replication metrics in a V1 rule: no source says whether S3 allows this (unverified)",
            );
            d.severity = Severity::Warning;
            d.help = Some(help.to_string());
        }
    }
}
