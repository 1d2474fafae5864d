//! The JavaScript API (feature `wasm`). It only translates between JS values and the core
//! API; every decision lives in the core. The npm package (`www/npm/`) wraps these exports,
//! carries the TypeScript declarations, turns `{ diagnostics }` failures into thrown errors
//! and recovers from traps.
//!
//! Structured values cross the boundary as JSON text: the wrapper `JSON.stringify`s arguments
//! and `JSON.parse`s results. That keeps serde-wasm-bindgen's per-type code out of the module
//! (the package's size budget) and is faster for large results than building JS objects
//! field by field. Bad arguments throw a JS `Error` whose message names the argument and the
//! offending field.

use crate::context::{DeploymentContext, Resolved};
use crate::diagnostic::{Diagnostic, Fix, Related, Severity, TextEdit};
use crate::model::Format;
use crate::policy::{self, UserPolicies};
use crate::render;
use crate::source::{Position, Range, Span};
use crate::CheckOptions;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

// ---------------------------------------------------------------------------------------------
// Conversions

/// JSON text from JS; `None` when the argument was `undefined` or `null`.
type Json = Option<String>;

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<String, JsError> {
    serde_json::to_string(value)
        .map_err(|e| JsError::new(&format!("internal error: cannot convert the result: {e}")))
}

/// Absent -> the default; else JSON that must deserialize into `T`.
fn from_js<T: Default + for<'de> Deserialize<'de>>(json: Json, what: &str) -> Result<T, JsError> {
    match json.as_deref() {
        None | Some("null") => Ok(T::default()),
        Some(text) => {
            serde_json::from_str(text).map_err(|e| JsError::new(&format!("invalid {what}: {e}")))
        }
    }
}

fn context_from_js(json: Json) -> Result<DeploymentContext, JsError> {
    match json.as_deref() {
        None | Some("null") => Ok(DeploymentContext::default()),
        Some(text) => DeploymentContext::from_json(text).map_err(|e| JsError::new(&e)),
    }
}

/// `"auto"` (or absent), `"xml"` or `"json"`.
fn format_option(format: Option<String>) -> Result<Option<Format>, JsError> {
    match format.as_deref() {
        None | Some("auto") => Ok(None),
        Some("xml") => Ok(Some(Format::Xml)),
        Some("json") => Ok(Some(Format::Json)),
        Some(other) => Err(JsError::new(&format!(
            "invalid check options: format {other:?} is not one of \"auto\", \"xml\", \"json\""
        ))),
    }
}

/// A result that needs a readable document: `result` when there was one, else the
/// diagnostics that explain why not (the JS wrapper throws a `DocumentError` with them).
#[derive(Serialize)]
struct Outcome<'a, T: Serialize> {
    #[serde(skip_serializing_if = "Option::is_none")]
    result: Option<T>,
    diagnostics: &'a [Diagnostic],
}

// ---------------------------------------------------------------------------------------------
// check

#[derive(Serialize)]
struct JsCheckResult<'a> {
    format: Format,
    diagnostics: &'a [Diagnostic],
    #[serde(skip_serializing_if = "Option::is_none")]
    policies: Option<policy::PolicySet>,
}

/// Parse and check a replication configuration (XML or CLI JSON).
/// Returns `{ format, diagnostics, policies? }`; `policies` when asked for and the document
/// could be read. (The wrapper spreads the JS options object into these arguments.)
#[wasm_bindgen(skip_typescript)]
pub fn check(
    text: &str,
    format: Option<String>,
    context: Json,
    policies: bool,
) -> Result<String, JsError> {
    let options = CheckOptions {
        format: format_option(format)?,
        context: context_from_js(context)?,
    };
    let report = crate::check(text, &options);
    let policies = match &report.document {
        Some(doc) if policies => Some(policy::generate(doc, &Resolved::new(&options.context, doc))),
        _ => None,
    };
    to_js(&JsCheckResult {
        format: report.format,
        diagnostics: &report.diagnostics,
        policies,
    })
}

// ---------------------------------------------------------------------------------------------
// policies

/// Generate the policies the configuration needs: `{ result?: PolicySet, diagnostics }`.
#[wasm_bindgen(js_name = "generatePolicies", skip_typescript)]
pub fn generate_policies(text: &str, context: Json) -> Result<String, JsError> {
    let context = context_from_js(context)?;
    let parsed = crate::parse(text, None);
    let result = parsed
        .document
        .as_ref()
        .map(|doc| policy::generate(doc, &Resolved::new(&context, doc)));
    to_js(&Outcome {
        result,
        diagnostics: &blocking(&parsed.diagnostics, parsed.document.is_none()),
    })
}

