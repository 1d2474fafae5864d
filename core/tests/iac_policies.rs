//! The policies a template or module already has, audited where they are written: one fixture
//! per mistake (in CloudFormation and in Terraform), each finding expected at the line its
//! fixture marks, and corrected twins with no finding.
//!
//! A fixture marks what it expects in comments: `# expect: CODE...` on the line the finding
//! points at, or `# expect: CODE... at NEEDLE` for the first other line containing NEEDLE
//! (inside JSON, where a comment cannot go).
#![cfg(feature = "iac")]

use s3_replication_lint::iac::{check_files, IacReport, SourceFile};
use s3_replication_lint::{DeploymentContext, Severity};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn dir(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/iac/policies")
        .join(kind)
}

fn read(path: &Path) -> SourceFile {
    SourceFile {
        path: path.file_name().unwrap().to_string_lossy().to_string(),
        text: std::fs::read_to_string(path).unwrap(),
    }
}

/// (code, file, line) of every marker.
fn expected(files: &[SourceFile]) -> BTreeSet<(String, String, u32)> {
    let mut out = BTreeSet::new();
    for f in files {
        for (i, line) in f.text.lines().enumerate() {
            let Some((_, spec)) = line.split_once("# expect: ") else {
                continue;
            };
            let (codes, at) = match spec.split_once(" at ") {
                Some((codes, needle)) => {
                    let n = f
                        .text
                        .lines()
                        .enumerate()
                        .position(|(k, l)| k != i && l.contains(needle))
                        .unwrap_or_else(|| panic!("{}: no line with {needle}", f.path));
                    (codes, n)
                }
                None => (spec, i),
            };
            for code in codes.split_whitespace() {
                out.insert((code.to_string(), f.path.clone(), at as u32 + 1));
            }
        }
    }
    out
}

/// (code, file, line) of every error and warning in the policy audits.
fn found(report: &IacReport) -> BTreeSet<(String, String, u32)> {
    report
        .configurations
        .iter()
        .flat_map(|c| c.audits.iter())
        .flat_map(|p| p.diagnostics.iter().map(move |d| (p, d)))
        .filter(|(_, d)| d.severity != Severity::Info)
        .map(|(p, d)| (d.code.to_string(), p.file.clone(), d.range.start.line))
        .collect()
}

fn assert_case(name: &str, files: &[SourceFile], report: &IacReport) {
    assert_eq!(report.configurations.len(), 1, "{name}");
    let c = &report.configurations[0];
    let kinds: Vec<&str> = c.audits.iter().map(|p| p.kind).collect();
    // Never vacuous: the role's policies were found and read.
    assert!(
        kinds.contains(&"permissions") && kinds.contains(&"trust"),
        "{name}: {kinds:?}"
    );
    let want = expected(files);
    let got = found(report);
    assert_eq!(got, want, "{name}: {:#?}", c.audits);
    if want.is_empty() {
        assert!(name.contains("good"), "{name} expects nothing");
    }
    // Every finding has a path in the user's policy code.
    for p in &c.audits {
        for d in &p.diagnostics {
            assert!(d.path.starts_with(&p.address), "{}", d.path);
        }
    }
}

#[test]
fn cloudformation_mistakes_at_their_lines() {
    let root = dir("cloudformation");
    let context =
        DeploymentContext::from_json(&std::fs::read_to_string(root.join("context.json")).unwrap())
            .unwrap();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 8, "{cases:?}");
    for path in cases {
        let files = vec![read(&path)];
        let report = check_files(&files, None, &context);
        assert_case(&files[0].path, &files, &report);
    }
}

#[test]
fn terraform_mistakes_at_their_lines() {
    let root = dir("terraform");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 8, "{cases:?}");
    for case in cases {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&case)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        let files: Vec<SourceFile> = paths.iter().map(|p| read(p)).collect();
        let report = check_files(&files, None, &DeploymentContext::default());
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        assert_case(&name, &files, &report);
    }
}

fn module(text: &str) -> IacReport {
    let files = vec![SourceFile {
        path: "main.tf".into(),
        text: text.into(),
    }];
    check_files(&files, None, &DeploymentContext::default())
}

