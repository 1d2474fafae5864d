//! Local child modules: a configuration written in `module "x" { source = "./…" }` is read
//! with the arguments and providers its caller passes, and reported at its address
//! (`module.x.…`) in the child's files.
#![cfg(feature = "iac")]

mod fixture_tree;

use s3_replication_lint::iac::{
    check_files, ConfigurationReport, IacReport, InputKind, SourceFile,
};
use s3_replication_lint::{DeploymentContext, Severity};
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/iac/terraform-child-module")
}

fn files() -> Vec<SourceFile> {
    fixture_tree::tree(&fixture(), &|name| name.ends_with(".tf"))
}

fn text<'f>(files: &'f [SourceFile], path: &str) -> &'f str {
    &files.iter().find(|f| f.path == path).unwrap().text
}

fn line_of(text: &str, needle: &str) -> u32 {
    text.lines().position(|l| l.contains(needle)).expect(needle) as u32 + 1
}

fn tf(files: &[(&str, &str)]) -> IacReport {
    let files: Vec<SourceFile> = files
        .iter()
        .map(|(p, t)| SourceFile {
            path: p.to_string(),
            text: t.to_string(),
        })
        .collect();
    check_files(
        &files,
        Some(InputKind::Terraform),
        &DeploymentContext::default(),
    )
}

fn codes(c: &ConfigurationReport, code: &str) -> usize {
    c.diagnostics.iter().filter(|d| d.code == code).count()
}

fn file_codes<'r>(r: &'r IacReport, path: &str) -> Vec<&'r s3_replication_lint::Diagnostic> {
    r.files
        .iter()
        .filter(|f| f.file == path)
        .flat_map(|f| f.diagnostics.iter())
        .collect()
}

#[test]
fn a_configuration_in_a_child_module_is_read_with_its_callers_values() {
    let files = files();
    let report = check_files(&files, None, &DeploymentContext::default());
    assert_eq!(report.configurations.len(), 1, "{:#?}", report.files);
    let c = &report.configurations[0];
    assert_eq!(
        c.address,
        "module.replication.aws_s3_bucket_replication_configuration.main"
    );
    assert_eq!(c.file, "modules/replication/main.tf");
    let child = text(&files, "modules/replication/main.tf");
    let root = text(&files, "main.tf");
    // The mistake, at its line in the child: two V2 rules without `priority`.
    let dup: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "S3R211")
        .collect();
    assert_eq!(dup.len(), 1, "{:#?}", c.diagnostics);
    assert_eq!(dup[0].severity, Severity::Error);
    assert_eq!(
        dup[0].range.start.line,
        line_of(child, "id     = \"invoices\"") - 1
    );
    assert!(dup[0]
        .path
        .starts_with("module.replication.aws_s3_bucket_replication_configuration.main.rule["));
    // The replica key the caller passes is in eu-west-1 (its provider), the replica bucket
    // in eu-central-1 (the child's `aws.replica`, the caller's `aws.frankfurt`).
    let region: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "S3R405")
        .collect();
    assert_eq!(region.len(), 1, "{:#?}", c.diagnostics);
    assert_eq!(region[0].severity, Severity::Error);
    assert_eq!(
        region[0].range.start.line,
        line_of(child, "replica_kms_key_id")
    );
    // The caller leaves `replica_account` unknown: not verified, never an error.
    assert!(
        c.diagnostics.iter().any(|d| d.code == "S3R600"
            && d.help
                .as_deref()
                .is_some_and(|h| h.contains("var.replica_account"))),
        "{:#?}",
        c.diagnostics
    );
    assert!(c
        .diagnostics
        .iter()
        .all(|d| d.severity != Severity::Error || ["S3R211", "S3R405"].contains(&d.code)));
    // Facts read through the providers the caller passes, at the caller's lines.
    let fact = |f: &str| {
        c.facts
            .iter()
            .find(|x| x.field == f)
            .unwrap_or_else(|| panic!("{f}: {:#?}", c.facts))
    };
    let src = fact("sourceRegion");
    assert_eq!(
        (src.value.as_str(), src.file.as_str()),
        ("eu-west-1", "main.tf")
    );
    assert_eq!(
        src.line,
        line_of(root, "region              = \"eu-west-1\"")
    );
    assert!(src.from.contains("aws.west") && src.from.contains("module.replication"));
    let acct = fact("sourceAccount");
    assert_eq!(
        (acct.value.as_str(), acct.file.as_str()),
        ("111122223333", "main.tf")
    );
    let dst = fact("destinations.acme-orders-replica.region");
    assert_eq!(
        (dst.value.as_str(), dst.file.as_str()),
        ("eu-central-1", "main.tf")
    );
    let key = fact("region of aws_kms_key.replica");
    assert_eq!(
        (key.value.as_str(), key.file.as_str()),
        ("eu-west-1", "main.tf")
    );
    let ver = fact("sourceVersioning");
    assert_eq!(
        (ver.value.as_str(), ver.file.as_str()),
        ("Enabled", "modules/replication/main.tf")
    );
    assert_eq!(
        c.context.source_bucket.as_deref(),
        Some("acme-orders-source")
    );
    // The role's policies are the child's: audited at their lines in the child's file.
    let perms = c
        .audits
        .iter()
        .find(|a| a.kind == "permissions")
        .unwrap_or_else(|| panic!("{:#?}", c.audits));
    assert_eq!(
        perms.address,
        "module.replication.aws_iam_role_policy.replication.policy"
    );
    assert_eq!(perms.file, "modules/replication/main.tf");
    let get = perms
        .diagnostics
        .iter()
        .find(|d| d.code == "S3R703")
        .expect("S3R703");
    assert_eq!(
        get.range.start.line,
        line_of(child, "\"s3:GetObjectVersion\",")
    );
    // The key the caller passes is the one the policy names through `var.replica_key_arn`:
    // its grant is seen (no S3R712, not even as not verified); kms:Decrypt is missing.
    assert!(perms.diagnostics.iter().any(|d| d.code == "S3R711"));
    assert!(
        perms
            .diagnostics
            .iter()
            .all(|d| !d.message.contains("S3R712") && d.code != "S3R712"),
        "{:#?}",
        perms.diagnostics
    );
    // The remote module is named, as before; the local one is not.
    let named = file_codes(&report, "main.tf");
    assert!(named
        .iter()
        .any(|d| d.code == "S3R014" && d.message.contains("\"logs\"")));
    assert!(!named
        .iter()
        .any(|d| d.code == "S3R014" && d.message.contains("\"replication\"")));
}

