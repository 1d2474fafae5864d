//! The replication role's permissions: read the source, replicate to each destination, use
//! the KMS keys.

use super::index::Groups;
use super::statement::{
    bucket_keys_phrase, cat, context_values, document, kms_condition, object_arns, Stmt,
};
use super::Common;
use crate::policy::json::Json;
use crate::policy::{DocumentKind, PolicyDocument};

/// The role permissions document; `None` when the configuration needs no statement.
pub(super) fn role_permissions(c: &Common) -> Option<PolicyDocument> {
    let &Common { plan, role, .. } = c;
    // At most: three source statements, four per destination, one per key.
    let mut role_stmts =
        Vec::with_capacity(4 + 4 * plan.destinations.len() + plan.replica_keys.len());
    if !plan.rules.is_empty() {
        source_statements(c, &mut role_stmts);
    }
    replicate_statements(c, &mut role_stmts);
    kms_statements(c, &mut role_stmts);
    if role_stmts.is_empty() {
        return None;
    }
    Some(document(
        DocumentKind::RolePermissions,
        "Replication role permissions".to_string(),
        role.to_string(),
        "Attach as an inline or customer managed policy to the replication role.".to_string(),
        None,
        role_stmts,
    ))
}

/// Read the configuration, the source objects and (with Object Lock) their retention.
fn source_statements(c: &Common, role_stmts: &mut Vec<Stmt>) {
    let &Common {
        plan,
        ref g,
        ref src_arn,
        ref all_rules,
        ref all_prefixes,
        ..
    } = c;
    let all_labels = g.reason(all_rules, &[]);
    role_stmts.push(Stmt::new(
        "SourceBucketConfig",
        cat(&[&all_labels, ": S3 reads the replication configuration and lists the source bucket's versions (ListBucket is needed for delete markers)"]),
        &["s3:GetReplicationConfiguration", "s3:ListBucket"],
        Json::str(src_arn.as_str()),
    ));
    let src_objects = Json::Arr(object_arns(src_arn, all_prefixes));
    let lock_objects = (plan.object_lock == Some(true)).then(|| src_objects.clone());
    role_stmts.push(Stmt::new(
        "SourceObjectVersions",
        cat(&[&all_labels, ": read each object version to replicate, its ACL and its tags (GetObjectVersionForReplication also covers SSE-KMS objects, GetObjectVersion does not)"]),
        &["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
        src_objects,
    ));
    if let Some(objects) = lock_objects {
        role_stmts.push(Stmt::new(
            "SourceObjectLock",
            "the source bucket uses Object Lock (deployment context): S3 reads retention and legal hold to copy them to the replicas",
            &["s3:GetObjectRetention", "s3:GetObjectLegalHold"],
            objects,
        ));
    }
}

/// Write replicas to each destination, one statement per set of actions its rules need.
fn replicate_statements(c: &Common, role_stmts: &mut Vec<Stmt>) {
    let &Common {
        plan,
        ref g,
        ref by_dest,
        ..
    } = c;
    for (d, dest) in plan.destinations.iter().enumerate() {
        // Group this destination's rules by the action set they need.
        let mut groups: Vec<((bool, bool), Vec<usize>)> = Vec::new();
        for &r in by_dest.get(d) {
            let rule = g.rule(r);
            let key = (rule.delete_markers, rule.owner_override);
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, v)) => v.push(r),
                None => groups.push((key, vec![r])),
            }
        }
        let several = groups.len() > 1;
        for ((dm, oo), rules) in groups {
            let mut actions = vec!["s3:ReplicateObject"];
            let mut reason = g.reason(
                &rules,
                &[
                    " replicate to `",
                    &dest.bucket,
                    "`: write replicas and their tags",
                ],
            );
            if dm {
                actions.push("s3:ReplicateDelete");
                reason.push_str("; replicate delete markers (V1 rules always do; V2 rules with DeleteMarkerReplication Enabled)");
            }
            actions.push("s3:ReplicateTags");
            if oo {
                actions.push("s3:ObjectOwnerOverrideToBucketOwner");
                reason.push_str(
                    "; make the destination owner own the replicas (AccessControlTranslation)",
                );
            }
            role_stmts.push(Stmt::new(
                cat(&[
                    "ReplicateTo",
                    &g.dest_camel[d],
                    if several && dm { "WithDeletes" } else { "" },
                    if several && oo {
                        "WithOwnerOverride"
                    } else {
                        ""
                    },
                ]),
                reason,
                &actions,
                Json::Arr(object_arns(&g.dest_arns[d], &g.reduce(&rules))),
            ));
        }
    }
}

/// Decrypt SSE-KMS source objects and encrypt their replicas with each replica key.
fn kms_statements(c: &Common, role_stmts: &mut Vec<Stmt>) {
    let &Common {
        plan,
        ref g,
        ref src_arn,
        ref all_rules,
        ..
    } = c;
    let kms_rules: Vec<usize> = all_rules
        .iter()
        .copied()
        .filter(|&r| g.rule(r).kms)
        .collect();
    if !kms_rules.is_empty() {
        let prefixes = g.reduce(&kms_rules);
        let keys: Vec<Json> = plan
            .source_keys
            .iter()
            .map(|k| Json::str(k.arn.text()))
            .collect();
        role_stmts.push(
            Stmt::new(
                "DecryptSourceObjects",
                g.reason(&kms_rules, &[
                    " replicate SSE-KMS objects (SseKmsEncryptedObjects): S3 decrypts them with the source key, called through S3 in ",
                    plan.source_region.text(),
                    "; ",
                    &bucket_keys_phrase(plan.source_bucket_keys, "the source bucket"),
                ]),
                &["kms:Decrypt"],
                Json::Arr(keys),
            )
            .condition(kms_condition(
                "StringLike",
                &plan.source_region,
                Some(context_values(src_arn, &prefixes, plan.source_bucket_keys)),
            )),
        );
        let by_key = Groups::new(
            plan.replica_keys.len(),
            kms_rules
                .iter()
                .filter_map(|&r| g.rule(r).replica_key.map(|k| (k, r))),
        );
        let mut phrases: Vec<Option<String>> = vec![None; plan.destinations.len()];
        for (k, key) in plan.replica_keys.iter().enumerate() {
            let rules = by_key.get(k);
            if rules.is_empty() {
                continue;
            }
            let Some((d, dest)) = key
                .dest
                .and_then(|d| plan.destinations.get(d).map(|dest| (d, dest)))
            else {
                continue;
            };
            let facts = g.replica(d);
            let phrase = phrases[d]
                .get_or_insert_with(|| bucket_keys_phrase(dest.bucket_keys, "the destination"));
            role_stmts.push(
                Stmt::new(
                    cat(&["EncryptReplicasIn", &g.dest_camel[d]]),
                    g.reason(
                        rules,
                        &[
                            " encrypt replicas in `",
                            &dest.bucket,
                            "` with this key, called through S3 in ",
                            dest.region.text(),
                            "; ",
                            phrase,
                            &facts.why,
                        ],
                    ),
                    &facts.actions,
                    Json::str(key.arn.text()),
                )
                .condition(kms_condition(
                    "StringLike",
                    plan.replica_key_region(key),
                    Some(context_values(
                        &g.dest_arns[d],
                        &g.reduce(rules),
                        dest.bucket_keys,
                    )),
                )),
            );
        }
    }
}
