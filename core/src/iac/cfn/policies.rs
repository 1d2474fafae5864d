//! The policies a template has for one configuration: its role's `AssumeRolePolicyDocument`,
//! `Policies` and managed policies, every `AWS::IAM::Policy`/`ManagedPolicy`/`RolePolicy`
//! attached to that role (as `cdk synth` writes them), the `KeyPolicy` of the KMS keys it uses
//! and the `AWS::S3::BucketPolicy` of its destination buckets. Each is translated to IAM's JSON
//! shape with intrinsics evaluated where the template fixes them.

use super::{get, text_of, Eval, Template};
use crate::iac::eval::{self, Value};
use crate::iac::policies::{External, FoundPolicies, FoundPolicy, Syntax};
use crate::iac::Unknown;
use crate::policy::PolicyRole;
use crate::syntax::{Content, Member, Node};
use std::borrow::Cow;

/// Policy documents nested deeper than this are cut (hostile input).
const MAX_DEPTH: usize = 64;

/// The stack's partition when the context does not give it: the policies and the
/// configuration are in the same partition whatever it is, so the audit compares them in this
/// one (a finding can then be missed in another partition, never made up).
pub(super) const PARTITION_STAND_IN: &str = "aws";

const ROLE: &[&str] = &["AWS::IAM::Role"];
const KEYS: &[&str] = &["AWS::KMS::Key", "AWS::KMS::ReplicaKey"];
const BUCKETS: &[&str] = &["AWS::S3::Bucket"];

