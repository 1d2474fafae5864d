//! CloudFormation, Terraform and plan input: realistic modules, twins of the API fixtures,
//! unknown values never turning into errors, and hostile input.
#![cfg(feature = "iac")]

use s3_replication_lint::iac::{check_files, ConfigurationReport, InputKind, SourceFile};
use s3_replication_lint::syntax::{Content, Node};
use s3_replication_lint::{DeploymentContext, Severity};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

fn file(path: &Path) -> SourceFile {
    SourceFile {
        path: path.file_name().unwrap().to_string_lossy().to_string(),
        text: std::fs::read_to_string(path).unwrap(),
    }
}

fn module(dir: &str) -> Vec<SourceFile> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "tf"))
        .collect();
    paths.sort();
    paths.iter().map(|p| file(p)).collect()
}

fn find<'r>(c: &'r ConfigurationReport, code: &str) -> Vec<&'r s3_replication_lint::Diagnostic> {
    c.diagnostics.iter().filter(|d| d.code == code).collect()
}

fn line_of(text: &str, needle: &str) -> u32 {
    text.lines().position(|l| l.contains(needle)).expect(needle) as u32 + 1
}

#[test]
fn terraform_cross_account_module_infers_its_context() {
    let files = module("iac/terraform-cross-account");
    let report = check_files(&files, None, &DeploymentContext::default());
    assert_eq!(report.configurations.len(), 1);
    let c = &report.configurations[0];
    assert_eq!(c.address, "aws_s3_bucket_replication_configuration.main");
    assert_eq!(c.file, "main.tf");
    let main = &files.iter().find(|f| f.path == "main.tf").unwrap().text;
    // The replica key is a key of this module in the source Region: the Region check runs
    // without any context, on the line of `replica_kms_key_id`.
    let region = find(c, "S3R405");
    assert_eq!(region.len(), 1, "{:#?}", c.diagnostics);
    assert_eq!(region[0].severity, Severity::Error);
    assert_eq!(
        region[0].range.start.line,
        line_of(main, "replica_kms_key_id")
    );
    assert!(region[0].message.contains("eu-west-1") && region[0].message.contains("eu-central-1"));
    assert!(region[0]
        .path
        .ends_with("rule[0].destination.encryption_configuration.replica_kms_key_id"));
    // Two V2 rules without `priority`: the provider sends 0 for both.
    let dup = find(c, "S3R211");
    assert_eq!(dup.len(), 1);
    assert_eq!(
        dup[0].range.start.line,
        line_of(main, "id     = \"logs\"") - 1
    );
    // `var.replica_account` has no default: not verified, never an error.
    assert!(c.diagnostics.iter().any(|d| d.code == "S3R600"
        && d.help
            .as_deref()
            .is_some_and(|h| h.contains("var.replica_account"))));
    assert!(!c.diagnostics.iter().any(|d| d.code == "S3R306"));
    // Facts, each with its source line.
    let fact = |f: &str| {
        c.facts
            .iter()
            .find(|x| x.field == f)
            .unwrap_or_else(|| panic!("{f}: {:#?}", c.facts))
    };
    assert_eq!(fact("sourceRegion").value, "eu-west-1");
    assert_eq!(fact("sourceRegion").file, "providers.tf");
    assert_eq!(
        fact("destinations.acme-logs-replica.region").value,
        "eu-central-1"
    );
    assert_eq!(
        fact("destinations.acme-logs-replica.account").value,
        "444455556666"
    );
    assert_eq!(fact("sourceVersioning").value, "Enabled");
    assert_eq!(fact("sourceBucketKeys").value, "true");
    assert_eq!(c.context.source_bucket.as_deref(), Some("acme-logs-source"));
}

#[test]
fn an_explicit_context_wins_over_the_code() {
    let files = module("iac/terraform-cross-account");
    let mut given = DeploymentContext::default();
    given.destinations.insert(
        "acme-logs-replica".into(),
        s3_replication_lint::context::DestinationContext {
            region: Some("eu-west-1".into()),
            ..Default::default()
        },
    );
    let report = check_files(&files, None, &given);
    let c = &report.configurations[0];
    assert!(find(c, "S3R405").is_empty(), "{:#?}", c.diagnostics);
    assert_eq!(c.context.source_region.as_deref(), Some("eu-west-1"));
}

#[test]
fn cloudformation_template_with_parameters_and_getatt() {
    let path = root().join("iac/cloudformation/cross-region.yaml");
    let f = file(&path);
    let given = DeploymentContext {
        partition: Some("aws".into()),
        source_region: Some("us-west-2".into()),
        ..Default::default()
    };
    let report = check_files(std::slice::from_ref(&f), None, &given);
    assert_eq!(report.configurations.len(), 1);
    let c = &report.configurations[0];
    assert_eq!(c.kind, InputKind::CloudFormation);
    // `ID` is the API's spelling; CloudFormation's is `Id`.
    let unknown = find(c, "S3R002");
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0].range.start.line, line_of(&f.text, "- ID: logs"));
    assert!(unknown[0].help.as_deref().unwrap_or("").contains("`Id`"));
    // The Other bucket of the template has no versioning.
    let versioning = find(c, "S3R322");
    assert_eq!(versioning.len(), 1, "{:#?}", c.diagnostics);
    assert_eq!(
        versioning[0].range.start.line,
        line_of(&f.text, "Bucket: !GetAtt Other.Arn")
    );
    // Tag filter without DeleteMarkerReplication.
    assert_eq!(find(c, "S3R204").len(), 1);
    // `!Sub` over a parameter default and a pseudo parameter from the context resolves.
    let doc = c.document.as_ref().unwrap();
    assert_eq!(
        doc.rules[0]
            .destination
            .as_ref()
            .unwrap()
            .bucket
            .as_ref()
            .unwrap()
            .as_str(),
        "arn:aws:s3:::acme-replica"
    );
    // `!If` on a condition over a parameter default resolves.
    assert_eq!(doc.rules[0].status.as_ref().unwrap().as_str(), "Enabled");
    // The role is `!GetAtt` of a role without a name: unknown, never an error.
    assert!(!c
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error && d.path.ends_with(".Role")));
}

