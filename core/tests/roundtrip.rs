//! `parse(serialize(x)) == x` for both serializers, over canonical fixtures
//! (`tests/fixtures/roundtrip/*.{xml,json}`, every element of the model) and random documents.
//! The fixtures are also the definition of the canonical layout: serializing a parsed fixture
//! reproduces its text byte for byte.

use proptest::prelude::*;
use s3_replication_lint::model::*;
use s3_replication_lint::serialize::{convert, to_json, to_xml};
use s3_replication_lint::{parse, Document, Format, Severity};
use std::path::{Path, PathBuf};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/roundtrip")
}

/// Every fixture as (name, format, text).
fn fixtures() -> Vec<(String, Format, String)> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(fixture_dir()).expect("tests/fixtures/roundtrip exists");
    for entry in entries.flatten() {
        let path = entry.path();
        let format = match path.extension().and_then(|e| e.to_str()) {
            Some("xml") => Format::Xml,
            Some("json") => Format::Json,
            _ => continue,
        };
        let text = std::fs::read_to_string(&path).expect("fixture is UTF-8");
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        out.push((name, format, text));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// What the serializers carry: the content, not where or in which syntax it was written.
fn content(doc: &Document) -> Document {
    Document {
        format: None,
        namespace: None,
        rules_meta: None,
        ..doc.clone()
    }
}

/// Parse and insist that the parser found nothing wrong with the syntax.
fn parse_clean(text: &str, format: Format, what: &str) -> Document {
    let parsed = parse(text, Some(format));
    let errors: Vec<_> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .collect();
    assert!(
        errors.is_empty(),
        "{what}: parser diagnostics {errors:#?}\n{text}"
    );
    parsed
        .document
        .unwrap_or_else(|| panic!("{what}: no document"))
}

fn assert_round_trips(doc: &Document, what: &str) {
    let xml = to_xml(doc);
    let back = parse_clean(&xml, Format::Xml, what);
    assert_eq!(content(&back), content(doc), "{what}: via XML\n{xml}");
    let json = to_json(doc);
    let back = parse_clean(&json, Format::Json, what);
    assert_eq!(content(&back), content(doc), "{what}: via JSON\n{json}");
}

#[test]
fn fixtures_cover_every_element() {
    let all: String = fixtures()
        .iter()
        .filter(|f| f.1 == Format::Xml)
        .map(|f| f.2.clone())
        .collect();
    // Every element the schema declares.
    let elements = s3_replication_lint::schema::shapes()
        .into_iter()
        .flat_map(|shape| shape.fields.iter().map(|f| f.xml));
    for element in elements {
        assert!(
            all.contains(&format!("<{element}>")) || all.contains(&format!("<{element}/>")),
            "no fixture has <{element}>"
        );
    }
}

#[test]
fn fixtures_are_canonical_and_round_trip() {
    let fixtures = fixtures();
    assert!(fixtures.len() >= 8, "expected xml+json fixture pairs");
    for (name, format, text) in &fixtures {
        let doc = parse_clean(text, *format, name);
        let again = match format {
            Format::Xml => to_xml(&doc),
            Format::Json => to_json(&doc),
        };
        assert_eq!(
            again.trim_end(),
            text.trim_end(),
            "{name} is not in canonical form"
        );
        assert_round_trips(&doc, name);
    }
}

#[test]
fn xml_and_json_fixtures_describe_the_same_documents() {
    let fixtures = fixtures();
    for (name, format, text) in fixtures.iter().filter(|f| f.1 == Format::Xml) {
        let stem = name.trim_end_matches(".xml");
        let (_, _, json) = fixtures
            .iter()
            .find(|f| f.1 == Format::Json && f.0 == format!("{stem}.json"))
            .unwrap_or_else(|| panic!("{stem}.json is missing"));
        let from_xml = parse_clean(text, *format, name);
        let from_json = parse_clean(json, Format::Json, stem);
        assert_eq!(content(&from_xml), content(&from_json), "{stem}");
        assert_eq!(
            convert(text, Format::Json).as_deref(),
            Ok(json.as_str()),
            "{stem}"
        );
        assert_eq!(
            convert(json, Format::Xml).as_deref(),
            Ok(text.as_str()),
            "{stem}"
        );
    }
}

#[test]
fn any_element_order_and_missing_namespace_become_canonical() {
    let scrambled = "<ReplicationConfiguration>\n<Rule><Destination><StorageClass>STANDARD</StorageClass><Bucket>arn:aws:s3:::b</Bucket></Destination>\
        <Status>Enabled</Status><Filter><Prefix>a/</Prefix></Filter><Priority>1</Priority>\
        <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication><ID>r</ID></Rule>\
        <Role>arn:aws:iam::111122223333:role/r</Role></ReplicationConfiguration>";
    let out = convert(scrambled, Format::Xml).expect("converts");
    let expected = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<ReplicationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">
  <Role>arn:aws:iam::111122223333:role/r</Role>
  <Rule>
    <ID>r</ID>
    <Priority>1</Priority>
    <Filter>
      <Prefix>a/</Prefix>
    </Filter>
    <Status>Enabled</Status>
    <Destination>
      <Bucket>arn:aws:s3:::b</Bucket>
      <StorageClass>STANDARD</StorageClass>
    </Destination>
    <DeleteMarkerReplication>
      <Status>Disabled</Status>
    </DeleteMarkerReplication>
  </Rule>
</ReplicationConfiguration>
";
    assert_eq!(out, expected);
}

#[test]
fn convert_refuses_documents_the_parser_rejects() {
    // Unknown member: converting would silently drop it.
    let unknown = r#"{"Role": "arn:aws:iam::111122223333:role/r", "Rules": [{"Id": "x", "Status": "Enabled", "Destination": {"Bucket": "arn:aws:s3:::b"}}]}"#;
    let err = convert(unknown, Format::Xml).expect_err("unknown member refused");
    assert!(err.iter().any(|d| d.code == "S3R002"), "{err:#?}");
    // Not well-formed.
    let err = convert("<ReplicationConfiguration><Role>", Format::Json).expect_err("refused");
    assert!(err
        .iter()
        .all(|d| d.severity == Severity::Error && d.code.starts_with("S3R0")));
    assert!(!err.is_empty());
    // Neither XML nor JSON.
    assert!(convert("", Format::Json).is_err());
    assert!(convert("hello", Format::Xml).is_err());
    // Semantic problems (here: a V2 rule without Priority) do not block a conversion.
    let semantic = r#"{"Role": "arn:aws:iam::111122223333:role/r", "Rules": [{"Status": "Enabled", "Filter": {}, "Destination": {"Bucket": "arn:aws:s3:::b"}}]}"#;
    let xml = convert(semantic, Format::Xml).expect("semantic errors do not block");
    assert!(xml.contains("<Filter/>"), "{xml}");
}

#[test]
fn get_bucket_replication_output_converts_to_the_put_form() {
    let wrapped = r#"{"ReplicationConfiguration": {"Role": "arn:aws:iam::111122223333:role/r", "Rules": [{"ID": "a", "Status": "Enabled", "Prefix": "", "Destination": {"Bucket": "arn:aws:s3:::b"}}]}}"#;
    let json = convert(wrapped, Format::Json).expect("converts");
    assert!(json.starts_with("{\n  \"Role\""), "{json}");
}

// ---- property tests -------------------------------------------------------------------

/// Strings with XML and JSON specials, whitespace, non-ASCII (BMP and astral) and line breaks.
fn text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("&".to_string()),
        Just("<".to_string()),
        Just(">".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("]]>".to_string()),
        Just("&amp;".to_string()),
        Just("\\".to_string()),
        Just(" ".to_string()),
        Just("\t".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("é".to_string()),
        Just("报告".to_string()),
        Just("\u{1F680}".to_string()),
        Just("/".to_string()),
        "[a-zA-Z0-9._-]{1,8}",
    ];
    prop::collection::vec(pieces, 0..6).prop_map(|v| v.concat())
}

fn val_s() -> impl Strategy<Value = Option<Val<Str>>> {
    prop::option::of(text().prop_map(Val::new))
}

fn val_i() -> impl Strategy<Value = Option<Val<i64>>> {
    prop::option::of(any::<i64>().prop_map(Val::new))
}

fn status() -> impl Strategy<Value = Option<StatusBlock>> {
    prop::option::of(prop::option::of(
        prop_oneof![
            Just("Enabled".to_string()),
            Just("Disabled".to_string()),
            text()
        ]
        .prop_map(Val::new),
    ))
    .prop_map(|o| {
        o.map(|status| StatusBlock {
            status,
            ..StatusBlock::default()
        })
    })
}

fn tag() -> impl Strategy<Value = Tag> {
    (val_s(), val_s()).prop_map(|(key, value)| Tag {
        key,
        value,
        ..Tag::default()
    })
}

fn or() -> impl Strategy<Value = Or> {
    (
        prop::collection::vec(text().prop_map(Val::new), 0..3),
        prop::collection::vec(tag(), 0..3),
    )
        .prop_map(|(prefixes, tags)| Or {
            prefixes,
            tags,
            ..Or::default()
        })
}

fn not() -> impl Strategy<Value = Not> {
    (val_s(), prop::option::of(tag()), prop::option::of(or())).prop_map(|(prefix, tag, or)| Not {
        prefix,
        tag,
        or,
        ..Not::default()
    })
}

fn filter() -> impl Strategy<Value = Filter> {
    let and = (
        val_s(),
        prop::collection::vec(tag(), 0..3),
        prop::option::of(not()),
    )
        .prop_map(|(prefix, tags, not)| And {
            prefix,
            tags,
            not: not.map(Box::new),
            ..And::default()
        });
    (
        val_s(),
        prop::option::of(tag()),
        prop::option::of(and),
        prop::option::of(not()),
    )
        .prop_map(|(prefix, tag, and, not)| Filter {
            prefix,
            tag,
            and: and.map(Box::new),
            not: not.map(Box::new),
            ..Filter::default()
        })
}

fn minutes() -> impl Strategy<Value = Option<Minutes>> {
    prop::option::of(val_i().prop_map(|minutes| Minutes {
        minutes,
        ..Minutes::default()
    }))
}

fn destination() -> impl Strategy<Value = Destination> {
    let act = prop::option::of(val_s().prop_map(|owner| AccessControlTranslation {
        owner,
        ..AccessControlTranslation::default()
    }));
    let enc = prop::option::of((val_s(), status()).prop_map(|(replica_kms_key_id, mrk)| {
        EncryptionConfiguration {
            replica_kms_key_id,
            use_source_multi_region_key: mrk,
            ..EncryptionConfiguration::default()
        }
    }));
    let rtc = prop::option::of(
        (val_s(), minutes()).prop_map(|(status, time)| ReplicationTime {
            status,
            time,
            ..ReplicationTime::default()
        }),
    );
    let metrics =
        prop::option::of(
            (val_s(), minutes()).prop_map(|(status, event_threshold)| Metrics {
                status,
                event_threshold,
                ..Metrics::default()
            }),
        );
    (val_s(), val_s(), val_s(), act, enc, rtc, metrics).prop_map(
        |(bucket, account, storage_class, act, enc, rtc, metrics)| Destination {
            bucket,
            account,
            storage_class,
            access_control_translation: act,
            encryption_configuration: enc,
            replication_time: rtc,
            metrics,
            ..Destination::default()
        },
    )
}

fn rule() -> impl Strategy<Value = Rule> {
    let ssc =
        prop::option::of(
            (status(), status()).prop_map(|(sse, rm)| SourceSelectionCriteria {
                sse_kms_encrypted_objects: sse,
                replica_modifications: rm,
                ..SourceSelectionCriteria::default()
            }),
        );
    (
        (
            val_s(),
            val_i(),
            val_s(),
            prop::option::of(filter()),
            val_s(),
        ),
        (ssc, status(), status(), prop::option::of(destination())),
    )
        .prop_map(
            |((id, priority, prefix, filter, status), (ssc, eor, dmr, destination))| Rule {
                id,
                priority,
                prefix,
                filter,
                status,
                source_selection_criteria: ssc,
                existing_object_replication: eor,
                delete_marker_replication: dmr,
                destination,
                ..Rule::default()
            },
        )
}

fn document() -> impl Strategy<Value = Document> {
    (val_s(), prop::collection::vec(rule(), 0..4)).prop_map(|(role, rules)| Document {
        role,
        rules,
        ..Document::default()
    })
}

/// Parser errors other than "missing required member", which random documents may lack.
fn syntax_errors(
    diags: &[s3_replication_lint::Diagnostic],
) -> Vec<&s3_replication_lint::Diagnostic> {
    diags
        .iter()
        .filter(|d| d.severity == Severity::Error && d.code != "S3R003")
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_documents_round_trip_through_xml(doc in document()) {
        let xml = to_xml(&doc);
        let parsed = parse(&xml, Some(Format::Xml));
        let errors = syntax_errors(&parsed.diagnostics);
        prop_assert!(errors.is_empty(), "{:#?}\n{}", errors, xml);
        let back = parsed.document.map(|d| content(&d));
        prop_assert_eq!(back, Some(content(&doc)), "{}", xml);
    }

    #[test]
    fn random_documents_round_trip_through_json(doc in document()) {
        let json = to_json(&doc);
        let parsed = parse(&json, Some(Format::Json));
        let errors = syntax_errors(&parsed.diagnostics);
        prop_assert!(errors.is_empty(), "{:#?}\n{}", errors, json);
        let back = parsed.document.map(|d| content(&d));
        prop_assert_eq!(back, Some(content(&doc)), "{}", json);
    }

    #[test]
    fn conversions_compose(doc in document()) {
        let xml = to_xml(&doc);
        let json = to_json(&doc);
        // Documents missing required members (random ones often do) are refused; complete
        // ones convert exactly to the other serializer's output. (The forms differ on one
        // point: XML without <Rule> lacks a required member, JSON `"Rules": []` does not.)
        let complete = |t: &str| !parse(t, None).diagnostics.iter().any(|d| d.severity == Severity::Error);
        for (from, to, format) in [(&xml, &json, Format::Json), (&json, &xml, Format::Xml)] {
            let result = convert(from, format);
            if complete(from) {
                prop_assert_eq!(result.as_deref(), Ok(to.as_str()));
            } else {
                let refused = result.expect_err("refused");
                prop_assert!(refused.iter().all(|d| d.code == "S3R003"), "{:#?}", refused);
            }
        }
    }
}