const CONFIG: &str = r#"
provider "aws" {
  region = "us-east-1"
}
resource "aws_s3_bucket_replication_configuration" "r" {
  bucket = "src"
  role   = aws_iam_role.replication.arn
  rule {
    status = "Enabled"
    filter {}
    delete_marker_replication {
      status = "Disabled"
    }
    destination {
      bucket = "arn:aws:s3:::dst"
    }
  }
}
resource "aws_iam_role" "replication" {
  name               = "replication"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "s3.amazonaws.com" } }] })
  managed_policy_arns = MANAGED
}
resource "aws_iam_role_policy" "replication" {
  role = aws_iam_role.replication.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource = "arn:aws:s3:::src" },
      { Effect = "Allow", Action = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], Resource = SOURCE_OBJECTS },
      { Effect = "Allow", Action = ["s3:ReplicateObject", "s3:ReplicateTags"], Resource = "arn:aws:s3:::dst/*" },
    ]
  })
}
"#;

fn config(managed: &str, source_objects: &str) -> String {
    CONFIG
        .replace("MANAGED", managed)
        .replace("SOURCE_OBJECTS", source_objects)
}

#[test]
fn a_value_the_code_does_not_fix_is_not_verified_never_an_error() {
    // The source objects' ARN comes from a variable without a default: the missing read
    // permission may be there after all.
    let text = config("[]", "\"${var.source_arn}/*\"");
    let report = module(&format!("{text}\nvariable \"source_arn\" {{}}\n"));
    let c = &report.configurations[0];
    let all: Vec<_> = c.audits.iter().flat_map(|p| &p.diagnostics).collect();
    assert!(all.iter().all(|d| d.severity == Severity::Info), "{all:#?}");
    let unverified = all
        .iter()
        .find(|d| d.message.starts_with("Not verified (S3R704: error)"))
        .expect("S3R704 named as not verified");
    assert!(unverified
        .help
        .as_deref()
        .unwrap_or("")
        .contains("var.source_arn"));
    // Known-good values elsewhere are still checked: the same module with the literal is clean,
    // and with a wrong literal the error stands.
    let fixed = module(&config("[]", "\"arn:aws:s3:::src/*\""));
    assert!(fixed.configurations[0]
        .audits
        .iter()
        .all(|p| p.diagnostics.is_empty()));
    let wrong = module(&config("[]", "\"arn:aws:s3:::other/*\""));
    let errors: Vec<_> = wrong.configurations[0]
        .audits
        .iter()
        .flat_map(|p| &p.diagnostics)
        .filter(|d| d.code == "S3R704")
        .collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].severity, Severity::Error);
}

/// A destination named by a variable without a value (`var.dest_arn`,
/// `"arn:aws:s3:::${var.dest}"`) and the role's policy naming it by the same expression
/// (`"${var.dest_arn}/*"`, `"arn:aws:s3:::${var.dest}/*"`) name the same bucket, whatever the
/// value: nothing to report (each was read as an unknown of its own, and every replicate
/// permission was "not verified"). A policy naming it by another variable stays not verified.
#[test]
fn a_destination_and_a_policy_naming_it_by_the_same_variable_are_the_same_bucket() {
    let text = |resources: &str| {
        CONFIG
            .replace("MANAGED", "[]")
            .replace("SOURCE_OBJECTS", "\"arn:aws:s3:::src/*\"")
            .replace(
                "bucket = \"arn:aws:s3:::dst\"",
                "bucket = var.dest_arn\n      storage_class = \"STANDARD\"",
            )
            .replace("\"arn:aws:s3:::dst/*\"", resources)
            + "\nvariable \"dest_arn\" {}\nvariable \"dest\" {}\n"
    };
    let audit = |report: &IacReport| -> Vec<String> {
        report.configurations[0]
            .audits
            .iter()
            .flat_map(|p| &p.diagnostics)
            .map(|d| format!("{} {}", d.code, d.message))
            .collect()
    };
    let same = module(&text("\"${var.dest_arn}/*\""));
    assert!(audit(&same).is_empty(), "{:#?}", audit(&same));
    let named = module(&text("\"arn:aws:s3:::${var.dest}/*\"").replace(
        "bucket = var.dest_arn",
        "bucket = \"arn:aws:s3:::${var.dest}\"",
    ));
    assert!(audit(&named).is_empty(), "{:#?}", audit(&named));
    let other = module(&text("\"arn:aws:s3:::${var.dest}/*\""));
    let all = audit(&other);
    assert!(
        all.iter()
            .any(|d| d.starts_with("S3R600 Not verified (S3R707: error)")
                && d.contains("var.dest_arn")),
        "{all:#?}"
    );
    assert!(other.configurations[0]
        .audits
        .iter()
        .flat_map(|p| &p.diagnostics)
        .all(|d| d.severity == Severity::Info));
}