#[test]
fn cloudformation_json_twin_matches_the_yaml() {
    let yaml = file(&root().join("iac/cloudformation/cross-region.yaml"));
    let mut diags = Vec::new();
    let tree = s3_replication_lint::iac::yaml::parse(&yaml.text, &mut diags).unwrap();
    let json = SourceFile {
        path: "t.json".into(),
        text: to_json(&tree, 0),
    };
    let a = check_files(
        std::slice::from_ref(&yaml),
        None,
        &DeploymentContext::default(),
    );
    let b = check_files(
        std::slice::from_ref(&json),
        None,
        &DeploymentContext::default(),
    );
    let codes = |r: &s3_replication_lint::iac::IacReport| {
        let mut v: Vec<(&str, String)> = r.configurations[0]
            .diagnostics
            .iter()
            .map(|d| (d.code, d.path.clone()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(codes(&a), codes(&b));
}

/// The tree as JSON text, one member per line (short intrinsics in their long form).
fn to_json(node: &Node<'_>, depth: usize) -> String {
    let pad = "  ".repeat(depth + 1);
    match &node.content {
        Content::Text(t) => serde_json::to_string(t.as_ref()).unwrap(),
        Content::Number(n) => n.to_string(),
        Content::Bool(b) => b.to_string(),
        Content::Null => "null".into(),
        Content::Array(items) => {
            let inner: Vec<String> = items
                .iter()
                .map(|i| format!("{pad}{}", to_json(i, depth + 1)))
                .collect();
            format!("[\n{}\n{}]", inner.join(",\n"), "  ".repeat(depth))
        }
        Content::Object(ms) => {
            let inner: Vec<String> = ms
                .iter()
                .map(|m| {
                    format!(
                        "{pad}{}: {}",
                        serde_json::to_string(m.name.as_ref()).unwrap(),
                        to_json(&m.value, depth + 1)
                    )
                })
                .collect();
            format!("{{\n{}\n{}}}", inner.join(",\n"), "  ".repeat(depth))
        }
        Content::Subtree { .. } => "null".into(),
    }
}

/// An API document (JSON) as a CloudFormation YAML template, one member per line, with the
/// lines (first, last) of every API path. `None` when the document holds a member
/// CloudFormation lacks.
/// An API path with the first and last line of its member in the twin.
type Lines = Vec<(String, u32, u32)>;

fn cfn_twin(doc: &Node<'_>) -> Option<(String, Lines)> {
    let mut w = Twin {
        out: String::from("Resources:\n  Source:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: src\n      VersioningConfiguration:\n        Status: Enabled\n      ReplicationConfiguration:\n"),
        line: 8,
        lines: Vec::new(),
    };
    w.emit(doc, &s3_replication_lint::schema::ROOT, 4, "")?;
    Some((w.out, w.lines))
}

struct Twin {
    out: String,
    /// Lines written so far.
    line: u32,
    lines: Lines,
}

impl Twin {
    fn push(&mut self, s: String) {
        self.out.push_str(&s);
        self.out.push('\n');
        self.line += 1;
    }

    fn emit(
        &mut self,
        node: &Node<'_>,
        shape: &s3_replication_lint::schema::Shape,
        indent: usize,
        path: &str,
    ) -> Option<()> {
        use s3_replication_lint::schema::Kind;
        let Content::Object(ms) = &node.content else {
            return None;
        };
        for m in ms {
            let f = shape.fields.iter().find(|f| f.json == m.name)?;
            if f.cfn.is_empty() {
                return None;
            }
            let p = format!("{path}/{}", f.json);
            let pad = "  ".repeat(indent);
            let first = self.line + 1;
            match (&f.kind, &m.value.content) {
                (Kind::Struct(_), Content::Array(items)) if f.list && items.is_empty() => {
                    self.push(format!("{pad}{}: []", f.cfn))
                }
                (Kind::Struct(s), Content::Array(items)) if f.list => {
                    self.push(format!("{pad}{}:", f.cfn));
                    for (i, item) in items.iter().enumerate() {
                        let start = self.line + 1;
                        self.push(format!("{pad}  -"));
                        self.emit(item, s, indent + 2, &format!("{p}/{i}"))?;
                        self.lines.push((format!("{p}/{i}"), start, self.line));
                    }
                }
                (Kind::Struct(_), Content::Object(inner)) if inner.is_empty() => {
                    self.push(format!("{pad}{}: {{}}", f.cfn))
                }
                (Kind::Struct(s), Content::Object(_)) => {
                    self.push(format!("{pad}{}:", f.cfn));
                    self.emit(&m.value, s, indent + 1, &p)?;
                }
                (_, Content::Text(t)) => self.push(format!(
                    "{pad}{}: {}",
                    f.cfn,
                    serde_json::to_string(t.as_ref()).unwrap()
                )),
                (_, Content::Number(n)) => self.push(format!("{pad}{}: {n}", f.cfn)),
                _ => return None,
            }
            self.lines.push((p, first, self.line));
        }
        Some(())
    }
}

fn api_fixtures() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let dir = root().join("rules");
    let mut codes: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    codes.sort();
    for d in codes {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            // Small documents only: the twins are built and mutated line by line.
            let small = std::fs::metadata(&p).is_ok_and(|m| m.len() < 16 * 1024);
            if small
                && name.ends_with(".json")
                && !name.starts_with("context")
                && !d.join("context.json").exists()
            {
                out.push((
                    format!("{}/{name}", d.file_name().unwrap().to_string_lossy()),
                    std::fs::read_to_string(&p).unwrap(),
                ));
            }
        }
    }
    out
}

fn parse_json(text: &str) -> Option<Node<'_>> {
    let (node, diags) = s3_replication_lint::parse::json::parse_tree(text);
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return None;
    }
    node
}

