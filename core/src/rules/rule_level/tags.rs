//! Tag filters: non-empty keys (S3R224), no repeated keys (S3R225, S3R226), S3 object-tag
//! limits (S3R227), and the "tag at upload time" note (S3R228).

use super::each_tag;
use crate::diagnostic::Diagnostic;
use crate::model::Tag;
use crate::rules::{CheckContext, RulePath};

declare_rule! {
    pub static EMPTY_TAG_KEY {
        code: "S3R224",
        name: "empty-tag-key",
        severity: Error,
        confidence: Observed,
        s3_error: "Invalid length for parameter ReplicationConfiguration.Rules[0].Filter.Tag.Key, value: 0, valid min length: 1",
        summary: "A tag filter has an empty `Key`",
        check: check_empty_key,
        docs: r#"## What it does
Flags tag filters whose `Key` is empty (anywhere: `Filter/Tag`, `And`, `Not`, `Or`).

## Why it matters
The key must be at least one character; the AWS CLI stops with "Invalid length for parameter
...Tag.Key, value: 0, valid min length: 1". Objects cannot carry a tag with an empty key.

## Example
```json
{ "ID": "logs", "Status": "Enabled", "Priority": 1, "Filter": { "Tag": { "Key": "", "Value": "yes" } },
  "DeleteMarkerReplication": { "Status": "Disabled" },
  "Destination": { "Bucket": "arn:aws:s3:::dst" } }
```

## Fix
Write the tag key.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_Tag.html
"#,
    }
}

declare_rule! {
    pub static DUPLICATE_TAG_KEY {
        code: "S3R225",
        name: "duplicate-tag-key",
        severity: Warning,
        confidence: Emulator,
        s3_error: "InvalidRequest (emulator wording: \"Duplicate Tag Keys are not allowed.\")",
        summary: "The same tag key appears twice in one `And` or `Or`",
        check: check_duplicates,
        docs: r#"## What it does
Flags a tag key repeated inside one `And` with the same value, or inside one `Or`.
(Repeated keys with different values in `And` are S3R226.)

## Why it matters
S3-compatible services refuse the request with "Duplicate Tag Keys are not allowed."; AWS's
response is unverified. A repeated identical tag adds nothing, and `Or` with two values for
one key may be refused.
Evidence: searched public bug trackers (Terraform AWS provider, Pulumi, Crossplane, ACK, CDK,
LocalStack, moto) for S3's answer; none found.

## Example
```xml
<Rule>
  <ID>ops-logs</ID>
  <Status>Enabled</Status>
  <Priority>1</Priority>
  <Filter>
    <And>
      <Prefix>logs/</Prefix>
      <Tag><Key>team</Key><Value>ops</Value></Tag>
      <Tag><Key>team</Key><Value>ops</Value></Tag>
    </And>
  </Filter>
  <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
  <Destination><Bucket>arn:aws:s3:::dst</Bucket></Destination>
</Rule>
```

## Fix
Delete the repeated tag; to exclude several values of one key, write one rule per value or
exclude by prefix.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRuleAndOperator.html
"#,
    }
}

declare_rule! {
    pub static CONTRADICTORY_TAGS {
        code: "S3R226",
        name: "contradictory-and-tags",
        // Only emulators are known to refuse it; what is documented makes the rule dead, which is
        // a warning like any filter that matches nothing (S3R504).
        severity: Warning,
        confidence: Documented,
        s3_error: "InvalidRequest (emulator wording: \"Duplicate Tag Keys are not allowed.\")",
        summary: "`And` requires two different values for the same tag key, so it matches no object",
        check: check_contradictions,
        docs: r#"## What it does
Flags an `And` that lists one tag key twice with different values.

## Why it matters
An object's tag keys are unique (documented for S3 object tagging), so no object has both
values and the rule can never replicate anything. S3-compatible services refuse such a
filter outright; if S3 accepts it, the rule is dead.

## Example
```json
{ "ID": "logs", "Status": "Enabled", "Priority": 1,
  "Filter": { "And": { "Tags": [ { "Key": "env", "Value": "prod" }, { "Key": "env", "Value": "staging" } ] } },
  "DeleteMarkerReplication": { "Status": "Disabled" },
  "Destination": { "Bucket": "arn:aws:s3:::dst" } }
```

## Fix
Keep one value, or write one rule per value.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRuleAndOperator.html
"#,
    }
}

