//! The format-neutral syntax tree both parsers produce: objects of named members, arrays and
//! scalars, each with byte spans. XML elements become members (repeated elements repeat the
//! member), JSON keeps its arrays. Lowering (`lower.rs`) turns it into the typed model.

use crate::source::Span;
use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq)]
pub enum Content<'a> {
    /// XML character data (entity-decoded) or a JSON string.
    Text(Cow<'a, str>),
    /// A JSON number, as written.
    Number(&'a str),
    Bool(bool),
    Null,
    Object(Vec<Member<'a>>),
    Array(Vec<Node<'a>>),
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
            Content::Object(_) => "an object",
            Content::Array(_) => "an array",
        }
    }
}
