//! The policies a configuration's code already has: the role's permissions and trust
//! policies, the key policies of its KMS keys and the destination bucket policy, found by the
//! front ends next to the configuration and audited with the S3R7xx checks, each finding in
//! the user's policy code.
//!
//! A finding that rests on a value the code does not fix, or on a policy these files do not
//! hold (a managed policy attached by ARN), is reported as not verified, never as an error.

mod fixes;

use super::unknowns::{not_verified, rests_on_unknown, why_unknown};
use super::{SourceFile, Unknown};
use crate::catalogue::audit as audit_codes;
use crate::context::{DeploymentContext, Resolved};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Document;
use crate::policy::{self, PolicyRole};
use crate::source::{LineIndex, Span};
use crate::syntax::{Content, Node};
use serde::Serialize;
use std::borrow::Cow;

/// One policy document found in the code, translated to IAM's JSON shape (spans in its file).
pub struct FoundPolicy {
    pub role: PolicyRole,
    pub file: usize,
    /// Where it is written, e.g. `aws_iam_role_policy.replication.policy` or
    /// `Resources.ReplicationRole.Properties.Policies[0].PolicyDocument`.
    pub address: String,
    pub root: Node<'static>,
    /// Values inside `root` the code does not fix.
    pub unknowns: Vec<Unknown>,
    /// How it is written (for the statement a quick fix adds).
    pub syntax: Syntax,
}

/// How a policy is written in the user's file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// A CloudFormation YAML mapping.
    CfnYaml,
    /// A CloudFormation JSON object.
    CfnJson,
    /// JSON text in a Terraform string or heredoc.
    TfJsonText,
    /// The HCL object of `jsonencode(...)`.
    TfObject,
    /// A `data "aws_iam_policy_document"`.
    TfDocument,
    /// JSON text in a JSON string of a Terraform plan: read, never edited.
    PlanJson,
}

/// A policy the code attaches but these files do not hold.
pub struct External {
    pub role: PolicyRole,
    /// Where it is attached, e.g. `aws_iam_role.replication.managed_policy_arns[0]`.
    pub address: String,
    pub file: usize,
    pub span: Span,
    /// What it is, e.g. "the managed policy `arn:aws:iam::aws:policy/AmazonS3FullAccess`".
    pub what: String,
}

/// Everything a front end found for one configuration.
#[derive(Default)]
pub struct FoundPolicies {
    pub policies: Vec<FoundPolicy>,
    pub external: Vec<External>,
    /// The stand-in name of a source bucket named at deployment: the policies name it the
    /// same way (`!GetAtt Source.Arn`), so the audit can still match them.
    pub source_stand_in: Option<String>,
    /// The partition the policies were read in when the code leaves it to deployment.
    pub partition_stand_in: Option<String>,
    /// Stand-ins of the source bucket's KMS keys declared in the code (their ARNs are
    /// generated), for when the context names none.
    pub source_keys: Vec<String>,
    /// Each stand-in text and the expression it stands for, to say in messages.
    pub shown: Vec<(String, String)>,
    /// Values of the generated policies that name the code's own resources (buckets, role,
    /// keys), for handing the policies back as code wired to them.
    pub bindings: Vec<crate::policy::emit::Binding>,
    /// A value of the configuration the policies must name (a bucket, a key) that is known
    /// only at deployment and has no stand-in the policies share: what a policy lacks is then
    /// only "not verified".
    pub configuration_unknown: Option<String>,
}

impl FoundPolicies {
    /// Bind `value` (as the generated policies write it) to a Terraform expression.
    pub fn bind_terraform(&mut self, value: String, expression: String) {
        if !self.bindings.iter().any(|b| b.value == value) {
            self.bindings.push(crate::policy::emit::Binding {
                value,
                terraform: Some(expression),
                cloudformation: None,
            });
        }
    }