/// A guardrail Deny with `NotResource` naming the buckets through a value the code does not fix
/// may exclude exactly the replication buckets: its deny is not verified, never an error
/// (the repeated audit took an unknown `NotResource` entry as excluding nothing, so the deny
/// stood everywhere). A known entry that excludes another bucket still denies.
#[test]
fn a_deny_with_an_unknown_not_resource_is_not_verified() {
    let deny = |not_resource: &str| {
        format!(
            r#"{CONFIG_ALLOW}
resource "aws_iam_role_policy" "guardrail" {{
  role = aws_iam_role.replication.id
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Sid = "OnlyTheseBuckets", Effect = "Deny", Action = "s3:*", NotResource = ["arn:aws:s3:::src", "arn:aws:s3:::src/*", {not_resource}] }}]
  }})
}}
variable "copy_bucket" {{}}
"#
        )
    };
    let report = module(&deny("\"arn:aws:s3:::${var.copy_bucket}/*\""));
    let all: Vec<_> = report.configurations[0]
        .audits
        .iter()
        .flat_map(|p| &p.diagnostics)
        .collect();
    assert!(all.iter().all(|d| d.severity == Severity::Info), "{all:#?}");
    assert!(all
        .iter()
        .any(|d| d.message.starts_with("Not verified (S3R707: error)")));
    let known = module(&deny("\"arn:aws:s3:::elsewhere/*\""));
    let errors: Vec<_> = known.configurations[0]
        .audits
        .iter()
        .flat_map(|p| &p.diagnostics)
        .filter(|d| d.code == "S3R707")
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].severity, Severity::Error);
}

/// A destination bucket policy (another account's bucket) whose principals are a `dynamic
/// "principals"` block over a local list: made as Terraform makes them. The statement was read
/// without its Principal: a false S3R700 error ("needs a `Principal`") on a policy that grants
/// the role everything replication needs there.
#[test]
fn dynamic_principals_of_a_bucket_policy_are_made() {
    let report = module(DYNAMIC_PRINCIPALS);
    let c = &report.configurations[0];
    assert!(
        c.audits.iter().any(|p| p.kind == "bucket-policy"),
        "{:#?}",
        c.audits
    );
    let all: Vec<_> = c.audits.iter().flat_map(|p| &p.diagnostics).collect();
    assert!(all.is_empty(), "{all:#?}");
    // Without the grant the owner override needs, the policy is audited and found wanting.
    let without = DYNAMIC_PRINCIPALS.replace(", \"s3:ObjectOwnerOverrideToBucketOwner\"", "");
    let report = module(&without);
    let codes: Vec<_> = report.configurations[0]
        .audits
        .iter()
        .flat_map(|p| &p.diagnostics)
        .map(|d| d.code)
        .collect();
    assert_eq!(codes, ["S3R731"], "{codes:?}");
}

const DYNAMIC_PRINCIPALS: &str = r#"
provider "aws" {
  region = "us-east-1"
}
provider "aws" {
  alias  = "backup"
  region = "us-west-2"
}
locals {
  writers = ["arn:aws:iam::111122223333:role/probe-replication"]
}
resource "aws_s3_bucket_replication_configuration" "r" {
  bucket = "contoso-dynp-src"
  role   = "arn:aws:iam::111122223333:role/probe-replication"
  rule {
    id     = "all"
    status = "Enabled"
    filter {}
    delete_marker_replication {
      status = "Enabled"
    }
    destination {
      bucket  = aws_s3_bucket.dst.arn
      account = "444455556666"
      access_control_translation {
        owner = "Destination"
      }
    }
  }
}
resource "aws_s3_bucket" "dst" {
  provider = aws.backup
  bucket   = "contoso-dynp-dst"
}
resource "aws_s3_bucket_versioning" "dst" {
  provider = aws.backup
  bucket   = aws_s3_bucket.dst.id
  versioning_configuration {
    status = "Enabled"
  }
}
data "aws_iam_policy_document" "dst" {
  statement {
    sid       = "Objects"
    actions   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"]
    resources = ["${aws_s3_bucket.dst.arn}/*"]
    dynamic "principals" {
      for_each = local.writers
      content {
        type        = "AWS"
        identifiers = [principals.value]
      }
    }
  }
  statement {
    sid       = "Bucket"
    actions   = ["s3:List*", "s3:GetBucketVersioning", "s3:PutBucketVersioning"]
    resources = [aws_s3_bucket.dst.arn]
    principals {
      type        = "AWS"
      identifiers = local.writers
    }
  }
}
resource "aws_s3_bucket_policy" "dst" {
  provider = aws.backup
  bucket   = aws_s3_bucket.dst.id
  policy   = data.aws_iam_policy_document.dst.json
}
"#;

