//! Codes of the policy audit (S3R700-S3R799), which `policy::audit` reports on the
//! policies a user pastes; no rule check reports them.

declare_rule! {
    pub static POLICY_INVALID {
        code: "S3R700",
        name: "policy-invalid",
        severity: Error,
        confidence: Documented,
        s3_error: "MalformedPolicyDocument",
        summary: "The policy text is not a valid IAM policy document (missing Statement, Effect, Action, Resource or Principal)",
        reported_by: Audit,
        docs: r#"## What it does
Checks the shape of a pasted policy: a JSON object with `Statement` (an object or an array of
objects); each statement with `Effect` `Allow` or `Deny`, exactly one of `Action`/`NotAction`,
`Resource`/`NotResource` in permissions policies and `Principal` in trust, key and bucket policies.
A `Resource` value must be an ARN or `*`: a bucket name (`!Ref Bucket` in CloudFormation) or
`"[arn:...]"` is refused ("Resource ... must be in ARN format or '*'").

## Why it matters
IAM, KMS and S3 refuse such documents with `MalformedPolicyDocument`, and the audit cannot tell
what the policy grants.

## Example
```json
{ "Version": "2012-10-17", "Statement": [ { "Action": "s3:ReplicateObject", "Resource": "arn:aws:s3:::dst/*" } ] }
```

## Fix
Add the missing element (here `"Effect": "Allow"`).

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
"#,
    }
}

declare_rule! {
    pub static TRUST_S3 {
        code: "S3R701",
        name: "trust-missing-s3",
        severity: Error,
        confidence: Documented,
        s3_error: "AssumeRoleNotPermitted",
        summary: "The role's trust policy does not let s3.amazonaws.com call sts:AssumeRole",
        reported_by: Audit,
        docs: r#"## What it does
Evaluates the trust policy for `sts:AssumeRole` by the service principal `s3.amazonaws.com`.
A statement that misses in one part only is named with that part, the value found and the one
needed (here the principal `ec2.amazonaws.com`), as in every permission check of the audit.

## Why it matters
S3 cannot assume the role: every object fails to replicate with `AssumeRoleNotPermitted`.

## Example
```json
{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Principal": { "Service": "ec2.amazonaws.com" }, "Action": "sts:AssumeRole" } ] }
```

## Fix
Allow `"Principal": { "Service": "s3.amazonaws.com" }` to `sts:AssumeRole`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-metrics-events.html
"#,
    }
}

declare_rule! {
    pub static SOURCE_BUCKET_ACCESS {
        code: "S3R702",
        name: "role-missing-source-bucket-access",
        severity: Error,
        confidence: Documented,
        summary: "The role lacks s3:GetReplicationConfiguration or s3:ListBucket on the source bucket ARN",
        reported_by: Audit,
        docs: r#"## What it does
Checks that the role may read the replication configuration and list the source bucket (the
bucket ARN, without `/*`).

## Why it matters
S3 reads the configuration as the role; AWS states that the current permissions model requires
`s3:ListBucket` to access delete markers.

## Example
```json
{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"], "Resource": "arn:aws:s3:::src/*" } ] }
```

## Fix
Grant both actions on `arn:aws:s3:::src` (the bucket ARN).

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
"#,
    }
}

declare_rule! {
    pub static GET_OBJECT_VERSION {
        code: "S3R703",
        name: "get-object-version-not-for-replication",
        severity: Error,
        confidence: Documented,
        summary: "The role grants s3:GetObjectVersion instead of s3:GetObjectVersionForReplication",
        reported_by: Audit,
        docs: r#"## What it does
Finds roles that can read source versions only through `s3:GetObjectVersion`. An error when a
rule replicates SSE-KMS objects, a warning otherwise.

## Why it matters
AWS: `s3:GetObjectVersion` allows replication of unencrypted and SSE-S3 objects but not of
SSE-KMS or DSSE-KMS objects; `s3:GetObjectVersionForReplication` covers all of them and grants
only what replication needs.

## Example
```json
{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": ["s3:GetObjectVersion", "s3:GetObjectVersionAcl"], "Resource": "arn:aws:s3:::src/*" } ] }
```

## Fix
Replace it with `s3:GetObjectVersionForReplication` (a quick fix is offered).

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
"#,
    }
}

