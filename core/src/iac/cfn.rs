//! CloudFormation templates (YAML or JSON; `cdk synth` output included): every
//! `AWS::S3::Bucket` with `Properties.ReplicationConfiguration` is one configuration.
//!
//! Intrinsics are evaluated where the template fixes their value: parameter defaults,
//! pseudo parameters from the context, `Fn::Sub`/`Fn::Join`/`Fn::Select`/`Fn::Split`/
//! `Fn::FindInMap`/`Fn::If` over known parts, `Ref`/`Fn::GetAtt` of buckets with a literal
//! name. Anything else is an [`Unknown`], never a guess.

use super::eval::{self, Names, Value};
use super::path::Dialect;
use super::{Extracted, Found, InferredFact, SourceFile, Unknown};
use crate::catalogue::parse as codes;
use crate::context::{DeploymentContext, DestinationContext};
use crate::diagnostic::Diagnostic;
use crate::schema::{self, Kind, Shape};
use crate::source::{LineIndex, Span};
use crate::syntax::{Content, Member, Node};
use std::cell::Cell;
use std::collections::HashMap;

mod policies;

/// Intrinsic evaluation deeper than this is given up as unknown (cycles, hostile input).
const MAX_EVAL_DEPTH: usize = 24;

pub fn find(files: &[SourceFile], given: &DeploymentContext) -> Found<'static> {
    super::each_file(files, |i, f, diagnostics| {
        if super::cdk::is_manifest(f) {
            return Vec::new();
        }
        // A stack `cdk synth` wrote: its environment fills the pseudo parameters the
        // context leaves open.
        let env = super::cdk::environment(files, f);
        let mut here = given.clone();
        let region = given.source_region.is_none() && env.region.is_some();
        let account = given.source_account.is_none() && env.account.is_some();
        if region {
            here.source_region = env.region.clone();
        }
        if account {
            here.source_account = env.account.clone();
        }
        let mut found = match parse_template(&f.text, diagnostics) {
            Some(root) => extract(&root, &f.text, i, &f.path, &here, diagnostics),
            None => Vec::new(),
        };
        for c in &mut found {
            let facts = env.facts();
            if region {
                c.context.source_region = env.region.clone();
                c.context.inferred.push("source_region");
                c.facts
                    .extend(facts.iter().filter(|x| x.field == "sourceRegion").cloned());
            }
            if account {
                c.context.source_account = env.account.clone();
                c.context.inferred.push("source_account");
                c.facts
                    .extend(facts.iter().filter(|x| x.field == "sourceAccount").cloned());
            }
        }
        found
    })
}

/// JSON when the first non-blank character is `{`, YAML otherwise. Owned, so the
/// configurations can outlive the parse.
fn parse_template(text: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Node<'static>> {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if body.starts_with('{') {
        crate::parse::json::parse_tree_into(text, diagnostics).map(eval::own)
    } else {
        // Built owned already: no second copy.
        super::yaml::parse(text, diagnostics)
    }
}

fn get<'n>(node: &'n Node<'static>, name: &str) -> Option<&'n Member<'static>> {
    match &node.content {
        Content::Object(ms) => ms.iter().rev().find(|m| m.name == name),
        _ => None,
    }
}

fn text_of(node: &Node<'_>) -> Option<String> {
    match &node.content {
        Content::Text(t) => Some(t.to_string()),
        Content::Number(n) => Some(n.to_string()),
        Content::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// What a template declares, for evaluating intrinsics.
struct Template<'t> {
    text: &'t str,
    parameters: HashMap<String, &'t Node<'static>>,
    resources: HashMap<String, (String, Option<&'t Node<'static>>)>,
    conditions: HashMap<String, &'t Node<'static>>,
    mappings: Option<&'t Node<'static>>,
    pseudo: HashMap<&'static str, String>,
    /// Let the stand-in of a resource named at deployment flow into `Fn::Sub`/`Fn::Join`
    /// (for policies, whose ARNs name the same resources the same way).
    stand_ins: Cell<bool>,
}

/// An evaluated template value.
enum Eval<'t> {
    Scalar(Value),
    /// A structure (object or array) to translate further.
    Node(&'t Node<'static>),
    List(Vec<Value>),
    /// `Ref: AWS::NoValue`: the property is absent.
    NoValue,
}