const CONFIG: &str = r#"
resource "aws_s3_bucket_replication_configuration" "main" {
  bucket = var.bucket
  role   = "arn:aws:iam::111122223333:role/r"
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
"#;

#[test]
fn nested_modules_get_nested_addresses_and_the_default_provider() {
    let r = tf(&[
        (
            "main.tf",
            "provider \"aws\" {\n  region = \"eu-north-1\"\n}\nmodule \"a\" {\n  source = \"./a\"\n  bucket = \"outer\"\n}\n",
        ),
        ("a/main.tf", "variable \"bucket\" {}\nmodule \"b\" {\n  source = \"../b\"\n  bucket = \"${var.bucket}-inner\"\n}\n"),
        ("b/main.tf", &format!("variable \"bucket\" {{\n  default = \"unused\"\n}}\n{CONFIG}")),
    ]);
    assert_eq!(r.configurations.len(), 1, "{:#?}", r.files);
    let c = &r.configurations[0];
    assert_eq!(
        c.address,
        "module.a.module.b.aws_s3_bucket_replication_configuration.main"
    );
    assert_eq!(c.file, "b/main.tf");
    assert_eq!(c.context.source_bucket.as_deref(), Some("outer-inner"));
    let region = c.facts.iter().find(|f| f.field == "sourceRegion").unwrap();
    assert_eq!(
        (region.value.as_str(), region.file.as_str(), region.line),
        ("eu-north-1", "main.tf", 2)
    );
}

#[test]
fn a_variable_the_caller_does_not_set_falls_back_to_its_default_or_stays_unknown() {
    let with_default = tf(&[
        ("main.tf", "module \"m\" {\n  source = \"./m\"\n}\n"),
        (
            "m/main.tf",
            &format!("variable \"bucket\" {{\n  default = \"dflt\"\n}}\n{CONFIG}"),
        ),
    ]);
    let c = &with_default.configurations[0];
    assert_eq!(c.context.source_bucket.as_deref(), Some("dflt"));
    let without = tf(&[
        ("main.tf", "module \"m\" {\n  source = \"./m\"\n}\n"),
        ("m/main.tf", &format!("variable \"bucket\" {{}}\n{CONFIG}")),
    ]);
    let c = &without.configurations[0];
    assert_eq!(c.context.source_bucket, None);
    assert!(
        c.diagnostics.iter().all(|d| d.severity != Severity::Error),
        "{:#?}",
        c.diagnostics
    );
}

#[test]
fn aliased_providers_are_not_inherited_without_a_providers_map() {
    let r = tf(&[
        (
            "main.tf",
            "provider \"aws\" {\n  alias = \"x\"\n  region = \"eu-west-3\"\n}\nmodule \"m\" {\n  source = \"./m\"\n}\n",
        ),
        ("m/main.tf", &CONFIG.replace("bucket = var.bucket", "provider = aws.x\n  bucket = \"src\"")),
    ]);
    let c = &r.configurations[0];
    assert!(
        !c.facts.iter().any(|f| f.field == "sourceRegion"),
        "{:#?}",
        c.facts
    );
}

#[test]
fn cycles_and_deep_nesting_terminate_and_are_named() {
    // A module calling itself, and two calling each other.
    let r = tf(&[
        ("main.tf", "module \"self\" {\n  source = \"./\"\n}\nmodule \"a\" {\n  source = \"./a\"\n}\n"),
        ("a/main.tf", &format!("variable \"bucket\" {{\n  default = \"a\"\n}}\nmodule \"b\" {{\n  source = \"../b\"\n}}\n{CONFIG}")),
        ("b/main.tf", "module \"a\" {\n  source = \"../a\"\n}\n"),
    ]);
    assert_eq!(r.configurations.len(), 1);
    assert_eq!(
        r.configurations[0].address,
        "module.a.aws_s3_bucket_replication_configuration.main"
    );
    assert!(file_codes(&r, "main.tf")
        .iter()
        .any(|d| d.code == "S3R014" && d.message.contains("cycle")));
    assert!(file_codes(&r, "b/main.tf")
        .iter()
        .any(|d| d.code == "S3R014" && d.message.contains("cycle")));
    // A chain 20 deep: read down to the limit, then named.
    let mut files: Vec<(String, String)> = (0..20)
        .map(|i| {
            let dir = if i == 0 {
                String::new()
            } else {
                format!("{}/", "d/".repeat(i).trim_end_matches('/'))
            };
            (
                format!("{dir}main.tf"),
                "module \"n\" {\n  source = \"./d\"\n}\n".to_string(),
            )
        })
        .collect();
    files.push((
        format!("{}/main.tf", "d/".repeat(20).trim_end_matches('/')),
        format!("variable \"bucket\" {{}}\n{CONFIG}"),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let r = tf(&refs);
    assert!(r.configurations.is_empty());
    assert!(r
        .files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .any(|d| d.code == "S3R014" && d.message.contains("deep")));
    // Fan-out: every level calls the next ten times; the instances read are bounded.
    let mut files = vec![(
        "main.tf".to_string(),
        (0..10)
            .map(|i| format!("module \"m{i}\" {{\n  source = \"./l1\"\n}}\n"))
            .collect::<String>(),
    )];
    for level in 1..8 {
        let dir = (1..=level)
            .map(|l| format!("l{l}"))
            .collect::<Vec<_>>()
            .join("/");
        let body: String = (0..10)
            .map(|i| format!("module \"m{i}\" {{\n  source = \"./l{}\"\n}}\n", level + 1))
            .collect();
        files.push((format!("{dir}/main.tf"), format!("{body}{CONFIG}")));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let start = std::time::Instant::now();
    let r = tf(&refs);
    assert!(r.configurations.len() <= 64, "{}", r.configurations.len());
    assert!(start.elapsed().as_secs() < 20);
}

#[test]
fn remote_sources_missing_files_and_counted_modules() {
    let r = tf(&[
        (
            "main.tf",
            concat!(
                "module \"registry\" {\n  source = \"terraform-aws-modules/s3-bucket/aws\"\n}\n",
                "module \"git\" {\n  source = \"git::https://example.com/m.git\"\n}\n",
                "module \"s3\" {\n  source = \"s3::https://s3.amazonaws.com/b/m.zip\"\n}\n",
                "module \"gone\" {\n  source = \"./not-given\"\n}\n",
                "module \"many\" {\n  source = \"./m\"\n  count  = 3\n  bucket = \"b-${count.index}\"\n}\n",
                "variable \"n\" {\n  type = number\n}\n",
                "module \"some\" {\n  source = \"./m\"\n  count  = var.n\n  bucket = \"s-${count.index}\"\n}\n",
            ),
        ),
        ("m/main.tf", &format!("variable \"bucket\" {{}}\n{CONFIG}")),
    ]);
    let named = file_codes(&r, "main.tf");
    for m in ["registry", "git", "s3", "gone"] {
        assert!(
            named
                .iter()
                .any(|d| d.code == "S3R014" && d.message.contains(&format!("\"{m}\""))),
            "{m}: {named:#?}"
        );
    }
    // A count the code fixes makes one instance per index, each with its `count.index`
    // (the module block's own); one it does not fix is read once, `count.index` unknown.
    assert!(named.iter().any(|d| d.code == "S3R014"
        && d.message.contains("`count`")
        && d.message.contains("\"some\"")));
    assert!(
        !named.iter().any(|d| d.message.contains("\"many\"")),
        "{named:#?}"
    );
    let got: Vec<(&str, Option<&str>)> = r
        .configurations
        .iter()
        .map(|c| (c.address.as_str(), c.context.source_bucket.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "module.many[0].aws_s3_bucket_replication_configuration.main",
                Some("b-0")
            ),
            (
                "module.many[1].aws_s3_bucket_replication_configuration.main",
                Some("b-1")
            ),
            (
                "module.many[2].aws_s3_bucket_replication_configuration.main",
                Some("b-2")
            ),
            // `count.index` is unknown: the bucket is not verified, not guessed.
            (
                "module.some.aws_s3_bucket_replication_configuration.main",
                None
            ),
        ]
    );
    for c in &r.configurations {
        assert_eq!(codes(c, "S3R211"), 0);
    }
}

#[test]
fn top_level_files_alone_read_as_one_module_as_before() {
    let a = tf(&[
        (
            "main.tf",
            &format!("variable \"bucket\" {{\n  default = \"x\"\n}}\n{CONFIG}"),
        ),
        (
            "providers.tf",
            "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n",
        ),
    ]);
    let c = &a.configurations[0];
    assert_eq!(c.address, "aws_s3_bucket_replication_configuration.main");
    assert_eq!(
        c.facts
            .iter()
            .find(|f| f.field == "sourceRegion")
            .unwrap()
            .file,
        "providers.tf"
    );
    // A directory no module calls is a root module of its own.
    let b = tf(&[
        (
            "main.tf",
            "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n",
        ),
        (
            "other/main.tf",
            &format!("variable \"bucket\" {{\n  default = \"x\"\n}}\n{CONFIG}"),
        ),
    ]);
    assert_eq!(b.configurations.len(), 1);
    assert_eq!(
        b.configurations[0].address,
        "aws_s3_bucket_replication_configuration.main"
    );
    assert_eq!(b.configurations[0].file, "other/main.tf");
}

/// The CLI joins every path onto the directory as the user wrote it (`infra/live`,
/// `infra/live/modules/replication/main.tf`): the same module tree.
#[test]
fn paths_under_a_common_directory_read_the_same() {
    let mut files = files();
    for f in &mut files {
        f.path = format!("infra/./live/{}", f.path);
    }
    let report = check_files(&files, None, &DeploymentContext::default());
    assert_eq!(report.configurations.len(), 1);
    let c = &report.configurations[0];
    assert_eq!(c.file, "infra/./live/modules/replication/main.tf");
    assert_eq!(
        c.address,
        "module.replication.aws_s3_bucket_replication_configuration.main"
    );
    assert_eq!(
        c.diagnostics.iter().filter(|d| d.code == "S3R405").count(),
        1
    );
    let region = c.facts.iter().find(|f| f.field == "sourceRegion").unwrap();
    assert_eq!(region.file, "infra/./live/main.tf");
}

/// The common split: the caller declares the buckets and passes them by reference; their
/// facts (Region, versioning) are read in the caller.
#[test]
fn buckets_the_caller_declares_and_passes_are_the_callers() {
    let root = r#"
provider "aws" {
  region = "eu-west-1"
}
provider "aws" {
  alias  = "dr"
  region = "us-east-2"
}
resource "aws_s3_bucket" "src" {
  bucket = "acme-src"
}
resource "aws_s3_bucket" "dst" {
  provider = aws.dr
  bucket   = "acme-dst"
}
resource "aws_s3_bucket_versioning" "dst" {
  provider = aws.dr
  bucket   = aws_s3_bucket.dst.id
  versioning_configuration {
    status = "Enabled"
  }
}
resource "aws_kms_key" "dr" {
}
module "repl" {
  source      = "./repl"
  source_id   = aws_s3_bucket.src.id
  target_arn  = aws_s3_bucket.dst.arn
  replica_key = aws_kms_key.dr.arn
}
"#;
    let child = r#"
variable "source_id" {}
variable "target_arn" {}
variable "replica_key" {}
resource "aws_s3_bucket_replication_configuration" "this" {
  bucket = var.source_id
  role   = "arn:aws:iam::111122223333:role/r"
  rule {
    status = "Enabled"
    filter {}
    delete_marker_replication {
      status = "Disabled"
    }
    source_selection_criteria {
      sse_kms_encrypted_objects {
        status = "Enabled"
      }
    }
    destination {
      bucket = var.target_arn
      encryption_configuration {
        replica_kms_key_id = var.replica_key
      }
    }
  }
}
"#;
    let r = tf(&[("main.tf", root), ("repl/main.tf", child)]);
    let c = &r.configurations[0];
    let fact = |f: &str| {
        c.facts
            .iter()
            .find(|x| x.field == f)
            .unwrap_or_else(|| panic!("{f}: {:#?}", c.facts))
    };
    assert_eq!(c.context.source_bucket.as_deref(), Some("acme-src"));
    let v = fact("sourceVersioning");
    assert_eq!((v.value.as_str(), v.file.as_str()), ("Disabled", "main.tf"));
    assert!(v.from.starts_with("aws_s3_bucket.src"), "{}", v.from);
    let d = fact("destinations.acme-dst.region");
    assert_eq!(
        (d.value.as_str(), d.file.as_str(), d.line),
        ("us-east-2", "main.tf", 7)
    );
    assert_eq!(fact("destinations.acme-dst.versioning").value, "Enabled");
    // The caller's key (default provider, eu-west-1) is not in the replica's Region.
    let region: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "S3R405")
        .collect();
    assert_eq!(region.len(), 1, "{:#?}", c.diagnostics);
    assert_eq!(
        region[0].range.start.line,
        line_of(child, "replica_kms_key_id")
    );
    // Source versioning is off in the caller: an error at the child's configuration.
    assert!(
        c.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error
                && d.message.to_lowercase().contains("versioning")),
        "{:#?}",
        c.diagnostics
    );
}

/// Thousands of calls and a huge argument list: bounded work, every call accounted for.
#[test]
fn hostile_module_calls_stay_bounded() {
    let mut root = String::new();
    for i in 0..3000 {
        root.push_str(&format!(
            "module \"m{i}\" {{\n  source = \"./m\"\n  bucket = \"b{i}\"\n}}\n"
        ));
    }
    root.push_str("module \"wide\" {\n  source = \"./m\"\n");
    for i in 0..20000 {
        root.push_str(&format!("  arg{i} = \"${{var.nothing}}-{i}\"\n"));
    }
    root.push_str("  bucket = \"wide\"\n}\n");
    let child = format!("variable \"bucket\" {{}}\n{CONFIG}");
    let start = std::time::Instant::now();
    let r = tf(&[("main.tf", &root), ("m/main.tf", &child)]);
    assert_eq!(r.configurations.len(), 64);
    let named = file_codes(&r, "main.tf")
        .iter()
        .filter(|d| d.code == "S3R014" && d.message.contains("more than 64"))
        .count();
    assert_eq!(named, 3001 - 64);
    assert!(start.elapsed().as_secs() < 30, "{:?}", start.elapsed());
}

/// A module directory after `terraform init`: every `.tf` file and the manifest of
/// installed modules, as the CLI gathers them.
fn installed_files() -> Vec<SourceFile> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/iac/terraform-installed-module");
    fixture_tree::tree(&dir, &|name| {
        name.ends_with(".tf") || name == "modules.json"
    })
}