declare_rule! {
    pub static SOURCE_OBJECT_READ {
        code: "S3R704",
        name: "role-missing-source-object-read",
        severity: Error,
        confidence: Documented,
        summary: "The role cannot read source object versions (s3:GetObjectVersionForReplication) under a rule's prefix",
        reported_by: Audit,
        docs: r#"## What it does
Checks `s3:GetObjectVersionForReplication` on every rule's source objects
(`arn:aws:s3:::src/<prefix>*`), honouring wildcards, `NotAction`, `NotResource` and explicit
denies.

## Why it matters
Without it S3 cannot read the objects to copy; they end in replication status `FAILED`.

## Example
```json
{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "s3:GetObjectVersionForReplication", "Resource": "arn:aws:s3:::src/other/*" } ] }
```

## Fix
Grant it on `arn:aws:s3:::src/<prefix>*` for every rule (or `src/*`).

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
"#,
    }
}

declare_rule! {
    pub static SOURCE_ACL_READ {
        code: "S3R705",
        name: "role-missing-acl-read",
        severity: Warning,
        confidence: Inferred,
        summary: "The role lacks s3:GetObjectVersionAcl on a rule's source objects",
        reported_by: Audit,
        docs: r#"## What it does
Checks `s3:GetObjectVersionAcl` on every rule's source objects.

## Why it matters
AWS lists it in the minimum replication role so that S3 can replicate the version's ACL. How S3
fails without it is not documented (hence a warning).

## Example
```json
{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "s3:GetObjectVersionForReplication", "Resource": "arn:aws:s3:::src/*" } ] }
```

## Fix
Add `s3:GetObjectVersionAcl` next to `s3:GetObjectVersionForReplication`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
"#,
    }
}

declare_rule! {
    pub static SOURCE_TAGGING_READ {
        code: "S3R706",
        name: "role-missing-tagging-read",
        severity: Warning,
        confidence: Documented,
        summary: "The role lacks s3:GetObjectVersionTagging: objects replicate without their tags",
        reported_by: Audit,
        docs: r#"## What it does
Checks `s3:GetObjectVersionTagging` on every rule's source objects.

## Why it matters
AWS: without it S3 replicates the objects but not their tags. The 2018 documentation's policy
did not have it.

## Example
```json
{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl"], "Resource": "arn:aws:s3:::src/*" } ] }
```

## Fix
Add `s3:GetObjectVersionTagging`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
"#,
    }
}

declare_rule! {
    pub static REPLICATE_OBJECT {
        code: "S3R707",
        name: "role-missing-replicate-object",
        severity: Error,
        confidence: Documented,
        s3_error: "AccessDenied",
        summary: "The role lacks s3:ReplicateObject on a rule's destination objects",
        reported_by: Audit,
        docs: r#"## What it does
Checks `s3:ReplicateObject` on `arn:aws:s3:::<destination>/<prefix>*` for every rule.
When the destination is in the role's own account and its bucket policy is given too, a
grant to the role there counts (IAM allows what either policy allows); the same holds for
S3R708-S3R710.

## Why it matters
S3 writes replicas with this permission; without it every object of the rule fails.

## Example
```json
{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "s3:ReplicateObject", "Resource": "arn:aws:s3:::other-bucket/*" } ] }
```

## Fix
Grant `s3:ReplicateObject` (with `s3:ReplicateDelete` and `s3:ReplicateTags`) on each
destination bucket's objects.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
"#,
    }
}

declare_rule! {
    pub static REPLICATE_DELETE {
        code: "S3R708",
        name: "role-missing-replicate-delete",
        severity: Error,
        confidence: Documented,
        s3_error: "DstDelObjNotPermitted",
        summary: "A rule replicates delete markers but the role lacks s3:ReplicateDelete",
        reported_by: Audit,
        docs: r#"## What it does
For V1 rules (which always replicate delete markers) and V2 rules with
`DeleteMarkerReplication` `Enabled`, checks `s3:ReplicateDelete` on the destination objects.

## Why it matters
Delete markers fail with `DstDelObjNotPermitted`.

## Example
```json
{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": ["s3:ReplicateObject", "s3:ReplicateTags"], "Resource": "arn:aws:s3:::dst/*" } ] }
```

## Fix
Add `s3:ReplicateDelete` to the destination statement.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-troubleshoot.html
"#,
    }
}

