//! Findings that rest on a value the code does not fix (a variable without a default, a
//! reference to what only the deployment knows) are only "not verified" (S3R600), never an
//! error: the deployed value may well be right.

use super::Unknown;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Document;
use crate::rules;
use crate::source::Span;

/// Turns every finding that rests on an unknown value into S3R600, saying which value.
pub(super) fn not_verified_where_unknown(
    diagnostics: &mut [Diagnostic],
    document: &Document,
    text: &str,
    unknowns: &[Unknown],
    tainted: &[Span],
) {
    for d in diagnostics {
        let on = rests_on_unknown(d, unknowns, tainted)
            .or_else(|| compares_unknowns(d, document, text, unknowns).map(Ok));
        if let Some(u) = on {
            // A message that quotes the stand-in `${expression}` judged the text of a value
            // the code does not fix ("`${aws_iam_role.r.arn}` is a name, not an ARN"), which
            // says nothing true about the deployed value: the check's own summary says what
            // could not be verified.
            if d.message.contains("`${") || d.message.contains(super::eval::PARAMETER_STAND_IN) {
                if let Some(rule) = rules::find(d.code) {
                    d.message = rule.summary.to_string();
                }
            }
            not_verified(d, why_unknown(u));
        }
    }
}

/// The unknown value a finding rests on: its own span (or a related one) lies within an
/// unknown value, or inside a span whose shape depends on one.
pub(super) fn rests_on_unknown<'u>(
    d: &Diagnostic,
    unknowns: &'u [Unknown],
    tainted: &[Span],
) -> Option<Result<&'u Unknown, Span>> {
    if d.severity == Severity::Info {
        return None;
    }
    let within = |s: Span, outer: Span| {
        s.start >= outer.start
            && s.end <= outer.end
            && !(s.is_empty() && s.start == outer.end && !outer.is_empty())
    };
    let spans = std::iter::once(d.span).chain(d.related.iter().map(|r| r.span));
    for s in spans {
        if let Some(u) = unknowns
            .iter()
            .find(|u| within(s, u.span) && !u.keep.keeps(d.code))
        {
            return Some(Ok(u));
        }
        if let Some(t) = tainted.iter().find(|t| within(s, **t)) {
            return Some(Err(*t));
        }
    }
    None
}

/// Findings that compare two rules: which one has the higher priority, whether they send to
/// the same destination bucket.
const CROSS_RULE_CODES: &[&str] = &[
    DUPLICATE_PRIORITY,
    rules::cross_rule::overlap::OVERLAP.meta.code,
    rules::cross_rule::overlap::SHADOWED.code,
    rules::cross_rule::overlap::CONFLICTING_SETTINGS.code,
];
const DUPLICATE_PRIORITY: &str = rules::rule_level::priority::DUPLICATE_PRIORITY.meta.code;

/// The unknown value a cross-rule finding rests on without pointing at it: the priority of
/// one of the rules it compares (read as a number it is not), or their destinations when
/// either is a value the code does not fix and the two are not written the same (two
/// instances of one resource, `aws_s3_bucket.b[0]` and `[1]`, share one stand-in name).
/// Two rules whose values are the same expression are compared as equal, as they are.
fn compares_unknowns<'u>(
    d: &Diagnostic,
    doc: &Document,
    text: &str,
    unknowns: &'u [Unknown],
) -> Option<&'u Unknown> {
    if d.severity == Severity::Info || !CROSS_RULE_CODES.contains(&d.code) {
        return None;
    }
    let within = |s: Span, outer: Span| s.start >= outer.start && s.end <= outer.end;
    let spans = std::iter::once(d.span).chain(d.related.iter().map(|r| r.span));
    let mut rules: Vec<&crate::model::Rule> = Vec::new();
    for s in spans {
        if let Some(r) = doc.rules.iter().find(|r| within(s, r.meta.span)) {
            if !rules.iter().any(|x| std::ptr::eq(*x, r)) {
                rules.push(r);
            }
        }
    }
    if rules.len() < 2 {
        return None;
    }
    let unknown_at = |s: Span| unknowns.iter().find(|u| !s.is_empty() && within(s, u.span));
    for r in &rules {
        if let Some(p) = &r.priority {
            if let Some(u) = unknown_at(p.meta.value_span).filter(|u| !u.keep.keeps(d.code)) {
                return Some(u);
            }
        }
    }
    // The destinations as written: `aws_s3_bucket.b[0].arn` and `[1]` read as one name.
    let destinations: Vec<Option<(&Unknown, &str)>> = rules
        .iter()
        .map(|r| {
            let b = r.destination.as_ref()?.bucket.as_ref()?;
            let u = unknown_at(b.meta.value_span)?;
            Some((
                u,
                text.get(u.span.start as usize..u.span.end as usize)
                    .unwrap_or_default(),
            ))
        })
        .collect();
    let first = destinations[0].map(|(_, t)| t);
    let differ = destinations.iter().any(|d| d.map(|(_, t)| t) != first);
    // A duplicate priority is a finding whatever the destinations; only "the same
    // destination" (its error) rests on them.
    let on_destination = d.code != DUPLICATE_PRIORITY || d.severity == Severity::Error;
    if differ && on_destination {
        return destinations.into_iter().flatten().next().map(|(u, _)| u);
    }
    None
}

pub(super) fn why_unknown(on: Result<&Unknown, Span>) -> String {
    match on {
        Ok(u) => format!("`{}` is not known until deployment", shorten(&u.expression)),
        Err(_) => "this part of the configuration depends on values not known until deployment"
            .to_string(),
    }
}

/// Turn `d` into S3R600 "Not verified (CODE: severity): ...", saying `why`.
pub(super) fn not_verified(d: &mut Diagnostic, why: String) {
    d.message = format!(
        "Not verified ({}: {}): {}",
        d.code,
        d.severity.as_str(),
        d.message
    );
    d.help = Some(format!("{why}; the check could not be completed. Give the value a literal or a default, or check the deployed configuration."));
    d.code = crate::catalogue::engine::UNVERIFIED.code;
    d.severity = Severity::Info;
}

pub(crate) fn shorten(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 80 {
        let mut t: String = s.chars().take(77).collect();
        t.push_str("...");
        t
    } else {
        s.to_string()
    }
}
