//! Leading or trailing whitespace in a prefix or a tag key or value (S3R235): usually an XML
//! pretty-printer or a copy-paste, and a silent mismatch.

use super::edit::replace_string_value;
use super::{each_prefix, each_tag, shorten};
use crate::diagnostic::Diagnostic;
use crate::model::{Str, Val};
use crate::rules::{CheckContext, RulePath};

declare_rule! {
    pub static SURROUNDING_WHITESPACE {
        code: "S3R235",
        name: "filter-value-whitespace",
        severity: Warning,
        confidence: Inferred,
        summary: "A prefix, tag key or tag value starts or ends with whitespace, which S3 matches literally",
        check: check_whitespace,
        docs: r#"## What it does
Flags every prefix (rule-level `Prefix`, and `Prefix` in `Filter`, `And`, `Not`, `Or`) and
every tag `Key` and `Value` in a filter whose text begins or ends with a space, tab or line
break. The quick fix removes the surrounding whitespace (not offered when nothing else is left).

## Why it matters
In XML everything between `<Prefix>` and `</Prefix>` is the value, line breaks and
indentation included, so a pretty-printed

```text
<Prefix>
  logs/
</Prefix>
```

asks for keys that start with a line break and two spaces. Object keys and tags may contain
whitespace, so S3 has no reason to refuse or trim the value (not confirmed by a source, hence
a warning); the filter then matches nothing you meant and nothing is replicated.

## Example
```xml
<Rule>
  <ID>logs</ID>
  <Status>Enabled</Status>
  <Priority>1</Priority>
  <Filter><Prefix> logs/</Prefix></Filter>
  <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
  <Destination><Bucket>arn:aws:s3:::acme-replica</Bucket></Destination>
</Rule>
```

## Fix
Write the value on one line with the tags: `<Prefix>logs/</Prefix>`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRuleFilter.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html
- https://www.w3.org/TR/xml/#sec-white-space
"#,
    }
}

fn check_whitespace(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        each_prefix(rule, i, |p, path| report(cx, p, path, "Prefix"));
        each_tag(rule, i, |tag, path| {
            if let Some(k) = &tag.key {
                report(cx, k, path.with_suffix("/Key"), "Tag key");
            }
            if let Some(v) = &tag.value {
                report(cx, v, path.with_suffix("/Value"), "Tag value");
            }
        });
    }
}

fn report(cx: &mut CheckContext, value: &Val<Str>, path: RulePath, what: &str) {
    let what_matches = if what == "Prefix" { "keys" } else { "tags" };
    let v = value.as_str();
    let trimmed = v.trim();
    // An all-whitespace value is another problem (an empty-looking filter), and trimming it
    // would widen the filter to every object.
    if trimmed.len() == v.len() || trimmed.is_empty() {
        return;
    }
    let span = value.span();
    // Line breaks and tabs shown as escapes, so that the message stays on one line.
    let escaped = v
        .replace('\n', "\\n")
        .replace('\r', "\\r")
        .replace('\t', "\\t");
    let shown = shorten(&escaped, 60);
    let message = format!(
        "{what} `{shown}` starts or ends with whitespace; S3 compares it literally, so it only matches {what_matches} with that whitespace"
    );
    let edit = replace_string_value(cx.text, span, trimmed);
    let d = Diagnostic::new(
        SURROUNDING_WHITESPACE.code,
        SURROUNDING_WHITESPACE.severity,
        span,
        path.build(),
        message,
    )
    .with_help("Remove the spaces and line breaks around the value.")
    .with_fix(
        format!("Use `{}`", shorten(trimmed, 60)),
        vec![(span, edit)],
    );
    super::emit(cx, &SURROUNDING_WHITESPACE, d);
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{apply_fix, codes};

    const PRETTY: &str = "<ReplicationConfiguration>\n  <Role>arn:aws:iam::111122223333:role/r</Role>\n  <Rule>\n    <ID>a</ID>\n    <Status>Enabled</Status>\n    <Priority>1</Priority>\n    <Filter>\n      <Prefix>\n        logs/\n      </Prefix>\n    </Filter>\n    <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>\n    <Destination><Bucket>arn:aws:s3:::dst</Bucket></Destination>\n  </Rule>\n</ReplicationConfiguration>\n";

    #[test]
    fn pretty_printed_prefix_is_flagged_and_fixed() {
        assert!(codes(PRETTY).contains(&"S3R235"));
        let fixed = apply_fix(PRETTY, "S3R235", 0);
        assert!(fixed.contains("<Prefix>logs/</Prefix>"), "{fixed}");
        assert!(!codes(&fixed).contains(&"S3R235"));
    }

    #[test]
    fn tags_and_json_are_checked_and_clean_or_blank_values_are_not() {
        let json = r#"{"Role": "arn:aws:iam::111122223333:role/r", "Rules": [{"ID": "a", "Status": "Enabled", "Priority": 1,
          "Filter": {"And": {"Prefix": "a/", "Tags": [{"Key": "env ", "Value": "prod"}, {"Key": "team", "Value": "\tops"}]}},
          "DeleteMarkerReplication": {"Status": "Disabled"}, "Destination": {"Bucket": "arn:aws:s3:::dst"}}]}"#;
        let found = codes(json);
        assert_eq!(
            found.iter().filter(|c| **c == "S3R235").count(),
            2,
            "{found:?}"
        );
        let clean = PRETTY.replace(
            "<Prefix>\n        logs/\n      </Prefix>",
            "<Prefix>logs/</Prefix>",
        );
        assert!(!codes(&clean).contains(&"S3R235"));
        let blank = PRETTY.replace("\n        logs/\n      ", "   ");
        assert!(!codes(&blank).contains(&"S3R235"));
    }
}
