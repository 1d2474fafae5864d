//! XML (PutBucketReplication REST body) -> syntax tree, with quick-xml as the tokenizer.
//! Every element becomes a member with exact spans. DOCTYPE and custom entities are refused
//! outright (never expanded); depth, node count and attribute reports are bounded.

use super::{bom_len, MAX_DEPTH, MAX_NODES};
use crate::catalogue::parse as codes;
use crate::catalogue::RuleMeta;
use crate::diagnostic::Diagnostic;
use crate::lower::Lowerer;
use crate::model::{Document, Format, Rule};
use crate::source::Span;
use crate::syntax::{nest, Content, Member, Node};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::borrow::Cow;

pub const S3_NAMESPACE: &str = "http://s3.amazonaws.com/doc/2006-03-01/";
const ROOT: &str = "ReplicationConfiguration";
/// Attribute findings reported per document before going quiet.
const MAX_ATTRIBUTE_REPORTS: usize = 10;

struct Open<'a> {
    name: &'a str,
    name_span: Span,
    content_start: usize,
    /// This element's member in [`Builder::members`] (its children follow it).
    index: usize,
    /// Children were handed to the [`Sink`] instead (they still count as children).
    streamed: bool,
    text: Option<Cow<'a, str>>,
    /// First non-whitespace character data, for "text where elements belong".
    text_span: Option<Span>,
}

struct Builder<'a, 'd> {
    text: &'a str,
    diagnostics: &'d mut Vec<Diagnostic>,
    attribute_reports: usize,
    nodes: usize,
    /// Every element in document order, each followed by its descendants (see
    /// [`Content::Subtree`]); an element's member is written when it opens and completed when
    /// it closes. A streamed `<Rule>` is truncated away once lowered.
    members: Vec<Member<'a>>,
    sink: Option<&'d mut Sink>,
}

/// Lowers each `<Rule>` of the root as soon as it is closed, while its subtree is still in
/// the cache, and frees the subtree (the whole tree of a large document does not fit in it).
struct Sink {
    lowerer: Lowerer,
    rules: Vec<Rule>,
}

impl Builder<'_, '_> {
    fn report(&mut self, code: &RuleMeta, span: Span, message: String) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::new(code.code, code.severity, span, "", message));
        self.diagnostics.last_mut().expect("just pushed")
    }
}

/// Parse XML text. Returns the root member when the document is well-formed enough to check.
pub fn parse_tree<'a>(text: &'a str, diagnostics: &mut Vec<Diagnostic>) -> Option<Member<'a>> {
    nest(&build(text, diagnostics, None)?, 0)
}

