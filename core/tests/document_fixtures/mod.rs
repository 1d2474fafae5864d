//! Fixture documents checked one by one (`verdicts`, `s3_answers`): `NAME[.CODE].(xml|json)`,
//! with an optional `NAME.context.json` beside it as its deployment context.

use s3_replication_lint::{check, CheckOptions, DeploymentContext, Report};
use std::path::{Path, PathBuf};

/// The documents in `dir`, sorted (context files left out).
pub fn documents(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("fixture directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            !n.ends_with(".context.json") && (n.ends_with(".xml") || n.ends_with(".json"))
        })
        .collect();
    out.sort();
    out
}

/// `12-name.S3R405.xml` -> `12-name`.
pub fn stem(path: &Path) -> String {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    name.split('.').next().unwrap().to_string()
}

/// Check the document at `path` with its context, if it has one.
pub fn run(path: &Path) -> Report {
    let context =
        std::fs::read_to_string(path.with_file_name(format!("{}.context.json", stem(path))))
            .map(|t| DeploymentContext::from_json(&t).expect("valid context"))
            .unwrap_or_default();
    let text = std::fs::read_to_string(path).unwrap();
    check(
        &text,
        &CheckOptions {
            format: None,
            context,
        },
    )
}