/// The role of [`CONFIG`] with every permission the configuration needs.
const CONFIG_ALLOW: &str = r#"
provider "aws" {
  region = "us-east-1"
}
resource "aws_s3_bucket_replication_configuration" "r" {
  bucket = "src"
  role   = aws_iam_role.replication.arn
  rule {
    status = "Enabled"
    filter {}
    delete_marker_replication {
      status = "Disabled"
    }
    destination {
      bucket = "arn:aws:s3:::dst"
    }
  }
}
resource "aws_iam_role" "replication" {
  name               = "replication"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "s3.amazonaws.com" } }] })
}
resource "aws_iam_role_policy" "replication" {
  role = aws_iam_role.replication.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource = "arn:aws:s3:::src" },
      { Effect = "Allow", Action = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], Resource = "arn:aws:s3:::src/*" },
      { Effect = "Allow", Action = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource = "arn:aws:s3:::dst/*" },
    ]
  })
}
"#;

#[test]
fn a_managed_policy_attached_by_arn_is_named_and_leaves_missing_permissions_unverified() {
    let report = module(&config(
        "[\"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess\"]",
        "\"arn:aws:s3:::other/*\"",
    ));
    let c = &report.configurations[0];
    let attached = c
        .audits
        .iter()
        .find(|p| p.kind == "attached-policy")
        .expect("the managed policy is named");
    assert_eq!(
        attached.address,
        "aws_iam_role.replication.managed_policy_arns[0]"
    );
    assert!(attached.diagnostics[0]
        .message
        .contains("AmazonS3ReadOnlyAccess"));
    assert_eq!(attached.diagnostics[0].range.start.line, 22);
    let all: Vec<_> = c.audits.iter().flat_map(|p| &p.diagnostics).collect();
    assert!(all.iter().all(|d| d.severity == Severity::Info), "{all:#?}");
}

#[test]
fn policies_of_other_roles_keys_and_buckets_are_left_alone() {
    let text = format!(
        "{}\n{}",
        config("[]", "\"arn:aws:s3:::src/*\""),
        r#"
resource "aws_iam_role" "other" {
  name               = "other"
  assume_role_policy = "{}"
}
resource "aws_iam_role_policy" "other" {
  role   = aws_iam_role.other.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }] })
}
"#
    );
    let report = module(&text);
    let c = &report.configurations[0];
    assert!(
        c.audits.iter().all(|p| !p.address.contains("other")),
        "{:#?}",
        c.audits
    );
    assert!(
        c.audits.iter().all(|p| p.diagnostics.is_empty()),
        "{:#?}",
        c.audits
    );
}

#[test]
fn hostile_policy_code_is_read_without_panic() {
    for policy in [
        "jsonencode(1)",
        "jsonencode([[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]])",
        "\"{\\\"Statement\\\": [\"",
        "<<EOF\n{\"Statement\": [{\"Effect\": \"${local.x}\"}]}\nEOF",
        "local.a",
        "data.aws_iam_policy_document.loop.json",
        "file(\"policy.json\")",
        "\"\"",
    ] {
        let text = format!(
            "{}\nlocals {{\n  a = local.a\n  x = \"Allow\"\n}}\ndata \"aws_iam_policy_document\" \"loop\" {{\n  source_policy_documents = [data.aws_iam_policy_document.loop.json]\n}}\nresource \"aws_iam_role_policy\" \"h\" {{\n  role   = aws_iam_role.replication.id\n  policy = {policy}\n}}\n",
            config("[]", "\"arn:aws:s3:::src/*\"")
        );
        let report = module(&text);
        // Read, or refused with a positioned syntax error (HCL's nesting limit).
        let refused = report
            .files
            .iter()
            .any(|f| f.diagnostics.iter().any(|d| d.severity == Severity::Error));
        assert!(report.configurations.len() == 1 || refused, "{policy}");
    }
}

