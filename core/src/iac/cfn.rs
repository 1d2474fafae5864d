//! CloudFormation templates (YAML or JSON; `cdk synth` output included): every
//! `AWS::S3::Bucket` with `Properties.ReplicationConfiguration` is one configuration.
//!
//! Intrinsics are evaluated where the template fixes their value: parameter defaults,
//! pseudo parameters from the context, `Fn::Sub`/`Fn::Join`/`Fn::Select`/`Fn::Split`/
//! `Fn::FindInMap`/`Fn::If` over known parts, `Ref`/`Fn::GetAtt` of buckets with a literal
//! name. Anything else is an [`Unknown`](super::Unknown), never a guess.

use super::eval;
use super::path::Dialect;
use super::{Extracted, Found, SourceFile};
use crate::catalogue::parse as codes;
use crate::context::DeploymentContext;
use crate::diagnostic::Diagnostic;
use crate::schema;
use crate::source::LineIndex;
use crate::syntax::{Content, Member, Node};
use std::collections::HashMap;

mod facts;
mod policies;
mod template;
mod translate;

use facts::Facts;
use template::{Eval, Template};
use translate::Translator;

pub fn find(files: &[SourceFile], given: &DeploymentContext) -> Found<'static> {
    super::each_file(files, |i, f, diagnostics| {
        if super::cdk::is_manifest(f) {
            return Vec::new();
        }
        // A stack `cdk synth` wrote: its environment fills the pseudo parameters the
        // context leaves open.
        let env = super::cdk::environment(files, f);
        let mut here = given.clone();
        let region = given.source_region.is_none() && env.region.is_some();
        let account = given.source_account.is_none() && env.account.is_some();
        if region {
            here.source_region = env.region.clone();
        }
        if account {
            here.source_account = env.account.clone();
        }
        let mut found = match parse_template(&f.text, diagnostics) {
            Some(root) => extract(&root, &f.text, i, &f.path, &here, diagnostics),
            None => Vec::new(),
        };
        for c in &mut found {
            let facts = env.facts();
            if region {
                c.context.source_region = env.region.clone();
                c.context.inferred.push("source_region");
                c.facts
                    .extend(facts.iter().filter(|x| x.field == "sourceRegion").cloned());
            }
            if account {
                c.context.source_account = env.account.clone();
                c.context.inferred.push("source_account");
                c.facts
                    .extend(facts.iter().filter(|x| x.field == "sourceAccount").cloned());
            }
        }
        found
    })
}

/// JSON when the first non-blank character is `{`, YAML otherwise. Owned, so the
/// configurations can outlive the parse.
fn parse_template(text: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Node<'static>> {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if body.starts_with('{') {
        crate::parse::json::parse_tree_into(text, diagnostics).map(eval::own)
    } else {
        // Built owned already: no second copy.
        super::yaml::parse(text, diagnostics)
    }
}

fn get<'n>(node: &'n Node<'static>, name: &str) -> Option<&'n Member<'static>> {
    match &node.content {
        Content::Object(ms) => ms.iter().rev().find(|m| m.name == name),
        _ => None,
    }
}