pub(super) fn find(
    t: &Template<'_>,
    resources: &[Member<'static>],
    file: usize,
    source: &Member<'static>,
    rc: &Member<'static>,
) -> FoundPolicies {
    t.stand_ins.set(true);
    let type_of = |id: &str| t.resources.get(id).map_or("", |(ty, _)| ty.as_str());
    let of_type = |ids: Vec<String>, types: &[&str]| -> Vec<String> {
        let mut out: Vec<String> = ids
            .into_iter()
            .filter(|id| types.contains(&type_of(id)))
            .collect();
        out.dedup();
        out
    };
    let roles = of_type(
        get(&rc.value, "Role").map_or_else(Vec::new, |m| referenced(&m.value)),
        ROLE,
    );
    let mut key_refs = referenced(&rc.value);
    if let Some(enc) = props(source).and_then(|p| get(p, "BucketEncryption")) {
        key_refs.extend(referenced(&enc.value));
    }
    let keys = of_type(key_refs, KEYS);
    let mut buckets = of_type(referenced(&rc.value), BUCKETS);
    buckets.retain(|b| *b != source.name);

    let mut f = Finder {
        t,
        file,
        found: FoundPolicies::default(),
        taken: Vec::new(),
    };
    // Roles first: a managed policy they list is theirs even if it names no role itself.
    for res in resources
        .iter()
        .filter(|r| roles.contains(&r.name.to_string()))
    {
        let Some(p) = props(res) else { continue };
        let at = format!("Resources.{}.Properties", res.name);
        if let Some(m) = get(p, "AssumeRolePolicyDocument") {
            f.add(
                PolicyRole::Trust,
                format!("{at}.AssumeRolePolicyDocument"),
                &m.value,
            );
        }
        if let Some(Content::Array(items)) = get(p, "Policies").map(|m| &m.value.content) {
            for (i, item) in items.iter().enumerate() {
                if let Some(m) = get(item, "PolicyDocument") {
                    let address = format!("{at}.Policies[{i}].PolicyDocument");
                    f.add(PolicyRole::Permissions, address, &m.value);
                }
            }
        }
        if let Some(Content::Array(items)) = get(p, "ManagedPolicyArns").map(|m| &m.value.content) {
            for (i, item) in items.iter().enumerate() {
                let address = format!("{at}.ManagedPolicyArns[{i}]");
                f.managed(item, address, resources);
            }
        }
    }
    for res in resources {
        let (ty, Some(p)) = (type_of(&res.name), props(res)) else {
            continue;
        };
        let at = format!("Resources.{}.Properties", res.name);
        let names = |field: &str| get(p, field).map_or_else(Vec::new, |m| referenced(&m.value));
        match ty {
            "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" | "AWS::IAM::RolePolicy" => {
                let mut attached = names("Roles");
                attached.extend(names("RoleName"));
                if attached.iter().any(|r| roles.contains(r)) && !f.taken(&res.name) {
                    if let Some(m) = get(p, "PolicyDocument") {
                        f.add(
                            PolicyRole::Permissions,
                            format!("{at}.PolicyDocument"),
                            &m.value,
                        );
                    }
                }
            }
            _ if KEYS.contains(&ty) && keys.contains(&res.name.to_string()) => {
                if let Some(m) = get(p, "KeyPolicy") {
                    f.add(PolicyRole::KeyPolicy, format!("{at}.KeyPolicy"), &m.value);
                }
            }
            "AWS::S3::BucketPolicy" if names("Bucket").iter().any(|b| buckets.contains(b)) => {
                if let Some(m) = get(p, "PolicyDocument") {
                    f.add(
                        PolicyRole::BucketPolicy,
                        format!("{at}.PolicyDocument"),
                        &m.value,
                    );
                }
            }
            _ => {}
        }
    }
    if !t.pseudo.contains_key("AWS::Partition") {
        f.found.partition_stand_in = Some(PARTITION_STAND_IN.to_string());
    }
    f.found.shown.extend(t.parameter_stand_ins());
    // The keys' ARNs as the configuration and the policies read them: the source bucket's
    // own key is the source key the audit checks decrypting with.
    let source_keys = props(source)
        .and_then(|p| get(p, "BucketEncryption"))
        .map_or_else(Vec::new, |e| referenced(&e.value));
    for k in &keys {
        if let Some(text) = t.key_arn(k) {
            if source_keys.contains(k) && !f.found.source_keys.contains(&text) {
                f.found.source_keys.push(text.clone());
            }
            f.found.shown.push((text, format!("{k}.Arn")));
        }
    }
    // Every bucket of the template named at deployment (no `BucketName`, or one the template
    // does not fix) is shown as the template names it.
    let mut all_buckets: Vec<&String> = t
        .resources
        .iter()
        .filter(|(_, (ty, _))| ty == "AWS::S3::Bucket")
        .map(|(id, _)| id)
        .collect();
    all_buckets.sort();
    for b in all_buckets {
        let unnamed = t
            .resources
            .get(b.as_str())
            .is_some_and(|(_, p)| t.bucket_name(*p, 0).is_none());
        if unnamed {
            f.found
                .shown
                .push((eval::generated_bucket_name(b), format!("${{{b}}}")));
        }
    }
    // Named by a parameter without default: the policies naming it through the same
    // parameter name this bucket. Named at deployment otherwise (no `BucketName`, or one the
    // template does not fix): its stand-in, as its `Fn::GetAtt` reads.
    // A `BucketName` that is another bucket's (`!Ref Other`): that bucket's.
    let name = t.bucket_name(props(source), 0);
    if let Some(stand_in) = name
        .clone()
        .filter(|n| n.contains(eval::PARAMETER_STAND_IN) || n.starts_with(eval::GENERATED_BUCKET))
    {
        f.found.source_stand_in = Some(stand_in);
    } else if name.is_none() {
        let stand_in = eval::generated_bucket_name(&source.name);
        f.found
            .shown
            .push((stand_in.clone(), format!("${{{}}}", source.name)));
        f.found.source_stand_in = Some(stand_in);
    }
    bind(
        t,
        resources,
        source,
        rc,
        &f.found.source_stand_in.clone(),
        &mut f.found,
    );
    // Longest first: `generated-ledger` must not rewrite part of `generated-ledgercopy`.
    f.found
        .shown
        .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
    t.stand_ins.set(false);
    f.found
}

/// How the generated policies write the template's own resources, and the intrinsics that
/// name them: bucket ARNs, values the deployed document writes as `${expression}` (a role or
/// key `Fn::GetAtt`), and the placeholders the stack fills (partition, Region, a generated
/// source bucket name, a single source key).
fn bind(
    t: &Template<'_>,
    resources: &[Member<'static>],
    source: &Member<'static>,
    rc: &Member<'static>,
    generated_source: &Option<String>,
    found: &mut FoundPolicies,
) {
    let partition = t.pseudo.get("AWS::Partition").cloned();
    let bucket = |id: &str, found: &mut FoundPolicies| {
        let name = resources
            .iter()
            .find(|r| r.name == id)
            .and_then(props)
            .and_then(|p| get(p, "BucketName"))
            .and_then(|n| t.string(&n.value, 0));
        if let Some(name) = name {
            let p = partition
                .clone()
                .unwrap_or_else(|| PARTITION_STAND_IN.into());
            found.bind_cloudformation(format!("arn:{p}:s3:::{name}"), id, Some("Arn"));
            found.bind_cloudformation(format!("arn:${{PARTITION}}:s3:::{name}"), id, Some("Arn"));
        }
    };
    bucket(&source.name, found);
    if generated_source.is_some() {
        found.bind_cloudformation("${SOURCE_BUCKET}".into(), &source.name, None);
    }
    let mut written = Vec::new();
    intrinsics(&rc.value, &mut written, 0);
    for (node, id, attr) in written {
        let ty = t.resources.get(&id).map_or("", |(ty, _)| ty.as_str());
        if BUCKETS.contains(&ty) {
            bucket(&id, found);
        }
        if BUCKETS.contains(&ty) || ROLE.contains(&ty) || KEYS.contains(&ty) {
            found.bind_cloudformation(
                format!("${{{}}}", t.source(node.span)),
                &id,
                attr.as_deref(),
            );
        }
        if ROLE.contains(&ty) && attr.as_deref() == Some("Arn") {
            found.bind_cloudformation("${ROLE_ARN}".into(), &id, Some("Arn"));
            if let Eval::Scalar(Value::Partial { text, .. }) = t.eval(node, 0) {
                found.shown.push((text, t.source(node.span)));
            }
        }
    }
    let source_keys: Vec<String> = props(source)
        .and_then(|p| get(p, "BucketEncryption"))
        .map(|e| referenced(&e.value))
        .unwrap_or_default()
        .into_iter()
        .filter(|id| KEYS.contains(&t.resources.get(id).map_or("", |(ty, _)| ty.as_str())))
        .collect();
    if let [k] = source_keys.as_slice() {
        found.bind_cloudformation("${SOURCE_KMS_KEY_ARN}".into(), k, Some("Arn"));
    }
    if partition.is_none() {
        found.bind_cloudformation("${PARTITION}".into(), "AWS::Partition", None);
    }
    if !t.pseudo.contains_key("AWS::Region") {
        found.bind_cloudformation("${SOURCE_REGION}".into(), "AWS::Region", None);
    }
}

/// `Ref`/`Fn::GetAtt` nodes of a subtree: (node, logical ID, attribute).
fn intrinsics<'n>(
    node: &'n Node<'static>,
    out: &mut Vec<(&'n Node<'static>, String, Option<String>)>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    match &node.content {
        Content::Object(ms)
            if ms.len() == 1 && (ms[0].name == "Ref" || ms[0].name == "Fn::GetAtt") =>
        {
            let m = &ms[0];
            let parts = match &m.value.content {
                Content::Text(s) if m.name == "Ref" => Some((s.to_string(), None)),
                Content::Text(s) => s
                    .split_once('.')
                    .map(|(a, b)| (a.to_string(), Some(b.to_string()))),
                Content::Array(items) if items.len() == 2 => text_of(&items[0])
                    .zip(text_of(&items[1]))
                    .map(|(a, b)| (a, Some(b))),
                _ => None,
            };
            if let Some((id, attr)) = parts {
                out.push((node, id, attr));
            }
        }
        Content::Object(ms) => ms.iter().for_each(|m| intrinsics(&m.value, out, depth + 1)),
        Content::Array(items) => items.iter().for_each(|i| intrinsics(i, out, depth + 1)),
        _ => {}
    }
}

fn props<'n>(m: &'n Member<'static>) -> Option<&'n Node<'static>> {
    get(&m.value, "Properties").map(|p| &p.value)
}

