//! The policies a module has for one configuration: the role its `role` names (its
//! `assume_role_policy`, `inline_policy` blocks and `managed_policy_arns`, every
//! `aws_iam_role_policy` and policy attachment naming it), the key policies of the KMS keys
//! the configuration and its source bucket use (`aws_kms_key.policy`, `aws_kms_key_policy`)
//! and the bucket policies of its destination buckets (`aws_s3_bucket_policy`). A policy is
//! read from `jsonencode(...)`, a `data "aws_iam_policy_document"`, or JSON text (a string or
//! heredoc), and translated to IAM's JSON shape with positions in the `.tf` file.

use super::{attr, span, At, Module};
use crate::iac::eval;
use crate::iac::hcl::{self, span_of};
use crate::iac::policies::{External, FoundPolicies, FoundPolicy, Syntax};
use crate::iac::Unknown;
use crate::policy::PolicyRole;
use crate::source::Span;
use crate::syntax::Node;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};
use hcl_edit::template::Element;
use hcl_edit::Span as _;

mod reader;
mod template_map;

use reader::Reader;

/// References followed from one policy to the next (a data source's source documents, a
/// local naming another) before giving up: cycles and hostile input.
const MAX_HOPS: usize = 8;

pub(super) fn find<'m>(
    module: &Module<'m>,
    config: At<'m, Block>,
    source: Option<&str>,
) -> FoundPolicies {
    let mut refs = Vec::new();
    body_refs(&config.item.body, &mut refs);
    let named = |ty: &str, refs: &[Vec<String>]| -> Vec<String> {
        let mut out: Vec<String> = refs
            .iter()
            .filter(|p| p.len() >= 2 && p[0] == ty)
            .map(|p| p[1].clone())
            .collect();
        out.sort();
        out.dedup();
        out
    };
    let roles = attr(config.item, "role")
        .map(|e| {
            let mut r = Vec::new();
            expr_refs(e, &mut r);
            named("aws_iam_role", &r)
        })
        .unwrap_or_default();
    let mut source_refs = Vec::new();
    if let Some(src) = source {
        for sse in module.for_bucket(
            "aws_s3_bucket_server_side_encryption_configuration",
            src,
            None,
        ) {
            body_refs(&sse.item.body, &mut source_refs);
        }
        if let Some(b) = module.resource("aws_s3_bucket", src) {
            for inner in b
                .item
                .body
                .blocks()
                .filter(|b| b.ident.as_str() == "server_side_encryption_configuration")
            {
                body_refs(&inner.body, &mut source_refs);
            }
        }
    }
    let mut key_refs = refs.clone();
    key_refs.extend(source_refs.iter().cloned());
    let mut keys = named("aws_kms_key", &key_refs);
    keys.extend(named("aws_kms_replica_key", &key_refs));
    let mut buckets = named("aws_s3_bucket", &refs);
    buckets.retain(|b| Some(b.as_str()) != source);

    module.set_stand_ins(true);
    let mut f = Finder {
        module,
        found: FoundPolicies::default(),
        seen: Vec::new(),
    };
    // Bucket ARNs built here assume the `aws` partition unless the context names one.
    if module.given.partition.is_none() {
        f.found.partition_stand_in = Some("aws".into());
    }
    // A source bucket named at deployment: the policies name it by its stand-in, an
    // instance's own (`aws_s3_bucket.src[0]`) when the configuration names one (its `bucket`
    // read with stand-ins) or is one's inline block.
    if let Some((s, b)) = source.and_then(|s| Some((s, module.resource("aws_s3_bucket", s)?))) {
        if module
            .attr_of(b, "bucket", 0)
            .and_then(|v| v.text())
            .is_none()
        {
            let named =
                attr(config.item, "bucket").and_then(|e| module.eval_in(config.file, e, 0).text());
            f.found.source_stand_in =
                Some(named.unwrap_or_else(|| match module.bound_instance(b) {
                    Some(k) => module.generated_instance_bucket(s, &k),
                    None => module.generated_bucket(s),
                }));
        }
    }
    let source_keys = named("aws_kms_key", &source_refs);
    for k in &keys {
        let path = ["aws_kms_key".to_string(), k.clone(), "arn".to_string()];
        if let Some(text) = hcl::Scope::lookup(module, &path, 0).and_then(|v| v.text()) {
            if source_keys.contains(k) {
                f.found.source_keys.push(text.clone());
            }
            f.found.shown.push((text, path.join(".")));
        }
        // Each instance of a key with `count` or `for_each` is a key of its own.
        let instances = module
            .resource("aws_kms_key", k)
            .map(|r| module.known_instances(r))
            .unwrap_or_default();
        for i in instances {
            let at = i.address();
            let path = [
                "aws_kms_key".to_string(),
                k.clone(),
                at.clone(),
                "arn".to_string(),
            ];
            if let Some(text) = hcl::Scope::lookup(module, &path, 0).and_then(|v| v.text()) {
                f.found
                    .shown
                    .push((text, format!("aws_kms_key.{k}{at}.arn")));
            }
        }
    }
    let grants = collect(module, &mut f, &roles, &keys, &buckets);
    data_role_policies(module, config, &mut f);
    // Last, so that the policies the user wrote come first (findings, quick fixes).
    for (at, file, item) in grants {
        f.grant(at, file, item);
    }
    bind(
        module,
        config,
        source,
        &roles,
        &keys,
        &source_keys,
        &buckets,
        &mut f.found,
    );
    module.set_stand_ins(false);
    // The tokens of values named the same way here and in the configuration, as written
    // (the ARNs first: they hold the names).
    let mut tokens = module.tokens.borrow().clone();
    tokens.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
    f.found.shown.extend(tokens);
    // A child module's policies are named by their full address; bindings stay the child's
    // own references (the generated code goes into the child).
    if !module.prefix.is_empty() {
        for p in &mut f.found.policies {
            p.address.insert_str(0, &module.prefix);
        }
        for x in &mut f.found.external {
            x.address.insert_str(0, &module.prefix);
        }
    }
    // A child module whose role is its caller's (`role = var.role_arn`, or a member of an
    // object variable, as registry bucket modules take it): that role's policies, read in
    // the module that declares them.
    if roles.is_empty() {
        if let Some((owner, role)) = attr(config.item, "role")
            .and_then(hcl::traversal_path)
            .and_then(|p| role_in_caller(module, &p, 0))
        {
            owner.set_stand_ins(true);
            let mut g = Finder {
                module: owner,
                found: FoundPolicies::default(),
                seen: Vec::new(),
            };
            // The keys and buckets the caller hands the module (its module block's arguments,
            // through locals): their key and bucket policies grant the role too.
            let mut passed = Vec::new();
            let mut c = module.caller.as_ref();
            while let Some(x) = c {
                if std::ptr::eq(x.module, owner) {
                    body_refs(&x.block.item.body, &mut passed);
                    break;
                }
                c = x.module.caller.as_ref();
            }
            let mut i = 0;
            while i < passed.len() && i < 256 {
                if let [l, name, ..] = passed[i].as_slice() {
                    if l == "local" {
                        if let Some(e) = owner.locals.get(name.as_str()) {
                            expr_refs(e.item, &mut passed);
                        }
                    }
                }
                i += 1;
            }
            let names = |tys: &[&str]| -> Vec<String> {
                let mut out: Vec<String> = passed
                    .iter()
                    .filter(|p| p.len() >= 2 && tys.contains(&p[0].as_str()))
                    .map(|p| p[1].clone())
                    .collect();
                out.sort();
                out.dedup();
                out
            };
            let keys = names(&["aws_kms_key", "aws_kms_replica_key"]);
            let buckets = names(&["aws_s3_bucket"]);
            for (at, file, item) in collect(owner, &mut g, &[role], &keys, &buckets) {
                g.grant(at, file, item);
            }
            owner.set_stand_ins(false);
            for p in &mut g.found.policies {
                p.address.insert_str(0, &owner.prefix);
            }
            for x in &mut g.found.external {
                x.address.insert_str(0, &owner.prefix);
            }
            f.found.policies.extend(g.found.policies);
            f.found.external.extend(g.found.external);
        }
    }
    f.found
}

