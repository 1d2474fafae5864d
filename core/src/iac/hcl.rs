//! Static evaluation of Terraform (HCL) expressions, in the manner of tflint: literals,
//! templates over known parts, `var.*` defaults, `local.*`, a few pure functions and the
//! attributes of resources the module declares. Everything else stays unknown, with its
//! source text; nothing is guessed.

use super::eval::Value;
use crate::source::Span;
use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::template::Element;
use hcl_edit::Span as _;

mod functions;
mod types;
pub use functions::known;
pub use types::conform;

/// Evaluation deeper than this (locals referring to locals...) is given up as unknown.
pub const MAX_DEPTH: usize = 24;

thread_local! {
    /// Set when an evaluation met what Terraform reports as an error (an attribute a known
    /// object lacks, `tobool("Enabled")`...), as opposed to a value not known here: `try()`
    /// and `can()` move on from the first, never from the second.
    static ERROR: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Marks the expression being evaluated as one Terraform fails on.
pub fn error() {
    ERROR.with(|e| e.set(true));
}

/// `value.key` or `value[key]` (`[n]` or `n` for a list index); `None` when not known. A key
/// a known object lacks, an index past a known list's end, an attribute of null or of a
/// string are errors in Terraform, and marked so.
pub fn index(value: TfVal, key: &str) -> Option<TfVal> {
    let n = key.trim_start_matches('[').trim_end_matches(']');
    let found = match value {
        TfVal::Map(m) => m.into_iter().find(|(k, _)| k == n).map(|(_, v)| v),
        TfVal::List(l) => n.parse::<usize>().ok().and_then(|i| l.into_iter().nth(i)),
        TfVal::Scalar(Value::Unknown(_) | Value::Partial { .. }) => return None,
        TfVal::Scalar(_) | TfVal::Null => None,
    };
    if found.is_none() {
        error();
    }
    found
}

/// An evaluated expression.
#[derive(Clone, Debug, PartialEq)]
pub enum TfVal {
    Scalar(Value),
    List(Vec<TfVal>),
    Map(Vec<(String, TfVal)>),
    Null,
}

impl TfVal {
    pub fn unknown(expr: impl Into<String>) -> TfVal {
        TfVal::Scalar(Value::Unknown(expr.into()))
    }

    pub fn text(&self) -> Option<String> {
        match self {
            TfVal::Scalar(v) => v.as_text(),
            _ => None,
        }
    }
}

pub fn span_of(e: &Expression) -> Span {
    e.span()
        .map_or(Span::empty(0), |r| Span::new(r.start, r.end))
}

/// What the evaluator asks its module about.
pub trait Scope {
    /// The source text of `span` in the file being evaluated.
    fn source(&self, span: Span) -> String;
    /// `var.NAME`, `local.NAME`, a resource's or data source's attribute:
    /// `["var", "x"]`, `["aws_s3_bucket", "b", "arn"]`, `["data", "aws_region", "r", "name"]`;
    /// an instance's: `["aws_s3_bucket", "b", "[0]", "arn"]`, `["aws_s3_bucket", "b",
    /// "[\"key\"]", "arn"]`.
    fn lookup(&self, path: &[String], depth: usize) -> Option<TfVal>;
    /// The instance keys of resource `path` (`["aws_iam_role", "r"]`) a splat
    /// (`aws_iam_role.r[*].arn`) iterates, in order (`[0]`, `[1]`...; `""` for a resource
    /// without `count`, a list of one); `None` when not known.
    fn instance_keys(&self, _path: &[String], _depth: usize) -> Option<Vec<String>> {
        None
    }
}

pub fn eval(e: &Expression, scope: &dyn Scope, depth: usize) -> TfVal {
    let unknown = || TfVal::unknown(scope.source(span_of(e)));
    if depth > MAX_DEPTH {
        return unknown();
    }
    match e {
        Expression::Null(_) => TfVal::Null,
        Expression::Bool(b) => TfVal::Scalar(Value::Bool(*b.value())),
        Expression::Number(n) => TfVal::Scalar(Value::Num(n.value().to_string())),
        Expression::String(s) => TfVal::Scalar(Value::Str(s.value().to_string())),
        Expression::Array(a) => TfVal::List(a.iter().map(|x| eval(x, scope, depth + 1)).collect()),
        Expression::Object(o) => {
            let mut out = Vec::new();
            for (k, v) in o.iter() {
                let key = match k {
                    ObjectKey::Ident(i) => Some(i.as_str().to_string()),
                    ObjectKey::Expression(x) => eval(x, scope, depth + 1).text(),
                };
                match key {
                    Some(key) => out.push((key, eval(v.expr(), scope, depth + 1))),
                    None => return unknown(),
                }
            }
            TfVal::Map(out)
        }
        Expression::StringTemplate(t) => {
            // `"${x}"` is `x` itself, with its type (Terraform 0.11 style).
            let mut elements = t.iter();
            if let (Some(Element::Interpolation(i)), None) = (elements.next(), elements.next()) {
                return match eval(&i.expr, scope, depth + 1) {
                    TfVal::Scalar(Value::Unknown(_)) => unknown(),
                    v => v,
                };
            }
            template(t.iter(), scope, depth).map_or_else(unknown, |s| TfVal::Scalar(Value::Str(s)))
        }
        Expression::HeredocTemplate(h) => {
            let raw = template(h.template.iter(), scope, depth);
            raw.map_or_else(unknown, |s| TfVal::Scalar(Value::Str(s)))
        }
        Expression::Parenthesis(p) => eval(p.inner(), scope, depth + 1),
        // A name bound by a `for` expression.
        Expression::Variable(v) => scope
            .lookup(&[v.as_str().to_string()], depth + 1)
            .unwrap_or_else(unknown),
        Expression::Conditional(c) => match eval(&c.cond_expr, scope, depth + 1) {
            TfVal::Scalar(Value::Bool(true)) => eval(&c.true_expr, scope, depth + 1),
            TfVal::Scalar(Value::Bool(false)) => eval(&c.false_expr, scope, depth + 1),
            _ => unknown(),
        },
        Expression::Traversal(t) => match reference_path(e) {
            Some(path) => scope.lookup(&path, depth + 1).unwrap_or_else(unknown),
            None => traverse(t, scope, depth).unwrap_or_else(unknown),
        },
        Expression::FuncCall(f) => match f.name.name.as_str() {
            // Lazy: the first argument Terraform does not fail on (an unknown one included:
            // whether it would fail is not known, so neither is the result).
            name @ ("try" | "can") => {
                let outer = ERROR.with(|x| x.replace(false));
                let mut first = None;
                for a in f.args.iter() {
                    ERROR.with(|x| x.set(false));
                    let v = eval(a, scope, depth + 1);
                    if !ERROR.with(|x| x.get()) {
                        first = Some(v);
                        break;
                    }
                }
                // Errors inside `try`/`can` are theirs, except when every argument fails.
                ERROR.with(|x| x.set(outer || (name == "try" && first.is_none())));
                match (name, first) {
                    ("try", Some(v)) => v,
                    ("can", Some(v)) if known(&v) => TfVal::Scalar(Value::Bool(true)),
                    ("can", None) => TfVal::Scalar(Value::Bool(false)),
                    _ => unknown(),
                }
            }
            name => {
                let args: Vec<TfVal> = f.args.iter().map(|a| eval(a, scope, depth + 1)).collect();
                // `core::lower(...)` is the built-in; `provider::aws::arn_build(...)` a
                // provider-defined function (Terraform 1.8+), others unknown.
                let namespace: Vec<&str> = f.name.namespace.iter().map(|n| n.as_str()).collect();
                let result = match namespace.as_slice() {
                    [] | ["core"] => functions::call(name, &args),
                    ["provider", "aws"] => functions::call_aws(name, &args),
                    _ => None,
                };
                result.unwrap_or_else(unknown)
            }
        },
        Expression::BinaryOp(b) => {
            use hcl_edit::expr::BinaryOperator as B;
            let (l, r) = (
                eval(&b.lhs_expr, scope, depth + 1),
                eval(&b.rhs_expr, scope, depth + 1),
            );
            let num = |v: &TfVal| v.text().and_then(|t| t.parse::<f64>().ok());
            let boolean = |v: &TfVal| match v {
                TfVal::Scalar(Value::Bool(b)) => Some(*b),
                _ => None,
            };
            let cmp = |f: fn(f64, f64) -> bool| match (num(&l), num(&r)) {
                (Some(x), Some(y)) => TfVal::Scalar(Value::Bool(f(x, y))),
                _ => unknown(),
            };
            match (b.operator.value(), l.text(), r.text()) {
                (B::Eq, Some(x), Some(y)) => TfVal::Scalar(Value::Bool(x == y)),
                (B::NotEq, Some(x), Some(y)) => TfVal::Scalar(Value::Bool(x != y)),
                (op @ (B::Eq | B::NotEq), ..) => match (is_null(&l), is_null(&r)) {
                    // `x == null`: known when one side is null and the other is known.
                    (Some(x), Some(y)) if x || y => {
                        TfVal::Scalar(Value::Bool((x && y) == matches!(op, B::Eq)))
                    }
                    _ => unknown(),
                },
                (B::And, ..) => match (boolean(&l), boolean(&r)) {
                    (Some(false), _) | (_, Some(false)) => TfVal::Scalar(Value::Bool(false)),
                    (Some(true), Some(true)) => TfVal::Scalar(Value::Bool(true)),
                    _ => unknown(),
                },
                (B::Or, ..) => match (boolean(&l), boolean(&r)) {
                    (Some(true), _) | (_, Some(true)) => TfVal::Scalar(Value::Bool(true)),
                    (Some(false), Some(false)) => TfVal::Scalar(Value::Bool(false)),
                    _ => unknown(),
                },
                (op @ (B::Plus | B::Minus | B::Mul | B::Div | B::Mod), ..) => {
                    match (num(&l), num(&r)) {
                        (Some(x), Some(y)) => {
                            let v = match op {
                                B::Plus => Some(x + y),
                                B::Minus => Some(x - y),
                                B::Mul => Some(x * y),
                                B::Div if y != 0.0 => Some(x / y),
                                B::Mod if y != 0.0 => Some(x % y),
                                _ => None,
                            };
                            v.filter(|v| v.is_finite())
                                .map_or_else(unknown, |v| TfVal::Scalar(Value::Num(number(v))))
                        }
                        _ => unknown(),
                    }
                }
                (B::Less, ..) => cmp(|x, y| x < y),
                (B::LessEq, ..) => cmp(|x, y| x <= y),
                (B::Greater, ..) => cmp(|x, y| x > y),
                (B::GreaterEq, ..) => cmp(|x, y| x >= y),
            }
        }
        Expression::UnaryOp(u) => {
            use hcl_edit::expr::UnaryOperator as U;
            match (u.operator.value(), eval(&u.expr, scope, depth + 1)) {
                (U::Not, TfVal::Scalar(Value::Bool(b))) => TfVal::Scalar(Value::Bool(!b)),
                (U::Neg, TfVal::Scalar(Value::Num(n))) if n.parse::<f64>().is_ok() => {
                    TfVal::Scalar(Value::Num(format!("-{n}")))
                }
                _ => unknown(),
            }
        }
        Expression::ForExpr(f) => for_expr(f, scope, depth).unwrap_or_else(unknown),
    }
}

/// A number as Terraform prints it: whole numbers without a fraction.
fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        v.to_string()
    }
}

