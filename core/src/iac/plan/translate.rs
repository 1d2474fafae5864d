//! A planned resource's values as the API document the provider sends: the
//! `aws_s3_bucket_replication_configuration` resource, and the legacy inline
//! `replication_configuration` of an `aws_s3_bucket`.

use super::{block, get, items, rules_member, text, unknown_block, Plan};
use crate::context::DeploymentContext;
use crate::iac::eval::{self, Value};
use crate::iac::path::Dialect;
use crate::iac::{Extracted, Unknown};
use crate::schema::{self, and, filter, root, rule, Kind, Shape};
use crate::source::Span;
use crate::syntax::{Content, Member, Node};

pub(super) fn resource(
    address: &str,
    file: usize,
    values: &Node<'static>,
    unknown: Option<&Node<'static>>,
) -> Extracted<'static> {
    let mut p = Plan {
        unknowns: Vec::new(),
    };
    let mut members = Vec::new();
    if let Some((v, at)) = p.scalar(
        values,
        unknown,
        tf(&schema::ROOT, root::ROLE),
        &Kind::String,
    ) {
        members.push(eval::member(api(&schema::ROOT, root::ROLE), at, at, v));
    }
    let rule_key = tf(&schema::ROOT, root::RULES);
    let rules_node = get(values, rule_key);
    let rules_span = rules_node.map_or(values.span, |n| n.span);
    let mut tainted = Vec::new();
    unknown_rules(&mut p, &mut tainted, unknown, rule_key, values.span);
    let mut rules = Vec::new();
    for (i, r) in items(rules_node).iter().enumerate() {
        let u = unknown.and_then(|u| items(get(u, rule_key)).get(i));
        // A block of the rule known only after apply: its shape is unknown.
        if u.is_some_and(unknown_block) {
            tainted.push(r.span);
        }
        let mut out = Vec::new();
        if let Some((v, at)) = p.scalar(r, u, tf(&schema::RULE, rule::ID), &Kind::String) {
            if !matches!(&v.content, Content::Text(t) if t.is_empty()) {
                out.push(eval::member(api(&schema::RULE, rule::ID), at, at, v));
            }
        }
        if let Some((v, at)) = p.scalar(r, u, tf(&schema::RULE, rule::STATUS), &Kind::String) {
            out.push(eval::member(api(&schema::RULE, rule::STATUS), at, at, v));
        }
        // The rule's blocks one to one (the filter, whose shape differs, below).
        for (i, f) in schema::RULE.fields.iter().enumerate() {
            let Kind::Struct(shape) = f.kind else {
                continue;
            };
            if i == rule::FILTER || f.tf == schema::ABSENT {
                continue;
            }
            if let Some(b) = block(r, f.tf) {
                let bu = u.and_then(|u| items(get(u, f.tf)).first());
                let v = p.block(b, bu, shape);
                out.push(eval::member(f.json, b.span, b.span, v));
            }
        }
        let filter_key = tf(&schema::RULE, rule::FILTER);
        match block(r, filter_key).or_else(|| {
            get(r, filter_key).filter(|f| matches!(&f.content, Content::Array(a) if !a.is_empty()))
        }) {
            Some(f) => {
                let fu = u.and_then(|u| items(get(u, filter_key)).first());
                let tag = tf(&schema::FILTER, filter::TAG);
                let chosen = if let Some(t) = block(f, tag) {
                    let tu = fu.and_then(|x| items(get(x, tag)).first());
                    let v = p.block(t, tu, &schema::TAG);
                    eval::member(api(&schema::FILTER, filter::TAG), t.span, t.span, v)
                } else if let Some(a) = block(f, tf(&schema::FILTER, filter::AND)) {
                    let mut inner = Vec::new();
                    let prefix = tf(&schema::AND, and::PREFIX);
                    if let Some((v, at)) = p.scalar(a, None, prefix, &Kind::String) {
                        if !matches!(&v.content, Content::Text(t) if t.is_empty()) {
                            inner.push(eval::member(api(&schema::AND, and::PREFIX), at, at, v));
                        }
                    }
                    if let Some(Node {
                        content: Content::Object(tags),
                        span,
                    }) = get(a, tf(&schema::AND, and::TAGS))
                    {
                        let list: Vec<Node<'static>> = tags
                            .iter()
                            .filter(|m| !m.name.starts_with("aws:"))
                            .map(tag_of)
                            .collect();
                        if !list.is_empty() {
                            // A map in Terraform, a list of `Tag`s in the API.
                            inner.push(eval::member(
                                api(&schema::AND, and::TAGS),
                                *span,
                                *span,
                                eval::array(list, *span),
                            ));
                        }
                    }
                    eval::member(
                        api(&schema::FILTER, filter::AND),
                        a.span,
                        a.span,
                        eval::object(inner, a.span),
                    )
                } else {
                    let prefix = tf(&schema::FILTER, filter::PREFIX);
                    let (v, at) = p.scalar(f, fu, prefix, &Kind::String).unwrap_or_else(|| {
                        (
                            eval::scalar(&Value::Str(String::new()), &Kind::String, f.span),
                            f.span,
                        )
                    });
                    eval::member(api(&schema::FILTER, filter::PREFIX), at, at, v)
                };
                out.push(eval::member(
                    api(&schema::RULE, rule::FILTER),
                    f.span,
                    f.span,
                    eval::object(vec![chosen], f.span),
                ));
                let (v, at) = p
                    .scalar(r, u, tf(&schema::RULE, rule::PRIORITY), &Kind::Integer)
                    .unwrap_or_else(|| {
                        (
                            eval::scalar(&Value::Num("0".into()), &Kind::Integer, r.span),
                            r.span,
                        )
                    });
                out.push(eval::member(api(&schema::RULE, rule::PRIORITY), at, at, v));
            }
            None => out.push(p.v1_prefix(r, u)),
        }
        rules.push(eval::object(out, r.span));
    }
    members.push(rules_member(rules, rules_span));
    let mut context = DeploymentContext::default();
    if let Some(b) = get(values, "bucket").and_then(text) {
        context.source_bucket = Some(b);
        context.inferred.push("source_bucket");
    }
    Extracted {
        address: address.to_string(),
        file,
        root: eval::member(
            "ReplicationConfiguration",
            values.span,
            values.span,
            eval::object(members, values.span),
        ),
        dialect: Dialect::Terraform,
        unknowns: p.unknowns,
        tainted,
        context,
        facts: Vec::new(),
        diagnostics: Vec::new(),
        policies: Default::default(),
    }
}

