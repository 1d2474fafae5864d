//! Snapshots of the three renderers on one small bad document, and a structural check of the
//! SARIF log against what GitHub code scanning requires.
//!
//! The diagnostics are the parser's (stable) plus hand-made ones that exercise related
//! locations, fixes, help, a tab-indented line, a wide character and a multi-line range, so
//! the snapshots change when the renderers change, not when a rule's wording does.

use s3_replication_lint::diagnostic::Diagnostic;
use s3_replication_lint::render::{json, sarif, text};
use s3_replication_lint::rules::registry;
use s3_replication_lint::source::Span;
use s3_replication_lint::{parse, Format, Severity};
use serde_json::Value;

const FILE: &str = "configs/bad replication.xml";

const SOURCE: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<ReplicationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">
  <Role>arn:aws:iam::111122223333:role/replication</Role>
  <Rule>
    <ID>报告</ID><Prefx>reports/</Prefx>
    <Status>Enabled</Status>
\t<Priority>1</Priority>
    <Filter/>
    <Destination>
      <Bucket>arn:aws:s3:::acme-reports</Bucket>
    </Destination>
  </Rule>
</ReplicationConfiguration>
";

fn span_of(needle: &str) -> Span {
    let start = SOURCE.find(needle).expect("needle in SOURCE");
    Span::new(start, start + needle.len())
}

fn diagnostics() -> Vec<Diagnostic> {
    let mut diags = parse(SOURCE, Some(Format::Xml)).diagnostics;
    let rule_name = span_of("<Rule>");
    let rule_name = Span::new(rule_name.start as usize + 1, rule_name.end as usize - 1);
    let filter = span_of("<Filter/>");
    let insert = Span::empty(filter.end as usize);
    diags.push(
        Diagnostic::new(
            "S3R003",
            Severity::Error,
            rule_name,
            "/Rules/0",
            "This V2 rule has no <DeleteMarkerReplication>",
        )
        .with_help("V2 rules (with <Filter>) must say whether delete markers replicate.")
        .with_related(filter, "the <Filter> that makes this rule V2")
        .with_fix(
            "Add <DeleteMarkerReplication> with Status Disabled",
            vec![(
                insert,
                "\n    <DeleteMarkerReplication>\n      <Status>Disabled</Status>\n    </DeleteMarkerReplication>".into(),
            )],
        ),
    );
    diags.push(Diagnostic::new(
        "S3R011",
        Severity::Warning,
        {
            let p = span_of("<Priority>1<");
            Span::new(p.end as usize - 2, p.end as usize - 1)
        },
        "/Rules/0/Priority",
        "A warning on a tab-indented line",
    ));
    diags.push(
        Diagnostic::new(
            "S3R012",
            Severity::Info,
            span_of("<Destination>\n      <Bucket>arn:aws:s3:::acme-reports</Bucket>\n    </Destination>"),
            "/Rules/0/Destination",
            "An info over several lines",
        )
        .with_help("First line of help\nsecond line of help"),
    );
    // Resolve ranges as `check` does.
    let index = s3_replication_lint::source::LineIndex::new(SOURCE);
    for d in &mut diags {
        d.resolve(SOURCE, &index);
    }
    diags
}

#[test]
fn the_parser_reports_the_misspelt_member() {
    let diags = parse(SOURCE, Some(Format::Xml)).diagnostics;
    assert!(diags.iter().any(|d| d.code == "S3R002"), "{diags:#?}");
}

#[test]
fn text_snapshot() {
    insta::assert_snapshot!("text", text::render(SOURCE, FILE, &diagnostics(), false));
}

#[test]
fn text_colour_wraps_in_ansi_and_only_adds_escapes() {
    let plain = text::render(SOURCE, FILE, &diagnostics(), false);
    let colour = text::render(SOURCE, FILE, &diagnostics(), true);
    assert!(
        colour.contains("\x1b[1;31merror[S3R003]\x1b[0m"),
        "{colour}"
    );
    let mut stripped = String::new();
    let mut rest = colour.as_str();
    while let Some(i) = rest.find('\x1b') {
        stripped.push_str(&rest[..i]);
        rest = rest[i..].find('m').map_or("", |j| &rest[i + j + 1..]);
    }
    stripped.push_str(rest);
    assert_eq!(stripped, plain);
}

#[test]
fn json_snapshot() {
    insta::assert_snapshot!("json", json::render(&diagnostics(), FILE));
}

/// The SARIF log without `driver.rules` (the whole registry with docs, which changes with
/// every rule); those are checked structurally below.
#[test]
fn sarif_snapshot() {
    let log = sarif::render(&[(FILE, SOURCE, &diagnostics())]);
    let mut v: Value = serde_json::from_str(&log).expect("SARIF is JSON");
    let rules = v["runs"][0]["tool"]["driver"]["rules"].take();
    assert_eq!(rules.as_array().map(Vec::len), Some(registry().len()));
    v["runs"][0]["tool"]["driver"]["rules"] = Value::String("<registry>".into());
    v["runs"][0]["tool"]["driver"]["version"] = Value::String("<version>".into());
    v["runs"][0]["tool"]["driver"]["semanticVersion"] = Value::String("<version>".into());
    insta::assert_snapshot!(
        "sarif",
        serde_json::to_string_pretty(&v).expect("re-serializes")
    );
}

