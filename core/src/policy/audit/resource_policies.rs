//! Resource policies: the trust policy, the destination's bucket policy and the key policies
//! of keys in other accounts.

use super::kms::{CTX, VIA};
use super::missing::report_missing;
use super::{allowed, object_sample, shown_objects, Loaded, Sink};
use crate::catalogue::audit as r;
use crate::policy::generate::{BATCH_SERVICE, S3_SERVICE};
use crate::policy::iam::{Caller, Policy, Request};
use crate::policy::plan::{KeyPlan, Known, Plan};

pub(super) fn audit_trust(plan: &Plan, p: &Policy, sink: &mut Sink) {
    let req = |svc: &'static str| Request {
        action: "sts:AssumeRole",
        resource: None,
        resource_shape: None,
        condition_keys: Vec::new(),
        caller: Caller::Service(svc),
    };
    report_missing(
        sink,
        p,
        &r::TRUST_S3,
        &req(S3_SERVICE),
        "the role",
        "S3 cannot assume the role; every object fails with AssumeRoleNotPermitted",
    );
    if plan.batch {
        report_missing(
            sink,
            p,
            &r::TRUST_BATCH,
            &req(BATCH_SERVICE),
            "the role",
            "S3 Batch Operations cannot assume the role, so Batch Replication jobs fail",
        );
    }
}

pub(super) fn role_caller(plan: &Plan) -> Caller {
    let arn = plan.role_arn.value();
    // The role is in its ARN's account, whatever the context says the source account is.
    let account = arn
        .and_then(|a| crate::arn::Arn::parse(a).ok())
        .map(|a| a.account.to_string())
        .filter(|a| !a.is_empty())
        .or_else(|| plan.source_account.clone());
    Caller::Role {
        arn: arn.map(str::to_string),
        account,
    }
}

pub(super) fn audit_bucket_policy(plan: &Plan, p: &Policy, sink: &mut Sink) {
    let cross: Vec<usize> = (0..plan.destinations.len())
        .filter(|&d| plan.destinations[d].cross_account)
        .collect();
    // The destination this policy belongs to: the one it names, else the only cross-account one.
    let target = cross
        .iter()
        .copied()
        .find(|&d| {
            let named = format!(":s3:::{}", plan.destinations[d].bucket);
            p.statements
                .iter()
                .any(|s| s.resources.iter().any(|r| r.value.contains(&named)))
        })
        .or(if cross.len() == 1 {
            cross.first().copied()
        } else {
            None
        });
    let Some(d) = target else { return };
    let dest = &plan.destinations[d];
    let bucket = Known::Value(dest.bucket.clone());
    for rule in plan.rules.iter().filter(|r| r.dest == d) {
        let shown = shown_objects(plan, &dest.bucket, &rule.prefix);
        let mk = |action: &'static str| Request {
            action,
            resource: object_sample(plan, &bucket, &rule.prefix),
            resource_shape: None,
            condition_keys: Vec::new(),
            caller: role_caller(plan),
        };
        report_missing(
            sink,
            p,
            &r::BUCKET_POLICY_GRANT,
            &mk("s3:ReplicateObject"),
            &shown,
            &format!("`{}` is owned by another account, so its bucket policy must let the replication role write replicas ({})", dest.bucket, rule.label),
        );
        if rule.delete_markers {
            report_missing(
                sink,
                p,
                &r::BUCKET_POLICY_GRANT,
                &mk("s3:ReplicateDelete"),
                &shown,
                &format!(
                    "{} replicates delete markers, which fail with DstDelObjNotPermitted",
                    rule.label
                ),
            );
        }
        if rule.owner_override {
            report_missing(
                sink,
                p,
                &r::BUCKET_POLICY_OWNER_OVERRIDE,
                &mk("s3:ObjectOwnerOverrideToBucketOwner"),
                &shown,
                &format!("{} sets AccessControlTranslation: the destination owner must allow the source account to change replica ownership", rule.label),
            );
        }
    }
}

pub(super) fn audit_key_policies(plan: &Plan, loaded: &mut [&mut Loaded]) {
    let mut needs: Vec<(&KeyPlan, &'static str, &Known, String)> = Vec::new();
    for key in plan.replica_keys.iter().filter(|k| k.cross_account) {
        needs.push((key, "kms:Encrypt", plan.replica_key_region(key), format!("the replica key belongs to account {}: its key policy must let the replication role encrypt, or replicas cannot be encrypted (e.g. DstKmsKeyNotFound)", key.account.as_deref().unwrap_or("?"))));
    }
    for key in plan.source_keys.iter().filter(|k| k.cross_account) {
        needs.push((key, "kms:Decrypt", &key.region, format!("the source key belongs to account {}: its key policy must let the replication role decrypt", key.account.as_deref().unwrap_or("?"))));
    }
    for (key, action, region, why) in needs {
        let req = Request {
            action,
            resource: key.arn.value().map(str::to_string),
            resource_shape: key.shape.clone(),
            condition_keys: vec![
                (VIA, region.value().map(|r| format!("s3.{r}.amazonaws.com"))),
                (CTX, None),
            ],
            caller: role_caller(plan),
        };
        // A policy said to be another key's does not count for this one.
        let arn = key.arn.value();
        let applies = |l: &Loaded| l.key.is_none() || l.key.as_deref() == arn;
        let any = loaded
            .iter()
            .filter(|l| applies(l))
            .any(|l| l.policy.as_ref().is_some_and(|p| allowed(p, &req)));
        if any {
            continue;
        }
        if let Some(l) = loaded.iter_mut().find(|l| l.policy.is_some() && applies(l)) {
            if let Some(p) = &l.policy {
                let shown = key.arn.text().to_string();
                report_missing(&mut l.sink, p, &r::KEY_POLICY_GRANT, &req, &shown, &why);
            }
        }
    }
}
