//! A tiny ordered JSON tree for generated policies.
//!
//! `serde_json::Value` sorts object keys unless the crate-wide `preserve_order` feature is on,
//! and turning that on would change the key order of every `Value` in the workspace (and pull
//! in `indexmap`). Policies read best in the conventional order (`Sid`, `Effect`, `Principal`,
//! `Action`, `Resource`, `Condition`), so this type keeps insertion order. It implements
//! `Serialize` as a map in that order, so both `serde_json::to_string_pretty` and
//! `serde-wasm-bindgen` emit the keys exactly as built.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use std::borrow::Cow;

/// Strings are borrowed when they are literals (actions, `Allow`, the policy version) and
/// object keys always are: building a policy allocates only for the values it computes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Json {
    Str(Cow<'static, str>),
    Arr(Vec<Json>),
    Obj(Vec<(&'static str, Json)>),
}

impl Json {
    pub fn str(s: impl Into<String>) -> Json {
        Json::Str(Cow::Owned(s.into()))
    }

    /// A string literal, not copied.
    pub fn lit(s: &'static str) -> Json {
        Json::Str(Cow::Borrowed(s))
    }

    /// An array of strings.
    pub fn strs<S: AsRef<str>>(items: &[S]) -> Json {
        Json::Arr(items.iter().map(|s| Json::str(s.as_ref())).collect())
    }

    /// An array of string literals, not copied.
    pub fn lits(items: &[&'static str]) -> Json {
        Json::Arr(items.iter().map(|&s| Json::lit(s)).collect())
    }

    /// A single string when there is exactly one item, else an array (IAM accepts both).
    pub fn one_or_many<S: AsRef<str>>(items: &[S]) -> Json {
        match items {
            [one] => Json::str(one.as_ref()),
            _ => Json::strs(items),
        }
    }

    pub fn obj(members: Vec<(&'static str, Json)>) -> Json {
        Json::Obj(members)
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(m) => m.iter().find(|(k, _)| *k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Every string in the tree, depth first (used to find leftover placeholders).
    pub fn strings<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Json::Str(s) => out.push(s),
            Json::Arr(items) => items.iter().for_each(|i| i.strings(out)),
            Json::Obj(members) => members.iter().for_each(|(_, v)| v.strings(out)),
        }
    }

    /// Pretty-printed with two-space indentation, keys in insertion order: exactly the text
    /// of `serde_json::to_string_pretty`, written directly.
    pub fn to_pretty(&self) -> String {
        let mut out = String::with_capacity(self.size_hint());
        self.write_pretty(&mut out, 0);
        out
    }

    /// Roughly the length of the pretty text, to allocate it once.
    fn size_hint(&self) -> usize {
        match self {
            Json::Str(s) => s.len() + 2,
            Json::Arr(items) => items.iter().map(|i| i.size_hint() + 16).sum::<usize>() + 4,
            Json::Obj(members) => {
                members
                    .iter()
                    .map(|(k, v)| k.len() + v.size_hint() + 20)
                    .sum::<usize>()
                    + 4
            }
        }
    }

    fn write_pretty(&self, out: &mut String, depth: usize) {
        fn newline(out: &mut String, depth: usize) {
            // A newline and the indentation of up to 32 levels, copied at once.
            const INDENT: &str = concat!(
                "\n",
                "                                ",
                "                                "
            );
            match INDENT.get(..1 + 2 * depth) {
                Some(s) => out.push_str(s),
                None => {
                    out.push('\n');
                    for _ in 0..depth {
                        out.push_str("  ");
                    }
                }
            }
        }
        match self {
            Json::Str(s) => write_string(out, s),
            Json::Arr(items) if items.is_empty() => out.push_str("[]"),
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, depth + 1);
                    item.write_pretty(out, depth + 1);
                }
                newline(out, depth);
                out.push(']');
            }
            Json::Obj(members) if members.is_empty() => out.push_str("{}"),
            Json::Obj(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, depth + 1);
                    write_string(out, k);
                    out.push_str(": ");
                    v.write_pretty(out, depth + 1);
                }
                newline(out, depth);
                out.push('}');
            }
        }
    }

    /// A `serde_json::Value` (note: its object keys are sorted).
    pub fn to_value(&self) -> serde_json::Value {
        match self {
            Json::Str(s) => serde_json::Value::String(s.to_string()),
            Json::Arr(items) => {
                serde_json::Value::Array(items.iter().map(Json::to_value).collect())
            }
            Json::Obj(members) => serde_json::Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_value()))
                    .collect(),
            ),
        }
    }
}

