//! Generated policies as Terraform and CloudFormation (golden files and snapshots).
//!
//! Each case generates a policy set from `tests/golden/policies/inputs/<config>` and writes
//! `tests/golden/emit/<case>.tf`, `.yaml` and `.json` (the policy set with the bindings the
//! emitters applied, for `tests/policy_lint/check_emitted.py`, which rebuilds the policies
//! from the `.tf` and runs cfn-lint and `terraform fmt`). Regenerate with `UPDATE_GOLDEN=1`.
#![cfg(feature = "iac")]

use s3_replication_lint::context::{DeploymentContext, Resolved};
use s3_replication_lint::policy::emit::{self, Binding};
use s3_replication_lint::policy::{
    self, DocumentKind, Json, PolicyDocument, PolicySet, StatementInfo,
};
use std::path::{Path, PathBuf};

fn dir(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/golden")
        .join(sub)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn generate(config: &str) -> PolicySet {
    let inputs = dir("policies/inputs");
    let path = ["json", "xml"]
        .iter()
        .map(|ext| inputs.join(format!("{config}.config.{ext}")))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("no config for {config}"));
    let parsed = s3_replication_lint::parse(&read(&path), None);
    let doc = parsed.document.expect("config parses");
    let ctx = DeploymentContext::from_json(&read(&inputs.join(format!("{config}.context.json"))))
        .expect("context");
    policy::generate(&doc, &Resolved::new(&ctx, &doc))
}

fn check_file(path: &Path, text: &str) {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, text).expect("write golden");
    } else {
        assert!(
            read(path) == text,
            "{} is stale (UPDATE_GOLDEN=1 to accept):\n{text}",
            path.display()
        );
    }
}

/// Emits both languages, snapshots them and checks the golden files. A hand-made set is
/// marked `synthetic` in its `.json`: its policies test the emitters, not IAM (parliament
/// skips it).
fn case(name: &str, set: &PolicySet, bindings: &[Binding]) -> (String, String) {
    let tf = emit::terraform(set, bindings);
    let yaml = emit::cloudformation(set, bindings);
    // Deterministic.
    assert_eq!(tf, emit::terraform(set, bindings));
    assert_eq!(yaml, emit::cloudformation(set, bindings));
    insta::assert_snapshot!(format!("{name}.tf"), tf);
    insta::assert_snapshot!(format!("{name}.yaml"), yaml);
    let mut json = serde_json::to_value(set).expect("serializes");
    json["bindings"] = serde_json::to_value(emit::effective_bindings(set, bindings)).expect("json");
    if name == "odd-strings" || name == "empty" {
        json["synthetic"] = serde_json::Value::Bool(true);
    }
    let mut text = serde_json::to_string_pretty(&json).expect("json");
    text.push('\n');
    let out = dir("emit");
    check_file(&out.join(format!("{name}.tf")), &tf);
    check_file(&out.join(format!("{name}.yaml")), &yaml);
    check_file(&out.join(format!("{name}.json")), &text);
    (tf, yaml)
}

fn bind(value: &str, tf: &str, cfn: (&str, Option<&str>)) -> Binding {
    Binding {
        value: value.to_string(),
        terraform: Some(tf.to_string()),
        cloudformation: Some((cfn.0.to_string(), cfn.1.map(str::to_string))),
    }
}

#[test]
fn cross_account_kms() {
    let set = generate("cross-account-kms");
    let (tf, yaml) = case("cross-account-kms", &set, &[]);
    // The role is created here, and every policy naming it refers to it.
    assert!(tf.contains("resource \"aws_iam_role\" \"replication\""));
    assert!(
        tf.contains("identifiers = [aws_iam_role.replication.arn]"),
        "{tf}"
    );
    assert!(
        !tf.contains("role/service-role/s3-replication-acme\""),
        "{tf}"
    );
    assert!(tf.contains("resource \"aws_s3_bucket_policy\""));
    assert!(yaml.contains("AWS: !GetAtt ReplicationRole.Arn"), "{yaml}");
    assert!(yaml.contains("Type: AWS::S3::BucketPolicy"));
    // Key policy statements are additions, never a key policy of their own.
    assert!(!tf.contains("aws_kms_key_policy"));
    assert!(!yaml.contains("AWS::KMS::Key"));
}

