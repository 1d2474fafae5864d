//! The `Role`: present and non-empty (S3R100), an assumable IAM role ARN (S3R101), in the
//! bucket's partition (S3R102), owned by the source bucket's account (S3R103).

use crate::arn::{is_account_id, looks_like_region, Arn, PARTITIONS};
use crate::rules::support::facts::region_partition;
use crate::rules::CheckContext;
use crate::Severity;

declare_rule! {
    pub static EMPTY_ROLE {
        code: "S3R100",
        name: "empty-role",
        severity: Error,
        confidence: Documented,
        s3_error: "InvalidArgument (emulator wording: \"Invalid Role specified in replication configuration\")",
        summary: "`Role` is empty",
        check: check_empty,
        docs: r#"## What it does
Flags an empty or blank `Role`. (A missing `Role` is S3R003.)

## Why it matters
S3 replicates by assuming this role. Without one nothing can be replicated: S3-compatible
services refuse the request, and AWS either refuses it too or stores a configuration that
fails for every object (its exact response is unverified).
Evidence: searched public bug trackers (Terraform AWS provider, Pulumi, Crossplane, ACK, CDK,
LocalStack, moto) for S3's answer; none found.

## Example
```json
{ "Role": "", "Rules": [ { "ID": "all", "Status": "Enabled", "Priority": 1, "Filter": {},
  "DeleteMarkerReplication": { "Status": "Disabled" },
  "Destination": { "Bucket": "arn:aws:s3:::dst" } } ] }
```

## Fix
Write the ARN of the replication role, e.g.
`arn:aws:iam::111122223333:role/service-role/s3-replication`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
"#,
    }
}

declare_rule! {
    pub static NOT_A_ROLE_ARN {
        code: "S3R101",
        name: "role-not-an-iam-role-arn",
        severity: Error,
        confidence: Documented,
        s3_error: "InvalidArgument (emulator wording: \"Invalid Role specified in replication configuration\"); at runtime: AssumeRoleNotPermitted",
        summary: "`Role` is not the ARN of an IAM role S3 can assume",
        check: check_role_arn,
        docs: r#"## What it does
Checks that `Role` has the shape `arn:<partition>:iam::<12-digit account>:role/<path/><name>`:
no Region, an IAM role (not a user, group, instance profile, STS session or service-linked
role), a name of 1-64 characters from letters, digits and `+=,.@_-`, a path of at most 512
characters and an ARN of at most 2,048.

## Why it matters
S3 replicates by assuming the role, and only IAM roles can be assumed. S3's own format check
at `PutBucketReplication` is lenient, so it may store the configuration anyway; then every
object fails to replicate (`AssumeRoleNotPermitted`). A service-linked role
(`role/aws-service-role/...`) trusts only its own service, never S3 replication. A Role ARN
with a `service-role/` path, as the console creates, is correct: keep the path. An account
field with letters (`account-id`, copied from a documentation template) is reported as a
warning, since it is obviously a placeholder.

## Example
```json
{ "Role": "arn:aws:iam::111122223333:user/replicator",
  "Rules": [ { "ID": "all", "Status": "Enabled", "Priority": 1, "Filter": {},
               "DeleteMarkerReplication": { "Status": "Disabled" },
               "Destination": { "Bucket": "arn:aws:s3:::dst" } } ] }
```

## Fix
Create a role that trusts `s3.amazonaws.com` and use its ARN, path included.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-troubleshoot.html
"#,
    }
}

declare_rule! {
    pub static ROLE_PARTITION {
        code: "S3R102",
        name: "role-partition-mismatch",
        severity: Error,
        confidence: Documented,
        summary: "The Role's partition differs from the deployment's, or is not a known partition",
        check: check_partition,
        docs: r#"## What it does
Compares the partition in the Role ARN (`aws`, `aws-cn`, `aws-us-gov`, ...) with the
`partition` of the deployment context, or with the partition of the `sourceRegion`
(`cn-north-1` is in `aws-cn`). An unknown partition is a warning (usually a typo).

## Why it matters
Partitions are isolated: a role in one cannot be used by a bucket in another, so S3 cannot
assume it and no object is replicated. Whether `PutBucketReplication` refuses it up front is
not documented.

## Example
<!-- context: {"sourceRegion": "us-east-1"} -->
```json
{ "Role": "arn:aws-cn:iam::111122223333:role/replication",
  "Rules": [ { "ID": "all", "Status": "Enabled", "Priority": 1, "Filter": {},
               "DeleteMarkerReplication": { "Status": "Disabled" },
               "Destination": { "Bucket": "arn:aws:s3:::dst" } } ] }
```

## Fix
Use a role in the same partition as the bucket.

## References
- https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
"#,
    }
}

