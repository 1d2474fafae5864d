//! YAML (CloudFormation's flavour) -> the crate's spanned syntax tree.
//!
//! `saphyr-parser` tokenizes; this file builds [`Node`]s with byte spans. CloudFormation's
//! short intrinsic tags become their long form, as cfn-lint's loader does: `!Ref x` ->
//! `{"Ref": x}`, `!Condition c` -> `{"Condition": c}`, any other `!X v` -> `{"Fn::X": v}`.
//! Aliases and merge keys (`<<`) are expanded under a node budget, so a "billion laughs"
//! document is refused (with its position) before it is built.

use crate::catalogue::parse as codes;
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::syntax::{Content, Member, Node};
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};
use std::borrow::Cow;

/// Nesting deeper than this is refused (a template nests about 12 levels).
pub const MAX_DEPTH: usize = 64;

/// Nodes built, aliases included, at most this many plus 16 per input byte.
const BASE_BUDGET: usize = 200_000;

/// Parse the first YAML document of `text`. Problems are reported with positions; the tree
/// is returned when the text was well-formed.
pub fn parse(text: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Node<'static>> {
    let offsets = Offsets::new(text);
    let mut b = Builder {
        text,
        anchors: Vec::new(),
        budget: BASE_BUDGET.saturating_add(text.len().saturating_mul(16)),
        stack: Vec::new(),
        root: None,
        documents: 0,
    };
    let mut parser = Parser::new_from_str(text);
    loop {
        let (event, span) = match parser.next_event() {
            None => break,
            Some(Ok(e)) => e,
            Some(Err(e)) => {
                diagnostics.push(scan_error(&offsets, &e));
                return None;
            }
        };
        let span = Span::new(
            offsets.byte(span.start.index()),
            offsets.byte(span.end.index()),
        );
        match b.event(event, span) {
            Ok(true) => break,
            Ok(false) => {}
            Err((span, message)) => {
                diagnostics.push(Diagnostic::new(
                    codes::MALFORMED.code,
                    codes::MALFORMED.severity,
                    span,
                    "",
                    message,
                ));
                return None;
            }
        }
    }
    b.root
}

fn scan_error(offsets: &Offsets, e: &ScanError) -> Diagnostic {
    let at = offsets.byte(e.marker().index());
    Diagnostic::new(
        codes::MALFORMED.code,
        codes::MALFORMED.severity,
        Span::new(at, at),
        "",
        format!("Invalid YAML: {}", e.info()),
    )
}

/// Character index -> byte offset (the parser counts characters).
struct Offsets {
    /// `None` for ASCII text, where both are equal.
    table: Option<Vec<u32>>,
    len: usize,
}

