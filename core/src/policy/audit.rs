//! Audit the user's policies against the plan: what is missing (and how replication then
//! fails), what is subtly wrong (GetObjectVersion, ViaService Region, encryption context),
//! and what is broader than needed.

use super::generate::{BATCH_SERVICE, S3_SERVICE};
use super::iam::{self, Caller, Outcome, Policy, Request, Statement};
use super::plan::{reduce_prefixes, KeyPlan, Known, Plan, RulePlan};
use super::UserPolicies;
use crate::catalogue::audit as r;
use crate::catalogue::RuleMeta;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{LineIndex, Span};
use crate::syntax::Node;

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
        context: Vec::new(),
        caller: Caller::Identity,
    }
}

fn untagged(path: &str) -> &str {
    match path.strip_prefix("/#") {
        Some(rest) => rest.trim_start_matches(|c: char| c.is_ascii_digit()),
        None => path,
    }
}

fn stmt_name(s: &Statement) -> String {
    match &s.sid {
        Some(sid) if !sid.is_empty() => format!("statement `{sid}`"),
        // Several policies audited as one tag their paths `/#<n>`; the user knows the
        // statement by its place in its own policy.
        _ => format!("the statement at {}", untagged(&s.path)),
    }
}

/// Report `rule` for a request the policy does not allow: at the Deny that blocks it, at the
/// first statement that has the action but not the resource, or at `Statement`.
fn report_missing(
    sink: &mut Sink,
    policy: &Policy,
    rule: &'static RuleMeta,
    req: &Request,
    shown: &str,
    consequence: &str,
) {
    match iam::evaluate(policy, req) {
        Outcome::Allowed(_) => {}
        Outcome::Denied(i) => {
            let s = &policy.statements[i];
            let span = s.action_span.unwrap_or(s.span);
            sink.report(
                rule,
                span,
                &s.path,
                format!(
                    "{} denies {} on {}: {}",
                    stmt_name(s),
                    req.action,
                    shown,
                    consequence
                ),
            );
        }
        Outcome::NotAllowed => {
            // An Allow statement that misses in one part only. One with the right action and
            // principal was meant for this request; a principal miss is often an account's
            // delegation statement; an action miss only shares the resource.
            let rank = |n: &Miss| match n.part {
                "Action" | "NotAction" => 2,
                "Principal" | "NotPrincipal" => 1,
                _ => 0,
            };
            let mut near: Option<(&Statement, Miss)> = None;
            for s in &policy.statements {
                if let Some(n) = near_miss(s, req, shown) {
                    if near.as_ref().is_none_or(|(_, b)| rank(&n) < rank(b)) {
                        near = Some((s, n));
                    }
                }
            }
            match near {
                Some((s, n)) => {
                    let d = sink.report(
                        rule,
                        n.span,
                        &n.path,
                        format!(
                            "{} would allow {} on {shown} but for its {} (found {}; needed {}): {consequence}",
                            stmt_name(s),
                            req.action,
                            n.part,
                            n.found,
                            n.needed,
                        ),
                    );
                    if n.part.ends_with("Principal") && n.found.contains(":root") {
                        d.help = Some(ROOT_DELEGATES.into());
                    }
                }
                None => {
                    sink.report(
                        rule,
                        policy.anchor,
                        "/Statement",
                        format!(
                            "No statement allows {} on {}: {}",
                            req.action, shown, consequence
                        ),
                    );
                }
            }
            let message = sink
                .diags
                .last()
                .map(|d| d.message.clone())
                .unwrap_or_default();
            sink.grants.push((message, req.action, shown.to_string()));
        }
    }
}

const ROOT_DELEGATES: &str = "An account's root principal delegates to that account's IAM policies: it covers only that account's own roles and users. Name the replication role, or its account's root (the role's own policy must then allow the action too).";

/// Up to four values, comma-separated.
fn list<'v>(values: impl Iterator<Item = &'v str>) -> String {
    let mut out = String::new();
    for (i, v) in values.enumerate() {
        if i == 4 {
            out.push_str(", ...");
            break;
        }
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(v);
    }
    out
}

