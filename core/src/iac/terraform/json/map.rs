//! The way back from the native-syntax translation of a `.tf.json` file to the JSON: every
//! span the HCL reader computes (attributes, blocks, expressions, the tree it builds, its
//! findings, facts and policies) is moved onto the JSON bytes it came from, so the rest of
//! the checker only ever sees positions in the user's file.

use crate::diagnostic::Diagnostic;
use crate::iac::policies::FoundPolicies;
use crate::iac::{Extracted, InferredFact};
use crate::source::{LineIndex, Span};
use crate::syntax::{Content, Member, Node};

/// A run of translated bytes and the JSON bytes it stands for.
#[derive(Clone, Copy, Debug)]
struct Seg {
    hcl: (u32, u32),
    json: (u32, u32),
    /// Byte for byte the same text (a string without escapes, a number): offsets inside
    /// map one to one. Otherwise any offset inside maps to the JSON run's start or end.
    exact: bool,
    /// The first and last runs of a value written inside another (`var.x` of
    /// `"${var.x}"`): their outer edges map to the JSON value's, so the expression is the
    /// whole string.
    outer_start: Option<u32>,
    outer_end: Option<u32>,
}

/// Offsets of the translation -> offsets of the JSON, in increasing order on both sides.
#[derive(Default, Debug)]
pub struct SpanMap {
    segs: Vec<Seg>,
    json_len: u32,
}

impl SpanMap {
    pub fn new(json_len: usize) -> SpanMap {
        SpanMap {
            segs: Vec::new(),
            json_len: json_len as u32,
        }
    }

    /// Record that translated bytes `hcl` stand for JSON bytes `json`.
    pub fn push(&mut self, hcl: (usize, usize), json: Span, exact: bool) {
        if hcl.0 >= hcl.1 {
            return;
        }
        let seg = Seg {
            hcl: (hcl.0 as u32, hcl.1 as u32),
            json: (json.start, json.end),
            exact,
            outer_start: None,
            outer_end: None,
        };
        // Merge with the previous run when both sides continue it exactly.
        if let Some(last) = self.segs.last_mut() {
            if exact
                && last.exact
                && last.outer_start.is_none()
                && last.outer_end.is_none()
                && last.hcl.1 == seg.hcl.0
                && last.json.1 == seg.json.0
            {
                last.hcl.1 = seg.hcl.1;
                last.json.1 = seg.json.1;
                return;
            }
        }
        self.segs.push(seg);
    }

    /// Mark the runs from translated offset `from` on as the whole of JSON value `outer`.
    pub fn wrap(&mut self, from: usize, outer: Span) {
        let from = from as u32;
        let first = self.segs.partition_point(|s| s.hcl.0 < from);
        if first < self.segs.len() {
            self.segs[first].outer_start = Some(outer.start);
            if let Some(last) = self.segs.last_mut() {
                last.outer_end = Some(outer.end);
            }
        }
    }

    /// The segment index of the last run starting at or before `p` (`None`: before all).
    fn at_or_before(&self, p: u32) -> Option<usize> {
        let k = self.segs.partition_point(|s| s.hcl.0 <= p);
        k.checked_sub(1)
    }

    fn start(&self, p: u32) -> u32 {
        match self.at_or_before(p) {
            Some(k) => {
                let s = &self.segs[k];
                if p < s.hcl.1 {
                    if p == s.hcl.0 {
                        if let Some(o) = s.outer_start {
                            return o;
                        }
                    }
                    if s.exact {
                        s.json.0 + (p - s.hcl.0)
                    } else {
                        s.json.0
                    }
                } else {
                    // Between runs (spaces, `=`): where the next run starts.
                    self.segs
                        .get(k + 1)
                        .map_or(s.json.1, |n| n.outer_start.unwrap_or(n.json.0))
                }
            }
            None => self
                .segs
                .first()
                .map_or(0, |n| n.outer_start.unwrap_or(n.json.0)),
        }
    }

