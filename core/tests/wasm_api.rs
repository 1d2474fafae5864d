//! Round trips through the JavaScript API (`src/wasm.rs`), compiled to wasm32 and run by
//! wasm-bindgen-test-runner: in Node by default, in headless Chromium with
//! `WASM_BINDGEN_USE_BROWSER=1` (both from `make test`):
//!
//! `cargo test -p s3-replication-lint --features wasm --target wasm32-unknown-unknown --test wasm_api`
#![cfg(all(target_arch = "wasm32", feature = "wasm"))]

use s3_replication_lint::wasm;
use serde_json::Value;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

const VALID_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ReplicationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Role>arn:aws:iam::123456789012:role/service-role/replicate-photos</Role>
  <Rule>
    <ID>photos-to-dr</ID>
    <Status>Enabled</Status>
    <Priority>1</Priority>
    <Filter><Prefix>photos/</Prefix></Filter>
    <DeleteMarkerReplication><Status>Enabled</Status></DeleteMarkerReplication>
    <Destination>
      <Bucket>arn:aws:s3:::photos-dr-replica</Bucket>
    </Destination>
  </Rule>
</ReplicationConfiguration>
"#;

const CONTEXT: &str = r#"{"sourceBucket":"photos-primary","sourceRegion":"us-east-1",
  "destinations":{"photos-dr-replica":{"region":"us-west-2"}}}"#;

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("the API returns JSON")
}

fn ok(result: Result<String, wasm_bindgen::JsError>) -> Value {
    match result {
        Ok(text) => json(&text),
        Err(e) => panic!("unexpected error: {:?}", JsValue::from(e)),
    }
}

fn err(result: Result<String, wasm_bindgen::JsError>) -> String {
    match result {
        Ok(text) => panic!("expected an error, got {text}"),
        Err(e) => format!("{:?}", JsValue::from(e)),
    }
}

fn errors(diagnostics: &Value) -> Vec<&Value> {
    diagnostics
        .as_array()
        .expect("diagnostics is an array")
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect()
}

/// Every range must agree with the text: byte offsets on char boundaries, lines counted
/// from 1, columns in UTF-16 code units from 1.
fn assert_positions(text: &str, diagnostics: &Value) {
    for d in diagnostics.as_array().expect("array") {
        for end in ["start", "end"] {
            let p = &d["range"][end];
            let offset = p["offset"].as_u64().expect("offset") as usize;
            assert!(text.is_char_boundary(offset), "{d}");
            let before = &text[..offset];
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            assert_eq!(
                p["line"].as_u64(),
                Some(before.matches('\n').count() as u64 + 1),
                "{d}"
            );
            let column = text[line_start..offset].encode_utf16().count() as u64 + 1;
            assert_eq!(p["column"].as_u64(), Some(column), "{d}");
        }
    }
}

/// `check`'s lean diagnostics: byte spans on char boundaries, in order, within the text (the
/// npm package test proves the line and column the wrapper derives from them equal the
/// core's), and help texts named by an index into `helps`.
fn assert_spans(text: &str, result: &Value) {
    let helps = result["helps"].as_array().map_or(0, Vec::len);
    for d in result["diagnostics"].as_array().expect("array") {
        let span = d["span"].as_array().expect("span");
        let (start, end) = (
            span[0].as_u64().expect("start") as usize,
            span[1].as_u64().expect("end") as usize,
        );
        assert!(start <= end && end <= text.len(), "{d}");
        assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "{d}"
        );
        assert!(d.get("range").is_none(), "{d}");
        if let Some(h) = d.get("help") {
            assert!(h.as_u64().is_some_and(|h| (h as usize) < helps), "{d}");
        }
    }
}

#[wasm_bindgen_test]
fn check_valid_document() {
    let r = ok(wasm::check(
        VALID_XML.as_bytes(),
        None,
        Some(CONTEXT.into()),
        false,
        None,
        None,
    ));
    assert_eq!(r["format"], "xml");
    assert!(errors(&r["diagnostics"]).is_empty(), "{}", r["diagnostics"]);
    assert!(r.get("policies").is_none());
    assert_spans(VALID_XML, &r);
}

