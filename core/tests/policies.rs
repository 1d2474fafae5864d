//! Policy generation (golden files) and policy audit (fixtures).
//!
//! Golden files live in `tests/golden/policies/`: `inputs/<case>.config.{json,xml}` and
//! `inputs/<case>.context.json` produce `<case>.json`. Regenerate with `UPDATE_GOLDEN=1`.
//! Audit fixtures are `audit/<name>.json`: a config file name, a context, the user's
//! policies and the exact codes expected (with the text each finding must underline).

use s3_replication_lint::context::{DeploymentContext, Resolved};
use s3_replication_lint::policy::{self, DocumentKind, PolicySet, UserPolicies};
use s3_replication_lint::Document;
use std::path::{Path, PathBuf};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/golden/policies")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn load_config(name: &str) -> Document {
    let dir = golden_dir().join("inputs");
    let path = ["json", "xml"]
        .iter()
        .map(|ext| dir.join(format!("{name}.config.{ext}")))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("no config for {name}"));
    let parsed = s3_replication_lint::parse(&read(&path), None);
    parsed
        .document
        .unwrap_or_else(|| panic!("{name}: {:?}", parsed.diagnostics))
}

fn load_context(name: &str) -> DeploymentContext {
    let path = golden_dir()
        .join("inputs")
        .join(format!("{name}.context.json"));
    DeploymentContext::from_json(&read(&path)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn generate_case(name: &str) -> PolicySet {
    let doc = load_config(name);
    let ctx = load_context(name);
    policy::generate(&doc, &Resolved::new(&ctx, &doc))
}

fn check_golden(name: &str) -> PolicySet {
    let set = generate_case(name);
    let mut text = serde_json::to_string_pretty(&set).expect("serializes");
    text.push('\n');
    let path = golden_dir().join(format!("{name}.json"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &text).expect("write golden");
    } else {
        let want = read(&path);
        assert!(
            want == text,
            "{name}: generated policies differ from {} (UPDATE_GOLDEN=1 to accept):\n{text}",
            path.display()
        );
    }
    // Every document's text is valid JSON equal to its policy tree.
    for d in &set.documents {
        let v: serde_json::Value = serde_json::from_str(&d.text).expect("valid JSON");
        assert_eq!(v, d.policy.to_value(), "{name}: {}", d.title);
        assert_eq!(
            d.statements.len(),
            v["Statement"].as_array().map_or(0, Vec::len)
        );
    }
    set
}

fn doc(set: &PolicySet, kind: DocumentKind) -> &policy::PolicyDocument {
    set.documents
        .iter()
        .find(|d| d.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} document"))
}

fn statement(d: &policy::PolicyDocument, sid: &str) -> serde_json::Value {
    let v = d.policy.to_value();
    v["Statement"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["Sid"] == sid))
        .cloned()
        .unwrap_or_else(|| panic!("no statement {sid} in {}", d.text))
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Array(a) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

#[test]
fn aws_2018_page_example_with_todays_additions() {
    let set = check_golden("aws-2018-kms");
    assert!(set.complete, "{:?}", set.placeholders);
    let role = doc(&set, DocumentKind::RolePermissions);
    // The 2018 page's five statements, with real names and the tag permissions added.
    let src = statement(role, "SourceObjectVersions");
    assert_eq!(
        strings(&src["Action"]),
        [
            "s3:GetObjectVersionForReplication",
            "s3:GetObjectVersionAcl",
            "s3:GetObjectVersionTagging"
        ]
    );
    assert_eq!(
        strings(&src["Resource"]),
        ["arn:aws:s3:::example-originals-use1/prefix1*"]
    );
    let dst = statement(role, "ReplicateToExampleReplicasUsw2");
    assert_eq!(
        strings(&dst["Action"]),
        [
            "s3:ReplicateObject",
            "s3:ReplicateDelete",
            "s3:ReplicateTags"
        ]
    );
    assert_eq!(
        strings(&dst["Resource"]),
        ["arn:aws:s3:::example-replicas-usw2/prefix1*"]
    );
    let dec = statement(role, "DecryptSourceObjects");
    assert_eq!(
        dec["Condition"]["StringLike"]["kms:ViaService"],
        "s3.us-east-1.amazonaws.com"
    );
    assert_eq!(
        strings(&dec["Condition"]["StringLike"]["kms:EncryptionContext:aws:s3:arn"]),
        ["arn:aws:s3:::example-originals-use1/prefix1*"]
    );
    let enc = statement(role, "EncryptReplicasInExampleReplicasUsw2");
    assert_eq!(strings(&enc["Action"]), ["kms:Encrypt"]);
    assert_eq!(
        enc["Condition"]["StringLike"]["kms:ViaService"],
        "s3.us-west-2.amazonaws.com"
    );
    assert_eq!(
        strings(&enc["Condition"]["StringLike"]["kms:EncryptionContext:aws:s3:arn"]),
        ["arn:aws:s3:::example-replicas-usw2/prefix1*"]
    );
    // Same account: no bucket policy; the source key gets its (conditional) statement.
    assert!(set
        .documents
        .iter()
        .all(|d| d.kind != DocumentKind::DestinationBucketPolicy));
    assert_eq!(
        set.documents
            .iter()
            .filter(|d| d.kind == DocumentKind::KmsKeyPolicy)
            .count(),
        1
    );
}

#[test]
fn same_account_srr() {
    let set = check_golden("srr-same-account");
    assert!(set.complete);
    let role = doc(&set, DocumentKind::RolePermissions);
    let dst = statement(role, "ReplicateToAcmeLogsCopyUse1");
    // DeleteMarkerReplication Disabled: no ReplicateDelete.
    assert_eq!(
        strings(&dst["Action"]),
        ["s3:ReplicateObject", "s3:ReplicateTags"]
    );
    assert!(!role.text.contains("kms:"));
    let kinds: Vec<DocumentKind> = set.documents.iter().map(|d| d.kind).collect();
    assert_eq!(
        kinds,
        [
            DocumentKind::RolePermissions,
            DocumentKind::Trust,
            DocumentKind::Deployer
        ],
        "role + trust + the deployer's permissions only"
    );
    // The deployer may write this bucket's configuration and pass this role, nothing else.
    let deployer = doc(&set, DocumentKind::Deployer);
    let apply = statement(deployer, "ApplyReplicationConfiguration");
    assert_eq!(
        strings(&apply["Action"]),
        [
            "s3:PutReplicationConfiguration",
            "s3:GetReplicationConfiguration"
        ]
    );
    assert!(!apply["Resource"].as_str().unwrap_or("*").contains('*'));
    let pass = statement(deployer, "PassReplicationRole");
    assert_eq!(strings(&pass["Action"]), ["iam:PassRole"]);
    assert!(pass["Resource"]
        .as_str()
        .is_some_and(|r| r.starts_with("arn:aws:iam::") && r.contains(":role/")));
}

#[test]
fn cross_account_owner_override_kms_matches_reference_in_spirit() {
    let set = check_golden("cross-account-kms");
    assert!(set.complete, "{:?}", set.placeholders);
    let reference: serde_json::Value = serde_json::from_str(&read(
        &golden_dir().join("inputs/cross-account-kms.reference.json"),
    ))
    .expect("reference");
    let role = doc(&set, DocumentKind::RolePermissions).policy.to_value();
    // Every reference role statement has a generated twin with the same actions and resources.
    for want in reference["role_permissions_policy"]["Statement"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let twin = role["Statement"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|s| {
                let mut a = strings(&s["Action"]);
                let mut b = strings(&want["Action"]);
                a.sort();
                b.sort();
                a == b && strings(&s["Resource"]) == strings(&want["Resource"])
            });
        let twin = twin.unwrap_or_else(|| panic!("no twin for {want}"));
        assert_eq!(
            twin["Condition"], want["Condition"],
            "conditions of {}",
            want["Sid"]
        );
    }
    // Destination bucket policy: same actions per statement (ours is scoped to the prefix).
    let bp = doc(&set, DocumentKind::DestinationBucketPolicy)
        .policy
        .to_value();
    for want in reference["destination_bucket_policy"]["Statement"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let got = bp["Statement"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|s| s["Sid"] == want["Sid"]);
        let got = got.unwrap_or_else(|| panic!("bucket policy lacks {}", want["Sid"]));
        if want["Sid"] == "ReplicationRoleBucket" {
            // Narrower on purpose: no s3:List* (wrong resource type for most List actions,
            // parliament RESOURCE_MISMATCH) and no s3:PutBucketVersioning (not needed).
            assert_eq!(
                strings(&got["Action"]),
                ["s3:ListBucket", "s3:GetBucketVersioning"]
            );
        } else {
            assert_eq!(strings(&got["Action"]), strings(&want["Action"]));
        }
        assert_eq!(got["Principal"], want["Principal"]);
    }
    // Replica key statement (cross-account key).
    let key_doc = set
        .documents
        .iter()
        .find(|d| d.kind == DocumentKind::KmsKeyPolicy && d.attach_to.contains("us-west-2"))
        .expect("replica key policy");
    let ks = &key_doc.policy.to_value()["Statement"][0];
    let want = &reference["replica_key_policy_statement_to_add_in_444455556666"];
    assert_eq!(strings(&ks["Action"]), strings(&want["Action"]));
    assert_eq!(ks["Condition"], want["Condition"]);
    assert_eq!(ks["Principal"], want["Principal"]);
}

#[test]
fn bucket_keys_use_bucket_arn_context() {
    let set = check_golden("bucket-keys");
    let role = doc(&set, DocumentKind::RolePermissions);
    let dec = statement(role, "DecryptSourceObjects");
    assert_eq!(
        strings(&dec["Condition"]["StringLike"]["kms:EncryptionContext:aws:s3:arn"]),
        ["arn:aws:s3:::acme-invoices-use2"]
    );
    let enc = statement(role, "EncryptReplicasInAcmeInvoicesEuw1");
    assert_eq!(
        strings(&enc["Action"]),
        ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"]
    );
    assert_eq!(
        strings(&enc["Condition"]["StringLike"]["kms:EncryptionContext:aws:s3:arn"]),
        ["arn:aws:s3:::acme-invoices-euw1"]
    );
    assert_eq!(
        enc["Condition"]["StringLike"]["kms:ViaService"],
        "s3.eu-west-1.amazonaws.com"
    );
}

#[test]
fn rtc_needs_nothing_extra_and_unknown_facts_are_placeholders() {
    let set = check_golden("rtc");
    assert!(!set.complete);
    let tokens: Vec<&str> = set.placeholders.iter().map(|p| p.token.as_str()).collect();
    assert_eq!(tokens, ["${SOURCE_BUCKET}"]);
    let role = doc(&set, DocumentKind::RolePermissions);
    assert!(role.text.contains("arn:aws:s3:::${SOURCE_BUCKET}/orders/*"));
    assert!(!role.text.contains("cloudwatch"));
}

#[test]
fn multi_destination_one_statement_per_destination() {
    let set = check_golden("multi-destination");
    let role = doc(&set, DocumentKind::RolePermissions);
    let a = statement(role, "ReplicateToAcmeLogsUsw2");
    let b = statement(role, "ReplicateToAcmeLogsEuw1");
    assert_eq!(
        strings(&a["Action"]),
        [
            "s3:ReplicateObject",
            "s3:ReplicateDelete",
            "s3:ReplicateTags"
        ]
    );
    assert_eq!(
        strings(&b["Action"]),
        ["s3:ReplicateObject", "s3:ReplicateTags"]
    );
    assert_eq!(strings(&a["Resource"]), ["arn:aws:s3:::acme-logs-usw2/*"]);
}

#[test]
fn v1_always_replicates_delete_markers() {
    let set = check_golden("v1");
    let role = doc(&set, DocumentKind::RolePermissions);
    let a = statement(role, "ReplicateToAcmeLogsUsw2");
    assert!(strings(&a["Action"]).contains(&"s3:ReplicateDelete".to_string()));
}

#[test]
fn batch_replication_additions() {
    let set = check_golden("batch");
    let trust = doc(&set, DocumentKind::Trust).policy.to_value();
    assert_eq!(
        strings(&trust["Statement"][0]["Principal"]["Service"]),
        ["s3.amazonaws.com", "batchoperations.s3.amazonaws.com"]
    );
    let batch = doc(&set, DocumentKind::BatchReplication);
    assert_eq!(
        strings(&statement(batch, "BatchInitiateReplication")["Action"]),
        ["s3:InitiateReplication"]
    );
    assert!(set
        .placeholders
        .iter()
        .any(|p| p.token == "${BATCH_REPORT_BUCKET}"));
    let role = doc(&set, DocumentKind::RolePermissions);
    let lock = statement(role, "SourceObjectLock");
    assert_eq!(
        strings(&lock["Resource"]),
        [
            "arn:aws:s3:::acme-reports-use1/exports/*",
            "arn:aws:s3:::acme-reports-use1/reports/*"
        ]
    );
}

#[test]
fn wildcard_prefix_is_escaped_and_noted() {
    let set = check_golden("wildcard-prefix");
    let role = doc(&set, DocumentKind::RolePermissions);
    assert!(
        role.text
            .contains("arn:aws-cn:s3:::acme-cn/drafts/${*}${?}${$}/*"),
        "{}",
        role.text
    );
    assert!(set.notes.iter().any(|n| n.message.contains("literal")));
    // The escaped form is not reported as a placeholder.
    assert!(set.complete);
}

#[test]
fn use_source_multi_region_key() {
    let set = check_golden("mrk");
    let role = doc(&set, DocumentKind::RolePermissions);
    let enc = statement(role, "EncryptReplicasInAcmeLogsUsw2");
    assert_eq!(
        strings(&enc["Resource"]),
        ["arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"]
    );
}

/// A fact the context contradicts leaves the set incomplete, with a note saying which, even
/// without a placeholder: here the source key is in us-east-1 and `sourceRegion` says
/// eu-west-1, so the role's `kms:Decrypt` (ViaService s3.eu-west-1) could never match.
#[test]
fn a_contradicted_fact_leaves_the_policies_incomplete() {
    let doc = load_config("aws-2018-kms");
    let mut ctx = load_context("aws-2018-kms");
    let set = policy::generate(&doc, &Resolved::new(&ctx, &doc));
    assert!(set.complete, "{:?}", set.notes);
    ctx.source_region = Some("eu-west-1".into());
    let set = policy::generate(&doc, &Resolved::new(&ctx, &doc));
    assert!(set.placeholders.is_empty(), "{:?}", set.placeholders);
    assert!(!set.complete);
    let note = set
        .notes
        .iter()
        .find(|n| n.severity == s3_replication_lint::Severity::Error)
        .expect("an error note");
    assert!(
        note.message
            .contains("is in us-east-1, but the source bucket is in eu-west-1")
            && note.message.contains("not complete"),
        "{}",
        note.message
    );
    // A destination's Region that its account-regional name contradicts.
    let text = r#"{"Role": "arn:aws:iam::111122223333:role/r", "Rules": [{"ID": "a",
        "Status": "Enabled", "Priority": 1, "Filter": {},
        "DeleteMarkerReplication": {"Status": "Disabled"},
        "Destination": {"Bucket": "arn:aws:s3:::logs-111122223333-us-west-2-an"}}]}"#;
    let doc = s3_replication_lint::parse(text, None)
        .document
        .expect("doc");
    let mut ctx = DeploymentContext::from_json(
        r#"{"sourceBucket": "src", "sourceRegion": "us-east-1", "objectLock": false}"#,
    )
    .expect("context");
    assert!(policy::generate(&doc, &Resolved::new(&ctx, &doc)).complete);
    ctx.destinations.insert(
        "logs-111122223333-us-west-2-an".into(),
        DeploymentContext::from_json(r#"{"destinations": {"x": {"region": "eu-west-1"}}}"#)
            .expect("context")
            .destinations["x"]
            .clone(),
    );
    let set = policy::generate(&doc, &Resolved::new(&ctx, &doc));
    assert!(!set.complete && set.placeholders.is_empty());
    assert!(
        set.notes
            .iter()
            .any(|n| n.message.contains("says Region us-west-2")),
        "{:?}",
        set.notes
    );
}

