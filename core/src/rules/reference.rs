//! The rules reference (`docs/rules.md`), generated from the registry, and small helpers to
//! read a rule's docs (sections, example blocks) shared by the SARIF renderer and the tests.
//!
//! Regenerate the committed file with
//! `UPDATE_DOCS=1 cargo test -p s3-replication-lint --test docs_fresh`.

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

/// A fenced block of a rule's `## Example` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example<'a> {
    /// The fence's info string (`xml`, `json`, ...).
    pub lang: &'a str,
    pub code: String,
    /// The JSON of a `<!-- context: {...} -->` comment right before the fence, if any: the
    /// deployment context the example needs.
    pub context: Option<&'a str>,
}

/// The Role ARN put around example fragments.
pub const EXAMPLE_ROLE: &str = "arn:aws:iam::111122223333:role/replication";
/// The destination bucket put around destination-less example fragments.
pub const EXAMPLE_BUCKET: &str = "arn:aws:s3:::example-destination";

/// Where a member lives, outermost first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Document,
    Root,
    Rule,
    Filter,
    Destination,
    Encryption,
}

fn level_of(name: &str) -> Option<Level> {
    Some(match name {
        "ReplicationConfiguration" => Level::Document,
        "Role" | "Rule" | "Rules" => Level::Root,
        "ID"
        | "Priority"
        | "Prefix"
        | "Filter"
        | "Status"
        | "SourceSelectionCriteria"
        | "ExistingObjectReplication"
        | "DeleteMarkerReplication"
        | "Destination" => Level::Rule,
        "And" | "Tag" | "Not" => Level::Filter,
        "Bucket"
        | "Account"
        | "StorageClass"
        | "AccessControlTranslation"
        | "EncryptionConfiguration"
        | "ReplicationTime"
        | "Metrics" => Level::Destination,
        "ReplicaKmsKeyID" | "UseSourceMultiRegionKey" => Level::Encryption,
        _ => return None,
    })
}

/// The top-level elements of an XML fragment: `(name, byte range)` (a light scan, not a
/// parser; an unclosed element runs to the end).
fn xml_top_elements(code: &str) -> Vec<(&str, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut open: Option<(&str, usize)> = None;
    let mut at = 0;
    while let Some(i) = code.get(at..).and_then(|r| r.find('<')) {
        let lt = at + i;
        let gt = code[lt..].find('>').map_or(code.len(), |j| lt + j + 1);
        let tag = code
            .get(lt + 1..gt.saturating_sub(1).max(lt + 1))
            .unwrap_or("");
        at = gt;
        if tag.starts_with('?') || tag.starts_with('!') {
            continue;
        }
        if tag.starts_with('/') {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                if let Some((name, start)) = open.take() {
                    out.push((name, start..gt));
                }
            }
            continue;
        }
        let name_end = tag
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(tag.len());
        let name = &tag[..name_end];
        if tag.ends_with('/') {
            if depth == 0 {
                out.push((name, lt..gt));
            }
        } else {
            if depth == 0 {
                open = Some((name, lt));
            }
            depth += 1;
        }
    }
    if let Some((name, start)) = open {
        out.push((name, start..code.len()));
    }
    out
}

fn xml_complete(code: &str, names: &[&str], with_root: bool) -> String {
    complete(
        code.to_string(),
        names,
        |text, members| {
            let defaults: String = members.iter().map(|m| xml_default(m)).collect();
            format!("{defaults}{text}")
        },
        |text, name| format!("<{name}>{text}</{name}>"),
        |text| format!("<Rule>{text}</Rule>"),
        |text| {
            format!(
                "<ReplicationConfiguration xmlns=\"{}\">\n{text}\n</ReplicationConfiguration>\n",
                crate::parse::xml::S3_NAMESPACE
            )
        },
        with_root,
    )
}