/// Whether a value is `null` (`None`: not known).
fn is_null(v: &TfVal) -> Option<bool> {
    match v {
        TfVal::Null => Some(true),
        TfVal::Scalar(Value::Unknown(_) | Value::Partial { .. }) => None,
        _ => Some(false),
    }
}

/// Where a reference's instance key stands, after the resource's name: `aws_s3_bucket.b[0]`
/// (2), `data.aws_iam_role.r[0]` (3). Only resource types: a `dynamic` block's iterator,
/// `rule.value[0]`, is not one.
fn instance_at(root: &str) -> Option<usize> {
    match root {
        "data" => Some(3),
        t if t.starts_with("aws_") => Some(2),
        _ => None,
    }
}

/// A resource's instance key as a reference path holds it: `[0]` for `count`, `["key"]` for
/// `for_each`.
fn instance_key(v: &Value) -> Option<String> {
    match v {
        Value::Num(n) => {
            let x: f64 = n.parse().ok()?;
            (x.fract() == 0.0 && x >= 0.0).then(|| format!("[{}]", x as u64))
        }
        Value::Str(s) => Some(format!("[\"{s}\"]")),
        _ => None,
    }
}

/// The instance key a reference path holds (`[0]`, `["key"]`): `Ok(index)` or `Err(key)`.
pub fn parse_instance_key(k: &str) -> Option<Result<usize, String>> {
    let inner = k.strip_prefix('[')?.strip_suffix(']')?;
    match inner.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
        Some(key) => Some(Err(key.to_string())),
        None => inner.parse().ok().map(Ok),
    }
}

