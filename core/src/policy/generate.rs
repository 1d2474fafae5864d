//! Builds the policy documents from a [`Plan`].

use super::json::Json;
use super::plan::{reduce_prefixes, KeyPlan, Known, Plan, RulePlan};
use super::{DocumentKind, Note, Placeholder, PolicyDocument, PolicySet, StatementInfo};
use crate::diagnostic::Severity;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

pub(crate) const POLICY_VERSION: &str = "2012-10-17";
pub(crate) const S3_SERVICE: &str = "s3.amazonaws.com";
pub(crate) const BATCH_SERVICE: &str = "batchoperations.s3.amazonaws.com";
const BATCH_BUCKET: &str = "${BATCH_REPORT_BUCKET}";

/// One statement under construction.
struct Stmt {
    sid: String,
    reason: String,
    principal: Option<Json>,
    actions: Vec<&'static str>,
    resources: Vec<String>,
    condition: Option<Json>,
}

impl Stmt {
    fn new(
        sid: impl Into<String>,
        reason: impl Into<String>,
        actions: Vec<&'static str>,
        resources: Vec<String>,
    ) -> Stmt {
        Stmt {
            sid: sid.into(),
            reason: reason.into(),
            principal: None,
            actions,
            resources,
            condition: None,
        }
    }
    fn principal(mut self, p: Json) -> Stmt {
        self.principal = Some(p);
        self
    }
    fn condition(mut self, c: Json) -> Stmt {
        self.condition = Some(c);
        self
    }
    fn into_json(self) -> Json {
        let mut m: Vec<(&'static str, Json)> = Vec::with_capacity(6);
        m.push(("Sid", Json::str(self.sid)));
        m.push(("Effect", Json::lit("Allow")));
        if let Some(p) = self.principal {
            m.push(("Principal", p));
        }
        m.push(("Action", Json::lits(&self.actions)));
        m.push(("Resource", Json::one_or_many_owned(self.resources)));
        if let Some(c) = self.condition {
            m.push(("Condition", c));
        }
        Json::obj(m)
    }
}

fn document(
    kind: DocumentKind,
    title: String,
    attach_to: String,
    how_to_apply: String,
    id: Option<&str>,
    stmts: Vec<Stmt>,
) -> PolicyDocument {
    // Sids must be unique: the second `X` becomes `X2`, the next free `X<n>` after that. Per
    // base Sid, the last number tried is remembered (every smaller one is taken for good).
    let mut sids: HashSet<String> = HashSet::with_capacity(stmts.len());
    let mut next: HashMap<String, usize> = HashMap::new();
    let mut infos = Vec::with_capacity(stmts.len());
    let mut json_stmts = Vec::with_capacity(stmts.len());
    for mut s in stmts {
        if sids.contains(&s.sid) {
            let base = std::mem::take(&mut s.sid);
            let n = next.entry(base.clone()).or_insert(2);
            loop {
                s.sid.clear();
                s.sid.push_str(&base);
                // Writing to a String cannot fail.
                let _ = write!(s.sid, "{n}");
                *n += 1;
                if !sids.contains(&s.sid) {
                    break;
                }
            }
        }
        sids.insert(s.sid.clone());
        infos.push(StatementInfo {
            sid: s.sid.clone(),
            reason: std::mem::take(&mut s.reason),
        });
        json_stmts.push(s.into_json());
    }
    let mut top: Vec<(&'static str, Json)> = vec![("Version", Json::lit(POLICY_VERSION))];
    if let Some(id) = id {
        top.push(("Id", Json::str(id)));
    }
    top.push(("Statement", Json::Arr(json_stmts)));
    let policy = Json::obj(top);
    let text = policy.to_pretty();
    PolicyDocument {
        kind,
        title,
        attach_to,
        how_to_apply,
        policy,
        text,
        statements: infos,
    }
}

/// "rule `a`" / "rules `a`, `b`" built from labels such as "rule `a`".
fn labels(rules: &[&RulePlan]) -> String {
    let mut seen: HashSet<&str> = HashSet::with_capacity(rules.len());
    let mut out = String::new();
    for r in rules {
        if seen.insert(r.label.as_str()) {
            if !out.is_empty() {
                out.push_str(", ");
            }
            out.push_str(&r.label);
        }
    }
    out
}

/// `AcmeBackupUsw2` from `acme-backup-usw2` (Sids allow only ASCII letters and digits).
pub(crate) fn camel(s: &str) -> String {
    let mut out = String::new();
    for part in s.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut cs = part.chars();
        if let Some(first) = cs.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(cs);
        }
    }
    out.truncate(48);
    out
}

