//! Destination bucket policies: what another account's bucket must grant the source role.

use super::statement::{cat, document, object_arns, Stmt};
use super::Common;
use crate::policy::json::Json;
use crate::policy::{DocumentKind, PolicyDocument};

/// One document per cross-account destination bucket.
pub(super) fn destination_bucket_policies(c: &Common, documents: &mut Vec<PolicyDocument>) {
    let &Common {
        plan,
        ref g,
        role,
        ref by_dest,
        ..
    } = c;
    for (d, dest) in plan.destinations.iter().enumerate() {
        if !dest.cross_account {
            continue;
        }
        let rules = by_dest.get(d);
        let role_principal = Json::obj(vec![("AWS", Json::str(role))]);
        let mut actions = vec!["s3:ReplicateObject"];
        let dm: Vec<usize> = rules
            .iter()
            .copied()
            .filter(|&r| g.rule(r).delete_markers)
            .collect();
        let mut reason = g.reason(
            rules,
            &[
                " replicate into this bucket from account ",
                plan.source_account.as_deref().unwrap_or("?"),
            ],
        );
        if !dm.is_empty() {
            actions.push("s3:ReplicateDelete");
            reason.push_str("; ");
            g.push_labels(&mut reason, &dm);
            reason.push_str(" replicate delete markers");
        }
        actions.push("s3:ReplicateTags");
        reason.push_str("; object tags replicate");
        let dest_arn = &g.dest_arns[d];
        let mut stmts = vec![
            Stmt::new("ReplicationRoleObjects", reason, &actions, Json::Arr(object_arns(dest_arn, &g.reduce(rules)))).principal(role_principal.clone()),
            Stmt::new(
                "ReplicationRoleBucket",
                "bucket-level reads for the replication role (S3 checks the destination's versioning). AWS's example also grants s3:List* and s3:PutBucketVersioning: replication needs neither, List* names actions that do not apply to buckets, and PutBucketVersioning would let the source account suspend versioning here",
                &["s3:ListBucket", "s3:GetBucketVersioning"],
                Json::str(dest_arn.as_str()),
            )
            .principal(role_principal),
        ];
        let oo: Vec<usize> = rules
            .iter()
            .copied()
            .filter(|&r| g.rule(r).owner_override)
            .collect();
        if !oo.is_empty() {
            if let Some(acct) = &plan.source_account {
                stmts.push(
                    Stmt::new(
                        "AllowReplicaOwnershipChange",
                        g.reason(&oo, &[" set AccessControlTranslation Owner=Destination: the source account may hand replica ownership to this bucket's owner"]),
                        &["s3:ObjectOwnerOverrideToBucketOwner"],
                        Json::Arr(object_arns(dest_arn, &g.reduce(&oo))),
                    )
                    .principal(Json::obj(vec![("AWS", Json::str(acct))])),
                );
            }
        }
        documents.push(document(
            DocumentKind::DestinationBucketPolicy,
            cat(&["Bucket policy for the destination bucket ", &dest.bucket]),
            dest_arn.clone(),
            cat(&[
                "In account ",
                dest.account.as_deref().unwrap_or("?"),
                ", merge these statements into the bucket policy of `",
                &dest.bucket,
                "`. IAM stores the role's unique ID: if the role is deleted and re-created, save the bucket policy again.",
            ]),
            Some("PolicyForDestinationBucket"),
            stmts,
        ));
    }
}
