//! Generators of replication configurations for benchmarks, fuzzers and tests: realistic
//! documents ([`document`]) and one with every member of the schema ([`every_member`]).
//!
//! Not part of the public API, and not compiled into the library (feature `test-support`): the
//! criterion benchmark, the `bench_summary` and `bench_docs` examples (whose documents the
//! npm benchmark reads) and the tests share it so every figure is measured on the same
//! documents.

use crate::model::{
    AccessControlTranslation, And, Destination, Document, EncryptionConfiguration, Filter, Format,
    Metrics, Minutes, ReplicationTime, Rule, SourceSelectionCriteria, StatusBlock, Str, Tag, Val,
};

/// The rule counts every benchmark reports.
pub const SIZES: [usize; 4] = [1, 10, 100, 1000];

const ROLE: &str = "arn:aws:iam::111122223333:role/service-role/s3-replication-bench";
const DEPARTMENTS: [&str; 7] = [
    "finance",
    "ledger",
    "media",
    "logs",
    "analytics",
    "backups",
    "exports",
];
const DESTINATIONS: [(&str, &str); 3] = [
    ("acme-replica-usw2", "us-west-2"),
    ("acme-replica-euw1", "eu-west-1"),
    ("acme-dr-use2", "us-east-2"),
];
const DEST_ACCOUNT: &str = "444455556666";

fn s(v: impl Into<String>) -> Option<Val<Str>> {
    Some(Val::new(v.into()))
}

fn status(enabled: bool) -> Option<StatusBlock> {
    Some(StatusBlock {
        status: s(if enabled { "Enabled" } else { "Disabled" }),
        ..StatusBlock::default()
    })
}

fn tag(key: &str, value: impl Into<String>) -> Tag {
    Tag {
        key: s(key),
        value: s(value),
        ..Tag::default()
    }
}

fn minutes(n: i64) -> Option<Minutes> {
    Some(Minutes {
        minutes: Some(Val::new(n)),
        ..Minutes::default()
    })
}

/// One V2 rule; `i` varies the filter shape, destination, KMS, RTC and storage class so the
/// document exercises most of the model. Rules never overlap in a way S3 rejects: IDs and
/// priorities are unique, tag-filtered rules keep delete markers disabled, KMS rules pair
/// `SseKmsEncryptedObjects` with a replica key in the destination's Region, and RTC always
/// comes with Metrics at 15 minutes.
pub fn rule(i: usize) -> Rule {
    let dept = DEPARTMENTS[i % DEPARTMENTS.len()];
    let (bucket, region) = DESTINATIONS[i % DESTINATIONS.len()];
    let prefix = format!("{dept}/{:04}/", i);
    let (filter, tagged) = match i % 4 {
        0 => (
            Filter {
                prefix: s(prefix),
                ..Filter::default()
            },
            false,
        ),
        1 => (
            Filter {
                tag: Some(tag("replicate", format!("tier-{}", i % 5))),
                ..Filter::default()
            },
            true,
        ),
        2 => (
            Filter {
                and: Some(Box::new(And {
                    prefix: s(prefix),
                    tags: vec![tag("classification", "internal"), tag("owner", dept)],
                    ..And::default()
                })),
                ..Filter::default()
            },
            true,
        ),
        _ => (
            Filter {
                prefix: s(format!("{prefix}reports/")),
                ..Filter::default()
            },
            false,
        ),
    };
    let kms = i.is_multiple_of(3);
    let rtc = i.is_multiple_of(5);
    let cross_account = i.is_multiple_of(2);
    let storage = [
        "STANDARD",
        "STANDARD_IA",
        "GLACIER_IR",
        "INTELLIGENT_TIERING",
    ][i % 4];
    Rule {
        id: s(format!("{dept}-rule-{i:04}")),
        status: s(if i % 11 == 10 { "Disabled" } else { "Enabled" }),
        priority: Some(Val::new(i as i64 + 1)),
        filter: Some(filter),
        delete_marker_replication: status(!tagged && i.is_multiple_of(2)),
        source_selection_criteria: kms.then(|| SourceSelectionCriteria {
            sse_kms_encrypted_objects: status(true),
            replica_modifications: status(i.is_multiple_of(6)),
            ..SourceSelectionCriteria::default()
        }),
        destination: Some(Destination {
            bucket: s(format!("arn:aws:s3:::{bucket}")),
            account: if cross_account { s(DEST_ACCOUNT) } else { None },
            access_control_translation: cross_account.then(|| AccessControlTranslation {
                owner: s("Destination"),
                ..AccessControlTranslation::default()
            }),
            storage_class: s(storage),
            encryption_configuration: kms.then(|| EncryptionConfiguration {
                replica_kms_key_id: s(format!(
                    "arn:aws:kms:{region}:{}:key/{:08x}-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                    if cross_account {
                        DEST_ACCOUNT
                    } else {
                        "111122223333"
                    },
                    i
                )),
                ..EncryptionConfiguration::default()
            }),
            replication_time: rtc.then(|| ReplicationTime {
                status: s("Enabled"),
                time: minutes(15),
                ..ReplicationTime::default()
            }),
            metrics: rtc.then(|| Metrics {
                status: s("Enabled"),
                event_threshold: minutes(15),
                ..Metrics::default()
            }),
            ..Destination::default()
        }),
        ..Rule::default()
    }
}

/// A document with `rules` generated rules (see [`rule`]).
pub fn document(rules: usize) -> Document {
    Document {
        role: s(ROLE),
        rules: (0..rules).map(rule).collect(),
        ..Document::default()
    }
}

/// The text of a generated document in `format`.
pub fn text(rules: usize, format: Format) -> String {
    crate::serialize::to_format(&document(rules), format)
}

/// A JSON document with every member of the schema, lists with two items, built by walking
/// the schema (so a member added there is in it). Not a valid configuration (a filter has all
/// its members at once): it is for tests of shape, such as the serializers' member order.
pub fn every_member() -> String {
    let mut out = String::new();
    every_member_of(&crate::schema::ROOT, &mut out);
    out
}

fn every_member_of(shape: &crate::schema::Shape, out: &mut String) {
    use crate::schema::Kind;
    out.push('{');
    for (i, f) in shape.fields.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&format!("\"{}\": ", f.json));
        let items = if f.list { 2 } else { 1 };
        if f.list {
            out.push('[');
        }
        for k in 0..items {
            if k > 0 {
                out.push_str(", ");
            }
            match &f.kind {
                Kind::String => out.push_str(&format!("\"{}-{k}\"", f.json)),
                Kind::Enum(values) => {
                    out.push_str(&format!("\"{}\"", values.first().unwrap_or(&"")))
                }
                Kind::Integer => out.push_str(&(k + 1).to_string()),
                Kind::Struct(s) => every_member_of(s, out),
            }
        }
        if f.list {
            out.push(']');
        }
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_have_the_requested_size_and_fit_s3s_limit() {
        for n in SIZES {
            assert_eq!(document(n).rules.len(), n);
        }
        for f in [Format::Xml, Format::Json] {
            let t = text(1000, f);
            assert!(t.len() < 2 * 1024 * 1024, "{f:?}: {} bytes", t.len());
        }
    }
}