declare_rule! {
    pub static REPLICATE_TAGS {
        code: "S3R709",
        name: "role-missing-replicate-tags",
        severity: Warning,
        confidence: Documented,
        summary: "The role lacks s3:ReplicateTags on a rule's destination objects",
        reported_by: Audit,
        docs: r#"## What it does
Checks `s3:ReplicateTags` on the destination objects.

## Why it matters
AWS's policies, the AWS CDK and Terraform grant it so that tags (and tag changes) replicate;
AWS also says `s3:ReplicateObject` alone carries the tags of new objects, hence a warning.

## Example
```json
{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": ["s3:ReplicateObject", "s3:ReplicateDelete"], "Resource": "arn:aws:s3:::dst/*" } ] }
```

## Fix
Add `s3:ReplicateTags`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
"#,
    }
}

declare_rule! {
    pub static OWNER_OVERRIDE {
        code: "S3R710",
        name: "role-missing-owner-override",
        severity: Error,
        confidence: Documented,
        summary: "A rule uses AccessControlTranslation but the role lacks s3:ObjectOwnerOverrideToBucketOwner",
        reported_by: Audit,
        docs: r#"## What it does
For rules with `AccessControlTranslation` `Owner` `Destination`, checks
`s3:ObjectOwnerOverrideToBucketOwner` on the destination objects.

## Why it matters
S3 needs it (in the role and in the destination bucket policy) to hand replica ownership to the
destination owner; replication of the rule's objects fails without it.

## Example
```json
{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], "Resource": "arn:aws:s3:::dst/*" } ] }
```

## Fix
Add `s3:ObjectOwnerOverrideToBucketOwner` to the destination statement.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-change-owner.html
"#,
    }
}

declare_rule! {
    pub static SOURCE_KEY_DECRYPT {
        code: "S3R711",
        name: "role-missing-source-key-decrypt",
        severity: Error,
        confidence: Documented,
        summary: "A rule replicates SSE-KMS objects but the role cannot kms:Decrypt with the source key",
        reported_by: Audit,
        docs: r#"## What it does
For rules with `SseKmsEncryptedObjects` `Enabled`, evaluates `kms:Decrypt` on each source key
with the request S3 makes: `kms:ViaService` = `s3.<source Region>.amazonaws.com` and
`kms:EncryptionContext:aws:s3:arn` = the object ARN (the bucket ARN with S3 Bucket Keys).

## Why it matters
S3 cannot decrypt the source objects, so SSE-KMS objects are not replicated.

## Example
```json
{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "kms:Encrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" } ] }
```

## Fix
Grant `kms:Decrypt` on the source key ARN with the conditions above (see the generated policy).

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
"#,
    }
}

declare_rule! {
    pub static REPLICA_KEY_ENCRYPT {
        code: "S3R712",
        name: "role-missing-replica-key-encrypt",
        severity: Error,
        confidence: Documented,
        s3_error: "DstKmsKeyNotFound",
        summary: "A rule replicates SSE-KMS objects but the role cannot kms:Encrypt with the replica key",
        reported_by: Audit,
        docs: r#"## What it does
Evaluates `kms:Encrypt` on the rule's `ReplicaKmsKeyID` with `kms:ViaService` =
`s3.<destination Region>.amazonaws.com` and the destination encryption context.

## Why it matters
S3 cannot encrypt the replicas; the objects fail and S3 reports a destination KMS failure.

## Example
```json
{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-west-2:444455556666:key/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d" } ] }
```

## Fix
Grant `kms:Encrypt` on the replica key ARN (and, across accounts, in its key policy too).

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-troubleshoot.html
"#,
    }
}