type TwinOf = (String, Lines, InputKind, &'static str);

/// The twins of one API document: CloudFormation YAML and JSON, Terraform, where each can
/// express it.
fn twins(doc: &Node<'_>) -> Vec<TwinOf> {
    let mut out = Vec::new();
    if let Some((t, l)) = cfn_twin(doc) {
        out.push((t, l, InputKind::CloudFormation, "twin.yaml"));
    }
    if let Some((t, l)) = cfn_json_twin(doc) {
        out.push((t, l, InputKind::CloudFormation, "twin.json"));
    }
    if let Some((t, l)) = tf_twin(doc) {
        out.push((t, l, InputKind::Terraform, "twin.tf"));
    }
    out
}

/// For every API fixture with an error, each twin reports the same error codes, each on a
/// line of the twin that holds the member the API diagnostic names.
#[test]
fn twins_report_the_same_errors_on_the_right_lines() {
    let mut compared = [0usize; 3];
    let mut failures = Vec::new();
    for (name, text) in api_fixtures() {
        let Some(tree) = parse_json(&text) else {
            continue;
        };
        let api = s3_replication_lint::check(&text, &Default::default());
        // CloudFormation and Terraform coerce scalar types (`"1"` is a fine Priority there):
        // a document with the API's wrong-type finding (S3R004) has no exact twin.
        if api.diagnostics.iter().any(|d| d.code == "S3R004") {
            continue;
        }
        for (twin, lines, kind, file) in twins(&tree) {
            let files = [SourceFile {
                path: file.into(),
                text: twin.clone(),
            }];
            let report = check_files(&files, Some(kind), &DeploymentContext::default());
            let Some(c) = report.configurations.first() else {
                failures.push(format!("{name} ({file}): no configuration in the twin"));
                continue;
            };
            compared[match file {
                "twin.yaml" => 0,
                "twin.json" => 1,
                _ => 2,
            }] += 1;
            for d in api
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
            {
                let twin_d: Vec<_> = c.diagnostics.iter().filter(|x| x.code == d.code).collect();
                if twin_d.is_empty() {
                    failures.push(format!(
                        "{name} ({file}): {} missing in the twin\n{twin}",
                        d.code
                    ));
                    continue;
                }
                // On a line of the member the API diagnostic names (its first to last line).
                let want = lines
                    .iter()
                    .filter(|(p, ..)| d.path.starts_with(p.as_str()))
                    .max_by_key(|(p, ..)| p.len())
                    .map(|(_, a, b)| (*a, *b));
                if let Some((first, last)) = want {
                    if !twin_d
                        .iter()
                        .any(|x| (first..=last).contains(&x.range.start.line))
                    {
                        failures.push(format!(
                            "{name} ({file}): {} at line {:?}, expected {first}..={last} ({})\n{twin}",
                            d.code,
                            twin_d.iter().map(|x| x.range.start.line).collect::<Vec<_>>(),
                            d.path
                        ));
                    }
                }
            }
        }
    }
    assert!(
        compared.iter().all(|&n| n > 30),
        "too few twins: {compared:?}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The same template as JSON, one member per line.
fn cfn_json_twin(doc: &Node<'_>) -> Option<(String, Lines)> {
    let mut w = JsonTwin::default();
    for l in [
        "{",
        "  \"Resources\": {",
        "    \"Source\": {",
        "      \"Type\": \"AWS::S3::Bucket\",",
        "      \"Properties\": {",
        "        \"BucketName\": \"src\",",
        "        \"VersioningConfiguration\": { \"Status\": \"Enabled\" },",
        "        \"ReplicationConfiguration\": {",
    ] {
        w.lines.push(l.to_string());
    }
    w.object(doc, &s3_replication_lint::schema::ROOT, 5, "")?;
    for l in ["        }", "      }", "    }", "  }", "}"] {
        w.lines.push(l.to_string());
    }
    Some((w.lines.join("\n") + "\n", w.map))
}

#[derive(Default)]
struct JsonTwin {
    lines: Vec<String>,
    map: Lines,
}

impl JsonTwin {
    fn line(&self) -> u32 {
        self.lines.len() as u32
    }

    /// The members of `node`, one per line, commas between them.
    fn object(
        &mut self,
        node: &Node<'_>,
        shape: &s3_replication_lint::schema::Shape,
        indent: usize,
        path: &str,
    ) -> Option<()> {
        use s3_replication_lint::schema::Kind;
        let Content::Object(ms) = &node.content else {
            return None;
        };
        let pad = "  ".repeat(indent);
        for (i, m) in ms.iter().enumerate() {
            let f = shape.fields.iter().find(|f| f.json == m.name)?;
            if f.cfn.is_empty() {
                return None;
            }
            let p = format!("{path}/{}", f.json);
            let first = self.line() + 1;
            let key = serde_json::to_string(f.cfn).ok()?;
            match (&f.kind, &m.value.content) {
                (Kind::Struct(s), Content::Array(items)) if f.list => {
                    self.lines.push(format!("{pad}{key}: ["));
                    for (k, item) in items.iter().enumerate() {
                        let start = self.line() + 1;
                        self.lines.push(format!("{pad}  {{"));
                        self.object(item, s, indent + 2, &format!("{p}/{k}"))?;
                        self.lines.push(format!(
                            "{pad}  }}{}",
                            if k + 1 < items.len() { "," } else { "" }
                        ));
                        self.map.push((format!("{p}/{k}"), start, self.line()));
                    }
                    self.lines.push(format!("{pad}]"));
                }
                (Kind::Struct(s), Content::Object(_)) => {
                    self.lines.push(format!("{pad}{key}: {{"));
                    self.object(&m.value, s, indent + 1, &p)?;
                    self.lines.push(format!("{pad}}}"));
                }
                (_, Content::Text(t)) => self.lines.push(format!(
                    "{pad}{key}: {}",
                    serde_json::to_string(t.as_ref()).ok()?
                )),
                (_, Content::Number(n)) => self.lines.push(format!("{pad}{key}: {n}")),
                _ => return None,
            }
            if i + 1 < ms.len() {
                if let Some(last) = self.lines.last_mut() {
                    last.push(',');
                }
            }
            self.map.push((p, first, self.line()));
        }
        Some(())
    }
}

/// The document as a Terraform module whose provider translation sends exactly it; `None`
/// where the provider cannot send it (a V1 rule with a priority or without a prefix, several
/// filter members, `Not`/`Or`, an empty ID, ...).
fn tf_twin(doc: &Node<'_>) -> Option<(String, Lines)> {
    let mut w = HclTwin {
        lines: vec![
            "resource \"aws_s3_bucket\" \"src\" {".into(),
            "  bucket = \"src\"".into(),
            "}".into(),
            "resource \"aws_s3_bucket_versioning\" \"src\" {".into(),
            "  bucket = aws_s3_bucket.src.id".into(),
            "  versioning_configuration {".into(),
            "    status = \"Enabled\"".into(),
            "  }".into(),
            "}".into(),
            "resource \"aws_s3_bucket_replication_configuration\" \"twin\" {".into(),
            "  bucket = aws_s3_bucket.src.id".into(),
        ],
        map: Vec::new(),
    };
    let Content::Object(ms) = &doc.content else {
        return None;
    };
    for m in ms {
        match (m.name.as_ref(), &m.value.content) {
            ("Role", Content::Text(t)) => {
                let first = w.line() + 1;
                w.lines.push(format!("  role = {}", hcl_string(t)?));
                w.map.push(("/Role".into(), first, w.line()));
            }
            ("Rules", Content::Array(rules)) => {
                let first = w.line() + 1;
                for (i, r) in rules.iter().enumerate() {
                    let start = w.line() + 1;
                    w.rule(r, &format!("/Rules/{i}"))?;
                    w.map.push((format!("/Rules/{i}"), start, w.line()));
                }
                // No rule: the resource itself is the place to point at.
                let first = if rules.is_empty() { 10 } else { first };
                w.map.push(("/Rules".into(), first, w.line().max(first)));
            }
            _ => return None,
        }
    }
    w.lines.push("}".into());
    Some((w.lines.join("\n") + "\n", w.map))
}

fn hcl_string(t: &str) -> Option<String> {
    if t.contains("${") || t.contains("%{") {
        return None;
    }
    serde_json::to_string(t).ok()
}

struct HclTwin {
    lines: Vec<String>,
    map: Lines,
}

impl HclTwin {
    fn line(&self) -> u32 {
        self.lines.len() as u32
    }

    fn rule(&mut self, r: &Node<'_>, path: &str) -> Option<()> {
        let Content::Object(ms) = &r.content else {
            return None;
        };
        let has = |n: &str| ms.iter().any(|m| m.name == n);
        // HCL refuses a repeated attribute ("Attribute redefined").
        if ms
            .iter()
            .enumerate()
            .any(|(i, m)| ms[..i].iter().any(|x| x.name == m.name))
        {
            return None;
        }
        // The provider sends Priority only with a filter, and always a Prefix without one.
        if has("Priority") != has("Filter")
            || !has("Prefix") && !has("Filter")
            || has("Prefix") && has("Filter")
        {
            return None;
        }
        self.lines.push("  rule {".into());
        for m in ms {
            let p = format!("{path}/{}", m.name);
            let first = self.line() + 1;
            match (m.name.as_ref(), &m.value.content) {
                ("ID", Content::Text(t)) if !t.is_empty() => {
                    self.lines.push(format!("    id = {}", hcl_string(t)?))
                }
                ("Priority", Content::Number(n)) => self.lines.push(format!("    priority = {n}")),
                ("Prefix", Content::Text(t)) => {
                    self.lines.push(format!("    prefix = {}", hcl_string(t)?))
                }
                ("Status", Content::Text(t)) => {
                    self.lines.push(format!("    status = {}", hcl_string(t)?))
                }
                ("Filter", Content::Object(f)) => {
                    self.lines.push("    filter {".into());
                    match f.as_slice() {
                        [] => {}
                        [one] => self.filter_member(one, &p, 6)?,
                        _ => return None,
                    }
                    self.lines.push("    }".into());
                }
                (name, Content::Object(_)) => {
                    let shape = match name {
                        "DeleteMarkerReplication" => {
                            &s3_replication_lint::schema::OPTIONAL_STATUS_BLOCK
                        }
                        "ExistingObjectReplication" => &s3_replication_lint::schema::STATUS_BLOCK,
                        "SourceSelectionCriteria" => {
                            &s3_replication_lint::schema::SOURCE_SELECTION_CRITERIA
                        }
                        "Destination" => &s3_replication_lint::schema::DESTINATION,
                        _ => return None,
                    };
                    let f = s3_replication_lint::schema::RULE
                        .fields
                        .iter()
                        .find(|f| f.json == name)?;
                    self.block(f.tf, &m.value, shape, 4, &p)?;
                }
                _ => return None,
            }
            self.map.push((p, first, self.line()));
        }
        self.lines.push("  }".into());
        Some(())
    }

    fn filter_member(
        &mut self,
        m: &s3_replication_lint::syntax::Member<'_>,
        path: &str,
        indent: usize,
    ) -> Option<()> {
        let pad = " ".repeat(indent);
        let p = format!("{path}/{}", m.name);
        let first = self.line() + 1;
        match (m.name.as_ref(), &m.value.content) {
            ("Prefix", Content::Text(t)) => {
                self.lines.push(format!("{pad}prefix = {}", hcl_string(t)?))
            }
            ("Tag", Content::Object(_)) => self.block(
                "tag",
                &m.value,
                &s3_replication_lint::schema::TAG,
                indent,
                &p,
            )?,
            ("And", Content::Object(a)) => {
                self.lines.push(format!("{pad}and {{"));
                for x in a {
                    let xp = format!("{p}/{}", x.name);
                    let xfirst = self.line() + 1;
                    match (x.name.as_ref(), &x.value.content) {
                        // The provider omits an empty prefix.
                        ("Prefix", Content::Text(t)) if !t.is_empty() => self
                            .lines
                            .push(format!("{pad}  prefix = {}", hcl_string(t)?)),
                        ("Tags", Content::Array(tags)) if !tags.is_empty() => {
                            self.lines.push(format!("{pad}  tags = {{"));
                            let mut keys = Vec::new();
                            for (i, tag) in tags.iter().enumerate() {
                                let Content::Object(kv) = &tag.content else {
                                    return None;
                                };
                                let get = |n: &str| {
                                    kv.iter().find(|m| m.name == n).and_then(|m| {
                                        match &m.value.content {
                                            Content::Text(t) => Some(t.to_string()),
                                            _ => None,
                                        }
                                    })
                                };
                                let (k, v) = (get("Key")?, get("Value")?);
                                if kv.len() != 2 || keys.contains(&k) || k.starts_with("aws:") {
                                    return None; // a map holds each key once
                                }
                                let tfirst = self.line() + 1;
                                self.lines.push(format!(
                                    "{pad}    {} = {}",
                                    hcl_string(&k)?,
                                    hcl_string(&v)?
                                ));
                                self.map.push((format!("{xp}/{i}"), tfirst, self.line()));
                                keys.push(k);
                            }
                            self.lines.push(format!("{pad}  }}"));
                        }
                        _ => return None,
                    }
                    self.map.push((xp, xfirst, self.line()));
                }
                self.lines.push(format!("{pad}}}"));
            }
            _ => return None,
        }
        self.map.push((p, first, self.line()));
        Some(())
    }

    /// A block whose members map one to one onto `shape`.
    fn block(
        &mut self,
        name: &str,
        node: &Node<'_>,
        shape: &s3_replication_lint::schema::Shape,
        indent: usize,
        path: &str,
    ) -> Option<()> {
        use s3_replication_lint::schema::Kind;
        let Content::Object(ms) = &node.content else {
            return None;
        };
        if ms
            .iter()
            .enumerate()
            .any(|(i, m)| ms[..i].iter().any(|x| x.name == m.name))
        {
            return None;
        }
        let pad = " ".repeat(indent);
        self.lines.push(format!("{pad}{name} {{"));
        for m in ms {
            let f = shape.fields.iter().find(|f| f.json == m.name)?;
            if f.tf.is_empty() {
                return None;
            }
            let p = format!("{path}/{}", f.json);
            let first = self.line() + 1;
            match (&f.kind, &m.value.content) {
                (Kind::Struct(s), Content::Object(_)) => {
                    self.block(f.tf, &m.value, s, indent + 2, &p)?
                }
                (Kind::Integer, Content::Number(n)) => {
                    self.lines.push(format!("{pad}  {} = {n}", f.tf))
                }
                (Kind::String | Kind::Enum(_), Content::Text(t)) => {
                    self.lines
                        .push(format!("{pad}  {} = {}", f.tf, hcl_string(t)?))
                }
                _ => return None,
            }
            self.map.push((p, first, self.line()));
        }
        self.lines.push(format!("{pad}}}"));
        Some(())
    }
}

/// Replacing any one scalar of a valid configuration by a reference the template cannot
/// resolve never adds an error.
#[test]
fn unresolvable_references_never_add_errors() {
    let mut checked = 0;
    for (name, text) in api_fixtures() {
        let api = s3_replication_lint::check(&text, &Default::default());
        if api
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
        {
            continue;
        }
        let Some(tree) = parse_json(&text) else {
            continue;
        };
        let Some((twin, _)) = cfn_twin(&tree) else {
            continue;
        };
        let base = check_files(
            &[SourceFile {
                path: "t.yaml".into(),
                text: twin.clone(),
            }],
            Some(InputKind::CloudFormation),
            &DeploymentContext::default(),
        );
        let base_errors = base.configurations[0]
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let scalar_lines: Vec<usize> = twin
            .lines()
            .enumerate()
            .filter(|(i, l)| *i >= 8 && l.trim_end().contains(": ") && !l.trim_end().ends_with(':'))
            .map(|(i, _)| i)
            .collect();
        for i in scalar_lines {
            let mutated: String = twin
                .lines()
                .enumerate()
                .map(|(k, l)| {
                    if k == i {
                        let (key, _) = l.split_once(": ").unwrap();
                        format!("{key}: !Ref Unresolvable\n")
                    } else {
                        format!("{l}\n")
                    }
                })
                .collect();
            let r = check_files(
                &[SourceFile {
                    path: "t.yaml".into(),
                    text: mutated.clone(),
                }],
                Some(InputKind::CloudFormation),
                &DeploymentContext::default(),
            );
            let errors: Vec<_> = r.configurations[0]
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .collect();
            assert!(
                errors.len() <= base_errors,
                "{name} line {}: {errors:#?}\n{mutated}",
                i + 1
            );
            checked += 1;
        }
    }
    assert!(checked > 200, "{checked}");
}

#[test]
fn terraform_provider_translation() {
    let text = r#"
resource "aws_s3_bucket_replication_configuration" "r" {
  bucket = "src"
  role   = "arn:aws:iam::111122223333:role/r"
  rule {
    id       = "v1"
    status   = "Enabled"
    priority = 3
    destination { bucket = "arn:aws:s3:::dst" }
  }
  rule {
    status = "Enabled"
    filter {
      prefix = "a/"
      tag {
        key   = "k"
        value = "v"
      }
    }
    delete_marker_replication { status = "Disabled" }
    destination { bucket = "arn:aws:s3:::dst" }
  }
}
"#;
    let files = [SourceFile {
        path: "main.tf".into(),
        text: text.into(),
    }];
    let report = check_files(&files, None, &DeploymentContext::default());
    let c = &report.configurations[0];
    let doc = c.document.as_ref().unwrap();
    // V1: Prefix "" sent, priority dropped (and said so).
    assert_eq!(doc.rules[0].prefix.as_ref().map(|p| p.as_str()), Some(""));
    assert!(doc.rules[0].priority.is_none());
    // V2: the tag replaces the prefix; priority defaults to 0.
    let f = doc.rules[1].filter.as_ref().unwrap();
    assert!(f.tag.is_some() && f.prefix.is_none());
    assert_eq!(doc.rules[1].priority.as_ref().map(|p| p.value), Some(0));
    let dropped = find(c, "S3R015");
    assert_eq!(dropped.len(), 2, "{:#?}", c.diagnostics);
    // Mixed V1 and V2 rules.
    assert!(c.diagnostics.iter().any(|d| d.code == "S3R203"));
}

#[test]
fn terraform_inline_block_and_empty_filter() {
    let text = r#"
resource "aws_s3_bucket" "src" {
  bucket = "src"
  versioning { enabled = true }
  replication_configuration {
    role = "arn:aws:iam::111122223333:role/r"
    rules {
      id     = "all"
      status = "Enabled"
      filter {}
      destination {
        bucket        = "arn:aws:s3:::dst"
        storage_class = "STANDARD"
      }
    }
  }
}
"#;
    let files = [SourceFile {
        path: "main.tf".into(),
        text: text.into(),
    }];
    let report = check_files(&files, None, &DeploymentContext::default());
    let c = &report.configurations[0];
    assert_eq!(c.address, "aws_s3_bucket.src");
    let doc = c.document.as_ref().unwrap();
    let r = &doc.rules[0];
    assert_eq!(
        r.filter.as_ref().unwrap().prefix.as_ref().unwrap().as_str(),
        ""
    );
    assert_eq!(
        r.delete_marker_replication
            .as_ref()
            .unwrap()
            .status
            .as_ref()
            .unwrap()
            .as_str(),
        "Disabled"
    );
    assert_eq!(r.priority.as_ref().unwrap().value, 0);
    assert!(
        !c.diagnostics.iter().any(|d| d.severity == Severity::Error),
        "{:#?}",
        c.diagnostics
    );
    assert_eq!(c.context.source_versioning.as_deref(), Some("Enabled"));
}

#[test]
fn terraform_plan_values_and_unknowns() {
    let plan = r#"{"format_version":"1.2","terraform_version":"1.9.0",
"planned_values":{"root_module":{"child_modules":[{"address":"module.repl","resources":[
 {"address":"module.repl.aws_s3_bucket_replication_configuration.this","mode":"managed","type":"aws_s3_bucket_replication_configuration","name":"this",
  "values":{"bucket":"src","role":"arn:aws:iam::111122223333:role/r","token":null,
   "rule":[{"id":"a","priority":null,"prefix":null,"status":"Enabled","filter":[{"prefix":"logs/","tag":[],"and":[]}],
     "delete_marker_replication":[],"existing_object_replication":[],"source_selection_criteria":[],
     "destination":[{"bucket":null,"account":null,"storage_class":"STANDARD","access_control_translation":[],"encryption_configuration":[],"metrics":[],"replication_time":[]}]},
    {"id":"b","priority":null,"prefix":null,"status":"Enabled","filter":[{"prefix":"data/","tag":[],"and":[]}],
     "delete_marker_replication":[{"status":"Disabled"}],"existing_object_replication":[],"source_selection_criteria":[],
     "destination":[{"bucket":"arn:aws:s3:::dst","account":null,"storage_class":null,"access_control_translation":[],"encryption_configuration":[],"metrics":[],"replication_time":[]}]}]}}]}]}},
"resource_changes":[{"address":"module.repl.aws_s3_bucket_replication_configuration.this","change":{"after_unknown":{"rule":[{"destination":[{"bucket":true}]},{}]}}}]}"#;
    let files = [SourceFile {
        path: "plan.json".into(),
        text: plan.into(),
    }];
    let report = check_files(&files, None, &DeploymentContext::default());
    assert_eq!(report.configurations.len(), 1);
    let c = &report.configurations[0];
    assert_eq!(
        c.address,
        "module.repl.aws_s3_bucket_replication_configuration.this"
    );
    // Both rules at the default priority 0.
    assert!(
        c.diagnostics.iter().any(|d| d.code == "S3R211"),
        "{:#?}",
        c.diagnostics
    );
    // Rule a lacks DeleteMarkerReplication: S3 refuses.
    assert!(c
        .diagnostics
        .iter()
        .any(|d| d.code == "S3R204" && d.path.contains("rule[0]")));
    // The unknown bucket is not an error.
    assert!(!c
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error && d.path.ends_with("destination.bucket")));
}

#[test]
fn files_without_a_configuration_say_so() {
    let files = [SourceFile {
        path: "t.yaml".into(),
        text: "Resources:\n  Logs:\n    Type: AWS::S3::Bucket\n".into(),
    }];
    let report = check_files(&files, None, &DeploymentContext::default());
    assert!(report.configurations.is_empty());
    assert_eq!(report.files[0].diagnostics[0].code, "S3R013");
}

#[test]
fn yaml_alias_bomb_is_refused_quickly_with_a_position() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n",
            p = i - 1
        ));
    }
    text.push_str("Resources: *a11\n");
    let start = std::time::Instant::now();
    let report = check_files(
        &[SourceFile {
            path: "bomb.yaml".into(),
            text: text.clone(),
        }],
        Some(InputKind::CloudFormation),
        &DeploymentContext::default(),
    );
    assert!(start.elapsed().as_millis() < 1000);
    let d = &report.files[0].diagnostics[0];
    assert_eq!(d.code, "S3R001");
    assert!(d.message.contains("alias"), "{}", d.message);
    assert!(d.range.start.line > 1);
}

