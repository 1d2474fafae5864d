//! The share link and the saved last state: the document and the deployment context packed
//! into one string that fits in a URL fragment, so nothing ever leaves the browser.
//!
//! Format: `base64url(lz(payload))` where `payload` is a version byte, a format byte, the
//! document length as a LEB128 varint, the document bytes, then the context JSON. `lz` is a
//! small LZ77 variant written here (no dependency): a sequence of
//! `varint(literal_len) literals varint(match_len) [varint(distance)]` groups.

use s3_replication_lint::{DeploymentContext, Format};

const VERSION: u8 = 1;
/// Refuse to inflate anything larger than this (a share link is never this big).
const MAX_OUTPUT: usize = 8 << 20;
const MIN_MATCH: usize = 4;
const WINDOW: usize = 1 << 16;
const HASH_BITS: u32 = 14;

/// What a share link or the saved state carries.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Shared {
    pub text: String,
    /// `None` = detect from the text.
    pub format: Option<Format>,
    pub context: DeploymentContext,
}

/// Pack a state into a URL-safe string.
pub fn encode(state: &Shared) -> String {
    let ctx = serde_json::to_string(&state.context).unwrap_or_else(|_| "{}".to_string());
    let mut payload = Vec::with_capacity(state.text.len() + ctx.len() + 8);
    payload.push(VERSION);
    payload.push(match state.format {
        None => 0,
        Some(Format::Xml) => 1,
        Some(Format::Json) => 2,
    });
    put_varint(&mut payload, state.text.len());
    payload.extend_from_slice(state.text.as_bytes());
    payload.extend_from_slice(ctx.as_bytes());
    base64url_encode(&compress(&payload))
}

/// Unpack a string made by [`encode`]. Any damage gives `None`, never a panic.
pub fn decode(s: &str) -> Option<Shared> {
    let bytes = base64url_decode(s.trim())?;
    let payload = decompress(&bytes)?;
    let (&version, rest) = payload.split_first()?;
    if version != VERSION {
        return None;
    }
    let (&fmt, rest) = rest.split_first()?;
    let format = match fmt {
        0 => None,
        1 => Some(Format::Xml),
        2 => Some(Format::Json),
        _ => return None,
    };
    let (len, used) = get_varint(rest)?;
    let rest = rest.get(used..)?;
    let text = std::str::from_utf8(rest.get(..len)?).ok()?.to_string();
    let ctx_text = std::str::from_utf8(rest.get(len..)?).ok()?;
    // A context that no longer parses (an older link) is dropped, the document is kept.
    let context = if ctx_text.trim().is_empty() {
        DeploymentContext::default()
    } else {
        DeploymentContext::from_json(ctx_text).unwrap_or_default()
    };
    Some(Shared {
        text,
        format,
        context,
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
        let link = encode(&Shared {
            text: "<ReplicationConfiguration/>".into(),
            format: Some(Format::Xml),
            context: DeploymentContext::default(),
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
        let state = Shared {
            text: "{ \"Role\": \"é🙂\" }\n".repeat(30),
            format: Some(Format::Json),
            context,
        };
        assert_eq!(decode(&encode(&state)), Some(state));
    }
}
