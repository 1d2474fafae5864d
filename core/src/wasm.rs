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
use serde::Serialize;
use wasm_bindgen::prelude::*;

// ---------------------------------------------------------------------------------------------
// Conversions

/// JSON text from JS; `None` when the argument was `undefined` or `null`.
type Json = Option<String>;

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<String, JsError> {
    // Our types always serialize; the error's text (which would pull serde_json's parse and
    // io error messages into the module) adds nothing.
    serde_json::to_string(value)
        .map_err(|_| JsError::new("internal error: cannot convert the result to JSON"))
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

/// Parse and check a replication configuration (XML or CLI JSON), given as UTF-8 bytes: the
/// wrapper encodes the text with `TextEncoder`, several times faster for large documents than
/// wasm-bindgen's string passing (a JS loop per character).
/// Returns `{ format, diagnostics, policies? }`; `policies` when asked for and the document
/// could be read. (The wrapper spreads the JS options object into these arguments.)
#[wasm_bindgen(skip_typescript)]
pub fn check(
    text: &[u8],
    format: Option<String>,
    context: Json,
    policies: bool,
) -> Result<String, JsError> {
    let options = CheckOptions {
        format: format_option(format)?,
        context: context_from_js(context)?,
    };
    let report = crate::check_bytes(text, &options);
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
            ..UserPolicies::default()
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
// simulate, explain

/// What the configuration does to one object: `{ result?: Simulation, diagnostics }`.
/// The object arrives spread into arguments (the wrapper validates its shape): `tags` as a
/// flat `[key, value, key, value, ...]` list, `encryption` by name.
#[wasm_bindgen(skip_typescript)]
pub fn simulate(
    text: &str,
    key: String,
    tags: Vec<String>,
    encryption: &str,
    delete_marker: bool,
    is_replica: bool,
    context: Json,
) -> Result<String, JsError> {
    let context = context_from_js(context)?;
    // Exact names only (the wrapper checks them too); `Encryption::parse`'s aliases would
    // cost module bytes for nothing the typed API accepts.
    let encryption = crate::simulate::Encryption::ALL
        .into_iter()
        .find(|e| e.as_str() == encryption)
        .ok_or_else(|| {
            JsError::new(&format!(
                "invalid object: encryption {encryption:?} is not one of \"none\", \"SSE-S3\", \"SSE-KMS\", \"DSSE-KMS\", \"SSE-C\""
            ))
        })?;
    if !tags.len().is_multiple_of(2) {
        return Err(JsError::new(
            "invalid object: tags must come in key/value pairs",
        ));
    }
    let object = crate::simulate::ObjectSpec {
        key,
        tags: tags
            .chunks_exact(2)
            .map(|kv| (kv[0].clone(), kv[1].clone()))
            .collect(),
        encryption,
        delete_marker,
        is_replica,
    };
    let parsed = crate::parse(text, None);
    let result = parsed
        .document
        .as_ref()
        .map(|doc| crate::simulate::simulate(doc, &object, &Resolved::new(&context, doc)));
    to_js(&Outcome {
        result,
        diagnostics: &blocking(&parsed.diagnostics, parsed.document.is_none()),
    })
}

/// A plain-language account of the configuration: `{ result?: Explanation, diagnostics }`.
#[wasm_bindgen(skip_typescript)]
pub fn explain(text: &str, context: Json) -> Result<String, JsError> {
    let context = context_from_js(context)?;
    let parsed = crate::parse(text, None);
    let result = parsed
        .document
        .as_ref()
        .map(|doc| crate::explain::explain(doc, &Resolved::new(&context, doc)));
    to_js(&Outcome {
        result,
        diagnostics: &blocking(&parsed.diagnostics, parsed.document.is_none()),
    })
}

// ---------------------------------------------------------------------------------------------
// convert

/// Convert to `"xml"` (canonical S3 XML) or `"json"` (AWS CLI JSON):
/// `{ result?: string, diagnostics }`.
#[wasm_bindgen(skip_typescript)]
pub fn convert(text: &str, to: &str) -> Result<String, JsError> {
    let to = target_format(to)?;
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
//
// Read with the core's own span-keeping JSON parser (already in the module for documents and
// policies) rather than serde derives: per-type deserializers were ~35 KB of the module.
// Unknown fields are ignored (the CLI adds `file`); `null` counts as absent.

use crate::syntax::{Content, Member, Node};

/// The value of `key` in an object's members (the first, if repeated).
fn member<'n, 'a>(members: &'n [Member<'a>], key: &str) -> Option<&'n Node<'a>> {
    members
        .iter()
        .find(|m| m.name == key)
        .map(|m| &m.value)
        .filter(|v| !matches!(v.content, Content::Null))
}

fn expected(at: &str, what: &str, node: &Node) -> String {
    format!("{at}: expected {what}, found {}", node.content.kind())
}

fn object<'n, 'a>(node: &'n Node<'a>, at: &str) -> Result<&'n [Member<'a>], String> {
    match &node.content {
        Content::Object(members) => Ok(members),
        _ => Err(expected(at, "an object", node)),
    }
}

fn array<'n, 'a>(node: &'n Node<'a>, at: &str) -> Result<&'n [Node<'a>], String> {
    match &node.content {
        Content::Array(items) => Ok(items),
        _ => Err(expected(at, "an array", node)),
    }
}

