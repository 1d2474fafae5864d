//! The [`Builder`] of one configuration's tree: Terraform blocks and arguments translated to
//! the request's members (rules, filters, tags), with unknown values and findings recorded.
use super::{api, dynamic, span, tf_field, Module};
use crate::catalogue::parse as codes;
use crate::context::DeploymentContext;
use crate::diagnostic::{Diagnostic, Severity};
use crate::iac::eval::{self, Names, Value};
use crate::iac::hcl::{self, span_of, Scope, TfVal};
use crate::iac::{InferredFact, Unknown};
use crate::schema::{self, and, filter, rule, Kind, Shape};
use crate::source::{LineIndex, Span};
use crate::syntax::{Member, Node};
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Structure};
use hcl_edit::Span as _;

/// Builds one configuration's tree and facts.
pub(super) struct Builder<'m, 'x> {
    pub(super) module: &'x Module<'m>,
    pub(super) file: usize,
    pub(super) unknowns: Vec<Unknown>,
    pub(super) tainted: Vec<Span>,
    pub(super) diagnostics: Vec<Diagnostic>,
    pub(super) facts: Vec<InferredFact>,
    pub(super) context: DeploymentContext,
    pub(super) index: LineIndex,
    pub(super) path: String,
    /// Blocks made so far by expanding `dynamic` blocks (bounded by [`MAX_EXPANDED`]).
    pub(super) expanded: usize,
}

/// The blocks `dynamic` blocks may make for one configuration: S3 takes at most 1000 rules,
/// and nested dynamic blocks multiply (a list of 3000 items nested in itself would make nine
/// million); past this they are read once, not verified.
pub(super) const MAX_EXPANDED: usize = 4000;

