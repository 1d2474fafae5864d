//! The human renderer: rustc/ruff-style code frames.
//!
//! ```text
//! error[S3R201]: V2 rule has no Priority
//!   --> config.xml:4:3
//!    |
//!  4 |   <Rule>
//!    |   ^^^^^^
//!    |
//!    = help: add <Priority>1</Priority>
//!    = fix available: Add <Priority>
//! ```
//!
//! Header columns are UTF-16 code units (what editors show). Carets are placed by display
//! width: tabs are shown as four spaces, East Asian wide characters take two cells, combining
//! marks none, and control characters are shown as `\u{FFFD}`. Very long lines (minified JSON)
//! are cut to a window around the range.

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{LineIndex, Span};
use std::fmt::Write;

/// Lines wider than this (in characters) are shown as a window around the range.
const MAX_LINE_CHARS: usize = 160;
/// Characters of context kept before the range in such a window.
const WINDOW_BEFORE: usize = 40;
/// A multi-line range shows at most this many lines (the first ones and the last one).
const MAX_FRAME_LINES: usize = 4;
const TAB: &str = "    ";

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn severity_code(severity: Severity) -> &'static str {
        match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        }
    }
    fn gutter(&self, text: &str) -> String {
        self.paint("1;34", text)
    }
}

/// Render `diags` (found in `source`, shown as `file_name`) as code frames, one block per
/// diagnostic, blocks separated by a blank line. `color` adds ANSI colours.
pub fn render(source: &str, file_name: &str, diags: &[Diagnostic], color: bool) -> String {
    let index = LineIndex::new(source);
    let style = Style { color };
    let mut out = String::new();
    for (i, d) in diags.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        render_one(&mut out, source, &index, file_name, d, &style);
    }
    out
}

/// One line such as `2 errors, 1 warning, 0 infos` (for the end of a CLI run).
pub fn summary(diags: &[Diagnostic]) -> String {
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    format!(
        "{}, {}, {}",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning"),
        plural(count(Severity::Info), "info")
    )
}

/// A frame to draw: a span, the character used to underline it, and an optional label.
struct Frame<'a> {
    span: Span,
    mark: char,
    label: Option<&'a str>,
}

fn render_one(
    out: &mut String,
    source: &str,
    index: &LineIndex,
    file_name: &str,
    d: &Diagnostic,
    style: &Style,
) {
    let sev = Style::severity_code(d.severity);
    let _ = writeln!(
        out,
        "{}{}",
        style.paint(sev, &format!("{}[{}]", d.severity.as_str(), d.code)),
        style.paint("1", &format!(": {}", d.message))
    );
    let frames: Vec<Frame<'_>> = std::iter::once(Frame {
        span: d.span,
        mark: '^',
        label: None,
    })
    .chain(d.related.iter().map(|r| Frame {
        span: r.span,
        mark: '-',
        label: Some(r.message.as_str()),
    }))
    .collect();
    // The gutter is as wide as the largest line number shown.
    let width = frames
        .iter()
        .map(|f| index.position(source, f.span.end).line)
        .max()
        .unwrap_or(1)
        .to_string()
        .len();
    let pad = " ".repeat(width);
    for (i, frame) in frames.iter().enumerate() {
        let start = index.position(source, frame.span.start);
        let arrow = if i == 0 { "-->" } else { ":::" };
        if i > 0 {
            let _ = writeln!(out, "{pad} {}", style.gutter("|"));
        }
        let _ = writeln!(
            out,
            "{pad}{} {file_name}:{}:{}",
            style.gutter(arrow),
            start.line,
            start.column
        );
        let _ = writeln!(out, "{pad} {}", style.gutter("|"));
        let mark_style = if frame.mark == '^' { sev } else { "1;34" };
        draw_frame(out, source, index, frame, width, style, mark_style);
    }
    let mut notes: Vec<String> = Vec::new();
    if let Some(help) = &d.help {
        notes.push(format!("{}: {help}", style.paint("1", "help")));
    }
    if let Some(fix) = &d.fix {
        notes.push(format!(
            "{}: {}",
            style.paint("1", "fix available"),
            fix.title
        ));
    }
    if !notes.is_empty() {
        let _ = writeln!(out, "{pad} {}", style.gutter("|"));
        for note in notes {
            // Continuation lines of a multi-line note line up after "= ".
            let note = note.replace('\n', &format!("\n{pad}   "));
            let _ = writeln!(out, "{pad} {} {note}", style.gutter("="));
        }
    }
}

