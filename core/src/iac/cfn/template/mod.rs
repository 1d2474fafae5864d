//! What a template declares (parameters, mappings, conditions, resources) and the evaluation
//! of its intrinsic functions where the template fixes their value.
use super::{get, policies, text_of};
use crate::iac::eval::{self, Value};
use crate::source::Span;
use crate::syntax::{Content, Node};
use std::cell::Cell;
use std::collections::HashMap;

mod conditions;

/// Intrinsic evaluation deeper than this is given up as unknown (cycles, hostile input).
const MAX_EVAL_DEPTH: usize = 24;

/// What a template declares, for evaluating intrinsics.
pub(super) struct Template<'t> {
    pub(super) text: &'t str,
    parameters: HashMap<String, &'t Node<'static>>,
    pub(super) resources: HashMap<String, (String, Option<&'t Node<'static>>)>,
    conditions: HashMap<String, &'t Node<'static>>,
    mappings: Option<&'t Node<'static>>,
    pub(super) pseudo: HashMap<&'static str, String>,
    /// Let the stand-in of a resource named at deployment flow into `Fn::Sub`/`Fn::Join`
    /// (for policies, whose ARNs name the same resources the same way).
    pub(super) stand_ins: Cell<bool>,
    /// The template is a Serverless Framework service's `resources`: a `${source:...}`
    /// variable in a string is the framework's, resolved before CloudFormation sees it.
    pub(super) serverless: bool,
    /// Set when a parameter's Default was read (see [`Template::off_by_default`]).
    defaults_used: Cell<bool>,
    /// Read `AWS::Region` and `AWS::AccountId` the context leaves open as the stack's own
    /// (stand-ins): for a replica key written `arn:...:${AWS::Region}:${AWS::AccountId}:...`,
    /// a key of the source bucket's Region and account.
    pub(super) stack_pseudo: Cell<bool>,
    /// Parameters a configuration's `Destination.Bucket` is `!Ref` of: they hold bucket ARNs.
    bucket_arn_parameters: Vec<String>,
}

/// An evaluated template value.
pub(super) enum Eval<'t> {
    Scalar(Value),
    /// A structure (object or array) to translate further.
    Node(&'t Node<'static>),
    List(Vec<Value>),
    /// `Ref: AWS::NoValue`: the property is absent.
    NoValue,
}

