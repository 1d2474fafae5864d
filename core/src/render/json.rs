//! The machine renderer: one JSON array of the API's diagnostic objects, each with `file`
//! added first (`file, code, severity, message, help?, path, range, related?, fix?`).

use crate::diagnostic::Diagnostic;
use serde::Serialize;

#[derive(Serialize)]
struct WithFile<'a> {
    file: &'a str,
    #[serde(flatten)]
    diagnostic: &'a Diagnostic,
}

/// The diagnostics of one file as a pretty-printed JSON array (two-space indent, newline at
/// the end). `diags` must have their ranges resolved (as `check` and `parse` return them).
pub fn render(diags: &[Diagnostic], file: &str) -> String {
    render_files(&[(file, diags)])
}

/// The diagnostics of several files in one array, in the order given.
pub fn render_files(files: &[(&str, &[Diagnostic])]) -> String {
    let items: Vec<WithFile<'_>> = files
        .iter()
        .flat_map(|(file, diags)| {
            diags
                .iter()
                .map(move |diagnostic| WithFile { file, diagnostic })
        })
        .collect();
    // Serializing plain structs of strings and numbers cannot fail; fall back to an empty
    // array rather than panicking if it ever did.
    let mut out = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_string());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::source::Span;

    #[test]
    fn file_comes_first_and_fields_match_the_api() {
        let d = Diagnostic::new("S3R001", Severity::Error, Span::new(0, 1), "", "bad");
        let out = render(std::slice::from_ref(&d), "a.xml");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
        let obj = &v[0];
        assert_eq!(obj["file"], "a.xml");
        assert_eq!(obj["code"], "S3R001");
        assert_eq!(obj["severity"], "error");
        assert!(obj["range"]["start"]["line"].is_number());
        let mut api = serde_json::to_value(&d).unwrap_or_default();
        if let Some(m) = api.as_object_mut() {
            m.insert("file".into(), "a.xml".into());
        }
        assert_eq!(obj, &api);
        assert!(
            out.starts_with("[\n  {\n    \"file\": \"a.xml\",\n    \"code\""),
            "{out}"
        );
        assert_eq!(render(&[], "x"), "[]\n");
    }
}