/// Complete a fragment level by level until it is a whole document. `add(names, missing
/// defaults)` adds defaults to the current text; `wrap(text, name)` wraps it in a member.
fn complete(
    mut text: String,
    names: &[&str],
    add: impl Fn(&str, &[String]) -> String,
    wrap: impl Fn(&str, &str) -> String,
    rules: impl Fn(&str) -> String,
    root: impl Fn(&str) -> String,
    with_root: bool,
) -> String {
    let Some(start) = names.iter().filter_map(|n| level_of(n)).min() else {
        return text;
    };
    let mut level = start;
    let has = |n: &str| names.contains(&n);
    loop {
        match level {
            Level::Document => return text,
            Level::Encryption => {
                text = wrap(&text, "EncryptionConfiguration");
                level = Level::Destination;
            }
            Level::Destination => {
                if !has("Bucket") {
                    text = add(&text, &[default_member("Bucket")]);
                }
                text = wrap(&text, "Destination");
                level = Level::Rule;
            }
            Level::Filter => {
                text = wrap(&text, "Filter");
                level = Level::Rule;
            }
            Level::Rule => {
                let present: &[&str] = match start {
                    Level::Rule => names,
                    Level::Filter => &["Filter"],
                    _ => &["Destination"],
                };
                // A fragment with its own Status and Destination is a whole rule: it lacks
                // what it lacks on purpose (a rule about a missing Priority, say).
                let whole = present.contains(&"Status") && present.contains(&"Destination");
                if !whole {
                    text = add(&text, &rule_defaults(present));
                }
                text = rules(&text);
                if !with_root {
                    return text;
                }
                text = add(&text, &[default_member("Role")]);
                return root(&text);
            }
            Level::Root => {
                if !has("Rule") && !has("Rules") {
                    text = add(&text, &[default_member("Rules")]);
                }
                if !has("Role") {
                    text = add(&text, &[default_member("Role")]);
                }
                return root(&text);
            }
        }
    }
}

/// Default members of a rule that the fragment lacks, as member names (rendered per format).
fn rule_defaults(names: &[&str]) -> Vec<String> {
    let has = |n: &str| names.contains(&n);
    let v1 = has("Prefix");
    let mut out = Vec::new();
    for (name, wanted) in [
        ("Status", true),
        ("Priority", !v1),
        ("Filter", !v1),
        ("DeleteMarkerReplication", !v1),
        ("Destination", true),
    ] {
        if wanted && !has(name) {
            out.push(default_member(name));
        }
    }
    out
}

/// A marker for a default member; rendered by the format's `add`.
fn default_member(name: &str) -> String {
    name.to_string()
}

fn xml_default(name: &str) -> String {
    match name {
        "Role" => format!("<Role>{EXAMPLE_ROLE}</Role>"),
        "Rules" => format!(
            "<Rule>{}</Rule>",
            rule_defaults(&[])
                .iter()
                .map(|m| xml_default(m))
                .collect::<String>()
        ),
        "Bucket" => format!("<Bucket>{EXAMPLE_BUCKET}</Bucket>"),
        "Status" => "<Status>Enabled</Status>".into(),
        "Priority" => "<Priority>1</Priority>".into(),
        "Filter" => "<Filter/>".into(),
        "DeleteMarkerReplication" => {
            "<DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>".into()
        }
        _ => format!("<Destination><Bucket>{EXAMPLE_BUCKET}</Bucket></Destination>"),
    }
}

