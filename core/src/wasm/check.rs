//! `check`: the diagnostics (and, when asked, the policies) of one document, or what the CLI
//! prints for one or more documents.

use super::{context_from_js, format_option, output_option, to_js, Json, Rendered};
use crate::context::Resolved;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Format;
use crate::policy::{self, LeanPolicySet};
use crate::render::report::{self, Checked};
use crate::source::Range;
use crate::CheckOptions;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[derive(Serialize)]
struct JsCheckResult<'a> {
    format: Format,
    diagnostics: Vec<LeanDiagnostic<'a>>,
    /// The distinct `help` texts, which diagnostics name by index.
    helps: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    policies: Option<LeanPolicySet<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rendered: Option<String>,
}

/// Parse and check a replication configuration (XML or CLI JSON), given as UTF-8 bytes: the
/// wrapper encodes the text with `TextEncoder`, several times faster for large documents than
/// wasm-bindgen's string passing (a JS loop per character).
/// Returns `{ format, diagnostics, helps, policies?, rendered? }` (diagnostics and policies in
/// their lean forms: [`LeanDiagnostic`], [`crate::policy::LeanPolicySet`]); `policies` when asked for and the
/// document could be read; `rendered` when `render` names an output ("text", "text-color",
/// "json", "sarif"), the document shown as `file`. (The wrapper spreads the JS options
/// object into these arguments.)
#[wasm_bindgen(skip_typescript)]
pub fn check(
    text: &[u8],
    format: Option<String>,
    context: Json,
    policies: bool,
    render: Option<String>,
    file: Option<String>,
) -> Result<String, JsError> {
    let output = output_option(render)?;
    let options = CheckOptions {
        format: format_option(format)?,
        context: context_from_js(context)?,
    };
    let report = crate::check_bytes(text, &options);
    let set = match &report.document {
        Some(doc) if policies => Some(policy::generate(doc, &Resolved::new(&options.context, doc))),
        _ => None,
    };
    let rendered = output.map(|output| {
        let source = String::from_utf8_lossy(text);
        let file = file.as_deref().unwrap_or("<input>");
        report::render(&[(file, &source, &report.diagnostics)], output)
    });
    let (diagnostics, helps) = lean(&report.diagnostics);
    to_js(&JsCheckResult {
        format: report.format,
        diagnostics,
        helps,
        policies: set.as_ref().map(policy::PolicySet::lean),
        rendered,
    })
}

/// A diagnostic as `check` sends it, each fact once: positions as byte offsets only (`span`,
/// `[start, end]`; the wrapper derives line and UTF-16 column from the bytes it encoded, on
/// access), and `help` as an index into `helps` (a handful of texts repeated across hundreds
/// of diagnostics). The wrapper gives back the documented shape (`range`, `help`).
#[derive(Serialize)]
struct LeanDiagnostic<'a> {
    code: &'a str,
    severity: Severity,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<usize>,
    path: &'a str,
    span: [u32; 2],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<LeanRelated<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<LeanFix<'a>>,
}

#[derive(Serialize)]
struct LeanRelated<'a> {
    span: [u32; 2],
    message: &'a str,
}

#[derive(Serialize)]
struct LeanFix<'a> {
    title: &'a str,
    edits: Vec<LeanEdit<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LeanEdit<'a> {
    span: [u32; 2],
    new_text: &'a str,
}

/// The resolved offsets of a range (clamped to the text, as its line and column are).
fn span(range: &Range) -> [u32; 2] {
    [range.start.offset, range.end.offset]
}

/// `diagnostics` in their lean form, and the distinct help texts they point to.
fn lean(diagnostics: &[Diagnostic]) -> (Vec<LeanDiagnostic<'_>>, Vec<&str>) {
    let mut helps: Vec<&str> = Vec::new();
    let list = diagnostics
        .iter()
        .map(|d| LeanDiagnostic {
            code: d.code,
            severity: d.severity,
            message: &d.message,
            help: d.help.as_deref().map(|h| {
                helps.iter().position(|x| *x == h).unwrap_or_else(|| {
                    helps.push(h);
                    helps.len() - 1
                })
            }),
            path: &d.path,
            span: span(&d.range),
            related: d
                .related
                .iter()
                .map(|r| LeanRelated {
                    span: span(&r.range),
                    message: &r.message,
                })
                .collect(),
            fix: d.fix.as_ref().map(|f| LeanFix {
                title: &f.title,
                edits: f
                    .edits
                    .iter()
                    .map(|e| LeanEdit {
                        span: span(&e.range),
                        new_text: &e.new_text,
                    })
                    .collect(),
            }),
        })
        .collect();
    (list, helps)
}

/// Check several documents (XML or CLI JSON) and render them together as the CLI prints them:
/// `{ rendered, errors }`. `files[i]` is shown as the name of `texts[i]`; `render` is
/// "text", "text-color", "json" or "sarif".
#[wasm_bindgen(js_name = "checkDocuments", skip_typescript)]
pub fn check_documents(
    files: Vec<String>,
    texts: Vec<String>,
    format: Option<String>,
    context: Json,
    render: &str,
) -> Result<String, JsError> {
    let output = output_option(Some(render.to_string()))?
        .ok_or_else(|| JsError::new("invalid render \"none\": checkDocuments renders"))?;
    let options = CheckOptions {
        format: format_option(format)?,
        context: context_from_js(context)?,
    };
    let reports: Vec<Vec<Diagnostic>> = texts
        .iter()
        .map(|t| crate::check_bytes(t.as_bytes(), &options).diagnostics)
        .collect();
    let checked: Vec<Checked<'_>> = files
        .iter()
        .zip(&texts)
        .zip(&reports)
        .map(|((f, t), d)| (f.as_str(), t.as_str(), d.as_slice()))
        .collect();
    to_js(&Rendered {
        rendered: report::render(&checked, output),
        errors: report::has_errors(&checked),
    })
}
