//! Cross-rule checks on whole documents, and the pair limit.

use crate::context::{DeploymentContext, Resolved};
use crate::model::{Destination, Document, Filter, Rule, Val};
use crate::rules::kms::tests::{codes, run};
use crate::rules::RuleContext;

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

#[test]
fn pair_limit_reports_once() {
    let rules: Vec<Rule> = (0..700)
        .map(|i| Rule {
            id: Some(Val::new(format!("r{i}"))),
            priority: Some(Val::new(i)),
            status: Some(Val::new("Enabled".to_string())),
            filter: Some(Filter::default()),
            destination: Some(Destination {
                bucket: Some(Val::new("arn:aws:s3:::dst".to_string())),
                ..Destination::default()
            }),
            ..Rule::default()
        })
        .collect();
    let document = Document {
        rules,
        ..Document::default()
    };
    let resolved = Resolved::new(&DeploymentContext::default(), &document);
    let mut cx = RuleContext::new(&document, "", &resolved);
    if let Some(check) = super::overlap::OVERLAP.check {
        check(&mut cx);
    }
    let (found, _) = cx.into_parts();
    assert_eq!(found.iter().filter(|d| d.code == "S3R505").count(), 1);
}