    /// Bind `value` to a CloudFormation logical ID and attribute (`None`: `Ref`).
    pub fn bind_cloudformation(&mut self, value: String, id: &str, attribute: Option<&str>) {
        if !self.bindings.iter().any(|b| b.value == value) {
            self.bindings.push(crate::policy::emit::Binding {
                value,
                terraform: None,
                cloudformation: Some((id.to_string(), attribute.map(str::to_string))),
            });
        }
    }
}

/// The audit of one policy found in the code.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "PolicyAudit"))]
pub struct PolicyReport {
    pub address: String,
    pub file: String,
    /// `permissions`, `trust`, `key-policy` or `bucket-policy`; `attached-policy` for a policy
    /// attached here but defined in other files (reported as not verified).
    #[cfg_attr(
        feature = "ts",
        ts(
            type = r#""permissions" | "trust" | "key-policy" | "bucket-policy" | "attached-policy""#
        )
    )]
    pub kind: &'static str,
    pub diagnostics: Vec<Diagnostic>,
}

fn kind_name(role: PolicyRole) -> &'static str {
    match role {
        PolicyRole::Permissions => "permissions",
        PolicyRole::Trust => "trust",
        PolicyRole::KeyPolicy => "key-policy",
        PolicyRole::BucketPolicy => "bucket-policy",
    }
}

/// Codes that say a policy lacks something the configuration needs: another statement the
/// code does not show (an unknown value, a managed policy elsewhere) may supply it.
fn needs_the_whole(code: &str) -> bool {
    ![
        &audit_codes::POLICY_INVALID,
        &audit_codes::BROAD_ACTION,
        &audit_codes::BROAD_RESOURCE,
        &audit_codes::UNKNOWN_ACTION,
    ]
    .iter()
    .any(|m| m.code == code)
}

