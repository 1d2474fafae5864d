//! Real-world templates, modules and plans (`tests/fixtures/iac/real-world/`): each case is a
//! directory written after a public pattern (its header says which, and what S3 answers).
//! A Terraform case is read as the CLI reads a module directory (every `.tf` and `.tfvars`
//! file, paths relative to the case); a template or plan case is each file on its own (with a CDK
//! `manifest.json` when there is one).
//!
//! Expectations are markers: `# expect: CODE...` on the line a finding points at, or
//! `# expect: CODE... at NEEDLE` for the first other line of that file containing NEEDLE
//! (`at NEEDLE after PRIOR`: the first such line below the first line with PRIOR).
//! JSON files cannot hold comments: their markers are in the case's `case.txt`, as
//! `expect: FILE CODE... at NEEDLE`. `expect-configurations: N` says how many
//! configurations the case holds (default 1). Every error and warning must be expected (of
//! the configurations and of the audits of their policies), and nothing else may appear; no
//! case may panic.
#![cfg(feature = "iac")]

mod fixture_tree;

use s3_replication_lint::iac::{check_files, IacReport, SourceFile};
use s3_replication_lint::{DeploymentContext, Severity};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    match std::env::var("S3RL_CASES") {
        Ok(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/iac/real-world"),
    }
}

pub struct Case {
    pub name: String,
    pub files: Vec<SourceFile>,
    pub meta: String,
}

pub fn cases() -> Vec<Case> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|d| {
            let files = fixture_tree::tree(&d, &|name| name != "case.txt");
            Case {
                name: d.file_name().unwrap().to_string_lossy().to_string(),
                files,
                meta: std::fs::read_to_string(d.join("case.txt")).unwrap_or_default(),
            }
        })
        .collect()
}

/// Check a case as the CLI would: a module directory at once, templates and plans each.
pub fn run(case: &Case) -> Vec<IacReport> {
    let context = DeploymentContext::default();
    if case.files.iter().any(|f| f.path.ends_with(".tf")) {
        let tf: Vec<SourceFile> = case
            .files
            .iter()
            .filter(|f| f.path.ends_with(".tf") || f.path.ends_with(".tfvars"))
            .cloned()
            .collect();
        return vec![check_files(&tf, None, &context)];
    }
    let manifests: Vec<SourceFile> = case
        .files
        .iter()
        .filter(|f| f.path.ends_with("manifest.json"))
        .cloned()
        .collect();
    case.files
        .iter()
        .filter(|f| !f.path.ends_with("manifest.json"))
        .map(|f| {
            let mut files = vec![f.clone()];
            files.extend(manifests.iter().cloned());
            check_files(&files, None, &context)
        })
        .collect()
}

fn line_with(f: &SourceFile, needle: &str, not: Option<usize>) -> u32 {
    // `NEEDLE after PRIOR`: the first line with NEEDLE below the first line with PRIOR.
    let (needle, from) = match needle.split_once(" after ") {
        Some((needle, prior)) => (needle, line_with(f, prior, not) as usize),
        None => (needle, 0),
    };
    f.text
        .lines()
        .enumerate()
        .skip(from)
        .find(|(k, l)| Some(*k) != not && l.contains(needle))
        .unwrap_or_else(|| panic!("{}: no line with {needle}", f.path))
        .0 as u32
        + 1
}

/// (code, file, line) of every marker.
fn expected(case: &Case) -> BTreeSet<(String, String, u32)> {
    let mut out = BTreeSet::new();
    let mut add = |codes: &str, f: &SourceFile, line: u32| {
        for code in codes.split_whitespace() {
            out.insert((code.to_string(), f.path.clone(), line));
        }
    };
    for f in &case.files {
        for (i, line) in f.text.lines().enumerate() {
            let Some((_, spec)) = line.split_once("# expect: ") else {
                continue;
            };
            match spec.split_once(" at ") {
                Some((codes, needle)) => add(codes, f, line_with(f, needle, Some(i))),
                None => add(spec, f, i as u32 + 1),
            }
        }
    }
    for line in case.meta.lines() {
        let Some(spec) = line.strip_prefix("expect: ") else {
            continue;
        };
        let (file, rest) = spec
            .split_once(' ')
            .expect("expect: FILE CODE... at NEEDLE");
        let (codes, needle) = rest.split_once(" at ").expect("at NEEDLE");
        let f = case
            .files
            .iter()
            .find(|f| f.path == file)
            .unwrap_or_else(|| panic!("{}: no file {file}", case.name));
        add(codes, f, line_with(f, needle, None));
    }
    out
}

fn found(reports: &[IacReport]) -> BTreeSet<(String, String, u32)> {
    let mut out = BTreeSet::new();
    for r in reports {
        for c in &r.configurations {
            for d in &c.diagnostics {
                if d.severity != Severity::Info {
                    out.insert((d.code.to_string(), c.file.clone(), d.range.start.line));
                }
            }
            // The audits of the policies the code has for it, where they are written.
            for p in &c.audits {
                for d in &p.diagnostics {
                    if d.severity != Severity::Info {
                        out.insert((d.code.to_string(), p.file.clone(), d.range.start.line));
                    }
                }
            }
        }
        for f in &r.files {
            for d in &f.diagnostics {
                if d.severity != Severity::Info {
                    out.insert((d.code.to_string(), f.file.clone(), d.range.start.line));
                }
            }
        }
    }
    out
}

fn configurations(case: &Case) -> usize {
    case.meta
        .lines()
        .chain(case.files.iter().flat_map(|f| f.text.lines()))
        .find_map(|l| l.split_once("expect-configurations: ").map(|(_, n)| n))
        .map_or(1, |n| n.trim().parse().unwrap())
}

