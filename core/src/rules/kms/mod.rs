//! Encryption and KMS checks (S3R400-S3R499).

use crate::model::{Document, EncryptionConfiguration, Rule, StatusBlock, Str, Val};
use crate::rules::support::facts::{destination_owner, source_account};
use crate::rules::CheckContext;

pub mod environment;
pub mod pairing;
pub mod replica_key;
pub mod replica_key_region;
pub mod source_key_region;

/// The start of every "accepted but broken" KMS message.
pub const FAILS: &str = "S3 accepts this, but replication of SSE-KMS objects fails";

/// Every `ReplicaKmsKeyID` that S3 would use: rules whose `SseKmsEncryptedObjects` is not
/// explicitly `Disabled` (S3R402 covers those), with the rule index. Checks read them parsed
/// from [`crate::rules::Facts::replica_keys`].
pub fn replica_keys(doc: &Document) -> impl Iterator<Item = (usize, &Val<Str>)> {
    doc.rules
        .iter()
        .enumerate()
        .filter(|(_, r)| !sse_explicitly_disabled(r))
        .filter_map(|(i, r)| {
            let key = r
                .destination
                .as_ref()?
                .encryption_configuration
                .as_ref()?
                .replica_kms_key_id
                .as_ref()?;
            Some((i, key))
        })
}

/// The rule's `SourceSelectionCriteria/SseKmsEncryptedObjects`.
pub fn sse_kms_objects(rule: &Rule) -> Option<&StatusBlock> {
    rule.source_selection_criteria
        .as_ref()
        .and_then(|s| s.sse_kms_encrypted_objects.as_ref())
}

/// The rule's `Destination/EncryptionConfiguration`.
pub fn encryption(rule: &Rule) -> Option<&EncryptionConfiguration> {
    rule.destination
        .as_ref()
        .and_then(|d| d.encryption_configuration.as_ref())
}

/// The rule's `Destination/EncryptionConfiguration/UseSourceMultiRegionKey`.
pub fn source_mrk(rule: &Rule) -> Option<&StatusBlock> {
    rule.source_mrk()
}

/// Whether the rule replicates with the source's multi-Region key (`UseSourceMultiRegionKey`
/// `Enabled`).
pub fn use_source_mrk(rule: &Rule) -> bool {
    rule.use_source_mrk()
}

fn sse_explicitly_disabled(r: &Rule) -> bool {
    sse_kms_objects(r)
        .and_then(|s| s.status.as_ref())
        .is_some_and(|s| s.as_str() == "Disabled")
}

/// Whether the rule's destination is owned by another account than the source; `None` when
/// either owner is unknown.
pub fn cross_account(cx: &CheckContext, rule: &Rule, i: usize) -> Option<bool> {
    let src = source_account(cx)?;
    let dst = destination_owner(cx, rule, i)?;
    Some(src.value != dst.value)
}

/// Enabled rules that replicate SSE-KMS objects.
pub fn kms_rules(doc: &Document) -> impl Iterator<Item = (usize, &Rule)> {
    doc.rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is_enabled() && r.sse_kms_enabled())
}

#[cfg(test)]
pub(crate) mod tests;
