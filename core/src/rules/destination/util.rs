//! Small helpers shared by the destination, KMS, cross-rule and environment checks: rule
//! labels, account facts, and format-aware text edits for fixes.

use crate::context::Fact;
use crate::diagnostic::Diagnostic;
use crate::model::{Document, Format, Meta, Rule};
use crate::rules::RuleContext;
use crate::source::Span;

/// "rule `ID`", or "the rule at /Rules/3" when it has no ID.
pub fn rule_label(rule: &Rule, index: usize) -> String {
    match &rule.id {
        Some(id) if !id.value.is_empty() => format!("rule `{}`", id.value),
        _ => format!("the rule at {}", Rule::path(index)),
    }
}

/// `value (from the deployment context)`.
pub fn fact(f: &Fact) -> String {
    format!("{} ({})", f.value, f.source.describe())
}

/// The source bucket owner (context, else the Role ARN's account).
pub fn source_account(cx: &RuleContext) -> Option<Fact> {
    cx.ctx
        .source_account
        .clone()
        .filter(|f| crate::arn::is_account_id(&f.value))
}

/// The destination owner of rule `i` from the context or an account-regional bucket name
/// (never from the rule's own `Account`, which is what some checks verify).
pub fn known_owner(cx: &RuleContext, i: usize) -> Option<Fact> {
    cx.destination_account(i, None)
        .filter(|f| crate::arn::is_account_id(&f.value))
}

/// The destination owner of rule `i` as best known: context, the rule's `Account`, the
/// bucket name.
pub fn destination_owner(cx: &RuleContext, rule: &Rule, i: usize) -> Option<Fact> {
    rule.destination_bucket()?;
    let account = rule
        .destination
        .as_ref()
        .and_then(|d| d.account.as_ref())
        .map(|a| a.as_str())
        .filter(|a| crate::arn::is_account_id(a));
    cx.destination_account(i, account)
        .filter(|f| crate::arn::is_account_id(&f.value))
}

pub fn format_of(doc: &Document, text: &str) -> Format {
    doc.format.unwrap_or_else(|| {
        if text.trim_start().starts_with('{') {
            Format::Json
        } else {
            Format::Xml
        }
    })
}

/// Replacement text for a scalar value at `span`: quoted JSON when the span holds a JSON
/// string, escaped XML text otherwise.
pub fn scalar(text: &str, span: Span, value: &str) -> String {
    let quoted = text.get(span.range()).is_some_and(|s| s.starts_with('"'));
    if quoted {
        serde_json::to_string(value).unwrap_or_else(|_| format!("\"{value}\""))
    } else {
        value
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }
}

/// The whitespace that starts the line holding byte `pos`, and whether only whitespace
/// precedes `pos` on that line.
fn indentation(text: &str, pos: usize) -> (&str, bool) {
    let pos = pos.min(text.len());
    let mut start = pos;
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..start];
    let indent_len = line.len() - line.trim_start().len();
    (&line[..indent_len], line.trim().is_empty())
}

/// An edit that inserts a sibling member after `after` (a member of the same parent).
/// `xml` is the element's inner markup, `json` the member's JSON value.
pub fn insert_after(
    doc: &Document,
    text: &str,
    after: &Meta,
    name: &str,
    xml: &str,
    json: &str,
) -> Option<(Span, String)> {
    let end = after.span.end as usize;
    if end > text.len() || !text.is_char_boundary(end) || after.span.is_empty() {
        return None;
    }
    let (indent, own_line) = indentation(text, after.span.start as usize);
    let sep = if own_line {
        format!("\n{indent}")
    } else {
        " ".to_string()
    };
    let new = match format_of(doc, text) {
        Format::Xml => format!("{sep}<{name}>{xml}</{name}>"),
        Format::Json => format!(",{sep}\"{name}\": {json}"),
    };
    Some((Span::empty(end), new))
}

/// Attach a fix to a diagnostic in place.
pub fn set_fix(d: &mut Diagnostic, title: impl Into<String>, edits: Vec<(Span, String)>) {
    *d = d.clone().with_fix(title, edits);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indentation_and_scalars() {
        let t = "<A>\n    <B>x</B>\n</A>";
        let pos = t.find("<B>").unwrap();
        assert_eq!(indentation(t, pos), ("    ", true));
        assert_eq!(indentation(t, pos + 3), ("    ", false));
        let j = r#"{"S": "x"}"#;
        let s = j.find("\"x\"").unwrap();
        assert_eq!(scalar(j, Span::new(s, s + 3), "y\"z"), r#""y\"z""#);
        assert_eq!(scalar("<S>a</S>", Span::new(3, 4), "a&b"), "a&amp;b");
    }
}
