//! Every rule code has a fixture directory `tests/fixtures/rules/<CODE>/` at the repository
//! root: `bad*.xml|json` must trigger the code (and is snapshotted as a user would see it),
//! `ok*.xml|json` is a near miss that must not, `context.json` is an optional deployment
//! context used for both. `context.<stem>.json` (e.g. `context.ok.json` for `ok.json`) replaces
//! it for that one document, for checks whose near miss lies in the context, not the document.
//! Snapshots: `core/tests/snapshots/rule_fixtures__<CODE>-<file>.snap`.

use s3_replication_lint::{check, render, rules, CheckOptions, DeploymentContext};
use std::path::{Path, PathBuf};

/// Codes that no committed fixture can trigger, with the test that covers them instead.
const NO_FIXTURE: &[(&str, &str)] = &[
    (
        "S3R006",
        "core/tests/hostile.rs builds documents over the limits in memory",
    ),
    (
        "S3R098",
        "core/tests/hostile.rs builds a document with more findings than are shown",
    ),
    (
        "S3R099",
        "core/tests/hostile.rs: internal errors are not reproducible on purpose",
    ),
    (
        "S3R013",
        "core/tests/iac.rs: templates and modules, not API documents",
    ),
    (
        "S3R014",
        "core/tests/iac.rs: templates and modules, not API documents",
    ),
    (
        "S3R015",
        "core/tests/iac.rs: templates and modules, not API documents",
    ),
    (
        "S3R505",
        "core/src/rules/cross_rule/tests.rs builds a 700-rule document in memory",
    ),
];

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/rules")
}

fn documents(dir: &Path, stem: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    out.retain(|p| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        name.starts_with(stem) && (name.ends_with(".xml") || name.ends_with(".json"))
    });
    out.sort();
    out
}

fn options(dir: &Path, document: &Path) -> CheckOptions {
    let stem = document
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let own = dir.join(format!("context.{stem}.json"));
    let path = if own.is_file() {
        own
    } else {
        dir.join("context.json")
    };
    let context = std::fs::read_to_string(path)
        .map(|t| DeploymentContext::from_json(&t).expect("valid context.json"))
        .unwrap_or_default();
    CheckOptions {
        format: None,
        context,
    }
}

#[test]
fn every_rule_has_a_fixture() {
    let root = fixtures_root();
    let missing: Vec<&str> = rules::registry()
        .iter()
        .map(|r| r.code)
        .filter(|c| !NO_FIXTURE.iter().any(|(n, _)| n == c))
        // Policy-audit codes run on policy text: tests/golden/policies/audit/ holds their
        // fixtures and core/tests/policies.rs checks that each code has one.
        .filter(|c| !c.starts_with("S3R7"))
        .filter(|c| {
            documents(&root.join(c), "bad").is_empty() || documents(&root.join(c), "ok").is_empty()
        })
        .collect();
    assert!(
        missing.is_empty(),
        "codes without bad+ok fixtures: {missing:?}"
    );
}

/// One test per code, named by it: `cargo test -p s3-replication-lint --test rule_fixtures
/// S3R214` runs that rule's fixtures, and a failing code does not hide the others. A test
/// below checks that this list is exactly the fixture directories.
macro_rules! fixture_tests {
    ($($code:ident)*) => {
        $(
            #[test]
            #[allow(non_snake_case)]
            fn $code() {
                fixture(stringify!($code));
            }
        )*
        const WITH_FIXTURES: &[&str] = &[$(stringify!($code)),*];
    };
}

fixture_tests! {
    S3R001 S3R002 S3R003 S3R004 S3R005 S3R007 S3R008 S3R009 S3R010 S3R011 S3R012 S3R100 S3R101
    S3R102 S3R103 S3R104 S3R105 S3R200 S3R201 S3R202 S3R203 S3R204 S3R205 S3R206 S3R207 S3R208
    S3R209 S3R210 S3R211 S3R212 S3R213 S3R214 S3R215 S3R216 S3R217 S3R218 S3R219 S3R220 S3R221
    S3R222 S3R223 S3R224 S3R225 S3R226 S3R227 S3R228 S3R229 S3R230 S3R231 S3R232 S3R233 S3R234
    S3R235 S3R300 S3R301 S3R302 S3R303 S3R304 S3R306 S3R307 S3R308 S3R309 S3R310 S3R311 S3R312
    S3R313 S3R314 S3R315 S3R316 S3R317 S3R318 S3R319 S3R320 S3R321 S3R322 S3R400 S3R401 S3R402
    S3R403 S3R404 S3R405 S3R406 S3R407 S3R408 S3R409 S3R410 S3R411 S3R412 S3R413 S3R414 S3R415
    S3R500 S3R501 S3R502 S3R503 S3R504 S3R600 S3R601 S3R602 S3R603 S3R604 S3R605
}

#[test]
fn every_fixture_directory_has_its_test() {
    let mut dirs: Vec<String> = std::fs::read_dir(fixtures_root())
        .expect("fixtures dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    for dir in &dirs {
        assert!(
            rules::find(dir).is_some(),
            "fixture directory {dir} names no registered code"
        );
    }
    assert_eq!(
        dirs, WITH_FIXTURES,
        "add the new directory's code to fixture_tests! (or remove the stale one)"
    );
}

/// `bad*` documents must report `code` (each is snapshotted as a user would see it); `ok*`
/// near misses must not. Every document is checked before the first failure is reported.
fn fixture(code: &str) {
    let dir = fixtures_root().join(code);
    let mut failures = Vec::new();
    for bad in documents(&dir, "bad") {
        let text = std::fs::read_to_string(&bad).expect("readable fixture");
        let report = check(&text, &options(&dir, &bad));
        let file = bad
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        if !report.diagnostics.iter().any(|d| d.code == code) {
            failures.push(format!(
                "{code}/{file}: expected {code}, got {:?}",
                codes(&report)
            ));
        }
        let rendered =
            render::text::render(&text, &format!("{code}/{file}"), &report.diagnostics, false);
        let snapshot = std::panic::catch_unwind(|| {
            insta::assert_snapshot!(format!("{code}-{file}"), rendered);
        });
        if snapshot.is_err() {
            failures.push(format!("{code}/{file}: snapshot differs (see above)"));
        }
    }
    for ok in documents(&dir, "ok") {
        let text = std::fs::read_to_string(&ok).expect("readable fixture");
        let report = check(&text, &options(&dir, &ok));
        if report.diagnostics.iter().any(|d| d.code == code) {
            let file = ok
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            failures.push(format!(
                "{code}/{file}: near miss triggered {code}: {:?}",
                codes(&report)
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

fn codes(report: &s3_replication_lint::Report) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {}:{} {}",
                d.code, d.range.start.line, d.range.start.column, d.message
            )
        })
        .collect()
}
