//! The legacy inline `replication_configuration` block of `aws_s3_bucket`, translated as
//! `expandBucketReplicationRules` sends it.
use super::{
    attr, builder, destination_facts, finish, is_empty_text, policies, source_facts, span, At,
    Builder, Module,
};
use crate::catalogue::parse as codes;
use crate::diagnostic::Diagnostic;
use crate::iac::eval::{self, Value};
use crate::iac::hcl::{span_of, Scope, TfVal};
use crate::iac::{Extracted, Unknown};
use crate::schema::{self, Kind};
use crate::source::Span;
use crate::syntax::{Member, Node};
use hcl_edit::structure::{Block, Structure};
use hcl_edit::Span as _;

/// The legacy `aws_s3_bucket { replication_configuration { ... } }` block (`dynamic`: the
/// `dynamic "replication_configuration"` block whose content `rc` is).
pub(super) fn inline<'m>(
    module: &Module<'m>,
    name: &str,
    r: At<'m, Block>,
    rc: &Block,
    dynamic: Option<&Block>,
    key: Option<&super::InstanceKey>,
) -> Extracted<'static> {
    let address = format!(
        "{}aws_s3_bucket.{name}{}",
        module.prefix,
        key.map_or(String::new(), |k| k.address())
    );
    let mut b = builder(
        module,
        r.file,
        format!("{address}.replication_configuration"),
    );
    if let Some(d) = dynamic {
        b.unsupported(
            span(d.span()),
            "`dynamic \"replication_configuration\"` is not expanded: its content is checked once, with the iterator's values unknown, and every finding in it is only \"not verified\" (check the plan for what it makes)".into(),
        );
    }
    let rs = span(rc.span());
    let mut members = Vec::new();
    let mut rules = Vec::new();
    let mut rules_span: Option<Span> = None;
    for st in rc.body.iter() {
        match st {
            Structure::Attribute(a) if a.key.as_str() == "role" => {
                if let Some(v) = b.scalar(&a.value, &Kind::String) {
                    members.push(eval::member("Role", span(a.key.span()), span(a.span()), v));
                }
            }
            Structure::Block(rb) if rb.ident.as_str() == "rules" => {
                let len = b.path.len();
                b.path.push_str(&format!(".rules[{}]", rules.len()));
                if let Some(rule) = legacy_rule(&mut b, rb) {
                    rules.push(rule);
                }
                b.path.truncate(len);
                let s = span(rb.span());
                rules_span = Some(rules_span.map_or(s, |x| x.cover(s)));
            }
            Structure::Block(d) if d.ident.as_str() == "dynamic" => match b.blocks(d) {
                Some(blocks) if blocks.label == "rules" => {
                    for (content, binding) in &blocks.each {
                        let len = b.path.len();
                        b.path.push_str(&format!(".rules[{}]", rules.len()));
                        if let Some(rule) = b.bound(binding, |b| legacy_rule(b, content)) {
                            rules.push(rule);
                        }
                        b.path.truncate(len);
                    }
                    let s = span(d.span());
                    rules_span = Some(rules_span.map_or(s, |x| x.cover(s)));
                    if !blocks.sure {
                        b.tainted.push(rs);
                    }
                }
                Some(other) => {
                    b.unknown_name(other.label, span(d.ident.span()), &schema::ROOT, &["rules"])
                }
                None => b.tainted.push(rs),
            },
            Structure::Attribute(a) => b.unknown_name(
                a.key.as_str(),
                span(a.key.span()),
                &schema::ROOT,
                &["rules"],
            ),
            Structure::Block(x) => b.unknown_name(
                x.ident.as_str(),
                span(x.ident.span()),
                &schema::ROOT,
                &["rules"],
            ),
        }
    }
    let rules_span = rules_span.unwrap_or(span(rc.ident.span()));
    members.push(eval::member(
        "Rules",
        rules_span,
        rules_span,
        eval::array(rules, rules_span),
    ));
    source_facts(&mut b, name, r);
    let root = eval::member(
        "ReplicationConfiguration",
        span(rc.ident.span()),
        rs,
        eval::object(members, rs),
    );
    destination_facts(&mut b, &root);
    let found = policies::find(
        module,
        At {
            file: r.file,
            item: rc,
        },
        Some(name),
    );
    finish(b, address, r.file, root, found)
}

