//! `DeleteMarkerReplication`: required in V2 rules (S3R204), forbidden in V1 rules (S3R207),
//! `Disabled` whenever the filter has a tag (S3R212), and it should say its `Status` (S3R213).

use super::edit::{format_of, replace_string_value, Layout, Node};
use crate::diagnostic::Diagnostic;
use crate::model::{Rule, SchemaVersion};
use crate::rules::CheckContext;
use crate::source::Span;

declare_rule! {
    pub static MISSING_DELETE_MARKER_REPLICATION {
        code: "S3R204",
        name: "missing-delete-marker-replication",
        severity: Error,
        confidence: Observed,
        s3_error: "InvalidRequest: DeleteMarkerReplication must be specified for this version of Cross Region Replication configuration schema.",
        summary: "A V2 rule (one with `Filter`) has no `DeleteMarkerReplication`",
        check: check_missing,
        docs: r#"## What it does
Flags V2 rules without `DeleteMarkerReplication` and offers to add it with `Status`
`Disabled`.

## Why it matters
S3 refuses the request: "DeleteMarkerReplication must be specified for this version of Cross
Region Replication configuration schema." The AWS CLI does not catch it.

## Example
```xml
<Rule>
  <ID>logs</ID>
  <Status>Enabled</Status>
  <Priority>1</Priority>
  <Filter><Prefix>logs/</Prefix></Filter>
  <Destination><Bucket>arn:aws:s3:::dst</Bucket></Destination>
</Rule>
```

## Fix
Add `DeleteMarkerReplication`. The quick fix writes `Disabled`: it is the console's default
for new rules, the only value allowed for rules that filter on tags, and it needs no extra
permission. Choose `Enabled` if deleting an object in the source should also hide it in the
destination (the role then needs `s3:ReplicateDelete`; tag-filtered rules cannot do it). When
converting a V1 document, the V1 -> V2 fix (S3R233) writes `Enabled` instead, because V1
already replicated delete markers.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/delete-marker-replication.html
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteMarkerReplication.html
"#,
    }
}

declare_rule! {
    pub static DELETE_MARKER_REPLICATION_IN_V1 {
        code: "S3R207",
        name: "delete-marker-replication-in-v1-rule",
        severity: Error,
        confidence: Observed,
        s3_error: "InvalidRequest: DeleteMarkerReplication cannot be used for this version of Cross Region Replication configuration schema. Please refer to S3 Developer Guide for more information.",
        summary: "A V1 rule (rule-level `Prefix`) has `DeleteMarkerReplication`, which only V2 allows",
        check: check_in_v1,
        docs: r#"## What it does
Flags `DeleteMarkerReplication` in a rule that uses the V1 rule-level `Prefix`.

## Why it matters
S3 refuses the request with the message above. A V1 rule always replicates the delete
markers of user DELETE requests; it cannot be configured.

## Example
```xml
<Rule>
  <ID>logs</ID>
  <Status>Enabled</Status>
  <Prefix>logs/</Prefix>
  <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
  <Destination><Bucket>arn:aws:s3:::dst</Bucket></Destination>
</Rule>
```

## Fix
Convert the rule to V2 (`<Filter><Prefix>logs/</Prefix></Filter>` plus `Priority`), or drop
`DeleteMarkerReplication` to stay on V1.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html
"#,
    }
}

declare_rule! {
    pub static DELETE_MARKERS_WITH_TAGS {
        code: "S3R212",
        name: "delete-marker-replication-with-tag-filter",
        severity: Error,
        confidence: Documented,
        s3_error: "InvalidRequest: Delete marker replication is not supported if any Tag filter is specified. Please refer to S3 Developer Guide for more information.",
        summary: "Delete-marker replication is Enabled on a rule whose filter uses a tag",
        check: check_with_tags,
        docs: r#"## What it does
Flags `DeleteMarkerReplication` `Enabled` in a rule whose filter contains a tag anywhere:
`Filter/Tag`, `And/Tag`, or a tag inside `Not` or `Not/Or`.

## Why it matters
The S3 documentation says the status must be `Disabled` for tag-based rules: a delete marker
carries no tags, so S3 cannot decide whether it matches. The message shown is the one
S3-compatible services return; the requirement itself is documented.

## Example
```xml
<Rule>
  <ID>tagged</ID>
  <Status>Enabled</Status>
  <Priority>1</Priority>
  <Filter><Tag><Key>replicate</Key><Value>yes</Value></Tag></Filter>
  <DeleteMarkerReplication><Status>Enabled</Status></DeleteMarkerReplication>
  <Destination><Bucket>arn:aws:s3:::dst</Bucket></Destination>
</Rule>
```

## Fix
Set the status to `Disabled` (the quick fix), or use a prefix-only rule for the objects whose
deletions must be replicated.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/delete-marker-replication.html
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteMarkerReplication.html
"#,
    }
}

