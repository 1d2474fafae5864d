//! The answer for one destination bucket: which rule governs it and what it does.

use super::matching::Stage;
use super::outcome::{also_matched_detail, replica_encryption};
use super::queries::{destination_facts, precedence, rule_id, DestinationKey};
use super::{docs, AlsoMatched, DestinationOutcome, Encryption, ObjectSpec, Reason, RuleOutcome};
use crate::context::Resolved;
use crate::model::{Document, Rule, SchemaVersion};

/// The answer for one destination bucket; marks the rules that lost in `rule_out`.
pub(super) fn destination_outcome(
    doc: &Document,
    key: &DestinationKey,
    stages: &[Stage],
    object: &ObjectSpec,
    ctx: &Resolved,
    rule_out: &mut [RuleOutcome],
) -> DestinationOutcome {
    let (region, account) = destination_facts(doc, key, ctx);
    let mut candidates: Vec<(usize, &Rule)> = key
        .rules
        .iter()
        .filter(|&&i| matches!(stages.get(i), Some(Stage::Candidate)))
        .filter_map(|&i| doc.rules.get(i).map(|r| (i, r)))
        .collect();
    crate::sort::sort_by(&mut candidates, |a, b| precedence(*a, *b)); // total order: ties broken by index
    let mut out = DestinationOutcome {
        bucket: key.written.to_string(),
        name: key.name.to_string(),
        region,
        account,
        replicated: false,
        rule: None,
        rule_index: None,
        priority: None,
        storage_class: None,
        replica_encryption: None,
        replica_kms_key_id: None,
        use_source_multi_region_key: false,
        owner_override: false,
        rtc: false,
        also_matched: Vec::new(),
        detail: String::new(),
    };
    let Some(&(wi, winner)) = candidates.first() else {
        out.detail = format!(
            "Not replicated to `{}`: no enabled rule for this bucket selects the object.",
            key.name
        );
        return out;
    };
    let label = winner.label(wi);
    let prio = winner
        .priority_value()
        .map_or(String::new(), |p| format!(" (priority {p})"));
    out.rule = rule_id(winner);
    out.rule_index = Some(wi);
    out.priority = winner.priority_value();
    for &(li, loser) in candidates.iter().skip(1) {
        let detail = also_matched_detail(loser, winner, wi, object.delete_marker);
        out.also_matched.push(AlsoMatched {
            id: rule_id(loser),
            index: li,
            priority: loser.priority_value(),
            reason: Reason::LowerPriority,
            detail: detail.clone(),
        });
        if let Some(r) = rule_out.get_mut(li) {
            r.reason = Reason::LowerPriority;
            r.detail = detail;
        }
    }
    let (reason, detail) = verdict(winner, &label, &prio, key, object, ctx, &mut out);
    if let Some(r) = rule_out.get_mut(wi) {
        r.reason = reason;
        r.detail = detail.clone();
    }
    out.detail = detail;
    out
}

/// What the governing rule does with the object, filling in `out`'s settings when it is
/// replicated.
fn verdict(
    winner: &Rule,
    label: &str,
    prio: &str,
    key: &DestinationKey,
    object: &ObjectSpec,
    ctx: &Resolved,
    out: &mut DestinationOutcome,
) -> (Reason, String) {
    if object.is_replica {
        let mut d = format!(
        "Not replicated to `{}`: {label}{prio} selects the object, but it is itself a replica and S3 does not replicate replicas again ({})",
        key.name,
        docs::WHAT
    );
        if winner.replica_modifications() {
            d.push_str(&format!(
            ". Because the rule enables `ReplicaModifications`, changes to this replica's metadata (tags, ACL, Object Lock settings) are replicated to `{}` ({})",
            key.name,
            docs::REPLICA_MODS
        ));
        }
        d.push('.');
        (Reason::ReplicaNotReplicated, d)
    } else if object.delete_marker {
        if winner.schema_version() == Some(SchemaVersion::V1) {
            out.replicated = true;
            (
            Reason::Replicates,
            format!(
                "Replicated to `{}` by {label}: V1 rules copy delete markers created by user DELETE requests (not those a lifecycle rule creates); deleting a specific version is never replicated ({}).",
                key.name,
                docs::DELETE_MARKERS
            ),
        )
        } else if winner.delete_markers_enabled() {
            out.replicated = true;
            let rtc = if winner.rtc_enabled() {
                " The 15-minute RTC guarantee does not cover delete markers."
            } else {
                ""
            };
            (
            Reason::Replicates,
            format!(
                "Replicated to `{}` by {label}{prio}: `DeleteMarkerReplication` is Enabled (delete markers created by lifecycle rules and deletes of a specific version are still not replicated; {}).{rtc}",
                key.name,
                docs::DELETE_MARKERS
            ),
        )
        } else {
            (
            Reason::DeleteMarkerNotReplicated,
            format!(
                "Not replicated to `{}`: {label}{prio} governs this key and its `DeleteMarkerReplication` is not Enabled, so the delete marker stays in the source bucket ({}).",
                key.name,
                docs::DELETE_MARKERS
            ),
        )
        }
    } else {
        out.replicated = true;
        let (enc, kms_key, mrk) = replica_encryption(winner, object, key.written, ctx);
        let class = winner
            .storage_class()
            .map_or("same as source".to_string(), str::to_string);
        let mut d = format!("Replicated to `{}` by {label}{prio}", key.name);
        match winner.storage_class() {
            Some(c) => d.push_str(&format!(" as {c}")),
            None => d.push_str(", keeping the source object's storage class"),
        }
        if winner.owner_override() {
            d.push_str(&format!(
                "; the replica is owned by the destination account ({})",
                docs::OWNER
            ));
        }
        if object.encryption.is_kms() || object.encryption == Encryption::SseC {
            d.push_str(&format!("; replica encryption: {enc}"));
        }
        if winner.rtc_enabled() {
            d.push_str(&format!(
                "; S3 RTC aims to copy it within 15 minutes ({})",
                docs::RTC
            ));
        }
        d.push('.');
        out.storage_class = Some(class);
        out.replica_encryption = Some(enc);
        out.replica_kms_key_id = kms_key;
        out.use_source_multi_region_key = mrk;
        out.owner_override = winner.owner_override();
        out.rtc = winner.rtc_enabled();
        (Reason::Replicates, d)
    }
}