/// A statement part that keeps an Allow from applying: its name (`Action`, `Principal`,
/// `Resource`, `Condition` or a `Not` form), span, path, the values it holds and what it needs.
struct Miss {
    part: &'static str,
    span: Span,
    path: String,
    found: String,
    needed: String,
}

/// If `s` is an Allow statement that would allow `req` but for one part, that part.
fn near_miss(s: &Statement, req: &Request, shown: &str) -> Option<Miss> {
    if !s.allow {
        return None;
    }
    let m = iam::matches(s, req);
    let misses = [
        !m.action,
        m.principal == iam::Tri::False,
        m.resource == iam::Tri::False,
        m.conditions == iam::Tri::False,
    ];
    if misses.iter().filter(|&&x| x).count() != 1 {
        return None;
    }
    let not = |yes: bool, a: &'static str, b: &'static str| if yes { a } else { b };
    let (part, span, found, needed) = match misses.iter().position(|&x| x) {
        Some(0) => (
            not(s.not_action, "NotAction", "Action"),
            s.action_span,
            list(s.actions.iter().map(|a| a.value.as_str())),
            req.action.to_string(),
        ),
        Some(1) => {
            let p = s.principal.as_ref()?;
            let span = match (p.entries.first(), p.entries.last()) {
                (Some(a), Some(b)) => Some(a.1.span.cover(b.1.span)),
                _ => None,
            };
            let entries: Vec<String> = p
                .entries
                .iter()
                .map(|(k, v)| format!("{k} {}", v.value))
                .collect();
            let needed = match &req.caller {
                Caller::Service(svc) => format!("Service {svc}"),
                Caller::Role {
                    arn: Some(a),
                    account: Some(c),
                } => format!("the replication role {a} or its account {c}"),
                Caller::Identity => "no Principal".to_string(),
                _ => "the replication role".to_string(),
            };
            let part = not(s.not_principal, "NotPrincipal", "Principal");
            (part, span, list(entries.iter().map(String::as_str)), needed)
        }
        Some(2) => (
            not(s.not_resource, "NotResource", "Resource"),
            s.resource_span,
            list(s.resources.iter().map(|r| r.value.as_str())),
            shown.to_string(),
        ),
        _ => {
            let c = s
                .conditions
                .iter()
                .find(|c| iam::eval_condition(c, req) == iam::Tri::False)?;
            let (span, path) = cond_span(s, &c.key.value)?;
            let value = req
                .context
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(&c.key.value));
            return Some(Miss {
                part: "Condition",
                span,
                path,
                found: format!(
                    "{} {} {}",
                    c.op,
                    c.key.value,
                    list(c.values.iter().map(|v| v.value.as_str()))
                ),
                needed: format!(
                    "{} {}",
                    c.key.value,
                    value.and_then(|(_, v)| v.as_deref()).unwrap_or("?")
                ),
            });
        }
    };
    Some(Miss {
        part,
        span: span.unwrap_or(s.span),
        path: format!("{}/{part}", s.path),
        found,
        needed,
    })
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
    for l in loaded.iter_mut() {
        let Some(p) = &l.policy else { continue };
        match l.role {
            PolicyRole::Permissions => {
                audit_role(plan, p, &mut l.sink);
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

fn audit_role(plan: &Plan, p: &Policy, sink: &mut Sink) {
    if plan.rules.is_empty() {
        return;
    }
    let src = &plan.source_bucket;
    let src_arn = bucket_arn(plan, src);
    let src_shown = plan.source_bucket_arn();
    for action in ["s3:GetReplicationConfiguration", "s3:ListBucket"] {
        report_missing(
            sink,
            p,
            &r::SOURCE_BUCKET_ACCESS,
            &s3_request(action, src_arn.clone()),
            &src_shown,
            "S3 cannot read the replication configuration or list versions, so replication does not run (ListBucket is needed for delete markers)",
        );
    }
    let any_kms = plan.any_kms();
    let prefixes = reduce_prefixes(plan.rules.iter().map(|r| r.prefix.as_str()));
    for prefix in &prefixes {
        let res = object_sample(plan, src, prefix);
        let shown = shown_objects(plan, src.text(), prefix);
        let for_repl = s3_request("s3:GetObjectVersionForReplication", res.clone());
        if !allowed(p, &for_repl) {
            let plain = s3_request("s3:GetObjectVersion", res.clone());
            if let Outcome::Allowed(i) = iam::evaluate(p, &plain) {
                let s = &p.statements[i];
                let hit = s
                    .actions
                    .iter()
                    .find(|a| a.value.eq_ignore_ascii_case("s3:GetObjectVersion"));
                let (span, path) = hit
                    .map_or((s.action_span.unwrap_or(s.span), s.path.clone()), |a| {
                        (a.span, a.path.clone())
                    });
                let d = sink.report(
                    &r::GET_OBJECT_VERSION,
                    span,
                    &path,
                    format!(
                        "The role grants s3:GetObjectVersion but not s3:GetObjectVersionForReplication on {shown}: {}",
                        if any_kms {
                            "SSE-KMS (and DSSE-KMS) objects cannot be replicated with it, and these rules replicate SSE-KMS objects"
                        } else {
                            "it replicates unencrypted and SSE-S3 objects only and grants more than replication needs"
                        }
                    ),
                );
                if !any_kms {
                    d.severity = Severity::Warning;
                }
                if let Some(a) = hit {
                    *d = d.clone().with_fix(
                        "Use s3:GetObjectVersionForReplication",
                        vec![(a.span, "\"s3:GetObjectVersionForReplication\"".to_string())],
                    );
                }
            } else {
                report_missing(
                    sink,
                    p,
                    &r::SOURCE_OBJECT_READ,
                    &for_repl,
                    &shown,
                    "S3 cannot read the object versions, so every object fails to replicate",
                );
            }
        }
        report_missing(
            sink,
            p,
            &r::SOURCE_ACL_READ,
            &s3_request("s3:GetObjectVersionAcl", res.clone()),
            &shown,
            "AWS lists it in the minimum replication role; without it S3 cannot read the version's ACL to replicate it",
        );
        report_missing(
            sink,
            p,
            &r::SOURCE_TAGGING_READ,
            &s3_request("s3:GetObjectVersionTagging", res.clone()),
            &shown,
            "objects replicate without their tags",
        );
        if plan.object_lock == Some(true) {
            for action in ["s3:GetObjectRetention", "s3:GetObjectLegalHold"] {
                report_missing(
                    sink,
                    p,
                    &r::OBJECT_LOCK_READ,
                    &s3_request(action, res.clone()),
                    &shown,
                    "the source bucket uses Object Lock; S3 must read retention and legal hold to replicate locked objects",
                );
            }
        }
        if plan.batch {
            report_missing(
                sink,
                p,
                &r::BATCH_INITIATE,
                &s3_request("s3:InitiateReplication", res.clone()),
                &shown,
                "Batch Replication jobs fail for these objects",
            );
        }
    }
    if plan.batch {
        report_missing(
            sink,
            p,
            &r::BATCH_INVENTORY,
            &s3_request("s3:PutInventoryConfiguration", src_arn.clone()),
            &src_shown,
            "a Batch Replication job with an S3-generated manifest cannot create the manifest",
        );
    }

    for rule in &plan.rules {
        let Some(dest) = plan.destinations.get(rule.dest) else {
            continue;
        };
        let bucket = Known::Value(dest.bucket.clone());
        let res = object_sample(plan, &bucket, &rule.prefix);
        let shown = shown_objects(plan, &dest.bucket, &rule.prefix);
        report_missing(
            sink,
            p,
            &r::REPLICATE_OBJECT,
            &s3_request("s3:ReplicateObject", res.clone()),
            &shown,
            &format!(
                "{} cannot write replicas; objects fail with AccessDenied on the destination",
                rule.label
            ),
        );
        if rule.delete_markers {
            report_missing(
                sink,
                p,
                &r::REPLICATE_DELETE,
                &s3_request("s3:ReplicateDelete", res.clone()),
                &shown,
                &format!(
                    "{} replicates delete markers, which fail with DstDelObjNotPermitted",
                    rule.label
                ),
            );
        }
        report_missing(
            sink,
            p,
            &r::REPLICATE_TAGS,
            &s3_request("s3:ReplicateTags", res.clone()),
            &shown,
            "tag changes are not replicated (AWS lists s3:ReplicateTags with ReplicateObject)",
        );
        if rule.owner_override {
            report_missing(
                sink,
                p,
                &r::OWNER_OVERRIDE,
                &s3_request("s3:ObjectOwnerOverrideToBucketOwner", res.clone()),
                &shown,
                &format!("{} sets AccessControlTranslation, so replication of its objects fails without it", rule.label),
            );
        }
    }

    // KMS.
    let kms_rules: Vec<&RulePlan> = plan.rules.iter().filter(|r| r.kms).collect();
    if kms_rules.is_empty() {
        return;
    }
    for key in &plan.source_keys {
        for rule in &kms_rules {
            kms_check(
                sink,
                p,
                KmsCheck {
                    action: "kms:Decrypt",
                    key,
                    region: &plan.source_region,
                    object: object_sample(plan, src, &rule.prefix),
                    bucket: src_arn.clone(),
                    bucket_keys: plan.source_bucket_keys,
                    missing: &r::SOURCE_KEY_DECRYPT,
                    consequence: format!(
                        "{} replicates SSE-KMS objects, which fail because S3 cannot decrypt them",
                        rule.label
                    ),
                    caller: Caller::Identity,
                },
            );
        }
    }
    for rule in &kms_rules {
        let Some(key) = rule.replica_key.and_then(|k| plan.replica_keys.get(k)) else {
            continue;
        };
        let Some(dest) = plan.destinations.get(rule.dest) else {
            continue;
        };
        let bucket = Known::Value(dest.bucket.clone());
        let base = KmsCheck {
            action: "kms:Encrypt",
            key,
            region: &dest.region,
            object: object_sample(plan, &bucket, &rule.prefix),
            bucket: bucket_arn(plan, &bucket),
            bucket_keys: dest.bucket_keys,
            missing: &r::REPLICA_KEY_ENCRYPT,
            consequence: format!("{} cannot encrypt replicas with the replica key; SSE-KMS objects fail (S3 reports a destination KMS failure such as DstKmsKeyNotFound)", rule.label),
            caller: Caller::Identity,
        };
        kms_check(sink, p, base.clone());
        let default_enc = dest.default_encryption.as_deref();
        if !default_enc.is_some_and(|e| e.eq_ignore_ascii_case("SSE-S3")) {
            kms_check(
                sink,
                p,
                KmsCheck {
                    action: "kms:GenerateDataKey",
                    missing: &r::REPLICA_KEY_EXTRA,
                    consequence: "needed when objects stored unencrypted at the source land in a destination whose default encryption is SSE-KMS or DSSE-KMS".to_string(),
                    ..base.clone()
                },
            );
        }
        if dest.bucket_keys == Some(true) {
            kms_check(
                sink,
                p,
                KmsCheck {
                    action: "kms:Decrypt",
                    missing: &r::REPLICA_KEY_EXTRA,
                    consequence:
                        "the destination uses S3 Bucket Keys, and S3 must decrypt the bucket key"
                            .to_string(),
                    ..base
                },
            );
        }
    }
}

#[derive(Clone)]
struct KmsCheck<'p> {
    action: &'static str,
    key: &'p KeyPlan,
    region: &'p Known,
    /// Sample object ARN (None: unknown bucket).
    object: Option<String>,
    bucket: Option<String>,
    bucket_keys: Option<bool>,
    missing: &'static RuleMeta,
    consequence: String,
    caller: Caller,
}

const VIA: &str = "kms:ViaService";
const CTX: &str = "kms:EncryptionContext:aws:s3:arn";

fn kms_request(
    c: &KmsCheck,
    context: Option<String>,
    ignore_via: bool,
    ignore_ctx: bool,
) -> Request {
    let via = if ignore_via {
        None
    } else {
        c.region.value().map(|r| format!("s3.{r}.amazonaws.com"))
    };
    Request {
        action: c.action,
        resource: c.key.arn.value().map(str::to_string),
        context: vec![(VIA, via), (CTX, if ignore_ctx { None } else { context })],
        caller: c.caller.clone(),
    }
}

fn cond_span(s: &Statement, key: &str) -> Option<(Span, String)> {
    let c = s
        .conditions
        .iter()
        .find(|c| c.key.value.eq_ignore_ascii_case(key))?;
    let span = match (c.values.first(), c.values.last()) {
        (Some(a), Some(b)) => a.span.cover(b.span),
        _ => c.key.span,
    };
    Some((span, c.path.clone()))
}

fn kms_check(sink: &mut Sink, p: &Policy, c: KmsCheck) {
    let key_shown = c.key.arn.text().to_string();
    let variants: Vec<(bool, Option<String>)> = match c.bucket_keys {
        Some(true) => vec![(true, c.bucket.clone())],
        Some(false) => vec![(false, c.object.clone())],
        None => vec![(false, c.object.clone()), (true, c.bucket.clone())],
    };
    let results: Vec<(bool, Option<String>, Outcome)> = variants
        .into_iter()
        .map(|(is_bucket, ctx)| {
            let o = iam::evaluate(p, &kms_request(&c, ctx.clone(), false, false));
            (is_bucket, ctx, o)
        })
        .collect();
    let ok: Vec<bool> = results
        .iter()
        .map(|(_, _, o)| matches!(o, Outcome::Allowed(_)))
        .collect();
    if ok.iter().all(|b| *b) {
        return;
    }
    if ok.iter().any(|b| *b) {
        // Bucket Keys unknown and only one form allowed.
        let works_for_bucket = results
            .iter()
            .any(|(b, _, o)| *b && matches!(o, Outcome::Allowed(_)));
        if let Some(Outcome::Allowed(i)) = results
            .iter()
            .map(|(_, _, o)| *o)
            .find(|o| matches!(o, Outcome::Allowed(_)))
        {
            let s = &p.statements[i];
            let (span, path) = cond_span(s, CTX).unwrap_or((s.span, s.path.clone()));
            let d = sink.report(
                &r::KMS_CONTEXT,
                span,
                &path,
                format!(
                    "{} allows {} only for the {} encryption context: replication breaks if the bucket {} S3 Bucket Keys (unknown here)",
                    stmt_name(s),
                    key_shown,
                    if works_for_bucket { "bucket-ARN" } else { "object-ARN" },
                    if works_for_bucket { "does not use" } else { "uses" }
                ),
            );
            d.severity = Severity::Warning;
            *d = d.clone().with_help("List both the object ARN pattern and the bucket ARN in kms:EncryptionContext:aws:s3:arn, or set the bucket's Bucket Keys setting in the deployment context.");
        }
        return;
    }
    let (is_bucket, ctx, first) = results[0].clone();
    if let Outcome::Denied(_) = first {
        let req = kms_request(&c, ctx, false, false);
        report_missing(sink, p, c.missing, &req, &key_shown, &c.consequence);
        return;
    }
    let via_only = iam::evaluate(p, &kms_request(&c, ctx.clone(), true, false));
    let ctx_only = iam::evaluate(p, &kms_request(&c, ctx.clone(), false, true));
    let both = iam::evaluate(p, &kms_request(&c, ctx.clone(), true, true));
    let via_wrong = matches!(via_only, Outcome::Allowed(_))
        || (!matches!(ctx_only, Outcome::Allowed(_)) && matches!(both, Outcome::Allowed(_)));
    let ctx_wrong = matches!(ctx_only, Outcome::Allowed(_))
        || (!matches!(via_only, Outcome::Allowed(_)) && matches!(both, Outcome::Allowed(_)));
    let stmt_of = |o: Outcome| match o {
        Outcome::Allowed(i) => p.statements.get(i),
        _ => None,
    };
    if via_wrong {
        if let Some(s) = stmt_of(via_only).or(stmt_of(both)) {
            let expected = format!("s3.{}.amazonaws.com", c.region.text());
            let (span, path) = cond_span(s, VIA).unwrap_or((s.span, s.path.clone()));
            let d = sink.report(
                &r::KMS_VIA_SERVICE,
                span,
                &path,
                format!(
                    "kms:ViaService in {} does not match {expected}: S3 calls KMS for {} through the S3 endpoint of the key's Region ({}), so this statement never applies",
                    stmt_name(s),
                    key_shown,
                    c.region.text(),
                ),
            );
            *d = d
                .clone()
                .with_help(format!("Use \"kms:ViaService\": \"{expected}\"."));
        }
    }
    if ctx_wrong {
        if let Some(s) = stmt_of(ctx_only).or(stmt_of(both)) {
            let (span, path) = cond_span(s, CTX).unwrap_or((s.span, s.path.clone()));
            let what = if is_bucket {
                format!(
                    "the bucket uses S3 Bucket Keys, so S3 sends the bucket ARN ({}) as the encryption context, not object ARNs",
                    ctx.as_deref().unwrap_or("?")
                )
            } else {
                "S3 sends the object ARN as the encryption context, and this condition does not cover the rule's objects".to_string()
            };
            sink.report(
                &r::KMS_CONTEXT,
                span,
                &path,
                format!("kms:EncryptionContext:aws:s3:arn in {} does not match what S3 sends for {key_shown}: {what}", stmt_name(s)),
            );
        }
    }
    if !via_wrong && !ctx_wrong {
        let req = kms_request(&c, ctx, false, false);
        report_missing(sink, p, c.missing, &req, &key_shown, &c.consequence);
    }
}

fn audit_trust(plan: &Plan, p: &Policy, sink: &mut Sink) {
    let req = |svc: &'static str| Request {
        action: "sts:AssumeRole",
        resource: None,
        context: Vec::new(),
        caller: Caller::Service(svc),
    };
    report_missing(
        sink,
        p,
        &r::TRUST_S3,
        &req(S3_SERVICE),
        "the role",
        "S3 cannot assume the role; every object fails with AssumeRoleNotPermitted",
    );
    if plan.batch {
        report_missing(
            sink,
            p,
            &r::TRUST_BATCH,
            &req(BATCH_SERVICE),
            "the role",
            "S3 Batch Operations cannot assume the role, so Batch Replication jobs fail",
        );
    }
}

fn role_caller(plan: &Plan) -> Caller {
    let arn = plan.role_arn.value();
    // The role is in its ARN's account, whatever the context says the source account is.
    let account = arn
        .and_then(|a| crate::arn::Arn::parse(a).ok())
        .map(|a| a.account.to_string())
        .filter(|a| !a.is_empty())
        .or_else(|| plan.source_account.clone());
    Caller::Role {
        arn: arn.map(str::to_string),
        account,
    }
}

fn audit_bucket_policy(plan: &Plan, p: &Policy, sink: &mut Sink) {
    let cross: Vec<usize> = (0..plan.destinations.len())
        .filter(|&d| plan.destinations[d].cross_account)
        .collect();
    // The destination this policy belongs to: the one it names, else the only cross-account one.
    let target = cross
        .iter()
        .copied()
        .find(|&d| {
            let named = format!(":s3:::{}", plan.destinations[d].bucket);
            p.statements
                .iter()
                .any(|s| s.resources.iter().any(|r| r.value.contains(&named)))
        })
        .or(if cross.len() == 1 {
            cross.first().copied()
        } else {
            None
        });
    let Some(d) = target else { return };
    let dest = &plan.destinations[d];
    let bucket = Known::Value(dest.bucket.clone());
    for rule in plan.rules.iter().filter(|r| r.dest == d) {
        let shown = shown_objects(plan, &dest.bucket, &rule.prefix);
        let mk = |action: &'static str| Request {
            action,
            resource: object_sample(plan, &bucket, &rule.prefix),
            context: Vec::new(),
            caller: role_caller(plan),
        };
        report_missing(
            sink,
            p,
            &r::BUCKET_POLICY_GRANT,
            &mk("s3:ReplicateObject"),
            &shown,
            &format!("`{}` is owned by another account, so its bucket policy must let the replication role write replicas ({})", dest.bucket, rule.label),
        );
        if rule.delete_markers {
            report_missing(
                sink,
                p,
                &r::BUCKET_POLICY_GRANT,
                &mk("s3:ReplicateDelete"),
                &shown,
                &format!(
                    "{} replicates delete markers, which fail with DstDelObjNotPermitted",
                    rule.label
                ),
            );
        }
        if rule.owner_override {
            report_missing(
                sink,
                p,
                &r::BUCKET_POLICY_OWNER_OVERRIDE,
                &mk("s3:ObjectOwnerOverrideToBucketOwner"),
                &shown,
                &format!("{} sets AccessControlTranslation: the destination owner must allow the source account to change replica ownership", rule.label),
            );
        }
    }
}