/// The policies of `module`'s resources for the roles, keys and buckets named: read into `f`,
/// KMS grants to the roles returned (read last).
fn collect<'m>(
    module: &Module<'m>,
    f: &mut Finder<'_, 'm>,
    roles: &[String],
    keys: &[String],
    buckets: &[String],
) -> Vec<(String, usize, &'m Block)> {
    let is = |e: Option<&Expression>, ty: &str, names: &[String]| {
        e.is_some_and(|e| {
            let mut r = Vec::new();
            expr_refs(e, &mut r);
            r.iter()
                .any(|p| p.len() >= 2 && p[0] == ty && names.contains(&p[1]))
        })
    };
    let mut grants = Vec::new();
    for (ty, name, r) in &module.resources {
        let mut visit = |f: &mut Finder<'_, 'm>, at: String| {
            match ty.as_str() {
                // A KMS grant to the role lets it use the key as a key policy would.
                "aws_kms_grant" if is(attr(r.item, "grantee_principal"), "aws_iam_role", roles) => {
                    grants.push((at, r.file, r.item));
                }
                "aws_iam_role" if roles.contains(name) => {
                    if let Some(e) = attr(r.item, "assume_role_policy") {
                        f.policy(
                            PolicyRole::Trust,
                            format!("{at}.assume_role_policy"),
                            r.file,
                            e,
                            0,
                        );
                    }
                    for (i, b) in r
                        .item
                        .body
                        .blocks()
                        .filter(|b| b.ident.as_str() == "inline_policy")
                        .enumerate()
                    {
                        if let Some(e) = attr(b, "policy") {
                            f.policy(
                                PolicyRole::Permissions,
                                format!("{at}.inline_policy[{i}].policy"),
                                r.file,
                                e,
                                0,
                            );
                        }
                    }
                    if let Some(Expression::Array(items)) = attr(r.item, "managed_policy_arns") {
                        for (i, e) in items.iter().enumerate() {
                            f.attached(format!("{at}.managed_policy_arns[{i}]"), r.file, e);
                        }
                    }
                }
                "aws_iam_role_policy" if is(attr(r.item, "role"), "aws_iam_role", roles) => {
                    if let Some(e) = attr(r.item, "policy") {
                        f.policy(
                            PolicyRole::Permissions,
                            format!("{at}.policy"),
                            r.file,
                            e,
                            0,
                        );
                    }
                }
                "aws_iam_role_policy_attachment"
                    if is(attr(r.item, "role"), "aws_iam_role", roles) =>
                {
                    if let Some(e) = attr(r.item, "policy_arn") {
                        f.attached(format!("{at}.policy_arn"), r.file, e);
                    }
                }
                "aws_iam_policy_attachment" if is(attr(r.item, "roles"), "aws_iam_role", roles) => {
                    if let Some(e) = attr(r.item, "policy_arn") {
                        f.attached(format!("{at}.policy_arn"), r.file, e);
                    }
                }
                "aws_kms_key" | "aws_kms_replica_key" if keys.contains(name) => {
                    if let Some(e) = attr(r.item, "policy") {
                        f.policy(PolicyRole::KeyPolicy, format!("{at}.policy"), r.file, e, 0);
                    }
                }
                "aws_kms_key_policy"
                    if is(attr(r.item, "key_id"), "aws_kms_key", keys)
                        || is(attr(r.item, "key_id"), "aws_kms_replica_key", keys) =>
                {
                    if let Some(e) = attr(r.item, "policy") {
                        f.policy(PolicyRole::KeyPolicy, format!("{at}.policy"), r.file, e, 0);
                    }
                }
                "aws_s3_bucket_policy" if is(attr(r.item, "bucket"), "aws_s3_bucket", buckets) => {
                    if let Some(e) = attr(r.item, "policy") {
                        f.policy(
                            PolicyRole::BucketPolicy,
                            format!("{at}.policy"),
                            r.file,
                            e,
                            0,
                        );
                    }
                }
                "aws_s3_bucket" if buckets.contains(name) => {
                    if let Some(e) = attr(r.item, "policy") {
                        f.policy(
                            PolicyRole::BucketPolicy,
                            format!("{at}.policy"),
                            r.file,
                            e,
                            0,
                        );
                    }
                }
                _ => {}
            }
        };
        // Only a resource that holds one of these policies is expanded (a count or
        // `for_each` of any other is not evaluated).
        let relevant = match ty.as_str() {
            "aws_iam_role" => roles.contains(name),
            "aws_iam_role_policy" | "aws_iam_role_policy_attachment" => {
                is(attr(r.item, "role"), "aws_iam_role", roles)
            }
            "aws_iam_policy_attachment" => is(attr(r.item, "roles"), "aws_iam_role", roles),
            "aws_kms_key" | "aws_kms_replica_key" => keys.contains(name),
            "aws_kms_key_policy" => {
                is(attr(r.item, "key_id"), "aws_kms_key", keys)
                    || is(attr(r.item, "key_id"), "aws_kms_replica_key", keys)
            }
            "aws_s3_bucket_policy" => is(attr(r.item, "bucket"), "aws_s3_bucket", buckets),
            "aws_s3_bucket" => buckets.contains(name),
            _ => false,
        };
        // One policy per instance of a resource with `count` or `for_each` the code fixes,
        // read with its own `count.index` or `each`.
        match relevant.then(|| super::instances(module, *r)).flatten() {
            Some((instances, _)) => {
                for k in &instances {
                    module.with_instance(*r, k, || visit(f, format!("{ty}.{name}{}", k.address())));
                }
            }
            _ => visit(f, format!("{ty}.{name}")),
        }
    }

    grants
}