impl<'m> Builder<'m, '_> {
    pub(super) fn eval(&mut self, e: &Expression) -> TfVal {
        self.module.eval_in(self.file, e, 0)
    }

    /// A scalar attribute, with unknown values recorded.
    pub(super) fn scalar(&mut self, e: &Expression, kind: &Kind) -> Option<Node<'static>> {
        let s = span_of(e);
        match self.eval(e) {
            TfVal::Null => None,
            TfVal::Scalar(v) => {
                let v = match v {
                    Value::Unknown(expr) => self
                        .key_of_module(e)
                        .or_else(|| self.key_of_data(e))
                        .or_else(|| self.role_of_module(e))
                        .or_else(|| self.bucket_of_module(e))
                        .unwrap_or(Value::Unknown(expr)),
                    v => v,
                };
                self.unknowns.extend(v.unknown_at(s));
                Some(eval::scalar(&v, kind, s))
            }
            _ => {
                self.unknowns.push(Unknown {
                    span: s,
                    expression: self.module.source(s),
                    keep: eval::Keep::NONE,
                });
                Some(eval::scalar(
                    &Value::Unknown(self.module.source(s)),
                    kind,
                    s,
                ))
            }
        }
    }

    /// `v`, or, when it is the empty string only a root variable's default gives (which the
    /// provider would leave out: `var.replica_arn` defaulting to `""` until the caller sets
    /// it), the value as unknown: `-var` may well set it, so what its absence would cause
    /// is not verified.
    pub(super) fn unless_root_default_empty(
        &mut self,
        e: &Expression,
        v: Node<'static>,
        kind: &Kind,
    ) -> Node<'static> {
        if !is_empty_text(&v) {
            return v;
        }
        let (_, overridable) = super::measured(|| self.eval(e));
        if !overridable {
            return v;
        }
        let s = span_of(e);
        let expression = self.module.in_file(self.file, || self.module.source(s));
        self.unknowns.push(Unknown {
            span: s,
            expression: expression.clone(),
            keep: eval::Keep::NONE,
        });
        eval::scalar(&Value::Unknown(expression), kind, s)
    }

    /// A destination's `bucket` read as `node`: a value the code leaves to deployment by the
    /// text the same expression has in the policies ([`Module::expression_stand_in`]), so
    /// a role policy naming the bucket the same way is read as naming it. Findings on it stay
    /// "not verified".
    pub(super) fn bucket_stand_in(
        &mut self,
        e: &Expression,
        node: Node<'static>,
        kind: &Kind,
    ) -> Node<'static> {
        let s = span_of(e);
        let plain = self
            .unknowns
            .iter()
            .rposition(|u| u.span == s && u.keep == eval::Keep::NONE);
        let (Some(i), Some(text)) = (plain, self.module.expression_stand_in(self.file, e)) else {
            return node;
        };
        let v = Value::Partial {
            text,
            expr: self.unknowns[i].expression.clone(),
            keep: eval::Keep::NONE,
        };
        eval::scalar(&v, kind, s)
    }

    /// `aws_kms_key.k.arn` of a key declared here: its ARN is unknown until apply, but its
    /// Region is its provider's, so the Region check still runs on it.
    fn key_of_module(&mut self, e: &Expression) -> Option<Value> {
        let p = hcl::traversal_path(e)?;
        let (owner, name, key) = self.module.key_resource(e)?;
        let (region, file, rspan, from) = owner.region_of(key)?;
        self.fact_at(
            &format!("region of {}aws_kms_key.{name}", owner.prefix),
            &region,
            file,
            rspan,
            from,
        );
        let partition = self.module.partition().unwrap_or_else(|| "aws".into());
        let account = owner.account_of(key).map(|a| a.0);
        // An instance of a key with `count` or `for_each` (`aws_kms_key.k[1].arn`) is a key
        // of its own.
        let instance = match self
            .module
            .in_frame(self.file, e, || hcl::resolved_reference(e, self.module))
            .as_deref()
        {
            Some([ty, _, i, ..]) if ty == "aws_kms_key" && i.starts_with('[') => owner
                .instance_of(key, i, 0)
                .flatten()
                .map_or(String::new(), |k| k.address()),
            _ => String::new(),
        };
        Some(eval::key_stand_in(
            p.join("."),
            &format!("{}aws_kms_key.{name}{instance}", owner.prefix),
            &partition,
            &region,
            account.as_deref(),
        ))
    }

    /// `aws_s3_bucket.b.arn` (`.id`, `.bucket`) of a bucket declared here (or passed by the
    /// caller) whose name the code does not fix: which bucket it is is known, so its Region,
    /// versioning and encryption are read for the checks that need only those.
    /// An instance of a resource with `count` or `for_each` (`aws_s3_bucket.b[0].arn`,
    /// `[count.index]`) has a stand-in of its own: two instances are two buckets.
    fn bucket_of_module(&mut self, e: &Expression) -> Option<Value> {
        let full = self
            .module
            .in_frame(self.file, e, || hcl::resolved_reference(e, self.module))
            .or_else(|| hcl::traversal_path(e))?;
        let (owner, name, r) = self.module.bucket_resource(e, None)?;
        // The instance named, with its `each.value` when the resource has `for_each`.
        let bound = match full.as_slice() {
            [ty, _, key, _, ..] if ty == "aws_s3_bucket" && key.starts_with('[') => {
                owner.instance_of(r, key, 0).flatten()
            }
            _ => None,
        };
        let fixed = match &bound {
            Some(k) => owner.with_instance(r, k, || owner.attr_of(r, "bucket", 0)),
            None => owner.attr_of(r, "bucket", 0),
        };
        if fixed.and_then(|v| v.text()).is_some() {
            return None;
        }
        let generated = match &bound {
            Some(k) => owner.generated_instance_bucket(&name, k),
            None => owner.generated_bucket(&name),
        };
        let partition = self.module.partition().unwrap_or_else(|| "aws".into());
        let text = match full.last().map(String::as_str) {
            Some("arn") => format!("arn:{partition}:s3:::{generated}"),
            Some("id" | "bucket") => generated,
            _ => return None,
        };
        Some(Value::Partial {
            text,
            expr: hcl::display_path(&full),
            keep: eval::Keep::Only(eval::BUCKET_IDENTITY_CHECKS),
        })
    }

    /// `aws_iam_role.r.arn` of a role declared here: an ARN once deployed (see
    /// [`eval::role_stand_in`]).
    fn role_of_module(&mut self, e: &Expression) -> Option<Value> {
        let p = hcl::traversal_path(e)?;
        if p.len() != 3 || p[0] != "aws_iam_role" || p[2] != "arn" {
            return None;
        }
        self.module.role_stand_in(&p[1])
    }

    pub(super) fn fact_at(&mut self, field: &str, value: &str, file: usize, s: Span, from: String) {
        let line = if file == self.file {
            self.index
                .position(&self.module.files[file].text, s.start)
                .line
        } else {
            let t = &self.module.files[file].text;
            LineIndex::new(t).position(t, s.start).line
        };
        self.facts.push(InferredFact {
            field: field.to_string(),
            value: value.to_string(),
            file: self.module.files[file].path.clone(),
            line,
            from,
        });
    }

    pub(super) fn unknown_name(
        &mut self,
        name: &str,
        name_span: Span,
        shape: &Shape,
        extra: &[&str],
    ) {
        let mut allowed = eval::names_in(shape, Names::Terraform);
        allowed.extend_from_slice(extra);
        let mut d = Diagnostic::new(
            codes::UNKNOWN_MEMBER.code,
            codes::UNKNOWN_MEMBER.severity,
            name_span,
            self.path.clone(),
            format!(
                "Unsupported argument or block `{name}` in `{}` (Terraform)",
                self.path
            ),
        );
        d = d.with_help(match crate::lower::did_you_mean(name, &allowed) {
            Some(s) => format!("Did you mean `{s}`? Allowed here: {}.", allowed.join(", ")),
            None => format!("Allowed here: {}.", allowed.join(", ")),
        });
        self.diagnostics.push(d);
    }

    pub(super) fn unsupported(&mut self, s: Span, what: String) {
        self.tainted.push(s);
        // A block made once per element of a `dynamic` block says it once.
        if self
            .diagnostics
            .iter()
            .any(|d| d.span == s && d.message == what)
        {
            return;
        }
        self.diagnostics.push(Diagnostic::new(
            codes::UNSUPPORTED_CONSTRUCT.code,
            Severity::Info,
            s,
            self.path.clone(),
            what,
        ));
    }

    /// A block whose members map one to one onto `shape` (destination, metrics, ...).
    pub(super) fn block(&mut self, b: &Block, shape: &'static Shape) -> Node<'static> {
        let mut out = Vec::new();
        for st in b.body.iter() {
            match st {
                Structure::Attribute(a) => {
                    let name = a.key.as_str();
                    let f = eval::field(shape, name, Names::Terraform)
                        .filter(|f| !matches!(f.kind, Kind::Struct(_)));
                    let Some(f) = f else {
                        self.unknown_name(name, span(a.key.span()), shape, &[]);
                        continue;
                    };
                    // The provider's expanders send none of these strings when empty
                    // (`ok && v != ""`): `account = ""` is no Account at all. (An empty tag
                    // key or value is kept: S3 refuses the tag either way, and S3R224 says
                    // why better than a missing member.)
                    let keep_empty = std::ptr::eq(shape, &schema::TAG);
                    let mut v = self
                        .scalar(&a.value, &f.kind)
                        .map(|v| self.unless_root_default_empty(&a.value, v, &f.kind));
                    if std::ptr::eq(shape, &schema::DESTINATION) && f.json == "Bucket" {
                        v = v.map(|v| self.bucket_stand_in(&a.value, v, &f.kind));
                    }
                    if let Some(v) = v.filter(|v| keep_empty || !is_empty_text(v)) {
                        out.push(eval::member(f.json, span(a.key.span()), span(a.span()), v));
                    }
                }
                Structure::Block(inner) => {
                    let Some(blocks) = self.blocks(inner) else {
                        continue;
                    };
                    let name = blocks.label;
                    let f = eval::field(shape, name, Names::Terraform);
                    let Some((f, Kind::Struct(s))) = f.map(|f| (f, &f.kind)) else {
                        self.unknown_name(name, span(inner.ident.span()), shape, &[]);
                        continue;
                    };
                    for (content, binding) in &blocks.each {
                        let len = self.enter(name);
                        let v = self.bound(binding, |b| b.block(content, s));
                        self.path.truncate(len);
                        out.push(eval::member(
                            f.json,
                            span(content.ident.span()),
                            span(content.span()),
                            v,
                        ));
                    }
                }
            }
        }
        eval::object(out, span(b.span()))
    }

    fn enter(&mut self, name: &str) -> usize {
        let len = self.path.len();
        self.path.push('.');
        self.path.push_str(name);
        len
    }

    /// `aws_s3_bucket_replication_configuration`'s `rule` -> an API rule. Names come from the
    /// schema's Terraform column; what is explicit here is where the provider's expander
    /// differs from a one-to-one copy (an empty `id` is not sent; `filter`, `prefix` and
    /// `priority` decide V1 or V2 together).
    pub(super) fn rule(&mut self, b: &Block) -> Node<'static> {
        let rs = span(b.span());
        let at = span(b.ident.span());
        let mut out: Vec<Member<'static>> = Vec::new();
        let mut filter: Option<(&Block, Vec<dynamic::Binding>)> = None;
        let mut prefix: Option<&hcl_edit::structure::Attribute> = None;
        let mut priority: Option<&hcl_edit::structure::Attribute> = None;
        for st in b.body.iter() {
            match st {
                Structure::Attribute(a) => {
                    let name = a.key.as_str();
                    let ks = span(a.key.span());
                    let Some((i, f)) = tf_field(&schema::RULE, name)
                        .filter(|(_, f)| !matches!(f.kind, Kind::Struct(_)))
                    else {
                        self.unknown_name(name, ks, &schema::RULE, &[]);
                        continue;
                    };
                    match i {
                        rule::PREFIX => prefix = Some(a),
                        rule::PRIORITY => priority = Some(a),
                        _ => {
                            let v = self.scalar(&a.value, &f.kind);
                            // `id` is sent only when non-empty.
                            let sent = v.filter(|v| {
                                i != rule::ID || !matches!(&v.content, crate::syntax::Content::Text(t) if t.is_empty())
                            });
                            if let Some(v) = sent {
                                out.push(eval::member(f.json, ks, span(a.span()), v));
                            }
                        }
                    }
                }
                Structure::Block(block) => {
                    let Some(blocks) = self.blocks(block) else {
                        continue;
                    };
                    let name = blocks.label;
                    for (inner, binding) in blocks.each {
                        let is = span(inner.ident.span());
                        let len = self.enter(name);
                        match tf_field(&schema::RULE, name) {
                            // Read after the rule's other members, as it is read here.
                            Some((rule::FILTER, _)) => {
                                let mut scope = self.scope_now();
                                scope.extend(binding);
                                filter = Some((inner, scope));
                            }
                            Some((_, f)) => {
                                if let Kind::Struct(shape) = f.kind {
                                    let v = self.bound(&binding, |b| b.block(inner, shape));
                                    out.push(eval::member(f.json, is, span(inner.span()), v));
                                } else {
                                    self.unknown_name(name, is, &schema::RULE, &[]);
                                }
                            }
                            None => self.unknown_name(name, is, &schema::RULE, &[]),
                        }
                        self.path.truncate(len);
                    }
                }
            }
        }
        match filter {
            Some((fb, scope)) => {
                let len = self.enter(schema::RULE.fields[rule::FILTER].tf);
                let f = self.in_scope(scope, |b| b.filter(fb));
                self.path.truncate(len);
                out.push(eval::member(
                    api(&schema::RULE, rule::FILTER),
                    span(fb.ident.span()),
                    span(fb.span()),
                    f,
                ));
                // V2: Priority is always sent, 0 when not set.
                // Positioned on the attribute when written, else on the rule.
                let (ks, ms) = priority.map_or((at, at), |a| (span(a.key.span()), span(a.span())));
                let p = priority.and_then(|a| self.scalar(&a.value, &Kind::Integer));
                let p =
                    p.unwrap_or_else(|| eval::scalar(&Value::Num("0".into()), &Kind::Integer, at));
                out.push(eval::member(api(&schema::RULE, rule::PRIORITY), ks, ms, p));
                if let Some(a) = prefix {
                    self.dropped(span_of(&a.value), "`prefix` is ignored: this rule has a `filter` block, so the provider sends the filter (a V2 rule) and drops the rule-level prefix");
                }
            }
            None => {
                // V1: Prefix is always sent ("" = the whole bucket); priority is dropped.
                let (ks, ms) = prefix.map_or((at, at), |a| (span(a.key.span()), span(a.span())));
                let p = prefix.and_then(|a| self.scalar(&a.value, &Kind::String));
                let p = p
                    .unwrap_or_else(|| eval::scalar(&Value::Str(String::new()), &Kind::String, at));
                out.push(eval::member(api(&schema::RULE, rule::PREFIX), ks, ms, p));
                if let Some(a) = priority {
                    self.dropped(span_of(&a.value), "`priority` is not sent: without a `filter` block this is a V1 rule, and the provider sends no Priority for it; add `filter {}` to make it a V2 rule");
                }
            }
        }
        eval::object(out, rs)
    }

    fn dropped(&mut self, s: Span, message: &str) {
        self.diagnostics.push(Diagnostic::new(
            codes::IAC_VALUE_DROPPED.code,
            codes::IAC_VALUE_DROPPED.severity,
            s,
            self.path.clone(),
            message.to_string(),
        ));
    }

    /// The provider's filter precedence: `and`, replaced by `tag`; `prefix` only if neither.
    pub(super) fn filter(&mut self, fb: &Block) -> Node<'static> {
        let fs = span(fb.span());
        let mut prefix: Option<Member<'static>> = None;
        let mut tag: Option<Member<'static>> = None;
        let mut and: Option<Member<'static>> = None;
        for st in fb.body.iter() {
            match st {
                Structure::Attribute(a) => {
                    let name = a.key.as_str();
                    match tf_field(&schema::FILTER, name) {
                        Some((filter::PREFIX, f)) => {
                            if let Some(v) = self.scalar(&a.value, &f.kind) {
                                prefix = Some(eval::member(
                                    f.json,
                                    span(a.key.span()),
                                    span(a.span()),
                                    v,
                                ));
                            }
                        }
                        _ => self.unknown_name(name, span(a.key.span()), &schema::FILTER, &[]),
                    }
                }
                Structure::Block(block) => {
                    let Some(blocks) = self.blocks(block) else {
                        continue;
                    };
                    let name = blocks.label;
                    for (b, binding) in blocks.each {
                        let (is, bs) = (span(b.ident.span()), span(b.span()));
                        match tf_field(&schema::FILTER, name) {
                            Some((filter::TAG, f)) => {
                                let len = self.enter(name);
                                let v = self.bound(&binding, |x| x.block(b, &schema::TAG));
                                self.path.truncate(len);
                                tag = Some(eval::member(f.json, is, bs, v));
                            }
                            Some((filter::AND, f)) => {
                                let len = self.enter(name);
                                let v = self.bound(&binding, |x| x.and(b));
                                self.path.truncate(len);
                                and = Some(eval::member(f.json, is, bs, v));
                            }
                            _ => self.unknown_name(name, is, &schema::FILTER, &[]),
                        }
                    }
                }
            }
        }
        let chosen = match (tag, and, prefix) {
            (Some(t), and, prefix) => {
                if let Some(a) = and {
                    self.dropped(
                        a.name_span,
                        "`and` is dropped: the provider sends only the `tag` when both are set",
                    );
                }
                if let Some(p) = prefix {
                    self.dropped(p.value.span, "`prefix` is dropped: the provider sends only the `tag` when both are set; use `and { prefix = ..., tags = {...} }`");
                }
                t
            }
            (None, Some(a), prefix) => {
                if let Some(p) = prefix {
                    self.dropped(p.value.span, "`prefix` is dropped: the provider sends only the `and` block when both are set; put the prefix inside `and`");
                }
                a
            }
            (None, None, Some(p)) => p,
            // `filter {}`: the provider sends an empty prefix (every object).
            (None, None, None) => {
                let at = span(fb.ident.span());
                eval::member(
                    api(&schema::FILTER, filter::PREFIX),
                    at,
                    at,
                    eval::scalar(&Value::Str(String::new()), &Kind::String, at),
                )
            }
        };
        eval::object(vec![chosen], fs)
    }

    /// `and { prefix, tags = { k = "v" } }`: empty prefix and empty tags are omitted. `tags`
    /// is where Terraform's shape differs from the API's: a map, not a list of `Tag`s.
    fn and(&mut self, b: &Block) -> Node<'static> {
        let mut out = Vec::new();
        for st in b.body.iter() {
            match st {
                Structure::Attribute(a) => {
                    let name = a.key.as_str();
                    let (ks, ms) = (span(a.key.span()), span(a.span()));
                    match tf_field(&schema::AND, name) {
                        Some((and::PREFIX, f)) => {
                            let v = self.scalar(&a.value, &f.kind).filter(|v| {
                                !matches!(&v.content, crate::syntax::Content::Text(t) if t.is_empty())
                            });
                            if let Some(v) = v {
                                out.push(eval::member(f.json, ks, ms, v));
                            }
                        }
                        Some((and::TAGS, f)) => {
                            if let Some(tags) = self.tags(&a.value) {
                                out.push(eval::member(f.json, ks, ms, tags));
                            }
                        }
                        _ => self.unknown_name(name, ks, &schema::AND, &[]),
                    }
                }
                Structure::Block(inner) => self.unknown_name(
                    inner.ident.as_str(),
                    span(inner.ident.span()),
                    &schema::AND,
                    &[],
                ),
            }
        }
        eval::object(out, span(b.span()))
    }

    /// A `tags` map -> `[{Key, Value}]`, each positioned on its own line of the map.
    pub(super) fn tags(&mut self, e: &Expression) -> Option<Node<'static>> {
        let s = span_of(e);
        if let Expression::Object(o) = e {
            let mut items = Vec::new();
            for (k, v) in o.iter() {
                let ks = match k {
                    hcl_edit::expr::ObjectKey::Ident(i) => span(i.span()),
                    hcl_edit::expr::ObjectKey::Expression(x) => span_of(x),
                };
                let key = match k {
                    hcl_edit::expr::ObjectKey::Ident(i) => Value::Str(i.as_str().to_string()),
                    hcl_edit::expr::ObjectKey::Expression(x) => match self.eval(x) {
                        TfVal::Scalar(v) => v,
                        _ => Value::Unknown(self.module.source(ks)),
                    },
                };
                if let Value::Unknown(expr) = &key {
                    self.unknowns.push(Unknown {
                        span: ks,
                        expression: expr.clone(),
                        keep: eval::Keep::NONE,
                    });
                }
                if key.as_text().is_some_and(|k| k.starts_with("aws:")) {
                    continue; // the provider drops `aws:` keys
                }
                let value = self.scalar(v.expr(), &Kind::String).unwrap_or_else(|| {
                    eval::scalar(&Value::Str(String::new()), &Kind::String, span_of(v.expr()))
                });
                let whole = ks.cover(value.span);
                items.push(eval::object(
                    vec![
                        eval::member("Key", ks, ks, eval::scalar(&key, &Kind::String, ks)),
                        eval::member("Value", ks, whole, value),
                    ],
                    whole,
                ));
            }
            return (!items.is_empty()).then(|| eval::array(items, s));
        }
        match self.eval(e) {
            TfVal::Map(m) => {
                let items: Vec<Node<'static>> = m
                    .into_iter()
                    .filter(|(k, _)| !k.starts_with("aws:"))
                    .map(|(k, v)| {
                        let v = match v {
                            TfVal::Scalar(v) => v,
                            _ => Value::Unknown(self.module.source(s)),
                        };
                        eval::object(
                            vec![
                                eval::member(
                                    "Key",
                                    s,
                                    s,
                                    eval::scalar(&Value::Str(k), &Kind::String, s),
                                ),
                                eval::member("Value", s, s, eval::scalar(&v, &Kind::String, s)),
                            ],
                            s,
                        )
                    })
                    .collect();
                (!items.is_empty()).then(|| eval::array(items, s))
            }
            TfVal::Null => None,
            _ => {
                // The tag set itself is unknown: the filter's shape is too.
                self.tainted.push(s);
                self.unknowns.push(Unknown {
                    span: s,
                    expression: self.module.source(s),
                    keep: eval::Keep::NONE,
                });
                None
            }
        }
    }
}

/// A `for_each` or `count` the code fixes to nothing: an empty list, set or map, or 0.
pub(super) fn is_empty_collection(v: &TfVal) -> bool {
    match v {
        TfVal::List(l) => l.is_empty(),
        TfVal::Map(m) => m.is_empty(),
        TfVal::Scalar(Value::Num(n)) => n.parse::<f64>().is_ok_and(|n| n == 0.0),
        _ => false,
    }
}

/// An empty string literal (a known `""`, not an unknown value).
pub(super) fn is_empty_text(v: &Node<'_>) -> bool {
    matches!(&v.content, crate::syntax::Content::Text(t) if t.is_empty())
}

pub(super) fn builder<'m, 'x>(
    module: &'x Module<'m>,
    file: usize,
    path: String,
) -> Builder<'m, 'x> {
    Builder {
        module,
        file,
        unknowns: Vec::new(),
        tainted: Vec::new(),
        diagnostics: Vec::new(),
        facts: Vec::new(),
        context: DeploymentContext::default(),
        index: LineIndex::new(&module.files[file].text),
        path,
        expanded: 0,
    }
}
