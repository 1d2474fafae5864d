//! AWS CLI JSON (`aws s3api put-bucket-replication --replication-configuration file://...`):
//! two-space indentation, `"Key": value`, integers as numbers, `{}` / `[]` when empty.

use super::{document_fields, Field, Value};
use crate::model::Document;

/// Serialize `doc` as the CLI's JSON document. Always ends with a newline.
pub fn to_json(doc: &Document) -> String {
    let fields = document_fields(doc);
    let mut out = String::with_capacity(256 + doc.rules.len() * 512);
    write_struct(&mut out, &fields, 0);
    out.push('\n');
    out
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn write_struct(out: &mut String, fields: &[Field<'_>], depth: usize) {
    if fields.is_empty() {
        out.push_str("{}");
        return;
    }
    out.push_str("{\n");
    for (i, f) in fields.iter().enumerate() {
        indent(out, depth + 1);
        escape_string(out, f.name);
        out.push_str(": ");
        write_value(out, &f.value, depth + 1);
        if i + 1 < fields.len() {
            out.push(',');
        }
        out.push('\n');
    }
    indent(out, depth);
    out.push('}');
}

fn write_value(out: &mut String, value: &Value<'_>, depth: usize) {
    match value {
        Value::Str(s) => escape_string(out, s),
        Value::Int(n) => out.push_str(&n.to_string()),
        Value::Struct(fields) => write_struct(out, fields, depth),
        Value::List { items, .. } => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push_str("[\n");
            for (i, v) in items.iter().enumerate() {
                indent(out, depth + 1);
                write_value(out, v, depth + 1);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            indent(out, depth);
            out.push(']');
        }
    }
}

/// A JSON string literal: `"` and `\` escaped, control characters as short escapes or
/// `\u00XX`; everything else (including non-ASCII) written as UTF-8.
pub fn escape_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        let mut s = String::new();
        escape_string(&mut s, "a\"b\\c\n\u{1}é\u{1F600}");
        assert_eq!(s, "\"a\\\"b\\\\c\\n\\u0001é\u{1F600}\"");
        assert_eq!(
            serde_json::from_str::<String>(&s).ok().as_deref(),
            Some("a\"b\\c\n\u{1}é\u{1F600}")
        );
    }

    #[test]
    fn empty_document() {
        assert_eq!(to_json(&Document::default()), "{\n  \"Rules\": []\n}\n");
    }
}