impl<'t> Template<'t> {
    fn new(root: &'t Node<'static>, text: &'t str) -> Template<'t> {
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
    fn text_value(&self, v: &Value) -> Option<String> {
        match v {
            Value::Partial { text, .. } if self.stand_ins.get() => Some(text.clone()),
            _ => v.as_text(),
        }
    }

    fn source(&self, span: Span) -> String {
        self.text
            .get(span.range())
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The intrinsic a node is, if it is one: `{"Fn::X": arg}` or `{"Ref": arg}`.
    fn intrinsic<'n>(node: &'n Node<'static>) -> Option<(&'n str, &'n Node<'static>)> {
        match &node.content {
            Content::Object(ms) if ms.len() == 1 => {
                let m = &ms[0];
                (m.name == "Ref" || m.name.starts_with("Fn::") || m.name == "Condition")
                    .then(|| (m.name.as_ref(), &m.value))
            }
            _ => None,
        }
    }

    fn eval(&self, node: &'t Node<'static>, depth: usize) -> Eval<'t> {
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

    fn string(&self, node: &'t Node<'static>, depth: usize) -> Option<String> {
        match self.eval(node, depth + 1) {
            Eval::Scalar(v) => self.text_value(&v),
            _ => None,
        }
    }

    fn list(&self, node: &'t Node<'static>, depth: usize) -> Option<Vec<Value>> {
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
                return self
                    .pseudo
                    .get(name)
                    .map_or(unknown, |v| Eval::Scalar(Value::Str(v.clone())));
            }
            if let Some(p) = self.parameters.get(name) {
                return match get(p, "Default") {
                    Some(d) => match self.eval(&d.value, depth + 1) {
                        Eval::Scalar(v) => Eval::Scalar(v),
                        _ => unknown,
                    },
                    None => unknown,
                };
            }
        }
        let Some((ty, props)) = self.resources.get(name) else {
            return unknown;
        };
        let prop = |p: &str| {
            props
                .and_then(|n| get(n, p))
                .and_then(|m| self.string(&m.value, depth))
        };
        let partition = self
            .pseudo
            .get("AWS::Partition")
            .cloned()
            .unwrap_or_else(|| "aws".into());
        // Declared here but named at deployment (no `BucketName`, or one the template does
        // not fix): its identity and Region are still known.
        if ty == "AWS::S3::Bucket" && prop("BucketName").is_none() {
            let generated = eval::generated_bucket_name(name);
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
            if let Some(region) = self.pseudo.get("AWS::Region") {
                let account = self.pseudo.get("AWS::AccountId").map(String::as_str);
                return Eval::Scalar(eval::key_stand_in(
                    self.source(node.span),
                    &partition,
                    region,
                    account,
                ));
            }
        }
        let value = match (ty.as_str(), attr) {
            ("AWS::S3::Bucket", None) => prop("BucketName"),
            ("AWS::S3::Bucket", Some("Arn")) => {
                let partition = self
                    .pseudo
                    .get("AWS::Partition")
                    .cloned()
                    .unwrap_or_else(|| "aws".into());
                prop("BucketName").map(|b| format!("arn:{partition}:s3:::{b}"))
            }
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

    /// An `Fn::If` whose condition the template leaves to deployment: the condition's name
    /// and the two branches.
    fn undecided_if<'n>(
        &self,
        node: &'n Node<'static>,
    ) -> Option<(String, &'n Node<'static>, &'n Node<'static>)> {
        let (name, arg) = Self::intrinsic(node)?;
        let Content::Array(items) = &arg.content else {
            return None;
        };
        if name != "Fn::If" || items.len() != 3 {
            return None;
        }
        let cond = text_of(&items[0])?;
        self.condition_named(&cond, 0)
            .is_none()
            .then(|| (cond, &items[1], &items[2]))
    }

    /// `Ref: AWS::NoValue` (also through a decided `Fn::If`).
    fn is_no_value(&self, node: &'t Node<'static>) -> bool {
        matches!(self.eval(node, 0), Eval::NoValue)
    }

    fn condition_named(&self, name: &str, depth: usize) -> Option<bool> {
        if depth > MAX_EVAL_DEPTH {
            return None;
        }
        self.condition(self.conditions.get(name)?, depth + 1)
    }

    fn condition(&self, node: &'t Node<'static>, depth: usize) -> Option<bool> {
        if depth > MAX_EVAL_DEPTH {
            return None;
        }
        let (name, arg) = Self::intrinsic(node)?;
        let items = match &arg.content {
            Content::Array(items) => items.as_slice(),
            _ => std::slice::from_ref(arg),
        };
        match name {
            "Condition" => self.condition_named(&text_of(arg)?, depth),
            "Fn::Equals" if items.len() == 2 => {
                Some(self.string(&items[0], depth)? == self.string(&items[1], depth)?)
            }
            "Fn::Not" => Some(!self.condition(items.first()?, depth + 1)?),
            "Fn::And" => {
                let vals: Vec<Option<bool>> =
                    items.iter().map(|c| self.condition(c, depth + 1)).collect();
                if vals.contains(&Some(false)) {
                    Some(false)
                } else {
                    vals.into_iter().collect::<Option<Vec<_>>>().map(|_| true)
                }
            }
            "Fn::Or" => {
                let vals: Vec<Option<bool>> =
                    items.iter().map(|c| self.condition(c, depth + 1)).collect();
                if vals.contains(&Some(true)) {
                    Some(true)
                } else {
                    vals.into_iter().collect::<Option<Vec<_>>>().map(|_| false)
                }
            }
            _ => None,
        }
    }
}

/// What still stands on a value built from pieces (`None` for each fully known one): `None`
/// if all are known.
fn joint_keep(keeps: impl Iterator<Item = Option<eval::Keep>>) -> Option<eval::Keep> {
    keeps.flatten().reduce(eval::Keep::and)
}

/// Every bucket with a replication configuration, translated.
fn extract(
    root: &Node<'static>,
    text: &str,
    file: usize,
    path: &str,
    given: &DeploymentContext,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Extracted<'static>> {
    let mut out = Vec::new();
    let Some(resources) = get(root, "Resources") else {
        return out;
    };
    let Content::Object(members) = &resources.value.content else {
        diagnostics.push(Diagnostic::new(
            codes::WRONG_TYPE.code,
            codes::WRONG_TYPE.severity,
            resources.value.span,
            "Resources",
            "`Resources` must be a mapping of logical IDs to resources",
        ));
        return out;
    };
    let mut template = Template::new(root, text);
    // Pseudo parameters are known only from the given context (or a literal Role ARN).
    let mut pseudo = HashMap::new();
    if let Some(p) = &given.partition {
        pseudo.insert("AWS::Partition", p.clone());
    }
    if let Some(r) = &given.source_region {
        pseudo.insert("AWS::Region", r.clone());
    }
    if let Some(a) = &given.source_account {
        pseudo.insert("AWS::AccountId", a.clone());
    }
    template.pseudo = pseudo;
    let index = LineIndex::new(text);
    // `Fn::ForEach::Name: [Id, Collection, {"${Id}Bucket": {...}}]` (AWS::LanguageExtensions):
    // each resource it makes is read once, with the loop's identifier unknown.
    let mut candidates: Vec<(String, &Member<'static>, Option<&Member<'static>>)> = Vec::new();
    for res in members {
        if res.name.starts_with("Fn::ForEach::") {
            if let Content::Array(items) = &res.value.content {
                if let Some(Node {
                    content: Content::Object(made),
                    ..
                }) = items.get(2)
                {
                    for m in made {
                        candidates.push((
                            format!("Resources.{}.{}", res.name, m.name),
                            m,
                            Some(res),
                        ));
                    }
                }
            }
            continue;
        }
        candidates.push((format!("Resources.{}", res.name), res, None));
    }
    for (address, res, each) in candidates {
        let ty = get(&res.value, "Type").and_then(|m| text_of(&m.value));
        if ty.as_deref() != Some("AWS::S3::Bucket") {
            continue;
        }
        let Some(props) = get(&res.value, "Properties") else {
            continue;
        };
        let Some(rc) = get(&props.value, "ReplicationConfiguration") else {
            continue;
        };
        let mut t = Translator {
            template: &template,
            unknowns: Vec::new(),
            tainted: Vec::new(),
            diagnostics: Vec::new(),
            path: format!("{address}.Properties.ReplicationConfiguration"),
        };
        if let Some(each) = each {
            t.diagnostics.push(Diagnostic::new(
                codes::UNSUPPORTED_CONSTRUCT.code,
                crate::diagnostic::Severity::Info,
                each.name_span,
                address.clone(),
                format!("`{}` is not expanded: the buckets it makes are checked once, with the loop's value unknown", each.name),
            ));
        }
        // A bucket with a `Condition` exists only when it holds.
        if let Some(c) = get(&res.value, "Condition") {
            let name = text_of(&c.value).unwrap_or_default();
            match template.condition_named(&name, 0) {
                Some(false) => continue,
                Some(true) => {}
                None => t.diagnostics.push(Diagnostic::new(
                    codes::UNSUPPORTED_CONSTRUCT.code,
                    crate::diagnostic::Severity::Info,
                    c.value.span,
                    address.clone(),
                    format!("The bucket exists only when condition `{name}` holds, which this template leaves to deployment: it is checked as if it does"),
                )),
            }
        }
        // `ReplicationConfiguration: !If [Cond, {...}, !Ref AWS::NoValue]`: replication only
        // where the condition holds. Checked as it would be there; two different
        // configurations (no `AWS::NoValue`): the first, every finding not verified.
        let mut rc_node = &rc.value;
        if let Some((cond, a, b)) = template.undecided_if(rc_node) {
            let (pick, other) = if template.is_no_value(a) {
                (b, a)
            } else {
                (a, b)
            };
            if template.is_no_value(pick) {
                continue;
            }
            if template.is_no_value(other) {
                t.diagnostics.push(Diagnostic::new(
                    codes::UNSUPPORTED_CONSTRUCT.code,
                    crate::diagnostic::Severity::Info,
                    rc.name_span,
                    address.clone(),
                    format!("The replication configuration exists only when condition `{cond}` holds, which this template leaves to deployment: it is checked as it would be then"),
                ));
            } else {
                t.tainted.push(rc.value.span);
                t.diagnostics.push(Diagnostic::new(
                    codes::UNSUPPORTED_CONSTRUCT.code,
                    crate::diagnostic::Severity::Info,
                    rc.name_span,
                    address.clone(),
                    format!("The replication configuration depends on condition `{cond}`, which this template leaves to deployment: the first one is checked, and its findings are only \"not verified\""),
                ));
            }
            rc_node = pick;
        }
        let value = match t.template.eval(rc_node, 0) {
            Eval::Node(n) => n,
            Eval::NoValue => continue,
            _ => {
                t.tainted.push(rc.value.span);
                rc_node
            }
        };
        let api_root = t.object(value, &schema::ROOT);
        let Some(api_root) = api_root else { continue };
        let root_member = eval::member("ReplicationConfiguration", rc.name_span, rc.span, api_root);
        let mut facts = Facts {
            context: DeploymentContext::default(),
            facts: Vec::new(),
            file: path.to_string(),
            index: &index,
            text,
        };
        facts.bucket(&template, &res.name, props, true);
        facts.destinations(&template, &root_member);
        let found = policies::find(&template, members, file, res, rc);
        out.push(Extracted {
            address,
            file,
            root: root_member,
            dialect: Dialect::CloudFormation,
            unknowns: t.unknowns,
            tainted: t.tainted,
            context: facts.context,
            facts: facts.facts,
            diagnostics: t.diagnostics,
            policies: found,
        });
    }
    out
}

/// CloudFormation's `ReplicationConfiguration` -> the API's tree (JSON member names).
struct Translator<'t, 'x> {
    template: &'x Template<'t>,
    unknowns: Vec<Unknown>,
    tainted: Vec<Span>,
    diagnostics: Vec<Diagnostic>,
    path: String,
}

impl<'t> Translator<'t, '_> {
    fn object(&mut self, node: &'t Node<'static>, shape: &'static Shape) -> Option<Node<'static>> {
        let Content::Object(members) = &node.content else {
            self.diagnostics.push(Diagnostic::new(
                codes::WRONG_TYPE.code,
                codes::WRONG_TYPE.severity,
                node.span,
                self.path.clone(),
                format!(
                    "`{}` must be an object, found {}",
                    shape.name,
                    node.content.kind()
                ),
            ));
            return None;
        };
        let mut out = Vec::new();
        for m in members {
            let Some(f) = eval::field(shape, &m.name, Names::CloudFormation) else {
                self.unknown_property(m, shape);
                continue;
            };
            let len = self.path.len();
            self.path.push('.');
            self.path.push_str(&m.name);
            if let Some(value) = self.value(&m.value, &f.kind, f.list, node.span) {
                out.push(eval::member(f.json, m.name_span, m.span, value));
            }
            self.path.truncate(len);
        }
        // A rule with neither `Prefix` nor `Filter` deploys as a V1 rule for the whole
        // bucket (CloudFormation sends `Prefix ""`, as the AWS provider does): AWS's own
        // templates write it so (aws-cloudformation-templates RainModules/bucket.yml), and
        // without `Filter` CDK's rules deploy as V1 (aws/aws-cdk#30966).
        let [prefix, filter] = [schema::rule::PREFIX, schema::rule::FILTER]
            .map(|at| schema::RULE.fields.get(at).map_or("", |f| f.json));
        if std::ptr::eq(shape, &schema::RULE)
            && !out.iter().any(|m| m.name == prefix || m.name == filter)
            && !self.tainted.contains(&node.span)
        {
            out.push(eval::member(
                prefix,
                node.span,
                node.span,
                eval::scalar(&Value::Str(String::new()), &Kind::String, node.span),
            ));
        }
        Some(eval::object(out, node.span))
    }

    fn unknown_property(&mut self, m: &Member<'static>, shape: &'static Shape) {
        let allowed = eval::names_in(shape, Names::CloudFormation);
        let mut msg = format!(
            "Unknown property `{}` in `{}` (CloudFormation)",
            m.name, self.path
        );
        let api_only = shape
            .fields
            .iter()
            .any(|f| f.cfn.is_empty() && (f.json == m.name || f.xml == m.name));
        if api_only {
            msg.push_str(
                "; CloudFormation's AWS::S3::Bucket does not support it (the S3 API does)",
            );
        }
        let mut d = Diagnostic::new(
            codes::UNKNOWN_MEMBER.code,
            codes::UNKNOWN_MEMBER.severity,
            m.name_span,
            self.path.clone(),
            msg,
        );
        if let Some(s) = crate::lower::did_you_mean(&m.name, &allowed) {
            d = d.with_help(format!(
                "Did you mean `{s}`? Allowed here: {}.",
                allowed.join(", ")
            ));
        } else {
            d = d.with_help(format!("Allowed here: {}.", allowed.join(", ")));
        }
        self.diagnostics.push(d);
    }

    fn value(
        &mut self,
        node: &'t Node<'static>,
        kind: &'static Kind,
        list: bool,
        // The object or list holding the value: when the value is an unknown structure, the
        // shape of that parent is unknown too.
        parent_span: Span,
    ) -> Option<Node<'static>> {
        if matches!(kind, Kind::Struct(_)) || list {
            if let Some((_, a, b)) = self.template.undecided_if(node) {
                // A structure chosen at deployment: read the branch that makes one (the
                // first when both do), the object holding it not verified (its shape, and
                // what other members it makes wrong or right, depend on the condition).
                self.tainted.push(parent_span);
                let pick = if self.template.is_no_value(a) { b } else { a };
                if self.template.is_no_value(pick) {
                    return None;
                }
                return self.value(pick, kind, list, parent_span);
            }
        }
        match self.template.eval(node, 0) {
            Eval::NoValue => None,
            Eval::Node(n) => {
                if list {
                    let Content::Array(items) = &n.content else {
                        return Some(self.shaped(n, kind));
                    };
                    let mut out = Vec::new();
                    for (i, item) in items.iter().enumerate() {
                        let len = self.path.len();
                        self.path.push_str(&format!("[{i}]"));
                        if let Some(v) = self.value(item, kind, false, n.span) {
                            out.push(v);
                        }
                        self.path.truncate(len);
                    }
                    Some(eval::array(out, n.span))
                } else {
                    Some(self.shaped(n, kind))
                }
            }
            Eval::Scalar(v) => {
                if matches!(v, Value::Unknown(_)) && (matches!(kind, Kind::Struct(_)) || list) {
                    // A whole block the template does not fix: the rule's shape is unknown.
                    self.tainted.push(parent_span);
                    return None;
                }
                self.unknowns.extend(v.unknown_at(node.span));
                if matches!(kind, Kind::Struct(_)) || list {
                    // A scalar where a structure belongs: let the lowering say so.
                    return Some(Node {
                        content: Content::Text(std::borrow::Cow::Owned(
                            v.as_text().unwrap_or_default(),
                        )),
                        span: node.span,
                    });
                }
                Some(eval::scalar(&v, kind, node.span))
            }
            Eval::List(_) => {
                self.tainted.push(parent_span);
                None
            }
        }
    }

