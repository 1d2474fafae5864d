//! The optional deployment context: facts the document does not carry (Regions, owners,
//! keys, Bucket Keys, ...), plus what can be inferred from the document itself.

use crate::source::{LineIndex, Span};
use crate::syntax::{Content, Member, Node};
use serde::Serialize;
use std::collections::BTreeMap;

mod resolved;
pub use resolved::{Conflict, Fact, Resolved, Source};

/// What the user tells us about the deployment. Every field is optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct DeploymentContext {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_bucket: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_account: Option<String>,
    /// KMS key ARNs that encrypt source objects.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub source_kms_keys: Vec<String>,
    /// The source bucket's default encryption: `SSE-S3`, `SSE-KMS` or `DSSE-KMS`. With
    /// `SSE-KMS` or `DSSE-KMS` new objects are KMS-encrypted even when the key's ARN is not
    /// known (a key the same template or module creates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "ts",
        ts(optional, type = r#""SSE-S3" | "SSE-KMS" | "DSSE-KMS""#)
    )]
    pub source_default_encryption: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_bucket_keys: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_replication: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_lock: Option<bool>,
    /// The source bucket's versioning status: `Enabled`, `Suspended` or `Disabled` (never
    /// enabled), as `get-bucket-versioning` reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "ts",
        ts(optional, type = r#""Enabled" | "Suspended" | "Disabled""#)
    )]
    pub source_versioning: Option<String>,
    /// Keyed by bucket name or bucket ARN.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub destinations: BTreeMap<String, DestinationContext>,
    /// Fields (Rust names) whose value was read from a template or module rather than
    /// given: messages then say so.
    #[serde(skip)]
    pub inferred: Vec<&'static str>,
    /// (bucket name, field) of destination facts read from the code.
    #[serde(skip)]
    pub inferred_destinations: Vec<(String, &'static str)>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct DestinationContext {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket_keys: Option<bool>,
    /// `SSE-S3`, `SSE-KMS` or `DSSE-KMS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "ts",
        ts(optional, type = r#""SSE-S3" | "SSE-KMS" | "DSSE-KMS""#)
    )]
    pub default_encryption: Option<String>,
    /// The bucket's versioning status: `Enabled`, `Suspended` or `Disabled` (never enabled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "ts",
        ts(optional, type = r#""Enabled" | "Suspended" | "Disabled""#)
    )]
    pub versioning: Option<String>,
}

impl DeploymentContext {
    /// Read the context JSON (camelCase; unknown members are refused with "did you mean").
    /// Errors name the line and column. Read with the crate's own JSON parser, which keeps
    /// serde's deserializer out of the WebAssembly build.
    pub fn from_json(text: &str) -> Result<DeploymentContext, String> {
        let (node, diagnostics) = crate::parse::json::parse_tree(text);
        let at = |span: Span| {
            let p = LineIndex::new(text).position(text, span.start);
            format!("line {} column {}", p.line, p.column)
        };
        if let Some(d) = diagnostics
            .iter()
            .find(|d| d.severity == crate::Severity::Error)
        {
            return Err(format!(
                "invalid deployment context: {} at {}",
                d.message,
                at(d.span)
            ));
        }
        let node = node.ok_or_else(|| "invalid deployment context: empty".to_string())?;
        read_context(&node)
            .map_err(|(span, msg)| format!("invalid deployment context: {msg} at {}", at(span)))
    }
}

type ReadError = (Span, String);

/// The deployment context's JSON field names.
pub const CONTEXT_FIELDS: &[&str] = &[
    "partition",
    "sourceBucket",
    "sourceRegion",
    "sourceAccount",
    "sourceKmsKeys",
    "sourceDefaultEncryption",
    "sourceBucketKeys",
    "batchReplication",
    "objectLock",
    "sourceVersioning",
    "destinations",
];
/// The JSON field names of one destination's context (`destinations.NAME.FIELD`).
pub const DESTINATION_FIELDS: &[&str] = &[
    "region",
    "account",
    "bucketKeys",
    "defaultEncryption",
    "versioning",
];

/// The values `sourceDefaultEncryption` accepts (and `destinations.NAME.defaultEncryption`
/// documents).
pub const ENCRYPTION_VALUES: &[&str] = &["SSE-S3", "SSE-KMS", "DSSE-KMS"];

/// A bucket's default encryption as the context names it, from S3's `SSEAlgorithm`
/// (`aws:kms`, `aws:kms:dsse`, `AES256`).
pub fn encryption_of_algorithm(algorithm: &str) -> &'static str {
    match algorithm {
        "aws:kms" => "SSE-KMS",
        "aws:kms:dsse" => "DSSE-KMS",
        _ => "SSE-S3",
    }
}

/// The values a versioning field accepts: S3's two statuses, and `Disabled` for a bucket whose
/// versioning was never enabled (`get-bucket-versioning` then reports no status).
pub const VERSIONING_VALUES: &[&str] = &["Enabled", "Suspended", "Disabled"];

