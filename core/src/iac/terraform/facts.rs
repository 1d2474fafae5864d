//! The deployment facts a configuration's module states: Region, versioning, encryption and
//! Object Lock of its source bucket and of the destination buckets declared there.
use super::{attr, dynamic, label, span, At, Builder, InstanceKey};
use crate::context::DestinationContext;
use crate::iac::bucket_facts::BucketFacts;
use crate::iac::eval::{self, Value};
use crate::iac::hcl::{span_of, TfVal};
use crate::syntax::Member;
use hcl_edit::expr::Expression;
use hcl_edit::structure::Block;
use hcl_edit::Span as _;

/// Region, versioning, encryption and Object Lock of the source bucket resource.
pub(super) fn source_facts<'m>(b: &mut Builder<'m, '_>, name: &str, bucket: At<'m, Block>) {
    let module = b.module;
    let literal = module.attr_of(bucket, "bucket", 0).and_then(|v| v.text());
    if b.context.source_bucket.is_none() {
        if let Some(n) = &literal {
            b.context.source_bucket = Some(n.clone());
            b.context.inferred.push("source_bucket");
        }
    }
    if let Some((region, file, s, from)) = module.region_of(bucket) {
        b.fact_at(
            "sourceRegion",
            &region,
            file,
            s,
            format!("{}aws_s3_bucket.{name}: {from}", module.prefix),
        );
        b.context.source_region = Some(region);
        b.context.inferred.push("source_region");
    }
    if let Some((account, file, s, from)) = module.account_of(bucket) {
        b.fact_at("sourceAccount", &account, file, s, from);
        b.context.source_account = Some(account);
        b.context.inferred.push("source_account");
    }
    let key = module.bound_instance(bucket);
    bucket_facts(b, name, bucket, key.as_ref(), literal.as_deref(), "source")
        .set_source(&mut b.context);
}

