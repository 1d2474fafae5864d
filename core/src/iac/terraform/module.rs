//! What one Terraform module declares (variables, `.tfvars` values, locals, providers,
//! resources, data sources) and how its expressions are evaluated: the [`Scope`] its
//! references resolve in, and the lookups of buckets, Regions and accounts.
use super::{attr, dynamic, is_tfvars, label, measured, modules, InstanceKey, ROOT_DEFAULT_USED};
use crate::context::DeploymentContext;
use crate::iac::eval::{self, Value};
use crate::iac::hcl::{self, span_of, Scope, TfVal};
use crate::iac::SourceFile;
use crate::source::Span;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};
use hcl_edit::template::Element;
use std::cell::RefCell;
use std::collections::HashMap;

/// A declaration and the file it is in.
pub(super) struct At<'m, T> {
    pub(super) file: usize,
    pub(super) item: &'m T,
}

impl<T> Clone for At<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for At<'_, T> {}

/// What a module declares, across its files.
pub(super) struct Module<'m> {
    pub(super) files: &'m [SourceFile],
    variables: HashMap<String, At<'m, Block>>,
    /// Values from `terraform.tfvars` and `*.auto.tfvars` (what `terraform plan` reads
    /// without flags); they win over the variables' defaults.
    pub(super) tfvars: HashMap<String, At<'m, Expression>>,
    pub(super) locals: HashMap<String, At<'m, Expression>>,
    /// `aws` or `aws.<alias>` -> its block.
    pub(super) providers: HashMap<String, At<'m, Block>>,
    pub(super) resources: Vec<(String, String, At<'m, Block>)>,
    pub(super) data: Vec<(String, String, At<'m, Block>)>,
    pub(super) given: &'m DeploymentContext,
    /// The file an expression being evaluated is in (for source texts).
    current: RefCell<usize>,
    /// While reading policies: a key of this module stands for itself by the same stand-in
    /// ARN the configuration uses (see
    /// [`Builder::key_of_module`](super::Builder::key_of_module)).
    pub(super) stand_ins: std::cell::Cell<bool>,
    /// The module block this (child) module was called by; `None` for a root module.
    pub(super) caller: Option<modules::Caller<'m>>,
    /// `module.a.module.b.` for a child module, empty for a root module.
    pub(super) prefix: String,
    /// The directory of its files, normalized (`""`: the top).
    pub(super) dir: String,
    /// Indices of its files in the input list.
    pub(super) members: Vec<usize>,
    /// The iterators of the `dynamic` blocks being read, innermost last.
    pub(super) iterators: RefCell<Vec<dynamic::Binding>>,
    /// The instances of resources (or module calls) with `for_each` or `count` being read,
    /// innermost last: a configuration's own, and those of the resources its references
    /// name by index (`aws_s3_bucket.replica[1].arn`). Only each block's own expressions
    /// see its `each` or `count.index`.
    pub(super) instance: RefCell<Vec<Instance>>,
    /// The file and span of each expression being evaluated, innermost last.
    frames: RefCell<Vec<(usize, Option<std::ops::Range<usize>>)>>,
    /// The tokens [`Module::expression_stand_in`] made, and the reference each stands for.
    pub(super) tokens: RefCell<Vec<(String, String)>>,
}

/// A resource or module instance being read: the file and span of its block, and its
/// `each.key` and `each.value`, or its `count.index`.
pub(super) struct Instance {
    file: usize,
    range: std::ops::Range<usize>,
    key: InstanceKey,
}

impl<'m> Module<'m> {
    /// The module made of the input files `members` (in directory `dir`).
    pub(super) fn new(
        files: &'m [SourceFile],
        bodies: &'m [Option<Body>],
        given: &'m DeploymentContext,
        members: Vec<usize>,
        dir: String,
        caller: Option<modules::Caller<'m>>,
    ) -> Module<'m> {
        let prefix = caller.as_ref().map_or(String::new(), |c| {
            format!(
                "{}module.{}.",
                c.module.prefix,
                label(c.block.item, 0).unwrap_or("")
            )
        });
        let mut m = Module {
            files,
            variables: HashMap::new(),
            tfvars: HashMap::new(),
            locals: HashMap::new(),
            providers: HashMap::new(),
            resources: Vec::new(),
            data: Vec::new(),
            given,
            current: RefCell::new(0),
            stand_ins: std::cell::Cell::new(false),
            caller,
            prefix,
            dir,
            members: Vec::new(),
            iterators: RefCell::new(Vec::new()),
            instance: RefCell::new(Vec::new()),
            frames: RefCell::new(Vec::new()),
            tokens: RefCell::new(Vec::new()),
        };
        for &file in &members {
            let Some(Some(body)) = bodies.get(file) else {
                continue;
            };
            // Only a root module reads variable values files (as `terraform plan` does).
            if is_tfvars(&files[file].path) {
                if m.caller.is_some() {
                    continue;
                }
                for a in body.attributes() {
                    m.tfvars.insert(
                        a.key.as_str().to_string(),
                        At {
                            file,
                            item: &a.value,
                        },
                    );
                }
                continue;
            }
            for b in body.blocks() {
                let at = At { file, item: b };
                match (b.ident.as_str(), label(b, 0), label(b, 1)) {
                    ("variable", Some(n), _) => {
                        m.variables.insert(n.to_string(), at);
                    }
                    ("locals", _, _) => {
                        for a in b.body.attributes() {
                            m.locals.insert(
                                a.key.as_str().to_string(),
                                At {
                                    file,
                                    item: &a.value,
                                },
                            );
                        }
                    }
                    ("provider", Some(n), _) => {
                        let alias = attr(b, "alias").and_then(|e| match e {
                            Expression::String(s) => Some(s.value().to_string()),
                            _ => None,
                        });
                        let key = alias.map_or(n.to_string(), |a| format!("{n}.{a}"));
                        m.providers.insert(key, at);
                    }
                    ("resource", Some(t), Some(n)) => {
                        m.resources.push((t.to_string(), n.to_string(), at))
                    }
                    ("data", Some(t), Some(n)) => m.data.push((t.to_string(), n.to_string(), at)),
                    _ => {}
                }
            }
        }
        m.members = members;
        m
    }

    pub(super) fn resource(&self, ty: &str, name: &str) -> Option<At<'m, Block>> {
        self.resources
            .iter()
            .find(|(t, n, _)| t == ty && n == name)
            .map(|(_, _, b)| *b)
    }

    pub(super) fn in_file<T>(&self, file: usize, f: impl FnOnce() -> T) -> T {
        let before = self.current.replace(file);
        let out = f();
        *self.current.borrow_mut() = before;
        out
    }

    pub(super) fn eval_in(&self, file: usize, e: &Expression, depth: usize) -> TfVal {
        self.in_frame(file, e, || hcl::eval(e, self, depth))
    }

    /// Runs `f` as the evaluation of `e` in `file` (its instance's `count.index` and `each`
    /// bound when `e` is the instance's own).
    pub(super) fn in_frame<T>(&self, file: usize, e: &Expression, f: impl FnOnce() -> T) -> T {
        self.frames
            .borrow_mut()
            .push((file, hcl_edit::Span::span(e)));
        let out = self.in_file(file, f);
        self.frames.borrow_mut().pop();
        out
    }

    /// Runs `f` reading the instance `key` of the resource or module call `block`, whose
    /// `for_each` or `count` the code fixes (or which a reference names by index).
    pub(super) fn with_instance<T>(
        &self,
        block: At<'_, Block>,
        key: &InstanceKey,
        f: impl FnOnce() -> T,
    ) -> T {
        let range = hcl_edit::Span::span(block.item).unwrap_or(0..0);
        self.instance.borrow_mut().push(Instance {
            file: block.file,
            range,
            key: key.clone(),
        });
        let out = f();
        self.instance.borrow_mut().pop();
        out
    }

    /// The instance whose block holds the expression being evaluated (its own expressions
    /// only: `each` and `count.index` mean nothing elsewhere).
    fn own_instance<T>(&self, f: impl FnOnce(&InstanceKey) -> Option<T>) -> Option<T> {
        let frames = self.frames.borrow();
        let (file, s) = frames.last()?;
        let s = s.as_ref()?;
        let instances = self.instance.borrow();
        let own = instances
            .iter()
            .rev()
            .find(|i| i.file == *file && i.range.start <= s.start && s.end <= i.range.end)?;
        f(&own.key)
    }

    /// The instance of `r` being read, if any.
    pub(super) fn bound_instance(&self, r: At<'_, Block>) -> Option<InstanceKey> {
        let range = hcl_edit::Span::span(r.item)?;
        let instances = self.instance.borrow();
        let i = instances
            .iter()
            .rev()
            .find(|i| i.file == r.file && i.range == range)?;
        Some(i.key.clone())
    }

    /// `each.key` or `each.value` (`which`) of the instance being read, when the expression
    /// being evaluated is the instance's resource's own.
    fn each(&self, which: &str) -> Option<TfVal> {
        self.own_instance(|k| match k {
            InstanceKey::Each(k, _) if which == "key" => Some(TfVal::Scalar(Value::Str(k.clone()))),
            InstanceKey::Each(_, v) => Some(v.clone()),
            InstanceKey::Index(_) => None,
        })
    }

    /// `count.index` of the instance being read, when the expression being evaluated is the
    /// instance's resource's own.
    fn count_index(&self) -> Option<TfVal> {
        self.own_instance(|k| match k {
            InstanceKey::Index(i) => Some(TfVal::Scalar(Value::Num(i.to_string()))),
            InstanceKey::Each(..) => None,
        })
    }

    /// A resource attribute evaluated in its own file.
    pub(super) fn attr_of(&self, r: At<'m, Block>, name: &str, depth: usize) -> Option<TfVal> {
        attr(r.item, name).map(|e| self.eval_in(r.file, e, depth + 1))
    }

    /// The provider configuration key of a resource: `aws` or `aws.<alias>`.
    fn provider_key(r: &Block) -> String {
        match attr(r, "provider") {
            // `provider = "aws.west"`: the quoted form of Terraform 0.11.
            Some(Expression::String(s)) => s.value().to_string(),
            // `provider = awsalternate`: a provider configuration without an alias.
            Some(Expression::Variable(v)) => v.as_str().to_string(),
            Some(e) => hcl::traversal_path(e).map_or("aws".into(), |p| p.join(".")),
            None => "aws".into(),
        }
    }

    /// The Region a resource lives in, and where that was read.
    pub(super) fn region_of(&self, r: At<'m, Block>) -> Option<(String, usize, Span, String)> {
        // Provider v6: a `region` argument on the resource itself.
        if let Some(e) = attr(r.item, "region") {
            if let Some(v) = self.eval_in(r.file, e, 0).text() {
                return Some((
                    v,
                    r.file,
                    span_of(e),
                    "the resource's `region` argument".into(),
                ));
            }
            return None;
        }
        let (owner, p, what) = self.provider(&Self::provider_key(r.item))?;
        let e = attr(p.item, "region")?;
        let v = owner.eval_in(p.file, e, 0).text()?;
        Some((v, p.file, span_of(e), format!("{what}: region")))
    }

    /// The account a provider configuration deploys to, when literal.
    pub(super) fn account_of(&self, r: At<'m, Block>) -> Option<(String, usize, Span, String)> {
        let (owner, p, what) = self.provider(&Self::provider_key(r.item))?;
        if let Some(e) = attr(p.item, "allowed_account_ids") {
            if let TfVal::List(ids) = owner.eval_in(p.file, e, 0) {
                if let [one] = ids.as_slice() {
                    if let Some(a) = one.text() {
                        return Some((
                            a,
                            p.file,
                            span_of(e),
                            format!("{what}: allowed_account_ids"),
                        ));
                    }
                }
            }
        }
        for b in p
            .item
            .body
            .blocks()
            .filter(|b| b.ident.as_str() == "assume_role")
        {
            if let Some(e) = attr(b, "role_arn") {
                if let Some(arn) = owner.eval_in(p.file, e, 0).text() {
                    if let Ok(a) = crate::arn::Arn::parse(&arn) {
                        if crate::arn::is_account_id(a.account) {
                            return Some((
                                a.account.to_string(),
                                p.file,
                                span_of(e),
                                format!("{what}: assume_role.role_arn"),
                            ));
                        }
                    }
                }
            }
        }
        None
    }

    pub(super) fn partition(&self) -> Option<String> {
        self.given.partition.clone()
    }

    /// The text of a value the code leaves to deployment but writes the same way wherever it
    /// names it (`var.dest_arn`, `"arn:aws:s3:::${var.env}-replica"`): its known parts, and
    /// one token per unknown `var.`, `local.`, `module.` or `data.` reference, a bucket ARN's
    /// when the reference starts the text and is the whole ARN (`"${var.arn}/*"`). The same
    /// expression in the configuration and in a policy reads the same text, two different
    /// ones different texts; `None` for anything else.
    pub(super) fn expression_stand_in(&self, file: usize, e: &Expression) -> Option<String> {
        let partition = self.partition().unwrap_or_else(|| "aws".into());
        let token = |e: &Expression, arn: bool| -> Option<String> {
            let path = hcl::traversal_path(e)?;
            if !matches!(path[0].as_str(), "var" | "local" | "module" | "data") {
                return None;
            }
            // Known, unless it is the empty string only a root variable's default gives
            // (`-var` sets it).
            let (v, overridable) = measured(|| self.eval_in(file, e, 0));
            if let Some(t) = v.text().filter(|t| !(t.is_empty() && overridable)) {
                return Some(t);
            }
            let name =
                eval::generated_bucket_name(&format!("value-of-{}{}", self.prefix, path.join("-")));
            let text = match arn {
                true => format!("arn:{partition}:s3:::{name}"),
                false => name,
            };
            let mut tokens = self.tokens.borrow_mut();
            if !tokens.iter().any(|(t, _)| *t == text) {
                tokens.push((text.clone(), format!("${{{}}}", path.join("."))));
            }
            Some(text)
        };
        match e {
            Expression::Traversal(_) => token(e, true),
            Expression::StringTemplate(t) => {
                let elements: Vec<&Element> = t.iter().collect();
                let mut out = String::new();
                for (i, el) in elements.iter().enumerate() {
                    match el {
                        Element::Literal(l) => out.push_str(l.value()),
                        Element::Interpolation(x) => {
                            let whole = out.is_empty()
                                && match elements.get(i + 1) {
                                    None => true,
                                    Some(Element::Literal(l)) => l.value().starts_with('/'),
                                    Some(_) => false,
                                };
                            out.push_str(&token(&x.expr, whole)?);
                        }
                        Element::Directive(_) => return None,
                    }
                }
                Some(out)
            }
            _ => None,
        }
    }

    /// The stand-in ARN of role `name` of this module (see [`eval::role_stand_in`]).
    pub(super) fn role_stand_in(&self, name: &str) -> Option<Value> {
        let role = self.resource("aws_iam_role", name)?;
        let text = |attr: &str| self.attr_of(role, attr, 0).and_then(|v| v.text());
        let role_name = text("name").unwrap_or_else(|| format!("generated-{name}"));
        let path = text("path").unwrap_or_else(|| "/".into());
        let partition = self.partition().unwrap_or_else(|| "aws".into());
        let account = self.account_of(role).map(|a| a.0);
        let expr = format!("aws_iam_role.{name}.arn");
        Some(eval::role_stand_in(
            expr,
            &partition,
            account.as_deref(),
            &path,
            &role_name,
        ))
    }

    /// The bucket resource a reference such as `aws_s3_bucket.b.id` or `.arn` names (through
    /// a `var.*` the caller sets, in a child module), or the one whose literal name is
    /// `value`; with the module declaring it.
    pub(super) fn bucket_resource(
        &self,
        e: &Expression,
        value: Option<&str>,
    ) -> Option<(&Module<'m>, String, At<'m, Block>)> {
        if let Some((ty, name)) = hcl::referenced_resource(e) {
            if ty == "aws_s3_bucket" {
                return self
                    .resource("aws_s3_bucket", &name)
                    .map(|r| (self, name, r));
            }
        }
        match hcl::traversal_path(e).as_deref() {
            Some([var, name, ..]) if var == "var" => {
                let c = self.caller.as_ref();
                let passed = c.and_then(|c| Some((c.module, attr(c.block.item, name)?)));
                if let Some(found) = passed.and_then(|(m, e)| m.bucket_resource(e, value)) {
                    return Some(found);
                }
            }
            _ => {}
        }
        self.bucket_named(crate::arn::bucket_name(value?))
    }

    /// The stand-in name of bucket resource `name` of this module, whose name the code does
    /// not fix (`bucket_prefix`, an unknown variable).
    pub(super) fn generated_bucket(&self, name: &str) -> String {
        eval::generated_bucket_name(&format!("{}{name}", self.prefix))
    }

    /// The stand-in name of instance `key` of bucket resource `name` (with `count` or
    /// `for_each`) whose name the code does not fix.
    pub(super) fn generated_instance_bucket(&self, name: &str, key: &InstanceKey) -> String {
        let key = match key {
            InstanceKey::Each(k, _) => k.clone(),
            InstanceKey::Index(i) => i.to_string(),
        };
        eval::generated_bucket_name(&format!("{}{name}-{key}", self.prefix))
    }

    /// The instances of resource `r` whose `count` or `for_each` the code fixes (as
    /// [`super::instances`] expands them); empty otherwise.
    pub(super) fn known_instances(&self, r: At<'m, Block>) -> Vec<InstanceKey> {
        super::instances(self, r).map_or(Vec::new(), |(keys, _)| keys)
    }

    /// The bucket resource whose literal name is `name` (or whose stand-in name it is), here
    /// or in a caller (bucket names are global, so a caller's bucket of that name is the one);
    /// an instance's name (`"logs-${count.index}"`) names its resource.
    pub(super) fn bucket_named(&self, name: &str) -> Option<(&Module<'m>, String, At<'m, Block>)> {
        self.bucket_instance_named(name)
            .map(|(m, n, r, _)| (m, n, r))
    }

    /// [`Self::bucket_named`], with the instance of a bucket with `count` or `for_each`
    /// whose name it is.
    #[allow(clippy::type_complexity)]
    pub(super) fn bucket_instance_named(
        &self,
        name: &str,
    ) -> Option<(&Module<'m>, String, At<'m, Block>, Option<InstanceKey>)> {
        let is = |n: &str, r: At<'m, Block>| -> Option<Option<InstanceKey>> {
            let fixed = self.attr_of(r, "bucket", 0).and_then(|v| v.text());
            let same = match fixed {
                Some(f) => f == name,
                None => self.generated_bucket(n) == name,
            };
            if same {
                return Some(None);
            }
            self.known_instances(r)
                .into_iter()
                .find(|k| {
                    match self
                        .with_instance(r, k, || self.attr_of(r, "bucket", 0))
                        .and_then(|v| v.text())
                    {
                        Some(f) => f == name,
                        None => self.generated_instance_bucket(n, k) == name,
                    }
                })
                .map(Some)
        };
        let here = self.resources.iter().find_map(|(t, n, r)| {
            if t != "aws_s3_bucket" {
                return None;
            }
            is(n, *r).map(|k| (self, n.clone(), *r, k))
        });
        here.or_else(|| self.caller.as_ref()?.module.bucket_instance_named(name))
    }

    /// The `ty` resource (versioning, encryption, Object Lock of a bucket) whose `bucket`
    /// names instance `key` of bucket resource `name` (or the bucket itself, by reference or
    /// by its literal name), with its own instance when it has `count` or `for_each`: its
    /// arguments are read in that instance (`aws_s3_bucket.b[count.index].id`,
    /// `status = var.status[count.index]`). A resource the code creates no instance of
    /// (`count = 0` the code fixes) is not there.
    pub(super) fn for_bucket_instance(
        &self,
        ty: &str,
        name: &str,
        literal: Option<&str>,
        key: Option<&InstanceKey>,
    ) -> Option<(At<'m, Block>, Option<InstanceKey>)> {
        self.resources
            .iter()
            .filter(|(t, _, _)| t == ty)
            .find_map(|(_, _, r)| {
                let e = attr(r.item, "bucket")?;
                // Another bucket's resource, or nothing to compare a name with: not read.
                match hcl::referenced_resource(e) {
                    Some((t, n)) if t == "aws_s3_bucket" && n != name => return None,
                    Some((t, _)) if t == "aws_s3_bucket" => {}
                    _ if literal.is_none() => return None,
                    _ => {}
                }
                let keys: Vec<Option<InstanceKey>> = if let Some(c) = attr(r.item, "count") {
                    let (n, overridable) =
                        measured(|| super::whole_count(&self.eval_in(r.file, c, 0)));
                    match n {
                        Some(0) if !overridable => return None,
                        Some(n) if (1..=super::MAX_INSTANCES).contains(&n) => {
                            (0..n).map(|i| Some(InstanceKey::Index(i))).collect()
                        }
                        _ => vec![None],
                    }
                } else if attr(r.item, "for_each").is_some() {
                    match super::instances(self, *r) {
                        Some((keys, _)) => keys.into_iter().map(Some).collect(),
                        None => vec![None],
                    }
                } else {
                    vec![None]
                };
                keys.into_iter().find_map(|k| {
                    let within = |f: &dyn Fn() -> bool| match &k {
                        Some(k) => self.with_instance(*r, k, f),
                        None => f(),
                    };
                    let names = within(&|| match hcl::referenced_resource(e) {
                        Some((t, n)) if t == "aws_s3_bucket" => {
                            if n != name {
                                return false;
                            }
                            // The instance it names, when it names one the code fixes.
                            let path =
                                self.in_frame(r.file, e, || hcl::resolved_reference(e, self));
                            match (path.as_deref(), key) {
                                (Some([_, _, i, _, ..]), Some(key)) if i.starts_with('[') => {
                                    *i == key.address()
                                }
                                _ => true,
                            }
                        }
                        _ => {
                            literal.is_some()
                                && self.eval_in(r.file, e, 0).text().as_deref() == literal
                        }
                    });
                    names.then_some((*r, k))
                })
            })
    }

    /// Resources of `ty` whose `bucket` argument names the bucket resource `name` (by
    /// reference or by its literal name).
    pub(super) fn for_bucket(
        &self,
        ty: &str,
        name: &str,
        literal: Option<&str>,
    ) -> Vec<At<'m, Block>> {
        self.resources
            .iter()
            .filter(|(t, _, _)| t == ty)
            .filter(|(_, _, r)| match attr(r.item, "bucket") {
                // Any instance: `aws_s3_bucket.b[count.index].id` names `b`.
                Some(e) => match hcl::referenced_resource(e) {
                    Some((t, n)) if t == "aws_s3_bucket" => n == name,
                    _ => {
                        literal.is_some() && self.eval_in(r.file, e, 0).text().as_deref() == literal
                    }
                },
                None => false,
            })
            .map(|(_, _, r)| *r)
            .collect()
    }

    /// Whether a `ty` resource of this module names a bucket the code does not fix
    /// (`bucket = var.name`, `each.value`): it may be any bucket's, so a bucket without a
    /// matching one is not known to lack it.
    pub(super) fn any_unresolved_for_bucket(&self, ty: &str) -> bool {
        self.resources
            .iter()
            .filter(|(t, _, _)| t == ty)
            .any(|(_, _, r)| match attr(r.item, "bucket") {
                Some(e) => match hcl::referenced_resource(e) {
                    Some((t, _)) if t == "aws_s3_bucket" => false,
                    _ => self.eval_in(r.file, e, 0).text().is_none(),
                },
                None => false,
            })
    }
}

