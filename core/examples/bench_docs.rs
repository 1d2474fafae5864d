//! `cargo run --release --example bench_docs -- DIR`: write the benchmarks' generated
//! documents (`rules-<n>.xml` / `.json` for every size in `testgen::SIZES`) to DIR, so the
//! npm benchmark (`tests/npm/bench.mjs`, run by `make bench`) measures the same bytes as
//! the criterion benchmark.

use s3_replication_lint::testgen::{text, SIZES};
use s3_replication_lint::Format;

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: bench_docs DIR");
        std::process::exit(2);
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("{dir}: {e}");
        std::process::exit(1);
    }
    for n in SIZES {
        for format in [Format::Xml, Format::Json] {
            let path = std::path::Path::new(&dir).join(format!("rules-{n}.{}", format.as_str()));
            if let Err(e) = std::fs::write(&path, text(n, format)) {
                eprintln!("{}: {e}", path.display());
                std::process::exit(1);
            }
        }
    }
}