impl<'t> Template<'t> {
    pub(super) fn new(root: &'t Node<'static>, text: &'t str) -> Template<'t> {
        let section = |name: &str| -> Vec<(String, &'t Node<'static>)> {
            match get(root, name).map(|m| &m.value) {
                Some(Node {
                    content: Content::Object(ms),
                    ..
                }) => ms.iter().map(|m| (m.name.to_string(), &m.value)).collect(),
                _ => Vec::new(),
            }
        };
        let resources = section("Resources")
            .into_iter()
            .map(|(id, node)| {
                let ty = get(node, "Type")
                    .and_then(|m| text_of(&m.value))
                    .unwrap_or_default();
                let props = get(node, "Properties").map(|m| &m.value);
                (id, (ty, props))
            })
            .collect();
        Template {
            text,
            parameters: section("Parameters").into_iter().collect(),
            resources,
            conditions: section("Conditions").into_iter().collect(),
            mappings: get(root, "Mappings").map(|m| &m.value),
            pseudo: HashMap::new(),
            stand_ins: Cell::new(false),
            serverless: false,
            defaults_used: Cell::new(false),
            stack_pseudo: Cell::new(false),
            bucket_arn_parameters: section("Resources")
                .into_iter()
                .flat_map(|(_, node)| destination_refs(node))
                .collect(),
        }
    }

    /// A value's text and, for a stand-in, what still stands on it.
    fn piece(v: &Value) -> Option<(String, Option<eval::Keep>)> {
        match v {
            Value::Partial { text, keep, .. } => Some((text.clone(), Some(*keep))),
            _ => v.as_text().map(|t| (t, None)),
        }
    }

    /// A value built from pieces (`Fn::Join`, `Fn::Sub`): a stand-in if one of them is.
    fn built(&self, text: String, keep: Option<eval::Keep>, node: &Node<'static>) -> Eval<'t> {
        match keep {
            Some(keep) if !self.stand_ins.get() => Eval::Scalar(Value::Partial {
                text,
                expr: self.source(node.span),
                keep,
            }),
            _ => Eval::Scalar(Value::Str(text)),
        }
    }

    /// A value's text; in stand-in mode, also a stand-in's.
    pub(super) fn text_value(&self, v: &Value) -> Option<String> {
        match v {
            Value::Partial { text, .. } if self.stand_ins.get() => Some(text.clone()),
            _ => v.as_text(),
        }
    }

    pub(super) fn source(&self, span: Span) -> String {
        self.text
            .get(span.range())
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The intrinsic a node is, if it is one: `{"Fn::X": arg}` or `{"Ref": arg}`.
    pub(super) fn intrinsic<'n>(node: &'n Node<'static>) -> Option<(&'n str, &'n Node<'static>)> {
        match &node.content {
            Content::Object(ms) if ms.len() == 1 => {
                let m = &ms[0];
                (m.name == "Ref" || m.name.starts_with("Fn::") || m.name == "Condition")
                    .then(|| (m.name.as_ref(), &m.value))
            }
            _ => None,
        }
    }

    pub(super) fn eval(&self, node: &'t Node<'static>, depth: usize) -> Eval<'t> {
        match self.eval_raw(node, depth) {
            // A dynamic reference (`{{resolve:ssm:/path}}`, `{{resolve:secretsmanager:...}}`)
            // is replaced by CloudFormation at deployment, in a literal or a built string.
            Eval::Scalar(Value::Str(s) | Value::Partial { text: s, .. })
                if s.contains("{{resolve:") || (self.serverless && serverless_variable(&s)) =>
            {
                Eval::Scalar(Value::Unknown(self.source(node.span)))
            }
            other => other,
        }
    }

    fn eval_raw(&self, node: &'t Node<'static>, depth: usize) -> Eval<'t> {
        let unknown = || Eval::Scalar(Value::Unknown(self.source(node.span)));
        if depth > MAX_EVAL_DEPTH {
            return unknown();
        }
        let Some((name, arg)) = Self::intrinsic(node) else {
            return match &node.content {
                Content::Text(t) => Eval::Scalar(Value::Str(t.to_string())),
                Content::Number(n) => Eval::Scalar(Value::Num(n.to_string())),
                Content::Bool(b) => Eval::Scalar(Value::Bool(*b)),
                Content::Null => Eval::NoValue,
                _ => Eval::Node(node),
            };
        };
        match name {
            "Ref" => match text_of(arg) {
                Some(r) => self.reference(&r, None, node, depth),
                None => unknown(),
            },
            "Fn::GetAtt" => {
                let parts: Option<(String, String)> = match &arg.content {
                    Content::Text(t) => t
                        .split_once('.')
                        .map(|(a, b)| (a.to_string(), b.to_string())),
                    Content::Array(items) if items.len() == 2 => {
                        match (text_of(&items[0]), self.string(&items[1], depth)) {
                            (Some(a), Some(b)) => Some((a, b)),
                            _ => None,
                        }
                    }
                    _ => None,
                };
                match parts {
                    Some((res, attr)) => self.reference(&res, Some(&attr), node, depth),
                    None => unknown(),
                }
            }
            "Fn::Sub" => {
                let (template, vars) = match &arg.content {
                    Content::Array(items) if !items.is_empty() => (&items[0], items.get(1)),
                    _ => (arg, None),
                };
                let Some(template) = text_of(template) else {
                    return unknown();
                };
                match self.sub(&template, vars, depth) {
                    Some((text, keep)) => self.built(text, keep, node),
                    None => unknown(),
                }
            }
            "Fn::Join" => {
                let Content::Array(items) = &arg.content else {
                    return unknown();
                };
                let (Some(sep), Some(list)) = (items.first().and_then(text_of), items.get(1))
                else {
                    return unknown();
                };
                match self.list(list, depth) {
                    Some(values) => {
                        let pieces: Option<Vec<(String, Option<eval::Keep>)>> =
                            values.iter().map(Self::piece).collect();
                        match pieces {
                            Some(pieces) => {
                                let keep = joint_keep(pieces.iter().map(|p| p.1));
                                let texts: Vec<&str> =
                                    pieces.iter().map(|p| p.0.as_str()).collect();
                                self.built(texts.join(&sep), keep, node)
                            }
                            None => unknown(),
                        }
                    }
                    None => unknown(),
                }
            }
            "Fn::Select" => {
                let Content::Array(items) = &arg.content else {
                    return unknown();
                };
                let index = items
                    .first()
                    .and_then(|i| self.string(i, depth))
                    .and_then(|i| i.parse::<usize>().ok());
                match (index, items.get(1).and_then(|l| self.list(l, depth))) {
                    (Some(i), Some(values)) => {
                        values.get(i).cloned().map_or_else(unknown, Eval::Scalar)
                    }
                    _ => unknown(),
                }
            }
            // `AWS::LanguageExtensions`: the number of elements of a list.
            "Fn::Length" => match self.list(arg, depth) {
                Some(values) if values.iter().all(|v| !matches!(v, Value::Unknown(_))) => {
                    Eval::Scalar(Value::Num(values.len().to_string()))
                }
                _ => unknown(),
            },
            "Fn::Split" => match self.list(node, depth) {
                Some(values) => Eval::List(values),
                None => unknown(),
            },
            "Fn::If" => {
                let Content::Array(items) = &arg.content else {
                    return unknown();
                };
                if items.len() != 3 {
                    return unknown();
                }
                match text_of(&items[0]).and_then(|c| self.condition_named(&c, depth)) {
                    Some(true) => self.eval(&items[1], depth + 1),
                    Some(false) => self.eval(&items[2], depth + 1),
                    None => unknown(),
                }
            }
            "Fn::FindInMap" => {
                let Content::Array(items) = &arg.content else {
                    return unknown();
                };
                let keys: Option<Vec<String>> = items
                    .iter()
                    .take(3)
                    .map(|k| self.string(k, depth))
                    .collect();
                let found = keys.filter(|k| k.len() == 3).and_then(|k| {
                    let map = get(self.mappings?, &k[0])?;
                    let level = get(&map.value, &k[1])?;
                    Some(&get(&level.value, &k[2])?.value)
                });
                match found {
                    Some(v) => self.eval(v, depth + 1),
                    None => unknown(),
                }
            }
            _ => unknown(),
        }
    }