    fn end(&self, p: u32) -> u32 {
        if p == 0 {
            return self.start(0);
        }
        match self.at_or_before(p - 1) {
            Some(k) => {
                let s = &self.segs[k];
                if p >= s.hcl.1 {
                    // At or after the run's end: where it ends.
                    return s.outer_end.unwrap_or(s.json.1).min(self.json_len);
                }
                if s.exact {
                    s.json.0 + (p - s.hcl.0)
                } else {
                    s.json.1
                }
            }
            None => self.start(p),
        }
    }

    pub fn span(&self, s: Span) -> Span {
        let start = self.start(s.start).min(self.json_len);
        if s.is_empty() {
            return Span::new(start as usize, start as usize);
        }
        let end = self.end(s.end).max(start).min(self.json_len);
        Span::new(start as usize, end as usize)
    }

    fn node(&self, n: &mut Node<'_>) {
        n.span = self.span(n.span);
        match &mut n.content {
            Content::Object(ms) => ms.iter_mut().for_each(|m| self.member(m)),
            Content::Array(items) => items.iter_mut().for_each(|i| self.node(i)),
            _ => {}
        }
    }

    fn member(&self, m: &mut Member<'_>) {
        m.name_span = self.span(m.name_span);
        m.span = self.span(m.span);
        self.node(&mut m.value);
    }

    pub fn diagnostic(&self, d: &mut Diagnostic) {
        d.span = self.span(d.span);
        for r in &mut d.related {
            r.span = self.span(r.span);
        }
        if let Some(f) = &mut d.fix {
            for e in &mut f.edits {
                e.span = self.span(e.span);
            }
        }
    }
}

/// Lines of the translation -> lines of the JSON (facts carry only a line).
pub struct LineMap {
    /// Per translated line (0-based), the 1-based JSON line it came from.
    lines: Vec<u32>,
}

impl LineMap {
    pub fn new(hcl: &str, json: &str, map: &SpanMap) -> LineMap {
        let json_index = LineIndex::new(json);
        let mut lines = Vec::new();
        let mut start = 0usize;
        for l in hcl.split_inclusive('\n') {
            let lead = l.len() - l.trim_start().len();
            let at = map.start((start + lead) as u32) as usize;
            lines.push(json_index.position(json, at.min(json.len()) as u32).line);
            start += l.len();
        }
        LineMap { lines }
    }

    pub fn line(&self, hcl_line: u32) -> u32 {
        let k = (hcl_line as usize).saturating_sub(1);
        self.lines
            .get(k)
            .or(self.lines.last())
            .copied()
            .unwrap_or(1)
    }
}

/// What a translated file needs to move findings back into it.
pub struct Back<'a> {
    pub path: &'a str,
    pub spans: &'a SpanMap,
    pub lines: &'a LineMap,
}

/// Move every span of `c` that is in a translated file back into the JSON.
pub fn extracted(c: &mut Extracted<'_>, back: &[Option<Back<'_>>]) {
    let of = |file: usize| back.get(file).and_then(Option::as_ref);
    if let Some(b) = of(c.file) {
        b.spans.member(&mut c.root);
        for u in &mut c.unknowns {
            u.span = b.spans.span(u.span);
        }
        for t in &mut c.tainted {
            *t = b.spans.span(*t);
        }
        for d in &mut c.diagnostics {
            b.spans.diagnostic(d);
        }
    }
    facts(&mut c.facts, back);
    policies(&mut c.policies, back);
}

fn facts(facts: &mut [InferredFact], back: &[Option<Back<'_>>]) {
    for f in facts {
        if let Some(b) = back.iter().flatten().find(|b| b.path == f.file) {
            f.line = b.lines.line(f.line);
        }
    }
}

fn policies(p: &mut FoundPolicies, back: &[Option<Back<'_>>]) {
    for found in &mut p.policies {
        if let Some(Some(b)) = back.get(found.file) {
            b.spans.node(&mut found.root);
            for u in &mut found.unknowns {
                u.span = b.spans.span(u.span);
            }
        }
    }
    for e in &mut p.external {
        if let Some(Some(b)) = back.get(e.file) {
            e.span = b.spans.span(e.span);
        }
    }
}
