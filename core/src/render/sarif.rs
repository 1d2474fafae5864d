//! SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`): one run whose
//! `tool.driver.rules` is the whole rule registry (with docs), and one result per diagnostic
//! with its region in UTF-16 columns (SARIF's default `columnKind`, stated explicitly).

use crate::catalogue::{Confidence, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{self, reference};
use crate::source::{LineIndex, Span};
use serde_json::{json, Map, Value};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const TOOL_NAME: &str = "s3-replication-lint";
/// Where the tool is documented (the repository, when the manifest names one).
pub const INFORMATION_URI: &str = match option_env!("CARGO_PKG_REPOSITORY") {
    Some(uri) if !uri.is_empty() => uri,
    _ => "https://www.npmjs.com/package/s3-replication-lint",
};

/// SARIF level of a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// One SARIF log for several files: `(file name as the URI to report, source text, diagnostics
/// found in it)`. Regions are computed from the diagnostics' byte spans against the source.
pub fn render(files: &[(&str, &str, &[Diagnostic])]) -> String {
    let registry = rules::registry();
    let driver_rules: Vec<Value> = registry.iter().map(|r| rule_descriptor(r)).collect();
    let mut results = Vec::new();
    for (file, source, diags) in files {
        let index = LineIndex::new(source);
        let uri = file_uri(file);
        for d in diags.iter() {
            results.push(result(d, &uri, source, &index, registry));
        }
    }
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": TOOL_NAME,
                    "version": crate::VERSION,
                    "semanticVersion": crate::VERSION,
                    "informationUri": INFORMATION_URI,
                    "rules": driver_rules,
                }
            },
            "columnKind": "utf16CodeUnits",
            "results": results,
        }]
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".to_string());
    out.push('\n');
    out
}

fn precision(c: Confidence) -> &'static str {
    match c {
        Confidence::Observed => "very-high",
        Confidence::Documented => "high",
        Confidence::Emulator => "medium",
        Confidence::Inferred => "low",
    }
}

fn rule_descriptor(r: &RuleMeta) -> Value {
    let full = reference::section(r.docs, "What it does")
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| r.summary.to_string());
    let mut markdown = format!("**{}** ({}): {}\n\n", r.code, r.name, r.summary);
    if let Some(err) = r.s3_error {
        markdown.push_str(&format!("S3 error: {}\n\n", reference::inline_code(err)));
    }
    markdown.push_str(r.docs);
    json!({
        "id": r.code,
        "name": r.name,
        "shortDescription": { "text": r.summary },
        "fullDescription": { "text": full },
        "help": { "text": r.docs, "markdown": markdown },
        "defaultConfiguration": { "level": level(r.severity) },
        "properties": {
            "tags": ["s3", "replication"],
            "precision": precision(r.confidence),
            "problem.severity": match r.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "recommendation",
            },
        }
    })
}

fn region(source: &str, index: &LineIndex, span: Span) -> Value {
    // Defensive: a reversed span would make a region SARIF consumers reject.
    let span = Span {
        start: span.start.min(span.end),
        end: span.start.max(span.end),
    };
    let r = index.range(source, span);
    json!({
        "startLine": r.start.line,
        "startColumn": r.start.column,
        "endLine": r.end.line,
        "endColumn": r.end.column,
    })
}

fn physical(uri: &str, source: &str, index: &LineIndex, span: Span) -> Value {
    json!({
        "artifactLocation": { "uri": uri },
        "region": region(source, index, span),
    })
}

fn result(
    d: &Diagnostic,
    uri: &str,
    source: &str,
    index: &LineIndex,
    registry: &[&RuleMeta],
) -> Value {
    let mut obj = Map::new();
    obj.insert("ruleId".into(), d.code.into());
    if let Some(i) = registry.iter().position(|r| r.code == d.code) {
        obj.insert("ruleIndex".into(), i.into());
    }
    obj.insert("level".into(), level(d.severity).into());
    let text = match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    };
    obj.insert("message".into(), json!({ "text": text }));
    obj.insert(
        "locations".into(),
        json!([{ "physicalLocation": physical(uri, source, index, d.span) }]),
    );
    if !d.related.is_empty() {
        let related: Vec<Value> = d
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| {
                json!({
                    "id": i + 1,
                    "message": { "text": r.message },
                    "physicalLocation": physical(uri, source, index, r.span),
                })
            })
            .collect();
        obj.insert("relatedLocations".into(), related.into());
    }
    if let Some(fix) = &d.fix {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|e| {
                json!({
                    "deletedRegion": region(source, index, e.span),
                    "insertedContent": { "text": e.new_text },
                })
            })
            .collect();
        obj.insert(
            "fixes".into(),
            json!([{
                "description": { "text": fix.title },
                "artifactChanges": [{
                    "artifactLocation": { "uri": uri },
                    "replacements": replacements,
                }],
            }]),
        );
    }
    if !d.path.is_empty() {
        obj.insert("properties".into(), json!({ "path": d.path }));
    }
    Value::Object(obj)
}

/// A file name as a SARIF artifact URI: forward slashes, percent-encoding outside the
/// unreserved set; relative names stay relative (what GitHub resolves against the checkout),
/// absolute ones become `file://` URIs.
pub fn file_uri(name: &str) -> String {
    let name = name.replace('\\', "/");
    let name = name.strip_prefix("./").unwrap_or(&name);
    let (prefix, rest) = if let Some(abs) = name.strip_prefix('/') {
        ("file:///", abs)
    } else if name.len() >= 3
        && name.as_bytes()[0].is_ascii_alphabetic()
        && &name.as_bytes()[1..3] == b":/"
    {
        // A Windows drive path: keep the drive colon.
        ("file:///", name)
    } else {
        ("", name)
    };
    let mut out = String::from(prefix);
    for (i, b) in rest.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
            || (b == b':' && !prefix.is_empty() && i == 1);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        assert_eq!(file_uri("./configs/a b.xml"), "configs/a%20b.xml");
        assert_eq!(file_uri("/tmp/x.json"), "file:///tmp/x.json");
        assert_eq!(file_uri("C:\\cfg\\x.xml"), "file:///C:/cfg/x.xml");
        assert_eq!(file_uri("é:x"), "%C3%A9%3Ax");
    }
}
