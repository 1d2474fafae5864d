//! Terraform plans (`terraform show -json plan.out`): the resolved values of
//! `aws_s3_bucket_replication_configuration` resources in `planned_values` (child modules
//! included). Values marked unknown in `resource_changes[].change.after_unknown` stay unknown.
//! Blocks are arrays of objects there; the same provider rules as for HCL apply (V1/V2 by
//! the presence of `filter`, Priority 0 by default, filter precedence).

use super::eval::{self, Value};
use super::{Extracted, Found, SourceFile, Unknown};
use crate::catalogue::parse as codes;
use crate::context::DeploymentContext;
use crate::diagnostic::Diagnostic;
use crate::schema::{self, Kind, Shape};
use crate::source::Span;
use crate::syntax::{Content, Member, Node};

mod facts;
mod policies;
mod translate;
use translate::{resource, translate_inline};

fn get<'n>(node: &'n Node<'static>, name: &str) -> Option<&'n Node<'static>> {
    match &node.content {
        Content::Object(ms) => ms.iter().rev().find(|m| m.name == name).map(|m| &m.value),
        _ => None,
    }
}

fn member<'n>(node: &'n Node<'static>, name: &str) -> Option<&'n Member<'static>> {
    match &node.content {
        Content::Object(ms) => ms.iter().rev().find(|m| m.name == name),
        _ => None,
    }
}

fn items<'n>(node: Option<&'n Node<'static>>) -> &'n [Node<'static>] {
    match node.map(|n| &n.content) {
        Some(Content::Array(items)) => items,
        _ => &[],
    }
}

/// The first element of a block list (`[]` or `null`: absent).
fn block<'n>(node: &'n Node<'static>, name: &str) -> Option<&'n Node<'static>> {
    items(get(node, name)).first()
}

