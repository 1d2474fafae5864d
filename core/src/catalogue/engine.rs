//! Codes the engine reports about the run itself: S3R600 (what could not be checked for lack
//! of a deployment-context field) and S3R098 (findings beyond the cap, not shown).

declare_rule! {
    pub static UNVERIFIED {
        code: "S3R600",
        name: "unverified-without-context",
        severity: Info,
        confidence: Inferred,
        summary: "A check needed a deployment fact that was not given; names the context field that enables it",
        reported_by: Engine,
        docs: r#"## What it does
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
"#,
    }
}

declare_rule! {
    pub static NOT_SHOWN {
        code: "S3R098",
        name: "diagnostics-not-shown",
        severity: Info,
        confidence: Inferred,
        summary: "More diagnostics were found than are shown; the first 500 by position are listed",
        reported_by: Engine,
        docs: r#"## What it does
Reports, as the last diagnostic, how many findings were left out when a document has more than
500. The 500 shown are the first by position (then severity and code), so fixing them from the
top and checking again shows the next ones.

## Why it matters
A document with thousands of findings is usually one mistake repeated (a wrong bucket in every
rule, a CloudFormation spelling throughout); listing all of them would bury it and slow the
editor down.

## Example
A generated document with 1,000 rules whose every `Destination` lacks a `Bucket`.

## Fix
Fix the first findings (often one repeated mistake) and check again.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketReplication.html
"#,
    }
}
