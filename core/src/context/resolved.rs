//! What the checks know about the deployment: the user's context merged with what the
//! document (or the code that carries it) states, each fact with where it came from.

use super::{DeploymentContext, DestinationContext};
use crate::arn;
use crate::model::Document;
use serde::Serialize;

/// Where a fact came from, so messages can say "inferred from the Role ARN".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "FactSource"))]
pub enum Source {
    Context,
    RoleArn,
    AccountElement,
    BucketArn,
    BucketName,
    KeyArn,
    /// Read from the CloudFormation template or Terraform module.
    Code,
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
            Source::Code => "as the template or module declares it",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
        let given = |field: &str| {
            if ctx.inferred.contains(&field) {
                Source::Code
            } else {
                Source::Context
            }
        };
        let role = doc
            .role
            .as_ref()
            .and_then(|r| arn::Arn::parse(r.as_str()).ok());
        let partition = ctx
            .partition
            .clone()
            .map(|p| Fact::new(p, given("partition")))
            .or_else(|| {
                role.as_ref()
                    .map(|a| Fact::new(a.partition, Source::RoleArn))
            });
        let source_account = ctx
            .source_account
            .clone()
            .map(|a| Fact::new(a, given("source_account")))
            .or_else(|| {
                // All zeros is a placeholder (a template's role whose ARN is known only at
                // deployment is written so), never an account to compare others with.
                role.as_ref()
                    .filter(|a| {
                        !a.account.is_empty() && a.account != crate::arn::PLACEHOLDER_ACCOUNT
                    })
                    .map(|a| Fact::new(a.account, Source::RoleArn))
            });
        let source_bucket = ctx
            .source_bucket
            .as_deref()
            .map(|b| arn::bucket_name(b).to_string());
        // As for destinations: the context, then an account-regional bucket name.
        let source_region = ctx
            .source_region
            .clone()
            .map(|r| Fact::new(r, given("source_region")))
            .or_else(|| {
                let (_, region) = arn::account_regional_bucket(source_bucket.as_deref()?)?;
                Some(Fact::new(region, Source::BucketName))
            });
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
        self.region_for(bucket, self.destination(bucket))
    }

    /// Destination owner: context, then the rule's `Account`, then an account-regional name.
    pub fn destination_account(&self, bucket: &str, account_element: Option<&str>) -> Option<Fact> {
        self.account_for(bucket, self.destination(bucket), account_element)
    }

    /// [`Resolved::destination_region`] with the bucket's context entry already looked up
    /// (the checks keep it per rule).
    pub fn region_for(&self, bucket: &str, entry: Option<&DestinationContext>) -> Option<Fact> {
        if let Some(r) = entry.and_then(|d| d.region.clone()) {
            return Some(Fact::new(r, self.dest_source(bucket, "region")));
        }
        arn::account_regional_bucket(arn::bucket_name(bucket))
            .map(|(_, region)| Fact::new(region, Source::BucketName))
    }

    /// [`Resolved::destination_account`] with the bucket's context entry already looked up.
    pub fn account_for(
        &self,
        bucket: &str,
        entry: Option<&DestinationContext>,
        account_element: Option<&str>,
    ) -> Option<Fact> {
        if let Some(a) = entry.and_then(|d| d.account.clone()) {
            return Some(Fact::new(a, self.dest_source(bucket, "account")));
        }
        if let Some(a) = account_element.filter(|a| !a.is_empty()) {
            return Some(Fact::new(a, Source::AccountElement));
        }
        arn::account_regional_bucket(arn::bucket_name(bucket))
            .map(|(account, _)| Fact::new(account, Source::BucketName))
    }

    /// Whether a destination fact was given or read from the code.
    pub fn dest_source(&self, bucket: &str, field: &str) -> Source {
        let name = arn::bucket_name(bucket);
        if self
            .raw
            .inferred_destinations
            .iter()
            .any(|(b, f)| b == name && *f == field)
        {
            Source::Code
        } else {
            Source::Context
        }
    }

    pub fn destination_bucket_keys(&self, bucket: &str) -> Option<bool> {
        self.destination(bucket).and_then(|d| d.bucket_keys)
    }

    pub fn partition_or_default(&self) -> &str {
        self.partition.as_ref().map_or("aws", |p| p.value.as_str())
    }

    /// Facts the context states about a bucket that the bucket's account-regional name
    /// (`<prefix>-<account>-<region>-an`) contradicts: `sourceRegion`/`sourceAccount` against
    /// `sourceBucket`, and each destination entry's `region`/`account` against its key.
    pub fn conflicts(&self) -> Vec<Conflict> {
        let raw = &self.raw;
        let mut out = Vec::new();
        // (bucket, destination key, [(field, Rust name, value); Region first, then account]).
        let source = self.source_bucket.iter().map(|b| {
            let (r, a) = (&raw.source_region, &raw.source_account);
            let fields = [
                ("sourceRegion", "source_region", r),
                ("sourceAccount", "source_account", a),
            ];
            (b.as_str(), None, fields)
        });
        let dests = raw.destinations.iter().map(|(k, d)| {
            let fields = [
                ("region", "region", &d.region),
                ("account", "account", &d.account),
            ];
            (arn::bucket_name(k), Some(k), fields)
        });
        for (bucket, key, stated) in source.chain(dests) {
            let Some((account, region)) = arn::account_regional_bucket(bucket) else {
                continue;
            };
            let named = [("Region", region), ("account", account)];
            for ((field, rust, value), (what, named)) in stated.into_iter().zip(named) {
                let Some(value) = value.as_deref().filter(|v| *v != named) else {
                    continue;
                };
                let source = match key {
                    Some(_) => self.dest_source(bucket, rust),
                    None if raw.inferred.contains(&rust) => Source::Code,
                    None => Source::Context,
                };
                out.push(Conflict {
                    bucket: bucket.to_string(),
                    source_bucket: key.is_none(),
                    field: match key {
                        Some(k) => format!("destinations.{k}.{field}"),
                        None => field.to_string(),
                    },
                    what,
                    stated: Fact::new(value, source),
                    named,
                });
            }
        }
        out
    }
}

/// A fact of the deployment context that the bucket's account-regional name contradicts
/// (see [`Resolved::conflicts`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// The bucket name.
    pub bucket: String,
    /// The source bucket (`sourceBucket`), else a destination.
    pub source_bucket: bool,
    /// The context field, e.g. `sourceRegion`, `destinations.<key>.account`.
    pub field: String,
    /// `Region` or `account`.
    pub what: &'static str,
    pub stated: Fact,
    /// What the name says.
    pub named: String,
}

impl Conflict {
    pub fn message(&self) -> String {
        format!(
            "The account-regional name `{}` says {} {}, but `{}` is {} ({}); one of the two is wrong",
            self.bucket,
            self.what,
            self.named,
            self.field,
            self.stated.value,
            self.stated.source.describe()
        )
    }
}
