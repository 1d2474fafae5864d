//! The JavaScript API (feature `wasm`). It only translates between JS values and the core
//! API; every decision and every sentence lives in the core. The npm package (`www/npm/`)
//! wraps these exports, carries the TypeScript declarations, turns `{ diagnostics }` failures
//! into thrown errors and recovers from traps.
//!
//! Structured values cross the boundary as JSON text: the wrapper `JSON.stringify`s arguments
//! and `JSON.parse`s results. That keeps serde-wasm-bindgen's per-type code out of the module
//! (the package's size budget) and is faster for large results than building JS objects
//! field by field. Results carry each fact once (see [`crate::policy::LeanPolicySet`]); what
//! a command prints is rendered here, in the same call (`render` options), never from
//! diagnostics sent back. Bad arguments throw a JS `Error` whose message names the argument
//! and the offending field.
//!
//! `check` ([`check`]); the calls that need a readable document ([`document`]); rules,
//! version and input detection ([`meta`]); templates and modules ([`iac`], the second module).

mod check;
mod document;
#[cfg(feature = "iac")]
mod iac;
mod meta;

pub use check::*;
pub use document::*;
#[cfg(feature = "iac")]
pub use iac::*;
pub use meta::*;

use crate::context::DeploymentContext;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Format;
use crate::render::report::Output;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// JSON text from JS; `None` when the argument was `undefined` or `null`.
type JsonArg = Option<String>;

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<String, JsError> {
    // Our types always serialize; the error's text (which would pull serde_json's parse and
    // io error messages into the module) adds nothing.
    serde_json::to_string(value)
        .map_err(|_| JsError::new("internal error: cannot convert the result to JSON"))
}

fn context_from_js(json: JsonArg) -> Result<DeploymentContext, JsError> {
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

/// `"xml"` or `"json"`, the target of a conversion.
fn target_format(to: &str) -> Result<Format, JsError> {
    match to {
        "xml" => Ok(Format::Xml),
        "json" => Ok(Format::Json),
        other => Err(JsError::new(&format!(
            "invalid target format {other:?}: expected \"xml\" or \"json\""
        ))),
    }
}

/// A `render` option: absent or `"none"` = nothing rendered.
fn output_option(render: Option<String>) -> Result<Option<Output>, JsError> {
    match render.as_deref() {
        None | Some("none") => Ok(None),
        Some(name) => Output::parse(name).map(Some).ok_or_else(|| {
            JsError::new(&format!(
                "invalid render {name:?}: not one of {}",
                Output::NAMES
            ))
        }),
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

/// What a command prints, and whether it found errors (the CLI's exit code 1).
#[derive(Serialize)]
struct Rendered {
    rendered: String,
    errors: bool,
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
