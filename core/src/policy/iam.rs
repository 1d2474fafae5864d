//! IAM policy documents read from a spanned JSON tree, and a small evaluator: does this
//! policy allow this request? Every value keeps its span so findings point into the text.

use crate::source::Span;
use crate::syntax::{Content, Member, Node};

/// A string from the policy with where it is and its JSON path.
#[derive(Clone, Debug)]
pub(crate) struct Str {
    pub value: String,
    pub span: Span,
    pub path: String,
}

#[derive(Clone, Debug)]
pub(crate) struct Cond {
    /// Operator as written, e.g. `StringLike`, `ForAnyValue:StringEqualsIfExists`.
    pub op: String,
    pub key: Str,
    pub values: Vec<Str>,
    /// Path of the key member (`.../Condition/StringLike/kms:ViaService`).
    pub path: String,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Principal {
    /// `"Principal": "*"`.
    pub any: bool,
    /// (`AWS` / `Service` / `Federated` / `CanonicalUser`, value).
    pub entries: Vec<(String, Str)>,
}

#[derive(Clone, Debug)]
pub(crate) struct Statement {
    pub path: String,
    pub span: Span,
    pub sid: Option<String>,
    pub allow: bool,
    pub deny: bool,
    pub principal: Option<Principal>,
    pub not_principal: bool,
    pub actions: Vec<Str>,
    pub not_action: bool,
    /// The `Action`/`NotAction` member (whole member span), if present.
    pub action_span: Option<Span>,
    pub resources: Vec<Str>,
    pub not_resource: bool,
    pub has_resource: bool,
    pub resource_span: Option<Span>,
    pub conditions: Vec<Cond>,
}

#[derive(Clone, Debug)]
pub(crate) struct Policy {
    pub statements: Vec<Statement>,
    /// Where "nothing grants this" findings point: the `Statement` key, else the document.
    pub anchor: Span,
    /// The `Statement` array value (to insert a missing statement), if it is an array.
    pub statement_array: Option<Span>,
}

/// A structural problem that makes IAM refuse the document (S3R700).
#[derive(Clone, Debug)]
pub(crate) struct ShapeError {
    pub span: Span,
    pub path: String,
    pub message: String,
}

fn text_of(node: &Node) -> Option<String> {
    match &node.content {
        Content::Text(s) => Some(s.to_string()),
        _ => None,
    }
}

fn members<'n, 'a>(node: &'n Node<'a>) -> &'n [Member<'a>] {
    match &node.content {
        Content::Object(m) => m,
        _ => &[],
    }
}

fn find<'n, 'a>(node: &'n Node<'a>, name: &str) -> Option<&'n Member<'a>> {
    members(node).iter().find(|m| m.name == name)
}

/// A string or array of strings; other shapes are reported.
fn string_list(node: &Node, path: &str, what: &str, errors: &mut Vec<ShapeError>) -> Vec<Str> {
    match &node.content {
        Content::Text(s) => vec![Str {
            value: s.to_string(),
            span: node.span,
            path: path.to_string(),
        }],
        Content::Array(items) => {
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let p = format!("{path}/{i}");
                match text_of(item) {
                    Some(v) => out.push(Str {
                        value: v,
                        span: item.span,
                        path: p,
                    }),
                    None => errors.push(ShapeError {
                        span: item.span,
                        path: p,
                        message: format!(
                            "{what} entries must be strings, not {}",
                            item.content.kind()
                        ),
                    }),
                }
            }
            out
        }
        other => {
            errors.push(ShapeError {
                span: node.span,
                path: path.to_string(),
                message: format!(
                    "{what} must be a string or an array of strings, not {}",
                    other.kind()
                ),
            });
            Vec::new()
        }
    }
}

