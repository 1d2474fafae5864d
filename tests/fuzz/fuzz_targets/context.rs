//! Any deployment context JSON against a document that uses every context-dependent check.
#![no_main]
use libfuzzer_sys::fuzz_target;
use s3_replication_lint::{check, CheckOptions, DeploymentContext};

const DOC: &str = r#"<ReplicationConfiguration><Role>arn:aws:iam::111122223333:role/r</Role>
<Rule><ID>a</ID><Priority>1</Priority><Status>Enabled</Status><Filter><Prefix>a/</Prefix></Filter>
<DeleteMarkerReplication><Status>Enabled</Status></DeleteMarkerReplication>
<SourceSelectionCriteria><SseKmsEncryptedObjects><Status>Enabled</Status></SseKmsEncryptedObjects></SourceSelectionCriteria>
<Destination><Bucket>arn:aws:s3:::dst</Bucket><Account>444455556666</Account>
<AccessControlTranslation><Owner>Destination</Owner></AccessControlTranslation>
<EncryptionConfiguration><ReplicaKmsKeyID>arn:aws:kms:us-west-2:444455556666:key/k</ReplicaKmsKeyID></EncryptionConfiguration>
</Destination></Rule></ReplicationConfiguration>"#;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(context) = DeploymentContext::from_json(text) else { return };
    let report = check(DOC, &CheckOptions { format: None, context });
    assert!(report.document.is_some());
});
