//! `check`: the diagnostics (and, when asked, the policies) of one document, or what the CLI
//! prints for one or more documents.

use super::{context_from_js, format_option, output_option, to_js, JsonArg, Rendered};
use crate::context::Resolved;
use crate::diagnostic::Diagnostic;
use crate::model::Format;
use crate::policy::{self, PolicySet};
use crate::render::json_text::JsonText;
use crate::render::report::{self, Checked};
use crate::source::Span;
use crate::CheckOptions;
use wasm_bindgen::prelude::*;

/// Parse and check a replication configuration (XML or CLI JSON), given as UTF-8 bytes: the
/// wrapper encodes the text with `TextEncoder`, several times faster for large documents than
/// wasm-bindgen's string passing (a JS loop per character).
/// Returns `{ format, diagnostics, helps, policies?, rendered? }` (diagnostics and policies in
/// their lean forms: [`write_result`], [`crate::policy::LeanPolicySet`]); `policies` when
/// asked for and the document could be read; `rendered` when `render` names an output
/// ("text", "text-color", "json", "sarif"), the document shown as `file`. (The wrapper
/// spreads the JS options object into these arguments.)
#[wasm_bindgen(skip_typescript)]
pub fn check(
    text: &[u8],
    format: Option<String>,
    context: JsonArg,
    policies: bool,
    render: Option<String>,
    file: Option<String>,
) -> Result<String, JsError> {
    let output = output_option(render)?;
    let options = CheckOptions {
        format: format_option(format)?,
        context: context_from_js(context)?,
    };
    // Byte spans only: the wrapper derives line and column on access, so the whole text's
    // line index is built only when something is rendered here.
    let mut report = crate::engine::check_bytes_spans(text, &options);
    let set = match &report.document {
        Some(doc) if policies => Some(policy::generate(doc, &Resolved::new(&options.context, doc))),
        _ => None,
    };
    let rendered = output.map(|output| {
        let source = String::from_utf8_lossy(text);
        crate::engine::resolve(&source, &mut report.diagnostics);
        let file = file.as_deref().unwrap_or("<input>");
        report::render(&[(file, &source, &report.diagnostics)], output)
    });
    write_result(
        report.format,
        &report.diagnostics,
        text.len(),
        set.as_ref(),
        rendered.as_deref(),
    )
    .map_err(|_| JsError::new("internal error: cannot convert the result to JSON"))
}

