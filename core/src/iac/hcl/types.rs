//! A variable's value as Terraform converts it to the variable's declared `type`: an object
//! type's attributes the value leaves out are `null`, or their `optional(T, default)`
//! default, and attributes the type does not name are dropped. So `try(rule.value.x, ...)`
//! and `rule.value.x == null` read what Terraform reads, not a guess.

use super::{eval, Scope, TfVal};
use crate::iac::eval::Value;
use hcl_edit::expr::{Expression, ObjectKey};

/// The element type `list(T)`, `set(T)`, `map(T)`, `optional(T, ...)` is written with.
fn inner<'e>(args: &[&'e Expression]) -> Option<&'e Expression> {
    args.first().copied()
}

/// `value` converted to type `ty` (evaluated in `scope`, where the variable is declared).
pub fn conform(value: TfVal, ty: &Expression, scope: &dyn Scope, depth: usize) -> TfVal {
    let Expression::FuncCall(f) = ty else {
        return value; // `any`, `string`, `number`, `bool`
    };
    let args: Vec<&Expression> = f.args.iter().collect();
    match (f.name.name.as_str(), value) {
        ("list" | "set", TfVal::List(l)) => match inner(&args) {
            Some(t) => TfVal::List(l.into_iter().map(|v| conform(v, t, scope, depth)).collect()),
            None => TfVal::List(l),
        },
        ("map", TfVal::Map(m)) => match inner(&args) {
            Some(t) => TfVal::Map(
                m.into_iter()
                    .map(|(k, v)| (k, conform(v, t, scope, depth)))
                    .collect(),
            ),
            None => TfVal::Map(m),
        },
        ("object", TfVal::Map(m)) => {
            let Some(Expression::Object(attrs)) = inner(&args) else {
                return TfVal::Map(m);
            };
            let mut out = Vec::new();
            for (k, t) in attrs.iter() {
                let name = match k {
                    ObjectKey::Ident(i) => i.as_str().to_string(),
                    ObjectKey::Expression(Expression::String(s)) => s.value().to_string(),
                    ObjectKey::Expression(_) => return TfVal::Map(m),
                };
                let t = t.expr();
                let given = m.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone());
                let v = match (given, t) {
                    (Some(v), t) => conform(v, t, scope, depth),
                    (None, Expression::FuncCall(o)) if o.name.name.as_str() == "optional" => {
                        conform(TfVal::Null, t, scope, depth)
                    }
                    // A required attribute left out: Terraform refuses the value.
                    (None, _) => TfVal::unknown(name.clone()),
                };
                out.push((name, v));
            }
            TfVal::Map(out)
        }
        ("optional", v) => {
            let v = match (v, args.get(1)) {
                (TfVal::Null, Some(d)) => eval(d, scope, depth + 1),
                (v, _) => v,
            };
            match inner(&args) {
                Some(t) if v != TfVal::Null => conform(v, t, scope, depth),
                _ => v,
            }
        }
        (_, v @ TfVal::Scalar(Value::Unknown(_) | Value::Partial { .. })) => v,
        (_, v) => v,
    }
}
