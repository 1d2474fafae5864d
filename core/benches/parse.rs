//! Parsing and checking generated 1/10/100/1000-rule documents, beside the floors: a bare
//! quick-xml tokenization of the same XML bytes and `serde_json::Value` of the same JSON.
//! `cargo run --release -p s3-replication-lint --example bench_summary` prints the ratios.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use quick_xml::events::Event;
use quick_xml::Reader;
use s3_replication_lint::context::Resolved;
use s3_replication_lint::testgen::{text, SIZES};
use s3_replication_lint::{check, parse, policy, CheckOptions, Format};
use std::hint::black_box;

/// Read every event and touch it, as the cheapest possible consumer would.
fn tokenize(xml: &str) -> usize {
    let mut reader = Reader::from_str(xml);
    let mut n = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) | Err(_) => return n,
            Ok(e) => n += e.len(),
        }
    }
}

/// A full check, then the policies the configuration needs (what `check` with policies does).
fn check_and_generate(text: &str, options: &CheckOptions) -> usize {
    let report = check(text, options);
    let policies = report.document.as_ref().map_or(0, |doc| {
        let resolved = Resolved::new(&options.context, doc);
        policy::generate(doc, &resolved).documents.len()
    });
    report.diagnostics.len() + policies
}

fn benches(c: &mut Criterion) {
    for format in [Format::Xml, Format::Json] {
        let mut group = c.benchmark_group(format.as_str());
        group.sample_size(20);
        for n in SIZES {
            let t = text(n, format);
            group.throughput(Throughput::Bytes(t.len() as u64));
            match format {
                Format::Xml => {
                    group.bench_with_input(
                        BenchmarkId::new("quick-xml-tokenize", n),
                        &t,
                        |b, t| b.iter(|| tokenize(black_box(t))),
                    );
                }
                Format::Json => {
                    group.bench_with_input(BenchmarkId::new("serde_json-value", n), &t, |b, t| {
                        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(t)).is_ok())
                    });
                }
            }
            group.bench_with_input(BenchmarkId::new("parse", n), &t, |b, t| {
                b.iter(|| parse(black_box(t), Some(format)).diagnostics.len())
            });
            let options = CheckOptions {
                format: Some(format),
                ..CheckOptions::default()
            };
            group.bench_with_input(BenchmarkId::new("check", n), &t, |b, t| {
                b.iter(|| check(black_box(t), &options).diagnostics.len())
            });
            group.bench_with_input(BenchmarkId::new("check+policies", n), &t, |b, t| {
                b.iter(|| check_and_generate(black_box(t), &options))
            });
        }
        group.finish();
    }
}

criterion_group!(parse_benches, benches);
criterion_main!(parse_benches);
