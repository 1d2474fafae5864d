//! Terraform (HCL): one `aws_iam_policy_document` per policy, then the resources that attach
//! them. The text is what `terraform fmt` writes (its `=` alignment, two-space indent), so a
//! user's formatting check passes on the file as emitted.

use super::{
    bucket_name, comment_lines, doc_name, effective_bindings, is_role_policy, role_arn,
    role_created, role_name_path, token_words, Binding, Lang, Names, Piece, Policy, Splitter, ROLE,
};
use crate::policy::{DocumentKind, PolicyDocument, PolicySet};
use std::fmt::Write as _;

/// A body item. A value is one line, or several (lines after the first are indented
/// relative to the attribute).
enum Item {
    Attr(&'static str, Vec<String>),
    Block(String, Vec<Item>),
    Comment(String),
}

fn write_items(out: &mut String, items: &[Item], depth: usize) {
    let pad = "  ".repeat(depth);
    let mut i = 0;
    while i < items.len() {
        // `terraform fmt` aligns the `=` of consecutive one-line attributes.
        let group = items[i..]
            .iter()
            .take_while(|it| matches!(it, Item::Attr(_, v) if v.len() == 1))
            .count();
        if group > 0 {
            let width = items[i..i + group]
                .iter()
                .map(|it| match it {
                    Item::Attr(k, _) => k.len(),
                    _ => 0,
                })
                .max()
                .unwrap_or(0);
            for it in &items[i..i + group] {
                if let Item::Attr(k, v) = it {
                    let _ = writeln!(out, "{pad}{k:width$} = {}", v[0]);
                }
            }
            i += group;
            continue;
        }
        match &items[i] {
            Item::Attr(k, v) => {
                let _ = writeln!(out, "{pad}{k} = {}", v[0]);
                for line in &v[1..] {
                    let _ = writeln!(out, "{pad}{line}");
                }
            }
            Item::Block(header, body) => {
                let _ = writeln!(out, "{pad}{header} {{");
                write_items(out, body, depth + 1);
                let _ = writeln!(out, "{pad}}}");
            }
            Item::Comment(text) => {
                for line in comment_lines(text) {
                    if line.is_empty() {
                        let _ = writeln!(out, "{pad}#");
                    } else {
                        let _ = writeln!(out, "{pad}# {line}");
                    }
                }
            }
        }
        i += 1;
    }
}

/// An HCL string literal's text for `s`: quotes, backslashes and control characters escaped,
/// and template sequences (`${`, `%{`) doubled so they stay literal.
fn escape(out: &mut String, s: &str) {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
}

/// Writes HCL expressions for policy strings.
struct Exprs<'a> {
    splitter: Splitter<'a>,
    bindings: &'a [Binding],
    /// Variable name per placeholder, and whether it was used.
    vars: Vec<(String, bool)>,
}

impl Exprs<'_> {
    fn reference(&mut self, piece: Piece) -> Option<String> {
        match piece {
            Piece::Bound(b) => self.bindings[b].terraform.clone(),
            Piece::Var(v) => {
                let var = self.vars.get_mut(v)?;
                var.1 = true;
                Some(format!("var.{}", var.0))
            }
            Piece::Text(_) => None,
        }
    }

    /// A reference alone, else a quoted template.
    fn string(&mut self, s: &str) -> String {
        let pieces = self.splitter.split(s);
        if let [one @ (Piece::Bound(_) | Piece::Var(_))] = pieces.as_slice() {
            if let Some(r) = self.reference(*one) {
                return r;
            }
        }
        let mut out = String::from("\"");
        for (i, piece) in pieces.iter().enumerate() {
            match (piece, self.reference(*piece)) {
                (_, Some(r)) => {
                    let _ = write!(out, "${{{r}}}");
                }
                (Piece::Text(t), None) => {
                    // `$` right before an interpolation would make `$${`, the escape of a
                    // literal `${`: such a run of `$` is written as an interpolated string.
                    let next_interpolates = pieces
                        .get(i + 1)
                        .is_some_and(|p| !matches!(p, Piece::Text(_)) && self.reference_exists(*p));
                    let keep = if next_interpolates {
                        t.trim_end_matches('$')
                    } else {
                        t
                    };
                    escape(&mut out, keep);
                    if keep.len() < t.len() {
                        let _ = write!(out, "${{\"{}\"}}", &t[keep.len()..]);
                    }
                }
                // A binding without a Terraform reference is never split out.
                (_, None) => {}
            }
        }
        out.push('"');
        out
    }

    fn reference_exists(&self, piece: Piece) -> bool {
        match piece {
            Piece::Bound(b) => self.bindings[b].terraform.is_some(),
            Piece::Var(v) => v < self.vars.len(),
            Piece::Text(_) => false,
        }
    }

    /// A list: inline when it has at most one item, else one item per line.
    fn list(&mut self, items: &[&str]) -> Vec<String> {
        let items: Vec<String> = items.iter().map(|s| self.string(s)).collect();
        match items.as_slice() {
            [] => vec!["[]".to_string()],
            [one] => vec![format!("[{one}]")],
            _ => {
                let mut lines = vec!["[".to_string()];
                lines.extend(items.iter().map(|s| format!("  {s},")));
                lines.push("]".to_string());
                lines
            }
        }
    }
}

