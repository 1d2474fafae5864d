//! `Status` values: only `Enabled` and `Disabled`, spelled exactly (S3R200); and the
//! informational "every rule is Disabled" (S3R232).

use super::edit::replace_string_value;
use crate::diagnostic::Diagnostic;
use crate::model::{Rule, Str, Val};
use crate::rules::{CheckContext, RulePath};

declare_rule! {
    pub static INVALID_STATUS {
        code: "S3R200",
        name: "invalid-status-value",
        severity: Error,
        confidence: Documented,
        s3_error: "MalformedXML: The XML you provided was not well-formed or did not validate against our published schema",
        summary: "A Status is neither `Enabled` nor `Disabled` (the values are case-sensitive)",
        check: check_status_values,
        docs: r#"## What it does
Checks every `Status` in the document: the rule's own, and the ones inside
`DeleteMarkerReplication`, `SourceSelectionCriteria/SseKmsEncryptedObjects`,
`SourceSelectionCriteria/ReplicaModifications`, `Destination/ReplicationTime`,
`Destination/Metrics` and `EncryptionConfiguration/UseSourceMultiRegionKey`. The only values
are `Enabled` and `Disabled`, with that capitalisation. Wrong case and stray spaces get a fix.

## Why it matters
The API reference lists exactly two valid values. The AWS CLI does not check enum values, so
`enabled` reaches S3, which validates the body against its schema. The exact response is not
confirmed from a live call (`MalformedXML` is the expected answer); if a value were stored
anyway, it is not `Enabled`, so the feature would be off. Either way the document does not do
what it says.

## Example
```json
{ "Role": "arn:aws:iam::111122223333:role/replication",
  "Rules": [ { "ID": "all", "Status": "enabled", "Priority": 1, "Filter": {},
               "DeleteMarkerReplication": { "Status": "Disabled" },
               "Destination": { "Bucket": "arn:aws:s3:::dst" } } ] }
```

## Fix
Write `Enabled` or `Disabled`. The quick fix corrects the capitalisation.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRule.html
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteMarkerReplication.html
"#,
    }
}

declare_rule! {
    pub static ALL_RULES_DISABLED {
        code: "S3R232",
        name: "all-rules-disabled",
        severity: Info,
        confidence: Inferred,
        summary: "Every rule is Disabled: the configuration is accepted but replicates nothing",
        check: check_all_disabled,
        docs: r#"## What it does
Notes when every rule has `Status` `Disabled`.

## Why it matters
S3 stores the configuration, but no object is replicated. That is fine while preparing a
setup; it is a surprise if you expected replication to be running.

## Example
```xml
<ReplicationConfiguration>
  <Role>arn:aws:iam::111122223333:role/replication</Role>
  <Rule>
    <ID>paused</ID><Status>Disabled</Status><Priority>1</Priority><Filter/>
    <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
    <Destination><Bucket>arn:aws:s3:::dst</Bucket></Destination>
  </Rule>
</ReplicationConfiguration>
```

## Fix
Set `Status` to `Enabled` on the rules that should run, or delete the configuration.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRule.html
"#,
    }
}

const VALUES: [&str; 2] = ["Enabled", "Disabled"];

/// Every `Status` value of rule `i` with its path (ExistingObjectReplication is left to
/// S3R230).
fn each_status<'r>(rule: &'r Rule, i: usize, mut f: impl FnMut(&'r Val<Str>, RulePath)) {
    if let Some(s) = &rule.status {
        f(s, RulePath::new(i, "/Status"));
    }
    if let Some(s) = rule
        .delete_marker_replication
        .as_ref()
        .and_then(|b| b.status.as_ref())
    {
        f(s, RulePath::new(i, "/DeleteMarkerReplication/Status"));
    }
    if let Some(c) = &rule.source_selection_criteria {
        if let Some(s) = c
            .sse_kms_encrypted_objects
            .as_ref()
            .and_then(|b| b.status.as_ref())
        {
            f(
                s,
                RulePath::new(i, "/SourceSelectionCriteria/SseKmsEncryptedObjects/Status"),
            );
        }
        if let Some(s) = c
            .replica_modifications
            .as_ref()
            .and_then(|b| b.status.as_ref())
        {
            f(
                s,
                RulePath::new(i, "/SourceSelectionCriteria/ReplicaModifications/Status"),
            );
        }
    }
    if let Some(d) = &rule.destination {
        if let Some(s) = d
            .encryption_configuration
            .as_ref()
            .and_then(|e| e.use_source_multi_region_key.as_ref())
            .and_then(|b| b.status.as_ref())
        {
            f(
                s,
                RulePath::new(
                    i,
                    "/Destination/EncryptionConfiguration/UseSourceMultiRegionKey/Status",
                ),
            );
        }
        if let Some(s) = d.replication_time.as_ref().and_then(|r| r.status.as_ref()) {
            f(s, RulePath::new(i, "/Destination/ReplicationTime/Status"));
        }
        if let Some(s) = d.metrics.as_ref().and_then(|m| m.status.as_ref()) {
            f(s, RulePath::new(i, "/Destination/Metrics/Status"));
        }
    }
}

