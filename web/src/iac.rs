//! Templates, Terraform files and plans in the editor. Their readers are a second wasm module
//! (`iac/`, built by scripts/iac-module.sh), imported the first time such a text is pasted:
//! the first load stays within its budget. The answer crosses as JSON and is read back into
//! the core's diagnostic type, so the editor shows it like any other.

use s3_replication_lint::input::InputKind;
use s3_replication_lint::source::{Position, Range, Span};
use s3_replication_lint::{Diagnostic, Severity};
use serde_json::Value;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
let loaded = null;
function second() {
  if (!loaded) {
    // This snippet sits in pkg/snippets/<crate>/; the module in iac/ beside pkg/.
    const url = new URL("../../../iac/s3_replication_lint.js", import.meta.url).href;
    loaded = import(url).then(async (m) => { await m.default(); return m; });
    loaded.catch(() => { loaded = null; });
  }
  return loaded;
}
export function checkIac(files, context) {
  return second().then((m) => m.checkFiles(files, "auto", context, false, "none"));
}
export function ruleDocs() {
  return second().then((m) => m.rules());
}
export function emitIac(text, context, to, bindings) {
  return second().then((m) => m.emitPolicies(text, context, to, bindings));
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = checkIac)]
    fn check_iac(files: &str, context: Option<String>) -> js_sys::Promise;
    #[wasm_bindgen(js_name = ruleDocs)]
    fn rule_docs_js() -> js_sys::Promise;
    #[wasm_bindgen(js_name = emitIac)]
    fn emit_iac(
        text: &str,
        context: Option<String>,
        to: &str,
        bindings: Option<String>,
    ) -> js_sys::Promise;
}

/// The policies of an API document as Terraform or CloudFormation (`to`), written by the
/// second module (loaded on first use); `bindings` (JSON) name the template's own resources.
pub async fn emit(
    text: &str,
    context: Option<String>,
    to: &str,
    bindings: Option<String>,
) -> Result<String, String> {
    let answer = wasm_bindgen_futures::JsFuture::from(emit_iac(text, context, to, bindings))
        .await
        .map_err(js_message)?;
    let json = answer
        .as_string()
        .ok_or("unexpected answer from the code writer")?;
    let value: Value = serde_json::from_str(&json).map_err(|e| e.to_string())?;
    match value["result"].as_str() {
        Some(code) => Ok(code.to_string()),
        None => Err("Fix the syntax errors to see the policies as code.".into()),
    }
}

thread_local! {
    static DOCS: std::cell::RefCell<Option<std::rc::Rc<Value>>> = const { std::cell::RefCell::new(None) };
}

/// The Markdown docs of rule `code`. The editor's first load leaves every rule's docs out;
/// they come from the second module (loaded on first use), once per page.
pub async fn rule_docs(code: &str) -> Result<String, String> {
    let cached = DOCS.with(|d| d.borrow().clone());
    let all = match cached {
        Some(all) => all,
        None => {
            let answer = wasm_bindgen_futures::JsFuture::from(rule_docs_js())
                .await
                .map_err(js_message)?;
            let json = answer
                .as_string()
                .ok_or("unexpected answer for the rule docs")?;
            let all =
                std::rc::Rc::new(serde_json::from_str::<Value>(&json).map_err(|e| e.to_string())?);
            DOCS.with(|d| *d.borrow_mut() = Some(all.clone()));
            all
        }
    };
    all.as_array()
        .and_then(|rules| rules.iter().find(|r| r["code"] == code))
        .and_then(|r| r["docs"].as_str())
        .map(str::to_string)
        .ok_or_else(|| format!("no documentation for {code}"))
}

fn js_message(e: wasm_bindgen::JsValue) -> String {
    e.as_string()
        .or_else(|| js_sys::Error::from(e).message().as_string())
        .unwrap_or_else(|| "the template reader could not be loaded".into())
}