declare_rule! {
    pub static ROLE_ACCOUNT {
        code: "S3R103",
        name: "role-in-other-account",
        severity: Warning,
        confidence: Documented,
        s3_error: "AccessDenied (iam:PassRole; S3's exact wording unverified)",
        summary: "The Role belongs to an account other than the source bucket owner's",
        check: check_account,
        docs: r#"## What it does
Compares the account in the Role ARN with `sourceAccount` from the deployment context. Without
that field the check reports what it could not verify.

## Why it matters
The S3 User Guide says you can specify the replication role "only if you have the
`iam:PassRole` permission", and the IAM User Guide says "You can only use the PassRole
permission to pass an IAM role to a service that shares the same AWS account". Together they
mean a role from another account is refused. S3's exact response (presumably `AccessDenied`)
has not been seen.

## Example
<!-- context: {"sourceAccount": "111122223333"} -->
```json
{ "Role": "arn:aws:iam::999999999999:role/replication",
  "Rules": [ { "ID": "all", "Status": "Enabled", "Priority": 1, "Filter": {},
               "DeleteMarkerReplication": { "Status": "Disabled" },
               "Destination": { "Bucket": "arn:aws:s3:::dst" } } ] }
```

## Fix
Create the replication role in the source bucket owner's account.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
"#,
    }
}

const ROLE_PATH: &str = "/Role";

fn check_empty(cx: &mut CheckContext) {
    let Some(role) = cx.doc.role.as_ref() else {
        return;
    };
    if !role.value.trim().is_empty() {
        return;
    }
    let span = if role.span().is_empty() {
        role.meta.name_span
    } else {
        role.span()
    };
    cx.report(
        &EMPTY_ROLE,
        span,
        ROLE_PATH,
        "`Role` is empty; S3 needs an IAM role ARN to replicate anything",
    )
    .help = Some("Example: arn:aws:iam::111122223333:role/service-role/s3-replication".to_string());
}

