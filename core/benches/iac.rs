//! Finding, translating and checking 1000-rule configurations written as a CloudFormation
//! YAML template, a Terraform file and the same in Terraform's JSON syntax, beside the
//! floors: the bare YAML event stream (saphyr-parser), the bare HCL parse (hcl-edit) and the
//! bare JSON parse of the same bytes.
//! `cargo bench -p s3-replication-lint --bench iac`; figures in BENCHMARKS.md.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use s3_replication_lint::iac::{check_files, InputKind, SourceFile};
use std::hint::black_box;

/// A CloudFormation template with `n` rules (a prefix filter each, one destination).
pub fn cfn(n: usize) -> String {
    let mut t = String::from("AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Source:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: acme-source\n      VersioningConfiguration:\n        Status: Enabled\n      ReplicationConfiguration:\n        Role: arn:aws:iam::111122223333:role/replication\n        Rules:\n");
    for i in 0..n {
        t.push_str(&format!(
            "          - Id: rule-{i}\n            Status: Enabled\n            Priority: {i}\n            Filter:\n              Prefix: logs/{i}/\n            DeleteMarkerReplication:\n              Status: Disabled\n            Destination:\n              Bucket: arn:aws:s3:::acme-replica\n              StorageClass: STANDARD_IA\n"
        ));
    }
    t
}

/// The same configuration as one Terraform resource.
pub fn terraform(n: usize) -> String {
    let mut t = String::from("resource \"aws_s3_bucket_replication_configuration\" \"main\" {\n  bucket = \"acme-source\"\n  role   = \"arn:aws:iam::111122223333:role/replication\"\n");
    for i in 0..n {
        t.push_str(&format!(
            "  rule {{\n    id       = \"rule-{i}\"\n    status   = \"Enabled\"\n    priority = {i}\n    filter {{\n      prefix = \"logs/{i}/\"\n    }}\n    delete_marker_replication {{\n      status = \"Disabled\"\n    }}\n    destination {{\n      bucket        = \"arn:aws:s3:::acme-replica\"\n      storage_class = \"STANDARD_IA\"\n    }}\n  }}\n"
        ));
    }
    t.push_str("}\n");
    t
}

/// The same configuration in Terraform's JSON syntax (`.tf.json`, as `cdktf synth` writes).
pub fn terraform_json(n: usize) -> String {
    let mut t = String::from("{\n  \"resource\": {\n    \"aws_s3_bucket_replication_configuration\": {\n      \"main\": {\n        \"bucket\": \"acme-source\",\n        \"role\": \"arn:aws:iam::111122223333:role/replication\",\n        \"rule\": [\n");
    for i in 0..n {
        let comma = if i + 1 < n { "," } else { "" };
        t.push_str(&format!(
            "          {{\n            \"id\": \"rule-{i}\",\n            \"status\": \"Enabled\",\n            \"priority\": {i},\n            \"filter\": {{\n              \"prefix\": \"logs/{i}/\"\n            }},\n            \"delete_marker_replication\": {{\n              \"status\": \"Disabled\"\n            }},\n            \"destination\": {{\n              \"bucket\": \"arn:aws:s3:::acme-replica\",\n              \"storage_class\": \"STANDARD_IA\"\n            }}\n          }}{comma}\n"
        ));
    }
    t.push_str("        ]\n      }\n    }\n  }\n}\n");
    t
}

fn yaml_events(text: &str) -> usize {
    saphyr_parser::Parser::new_from_str(text)
        .filter(|e| e.is_ok())
        .count()
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("iac");
    group.sample_size(10);
    for n in [10usize, 1000] {
        let y = cfn(n);
        group.throughput(Throughput::Bytes(y.len() as u64));
        group.bench_with_input(BenchmarkId::new("yaml-events", n), &y, |b, t| {
            b.iter(|| yaml_events(black_box(t)))
        });
        let files = [SourceFile {
            path: "t.yaml".into(),
            text: y.clone(),
        }];
        group.bench_with_input(
            BenchmarkId::new("cloudformation-check", n),
            &files,
            |b, f| {
                b.iter(|| {
                    check_files(
                        black_box(f),
                        Some(InputKind::CloudFormation),
                        &Default::default(),
                    )
                    .configurations
                    .len()
                })
            },
        );
        let h = terraform(n);
        group.throughput(Throughput::Bytes(h.len() as u64));
        group.bench_with_input(BenchmarkId::new("hcl-parse", n), &h, |b, t| {
            b.iter(|| hcl_edit::parser::parse_body(black_box(t)).is_ok())
        });
        let files = [SourceFile {
            path: "main.tf".into(),
            text: h.clone(),
        }];
        group.bench_with_input(BenchmarkId::new("terraform-check", n), &files, |b, f| {
            b.iter(|| {
                check_files(
                    black_box(f),
                    Some(InputKind::Terraform),
                    &Default::default(),
                )
                .configurations
                .len()
            })
        });
        let j = terraform_json(n);
        group.throughput(Throughput::Bytes(j.len() as u64));
        group.bench_with_input(BenchmarkId::new("json-parse", n), &j, |b, t| {
            b.iter(|| {
                s3_replication_lint::parse::json::parse_tree(black_box(t))
                    .0
                    .is_some()
            })
        });
        let files = [SourceFile {
            path: "main.tf.json".into(),
            text: j.clone(),
        }];
        group.bench_with_input(
            BenchmarkId::new("terraform-json-check", n),
            &files,
            |b, f| {
                b.iter(|| {
                    check_files(
                        black_box(f),
                        Some(InputKind::Terraform),
                        &Default::default(),
                    )
                    .configurations
                    .len()
                })
            },
        );
    }
    group.finish();
}

criterion_group!(iac_benches, benches);
criterion_main!(iac_benches);
