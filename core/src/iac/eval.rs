//! Pieces both front ends use to build the API-shaped tree: owned members with spans in the
//! user's file, and the schema's per-language names.

use crate::rules;
use crate::schema::{Field, Kind, Shape};
use crate::source::Span;
use crate::syntax::{Content, Member, Node};
use std::borrow::Cow;

/// A scalar as the code states it, or not.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(String),
    Num(String),
    Bool(bool),
    /// Not fixed by the code: the expression as written.
    Unknown(String),
    /// Partly known: a resource declared in the same code whose name or ID is generated at
    /// deployment, but whose identity (and Region) is known. `text` stands in for the value
    /// (a bucket ARN or key ARN with a placeholder name); findings on it stay "not verified"
    /// except those in `keep`, which need only the known parts.
    Partial {
        text: String,
        expr: String,
        keep: Keep,
    },
}

/// Which findings on a partly known value still stand (the others are "not verified").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// Only these codes: they need only the known parts.
    Only(&'static [&'static str]),
    /// Every code but these: the unknown part matters only to them.
    AllBut(&'static [&'static str]),
}

impl Keep {
    pub const NONE: Keep = Keep::Only(&[]);

    pub fn keeps(self, code: &str) -> bool {
        match self {
            Keep::Only(codes) => codes.contains(&code),
            Keep::AllBut(codes) => !codes.contains(&code),
        }
    }

    /// What still stands on a value built from parts kept `self` and `other`: the codes both
    /// keep, where one of the two lists says exactly that (otherwise nothing).
    pub fn and(self, other: Keep) -> Keep {
        let within = |a: &[&str], b: &[&str]| a.iter().all(|c| b.contains(c));
        let apart = |a: &[&str], b: &[&str]| !a.iter().any(|c| b.contains(c));
        match (self, other) {
            _ if self == other => self,
            (Keep::Only(a), Keep::Only(b)) if within(a, b) => self,
            (Keep::Only(a), Keep::Only(b)) if within(b, a) => other,
            (Keep::Only(a), Keep::AllBut(b)) if apart(a, b) => self,
            (Keep::AllBut(b), Keep::Only(a)) if apart(a, b) => other,
            (Keep::AllBut(a), Keep::AllBut(b)) if within(a, b) => other,
            (Keep::AllBut(a), Keep::AllBut(b)) if within(b, a) => self,
            _ => Keep::NONE,
        }
    }
}

/// The checks that compare partitions: a partition the code leaves to deployment (CDK writes
/// every ARN with `Ref: AWS::Partition`) matters only to them.
pub const PARTITION_CHECKS: &[&str] = &[
    rules::root::role::ROLE_PARTITION.meta.code,
    rules::destination::bucket::PARTITION_MISMATCH.meta.code,
    rules::environment::context::OBJECT_LOCK.meta.code,
    rules::environment::context::BATCH_REPLICATION.meta.code,
    rules::environment::context::REGION_PARTITION.meta.code,
];

