//! Overlapping V2 rules to the same destination: which rule governs, fully shadowed rules, and
//! settings that change under overlap (S3R500-S3R502, S3R505).
//!
//! One pass computes all of them. Rules are grouped by destination bucket and sorted by
//! prefix; a stack of "ancestor" prefixes yields exactly the pairs whose prefixes are in a
//! starts-with relation (only those can overlap), so distinct prefixes cost O(n log n).
//! Pathological inputs (hundreds of rules with one prefix) are capped at [`MAX_PAIRS`].

use crate::analysis::{rule_object_set, ObjectSet};
use crate::arn;
use crate::diagnostic::Severity;
use crate::model::{Rule, SchemaVersion};
use crate::rules::destination::util::rule_label;
use crate::rules::{Confidence, RuleContext, RuleMeta};
use crate::source::Span;

/// Upper bound on compared rule pairs per document.
pub const MAX_PAIRS: usize = 200_000;

pub static OVERLAP: RuleMeta = RuleMeta {
    code: "S3R500",
    name: "overlapping-rules",
    severity: Severity::Info,
    summary: "Rules to the same destination overlap; the higher Priority governs shared objects",
    s3_error: None,
    confidence: Confidence::Documented,
    docs: r#"## What it does
Finds enabled V2 rules that send some of the same objects to the same destination bucket and
tells, on the lower-priority rule, which rule governs the shared objects, with an example key.
Prefixes are compared literally (starts-with); tag filters overlap unless they require
different values for one key; `Not` exclusions are taken into account.

## Why it matters
For each object and destination S3 applies only the matching rule with the highest
`Priority` (the larger number wins). The lower rule's settings do not apply to shared
objects.

## Example
```xml
<Rule><ID>star</ID><Priority>1</Priority><Status>Enabled</Status><Filter><Prefix>star</Prefix></Filter>
  <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
  <Destination><Bucket>arn:aws:s3:::acme-replica</Bucket></Destination></Rule>
<Rule><ID>starship</ID><Priority>2</Priority><Status>Enabled</Status><Filter><Prefix>starship</Prefix></Filter>
  <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
  <Destination><Bucket>arn:aws:s3:::acme-replica</Bucket></Destination></Rule>
```

## Fix
Nothing, if intended. To make the split explicit, narrow the lower rule with `Not`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRule.html
"#,
    check: Some(check_overlaps),
};

pub static SHADOWED: RuleMeta = RuleMeta {
    code: "S3R501",
    name: "shadowed-rule",
    severity: Severity::Warning,
    summary: "Every object of a rule is governed by a higher-priority rule to the same destination",
    s3_error: None,
    confidence: Confidence::Documented,
    docs: r#"## What it does
Reports an enabled V2 rule whose objects are provably all matched by one higher-priority rule
with the same destination bucket (and which also replicates SSE-KMS objects when this rule
does). Reported by the same pass as S3R500.

## Why it matters
S3 replicates each object according to the highest-priority matching rule per destination,
so this rule never applies: its storage class, delete-marker, KMS or RTC settings are dead.

## Example
```xml
<Rule><ID>logs</ID><Priority>1</Priority><Status>Enabled</Status><Filter><Prefix>logs/app/</Prefix></Filter>
  <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
  <Destination><Bucket>arn:aws:s3:::acme-replica</Bucket><StorageClass>GLACIER</StorageClass></Destination></Rule>
<Rule><ID>all</ID><Priority>2</Priority><Status>Enabled</Status><Filter/>
  <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
  <Destination><Bucket>arn:aws:s3:::acme-replica</Bucket></Destination></Rule>
```

## Fix
Give the narrower rule the higher priority, or delete it.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html
"#,
    check: None,
};

