//! `cargo run --example lint -- FILE [CONTEXT.json]`: check a file and print the diagnostics
//! (a developer convenience; the product CLI is the npm package's).

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: lint FILE [CONTEXT.json]");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2)
    });
    let mut options = s3_replication_lint::CheckOptions::default();
    if let Some(ctx) = args.next() {
        let ctx = std::fs::read_to_string(&ctx).unwrap_or_default();
        options.context =
            s3_replication_lint::DeploymentContext::from_json(&ctx).unwrap_or_else(|e| {
                eprintln!("{e}");
                std::process::exit(2)
            });
    }
    let report = s3_replication_lint::check(&text, &options);
    for d in &report.diagnostics {
        println!(
            "{path}:{}:{}: {} {} {} [{}]{}",
            d.range.start.line,
            d.range.start.column,
            d.severity.as_str(),
            d.code,
            d.message,
            d.path,
            d.help
                .as_deref()
                .map(|h| format!("\n    help: {h}"))
                .unwrap_or_default()
        );
    }
    std::process::exit(i32::from(report.has_errors()));
}
