//! The actions IAM knows in the namespaces replication policies use (`s3`, `kms`, `sts`), to
//! catch misspelled ones: IAM accepts an identity policy with an action that does not exist,
//! and the statement then grants nothing.
//!
//! The lists follow the AWS Service Authorization Reference (as packaged by parliament, plus
//! later additions). A list can lag behind AWS, so only a near miss of a known action is
//! reported: a new action is seldom three edits from an old one.

use super::audit::Sink;
use super::audit_rules as r;
use super::iam::Policy;

const S3: &str = concat!(
    "AbortMultipartUpload AssociateAccessGrantsIdentityCenter BypassGovernanceRetention ",
    "CreateAccessGrant CreateAccessGrantsInstance CreateAccessGrantsLocation ",
    "CreateAccessPoint CreateAccessPointForObjectLambda CreateBucket ",
    "CreateBucketMetadataTableConfiguration CreateJob CreateMultiRegionAccessPoint ",
    "CreateSession CreateStorageLensGroup DeleteAccessGrant DeleteAccessGrantsInstance ",
    "DeleteAccessGrantsInstanceResourcePolicy DeleteAccessGrantsLocation DeleteAccessPoint ",
    "DeleteAccessPointForObjectLambda DeleteAccessPointPolicy ",
    "DeleteAccessPointPolicyForObjectLambda DeleteBucket ",
    "DeleteBucketMetadataTableConfiguration DeleteBucketPolicy DeleteBucketWebsite ",
    "DeleteJobTagging DeleteMultiRegionAccessPoint DeleteObject DeleteObjectTagging ",
    "DeleteObjectVersion DeleteObjectVersionTagging DeleteStorageLensConfiguration ",
    "DeleteStorageLensConfigurationTagging DeleteStorageLensGroup DescribeJob ",
    "DescribeMultiRegionAccessPointOperation DissociateAccessGrantsIdentityCenter ",
    "GetAccelerateConfiguration GetAccessGrant GetAccessGrantsInstance ",
    "GetAccessGrantsInstanceForPrefix GetAccessGrantsInstanceResourcePolicy ",
    "GetAccessGrantsLocation GetAccessPoint GetAccessPointConfigurationForObjectLambda ",
    "GetAccessPointForObjectLambda GetAccessPointPolicy GetAccessPointPolicyForObjectLambda ",
    "GetAccessPointPolicyStatus GetAccessPointPolicyStatusForObjectLambda ",
    "GetAccountPublicAccessBlock GetAnalyticsConfiguration GetBucketAcl GetBucketCORS ",
    "GetBucketLocation GetBucketLogging GetBucketMetadataTableConfiguration ",
    "GetBucketNotification GetBucketObjectLockConfiguration GetBucketOwnershipControls ",
    "GetBucketPolicy GetBucketPolicyStatus GetBucketPublicAccessBlock GetBucketRequestPayment ",
    "GetBucketTagging GetBucketVersioning GetBucketWebsite GetDataAccess ",
    "GetEncryptionConfiguration GetIntelligentTieringConfiguration GetInventoryConfiguration ",
    "GetJobTagging GetLifecycleConfiguration GetMetricsConfiguration ",
    "GetMultiRegionAccessPoint GetMultiRegionAccessPointPolicy ",
    "GetMultiRegionAccessPointPolicyStatus GetMultiRegionAccessPointRoutes GetObject ",
    "GetObjectAcl GetObjectAttributes GetObjectLegalHold GetObjectRetention GetObjectTagging ",
    "GetObjectTorrent GetObjectVersion GetObjectVersionAcl GetObjectVersionAttributes ",
    "GetObjectVersionForReplication GetObjectVersionTagging GetObjectVersionTorrent ",
    "GetReplicationConfiguration GetStorageLensConfiguration ",
    "GetStorageLensConfigurationTagging GetStorageLensDashboard GetStorageLensGroup ",
    "InitiateReplication ListAccessGrants ListAccessGrantsInstances ListAccessGrantsLocations ",
    "ListAccessPoints ListAccessPointsForObjectLambda ListAllMyBuckets ListBucket ",
    "ListBucketMultipartUploads ListBucketVersions ListCallerAccessGrants ListJobs ",
    "ListMultipartUploadParts ListMultiRegionAccessPoints ListStorageLensConfigurations ",
    "ListStorageLensGroups ListTagsForResource ObjectOwnerOverrideToBucketOwner ",
    "PauseReplication PutAccelerateConfiguration PutAccessGrantsInstanceResourcePolicy ",
    "PutAccessPointConfigurationForObjectLambda PutAccessPointPolicy ",
    "PutAccessPointPolicyForObjectLambda PutAccessPointPublicAccessBlock ",
    "PutAccountPublicAccessBlock PutAnalyticsConfiguration PutBucketAcl PutBucketCORS ",
    "PutBucketLogging PutBucketMetadataTableConfiguration PutBucketNotification ",
    "PutBucketObjectLockConfiguration PutBucketOwnershipControls PutBucketPolicy ",
    "PutBucketPublicAccessBlock PutBucketRequestPayment PutBucketTagging PutBucketVersioning ",
    "PutBucketWebsite PutEncryptionConfiguration PutIntelligentTieringConfiguration ",
    "PutInventoryConfiguration PutJobTagging PutLifecycleConfiguration ",
    "PutMetricsConfiguration PutMultiRegionAccessPointPolicy PutObject PutObjectAcl ",
    "PutObjectLegalHold PutObjectRetention PutObjectTagging PutObjectVersionAcl ",
    "PutObjectVersionTagging PutReplicationConfiguration PutStorageLensConfiguration ",
    "PutStorageLensConfigurationTagging ReplicateDelete ReplicateObject ReplicateTags ",
    "RestoreObject SubmitMultiRegionAccessPointRoutes TagResource UntagResource ",
    "UpdateAccessGrantsLocation UpdateJobPriority UpdateJobStatus UpdateStorageLensGroup"
);