fn via_service(region: &Known) -> String {
    format!("s3.{}.amazonaws.com", region.text())
}

/// The `aws:s3:arn` encryption-context values S3 uses for a bucket: object ARNs normally,
/// the bucket ARN with S3 Bucket Keys; both when unknown.
fn context_values(
    plan: &Plan,
    bucket: &str,
    prefixes: &[String],
    bucket_keys: Option<bool>,
) -> Vec<String> {
    let mut v = Vec::new();
    if bucket_keys != Some(true) {
        v.extend(plan.object_arns(bucket, prefixes));
    }
    if bucket_keys != Some(false) {
        v.push(plan.bucket_arn(bucket));
    }
    v
}

fn bucket_keys_phrase(bucket_keys: Option<bool>, which: &str) -> String {
    match bucket_keys {
        Some(true) => format!("{which} uses S3 Bucket Keys, so the encryption context is the bucket ARN"),
        Some(false) => format!("{which} does not use S3 Bucket Keys, so the encryption context is the object ARN"),
        None => format!("whether {which} uses S3 Bucket Keys is unknown, so both the object ARNs and the bucket ARN are listed"),
    }
}

fn kms_condition(op: &'static str, region: &Known, context: Option<Vec<String>>) -> Json {
    let mut inner = vec![("kms:ViaService", Json::str(via_service(region)))];
    if let Some(ctx) = context {
        inner.push(("kms:EncryptionContext:aws:s3:arn", Json::strs(&ctx)));
    }
    Json::obj(vec![(op, Json::obj(inner))])
}

/// Replica-key actions for a destination: Encrypt, plus GenerateDataKey unless the destination
/// defaults to SSE-S3, plus Decrypt unless Bucket Keys are known to be off.
fn replica_key_actions(plan: &Plan, key: &KeyPlan) -> (Vec<&'static str>, Vec<String>) {
    let mut actions = vec!["kms:Encrypt"];
    let mut why = Vec::new();
    let dest = key.dest.and_then(|d| plan.destinations.get(d));
    let default_enc = dest.and_then(|d| d.default_encryption.as_deref());
    let bucket_keys = dest.and_then(|d| d.bucket_keys);
    if !default_enc.is_some_and(|e| e.eq_ignore_ascii_case("SSE-S3")) {
        actions.push("kms:GenerateDataKey");
        why.push(match default_enc {
            Some(e) => format!("kms:GenerateDataKey because the destination's default encryption is {e}: unencrypted and SSE-S3 objects are encrypted with a new data key"),
            None => "kms:GenerateDataKey because the destination's default encryption is unknown (needed when it is SSE-KMS or DSSE-KMS)".to_string(),
        });
    }
    if bucket_keys != Some(false) {
        actions.push("kms:Decrypt");
        why.push(match bucket_keys {
            Some(true) => "kms:Decrypt because the destination uses S3 Bucket Keys".to_string(),
            _ => "kms:Decrypt because the destination may use S3 Bucket Keys (unknown)".to_string(),
        });
    }
    (actions, why)
}