#[test]
fn modules_terraform_init_installed_are_read_through_their_calls() {
    let files = installed_files();
    let r = check_files(&files, None, &DeploymentContext::default());
    // One configuration: the installed modules are not roots of their own.
    let got: Vec<(&str, &str)> = r
        .configurations
        .iter()
        .map(|c| (c.address.as_str(), c.file.as_str()))
        .collect();
    assert_eq!(
        got,
        [(
            "module.logs.aws_s3_bucket_replication_configuration.this[0]",
            ".terraform/modules/logs/main.tf"
        )],
        "{:#?}",
        r.files
    );
    let c = &r.configurations[0];
    // The caller's values reach the installed module: its bucket, and the two rules'
    // shared priority, an error S3 raises.
    assert_eq!(c.context.source_bucket.as_deref(), Some("acme-access-logs"));
    let dup: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "S3R211")
        .collect();
    assert_eq!(dup.len(), 1, "{:#?}", c.diagnostics);
    assert_eq!(dup[0].severity, Severity::Error);
    let child = text(&files, ".terraform/modules/logs/main.tf");
    assert!(dup[0].range.start.line >= line_of(child, "dynamic \"rule\""));
    assert!(dup[0].range.start.line <= line_of(child, "depends_on"));
    // Nothing says a module was not read, and the manifest is not taken for a module file.
    for f in &r.files {
        assert!(
            f.diagnostics
                .iter()
                .all(|d| d.code != "S3R014" && d.code != "S3R001"),
            "{}: {:#?}",
            f.file,
            f.diagnostics
        );
    }
}

