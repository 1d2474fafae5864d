//! The form and owner of `ReplicaKmsKeyID` (S3R403, S3R404, S3R406, S3R407, S3R414).

use super::{cross_account, FAILS};
use crate::arn::{is_account_id, looks_like_region, KmsKeyRef};
use crate::diagnostic::Severity;
use crate::model::Rule;
use crate::rules::support::facts::{destination_owner, source_account};
use crate::rules::support::fixes::set_value_fix;
use crate::rules::support::labels::fact;
use crate::rules::{CheckContext, ReplicaKey, RulePath};
use crate::source::Span;

declare_rule! {
    pub static NOT_ARN {
        code: "S3R403",
        name: "replica-key-not-arn",
        severity: Warning,
        confidence: Documented,
        summary: "ReplicaKmsKeyID is a bare key ID or alias name instead of an ARN",
        check: check_not_arn,
        docs: r#"## What it does
Reports a `ReplicaKmsKeyID` written as a bare key ID (`1234abcd-...`, `mrk-...`) or alias name
(`alias/replica`). It is an error when the destination is owned by another account. When the
destination Region and the (same) account are known, a fix writes the full key ARN.

## Why it matters
A bare ID or alias "resolves the key within the requester's account": the source account,
never the destination owner's. It also hides the key's Region, so nobody can check that the
key is in the destination Region. PutBucketReplication does not validate keys, so a wrong key
only shows as failed replication (`DstKmsKeyNotFound`).

## Example
```xml
<EncryptionConfiguration><ReplicaKmsKeyID>1234abcd-12ab-34cd-56ef-1234567890ab</ReplicaKmsKeyID></EncryptionConfiguration>
```

## Fix
`arn:aws:kms:us-west-2:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab` (the key's
Region and owner).

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_EncryptionConfiguration.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
"#,
    }
}

declare_rule! {
    pub static INVALID {
        code: "S3R404",
        name: "replica-key-invalid",
        severity: Error,
        confidence: Documented,
        summary: "ReplicaKmsKeyID is not a KMS key ID, key ARN or alias ARN",
        check: check_invalid,
        docs: r#"## What it does
Checks the shape of `ReplicaKmsKeyID`: a KMS key ARN (`arn:<partition>:kms:<region>:<12-digit
account>:key/<key id>`), an alias ARN (`...:alias/<name>`), or a bare key ID/alias. Reports
other services' ARNs, malformed key IDs, Regions or accounts, placeholder text, and a partition
other than the Role's.

## Why it matters
S3 does not validate the key when you save the configuration: it answers 200 OK, and then
every SSE-KMS object fails to replicate.

## Example
```xml
<ReplicaKmsKeyID>The AWS KMS key ID (S3 can use to encrypt object replicas).</ReplicaKmsKeyID>
```

## Fix
Copy the key ARN from the KMS console (Key ARN field) of a key in the destination Region.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
- https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id
"#,
    }
}

declare_rule! {
    pub static AWS_MANAGED {
        code: "S3R406",
        name: "replica-key-aws-managed",
        severity: Error,
        confidence: Documented,
        summary: "The AWS managed key aws/s3 as replica key (fails cross-account)",
        check: check_aws_managed,
        docs: r#"## What it does
Reports `alias/aws/s3` (bare or as an alias ARN) as `ReplicaKmsKeyID`: an error when the
source, the destination owner or the alias's account differ, a warning otherwise.

## Why it matters
AWS managed keys cannot be used across accounts, so cross-account replication with aws/s3
fails although S3 accepts the configuration. Same-account it works, but you cannot edit the
key policy, which limits later changes.

## Example
```xml
<Destination>
  <Bucket>arn:aws:s3:::acme-replica</Bucket>
  <Account>444455556666</Account>
  <EncryptionConfiguration><ReplicaKmsKeyID>arn:aws:kms:us-west-2:111122223333:alias/aws/s3</ReplicaKmsKeyID></EncryptionConfiguration>
</Destination>
```

## Fix
Create a customer managed key in the destination account and Region, grant the replication
role `kms:Encrypt` in its key policy, and use its key ARN.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
- https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-cmk
"#,
    }
}

