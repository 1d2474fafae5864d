//! Filter grammar: `Filter` holds at most one of Prefix/Tag/And/Not (S3R221), `And` combines
//! at least two predicates (S3R222), `Not` holds exactly one of Prefix/Tag/Or and `Or` is not
//! empty (S3R223).

use crate::model::{Not, Rule};
use crate::rules::CheckContext;
use crate::Severity;

declare_rule! {
    pub static FILTER_MULTIPLE {
        code: "S3R221",
        name: "filter-multiple-predicates",
        severity: Error,
        confidence: Documented,
        s3_error: "MalformedXML",
        summary: "`Filter` has more than one of Prefix, Tag, And, Not; combine them with `And`",
        check: check_filter,
        docs: r#"## What it does
Flags a `Filter` with two or more direct children among `Prefix`, `Tag`, `And` and `Not`.
(An empty `Filter` is fine: it selects every object.)

## Why it matters
The API reference says a filter "must specify exactly one Prefix, Tag, And, or Not child
element". The exact response is not confirmed from a live call (`MalformedXML` is expected).

## Example
```xml
<Rule>
  <ID>logs</ID>
  <Status>Enabled</Status>
  <Priority>1</Priority>
  <Filter>
    <Prefix>logs/</Prefix>
    <Tag><Key>replicate</Key><Value>yes</Value></Tag>
  </Filter>
  <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
  <Destination><Bucket>arn:aws:s3:::dst</Bucket></Destination>
</Rule>
```

## Fix
Wrap them in `And`: `<Filter><And><Prefix>logs/</Prefix><Tag>...</Tag></And></Filter>`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRuleFilter.html
"#,
    }
}

declare_rule! {
    pub static AND_SINGLE {
        code: "S3R222",
        name: "and-single-predicate",
        severity: Warning,
        confidence: Emulator,
        s3_error: "MalformedXML (one S3-compatible service; another accepts it)",
        summary: "`And` holds fewer than two predicates; a single predicate belongs directly in `Filter`",
        check: check_and,
        docs: r#"## What it does
Counts the predicates of each `And` (its `Prefix`, each `Tag`, its `Not`) and flags fewer than
two.

## Why it matters
The API reference says `And` is "required only if you specify more than one filter". S3
emulators disagree on a one-predicate `And`: one refuses it with `MalformedXML`, another
unwraps it. AWS's behaviour is unverified, so this is a warning.
Evidence: searched public bug trackers (Terraform AWS provider, Pulumi, Crossplane, ACK, CDK,
LocalStack, moto) for S3's answer; none found.

## Example
```json
{ "ID": "logs", "Status": "Enabled", "Priority": 1, "Filter": { "And": { "Prefix": "logs/" } },
  "DeleteMarkerReplication": { "Status": "Disabled" },
  "Destination": { "Bucket": "arn:aws:s3:::dst" } }
```

## Fix
Move the predicate up: `"Filter": { "Prefix": "logs/" }`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRuleAndOperator.html
"#,
    }
}

declare_rule! {
    pub static NOT_SHAPE {
        code: "S3R223",
        name: "not-operator-shape",
        severity: Error,
        confidence: Documented,
        summary: "`Not` must hold exactly one of Prefix, Tag, Or; `Or` must not be empty",
        check: check_not,
        docs: r#"## What it does
Checks the exclusion operators added in November 2026: `Not` (under `Filter` or `And`) holds
exactly one of `Prefix`, `Tag` or `Or`; `Or` holds at least one `Prefix` or `Tag` (an empty
`Or` is a warning).

## Why it matters
The API model documents "exactly one" for `Not`. An empty `Not` or `Or` excludes nothing, which
is never what was meant. The feature is new and S3's exact responses are not yet known.

## Example
```json
{ "ID": "logs", "Status": "Enabled", "Priority": 1,
  "Filter": { "Not": { "Prefix": "tmp/", "Tag": { "Key": "draft", "Value": "true" } } },
  "DeleteMarkerReplication": { "Status": "Disabled" },
  "Destination": { "Bucket": "arn:aws:s3:::dst" } }
```

## Fix
Use `Or` to exclude several things: `"Not": { "Or": { "Prefixes": ["tmp/"], "Tags": [...] } }`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRuleFilter.html
"#,
    }
}

fn check_filter(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(f) = &rule.filter else { continue };
        let mut present = Vec::new();
        if f.prefix.is_some() {
            present.push("Prefix");
        }
        if f.tag.is_some() {
            present.push("Tag");
        }
        if f.and.is_some() {
            present.push("And");
        }
        if f.not.is_some() {
            present.push("Not");
        }
        if present.len() < 2 {
            continue;
        }
        cx.report(
            &FILTER_MULTIPLE,
            f.meta.name_span,
            format!("{}/Filter", Rule::path(i)),
            format!(
                "`Filter` has {} ({}); it must have exactly one, so combine them with `And`",
                present.len(),
                present.join(", ")
            ),
        )
        .help =
            Some("`And` takes a Prefix, any number of Tags and a Not; all must match.".to_string());
    }
}

fn check_and(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(a) = rule.filter.as_ref().and_then(|f| f.and.as_ref()) else {
            continue;
        };
        let n = usize::from(a.prefix.is_some()) + a.tags.len() + usize::from(a.not.is_some());
        if n >= 2 {
            continue;
        }
        let message = if n == 0 {
            "`And` is empty; it should combine at least two predicates".to_string()
        } else {
            "`And` holds a single predicate; put it directly in `Filter` (some S3 implementations refuse this, AWS unverified)".to_string()
        };
        cx.report(
            &AND_SINGLE,
            a.meta.name_span,
            format!("{}/Filter/And", Rule::path(i)),
            message,
        )
        .help = Some("`And` is only needed to combine a Prefix, Tags and a Not.".to_string());
    }
}

fn check_not(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(f) = &rule.filter else { continue };
        let base = Rule::path(i);
        if let Some(n) = &f.not {
            not_shape(cx, n, format!("{base}/Filter/Not"));
        }
        if let Some(n) = f.and.as_ref().and_then(|a| a.not.as_ref()) {
            not_shape(cx, n, format!("{base}/Filter/And/Not"));
        }
    }
}

fn not_shape(cx: &mut CheckContext, n: &Not, path: String) {
    let mut present = Vec::new();
    if n.prefix.is_some() {
        present.push("Prefix");
    }
    if n.tag.is_some() {
        present.push("Tag");
    }
    if n.or.is_some() {
        present.push("Or");
    }
    match present.len() {
        0 => {
            cx.report(
                &NOT_SHAPE,
                n.meta.name_span,
                path.clone(),
                "`Not` is empty; it must hold exactly one of Prefix, Tag or Or",
            );
        }
        1 => {}
        k => {
            cx.report(
                &NOT_SHAPE,
                n.meta.name_span,
                path.clone(),
                format!(
                    "`Not` holds {k} predicates ({}); it must hold exactly one — use `Or` to exclude several",
                    present.join(", ")
                ),
            );
        }
    }
    if let Some(or) = &n.or {
        if or.prefixes.is_empty() && or.tags.is_empty() {
            let d = cx.report(
                &NOT_SHAPE,
                or.meta.name_span,
                format!("{path}/Or"),
                "`Or` is empty, so this `Not` excludes nothing",
            );
            d.severity = Severity::Warning;
            d.help = Some("List the prefixes and tags to exclude.".to_string());
        }
    }
}
