//! A tiny tokenizer for syntax colouring. It never fails: anything it does not understand is
//! left as plain text. Tokens are byte ranges into the document, sorted and non-overlapping.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `<`, `</`, `>`, `/>`, `=`, `{`, `}`, `[`, `]`, `:`, `,`.
    Punct,
    /// An XML element name.
    Tag,
    /// An XML attribute name.
    Attr,
    /// A quoted string (XML attribute value, JSON string value, CDATA).
    Str,
    /// A JSON member name.
    Key,
    /// A JSON number.
    Num,
    /// `true`, `false`, `null`.
    Lit,
    /// XML comment.
    Comment,
    /// XML declaration or processing instruction, DOCTYPE.
    Meta,
    /// XML character data.
    Text,
    /// An XML entity reference such as `&amp;`.
    Entity,
}

impl Kind {
    pub fn class(self) -> &'static str {
        match self {
            Kind::Punct => "t-p",
            Kind::Tag => "t-tag",
            Kind::Attr => "t-attr",
            Kind::Str => "t-str",
            Kind::Key => "t-key",
            Kind::Num => "t-num",
            Kind::Lit => "t-lit",
            Kind::Comment => "t-com",
            Kind::Meta => "t-meta",
            Kind::Text => "t-text",
            Kind::Entity => "t-ent",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub start: u32,
    pub end: u32,
    pub kind: Kind,
}

/// Tokenize as JSON when the first non-blank character is `{` or `[`, else as XML.
pub fn tokenize(text: &str) -> Vec<Token> {
    let first = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if first.starts_with('{') || first.starts_with('[') {
        tokenize_json(text)
    } else {
        tokenize_xml(text)
    }
}

fn push(out: &mut Vec<Token>, start: usize, end: usize, kind: Kind) {
    if end > start {
        out.push(Token {
            start: start as u32,
            end: end as u32,
            kind,
        });
    }
}

/// Position of `needle` at or after `from`, or the end of the text.
fn find_from(b: &[u8], from: usize, needle: &[u8]) -> usize {
    if from >= b.len() {
        return b.len();
    }
    b[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map_or(b.len(), |p| from + p + needle.len())
}

fn is_name_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b':') || c >= 0x80
}

pub fn tokenize_xml(text: &str) -> Vec<Token> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len() / 6);
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'<' {
            let rest = &b[i..];
            if rest.starts_with(b"<!--") {
                let end = find_from(b, i + 4, b"-->");
                push(&mut out, i, end, Kind::Comment);
                i = end;
            } else if rest.starts_with(b"<![CDATA[") {
                let end = find_from(b, i + 9, b"]]>");
                push(&mut out, i, end, Kind::Str);
                i = end;
            } else if rest.starts_with(b"<?") {
                let end = find_from(b, i + 2, b"?>");
                push(&mut out, i, end, Kind::Meta);
                i = end;
            } else if rest.starts_with(b"<!") {
                let end = find_from(b, i + 2, b">");
                push(&mut out, i, end, Kind::Meta);
                i = end;
            } else {
                i = xml_tag(b, i, &mut out);
            }
        } else if b[i] == b'&' {
            let mut j = i + 1;
            while j < b.len() && j - i < 12 && (b[j].is_ascii_alphanumeric() || b[j] == b'#') {
                j += 1;
            }
            if j < b.len() && b[j] == b';' {
                push(&mut out, i, j + 1, Kind::Entity);
                i = j + 1;
            } else {
                push(&mut out, i, i + 1, Kind::Text);
                i += 1;
            }
        } else {
            let start = i;
            while i < b.len() && b[i] != b'<' && b[i] != b'&' {
                i += 1;
            }
            // Whitespace-only runs need no colour.
            if b[start..i].iter().any(|c| !c.is_ascii_whitespace()) {
                push(&mut out, start, i, Kind::Text);
            }
        }
    }
    out
}

