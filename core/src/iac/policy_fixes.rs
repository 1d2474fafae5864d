//! Quick fixes of policy findings as edits of the user's own code: the action that was meant,
//! or the statement to add, written the way the policy is written (a YAML list item, a JSON
//! object, an HCL object in `jsonencode`, a `statement` block of `aws_iam_policy_document`),
//! with the code's own references where it names the resource.

use super::policies::{FoundPolicies, FoundPolicy, Syntax};
use crate::diagnostic::{Diagnostic, Fix, TextEdit};
use crate::source::Span;
use crate::syntax::{Content, Node};

/// A misspelled action (S3R722) becomes the action meant; `s3:GetObjectVersion` (S3R703)
/// becomes the one replication needs.
pub fn action(d: &Diagnostic, text: &str) -> Option<Fix> {
    let written = text.get(d.span.range())?;
    let action = written.trim().trim_matches(['"', '\'']);
    let meant = match d.code {
        "S3R722" => crate::policy::actions::misspelled(action)?,
        "S3R703" if action.eq_ignore_ascii_case("s3:GetObjectVersion") => {
            "s3:GetObjectVersionForReplication".to_string()
        }
        _ => return None,
    };
    let start = d.span.start as usize + written.find(action)?;
    Some(edit(
        format!("Replace `{action}` with `{meant}`"),
        Span::new(start, start + action.len()),
        meant,
    ))
}

/// A statement granting `action` on `resource`, added after the policy's last statement.
/// `None` where the policy's shape gives no safe place (a single statement object, a flow
/// sequence, a data source made only of other documents) or the resource is a stand-in.
pub fn statement(
    p: &FoundPolicy,
    found: &FoundPolicies,
    text: &str,
    action: &str,
    resource: &str,
) -> Option<Fix> {
    if found
        .shown
        .iter()
        .any(|(stand_in, _)| resource.contains(stand_in.as_str()))
    {
        return None;
    }
    let last = last_statement(&p.root)?;
    let start = last.span.start as usize;
    // A YAML node can end where the next token starts (the next line): its own end is its
    // last non-blank byte.
    let end = start + text.get(start..last.span.end as usize)?.trim_end().len();
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    let before = text.get(line_start..start)?;
    let indent: String = before
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let value = reference(p.syntax, resource, found);
    let (at, new_text) = match p.syntax {
        Syntax::CfnYaml => {
            // A block sequence item: `<indent>- Effect: ...`; the new item goes after the
            // last line of the last one.
            if before.trim() != "-" {
                return None;
            }
            let at = line_end(text, end);
            let item = format!(
                "\n{indent}- Effect: Allow\n{indent}  Action: {action}\n{indent}  Resource: {value}"
            );
            (at, item)
        }
        Syntax::CfnJson | Syntax::TfJsonText => (
            end,
            format!(",\n{indent}{{\"Effect\": \"Allow\", \"Action\": \"{action}\", \"Resource\": {value}}}"),
        ),
        Syntax::TfObject => (
            end,
            format!(",\n{indent}{{ Effect = \"Allow\", Action = \"{action}\", Resource = {value} }}"),
        ),
        Syntax::TfDocument => {
            if !text.get(start..)?.starts_with("statement") {
                return None;
            }
            let at = line_end(text, end);
            let block = format!(
                "\n{indent}statement {{\n{indent}  actions   = [\"{action}\"]\n{indent}  resources = [{value}]\n{indent}}}"
            );
            (at, block)
        }
    };
    Some(edit(
        format!("Add a statement allowing {action} on {resource}"),
        Span::empty(at),
        new_text,
    ))
}

fn edit(title: String, span: Span, new_text: String) -> Fix {
    Fix {
        title,
        edits: vec![TextEdit {
            span,
            range: Default::default(),
            new_text,
        }],
    }
}

fn line_end(text: &str, from: usize) -> usize {
    text.get(from..)
        .and_then(|rest| rest.find('\n'))
        .map_or(text.len(), |i| from + i)
}

fn last_statement<'n>(root: &'n Node<'static>) -> Option<&'n Node<'static>> {
    let Content::Object(ms) = &root.content else {
        return None;
    };
    match &ms.iter().find(|m| m.name == "Statement")?.value.content {
        Content::Array(items) => items.last(),
        _ => None,
    }
}

/// `resource` as a value in the policy's language: through the code's own reference when a
/// binding names the bucket or key it starts with, else a quoted literal.
fn reference(syntax: Syntax, resource: &str, found: &FoundPolicies) -> String {
    let bound = found.bindings.iter().find_map(|b| {
        if !b.value.starts_with("arn:") {
            return None;
        }
        let rest = resource.strip_prefix(b.value.as_str())?;
        (rest.is_empty() || rest.starts_with('/')).then_some((b, rest))
    });
    let quoted = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    match (syntax, bound) {
        (Syntax::TfObject | Syntax::TfDocument, Some((b, rest))) if b.terraform.is_some() => {
            let expr = b.terraform.as_deref().unwrap_or_default();
            if rest.is_empty() {
                expr.to_string()
            } else {
                format!("\"${{{expr}}}{rest}\"")
            }
        }
        (Syntax::TfJsonText, Some((b, rest))) if b.terraform.is_some() => {
            format!(
                "\"${{{}}}{rest}\"",
                b.terraform.as_deref().unwrap_or_default()
            )
        }
        (Syntax::CfnYaml, Some((b, rest))) if b.cloudformation.is_some() => {
            let (id, attr) = b.cloudformation.clone().unwrap_or_default();
            let name = attr.map_or(id.clone(), |a| format!("{id}.{a}"));
            if rest.is_empty() {
                format!("!GetAtt {name}")
            } else {
                format!("!Sub \"${{{name}}}{rest}\"")
            }
        }
        (Syntax::CfnJson, Some((b, rest))) if b.cloudformation.is_some() => {
            let (id, attr) = b.cloudformation.clone().unwrap_or_default();
            let name = attr.map_or(id.clone(), |a| format!("{id}.{a}"));
            format!("{{\"Fn::Sub\": \"${{{name}}}{rest}\"}}")
        }
        // Terraform reads `${` in any string as an interpolation.
        (Syntax::TfObject | Syntax::TfDocument | Syntax::TfJsonText, _) => {
            quoted(&resource.replace("${", "$${"))
        }
        _ => quoted(resource),
    }
}
