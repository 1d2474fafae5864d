//! Small helpers shared by the destination, KMS, cross-rule and environment checks: rule
//! labels, account facts, and format-aware text edits for fixes.

use crate::context::Fact;
use crate::diagnostic::Diagnostic;
use crate::model::{Document, Format, Meta, Rule, Str, Val};
use crate::rules::rule_level::edit::{format_of, line_indent, replace_string_value};
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

/// Each destination bucket once: the first rule that names it among the rules `keep` accepts,
/// as (rule index, its `Destination/Bucket` value, the bucket name).
pub fn first_rule_per_bucket<'a>(
    cx: &RuleContext<'a>,
    keep: impl Fn(&Rule) -> bool,
) -> Vec<(usize, &'a Val<Str>, &'a str)> {
    let mut out: Vec<(usize, &'a Val<Str>, &'a str)> = Vec::new();
    for (i, rule) in cx.doc.rules.iter().enumerate() {
        if !keep(rule) {
            continue;
        }
        let Some(b) = rule.destination.as_ref().and_then(|d| d.bucket.as_ref()) else {
            continue;
        };
        let Some(name) = cx.bucket(i) else { continue };
        if out.iter().all(|&(_, _, seen)| seen != name) {
            out.push((i, b, name));
        }
    }
    out
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
    let sep = match line_indent(text, after.span.start as usize) {
        Some(indent) => format!("\n{indent}"),
        None => " ".to_string(),
    };
    let new = match format_of(doc, text) {
        Format::Xml => format!("{sep}<{name}>{xml}</{name}>"),
        Format::Json => format!(",{sep}\"{name}\": {json}"),
    };
    Some((Span::empty(end), new))
}

/// Attach a fix that rewrites the string value at `span` to `value`, written in the value's
/// own syntax (a JSON string keeps its quotes, XML text is escaped).
pub fn set_value_fix(
    d: &mut Diagnostic,
    text: &str,
    span: Span,
    value: &str,
    title: impl Into<String>,
) {
    let new = replace_string_value(text, span, value);
    set_fix(d, title, vec![(span, new)]);
}

/// Attach a fix to a diagnostic in place.
pub fn set_fix(d: &mut Diagnostic, title: impl Into<String>, edits: Vec<(Span, String)>) {
    *d = d.clone().with_fix(title, edits);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_on_the_anchor_line_or_after_it() {
        let t = "<A>\n    <B>x</B>\n</A>";
        let start = t.find("<B>").unwrap();
        let end = start + "<B>x</B>".len();
        let doc = Document {
            format: Some(Format::Xml),
            ..Document::default()
        };
        let after = Meta {
            span: Span::new(start, end),
            ..Meta::default()
        };
        let (at, new) = insert_after(&doc, t, &after, "C", "y", "1").unwrap();
        assert_eq!((at, new.as_str()), (Span::empty(end), "\n    <C>y</C>"));
        let j = r#"{"B": 1}"#;
        let after = Meta {
            span: Span::new(1, 7),
            ..Meta::default()
        };
        let doc = Document {
            format: Some(Format::Json),
            ..Document::default()
        };
        let (_, new) = insert_after(&doc, j, &after, "C", "y", "2").unwrap();
        assert_eq!(new, r#", "C": 2"#);
    }
}
