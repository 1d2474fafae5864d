//! A fixture directory read as the CLI passes a module: every file below it that `keep`
//! accepts, named by its path relative to the directory, in name order.

use s3_replication_lint::iac::SourceFile;
use std::path::{Path, PathBuf};

pub fn tree(dir: &Path, keep: &dyn Fn(&str) -> bool) -> Vec<SourceFile> {
    let mut out = Vec::new();
    walk(dir, "", keep, &mut out);
    out
}

fn walk(dir: &Path, rel: &str, keep: &dyn Fn(&str) -> bool, out: &mut Vec<SourceFile>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let path = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        if p.is_dir() {
            walk(&p, &path, keep, out);
        } else if keep(&name) {
            out.push(SourceFile {
                path,
                text: std::fs::read_to_string(&p).unwrap(),
            });
        }
    }
}
