//! The deployment-context fields checked as they are typed: a value the checks cannot use is
//! said beside its field, instead of silently becoming a placeholder in the policies.

use s3_replication_lint::arn::{is_account_id, looks_like_region, KmsKeyRef};
use s3_replication_lint::lower::did_you_mean;
use s3_replication_lint::rules::destination::bucket::bucket_name_problem;
use s3_replication_lint::Severity;

/// The Regions this version knows (commercial, China, GovCloud, European Sovereign Cloud).
/// A well-formed code outside the list is a warning, not an error: AWS keeps adding Regions.
pub const REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eusc-de-east-1",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-west-1",
    "us-west-2",
];

/// What is wrong with a field's value: an error the checks cannot use, or a warning.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub error: bool,
    pub message: String,
}

fn error(message: String) -> Option<Problem> {
    Some(Problem {
        error: true,
        message,
    })
}

fn warning(message: String) -> Option<Problem> {
    Some(Problem {
        error: false,
        message,
    })
}

pub fn region(v: &str) -> Option<Problem> {
    let v = v.trim();
    if v.is_empty() || REGIONS.contains(&v) {
        return None;
    }
    let hint = did_you_mean(v, REGIONS)
        .map(|s| format!(" Did you mean `{s}`?"))
        .unwrap_or_default();
    if !looks_like_region(v) {
        return error(format!("Not a Region code (e.g. `us-east-1`).{hint}"));
    }
    warning(format!(
        "`{v}` is not a Region this version knows; the checks use it as written.{hint}"
    ))
}

pub fn account(v: &str) -> Option<Problem> {
    let v = v.trim();
    if v.is_empty() || is_account_id(v) {
        return None;
    }
    let digits = v.bytes().filter(u8::is_ascii_digit).count();
    error(format!(
        "An AWS account ID is 12 digits; this has {digits} digit{} and {} other character{}.",
        if digits == 1 { "" } else { "s" },
        v.len() - digits,
        if v.len() - digits == 1 { "" } else { "s" },
    ))
}

pub fn bucket(v: &str) -> Option<Problem> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    let name = s3_replication_lint::arn::bucket_name(v);
    let (severity, why) = bucket_name_problem(name)?;
    let message = format!("The bucket name {why}.");
    if severity == Severity::Error {
        error(message)
    } else {
        warning(message)
    }
}

/// One source key (a line of the keys field), against the source bucket's Region: S3 uses
/// only keys of the bucket's own Region, and policies need the key's ARN.
pub fn source_key(v: &str, source_region: Option<&str>) -> Option<Problem> {
    let v = v.trim();
    match KmsKeyRef::parse(v) {
        _ if v.is_empty() => None,
        KmsKeyRef::KeyArn { arn, .. } => {
            if let Some(p) = region(arn.region).filter(|p| p.error) {
                return error(format!("`{v}`: its Region: {}", p.message));
            }
            if !is_account_id(arn.account) {
                return error(format!("`{v}`: its account is not 12 digits."));
            }
            match source_region.map(str::trim).filter(|r| !r.is_empty()) {
                Some(r) if r != arn.region => error(format!(
                    "`{v}` is in {}, the source bucket in {r}: S3 encrypts a bucket's objects only with keys of the bucket's own Region.",
                    arn.region
                )),
                _ => None,
            }
        }
        KmsKeyRef::AliasArn { .. } | KmsKeyRef::BareAlias(_) => error(format!(
            "`{v}` is an alias: give the key's ARN (`arn:aws:kms:REGION:ACCOUNT:key/ID`). Objects record the key itself, and key policies and grants name the key, not its alias."
        )),
        KmsKeyRef::BareKeyId(_) => error(format!(
            "`{v}` is not a key ARN: give the full ARN (`arn:aws:kms:REGION:ACCOUNT:key/{v}`) so its Region and account are known."
        )),
        KmsKeyRef::Invalid(why) => error(format!("`{v}` is not a KMS key ARN: it {why}.")),
    }
}

/// The first problem among the keys field's lines.
pub fn source_keys(raw: &str, source_region: Option<&str>) -> Option<Problem> {
    raw.split(['\n', ','])
        .find_map(|line| source_key(line, source_region))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions() {
        assert_eq!(region(""), None);
        assert_eq!(region("eu-west-1"), None);
        let p = region("us-east-99").unwrap();
        assert!(!p.error && p.message.contains("not a Region this version knows"));
        let p = region("useast1").unwrap();
        assert!(p.error);
        assert!(region("eu-wset-1").unwrap().message.contains("`eu-west-1`"));
    }

    #[test]
    fn accounts() {
        assert_eq!(account("111122223333"), None);
        let p = account("12345").unwrap();
        assert!(p.error && p.message.contains("5 digits"));
    }

    #[test]
    fn keys() {
        let arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        assert_eq!(source_key(arn, Some("us-east-1")), None);
        assert_eq!(source_key(arn, None), None);
        assert!(source_key(arn, Some("eu-west-1"))
            .unwrap()
            .message
            .contains("own Region"));
        assert!(source_key("alias/my-key", None)
            .unwrap()
            .message
            .contains("alias"));
        assert!(source_key("not-an-arn", None).unwrap().error);
        assert!(source_key("arn:aws:s3:::b", None)
            .unwrap()
            .message
            .contains("not a KMS ARN"));
        assert!(source_keys(&format!("{arn}\nalias/x"), None).is_some());
    }

    #[test]
    fn buckets() {
        assert_eq!(bucket("photos"), None);
        assert!(bucket("Photos_Bucket").is_some());
    }
}
