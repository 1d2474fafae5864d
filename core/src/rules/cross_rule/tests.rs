//! Cross-rule checks on whole documents, and the pair limit.

use crate::context::{DeploymentContext, Resolved};
use crate::model::{
    And, Destination, Document, EncryptionConfiguration, Filter, Not, Rule,
    SourceSelectionCriteria, StatusBlock, Tag, Val,
};
use crate::rules::kms::tests::{codes, run};
use crate::rules::CheckContext;

fn v2(id: &str, priority: i64, prefix: &str, extra: &str) -> String {
    format!(
        "<Rule><ID>{id}</ID><Status>Enabled</Status><Priority>{priority}</Priority><Filter><Prefix>{prefix}</Prefix></Filter><DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication><Destination><Bucket>arn:aws:s3:::dst</Bucket>{extra}</Destination></Rule>"
    )
}

fn doc(rules: &[String]) -> String {
    format!(
        "<ReplicationConfiguration><Role>arn:aws:iam::111122223333:role/r</Role>{}</ReplicationConfiguration>",
        rules.concat()
    )
}

#[test]
fn governing_shadowing_and_conflicts() {
    // a (prio 1, "logs/") is inside b (prio 2, ""): shadowed.
    let r = run(&doc(&[v2("a", 1, "logs/", ""), v2("b", 2, "", "")]), "");
    assert!(codes(&r).contains(&"S3R501"));
    // Reversed priorities: the broad rule is only partly governed.
    let r = run(&doc(&[v2("a", 2, "logs/", ""), v2("b", 1, "", "")]), "");
    assert!(codes(&r).contains(&"S3R500") && !codes(&r).contains(&"S3R501"));
    // Different storage classes under overlap.
    let sc = "<StorageClass>STANDARD_IA</StorageClass>";
    let r = run(&doc(&[v2("a", 2, "logs/", sc), v2("b", 1, "", "")]), "");
    assert!(codes(&r).contains(&"S3R502"));
    // Unrelated prefixes: nothing.
    let r = run(
        &doc(&[v2("a", 2, "logs/", ""), v2("b", 1, "data/", "")]),
        "",
    );
    assert!(!codes(&r).iter().any(|c| c.starts_with("S3R50")));
}

#[test]
fn many_distinct_prefixes_stay_quiet_and_fast() {
    let rules: Vec<String> = (0..1000)
        .map(|i| v2(&format!("r{i}"), i, &format!("data/{i:04}/"), ""))
        .collect();
    let start = std::time::Instant::now();
    let r = run(&doc(&rules), "");
    assert!(!codes(&r).iter().any(|c| c.starts_with("S3R50")));
    assert!(start.elapsed().as_secs() < 10);
}

fn rule_with(i: usize, bucket: &str, filter: Filter) -> Rule {
    Rule {
        id: Some(Val::new(format!("r{i}"))),
        priority: Some(Val::new(i as i64)),
        status: Some(Val::new("Enabled".to_string())),
        filter: Some(filter),
        destination: Some(Destination {
            bucket: Some(Val::new(format!("arn:aws:s3:::{bucket}"))),
            ..Destination::default()
        }),
        ..Rule::default()
    }
}

fn tag(k: &str, v: &str) -> Tag {
    Tag {
        key: Some(Val::new(k.to_string())),
        value: Some(Val::new(v.to_string())),
        ..Tag::default()
    }
}

fn tag_filter(k: &str, v: &str) -> Filter {
    Filter {
        tag: Some(tag(k, v)),
        ..Filter::default()
    }
}

fn check_document(document: &Document) -> Vec<crate::diagnostic::Diagnostic> {
    let resolved = Resolved::new(&DeploymentContext::default(), document);
    let mut cx = CheckContext::new(document, "", &resolved);
    (super::overlap::OVERLAP.run)(&mut cx);
    cx.into_parts().0
}

#[test]
fn pair_limit_reports_once() {
    // 700 different filters with one (empty) prefix: every pair of them must be compared.
    let rules: Vec<Rule> = (0..700)
        .map(|i| rule_with(i, "dst", tag_filter(&format!("k{i}"), "v")))
        .collect();
    let document = Document {
        rules,
        ..Document::default()
    };
    let found = check_document(&document);
    assert_eq!(found.iter().filter(|d| d.code == "S3R505").count(), 1);
    // Counts cut short by the limit are lower bounds and say so.
    assert!(found
        .iter()
        .filter(|d| d.code == "S3R500")
        .all(|d| d.message.contains("or more") || d.message.contains("possibly")));
}