impl Offsets {
    fn new(text: &str) -> Offsets {
        let table = (!text.is_ascii()).then(|| {
            let mut t: Vec<u32> = text.char_indices().map(|(i, _)| i as u32).collect();
            t.push(text.len() as u32);
            t
        });
        Offsets {
            table,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.table {
            None => char_index.min(self.len),
            Some(t) => t.get(char_index).map_or(self.len, |&b| b as usize),
        }
    }
}

type Fail = (Span, String);

enum Frame {
    Seq {
        start: Span,
        items: Vec<Node<'static>>,
        tag: Option<(String, Span)>,
        anchor: usize,
    },
    Map {
        start: Span,
        members: Vec<Member<'static>>,
        /// The key read, waiting for its value.
        key: Option<(String, Span)>,
        tag: Option<(String, Span)>,
        anchor: usize,
    },
}

struct Builder<'a> {
    text: &'a str,
    /// Anchor id -> the node it names and its size in nodes.
    anchors: Vec<Option<(Node<'static>, usize)>>,
    budget: usize,
    stack: Vec<Frame>,
    root: Option<Node<'static>>,
    documents: usize,
}

impl<'a> Builder<'a> {
    /// Returns `Ok(true)` when the first document is complete.
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<bool, Fail> {
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                Ok(false)
            }
            Event::DocumentEnd | Event::StreamEnd => Ok(self.root.is_some()),
            Event::Scalar(value, style, anchor, tag) => {
                let tag = tag.map(|t| (format!("{}{}", t.handle, t.suffix), span));
                let node = scalar(
                    self.text,
                    value,
                    style,
                    span,
                    tag.as_ref().map(|t| t.0.as_str()),
                );
                let node = wrap(node, tag);
                self.spend(1, span)?;
                self.remember(anchor, &node, 1);
                self.push(node, span)
            }
            Event::SequenceStart(anchor, tag) => {
                self.open(span)?;
                self.stack.push(Frame::Seq {
                    start: span,
                    items: Vec::new(),
                    tag: tag.map(|t| (format!("{}{}", t.handle, t.suffix), span)),
                    anchor,
                });
                Ok(false)
            }
            Event::MappingStart(anchor, tag) => {
                self.open(span)?;
                self.stack.push(Frame::Map {
                    start: span,
                    members: Vec::new(),
                    key: None,
                    tag: tag.map(|t| (format!("{}{}", t.handle, t.suffix), span)),
                    anchor,
                });
                Ok(false)
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Ok(false);
                };
                let (node, tag, anchor) = match frame {
                    Frame::Seq {
                        start,
                        items,
                        tag,
                        anchor,
                    } => (
                        Node {
                            content: Content::Array(items),
                            span: start.cover(span),
                        },
                        tag,
                        anchor,
                    ),
                    Frame::Map {
                        start,
                        members,
                        tag,
                        anchor,
                        ..
                    } => (
                        Node {
                            content: Content::Object(members),
                            span: start.cover(span),
                        },
                        tag,
                        anchor,
                    ),
                };
                let node = wrap(node, tag);
                self.spend(1, span)?;
                // Only an anchored node can be copied by an alias: size it only then.
                if anchor != 0 {
                    let size = count(&node);
                    self.remember(anchor, &node, size);
                }
                self.push(node, span)
            }
            Event::Alias(id) => {
                let Some(Some((node, size))) = self.anchors.get(id) else {
                    return Err((span, "Invalid YAML: alias to an unknown anchor".into()));
                };
                let size = *size;
                let mut node = node.clone();
                self.spend(size, span)?;
                node.span = span;
                self.push(node, span)
            }
            Event::Nothing | Event::StreamStart => Ok(false),
        }
    }

    fn open(&mut self, span: Span) -> Result<(), Fail> {
        if self.stack.len() >= MAX_DEPTH {
            return Err((
                span,
                format!("The template nests more than {MAX_DEPTH} levels deep; refused"),
            ));
        }
        Ok(())
    }

    fn spend(&mut self, nodes: usize, span: Span) -> Result<(), Fail> {
        if nodes > self.budget {
            return Err((
                span,
                "YAML aliases expand to too many nodes (an alias bomb?); refused".into(),
            ));
        }
        self.budget -= nodes;
        Ok(())
    }

    fn remember(&mut self, anchor: usize, node: &Node<'static>, size: usize) {
        if anchor == 0 {
            return;
        }
        if self.anchors.len() <= anchor {
            self.anchors.resize(anchor + 1, None);
        }
        self.anchors[anchor] = Some((node.clone(), size));
    }

    fn push(&mut self, node: Node<'static>, span: Span) -> Result<bool, Fail> {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() && self.documents <= 1 {
                    self.root = Some(node);
                }
                Ok(false)
            }
            Some(Frame::Seq { items, .. }) => {
                items.push(node);
                Ok(false)
            }
            Some(Frame::Map { members, key, .. }) => match key.take() {
                None => match node.content {
                    Content::Text(k) => {
                        *key = Some((k.into_owned(), node.span));
                        Ok(false)
                    }
                    Content::Number(_) | Content::Bool(_) | Content::Null => {
                        *key = Some((scalar_text(&node), node.span));
                        Ok(false)
                    }
                    _ => Err((span, "Only text keys are supported in a template".into())),
                },
                Some((k, k_span)) => {
                    if k == "<<" {
                        merge(members, node, k_span)
                    } else {
                        members.push(Member {
                            name: Cow::Owned(k),
                            name_span: k_span,
                            span: k_span.cover(node.span),
                            value: node,
                        });
                        Ok(false)
                    }
                }
            },
        }
    }
}