#[test]
fn hostile_templates_and_modules_get_positioned_diagnostics() {
    let deep_yaml = format!("Resources: {}x{}\n", "[".repeat(200), "]".repeat(200));
    let deep_hcl = format!(
        "locals {{\n  x = {}1{}\n}}\n",
        "[".repeat(500),
        "]".repeat(500)
    );
    let cases: Vec<(&str, String, InputKind)> = vec![
        ("deep.yaml", deep_yaml, InputKind::CloudFormation),
        ("deep.tf", deep_hcl, InputKind::Terraform),
        (
            "open.tf",
            "resource \"aws_s3_bucket_replication_configuration\" \"x\" {\n  rule {\n".into(),
            InputKind::Terraform,
        ),
        (
            "tab.yaml",
            "Resources:\n\tX: 1\n".into(),
            InputKind::CloudFormation,
        ),
        (
            "heredoc.tf",
            format!("locals {{\n  x = <<EOT\n{}\nEOT\n}}\n", "y".repeat(1 << 20)),
            InputKind::Terraform,
        ),
        (
            "bad.json",
            "{\"Resources\": [".into(),
            InputKind::CloudFormation,
        ),
        (
            "plan.json",
            "{\"format_version\": \"2.0\", \"planned_values\": {}}".into(),
            InputKind::TerraformPlan,
        ),
    ];
    for (name, text, kind) in cases {
        let report = check_files(
            &[SourceFile {
                path: name.into(),
                text: text.clone(),
            }],
            Some(kind),
            &DeploymentContext::default(),
        );
        let all: Vec<_> = report
            .files
            .iter()
            .flat_map(|f| f.diagnostics.iter())
            .collect();
        assert!(!all.is_empty(), "{name}: nothing reported");
        for d in all {
            assert!(
                d.span.end as usize <= text.len(),
                "{name}: span out of the text"
            );
        }
    }
}