declare_rule! {
    pub static TAG_LIMITS {
        code: "S3R227",
        name: "tag-outside-object-tag-limits",
        severity: Warning,
        confidence: Inferred,
        summary: "A tag filter no object tag can match: key over 128 or value over 256 characters, or an `aws:` key",
        check: check_limits,
        docs: r#"## What it does
Compares tag filters with the limits of S3 object tags: keys up to 128 characters, values up
to 256, and keys starting with `aws:` reserved for AWS.

## Why it matters
A filter on a tag that no object can carry selects nothing. Whether S3 refuses such filters is
not documented, so this is a warning.

## Example
```json
{ "ID": "logs", "Status": "Enabled", "Priority": 1, "Filter": { "Tag": { "Key": "aws:createdBy", "Value": "me" } },
  "DeleteMarkerReplication": { "Status": "Disabled" },
  "Destination": { "Bucket": "arn:aws:s3:::dst" } }
```

## Fix
Use a tag key your uploads actually set.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html
"#,
    }
}

declare_rule! {
    pub static TAGS_AT_UPLOAD {
        code: "S3R228",
        name: "tag-filter-needs-tags-at-upload",
        severity: Info,
        confidence: Documented,
        summary: "Tag-filtered rules only see tags present when the object is uploaded",
        check: check_upload,
        docs: r#"## What it does
Notes, once per document, that some rules filter on tags.

## Why it matters
Live replication evaluates tags when the object is written. Tagging an object later does not
trigger its replication; use S3 Batch Replication for objects tagged after upload. Tag-filtered
rules also cannot replicate delete markers.

## Example
```xml
<Rule>
  <ID>tagged</ID>
  <Status>Enabled</Status>
  <Priority>1</Priority>
  <Filter><Tag><Key>replicate</Key><Value>yes</Value></Tag></Filter>
  <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
  <Destination><Bucket>arn:aws:s3:::dst</Bucket></Destination>
</Rule>
```

## Fix
Nothing to change in the document: make sure uploads set the tag (for example
`x-amz-tagging` on PutObject), or run Batch Replication for existing objects.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-batch-replication-batch.html
"#,
    }
}

fn check_empty_key(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        each_tag(rule, i, |tag, path| {
            let Some(key) = &tag.key else { return };
            if key.value.is_empty() {
                let span = if key.span().is_empty() {
                    key.meta.name_span
                } else {
                    key.span()
                };
                cx.report(
                    &EMPTY_TAG_KEY,
                    span,
                    path.with_suffix("/Key"),
                    "The tag key is empty; it must have at least one character",
                );
            }
        });
    }
}

fn key_of(t: &Tag) -> Option<&str> {
    t.key.as_ref().map(|k| k.as_str())
}

fn value_of(t: &Tag) -> &str {
    t.value.as_ref().map_or("", |v| v.as_str())
}

/// Report repeats within one list of tags (`base` + `<k>` is a tag's path). `and` = true:
/// different values contradict. `contradictions` selects which of the two codes this pass
/// reports.
fn repeated(cx: &mut CheckContext, list: &[Tag], base: RulePath, and: bool, contradictions: bool) {
    // Lists are short (S3 allows 10 tags per object): scan the earlier tags, unless the list
    // is long enough for a map to pay off.
    let mut first: Option<std::collections::HashMap<&str, usize>> =
        (list.len() > 16).then(std::collections::HashMap::new);
    for (k, t) in list.iter().enumerate() {
        let Some(key) = key_of(t) else { continue };
        let j = match &mut first {
            Some(map) => match map.get(key) {
                Some(&j) => Some(j),
                None => {
                    map.insert(key, k);
                    None
                }
            },
            None => list[..k].iter().position(|o| key_of(o) == Some(key)),
        };
        let Some(j) = j else { continue };
        let other = &list[j];
        let contradicts = and && value_of(t) != value_of(other);
        if contradicts != contradictions {
            continue;
        }
        let span = t.key.as_ref().map_or(t.meta.name_span, |k| k.span());
        let other_span = other
            .key
            .as_ref()
            .map_or(other.meta.name_span, |k| k.span());
        let shown = super::shorten(key, 60);
        let path = RulePath {
            index: Some(k),
            ..base
        }
        .build();
        let (rule, d) = if contradicts {
            (
                &CONTRADICTORY_TAGS,
                Diagnostic::new(
                    CONTRADICTORY_TAGS.code,
                    CONTRADICTORY_TAGS.severity,
                    span,
                    path,
                    format!(
                        "`And` requires tag `{shown}` to be both `{}` and `{}`; an object has one value per key, so this rule matches nothing (if S3 accepts it at all)",
                        super::shorten(value_of(other), 40),
                        super::shorten(value_of(t), 40)
                    ),
                ),
            )
        } else {
            let what = if and { "And" } else { "Or" };
            (
                &DUPLICATE_TAG_KEY,
                Diagnostic::new(
                    DUPLICATE_TAG_KEY.code,
                    DUPLICATE_TAG_KEY.severity,
                    span,
                    path,
                    format!(
                        "Tag key `{shown}` appears twice in this `{what}`; S3-compatible services refuse duplicate tag keys (unverified on AWS)"
                    ),
                ),
            )
        };
        super::emit(
            cx,
            rule,
            d.with_related(other_span, "first use of this key"),
        );
    }
}

