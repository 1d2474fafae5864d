//! Members added to the S3 API in November 2026 (`Not`, `Or`, `UseSourceMultiRegionKey`) that
//! older AWS CLIs/SDKs, CloudFormation and the CDK do not know yet (S3R229).

use crate::rules::{CheckContext, RulePath};
use crate::source::Span;

declare_rule! {
    pub static NEW_FEATURES {
        code: "S3R229",
        name: "new-feature-client-support",
        severity: Warning,
        confidence: Documented,
        s3_error: "AWS CLI (older versions): Unknown parameter in ReplicationConfiguration.Rules[0].Filter: \"Not\", must be one of: Prefix, Tag, And",
        summary: "`Not`, `Or` or `UseSourceMultiRegionKey` need AWS CLI/SDK versions from November 2026 or later",
        check: check,
        docs: r#"## What it does
Notes, once per document, the use of the exclusion filters `Not`/`Or` and of
`EncryptionConfiguration/UseSourceMultiRegionKey`, and lists where they occur.

## Why it matters
These members appeared in the S3 API model in November 2026 (botocore 1.44.6). Older AWS CLI
and SDK versions refuse them client-side ("Unknown parameter ... \"Not\""), the
CloudFormation schema and the AWS CDK do not model them yet, and no AWS user-guide page
describes their behaviour in detail, so test them before relying on them.

## Example
```json
{ "ID": "logs", "Status": "Enabled", "Priority": 1,
  "Filter": { "And": { "Prefix": "reports/", "Not": { "Prefix": "reports/tmp/" } } },
  "DeleteMarkerReplication": { "Status": "Disabled" },
  "Destination": { "Bucket": "arn:aws:s3:::dst" } }
```

## Fix
Upgrade the AWS CLI/SDK (botocore 1.44.6 or later, or the matching SDK release), or express
the selection with positive prefixes and tags only.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRuleFilter.html
- https://github.com/boto/botocore/blob/develop/CHANGELOG.rst
"#,
    }
}

fn check(cx: &mut CheckContext) {
    let doc = cx.doc;
    let mut found: Vec<(Span, RulePath, &'static str)> = Vec::new();
    for (i, rule) in doc.rules.iter().enumerate() {
        if let Some(f) = &rule.filter {
            let nots = [
                (f.not.as_ref(), "/Filter/Not", "/Filter/Not/Or"),
                (
                    f.and.as_ref().and_then(|a| a.not.as_ref()),
                    "/Filter/And/Not",
                    "/Filter/And/Not/Or",
                ),
            ];
            for (not, path, or_path) in nots {
                let Some(n) = not else { continue };
                found.push((n.meta.name_span, RulePath::new(i, path), "Not"));
                if let Some(or) = &n.or {
                    found.push((or.meta.name_span, RulePath::new(i, or_path), "Or"));
                }
            }
        }
        if let Some(m) = rule.source_mrk() {
            found.push((
                m.meta.name_span,
                RulePath::new(
                    i,
                    "/Destination/EncryptionConfiguration/UseSourceMultiRegionKey",
                ),
                "UseSourceMultiRegionKey",
            ));
        }
    }
    let Some((span, path, _)) = found.first().cloned() else {
        return;
    };
    let mut names: Vec<&str> = Vec::new();
    for (_, _, n) in &found {
        if !names.contains(n) {
            names.push(n);
        }
    }
    let message = format!(
        "This document uses {} (added to the S3 API in November 2026): AWS CLI/SDK versions before botocore 1.44.6 refuse it client-side, and CloudFormation and the CDK do not support it yet",
        names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
    );
    let mut d = crate::Diagnostic::new(
        NEW_FEATURES.code,
        NEW_FEATURES.severity,
        span,
        path.build(),
        message,
    )
    .with_help("Use an up-to-date AWS CLI/SDK, and test the rule before relying on it.");
    for (s, _, n) in found.iter().skip(1).take(9) {
        d = d.with_related(*s, format!("`{n}` also used here"));
    }
    super::emit(cx, &NEW_FEATURES, d);
}
