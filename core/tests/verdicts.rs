//! The verdicts of the research examples, reproduced with our own documents:
//! - `tests/fixtures/explain/NN-*` (examples 01-16) are configurations S3 accepts and that
//!   work: no diagnostic of severity error;
//! - `tests/fixtures/verdicts/NN-name.CODE.(xml|json)` (examples 20-32) are rejected by S3,
//!   or accepted but fail at run time: `CODE` must be reported as an error, and it must be
//!   the only error (each document breaks exactly one S3 rule).
//!
//! An optional `<stem>.context.json` beside a document is its deployment context.

mod document_fixtures;

use document_fixtures::{documents, run};
use s3_replication_lint::{Report, Severity};
use std::path::{Path, PathBuf};

fn dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(name)
}

fn errors(report: &Report) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            format!(
                "{} {}:{} {}",
                d.code, d.range.start.line, d.range.start.column, d.message
            )
        })
        .collect()
}

#[test]
fn accepted_examples_have_no_errors() {
    let docs = documents(&dir("explain"));
    assert!(
        docs.len() >= 16,
        "examples 01-16 expected, found {}",
        docs.len()
    );
    for path in docs {
        let report = run(&path);
        let errs = errors(&report);
        assert!(errs.is_empty(), "{}: {errs:#?}", path.display());
    }
}

#[test]
fn rejected_and_failing_examples_report_their_error() {
    let docs = documents(&dir("verdicts"));
    assert!(
        docs.len() >= 13,
        "examples 20-32 expected, found {}",
        docs.len()
    );
    for path in docs {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let code = name.split('.').nth(1).expect("NN-name.CODE.ext");
        let report = run(&path);
        let errs = errors(&report);
        assert!(
            errs.iter().any(|e| e.starts_with(code)),
            "{name}: expected error {code}, got {errs:#?}"
        );
        // Nothing else may be an error: each document breaks exactly one S3 rule.
        let others: Vec<&String> = errs.iter().filter(|e| !e.starts_with(code)).collect();
        assert!(others.is_empty(), "{name}: unexpected errors {others:#?}");
    }
}
