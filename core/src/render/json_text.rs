//! JSON text written directly, for the wasm `check`'s result: its diagnostics (hundreds of
//! messages of a few hundred bytes) and policies (hundreds of statements) are most of what a
//! large document's check sends. serde_json's string escaping looks every byte up in a table;
//! in this module's size-optimized build that loop was the largest single cost of sending a
//! result. Here a string is scanned eight bytes at a time and copied in runs.

use crate::policy::json::Json;
use crate::policy::PolicySet;

/// A JSON document being written, as bytes: a digit or an escape is one append (no
/// per-character encoding).
pub(crate) struct JsonText {
    out: Vec<u8>,
}

/// Eight bytes, one per lane.
const LANES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Whether any of the eight bytes of `w` needs escaping in a JSON string: a control character
/// (below 0x20), `"` or `\`. Exact: the classic "has a byte below n" and "has a zero byte"
/// tests, which never report a lane that is not one (bytes from 0x80 up are left as they are).
fn needs_escape(w: u64) -> bool {
    let control = w.wrapping_sub(LANES * 0x20) & !w;
    let q = w ^ (LANES * u64::from(b'"'));
    let quote = q.wrapping_sub(LANES) & !q;
    let b = w ^ (LANES * u64::from(b'\\'));
    let backslash = b.wrapping_sub(LANES) & !b;
    (control | quote | backslash) & HIGH != 0
}

impl JsonText {
    pub(crate) fn with_capacity(capacity: usize) -> JsonText {
        JsonText {
            out: Vec::with_capacity(capacity),
        }
    }

    /// JSON syntax or a number, as is.
    pub(crate) fn raw(&mut self, text: &str) {
        self.out.extend_from_slice(text.as_bytes());
    }

    pub(crate) fn uint(&mut self, n: u64) {
        // Digits into a small buffer, last first (no formatting machinery).
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut n = n;
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.out
            .extend_from_slice(digits.get(at..).unwrap_or_default());
    }

