//! Modules `terraform init` installed: `.terraform/modules/modules.json` maps each module
//! call (its key, the call names from the root joined by dots: `replica`, `replica.kms`) to
//! the directory its files were downloaded to, relative to the root module. With that file
//! and the installed files among the inputs, a registry or git module is read like a local
//! one; without them it is only named (S3R014), as before.

use super::modules::{dir_of, join};
use crate::catalogue::parse as codes;
use crate::diagnostic::{Diagnostic, Severity};
use crate::iac::SourceFile;
use crate::source::Span;
use serde::Deserialize;

/// The path, below a root module's directory, of the manifest `terraform init` writes.
const MANIFEST: &str = ".terraform/modules/modules.json";

/// Entries read from one manifest, at most: a hostile file cannot make the lookup slow.
const MAX_ENTRIES: usize = 4096;

#[derive(Deserialize)]
struct Manifest {
    #[serde(rename = "Modules", default)]
    modules: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(rename = "Key", default)]
    key: String,
    #[serde(rename = "Dir", default)]
    dir: String,
}

/// One manifest: the root module it belongs to and where each call's files are.
pub(super) struct Installed {
    /// The root module's directory (normalized, `""` for the top).
    pub root: String,
    /// Call key -> the module's directory (normalized, joined onto `root`).
    entries: Vec<(String, String)>,
}

impl Installed {
    /// The directory the call `key` (`a.b`) was installed to.
    pub fn dir(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, d)| d.as_str())
    }
}

/// Whether `path` is the manifest `terraform init` writes (not a module file).
pub(super) fn is_manifest(path: &str) -> bool {
    let path = path.replace('\\', "/");
    path == MANIFEST || path.ends_with(&format!("/{MANIFEST}"))
}

/// Whether `dir` (normalized) lies inside a `.terraform` directory: modules installed there
/// are read only through their callers, never as root modules of their own.
pub(super) fn is_inside_dot_terraform(dir: &str) -> bool {
    dir.split('/').any(|c| c == ".terraform")
}

/// Read the manifest in file `i`; a file that is not one says why at its start.
pub(super) fn read(f: &SourceFile, diagnostics: &mut Vec<Diagnostic>) -> Option<Installed> {
    let manifest: Manifest = match serde_json::from_str(&f.text) {
        Ok(m) => m,
        Err(e) => {
            let line_start = f
                .text
                .split_inclusive('\n')
                .take(e.line().saturating_sub(1))
                .map(str::len)
                .sum::<usize>();
            let at = (line_start + e.column().saturating_sub(1)).min(f.text.len());
            let at = (0..=at)
                .rev()
                .find(|&k| f.text.is_char_boundary(k))
                .unwrap_or(0);
            diagnostics.push(Diagnostic::new(
                codes::UNSUPPORTED_CONSTRUCT.code,
                Severity::Info,
                Span::new(at, at),
                "",
                format!("This is not a module manifest `terraform init` writes ({e}): the modules it would name are not read"),
            ));
            return None;
        }
    };
    // `<root>/.terraform/modules/modules.json`: three levels up is the root module.
    let root = join(&dir_of(&f.path), "../..");
    let entries = manifest
        .modules
        .into_iter()
        .filter(|e| !e.key.is_empty() && !e.dir.is_empty())
        .take(MAX_ENTRIES)
        .map(|e| {
            let dir = join(&root, &e.dir.replace('\\', "/"));
            (e.key, dir)
        })
        .collect();
    Some(Installed { root, entries })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> SourceFile {
        SourceFile {
            path: path.into(),
            text: text.into(),
        }
    }

    #[test]
    fn reads_the_directory_of_each_call() {
        let f = file(
            "infra/.terraform/modules/modules.json",
            r#"{"Modules":[{"Key":"","Source":"","Dir":"."},
                {"Key":"replica","Source":"registry.terraform.io/terraform-aws-modules/s3-bucket/aws","Version":"4.1.2","Dir":".terraform/modules/replica"},
                {"Key":"replica.kms","Source":"./modules/kms","Dir":".terraform/modules/replica/modules/kms"}]}"#,
        );
        let mut d = Vec::new();
        let m = read(&f, &mut d).expect("a manifest");
        assert!(d.is_empty());
        assert_eq!(m.root, "infra");
        assert_eq!(m.dir("replica"), Some("infra/.terraform/modules/replica"));
        assert_eq!(
            m.dir("replica.kms"),
            Some("infra/.terraform/modules/replica/modules/kms")
        );
        assert_eq!(m.dir(""), None);
        assert_eq!(m.dir("other"), None);
    }

    #[test]
    fn a_broken_manifest_is_named_not_read() {
        let f = file(
            ".terraform/modules/modules.json",
            "{\"Modules\": [\n  {\"Key\": 1}]}",
        );
        let mut d = Vec::new();
        assert!(read(&f, &mut d).is_none());
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].span.start as usize, f.text.find('1').unwrap());
    }

    #[test]
    fn recognizes_the_manifest_path() {
        assert!(is_manifest(".terraform/modules/modules.json"));
        assert!(is_manifest("a/b/.terraform/modules/modules.json"));
        assert!(is_manifest("a\\.terraform\\modules\\modules.json"));
        assert!(!is_manifest("modules.json"));
        assert!(!is_manifest("a/x.terraform/modules/modules.json"));
        assert!(is_inside_dot_terraform("x/.terraform/modules/s3"));
        assert!(!is_inside_dot_terraform("x/terraform/modules/s3"));
    }
}