fn one(s: String) -> Vec<String> {
    vec![s]
}

/// The body of an `aws_iam_policy_document` for `doc`.
fn policy_body(doc: &PolicyDocument, x: &mut Exprs) -> Vec<Item> {
    let Some(policy) = Policy::parse(&doc.policy) else {
        // Not the shape of a policy document: the JSON as it is, merged in whole.
        let json = serde_json::to_string(&doc.policy).unwrap_or_default();
        return vec![Item::Attr("source_policy_documents", x.list(&[&json]))];
    };
    let mut body = Vec::new();
    if let Some(v) = policy.version {
        body.push(Item::Attr("version", one(x.string(v))));
    }
    if let Some(id) = policy.id {
        body.push(Item::Attr("policy_id", one(x.string(id))));
    }
    for (i, s) in policy.statements.iter().enumerate() {
        // The reason of the statement, when the document lists it in order.
        if let Some(info) = doc
            .statements
            .get(i)
            .filter(|info| Some(info.sid.as_str()) == s.sid)
        {
            body.push(Item::Comment(info.reason.clone()));
        }
        let mut st = Vec::new();
        if let Some(sid) = s.sid {
            st.push(Item::Attr("sid", one(x.string(sid))));
        }
        if let Some(e) = s.effect {
            st.push(Item::Attr("effect", one(x.string(e))));
        }
        if let Some((not, actions)) = &s.actions {
            let key = if *not { "not_actions" } else { "actions" };
            st.push(Item::Attr(key, x.list(actions)));
        }
        if let Some((not, resources)) = &s.resources {
            let key = if *not { "not_resources" } else { "resources" };
            st.push(Item::Attr(key, x.list(resources)));
        }
        if let Some((not, principals)) = &s.principals {
            let key = if *not { "not_principals" } else { "principals" };
            for (kind, ids) in principals {
                st.push(Item::Block(
                    key.to_string(),
                    vec![
                        Item::Attr("type", one(x.string(kind))),
                        Item::Attr("identifiers", x.list(ids)),
                    ],
                ));
            }
        }
        for (op, key, values) in &s.conditions {
            st.push(Item::Block(
                "condition".to_string(),
                vec![
                    Item::Attr("test", one(x.string(op))),
                    Item::Attr("variable", one(x.string(key))),
                    Item::Attr("values", x.list(values)),
                ],
            ));
        }
        body.push(Item::Block("statement".to_string(), st));
    }
    body
}

fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    escape(&mut out, s);
    out.push('"');
    out
}

pub(super) fn value(s: &str, bindings: &[Binding]) -> String {
    Exprs {
        splitter: Splitter::bound(bindings, Lang::Terraform),
        bindings,
        vars: Vec::new(),
    }
    .string(s)
}