#[wasm_bindgen_test]
fn check_reports_positions_in_utf16() {
    // The emoji is 4 bytes and 2 UTF-16 units: the lean result carries byte offsets only; the
    // rendered JSON (the full form) places the unknown element by UTF-16 column.
    let text = "<ReplicationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\n  <Role>arn:aws:iam::123456789012:role/\u{1F600}</Role><Bogus/>\n</ReplicationConfiguration>";
    let r = ok(wasm::check(
        text.as_bytes(),
        Some("xml".into()),
        None,
        false,
        None,
        None,
    ));
    let diagnostics = &r["diagnostics"];
    assert!(!errors(diagnostics).is_empty(), "{diagnostics}");
    assert_spans(text, &r);
    let bogus = diagnostics
        .as_array()
        .expect("array")
        .iter()
        .find(|d| d["message"].as_str().is_some_and(|m| m.contains("Bogus")))
        .expect("a diagnostic names the unknown element");
    let start = bogus["span"][0].as_u64().expect("start") as usize;
    assert!(text[start..].starts_with("<Bogus") || text[start..].starts_with("Bogus"));
    let full = ok(wasm::check(
        text.as_bytes(),
        Some("xml".into()),
        None,
        false,
        Some("json".into()),
        None,
    ));
    let listed = json(full["rendered"].as_str().expect("rendered"));
    assert_positions(text, &listed);
    assert!(listed
        .as_array()
        .expect("array")
        .iter()
        .any(
            |d| d["message"].as_str().is_some_and(|m| m.contains("Bogus"))
                && d["range"]["start"]["line"] == 2
        ));
}

#[wasm_bindgen_test]
fn check_with_policies_and_json_input() {
    let converted = ok(wasm::convert(VALID_XML, "json"));
    let json_text = converted["result"].as_str().expect("converted text");
    let r = ok(wasm::check(
        json_text.as_bytes(),
        Some("auto".into()),
        Some(CONTEXT.into()),
        true,
        None,
        None,
    ));
    assert_eq!(r["format"], "json");
    assert!(errors(&r["diagnostics"]).is_empty(), "{}", r["diagnostics"]);
    let kinds: Vec<&str> = r["policies"]["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .filter_map(|d| d["kind"].as_str())
        .collect();
    assert!(
        kinds.contains(&"role-permissions") && kinds.contains(&"trust"),
        "{kinds:?}"
    );
}

#[wasm_bindgen_test]
fn bad_arguments_are_errors_naming_the_field() {
    assert!(err(wasm::check(
        VALID_XML.as_bytes(),
        Some("yaml".into()),
        None,
        false,
        None,
        None
    ))
    .contains("yaml"));
    let e = err(wasm::check(
        VALID_XML.as_bytes(),
        None,
        Some(r#"{"sourceRegoin":"x"}"#.into()),
        false,
        None,
        None,
    ));
    assert!(e.contains("sourceRegoin"), "{e}");
    assert!(err(wasm::convert(VALID_XML, "yaml")).contains("yaml"));
    assert!(err(wasm::check(
        VALID_XML.as_bytes(),
        None,
        None,
        false,
        Some("html".into()),
        None
    ))
    .contains("html"));
}

#[wasm_bindgen_test]
fn convert_round_trips_and_refuses_broken_input() {
    let json_text = ok(wasm::convert(VALID_XML, "json"))["result"]
        .as_str()
        .expect("json")
        .to_string();
    let xml = ok(wasm::convert(&json_text, "xml"))["result"]
        .as_str()
        .expect("xml")
        .to_string();
    let again = ok(wasm::convert(&xml, "json"))["result"]
        .as_str()
        .expect("json again")
        .to_string();
    assert_eq!(json(&json_text), json(&again));
    let broken = ok(wasm::convert("<ReplicationConfiguration><Rule>", "json"));
    assert!(broken.get("result").is_none());
    assert!(!errors(&broken["diagnostics"]).is_empty());
}

#[wasm_bindgen_test]
fn generate_and_audit_policies() {
    let set = ok(wasm::generate_policies(VALID_XML, Some(CONTEXT.into())));
    let documents = set["result"]["documents"].as_array().expect("documents");
    assert!(!documents.is_empty());
    for d in documents {
        assert_eq!(d["policy"]["Version"], "2012-10-17", "{d}");
        assert!(
            d.get("text").is_none() && d.get("statements").is_none(),
            "{d}"
        );
        let statements = d["policy"]["Statement"].as_array().map_or(0, Vec::len);
        assert_eq!(
            d["reasons"].as_array().map(Vec::len),
            Some(statements),
            "{d}"
        );
    }
    let role = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
      "Action":["s3:GetReplicationConfiguration","s3:ListBucket"],
      "Resource":"arn:aws:s3:::photos-primary"}]}"#;
    let audit = ok(wasm::audit_policies(
        VALID_XML,
        Some(role.into()),
        None,
        Vec::new(),
        None,
        Some(CONTEXT.into()),
        None,
        Vec::new(),
    ));
    let found = audit["result"].as_array().expect("audit diagnostics");
    assert!(
        !found.is_empty(),
        "the role lacks the object and replicate actions"
    );
    assert!(found
        .iter()
        .all(|d| d["path"].as_str().is_some_and(|p| p.starts_with("/role"))));
    assert_positions(role, &audit["result"]);
    let unreadable = ok(wasm::generate_policies("not a document", None));
    assert!(unreadable.get("result").is_none());
}

