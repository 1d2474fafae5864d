//! The optional deployment context: facts the document does not carry (Regions, owners,
//! keys, Bucket Keys, ...), plus what can be inferred from the document itself.

use crate::arn;
use crate::model::Document;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the user tells us about the deployment. Every field is optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
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
    pub source_kms_keys: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_bucket_keys: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_replication: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_lock: Option<bool>,
    /// Keyed by bucket name or bucket ARN.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub destinations: BTreeMap<String, DestinationContext>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DestinationContext {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket_keys: Option<bool>,
    /// `SSE-S3`, `SSE-KMS` or `DSSE-KMS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_encryption: Option<String>,
}

impl DeploymentContext {
    pub fn from_json(text: &str) -> Result<DeploymentContext, String> {
        serde_json::from_str(text).map_err(|e| format!("invalid deployment context: {e}"))
    }
}

/// Where a fact came from, so messages can say "inferred from the Role ARN".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Source {
    Context,
    RoleArn,
    AccountElement,
    BucketArn,
    BucketName,
    KeyArn,
}

impl Source {
    pub fn describe(self) -> &'static str {
        match self {
            Source::Context => "from the deployment context",
            Source::RoleArn => "inferred from the Role ARN",
            Source::AccountElement => "inferred from the Destination's Account element",
            Source::BucketArn => "inferred from the bucket ARN",
            Source::BucketName => "inferred from the account-regional bucket name",
            Source::KeyArn => "inferred from the KMS key ARN",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fact {
    pub value: String,
    pub source: Source,
}

impl Fact {
    fn new(value: impl Into<String>, source: Source) -> Fact {
        Fact {
            value: value.into(),
            source,
        }
    }
}

/// The context merged with what the document implies. Rules and policies read only this.
#[derive(Clone, Debug, Default)]
pub struct Resolved {
    pub raw: DeploymentContext,
    pub partition: Option<Fact>,
    pub source_account: Option<Fact>,
    pub source_region: Option<Fact>,
    pub source_bucket: Option<String>,
}

impl Resolved {
    pub fn new(ctx: &DeploymentContext, doc: &Document) -> Resolved {
        let role = doc
            .role
            .as_ref()
            .and_then(|r| arn::Arn::parse(r.as_str()).ok());
        let partition = ctx
            .partition
            .clone()
            .map(|p| Fact::new(p, Source::Context))
            .or_else(|| {
                role.as_ref()
                    .map(|a| Fact::new(a.partition, Source::RoleArn))
            });
        let source_account = ctx
            .source_account
            .clone()
            .map(|a| Fact::new(a, Source::Context))
            .or_else(|| {
                role.as_ref()
                    .filter(|a| !a.account.is_empty())
                    .map(|a| Fact::new(a.account, Source::RoleArn))
            });
        let source_region = ctx
            .source_region
            .clone()
            .map(|r| Fact::new(r, Source::Context));
        let source_bucket = ctx
            .source_bucket
            .as_deref()
            .map(|b| arn::bucket_name(b).to_string());
        Resolved {
            raw: ctx.clone(),
            partition,
            source_account,
            source_region,
            source_bucket,
        }
    }

    /// Context entry for a destination given as a bucket ARN or name (either key form works).
    pub fn destination(&self, bucket: &str) -> Option<&DestinationContext> {
        let name = arn::bucket_name(bucket);
        self.raw
            .destinations
            .iter()
            .find(|(k, _)| arn::bucket_name(k) == name)
            .map(|(_, v)| v)
    }

    /// Destination Region: context first, then an account-regional bucket name.
    pub fn destination_region(&self, bucket: &str) -> Option<Fact> {
        if let Some(r) = self.destination(bucket).and_then(|d| d.region.clone()) {
            return Some(Fact::new(r, Source::Context));
        }
        arn::account_regional_bucket(arn::bucket_name(bucket))
            .map(|(_, region)| Fact::new(region, Source::BucketName))
    }

    /// Destination owner: context, then the rule's `Account`, then an account-regional name.
    pub fn destination_account(&self, bucket: &str, account_element: Option<&str>) -> Option<Fact> {
        if let Some(a) = self.destination(bucket).and_then(|d| d.account.clone()) {
            return Some(Fact::new(a, Source::Context));
        }
        if let Some(a) = account_element.filter(|a| !a.is_empty()) {
            return Some(Fact::new(a, Source::AccountElement));
        }
        arn::account_regional_bucket(arn::bucket_name(bucket))
            .map(|(account, _)| Fact::new(account, Source::BucketName))
    }

    pub fn destination_bucket_keys(&self, bucket: &str) -> Option<bool> {
        self.destination(bucket).and_then(|d| d.bucket_keys)
    }

    pub fn partition_or_default(&self) -> &str {
        self.partition.as_ref().map_or("aws", |p| p.value.as_str())
    }
}