/// The source lines a span covers (at most [`MAX_FRAME_LINES`]) with underlines.
fn draw_frame(
    out: &mut String,
    source: &str,
    index: &LineIndex,
    frame: &Frame<'_>,
    width: usize,
    style: &Style,
    mark_style: &str,
) {
    let start = index.position(source, frame.span.start);
    let end = index.position(source, frame.span.end);
    let first = start.line;
    // A range ending at the very start of a line does not cover that line.
    let mut last = end.line.max(first);
    if last > first && end.column == 1 {
        last -= 1;
    }
    let lines: Vec<Option<u32>> = if (last - first + 1) as usize <= MAX_FRAME_LINES {
        (first..=last).map(Some).collect()
    } else {
        let mut v: Vec<Option<u32>> = (first..first + (MAX_FRAME_LINES as u32 - 1))
            .map(Some)
            .collect();
        v.push(None);
        v.push(Some(last));
        v
    };
    let span_start = start.offset as usize;
    let span_end = (end.offset as usize).max(span_start);
    let count = lines.len();
    for (i, line) in lines.into_iter().enumerate() {
        let Some(line) = line else {
            let _ = writeln!(out, "{}", style.gutter("..."));
            continue;
        };
        let ls = index.line_span(source, line);
        let (line_start, line_end) = (ls.start as usize, ls.end as usize);
        // The part of the span on this line.
        let us = span_start.clamp(line_start, line_end);
        let ue = span_end.clamp(line_start, line_end);
        let (us, ue) = if first == last || line == first {
            (us, ue)
        } else {
            // Later lines of a multi-line range: underline from the first non-blank.
            let text = slice(source, line_start, line_end);
            let lead = text.len() - text.trim_start().len();
            ((line_start + lead).min(ue), ue)
        };
        let shown = window(source, line_start, line_end, us);
        let (text, caret_col) = shown.render(source, us);
        let caret_len = shown.width_between(source, us, ue).max(1);
        let number = format!("{line:>width$}");
        let gutter = style.gutter(&format!("{number} |"));
        if text.is_empty() {
            let _ = writeln!(out, "{gutter}");
        } else {
            let _ = writeln!(out, "{gutter} {text}");
        }
        let mut marks = format!(
            "{}{}",
            " ".repeat(caret_col),
            style.paint(
                mark_style,
                &frame
                    .mark
                    .to_string()
                    .repeat(caret_len.min(MAX_LINE_CHARS + 8))
            )
        );
        if i + 1 == count {
            if let Some(label) = frame.label {
                marks.push(' ');
                marks.push_str(&style.paint(mark_style, label));
            }
        }
        let _ = writeln!(
            out,
            "{} {marks}",
            style.gutter(&format!("{} |", " ".repeat(width)))
        );
    }
}

