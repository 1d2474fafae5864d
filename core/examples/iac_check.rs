//! `cargo run --example iac_check -- FILE...`: check templates or modules and print every
//! configuration's diagnostics and inferred facts (a development aid for the IaC front ends).
use s3_replication_lint::iac::{check_files, SourceFile};

fn main() {
    let mut files = Vec::new();
    for arg in std::env::args().skip(1) {
        let p = std::path::Path::new(&arg);
        let paths: Vec<std::path::PathBuf> = if p.is_dir() {
            let mut v: Vec<_> = std::fs::read_dir(p)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "tf"))
                .collect();
            v.sort();
            v
        } else {
            vec![p.to_path_buf()]
        };
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            files.push(SourceFile {
                path: path.display().to_string(),
                text,
            });
        }
    }
    let report = check_files(&files, None, &Default::default());
    println!(
        "{}",
        serde_json::to_string_pretty(&report).unwrap_or_default()
    );
}
