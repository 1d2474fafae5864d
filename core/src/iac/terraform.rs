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

use super::eval;
use super::eval::Value;
use super::hcl::span_of;
use super::hcl::TfVal;
use super::path::Dialect;
use super::{Extracted, Found, SourceFile};
use crate::catalogue::parse as codes;
use crate::context::DeploymentContext;
use crate::diagnostic::{Diagnostic, Severity};
use crate::schema::{self, Field, Kind, Shape};
use crate::source::Span;
use crate::syntax::Member;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, BlockLabel, Body, Structure};
use hcl_edit::Span as _;

mod builder;
mod dynamic;
mod facts;
mod inline;
mod installed;
mod json;
mod kms_data;
mod module;
mod modules;

pub use json::is_json;
mod policies;
use builder::{builder, is_empty_collection, is_empty_text, Builder};
use facts::{destination_facts, source_facts};
use inline::inline;
use module::{At, Module};

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

/// `terraform.tfvars` and `*.auto.tfvars` (or their `.json` forms): what `terraform plan`
/// reads without flags.
pub fn is_tfvars(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name == "terraform.tfvars" || name.ends_with(".auto.tfvars") || json::is_tfvars_json(name)
}

fn attr<'b>(b: &'b Block, name: &str) -> Option<&'b Expression> {
    b.body.get_attribute(name).map(|a| &a.value)
}

pub fn find(files: &[SourceFile], given: &DeploymentContext) -> Found<'static> {
    let mut file_diagnostics = vec![Vec::new(); files.len()];
    // `.tf.json` files are read in the native syntax they stand for, and what is found in
    // them is moved back into their JSON at the end.
    let json = json::Json::read(files);
    let files = json.files(files);
    // `terraform init`'s manifests of installed modules: read as such, not as module files.
    let mut installed = Vec::new();
    let bodies: Vec<Option<Body>> = files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            if installed::is_manifest(&f.path) && f.text.len() <= crate::parse::HARD_MAX_BYTES {
                installed.extend(installed::read(f, &mut file_diagnostics[i]));
                return None;
            }
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
    let configurations = modules::walk(files, &bodies, &installed, given, &mut file_diagnostics);
    let mut found = Found {
        configurations,
        file_diagnostics,
    };
    json.back(&mut found);
    found
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
            REPLICATION => match instances(module, *r) {
                Some((keys, overridable)) => {
                    for k in keys {
                        let mut c =
                            module.with_instance(*r, &k, || standalone(module, name, *r, Some(&k)));
                        if overridable {
                            by_defaults(&mut c, *r);
                        }
                        out.push(c);
                    }
                    None
                }
                None => Some(standalone(module, name, *r, None)),
            },
            "aws_s3_bucket" => {
                // A bucket with `count` or `for_each` the code fixes: its inline block is
                // read once per instance, as for the replication resource.
                let read = |key: Option<&InstanceKey>| {
                    r.item.body.blocks().find_map(|b| match b.ident.as_str() {
                        "replication_configuration" => Some(inline(module, name, *r, b, None, key)),
                        "dynamic" if label(b, 0) == Some("replication_configuration") => {
                            let content =
                                b.body.blocks().find(|x| x.ident.as_str() == "content")?;
                            // A `for_each` only root defaults leave empty is read all the same.
                            let none = attr(b, "for_each")
                                .is_some_and(|e| makes_nothing(module, r.file, e) == Some(false));
                            if none {
                                return None;
                            }
                            // One block whose element the code fixes: read as Terraform makes it.
                            Some(match dynamic::single(module, r.file, b) {
                                Some(binding) => {
                                    module.iterators.borrow_mut().push(binding);
                                    let c = inline(module, name, *r, content, None, key);
                                    module.iterators.borrow_mut().pop();
                                    c
                                }
                                None => inline(module, name, *r, content, Some(b), key),
                            })
                        }
                        _ => None,
                    })
                };
                match instances(module, *r) {
                    Some((keys, overridable)) => {
                        for k in keys {
                            let c = module.with_instance(*r, &k, || read(Some(&k)));
                            out.extend(c.map(|mut c| {
                                if overridable {
                                    by_defaults(&mut c, *r);
                                }
                                c
                            }));
                        }
                        None
                    }
                    None => read(None),
                }
            }
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

