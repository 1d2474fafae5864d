//! Byte spans and the one line index that turns them into 1-based line/column positions.
//! Columns are counted in UTF-16 code units because that is what JS editors use.

use serde::Serialize;

/// A half-open byte range `[start, end)` into the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }
    pub const fn empty(at: usize) -> Span {
        Span::new(at, at)
    }
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }
    pub fn is_empty(self) -> bool {
        self.end == self.start
    }
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// One end of a range as editors want it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column in UTF-16 code units.
    pub column: u32,
    /// Byte offset into the UTF-8 text.
    pub offset: u32,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Range {
    pub start: Position,
    pub end: Position,
}

/// Bytes per block of [`LineIndex`].
const BLOCK: usize = 256;

/// Newline counts per block of text, so that building the index is one vectorized count (no
/// per-line work: diagnostics need only a few hundred positions in a text of ~30,000 lines).
/// A position counts the newlines in its block up to it; columns are a subtraction when the
/// line is ASCII up to the position (lines are short).
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Per block, and one more: the newlines before the block.
    lines: Vec<u32>,
    /// Per block, and one more: the start of the line the block begins in.
    line_starts: Vec<u32>,
    len: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let blocks = text.len() / BLOCK + 2;
        let mut lines = Vec::with_capacity(blocks);
        let mut line_starts = Vec::with_capacity(blocks);
        let (mut count, mut line_start) = (0u32, 0u32);
        for (i, block) in text.as_bytes().chunks(BLOCK).enumerate() {
            lines.push(count);
            line_starts.push(line_start);
            let n = newlines(block);
            if n > 0 {
                count = count.wrapping_add(n);
                if let Some(k) = memchr::memrchr(b'\n', block) {
                    line_start = (i * BLOCK + k + 1) as u32;
                }
            }
        }
        lines.push(count);
        line_starts.push(line_start);
        LineIndex {
            lines,
            line_starts,
            len: text.len() as u32,
        }
    }

    /// The line (0-based) of `offset` and the offset its line starts at.
    fn locate(&self, text: &str, offset: u32) -> (u32, u32) {
        let block = (offset as usize / BLOCK).min(self.lines.len() - 1);
        let from = block * BLOCK;
        let head = text.as_bytes().get(from..offset as usize).unwrap_or(&[]);
        let line = self.lines[block].wrapping_add(newlines(head));
        let start =
            memchr::memrchr(b'\n', head).map_or(self.line_starts[block], |k| (from + k + 1) as u32);
        (line, start)
    }

    /// The offset line `i` (0-based) starts at, if the text has that many lines.
    fn line_start(&self, text: &str, i: u32) -> Option<u32> {
        if i == 0 {
            return Some(0);
        }
        // The block holding the `i`th newline: the last one with fewer before it.
        let block = self.lines.partition_point(|&n| n < i).checked_sub(1)?;
        let from = block * BLOCK;
        let mut seen = self.lines[block];
        let bytes = text.as_bytes().get(from..self.len as usize)?;
        for (k, &b) in bytes.iter().enumerate().take(BLOCK) {
            if b == b'\n' {
                seen += 1;
                if seen == i {
                    return Some((from + k + 1) as u32);
                }
            }
        }
        None
    }

    pub fn position(&self, text: &str, offset: u32) -> Position {
        let offset = offset.min(self.len);
        let (line, start) = self.locate(text, offset);
        let ascii = text
            .as_bytes()
            .get(start as usize..offset as usize)
            .is_some_and(|b| b.is_ascii());
        let column = if ascii {
            offset - start
        } else {
            // Clamp to a char boundary: spans always are, but be defensive.
            let mut end = offset as usize;
            while end > start as usize && !text.is_char_boundary(end) {
                end -= 1;
            }
            text.get(start as usize..end)
                .map_or(0, |s| s.chars().map(|c| c.len_utf16() as u32).sum())
        };
        Position {
            line: line + 1,
            column: column + 1,
            offset,
        }
    }

    pub fn range(&self, text: &str, span: Span) -> Range {
        Range {
            start: self.position(text, span.start),
            end: self.position(text, span.end),
        }
    }

    /// Byte span of the 1-based line `line`, without its line break.
    pub fn line_span(&self, text: &str, line: u32) -> Span {
        let i = line.max(1) - 1;
        let start = self.line_start(text, i).unwrap_or(self.len) as usize;
        let mut end = self
            .line_start(text, i + 1)
            .map_or(text.len(), |s| s as usize - 1);
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        Span::new(start, end)
    }

    #[cfg(test)]
    fn line_count(&self) -> usize {
        self.lines.last().map_or(1, |&n| n as usize + 1)
    }
}