declare_rule! {
    pub static REPLICA_KEY_EXTRA {
        code: "S3R713",
        name: "role-missing-replica-key-extra",
        severity: Warning,
        confidence: Documented,
        summary: "The role lacks kms:GenerateDataKey (SSE-KMS default encryption) or kms:Decrypt (Bucket Keys) on the replica key",
        reported_by: Audit,
        docs: r#"## What it does
Checks `kms:GenerateDataKey` on the replica key unless the destination's default encryption is
known to be SSE-S3, and `kms:Decrypt` when the destination is known to use S3 Bucket Keys.

## Why it matters
AWS: when objects stored unencrypted at the source are replicated to a destination whose
default encryption is SSE-KMS, the role needs `kms:GenerateDataKey` (objects encrypted at the
source keep their own encryption); with Bucket Keys S3 must also decrypt the bucket key.

## Example
```json
{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "kms:Encrypt", "Resource": "arn:aws:kms:us-west-2:111122223333:key/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d" } ] }
```

## Fix
Add the action to the replica key statement.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
"#,
    }
}

declare_rule! {
    pub static KMS_VIA_SERVICE {
        code: "S3R714",
        name: "kms-via-service-region",
        severity: Error,
        confidence: Documented,
        summary: "kms:ViaService names another Region than the key's bucket (source key: source Region, replica key: destination Region)",
        reported_by: Audit,
        docs: r#"## What it does
Finds KMS statements that would allow the request except for their `kms:ViaService` value.

## Why it matters
S3 calls KMS through the S3 endpoint of the key's Region: the source key through the source
Region, the replica key through the destination Region. A swapped or mistyped Region makes the
statement never apply.

## Example
```json
{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  "Condition": { "StringLike": { "kms:ViaService": "s3.us-west-2.amazonaws.com" } } } ] }
```

## Fix
Use `s3.<key Region>.amazonaws.com`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
- https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
"#,
    }
}

declare_rule! {
    pub static KMS_CONTEXT {
        code: "S3R715",
        name: "kms-encryption-context",
        severity: Error,
        confidence: Documented,
        summary: "kms:EncryptionContext:aws:s3:arn does not match what S3 sends (object ARN, or the bucket ARN with S3 Bucket Keys)",
        reported_by: Audit,
        docs: r#"## What it does
Finds KMS statements whose `kms:EncryptionContext:aws:s3:arn` condition does not cover the
rule's objects, or lists object ARNs while the bucket uses S3 Bucket Keys (S3 then sends the
bucket ARN). When the Bucket Key setting is unknown and the condition covers only one form, it
warns.

## Why it matters
With S3 Bucket Keys, AWS says you must update IAM policies to use the bucket ARN; the 2018
documentation's object-ARN condition then silently stops replication of SSE-KMS objects.

## Example
```json
{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  "Condition": { "StringLike": { "kms:ViaService": "s3.us-east-1.amazonaws.com", "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::src/logs/*" } } } ] }
```

## Fix
Use the bucket ARN with Bucket Keys, the object ARN pattern without; list both when unsure.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
"#,
    }
}

declare_rule! {
    pub static OBJECT_LOCK_READ {
        code: "S3R716",
        name: "role-missing-object-lock-read",
        severity: Error,
        confidence: Documented,
        summary: "The source bucket uses Object Lock but the role lacks s3:GetObjectRetention / s3:GetObjectLegalHold",
        reported_by: Audit,
        docs: r#"## What it does
When the deployment context says the source bucket uses Object Lock, checks both actions on the
source objects.

## Why it matters
AWS requires them (an `s3:Get*` grant also satisfies it) to replicate locked objects.

## Example
```json
{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "s3:GetObjectVersionForReplication", "Resource": "arn:aws:s3:::src/*" } ] }
```

## Fix
Add `s3:GetObjectRetention` and `s3:GetObjectLegalHold` on the source objects.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html
"#,
    }
}

