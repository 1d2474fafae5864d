//! Generated policies as infrastructure code: Terraform (HCL) and CloudFormation (YAML).
//!
//! A [`PolicySet`] is JSON meant for a console; users deploy with code. The emitters write the
//! same statements, in the same order, with the same actions and conditions, plus the few
//! resources that attach them, so nothing is retyped by hand and nothing is granted beyond
//! the JSON. Two things change in strings: a placeholder (`${SOURCE_BUCKET}`) becomes an
//! input (Terraform variable, CloudFormation parameter), and a value the user's code names
//! (a [`Binding`]) becomes a reference to that resource.

mod cloudformation;
mod terraform;

use super::json::Json;
use super::{DocumentKind, PolicyDocument, PolicySet};
use serde::{Deserialize, Serialize};

/// A value in the generated policies that the user's code names (a bucket, role or key ARN):
/// emitted as a reference to the user's resource instead of a literal.
///
/// `value` is matched as a whole token (not inside a longer bucket name or ARN), so
/// `arn:aws:s3:::src` binds `arn:aws:s3:::src/*` but not `arn:aws:s3:::src2/*`. A binding
/// without a reference for the language being emitted is ignored there.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "PolicyBinding"))]
pub struct Binding {
    /// The literal as it appears in policy strings, e.g. `arn:aws:s3:::src` (may be a
    /// stand-in such as `${ROLE_ARN}`).
    pub value: String,
    /// A Terraform expression, e.g. `aws_s3_bucket.source.arn`.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub terraform: Option<String>,
    /// A CloudFormation logical ID and attribute: `("Source", Some("Arn"))` is
    /// `!GetAtt Source.Arn` (`${Source.Arn}` inside `!Sub`); no attribute is `!Ref Source`.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub cloudformation: Option<(String, Option<String>)>,
}

/// Terraform: `aws_iam_policy_document` data sources, the role and its policies, the
/// destination bucket policy, variables for placeholders. Formatted as `terraform fmt` does.
pub fn terraform(set: &PolicySet, bindings: &[Binding]) -> String {
    terraform::emit(set, bindings)
}

/// CloudFormation: a YAML template with parameters for placeholders, the role, its policies,
/// the destination bucket policy and the deployer's managed policy.
pub fn cloudformation(set: &PolicySet, bindings: &[Binding]) -> String {
    cloudformation::emit(set, bindings)
}

/// One policy string as a Terraform expression: a bound value alone is its reference, else a
/// quoted template with the references interpolated (what a quick fix writes into a module).
pub(crate) fn terraform_value(s: &str, bindings: &[Binding]) -> String {
    terraform::value(s, bindings)
}

/// One policy string as a CloudFormation YAML value: `!GetAtt`/`!Ref`, `!Sub`, or a scalar.
pub(crate) fn cloudformation_value(s: &str, bindings: &[Binding]) -> String {
    cloudformation::value(s, bindings)
}

/// The bindings an emitter applies: the user's, plus the replication role the emitted code
/// creates when the user's code does not name it (its ARN then refers to that resource, so
/// key and bucket policies wait for the role to exist: IAM rejects a principal that does
/// not). The Terraform and CloudFormation references of the created role are both set.
pub fn effective_bindings(set: &PolicySet, bindings: &[Binding]) -> Vec<Binding> {
    let mut out = bindings.to_vec();
    if let Some(role) = role_arn(set) {
        let tf = !bound(bindings, role, Lang::Terraform) && creates_role(set);
        let cfn = !bound(bindings, role, Lang::CloudFormation) && creates_role(set);
        if tf || cfn {
            out.push(Binding {
                value: role.to_string(),
                terraform: tf.then(|| format!("aws_iam_role.{ROLE}.arn")),
                cloudformation: cfn.then(|| (ROLE_ID.to_string(), Some("Arn".to_string()))),
            });
        }
    }
    out
}

/// The Terraform name and CloudFormation logical ID of the role the code creates.
const ROLE: &str = "replication";
const ROLE_ID: &str = "ReplicationRole";

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    Terraform,
    CloudFormation,
}

impl Binding {
    fn applies(&self, lang: Lang) -> bool {
        !self.value.is_empty()
            && match lang {
                Lang::Terraform => self.terraform.is_some(),
                Lang::CloudFormation => self.cloudformation.is_some(),
            }
    }
}

fn bound(bindings: &[Binding], value: &str, lang: Lang) -> bool {
    bindings.iter().any(|b| b.value == value && b.applies(lang))
}