/// Buckets named after each other (`BucketName: !Ref Other`, in a cycle, and a long chain)
/// are read in linear time: each `BucketName` is evaluated once per reference.
#[test]
fn buckets_named_after_each_other_in_a_cycle_are_read_quickly() {
    let mut text = String::from(
        "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref B0\n      VersioningConfiguration: {Status: Enabled}\n      ReplicationConfiguration:\n        Role: arn:aws:iam::111122223333:role/r\n        Rules:\n          - {Status: Enabled, Priority: 1, Filter: {Prefix: \"\"}, DeleteMarkerReplication: {Status: Disabled}, Destination: {Bucket: !GetAtt B39.Arn}}\n",
    );
    for i in 0..40 {
        let next = if i == 39 {
            "A".to_string()
        } else {
            format!("B{}", i + 1)
        };
        text.push_str(&format!(
            "  B{i}:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref {next}\n"
        ));
    }
    let start = std::time::Instant::now();
    let report = check_files(
        &[SourceFile {
            path: "cycle.yaml".into(),
            text,
        }],
        None,
        &DeploymentContext::default(),
    );
    assert_eq!(report.configurations.len(), 1);
    assert!(start.elapsed().as_secs() < 5, "took {:?}", start.elapsed());
}

#[test]
fn detection_by_name_and_content() {
    use s3_replication_lint::iac::detect;
    assert_eq!(detect("main.tf", ""), InputKind::Terraform);
    assert_eq!(detect("t.yaml", "Resources:\n"), InputKind::CloudFormation);
    assert_eq!(
        detect("Stack.template.json", "{\"Resources\": {}}"),
        InputKind::CloudFormation
    );
    assert_eq!(
        detect(
            "plan.json",
            "{\"format_version\":\"1.2\",\"planned_values\":{}}"
        ),
        InputKind::TerraformPlan
    );
    assert_eq!(
        detect("r.json", "{\"Role\": \"x\", \"Rules\": []}"),
        InputKind::Api
    );
    assert_eq!(
        detect("r.xml", "<ReplicationConfiguration/>"),
        InputKind::Api
    );
    assert_eq!(
        detect("-", "resource \"aws_s3_bucket\" \"b\" {}\n"),
        InputKind::Terraform
    );
}

/// Every cut of the realistic fixtures, and a stray character at every few bytes: no panic,
/// every position inside the text (the fuzz target's property, on a fixed corpus).
#[test]
fn cut_and_broken_templates_and_modules_never_panic() {
    let fixtures = [
        ("iac/terraform-cross-account/main.tf", InputKind::Terraform),
        (
            "iac/terraform-cross-account/providers.tf",
            InputKind::Terraform,
        ),
        (
            "iac/cloudformation/cross-region.yaml",
            InputKind::CloudFormation,
        ),
    ];
    let mut runs = 0;
    for (path, kind) in fixtures {
        let text = std::fs::read_to_string(root().join(path)).unwrap();
        let mut variants: Vec<String> = (0..text.len())
            .step_by(3)
            .filter(|&i| text.is_char_boundary(i))
            .map(|i| text[..i].to_string())
            .collect();
        for (k, stray) in ["{", "}", "\"", "!", "${", "*a", "&a ", "\t", "[", "<<"]
            .iter()
            .enumerate()
        {
            for i in (k..text.len()).step_by(17) {
                if text.is_char_boundary(i) {
                    variants.push(format!("{}{stray}{}", &text[..i], &text[i..]));
                }
            }
        }
        for v in variants {
            let files = [SourceFile {
                path: "f".into(),
                text: v.clone(),
            }];
            for k in [kind, InputKind::TerraformPlan] {
                let report = check_files(&files, Some(k), &DeploymentContext::default());
                let all = report
                    .configurations
                    .iter()
                    .flat_map(|c| c.diagnostics.iter())
                    .chain(report.files.iter().flat_map(|f| f.diagnostics.iter()));
                for d in all {
                    assert!(
                        d.span.start <= d.span.end && d.span.end as usize <= v.len(),
                        "{d:?}\n{v}"
                    );
                    assert!(d.range.start.line >= 1, "{d:?}");
                }
                runs += 1;
            }
        }
    }
    assert!(runs > 1000, "{runs}");
}

