//! The rules reference is generated from the registry and committed as `docs/rules.md`; these
//! tests keep it fresh and keep every rule's docs honest (biome-style tested examples).
//!
//! Regenerate with `UPDATE_DOCS=1 cargo test -p s3-replication-lint --test docs_fresh`.

mod support;

use s3_replication_lint::catalogue::RuleMeta;
use s3_replication_lint::rules::reference::{self, Example, REQUIRED_SECTIONS};
use s3_replication_lint::rules::registry;
use s3_replication_lint::{check, CheckOptions, DeploymentContext, Format};
use std::path::PathBuf;

const REGENERATE: &str = "UPDATE_DOCS=1 cargo test -p s3-replication-lint --test docs_fresh";

/// Codes whose `## Example` cannot be a document run through `check`:
/// - S3R006 (document-limits): the example is a multi-megabyte document.
/// - S3R098 (diagnostics-not-shown): the example is a document with over 500 findings
///   (core/tests/hostile.rs builds one).
/// - S3R099 (internal-error): no input triggers it on purpose; it exists to report our bugs.
/// - S3R105 (too-many-rules): the example is a document with 1,001 rules (fixture: S3R105/).
/// - S3R218 (prefix-too-long): the example is a 1,025-character prefix (fixture: S3R218/).
/// - S3R505 (cross-rule-analysis-limit): the example is a document with ~700 overlapping rules
///   to one bucket; covered by `pair_limit_reports_once` in core/src/rules/cross_rule/tests.rs.
const NOT_RUNNABLE: &[&str] = &["S3R006", "S3R098", "S3R099", "S3R105", "S3R218", "S3R505"];

/// The policy-audit family (S3R7xx): its examples are IAM policy documents, which the policy
/// audit reads beside a configuration; they are not replication configurations for `check`.
fn is_policy_audit(code: &str) -> bool {
    code.starts_with("S3R7")
}

fn reference_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(reference::REFERENCE_PATH)
}

#[test]
fn committed_reference_is_fresh() {
    let generated = reference::reference_markdown();
    support::assert_fresh(&reference_path(), &generated, "UPDATE_DOCS", REGENERATE);
}

#[test]
fn every_rule_documents_the_five_sections_in_order() {
    for rule in registry() {
        let names = reference::section_names(rule.docs);
        let found: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| REQUIRED_SECTIONS.contains(n))
            .collect();
        assert_eq!(
            found, REQUIRED_SECTIONS,
            "{} ({}): docs need the sections {REQUIRED_SECTIONS:?} in this order, found {names:?}",
            rule.code, rule.name
        );
        for section in REQUIRED_SECTIONS {
            let body = reference::section(rule.docs, section).unwrap_or("");
            assert!(!body.is_empty(), "{}: `## {section}` is empty", rule.code);
        }
        let refs = reference::section(rule.docs, "References").unwrap_or("");
        assert!(
            refs.contains("https://"),
            "{}: `## References` has no link",
            rule.code
        );
    }
}

fn format_of(rule: &RuleMeta, example: &Example<'_>) -> Format {
    match example.lang {
        "xml" => Format::Xml,
        "json" => Format::Json,
        other => panic!(
            "{}: example fence must be ```xml or ```json, found ```{other}",
            rule.code
        ),
    }
}

