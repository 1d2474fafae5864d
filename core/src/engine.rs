//! Runs the pipeline: parse -> lower -> rules, then positions and orders the diagnostics.

use crate::catalogue::engine::{NOT_SHOWN, UNVERIFIED};
use crate::catalogue::parse::MALFORMED;
use crate::context::{DeploymentContext, Resolved};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Document, Format};
pub use crate::parse::Parsed;
use crate::rules::{self, CheckContext, Pending, Unverified};
use crate::source::{LineIndex, Span};
use serde::Serialize;

/// At most this many diagnostics per document; the rest are summarised in one.
pub const MAX_DIAGNOSTICS: usize = 500;

#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    /// `None` = detect from the first non-blank character.
    pub format: Option<Format>,
    pub context: DeploymentContext,
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub format: Format,
    pub diagnostics: Vec<Diagnostic>,
    #[serde(skip)]
    pub document: Option<Document>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Parse `text` into the model. Diagnostics are positioned (ranges resolved).
pub fn parse(text: &str, format: Option<Format>) -> Parsed {
    let mut parsed = crate::parse::parse_unresolved(text, format);
    finish(text, &mut parsed.diagnostics);
    parsed
}

/// Parse and run every rule.
pub fn check(text: &str, options: &CheckOptions) -> Report {
    check_text(text, options, true)
}

/// [`check`], with line/column ranges resolved only when `positions` (else left default: a
/// caller that sends byte spans does not pay for a line index of the whole text).
fn check_text(text: &str, options: &CheckOptions, positions: bool) -> Report {
    let mut parsed = crate::parse::parse_unresolved(text, options.format);
    let parse_diagnostics = std::mem::take(&mut parsed.diagnostics);
    let mut diagnostics = match &parsed.document {
        Some(doc) => run_rules(doc, text, &options.context, parse_diagnostics),
        None => {
            let mut diagnostics = parse_diagnostics;
            order_and_cap(&mut diagnostics);
            diagnostics
        }
    };
    if positions {
        resolve(text, &mut diagnostics);
    }
    Report {
        format: parsed.format,
        diagnostics,
        document: parsed.document,
    }
}

/// Run every rule on a lowered document: parse findings first, ordered and capped,
/// positions not yet resolved.
fn run_rules(
    doc: &Document,
    text: &str,
    context: &DeploymentContext,
    parse_diagnostics: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let resolved = Resolved::new(context, doc);
    let mut cx = CheckContext::new(doc, text, &resolved);
    for check in rules::checks() {
        (check.run)(&mut cx);
    }
    let (found, unverified) = cx.into_pending();
    let mut pending: Vec<Pending> = parse_diagnostics.into_iter().map(Pending::Ready).collect();
    pending.extend(found);
    pending.extend(
        summarise_unverified(unverified)
            .into_iter()
            .map(Pending::Ready),
    );
    // Order and cap first: only the findings that are kept get written out.
    crate::sort::sort_by_key(&mut pending, Pending::key);
    let dropped = pending.len().saturating_sub(MAX_DIAGNOSTICS);
    pending.truncate(MAX_DIAGNOSTICS);
    let mut built: Vec<Diagnostic> = pending.into_iter().map(Pending::build).collect();
    if dropped > 0 {
        built.push(dropped_summary(dropped));
    }
    built
}

/// Lower an API-shaped tree (JSON member names) built by another front end and run every
/// rule on it. `text` is the file the tree's spans point into; positions are not resolved.
pub fn check_tree(
    root: &crate::syntax::Member<'_>,
    text: &str,
    context: &DeploymentContext,
) -> (Document, Vec<Diagnostic>) {
    let mut lowerer = crate::lower::Lowerer::new(Format::Json);
    let doc = lowerer.document(root);
    let diagnostics = run_rules(&doc, text, context, lowerer.diagnostics);
    (doc, diagnostics)
}

/// Check raw bytes: invalid UTF-8 is reported at its byte offset, then the text is checked
/// with each invalid sequence replaced by U+FFFD (so positions after it shift by at most 2
/// bytes per replacement; the first error is exact).
pub fn check_bytes(bytes: &[u8], options: &CheckOptions) -> Report {
    check_bytes_with(bytes, options, true)
}

