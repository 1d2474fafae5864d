//! S3's real answers to `PutBucketReplication`, reproduced with our own documents
//! (`tests/fixtures/s3-answers/`; each document's `NAME.source.md` gives the thread, S3's
//! answer and how sure it is, on its `evidence:` line):
//! - `accepted/NAME.(xml|json)`: S3 accepted that shape, so no diagnostic may be an error;
//! - `rejected/NAME.CODE.(xml|json)`: S3 rejected it (or it broke at run time), so `CODE` must be
//!   reported as an error, and nothing else may be an error (each document has one fault).
//!   Where the only evidence is an emulator (`evidence: emulator`), `CODE` must be reported at
//!   any severity: an emulator's answer does not prove what S3 does, so it cannot demand an error.
//!
//! An optional `NAME.context.json` beside a document is its deployment context. Every mismatch
//! is listed at once.

mod document_fixtures;

use document_fixtures::{documents, run, stem};
use s3_replication_lint::{Report, Severity};
use std::path::{Path, PathBuf};

fn dir(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/s3-answers")
        .join(kind)
}

/// The `evidence:` line of `NAME.source.md` (`real-s3`, `aws-docs` or `emulator`).
fn evidence(path: &Path) -> String {
    let source = path.with_file_name(format!("{}.source.md", stem(path)));
    let text = std::fs::read_to_string(&source)
        .unwrap_or_else(|_| panic!("{} is missing", source.display()));
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("evidence:"))
        .unwrap_or_else(|| panic!("{}: no `evidence:` line", source.display()));
    let value = line.trim().to_string();
    assert!(
        matches!(value.as_str(), "real-s3" | "aws-docs" | "emulator"),
        "{}: unknown evidence {value:?}",
        source.display()
    );
    value
}

fn describe(report: &Report, keep: impl Fn(Severity) -> bool) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .filter(|d| keep(d.severity))
        .map(|d| {
            format!(
                "{} {:?} {}:{} {}",
                d.code, d.severity, d.range.start.line, d.range.start.column, d.message
            )
        })
        .collect()
}

#[test]
fn accepted_by_s3_has_no_errors() {
    let docs = documents(&dir("accepted"));
    assert!(
        docs.len() >= 10,
        "accepted cases expected, found {}",
        docs.len()
    );
    let mut mismatches = Vec::new();
    for path in &docs {
        evidence(path);
        let errs = describe(&run(path), |s| s == Severity::Error);
        if !errs.is_empty() {
            mismatches.push(format!("{}: {errs:#?}", path.display()));
        }
    }
    assert!(
        mismatches.is_empty(),
        "S3 accepts these:\n{}",
        mismatches.join("\n")
    );
}

#[test]
fn rejected_by_s3_reports_its_code() {
    let docs = documents(&dir("rejected"));
    assert!(
        docs.len() >= 10,
        "rejected cases expected, found {}",
        docs.len()
    );
    let mut mismatches = Vec::new();
    for path in &docs {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let code = name.split('.').nth(1).expect("NAME.CODE.ext").to_string();
        let emulator_only = evidence(path) == "emulator";
        let report = run(path);
        let reported = report
            .diagnostics
            .iter()
            .any(|d| d.code == code.as_str() && (emulator_only || d.severity == Severity::Error));
        if !reported {
            let want = if emulator_only {
                "reported"
            } else {
                "an error"
            };
            mismatches.push(format!(
                "{name}: expected {code} {want}, got {:#?}",
                describe(&report, |_| true)
            ));
        }
        let others: Vec<String> = describe(&report, |s| s == Severity::Error)
            .into_iter()
            .filter(|e| !e.starts_with(&format!("{code} ")))
            .collect();
        if !others.is_empty() {
            mismatches.push(format!("{name}: other errors {others:#?}"));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