    pub(super) fn string(&self, node: &'t Node<'static>, depth: usize) -> Option<String> {
        match self.eval(node, depth + 1) {
            Eval::Scalar(v) => self.text_value(&v),
            _ => None,
        }
    }

    pub(super) fn list(&self, node: &'t Node<'static>, depth: usize) -> Option<Vec<Value>> {
        if let Some(("Fn::Split", arg)) = Self::intrinsic(node) {
            let Content::Array(items) = &arg.content else {
                return None;
            };
            let sep = items.first().and_then(text_of)?;
            let whole = self.string(items.get(1)?, depth)?;
            if sep.is_empty() {
                return None;
            }
            return Some(
                whole
                    .split(sep.as_str())
                    .map(|s| Value::Str(s.to_string()))
                    .collect(),
            );
        }
        match &node.content {
            Content::Array(items) => Some(
                items
                    .iter()
                    .map(|i| match self.eval(i, depth + 1) {
                        Eval::Scalar(v) => v,
                        _ => Value::Unknown(self.source(i.span)),
                    })
                    .collect(),
            ),
            _ => match self.eval(node, depth + 1) {
                Eval::List(v) => Some(v),
                Eval::Scalar(Value::Str(s)) => Some(
                    s.split(',')
                        .map(|x| Value::Str(x.trim().to_string()))
                        .collect(),
                ),
                _ => None,
            },
        }
    }

