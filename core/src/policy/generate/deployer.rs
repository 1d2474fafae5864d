//! What the principal that applies the configuration needs (not the replication role).

use super::statement::{document, Stmt};
use super::Common;
use crate::policy::json::Json;
use crate::policy::{DocumentKind, PolicyDocument};

/// The deployer's permissions: store the configuration and pass the role.
pub(super) fn deployer(c: &Common) -> PolicyDocument {
    let &Common {
        role, ref src_arn, ..
    } = c;
    // Whoever applies the configuration (a CI role, an operator) needs the bucket permission
    // and iam:PassRole on the role. Not limited with iam:PassedToService: whether S3 sets that
    // key when it takes the role is not confirmed, and a wrong guess would deny the call.
    document(
        DocumentKind::Deployer,
        "Permissions to apply this configuration".to_string(),
        "the IAM user or role that calls PutBucketReplication (for example a CI role)".to_string(),
        "Attach to the principal that runs put-bucket-replication (or your infrastructure tool); it is not the replication role.".to_string(),
        None,
        [
            Stmt::new(
                "ApplyReplicationConfiguration",
                "PutBucketReplication stores the configuration on the source bucket; GetBucketReplication reads it back",
                &["s3:PutReplicationConfiguration", "s3:GetReplicationConfiguration"],
                Json::str(src_arn.as_str()),
            ),
            Stmt::new(
                "PassReplicationRole",
                "S3 accepts the configuration only if the caller may pass its Role (iam:PassRole)",
                &["iam:PassRole"],
                Json::str(role),
            ),
        ],
    )
}
