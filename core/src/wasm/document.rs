//! The calls that need a readable document: `{ result?, diagnostics }`, where `diagnostics`
//! says why there is no result (the wrapper throws a `DocumentError` with them).

use super::{
    blocking, context_from_js, output_option, target_format, to_js, JsonArg, Outcome, Rendered,
};
use crate::context::Resolved;
use crate::diagnostic::Diagnostic;
use crate::policy::{self, UserPolicies};
use crate::render::{self, report::Checked};
use crate::simulate::{Encryption, ObjectSpec};
use wasm_bindgen::prelude::*;

/// Generate the policies the configuration needs: `{ result?: PolicySet, diagnostics }`
/// (the set in its lean form, see [`crate::policy::LeanPolicySet`]).
#[wasm_bindgen(js_name = "generatePolicies", skip_typescript)]
pub fn generate_policies(text: &str, context: JsonArg) -> Result<String, JsError> {
    let context = context_from_js(context)?;
    let doc = match readable(text) {
        Ok(doc) => doc,
        Err(answer) => return answer,
    };
    let set = policy::generate(&doc, &Resolved::new(&context, &doc));
    to_js(&Outcome {
        result: Some(set.lean()),
        diagnostics: &[],
    })
}

/// Audit the user's policies: `{ result?: Diagnostic[], diagnostics }`. With `render`
/// ("text", "text-color", "json", "sarif") the result is `{ rendered, errors }` instead, each
/// finding shown in the file it points into: `names` are the files' names as shown, in the
/// order configuration, role, trust, bucket policy, key policies (`""` for one not given).
#[wasm_bindgen(js_name = "auditPolicies", skip_typescript)]
#[allow(clippy::too_many_arguments)] // the JS policies object, spread by the wrapper
pub fn audit_policies(
    text: &str,
    role: Option<String>,
    trust: Option<String>,
    key_policies: Vec<String>,
    bucket_policy: Option<String>,
    context: JsonArg,
    render: Option<String>,
    names: Vec<String>,
) -> Result<String, JsError> {
    let context = context_from_js(context)?;
    let output = output_option(render)?;
    let doc = match readable(text) {
        Ok(doc) => doc,
        Err(answer) => return answer,
    };
    let doc = &doc;
    let user = UserPolicies {
        role: role.as_deref(),
        trust: trust.as_deref(),
        key_policies: key_policies.iter().map(String::as_str).collect(),
        bucket_policy: bucket_policy.as_deref(),
        ..UserPolicies::default()
    };
    let found = policy::audit(doc, &Resolved::new(&context, doc), &user);
    let Some(output) = output else {
        return to_js(&Outcome {
            result: Some(found),
            diagnostics: &[],
        });
    };
    let name = |i: usize| names.get(i).map_or("", String::as_str);
    // (path prefix, shown name, text) of each policy given; findings elsewhere are the
    // configuration's.
    let mut sources: Vec<(String, &str, &str)> = Vec::new();
    for (path, i, policy) in [
        ("/role", 1, &role),
        ("/trust", 2, &trust),
        ("/bucketPolicy", 3, &bucket_policy),
    ] {
        if let Some(policy) = policy {
            sources.push((path.to_string(), name(i), policy));
        }
    }
    for (k, policy) in key_policies.iter().enumerate() {
        sources.push((format!("/keyPolicies/{k}"), name(4 + k), policy));
    }
    let mut groups: Vec<(&str, &str, Vec<Diagnostic>)> = Vec::new();
    for d in found {
        let (file, source) = sources
            .iter()
            .find(|(p, _, _)| {
                d.path == *p
                    || d.path
                        .strip_prefix(p.as_str())
                        .is_some_and(|r| r.starts_with('/'))
            })
            .map_or((name(0), text), |(_, n, t)| (*n, *t));
        match groups.iter_mut().find(|(f, _, _)| *f == file) {
            Some((_, _, ds)) => ds.push(d),
            None => groups.push((file, source, vec![d])),
        }
    }
    if groups.is_empty() {
        groups.push((name(0), text, Vec::new()));
    }
    let checked: Vec<Checked<'_>> = groups
        .iter()
        .map(|(f, t, d)| (*f, *t, d.as_slice()))
        .collect();
    to_js(&Outcome {
        result: Some(Rendered {
            rendered: render::report::render(&checked, output),
            errors: render::report::has_errors(&checked),
        }),
        diagnostics: &[],
    })
}

