//! Rule-level checks (S3R200-S3R299): schema version, Priority, DeleteMarkerReplication, ID,
//! Status values, filter shapes, tags, prefixes and deprecated members. One file per rule or
//! small family; `edit` and `migrate` build the text edits of their fixes.

pub mod delete_markers;
pub mod deprecated;
pub mod edit;
pub mod filter_shape;
pub mod id;
pub mod migrate;
pub mod new_features;
pub mod prefix;
pub mod priority;
pub mod schema_version;
pub mod status;
pub mod tags;

use crate::model::{Meta, Rule, Tag, Val};
use crate::source::Span;

/// Where to point at a whole rule or block: the XML start-tag name, or the JSON key. JSON
/// list items have no key, so their opening `{` stands in.
pub fn head(meta: &Meta) -> Span {
    if meta.name_span != meta.span || meta.span.is_empty() {
        meta.name_span
    } else {
        Span::new(meta.span.start as usize, meta.span.start as usize + 1)
    }
}

/// Every prefix of a rule (V1 rule prefix and every filter prefix) with its document path.
pub fn prefixes(rule: &Rule, base: &str) -> Vec<(&Val<String>, String)> {
    let mut out = Vec::new();
    if let Some(p) = &rule.prefix {
        out.push((p, format!("{base}/Prefix")));
    }
    let Some(f) = &rule.filter else { return out };
    if let Some(p) = &f.prefix {
        out.push((p, format!("{base}/Filter/Prefix")));
    }
    if let Some(a) = &f.and {
        if let Some(p) = &a.prefix {
            out.push((p, format!("{base}/Filter/And/Prefix")));
        }
        if let Some(n) = &a.not {
            not_prefixes(n, &format!("{base}/Filter/And/Not"), &mut out);
        }
    }
    if let Some(n) = &f.not {
        not_prefixes(n, &format!("{base}/Filter/Not"), &mut out);
    }
    out
}

fn not_prefixes<'r>(n: &'r crate::model::Not, base: &str, out: &mut Vec<(&'r Val<String>, String)>) {
    if let Some(p) = &n.prefix {
        out.push((p, format!("{base}/Prefix")));
    }
    if let Some(or) = &n.or {
        for (k, p) in or.prefixes.iter().enumerate() {
            out.push((p, format!("{base}/Or/Prefixes/{k}")));
        }
    }
}

/// Every tag in a rule's filter with its document path.
pub fn tags(rule: &Rule, base: &str) -> Vec<(&Tag, String)> {
    let mut out = Vec::new();
    let Some(f) = &rule.filter else { return out };
    if let Some(t) = &f.tag {
        out.push((t, format!("{base}/Filter/Tag")));
    }
    if let Some(a) = &f.and {
        for (k, t) in a.tags.iter().enumerate() {
            out.push((t, format!("{base}/Filter/And/Tags/{k}")));
        }
        if let Some(n) = &a.not {
            not_tags(n, &format!("{base}/Filter/And/Not"), &mut out);
        }
    }
    if let Some(n) = &f.not {
        not_tags(n, &format!("{base}/Filter/Not"), &mut out);
    }
    out
}

fn not_tags<'r>(n: &'r crate::model::Not, base: &str, out: &mut Vec<(&'r Tag, String)>) {
    if let Some(t) = &n.tag {
        out.push((t, format!("{base}/Tag")));
    }
    if let Some(or) = &n.or {
        for (k, t) in or.tags.iter().enumerate() {
            out.push((t, format!("{base}/Or/Tags/{k}")));
        }
    }
}

/// Truncate a user value for a message (char-boundary safe).
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max).collect();
        out.push('…');
        out
    }
}

/// Push a fully built diagnostic of `rule` (for diagnostics assembled with `with_fix` etc.).
pub fn emit(cx: &mut crate::rules::RuleContext, rule: &'static crate::rules::RuleMeta, d: crate::Diagnostic) {
    *cx.report(rule, d.span, String::new(), String::new()) = d;
}
