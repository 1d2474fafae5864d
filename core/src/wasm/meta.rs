//! What the API says about itself: rules, version, and which module reads a file.

use super::to_js;
use wasm_bindgen::prelude::*;

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

/// The language of a file, from its name and content: "api", "cloudformation", "terraform"
/// or "terraform-plan" (the CLI sends the last three to the template/module module).
#[wasm_bindgen(js_name = "detectInput", skip_typescript)]
pub fn detect_input(path: &str, text: &str) -> String {
    crate::input::detect(path, text).as_str().to_string()
}
