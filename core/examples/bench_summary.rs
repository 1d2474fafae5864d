//! Times parsing and checking of the generated 1/10/100/1000-rule documents with
//! `std::time::Instant` and prints milliseconds and ratios to the floor: a bare quick-xml
//! tokenization of the same XML bytes, or `serde_json::Value` of the same JSON bytes.
//!
//! `cargo run --profile bench -p s3-replication-lint --example bench_summary [-- --quick]`
//! (the criterion benchmark, `cargo bench -p s3-replication-lint`, has the detailed figures).
//! `--rules` adds the five slowest rule checks on the 1000-rule XML document; `--size N` only
//! times the documents of N rules.
//! `--profile OP FORMAT RULES ITERS` (OP = floor, tree (the XML syntax tree alone), parse, check
//! or policy) only repeats one operation, for running under a profiler such as `perf record`.
//! `--dump` prints every diagnostic and generated policy set of the benchmark documents as
//! JSON lines, to compare the outputs of two builds.

use quick_xml::events::Event;
use quick_xml::Reader;
use s3_replication_lint::context::Resolved;
use s3_replication_lint::rules::{checks, CheckContext};
use s3_replication_lint::testgen::{text, SIZES};
use s3_replication_lint::{check, parse, policy, CheckOptions, Format};
use std::hint::black_box;
use std::time::{Duration, Instant};

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

fn json_value(json: &str) -> usize {
    serde_json::from_str::<serde_json::Value>(json)
        .map_or(0, |v| v.as_object().map_or(0, |o| o.len()))
}

fn check_and_generate(text: &str, options: &CheckOptions) -> usize {
    let report = check(text, options);
    let policies = report.document.as_ref().map_or(0, |doc| {
        let resolved = Resolved::new(&options.context, doc);
        policy::generate(doc, &resolved).documents.len()
    });
    report.diagnostics.len() + policies
}

/// Milliseconds per call: the best of several batches, each long enough to time reliably
/// (the minimum is the figure least disturbed by other work on the machine).
fn time(budget: Duration, mut f: impl FnMut() -> usize) -> f64 {
    black_box(f());
    let start = Instant::now();
    black_box(f());
    let once = start.elapsed().max(Duration::from_nanos(50));
    let per_batch = budget / 8;
    let iters = (per_batch.as_nanos() / once.as_nanos()).clamp(1, 1_000_000) as u32;
    let mut best = f64::INFINITY;
    for _ in 0..8 {
        let start = Instant::now();
        for _ in 0..iters {
            black_box(f());
        }
        let ms = start.elapsed().as_secs_f64() * 1000.0 / f64::from(iters);
        best = best.min(ms);
    }
    best
}

/// `--profile OP FORMAT RULES ITERS`: repeat one operation and print nothing else.
fn profile(args: &[String]) {
    let get = |i: usize| args.get(i).map_or("", String::as_str);
    let format = if get(1) == "json" {
        Format::Json
    } else {
        Format::Xml
    };
    let rules: usize = get(2).parse().unwrap_or(1000);
    let iters: usize = get(3).parse().unwrap_or(10);
    let t = text(rules, format);
    let opts = CheckOptions {
        format: Some(format),
        ..CheckOptions::default()
    };
    let mut total = 0usize;
    for _ in 0..iters {
        total += match (get(0), format) {
            ("floor", Format::Xml) => tokenize(&t),
            ("floor", Format::Json) => json_value(&t),
            ("parse", _) => parse(&t, Some(format)).diagnostics.len(),
            ("tree", Format::Xml) => {
                let mut d = Vec::new();
                usize::from(s3_replication_lint::parse::xml::parse_tree(&t, &mut d).is_some())
            }
            ("check", _) => check(&t, &opts).diagnostics.len(),
            _ => check_and_generate(&t, &opts),
        };
    }
    println!("{total}");
}