/// A template pasted where an API document belongs is named as such, not picked apart.
#[test]
fn the_api_check_names_templates_modules_and_plans() {
    let cases = [
        (
            "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n",
            "CloudFormation template",
        ),
        (
            "{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\"}}}",
            "CloudFormation template",
        ),
        ("resource \"aws_s3_bucket\" \"b\" {\n}\n", "Terraform file"),
        (
            "{\"format_version\": \"1.2\", \"planned_values\": {}}",
            "Terraform plan",
        ),
    ];
    for (text, what) in cases {
        let report = s3_replication_lint::check(text, &Default::default());
        assert_eq!(
            report.diagnostics.len(),
            1,
            "{text}: {:#?}",
            report.diagnostics
        );
        assert!(
            report.diagnostics[0].message.contains(what),
            "{}",
            report.diagnostics[0].message
        );
        assert!(report.diagnostics[0]
            .help
            .as_deref()
            .unwrap_or("")
            .contains("checkFiles"));
    }
    // API documents whose values merely mention those words stay API documents.
    let api = r#"{"Role": "arn:aws:iam::111122223333:role/r", "Rules": [{"ID": "Resources", "Status": "Enabled", "Prefix": "AWSTemplateFormatVersion", "Destination": {"Bucket": "arn:aws:s3:::dst"}}]}"#;
    let report = s3_replication_lint::check(api, &Default::default());
    assert!(report.document.is_some());
    let xml = "<ReplicationConfiguration><Role>Resources: x</Role></ReplicationConfiguration>";
    assert!(s3_replication_lint::check(xml, &Default::default())
        .document
        .is_some());
    // A multi-byte character across the 64 KiB detection window.
    let long = format!("{{\"Role\": \"{}é\"}}", "a".repeat(64 * 1024 - 11));
    let _ = s3_replication_lint::check(&long, &Default::default());
}

/// `cdk synth` output: long-form intrinsics, generated bucket names, a key of the stack.
#[test]
fn cdk_synth_template_with_generated_names() {
    let path = root().join("iac/cloudformation/cdk-synth.template.json");
    let f = file(&path);
    let mut given = DeploymentContext {
        partition: Some("aws".into()),
        source_region: Some("us-east-1".into()),
        ..Default::default()
    };
    given.destinations.insert(
        "dest-bucket-name".into(),
        s3_replication_lint::context::DestinationContext {
            region: Some("us-west-2".into()),
            versioning: Some("Enabled".into()),
            ..Default::default()
        },
    );
    let report = check_files(std::slice::from_ref(&f), None, &given);
    let c = &report.configurations[0];
    let doc = c.document.as_ref().unwrap();
    // `Fn::Join` over `AWS::Partition` from the context.
    assert_eq!(
        doc.rules[0]
            .destination
            .as_ref()
            .unwrap()
            .bucket
            .as_ref()
            .unwrap()
            .as_str(),
        "arn:aws:s3:::dest-bucket-name"
    );
    // The stack's key is in the stack's Region, the destination in another: S3R405 runs.
    let region = find(c, "S3R405");
    assert_eq!(region.len(), 1, "{:#?}", c.diagnostics);
    assert_eq!(region[0].severity, Severity::Error);
    assert_eq!(
        region[0].range.start.line,
        line_of(&f.text, "ReplicaKmsKeyID")
    );
    // DestBucket has a generated name and no versioning: still an error, on its reference.
    let versioning = find(c, "S3R322");
    assert_eq!(versioning.len(), 1, "{:#?}", c.diagnostics);
    assert_eq!(versioning[0].severity, Severity::Error);
    assert_eq!(
        versioning[0].range.start.line,
        line_of(&f.text, "\"DestBucket\", \"Arn\"")
    );
    // Its generated name is not reported as a bad bucket name.
    assert!(
        !c.diagnostics.iter().any(|d| d.severity == Severity::Error
            && d.code.starts_with("S3R30")
            && d.code != "S3R322"),
        "{:#?}",
        c.diagnostics
    );
}

/// `terraform.tfvars` and `*.auto.tfvars` set variables as `terraform plan` would.
#[test]
fn tfvars_values_win_over_defaults() {
    let main = r#"
variable "replica_region" {}
variable "status" {
  default = "Disabled"
}
provider "aws" {
  region = "eu-west-1"
}
provider "aws" {
  alias  = "replica"
  region = var.replica_region
}
resource "aws_kms_key" "replica" {
  provider = aws.replica
}
resource "aws_s3_bucket" "replica" {
  bucket = "acme-replica"
}
resource "aws_s3_bucket_replication_configuration" "main" {
  bucket = "acme-source"
  role   = "arn:aws:iam::111122223333:role/replication"
  rule {
    status = var.status
    filter {}
    delete_marker_replication {
      status = "Disabled"
    }
    source_selection_criteria {
      sse_kms_encrypted_objects {
        status = "Enabled"
      }
    }
    destination {
      bucket = aws_s3_bucket.replica.arn
      encryption_configuration {
        replica_kms_key_id = aws_kms_key.replica.arn
      }
    }
  }
}
"#;
    let files = |tfvars: Option<&str>| {
        let mut f = vec![SourceFile {
            path: "main.tf".into(),
            text: main.into(),
        }];
        if let Some(t) = tfvars {
            f.push(SourceFile {
                path: "dir/terraform.tfvars".into(),
                text: t.into(),
            });
        }
        f
    };
    // Without a value the key's Region is unknown: not verified.
    let r = check_files(
        &files(None),
        Some(InputKind::Terraform),
        &DeploymentContext::default(),
    );
    assert!(find(&r.configurations[0], "S3R405").is_empty());
    // With one, the key is in us-east-1 and the replica bucket (default provider) in eu-west-1.
    let r = check_files(
        &files(Some(
            "replica_region = \"us-east-1\"\nstatus = \"Enabled\"\n",
        )),
        Some(InputKind::Terraform),
        &DeploymentContext::default(),
    );
    let c = &r.configurations[0];
    assert_eq!(find(c, "S3R405").len(), 1, "{:#?}", c.diagnostics);
    assert_eq!(
        c.document.as_ref().unwrap().rules[0]
            .status
            .as_ref()
            .unwrap()
            .as_str(),
        "Enabled"
    );
    assert_eq!(r.configurations.len(), 1);
}

/// A configuration as the document it deploys: provider defaults made explicit, unknown
/// values and stand-ins for generated names written as `${expression}`.
#[test]
fn configurations_convert_to_the_documents_they_deploy() {
    let files = module("iac/terraform-cross-account");
    let report = check_files(&files, None, &DeploymentContext::default());
    let c = &report.configurations[0];
    let json = s3_replication_lint::iac::to_document(c, s3_replication_lint::Format::Json).unwrap();
    // The provider's defaults: Priority 0 on both V2 rules, an empty prefix for `filter {}`.
    assert!(json.contains("\"Priority\": 0"), "{json}");
    assert!(json.contains("\"Prefix\": \"\""), "{json}");
    // The key of the module is known by its Region only: written as its expression.
    assert!(json.contains("${aws_kms_key.replica.arn}"), "{json}");
    assert!(!json.contains("000000000000"), "{json}");
    assert!(json.contains("${var.replica_account}"), "{json}");
    // The output is an API document the API check reads.
    let back = s3_replication_lint::check(&json, &Default::default());
    assert!(back.document.is_some());
    assert_eq!(back.document.unwrap().rules.len(), 2);
    // Structural errors block the conversion.
    let f = file(&root().join("iac/cloudformation/cross-region.yaml"));
    let r = check_files(
        std::slice::from_ref(&f),
        None,
        &DeploymentContext::default(),
    );
    let blocked = s3_replication_lint::iac::to_document(
        &r.configurations[0],
        s3_replication_lint::Format::Xml,
    )
    .unwrap_err();
    assert_eq!(blocked[0].code, "S3R002");
}

/// The near misses of the IaC codes: a complete module with no construct left unread, no
/// value dropped by the provider, and configurations found.
#[test]
fn a_clean_module_has_none_of_the_iac_findings() {
    let files = module("iac/terraform-cross-account");
    let report = check_files(&files, None, &DeploymentContext::default());
    let all: Vec<&str> = report
        .configurations
        .iter()
        .flat_map(|c| c.diagnostics.iter())
        .chain(report.files.iter().flat_map(|f| f.diagnostics.iter()))
        .map(|d| d.code)
        .collect();
    for code in ["S3R013", "S3R014", "S3R015"] {
        assert!(!all.contains(&code), "{code} in {all:?}");
    }
}

