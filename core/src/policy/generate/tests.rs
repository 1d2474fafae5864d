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

/// The generator's prefix reduction (direct, through the ranks, with and without an empty
/// prefix) gives exactly what `reduce_prefixes` gives, on pseudo-random rule subsets.
#[test]
fn reduce_matches_reduce_prefixes() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for round in 0..6 {
        let count = [3, 9, 40, 120, 300, 40][round];
        let rules: Vec<String> = (0..count)
            .map(|i| {
                let len = next(5) + u64::from(round != 5);
                let prefix: String =
                    (0..len).map(|_| ["a", "b", "/", "é"][next(4) as usize]).collect();
                format!(
                    r#"{{"ID": "r{i}", "Status": "Enabled", "Priority": {}, "Filter": {{"Prefix": "{prefix}"}},
                    "DeleteMarkerReplication": {{"Status": "Disabled"}},
                    "Destination": {{"Bucket": "arn:aws:s3:::dst"}}}}"#,
                    i + 1
                )
            })
            .collect();
        let config = format!(
            r#"{{"Role": "arn:aws:iam::111122223333:role/r", "Rules": [{}]}}"#,
            rules.join(",")
        );
        let doc = crate::parse(&config, None)
            .document
            .expect("the test configuration parses");
        let ctx = DeploymentContext::default();
        let plan = super::Plan::new(&doc, &Resolved::new(&ctx, &doc));
        assert_eq!(plan.rules.len(), count);
        let g = super::Gen::new(&plan);
        for _ in 0..200 {
            let size = 1 + next(count as u64) as usize;
            let subset: Vec<usize> = (0..size).map(|_| next(count as u64) as usize).collect();
            let want = crate::policy::plan::reduce_prefixes(
                subset.iter().map(|&r| plan.rules[r].prefix.as_str()),
            );
            let got: Vec<String> = g.reduce(&subset).iter().map(|p| p.to_string()).collect();
            assert_eq!(got, want, "subset {subset:?}");
        }
    }
}
