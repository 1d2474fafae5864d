//! The format-neutral syntax tree both parsers produce: objects of named members, arrays and
//! scalars, each with byte spans. XML elements become members (repeated elements repeat the
//! member), JSON keeps its arrays. Lowering (`lower.rs`) turns it into the typed model.
//! The XML parser stores its members flat, in one arena ([`Content::Subtree`]); [`nest`]
//! gives the nested form.

use crate::source::Span;
use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq)]
pub enum Content<'a> {
    /// XML character data (entity-decoded) or a JSON string.
    Text(Cow<'a, str>),
    /// A JSON number, as written.
    Number(Cow<'a, str>),
    Bool(bool),
    Null,
    Object(Vec<Member<'a>>),
    Array(Vec<Node<'a>>),
    /// XML only: an object whose members are stored after this one in the parser's arena,
    /// each followed by its own descendants, up to (not including) arena index `end`. One
    /// arena for the whole document instead of a vector per element: a `<Rule>` is about
    /// ten elements with children, and their allocations were a tenth of parsing.
    Subtree {
        end: u32,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    pub content: Content<'a>,
    /// The value: JSON value, or the XML content between the tags (empty span for `<X/>`).
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member<'a> {
    pub name: Cow<'a, str>,
    /// The element name in the start tag, or the JSON key including its quotes.
    pub name_span: Span,
    /// The whole member: `<X>..</X>` or `"X": value`.
    pub span: Span,
    pub value: Node<'a>,
}

impl Content<'_> {
    pub fn kind(&self) -> &'static str {
        match self {
            Content::Text(_) => "a string",
            Content::Number(_) => "a number",
            Content::Bool(_) => "a boolean",
            Content::Null => "null",
            Content::Object(_) | Content::Subtree { .. } => "an object",
            Content::Array(_) => "an array",
        }
    }
}

/// The direct children of an object, with their indices in the slice they live in.
pub struct Children<'n, 'a> {
    arena: &'n [Member<'a>],
    next: usize,
    end: usize,
}

impl<'n, 'a> Children<'n, 'a> {
    /// The children of the object `node`, which is `arena[at]` when its content is a
    /// [`Content::Subtree`] (none when it is not an object).
    pub fn of(node: &'n Node<'a>, arena: &'n [Member<'a>], at: usize) -> Children<'n, 'a> {
        match &node.content {
            Content::Object(ms) => Children::within(ms, 0, ms.len()),
            Content::Subtree { end } => Children::within(arena, at + 1, *end as usize),
            _ => Children::within(&[], 0, 0),
        }
    }

    /// The members of `arena` from `from` (a child) up to `end`, skipping descendants.
    pub fn within(arena: &'n [Member<'a>], from: usize, end: usize) -> Children<'n, 'a> {
        Children {
            arena,
            next: from,
            end: end.min(arena.len()),
        }
    }
}

impl<'n, 'a> Iterator for Children<'n, 'a> {
    type Item = (usize, &'n Member<'a>);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let k = self.next;
        if k >= self.end {
            return None;
        }
        let m = self.arena.get(k)?;
        // Always forward, whatever `end` a member claims.
        self.next = match m.value.content {
            Content::Subtree { end } => (end as usize).max(k + 1),
            _ => k + 1,
        };
        Some((k, m))
    }
}

/// The nested form of `arena[at]` (each [`Content::Subtree`] becomes a [`Content::Object`]).
pub fn nest<'a>(arena: &[Member<'a>], at: usize) -> Option<Member<'a>> {
    let m = arena.get(at)?;
    let content = match &m.value.content {
        Content::Subtree { .. } => Content::Object(
            Children::of(&m.value, arena, at)
                .filter_map(|(k, _)| nest(arena, k))
                .collect(),
        ),
        other => other.clone(),
    };
    Some(Member {
        name: m.name.clone(),
        name_span: m.name_span,
        span: m.span,
        value: Node {
            content,
            span: m.value.span,
        },
    })
}