pub(super) fn emit(set: &PolicySet, user: &[Binding]) -> String {
    let bindings = effective_bindings(set, user);
    let mut names = Names::new();
    let mut x = Exprs {
        splitter: Splitter::new(set, &bindings, Lang::Terraform),
        bindings: &bindings,
        vars: set
            .placeholders
            .iter()
            .map(|p| {
                let base = token_words(&p.token).join("_").to_ascii_lowercase();
                let base = match base.chars().next() {
                    Some(c) if c.is_ascii_alphabetic() => base,
                    _ => format!("v_{base}"),
                };
                (names.take(&base, "_"), false)
            })
            .collect(),
    };
    // Variables beyond the placeholders: (name, description).
    let mut extra_vars: Vec<(String, String)> = Vec::new();

    let mut blocks: Vec<(Option<String>, Item)> = Vec::new();
    let data_names: Vec<String> = set
        .documents
        .iter()
        .map(|d| names.take(&doc_name(d), "_"))
        .collect();
    let data_ref = |i: usize| format!("data.aws_iam_policy_document.{}.json", data_names[i]);
    let created = role_created(set, user, Lang::Terraform);
    let role_ref = role_arn(set).map(|r| (r, x.splitter.split(r)));
    let bound_ref = |s: &str, x: &Exprs| match x.splitter.split(s).as_slice() {
        [Piece::Bound(b)] => x.bindings[*b].terraform.clone(),
        _ => None,
    };
    let role_hint = role_ref
        .as_ref()
        .and_then(|(r, _)| bound_ref(r, &x))
        .filter(|_| !created);

    for (i, doc) in set.documents.iter().enumerate() {
        let mut note = format!("{}\n{}", doc.title, doc.how_to_apply);
        match doc.kind {
            DocumentKind::KmsKeyPolicy => {
                let key = bound_ref(&doc.attach_to, &x)
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default();
                let _ = write!(
                    note,
                    "\nThese statements are additions: list this document in `source_policy_documents` of the aws_iam_policy_document that builds the key's policy{key}, after its current statements; applying it alone as the key policy would lock out the key's administrators."
                );
            }
            DocumentKind::Trust if !created => {
                let role = role_hint
                    .as_deref()
                    .map(|r| r.strip_suffix(".arn").unwrap_or(r))
                    .unwrap_or("the replication role");
                let _ = write!(
                    note,
                    "\nSet `assume_role_policy = {}` on {role}.",
                    data_ref(i)
                );
            }
            _ => {}
        }
        let body = policy_body(doc, &mut x);
        blocks.push((
            Some(note),
            Item::Block(
                format!("data \"aws_iam_policy_document\" \"{}\"", data_names[i]),
                body,
            ),
        ));
    }

    // The role, when the user's code does not name it.
    let trust = set
        .documents
        .iter()
        .position(|d| d.kind == DocumentKind::Trust);
    if let (true, Some(t)) = (created, trust) {
        let mut body = Vec::new();
        if let Some((name, path)) = role_arn(set).and_then(role_name_path) {
            body.push(Item::Attr("name", one(quote(name))));
            body.push(Item::Attr("path", one(quote(&path))));
        }
        body.push(Item::Attr("assume_role_policy", one(data_ref(t))));
        blocks.push((
            Some("The replication role S3 assumes.".to_string()),
            Item::Block(format!("resource \"aws_iam_role\" \"{ROLE}\""), body),
        ));
    }
    // The role's name, for its inline policies.
    let has_role_policies = set.documents.iter().any(is_role_policy);
    let role_name = if created || !has_role_policies {
        format!("aws_iam_role.{ROLE}.id")
    } else {
        match role_ref.as_ref() {
            Some((r, pieces)) => match pieces.as_slice() {
                [Piece::Bound(b)] => match bindings[*b].terraform.as_deref() {
                    Some(t) if t.starts_with("aws_iam_role.") && t.ends_with(".arn") => {
                        format!("{}.name", &t[..t.len() - 4])
                    }
                    Some(t) => format!("basename({t})"),
                    None => quote(r),
                },
                _ => match role_name_path(r) {
                    Some((name, _)) => quote(name),
                    None => format!("basename({})", x.string(r)),
                },
            },
            None => {
                extra_vars.push((
                    "replication_role_name".to_string(),
                    "name of the replication role".to_string(),
                ));
                "var.replication_role_name".to_string()
            }
        }
    };

    for (i, doc) in set.documents.iter().enumerate() {
        let name = &data_names[i];
        if is_role_policy(doc) {
            blocks.push((
                None,
                Item::Block(
                    format!("resource \"aws_iam_role_policy\" \"{name}\""),
                    vec![
                        Item::Attr("name", one(quote(&name.replace('_', "-")))),
                        Item::Attr("role", one(role_name.clone())),
                        Item::Attr("policy", one(data_ref(i))),
                    ],
                ),
            ));
        } else if doc.kind == DocumentKind::DestinationBucketPolicy {
            let bucket = match x.splitter.split(&doc.attach_to).as_slice() {
                [Piece::Bound(b)] => match bindings[*b].terraform.as_deref() {
                    Some(t) if t.starts_with("aws_s3_bucket.") && t.ends_with(".arn") => {
                        format!("{}.id", &t[..t.len() - 4])
                    }
                    Some(t) => format!("element(split(\":::\", {t}), 1)"),
                    None => quote(&doc.attach_to),
                },
                _ => match bucket_name(&doc.attach_to) {
                    Some(b) => x.string(b),
                    None => {
                        let var = names.take("destination_bucket", "_");
                        extra_vars.push((
                            var.clone(),
                            format!("name of the bucket for: {}", doc.title),
                        ));
                        format!("var.{var}")
                    }
                },
            };
            blocks.push((
                Some("Replaces the bucket's whole policy: list its current policy in the data source's source_policy_documents first. Apply with a provider for the bucket owner's account.".to_string()),
                Item::Block(
                    format!("resource \"aws_s3_bucket_policy\" \"{name}\""),
                    vec![
                        Item::Attr("bucket", one(bucket)),
                        Item::Attr("policy", one(data_ref(i))),
                    ],
                ),
            ));
        } else if doc.kind == DocumentKind::Deployer {
            blocks.push((
                Some("Attach to the principal that applies the configuration (not the replication role).".to_string()),
                Item::Block(
                    format!("resource \"aws_iam_policy\" \"{name}\""),
                    vec![
                        Item::Attr("description", one(quote(&doc.title))),
                        Item::Attr("policy", one(data_ref(i))),
                    ],
                ),
            ));
        }
    }

    let mut out = String::new();
    write_items(
        &mut out,
        &[Item::Comment(
            "Generated by s3-replication-lint: the least-privilege policies of the replication configuration.\nStatements, actions and conditions are those of the JSON policies, in their order."
                .to_string(),
        )],
        0,
    );
    for n in &set.notes {
        write_items(
            &mut out,
            &[Item::Comment(format!(
                "{}: {}",
                n.severity.as_str(),
                n.message
            ))],
            0,
        );
    }
    let mut vars: Vec<Item> = Vec::new();
    for (p, (name, used)) in set.placeholders.iter().zip(&x.vars) {
        if *used {
            vars.push(variable(
                name,
                &format!("{} ({}). {}", p.what, p.token, p.how_to_fill),
            ));
        }
    }
    for (name, what) in &extra_vars {
        vars.push(variable(name, what));
    }
    for v in &vars {
        out.push('\n');
        write_items(&mut out, std::slice::from_ref(v), 0);
    }
    for (comment, block) in &blocks {
        out.push('\n');
        if let Some(c) = comment {
            write_items(&mut out, &[Item::Comment(c.clone())], 0);
        }
        write_items(&mut out, std::slice::from_ref(block), 0);
    }
    out
}

fn variable(name: &str, description: &str) -> Item {
    Item::Block(
        format!("variable \"{name}\""),
        vec![
            Item::Attr("type", one("string".to_string())),
            Item::Attr("description", one(quote(description))),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_templates_and_specials() {
        let mut s = String::new();
        escape(&mut s, "a\"b\\c\n${x}%{y}$$z\u{1}é");
        assert_eq!(s, "a\\\"b\\\\c\\n$${x}%%{y}$$z\\u0001é");
    }
}