/// `<<: *base` (or a list of them): members not already present are added.
fn merge(members: &mut Vec<Member<'static>>, node: Node<'static>, at: Span) -> Result<bool, Fail> {
    let sources = match node.content {
        Content::Object(ms) => vec![ms],
        Content::Array(items) => items
            .into_iter()
            .filter_map(|n| match n.content {
                Content::Object(ms) => Some(ms),
                _ => None,
            })
            .collect(),
        _ => {
            return Err((
                at,
                "A merge key (`<<`) needs a mapping or a list of mappings".into(),
            ))
        }
    };
    for ms in sources {
        for m in ms {
            if !members.iter().any(|x| x.name == m.name) {
                members.push(m);
            }
        }
    }
    Ok(false)
}

fn count(node: &Node<'_>) -> usize {
    1 + match &node.content {
        Content::Object(ms) => ms.iter().map(|m| count(&m.value)).sum(),
        Content::Array(items) => items.iter().map(count).sum(),
        _ => 0,
    }
}

fn scalar_text(node: &Node<'_>) -> String {
    match &node.content {
        Content::Text(t) => t.to_string(),
        Content::Number(n) => n.to_string(),
        Content::Bool(b) => b.to_string(),
        Content::Null => String::new(),
        _ => String::new(),
    }
}

/// A scalar with YAML's core schema for plain scalars (what CloudFormation reads).
fn scalar(
    text: &str,
    value: Cow<'_, str>,
    style: ScalarStyle,
    span: Span,
    tag: Option<&str>,
) -> Node<'static> {
    let content = if style != ScalarStyle::Plain || tag == Some("!!str") {
        Content::Text(Cow::Owned(value.into_owned()))
    } else {
        match value.as_ref() {
            "" | "~" | "null" | "Null" | "NULL" => Content::Null,
            "true" | "True" | "TRUE" => Content::Bool(true),
            "false" | "False" | "FALSE" => Content::Bool(false),
            v if is_number(v) => match text.get(span.range()) {
                // The digits as written (a plain scalar's span is its text).
                Some(raw) if raw == v => Content::Number(Cow::Owned(raw.to_owned())),
                _ => Content::Text(Cow::Owned(value.into_owned())),
            },
            _ => Content::Text(Cow::Owned(value.into_owned())),
        }
    };
    Node { content, span }
}

fn is_number(v: &str) -> bool {
    let digits = v.strip_prefix(['-', '+']).unwrap_or(v);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|&b| b == b'.').count() <= 1
        && digits.bytes().any(|b| b.is_ascii_digit())
}

/// Apply a node's tag: CloudFormation's short intrinsics become their long form.
fn wrap(node: Node<'static>, tag: Option<(String, Span)>) -> Node<'static> {
    let Some((tag, tag_span)) = tag else {
        return node;
    };
    let name = match tag.strip_prefix('!') {
        Some(short) if !short.starts_with('!') && !short.is_empty() => match short {
            "Ref" | "Condition" => short.to_string(),
            other => format!("Fn::{other}"),
        },
        // Core tags (`!!str`, `!!int`, ...) and verbatim tags change nothing here.
        _ => return node,
    };
    let span = node.span;
    let whole = Span::new(
        tag_span.start.min(span.start) as usize,
        span.end.max(tag_span.end) as usize,
    );
    Node {
        content: Content::Object(vec![Member {
            name: Cow::Owned(name),
            name_span: Span::new(
                whole.start as usize,
                whole.start as usize + tag.len().min(whole.len()),
            ),
            span: whole,
            value: node,
        }]),
        span: whole,
    }
}
