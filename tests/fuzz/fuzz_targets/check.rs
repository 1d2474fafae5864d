//! Any bytes, any format: parse and every rule must never panic; positions stay in range.
//! For XML, lowering each `<Rule>` as it is parsed (from the parser's arena) must give what
//! lowering the nested tree gives: the same model, rule spans and diagnostics.
#![no_main]
use libfuzzer_sys::fuzz_target;
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
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(why) = xml::streaming_matches_nested(text) {
            panic!("{why}");
        }
    }
});
