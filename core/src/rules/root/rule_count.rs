//! Rule count: at least one (S3R104), at most 1000 (S3R105).

use crate::rules::support::head;
use crate::rules::CheckContext;

/// S3's documented maximum number of rules in one configuration.
pub const MAX_RULES: usize = 1000;

declare_rule! {
    pub static NO_RULES {
        code: "S3R104",
        name: "no-rules",
        severity: Error,
        confidence: Observed,
        s3_error: "MalformedXML: The XML you provided was not well-formed or did not validate against our published schema",
        summary: "The configuration has an empty rule list",
        check: check_empty,
        docs: r#"## What it does
Flags `"Rules": []`. (A document with no `Rules` member or no `<Rule>` element at all is
reported as a missing required member, S3R003.)

## Why it matters
The AWS CLI accepts an empty list, but S3 answers `400 MalformedXML`. To stop replication,
delete the configuration (`delete-bucket-replication`) or disable its rules instead.
S3 answers `MalformedXML: The XML you provided was not well-formed or did not validate against our published schema`.

## Example
```json
{ "Role": "arn:aws:iam::111122223333:role/replication", "Rules": [] }
```

## Fix
Add at least one rule, or use `aws s3api delete-bucket-replication` to remove replication.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationConfiguration.html
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketReplication.html
"#,
    }
}

declare_rule! {
    pub static TOO_MANY_RULES {
        code: "S3R105",
        name: "too-many-rules",
        severity: Error,
        confidence: Documented,
        s3_error: "InvalidRequest (emulator wording: \"Number of defined replication rules cannot exceed 1000\")",
        summary: "More than 1000 rules",
        check: check_too_many,
        docs: r#"## What it does
Counts the rules and flags the 1001st.

## Why it matters
The API reference allows at most 1,000 rules per configuration. The message shown comes from
S3-compatible services; AWS's own text is not confirmed.

## Example
A configuration with 1,001 `<Rule>` elements.

## Fix
Merge rules that share a destination and settings: one rule can select a whole prefix, and
`And`/`Not` can combine conditions.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationConfiguration.html
"#,
    }
}

fn check_empty(cx: &mut CheckContext) {
    let doc = cx.doc;
    // Without a `Rules` member (or any `<Rule>`) the parser reports the missing member.
    let Some(rules) = doc.rules_meta.as_ref() else {
        return;
    };
    if !doc.rules.is_empty() {
        return;
    }
    cx.report(
        &NO_RULES,
        rules.value_span,
        "/Rules",
        "The rule list is empty; S3 refuses a configuration without rules (MalformedXML)",
    )
    .help = Some(
        "Add a rule, or remove replication with `aws s3api delete-bucket-replication`.".to_string(),
    );
}

fn check_too_many(cx: &mut CheckContext) {
    let doc = cx.doc;
    let n = doc.rules.len();
    let Some(extra) = doc.rules.get(MAX_RULES) else {
        return;
    };
    cx.report(
        &TOO_MANY_RULES,
        head(&extra.meta),
        format!("/Rules/{MAX_RULES}"),
        format!("The configuration has {n} rules; S3 allows at most 1000 (this is rule 1001)"),
    )
    .help = Some("Merge rules that share a destination and settings.".to_string());
}
