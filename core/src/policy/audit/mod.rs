//! Audit the user's policies against the plan: what is missing (and how replication then
//! fails), what is subtly wrong (GetObjectVersion, ViaService Region, encryption context),
//! and what is broader than needed.

mod broad;
mod kms;
mod missing;
mod resource_policies;
mod role;

use super::iam::{self, Caller, Outcome, Policy, Request};
use super::plan::{Known, Plan};
use super::UserPolicies;
use crate::catalogue::audit as r;
use crate::catalogue::RuleMeta;
use crate::diagnostic::Diagnostic;
use crate::source::{LineIndex, Span};
use crate::syntax::Node;
use broad::broad;
use resource_policies::{audit_bucket_policy, audit_key_policies, audit_trust};
use role::audit_role;

/// Appended to a prefix to stand for "any object under it" in a sample request. A NUL cannot
/// occur literally in a policy pattern, so only a wildcard covers it.
const ANY_KEY: &str = "\u{0}";

/// Findings for one policy text.
pub(super) struct Sink {
    base: String,
    diags: Vec<Diagnostic>,
    /// For findings of a permission no statement grants: (message, action, resource shown),
    /// so a caller can offer the statement to add.
    grants: Vec<(String, &'static str, String)>,
}

impl Sink {
    pub(super) fn report(
        &mut self,
        rule: &RuleMeta,
        span: Span,
        path: &str,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diags.push(Diagnostic::new(
            rule.code,
            rule.severity,
            span,
            format!("{}{}", self.base, path),
            message,
        ));
        let last = self.diags.len() - 1;
        &mut self.diags[last]
    }
}

/// What a policy is to the replication role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyRole {
    /// Grants the role permissions (several are audited as one).
    Permissions,
    Trust,
    KeyPolicy,
    BucketPolicy,
}

impl PolicyRole {
    /// Identity policies need `Resource`; resource policies (trust, key, bucket) `Principal`.
    fn needs(self) -> (bool, bool) {
        match self {
            PolicyRole::Permissions => (true, false),
            PolicyRole::Trust => (false, true),
            PolicyRole::KeyPolicy | PolicyRole::BucketPolicy => (true, true),
        }
    }
}

struct Loaded {
    role: PolicyRole,
    sink: Sink,
    policy: Option<Policy>,
    /// For a key policy: the key it belongs to, when the caller says (else any key).
    key: Option<String>,
}

/// Read one policy tree; `prefix` starts the paths of its statements.
fn load(role: PolicyRole, base: String, prefix: &str, root: Option<&Node>) -> Loaded {
    let (needs_resource, needs_principal) = role.needs();
    let mut sink = Sink {
        base,
        diags: Vec::new(),
        grants: Vec::new(),
    };
    let policy = root.map(|root| {
        let (policy, errors) = Policy::read(root, prefix, needs_resource, needs_principal);
        for e in errors {
            sink.report(&r::POLICY_INVALID, e.span, &e.path, e.message);
        }
        policy
    });
    Loaded {
        role,
        sink,
        policy,
        key: None,
    }
}

fn s3_request(action: &'static str, resource: Option<String>) -> Request {
    Request {
        action,
        resource,
        resource_shape: None,
        condition_keys: Vec::new(),
        caller: Caller::Identity,
    }
}
fn allowed(policy: &Policy, req: &Request) -> bool {
    matches!(iam::evaluate(policy, req), Outcome::Allowed(_))
}

/// `arn:p:s3:::bucket` when partition and bucket are known.
fn bucket_arn(plan: &Plan, bucket: &Known) -> Option<String> {
    Some(format!(
        "arn:{}:s3:::{}",
        plan.partition.value()?,
        bucket.value()?
    ))
}

fn object_sample(plan: &Plan, bucket: &Known, prefix: &str) -> Option<String> {
    Some(format!(
        "{}/{}{}",
        bucket_arn(plan, bucket)?,
        prefix,
        ANY_KEY
    ))
}

fn shown_objects(plan: &Plan, bucket: &str, prefix: &str) -> String {
    format!("arn:{}:s3:::{}/{}*", plan.partition.text(), bucket, prefix)
}

pub(crate) fn audit(plan: &Plan, user: &UserPolicies) -> Vec<Diagnostic> {
    let mut texts: Vec<(PolicyRole, String, &str)> = Vec::new();
    if let Some(t) = user.role {
        texts.push((PolicyRole::Permissions, "/role".into(), t));
    }
    if let Some(t) = user.trust {
        texts.push((PolicyRole::Trust, "/trust".into(), t));
    }
    for (i, t) in user.key_policies.iter().enumerate() {
        texts.push((PolicyRole::KeyPolicy, format!("/keyPolicies/{i}"), t));
    }
    if let Some(t) = user.bucket_policy {
        texts.push((PolicyRole::BucketPolicy, "/bucketPolicy".into(), t));
    }
    let mut loaded: Vec<Loaded> = texts
        .iter()
        .map(|(role, base, text)| {
            let (tree, parse_diags) = crate::parse::json::parse_tree(text);
            let mut l = load(*role, base.clone(), "", tree.as_ref());
            if let Some(i) = base.strip_prefix("/keyPolicies/") {
                l.key = i
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| user.key_policy_keys.get(i))
                    .filter(|k| !k.trim().is_empty())
                    .map(|k| k.trim().to_string());
            }
            for mut d in parse_diags {
                d.path = format!("{base}{}", d.path);
                l.sink.diags.push(d);
            }
            l
        })
        .collect();
    run(plan, &mut loaded);
    let mut out = Vec::new();
    for (l, (_, _, text)) in loaded.into_iter().zip(&texts) {
        let index = LineIndex::new(text);
        for mut d in tidy(l.sink.diags) {
            d.resolve(text, &index);
            out.push(d);
        }
    }
    out
}

