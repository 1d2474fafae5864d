//! Reading a policy from its spanned JSON tree: every value keeps its span and path, and
//! what IAM would refuse is a [`ShapeError`].

use super::{Cond, Policy, Principal, ShapeError, Statement, Str};
use crate::source::Span;
use crate::syntax::{Content, Member, Node};

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
        // IAM refuses the document: "Resource <x> must be in ARN format or \"*\"" (a
        // `${PLACEHOLDER}` is a value still to fill in).
        let not_arn = |v: &str| v != "*" && !v.starts_with("arn:") && !v.starts_with("${");
        for r in s.resources.iter().filter(|r| not_arn(&r.value)) {
            errors.push(ShapeError {
                span: r.span,
                path: r.path.clone(),
                message: format!("Resource {} is not an ARN: IAM refuses the policy (MalformedPolicyDocument: a Resource must be an ARN or \"*\"; a bucket name is not one)", r.value),
            });
        }
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
