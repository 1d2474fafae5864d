//! Terraform's JSON syntax (`.tf.json`, `cdktf synth` output, `.tfvars.json`): the same
//! findings, facts and policies as the native syntax, positioned in the JSON; modules that
//! mix both; detection; hostile input.
#![cfg(feature = "iac")]

mod fixture_tree;
mod tf_json_twin;

use s3_replication_lint::context::Resolved;
use s3_replication_lint::iac::{check_files, detect, IacReport, InputKind, SourceFile};
use s3_replication_lint::{DeploymentContext, Severity};
use std::path::{Path, PathBuf};
use tf_json_twin::as_json;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/iac")
}

fn module(dir: &str) -> Vec<SourceFile> {
    fixture_tree::tree(&fixtures().join(dir), &|name| {
        name.ends_with(".tf")
            || name.ends_with(".tf.json")
            || name.ends_with(".tfvars")
            || name.ends_with(".tfvars.json")
    })
}

fn check(files: &[SourceFile]) -> IacReport {
    check_files(
        files,
        Some(InputKind::Terraform),
        &DeploymentContext::default(),
    )
}

/// What must not change between the syntaxes: per configuration its address, findings
/// (code, severity, path, message), facts, context, audits and generated policies as code.
fn summary(r: &IacReport) -> Vec<String> {
    let mut out = Vec::new();
    for c in &r.configurations {
        out.push(format!("configuration {}", c.address));
        let mut ds: Vec<String> = c
            .diagnostics
            .iter()
            .map(|d| format!("  {} {:?} {} {}", d.code, d.severity, d.path, d.message))
            .collect();
        ds.sort();
        out.extend(ds);
        let mut facts: Vec<String> = c
            .facts
            .iter()
            .map(|f| format!("  fact {} = {} ({})", f.field, f.value, f.from))
            .collect();
        facts.sort();
        out.extend(facts);
        out.push(format!(
            "  context {:?}",
            serde_json::to_string(&c.context).unwrap()
        ));
        for a in &c.audits {
            let mut ds: Vec<String> = a
                .diagnostics
                .iter()
                .map(|d| {
                    format!(
                        "  audit {} {} {} {:?}",
                        a.address, a.kind, d.code, d.severity
                    )
                })
                .collect();
            ds.sort();
            out.extend(ds);
        }
        if let Some(doc) = s3_replication_lint::iac::deployed_document(c) {
            let set = s3_replication_lint::policy::generate(&doc, &Resolved::new(&c.context, &doc));
            out.push(s3_replication_lint::policy::emit::terraform(
                &set,
                &c.bindings,
            ));
        }
    }
    let mut files: Vec<String> = r
        .files
        .iter()
        .flat_map(|f| {
            f.diagnostics
                .iter()
                .map(|d| format!("file {} {:?} {}", d.code, d.severity, d.message))
        })
        .filter(|s| !s.contains("Invalid HCL"))
        .collect();
    files.sort();
    out.extend(files);
    out
}

/// Fixture modules whose native text has no JSON twin: an object written as an argument
/// where the schema has a block (`replication_time = { ... }`, which Terraform refuses in
/// HCL) is that block in JSON syntax, where the two are spelled the same.
const NO_JSON_TWIN: &[&str] = &["real-world/tf-data-source-bucket-rtc-as-argument"];

/// The native modules of the fixtures.
fn native_modules() -> Vec<(String, Vec<SourceFile>)> {
    let mut dirs = vec![
        "terraform-cross-account".to_string(),
        "terraform-child-module".to_string(),
    ];
    for group in ["real-world", "policies/terraform"] {
        let mut more: Vec<String> = std::fs::read_dir(fixtures().join(group))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .map(|p| format!("{group}/{}", p.file_name().unwrap().to_string_lossy()))
            .collect();
        more.sort();
        dirs.extend(more);
    }
    dirs.into_iter()
        .map(|d| {
            let files = module(&d);
            (d, files)
        })
        .filter(|(_, files)| files.iter().any(|f| f.path.ends_with(".tf")))
        .filter(|(d, _)| !NO_JSON_TWIN.contains(&d.as_str()))
        .collect()
}

