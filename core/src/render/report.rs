//! The CLI's output of `check` over one or more documents, chosen by name: code frames with a
//! summary line, the JSON array of diagnostics, or SARIF.

use super::{json, sarif, text};
use crate::diagnostic::{Diagnostic, Severity};

/// An output format of a check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    Text { color: bool },
    Json,
    Sarif,
}

impl Output {
    /// The names the JS API takes: `"text"`, `"text-color"`, `"json"`, `"sarif"`.
    pub const NAMES: &'static str = "\"text\", \"text-color\", \"json\", \"sarif\"";

    pub fn parse(name: &str) -> Option<Output> {
        match name {
            "text" => Some(Output::Text { color: false }),
            "text-color" => Some(Output::Text { color: true }),
            "json" => Some(Output::Json),
            "sarif" => Some(Output::Sarif),
            _ => None,
        }
    }
}

/// One checked document: its name as shown, its text and its diagnostics (ranges resolved).
pub type Checked<'a> = (&'a str, &'a str, &'a [Diagnostic]);

/// The documents' diagnostics in `output`, ending with a newline. Text: each document's code
/// frames, then one line such as `config.xml: 2 errors, 0 warnings, 1 info` (`N files: ...`
/// for several).
pub fn render(files: &[Checked<'_>], output: Output) -> String {
    match output {
        Output::Json => {
            let items: Vec<(&str, &[Diagnostic])> =
                files.iter().map(|(f, _, d)| (*f, *d)).collect();
            json::render_files(&items)
        }
        Output::Sarif => {
            let mut out = sarif::render(files);
            if !out.ends_with('\n') {
                out.push('\n');
            }
            out
        }
        Output::Text { color } => {
            let mut out = String::new();
            for (file, source, diags) in files.iter().filter(|(_, _, d)| !d.is_empty()) {
                out.push_str(&text::render(source, file, diags, color));
                if !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            let label = match files {
                [(file, _, _)] => (*file).to_string(),
                _ => format!("{} files", files.len()),
            };
            let all: Vec<Diagnostic> = files
                .iter()
                .flat_map(|(_, _, d)| d.iter().cloned())
                .collect();
            if all.is_empty() {
                out.push_str(&format!("{label}: no problems found\n"));
            } else {
                out.push_str(&format!("{label}: {}\n", text::summary(&all)));
            }
            out
        }
    }
}

/// Whether any document has an error (the CLI's exit code 1).
pub fn has_errors(files: &[Checked<'_>]) -> bool {
    files
        .iter()
        .any(|(_, _, d)| d.iter().any(|d| d.severity == Severity::Error))
}
