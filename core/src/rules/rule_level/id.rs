//! Rule `ID`: at most 255 characters (S3R214), ASCII only (S3R215), unique (S3R216), and
//! worth setting (S3R217).

use crate::diagnostic::Diagnostic;
use crate::model::Rule;
use crate::rules::CheckContext;

declare_rule! {
    pub static ID_TOO_LONG {
        code: "S3R214",
        name: "rule-id-too-long",
        severity: Error,
        confidence: Documented,
        s3_error: "InvalidArgument (emulator wording: \"Rule Id cannot be greater than 255\")",
        summary: "A rule `ID` is longer than 255 characters",
        check: check_length,
        docs: r#"## What it does
Counts the characters of each rule `ID`.

## Why it matters
The API reference gives 255 characters as the maximum. The message shown comes from
S3-compatible services; AWS's own text is not confirmed.

## Example
```json
{ "ID": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
  "Status": "Enabled", "Priority": 1, "Filter": {},
  "DeleteMarkerReplication": { "Status": "Disabled" },
  "Destination": { "Bucket": "arn:aws:s3:::dst" } }
```

## Fix
Use a short, descriptive ID such as `logs-to-dr`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRule.html
"#,
    }
}

declare_rule! {
    pub static ID_NOT_ASCII {
        code: "S3R215",
        name: "rule-id-not-ascii",
        severity: Error,
        confidence: Documented,
        s3_error: "InvalidArgument: Rule ID must not contain non-ASCII characters",
        summary: "A rule `ID` contains non-ASCII characters",
        check: check_ascii,
        docs: r#"## What it does
Flags rule IDs with characters outside ASCII (accented letters, emoji, typographic quotes,
non-breaking spaces pasted from documents).

## Why it matters
S3's error list documents `400 InvalidArgument` "Rule ID must not contain non-ASCII
characters".

## Example
```json
{ "ID": "réplication", "Status": "Enabled", "Priority": 1, "Filter": {},
  "DeleteMarkerReplication": { "Status": "Disabled" },
  "Destination": { "Bucket": "arn:aws:s3:::dst" } }
```

## Fix
Use ASCII letters, digits, `-`, `_` and `.`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ReplicationErrorCodeList
"#,
    }
}

declare_rule! {
    pub static DUPLICATE_ID {
        code: "S3R216",
        name: "duplicate-rule-id",
        severity: Warning,
        confidence: Emulator,
        s3_error: "emulator wording: \"Rule Id must be unique\"",
        summary: "Two rules have the same `ID`",
        check: check_duplicates,
        docs: r#"## What it does
Finds rule IDs used more than once.

## Why it matters
S3-compatible services refuse duplicate IDs ("Rule Id must be unique"); no live AWS response
was found, so this is a warning. Even if S3 accepts it, the ID is how the console, replication
metrics (the `RuleId` CloudWatch dimension) and `x-amz-replication-status` troubleshooting tell
rules apart, so duplicates make both ambiguous.
Evidence: searched public bug trackers (Terraform AWS provider, Pulumi, Crossplane, ACK, CDK,
LocalStack, moto) for S3's answer; none found.

## Example
```xml
<Rule>
  <ID>logs</ID><Status>Enabled</Status><Priority>1</Priority>
  <Filter><Prefix>a/</Prefix></Filter>
  <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
  <Destination><Bucket>arn:aws:s3:::dst</Bucket></Destination>
</Rule>
<Rule>
  <ID>logs</ID><Status>Enabled</Status><Priority>2</Priority>
  <Filter><Prefix>b/</Prefix></Filter>
  <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
  <Destination><Bucket>arn:aws:s3:::dst</Bucket></Destination>
</Rule>
```

## Fix
Rename one of them.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRule.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html
"#,
    }
}

declare_rule! {
    pub static MISSING_ID {
        code: "S3R217",
        name: "missing-rule-id",
        severity: Info,
        confidence: Observed,
        summary: "Rules without an `ID` get a random one from S3",
        check: check_missing,
        docs: r#"## What it does
Notes, once per document, how many rules have no `ID`.

## Why it matters
S3 accepts the rule and generates a random ID, which then shows up in `get-bucket-replication`
output (so the stored configuration no longer matches your file) and as the `RuleId`
dimension of replication metrics.

## Example
```json
{ "Status": "Enabled", "Priority": 1, "Filter": {},
  "DeleteMarkerReplication": { "Status": "Disabled" },
  "Destination": { "Bucket": "arn:aws:s3:::dst" } }
```

## Fix
Give every rule a short, stable `ID`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRule.html
"#,
    }
}

fn check_length(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(id) = &rule.id else { continue };
        let n = id.value.chars().count();
        if n > 255 {
            cx.report(
                &ID_TOO_LONG,
                id.span(),
                format!("{}/ID", Rule::path(i)),
                format!("The rule ID has {n} characters; S3 allows at most 255"),
            );
        }
    }
}

fn check_ascii(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(id) = &rule.id else { continue };
        let Some(c) = id.value.chars().find(|c| !c.is_ascii()) else {
            continue;
        };
        cx.report(
            &ID_NOT_ASCII,
            id.span(),
            format!("{}/ID", Rule::path(i)),
            format!(
                "The rule ID contains the non-ASCII character `{c}` (U+{:04X}); S3 refuses: \"Rule ID must not contain non-ASCII characters\"",
                u32::from(c)
            ),
        );
    }
}

fn check_duplicates(cx: &mut CheckContext) {
    let doc = cx.doc;
    // (ID, rule) sorted: equal IDs become neighbours, in document order.
    let mut order: Vec<(&str, usize)> = doc
        .rules
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((r.id.as_ref()?.as_str(), i)))
        .collect();
    crate::sort::sort(&mut order);
    // (rule, first rule with its ID)
    let mut found = Vec::new();
    for w in order.windows(2) {
        if w[0].0 == w[1].0 {
            let first = found
                .last()
                .filter(|&&(i, _)| i == w[0].1)
                .map_or(w[0].1, |&(_, j)| j);
            found.push((w[1].1, first));
        }
    }
    crate::sort::sort(&mut found);
    for (i, j) in found {
        let (Some(id), Some(other)) = (&doc.rules[i].id, &doc.rules[j].id) else {
            continue;
        };
        let d = Diagnostic::new(
            DUPLICATE_ID.code,
            DUPLICATE_ID.severity,
            id.span(),
            format!("{}/ID", Rule::path(i)),
            format!(
                "Rule ID `{}` is also used by rule #{}; S3-compatible services refuse duplicate IDs (unverified on AWS) and metrics by rule ID become ambiguous",
                super::shorten(id.as_str(), 60),
                j + 1
            ),
        )
        .with_related(other.span(), "first use of this ID");
        super::emit(cx, &DUPLICATE_ID, d);
    }
}

fn check_missing(cx: &mut CheckContext) {
    let doc = cx.doc;
    let mut missing = doc.rules.iter().enumerate().filter(|(_, r)| r.id.is_none());
    let Some((first, rule)) = missing.next() else {
        return;
    };
    let more = missing.count();
    let message = if more == 0 {
        "This rule has no ID; S3 will generate a random one".to_string()
    } else {
        format!(
            "{} rules have no ID (this is the first); S3 will generate random ones",
            more + 1
        )
    };
    cx.report(
        &MISSING_ID,
        super::head(&rule.meta),
        Rule::path(first),
        message,
    )
    .help = Some(
        "Add a short, stable ID so the stored configuration and metrics match your file."
            .to_string(),
    );
}