declare_rule! {
    pub static BROAD_ACTION {
        code: "S3R720",
        name: "policy-broad-action",
        severity: Warning,
        confidence: Inferred,
        summary: "An Allow grants a whole service (`s3:*`, `kms:*`, `*`) or uses NotAction",
        reported_by: Audit,
        docs: r#"## What it does
Flags service-wide action wildcards and `Allow` + `NotAction` in the replication role and the
destination bucket policy.

## Why it matters
Replication needs a handful of actions; a compromised or misused role with `s3:*` can read,
overwrite and delete any object it can reach.

## Example
```json
{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::src/*" } ] }
```

## Fix
List the replication actions (see the generated role policy).

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
"#,
    }
}

declare_rule! {
    pub static BROAD_RESOURCE {
        code: "S3R721",
        name: "policy-broad-resource",
        severity: Warning,
        confidence: Inferred,
        summary: "S3 or KMS actions on `Resource: *` (or every bucket), or a bucket policy grant to every principal",
        reported_by: Audit,
        docs: r#"## What it does
Flags `"Resource": "*"` and `arn:aws:s3:::*` on statements with S3 or KMS actions in the role
policy, and unconditional grants to `*` in the destination bucket policy.

## Why it matters
The role then reaches every bucket and key of the account, not only the replication pair.

## Example
```json
{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": ["s3:ReplicateObject", "s3:ReplicateDelete"], "Resource": "*" } ] }
```

## Fix
Scope resources to the source and destination buckets (per rule prefix) and to key ARNs.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
"#,
    }
}

declare_rule! {
    pub static UNKNOWN_ACTION {
        code: "S3R722",
        name: "policy-unknown-action",
        severity: Warning,
        confidence: Documented,
        summary: "An action that does not exist, a near miss of a real one (`s3:ReplicationTags` for `s3:ReplicateTags`)",
        reported_by: Audit,
        docs: r#"## What it does
Compares every `s3:`, `kms:` and `sts:` action with the actions IAM defines and reports names
that are a few letters away from a real one, with the action that was probably meant. Names
with wildcards, other services, and names far from every known action (perhaps newer than
this tool's list) are left alone.

## Why it matters
IAM accepts an identity policy naming an action that does not exist; the statement then
grants nothing, and replication fails on the permission it was meant to give (S3 bucket
policies refuse such an action outright). The failure shows up only as objects in `FAILED`
state.

## Example
```json
{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": ["s3:ReplicateObject", "s3:ReplicationTags"], "Resource": "arn:aws:s3:::dst/*" } ] }
```

## Fix
Correct the spelling (here `s3:ReplicateTags`). Action names are not case-sensitive.

## References
- https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
- https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_policies.html
"#,
    }
}

declare_rule! {
    pub static BUCKET_POLICY_GRANT {
        code: "S3R730",
        name: "bucket-policy-missing-grant",
        severity: Error,
        confidence: Documented,
        s3_error: "AccessDenied / DstDelObjNotPermitted",
        summary: "The cross-account destination bucket policy does not let the replication role replicate (ReplicateObject / ReplicateDelete)",
        reported_by: Audit,
        docs: r#"## What it does
When the destination is owned by another account, evaluates the destination bucket policy for
the replication role (its ARN, its account ID or `arn:aws:iam::<account>:root`).

## Why it matters
Across accounts both the role policy and the destination bucket policy must allow the writes;
otherwise replicas (or delete markers) fail.

## Example
```json
{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111122223333:role/other" }, "Action": "s3:ReplicateObject", "Resource": "arn:aws:s3:::dst/*" } ] }
```

## Fix
Grant the replication role `s3:ReplicateObject` and `s3:ReplicateDelete` on the destination objects.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
"#,
    }
}

declare_rule! {
    pub static BUCKET_POLICY_OWNER_OVERRIDE {
        code: "S3R731",
        name: "bucket-policy-missing-owner-override",
        severity: Error,
        confidence: Documented,
        summary: "A rule changes replica ownership but the destination bucket policy lacks s3:ObjectOwnerOverrideToBucketOwner",
        reported_by: Audit,
        docs: r#"## What it does
For rules with `AccessControlTranslation`, evaluates the destination bucket policy for
`s3:ObjectOwnerOverrideToBucketOwner` granted to the source account (or the role).

## Why it matters
AWS requires the destination owner to grant it; without it replicas cannot change owner.

## Example
```json
{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111122223333:role/r" }, "Action": ["s3:ReplicateObject", "s3:ReplicateDelete"], "Resource": "arn:aws:s3:::dst/*" } ] }
```

## Fix
Add a statement allowing the source account `s3:ObjectOwnerOverrideToBucketOwner` on the
destination objects, or set Object Ownership to BucketOwnerEnforced on the destination.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-change-owner.html
"#,
    }
}

declare_rule! {
    pub static KEY_POLICY_GRANT {
        code: "S3R732",
        name: "key-policy-missing-grant",
        severity: Error,
        confidence: Documented,
        s3_error: "DstKmsKeyNotFound",
        summary: "A key owned by another account does not let the replication role use it (Encrypt on a replica key, Decrypt on a source key)",
        reported_by: Audit,
        docs: r#"## What it does
Evaluates the given key policies for the replication role: `kms:Encrypt` on replica keys owned
by another account, `kms:Decrypt` on source keys owned by another account. A statement for an
account's root (`arn:aws:iam::<account>:root`, `Resource` `*`) delegates to that account's IAM
policies: for the role's own account it is enough here (the role's policy must then allow the
action, S3R711/S3R712); for the key owner's account it grants the role nothing, and the finding
names that principal.

## Why it matters
AWS: the KMS key owner must grant the source bucket owner permission to use the key; the role's
own policy is not enough across accounts. AWS managed keys cannot be shared at all.

## Example
```json
{ "Version": "2012-10-17", "Statement": [ { "Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::444455556666:root" }, "Action": "kms:*", "Resource": "*" } ] }
```

## Fix
Add the generated key policy statement in the key owner's account.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
- https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
"#,
    }
}

