//! The examples menu. Every document here was written for this editor; the first one follows
//! the shape of the 2018 AWS page on replicating SSE-KMS objects (a V1 rule with
//! `SseKmsEncryptedObjects` and a replica key), with real-looking names filled in.

use s3_replication_lint::context::{DeploymentContext, DestinationContext};

pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    pub text: &'static str,
    context: fn() -> DeploymentContext,
}

impl Example {
    pub fn context(&self) -> DeploymentContext {
        (self.context)()
    }
}

pub fn all() -> &'static [Example] {
    EXAMPLES
}

pub fn find(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}

/// The example the editor opens with.
pub fn default_example() -> &'static Example {
    &EXAMPLES[0]
}

fn dest(region: &str, account: &str, bucket_keys: Option<bool>) -> DestinationContext {
    DestinationContext {
        region: Some(region.to_string()),
        account: Some(account.to_string()),
        bucket_keys,
        default_encryption: None,
        // Replication needs versioning on both sides; the examples describe working setups.
        versioning: Some("Enabled".to_string()),
    }
}

fn base(bucket: &str, region: &str) -> DeploymentContext {
    DeploymentContext {
        source_bucket: Some(bucket.to_string()),
        source_region: Some(region.to_string()),
        source_account: Some("111122223333".to_string()),
        source_bucket_keys: Some(false),
        batch_replication: Some(false),
        object_lock: Some(false),
        source_versioning: Some("Enabled".to_string()),
        ..Default::default()
    }
}

