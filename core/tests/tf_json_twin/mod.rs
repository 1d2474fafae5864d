//! The native syntax written as Terraform's JSON syntax (HashiCorp's "JSON Configuration
//! Syntax"): blocks as one nested object per label, repeated blocks as arrays, expressions
//! as `"${...}"` templates, a variable's `default` and `.tfvars` values as literal JSON, and
//! the arguments Terraform reads as references (`provider`, `depends_on`) as plain strings.
//! The tests read every native fixture module in both syntaxes and compare.

use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{BlockLabel, Body, Structure};
use hcl_edit::template::Element;
use hcl_edit::Span as _;
use s3_replication_lint::iac::SourceFile;

enum J {
    Str(String),
    Raw(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

fn write(j: &J, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent + 1);
    match j {
        J::Str(s) => out.push_str(&serde_json::to_string(s).unwrap()),
        J::Raw(s) => out.push_str(s),
        J::Arr(items) if items.is_empty() => out.push_str("[]"),
        J::Arr(items) => {
            out.push_str("[\n");
            for (i, it) in items.iter().enumerate() {
                out.push_str(&pad);
                write(it, indent + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&"  ".repeat(indent));
            out.push(']');
        }
        J::Obj(ms) if ms.is_empty() => out.push_str("{}"),
        J::Obj(ms) => {
            out.push_str("{\n");
            for (i, (k, v)) in ms.iter().enumerate() {
                out.push_str(&pad);
                out.push_str(&serde_json::to_string(k).unwrap());
                out.push_str(": ");
                write(v, indent + 1, out);
                out.push_str(if i + 1 < ms.len() { ",\n" } else { "\n" });
            }
            out.push_str(&"  ".repeat(indent));
            out.push('}');
        }
    }
}

/// Where an attribute's strings are references (`provider = aws.west` -> `"aws.west"`).
fn reference_attribute(block: &str, name: &str) -> bool {
    matches!(
        (block, name),
        ("resource" | "data" | "module" | "output", "depends_on")
            | ("resource" | "data", "provider")
            | ("module", "providers")
            | ("variable", "type")
    )
}

struct Conv<'t> {
    text: &'t str,
}

impl Conv<'_> {
    fn src(&self, e: &Expression) -> String {
        let r = e.span().unwrap();
        self.text[r].to_string()
    }

    /// A template's text, as a JSON string holds it.
    fn template(&self, elements: &[Element]) -> Option<String> {
        let mut out = String::new();
        for el in elements {
            match el {
                Element::Literal(l) => {
                    out.push_str(&l.value().replace("${", "$${").replace("%{", "%%{"))
                }
                Element::Interpolation(i) => {
                    out.push_str("${");
                    out.push_str(&self.src(&i.expr));
                    out.push('}');
                }
                Element::Directive(_) => return None,
            }
        }
        Some(out)
    }

    fn expr(&self, e: &Expression, literal: bool, reference: bool) -> J {
        match e {
            Expression::String(s) if literal => J::Str(s.value().to_string()),
            Expression::String(s) => J::Str(s.value().replace("${", "$${").replace("%{", "%%{")),
            Expression::Number(_) | Expression::Bool(_) | Expression::Null(_) => {
                J::Raw(self.src(e))
            }
            Expression::Array(a) => {
                J::Arr(a.iter().map(|x| self.expr(x, literal, reference)).collect())
            }
            Expression::Object(o) => J::Obj(
                o.iter()
                    .map(|(k, v)| {
                        let key = match k {
                            ObjectKey::Ident(i) => i.as_str().to_string(),
                            ObjectKey::Expression(Expression::String(s)) => s.value().to_string(),
                            ObjectKey::Expression(x) if reference => self.src(x),
                            ObjectKey::Expression(x) => format!("${{{}}}", self.src(x)),
                        };
                        (key, self.expr(v.expr(), literal, reference))
                    })
                    .collect(),
            ),
            Expression::StringTemplate(t) => {
                match self.template(&t.iter().cloned().collect::<Vec<_>>()) {
                    Some(s) => J::Str(s),
                    None => J::Str(format!("${{{}}}", self.src(e))),
                }
            }
            Expression::HeredocTemplate(h) => {
                match self.template(&h.template.iter().cloned().collect::<Vec<_>>()) {
                    Some(s) => J::Str(s),
                    None => J::Str(format!("${{{}}}", self.src(e))),
                }
            }
            _ if reference => J::Str(self.src(e)),
            _ => J::Str(format!("${{{}}}", self.src(e))),
        }
    }

    /// A body as a JSON object: a block is one nested object per label; repeated blocks
    /// (same type and labels) an array.
    fn body(&self, body: &Body, kind: &str, literal: bool) -> J {
        let mut out: Vec<(String, J)> = Vec::new();
        for s in body.iter() {
            match s {
                Structure::Attribute(a) => {
                    let name = a.key.as_str();
                    let lit = literal || (kind == "variable" && name == "default");
                    let reference = reference_attribute(kind, name);
                    out.push((name.to_string(), self.expr(&a.value, lit, reference)));
                }
                Structure::Block(b) => {
                    let ident = b.ident.as_str();
                    let labels: Vec<String> = b
                        .labels
                        .iter()
                        .map(|l| match l {
                            BlockLabel::Ident(i) => i.as_str().to_string(),
                            BlockLabel::String(s) => s.value().to_string(),
                        })
                        .collect();
                    let inner_kind = if kind.is_empty() { ident } else { kind };
                    let lit = literal || ident == "terraform";
                    let value = self.body(&b.body, inner_kind, lit);
                    insert(&mut out, ident, &labels, value);
                }
            }
        }
        J::Obj(out)
    }
}

fn insert(out: &mut Vec<(String, J)>, key: &str, labels: &[String], value: J) {
    let at = match out.iter().position(|(k, _)| k == key) {
        Some(at) => at,
        None => {
            let empty = if labels.is_empty() {
                None
            } else {
                Some(J::Obj(Vec::new()))
            };
            match empty {
                Some(e) => out.push((key.to_string(), e)),
                None => {
                    out.push((key.to_string(), value));
                    return;
                }
            }
            out.len() - 1
        }
    };
    match (&mut out[at].1, labels) {
        (J::Obj(inner), [first, rest @ ..]) => insert(inner, first, rest, value),
        (slot, []) => {
            let old = std::mem::replace(slot, J::Arr(Vec::new()));
            let J::Arr(items) = slot else { unreachable!() };
            match old {
                J::Arr(mut prev) => {
                    prev.push(value);
                    *items = prev;
                }
                other => {
                    items.push(other);
                    items.push(value);
                }
            }
        }
        _ => {}
    }
}

/// A native file in Terraform's JSON syntax (`None` where it uses a construct the JSON
/// cannot state the same way).
pub fn to_json(text: &str, tfvars: bool) -> String {
    let body = hcl_edit::parser::parse_body(text).unwrap();
    let conv = Conv { text };
    let mut out = String::new();
    write(&conv.body(&body, "", tfvars), 0, &mut out);
    out.push('\n');
    out
}

/// The module with every file (or those `which` picks) in the JSON syntax.
pub fn as_json(files: &[SourceFile], which: impl Fn(&str) -> bool) -> Vec<SourceFile> {
    files
        .iter()
        .map(|f| {
            let tfvars = f.path.ends_with(".tfvars");
            if (f.path.ends_with(".tf") || tfvars) && which(&f.path) {
                SourceFile {
                    path: format!("{}.json", f.path),
                    text: to_json(&f.text, tfvars),
                }
            } else {
                f.clone()
            }
        })
        .collect()
}