/// [`check_bytes`] without line/column ranges: only the byte `span`s are set. The wasm API
/// sends spans and resolves ranges itself only for what it renders ([`resolve`]).
#[cfg(feature = "wasm")]
pub(crate) fn check_bytes_spans(bytes: &[u8], options: &CheckOptions) -> Report {
    check_bytes_with(bytes, options, false)
}

fn check_bytes_with(bytes: &[u8], options: &CheckOptions, positions: bool) -> Report {
    match std::str::from_utf8(bytes) {
        Ok(text) => check_text(text, options, positions),
        Err(e) => {
            let text = String::from_utf8_lossy(bytes);
            let mut report = check_text(&text, options, positions);
            let at = e.valid_up_to();
            let mut d = Diagnostic::new(
                MALFORMED.code,
                MALFORMED.severity,
                Span::new(at, at + e.error_len().unwrap_or(1).min(text.len() - at)),
                "",
                format!("Invalid UTF-8 at byte {at}; S3 expects UTF-8 text"),
            )
            .with_help("Save the file as UTF-8.");
            if positions {
                d.resolve(&text, &LineIndex::new(&text));
            }
            report.diagnostics.insert(0, d);
            report
        }
    }
}

/// One info diagnostic per missing context field, naming every check it would enable.
fn summarise_unverified(items: Vec<Unverified>) -> Vec<Diagnostic> {
    let mut fields: Vec<(String, Vec<Unverified>)> = Vec::new();
    for u in items {
        match fields.iter_mut().find(|(f, _)| *f == u.field) {
            Some((_, v)) => v.push(u),
            None => fields.push((u.field.clone(), vec![u])),
        }
    }
    fields
        .into_iter()
        .map(|(field, items)| {
            let first = &items[0];
            let mut whats: Vec<String> = Vec::new();
            for u in &items {
                let w = format!("{} ({})", u.what, u.code);
                if !whats.contains(&w) {
                    whats.push(w);
                }
            }
            Diagnostic::new(
                UNVERIFIED.code,
                UNVERIFIED.severity,
                first.span,
                first.path.clone(),
                format!("Not verified: {}", whats.join("; ")),
            )
            .with_help(format!(
                "Add `{field}` to the deployment context to check this."
            ))
        })
        .collect()
}

/// The last diagnostic when more than [`MAX_DIAGNOSTICS`] were found.
fn dropped_summary(dropped: usize) -> Diagnostic {
    Diagnostic::new(
        NOT_SHOWN.code,
        NOT_SHOWN.severity,
        Span::empty(0),
        "",
        format!("{dropped} more diagnostics were not shown; fix the ones above first."),
    )
}

/// Order by position, cap the count, and compute line/column ranges once.
fn finish(text: &str, diagnostics: &mut Vec<Diagnostic>) {
    order_and_cap(diagnostics);
    resolve(text, diagnostics);
}

/// Order by position and cap the count.
fn order_and_cap(diagnostics: &mut Vec<Diagnostic>) {
    crate::sort::sort_by_key(diagnostics, |d| (d.span.start, d.severity, d.code));
    if diagnostics.len() > MAX_DIAGNOSTICS {
        let dropped = diagnostics.len() - MAX_DIAGNOSTICS;
        diagnostics.truncate(MAX_DIAGNOSTICS);
        diagnostics.push(dropped_summary(dropped));
    }
}

/// Compute line/column ranges. The line index covers the text only up to the end of the
/// line holding the last position any diagnostic refers to.
pub(crate) fn resolve(text: &str, diagnostics: &mut [Diagnostic]) {
    let mut last = 0usize;
    for d in diagnostics.iter() {
        last = last.max(d.span.end as usize);
        for r in &d.related {
            last = last.max(r.span.end as usize);
        }
        if let Some(fix) = &d.fix {
            for e in &fix.edits {
                last = last.max(e.span.end as usize);
            }
        }
    }
    if diagnostics.is_empty() {
        return;
    }
    // Up to and including the newline that ends the line of `last` (a char boundary).
    let cut = text
        .as_bytes()
        .get(last..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
        .map_or(text.len(), |nl| last + nl + 1);
    let index = LineIndex::new(text.get(..cut).unwrap_or(text));
    for d in diagnostics.iter_mut() {
        d.resolve(text, &index);
    }
}