declare_rule! {
    pub static DELETE_MARKERS_WITHOUT_STATUS {
        code: "S3R213",
        name: "delete-marker-replication-without-status",
        severity: Warning,
        confidence: Inferred,
        summary: "`DeleteMarkerReplication` is present but has no `Status`",
        check: check_without_status,
        docs: r#"## What it does
Flags an empty `DeleteMarkerReplication` block.

## Why it matters
The API model makes `Status` optional here, unlike every other status block, and no source
says what S3 does without it (reject, or treat it as `Disabled`). Say what you mean.
Evidence: searched public bug trackers (Terraform AWS provider, Pulumi, Crossplane, ACK, CDK,
LocalStack, moto) for S3's answer; none found.

## Example
```json
{ "ID": "logs", "Status": "Enabled", "Priority": 1, "Filter": {},
  "DeleteMarkerReplication": {},
  "Destination": { "Bucket": "arn:aws:s3:::dst" } }
```

## Fix
Add `"Status": "Disabled"` (or `Enabled` to replicate delete markers).

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteMarkerReplication.html
"#,
    }
}

fn check_missing(cx: &mut CheckContext) {
    let doc = cx.doc;
    let format = format_of(doc, cx.text);
    for (i, rule) in doc.rules.iter().enumerate() {
        if rule.schema_version() != Some(SchemaVersion::V2)
            || rule.delete_marker_replication.is_some()
        {
            continue;
        }
        let Some(filter) = &rule.filter else { continue };
        let tagged = !rule.filter_tags().is_empty();
        let layout = Layout::of(cx.text, format, &rule.meta, &filter.meta);
        let insert = layout.after(&[Node::status_block(
            "DeleteMarkerReplication",
            "Disabled",
            format,
        )]);
        let at = Span::empty(filter.meta.span.end as usize);
        let help = if tagged {
            "Add DeleteMarkerReplication with Status Disabled (the only value allowed when the filter uses tags)."
        } else {
            "Add DeleteMarkerReplication: Disabled (the console's default) or Enabled to replicate delete markers (needs s3:ReplicateDelete)."
        };
        let d = Diagnostic::new(
            MISSING_DELETE_MARKER_REPLICATION.code,
            MISSING_DELETE_MARKER_REPLICATION.severity,
            filter.meta.name_span,
            Rule::path(i),
            "This rule has a `Filter` (V2 schema) but no `DeleteMarkerReplication`; S3 refuses: \"DeleteMarkerReplication must be specified for this version of Cross Region Replication configuration schema.\"",
        )
        .with_help(help)
        .with_fix("Add DeleteMarkerReplication with Status Disabled", vec![(at, insert)]);
        super::emit(cx, &MISSING_DELETE_MARKER_REPLICATION, d);
    }
}

fn check_in_v1(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        if rule.schema_version() != Some(SchemaVersion::V1) {
            continue;
        }
        let Some(dmr) = &rule.delete_marker_replication else {
            continue;
        };
        cx.report(
            &DELETE_MARKER_REPLICATION_IN_V1,
            dmr.meta.name_span,
            format!("{}/DeleteMarkerReplication", Rule::path(i)),
            "`DeleteMarkerReplication` cannot be used in a V1 rule (rule-level `Prefix`); S3 refuses: \"DeleteMarkerReplication cannot be used for this version of Cross Region Replication configuration schema\"",
        )
        .help = Some("Move the prefix into `Filter` (V2) and add `Priority`, or remove `DeleteMarkerReplication` (V1 replicates delete markers anyway).".to_string());
    }
}