#[test]
fn cross_account_kms_bound_to_the_users_resources() {
    let set = generate("cross-account-kms");
    let bindings = [
        bind(
            "arn:aws:s3:::acme-logs-use1",
            "aws_s3_bucket.source.arn",
            ("Source", Some("Arn")),
        ),
        bind(
            "arn:aws:s3:::acme-backup-usw2",
            "aws_s3_bucket.backup.arn",
            ("Backup", Some("Arn")),
        ),
        bind(
            "arn:aws:iam::111122223333:role/service-role/s3-replication-acme",
            "aws_iam_role.replication_acme.arn",
            ("ReplicationAcme", Some("Arn")),
        ),
        bind(
            "arn:aws:kms:us-west-2:444455556666:key/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
            "aws_kms_key.replica.arn",
            ("ReplicaKey", Some("Arn")),
        ),
    ];
    let (tf, yaml) = case("cross-account-kms-bound", &set, &bindings);
    assert!(!tf.contains("resource \"aws_iam_role\""), "{tf}");
    assert!(
        tf.contains("role   = aws_iam_role.replication_acme.name"),
        "{tf}"
    );
    assert!(
        tf.contains("\"${aws_s3_bucket.source.arn}/ledger/*\""),
        "{tf}"
    );
    assert!(
        tf.contains("resources = [aws_s3_bucket.source.arn]"),
        "{tf}"
    );
    assert!(tf.contains("bucket = aws_s3_bucket.backup.id"), "{tf}");
    assert!(!yaml.contains("AWS::IAM::Role\n"), "{yaml}");
    assert!(yaml.contains("RoleName: !Ref ReplicationAcme"), "{yaml}");
    assert!(yaml.contains("!Sub \"${Source.Arn}/ledger/*\""), "{yaml}");
    assert!(yaml.contains("Bucket: !Ref Backup"), "{yaml}");
}

#[test]
fn batch_replication() {
    let set = generate("batch");
    let (tf, yaml) = case("batch", &set, &[]);
    assert!(tf.contains("variable \"batch_report_bucket\""), "{tf}");
    assert!(
        tf.contains("\"arn:aws:s3:::${var.batch_report_bucket}/*\""),
        "{tf}"
    );
    assert!(tf.contains("resource \"aws_iam_role_policy\" \"batch_replication\""));
    assert!(
        yaml.contains("BatchReportBucket:\n    Type: String"),
        "{yaml}"
    );
    assert!(
        yaml.contains("!Sub \"arn:aws:s3:::${BatchReportBucket}/*\""),
        "{yaml}"
    );
    assert!(yaml.contains("Type: AWS::IAM::ManagedPolicy"));
}

#[test]
fn unknown_source_bucket_is_an_input() {
    let set = generate("rtc");
    let (tf, yaml) = case("rtc", &set, &[]);
    assert!(tf.contains("variable \"source_bucket\""));
    assert!(yaml.contains("  SourceBucket:\n    Type: String"));
}

#[test]
fn literal_template_sequences_are_escaped() {
    let set = generate("wildcard-prefix");
    let (tf, yaml) = case("wildcard-prefix", &set, &[]);
    assert!(tf.contains("drafts/$${*}$${?}$${$}/*"), "{tf}");
    // Not in a !Sub: CloudFormation keeps `${` as it is.
    assert!(yaml.contains("drafts/${*}${?}${$}/*"), "{yaml}");
}