    /// `"key":`, for keys that need no escaping (ours).
    pub(crate) fn key(&mut self, key: &str) {
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\":");
    }

    /// A string, quoted and escaped as serde_json escapes it.
    pub(crate) fn string(&mut self, s: &str) {
        let bytes = s.as_bytes();
        self.out.push(b'"');
        // `start..i`: the run not yet written. Every byte but an escaped (ASCII) one is copied
        // as it is, so the output stays UTF-8.
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            if let Some(&[a, b, c, d, e, f, g, h]) = bytes.get(i..i + 8) {
                if !needs_escape(u64::from_le_bytes([a, b, c, d, e, f, g, h])) {
                    i += 8;
                    continue;
                }
            }
            let b = bytes[i];
            let escape = match b {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0x08 => "\\b",
                0x0c => "\\f",
                0..=0x1f => "",
                _ => {
                    i += 1;
                    continue;
                }
            };
            self.out
                .extend_from_slice(bytes.get(start..i).unwrap_or_default());
            if escape.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let (hi, lo) = (HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]);
                self.out
                    .extend_from_slice(&[b'\\', b'u', b'0', b'0', hi, lo]);
            } else {
                self.out.extend_from_slice(escape.as_bytes());
            }
            i += 1;
            start = i;
        }
        self.out
            .extend_from_slice(bytes.get(start..).unwrap_or_default());
        self.out.push(b'"');
    }

    /// A [`Json`] value as its `Serialize` writes it (members in their order).
    pub(crate) fn json(&mut self, value: &Json) {
        match value {
            Json::Str(s) => self.string(s),
            Json::Arr(items) => {
                self.raw("[");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.raw(",");
                    }
                    self.json(item);
                }
                self.raw("]");
            }
            Json::Obj(members) => {
                self.raw("{");
                for (i, (key, item)) in members.iter().enumerate() {
                    if i > 0 {
                        self.raw(",");
                    }
                    self.string(key);
                    self.raw(":");
                    self.json(item);
                }
                self.raw("}");
            }
        }
    }

    /// A policy set in its lean form, byte for byte what [`PolicySet::lean`] serializes to:
    /// the policies (most of it, at hundreds of statements) written here, the small parts
    /// (kinds, placeholders, notes) by serde_json.
    pub(crate) fn lean_policy_set(&mut self, set: &PolicySet) -> Result<(), serde_json::Error> {
        self.raw("{\"documents\":[");
        for (i, d) in set.documents.iter().enumerate() {
            self.raw(if i == 0 { "{" } else { ",{" });
            self.key("kind");
            self.raw(&serde_json::to_string(&d.kind)?);
            self.raw(",");
            self.key("title");
            self.string(&d.title);
            self.raw(",");
            self.key("attachTo");
            self.string(&d.attach_to);
            self.raw(",");
            self.key("howToApply");
            self.string(&d.how_to_apply);
            self.raw(",");
            self.key("policy");
            self.json(&d.policy);
            self.raw(",");
            self.key("reasons");
            self.raw("[");
            for (k, s) in d.statements.iter().enumerate() {
                if k > 0 {
                    self.raw(",");
                }
                self.string(&s.reason);
            }
            self.raw("]}");
        }
        self.raw("],");
        self.key("complete");
        self.raw(if set.complete { "true" } else { "false" });
        self.raw(",");
        self.key("placeholders");
        self.raw(&serde_json::to_string(&set.placeholders)?);
        self.raw(",");
        self.key("notes");
        self.raw(&serde_json::to_string(&set.notes)?);
        self.raw("}");
        Ok(())
    }

    pub(crate) fn into_string(self) -> String {
        // Always UTF-8 (see `out`); the fallback only keeps this free of a panic path.
        String::from_utf8(self.out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(s: &str) -> String {
        let mut j = JsonText::with_capacity(0);
        j.string(s);
        j.into_string()
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut all = String::new();
        for c in (0u8..0x80).map(char::from) {
            all.push(c);
        }
        let cases = [
            "",
            "plain",
            "eight ch",
            "a \"quoted\" key\\path",
            "line\nbreak\ttab\r\u{8}\u{c}\u{1}\u{1f}",
            "é non-ASCII ✓ 😀 \"after\"",
            "long run with nothing to escape at all until the very end\"",
            "\"",
            &all,
        ];
        for s in cases {
            assert_eq!(written(s), serde_json::to_string(s).unwrap(), "{s:?}");
        }
        // Every position of an escaped byte inside a chunk, and non-ASCII around it.
        for at in 0..17 {
            for special in ["\"", "\\", "\n", "\u{7}", "é", "\u{7f}"] {
                let s = format!("{}{special}{}", "x".repeat(at), "y".repeat(9));
                assert_eq!(written(&s), serde_json::to_string(&s).unwrap(), "{s:?}");
            }
        }
    }

    #[test]
    fn the_lane_test_is_exact() {
        for b in 0u8..=255 {
            let w = u64::from_le_bytes([b'a', b'b', b, b'c', 0xc3, 0xa9, b'd', b'e']);
            let expected = b < 0x20 || b == b'"' || b == b'\\';
            assert_eq!(needs_escape(w), expected, "byte {b:#x}");
        }
    }

    #[test]
    fn a_written_object_reads_back() {
        let mut j = JsonText::with_capacity(0);
        j.raw("{");
        j.key("span");
        j.raw("[");
        j.uint(3);
        j.raw(",");
        j.uint(12);
        j.raw("],");
        j.key("message");
        j.string("a \"b\"\n");
        j.raw("}");
        let value: serde_json::Value = serde_json::from_str(&j.into_string()).unwrap();
        assert_eq!(
            value,
            serde_json::json!({ "span": [3, 12], "message": "a \"b\"\n" })
        );
    }

    #[test]
    fn policy_sets_are_written_as_serde_writes_their_lean_form() {
        use crate::context::{DeploymentContext, Resolved};
        for rules in [0, 1, 10, 60] {
            let doc = crate::testgen::document(rules);
            for context in [
                DeploymentContext::default(),
                DeploymentContext::from_json(
                    r#"{"sourceAccount":"111122223333","sourceRegion":"us-east-1"}"#,
                )
                .unwrap(),
            ] {
                let set = crate::policy::generate(&doc, &Resolved::new(&context, &doc));
                let mut j = JsonText::with_capacity(0);
                j.lean_policy_set(&set).unwrap();
                assert_eq!(
                    j.into_string(),
                    serde_json::to_string(&set.lean()).unwrap(),
                    "{rules} rules"
                );
            }
        }
    }

    #[test]
    fn numbers() {
        for n in [0u64, 7, 10, 4_294_967_295, u64::MAX] {
            let mut j = JsonText::with_capacity(0);
            j.uint(n);
            assert_eq!(j.into_string(), n.to_string());
        }
    }
}