pub static CONFLICTING_SETTINGS: RuleMeta = RuleMeta {
    code: "S3R502",
    name: "overlap-conflicting-settings",
    severity: Severity::Warning,
    summary: "Overlapping rules to one destination differ in delete markers, storage class, KMS, RTC or ownership",
    s3_error: None,
    confidence: Confidence::Documented,
    docs: r#"## What it does
For overlapping enabled rules with the same destination (see S3R500), compares
`DeleteMarkerReplication`, `StorageClass`, SSE-KMS selection and replica key,
`ReplicaModifications`, S3 RTC, `Account` and owner override, and reports on the
lower-priority rule what changes for the shared objects. Reported by the same pass as S3R500.

## Why it matters
The shared objects get the higher-priority rule's settings, which is easy to miss: a rule
meant to archive `logs/` to GLACIER stores them in STANDARD when a broader rule wins.

## Example
```xml
<Rule><ID>archive</ID><Priority>1</Priority><Status>Enabled</Status><Filter><Prefix>logs/</Prefix></Filter>
  <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
  <Destination><Bucket>arn:aws:s3:::acme-replica</Bucket><StorageClass>GLACIER</StorageClass></Destination></Rule>
<Rule><ID>prod</ID><Priority>2</Priority><Status>Enabled</Status><Filter><Tag><Key>env</Key><Value>prod</Value></Tag></Filter>
  <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
  <Destination><Bucket>arn:aws:s3:::acme-replica</Bucket></Destination></Rule>
```

## Fix
Align the settings, or change priorities so the intended rule wins.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRule.html
"#,
    check: None,
};

pub static ANALYSIS_LIMIT: RuleMeta = RuleMeta {
    code: "S3R505",
    name: "cross-rule-analysis-limit",
    severity: Severity::Info,
    summary: "Cross-rule analysis stopped early on a document with very many nested rules",
    s3_error: None,
    confidence: Confidence::Inferred,
    docs: r#"## What it does
Says that the overlap analysis (S3R500-S3R502) compared its maximum number of rule pairs and
stopped, so some overlaps may be unreported. It happens only when hundreds of rules to one
destination share prefixes.

## Why it matters
Missing overlap findings are not proof that rules do not overlap.

## Example
A configuration with 1000 rules to one bucket that all filter on the empty prefix.

## Fix
Nothing to fix; consider consolidating rules.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html
"#,
    check: None,
};

struct Entry<'a> {
    index: usize,
    rule: &'a Rule,
    bucket: &'a str,
    priority: i64,
    set: ObjectSet<'a>,
    /// Computed once so that comparing two rules' settings allocates nothing.
    settings: Settings<'a>,
}

/// The settings the higher-priority rule imposes on shared objects.
#[derive(PartialEq, Eq)]
struct Settings<'a> {
    delete_markers: &'a str,
    storage_class: Option<&'a str>,
    replica_key: Option<&'a str>,
    replica_modifications: &'a str,
    rtc: bool,
    owner_override: bool,
}

impl<'a> Settings<'a> {
    fn of(rule: &'a Rule) -> Settings<'a> {
        let d = rule.destination.as_ref();
        Settings {
            delete_markers: status(rule.delete_marker_replication.as_ref()),
            storage_class: d.and_then(|d| d.storage_class.as_ref()).map(|v| v.as_str()),
            replica_key: d
                .and_then(|d| d.encryption_configuration.as_ref())
                .and_then(|e| e.replica_kms_key_id.as_ref())
                .map(|k| k.as_str()),
            replica_modifications: status(
                rule.source_selection_criteria
                    .as_ref()
                    .and_then(|s| s.replica_modifications.as_ref()),
            ),
            rtc: d
                .and_then(|d| d.replication_time.as_ref())
                .is_some_and(|r| r.is_enabled()),
            owner_override: d.is_some_and(|d| d.access_control_translation.is_some()),
        }
    }

    /// Equal for the objects both rules replicate (the replica key only matters when both
    /// rules select SSE-KMS objects).
    fn same_as(&self, other: &Settings, both_kms: bool) -> bool {
        self.delete_markers == other.delete_markers
            && self.storage_class == other.storage_class
            && (!both_kms || self.replica_key == other.replica_key)
            && self.replica_modifications == other.replica_modifications
            && self.rtc == other.rtc
            && self.owner_override == other.owner_override
    }
}

#[derive(Default)]
struct Findings {
    /// Higher-priority rules that govern some of this rule's objects (entry indexes).
    governed_by: Vec<usize>,
    /// The highest-priority rule that covers all of this rule's objects.
    shadowed_by: Option<usize>,
    /// Overlapping higher-priority rules with other settings (entry indexes).
    conflicts: Vec<usize>,
}

fn entries(doc: &crate::model::Document) -> Vec<Entry<'_>> {
    doc.rules
        .iter()
        .enumerate()
        .filter_map(|(index, rule)| {
            if !rule.is_enabled() || rule.schema_version() != Some(SchemaVersion::V2) {
                return None;
            }
            let priority = rule.priority.as_ref()?.value;
            let bucket = arn::bucket_name(rule.destination_bucket()?);
            let set = rule_object_set(rule).ok()?;
            if set.is_empty() {
                return None;
            }
            Some(Entry {
                index,
                rule,
                bucket,
                priority,
                set,
                settings: Settings::of(rule),
            })
        })
        .collect()
}

