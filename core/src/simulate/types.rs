//! What `simulate` takes (the object) and answers (per destination, per rule).

use crate::arn;
use crate::context::Fact;
use serde::Serialize;

/// How the source object is encrypted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ObjectEncryption"))]
pub enum Encryption {
    #[default]
    #[serde(rename = "none")]
    None,
    #[serde(rename = "SSE-S3")]
    SseS3,
    #[serde(rename = "SSE-KMS")]
    SseKms,
    #[serde(rename = "DSSE-KMS")]
    DsseKms,
    #[serde(rename = "SSE-C")]
    SseC,
}

impl Encryption {
    pub const ALL: [Encryption; 5] = [
        Encryption::None,
        Encryption::SseS3,
        Encryption::SseKms,
        Encryption::DsseKms,
        Encryption::SseC,
    ];

    /// The wire name: `none`, `SSE-S3`, `SSE-KMS`, `DSSE-KMS`, `SSE-C`.
    pub fn as_str(self) -> &'static str {
        match self {
            Encryption::None => "none",
            Encryption::SseS3 => "SSE-S3",
            Encryption::SseKms => "SSE-KMS",
            Encryption::DsseKms => "DSSE-KMS",
            Encryption::SseC => "SSE-C",
        }
    }

    /// Case-insensitive; also accepts the S3 header values `AES256`, `aws:kms`, `aws:kms:dsse`.
    pub fn parse(s: &str) -> Option<Encryption> {
        let s = s.trim();
        let found = Encryption::ALL
            .into_iter()
            .find(|e| e.as_str().eq_ignore_ascii_case(s));
        found.or_else(|| match s.to_ascii_lowercase().as_str() {
            "" => Some(Encryption::None),
            "aes256" | "sse_s3" | "sses3" => Some(Encryption::SseS3),
            "aws:kms" | "sse_kms" | "ssekms" => Some(Encryption::SseKms),
            "aws:kms:dsse" | "dsse_kms" | "dssekms" => Some(Encryption::DsseKms),
            "sse_c" | "ssec" => Some(Encryption::SseC),
            _ => None,
        })
    }

    /// SSE-KMS or DSSE-KMS: the objects `SseKmsEncryptedObjects` opts in.
    pub fn is_kms(self) -> bool {
        matches!(self, Encryption::SseKms | Encryption::DsseKms)
    }
}

impl std::str::FromStr for Encryption {
    type Err = String;
    fn from_str(s: &str) -> Result<Encryption, String> {
        Encryption::parse(s).ok_or_else(|| {
            format!("unknown encryption `{s}` (expected none, SSE-S3, SSE-KMS, DSSE-KMS or SSE-C)")
        })
    }
}

/// The object to simulate. Serialized as `{"key": "a/b", "tags": [["env","prod"]],
/// "encryption": "SSE-KMS", "deleteMarker": false, "isReplica": false}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectSpec {
    pub key: String,
    pub tags: Vec<(String, String)>,
    pub encryption: Encryption,
    pub delete_marker: bool,
    pub is_replica: bool,
}

impl ObjectSpec {
    /// A plain object with this key: no tags, no encryption, not a delete marker or replica.
    pub fn new(key: impl Into<String>) -> ObjectSpec {
        ObjectSpec {
            key: key.into(),
            ..ObjectSpec::default()
        }
    }
}

/// Why a rule does (not) replicate the object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "SimulationReason"))]
pub enum Reason {
    /// Governs its destination for this object and replicates it.
    Replicates,
    /// Selects the object, but a higher-priority rule governs the same destination.
    LowerPriority,
    /// `Status` is not `Enabled`.
    RuleDisabled,
    /// The key does not start with the rule's prefix.
    PrefixMismatch,
    /// A required tag is missing or has another value.
    TagMismatch,
    /// The object matches the rule's `Not` exclusion.
    ExcludedByNot,
    /// SSE-KMS/DSSE-KMS object, but the rule does not enable `SseKmsEncryptedObjects`.
    KmsNotSelected,
    /// A delete marker this rule does not replicate (V2 without Enabled, or a tag-based rule).
    DeleteMarkerNotReplicated,
    /// The object is itself a replica; S3 does not replicate replicas again.
    ReplicaNotReplicated,
    /// The rule has no destination bucket or a filter S3 rejects.
    InvalidRule,
}

/// A rule that also selected the object for a destination but did not govern it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AlsoMatched {
    pub id: Option<String>,
    pub index: usize,
    pub priority: Option<i64>,
    pub reason: Reason,
    pub detail: String,
}

/// The answer for one destination bucket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DestinationOutcome {
    /// As written in the first rule naming this bucket (usually an ARN).
    pub bucket: String,
    /// The bare bucket name.
    pub name: String,
    pub region: Option<Fact>,
    pub account: Option<Fact>,
    pub replicated: bool,
    /// The governing rule's ID (`None` when no rule selected the object, or it has no ID).
    pub rule: Option<String>,
    pub rule_index: Option<usize>,
    pub priority: Option<i64>,
    /// The replica's storage class, `"same as source"` when the rule sets none; `None` when
    /// nothing is replicated or the object is a delete marker.
    pub storage_class: Option<String>,
    /// How the replica is encrypted, in words; `None` when nothing is replicated.
    pub replica_encryption: Option<String>,
    /// The key SSE-KMS/DSSE-KMS replicas are encrypted with (KMS objects only).
    pub replica_kms_key_id: Option<String>,
    /// KMS objects only: S3 uses the source key's multi-Region replica.
    pub use_source_multi_region_key: bool,
    /// Replicas are owned by the destination account (`AccessControlTranslation`).
    pub owner_override: bool,
    /// S3 Replication Time Control applies (15-minute SLA; not for delete markers).
    pub rtc: bool,
    pub also_matched: Vec<AlsoMatched>,
    /// One or two plain sentences: what happens and why.
    pub detail: String,
}

/// The verdict of one rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RuleOutcome {
    pub id: Option<String>,
    pub index: usize,
    pub priority: Option<i64>,
    /// Bucket name of the rule's destination, if it names one.
    pub destination: Option<String>,
    /// The rule selects the object (enabled, filter and encryption criteria match).
    pub matched: bool,
    pub reason: Reason,
    pub detail: String,
}

/// The answer of [`simulate`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Simulation {
    /// One entry per distinct destination bucket, in document order.
    pub destinations: Vec<DestinationOutcome>,
    /// One entry per rule, in document order.
    pub rules: Vec<RuleOutcome>,
    /// Facts about this object that hold whatever the rules say.
    pub notes: Vec<String>,
}

impl Simulation {
    /// The outcome for a destination given by bucket name or ARN.
    pub fn destination(&self, bucket: &str) -> Option<&DestinationOutcome> {
        let name = arn::bucket_name(bucket);
        self.destinations.iter().find(|d| d.name == name)
    }
}