fn members<'n, 'a>(node: &'n Node<'a>, what: &str) -> Result<&'n [Member<'a>], ReadError> {
    match &node.content {
        Content::Object(ms) => Ok(ms),
        other => Err((
            node.span,
            format!("{what} must be an object, found {}", other.kind()),
        )),
    }
}

fn unknown(m: &Member<'_>, allowed: &[&str]) -> ReadError {
    let hint = crate::suggest::did_you_mean(&m.name, allowed)
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    (
        m.name_span,
        format!(
            "unknown field `{}`{hint}; expected one of {}",
            m.name,
            allowed.join(", ")
        ),
    )
}

/// `null` reads as absent, as it did with serde's `Option`.
fn string(m: &Member<'_>) -> Result<Option<String>, ReadError> {
    match &m.value.content {
        Content::Text(t) => Ok(Some(t.to_string())),
        Content::Null => Ok(None),
        other => Err((
            m.value.span,
            format!("`{}` must be a string, found {}", m.name, other.kind()),
        )),
    }
}

fn boolean(m: &Member<'_>) -> Result<Option<bool>, ReadError> {
    match &m.value.content {
        Content::Bool(b) => Ok(Some(*b)),
        Content::Null => Ok(None),
        other => Err((
            m.value.span,
            format!("`{}` must be true or false, found {}", m.name, other.kind()),
        )),
    }
}

/// A string that must be one of `allowed` (exact spelling).
fn one_of(m: &Member<'_>, allowed: &[&str]) -> Result<Option<String>, ReadError> {
    let value = string(m)?;
    match value.as_deref() {
        None => Ok(None),
        Some(v) if allowed.contains(&v) => Ok(value),
        Some(v) => {
            let hint = crate::suggest::did_you_mean(v, allowed)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            Err((
                m.value.span,
                format!(
                    "`{}` must be one of {}, found `{v}`{hint}",
                    m.name,
                    allowed.join(", ")
                ),
            ))
        }
    }
}

/// A versioning status, one of [`VERSIONING_VALUES`] (exact spelling, as S3 reports it).
fn versioning(m: &Member<'_>) -> Result<Option<String>, ReadError> {
    one_of(m, VERSIONING_VALUES)
}