struct Finder<'a, 't> {
    t: &'a Template<'t>,
    file: usize,
    found: FoundPolicies,
    /// Policy resources already read (listed by the role and naming it too).
    taken: Vec<String>,
}

impl Finder<'_, '_> {
    fn taken(&self, id: &str) -> bool {
        self.taken.iter().any(|t| t == id)
    }

    fn add(&mut self, role: PolicyRole, address: String, node: &Node<'static>) {
        let mut unknowns = Vec::new();
        let root = resolve(self.t, node, &mut unknowns, 0).unwrap_or(Node {
            content: Content::Null,
            span: node.span,
        });
        let json = self
            .t
            .text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('{');
        self.found.policies.push(FoundPolicy {
            role,
            file: self.file,
            address,
            root,
            unknowns,
            syntax: if json {
                Syntax::CfnJson
            } else {
                Syntax::CfnYaml
            },
        });
    }

    /// One entry of a role's `ManagedPolicyArns`: a managed policy of this template, or one
    /// these files do not hold (AWS managed, another stack's).
    fn managed(&mut self, item: &Node<'static>, address: String, resources: &[Member<'static>]) {
        let local = referenced(item).into_iter().find(|id| {
            self.t
                .resources
                .get(id)
                .is_some_and(|(ty, _)| ty == "AWS::IAM::ManagedPolicy")
        });
        let doc = local.as_ref().and_then(|id| {
            let res = resources.iter().find(|r| r.name == id.as_str())?;
            let p = get(&res.value, "Properties")?;
            Some((
                format!("Resources.{id}.Properties.PolicyDocument"),
                &get(&p.value, "PolicyDocument")?.value,
            ))
        });
        match (local, doc) {
            (Some(id), Some((at, node))) => {
                if !self.taken(&id) {
                    self.taken.push(id);
                    self.add(PolicyRole::Permissions, at, node);
                }
            }
            _ => {
                let shown = match self.t.eval(item, 0) {
                    Eval::Scalar(v) => v.as_text().unwrap_or_else(|| self.t.source(item.span)),
                    _ => self.t.source(item.span),
                };
                self.found.external.push(External {
                    role: PolicyRole::Permissions,
                    address,
                    file: self.file,
                    span: item.span,
                    what: format!("the managed policy `{shown}`"),
                });
            }
        }
    }
}