/// `a.b["c"].d` -> `["a", "b", "c", "d"]` when every step is a name or a literal key; a
/// resource's instance key is kept as `[0]` or `["key"]` (`aws_s3_bucket.b[0].arn` ->
/// `["aws_s3_bucket", "b", "[0]", "arn"]`), for the scope to read that instance.
pub fn reference_path(e: &Expression) -> Option<Vec<String>> {
    reference_path_in(e, None, 0)
}

/// [`reference_path`], a resource's computed instance key evaluated in `scope`
/// (`aws_s3_bucket.b[count.index].arn` -> `["aws_s3_bucket", "b", "[1]", "arn"]`).
pub fn resolved_reference(e: &Expression, scope: &dyn Scope) -> Option<Vec<String>> {
    reference_path_in(e, Some(scope), 0)
}

/// The resource type and name a reference starts with, whatever instance it names
/// (`aws_s3_bucket.b[count.index].id`, `aws_s3_bucket.b[*].id` -> `aws_s3_bucket`, `b`).
pub fn referenced_resource(e: &Expression) -> Option<(String, String)> {
    let Expression::Traversal(t) = interpolated(e)? else {
        return None;
    };
    let Expression::Variable(root) = &t.expr else {
        return None;
    };
    if instance_at(root.as_str()) != Some(2) {
        return None;
    }
    match t.operators.first().map(|o| o.value()) {
        Some(TraversalOperator::GetAttr(name)) => {
            Some((root.as_str().to_string(), name.as_str().to_string()))
        }
        _ => None,
    }
}

