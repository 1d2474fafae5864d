//! The policies a module has for one configuration: the role its `role` names (its
//! `assume_role_policy`, `inline_policy` blocks and `managed_policy_arns`, every
//! `aws_iam_role_policy` and policy attachment naming it), the key policies of the KMS keys
//! the configuration and its source bucket use (`aws_kms_key.policy`, `aws_kms_key_policy`)
//! and the bucket policies of its destination buckets (`aws_s3_bucket_policy`). A policy is
//! read from `jsonencode(...)`, a `data "aws_iam_policy_document"`, or JSON text (a string or
//! heredoc), and translated to IAM's JSON shape with positions in the `.tf` file.

use super::{attr, span, At, Module};
use crate::iac::eval;
use crate::iac::hcl::{self, span_of, TfVal};
use crate::iac::policies::{External, FoundPolicies, FoundPolicy, Syntax};
use crate::iac::Unknown;
use crate::policy::PolicyRole;
use crate::source::Span;
use crate::syntax::{Content, Member, Node};
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Block, Body};
use hcl_edit::template::Element;
use hcl_edit::Span as _;
use std::borrow::Cow;

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
    // A source bucket named at deployment: the policies name it by its stand-in.
    if let Some(b) = source.and_then(|s| module.resource("aws_s3_bucket", s)) {
        if module
            .attr_of(b, "bucket", 0)
            .and_then(|v| v.text())
            .is_none()
        {
            f.found.source_stand_in = source.map(|s| module.generated_bucket(s));
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
    }
    let is = |e: Option<&Expression>, ty: &str, names: &[String]| {
        e.is_some_and(|e| {
            let mut r = Vec::new();
            expr_refs(e, &mut r);
            r.iter()
                .any(|p| p.len() >= 2 && p[0] == ty && names.contains(&p[1]))
        })
    };
    for (ty, name, r) in &module.resources {
        let at = format!("{ty}.{name}");
        match ty.as_str() {
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
            "aws_iam_role_policy" if is(attr(r.item, "role"), "aws_iam_role", &roles) => {
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
                if is(attr(r.item, "role"), "aws_iam_role", &roles) =>
            {
                if let Some(e) = attr(r.item, "policy_arn") {
                    f.attached(format!("{at}.policy_arn"), r.file, e);
                }
            }
            "aws_iam_policy_attachment" if is(attr(r.item, "roles"), "aws_iam_role", &roles) => {
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
                if is(attr(r.item, "key_id"), "aws_kms_key", &keys)
                    || is(attr(r.item, "key_id"), "aws_kms_replica_key", &keys) =>
            {
                if let Some(e) = attr(r.item, "policy") {
                    f.policy(PolicyRole::KeyPolicy, format!("{at}.policy"), r.file, e, 0);
                }
            }
            "aws_s3_bucket_policy" if is(attr(r.item, "bucket"), "aws_s3_bucket", &buckets) => {
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
    f.found
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
        let Some(name) = lookup(["aws_s3_bucket", &b, "bucket"]) else {
            continue;
        };
        let expr = format!("aws_s3_bucket.{b}.arn");
        let p = partition.clone().unwrap_or_else(|| "aws".into());
        found.bind_terraform(format!("arn:{p}:s3:::{name}"), expr.clone());
        found.bind_terraform(format!("arn:${{PARTITION}}:s3:::{name}"), expr);
    }
    if let (Some(e), [role]) = (attr(config.item, "role"), roles) {
        let expr = format!("aws_iam_role.{role}.arn");
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
                let path = hcl::traversal_path(e).unwrap_or_default();
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
                                let mut r = Reader::new(self.module, d.file);
                                let root = r.document(d.item, hops);
                                self.push(
                                    role,
                                    format!("data.aws_iam_policy_document.{name}"),
                                    d.file,
                                    root,
                                    r.unknowns,
                                    Syntax::TfDocument,
                                );
                            }
                            None => self.unread(role, address, file, e),
                        }
                    }
                    ["aws_iam_policy", name, "policy"] => self.managed(role, name, file, e, hops),
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

    /// `aws_iam_policy.<name>` attached to the role.
    fn managed(
        &mut self,
        role: PolicyRole,
        name: &str,
        file: usize,
        e: &'m Expression,
        hops: usize,
    ) {
        if self.seen.iter().any(|s| s == name) {
            return;
        }
        self.seen.push(name.to_string());
        match self.module.resource("aws_iam_policy", name) {
            Some(p) => match attr(p.item, "policy") {
                Some(pe) => self.policy(
                    role,
                    format!("aws_iam_policy.{name}.policy"),
                    p.file,
                    pe,
                    hops + 1,
                ),
                None => self.unread(role, format!("aws_iam_policy.{name}"), p.file, e),
            },
            None => self.unread(role, format!("aws_iam_policy.{name}"), file, e),
        }
    }

    /// A policy ARN attached to the role: one of the module's policies, or one elsewhere.
    fn attached(&mut self, address: String, file: usize, e: &'m Expression) {
        if let Some(p) = hcl::traversal_path(e) {
            if p.len() == 3 && p[0] == "aws_iam_policy" && p[2] == "arn" {
                return self.managed(PolicyRole::Permissions, &p[1], file, e, 0);
            }
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

/// Builds a policy tree from HCL, positions in one file.
struct Reader<'a, 'm> {
    module: &'a Module<'m>,
    file: usize,
    unknowns: Vec<Unknown>,
}

impl<'a, 'm> Reader<'a, 'm> {
    fn new(module: &'a Module<'m>, file: usize) -> Self {
        Reader {
            module,
            file,
            unknowns: Vec::new(),
        }
    }

    fn text(&mut self, v: &TfVal, at: Span) -> Node<'static> {
        let content = match v {
            TfVal::Scalar(eval::Value::Bool(b)) => Content::Text(Cow::Owned(b.to_string())),
            TfVal::Scalar(s) => match s.as_text() {
                Some(t) => Content::Text(Cow::Owned(t)),
                None => {
                    let expression = match s {
                        eval::Value::Unknown(x) | eval::Value::Partial { expr: x, .. } => x.clone(),
                        _ => String::new(),
                    };
                    self.unknowns.push(Unknown {
                        span: at,
                        expression: expression.clone(),
                        keep: eval::Keep::NONE,
                    });
                    Content::Text(Cow::Owned(expression))
                }
            },
            TfVal::List(items) => Content::Array(items.iter().map(|i| self.text(i, at)).collect()),
            TfVal::Map(members) => Content::Object(
                members
                    .iter()
                    .map(|(k, v)| eval::member(k, at, at, self.text(v, at)))
                    .collect(),
            ),
            TfVal::Null => Content::Null,
        };
        Node { content, span: at }
    }

    /// An HCL value (the argument of `jsonencode`), objects and lists walked so that each
    /// member keeps its own position.
    fn value(&mut self, e: &Expression, depth: usize) -> Node<'static> {
        let at = span_of(e);
        if depth > hcl::MAX_DEPTH {
            let v = TfVal::unknown(
                self.module
                    .in_file(self.file, || hcl::Scope::source(self.module, at)),
            );
            return self.text(&v, at);
        }
        match e {
            Expression::Object(o) => {
                let mut members = Vec::new();
                for (k, v) in o.iter() {
                    let (name, name_span) = match k {
                        ObjectKey::Ident(i) => (Some(i.as_str().to_string()), span(i.span())),
                        ObjectKey::Expression(x) => {
                            (self.module.eval_in(self.file, x, 0).text(), span_of(x))
                        }
                    };
                    let value = self.value(v.expr(), depth + 1);
                    let whole = name_span.cover(value.span);
                    match name {
                        Some(n) => members.push(eval::member(&n, name_span, whole, value)),
                        None => {
                            // A key only known at deployment: the member is unknown as a whole.
                            let v = TfVal::unknown(
                                self.module
                                    .in_file(self.file, || hcl::Scope::source(self.module, whole)),
                            );
                            let node = self.text(&v, whole);
                            members.push(eval::member("", name_span, whole, node));
                        }
                    }
                }
                Node {
                    content: Content::Object(members),
                    span: at,
                }
            }
            Expression::Array(items) => Node {
                content: Content::Array(items.iter().map(|i| self.value(i, depth + 1)).collect()),
                span: at,
            },
            Expression::Parenthesis(p) => self.value(p.inner(), depth + 1),
            _ => {
                let v = self.module.eval_in(self.file, e, depth);
                self.text(&v, at)
            }
        }
    }

    /// JSON written as a string or heredoc; `None` when its text is not known.
    fn json_text(&mut self, e: &Expression) -> Option<Node<'static>> {
        let (text, map) = self.template_text(e)?;
        let mut diagnostics = Vec::new();
        let tree = crate::parse::json::parse_tree_into(&text, &mut diagnostics)?;
        let mut root = eval::own(tree);
        self.place(&mut root, &map);
        Some(root)
    }

    /// The text of a string or heredoc, with the pieces it is made of in the file.
    fn template_text(&self, e: &Expression) -> Option<(String, Vec<Piece>)> {
        let file_text = self
            .module
            .files
            .get(self.file)
            .map_or("", |f| f.text.as_str());
        let mut text = String::new();
        let mut map = Vec::new();
        let elements: Vec<&Element> = match e {
            Expression::String(s) => {
                let at = span_of(e);
                // Inside the quotes.
                let inner = Span::new(
                    at.start as usize + 1,
                    (at.end as usize)
                        .saturating_sub(1)
                        .max(at.start as usize + 1),
                );
                map.push(Piece::literal(0, s.value(), inner, file_text));
                return Some((s.value().to_string(), map));
            }
            Expression::StringTemplate(t) => t.iter().collect(),
            Expression::HeredocTemplate(h) => h.template.iter().collect(),
            _ => return None,
        };
        for el in elements {
            match el {
                Element::Literal(l) => {
                    map.push(Piece::literal(
                        text.len(),
                        l.value(),
                        span(l.span()),
                        file_text,
                    ));
                    text.push_str(l.value());
                }
                Element::Interpolation(i) => {
                    let at = span(i.span());
                    let (value, unknown) = match self.module.eval_in(self.file, &i.expr, 0).text() {
                        Some(v) => (v, None),
                        None => {
                            let shown = self
                                .module
                                .in_file(self.file, || hcl::Scope::source(self.module, at));
                            // Quotes would end the JSON string it sits in.
                            (shown.replace(['"', '\\'], ""), Some(shown))
                        }
                    };
                    map.push(Piece {
                        at: text.len(),
                        len: value.len(),
                        file: at,
                        unknown,
                        offsets: None,
                    });
                    text.push_str(&value);
                }
                Element::Directive(_) => return None,
            }
        }
        Some((text, map))
    }

    /// Move the spans of a tree parsed from a template's text into the file.
    fn place(&mut self, node: &mut Node<'static>, map: &[Piece]) {
        let (span, unknown) = to_file(node.span, map);
        node.span = span;
        if let (Some(expression), Content::Text(_)) = (unknown, &node.content) {
            self.unknowns.push(Unknown {
                span,
                expression,
                keep: eval::Keep::NONE,
            });
        }
        match &mut node.content {
            Content::Object(ms) => {
                for m in ms {
                    m.name_span = to_file(m.name_span, map).0;
                    m.span = to_file(m.span, map).0;
                    self.place(&mut m.value, map);
                }
            }
            Content::Array(items) => {
                for i in items {
                    self.place(i, map);
                }
            }
            _ => {}
        }
    }

    /// A `data "aws_iam_policy_document"` as the provider renders it to JSON.
    fn document(&mut self, d: &Block, hops: usize) -> Node<'static> {
        let at = span(d.span());
        let mut members = Vec::new();
        let version = match attr(d, "version") {
            Some(e) => self.value(e, 0),
            None => text_node("2012-10-17", span(d.ident.span())),
        };
        members.push(eval::member("Version", version.span, version.span, version));
        let mut statements = Vec::new();
        // Source documents come first; this document's statements are added after them.
        for list in ["source_policy_documents", "override_policy_documents"] {
            if let Some(Expression::Array(items)) = attr(d, list) {
                for item in items.iter() {
                    statements.extend(self.included(item, hops));
                }
            }
        }
        for b in d.body.blocks().filter(|b| b.ident.as_str() == "statement") {
            statements.push(self.statement(b));
        }
        members.push(eval::member(
            "Statement",
            at,
            at,
            eval::array(statements, at),
        ));
        eval::object(members, at)
    }

    /// The statements of a document listed in `source_policy_documents`: another data
    /// source of the module, else one statement that stands for what is not known.
    fn included(&mut self, e: &Expression, hops: usize) -> Vec<Node<'static>> {
        let path = hcl::traversal_path(e).unwrap_or_default();
        if hops < MAX_HOPS
            && path.len() == 4
            && path[0] == "data"
            && path[1] == "aws_iam_policy_document"
        {
            if let Some((_, _, d)) = self
                .module
                .data
                .iter()
                .find(|(t, n, _)| t == "aws_iam_policy_document" && *n == path[2])
            {
                let mut r = Reader::new(self.module, d.file);
                let doc = r.document(d.item, hops + 1);
                // Their spans are in another file maybe; findings there point at this item.
                let at = span_of(e);
                if d.file != self.file {
                    let mut doc = doc;
                    respan(&mut doc, at);
                    self.unknowns
                        .extend(r.unknowns.into_iter().map(|u| Unknown { span: at, ..u }));
                    return statements_of(doc);
                }
                self.unknowns.extend(r.unknowns);
                return statements_of(doc);
            }
        }
        let at = span_of(e);
        let v = TfVal::unknown(
            self.module
                .in_file(self.file, || hcl::Scope::source(self.module, at)),
        );
        let action = self.text(&v, at);
        let resource = self.text(&v, at);
        vec![eval::object(
            vec![
                eval::member("Effect", at, at, text_node("Allow", at)),
                eval::member("Action", at, at, action),
                eval::member("Resource", at, at, resource),
            ],
            at,
        )]
    }

    fn statement(&mut self, b: &Block) -> Node<'static> {
        let at = span(b.span());
        let mut members = Vec::new();
        let mut effect = None;
        for a in b.body.attributes() {
            let name = match a.key.as_str() {
                "sid" => "Sid",
                "effect" => "Effect",
                "actions" => "Action",
                "not_actions" => "NotAction",
                "resources" => "Resource",
                "not_resources" => "NotResource",
                _ => continue,
            };
            let value = self.value(&a.value, 0);
            let key = span(a.key.span());
            if name == "Effect" {
                effect = Some(());
            }
            members.push(eval::member(name, key, key.cover(value.span), value));
        }
        if effect.is_none() {
            members.push(eval::member(
                "Effect",
                span(b.ident.span()),
                span(b.ident.span()),
                text_node("Allow", span(b.ident.span())),
            ));
        }
        for (kind, name) in [
            ("principals", "Principal"),
            ("not_principals", "NotPrincipal"),
        ] {
            let blocks: Vec<&Block> = b
                .body
                .blocks()
                .filter(|x| x.ident.as_str() == kind)
                .collect();
            if blocks.is_empty() {
                continue;
            }
            let mut entries: Vec<Member<'static>> = Vec::new();
            let mut whole = span(blocks[0].span());
            for p in &blocks {
                whole = whole.cover(span(p.span()));
                let ty = attr(p, "type")
                    .map(|e| (self.module.eval_in(self.file, e, 0).text(), span_of(e)));
                let ids = attr(p, "identifiers").map(|e| self.value(e, 0));
                if let (Some((Some(ty), ty_span)), Some(ids)) = (ty, ids) {
                    entries.push(eval::member(&ty, ty_span, ty_span.cover(ids.span), ids));
                }
            }
            // `type = "*"` with `identifiers = ["*"]` is rendered as `"Principal": "*"`.
            let value = if entries.len() == 1 && entries[0].name == "*" {
                text_node("*", entries[0].value.span)
            } else {
                eval::object(entries, whole)
            };
            members.push(eval::member(name, whole, whole, value));
        }
        let conditions: Vec<&Block> = b
            .body
            .blocks()
            .filter(|x| x.ident.as_str() == "condition")
            .collect();
        if !conditions.is_empty() {
            let mut ops: Vec<Member<'static>> = Vec::new();
            let mut whole = span(conditions[0].span());
            for c in &conditions {
                whole = whole.cover(span(c.span()));
                let test = attr(c, "test")
                    .map(|e| (self.module.eval_in(self.file, e, 0).text(), span_of(e)));
                let variable = attr(c, "variable")
                    .map(|e| (self.module.eval_in(self.file, e, 0).text(), span_of(e)));
                let values = attr(c, "values").map(|e| self.value(e, 0));
                let (Some((Some(test), test_span)), Some((Some(var), var_span)), Some(values)) =
                    (test, variable, values)
                else {
                    continue;
                };
                let entry = eval::member(&var, var_span, var_span.cover(values.span), values);
                match ops.iter_mut().find(|o| o.name == test.as_str()) {
                    Some(o) => {
                        if let Content::Object(ms) = &mut o.value.content {
                            ms.push(entry);
                        }
                    }
                    None => ops.push(eval::member(
                        &test,
                        test_span,
                        span(c.span()),
                        eval::object(vec![entry], span(c.span())),
                    )),
                }
            }
            members.push(eval::member(
                "Condition",
                whole,
                whole,
                eval::object(ops, whole),
            ));
        }
        eval::object(members, at)
    }
}

