//! `Priority`: required in V2 rules (S3R205), forbidden in V1 rules (S3R206), a 32-bit
//! non-negative integer (S3R209, S3R210), unique (S3R211).

use super::edit::{allocate_priorities, format_of, Layout, Node};
use crate::arn::bucket_name;
use crate::diagnostic::Diagnostic;
use crate::model::{Rule, SchemaVersion};
use crate::rules::CheckContext;
use crate::source::Span;
use crate::Severity;
use std::collections::HashMap;

declare_rule! {
    pub static MISSING_PRIORITY {
        code: "S3R205",
        name: "missing-priority",
        severity: Error,
        confidence: Documented,
        s3_error: "InvalidRequest: Priority must be specified for this version of Cross Region Replication configuration schema. Please refer to S3 Developer Guide for more information.",
        summary: "A V2 rule (one with `Filter`) has no `Priority`",
        check: check_missing,
        docs: r#"## What it does
Flags V2 rules without `Priority` and offers to add one that no other rule uses.

## Why it matters
The S3 documentation requires `Priority` whenever a rule has a `Filter`. The message shown
is the one S3-compatible emulators return; it was not re-verified against live S3, but the
requirement itself is documented. Priority decides which rule applies when rules with the
same destination select the same object: the higher number wins.

## Example
```xml
<Rule>
  <ID>logs</ID>
  <Status>Enabled</Status>
  <Filter><Prefix>logs/</Prefix></Filter>
  <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
  <Destination><Bucket>arn:aws:s3:::dst</Bucket></Destination>
</Rule>
```

## Fix
Add `Priority`. The quick fix picks the next number above the highest priority in the
document (each rule without one gets its own number). If this rule overlaps another rule with
the same destination, choose the order deliberately.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRule.html
"#,
    }
}

declare_rule! {
    pub static PRIORITY_IN_V1 {
        code: "S3R206",
        name: "priority-in-v1-rule",
        severity: Error,
        confidence: Observed,
        s3_error: "InvalidRequest: Priority cannot be used for this version of Cross Region Replication configuration schema",
        summary: "A V1 rule (rule-level `Prefix`) has `Priority`, which only V2 allows",
        check: check_in_v1,
        docs: r#"## What it does
Flags `Priority` in a rule that uses the V1 rule-level `Prefix`.

## Why it matters
S3 refuses it: "Priority cannot be used for this version of Cross Region Replication
configuration schema". Usually the rule was meant to be V2 and only the `Filter` is missing.

## Example
```json
{ "ID": "a", "Status": "Enabled", "Priority": 1, "Prefix": "a/",
  "Destination": { "Bucket": "arn:aws:s3:::dst" } }
```

## Fix
Convert the rule to V2 (`"Filter": { "Prefix": "a/" }` plus `DeleteMarkerReplication`), or
delete `Priority` to stay on V1. The legacy-schema warning (S3R233) offers the conversion.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html
"#,
    }
}

declare_rule! {
    pub static PRIORITY_TOO_LARGE {
        code: "S3R209",
        name: "priority-too-large",
        severity: Error,
        confidence: Documented,
        s3_error: "MalformedXML",
        summary: "`Priority` is larger than 2147483647, the largest 32-bit integer",
        check: check_range,
        docs: r#"## What it does
Flags priorities above 2,147,483,647.

## Why it matters
`Priority` is documented as an Integer, a 32-bit value in the S3 API. A larger number does not
fit, so the body does not validate (the exact response is not confirmed from a live call).

## Example
```xml
<Rule>
  <ID>logs</ID>
  <Status>Enabled</Status>
  <Priority>3000000000</Priority>
  <Filter><Prefix>logs/</Prefix></Filter>
  <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
  <Destination><Bucket>arn:aws:s3:::dst</Bucket></Destination>
</Rule>
```

## Fix
Use small numbers; only their order matters.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRule.html
"#,
    }
}

declare_rule! {
    pub static NEGATIVE_PRIORITY {
        code: "S3R210",
        name: "negative-priority",
        severity: Warning,
        confidence: Emulator,
        s3_error: "Priority must be between 0 and 2147483647. (emulator wording)",
        summary: "`Priority` is negative; S3-compatible services refuse that",
        check: check_negative,
        docs: r#"## What it does
Flags priorities below 0.

## Why it matters
AWS documents 0 as valid (and uses it in validated examples) but says nothing about negative
numbers. S3-compatible emulators refuse them with "Priority must be between 0 and
2147483647." Whether AWS does is unverified, hence a warning.
Evidence: searched public bug trackers (Terraform AWS provider, Pulumi, Crossplane, ACK, CDK,
LocalStack, moto) for S3's answer; none found.

## Example
```json
{ "ID": "logs", "Status": "Enabled", "Priority": -1, "Filter": { "Prefix": "logs/" },
  "DeleteMarkerReplication": { "Status": "Disabled" },
  "Destination": { "Bucket": "arn:aws:s3:::dst" } }
```

## Fix
Use 0 or a positive number.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRule.html
"#,
    }
}