declare_rule! {
    pub static BATCH_INITIATE {
        code: "S3R740",
        name: "batch-missing-initiate-replication",
        severity: Error,
        confidence: Documented,
        summary: "Batch Replication is planned but the role lacks s3:InitiateReplication on the source objects",
        reported_by: Audit,
        docs: r#"## What it does
When the deployment context sets `batchReplication`, checks `s3:InitiateReplication` on the
rules' source objects.

## Why it matters
Batch Replication jobs (existing objects, re-replication of failed ones) fail without it.

## Example
```json
{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "s3:GetObjectVersionForReplication", "Resource": "arn:aws:s3:::src/*" } ] }
```

## Fix
Add the generated Batch Replication policy to the role.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-batch-replication-batch.html
"#,
    }
}

declare_rule! {
    pub static TRUST_BATCH {
        code: "S3R741",
        name: "trust-missing-batch-principal",
        severity: Error,
        confidence: Documented,
        summary: "Batch Replication is planned but the trust policy does not allow batchoperations.s3.amazonaws.com",
        reported_by: Audit,
        docs: r#"## What it does
When `batchReplication` is set, evaluates the trust policy for `sts:AssumeRole` by
`batchoperations.s3.amazonaws.com`.

## Why it matters
S3 Batch Operations cannot assume the role, so Batch Replication jobs fail.

## Example
```json
{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Principal": { "Service": "s3.amazonaws.com" }, "Action": "sts:AssumeRole" } ] }
```

## Fix
Use `"Service": ["s3.amazonaws.com", "batchoperations.s3.amazonaws.com"]`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
"#,
    }
}

declare_rule! {
    pub static BATCH_INVENTORY {
        code: "S3R742",
        name: "batch-missing-inventory",
        severity: Warning,
        confidence: Documented,
        summary: "Batch Replication with an S3-generated manifest needs s3:PutInventoryConfiguration on the source bucket",
        reported_by: Audit,
        docs: r#"## What it does
When `batchReplication` is set, checks `s3:PutInventoryConfiguration` on the source bucket ARN.

## Why it matters
Jobs that let S3 generate the manifest fail without it; jobs with your own manifest do not
need it (hence a warning).

## Example
```json
{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "s3:InitiateReplication", "Resource": "arn:aws:s3:::src/*" } ] }
```

## Fix
Grant it on `arn:aws:s3:::src`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-batch-replication-batch.html
"#,
    }
}