    fn shaped(&mut self, n: &'t Node<'static>, kind: &'static Kind) -> Node<'static> {
        match kind {
            Kind::Struct(shape) => self.object(n, shape).unwrap_or(Node {
                content: Content::Null,
                span: n.span,
            }),
            // A structure where a scalar belongs: keep it so the lowering reports its type.
            _ => n.clone(),
        }
    }
}

/// Facts the template states about the buckets of one configuration.
struct Facts<'i> {
    context: DeploymentContext,
    facts: Vec<InferredFact>,
    file: String,
    index: &'i LineIndex,
    text: &'i str,
}

impl Facts<'_> {
    fn note(&mut self, field: &str, value: &str, span: Span, from: String) {
        let line = self.index.position(self.text, span.start).line;
        self.facts.push(InferredFact {
            field: field.to_string(),
            value: value.to_string(),
            file: self.file.clone(),
            line,
            from,
        });
    }

    /// Versioning, encryption and Object Lock of a bucket resource; `source` for the bucket
    /// that carries the configuration.
    fn bucket(&mut self, t: &Template<'_>, id: &str, props: &Member<'static>, source: bool) {
        let p = &props.value;
        let string_at = |path: &[&str]| -> Option<(String, Span)> {
            let mut node = p;
            for seg in path {
                node = &get(node, seg)?.value;
            }
            Some((t.string(node, 0)?, node.span))
        };
        let name = string_at(&["BucketName"]);
        let versioning = string_at(&["VersioningConfiguration", "Status"]);
        // The first server-side encryption rule is the bucket's default.
        let sse = get(p, "BucketEncryption")
            .and_then(|m| get(&m.value, "ServerSideEncryptionConfiguration"))
            .and_then(|m| match &m.value.content {
                Content::Array(items) => items.first(),
                _ => None,
            });
        let algorithm = sse
            .and_then(|r| get(r, "ServerSideEncryptionByDefault"))
            .and_then(|d| get(&d.value, "SSEAlgorithm"))
            .and_then(|a| t.string(&a.value, 0).map(|v| (v, a.value.span)));
        let bucket_keys = sse
            .and_then(|r| get(r, "BucketKeyEnabled"))
            .and_then(|b| t.string(&b.value, 0).map(|v| (v == "true", b.value.span)));
        let object_lock = get(p, "ObjectLockEnabled")
            .and_then(|o| t.string(&o.value, 0).map(|v| (v == "true", o.value.span)));
        let from = |what: &str| format!("Resources.{id}.Properties.{what}");
        if source {
            if let Some((n, span)) = name {
                self.note("sourceBucket", &n, span, from("BucketName"));
                self.context.source_bucket = Some(n);
                self.context.inferred.push("source_bucket");
            }
            // CloudFormation's default versioning is `Suspended` only when the block exists.
            if let Some((v, span)) = versioning {
                self.note(
                    "sourceVersioning",
                    &v,
                    span,
                    from("VersioningConfiguration.Status"),
                );
                self.context.source_versioning = Some(v);
                self.context.inferred.push("source_versioning");
            } else if get(p, "VersioningConfiguration").is_none() {
                self.note(
                    "sourceVersioning",
                    "Disabled",
                    props.name_span,
                    format!("Resources.{id}: no VersioningConfiguration"),
                );
                self.context.source_versioning = Some("Disabled".into());
                self.context.inferred.push("source_versioning");
            }
            if let Some((b, span)) = bucket_keys {
                self.note(
                    "sourceBucketKeys",
                    &b.to_string(),
                    span,
                    from("BucketEncryption...BucketKeyEnabled"),
                );
                self.context.source_bucket_keys = Some(b);
                self.context.inferred.push("source_bucket_keys");
            } else if sse.is_some() {
                self.context.source_bucket_keys = Some(false);
                self.context.inferred.push("source_bucket_keys");
            }
            if let Some((l, span)) = object_lock {
                self.note(
                    "objectLock",
                    &l.to_string(),
                    span,
                    from("ObjectLockEnabled"),
                );
                self.context.object_lock = Some(l);
                self.context.inferred.push("object_lock");
            } else {
                self.context.object_lock = Some(false);
                self.context.inferred.push("object_lock");
            }
            if let Some(r) = t.pseudo.get("AWS::Region") {
                self.context.source_region = Some(r.clone());
            }
            let kms = algorithm
                .as_ref()
                .is_some_and(|(a, _)| a.starts_with("aws:kms"));
            let key = sse
                .and_then(|r| get(r, "ServerSideEncryptionByDefault"))
                .and_then(|d| get(&d.value, "KMSMasterKeyID"))
                .and_then(|k| t.string(&k.value, 0).map(|v| (v, k.value.span)));
            if let Some((k, span)) = key.filter(|(k, _)| kms && k.starts_with("arn:")) {
                self.note(
                    "sourceKmsKeys",
                    &k,
                    span,
                    from("BucketEncryption...KMSMasterKeyID"),
                );
                self.context.source_kms_keys.push(k);
            }
        }
    }

    /// Destination buckets declared in the same template: their versioning and encryption.
    fn destinations(&mut self, t: &Template<'_>, root: &Member<'static>) {
        let mut names = Vec::new();
        eval::collect_buckets(&root.value, &mut names);
        for (bucket, _) in names {
            let name = crate::arn::bucket_name(&bucket).to_string();
            let Some((id, props)) = t.resources.iter().find_map(|(id, (ty, props))| {
                let literal = props
                    .and_then(|p| get(p, "BucketName"))
                    .and_then(|m| t.string(&m.value, 0));
                let same = match literal {
                    Some(l) => l == name,
                    None => eval::generated_bucket_name(id) == name,
                };
                (ty == "AWS::S3::Bucket" && same).then_some((id.clone(), *props))
            }) else {
                continue;
            };
            // A bucket without properties: no versioning, no default encryption settings.
            let empty = Node {
                content: Content::Object(Vec::new()),
                span: Span::empty(0),
            };
            let p = props.unwrap_or(&empty);
            let mut d = DestinationContext::default();
            if let Some(v) = get(p, "VersioningConfiguration")
                .and_then(|m| get(&m.value, "Status"))
                .and_then(|m| t.string(&m.value, 0).map(|s| (s, m.value.span)))
            {
                self.note(
                    &format!("destinations.{name}.versioning"),
                    &v.0,
                    v.1,
                    format!("Resources.{id}.Properties.VersioningConfiguration.Status"),
                );
                d.versioning = Some(v.0);
            } else if get(p, "VersioningConfiguration").is_none() {
                d.versioning = Some("Disabled".into());
                self.note(
                    &format!("destinations.{name}.versioning"),
                    "Disabled",
                    p.span,
                    format!("Resources.{id}: no VersioningConfiguration"),
                );
            }
            let sse = get(p, "BucketEncryption")
                .and_then(|m| get(&m.value, "ServerSideEncryptionConfiguration"))
                .and_then(|m| match &m.value.content {
                    Content::Array(items) => items.first(),
                    _ => None,
                });
            if let Some(r) = sse {
                d.bucket_keys = Some(
                    get(r, "BucketKeyEnabled")
                        .and_then(|b| t.string(&b.value, 0))
                        .as_deref()
                        == Some("true"),
                );
                if let Some(a) = get(r, "ServerSideEncryptionByDefault")
                    .and_then(|x| get(&x.value, "SSEAlgorithm"))
                    .and_then(|a| t.string(&a.value, 0))
                {
                    d.default_encryption = Some(match a.as_str() {
                        "aws:kms" => "SSE-KMS".into(),
                        "aws:kms:dsse" => "DSSE-KMS".into(),
                        _ => "SSE-S3".into(),
                    });
                }
            }
            if let Some(r) = t.pseudo.get("AWS::Region") {
                d.region = Some(r.clone());
            }
            for (field, set) in [
                ("versioning", d.versioning.is_some()),
                ("bucket_keys", d.bucket_keys.is_some()),
                ("default_encryption", d.default_encryption.is_some()),
            ] {
                if set {
                    self.context
                        .inferred_destinations
                        .push((name.clone(), field));
                }
            }
            self.context.destinations.insert(name, d);
        }
    }
}
