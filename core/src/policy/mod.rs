//! Policies for a replication configuration: generate the least-privilege role, trust, KMS key
//! and destination bucket policies it needs, and audit the policies a user already has.
//!
//! [`generate`] and [`audit`] share one [`plan::Plan`] (what each rule needs), so an audit
//! reports exactly the permissions the generator would grant.

pub(crate) mod actions;
mod audit;
#[cfg(feature = "iac")]
pub mod emit;
mod generate;
mod iam;
pub mod json;
mod plan;

use crate::context::Resolved;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Document;
use serde::Serialize;

pub use json::Json;

/// What a generated document is and where it goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentKind {
    /// Permissions policy of the replication role.
    RolePermissions,
    /// Trust (assume role) policy of the replication role.
    Trust,
    /// Statement(s) to add to a KMS key policy.
    KmsKeyPolicy,
    /// Bucket policy of a destination bucket owned by another account.
    DestinationBucketPolicy,
    /// Extra role permissions for S3 Batch Replication.
    BatchReplication,
    /// Permissions of the principal that applies the configuration (PutBucketReplication).
    Deployer,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::RolePermissions => "role-permissions",
            DocumentKind::Trust => "trust",
            DocumentKind::KmsKeyPolicy => "kms-key-policy",
            DocumentKind::DestinationBucketPolicy => "destination-bucket-policy",
            DocumentKind::BatchReplication => "batch-replication",
            DocumentKind::Deployer => "deployer",
        }
    }
}

/// Why one statement is there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementInfo {
    pub sid: String,
    /// Names the rules/features that need the statement.
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyDocument {
    pub kind: DocumentKind,
    pub title: String,
    /// The ARN (or placeholder) of what the policy attaches to: role, key or bucket.
    pub attach_to: String,
    pub how_to_apply: String,
    /// The policy, keys in conventional order (serializes as a JSON object).
    pub policy: Json,
    /// `policy` pretty-printed (two-space indent).
    pub text: String,
    /// One entry per statement, in statement order.
    pub statements: Vec<StatementInfo>,
}

/// A fact the generator did not know; its token stands in the policies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Placeholder {
    /// The text standing in the policies, e.g. `${SOURCE_BUCKET}`.
    pub token: String,
    pub what: String,
    pub how_to_fill: String,
}

/// Something the user should know about the generated set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    pub severity: Severity,
    pub message: String,
}

impl Note {
    pub fn new(severity: Severity, message: impl Into<String>) -> Note {
        Note {
            severity,
            message: message.into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicySet {
    pub documents: Vec<PolicyDocument>,
    /// False when a placeholder remains (see `placeholders`), there was nothing to grant, or
    /// facts the policies rest on contradict each other (a note says which).
    pub complete: bool,
    pub placeholders: Vec<Placeholder>,
    pub notes: Vec<Note>,
}

/// Generate every policy the configuration needs.
pub fn generate(doc: &Document, ctx: &Resolved) -> PolicySet {
    generate::generate(plan::Plan::new(doc, ctx))
}

/// The user's existing policies, as text (JSON). Any may be absent.
#[derive(Clone, Debug, Default)]
pub struct UserPolicies<'a> {
    /// Permissions policy (or policies, merged into one document) of the replication role.
    pub role: Option<&'a str>,
    pub trust: Option<&'a str>,
    /// Key policies of the source and replica keys, in any order.
    pub key_policies: Vec<&'a str>,
    /// The key (ARN) each of `key_policies` belongs to, in the same order; a missing or empty
    /// entry: any of the configuration's keys. A policy said to be one key's is checked
    /// against that key's needs only, and its findings name that key.
    pub key_policy_keys: Vec<&'a str>,
    /// Bucket policy of the (cross-account) destination bucket.
    pub bucket_policy: Option<&'a str>,
}

/// Audit the user's policies against what the configuration needs (codes S3R700-S3R799).
///
/// Each diagnostic's span and range point into the policy text it is about; its `path` starts
/// with that text's name: `/role`, `/trust`, `/keyPolicies/<i>` or `/bucketPolicy`, followed
/// by the JSON path inside it (e.g. `/role/Statement/2/Action/0`).
pub fn audit(doc: &Document, ctx: &Resolved, user: &UserPolicies) -> Vec<Diagnostic> {
    audit::audit(&plan::Plan::new(doc, ctx), user)
}

pub use audit::PolicyRole;
#[cfg(feature = "iac")]
pub use audit::TreeFinding;

/// Audit policies already parsed into trees (e.g. found in a template), every permissions
/// policy of the role as one. Each finding comes with the index of the tree it points into,
/// its path relative to that tree, its span unresolved (trees may come from several files),
/// and for a missing permission what to grant.
#[cfg(feature = "iac")]
pub fn audit_trees(
    doc: &Document,
    ctx: &Resolved,
    trees: &[(PolicyRole, &crate::syntax::Node)],
) -> Vec<TreeFinding> {
    audit::audit_trees(&plan::Plan::new(doc, ctx), trees)
}