fn describe(reports: &[IacReport]) -> String {
    let mut s = String::new();
    for r in reports {
        for c in &r.configurations {
            s.push_str(&format!("== {} ({})\n", c.address, c.file));
            if std::env::var("S3RL_AUDITS").is_ok() {
                for p in &c.audits {
                    for d in &p.diagnostics {
                        s.push_str(&format!(
                            "  [audit {} {}] {}:{} {} {} {}\n",
                            p.kind,
                            p.file,
                            d.range.start.line,
                            d.range.start.column,
                            d.severity.as_str(),
                            d.code,
                            d.message
                        ));
                    }
                }
            }
            for d in &c.diagnostics {
                s.push_str(&format!(
                    "  {}:{} {} {} {}\n",
                    d.range.start.line,
                    d.range.start.column,
                    d.severity.as_str(),
                    d.code,
                    d.message
                ));
            }
        }
        for f in &r.files {
            for d in &f.diagnostics {
                s.push_str(&format!(
                    "  [file {}] {}:{} {} {} {}\n",
                    f.file,
                    d.range.start.line,
                    d.range.start.column,
                    d.severity.as_str(),
                    d.code,
                    d.message
                ));
            }
        }
    }
    s
}

/// `cargo test --test iac_realworld dump -- --nocapture --ignored`: every finding of every
/// case (`S3RL_CASE=NAME` for the cases whose name contains NAME, `S3RL_CASES=DIR` for
/// another directory of cases).
#[test]
#[ignore]
fn dump() {
    let only = std::env::var("S3RL_CASE").unwrap_or_default();
    for case in cases() {
        if !case.name.contains(&only) {
            continue;
        }
        let reports = run(&case);
        println!("##### {}\n{}", case.name, describe(&reports));
    }
}

