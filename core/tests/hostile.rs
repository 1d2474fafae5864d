//! Hostile and huge inputs: each gets a positioned diagnostic, never a panic, a hang or
//! unbounded memory. (Timing here only guards against accidental quadratic behaviour.)

use s3_replication_lint::{check, check_bytes, CheckOptions, Report};
use std::time::{Duration, Instant};

fn run(text: &str) -> Report {
    let t = Instant::now();
    let report = check(text, &CheckOptions::default());
    assert!(
        t.elapsed() < Duration::from_secs(30),
        "took {:?}",
        t.elapsed()
    );
    report
}

fn has(report: &Report, code: &str) -> bool {
    report.diagnostics.iter().any(|d| d.code == code)
}

fn rule(i: usize, id: &str) -> String {
    format!(
        "<Rule><ID>{id}</ID><Priority>{i}</Priority><Filter><Prefix>p{i}/</Prefix></Filter><Status>Enabled</Status>\
         <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>\
         <Destination><Bucket>arn:aws:s3:::dst</Bucket></Destination></Rule>\n"
    )
}

fn doc(rules: &str) -> String {
    format!(
        "<ReplicationConfiguration><Role>arn:aws:iam::111122223333:role/r</Role>\n{rules}</ReplicationConfiguration>"
    )
}

#[test]
fn billion_laughs_and_external_entities_are_refused() {
    let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>
<ReplicationConfiguration><Role>&lol2;</Role></ReplicationConfiguration>"#;
    let r = run(laughs);
    assert!(has(&r, "S3R007"));
    assert_eq!(r.diagnostics[0].range.start.line, 2);
    let xxe = r#"<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><ReplicationConfiguration><Role>&x;</Role></ReplicationConfiguration>"#;
    assert!(has(&run(xxe), "S3R007"));
}

#[test]
fn ten_megabytes_of_xml_is_over_the_limit_but_checked() {
    let mut rules = String::new();
    let mut i = 0;
    while rules.len() < 10 * 1024 * 1024 {
        rules.push_str(&rule(i, &format!("r{i}")));
        i += 1;
    }
    let r = run(&doc(&rules));
    assert!(has(&r, "S3R006"), "size limit reported");
    assert!(r.diagnostics.len() <= s3_replication_lint::MAX_DIAGNOSTICS + 1);
}

#[test]
fn deep_nesting_is_refused() {
    let xml = "<ReplicationConfiguration>".to_string() + &"<a>".repeat(100_000);
    let r = run(&xml);
    assert!(has(&r, "S3R006"));
    let json = "[".repeat(100_000);
    let r = run(&json);
    assert!(has(&r, "S3R006"));
    assert_eq!(r.diagnostics[0].range.start.column, 33);
}

#[test]
fn a_million_attributes() {
    let mut attrs = String::with_capacity(12_000_000);
    for i in 0..1_000_000 {
        attrs.push_str(&format!(" a{i}=\"1\""));
    }
    let r = run(&format!(
        "<ReplicationConfiguration{attrs}></ReplicationConfiguration>"
    ));
    assert!(has(&r, "S3R009"));
    assert!(r.diagnostics.iter().filter(|d| d.code == "S3R009").count() <= 10);
}

#[test]
fn invalid_utf8_nul_and_bom() {
    let mut bytes = doc(&rule(1, "a")).into_bytes();
    bytes.insert(60, 0xff);
    let r = check_bytes(&bytes, &CheckOptions::default());
    assert_eq!(r.diagnostics[0].code, "S3R001");
    assert_eq!(r.diagnostics[0].range.start.offset, 60);

    let r = run(&doc(&rule(1, "a\0b")));
    assert!(has(&r, "S3R001"));

    let with_bom = format!("\u{feff}{}", doc(&rule(1, "a")));
    let r = run(&with_bom);
    assert!(!r.has_errors(), "{:?}", r.diagnostics);
    let json_bom = "\u{feff}{\"Role\": \"arn:aws:iam::111122223333:role/r\", \"Rules\": []}";
    let r = run(json_bom);
    assert!(!has(&r, "S3R001"), "{:?}", r.diagnostics);
}

#[test]
fn huge_values() {
    let r = run(&doc(&rule(1, &"x".repeat(100_000))));
    assert!(r.document.is_some());
    let big = doc(&rule(1, "a")).replace(
        "<Priority>1</Priority>",
        "<Priority>1099511627776</Priority>",
    );
    let r = run(&big);
    assert!(r.document.is_some());
    let huge = doc(&rule(1, "a")).replace(
        "<Priority>1</Priority>",
        "<Priority>99999999999999999999999999</Priority>",
    );
    let r = run(&huge);
    assert!(has(&r, "S3R004"));
}

