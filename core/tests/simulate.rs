//! Table-driven tests of `simulate`: each case is a configuration, one object, the expected
//! outcome per destination bucket and the expected reason of every rule that matters.

use s3_replication_lint::context::Resolved;
use s3_replication_lint::simulate::{
    simulate, simulate_text, Encryption, ObjectSpec, Reason, Simulation,
};
use s3_replication_lint::{parse, DeploymentContext};

const ROLE: &str = r#""Role": "arn:aws:iam::111122223333:role/replicator""#;

/// Overlapping prefixes to one bucket: `starship` (priority 2) beats `star` (priority 1).
const PRIORITY: &str = r#"{ "Role": "arn:aws:iam::111122223333:role/replicator", "Rules": [
  {"ID":"star","Status":"Enabled","Priority":1,"Filter":{"Prefix":"star"},
   "DeleteMarkerReplication":{"Status":"Disabled"},
   "Destination":{"Bucket":"arn:aws:s3:::copies"}},
  {"ID":"starship","Status":"Enabled","Priority":2,"Filter":{"Prefix":"starship"},
   "DeleteMarkerReplication":{"Status":"Enabled"},
   "Destination":{"Bucket":"arn:aws:s3:::copies","StorageClass":"STANDARD_IA"}}]}"#;

/// The same two prefixes, but the higher-priority rule does not copy delete markers.
const PRIORITY_DM: &str = r#"{ "Role": "arn:aws:iam::111122223333:role/replicator", "Rules": [
  {"ID":"broad","Status":"Enabled","Priority":1,"Filter":{"Prefix":""},
   "DeleteMarkerReplication":{"Status":"Enabled"},
   "Destination":{"Bucket":"arn:aws:s3:::copies"}},
  {"ID":"narrow","Status":"Enabled","Priority":9,"Filter":{"Prefix":"keep/"},
   "DeleteMarkerReplication":{"Status":"Disabled"},
   "Destination":{"Bucket":"arn:aws:s3:::copies"}}]}"#;

/// Equal priorities on overlapping rules (S3 rejects it; the simulation must still answer).
const SAME_PRIORITY: &str = r#"{ "Role": "arn:aws:iam::111122223333:role/replicator", "Rules": [
  {"ID":"first","Status":"Enabled","Priority":4,"Filter":{"Prefix":"a/"},
   "DeleteMarkerReplication":{"Status":"Disabled"},
   "Destination":{"Bucket":"arn:aws:s3:::copies"}},
  {"ID":"second","Status":"Enabled","Priority":4,"Filter":{},
   "DeleteMarkerReplication":{"Status":"Disabled"},
   "Destination":{"Bucket":"arn:aws:s3:::copies"}}]}"#;

/// Two buckets, each with its own rules; rule priorities only compete within a bucket.
const MULTI: &str = r#"{ "Role": "arn:aws:iam::111122223333:role/replicator", "Rules": [
  {"ID":"west","Status":"Enabled","Priority":10,"Filter":{"Prefix":"media/"},
   "DeleteMarkerReplication":{"Status":"Enabled"},
   "Destination":{"Bucket":"arn:aws:s3:::media-west"}},
  {"ID":"eu","Status":"Enabled","Priority":20,"Filter":{"Prefix":"media/"},
   "DeleteMarkerReplication":{"Status":"Disabled"},
   "Destination":{"Bucket":"arn:aws:s3:::media-eu","StorageClass":"INTELLIGENT_TIERING"}},
  {"ID":"eu-hot","Status":"Enabled","Priority":30,"Filter":{"Tag":{"Key":"tier","Value":"hot"}},
   "DeleteMarkerReplication":{"Status":"Disabled"},
   "Destination":{"Bucket":"media-eu","StorageClass":"STANDARD"}}]}"#;

/// Prefix plus two tags: every tag must be present with exactly its value.
const TAGS: &str = r#"{ "Role": "arn:aws:iam::111122223333:role/replicator", "Rules": [
  {"ID":"ledger","Status":"Enabled","Priority":1,
   "Filter":{"And":{"Prefix":"ledger/","Tags":[{"Key":"env","Value":"prod"},{"Key":"team","Value":"fin"}]}},
   "DeleteMarkerReplication":{"Status":"Disabled"},
   "Destination":{"Bucket":"arn:aws:s3:::vault"}}]}"#;