/// Parse and lower XML text: the model when the document is well-formed enough to check.
/// Lowering diagnostics follow the parser's.
pub fn parse_document(text: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Document> {
    let mut sink = Sink {
        lowerer: Lowerer::new(Format::Xml),
        rules: Vec::new(),
    };
    let arena = build(text, diagnostics, Some(&mut sink))?;
    let doc = sink.lowerer.document_with(&arena, sink.rules);
    diagnostics.append(&mut sink.lowerer.diagnostics);
    Some(doc)
}

/// The arena of members (the root first) when the document is well-formed enough to check.
fn build<'a, 'd>(
    text: &'a str,
    diagnostics: &'d mut Vec<Diagnostic>,
    sink: Option<&'d mut Sink>,
) -> Option<Vec<Member<'a>>> {
    let base = bom_len(text);
    let mut b = Builder {
        text,
        diagnostics,
        attribute_reports: 0,
        nodes: 0,
        members: Vec::new(),
        sink,
    };
    forbidden_chars(&mut b);
    if text[base..].starts_with('\u{feff}') {
        // quick-xml would skip this one without counting it, shifting every position.
        b.report(
            &codes::MALFORMED,
            Span::new(base, base + 3),
            "A second byte order mark (U+FEFF) before the root element".into(),
        );
        return None;
    }
    let mut reader = Reader::from_str(&text[base..]);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.trim_text(false);
    let mut stack: Vec<Open<'a>> = Vec::new();
    let mut root = false;
    let mut root_ok = true;
    loop {
        let before = base + reader.buffer_position() as usize;
        // Matched in place: moving the event out of the `Result` copies it right after
        // quick-xml wrote it, a store-forwarding stall that cost a third of this loop.
        let read = reader.read_event();
        let event = match &read {
            Ok(e) => e,
            Err(e) => {
                let at = (base + reader.error_position() as usize).min(text.len());
                let rest = text.get(at..).unwrap_or("");
                let end = if rest.starts_with("</") {
                    // Underline the whole closing tag.
                    rest.find('>').map_or(text.len(), |i| at + i + 1)
                } else {
                    next_char_end(text, at)
                };
                let message = describe_error(e, &stack);
                let d = b.report(&codes::MALFORMED, Span::new(at, end), message);
                d.help = Some(
                    "S3 answers: MalformedXML: The XML you provided was not well-formed or did not validate against our published schema".into(),
                );
                if let Some(open) = stack.last() {
                    let related = format!("<{}> opened here", open.name);
                    *d = d.clone().with_related(open.name_span, related);
                }
                return None;
            }
        };
        let after = base + reader.buffer_position() as usize;
        match event {
            Event::Start(_) | Event::Empty(_) if stack.len() >= MAX_DEPTH => {
                let span = Span::new(before, after);
                b.report(
                    &codes::SIZE_LIMIT,
                    span,
                    format!("Elements nested deeper than {MAX_DEPTH} levels; a replication configuration needs 7"),
                );
                return None;
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name_span = start_element(
                    &mut b,
                    e,
                    before,
                    after,
                    &mut stack,
                    &mut root,
                    &mut root_ok,
                )?;
                let name = text.get(name_span.range()).unwrap_or("");
                let index = b.members.len();
                b.members.push(Member {
                    name: Cow::Borrowed(name),
                    name_span,
                    span: Span::new(before, after),
                    value: Node {
                        content: Content::Subtree { end: 0 },
                        span: Span::empty(after),
                    },
                });
                let open = |content_start| Open {
                    name,
                    name_span,
                    content_start,
                    index,
                    streamed: false,
                    text: None,
                    text_span: None,
                };
                if matches!(event, Event::Empty(_)) {
                    // `<X/>`: an empty value, located at the `>`.
                    let at = after.saturating_sub(1);
                    close(&mut b, open(at), at, after, &mut stack, &mut root)?;
                } else {
                    stack.reserve(1);
                    stack.push(open(after));
                }
            }
            Event::End(_) => {
                let Some(open) = stack.pop() else {
                    b.report(
                        &codes::MALFORMED,
                        Span::new(before, after),
                        "Closing tag without an opening tag".into(),
                    );
                    return None;
                };
                close(&mut b, open, before, after, &mut stack, &mut root)?;
            }
            Event::Text(_) => {
                // Positions come from quick-xml; never trust them to be char boundaries
                // (a second BOM, for one, is skipped by quick-xml without being counted).
                let raw = text.get(before..after).unwrap_or("");
                add_text(
                    &mut b,
                    &mut stack,
                    Cow::Borrowed(raw),
                    Span::new(before, after),
                );
            }
            Event::CData(_) => {
                // `<![CDATA[` ... `]]>`
                let inner = text.get(before + 9..after.saturating_sub(3)).unwrap_or("");
                add_text(
                    &mut b,
                    &mut stack,
                    Cow::Borrowed(inner),
                    Span::new(before, after),
                );
            }
            Event::GeneralRef(_) => {
                let name = text.get(before + 1..after.saturating_sub(1)).unwrap_or("");
                let span = Span::new(before, after);
                match resolve_reference(name) {
                    Some(s) => add_text(&mut b, &mut stack, Cow::Owned(s), span),
                    None => {
                        b.report(
                            &codes::FORBIDDEN_MARKUP,
                            span,
                            format!("Unknown entity `&{name};`: only &lt; &gt; &amp; &apos; &quot; and character references are allowed"),
                        )
                        .help = Some("Write the text out instead; entities are never expanded.".into());
                    }
                }
            }
            Event::DocType(_) => {
                b.report(
                    &codes::FORBIDDEN_MARKUP,
                    Span::new(before, after),
                    "DOCTYPE declarations are not allowed; entities they define are never expanded"
                        .into(),
                )
                .help = Some("Remove the <!DOCTYPE ...> declaration.".into());
                return None;
            }
            Event::Decl(_) if before != base => {
                let d = b.report(
                    &codes::MALFORMED,
                    Span::new(before, after),
                    "The XML declaration must be the very first thing in the document".into(),
                );
                d.help =
                    Some("Move `<?xml ...?>` to the start, or delete it (it is optional).".into());
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
        // A reader over a `&str` lends every event from the text (quick-xml owns only the end
        // event of an expanded empty element, an option left off here): there is nothing to
        // free, and the generic drop of the `Result` (a call per event) was 3 % of `check`.
        std::mem::forget(read);
    }
    if let Some(open) = stack.last() {
        let span = open.name_span;
        let name = open.name;
        b.report(&codes::MALFORMED, span, format!("<{name}> is never closed"))
            .help = Some(format!("Add </{name}> at the right place."));
        return None;
    }
    match root {
        true if root_ok => Some(b.members),
        true => None,
        false => {
            let at = text.len();
            b.report(
                &codes::MALFORMED,
                Span::empty(at),
                format!("No <{ROOT}> element found"),
            );
            None
        }
    }
}

fn start_element<'a>(
    b: &mut Builder<'a, '_>,
    e: &BytesStart<'_>,
    before: usize,
    after: usize,
    stack: &mut [Open<'a>],
    root: &mut bool,
    root_ok: &mut bool,
) -> Option<Span> {
    let text = b.text;
    b.nodes += 1;
    if b.nodes > MAX_NODES {
        b.report(
            &codes::SIZE_LIMIT,
            Span::new(before, after),
            format!("More than {MAX_NODES} elements; refusing to check further"),
        );
        return None;
    }
    let name_len = e.name().as_ref().len();
    let name_span = Span::new(before + 1, before + 1 + name_len);
    let name = text.get(name_span.range()).unwrap_or("");
    if stack.is_empty() {
        if *root {
            b.report(
                &codes::MALFORMED,
                name_span,
                format!("A second root element <{name}>; a document has exactly one"),
            )
            .help = Some(format!("Put every <Rule> inside the one <{ROOT}>."));
            return None;
        }
        if name != ROOT {
            *root_ok = false;
            b.report(
                &codes::MALFORMED,
                name_span,
                format!("The root element must be <{ROOT}>, found <{name}>"),
            )
            .help = Some(format!(
                "Wrap the document in <{ROOT} xmlns=\"{S3_NAMESPACE}\">...</{ROOT}>."
            ));
        }
    }
    // Most tags have no attributes: skip the attribute scan for those.
    if !e.attributes_raw().iter().all(u8::is_ascii_whitespace) {
        check_attributes(b, e, before, after, stack.is_empty());
    }
    Some(name_span)
}

fn check_attributes(
    b: &mut Builder<'_, '_>,
    e: &BytesStart<'_>,
    before: usize,
    after: usize,
    is_root: bool,
) {
    let tag = b.text.get(before..after).unwrap_or("");
    let mut cursor = 1 + e.name().as_ref().len();
    for attr in e.attributes().with_checks(false) {
        if b.attribute_reports >= MAX_ATTRIBUTE_REPORTS {
            return;
        }
        let attr = match attr {
            Ok(a) => a,
            Err(err) => {
                b.attribute_reports += 1;
                b.report(
                    &codes::MALFORMED,
                    Span::new(before, after),
                    format!("Malformed attribute: {err}"),
                );
                return;
            }
        };
        let key = std::str::from_utf8(attr.key.as_ref()).unwrap_or("");
        let key_at = tag
            .get(cursor..)
            .and_then(|t| t.find(key))
            .map_or(before, |i| before + cursor + i);
        cursor = key_at - before + key.len();
        let span = Span::new(key_at, key_at + key.len());
        if key == "xmlns" {
            let value = String::from_utf8_lossy(attr.value.as_ref()).into_owned();
            if !is_root {
                if value != S3_NAMESPACE {
                    b.attribute_reports += 1;
                    b.report(
                        &codes::NAMESPACE,
                        span,
                        format!("Namespace `{value}` is not S3's namespace"),
                    );
                }
            } else if value != S3_NAMESPACE {
                b.attribute_reports += 1;
                let d = b.report(
                    &codes::NAMESPACE,
                    span,
                    format!("The namespace must be `{S3_NAMESPACE}` (or absent), found `{value}`"),
                );
                d.help = Some("Elements in another namespace are not S3's elements.".into());
            }
        } else if key.starts_with("xmlns:") {
            // Declaring a prefix is harmless as long as no element uses it.
        } else {
            b.attribute_reports += 1;
            let d = b.report(
                &codes::ATTRIBUTE,
                span,
                format!("Attribute `{key}` is not allowed; S3's schema has no attributes"),
            );
            d.help = Some("Put the value in a child element instead.".into());
        }
    }
}

#[inline(always)]
fn add_text<'a>(b: &mut Builder<'a, '_>, stack: &mut [Open<'a>], piece: Cow<'a, str>, span: Span) {
    // ASCII whitespace (indentation) first; other text is checked char by char.
    let non_ws = |piece: &str| {
        let ascii_ws = |c: &u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r');
        !piece.as_bytes().iter().all(ascii_ws) && piece.chars().any(|c| !c.is_whitespace())
    };
    let Some(open) = stack.last_mut() else {
        if non_ws(&piece) {
            b.report(
                &codes::MALFORMED,
                span,
                "Text outside the root element".into(),
            );
        }
        return;
    };
    // Text only matters for elements without children (the indentation between children
    // would otherwise be copied and concatenated for nothing), and its first non-whitespace
    // piece for the "text where elements belong" report.
    let has_children = b.members.len() > open.index + 1 || open.streamed;
    if has_children && open.text_span.is_some() {
        return;
    }
    if open.text_span.is_none() && non_ws(&piece) {
        open.text_span = Some(span);
    }
    if has_children {
        return;
    }
    open.text = Some(match open.text.take() {
        None => piece,
        Some(prev) => Cow::Owned(prev.into_owned() + &piece),
    });
}

