//! Snapshot tests of `explain` for every document in `tests/fixtures/explain/` (repository
//! root). A document `NN-name.xml|json` may have a deployment context `NN-name.context.json`.

use s3_replication_lint::context::Resolved;
use s3_replication_lint::explain::{explain, explain_text};
use s3_replication_lint::{parse, DeploymentContext};
use std::path::{Path, PathBuf};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/explain");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/explain exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !name.ends_with(".context.json") && (name.ends_with(".xml") || name.ends_with(".json"))
        })
        .collect();
    out.sort();
    out
}

fn context_for(doc: &Path) -> DeploymentContext {
    let stem = doc.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let path = doc.with_file_name(format!("{stem}.context.json"));
    std::fs::read_to_string(path)
        .map(|t| DeploymentContext::from_json(&t).expect("valid context file"))
        .unwrap_or_default()
}

/// What a reader sees: the sentences, then the gaps, then the per-destination data as JSON.
fn render(text: &str, context: &DeploymentContext) -> String {
    let doc = parse(text, None).document.expect("fixture parses");
    let ctx = Resolved::new(context, &doc);
    let e = explain(&doc, &ctx);
    let mut out = String::from("## Summary\n");
    for s in &e.summary {
        out.push_str(&format!("- {s}\n"));
    }
    out.push_str("## Gaps\n");
    for g in &e.gaps {
        out.push_str(&format!("- {g}\n"));
    }
    out.push_str("## Destinations\n");
    out.push_str(&serde_json::to_string_pretty(&e.destinations).expect("serialises"));
    out.push('\n');
    out
}

#[test]
fn every_fixture_kind_is_present() {
    let names: Vec<String> = fixtures()
        .iter()
        .filter_map(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_string))
        .collect();
    for kind in [
        "v1-legacy",
        "whole-bucket",
        "delete-markers",
        "single-tag",
        "and-prefix-tags",
        "multi-destination",
        "overlap-priority",
        "rtc-metrics",
        "metrics-only",
        "sse-kms-same-account",
        "cross-account-owner",
        "cross-account-kms-rtc",
        "replica-modifications",
        "not-prefix",
        "and-not-or",
        "source-mrk",
    ] {
        assert!(
            names.iter().any(|n| n.contains(kind)),
            "no fixture for {kind}"
        );
    }
}

#[test]
fn explain_snapshots() {
    let files = fixtures();
    assert!(
        files.len() >= 16,
        "expected the explain fixtures, found {}",
        files.len()
    );
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable fixture");
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("fixture")
            .to_string();
        let rendered = render(&text, &context_for(&path));
        insta::assert_snapshot!(name, rendered);
    }
}

#[test]
fn every_rule_gets_a_sentence_and_an_edge() {
    for path in fixtures() {
        let text = std::fs::read_to_string(&path).expect("readable fixture");
        let doc = parse(&text, None).document.expect("fixture parses");
        let e = explain(&doc, &Resolved::new(&context_for(&path), &doc));
        // One opening sentence plus one per rule.
        assert_eq!(e.summary.len(), doc.rules.len() + 1, "{}", path.display());
        let edges: usize = e.destinations.iter().map(|d| d.rules.len()).sum();
        assert_eq!(edges, doc.rules.len(), "{}", path.display());
        for d in &e.destinations {
            for edge in &d.rules {
                assert!(e.summary.contains(&edge.sentence), "{}", path.display());
            }
        }
    }
}

fn sentences(doc: &str) -> (Vec<String>, Vec<String>) {
    let e = explain_text(doc, None, &DeploymentContext::default()).expect("parses");
    (e.summary, e.gaps)
}

