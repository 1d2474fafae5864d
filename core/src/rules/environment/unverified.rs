//! S3R600: what could not be checked for lack of a deployment-context field.

use crate::diagnostic::Severity;
use crate::rules::{Confidence, RuleMeta};

pub static UNVERIFIED: RuleMeta = RuleMeta {
    code: "S3R600",
    name: "unverified-without-context",
    severity: Severity::Info,
    summary: "A check needed a deployment fact that was not given; names the context field that enables it",
    s3_error: None,
    confidence: Confidence::Inferred,
    docs: rule_docs!(r#"## What it does
Some checks need facts the configuration does not contain: the destination bucket's Region
(is the replica key in it?), its owner (does `Account` match?), the source bucket name, whether
S3 Bucket Keys are on, which keys encrypt source objects. When such a fact is missing, the
check reports nothing itself; instead one S3R600 note per missing field lists every check it
would enable (with their codes) and the context field to add, e.g.
`destinations.acme-replica.region`.

## Why it matters
Silence is not proof: "no Region error" without the Region means "not checked". Facts that
can be inferred (source account and partition from the Role ARN, the destination owner from
`Account`, account and Region from an account-regional bucket name) are used without asking.

## Example
```xml
<Destination>
  <Bucket>arn:aws:s3:::acme-replica</Bucket>
  <EncryptionConfiguration>
    <ReplicaKmsKeyID>arn:aws:kms:us-east-1:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0</ReplicaKmsKeyID>
  </EncryptionConfiguration>
</Destination>
```
Without a context this reports "Not verified: whether the replica key is in the destination
bucket's Region (S3R405)".

## Fix
Pass a deployment context, e.g.
`{"sourceBucket": "acme-data", "destinations": {"acme-replica": {"region": "us-west-2", "account": "111122223333"}}}`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html
"#),
    check: None,
};