impl Policy {
    /// Read a policy document. `needs_resource`: identity policies need Resource/NotResource,
    /// trust policies do not. `needs_principal`: resource policies (trust, key, bucket).
    /// `prefix` starts every path (e.g. `/#2` for the third of several policies audited as one).
    pub fn read(
        root: &Node,
        prefix: &str,
        needs_resource: bool,
        needs_principal: bool,
    ) -> (Policy, Vec<ShapeError>) {
        let mut errors = Vec::new();
        let mut policy = Policy {
            statements: Vec::new(),
            anchor: Span::new(
                root.span.start as usize,
                (root.span.start as usize + 1).min(root.span.end as usize),
            ),
            statement_array: None,
        };
        if !matches!(root.content, Content::Object(_)) {
            errors.push(ShapeError {
                span: root.span,
                path: prefix.to_string(),
                message: format!(
                    "A policy is a JSON object with `Version` and `Statement`, not {}",
                    root.content.kind()
                ),
            });
            return (policy, errors);
        }
        if let Some(v) = find(root, "Version") {
            match text_of(&v.value).as_deref() {
                Some("2012-10-17") | Some("2008-10-17") => {}
                _ => errors.push(ShapeError {
                    span: v.value.span,
                    path: format!("{prefix}/Version"),
                    message: "`Version` must be \"2012-10-17\" (or the older \"2008-10-17\")"
                        .into(),
                }),
            }
        }
        let Some(st) = find(root, "Statement") else {
            errors.push(ShapeError {
                span: policy.anchor,
                path: prefix.to_string(),
                message: "The policy has no `Statement`".into(),
            });
            return (policy, errors);
        };
        policy.anchor = st.name_span;
        let items: Vec<(String, &Node)> = match &st.value.content {
            Content::Object(_) => vec![(format!("{prefix}/Statement"), &st.value)],
            Content::Array(items) => {
                policy.statement_array = Some(st.value.span);
                items
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (format!("{prefix}/Statement/{i}"), n))
                    .collect()
            }
            other => {
                errors.push(ShapeError {
                    span: st.value.span,
                    path: format!("{prefix}/Statement"),
                    message: format!(
                        "`Statement` must be an object or an array of objects, not {}",
                        other.kind()
                    ),
                });
                Vec::new()
            }
        };
        for (path, node) in items {
            if !matches!(node.content, Content::Object(_)) {
                errors.push(ShapeError {
                    span: node.span,
                    path,
                    message: format!("A statement must be an object, not {}", node.content.kind()),
                });
                continue;
            }
            policy.statements.push(read_statement(
                node,
                path,
                needs_resource,
                needs_principal,
                &mut errors,
            ));
        }
        (policy, errors)
    }
}