fn audit_key_policies(plan: &Plan, loaded: &mut [&mut Loaded]) {
    let mut needs: Vec<(&KeyPlan, &'static str, &Known, String)> = Vec::new();
    for key in plan.replica_keys.iter().filter(|k| k.cross_account) {
        needs.push((key, "kms:Encrypt", plan.replica_key_region(key), format!("the replica key belongs to account {}: its key policy must let the replication role encrypt, or replicas cannot be encrypted (e.g. DstKmsKeyNotFound)", key.account.as_deref().unwrap_or("?"))));
    }
    for key in plan.source_keys.iter().filter(|k| k.cross_account) {
        needs.push((key, "kms:Decrypt", &key.region, format!("the source key belongs to account {}: its key policy must let the replication role decrypt", key.account.as_deref().unwrap_or("?"))));
    }
    for (key, action, region, why) in needs {
        let req = Request {
            action,
            resource: key.arn.value().map(str::to_string),
            context: vec![
                (VIA, region.value().map(|r| format!("s3.{r}.amazonaws.com"))),
                (CTX, None),
            ],
            caller: role_caller(plan),
        };
        // A policy said to be another key's does not count for this one.
        let arn = key.arn.value();
        let applies = |l: &Loaded| l.key.is_none() || l.key.as_deref() == arn;
        let any = loaded
            .iter()
            .filter(|l| applies(l))
            .any(|l| l.policy.as_ref().is_some_and(|p| allowed(p, &req)));
        if any {
            continue;
        }
        if let Some(l) = loaded.iter_mut().find(|l| l.policy.is_some() && applies(l)) {
            if let Some(p) = &l.policy {
                let shown = key.arn.text().to_string();
                report_missing(&mut l.sink, p, &r::KEY_POLICY_GRANT, &req, &shown, &why);
            }
        }
    }
}

/// Allow statements broader than replication needs.
fn broad(p: &Policy, sink: &mut Sink, resource_policy: bool) {
    for s in p.statements.iter().filter(|s| s.allow) {
        if s.not_action {
            sink.report(
                &r::BROAD_ACTION,
                s.action_span.unwrap_or(s.span),
                &s.path,
                format!("{} allows every action except the listed ones (NotAction with Allow); grant the replication actions by name", stmt_name(s)),
            );
        }
        if !s.not_action {
            for a in &s.actions {
                let v = a.value.to_ascii_lowercase();
                if v == "*"
                    || v == "*:*"
                    || v == "s3:*"
                    || v == "kms:*"
                    || v == "sts:*"
                    || v == "s3:put*"
                    || v == "s3:get*"
                {
                    sink.report(
                        &r::BROAD_ACTION,
                        a.span,
                        &a.path,
                        format!("`{}` grants far more than replication needs; list the replication actions instead", a.value),
                    );
                }
            }
        }
        let touches_data = s.not_action
            || s.actions.iter().any(|a| {
                a.value == "*"
                    || a.value.to_ascii_lowercase().starts_with("s3:")
                    || a.value.to_ascii_lowercase().starts_with("kms:")
            });
        if !resource_policy && touches_data {
            for res in &s.resources {
                let every_bucket = res
                    .value
                    .strip_prefix("arn:")
                    .and_then(|rest| rest.split_once(":s3:::"))
                    .is_some_and(|(_, b)| b.starts_with('*'));
                if res.value == "*" || every_bucket {
                    sink.report(
                        &r::BROAD_RESOURCE,
                        res.span,
                        &res.path,
                        format!(
                            "`{}` applies {} to every {}; scope it to the source and destination buckets (and key ARNs)",
                            res.value,
                            stmt_name(s),
                            if every_bucket { "bucket" } else { "resource" }
                        ),
                    );
                }
            }
        }
        if resource_policy && s.conditions.is_empty() {
            if let Some(pr) = &s.principal {
                let star = pr.any || pr.entries.iter().any(|(k, v)| k == "AWS" && v.value == "*");
                if star && !s.not_principal {
                    sink.report(
                        &r::BROAD_RESOURCE,
                        s.span,
                        &s.path,
                        format!("{} grants to every principal (`*`) without a condition; name the replication role instead", stmt_name(s)),
                    );
                }
            }
        }
    }
}