#[test]
fn many_identical_tag_only_rules_are_analyzed_in_full() {
    // 3,000 tag-only rules in three groups of identical filters, to two buckets, plus
    // prefix rules under them: no limit, exact counts, and fast.
    let mut rules: Vec<Rule> = (0..3000)
        .map(|i| {
            let bucket = if i % 2 == 0 { "even" } else { "odd" };
            rule_with(i, bucket, tag_filter("tier", &format!("t{}", i % 3)))
        })
        .collect();
    rules.extend((3000..3010).map(|i| {
        rule_with(
            i,
            "even",
            Filter {
                prefix: Some(Val::new(format!("p{i}/"))),
                ..Filter::default()
            },
        )
    }));
    let document = Document {
        rules,
        ..Document::default()
    };
    let start = std::time::Instant::now();
    let found = check_document(&document);
    assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
    assert!(!found.iter().any(|d| d.code == "S3R505"));
    // Every tag-only rule except the top one of each (bucket, tag value) is shadowed.
    let shadowed = found.iter().filter(|d| d.code == "S3R501").count();
    assert_eq!(shadowed, 3000 - 6);
    // The prefix rules outrank every tag-only rule: only the tops are reported, as governed
    // by the prefix rules of their bucket that overlap them (all ten for "even").
    let governed: Vec<&str> = found
        .iter()
        .filter(|d| d.code == "S3R500")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(governed.len(), 3, "{governed:?}");
    assert!(governed
        .iter()
        .all(|m| m.contains("rule `r3009` (Priority 3009) and 9 other rule(s)")));
    assert_eq!(
        super::overlap::analyze(&document).findings,
        super::overlap::analyze_pairwise(&document)
    );
}

/// A small deterministic generator (xorshift) for the comparison below.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// `varied`: many different filters; otherwise few, so that groups are large.
fn random_rule(rng: &mut Rng, i: usize, varied: bool) -> Rule {
    const PREFIXES: [&str; 6] = ["", "a", "a/", "a/b", "b/", "a/b/c"];
    const TAGS: [(&str, &str); 4] = [("env", "prod"), ("env", "dev"), ("team", "x"), ("pii", "y")];
    let prefix = PREFIXES[rng.next(if varied { PREFIXES.len() } else { 2 })];
    let tags: Vec<Tag> = (0..rng.next(if varied { 3 } else { 2 }))
        .map(|_| {
            let (k, v) = TAGS[rng.next(TAGS.len())];
            tag(k, v)
        })
        .collect();
    let not = match rng.next(if varied { 5 } else { 50 }) {
        0 => Some(Not {
            prefix: Some(Val::new(
                PREFIXES[1 + rng.next(PREFIXES.len() - 1)].to_string(),
            )),
            ..Not::default()
        }),
        1 => {
            let (k, v) = TAGS[rng.next(TAGS.len())];
            Some(Not {
                tag: Some(tag(k, v)),
                ..Not::default()
            })
        }
        _ => None,
    };
    let filter = if tags.is_empty() && not.is_none() {
        Filter {
            prefix: Some(Val::new(prefix.to_string())),
            ..Filter::default()
        }
    } else {
        Filter {
            and: Some(Box::new(And {
                prefix: Some(Val::new(prefix.to_string())),
                tags,
                not: not.map(Box::new),
                ..And::default()
            })),
            ..Filter::default()
        }
    };
    let mut rule = rule_with(i, ["x", "y"][rng.next(2)], filter);
    rule.priority = Some(Val::new(rng.next(40) as i64));
    let enabled = |on: bool| StatusBlock {
        status: Some(Val::new(
            if on { "Enabled" } else { "Disabled" }.to_string(),
        )),
        ..StatusBlock::default()
    };
    if rng.next(2) == 0 {
        rule.source_selection_criteria = Some(SourceSelectionCriteria {
            sse_kms_encrypted_objects: Some(enabled(true)),
            replica_modifications: Some(enabled(rng.next(2) == 0)),
            ..SourceSelectionCriteria::default()
        });
    }
    rule.delete_marker_replication = Some(enabled(rng.next(3) == 0));
    if let Some(d) = rule.destination.as_mut() {
        d.storage_class = [None, Some(Val::new("GLACIER".to_string()))][rng.next(2)].clone();
        if rng.next(2) == 0 {
            d.encryption_configuration = Some(EncryptionConfiguration {
                replica_kms_key_id: Some(Val::new(format!("key-{}", rng.next(3)))),
                ..EncryptionConfiguration::default()
            });
        }
    }
    rule
}

#[test]
fn grouped_analysis_agrees_with_pairwise_comparison() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut shadowed, mut conflicts, mut governed) = (0, 0, 0);
    for round in 0..300 {
        let varied = round % 2 == 0;
        let n = 1 + rng.next(if varied { 60 } else { 150 });
        let document = Document {
            rules: (0..n).map(|i| random_rule(&mut rng, i, varied)).collect(),
            ..Document::default()
        };
        let analysis = super::overlap::analyze(&document);
        assert!(!analysis.limited);
        assert_eq!(
            analysis.findings,
            super::overlap::analyze_pairwise(&document),
            "round {round}"
        );
        for f in &analysis.findings {
            shadowed += usize::from(f.shadowed_by.is_some());
            conflicts += f.conflicts;
            governed += f.governed;
        }
    }
    // The documents exercise every kind of finding.
    assert!(shadowed > 100 && conflicts > 100 && governed > 100);
}