impl Scope for Module<'_> {
    fn source(&self, span: Span) -> String {
        let file = *self.current.borrow();
        let text = self.files.get(file).map_or("", |f| f.text.as_str());
        text.get(span.range())
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn instance_keys(&self, path: &[String], depth: usize) -> Option<Vec<String>> {
        let [ty, name] = path else {
            return None;
        };
        let r = self.resource(ty, name)?;
        if attr(r.item, "for_each").is_some() {
            return None;
        }
        let Some(c) = attr(r.item, "count") else {
            return Some(vec![String::new()]);
        };
        let (n, overridable) = measured(|| super::whole_count(&self.eval_in(r.file, c, depth + 1)));
        let n = n.filter(|&n| n <= super::MAX_INSTANCES && !(n == 0 && overridable))?;
        Some((0..n).map(|i| format!("[{i}]")).collect())
    }

    fn lookup(&self, path: &[String], depth: usize) -> Option<TfVal> {
        let p: Vec<&str> = path.iter().map(String::as_str).collect();
        // A resource instance's `each.key`, `each.value`.
        if let ["each", which @ ("key" | "value"), rest @ ..] = p.as_slice() {
            return index_into(self.each(which)?, rest);
        }
        // A `dynamic` block's iterator: `rule.value.id`, `rule.key`.
        if let [first, which @ ("key" | "value"), rest @ ..] = p.as_slice() {
            let bound = self
                .iterators
                .borrow()
                .iter()
                .rev()
                .find(|b| b.0 == *first)
                .map(|(_, k, v)| {
                    if *which == "key" {
                        k.clone()
                    } else {
                        v.clone()
                    }
                });
            if let Some(v) = bound {
                return index_into(v, rest);
            }
        }
        // The instance of a resource being read with `count`.
        if let ["count", "index"] = p.as_slice() {
            return self.count_index();
        }
        // A resource's instance, `aws_s3_bucket.b[1].arn` or `aws_iam_role.r["k"].arn`: its
        // attributes read with its own `count.index` or `each`.
        if let [ty, name, key, ..] = p.as_slice() {
            if ty.starts_with("aws_") && key.starts_with('[') {
                let rest: Vec<String> = path
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != 2)
                    .map(|(_, x)| x.clone())
                    .collect();
                let Some(r) = self.resource(ty, name) else {
                    return self.lookup(&rest, depth);
                };
                return match self.instance_of(r, key, depth)? {
                    Some(k) => self.with_instance(r, &k, || self.lookup(&rest, depth)),
                    None => self.lookup(&rest, depth),
                };
            }
        }
        // A data source's instance, `data.aws_region.r[0].name`: its arguments read with
        // its own `count.index` or `each`.
        if let ["data", ty, name, key, _, ..] = p.as_slice() {
            if key.starts_with('[') {
                let mut rest = path.to_vec();
                rest.remove(3);
                let d = self.data.iter().find(|(t, n, _)| t == ty && n == name);
                return match d.map(|(_, _, d)| (*d, self.instance_of(*d, key, depth))) {
                    Some((d, Some(Some(k)))) => {
                        self.with_instance(d, &k, || self.lookup(&rest, depth))
                    }
                    Some((_, None)) => None,
                    _ => self.lookup(&rest, depth),
                };
            }
        }
        match p.as_slice() {
            ["var", name, rest @ ..] => {
                // The value as Terraform converts it to the variable's `type`.
                let declared = self.variables.get(*name).copied();
                let typed = |value: TfVal| match declared
                    .and_then(|v| attr(v.item, "type").map(|t| (v.file, t)))
                {
                    Some((file, t)) => self.in_file(file, || hcl::conform(value, t, self, depth)),
                    None => value,
                };
                // A child's variable is its module block's argument, evaluated in the caller.
                if let Some(c) = &self.caller {
                    if let Some(e) = attr(c.block.item, name) {
                        let value = c.module.eval_in(c.block.file, e, depth + 1);
                        return index_into(typed(value), rest);
                    }
                }
                if let Some(t) = self.tfvars.get(*name) {
                    let value = self.eval_in(t.file, t.item, depth + 1);
                    return index_into(typed(value), rest);
                }
                let v = declared?;
                let d = attr(v.item, "default")?;
                if self.caller.is_none() {
                    ROOT_DEFAULT_USED.with(|u| u.set(true));
                }
                let value = self.eval_in(v.file, d, depth + 1);
                index_into(typed(value), rest)
            }
            ["local", name, rest @ ..] => {
                let l = self.locals.get(*name)?;
                let value = self.eval_in(l.file, l.item, depth + 1);
                index_into(value, rest)
            }
            ["aws_s3_bucket", name, attr_name] => {
                let r = self.resource("aws_s3_bucket", name)?;
                let bucket = match self.attr_of(r, "bucket", depth).and_then(|v| v.text()) {
                    Some(b) => b,
                    // While reading policies: a bucket named at deployment stands for itself
                    // by the stand-in name the configuration uses (see `bucket_of_module`).
                    None if self.stand_ins.get() => match self.bound_instance(r) {
                        Some(k) => self.generated_instance_bucket(name, &k),
                        None => self.generated_bucket(name),
                    },
                    None => return None,
                };
                match *attr_name {
                    "id" | "bucket" => Some(TfVal::Scalar(Value::Str(bucket))),
                    "arn" => {
                        let partition = self.partition().unwrap_or_else(|| "aws".into());
                        Some(TfVal::Scalar(Value::Str(format!(
                            "arn:{partition}:s3:::{bucket}"
                        ))))
                    }
                    _ => None,
                }
            }
            ["aws_iam_role", name, "arn"] => {
                let r = self.resource("aws_iam_role", name)?;
                let role = self.attr_of(r, "name", depth)?.text()?;
                let path = self
                    .attr_of(r, "path", depth)
                    .and_then(|v| v.text())
                    .unwrap_or_else(|| "/".into());
                let (account, ..) = self.account_of(r).or_else(|| {
                    self.given
                        .source_account
                        .clone()
                        .map(|a| (a, 0, Span::empty(0), String::new()))
                })?;
                let partition = self.partition().unwrap_or_else(|| "aws".into());
                Some(TfVal::Scalar(Value::Str(format!(
                    "arn:{partition}:iam::{account}:role{path}{role}"
                ))))
            }
            ["aws_kms_key", name, "arn"] if self.stand_ins.get() => {
                let key = self.resource("aws_kms_key", name)?;
                let (region, ..) = self.region_of(key)?;
                let account = self.account_of(key).map(|a| a.0);
                let partition = self.partition().unwrap_or_else(|| "aws".into());
                let instance = self
                    .bound_instance(key)
                    .map_or(String::new(), |k| k.address());
                let v = eval::key_stand_in(
                    path.join("."),
                    &format!("{}aws_kms_key.{name}{instance}", self.prefix),
                    &partition,
                    &region,
                    account.as_deref(),
                );
                match v {
                    Value::Partial { text, .. } => Some(TfVal::Scalar(Value::Str(text))),
                    other => Some(TfVal::Scalar(other)),
                }
            }
            ["data", "aws_partition", _, "partition"] if self.stand_ins.get() => Some(
                TfVal::Scalar(Value::Str(self.partition().unwrap_or_else(|| "aws".into()))),
            ),
            ["aws_iam_role", name, "name" | "id"] => {
                let r = self.resource("aws_iam_role", name)?;
                self.attr_of(r, "name", depth)
            }
            ["data", "aws_caller_identity", _, "account_id"] => self
                .given
                .source_account
                .clone()
                .map(|a| TfVal::Scalar(Value::Str(a))),
            ["data", "aws_partition", _, "partition"] => {
                self.partition().map(|a| TfVal::Scalar(Value::Str(a)))
            }
            ["data", "aws_region", name, "name" | "region" | "id"] => {
                let (_, _, d) = self
                    .data
                    .iter()
                    .find(|(t, n, _)| t == "aws_region" && n == name)?;
                self.region_of(*d)
                    .map(|(r, ..)| TfVal::Scalar(Value::Str(r)))
            }
            _ => None,
        }
    }
}