declare_rule! {
    pub static OTHER_ACCOUNT {
        code: "S3R407",
        name: "replica-key-other-account",
        severity: Warning,
        confidence: Inferred,
        summary: "The replica key belongs to an account other than the destination bucket owner",
        check: check_other_account,
        docs: r#"## What it does
Compares the account in the replica key ARN with the destination bucket owner (context,
`Account`, or an account-regional bucket name).

## Why it matters
The replicas are then protected by a key the destination owner cannot manage: if the key's
owner disables it or changes its policy, the destination loses access to its data. The key
policy must also grant the replication role `kms:Encrypt` across accounts.

## Example
```xml
<Destination>
  <Bucket>arn:aws:s3:::acme-replica</Bucket>
  <Account>444455556666</Account>
  <EncryptionConfiguration><ReplicaKmsKeyID>arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab</ReplicaKmsKeyID></EncryptionConfiguration>
</Destination>
```

## Fix
Use a key owned by the destination account, whose key policy lets the replication role use it.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
"#,
    }
}

declare_rule! {
    pub static ALIAS_ARN {
        code: "S3R414",
        name: "replica-key-alias-arn",
        severity: Info,
        confidence: Documented,
        summary: "ReplicaKmsKeyID is an alias ARN: the key can change when the alias is repointed",
        check: check_alias_arn,
        docs: r#"## What it does
Notes a `ReplicaKmsKeyID` given as an alias ARN (other than aws/s3).

## Why it matters
Repointing the alias silently changes the key used for new replicas. Policies that grant the
replication role `kms:Encrypt` must name the key ARN (or use `kms:ResourceAliases`): an alias
ARN in a policy's `Resource` does not grant use of the key.

## Example
```xml
<ReplicaKmsKeyID>arn:aws:kms:us-west-2:444455556666:alias/replica</ReplicaKmsKeyID>
```

## Fix
Nothing, if intended; otherwise use the key ARN.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_EncryptionConfiguration.html
- https://docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html
"#,
    }
}

/// `1234abcd-12ab-34cd-56ef-1234567890ab` or `mrk-` + 32 hex digits.
pub fn looks_like_key_id(s: &str) -> bool {
    let hex = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit());
    if let Some(rest) = s.strip_prefix("mrk-") {
        return rest.len() == 32 && hex(rest);
    }
    s.len() == 36
        && s.split('-').count() == 5
        && s.split('-')
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && hex(p))
}

fn alias_name_ok(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 256
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'/' | b'_' | b'-'))
}

fn check_not_arn(cx: &mut CheckContext) {
    let src = cx.text;
    for n in 0..cx.facts.replica_keys.len() {
        let ReplicaKey {
            rule: i,
            key,
            parsed: r,
        } = cx.replica_key(n);
        let path = cx.facts.replica_keys[n].path();
        let (what, resource) = match r {
            KmsKeyRef::BareKeyId(id) if looks_like_key_id(id) => {
                ("a bare key ID", format!("key/{id}"))
            }
            KmsKeyRef::BareAlias(a) if a != "aws/s3" && alias_name_ok(a) => {
                ("an alias name", format!("alias/{a}"))
            }
            _ => continue,
        };
        let rule = &cx.doc.rules[i];
        let cross = cross_account(cx, rule, i);
        let owner = destination_owner(cx, rule, i);
        let region = cx.destination_region(i);
        let partition = cx.ctx.partition_or_default().to_string();
        let d = if cross == Some(true) {
            let owner = owner.as_ref().map_or(String::new(), fact);
            let d = cx.report(
                &NOT_ARN,
                key.span(),
                path,
                format!(
                    "{FAILS}: ReplicaKmsKeyID is {what}, which resolves in the source account, but the destination is owned by {owner}"
                ),
            );
            d.severity = Severity::Error;
            d
        } else {
            cx.report(
                &NOT_ARN,
                key.span(),
                path,
                format!("ReplicaKmsKeyID is {what}; use the key ARN so its Region and owner are explicit"),
            )
        };
        d.help = Some("A bare ID or alias resolves in the requester's (source) account; write arn:<partition>:kms:<destination Region>:<key owner>:key/<id>.".into());
        if let (Some(false), Some(region), Some(owner)) = (cross, region, owner) {
            let arn = format!(
                "arn:{partition}:kms:{}:{}:{resource}",
                region.value, owner.value
            );
            set_value_fix(
                d,
                src,
                key.span(),
                &arn,
                format!(
                    "Use `{arn}` (the destination Region {}, {})",
                    region.value,
                    region.source.describe()
                ),
            );
        }
    }
}