    /// `Ref` (attr `None`) or `Fn::GetAtt` of a parameter, pseudo parameter or resource.
    fn reference(
        &self,
        name: &str,
        attr: Option<&str>,
        node: &Node<'static>,
        depth: usize,
    ) -> Eval<'t> {
        let unknown = Eval::Scalar(Value::Unknown(self.source(node.span)));
        if attr.is_none() {
            if name == "AWS::NoValue" {
                return Eval::NoValue;
            }
            if name.starts_with("AWS::") {
                if name == "AWS::Partition" && !self.pseudo.contains_key(name) {
                    // The stack's partition: only checks comparing partitions need it.
                    return Eval::Scalar(Value::Partial {
                        text: policies::PARTITION_STAND_IN.into(),
                        expr: "AWS::Partition".into(),
                        keep: eval::Keep::AllBut(eval::PARTITION_CHECKS),
                    });
                }
                if let Some(v) = self.pseudo.get(name) {
                    return Eval::Scalar(Value::Str(v.clone()));
                }
                // The stack's own Region and account: the source bucket's (it is created by
                // this stack). Only whether a key is `aws/s3` of that account stands on them.
                let stand_in = match name {
                    "AWS::Region" => crate::arn::PLACEHOLDER_REGION,
                    "AWS::AccountId" => crate::arn::PLACEHOLDER_ACCOUNT,
                    _ => return unknown,
                };
                if !self.stack_pseudo.get() {
                    return unknown;
                }
                return Eval::Scalar(Value::Partial {
                    text: stand_in.into(),
                    expr: name.into(),
                    keep: eval::Keep::Only(eval::AWS_MANAGED_KEY_CHECKS),
                });
            }
            if let Some(p) = self.parameters.get(name) {
                // An SSM parameter type's Default is the parameter's name; CloudFormation
                // passes the value stored there.
                let ssm = get(p, "Type")
                    .and_then(|t| text_of(&t.value))
                    .is_some_and(|t| t.trim_start().starts_with("AWS::SSM::Parameter::Value<"));
                if ssm {
                    return unknown;
                }
                let Some(d) = get(p, "Default") else {
                    // One value, whatever is passed: the same parameter names the same thing
                    // everywhere (a list's elements are not known one by one).
                    let single = get(p, "Type")
                        .and_then(|t| text_of(&t.value))
                        .is_none_or(|t| t.trim() == "String");
                    return if single {
                        Eval::Scalar(eval::parameter_stand_in(
                            name,
                            self.source(node.span),
                            self.bucket_arn_parameters.iter().any(|p| p == name),
                        ))
                    } else {
                        unknown
                    };
                };
                self.defaults_used.set(true);
                return match self.eval(&d.value, depth + 1) {
                    Eval::Scalar(v) => Eval::Scalar(v),
                    _ => unknown,
                };
            }
        }
        let Some((ty, props)) = self.resources.get(name) else {
            return unknown;
        };
        // A property's text; a parameter's stand-in is no name (only a bucket's, below).
        let prop = |p: &str| {
            props
                .and_then(|n| get(n, p))
                .and_then(|m| self.string(&m.value, depth))
                .filter(|t| !t.contains(eval::PARAMETER_STAND_IN))
        };
        let partition = self
            .pseudo
            .get("AWS::Partition")
            .cloned()
            .unwrap_or_else(|| "aws".into());
        if ty == "AWS::S3::Bucket" {
            // `BucketName` evaluated once, so a chain of `!Ref OtherBucket` stays linear.
            let (literal, stand_in) = self.bucket_name_parts(*props, depth);
            if let Some(b) = literal {
                return match attr {
                    None => Eval::Scalar(Value::Str(b)),
                    Some("Arn") => Eval::Scalar(Value::Str(format!("arn:{partition}:s3:::{b}"))),
                    Some(_) => unknown,
                };
            }
            // Declared here but named at deployment (no `BucketName`, or one the template
            // does not fix): its identity and Region are still known. Named by a parameter
            // without default (or after another bucket): that stand-in, as a policy naming
            // the bucket the same way reads it.
            let generated = stand_in.unwrap_or_else(|| eval::generated_bucket_name(name));
            let text = match attr {
                None => generated,
                Some("Arn") => format!("arn:{partition}:s3:::{generated}"),
                Some(_) => return unknown,
            };
            return Eval::Scalar(Value::Partial {
                text,
                expr: self.source(node.span),
                keep: eval::Keep::Only(eval::BUCKET_IDENTITY_CHECKS),
            });
        }
        if matches!(ty.as_str(), "AWS::KMS::Key" | "AWS::KMS::ReplicaKey") && attr == Some("Arn") {
            let account = self.pseudo.get("AWS::AccountId").map(String::as_str);
            return Eval::Scalar(match self.pseudo.get("AWS::Region") {
                Some(region) => {
                    eval::key_stand_in(self.source(node.span), name, &partition, region, account)
                }
                // The stack's Region, left to deployment: the key is still this one (policies
                // naming it match it), but no check on its Region can stand.
                None => match eval::key_stand_in(
                    self.source(node.span),
                    name,
                    &partition,
                    crate::arn::PLACEHOLDER_REGION,
                    account,
                ) {
                    Value::Partial { text, expr, .. } => Value::Partial {
                        text,
                        expr,
                        keep: eval::Keep::NONE,
                    },
                    other => other,
                },
            });
        }
        let value = match (ty.as_str(), attr) {
            ("AWS::IAM::Role", None) => prop("RoleName"),
            ("AWS::IAM::Role", Some("Arn")) => {
                match (
                    prop("RoleName"),
                    self.pseudo.get("AWS::AccountId"),
                    self.pseudo.get("AWS::Partition"),
                ) {
                    (Some(n), Some(a), Some(p)) => {
                        let path = prop("Path").unwrap_or_else(|| "/".into());
                        Some(format!("arn:{p}:iam::{a}:role{path}{n}"))
                    }
                    _ => None,
                }
            }
            ("AWS::KMS::Alias", None) => prop("AliasName"),
            _ => None,
        };
        match value {
            Some(v) => Eval::Scalar(Value::Str(v)),
            None if ty == "AWS::IAM::Role" && attr == Some("Arn") => {
                let account = self.pseudo.get("AWS::AccountId").map(String::as_str);
                let path = prop("Path").unwrap_or_else(|| "/".into());
                let role = prop("RoleName")
                    .unwrap_or_else(|| format!("generated-{}", name.to_ascii_lowercase()));
                Eval::Scalar(eval::role_stand_in(
                    self.source(node.span),
                    &partition,
                    account,
                    &path,
                    &role,
                ))
            }
            None => unknown,
        }
    }

    /// The name a bucket's `BucketName` gives it: the literal, or the stand-in of the
    /// parameter (without default) it is built from, or of the other bucket it names (`!Ref
    /// Other`); `None` when the template does not fix it.
    pub(in crate::iac::cfn) fn bucket_name(
        &self,
        props: Option<&'t Node<'static>>,
        depth: usize,
    ) -> Option<String> {
        let (literal, stand_in) = self.bucket_name_parts(props, depth);
        literal.or(stand_in)
    }

    /// `BucketName`, evaluated once: (the text it fixes, the stand-in it is named by).
    fn bucket_name_parts(
        &self,
        props: Option<&'t Node<'static>>,
        depth: usize,
    ) -> (Option<String>, Option<String>) {
        let Some(node) = props.and_then(|p| get(p, "BucketName")).map(|m| &m.value) else {
            return (None, None);
        };
        match self.eval(node, depth + 1) {
            Eval::Scalar(Value::Str(s)) => (Some(s), None),
            Eval::Scalar(Value::Partial { text, .. })
                if text.contains(eval::PARAMETER_STAND_IN)
                    || self.resources.iter().any(|(id, (ty, _))| {
                        ty == "AWS::S3::Bucket" && eval::generated_bucket_name(id) == text
                    }) =>
            {
                (None, Some(text))
            }
            // Policies read any other stand-in's text as written.
            Eval::Scalar(Value::Partial { text, .. }) if self.stand_ins.get() => (Some(text), None),
            _ => (None, None),
        }
    }

    /// The ARN (or its stand-in) of the KMS key the template declares as `id`.
    pub(in crate::iac::cfn) fn key_arn(&self, id: &str) -> Option<String> {
        let fake = Node {
            content: Content::Null,
            span: Span::empty(0),
        };
        match self.reference(id, Some("Arn"), &fake, 0) {
            Eval::Scalar(Value::Str(s) | Value::Partial { text: s, .. }) => Some(s),
            _ => None,
        }
    }

    /// The stand-ins of the parameters without default (their text, and `${Name}`).
    pub(in crate::iac::cfn) fn parameter_stand_ins(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .parameters
            .iter()
            .filter(|(_, p)| get(p, "Default").is_none())
            .filter_map(
                |(name, _)| match eval::parameter_stand_in(name, String::new(), false) {
                    Value::Partial { text, .. } => Some((text, format!("${{{name}}}"))),
                    _ => None,
                },
            )
            .collect();
        // Longest first, so that `${Dest}` does not replace part of `${DestKey}`'s.
        out.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        out
    }

    /// `Fn::Sub`: `${Name}`, `${Res.Attr}`, `${!Literal}`; `None` if any part is unknown.
    fn sub(
        &self,
        template: &str,
        vars: Option<&'t Node<'static>>,
        depth: usize,
    ) -> Option<(String, Option<eval::Keep>)> {
        let mut keeps = Vec::new();
        let mut out = String::new();
        let mut rest = template;
        while let Some(at) = rest.find("${") {
            out.push_str(&rest[..at]);
            let after = &rest[at + 2..];
            let end = after.find('}')?;
            let name = &after[..end];
            if let Some(lit) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(lit);
                out.push('}');
            } else {
                let var = vars.and_then(|v| get(v, name));
                let value = match var {
                    Some(m) => match self.eval(&m.value, depth + 1) {
                        Eval::Scalar(v) => {
                            let (t, k) = Self::piece(&v)?;
                            keeps.push(k);
                            t
                        }
                        _ => return None,
                    },
                    None => {
                        let (res, attr) = match name.split_once('.') {
                            Some((r, a)) => (r, Some(a)),
                            None => (name, None),
                        };
                        let fake = Node {
                            content: Content::Null,
                            span: Span::empty(0),
                        };
                        match self.reference(res, attr, &fake, depth + 1) {
                            Eval::Scalar(v) => {
                                let (t, k) = Self::piece(&v)?;
                                keeps.push(k);
                                t
                            }
                            _ => return None,
                        }
                    }
                };
                out.push_str(&value);
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Some((out, joint_keep(keeps.into_iter())))
    }
}

