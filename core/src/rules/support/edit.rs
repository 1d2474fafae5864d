//! Text-edit helpers for fixes: build members in the document's own format (XML or JSON) and
//! insert them next to existing members with the siblings' indentation and line breaks.
//! Not a rule: the fixes of several rule-level checks share it.

use crate::model::{Document, Format, Meta, Rule};
use crate::source::Span;
use std::collections::HashSet;

/// A member to write: a scalar, a block of members, or original text copied verbatim.
pub enum Node {
    /// `name` with an already-encoded value: XML character data, or a JSON literal.
    Leaf(&'static str, String),
    Block(&'static str, Vec<Node>),
    /// A member copied from the source text (keeps the user's escaping).
    Raw(String),
}

impl Node {
    /// `{ Status: <value> }` blocks such as `DeleteMarkerReplication`.
    pub fn status_block(name: &'static str, value: &str, format: Format) -> Node {
        Node::Block(
            name,
            vec![Node::Leaf("Status", string_literal(value, format))],
        )
    }
}

/// How members are laid out around an anchor member.
pub struct Layout {
    pub format: Format,
    /// Indentation of the anchor's line, when the anchor starts its own line.
    pub indent: Option<String>,
    /// One level of indentation (derived from the parent, default two spaces).
    pub unit: String,
    pub newline: &'static str,
}

impl Layout {
    /// Layout of the members of `parent`, judged from one of its members `member`.
    pub fn of(text: &str, format: Format, parent: &Meta, member: &Meta) -> Layout {
        let indent = line_indent(text, member.span.start as usize).map(str::to_string);
        let parent_indent = line_indent(text, parent.span.start as usize).unwrap_or("");
        let unit = match &indent {
            Some(i) if i.len() > parent_indent.len() && i.starts_with(parent_indent) => {
                i[parent_indent.len()..].to_string()
            }
            Some(i) if i.contains('\t') => "\t".to_string(),
            _ => "  ".to_string(),
        };
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        Layout {
            format,
            indent,
            unit,
            newline,
        }
    }

    /// Text inserted at the *end* of the anchor member to add `nodes` after it.
    pub fn after(&self, nodes: &[Node]) -> String {
        let mut out = String::new();
        for n in nodes {
            out.push_str(&self.separator());
            out.push_str(&self.render(n));
        }
        out
    }

    /// Text inserted at the *start* of the anchor member to add `nodes` before it.
    pub fn before(&self, nodes: &[Node]) -> String {
        let mut out = String::new();
        for n in nodes {
            out.push_str(&self.render(n));
            out.push_str(&self.separator());
        }
        out
    }

    /// Text that replaces the anchor member by `nodes` (siblings at the anchor's level).
    pub fn replace(&self, nodes: &[Node]) -> String {
        let mut out = String::new();
        for (i, n) in nodes.iter().enumerate() {
            if i > 0 {
                out.push_str(&self.separator());
            }
            out.push_str(&self.render(n));
        }
        out
    }

    /// What goes between two sibling members at the anchor's level.
    fn separator(&self) -> String {
        let comma = if self.format == Format::Json { "," } else { "" };
        match &self.indent {
            Some(i) => format!("{comma}{}{i}", self.newline),
            None if self.format == Format::Json => ", ".to_string(),
            None => String::new(),
        }
    }

    fn render(&self, node: &Node) -> String {
        let mut out = String::new();
        self.render_at(node, self.indent.as_deref(), &mut out);
        out
    }

    fn render_at(&self, node: &Node, indent: Option<&str>, out: &mut String) {
        let json = self.format == Format::Json;
        match node {
            Node::Raw(text) => out.push_str(text),
            Node::Leaf(name, value) if json => {
                out.push_str(&format!("\"{name}\": {value}"));
            }
            Node::Leaf(name, value) => out.push_str(&format!("<{name}>{value}</{name}>")),
            Node::Block(name, children) => {
                out.push_str(&if json {
                    format!("\"{name}\": {{")
                } else {
                    format!("<{name}>")
                });
                let inner = indent.map(|i| format!("{i}{}", self.unit));
                for (k, child) in children.iter().enumerate() {
                    if json && k > 0 {
                        out.push(',');
                        if inner.is_none() {
                            out.push(' ');
                        }
                    }
                    if let Some(inner) = &inner {
                        out.push_str(self.newline);
                        out.push_str(inner);
                    }
                    self.render_at(child, inner.as_deref(), out);
                }
                if let Some(i) = indent {
                    out.push_str(self.newline);
                    out.push_str(i);
                }
                if json {
                    out.push('}');
                } else {
                    out.push_str(&format!("</{name}>"));
                }
            }
        }
    }
}

/// The whitespace before `pos` on its line, if only whitespace precedes it there.
pub fn line_indent(text: &str, pos: usize) -> Option<&str> {
    let before = text.get(..pos)?;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let indent = &before[start..];
    indent
        .bytes()
        .all(|b| b == b' ' || b == b'\t')
        .then_some(indent)
}

/// A string value in the document's syntax: XML character data or a JSON string literal.
pub fn string_literal(value: &str, format: Format) -> String {
    match format {
        Format::Xml => value
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;"),
        Format::Json => serde_json::to_string(value).unwrap_or_else(|_| "\"\"".to_string()),
    }
}

/// The replacement for a string value's span: keeps JSON quoting when the span has quotes.
pub fn replace_string_value(text: &str, span: Span, value: &str) -> String {
    let quoted = text.get(span.range()).is_some_and(|s| s.starts_with('"'));
    if quoted {
        string_literal(value, Format::Json)
    } else {
        string_literal(value, Format::Xml)
    }
}

/// The document's format, defaulting from the text when the model does not say.
pub fn format_of(doc: &Document, text: &str) -> Format {
    doc.format.unwrap_or_else(|| {
        if text.trim_start().starts_with('<') {
            Format::Xml
        } else {
            Format::Json
        }
    })
}

/// Original source text of a member (empty if the span is not valid for `text`).
pub fn source_of(text: &str, span: Span) -> &str {
    text.get(span.range()).unwrap_or("")
}

/// Priorities for rules that lack one: distinct from every priority in the document and from
/// each other, counting up from the highest one in use (so the new rules win ties of
/// overlap, which is the order a reader expects when appending rules). Indexes are rule
/// indexes; the result is parallel to `needs`.
pub fn allocate_priorities(doc: &Document, needs: &[usize]) -> Vec<i64> {
    const MAX: i64 = i32::MAX as i64;
    let used: HashSet<i64> = doc
        .rules
        .iter()
        .filter_map(|r: &Rule| r.priority.as_ref().map(|p| p.value))
        .collect();
    let highest = used.iter().copied().filter(|p| (0..=MAX).contains(p)).max();
    let mut next = highest.map_or(1, |h| h.saturating_add(1));
    let mut taken: HashSet<i64> = HashSet::new();
    let mut out = Vec::with_capacity(needs.len());
    for _ in needs {
        if next > MAX {
            next = 0;
        }
        // At most used.len() + needs.len() values are skipped, so this terminates.
        while used.contains(&next) || taken.contains(&next) {
            next += 1;
            if next > MAX {
                next = 0;
            }
        }
        taken.insert(next);
        out.push(next);
        next += 1;
    }
    out
}
