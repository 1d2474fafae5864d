//! The role's permissions policy: every action replication performs on the source, the
//! destinations and the keys.

use super::kms::{kms_check, KmsCheck};
use super::missing::report_missing;
use super::resource_policies::role_caller;
use super::{allowed, bucket_arn, object_sample, s3_request, shown_objects, Sink};
use crate::catalogue::audit as r;
use crate::catalogue::RuleMeta;
use crate::diagnostic::Severity;
use crate::policy::iam::{self, Caller, Outcome, Policy, Request};
use crate::policy::plan::{reduce_prefixes, Known, Plan, RulePlan};

/// `bucket_policies`: the destination bucket policies given with this policy. In the role's
/// own account a bucket policy that grants the role is enough (IAM allows a request that
/// either the identity or the resource policy allows), so a write it grants is not missing.
pub(super) fn audit_role(
    plan: &Plan,
    p: &Policy,
    bucket_policies: &[Policy],
    key_policies: &[(Option<String>, Policy)],
    sink: &mut Sink,
) {
    if plan.rules.is_empty() {
        return;
    }
    let src = &plan.source_bucket;
    let src_arn = bucket_arn(plan, src);
    let src_shown = plan.source_bucket_arn();
    for action in ["s3:GetReplicationConfiguration", "s3:ListBucket"] {
        report_missing(
            sink,
            p,
            &r::SOURCE_BUCKET_ACCESS,
            &s3_request(action, src_arn.clone()),
            &src_shown,
            "S3 cannot read the replication configuration or list versions, so replication does not run (ListBucket is needed for delete markers)",
        );
    }
    let any_kms = plan.any_kms();
    let prefixes = reduce_prefixes(plan.rules.iter().map(|r| r.prefix.as_str()));
    for prefix in &prefixes {
        let res = object_sample(plan, src, prefix);
        let shown = shown_objects(plan, src.text(), prefix);
        let for_repl = s3_request("s3:GetObjectVersionForReplication", res.clone());
        if !allowed(p, &for_repl) {
            let plain = s3_request("s3:GetObjectVersion", res.clone());
            if let Outcome::Allowed(i) = iam::evaluate(p, &plain) {
                let s = &p.statements[i];
                let hit = s
                    .actions
                    .iter()
                    .find(|a| a.value.eq_ignore_ascii_case("s3:GetObjectVersion"));
                let (span, path) = hit
                    .map_or((s.action_span.unwrap_or(s.span), s.path.clone()), |a| {
                        (a.span, a.path.clone())
                    });
                let d = sink.report(
                    &r::GET_OBJECT_VERSION,
                    span,
                    &path,
                    format!(
                        "The role grants s3:GetObjectVersion but not s3:GetObjectVersionForReplication on {shown}: {}",
                        if any_kms {
                            "SSE-KMS (and DSSE-KMS) objects cannot be replicated with it, and these rules replicate SSE-KMS objects"
                        } else {
                            "it replicates unencrypted and SSE-S3 objects only and grants more than replication needs"
                        }
                    ),
                );
                if !any_kms {
                    d.severity = Severity::Warning;
                }
                if let Some(a) = hit {
                    *d = d.clone().with_fix(
                        "Use s3:GetObjectVersionForReplication",
                        vec![(a.span, "\"s3:GetObjectVersionForReplication\"".to_string())],
                    );
                }
            } else {
                report_missing(
                    sink,
                    p,
                    &r::SOURCE_OBJECT_READ,
                    &for_repl,
                    &shown,
                    "S3 cannot read the object versions, so every object fails to replicate",
                );
            }
        }
        report_missing(
            sink,
            p,
            &r::SOURCE_ACL_READ,
            &s3_request("s3:GetObjectVersionAcl", res.clone()),
            &shown,
            "AWS lists it in the minimum replication role; without it S3 cannot read the version's ACL to replicate it",
        );
        report_missing(
            sink,
            p,
            &r::SOURCE_TAGGING_READ,
            &s3_request("s3:GetObjectVersionTagging", res.clone()),
            &shown,
            "objects replicate without their tags",
        );
        if plan.object_lock == Some(true) {
            for action in ["s3:GetObjectRetention", "s3:GetObjectLegalHold"] {
                report_missing(
                    sink,
                    p,
                    &r::OBJECT_LOCK_READ,
                    &s3_request(action, res.clone()),
                    &shown,
                    "the source bucket uses Object Lock; S3 must read retention and legal hold to replicate locked objects",
                );
            }
        }
        if plan.batch {
            report_missing(
                sink,
                p,
                &r::BATCH_INITIATE,
                &s3_request("s3:InitiateReplication", res.clone()),
                &shown,
                "Batch Replication jobs fail for these objects",
            );
        }
    }
    if plan.batch {
        report_missing(
            sink,
            p,
            &r::BATCH_INVENTORY,
            &s3_request("s3:PutInventoryConfiguration", src_arn.clone()),
            &src_shown,
            "a Batch Replication job with an S3-generated manifest cannot create the manifest",
        );
    }

    for rule in &plan.rules {
        let Some(dest) = plan.destinations.get(rule.dest) else {
            continue;
        };
        let bucket = Known::Value(dest.bucket.clone());
        let res = object_sample(plan, &bucket, &rule.prefix);
        let shown = shown_objects(plan, &dest.bucket, &rule.prefix);
        // In the role's own account a bucket policy grant is enough, unless the role's policy
        // denies the write.
        let write = |sink: &mut Sink, meta: &'static RuleMeta, action, consequence: &str| {
            let req = s3_request(action, res.clone());
            let by_bucket_policy = !dest.cross_account
                && !matches!(iam::evaluate(p, &req), Outcome::Denied(_))
                && bucket_policies.iter().any(|bp| {
                    let as_role = Request {
                        caller: role_caller(plan),
                        ..req.clone()
                    };
                    allowed(bp, &as_role)
                });
            if !by_bucket_policy {
                report_missing(sink, p, meta, &req, &shown, consequence);
            }
        };
        write(
            sink,
            &r::REPLICATE_OBJECT,
            "s3:ReplicateObject",
            &format!(
                "{} cannot write replicas; objects fail with AccessDenied on the destination",
                rule.label
            ),
        );
        if rule.delete_markers {
            write(
                sink,
                &r::REPLICATE_DELETE,
                "s3:ReplicateDelete",
                &format!(
                    "{} replicates delete markers, which fail with DstDelObjNotPermitted",
                    rule.label
                ),
            );
        }
        write(
            sink,
            &r::REPLICATE_TAGS,
            "s3:ReplicateTags",
            "tag changes are not replicated (AWS lists s3:ReplicateTags with ReplicateObject)",
        );
        if rule.owner_override {
            write(
                sink,
                &r::OWNER_OVERRIDE,
                "s3:ObjectOwnerOverrideToBucketOwner",
                &format!("{} sets AccessControlTranslation, so replication of its objects fails without it", rule.label),
            );
        }
    }

    // KMS.
    let kms_rules: Vec<&RulePlan> = plan.rules.iter().filter(|r| r.kms).collect();
    if kms_rules.is_empty() {
        return;
    }
    for key in &plan.source_keys {
        for rule in &kms_rules {
            kms_check(
                sink,
                p,
                KmsCheck {
                    action: "kms:Decrypt",
                    key,
                    region: &plan.source_region,
                    object: object_sample(plan, src, &rule.prefix),
                    bucket: src_arn.clone(),
                    bucket_keys: plan.source_bucket_keys,
                    missing: &r::SOURCE_KEY_DECRYPT,
                    key_policies,
                    role: role_caller(plan),
                    consequence: format!(
                        "{} replicates SSE-KMS objects, which fail because S3 cannot decrypt them",
                        rule.label
                    ),
                    caller: Caller::Identity,
                },
            );
        }
    }
    for rule in &kms_rules {
        let Some(key) = rule.replica_key.and_then(|k| plan.replica_keys.get(k)) else {
            continue;
        };
        let Some(dest) = plan.destinations.get(rule.dest) else {
            continue;
        };
        let bucket = Known::Value(dest.bucket.clone());
        let base = KmsCheck {
            action: "kms:Encrypt",
            key,
            region: &dest.region,
            object: object_sample(plan, &bucket, &rule.prefix),
            bucket: bucket_arn(plan, &bucket),
            bucket_keys: dest.bucket_keys,
            missing: &r::REPLICA_KEY_ENCRYPT,
            key_policies,
            role: role_caller(plan),
            consequence: format!("{} cannot encrypt replicas with the replica key; SSE-KMS objects fail (S3 reports a destination KMS failure such as DstKmsKeyNotFound)", rule.label),
            caller: Caller::Identity,
        };
        kms_check(sink, p, base.clone());
        let default_enc = dest.default_encryption.as_deref();
        if !default_enc.is_some_and(|e| e.eq_ignore_ascii_case("SSE-S3")) {
            kms_check(
                sink,
                p,
                KmsCheck {
                    action: "kms:GenerateDataKey",
                    missing: &r::REPLICA_KEY_EXTRA,
                    consequence: "needed when objects stored unencrypted at the source land in a destination whose default encryption is SSE-KMS or DSSE-KMS".to_string(),
                    ..base.clone()
                },
            );
        }
        if dest.bucket_keys == Some(true) {
            kms_check(
                sink,
                p,
                KmsCheck {
                    action: "kms:Decrypt",
                    missing: &r::REPLICA_KEY_EXTRA,
                    consequence:
                        "the destination uses S3 Bucket Keys, and S3 must decrypt the bucket key"
                            .to_string(),
                    ..base
                },
            );
        }
    }
}