fn check_status_values(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        each_status(rule, i, |status, path| {
            let v = status.as_str();
            if VALUES.contains(&v) {
                return;
            }
            let intended = VALUES
                .iter()
                .find(|ok| ok.eq_ignore_ascii_case(v.trim()))
                .copied();
            let shown = super::shorten(v, 40);
            let message = match intended {
                Some(ok) => format!(
                    "Status `{shown}` must be written exactly `{ok}`: the value is case-sensitive and S3 does not trim it"
                ),
                None if v.trim().is_empty() => "Status is empty; it must be `Enabled` or `Disabled`".to_string(),
                None => format!("Status `{shown}` is not a valid value; use `Enabled` or `Disabled`"),
            };
            let span = status.span();
            let mut d = Diagnostic::new(
                INVALID_STATUS.code,
                INVALID_STATUS.severity,
                span,
                path.build(),
                message,
            )
            .with_help(
                "Valid values: Enabled | Disabled. The AWS CLI does not check this; S3 does.",
            );
            if let Some(ok) = intended {
                let edit = replace_string_value(cx.text, span, ok);
                d = d.with_fix(format!("Change to `{ok}`"), vec![(span, edit)]);
            }
            super::emit(cx, &INVALID_STATUS, d);
        });
    }
}

fn check_all_disabled(cx: &mut CheckContext) {
    let doc = cx.doc;
    if doc.rules.is_empty() {
        return;
    }
    let all_disabled = doc
        .rules
        .iter()
        .all(|r| r.status.as_ref().is_some_and(|s| s.value == "Disabled"));
    if !all_disabled {
        return;
    }
    let Some(first) = doc.rules[0].status.as_ref() else {
        return;
    };
    let n = doc.rules.len();
    let message = if n == 1 {
        "The only rule is Disabled: S3 accepts this configuration, but nothing is replicated"
            .to_string()
    } else {
        format!(
            "All {n} rules are Disabled: S3 accepts this configuration, but nothing is replicated"
        )
    };
    cx.report(
        &ALL_RULES_DISABLED,
        first.span(),
        "/Rules/0/Status",
        message,
    )
    .help = Some("Set `Status` to `Enabled` on the rules that should replicate.".to_string());
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{apply_fix, codes};

    const JSON: &str = r#"{
  "Role": "arn:aws:iam::111122223333:role/replication",
  "Rules": [
    {
      "ID": "all",
      "Status": "enabled",
      "Priority": 1,
      "Filter": {},
      "DeleteMarkerReplication": { "Status": "DISABLED" },
      "Destination": { "Bucket": "arn:aws:s3:::dst" }
    }
  ]
}"#;

    #[test]
    fn case_fixes_json() {
        let once = apply_fix(JSON, "S3R200", 0);
        assert!(once.contains(r#""Status": "Enabled""#), "{once}");
        let twice = apply_fix(&once, "S3R200", 0);
        assert!(twice.contains(r#"{ "Status": "Disabled" }"#), "{twice}");
        assert!(!codes(&twice).contains(&"S3R200"));
    }

    #[test]
    fn case_fix_xml_trims_spaces() {
        let xml = "<ReplicationConfiguration><Role>arn:aws:iam::111122223333:role/r</Role><Rule><ID>a</ID><Status> Enabled </Status><Priority>1</Priority><Filter/><DeleteMarkerReplication><Status>disabled</Status></DeleteMarkerReplication><Destination><Bucket>arn:aws:s3:::dst</Bucket></Destination></Rule></ReplicationConfiguration>";
        let fixed = apply_fix(xml, "S3R200", 0);
        let fixed = apply_fix(&fixed, "S3R200", 0);
        assert!(fixed.contains("<Status>Enabled</Status>"), "{fixed}");
        assert!(fixed.contains("<Status>Disabled</Status>"), "{fixed}");
    }

    #[test]
    fn unknown_values_have_no_fix() {
        let text = JSON.replace("enabled", "on");
        let d = super::super::testutil::diagnostics(&text);
        let d = d.iter().find(|d| d.code == "S3R200").expect("reported");
        assert!(d.fix.is_none());
    }
}
