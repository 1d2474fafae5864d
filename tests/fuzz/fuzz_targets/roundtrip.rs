//! A document without syntax/structure errors converts both ways without changing meaning.
#![no_main]
use libfuzzer_sys::fuzz_target;
use s3_replication_lint::serialize::{to_json, to_xml};
use s3_replication_lint::{parse, Format, Severity};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let parsed = parse(text, None);
    let clean = !parsed
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error && d.code < "S3R100");
    let Some(doc) = parsed.document.filter(|_| clean) else { return };
    for (out, format) in [(to_xml(&doc), Format::Xml), (to_json(&doc), Format::Json)] {
        let again = parse(&out, Some(format));
        let mut back = again.document.expect("serialized output parses");
        let mut orig = doc.clone();
        // The forms differ only in what they can carry.
        back.format = None;
        orig.format = None;
        back.namespace = None;
        orig.namespace = None;
        back.rules_meta = None;
        orig.rules_meta = None;
        assert_eq!(orig, back, "{format:?} round trip of {text:?} via {out}");
    }
});
