//! Terraform's pure functions, as far as replication values are built with them. A function
//! returns `None` when its result is not known here (an unknown argument, an argument shape
//! it does not take); `error()` marks a call Terraform itself would fail, so that `try()` and
//! `can()` move on as Terraform does. Nothing is guessed: a result is either what Terraform
//! computes or unknown.

use super::{error, TfVal};
use crate::iac::eval::Value;

fn str_val(v: String) -> Option<TfVal> {
    Some(TfVal::Scalar(Value::Str(v)))
}

fn boolean(b: bool) -> Option<TfVal> {
    Some(TfVal::Scalar(Value::Bool(b)))
}

/// Whether a value is fully known (no unknown scalar anywhere in it).
pub fn known(v: &TfVal) -> bool {
    match v {
        TfVal::Scalar(Value::Unknown(_) | Value::Partial { .. }) => false,
        TfVal::Scalar(_) | TfVal::Null => true,
        TfVal::List(l) => l.iter().all(known),
        TfVal::Map(m) => m.iter().all(|(_, v)| known(v)),
    }
}

/// The elements of a list argument (a set is a list here).
fn list(v: Option<&TfVal>) -> Option<&Vec<TfVal>> {
    match v? {
        TfVal::List(l) => Some(l),
        _ => None,
    }
}

/// `flatten`: nested lists into one; an unknown element may be a list, so it is unknown.
fn flatten_into(items: &[TfVal], out: &mut Vec<TfVal>) -> Option<()> {
    for i in items {
        match i {
            TfVal::List(l) => flatten_into(l, out)?,
            TfVal::Scalar(Value::Unknown(_) | Value::Partial { .. }) => return None,
            other => out.push(other.clone()),
        }
    }
    Some(())
}

/// Terraform's `title`: the first letter of every word upper case.
fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = !c.is_alphanumeric();
    }
    out
}

/// A set of known strings, numbers or booleans: deduplicated and, for strings, sorted as
/// Terraform orders them; `None` when an element is unknown (the set's size is not known).
fn to_set(items: &[TfVal]) -> Option<TfVal> {
    let mut out: Vec<TfVal> = Vec::new();
    for i in items {
        if !known(i) {
            return None;
        }
        if !out.contains(i) {
            out.push(i.clone());
        }
    }
    if out
        .iter()
        .all(|v| matches!(v, TfVal::Scalar(Value::Str(_))))
    {
        out.sort_by_key(|v| v.text());
    }
    Some(TfVal::List(out))
}

/// The pure functions replication values are commonly built with (`try` and `can` are
/// evaluated lazily by the caller).
/// The AWS provider's functions (`provider::aws::NAME`, provider 5.40+) over known values.
pub fn call_aws(name: &str, args: &[TfVal]) -> Option<TfVal> {
    let text = |i: usize| args.get(i).and_then(TfVal::text);
    match name {
        // arn_build(partition, service, region, account_id, resource)
        "arn_build" => str_val(format!(
            "arn:{}:{}:{}:{}:{}",
            text(0)?,
            text(1)?,
            text(2)?,
            text(3)?,
            text(4)?
        )),
        "arn_parse" => {
            let arn = text(0)?;
            let mut parts = arn.splitn(6, ':');
            if parts.next()? != "arn" {
                return None;
            }
            let fields = ["partition", "service", "region", "account_id", "resource"];
            let values: Vec<&str> = parts.collect();
            if values.len() != 5 {
                return None;
            }
            Some(TfVal::Map(
                fields
                    .iter()
                    .zip(values)
                    .map(|(k, v)| (k.to_string(), TfVal::Scalar(Value::Str(v.to_string()))))
                    .collect(),
            ))
        }
        // trim_iam_role_path("arn:aws:iam::111122223333:role/path/name") -> ".../role/name"
        "trim_iam_role_path" => {
            let arn = text(0)?;
            let (head, rest) = arn.split_once(":role/")?;
            let name = rest.rsplit('/').next()?;
            str_val(format!("{head}:role/{name}"))
        }
        _ => None,
    }
}