/// Exclusions: `Filter/Not/Prefix` on one bucket, `And/Not/Or` on another.
const NOT: &str = r#"{ "Role": "arn:aws:iam::111122223333:role/replicator", "Rules": [
  {"ID":"no-scratch","Status":"Enabled","Priority":1,"Filter":{"Not":{"Prefix":"scratch/"}},
   "DeleteMarkerReplication":{"Status":"Enabled"},
   "Destination":{"Bucket":"arn:aws:s3:::mirror"}},
  {"ID":"public-docs","Status":"Enabled","Priority":2,
   "Filter":{"And":{"Prefix":"docs/","Not":{"Or":{"Prefixes":["docs/wip/","docs/private/"],
             "Tags":[{"Key":"embargo","Value":"yes"}]}}}},
   "DeleteMarkerReplication":{"Status":"Disabled"},
   "Destination":{"Bucket":"arn:aws:s3:::public"}}]}"#;

/// A disabled rule with the highest priority must not win.
const DISABLED: &str = r#"{ "Role": "arn:aws:iam::111122223333:role/replicator", "Rules": [
  {"ID":"paused","Status":"Disabled","Priority":5,"Filter":{},
   "DeleteMarkerReplication":{"Status":"Disabled"},
   "Destination":{"Bucket":"arn:aws:s3:::copies","StorageClass":"GLACIER"}},
  {"ID":"live","Status":"Enabled","Priority":1,"Filter":{"Prefix":"a/"},
   "DeleteMarkerReplication":{"Status":"Disabled"},
   "Destination":{"Bucket":"arn:aws:s3:::copies"}}]}"#;

/// `plain` (higher priority) does not opt KMS objects in; `secure` does, with a replica key.
const KMS: &str = r#"{ "Role": "arn:aws:iam::111122223333:role/replicator", "Rules": [
  {"ID":"plain","Status":"Enabled","Priority":3,"Filter":{},
   "DeleteMarkerReplication":{"Status":"Disabled"},
   "Destination":{"Bucket":"arn:aws:s3:::copies"}},
  {"ID":"secure","Status":"Enabled","Priority":2,"Filter":{"Prefix":"secure/"},
   "DeleteMarkerReplication":{"Status":"Disabled"},
   "SourceSelectionCriteria":{"SseKmsEncryptedObjects":{"Status":"Enabled"}},
   "Destination":{"Bucket":"arn:aws:s3:::copies",
     "EncryptionConfiguration":{"ReplicaKmsKeyID":"arn:aws:kms:us-west-2:111122223333:key/replica"}}}]}"#;

const MRK: &str = r#"{ "Role": "arn:aws:iam::111122223333:role/replicator", "Rules": [
  {"ID":"mrk","Status":"Enabled","Priority":1,"Filter":{},
   "DeleteMarkerReplication":{"Status":"Disabled"},
   "SourceSelectionCriteria":{"SseKmsEncryptedObjects":{"Status":"Enabled"}},
   "Destination":{"Bucket":"arn:aws:s3:::copies",
     "EncryptionConfiguration":{"UseSourceMultiRegionKey":{"Status":"Enabled"}}}}]}"#;

/// Legacy V1: rule-level prefix, user delete markers replicated implicitly.
const V1: &str = r#"<ReplicationConfiguration>
  <Role>arn:aws:iam::111122223333:role/replicator</Role>
  <Rule><ID>legacy</ID><Status>Enabled</Status><Prefix>inv/</Prefix>
    <Destination><Bucket>arn:aws:s3:::copies</Bucket></Destination></Rule>
</ReplicationConfiguration>"#;

/// A tag only inside `Not` still makes the rule tag-based for delete markers.
const NOT_TAG: &str = r#"{ "Role": "arn:aws:iam::111122223333:role/replicator", "Rules": [
  {"ID":"untagged","Status":"Enabled","Priority":1,"Filter":{"Not":{"Tag":{"Key":"skip","Value":"1"}}},
   "DeleteMarkerReplication":{"Status":"Disabled"},
   "Destination":{"Bucket":"arn:aws:s3:::copies"}}]}"#;

