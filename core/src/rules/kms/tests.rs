//! End-to-end checks of the KMS rules on whole documents.

use crate::context::DeploymentContext;
use crate::diagnostic::Severity;
use crate::{check, CheckOptions, Report};

pub(crate) fn run(text: &str, ctx: &str) -> Report {
    let context = if ctx.is_empty() {
        DeploymentContext::default()
    } else {
        DeploymentContext::from_json(ctx).expect("context")
    };
    check(
        text,
        &CheckOptions {
            format: None,
            context,
        },
    )
}

pub(crate) fn codes(r: &Report) -> Vec<&'static str> {
    r.diagnostics.iter().map(|d| d.code).collect()
}

const AWS_2018: &str = r#"<ReplicationConfiguration>
  <Role>arn:aws:iam::111122223333:role/role-name</Role>
  <Rule>
    <Prefix>prefix1</Prefix>
    <Status>Enabled</Status>
    <SourceSelectionCriteria>
      <SseKmsEncryptedObjects>
        <Status>Enabled</Status>
      </SseKmsEncryptedObjects>
    </SourceSelectionCriteria>
    <Destination>
      <Bucket>arn:aws:s3:::destination-bucket</Bucket>
      <EncryptionConfiguration>
        <ReplicaKmsKeyID>arn:aws:kms:REGION:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab</ReplicaKmsKeyID>
      </EncryptionConfiguration>
    </Destination>
  </Rule>
</ReplicationConfiguration>
"#;

const CTX_2018: &str = r#"{"sourceBucket": "source-bucket", "sourceRegion": "us-east-1",
  "destinations": {"destination-bucket": {"region": "us-west-2"}}}"#;

#[test]
fn aws_2018_example_key_in_destination_region_has_no_errors() {
    let text = AWS_2018.replace("REGION", "us-west-2");
    let r = run(&text, CTX_2018);
    let errors: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn aws_2018_example_key_in_other_region_errors_on_key_line() {
    let text = AWS_2018.replace("REGION", "eu-west-1");
    let r = run(&text, CTX_2018);
    let region: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "S3R405")
        .collect();
    assert_eq!(region.len(), 1, "{:#?}", r.diagnostics);
    let d = region[0];
    assert_eq!(d.severity, Severity::Error);
    let line = text
        .lines()
        .position(|l| l.contains("<ReplicaKmsKeyID>"))
        .unwrap()
        + 1;
    assert_eq!(d.range.start.line as usize, line);
    assert!(d
        .message
        .contains("S3 accepts this, but replication of SSE-KMS objects fails"));
    assert!(d.message.contains("eu-west-1") && d.message.contains("us-west-2"));
}

fn example(name: &str) -> String {
    let p = format!(
        "{}/../../shared/spec/examples/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(p).unwrap_or_default()
}

#[test]
fn example_32_region_finding_with_context() {
    for ext in ["xml", "json"] {
        let text = example(&format!("32-WARN-kms-key-wrong-region.{ext}"));
        if text.is_empty() {
            continue; // spec not present in this checkout
        }
        let r = run(
            &text,
            r#"{"destinations": {"acme-logs-usw2": {"region": "us-west-2"}}}"#,
        );
        assert!(codes(&r).contains(&"S3R405"), "{ext}: {:#?}", r.diagnostics);
        // Without the Region it is reported as not verified instead.
        let r = run(&text, "");
        assert!(!codes(&r).contains(&"S3R405"));
        assert!(r
            .diagnostics
            .iter()
            .any(|d| d.code == "S3R600" && d.message.contains("S3R405")));
    }
}

#[test]
fn region_inferred_from_account_regional_name() {
    let text = AWS_2018
        .replace("REGION", "us-east-1")
        .replace("destination-bucket", "logs-444455556666-us-west-2-an");
    let r = run(&text, "");
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == "S3R405")
        .expect("S3R405");
    assert!(d
        .message
        .contains("inferred from the account-regional bucket name"));
}

#[test]
fn pairing_both_ways() {
    let no_key = example("25-ERR-sse-kms-without-replica-key.xml");
    if !no_key.is_empty() {
        assert!(codes(&run(&no_key, "")).contains(&"S3R400"));
    }
    let no_ssc = example("26-ERR-encryption-config-without-ssc.json");
    if !no_ssc.is_empty() {
        let r = run(&no_ssc, "");
        let d = r
            .diagnostics
            .iter()
            .find(|d| d.code == "S3R401")
            .expect("S3R401");
        let fix = d.fix.as_ref().expect("fix");
        let fixed = crate::diagnostic::apply_edits(&no_ssc, &fix.edits);
        let again = run(&fixed, "");
        assert!(!codes(&again).contains(&"S3R401"), "{fixed}");
        assert!(
            !codes(&again).iter().any(|c| c.starts_with("S3R0")),
            "{fixed}"
        );
    }
}

/// S3R415: source keys outside the source bucket's Region or partition; a warning when no
/// rule replicates SSE-KMS objects; nothing for keys in the right Region.
#[test]
fn source_keys_outside_the_source_region() {
    let text = AWS_2018.replace("REGION", "us-west-2");
    let key =
        |r: &str| format!("arn:aws:kms:{r}:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
    let found = |text: &str, ctx: String| -> Vec<(Severity, String)> {
        run(text, &ctx)
            .diagnostics
            .into_iter()
            .filter(|d| d.code == "S3R415")
            .map(|d| (d.severity, d.message))
            .collect()
    };
    let ok = format!(
        r#"{{"sourceRegion": "eu-west-1", "sourceKmsKeys": ["{}"]}}"#,
        key("eu-west-1")
    );
    assert_eq!(found(&text, ok), []);
    let f = found(
        &text,
        format!(
            r#"{{"sourceRegion": "eu-west-1", "sourceKmsKeys": ["{}"]}}"#,
            key("us-east-1")
        ),
    );
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, Severity::Error);
    assert!(
        f[0].1
            .contains("is in us-east-1, but the source bucket is in eu-west-1"),
        "{}",
        f[0].1
    );
    // The source Region from an account-regional source bucket name.
    let f = found(
        &text,
        format!(
            r#"{{"sourceBucket": "src-111122223333-eu-west-1-an", "sourceKmsKeys": ["{}"]}}"#,
            key("us-east-1")
        ),
    );
    assert!(f.len() == 1 && f[0].1.contains("account-regional"), "{f:?}");
    // Another partition.
    let cn = "arn:aws-cn:kms:cn-north-1:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    let f = found(&text, format!(r#"{{"sourceKmsKeys": ["{cn}"]}}"#));
    assert!(f.len() == 1 && f[0].1.contains("partition aws-cn"), "{f:?}");
    // No rule replicates SSE-KMS objects: nothing fails, a warning.
    let plain = text.replace(
        "<Status>Enabled</Status>\n      </SseKmsEncryptedObjects>",
        "<Status>Disabled</Status>\n      </SseKmsEncryptedObjects>",
    );
    let f = found(
        &plain,
        format!(
            r#"{{"sourceRegion": "eu-west-1", "sourceKmsKeys": ["{}"]}}"#,
            key("us-east-1")
        ),
    );
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, Severity::Warning);
}
