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
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "PolicyKind"))]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatementInfo {
    pub sid: String,
    /// Names the rules/features that need the statement.
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PolicyDocument {
    pub kind: DocumentKind,
    pub title: String,
    /// The ARN (or placeholder) of what the policy attaches to: role, key or bucket.
    pub attach_to: String,
    pub how_to_apply: String,
    /// The policy, keys in conventional order (serializes as a JSON object).
    #[cfg_attr(feature = "ts", ts(type = "IamPolicyDocument"))]
    pub policy: Json,
    /// `policy` pretty-printed (two-space indent).
    pub text: String,
    /// One entry per statement, in statement order.
    pub statements: Vec<StatementInfo>,
}

/// A fact the generator did not know; its token stands in the policies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Placeholder {
    /// The text standing in the policies, e.g. `${SOURCE_BUCKET}`.
    pub token: String,
    pub what: String,
    pub how_to_fill: String,
}

/// Something the user should know about the generated set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "PolicyNote"))]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PolicySet {
    pub documents: Vec<PolicyDocument>,
    /// False when a placeholder remains (see `placeholders`), there was nothing to grant, or
    /// facts the policies rest on contradict each other (a note says which).
    pub complete: bool,
    pub placeholders: Vec<Placeholder>,
    pub notes: Vec<Note>,
}

/// A policy set as the JS package receives it, each fact once: a document's `text` is its
/// `policy` pretty-printed and each statement's `sid` is the policy's own `Sid`, so only the
/// reasons travel (`reasons[i]` for `Statement[i]`); the package's wrapper derives `text`
/// and `statements` on access (JSON.stringify with two-space indentation writes `text`
/// byte for byte, a test in `tests/wasm_api.rs` proves it).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LeanPolicySet<'a> {
    documents: Vec<LeanPolicyDocument<'a>>,
    complete: bool,
    placeholders: &'a [Placeholder],
    notes: &'a [Note],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LeanPolicyDocument<'a> {
    kind: DocumentKind,
    title: &'a str,
    attach_to: &'a str,
    how_to_apply: &'a str,
    policy: &'a Json,
    reasons: Vec<&'a str>,
}

impl PolicySet {
    /// The form the JS package receives (see [`LeanPolicySet`]).
    pub fn lean(&self) -> LeanPolicySet<'_> {
        LeanPolicySet {
            documents: self
                .documents
                .iter()
                .map(|d| LeanPolicyDocument {
                    kind: d.kind,
                    title: &d.title,
                    attach_to: &d.attach_to,
                    how_to_apply: &d.how_to_apply,
                    policy: &d.policy,
                    reasons: d.statements.iter().map(|s| s.reason.as_str()).collect(),
                })
                .collect(),
            complete: self.complete,
            placeholders: &self.placeholders,
            notes: &self.notes,
        }
    }
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
