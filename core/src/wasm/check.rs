//! `check`: the diagnostics (and, when asked, the policies) of one document, or what the CLI
//! prints for one or more documents.

use super::{context_from_js, format_option, output_option, to_js, Json, Rendered};
use crate::context::Resolved;
use crate::diagnostic::Diagnostic;
use crate::model::Format;
use crate::policy::{self, LeanPolicySet};
use crate::render::report::{self, Checked};
use crate::CheckOptions;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[derive(Serialize)]
struct JsCheckResult<'a> {
    format: Format,
    diagnostics: &'a [Diagnostic],
    #[serde(skip_serializing_if = "Option::is_none")]
    policies: Option<LeanPolicySet<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rendered: Option<String>,
}

/// Parse and check a replication configuration (XML or CLI JSON), given as UTF-8 bytes: the
/// wrapper encodes the text with `TextEncoder`, several times faster for large documents than
/// wasm-bindgen's string passing (a JS loop per character).
/// Returns `{ format, diagnostics, policies?, rendered? }`; `policies` when asked for and the
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
    to_js(&JsCheckResult {
        format: report.format,
        diagnostics: &report.diagnostics,
        policies: set.as_ref().map(policy::PolicySet::lean),
        rendered,
    })
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