/// A JSON string literal, escaped as serde_json does: `"`, `\\`, and control characters
/// (short forms for \\b \\t \\n \\f \\r, `\\u00xx` for the rest); nothing else.
fn write_string(out: &mut String, s: &str) {
    fn special(b: u8) -> bool {
        b < 0x20 || b == b'"' || b == b'\\'
    }
    out.push('"');
    let bytes = s.as_bytes();
    // Most strings need no escape: test 16 bytes at a time without branching per byte. A
    // long string's tail is tested as its last 16 bytes (overlapping), a short one bytewise.
    let any16 = |c: &[u8]| c.iter().fold(false, |a, &b| a | special(b));
    let mut chunks = bytes.chunks_exact(16);
    let dirty = chunks.by_ref().any(any16)
        || match bytes.len().checked_sub(16) {
            Some(_) if chunks.remainder().is_empty() => false,
            Some(last) => any16(&bytes[last..]),
            None => bytes.iter().any(|&b| special(b)),
        };
    if !dirty {
        out.push_str(s);
        out.push('"');
        return;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let short = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        // `b` is ASCII, so `i` and `i + 1` are char boundaries.
        out.push_str(&s[start..i]);
        if short.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(short);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Str(s) => serializer.serialize_str(s),
            Json::Arr(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Obj(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(*k, v)?;
                }
                map.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_insertion_order() {
        let j = Json::obj(vec![
            ("Version", Json::str("2012-10-17")),
            (
                "Statement",
                Json::Arr(vec![Json::obj(vec![
                    ("Sid", Json::str("A")),
                    ("Effect", Json::str("Allow")),
                ])]),
            ),
        ]);
        let text = j.to_pretty();
        let v = text.find("Version").unwrap_or(usize::MAX);
        let s = text.find("Statement").unwrap_or(0);
        assert!(v < s, "{text}");
        assert!(text.find("\"Sid\"").unwrap_or(usize::MAX) < text.find("\"Effect\"").unwrap_or(0));
        assert_eq!(Json::one_or_many(&["a"]), Json::str("a"));
        assert_eq!(Json::one_or_many(&["a", "b"]), Json::strs(&["a", "b"]));
        assert_eq!(Json::lits(&["a", "b"]), Json::strs(&["a", "b"]));
    }

    #[test]
    fn pretty_text_is_serde_jsons() {
        let nasty = "q\"b\\s/\u{1}\u{8}\u{c}\n\r\t\u{1f}\u{7f} é ✓ \u{1F600}";
        let j = Json::obj(vec![
            ("Version", Json::lit("2012-10-17")),
            ("Empty", Json::Arr(vec![])),
            ("None", Json::Obj(vec![])),
            ("One", Json::Arr(vec![Json::str(nasty)])),
            (
                "Nested",
                Json::Arr(vec![
                    Json::obj(vec![
                        ("A", Json::lits(&["x", "y"])),
                        ("B", Json::Obj(vec![])),
                    ]),
                    Json::str(""),
                    Json::Arr(vec![Json::Arr(vec![])]),
                ]),
            ),
        ]);
        let want = serde_json::to_string_pretty(&j).unwrap_or_default();
        assert!(!want.is_empty());
        assert_eq!(j.to_pretty(), want);
        // Every length around the 16-byte steps, with a character to escape at each place.
        for len in 0..40 {
            for at in 0..=len {
                for c in ['"', '\\', '\n', '\u{1}', 'a'] {
                    let mut s: String = "x".repeat(len);
                    if at < len {
                        s.replace_range(at..at + 1, &c.to_string());
                    }
                    let j = Json::str(s);
                    assert_eq!(
                        j.to_pretty(),
                        serde_json::to_string_pretty(&j).unwrap_or_default()
                    );
                }
            }
        }
        // Deeper than the indentation copied at once.
        let mut deep = Json::lit("bottom");
        for i in 0..40 {
            deep = if i % 2 == 0 {
                Json::Arr(vec![deep, Json::lit("x")])
            } else {
                Json::obj(vec![("k", deep)])
            };
        }
        for s in [Json::str(nasty), Json::Arr(vec![]), Json::Obj(vec![]), deep] {
            assert_eq!(
                s.to_pretty(),
                serde_json::to_string_pretty(&s).unwrap_or_default()
            );
        }
    }
}