/// A role read with `data "aws_iam_role"` (made elsewhere): the policies this module attaches
/// to it are audited, and the role's others, not in these files, are named, so that nothing
/// it might lack is reported missing.
fn data_role_policies<'m>(module: &Module<'m>, config: At<'m, Block>, f: &mut Finder<'_, 'm>) {
    let mut refs = Vec::new();
    if let Some(e) = attr(config.item, "role") {
        expr_refs(e, &mut refs);
    }
    let data_roles: Vec<String> = refs
        .iter()
        .filter(|p| p.len() >= 3 && p[0] == "data" && p[1] == "aws_iam_role")
        .map(|p| p[2].clone())
        .collect();
    let [role] = data_roles.as_slice() else {
        return;
    };
    let Some((_, _, d)) = module
        .data
        .iter()
        .find(|(t, n, _)| t == "aws_iam_role" && n == role)
    else {
        return;
    };
    let names = |e: Option<&Expression>| {
        e.is_some_and(|e| {
            let mut r = Vec::new();
            expr_refs(e, &mut r);
            r.iter()
                .any(|p| p.len() >= 3 && p[0] == "data" && p[1] == "aws_iam_role" && p[2] == *role)
        })
    };
    for (ty, name, r) in &module.resources {
        let at = format!("{ty}.{name}");
        match ty.as_str() {
            "aws_iam_role_policy" if names(attr(r.item, "role")) => {
                if let Some(e) = attr(r.item, "policy") {
                    f.policy(
                        PolicyRole::Permissions,
                        format!("{at}.policy"),
                        r.file,
                        e,
                        0,
                    );
                }
            }
            "aws_iam_role_policy_attachment" if names(attr(r.item, "role")) => {
                if let Some(e) = attr(r.item, "policy_arn") {
                    f.attached(format!("{at}.policy_arn"), r.file, e);
                }
            }
            "aws_iam_policy_attachment" if names(attr(r.item, "roles")) => {
                if let Some(e) = attr(r.item, "policy_arn") {
                    f.attached(format!("{at}.policy_arn"), r.file, e);
                }
            }
            _ => {}
        }
    }
    f.found.external.push(External {
        role: PolicyRole::Permissions,
        address: format!("data.aws_iam_role.{role}"),
        file: d.file,
        span: span(d.item.ident.span()),
        what: format!("the role `data.aws_iam_role.{role}` (made elsewhere: its other policies)"),
    });
}