fn close<'a>(
    b: &mut Builder<'a, '_>,
    mut open: Open<'a>,
    end_tag_start: usize,
    after: usize,
    stack: &mut [Open<'a>],
    root: &mut bool,
) -> Option<()> {
    let value_span = Span::new(open.content_start, end_tag_start.max(open.content_start));
    let content = if b.members.len() <= open.index + 1 && !open.streamed {
        Content::Text(open.text.take().unwrap_or(Cow::Borrowed("")))
    } else {
        if let Some(span) = open.text_span {
            let d = b.report(
                &codes::UNEXPECTED_TEXT,
                span,
                format!("Text inside <{}>, which only holds elements", open.name),
            );
            d.help = Some("Move the text into the element it belongs to, or delete it.".into());
        }
        // Bounded by MAX_NODES, far below u32::MAX.
        Content::Subtree {
            end: b.members.len() as u32,
        }
    };
    if let Some(m) = b.members.get_mut(open.index) {
        m.span = Span::new(m.span.start as usize, after);
        m.value = Node {
            content,
            span: value_span,
        };
    }
    let depth = stack.len();
    let Some(parent) = stack.last_mut() else {
        *root = true;
        return Some(());
    };
    parent.text = None;
    if let Some(sink) = &mut b.sink {
        // Only `<Rule>`s of the right root: no model is built for a wrong one.
        if depth == 1 && parent.name == ROOT && open.name == "Rule" {
            parent.streamed = true;
            let rules = &mut sink.rules;
            if rules.len() == rules.capacity() {
                // Rules are large (~1.5 KB): rather than doubling and copying, reserve for the
                // rest of the text at the size of the rules so far. Bounded by 8 times the
                // rules so far (in case those were unusually small) and by the elements
                // left, so never beyond the rules the text can still hold.
                let done = rules.len() + 1;
                let left = b.text.len().saturating_sub(after) / (after / done).max(1);
                let most = MAX_NODES.saturating_sub(b.nodes).max(1);
                rules.reserve(left.clamp(done, 8 * done).min(most));
            }
            sink.lowerer.root_rule(&b.members, open.index, rules);
            b.members.truncate(open.index);
        }
    }
    Some(())
}