#[test]
fn real_world_cases_report_exactly_what_s3_would() {
    let all = cases();
    assert!(all.len() >= 12, "{}", all.len());
    let mut failures = Vec::new();
    for case in &all {
        let reports = run(case);
        let n: usize = reports.iter().map(|r| r.configurations.len()).sum();
        let want = expected(case);
        let got = found(&reports);
        if n != configurations(case) || want != got {
            failures.push(format!(
                "{}: {n} configurations (want {})\n  want {want:?}\n  got  {got:?}\n{}",
                case.name,
                configurations(case),
                describe(&reports)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn tf(files: &[(&str, &str)]) -> IacReport {
    let files: Vec<SourceFile> = files
        .iter()
        .map(|(p, t)| SourceFile {
            path: p.to_string(),
            text: t.to_string(),
        })
        .collect();
    check_files(&files, None, &DeploymentContext::default())
}

fn errors(r: &IacReport) -> Vec<String> {
    r.configurations
        .iter()
        .flat_map(|c| c.diagnostics.iter())
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{} {}", d.code, d.message))
        .collect()
}

const RULE_WITH_DYNAMIC_DMR: &str = r#"
variable "replicate_delete_markers" {
  type    = bool
  default = false
}
resource "aws_s3_bucket_replication_configuration" "this" {
  bucket = "probe-src"
  role   = "arn:aws:iam::111122223333:role/r"
  rule {
    id     = "all"
    status = "Enabled"
    filter {}
    dynamic "delete_marker_replication" {
      for_each = var.replicate_delete_markers ? [1] : []
      content {
        status = "Enabled"
      }
    }
    dynamic "existing_object_replication" {
      for_each = []
      content {
        status = "Enabled"
      }
    }
    destination {
      bucket = "arn:aws:s3:::probe-dst"
    }
  }
}
"#;

/// A block only a root variable's default leaves out may well be there (`-var`): read, not
/// verified; one the code leaves out for good is not made at all.
/// Every inferred fact names a field of the deployment context as its JSON spells it, so the
/// editor and the CLI's `--context` can speak of the same field (or is the Region of a KMS
/// key the code defines, which no context field holds).
#[test]
fn inferred_facts_name_context_fields() {
    use s3_replication_lint::context::{CONTEXT_FIELDS, DESTINATION_FIELDS};
    let mut wrong = Vec::new();
    for case in cases() {
        for report in run(&case) {
            for c in &report.configurations {
                for fact in &c.facts {
                    let ok = match fact.field.strip_prefix("destinations.") {
                        Some(rest) => rest
                            .rsplit_once('.')
                            .is_some_and(|(_, f)| DESTINATION_FIELDS.contains(&f)),
                        None => {
                            CONTEXT_FIELDS.contains(&fact.field.as_str())
                                || fact.field.starts_with("region of ")
                        }
                    };
                    if !ok {
                        wrong.push(format!("{}: {}", case.name, fact.field));
                    }
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn dynamic_blocks_left_out_by_root_defaults_are_read() {
    let r = tf(&[("main.tf", RULE_WITH_DYNAMIC_DMR)]);
    assert_eq!(r.configurations.len(), 1);
    let c = &r.configurations[0];
    assert!(errors(&r).is_empty(), "{:#?}", c.diagnostics);
    let doc = c.document.as_ref().unwrap();
    assert!(doc.rules[0].delete_marker_replication.is_some());
    assert!(doc.rules[0].existing_object_replication.is_none());
}

const OPTIONAL_MODULE: &str = r#"
variable "enabled" {
  type    = bool
  default = false
}
variable "role" {
  type    = string
  default = ""
}
resource "aws_s3_bucket_replication_configuration" "this" {
  count  = var.enabled ? 1 : 0
  bucket = "probe-src"
  role   = var.role
  rule {
    id     = "all"
    status = "Enabled"
    filter {}
    delete_marker_replication {
      status = "Enabled"
    }
    destination {
      bucket = "arn:aws:s3:::probe-dst"
    }
  }
}
"#;

/// `count = var.enabled ? 1 : 0`: off by the root's default, the configuration is read with
/// nothing more than "not verified" (an empty role would be an error if it were deployed so);
/// off because the caller does not enable it, it is not created at all.
#[test]
fn count_zero_never_errors() {
    let root = tf(&[("main.tf", OPTIONAL_MODULE)]);
    assert_eq!(root.configurations.len(), 1);
    assert!(
        errors(&root).is_empty(),
        "{:#?}",
        root.configurations[0].diagnostics
    );
    assert!(root.configurations[0]
        .diagnostics
        .iter()
        .any(|d| d.code == "S3R600" && d.message.contains("S3R100")));

    let called = tf(&[
        ("main.tf", "module \"off\" {\n  source = \"./m\"\n}\nmodule \"on\" {\n  source  = \"./m\"\n  enabled = true\n  role    = \"arn:aws:iam::111122223333:role/r\"\n}\n"),
        ("m/main.tf", OPTIONAL_MODULE),
    ]);
    let addresses: Vec<&str> = called
        .configurations
        .iter()
        .map(|c| c.address.as_str())
        .collect();
    assert_eq!(
        addresses,
        // `count = 1` is expanded: its one instance, as Terraform names it.
        ["module.on.aws_s3_bucket_replication_configuration.this[0]"]
    );
    assert!(errors(&called).is_empty(), "{:#?}", called.configurations);
    assert!(called
        .files
        .iter()
        .flat_map(|f| f.diagnostics.iter())
        .any(|d| d.code == "S3R014"
            && d.message
                .contains("module.off.aws_s3_bucket_replication_configuration.this")));
}

/// A plan whose rules are known only after apply (`dynamic "rule"` over values of resources
/// still to be created: `after_unknown.rule = true`, no `rule` in `planned_values`), or one
/// block of a rule: nothing about them is an error.
#[test]
fn plan_rules_known_after_apply_never_error() {
    let plan = r#"{"format_version":"1.2","terraform_version":"1.8.0",
"planned_values":{"root_module":{"resources":[
 {"address":"aws_s3_bucket_replication_configuration.a","mode":"managed","type":"aws_s3_bucket_replication_configuration","name":"a","values":{"bucket":"src-a","role":"arn:aws:iam::111122223333:role/r","token":null}},
 {"address":"aws_s3_bucket_replication_configuration.b","mode":"managed","type":"aws_s3_bucket_replication_configuration","name":"b","values":{"bucket":"src-b","role":"arn:aws:iam::111122223333:role/r","token":null,
   "rule":[{"delete_marker_replication":[{"status":"Enabled"}],"destination":[{"access_control_translation":[],"account":null,"bucket":"arn:aws:s3:::dst","encryption_configuration":[],"metrics":[],"replication_time":[],"storage_class":null}],"existing_object_replication":[],"id":"x","prefix":null,"priority":1,"source_selection_criteria":[],"status":"Enabled"}]}}]}},
"resource_changes":[
 {"address":"aws_s3_bucket_replication_configuration.a","change":{"actions":["create"],"after_unknown":{"id":true,"rule":true}}},
 {"address":"aws_s3_bucket_replication_configuration.b","change":{"actions":["create"],"after_unknown":{"id":true,"rule":[{"filter":true}]}}}]}"#;
    let files = [SourceFile {
        path: "plan.json".into(),
        text: plan.into(),
    }];
    let r = check_files(&files, None, &DeploymentContext::default());
    assert_eq!(r.configurations.len(), 2);
    assert!(errors(&r).is_empty(), "{:#?}", r.configurations);
}

/// The inline block of provider v3 takes `sse_kms_encrypted_objects { enabled = true }`; the
/// standalone resource's `status` is refused there by Terraform, so it is an error, not a
/// silently disabled selection.
#[test]
fn inline_sse_kms_selection_takes_enabled() {
    let r = tf(&[(
        "main.tf",
        r#"resource "aws_s3_bucket" "a" {
  bucket = "probe-a"
  versioning { enabled = true }
  replication_configuration {
    role = "arn:aws:iam::111122223333:role/r"
    rules {
      id     = "x"
      status = "Enabled"
      prefix = "p/"
      source_selection_criteria {
        sse_kms_encrypted_objects {
          status = "Enabled"
        }
      }
      destination {
        bucket             = "arn:aws:s3:::probe-dst"
        replica_kms_key_id = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
      }
    }
  }
}
"#,
    )]);
    let d: Vec<_> = r.configurations[0]
        .diagnostics
        .iter()
        .filter(|d| d.code == "S3R002")
        .collect();
    assert_eq!(d.len(), 1, "{:#?}", r.configurations[0].diagnostics);
    assert_eq!(d[0].range.start.line, 12);
    assert!(d[0].help.as_deref().unwrap().contains("enabled"));
}

const RULES_FROM_A_LIST: &str = r#"
locals {
  rules = [
    { id = "a", status = "Enabled" },
    { id = "b", status = "enabled", priority = 2 },
  ]
}
resource "aws_s3_bucket_replication_configuration" "this" {
  bucket = "probe-src"
  role   = "arn:aws:iam::111122223333:role/r"
  dynamic "rule" {
    for_each = local.rules
    content {
      id       = rule.value.id
      priority = try(rule.value.priority, 1)
      status   = try(tobool(rule.value.status) ? "Enabled" : "Disabled", title(lower(rule.value.status)))
      filter {
        prefix = try(rule.value.prefix, "")
      }
      delete_marker_replication {
        status = "Disabled"
      }
      destination {
        bucket = "arn:aws:s3:::probe-dst"
      }
    }
  }
}
"#;

/// `dynamic "rule"` over a list the code fixes makes one rule per element, each read with
/// its own values; `try()` falls back where an element lacks the attribute (a Terraform
/// error) and `title(lower(...))` normalizes the status, as Terraform computes them.
#[test]
fn dynamic_rules_over_a_known_list_are_each_checked() {
    let r = tf(&[("main.tf", RULES_FROM_A_LIST)]);
    let c = &r.configurations[0];
    assert!(errors(&r).is_empty(), "{:#?}", c.diagnostics);
    assert!(
        !c.diagnostics.iter().any(|d| d.code == "S3R014"),
        "{:#?}",
        c.diagnostics
    );
    let doc = c.document.as_ref().unwrap();
    let got: Vec<(Option<i64>, Option<String>)> = doc
        .rules
        .iter()
        .map(|r| {
            (
                r.priority.as_ref().map(|p| p.value),
                r.status.as_ref().map(|s| s.value.to_string()),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (Some(1), Some("Enabled".to_string())),
            (Some(2), Some("Enabled".to_string()))
        ]
    );
}

const TYPED_MODULE: &str = r#"
variable "rules" {
  type = list(object({
    id       = string
    priority = optional(number, 7)
  }))
}
variable "unknown" {
  type = any
}
resource "aws_s3_bucket_replication_configuration" "this" {
  bucket = "probe-src"
  role   = "arn:aws:iam::111122223333:role/r"
  dynamic "rule" {
    for_each = var.rules
    content {
      id       = rule.value.id
      priority = try(rule.value.priority, 1)
      status   = "Enabled"
      filter {}
      delete_marker_replication {
        status = "Disabled"
      }
      destination {
        bucket = "arn:aws:s3:::probe-dst"
      }
    }
  }
  rule {
    id       = "z"
    priority = try(var.unknown.priority, 1)
    status   = "Enabled"
    filter {}
    delete_marker_replication {
      status = "Disabled"
    }
    destination {
      bucket = "arn:aws:s3:::probe-dst"
    }
  }
}
"#;

/// A caller's value is converted to the variable's type first: an `optional(number, 7)`
/// attribute left out is 7, so `try()` does not fall back to 1; a value only unknown here
/// is never replaced by the fallback.
#[test]
fn try_reads_optional_defaults_and_never_guesses_past_unknowns() {
    let r = tf(&[
        (
            "main.tf",
            "module \"m\" {\n  source = \"./m\"\n  rules  = [{ id = \"a\" }]\n}\n",
        ),
        ("m/main.tf", TYPED_MODULE),
    ]);
    let c = &r.configurations[0];
    let doc = c.document.as_ref().unwrap();
    let priorities: Vec<Option<i64>> = doc
        .rules
        .iter()
        .map(|r| r.priority.as_ref().map(|p| p.value))
        .collect();
    assert_eq!(priorities.len(), 2, "{:#?}", c.diagnostics);
    assert_eq!(priorities[0], Some(7));
    assert_ne!(priorities[1], Some(1));
    assert!(errors(&r).is_empty(), "{:#?}", c.diagnostics);
}

/// A source bucket encrypted by default with a KMS key the same code creates (so its ARN is
/// not known) and no rule selecting SSE-KMS objects: new objects silently do not replicate.
/// S3R411 reads the default encryption itself (`sourceDefaultEncryption`), in Terraform and
/// CloudFormation, and a rule that selects them silences it.
#[test]
fn source_default_kms_key_created_by_the_code_needs_selection() {
    let module = |selection: &str| {
        format!(
            r#"
resource "aws_kms_key" "src" {{}}
resource "aws_s3_bucket" "src" {{ bucket = "probe-src" }}
resource "aws_s3_bucket_versioning" "src" {{
  bucket = aws_s3_bucket.src.id
  versioning_configuration {{ status = "Enabled" }}
}}
resource "aws_s3_bucket_server_side_encryption_configuration" "src" {{
  bucket = aws_s3_bucket.src.id
  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm     = "aws:kms:dsse"
      kms_master_key_id = aws_kms_key.src.arn
    }}
  }}
}}
resource "aws_s3_bucket_replication_configuration" "r" {{
  bucket = aws_s3_bucket.src.id
  role   = "arn:aws:iam::111122223333:role/r"
  rule {{
    id     = "all"
    status = "Enabled"
    filter {{}}
    delete_marker_replication {{ status = "Disabled" }}
    {selection}
    destination {{ bucket = "arn:aws:s3:::probe-dst" }}
  }}
}}
"#
        )
    };
    let codes = |r: &IacReport| {
        r.configurations
            .iter()
            .flat_map(|c| c.diagnostics.iter())
            .map(|d| (d.code.to_string(), d.message.clone()))
            .collect::<Vec<_>>()
    };
    let bare = tf(&[("main.tf", &module(""))]);
    let found = codes(&bare);
    let s3r411: Vec<_> = found.iter().filter(|(c, _)| c == "S3R411").collect();
    assert_eq!(s3r411.len(), 1, "{found:?}");
    assert!(s3r411[0].1.contains("DSSE-KMS by default"), "{found:?}");
    let selected = tf(&[(
        "main.tf",
        &module(
            "source_selection_criteria {\n      sse_kms_encrypted_objects { status = \"Enabled\" }\n    }",
        ),
    )]);
    assert!(
        codes(&selected).iter().all(|(c, _)| c != "S3R411"),
        "{:?}",
        codes(&selected)
    );

    let template = r#"
Resources:
  Key:
    Type: AWS::KMS::Key
  Source:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: probe-src
      VersioningConfiguration: { Status: Enabled }
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
              KMSMasterKeyID: !GetAtt Key.Arn
      ReplicationConfiguration:
        Role: arn:aws:iam::111122223333:role/r
        Rules:
          - Status: Enabled
            Prefix: ""
            Destination: { Bucket: arn:aws:s3:::probe-dst }
"#;
    let r = check_files(
        &[SourceFile {
            path: "template.yaml".into(),
            text: template.into(),
        }],
        None,
        &DeploymentContext::default(),
    );
    let found = codes(&r);
    assert!(
        found
            .iter()
            .any(|(c, m)| c == "S3R411" && m.contains("SSE-KMS by default")),
        "{found:?}"
    );
}

/// Replica keys named through KMS data sources: the code fixes which key and its Region (the
/// data source's provider's, or the one in an ARN), so the Region check runs, and the AWS
/// managed key `alias/aws/s3` read through `data "aws_kms_alias"` is recognized cross-account.
#[test]
fn replica_keys_from_kms_data_sources_are_checked() {
    let module = |key_provider: &str, key_id: &str, key: &str| {
        format!(
            r#"
provider "aws" {{ region = "us-east-1" }}
provider "aws" {{
  alias  = "dr"
  region = "us-west-2"
}}
data "aws_kms_alias" "managed" {{
  provider = aws.dr
  name     = "alias/aws/s3"
}}
data "aws_kms_key" "replica" {{
  provider = {key_provider}
  key_id   = "{key_id}"
}}
resource "aws_s3_bucket" "dst" {{
  provider = aws.dr
  bucket   = "probe-dst"
}}
resource "aws_s3_bucket_replication_configuration" "r" {{
  bucket = "probe-src"
  role   = "arn:aws:iam::111122223333:role/r"
  rule {{
    id     = "all"
    status = "Enabled"
    filter {{}}
    delete_marker_replication {{ status = "Disabled" }}
    source_selection_criteria {{
      sse_kms_encrypted_objects {{ status = "Enabled" }}
    }}
    destination {{
      bucket  = aws_s3_bucket.dst.arn
      account = "444455556666"
      access_control_translation {{ owner = "Destination" }}
      encryption_configuration {{ replica_kms_key_id = {key} }}
    }}
  }}
}}
"#
        )
    };
    let findings = |key_provider: &str, key_id: &str, key: &str| {
        let r = tf(&[("main.tf", &module(key_provider, key_id, key))]);
        r.configurations
            .iter()
            .flat_map(|c| c.diagnostics.iter())
            .filter(|d| d.severity != Severity::Info)
            .map(|d| format!("{} {}", d.code, d.message))
            .collect::<Vec<_>>()
    };
    let has = |found: &[String], code: &str, text: &str| {
        found
            .iter()
            .any(|f| f.starts_with(code) && f.contains(text))
    };
    // The key an alias names, in the source's Region: not the destination's.
    let wrong = findings("aws", "alias/replica", "data.aws_kms_key.replica.arn");
    assert!(has(&wrong, "S3R405", "us-east-1"), "{wrong:?}");
    let right = findings("aws.dr", "alias/replica", "data.aws_kms_key.replica.arn");
    assert!(!has(&right, "S3R405", ""), "{right:?}");
    // aws/s3 across accounts: the replicas cannot be encrypted.
    let managed = findings(
        "aws",
        "alias/replica",
        "data.aws_kms_alias.managed.target_key_arn",
    );
    assert!(has(&managed, "S3R406", "across accounts"), "{managed:?}");
    assert!(!has(&managed, "S3R", "000000000000"), "{managed:?}");
    // A key ARN given to the data source is that key, whatever the provider's Region.
    let arn = "arn:aws:kms:us-west-2:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let given = findings("aws", arn, "data.aws_kms_key.replica.arn");
    assert!(!has(&given, "S3R405", ""), "{given:?}");
    let elsewhere = arn.replace("us-west-2", "eu-west-1");
    let given = findings("aws.dr", &elsewhere, "data.aws_kms_key.replica.arn");
    assert!(has(&given, "S3R405", "eu-west-1"), "{given:?}");
}

const COUNTED: &str = r#"
variable "destinations" {
  type = list(string)
}
locals {
  regions = ["eu-west-1", "us-west-2"]
}
resource "aws_s3_bucket" "src" {
  count  = 2
  bucket = "probe-src-${count.index}"
}
resource "aws_s3_bucket_versioning" "src" {
  count  = 2
  bucket = aws_s3_bucket.src[count.index].id
  versioning_configuration {
    status = "Enabled"
  }
}
resource "aws_s3_bucket" "dst" {
  count  = 2
  bucket = "probe-dst-${local.regions[count.index]}"
}
resource "aws_s3_bucket_versioning" "dst" {
  count  = 2
  bucket = aws_s3_bucket.dst[count.index].id
  versioning_configuration {
    status = "Enabled"
  }
}
resource "aws_iam_role" "r" {
  count = 1
  name  = "probe-replication"
}
resource "aws_s3_bucket_replication_configuration" "this" {
  count  = length(local.regions)
  bucket = aws_s3_bucket.src[count.index].id
  role   = one(aws_iam_role.r[*].arn)
  rule {
    id       = "to-${local.regions[count.index]}"
    priority = count.index
    status   = "Enabled"
    filter {}
    delete_marker_replication {
      status = "Enabled"
    }
    destination {
      bucket = aws_s3_bucket.dst[count.index].arn
    }
  }
}
resource "aws_s3_bucket_replication_configuration" "open" {
  count  = length(var.destinations)
  bucket = "probe-open"
  role   = "arn:aws:iam::111122223333:role/r"
  rule {
    status = "Enabled"
    filter {}
    delete_marker_replication {
      status = "Enabled"
    }
    destination {
      bucket = var.destinations[count.index]
    }
  }
}
"#;

/// `count` the code fixes makes one configuration per index, `count.index` bound in the
/// resource's own expressions and in the instances its references name; one it does not fix
/// is read once, `count.index` unknown.
#[test]
fn count_is_expanded_per_index() {
    let r = tf(&[("main.tf", COUNTED)]);
    let got: Vec<(&str, Option<&str>)> = r
        .configurations
        .iter()
        .map(|c| (c.address.as_str(), c.context.source_bucket.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "aws_s3_bucket_replication_configuration.this[0]",
                Some("probe-src-0")
            ),
            (
                "aws_s3_bucket_replication_configuration.this[1]",
                Some("probe-src-1")
            ),
            (
                "aws_s3_bucket_replication_configuration.open",
                Some("probe-open")
            ),
        ]
    );
    assert!(errors(&r).is_empty(), "{:#?}", r.configurations);
    let doc = r.configurations[1].document.as_ref().unwrap();
    let d = doc.rules[0].destination.as_ref().unwrap();
    assert_eq!(
        d.bucket.as_ref().unwrap().value.as_str(),
        "arn:aws:s3:::probe-dst-us-west-2"
    );
    assert_eq!(
        doc.rules[0].priority.as_ref().map(|p| p.value.to_string()),
        Some("1".to_string())
    );
    assert_eq!(
        r.configurations[1].context.source_versioning.as_deref(),
        Some("Enabled")
    );
    assert!(r.configurations[2]
        .diagnostics
        .iter()
        .any(|d| d.code == "S3R014" && d.message.contains("`count` is not expanded")));
}

/// A resource naming its own instance (a cycle Terraform refuses) or an index past its count
/// is read without hanging or panicking.
#[test]
fn counted_references_that_terraform_refuses_do_not_hang() {
    let r = tf(&[(
        "main.tf",
        r#"
resource "aws_s3_bucket" "a" {
  count  = 2
  bucket = "${aws_s3_bucket.a[count.index].id}-x"
}
resource "aws_s3_bucket_replication_configuration" "this" {
  count  = 3
  bucket = aws_s3_bucket.a[count.index + 5].id
  role   = try(aws_s3_bucket.a[7].arn, "arn:aws:iam::111122223333:role/r")
  rule {
    status = "Enabled"
    filter {}
    delete_marker_replication {
      status = "Enabled"
    }
    destination {
      bucket = aws_s3_bucket.a[*].arn[0]
    }
  }
}
"#,
    )]);
    assert_eq!(r.configurations.len(), 3);
}

/// A count only a root variable's default fixes makes instances read like the resource
/// without `count`: instance `i` does not depend on how many there are, so its findings are
/// as verified as they would be without it.
#[test]
fn count_from_root_defaults_reads_like_no_count() {
    let plain = OPTIONAL_MODULE
        .replace("  count  = var.enabled ? 1 : 0\n", "")
        .replace("default = false", "default = true");
    let counted = OPTIONAL_MODULE.replace("default = false", "default = true");
    let codes = |text: &str| {
        let r = tf(&[("main.tf", text)]);
        assert_eq!(r.configurations.len(), 1);
        let mut v: Vec<(String, String)> = r.configurations[0]
            .diagnostics
            .iter()
            .map(|d| (d.code.to_string(), d.severity.as_str().to_string()))
            .collect();
        v.sort();
        (r.configurations[0].address.clone(), v)
    };
    let (a, plain) = codes(&plain);
    let (b, counted) = codes(&counted);
    assert_eq!(a, "aws_s3_bucket_replication_configuration.this");
    assert_eq!(b, "aws_s3_bucket_replication_configuration.this[0]");
    assert_eq!(plain, counted);
}

const COUNTED_GENERATED: &str = r#"
provider "aws" {
  region = "eu-west-1"
}
resource "aws_s3_bucket" "src" {
  count         = 1
  bucket_prefix = "src-"
}
resource "aws_s3_bucket_versioning" "src" {
  count  = 1
  bucket = aws_s3_bucket.src[0].id
  versioning_configuration {
    status = "Enabled"
  }
}
resource "aws_s3_bucket" "dst" {
  count         = 1
  bucket_prefix = "dst-"
}
resource "aws_s3_bucket_versioning" "dst" {
  count  = 1
  bucket = aws_s3_bucket.dst[0].id
  versioning_configuration {
    status = "Enabled"
  }
}
resource "aws_iam_role" "r" {
  count = 1
  name  = "repl"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "s3.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
resource "aws_iam_role_policy" "p" {
  count = 1
  role  = aws_iam_role.r[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource = aws_s3_bucket.src[0].arn },
      { Effect = "Allow", Action = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], Resource = "${aws_s3_bucket.src[0].arn}/*" },
      { Effect = "Allow", Action = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource = "${aws_s3_bucket.dst[0].arn}/*" },
    ]
  })
}
resource "aws_s3_bucket_replication_configuration" "this" {
  count  = 1
  bucket = aws_s3_bucket.src[count.index].id
  role   = aws_iam_role.r[0].arn
  rule {
    id     = "all"
    status = "Enabled"
    filter {}
    delete_marker_replication {
      status = "Enabled"
    }
    destination {
      bucket = aws_s3_bucket.dst[count.index].arn
    }
  }
}
"#;

/// A counted source bucket named at deployment (`bucket_prefix`) and the role policy naming
/// its instance (`aws_s3_bucket.src[0].arn`): the policy and the configuration
/// (`aws_s3_bucket.src[count.index].id`) name the same instance by the same stand-in, so
/// nothing is missing from the role.
#[test]
fn counted_generated_buckets_match_their_policies() {
    let r = tf(&[("main.tf", COUNTED_GENERATED)]);
    assert_eq!(r.configurations.len(), 1);
    let c = &r.configurations[0];
    let loud = |d: &&s3_replication_lint::Diagnostic| d.severity != Severity::Info;
    assert!(
        !c.diagnostics.iter().any(|d| loud(&d)),
        "{:#?}",
        c.diagnostics
    );
    assert!(
        !c.audits
            .iter()
            .flat_map(|p| &p.diagnostics)
            .any(|d| loud(&d)),
        "{:#?}",
        c.audits
    );
    // The generated policies name each instance by its own reference.
    let bound: Vec<(&str, Option<&str>)> = c
        .bindings
        .iter()
        .map(|b| (b.value.as_str(), b.terraform.as_deref()))
        .collect();
    for (value, expr) in [
        ("arn:aws:s3:::generated-src-0", "aws_s3_bucket.src[0].arn"),
        ("arn:aws:s3:::generated-dst-0", "aws_s3_bucket.dst[0].arn"),
    ] {
        assert!(bound.contains(&(value, Some(expr))), "{bound:#?}");
    }
}

/// Two KMS keys the code creates in one Region and account (same-Region replication with a
/// source key and a replica key) stand in by different ARNs: the role's grant on the source
/// key is not taken for the replica key's `kms:Encrypt`, which S3 needs to write replicas.
#[test]
fn keys_created_by_the_code_are_told_apart() {
    let module = |encrypt_on: &str| {
        format!(
            r#"
provider "aws" {{ region = "us-east-1" }}
resource "aws_kms_key" "src" {{}}
resource "aws_kms_key" "dst" {{}}
resource "aws_s3_bucket" "src" {{ bucket = "probe-src" }}
resource "aws_s3_bucket" "dst" {{ bucket = "probe-dst" }}
resource "aws_iam_role" "r" {{
  name               = "probe-replication"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = "sts:AssumeRole", Principal = {{ Service = "s3.amazonaws.com" }} }}]
  }})
}}
resource "aws_iam_role_policy" "r" {{
  role = aws_iam_role.r.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{ Effect = "Allow", Action = ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource = "arn:aws:s3:::probe-src" }},
      {{ Effect = "Allow", Action = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], Resource = "arn:aws:s3:::probe-src/*" }},
      {{ Effect = "Allow", Action = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource = "arn:aws:s3:::probe-dst/*" }},
      {{ Effect = "Allow", Action = "kms:Decrypt", Resource = aws_kms_key.src.arn }},
      {{ Effect = "Allow", Action = ["kms:Encrypt", "kms:GenerateDataKey"], Resource = {encrypt_on} }},
    ]
  }})
}}
resource "aws_s3_bucket_replication_configuration" "r" {{
  bucket = aws_s3_bucket.src.id
  role   = aws_iam_role.r.arn
  rule {{
    id     = "all"
    status = "Enabled"
    filter {{}}
    delete_marker_replication {{ status = "Disabled" }}
    source_selection_criteria {{
      sse_kms_encrypted_objects {{ status = "Enabled" }}
    }}
    destination {{
      bucket = aws_s3_bucket.dst.arn
      encryption_configuration {{ replica_kms_key_id = aws_kms_key.dst.arn }}
    }}
  }}
}}
"#
        )
    };
    let audit_codes = |encrypt_on: &str| {
        let r = tf(&[("main.tf", &module(encrypt_on))]);
        r.configurations
            .iter()
            .flat_map(|c| c.audits.iter().flat_map(|p| p.diagnostics.iter()))
            .filter(|d| d.severity != Severity::Info)
            .map(|d| format!("{} {}", d.code, d.message))
            .collect::<Vec<_>>()
    };
    let wrong = audit_codes("aws_kms_key.src.arn");
    assert!(
        wrong.iter().any(|d| d.starts_with("S3R712")),
        "the grant on the source key must not count for the replica key: {wrong:#?}"
    );
    let right = audit_codes("aws_kms_key.dst.arn");
    assert!(right.iter().all(|d| !d.starts_with("S3R712")), "{right:#?}");
}