fn invalid_reason(r: &KmsKeyRef, partition: Option<&str>) -> Option<String> {
    let arn_fields = |region: &str, account: &str, p: &str| -> Option<String> {
        if !looks_like_region(region) {
            return Some(format!("the Region field `{region}` is not a Region"));
        }
        if !is_account_id(account) {
            return Some(format!(
                "the account field `{account}` is not a 12-digit account ID"
            ));
        }
        if let Some(expected) = partition {
            if p != expected {
                return Some(format!(
                    "the key is in partition `{p}` but the replication runs in `{expected}`"
                ));
            }
        }
        None
    };
    match r {
        KmsKeyRef::Invalid(why) => Some(format!("ReplicaKmsKeyID {why}")),
        KmsKeyRef::BareKeyId(id) if !looks_like_key_id(id) => {
            Some("ReplicaKmsKeyID is not a key ID, key ARN or alias ARN".to_string())
        }
        KmsKeyRef::BareAlias(a) if !alias_name_ok(a) => {
            Some("the alias name has characters KMS does not allow".to_string())
        }
        KmsKeyRef::KeyArn { arn, key_id } => {
            if !looks_like_key_id(key_id) {
                return Some(format!("`{key_id}` is not a KMS key ID"));
            }
            arn_fields(arn.region, arn.account, arn.partition)
        }
        KmsKeyRef::AliasArn { arn, alias } => {
            if !alias_name_ok(alias) {
                return Some("the alias name has characters KMS does not allow".to_string());
            }
            arn_fields(arn.region, arn.account, arn.partition)
        }
        _ => None,
    }
}

fn check_invalid(cx: &mut CheckContext) {
    let partition = cx.ctx.partition.as_ref().map(|p| p.value.clone());
    for n in 0..cx.facts.replica_keys.len() {
        let rk = cx.replica_key(n);
        if let Some(why) = invalid_reason(&rk.parsed, partition.as_deref()) {
            let d = cx.report(
                &INVALID,
                rk.key.span(),
                rk.path(),
                format!("{FAILS}: {why}"),
            );
            d.help = Some("Use the key ARN of a symmetric customer managed key in the destination bucket's Region.".into());
        }
    }
}

fn check_aws_managed(cx: &mut CheckContext) {
    for n in 0..cx.facts.replica_keys.len() {
        let ReplicaKey {
            rule: i,
            key,
            parsed: r,
        } = cx.replica_key(n);
        if !r.is_aws_managed_s3_alias() {
            continue;
        }
        let path = RulePath::new(i, "/Destination/EncryptionConfiguration/ReplicaKmsKeyID");
        let rule = &cx.doc.rules[i];
        let src = source_account(cx);
        let owner = destination_owner(cx, rule, i);
        let key_account = r
            .arn()
            .map(|a| a.account)
            .filter(|a| crate::arn::is_known_account(a))
            .map(str::to_string);
        let mut accounts: Vec<String> = Vec::new();
        let candidates = [
            src.as_ref().map(|f| f.value.clone()),
            owner.as_ref().map(|f| f.value.clone()),
            key_account,
        ];
        for a in candidates.into_iter().flatten() {
            if !accounts.contains(&a) {
                accounts.push(a);
            }
        }
        if accounts.len() > 1 {
            let d = cx.report(
                &AWS_MANAGED,
                key.span(),
                path,
                format!(
                    "{FAILS}: the AWS managed key aws/s3 cannot be used across accounts (accounts involved: {})",
                    accounts.join(", ")
                ),
            );
            d.help = Some("Use a customer managed key owned by the destination account.".into());
        } else {
            let d = cx.report(
                &AWS_MANAGED,
                key.span(),
                path,
                "The AWS managed key aws/s3 encrypts the replicas; its key policy cannot be changed and it can never serve cross-account replication",
            );
            d.severity = Severity::Warning;
            d.help = Some("Prefer a customer managed key in the destination Region.".into());
            if owner.is_none() {
                unverified_owner(
                    cx,
                    &AWS_MANAGED,
                    rule,
                    "whether the aws/s3 replica key is used across accounts",
                    key.span(),
                    path,
                );
            }
        }
    }
}

