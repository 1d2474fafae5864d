//! Rule-level checks (S3R200-S3R299): schema version, Priority, DeleteMarkerReplication, ID,
//! Status values, filter shapes, tags, prefixes and deprecated members. One file per rule or
//! small family; `edit` and `migrate` build the text edits of their fixes.

pub mod delete_markers;
pub mod deprecated;
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
pub mod whitespace;

use crate::model::{Rule, Str, Tag, Val};
pub use crate::rules::support::{edit, head, shorten};
use crate::rules::RulePath;

/// Every prefix of rule `i` (V1 rule prefix and every filter prefix) with its document path.
pub fn each_prefix<'r>(rule: &'r Rule, i: usize, mut f: impl FnMut(&'r Val<Str>, RulePath)) {
    if let Some(p) = &rule.prefix {
        f(p, RulePath::new(i, "/Prefix"));
    }
    let Some(filter) = &rule.filter else { return };
    if let Some(p) = &filter.prefix {
        f(p, RulePath::new(i, "/Filter/Prefix"));
    }
    if let Some(a) = &filter.and {
        if let Some(p) = &a.prefix {
            f(p, RulePath::new(i, "/Filter/And/Prefix"));
        }
        if let Some(n) = &a.not {
            if let Some(p) = &n.prefix {
                f(p, RulePath::new(i, "/Filter/And/Not/Prefix"));
            }
            if let Some(or) = &n.or {
                for (k, p) in or.prefixes.iter().enumerate() {
                    f(p, RulePath::item(i, "/Filter/And/Not/Or/Prefixes/", k));
                }
            }
        }
    }
    if let Some(n) = &filter.not {
        if let Some(p) = &n.prefix {
            f(p, RulePath::new(i, "/Filter/Not/Prefix"));
        }
        if let Some(or) = &n.or {
            for (k, p) in or.prefixes.iter().enumerate() {
                f(p, RulePath::item(i, "/Filter/Not/Or/Prefixes/", k));
            }
        }
    }
}

/// Every tag in rule `i`'s filter with its document path.
pub fn each_tag<'r>(rule: &'r Rule, i: usize, mut f: impl FnMut(&'r Tag, RulePath)) {
    let Some(filter) = &rule.filter else { return };
    if let Some(t) = &filter.tag {
        f(t, RulePath::new(i, "/Filter/Tag"));
    }
    if let Some(a) = &filter.and {
        for (k, t) in a.tags.iter().enumerate() {
            f(t, RulePath::item(i, "/Filter/And/Tags/", k));
        }
        if let Some(n) = &a.not {
            if let Some(t) = &n.tag {
                f(t, RulePath::new(i, "/Filter/And/Not/Tag"));
            }
            if let Some(or) = &n.or {
                for (k, t) in or.tags.iter().enumerate() {
                    f(t, RulePath::item(i, "/Filter/And/Not/Or/Tags/", k));
                }
            }
        }
    }
    if let Some(n) = &filter.not {
        if let Some(t) = &n.tag {
            f(t, RulePath::new(i, "/Filter/Not/Tag"));
        }
        if let Some(or) = &n.or {
            for (k, t) in or.tags.iter().enumerate() {
                f(t, RulePath::item(i, "/Filter/Not/Or/Tags/", k));
            }
        }
    }
}

/// Push a fully built diagnostic of `rule` (for diagnostics assembled with `with_fix` etc.).
pub fn emit(
    cx: &mut crate::rules::CheckContext,
    rule: &'static crate::catalogue::RuleMeta,
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
