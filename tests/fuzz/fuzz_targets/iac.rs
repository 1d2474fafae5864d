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
        check(&files, kind);
    }
    // The text as `terraform init`'s manifest and as the module it installed, called by a
    // fixed root module.
    let files = [
        SourceFile { path: "main.tf".into(), text: "module \"m\" {\n  source = \"o/m/aws\"\n}\n".into() },
        SourceFile { path: ".terraform/modules/modules.json".into(), text: text.clone() },
        SourceFile { path: ".terraform/modules/m/main.tf".into(), text: text.clone() },
    ];
    check(&files[1..], InputKind::Terraform);
    check(&files, InputKind::Terraform);
});

/// Every position of every finding stays inside the file it points into.
fn check(files: &[SourceFile], kind: InputKind) {
    let report = check_files(files, Some(kind), &Default::default());
    let text_of = |path: &str| files.iter().find(|f| f.path == path).map_or("", |f| f.text.as_str());
    let all = report
        .configurations
        .iter()
        .flat_map(|c| {
            let own = c.diagnostics.iter().map(move |d| (c.file.as_str(), d));
            own.chain(c.audits.iter().flat_map(|a| a.diagnostics.iter().map(move |d| (a.file.as_str(), d))))
        })
        .chain(report.files.iter().flat_map(|f| f.diagnostics.iter().map(move |d| (f.file.as_str(), d))));
    for (file, d) in all {
        let text = text_of(file);
        assert!(d.span.start <= d.span.end && d.span.end as usize <= text.len(), "{file}: {d:?}");
        assert!(d.range.start.line >= 1, "{d:?}");
        for e in d.fix.iter().flat_map(|f| f.edits.iter()) {
            assert!(e.span.start <= e.span.end && e.span.end as usize <= text.len(), "{d:?}");
            assert!(text.is_char_boundary(e.span.start as usize), "{d:?}");
        }
    }
}
