//! Key prefixes anywhere in a rule: length (S3R218), folder names without `/` (S3R219), and
//! glob characters or a leading `/` (S3R220).

use super::each_prefix;
use crate::rules::CheckContext;

declare_rule! {
    pub static PREFIX_TOO_LONG {
        code: "S3R218",
        name: "prefix-too-long",
        severity: Error,
        confidence: Documented,
        s3_error: "InvalidArgument (emulator wording: \"Rule prefix cannot be longer than maximum allowed key length of 1024\")",
        summary: "A prefix is longer than 1024 characters or 1024 UTF-8 bytes",
        check: check_length,
        docs: r#"## What it does
Checks every prefix (rule-level `Prefix`, and `Prefix` in `Filter`, `And`, `Not`, `Or`)
against 1,024 characters, and against 1,024 UTF-8 bytes, the maximum length of an object key.

## Why it matters
The API reference and CloudFormation give 1,024 characters as the maximum prefix length. A
prefix that fits in characters but not in bytes (non-ASCII text) is longer than any key can
be, so even if S3 stores it, the filter matches nothing.

## Example
A `Prefix` of 1,500 characters.

## Fix
Shorten the prefix; it only has to be long enough to tell the objects apart.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRuleFilter.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html
"#,
    }
}

declare_rule! {
    pub static PREFIX_WITHOUT_SLASH {
        code: "S3R219",
        name: "prefix-without-trailing-slash",
        severity: Warning,
        confidence: Inferred,
        summary: "A prefix looks like a folder name but has no trailing `/`, so it also matches siblings",
        check: check_folder,
        docs: r#"## What it does
Flags prefixes whose last segment is a plain word (letters, `_` or `-`, no digits or dots) and
that do not end in `/`, such as `logs` or `data/raw`. Prefixes where one extends another
in the same document (`star` next to `starship`) are taken as deliberate starts-with matches.

## Why it matters
Prefixes are plain starts-with matches: `logs` also selects `logs-old/...` and `logsearch.txt`.
The S3 console says: "If you enter a prefix that is the name of a folder, you must use / as the
last character". Prefixes ending in a digit or a dot (`2024`, `report.`) are left alone,
because partial names are common there.

## Example
```xml
<Rule>
  <ID>logs</ID>
  <Status>Enabled</Status>
  <Priority>1</Priority>
  <Filter><Prefix>logs</Prefix></Filter>
  <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
  <Destination><Bucket>arn:aws:s3:::dst</Bucket></Destination>
</Rule>
```

## Fix
Write `logs/` if you mean the folder; keep it as is if you mean every key starting with `logs`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-walkthrough1.html
"#,
    }
}

declare_rule! {
    pub static PREFIX_GLOB {
        code: "S3R220",
        name: "prefix-wildcard-or-leading-slash",
        severity: Warning,
        confidence: Inferred,
        summary: "A prefix contains `*` or `?`, or starts with `/`; prefixes are literal",
        check: check_glob,
        docs: r#"## What it does
Flags prefixes with `*` or `?`, and prefixes that start with `/`.

## Why it matters
S3 matches prefixes literally: `logs/*` selects only keys that really start with `logs/*`, and
S3 keys do not start with `/` unless you created them that way. S3 accepts such prefixes, so
the rule silently selects nothing (or far less than intended).

## Example
```json
{ "ID": "logs", "Status": "Enabled", "Priority": 1, "Filter": { "Prefix": "/logs/*.gz" },
  "DeleteMarkerReplication": { "Status": "Disabled" },
  "Destination": { "Bucket": "arn:aws:s3:::dst" } }
```

## Fix
Drop the wildcard and the leading slash: `logs/`. To match by suffix or pattern, use tags or
separate prefixes.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-prefixes.html
"#,
    }
}

const MAX: usize = 1024;

