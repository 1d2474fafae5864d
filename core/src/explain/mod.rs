//! A plain-language account of a whole configuration: one sentence per rule (grouped by
//! destination bucket), the objects no enabled rule covers, and per-destination data that a
//! topology picture can draw (filters, priorities, storage class, keys, RTC, shadowed rules).//!
//! `wording.rs` writes the sentences; `gaps.rs` finds the objects no enabled rule covers.

mod gaps;
mod wording;

use crate::analysis::filter_set::{rule_object_set, ObjectSet};
use crate::context::{Fact, Resolved};
use crate::model::{Document, Rule, SchemaVersion};
use crate::simulate::{
    describe_unanalyzable, destination_facts, destination_keys, precedence, rule_id,
};
use gaps::gaps;
use serde::Serialize;
use wording::{action, capitalize, heading, join_list, place, subject};

/// The answer of [`explain`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Explanation {
    /// An opening sentence, then one sentence per rule (destination by destination, highest
    /// priority first), then one per rule that cannot be read.
    pub summary: Vec<String>,
    /// What is not replicated: uncovered keys and tags, disabled rules, skipped KMS objects.
    pub gaps: Vec<String>,
    /// The rules grouped by destination bucket, in document order.
    pub destinations: Vec<DestinationGroup>,
}

/// One destination bucket and the rules that send objects to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DestinationGroup {
    /// As written in the first rule naming the bucket.
    pub bucket: String,
    pub name: String,
    pub region: Option<Fact>,
    pub account: Option<Fact>,
    /// Highest priority first.
    pub rules: Vec<RuleEdge>,
}

/// One rule as an edge from the source bucket to its destination.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RuleEdge {
    pub id: Option<String>,
    pub index: usize,
    pub priority: Option<i64>,
    pub enabled: bool,
    /// Short description of the objects the filter selects; `None` if it cannot be read.
    pub filter: Option<String>,
    /// `None` = the source object's class.
    pub storage_class: Option<String>,
    /// The rule opts SSE-KMS/DSSE-KMS objects in.
    pub kms_objects: bool,
    pub replica_kms_key_id: Option<String>,
    pub use_source_multi_region_key: bool,
    pub delete_markers: bool,
    pub replica_modifications: bool,
    pub owner_override: bool,
    pub rtc: bool,
    pub metrics: bool,
    /// Index of a higher-priority enabled rule to the same bucket that selects every object
    /// this one does: this rule never applies.
    pub shadowed_by: Option<usize>,
    /// Indexes of higher-priority enabled rules to the same bucket that select some of the
    /// same objects (they win there).
    pub overlapped_by: Vec<usize>,
    pub sentence: String,
}
struct Item<'a> {
    index: usize,
    rule: &'a Rule,
    set: ObjectSet<'a>,
}

