//! KMS key policy statements: every source key, and replica keys owned by another account.

use super::index::ReplicaFacts;
use super::statement::{cat, document, kms_condition, Stmt};
use super::Common;
use crate::fx::FxSet;
use crate::policy::json::Json;
use crate::policy::{DocumentKind, PolicyDocument};

/// One document per source key, then one per cross-account replica key.
pub(super) fn key_policies(c: &Common, documents: &mut Vec<PolicyDocument>) {
    let &Common {
        plan, ref g, role, ..
    } = c;
    for key in &plan.source_keys {
        let reason = if key.cross_account {
            format!(
                "the key belongs to account {}, not the role's: its owner must let the role decrypt source objects",
                key.account.as_deref().unwrap_or("?")
            )
        } else {
            "needed only if this key's policy does not delegate to IAM (no statement for the account root); then the role's own kms:Decrypt permission is not enough".to_string()
        };
        let stmt = Stmt::new(
            "AllowReplicationRoleToDecrypt",
            reason,
            &["kms:Decrypt"],
            Json::lit("*"),
        )
        .principal(Json::obj(vec![("AWS", Json::str(role))]))
        .condition(kms_condition("StringEquals", &key.region, None));
        documents.push(document(
            DocumentKind::KmsKeyPolicy,
            cat(&["Key policy statement for the source key ", key.arn.text()]),
            key.arn.text().to_string(),
            "Add this statement to the key's existing key policy (do not replace the policy: that would remove the key administrators).".to_string(),
            None,
            [stmt],
        ));
    }
    let mut seen: FxSet<&str> = FxSet::default();
    for key in plan.replica_keys.iter().filter(|k| k.cross_account) {
        if !seen.insert(key.arn.text()) {
            continue;
        }
        let uncached;
        let facts = match key.dest.filter(|&d| d < plan.destinations.len()) {
            Some(d) => g.replica(d),
            None => {
                uncached = ReplicaFacts::new(None);
                &uncached
            }
        };
        let account = key.account.as_deref().unwrap_or("?");
        let stmt = Stmt::new(
            "AllowSourceReplicationRole",
            cat(&[
                "the replica key belongs to account ",
                account,
                ": its owner must let the source role use it (the role's own policy is needed too)",
                &facts.why,
            ]),
            &facts.actions,
            Json::lit("*"),
        )
        .principal(Json::obj(vec![("AWS", Json::str(role))]))
        .condition(kms_condition(
            "StringEquals",
            plan.replica_key_region(key),
            None,
        ));
        documents.push(document(
            DocumentKind::KmsKeyPolicy,
            cat(&["Key policy statement for the replica key ", key.arn.text()]),
            key.arn.text().to_string(),
            cat(&[
                "In account ",
                account,
                ", add this statement to the key's existing key policy (a customer managed key: AWS managed keys cannot be used across accounts).",
            ]),
            None,
            [stmt],
        ));
    }
}