/// The role ARN (or its placeholder): what the role's documents attach to.
pub(crate) fn role_arn(set: &PolicySet) -> Option<&str> {
    set.documents
        .iter()
        .find(|d| matches!(d.kind, DocumentKind::Trust | DocumentKind::RolePermissions))
        .map(|d| d.attach_to.as_str())
        .filter(|r| !r.is_empty())
}

/// The code creates the role only with a trust policy (both languages require one).
fn creates_role(set: &PolicySet) -> bool {
    set.documents.iter().any(|d| d.kind == DocumentKind::Trust)
}

/// Whether the role is created here (not named by the user's code) for `lang`.
pub(crate) fn role_created(set: &PolicySet, bindings: &[Binding], lang: Lang) -> bool {
    creates_role(set) && role_arn(set).is_some_and(|r| !bound(bindings, r, lang))
}

/// Name and path of a role from a literal ARN (`arn:aws:iam::1:role/service-role/x` ->
/// `x`, `/service-role/`); none for a stand-in or anything else.
pub(crate) fn role_name_path(arn: &str) -> Option<(&str, String)> {
    if arn.contains("${") {
        return None;
    }
    let (_, rest) = arn.split_once(":role/")?;
    let (path, name) = match rest.rsplit_once('/') {
        Some((p, n)) => (format!("/{p}/"), n),
        None => ("/".to_string(), rest),
    };
    (!name.is_empty()).then_some((name, path))
}

/// The bucket name in an S3 bucket ARN (`arn:aws:s3:::b` -> `b`).
pub(crate) fn bucket_name(arn: &str) -> Option<&str> {
    let (head, name) = arn.split_once(":::")?;
    (head.starts_with("arn:") && head.ends_with(":s3") && !name.is_empty() && !name.contains('/'))
        .then_some(name)
}

/// A piece of a policy string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    Text(&'a str),
    /// Index into the bindings.
    Bound(usize),
    /// Index into the set's placeholders.
    Var(usize),
}

/// Splits policy strings into literal text, bound values and placeholders.
pub(crate) struct Splitter<'a> {
    bindings: &'a [Binding],
    /// Indices of the bindings that apply, longest value first (the longest match wins).
    order: Vec<usize>,
    tokens: Vec<&'a str>,
}

impl<'a> Splitter<'a> {
    pub(crate) fn new(set: &'a PolicySet, bindings: &'a [Binding], lang: Lang) -> Splitter<'a> {
        let mut s = Splitter::bound(bindings, lang);
        s.tokens = set.placeholders.iter().map(|p| p.token.as_str()).collect();
        s
    }

    /// Bound values only (no placeholders).
    pub(crate) fn bound(bindings: &'a [Binding], lang: Lang) -> Splitter<'a> {
        let mut order: Vec<usize> = (0..bindings.len())
            .filter(|&i| bindings[i].applies(lang))
            .collect();
        // Stable: equal lengths keep the user's order (the first binding of a value wins).
        order.sort_by_key(|&i| std::cmp::Reverse(bindings[i].value.len()));
        Splitter {
            bindings,
            order,
            tokens: Vec::new(),
        }
    }

    pub(crate) fn split<'s>(&self, s: &'s str) -> Vec<Piece<'s>> {
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || "._-".contains(c));
        let mut out = Vec::new();
        let mut text = 0;
        let mut i = 0;
        while let Some(c) = s[i..].chars().next() {
            let rest = &s[i..];
            let hit = self
                .order
                .iter()
                .find(|&&b| {
                    let v = self.bindings[b].value.as_str();
                    rest.starts_with(v)
                        && !(word(v.chars().next()) && word(s[..i].chars().next_back()))
                        && !(word(v.chars().next_back()) && word(rest[v.len()..].chars().next()))
                })
                .map(|&b| (Piece::Bound(b), self.bindings[b].value.len()))
                .or_else(|| {
                    self.tokens
                        .iter()
                        .position(|t| !t.is_empty() && rest.starts_with(t))
                        .map(|t| (Piece::Var(t), self.tokens[t].len()))
                });
            match hit {
                Some((piece, len)) => {
                    if text < i {
                        out.push(Piece::Text(&s[text..i]));
                    }
                    out.push(piece);
                    i += len;
                    text = i;
                }
                None => i += c.len_utf8(),
            }
        }
        if text < s.len() || out.is_empty() {
            out.push(Piece::Text(&s[text..]));
        }
        out
    }
}