/// Note that `what` needs the owner of `rule`'s destination bucket, which is not known.
fn unverified_owner(
    cx: &mut CheckContext,
    meta: &'static crate::catalogue::RuleMeta,
    rule: &Rule,
    what: &'static str,
    span: Span,
    path: RulePath,
) {
    let bucket = rule.destination_bucket().unwrap_or("");
    cx.unverified_destination(meta, bucket, "account", what, span, path);
}

fn check_other_account(cx: &mut CheckContext) {
    for n in 0..cx.facts.replica_keys.len() {
        let ReplicaKey {
            rule: i,
            key,
            parsed: r,
        } = cx.replica_key(n);
        if r.is_aws_managed_s3_alias() {
            continue;
        }
        let Some(key_account) = r
            .arn()
            .map(|a| a.account)
            .filter(|a| crate::arn::is_known_account(a))
        else {
            continue;
        };
        let path = RulePath::new(i, "/Destination/EncryptionConfiguration/ReplicaKmsKeyID");
        let rule = &cx.doc.rules[i];
        match destination_owner(cx, rule, i) {
            Some(owner) if owner.value != key_account => {
                let d = cx.report(
                    &OTHER_ACCOUNT,
                    key.span(),
                    path,
                    format!(
                        "The replica key belongs to account {key_account}, but the destination bucket is owned by {}: the destination owner cannot manage the key that protects its replicas",
                        fact(&owner)
                    ),
                );
                d.help = Some(format!(
                    "Use a key owned by {}; otherwise the key policy in {key_account} must grant the replication role kms:Encrypt.",
                    owner.value
                ));
            }
            Some(_) => {}
            None => {
                unverified_owner(
                    cx,
                    &OTHER_ACCOUNT,
                    rule,
                    "whether the replica key's account owns the destination bucket",
                    key.span(),
                    path,
                );
            }
        }
    }
}

fn check_alias_arn(cx: &mut CheckContext) {
    for n in 0..cx.facts.replica_keys.len() {
        let rk = cx.replica_key(n);
        let (key, path) = (rk.key, rk.path());
        if let KmsKeyRef::AliasArn { alias, .. } = rk.parsed {
            if alias == "aws/s3" || !alias_name_ok(alias) {
                continue;
            }
            let d = cx.report(
                &ALIAS_ARN,
                key.span(),
                path,
                format!("ReplicaKmsKeyID is the alias `alias/{alias}`: repointing the alias changes the key for new replicas"),
            );
            d.help = Some("Policies granting kms:Encrypt must name the key ARN (or use kms:ResourceAliases), not the alias ARN.".into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids() {
        assert!(looks_like_key_id("1234abcd-12ab-34cd-56ef-1234567890ab"));
        assert!(looks_like_key_id("mrk-1234abcd12ab34cd56ef1234567890ab"));
        assert!(!looks_like_key_id("mrk-1"));
        assert!(!looks_like_key_id("The AWS KMS key ID"));
        assert!(!looks_like_key_id(""));
    }

    #[test]
    fn reasons() {
        let ok = KmsKeyRef::parse(
            "arn:aws:kms:us-west-2:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        );
        assert_eq!(invalid_reason(&ok, Some("aws")), None);
        assert!(invalid_reason(&ok, Some("aws-cn")).is_some());
        let bad_region = KmsKeyRef::parse(
            "arn:aws:kms:uswest2:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        );
        assert!(invalid_reason(&bad_region, None).is_some());
        assert!(invalid_reason(&KmsKeyRef::parse("arn:aws:s3:::bucket"), None).is_some());
        assert!(invalid_reason(&KmsKeyRef::parse("alias/ok_name"), None).is_none());
        assert!(invalid_reason(&KmsKeyRef::parse("not a key"), None).is_some());
    }
}
