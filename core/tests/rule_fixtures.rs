//! Every rule code has a fixture directory `tests/fixtures/rules/<CODE>/` at the repository
//! root: `bad*.xml|json` must trigger the code (and is snapshotted as a user would see it),
//! `ok*.xml|json` is a near miss that must not, `context.json` is an optional deployment
//! context used for both. `context.<stem>.json` (e.g. `context.ok.json` for `ok.json`) replaces
//! it for that one document, for checks whose near miss lies in the context, not the document.

use s3_replication_lint::{check, render, rules, CheckOptions, DeploymentContext};
use std::path::{Path, PathBuf};

/// Codes that no committed fixture can trigger, with the test that covers them instead.
const NO_FIXTURE: &[(&str, &str)] = &[
    (
        "S3R006",
        "core/tests/hostile.rs builds documents over the limits in memory",
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

#[test]
fn fixtures_trigger_their_code_and_near_misses_do_not() {
    let root = fixtures_root();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixtures dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut failures = Vec::new();
    for dir in dirs {
        let code = dir.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            rules::find(&code).is_some(),
            "fixture directory {code} names no registered rule"
        );
        for bad in documents(&dir, "bad") {
            let text = std::fs::read_to_string(&bad).unwrap();
            let report = check(&text, &options(&dir, &bad));
            let file = bad.file_name().unwrap().to_string_lossy().to_string();
            if !report.diagnostics.iter().any(|d| d.code == code) {
                failures.push(format!(
                    "{code}/{file}: expected {code}, got {:?}",
                    codes(&report)
                ));
            }
            let rendered =
                render::text::render(&text, &format!("{code}/{file}"), &report.diagnostics, false);
            insta::assert_snapshot!(format!("{code}-{file}"), rendered);
        }
        for ok in documents(&dir, "ok") {
            let text = std::fs::read_to_string(&ok).unwrap();
            let report = check(&text, &options(&dir, &ok));
            if report.diagnostics.iter().any(|d| d.code == code) {
                let file = ok.file_name().unwrap().to_string_lossy().to_string();
                failures.push(format!(
                    "{code}/{file}: near miss triggered {code}: {:?}",
                    codes(&report)
                ));
            }
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
