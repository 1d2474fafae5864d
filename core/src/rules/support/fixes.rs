//! Format-aware text edits for fixes: insert or remove a member, rewrite a value.

use super::edit::{format_of, replace_string_value, Layout, Node};
use crate::diagnostic::Diagnostic;
use crate::model::{Document, Format, Meta};
use crate::source::Span;

/// An edit that inserts `node` as a sibling member after `after`, laid out like it (on its
/// own line with its indentation, nested members one level further in).
pub fn insert_after(
    doc: &Document,
    text: &str,
    after: &Meta,
    node: Node,
) -> Option<(Span, String)> {
    let end = after.span.end as usize;
    if end > text.len() || !text.is_char_boundary(end) || after.span.is_empty() {
        return None;
    }
    let layout = Layout::of(text, format_of(doc, text), after, after);
    let mut new = layout.after(&[node]);
    if layout.indent.is_none() && layout.format == Format::Xml {
        // Not on a line of its own: one space apart, as before.
        new.insert(0, ' ');
    }
    Some((Span::empty(end), new))
}

/// An edit that removes the member `m`, with its line when it stands on one, and in JSON the
/// comma that separated it.
pub fn remove_member(doc: &Document, text: &str, m: &Meta) -> Option<(Span, String)> {
    let (start, end) = (m.span.start as usize, m.span.end as usize);
    if end > text.len() || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
        return None;
    }
    let b = text.as_bytes();
    let ws = |c: u8| c == b' ' || c == b'\t' || c == b'\r' || c == b'\n';
    let mut from = start;
    while from > 0 && ws(b[from - 1]) {
        from -= 1;
    }
    let mut to = end;
    if format_of(doc, text) == Format::Json {
        let mut after = end;
        while after < b.len() && ws(b[after]) {
            after += 1;
        }
        if b.get(after) == Some(&b',') {
            // `"A": 1, "B"`: drop the member, its comma and the space up to the next one.
            to = after + 1;
            while to < b.len() && ws(b[to]) {
                to += 1;
            }
            return Some((Span::new(from, to), text[from..start].to_string()));
        }
        if from > 0 && b[from - 1] == b',' {
            from -= 1; // the last member: the comma before it goes
        }
        return Some((Span::new(from, to), String::new()));
    }
    while to < b.len() && (b[to] == b' ' || b[to] == b'\t') {
        to += 1;
    }
    // Keep the whitespace before the next sibling or closing tag.
    Some((Span::new(from, to), String::new()))
}

/// Attach a fix that rewrites the string value at `span` to `value`, written in the value's
/// own syntax (a JSON string keeps its quotes, XML text is escaped).
pub fn set_value_fix(
    d: &mut Diagnostic,
    text: &str,
    span: Span,
    value: &str,
    title: impl Into<String>,
) {
    let new = replace_string_value(text, span, value);
    set_fix(d, title, vec![(span, new)]);
}

/// Attach a fix to a diagnostic in place.
pub fn set_fix(d: &mut Diagnostic, title: impl Into<String>, edits: Vec<(Span, String)>) {
    *d = d.clone().with_fix(title, edits);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_on_the_anchor_line_or_after_it() {
        let t = "<A>\n    <B>x</B>\n</A>";
        let start = t.find("<B>").unwrap();
        let end = start + "<B>x</B>".len();
        let doc = Document {
            format: Some(Format::Xml),
            ..Document::default()
        };
        let after = Meta {
            span: Span::new(start, end),
            ..Meta::default()
        };
        let (at, new) = insert_after(&doc, t, &after, Node::Leaf("C", "y".into())).unwrap();
        assert_eq!((at, new.as_str()), (Span::empty(end), "\n    <C>y</C>"));
        // A block: its members one level further in, like the surroundings.
        let block = Node::Block(
            "C",
            vec![Node::Block("D", vec![Node::Leaf("E", "1".into())])],
        );
        let (_, new) = insert_after(&doc, t, &after, block).unwrap();
        assert_eq!(
            new,
            "\n    <C>\n      <D>\n        <E>1</E>\n      </D>\n    </C>"
        );
        let j = r#"{"B": 1}"#;
        let after = Meta {
            span: Span::new(1, 7),
            ..Meta::default()
        };
        let doc = Document {
            format: Some(Format::Json),
            ..Document::default()
        };
        let (_, new) = insert_after(&doc, j, &after, Node::Leaf("C", "2".into())).unwrap();
        assert_eq!(new, r#", "C": 2"#);
    }

    #[test]
    fn removes_a_member_with_its_line_or_comma() {
        let xml = Document {
            format: Some(Format::Xml),
            ..Document::default()
        };
        let t = "<A>\n  <B>x</B>\n  <C>y</C>\n</A>";
        let m = |t: &str, what: &str| Meta {
            span: Span::new(t.find(what).unwrap(), t.find(what).unwrap() + what.len()),
            ..Meta::default()
        };
        let (span, new) = remove_member(&xml, t, &m(t, "<C>y</C>")).unwrap();
        let out = format!(
            "{}{new}{}",
            &t[..span.start as usize],
            &t[span.end as usize..]
        );
        assert_eq!(out, "<A>\n  <B>x</B>\n</A>");
        let json = Document {
            format: Some(Format::Json),
            ..Document::default()
        };
        for (t, what, want) in [
            (r#"{"A": 1, "B": 2}"#, r#""B": 2"#, r#"{"A": 1}"#),
            (r#"{"A": 1, "B": 2}"#, r#""A": 1"#, r#"{"B": 2}"#),
            (
                "{\n  \"A\": 1,\n  \"B\": 2\n}",
                "\"A\": 1",
                "{\n  \"B\": 2\n}",
            ),
        ] {
            let (span, new) = remove_member(&json, t, &m(t, what)).unwrap();
            let out = format!(
                "{}{new}{}",
                &t[..span.start as usize],
                &t[span.end as usize..]
            );
            assert_eq!(out, want);
        }
    }
}