/// `check`'s result as JSON: `{ format, diagnostics, helps, policies?, rendered? }`, written
/// by [`JsonText`] (diagnostics and policies are most of what a large document's check
/// sends): the diagnostics in their lean form (below), the policies in theirs
/// ([`JsonText::lean_policy_set`]).
///
/// A diagnostic is sent with each fact once: positions as byte offsets only (`span`,
/// `[start, end]`, clamped to the text's `len` bytes; the wrapper derives line and UTF-16
/// column from the bytes it encoded, on access), and `help` as an index into `helps` (a
/// handful of texts repeated across hundreds of diagnostics): `{ code, severity, message,
/// help?, path, span, related?: [{ span, message }], fix?: { title, edits: [{ span, newText
/// }] } }`. The wrapper gives back the documented shape (`range`, `help`).
fn write_result(
    format: Format,
    diagnostics: &[Diagnostic],
    len: usize,
    policies: Option<&PolicySet>,
    rendered: Option<&str>,
) -> Result<String, serde_json::Error> {
    let len = u32::try_from(len).unwrap_or(u32::MAX);
    let capacity = diagnostics
        .iter()
        .map(|d| d.message.len() + d.path.len() + 96)
        .sum::<usize>()
        + policies.map_or(0, |p| {
            p.documents.iter().map(|d| d.text.len()).sum::<usize>()
        })
        + rendered.map_or(0, |r| r.len() + r.len() / 8);
    let mut j = JsonText::with_capacity(capacity);
    let span = |j: &mut JsonText, s: Span| {
        j.raw("[");
        j.uint(u64::from(s.start.min(len)));
        j.raw(",");
        j.uint(u64::from(s.end.min(len)));
        j.raw("]");
    };
    j.raw("{");
    j.key("format");
    j.string(format.as_str());
    j.raw(",");
    j.key("diagnostics");
    j.raw("[");
    let mut helps: Vec<&str> = Vec::new();
    for (i, d) in diagnostics.iter().enumerate() {
        j.raw(if i == 0 { "{" } else { ",{" });
        j.key("code");
        j.string(d.code);
        j.raw(",");
        j.key("severity");
        j.string(d.severity.as_str());
        j.raw(",");
        j.key("message");
        j.string(&d.message);
        if let Some(h) = d.help.as_deref() {
            let index = helps.iter().position(|x| *x == h).unwrap_or_else(|| {
                helps.push(h);
                helps.len() - 1
            });
            j.raw(",");
            j.key("help");
            j.uint(index as u64);
        }
        j.raw(",");
        j.key("path");
        j.string(&d.path);
        j.raw(",");
        j.key("span");
        span(&mut j, d.span);
        if !d.related.is_empty() {
            j.raw(",");
            j.key("related");
            j.raw("[");
            for (k, r) in d.related.iter().enumerate() {
                j.raw(if k == 0 { "{" } else { ",{" });
                j.key("span");
                span(&mut j, r.span);
                j.raw(",");
                j.key("message");
                j.string(&r.message);
                j.raw("}");
            }
            j.raw("]");
        }
        if let Some(fix) = &d.fix {
            j.raw(",");
            j.key("fix");
            j.raw("{");
            j.key("title");
            j.string(&fix.title);
            j.raw(",");
            j.key("edits");
            j.raw("[");
            for (k, e) in fix.edits.iter().enumerate() {
                j.raw(if k == 0 { "{" } else { ",{" });
                j.key("span");
                span(&mut j, e.span);
                j.raw(",");
                j.key("newText");
                j.string(&e.new_text);
                j.raw("}");
            }
            j.raw("]}");
        }
        j.raw("}");
    }
    j.raw("],");
    j.key("helps");
    j.raw("[");
    for (i, h) in helps.iter().enumerate() {
        if i > 0 {
            j.raw(",");
        }
        j.string(h);
    }
    j.raw("]");
    if let Some(policies) = policies {
        j.raw(",");
        j.key("policies");
        j.lean_policy_set(policies)?;
    }
    if let Some(rendered) = rendered {
        j.raw(",");
        j.key("rendered");
        j.string(rendered);
    }
    j.raw("}");
    Ok(j.into_string())
}

/// Check several documents (XML or CLI JSON) and render them together as the CLI prints them:
/// `{ rendered, errors }`. `files[i]` is shown as the name of `texts[i]`; `render` is
/// "text", "text-color", "json" or "sarif".
#[wasm_bindgen(js_name = "checkDocuments", skip_typescript)]
pub fn check_documents(
    files: Vec<String>,
    texts: Vec<String>,
    format: Option<String>,
    context: JsonArg,
    render: &str,
) -> Result<String, JsError> {
    let output = output_option(Some(render.to_string()))?
        .ok_or_else(|| JsError::new("invalid render \"none\": checkDocuments renders"))?;
    let options = CheckOptions {
        format: format_option(format)?,
        context: context_from_js(context)?,
    };
    let reports: Vec<Vec<Diagnostic>> = texts
        .iter()
        .map(|t| crate::check_bytes(t.as_bytes(), &options).diagnostics)
        .collect();
    let checked: Vec<Checked<'_>> = files
        .iter()
        .zip(&texts)
        .zip(&reports)
        .map(|((f, t), d)| (f.as_str(), t.as_str(), d.as_slice()))
        .collect();
    to_js(&Rendered {
        rendered: report::render(&checked, output),
        errors: report::has_errors(&checked),
    })
}