#[test]
fn a_wrong_action_gets_a_quick_fix_in_the_users_language_that_clears_it() {
    use s3_replication_lint::diagnostic::apply_edits;
    let cases = [
        (
            "terraform/misspelled-action/main.tf",
            "S3R722",
            "s3:ReplicateTags",
        ),
        (
            "terraform/get-object-version/main.tf",
            "S3R703",
            "s3:GetObjectVersionForReplication",
        ),
        (
            "cloudformation/misspelled-action.yaml",
            "S3R722",
            "s3:ReplicateTags",
        ),
        (
            "cloudformation/get-object-version.yaml",
            "S3R703",
            "s3:GetObjectVersionForReplication",
        ),
    ];
    let context = DeploymentContext::from_json(
        &std::fs::read_to_string(dir("cloudformation").join("context.json")).unwrap(),
    )
    .unwrap();
    for (path, code, meant) in cases {
        let file = read(&dir("").join(path));
        let ctx = if path.ends_with(".yaml") {
            context.clone()
        } else {
            DeploymentContext::default()
        };
        let report = check_files(std::slice::from_ref(&file), None, &ctx);
        let d = report.configurations[0]
            .audits
            .iter()
            .flat_map(|a| &a.diagnostics)
            .find(|d| d.code == code)
            .unwrap_or_else(|| panic!("{path}: no {code}"));
        let fix = d
            .fix
            .as_ref()
            .unwrap_or_else(|| panic!("{path}: {code} has no fix"));
        assert!(fix.title.contains(meant), "{}", fix.title);
        let fixed = SourceFile {
            path: file.path.clone(),
            text: apply_edits(&file.text, &fix.edits),
        };
        // Only the action changed, and the policy is clean of that finding (and of any error).
        let e = &fix.edits[0];
        let replaced = (e.span.end - e.span.start) as usize;
        assert_eq!(fixed.text.len(), file.text.len() - replaced + meant.len());
        let again = check_files(std::slice::from_ref(&fixed), None, &ctx);
        let left: Vec<_> = again.configurations[0]
            .audits
            .iter()
            .flat_map(|a| &a.diagnostics)
            .filter(|d| d.severity != Severity::Info)
            .map(|d| d.code)
            .collect();
        assert!(left.is_empty(), "{path}: {left:?}");
    }
}

/// Apply the first fix of the first `code` finding and check the file again.
fn fixed_once(file: &SourceFile, ctx: &DeploymentContext, code: &str) -> (String, IacReport) {
    use s3_replication_lint::diagnostic::apply_edits;
    let report = check_files(std::slice::from_ref(file), None, ctx);
    let d = report.configurations[0]
        .audits
        .iter()
        .flat_map(|a| &a.diagnostics)
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("{}: no {code}", file.path));
    let fix = d
        .fix
        .as_ref()
        .unwrap_or_else(|| panic!("{}: {code} has no fix", file.path));
    let text = apply_edits(&file.text, &fix.edits);
    let again = SourceFile {
        path: file.path.clone(),
        text: text.clone(),
    };
    (text, check_files(std::slice::from_ref(&again), None, ctx))
}

fn codes_of(report: &IacReport) -> Vec<&'static str> {
    report.configurations[0]
        .audits
        .iter()
        .flat_map(|a| &a.diagnostics)
        .filter(|d| d.severity != Severity::Info)
        .map(|d| d.code)
        .collect()
}