/// What the module says about bucket resource `name`: separate resources first, then the
/// bucket's own (legacy) blocks.
/// `instance`: the instance of a bucket with `count` or `for_each`, whose own arguments and
/// resources are read.
fn bucket_facts<'m>(
    b: &mut Builder<'m, '_>,
    name: &str,
    bucket: At<'m, Block>,
    instance: Option<&InstanceKey>,
    literal: Option<&str>,
    field: &str,
) -> BucketFacts {
    let module = b.module;
    let mut out = BucketFacts::default();
    // An argument of `r` read in its instance `k`, if any.
    let eval_at = |r: At<'m, Block>, k: Option<&InstanceKey>, e: &Expression| match k {
        Some(k) => module.with_instance(r, k, || module.eval_in(r.file, e, 0)),
        None => module.eval_in(r.file, e, 0),
    };
    let key = |what: &str| {
        if field == "source" {
            format!("source{what}")
        } else {
            // The context's camelCase field: `Versioning` -> `versioning`, `BucketKeys` ->
            // `bucketKeys`.
            let mut name = what.to_string();
            if let Some(first) = name.get_mut(..1) {
                first.make_ascii_lowercase();
            }
            format!("{field}.{name}")
        }
    };
    // Object Lock.
    let lock = attr(bucket.item, "object_lock_enabled").map(|e| eval_at(bucket, instance, e));
    let object_lock = match lock {
        Some(TfVal::Scalar(Value::Bool(l))) => Some(l),
        Some(_) => None,
        None => Some(
            bucket
                .item
                .body
                .blocks()
                .any(|x| x.ident.as_str() == "object_lock_configuration")
                || module
                    .for_bucket_instance(
                        "aws_s3_bucket_object_lock_configuration",
                        name,
                        literal,
                        instance,
                    )
                    .is_some(),
        ),
    };
    // Versioning.
    if let Some((v, vk)) =
        module.for_bucket_instance("aws_s3_bucket_versioning", name, literal, instance)
    {
        let status = v
            .item
            .body
            .blocks()
            .find(|x| x.ident.as_str() == "versioning_configuration")
            .and_then(|c| {
                attr(c, "status").map(|e| (eval_at(v, vk.as_ref(), e).text(), span_of(e)))
            });
        if let Some((Some(s), sp)) = status {
            b.fact_at(
                &key("Versioning"),
                &s,
                v.file,
                sp,
                format!(
                    "aws_s3_bucket_versioning for {}aws_s3_bucket.{name}",
                    module.prefix
                ),
            );
            out.versioning = Some(s);
        }
    } else if let Some(vb) = bucket
        .item
        .body
        .blocks()
        .find(|x| x.ident.as_str() == "versioning")
    {
        if let Some(e) = attr(vb, "enabled") {
            if let TfVal::Scalar(Value::Bool(on)) = eval_at(bucket, instance, e) {
                let s = if on { "Enabled" } else { "Disabled" };
                b.fact_at(
                    &key("Versioning"),
                    s,
                    bucket.file,
                    span_of(e),
                    format!("{}aws_s3_bucket.{name}: versioning.enabled", module.prefix),
                );
                out.versioning = Some(s.into());
            }
        }
    } else if let Some(db) = bucket
        .item
        .body
        .blocks()
        .find(|x| x.ident.as_str() == "dynamic" && label(x, 0) == Some("versioning"))
    {
        // `dynamic "versioning"` (provider v3): read when the code fixes its one block;
        // otherwise the versioning is not known (never "no versioning").
        let content = db.body.blocks().find(|x| x.ident.as_str() == "content");
        let binding = dynamic::single(module, bucket.file, db);
        if let (Some(binding), Some(e)) = (binding, content.and_then(|c| attr(c, "enabled"))) {
            module.iterators.borrow_mut().push(binding);
            let on = module.eval_in(bucket.file, e, 0);
            module.iterators.borrow_mut().pop();
            if let TfVal::Scalar(Value::Bool(on)) = on {
                let s = if on { "Enabled" } else { "Disabled" };
                b.fact_at(
                    &key("Versioning"),
                    s,
                    bucket.file,
                    span_of(e),
                    format!(
                        "{}aws_s3_bucket.{name}: dynamic \"versioning\"",
                        module.prefix
                    ),
                );
                out.versioning = Some(s.into());
            }
        }
    } else if object_lock == Some(true) {
        // No versioning written, but S3 enables it on a bucket created with Object Lock (and
        // Object Lock can only be turned on for a versioned bucket).
        b.fact_at(
            &key("Versioning"),
            "Enabled",
            bucket.file,
            span(bucket.item.ident.span()),
            format!(
                "{}aws_s3_bucket.{name}: Object Lock enabled (S3 enables versioning with it)",
                module.prefix
            ),
        );
        out.versioning = Some("Enabled".into());
    } else if !module.any_unresolved_for_bucket("aws_s3_bucket_versioning") {
        // The bucket is declared here with no versioning anywhere in the module.
        b.fact_at(&key("Versioning"), "Disabled", bucket.file, span(bucket.item.ident.span()), format!("{}aws_s3_bucket.{name}: no aws_s3_bucket_versioning or versioning block in this module", module.prefix));
        out.versioning = Some("Disabled".into());
    }
    // Default encryption and Bucket Keys.
    let sse_rule = |blk: &'m Block| blk.body.blocks().find(|x| x.ident.as_str() == "rule");
    let sse_resource = module.for_bucket_instance(
        "aws_s3_bucket_server_side_encryption_configuration",
        name,
        literal,
        instance,
    );
    let inline_sse = bucket
        .item
        .body
        .blocks()
        .any(|x| x.ident.as_str() == "server_side_encryption_configuration");
    let sse = sse_resource
        .clone()
        .and_then(|(s, sk)| sse_rule(s.item).map(|r| (s, sk, r)))
        .or_else(|| {
            bucket
                .item
                .body
                .blocks()
                .find(|x| x.ident.as_str() == "server_side_encryption_configuration")
                .and_then(|s| sse_rule(s).map(|r| (bucket, instance.cloned(), r)))
        });
    // A `dynamic "rule"` (as registry bucket modules write it) whose collection the code
    // fixes to one element: its `bucket_key_enabled`, read with the iterator bound.
    let dynamic_rule = match (&sse, &sse_resource) {
        (None, Some((s, sk))) => s
            .item
            .body
            .blocks()
            .find(|x| x.ident.as_str() == "dynamic" && label(x, 0) == Some("rule"))
            .and_then(|db| {
                let content = db.body.blocks().find(|x| x.ident.as_str() == "content")?;
                let binding = match sk {
                    Some(k) => module.with_instance(*s, k, || dynamic::single(module, s.file, db)),
                    None => dynamic::single(module, s.file, db),
                }?;
                Some((*s, sk.clone(), content, binding))
            }),
        _ => None,
    };
    if let Some((owner, sk, content, binding)) = dynamic_rule {
        module.iterators.borrow_mut().push(binding);
        let keys = attr(content, "bucket_key_enabled")
            .map(|e| (eval_at(owner, sk.as_ref(), e), span_of(e)));
        module.iterators.borrow_mut().pop();
        if let Some((TfVal::Scalar(Value::Bool(k)), sp)) = keys {
            b.fact_at(
                &key("BucketKeys"),
                &k.to_string(),
                owner.file,
                sp,
                format!(
                    "server-side encryption of {}aws_s3_bucket.{name}: dynamic \"rule\" bucket_key_enabled",
                    module.prefix
                ),
            );
            out.bucket_keys = Some(k);
        }
    } else if let Some((owner, sk, rule)) = sse {
        let file = owner.file;
        let read = |e: &Expression| eval_at(owner, sk.as_ref(), e);
        let keys = attr(rule, "bucket_key_enabled").map(|e| (read(e), span_of(e)));
        match keys {
            Some((TfVal::Scalar(Value::Bool(k)), sp)) => {
                b.fact_at(
                    &key("BucketKeys"),
                    &k.to_string(),
                    file,
                    sp,
                    format!(
                        "server-side encryption of {}aws_s3_bucket.{name}: bucket_key_enabled",
                        module.prefix
                    ),
                );
                out.bucket_keys = Some(k);
            }
            Some(_) => {}
            None => out.bucket_keys = Some(false),
        }
        if let Some(d) = rule
            .body
            .blocks()
            .find(|x| x.ident.as_str() == "apply_server_side_encryption_by_default")
        {
            let algorithm =
                attr(d, "sse_algorithm").and_then(|e| Some((read(e).text()?, span_of(e))));
            if let Some((alg, sp)) = algorithm {
                let encryption = crate::context::encryption_of_algorithm(&alg);
                b.fact_at(
                    &key("DefaultEncryption"),
                    encryption,
                    file,
                    sp,
                    format!(
                        "server-side encryption of {}aws_s3_bucket.{name}: sse_algorithm",
                        module.prefix
                    ),
                );
                out.default_encryption = Some(encryption.to_string());
            }
            out.kms_key = attr(d, "kms_master_key_id").and_then(|e| read(e).text());
        }
    } else if sse_resource.is_none()
        && !inline_sse
        && !bucket
            .item
            .body
            .blocks()
            .any(|x| x.ident.as_str() == "dynamic")
        && !module.any_unresolved_for_bucket("aws_s3_bucket_server_side_encryption_configuration")
    {
        // (An encryption configuration whose rule is a `dynamic` block is there, but not
        // read: its Bucket Keys are not known.)
        // Declared here with no encryption configuration: S3's default (SSE-S3), Bucket Keys
        // off, as a bucket declared with no versioning is unversioned.
        b.fact_at(
            &key("BucketKeys"),
            "false",
            bucket.file,
            span(bucket.item.ident.span()),
            format!(
                "{}aws_s3_bucket.{name}: no server-side encryption configuration in this module",
                module.prefix
            ),
        );
        out.bucket_keys = Some(false);
    }
    out.object_lock = object_lock;
    out
}

