//! The share link and the saved last state: the document, the deployment context and, when
//! the Simulate tab is shown, the simulated object, packed into one string that fits in a URL
//! fragment, so nothing ever leaves the browser.
//!
//! Format: `base64url(lz(payload))`. Version 2 `payload`: a version byte, a format byte, the
//! document as a LEB128 varint length and its bytes, the context JSON the same way, then a
//! byte 0 (no object) or 1 followed by the object: key, tag count and each tag's key and
//! value (all length-prefixed), an encryption byte and a flag byte (delete marker, replica).
//! Version 1 (older links) ends with the context JSON and has no object. `lz` is a small
//! LZ77 variant written here (no dependency): a sequence of
//! `varint(literal_len) literals varint(match_len) [varint(distance)]` groups.

use s3_replication_lint::simulate::{Encryption, ObjectSpec};
use s3_replication_lint::{DeploymentContext, Format};

const VERSION: u8 = 2;
/// Links made before the simulated object was shared.
const VERSION_1: u8 = 1;
const ENCRYPTIONS: [Encryption; 5] = [
    Encryption::None,
    Encryption::SseS3,
    Encryption::SseKms,
    Encryption::DsseKms,
    Encryption::SseC,
];
/// Refuse to inflate anything larger than this (a share link is never this big).
const MAX_OUTPUT: usize = 8 << 20;
const MIN_MATCH: usize = 4;
const WINDOW: usize = 1 << 16;
const HASH_BITS: u32 = 14;

/// What a share link or the saved state carries.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct SharedState {
    pub text: String,
    /// `None` = detect from the text.
    pub format: Option<Format>,
    pub context: DeploymentContext,
    /// The Simulate tab's object, when that tab was shown.
    pub object: Option<ObjectSpec>,
}

/// Pack a state into a URL-safe string.
pub fn encode(state: &SharedState) -> String {
    let ctx = serde_json::to_string(&state.context).unwrap_or_else(|_| "{}".to_string());
    let mut payload = Vec::with_capacity(state.text.len() + ctx.len() + 8);
    payload.push(VERSION);
    payload.push(match state.format {
        None => 0,
        Some(Format::Xml) => 1,
        Some(Format::Json) => 2,
    });
    put_bytes(&mut payload, state.text.as_bytes());
    put_bytes(&mut payload, ctx.as_bytes());
    match &state.object {
        None => payload.push(0),
        Some(o) => {
            payload.push(1);
            put_bytes(&mut payload, o.key.as_bytes());
            put_varint(&mut payload, o.tags.len());
            for (k, v) in &o.tags {
                put_bytes(&mut payload, k.as_bytes());
                put_bytes(&mut payload, v.as_bytes());
            }
            let enc = ENCRYPTIONS.iter().position(|e| *e == o.encryption);
            payload.push(enc.unwrap_or(0) as u8);
            payload.push(u8::from(o.delete_marker) | (u8::from(o.is_replica) << 1));
        }
    }
    base64url_encode(&compress(&payload))
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_varint(out, bytes.len());
    out.extend_from_slice(bytes);
}

/// Reads what [`put_bytes`] wrote as text; `None` when truncated or not UTF-8.
fn get_str<'b>(bytes: &mut &'b [u8]) -> Option<&'b str> {
    let (len, used) = get_varint(bytes)?;
    let rest = bytes.get(used..)?;
    let text = std::str::from_utf8(rest.get(..len)?).ok()?;
    *bytes = rest.get(len..)?;
    Some(text)
}

fn get_object(mut rest: &[u8]) -> Option<Option<ObjectSpec>> {
    let (&present, tail) = rest.split_first()?;
    rest = tail;
    if present == 0 {
        return rest.is_empty().then_some(None);
    }
    let key = get_str(&mut rest)?.to_string();
    let (count, used) = get_varint(rest)?;
    rest = rest.get(used..)?;
    // Every tag takes at least two bytes, so a hostile count cannot make this allocate much.
    let mut tags = Vec::with_capacity(count.min(rest.len() / 2));
    for _ in 0..count {
        let k = get_str(&mut rest)?.to_string();
        let v = get_str(&mut rest)?.to_string();
        tags.push((k, v));
    }
    let [enc, flags] = rest else { return None };
    Some(Some(ObjectSpec {
        key,
        tags,
        encryption: *ENCRYPTIONS.get(usize::from(*enc))?,
        delete_marker: flags & 1 != 0,
        is_replica: flags & 2 != 0,
    }))
}

