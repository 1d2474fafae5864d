//! The role's trust policy: who may assume the replication role.

use super::statement::Stmt;
use super::{Common, BATCH_SERVICE, POLICY_VERSION, S3_SERVICE};
use crate::diagnostic::Severity;
use crate::policy::json::Json;
use crate::policy::{DocumentKind, Note, PolicyDocument, StatementInfo};

/// The trust policy; notes what is unconfirmed for the partition.
pub(super) fn trust_policy(c: &Common, notes: &mut Vec<Note>) -> PolicyDocument {
    let &Common { plan, role, .. } = c;
    let (principal, reason) = if plan.batch {
        (
            Json::obj(vec![("Service", Json::lits(&[S3_SERVICE, BATCH_SERVICE]))]),
            "S3 assumes the role for live replication; S3 Batch Operations assumes it for Batch Replication (deployment context)",
        )
    } else {
        (
            Json::obj(vec![("Service", Json::lit(S3_SERVICE))]),
            "S3 assumes the role to replicate objects (without this every object fails with AssumeRoleNotPermitted)",
        )
    };
    let trust_stmt = Stmt::new(
        "AllowS3ToAssumeRole",
        reason,
        &["sts:AssumeRole"],
        Json::Arr(Vec::new()),
    )
    .principal(principal);
    if plan.partition.value() == Some("aws-cn") {
        notes.push(Note::new(
            Severity::Info,
            "aws-cn: the trust principal is written as s3.amazonaws.com; no source confirms whether the China Regions need another form.",
        ));
    }
    trust_document(role, trust_stmt)
}

fn trust_document(role: &str, stmt: Stmt) -> PolicyDocument {
    // The trust statement has no Resource: build it by hand.
    let json = Json::obj(vec![
        ("Sid", Json::str(&stmt.sid)),
        ("Effect", Json::str("Allow")),
        (
            "Principal",
            stmt.principal.clone().unwrap_or_else(|| Json::Obj(vec![])),
        ),
        ("Action", Json::str("sts:AssumeRole")),
    ]);
    let policy = Json::obj(vec![
        ("Version", Json::str(POLICY_VERSION)),
        ("Statement", Json::Arr(vec![json])),
    ]);
    PolicyDocument {
        kind: DocumentKind::Trust,
        title: "Replication role trust policy".to_string(),
        attach_to: role.to_string(),
        how_to_apply: "Set as the role's trust (assume role) policy.".to_string(),
        text: policy.to_pretty(),
        policy,
        statements: vec![StatementInfo {
            sid: stmt.sid,
            reason: stmt.reason,
        }],
    }
}