/// `source[a..b]` with both ends moved down to char boundaries and clamped to the text.
fn slice(source: &str, a: usize, b: usize) -> &str {
    let a = floor_boundary(source, a);
    let b = floor_boundary(source, b).max(a);
    &source[a..b]
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The visible part of a line: the whole line, or a window around `focus` when it is long.
struct Shown {
    start: usize,
    end: usize,
    cut_before: bool,
    cut_after: bool,
}

fn window(source: &str, line_start: usize, line_end: usize, focus: usize) -> Shown {
    let line = slice(source, line_start, line_end);
    if line.chars().count() <= MAX_LINE_CHARS {
        return Shown {
            start: line_start,
            end: line_end,
            cut_before: false,
            cut_after: false,
        };
    }
    let before = slice(source, line_start, focus);
    let skip = before.chars().count().saturating_sub(WINDOW_BEFORE);
    let start = line_start
        + before
            .char_indices()
            .nth(skip)
            .map_or(before.len(), |(i, _)| i);
    let rest = slice(source, start, line_end);
    let end = start
        + rest
            .char_indices()
            .nth(MAX_LINE_CHARS)
            .map_or(rest.len(), |(i, _)| i);
    Shown {
        start,
        end,
        cut_before: start > line_start,
        cut_after: end < line_end,
    }
}

impl Shown {
    const ELLIPSIS: &'static str = "...";

    /// The displayed text and the display column of byte offset `at`.
    fn render(&self, source: &str, at: usize) -> (String, usize) {
        let mut text = String::new();
        if self.cut_before {
            text.push_str(Self::ELLIPSIS);
        }
        let col = text.len() + self.width_between(source, self.start, at);
        for c in slice(source, self.start, self.end).chars() {
            match c {
                '\t' => text.push_str(TAB),
                c if c.is_control() => text.push('\u{FFFD}'),
                c => text.push(c),
            }
        }
        if self.cut_after {
            text.push_str(Self::ELLIPSIS);
        }
        (text, col)
    }

    /// Display width of the visible text between byte offsets `a` and `b`.
    fn width_between(&self, source: &str, a: usize, b: usize) -> usize {
        let a = a.clamp(self.start, self.end);
        let b = b.clamp(a, self.end);
        slice(source, a, b).chars().map(char_width).sum()
    }
}

/// Terminal cells a character takes (a small, dependency-free approximation of wcwidth).
fn char_width(c: char) -> usize {
    let u = c as u32;
    match u {
        0x09 => TAB.len(),
        0x0300..=0x036F | 0x200B..=0x200F | 0xFE00..=0xFE0F | 0x20D0..=0x20FF => 0,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(span: Span) -> Diagnostic {
        Diagnostic::new("S3R999", Severity::Warning, span, "/Role", "test message")
    }

    #[test]
    fn caret_under_ascii_range() {
        let src = "<A>\n  <Role>x</Role>\n</A>\n";
        let start = src.find("<Role>").unwrap_or(0);
        let out = render(src, "f.xml", &[diag(Span::new(start, start + 6))], false);
        assert!(out.contains(" --> f.xml:2:3\n"), "{out}");
        assert!(
            out.contains("2 |   <Role>x</Role>\n  |   ^^^^^^\n"),
            "{out}"
        );
    }

    #[test]
    fn tabs_and_wide_characters_shift_carets() {
        let src = "\t中x";
        let at = src.find('x').unwrap_or(0);
        let out = render(src, "f", &[diag(Span::new(at, at + 1))], false);
        // Header column in UTF-16 units: tab (1) + 中 (1) + 1.
        assert!(out.contains("f:1:3"), "{out}");
        // Display: 4 spaces for the tab, 2 cells for 中.
        assert!(
            out.contains(&format!("1 |     中x\n  | {}^\n", " ".repeat(6))),
            "{out}"
        );
    }

    #[test]
    fn never_panics_on_bad_spans_or_long_lines() {
        let src = format!("é{}", "a".repeat(5000));
        for span in [
            Span::new(1, 2),
            Span::new(9000, 9001),
            Span::new(3000, 20),
            Span::new(0, 0),
        ] {
            let out = render(&src, "f", &[diag(span)], true);
            assert!(out.lines().all(|l| l.chars().count() < 400), "{out}");
        }
        let out = render("", "f", &[diag(Span::new(0, 0))], false);
        assert!(out.contains("f:1:1"), "{out}");
    }

    #[test]
    fn summary_counts() {
        assert_eq!(
            summary(&[diag(Span::new(0, 0))]),
            "0 errors, 1 warning, 0 infos"
        );
    }
}
