//! Everything derived from (document, format, context): the report, highlight tokens, line
//! tables and the generated policies. Recomputed from scratch on every edit; shared with the
//! panels through `Rc` so unchanged panels skip re-rendering.

use crate::editor::highlight::{self, Token};
use s3_replication_lint::explain::{explain, Explanation};
use s3_replication_lint::policy::{self, PolicySet};
use s3_replication_lint::simulate::{simulate, ObjectSpec, Simulation};
use s3_replication_lint::{
    arn, check, context::Resolved, CheckOptions, DeploymentContext, Diagnostic, Format, Report,
    Severity,
};
use std::rc::Rc;

/// Byte and UTF-16 line starts: the textarea speaks UTF-16, core speaks bytes.
#[derive(Debug, Default)]
pub struct Lines {
    starts: Vec<u32>,
    u16_starts: Vec<u32>,
    ascii: Vec<bool>,
    len: u32,
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        let mut starts = vec![0u32];
        let mut u16_starts = vec![0u32];
        let mut ascii = Vec::new();
        let mut line_ascii = true;
        let mut u16 = 0u32;
        for (i, c) in text.char_indices() {
            u16 += c.len_utf16() as u32;
            if c == '\n' {
                ascii.push(line_ascii);
                line_ascii = true;
                starts.push(i as u32 + 1);
                u16_starts.push(u16);
            } else if !c.is_ascii() {
                line_ascii = false;
            }
        }
        ascii.push(line_ascii);
        Lines {
            starts,
            u16_starts,
            ascii,
            len: text.len() as u32,
        }
    }

    pub fn count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line containing byte `offset`.
    pub fn line_of(&self, offset: u32) -> usize {
        match self.starts.binary_search(&offset.min(self.len)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Byte range of 0-based `line`, without its `\n` (a trailing `\r` is kept out too).
    pub fn span(&self, text: &str, line: usize) -> (u32, u32) {
        let start = self.starts.get(line).copied().unwrap_or(self.len);
        let mut end = self
            .starts
            .get(line + 1)
            .map_or(self.len, |s| s.saturating_sub(1));
        if end > start && text.as_bytes().get(end as usize - 1) == Some(&b'\r') {
            end -= 1;
        }
        (start, end.max(start))
    }

    /// UTF-16 offset of byte `offset` (clamped to a char boundary).
    pub fn to_utf16(&self, text: &str, offset: u32) -> u32 {
        let offset = offset.min(self.len);
        let line = self.line_of(offset);
        let start = self.starts[line];
        if self.ascii[line] {
            return self.u16_starts[line] + (offset - start);
        }
        let mut end = offset as usize;
        while end > start as usize && !text.is_char_boundary(end) {
            end -= 1;
        }
        let within: u32 = text[start as usize..end]
            .chars()
            .map(|c| c.len_utf16() as u32)
            .sum();
        self.u16_starts[line] + within
    }

    /// Byte offset of UTF-16 offset `u16` (inside a surrogate pair: the char's start).
    pub fn to_byte(&self, text: &str, u16: u32) -> u32 {
        let line = match self.u16_starts.binary_search(&u16) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts[line];
        let mut rem = u16 - self.u16_starts[line];
        if self.ascii[line] {
            let line_end = self.starts.get(line + 1).copied().unwrap_or(self.len);
            return (start + rem).min(line_end);
        }
        let mut pos = start as usize;
        for c in text[start as usize..].chars() {
            let n = c.len_utf16() as u32;
            if rem < n {
                break;
            }
            rem -= n;
            pos += c.len_utf8();
        }
        pos as u32
    }
}

/// A diagnostic's byte span as drawn: empty spans widen to the next character when there is
/// one on the same line, else stay a point marker.
pub fn drawn_span(text: &str, d: &Diagnostic) -> (u32, u32) {
    let len = text.len() as u32;
    let start = d.span.start.min(len);
    let end = d.span.end.clamp(start, len);
    if end > start {
        return (start, end);
    }
    match text.get(start as usize..).and_then(|r| r.chars().next()) {
        Some(c) if c != '\n' && c != '\r' => (start, start + c.len_utf8() as u32),
        _ => (start, start),
    }
}

/// The most severe diagnostic touching each line.
fn line_marks(text: &str, lines: &Lines, diagnostics: &[Diagnostic]) -> Vec<Option<Severity>> {
    let mut marks = vec![None; lines.count()];
    for d in diagnostics {
        let (s, e) = drawn_span(text, d);
        let (a, b) = (lines.line_of(s), lines.line_of(e));
        for mark in marks.iter_mut().take(b + 1).skip(a) {
            *mark = Some(match *mark {
                Some(m) if m <= d.severity => m,
                _ => d.severity,
            });
        }
    }
    marks
}

pub struct Analysis {
    pub text: Rc<str>,
    pub report: Report,
    pub lines: Lines,
    pub tokens: Vec<Token>,
    /// The most severe diagnostic touching each line.
    pub line_marks: Vec<Option<Severity>>,
    /// Distinct destination bucket names in document order.
    pub destinations: Vec<String>,
    /// `None` when the document could not be read at all.
    pub policies: Option<PolicySet>,
    /// Milliseconds spent computing this analysis (shown in the footer, used by the bench).
    pub millis: f64,
}

impl Analysis {
    pub fn new(text: Rc<str>, format: Option<Format>, ctx: &DeploymentContext) -> Analysis {
        let t0 = now();
        let report = check(
            &text,
            &CheckOptions {
                format,
                context: ctx.clone(),
            },
        );
        let lines = Lines::new(&text);
        let tokens = match report.format {
            Format::Json => highlight::tokenize_json(&text),
            Format::Xml => highlight::tokenize_xml(&text),
        };
        let line_marks = line_marks(&text, &lines, &report.diagnostics);
        let mut destinations: Vec<String> = Vec::new();
        let mut policies = None;
        if let Some(doc) = &report.document {
            for rule in &doc.rules {
                if let Some(b) = rule.destination_bucket() {
                    let name = arn::bucket_name(b).trim();
                    if !name.is_empty() && !destinations.iter().any(|d| d == name) {
                        destinations.push(name.to_string());
                    }
                }
            }
            let resolved = Resolved::new(ctx, doc);
            policies = Some(policy::generate(doc, &resolved));
        }
        let millis = now() - t0;
        Analysis {
            text,
            report,
            lines,
            tokens,
            line_marks,
            destinations,
            policies,
            millis,
        }
    }

    /// The analysis of a template, Terraform file or plan: the diagnostics the template
    /// reader found (one configuration's), no model, no policies.
    pub fn of_template(text: Rc<str>, diagnostics: Vec<Diagnostic>, millis: f64) -> Analysis {
        let lines = Lines::new(&text);
        let line_marks = line_marks(&text, &lines, &diagnostics);
        // JSON templates and plans are coloured as JSON; YAML and HCL stay plain.
        let tokens = if text.trim_start().starts_with('{') {
            highlight::tokenize_json(&text)
        } else {
            Vec::new()
        };
        Analysis {
            text,
            report: Report {
                format: Format::Json,
                diagnostics,
                document: None,
            },
            lines,
            tokens,
            line_marks,
            destinations: Vec::new(),
            policies: None,
            millis,
        }
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.report
            .diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// The `explain` answer with what the topology needs about the source bucket.
pub struct Explained {
    pub explanation: Explanation,
    pub source: Option<String>,
    pub source_region: Option<String>,
    pub source_account: Option<String>,
    /// Milliseconds spent in `explain`.
    pub millis: f64,
}

/// A simulation and the editor lines of the rules that govern a destination.
pub struct Simulated {
    pub simulation: Simulation,
    /// 0-based first and last line of each governing rule, in document order, deduplicated.
    pub bands: Vec<(usize, usize)>,
    pub millis: f64,
}

impl Analysis {
    /// Simulate `object` against the document; `None` when the document could not be read.
    pub fn simulate(&self, ctx: &DeploymentContext, object: &ObjectSpec) -> Option<Simulated> {
        let t0 = now();
        let doc = self.report.document.as_ref()?;
        let resolved = Resolved::new(ctx, doc);
        let simulation = simulate(doc, object, &resolved);
        let mut bands: Vec<(usize, usize)> = simulation
            .destinations
            .iter()
            .filter_map(|d| d.rule_index)
            .filter_map(|i| doc.rules.get(i))
            .map(|r| {
                let (s, e) = (r.meta.span.start, r.meta.span.end);
                let last = e.saturating_sub(1).max(s);
                (self.lines.line_of(s), self.lines.line_of(last))
            })
            .collect();
        s3_replication_lint::sort::sort(&mut bands);
        bands.dedup();
        Some(Simulated {
            simulation,
            bands,
            millis: now() - t0,
        })
    }

    /// Explain the document; `None` when it could not be read.
    pub fn explain(&self, ctx: &DeploymentContext) -> Option<Explained> {
        let t0 = now();
        let doc = self.report.document.as_ref()?;
        let resolved = Resolved::new(ctx, doc);
        let explanation = explain(doc, &resolved);
        Some(Explained {
            explanation,
            source: resolved.source_bucket.clone(),
            source_region: resolved.source_region.as_ref().map(|f| f.value.clone()),
            source_account: resolved.source_account.as_ref().map(|f| f.value.clone()),
            millis: now() - t0,
        })
    }
}

#[cfg(target_arch = "wasm32")]
fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

#[cfg(not(target_arch = "wasm32"))]
fn now() -> f64 {
    0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_conversions() {
        let text = "ab\n\u{1F600}x\né\r\nz";
        let l = Lines::new(text);
        assert_eq!(l.count(), 4);
        assert_eq!(l.to_utf16(text, 3), 3);
        assert_eq!(l.to_utf16(text, 7), 5); // after the emoji (2 units)
        assert_eq!(l.to_byte(text, 5), 7);
        assert_eq!(l.to_byte(text, 4), 3); // inside the surrogate pair
        assert_eq!(l.to_byte(text, 7), 9); // start of "é"
        assert_eq!(l.to_utf16(text, 11), 8); // after "é"
        assert_eq!(l.span(text, 2), (9, 11));
        assert_eq!(l.span(text, 3), (13, 14));
        assert_eq!(l.line_of(13), 3);
        // Out of range inputs clamp.
        assert_eq!(l.to_utf16(text, 999), 11);
        assert_eq!(l.to_byte(text, 999), 14);
    }
}