/// Versioning and encryption resources with `count` are read per instance: the instance
/// whose `bucket` names the destination's instance, its arguments with its own
/// `count.index` (the Suspended `aws_s3_bucket_versioning.dst[1]`), and none when the code
/// fixes `count = 0` (the bucket is then unversioned). Both were read once, as if created,
/// with `count.index` unknown: two refusals by S3 missed.
#[test]
fn counted_versioning_is_read_per_instance() {
    let r = tf(&[("main.tf", COUNTED_VERSIONING)]);
    let errs = errors(&r);
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert!(
        errs[0].starts_with("S3R322") && errs[0].contains("probe-dst-b"),
        "{errs:#?}"
    );
    assert!(
        errs[1].starts_with("S3R322") && errs[1].contains("probe-other"),
        "{errs:#?}"
    );
    let on = tf(&[(
        "main.tf",
        &COUNTED_VERSIONING
            .replace("\"Enabled\" : \"Suspended\"", "\"Enabled\" : \"Enabled\"")
            .replace("dest_versioned = false", "dest_versioned = true"),
    )]);
    assert!(errors(&on).is_empty(), "{:#?}", errors(&on));
}

const COUNTED_VERSIONING: &str = r#"
provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "dr"
  region = "us-west-2"
}

locals {
  names = ["probe-dst-a", "probe-dst-b"]
  dest_versioned = false
}

