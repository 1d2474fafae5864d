//! A rule's `## Example` blocks, and fragments completed into whole documents (the Role,
//! a destination and the members a rule needs put around them) that the linter can check.

use super::section;

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