/// The role a child module's `role` names through its callers (`var.role_arn`, or a member
/// of an object variable, `var.replication_configuration.role`, through locals and object
/// constructors), as an `aws_iam_role` of the caller that declares it: that module and the
/// role's name. `path` is the reference in `module`.
fn role_in_caller<'m>(
    module: &Module<'m>,
    path: &[String],
    depth: usize,
) -> Option<(&'m Module<'m>, String)> {
    let [var, name, rest @ ..] = path else {
        return None;
    };
    if var != "var" || depth > MAX_HOPS {
        return None;
    }
    let c = module.caller.as_ref()?;
    let arg = attr(c.block.item, name)?;
    role_in(c.module, arg, rest, depth + 1)
}

/// The role expression `e` (in `owner`), or its member `rest`, names.
fn role_in<'m>(
    owner: &'m Module<'m>,
    e: &'m Expression,
    rest: &[String],
    depth: usize,
) -> Option<(&'m Module<'m>, String)> {
    if depth > MAX_HOPS {
        return None;
    }
    match e {
        Expression::Object(o) => {
            let (first, more) = rest.split_first()?;
            let (_, v) = o.iter().find(|(k, _)| match k {
                hcl_edit::expr::ObjectKey::Ident(i) => i.as_str() == first,
                hcl_edit::expr::ObjectKey::Expression(Expression::String(s)) => {
                    s.value().as_str() == first
                }
                _ => false,
            })?;
            role_in(owner, v.expr(), more, depth + 1)
        }
        Expression::Parenthesis(p) => role_in(owner, p.inner(), rest, depth + 1),
        _ => {
            if let Some(p) = hcl::traversal_path(e) {
                let mut full = p.clone();
                full.extend(rest.iter().cloned());
                match p.first().map(String::as_str) {
                    Some("local") if p.len() >= 2 => {
                        let l = owner.locals.get(&p[1])?;
                        return role_in(owner, l.item, &full[2..], depth + 1);
                    }
                    Some("var") => return role_in_caller(owner, &full, depth + 1),
                    _ => {}
                }
            }
            if !rest.is_empty() {
                return None;
            }
            // `aws_iam_role.r.arn`, `one(aws_iam_role.r[*].arn)`: one role of `owner`.
            let mut refs = Vec::new();
            expr_refs(e, &mut refs);
            let mut roles: Vec<String> = refs
                .into_iter()
                .filter(|p| p.len() >= 2 && p[0] == "aws_iam_role")
                .map(|p| p[1].clone())
                .collect();
            roles.sort();
            roles.dedup();
            match roles.as_slice() {
                [r] => owner
                    .resource("aws_iam_role", r)
                    .map(|_| (owner, r.clone())),
                _ => None,
            }
        }
    }
}