#[test]
fn installed_modules_need_their_manifest_and_files() {
    let all = installed_files();
    let not_read = |r: &IacReport| -> Vec<String> {
        file_codes(r, "main.tf")
            .into_iter()
            .filter(|d| d.code == "S3R014")
            .map(|d| d.message.clone())
            .collect()
    };
    // Without the manifest: named as before, and the installed files are no root modules.
    let files: Vec<SourceFile> = all
        .iter()
        .filter(|f| !f.path.ends_with("modules.json"))
        .cloned()
        .collect();
    let r = check_files(&files, None, &DeploymentContext::default());
    assert!(r.configurations.is_empty(), "{:#?}", r.configurations.len());
    let said = not_read(&r);
    assert_eq!(said.len(), 2, "{said:#?}");
    assert!(said.iter().all(|m| m.contains("modules.json")), "{said:#?}");
    // A call the manifest does not list (added after `terraform init`).
    let files: Vec<SourceFile> = all
        .iter()
        .map(|f| {
            let mut f = f.clone();
            if f.path.ends_with("modules.json") {
                f.text = f.text.replace("\"Key\":\"logs\"", "\"Key\":\"old\"");
            }
            f
        })
        .collect();
    let r = check_files(&files, None, &DeploymentContext::default());
    assert!(r.configurations.is_empty());
    let said = not_read(&r);
    assert_eq!(said.len(), 1, "{said:#?}");
    assert!(said[0].contains("\"logs\"") && said[0].contains("has not installed it"));
    // Listed, but its files were not given.
    let files: Vec<SourceFile> = all
        .iter()
        .filter(|f| !f.path.starts_with(".terraform/modules/logs/"))
        .cloned()
        .collect();
    let r = check_files(&files, None, &DeploymentContext::default());
    assert!(
        r.configurations.is_empty(),
        "{:?}",
        r.configurations
            .iter()
            .map(|c| (&c.address, &c.file))
            .collect::<Vec<_>>()
    );
    let said = not_read(&r);
    assert_eq!(said.len(), 1, "{said:#?}");
    assert!(said[0].contains("not among the inputs"), "{said:#?}");
}

