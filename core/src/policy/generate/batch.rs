//! Batch Replication additions for the role: replicate existing objects.

use super::statement::{document, object_arns, Stmt};
use super::{Common, BATCH_BUCKET};
use crate::policy::json::Json;
use crate::policy::{DocumentKind, PolicyDocument};

/// `None` unless the context asks for Batch Replication and some rule is usable.
pub(super) fn batch_additions(c: &Common) -> Option<PolicyDocument> {
    let &Common {
        plan,
        role,
        ref src_arn,
        ref all_prefixes,
        ..
    } = c;
    if !plan.batch || plan.rules.is_empty() {
        return None;
    }
    let stmts = vec![
        Stmt::new(
            "BatchInitiateReplication",
            "Batch Replication (deployment context): the job replicates existing objects under the rules' prefixes",
            &["s3:InitiateReplication"],
            Json::Arr(object_arns(src_arn, all_prefixes)),
        ),
        Stmt::new(
            "BatchGenerateManifest",
            "Batch Replication with an S3-generated manifest: the job reads the replication configuration and creates an inventory configuration on the source bucket",
            &["s3:GetReplicationConfiguration", "s3:PutInventoryConfiguration"],
            Json::str(src_arn.as_str()),
        ),
        Stmt::new(
            "BatchManifestAndReport",
            "Batch Replication: the job reads its manifest and writes the generated manifest and the completion report",
            &["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
            Json::str(format!("{}/*", plan.bucket_arn(BATCH_BUCKET))),
        ),
    ];
    Some(document(
        DocumentKind::BatchReplication,
        "Batch Replication additions for the replication role".to_string(),
        role.to_string(),
        "Attach as a second policy to the replication role (the trust policy above already names Batch Operations).".to_string(),
        None,
        stmts,
    ))
}