fn status(s: Option<&crate::model::StatusBlock>) -> &str {
    s.and_then(|b| b.status.as_ref())
        .map_or("absent", |v| v.as_str())
}

/// What the higher-priority rule `hi` changes for shared objects of `lo`.
fn differences(lo: &Rule, hi: &Rule) -> Vec<String> {
    let mut out = Vec::new();
    let mut cmp = |what: &str, l: String, h: String| {
        if l != h {
            out.push(format!("{what}: {h} instead of {l}"));
        }
    };
    cmp(
        "DeleteMarkerReplication",
        status(lo.delete_marker_replication.as_ref()).to_string(),
        status(hi.delete_marker_replication.as_ref()).to_string(),
    );
    let dest = |r: &Rule| r.destination.clone().unwrap_or_default();
    let (ld, hd) = (dest(lo), dest(hi));
    let val = |v: &Option<crate::model::Val<String>>, none: &str| {
        v.as_ref().map_or(none.to_string(), |v| v.value.clone())
    };
    cmp(
        "StorageClass",
        val(&ld.storage_class, "the source object's class"),
        val(&hd.storage_class, "the source object's class"),
    );
    let key = |d: &crate::model::Destination| {
        d.encryption_configuration
            .as_ref()
            .and_then(|e| e.replica_kms_key_id.as_ref())
            .map_or("no replica key".to_string(), |k| format!("key {}", k.value))
    };
    if lo.sse_kms_enabled() && hi.sse_kms_enabled() {
        cmp("ReplicaKmsKeyID", key(&ld), key(&hd));
    }
    let rm = |r: &Rule| {
        status(
            r.source_selection_criteria
                .as_ref()
                .and_then(|s| s.replica_modifications.as_ref()),
        )
        .to_string()
    };
    cmp("ReplicaModifications", rm(lo), rm(hi));
    let rtc = |d: &crate::model::Destination| {
        if d.replication_time.as_ref().is_some_and(|r| r.is_enabled()) {
            "S3 RTC on".to_string()
        } else {
            "S3 RTC off".to_string()
        }
    };
    cmp("replication time", rtc(&ld), rtc(&hd));
    let owner = |d: &crate::model::Destination| {
        if d.access_control_translation.is_some() {
            "owner override".to_string()
        } else {
            "no owner override".to_string()
        }
    };
    cmp("ownership", owner(&ld), owner(&hd));
    out
}

fn filter_span(rule: &Rule) -> Span {
    if let Some(f) = &rule.filter {
        if !f.meta.name_span.is_empty() {
            return f.meta.name_span;
        }
    }
    rule.priority
        .as_ref()
        .map_or(rule.meta.name_span, |p| p.meta.name_span)
}

