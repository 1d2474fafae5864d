//! The words for what the governing rule does to the object: replica encryption, and why a
//! rule that also matched lost.

use super::docs;

use super::{Encryption, ObjectSpec};
use crate::context::Resolved;
use crate::model::Rule;

pub(super) fn replica_encryption(
    rule: &Rule,
    object: &ObjectSpec,
    bucket: &str,
    ctx: &Resolved,
) -> (String, Option<String>, bool) {
    match object.encryption {
        Encryption::SseKms | Encryption::DsseKms => {
            let kind = object.encryption.as_str();
            if rule.use_source_mrk() {
                (
                    format!("{kind} with the multi-Region replica of the source key in the destination Region (`UseSourceMultiRegionKey` Enabled; the source key must be a multi-Region `mrk-` key)"),
                    rule.replica_kms_key().map(str::to_string),
                    true,
                )
            } else if let Some(key) = rule.replica_kms_key() {
                (
                    format!("{kind} with the replica key `{key}`"),
                    Some(key.to_string()),
                    false,
                )
            } else {
                (
                    format!("{kind}, but the rule names no `ReplicaKmsKeyID`: S3 rejects a rule that opts in KMS objects without one ({})", docs::KMS),
                    None,
                    false,
                )
            }
        }
        Encryption::SseC => (
            format!(
                "SSE-C with the same customer-provided key; S3 has replicated SSE-C objects since 2022 without extra settings ({})",
                docs::KMS
            ),
            None,
            false,
        ),
        Encryption::None | Encryption::SseS3 => {
            let dest_default = ctx
                .destination(bucket)
                .and_then(|d| d.default_encryption.as_deref())
                .filter(|e| e.contains("KMS"));
            let text = match dest_default {
                Some(e) => format!(
                    "the destination bucket's default encryption ({e}, from the deployment context); the replica's ETag differs from the source's and the role needs `kms:GenerateDataKey` on that key ({})",
                    docs::KMS
                ),
                None if object.encryption == Encryption::SseS3 => format!(
                    "SSE-S3, like the source object (a destination whose default encryption is SSE-KMS or DSSE-KMS would apply that instead; {})",
                    docs::KMS
                ),
                None => format!(
                    "unencrypted at the source, so the replica gets the destination bucket's default encryption ({})",
                    docs::KMS
                ),
            };
            (text, None, false)
        }
    }
}

pub(super) fn also_matched_detail(
    rule: &Rule,
    winner: &Rule,
    winner_index: usize,
    delete_marker: bool,
) -> String {
    let winner_label = winner.label(winner_index);
    let mut s = match (rule.priority_value(), winner.priority_value()) {
        (Some(p), Some(w)) if p == w => format!(
            "also selects the object with the same priority ({p}) as {winner_label}; S3 rejects duplicate priorities, so which one wins is undefined (this simulation takes the first in document order)"
        ),
        (Some(p), Some(w)) => format!(
            "also selects the object, but {winner_label} has a higher priority ({w} > {p}) for the same destination, so its settings apply ({})",
            docs::CONFIG
        ),
        (None, None) => format!(
            "also selects the object; V1 rules have no priority and S3 refuses V1 rules with overlapping prefixes, so this simulation takes {winner_label}, the first in document order"
        ),
        (None, Some(_)) => format!(
            "also selects the object, but has no Priority (S3 requires one in V2 rules); {winner_label} governs"
        ),
        (Some(_), None) => format!(
            "also selects the object; {winner_label} governs (it has no Priority, which S3 requires in V2 rules; this simulation takes the first in document order)"
        ),
    };
    if delete_marker && rule.copies_delete_markers() && !winner.copies_delete_markers() {
        s.push_str(
            "; its own delete-marker replication does not apply (the governing rule's settings decide; inferred from the documented priority behaviour)",
        );
    }
    s
}