#[test]
fn a_missing_permission_gets_the_statement_to_add_in_the_policys_own_syntax() {
    let cfn = DeploymentContext::from_json(
        &std::fs::read_to_string(dir("cloudformation").join("context.json")).unwrap(),
    )
    .unwrap();
    let none = DeploymentContext::default();
    let cases: [(&str, &DeploymentContext, &str, &str); 4] = [
        // JSON in a heredoc: the bucket through the module's own variable.
        (
            "terraform/v1-replicate-delete/main.tf",
            &none,
            "S3R708",
            "\"Effect\": \"Allow\", \"Action\": \"s3:ReplicateDelete\", \"Resource\": \"arn:aws:s3:::example-backup-dst/*\"",
        ),
        // A YAML list item.
        (
            "cloudformation/v1-replicate-delete.yaml",
            &cfn,
            "S3R708",
            "- Effect: Allow\n                Action: s3:ReplicateDelete\n                Resource: arn:aws:s3:::example-backup-dst/*",
        ),
        // A statement block of aws_iam_policy_document, wired to the module's bucket.
        (
            "terraform/prefix-slash/main.tf",
            &none,
            "S3R704",
            "  statement {\n    actions   = [\"s3:GetObjectVersionForReplication\"]\n    resources = [\"${aws_s3_bucket.source.arn}/logs*\"]\n  }",
        ),
        // The template's own bucket through !Sub.
        (
            "cloudformation/prefix-slash.yaml",
            &cfn,
            "S3R704",
            "arn:aws:s3:::example-logs-dst\n          - Effect: Allow\n            Action: s3:GetObjectVersionForReplication\n            Resource: !Sub \"${Source.Arn}/logs*\"\n",
        ),
    ];
    for (path, ctx, code, expected) in cases {
        let file = read(&dir("").join(path));
        let before = codes_of(&check_files(std::slice::from_ref(&file), None, ctx));
        let (text, after) = fixed_once(&file, ctx, code);
        assert!(text.contains(expected), "{path}:\n{text}");
        let left = codes_of(&after);
        assert!(
            !left.contains(&code),
            "{path}: {code} still there: {left:?}"
        );
        // Nothing new: every remaining finding was there before.
        assert!(
            left.iter().all(|c| before.contains(c)),
            "{path}: {before:?} -> {left:?}"
        );
    }
    // jsonencode: an HCL object added to the Statement list.
    let file = SourceFile {
        path: "main.tf".into(),
        text: config("[]", "\"arn:aws:s3:::other/*\""),
    };
    let (text, after) = fixed_once(&file, &none, "S3R704");
    assert!(
        text.contains("{ Effect = \"Allow\", Action = \"s3:GetObjectVersionForReplication\", Resource = \"arn:aws:s3:::src/*\" }"),
        "{text}"
    );
    assert!(
        !codes_of(&after).contains(&"S3R704"),
        "{:?}",
        codes_of(&after)
    );
}

fn template(text: &str) -> IacReport {
    let files = vec![SourceFile {
        path: "template.yaml".into(),
        text: text.into(),
    }];
    check_files(&files, None, &DeploymentContext::default())
}

/// (code, severity, message) of every finding of the configurations and their audits.
fn all_findings(r: &IacReport) -> Vec<(String, Severity, String)> {
    r.configurations
        .iter()
        .flat_map(|c| {
            c.diagnostics
                .iter()
                .chain(c.audits.iter().flat_map(|p| p.diagnostics.iter()))
        })
        .map(|d| (d.code.to_string(), d.severity, d.message.clone()))
        .collect()
}

const TEMPLATE_KEYS_NO_REGION: &str = r#"
Resources:
  SourceKey:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}
            Action: kms:*
            Resource: "*"
  ReplicaKey:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}
            Action: kms:*
            Resource: "*"
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: s3.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: repl
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [s3:GetReplicationConfiguration, s3:ListBucket]
                Resource: !GetAtt Source.Arn
              - Effect: Allow
                Action: [s3:GetObjectVersionForReplication, s3:GetObjectVersionAcl, s3:GetObjectVersionTagging]
                Resource: !Sub "${Source.Arn}/*"
              - Effect: Allow
                Action: [s3:ReplicateObject, s3:ReplicateDelete, s3:ReplicateTags]
                Resource: !Sub "${Replica.Arn}/*"
              - Effect: Allow
                Action: [kms:Decrypt, kms:Encrypt]
                Resource: KEY
  Replica:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration: {Status: Enabled}
  Source:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration: {Status: Enabled}
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: {SSEAlgorithm: aws:kms, KMSMasterKeyID: !GetAtt SourceKey.Arn}
      ReplicationConfiguration:
        Role: !GetAtt Role.Arn
        Rules:
          - Id: all
            Priority: 1
            Status: Enabled
            Filter: {Prefix: ""}
            DeleteMarkerReplication: {Status: Disabled}
            SourceSelectionCriteria:
              SseKmsEncryptedObjects: {Status: Enabled}
            Destination:
              Bucket: !GetAtt Replica.Arn
              EncryptionConfiguration:
                ReplicaKmsKeyID: !GetAtt ReplicaKey.Arn
"#;