fn text_of(node: &Node<'_>) -> Option<String> {
    match &node.content {
        Content::Text(t) => Some(t.to_string()),
        Content::Number(n) => Some(n.to_string()),
        Content::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Every bucket with a replication configuration, translated.
fn extract(
    root: &Node<'static>,
    text: &str,
    file: usize,
    path: &str,
    given: &DeploymentContext,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Extracted<'static>> {
    let mut out = Vec::new();
    // A Serverless Framework service (`serverless.yml`) holds its CloudFormation under
    // `resources:` (`Resources`, `Conditions`, `Outputs`), its own `${...}` variables
    // resolved by the framework before deployment.
    let serverless = get(root, "Resources").is_none()
        && get(root, "service").is_some()
        && get(root, "resources").is_some_and(|r| get(&r.value, "Resources").is_some());
    let (root, prefix) = match get(root, "resources") {
        Some(r) if serverless => (&r.value, "resources.Resources"),
        _ => (root, "Resources"),
    };
    let Some(resources) = get(root, "Resources") else {
        return out;
    };
    let Content::Object(members) = &resources.value.content else {
        diagnostics.push(Diagnostic::new(
            codes::WRONG_TYPE.code,
            codes::WRONG_TYPE.severity,
            resources.value.span,
            "Resources",
            "`Resources` must be a mapping of logical IDs to resources",
        ));
        return out;
    };
    let mut template = Template::new(root, text);
    template.serverless = serverless;
    // Pseudo parameters are known only from the given context (or a literal Role ARN).
    let mut pseudo = HashMap::new();
    if let Some(p) = &given.partition {
        pseudo.insert("AWS::Partition", p.clone());
    }
    if let Some(r) = &given.source_region {
        pseudo.insert("AWS::Region", r.clone());
    }
    if let Some(a) = &given.source_account {
        pseudo.insert("AWS::AccountId", a.clone());
    }
    template.pseudo = pseudo;
    let index = LineIndex::new(text);
    // `Fn::ForEach::Name: [Id, Collection, {"${Id}Bucket": {...}}]` (AWS::LanguageExtensions):
    // each resource it makes is read once, with the loop's identifier unknown.
    let mut candidates: Vec<(String, &Member<'static>, Option<&Member<'static>>)> = Vec::new();
    for res in members {
        if res.name.starts_with("Fn::ForEach::") {
            if let Content::Array(items) = &res.value.content {
                if let Some(Node {
                    content: Content::Object(made),
                    ..
                }) = items.get(2)
                {
                    for m in made {
                        candidates.push((
                            format!("{prefix}.{}.{}", res.name, m.name),
                            m,
                            Some(res),
                        ));
                    }
                }
            }
            continue;
        }
        candidates.push((format!("{prefix}.{}", res.name), res, None));
    }
    for (address, res, each) in candidates {
        let ty = get(&res.value, "Type").and_then(|m| text_of(&m.value));
        if ty.as_deref() != Some("AWS::S3::Bucket") {
            continue;
        }
        let Some(props) = get(&res.value, "Properties") else {
            continue;
        };
        let Some(rc) = get(&props.value, "ReplicationConfiguration") else {
            continue;
        };
        let mut t = Translator {
            template: &template,
            unknowns: Vec::new(),
            tainted: Vec::new(),
            diagnostics: Vec::new(),
            path: format!("{address}.Properties.ReplicationConfiguration"),
        };
        if let Some(each) = each {
            t.diagnostics.push(Diagnostic::new(
                codes::UNSUPPORTED_CONSTRUCT.code,
                crate::diagnostic::Severity::Info,
                each.name_span,
                address.clone(),
                format!("`{}` is not expanded: the buckets it makes are checked once, with the loop's value unknown", each.name),
            ));
        }
        // A bucket with a `Condition` exists only when it holds.
        if let Some(c) = get(&res.value, "Condition") {
            let name = text_of(&c.value).unwrap_or_default();
            match template.condition_named(&name, 0) {
                Some(false) if template.off_by_default(&name) => {
                    t.tainted.push(res.value.span);
                    t.diagnostics.push(Diagnostic::new(
                        codes::UNSUPPORTED_CONSTRUCT.code,
                        crate::diagnostic::Severity::Info,
                        c.value.span,
                        address.clone(),
                        format!("The bucket exists only when condition `{name}` holds, false with the parameters' defaults, which a deployment can override: it is checked as if it does, and its findings are only \"not verified\""),
                    ));
                }
                Some(false) => continue,
                Some(true) => {}
                None => t.diagnostics.push(Diagnostic::new(
                    codes::UNSUPPORTED_CONSTRUCT.code,
                    crate::diagnostic::Severity::Info,
                    c.value.span,
                    address.clone(),
                    format!("The bucket exists only when condition `{name}` holds, which this template leaves to deployment: it is checked as if it does"),
                )),
            }
        }
        // `ReplicationConfiguration: !If [Cond, {...}, !Ref AWS::NoValue]`: replication only
        // where the condition holds. Checked as it would be there; two different
        // configurations (no `AWS::NoValue`): the first, every finding not verified.
        let note = |message: String| {
            Diagnostic::new(
                codes::UNSUPPORTED_CONSTRUCT.code,
                crate::diagnostic::Severity::Info,
                rc.name_span,
                address.clone(),
                message,
            )
        };
        let mut rc_node = &rc.value;
        if let Some((cond, a, b)) = template.undecided_if(rc_node) {
            let (pick, other) = if template.is_no_value(a) {
                (b, a)
            } else {
                (a, b)
            };
            if template.is_no_value(pick) {
                continue;
            }
            if template.is_no_value(other) {
                t.diagnostics.push(note(format!("The replication configuration exists only when condition `{cond}` holds, which this template leaves to deployment: it is checked as it would be then")));
            } else {
                t.tainted.push(rc.value.span);
                t.diagnostics.push(note(format!("The replication configuration depends on condition `{cond}`, which this template leaves to deployment: the first one is checked, and its findings are only \"not verified\"")));
            }
            rc_node = pick;
        } else if let Some((cond, a, b)) = template.if_off_by_default(rc_node) {
            // Off with the parameters' defaults: deployed where a stack sets them.
            if !template.is_no_value(a) {
                t.tainted.push(rc.value.span);
                t.diagnostics.push(note(format!("The replication configuration exists only when condition `{cond}` holds, false with the parameters' defaults, which a deployment can override: it is checked as it would be then, and its findings are only \"not verified\"")));
                rc_node = a;
            } else {
                rc_node = b;
            }
        }
        let value = match t.template.eval(rc_node, 0) {
            Eval::Node(n) => n,
            Eval::NoValue => continue,
            // Not a known object (`!Ref`, `Fn::ImportValue`, an `AWS::Include` transform):
            // nothing about it, not even what it lacks, is more than "not verified".
            _ => {
                t.tainted.push(rc.value.span);
                t.tainted.push(rc.span);
                rc_node
            }
        };
        let api_root = t.object(value, &schema::ROOT);
        let Some(api_root) = api_root else { continue };
        let root_member = eval::member("ReplicationConfiguration", rc.name_span, rc.span, api_root);
        let mut facts = Facts {
            context: DeploymentContext::default(),
            facts: Vec::new(),
            file: path.to_string(),
            index: &index,
            text,
        };
        facts.bucket(&template, &res.name, props, true);
        facts.destinations(&template, &root_member);
        let found = policies::find(&template, members, file, res, rc);
        out.push(Extracted {
            address,
            file,
            root: root_member,
            dialect: Dialect::CloudFormation,
            unknowns: t.unknowns,
            tainted: t.tainted,
            context: facts.context,
            facts: facts.facts,
            diagnostics: t.diagnostics,
            policies: found,
        });
    }
    out
}