#[test]
fn every_example_triggers_its_rule() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for rule in registry() {
        let examples = reference::examples(rule.docs);
        if NOT_RUNNABLE.contains(&rule.code) || is_policy_audit(rule.code) {
            continue;
        }
        if examples.is_empty() {
            failures.push(format!(
                "{} ({}): `## Example` needs a fenced xml or json block that triggers the rule",
                rule.code, rule.name
            ));
        }
        for example in examples {
            let context = match example.context {
                Some(json) => match DeploymentContext::from_json(json) {
                    Ok(c) => c,
                    Err(e) => {
                        failures.push(format!("{}: bad <!-- context: --> comment: {e}", rule.code));
                        continue;
                    }
                },
                None => DeploymentContext::default(),
            };
            // Templates and modules run through the IaC front ends.
            let iac = match example.lang {
                "yaml" => Some(s3_replication_lint::iac::InputKind::CloudFormation),
                "hcl" => Some(s3_replication_lint::iac::InputKind::Terraform),
                _ => None,
            };
            let codes: Vec<&str> = if let Some(kind) = iac {
                let files = [s3_replication_lint::iac::SourceFile {
                    path: "example".into(),
                    text: example.code.clone(),
                }];
                let report = s3_replication_lint::iac::check_files(&files, Some(kind), &context);
                report
                    .configurations
                    .iter()
                    .flat_map(|c| c.diagnostics.iter())
                    .chain(report.files.iter().flat_map(|f| f.diagnostics.iter()))
                    .map(|d| d.code)
                    .collect()
            } else {
                let options = CheckOptions {
                    format: Some(format_of(rule, &example)),
                    context,
                };
                // Fragments (a bare <Rule>, a rule object) are wrapped into a whole document.
                let report = check(&example.document(), &options);
                report.diagnostics.iter().map(|d| d.code).collect()
            };
            if !codes.contains(&rule.code) {
                failures.push(format!(
                    "{} ({}): its example does not trigger it; got {codes:?}\n{}",
                    rule.code,
                    rule.name,
                    example.document()
                ));
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 0);
}

#[test]
fn skip_list_is_minimal() {
    // A code in NOT_RUNNABLE that gains a runnable example should leave the list.
    for code in NOT_RUNNABLE {
        let rule = registry()
            .iter()
            .find(|r| r.code == *code)
            .unwrap_or_else(|| panic!("{code} is not registered; drop it from NOT_RUNNABLE"));
        assert!(
            reference::examples(rule.docs)
                .iter()
                .all(|e| e.lang != "xml" && e.lang != "json"),
            "{code} now has a runnable example; remove it from NOT_RUNNABLE"
        );
    }
}

/// Codes that are errors about this tool's own limits, not claims about what S3 does.
const TOOL_LIMITS: &[&str] = &["S3R007", "S3R099"];

/// An error is a claim that S3 rejects the document or replication breaks: it needs AWS's
/// documentation or an observed S3 response, and a source to show for it.
#[test]
fn every_error_rests_on_documented_or_observed_evidence() {
    use s3_replication_lint::catalogue::Confidence;
    let mut failures = Vec::new();
    for rule in registry() {
        if rule.severity != s3_replication_lint::Severity::Error || TOOL_LIMITS.contains(&rule.code)
        {
            continue;
        }
        if !matches!(
            rule.confidence,
            Confidence::Observed | Confidence::Documented
        ) {
            failures.push(format!(
                "{} ({}) is an error on {:?} evidence",
                rule.code, rule.name, rule.confidence
            ));
        }
        let refs = reference::section(rule.docs, "References").unwrap_or("");
        if !refs.contains("https://") {
            failures.push(format!("{}: no source under References", rule.code));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Users search for S3's exact words: an observed rule's quoted message is in its docs or in
/// the diagnostics its fixture produces (the snapshot a user would see).
#[test]
fn observed_messages_are_quoted_in_the_docs_or_diagnostics() {
    use s3_replication_lint::catalogue::Confidence;
    let snapshots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut failures = Vec::new();
    for rule in registry() {
        let (Confidence::Observed, Some(error)) = (rule.confidence, rule.s3_error) else {
            continue;
        };
        // `Code: message (note)` -> the message's first words.
        if error.contains("unverified") {
            continue; // the rejection is observed, its wording is not
        }
        let Some((_, message)) = error.split_once(": ") else {
            continue;
        };
        let message: String = message
            .split([' ', '"', '(', ';'])
            .filter(|w| !w.is_empty())
            .take(6)
            .collect::<Vec<_>>()
            .join(" ");
        let words = |t: &str| {
            t.split([' ', '"', '(', ';', '\n', '`'])
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut seen = words(rule.docs).contains(&message);
        for ext in ["xml", "json"] {
            let snap = snapshots.join(format!("rule_fixtures__{}-bad.{ext}.snap", rule.code));
            seen |= std::fs::read_to_string(snap).is_ok_and(|t| words(&t).contains(&message));
        }
        if !seen {
            failures.push(format!(
                "{}: neither docs nor fixture diagnostics quote {message:?}",
                rule.code
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const EVIDENCE_START: &str = "<!-- evidence-table:start (generated: UPDATE_DOCS=1 cargo test -p s3-replication-lint --test docs_fresh) -->";
const EVIDENCE_END: &str = "<!-- evidence-table:end -->";

/// Every rule's severity, confidence and sources, from the registry.
fn evidence_table() -> String {
    let mut out =
        String::from("| code | name | severity | confidence | sources |\n|---|---|---|---|---|\n");
    for rule in registry() {
        let refs = reference::section(rule.docs, "References").unwrap_or("");
        let links: Vec<String> = refs
            .lines()
            .filter_map(|l| l.trim().strip_prefix("- "))
            .filter(|l| l.starts_with("https://"))
            .enumerate()
            .map(|(i, url)| format!("[{}]({url})", i + 1))
            .collect();
        out.push_str(&format!(
            "| {} | {} | {} | {:?} | {} |\n",
            rule.code,
            rule.name,
            rule.severity.as_str(),
            rule.confidence,
            links.join(" ")
        ));
    }
    out
}

/// docs/COVERAGE.md carries the registry's severity, confidence and sources for every rule.
#[test]
fn coverage_evidence_table_is_fresh() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/COVERAGE.md");
    let text = std::fs::read_to_string(&path).expect("docs/COVERAGE.md");
    let table = evidence_table();
    let (Some(a), Some(b)) = (text.find(EVIDENCE_START), text.find(EVIDENCE_END)) else {
        panic!("docs/COVERAGE.md lacks the evidence table markers; add them and run {REGENERATE}");
    };
    let current = &text[a + EVIDENCE_START.len()..b];
    let wanted = format!("\n{table}");
    if current != wanted {
        if std::env::var("UPDATE_DOCS").is_ok_and(|v| !v.is_empty() && v != "0") {
            let updated = format!("{}{EVIDENCE_START}{wanted}{}", &text[..a], &text[b..]);
            std::fs::write(&path, updated).expect("write docs/COVERAGE.md");
        } else {
            panic!("docs/COVERAGE.md's evidence table is stale; run {REGENERATE}");
        }
    }
}