fn text(node: &Node<'_>) -> Option<String> {
    match &node.content {
        Content::Text(t) => Some(t.to_string()),
        Content::Number(n) => Some(n.to_string()),
        Content::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub fn find(files: &[SourceFile], _given: &DeploymentContext) -> Found<'static> {
    super::each_file(files, read_plan)
}

fn read_plan(
    i: usize,
    f: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Extracted<'static>> {
    let mut out = Vec::new();
    let Some(root) =
        crate::parse::json::parse_tree_into(&f.text, diagnostics).map(super::eval::own)
    else {
        return out;
    };
    if let Some(v) = get(&root, "format_version")
        .and_then(text)
        .filter(|v| !v.starts_with("1."))
    {
        diagnostics.push(Diagnostic::new(
            codes::MALFORMED.code,
            codes::MALFORMED.severity,
            member(&root, "format_version").map_or(Span::empty(0), |m| m.value.span),
            "format_version",
            format!("Plan format {v} is not supported (only 1.x)"),
        ));
    }
    let changes = items(get(&root, "resource_changes"));
    // A plan's `planned_values`, or a state's `values` (`terraform show -json` without a plan).
    let module = get(&root, "planned_values")
        .and_then(|p| get(p, "root_module"))
        .or_else(|| get(&root, "values").and_then(|p| get(p, "root_module")));
    let mut stack: Vec<&Node<'static>> = module.into_iter().collect();
    let mut seen = 0usize;
    let mut resources = Vec::new();
    let mut planned = Vec::new();
    while let Some(m) = stack.pop() {
        seen += 1;
        if seen > 10_000 {
            break;
        }
        stack.extend(items(get(m, "child_modules")).iter());
        for r in items(get(m, "resources")) {
            if get(r, "mode").and_then(text).as_deref() == Some("data") {
                continue;
            }
            let ty = get(r, "type").and_then(text).unwrap_or_default();
            let Some(values) = get(r, "values") else {
                continue;
            };
            planned.push(facts::Planned {
                ty: ty.clone(),
                address: get(r, "address").and_then(text).unwrap_or_default(),
                values,
            });
            if ty == REPLICATION || ty == "aws_s3_bucket" {
                resources.push((ty, r, values));
            }
        }
    }
    let unknown_of = |address: &str| {
        changes
            .iter()
            .find(|c| get(c, "address").and_then(text).as_deref() == Some(address))
            .and_then(|c| get(c, "change"))
            .and_then(|c| get(c, "after_unknown"))
    };
    // Buckets a standalone resource configures: the v4+ provider refreshes the bucket's own
    // (deprecated, computed) `replication_configuration` from S3, a mirror of it.
    let configured: Vec<String> = resources
        .iter()
        .filter(|(ty, ..)| ty == REPLICATION)
        .filter_map(|(_, _, v)| get(v, "bucket").and_then(text))
        .collect();
    let plan = facts::Plan {
        resources: planned,
        root: &root,
        file: f,
        file_index: i,
        changes,
        index: crate::source::LineIndex::new(&f.text),
    };
    for (ty, r, values) in resources {
        let address = get(r, "address").and_then(text).unwrap_or_default();
        if ty == REPLICATION {
            let mut c = resource(&address, i, values, unknown_of(&address));
            plan.facts(&mut c, &address);
            c.policies = plan.policies(&c, &address);
            out.push(c);
            continue;
        }
        // The legacy inline block (AWS provider v3), when the code writes it.
        let Some(rc) = block(values, "replication_configuration") else {
            continue;
        };
        let bucket = get(values, "bucket").and_then(text);
        let written = match written_in_configuration(&root, &address) {
            Some(w) => w,
            None => !bucket.as_ref().is_some_and(|b| configured.contains(b)),
        };
        if written {
            let unknown = unknown_of(&address)
                .and_then(|u| items(get(u, "replication_configuration")).first());
            let mut c = translate_inline(&address, i, values, rc, unknown);
            plan.facts(&mut c, &address);
            c.policies = plan.policies(&c, &address);
            out.push(c);
        }
    }
    out
}

const REPLICATION: &str = "aws_s3_bucket_replication_configuration";

/// Whether the plan's `configuration` (what the code says) gives the resource at `address`
/// a `replication_configuration` block; `None` when it does not tell.
fn written_in_configuration(root: &Node<'static>, address: &str) -> Option<bool> {
    let mut module = get(get(root, "configuration")?, "root_module")?;
    // `module.a["x"].module.b[0].aws_s3_bucket.c[1]` -> module calls a, b; resource
    // `aws_s3_bucket.c`.
    let mut parts: Vec<String> = Vec::new();
    let mut depth = 0usize;
    let mut cur = String::new();
    for ch in address.chars() {
        match ch {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '.' if depth == 0 => parts.push(std::mem::take(&mut cur)),
            c if depth == 0 => cur.push(c),
            _ => {}
        }
    }
    parts.push(cur);
    let mut rest = parts.as_slice();
    while let [m, name, tail @ ..] = rest {
        if m != "module" {
            break;
        }
        module = get(get(get(module, "module_calls")?, name)?, "module")?;
        rest = tail;
    }
    let want = rest.join(".");
    let r = items(get(module, "resources"))
        .iter()
        .find(|r| get(r, "address").and_then(text).as_deref() == Some(want.as_str()))?;
    let expressions = get(r, "expressions")?;
    Some(member(expressions, "replication_configuration").is_some())
}

struct Plan {
    unknowns: Vec<Unknown>,
}

/// `Rules`, as both readers send it.
fn rules_member(rules: Vec<Node<'static>>, span: Span) -> Member<'static> {
    eval::member("Rules", span, span, eval::array(rules, span))
}

impl Plan {
    /// A V1 rule's `Prefix`: the provider always sends one (empty when not set).
    fn v1_prefix(&mut self, r: &Node<'static>, u: Option<&Node<'static>>) -> Member<'static> {
        let (v, at) = self
            .scalar(r, u, "prefix", &Kind::String)
            .unwrap_or_else(|| {
                (
                    eval::scalar(&Value::Str(String::new()), &Kind::String, r.span),
                    r.span,
                )
            });
        eval::member("Prefix", at, at, v)
    }

    /// A scalar of `values`, or its `after_unknown` mark.
    fn scalar(
        &mut self,
        values: &Node<'static>,
        unknown: Option<&Node<'static>>,
        name: &str,
        kind: &Kind,
    ) -> Option<(Node<'static>, Span)> {
        let is_unknown = unknown
            .and_then(|u| get(u, name))
            .is_some_and(|u| matches!(u.content, Content::Bool(true)));
        let m = member(values, name);
        let at = m.map_or(values.span, |m| m.name_span);
        if is_unknown {
            let expr = format!("(known after apply: {name})");
            self.unknowns.push(Unknown {
                span: at,
                expression: expr.clone(),
                keep: eval::Keep::NONE,
            });
            return Some((eval::scalar(&Value::Unknown(expr), kind, at), at));
        }
        let v = &m?.value;
        let value = match &v.content {
            Content::Null => return None,
            Content::Text(t) => Value::Str(t.to_string()),
            Content::Number(n) => Value::Num(n.to_string()),
            Content::Bool(b) => Value::Bool(*b),
            _ => return Some((v.clone(), at)),
        };
        Some((eval::scalar(&value, kind, v.span), at))
    }

    fn block(
        &mut self,
        values: &Node<'static>,
        unknown: Option<&Node<'static>>,
        shape: &'static Shape,
    ) -> Node<'static> {
        let mut out = Vec::new();
        for f in shape.fields {
            if f.tf.is_empty() {
                continue;
            }
            match &f.kind {
                Kind::Struct(s) => {
                    if let Some(b) = block(values, f.tf) {
                        let u = unknown.and_then(|u| items(get(u, f.tf)).first());
                        let v = self.block(b, u, s);
                        out.push(eval::member(f.json, b.span, b.span, v));
                    }
                }
                kind => {
                    // SDKv2 stores unset strings as "" (in the state and in update plans);
                    // the provider sends none of them (`ok && v != ""`).
                    let value = self
                        .scalar(values, unknown, f.tf, kind)
                        .filter(|(v, _)| !matches!(&v.content, Content::Text(t) if t.is_empty()));
                    if let Some((v, at)) = value {
                        out.push(eval::member(f.json, at, at, v));
                    }
                }
            }
        }
        eval::object(out, values.span)
    }
}

/// Whether `name` is a block (or the `tags` map) of a rule, whose value `after_unknown` may
/// mark as a whole: a structure or list member below the root, in Terraform's spelling.
fn is_block(name: &str) -> bool {
    schema::shapes()
        .into_iter()
        .filter(|s| !std::ptr::eq(*s, &schema::ROOT))
        .flat_map(|s| s.fields.iter())
        .any(|f| {
            (f.list || matches!(f.kind, Kind::Struct(_))) && f.tf != schema::ABSENT && f.tf == name
        })
}

/// Whether an `after_unknown` tree marks a block (not a scalar) unknown as a whole.
fn unknown_block(u: &Node<'static>) -> bool {
    match &u.content {
        Content::Object(ms) => ms.iter().any(|m| {
            (matches!(m.value.content, Content::Bool(true)) && is_block(&m.name))
                || unknown_block(&m.value)
        }),
        Content::Array(items) => items.iter().any(unknown_block),
        _ => false,
    }
}