fn read_context(node: &Node<'_>) -> Result<DeploymentContext, ReadError> {
    let mut ctx = DeploymentContext::default();
    for m in members(node, "the deployment context")? {
        match &*m.name {
            "partition" => ctx.partition = string(m)?,
            "sourceBucket" => ctx.source_bucket = string(m)?,
            "sourceRegion" => ctx.source_region = string(m)?,
            "sourceAccount" => ctx.source_account = string(m)?,
            "sourceDefaultEncryption" => {
                ctx.source_default_encryption = one_of(m, ENCRYPTION_VALUES)?
            }
            "sourceBucketKeys" => ctx.source_bucket_keys = boolean(m)?,
            "batchReplication" => ctx.batch_replication = boolean(m)?,
            "objectLock" => ctx.object_lock = boolean(m)?,
            "sourceVersioning" => ctx.source_versioning = versioning(m)?,
            "sourceKmsKeys" => {
                ctx.source_kms_keys = match &m.value.content {
                    Content::Array(items) => items
                        .iter()
                        .map(|item| match &item.content {
                            Content::Text(t) => Ok(t.to_string()),
                            other => Err((
                                item.span,
                                format!(
                                    "`sourceKmsKeys` holds key ARNs (strings), found {}",
                                    other.kind()
                                ),
                            )),
                        })
                        .collect::<Result<_, _>>()?,
                    Content::Null => Vec::new(),
                    other => {
                        return Err((
                            m.value.span,
                            format!(
                                "`sourceKmsKeys` must be a list of key ARNs, found {}",
                                other.kind()
                            ),
                        ))
                    }
                }
            }
            "destinations" => {
                if matches!(m.value.content, Content::Null) {
                    continue;
                }
                for d in members(&m.value, "`destinations`")? {
                    let mut dest = DestinationContext::default();
                    for f in members(&d.value, &format!("`destinations.{}`", d.name))? {
                        match &*f.name {
                            "region" => dest.region = string(f)?,
                            "account" => dest.account = string(f)?,
                            "bucketKeys" => dest.bucket_keys = boolean(f)?,
                            "defaultEncryption" => dest.default_encryption = string(f)?,
                            "versioning" => dest.versioning = versioning(f)?,
                            _ => return Err(unknown(f, DESTINATION_FIELDS)),
                        }
                    }
                    ctx.destinations.insert(d.name.to_string(), dest);
                }
            }
            _ => return Err(unknown(m, CONTEXT_FIELDS)),
        }
    }
    Ok(ctx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Document;

    /// The Role's account is the source account unless it is the all-zero placeholder (a
    /// template's role whose ARN is known only at deployment).
    #[test]
    fn source_account_from_the_role_but_not_a_placeholder() {
        let account = |role: &str| {
            let doc = crate::parse(
                &format!(r#"{{"Role": "{role}", "Rules": []}}"#),
                Some(crate::Format::Json),
            )
            .document
            .expect("document");
            Resolved::new(&DeploymentContext::default(), &doc)
                .source_account
                .map(|f| f.value)
        };
        assert_eq!(
            account("arn:aws:iam::111122223333:role/r").as_deref(),
            Some("111122223333")
        );
        assert_eq!(account("arn:aws:iam::000000000000:role/r"), None);
    }

    #[test]
    fn reads_every_field() {
        let ctx = DeploymentContext::from_json(
            r#"{"partition": "aws", "sourceBucket": "src", "sourceRegion": "us-east-1",
                "sourceAccount": "111122223333", "sourceKmsKeys": ["k1", "k2"],
                "sourceBucketKeys": false, "batchReplication": true, "objectLock": null,
                "sourceVersioning": "Enabled",
                "destinations": {"dst": {"region": "us-west-2", "account": "444455556666",
                                         "bucketKeys": true, "defaultEncryption": "SSE-KMS",
                                         "versioning": "Suspended"}}}"#,
        )
        .unwrap();
        assert_eq!(ctx.source_kms_keys, ["k1", "k2"]);
        assert_eq!(ctx.batch_replication, Some(true));
        assert_eq!(ctx.object_lock, None);
        assert_eq!(ctx.source_versioning.as_deref(), Some("Enabled"));
        assert_eq!(
            ctx.destinations["dst"].versioning.as_deref(),
            Some("Suspended")
        );
        let d = &ctx.destinations["dst"];
        assert_eq!(
            (d.region.as_deref(), d.bucket_keys),
            (Some("us-west-2"), Some(true))
        );
        // Serializing and reading back is the identity.
        let again = DeploymentContext::from_json(&serde_json::to_string(&ctx).unwrap()).unwrap();
        assert_eq!(again, ctx);
    }

    /// Facts an account-regional bucket name contradicts, and the source Region it gives.
    #[test]
    fn account_regional_names_give_and_check_facts() {
        let doc = Document::default();
        let ctx = DeploymentContext::from_json(
            r#"{"sourceBucket": "arn:aws:s3:::src-111122223333-eu-west-1-an",
                "destinations": {"arn:aws:s3:::dst-444455556666-us-west-2-an":
                                   {"region": "us-west-2", "account": "444455556666"}}}"#,
        )
        .unwrap();
        let r = Resolved::new(&ctx, &doc);
        let region = r.source_region.clone().unwrap();
        assert_eq!(
            (region.value.as_str(), region.source),
            ("eu-west-1", Source::BucketName)
        );
        assert_eq!(r.conflicts(), []);
        let mut ctx = ctx;
        ctx.source_account = Some("999999999999".into());
        ctx.inferred.push("source_account");
        for d in ctx.destinations.values_mut() {
            d.region = Some("eu-west-1".into());
        }
        let c = Resolved::new(&ctx, &doc).conflicts();
        assert_eq!(c.len(), 2, "{c:?}");
        assert!(c[0].source_bucket && c[0].what == "account" && c[0].stated.source == Source::Code);
        assert_eq!(
            c[1].field,
            "destinations.arn:aws:s3:::dst-444455556666-us-west-2-an.region"
        );
        assert!(
            c[1].message()
                .contains("says Region us-west-2, but `destinations."),
            "{}",
            c[1].message()
        );
    }

    #[test]
    fn errors_name_the_place() {
        let e = DeploymentContext::from_json("{\n  \"sourceRegon\": \"x\"}").unwrap_err();
        assert!(
            e.contains("did you mean `sourceRegion`") && e.contains("line 2 column 3"),
            "{e}"
        );
        let e = DeploymentContext::from_json(r#"{"destinations": {"b": {"bucketKeys": "yes"}}}"#)
            .unwrap_err();
        assert!(e.contains("true or false"), "{e}");
        let e = DeploymentContext::from_json(r#"{"sourceVersioning": "enabled"}"#).unwrap_err();
        assert!(
            e.contains("Enabled, Suspended, Disabled") && e.contains("did you mean `Enabled`"),
            "{e}"
        );
        let e = DeploymentContext::from_json(r#"{"destinations": {"b": {"versioning": true}}}"#)
            .unwrap_err();
        assert!(e.contains("must be a string"), "{e}");
        let e =
            DeploymentContext::from_json(r#"{"sourceDefaultEncryption": "SSE_KMS"}"#).unwrap_err();
        assert!(
            e.contains("SSE-S3, SSE-KMS, DSSE-KMS") && e.contains("did you mean `SSE-KMS`"),
            "{e}"
        );
        let ok = DeploymentContext::from_json(r#"{"sourceDefaultEncryption": "DSSE-KMS"}"#);
        assert_eq!(
            ok.unwrap().source_default_encryption.as_deref(),
            Some("DSSE-KMS")
        );
        assert!(DeploymentContext::from_json("[").is_err());
        assert!(DeploymentContext::from_json("[]").is_err());
    }
}