/// What the CLI prints for a module (text: facts and code frames; JSON: the flat array),
/// snapshot-tested as a user sees it.
#[test]
fn rendered_outputs_of_a_module() {
    let files = module("iac/terraform-cross-account");
    let report = check_files(&files, None, &DeploymentContext::default());
    insta::assert_snapshot!(
        "module-text",
        s3_replication_lint::iac::render::text(&report, &files, false)
    );
    insta::assert_snapshot!(
        "module-json",
        s3_replication_lint::iac::render::json(&report)
    );
    let sarif = s3_replication_lint::iac::render::sarif(&report, &files);
    let log: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let uris: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(
        !uris.is_empty() && uris.iter().all(|u| u.ends_with("main.tf")),
        "{uris:?}"
    );
}

/// CDK writes every ARN with `Ref: AWS::Partition`: only the checks that compare partitions
/// wait for it; the rest run on the bucket name.
#[test]
fn a_partition_left_to_deployment_holds_back_only_partition_checks() {
    let template = |role: &str| {
        format!(
            r#"{{"Resources": {{"Src": {{"Type": "AWS::S3::Bucket", "Properties": {{
  "BucketName": "acme-src",
  "VersioningConfiguration": {{"Status": "Enabled"}},
  "ReplicationConfiguration": {{"Role": "{role}", "Rules": [{{
    "Id": "self", "Status": "Enabled", "Priority": 1, "Filter": {{"Prefix": ""}},
    "DeleteMarkerReplication": {{"Status": "Disabled"}},
    "Destination": {{"Bucket": {{"Fn::Join": ["", ["arn:", {{"Ref": "AWS::Partition"}}, ":s3:::acme-src"]]}}}}
  }}]}}}}}}}}}}"#
        )
    };
    let check = |role: &str| {
        let files = vec![SourceFile {
            path: "cdk.template.json".into(),
            text: template(role),
        }];
        check_files(&files, None, &DeploymentContext::default())
    };
    let report = check("arn:aws:iam::111122223333:role/replication");
    let c = &report.configurations[0];
    // Replicating the bucket into itself is known whatever the partition.
    let own = find(c, "S3R304");
    assert_eq!(own.len(), 1, "{:#?}", c.diagnostics);
    // No "not verified" noise about the ARN's shape.
    assert!(
        !c.diagnostics.iter().any(|d| d.message.contains("S3R300")),
        "{:#?}",
        c.diagnostics
    );
    // A role in another partition: the comparison waits for the stack's partition.
    let report = check("arn:aws-cn:iam::111122223333:role/replication");
    let c = &report.configurations[0];
    assert!(find(c, "S3R301").is_empty(), "{:#?}", c.diagnostics);
    assert!(
        c.diagnostics
            .iter()
            .any(|d| d.code == "S3R600" && d.message.starts_with("Not verified (S3R301")),
        "{:#?}",
        c.diagnostics
    );
}

/// `cdk synth` output: `manifest.json` gives each stack's Region and account, so a template's
/// `AWS::Region` and `AWS::AccountId` are known without a context.
#[test]
fn a_cdk_manifest_gives_each_stack_its_environment() {
    let template = file(&root().join("iac/policies/cloudformation/good.yaml"));
    let manifest = |env: &str| SourceFile {
        path: "cdk.out/manifest.json".into(),
        text: format!(
            r#"{{
  "version": "36.0.0",
  "artifacts": {{
    "LogsReplication": {{
      "type": "aws:cloudformation:stack",
      "environment": "{env}",
      "properties": {{ "templateFile": "good.yaml" }}
    }},
    "Tree": {{ "type": "cdk:tree", "properties": {{ "file": "tree.json" }} }}
  }}
}}"#
        ),
    };
    let files = vec![template.clone(), manifest("aws://111122223333/us-east-1")];
    let report = check_files(
        &files,
        Some(InputKind::CloudFormation),
        &DeploymentContext::default(),
    );
    assert_eq!(report.configurations.len(), 1);
    let c = &report.configurations[0];
    assert_eq!(c.context.source_region.as_deref(), Some("us-east-1"));
    assert_eq!(c.context.source_account.as_deref(), Some("111122223333"));
    let fact = c
        .facts
        .iter()
        .find(|f| f.field == "sourceRegion")
        .expect("region fact");
    assert_eq!(
        (fact.file.as_str(), fact.line),
        ("cdk.out/manifest.json", 4)
    );
    // The role policy's `s3.${AWS::Region}.amazonaws.com` is now checked, and right.
    let audits: Vec<_> = c.audits.iter().flat_map(|a| &a.diagnostics).collect();
    assert!(
        !audits.iter().any(|d| d.message.contains("S3R714")),
        "{audits:#?}"
    );
    // The manifest is not a template without a configuration.
    let m = report
        .files
        .iter()
        .find(|f| f.file.ends_with("manifest.json"))
        .unwrap();
    assert!(m.diagnostics.is_empty(), "{:#?}", m.diagnostics);
    // An environment-agnostic stack leaves them open; a given context wins.
    let files = vec![
        template.clone(),
        manifest("aws://unknown-account/unknown-region"),
    ];
    let report = check_files(
        &files,
        Some(InputKind::CloudFormation),
        &DeploymentContext::default(),
    );
    assert_eq!(report.configurations[0].context.source_region, None);
    let given = DeploymentContext {
        source_region: Some("eu-west-1".into()),
        ..Default::default()
    };
    let files = vec![template, manifest("aws://111122223333/us-east-1")];
    let report = check_files(&files, Some(InputKind::CloudFormation), &given);
    assert_eq!(
        report.configurations[0].context.source_region.as_deref(),
        Some("eu-west-1")
    );
}

/// A versioning or encryption resource for a bucket the code does not name (`var.bucket`,
/// `each.value`) may be any bucket's: a bucket with none of its own is not known to be
/// unversioned (no false S3R604) nor to have Bucket Keys off.
#[test]
fn an_unresolved_versioning_resource_leaves_versioning_unknown() {
    let main = |versioning_bucket: &str| {
        format!(
            r#"
variable "bucket" {{}}
resource "aws_s3_bucket" "source" {{
  bucket = "acme-source"
}}
resource "aws_s3_bucket_versioning" "any" {{
  bucket = {versioning_bucket}
  versioning_configuration {{
    status = "Enabled"
  }}
}}
resource "aws_s3_bucket_server_side_encryption_configuration" "any" {{
  bucket = {versioning_bucket}
  rule {{
    bucket_key_enabled = true
  }}
}}
resource "aws_s3_bucket_replication_configuration" "main" {{
  bucket = aws_s3_bucket.source.id
  role   = "arn:aws:iam::111122223333:role/replication"
  rule {{
    status = "Enabled"
    filter {{}}
    delete_marker_replication {{
      status = "Disabled"
    }}
    destination {{
      bucket = "arn:aws:s3:::acme-replica"
    }}
  }}
}}
"#
        )
    };
    let run = |v: &str| {
        check_files(
            &[SourceFile {
                path: "main.tf".into(),
                text: main(v),
            }],
            Some(InputKind::Terraform),
            &DeploymentContext::default(),
        )
    };
    let r = run("var.bucket");
    let c = &r.configurations[0];
    assert!(find(c, "S3R604").is_empty(), "{:#?}", c.diagnostics);
    assert_eq!(c.context.source_versioning, None);
    assert_eq!(c.context.source_bucket_keys, None);
    // Named for another bucket, it says nothing of this one: unversioned, Bucket Keys off.
    let r = run("\"acme-other\"");
    let c = &r.configurations[0];
    assert_eq!(find(c, "S3R604").len(), 1, "{:#?}", c.diagnostics);
    assert_eq!(c.context.source_bucket_keys, Some(false));
}