#[test]
fn every_native_module_reads_the_same_in_json() {
    let modules = native_modules();
    assert!(modules.len() >= 10, "{}", modules.len());
    for (dir, files) in modules {
        let native = summary(&check(&files));
        for (what, json) in [
            ("all JSON", as_json(&files, |_| true)),
            (
                "main.tf in JSON",
                as_json(&files, |p| p.ends_with("main.tf")),
            ),
        ] {
            let got = summary(&check(&json));
            assert_eq!(
                native.join("\n"),
                got.join("\n"),
                "{dir} ({what})\n{}",
                json.iter()
                    .filter(|f| f.path.ends_with(".json"))
                    .map(|f| format!("--- {}\n{}", f.path, f.text))
                    .collect::<String>()
            );
        }
    }
}

/// Each finding of the JSON twin is on the line of what its native finding points at: the
/// same argument name (`"key"`), or the block (its name, a label, or the `{` of an item).
#[test]
fn findings_point_at_the_same_place_in_json() {
    let mut checked = 0;
    for (dir, files) in native_modules() {
        let native = check(&files);
        let json_files = as_json(&files, |_| true);
        let json = check(&json_files);
        for (n, j) in native.configurations.iter().zip(&json.configurations) {
            let text_of = |set: &[SourceFile], path: &str| {
                set.iter()
                    .find(|f| f.path == path)
                    .map(|f| f.text.clone())
                    .unwrap()
            };
            let ntext = text_of(&files, &n.file);
            let jtext = text_of(&json_files, &j.file);
            for d in &n.diagnostics {
                let Some(e) = j
                    .diagnostics
                    .iter()
                    .find(|e| e.code == d.code && e.path == d.path && e.message == d.message)
                else {
                    panic!("{dir}: no twin of {} {}", d.code, d.path)
                };
                if d.span.is_empty() && d.span.start == 0 {
                    continue;
                }
                let nline = ntext
                    .lines()
                    .nth(d.range.start.line as usize - 1)
                    .unwrap_or("");
                let jline = jtext
                    .lines()
                    .nth(e.range.start.line as usize - 1)
                    .unwrap_or("");
                let word: String = nline
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                    .collect();
                let block =
                    ["resource", "data", "dynamic", "provider", "module"].contains(&word.as_str());
                let ok = if word.is_empty() {
                    true
                } else if block {
                    // `resource "t" "n" {` stands at its name.
                    let label = nline
                        .split('"')
                        .nth(3)
                        .or(nline.split('"').nth(1))
                        .unwrap_or("");
                    // Repeated blocks of one type are an array: each item at its `{`.
                    jline.contains(&format!("\"{label}\""))
                        || (word == "dynamic" && jline.trim() == "{")
                } else {
                    jline.contains(&format!("\"{word}\"")) || jline.trim() == "{"
                };
                assert!(
                    ok,
                    "{dir}: {} {} at native line `{nline}` but JSON line `{jline}`",
                    d.code, d.path
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 40, "{checked}");
}

fn line_of(text: &str, needle: &str) -> u32 {
    text.lines().position(|l| l.contains(needle)).expect(needle) as u32 + 1
}

#[test]
fn a_json_module_reports_what_its_native_twin_does_positioned_in_the_json() {
    let files = module("terraform-json");
    let native = module("terraform-cross-account");
    let report = check_files(&files, None, &DeploymentContext::default());
    assert_eq!(summary(&report), summary(&check(&native)));
    let c = &report.configurations[0];
    assert_eq!(c.address, "aws_s3_bucket_replication_configuration.main");
    assert_eq!(c.file, "main.tf.json");
    let main = &files
        .iter()
        .find(|f| f.path == "main.tf.json")
        .unwrap()
        .text;
    let region = c.diagnostics.iter().find(|d| d.code == "S3R405").unwrap();
    assert_eq!(
        region.range.start.line,
        line_of(main, "\"replica_kms_key_id\"")
    );
    // The whole value, `"${aws_kms_key.replica.arn}"`, quotes included.
    assert_eq!(
        &main[region.span.start as usize..region.span.end as usize],
        "\"${aws_kms_key.replica.arn}\""
    );
    assert!(region
        .path
        .ends_with("main.rule[0].destination.encryption_configuration.replica_kms_key_id"));
    // The second rule of the `rule` array: at its `{`.
    let dup = c.diagnostics.iter().find(|d| d.code == "S3R211").unwrap();
    assert_eq!(dup.range.start.line, line_of(main, "\"id\": \"logs\"") - 1);
    assert_eq!(
        dup.path,
        "aws_s3_bucket_replication_configuration.main.rule[1].priority"
    );
    // A value the code does not fix is named as written.
    assert!(c.diagnostics.iter().any(|d| d.code == "S3R600"
        && d.help
            .as_deref()
            .is_some_and(|h| h.contains("`var.replica_account`"))));
    let providers = &files
        .iter()
        .find(|f| f.path == "providers.tf.json")
        .unwrap()
        .text;
    let fact = |f: &str| c.facts.iter().find(|x| x.field == f).unwrap();
    assert_eq!(fact("sourceRegion").file, "providers.tf.json");
    assert_eq!(
        fact("sourceRegion").line,
        line_of(providers, "${var.source_region}")
    );
    assert_eq!(
        fact("destinations.acme-logs-replica.account").line,
        line_of(providers, "\"role_arn\"")
    );
    assert_eq!(
        fact("sourceBucketKeys").line,
        line_of(main, "\"bucket_key_enabled\"")
    );
    // What the text output shows: the JSON lines.
    let text = s3_replication_lint::iac::render::text(&report, &files, false);
    assert!(
        text.contains("\"replica_kms_key_id\": \"${aws_kms_key.replica.arn}\""),
        "{text}"
    );
}

#[test]
fn a_module_mixing_both_syntaxes_is_one_module() {
    let files = module("terraform-mixed");
    assert_eq!(files.len(), 3);
    let report = check_files(&files, None, &DeploymentContext::default());
    assert_eq!(report.configurations.len(), 1, "{:#?}", report.files);
    let c = &report.configurations[0];
    assert_eq!(c.file, "main.tf");
    let providers = &files
        .iter()
        .find(|f| f.path == "providers.tf.json")
        .unwrap()
        .text;
    let fact = |f: &str| {
        c.facts
            .iter()
            .find(|x| x.field == f)
            .unwrap_or_else(|| panic!("{f}: {:#?}", c.facts))
    };
    // `terraform.tfvars.json` wins over the default (`us-east-1`), as `terraform plan` reads it.
    assert_eq!(
        fact("destinations.acme-logs-replica.region").value,
        "eu-central-1"
    );
    assert_eq!(
        fact("destinations.acme-logs-replica.region").file,
        "providers.tf.json"
    );
    assert_eq!(
        fact("destinations.acme-logs-replica.region").line,
        line_of(providers, "${var.replica_region}")
    );
    // The account it sets is known: nothing rests on `var.replica_account` any more.
    assert!(!c.diagnostics.iter().any(|d| d
        .help
        .as_deref()
        .is_some_and(|h| h.contains("var.replica_account"))));
    let region = c.diagnostics.iter().find(|d| d.code == "S3R405").unwrap();
    let main = &files.iter().find(|f| f.path == "main.tf").unwrap().text;
    assert_eq!(region.range.start.line, line_of(main, "replica_kms_key_id"));
}

#[test]
fn cdktf_synth_output_is_read_alone() {
    let f = SourceFile {
        path: "cdktf.out/stacks/replication/cdk.tf.json".into(),
        text: std::fs::read_to_string(fixtures().join("cdktf-synth/cdk.tf.json")).unwrap(),
    };
    assert_eq!(detect(&f.path, &f.text), InputKind::Terraform);
    assert_eq!(detect("-", &f.text), InputKind::Terraform);
    let report = check_files(
        std::slice::from_ref(&f),
        None,
        &DeploymentContext::default(),
    );
    assert!(
        report.files[0].diagnostics.is_empty(),
        "{:#?}",
        report.files
    );
    let c = &report.configurations[0];
    assert_eq!(
        c.address,
        "aws_s3_bucket_replication_configuration.Replication"
    );
    assert_eq!(c.kind, InputKind::Terraform);
    let codes: Vec<(&str, Severity)> = c
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .map(|d| (d.code, d.severity))
        .collect();
    assert_eq!(
        codes,
        [("S3R211", Severity::Error), ("S3R315", Severity::Warning)],
        "{:#?}",
        c.diagnostics
    );
    let dup = &c.diagnostics.iter().find(|d| d.code == "S3R211").unwrap();
    assert_eq!(
        dup.path,
        "aws_s3_bucket_replication_configuration.Replication.rule[1].priority"
    );
    assert_eq!(
        dup.range.start.line,
        line_of(&f.text, "\"id\": \"archive\"") - 11
    );
    let fact = |k: &str| {
        c.facts
            .iter()
            .find(|x| x.field == k)
            .map(|x| (x.value.as_str(), x.line))
    };
    assert_eq!(
        fact("sourceRegion"),
        Some(("eu-west-1", line_of(&f.text, "\"eu-west-1\"")))
    );
    assert_eq!(
        fact("destinations.acme-media-replica.region"),
        Some(("eu-central-1", line_of(&f.text, "\"eu-central-1\"")))
    );
    assert_eq!(fact("sourceVersioning").map(|x| x.0), Some("Enabled"));
    // The role policy of the data source, audited where it is written, with the fix an
    // edit of the JSON.
    let audit: Vec<_> = c.audits.iter().flat_map(|a| a.diagnostics.iter()).collect();
    let wrong = audit.iter().find(|d| d.code == "S3R703").expect("S3R703");
    assert_eq!(
        wrong.range.start.line,
        line_of(&f.text, "\"s3:GetObjectVersion\",")
    );
    let edit = &wrong.fix.as_ref().unwrap().edits[0];
    assert_eq!(
        &f.text[edit.span.start as usize..edit.span.end as usize],
        "s3:GetObjectVersion"
    );
    assert_eq!(edit.new_text, "s3:GetObjectVersionForReplication");
    assert!(
        audit
            .iter()
            .all(|d| d.code == "S3R703" || d.severity == Severity::Info),
        "{audit:#?}"
    );
}

fn one(name: &str, text: &str) -> IacReport {
    check(&[SourceFile {
        path: name.into(),
        text: text.into(),
    }])
}

const CONFIG: &str = r#""aws_s3_bucket_replication_configuration": {"r": {
  "bucket": "${var.name}", "role": "arn:aws:iam::111122223333:role/r",
  "rule": {"status": "Enabled", "filter": {}, "delete_marker_replication": {"status": "Enabled"},
           "destination": {"bucket": "arn:aws:s3:::dst"}}}}"#;

#[test]
fn strings_are_templates_literals_or_references_as_terraform_reads_them() {
    // A variable's default is literal: `${` stays text.
    let r = one(
        "a.tf.json",
        &format!(
            r#"{{"variable": {{"name": {{"default": "acme-${{x}}"}}}}, "resource": {{{CONFIG}}}}}"#
        ),
    );
    assert_eq!(
        r.configurations[0].context.source_bucket.as_deref(),
        Some("acme-${x}")
    );
    // A template's `$${` is the same text.
    let r = one(
        "a.tf.json",
        &format!(
            r#"{{"locals": {{"n": "acme-$${{x}}"}}, "variable": {{"name": {{"default": "${{local.n}}"}}}}, "resource": {{{CONFIG}}}}}"#
        ),
    );
    assert_eq!(
        r.configurations[0].context.source_bucket.as_deref(),
        Some("${local.n}")
    );
    let r = one(
        "a.tf.json",
        &format!(
            r#"{{"locals": {{"n": "acme-$${{x}}-\u0041"}}, "resource": {{{}}}}}"#,
            CONFIG.replace("${var.name}", "${local.n}")
        ),
    );
    assert_eq!(
        r.configurations[0].context.source_bucket.as_deref(),
        Some("acme-${x}-A")
    );
    // A template over known parts, escapes decoded.
    let r = one(
        "a.tf.json",
        &format!(
            r#"{{"locals": {{"p": "ac\"me"}}, "resource": {{{}}}}}"#,
            CONFIG.replace(
                "${var.name}",
                "x-${replace(local.p, \\\"\\\\\\\"\\\", \\\"\\\")}"
            )
        ),
    );
    assert_eq!(
        r.configurations[0].context.source_bucket.as_deref(),
        Some("x-acme"),
        "{:#?}",
        r.files
    );
    // `.tfvars.json` values are literal.
    let files = [
        SourceFile {
            path: "main.tf.json".into(),
            text: format!(r#"{{"variable": {{"name": {{}}}}, "resource": {{{CONFIG}}}}}"#),
        },
        SourceFile {
            path: "terraform.tfvars.json".into(),
            text: r#"{"name": "from-${tfvars}", "//": "no comment in values files"}"#.into(),
        },
    ];
    let r = check(&files);
    assert_eq!(
        r.configurations[0].context.source_bucket.as_deref(),
        Some("from-${tfvars}")
    );
}

#[test]
fn provider_references_and_dynamic_blocks() {
    let text = r#"{
  "provider": {"aws": [{"region": "us-east-1"}, {"alias": "west", "region": "us-west-2"}]},
  "resource": {
    "aws_s3_bucket": {"dst": {"provider": "${aws.west}", "bucket": "dst"}},
    "aws_s3_bucket_replication_configuration": {"r": {
      "provider": "aws.west",
      "bucket": "src", "role": "arn:aws:iam::111122223333:role/r",
      "dynamic": {"rule": {"for_each": "${var.rules}", "content": {
        "id": "${rule.key}", "status": "Enabled", "filter": {},
        "destination": {"bucket": "${aws_s3_bucket.dst.arn}"}
      }}}
    }}
  }
}"#;
    let r = one("m.tf.json", text);
    let c = &r.configurations[0];
    let fact = |k: &str| {
        c.facts
            .iter()
            .find(|x| x.field == k)
            .map(|x| x.value.clone())
    };
    assert_eq!(
        fact("sourceRegion").as_deref(),
        Some("us-west-2"),
        "{:#?}",
        c.facts
    );
    assert_eq!(
        fact("destinations.dst.region").as_deref(),
        Some("us-west-2")
    );
    // The dynamic block is read once from its content, and named.
    let dynamic = c
        .diagnostics
        .iter()
        .find(|d| d.code == "S3R014")
        .expect("S3R014");
    assert_eq!(
        &text[dynamic.span.start as usize..dynamic.span.start as usize + 6],
        "\"rule\""
    );
    assert!(c.diagnostics.iter().any(|d| d.path.contains("rule[0]")));
}

#[test]
fn detection_of_terraform_json_by_name_and_content() {
    let tf = r#"{"//": "x", "terraform": {}, "resource": {}}"#;
    assert_eq!(detect("stack.json", tf), InputKind::Terraform);
    assert_eq!(
        detect("-", r#"{"variable": {"a": {}}}"#),
        InputKind::Terraform
    );
    assert_eq!(
        detect("terraform.tfvars.json", r#"{"a": 1}"#),
        InputKind::Terraform
    );
    assert_eq!(detect("x.auto.tfvars.json", "{}"), InputKind::Terraform);
    assert_eq!(detect("x.tf.json", "{}"), InputKind::Terraform);
    // CloudFormation, a plan and the API's JSON stay what they are.
    assert_eq!(
        detect("-", r#"{"Resources": {"resource": {}}}"#),
        InputKind::CloudFormation
    );
    assert_eq!(
        detect(
            "-",
            r#"{"format_version": "1.2", "terraform_version": "1.9", "planned_values": {}, "resource_changes": []}"#
        ),
        InputKind::TerraformPlan
    );
    assert_eq!(
        detect("-", r#"{"Role": "r", "Rules": [{"resource": 1}]}"#),
        InputKind::Api
    );
    assert_eq!(
        detect("-", r#"{"resource": {}, "Rules": []}"#),
        InputKind::Api
    );
    assert_eq!(
        detect("-", r#"{"data": [1, {"resource": 2}]}"#),
        InputKind::Terraform
    );
    assert_eq!(
        detect("-", r#"{"ReplicationConfiguration": {"resource": {}}}"#),
        InputKind::Api
    );
    // The caller's word wins: any name, read as Terraform.
    let r = check_files(
        &[SourceFile {
            path: "generated.json".into(),
            text: format!(
                r#"{{"variable": {{"name": {{"default": "src"}}}}, "resource": {{{CONFIG}}}}}"#
            ),
        }],
        Some(InputKind::Terraform),
        &DeploymentContext::default(),
    );
    assert_eq!(r.configurations.len(), 1);
}

#[test]
fn wrong_shapes_get_positioned_findings_and_never_panic() {
    let cases: &[(&str, &str)] = &[
        (
            r#"{"resource": {"aws_s3_bucket_replication_configuration": {"r": {"rule": "x"}}}}"#,
            "\"x\"",
        ),
        (
            r#"{"resource": {"aws_s3_bucket_replication_configuration": "x"}}"#,
            "\"x\"",
        ),
        (r#"{"resource": [1]}"#, "1"),
        (
            r#"{"resource": {"aws_s3_bucket_replication_configuration": {"r": {"rule": [{"status": "Enabled"}, 7]}}}}"#,
            "7",
        ),
        (r#"{"locals": {"a": "${"}}"#, "\"${\""),
        (r#"{"locals": {"a": "${var.x"}}"#, "\"${var.x\""),
        (r#"["resource"]"#, "\"resource\""),
        (r#""resource""#, "\"resource\""),
        (r#"{"resource": {"#, ""),
    ];
    for (text, at) in cases {
        let r = one("bad.tf.json", text);
        let d = r.files[0]
            .diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
            .unwrap_or_else(|| panic!("{text}: {:#?}", r.files));
        assert_eq!(d.code, "S3R001", "{text}");
        if !at.is_empty() {
            let found = &text[d.span.start as usize..d.span.end as usize];
            assert_eq!(found, *at, "{text}: {}", d.message);
        }
    }
    // Strings cannot smuggle structure into the reading.
    let sneaky = r#"{"resource": {"aws_s3_bucket": {"b": {
        "provider": "aws.x\n}\nresource \"aws_s3_bucket_replication_configuration\" \"evil\" {\nrole = \"r\"",
        "bucket": "${var.a}\n}\nresource \"aws_s3_bucket_replication_configuration\" \"evil2\" {\nx = ${1}",
        "tags": {"a\n}\nresource \"x\" \"y\" {": "b"}
    }}}}"#;
    let r = one("sneaky.tf.json", sneaky);
    assert!(
        r.configurations.is_empty(),
        "{:#?}",
        r.configurations
            .iter()
            .map(|c| &c.address)
            .collect::<Vec<_>>()
    );
}

#[test]
fn hostile_json_is_bounded_and_never_panics() {
    // Deep nesting: the JSON parser's limit, positioned.
    let deep = format!(
        r#"{{"locals": {{"a": {}1{}}}}}"#,
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let r = one("deep.tf.json", &deep);
    assert!(r.files[0]
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error && d.span.start > 20));
    // A huge array and many rules are read.
    let items = vec!["\"s3:GetObject\""; 200_000].join(",");
    let big = format!(r#"{{"locals": {{"a": [{items}]}}, "resource": {{{CONFIG}}}}}"#);
    let start = std::time::Instant::now();
    let r = one("big.tf.json", &big);
    assert_eq!(r.configurations.len(), 1);
    assert!(start.elapsed().as_secs() < 20);
    // Every cut of a real file: findings inside the text, no panic.
    let text = std::fs::read_to_string(fixtures().join("cdktf-synth/cdk.tf.json")).unwrap();
    for cut in (0..text.len()).step_by(7) {
        let r = one("cut.tf.json", &text[..cut]);
        for d in r.files.iter().flat_map(|f| f.diagnostics.iter()) {
            assert!(d.span.end as usize <= cut, "{cut}: {d:?}");
        }
        for c in &r.configurations {
            for d in &c.diagnostics {
                assert!(d.span.end as usize <= cut, "{cut}: {d:?}");
            }
        }
    }
    // Escapes of every kind, in keys, labels and values.
    let odd = r#"{"resource": {"aws_s3_bucket\u005f": {"b\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00\udc00": {
        "bucket": "\u0000\ud800x\/${\"}\"}", "tags": {"\u0024{x}": "\u0025{y}"}, "x-y": 1e999, "-1": -0.5e-3}}}}"#;
    let r = one("odd.tf.json", odd);
    assert!(r.files[0]
        .diagnostics
        .iter()
        .all(|d| (d.span.end as usize) <= odd.len()));
}

/// A statement to add is written in the policy's own syntax, which a `.tf.json` file does not
/// share: the finding stays, without that edit.
#[test]
fn no_statement_edit_is_offered_in_a_json_file() {
    let native = module("terraform-child-module");
    let fixes = |r: &IacReport| -> Vec<(String, bool)> {
        r.configurations
            .iter()
            .flat_map(|c| c.audits.iter())
            .flat_map(|a| a.diagnostics.iter())
            .filter(|d| d.severity != Severity::Info)
            .map(|d| (d.code.to_string(), d.fix.is_some()))
            .collect()
    };
    let before = fixes(&check(&native));
    assert!(before.iter().any(|(_, f)| *f), "{before:?}");
    let json = as_json(&native, |_| true);
    let report = check(&json);
    let after = fixes(&report);
    // The edit that stays keeps the file valid JSON.
    for a in report.configurations.iter().flat_map(|c| c.audits.iter()) {
        let text = &json.iter().find(|f| f.path == a.file).unwrap().text;
        for fix in a.diagnostics.iter().filter_map(|d| d.fix.as_ref()) {
            let e = &fix.edits[0];
            let mut edited = text.clone();
            edited.replace_range(e.span.start as usize..e.span.end as usize, &e.new_text);
            assert!(
                serde_json::from_str::<serde_json::Value>(&edited).is_ok(),
                "{}",
                fix.title
            );
            assert!(edited.contains("s3:GetObjectVersionForReplication"));
        }
    }
    assert_eq!(before.len(), after.len());
    for ((code, had), (code2, has)) in before.iter().zip(&after) {
        assert_eq!(code, code2);
        // Only the in-place replacement of a misspelled or wrong action survives.
        assert_eq!(
            *has,
            *had && (code == "S3R703" || code == "S3R722"),
            "{code}"
        );
    }
}

/// Every position of a report on `text` is inside it, on character boundaries.
fn assert_inside(r: &IacReport, text: &str) {
    let all = r
        .configurations
        .iter()
        .flat_map(|c| {
            c.diagnostics
                .iter()
                .chain(c.audits.iter().flat_map(|a| a.diagnostics.iter()))
        })
        .chain(r.files.iter().flat_map(|f| f.diagnostics.iter()));
    for d in all {
        let (s, e) = (d.span.start as usize, d.span.end as usize);
        assert!(s <= e && e <= text.len(), "{d:?}");
        assert!(
            text.is_char_boundary(s) && text.is_char_boundary(e),
            "{d:?}"
        );
        for x in d.fix.iter().flat_map(|f| f.edits.iter()) {
            let (s, e) = (x.span.start as usize, x.span.end as usize);
            assert!(
                s <= e && e <= text.len() && text.is_char_boundary(s),
                "{d:?}"
            );
        }
    }
}

/// Damaged copies of a real file (a byte replaced by JSON's and templates' own
/// punctuation, or by a multi-byte character): no panic, every position inside the file.
#[test]
fn damaged_json_never_panics_and_stays_positioned() {
    let text = std::fs::read_to_string(fixtures().join("cdktf-synth/cdk.tf.json")).unwrap();
    let marks = [
        "{", "}", "[", "]", "\"", ":", ",", "\\", "$", "%{", "${", "é", "\n", "//",
    ];
    let mut k = 0;
    for at in (0..text.len()).step_by(11) {
        if !text.is_char_boundary(at) || !text.is_char_boundary(at + 1) {
            continue;
        }
        let mark = marks[k % marks.len()];
        k += 1;
        let mut damaged = text.clone();
        damaged.replace_range(at..at + 1, mark);
        let r = one("cdk.tf.json", &damaged);
        assert_inside(&r, &damaged);
    }
    assert!(k > 200);
}

/// A value the code does not fix reads the same in both syntaxes: each scalar argument of
/// every fixture module replaced, one at a time, by an unresolvable reference gives the same
/// errors written natively and in JSON (whether the native reader is right about them is
/// the native tests' concern).
#[test]
fn unresolvable_references_read_the_same_in_json() {
    let errors = |r: &IacReport| -> Vec<String> {
        r.configurations
            .iter()
            .flat_map(|c| c.diagnostics.iter())
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{} {}", d.code, d.path))
            .collect()
    };
    // Literal or reference arguments, where a reference means something else.
    let skip = [
        "default",
        "source",
        "version",
        "type",
        "provider",
        "alias",
        "description",
    ];
    let mut checked = 0;
    for (dir, files) in native_modules() {
        for (i, f) in files.iter().enumerate() {
            if !f.path.ends_with(".tf") {
                continue;
            }
            for (n, line) in f.text.lines().enumerate() {
                let Some((key, value)) = line.split_once('=') else {
                    continue;
                };
                let (key, value) = (key.trim(), value.trim());
                let scalar =
                    (value.starts_with('"') && value.ends_with('"') && !value.contains("${"))
                        || value.parse::<f64>().is_ok()
                        || value == "true"
                        || value == "false";
                if !scalar
                    || skip.contains(&key)
                    || !key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                {
                    continue;
                }
                let mut mutated = files.clone();
                mutated[i].text = f
                    .text
                    .lines()
                    .enumerate()
                    .map(|(k, l)| {
                        if k == n {
                            format!("{key} = var.unresolvable_zz\n")
                        } else {
                            format!("{l}\n")
                        }
                    })
                    .collect();
                let native = errors(&check(&mutated));
                let json = errors(&check(&as_json(&mutated, |_| true)));
                assert_eq!(native, json, "{dir} {} line {}: {line}", f.path, n + 1);
                checked += 1;
            }
        }
    }
    assert!(checked > 300, "{checked}");
}
