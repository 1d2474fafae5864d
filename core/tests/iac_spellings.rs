//! The CloudFormation and Terraform front ends read every member the schema spells for them:
//! for each such member, a template or module with it (and the members it needs) deploys a
//! document that has it, and nothing is reported as unknown. A front end that keeps its own
//! name table, and misses a member added to the schema's column, fails here.
#![cfg(feature = "iac")]

use s3_replication_lint::iac::{check_files, deployed_document, InputKind, SourceFile};
use s3_replication_lint::schema::{self, Field, Kind, Shape};
use s3_replication_lint::syntax::{Content, Node};
use s3_replication_lint::DeploymentContext;

/// A member as a path of positions from the root.
type Path = Vec<(&'static Shape, usize)>;

/// Every member spelled in `column`, reached through members spelled there.
fn members(column: fn(&Field) -> &'static str) -> Vec<Path> {
    fn walk(
        shape: &'static Shape,
        path: &mut Path,
        column: fn(&Field) -> &'static str,
        out: &mut Vec<Path>,
    ) {
        for (i, f) in shape.fields.iter().enumerate() {
            if column(f) == schema::ABSENT {
                continue;
            }
            path.push((shape, i));
            out.push(path.clone());
            if let Kind::Struct(s) = f.kind {
                // `Metrics` and `ReplicationTime` share `Minutes`; no shape nests itself.
                walk(s, path, column, out);
            }
            path.pop();
        }
    }
    let mut out = Vec::new();
    walk(&schema::ROOT, &mut Vec::new(), column, &mut out);
    out
}

/// Whether `shape`'s member `i` is written in a document that must reach `target`: the next
/// step of the path, a required member, or a rule's `Filter` (a V2 rule, so that `Priority`
/// is sent) unless the target is the rule-level `Prefix` (V1).
fn wanted(
    shape: &'static Shape,
    i: usize,
    rest: &[(&'static Shape, usize)],
    target: &Path,
) -> bool {
    let f = &shape.fields[i];
    let on_path = rest
        .first()
        .is_some_and(|(s, k)| std::ptr::eq(*s, shape) && *k == i);
    let v1 = target
        .last()
        .is_some_and(|(s, k)| std::ptr::eq(*s, &schema::RULE) && *k == schema::rule::PREFIX);
    on_path
        || f.required
        || (std::ptr::eq(shape, &schema::RULE) && i == schema::rule::FILTER && !v1)
}

fn scalar(kind: &Kind) -> String {
    match kind {
        Kind::Enum(values) => format!("\"{}\"", values.first().copied().unwrap_or("")),
        Kind::Integer => "1".to_string(),
        _ => "\"x\"".to_string(),
    }
}

/// The rest of the path below member `i` of `shape` (empty when the path leaves it).
fn below<'p>(
    shape: &'static Shape,
    i: usize,
    rest: &'p [(&'static Shape, usize)],
) -> &'p [(&'static Shape, usize)] {
    match rest.first() {
        Some((s, k)) if std::ptr::eq(*s, shape) && *k == i => &rest[1..],
        _ => &[],
    }
}

/// CloudFormation: objects and lists, as JSON.
fn cfn_object(shape: &'static Shape, rest: &[(&'static Shape, usize)], target: &Path) -> String {
    let mut members = Vec::new();
    for (i, f) in shape.fields.iter().enumerate() {
        if f.cfn == schema::ABSENT || !wanted(shape, i, rest, target) {
            continue;
        }
        let value = match f.kind {
            Kind::Struct(s) => cfn_object(s, below(shape, i, rest), target),
            ref k => scalar(k),
        };
        let value = if f.list { format!("[{value}]") } else { value };
        members.push(format!("\"{}\": {value}", f.cfn));
    }
    format!("{{{}}}", members.join(", "))
}