fn string(node: &Node, at: &str) -> Result<String, String> {
    match &node.content {
        Content::Text(text) => Ok(text.to_string()),
        _ => Err(expected(at, "a string", node)),
    }
}

fn required<'n, 'a>(
    members: &'n [Member<'a>],
    key: &str,
    at: &str,
) -> Result<&'n Node<'a>, String> {
    member(members, key).ok_or_else(|| format!("{at}: missing field `{key}`"))
}

fn required_string(members: &[Member], key: &str, at: &str) -> Result<String, String> {
    string(required(members, key, at)?, &format!("{at}.{key}"))
}

fn optional_string(members: &[Member], key: &str, at: &str) -> Result<Option<String>, String> {
    member(members, key)
        .map(|v| string(v, &format!("{at}.{key}")))
        .transpose()
}

/// A JSON document from JS, parsed into the core's syntax tree.
fn tree<'a>(text: &'a str, what: &str) -> Result<Node<'a>, JsError> {
    let (node, diagnostics) = crate::parse::json::parse_tree(text);
    node.ok_or_else(|| {
        let why = diagnostics
            .first()
            .map_or("not JSON", |d| d.message.as_str());
        JsError::new(&format!("invalid {what}: {why}"))
    })
}

/// The byte offsets of a `range` (`start.offset`, `end.offset`) as a span.
fn span_of(members: &[Member], at: &str) -> Result<Span, String> {
    let at = format!("{at}.range");
    let range = object(required(members, "range", &at)?, &at)?;
    let offset = |end: &str| -> Result<u32, String> {
        let at = format!("{at}.{end}");
        let position = object(required(range, end, &at)?, &at)?;
        let at = format!("{at}.offset");
        let node = required(position, "offset", &at)?;
        match &node.content {
            Content::Number(n) => n
                .parse::<u32>()
                .map_err(|_| format!("{at}: expected a byte offset, found {n}")),
            _ => Err(expected(&at, "a number", node)),
        }
    };
    let (start, end) = (offset("start")?, offset("end")?);
    Ok(Span {
        start: start.min(end),
        end: end.max(start),
    })
}

fn severity(members: &[Member], at: &str) -> Result<Severity, String> {
    match required_string(members, "severity", at)?.as_str() {
        "error" => Ok(Severity::Error),
        "warning" => Ok(Severity::Warning),
        "info" => Ok(Severity::Info),
        other => Err(format!(
            "{at}.severity: {other:?} is not one of \"error\", \"warning\", \"info\""
        )),
    }
}

