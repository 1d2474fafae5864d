//! Static evaluation of Terraform (HCL) expressions, in the manner of tflint: literals,
//! templates over known parts, `var.*` defaults, `local.*`, a few pure functions and the
//! attributes of resources the module declares. Everything else stays unknown, with its
//! source text; nothing is guessed.

use super::eval::Value;
use crate::source::Span;
use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::template::Element;
use hcl_edit::Span as _;

/// Evaluation deeper than this (locals referring to locals...) is given up as unknown.
pub const MAX_DEPTH: usize = 24;

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
    /// `["var", "x"]`, `["aws_s3_bucket", "b", "arn"]`, `["data", "aws_region", "r", "name"]`.
    fn lookup(&self, path: &[String], depth: usize) -> Option<TfVal>;
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
        Expression::Variable(_) => unknown(),
        Expression::Conditional(c) => match eval(&c.cond_expr, scope, depth + 1) {
            TfVal::Scalar(Value::Bool(true)) => eval(&c.true_expr, scope, depth + 1),
            TfVal::Scalar(Value::Bool(false)) => eval(&c.false_expr, scope, depth + 1),
            _ => unknown(),
        },
        Expression::Traversal(t) => {
            let Some(path) = traversal_path(e) else {
                return unknown();
            };
            let _ = t;
            scope.lookup(&path, depth + 1).unwrap_or_else(unknown)
        }
        Expression::FuncCall(f) => {
            let args: Vec<TfVal> = f.args.iter().map(|a| eval(a, scope, depth + 1)).collect();
            call(f.name.name.as_str(), &args).unwrap_or_else(unknown)
        }
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
                (B::Less, ..) => cmp(|x, y| x < y),
                (B::LessEq, ..) => cmp(|x, y| x <= y),
                (B::Greater, ..) => cmp(|x, y| x > y),
                (B::GreaterEq, ..) => cmp(|x, y| x >= y),
                _ => unknown(),
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
        Expression::ForExpr(_) => unknown(),
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

/// `a.b["c"].d` -> `["a", "b", "c", "d"]` when every step is a name or a literal key.
pub fn traversal_path(e: &Expression) -> Option<Vec<String>> {
    // `"${aws_iam_role.r.arn}"` (Terraform 0.11 style) is the reference itself.
    if let Expression::StringTemplate(t) = e {
        let mut elements = t.iter();
        return match (elements.next(), elements.next()) {
            (Some(Element::Interpolation(i)), None) => traversal_path(&i.expr),
            _ => None,
        };
    }
    let Expression::Traversal(t) = e else {
        return None;
    };
    let Expression::Variable(root) = &t.expr else {
        return None;
    };
    let mut path = vec![root.as_str().to_string()];
    for op in &t.operators {
        match op.value() {
            TraversalOperator::GetAttr(name) => path.push(name.as_str().to_string()),
            TraversalOperator::Index(Expression::String(s)) => path.push(s.value().to_string()),
            TraversalOperator::Index(Expression::Number(n)) => {
                path.push(format!("[{}]", n.value()))
            }
            TraversalOperator::LegacyIndex(n) => path.push(format!("[{}]", n.value())),
            _ => return None,
        }
    }
    // `aws_s3_bucket.b[0].arn` (a resource with `count`): every instance is written by the
    // same block, read once, so the index names the resource itself.
    let instance = match path[0].as_str() {
        "var" | "local" | "module" | "each" | "count" | "path" | "terraform" | "self" => None,
        "data" => Some(3),
        _ => Some(2),
    };
    if let Some(i) = instance {
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

/// The pure functions replication values are commonly built with.
fn call(name: &str, args: &[TfVal]) -> Option<TfVal> {
    let text = |i: usize| args.get(i).and_then(TfVal::text);
    let s = |v: String| Some(TfVal::Scalar(Value::Str(v)));
    match name {
        "lower" => s(text(0)?.to_lowercase()),
        "upper" => s(text(0)?.to_uppercase()),
        "trimspace" => s(text(0)?.trim().to_string()),
        "tostring" => s(text(0)?),
        "tonumber" => text(0)?
            .parse::<f64>()
            .ok()
            .map(|_| TfVal::Scalar(Value::Num(text(0).unwrap_or_default()))),
        "replace" => {
            let (v, from, to) = (text(0)?, text(1)?, text(2)?);
            if from.starts_with('/') {
                return None; // a regular expression
            }
            s(v.replace(&from, &to))
        }
        "format" => {
            let fmt = text(0)?;
            let mut out = String::new();
            let mut next = 1;
            let mut chars = fmt.chars().peekable();
            while let Some(c) = chars.next() {
                if c != '%' {
                    out.push(c);
                    continue;
                }
                match chars.next()? {
                    '%' => out.push('%'),
                    's' | 'd' => {
                        out.push_str(&text(next)?);
                        next += 1;
                    }
                    _ => return None,
                }
            }
            s(out)
        }
        "join" => {
            let sep = text(0)?;
            let mut parts = Vec::new();
            for a in &args[1..] {
                match a {
                    TfVal::List(items) => {
                        for i in items {
                            parts.push(i.text()?);
                        }
                    }
                    _ => return None,
                }
            }
            s(parts.join(&sep))
        }
        "coalesce" => args
            .iter()
            .find(|a| !matches!(a, TfVal::Null) && a.text().as_deref() != Some(""))
            .filter(|a| a.text().is_some())
            .cloned(),
        "length" => {
            let n = match args.first()? {
                TfVal::List(l) => l.len(),
                TfVal::Map(m) => m.len(),
                TfVal::Scalar(Value::Str(t)) => t.chars().count(),
                _ => return None,
            };
            Some(TfVal::Scalar(Value::Num(n.to_string())))
        }
        "keys" => match args.first()? {
            TfVal::Map(m) => Some(TfVal::List(
                m.iter()
                    .map(|(k, _)| TfVal::Scalar(Value::Str(k.clone())))
                    .collect(),
            )),
            _ => None,
        },
        "tolist" | "toset" => match args.first()? {
            TfVal::List(l) => Some(TfVal::List(l.clone())),
            _ => None,
        },
        "tomap" => match args.first()? {
            TfVal::Map(m) => Some(TfVal::Map(m.clone())),
            _ => None,
        },
        "merge" => {
            let mut out: Vec<(String, TfVal)> = Vec::new();
            for a in args {
                let TfVal::Map(m) = a else { return None };
                for (k, v) in m {
                    out.retain(|(x, _)| x != k);
                    out.push((k.clone(), v.clone()));
                }
            }
            Some(TfVal::Map(out))
        }
        _ => None,
    }
}