/// Region, account, versioning and encryption of destination buckets declared here.
pub(super) fn destination_facts(b: &mut Builder<'_, '_>, root: &Member<'static>) {
    let module = b.module;
    let mut buckets = Vec::new();
    eval::collect_buckets(&root.value, &mut buckets);
    for (value, _) in buckets {
        let name = crate::arn::bucket_name(&value).to_string();
        if name.is_empty() || name.starts_with("${") || b.context.destinations.contains_key(&name) {
            continue;
        }
        // Declared here or in a caller: its facts are read in the module declaring it.
        let Some((owner, rname, r, key)) = module.bucket_instance_named(&name) else {
            continue;
        };
        let mut d = DestinationContext::default();
        let field = format!("destinations.{name}");
        if let Some((region, file, s, from)) = owner.region_of(r) {
            b.fact_at(
                &format!("{field}.region"),
                &region,
                file,
                s,
                format!("{}aws_s3_bucket.{rname}: {from}", owner.prefix),
            );
            d.region = Some(region);
            b.context
                .inferred_destinations
                .push((name.clone(), "region"));
        }
        if let Some((account, file, s, from)) = owner.account_of(r) {
            b.fact_at(&format!("{field}.account"), &account, file, s, from);
            d.account = Some(account);
            b.context
                .inferred_destinations
                .push((name.clone(), "account"));
        }
        b.module = owner;
        let bf = bucket_facts(b, &rname, r, key.as_ref(), Some(&name), &field);
        b.module = module;
        d.versioning = bf.versioning;
        d.bucket_keys = bf.bucket_keys;
        d.default_encryption = bf.default_encryption;
        b.context.destinations.insert(name, d);
    }
}