/// Unpack a string made by [`encode`]. Any damage gives `None`, never a panic.
pub fn decode(s: &str) -> Option<SharedState> {
    let bytes = base64url_decode(s.trim())?;
    let payload = decompress(&bytes)?;
    let (&version, rest) = payload.split_first()?;
    if version != VERSION && version != VERSION_1 {
        return None;
    }
    let (&fmt, mut rest) = rest.split_first()?;
    let format = match fmt {
        0 => None,
        1 => Some(Format::Xml),
        2 => Some(Format::Json),
        _ => return None,
    };
    let text = get_str(&mut rest)?.to_string();
    let (ctx_text, object) = if version == VERSION_1 {
        (std::str::from_utf8(rest).ok()?, None)
    } else {
        let ctx_text = get_str(&mut rest)?;
        (ctx_text, get_object(rest)?)
    };
    // A context that no longer parses (an older link) is dropped, the document is kept.
    let context = if ctx_text.trim().is_empty() {
        DeploymentContext::default()
    } else {
        DeploymentContext::from_json(ctx_text).unwrap_or_default()
    };
    Some(SharedState {
        text,
        format,
        context,
        object,
    })
}

fn put_varint(out: &mut Vec<u8>, mut v: usize) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Returns the value and the number of bytes read.
fn get_varint(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut v: usize = 0;
    for (i, &b) in bytes.iter().enumerate().take(5) {
        v |= ((b & 0x7f) as usize) << (7 * i);
        if b & 0x80 == 0 {
            return Some((v, i + 1));
        }
    }
    None
}

fn hash4(b: &[u8]) -> usize {
    let v = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    (v.wrapping_mul(2_654_435_761) >> (32 - HASH_BITS)) as usize
}

/// Greedy LZ77 with a one-entry hash table: fast and good enough for XML/JSON.
pub fn compress(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() / 2 + 16);
    let mut table = vec![usize::MAX; 1 << HASH_BITS];
    let mut lit_start = 0;
    let mut i = 0;
    while i + MIN_MATCH <= input.len() {
        let h = hash4(&input[i..i + 4]);
        let cand = table[h];
        table[h] = i;
        if cand != usize::MAX && i - cand < WINDOW && input[cand..cand + 4] == input[i..i + 4] {
            let mut len = 4;
            while i + len < input.len() && input[cand + len] == input[i + len] {
                len += 1;
            }
            put_varint(&mut out, i - lit_start);
            out.extend_from_slice(&input[lit_start..i]);
            put_varint(&mut out, len);
            put_varint(&mut out, i - cand);
            // Index a few positions inside the match so later repeats find it.
            let end = i + len;
            let mut j = i + 1;
            while j < end && j + MIN_MATCH <= input.len() {
                table[hash4(&input[j..j + 4])] = j;
                j += if len > 64 { 4 } else { 1 };
            }
            i = end;
            lit_start = i;
        } else {
            i += 1;
        }
    }
    put_varint(&mut out, input.len() - lit_start);
    out.extend_from_slice(&input[lit_start..]);
    out
}

/// Inverse of [`compress`]; `None` on any malformed input.
pub fn decompress(input: &[u8]) -> Option<Vec<u8>> {
    let mut out: Vec<u8> = Vec::with_capacity(input.len() * 3);
    let mut pos = 0;
    while pos < input.len() {
        let (lits, n) = get_varint(&input[pos..])?;
        pos += n;
        let chunk = input.get(pos..pos.checked_add(lits)?)?;
        if out.len() + chunk.len() > MAX_OUTPUT {
            return None;
        }
        out.extend_from_slice(chunk);
        pos += lits;
        if pos == input.len() {
            break;
        }
        let (len, n) = get_varint(&input[pos..])?;
        pos += n;
        let (dist, n) = get_varint(input.get(pos..)?)?;
        pos += n;
        if len < MIN_MATCH || dist == 0 || dist > out.len() || out.len() + len > MAX_OUTPUT {
            return None;
        }
        let from = out.len() - dist;
        for k in 0..len {
            let b = out[from + k];
            out.push(b);
        }
    }
    Some(out)
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 4 / 3 + 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for k in 0..chars {
            s.push(B64[((n >> (18 - 6 * k)) & 63) as usize] as char);
        }
    }
    s
}