pub fn call(name: &str, args: &[TfVal]) -> Option<TfVal> {
    let text = |i: usize| args.get(i).and_then(TfVal::text);
    match name {
        "lower" => str_val(text(0)?.to_lowercase()),
        "upper" => str_val(text(0)?.to_uppercase()),
        "title" => str_val(title(&text(0)?)),
        "trimspace" => str_val(text(0)?.trim().to_string()),
        "trimprefix" => {
            let (s, p) = (text(0)?, text(1)?);
            str_val(s.strip_prefix(p.as_str()).unwrap_or(&s).to_string())
        }
        "trimsuffix" => {
            let (s, p) = (text(0)?, text(1)?);
            str_val(s.strip_suffix(p.as_str()).unwrap_or(&s).to_string())
        }
        "startswith" => boolean(text(0)?.starts_with(&text(1)?)),
        "endswith" => boolean(text(0)?.ends_with(&text(1)?)),
        "tostring" => match args.first()? {
            TfVal::Null => Some(TfVal::Null),
            _ => str_val(text(0)?),
        },
        "tonumber" => match args.first()? {
            TfVal::Null => Some(TfVal::Null),
            TfVal::Scalar(Value::Num(n)) => Some(TfVal::Scalar(Value::Num(n.clone()))),
            TfVal::Scalar(Value::Str(s)) => match s.parse::<f64>() {
                Ok(_) => Some(TfVal::Scalar(Value::Num(s.clone()))),
                Err(_) => {
                    error();
                    None
                }
            },
            _ => None,
        },
        "tobool" => match args.first()? {
            TfVal::Null => Some(TfVal::Null),
            TfVal::Scalar(Value::Bool(b)) => boolean(*b),
            TfVal::Scalar(Value::Str(s)) if s == "true" => boolean(true),
            TfVal::Scalar(Value::Str(s)) if s == "false" => boolean(false),
            // "Enabled", a number...: Terraform refuses the conversion.
            TfVal::Scalar(Value::Str(_) | Value::Num(_)) => {
                error();
                None
            }
            _ => None,
        },
        "replace" => {
            let (v, from, to) = (text(0)?, text(1)?, text(2)?);
            if from.starts_with('/') && from.ends_with('/') && from.len() > 1 {
                return None; // a regular expression
            }
            str_val(v.replace(&from, &to))
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
            str_val(out)
        }
        "join" => {
            let sep = text(0)?;
            let mut parts = Vec::new();
            for a in args.get(1..)? {
                for i in list(Some(a))? {
                    parts.push(i.text()?);
                }
            }
            str_val(parts.join(&sep))
        }
        "split" => {
            let (sep, s) = (text(0)?, text(1)?);
            if sep.is_empty() {
                return None;
            }
            Some(TfVal::List(
                s.split(sep.as_str())
                    .map(|p| TfVal::Scalar(Value::Str(p.to_string())))
                    .collect(),
            ))
        }
        "coalesce" => args
            .iter()
            .find(|a| !matches!(a, TfVal::Null) && a.text().as_deref() != Some(""))
            .filter(|a| a.text().is_some())
            .cloned(),
        "coalescelist" => {
            for a in args {
                match a {
                    TfVal::List(l) if l.is_empty() => continue,
                    TfVal::List(_) => return Some(a.clone()),
                    _ => return None,
                }
            }
            None
        }
        "length" => {
            let n = match args.first()? {
                TfVal::List(l) => l.len(),
                TfVal::Map(m) => m.len(),
                TfVal::Scalar(Value::Str(t)) => t.chars().count(),
                TfVal::Null => {
                    error();
                    return None;
                }
                _ => return None,
            };
            Some(TfVal::Scalar(Value::Num(n.to_string())))
        }
        "keys" => match args.first()? {
            TfVal::Map(m) => {
                let mut k: Vec<String> = m.iter().map(|(k, _)| k.clone()).collect();
                k.sort();
                Some(TfVal::List(
                    k.into_iter()
                        .map(|k| TfVal::Scalar(Value::Str(k)))
                        .collect(),
                ))
            }
            _ => None,
        },
        "values" => match args.first()? {
            TfVal::Map(m) => {
                let mut m = m.clone();
                m.sort_by(|a, b| a.0.cmp(&b.0));
                Some(TfVal::List(m.into_iter().map(|(_, v)| v).collect()))
            }
            _ => None,
        },
        "lookup" => match args.first()? {
            TfVal::Map(m) => {
                let key = text(1)?;
                match m.iter().find(|(k, _)| *k == key) {
                    Some((_, v)) => Some(v.clone()),
                    None => match args.get(2) {
                        Some(d) => Some(d.clone()),
                        None => {
                            error();
                            None
                        }
                    },
                }
            }
            _ => None,
        },
        "contains" => {
            let l = list(args.first())?;
            let v = args.get(1)?;
            if !known(v) || !l.iter().all(known) {
                return None;
            }
            boolean(l.contains(v))
        }
        "element" => {
            let l = list(args.first())?;
            let i: usize = text(1)?.parse().ok()?;
            if l.is_empty() {
                error();
                return None;
            }
            l.get(i % l.len()).cloned()
        }
        "one" => match args.first()? {
            TfVal::Null => Some(TfVal::Null),
            TfVal::List(l) => match l.as_slice() {
                [] => Some(TfVal::Null),
                [x] => Some(x.clone()),
                _ => {
                    error();
                    None
                }
            },
            _ => None,
        },
        "flatten" => {
            let mut out = Vec::new();
            flatten_into(list(args.first())?, &mut out)?;
            Some(TfVal::List(out))
        }
        "concat" => {
            let mut out = Vec::new();
            for a in args {
                out.extend(list(Some(a))?.iter().cloned());
            }
            Some(TfVal::List(out))
        }
        "compact" => {
            let mut out = Vec::new();
            for i in list(args.first())? {
                match i {
                    TfVal::Null => {}
                    TfVal::Scalar(Value::Str(s)) if s.is_empty() => {}
                    TfVal::Scalar(Value::Str(_)) => out.push(i.clone()),
                    _ => return None,
                }
            }
            Some(TfVal::List(out))
        }
        "distinct" => {
            let l = list(args.first())?;
            if !l.iter().all(known) {
                return None;
            }
            let mut out: Vec<TfVal> = Vec::new();
            for i in l {
                if !out.contains(i) {
                    out.push(i.clone());
                }
            }
            Some(TfVal::List(out))
        }
        "max" | "min" => {
            let mut best: Option<(f64, String)> = None;
            for a in args {
                let t = a.text()?;
                let n = t.parse::<f64>().ok()?;
                let better = match &best {
                    None => true,
                    Some((b, _)) => (name == "max" && n > *b) || (name == "min" && n < *b),
                };
                if better {
                    best = Some((n, t));
                }
            }
            best.map(|(_, t)| TfVal::Scalar(Value::Num(t)))
        }
        "tolist" => list(args.first()).map(|l| TfVal::List(l.clone())),
        "toset" => to_set(list(args.first())?),
        // Terraform sorts strings lexically (numbers too, as their strings).
        "sort" => {
            let mut texts: Vec<String> = list(args.first())?
                .iter()
                .map(|v| match v {
                    TfVal::Scalar(_) => v.text(),
                    _ => None,
                })
                .collect::<Option<_>>()?;
            texts.sort();
            Some(TfVal::List(
                texts
                    .into_iter()
                    .map(|t| TfVal::Scalar(Value::Str(t)))
                    .collect(),
            ))
        }
        "reverse" => {
            let mut l = list(args.first())?.to_vec();
            l.reverse();
            Some(TfVal::List(l))
        }
        "setunion" => {
            let mut all = Vec::new();
            for a in args {
                all.extend(list(Some(a))?.iter().cloned());
            }
            to_set(&all)
        }
        "zipmap" => {
            let ks = list(args.first())?;
            let vs = list(args.get(1))?;
            if ks.len() != vs.len() {
                error();
                return None;
            }
            let mut out: Vec<(String, TfVal)> = Vec::new();
            for (k, v) in ks.iter().zip(vs) {
                let k = k.text()?;
                out.retain(|(x, _)| *x != k);
                out.push((k, v.clone()));
            }
            Some(TfVal::Map(out))
        }
        "tomap" => match args.first()? {
            TfVal::Map(m) => Some(TfVal::Map(m.clone())),
            _ => None,
        },
        "merge" => {
            let mut out: Vec<(String, TfVal)> = Vec::new();
            for a in args {
                match a {
                    TfVal::Null => continue,
                    TfVal::Map(m) => {
                        for (k, v) in m {
                            out.retain(|(x, _)| x != k);
                            out.push((k.clone(), v.clone()));
                        }
                    }
                    _ => return None,
                }
            }
            Some(TfVal::Map(out))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> TfVal {
        TfVal::Scalar(Value::Str(v.into()))
    }

    #[test]
    fn title_and_sets_follow_terraform() {
        assert_eq!(call("title", &[s("enabled")]), Some(s("Enabled")));
        assert_eq!(
            call("title", &[s("hello world-x")]),
            Some(s("Hello World-X"))
        );
        assert_eq!(
            call("toset", &[TfVal::List(vec![s("b"), s("a"), s("b")])]),
            Some(TfVal::List(vec![s("a"), s("b")]))
        );
        let unknown = TfVal::unknown("var.x");
        assert_eq!(call("toset", &[TfVal::List(vec![s("a"), unknown])]), None);
    }

    #[test]
    fn collection_functions_keep_unknowns_unknown() {
        let unknown = TfVal::unknown("var.x");
        assert_eq!(
            call(
                "flatten",
                &[TfVal::List(vec![TfVal::List(vec![s("a")]), s("b")])]
            ),
            Some(TfVal::List(vec![s("a"), s("b")]))
        );
        assert_eq!(call("flatten", &[TfVal::List(vec![unknown.clone()])]), None);
        assert_eq!(call("one", &[TfVal::List(vec![])]), Some(TfVal::Null));
        assert_eq!(call("one", &[TfVal::List(vec![s("a")])]), Some(s("a")));
        let m = TfVal::Map(vec![("a".into(), s("1"))]);
        assert_eq!(call("lookup", &[m.clone(), s("a")]), Some(s("1")));
        assert_eq!(call("lookup", &[m, s("b"), s("d")]), Some(s("d")));
        assert_eq!(call("lookup", &[unknown.clone(), s("b"), s("d")]), None);
        assert_eq!(
            call("compact", &[TfVal::List(vec![s(""), s("a")])]),
            Some(TfVal::List(vec![s("a")]))
        );
        assert_eq!(call("compact", &[TfVal::List(vec![unknown.clone()])]), None);
        assert_eq!(
            call("sort", &[TfVal::List(vec![s("b"), s("a")])]),
            Some(TfVal::List(vec![s("a"), s("b")]))
        );
        assert_eq!(
            call("sort", &[TfVal::List(vec![s("b"), unknown.clone()])]),
            None
        );
        assert_eq!(
            call(
                "zipmap",
                &[TfVal::List(vec![s("k")]), TfVal::List(vec![s("v")])]
            ),
            Some(TfVal::Map(vec![("k".into(), s("v"))]))
        );
        assert_eq!(
            call(
                "setunion",
                &[TfVal::List(vec![s("b")]), TfVal::List(vec![s("a"), s("b")])]
            ),
            Some(TfVal::List(vec![s("a"), s("b")]))
        );
    }
}
