//! The rules reference (`docs/rules.md`), generated from the registry, and small helpers to
//! read a rule's docs (sections, example blocks) shared by the SARIF renderer and the tests.
//!
//! Regenerate the committed file with
//! `UPDATE_DOCS=1 cargo test -p s3-replication-lint --test docs_fresh`.//!
//! `examples.rs` reads a rule's example blocks and completes fragments into whole documents.

mod examples;
pub use examples::{examples, Example, EXAMPLE_BUCKET, EXAMPLE_ROLE};

use super::{registry, RuleMeta};
use std::fmt::Write;

/// The sections every rule's docs must have, in this order.
pub const REQUIRED_SECTIONS: [&str; 5] = [
    "What it does",
    "Why it matters",
    "Example",
    "Fix",
    "References",
];

/// The committed location of the reference, relative to the workspace root.
pub const REFERENCE_PATH: &str = "docs/rules.md";

/// `## Heading` lines outside fenced code blocks: `(line start offset, heading text)`.
fn headings(docs: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut fenced = false;
    let mut offset = 0;
    for line in docs.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced {
            if let Some(h) = trimmed.strip_prefix("## ") {
                out.push((offset, offset + line.len(), h.trim()));
            }
        }
        offset += line.len();
    }
    out
}

/// The names of the `## ` sections of a rule's docs, in order.
pub fn section_names(docs: &str) -> Vec<&str> {
    headings(docs).into_iter().map(|(_, _, h)| h).collect()
}

/// The body of section `## {name}` (without its heading), trimmed.
pub fn section<'a>(docs: &'a str, name: &str) -> Option<&'a str> {
    let hs = headings(docs);
    let i = hs.iter().position(|(_, _, h)| *h == name)?;
    let start = hs[i].1;
    let end = hs.get(i + 1).map_or(docs.len(), |h| h.0);
    docs.get(start..end).map(str::trim)
}