/// One diagnostic in its API form -> the core's (positions resolved by the caller).
fn diagnostic(node: &Node, at: &str) -> Result<Diagnostic, String> {
    let d = object(node, at)?;
    let code = required_string(d, "code", at)?;
    let mut out = Diagnostic::new(
        static_code(&code).map_err(|e| format!("{at}.code: {e}"))?,
        severity(d, at)?,
        span_of(d, at)?,
        optional_string(d, "path", at)?.unwrap_or_default(),
        required_string(d, "message", at)?,
    );
    out.help = optional_string(d, "help", at)?;
    if let Some(related) = member(d, "related") {
        let at = format!("{at}.related");
        for (i, r) in array(related, &at)?.iter().enumerate() {
            let at = format!("{at}[{i}]");
            let r = object(r, &at)?;
            let span = span_of(r, &at)?;
            out.related.push(Related {
                span,
                range: placeholder_range(span),
                message: required_string(r, "message", &at)?,
            });
        }
    }
    if let Some(fix) = member(d, "fix") {
        let at = format!("{at}.fix");
        let f = object(fix, &at)?;
        let mut edits = Vec::new();
        let edits_at = format!("{at}.edits");
        for (i, e) in array(required(f, "edits", &at)?, &edits_at)?
            .iter()
            .enumerate()
        {
            let at = format!("{edits_at}[{i}]");
            let e = object(e, &at)?;
            let span = span_of(e, &at)?;
            edits.push(TextEdit {
                span,
                range: placeholder_range(span),
                new_text: required_string(e, "newText", &at)?,
            });
        }
        out.fix = Some(Fix {
            title: required_string(f, "title", &at)?,
            edits,
        });
    }
    Ok(out)
}

/// A JSON array of API diagnostics -> core diagnostics positioned in `text`.
fn diagnostics_of(text: &str, node: Option<&Node>, at: &str) -> Result<Vec<Diagnostic>, String> {
    let Some(node) = node.filter(|n| !matches!(n.content, Content::Null)) else {
        return Ok(Vec::new());
    };
    let index = crate::source::LineIndex::new(text);
    array(node, at)?
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let mut d = diagnostic(d, &format!("{at}[{i}]"))?;
            d.resolve(text, &index);
            Ok(d)
        })
        .collect()
}

/// The `&'static` code the core's `Diagnostic` needs: the registry's, else an interned copy
/// (bounded: only `S3R` + three digits is accepted).
fn static_code(code: &str) -> Result<&'static str, String> {
    use std::sync::Mutex;
    static INTERNED: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
    if let Some(rule) = crate::rules::registry().iter().find(|r| r.code == code) {
        return Ok(rule.code);
    }
    let valid =
        code.len() == 6 && code.starts_with("S3R") && code[3..].bytes().all(|b| b.is_ascii_digit());
    if !valid {
        return Err(format!("unknown code {code:?}"));
    }
    let mut interned = INTERNED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(c) = interned.iter().find(|c| **c == code) {
        return Ok(c);
    }
    let leaked: &'static str = Box::leak(code.to_string().into_boxed_str());
    interned.push(leaked);
    Ok(leaked)
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

/// `diagnostics` (JSON text of an array, or absent) read as core diagnostics of `text`.
fn diagnostics_from_js(text: &str, json: Json) -> Result<Vec<Diagnostic>, JsError> {
    let invalid = |e: String| JsError::new(&format!("invalid diagnostics: {e}"));
    match json.as_deref() {
        None => Ok(Vec::new()),
        Some(json) => {
            let node = tree(json, "diagnostics")?;
            diagnostics_of(text, Some(&node), "diagnostics").map_err(invalid)
        }
    }
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

/// SARIF 2.1.0 for `[{ file, text, diagnostics }]` (GitHub code scanning).
#[wasm_bindgen(js_name = "renderSarif", skip_typescript)]
pub fn render_sarif(files: Json) -> Result<String, JsError> {
    let invalid = |e: String| JsError::new(&format!("invalid SARIF input: {e}"));
    let json = files.unwrap_or_else(|| "[]".to_string());
    let node = tree(&json, "SARIF input")?;
    let files = match &node.content {
        Content::Null => &[][..],
        _ => array(&node, "files").map_err(invalid)?,
    };
    let mut rebuilt = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let at = format!("files[{i}]");
        let members = object(f, &at).map_err(invalid)?;
        let file = required_string(members, "file", &at).map_err(invalid)?;
        let text = required_string(members, "text", &at).map_err(invalid)?;
        let diagnostics = diagnostics_of(
            &text,
            member(members, "diagnostics"),
            &format!("{at}.diagnostics"),
        )
        .map_err(invalid)?;
        rebuilt.push((file, text, diagnostics));
    }
    let borrowed: Vec<(&str, &str, &[Diagnostic])> = rebuilt
        .iter()
        .map(|(file, text, d)| (file.as_str(), text.as_str(), d.as_slice()))
        .collect();
    Ok(render::sarif::render(&borrowed))
}

