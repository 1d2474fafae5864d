//! Quick fixes of policy findings as edits of the user's own code: the action that was meant,
//! or the statement to add, written the way the policy is written (a YAML list item, a JSON
//! object, an HCL object in `jsonencode`, a `statement` block of `aws_iam_policy_document`),
//! with the code's own references where it names the resource.

use super::{FoundPolicies, FoundPolicy, Syntax};
use crate::catalogue::audit as codes;
use crate::diagnostic::{Diagnostic, Fix, TextEdit};
use crate::source::Span;
use crate::syntax::{Content, Node};

/// A misspelled action (S3R722) becomes the action meant; `s3:GetObjectVersion` (S3R703)
/// becomes the one replication needs.
pub fn action(d: &Diagnostic, text: &str) -> Option<Fix> {
    let written = text.get(d.span.range())?;
    // Quotes escaped too: a policy in a JSON string of a `.tf.json` file.
    let action = written.trim().trim_matches(['"', '\'', '\\']);
    let meant = if d.code == codes::UNKNOWN_ACTION.code {
        crate::policy::actions::misspelled(action)?
    } else if d.code == codes::GET_OBJECT_VERSION.code
        && action.eq_ignore_ascii_case("s3:GetObjectVersion")
    {
        "s3:GetObjectVersionForReplication".to_string()
    } else {
        return None;
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
        Syntax::PlanJson => return None,
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

/// `resource` as a value in the policy's language, through the code's own reference where a
/// binding names what it starts with (the emitter's rendering of one policy string).
fn reference(syntax: Syntax, resource: &str, found: &FoundPolicies) -> String {
    use crate::policy::emit::{cloudformation_value, terraform_value};
    let json = |s: &str| {
        let mut out = String::new();
        crate::serialize::json::escape_string(&mut out, s);
        out
    };
    match syntax {
        Syntax::TfObject | Syntax::TfDocument => terraform_value(resource, &found.bindings),
        Syntax::CfnYaml => cloudformation_value(resource, &found.bindings),
        // JSON text in a Terraform string or heredoc: a JSON string, interpolations inside it.
        Syntax::TfJsonText => {
            let v = terraform_value(resource, &found.bindings);
            if v.starts_with('"') {
                v
            } else {
                format!("\"${{{v}}}\"")
            }
        }
        Syntax::PlanJson => json(resource),
        Syntax::CfnJson => match cloudformation_value(resource, &found.bindings).split_once(' ') {
            Some(("!Sub", rest)) => format!("{{\"Fn::Sub\": {rest}}}"),
            Some(("!GetAtt", rest)) => {
                // JSON's long form takes the logical ID and the attribute apart.
                let (id, attr) = rest.split_once('.').unwrap_or((rest, "Arn"));
                format!("{{\"Fn::GetAtt\": [{}, {}]}}", json(id), json(attr))
            }
            Some(("!Ref", rest)) => format!("{{\"Ref\": {}}}", json(rest)),
            _ => json(resource),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::{reference, FoundPolicies, Syntax};
    use crate::policy::emit::Binding;

    #[test]
    fn resources_through_the_codes_own_references() {
        let mut found = FoundPolicies::default();
        found.bindings.push(Binding {
            value: "arn:aws:s3:::src".into(),
            terraform: Some("aws_s3_bucket.source.arn".into()),
            cloudformation: Some(("Source".into(), Some("Arn".into()))),
        });
        let r = |syntax, resource| reference(syntax, resource, &found);
        assert_eq!(
            r(Syntax::TfDocument, "arn:aws:s3:::src"),
            "aws_s3_bucket.source.arn"
        );
        assert_eq!(
            r(Syntax::TfObject, "arn:aws:s3:::src/logs*"),
            "\"${aws_s3_bucket.source.arn}/logs*\""
        );
        assert_eq!(
            r(Syntax::TfJsonText, "arn:aws:s3:::src"),
            "\"${aws_s3_bucket.source.arn}\""
        );
        assert_eq!(
            r(Syntax::CfnYaml, "arn:aws:s3:::src/*"),
            "!Sub \"${Source.Arn}/*\""
        );
        assert_eq!(
            r(Syntax::CfnJson, "arn:aws:s3:::src/*"),
            "{\"Fn::Sub\": \"${Source.Arn}/*\"}"
        );
        assert_eq!(
            r(Syntax::CfnJson, "arn:aws:s3:::src"),
            "{\"Fn::GetAtt\": [\"Source\", \"Arn\"]}"
        );
        // Not bound (nor a longer bucket name that starts the same): a literal.
        assert_eq!(
            r(Syntax::CfnJson, "arn:aws:s3:::src2/*"),
            "\"arn:aws:s3:::src2/*\""
        );
        assert_eq!(
            r(Syntax::TfDocument, "arn:aws:s3:::other/*"),
            "\"arn:aws:s3:::other/*\""
        );
    }
}