/// `e` itself, or the one interpolation `"${aws_iam_role.r.arn}"` (Terraform 0.11 style)
/// holds, which is the reference itself; `None` for any other string template.
fn interpolated(e: &Expression) -> Option<&Expression> {
    let Expression::StringTemplate(t) = e else {
        return Some(e);
    };
    let mut elements = t.iter();
    match (elements.next(), elements.next()) {
        (Some(Element::Interpolation(i)), None) => interpolated(&i.expr),
        _ => None,
    }
}

/// A reference path written as Terraform writes it: `aws_s3_bucket.b[0].arn`.
pub fn display_path(path: &[String]) -> String {
    let mut out = String::new();
    for (i, p) in path.iter().enumerate() {
        if i > 0 && !p.starts_with('[') {
            out.push('.');
        }
        out.push_str(p);
    }
    out
}

fn reference_path_in(
    e: &Expression,
    scope: Option<&dyn Scope>,
    depth: usize,
) -> Option<Vec<String>> {
    let e = interpolated(e)?;
    let Expression::Traversal(t) = e else {
        return None;
    };
    let Expression::Variable(root) = &t.expr else {
        return None;
    };
    let mut path = vec![root.as_str().to_string()];
    let at = instance_at(root.as_str());
    for op in &t.operators {
        match op.value() {
            TraversalOperator::GetAttr(name) => path.push(name.as_str().to_string()),
            TraversalOperator::Index(Expression::String(s)) if at == Some(path.len()) => {
                path.push(instance_key(&Value::Str(s.value().to_string()))?)
            }
            TraversalOperator::Index(Expression::String(s)) => path.push(s.value().to_string()),
            TraversalOperator::Index(Expression::Number(n)) => {
                path.push(format!("[{}]", n.value()))
            }
            TraversalOperator::LegacyIndex(n) => path.push(format!("[{}]", n.value())),
            TraversalOperator::Index(x) if at == Some(path.len()) && depth <= MAX_DEPTH => {
                match eval(x, scope?, depth + 1) {
                    TfVal::Scalar(v) => path.push(instance_key(&v)?),
                    _ => return None,
                }
            }
            _ => return None,
        }
    }
    Some(path)
}