/// How the generated policies write the code's own resources, and the expressions that name
/// them: bucket ARNs (with the partition known or a placeholder), the role and keys (known,
/// or written `${expression}` in the deployed document), and the placeholders the code can
/// fill (a single source key, the partition).
#[allow(clippy::too_many_arguments)]
fn bind(
    module: &Module<'_>,
    config: At<'_, Block>,
    source: Option<&str>,
    roles: &[String],
    keys: &[String],
    source_keys: &[String],
    buckets: &[String],
    found: &mut FoundPolicies,
) {
    let lookup = |path: [&str; 3]| {
        let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        hcl::Scope::lookup(module, &path, 0).and_then(|v| v.text())
    };
    let partition = module.given.partition.clone();
    for b in source
        .iter()
        .map(|s| s.to_string())
        .chain(buckets.iter().cloned())
    {
        // Each instance of a bucket with `count` or `for_each` by its own reference
        // (`aws_s3_bucket.b[0].arn`), then the resource as written without one.
        let instances = module
            .resource("aws_s3_bucket", &b)
            .map(|r| module.known_instances(r))
            .unwrap_or_default();
        let named = instances.iter().map(|k| {
            let key = match k {
                super::InstanceKey::Index(i) => format!("[{i}]"),
                super::InstanceKey::Each(x, _) => format!("[\"{x}\"]"),
            };
            let path: Vec<String> = ["aws_s3_bucket", &b, &key, "bucket"]
                .iter()
                .map(|s| s.to_string())
                .collect();
            let name = hcl::Scope::lookup(module, &path, 0).and_then(|v| v.text());
            (name, format!("aws_s3_bucket.{b}{}.arn", k.address()))
        });
        let plain = (
            lookup(["aws_s3_bucket", &b, "bucket"]),
            format!("aws_s3_bucket.{b}.arn"),
        );
        for (name, expr) in named.chain(std::iter::once(plain)) {
            let Some(name) = name else {
                continue;
            };
            let p = partition.clone().unwrap_or_else(|| "aws".into());
            found.bind_terraform(format!("arn:{p}:s3:::{name}"), expr.clone());
            found.bind_terraform(format!("arn:${{PARTITION}}:s3:::{name}"), expr);
        }
    }
    if let (Some(e), [role]) = (attr(config.item, "role"), roles) {
        // `aws_iam_role.r[0].arn` (or `[count.index]`, read in its instance) by that instance.
        let expr = match module.in_frame(config.file, e, || hcl::resolved_reference(e, module)) {
            Some(p) if p.len() == 4 && p[0] == "aws_iam_role" && p[3] == "arn" => {
                hcl::display_path(&p)
            }
            _ => format!("aws_iam_role.{role}.arn"),
        };
        match lookup(["aws_iam_role", role, "arn"]) {
            Some(arn) => found.bind_terraform(arn, expr.clone()),
            None => {
                if let Some(eval::Value::Partial { text, .. }) = module.role_stand_in(role) {
                    found.shown.push((text, expr.clone()));
                }
                let written =
                    module.in_file(config.file, || hcl::Scope::source(module, span_of(e)));
                found.bind_terraform(format!("${{{written}}}"), expr.clone());
            }
        }
        found.bind_terraform("${ROLE_ARN}".into(), expr);
    }
    for k in keys.iter().filter(|k| !source_keys.contains(k)) {
        let expr = format!("aws_kms_key.{k}.arn");
        found.bind_terraform(format!("${{{expr}}}"), expr);
    }
    if let ([k], true) = (source_keys, module.given.source_kms_keys.is_empty()) {
        found.bind_terraform(
            "${SOURCE_KMS_KEY_ARN}".into(),
            format!("aws_kms_key.{k}.arn"),
        );
    }
    if partition.is_none() {
        if let Some((_, n, _)) = module.data.iter().find(|(t, ..)| t == "aws_partition") {
            found.bind_terraform(
                "${PARTITION}".into(),
                format!("data.aws_partition.{n}.partition"),
            );
        }
    }
}

