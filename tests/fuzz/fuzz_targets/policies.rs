//! Policy generation from any parsable document, and the audit of any text as a policy.
#![no_main]
use libfuzzer_sys::fuzz_target;
use s3_replication_lint::context::Resolved;
use s3_replication_lint::policy::{audit, generate, UserPolicies};
use s3_replication_lint::{parse, DeploymentContext};

const DOC: &str = r#"{"Role": "arn:aws:iam::111122223333:role/r", "Rules": [{"ID": "a", "Priority": 1, "Status": "Enabled",
 "Filter": {"Prefix": "a/"}, "DeleteMarkerReplication": {"Status": "Enabled"},
 "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}},
 "Destination": {"Bucket": "arn:aws:s3:::dst", "Account": "444455556666",
   "EncryptionConfiguration": {"ReplicaKmsKeyID": "arn:aws:kms:us-west-2:444455556666:key/k"}}}]}"#;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let ctx = DeploymentContext::default();
    if let Some(doc) = parse(&text, None).document {
        let set = generate(&doc, &Resolved::new(&ctx, &doc));
        for d in &set.documents {
            assert!(!d.text.is_empty());
        }
    }
    let doc = parse(DOC, None).document.expect("fixed document parses");
    let resolved = Resolved::new(&ctx, &doc);
    let user = UserPolicies {
        role: Some(&text),
        trust: Some(&text),
        key_policies: vec![&text],
        // The text as the key the policy belongs to, too: any string, never a panic.
        key_policy_keys: vec![&text],
        bucket_policy: Some(&text),
    };
    let _ = audit(&doc, &resolved, &user);
});