/// One statement, in the shape both IAM and `aws_iam_policy_document` have. `None` from
/// [`Statement::parse`] means the statement has something else (the emitter then keeps the
/// document's JSON as it is rather than drop a part of it: dropping a condition would
/// grant more).
#[derive(Debug, Default)]
pub(crate) struct Statement<'a> {
    pub sid: Option<&'a str>,
    pub effect: Option<&'a str>,
    /// `(not, [(type, identifiers)])`; `"*"` is type `*` with identifier `*`.
    pub principals: Option<(bool, Principals<'a>)>,
    pub actions: Option<(bool, Vec<&'a str>)>,
    pub resources: Option<(bool, Vec<&'a str>)>,
    /// `(operator, key, values)` in the JSON's order.
    pub conditions: Vec<(&'a str, &'a str, Vec<&'a str>)>,
}

/// `(type, identifiers)` pairs.
pub(crate) type Principals<'a> = Vec<(&'a str, Vec<&'a str>)>;

/// A policy's `Version`, `Id` and statements, or `None` when it does not fit the shape.
pub(crate) struct Policy<'a> {
    pub version: Option<&'a str>,
    pub id: Option<&'a str>,
    pub statements: Vec<Statement<'a>>,
}

impl<'a> Policy<'a> {
    pub(crate) fn parse(policy: &'a Json) -> Option<Policy<'a>> {
        let Json::Obj(members) = policy else {
            return None;
        };
        let mut out = Policy {
            version: None,
            id: None,
            statements: Vec::new(),
        };
        for (k, v) in members {
            match (*k, v) {
                ("Version", Json::Str(s)) => out.version = Some(s),
                ("Id", Json::Str(s)) => out.id = Some(s),
                ("Statement", Json::Arr(items)) => {
                    for s in items {
                        out.statements.push(Statement::parse(s)?);
                    }
                }
                ("Statement", s @ Json::Obj(_)) => out.statements.push(Statement::parse(s)?),
                _ => return None,
            }
        }
        Some(out)
    }
}

fn strs(v: &Json) -> Option<Vec<&str>> {
    match v {
        Json::Str(s) => Some(vec![s]),
        Json::Arr(items) => items.iter().map(Json::as_str).collect(),
        Json::Obj(_) => None,
    }
}

impl<'a> Statement<'a> {
    fn parse(stmt: &'a Json) -> Option<Statement<'a>> {
        let Json::Obj(members) = stmt else {
            return None;
        };
        let mut out = Statement::default();
        for (k, v) in members {
            match *k {
                "Sid" => out.sid = Some(v.as_str()?),
                "Effect" => out.effect = Some(v.as_str()?),
                "Principal" | "NotPrincipal" => {
                    let list = match v {
                        Json::Str(s) if s == "*" => vec![("*", vec!["*"])],
                        Json::Obj(types) => types
                            .iter()
                            .map(|(t, ids)| Some((*t, strs(ids)?)))
                            .collect::<Option<_>>()?,
                        _ => return None,
                    };
                    out.principals = Some((*k == "NotPrincipal", list));
                }
                "Action" | "NotAction" => out.actions = Some((*k == "NotAction", strs(v)?)),
                "Resource" | "NotResource" => {
                    out.resources = Some((*k == "NotResource", strs(v)?));
                }
                "Condition" => {
                    let Json::Obj(ops) = v else { return None };
                    for (op, keys) in ops {
                        let Json::Obj(keys) = keys else { return None };
                        for (key, values) in keys {
                            out.conditions.push((op, key, strs(values)?));
                        }
                    }
                }
                _ => return None,
            }
        }
        Some(out)
    }
}

/// Names unique within one output: `base`, then `base_2`, `base_3`, ... (`sep` between).
pub(crate) struct Names {
    taken: Vec<String>,
}

impl Names {
    pub(crate) fn new() -> Names {
        Names { taken: Vec::new() }
    }

    pub(crate) fn take(&mut self, base: &str, sep: &str) -> String {
        let mut name = base.to_string();
        let mut n = 2;
        while self.taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
            name = format!("{base}{sep}{n}");
            n += 1;
        }
        self.taken.push(name.clone());
        name
    }
}

/// The words of a placeholder token (`${SOURCE_BUCKET}` -> `SOURCE`, `BUCKET`), ASCII
/// alphanumerics only.
pub(crate) fn token_words(token: &str) -> Vec<String> {
    token
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// A short name per document kind (Terraform style; CloudFormation capitalizes it).
pub(crate) fn kind_name(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::RolePermissions => "replication_permissions",
        DocumentKind::Trust => "replication_trust",
        DocumentKind::KmsKeyPolicy => "kms_key_policy",
        DocumentKind::DestinationBucketPolicy => "destination_bucket_policy",
        DocumentKind::BatchReplication => "batch_replication",
        DocumentKind::Deployer => "deployer",
    }
}

/// The name of a document's data source or resource: its kind's, or for a destination
/// bucket policy `destination_<bucket>` (several destinations read apart).
pub(crate) fn doc_name(d: &PolicyDocument) -> String {
    match bucket_name(&d.attach_to) {
        Some(b) if d.kind == DocumentKind::DestinationBucketPolicy && !b.contains("${") => {
            let slug: String = b
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '_'
                    }
                })
                .collect();
            let words: Vec<&str> = slug.split('_').filter(|w| !w.is_empty()).collect();
            format!("destination_{}", words.join("_"))
        }
        _ => kind_name(d.kind).to_string(),
    }
}

