//! "Format document": layout only. Elements and members keep their order, XML comments and
//! declarations stay where they are, and values are copied byte for byte; only the
//! whitespace between them changes. (Converting goes through the model, which reorders.)

const INDENT: &str = "  ";

/// One piece of an XML text, as a slice of it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Piece<'a> {
    Start(&'a str),
    End(&'a str),
    /// A self-closing element, a comment, a declaration: a line of its own.
    Whole(&'a str),
    Text(&'a str),
}

fn pieces(text: &str) -> Vec<Piece<'_>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let until = |from: usize, pat: &str| {
        text[from..]
            .find(pat)
            .map_or(text.len(), |at| from + at + pat.len())
    };
    while i < b.len() {
        if b[i] != b'<' {
            let end = text[i..].find('<').map_or(text.len(), |at| i + at);
            out.push(Piece::Text(&text[i..end]));
            i = end;
            continue;
        }
        let rest = &text[i..];
        let end = if rest.starts_with("<!--") {
            until(i + 4, "-->")
        } else if rest.starts_with("<![CDATA[") {
            let end = until(i + 9, "]]>");
            out.push(Piece::Text(&text[i..end]));
            i = end;
            continue;
        } else if rest.starts_with("<?") {
            until(i + 2, "?>")
        } else {
            tag_end(text, i)
        };
        let piece = &text[i..end];
        out.push(if piece.starts_with("</") {
            Piece::End(piece)
        } else if piece.starts_with("<!") || piece.starts_with("<?") || piece.ends_with("/>") {
            Piece::Whole(piece)
        } else {
            Piece::Start(piece)
        });
        i = end;
    }
    out
}

/// The index after the tag opening at `i` (quoted attribute values may hold `>`).
fn tag_end(text: &str, i: usize) -> usize {
    let b = text.as_bytes();
    let mut j = i + 1;
    let mut quote = None;
    while j < b.len() {
        match (quote, b[j]) {
            (Some(q), c) if c == q => quote = None,
            (None, q @ (b'"' | b'\'')) => quote = Some(q),
            (None, b'>') => return j + 1,
            _ => {}
        }
        j += 1;
    }
    b.len()
}

/// Re-indent an XML document whose syntax is sound. A leaf element's text is kept exactly
/// (spaces in a `Prefix` matter); whitespace between elements is replaced.
pub fn xml(text: &str) -> String {
    let ps = pieces(text);
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    let line = |out: &mut String, depth: usize, s: &str| {
        for _ in 0..depth {
            out.push_str(INDENT);
        }
        out.push_str(s);
        out.push('\n');
    };
    let mut i = 0;
    while i < ps.len() {
        match ps[i] {
            Piece::Start(s) => match (ps.get(i + 1), ps.get(i + 2)) {
                (Some(Piece::Text(t)), Some(Piece::End(e))) => {
                    line(&mut out, depth, &format!("{s}{t}{e}"));
                    i += 2;
                }
                (Some(Piece::End(e)), _) => {
                    line(&mut out, depth, &format!("{s}{e}"));
                    i += 1;
                }
                _ => {
                    line(&mut out, depth, s);
                    depth += 1;
                }
            },
            Piece::End(e) => {
                depth = depth.saturating_sub(1);
                line(&mut out, depth, e);
            }
            Piece::Whole(w) => line(&mut out, depth, w),
            Piece::Text(t) => {
                let t = t.trim();
                if !t.is_empty() {
                    line(&mut out, depth, t);
                }
            }
        }
        i += 1;
    }
    out
}

/// The XML comments of `text`: how many, and the 1-based line of each.
pub fn xml_comments(text: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("<!--") {
        let start = from + at;
        lines.push(text[..start].matches('\n').count() + 1);
        from = text[start + 4..]
            .find("-->")
            .map_or(text.len(), |e| start + 4 + e + 3);
    }
    lines
}

/// Re-indent a JSON document whose syntax is sound, members in their order.
pub fn json(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut depth = 0usize;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str(INDENT);
        }
    };
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                let end = (j + 1).min(b.len());
                out.push_str(&text[i..end]);
                i = end;
                continue;
            }
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                let next = text[i + 1..].trim_start();
                if next.as_bytes().first() == Some(&close) {
                    out.push(open as char);
                    out.push(close as char);
                    i = text.len() - next.len() + 1;
                    continue;
                }
                out.push(open as char);
                depth += 1;
                newline(&mut out, depth);
            }
            close @ (b'}' | b']') => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(close as char);
            }
            b',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            b':' => out.push_str(": "),
            c if c.is_ascii_whitespace() => {}
            _ => {
                let start = i;
                while i < b.len() && !b"{}[],:\" \t\r\n".contains(&b[i]) {
                    i += 1;
                }
                out.push_str(&text[start..i]);
                continue;
            }
        }
        i += 1;
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_keeps_comments_order_and_values() {
        let text = "<?xml version=\"1.0\"?>\n<ReplicationConfiguration><!-- who owns this -->\n<Rule>\n      <Status>Enabled</Status><ID>a b </ID>\n<Filter/>\n<Destination><Bucket>arn:aws:s3:::d</Bucket></Destination>\n</Rule><Role>r</Role></ReplicationConfiguration>";
        assert_eq!(
            xml(text),
            "<?xml version=\"1.0\"?>\n<ReplicationConfiguration>\n  <!-- who owns this -->\n  <Rule>\n    <Status>Enabled</Status>\n    <ID>a b </ID>\n    <Filter/>\n    <Destination>\n      <Bucket>arn:aws:s3:::d</Bucket>\n    </Destination>\n  </Rule>\n  <Role>r</Role>\n</ReplicationConfiguration>\n"
        );
        assert_eq!(xml(&xml(text)), xml(text));
        assert_eq!(xml_comments(text), vec![2]);
    }

    #[test]
    fn xml_attribute_with_angle_bracket_and_empty_element() {
        assert_eq!(
            xml("<A x=\"1>2\"><B></B></A>"),
            "<A x=\"1>2\">\n  <B></B>\n</A>\n"
        );
    }

    #[test]
    fn json_keeps_member_order() {
        let text = r#"{"Role":"r","Rules":[{"Status":"Enabled","Filter":{},"Priority":1,"ID":"a \"q\" , {"}]}"#;
        assert_eq!(
            json(text),
            "{\n  \"Role\": \"r\",\n  \"Rules\": [\n    {\n      \"Status\": \"Enabled\",\n      \"Filter\": {},\n      \"Priority\": 1,\n      \"ID\": \"a \\\"q\\\" , {\"\n    }\n  ]\n}\n"
        );
        assert_eq!(json(&json(text)), json(text));
    }
}