declare_rule! {
    pub static DUPLICATE_PRIORITY {
        code: "S3R211",
        name: "duplicate-priority",
        severity: Error,
        confidence: Observed,
        s3_error: "InvalidRequest (text unverified; S3 emulators: \"Found duplicate priority N.\")",
        summary: "Two rules have the same `Priority`",
        check: check_duplicates,
        docs: r#"## What it does
Finds rules that share a `Priority`. When they also share the destination bucket it is an
error; when the destinations differ it is a warning.

## Why it matters
Users report that S3 refuses duplicate priorities (and Terraform documents that the value
"must be unique between multiple rules"); those reports come from configurations with one
destination bucket. Among rules with the same destination, the priority is what decides
which rule applies to an object both select, so a tie is ambiguous in any case. Whether S3
also refuses equal priorities for rules with different destinations is unverified, so that
case is a warning. The exact S3 message is unverified.

## Example
```json
[ { "ID": "a", "Status": "Enabled", "Priority": 1, "Filter": { "Prefix": "a/" },
    "DeleteMarkerReplication": { "Status": "Disabled" },
    "Destination": { "Bucket": "arn:aws:s3:::dst" } },
  { "ID": "b", "Status": "Enabled", "Priority": 1, "Filter": { "Prefix": "b/" },
    "DeleteMarkerReplication": { "Status": "Disabled" },
    "Destination": { "Bucket": "arn:aws:s3:::dst" } } ]
```

## Fix
Give every rule its own number; the higher number wins where rules overlap.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html
- https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_replication_configuration
"#,
    }
}

fn is_v2(rule: &Rule) -> bool {
    rule.schema_version() == Some(SchemaVersion::V2)
}

fn check_missing(cx: &mut CheckContext) {
    let doc = cx.doc;
    let needs: Vec<usize> = doc
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| is_v2(r) && r.priority.is_none())
        .map(|(i, _)| i)
        .collect();
    if needs.is_empty() {
        return;
    }
    let values = allocate_priorities(doc, &needs);
    let format = format_of(doc, cx.text);
    for (&i, &p) in needs.iter().zip(&values) {
        let rule = &doc.rules[i];
        let Some(filter) = &rule.filter else { continue };
        let layout = Layout::of(cx.text, format, &rule.meta, &filter.meta);
        let insert = layout.before(&[Node::Leaf("Priority", p.to_string())]);
        let at = Span::empty(filter.meta.span.start as usize);
        let d = Diagnostic::new(
            MISSING_PRIORITY.code,
            MISSING_PRIORITY.severity,
            filter.meta.name_span,
            Rule::path(i),
            "This rule has a `Filter` (V2 schema) but no `Priority`; S3 requires one",
        )
        .with_help("Add a Priority; where rules with the same destination overlap, the higher number wins.")
        .with_fix(format!("Add Priority {p}"), vec![(at, insert)]);
        super::emit(cx, &MISSING_PRIORITY, d);
    }
}

fn check_in_v1(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        if rule.schema_version() != Some(SchemaVersion::V1) {
            continue;
        }
        let Some(p) = &rule.priority else { continue };
        cx.report(
            &PRIORITY_IN_V1,
            p.meta.name_span,
            format!("{}/Priority", Rule::path(i)),
            "`Priority` cannot be used in a V1 rule (rule-level `Prefix`); S3 refuses: \"Priority cannot be used for this version of Cross Region Replication configuration schema\"",
        )
        .help = Some("Move the prefix into `Filter` (V2) and add `DeleteMarkerReplication`, or remove `Priority`.".to_string());
    }
}

fn check_range(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(p) = &rule.priority else { continue };
        if p.value > i64::from(i32::MAX) {
            cx.report(
                &PRIORITY_TOO_LARGE,
                p.span(),
                format!("{}/Priority", Rule::path(i)),
                format!(
                    "Priority {} does not fit S3's 32-bit integer (maximum 2147483647)",
                    p.value
                ),
            )
            .help = Some("Only the order of priorities matters; use small numbers.".to_string());
        }
    }
}

fn check_negative(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(p) = &rule.priority else { continue };
        if p.value < 0 {
            cx.report(
                &NEGATIVE_PRIORITY,
                p.span(),
                format!("{}/Priority", Rule::path(i)),
                format!("Priority {} is negative; S3-compatible services refuse it and AWS documents only 0 and up (unverified on AWS)", p.value),
            )
            .help = Some("Use 0 or a positive number.".to_string());
        }
    }
}