/// `a.b["c"].d` -> `["a", "b", "c", "d"]` when every step is a name or a literal key, without
/// a resource's instance key: `aws_s3_bucket.b[0].arn` (a resource with `count`) names the
/// resource itself, whose every instance the same block writes.
pub fn traversal_path(e: &Expression) -> Option<Vec<String>> {
    let mut path = reference_path(e)?;
    if let Some(i) = instance_at(&path[0]) {
        if path.len() > i + 1 && path[i].starts_with('[') {
            path.remove(i);
        }
    }
    Some(path)
}

fn template<'e>(
    elements: impl Iterator<Item = &'e Element>,
    scope: &dyn Scope,
    depth: usize,
) -> Option<String> {
    let mut out = String::new();
    for el in elements {
        match el {
            Element::Literal(l) => out.push_str(l.value()),
            Element::Interpolation(i) => out.push_str(&eval(&i.expr, scope, depth + 1).text()?),
            Element::Directive(_) => return None,
        }
    }
    Some(out)
}

/// A traversal with computed steps (`var.m[var.k]`, `lookup(...).x`, `local.l[*].id`): the
/// longest literal prefix is looked up, the rest applied to its value.
fn traverse(t: &hcl_edit::expr::Traversal, scope: &dyn Scope, depth: usize) -> Option<TfVal> {
    let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| o.value()).collect();
    let (mut value, rest) = match &t.expr {
        Expression::Variable(root) => {
            let mut path = vec![root.as_str().to_string()];
            let at = instance_at(root.as_str());
            let mut k = 0;
            while let Some(op) = ops.get(k) {
                match op {
                    // A resource's instance by a computed key: `aws_s3_bucket.b[count.index]`.
                    TraversalOperator::Index(x) if at == Some(path.len()) => {
                        match eval(x, scope, depth + 1) {
                            TfVal::Scalar(v) => match instance_key(&v) {
                                Some(key) => path.push(key),
                                None => break,
                            },
                            _ => break,
                        }
                    }
                    // Every instance of a resource: `aws_iam_role.r[*].arn`, `.*.arn`.
                    TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_)
                        if at == Some(path.len()) =>
                    {
                        let keys = scope.instance_keys(&path, depth + 1)?;
                        let mut attrs = Vec::new();
                        for op in &ops[k + 1..] {
                            match op {
                                TraversalOperator::GetAttr(n) => attrs.push(n.as_str().to_string()),
                                _ => return None,
                            }
                        }
                        let mut out = Vec::new();
                        for key in keys {
                            let mut p = path.clone();
                            if !key.is_empty() {
                                p.push(key);
                            }
                            p.extend(attrs.iter().cloned());
                            out.push(scope.lookup(&p, depth + 1)?);
                        }
                        return Some(TfVal::List(out));
                    }
                    TraversalOperator::GetAttr(n) => path.push(n.as_str().to_string()),
                    TraversalOperator::Index(Expression::String(s)) => {
                        path.push(s.value().to_string())
                    }
                    TraversalOperator::Index(Expression::Number(n)) => {
                        path.push(format!("[{}]", n.value()))
                    }
                    TraversalOperator::LegacyIndex(n) => path.push(format!("[{}]", n.value())),
                    _ => break,
                }
                k += 1;
            }
            (scope.lookup(&path, depth + 1)?, &ops[k..])
        }
        base => (eval(base, scope, depth + 1), &ops[..]),
    };
    for (i, op) in rest.iter().enumerate() {
        value = match op {
            TraversalOperator::GetAttr(n) => index(value, n.as_str())?,
            TraversalOperator::LegacyIndex(n) => index(value, &n.value().to_string())?,
            TraversalOperator::Index(x) => {
                let key = eval(x, scope, depth + 1).text()?;
                index(value, &key)?
            }
            TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                // `x[*].a`: each element's `a`; a single known value is a list of one,
                // null an empty list.
                let items = match value {
                    TfVal::List(l) => l,
                    TfVal::Null => Vec::new(),
                    TfVal::Scalar(Value::Unknown(_) | Value::Partial { .. }) => return None,
                    v => vec![v],
                };
                let mut out = Vec::new();
                for item in items {
                    let mut v = item;
                    for op in &rest[i + 1..] {
                        v = match op {
                            TraversalOperator::GetAttr(n) => index(v, n.as_str())?,
                            _ => return None,
                        };
                    }
                    out.push(v);
                }
                return Some(TfVal::List(out));
            }
        };
    }
    Some(value)
}

