//! Terraform's JSON syntax (`*.tf.json`, `cdktf synth`'s `cdk.tf.json`, `*.tfvars.json`),
//! read by the same reader as the native syntax.
//!
//! Each file is translated into the native syntax it stands for (HashiCorp's "HCL JSON
//! Syntax Specification" and Terraform's "JSON Configuration Syntax"): the properties of a
//! body are nested blocks where Terraform's schema has a block type ([`blocks`]), one level
//! of nesting per label, an array for repeated blocks, `"//"` a comment; every other
//! property is an attribute whose strings are templates (`"${var.x}"` is `var.x`), except
//! where Terraform reads them literally (a variable's `default`, `.tfvars.json` values) or
//! as references (`provider`, `depends_on`, a module's `providers`). The translation keeps a
//! map from each of its bytes to the JSON ones ([`map::SpanMap`]), and every position the
//! reader computes is moved back through it, so findings, facts and policies point into the
//! user's JSON.
//!
//! Translating text keeps the reader whole: `hcl-edit` builds spans only when it parses,
//! and the module, provider, policy and fact logic (several thousand lines) reads its
//! nodes directly.

mod blocks;
pub(super) mod map;
mod strings;
mod translate;

use crate::diagnostic::Diagnostic;
use crate::iac::SourceFile;
use map::{LineMap, SpanMap};
use translate::translate;

/// A `.tf.json` file in the native syntax, and the way back.
pub(super) struct Translated {
    pub text: String,
    pub spans: SpanMap,
    pub lines: LineMap,
}

/// The input files with those in the JSON syntax translated, and the way back.
pub(super) struct Json {
    translated: Vec<Option<Translated>>,
    /// The files as the native reader reads them (`None`: no file is in JSON).
    native: Option<Vec<SourceFile>>,
    /// Findings of the translation itself, per file, already in the JSON.
    own: Vec<Vec<Diagnostic>>,
    paths: Vec<String>,
}

impl Json {
    pub fn read(files: &[SourceFile]) -> Json {
        let mut own = vec![Vec::new(); files.len()];
        let translated: Vec<Option<Translated>> = files
            .iter()
            .zip(own.iter_mut())
            .map(|(f, d)| {
                // Over the size limit: the native reader refuses it unread.
                (is_json(f) && f.text.len() <= crate::parse::HARD_MAX_BYTES)
                    .then(|| translate(f, d))
                    .flatten()
            })
            .collect();
        let any = files
            .iter()
            .any(|f| is_json(f) && f.text.len() <= crate::parse::HARD_MAX_BYTES);
        let native = any.then(|| {
            files
                .iter()
                .zip(&translated)
                .map(|(f, t)| SourceFile {
                    path: f.path.clone(),
                    text: match t {
                        Some(t) => t.text.clone(),
                        // Not JSON at all: its findings say so; nothing to read.
                        None if is_json(f) && f.text.len() <= crate::parse::HARD_MAX_BYTES => {
                            String::new()
                        }
                        None => f.text.clone(),
                    },
                })
                .collect()
        });
        Json {
            translated,
            native,
            own,
            paths: files.iter().map(|f| f.path.clone()).collect(),
        }
    }

    /// The files for the native reader.
    pub fn files<'a>(&'a self, given: &'a [SourceFile]) -> &'a [SourceFile] {
        self.native.as_deref().unwrap_or(given)
    }

    /// Move what the reader found in translated files back into their JSON.
    pub fn back(self, found: &mut super::Found<'_>) {
        if self.native.is_none() {
            return;
        }
        let back: Vec<Option<map::Back<'_>>> = self
            .translated
            .iter()
            .zip(&self.paths)
            .map(|(t, path)| {
                t.as_ref().map(|t| map::Back {
                    path,
                    spans: &t.spans,
                    lines: &t.lines,
                })
            })
            .collect();
        for c in &mut found.configurations {
            map::extracted(c, &back);
        }
        for (i, ds) in found.file_diagnostics.iter_mut().enumerate() {
            if let Some(Some(b)) = back.get(i) {
                ds.iter_mut().for_each(|d| b.spans.diagnostic(d));
            }
        }
        for (i, mut own) in self.own.into_iter().enumerate() {
            if let Some(ds) = found.file_diagnostics.get_mut(i) {
                ds.append(&mut own);
            }
        }
    }
}

/// Whether a file given as Terraform is in the JSON syntax: by its name, or (a pasted text)
/// because it is a JSON object, which no native body can be.
pub fn is_json(file: &SourceFile) -> bool {
    let lower = file.path.to_ascii_lowercase();
    if super::installed::is_manifest(&file.path) {
        return false;
    }
    lower.ends_with(".json")
        || file
            .text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('{')
}

/// `terraform.tfvars.json` and `*.auto.tfvars.json`: variable values, all literal.
pub fn is_tfvars_json(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name == "terraform.tfvars.json" || name.ends_with(".auto.tfvars.json")
}
