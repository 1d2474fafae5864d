//! How messages name things: a rule, a fact and where it came from, a long user value.

use crate::context::Fact;
use crate::model::Rule;

/// "rule `ID`", or "rule #4" (counted from 1) when it has no ID.
pub fn rule_label(rule: &Rule, index: usize) -> String {
    rule.label(index)
}

/// `value (from the deployment context)`.
pub fn fact(f: &Fact) -> String {
    format!("{} ({})", f.value, f.source.describe())
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