/// `--dump`: the parse and check diagnostics and policy sets of every benchmark document.
fn dump() {
    for format in [Format::Xml, Format::Json] {
        for n in SIZES {
            let t = text(n, format);
            let opts = CheckOptions {
                format: Some(format),
                ..CheckOptions::default()
            };
            let parsed = parse(&t, Some(format));
            println!("{} {n} parse {:?}", format.as_str(), parsed.document);
            for d in &parsed.diagnostics {
                println!("{}", serde_json::to_string(d).unwrap_or_default());
            }
            let report = check(&t, &opts);
            println!("{} {n} check", format.as_str());
            for d in &report.diagnostics {
                println!("{}", serde_json::to_string(d).unwrap_or_default());
            }
            if let Some(doc) = &report.document {
                let resolved = Resolved::new(&opts.context, doc);
                let set = policy::generate(doc, &resolved);
                println!("{}", serde_json::to_string(&set).unwrap_or_default());
            }
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--dump") {
        dump();
        return;
    }
    if let Some(at) = args.iter().position(|a| a == "--profile") {
        profile(&args[at + 1..]);
        return;
    }
    let quick = std::env::args().any(|a| a == "--quick");
    let budget = Duration::from_millis(if quick { 200 } else { 1500 });
    let options = |format| CheckOptions {
        format: Some(format),
        ..CheckOptions::default()
    };
    println!(
        "{:<5} {:>5} {:>9} {:>10} {:>10} {:>6} {:>10} {:>6} {:>12} {:>6}",
        "fmt", "rules", "bytes", "floor ms", "parse ms", "x", "check ms", "x", "+policy ms", "x"
    );
    // `--size N`: only documents of N rules.
    let only: Option<usize> = args
        .iter()
        .position(|a| a == "--size")
        .and_then(|at| args.get(at + 1)?.parse().ok());
    for format in [Format::Xml, Format::Json] {
        for n in SIZES.into_iter().filter(|n| only.is_none_or(|o| o == *n)) {
            let t = text(n, format);
            let opts = options(format);
            let floor = match format {
                Format::Xml => time(budget, || tokenize(&t)),
                Format::Json => time(budget, || json_value(&t)),
            };
            let parse_ms = time(budget, || parse(&t, Some(format)).diagnostics.len());
            let check_ms = time(budget, || check(&t, &opts).diagnostics.len());
            let policy_ms = time(budget, || check_and_generate(&t, &opts));
            println!(
                "{:<5} {:>5} {:>9} {:>10.4} {:>10.4} {:>6.2} {:>10.4} {:>6.2} {:>12.4} {:>6.2}",
                format.as_str(),
                n,
                t.len(),
                floor,
                parse_ms,
                parse_ms / floor,
                check_ms,
                check_ms / floor,
                policy_ms,
                policy_ms / floor
            );
        }
    }
    println!(
        "floor: xml = quick-xml read_event loop over the same bytes; json = serde_json::Value"
    );
    println!("x = ratio to the floor. Targets at 1000 rules (XML): parse <= 2x, check <= 3x.");
    if std::env::args().any(|a| a == "--rules") {
        slowest_rules(budget);
    }
}

/// Time every rule's check alone on the parsed 1000-rule document.
fn slowest_rules(budget: Duration) {
    let t = text(1000, Format::Xml);
    let Some(doc) = parse(&t, Some(Format::Xml)).document else {
        println!("the generated document did not parse");
        return;
    };
    let opts = CheckOptions::default();
    let resolved = Resolved::new(&opts.context, &doc);
    // Setting up a context (its per-document facts) is timed alone and subtracted.
    let setup = time(budget / 4, || {
        CheckContext::new(&doc, &t, &resolved).into_parts().0.len()
    });
    let mut times: Vec<(f64, &str, &str)> = checks()
        .map(|check| {
            let ms = time(budget / 4, || {
                let mut cx = CheckContext::new(&doc, &t, &resolved);
                (check.run)(&mut cx);
                cx.into_parts().0.len()
            });
            ((ms - setup).max(0.0), check.code, check.name)
        })
        .collect();
    times.sort_by(|a, b| b.0.total_cmp(&a.0));
    let total: f64 = times.iter().map(|t| t.0).sum();
    println!(
        "\nrule checks, 1000-rule XML document: {total:.4} ms for all {} checks (each run alone, \
         every finding built; context setup {setup:.4} ms not included); slowest:",
        times.len()
    );
    for (ms, code, name) in times.iter().take(5) {
        println!("  {code} {name:<40} {ms:>9.4} ms");
    }
}
