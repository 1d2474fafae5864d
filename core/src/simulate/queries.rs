//! Questions about one rule or the document that `simulate`, `explain` and policy planning
//! all ask.

use crate::analysis::filter_set::Unanalyzable;
use crate::arn;
use crate::context::{Fact, Resolved};
use crate::model::{Document, Rule, SchemaVersion};

/// ``rule `id` `` or `rule #4` (for rules without an ID): the diagnostics' wording.
pub(crate) use crate::rules::destination::util::rule_label;

pub(crate) fn rule_id(rule: &Rule) -> Option<String> {
    rule.id.as_ref().map(|v| v.value.to_string())
}

pub(crate) fn priority(rule: &Rule) -> Option<i64> {
    rule.priority.as_ref().map(|p| p.value)
}

/// Orders rules for one destination: higher priority first, missing priority last, then
/// document order.
pub(crate) fn precedence(a: (usize, &Rule), b: (usize, &Rule)) -> std::cmp::Ordering {
    let pa = priority(a.1).map_or(i128::MIN, i128::from);
    let pb = priority(b.1).map_or(i128::MIN, i128::from);
    pb.cmp(&pa).then(a.0.cmp(&b.0))
}

/// A rule whose filter mentions a tag anywhere (including `Not`/`Or`): S3 never replicates
/// delete markers for it.
pub(crate) fn is_tag_based(rule: &Rule) -> bool {
    !rule.filter_tags().is_empty()
}

/// Does the rule copy delete markers (V1: yes; V2: when Enabled and not tag-based)?
pub(crate) fn copies_delete_markers(rule: &Rule) -> bool {
    match rule.schema_version() {
        Some(SchemaVersion::V1) => true,
        Some(SchemaVersion::V2) => rule.delete_markers_enabled() && !is_tag_based(rule),
        None => false,
    }
}

pub(crate) fn owner_override(rule: &Rule) -> bool {
    rule.destination
        .as_ref()
        .and_then(|d| d.access_control_translation.as_ref())
        .and_then(|a| a.owner.as_ref())
        .is_some_and(|o| o.value == "Destination")
}

pub(crate) fn rtc_enabled(rule: &Rule) -> bool {
    rule.destination
        .as_ref()
        .and_then(|d| d.replication_time.as_ref())
        .is_some_and(|r| r.is_enabled())
}

pub(crate) fn metrics_enabled(rule: &Rule) -> bool {
    rule.destination
        .as_ref()
        .and_then(|d| d.metrics.as_ref())
        .is_some_and(|m| m.is_enabled())
}

pub(crate) fn storage_class(rule: &Rule) -> Option<&str> {
    rule.destination
        .as_ref()?
        .storage_class
        .as_ref()
        .map(|s| s.as_str())
}

pub(crate) fn replica_kms_key(rule: &Rule) -> Option<&str> {
    rule.destination
        .as_ref()?
        .encryption_configuration
        .as_ref()?
        .replica_kms_key_id
        .as_ref()
        .map(|k| k.as_str())
}

pub(crate) use crate::rules::kms::use_source_mrk;

pub(crate) fn replica_modifications(rule: &Rule) -> bool {
    rule.source_selection_criteria
        .as_ref()
        .and_then(|s| s.replica_modifications.as_ref())
        .is_some_and(|s| s.is_enabled())
}

pub(crate) fn account_element(rule: &Rule) -> Option<&str> {
    rule.destination
        .as_ref()?
        .account
        .as_ref()
        .map(|a| a.as_str())
}

pub(crate) fn describe_unanalyzable(u: Unanalyzable) -> &'static str {
    match u {
        Unanalyzable::NoFilter => "it has neither `Filter` nor a rule-level `Prefix`",
        Unanalyzable::FilterAndPrefix => "it has both `Filter` and a rule-level `Prefix`",
        Unanalyzable::Shape => {
            "its filter has more than one child, or an empty `And`, `Not` or `Or`"
        }
        Unanalyzable::IncompleteTag => "a tag in its filter lacks `Key` or `Value`",
    }
}

/// One destination bucket, as the rules name it.
pub(crate) struct DestinationKey<'a> {
    pub name: &'a str,
    pub written: &'a str,
    /// Indexes of the rules naming it, in document order.
    pub rules: Vec<usize>,
}

/// Distinct destination buckets (compared by bucket name), in document order.
pub(crate) fn destination_keys(doc: &Document) -> Vec<DestinationKey<'_>> {
    let mut out: Vec<DestinationKey> = Vec::new();
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(bucket) = rule.destination_bucket() else {
            continue;
        };
        let name = arn::bucket_name(bucket);
        match out.iter_mut().find(|d| d.name == name) {
            Some(d) => d.rules.push(i),
            None => out.push(DestinationKey {
                name,
                written: bucket,
                rules: vec![i],
            }),
        }
    }
    out
}

/// Destination Region and owner facts, the account taken from the first rule that names one.
pub(crate) fn destination_facts(
    doc: &Document,
    key: &DestinationKey,
    ctx: &Resolved,
) -> (Option<Fact>, Option<Fact>) {
    let account_el = key
        .rules
        .iter()
        .filter_map(|&i| doc.rules.get(i).and_then(account_element))
        .next();
    (
        ctx.destination_region(key.written),
        ctx.destination_account(key.written, account_el),
    )
}
