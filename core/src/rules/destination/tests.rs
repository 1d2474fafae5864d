//! Fixes of the destination rules: applied to the original text, the finding is gone and the
//! document still parses, in XML and JSON.

use crate::diagnostic::apply_edits;
use crate::rules::kms::tests::{codes, run};

fn xml(dest: &str) -> String {
    format!(
        "<ReplicationConfiguration>\n  <Role>arn:aws:iam::111122223333:role/r</Role>\n  <Rule>\n    <ID>r</ID>\n    <Status>Enabled</Status>\n    <Priority>1</Priority>\n    <Filter/>\n    <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>\n    <Destination>\n      <Bucket>{}</Bucket>\n{dest}\n    </Destination>\n  </Rule>\n</ReplicationConfiguration>\n",
        "arn:aws:s3:::acme-replica"
    )
}

fn json(dest: &str) -> String {
    format!(
        "{{\n  \"Role\": \"arn:aws:iam::111122223333:role/r\",\n  \"Rules\": [\n    {{\n      \"ID\": \"r\",\n      \"Status\": \"Enabled\",\n      \"Priority\": 1,\n      \"Filter\": {{}},\n      \"DeleteMarkerReplication\": {{\"Status\": \"Disabled\"}},\n      \"Destination\": {{\n        \"Bucket\": \"arn:aws:s3:::acme-replica\"{dest}\n      }}\n    }}\n  ]\n}}\n"
    )
}

fn assert_fixes(text: &str, ctx: &str, code: &str) {
    let r = run(text, ctx);
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("{code} not reported: {:?}\n{text}", codes(&r)));
    let fix = d
        .fix
        .as_ref()
        .unwrap_or_else(|| panic!("{code} has no fix"));
    let fixed = apply_edits(text, &fix.edits);
    let again = run(&fixed, ctx);
    let left = codes(&again);
    assert!(
        !left.contains(&code),
        "{code} still reported after fix:\n{fixed}"
    );
    assert!(
        !left.iter().any(|c| c.starts_with("S3R0")),
        "fix broke the syntax: {left:?}\n{fixed}"
    );
}

const CTX: &str = r#"{"destinations": {"acme-replica": {"account": "444455556666"}}}"#;

#[test]
fn xml_fixes() {
    let rtc = "      <ReplicationTime><Status>Enabled</Status><Time><Minutes>15</Minutes></Time></ReplicationTime>";
    assert_fixes(&xml(rtc), "", "S3R316");
    assert_fixes(
        &xml(&format!(
            "{rtc}\n      <Metrics><Status>Enabled</Status></Metrics>"
        )),
        "",
        "S3R319",
    );
    assert_fixes(&xml(&format!("{rtc}\n      <Metrics><Status>Disabled</Status><EventThreshold><Minutes>15</Minutes></EventThreshold></Metrics>")), "", "S3R317");
    assert_fixes(&xml("      <ReplicationTime><Status>Enabled</Status><Time><Minutes>30</Minutes></Time></ReplicationTime>\n      <Metrics><Status>Enabled</Status><EventThreshold><Minutes>15</Minutes></EventThreshold></Metrics>"), "", "S3R318");
    assert_fixes(
        &xml(
            "      <AccessControlTranslation><Owner>Destination</Owner></AccessControlTranslation>",
        ),
        CTX,
        "S3R309",
    );
    assert_fixes(&xml("      <Account>444455556666</Account>\n      <AccessControlTranslation><Owner>destination</Owner></AccessControlTranslation>"), CTX, "S3R310");
    assert_fixes(
        &xml("      <Account>4444-5555-6666</Account>"),
        "",
        "S3R306",
    );
    assert_fixes(&xml("      <Account>111122223333</Account>"), CTX, "S3R307");
    assert_fixes(
        &xml("      <StorageClass>Standard-IA</StorageClass>"),
        "",
        "S3R314",
    );
    assert_fixes(
        &xml("").replace("arn:aws:s3:::acme-replica", "acme-replica"),
        "",
        "S3R300",
    );
    assert_fixes(
        &xml("").replace("arn:aws:s3:::acme-replica", "arn:aws:s3:::acme-replica/*"),
        "",
        "S3R300",
    );
}

#[test]
fn json_fixes() {
    let rtc =
        ",\n        \"ReplicationTime\": {\"Status\": \"Enabled\", \"Time\": {\"Minutes\": 15}}";
    assert_fixes(&json(rtc), "", "S3R316");
    assert_fixes(
        &json(&format!(
            "{rtc},\n        \"Metrics\": {{\"Status\": \"Enabled\"}}"
        )),
        "",
        "S3R319",
    );
    assert_fixes(
        &json(",\n        \"AccessControlTranslation\": {\"Owner\": \"Destination\"}"),
        CTX,
        "S3R309",
    );
    assert_fixes(
        &json(",\n        \"StorageClass\": \"glacier\""),
        "",
        "S3R314",
    );
    assert_fixes(
        &json(",\n        \"Account\": \"4444 5555 6666\""),
        "",
        "S3R306",
    );
    assert_fixes(
        &json("").replace("arn:aws:s3:::acme-replica", "s3://acme-replica"),
        "",
        "S3R300",
    );
}

/// An override without Account in a same-account setup: the one fix removes the override,
/// and no S3R311 ("remove the override") follows it.
#[test]
fn same_account_override_fix_settles_both_findings() {
    let same = r#"{"destinations": {"acme-replica": {"account": "111122223333"}}}"#;
    for text in [
        xml(
            "      <AccessControlTranslation><Owner>Destination</Owner></AccessControlTranslation>",
        ),
        json(",\n        \"AccessControlTranslation\": {\"Owner\": \"Destination\"}"),
    ] {
        let r = run(&text, same);
        let d = r.diagnostics.iter().find(|d| d.code == "S3R309").unwrap();
        let fix = d.fix.as_ref().expect("a fix");
        assert_eq!(fix.title, "Remove AccessControlTranslation");
        let fixed = apply_edits(&text, &fix.edits);
        assert!(!fixed.contains("AccessControlTranslation"), "{fixed}");
        let left = codes(&run(&fixed, same));
        assert!(
            !left
                .iter()
                .any(|c| ["S3R309", "S3R311"].contains(c) || c.starts_with("S3R0")),
            "{left:?}\n{fixed}"
        );
    }
}

/// An inserted block is laid out like its surroundings: its own line, members one level in.
#[test]
fn inserted_blocks_are_indented_like_their_siblings() {
    let text = xml("      <ReplicationTime><Status>Enabled</Status><Time><Minutes>15</Minutes></Time></ReplicationTime>");
    let r = run(&text, "");
    let d = r.diagnostics.iter().find(|d| d.code == "S3R316").unwrap();
    let fixed = apply_edits(&text, &d.fix.as_ref().unwrap().edits);
    assert!(
        fixed.contains("</ReplicationTime>\n      <Metrics>\n        <Status>Enabled</Status>\n        <EventThreshold>\n          <Minutes>15</Minutes>\n        </EventThreshold>\n      </Metrics>\n"),
        "{fixed}"
    );
}
