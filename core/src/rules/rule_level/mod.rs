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
pub mod v1_limits;

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
pub fn prefixes<'r>(rule: &'r Rule, base: &str) -> Vec<(&'r Val<String>, String)> {
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

fn not_prefixes<'r>(
    n: &'r crate::model::Not,
    base: &str,
    out: &mut Vec<(&'r Val<String>, String)>,
) {
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
pub fn tags<'r>(rule: &'r Rule, base: &str) -> Vec<(&'r Tag, String)> {
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
pub fn emit(
    cx: &mut crate::rules::RuleContext,
    rule: &'static crate::rules::RuleMeta,
    d: crate::Diagnostic,
) {
    let span = d.span;
    *cx.report(rule, span, String::new(), String::new()) = d;
}

#[cfg(test)]
pub(crate) mod testutil {
    use crate::diagnostic::apply_edits;
    use crate::{check, CheckOptions, Diagnostic, Severity};

    pub fn diagnostics(text: &str) -> Vec<Diagnostic> {
        check(text, &CheckOptions::default()).diagnostics
    }

    pub fn codes(text: &str) -> Vec<&'static str> {
        diagnostics(text).into_iter().map(|d| d.code).collect()
    }

    /// Apply the fix of the `nth` diagnostic with `code`, re-check, and assert that this
    /// diagnostic is gone and that no error appeared that was not there before.
    pub fn apply_fix(text: &str, code: &str, nth: usize) -> String {
        let before = diagnostics(text);
        let found: Vec<&Diagnostic> = before.iter().filter(|d| d.code == code).collect();
        let Some(d) = found.get(nth) else {
            panic!("{code} #{nth} not reported for:\n{text}\n{before:#?}");
        };
        let fix = d
            .fix
            .as_ref()
            .unwrap_or_else(|| panic!("{code} has no fix"));
        let fixed = apply_edits(text, &fix.edits);
        let after = diagnostics(&fixed);
        assert!(
            !after.iter().any(|a| a.code == code && a.path == d.path),
            "{code} still reported after the fix:\n{fixed}\n{after:#?}"
        );
        for a in after.iter().filter(|a| a.severity == Severity::Error) {
            assert!(
                before
                    .iter()
                    .any(|b| b.severity == Severity::Error && b.code == a.code && b.path == a.path),
                "the fix introduced {} at {}:\n{fixed}\n{after:#?}",
                a.code,
                a.path
            );
        }
        fixed
    }

    /// Apply every fix of every diagnostic with `code` at once (they must not overlap).
    pub fn apply_all(text: &str, code: &str) -> String {
        let edits: Vec<_> = diagnostics(text)
            .into_iter()
            .filter(|d| d.code == code)
            .filter_map(|d| d.fix)
            .flat_map(|f| f.edits)
            .collect();
        apply_edits(text, &edits)
    }
}
