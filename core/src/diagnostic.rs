//! The one diagnostic type used by parsers, rules, the policy audit and every renderer.

use crate::source::{LineIndex, Range, Span};
use serde::Serialize;

pub use crate::catalogue::Severity;

/// A replacement of the bytes in `span` by `new_text`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TextEdit {
    #[serde(skip)]
    pub span: Span,
    pub range: Range,
    pub new_text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What applying the fix does, e.g. "Add <Priority>1</Priority>".
    pub title: String,
    pub edits: Vec<TextEdit>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Related {
    #[serde(skip)]
    pub span: Span,
    pub range: Range,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code, e.g. `S3R201`.
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Document path with the SDK member names, e.g. `/Rules/0/Destination/Bucket`.
    pub path: String,
    #[serde(skip)]
    pub span: Span,
    /// Filled in from `span` by [`Diagnostic::resolve`].
    pub range: Range,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

impl Diagnostic {
    pub fn new(
        code: &'static str,
        severity: Severity,
        span: Span,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            help: None,
            path: path.into(),
            span,
            range: Range::default(),
            related: Vec::new(),
            fix: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            span,
            range: Range::default(),
            message: message.into(),
        });
        self
    }

    /// Attach a fix made of `(span, replacement)` edits.
    pub fn with_fix(mut self, title: impl Into<String>, edits: Vec<(Span, String)>) -> Self {
        self.fix = Some(Fix {
            title: title.into(),
            edits: edits
                .into_iter()
                .map(|(span, new_text)| TextEdit {
                    span,
                    range: Range::default(),
                    new_text,
                })
                .collect(),
        });
        self
    }

    /// Compute line/column ranges for the diagnostic, its related spans and its fix edits.
    pub fn resolve(&mut self, text: &str, index: &LineIndex) {
        self.range = index.range(text, self.span);
        for r in &mut self.related {
            r.range = index.range(text, r.span);
        }
        if let Some(fix) = &mut self.fix {
            for e in &mut fix.edits {
                e.range = index.range(text, e.span);
            }
        }
    }
}

/// Apply a fix's edits to `text`. Edits must not overlap; they are applied back to front.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    crate::sort::sort_by_key(&mut sorted, |e| {
        std::cmp::Reverse((e.span.start, e.span.end))
    });
    let mut out = text.to_string();
    for e in sorted {
        let r = e.span.range();
        if r.end <= out.len() && out.is_char_boundary(r.start) && out.is_char_boundary(r.end) {
            out.replace_range(r, &e.new_text);
        }
    }
    out
}
