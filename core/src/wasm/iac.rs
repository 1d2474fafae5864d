//! Templates, modules and plans: the second module's API (feature `iac`), loaded on first use.

use super::{blocking, context_from_js, output_option, target_format, to_js, JsonArg, Outcome};
use crate::context::{DeploymentContext, Resolved};
use crate::diagnostic::Diagnostic;
use crate::iac::{self, InputKind, SourceFile};
use crate::model::Format;
use crate::policy::{self, LeanPolicySet};
use crate::render::report::Output;
use crate::syntax::{Content, Node};
use serde::Serialize;
use wasm_bindgen::prelude::*;

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
    policies: Option<LeanPolicySet<'a>>,
}

#[derive(Serialize)]
struct JsIacResult<'a> {
    configurations: Vec<JsConfiguration<'a>>,
    files: &'a [iac::FileReport],
    #[serde(skip_serializing_if = "Option::is_none")]
    rendered: Option<String>,
}

/// `[{ path, text }]` from JS, read with the core's span-keeping JSON parser (already in the
/// module for documents) rather than serde derives.
fn files_from_js(json: &str) -> Result<Vec<SourceFile>, JsError> {
    let invalid = |e: String| JsError::new(&format!("invalid files: {e}"));
    let (node, diagnostics) = crate::parse::json::parse_tree(json);
    let node = node.ok_or_else(|| {
        let why = diagnostics
            .first()
            .map_or("not JSON", |d| d.message.as_str());
        invalid(why.to_string())
    })?;
    let Content::Array(items) = &node.content else {
        return Err(invalid(format!(
            "files: expected an array, found {}",
            node.content.kind()
        )));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let at = format!("files[{i}]");
            Ok(SourceFile {
                path: string_member(f, "path", &at).map_err(invalid)?,
                text: string_member(f, "text", &at).map_err(invalid)?,
            })
        })
        .collect()
}

/// The string `key` of the object `node`.
fn string_member(node: &Node, key: &str, at: &str) -> Result<String, String> {
    let Content::Object(members) = &node.content else {
        return Err(format!(
            "{at}: expected an object, found {}",
            node.content.kind()
        ));
    };
    let value = members
        .iter()
        .find(|m| m.name == key)
        .map(|m| &m.value)
        .filter(|v| !matches!(v.content, Content::Null))
        .ok_or_else(|| format!("{at}: missing field `{key}`"))?;
    match &value.content {
        Content::Text(text) => Ok(text.to_string()),
        _ => Err(format!(
            "{at}.{key}: expected a string, found {}",
            value.content.kind()
        )),
    }
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
    context: JsonArg,
    to: &str,
    bindings: JsonArg,
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
    context: JsonArg,
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
    let rendered = output_option(render)?.map(|output| match output {
        Output::Text { color } => iac::render::text(&report, &files, color),
        Output::Json => iac::render::json(&report),
        Output::Sarif => iac::render::sarif(&report, &files),
    });
    // Generated first: the lean form borrows from them.
    let sets: Vec<Option<policy::PolicySet>> = report
        .configurations
        .iter()
        .map(|c| match iac::deployed_document(c) {
            Some(doc) if policies => Some(policy::generate(&doc, &Resolved::new(&c.context, &doc))),
            _ => None,
        })
        .collect();
    let configurations = report
        .configurations
        .iter()
        .zip(&sets)
        .map(|(c, set)| JsConfiguration {
            report: c,
            document: iac::to_document(c, Format::Json).ok(),
            policies: set.as_ref().map(policy::PolicySet::lean),
        })
        .collect();
    to_js(&JsIacResult {
        configurations,
        files: &report.files,
        rendered,
    })
}
