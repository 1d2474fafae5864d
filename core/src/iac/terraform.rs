//! Terraform modules: `aws_s3_bucket_replication_configuration` resources and the legacy
//! inline `replication_configuration` block of `aws_s3_bucket`, translated to the
//! PutBucketReplication request exactly as the AWS provider's expand functions build it
//! (`internal/service/s3/bucket_replication_configuration.go`, `expandReplicationRules`, and
//! `bucket.go`, `expandBucketReplicationRules`; see docs/INPUTS.md):
//!
//! * a rule with a `filter` block (even an empty `filter {}`) is a V2 rule: `Filter` and
//!   `Priority` (the configured value, or 0) are sent; without one it is a V1 rule whose
//!   `Prefix` is always sent (`""` when unset) and whose `priority` is dropped;
//! * inside `filter`, `and` is built first, a `tag` replaces it, and `prefix` is used only
//!   when neither is set; `and.tags` is a map;
//! * the inline block always sends `DeleteMarkerReplication` (`Disabled` unless
//!   `delete_marker_replication_status` is set) for V2 rules, and a non-empty `filter.tags`
//!   becomes `And{Prefix, Tags}`.

use super::eval::{self, Names, Value};
use super::hcl::{self, span_of, Scope, TfVal};
use super::path::Dialect;
use super::{Extracted, Found, InferredFact, SourceFile, Unknown};
use crate::catalogue::parse as codes;
use crate::context::{DeploymentContext, DestinationContext};
use crate::diagnostic::{Diagnostic, Severity};
use crate::schema::{self, and, filter, rule, Field, Kind, Shape};
use crate::source::{LineIndex, Span};
use crate::syntax::{Member, Node};
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, BlockLabel, Body, Structure};
use hcl_edit::Span as _;
use std::cell::RefCell;
use std::collections::HashMap;

mod modules;
mod policies;

const REPLICATION: &str = "aws_s3_bucket_replication_configuration";

fn span(s: Option<std::ops::Range<usize>>) -> Span {
    s.map_or(Span::empty(0), |r| Span::new(r.start, r.end))
}

fn label(b: &Block, i: usize) -> Option<&str> {
    b.labels.get(i).map(|l| match l {
        BlockLabel::Ident(i) => i.as_str(),
        BlockLabel::String(s) => s.value().as_str(),
    })
}

/// The member of `shape` Terraform spells `name`, with its position.
fn tf_field(shape: &'static Shape, name: &str) -> Option<(usize, &'static Field)> {
    shape
        .fields
        .iter()
        .enumerate()
        .find(|(_, f)| f.tf != schema::ABSENT && f.tf == name)
}

/// The API's (JSON) name of member `at` of `shape`.
fn api(shape: &'static Shape, at: usize) -> &'static str {
    shape.fields.get(at).map_or("", |f| f.json)
}

/// A declaration and the file it is in.
struct At<'m, T> {
    file: usize,
    item: &'m T,
}

impl<T> Clone for At<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for At<'_, T> {}