#[test]
fn context_facts_and_unknown_regions() {
    let doc = r#"{"Role":"arn:aws:iam::111122223333:role/r","Rules":[
        {"ID":"a","Status":"Enabled","Priority":1,"Filter":{"Prefix":"a/"},
         "DeleteMarkerReplication":{"Status":"Disabled"},
         "Destination":{"Bucket":"arn:aws:s3:::dest-one"}}]}"#;
    let (summary, _) = sentences(doc);
    assert!(
        summary[1].contains("`dest-one` (Region unknown)"),
        "{}",
        summary[1]
    );
    let ctx = DeploymentContext::from_json(
        r#"{"destinations":{"dest-one":{"region":"ap-south-1","account":"444455556666"}}}"#,
    )
    .unwrap();
    let e = explain_text(doc, None, &ctx).unwrap();
    assert!(
        e.summary[1].contains("`dest-one` (ap-south-1, account 444455556666)"),
        "{}",
        e.summary[1]
    );
    // The opening sentence uses the account inferred from the Role ARN.
    assert!(
        e.summary[0].contains("account 111122223333"),
        "{}",
        e.summary[0]
    );
}

#[test]
fn gaps_name_uncovered_objects() {
    let doc = r#"{"Role":"arn:aws:iam::111122223333:role/r","Rules":[
        {"ID":"logs","Status":"Enabled","Priority":1,"Filter":{"Prefix":"logs/"},
         "DeleteMarkerReplication":{"Status":"Disabled"},
         "Destination":{"Bucket":"arn:aws:s3:::d"}},
        {"ID":"ledger","Status":"Enabled","Priority":2,
         "Filter":{"And":{"Prefix":"ledger/","Tags":[{"Key":"env","Value":"prod"}]}},
         "DeleteMarkerReplication":{"Status":"Disabled"},
         "Destination":{"Bucket":"arn:aws:s3:::d"}},
        {"ID":"off","Status":"Disabled","Priority":3,"Filter":{"Prefix":"x/"},
         "DeleteMarkerReplication":{"Status":"Disabled"},
         "Destination":{"Bucket":"arn:aws:s3:::d"}}]}"#;
    let (_, gaps) = sentences(doc);
    let has = |s: &str| gaps.iter().any(|g| g.contains(s));
    assert!(
        has("Objects outside `ledger/` and `logs/` are not replicated"),
        "{gaps:#?}"
    );
    assert!(
        has("Objects under `ledger/` without the tag `env=prod`"),
        "{gaps:#?}"
    );
    assert!(has("Rule `off` is disabled"), "{gaps:#?}");
    assert!(
        has("SSE-KMS and DSSE-KMS encrypted objects are not replicated"),
        "{gaps:#?}"
    );

    // A whole-bucket rule leaves no key gap, and a tag gap that another rule fills is not one.
    let doc = r#"{"Role":"arn:aws:iam::111122223333:role/r","Rules":[
        {"ID":"all","Status":"Enabled","Priority":1,"Filter":{},
         "DeleteMarkerReplication":{"Status":"Disabled"},
         "SourceSelectionCriteria":{"SseKmsEncryptedObjects":{"Status":"Enabled"}},
         "Destination":{"Bucket":"arn:aws:s3:::d","EncryptionConfiguration":{"ReplicaKmsKeyID":"arn:aws:kms:us-east-1:111122223333:key/k"}}},
        {"ID":"tagged","Status":"Enabled","Priority":2,"Filter":{"Tag":{"Key":"k","Value":"v"}},
         "DeleteMarkerReplication":{"Status":"Disabled"},
         "SourceSelectionCriteria":{"SseKmsEncryptedObjects":{"Status":"Enabled"}},
         "Destination":{"Bucket":"arn:aws:s3:::e","EncryptionConfiguration":{"ReplicaKmsKeyID":"arn:aws:kms:us-east-1:111122223333:key/k"}}}]}"#;
    let (_, gaps) = sentences(doc);
    assert!(
        gaps.iter().all(|g| !g.contains("not replicated")),
        "{gaps:#?}"
    );
}