/// A fact the code states, as shown in the editor.
#[derive(Clone, Debug, PartialEq)]
pub struct Fact {
    pub field: String,
    pub value: String,
    pub line: u64,
    pub from: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Configuration {
    pub address: String,
    pub diagnostics: Vec<Diagnostic>,
    pub facts: Vec<Fact>,
    /// What it deploys, as the API's JSON (absent when structural errors block it), the
    /// context the code states and the bindings of its resources (JSON): the outputs panel
    /// works on these.
    pub document: Option<String>,
    pub context: String,
    pub bindings: String,
}

/// The answer for the pasted text.
#[derive(Clone, Debug, PartialEq)]
pub struct IacView {
    pub kind: InputKind,
    /// "CloudFormation template", "Terraform file", "Terraform plan".
    pub language: &'static str,
    pub configurations: Vec<Configuration>,
    /// Findings about the text as a whole (syntax errors, no configuration).
    pub file_diagnostics: Vec<Diagnostic>,
}

impl IacView {
    /// What the editor lists for configuration `selected`.
    pub fn diagnostics(&self, selected: usize) -> Vec<Diagnostic> {
        let mut out = self.file_diagnostics.clone();
        if let Some(c) = self.configurations.get(selected) {
            out.extend(c.diagnostics.iter().cloned());
        }
        out
    }
}

/// Check `text` (a template, a Terraform file or a plan) in the second module.
pub async fn check(
    text: &str,
    kind: InputKind,
    context: Option<String>,
) -> Result<IacView, String> {
    let files = serde_json::json!([{ "path": "pasted", "text": text }]).to_string();
    let answer = wasm_bindgen_futures::JsFuture::from(check_iac(&files, context))
        .await
        .map_err(js_message)?;
    let json = answer
        .as_string()
        .ok_or("unexpected answer from the template reader")?;
    let value: Value = serde_json::from_str(&json).map_err(|e| e.to_string())?;
    Ok(read_view(&value, kind))
}

fn read_view(v: &Value, kind: InputKind) -> IacView {
    let list = |v: &Value| v.as_array().cloned().unwrap_or_default();
    let configurations = list(&v["configurations"])
        .iter()
        .map(|c| Configuration {
            address: c["address"].as_str().unwrap_or("").to_string(),
            // The audits of the policies the template has for it come after its own findings
            // (one pasted file: every audit points into it).
            diagnostics: list(&c["diagnostics"])
                .iter()
                .chain(
                    list(&c["audits"])
                        .iter()
                        .flat_map(|a| list(&a["diagnostics"]))
                        .collect::<Vec<_>>()
                        .iter(),
                )
                .filter_map(diagnostic)
                .collect(),
            facts: list(&c["facts"])
                .iter()
                .map(|f| Fact {
                    field: f["field"].as_str().unwrap_or("").to_string(),
                    value: f["value"].as_str().unwrap_or("").to_string(),
                    line: f["line"].as_u64().unwrap_or(0),
                    from: f["from"].as_str().unwrap_or("").to_string(),
                })
                .collect(),
            document: c["document"].as_str().map(str::to_string),
            context: c["context"].to_string(),
            bindings: c["bindings"].to_string(),
        })
        .collect();
    let file_diagnostics = list(&v["files"])
        .iter()
        .flat_map(|f| list(&f["diagnostics"]))
        .filter_map(|d| diagnostic(&d))
        .collect();
    IacView {
        kind,
        language: kind.describe(),
        configurations,
        file_diagnostics,
    }
}

fn position(v: &Value) -> Position {
    let n = |k: &str| v[k].as_u64().unwrap_or(0) as u32;
    Position {
        line: n("line"),
        column: n("column"),
        offset: n("offset"),
    }
}

/// A diagnostic of the core's JSON form; codes are the registry's (unknown ones dropped).
fn diagnostic(v: &Value) -> Option<Diagnostic> {
    let code = s3_replication_lint::rules::find(v["code"].as_str()?)?.code;
    let severity = match v["severity"].as_str()? {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        _ => Severity::Info,
    };
    let range = Range {
        start: position(&v["range"]["start"]),
        end: position(&v["range"]["end"]),
    };
    let mut d = Diagnostic::new(
        code,
        severity,
        Span::new(range.start.offset as usize, range.end.offset as usize),
        v["path"].as_str().unwrap_or(""),
        v["message"].as_str().unwrap_or(""),
    );
    if let Some(h) = v["help"].as_str() {
        d = d.with_help(h);
    }
    d.range = range;
    // A quick fix in the template's own language (e.g. the action a policy meant).
    if let (Some(title), Some(edits)) = (v["fix"]["title"].as_str(), v["fix"]["edits"].as_array()) {
        let edits = edits
            .iter()
            .map(|e| {
                let range = Range {
                    start: position(&e["range"]["start"]),
                    end: position(&e["range"]["end"]),
                };
                s3_replication_lint::diagnostic::TextEdit {
                    span: Span::new(range.start.offset as usize, range.end.offset as usize),
                    range,
                    new_text: e["newText"].as_str().unwrap_or("").to_string(),
                }
            })
            .collect();
        d.fix = Some(s3_replication_lint::diagnostic::Fix {
            title: title.to_string(),
            edits,
        });
    }
    Some(d)
}