#[test]
fn hostile_manifests_stay_bounded() {
    let call = "module \"logs\" {\n  source = \"example-org/replicated-bucket/aws\"\n}\n";
    // A call installed into the root itself is a cycle, named once.
    let r = tf(&[
        ("main.tf", call),
        (
            ".terraform/modules/modules.json",
            r#"{"Modules":[{"Key":"logs","Dir":"."}]}"#,
        ),
    ]);
    let said: Vec<_> = file_codes(&r, "main.tf")
        .into_iter()
        .filter(|d| d.code == "S3R014")
        .collect();
    assert_eq!(said.len(), 1, "{said:#?}");
    assert!(said[0].message.contains("cycle"), "{said:#?}");
    // Many entries, odd values, and not JSON at all: no panic, the call named.
    let many = format!(
        r#"{{"Modules":[{}{{"Key":"logs","Dir":"../../../../x"}}]}}"#,
        r#"{"Key":"k","Dir":"d"},"#.repeat(20_000)
    );
    for manifest in [
        many.as_str(),
        "{\"Modules\": 7}",
        "not json",
        "{\"Modules\":[{\"Key\":null}]}",
    ] {
        let r = tf(&[
            ("main.tf", call),
            (".terraform/modules/modules.json", manifest),
        ]);
        assert!(r.configurations.is_empty());
        assert!(file_codes(&r, "main.tf").iter().any(|d| d.code == "S3R014"));
    }
}