#[test]
fn shadowed_rules_never_apply() {
    let doc = r#"{"Role":"arn:aws:iam::111122223333:role/r","Rules":[
        {"ID":"narrow","Status":"Enabled","Priority":1,"Filter":{"Prefix":"a/b/"},
         "DeleteMarkerReplication":{"Status":"Disabled"},
         "Destination":{"Bucket":"arn:aws:s3:::d"}},
        {"ID":"wide","Status":"Enabled","Priority":2,"Filter":{"Prefix":"a/"},
         "DeleteMarkerReplication":{"Status":"Disabled"},
         "Destination":{"Bucket":"arn:aws:s3:::d"}},
        {"ID":"elsewhere","Status":"Enabled","Priority":3,"Filter":{"Prefix":"a/b/"},
         "DeleteMarkerReplication":{"Status":"Disabled"},
         "Destination":{"Bucket":"arn:aws:s3:::other"}}]}"#;
    let e = explain_text(doc, None, &DeploymentContext::default()).unwrap();
    let d = &e.destinations[0];
    assert_eq!(d.name, "d");
    // Highest priority first.
    assert_eq!(d.rules[0].id.as_deref(), Some("wide"));
    assert_eq!(d.rules[1].shadowed_by, Some(1));
    assert!(
        d.rules[1].sentence.contains("never applies"),
        "{}",
        d.rules[1].sentence
    );
    // A rule to another bucket is never shadowed by rules to this one.
    assert_eq!(e.destinations[1].rules[0].shadowed_by, None);

    // Opting in KMS objects escapes the shadow: the narrow rule still applies to them.
    let doc = doc.replacen(
        r#""Filter":{"Prefix":"a/b/"},"#,
        r#""Filter":{"Prefix":"a/b/"},"SourceSelectionCriteria":{"SseKmsEncryptedObjects":{"Status":"Enabled"}},"#,
        1,
    );
    let e = explain_text(&doc, None, &DeploymentContext::default()).unwrap();
    assert_eq!(e.destinations[0].rules[1].shadowed_by, None);
    assert_eq!(e.destinations[0].rules[1].overlapped_by, vec![1]);
}

#[test]
fn unreadable_rules_do_not_break_the_explanation() {
    let docs = [
        r#"{"Role":"r","Rules":[{"ID":"x","Status":"Enabled","Destination":{"Bucket":"b"}}]}"#,
        r#"{"Role":"r","Rules":[{"ID":"x","Status":"Enabled","Priority":1,"Filter":{"Prefix":"a","Tag":{"Key":"k","Value":"v"}},"Destination":{"Bucket":"b"}}]}"#,
        r#"{"Role":"r","Rules":[{"ID":"x","Status":"Enabled","Priority":1,"Filter":{}}]}"#,
        r#"{"Role":"r","Rules":[]}"#,
        r#"{"Rules":[{"Status":"Enabled","Prefix":"","Destination":{"Bucket":""}}]}"#,
    ];
    for doc in docs {
        let e = explain_text(doc, None, &DeploymentContext::default()).expect("parses");
        assert!(!e.summary.is_empty());
    }
    let (summary, gaps) = sentences(docs[0]);
    assert!(summary[1].contains("cannot be interpreted"), "{summary:#?}");
    assert!(
        gaps.iter().any(|g| g.contains("No rule is enabled")),
        "{gaps:#?}"
    );
}

#[test]
fn large_configurations_stay_grouped() {
    // 1000 rules over 20 buckets: one group per bucket, every rule an edge, in priority order.
    let mut rules = Vec::new();
    for i in 0..1000 {
        rules.push(format!(
            r#"{{"ID":"r{i}","Status":"Enabled","Priority":{i},"Filter":{{"And":{{"Prefix":"p{}/","Tags":[{{"Key":"k","Value":"v{}"}}],"Not":{{"Prefix":"p{}/tmp/"}}}}}},"DeleteMarkerReplication":{{"Status":"Disabled"}},"Destination":{{"Bucket":"arn:aws:s3:::dest-{}"}}}}"#,
            i % 50,
            i % 7,
            i % 50,
            i % 20
        ));
    }
    let doc = format!(
        r#"{{"Role":"arn:aws:iam::111122223333:role/r","Rules":[{}]}}"#,
        rules.join(",")
    );
    let e = explain_text(&doc, None, &DeploymentContext::default()).expect("parses");
    assert_eq!(e.destinations.len(), 20);
    for d in &e.destinations {
        assert_eq!(d.rules.len(), 50);
        assert!(d.rules.windows(2).all(|w| w[0].priority > w[1].priority));
    }
    assert_eq!(e.summary.len(), 1001);
}