/// A key the template creates, its Region left to deployment (no context), is still that key:
/// a role that may use only the source key cannot encrypt replicas with the replica key, and
/// one that may use both is fine.
#[test]
fn a_template_key_without_a_region_is_still_told_apart() {
    let only_source = template(&TEMPLATE_KEYS_NO_REGION.replace("KEY", "!GetAtt SourceKey.Arn"));
    let errors: Vec<_> = all_findings(&only_source)
        .into_iter()
        .filter(|(_, s, _)| *s == Severity::Error)
        .collect();
    assert!(
        errors
            .iter()
            .any(|(c, _, m)| c == "S3R712" && m.contains("ReplicaKey.Arn")),
        "{errors:#?}"
    );
    let both = template(
        &TEMPLATE_KEYS_NO_REGION.replace("KEY", "[!GetAtt SourceKey.Arn, !GetAtt ReplicaKey.Arn]"),
    );
    let findings = all_findings(&both);
    assert!(
        !findings
            .iter()
            .any(|(c, s, _)| *s == Severity::Error || c == "S3R712" || c == "S3R404"),
        "{findings:#?}"
    );
    // The replica bucket declares no encryption: S3's default, SSE-S3, so no replica lands
    // SSE-KMS by default and kms:GenerateDataKey is not needed (kms:Encrypt is enough:
    // awslabs/landing-zone-accelerator-on-aws#1144, tested by AWS).
    assert!(
        !findings.iter().any(|(c, _, _)| c == "S3R713"),
        "{findings:#?}"
    );
    // The stand-in never shows: the key is named as the template names it.
    assert!(
        !findings
            .iter()
            .any(|(_, _, m)| m.contains("stack-region-0")),
        "{findings:#?}"
    );
}

const STACK_AWS_S3_KEY: &str = r#"
Resources:
  Source:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration: {Status: Enabled}
      ReplicationConfiguration:
        Role: arn:aws:iam::111122223333:role/replication
        Rules:
          - Id: all
            Priority: 1
            Status: Enabled
            Filter: {Prefix: ""}
            DeleteMarkerReplication: {Status: Disabled}
            SourceSelectionCriteria:
              SseKmsEncryptedObjects: {Status: Enabled}
            Destination:
              DESTINATION
              EncryptionConfiguration:
                ReplicaKmsKeyID: KEY
  Replica:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration: {Status: Enabled}
"#;

/// `arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/aws/s3` with no Region
/// known is the AWS managed key of the stack's (the source bucket's) account: an error with
/// a destination in another account, a warning within the account, never "not a key ARN".
#[test]
fn the_stacks_aws_s3_alias_is_the_source_accounts_managed_key() {
    let sub = "!Sub arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/aws/s3";
    let join = "!Join [':', [arn, !Ref AWS::Partition, kms, !Ref AWS::Region, !Ref AWS::AccountId, alias/aws/s3]]";
    let other_account = "Bucket: arn:aws:s3:::partner-archive\n              Account: \"444455556666\"\n              AccessControlTranslation: {Owner: Destination}";
    for key in [sub, join] {
        let cross = template(
            &STACK_AWS_S3_KEY
                .replace("DESTINATION", other_account)
                .replace("KEY", key),
        );
        let f = all_findings(&cross);
        assert!(
            f.iter()
                .any(|(c, s, _)| c == "S3R406" && *s == Severity::Error),
            "{key}: {f:#?}"
        );
        let same = template(
            &STACK_AWS_S3_KEY
                .replace("DESTINATION", "Bucket: !GetAtt Replica.Arn")
                .replace("KEY", key),
        );
        let f = all_findings(&same);
        assert!(
            f.iter()
                .any(|(c, s, _)| c == "S3R406" && *s == Severity::Warning),
            "{key}: {f:#?}"
        );
        assert!(
            !f.iter()
                .any(|(c, s, m)| *s == Severity::Error || m.contains("S3R404") || c == "S3R404"),
            "{key}: {f:#?}"
        );
    }
    // An alias of the stack's account other than aws/s3: nothing is known about its key.
    let custom = template(
        &STACK_AWS_S3_KEY
            .replace("DESTINATION", other_account)
            .replace("KEY", &sub.replace("aws/s3", "archive")),
    );
    let f = all_findings(&custom);
    assert!(!f.iter().any(|(_, s, _)| *s == Severity::Error), "{f:#?}");
}

