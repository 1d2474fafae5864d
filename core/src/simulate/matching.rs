//! Does one rule select the object, and if not, why not (before priorities are compared).

use super::docs;
use super::queries::describe_unanalyzable;
use super::{ObjectSpec, Reason};
use crate::analysis::filter_set::{rule_object_set, ObjectSet};
use crate::model::{Rule, SchemaVersion};

/// Where a rule stands before priorities are compared.
pub(super) enum Stage {
    Candidate,
    Rejected(Reason, String),
}

fn quote_tags(tags: &[(&str, &str)]) -> String {
    let parts: Vec<String> = tags.iter().map(|(k, v)| format!("`{k}={v}`")).collect();
    parts.join(", ")
}

/// Why `set` does not match the object (the first failing condition, in filter order).
fn mismatch(set: &ObjectSet, key: &str, tags: &[(&str, &str)]) -> (Reason, String) {
    if !key.starts_with(set.prefix) {
        return (
            Reason::PrefixMismatch,
            format!(
                "the key `{key}` does not start with the rule's prefix `{}` (prefixes are literal, case-sensitive starts-with matches)",
                set.prefix
            ),
        );
    }
    let mut problems = Vec::new();
    for (k, v) in &set.tags {
        match tags.iter().find(|(ok, _)| ok == k) {
            None => problems.push(format!(
                "the object has no tag `{k}` (the rule needs `{k}={v}`)"
            )),
            Some((_, ov)) if ov != v => problems.push(format!(
                "the object's tag `{k}` is `{ov}`, the rule needs `{k}={v}`"
            )),
            Some(_) => {}
        }
    }
    if !problems.is_empty() {
        return (
            Reason::TagMismatch,
            format!(
                "{}; every tag of the filter must be present with exactly that value ({})",
                problems.join("; "),
                docs::CONFIG
            ),
        );
    }
    if let Some(e) = set.excluded_prefixes.iter().find(|e| key.starts_with(**e)) {
        return (
            Reason::ExcludedByNot,
            format!("the key `{key}` starts with `{e}`, which the rule's `Not` excludes"),
        );
    }
    let hit: Vec<(&str, &str)> = set
        .excluded_tags
        .iter()
        .filter(|t| tags.contains(t))
        .copied()
        .collect();
    if !hit.is_empty() {
        return (
            Reason::ExcludedByNot,
            format!(
                "the object carries {}, which the rule's `Not` excludes",
                quote_tags(&hit)
            ),
        );
    }
    (
        Reason::PrefixMismatch,
        format!(
            "the rule's filter ({}) does not select this object",
            set.describe()
        ),
    )
}

pub(super) fn evaluate(
    rule: &Rule,
    index: usize,
    object: &ObjectSpec,
    tags: &[(&str, &str)],
) -> Stage {
    if rule.destination_bucket().is_none() {
        return Stage::Rejected(
            Reason::InvalidRule,
            format!(
                "{} names no destination bucket; S3 rejects such a rule",
                rule.label(index)
            ),
        );
    }
    let set = match rule_object_set(rule) {
        Ok(s) => s,
        Err(u) => {
            return Stage::Rejected(
                Reason::InvalidRule,
                format!(
                    "S3 rejects this rule because {}, so it replicates nothing",
                    describe_unanalyzable(u)
                ),
            )
        }
    };
    if !rule.is_enabled() {
        let status = match &rule.status {
            Some(s) if s.value == "Disabled" => "its Status is `Disabled`".to_string(),
            Some(s) => format!(
                "its Status is `{}`, not `Enabled` (values are case-sensitive)",
                s.value
            ),
            None => "it has no Status".to_string(),
        };
        let would = if set.matches(&object.key, tags) {
            "; its filter would otherwise select this object"
        } else {
            ""
        };
        return Stage::Rejected(
            Reason::RuleDisabled,
            format!("the rule is not in effect: {status}{would}"),
        );
    }
    if !set.matches(&object.key, tags) {
        let (reason, detail) = mismatch(&set, &object.key, tags);
        // A delete marker fails a tag filter because it has no tags: say that instead.
        if !(object.delete_marker && reason == Reason::TagMismatch) {
            return Stage::Rejected(reason, detail);
        }
    }
    if object.delete_marker
        && rule.schema_version() == Some(SchemaVersion::V2)
        && rule.is_tag_based()
    {
        return Stage::Rejected(
            Reason::DeleteMarkerNotReplicated,
            format!(
                "rules whose filter uses a tag never replicate delete markers, which carry no tags ({})",
                docs::DELETE_MARKERS
            ),
        );
    }
    if !object.delete_marker && object.encryption.is_kms() && !rule.sse_kms_enabled() {
        return Stage::Rejected(
            Reason::KmsNotSelected,
            format!(
                "the object is {}-encrypted and the rule does not set `SourceSelectionCriteria/SseKmsEncryptedObjects/Status` to `Enabled`, so this rule does not select it ({}); `SourceSelectionCriteria` is documented as an additional filter, so a lower-priority rule that opts in can still replicate it ({})",
                object.encryption.as_str(),
                docs::KMS,
                docs::SELECTION
            ),
        );
    }
    Stage::Candidate
}