const KMS: &str = concat!(
    "CancelKeyDeletion ConnectCustomKeyStore CreateAlias CreateCustomKeyStore CreateGrant ",
    "CreateKey Decrypt DeleteAlias DeleteCustomKeyStore DeleteImportedKeyMaterial ",
    "DeriveSharedSecret DescribeCustomKeyStores DescribeKey DisableKey DisableKeyRotation ",
    "DisconnectCustomKeyStore EnableKey EnableKeyRotation Encrypt GenerateDataKey ",
    "GenerateDataKeyPair GenerateDataKeyPairWithoutPlaintext GenerateDataKeyWithoutPlaintext ",
    "GenerateMac GenerateRandom GetKeyPolicy GetKeyRotationStatus GetParametersForImport ",
    "GetPublicKey ImportKeyMaterial ListAliases ListGrants ListKeyPolicies ListKeyRotations ",
    "ListKeys ListResourceTags ListRetirableGrants PutKeyPolicy ReEncryptFrom ReEncryptTo ",
    "ReplicateKey RetireGrant RevokeGrant RotateKeyOnDemand ScheduleKeyDeletion Sign ",
    "SynchronizeMultiRegionKey TagResource UntagResource UpdateAlias UpdateCustomKeyStore ",
    "UpdateKeyDescription UpdatePrimaryRegion Verify VerifyMac"
);

const STS: &str = concat!(
    "AssumeRole AssumeRoleWithSAML AssumeRoleWithWebIdentity AssumeRoot ",
    "DecodeAuthorizationMessage GetAccessKeyInfo GetCallerIdentity GetFederationToken ",
    "GetServiceBearerToken GetSessionToken SetContext SetSourceIdentity TagSession"
);

fn known(service: &str) -> Option<&'static str> {
    match service {
        "s3" => Some(S3),
        "kms" => Some(KMS),
        "sts" => Some(STS),
        _ => None,
    }
}

/// Edits (insert, delete, substitute) between two short ASCII-lowercase words.
fn distance(a: &[u8], b: &[u8]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// The known action `action` is a near miss of, or `None` when it is known, has a wildcard,
/// is in another namespace or is not close to any known action.
pub fn misspelled(action: &str) -> Option<String> {
    let (service, name) = action.split_once(':')?;
    let service = service.to_ascii_lowercase();
    let names = known(&service)?;
    if name.is_empty() || name.contains(['*', '?']) || name.len() > 80 {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    if names.split(' ').any(|k| k.eq_ignore_ascii_case(name)) {
        return None;
    }
    let limit = (name.len() / 4).clamp(1, 3);
    names
        .split(' ')
        .map(|k| {
            (
                distance(lower.as_bytes(), k.to_ascii_lowercase().as_bytes()),
                k,
            )
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| format!("{service}:{k}"))
}

/// Report every misspelled action of `p`'s statements.
pub(super) fn check(p: &Policy, sink: &mut Sink) {
    for s in &p.statements {
        for a in &s.actions {
            if let Some(meant) = misspelled(&a.value) {
                let effect = if s.deny {
                    "denies nothing"
                } else {
                    "grants nothing"
                };
                sink.report(
                    &r::UNKNOWN_ACTION,
                    a.span,
                    &a.path,
                    format!(
                        "`{}` is not an action; did you mean `{meant}`? As written it {effect}",
                        a.value
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::misspelled;

    #[test]
    fn near_misses_only() {
        assert_eq!(
            misspelled("s3:ReplicationTags").as_deref(),
            Some("s3:ReplicateTags")
        );
        assert_eq!(
            misspelled("s3:GetObjectVersionForReplicaton").as_deref(),
            Some("s3:GetObjectVersionForReplication")
        );
        assert_eq!(misspelled("kms:Decript").as_deref(), Some("kms:Decrypt"));
        // Known (IAM compares action names case-insensitively), wildcards, other namespaces,
        // and names far from any known action (perhaps newer than the list) stay quiet.
        assert_eq!(misspelled("s3:replicateobject"), None);
        assert_eq!(misspelled("s3:Replicate*"), None);
        assert_eq!(misspelled("iam:PassRol"), None);
        assert_eq!(misspelled("s3:PutSomethingBrandNewThatAwsShipped"), None);
        assert_eq!(misspelled("no-colon"), None);
    }
}