const PARAMETER_BUCKETS: &str = r#"
Parameters:
  DestBucket:
    Type: String
  OtherBucket:
    Type: String
  SourceName:
    Type: String
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: s3.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: repl
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [s3:GetReplicationConfiguration, s3:ListBucket]
                Resource: !Sub arn:aws:s3:::${SourceName}
              - Effect: Allow
                Action: [s3:GetObjectVersionForReplication, s3:GetObjectVersionAcl, s3:GetObjectVersionTagging]
                Resource: !Sub arn:aws:s3:::${SourceName}/*
              - Effect: Allow
                Action: [s3:ReplicateObject, s3:ReplicateDelete, s3:ReplicateTags]
                Resource: !Sub arn:aws:s3:::${NAMED}/*
  Source:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Ref SourceName
      VersioningConfiguration: {Status: Enabled}
      ReplicationConfiguration:
        Role: !GetAtt Role.Arn
        Rules:
          - Id: all
            Priority: 1
            Status: Enabled
            Filter: {Prefix: ""}
            DeleteMarkerReplication: {Status: Disabled}
            Destination:
              Bucket: DESTINATION
"#;

/// A bucket named by a parameter without default in the configuration and in the role's
/// policy is one bucket: nothing about it is left "not verified". Another parameter may
/// hold the same name or not: not verified, never an error.
#[test]
fn a_parameter_names_the_same_bucket_in_the_policy_and_the_configuration() {
    for dest in [
        "!Sub arn:aws:s3:::${DestBucket}",
        "!Join ['', ['arn:aws:s3:::', !Ref DestBucket]]",
    ] {
        let same = template(
            &PARAMETER_BUCKETS
                .replace("NAMED", "DestBucket")
                .replace("DESTINATION", dest),
        );
        let audits: Vec<_> = same.configurations[0]
            .audits
            .iter()
            .flat_map(|p| p.diagnostics.iter())
            .map(|d| (d.code, d.message.clone()))
            .collect();
        assert!(audits.is_empty(), "{dest}: {audits:#?}");
        let other = template(
            &PARAMETER_BUCKETS
                .replace("NAMED", "OtherBucket")
                .replace("DESTINATION", dest),
        );
        let audits: Vec<_> = other.configurations[0]
            .audits
            .iter()
            .flat_map(|p| p.diagnostics.iter())
            .map(|d| (d.code, d.severity, d.message.clone()))
            .collect();
        assert!(
            audits
                .iter()
                .any(|(c, _, m)| *c == "S3R600" && m.contains("S3R707")),
            "{dest}: {audits:#?}"
        );
        assert!(
            !audits.iter().any(|(_, s, _)| *s != Severity::Info),
            "{dest}: {audits:#?}"
        );
        // The stand-in never shows.
        assert!(
            !audits.iter().any(|(_, _, m)| m.contains("param-value-of")),
            "{dest}: {audits:#?}"
        );
    }
    // A parameter that holds the bucket's ARN (`Bucket: !Ref DestBucket`, as CloudFormation
    // requires an ARN there) and the policy's `!Sub ${DestBucket}/*`: the same bucket.
    let arn = template(
        &PARAMETER_BUCKETS
            .replace("!Sub arn:aws:s3:::${NAMED}/*", "!Sub ${DestBucket}/*")
            .replace("DESTINATION", "!Ref DestBucket"),
    );
    let c = &arn.configurations[0];
    let audits: Vec<_> = c
        .audits
        .iter()
        .flat_map(|p| p.diagnostics.iter())
        .map(|d| (d.code, d.message.clone()))
        .collect();
    assert!(audits.is_empty(), "{audits:#?}");
    // ... and the configuration does not call it "not a bucket ARN".
    assert!(
        !c.diagnostics.iter().any(|d| d.message.contains("S3R300")),
        "{:#?}",
        c.diagnostics
    );
}

/// A role read with `data "aws_iam_role"` (made by another stack): the policy this module
/// attaches to it is audited (it was not read at all), and what it lacks is only "not
/// verified", the role's other policies being elsewhere.
#[test]
fn a_data_source_role_has_its_attached_policy_audited_never_an_error() {
    let text = CONFIG_ALLOW
        .replace(
            "role   = aws_iam_role.replication.arn",
            "role   = data.aws_iam_role.shared.arn",
        )
        .replace(
            "role = aws_iam_role.replication.id",
            "role = data.aws_iam_role.shared.name",
        )
        .replace("\"s3:ReplicateObject\", ", "")
        + "\ndata \"aws_iam_role\" \"shared\" {\n  name = \"shared-replication\"\n}\n";
    let report = module(&text);
    let c = &report.configurations[0];
    let all: Vec<_> = c.audits.iter().flat_map(|p| &p.diagnostics).collect();
    assert!(all.iter().all(|d| d.severity == Severity::Info), "{all:#?}");
    assert!(
        all.iter()
            .any(|d| d.message.starts_with("Not verified (S3R707: error)")),
        "{all:#?}"
    );
}
