//! Any bytes, any format: parse and every rule must never panic; positions stay in range.
//! For XML, lowering each `<Rule>` as it is parsed (from the parser's arena) must give what
//! lowering the nested tree gives: the same model, rule spans and diagnostics.
#![no_main]
use libfuzzer_sys::fuzz_target;
use s3_replication_lint::lower::Lowerer;
use s3_replication_lint::parse::xml;
use s3_replication_lint::{check_bytes, CheckOptions, Format};

fuzz_target!(|data: &[u8]| {
    for format in [None, Some(Format::Xml), Some(Format::Json)] {
        let options = CheckOptions { format, ..CheckOptions::default() };
        let report = check_bytes(data, &options);
        for d in &report.diagnostics {
            assert!(d.span.start <= d.span.end, "{d:?}");
            assert!(d.range.start.line >= 1 && d.range.start.column >= 1, "{d:?}");
        }
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut nested = Vec::new();
    let nested_doc = xml::parse_tree(text, &mut nested).map(|root| {
        let mut l = Lowerer::new(Format::Xml);
        let doc = l.document(&root);
        nested.append(&mut l.diagnostics);
        doc
    });
    let mut streamed = Vec::new();
    let doc = xml::parse_document(text, &mut streamed);
    assert_eq!(doc, nested_doc);
    let spans = |d: &Option<s3_replication_lint::Document>| -> Vec<_> {
        d.iter().flat_map(|d| d.rules.iter().map(|r| r.meta.span)).collect()
    };
    assert_eq!(spans(&doc), spans(&nested_doc));
    for d in [&mut streamed, &mut nested] {
        s3_replication_lint::sort::sort_by_key(d, |d| (d.span.start, d.severity, d.code));
    }
    assert_eq!(streamed, nested);
});
