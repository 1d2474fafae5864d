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
