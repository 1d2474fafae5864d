//! CloudFormation (YAML): parameters for placeholders, the role with its inline policies, the
//! destination bucket policy and the deployer's managed policy. Key policy statements go
//! in the `Metadata` of a resource that creates nothing: they are additions to a key policy
//! the template does not own, and a template must stay deployable.

use super::{
    bucket_name, camel, comment_lines, doc_name, effective_bindings, is_role_policy, kind_name,
    role_arn, role_created, role_name_path, token_words, Binding, Lang, Names, Piece, Splitter,
    ROLE_ID,
};
use crate::policy::json::Json;
use crate::policy::{DocumentKind, PolicyDocument, PolicySet};
use std::fmt::Write as _;

/// A YAML node; scalars are written already (plain, quoted or tagged).
enum Y {
    Scalar(String),
    Seq(Vec<Y>),
    Map(Vec<(String, Y)>),
    /// A node with comment lines before it (in sequences and mappings).
    Commented(String, Box<Y>),
}

fn map(entries: Vec<(&str, Y)>) -> Y {
    Y::Map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

fn write_comment(out: &mut String, pad: &str, text: &str) {
    for line in comment_lines(text) {
        if line.is_empty() {
            let _ = writeln!(out, "{pad}#");
        } else {
            let _ = writeln!(out, "{pad}# {line}");
        }
    }
}

/// Writes a mapping's or sequence's lines at `indent`.
fn write(out: &mut String, y: &Y, indent: usize) {
    let pad = " ".repeat(indent);
    match y {
        Y::Map(entries) => {
            for (k, v) in entries {
                let (comment, v) = match v {
                    Y::Commented(c, v) => (Some(c), &**v),
                    v => (None, v),
                };
                if let Some(c) = comment {
                    write_comment(out, &pad, c);
                }
                match v {
                    Y::Scalar(s) => {
                        let _ = writeln!(out, "{pad}{k}: {s}");
                    }
                    Y::Seq(items) if items.is_empty() => {
                        let _ = writeln!(out, "{pad}{k}: []");
                    }
                    Y::Map(m) if m.is_empty() => {
                        let _ = writeln!(out, "{pad}{k}: {{}}");
                    }
                    v => {
                        let _ = writeln!(out, "{pad}{k}:");
                        write(out, v, indent + 2);
                    }
                }
            }
        }
        Y::Seq(items) => {
            for item in items {
                let (comment, item) = match item {
                    Y::Commented(c, v) => (Some(c), &**v),
                    v => (None, v),
                };
                if let Some(c) = comment {
                    write_comment(out, &pad, c);
                }
                match item {
                    Y::Scalar(s) => {
                        let _ = writeln!(out, "{pad}- {s}");
                    }
                    Y::Seq(s) if s.is_empty() => {
                        let _ = writeln!(out, "{pad}- []");
                    }
                    Y::Map(m) if m.is_empty() => {
                        let _ = writeln!(out, "{pad}- {{}}");
                    }
                    nested => {
                        // The first line of the nested node goes on the dash's line.
                        let mut inner = String::new();
                        write(&mut inner, nested, indent + 2);
                        let rest = inner.get(indent + 2..).unwrap_or_default();
                        let _ = write!(out, "{pad}- {rest}");
                    }
                }
            }
        }
        Y::Scalar(s) => {
            let _ = writeln!(out, "{pad}{s}");
        }
        Y::Commented(c, v) => {
            write_comment(out, &pad, c);
            write(out, v, indent);
        }
    }
}

/// A YAML double-quoted scalar: JSON-style escapes, plus every character YAML does not allow
/// raw or would read as a line break.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control()
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                ) =>
            {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Plain when unambiguous (`Allow`, `s3:GetObject`, `arn:aws:s3:::b/*`), else quoted: no
/// leading indicator, no spaces, no YAML 1.1 boolean or null, no number or date.
fn scalar(s: &str) -> String {
    let plain = s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || ":/._-*@+=,".contains(c))
        && !s.ends_with(':')
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "y" | "n" | "yes" | "no" | "true" | "false" | "on" | "off" | "null"
        );
    if plain {
        s.to_string()
    } else {
        quoted(s)
    }
}

struct Exprs<'a> {
    splitter: Splitter<'a>,
    bindings: &'a [Binding],
    /// Parameter name per placeholder, and whether it was used.
    params: Vec<(String, bool)>,
}