/// One side of a two-way setup, with replica modification sync, cross-account and RTC.
const TWO_WAY: &str = r#"{ "Role": "arn:aws:iam::111122223333:role/replicator", "Rules": [
  {"ID":"a-to-b","Status":"Enabled","Priority":1,"Filter":{},
   "DeleteMarkerReplication":{"Status":"Enabled"},
   "SourceSelectionCriteria":{"ReplicaModifications":{"Status":"Enabled"}},
   "Destination":{"Bucket":"arn:aws:s3:::bucket-b","Account":"444455556666",
     "AccessControlTranslation":{"Owner":"Destination"},
     "ReplicationTime":{"Status":"Enabled","Time":{"Minutes":15}},
     "Metrics":{"Status":"Enabled","EventThreshold":{"Minutes":15}}}}]}"#;

fn obj(key: &str) -> ObjectSpec {
    ObjectSpec::new(key)
}

fn tagged(key: &str, tags: &[(&str, &str)]) -> ObjectSpec {
    ObjectSpec {
        tags: tags
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..obj(key)
    }
}

fn enc(key: &str, e: Encryption) -> ObjectSpec {
    ObjectSpec {
        encryption: e,
        ..obj(key)
    }
}

fn marker(key: &str) -> ObjectSpec {
    ObjectSpec {
        delete_marker: true,
        ..obj(key)
    }
}

fn replica(key: &str) -> ObjectSpec {
    ObjectSpec {
        is_replica: true,
        ..obj(key)
    }
}