/// Audit the policies found for a configuration against what it needs.
pub fn audit(
    found: &FoundPolicies,
    document: &Document,
    context: &DeploymentContext,
    files: &[SourceFile],
) -> Vec<PolicyReport> {
    let mut context = context.clone();
    if context.source_bucket.is_none() {
        context.source_bucket = found.source_stand_in.clone();
    }
    if context.partition.is_none() {
        context.partition = found.partition_stand_in.clone();
    }
    if context.source_kms_keys.is_empty() {
        context.source_kms_keys = found.source_keys.clone();
    }
    let resolved = Resolved::new(&context, document);
    let trees: Vec<(PolicyRole, &Node<'static>)> =
        found.policies.iter().map(|p| (p.role, &p.root)).collect();
    let mut reports: Vec<PolicyReport> = found
        .policies
        .iter()
        .map(|p| PolicyReport {
            address: p.address.clone(),
            file: files.get(p.file).map_or(String::new(), |f| f.path.clone()),
            kind: kind_name(p.role),
            diagnostics: Vec::new(),
        })
        .collect();
    let findings = policy::audit_trees(document, &resolved, &trees);
    // The same audit with every unknown value granting all it could: a finding that still
    // stands there holds whatever the values turn out to be.
    let robust: Vec<(usize, &'static str, Span)> =
        if found.policies.iter().any(|p| !p.unknowns.is_empty()) {
            let hopeful: Vec<Node<'static>> = found.policies.iter().map(hopeful_tree).collect();
            let trees: Vec<(PolicyRole, &Node<'static>)> = found
                .policies
                .iter()
                .zip(&hopeful)
                .map(|(p, n)| (p.role, n))
                .collect();
            policy::audit_trees(document, &resolved, &trees)
                .into_iter()
                .map(|f| (f.tree, f.diagnostic.code, f.diagnostic.span))
                .collect()
        } else {
            findings
                .iter()
                .map(|f| (f.tree, f.diagnostic.code, f.diagnostic.span))
                .collect()
        };
    for finding in findings {
        let (i, mut d) = (finding.tree, finding.diagnostic);
        let p = &found.policies[i];
        d.fix = None;
        d.path = format!("{}{}", p.address, d.path);
        for (text, expr) in &found.shown {
            if d.message.contains(text.as_str()) {
                d.message = d.message.replace(text.as_str(), &format!("`{expr}`"));
            }
        }
        if d.severity != Severity::Info {
            let stands = robust.contains(&(i, d.code, d.span));
            if let Some(why) = unverified_because(found, p, &d, stands) {
                not_verified(&mut d, why);
            }
        }
        if let Some(f) = files.get(p.file) {
            // A statement written as HCL or JSON text would not fit a `.tf.json` file.
            let tf_json = !matches!(p.syntax, Syntax::CfnYaml | Syntax::CfnJson)
                && super::terraform::is_json(f);
            let editable = p.syntax != Syntax::PlanJson;
            d.fix = editable
                .then(|| fixes::action(&d, &f.text))
                .flatten()
                .or_else(|| {
                    let (action, resource) = finding.grant.as_ref()?;
                    (editable
                        && d.severity != Severity::Info
                        && p.role == PolicyRole::Permissions
                        && !tf_json)
                        .then(|| fixes::statement(p, found, &f.text, action, resource))
                        .flatten()
                });
        }
        reports[i].diagnostics.push(d);
    }
    for e in &found.external {
        let mut d = Diagnostic::new(
            crate::catalogue::engine::UNVERIFIED.code,
            Severity::Info,
            e.span,
            e.address.clone(),
            format!(
                "Not verified: {} is attached here but not in these files; what it grants is not checked",
                e.what
            ),
        )
        .with_help("Check the files that define it too, or audit it with `s3-replication-lint audit`.");
        d.path = e.address.clone();
        reports.push(PolicyReport {
            address: e.address.clone(),
            file: files.get(e.file).map_or(String::new(), |f| f.path.clone()),
            kind: "attached-policy",
            diagnostics: vec![d],
        });
    }
    let file_of = |i: usize| {
        found
            .policies
            .get(i)
            .map(|p| p.file)
            .or_else(|| found.external.get(i - found.policies.len()).map(|e| e.file))
    };
    for (i, r) in reports.iter_mut().enumerate() {
        if let Some(f) = file_of(i).and_then(|f| files.get(f)) {
            let index = LineIndex::new(&f.text);
            for d in &mut r.diagnostics {
                d.resolve(&f.text, &index);
            }
        }
    }
    reports
}

/// Why a finding on policy `p` cannot be verified from the code, if it cannot. `stands`: the
/// finding holds whatever the unknown values are.
fn unverified_because(
    found: &FoundPolicies,
    p: &FoundPolicy,
    d: &Diagnostic,
    stands: bool,
) -> Option<String> {
    let same = |role: PolicyRole| role == p.role;
    // A value of the configuration the policies must name is unknown (a plan's bucket known
    // only after apply): what a policy lacks for it is not verified, however it is placed.
    if let Some(u) = found
        .configuration_unknown
        .as_ref()
        .filter(|_| needs_the_whole(d.code))
    {
        return Some(format!(
            "{} in the configuration is not known until deployment",
            super::shorten(u)
        ));
    }
    // A missing permission that the audit with every unknown value granting all it could
    // still finds is missing whatever they are, wherever it is placed (a policy written as
    // one JSON string places it inside the string's unknowns).
    if stands && needs_the_whole(d.code) && !found.external.iter().any(|e| same(e.role)) {
        return None;
    }
    if let Some(on) = rests_on_unknown(d, &p.unknowns, &[]) {
        return Some(why_unknown(on));
    }
    if !needs_the_whole(d.code) {
        return None;
    }
    if let Some(e) = found.external.iter().find(|e| same(e.role)) {
        return Some(format!(
            "the role also has {}, which these files do not hold",
            e.what
        ));
    }
    if stands {
        return None;
    }
    // The role's own policies first; a key or bucket policy's grant counts for the role too.
    let others = |role: PolicyRole| {
        p.role == PolicyRole::Permissions
            && matches!(role, PolicyRole::KeyPolicy | PolicyRole::BucketPolicy)
    };
    found
        .policies
        .iter()
        .filter(|q| same(q.role))
        .chain(found.policies.iter().filter(|q| others(q.role)))
        .flat_map(|q| q.unknowns.iter())
        .next()
        .map(|u| {
            format!(
                "`{}` in the policy is not known until deployment",
                super::shorten(&u.expression)
            )
        })
}

/// `p`'s tree with each unknown value as permissive as it could be: `*` in an Allow (any
/// action, resource, principal or condition value), a value matching nothing in a Deny; under
/// `NotAction`/`NotResource`/`NotPrincipal` the other way round (a Deny that excludes
/// everything, an Allow that excludes nothing).
fn hopeful_tree(p: &FoundPolicy) -> Node<'static> {
    let mut root = p.root.clone();
    if !p.unknowns.is_empty() {
        widen(&mut root, &p.unknowns, false, false, "");
    }
    root
}

/// The service principals a replication role's trust policy may need: an unknown `Service`
/// (`"s3.${data.aws_partition.current.dns_suffix}"`) could be any of them. (`*` is no
/// service principal, so it would grant none.)
const SERVICES: [&str; 2] = ["s3.amazonaws.com", "batchoperations.s3.amazonaws.com"];

/// `key`: the name of the member the node is the value of (or an item of); `negated`: inside
/// `NotAction`, `NotResource` or `NotPrincipal`.
fn widen(node: &mut Node<'static>, unknowns: &[Unknown], deny: bool, negated: bool, key: &str) {
    let span = node.span;
    match &mut node.content {
        Content::Object(ms) => {
            let deny = deny
                || ms.iter().any(|m| {
                    m.name == "Effect"
                        && matches!(&m.value.content, Content::Text(t) if t == "Deny")
                });
            for m in ms {
                let key = m.name.to_string();
                let negated =
                    negated || matches!(key.as_str(), "NotAction" | "NotResource" | "NotPrincipal");
                widen(&mut m.value, unknowns, deny, negated, &key);
            }
        }
        Content::Array(items) => items
            .iter_mut()
            .for_each(|i| widen(i, unknowns, deny, negated, key)),
        Content::Text(_) if unknowns.iter().any(|u| u.span == span) && negated => {
            // What the statement excludes: everything for a Deny, nothing for an Allow.
            node.content = Content::Text(Cow::Borrowed(if deny { "*" } else { "\u{0}" }));
        }
        Content::Text(_) if unknowns.iter().any(|u| u.span == span) && key == "Statement" => {
            // A statement (or the whole list) the code does not fix: it may grant anything.
            let text = |t: &'static str| Node {
                content: Content::Text(Cow::Borrowed(t)),
                span,
            };
            *node = super::eval::object(
                vec![
                    super::eval::member("Effect", span, span, text("Allow")),
                    super::eval::member("Principal", span, span, text("*")),
                    super::eval::member("Action", span, span, text("*")),
                    super::eval::member("Resource", span, span, text("*")),
                ],
                span,
            );
        }
        Content::Text(_) if unknowns.iter().any(|u| u.span == span) => {
            node.content = if key == "Service" && !deny {
                Content::Array(
                    SERVICES
                        .iter()
                        .map(|s| Node {
                            content: Content::Text(Cow::Borrowed(s)),
                            span,
                        })
                        .collect(),
                )
            } else if deny {
                Content::Text(Cow::Borrowed("\u{0}"))
            } else if key.contains(':') {
                // A condition value (`kms:CallerAccount`, `aws:SourceArn`...): a policy
                // variable, which every string operator takes as possibly equal.
                Content::Text(Cow::Borrowed("${unknown}"))
            } else if key == "AWS"
                && matches!(&node.content, Content::Text(t) if t.trim_end_matches(['"', '\'']).ends_with(":root"))
            {
                // An account principal (`!Sub arn:...:${AccountId}:root`): whichever account it
                // is, never the role itself.
                Content::Text(Cow::Borrowed("arn:*:iam::*:root"))
            } else {
                Content::Text(Cow::Borrowed("*"))
            };
        }
        _ => {}
    }
}