/// An instance of a resource whose `for_each` only the defaults of root variables fix:
/// every finding in it is only "not verified", and it says why.
fn by_defaults(c: &mut Extracted<'static>, r: At<'_, Block>) {
    c.tainted.push(span(r.item.span()));
    if let Some(a) = r.item.body.get_attribute("for_each") {
        c.diagnostics.push(Diagnostic::new(
            codes::UNSUPPORTED_CONSTRUCT.code,
            Severity::Info,
            span(a.key.span()),
            c.address.clone(),
            "`for_each` is expanded with the defaults of this module's variables: the command line (`-var`, a `.tfvars` file) may make other instances, so every finding in them is only \"not verified\"".to_string(),
        ));
    }
}

thread_local! {
    /// Set when an evaluation used the default of a root module's variable: a value the
    /// command line (`-var`, `-var-file`) can change.
    static ROOT_DEFAULT_USED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` and says whether it used the default of a root module's variable (nested
/// measures each see their own; an outer one sees what the inner ones saw).
fn measured<T>(f: impl FnOnce() -> T) -> (T, bool) {
    let outer = ROOT_DEFAULT_USED.with(|u| u.replace(false));
    let out = f();
    let used = ROOT_DEFAULT_USED.with(|u| u.replace(outer));
    if used {
        ROOT_DEFAULT_USED.with(|u| u.set(true));
    }
    (out, used)
}

/// Whether `e` (a `count` or `for_each`) makes nothing with the values this code gives:
/// `Some(false)` when so for good, `Some(true)` when only the defaults of root variables make
/// it so (the command line may set them otherwise), `None` when it makes something or may.
fn makes_nothing(module: &Module<'_>, file: usize, e: &Expression) -> Option<bool> {
    let (none, overridable) = measured(|| is_empty_collection(&module.eval_in(file, e, 0)));
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

/// The most instances a resource's `for_each` or `count` is expanded to.
const MAX_INSTANCES: usize = 64;

/// One instance of a resource or module call: a `for_each` key with its `each.value`, or a
/// `count.index`.
#[derive(Clone, Debug)]
pub(super) enum InstanceKey {
    Each(String, TfVal),
    Index(usize),
}

impl InstanceKey {
    /// How Terraform's addresses write it: `["key"]`, `[0]`.
    pub(super) fn address(&self) -> String {
        match self {
            InstanceKey::Each(k, _) => format!("[{k:?}]"),
            InstanceKey::Index(i) => format!("[{i}]"),
        }
    }
}

/// A `count` value as the number of instances it makes, when the code fixes it to a whole
/// number (Terraform also takes a string that reads as one).
pub(super) fn whole_count(v: &TfVal) -> Option<usize> {
    let n: f64 = v.text()?.trim().parse().ok()?;
    (n.fract() == 0.0 && (0.0..=1e9).contains(&n)).then_some(n as usize)
}

/// The keys a `for_each` value makes, each with its `each.value`, in Terraform's order;
/// `None` when not known.
pub(super) fn for_each_keys(value: &TfVal) -> Option<Vec<(String, TfVal)>> {
    let mut keys: Vec<(String, TfVal)> = match value {
        // A set of strings: `each.key` and `each.value` are both the element.
        TfVal::List(l) => l
            .iter()
            .map(|v| v.text().map(|t| (t.clone(), TfVal::Scalar(Value::Str(t)))))
            .collect::<Option<_>>()?,
        TfVal::Map(m) => m.clone(),
        _ => return None,
    };
    keys.sort_by(|a, b| a.0.cmp(&b.0));
    keys.dedup_by(|a, b| a.0 == b.0);
    Some(keys)
}

/// The instances a replication resource's (or module call's) `for_each` or `count` makes,
/// when the code fixes them: each key (a set's element, or a map's key) with its
/// `each.value`, in Terraform's order, or each `count.index`; and whether only the defaults
/// of root variables fix them (`-var` may make others). `None` without `for_each`/`count`,
/// when the value is not known, or makes more than [`MAX_INSTANCES`].
fn instances(module: &Module<'_>, r: At<'_, Block>) -> Option<(Vec<InstanceKey>, bool)> {
    let Some(e) = r.item.body.get_attribute("for_each") else {
        let c = r.item.body.get_attribute("count")?;
        let n = whole_count(&module.eval_in(r.file, &c.value, 0))?;
        // Instance `i` reads the same whatever the number of instances (each names its own
        // `count.index`, and nothing in it can see how many others there are unless its
        // expressions say so, which they then read as they are): a count that only the
        // defaults of root variables fix makes instances whose findings stand, unlike a
        // `for_each`, whose keys and values the command line would change.
        return (1..=MAX_INSTANCES)
            .contains(&n)
            .then(|| ((0..n).map(InstanceKey::Index).collect(), false));
    };
    if r.item.body.get_attribute("count").is_some() {
        return None;
    }
    let (keys, overridable) = measured(|| for_each_keys(&module.eval_in(r.file, &e.value, 0)));
    let keys: Vec<InstanceKey> = keys?
        .into_iter()
        .map(|(k, v)| InstanceKey::Each(k, v))
        .collect();
    (!keys.is_empty() && keys.len() <= MAX_INSTANCES).then_some((keys, overridable))
}

/// `resource "aws_s3_bucket_replication_configuration"`, or its instance `key` (its
/// `for_each` or `count` expanded, `each` or `count.index` bound by the caller).
fn standalone<'m>(
    module: &Module<'m>,
    name: &str,
    r: At<'m, Block>,
    key: Option<&InstanceKey>,
) -> Extracted<'static> {
    let address = match key {
        Some(k) => format!("{}{REPLICATION}.{name}{}", module.prefix, k.address()),
        None => format!("{}{REPLICATION}.{name}", module.prefix),
    };
    let mut b = builder(module, r.file, address.clone());
    let mut members = Vec::new();
    let mut rules = Vec::new();
    let rs = span(r.item.span());
    let mut rules_span: Option<Span> = None;
    for meta in ["count", "for_each"] {
        if key.is_some() {
            break;
        }
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
                "dynamic" => match b.blocks(inner) {
                    Some(blocks) if blocks.label == "rule" => {
                        for (content, binding) in &blocks.each {
                            let len = b.path.len();
                            b.path.push_str(&format!(".rule[{}]", rules.len()));
                            let rule = b.bound(binding, |b| b.rule(content));
                            rules.push(rule);
                            b.path.truncate(len);
                        }
                        let s = span(inner.span());
                        rules_span = Some(rules_span.map_or(s, |x| x.cover(s)));
                        // How many rules there are is not known: checks on the rule list
                        // (none, too many, one destination...) are not verified.
                        if !blocks.sure {
                            b.tainted.push(rs);
                        }
                    }
                    Some(other) => b.unknown_name(
                        other.label,
                        span(inner.ident.span()),
                        &schema::ROOT,
                        &["bucket", "token"],
                    ),
                    None => {
                        b.tainted.push(rs);
                    }
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
    mut b: Builder<'_, '_>,
    address: String,
    file: usize,
    root: Member<'static>,
    policies: super::policies::FoundPolicies,
) -> Extracted<'static> {
    // The blocks a `dynamic` block makes share its text: a finding there is said once.
    let mut seen = std::collections::HashSet::new();
    b.diagnostics
        .retain(|d| seen.insert((d.code, d.span.start, d.span.end, d.message.clone())));
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