fn check_overlaps(cx: &mut RuleContext) {
    let doc = cx.doc;
    let list = entries(doc);
    if list.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..list.len()).collect();
    order.sort_by(|&a, &b| {
        (list[a].bucket, list[a].set.prefix, list[a].index).cmp(&(
            list[b].bucket,
            list[b].set.prefix,
            list[b].index,
        ))
    });
    let mut found: Vec<Findings> = (0..list.len()).map(|_| Findings::default()).collect();
    let mut pairs = 0usize;
    let mut limited = false;
    let mut stack: Vec<usize> = Vec::new();
    let mut current_bucket = "";
    'outer: for &c in &order {
        let e = &list[c];
        if e.bucket != current_bucket {
            stack.clear();
            current_bucket = e.bucket;
        }
        while let Some(&top) = stack.last() {
            if e.set.prefix.starts_with(list[top].set.prefix) {
                break;
            }
            stack.pop();
        }
        for &s in &stack {
            pairs += 1;
            if pairs > MAX_PAIRS {
                limited = true;
                break 'outer;
            }
            compare(&list, s, c, &mut found);
        }
        stack.push(c);
    }

    let label = |k: usize| {
        format!(
            "{} (Priority {})",
            rule_label(list[k].rule, list[k].index),
            list[k].priority
        )
    };
    let mut by_rule: Vec<usize> = (0..list.len()).collect();
    by_rule.sort_by_key(|&k| list[k].index);
    for k in by_rule {
        let f = &found[k];
        let e = &list[k];
        let path = format!("{}/Filter", Rule::path(e.index));
        let span = filter_span(e.rule);
        if let Some(h) = f.shadowed_by {
            let d = cx.report(
                &SHADOWED,
                span,
                path,
                format!(
                    "{} never applies: every object it selects ({}) also matches {}, which has a higher priority and the same destination `{}`",
                    rule_label(e.rule, e.index),
                    e.set.describe(),
                    label(h),
                    e.bucket
                ),
            );
            d.help = Some("Give the narrower rule the higher Priority, or remove it.".into());
            *d = d
                .clone()
                .with_related(filter_span(list[h].rule), "the governing rule");
        } else if let Some(h) = f.conflicts.first() {
            let diffs = differences(e.rule, list[*h].rule);
            let example = example_key(&e.set, &list[*h].set);
            let more = if f.conflicts.len() > 1 {
                format!(
                    " ({} more overlapping rules differ too)",
                    f.conflicts.len() - 1
                )
            } else {
                String::new()
            };
            let d = cx.report(
                &CONFLICTING_SETTINGS,
                span,
                path,
                format!(
                    "For objects matching both this rule and {}{example} the higher-priority rule applies: {}{more}",
                    label(*h),
                    diffs.join(", ")
                ),
            );
            d.help = Some(
                "Align the settings, or change the priorities so the intended rule wins.".into(),
            );
            *d = d
                .clone()
                .with_related(filter_span(list[*h].rule), "the higher-priority rule");
        } else if let Some(&h) = f.governed_by.first() {
            let example = example_key(&e.set, &list[h].set);
            let more = if f.governed_by.len() > 1 {
                format!(" and {} other rule(s)", f.governed_by.len() - 1)
            } else {
                String::new()
            };
            let d = cx.report(
                &OVERLAP,
                span,
                path,
                format!(
                    "Objects matching both this rule and {}{more}{example} are replicated to `{}` by the higher-priority rule",
                    label(h),
                    e.bucket
                ),
            );
            *d = d
                .clone()
                .with_related(filter_span(list[h].rule), "the higher-priority rule");
        }
    }
    if limited {
        cx.report(
            &ANALYSIS_LIMIT,
            doc.meta.name_span,
            "",
            format!("Cross-rule analysis compared {MAX_PAIRS} rule pairs and stopped; some overlaps may be unreported"),
        );
    }
}

fn example_key(a: &ObjectSet, b: &ObjectSet) -> String {
    match a.intersection_witness(b) {
        Some((key, tags)) => {
            let key: String = key.chars().take(60).collect();
            if tags.is_empty() {
                format!(", e.g. key \"{key}\",")
            } else {
                let t: Vec<String> = tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
                format!(", e.g. key \"{key}\" tagged {},", t.join(" "))
            }
        }
        None => String::new(),
    }
}

fn compare(list: &[Entry], a: usize, b: usize, found: &mut [Findings]) {
    let (x, y) = (&list[a], &list[b]);
    if x.priority == y.priority {
        return; // S3R211 reports duplicate priorities.
    }
    let (hi, lo) = if x.priority > y.priority {
        (a, b)
    } else {
        (b, a)
    };
    let (h, l) = (&list[hi], &list[lo]);
    if !l.set.overlaps(&h.set) {
        return;
    }
    // The higher rule takes every object of the lower one only if it also selects the
    // SSE-KMS objects the lower one replicates.
    let covers_kms = !l.rule.sse_kms_enabled() || h.rule.sse_kms_enabled();
    if covers_kms && l.set.is_subset_of(&h.set) {
        let better = match found[lo].shadowed_by {
            Some(prev) => list[prev].priority < h.priority,
            None => true,
        };
        if better {
            found[lo].shadowed_by = Some(hi);
        }
        return;
    }
    let both_kms = l.rule.sse_kms_enabled() && h.rule.sse_kms_enabled();
    if l.settings.same_as(&h.settings, both_kms) {
        found[lo].governed_by.push(hi);
    } else {
        found[lo].conflicts.push(hi);
    }
}