/// `snake_case` -> `CamelCase`.
pub(crate) fn camel(snake: &str) -> String {
    snake
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + &c.as_str().to_ascii_lowercase())
                .unwrap_or_default()
        })
        .collect()
}

/// The documents of a kind that attach to the role as inline policies.
pub(crate) fn is_role_policy(d: &PolicyDocument) -> bool {
    matches!(
        d.kind,
        DocumentKind::RolePermissions | DocumentKind::BatchReplication
    )
}

/// Comment lines: control characters become spaces, no trailing blanks.
pub(crate) fn comment_lines(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines().map(|l| {
        l.chars()
            // YAML also breaks lines at U+2028 and U+2029, and refuses a BOM inside.
            .map(|c| {
                if c.is_control()
                    || matches!(
                        c,
                        '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                    )
                {
                    ' '
                } else {
                    c
                }
            })
            .collect::<String>()
            .trim_end()
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(value: &str) -> Binding {
        Binding {
            value: value.into(),
            terraform: Some("r".into()),
            cloudformation: None,
        }
    }

    fn set(tokens: &[&str]) -> PolicySet {
        PolicySet {
            documents: vec![],
            complete: false,
            placeholders: tokens
                .iter()
                .map(|t| super::super::Placeholder {
                    token: t.to_string(),
                    what: String::new(),
                    how_to_fill: String::new(),
                })
                .collect(),
            notes: vec![],
        }
    }

    #[test]
    fn splits_on_whole_tokens_longest_first() {
        let s = set(&["${X}"]);
        let bs = [b("arn:aws:s3:::src"), b("arn:aws:s3:::src-long")];
        let sp = Splitter::new(&s, &bs, Lang::Terraform);
        assert_eq!(
            sp.split("arn:aws:s3:::src/*"),
            [Piece::Bound(0), Piece::Text("/*")]
        );
        assert_eq!(sp.split("arn:aws:s3:::src-long"), [Piece::Bound(1)]);
        assert_eq!(
            sp.split("arn:aws:s3:::src2/*"),
            [Piece::Text("arn:aws:s3:::src2/*")]
        );
        assert_eq!(
            sp.split("é${X}${Y}"),
            [Piece::Text("é"), Piece::Var(0), Piece::Text("${Y}")]
        );
        assert_eq!(sp.split(""), [Piece::Text("")]);
        // Not applied in a language it has no reference for.
        let cf = Splitter::new(&s, &bs, Lang::CloudFormation);
        assert_eq!(
            cf.split("arn:aws:s3:::src"),
            [Piece::Text("arn:aws:s3:::src")]
        );
    }

    #[test]
    fn names_and_arns() {
        assert_eq!(
            role_name_path("arn:aws:iam::1:role/service-role/x"),
            Some(("x", "/service-role/".to_string()))
        );
        assert_eq!(
            role_name_path("arn:aws:iam::1:role/x"),
            Some(("x", "/".to_string()))
        );
        assert_eq!(role_name_path("${ROLE_ARN}"), None);
        assert_eq!(bucket_name("arn:aws:s3:::b"), Some("b"));
        assert_eq!(bucket_name("arn:aws:s3:::b/*"), None);
        assert_eq!(camel("source_bucket"), "SourceBucket");
        let mut n = Names::new();
        assert_eq!(n.take("a", "_"), "a");
        assert_eq!(n.take("a", "_"), "a_2");
        assert_eq!(token_words("${SOURCE_BUCKET}"), ["SOURCE", "BUCKET"]);
    }
}
