//! V1 rules with overlapping prefixes (S3R503) and filters that exclude every object (S3R504).

use crate::analysis::rule_object_set;
use crate::model::{Rule, SchemaVersion};
use crate::rules::support::labels::rule_label;
use crate::rules::CheckContext;

declare_rule! {
    pub static V1_OVERLAP {
        code: "S3R503",
        name: "v1-overlapping-prefixes",
        severity: Warning,
        confidence: Emulator,
        s3_error: "S3 emulators: InvalidRequest: Found overlapping prefixes 'logs/' and 'logs/app/'",
        summary: "V1 rules whose prefixes overlap (one starts with the other)",
        check: check_v1_overlap,
        docs: r#"## What it does
In V1 rules (rule-level `Prefix`), reports a prefix that starts with another rule's prefix;
two empty prefixes overlap too.

## Why it matters
V1 has no `Priority` to decide which rule governs an object. S3-compatible services reject
such configurations; AWS's behaviour is not documented.
Evidence: searched public bug trackers (Terraform AWS provider, Pulumi, Crossplane, ACK, CDK,
LocalStack, moto) for S3's answer; none found.

## Example
```xml
<Rule><ID>logs</ID><Prefix>logs/</Prefix><Status>Enabled</Status><Destination><Bucket>arn:aws:s3:::acme-replica</Bucket></Destination></Rule>
<Rule><ID>app</ID><Prefix>logs/app/</Prefix><Status>Enabled</Status><Destination><Bucket>arn:aws:s3:::acme-replica</Bucket></Destination></Rule>
```

## Fix
Use prefixes that do not nest, or convert the document to V2 and set priorities.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html
"#,
    }
}

declare_rule! {
    pub static MATCHES_NOTHING {
        code: "S3R504",
        name: "rule-matches-nothing",
        severity: Warning,
        confidence: Inferred,
        summary: "A rule's Not exclusion removes every object its filter selects",
        check: check_matches_nothing,
        docs: r#"## What it does
Reports a V2 filter whose `Not` excludes everything the rest of the filter selects: an excluded
prefix that the rule's own prefix starts with (or the empty prefix), or an excluded tag the
rule requires.

## Why it matters
The rule replicates nothing.

## Example
```xml
<Filter><And><Prefix>logs/app/</Prefix><Not><Prefix>logs/</Prefix></Not></And></Filter>
```

## Fix
Exclude a narrower prefix (one that starts with the rule's prefix), or drop the exclusion.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRuleFilter.html
"#,
    }
}

fn check_v1_overlap(cx: &mut CheckContext) {
    let doc = cx.doc;
    let mut v1: Vec<(usize, &str)> = doc
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.schema_version() == Some(SchemaVersion::V1))
        .filter_map(|(i, r)| r.prefix.as_ref().map(|p| (i, p.as_str())))
        .collect();
    if v1.len() < 2 {
        return;
    }
    crate::sort::sort_by(&mut v1, |a, b| (a.1, a.0).cmp(&(b.1, b.0)));
    let mut stack: Vec<(usize, &str)> = Vec::new();
    for &(i, p) in &v1 {
        while let Some(&(_, top)) = stack.last() {
            if p.starts_with(top) {
                break;
            }
            stack.pop();
        }
        if let Some(&(j, q)) = stack.last() {
            let rule = &doc.rules[i];
            let Some(pv) = &rule.prefix else { continue };
            let other = &doc.rules[j];
            let d = cx.report(
                &V1_OVERLAP,
                pv.meta.name_span,
                format!("{}/Prefix", Rule::path(i)),
                format!(
                    "Prefix \"{p}\" of {} overlaps prefix \"{q}\" of {}; V1 has no Priority to decide between them",
                    rule_label(rule, i),
                    rule_label(other, j)
                ),
            );
            d.help =
                Some("Use prefixes that do not nest, or convert to V2 with priorities.".into());
            if let Some(op) = &other.prefix {
                *d = d
                    .clone()
                    .with_related(op.meta.name_span, "the other prefix");
            }
        }
        stack.push((i, p));
    }
}

fn check_matches_nothing(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(f) = &rule.filter else { continue };
        let Ok(set) = rule_object_set(rule) else {
            continue;
        };
        if set.excluded_prefixes.is_empty() && set.excluded_tags.is_empty() {
            continue;
        }
        // Contradictory required tags are S3R226's; only report exclusions that empty the rule.
        let consistent = set
            .tags
            .iter()
            .enumerate()
            .all(|(n, (k, v))| set.tags[..n].iter().all(|(k2, v2)| k2 != k || v2 == v));
        if !consistent || !set.is_empty() {
            continue;
        }
        let d = cx.report(
            &MATCHES_NOTHING,
            f.meta.name_span,
            format!("{}/Filter", Rule::path(i)),
            format!(
                "{} matches no object: its Not excludes everything the filter selects ({})",
                rule_label(rule, i),
                set.describe()
            ),
        );
        d.help = Some(
            "Exclude a prefix that starts with the rule's prefix, or remove the exclusion.".into(),
        );
    }
}