struct Finder<'a, 'm> {
    module: &'a Module<'m>,
    found: FoundPolicies,
    /// `aws_iam_policy` resources already read (attached twice, or by two roles).
    seen: Vec<String>,
}

impl<'m> Finder<'_, 'm> {
    /// A policy written as `e` (in `file`): read it, or name it as not read.
    fn policy(
        &mut self,
        role: PolicyRole,
        address: String,
        file: usize,
        e: &'m Expression,
        hops: usize,
    ) {
        if hops > MAX_HOPS {
            return self.unread(role, address, file, e);
        }
        match e {
            Expression::FuncCall(c)
                if c.name.name.as_str() == "jsonencode" && c.args.len() == 1 =>
            {
                let mut r = Reader::new(self.module, file);
                if let Some(arg) = c.args.iter().next() {
                    let root = r.value(arg, 0);
                    self.push(role, address, file, root, r.unknowns, Syntax::TfObject);
                }
            }
            Expression::String(_)
            | Expression::StringTemplate(_)
            | Expression::HeredocTemplate(_) => {
                let mut r = Reader::new(self.module, file);
                match r.json_text(e) {
                    Some(root) => {
                        self.push(role, address, file, root, r.unknowns, Syntax::TfJsonText)
                    }
                    None => self.unread(role, address, file, e),
                }
            }
            Expression::Parenthesis(p) => self.policy(role, address, file, p.inner(), hops + 1),
            Expression::Traversal(_) => {
                let (path, key) = self.instance_path(file, e);
                let p: Vec<&str> = path.iter().map(String::as_str).collect();
                match p.as_slice() {
                    ["data", "aws_iam_policy_document", name, "json" | "minified_json"] => {
                        match self
                            .module
                            .data
                            .iter()
                            .find(|(t, n, _)| t == "aws_iam_policy_document" && n == name)
                        {
                            Some((_, _, d)) => {
                                // `data.aws_iam_policy_document.d[count.index].json`: that
                                // instance, read with its own `count.index`.
                                let module = self.module;
                                let instance = key
                                    .as_deref()
                                    .and_then(|k| module.instance_of(*d, k, 0).flatten());
                                let read = || {
                                    let mut r = Reader::new(module, d.file);
                                    let root = r.document(d.item, hops);
                                    (root, r.unknowns)
                                };
                                let (root, unknowns) = match &instance {
                                    Some(k) => module.with_instance(*d, k, read),
                                    None => read(),
                                };
                                let at = instance.as_ref().map_or(String::new(), |k| k.address());
                                self.push(
                                    role,
                                    format!("data.aws_iam_policy_document.{name}{at}"),
                                    d.file,
                                    root,
                                    unknowns,
                                    Syntax::TfDocument,
                                );
                            }
                            None => self.unread(role, address, file, e),
                        }
                    }
                    ["aws_iam_policy", name, "policy"] => {
                        self.managed(role, name, key.as_deref(), file, e, hops)
                    }
                    ["local", name] => match self.module.locals.get(*name) {
                        Some(l) => self.policy(role, address, l.file, l.item, hops + 1),
                        None => self.unread(role, address, file, e),
                    },
                    _ => self.unread(role, address, file, e),
                }
            }
            _ => self.unread(role, address, file, e),
        }
    }

    /// A reference's path without its instance key, and the key (`[0]`, `["k"]`) resolved
    /// where it is written (`[count.index]` in an instance being read).
    fn instance_path(&self, file: usize, e: &Expression) -> (Vec<String>, Option<String>) {
        let resolved = self
            .module
            .in_frame(file, e, || hcl::resolved_reference(e, self.module));
        let at = |p: &[String]| {
            if p.first().is_some_and(|r| r == "data") {
                3
            } else {
                2
            }
        };
        match resolved {
            Some(mut p) if p.len() > at(&p) + 1 && p[at(&p)].starts_with('[') => {
                let i = at(&p);
                let key = p.remove(i);
                (p, Some(key))
            }
            Some(p) => (p, None),
            None => (hcl::traversal_path(e).unwrap_or_default(), None),
        }
    }

    /// `aws_iam_policy.<name>` (its instance `key`) attached to the role.
    fn managed(
        &mut self,
        role: PolicyRole,
        name: &str,
        key: Option<&str>,
        file: usize,
        e: &'m Expression,
        hops: usize,
    ) {
        let module = self.module;
        let p = module.resource("aws_iam_policy", name);
        let instance = p
            .zip(key)
            .and_then(|(p, k)| module.instance_of(p, k, 0).flatten());
        let at = instance.as_ref().map_or(String::new(), |k| k.address());
        let seen = format!("{name}{at}");
        if self.seen.contains(&seen) {
            return;
        }
        self.seen.push(seen);
        match p {
            Some(p) => match attr(p.item, "policy") {
                Some(pe) => {
                    let address = format!("aws_iam_policy.{name}{at}.policy");
                    match &instance {
                        Some(k) => module.with_instance(p, k, || {
                            self.policy(role, address, p.file, pe, hops + 1)
                        }),
                        None => self.policy(role, address, p.file, pe, hops + 1),
                    }
                }
                None => self.unread(role, format!("aws_iam_policy.{name}"), p.file, e),
            },
            None => self.unread(role, format!("aws_iam_policy.{name}"), file, e),
        }
    }

    /// A policy ARN attached to the role: one of the module's policies, or one elsewhere.
    fn attached(&mut self, address: String, file: usize, e: &'m Expression) {
        let (p, key) = self.instance_path(file, e);
        if p.len() == 3 && p[0] == "aws_iam_policy" && p[2] == "arn" {
            return self.managed(PolicyRole::Permissions, &p[1], key.as_deref(), file, e, 0);
        }
        let shown = self.module.eval_in(file, e, 0).text().unwrap_or_else(|| {
            self.module
                .in_file(file, || hcl::Scope::source(self.module, span_of(e)))
        });
        self.found.external.push(External {
            role: PolicyRole::Permissions,
            address,
            file,
            span: span_of(e),
            what: format!("the managed policy `{shown}`"),
        });
    }

    /// An `aws_kms_grant` to the role, as the permissions statement it amounts to: its
    /// operations on the key it names (the key's ARN when the module declares it; else the
    /// expression, unknown). Its constraints only narrow it, and are not read.
    fn grant(&mut self, address: String, file: usize, item: &Block) {
        let whole = span(item.span());
        let ops: Vec<String> = attr(item, "operations")
            .map(|e| match self.module.eval_in(file, e, 0) {
                hcl::TfVal::List(items) => items.iter().filter_map(|v| v.text()).collect(),
                _ => Vec::new(),
            })
            .unwrap_or_default();
        let Some(key) = attr(item, "key_id") else {
            return;
        };
        if ops.is_empty() {
            return;
        }
        let key_span = span_of(key);
        let arn = hcl::traversal_path(key)
            .filter(|p| {
                p.len() >= 2 && matches!(p[0].as_str(), "aws_kms_key" | "aws_kms_replica_key")
            })
            .and_then(|p| {
                let path = [p[0].clone(), p[1].clone(), "arn".to_string()];
                hcl::Scope::lookup(self.module, &path, 0).and_then(|v| v.text())
            });
        let mut unknowns = Vec::new();
        let resource = arn.unwrap_or_else(|| {
            let expression = self
                .module
                .in_file(file, || hcl::Scope::source(self.module, key_span));
            unknowns.push(Unknown {
                span: key_span,
                expression: expression.clone(),
                keep: eval::Keep::NONE,
            });
            expression
        });
        let text = |t: String, at: Span| Node {
            content: crate::syntax::Content::Text(std::borrow::Cow::Owned(t)),
            span: at,
        };
        let actions: Vec<Node<'static>> = ops
            .into_iter()
            .map(|o| text(format!("kms:{o}"), whole))
            .collect();
        let statement = eval::object(
            vec![
                eval::member("Effect", whole, whole, text("Allow".into(), whole)),
                eval::member("Action", whole, whole, eval::array(actions, whole)),
                eval::member("Resource", key_span, key_span, text(resource, key_span)),
            ],
            whole,
        );
        let root = eval::object(
            vec![
                eval::member("Version", whole, whole, text("2012-10-17".into(), whole)),
                eval::member(
                    "Statement",
                    whole,
                    whole,
                    eval::array(vec![statement], whole),
                ),
            ],
            whole,
        );
        self.push(
            PolicyRole::Permissions,
            address,
            file,
            root,
            unknowns,
            Syntax::TfObject,
        );
    }

    fn unread(&mut self, role: PolicyRole, address: String, file: usize, e: &Expression) {
        let shown = self
            .module
            .in_file(file, || hcl::Scope::source(self.module, span_of(e)));
        self.found.external.push(External {
            role,
            address,
            file,
            span: span_of(e),
            what: format!("the policy `{}`", crate::iac::shorten(&shown)),
        });
    }

    fn push(
        &mut self,
        role: PolicyRole,
        address: String,
        file: usize,
        root: Node<'static>,
        unknowns: Vec<Unknown>,
        syntax: Syntax,
    ) {
        self.found.policies.push(FoundPolicy {
            role,
            file,
            address,
            root,
            unknowns,
            syntax,
        });
    }
}

