//! Terraform plans (`terraform show -json`): the facts a plan states about a configuration's
//! buckets (versioning, encryption, Bucket Keys, Region), and the buckets the same apply
//! creates, named through the plan's `configuration` references.
#![cfg(feature = "iac")]

use s3_replication_lint::iac::{check_files, ConfigurationReport, InputKind, SourceFile};
use s3_replication_lint::{DeploymentContext, Severity};
use serde_json::{json, Value};

const SOURCE_KEY: &str =
    "arn:aws:kms:us-east-1:111122223333:key/11111111-2222-3333-4444-555555555555";
const REPLICA_KEY: &str =
    "arn:aws:kms:us-east-1:111122223333:key/66666666-7777-8888-9999-000000000000";

fn resource(ty: &str, name: &str, values: Value) -> Value {
    json!({
        "address": format!("{ty}.{name}"), "mode": "managed", "type": ty, "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
        "values": values, "sensitive_values": {}
    })
}

fn configured(ty: &str, name: &str, provider: &str, expressions: Value) -> Value {
    json!({
        "address": format!("{ty}.{name}"), "mode": "managed", "type": ty, "name": name,
        "provider_config_key": provider, "expressions": expressions, "schema_version": 0
    })
}

fn refs(to: &str) -> Value {
    json!({ "references": [format!("{to}.id"), to] })
}

/// A create plan: both buckets, their versioning and the source's encryption are created by
/// the same apply, so every `bucket` argument (an `id`) and the destination ARN are known
/// only after apply. `dst_status` is the destination's versioning.
fn create_plan(dst_status: &str) -> String {
    create_plan_with(dst_status, Vec::new(), Vec::new())
}

/// `create_plan` with more planned resources, their configuration entries beside.
fn create_plan_with(dst_status: &str, more: Vec<Value>, more_config: Vec<Value>) -> String {
    let versioning = |status: &str| {
        json!({ "bucket": null, "expected_bucket_owner": null,
                "versioning_configuration": [{ "status": status, "mfa_delete": null }] })
    };
    let plan = json!({
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "planned_values": { "root_module": { "resources": [
            resource("aws_s3_bucket", "src", json!({ "bucket": "acme-orders", "force_destroy": false, "object_lock_enabled": false })),
            resource("aws_s3_bucket", "dst", json!({ "bucket": "acme-orders-dr", "force_destroy": false })),
            resource("aws_s3_bucket_versioning", "src", versioning("Enabled")),
            resource("aws_s3_bucket_versioning", "dst", versioning(dst_status)),
            resource("aws_s3_bucket_server_side_encryption_configuration", "src", json!({
                "bucket": null, "expected_bucket_owner": null,
                "rule": [{ "bucket_key_enabled": true,
                           "apply_server_side_encryption_by_default": [{ "sse_algorithm": "aws:kms", "kms_master_key_id": SOURCE_KEY }] }]
            })),
            resource("aws_s3_bucket_replication_configuration", "orders", json!({
                "bucket": null, "role": "arn:aws:iam::111122223333:role/orders-replication", "token": null,
                "rule": [{
                    "id": "all", "status": "Enabled", "priority": 1, "prefix": "",
                    "filter": [{ "prefix": "", "and": [], "tag": [] }],
                    "delete_marker_replication": [{ "status": "Disabled" }],
                    "existing_object_replication": [],
                    "source_selection_criteria": [{ "sse_kms_encrypted_objects": [{ "status": "Enabled" }], "replica_modifications": [] }],
                    "destination": [{
                        "bucket": null, "storage_class": "STANDARD", "account": null,
                        "access_control_translation": [], "metrics": [], "replication_time": [],
                        "encryption_configuration": [{ "replica_kms_key_id": REPLICA_KEY }]
                    }]
                }]
            })),
        ]}},
        "resource_changes": [{
            "address": "aws_s3_bucket_replication_configuration.orders", "mode": "managed",
            "type": "aws_s3_bucket_replication_configuration", "name": "orders",
            "change": { "actions": ["create"], "before": null,
                        "after_unknown": { "bucket": true, "id": true, "rule": [{ "destination": [{ "bucket": true }] }] } }
        }],
        "configuration": {
            "provider_config": {
                "aws": { "name": "aws", "expressions": { "region": { "constant_value": "us-east-1" } } },
                "aws.dr": { "name": "aws", "alias": "dr", "expressions": { "region": { "constant_value": "eu-west-1" } } }
            },
            "root_module": { "resources": [
                configured("aws_s3_bucket", "src", "aws", json!({ "bucket": { "constant_value": "acme-orders" } })),
                configured("aws_s3_bucket", "dst", "aws.dr", json!({ "bucket": { "constant_value": "acme-orders-dr" } })),
                configured("aws_s3_bucket_versioning", "src", "aws", json!({ "bucket": refs("aws_s3_bucket.src") })),
                configured("aws_s3_bucket_versioning", "dst", "aws.dr", json!({ "bucket": refs("aws_s3_bucket.dst") })),
                configured("aws_s3_bucket_server_side_encryption_configuration", "src", "aws", json!({ "bucket": refs("aws_s3_bucket.src") })),
                configured("aws_s3_bucket_replication_configuration", "orders", "aws", json!({
                    "bucket": refs("aws_s3_bucket.src"),
                    "role": { "constant_value": "arn:aws:iam::111122223333:role/orders-replication" },
                    "rule": [{ "destination": [{ "bucket": { "references": ["aws_s3_bucket.dst.arn", "aws_s3_bucket.dst"] } }] }]
                })),
            ]}
        }
    });
    let mut plan = plan;
    for r in more {
        plan["planned_values"]["root_module"]["resources"]
            .as_array_mut()
            .unwrap()
            .push(r);
    }
    for r in more_config {
        plan["configuration"]["root_module"]["resources"]
            .as_array_mut()
            .unwrap()
            .push(r);
    }
    serde_json::to_string(&plan).unwrap()
}