/// Audit policies found as trees (e.g. in a template): every permissions policy of the role
/// is audited as one. Returns each finding with the index of the tree it points into; spans
/// are left unresolved (the trees may come from different files) and paths are relative to
/// the tree.
#[cfg(feature = "iac")]
pub(crate) fn audit_trees(plan: &Plan, trees: &[(PolicyRole, &Node)]) -> Vec<TreeFinding> {
    let mut loaded: Vec<Loaded> = Vec::new();
    let mut permissions: Option<Loaded> = None;
    for (i, (role, root)) in trees.iter().enumerate() {
        let l = load(*role, String::new(), &format!("/#{i}"), Some(root));
        if *role != PolicyRole::Permissions {
            loaded.push(l);
            continue;
        }
        match &mut permissions {
            None => permissions = Some(l),
            Some(merged) => {
                merged.sink.diags.extend(l.sink.diags);
                if let (Some(into), Some(p)) = (&mut merged.policy, l.policy) {
                    into.statements.extend(p.statements);
                }
            }
        }
    }
    loaded.extend(permissions);
    run(plan, &mut loaded);
    let first = |role: PolicyRole| trees.iter().position(|(r, _)| *r == role).unwrap_or(0);
    let mut out = Vec::new();
    for l in loaded {
        let grants = l.sink.grants;
        for mut d in tidy(l.sink.diags) {
            let grant = grants
                .iter()
                .find(|(m, ..)| *m == d.message)
                .map(|(_, action, resource)| (*action, resource.clone()));
            let tagged = d.path.strip_prefix("/#").and_then(|rest| {
                let digits =
                    rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                Some((
                    rest[..digits].parse::<usize>().ok()?,
                    rest[digits..].to_string(),
                ))
            });
            let i = match tagged {
                Some((i, rest)) => {
                    d.path = rest;
                    i
                }
                None => first(l.role),
            };
            out.push(TreeFinding {
                tree: i,
                diagnostic: d,
                grant,
            });
        }
    }
    out
}

/// A finding of [`audit_trees`].
#[cfg(feature = "iac")]
pub struct TreeFinding {
    /// The tree it points into.
    pub tree: usize,
    pub diagnostic: Diagnostic,
    /// For a permission no statement grants: the action and the resource (pattern) to grant
    /// it on.
    pub grant: Option<(&'static str, String)>,
}

/// Every check, on policies already read.
fn run(plan: &Plan, loaded: &mut [Loaded]) {
    let bucket_policies: Vec<Policy> = loaded
        .iter()
        .filter(|l| l.role == PolicyRole::BucketPolicy)
        .filter_map(|l| l.policy.clone())
        .collect();
    // Each key policy with the key it belongs to (`None`: not said, any key).
    let key_policies: Vec<(Option<String>, Policy)> = loaded
        .iter()
        .filter(|l| l.role == PolicyRole::KeyPolicy)
        .filter_map(|l| Some((l.key.clone(), l.policy.clone()?)))
        .collect();
    for l in loaded.iter_mut() {
        let Some(p) = &l.policy else { continue };
        match l.role {
            PolicyRole::Permissions => {
                audit_role(plan, p, &bucket_policies, &key_policies, &mut l.sink);
                broad(p, &mut l.sink, false);
            }
            PolicyRole::Trust => audit_trust(plan, p, &mut l.sink),
            PolicyRole::BucketPolicy => {
                audit_bucket_policy(plan, p, &mut l.sink);
                broad(p, &mut l.sink, true);
            }
            PolicyRole::KeyPolicy => {}
        }
        super::actions::check(p, &mut l.sink);
    }
    let mut keys: Vec<&mut Loaded> = loaded
        .iter_mut()
        .filter(|l| l.role == PolicyRole::KeyPolicy)
        .collect();
    if !keys.is_empty() {
        audit_key_policies(plan, &mut keys);
    }
}

/// Findings in position order, without repeats.
fn tidy(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    crate::sort::sort_by(&mut diags, |a, b| {
        (a.span.start, a.severity, a.code, &a.message).cmp(&(
            b.span.start,
            b.severity,
            b.code,
            &b.message,
        ))
    });
    diags.dedup_by(|a, b| {
        a.code == b.code && a.span == b.span && a.path == b.path && a.message == b.message
    });
    diags
}
