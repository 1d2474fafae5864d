//! Renderers of diagnostics: human code frames ([`text`]), the API's JSON objects with a
//! file name ([`json`]) and SARIF 2.1.0 for code-scanning tools ([`sarif`]).

pub mod json;
pub mod sarif;
pub mod text;