resource "aws_s3_bucket" "src" {
  bucket = "probe-src-bucket"
}

resource "aws_s3_bucket_versioning" "src" {
  bucket = aws_s3_bucket.src.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket" "dst" {
  count    = 2
  provider = aws.dr
  bucket   = local.names[count.index]
}

resource "aws_s3_bucket_versioning" "dst" {
  count    = 2
  provider = aws.dr
  bucket   = aws_s3_bucket.dst[count.index].id
  versioning_configuration {
    status = count.index == 0 ? "Enabled" : "Suspended"
  }
}

resource "aws_s3_bucket" "other" {
  provider = aws.dr
  bucket   = "probe-other"
}

resource "aws_s3_bucket_versioning" "other" {
  count    = local.dest_versioned ? 1 : 0
  provider = aws.dr
  bucket   = aws_s3_bucket.other.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_kms_key" "dr" {
  count    = 2
  provider = aws.dr
}

resource "aws_s3_bucket_replication_configuration" "this" {
  depends_on = [aws_s3_bucket_versioning.src]
  role       = "arn:aws:iam::111122223333:role/probe"
  bucket     = aws_s3_bucket.src.id

  rule {
    id       = "a"
    priority = 1
    status   = "Enabled"
    filter {
      prefix = "a/"
    }
    delete_marker_replication {
      status = "Enabled"
    }
    destination {
      bucket = aws_s3_bucket.dst[0].arn
    }
  }
  rule {
    id       = "b"
    priority = 2
    status   = "Enabled"
    filter {
      prefix = "b/"
    }
    delete_marker_replication {
      status = "Enabled"
    }
    destination {
      bucket = aws_s3_bucket.dst[1].arn
    }
  }
  rule {
    id       = "c"
    priority = 3
    status   = "Enabled"
    filter {
      prefix = "c/"
    }
    delete_marker_replication {
      status = "Enabled"
    }
    source_selection_criteria {
      sse_kms_encrypted_objects {
        status = "Enabled"
      }
    }
    destination {
      bucket = aws_s3_bucket.other.arn
      encryption_configuration {
        replica_kms_key_id = aws_kms_key.dr[1].arn
      }
    }
  }
}
"#;