/// The language of a file, from its name and content: "api", "cloudformation", "terraform"
/// or "terraform-plan" (the CLI sends the last three to the template/module module).
#[wasm_bindgen(js_name = "detectInput", skip_typescript)]
pub fn detect_input(path: &str, text: &str) -> String {
    crate::input::detect(path, text).as_str().to_string()
}

/// Panics on purpose, so the npm package's trap recovery (re-instantiate, report S3R099) can
/// be tested against the real module. Not part of the documented API.
#[wasm_bindgen(js_name = "__panicForTests", skip_typescript)]
pub fn panic_for_tests(message: &str) {
    panic!("deliberate panic for tests: {message}");
}

// ---------------------------------------------------------------------------------------------
// Templates and modules (the second module, built with feature `iac`)

#[cfg(feature = "iac")]
mod iac_api {
    use super::*;
    use crate::iac::{self, InputKind, SourceFile};

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct JsConfiguration<'a> {
        #[serde(flatten)]
        report: &'a iac::ConfigurationReport,
        /// The PutBucketReplication document it deploys (AWS CLI JSON, values the code does
        /// not fix as `${expression}`): what `simulate` and `explain` take with `context`.
        #[serde(skip_serializing_if = "Option::is_none")]
        document: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        policies: Option<policy::PolicySet>,
    }

    #[derive(Serialize)]
    struct JsIacResult<'a> {
        configurations: Vec<JsConfiguration<'a>>,
        files: &'a [iac::FileReport],
        #[serde(skip_serializing_if = "Option::is_none")]
        rendered: Option<String>,
    }

    fn files_from_js(json: &str) -> Result<Vec<SourceFile>, JsError> {
        let invalid = |e: String| JsError::new(&format!("invalid files: {e}"));
        let node = tree(json, "files")?;
        let items = array(&node, "files").map_err(invalid)?;
        let mut out = Vec::new();
        for (i, f) in items.iter().enumerate() {
            let at = format!("files[{i}]");
            let members = object(f, &at).map_err(invalid)?;
            out.push(SourceFile {
                path: required_string(members, "path", &at).map_err(invalid)?,
                text: required_string(members, "text", &at).map_err(invalid)?,
            });
        }
        Ok(out)
    }

    #[derive(Serialize)]
    struct JsConverted<'a> {
        address: &'a str,
        file: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        text: Option<String>,
        /// Why it could not be converted.
        diagnostics: Vec<Diagnostic>,
        /// How many values the code does not fix (written as `${expression}`).
        unknowns: usize,
    }

    /// Each configuration of templates, a module or a plan as the PutBucketReplication
    /// document it deploys: `{ configurations: [{ address, file, text?, diagnostics,
    /// unknowns }], files }`. `to`: "xml" or "json".
    #[wasm_bindgen(js_name = "convertFiles", skip_typescript)]
    pub fn convert_files(files: &str, input: Option<String>, to: &str) -> Result<String, JsError> {
        let to = target_format(to)?;
        let files = files_from_js(files)?;
        let kind = match input.as_deref() {
            None | Some("auto") => None,
            Some(name) => InputKind::parse(name),
        };
        let report = iac::check_files(&files, kind, &DeploymentContext::default());
        let configurations: Vec<JsConverted<'_>> = report
            .configurations
            .iter()
            .map(|c| {
                let (text, diagnostics) = match iac::to_document(c, to) {
                    Ok(t) => (Some(t), Vec::new()),
                    Err(d) => (None, d),
                };
                JsConverted {
                    address: &c.address,
                    file: &c.file,
                    text,
                    diagnostics,
                    unknowns: c.unknowns.len(),
                }
            })
            .collect();
        #[derive(Serialize)]
        struct Out<'a> {
            configurations: Vec<JsConverted<'a>>,
            files: &'a [iac::FileReport],
        }
        to_js(&Out {
            configurations,
            files: &report.files,
        })
    }

    /// The policies a replication configuration (XML or CLI JSON) needs, as code:
    /// `{ result?: string, diagnostics }` like `generatePolicies` (the wrapper returns the
    /// code, or throws a `DocumentError`). `to`: "terraform" or "cloudformation". `bindings`:
    /// a JSON array of `{ value, terraform?, cloudformation?: [logicalId, attribute|null] }`
    /// naming the user's resources (absent: none).
    #[wasm_bindgen(js_name = "emitPolicies", skip_typescript)]
    pub fn emit_policies(
        text: &str,
        context: Json,
        to: &str,
        bindings: Json,
    ) -> Result<String, JsError> {
        use crate::policy::emit::{self, Binding};
        let emit: fn(&policy::PolicySet, &[Binding]) -> String = match to {
            "terraform" => emit::terraform,
            "cloudformation" => emit::cloudformation,
            other => {
                return Err(JsError::new(&format!(
                    "invalid target {other:?}: expected \"terraform\" or \"cloudformation\""
                )))
            }
        };
        let bindings: Vec<Binding> = match bindings.as_deref() {
            None | Some("null") => Vec::new(),
            Some(text) => serde_json::from_str(text)
                .map_err(|e| JsError::new(&format!("invalid bindings: {e}")))?,
        };
        let context = context_from_js(context)?;
        let parsed = crate::parse(text, None);
        let result = parsed.document.as_ref().map(|doc| {
            emit(
                &policy::generate(doc, &Resolved::new(&context, doc)),
                &bindings,
            )
        });
        to_js(&Outcome {
            result,
            diagnostics: &blocking(&parsed.diagnostics, parsed.document.is_none()),
        })
    }

    /// Check CloudFormation templates, a Terraform module (all its files) or a plan:
    /// `{ configurations, files, rendered? }`. `input`: "auto" (or absent), "cloudformation",
    /// "terraform", "terraform-plan", "api". `render`: "text", "text-color", "json", "sarif".
    #[wasm_bindgen(js_name = "checkFiles", skip_typescript)]
    pub fn check_files(
        files: &str,
        input: Option<String>,
        context: Json,
        policies: bool,
        render: Option<String>,
    ) -> Result<String, JsError> {
        let files = files_from_js(files)?;
        let kind = match input.as_deref() {
            None | Some("auto") => None,
            Some(name) => Some(InputKind::parse(name).ok_or_else(|| {
                JsError::new(&format!(
                    "invalid input {name:?}: not one of \"auto\", \"cloudformation\", \"terraform\", \"terraform-plan\", \"api\""
                ))
            })?),
        };
        let context = context_from_js(context)?;
        let report = iac::check_files(&files, kind, &context);
        let rendered = match render.as_deref() {
            None | Some("none") => None,
            Some("text") => Some(iac::render::text(&report, &files, false)),
            Some("text-color") => Some(iac::render::text(&report, &files, true)),
            Some("json") => Some(iac::render::json(&report)),
            Some("sarif") => Some(iac::render::sarif(&report, &files)),
            Some(other) => {
                return Err(JsError::new(&format!(
                    "invalid render {other:?}: not one of \"text\", \"text-color\", \"json\", \"sarif\""
                )))
            }
        };
        let configurations = report
            .configurations
            .iter()
            .map(|c| JsConfiguration {
                report: c,
                document: iac::to_document(c, Format::Json).ok(),
                policies: match iac::deployed_document(c) {
                    Some(doc) if policies => {
                        Some(policy::generate(&doc, &Resolved::new(&c.context, &doc)))
                    }
                    _ => None,
                },
            })
            .collect();
        to_js(&JsIacResult {
            configurations,
            files: &report.files,
            rendered,
        })
    }
}
