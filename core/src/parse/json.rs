//! A small span-preserving JSON parser (RFC 8259). Written here rather than taken from a
//! crate because we need exact byte spans for every key and value, duplicate-key reports
//! and hard limits, and serde_json discards all three; it is ~300 lines and borrows strings
//! from the input unless they contain escapes.

use super::{bom_len, MAX_DEPTH, MAX_NODES};
use crate::catalogue::parse as codes;
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::syntax::{Content, Member, Node};
use std::borrow::Cow;
use std::collections::HashMap;

/// Parse JSON text into a syntax tree (used for replication documents and for policies).
pub fn parse_tree(text: &str) -> (Option<Node<'_>>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let node = parse_tree_into(text, &mut diagnostics);
    (node, diagnostics)
}

pub fn parse_tree_into<'a>(text: &'a str, diagnostics: &mut Vec<Diagnostic>) -> Option<Node<'a>> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: bom_len(text),
        nodes: 0,
        diagnostics,
    };
    p.ws();
    let node = p.value(0).ok()?;
    p.ws();
    if p.pos < p.bytes.len() {
        p.error(
            Span::new(p.pos, p.pos + p.char_len()),
            "Unexpected text after the end of the JSON value".into(),
        );
        return None;
    }
    Some(node)
}

struct Parser<'a, 'd> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    nodes: usize,
    diagnostics: &'d mut Vec<Diagnostic>,
}

/// A syntax error has been reported; parsing stops.
struct Stop;