/// Newlines in `bytes`, counted branch-free in byte lanes (vectorized; 255 fit in a byte).
fn newlines(bytes: &[u8]) -> u32 {
    bytes
        .chunks(255)
        .map(|c| {
            u32::from(
                c.iter()
                    .fold(0u8, |n, &b| n.wrapping_add(u8::from(b == b'\n'))),
            )
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_utf16() {
        let text = "ab\n\u{1F600}x\né";
        let idx = LineIndex::new(text);
        assert_eq!(
            idx.position(text, 1),
            Position {
                line: 1,
                column: 2,
                offset: 1
            }
        );
        // The emoji is 4 bytes and 2 UTF-16 units.
        assert_eq!(idx.position(text, 7).column, 3);
        assert_eq!(idx.position(text, 9).line, 3);
        assert_eq!(idx.position(text, 11).column, 2);
        assert_eq!(idx.line_span(text, 2), Span::new(3, 8));
    }

    /// Lines longer than the index's blocks, with and without non-ASCII text.
    #[test]
    fn long_lines() {
        for piece in ["a", "é", "\u{1F600}"] {
            let text = format!("{}\n\n{}\r\nz", piece.repeat(700), piece.repeat(300));
            let idx = LineIndex::new(&text);
            let second = text.find("\n\n").unwrap_or(0) + 2;
            assert_eq!(idx.line_count(), 4);
            assert_eq!(idx.line_span(&text, 3), Span::new(second, text.len() - 3));
            let p = idx.position(&text, (text.len() - 3) as u32);
            assert_eq!(
                (p.line, p.column as usize),
                (3, 300 * piece.encode_utf16().count() + 1)
            );
            let p = idx.position(&text, text.len() as u32);
            assert_eq!((p.line, p.column), (4, 2));
            assert_eq!(idx.position(&text, 600 * piece.len() as u32).line, 1);
        }
    }

    #[test]
    fn line_starts_match_a_byte_by_byte_scan() {
        // Newlines and non-ASCII characters at many offsets.
        let pieces = ["\n", "a", "é", "\u{1F600}", "\r\n", "abcdefgh", "\n\n"];
        let mut text = String::new();
        for i in 0..400 {
            text.push_str(pieces[(i * 7 + i / 3) % pieces.len()]);
            let idx = LineIndex::new(&text);
            let mut starts = vec![0u32];
            starts.extend(text.match_indices('\n').map(|(k, _)| k as u32 + 1));
            assert_eq!(idx.line_count(), starts.len());
            for (line, &start) in starts.iter().enumerate() {
                assert_eq!(idx.line_span(&text, line as u32 + 1).start, start);
            }
            assert_eq!(
                idx.line_span(&text, starts.len() as u32 + 1).start as usize,
                text.len()
            );
            for offset in 0..=text.len() as u32 + 2 {
                let line = starts.partition_point(|&s| s <= offset.min(text.len() as u32));
                assert_eq!(idx.position(&text, offset).line as usize, line);
            }
            // Columns agree with counting UTF-16 units from the line start.
            for (offset, _) in text.char_indices().step_by(5) {
                let p = idx.position(&text, offset as u32);
                let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
                let units: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
                assert_eq!(p.column as usize, units + 1);
            }
        }
    }
}
