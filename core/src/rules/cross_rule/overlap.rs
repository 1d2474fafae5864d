//! Overlapping V2 rules to the same destination: which rule governs, fully shadowed rules, and
//! settings that change under overlap (S3R500-S3R502, S3R505).
//!
//! One pass computes all of them. Rules with the same destination, the same object set (prefix,
//! tags and exclusions, in any order) and the same SSE-KMS selection form a group: every
//! relation between two rules follows from their groups, so sets are compared once per pair of
//! groups, and within a pair only priorities (binary search) and settings (numbered once per
//! document) are per rule. Groups are sorted by destination and prefix; a stack of "ancestor"
//! prefixes yields exactly the group pairs whose prefixes are in a starts-with relation (only
//! those can overlap), so distinct prefixes cost O(n log n) and many identical rules cost
//! O(n log n). Only what is reported is kept per rule: the governing rule (the highest-priority
//! one) and counts, and for a shadowed rule (every member of a group below its top priority)
//! only the shadowing rule, so a pair of groups costs a few binary searches plus the members
//! it shadows. Pathological inputs (hundreds of distinct filters sharing one prefix, such as
//! tag-only rules on as many tag keys) are capped at [`MAX_PAIRS`] pairs of groups; the counts
//! are then lower bounds and the messages say "or more".

use crate::analysis::filter_set::same_str;
#[cfg(test)]
pub(super) use crate::analysis::overlap::analyze_pairwise;
pub(super) use crate::analysis::overlap::{analyze, Analysis, Entry, Settings, MAX_PAIRS};
use crate::analysis::ObjectSet;
use crate::diagnostic::{Diagnostic, Related};
use crate::model::Rule;
use crate::rules::CheckContext;
use crate::source::{Range, Span};
use std::fmt::Write as _;
use std::rc::Rc;

declare_rule! {
    pub static OVERLAP {
        code: "S3R500",
        name: "overlapping-rules",
        severity: Info,
        confidence: Documented,
        summary: "Rules to the same destination overlap; the higher Priority governs shared objects",
        check: check_overlaps,
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
    }
}

declare_rule! {
    pub static SHADOWED {
        code: "S3R501",
        name: "shadowed-rule",
        severity: Warning,
        confidence: Documented,
        summary: "Every object of a rule is governed by a higher-priority rule to the same destination",
        reported_by: Check,
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
    }
}

declare_rule! {
    pub static CONFLICTING_SETTINGS {
        code: "S3R502",
        name: "overlap-conflicting-settings",
        severity: Warning,
        confidence: Documented,
        summary: "Overlapping rules to one destination differ in delete markers, storage class, KMS, RTC or ownership",
        reported_by: Check,
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
    }
}

declare_rule! {
    pub static ANALYSIS_LIMIT {
        code: "S3R505",
        name: "cross-rule-analysis-limit",
        severity: Info,
        confidence: Inferred,
        summary: "Cross-rule analysis stopped early on a document with very many nested rules",
        reported_by: Check,
        docs: r#"## What it does
Says that the overlap analysis (S3R500-S3R502) compared its maximum number of pairs of
distinct filters and stopped, so some overlaps may be unreported and the counts it gives are
lower bounds ("or more"). Rules with identical filters are analyzed together and never reach
the limit; it takes hundreds of different filters to one destination whose prefixes are
nested or equal.

## Why it matters
Missing overlap findings are not proof that rules do not overlap.

## Example
A configuration with 700 rules to one bucket, each filtering on the empty prefix and a tag
with a different key.

## Fix
Nothing to fix; consider consolidating rules.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html
"#,
    }
}

/// What a message says about one rule: copied out of an [`Entry`] so that messages can be
/// written after the analysis is gone (only for the findings the engine keeps).
#[derive(Clone, Copy)]
struct Side<'a> {
    index: usize,
    rule: &'a Rule,
    bucket: &'a str,
    priority: i64,
    settings: Settings<'a>,
    kms: bool,
    /// Position of the entry (its object set) in the analysis.
    at: usize,
}