/// A start or end tag at `b[i] == b'<'`; returns the index after it.
fn xml_tag(b: &[u8], mut i: usize, out: &mut Vec<Token>) -> usize {
    let start = i;
    i += 1;
    if i < b.len() && b[i] == b'/' {
        i += 1;
    }
    push(out, start, i, Kind::Punct);
    let name = i;
    while i < b.len() && is_name_byte(b[i]) {
        i += 1;
    }
    push(out, name, i, Kind::Tag);
    while i < b.len() {
        match b[i] {
            b'>' => {
                push(out, i, i + 1, Kind::Punct);
                return i + 1;
            }
            b'/' if b.get(i + 1) == Some(&b'>') => {
                push(out, i, i + 2, Kind::Punct);
                return i + 2;
            }
            b'<' => return i, // unclosed tag: let the next tag start here
            b'=' => {
                push(out, i, i + 1, Kind::Punct);
                i += 1;
            }
            q @ (b'"' | b'\'') => {
                let s = i;
                i += 1;
                while i < b.len() && b[i] != q && b[i] != b'<' {
                    i += 1;
                }
                if i < b.len() && b[i] == q {
                    i += 1;
                }
                push(out, s, i, Kind::Str);
            }
            c if is_name_byte(c) => {
                let s = i;
                while i < b.len() && is_name_byte(b[i]) {
                    i += 1;
                }
                push(out, s, i, Kind::Attr);
            }
            _ => i += 1,
        }
    }
    i
}

pub fn tokenize_json(text: &str) -> Vec<Token> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len() / 4);
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let s = i;
                i += 1;
                while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if i < b.len() && b[i] == b'"' {
                    i += 1;
                }
                let end = i.min(b.len());
                let mut j = end;
                while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\r' | b'\n') {
                    j += 1;
                }
                let kind = if b.get(j) == Some(&b':') {
                    Kind::Key
                } else {
                    Kind::Str
                };
                push(&mut out, s, end, kind);
                i = end;
            }
            b'{' | b'}' | b'[' | b']' | b':' | b',' => {
                push(&mut out, i, i + 1, Kind::Punct);
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let s = i;
                i += 1;
                while i < b.len() && matches!(b[i], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                {
                    i += 1;
                }
                push(&mut out, s, i, Kind::Num);
            }
            c if c.is_ascii_alphabetic() => {
                let s = i;
                while i < b.len() && b[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                let word = &b[s..i];
                let kind = if matches!(word, b"true" | b"false" | b"null") {
                    Kind::Lit
                } else {
                    Kind::Text
                };
                push(&mut out, s, i, kind);
            }
            _ => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(&str, Kind)> {
        tokenize(text)
            .into_iter()
            .map(|t| (&text[t.start as usize..t.end as usize], t.kind))
            .collect()
    }

    #[test]
    fn xml_tokens() {
        let k = kinds("<?xml version=\"1.0\"?><A x=\"1\"><B>v&amp;w</B><!-- c --></A>");
        assert_eq!(k[0], ("<?xml version=\"1.0\"?>", Kind::Meta));
        assert!(k.contains(&("A", Kind::Tag)));
        assert!(k.contains(&("x", Kind::Attr)));
        assert!(k.contains(&("\"1\"", Kind::Str)));
        assert!(k.contains(&("&amp;", Kind::Entity)));
        assert!(k.contains(&("<!-- c -->", Kind::Comment)));
        assert!(k.contains(&("</", Kind::Punct)));
    }

    #[test]
    fn json_tokens() {
        let k = kinds("{ \"Role\" : \"arn\", \"P\": -1.5e3, \"x\": [true, null] }");
        assert!(k.contains(&("\"Role\"", Kind::Key)));
        assert!(k.contains(&("\"arn\"", Kind::Str)));
        assert!(k.contains(&("-1.5e3", Kind::Num)));
        assert!(k.contains(&("true", Kind::Lit)));
    }

    #[test]
    fn broken_input_is_fine() {
        for t in [
            "<",
            "<A",
            "<A x=\"",
            "\"",
            "{\"a\\",
            "&",
            "<!--",
            "<![CDATA[",
            "é<é é=é>",
        ] {
            let toks = tokenize(t);
            for w in toks.windows(2) {
                assert!(w[0].end <= w[1].start);
            }
            for tok in toks {
                assert!(t.is_char_boundary(tok.start as usize));
                assert!(t.is_char_boundary(tok.end as usize));
            }
        }
    }
}