fn check_duplicates(cx: &mut CheckContext) {
    each_tag_list(cx, false);
}

fn check_contradictions(cx: &mut CheckContext) {
    each_tag_list(cx, true);
}

fn each_tag_list(cx: &mut CheckContext, contradictions: bool) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(f) = &rule.filter else { continue };
        if let Some(a) = &f.and {
            if a.tags.len() > 1 {
                let base = RulePath::item(i, "/Filter/And/Tags/", 0);
                repeated(cx, &a.tags, base, true, contradictions);
            }
            if let Some(or) = a.not.as_ref().and_then(|n| n.or.as_ref()) {
                let base = RulePath::item(i, "/Filter/And/Not/Or/Tags/", 0);
                repeated(cx, &or.tags, base, false, contradictions);
            }
        }
        if let Some(or) = f.not.as_ref().and_then(|n| n.or.as_ref()) {
            let base = RulePath::item(i, "/Filter/Not/Or/Tags/", 0);
            repeated(cx, &or.tags, base, false, contradictions);
        }
    }
}

fn check_limits(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        each_tag(rule, i, |tag, path| {
            if let Some(key) = &tag.key {
                let v = key.as_str();
                if v.len() > 128 && v.chars().count() > 128 {
                    let n = v.chars().count();
                    cx.report(
                        &TAG_LIMITS,
                        key.span(),
                        path.with_suffix("/Key"),
                        format!("The tag key has {n} characters; S3 object tag keys have at most 128, so no object matches"),
                    );
                } else if v.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")) {
                    cx.report(
                        &TAG_LIMITS,
                        key.span(),
                        path.with_suffix("/Key"),
                        "Tag keys starting with `aws:` are reserved for AWS; your uploads cannot set this tag",
                    );
                }
            }
            if let Some(value) = &tag.value {
                let v = value.as_str();
                if v.len() > 256 && v.chars().count() > 256 {
                    let n = v.chars().count();
                    cx.report(
                        &TAG_LIMITS,
                        value.span(),
                        path.with_suffix("/Value"),
                        format!("The tag value has {n} characters; S3 object tag values have at most 256, so no object matches"),
                    );
                }
            }
        });
    }
}

fn check_upload(cx: &mut CheckContext) {
    let doc = cx.doc;
    let mut first: Option<(crate::source::Span, RulePath)> = None;
    let mut count = 0usize;
    for (i, rule) in doc.rules.iter().enumerate() {
        let mut found = None;
        each_tag(rule, i, |tag, path| {
            found.get_or_insert((tag.meta.name_span, path));
        });
        if let Some(f) = found {
            count += 1;
            first.get_or_insert(f);
        }
    }
    let Some((span, path)) = first else { return };
    let who = if count == 1 {
        "This rule filters".to_string()
    } else {
        format!("{count} rules filter")
    };
    cx.report(
        &TAGS_AT_UPLOAD,
        span,
        path,
        format!("{who} on object tags: only tags present when an object is uploaded count; tagging it later does not replicate it"),
    )
    .help = Some("Set the tags on upload, or use S3 Batch Replication for objects tagged afterwards.".to_string());
}