fn text_of<'a>(v: &'a Value, what: &str) -> &'a str {
    v.as_str()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| panic!("{what} must be a non-empty string, got {v}"))
}

fn positive(v: &Value, what: &str) -> u64 {
    v.as_u64()
        .filter(|n| *n >= 1)
        .unwrap_or_else(|| panic!("{what} must be an integer >= 1, got {v}"))
}

fn check_region(region: &Value, what: &str) {
    let sl = positive(&region["startLine"], &format!("{what}.startLine"));
    let sc = positive(&region["startColumn"], &format!("{what}.startColumn"));
    let el = positive(&region["endLine"], &format!("{what}.endLine"));
    let ec = positive(&region["endColumn"], &format!("{what}.endColumn"));
    assert!(
        el > sl || (el == sl && ec >= sc),
        "{what}: region ends before it starts"
    );
}

/// The fields GitHub code scanning needs (and the SARIF 2.1.0 schema requires) are present
/// and well-typed, and results point at known rules.
#[test]
fn sarif_has_what_github_code_scanning_requires() {
    let other = "{\"Role\": 1}\n";
    let other_diags = parse(other, Some(Format::Json)).diagnostics;
    assert!(!other_diags.is_empty());
    let log = sarif::render(&[
        (FILE, SOURCE, &diagnostics()),
        ("other.json", other, &other_diags),
    ]);
    let v: Value = serde_json::from_str(&log).expect("SARIF is JSON");
    assert_eq!(v["version"], "2.1.0");
    assert!(text_of(&v["$schema"], "$schema").contains("sarif-2.1.0"));
    let runs = v["runs"].as_array().expect("runs is an array");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(
        text_of(&driver["name"], "driver.name"),
        "s3-replication-lint"
    );
    text_of(&driver["version"], "driver.version");
    assert!(text_of(&driver["informationUri"], "driver.informationUri").starts_with("https://"));
    let rules = driver["rules"]
        .as_array()
        .expect("driver.rules is an array");
    let mut ids = std::collections::HashSet::new();
    for (i, rule) in rules.iter().enumerate() {
        let id = text_of(&rule["id"], "rule.id");
        assert!(ids.insert(id.to_string()), "duplicate rule id {id}");
        assert_eq!(id, registry()[i].code);
        text_of(&rule["shortDescription"]["text"], "shortDescription.text");
        text_of(&rule["fullDescription"]["text"], "fullDescription.text");
        text_of(&rule["help"]["text"], "help.text");
        assert!(text_of(&rule["help"]["markdown"], "help.markdown").contains("## Fix"));
        let level = text_of(&rule["defaultConfiguration"]["level"], "level");
        assert!(
            ["error", "warning", "note"].contains(&level),
            "{id}: {level}"
        );
    }
    let results = run["results"].as_array().expect("results is an array");
    assert_eq!(results.len(), diagnostics().len() + other_diags.len());
    let mut uris = Vec::new();
    for r in results {
        let id = text_of(&r["ruleId"], "ruleId");
        if let Some(i) = r["ruleIndex"].as_u64() {
            assert_eq!(rules[i as usize]["id"], id, "ruleIndex points at {id}");
        }
        let level = text_of(&r["level"], "result.level");
        assert!(["error", "warning", "note"].contains(&level));
        text_of(&r["message"]["text"], "message.text");
        let loc = &r["locations"][0]["physicalLocation"];
        uris.push(text_of(&loc["artifactLocation"]["uri"], "uri").to_string());
        check_region(&loc["region"], id);
        for rel in r["relatedLocations"].as_array().into_iter().flatten() {
            check_region(&rel["physicalLocation"]["region"], "related");
            text_of(&rel["message"]["text"], "related.message.text");
        }
    }
    assert!(
        uris.contains(&"configs/bad%20replication.xml".to_string()),
        "{uris:?}"
    );
    assert!(uris.contains(&"other.json".to_string()));
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    fn source() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("\t".to_string()),
            Just("报".to_string()),
            Just("\u{1F680}".to_string()),
            Just("e\u{301}".to_string()),
            Just("\u{0}".to_string()),
            "[ -~]{0,30}",
        ];
        prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

        /// Arbitrary spans (out of range, inside a character, reversed) never panic any
        /// renderer, and SARIF regions stay well-formed.
        #[test]
        fn arbitrary_spans(src in source(), spans in prop::collection::vec((0u32..400, 0u32..400), 1..4)) {
            let diags: Vec<Diagnostic> = spans
                .iter()
                .map(|(a, b)| {
                    Diagnostic::new("S3R001", Severity::Error, Span { start: *a, end: *b }, "", "m")
                        .with_related(Span { start: *b, end: *a }, "r")
                        .with_help("h")
                })
                .collect();
            let out = text::render(&src, "f", &diags, true);
            prop_assert!(out.contains("error[S3R001]"));
            let log = sarif::render(&[("f", &src, &diags)]);
            let v: Value = serde_json::from_str(&log).expect("SARIF is JSON");
            for r in v["runs"][0]["results"].as_array().into_iter().flatten() {
                check_region(&r["locations"][0]["physicalLocation"]["region"], "region");
            }
            let json = json::render(&diags, "f");
            prop_assert!(serde_json::from_str::<Value>(&json).is_ok());
        }
    }
}