/// What the configuration does to one object: `{ result?: Simulation, diagnostics }`, or
/// with `file` the result as text (the CLI's, naming the configuration `file`).
/// The object arrives spread into arguments (the wrapper validates its shape): `tags` as a
/// flat `[key, value, key, value, ...]` list, `encryption` by name.
#[wasm_bindgen(skip_typescript)]
#[allow(clippy::too_many_arguments)] // the JS object's fields, spread by the wrapper
pub fn simulate(
    text: &str,
    key: String,
    tags: Vec<String>,
    encryption: &str,
    delete_marker: bool,
    is_replica: bool,
    context: JsonArg,
    file: Option<String>,
) -> Result<String, JsError> {
    let context = context_from_js(context)?;
    // Exact names only (the wrapper checks them too); `Encryption::parse`'s aliases would
    // cost module bytes for nothing the typed API accepts.
    let encryption = Encryption::ALL
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
    let object = ObjectSpec {
        key,
        tags: tags
            .chunks_exact(2)
            .map(|kv| (kv[0].clone(), kv[1].clone()))
            .collect(),
        encryption,
        delete_marker,
        is_replica,
    };
    let doc = match readable(text) {
        Ok(doc) => doc,
        Err(answer) => return answer,
    };
    let doc = &doc;
    let sim = crate::simulate::simulate(doc, &object, &Resolved::new(&context, doc));
    match file {
        Some(file) => to_js(&Outcome {
            result: Some(render::simulation::simulation(&sim, &object, &file)),
            diagnostics: &[],
        }),
        None => to_js(&Outcome {
            result: Some(sim),
            diagnostics: &[],
        }),
    }
}

/// A plain-language account of the configuration: `{ result?: Explanation, diagnostics }`,
/// or with `text_form` the result as the CLI's text.
#[wasm_bindgen(skip_typescript)]
pub fn explain(text: &str, context: JsonArg, text_form: bool) -> Result<String, JsError> {
    let context = context_from_js(context)?;
    let doc = match readable(text) {
        Ok(doc) => doc,
        Err(answer) => return answer,
    };
    let doc = &doc;
    let ex = crate::explain::explain(doc, &Resolved::new(&context, doc));
    if text_form {
        to_js(&Outcome {
            result: Some(render::simulation::explanation(&ex)),
            diagnostics: &[],
        })
    } else {
        to_js(&Outcome {
            result: Some(ex),
            diagnostics: &[],
        })
    }
}

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

/// Why `text` is not a readable document, as code frames for `file`: the diagnostics a
/// `DocumentError` carries, from the same input (`to`: the conversion's target for `convert`,
/// whose errors also cover documents read with parser errors; absent for the other calls).
#[wasm_bindgen(js_name = "renderUnreadable", skip_typescript)]
pub fn render_unreadable(
    text: &str,
    file: &str,
    color: bool,
    to: Option<String>,
) -> Result<String, JsError> {
    let diagnostics: Vec<Diagnostic> = match to {
        Some(to) => crate::serialize::convert(text, target_format(&to)?)
            .err()
            .unwrap_or_default(),
        None => {
            let parsed = crate::parse(text, None);
            blocking(&parsed.diagnostics, parsed.document.is_none())
        }
    };
    Ok(render::text::render(text, file, &diagnostics, color))
}

/// The text's document, or (as `Err`) the answer that says why it has none: its blocking
/// diagnostics. A readable document's own findings are `check`'s to report, not these calls'.
fn readable(text: &str) -> Result<crate::model::Document, Result<String, JsError>> {
    let parsed = crate::parse(text, None);
    parsed.document.ok_or_else(|| {
        to_js(&Outcome::<()> {
            result: None,
            diagnostics: &blocking(&parsed.diagnostics, true),
        })
    })
}