/// `text` as a markdown code span, with a fence long enough for backticks inside it.
pub fn inline_code(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// GitHub's anchor for the heading `{code} {name}`.
fn anchor(rule: &RuleMeta) -> String {
    format!("{}-{}", rule.code, rule.name).to_ascii_lowercase()
}

fn table_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Demote the docs' headings one level (`## Fix` -> `### Fix`) outside code fences.
fn demote(docs: &str) -> String {
    let mut out = String::with_capacity(docs.len() + 64);
    let mut fenced = false;
    for line in docs.trim().lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced && line.starts_with('#') {
            out.push('#');
        } else if let Some(ctx) = line
            .trim()
            .strip_prefix("<!-- context:")
            .and_then(|c| c.strip_suffix("-->"))
            .filter(|_| !fenced)
        {
            // Show the deployment context an example needs (the comment itself is invisible).
            let _ = writeln!(
                out,
                "With the deployment context {}:",
                inline_code(ctx.trim())
            );
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The whole rules reference as markdown: an index table, then each rule's metadata and docs.
pub fn reference_markdown() -> String {
    let rules = registry();
    let mut out = String::new();
    out.push_str("# Rules reference\n\n");
    out.push_str(
        "<!-- Generated from the rule registry by `s3_replication_lint::rules::reference::reference_markdown()`.\n     \
         Do not edit: run `UPDATE_DOCS=1 cargo test -p s3-replication-lint --test docs_fresh`. -->\n\n",
    );
    let _ = writeln!(
        out,
        "{} rules. Severity is the default; a rule may report a finding at another severity and \
         says so in its docs. Confidence says how sure we are that S3 behaves as the rule says.\n",
        rules.len()
    );
    out.push_str("| Code | Name | Severity | Confidence | Summary |\n");
    out.push_str("|---|---|---|---|---|\n");
    for r in rules {
        let _ = writeln!(
            out,
            "| [{}](#{}) | `{}` | {} | {} | {} |",
            r.code,
            anchor(r),
            r.name,
            r.severity.as_str(),
            confidence_word(r),
            table_cell(r.summary)
        );
    }
    for r in rules {
        let _ = write!(out, "\n## {} {}\n\n", r.code, r.name);
        let _ = writeln!(out, "{}\n", r.summary);
        let _ = writeln!(out, "- Severity: {}", r.severity.as_str());
        let _ = writeln!(
            out,
            "- Confidence: {} ({})",
            confidence_word(r),
            r.confidence.describe()
        );
        match r.s3_error {
            Some(err) => {
                let _ = writeln!(out, "- S3 error: {}", inline_code(err));
            }
            None => out.push_str("- S3 error: none (S3 accepts the document)\n"),
        }
        let _ = writeln!(out, "- Reported by: {}\n", r.reported_by.describe());
        out.push_str(&demote(r.docs));
    }
    out
}

fn confidence_word(r: &RuleMeta) -> String {
    // The serde name (kebab-case) is the stable word used by the JSON API.
    serde_json::to_value(r.confidence)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCS: &str = "## What it does\nA.\n\n## Example\n<!-- context: {\"sourceRegion\": \"us-east-1\"} -->\n```xml\n<X>\n## not a heading\n</X>\n```\n\n```json\n{}\n```\n\n## Fix\nB.\n";

    #[test]
    fn sections_skip_fenced_lines() {
        assert_eq!(section_names(DOCS), ["What it does", "Example", "Fix"]);
        assert_eq!(section(DOCS, "Fix"), Some("B."));
        assert_eq!(section(DOCS, "What it does"), Some("A."));
        assert_eq!(section(DOCS, "References"), None);
    }

    #[test]
    fn examples_carry_their_context() {
        let ex = examples(DOCS);
        assert_eq!(ex.len(), 2);
        assert_eq!(ex[0].lang, "xml");
        assert_eq!(ex[0].code, "<X>\n## not a heading\n</X>\n");
        assert_eq!(ex[0].context, Some("{\"sourceRegion\": \"us-east-1\"}"));
        assert_eq!(ex[1].context, None);
    }

    fn doc(lang: &str, code: &str) -> String {
        Example {
            lang,
            code: code.to_string(),
            context: None,
        }
        .document()
    }

    fn json(text: &str) -> serde_json::Value {
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
    }

    #[test]
    fn xml_fragments_are_completed() {
        let rule = doc("xml", "<Rule><Status>Enabled</Status></Rule>\n");
        assert!(
            rule.starts_with("<ReplicationConfiguration xmlns="),
            "{rule}"
        );
        assert!(
            rule.contains(&format!("<Role>{EXAMPLE_ROLE}</Role><Rule><Status>")),
            "{rule}"
        );
        let whole = "<ReplicationConfiguration><Rule/></ReplicationConfiguration>\n";
        assert_eq!(doc("xml", whole), whole);
        let dest = doc(
            "xml",
            "<Destination><StorageClass>X</StorageClass></Destination>",
        );
        assert!(dest.contains("<Rule><Status>Enabled</Status><Priority>1</Priority><Filter/><DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication><Destination><StorageClass>X"), "{dest}");
        let key = doc("xml", "<ReplicaKmsKeyID>k</ReplicaKmsKeyID>");
        assert!(key.contains(&format!("<Destination><Bucket>{EXAMPLE_BUCKET}</Bucket><EncryptionConfiguration><ReplicaKmsKeyID>k<")), "{key}");
        let v1 = doc("xml", "<Prefix>a/</Prefix>\n...\n<Status>Enabled</Status>");
        assert!(!v1.contains("<Filter/>") && !v1.contains("..."), "{v1}");
        let mixed = doc("xml", "<Role>arn:aws:iam::1:role/r</Role>\n<!-- ... -->\n<Destination><Bucket>b</Bucket></Destination>");
        assert!(
            mixed.contains("<Role>arn:aws:iam::1:role/r</Role><Rule><Status>Enabled</Status>"),
            "{mixed}"
        );
        assert!(
            mixed.contains("<!-- ... -->\n<Destination><Bucket>b</Bucket></Destination></Rule>"),
            "{mixed}"
        );
        assert_eq!(mixed.matches("<Role>").count(), 1, "{mixed}");
        let tag = doc("xml", "<Tag><Key>k</Key><Value>v</Value></Tag>");
        assert!(tag.contains("<Filter><Tag>"), "{tag}");
    }

    #[test]
    fn json_fragments_are_completed() {
        let member = json(&doc("json", "\"Priority\": -1"));
        assert_eq!(member["Rules"][0]["Priority"], -1);
        assert_eq!(member["Rules"][0]["Status"], "Enabled");
        assert_eq!(member["Role"], EXAMPLE_ROLE);
        let filter = json(&doc(
            "json",
            "\"Filter\": { \"And\": { \"Prefix\": \"logs/\" } }",
        ));
        assert_eq!(filter["Rules"][0]["Filter"]["And"]["Prefix"], "logs/");
        let tag = json(&doc("json", "\"Tag\": { \"Key\": \"\", \"Value\": \"v\" }"));
        assert_eq!(tag["Rules"][0]["Filter"]["Tag"]["Value"], "v");
        let empty = json(&doc("json", "\"SourceSelectionCriteria\": {}"));
        assert!(empty["Rules"][0]["SourceSelectionCriteria"].is_object());
        let many = json(&doc("json", "[{}, {}]"));
        assert_eq!(many["Rules"].as_array().map(Vec::len), Some(2));
        let role = json(&doc(
            "json",
            "\"Role\": \"arn:aws-cn:iam::111122223333:role/r\"",
        ));
        assert_eq!(role["Rules"][0]["Destination"]["Bucket"], EXAMPLE_BUCKET);
        let whole_rule = json(&doc(
            "json",
            "{\"Status\": \"Enabled\", \"Destination\": {}}",
        ));
        assert!(whole_rule["Rules"][0].get("Priority").is_none());
        let root = json(&doc("json", "{\"Rules\": []}"));
        assert_eq!(root["Role"], EXAMPLE_ROLE);
        let whole = "{\"Role\": \"r\", \"Rules\": []}";
        assert_eq!(doc("json", whole), format!("{whole}\n"));
        let policy = "{\"Version\": \"2012-10-17\", \"Statement\": []}";
        assert_eq!(doc("json", policy), policy);
        assert_eq!(doc("json", "{ not json"), "{ not json");
    }

    #[test]
    fn code_spans_and_demotion() {
        assert_eq!(inline_code("a"), "`a`");
        assert_eq!(inline_code("a`b"), "``a`b``");
        assert_eq!(inline_code("`"), "`` ` ``");
        assert!(demote(DOCS).contains("### Fix\n"));
        assert!(demote(DOCS).contains("\n## not a heading\n"));
        assert!(demote(DOCS)
            .contains("With the deployment context `{\"sourceRegion\": \"us-east-1\"}`:\n```xml"));
    }

    #[test]
    fn reference_lists_every_rule() {
        let md = reference_markdown();
        for r in registry() {
            assert!(
                md.contains(&format!("\n## {} {}\n", r.code, r.name)),
                "{}",
                r.code
            );
        }
    }
}