fn odd_document(kind: DocumentKind, s: &str) -> PolicyDocument {
    let policy = Json::obj(vec![
        ("Version", Json::lit("2012-10-17")),
        (
            "Statement",
            Json::Arr(vec![Json::obj(vec![
                ("Sid", Json::lit("Odd")),
                ("Effect", Json::lit("Allow")),
                ("Principal", Json::lit("*")),
                ("NotAction", Json::strs(&["s3:Get*", s])),
                ("Resource", Json::str(s)),
                (
                    "Condition",
                    Json::obj(vec![(
                        "StringEquals",
                        Json::obj(vec![("aws:PrincipalTag/x", Json::str(s))]),
                    )]),
                ),
            ])]),
        ),
    ]);
    PolicyDocument {
        kind,
        title: "odd \"title\"\nsecond line".to_string(),
        attach_to: "arn:aws:s3:::odd-bucket".to_string(),
        how_to_apply: "# not a heading: \\ ${X}".to_string(),
        text: policy.to_pretty(),
        policy,
        statements: vec![StatementInfo {
            sid: "Odd".to_string(),
            reason: "quotes \" and\r\nnewlines".to_string(),
        }],
    }
}

/// Strings with quotes, newlines, backslashes, template sequences and Unicode survive both
/// languages (the golden files go through terraform fmt, python-hcl2 and cfn-lint).
#[test]
fn odd_strings_round_trip() {
    let s = "q\"b\\s\n\t$${ %{x} $$ x$${SOURCE_BUCKET}é ✓ 😀 \u{2028}#: - ?x";
    let mut set = generate("rtc");
    set.documents = vec![odd_document(DocumentKind::DestinationBucketPolicy, s)];
    let (tf, yaml) = case("odd-strings", &set, &[]);
    assert!(tf.contains("$$${"), "{tf}");
    assert!(tf.contains("%%{x}"), "{tf}");
    assert!(tf.contains("${var.source_bucket}"), "{tf}");
    assert!(yaml.contains("${!"), "{yaml}");
}

#[test]
fn never_panics_and_empty_sets_are_valid() {
    let empty = PolicySet {
        documents: vec![],
        complete: false,
        placeholders: vec![],
        notes: vec![],
    };
    let (tf, yaml) = case("empty", &empty, &[]);
    assert!(tf.starts_with("# Generated"));
    assert!(yaml.contains("Resources:"));
    // A document that is not a policy's shape is kept whole.
    let mut doc = odd_document(DocumentKind::Deployer, "x");
    doc.policy = Json::Arr(vec![Json::lit("not a policy"), Json::Obj(vec![])]);
    let set = PolicySet {
        documents: vec![doc],
        ..empty
    };
    let weird = [Binding {
        value: String::new(),
        terraform: Some("x".into()),
        cloudformation: None,
    }];
    let tf = emit::terraform(&set, &weird);
    assert!(tf.contains("source_policy_documents"), "{tf}");
    let _ = emit::cloudformation(&set, &weird);
    // Every generated set of the policy goldens emits.
    for name in [
        "aws-2018-kms",
        "srr-same-account",
        "bucket-keys",
        "multi-destination",
        "v1",
        "mrk",
    ] {
        let set = generate(name);
        assert!(!emit::terraform(&set, &[]).is_empty());
        assert!(!emit::cloudformation(&set, &[]).is_empty());
    }
}

#[test]
fn bindings_cross_to_javascript_in_camel_case() {
    let b: Vec<Binding> = serde_json::from_str(
        r#"[{"value":"arn:aws:s3:::b","terraform":"aws_s3_bucket.b.arn","cloudformation":["B","Arn"]},{"value":"v"}]"#,
    )
    .expect("bindings parse");
    assert_eq!(
        b[0].cloudformation,
        Some(("B".to_string(), Some("Arn".to_string())))
    );
    assert_eq!(b[1].terraform, None);
}