/// Logical IDs a value refers to (`Ref`, `Fn::GetAtt`, `${Id}`/`${Id.Attr}` in `Fn::Sub`).
fn referenced(node: &Node<'_>) -> Vec<String> {
    let mut out = Vec::new();
    collect(node, &mut out, 0);
    out
}

fn collect(node: &Node<'_>, out: &mut Vec<String>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match &node.content {
        Content::Object(ms) => {
            for m in ms {
                match (m.name.as_ref(), &m.value.content) {
                    ("Ref", Content::Text(id)) => out.push(id.to_string()),
                    ("Fn::GetAtt", Content::Text(s)) => {
                        out.push(s.split('.').next().unwrap_or("").to_string());
                    }
                    ("Fn::GetAtt", Content::Array(items)) => {
                        out.extend(items.first().and_then(text_of));
                    }
                    ("Fn::Sub", _) => {
                        let template = match &m.value.content {
                            Content::Array(items) => items.first().and_then(text_of),
                            _ => text_of(&m.value),
                        };
                        for part in template.unwrap_or_default().split("${").skip(1) {
                            let name = part.split('}').next().unwrap_or("");
                            if !name.starts_with('!') {
                                out.push(name.split('.').next().unwrap_or("").to_string());
                            }
                        }
                    }
                    _ => {}
                }
                collect(&m.value, out, depth + 1);
            }
        }
        Content::Array(items) => items.iter().for_each(|i| collect(i, out, depth + 1)),
        _ => {}
    }
}