/// Audit the user's policies: `{ result?: Diagnostic[], diagnostics }`.
#[wasm_bindgen(js_name = "auditPolicies", skip_typescript)]
pub fn audit_policies(
    text: &str,
    role: Option<String>,
    trust: Option<String>,
    key_policies: Vec<String>,
    bucket_policy: Option<String>,
    context: Json,
) -> Result<String, JsError> {
    let context = context_from_js(context)?;
    let parsed = crate::parse(text, None);
    let result = parsed.document.as_ref().map(|doc| {
        let user = UserPolicies {
            role: role.as_deref(),
            trust: trust.as_deref(),
            key_policies: key_policies.iter().map(String::as_str).collect(),
            bucket_policy: bucket_policy.as_deref(),
        };
        policy::audit(doc, &Resolved::new(&context, doc), &user)
    });
    to_js(&Outcome {
        result,
        diagnostics: &blocking(&parsed.diagnostics, parsed.document.is_none()),
    })
}

/// The parser's errors when there is no document (they say why), else nothing.
fn blocking(diagnostics: &[Diagnostic], absent: bool) -> Vec<Diagnostic> {
    if !absent {
        return Vec::new();
    }
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect()
}

// ---------------------------------------------------------------------------------------------
// convert

/// Convert to `"xml"` (canonical S3 XML) or `"json"` (AWS CLI JSON):
/// `{ result?: string, diagnostics }`.
#[wasm_bindgen(skip_typescript)]
pub fn convert(text: &str, to: &str) -> Result<String, JsError> {
    let to = match to {
        "xml" => Format::Xml,
        "json" => Format::Json,
        other => {
            return Err(JsError::new(&format!(
                "invalid target format {other:?}: expected \"xml\" or \"json\""
            )))
        }
    };
    match crate::serialize::convert(text, to) {
        Ok(out) => to_js(&Outcome {
            result: Some(out),
            diagnostics: &[],
        }),
        Err(diagnostics) => to_js(&Outcome::<String> {
            result: None,
            diagnostics: &diagnostics,
        }),
    }
}

// ---------------------------------------------------------------------------------------------
// rules, version

/// The metadata and docs of every rule, in code order.
#[wasm_bindgen(skip_typescript)]
pub fn rules() -> Result<String, JsError> {
    to_js(crate::rules::registry())
}

/// The crate version (the npm package's version).
#[wasm_bindgen(skip_typescript)]
pub fn version() -> String {
    crate::VERSION.to_string()
}

// ---------------------------------------------------------------------------------------------
// renderers: diagnostics come back from JS, so they are read from their API form.

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum JsSeverity {
    Error,
    Warning,
    Info,
}

#[derive(Deserialize)]
struct JsPosition {
    offset: u32,
}

#[derive(Deserialize)]
struct JsRange {
    start: JsPosition,
    end: JsPosition,
}

#[derive(Deserialize)]
struct JsRelated {
    range: JsRange,
    message: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JsTextEdit {
    range: JsRange,
    new_text: String,
}

#[derive(Deserialize)]
struct JsFix {
    title: String,
    edits: Vec<JsTextEdit>,
}

#[derive(Deserialize)]
struct JsDiagnostic {
    code: String,
    severity: JsSeverity,
    message: String,
    #[serde(default)]
    help: Option<String>,
    #[serde(default)]
    path: String,
    range: JsRange,
    #[serde(default)]
    related: Vec<JsRelated>,
    #[serde(default)]
    fix: Option<JsFix>,
}

/// The `&'static` code the core's `Diagnostic` needs: the registry's, else an interned copy
/// (bounded: only `S3R` + three digits is accepted).
fn static_code(code: &str) -> Result<&'static str, JsError> {
    use std::sync::Mutex;
    static INTERNED: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
    if let Some(rule) = crate::rules::registry().iter().find(|r| r.code == code) {
        return Ok(rule.code);
    }
    let valid =
        code.len() == 6 && code.starts_with("S3R") && code[3..].bytes().all(|b| b.is_ascii_digit());
    if !valid {
        return Err(JsError::new(&format!(
            "invalid diagnostics: unknown code {code:?}"
        )));
    }
    let mut interned = INTERNED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(c) = interned.iter().find(|c| **c == code) {
        return Ok(c);
    }
    let leaked: &'static str = Box::leak(code.to_string().into_boxed_str());
    interned.push(leaked);
    Ok(leaked)
}