/// Policies, policy documents and keys with `count` are read per instance: a role policy per
/// `aws_iam_role_policy.dest[count.index]`, its `data.aws_iam_policy_document.dest[count.index]`
/// read with that index, and `aws_kms_key.dst[1]` a key of its own (the documents were left
/// unread, "not verified", and every instance of a key stood for the same key, so a grant on
/// `dst[0]` passed for `dst[1]`). A counted KMS data source (`data.aws_kms_key.k[1].arn`) is
/// read in its instance: its key in another Region than the replicas' is found.
#[test]
fn counted_policies_documents_and_keys_are_read_per_instance() {
    let audits = |text: &str| -> Vec<String> {
        let r = tf(&[("main.tf", text)]);
        r.configurations
            .iter()
            .flat_map(|c| c.audits.iter().flat_map(|p| p.diagnostics.iter()))
            .filter(|d| d.code != "S3R711")
            .map(|d| format!("{} {}", d.code, d.message))
            .collect()
    };
    let good = audits(COUNTED_POLICIES);
    assert!(good.is_empty(), "{good:#?}");
    let wrong_key = audits(&COUNTED_POLICIES.replace(
        "resources = [aws_kms_key.dst[count.index].arn]",
        "resources = [aws_kms_key.dst[0].arn]",
    ));
    assert!(
        wrong_key
            .iter()
            .any(|d| d.starts_with("S3R712") && d.contains("`aws_kms_key.dst[1].arn`")),
        "{wrong_key:#?}"
    );
    let data_key = tf(&[(
        "main.tf",
        &format!(
            "{}\n{}",
            COUNTED_POLICIES.replace(
                "replica_kms_key_id = aws_kms_key.dst[1].arn",
                "replica_kms_key_id = data.aws_kms_key.given[1].arn",
            ),
            r#"
locals {
  given_keys = ["alias/probe-a", "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
}
data "aws_kms_key" "given" {
  count    = 2
  provider = aws.dr
  key_id   = local.given_keys[count.index]
}
"#
        ),
    )]);
    let errs = errors(&data_key);
    assert!(
        errs.iter().any(|d| d.contains("eu-west-1")),
        "{errs:#?} {:#?}",
        data_key.configurations[0].diagnostics
    );
}

const COUNTED_POLICIES: &str = r#"
provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "dr"
  region = "us-west-2"
}