impl<'m> Module<'m> {
    /// The instance `key` (`[0]`, `["k"]`) of resource `r` a reference names: `Some(None)`
    /// when `r` has neither `count` nor `for_each`; `None` when it is not known, or when
    /// Terraform fails on it (an index past a known count, a key its known `for_each`
    /// lacks; marked as an error). A count or `for_each` only root variables' defaults make
    /// empty is not known: the resource is read as if it were created.
    pub(super) fn instance_of(
        &self,
        r: At<'m, Block>,
        key: &str,
        depth: usize,
    ) -> Option<Option<InstanceKey>> {
        let key = hcl::parse_instance_key(key)?;
        if let Some(c) = attr(r.item, "count") {
            let i = match key {
                Ok(i) => i,
                Err(k) => k.parse().ok()?,
            };
            let (n, overridable) =
                measured(|| super::whole_count(&self.eval_in(r.file, c, depth + 1)));
            return match n {
                Some(n) if i < n => Some(Some(InstanceKey::Index(i))),
                Some(0) if overridable => None,
                Some(_) => {
                    hcl::error();
                    None
                }
                None => Some(Some(InstanceKey::Index(i))),
            };
        }
        if let Some(e) = attr(r.item, "for_each") {
            let k = match key {
                Ok(i) => i.to_string(),
                Err(k) => k,
            };
            let (keys, overridable) =
                measured(|| super::for_each_keys(&self.eval_in(r.file, e, depth + 1)));
            return match keys {
                Some(keys) => match keys.into_iter().find(|(x, _)| *x == k) {
                    Some((k, v)) => Some(Some(InstanceKey::Each(k, v))),
                    None if overridable => None,
                    None => {
                        hcl::error();
                        None
                    }
                },
                None => Some(Some(InstanceKey::Each(k, TfVal::unknown("each.value")))),
            };
        }
        Some(None)
    }
}

fn index_into(value: TfVal, rest: &[&str]) -> Option<TfVal> {
    rest.iter().try_fold(value, |v, key| hcl::index(v, key))
}
