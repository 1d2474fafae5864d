//! Canonical S3 XML: an XML declaration, the S3 namespace on the root, two-space indentation,
//! one element per line, `<X/>` for empty elements, and lists flattened (repeated elements).

use super::{document_fields, Field, Value, S3_NAMESPACE};
use crate::model::Document;

/// Serialize `doc` as the XML body of `PutBucketReplication`. Always ends with a newline.
pub fn to_xml(doc: &Document) -> String {
    let fields = document_fields(doc);
    let mut out = String::with_capacity(256 + doc.rules.len() * 512);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<ReplicationConfiguration xmlns=\"");
    out.push_str(S3_NAMESPACE);
    out.push('"');
    if writes_nothing(&fields) {
        out.push_str("/>\n");
        return out;
    }
    out.push_str(">\n");
    write_fields(&mut out, &fields, 1);
    out.push_str("</ReplicationConfiguration>\n");
    out
}

/// True when no child element would be written (only empty lists).
fn writes_nothing(fields: &[Field<'_>]) -> bool {
    fields
        .iter()
        .all(|f| matches!(&f.value, Value::List { items, .. } if items.is_empty()))
}

fn write_fields(out: &mut String, fields: &[Field<'_>], depth: usize) {
    for f in fields {
        match &f.value {
            Value::List { item, items } => {
                for v in items {
                    write_element(out, item, v, depth);
                }
            }
            v => write_element(out, f.name, v, depth),
        }
    }
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn write_element(out: &mut String, name: &str, value: &Value<'_>, depth: usize) {
    indent(out, depth);
    match value {
        Value::Str("") => empty(out, name),
        Value::Str(s) => {
            open(out, name);
            escape_text(out, s);
            close(out, name);
        }
        Value::Int(n) => {
            open(out, name);
            out.push_str(&n.to_string());
            close(out, name);
        }
        Value::Struct(fields) if writes_nothing(fields) => empty(out, name),
        Value::Struct(fields) => {
            open(out, name);
            out.push('\n');
            write_fields(out, fields, depth + 1);
            indent(out, depth);
            close(out, name);
        }
        // Lists are always fields of a structure and handled by `write_fields`; a nested list
        // (which the model never builds) is written as repeated elements of its item name.
        Value::List { item, items } => {
            open(out, name);
            out.push('\n');
            for v in items {
                write_element(out, item, v, depth + 1);
            }
            indent(out, depth);
            close(out, name);
        }
    }
}

fn open(out: &mut String, name: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
}

fn close(out: &mut String, name: &str) {
    out.push_str("</");
    out.push_str(name);
    out.push_str(">\n");
}

fn empty(out: &mut String, name: &str) {
    out.push('<');
    out.push_str(name);
    out.push_str("/>\n");
}

/// Escape character data: the five predefined entities, and every control character
/// (including tab, CR and LF, which XML parsers would otherwise normalise) as a character
/// reference. Characters XML 1.0 cannot carry at all (NUL, other C0 controls, U+FFFE/U+FFFF)
/// are written as references too, so nothing is lost silently; S3 will reject such a value.
pub fn escape_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 || c == '\u{7f}' || c == '\u{fffe}' || c == '\u{ffff}' => {
                out.push_str(&format!("&#x{:X};", c as u32));
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Filter, Rule, Val};

    #[test]
    fn escapes_specials_and_controls() {
        let mut s = String::new();
        escape_text(&mut s, "a<b>&\"'\r\n\t\u{1}é");
        assert_eq!(s, "a&lt;b&gt;&amp;&quot;&apos;&#xD;&#xA;&#x9;&#x1;é");
    }

    #[test]
    fn empty_document_and_empty_members() {
        let doc = Document::default();
        assert_eq!(
            to_xml(&doc),
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ReplicationConfiguration xmlns=\"{S3_NAMESPACE}\"/>\n")
        );
        let doc = Document {
            rules: vec![Rule {
                prefix: Some(Val::new(String::new())),
                filter: Some(Filter::default()),
                ..Rule::default()
            }],
            ..Document::default()
        };
        let xml = to_xml(&doc);
        assert!(
            xml.contains("  <Rule>\n    <Prefix/>\n    <Filter/>\n  </Rule>\n"),
            "{xml}"
        );
    }
}