fn json_default(name: &str) -> String {
    match name {
        "Role" => format!("\"Role\": \"{EXAMPLE_ROLE}\""),
        "Rules" => format!(
            "\"Rules\": [{{{}}}]",
            rule_defaults(&[])
                .iter()
                .map(|m| json_default(m))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        "Bucket" => format!("\"Bucket\": \"{EXAMPLE_BUCKET}\""),
        "Status" => "\"Status\": \"Enabled\"".into(),
        "Priority" => "\"Priority\": 1".into(),
        "Filter" => "\"Filter\": {}".into(),
        "DeleteMarkerReplication" => {
            "\"DeleteMarkerReplication\": {\"Status\": \"Disabled\"}".into()
        }
        _ => format!("\"Destination\": {{\"Bucket\": \"{EXAMPLE_BUCKET}\"}}"),
    }
}

/// Insert JSON members right after the opening brace of an object's text.
fn json_add(text: &str, members: &[String]) -> String {
    if members.is_empty() {
        return text.to_string();
    }
    let defaults: Vec<String> = members.iter().map(|m| json_default(m)).collect();
    let t = text.trim();
    let inner = t
        .strip_prefix('{')
        .and_then(|r| r.strip_suffix('}'))
        .unwrap_or(t);
    if inner.trim().is_empty() {
        format!("{{{}}}", defaults.join(", "))
    } else {
        format!("{{{}, {inner}}}", defaults.join(", "))
    }
}

impl Example<'_> {
    /// The example as a whole document, so it can be checked (and opened in an editor).
    ///
    /// Examples may be fragments to keep the docs short: the members of a rule, a filter, a
    /// destination or an encryption configuration (XML elements, or a JSON object or bare
    /// `"Member": value` list), or whole `<Rule>`s. A fragment is wrapped level by level in
    /// the members around it, and the required members it lacks get neutral defaults
    /// ([`EXAMPLE_ROLE`], [`EXAMPLE_BUCKET`], Status Enabled, Priority 1, an empty Filter,
    /// DeleteMarkerReplication Disabled; none of them for a V1 rule with a rule-level Prefix).
    /// In XML, `...` between elements stands for elided members and is dropped. The fragment's
    /// own text is kept verbatim, so malformed examples stay malformed; whole documents and
    /// anything unrecognised (such as IAM policies) are returned as they are.
    pub fn document(&self) -> String {
        let code = self.code.trim();
        match self.lang {
            "xml" => {
                let elided = code.replace(">...<", "><").replace("\n...\n", "\n");
                let elements = xml_top_elements(&elided);
                let names: Vec<&str> = elements.iter().map(|e| e.0).collect();
                match names.first().map(|n| level_of(n)) {
                    None | Some(Some(Level::Document)) => return self.code.clone(),
                    _ => {}
                }
                let is_root = |n: &str| level_of(n) == Some(Level::Root);
                let nested = |n: &str| level_of(n).is_some_and(|l| l > Level::Root);
                if !(names.iter().any(|n| is_root(n)) && names.iter().any(|n| nested(n))) {
                    return xml_complete(&elided, &names, true);
                }
                // Root members (Role) beside rule members: the latter form one rule.
                let (mut top, mut rest, mut last) = (String::new(), String::new(), 0);
                let mut rest_names = Vec::new();
                for (name, range) in &elements {
                    rest.push_str(elided.get(last..range.start).unwrap_or(""));
                    let part = elided.get(range.clone()).unwrap_or("");
                    if is_root(name) {
                        top.push_str(part);
                    } else {
                        rest.push_str(part);
                        rest_names.push(*name);
                    }
                    last = range.end;
                }
                rest.push_str(elided.get(last..).unwrap_or(""));
                top.push_str(&xml_complete(&rest, &rest_names, false));
                let mut top_names: Vec<&str> =
                    names.iter().copied().filter(|n| is_root(n)).collect();
                top_names.push("Rule");
                xml_complete(&top, &top_names, true)
            }
            "json" => {
                let object = if code.starts_with('{') || code.starts_with('[') {
                    code.to_string()
                } else {
                    format!("{{{code}}}")
                };
                match serde_json::from_str::<serde_json::Value>(&object) {
                    Ok(serde_json::Value::Array(_)) => {
                        format!("{{\"Role\": \"{EXAMPLE_ROLE}\", \"Rules\": {object}}}\n")
                    }
                    Ok(serde_json::Value::Object(m)) => {
                        let names: Vec<&str> = m.keys().map(String::as_str).collect();
                        if names.iter().all(|n| level_of(n).is_none()) {
                            return self.code.clone();
                        }
                        let mut out = complete(
                            object.clone(),
                            &names,
                            json_add,
                            |text, name| format!("{{\"{name}\": {text}}}"),
                            |text| format!("{{\"Rules\": [{text}]}}"),
                            |text| text.to_string(),
                            true,
                        );
                        out.push('\n');
                        out
                    }
                    _ => self.code.clone(),
                }
            }
            _ => self.code.clone(),
        }
    }
}

/// Every fenced block in the `## Example` section.
pub fn examples(docs: &str) -> Vec<Example<'_>> {
    let Some(body) = section(docs, "Example") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut context = None;
    let mut current: Option<(&str, String)> = None;
    for line in body.lines() {
        let t = line.trim();
        match &mut current {
            Some((lang, code)) => {
                if t.starts_with("```") {
                    out.push(Example {
                        lang,
                        code: std::mem::take(code),
                        context: context.take(),
                    });
                    current = None;
                } else {
                    code.push_str(line);
                    code.push('\n');
                }
            }
            None => {
                if let Some(info) = t.strip_prefix("```") {
                    current = Some((info.trim(), String::new()));
                } else if let Some(c) = t
                    .strip_prefix("<!-- context:")
                    .and_then(|c| c.strip_suffix("-->"))
                {
                    context = Some(c.trim());
                } else if !t.is_empty() {
                    context = None;
                }
            }
        }
    }
    out
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