fn read_statement(
    node: &Node,
    path: String,
    needs_resource: bool,
    needs_principal: bool,
    errors: &mut Vec<ShapeError>,
) -> Statement {
    let mut s = Statement {
        path: path.clone(),
        span: node.span,
        sid: find(node, "Sid").and_then(|m| text_of(&m.value)),
        allow: false,
        deny: false,
        principal: None,
        not_principal: false,
        actions: Vec::new(),
        not_action: false,
        action_span: None,
        resources: Vec::new(),
        not_resource: false,
        has_resource: false,
        resource_span: None,
        conditions: Vec::new(),
    };
    match find(node, "Effect") {
        Some(m) => match text_of(&m.value).as_deref() {
            Some("Allow") => s.allow = true,
            Some("Deny") => s.deny = true,
            _ => errors.push(ShapeError {
                span: m.value.span,
                path: format!("{path}/Effect"),
                message: "`Effect` must be \"Allow\" or \"Deny\" (case-sensitive)".into(),
            }),
        },
        None => errors.push(ShapeError {
            span: node.span,
            path: path.clone(),
            message: "The statement has no `Effect`".into(),
        }),
    }
    let action = find(node, "Action");
    let not_action = find(node, "NotAction");
    match (action, not_action) {
        (Some(_), Some(m)) => errors.push(ShapeError {
            span: m.name_span,
            path: format!("{path}/NotAction"),
            message: "A statement cannot have both `Action` and `NotAction`".into(),
        }),
        (None, None) => errors.push(ShapeError {
            span: node.span,
            path: path.clone(),
            message: "The statement has neither `Action` nor `NotAction`".into(),
        }),
        _ => {}
    }
    if let Some(m) = action.or(not_action) {
        s.not_action = action.is_none();
        s.action_span = Some(m.span);
        s.actions = string_list(&m.value, &format!("{path}/{}", m.name), "Action", errors);
    }
    let resource = find(node, "Resource");
    let not_resource = find(node, "NotResource");
    if let Some(m) = resource.or(not_resource) {
        s.has_resource = true;
        s.not_resource = resource.is_none();
        s.resource_span = Some(m.span);
        s.resources = string_list(&m.value, &format!("{path}/{}", m.name), "Resource", errors);
    } else if needs_resource {
        errors.push(ShapeError {
            span: node.span,
            path: path.clone(),
            message: "The statement has neither `Resource` nor `NotResource`".into(),
        });
    }
    let principal = find(node, "Principal");
    let not_principal = find(node, "NotPrincipal");
    if let Some(m) = principal.or(not_principal) {
        s.not_principal = principal.is_none();
        let mut p = Principal::default();
        match &m.value.content {
            Content::Text(t) if t == "*" => p.any = true,
            Content::Object(kinds) => {
                for k in kinds {
                    let kp = format!("{path}/{}/{}", m.name, k.name);
                    for v in string_list(&k.value, &kp, "Principal", errors) {
                        p.entries.push((k.name.to_string(), v));
                    }
                }
            }
            other => errors.push(ShapeError {
                span: m.value.span,
                path: format!("{path}/{}", m.name),
                message: format!(
                    "`Principal` must be \"*\" or an object such as {{\"AWS\": ...}}, not {}",
                    other.kind()
                ),
            }),
        }
        s.principal = Some(p);
    } else if needs_principal {
        errors.push(ShapeError {
            span: node.span,
            path: path.clone(),
            message: "This kind of policy needs a `Principal` in every statement".into(),
        });
    }
    if let Some(m) = find(node, "Condition") {
        for op in members(&m.value) {
            for key in members(&op.value) {
                let kpath = format!("{path}/Condition/{}/{}", op.name, key.name);
                let values = match &key.value.content {
                    Content::Text(_) | Content::Array(_) => {
                        string_list(&key.value, &kpath, "Condition value", &mut Vec::new())
                    }
                    // Booleans and numbers are written as JSON literals in some policies.
                    Content::Bool(b) => vec![Str {
                        value: b.to_string(),
                        span: key.value.span,
                        path: kpath.clone(),
                    }],
                    Content::Number(n) => vec![Str {
                        value: n.to_string(),
                        span: key.value.span,
                        path: kpath.clone(),
                    }],
                    _ => Vec::new(),
                };
                s.conditions.push(Cond {
                    op: op.name.to_string(),
                    key: Str {
                        value: key.name.to_string(),
                        span: key.name_span,
                        path: kpath.clone(),
                    },
                    values,
                    path: kpath,
                });
            }
        }
    }
    s
}

/// One pattern element of an IAM string pattern.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tok {
    Lit(char),
    Star,
    One,
}