/// The string a Terraform expression stands for (literal parts only).
fn hcl_string(e: &hcl_edit::expr::Expression) -> Option<String> {
    use hcl_edit::expr::Expression;
    use hcl_edit::template::Element;
    match e {
        Expression::String(s) => Some(s.value().to_string()),
        Expression::StringTemplate(t) => t
            .iter()
            .map(|el| match el {
                Element::Literal(l) => Some(l.value().to_string()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

mod hostile {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

        /// Any string: the Terraform parses and its string is the policy's; the template is
        /// YAML without a scan error.
        #[test]
        fn any_string_is_valid_code(s in "[a-z$%{}\"\\\\\n\t\r\u{1}\u{7f}\u{85}\u{2028}\u{feff}é😀:#*?!&| -]{0,24}") {
            let set = PolicySet {
                documents: vec![odd_document(DocumentKind::DestinationBucketPolicy, &s)],
                complete: true,
                placeholders: vec![],
                notes: vec![policy::Note::new(s3_replication_lint::Severity::Info, s.clone())],
            };
            let tf = emit::terraform(&set, &[]);
            let body = hcl_edit::parser::parse_body(&tf);
            prop_assert!(body.is_ok(), "{tf}");
            let body = body.unwrap();
            let data = body.blocks().find(|b| b.ident.as_str() == "data");
            let stmt = data.and_then(|d| d.body.blocks().find(|b| b.ident.as_str() == "statement"));
            let res = stmt.and_then(|b| b.body.get_attribute("resources")).map(|a| &a.value);
            let first = match res {
                Some(hcl_edit::expr::Expression::Array(a)) => a.iter().next().and_then(hcl_string),
                _ => None,
            };
            prop_assert_eq!(first.as_deref(), Some(s.as_str()), "{}", tf);

            let yaml = emit::cloudformation(&set, &[]);
            let mut parser = saphyr_parser::Parser::new_from_str(&yaml);
            let mut scalars = Vec::new();
            loop {
                match parser.next_event() {
                    None => break,
                    Some(Ok((saphyr_parser::Event::Scalar(v, ..), _))) => scalars.push(v.to_string()),
                    Some(Ok(_)) => {}
                    Some(Err(e)) => prop_assert!(false, "{e}\n{yaml}"),
                }
            }
            // Not in a !Sub (no placeholder): the scalar is the string itself.
            prop_assert!(scalars.contains(&s), "{s:?} not in {scalars:?}\n{yaml}");
        }
    }
}

/// The policies of a module's and a template's own configuration, wired to their resources
/// by the bindings the check reports.
#[test]
fn a_module_and_a_template_get_code_wired_to_their_own_resources() {
    use s3_replication_lint::iac::{check_files, deployed_document, SourceFile};
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/iac/policies");
    let load = |p: PathBuf| SourceFile {
        path: p.file_name().unwrap().to_string_lossy().to_string(),
        text: std::fs::read_to_string(&p).unwrap(),
    };
    let cfn_context = DeploymentContext::from_json(
        &std::fs::read_to_string(fixtures.join("cloudformation/context.json")).unwrap(),
    )
    .unwrap();
    let cases = [
        (
            "iac-terraform-module",
            vec![load(fixtures.join("terraform/good/main.tf"))],
            DeploymentContext::default(),
        ),
        (
            "iac-cloudformation-template",
            vec![load(fixtures.join("cloudformation/good.yaml"))],
            cfn_context,
        ),
    ];
    for (name, files, context) in cases {
        let report = check_files(&files, None, &context);
        let c = &report.configurations[0];
        let doc = deployed_document(c).expect("document");
        let set = policy::generate(&doc, &Resolved::new(&c.context, &doc));
        let (tf, yaml) = case(name, &set, &c.bindings);
        if name.contains("terraform") {
            for reference in [
                "resources = [aws_s3_bucket.source.arn]",
                "\"${aws_s3_bucket.destination.arn}/logs*\"",
                "resources = [aws_kms_key.source.arn]",
                "resources = [aws_kms_key.replica.arn]",
                "identifiers = [aws_iam_role.replication.arn]",
            ] {
                assert!(tf.contains(reference), "{name}: no {reference}\n{tf}");
            }
            assert!(
                !tf.contains("variable \""),
                "{name}: every value is the module's\n{tf}"
            );
        } else {
            for reference in [
                "Resource: !GetAtt Source.Arn",
                "!Sub \"${Source.Arn}/logs*\"",
            ] {
                assert!(yaml.contains(reference), "{name}: no {reference}\n{yaml}");
            }
        }
    }
}