fn check_with_tags(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        if !rule.delete_markers_enabled() {
            continue;
        }
        let tags = rule.filter_tags();
        let Some(first_tag) = tags.first() else {
            continue;
        };
        let Some(status) = rule
            .delete_marker_replication
            .as_ref()
            .and_then(|d| d.status.as_ref())
        else {
            continue;
        };
        let span = status.span();
        let edit = replace_string_value(cx.text, span, "Disabled");
        let d = Diagnostic::new(
            DELETE_MARKERS_WITH_TAGS.code,
            DELETE_MARKERS_WITH_TAGS.severity,
            span,
            format!("{}/DeleteMarkerReplication/Status", Rule::path(i)),
            "Delete-marker replication must be Disabled when the filter uses a tag; S3 does not support it for tag-based rules",
        )
        .with_related(first_tag.meta.name_span, "this tag makes the rule tag-based")
        .with_help("Delete markers carry no tags, so S3 cannot match them against a tag filter.")
        .with_fix("Set DeleteMarkerReplication to Disabled", vec![(span, edit)]);
        super::emit(cx, &DELETE_MARKERS_WITH_TAGS, d);
    }
}

fn check_without_status(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(dmr) = &rule.delete_marker_replication else {
            continue;
        };
        if dmr.status.is_some() || rule.schema_version() == Some(SchemaVersion::V1) {
            continue;
        }
        cx.report(
            &DELETE_MARKERS_WITHOUT_STATUS,
            dmr.meta.name_span,
            format!("{}/DeleteMarkerReplication", Rule::path(i)),
            "`DeleteMarkerReplication` has no `Status`; what S3 does then is undocumented",
        )
        .help = Some("Add Status Disabled (or Enabled to replicate delete markers).".to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{apply_fix, codes};

    const XML: &str = "<ReplicationConfiguration>
  <Role>arn:aws:iam::111122223333:role/replication</Role>
  <Rule>
    <ID>logs</ID>
    <Status>Enabled</Status>
    <Priority>1</Priority>
    <Filter>
      <Prefix>logs/</Prefix>
    </Filter>
    <Destination>
      <Bucket>arn:aws:s3:::dst</Bucket>
    </Destination>
  </Rule>
</ReplicationConfiguration>
";

    #[test]
    fn adds_disabled_block_with_sibling_indentation() {
        let fixed = apply_fix(XML, "S3R204", 0);
        assert!(
            fixed.contains("    </Filter>\n    <DeleteMarkerReplication>\n      <Status>Disabled</Status>\n    </DeleteMarkerReplication>\n    <Destination>"),
            "{fixed}"
        );
    }

    #[test]
    fn adds_block_in_compact_json_and_crlf_xml() {
        let json = r#"{"Role":"arn:aws:iam::111122223333:role/r","Rules":[{"ID":"a","Status":"Enabled","Priority":1,"Filter":{"Tag":{"Key":"k","Value":"v"}},"Destination":{"Bucket":"arn:aws:s3:::dst"}}]}"#;
        let fixed = apply_fix(json, "S3R204", 0);
        assert!(
            fixed.contains(r#""DeleteMarkerReplication": {"Status": "Disabled"}"#),
            "{fixed}"
        );
        let crlf = XML.replace('\n', "\r\n");
        let fixed = apply_fix(&crlf, "S3R204", 0);
        assert!(
            fixed.contains("</Filter>\r\n    <DeleteMarkerReplication>\r\n"),
            "{fixed}"
        );
    }

    #[test]
    fn tag_rule_enabled_is_set_to_disabled() {
        let xml = XML
            .replace("<Prefix>logs/</Prefix>", "<Tag><Key>k</Key><Value>v</Value></Tag>")
            .replace(
                "    </Filter>\n",
                "    </Filter>\n    <DeleteMarkerReplication><Status>Enabled</Status></DeleteMarkerReplication>\n",
            );
        let fixed = apply_fix(&xml, "S3R212", 0);
        assert!(
            fixed.contains("<Status>Disabled</Status></DeleteMarkerReplication>"),
            "{fixed}"
        );
    }

    #[test]
    fn v1_rule_with_block_and_empty_block() {
        let v1 = XML.replace("    <Priority>1</Priority>\n", "").replace(
            "<Filter>\n      <Prefix>logs/</Prefix>\n    </Filter>",
            "<Prefix>logs/</Prefix><DeleteMarkerReplication/>",
        );
        let c = codes(&v1);
        assert!(c.contains(&"S3R207"), "{c:?}");
        assert!(!c.contains(&"S3R213"), "{c:?}");
        let empty = XML.replace(
            "    </Filter>\n",
            "    </Filter>\n    <DeleteMarkerReplication/>\n",
        );
        assert!(codes(&empty).contains(&"S3R213"));
    }
}