impl Exprs<'_> {
    /// `!Ref` / `!GetAtt` text, or the `${...}` of `!Sub`.
    fn reference(&mut self, piece: Piece, in_sub: bool) -> Option<String> {
        let (id, attr) = match piece {
            Piece::Bound(b) => {
                let (id, attr) = self.bindings[b].cloudformation.as_ref()?;
                (id.clone(), attr.clone())
            }
            Piece::Var(v) => {
                let p = self.params.get_mut(v)?;
                p.1 = true;
                (p.0.clone(), None)
            }
            Piece::Text(_) => return None,
        };
        Some(match (in_sub, attr) {
            (true, Some(a)) => format!("${{{id}.{a}}}"),
            (true, None) => format!("${{{id}}}"),
            (false, Some(a)) => format!("!GetAtt {id}.{a}"),
            (false, None) => format!("!Ref {id}"),
        })
    }

    fn string(&mut self, s: &str) -> String {
        let pieces = self.splitter.split(s);
        if let [one @ (Piece::Bound(_) | Piece::Var(_))] = pieces.as_slice() {
            if let Some(r) = self.reference(*one, false) {
                return r;
            }
        }
        if pieces.iter().all(|p| matches!(p, Piece::Text(_))) {
            return scalar(s);
        }
        // `!Sub`: a literal `${` is written `${!`.
        let mut sub = String::new();
        for p in &pieces {
            match (p, self.reference(*p, true)) {
                (_, Some(r)) => sub.push_str(&r),
                (Piece::Text(t), None) => sub.push_str(&t.replace("${", "${!")),
                (_, None) => {}
            }
        }
        format!("!Sub {}", quoted(&sub))
    }

    /// The policy as YAML, the reason of each statement as a comment before it.
    fn policy(&mut self, doc: &PolicyDocument) -> Y {
        let Json::Obj(members) = &doc.policy else {
            return self.json(&doc.policy);
        };
        Y::Map(
            members
                .iter()
                .map(|(k, v)| match (*k, v) {
                    ("Statement", Json::Arr(items)) => {
                        let items = items
                            .iter()
                            .enumerate()
                            .map(|(i, s)| {
                                let y = self.json(s);
                                let sid = s.get("Sid").and_then(Json::as_str);
                                match doc.statements.get(i) {
                                    Some(info) if Some(info.sid.as_str()) == sid => {
                                        Y::Commented(info.reason.clone(), Box::new(y))
                                    }
                                    _ => y,
                                }
                            })
                            .collect();
                        (scalar(k), Y::Seq(items))
                    }
                    _ => (scalar(k), self.json(v)),
                })
                .collect(),
        )
    }

    fn json(&mut self, j: &Json) -> Y {
        match j {
            Json::Str(s) => Y::Scalar(self.string(s)),
            Json::Arr(items) => Y::Seq(items.iter().map(|i| self.json(i)).collect()),
            Json::Obj(members) => Y::Map(
                members
                    .iter()
                    .map(|(k, v)| (scalar(k), self.json(v)))
                    .collect(),
            ),
        }
    }
}

pub(super) fn value(s: &str, bindings: &[Binding]) -> String {
    Exprs {
        splitter: Splitter::bound(bindings, Lang::CloudFormation),
        bindings,
        params: Vec::new(),
    }
    .string(s)
}