/// What still stands on a value built from pieces (`None` for each fully known one): `None`
/// if all are known.
fn joint_keep(keeps: impl Iterator<Item = Option<eval::Keep>>) -> Option<eval::Keep> {
    keeps.flatten().reduce(eval::Keep::and)
}

/// A Serverless Framework variable (`${self:custom.x}`, `${opt:stage, 'dev'}`,
/// `${ssm:/path}`, `${file(./f.yml):key}`...): a `${` not followed by a CloudFormation
/// `Fn::Sub` name (`${AWS::Region}`, `${Bucket.Arn}`, `${Name}`).
fn serverless_variable(s: &str) -> bool {
    s.match_indices("${").any(|(i, _)| {
        let rest = &s[i + 2..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '(' || *c == ':')
            .collect();
        (name.contains(':') && !name.starts_with("AWS::")) || name.contains('(')
    })
}

/// The names a bucket resource's replication rules give as `Destination.Bucket: !Ref NAME`
/// (looking through `Fn::If` branches).
fn destination_refs(resource: &Node<'static>) -> Vec<String> {
    fn walk(node: &Node<'static>, in_destination: bool, out: &mut Vec<String>, depth: usize) {
        if depth > MAX_EVAL_DEPTH * 2 {
            return;
        }
        match &node.content {
            Content::Object(ms) => {
                for m in ms {
                    if in_destination && m.name == "Bucket" {
                        if let Some(("Ref", arg)) = Template::intrinsic(&m.value) {
                            out.extend(text_of(arg));
                        }
                    }
                    walk(&m.value, m.name == "Destination", out, depth + 1);
                }
            }
            Content::Array(items) => items.iter().for_each(|i| walk(i, false, out, depth + 1)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(rc) =
        get(resource, "Properties").and_then(|p| get(&p.value, "ReplicationConfiguration"))
    {
        walk(&rc.value, false, &mut out, 0);
    }
    out
}