locals {
  dests = ["probe-d-0", "probe-d-1"]
}

resource "aws_s3_bucket" "src" {
  bucket = "probe-d-src"
}

resource "aws_s3_bucket_versioning" "src" {
  bucket = aws_s3_bucket.src.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket" "dst" {
  count    = 2
  provider = aws.dr
  bucket   = local.dests[count.index]
}

resource "aws_s3_bucket_versioning" "dst" {
  count    = 2
  provider = aws.dr
  bucket   = aws_s3_bucket.dst[count.index].id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_kms_key" "dst" {
  count    = 2
  provider = aws.dr
}

resource "aws_iam_role" "r" {
  name = "probe-d"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "s3.amazonaws.com" } }]
  })
}

data "aws_iam_policy_document" "source" {
  statement {
    actions   = ["s3:GetReplicationConfiguration", "s3:ListBucket"]
    resources = [aws_s3_bucket.src.arn]
  }
  statement {
    actions   = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"]
    resources = ["${aws_s3_bucket.src.arn}/*"]
  }
}

resource "aws_iam_role_policy" "source" {
  role   = aws_iam_role.r.id
  policy = data.aws_iam_policy_document.source.json
}

data "aws_iam_policy_document" "dest" {
  count = 2
  statement {
    actions   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
    resources = ["${aws_s3_bucket.dst[count.index].arn}/*"]
  }
  statement {
    actions   = ["kms:Encrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.dst[count.index].arn]
  }
}

resource "aws_iam_role_policy" "dest" {
  count  = 2
  name   = "dest-${count.index}"
  role   = aws_iam_role.r.id
  policy = data.aws_iam_policy_document.dest[count.index].json
}

resource "aws_s3_bucket_replication_configuration" "this" {
  depends_on = [aws_s3_bucket_versioning.src]
  role       = aws_iam_role.r.arn
  bucket     = aws_s3_bucket.src.id

  rule {
    id       = "zero"
    priority = 1
    status   = "Enabled"
    filter {
      prefix = "a/"
    }
    delete_marker_replication {
      status = "Enabled"
    }
    source_selection_criteria {
      sse_kms_encrypted_objects {
        status = "Enabled"
      }
    }
    destination {
      bucket = aws_s3_bucket.dst[0].arn
      encryption_configuration {
        replica_kms_key_id = aws_kms_key.dst[0].arn
      }
    }
  }
  rule {
    id       = "one"
    priority = 2
    status   = "Enabled"
    filter {
      prefix = "b/"
    }
    delete_marker_replication {
      status = "Enabled"
    }
    source_selection_criteria {
      sse_kms_encrypted_objects {
        status = "Enabled"
      }
    }
    destination {
      bucket = aws_s3_bucket.dst[1].arn
      encryption_configuration {
        replica_kms_key_id = aws_kms_key.dst[1].arn
      }
    }
  }
}
"#;

/// A destination ARN only a root variable's default leaves empty (`default = ""`, the
/// "not set" of a module run on its own; the caller or `-var` sets it) is unknown, not
/// absent: no "missing Bucket" error, and the role's `"${var.replica_arn}/*"` is read as the
/// same unknown bucket (it read "/*", a false S3R707). Set to "" in terraform.tfvars, the
/// provider sends no Bucket: the error stands.
#[test]
fn an_empty_root_default_is_unknown_not_absent() {
    let module = r#"
provider "aws" {
  region = "us-east-2"
}
variable "replica_arn" {
  type    = string
  default = ""
}
resource "aws_s3_bucket" "src" {
  bucket = "probe-empty-default-src"
}
resource "aws_s3_bucket_versioning" "src" {
  bucket = aws_s3_bucket.src.id
  versioning_configuration {
    status = "Enabled"
  }
}
resource "aws_iam_role" "r" {
  name               = "probe-empty-default"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "s3.amazonaws.com" } }] })
}
resource "aws_iam_role_policy" "r" {
  role = aws_iam_role.r.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource = aws_s3_bucket.src.arn },
      { Effect = "Allow", Action = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], Resource = "${aws_s3_bucket.src.arn}/*" },
      { Effect = "Allow", Action = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource = "${var.replica_arn}/*" },
    ]
  })
}
resource "aws_s3_bucket_replication_configuration" "this" {
  bucket = aws_s3_bucket.src.id
  role   = aws_iam_role.r.arn
  rule {
    id     = "all"
    status = "Enabled"
    filter {}
    delete_marker_replication {
      status = "Enabled"
    }
    destination {
      bucket = var.replica_arn
    }
  }
}
"#;
    let serious = |r: &IacReport| -> Vec<String> {
        r.configurations
            .iter()
            .flat_map(|c| {
                c.diagnostics
                    .iter()
                    .chain(c.audits.iter().flat_map(|p| p.diagnostics.iter()))
            })
            .filter(|d| d.severity != Severity::Info)
            .map(|d| format!("{} {}", d.code, d.message))
            .collect()
    };
    let by_default = tf(&[("main.tf", module)]);
    assert!(
        serious(&by_default).is_empty(),
        "{:#?}",
        serious(&by_default)
    );
    let set_empty = tf(&[
        ("main.tf", module),
        ("terraform.tfvars", "replica_arn = \"\"\n"),
    ]);
    assert!(
        serious(&set_empty).iter().any(|d| d.starts_with("S3R003")),
        "{:#?}",
        serious(&set_empty)
    );
}