/// Every reference (`a.b.c`) in a block body.
fn body_refs(body: &Body, out: &mut Vec<Vec<String>>) {
    for a in body.attributes() {
        expr_refs(&a.value, out);
    }
    for b in body.blocks() {
        body_refs(&b.body, out);
    }
}

fn expr_refs(e: &Expression, out: &mut Vec<Vec<String>>) {
    expr_refs_at(e, out, 0);
}

fn expr_refs_at(e: &Expression, out: &mut Vec<Vec<String>>, depth: usize) {
    if depth > hcl::MAX_DEPTH {
        return;
    }
    let d = depth + 1;
    match e {
        Expression::Traversal(_) => {
            // A computed instance (`aws_iam_role.r[count.index]`) still names its resource.
            match hcl::traversal_path(e) {
                Some(p) => out.push(p),
                None => {
                    if let Some((ty, name)) = hcl::referenced_resource(e) {
                        out.push(vec![ty, name]);
                    }
                }
            }
        }
        Expression::Array(items) => items.iter().for_each(|i| expr_refs_at(i, out, d)),
        Expression::Object(o) => o.iter().for_each(|(_, v)| expr_refs_at(v.expr(), out, d)),
        Expression::StringTemplate(t) => t.iter().for_each(|el| element_refs(el, out, d)),
        Expression::HeredocTemplate(h) => h.template.iter().for_each(|el| element_refs(el, out, d)),
        Expression::FuncCall(f) => f.args.iter().for_each(|a| expr_refs_at(a, out, d)),
        Expression::Parenthesis(p) => expr_refs_at(p.inner(), out, d),
        Expression::Conditional(c) => {
            expr_refs_at(&c.true_expr, out, d);
            expr_refs_at(&c.false_expr, out, d);
        }
        _ => {}
    }
}

fn element_refs(el: &Element, out: &mut Vec<Vec<String>>, depth: usize) {
    if let Element::Interpolation(i) = el {
        expr_refs_at(&i.expr, out, depth);
    }
}
