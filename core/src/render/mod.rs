//! Renderers: human code frames ([`text`]), the API's JSON objects with a file name
//! ([`json`]), SARIF 2.1.0 for code-scanning tools ([`sarif`]), a check's output chosen by
//! name ([`report`]) and the plain-text simulation and explanation ([`simulation`]).

pub mod json;
/// JSON text without serde, for the wasm API's largest result (tested natively too).
#[cfg(any(feature = "wasm", test))]
pub(crate) mod json_text;
pub mod report;
pub mod sarif;
pub mod simulation;
pub mod text;
