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

/// Line starts, found with a vectorized newline search. Columns are a subtraction when the
/// line is ASCII up to the position (checked per lookup; lines are short).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<u32>,
    len: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0u32);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i as u32 + 1));
        LineIndex {
            starts,
            len: text.len() as u32,
        }
    }

    pub fn position(&self, text: &str, offset: u32) -> Position {
        let offset = offset.min(self.len);
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
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
            text[start as usize..end]
                .chars()
                .map(|c| c.len_utf16() as u32)
                .sum()
        };
        Position {
            line: line as u32 + 1,
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
        let i = (line.max(1) - 1) as usize;
        let start = self.starts.get(i).copied().unwrap_or(self.len) as usize;
        let mut end = self
            .starts
            .get(i + 1)
            .map(|s| *s as usize - 1)
            .unwrap_or(text.len());
        if end > start && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        Span::new(start, end)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
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
            assert_eq!(idx.starts, starts);
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