fn check_length(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        each_prefix(rule, i, |p, path| {
            let bytes = p.value.len();
            if bytes <= MAX {
                return; // at most `bytes` characters
            }
            let chars = p.value.chars().count();
            if chars > MAX {
                cx.report(
                    &PREFIX_TOO_LONG,
                    p.span(),
                    path,
                    format!("The prefix has {chars} characters; S3 allows at most 1024"),
                );
            } else {
                let d = cx.report(
                    &PREFIX_TOO_LONG,
                    p.span(),
                    path,
                    format!(
                        "The prefix is {bytes} bytes in UTF-8; S3 may accept it, but object keys are at most 1024 bytes, so it matches nothing"
                    ),
                );
                d.help = Some("Shorten the prefix.".to_string());
            }
        });
    }
}

/// A last segment that reads like a folder name: a word, not a partial date or file name.
fn looks_like_folder(prefix: &str) -> bool {
    if prefix.is_empty() || prefix.ends_with('/') {
        return false;
    }
    let last = prefix.rsplit('/').next().unwrap_or(prefix);
    last.chars().count() >= 2
        && last
            .chars()
            .all(|c| c.is_alphabetic() || c == '_' || c == '-')
        && last.chars().last().is_some_and(char::is_alphabetic)
        && last.chars().next().is_some_and(char::is_alphabetic)
}

fn check_folder(cx: &mut CheckContext) {
    let doc = cx.doc;
    let mut candidates = false;
    for (i, rule) in doc.rules.iter().enumerate() {
        each_prefix(rule, i, |p, _| candidates |= looks_like_folder(&p.value));
    }
    if !candidates {
        return;
    }
    // Prefixes where one extends another (`star` and `starship`) are deliberate starts-with
    // matches, not folders missing their slash.
    let mut all: Vec<&str> = Vec::new();
    for (i, rule) in doc.rules.iter().enumerate() {
        each_prefix(rule, i, |p, _| all.push(p.as_str()));
    }
    crate::sort::sort_dedup(&mut all);
    let related = |p: &str| {
        let at = all.partition_point(|q| *q <= p);
        let extended = all.get(at).is_some_and(|q| q.starts_with(p));
        let extends = p
            .char_indices()
            .skip(1)
            .any(|(k, _)| all.binary_search(&&p[..k]).is_ok());
        extended || extends
    };
    for (i, rule) in doc.rules.iter().enumerate() {
        each_prefix(rule, i, |p, path| {
            if !looks_like_folder(&p.value) || related(&p.value) {
                return;
            }
            let shown = super::shorten(&p.value, 60);
            cx.report(
                &PREFIX_WITHOUT_SLASH,
                p.span(),
                path,
                format!(
                    "Prefix `{shown}` has no trailing `/`, so it also matches keys like `{shown}-old/...`; write `{shown}/` if you mean the folder"
                ),
            );
        });
    }
}

fn check_glob(cx: &mut CheckContext) {
    let doc = cx.doc;
    for (i, rule) in doc.rules.iter().enumerate() {
        each_prefix(rule, i, |p, path| {
            let v = p.as_str();
            let message = if v.contains(['*', '?']) {
                let shown = super::shorten(v, 60);
                format!("Prefix `{shown}` contains `*` or `?`; prefixes are literal, so this matches only keys containing that character")
            } else if v.starts_with('/') {
                let shown = super::shorten(v, 60);
                format!("Prefix `{shown}` starts with `/`; S3 keys normally do not, so this probably matches nothing")
            } else {
                return;
            };
            cx.report(&PREFIX_GLOB, p.span(), path, message).help = Some(
                "Prefixes are plain starts-with matches: no wildcards, no leading slash."
                    .to_string(),
            );
        });
    }
}

#[cfg(test)]
mod tests {
    use super::looks_like_folder;

    #[test]
    fn folder_heuristic() {
        assert!(looks_like_folder("logs"));
        assert!(looks_like_folder("data/raw_files"));
        assert!(!looks_like_folder("logs/"));
        assert!(!looks_like_folder("logs/2024"));
        assert!(!looks_like_folder("report."));
        assert!(!looks_like_folder("logs-"));
        assert!(!looks_like_folder(""));
        assert!(!looks_like_folder("a"));
    }
}