fn cfn_template(target: &Path) -> String {
    format!(
        r#"{{"Resources": {{"Source": {{"Type": "AWS::S3::Bucket", "Properties": {{"BucketName": "source", "VersioningConfiguration": {{"Status": "Enabled"}}, "ReplicationConfiguration": {}}}}}}}}}"#,
        cfn_object(&schema::ROOT, target, target)
    )
}

/// Terraform: blocks and attributes. `And`'s `tags` is a map (where Terraform's shape
/// differs from the API's list of `Tag`s).
fn tf_body(shape: &'static Shape, rest: &[(&'static Shape, usize)], target: &Path) -> String {
    let mut out = String::new();
    for (i, f) in shape.fields.iter().enumerate() {
        if f.tf == schema::ABSENT || !wanted(shape, i, rest, target) {
            continue;
        }
        if std::ptr::eq(shape, &schema::AND) && i == schema::and::TAGS {
            out.push_str("tags = { k = \"v\" }\n");
            continue;
        }
        match f.kind {
            Kind::Struct(s) => out.push_str(&format!(
                "{} {{\n{}}}\n",
                f.tf,
                tf_body(s, below(shape, i, rest), target)
            )),
            ref k => out.push_str(&format!("{} = {}\n", f.tf, scalar(k))),
        }
    }
    out
}

fn tf_module(target: &Path) -> String {
    format!(
        "resource \"aws_s3_bucket_replication_configuration\" \"main\" {{\nbucket = \"source\"\n{}}}\n",
        tf_body(&schema::ROOT, target, target)
    )
}

/// The member at `path` in a JSON syntax tree (the first item of each list).
fn find<'n>(node: &'n Node<'n>, path: &Path) -> Option<&'n Node<'n>> {
    let mut node = node;
    for (shape, i) in path {
        let f = &shape.fields[*i];
        let Content::Object(members) = &node.content else {
            return None;
        };
        node = &members.iter().find(|m| m.name == f.json)?.value;
        if f.list {
            let Content::Array(items) = &node.content else {
                return None;
            };
            node = items.first()?;
        }
    }
    Some(node)
}

fn describe(path: &Path) -> String {
    path.iter()
        .map(|(s, i)| s.fields[*i].json)
        .collect::<Vec<_>>()
        .join("/")
}

fn assert_reads_every_member(
    language: &str,
    kind: InputKind,
    file: &str,
    column: fn(&Field) -> &'static str,
    write: fn(&Path) -> String,
) {
    let all = members(column);
    assert!(all.len() > 25, "{language}: {} members", all.len());
    for target in &all {
        let text = write(target);
        let files = [SourceFile {
            path: file.to_string(),
            text: text.clone(),
        }];
        let report = check_files(&files, Some(kind), &DeploymentContext::default());
        let what = format!("{language}: {}\n{text}", describe(target));
        let unknown: Vec<_> = report
            .files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .chain(report.configurations.iter().flat_map(|c| &c.diagnostics))
            .filter(|d| d.code == "S3R002")
            .collect();
        assert!(unknown.is_empty(), "{what}\n{unknown:#?}");
        assert_eq!(report.configurations.len(), 1, "{what}");
        let doc = deployed_document(&report.configurations[0]).expect(&what);
        let json = s3_replication_lint::serialize::to_json(&doc);
        let (tree, _) = s3_replication_lint::parse::json::parse_tree(&json);
        let tree = tree.expect("the serializer writes JSON");
        assert!(find(&tree, target).is_some(), "{what}\ndeploys:\n{json}");
    }
}

#[test]
fn cloudformation_reads_every_member_of_its_column() {
    assert_reads_every_member(
        "CloudFormation",
        InputKind::CloudFormation,
        "template.json",
        |f| f.cfn,
        cfn_template,
    );
}

#[test]
fn terraform_reads_every_member_of_its_column() {
    assert_reads_every_member(
        "Terraform",
        InputKind::Terraform,
        "main.tf",
        |f| f.tf,
        tf_module,
    );
}
