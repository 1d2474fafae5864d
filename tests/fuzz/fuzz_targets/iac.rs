//! Any text as a CloudFormation template, a Terraform module (native or JSON syntax) or a plan: finding, translating
//! and checking configurations and auditing the policies beside them never panics, and every
//! position (and quick-fix edit) stays inside the file.
#![no_main]
use libfuzzer_sys::fuzz_target;
use s3_replication_lint::iac::{check_files, InputKind, SourceFile};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    // `f.tf.json`: Terraform's JSON syntax whatever the text starts with.
    for (kind, path) in [
        (InputKind::CloudFormation, "f"),
        (InputKind::Terraform, "f"),
        (InputKind::Terraform, "f.tf.json"),
        (InputKind::TerraformPlan, "f"),
    ] {
        let files = [SourceFile { path: path.into(), text: text.clone() }];
        let report = check_files(&files, Some(kind), &Default::default());
        let all = report
            .configurations
            .iter()
            .flat_map(|c| c.diagnostics.iter().chain(c.audits.iter().flat_map(|a| a.diagnostics.iter())))
            .chain(report.files.iter().flat_map(|f| f.diagnostics.iter()));
        for d in all {
            assert!(d.span.start <= d.span.end && d.span.end as usize <= text.len(), "{d:?}");
            assert!(d.range.start.line >= 1, "{d:?}");
            for e in d.fix.iter().flat_map(|f| f.edits.iter()) {
                assert!(e.span.start <= e.span.end && e.span.end as usize <= text.len(), "{d:?}");
                assert!(text.is_char_boundary(e.span.start as usize), "{d:?}");
            }
        }
    }
});
