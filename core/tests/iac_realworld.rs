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
        ["module.on.aws_s3_bucket_replication_configuration.this"]
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