pub(crate) fn generate(plan: &Plan) -> PolicySet {
    let mut documents = Vec::new();
    let mut notes: Vec<Note> = plan.notes.clone();
    let role = plan.role_arn.text().to_string();
    let src = plan.source_bucket.text().to_string();
    let all_rules: Vec<&RulePlan> = plan.rules.iter().collect();
    let all_prefixes = reduce_prefixes(plan.rules.iter().map(|r| r.prefix.as_str()));

    // Role permissions.
    let mut role_stmts = Vec::new();
    if !plan.rules.is_empty() {
        role_stmts.push(Stmt::new(
            "SourceBucketConfig",
            format!("{}: S3 reads the replication configuration and lists the source bucket's versions (ListBucket is needed for delete markers)", labels(&all_rules)),
            vec!["s3:GetReplicationConfiguration", "s3:ListBucket"],
            vec![plan.source_bucket_arn()],
        ));
        let src_objects = plan.object_arns(&src, &all_prefixes);
        role_stmts.push(Stmt::new(
            "SourceObjectVersions",
            format!("{}: read each object version to replicate, its ACL and its tags (GetObjectVersionForReplication also covers SSE-KMS objects, GetObjectVersion does not)", labels(&all_rules)),
            vec!["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
            src_objects.clone(),
        ));
        if plan.object_lock == Some(true) {
            role_stmts.push(Stmt::new(
                "SourceObjectLock",
                "the source bucket uses Object Lock (deployment context): S3 reads retention and legal hold to copy them to the replicas",
                vec!["s3:GetObjectRetention", "s3:GetObjectLegalHold"],
                src_objects,
            ));
        }
    }
    for (d, dest) in plan.destinations.iter().enumerate() {
        // Group this destination's rules by the action set they need.
        let mut groups: Vec<((bool, bool), Vec<&RulePlan>)> = Vec::new();
        for r in plan.rules.iter().filter(|r| r.dest == d) {
            let key = (r.delete_markers, r.owner_override);
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, v)) => v.push(r),
                None => groups.push((key, vec![r])),
            }
        }
        let several = groups.len() > 1;
        for ((dm, oo), rules) in groups {
            let mut actions = vec!["s3:ReplicateObject"];
            let mut reason = format!(
                "{} replicate to `{}`: write replicas and their tags",
                labels(&rules),
                dest.bucket
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
            let prefixes = reduce_prefixes(rules.iter().map(|r| r.prefix.as_str()));
            role_stmts.push(Stmt::new(
                format!(
                    "ReplicateTo{}{}{}",
                    camel(&dest.bucket),
                    if several && dm { "WithDeletes" } else { "" },
                    if several && oo {
                        "WithOwnerOverride"
                    } else {
                        ""
                    }
                ),
                reason,
                actions,
                plan.object_arns(&dest.bucket, &prefixes),
            ));
        }
    }
    let kms_rules: Vec<&RulePlan> = plan.rules.iter().filter(|r| r.kms).collect();
    if !kms_rules.is_empty() {
        let prefixes = reduce_prefixes(kms_rules.iter().map(|r| r.prefix.as_str()));
        let keys: Vec<String> = plan
            .source_keys
            .iter()
            .map(|k| k.arn.text().to_string())
            .collect();
        role_stmts.push(
            Stmt::new(
                "DecryptSourceObjects",
                format!(
                    "{} replicate SSE-KMS objects (SseKmsEncryptedObjects): S3 decrypts them with the source key, called through S3 in {}; {}",
                    labels(&kms_rules),
                    plan.source_region.text(),
                    bucket_keys_phrase(plan.source_bucket_keys, "the source bucket")
                ),
                vec!["kms:Decrypt"],
                keys,
            )
            .condition(kms_condition(
                "StringLike",
                &plan.source_region,
                Some(context_values(plan, &src, &prefixes, plan.source_bucket_keys)),
            )),
        );
        let mut by_key: Vec<Vec<&RulePlan>> = vec![Vec::new(); plan.replica_keys.len()];
        for r in &kms_rules {
            if let Some(rules) = r.replica_key.and_then(|k| by_key.get_mut(k)) {
                rules.push(r);
            }
        }
        for (key, rules) in plan.replica_keys.iter().zip(by_key) {
            if rules.is_empty() {
                continue;
            }
            let Some(dest) = key.dest.and_then(|d| plan.destinations.get(d)) else {
                continue;
            };
            let prefixes = reduce_prefixes(rules.iter().map(|r| r.prefix.as_str()));
            let (actions, why) = replica_key_actions(plan, key);
            let mut reason = format!(
                "{} encrypt replicas in `{}` with this key, called through S3 in {}; {}",
                labels(&rules),
                dest.bucket,
                dest.region.text(),
                bucket_keys_phrase(dest.bucket_keys, "the destination")
            );
            for w in why {
                reason.push_str("; ");
                reason.push_str(&w);
            }
            role_stmts.push(
                Stmt::new(
                    format!("EncryptReplicasIn{}", camel(&dest.bucket)),
                    reason,
                    actions,
                    vec![key.arn.text().to_string()],
                )
                .condition(kms_condition(
                    "StringLike",
                    plan.replica_key_region(key),
                    Some(context_values(
                        plan,
                        &dest.bucket,
                        &prefixes,
                        dest.bucket_keys,
                    )),
                )),
            );
        }
    }
    if !role_stmts.is_empty() {
        documents.push(document(
            DocumentKind::RolePermissions,
            "Replication role permissions".to_string(),
            role.clone(),
            "Attach as an inline or customer managed policy to the replication role.".to_string(),
            None,
            role_stmts,
        ));
    }

    // Trust policy.
    let (principal, reason) = if plan.batch {
        (
            Json::obj(vec![("Service", Json::strs(&[S3_SERVICE, BATCH_SERVICE]))]),
            "S3 assumes the role for live replication; S3 Batch Operations assumes it for Batch Replication (deployment context)",
        )
    } else {
        (
            Json::obj(vec![("Service", Json::str(S3_SERVICE))]),
            "S3 assumes the role to replicate objects (without this every object fails with AssumeRoleNotPermitted)",
        )
    };
    let trust_stmt = Stmt::new(
        "AllowS3ToAssumeRole",
        reason,
        vec!["sts:AssumeRole"],
        vec![],
    )
    .principal(principal);
    documents.push(trust_document(&role, trust_stmt));
    if plan.partition.value() == Some("aws-cn") {
        notes.push(Note::new(
            Severity::Info,
            "aws-cn: the trust principal is written as s3.amazonaws.com; no source confirms whether the China Regions need another form.",
        ));
    }

    // KMS key policies: every source key, and replica keys owned by another account.
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
            vec!["kms:Decrypt"],
            vec!["*".to_string()],
        )
        .principal(Json::obj(vec![("AWS", Json::str(&role))]))
        .condition(kms_condition("StringEquals", &key.region, None));
        documents.push(document(
            DocumentKind::KmsKeyPolicy,
            format!("Key policy statement for the source key {}", key.arn.text()),
            key.arn.text().to_string(),
            "Add this statement to the key's existing key policy (do not replace the policy: that would remove the key administrators).".to_string(),
            None,
            vec![stmt],
        ));
    }
    let mut seen: HashSet<&str> = HashSet::new();
    for key in plan.replica_keys.iter().filter(|k| k.cross_account) {
        if !seen.insert(key.arn.text()) {
            continue;
        }
        let (actions, why) = replica_key_actions(plan, key);
        let mut reason = format!(
            "the replica key belongs to account {}: its owner must let the source role use it (the role's own policy is needed too){}",
            key.account.as_deref().unwrap_or("?"),
            if why.is_empty() { "" } else { "; " }
        );
        reason.push_str(&why.join("; "));
        let stmt = Stmt::new(
            "AllowSourceReplicationRole",
            reason,
            actions,
            vec!["*".to_string()],
        )
        .principal(Json::obj(vec![("AWS", Json::str(&role))]))
        .condition(kms_condition(
            "StringEquals",
            plan.replica_key_region(key),
            None,
        ));
        documents.push(document(
            DocumentKind::KmsKeyPolicy,
            format!("Key policy statement for the replica key {}", key.arn.text()),
            key.arn.text().to_string(),
            format!(
                "In account {}, add this statement to the key's existing key policy (a customer managed key: AWS managed keys cannot be used across accounts).",
                key.account.as_deref().unwrap_or("?")
            ),
            None,
            vec![stmt],
        ));
    }

    // Destination bucket policies (cross-account).
    for (d, dest) in plan.destinations.iter().enumerate() {
        if !dest.cross_account {
            continue;
        }
        let rules: Vec<&RulePlan> = plan.rules.iter().filter(|r| r.dest == d).collect();
        let prefixes = reduce_prefixes(rules.iter().map(|r| r.prefix.as_str()));
        let role_principal = Json::obj(vec![("AWS", Json::str(&role))]);
        let mut actions = vec!["s3:ReplicateObject"];
        let dm: Vec<&RulePlan> = rules.iter().copied().filter(|r| r.delete_markers).collect();
        let mut reason = format!(
            "{} replicate into this bucket from account {}",
            labels(&rules),
            plan.source_account.as_deref().unwrap_or("?")
        );
        if !dm.is_empty() {
            actions.push("s3:ReplicateDelete");
            reason.push_str(&format!("; {} replicate delete markers", labels(&dm)));
        }
        actions.push("s3:ReplicateTags");
        reason.push_str("; object tags replicate");
        let mut stmts = vec![
            Stmt::new("ReplicationRoleObjects", reason, actions, plan.object_arns(&dest.bucket, &prefixes)).principal(role_principal.clone()),
            Stmt::new(
                "ReplicationRoleBucket",
                "bucket-level reads for the replication role (S3 checks the destination's versioning). AWS's example also grants s3:List* and s3:PutBucketVersioning: replication needs neither, List* names actions that do not apply to buckets, and PutBucketVersioning would let the source account suspend versioning here",
                vec!["s3:ListBucket", "s3:GetBucketVersioning"],
                vec![plan.bucket_arn(&dest.bucket)],
            )
            .principal(role_principal),
        ];
        let oo: Vec<&RulePlan> = rules.iter().copied().filter(|r| r.owner_override).collect();
        if !oo.is_empty() {
            if let Some(acct) = &plan.source_account {
                stmts.push(
                    Stmt::new(
                        "AllowReplicaOwnershipChange",
                        format!("{} set AccessControlTranslation Owner=Destination: the source account may hand replica ownership to this bucket's owner", labels(&oo)),
                        vec!["s3:ObjectOwnerOverrideToBucketOwner"],
                        plan.object_arns(&dest.bucket, &reduce_prefixes(oo.iter().map(|r| r.prefix.as_str()))),
                    )
                    .principal(Json::obj(vec![("AWS", Json::str(acct))])),
                );
            }
        }
        documents.push(document(
            DocumentKind::DestinationBucketPolicy,
            format!("Bucket policy for the destination bucket {}", dest.bucket),
            plan.bucket_arn(&dest.bucket),
            format!(
                "In account {}, merge these statements into the bucket policy of `{}`. IAM stores the role's unique ID: if the role is deleted and re-created, save the bucket policy again.",
                dest.account.as_deref().unwrap_or("?"),
                dest.bucket
            ),
            Some("PolicyForDestinationBucket"),
            stmts,
        ));
    }

    // Batch Replication additions.
    if plan.batch && !plan.rules.is_empty() {
        let stmts = vec![
            Stmt::new(
                "BatchInitiateReplication",
                "Batch Replication (deployment context): the job replicates existing objects under the rules' prefixes",
                vec!["s3:InitiateReplication"],
                plan.object_arns(&src, &all_prefixes),
            ),
            Stmt::new(
                "BatchGenerateManifest",
                "Batch Replication with an S3-generated manifest: the job reads the replication configuration and creates an inventory configuration on the source bucket",
                vec!["s3:GetReplicationConfiguration", "s3:PutInventoryConfiguration"],
                vec![plan.source_bucket_arn()],
            ),
            Stmt::new(
                "BatchManifestAndReport",
                "Batch Replication: the job reads its manifest and writes the generated manifest and the completion report",
                vec!["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
                vec![format!("{}/*", plan.bucket_arn(BATCH_BUCKET))],
            ),
        ];
        documents.push(document(
            DocumentKind::BatchReplication,
            "Batch Replication additions for the replication role".to_string(),
            role.clone(),
            "Attach as a second policy to the replication role (the trust policy above already names Batch Operations).".to_string(),
            None,
            stmts,
        ));
    }

    // Placeholders actually used, in first-use order.
    let mut candidates: Vec<Placeholder> = plan
        .all_known()
        .into_iter()
        .filter_map(Known::placeholder)
        .collect();
    candidates.push(Placeholder {
        token: BATCH_BUCKET.to_string(),
        what: "bucket for the Batch Replication manifest and completion report".to_string(),
        how_to_fill:
            "Replace it with the bucket the Batch Operations job uses for its manifest and report."
                .to_string(),
    });
    let mut placeholders: Vec<Placeholder> = Vec::new();
    // A string can hold a token only if it holds the token's first byte: most strings hold
    // none of them and are skipped with one scan (an empty token disables the shortcut).
    let mut firsts: Vec<u8> = candidates
        .iter()
        .filter_map(|c| c.token.bytes().next())
        .collect();
    firsts.sort_unstable();
    firsts.dedup();
    let mut is_first = [false; 256];
    for &b in &firsts {
        is_first[usize::from(b)] = true;
    }
    let may_hold_token = |s: &str| match firsts.as_slice() {
        // Tokens all start with `$`: one (vectorized) byte search.
        [only] => s.as_bytes().contains(only),
        _ => s.bytes().any(|b| is_first[usize::from(b)]),
    };
    let no_empty_token = candidates.iter().all(|c| !c.token.is_empty());
    for doc in &documents {
        let mut strings = Vec::new();
        doc.policy.strings(&mut strings);
        strings.push(&doc.attach_to);
        for s in strings {
            if no_empty_token && !may_hold_token(s) {
                continue;
            }
            for c in &candidates {
                if s.contains(&c.token) && !placeholders.iter().any(|p| p.token == c.token) {
                    placeholders.push(c.clone());
                }
            }
        }
    }
    if plan.rules.is_empty() {
        notes.push(Note::new(
            Severity::Warning,
            "The configuration has no usable rule, so there is nothing to grant.",
        ));
    }
    PolicySet {
        complete: placeholders.is_empty() && !plan.rules.is_empty(),
        documents,
        placeholders,
        notes,
    }
}