/// One legacy `rules` block, as `expandBucketReplicationRules` sends it. Its names are not
/// the schema's Terraform column: the inline block is a shape of its own (`account_id` and
/// `replica_kms_key_id` flat in `destination`, `enabled` booleans, `filter.tags` for `And`,
/// `delete_marker_replication_status`), so it is mapped here, beside the expander it mirrors.
fn legacy_rule(b: &mut Builder<'_, '_>, rb: &Block) -> Option<Node<'static>> {
    let at = span(rb.ident.span());
    let mut out: Vec<Member<'static>> = Vec::new();
    let get = |n: &str| rb.body.get_attribute(n);
    // Rules with an empty status are skipped by the provider.
    let status = get("status")?;
    let sv = b.scalar(&status.value, &Kind::Enum(schema::STATUS_VALUES))?;
    if matches!(&sv.content, crate::syntax::Content::Text(t) if t.is_empty()) {
        return None;
    }
    if let Some(a) = get("id") {
        if let Some(v) = b
            .scalar(&a.value, &Kind::String)
            .filter(|v| !matches!(&v.content, crate::syntax::Content::Text(t) if t.is_empty()))
        {
            out.push(eval::member("ID", span(a.key.span()), span(a.span()), v));
        }
    }
    out.push(eval::member(
        "Status",
        span(status.key.span()),
        span(status.span()),
        sv,
    ));
    let blocks = |n: &str| {
        rb.body
            .blocks()
            .filter(|x| x.ident.as_str() == n)
            .collect::<Vec<_>>()
    };
    // Destination: always sent.
    let mut dest = Vec::new();
    let dblock = blocks("destination").into_iter().next();
    if let Some(d) = dblock {
        for a in d.body.attributes() {
            let (api, kind) = match a.key.as_str() {
                "bucket" => ("Bucket", Kind::String),
                "storage_class" => ("StorageClass", Kind::Enum(schema::STORAGE_CLASS_VALUES)),
                "account_id" => ("Account", Kind::String),
                "replica_kms_key_id" => ("ReplicaKmsKeyID", Kind::String),
                other => {
                    b.unknown_name(
                        other,
                        span(a.key.span()),
                        &schema::DESTINATION,
                        &["account_id", "replica_kms_key_id"],
                    );
                    continue;
                }
            };
            // `account_id`, `storage_class` and `replica_kms_key_id` are sent only when
            // not empty.
            let mut v = b
                .scalar(&a.value, &kind)
                .map(|v| b.unless_root_default_empty(&a.value, v, &kind));
            if api == "Bucket" {
                v = v.map(|v| b.bucket_stand_in(&a.value, v, &kind));
            }
            let Some(v) = v.filter(|v| !is_empty_text(v)) else {
                continue;
            };
            let m = eval::member(api, span(a.key.span()), span(a.span()), v);
            if api == "ReplicaKmsKeyID" {
                dest.push(eval::member(
                    "EncryptionConfiguration",
                    m.name_span,
                    m.span,
                    eval::object(vec![m], span(a.span())),
                ));
            } else {
                dest.push(m);
            }
        }
        for x in d.body.blocks() {
            let xs = span(x.span());
            match x.ident.as_str() {
                "access_control_translation" => {
                    let v = b.block(x, &schema::ACCESS_CONTROL_TRANSLATION);
                    dest.push(eval::member(
                        "AccessControlTranslation",
                        span(x.ident.span()),
                        xs,
                        v,
                    ));
                }
                which @ ("replication_time" | "metrics") => {
                    // Schema defaults: status "Enabled", minutes 15.
                    let status = attr(x, "status")
                        .and_then(|e| b.scalar(e, &Kind::Enum(schema::STATUS_VALUES)))
                        .unwrap_or_else(|| {
                            eval::scalar(&Value::Str("Enabled".into()), &Kind::String, xs)
                        });
                    let minutes = attr(x, "minutes")
                        .and_then(|e| b.scalar(e, &Kind::Integer))
                        .unwrap_or_else(|| {
                            eval::scalar(&Value::Num("15".into()), &Kind::Integer, xs)
                        });
                    let (api, inner) = if which == "metrics" {
                        ("Metrics", "EventThreshold")
                    } else {
                        ("ReplicationTime", "Time")
                    };
                    let ms = minutes.span;
                    dest.push(eval::member(
                        api,
                        span(x.ident.span()),
                        xs,
                        eval::object(
                            vec![
                                eval::member("Status", xs, xs, status),
                                eval::member(
                                    inner,
                                    ms,
                                    ms,
                                    eval::object(
                                        vec![eval::member("Minutes", ms, ms, minutes)],
                                        ms,
                                    ),
                                ),
                            ],
                            xs,
                        ),
                    ));
                }
                other => b.unknown_name(other, span(x.ident.span()), &schema::DESTINATION, &[]),
            }
        }
    }
    let ds = dblock.map_or(at, |d| span(d.span()));
    out.push(eval::member(
        "Destination",
        dblock.map_or(at, |d| span(d.ident.span())),
        ds,
        eval::object(dest, ds),
    ));
    if let Some(ssc) = blocks("source_selection_criteria").into_iter().next() {
        let mut inner = Vec::new();
        if let Some(k) = ssc
            .body
            .blocks()
            .find(|x| x.ident.as_str() == "sse_kms_encrypted_objects")
        {
            // The v3 block takes `enabled = true|false`; `status` (the standalone resource's
            // spelling) is refused by Terraform here.
            for a in k.body.attributes().filter(|a| a.key.as_str() != "enabled") {
                let path = format!(
                    "{}.source_selection_criteria.sse_kms_encrypted_objects",
                    b.path
                );
                b.diagnostics.push(
                    Diagnostic::new(
                        codes::UNKNOWN_MEMBER.code,
                        codes::UNKNOWN_MEMBER.severity,
                        span(a.key.span()),
                        path.clone(),
                        format!(
                            "Unsupported argument `{}` in `{path}` (Terraform)",
                            a.key.as_str()
                        ),
                    )
                    .with_help("Allowed here: enabled (`enabled = true`: the inline block of `aws_s3_bucket` takes a boolean; `status` is the spelling of `aws_s3_bucket_replication_configuration`)."),
                );
            }
            let on = attr(k, "enabled").map(|e| (b.eval(e), span_of(e)));
            let (value, vs) = match on {
                Some((TfVal::Scalar(Value::Bool(true)), s)) => (Value::Str("Enabled".into()), s),
                Some((TfVal::Scalar(Value::Bool(false)), s)) | Some((TfVal::Null, s)) => {
                    (Value::Str("Disabled".into()), s)
                }
                Some((_, s)) => {
                    b.unknowns.push(Unknown {
                        span: s,
                        expression: b.module.source(s),
                        keep: eval::Keep::NONE,
                    });
                    (Value::Unknown(b.module.source(s)), s)
                }
                None => (Value::Str("Disabled".into()), span(k.span())),
            };
            inner.push(eval::member(
                "SseKmsEncryptedObjects",
                span(k.ident.span()),
                span(k.span()),
                eval::object(
                    vec![eval::member(
                        "Status",
                        vs,
                        vs,
                        eval::scalar(&value, &Kind::String, vs),
                    )],
                    span(k.span()),
                ),
            ));
        }
        out.push(eval::member(
            "SourceSelectionCriteria",
            span(ssc.ident.span()),
            span(ssc.span()),
            eval::object(inner, span(ssc.span())),
        ));
    }
    let filter = blocks("filter").into_iter().next();
    let prefix = get("prefix").and_then(|a| b.scalar(&a.value, &Kind::String));
    match filter {
        Some(fb) => {
            let fs = span(fb.span());
            let fprefix = attr(fb, "prefix")
                .and_then(|e| b.scalar(e, &Kind::String))
                .unwrap_or_else(|| {
                    eval::scalar(
                        &Value::Str(String::new()),
                        &Kind::String,
                        span(fb.ident.span()),
                    )
                });
            let tags = attr(fb, "tags").and_then(|e| b.tags(e));
            let f = match tags {
                Some(t) => {
                    let ts = t.span;
                    eval::member(
                        "And",
                        span(fb.ident.span()),
                        fs,
                        eval::object(
                            vec![
                                eval::member("Prefix", fprefix.span, fprefix.span, fprefix),
                                eval::member("Tags", ts, ts, t),
                            ],
                            fs,
                        ),
                    )
                }
                None => eval::member("Prefix", fprefix.span, fprefix.span, fprefix),
            };
            out.push(eval::member(
                "Filter",
                span(fb.ident.span()),
                fs,
                eval::object(vec![f], fs),
            ));
            let p = get("priority")
                .and_then(|a| b.scalar(&a.value, &Kind::Integer))
                .unwrap_or_else(|| eval::scalar(&Value::Num("0".into()), &Kind::Integer, at));
            out.push(eval::member("Priority", at, at, p));
            let dm = get("delete_marker_replication_status")
                .and_then(|a| b.scalar(&a.value, &Kind::Enum(schema::STATUS_VALUES)));
            let dm = dm
                .filter(|v| !matches!(&v.content, crate::syntax::Content::Text(t) if t.is_empty()))
                .unwrap_or_else(|| eval::scalar(&Value::Str("Disabled".into()), &Kind::String, at));
            let ds = dm.span;
            out.push(eval::member(
                "DeleteMarkerReplication",
                ds,
                ds,
                eval::object(vec![eval::member("Status", ds, ds, dm)], ds),
            ));
        }
        None => {
            let p = prefix
                .unwrap_or_else(|| eval::scalar(&Value::Str(String::new()), &Kind::String, at));
            let ps = p.span;
            out.push(eval::member("Prefix", ps, ps, p));
        }
    }
    Some(eval::object(out, span(rb.span())))
}