/// Why `role` is not an assumable IAM role ARN, if it is not.
fn role_problem(role: &str) -> Option<String> {
    let arn = match Arn::parse(role) {
        Ok(a) => a,
        Err(why) => {
            return Some(if !role.contains(':') {
                "is a name, not an ARN; write the full role ARN (arn:aws:iam::<account>:role/<name>)".to_string()
            } else {
                format!("is not an ARN: it {why}")
            });
        }
    };
    if arn.service == "sts" && arn.resource.starts_with("assumed-role/") {
        return Some("is an STS session ARN (assumed-role); use the IAM role ARN (arn:aws:iam::<account>:role/<name>)".to_string());
    }
    if arn.service != "iam" {
        return Some(format!("is {} ARN, not an IAM role", article(arn.service)));
    }
    if !arn.region.is_empty() {
        return Some(format!(
            "has the Region `{}`; IAM ARNs have an empty Region field (arn:aws:iam::<account>:role/<name>)",
            arn.region
        ));
    }
    if !is_account_id(arn.account) {
        if is_placeholder(arn.account) {
            return Some(format!(
                "has the account `{}`, which looks like a documentation placeholder; put the 12-digit account ID there",
                arn.account
            ));
        }
        return Some(format!(
            "has the account `{}`; it must be a 12-digit account ID",
            arn.account
        ));
    }
    let Some(rest) = arn.resource.strip_prefix("role/") else {
        let kind = arn.resource.split('/').next().unwrap_or("");
        return Some(match kind {
            "user" => "is an IAM user; S3 can only assume a role".to_string(),
            "instance-profile" => {
                "is an instance profile; use the ARN of the role inside it".to_string()
            }
            "group" => "is an IAM group; S3 can only assume a role".to_string(),
            "policy" => "is an IAM policy; use the role the policy is attached to".to_string(),
            _ => "does not name a role (the resource must start with `role/`)".to_string(),
        });
    };
    if rest.starts_with("aws-service-role/") {
        return Some("is a service-linked role, which only its own service can assume; S3 replication needs an ordinary role".to_string());
    }
    let name = rest.rsplit('/').next().unwrap_or(rest);
    let path_len = rest.len() - name.len() + 1;
    if name.is_empty() {
        return Some("has no role name after the path".to_string());
    }
    let n = name.chars().count();
    if n > 64 {
        return Some(format!(
            "has a role name of {n} characters; IAM allows at most 64"
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "+=,.@_-".contains(*c)))
    {
        return Some(format!(
            "has the character `{c}` in the role name; IAM role names use only letters, digits and +=,.@_-"
        ));
    }
    if path_len > 512 {
        return Some(format!(
            "has a path of {path_len} characters; IAM allows at most 512"
        ));
    }
    if role.len() > 2048 {
        return Some("is longer than 2048 characters, the IAM maximum".to_string());
    }
    None
}

/// `account-id`, `ACCOUNT_ID`, `<account>`, `${AWS::AccountId}`: text copied from a template.
fn is_placeholder(account: &str) -> bool {
    account.bytes().any(|b| b.is_ascii_alphabetic())
}

fn article(service: &str) -> String {
    if service.is_empty() {
        return "an ARN without a service".to_string();
    }
    let vowel = service
        .chars()
        .next()
        .is_some_and(|c| "aeiouAEIOU".contains(c));
    format!("{} `{service}`", if vowel { "an" } else { "a" })
}

fn check_role_arn(cx: &mut CheckContext) {
    let Some(role) = cx.doc.role.as_ref() else {
        return;
    };
    let value = role.value.trim();
    if value.is_empty() {
        return;
    }
    let Some(problem) = role_problem(value) else {
        return;
    };
    let shown = crate::rules::support::shorten(value, 80);
    let placeholder = Arn::parse(value).is_ok_and(|a| {
        a.service == "iam" && !is_account_id(a.account) && is_placeholder(a.account)
    });
    let d = cx.report(
        &NOT_A_ROLE_ARN,
        role.span(),
        ROLE_PATH,
        format!("Role `{shown}` {problem}. S3 may store it, but it can only assume an IAM role, so every object would fail to replicate"),
    );
    d.help = Some(
        "Expected: arn:<partition>:iam::<12-digit account>:role/<optional path/><name>".to_string(),
    );
    // Template text is reported, but as a warning: examples copied from documentation are
    // checked for everything else too, and the placeholder is obvious to the reader.
    if placeholder {
        d.severity = Severity::Warning;
    }
}

/// The partition of a Region code, from its well-known prefixes; `None` when `region` does
/// not look like a Region code.
pub fn partition_of_region(region: &str) -> Option<&'static str> {
    looks_like_region(region).then(|| region_partition(region))
}

fn check_partition(cx: &mut CheckContext) {
    let Some(role) = cx.doc.role.as_ref() else {
        return;
    };
    let Ok(arn) = Arn::parse(role.value.trim()) else {
        return;
    };
    let partition = arn.partition;
    if !PARTITIONS.contains(&partition) {
        let d = cx.report(
            &ROLE_PARTITION,
            role.span(),
            ROLE_PATH,
            format!(
                "The Role is in the partition `{}`, which is not a known AWS partition",
                crate::rules::support::shorten(partition, 40)
            ),
        );
        d.severity = Severity::Warning;
        d.help = Some(format!("Known partitions: {}", PARTITIONS.join(", ")));
        return;
    }
    let raw = &cx.ctx.raw;
    let expected = raw
        .partition
        .as_deref()
        .map(|p| (p.to_string(), "the deployment context's `partition`".to_string()))
        .or_else(|| {
            let region = raw.source_region.as_deref()?;
            partition_of_region(region).map(|p| {
                (
                    p.to_string(),
                    format!("the partition of the source Region `{region}` (from the deployment context)"),
                )
            })
        });
    let Some((expected, why)) = expected else {
        return;
    };
    if expected == partition {
        return;
    }
    cx.report(
        &ROLE_PARTITION,
        role.span(),
        ROLE_PATH,
        format!(
            "The Role is in the partition `{partition}`, but the bucket is in `{expected}` ({why}); partitions are isolated, so S3 cannot assume this role"
        ),
    )
    .help = Some(format!("Use a role whose ARN starts with arn:{expected}:iam::"));
}