fn trust_document(role: &str, stmt: Stmt) -> PolicyDocument {
    // The trust statement has no Resource: build it by hand.
    let json = Json::obj(vec![
        ("Sid", Json::str(&stmt.sid)),
        ("Effect", Json::str("Allow")),
        (
            "Principal",
            stmt.principal.clone().unwrap_or_else(|| Json::Obj(vec![])),
        ),
        ("Action", Json::str("sts:AssumeRole")),
    ]);
    let policy = Json::obj(vec![
        ("Version", Json::str(POLICY_VERSION)),
        ("Statement", Json::Arr(vec![json])),
    ]);
    PolicyDocument {
        kind: DocumentKind::Trust,
        title: "Replication role trust policy".to_string(),
        attach_to: role.to_string(),
        how_to_apply: "Set as the role's trust (assume role) policy.".to_string(),
        text: policy.to_pretty(),
        policy,
        statements: vec![StatementInfo {
            sid: stmt.sid,
            reason: stmt.reason,
        }],
    }
}

#[cfg(test)]
mod tests {
    use crate::context::{DeploymentContext, Resolved};
    use crate::policy::{DocumentKind, Json, PolicySet};

    const KEY: &str = "arn:aws:kms:eu-west-1:444455556666:key/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

    fn generate(bucket: &str, context: &str) -> PolicySet {
        let config = format!(
            r#"{{"Role": "arn:aws:iam::111122223333:role/replication",
  "Rules": [{{"ID": "kms", "Status": "Enabled", "Priority": 1, "Filter": {{}},
    "DeleteMarkerReplication": {{"Status": "Disabled"}},
    "SourceSelectionCriteria": {{"SseKmsEncryptedObjects": {{"Status": "Enabled"}}}},
    "Destination": {{"Bucket": "arn:aws:s3:::{bucket}", "Account": "444455556666",
      "EncryptionConfiguration": {{"ReplicaKmsKeyID": "{KEY}"}}}}}}]}}"#
        );
        let doc = crate::parse(&config, None)
            .document
            .expect("the test configuration parses");
        let ctx = DeploymentContext::from_json(context).expect("valid context");
        crate::policy::generate(&doc, &Resolved::new(&ctx, &doc))
    }

    /// `kms:ViaService` of every statement whose Sid starts with `sid`, in `kind` documents.
    /// The replica key statements of the role and of the key policy both name `service` as
    /// `kms:ViaService`.
    fn assert_replica_key_via(set: &PolicySet, service: &str) {
        let want = vec![service.to_string()];
        assert_eq!(
            via_services(set, DocumentKind::RolePermissions, "EncryptReplicasIn"),
            want
        );
        assert_eq!(
            via_services(
                set,
                DocumentKind::KmsKeyPolicy,
                "AllowSourceReplicationRole"
            ),
            want
        );
    }

    fn via_services(set: &PolicySet, kind: DocumentKind, sid: &str) -> Vec<String> {
        let mut out = Vec::new();
        for d in set.documents.iter().filter(|d| d.kind == kind) {
            let Some(Json::Arr(stmts)) = d.policy.get("Statement") else {
                continue;
            };
            for s in stmts {
                if !s
                    .get("Sid")
                    .and_then(Json::as_str)
                    .is_some_and(|v| v.starts_with(sid))
                {
                    continue;
                }
                let Some(Json::Obj(ops)) = s.get("Condition") else {
                    continue;
                };
                for (_, cond) in ops {
                    if let Some(v) = cond.get("kms:ViaService").and_then(Json::as_str) {
                        out.push(v.to_string());
                    }
                }
            }
        }
        out
    }

    #[test]
    fn replica_key_via_service_uses_the_destination_region_when_known() {
        // The key ARN says eu-west-1, the context says the destination is in us-west-2: S3
        // calls KMS for the replica key from the destination's Region.
        let set = generate(
            "acme-replica",
            r#"{"sourceRegion": "us-east-1",
                "destinations": {"acme-replica": {"region": "us-west-2"}}}"#,
        );
        assert_replica_key_via(&set, "s3.us-west-2.amazonaws.com");
        // The source key statement keeps the source Region.
        assert_eq!(
            via_services(&set, DocumentKind::RolePermissions, "DecryptSourceObjects"),
            vec!["s3.us-east-1.amazonaws.com".to_string()]
        );
    }

    #[test]
    fn replica_key_via_service_uses_an_inferred_destination_region() {
        // An account-regional bucket name carries its Region.
        let set = generate(
            "acme-444455556666-us-west-2-an",
            r#"{"sourceRegion": "us-east-1"}"#,
        );
        assert_eq!(
            via_services(&set, DocumentKind::RolePermissions, "EncryptReplicasIn"),
            vec!["s3.us-west-2.amazonaws.com".to_string()]
        );
    }

    #[test]
    fn replica_key_via_service_falls_back_to_the_key_region() {
        let set = generate("acme-replica", r#"{"sourceRegion": "us-east-1"}"#);
        assert_replica_key_via(&set, "s3.eu-west-1.amazonaws.com");
    }
}