static EXAMPLES: &[Example] = &[
    Example {
        id: "kms-2018",
        title: "SSE-KMS objects (the 2018 AWS example)",
        text: r#"<?xml version="1.0" encoding="UTF-8"?>
<ReplicationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Role>arn:aws:iam::111122223333:role/replication-role</Role>
  <Rule>
    <ID>encrypted-prefix1</ID>
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
        <ReplicaKmsKeyID>arn:aws:kms:us-west-2:111122223333:key/0f1e2d3c-4b5a-4697-8877-665544332211</ReplicaKmsKeyID>
      </EncryptionConfiguration>
    </Destination>
  </Rule>
</ReplicationConfiguration>
"#,
        context: || {
            let mut c = base("source-bucket", "us-east-1");
            c.source_kms_keys = vec![
                "arn:aws:kms:us-east-1:111122223333:key/9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"
                    .into(),
            ];
            c.destinations.insert(
                "destination-bucket".into(),
                dest("us-west-2", "111122223333", Some(false)),
            );
            c
        },
    },
    Example {
        id: "srr",
        title: "Same-Region replication (V2, prefix, delete markers)",
        text: r#"<?xml version="1.0" encoding="UTF-8"?>
<ReplicationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Role>arn:aws:iam::111122223333:role/service-role/photos-srr</Role>
  <Rule>
    <ID>originals-to-archive</ID>
    <Priority>1</Priority>
    <Filter>
      <Prefix>originals/</Prefix>
    </Filter>
    <Status>Enabled</Status>
    <Destination>
      <Bucket>arn:aws:s3:::photos-archive-euc1</Bucket>
      <StorageClass>STANDARD_IA</StorageClass>
    </Destination>
    <DeleteMarkerReplication>
      <Status>Enabled</Status>
    </DeleteMarkerReplication>
  </Rule>
</ReplicationConfiguration>
"#,
        context: || {
            let mut c = base("photos-main-euc1", "eu-central-1");
            c.destinations.insert(
                "photos-archive-euc1".into(),
                dest("eu-central-1", "111122223333", None),
            );
            c
        },
    },
    Example {
        id: "cross-account-kms",
        title: "Cross-account with owner override and SSE-KMS",
        text: r#"<?xml version="1.0" encoding="UTF-8"?>
<ReplicationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Role>arn:aws:iam::111122223333:role/service-role/billing-to-vault</Role>
  <Rule>
    <ID>invoices-to-vault</ID>
    <Priority>10</Priority>
    <Filter>
      <Prefix>invoices/</Prefix>
    </Filter>
    <Status>Enabled</Status>
    <SourceSelectionCriteria>
      <SseKmsEncryptedObjects>
        <Status>Enabled</Status>
      </SseKmsEncryptedObjects>
    </SourceSelectionCriteria>
    <Destination>
      <Bucket>arn:aws:s3:::billing-vault-use2</Bucket>
      <Account>444455556666</Account>
      <AccessControlTranslation>
        <Owner>Destination</Owner>
      </AccessControlTranslation>
      <EncryptionConfiguration>
        <ReplicaKmsKeyID>arn:aws:kms:us-east-2:444455556666:key/7c6b5a49-3827-4165-9a0b-c1d2e3f4a5b6</ReplicaKmsKeyID>
      </EncryptionConfiguration>
    </Destination>
    <DeleteMarkerReplication>
      <Status>Disabled</Status>
    </DeleteMarkerReplication>
  </Rule>
</ReplicationConfiguration>
"#,
        context: || {
            let mut c = base("billing-main-use1", "us-east-1");
            c.source_kms_keys = vec![
                "arn:aws:kms:us-east-1:111122223333:key/2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901"
                    .into(),
            ];
            c.destinations.insert(
                "billing-vault-use2".into(),
                dest("us-east-2", "444455556666", Some(true)),
            );
            c
        },
    },
    Example {
        id: "rtc",
        title: "Replication Time Control with metrics",
        text: r#"<?xml version="1.0" encoding="UTF-8"?>
<ReplicationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Role>arn:aws:iam::111122223333:role/service-role/trades-rtc</Role>
  <Rule>
    <ID>trades-15-minutes</ID>
    <Priority>1</Priority>
    <Filter/>
    <Status>Enabled</Status>
    <Destination>
      <Bucket>arn:aws:s3:::trades-dr-apse2</Bucket>
      <ReplicationTime>
        <Status>Enabled</Status>
        <Time>
          <Minutes>15</Minutes>
        </Time>
      </ReplicationTime>
      <Metrics>
        <Status>Enabled</Status>
        <EventThreshold>
          <Minutes>15</Minutes>
        </EventThreshold>
      </Metrics>
    </Destination>
    <DeleteMarkerReplication>
      <Status>Disabled</Status>
    </DeleteMarkerReplication>
  </Rule>
</ReplicationConfiguration>
"#,
        context: || {
            let mut c = base("trades-main-apse1", "ap-southeast-1");
            c.destinations.insert(
                "trades-dr-apse2".into(),
                dest("ap-southeast-2", "111122223333", None),
            );
            c
        },
    },
    Example {
        id: "multi-destination",
        title: "Two destinations (AWS CLI JSON)",
        text: r#"{
  "Role": "arn:aws:iam::111122223333:role/service-role/media-fanout",
  "Rules": [
    {
      "ID": "thumbnails-to-europe",
      "Priority": 1,
      "Filter": { "Prefix": "thumbnails/" },
      "Status": "Enabled",
      "DeleteMarkerReplication": { "Status": "Enabled" },
      "Destination": { "Bucket": "arn:aws:s3:::media-copy-euw1" }
    },
    {
      "ID": "masters-to-cold-storage",
      "Priority": 2,
      "Filter": { "Prefix": "masters/" },
      "Status": "Enabled",
      "DeleteMarkerReplication": { "Status": "Disabled" },
      "Destination": {
        "Bucket": "arn:aws:s3:::media-cold-usw2",
        "StorageClass": "GLACIER"
      }
    }
  ]
}
"#,
        context: || {
            let mut c = base("media-main-use1", "us-east-1");
            c.destinations.insert(
                "media-copy-euw1".into(),
                dest("eu-west-1", "111122223333", None),
            );
            c.destinations.insert(
                "media-cold-usw2".into(),
                dest("us-west-2", "111122223333", None),
            );
            c
        },
    },
    Example {
        id: "v1-legacy",
        title: "V1 legacy rule (rule-level Prefix)",
        text: r#"<?xml version="1.0" encoding="UTF-8"?>
<ReplicationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Role>arn:aws:iam::111122223333:role/service-role/legacy-backup</Role>
  <Rule>
    <ID>everything</ID>
    <Prefix></Prefix>
    <Status>Enabled</Status>
    <Destination>
      <Bucket>arn:aws:s3:::legacy-backup-cac1</Bucket>
    </Destination>
  </Rule>
</ReplicationConfiguration>
"#,
        context: || {
            let mut c = base("legacy-main-use1", "us-east-1");
            c.destinations.insert(
                "legacy-backup-cac1".into(),
                dest("ca-central-1", "111122223333", None),
            );
            c
        },
    },
    Example {
        id: "broken",
        title: "A broken one (several mistakes)",
        text: r#"<?xml version="1.0" encoding="UTF-8"?>
<ReplicationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Role>arn:aws:iam::111122223333:role/service-role/reports-copy</Role>
  <Rule>
    <ID>tagged-reports</ID>
    <Filter>
      <Tag>
        <Key>classification</Key>
        <Value>public</Value>
      </Tag>
    </Filter>
    <Status>Enabled</Status>
    <SourceSelectionCriteria>
      <SseKmsEncryptedObjects>
        <Status>Enabled</Status>
      </SseKmsEncryptedObjects>
    </SourceSelectionCriteria>
    <Destination>
      <Bucket>arn:aws:s3:::reports-copy-usw2</Bucket>
      <AccessControlTranslation>
        <Owner>Destination</Owner>
      </AccessControlTranslation>
      <ReplicationTime>
        <Status>Enabled</Status>
        <Time>
          <Minutes>30</Minutes>
        </Time>
      </ReplicationTime>
    </Destination>
    <DeleteMarkerReplication>
      <Status>Enabled</Status>
    </DeleteMarkerReplication>
  </Rule>
</ReplicationConfiguration>
"#,
        context: || {
            let mut c = base("reports-main-use1", "us-east-1");
            c.destinations.insert(
                "reports-copy-usw2".into(),
                dest("us-west-2", "111122223333", None),
            );
            c
        },
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use s3_replication_lint::{check, CheckOptions, Severity};

    #[test]
    fn examples_check_as_labelled() {
        assert_eq!(default_example().id, "kms-2018");
        for e in all() {
            let report = check(
                e.text,
                &CheckOptions {
                    format: None,
                    context: e.context(),
                },
            );
            let errors: Vec<String> = report
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| format!("{} {}", d.code, d.message))
                .collect();
            if e.id == "broken" {
                assert!(errors.len() >= 3, "{errors:?}");
            } else {
                assert!(errors.is_empty(), "{}: {errors:?}", e.id);
                assert!(report.document.is_some());
            }
        }
    }

    #[test]
    fn default_example_has_complete_policies() {
        let e = default_example();
        let report = check(
            e.text,
            &CheckOptions {
                format: None,
                context: e.context(),
            },
        );
        let doc = report.document.expect("parses");
        let resolved = s3_replication_lint::context::Resolved::new(&e.context(), &doc);
        let set = s3_replication_lint::policy::generate(&doc, &resolved);
        assert!(set.complete, "{:?}", set.placeholders);
        let role = set
            .documents
            .iter()
            .find(|d| d.kind == s3_replication_lint::policy::DocumentKind::RolePermissions)
            .expect("role policy");
        assert!(role.text.contains("s3.us-east-1.amazonaws.com"));
        assert!(role.text.contains("s3.us-west-2.amazonaws.com"));
    }
}