#[test]
fn ten_thousand_rules() {
    let rules: String = (0..10_000).map(|i| rule(i, &format!("r{i}"))).collect();
    let r = run(&doc(&rules));
    assert_eq!(r.document.as_ref().map(|d| d.rules.len()), Some(10_000));
}

#[test]
fn json_duplicate_keys_everywhere() {
    let mut obj = String::from("{");
    for i in 0..100_000 {
        obj.push_str(&format!("\"Role\": \"r{i}\","));
    }
    obj.push_str("\"Rules\": []}");
    let r = run(&obj);
    assert!(has(&r, "S3R011"));
}

/// Each input gets a positioned diagnostic with a registered code, never a panic: the first
/// finding's code and where it points (1-based line and UTF-16 column).
#[test]
fn garbage_is_reported_not_panicked_on() {
    let samples: &[(&str, &str, (u32, u32))] = &[
        ("", "S3R001", (1, 1)),
        (" ", "S3R001", (1, 2)),
        ("<", "S3R001", (1, 1)),
        ("{", "S3R001", (1, 2)),
        ("[", "S3R001", (1, 2)),
        ("<<>>", "S3R001", (1, 2)),
        ("<a", "S3R001", (1, 1)),
        ("<ReplicationConfiguration", "S3R001", (1, 1)),
        ("{\"Role\"", "S3R001", (1, 8)),
        ("{\"Rules\": [1, \"x\", null, {}]}", "S3R003", (1, 1)),
        (
            "<ReplicationConfiguration><Rule><Filter><And><Not><Or><Tag/></Or></Not></And></Filter></Rule></ReplicationConfiguration>",
            "S3R003",
            (1, 2),
        ),
        ("<![CDATA[x]]>", "S3R001", (1, 1)),
        ("<?xml version='1.0'?>", "S3R001", (1, 22)),
        ("\u{feff}", "S3R001", (1, 2)),
        ("\u{feff}<", "S3R001", (1, 2)),
        ("<a>&#0;</a>", "S3R001", (1, 2)),
        ("<a>&#xD800;</a>", "S3R001", (1, 2)),
        ("<a>&#99999999;</a>", "S3R001", (1, 2)),
        ("{\"a\": \"\\ud800\\u0041\"}", "S3R001", (1, 8)),
        // Found by the `check` fuzz target: two byte order marks, then bytes of a broken char.
        ("\u{feff}\u{feff}\u{6cc}\u{fffd}\u{fffd}n", "S3R001", (1, 2)),
        ("{\"a\": 1e999999}", "S3R003", (1, 1)),
        ("{\"Rules\": {\"x\": 1}}", "S3R003", (1, 1)),
        ("[]", "S3R004", (1, 1)),
        ("null", "S3R001", (1, 1)),
        ("\"x\"", "S3R001", (1, 1)),
    ];
    let mut failures = Vec::new();
    for &(text, code, (line, column)) in samples {
        let r = run(text);
        let first = r.diagnostics.first();
        let got = first.map(|d| (d.code, d.range.start.line, d.range.start.column));
        if got != Some((code, line, column)) {
            failures.push(format!(
                "{text:?}: expected {code} at {line}:{column}, got {got:?}"
            ));
        }
        for d in &r.diagnostics {
            if s3_replication_lint::rules::find(d.code).is_none() || d.range.start.line == 0 {
                failures.push(format!("{text:?}: unregistered or unpositioned {d:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn findings_beyond_the_cap_are_counted_in_one_last_notice() {
    // 600 rules with an invalid `Status`: at least one finding each.
    let rules: String = (0..600)
        .map(|i| {
            rule(i, &format!("r{i}")).replace("<Status>Enabled</Status>", "<Status>On</Status>")
        })
        .collect();
    let r = run(&doc(&rules));
    let max = s3_replication_lint::MAX_DIAGNOSTICS;
    assert_eq!(r.diagnostics.len(), max + 1);
    let last = &r.diagnostics[max];
    assert_eq!(
        (last.code, last.severity),
        ("S3R098", s3_replication_lint::Severity::Info)
    );
    assert!(last
        .message
        .ends_with("more diagnostics were not shown; fix the ones above first."));
    assert!(r.diagnostics[..max].iter().all(|d| d.code != "S3R098"));
}