fn tokens(pattern: &str, wildcards: bool) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("${") {
            if let Some(end) = rest.find('}') {
                match &rest[2..end] {
                    "*" => out.push(Tok::Lit('*')),
                    "?" => out.push(Tok::Lit('?')),
                    "$" => out.push(Tok::Lit('$')),
                    // Another policy variable: its value is unknown, match anything.
                    _ => out.push(Tok::Star),
                }
                rest = &rest[end + 1..];
                continue;
            }
        }
        out.push(match c {
            '*' if wildcards => Tok::Star,
            '?' if wildcards => Tok::One,
            c => Tok::Lit(c),
        });
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// IAM `*`/`?` glob match (iterative, linear backtracking on the last star).
pub(crate) fn glob(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let p = tokens(pattern, true);
    let t: Vec<char> = text.chars().collect();
    let eq = |a: char, b: char| {
        if ignore_case {
            // What is compared case-insensitively here (action names; the ViaService, ARN and
            // bucket values replication needs) is ASCII, and ASCII folding keeps Unicode case
            // tables out of the wasm module.
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(Tok::Star) => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(Tok::One) => {
                pi += 1;
                ti += 1;
            }
            Some(Tok::Lit(c)) if eq(*c, t[ti]) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    while p.get(pi) == Some(&Tok::Star) {
        pi += 1;
    }
    pi == p.len()
}

/// Exact comparison honouring `${*}`-style literals (no wildcards).
fn equals(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let p = tokens(pattern, false);
    if p.contains(&Tok::Star) {
        return true; // a policy variable: unknown value
    }
    let lit: String = p
        .iter()
        .map(|t| match t {
            Tok::Lit(c) => *c,
            _ => '*',
        })
        .collect();
    if ignore_case {
        lit.eq_ignore_ascii_case(text)
    } else {
        lit == text
    }
}

/// Three-valued logic for conditions we cannot always evaluate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tri {
    True,
    False,
    Unknown,
}

/// The request being checked.
#[derive(Clone, Debug)]
pub(crate) struct Request {
    pub action: &'static str,
    /// `None`: the resource is unknown (a placeholder); any Resource may match.
    pub resource: Option<String>,
    /// Condition keys we model: `Some(value)` known, `None` unknown. Keys absent from this list
    /// are unknown too (we do not model them).
    pub context: Vec<(&'static str, Option<String>)>,
    /// For resource policies: who makes the request.
    pub caller: Caller,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Caller {
    /// Identity policies: no Principal element.
    Identity,
    /// A service principal (`s3.amazonaws.com`).
    Service(&'static str),
    /// The replication role: matches its ARN, its account (ID or root ARN), or `*`.
    Role {
        arn: Option<String>,
        account: Option<String>,
    },
}

pub(crate) fn eval_condition(c: &Cond, req: &Request) -> Tri {
    let mut op = c.op.as_str();
    for prefix in ["ForAnyValue:", "ForAllValues:"] {
        if let Some(rest) = op.strip_prefix(prefix) {
            op = rest;
        }
    }
    // Every key we model is present in the request, so `...IfExists` changes nothing.
    let op = op.strip_suffix("IfExists").unwrap_or(op);
    let Some((_, value)) = req
        .context
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(&c.key.value))
    else {
        return Tri::Unknown;
    };
    let Some(value) = value else {
        return Tri::Unknown;
    };
    let any = |f: &dyn Fn(&str) -> bool| c.values.iter().any(|v| f(&v.value));
    let r = match op {
        "StringEquals" | "ArnEquals" => any(&|v| equals(v, value, false)),
        "StringEqualsIgnoreCase" => any(&|v| equals(v, value, true)),
        "StringLike" | "ArnLike" => any(&|v| glob(v, value, false)),
        "StringNotEquals" | "ArnNotEquals" => !any(&|v| equals(v, value, false)),
        "StringNotEqualsIgnoreCase" => !any(&|v| equals(v, value, true)),
        "StringNotLike" | "ArnNotLike" => !any(&|v| glob(v, value, false)),
        _ => return Tri::Unknown,
    };
    if r {
        Tri::True
    } else {
        Tri::False
    }
}

fn principal_matches(s: &Statement, caller: &Caller) -> Tri {
    let Some(p) = &s.principal else {
        return if *caller == Caller::Identity {
            Tri::True
        } else {
            Tri::Unknown
        };
    };
    let hit = p.any
        || p.entries.iter().any(|(kind, v)| match caller {
            Caller::Identity => false,
            Caller::Service(svc) => {
                kind == "Service" && v.value.eq_ignore_ascii_case(svc)
                    || kind == "AWS" && v.value == "*"
            }
            Caller::Role { arn, account } => {
                kind == "AWS"
                    && (v.value == "*"
                        || arn.as_deref() == Some(v.value.as_str())
                        || account.as_deref().is_some_and(|a| {
                            v.value == a
                                || (v.value.starts_with("arn:")
                                    && v.value.ends_with(&format!(":iam::{a}:root")))
                        }))
            }
        });
    if s.not_principal {
        if hit {
            Tri::False
        } else {
            Tri::Unknown
        }
    } else if hit {
        Tri::True
    } else {
        Tri::False
    }
}

/// How one statement relates to a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Match {
    pub action: bool,
    pub resource: Tri,
    pub principal: Tri,
    pub conditions: Tri,
}

impl Match {
    /// Could apply (unknowns count as yes): what an Allow needs.
    pub fn maybe(self) -> bool {
        self.action
            && self.resource != Tri::False
            && self.principal != Tri::False
            && self.conditions != Tri::False
    }
    /// Surely applies: what a Deny needs before we say it blocks.
    pub fn surely(self) -> bool {
        self.action
            && self.resource == Tri::True
            && self.principal == Tri::True
            && self.conditions == Tri::True
    }
}

pub(crate) fn action_matches(s: &Statement, action: &str) -> bool {
    let hit = s.actions.iter().any(|a| glob(&a.value, action, true));
    hit != s.not_action
}

pub(crate) fn matches(s: &Statement, req: &Request) -> Match {
    let resource = if !s.has_resource {
        Tri::True
    } else {
        match &req.resource {
            None => Tri::Unknown,
            Some(r) => {
                let hit = s.resources.iter().any(|p| glob(&p.value, r, false));
                if hit != s.not_resource {
                    Tri::True
                } else {
                    Tri::False
                }
            }
        }
    };
    let mut conditions = Tri::True;
    for c in &s.conditions {
        match eval_condition(c, req) {
            Tri::False => {
                conditions = Tri::False;
                break;
            }
            Tri::Unknown => conditions = Tri::Unknown,
            Tri::True => {}
        }
    }
    Match {
        action: action_matches(s, req.action),
        resource,
        principal: principal_matches(s, &req.caller),
        conditions,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Allowed(usize),
    Denied(usize),
    NotAllowed,
}

pub(crate) fn evaluate(policy: &Policy, req: &Request) -> Outcome {
    let mut allowed = None;
    for (i, s) in policy.statements.iter().enumerate() {
        let m = matches(s, req);
        if s.deny && m.surely() {
            return Outcome::Denied(i);
        }
        if s.allow && allowed.is_none() && m.maybe() {
            allowed = Some(i);
        }
    }
    allowed.map_or(Outcome::NotAllowed, Outcome::Allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("s3:Replicate*", "s3:ReplicateObject", true));
        assert!(glob("S3:replicateobject", "s3:ReplicateObject", true));
        assert!(!glob(
            "s3:GetObjectVersion",
            "s3:GetObjectVersionForReplication",
            true
        ));
        assert!(glob(
            "arn:aws:s3:::b/logs/*",
            "arn:aws:s3:::b/logs/\u{0}",
            false
        ));
        assert!(!glob("arn:aws:s3:::b/logs/*", "arn:aws:s3:::b/log", false));
        assert!(glob(
            "arn:aws:s3:::b/a${*}b*",
            "arn:aws:s3:::b/a*b/x",
            false
        ));
        assert!(!glob(
            "arn:aws:s3:::b/a${*}b*",
            "arn:aws:s3:::b/axb/x",
            false
        ));
        assert!(glob("*", "", false));
        assert!(glob("a?c", "abc", false));
        assert!(!glob("a?c", "ac", false));
        assert!(glob("*a*b*c*", "xxaxxbxxcxx", false));
        assert!(equals(
            "s3.us-east-1.amazonaws.com",
            "s3.us-east-1.amazonaws.com",
            false
        ));
    }
}
