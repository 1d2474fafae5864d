//! The strings of Terraform's JSON syntax as native syntax: their characters decoded with
//! the JSON bytes each was written as, the templates' interpolations found, and each
//! character written back as a native string or expression writes it.

use crate::source::Span;

/// How the characters of a string are written in the native syntax.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Part {
    /// Inside a quoted template: escapes for quotes, backslashes and control characters.
    Template,
    /// Inside a quoted literal: also `${`/`%{` doubled, so they stay text.
    Literal,
    /// An expression (an interpolation, or a string read as one): as is ([`flatten`]ed).
    Bare,
}

/// An expression's line breaks outside brackets as spaces: on one line it stays one
/// attribute's value (inside `(`, `[`, `{` a line break separates items, and stays).
pub fn flatten(cs: &[Ch]) -> Vec<Ch> {
    let mut depth = 0usize;
    let mut string = false;
    let mut out = Vec::with_capacity(cs.len());
    let mut escaped = false;
    for &(c, a, b) in cs {
        let mut c = c;
        if string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => string = false,
                _ => {}
            }
        } else {
            match c {
                '"' => string = true,
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth = depth.saturating_sub(1),
                '\n' | '\r' if depth == 0 => c = ' ',
                _ => {}
            }
        }
        out.push((c, a, b));
    }
    out
}

pub fn push_char(out: &mut String, c: char, part: Part, brace_next: bool) {
    match (part, c) {
        (Part::Bare, c) => out.push(c),
        (_, '"') => out.push_str("\\\""),
        (_, '\\') => out.push_str("\\\\"),
        (_, '\n') => out.push_str("\\n"),
        (_, '\r') => out.push_str("\\r"),
        (_, '\t') => out.push_str("\\t"),
        (_, c) if (c as u32) < 0x20 || c == '\u{7f}' => {
            out.push_str(&format!("\\u{:04X}", c as u32))
        }
        (Part::Literal, '$' | '%') if brace_next => {
            out.push(c);
            out.push(c);
        }
        (_, c) => out.push(c),
    }
}

/// A decoded character of a JSON string and the bytes it was written as.
pub type Ch = (char, u32, u32);

pub fn text_of(cs: &[Ch]) -> String {
    cs.iter().map(|c| c.0).collect()
}

/// The characters of the JSON string at `at` (quotes included), escapes decoded.
pub fn decode(json: &str, at: Span) -> Vec<Ch> {
    let (start, end) = (at.start as usize + 1, (at.end as usize).saturating_sub(1));
    let raw = json.get(start..end.max(start)).unwrap_or("");
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    let hex = |k: usize| {
        raw.get(k..k + 4)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
    };
    while i < bytes.len() {
        let at = (start + i) as u32;
        if bytes[i] == b'\\' && i + 1 < bytes.len() {
            let (c, len) = match bytes[i + 1] {
                b'n' => ('\n', 2),
                b'r' => ('\r', 2),
                b't' => ('\t', 2),
                b'b' => ('\u{8}', 2),
                b'f' => ('\u{c}', 2),
                b'u' => match hex(i + 2) {
                    Some(hi @ 0xD800..=0xDBFF) => {
                        let lo = (bytes.get(i + 6) == Some(&b'\\')
                            && bytes.get(i + 7) == Some(&b'u'))
                        .then(|| hex(i + 8))
                        .flatten()
                        .filter(|lo| (0xDC00..=0xDFFF).contains(lo));
                        match lo {
                            Some(lo) => {
                                let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                                (char::from_u32(c).unwrap_or('\u{fffd}'), 12)
                            }
                            None => ('\u{fffd}', 6),
                        }
                    }
                    Some(c) => (char::from_u32(c).unwrap_or('\u{fffd}'), 6),
                    None => ('\u{fffd}', 2),
                },
                other => (other as char, 2),
            };
            let len = len.min(bytes.len() - i);
            out.push((c, at, at + len as u32));
            i += len;
        } else {
            let c = raw[i..].chars().next().unwrap_or('\u{fffd}');
            let len = c.len_utf8();
            out.push((c, at, at + len as u32));
            i += len;
        }
    }
    out
}

/// The end (exclusive) of the `${...}` or `%{...}` starting at `cs[at]`, nested strings
/// and templates followed; `None` when it is not closed.
pub fn interpolation_end(cs: &[Ch], at: usize) -> Option<usize> {
    enum Frame {
        Expr(usize),
        Str,
    }
    let mut stack = vec![Frame::Expr(0)];
    let mut j = at + 2;
    while j < cs.len() {
        let c = cs[j].0;
        match stack.last_mut()? {
            Frame::Expr(depth) => match c {
                '"' => stack.push(Frame::Str),
                '{' => *depth += 1,
                '}' if *depth == 0 => {
                    stack.pop();
                    if stack.is_empty() {
                        return Some(j + 1);
                    }
                }
                '}' => *depth -= 1,
                _ => {}
            },
            Frame::Str => match c {
                '\\' => j += 1,
                '"' => {
                    stack.pop();
                }
                '$' | '%' if cs.get(j + 1).map(|x| x.0) == Some(c) => j += 1,
                '$' | '%' if cs.get(j + 1).map(|x| x.0) == Some('{') => {
                    stack.push(Frame::Expr(0));
                    j += 1;
                }
                _ => {}
            },
        }
        j += 1;
    }
    None
}

/// The inside of a string that is one interpolation and nothing else (`"${ x }"`).
pub fn sole_interpolation(cs: &[Ch]) -> Option<&[Ch]> {
    if cs.len() < 3 || cs[0].0 != '$' || cs[1].0 != '{' {
        return None;
    }
    (interpolation_end(cs, 0)? == cs.len()).then_some(())?;
    let mut inner = &cs[2..cs.len() - 1];
    // `${~ x ~}` strip markers.
    if inner.first().is_some_and(|c| c.0 == '~') {
        inner = &inner[1..];
    }
    if inner.last().is_some_and(|c| c.0 == '~') {
        inner = &inner[..inner.len() - 1];
    }
    Some(inner)
}

/// A reference written as a string (`aws.west`, `aws_s3_bucket.b`, `module.m`).
pub fn reference(s: &str) -> bool {
    use hcl_edit::expr::Expression;
    match hcl_edit::parser::parse_expr(s) {
        Ok(Expression::Traversal(_) | Expression::Variable(_)) => true,
        // A variable's `type` written as a type constructor: `object({...})`,
        // `list(string)`, `map(object({ a = optional(string) }))`.
        Ok(Expression::FuncCall(f)) => {
            f.name.namespace.is_empty()
                && ["list", "set", "map", "object", "tuple"].contains(&f.name.name.as_str())
        }
        _ => false,
    }
}

pub fn is_identifier(s: &str) -> bool {
    let mut cs = s.chars();
    cs.next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// `s` as a quoted native string (a label, a number beyond a double).
pub fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        push_char(&mut out, c, Part::Template, false);
    }
    out.push('"');
    out
}