/// Member `at` of `shape` as the plan names it (the schema's Terraform column).
fn tf(shape: &'static Shape, at: usize) -> &'static str {
    shape.fields.get(at).map_or("", |f| f.tf)
}

/// Member `at` of `shape` as the API names it.
fn api(shape: &'static Shape, at: usize) -> &'static str {
    shape.fields.get(at).map_or("", |f| f.json)
}

/// A non-empty text, or an unknown.
fn non_empty(v: Option<(Node<'static>, Span)>) -> Option<(Node<'static>, Span)> {
    v.filter(|(v, _)| !matches!(&v.content, Content::Text(t) if t.is_empty()))
}

/// The legacy inline `replication_configuration` of an `aws_s3_bucket` (AWS provider v3), as
/// its `expandBucketReplicationRules` sends it: rules with an empty status are skipped; a
/// rule with `filter` is V2 (Priority 0 by default, DeleteMarkerReplication always sent,
/// `Disabled` unless set; tags make an `And` with the prefix); `account_id`,
/// `replica_kms_key_id` and `storage_class` only when not empty; `metrics` and
/// `replication_time` with their minutes. A shape of its own, so its names are mapped here
/// rather than read from the schema's Terraform column (see `terraform::legacy_rule`).
pub(super) fn translate_inline(
    address: &str,
    file: usize,
    bucket: &Node<'static>,
    rc: &Node<'static>,
    unknown: Option<&Node<'static>>,
) -> Extracted<'static> {
    let mut p = Plan {
        unknowns: Vec::new(),
    };
    let mut members = Vec::new();
    if let Some((v, at)) = p.scalar(rc, unknown, "role", &Kind::String) {
        members.push(eval::member("Role", at, at, v));
    }
    let rules_node = get(rc, "rules");
    let rules_span = rules_node.map_or(rc.span, |n| n.span);
    let mut tainted = Vec::new();
    unknown_rules(&mut p, &mut tainted, unknown, "rules", rc.span);
    let mut rules = Vec::new();
    for (i, r) in items(rules_node).iter().enumerate() {
        let u = unknown.and_then(|u| items(get(u, "rules")).get(i));
        if u.is_some_and(unknown_block) {
            tainted.push(r.span);
        }
        let Some((status, sat)) =
            non_empty(p.scalar(r, u, "status", &Kind::Enum(schema::STATUS_VALUES)))
        else {
            continue;
        };
        let mut out = Vec::new();
        if let Some((v, at)) = non_empty(p.scalar(r, u, "id", &Kind::String)) {
            out.push(eval::member("ID", at, at, v));
        }
        out.push(eval::member("Status", sat, sat, status));
        // Destination: always sent.
        let d = block(r, "destination");
        let du = u.and_then(|u| items(get(u, "destination")).first());
        let ds = d.map_or(r.span, |d| d.span);
        let mut dest = Vec::new();
        if let Some(d) = d {
            for (tf, api, kind) in [
                ("bucket", "Bucket", Kind::String),
                ("account_id", "Account", Kind::String),
                (
                    "storage_class",
                    "StorageClass",
                    Kind::Enum(schema::STORAGE_CLASS_VALUES),
                ),
            ] {
                if let Some((v, at)) = non_empty(p.scalar(d, du, tf, &kind)) {
                    dest.push(eval::member(api, at, at, v));
                }
            }
            if let Some((v, at)) = non_empty(p.scalar(d, du, "replica_kms_key_id", &Kind::String)) {
                dest.push(eval::member(
                    "EncryptionConfiguration",
                    at,
                    at,
                    eval::object(vec![eval::member("ReplicaKmsKeyID", at, at, v)], at),
                ));
            }
            if let Some(a) = block(d, "access_control_translation") {
                let au = du.and_then(|u| items(get(u, "access_control_translation")).first());
                let v = p.block(a, au, &schema::ACCESS_CONTROL_TRANSLATION);
                dest.push(eval::member("AccessControlTranslation", a.span, a.span, v));
            }
            for (tf, api, inner) in [
                ("replication_time", "ReplicationTime", "Time"),
                ("metrics", "Metrics", "EventThreshold"),
            ] {
                let Some(b) = block(d, tf) else { continue };
                let bu = du.and_then(|u| items(get(u, tf)).first());
                let mut m = Vec::new();
                if let Some((v, at)) =
                    non_empty(p.scalar(b, bu, "status", &Kind::Enum(schema::STATUS_VALUES)))
                {
                    m.push(eval::member("Status", at, at, v));
                }
                if let Some((v, at)) = p.scalar(b, bu, "minutes", &Kind::Integer) {
                    m.push(eval::member(
                        inner,
                        at,
                        at,
                        eval::object(vec![eval::member("Minutes", at, at, v)], at),
                    ));
                }
                dest.push(eval::member(api, b.span, b.span, eval::object(m, b.span)));
            }
        }
        out.push(eval::member("Destination", ds, ds, eval::object(dest, ds)));
        if let Some(ssc) = block(r, "source_selection_criteria") {
            let mut inner = Vec::new();
            if let Some(k) = block(ssc, "sse_kms_encrypted_objects") {
                let ku = u
                    .and_then(|u| items(get(u, "source_selection_criteria")).first())
                    .and_then(|u| items(get(u, "sse_kms_encrypted_objects")).first());
                let status = match p.scalar(k, ku, "enabled", &Kind::String) {
                    Some((v, at)) => match &v.content {
                        Content::Text(t) if t == "true" => {
                            eval::scalar(&Value::Str("Enabled".into()), &Kind::String, at)
                        }
                        Content::Text(t) if t == "false" => {
                            eval::scalar(&Value::Str("Disabled".into()), &Kind::String, at)
                        }
                        _ => v,
                    },
                    None => eval::scalar(&Value::Str("Disabled".into()), &Kind::String, k.span),
                };
                let at = status.span;
                inner.push(eval::member(
                    "SseKmsEncryptedObjects",
                    k.span,
                    k.span,
                    eval::object(vec![eval::member("Status", at, at, status)], k.span),
                ));
            }
            out.push(eval::member(
                "SourceSelectionCriteria",
                ssc.span,
                ssc.span,
                eval::object(inner, ssc.span),
            ));
        }
        match get(r, "filter").filter(|f| matches!(&f.content, Content::Array(a) if !a.is_empty()))
        {
            Some(fl) => {
                let f = block(r, "filter").unwrap_or(fl);
                let fu = u.and_then(|u| items(get(u, "filter")).first());
                let (prefix, pat) = p.scalar(f, fu, "prefix", &Kind::String).unwrap_or_else(|| {
                    (
                        eval::scalar(&Value::Str(String::new()), &Kind::String, f.span),
                        f.span,
                    )
                });
                let tags: Vec<Node<'static>> = match get(f, "tags").map(|t| &t.content) {
                    Some(Content::Object(tags)) => tags.iter().map(tag_of).collect(),
                    _ => Vec::new(),
                };
                let chosen = if tags.is_empty() {
                    eval::member("Prefix", pat, pat, prefix)
                } else {
                    let ts = get(f, "tags").map_or(f.span, |t| t.span);
                    eval::member(
                        "And",
                        f.span,
                        f.span,
                        eval::object(
                            vec![
                                eval::member("Prefix", pat, pat, prefix),
                                eval::member("Tags", ts, ts, eval::array(tags, ts)),
                            ],
                            f.span,
                        ),
                    )
                };
                out.push(eval::member(
                    "Filter",
                    f.span,
                    f.span,
                    eval::object(vec![chosen], f.span),
                ));
                let (v, at) = p
                    .scalar(r, u, "priority", &Kind::Integer)
                    .unwrap_or_else(|| {
                        (
                            eval::scalar(&Value::Num("0".into()), &Kind::Integer, r.span),
                            r.span,
                        )
                    });
                out.push(eval::member("Priority", at, at, v));
                let (v, at) = non_empty(p.scalar(
                    r,
                    u,
                    "delete_marker_replication_status",
                    &Kind::Enum(schema::STATUS_VALUES),
                ))
                .unwrap_or_else(|| {
                    (
                        eval::scalar(&Value::Str("Disabled".into()), &Kind::String, r.span),
                        r.span,
                    )
                });
                out.push(eval::member(
                    "DeleteMarkerReplication",
                    at,
                    at,
                    eval::object(vec![eval::member("Status", at, at, v)], at),
                ));
            }
            None => out.push(p.v1_prefix(r, u)),
        }
        rules.push(eval::object(out, r.span));
    }
    members.push(rules_member(rules, rules_span));
    let mut context = DeploymentContext::default();
    if let Some(b) = get(bucket, "bucket").and_then(text) {
        context.source_bucket = Some(b);
        context.inferred.push("source_bucket");
    }
    // Versioning on in the bucket's own values. Off there is not taken as a fact: the
    // provider refreshes it from S3, and a separate `aws_s3_bucket_versioning` of the same
    // plan may be about to turn it on.
    if let Some(v) = block(bucket, "versioning").and_then(|v| get(v, "enabled")) {
        if let Content::Bool(true) = v.content {
            context.source_versioning = Some("Enabled".to_string());
            context.inferred.push("source_versioning");
        }
    }
    Extracted {
        address: address.to_string(),
        file,
        root: eval::member(
            "ReplicationConfiguration",
            rc.span,
            rc.span,
            eval::object(members, rc.span),
        ),
        dialect: Dialect::Terraform,
        unknowns: p.unknowns,
        tainted,
        context,
        facts: Vec::new(),
        diagnostics: Vec::new(),
        policies: Default::default(),
    }
}

/// The rules themselves known only after apply (a `dynamic "rule"` over unknown values):
/// nothing about them can be verified.
fn unknown_rules(
    p: &mut Plan,
    tainted: &mut Vec<Span>,
    unknown: Option<&Node<'static>>,
    name: &str,
    at: Span,
) {
    let marked = unknown
        .and_then(|u| get(u, name))
        .is_some_and(|n| matches!(n.content, Content::Bool(true)));
    if marked {
        tainted.push(at);
        p.unknowns.push(Unknown {
            span: at,
            expression: format!("(known after apply: {name})"),
            keep: eval::Keep::NONE,
        });
    }
}

/// One entry of a Terraform `tags` map as the API's `Tag` (`{ Key, Value }`), each placed
/// where the plan writes it.
fn tag_of(m: &Member<'static>) -> Node<'static> {
    let string = |v: String, at: Span| eval::scalar(&Value::Str(v), &Kind::String, at);
    let value = text(&m.value).unwrap_or_default();
    eval::object(
        vec![
            eval::member(
                "Key",
                m.name_span,
                m.name_span,
                string(m.name.to_string(), m.name_span),
            ),
            eval::member(
                "Value",
                m.value.span,
                m.value.span,
                string(value, m.value.span),
            ),
        ],
        m.span,
    )
}
