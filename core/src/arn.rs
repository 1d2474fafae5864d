//! ARNs the document uses: IAM roles, S3 buckets, KMS keys and aliases.

/// `arn:partition:service:region:account:resource`, borrowed from the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    pub fn parse(s: &'a str) -> Result<Arn<'a>, &'static str> {
        let mut it = s.splitn(6, ':');
        if it.next() != Some("arn") {
            return Err("does not start with `arn:`");
        }
        let (Some(partition), Some(service), Some(region), Some(account), Some(resource)) =
            (it.next(), it.next(), it.next(), it.next(), it.next())
        else {
            return Err("has fewer than six `:`-separated fields");
        };
        Ok(Arn {
            partition,
            service,
            region,
            account,
            resource,
        })
    }
}

/// Known partitions, for "did you mean" and validation.
pub const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The account of a stand-in ARN for something the code creates in an account it does not
/// name (also what templates and examples write for "any account"): never a real owner.
pub const PLACEHOLDER_ACCOUNT: &str = "000000000000";

/// The Region of a stand-in ARN for something a template creates in the stack's Region when
/// that Region is left to deployment: shaped as a Region, never a real one.
pub const PLACEHOLDER_REGION: &str = "stack-region-0";

/// An account ID that names a real account: not [`PLACEHOLDER_ACCOUNT`].
pub fn is_known_account(s: &str) -> bool {
    is_account_id(s) && s != PLACEHOLDER_ACCOUNT
}

/// A Region code such as `us-west-2` or `us-gov-east-1` (shape only).
pub fn looks_like_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

/// The bucket name from `arn:aws:s3:::name` or a bare `name`.
pub fn bucket_name(s: &str) -> &str {
    match Arn::parse(s) {
        Ok(a) if a.service == "s3" => a.resource.split('/').next().unwrap_or(a.resource),
        _ => s,
    }
}

/// `<prefix>-<12-digit account>-<region>-an` account-regional bucket names carry both facts.
pub fn account_regional_bucket(name: &str) -> Option<(String, String)> {
    let rest = name.strip_suffix("-an")?;
    // Find "-<12 digits>-" followed by a Region.
    let bytes = rest.as_bytes();
    let mut i = 0;
    while let Some(off) = rest[i..].find('-') {
        let start = i + off + 1;
        if start + 13 <= rest.len()
            && bytes[start..start + 12].iter().all(u8::is_ascii_digit)
            && bytes[start + 12] == b'-'
        {
            let region = &rest[start + 13..];
            if looks_like_region(region) {
                return Some((rest[start..start + 12].to_string(), region.to_string()));
            }
        }
        i = start;
    }
    None
}

/// What a `ReplicaKmsKeyID` (or source key) string is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KmsKeyRef<'a> {
    /// `arn:p:kms:region:account:key/id`
    KeyArn {
        arn: Arn<'a>,
        key_id: &'a str,
    },
    /// `arn:p:kms:region:account:alias/name`
    AliasArn {
        arn: Arn<'a>,
        alias: &'a str,
    },
    /// `1234abcd-...` or `mrk-...`
    BareKeyId(&'a str),
    /// `alias/name`
    BareAlias(&'a str),
    Invalid(&'static str),
}

impl<'a> KmsKeyRef<'a> {
    pub fn parse(s: &'a str) -> KmsKeyRef<'a> {
        if s.starts_with("arn:") {
            let Ok(arn) = Arn::parse(s) else {
                return KmsKeyRef::Invalid("is not a well-formed ARN");
            };
            if arn.service != "kms" {
                return KmsKeyRef::Invalid("is not a KMS ARN");
            }
            if let Some(id) = arn.resource.strip_prefix("key/") {
                return KmsKeyRef::KeyArn { arn, key_id: id };
            }
            if let Some(alias) = arn.resource.strip_prefix("alias/") {
                return KmsKeyRef::AliasArn { arn, alias };
            }
            return KmsKeyRef::Invalid("names neither `key/...` nor `alias/...`");
        }
        if let Some(alias) = s.strip_prefix("alias/") {
            return KmsKeyRef::BareAlias(alias);
        }
        if s.is_empty() {
            return KmsKeyRef::Invalid("is empty");
        }
        KmsKeyRef::BareKeyId(s)
    }

    pub fn arn(&self) -> Option<&Arn<'a>> {
        match self {
            KmsKeyRef::KeyArn { arn, .. } | KmsKeyRef::AliasArn { arn, .. } => Some(arn),
            _ => None,
        }
    }

    /// True for the AWS managed S3 key alias (`aws/s3`).
    pub fn is_aws_managed_s3_alias(&self) -> bool {
        matches!(self, KmsKeyRef::AliasArn { alias, .. } | KmsKeyRef::BareAlias(alias) if *alias == "aws/s3")
    }

    pub fn is_multi_region(&self) -> bool {
        matches!(self, KmsKeyRef::KeyArn { key_id, .. } | KmsKeyRef::BareKeyId(key_id) if key_id.starts_with("mrk-"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_arns() {
        let a = Arn::parse("arn:aws:iam::111122223333:role/service-role/x").unwrap();
        assert_eq!(
            (a.partition, a.service, a.account),
            ("aws", "iam", "111122223333")
        );
        assert_eq!(a.resource, "role/service-role/x");
        assert!(Arn::parse("arn:aws:s3").is_err());
        assert_eq!(bucket_name("arn:aws:s3:::b1"), "b1");
        assert_eq!(bucket_name("b1"), "b1");
    }

    #[test]
    fn account_regional_names() {
        assert_eq!(
            account_regional_bucket("logs-444455556666-us-west-2-an"),
            Some(("444455556666".into(), "us-west-2".into()))
        );
        assert_eq!(account_regional_bucket("logs-us-west-2-an"), None);
        assert_eq!(account_regional_bucket("plain"), None);
    }

    #[test]
    fn kms_refs() {
        assert!(matches!(
            KmsKeyRef::parse("alias/aws/s3"),
            KmsKeyRef::BareAlias("aws/s3")
        ));
        assert!(KmsKeyRef::parse("arn:aws:kms:us-east-1:1:alias/aws/s3").is_aws_managed_s3_alias());
        assert!(KmsKeyRef::parse("arn:aws:kms:us-east-1:1:key/mrk-1").is_multi_region());
        assert!(matches!(
            KmsKeyRef::parse("arn:aws:s3:::x"),
            KmsKeyRef::Invalid(_)
        ));
    }
}