fn check_account(cx: &mut CheckContext) {
    let Some(role) = cx.doc.role.as_ref() else {
        return;
    };
    let Ok(arn) = Arn::parse(role.value.trim()) else {
        return;
    };
    if arn.service != "iam" || !is_account_id(arn.account) {
        return;
    }
    // The owner: `sourceAccount`, else the account in an account-regional `sourceBucket` name.
    let named = cx
        .ctx
        .source_bucket
        .as_deref()
        .and_then(crate::arn::account_regional_bucket)
        .map(|(a, _)| a);
    let (source, why) = match (cx.ctx.raw.source_account.as_deref(), &named) {
        (Some(s), _) => (s, "deployment context `sourceAccount`"),
        (None, Some(a)) => (a.as_str(), "account-regional `sourceBucket` name"),
        (None, None) => {
            cx.unverified(
                &ROLE_ACCOUNT,
                "sourceAccount",
                "the Role is in the source bucket owner's account",
                role.span(),
                ROLE_PATH,
            );
            return;
        }
    };
    let source = source.trim();
    if !is_account_id(source) || source == arn.account {
        return;
    }
    cx.report(
        &ROLE_ACCOUNT,
        role.span(),
        ROLE_PATH,
        format!(
            "The Role is in account {}, but the source bucket owner ({why}) is {source}; a role can only be passed to S3 within its own account",
            arn.account
        ),
    )
    .help = Some("Create the replication role in the source bucket owner's account.".to_string());
}

#[cfg(test)]
mod tests {
    use super::{partition_of_region, role_problem};

    #[test]
    fn role_arns() {
        assert_eq!(
            role_problem("arn:aws:iam::111122223333:role/service-role/s3-repl"),
            None
        );
        assert_eq!(role_problem("arn:aws-cn:iam::111122223333:role/r"), None);
        assert!(role_problem("replication").is_some());
        assert!(role_problem("arn:aws:iam::111122223333:user/u").is_some());
        assert!(role_problem("arn:aws:iam:us-east-1:111122223333:role/r").is_some());
        assert!(role_problem("arn:aws:iam::1111:role/r").is_some());
        assert!(role_problem("arn:aws:iam::account-id:role/role-name")
            .is_some_and(|p| p.contains("placeholder")));
        assert!(role_problem("arn:aws:iam::111122223333:role/aws-service-role/x/y").is_some());
        assert!(role_problem("arn:aws:sts::111122223333:assumed-role/r/s").is_some());
        assert!(role_problem("arn:aws:iam::111122223333:role/").is_some());
        assert!(role_problem("arn:aws:iam::111122223333:role/bad name").is_some());
        assert!(role_problem(&format!(
            "arn:aws:iam::111122223333:role/{}",
            "a".repeat(65)
        ))
        .is_some());
    }

    #[test]
    fn region_partitions() {
        assert_eq!(partition_of_region("us-east-1"), Some("aws"));
        assert_eq!(partition_of_region("cn-north-1"), Some("aws-cn"));
        assert_eq!(partition_of_region("us-gov-west-1"), Some("aws-us-gov"));
        assert_eq!(partition_of_region("nonsense"), None);
    }

    /// The source owner from an account-regional `sourceBucket` name when `sourceAccount` is
    /// not given.
    #[test]
    fn role_account_against_an_account_regional_source_name() {
        let doc = r#"{"Role": "arn:aws:iam::111122223333:role/r", "Rules": [{"ID": "a",
            "Status": "Enabled", "Priority": 1, "Filter": {},
            "DeleteMarkerReplication": {"Status": "Disabled"},
            "Destination": {"Bucket": "arn:aws:s3:::dst"}}]}"#;
        let run = |ctx: &str| {
            let context = crate::DeploymentContext::from_json(ctx).unwrap();
            crate::check(
                doc,
                &crate::CheckOptions {
                    format: None,
                    context,
                },
            )
            .diagnostics
            .into_iter()
            .filter(|d| d.code == "S3R103")
            .map(|d| d.message)
            .collect::<Vec<_>>()
        };
        let m = run(r#"{"sourceBucket": "src-999999999999-us-east-1-an"}"#);
        assert!(
            m.len() == 1 && m[0].contains("account-regional `sourceBucket` name"),
            "{m:?}"
        );
        assert_eq!(
            run(r#"{"sourceBucket": "src-111122223333-us-east-1-an"}"#),
            Vec::<String>::new()
        );
    }
}