pub(super) fn emit(set: &PolicySet, user: &[Binding]) -> String {
    let bindings = effective_bindings(set, user);
    let mut names = Names::new();
    names.take(ROLE_ID, "");
    let mut x = Exprs {
        splitter: Splitter::new(set, &bindings, Lang::CloudFormation),
        bindings: &bindings,
        params: set
            .placeholders
            .iter()
            .map(|p| {
                let base = camel(&token_words(&p.token).join("_"));
                let base = match base.chars().next() {
                    Some(c) if c.is_ascii_alphabetic() => base,
                    _ => format!("P{base}"),
                };
                (names.take(&base, ""), false)
            })
            .collect(),
    };
    let ids: Vec<String> = set
        .documents
        .iter()
        .map(|d| names.take(&camel(&doc_name(d)), ""))
        .collect();
    let mut extra_params: Vec<(String, String)> = Vec::new();
    let created = role_created(set, user, Lang::CloudFormation);
    let bound_ref = |s: &str, x: &Exprs| match x.splitter.split(s).as_slice() {
        [Piece::Bound(b)] => x.bindings[*b].cloudformation.clone(),
        _ => None,
    };

    let mut resources: Vec<(String, Y)> = Vec::new();
    let mut metadata: Vec<Y> = Vec::new();
    let trust = set
        .documents
        .iter()
        .position(|d| d.kind == DocumentKind::Trust);
    let role_policies: Vec<usize> = (0..set.documents.len())
        .filter(|&i| is_role_policy(&set.documents[i]))
        .collect();

    if let (true, Some(t)) = (created, trust) {
        let mut props = Vec::new();
        if let Some((name, path)) = role_arn(set).and_then(role_name_path) {
            props.push(("RoleName", Y::Scalar(scalar(name))));
            props.push(("Path", Y::Scalar(scalar(&path))));
        }
        props.push(("AssumeRolePolicyDocument", x.policy(&set.documents[t])));
        if !role_policies.is_empty() {
            let policies = role_policies
                .iter()
                .map(|&i| {
                    let d = &set.documents[i];
                    Y::Commented(
                        d.title.clone(),
                        Box::new(map(vec![
                            (
                                "PolicyName",
                                Y::Scalar(scalar(&kind_name(d.kind).replace('_', "-"))),
                            ),
                            ("PolicyDocument", x.policy(d)),
                        ])),
                    )
                })
                .collect();
            props.push(("Policies", Y::Seq(policies)));
        }
        resources.push((
            ROLE_ID.to_string(),
            Y::Commented(
                "The replication role S3 assumes.".to_string(),
                Box::new(map(vec![
                    ("Type", Y::Scalar("AWS::IAM::Role".to_string())),
                    ("Properties", map(props)),
                ])),
            ),
        ));
    } else if !role_policies.is_empty() {
        let role = role_arn(set).unwrap_or_default();
        let role_name = match bound_ref(role, &x) {
            Some((id, Some(a))) if a == "Arn" => format!("!Ref {id}"),
            _ => match role_name_path(role) {
                Some((name, _)) => scalar(name),
                None => {
                    let p = names.take("ReplicationRoleName", "");
                    extra_params.push((p.clone(), format!("Name of the replication role {role}")));
                    format!("!Ref {p}")
                }
            },
        };
        for &i in &role_policies {
            let d = &set.documents[i];
            resources.push((
                ids[i].clone(),
                Y::Commented(
                    format!("{}\n{}", d.title, d.how_to_apply),
                    Box::new(map(vec![
                        ("Type", Y::Scalar("AWS::IAM::RolePolicy".to_string())),
                        (
                            "Properties",
                            map(vec![
                                (
                                    "PolicyName",
                                    Y::Scalar(scalar(&kind_name(d.kind).replace('_', "-"))),
                                ),
                                ("RoleName", Y::Scalar(role_name.clone())),
                                ("PolicyDocument", x.policy(d)),
                            ]),
                        ),
                    ])),
                ),
            ));
        }
    }

    for (i, d) in set.documents.iter().enumerate() {
        let in_role = created && (Some(i) == trust || is_role_policy(d));
        if in_role || is_role_policy(d) {
            continue;
        }
        match d.kind {
            DocumentKind::DestinationBucketPolicy => {
                let bucket = match bound_ref(&d.attach_to, &x) {
                    Some((id, Some(a))) if a == "Arn" => format!("!Ref {id}"),
                    Some(_) => format!("!Select [5, !Split [\":\", {}]]", x.string(&d.attach_to)),
                    None => match bucket_name(&d.attach_to) {
                        Some(b) => x.string(b),
                        None => {
                            let p = names.take("DestinationBucket", "");
                            extra_params
                                .push((p.clone(), format!("Name of the bucket for: {}", d.title)));
                            format!("!Ref {p}")
                        }
                    },
                };
                resources.push((
                    ids[i].clone(),
                    Y::Commented(
                        format!("{}\n{}\nReplaces the bucket's whole policy: add the statements of its current policy first. Deploy in the bucket owner's account.", d.title, d.how_to_apply),
                        Box::new(map(vec![
                            ("Type", Y::Scalar("AWS::S3::BucketPolicy".to_string())),
                            (
                                "Properties",
                                map(vec![
                                    ("Bucket", Y::Scalar(bucket)),
                                    ("PolicyDocument", x.policy(d)),
                                ]),
                            ),
                        ])),
                    ),
                ));
            }
            DocumentKind::Deployer => {
                resources.push((
                    ids[i].clone(),
                    Y::Commented(
                        format!("{}\n{}", d.title, d.how_to_apply),
                        Box::new(map(vec![
                            ("Type", Y::Scalar("AWS::IAM::ManagedPolicy".to_string())),
                            (
                                "Properties",
                                map(vec![
                                    ("Description", Y::Scalar(scalar(&d.title))),
                                    ("PolicyDocument", x.policy(d)),
                                ]),
                            ),
                        ])),
                    ),
                ));
            }
            // Key policy additions, and a trust policy for a role this template does not
            // create: for the user to apply where those live.
            _ => {
                let applies_to = x.string(&d.attach_to);
                metadata.push(map(vec![
                    ("Title", Y::Scalar(scalar(&d.title))),
                    ("AppliesTo", Y::Scalar(applies_to)),
                    ("HowToApply", Y::Scalar(scalar(&d.how_to_apply))),
                    ("PolicyDocument", x.policy(d)),
                ]));
            }
        }
    }
    if resources.is_empty() {
        // A template needs a resource; this one creates nothing.
        resources.push((
            "Nothing".to_string(),
            Y::Commented(
                "No policy to attach: the template needs one resource.".to_string(),
                Box::new(map(vec![(
                    "Type",
                    Y::Scalar("AWS::CloudFormation::WaitConditionHandle".to_string()),
                )])),
            ),
        ));
    }

    let mut top: Vec<(&str, Y)> = vec![
        ("AWSTemplateFormatVersion", Y::Scalar(quoted("2010-09-09"))),
        (
            "Description",
            Y::Scalar(scalar(
                "Least-privilege policies of an S3 replication configuration (s3-replication-lint)",
            )),
        ),
    ];
    let mut params: Vec<(String, Y)> = Vec::new();
    for (p, (name, used)) in set.placeholders.iter().zip(&x.params) {
        if *used {
            params.push((
                name.clone(),
                parameter(&format!("{} ({}). {}", p.what, p.token, p.how_to_fill)),
            ));
        }
    }
    for (name, what) in &extra_params {
        params.push((name.clone(), parameter(what)));
    }
    if !params.is_empty() {
        top.push(("Parameters", Y::Map(params)));
    }
    if !metadata.is_empty() {
        // CloudFormation resolves intrinsics in a resource's Metadata attribute, not in the
        // template's Metadata section; a resource of its own keeps the role's references from
        // making a cycle.
        resources.push((
            "PoliciesToApplyElsewhere".to_string(),
            Y::Commented(
                "Policy statements this template cannot attach (a key policy it does not own): apply each as its HowToApply says. This resource creates nothing.".to_string(),
                Box::new(map(vec![
                    ("Type", Y::Scalar("AWS::CloudFormation::WaitConditionHandle".to_string())),
                    (
                        "Metadata",
                        map(vec![(
                            "S3ReplicationLint",
                            map(vec![("PoliciesToApplyElsewhere", Y::Seq(metadata))]),
                        )]),
                    ),
                ])),
            ),
        ));
    }
    top.push(("Resources", Y::Map(resources)));

    let mut out = String::new();
    write_comment(
        &mut out,
        "",
        "Generated by s3-replication-lint: the least-privilege policies of the replication configuration.\nStatements, actions and conditions are those of the JSON policies, in their order.",
    );
    for n in &set.notes {
        write_comment(
            &mut out,
            "",
            &format!("{}: {}", n.severity.as_str(), n.message),
        );
    }
    write(&mut out, &map(top), 0);
    out
}

fn parameter(description: &str) -> Y {
    // CloudFormation limits a parameter's description to 4000 characters.
    let d: String = description.chars().take(4000).collect();
    map(vec![
        ("Type", Y::Scalar("String".to_string())),
        ("Description", Y::Scalar(scalar(&d))),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_plain_only_when_unambiguous() {
        assert_eq!(scalar("s3:GetObject"), "s3:GetObject");
        assert_eq!(scalar("arn:aws:s3:::b/*"), "arn:aws:s3:::b/*");
        for s in [
            "*",
            "2012-10-17",
            "yes",
            "a: b",
            "a #b",
            "",
            "x:",
            "111",
            "\"q\"",
        ] {
            assert!(scalar(s).starts_with('"'), "{s}");
        }
        assert_eq!(
            quoted("a\"\\\n\u{1}\u{2028}é"),
            "\"a\\\"\\\\\\n\\u0001\\u2028é\""
        );
    }
}