/// The five predefined entities and character references; anything else is refused.
fn resolve_reference(name: &str) -> Option<String> {
    let ch = match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix('x') {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse::<u32>().ok()?,
            };
            let c = char::from_u32(code)?;
            if c == '\0' {
                return None;
            }
            c
        }
    };
    Some(ch.to_string())
}

/// XML 1.0 forbids most C0 control characters anywhere, even escaped. Report the first.
fn forbidden_chars(b: &mut Builder<'_, '_>) {
    let bad = |c: u8| c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r');
    // Branch-free per chunk so the common (clean) case vectorizes; then find the byte.
    let dirty = b
        .text
        .as_bytes()
        .chunks(256)
        .any(|chunk| chunk.iter().fold(false, |acc, &c| acc | bad(c)));
    if !dirty {
        return;
    }
    if let Some(i) = b.text.bytes().position(bad) {
        let c = b.text.as_bytes()[i];
        b.report(
            &codes::MALFORMED,
            Span::new(i, i + 1),
            format!("The control character U+{c:04X} is not allowed in XML"),
        )
        .help = Some("Remove it; S3 cannot store it in a replication configuration.".into());
    }
}

fn next_char_end(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|t| t.chars().next())
        .map_or(at, |c| at + c.len_utf8())
}

fn describe_error(e: &quick_xml::Error, stack: &[Open<'_>]) -> String {
    use quick_xml::errors::{Error, IllFormedError};
    match e {
        Error::IllFormed(IllFormedError::MismatchedEndTag { expected, found }) => {
            format!("Closing tag </{found}> does not match the open <{expected}>")
        }
        Error::IllFormed(IllFormedError::UnmatchedEndTag(name)) => {
            format!("Closing tag </{name}> without an opening tag")
        }
        Error::IllFormed(IllFormedError::MissingEndTag(name)) => {
            format!("<{name}> is never closed")
        }
        other => {
            let open = stack
                .last()
                .map(|o| format!(" (inside <{}>)", o.name))
                .unwrap_or_default();
            format!("Malformed XML{open}: {other}")
        }
    }
}

/// Lowering as the parser goes ([`parse_document`]: the arena, rules streamed) must give
/// what lowering the nested tree ([`parse_tree`]) gives: the same model, rule spans and
/// diagnostics. `Err` says what differs. For tests and the fuzz target only.
#[cfg(any(test, feature = "test-support"))]
#[doc(hidden)]
pub fn streaming_matches_nested(text: &str) -> Result<(), String> {
    let mut nested = Vec::new();
    let nested_doc = parse_tree(text, &mut nested).map(|root| {
        let mut l = Lowerer::new(Format::Xml);
        let doc = l.document(&root);
        nested.append(&mut l.diagnostics);
        doc
    });
    let mut streamed = Vec::new();
    let doc = parse_document(text, &mut streamed);
    if doc != nested_doc {
        return Err(format!("models differ:\n{doc:?}\n{nested_doc:?}"));
    }
    let spans = |d: &Option<Document>| -> Vec<Span> {
        d.iter()
            .flat_map(|d| d.rules.iter().map(|r| r.meta.span))
            .collect()
    };
    if spans(&doc) != spans(&nested_doc) {
        return Err("rule spans differ".into());
    }
    // In the order the engine puts them (a stable sort by position, severity, code).
    for d in [&mut streamed, &mut nested] {
        crate::sort::sort_by_key(d, |d| (d.span.start, d.severity, d.code));
    }
    if streamed != nested {
        return Err(format!("diagnostics differ:\n{streamed:?}\n{nested:?}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> (Option<Member<'_>>, Vec<Diagnostic>) {
        let mut d = Vec::new();
        let t = parse_tree(text, &mut d);
        (t, d)
    }

    #[test]
    fn spans() {
        let text =
            "<ReplicationConfiguration><Role>r&amp;x</Role><Rule/></ReplicationConfiguration>";
        let (t, d) = tree(text);
        assert!(d.is_empty(), "{d:?}");
        let t = t.unwrap();
        let Content::Object(ms) = &t.value.content else {
            panic!()
        };
        assert_eq!(ms[0].value.content, Content::Text("r&x".into()));
        assert_eq!(&text[ms[0].value.span.range()], "r&amp;x");
        assert_eq!(&text[ms[0].span.range()], "<Role>r&amp;x</Role>");
        assert_eq!(&text[ms[1].name_span.range()], "Rule");
    }

    #[test]
    fn refuses_doctype_and_entities() {
        let (t, d) = tree("<!DOCTYPE x [<!ENTITY a \"b\">]><ReplicationConfiguration/>");
        assert!(t.is_none());
        assert_eq!(d[0].code, "S3R007");
        let (_, d) = tree("<ReplicationConfiguration><Role>&a;</Role></ReplicationConfiguration>");
        assert_eq!(d[0].code, "S3R007");
    }

    #[test]
    fn mismatched_tags() {
        let (t, d) = tree("<ReplicationConfiguration><Role>x</Rule></ReplicationConfiguration>");
        assert!(t.is_none());
        assert_eq!(d[0].code, "S3R001");
        assert!(d[0].message.contains("</Rule>"), "{}", d[0].message);
    }

    fn assert_streaming_matches_tree(text: &str) {
        if let Err(why) = streaming_matches_nested(text) {
            panic!("{why}\n{text}");
        }
    }

    #[test]
    fn streamed_rules_lower_like_the_tree() {
        let rule = "<Rule><ID>a</ID><Status>Enabled</Status><Filter><Prefix>p</Prefix></Filter>\
                    <Destination><Bucket>arn:aws:s3:::b</Bucket></Destination></Rule>";
        let bad = "<Rule><Priority>x</Priority><Filtr/><Status>On</Status><Status>Off</Status>\
                   <Destination>text</Destination></Rule>";
        let docs = [
            format!("<ReplicationConfiguration><Role>r</Role>{rule}{bad}{rule}</ReplicationConfiguration>"),
            format!("<ReplicationConfiguration>{rule}<Role>r</Role><Role>s</Role>{bad}</ReplicationConfiguration>"),
            format!("<ReplicationConfiguration>\n  {rule}\n  stray\n  <Rule/>\n</ReplicationConfiguration>"),
            format!("<ReplicationConfiguration><Rules>{rule}</Rules><Role>r</Role></ReplicationConfiguration>"),
            format!("<ReplicationConfiguration>{rule}</ReplicationConfiguration>"),
            "<ReplicationConfiguration><Role>r</Role></ReplicationConfiguration>".to_string(),
            "<ReplicationConfiguration>just text</ReplicationConfiguration>".to_string(),
            "<ReplicationConfiguration/>".to_string(),
            format!("<Other>{rule}</Other>"),
            format!("<ReplicationConfiguration>{rule}<Rule>"),
        ];
        for text in &docs {
            assert_streaming_matches_tree(text);
            let mut diags = Vec::new();
            parse_document(text, &mut diags);
            assert!(!diags.is_empty(), "{text}");
        }
    }

    /// The same over every XML document the project has: the rule fixtures (many malformed on
    /// purpose) and a generated 100-rule document.
    #[test]
    fn streamed_rules_lower_like_the_tree_on_every_fixture() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
        let mut dirs = vec![root];
        let mut seen = 0;
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir)
                .expect("fixtures directory")
                .flatten()
            {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "xml") {
                    let text = std::fs::read_to_string(&path).expect("fixture text");
                    assert_streaming_matches_tree(&text);
                    seen += 1;
                }
            }
        }
        assert!(seen > 100, "only {seen} XML fixtures found");
        assert_streaming_matches_tree(&crate::testgen::text(100, Format::Xml));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let text = "<a>".repeat(100_000);
        let (t, d) = tree(&text);
        assert!(t.is_none());
        assert!(d.iter().any(|d| d.code == "S3R006" || d.code == "S3R001"));
    }
}