/// A scope with the names a `for` expression binds, over its enclosing one.
struct Bound<'a> {
    parent: &'a dyn Scope,
    vars: Vec<(String, TfVal)>,
}

impl Scope for Bound<'_> {
    fn source(&self, span: Span) -> String {
        self.parent.source(span)
    }

    fn instance_keys(&self, path: &[String], depth: usize) -> Option<Vec<String>> {
        self.parent.instance_keys(path, depth)
    }

    fn lookup(&self, path: &[String], depth: usize) -> Option<TfVal> {
        match self
            .vars
            .iter()
            .rev()
            .find(|(n, _)| Some(n) == path.first())
        {
            Some((_, v)) => path[1..].iter().try_fold(v.clone(), |v, k| index(v, k)),
            None => self.parent.lookup(path, depth),
        }
    }
}

/// `[for k, v in coll : value if cond]` and `{for k, v in coll : key => value}` over a
/// collection the code fixes (a map in key order, as Terraform iterates it).
fn for_expr(f: &hcl_edit::expr::ForExpr, scope: &dyn Scope, depth: usize) -> Option<TfVal> {
    let elements: Vec<(TfVal, TfVal)> = match eval(&f.intro.collection_expr, scope, depth + 1) {
        TfVal::List(l) => l
            .into_iter()
            .enumerate()
            .map(|(i, v)| (TfVal::Scalar(Value::Num(i.to_string())), v))
            .collect(),
        TfVal::Map(mut m) => {
            m.sort_by(|a, b| a.0.cmp(&b.0));
            m.into_iter()
                .map(|(k, v)| (TfVal::Scalar(Value::Str(k)), v))
                .collect()
        }
        _ => return None,
    };
    if f.grouping {
        return None;
    }
    let value_var = f.intro.value_var.as_str().to_string();
    let key_var = f.intro.key_var.as_ref().map(|k| k.as_str().to_string());
    let mut list = Vec::new();
    let mut map: Vec<(String, TfVal)> = Vec::new();
    for (k, v) in elements {
        let mut vars = vec![(value_var.clone(), v)];
        if let Some(kv) = &key_var {
            vars.push((kv.clone(), k));
        }
        let inner = Bound {
            parent: scope,
            vars,
        };
        if let Some(c) = &f.cond {
            match eval(&c.expr, &inner, depth + 1) {
                TfVal::Scalar(Value::Bool(true)) => {}
                TfVal::Scalar(Value::Bool(false)) => continue,
                _ => return None,
            }
        }
        let value = eval(&f.value_expr, &inner, depth + 1);
        match &f.key_expr {
            Some(ke) => {
                let key = eval(ke, &inner, depth + 1).text()?;
                if map.iter().any(|(x, _)| *x == key) {
                    return None; // Terraform refuses duplicate keys without `...`
                }
                map.push((key, value));
            }
            None => list.push(value),
        }
    }
    Some(match f.key_expr {
        Some(_) => TfVal::Map(map),
        None => TfVal::List(list),
    })
}