impl<'a> Parser<'a, '_> {
    fn error(&mut self, span: Span, message: String) {
        self.diagnostics.push(Diagnostic::new(
            codes::MALFORMED.code,
            codes::MALFORMED.severity,
            span,
            "",
            message,
        ));
    }

    fn fail<T>(&mut self, message: &str) -> Result<T, Stop> {
        let span = Span::new(self.pos, self.pos + self.char_len());
        let found = match self.text[self.pos..].chars().next() {
            None => "the end of the document".to_string(),
            Some(c) if c.is_control() => format!("the control character U+{:04X}", c as u32),
            Some(c) => format!("`{c}`"),
        };
        self.error(span, format!("{message}, found {found}"));
        Err(Stop)
    }

    fn char_len(&self) -> usize {
        self.text[self.pos..]
            .chars()
            .next()
            .map_or(0, char::len_utf8)
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node<'a>, Stop> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            let span = Span::empty(self.pos);
            self.diagnostics.push(Diagnostic::new(
                codes::SIZE_LIMIT.code,
                codes::SIZE_LIMIT.severity,
                span,
                "",
                format!("More than {MAX_NODES} JSON values; refusing to check further"),
            ));
            return Err(Stop);
        }
        let start = self.pos;
        match self.bytes.get(self.pos) {
            Some(b'{') | Some(b'[') if depth >= MAX_DEPTH => {
                let span = Span::new(start, start + 1);
                self.diagnostics.push(Diagnostic::new(
                    codes::SIZE_LIMIT.code,
                    codes::SIZE_LIMIT.severity,
                    span,
                    "",
                    format!("JSON nested deeper than {MAX_DEPTH} levels; a replication configuration needs 8"),
                ));
                Err(Stop)
            }
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let s = self.string()?;
                Ok(Node {
                    content: Content::Text(s),
                    span: Span::new(start, self.pos),
                })
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true", Content::Bool(true)),
            Some(b'f') => self.literal("false", Content::Bool(false)),
            Some(b'n') => self.literal("null", Content::Null),
            _ => self.fail("Expected a JSON value"),
        }
    }

    fn literal(&mut self, word: &str, content: Content<'a>) -> Result<Node<'a>, Stop> {
        let start = self.pos;
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(Node {
                content,
                span: Span::new(start, self.pos),
            })
        } else {
            self.fail("Expected a JSON value")
        }
    }

    fn object(&mut self, depth: usize) -> Result<Node<'a>, Stop> {
        let start = self.pos;
        self.pos += 1;
        let mut members: Vec<Member<'a>> = Vec::new();
        let mut seen: HashMap<Cow<'a, str>, Span> = HashMap::new();
        self.ws();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Node {
                content: Content::Object(members),
                span: Span::new(start, self.pos),
            });
        }
        loop {
            self.ws();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return self.fail(if members.is_empty() {
                    "Expected a quoted member name or `}`"
                } else {
                    "Expected a quoted member name (no trailing commas in JSON)"
                });
            }
            let key_start = self.pos;
            let name = self.string()?;
            let name_span = Span::new(key_start, self.pos);
            self.ws();
            if self.bytes.get(self.pos) != Some(&b':') {
                return self.fail("Expected `:` after the member name");
            }
            self.pos += 1;
            self.ws();
            let value = self.value(depth + 1)?;
            if let Some(first) = seen.get(&name) {
                let d = Diagnostic::new(
                    codes::DUPLICATE_KEY.code,
                    codes::DUPLICATE_KEY.severity,
                    name_span,
                    "",
                    format!(
                        "Duplicate key \"{name}\": the AWS CLI silently keeps only this last value"
                    ),
                )
                .with_related(*first, "earlier value, ignored");
                self.diagnostics.push(d);
            } else {
                seen.insert(name.clone(), name_span);
            }
            members.push(Member {
                name,
                name_span,
                span: Span::new(key_start, value.span.end as usize),
                value,
            });
            self.ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Node {
                        content: Content::Object(members),
                        span: Span::new(start, self.pos),
                    });
                }
                _ => return self.fail("Expected `,` or `}` after the member"),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Node<'a>, Stop> {
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        self.ws();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Node {
                content: Content::Array(items),
                span: Span::new(start, self.pos),
            });
        }
        loop {
            self.ws();
            if self.bytes.get(self.pos) == Some(&b']') {
                return self.fail("Expected a value (no trailing commas in JSON)");
            }
            items.push(self.value(depth + 1)?);
            self.ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Node {
                        content: Content::Array(items),
                        span: Span::new(start, self.pos),
                    });
                }
                _ => return self.fail("Expected `,` or `]` after the array item"),
            }
        }
    }

    fn number(&mut self) -> Result<Node<'a>, Stop> {
        let start = self.pos;
        let b = self.bytes;
        let mut i = self.pos;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                while let Some(b'0'..=b'9') = b.get(i) {
                    i += 1;
                }
            }
            _ => {
                self.pos = i;
                return self.fail("Expected a digit");
            }
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if !matches!(b.get(i), Some(b'0'..=b'9')) {
                self.pos = i;
                return self.fail("Expected a digit after the decimal point");
            }
            while let Some(b'0'..=b'9') = b.get(i) {
                i += 1;
            }
        }
        if let Some(b'e' | b'E') = b.get(i) {
            i += 1;
            if let Some(b'+' | b'-') = b.get(i) {
                i += 1;
            }
            if !matches!(b.get(i), Some(b'0'..=b'9')) {
                self.pos = i;
                return self.fail("Expected a digit in the exponent");
            }
            while let Some(b'0'..=b'9') = b.get(i) {
                i += 1;
            }
        }
        self.pos = i;
        Ok(Node {
            content: Content::Number(Cow::Borrowed(&self.text[start..i])),
            span: Span::new(start, i),
        })
    }

    /// A string token; `self.pos` is at the opening quote. Borrowed unless it has escapes.
    fn string(&mut self) -> Result<Cow<'a, str>, Stop> {
        let open = self.pos;
        self.pos += 1;
        let start = self.pos;
        let mut owned: Option<String> = None;
        let mut chunk = start;
        loop {
            let Some(&c) = self.bytes.get(self.pos) else {
                self.error(
                    Span::new(open, open + 1),
                    "Unterminated string: this quote is never closed".into(),
                );
                return Err(Stop);
            };
            match c {
                b'"' => {
                    let s = match owned {
                        Some(mut s) => {
                            s.push_str(&self.text[chunk..self.pos]);
                            Cow::Owned(s)
                        }
                        None => Cow::Borrowed(&self.text[start..self.pos]),
                    };
                    self.pos += 1;
                    return Ok(s);
                }
                b'\\' => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[chunk..self.pos]);
                    let esc_start = self.pos;
                    self.pos += 1;
                    let ch = match self.bytes.get(self.pos) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let hi = self.hex4(esc_start)?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                if self.bytes.get(self.pos + 1..self.pos + 3) != Some(b"\\u") {
                                    self.error(
                                        Span::new(esc_start, self.pos + 1),
                                        "Unpaired UTF-16 surrogate in \\u escape".into(),
                                    );
                                    return Err(Stop);
                                }
                                self.pos += 2;
                                let lo = self.hex4(esc_start)?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    self.error(
                                        Span::new(esc_start, self.pos + 1),
                                        "Invalid UTF-16 surrogate pair in \\u escape".into(),
                                    );
                                    return Err(Stop);
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            match char::from_u32(code) {
                                Some(ch) => ch,
                                None => {
                                    self.error(
                                        Span::new(esc_start, self.pos + 1),
                                        "Unpaired UTF-16 surrogate in \\u escape".into(),
                                    );
                                    return Err(Stop);
                                }
                            }
                        }
                        _ => return self.fail("Invalid escape in string"),
                    };
                    s.push(ch);
                    self.pos += 1;
                    chunk = self.pos;
                }
                0x00..=0x1f => {
                    return self.fail("Control characters must be escaped in JSON strings")
                }
                _ => self.pos += 1,
            }
        }
    }

    /// Four hex digits after `\u`; leaves `pos` on the last digit.
    fn hex4(&mut self, esc_start: usize) -> Result<u32, Stop> {
        let digits = self.bytes.get(self.pos + 1..self.pos + 5);
        match digits
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| u32::from_str_radix(d, 16).ok())
        {
            Some(v) if digits.is_some_and(|d| d.iter().all(u8::is_ascii_hexdigit)) => {
                self.pos += 4;
                Ok(v)
            }
            _ => {
                let end = (self.pos + 1).min(self.bytes.len());
                self.error(
                    Span::new(esc_start, end),
                    "A \\u escape needs four hex digits".into(),
                );
                Err(Stop)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Node<'_> {
        let (n, d) = parse_tree(text);
        assert!(d.is_empty(), "{d:?}");
        n.unwrap()
    }

    #[test]
    fn spans_and_escapes() {
        let n = ok(r#"{"a": "x\u00e9\n", "b": [1, -2.5e3, true, null]}"#);
        let Content::Object(ms) = n.content else {
            panic!()
        };
        assert_eq!(ms[0].name_span, Span::new(1, 4));
        assert_eq!(ms[0].value.content, Content::Text("x\u{e9}\n".into()));
        assert_eq!(ms[1].span, Span::new(19, 47));
    }

    #[test]
    fn errors_are_positioned() {
        for (text, at) in [
            ("{\"a\": }", 6),
            ("[1,]", 3),
            ("{\"a\" 1}", 5),
            ("\"abc", 0),
            ("{} x", 3),
            ("[\"\\ud800\"]", 2),
        ] {
            let (n, d) = parse_tree(text);
            assert!(n.is_none(), "{text}");
            assert_eq!(d[0].span.start, at, "{text}: {d:?}");
        }
    }

    #[test]
    fn duplicate_keys_warn() {
        let (n, d) = parse_tree(r#"{"a": 1, "a": 2}"#);
        assert!(n.is_some());
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "S3R011");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let text = "[".repeat(100_000);
        let (n, d) = parse_tree(&text);
        assert!(n.is_none());
        assert_eq!(d[0].code, "S3R006");
    }
}