fn span(r: &JsRange) -> Span {
    Span {
        start: r.start.offset.min(r.end.offset),
        end: r.end.offset.max(r.start.offset),
    }
}

fn placeholder_range(s: Span) -> Range {
    let p = |offset| Position {
        line: 0,
        column: 0,
        offset,
    };
    Range {
        start: p(s.start),
        end: p(s.end),
    }
}

fn diagnostics_from_js(text: &str, json: Json) -> Result<Vec<Diagnostic>, JsError> {
    let items: Vec<JsDiagnostic> = from_js(json, "diagnostics")?;
    rebuild(text, items)
}

/// Rebuild core diagnostics (spans from the byte offsets), then position them in `text`.
fn rebuild(text: &str, items: Vec<JsDiagnostic>) -> Result<Vec<Diagnostic>, JsError> {
    let index = crate::source::LineIndex::new(text);
    items
        .into_iter()
        .map(|d| {
            let severity = match d.severity {
                JsSeverity::Error => Severity::Error,
                JsSeverity::Warning => Severity::Warning,
                JsSeverity::Info => Severity::Info,
            };
            let primary = span(&d.range);
            let mut out =
                Diagnostic::new(static_code(&d.code)?, severity, primary, d.path, d.message);
            out.help = d.help;
            out.related = d
                .related
                .into_iter()
                .map(|r| {
                    let s = span(&r.range);
                    Related {
                        span: s,
                        range: placeholder_range(s),
                        message: r.message,
                    }
                })
                .collect();
            out.fix = d.fix.map(|f| Fix {
                title: f.title,
                edits: f
                    .edits
                    .into_iter()
                    .map(|e| {
                        let s = span(&e.range);
                        TextEdit {
                            span: s,
                            range: placeholder_range(s),
                            new_text: e.new_text,
                        }
                    })
                    .collect(),
            });
            out.resolve(text, &index);
            Ok(out)
        })
        .collect()
}

/// Render diagnostics of `text` as code frames (the CLI's text output).
#[wasm_bindgen(js_name = "renderText", skip_typescript)]
pub fn render_text(
    text: &str,
    file: &str,
    diagnostics: Json,
    color: bool,
) -> Result<String, JsError> {
    let diagnostics = diagnostics_from_js(text, diagnostics)?;
    Ok(render::text::render(text, file, &diagnostics, color))
}

/// `2 errors, 1 warning, 0 infos` for a list of diagnostics.
#[wasm_bindgen(js_name = "renderSummary", skip_typescript)]
pub fn render_summary(diagnostics: Json) -> Result<String, JsError> {
    let diagnostics = diagnostics_from_js("", diagnostics)?;
    Ok(render::text::summary(&diagnostics))
}

#[derive(Deserialize)]
struct JsFileReport {
    file: String,
    text: String,
    diagnostics: Vec<JsDiagnostic>,
}

/// SARIF 2.1.0 for `[{ file, text, diagnostics }]` (GitHub code scanning).
#[wasm_bindgen(js_name = "renderSarif", skip_typescript)]
pub fn render_sarif(files: Json) -> Result<String, JsError> {
    let files: Vec<JsFileReport> = from_js(files, "SARIF input")?;
    let mut rebuilt = Vec::with_capacity(files.len());
    for f in files {
        let diagnostics = rebuild(&f.text, f.diagnostics)?;
        rebuilt.push((f.file, f.text, diagnostics));
    }
    let borrowed: Vec<(&str, &str, &[Diagnostic])> = rebuilt
        .iter()
        .map(|(file, text, d)| (file.as_str(), text.as_str(), d.as_slice()))
        .collect();
    Ok(render::sarif::render(&borrowed))
}

/// Panics on purpose, so the npm package's trap recovery (re-instantiate, report S3R099) can
/// be tested against the real module. Not part of the documented API.
#[wasm_bindgen(js_name = "__panicForTests", skip_typescript)]
pub fn panic_for_tests(message: &str) {
    panic!("deliberate panic for tests: {message}");
}