fn check_duplicates(cx: &mut CheckContext) {
    let doc = cx.doc;
    // (priority, rule) sorted: equal priorities become neighbours, in document order.
    let mut order: Vec<(i64, usize)> = doc
        .rules
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((r.priority.as_ref()?.value, i)))
        .collect();
    crate::sort::sort(&mut order);
    let dest = |i: usize| {
        doc.rules[i]
            .destination_bucket()
            .map_or("", |b| bucket_name(b.trim()))
    };
    // (rule, priority, first rule with the same destination, first rule with the priority)
    let mut found = Vec::new();
    let mut run_start = 0;
    while run_start < order.len() {
        let value = order[run_start].0;
        let run_end = run_start + order[run_start..].partition_point(|&(p, _)| p == value);
        let run = &order[run_start..run_end];
        if run.len() > 1 {
            let first = run[0].1;
            // destination -> first rule with that destination
            let mut by_dest: HashMap<&str, usize> = HashMap::new();
            by_dest.insert(dest(first), first);
            for &(_, i) in &run[1..] {
                let same = *by_dest.entry(dest(i)).or_insert(i);
                found.push((i, value, (same != i).then_some(same), first));
            }
        }
        run_start = run_end;
    }
    crate::sort::sort_by_key(&mut found, |&(i, ..)| i);
    for (i, value, same, first) in found {
        let Some(p) = doc.rules[i].priority.as_ref() else {
            continue;
        };
        let path = format!("{}/Priority", Rule::path(i));
        let other = same.unwrap_or(first);
        let other_span = doc.rules[other]
            .priority
            .as_ref()
            .map_or(Span::default(), |q| q.span());
        let mut d = match same {
            Some(_) => Diagnostic::new(
                DUPLICATE_PRIORITY.code,
                Severity::Error,
                p.span(),
                path,
                format!(
                    "Priority {value} is already used by rule {other} with the same destination bucket; S3 refuses duplicate priorities"
                ),
            ),
            None => Diagnostic::new(
                DUPLICATE_PRIORITY.code,
                Severity::Warning,
                p.span(),
                path,
                format!(
                    "Priority {value} is already used by rule {other} (a different destination bucket); S3 is reported to refuse duplicate priorities, unverified for different destinations"
                ),
            ),
        };
        d = d
            .with_related(other_span, format!("Priority {value} first used here"))
            .with_help(
                "Give every rule its own Priority; the higher number wins where rules overlap.",
            );
        super::emit(cx, &DUPLICATE_PRIORITY, d);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{apply_all, apply_fix, codes, diagnostics};

    fn doc(priorities: &[Option<i64>], dests: &[&str]) -> String {
        let rules: Vec<String> = priorities
            .iter()
            .zip(dests)
            .enumerate()
            .map(|(i, (p, d))| {
                let p = p.map_or(String::new(), |p| format!("\n      \"Priority\": {p},"));
                format!(
                    "    {{\n      \"ID\": \"r{i}\",\n      \"Status\": \"Enabled\",{p}\n      \"Filter\": {{ \"Prefix\": \"p{i}/\" }},\n      \"DeleteMarkerReplication\": {{ \"Status\": \"Disabled\" }},\n      \"Destination\": {{ \"Bucket\": \"arn:aws:s3:::{d}\" }}\n    }}"
                )
            })
            .collect();
        format!(
            "{{\n  \"Role\": \"arn:aws:iam::111122223333:role/r\",\n  \"Rules\": [\n{}\n  ]\n}}\n",
            rules.join(",\n")
        )
    }

    #[test]
    fn missing_priorities_get_distinct_values() {
        let text = doc(&[None, Some(4), None], &["a", "a", "a"]);
        let first = apply_fix(&text, "S3R205", 0);
        assert!(
            first.contains("\"Status\": \"Enabled\",\n      \"Priority\": 5,\n      \"Filter\""),
            "{first}"
        );
        let second = apply_fix(&text, "S3R205", 1);
        assert!(second.contains("\"Priority\": 6,"), "{second}");
        let both = apply_all(&text, "S3R205");
        let c = codes(&both);
        assert!(
            !c.contains(&"S3R205") && !c.contains(&"S3R211"),
            "{both}\n{c:?}"
        );
    }

    #[test]
    fn allocation_wraps_below_the_maximum() {
        let text = doc(&[Some(2147483647), None], &["a", "a"]);
        let fixed = apply_fix(&text, "S3R205", 0);
        assert!(fixed.contains("\"Priority\": 0,"), "{fixed}");
    }

    #[test]
    fn duplicates_error_only_for_the_same_destination() {
        let same = diagnostics(&doc(&[Some(1), Some(1)], &["a", "a"]));
        let d = same.iter().find(|d| d.code == "S3R211").expect("reported");
        assert_eq!(d.severity, crate::Severity::Error);
        let other = diagnostics(&doc(&[Some(1), Some(1)], &["a", "b"]));
        let d = other.iter().find(|d| d.code == "S3R211").expect("reported");
        assert_eq!(d.severity, crate::Severity::Warning);
        assert!(!codes(&doc(&[Some(1), Some(2)], &["a", "a"])).contains(&"S3R211"));
    }

    #[test]
    fn range_checks() {
        assert!(codes(&doc(&[Some(-1)], &["a"])).contains(&"S3R210"));
        assert!(codes(&doc(&[Some(2147483648)], &["a"])).contains(&"S3R209"));
        let ok = codes(&doc(&[Some(0)], &["a"]));
        assert!(!ok.contains(&"S3R209") && !ok.contains(&"S3R210"));
    }
}
