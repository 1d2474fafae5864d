//! What the policies depend on, gathered once from the document and the deployment context.
//! Both the generator and the audit read this plan, so they always agree on what is needed.

mod arns;
mod build;

pub(crate) use arns::{object_arn, reduce_prefixes};

use super::{Note, Placeholder};
use crate::model::Rule;
use std::hash::Hash;

/// A fact that is either known or stands in the policy as a marked placeholder.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Known {
    Value(String),
    Missing {
        token: String,
        what: String,
        how_to_fill: String,
    },
}

impl Known {
    pub fn missing(
        token: impl Into<String>,
        what: impl Into<String>,
        how: impl Into<String>,
    ) -> Known {
        Known::Missing {
            token: token.into(),
            what: what.into(),
            how_to_fill: how.into(),
        }
    }

    /// The value, or the placeholder token (e.g. `${SOURCE_BUCKET}`).
    pub fn text(&self) -> &str {
        match self {
            Known::Value(v) => v,
            Known::Missing { token, .. } => token,
        }
    }

    pub fn value(&self) -> Option<&str> {
        match self {
            Known::Value(v) => Some(v),
            Known::Missing { .. } => None,
        }
    }

    pub fn placeholder(&self) -> Option<Placeholder> {
        match self {
            Known::Value(_) => None,
            Known::Missing {
                token,
                what,
                how_to_fill,
            } => Some(Placeholder {
                token: token.clone(),
                what: what.clone(),
                how_to_fill: how_to_fill.clone(),
            }),
        }
    }
}

/// One enabled rule, reduced to what the policies need.
#[derive(Clone, Debug)]
pub(crate) struct RulePlan {
    /// "rule `ID`" or "rule #2 (no ID)".
    pub label: String,
    /// The key prefix the rule selects ("" = every key).
    pub prefix: String,
    pub delete_markers: bool,
    pub kms: bool,
    pub owner_override: bool,
    /// Index into `Plan::destinations`.
    pub dest: usize,
    /// Index into `Plan::replica_keys` (KMS rules only).
    pub replica_key: Option<usize>,
}

#[derive(Clone, Debug)]
pub(crate) struct DestPlan {
    /// Bucket name.
    pub bucket: String,
    pub region: Known,
    /// `region` is the destination bucket's own Region (from the context or inferred from
    /// the bucket name), not borrowed from a replica key ARN.
    pub region_from_destination: bool,
    /// Owner account, when known.
    pub account: Option<String>,
    /// Owner differs from the source account (both known).
    pub cross_account: bool,
    pub bucket_keys: Option<bool>,
    pub default_encryption: Option<String>,
}

#[derive(Clone, Debug)]
pub(crate) struct KeyPlan {
    pub arn: Known,
    /// Account that owns the key, when known.
    pub account: Option<String>,
    /// Region used for `kms:ViaService`.
    pub region: Known,
    /// Key owned by another account than the role's.
    pub cross_account: bool,
    /// Destination this key encrypts replicas for (replica keys only).
    pub dest: Option<usize>,
    /// When the ARN is unknown but its form is not: a pattern every value it can take matches
    /// (the key behind an alias ARN is `arn:<p>:kms:<region>:<account>:key/*`, never the alias).
    pub shape: Option<String>,
}

#[derive(Clone, Debug)]
pub(crate) struct Plan {
    pub partition: Known,
    pub role_arn: Known,
    pub source_account: Option<String>,
    pub source_bucket: Known,
    pub source_region: Known,
    pub source_keys: Vec<KeyPlan>,
    pub source_bucket_keys: Option<bool>,
    pub object_lock: Option<bool>,
    pub batch: bool,
    pub rules: Vec<RulePlan>,
    pub destinations: Vec<DestPlan>,
    pub replica_keys: Vec<KeyPlan>,
    pub notes: Vec<Note>,
    /// Facts the policies rest on contradict each other (each has a note): the policies
    /// cannot be complete.
    pub contradicted: bool,
}

/// As the model labels a rule, saying when a rule has no ID (policy reasons list many rules).
pub(crate) fn rule_label(rule: &Rule, index: usize) -> String {
    let mut label = rule.label(index);
    if rule.id.as_ref().is_none_or(|i| i.as_str().is_empty()) {
        label.push_str(" (no ID)");
    }
    label
}

impl Plan {
    /// The Region S3 calls KMS from for a replica key (its `kms:ViaService`): the destination
    /// bucket's Region when it is known (context or inferred from the bucket name), else the
    /// key ARN's Region.
    pub fn replica_key_region<'p>(&'p self, key: &'p KeyPlan) -> &'p Known {
        match key.dest.and_then(|d| self.destinations.get(d)) {
            Some(dest) if dest.region_from_destination => &dest.region,
            _ => &key.region,
        }
    }

    pub fn any_kms(&self) -> bool {
        self.rules.iter().any(|r| r.kms)
    }

    pub fn bucket_arn(&self, bucket: &str) -> String {
        format!("arn:{}:s3:::{}", self.partition.text(), bucket)
    }

    pub fn source_bucket_arn(&self) -> String {
        self.bucket_arn(self.source_bucket.text())
    }

    /// Every placeholder used anywhere in the plan's known facts.
    pub fn all_known(&self) -> Vec<&Known> {
        let mut v = vec![
            &self.partition,
            &self.role_arn,
            &self.source_bucket,
            &self.source_region,
        ];
        v.extend(self.source_keys.iter().flat_map(|k| [&k.arn, &k.region]));
        v.extend(self.replica_keys.iter().flat_map(|k| [&k.arn, &k.region]));
        v.extend(self.destinations.iter().map(|d| &d.region));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::arns::push_escaped_iam;
    use super::*;

    #[test]
    fn prefixes_reduce() {
        assert_eq!(
            reduce_prefixes(["a/", "a/b", "c"]),
            vec!["a/".to_string(), "c".to_string()]
        );
        assert_eq!(reduce_prefixes(["a/", ""]), vec![String::new()]);
        let mut out = String::from("p/");
        push_escaped_iam(&mut out, "x*y?$");
        push_escaped_iam(&mut out, "/plain");
        assert_eq!(out, "p/x${*}y${?}${$}/plain");
    }
}