#[wasm_bindgen_test]
fn rules_and_version() {
    let rules = ok(wasm::rules());
    let rules = rules.as_array().expect("rules");
    assert!(rules.len() > 5);
    let mut codes: Vec<&str> = rules.iter().filter_map(|r| r["code"].as_str()).collect();
    assert!(codes.iter().all(|c| c.len() == 6 && c.starts_with("S3R")));
    assert!(rules
        .iter()
        .all(|r| r["docs"].as_str().is_some_and(|d| !d.is_empty())));
    let n = codes.len();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), n, "codes are unique");
    assert_eq!(wasm::version(), env!("CARGO_PKG_VERSION"));
}

#[wasm_bindgen_test]
fn check_renders_in_the_same_call() {
    let broken = "<ReplicationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\n  <Role>arn:aws:iam::123456789012:role/r</Role>\n  <Rul/>\n</ReplicationConfiguration>\n";
    let render = |output: &str| {
        ok(wasm::check(
            broken.as_bytes(),
            None,
            None,
            false,
            Some(output.into()),
            Some("bad.xml".into()),
        ))
    };
    let r = render("text");
    let text = r["rendered"].as_str().expect("rendered text");
    assert!(text.contains("bad.xml:3:"), "{text}");
    assert!(text.contains('^'), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour unless asked");
    assert!(
        text.lines()
            .last()
            .is_some_and(|l| l.starts_with("bad.xml: ")),
        "{text}"
    );
    assert!(render("text-color")["rendered"]
        .as_str()
        .is_some_and(|t| t.contains('\u{1b}')));
    let listed = json(render("json")["rendered"].as_str().expect("json"));
    assert_eq!(listed[0]["file"], "bad.xml");
    assert_positions(broken, &listed);
    assert_eq!(
        listed.as_array().map(Vec::len),
        r["diagnostics"].as_array().map(Vec::len)
    );
    let sarif = json(render("sarif")["rendered"].as_str().expect("sarif"));
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(
        results.len(),
        r["diagnostics"].as_array().map_or(0, Vec::len)
    );
    assert!(results
        .iter()
        .any(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"] == 3));
    let two = ok(wasm::check_documents(
        vec!["a.xml".into(), "b.xml".into()],
        vec![broken.into(), VALID_XML.into()],
        None,
        None,
        "text",
    ));
    assert_eq!(two["errors"], true);
    assert!(two["rendered"]
        .as_str()
        .is_some_and(|t| t.contains("a.xml:3:") && t.ends_with("\n") && t.contains("2 files: ")));
    let frames = wasm::render_unreadable("<ReplicationConfiguration><Rule>", "x.xml", false, None)
        .unwrap_or_else(|e| panic!("{:?}", JsValue::from(e)));
    assert!(frames.contains("x.xml:1:"), "{frames}");
}

const TWO_RULES: &str = r#"<ReplicationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Role>arn:aws:iam::123456789012:role/service-role/replicate-photos</Role>
  <Rule>
    <ID>everything</ID>
    <Status>Enabled</Status>
    <Priority>1</Priority>
    <Filter/>
    <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
    <Destination><Bucket>arn:aws:s3:::photos-dr-replica</Bucket></Destination>
  </Rule>
  <Rule>
    <ID>prod-photos</ID>
    <Status>Enabled</Status>
    <Priority>2</Priority>
    <Filter><And><Prefix>photos/</Prefix><Tag><Key>env</Key><Value>prod</Value></Tag></And></Filter>
    <SourceSelectionCriteria><SseKmsEncryptedObjects><Status>Enabled</Status></SseKmsEncryptedObjects></SourceSelectionCriteria>
    <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
    <Destination>
      <Bucket>arn:aws:s3:::photos-dr-replica</Bucket>
      <StorageClass>GLACIER_IR</StorageClass>
      <EncryptionConfiguration><ReplicaKmsKeyID>arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab</ReplicaKmsKeyID></EncryptionConfiguration>
    </Destination>
  </Rule>
</ReplicationConfiguration>
"#;

fn simulate(key: &str, tags: &[&str], encryption: &str) -> Value {
    ok(wasm::simulate(
        TWO_RULES,
        key.to_string(),
        tags.iter().map(|t| t.to_string()).collect(),
        encryption,
        false,
        false,
        Some(CONTEXT.into()),
        None,
    ))
}

#[wasm_bindgen_test]
fn simulate_resolves_priority_and_reports_every_rule() {
    // A tagged SSE-S3 object under photos/: both rules select it, priority 2 governs.
    let r = simulate("photos/cat.jpg", &["env", "prod", "team", "a"], "SSE-S3");
    let sim = &r["result"];
    let dest = &sim["destinations"][0];
    assert_eq!(dest["name"], "photos-dr-replica", "{sim}");
    assert_eq!(dest["replicated"], true, "{sim}");
    assert_eq!(dest["rule"], "prod-photos");
    assert_eq!(dest["priority"], 2);
    assert_eq!(dest["storageClass"], "GLACIER_IR");
    assert_eq!(dest["region"]["value"], "us-west-2");
    assert_eq!(dest["region"]["source"], "context");
    assert_eq!(dest["alsoMatched"][0]["id"], "everything", "{sim}");
    assert_eq!(dest["alsoMatched"][0]["reason"], "lowerPriority");
    let rules = sim["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[1]["reason"], "replicates");
    assert!(rules.iter().all(|r| r["matched"] == true), "{sim}");

    // As SSE-KMS: only the rule that opts KMS objects in selects it; the replica key applies.
    let sim = simulate("photos/cat.jpg", &["env", "prod"], "SSE-KMS")["result"].clone();
    assert_eq!(sim["destinations"][0]["rule"], "prod-photos", "{sim}");
    assert!(sim["destinations"][0]["replicaKmsKeyId"]
        .as_str()
        .is_some_and(|k| k.ends_with("1234567890ab")));
    assert_eq!(sim["rules"][0]["reason"], "kmsNotSelected");

    // Without the tag the tag rule does not match (and says why); the catch-all governs but
    // skips the SSE-KMS object, which it does not opt in.
    let sim = simulate("photos/cat.jpg", &["env", "dev"], "SSE-KMS")["result"].clone();
    assert_eq!(sim["rules"][1]["matched"], false);
    assert_eq!(sim["rules"][1]["reason"], "tagMismatch");
    assert_eq!(sim["rules"][0]["reason"], "kmsNotSelected");
    assert_eq!(sim["destinations"][0]["replicated"], false);

    // An unencrypted object outside photos/: only the catch-all, in the source's class.
    let sim = simulate("docs/a.txt", &[], "none")["result"].clone();
    assert_eq!(sim["destinations"][0]["rule"], "everything");
    assert_eq!(sim["destinations"][0]["replicated"], true);
    assert_eq!(sim["rules"][1]["reason"], "prefixMismatch");
}

#[wasm_bindgen_test]
fn simulate_delete_markers_and_replicas() {
    let sim = ok(wasm::simulate(
        TWO_RULES,
        "photos/cat.jpg".into(),
        Vec::new(),
        "none",
        true,
        false,
        None,
        None,
    ))["result"]
        .clone();
    assert_eq!(sim["destinations"][0]["replicated"], false, "{sim}");
    assert_eq!(sim["rules"][0]["reason"], "deleteMarkerNotReplicated");
    let sim = ok(wasm::simulate(
        TWO_RULES,
        "x".into(),
        Vec::new(),
        "SSE-S3",
        false,
        true,
        None,
        None,
    ))["result"]
        .clone();
    assert_eq!(sim["destinations"][0]["replicated"], false, "{sim}");
    assert_eq!(sim["rules"][0]["reason"], "replicaNotReplicated");
    assert!(!sim["notes"].as_array().expect("notes").is_empty());
}

#[wasm_bindgen_test]
fn simulate_rejects_bad_objects_and_unreadable_documents() {
    let call = |tags: Vec<String>, encryption: &str, context: Option<String>| {
        wasm::simulate(
            TWO_RULES,
            "k".into(),
            tags,
            encryption,
            false,
            false,
            context,
            None,
        )
    };
    assert!(err(call(Vec::new(), "AES256", None)).contains("AES256"));
    assert!(err(call(vec!["lonely".into()], "none", None)).contains("pairs"));
    assert!(err(call(Vec::new(), "none", Some("{\"bogus\":1}".into()))).contains("bogus"));
    let unreadable = ok(wasm::simulate(
        "<ReplicationConfiguration><Rule>",
        "k".into(),
        Vec::new(),
        "none",
        false,
        false,
        None,
        None,
    ));
    assert!(unreadable.get("result").is_none());
    assert!(!errors(&unreadable["diagnostics"]).is_empty());
}

#[wasm_bindgen_test]
fn explain_summarises_rules_and_gaps() {
    let ex = ok(wasm::explain(TWO_RULES, Some(CONTEXT.into()), false))["result"].clone();
    let summary = ex["summary"].as_array().expect("summary");
    assert_eq!(
        summary.len(),
        3,
        "an opening sentence and one per rule: {ex}"
    );
    assert!(summary[0]
        .as_str()
        .is_some_and(|s| s.contains("photos-primary")));
    let group = &ex["destinations"][0];
    assert_eq!(group["name"], "photos-dr-replica");
    assert_eq!(group["region"]["value"], "us-west-2");
    let edges = group["rules"].as_array().expect("edges");
    assert_eq!(edges[0]["id"], "prod-photos", "highest priority first");
    assert_eq!(edges[0]["kmsObjects"], true);
    assert_eq!(edges[0]["storageClass"], "GLACIER_IR");
    assert_eq!(edges[1]["overlappedBy"][0], 1);
    assert!(ex["gaps"].is_array());
    let unreadable = ok(wasm::explain("{", None, false));
    assert!(unreadable.get("result").is_none());
    assert!(err(wasm::explain(
        TWO_RULES,
        Some(r#"{"destinations":5}"#.into()),
        false
    ))
    .contains("context"));
}

/// Checks `text` through the API (with policies) and requires no internal error and positions
/// that agree with the text.
fn check_cleanly(text: &str, format: &str) {
    let r = ok(wasm::check(
        text.as_bytes(),
        Some(format.into()),
        None,
        true,
        None,
        None,
    ));
    let diagnostics = &r["diagnostics"];
    let internal = diagnostics
        .as_array()
        .expect("array")
        .iter()
        .any(|d| d["code"] == "S3R099");
    assert!(!internal, "internal error: {diagnostics}\n{text}");
    assert_spans(text, &r);
}

/// Each XML element of `text` in turn: removed, and renamed (start and end tag). The results
/// stay well-formed, so they reach the lowering and the rules with members missing or unknown.
fn element_edits(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find('<').map(|i| from + i) {
        from = i + 1;
        let rest = &text[from..];
        let Some(len) = rest.find(['>', '/', ' ']) else {
            break;
        };
        let name = &rest[..len];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        let close = format!("</{name}>");
        let Some(end) = text[i..].find(&close).map(|k| i + k + close.len()) else {
            continue;
        };
        out.push(format!("{}{}", &text[..i], &text[end..]));
        let renamed = format!("{name}X");
        let inner = &text[i + 1 + name.len()..end - close.len()];
        out.push(format!(
            "{}<{renamed}{inner}</{renamed}>{}",
            &text[..i],
            &text[end..]
        ));
    }
    out
}

/// 32-bit arithmetic with overflow checks (this test build) on broken documents: every
/// element of a generated XML document removed or renamed, every cut of generated XML and
/// JSON documents, and a stray `<` at every step, each checked without a trap or an internal
/// error. The native fuzzers cannot see overflows that only a 32-bit `usize` has (an absent
/// list field once overflowed here).
#[wasm_bindgen_test]
fn broken_documents_check_on_32_bits() {
    use s3_replication_lint::model::Format;
    // One rule (removing it leaves the list of rules empty), one-item lists (`And` with one
    // `Tag`, `Or` with one `Prefix` and one `Tag`), and the generated rules' shapes.
    let small = r#"<ReplicationConfiguration><Role>arn:aws:iam::123456789012:role/r</Role>
<Rule><ID>a</ID><Priority>1</Priority><Status>Enabled</Status>
<Filter><And><Prefix>p/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag>
<Not><Or><Prefix>p/tmp/</Prefix><Tag><Key>t</Key><Value>1</Value></Tag></Or></Not></And></Filter>
<DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
<Destination><Bucket>arn:aws:s3:::b</Bucket></Destination></Rule>
</ReplicationConfiguration>"#;
    let xml = s3_replication_lint::testgen::text(4, Format::Xml);
    let edits: Vec<String> = [small, VALID_XML, &xml]
        .iter()
        .flat_map(|t| element_edits(t))
        .collect();
    assert!(edits.len() > 150, "only {} element edits", edits.len());
    for text in &edits {
        check_cleanly(text, "xml");
    }
    for (format, name) in [(Format::Xml, "xml"), (Format::Json, "json")] {
        let full = s3_replication_lint::testgen::text(4, format);
        let step = (full.len() / 120).max(1);
        for at in (0..full.len()).step_by(step) {
            if !full.is_char_boundary(at) {
                continue;
            }
            let mut corrupted = full.clone();
            let len = full[at..].chars().next().map_or(0, char::len_utf8);
            corrupted.replace_range(at..at + len, "<");
            check_cleanly(&full[..at], name);
            check_cleanly(&corrupted, name);
        }
    }
}

#[wasm_bindgen::prelude::wasm_bindgen(
    inline_js = "export function js_pretty(s) { return JSON.stringify(JSON.parse(s), null, 2); }"
)]
extern "C" {
    /// What the npm wrapper's `text` getter computes from a lean policy document.
    fn js_pretty(json: &str) -> String;
}

/// A configuration with `rules` rules, odd characters in its names and prefixes, and the
/// features that change the policies (KMS, owner override, RTC, delete markers, accounts).
fn generated_config(rules: usize, odd: &str, variant: usize) -> String {
    let mut out = String::from(
        "<ReplicationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\n  <Role>arn:aws:iam::111122223333:role/r</Role>\n",
    );
    for i in 0..rules {
        let bucket = ["dr-a", "dr-b", "dr-c"][(i + variant) % 3];
        let account = if (i + variant).is_multiple_of(2) {
            "<Account>444455556666</Account><AccessControlTranslation><Owner>Destination</Owner></AccessControlTranslation>"
        } else {
            ""
        };
        let kms = if (i + variant) % 3 == 1 {
            "<SourceSelectionCriteria><SseKmsEncryptedObjects><Status>Enabled</Status></SseKmsEncryptedObjects></SourceSelectionCriteria>"
        } else {
            ""
        };
        let replica_key = if kms.is_empty() {
            String::new()
        } else {
            format!("<EncryptionConfiguration><ReplicaKmsKeyID>arn:aws:kms:us-west-2:444455556666:key/k{i}</ReplicaKmsKeyID></EncryptionConfiguration>")
        };
        let rtc = if variant % 2 == 1 {
            "<ReplicationTime><Status>Enabled</Status><Time><Minutes>15</Minutes></Time></ReplicationTime><Metrics><Status>Enabled</Status><EventThreshold><Minutes>15</Minutes></EventThreshold></Metrics>"
        } else {
            ""
        };
        let prefix = odd
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        out.push_str(&format!(
            "  <Rule><ID>r{i}{prefix}</ID><Status>Enabled</Status><Priority>{i}</Priority><Filter><Prefix>p{i}/{prefix}</Prefix></Filter>{kms}<DeleteMarkerReplication><Status>{}</Status></DeleteMarkerReplication><Destination><Bucket>arn:aws:s3:::{bucket}</Bucket>{account}{replica_key}{rtc}</Destination></Rule>\n",
            if i.is_multiple_of(2) { "Enabled" } else { "Disabled" }
        ));
    }
    out.push_str("</ReplicationConfiguration>\n");
    out
}

#[wasm_bindgen_test]
fn policy_text_is_what_json_stringify_writes() {
    use s3_replication_lint::context::Resolved;
    use s3_replication_lint::{policy, DeploymentContext};
    let odd = [
        "",
        "photos/",
        "a\"b",
        "back\\slash",
        "tab\there",
        "caf\u{e9}",
        "\u{1F600}/x",
        "<&>",
        "line\u{2028}sep",
        "del\u{7f}",
        "ctl\u{1}",
    ];
    let contexts = [
        "{}",
        r#"{"sourceBucket":"src","sourceRegion":"us-east-1","sourceAccount":"111122223333","sourceKmsKeyArn":"arn:aws:kms:us-east-1:111122223333:key/s"}"#,
    ];
    let mut documents = 0;
    for (n, odd) in odd.iter().enumerate() {
        for rules in 1..=4 {
            for ctx in contexts {
                let text = generated_config(rules, odd, n + rules);
                let ctx = DeploymentContext::from_json(ctx).unwrap_or_default();
                let Some(doc) = s3_replication_lint::parse(&text, None).document else {
                    continue;
                };
                for d in policy::generate(&doc, &Resolved::new(&ctx, &doc)).documents {
                    let lean = serde_json::to_string(&d.policy).expect("serializes");
                    assert_eq!(js_pretty(&lean), d.text, "{text}");
                    documents += 1;
                }
            }
        }
    }
    assert!(documents > 200, "{documents} documents compared");
}

/// The module's own `memcmp` (core/src/wasm_mem.rs, in every wasm32 build of the library)
/// orders byte strings as a byte-at-a-time comparison does, for every length around its
/// eight-byte steps and every place of the first difference.
#[wasm_bindgen_test]
fn memcmp_orders_as_bytes() {
    let reference = |a: &[u8], b: &[u8]| {
        for (x, y) in a.iter().zip(b) {
            if x != y {
                return x.cmp(y);
            }
        }
        a.len().cmp(&b.len())
    };
    for len in 0..40usize {
        let base: Vec<u8> = (0..len).map(|i| (i * 37 % 251) as u8).collect();
        // Black-boxed so that the comparisons are calls, not folded at compile time.
        let same = std::hint::black_box(base.clone());
        assert_eq!(
            base.as_slice().cmp(same.as_slice()),
            std::cmp::Ordering::Equal
        );
        assert!(base == same);
        for at in 0..len {
            for delta in [1u8, 0x80, 0xff] {
                let mut other = std::hint::black_box(base.clone());
                other[at] = other[at].wrapping_add(delta);
                assert_eq!(
                    base.as_slice().cmp(other.as_slice()),
                    reference(&base, &other),
                    "len {len}, at {at}"
                );
                assert_eq!(
                    other.as_slice().cmp(base.as_slice()),
                    reference(&other, &base),
                    "len {len}, at {at}"
                );
                assert!(base != other);
                // A shorter prefix against the longer string.
                assert_eq!(
                    base[..at].cmp(&other[..]),
                    reference(&base[..at], &other),
                    "len {len}, at {at}"
                );
            }
        }
    }
}