fn check(plan: &str) -> ConfigurationReport {
    let r = check_files(
        &[SourceFile {
            path: "plan.json".into(),
            text: plan.into(),
        }],
        Some(InputKind::TerraformPlan),
        &DeploymentContext::default(),
    );
    assert_eq!(r.configurations.len(), 1, "{:#?}", r.files);
    r.configurations.into_iter().next().unwrap()
}

fn fact<'c>(c: &'c ConfigurationReport, field: &str) -> Option<&'c str> {
    c.facts
        .iter()
        .find(|f| f.field == field)
        .map(|f| f.value.as_str())
}

fn has(c: &ConfigurationReport, code: &str, severity: Severity) -> bool {
    c.diagnostics
        .iter()
        .any(|d| d.code == code && d.severity == severity)
}

#[test]
fn a_create_plan_states_its_buckets_facts() {
    let c = check(&create_plan("Enabled"));
    // The buckets the apply creates are named through the configuration's references.
    assert_eq!(fact(&c, "sourceBucket"), Some("acme-orders"));
    assert_eq!(c.context.source_bucket.as_deref(), Some("acme-orders"));
    assert_eq!(fact(&c, "sourceVersioning"), Some("Enabled"));
    assert_eq!(fact(&c, "sourceDefaultEncryption"), Some("SSE-KMS"));
    assert_eq!(fact(&c, "sourceBucketKeys"), Some("true"));
    assert_eq!(fact(&c, "sourceRegion"), Some("us-east-1"));
    assert_eq!(fact(&c, "objectLock"), Some("false"));
    assert_eq!(c.context.source_kms_keys, [SOURCE_KEY]);
    assert_eq!(
        fact(&c, "destinations.acme-orders-dr.region"),
        Some("eu-west-1")
    );
    assert_eq!(
        fact(&c, "destinations.acme-orders-dr.versioning"),
        Some("Enabled")
    );
    let from = c
        .facts
        .iter()
        .find(|f| f.field == "destinations.acme-orders-dr.region")
        .unwrap();
    assert_eq!(from.from, "provider \"aws\" (alias dr): region");
    // The replica key is in the source Region, not the destination's: a silent failure the
    // plan's facts reveal (S3 accepts the configuration).
    assert!(has(&c, "S3R405", Severity::Error), "{:#?}", c.diagnostics);
    // The destination is no longer "not verified".
    assert!(
        !c.diagnostics
            .iter()
            .any(|d| d.code == "S3R600" && d.message.contains("(S3R322)")),
        "{:#?}",
        c.diagnostics
    );
    assert!(!has(&c, "S3R322", Severity::Error));
    assert!(!has(&c, "S3R604", Severity::Error));
}