/// What a module declares, across its files.
struct Module<'m> {
    files: &'m [SourceFile],
    variables: HashMap<String, At<'m, Block>>,
    /// Values from `terraform.tfvars` and `*.auto.tfvars` (what `terraform plan` reads
    /// without flags); they win over the variables' defaults.
    tfvars: HashMap<String, At<'m, Expression>>,
    locals: HashMap<String, At<'m, Expression>>,
    /// `aws` or `aws.<alias>` -> its block.
    providers: HashMap<String, At<'m, Block>>,
    resources: Vec<(String, String, At<'m, Block>)>,
    data: Vec<(String, String, At<'m, Block>)>,
    given: &'m DeploymentContext,
    /// The file an expression being evaluated is in (for source texts).
    current: RefCell<usize>,
    /// While reading policies: a key of this module stands for itself by the same stand-in
    /// ARN the configuration uses (see [`Builder::key_of_module`]).
    stand_ins: std::cell::Cell<bool>,
    /// The module block this (child) module was called by; `None` for a root module.
    caller: Option<modules::Caller<'m>>,
    /// `module.a.module.b.` for a child module, empty for a root module.
    prefix: String,
    /// The directory of its files, normalized (`""`: the top).
    dir: String,
    /// Indices of its files in the input list.
    members: Vec<usize>,
}

impl<'m> Module<'m> {
    /// The module made of the input files `members` (in directory `dir`).
    fn new(
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

    fn resource(&self, ty: &str, name: &str) -> Option<At<'m, Block>> {
        self.resources
            .iter()
            .find(|(t, n, _)| t == ty && n == name)
            .map(|(_, _, b)| *b)
    }

    fn in_file<T>(&self, file: usize, f: impl FnOnce() -> T) -> T {
        let before = self.current.replace(file);
        let out = f();
        *self.current.borrow_mut() = before;
        out
    }

    fn eval_in(&self, file: usize, e: &Expression, depth: usize) -> TfVal {
        self.in_file(file, || hcl::eval(e, self, depth))
    }

    /// A resource attribute evaluated in its own file.
    fn attr_of(&self, r: At<'m, Block>, name: &str, depth: usize) -> Option<TfVal> {
        attr(r.item, name).map(|e| self.eval_in(r.file, e, depth + 1))
    }

    /// The provider configuration key of a resource: `aws` or `aws.<alias>`.
    fn provider_key(r: &Block) -> String {
        match attr(r, "provider") {
            // `provider = "aws.west"`: the quoted form of Terraform 0.11.
            Some(Expression::String(s)) => s.value().to_string(),
            Some(e) => hcl::traversal_path(e).map_or("aws".into(), |p| p.join(".")),
            None => "aws".into(),
        }
    }

    /// The Region a resource lives in, and where that was read.
    fn region_of(&self, r: At<'m, Block>) -> Option<(String, usize, Span, String)> {
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
    fn account_of(&self, r: At<'m, Block>) -> Option<(String, usize, Span, String)> {
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

    fn partition(&self) -> Option<String> {
        self.given.partition.clone()
    }

    /// The stand-in ARN of role `name` of this module (see [`eval::role_stand_in`]).
    fn role_stand_in(&self, name: &str) -> Option<Value> {
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
    fn bucket_resource(
        &self,
        e: &Expression,
        value: Option<&str>,
    ) -> Option<(&Module<'m>, String, At<'m, Block>)> {
        match hcl::traversal_path(e).as_deref() {
            Some([ty, name, ..]) if ty == "aws_s3_bucket" => {
                return self
                    .resource("aws_s3_bucket", name)
                    .map(|r| (self, name.clone(), r));
            }
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

    /// The bucket resource whose literal name is `name`, here or in a caller (bucket names
    /// are global, so a caller's bucket of that name is the one).
    fn bucket_named(&self, name: &str) -> Option<(&Module<'m>, String, At<'m, Block>)> {
        let here = self.resources.iter().find_map(|(t, n, r)| {
            (t == "aws_s3_bucket"
                && self
                    .attr_of(*r, "bucket", 0)
                    .and_then(|v| v.text())
                    .as_deref()
                    == Some(name))
            .then(|| (self, n.clone(), *r))
        });
        here.or_else(|| self.caller.as_ref()?.module.bucket_named(name))
    }

    /// Resources of `ty` whose `bucket` argument names the bucket resource `name` (by
    /// reference or by its literal name).
    fn for_bucket(&self, ty: &str, name: &str, literal: Option<&str>) -> Vec<At<'m, Block>> {
        self.resources
            .iter()
            .filter(|(t, _, _)| t == ty)
            .filter(|(_, _, r)| match attr(r.item, "bucket") {
                Some(e) => match hcl::traversal_path(e) {
                    Some(p) if p.len() >= 2 && p[0] == "aws_s3_bucket" => p[1] == name,
                    _ => {
                        literal.is_some() && self.eval_in(r.file, e, 0).text().as_deref() == literal
                    }
                },
                None => false,
            })
            .map(|(_, _, r)| *r)
            .collect()
    }
}

/// `terraform.tfvars`, `terraform.tfvars.json` is not read; `*.auto.tfvars` are.
pub fn is_tfvars(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name == "terraform.tfvars" || name.ends_with(".auto.tfvars")
}

fn attr<'b>(b: &'b Block, name: &str) -> Option<&'b Expression> {
    b.body.get_attribute(name).map(|a| &a.value)
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

    fn lookup(&self, path: &[String], depth: usize) -> Option<TfVal> {
        let p: Vec<&str> = path.iter().map(String::as_str).collect();
        match p.as_slice() {
            ["var", name, rest @ ..] => {
                // A child's variable is its module block's argument, evaluated in the caller.
                if let Some(c) = &self.caller {
                    if let Some(e) = attr(c.block.item, name) {
                        let value = c.module.eval_in(c.block.file, e, depth + 1);
                        return index_into(value, rest);
                    }
                }
                if let Some(t) = self.tfvars.get(*name) {
                    let value = self.eval_in(t.file, t.item, depth + 1);
                    return index_into(value, rest);
                }
                let v = self.variables.get(*name)?;
                let d = attr(v.item, "default")?;
                if self.caller.is_none() {
                    ROOT_DEFAULT_USED.with(|u| u.set(true));
                }
                let value = self.eval_in(v.file, d, depth + 1);
                index_into(value, rest)
            }
            ["local", name, rest @ ..] => {
                let l = self.locals.get(*name)?;
                let value = self.eval_in(l.file, l.item, depth + 1);
                index_into(value, rest)
            }
            ["aws_s3_bucket", name, attr_name] => {
                let r = self.resource("aws_s3_bucket", name)?;
                let bucket = self.attr_of(r, "bucket", depth)?.text()?;
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
                let v = eval::key_stand_in(path.join("."), &partition, &region, account.as_deref());
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

fn index_into(value: TfVal, rest: &[&str]) -> Option<TfVal> {
    let mut v = value;
    for key in rest {
        v = match v {
            TfVal::Map(m) => m.into_iter().find(|(k, _)| k == key).map(|(_, v)| v)?,
            TfVal::List(l) => {
                let i: usize = key
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse()
                    .ok()?;
                l.into_iter().nth(i)?
            }
            _ => return None,
        };
    }
    Some(v)
}

pub fn find(files: &[SourceFile], given: &DeploymentContext) -> Found<'static> {
    let mut file_diagnostics = vec![Vec::new(); files.len()];
    let bodies: Vec<Option<Body>> = files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            if f.text.len() > crate::parse::HARD_MAX_BYTES {
                file_diagnostics[i].push(eval::too_big(f.text.len()));
                return None;
            }
            match hcl_edit::parser::parse_body(&f.text) {
                Ok(b) => Some(b),
                Err(e) => {
                    let at = e.location().offset().min(f.text.len());
                    let at = (0..=at)
                        .rev()
                        .find(|&k| f.text.is_char_boundary(k))
                        .unwrap_or(0);
                    file_diagnostics[i].push(Diagnostic::new(
                        codes::MALFORMED.code,
                        codes::MALFORMED.severity,
                        Span::new(at, at),
                        "",
                        format!("Invalid HCL: {}", e.message()),
                    ));
                    None
                }
            }
        })
        .collect();
    let configurations = modules::walk(files, &bodies, given, &mut file_diagnostics);
    Found {
        configurations,
        file_diagnostics,
    }
}

/// The configurations one module declares (not its children's).
/// Resources the code does not create (`count = 0`) are named, at their `count`, in `notes`.
fn configurations(
    module: &Module<'_>,
    notes: &mut Vec<(usize, Diagnostic)>,
) -> Vec<Extracted<'static>> {
    let mut out = Vec::new();
    for (ty, name, r) in &module.resources {
        let mut optional = None;
        if ty == REPLICATION || ty == "aws_s3_bucket" {
            if let Some((at, why, overridable)) = not_created(module, *r) {
                let address = format!("{}{ty}.{name}", module.prefix);
                if overridable {
                    // A root variable's default: `-var` may well create it. Checked, but
                    // nothing in it is more than "not verified".
                    optional = Some(Diagnostic::new(
                        codes::UNSUPPORTED_CONSTRUCT.code,
                        Severity::Info,
                        at,
                        address.clone(),
                        format!("{why} with the defaults of this module's variables: `{address}` is created only when they are set otherwise (`-var`, a `.tfvars` file); it is checked as if it were, and every finding is only \"not verified\""),
                    ));
                } else {
                    notes.push((
                        r.file,
                        Diagnostic::new(
                            codes::UNSUPPORTED_CONSTRUCT.code,
                            Severity::Info,
                            at,
                            address.clone(),
                            format!("{why} with the values this code gives: `{address}` is not created, so it is not checked"),
                        ),
                    ));
                    continue;
                }
            }
        }
        let found = match ty.as_str() {
            REPLICATION => Some(standalone(module, name, *r)),
            "aws_s3_bucket" => r.item.body.blocks().find_map(|b| match b.ident.as_str() {
                "replication_configuration" => Some(inline(module, name, *r, b, None)),
                "dynamic" if label(b, 0) == Some("replication_configuration") => {
                    let content = b.body.blocks().find(|x| x.ident.as_str() == "content")?;
                    // A `for_each` only root defaults leave empty is read all the same.
                    let none = attr(b, "for_each")
                        .is_some_and(|e| makes_nothing(module, r.file, e) == Some(false));
                    (!none).then(|| inline(module, name, *r, content, Some(b)))
                }
                _ => None,
            }),
            _ => None,
        };
        out.extend(found.map(|mut c| {
            if let Some(d) = optional.take() {
                c.tainted.push(span(r.item.span()));
                // It says more than "not expanded" at the same place.
                c.diagnostics.retain(|x| x.span != d.span);
                c.diagnostics.push(d);
            }
            c
        }));
    }
    out
}

thread_local! {
    /// Set when an evaluation used the default of a root module's variable: a value the
    /// command line (`-var`, `-var-file`) can change.
    static ROOT_DEFAULT_USED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether `e` (a `count` or `for_each`) makes nothing with the values this code gives:
/// `Some(false)` when so for good, `Some(true)` when only the defaults of root variables make
/// it so (the command line may set them otherwise), `None` when it makes something or may.
fn makes_nothing(module: &Module<'_>, file: usize, e: &Expression) -> Option<bool> {
    ROOT_DEFAULT_USED.with(|u| u.set(false));
    let none = is_empty_collection(&module.eval_in(file, e, 0));
    let overridable = ROOT_DEFAULT_USED.with(|u| u.replace(false));
    none.then_some(overridable)
}

/// Why a resource is not created with the values this code gives (`count = 0`, an empty
/// `for_each`), naming the argument, and whether that rests on a root variable's default
/// (which the command line can override); `None` when it is created, or may be.
fn not_created(module: &Module<'_>, r: At<'_, Block>) -> Option<(Span, String, bool)> {
    ["count", "for_each"].into_iter().find_map(|meta| {
        let a = r.item.body.get_attribute(meta)?;
        let overridable = makes_nothing(module, r.file, &a.value)?;
        let what = if meta == "count" {
            "`count` is 0"
        } else {
            "`for_each` is empty"
        };
        Some((span(a.key.span()), what.to_string(), overridable))
    })
}

/// Builds one configuration's tree and facts.
struct Builder<'m, 'x> {
    module: &'x Module<'m>,
    file: usize,
    unknowns: Vec<Unknown>,
    tainted: Vec<Span>,
    diagnostics: Vec<Diagnostic>,
    facts: Vec<InferredFact>,
    context: DeploymentContext,
    index: LineIndex,
    path: String,
}

impl<'m> Builder<'m, '_> {
    fn eval(&mut self, e: &Expression) -> TfVal {
        self.module.eval_in(self.file, e, 0)
    }

    /// A scalar attribute, with unknown values recorded.
    fn scalar(&mut self, e: &Expression, kind: &Kind) -> Option<Node<'static>> {
        let s = span_of(e);
        match self.eval(e) {
            TfVal::Null => None,
            TfVal::Scalar(v) => {
                let v = match v {
                    Value::Unknown(expr) => self
                        .key_of_module(e)
                        .or_else(|| self.role_of_module(e))
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
        Some(eval::key_stand_in(
            p.join("."),
            &partition,
            &region,
            account.as_deref(),
        ))
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

    fn fact_at(&mut self, field: &str, value: &str, file: usize, s: Span, from: String) {
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

    fn unknown_name(&mut self, name: &str, name_span: Span, shape: &Shape, extra: &[&str]) {
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

    fn unsupported(&mut self, s: Span, what: String) {
        self.tainted.push(s);
        self.diagnostics.push(Diagnostic::new(
            codes::UNSUPPORTED_CONSTRUCT.code,
            Severity::Info,
            s,
            self.path.clone(),
            what,
        ));
    }

    /// A `dynamic "X" { for_each = ... content { ... } }` block: its content, read once as
    /// a block `X` whose iterator values are unknown, every finding in it not verified
    /// (the number of blocks it makes, even none, is not known). A `for_each` the code
    /// fixes to nothing makes no block at all.
    fn dynamic<'b>(&mut self, b: &'b Block) -> Dynamic<'b> {
        if b.ident.as_str() != "dynamic" {
            return Dynamic::Not;
        }
        let what = label(b, 0).unwrap_or("");
        let s = span(b.span());
        let file = self.file;
        if attr(b, "for_each").is_some_and(|e| makes_nothing(self.module, file, e) == Some(false)) {
            return Dynamic::Skip;
        }
        let content = b.body.blocks().find(|x| x.ident.as_str() == "content");
        // Inside another dynamic block: already said, already not verified.
        let nested = self
            .tainted
            .iter()
            .any(|t| t.start <= s.start && s.end <= t.end);
        match content {
            Some(c) if !what.is_empty() && nested => Dynamic::Content(what, c),
            Some(c) if !what.is_empty() => {
                self.unsupported(
                    s,
                    format!("`dynamic \"{what}\"` is not expanded: its content is checked once, with the iterator's values unknown, and every finding in it is only \"not verified\" (check the plan for the blocks it makes)"),
                );
                Dynamic::Content(what, c)
            }
            _ => {
                self.unsupported(
                    s,
                    format!("`dynamic \"{what}\"` is not evaluated; its content is not checked"),
                );
                Dynamic::Skip
            }
        }
    }

    /// A block whose members map one to one onto `shape` (destination, metrics, ...).
    fn block(&mut self, b: &Block, shape: &'static Shape) -> Node<'static> {
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
                    if let Some(v) = self
                        .scalar(&a.value, &f.kind)
                        .filter(|v| keep_empty || !is_empty_text(v))
                    {
                        out.push(eval::member(f.json, span(a.key.span()), span(a.span()), v));
                    }
                }
                Structure::Block(inner) => {
                    let name = inner.ident.as_str();
                    let (name, inner) = match self.dynamic(inner) {
                        Dynamic::Content(label, content) => (label, content),
                        Dynamic::Skip => continue,
                        Dynamic::Not => (name, inner),
                    };
                    let f = eval::field(shape, name, Names::Terraform);
                    let Some((f, Kind::Struct(s))) = f.map(|f| (f, &f.kind)) else {
                        self.unknown_name(name, span(inner.ident.span()), shape, &[]);
                        continue;
                    };
                    let len = self.enter(name);
                    let v = self.block(inner, s);
                    self.path.truncate(len);
                    out.push(eval::member(
                        f.json,
                        span(inner.ident.span()),
                        span(inner.span()),
                        v,
                    ));
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
    fn rule(&mut self, b: &Block) -> Node<'static> {
        let rs = span(b.span());
        let at = span(b.ident.span());
        let mut out: Vec<Member<'static>> = Vec::new();
        let mut filter: Option<&Block> = None;
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
                Structure::Block(inner) => {
                    let (name, inner) = match self.dynamic(inner) {
                        Dynamic::Content(label, content) => (label, content),
                        Dynamic::Skip => continue,
                        Dynamic::Not => (inner.ident.as_str(), inner),
                    };
                    let is = span(inner.ident.span());
                    let len = self.enter(name);
                    match tf_field(&schema::RULE, name) {
                        Some((rule::FILTER, _)) => filter = Some(inner),
                        Some((_, f)) => {
                            if let Kind::Struct(shape) = f.kind {
                                let v = self.block(inner, shape);
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
        match filter {
            Some(fb) => {
                let len = self.enter(schema::RULE.fields[rule::FILTER].tf);
                let f = self.filter(fb);
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
    fn filter(&mut self, fb: &Block) -> Node<'static> {
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
                Structure::Block(b) => {
                    let name = b.ident.as_str();
                    let (is, bs) = (span(b.ident.span()), span(b.span()));
                    match tf_field(&schema::FILTER, name) {
                        Some((filter::TAG, f)) => {
                            let len = self.enter(name);
                            let v = self.block(b, &schema::TAG);
                            self.path.truncate(len);
                            tag = Some(eval::member(f.json, is, bs, v));
                        }
                        Some((filter::AND, f)) => {
                            let len = self.enter(name);
                            let v = self.and(b);
                            self.path.truncate(len);
                            and = Some(eval::member(f.json, is, bs, v));
                        }
                        _ => self.unknown_name(name, is, &schema::FILTER, &[]),
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
    fn tags(&mut self, e: &Expression) -> Option<Node<'static>> {
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

/// What a `dynamic` block stands for.
enum Dynamic<'b> {
    /// Not a `dynamic` block.
    Not,
    /// The block it makes (`label`), read once from its `content`.
    Content(&'b str, &'b Block),
    /// Nothing to read: no block is made, or no content to read.
    Skip,
}

/// A `for_each` or `count` the code fixes to nothing: an empty list, set or map, or 0.
fn is_empty_collection(v: &TfVal) -> bool {
    match v {
        TfVal::List(l) => l.is_empty(),
        TfVal::Map(m) => m.is_empty(),
        TfVal::Scalar(Value::Num(n)) => n.parse::<f64>().is_ok_and(|n| n == 0.0),
        _ => false,
    }
}

/// An empty string literal (a known `""`, not an unknown value).
fn is_empty_text(v: &Node<'_>) -> bool {
    matches!(&v.content, crate::syntax::Content::Text(t) if t.is_empty())
}

fn builder<'m, 'x>(module: &'x Module<'m>, file: usize, path: String) -> Builder<'m, 'x> {
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
    }
}

/// `resource "aws_s3_bucket_replication_configuration"`.
fn standalone<'m>(module: &Module<'m>, name: &str, r: At<'m, Block>) -> Extracted<'static> {
    let address = format!("{}{REPLICATION}.{name}", module.prefix);
    let mut b = builder(module, r.file, address.clone());
    let mut members = Vec::new();
    let mut rules = Vec::new();
    let rs = span(r.item.span());
    let mut rules_span: Option<Span> = None;
    for meta in ["count", "for_each"] {
        if let Some(a) = r.item.body.get_attribute(meta) {
            b.diagnostics.push(Diagnostic::new(
                codes::UNSUPPORTED_CONSTRUCT.code,
                Severity::Info,
                span(a.key.span()),
                address.clone(),
                format!("`{meta}` is not expanded: the configuration is checked once, with `count.index`/`each` values unknown"),
            ));
        }
    }
    for st in r.item.body.iter() {
        match st {
            Structure::Attribute(a) => match a.key.as_str() {
                "role" => {
                    if let Some(v) = b.scalar(&a.value, &Kind::String) {
                        members.push(eval::member("Role", span(a.key.span()), span(a.span()), v));
                    }
                }
                "bucket"
                | "token"
                | "provider"
                | "region"
                | "depends_on"
                | "count"
                | "for_each"
                | "expected_bucket_owner" => {}
                other => b.unknown_name(
                    other,
                    span(a.key.span()),
                    &schema::ROOT,
                    &["bucket", "token"],
                ),
            },
            Structure::Block(inner) => match inner.ident.as_str() {
                "rule" => {
                    let len = b.path.len();
                    b.path.push_str(&format!(".rule[{}]", rules.len()));
                    rules.push(b.rule(inner));
                    b.path.truncate(len);
                    let s = span(inner.span());
                    rules_span = Some(rules_span.map_or(s, |x| x.cover(s)));
                }
                "dynamic" => match b.dynamic(inner) {
                    Dynamic::Content("rule", content) => {
                        let len = b.path.len();
                        b.path.push_str(&format!(".rule[{}]", rules.len()));
                        rules.push(b.rule(content));
                        b.path.truncate(len);
                        let s = span(inner.span());
                        rules_span = Some(rules_span.map_or(s, |x| x.cover(s)));
                        // How many rules there are is not known: checks on the rule list
                        // (none, too many, one destination...) are not verified.
                        b.tainted.push(rs);
                    }
                    Dynamic::Content(other, _) => b.unknown_name(
                        other,
                        span(inner.ident.span()),
                        &schema::ROOT,
                        &["bucket", "token"],
                    ),
                    Dynamic::Skip => {
                        b.tainted.push(rs);
                    }
                    Dynamic::Not => {}
                },
                "lifecycle" | "timeouts" => {}
                other => b.unknown_name(
                    other,
                    span(inner.ident.span()),
                    &schema::ROOT,
                    &["bucket", "token"],
                ),
            },
        }
    }
    let rules_span = rules_span.unwrap_or(span(r.item.ident.span()));
    members.push(eval::member(
        "Rules",
        rules_span,
        rules_span,
        eval::array(rules, rules_span),
    ));
    // Facts: the source bucket and the destinations.
    let bucket_expr = attr(r.item, "bucket");
    let bucket_value = bucket_expr.map(|e| b.eval(e));
    if let (Some(e), Some(v)) = (bucket_expr, bucket_value.as_ref().and_then(|v| v.text())) {
        b.context.source_bucket = Some(v.clone());
        b.context.inferred.push("source_bucket");
        b.fact_at(
            "sourceBucket",
            &v,
            r.file,
            span_of(e),
            format!("{address}: bucket"),
        );
    }
    let source = bucket_expr.and_then(|e| {
        module.bucket_resource(e, bucket_value.as_ref().and_then(|v| v.text()).as_deref())
    });
    match &source {
        Some((owner, n, bucket)) => {
            // A caller's bucket: its facts are read in the caller.
            b.module = owner;
            source_facts(&mut b, n, *bucket);
            b.module = module;
        }
        None => {
            // The configuration is applied in the source bucket's Region.
            if let Some((region, file, s, from)) = module.region_of(r) {
                b.fact_at("sourceRegion", &region, file, s, from);
                b.context.source_region = Some(region);
                b.context.inferred.push("source_region");
            }
        }
    }
    let root = eval::member(
        "ReplicationConfiguration",
        span(r.item.ident.span()),
        rs,
        eval::object(members, rs),
    );
    destination_facts(&mut b, &root);
    // The policies are this module's: a caller's source bucket is not one of its resources.
    let own = source
        .as_ref()
        .filter(|(owner, ..)| std::ptr::eq(*owner, module))
        .map(|(_, n, _)| n.as_str());
    let found = policies::find(module, r, own);
    finish(b, address, r.file, root, found)
}

fn finish(
    b: Builder<'_, '_>,
    address: String,
    file: usize,
    root: Member<'static>,
    policies: super::policies::FoundPolicies,
) -> Extracted<'static> {
    Extracted {
        address,
        file,
        root,
        dialect: Dialect::Terraform,
        unknowns: b.unknowns,
        tainted: b.tainted,
        context: b.context,
        facts: b.facts,
        diagnostics: b.diagnostics,
        policies,
    }
}

/// Region, versioning, encryption and Object Lock of the source bucket resource.
fn source_facts<'m>(b: &mut Builder<'m, '_>, name: &str, bucket: At<'m, Block>) {
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
    let bf = bucket_facts(b, name, bucket, literal.as_deref(), "source");
    if let Some(v) = bf.versioning {
        b.context.source_versioning = Some(v);
        b.context.inferred.push("source_versioning");
    }
    if let Some(k) = bf.bucket_keys {
        b.context.source_bucket_keys = Some(k);
        b.context.inferred.push("source_bucket_keys");
    }
    if let Some(l) = bf.object_lock {
        b.context.object_lock = Some(l);
        b.context.inferred.push("object_lock");
    }
    if let Some(k) = bf.kms_key.filter(|k| k.starts_with("arn:")) {
        b.context.source_kms_keys.push(k);
    }
}

#[derive(Default)]
struct BucketFacts {
    versioning: Option<String>,
    bucket_keys: Option<bool>,
    object_lock: Option<bool>,
    default_encryption: Option<String>,
    kms_key: Option<String>,
}

/// What the module says about bucket resource `name`: separate resources first, then the
/// bucket's own (legacy) blocks.
fn bucket_facts<'m>(
    b: &mut Builder<'m, '_>,
    name: &str,
    bucket: At<'m, Block>,
    literal: Option<&str>,
    field: &str,
) -> BucketFacts {
    let module = b.module;
    let mut out = BucketFacts::default();
    let key = |what: &str| {
        if field == "source" {
            format!("source{what}")
        } else {
            format!("{field}.{}", what.to_ascii_lowercase())
        }
    };
    // Versioning.
    if let Some(v) = module
        .for_bucket("aws_s3_bucket_versioning", name, literal)
        .first()
    {
        let status = v
            .item
            .body
            .blocks()
            .find(|x| x.ident.as_str() == "versioning_configuration")
            .and_then(|c| {
                attr(c, "status").map(|e| (module.eval_in(v.file, e, 0).text(), span_of(e)))
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
            if let TfVal::Scalar(Value::Bool(on)) = module.eval_in(bucket.file, e, 0) {
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
    } else {
        // The bucket is declared here with no versioning anywhere in the module.
        b.fact_at(&key("Versioning"), "Disabled", bucket.file, span(bucket.item.ident.span()), format!("{}aws_s3_bucket.{name}: no aws_s3_bucket_versioning or versioning block in this module", module.prefix));
        out.versioning = Some("Disabled".into());
    }
    // Default encryption and Bucket Keys.
    let sse_rule = |blk: &'m Block| blk.body.blocks().find(|x| x.ident.as_str() == "rule");
    let sse = module
        .for_bucket(
            "aws_s3_bucket_server_side_encryption_configuration",
            name,
            literal,
        )
        .first()
        .and_then(|s| sse_rule(s.item).map(|r| (s.file, r)))
        .or_else(|| {
            bucket
                .item
                .body
                .blocks()
                .find(|x| x.ident.as_str() == "server_side_encryption_configuration")
                .and_then(|s| sse_rule(s).map(|r| (bucket.file, r)))
        });
    if let Some((file, rule)) = sse {
        let keys =
            attr(rule, "bucket_key_enabled").map(|e| (module.eval_in(file, e, 0), span_of(e)));
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
            if let Some(alg) =
                attr(d, "sse_algorithm").and_then(|e| module.eval_in(file, e, 0).text())
            {
                out.default_encryption = Some(match alg.as_str() {
                    "aws:kms" => "SSE-KMS".into(),
                    "aws:kms:dsse" => "DSSE-KMS".into(),
                    _ => "SSE-S3".into(),
                });
            }
            out.kms_key =
                attr(d, "kms_master_key_id").and_then(|e| module.eval_in(file, e, 0).text());
        }
    }
    // Object Lock.
    let lock = attr(bucket.item, "object_lock_enabled").map(|e| module.eval_in(bucket.file, e, 0));
    out.object_lock = match lock {
        Some(TfVal::Scalar(Value::Bool(l))) => Some(l),
        Some(_) => None,
        None => Some(
            bucket
                .item
                .body
                .blocks()
                .any(|x| x.ident.as_str() == "object_lock_configuration")
                || !module
                    .for_bucket("aws_s3_bucket_object_lock_configuration", name, literal)
                    .is_empty(),
        ),
    };
    out
}

/// Region, account, versioning and encryption of destination buckets declared here.
fn destination_facts(b: &mut Builder<'_, '_>, root: &Member<'static>) {
    let module = b.module;
    let mut buckets = Vec::new();
    eval::collect_buckets(&root.value, &mut buckets);
    for (value, _) in buckets {
        let name = crate::arn::bucket_name(&value).to_string();
        if name.is_empty() || name.starts_with("${") || b.context.destinations.contains_key(&name) {
            continue;
        }
        // Declared here or in a caller: its facts are read in the module declaring it.
        let Some((owner, rname, r)) = module.bucket_named(&name) else {
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
        let bf = bucket_facts(b, &rname, r, Some(&name), &field);
        b.module = module;
        d.versioning = bf.versioning;
        d.bucket_keys = bf.bucket_keys;
        d.default_encryption = bf.default_encryption;
        b.context.destinations.insert(name, d);
    }
}

/// The legacy `aws_s3_bucket { replication_configuration { ... } }` block (`dynamic`: the
/// `dynamic "replication_configuration"` block whose content `rc` is).
fn inline<'m>(
    module: &Module<'m>,
    name: &str,
    r: At<'m, Block>,
    rc: &Block,
    dynamic: Option<&Block>,
) -> Extracted<'static> {
    let address = format!("{}aws_s3_bucket.{name}", module.prefix);
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
            Structure::Block(d) if d.ident.as_str() == "dynamic" => match b.dynamic(d) {
                Dynamic::Content("rules", content) => {
                    let len = b.path.len();
                    b.path.push_str(&format!(".rules[{}]", rules.len()));
                    if let Some(rule) = legacy_rule(&mut b, content) {
                        rules.push(rule);
                    }
                    b.path.truncate(len);
                    let s = span(d.span());
                    rules_span = Some(rules_span.map_or(s, |x| x.cover(s)));
                    b.tainted.push(rs);
                }
                Dynamic::Content(other, _) => {
                    b.unknown_name(other, span(d.ident.span()), &schema::ROOT, &["rules"])
                }
                Dynamic::Skip => b.tainted.push(rs),
                Dynamic::Not => {}
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
            let Some(v) = b.scalar(&a.value, &kind).filter(|v| !is_empty_text(v)) else {
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
