//! The JavaScript API (feature `wasm`). It only translates between JS values and the core
//! API; every decision lives in the core. The npm package wraps these exports (see
//! `www/npm/`), adds the TypeScript declarations and recovers from traps.
//!
//! Values cross the boundary as plain JS objects (serde-wasm-bindgen's JSON-compatible
//! serializer: maps become objects, `None` becomes absent/`null`). Bad options throw a JS
//! `Error` whose message names the offending field.

use crate::context::DeploymentContext;
use crate::model::Format;
use crate::{CheckOptions, Diagnostic};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// Options of `check`, as JS passes them. Unknown fields are an error so typos surface.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsCheckOptions {
    #[serde(default)]
    format: FormatOption,
    #[serde(default)]
    context: Option<DeploymentContext>,
    #[serde(default)]
    policies: Option<bool>,
}

#[derive(Debug, Default, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum FormatOption {
    #[default]
    Auto,
    Xml,
    Json,
}

impl FormatOption {
    fn format(self) -> Option<Format> {
        match self {
            FormatOption::Auto => None,
            FormatOption::Xml => Some(Format::Xml),
            FormatOption::Json => Some(Format::Json),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsCheckResult<'a> {
    format: Format,
    diagnostics: &'a [Diagnostic],
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("internal error: cannot convert the result: {e}")))
}

/// `undefined`/`null` -> the default; anything else must deserialize into `T`.
fn from_js<T: Default + for<'de> Deserialize<'de>>(value: JsValue, what: &str) -> Result<T, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    serde_wasm_bindgen::from_value(value).map_err(|e| JsError::new(&format!("invalid {what}: {e}")))
}

fn context_from_js(value: JsValue) -> Result<DeploymentContext, JsError> {
    from_js(value, "deployment context")
}

/// Parse and check a replication configuration (XML or CLI JSON).
/// Returns `{ format, diagnostics, policies? }`; `policies` when `options.policies` is true.
#[wasm_bindgen(skip_typescript)]
pub fn check(text: &str, options: JsValue) -> Result<JsValue, JsError> {
    let opts: JsCheckOptions = from_js(options, "check options")?;
    let context = opts.context.unwrap_or_default();
    let report = crate::check(
        text,
        &CheckOptions {
            format: opts.format.format(),
            context: context.clone(),
        },
    );
    to_js(&JsCheckResult {
        format: report.format,
        diagnostics: &report.diagnostics,
    })
}

/// The metadata and docs of every rule, in code order.
#[wasm_bindgen(skip_typescript)]
pub fn rules() -> Result<JsValue, JsError> {
    to_js(crate::rules::registry())
}

/// The crate version (the npm package's version).
#[wasm_bindgen(skip_typescript)]
pub fn version() -> String {
    crate::VERSION.to_string()
}