impl Value {
    pub fn as_text(&self) -> Option<String> {
        match self {
            Value::Str(s) | Value::Num(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Unknown(_) | Value::Partial { .. } => None,
        }
    }
}

impl Value {
    /// The unknown this value is, if any, located at `span`.
    pub fn unknown_at(&self, span: Span) -> Option<super::Unknown> {
        match self {
            Value::Unknown(expr) => Some(super::Unknown {
                span,
                expression: expr.clone(),
                keep: Keep::NONE,
            }),
            Value::Partial { expr, keep, .. } => Some(super::Unknown {
                span,
                expression: expr.clone(),
                keep: *keep,
            }),
            _ => None,
        }
    }
}

/// A key ID for the stand-in of the key the code declares as `key` (its address, e.g.
/// `module.m.aws_kms_key.replica` or a template's logical ID): the same key always gets the
/// same ID, wherever it is named, and two keys never share one, so a grant on one key is not
/// taken for a grant on another. Shaped as a key ID; its first group is zeros, which no real
/// key ID is likely to match.
pub fn stand_in_key_id(key: &str) -> String {
    // FNV-1a, 64 bits twice (two offsets): stable across builds and platforms.
    let fnv = |seed: u64| {
        key.bytes().fold(seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    let (a, b) = (fnv(0xcbf2_9ce4_8422_2325), fnv(0x6c62_272e_07bb_0142));
    format!(
        "00000000-{:04x}-{:04x}-{:04x}-{:012x}",
        (a >> 48) & 0xffff,
        (a >> 32) & 0xffff,
        (b >> 48) & 0xffff,
        b & 0xffff_ffff_ffff
    )
}

/// A KMS key declared in the same code: its ARN is generated at deployment, its Region (and
/// maybe account) known. The stand-in lets the Region check run.
pub fn key_stand_in(
    expr: String,
    key: &str,
    partition: &str,
    region: &str,
    account: Option<&str>,
) -> Value {
    let account = account.unwrap_or(crate::arn::PLACEHOLDER_ACCOUNT);
    let id = stand_in_key_id(key);
    Value::Partial {
        text: format!("arn:{partition}:kms:{region}:{account}:key/{id}"),
        expr,
        keep: Keep::Only(KEY_REGION_CHECKS),
    }
}

/// An IAM role declared in the same code whose ARN is known only at deployment: the
/// stand-in is a well-formed role ARN, so the role is not taken for a name; every finding on
/// it stays "not verified".
pub fn role_stand_in(
    expr: String,
    partition: &str,
    account: Option<&str>,
    path: &str,
    name: &str,
) -> Value {
    let account = account.unwrap_or(crate::arn::PLACEHOLDER_ACCOUNT);
    Value::Partial {
        text: format!("arn:{partition}:iam::{account}:role{path}{name}"),
        expr,
        keep: Keep::NONE,
    }
}

/// A file over the size this tool reads at all.
pub fn too_big(len: usize) -> crate::diagnostic::Diagnostic {
    crate::diagnostic::Diagnostic::new(
        crate::catalogue::parse::SIZE_LIMIT.code,
        crate::catalogue::parse::SIZE_LIMIT.severity,
        Span::empty(0),
        "",
        format!(
            "The file is {len} bytes; this tool refuses to check more than {} MB",
            crate::parse::HARD_MAX_BYTES / (1024 * 1024)
        ),
    )
}

/// A tree that owns its text, so configurations can outlive the parse.
pub fn own(node: Node<'_>) -> Node<'static> {
    let content = match node.content {
        Content::Text(t) => Content::Text(Cow::Owned(t.into_owned())),
        Content::Number(n) => Content::Number(Cow::Owned(n.into_owned())),
        Content::Bool(b) => Content::Bool(b),
        Content::Null => Content::Null,
        Content::Object(ms) => Content::Object(
            ms.into_iter()
                .map(|m| Member {
                    name: Cow::Owned(m.name.into_owned()),
                    name_span: m.name_span,
                    span: m.span,
                    value: own(m.value),
                })
                .collect(),
        ),
        Content::Array(items) => Content::Array(items.into_iter().map(own).collect()),
        Content::Subtree { .. } => Content::Null,
    };
    Node {
        content,
        span: node.span,
    }
}

/// Every `Destination.Bucket` value of a translated configuration.
pub fn collect_buckets(node: &Node<'_>, out: &mut Vec<(String, Span)>) {
    match &node.content {
        Content::Object(ms) => {
            for m in ms {
                if m.name == "Destination" {
                    let bucket = match &m.value.content {
                        Content::Object(d) => d.iter().find(|x| x.name == "Bucket"),
                        _ => None,
                    };
                    if let Some(Content::Text(t)) = bucket.map(|b| &b.value.content) {
                        out.push((t.to_string(), bucket.map_or(m.span, |b| b.value.span)));
                    }
                } else {
                    collect_buckets(&m.value, out);
                }
            }
        }
        Content::Array(items) => items.iter().for_each(|i| collect_buckets(i, out)),
        _ => {}
    }
}

/// A member with an owned name and value.
pub fn member(name: &str, name_span: Span, span: Span, value: Node<'static>) -> Member<'static> {
    Member {
        name: Cow::Owned(name.to_string()),
        name_span,
        span,
        value,
    }
}

pub fn object(members: Vec<Member<'static>>, span: Span) -> Node<'static> {
    Node {
        content: Content::Object(members),
        span,
    }
}

pub fn array(items: Vec<Node<'static>>, span: Span) -> Node<'static> {
    Node {
        content: Content::Array(items),
        span,
    }
}

/// A scalar shaped for the schema's `kind`, as the service would coerce it (CloudFormation
/// and Terraform both turn `1` into `"1"` for a string property, and `"1"` into 1 for an
/// integer one). Unknown values get a placeholder of the right type.
pub fn scalar(value: &Value, kind: &Kind, span: Span) -> Node<'static> {
    let content = match (kind, value) {
        (Kind::Integer, Value::Num(n)) | (Kind::Integer, Value::Str(n))
            if n.trim().parse::<i64>().is_ok() =>
        {
            Content::Number(Cow::Owned(n.trim().to_string()))
        }
        (Kind::Integer, Value::Unknown(_)) => Content::Number(Cow::Borrowed("0")),
        (_, Value::Unknown(expr)) => Content::Text(Cow::Owned(format!("${{{expr}}}"))),
        (_, Value::Partial { text, .. }) => Content::Text(Cow::Owned(text.clone())),
        (_, v) => Content::Text(Cow::Owned(v.as_text().unwrap_or_default())),
    };
    Node { content, span }
}

/// Which spelling of the schema's names a front end reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Names {
    CloudFormation,
    Terraform,
}

pub fn name_of(f: &Field, names: Names) -> &'static str {
    match names {
        Names::CloudFormation => f.cfn,
        Names::Terraform => f.tf,
    }
}

/// The field of `shape` spelled `name` in this language.
pub fn field<'s>(shape: &'s Shape, name: &str, names: Names) -> Option<&'s Field> {
    shape
        .fields
        .iter()
        .find(|f| !name_of(f, names).is_empty() && name_of(f, names) == name)
}

/// The names this language has for `shape`'s members (for "did you mean").
pub fn names_in(shape: &Shape, names: Names) -> Vec<&'static str> {
    shape
        .fields
        .iter()
        .map(|f| name_of(f, names))
        .filter(|n| !n.is_empty())
        .collect()
}

/// Checks that need only which bucket a destination is (its versioning, Region, encryption),
/// not its name: they still run on a bucket declared in the same code with a generated name.
pub const BUCKET_IDENTITY_CHECKS: &[&str] = &[
    rules::versioning::DESTINATION_VERSIONING.meta.code,
    rules::kms::replica_key_region::REGION.meta.code,
    rules::kms::environment::BUCKET_KEYS.meta.code,
    rules::kms::environment::DESTINATION_DEFAULT_KMS.meta.code,
];

/// Checks that need only the Region of a KMS key declared in the same code.
pub const KEY_REGION_CHECKS: &[&str] = &[rules::kms::replica_key_region::REGION.meta.code];

/// Checks that need only to know that a replica key is the AWS managed `aws/s3` of the
/// stack's own account (`arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/aws/s3`).
pub const AWS_MANAGED_KEY_CHECKS: &[&str] = &[rules::kms::replica_key::AWS_MANAGED.meta.code];

/// The stand-in of a template parameter without a default (`!Ref DestBucket`,
/// `${DestBucket}` in `Fn::Sub`): the same parameter always reads the same, so a policy and
/// a configuration naming a bucket through it name the same bucket. Every finding on it stays
/// "not verified"; a policy reading it is audited as if it could be anything too.
pub const PARAMETER_STAND_IN: &str = "param-value-of-";

/// `arn`: the parameter holds a bucket ARN (a configuration's `Destination.Bucket` is
/// `!Ref` of it), so its stand-in is one.
pub fn parameter_stand_in(name: &str, expr: String, arn: bool) -> Value {
    let name = bucket_slug(name);
    let arn = if arn { "arn:aws:s3:::" } else { "" };
    Value::Partial {
        text: format!("{arn}{PARAMETER_STAND_IN}{name}"),
        expr,
        keep: Keep::NONE,
    }
}

/// A name as bucket-name characters: ASCII letters and digits lower-cased, anything else `-`.
fn bucket_slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// How the stand-in name of a bucket named at deployment begins.
pub const GENERATED_BUCKET: &str = "generated-";

/// The stand-in name of a bucket whose name is generated at deployment.
pub fn generated_bucket_name(logical_id: &str) -> String {
    let mut name = bucket_slug(logical_id);
    name.insert_str(0, GENERATED_BUCKET);
    name.truncate(63);
    name
}
