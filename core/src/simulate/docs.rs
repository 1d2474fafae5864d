//! AWS documentation pages cited by `simulate` and `explain` texts.

pub const CONFIG: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html";
pub const KMS: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html";
pub const SELECTION: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_SourceSelectionCriteria.html";
pub const DELETE_MARKERS: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/delete-marker-replication.html";
pub const WHAT: &str = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-what-is-isnot-replicated.html";
pub const REPLICA_MODS: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-for-metadata-changes.html";
pub const RTC: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html";
pub const OWNER: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-change-owner.html";
pub const BATCH: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-batch-replication-batch.html";
