//! Where each byte of a string template's value was written: literals (through a `<<-`
//! heredoc's stripped indentation and escapes) and interpolations the code does not fix.

use crate::source::Span;

/// A piece of a string template: a literal or an interpolation.
pub(super) struct Piece {
    /// Offset and length in the template's text.
    pub(super) at: usize,
    pub(super) len: usize,
    /// Where it is written.
    pub(super) file: Span,
    /// The expression of an interpolation the code does not fix.
    pub(super) unknown: Option<String>,
    /// For a literal whose written form differs from its value (a `<<-` heredoc's
    /// indentation, escapes): the file offset of each byte of the value.
    pub(super) offsets: Option<Vec<u32>>,
}

impl Piece {
    pub(super) fn literal(at: usize, value: &str, file: Span, file_text: &str) -> Piece {
        let raw = file_text.get(file.range()).unwrap_or("");
        let offsets = (raw != value)
            .then(|| align(value, raw, file.start))
            .flatten();
        Piece {
            at,
            len: value.len(),
            file,
            unknown: None,
            offsets,
        }
    }

    /// The file offset of byte `i` of this piece (`end`: the offset just after it).
    fn offset(&self, i: usize, end: bool) -> usize {
        let exact = self.unknown.is_none() && self.file.len() == self.len;
        if exact {
            return self.file.start as usize + (i + usize::from(end)).min(self.len);
        }
        match &self.offsets {
            Some(o) if self.unknown.is_none() => o
                .get(i.min(o.len().saturating_sub(1)))
                .map_or(self.file.start as usize, |&x| x as usize + usize::from(end)),
            _ if end => self.file.end as usize,
            _ => self.file.start as usize,
        }
    }
}

/// Match each byte of `value` with the byte of `raw` it was written as, skipping what the
/// written form adds (indentation a `<<-` heredoc strips, the `$` of `$${`, a `\\`).
fn align(value: &str, raw: &str, base: u32) -> Option<Vec<u32>> {
    let (v, r) = (value.as_bytes(), raw.as_bytes());
    let mut out = Vec::with_capacity(v.len());
    let mut j = 0;
    for &c in v {
        while j < r.len() && r[j] != c {
            j += 1;
        }
        if j == r.len() {
            return None;
        }
        out.push(base + j as u32);
        j += 1;
    }
    Some(out)
}

/// A span in a template's text -> the file, and the unknown expression it lies in, if any.
pub(super) fn to_file(s: Span, map: &[Piece]) -> (Span, Option<String>) {
    let piece = |offset: usize| {
        map.iter()
            .find(|p| offset >= p.at && offset < p.at + p.len.max(1))
            .or(map.last())
    };
    let (a, b) = (
        s.start as usize,
        (s.end as usize).max(s.start as usize + 1) - 1,
    );
    let (Some(pa), Some(pb)) = (piece(a), piece(b)) else {
        return (s, None);
    };
    let start = pa.offset(a.saturating_sub(pa.at), false);
    let end = if s.is_empty() {
        start
    } else {
        pb.offset(b.saturating_sub(pb.at), true)
    };
    // Unknown when any interpolation the code does not fix lies within it, also between
    // two literals (`"s3.${data.aws_partition.current.dns_suffix}"`).
    let unknown = map
        .iter()
        .filter(|p| p.at <= b && a < p.at + p.len.max(1))
        .find_map(|p| p.unknown.clone());
    (Span::new(start, end.max(start)), unknown)
}