#[test]
fn a_suspended_destination_in_the_plan_is_the_error_s3_raises() {
    let c = check(&create_plan("Suspended"));
    assert_eq!(
        fact(&c, "destinations.acme-orders-dr.versioning"),
        Some("Suspended")
    );
    assert!(has(&c, "S3R322", Severity::Error), "{:#?}", c.diagnostics);
}

#[test]
fn without_the_configuration_section_nothing_is_guessed() {
    let mut plan: Value = serde_json::from_str(&create_plan("Suspended")).unwrap();
    plan.as_object_mut().unwrap().remove("configuration");
    let c = check(&plan.to_string());
    assert_eq!(c.context.source_bucket, None);
    assert_eq!(fact(&c, "sourceVersioning"), None);
    assert!(!has(&c, "S3R322", Severity::Error));
    assert!(!has(&c, "S3R405", Severity::Error));
    assert!(c
        .diagnostics
        .iter()
        .all(|d| d.severity != Severity::Error || d.code == "S3R600"));
}

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

/// The role's permissions, as `data.aws_iam_policy_document` renders them: everything but
/// kms:Encrypt on the replica key.
fn permissions(with_encrypt: bool) -> String {
    let mut statements = vec![
        json!({ "Effect": "Allow", "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"], "Resource": "arn:aws:s3:::acme-orders" }),
        json!({ "Effect": "Allow", "Action": ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], "Resource": "arn:aws:s3:::acme-orders/*" }),
        json!({ "Effect": "Allow", "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], "Resource": "arn:aws:s3:::acme-orders-dr/*" }),
        json!({ "Effect": "Allow", "Action": "kms:Decrypt", "Resource": SOURCE_KEY }),
    ];
    if with_encrypt {
        statements
            .push(json!({ "Effect": "Allow", "Action": "kms:Encrypt", "Resource": REPLICA_KEY }));
    }
    serde_json::to_string_pretty(&json!({ "Version": "2012-10-17", "Statement": statements }))
        .unwrap()
}

/// The role the apply creates (its ARN known only after apply) and its policy, linked to the
/// configuration through the plan's references.
fn plan_with_role(policy: Option<String>) -> String {
    let role = resource(
        "aws_iam_role",
        "replication",
        json!({
            "name": "orders-replication", "arn": null, "assume_role_policy": TRUST,
            "inline_policy": [], "managed_policy_arns": null, "path": "/"
        }),
    );
    let attached = resource(
        "aws_iam_role_policy",
        "replication",
        json!({
            "name": "replication", "role": "orders-replication", "policy": policy
        }),
    );
    let mut plan: Value = serde_json::from_str(&create_plan_with(
        "Enabled",
        vec![role, attached],
        vec![
            configured("aws_iam_role", "replication", "aws", json!({})),
            configured(
                "aws_iam_role_policy",
                "replication",
                "aws",
                json!({
                    "role": refs("aws_iam_role.replication"),
                    "policy": { "references": ["data.aws_iam_policy_document.replication.json"] }
                }),
            ),
        ],
    ))
    .unwrap();
    // The configuration names the role the apply creates.
    let values = &mut plan["planned_values"]["root_module"]["resources"][5]["values"];
    values["role"] = Value::Null;
    let config = &mut plan["configuration"]["root_module"]["resources"][5]["expressions"];
    config["role"] =
        json!({ "references": ["aws_iam_role.replication.arn", "aws_iam_role.replication"] });
    let change = &mut plan["resource_changes"][0]["change"]["after_unknown"];
    change["role"] = json!(true);
    if policy.is_none() {
        plan["resource_changes"].as_array_mut().unwrap().push(json!({
            "address": "aws_iam_role_policy.replication", "mode": "managed",
            "type": "aws_iam_role_policy", "name": "replication",
            "change": { "actions": ["create"], "before": null, "after_unknown": { "policy": true, "id": true } }
        }));
    }
    plan.to_string()
}

fn audit_codes(c: &ConfigurationReport) -> Vec<(String, &'static str, Severity)> {
    c.audits
        .iter()
        .flat_map(|a| {
            a.diagnostics
                .iter()
                .map(move |d| (a.address.clone(), d.code, d.severity))
        })
        .collect()
}

#[test]
fn a_plans_role_policy_is_audited_in_its_json_string() {
    let plan = plan_with_role(Some(permissions(false)));
    let c = check(&plan);
    let kinds: Vec<(&str, &str)> = c
        .audits
        .iter()
        .map(|a| (a.address.as_str(), a.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("aws_iam_role.replication.assume_role_policy", "trust"),
            ("aws_iam_role_policy.replication.policy", "permissions"),
        ]
    );
    let codes = audit_codes(&c);
    let missing: Vec<_> = codes
        .iter()
        .filter(|(_, code, _)| *code == "S3R712")
        .collect();
    assert_eq!(missing.len(), 1, "{codes:#?}");
    assert_eq!(missing[0].2, Severity::Error);
    assert!(
        codes
            .iter()
            .all(|(_, code, s)| *s != Severity::Error || *code == "S3R712"),
        "{codes:#?}"
    );
    // Positioned inside the policy's JSON string in the plan file, on the escaped text.
    let d = c.audits[1]
        .diagnostics
        .iter()
        .find(|d| d.code == "S3R712")
        .unwrap();
    let literal_start = plan
        .find("{\\\"Statement\\\"")
        .or_else(|| plan.find("{\\n"))
        .unwrap();
    assert!(d.span.start as usize >= literal_start, "{d:#?}");
    assert!(d.fix.is_none(), "a plan is not edited");
    let at = &plan[d.span.start as usize..d.span.end as usize];
    assert!(
        at.starts_with("\\\"Statement\\\"") || at.starts_with('['),
        "{at}"
    );
    // With the grant, the policy passes.
    let c = check(&plan_with_role(Some(permissions(true))));
    assert!(
        audit_codes(&c)
            .iter()
            .all(|(_, _, s)| *s != Severity::Error),
        "{:#?}",
        audit_codes(&c)
    );
}

#[test]
fn a_policy_known_only_after_apply_is_named_not_guessed() {
    let c = check(&plan_with_role(None));
    let named: Vec<_> = c
        .audits
        .iter()
        .filter(|a| a.kind == "attached-policy")
        .flat_map(|a| a.diagnostics.iter())
        .collect();
    assert_eq!(named.len(), 1, "{:#?}", c.audits);
    assert!(
        named[0].message.contains("known only after apply"),
        "{}",
        named[0].message
    );
    // What the role's policy must grant is then not verified, never an error.
    assert!(
        audit_codes(&c)
            .iter()
            .all(|(_, _, s)| *s != Severity::Error),
        "{:#?}",
        audit_codes(&c)
    );
}

#[test]
fn a_destination_is_not_named_in_a_partition_nothing_states() {
    // Neither the source Region nor the role's ARN says the partition: the destination the
    // apply creates stays unknown instead of becoming `arn:aws:...`.
    let mut plan: Value = serde_json::from_str(&plan_with_role(Some(permissions(true)))).unwrap();
    plan["configuration"]
        .as_object_mut()
        .unwrap()
        .remove("provider_config");
    let c = check(&plan.to_string());
    assert_eq!(c.context.source_region, None);
    assert_eq!(fact(&c, "destinations.acme-orders-dr.versioning"), None);
    assert!(c.unknowns.iter().any(|u| u.expression.contains("bucket")));
    // With the Region known again, it is named.
    let c = check(&plan_with_role(Some(permissions(true))));
    assert_eq!(
        fact(&c, "destinations.acme-orders-dr.versioning"),
        Some("Enabled")
    );
}