impl<'a> Side<'a> {
    fn of(e: &Entry<'a>, at: usize) -> Side<'a> {
        Side {
            at,
            index: e.index,
            rule: e.rule,
            bucket: e.bucket,
            priority: e.priority,
            settings: e.settings,
            kms: e.kms,
        }
    }
}

/// Appends what the higher-priority rule `hi` changes for shared objects of `lo`, as
/// `StorageClass: X instead of Y, ...`.
fn write_differences(out: &mut String, lo: &Side, hi: &Side) {
    let (l, h) = (&lo.settings, &hi.settings);
    let start = out.len();
    // `(label, value)` pairs: "key " + the key ARN, or "" + "no replica key".
    let mut cmp = |what: &str, (lk, l): (&str, &str), (hk, h): (&str, &str)| {
        if !(same_str(lk, hk) && same_str(l, h)) {
            if out.len() > start {
                out.push_str(", ");
            }
            for part in [what, ": ", hk, h, " instead of ", lk, l] {
                out.push_str(part);
            }
        }
    };
    let plain = |v: &'static str| ("", v);
    cmp(
        "DeleteMarkerReplication",
        ("", l.delete_markers),
        ("", h.delete_markers),
    );
    fn class(s: Option<&str>) -> (&str, &str) {
        ("", s.unwrap_or("the source object's class"))
    }
    cmp(
        "StorageClass",
        class(l.storage_class),
        class(h.storage_class),
    );
    if lo.kms && hi.kms {
        fn key(k: Option<&str>) -> (&str, &str) {
            match k {
                Some(k) => ("key ", k),
                None => ("", "no replica key"),
            }
        }
        cmp("ReplicaKmsKeyID", key(l.replica_key), key(h.replica_key));
    }
    cmp(
        "ReplicaModifications",
        ("", l.replica_modifications),
        ("", h.replica_modifications),
    );
    let rtc = |on: bool| plain(if on { "S3 RTC on" } else { "S3 RTC off" });
    cmp("replication time", rtc(l.rtc), rtc(h.rtc));
    let owner = |on: bool| {
        plain(if on {
            "owner override"
        } else {
            "no owner override"
        })
    };
    cmp(
        "ownership",
        owner(l.owner_override),
        owner(h.owner_override),
    );
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

fn related(span: Span, message: &str) -> Related {
    Related {
        span,
        range: Range::default(),
        message: message.to_string(),
    }
}

/// Appends `rule `id`` or `rule #n` (counted from 1; the wording of
/// [`rule_label`](crate::rules::support::labels::rule_label)).
fn write_name(out: &mut String, e: &Side) {
    match &e.rule.id {
        Some(id) if !id.value.is_empty() => {
            for part in ["rule `", id.value.as_str(), "`"] {
                out.push_str(part);
            }
        }
        _ => {
            let _ = write!(out, "rule #{}", e.index + 1);
        }
    }
}

/// Appends `rule `id` (Priority n)`.
fn write_label(out: &mut String, e: &Side) {
    write_name(out, e);
    let _ = write!(out, " (Priority {})", e.priority);
}

/// Which finding a rule gets (at most one), with the rule the message names.
#[derive(Clone, Copy)]
enum Kind {
    Shadowed,
    /// With the number of other overlapping higher rules whose settings differ.
    Conflict(usize),
    /// With the number of other overlapping higher rules with the same settings.
    Governed(usize),
}

/// Writes the diagnostic of one finding (see [`check_overlaps`]).
fn build(e: Side, h: Side, sets: &[ObjectSet], kind: Kind, limited: bool) -> Diagnostic {
    let or_more = if limited { " or more" } else { "" };
    let mut path = Rule::path(e.index);
    path.push_str("/Filter");
    let span = filter_span(e.rule);
    let mut m = String::with_capacity(400);
    match kind {
        Kind::Shadowed => {
            write_name(&mut m, &e);
            m.push_str(" never applies: every object it selects (");
            sets[e.at].describe_into(&mut m);
            m.push_str(") also matches ");
            write_label(&mut m, &h);
            let _ = write!(
                m,
                ", which has a higher priority and the same destination `{}`",
                e.bucket
            );
            let mut d = Diagnostic::new(SHADOWED.code, SHADOWED.severity, span, path, m);
            d.help = Some("Give the narrower rule the higher Priority, or remove it.".into());
            d.related = vec![related(filter_span(h.rule), "the governing rule")];
            d
        }
        Kind::Conflict(conflicts) => {
            m.push_str("For objects matching both this rule and ");
            write_label(&mut m, &h);
            write_example_key(&mut m, &sets[e.at], &sets[h.at]);
            m.push_str(" the higher-priority rule applies: ");
            write_differences(&mut m, &e, &h);
            match conflicts.saturating_sub(1) {
                0 if limited => m.push_str(" (other overlapping rules may differ too)"),
                0 => {}
                n => {
                    let _ = write!(m, " ({n}{or_more} more overlapping rules differ too)");
                }
            }
            let mut d = Diagnostic::new(
                CONFLICTING_SETTINGS.code,
                CONFLICTING_SETTINGS.severity,
                span,
                path,
                m,
            );
            d.help = Some(
                "Align the settings, or change the priorities so the intended rule wins.".into(),
            );
            d.related = vec![related(filter_span(h.rule), "the higher-priority rule")];
            d
        }
        Kind::Governed(governed) => {
            m.push_str("Objects matching both this rule and ");
            write_label(&mut m, &h);
            match governed.saturating_sub(1) {
                0 if limited => m.push_str(" and possibly other rules"),
                0 => {}
                n => {
                    let _ = write!(m, " and {n}{or_more} other rule(s)");
                }
            }
            write_example_key(&mut m, &sets[e.at], &sets[h.at]);
            let _ = write!(
                m,
                " are replicated to `{}` by the higher-priority rule",
                e.bucket
            );
            let mut d = Diagnostic::new(OVERLAP.code, OVERLAP.severity, span, path, m);
            d.related = vec![related(filter_span(h.rule), "the higher-priority rule")];
            d
        }
    }
}

fn check_overlaps(cx: &mut CheckContext) {
    let doc = cx.doc;
    let Analysis {
        entries: mut list,
        findings,
        limited,
    } = analyze(doc);
    // The messages written later share the object sets instead of computing them again.
    let sets: Rc<[ObjectSet]> = list
        .iter_mut()
        .map(|e| std::mem::take(&mut e.set))
        .collect();
    for (at, (e, f)) in list.iter().zip(&findings).enumerate() {
        let (rule, h, kind): (&'static crate::catalogue::RuleMeta, _, _) =
            if let Some(h) = f.shadowed_by {
                (&SHADOWED, h, Kind::Shadowed)
            } else if let Some(h) = f.conflict {
                (&CONFLICTING_SETTINGS, h, Kind::Conflict(f.conflicts))
            } else if let Some(h) = f.governing {
                (&OVERLAP, h, Kind::Governed(f.governed))
            } else {
                continue;
            };
        let (e, h) = (Side::of(e, at), Side::of(&list[h], h));
        let sets = Rc::clone(&sets);
        cx.report_later(rule, filter_span(e.rule), move || {
            build(e, h, &sets, kind, limited)
        });
    }
    if limited {
        cx.report(
            &ANALYSIS_LIMIT,
            doc.meta.name_span,
            "",
            format!("Cross-rule analysis compared {MAX_PAIRS} pairs of distinct rule filters and stopped; some overlaps may be unreported and the counts given are lower bounds"),
        );
    }
}

/// Appends `, e.g. key "k" tagged a=b c=d,` (an object both sets match), or nothing.
fn write_example_key(out: &mut String, a: &ObjectSet, b: &ObjectSet) {
    if let Some((key, tags)) = a.shared_object(b) {
        out.push_str(", e.g. key \"");
        // At most 60 characters of the key.
        let end = key.char_indices().nth(60).map_or(key.len(), |(i, _)| i);
        out.push_str(&key[..end]);
        out.push('"');
        for (i, (k, v)) in tags.iter().enumerate() {
            out.push_str(if i == 0 { " tagged " } else { " " });
            let _ = write!(out, "{k}={v}");
        }
        out.push(',');
    }
}