struct Case {
    name: &'static str,
    doc: &'static str,
    object: ObjectSpec,
    /// (bucket name, replicated, governing rule ID)
    dests: Vec<(&'static str, bool, Option<&'static str>)>,
    /// (rule ID, matched, reason)
    rules: Vec<(&'static str, bool, Reason)>,
    /// Further checks on the whole answer.
    extra: fn(&Simulation),
}

fn none(_: &Simulation) {}

fn run(doc: &str, object: &ObjectSpec) -> Simulation {
    let parsed = parse(doc, None);
    let doc = parsed
        .document
        .unwrap_or_else(|| panic!("test document parses: {:?}", parsed.diagnostics));
    simulate(
        &doc,
        object,
        &Resolved::new(&DeploymentContext::default(), &doc),
    )
}

fn cases() -> Vec<Case> {
    use Reason::*;
    vec![
        // --- priority among overlapping rules to one bucket
        Case {
            name: "higher priority wins where prefixes overlap",
            doc: PRIORITY,
            object: obj("starship-x/manifest"),
            dests: vec![("copies", true, Some("starship"))],
            rules: vec![("star", true, LowerPriority), ("starship", true, Replicates)],
            extra: |s| {
                let d = &s.destinations[0];
                assert_eq!(d.priority, Some(2));
                assert_eq!(d.storage_class.as_deref(), Some("STANDARD_IA"));
                assert_eq!(d.also_matched.len(), 1);
                assert_eq!(d.also_matched[0].id.as_deref(), Some("star"));
                assert!(d.also_matched[0].detail.contains("higher priority (2 > 1)"));
            },
        },
        Case {
            name: "only the shorter prefix matches",
            doc: PRIORITY,
            object: obj("stardust"),
            dests: vec![("copies", true, Some("star"))],
            rules: vec![("star", true, Replicates), ("starship", false, PrefixMismatch)],
            extra: |s| {
                assert_eq!(s.destinations[0].storage_class.as_deref(), Some("same as source"));
                assert!(s.destinations[0].also_matched.is_empty());
            },
        },
        Case {
            name: "prefixes are case-sensitive literals",
            doc: PRIORITY,
            object: obj("Starship/x"),
            dests: vec![("copies", false, None)],
            rules: vec![("star", false, PrefixMismatch), ("starship", false, PrefixMismatch)],
            extra: |s| assert!(s.destinations[0].detail.contains("no enabled rule")),
        },
        Case {
            name: "equal priorities: first in document order, flagged",
            doc: SAME_PRIORITY,
            object: obj("a/x"),
            dests: vec![("copies", true, Some("first"))],
            rules: vec![("first", true, Replicates), ("second", true, LowerPriority)],
            extra: |s| {
                assert!(s.destinations[0].also_matched[0].detail.contains("same priority"));
            },
        },
        // --- independent destinations
        Case {
            name: "each destination gets its own copy",
            doc: MULTI,
            object: obj("media/intro.mp4"),
            dests: vec![("media-west", true, Some("west")), ("media-eu", true, Some("eu"))],
            rules: vec![
                ("west", true, Replicates),
                ("eu", true, Replicates),
                ("eu-hot", false, TagMismatch),
            ],
            extra: |s| {
                assert_eq!(s.destinations.len(), 2);
                assert_eq!(
                    s.destination("arn:aws:s3:::media-eu").and_then(|d| d.storage_class.as_deref()),
                    Some("INTELLIGENT_TIERING")
                );
            },
        },
        Case {
            name: "a bucket named by ARN and by name is one destination; priorities compete there only",
            doc: MULTI,
            object: tagged("media/intro.mp4", &[("tier", "hot")]),
            dests: vec![("media-west", true, Some("west")), ("media-eu", true, Some("eu-hot"))],
            rules: vec![
                ("west", true, Replicates),
                ("eu", true, LowerPriority),
                ("eu-hot", true, Replicates),
            ],
            extra: |s| {
                assert_eq!(s.destinations.len(), 2);
                assert_eq!(s.destinations[1].storage_class.as_deref(), Some("STANDARD"));
            },
        },
        Case {
            name: "outside every filter: no destination",
            doc: MULTI,
            object: obj("docs/readme"),
            dests: vec![("media-west", false, None), ("media-eu", false, None)],
            rules: vec![
                ("west", false, PrefixMismatch),
                ("eu", false, PrefixMismatch),
                ("eu-hot", false, TagMismatch),
            ],
            extra: none,
        },
        // --- tag filters
        Case {
            name: "all tags present",
            doc: TAGS,
            object: tagged("ledger/2024.csv", &[("team", "fin"), ("env", "prod"), ("extra", "ok")]),
            dests: vec![("vault", true, Some("ledger"))],
            rules: vec![("ledger", true, Replicates)],
            extra: |s| assert!(s.notes.iter().any(|n| n.contains("uploaded"))),
        },
        Case {
            name: "one tag missing",
            doc: TAGS,
            object: tagged("ledger/2024.csv", &[("env", "prod")]),
            dests: vec![("vault", false, None)],
            rules: vec![("ledger", false, TagMismatch)],
            extra: |s| assert!(s.rules[0].detail.contains("no tag `team`"), "{}", s.rules[0].detail),
        },
        Case {
            name: "tag with another value",
            doc: TAGS,
            object: tagged("ledger/2024.csv", &[("env", "dev"), ("team", "fin")]),
            dests: vec![("vault", false, None)],
            rules: vec![("ledger", false, TagMismatch)],
            extra: |s| assert!(s.rules[0].detail.contains("`env` is `dev`"), "{}", s.rules[0].detail),
        },
        Case {
            name: "tags right, prefix wrong",
            doc: TAGS,
            object: tagged("ledgers/x", &[("env", "prod"), ("team", "fin")]),
            dests: vec![("vault", false, None)],
            rules: vec![("ledger", false, PrefixMismatch)],
            extra: none,
        },
        // --- Not exclusions
        Case {
            name: "Not/Prefix excludes",
            doc: NOT,
            object: obj("scratch/tmp.bin"),
            dests: vec![("mirror", false, None), ("public", false, None)],
            rules: vec![("no-scratch", false, ExcludedByNot), ("public-docs", false, PrefixMismatch)],
            extra: |s| assert!(s.rules[0].detail.contains("`scratch/`")),
        },
        Case {
            name: "And/Not/Or prefix excludes",
            doc: NOT,
            object: obj("docs/wip/draft.md"),
            dests: vec![("mirror", true, Some("no-scratch")), ("public", false, None)],
            rules: vec![("no-scratch", true, Replicates), ("public-docs", false, ExcludedByNot)],
            extra: none,
        },
        Case {
            name: "And/Not/Or tag excludes",
            doc: NOT,
            object: tagged("docs/launch.md", &[("embargo", "yes")]),
            dests: vec![("mirror", true, Some("no-scratch")), ("public", false, None)],
            rules: vec![("no-scratch", true, Replicates), ("public-docs", false, ExcludedByNot)],
            extra: |s| assert!(s.rules[1].detail.contains("`embargo=yes`")),
        },
        Case {
            name: "excluded tag key with another value does not exclude",
            doc: NOT,
            object: tagged("docs/launch.md", &[("embargo", "no")]),
            dests: vec![("mirror", true, Some("no-scratch")), ("public", true, Some("public-docs"))],
            rules: vec![("no-scratch", true, Replicates), ("public-docs", true, Replicates)],
            extra: none,
        },
        // --- disabled rules
        Case {
            name: "a disabled rule never governs, whatever its priority",
            doc: DISABLED,
            object: obj("a/file"),
            dests: vec![("copies", true, Some("live"))],
            rules: vec![("paused", false, RuleDisabled), ("live", true, Replicates)],
            extra: |s| {
                assert!(s.rules[0].detail.contains("would otherwise select"));
                assert_eq!(s.destinations[0].storage_class.as_deref(), Some("same as source"));
            },
        },
        Case {
            name: "only a disabled rule selects the object",
            doc: DISABLED,
            object: obj("b/file"),
            dests: vec![("copies", false, None)],
            rules: vec![("paused", false, RuleDisabled), ("live", false, PrefixMismatch)],
            extra: none,
        },
        // --- SSE-KMS / DSSE-KMS opt-in, SSE-C
        Case {
            name: "KMS object skips the rule without opt-in and falls to the one with it",
            doc: KMS,
            object: enc("secure/key.pem", Encryption::SseKms),
            dests: vec![("copies", true, Some("secure"))],
            rules: vec![("plain", false, KmsNotSelected), ("secure", true, Replicates)],
            extra: |s| {
                let d = &s.destinations[0];
                assert_eq!(
                    d.replica_kms_key_id.as_deref(),
                    Some("arn:aws:kms:us-west-2:111122223333:key/replica")
                );
                assert!(!d.use_source_multi_region_key);
                assert!(s.rules[0].detail.contains("SseKmsEncryptedObjects"));
            },
        },
        Case {
            name: "DSSE-KMS is opted in by the same element",
            doc: KMS,
            object: enc("secure/key.pem", Encryption::DsseKms),
            dests: vec![("copies", true, Some("secure"))],
            rules: vec![("plain", false, KmsNotSelected), ("secure", true, Replicates)],
            extra: |s| {
                let e = s.destinations[0].replica_encryption.as_deref().unwrap_or("");
                assert!(e.starts_with("DSSE-KMS"), "{e}");
            },
        },
        Case {
            name: "KMS object outside the opted-in prefix is not replicated",
            doc: KMS,
            object: enc("public/x", Encryption::SseKms),
            dests: vec![("copies", false, None)],
            rules: vec![("plain", false, KmsNotSelected), ("secure", false, PrefixMismatch)],
            extra: |s| assert!(s.notes.iter().any(|n| n.contains("SseKmsEncryptedObjects"))),
        },
        Case {
            name: "SSE-S3 object follows plain priority",
            doc: KMS,
            object: enc("secure/key.pem", Encryption::SseS3),
            dests: vec![("copies", true, Some("plain"))],
            rules: vec![("plain", true, Replicates), ("secure", true, LowerPriority)],
            extra: |s| {
                assert_eq!(s.destinations[0].replica_kms_key_id, None);
                assert!(s.destinations[0]
                    .replica_encryption
                    .as_deref()
                    .is_some_and(|e| e.starts_with("SSE-S3")));
            },
        },
        Case {
            name: "SSE-C objects are replicated without any opt-in",
            doc: KMS,
            object: enc("public/x", Encryption::SseC),
            dests: vec![("copies", true, Some("plain"))],
            rules: vec![("plain", true, Replicates), ("secure", false, PrefixMismatch)],
            extra: |s| {
                assert!(s.notes.iter().any(|n| n.contains("SSE-C") && n.contains("2022")));
                assert!(s.destinations[0]
                    .replica_encryption
                    .as_deref()
                    .is_some_and(|e| e.starts_with("SSE-C")));
            },
        },
        Case {
            name: "UseSourceMultiRegionKey",
            doc: MRK,
            object: enc("any", Encryption::SseKms),
            dests: vec![("copies", true, Some("mrk"))],
            rules: vec![("mrk", true, Replicates)],
            extra: |s| {
                assert!(s.destinations[0].use_source_multi_region_key);
                assert_eq!(s.destinations[0].replica_kms_key_id, None);
            },
        },
        // --- delete markers
        Case {
            name: "V2 rule with DeleteMarkerReplication Enabled copies the marker",
            doc: PRIORITY,
            object: marker("starship/log"),
            dests: vec![("copies", true, Some("starship"))],
            rules: vec![("star", true, LowerPriority), ("starship", true, Replicates)],
            extra: |s| {
                assert_eq!(s.destinations[0].storage_class, None);
                assert!(s.notes.iter().any(|n| n.contains("specific object version")));
            },
        },
        Case {
            name: "V2 rule without Enabled keeps the marker",
            doc: PRIORITY,
            object: marker("stardust"),
            dests: vec![("copies", false, Some("star"))],
            rules: vec![("star", true, DeleteMarkerNotReplicated), ("starship", false, PrefixMismatch)],
            extra: none,
        },
        Case {
            name: "the governing rule's delete-marker setting applies, not the lower rule's",
            doc: PRIORITY_DM,
            object: marker("keep/a"),
            dests: vec![("copies", false, Some("narrow"))],
            rules: vec![("broad", true, LowerPriority), ("narrow", true, DeleteMarkerNotReplicated)],
            extra: |s| {
                assert!(s.destinations[0].also_matched[0].detail.contains("does not apply"));
            },
        },
        Case {
            name: "V1 rules copy user delete markers",
            doc: V1,
            object: marker("inv/2020/1.pdf"),
            dests: vec![("copies", true, Some("legacy"))],
            rules: vec![("legacy", true, Replicates)],
            extra: |s| {
                assert_eq!(s.destinations[0].priority, None);
                assert!(s.destinations[0].detail.contains("V1"));
            },
        },
        Case {
            name: "tag-based rules never copy delete markers",
            doc: TAGS,
            object: ObjectSpec {
                tags: vec![("env".into(), "prod".into()), ("team".into(), "fin".into())],
                ..marker("ledger/2024.csv")
            },
            dests: vec![("vault", false, None)],
            rules: vec![("ledger", false, DeleteMarkerNotReplicated)],
            extra: |s| assert!(s.notes.iter().any(|n| n.contains("carry no tags"))),
        },
        Case {
            name: "a tag inside Not makes the rule tag-based",
            doc: NOT_TAG,
            object: marker("x"),
            dests: vec![("copies", false, None)],
            rules: vec![("untagged", false, DeleteMarkerNotReplicated)],
            extra: none,
        },
        Case {
            name: "Not/Prefix rule copies markers outside the exclusion",
            doc: NOT,
            object: marker("photos/a.jpg"),
            dests: vec![("mirror", true, Some("no-scratch")), ("public", false, None)],
            rules: vec![("no-scratch", true, Replicates), ("public-docs", false, PrefixMismatch)],
            extra: none,
        },
        Case {
            name: "encryption does not matter for delete markers",
            doc: KMS,
            object: ObjectSpec {
                encryption: Encryption::SseKms,
                ..marker("secure/x")
            },
            dests: vec![("copies", false, Some("plain"))],
            rules: vec![("plain", true, DeleteMarkerNotReplicated), ("secure", true, LowerPriority)],
            extra: none,
        },
        // --- replicas
        Case {
            name: "replicas are not replicated again; metadata sync is mentioned",
            doc: TWO_WAY,
            object: replica("shared/file"),
            dests: vec![("bucket-b", false, Some("a-to-b"))],
            rules: vec![("a-to-b", true, ReplicaNotReplicated)],
            extra: |s| {
                assert!(s.destinations[0].detail.contains("ReplicaModifications"));
                assert!(s.notes.iter().any(|n| n.contains("chains")));
            },
        },
        Case {
            name: "replica without ReplicaModifications",
            doc: PRIORITY,
            object: replica("starship/x"),
            dests: vec![("copies", false, Some("starship"))],
            rules: vec![("star", true, LowerPriority), ("starship", true, ReplicaNotReplicated)],
            extra: |s| assert!(!s.destinations[0].detail.contains("ReplicaModifications")),
        },
        // --- owner override and RTC
        Case {
            name: "owner override and RTC are reported",
            doc: TWO_WAY,
            object: obj("shared/file"),
            dests: vec![("bucket-b", true, Some("a-to-b"))],
            rules: vec![("a-to-b", true, Replicates)],
            extra: |s| {
                let d = &s.destinations[0];
                assert!(d.owner_override && d.rtc);
                assert_eq!(d.account.as_ref().map(|a| a.value.as_str()), Some("444455556666"));
            },
        },
    ]
}

#[test]
fn simulation_table() {
    for case in cases() {
        let sim = run(case.doc, &case.object);
        let got: Vec<(&str, bool, Option<&str>)> = sim
            .destinations
            .iter()
            .map(|d| (d.name.as_str(), d.replicated, d.rule.as_deref()))
            .collect();
        assert_eq!(got, case.dests, "{}: destinations\n{sim:#?}", case.name);
        for (id, matched, reason) in &case.rules {
            let r = sim
                .rules
                .iter()
                .find(|r| r.id.as_deref() == Some(*id))
                .unwrap_or_else(|| panic!("{}: no rule {id}", case.name));
            assert_eq!(
                (r.matched, r.reason),
                (*matched, *reason),
                "{}: rule {id}: {}",
                case.name,
                r.detail
            );
            assert!(
                !r.detail.is_empty(),
                "{}: rule {id} has no detail",
                case.name
            );
        }
        (case.extra)(&sim);
        check_invariants(&sim, case.name);
    }
}

/// What every answer must satisfy, whatever the input.
fn check_invariants(sim: &Simulation, name: &str) {
    for d in &sim.destinations {
        if d.replicated {
            let i = d
                .rule_index
                .expect("a replicated object has a governing rule");
            let r = &sim.rules[i];
            assert!(r.matched && r.reason == Reason::Replicates, "{name}: {r:?}");
        }
        for a in &d.also_matched {
            assert_eq!(sim.rules[a.index].reason, Reason::LowerPriority, "{name}");
        }
    }
    for r in &sim.rules {
        let governs = sim
            .destinations
            .iter()
            .any(|d| d.rule_index == Some(r.index));
        assert_eq!(
            r.reason == Reason::Replicates,
            governs && r.reason == Reason::Replicates
        );
        if r.reason == Reason::LowerPriority || r.reason == Reason::Replicates {
            assert!(r.matched, "{name}: {r:?}");
        }
    }
}

#[test]
fn kms_detail_cites_the_documentation() {
    let sim = run(KMS, &enc("public/x", Encryption::SseKms));
    assert!(sim.rules[0]
        .detail
        .contains("https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html"));
}

#[test]
fn context_facts_reach_the_answer() {
    let ctx = DeploymentContext::from_json(
        r#"{"destinations":{"copies":{"region":"us-west-2","account":"444455556666","defaultEncryption":"SSE-KMS"}}}"#,
    )
    .unwrap();
    let sim = simulate_text(PRIORITY, None, &obj("star/1"), &ctx).expect("parses");
    let d = &sim.destinations[0];
    assert_eq!(
        d.region.as_ref().map(|r| r.value.as_str()),
        Some("us-west-2")
    );
    assert_eq!(
        d.account.as_ref().map(|r| r.value.as_str()),
        Some("444455556666")
    );
    assert!(d
        .replica_encryption
        .as_deref()
        .is_some_and(|e| e.contains("SSE-KMS")));
    assert!(simulate_text("not a document", None, &obj("x"), &ctx).is_none());
}

/// Encryption names: serialized as shown, parsed with the usual aliases.
#[test]
fn encryption_names() {
    for e in Encryption::ALL {
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(json, format!("\"{}\"", e.as_str()));
        assert_eq!(Encryption::parse(e.as_str()), Some(e));
        assert_eq!(Encryption::parse(&e.as_str().to_lowercase()), Some(e));
    }
    assert_eq!(Encryption::parse("aws:kms"), Some(Encryption::SseKms));
    assert_eq!(Encryption::parse("AES256"), Some(Encryption::SseS3));
    assert_eq!(Encryption::parse("rot13"), None);
    assert!("rot13".parse::<Encryption>().is_err());
}

#[test]
fn simulation_json_shape() {
    let sim = run(PRIORITY, &obj("starship-1"));
    let v = serde_json::to_value(&sim).unwrap();
    let d = &v["destinations"][0];
    for field in [
        "bucket",
        "replicated",
        "rule",
        "priority",
        "storageClass",
        "replicaKmsKeyId",
        "ownerOverride",
        "rtc",
        "alsoMatched",
    ] {
        assert!(d.get(field).is_some(), "destination lacks {field}: {d}");
    }
    assert_eq!(d["rule"], "starship");
    assert_eq!(d["alsoMatched"][0]["reason"], "lowerPriority");
    let r = &v["rules"][0];
    for field in ["id", "index", "matched", "reason", "detail"] {
        assert!(r.get(field).is_some(), "rule lacks {field}: {r}");
    }
}

#[test]
fn broken_rules_are_reported_not_fatal() {
    let doc = format!(
        r#"{{ {ROLE}, "Rules": [
          {{"ID":"no-dest","Status":"Enabled","Priority":1,"Filter":{{}}}},
          {{"ID":"two-children","Status":"Enabled","Priority":2,
            "Filter":{{"Prefix":"a","Tag":{{"Key":"k","Value":"v"}}}},
            "Destination":{{"Bucket":"arn:aws:s3:::b"}}}},
          {{"ID":"odd-status","Status":"enabled","Priority":3,"Filter":{{}},
            "Destination":{{"Bucket":"arn:aws:s3:::b"}}}},
          {{"Status":"Enabled","Priority":4,"Filter":{{"Prefix":"a"}},
            "DeleteMarkerReplication":{{"Status":"Disabled"}},
            "Destination":{{"Bucket":"arn:aws:s3:::b"}}}}]}}"#
    );
    let sim = run(&doc, &obj("abc"));
    let reasons: Vec<Reason> = sim.rules.iter().map(|r| r.reason).collect();
    assert_eq!(
        reasons,
        vec![
            Reason::InvalidRule,
            Reason::InvalidRule,
            Reason::RuleDisabled,
            Reason::Replicates
        ]
    );
    assert!(sim.rules[2].detail.contains("case-sensitive"));
    // The rule without an ID is named by its number, counted from 1.
    assert_eq!(sim.destinations[0].rule, None);
    assert_eq!(sim.destinations[0].rule_index, Some(3));
    assert!(
        sim.destinations[0].detail.contains("rule #4"),
        "{}",
        sim.destinations[0].detail
    );
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn any_object_any_fixture(
            key in "\\PC{0,12}",
            tags in proptest::collection::vec(("[a-z]{0,3}", "\\PC{0,3}"), 0..4),
            e in 0usize..5,
            dm in any::<bool>(),
            rep in any::<bool>(),
            which in 0usize..11,
        ) {
            let docs = [PRIORITY, PRIORITY_DM, SAME_PRIORITY, MULTI, TAGS, NOT, DISABLED, KMS, MRK, V1, TWO_WAY];
            let object = ObjectSpec {
                key,
                tags,
                encryption: Encryption::ALL[e],
                delete_marker: dm,
                is_replica: rep,
            };
            let sim = run(docs[which], &object);
            check_invariants(&sim, "proptest");
            if rep {
                prop_assert!(sim.destinations.iter().all(|d| !d.replicated));
            }
        }
    }
}