fn text_node(s: &str, at: Span) -> Node<'static> {
    Node {
        content: Content::Text(Cow::Owned(s.to_string())),
        span: at,
    }
}

fn statements_of(doc: Node<'static>) -> Vec<Node<'static>> {
    let Content::Object(ms) = doc.content else {
        return Vec::new();
    };
    ms.into_iter()
        .find(|m| m.name == "Statement")
        .and_then(|m| match m.value.content {
            Content::Array(items) => Some(items),
            _ => None,
        })
        .unwrap_or_default()
}

fn respan(node: &mut Node<'static>, at: Span) {
    node.span = at;
    match &mut node.content {
        Content::Object(ms) => {
            for m in ms {
                m.name_span = at;
                m.span = at;
                respan(&mut m.value, at);
            }
        }
        Content::Array(items) => items.iter_mut().for_each(|i| respan(i, at)),
        _ => {}
    }
}

/// A piece of a string template: a literal or an interpolation.
struct Piece {
    /// Offset and length in the template's text.
    at: usize,
    len: usize,
    /// Where it is written.
    file: Span,
    /// The expression of an interpolation the code does not fix.
    unknown: Option<String>,
    /// For a literal whose written form differs from its value (a `<<-` heredoc's
    /// indentation, escapes): the file offset of each byte of the value.
    offsets: Option<Vec<u32>>,
}

impl Piece {
    fn literal(at: usize, value: &str, file: Span, file_text: &str) -> Piece {
        let raw = file_text.get(file.range()).unwrap_or("");
        let offsets = (raw != value)
            .then(|| align(value, raw, file.start))
            .flatten();
        Piece {
            at,
            len: value.len(),
            file,
            unknown: None,
            offsets,
        }
    }

    /// The file offset of byte `i` of this piece (`end`: the offset just after it).
    fn offset(&self, i: usize, end: bool) -> usize {
        let exact = self.unknown.is_none() && self.file.len() == self.len;
        if exact {
            return self.file.start as usize + (i + usize::from(end)).min(self.len);
        }
        match &self.offsets {
            Some(o) if self.unknown.is_none() => o
                .get(i.min(o.len().saturating_sub(1)))
                .map_or(self.file.start as usize, |&x| x as usize + usize::from(end)),
            _ if end => self.file.end as usize,
            _ => self.file.start as usize,
        }
    }
}

/// Match each byte of `value` with the byte of `raw` it was written as, skipping what the
/// written form adds (indentation a `<<-` heredoc strips, the `$` of `$${`, a `\\`).
fn align(value: &str, raw: &str, base: u32) -> Option<Vec<u32>> {
    let (v, r) = (value.as_bytes(), raw.as_bytes());
    let mut out = Vec::with_capacity(v.len());
    let mut j = 0;
    for &c in v {
        while j < r.len() && r[j] != c {
            j += 1;
        }
        if j == r.len() {
            return None;
        }
        out.push(base + j as u32);
        j += 1;
    }
    Some(out)
}

/// A span in a template's text -> the file, and the unknown expression it lies in, if any.
fn to_file(s: Span, map: &[Piece]) -> (Span, Option<String>) {
    let piece = |offset: usize| {
        map.iter()
            .find(|p| offset >= p.at && offset < p.at + p.len.max(1))
            .or(map.last())
    };
    let (a, b) = (
        s.start as usize,
        (s.end as usize).max(s.start as usize + 1) - 1,
    );
    let (Some(pa), Some(pb)) = (piece(a), piece(b)) else {
        return (s, None);
    };
    let start = pa.offset(a.saturating_sub(pa.at), false);
    let end = if s.is_empty() {
        start
    } else {
        pb.offset(b.saturating_sub(pb.at), true)
    };
    // Unknown when any interpolation the code does not fix lies within it, also between
    // two literals (`"s3.${data.aws_partition.current.dns_suffix}"`).
    let unknown = map
        .iter()
        .filter(|p| p.at <= b && a < p.at + p.len.max(1))
        .find_map(|p| p.unknown.clone());
    (Span::new(start, end.max(start)), unknown)
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
            if let Some(p) = hcl::traversal_path(e) {
                out.push(p);
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