/// An unknown `replication_time.status` in the provider v3 inline block is not verified, not
/// read as a setting it may not have.
#[test]
fn an_unknown_inline_replication_time_status_is_not_an_error() {
    let text = r#"
variable "rtc" {}
resource "aws_s3_bucket" "destination" {
  bucket = "acme-destination"
  versioning {
    enabled = true
  }
}
resource "aws_s3_bucket" "timed" {
  bucket = "acme-timed"
  replication_configuration {
    role = "arn:aws:iam::111122223333:role/replication"
    rules {
      id     = "all"
      status = "Enabled"
      filter {}
      delete_marker_replication_status = "Enabled"
      destination {
        bucket        = aws_s3_bucket.destination.arn
        storage_class = "STANDARD"
        replication_time {
          status  = var.rtc
          minutes = 15
        }
        metrics {}
      }
    }
  }
  versioning {
    enabled = true
  }
}
"#
    .to_string();
    let r = check_files(
        &[SourceFile {
            path: "main.tf".into(),
            text,
        }],
        Some(InputKind::Terraform),
        &DeploymentContext::default(),
    );
    let c = &r.configurations[0];
    assert!(
        c.diagnostics.iter().all(|d| d.severity != Severity::Error),
        "{:#?}",
        c.diagnostics
    );
    assert!(c
        .diagnostics
        .iter()
        .any(|d| d.message.starts_with("Not verified (S3R320")));
}

/// Nested dynamic blocks multiply: a list of 3000 items nested in itself would make nine
/// million blocks. Past a bound they are read once, not verified, and the check stays quick.
#[test]
fn nested_dynamic_blocks_are_bounded() {
    let module = |rules: usize, tags: usize| {
        let list = |n: usize| {
            (0..n)
                .map(|i| format!("\"p{i}/\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!(
            r#"
locals {{
  rules = [{}]
  tags  = [{}]
}}
resource "aws_s3_bucket_replication_configuration" "main" {{
  bucket = "acme-source"
  role   = "arn:aws:iam::111122223333:role/replication"
  dynamic "rule" {{
    for_each = local.rules
    content {{
      status = "Enabled"
      priority = rule.key
      filter {{
        dynamic "tag" {{
          for_each = local.tags
          content {{
            key   = tag.value
            value = "x"
          }}
        }}
      }}
      destination {{
        bucket = "arn:aws:s3:::acme-replica"
      }}
    }}
  }}
}}
"#,
            list(rules),
            list(tags)
        )
    };
    let run = |text: String| {
        check_files(
            &[SourceFile {
                path: "main.tf".into(),
                text,
            }],
            Some(InputKind::Terraform),
            &DeploymentContext::default(),
        )
    };
    // Two rules of 5000 tags each: the tags are read once and said so (one finding: both
    // rules come from the one `content` block, so they share its span).
    let r = run(module(2, 5000));
    let said = r.configurations[0]
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("would make more than 4000"))
        .count();
    assert!(said >= 1, "{:#?}", r.configurations[0].diagnostics);
    // 3000 x 3000: quick (the unbounded expansion took minutes and gigabytes).
    let started = std::time::Instant::now();
    let r = run(module(3000, 3000));
    assert_eq!(r.configurations.len(), 1);
    assert!(started.elapsed().as_secs() < 20);
}

/// A replication resource's `for_each` fixed by the code makes one configuration per
/// instance, each read with its `each.key`/`each.value`; another resource's `each` (a
/// versioning resource over another collection) never takes the instance's values.
#[test]
fn resource_for_each_instances_bind_each_only_in_their_own_resource() {
    let main = r#"
locals {
  sources = toset(["contoso-a", "contoso-b"])
  other   = { x = { status = "Suspended" } }
}

resource "aws_s3_bucket_versioning" "v" {
  for_each = local.other
  bucket   = each.key
  versioning_configuration {
    status = each.value.status
  }
}

resource "aws_s3_bucket_replication_configuration" "r" {
  for_each = local.sources
  bucket   = each.key
  role     = "arn:aws:iam::111122223333:role/${each.value}"
  rule {
    id       = each.key
    priority = 1
    status   = "Enabled"
    filter {}
    delete_marker_replication {
      status = "Enabled"
    }
    destination {
      bucket = "arn:aws:s3:::${each.key}-dr"
    }
  }
}
"#;
    let r = check_files(
        &[SourceFile {
            path: "main.tf".into(),
            text: main.into(),
        }],
        None,
        &DeploymentContext::default(),
    );
    let addresses: Vec<&str> = r
        .configurations
        .iter()
        .map(|c| c.address.as_str())
        .collect();
    assert_eq!(
        addresses,
        [
            "aws_s3_bucket_replication_configuration.r[\"contoso-a\"]",
            "aws_s3_bucket_replication_configuration.r[\"contoso-b\"]"
        ]
    );
    for c in &r.configurations {
        let bad: Vec<_> = c
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Info)
            .map(|d| (&d.code, &d.message))
            .collect();
        assert!(bad.is_empty(), "{}: {bad:?}", c.address);
        assert!(find(c, "S3R101").is_empty(), "the role is known");
    }
}

/// S3 enables versioning on a bucket created with Object Lock: a template that declares
/// `ObjectLockEnabled: true` and no `VersioningConfiguration` is not "never versioned".
#[test]
fn object_lock_without_a_versioning_block_is_versioned() {
    let template = r#"
Resources:
  Vault:
    Type: AWS::S3::Bucket
    Properties:
      ObjectLockEnabled: true
      ReplicationConfiguration:
        Role: arn:aws:iam::111122223333:role/r
        Rules:
          - Id: all
            Status: Enabled
            Priority: 1
            Filter: {}
            DeleteMarkerReplication: {Status: Disabled}
            Destination:
              Bucket: !GetAtt Dr.Arn
  Dr:
    Type: AWS::S3::Bucket
    Properties:
      ObjectLockEnabled: true
"#;
    let r = check_files(
        &[SourceFile {
            path: "t.yaml".into(),
            text: template.into(),
        }],
        None,
        &DeploymentContext::default(),
    );
    let c = &r.configurations[0];
    for code in ["S3R604", "S3R322"] {
        assert!(
            find(c, code).iter().all(|d| d.severity == Severity::Info),
            "{code}: {:?}",
            find(c, code)
        );
    }
}

#[test]
fn inline_comments_turn_findings_off_where_they_stand() {
    let module = |comment_line: &str, inline: &str| {
        format!(
            "resource \"aws_s3_bucket_replication_configuration\" \"r\" {{\n  bucket = \"src\"\n  role   = \"arn:aws:iam::111122223333:role/r\"\n  rule {{\n    id     = \"all\"\n    status = \"Enabled\"\n    filter {{}}\n    delete_marker_replication {{\n      status = \"Disabled\"\n    }}\n    destination {{\n      bucket = \"arn:aws:s3:::dst\"\n{comment_line}      storage_class = \"GLACIER\"{inline}\n    }}\n  }}\n}}\n"
        )
    };
    let codes = |text: String| -> Vec<&'static str> {
        let r = check_files(
            &[SourceFile {
                path: "main.tf".into(),
                text,
            }],
            None,
            &DeploymentContext::default(),
        );
        r.configurations
            .iter()
            .flat_map(|c| c.diagnostics.iter().map(|d| d.code))
            .collect()
    };
    assert!(codes(module("", "")).contains(&"S3R315"));
    // On the line, with the code or its beginning, in any case; alone on the line above.
    for (above, inline) in [
        ("", " # s3-replication-lint: ignore S3R315 -- a cold copy"),
        ("", " // S3-Replication-Lint: ignore s3r3"),
        ("      # s3-replication-lint: ignore S3R315\n", ""),
        ("      # s3-replication-lint: ignore\n", ""),
    ] {
        let found = codes(module(above, inline));
        assert!(!found.contains(&"S3R315"), "{above}{inline}: {found:?}");
    }
    // Another code, or a directive two lines up, leaves it.
    assert!(codes(module("", " # s3-replication-lint: ignore S3R408")).contains(&"S3R315"));
    assert!(
        codes(module("      # s3-replication-lint: ignore S3R315\n\n", "")).contains(&"S3R315")
    );
    // A "not verified" finding goes with the check it names: the destination's versioning.
    let dst = |inline: &str| {
        module("", "").replace(
            "bucket = \"arn:aws:s3:::dst\"\n",
            &format!("bucket = \"arn:aws:s3:::dst\"{inline}\n"),
        )
    };
    let unverified = |found: &[&str]| found.iter().filter(|c| **c == "S3R600").count();
    let before = unverified(&codes(dst("")));
    let after = unverified(&codes(dst(" # s3-replication-lint: ignore S3R322")));
    assert_eq!(after + 1, before);
    // ... but not while it names a check that is not ignored.
    let other = unverified(&codes(dst(" # s3-replication-lint: ignore S3R304")));
    assert_eq!(other, before);
}