/// Explain the whole configuration in plain language.
pub fn explain(doc: &Document, ctx: &Resolved) -> Explanation {
    let mut summary = Vec::new();
    let mut invalid: Vec<(usize, String)> = Vec::new();
    let mut items: Vec<Item> = Vec::new();
    for (i, rule) in doc.rules.iter().enumerate() {
        match (rule_object_set(rule), rule.destination_bucket()) {
            (Ok(set), Some(_)) => items.push(Item {
                index: i,
                rule,
                set,
            }),
            (Err(u), _) => invalid.push((
                i,
                format!(
                    "{} cannot be interpreted because {}; S3 rejects it.",
                    capitalize(&rule.label(i)),
                    describe_unanalyzable(u)
                ),
            )),
            (Ok(_), None) => invalid.push((
                i,
                format!(
                    "{} names no destination bucket; S3 rejects it.",
                    capitalize(&rule.label(i))
                ),
            )),
        }
    }
    let keys = destination_keys(doc);
    let enabled_count = items.iter().filter(|it| it.rule.is_enabled()).count();

    // Opening sentence.
    let source = match &ctx.source_bucket {
        Some(b) => place(b, &ctx.source_region, &ctx.source_account),
        None => {
            let region = ctx
                .source_region
                .as_ref()
                .map_or("Region unknown".to_string(), |r| r.value.clone());
            match &ctx.source_account {
                Some(a) => format!("this bucket ({region}, account {})", a.value),
                None => format!("this bucket ({region})"),
            }
        }
    };
    let role = doc.role.as_ref().map(|r| r.as_str()).unwrap_or("");
    let version = match doc.rules.first().and_then(Rule::schema_version) {
        Some(SchemaVersion::V1) => " (legacy V1 schema)",
        _ => "",
    };
    let role_text = if role.is_empty() {
        "no role".to_string()
    } else {
        format!("role `{role}`")
    };
    summary.push(format!(
        "Replication from {source} uses {role_text}{version}: {enabled_count} of {} {} enabled, sending objects to {} destination {}.",
        doc.rules.len(),
        if doc.rules.len() == 1 { "rule is" } else { "rules are" },
        keys.len(),
        if keys.len() == 1 { "bucket" } else { "buckets" },
    ));

    let mut destinations = Vec::new();
    for key in &keys {
        let (region, account) = destination_facts(doc, key, ctx);
        let dest = place(key.name, &region, &account);
        let mut group: Vec<&Item> = items
            .iter()
            .filter(|it| key.rules.contains(&it.index))
            .collect();
        crate::sort::sort_by(&mut group, |a, b| {
            precedence((a.index, a.rule), (b.index, b.rule))
        }); // total order
        let mut edges = Vec::new();
        for (pos, it) in group.iter().enumerate() {
            let rule = it.rule;
            let head = heading(rule, it.index);
            let higher: Vec<&&Item> = group[..pos]
                .iter()
                .filter(|h| h.rule.is_enabled())
                .collect();
            let shadowed_by = higher
                .iter()
                .find(|h| {
                    !it.set.is_empty()
                        && it.set.is_subset_of(&h.set)
                        && (h.rule.sse_kms_enabled() || !rule.sse_kms_enabled())
                        && h.rule.priority_value() != rule.priority_value()
                })
                .map(|h| h.index);
            let overlapped_by: Vec<usize> = higher
                .iter()
                .filter(|h| h.set.overlaps(&it.set))
                .map(|h| h.index)
                .collect();
            let sentence = if !rule.is_enabled() {
                format!(
                    "{head} is disabled; if enabled, it would copy {} to {dest}.",
                    subject(&it.set)
                )
            } else if it.set.is_empty() {
                format!(
                    "{head} never applies: its filter ({}) excludes every object it selects.",
                    it.set.describe()
                )
            } else if let Some(s) = shadowed_by.and_then(|s| doc.rules.get(s).map(|r| (s, r))) {
                format!(
                    "{head} never applies: {} has a higher priority, goes to the same bucket and selects every object this rule would copy ({}).",
                    s.1.label(s.0),
                    subject(&it.set)
                )
            } else {
                let mut s = format!(
                    "{head}: {}",
                    capitalize(&action(rule, &it.set, &dest, key.name))
                );
                let over: Vec<String> = overlapped_by
                    .iter()
                    .filter_map(|&o| doc.rules.get(o).map(|r| (o, r)))
                    .map(|(o, r)| {
                        if r.priority_value() == rule.priority_value() {
                            format!("{} (same priority: S3 rejects duplicates)", r.label(o))
                        } else {
                            r.label(o)
                        }
                    })
                    .collect();
                if !over.is_empty() {
                    s.push_str(&format!(
                        "; where {} also {} an object, {} settings apply instead",
                        join_list(&over, "or"),
                        if over.len() == 1 { "selects" } else { "select" },
                        if over.len() == 1 {
                            "that rule's"
                        } else {
                            "the higher-priority rule's"
                        },
                    ));
                }
                s.push('.');
                s
            };
            summary.push(sentence.clone());
            edges.push(RuleEdge {
                id: rule_id(rule),
                index: it.index,
                priority: rule.priority_value(),
                enabled: rule.is_enabled(),
                filter: Some(it.set.describe()),
                storage_class: rule.storage_class().map(str::to_string),
                kms_objects: rule.sse_kms_enabled(),
                replica_kms_key_id: rule.replica_kms_key().map(str::to_string),
                use_source_multi_region_key: rule.use_source_mrk(),
                delete_markers: rule.copies_delete_markers(),
                replica_modifications: rule.replica_modifications(),
                owner_override: rule.owner_override(),
                rtc: rule.rtc_enabled(),
                metrics: rule.metrics_enabled(),
                shadowed_by,
                overlapped_by,
                sentence,
            });
        }
        // Rules to this bucket whose filter cannot be read still appear as edges.
        for &i in &key.rules {
            let Some((_, sentence)) = invalid.iter().find(|(j, _)| *j == i) else {
                continue;
            };
            let Some(rule) = doc.rules.get(i) else {
                continue;
            };
            edges.push(RuleEdge {
                id: rule_id(rule),
                index: i,
                priority: rule.priority_value(),
                enabled: rule.is_enabled(),
                filter: None,
                storage_class: rule.storage_class().map(str::to_string),
                kms_objects: rule.sse_kms_enabled(),
                replica_kms_key_id: rule.replica_kms_key().map(str::to_string),
                use_source_multi_region_key: rule.use_source_mrk(),
                delete_markers: false,
                replica_modifications: rule.replica_modifications(),
                owner_override: rule.owner_override(),
                rtc: rule.rtc_enabled(),
                metrics: rule.metrics_enabled(),
                shadowed_by: None,
                overlapped_by: Vec::new(),
                sentence: sentence.clone(),
            });
        }
        destinations.push(DestinationGroup {
            bucket: key.written.to_string(),
            name: key.name.to_string(),
            region,
            account,
            rules: edges,
        });
    }
    summary.extend(invalid.into_iter().map(|(_, s)| s));
    Explanation {
        summary,
        gaps: gaps(doc, &items),
        destinations,
    }
}

/// Parse `text` (XML or JSON, detected unless `format` is given) and explain it; `None` when
/// the text does not yield a document.
pub fn explain_text(
    text: &str,
    format: Option<crate::model::Format>,
    context: &crate::context::DeploymentContext,
) -> Option<Explanation> {
    let doc = crate::parse(text, format).document?;
    let ctx = Resolved::new(context, &doc);
    Some(explain(&doc, &ctx))
}