/// A policy document with its intrinsics evaluated; what the template does not fix stays
/// as its source text, recorded in `unknowns`. `None` for `AWS::NoValue`.
fn resolve(
    t: &Template<'_>,
    node: &Node<'static>,
    unknowns: &mut Vec<Unknown>,
    depth: usize,
) -> Option<Node<'static>> {
    let text = |s: String| Node {
        content: Content::Text(Cow::Owned(s)),
        span: node.span,
    };
    if depth > MAX_DEPTH {
        return Some(text(unknown(t, node, unknowns)));
    }
    if let Some((_, a, b)) = t.undecided_if(node) {
        // A statement (or value) chosen at deployment: read the branch that makes one, as the
        // configuration under the same condition is read; what rests on it is not verified.
        unknowns.push(Unknown {
            span: node.span,
            expression: t.source(node.span),
            keep: eval::Keep::NONE,
        });
        let no_value = |n: &Node<'static>| matches!(t.eval(n, 0), Eval::NoValue);
        let pick = if no_value(a) { b } else { a };
        if no_value(pick) {
            return None;
        }
        return resolve(t, pick, unknowns, depth + 1);
    }
    if Template::intrinsic(node).is_some() {
        return match t.eval(node, 0) {
            Eval::NoValue => None,
            Eval::Scalar(v) => Some(text(scalar(t, &v, node, unknowns))),
            Eval::List(values) => Some(Node {
                content: Content::Array(
                    values
                        .iter()
                        .map(|v| text(scalar(t, v, node, unknowns)))
                        .collect(),
                ),
                span: node.span,
            }),
            Eval::Node(n) if Template::intrinsic(n).is_none() => resolve(t, n, unknowns, depth + 1),
            Eval::Node(_) => Some(text(unknown(t, node, unknowns))),
        };
    }
    let content = match &node.content {
        Content::Object(ms) => Content::Object(
            ms.iter()
                .filter_map(|m| {
                    Some(eval::member(
                        &m.name,
                        m.name_span,
                        m.span,
                        resolve(t, &m.value, unknowns, depth + 1)?,
                    ))
                })
                .collect(),
        ),
        Content::Array(items) => Content::Array(
            items
                .iter()
                .filter_map(|i| resolve(t, i, unknowns, depth + 1))
                .collect(),
        ),
        _ => return Some(eval::own(node.clone())),
    };
    Some(Node {
        content,
        span: node.span,
    })
}

fn scalar(
    t: &Template<'_>,
    v: &Value,
    node: &Node<'static>,
    unknowns: &mut Vec<Unknown>,
) -> String {
    match t.text_value(v) {
        Some(s) => {
            // A parameter without default: read as the same value the configuration names
            // through it, and as anything at all when the audit asks what it could grant.
            if s.contains(eval::PARAMETER_STAND_IN) {
                unknowns.push(Unknown {
                    span: node.span,
                    expression: t.source(node.span),
                    keep: eval::Keep::NONE,
                });
            }
            s
        }
        None => unknown(t, node, unknowns),
    }
}

fn unknown(t: &Template<'_>, node: &Node<'static>, unknowns: &mut Vec<Unknown>) -> String {
    let expression = t.source(node.span);
    unknowns.push(Unknown {
        span: node.span,
        expression: expression.clone(),
        keep: eval::Keep::NONE,
    });
    expression
}