#[test]
fn generate_never_panics_on_odd_documents() {
    let texts = [
        r#"{"Role":"","Rules":[]}"#,
        r#"{"Role":"x","Rules":[{"Status":"Disabled","Destination":{}}]}"#,
        r#"{"Role":"arn:aws:iam::1:role/r","Rules":[{"Status":"Enabled","Filter":{},"SourceSelectionCriteria":{"SseKmsEncryptedObjects":{"Status":"Enabled"}},"Destination":{"Bucket":"b","EncryptionConfiguration":{"ReplicaKmsKeyID":"alias/x"}}}]}"#,
        r#"{"Role":"arn:aws:iam::1:role/r","Rules":[{"Status":"Enabled","Prefix":"é*","Destination":{"Bucket":"arn:aws:s3:::b","Account":"2","AccessControlTranslation":{"Owner":"Destination"},"EncryptionConfiguration":{"ReplicaKmsKeyID":"k"}},"SourceSelectionCriteria":{"SseKmsEncryptedObjects":{"Status":"Enabled"}}}]}"#,
    ];
    for t in texts {
        let parsed = s3_replication_lint::parse(t, None);
        let Some(d) = parsed.document else { continue };
        let set = policy::generate(&d, &Resolved::new(&DeploymentContext::default(), &d));
        for doc in &set.documents {
            assert!(serde_json::from_str::<serde_json::Value>(&doc.text).is_ok());
        }
        if !set.complete {
            assert!(
                !set.placeholders.is_empty()
                    || set
                        .notes
                        .iter()
                        .any(|n| n.message.contains("nothing to grant"))
            );
        }
        let found = policy::audit(&d, &Resolved::new(&DeploymentContext::default(), &d), &UserPolicies {
            role: Some("{\"Statement\": 3}"),
            trust: Some("[1,"),
            key_policies: vec!["{}", "null"],
            bucket_policy: Some("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"NotAction\":\"s3:x\",\"NotResource\":[]}]}"),
            ..UserPolicies::default()
        });
        // The role, trust and key policies above are not policy documents (the trust policy
        // not even JSON): each is reported where it is.
        for (path, code) in [
            ("/role", "S3R700"),
            ("/trust", "S3R001"),
            ("/keyPolicies/0", "S3R700"),
            ("/keyPolicies/1", "S3R700"),
        ] {
            assert!(
                found
                    .iter()
                    .any(|f| f.code == code && f.path.starts_with(path)),
                "{t}: no {code} at {path}: {found:#?}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Audit fixtures

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Fixture {
    /// Case name under inputs/ (config + context), or an inline context below.
    config: String,
    /// Read with `DeploymentContext::from_json`, like every other context.
    #[serde(default)]
    context: Option<serde_json::Value>,
    #[serde(default)]
    role: Option<serde_json::Value>,
    #[serde(default)]
    trust: Option<serde_json::Value>,
    #[serde(default)]
    key_policies: Vec<serde_json::Value>,
    #[serde(default)]
    bucket_policy: Option<serde_json::Value>,
    /// Expected diagnostics: code, path prefix, and text the span must contain.
    expect: Vec<Expect>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    code: String,
    path: String,
    #[serde(default)]
    text: Option<String>,
}

fn pretty(v: &Option<serde_json::Value>) -> Option<String> {
    v.as_ref()
        .map(|v| serde_json::to_string_pretty(v).expect("json"))
}

/// The policy texts of a fixture, as audited.
struct Texts {
    role: Option<String>,
    trust: Option<String>,
    keys: Vec<String>,
    bucket: Option<String>,
}

/// Read an audit fixture and audit its policies.
fn run_fixture(path: &Path) -> (Fixture, Texts, Vec<s3_replication_lint::Diagnostic>) {
    let f: Fixture =
        serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc = load_config(&f.config);
    let ctx = f
        .context
        .as_ref()
        .map(|v| DeploymentContext::from_json(&v.to_string()).expect("fixture context"))
        .unwrap_or_else(|| load_context(&f.config));
    let resolved = Resolved::new(&ctx, &doc);
    let texts = Texts {
        role: pretty(&f.role),
        trust: pretty(&f.trust),
        keys: f
            .key_policies
            .iter()
            .map(|k| serde_json::to_string_pretty(k).expect("json"))
            .collect(),
        bucket: pretty(&f.bucket_policy),
    };
    let user = UserPolicies {
        role: texts.role.as_deref(),
        trust: texts.trust.as_deref(),
        key_policies: texts.keys.iter().map(String::as_str).collect(),
        bucket_policy: texts.bucket.as_deref(),
        ..UserPolicies::default()
    };
    let diags = policy::audit(&doc, &resolved, &user);
    (f, texts, diags)
}

/// A finding names the part of the statement that keeps it from applying (principal, action,
/// resource or condition), with the value found and the value needed; the delegation
/// statement of a key's own account is explained, and the role's account root is accepted.
#[test]
fn audit_names_the_part_that_misses() {
    let mut out = String::new();
    for name in [
        "s3r701-trust-wrong-service",
        "s3r701-trust-wrong-action",
        "s3r704-read-on-wrong-prefix",
        "s3r712-no-replica-encrypt",
        "s3r732-replica-key-policy-root-only",
        "s3r732-key-policy-via-service-region",
        "correct-key-policy-root-delegation",
        "correct-key-policy-root-of-role-account",
        "correct-cross-account-kms",
    ] {
        let (_, _, diags) = run_fixture(&golden_dir().join(format!("audit/{name}.json")));
        out.push_str(&format!("# {name}\n"));
        for d in &diags {
            out.push_str(&format!("{} {}\n  {}\n", d.code, d.path, d.message));
            if let Some(h) = &d.help {
                out.push_str(&format!("  help: {h}\n"));
            }
        }
    }
    insta::assert_snapshot!("audit_near_misses", out);
}

#[test]
fn audit_fixtures() {
    let dir = golden_dir().join("audit");
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("audit dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    entries.sort();
    assert!(
        entries.len() >= 20,
        "expected one fixture per finding, found {}",
        entries.len()
    );
    let mut seen_codes: Vec<String> = Vec::new();
    let mut failures = Vec::new();
    for path in entries {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let (f, texts, diags) = run_fixture(&path);
        let Texts {
            role,
            trust,
            keys,
            bucket,
        } = texts;
        let text_of = |path: &str| -> Option<&str> {
            if path.starts_with("/role") {
                role.as_deref()
            } else if path.starts_with("/trust") {
                trust.as_deref()
            } else if path.starts_with("/bucketPolicy") {
                bucket.as_deref()
            } else {
                let i: usize = path
                    .strip_prefix("/keyPolicies/")?
                    .split('/')
                    .next()?
                    .parse()
                    .ok()?;
                keys.get(i).map(String::as_str)
            }
        };
        let got: Vec<String> = diags
            .iter()
            .map(|d| format!("{} {} {:?}", d.code, d.path, d.message))
            .collect();
        if diags.len() != f.expect.len() {
            failures.push(format!(
                "{name}: expected {} findings, got {}:\n  {}",
                f.expect.len(),
                diags.len(),
                got.join("\n  ")
            ));
            continue;
        }
        for e in &f.expect {
            let hit = diags.iter().find(|d| {
                d.code == e.code
                    && d.path.starts_with(&e.path)
                    && e.text.as_ref().is_none_or(|t| {
                        text_of(&d.path)
                            .and_then(|src| src.get(d.span.start as usize..d.span.end as usize))
                            .is_some_and(|s| s.contains(t.as_str()))
                    })
            });
            if hit.is_none() {
                failures.push(format!(
                    "{name}: no {} at {} covering {:?}; got:\n  {}",
                    e.code,
                    e.path,
                    e.text,
                    got.join("\n  ")
                ));
            }
            seen_codes.push(e.code.clone());
        }
        for d in &diags {
            assert!(d.range.start.line >= 1, "{name}: unresolved range");
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every code the audit reports has at least one fixture.
    let audit_codes = s3_replication_lint::rules::registry()
        .iter()
        .filter(|m| m.reported_by == s3_replication_lint::catalogue::ReportedBy::Audit);
    for meta in audit_codes {
        assert!(
            seen_codes.iter().any(|c| c == meta.code),
            "no audit fixture for {}",
            meta.code
        );
    }
}

#[test]
fn generated_policies_pass_their_own_audit() {
    for case in [
        "aws-2018-kms",
        "srr-same-account",
        "cross-account-kms",
        "bucket-keys",
        "multi-destination",
        "v1",
        "batch",
        "mrk",
    ] {
        let doc_ = load_config(case);
        let ctx = load_context(case);
        let resolved = Resolved::new(&ctx, &doc_);
        let set = policy::generate(&doc_, &resolved);
        // The role policy gets the batch additions merged in as a second statement list.
        let role = doc(&set, DocumentKind::RolePermissions).policy.to_value();
        let mut stmts = role["Statement"].as_array().cloned().unwrap_or_default();
        if let Some(b) = set
            .documents
            .iter()
            .find(|d| d.kind == DocumentKind::BatchReplication)
        {
            stmts.extend(
                b.policy.to_value()["Statement"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default(),
            );
        }
        let merged = serde_json::json!({"Version": "2012-10-17", "Statement": stmts}).to_string();
        let keys: Vec<&str> = set
            .documents
            .iter()
            .filter(|d| d.kind == DocumentKind::KmsKeyPolicy)
            .map(|d| d.text.as_str())
            .collect();
        // Each generated key policy, said to be its own key's, grants that key's needs.
        let key_arns: Vec<&str> = set
            .documents
            .iter()
            .filter(|d| d.kind == DocumentKind::KmsKeyPolicy)
            .map(|d| d.attach_to.as_str())
            .collect();
        let user = UserPolicies {
            role: Some(&merged),
            trust: Some(&doc(&set, DocumentKind::Trust).text),
            key_policies: keys,
            key_policy_keys: key_arns,
            bucket_policy: set
                .documents
                .iter()
                .find(|d| d.kind == DocumentKind::DestinationBucketPolicy)
                .map(|d| d.text.as_str()),
        };
        let diags = policy::audit(&doc_, &resolved, &user);
        assert!(
            diags.is_empty(),
            "{case}: {:#?}",
            diags
                .iter()
                .map(|d| (&d.code, &d.path, &d.message))
                .collect::<Vec<_>>()
        );
    }
}

/// A key-policy box said to be one key's is checked against that key only: the replica key's
/// grant pasted into the source key's box leaves the source key's decrypt missing, named by
/// its key, and is not counted for the replica key.
#[test]
fn key_policy_boxes_are_checked_against_their_own_key() {
    let source_key = "arn:aws:kms:us-east-1:999988887777:key/11111111-2222-3333-4444-555555555555";
    let replica_key = "arn:aws:kms:us-west-2:444455556666:key/66666666-7777-8888-9999-000000000000";
    let xml = format!(
        "<ReplicationConfiguration><Role>arn:aws:iam::111122223333:role/r</Role><Rule><ID>k</ID><Priority>1</Priority><Status>Enabled</Status><Filter/><DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication><SourceSelectionCriteria><SseKmsEncryptedObjects><Status>Enabled</Status></SseKmsEncryptedObjects></SourceSelectionCriteria><Destination><Bucket>arn:aws:s3:::dst</Bucket><Account>444455556666</Account><EncryptionConfiguration><ReplicaKmsKeyID>{replica_key}</ReplicaKmsKeyID></EncryptionConfiguration></Destination></Rule></ReplicationConfiguration>"
    );
    let doc = s3_replication_lint::parse(&xml, None).document.unwrap();
    let ctx = DeploymentContext::from_json(&format!(
        r#"{{"sourceBucket": "src", "sourceRegion": "us-east-1", "sourceAccount": "111122223333", "sourceKmsKeys": ["{source_key}"], "destinations": {{"dst": {{"region": "us-west-2", "account": "444455556666"}}}}}}"#
    ))
    .unwrap();
    let resolved = Resolved::new(&ctx, &doc);
    let set = policy::generate(&doc, &resolved);
    let key_doc = |arn: &str| {
        set.documents
            .iter()
            .find(|d| d.kind == DocumentKind::KmsKeyPolicy && d.attach_to == arn)
            .unwrap_or_else(|| panic!("no key policy for {arn}"))
            .text
            .clone()
    };
    let replica_policy = key_doc(replica_key);
    let audit = |keys: Vec<&str>| {
        policy::audit(
            &doc,
            &resolved,
            &UserPolicies {
                key_policies: vec![replica_policy.as_str()],
                key_policy_keys: keys,
                ..UserPolicies::default()
            },
        )
    };
    // Said to be the source key's: the source key's decrypt is missing there, by name.
    let found = audit(vec![source_key]);
    assert!(
        found.iter().any(|d| d.message.contains(source_key)),
        "{found:#?}"
    );
    assert!(
        !found.iter().any(|d| d.message.contains(replica_key)),
        "{found:#?}"
    );
    // Said to be the replica key's (its own): nothing is missing for either key's box.
    let found = audit(vec![replica_key]);
    assert!(
        !found
            .iter()
            .any(|d| d.message.contains(replica_key) || d.message.contains(source_key)),
        "{found:#?}"
    );
}