pub fn base64url_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            b'=' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip() {
        for n in 0..40 {
            let data: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(base64url_decode(&base64url_encode(&data)).unwrap(), data);
        }
        assert_eq!(base64url_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64url_encode(b"fo"), "Zm8");
        assert!(base64url_decode("ab$c").is_none());
    }

    #[test]
    fn lz_round_trip_and_shrinks_repetitive_text() {
        let text = "<Rule><Status>Enabled</Status></Rule>\n".repeat(50);
        let packed = compress(text.as_bytes());
        assert!(packed.len() < text.len() / 5, "{} bytes", packed.len());
        assert_eq!(decompress(&packed).unwrap(), text.as_bytes());
        for s in [
            "",
            "a",
            "abcd",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "ééé🙂🙂🙂🙂ab",
        ] {
            assert_eq!(decompress(&compress(s.as_bytes())).unwrap(), s.as_bytes());
        }
    }

    #[test]
    fn damaged_input_is_refused_not_panicking() {
        assert!(decompress(&[5, b'a']).is_none()); // literal run past the end
        assert!(decompress(&[1, b'a', 4, 9]).is_none()); // distance beyond output
        assert!(decompress(&[0, 4, 0]).is_none()); // zero distance
        assert!(decompress(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).is_none());
        assert!(decode("").is_none());
        assert!(decode("not base64 !").is_none());
        assert!(decode("AAAA").is_none());
        // Every truncation of a real link fails cleanly or decodes.
        let link = encode(&SharedState {
            text: "<ReplicationConfiguration/>".into(),
            format: Some(Format::Xml),
            context: DeploymentContext::default(),
            object: Some(ObjectSpec {
                key: "a/b.txt".into(),
                tags: vec![("k".into(), "v".into())],
                ..Default::default()
            }),
        });
        for i in 0..link.len() {
            let _ = decode(&link[..i]);
        }
    }

    #[test]
    fn state_round_trip() {
        let mut context = DeploymentContext {
            source_bucket: Some("acme-src".into()),
            source_region: Some("eu-west-1".into()),
            source_kms_keys: vec!["arn:aws:kms:eu-west-1:111122223333:key/k".into()],
            ..Default::default()
        };
        context
            .destinations
            .insert("acme-dst".into(), Default::default());
        let mut state = SharedState {
            text: "{ \"Role\": \"é🙂\" }\n".repeat(30),
            format: Some(Format::Json),
            context,
            object: None,
        };
        assert_eq!(decode(&encode(&state)), Some(state.clone()));
        state.object = Some(ObjectSpec {
            key: "photos/ü 2024.jpg".into(),
            tags: vec![("env".into(), "prod".into()), ("".into(), "".into())],
            encryption: Encryption::DsseKms,
            delete_marker: true,
            is_replica: false,
        });
        assert_eq!(decode(&encode(&state)), Some(state));
    }

    #[test]
    fn version_1_links_still_open() {
        // Built as the version 1 encoder did: the context runs to the end, no object.
        let text = "<ReplicationConfiguration/>";
        let ctx = r#"{"sourceBucket":"old-link"}"#;
        let mut payload = vec![VERSION_1, 1];
        put_varint(&mut payload, text.len());
        payload.extend_from_slice(text.as_bytes());
        payload.extend_from_slice(ctx.as_bytes());
        let s = decode(&base64url_encode(&compress(&payload))).expect("v1 link");
        assert_eq!(s.text, text);
        assert_eq!(s.context.source_bucket.as_deref(), Some("old-link"));
        assert_eq!(s.object, None);
    }
}
