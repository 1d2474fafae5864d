//! A permission the policy does not grant: where to report it (the Deny that blocks it, the
//! Allow that misses in one part, or `Statement`) and how to name the statement.

use super::Sink;
use crate::catalogue::RuleMeta;
use crate::policy::iam::{self, Caller, Outcome, Policy, Request, Statement};
use crate::source::Span;

fn untagged(path: &str) -> &str {
    match path.strip_prefix("/#") {
        Some(rest) => rest.trim_start_matches(|c: char| c.is_ascii_digit()),
        None => path,
    }
}

pub(super) fn stmt_name(s: &Statement) -> String {
    match &s.sid {
        Some(sid) if !sid.is_empty() => format!("statement `{sid}`"),
        // Several policies audited as one tag their paths `/#<n>`; the user knows the
        // statement by its place in its own policy.
        _ => format!("the statement at {}", untagged(&s.path)),
    }
}

/// Report `rule` for a request the policy does not allow: at the Deny that blocks it, at the
/// first statement that has the action but not the resource, or at `Statement`.
pub(super) fn report_missing(
    sink: &mut Sink,
    policy: &Policy,
    rule: &'static RuleMeta,
    req: &Request,
    shown: &str,
    consequence: &str,
) {
    match iam::evaluate(policy, req) {
        Outcome::Allowed(_) => {}
        Outcome::Denied(i) => {
            let s = &policy.statements[i];
            let span = s.action_span.unwrap_or(s.span);
            sink.report(
                rule,
                span,
                &s.path,
                format!(
                    "{} denies {} on {}: {}",
                    stmt_name(s),
                    req.action,
                    shown,
                    consequence
                ),
            );
        }
        Outcome::NotAllowed => {
            // An Allow statement that misses in one part only. One with the right action and
            // principal was meant for this request; a principal miss is often an account's
            // delegation statement; an action miss only shares the resource.
            let rank = |n: &Miss| match n.part {
                "Action" | "NotAction" => 2,
                "Principal" | "NotPrincipal" => 1,
                _ => 0,
            };
            let mut near: Option<(&Statement, Miss)> = None;
            for s in &policy.statements {
                if let Some(n) = near_miss(s, req, shown) {
                    if near.as_ref().is_none_or(|(_, b)| rank(&n) < rank(b)) {
                        near = Some((s, n));
                    }
                }
            }
            match near {
                Some((s, n)) => {
                    let d = sink.report(
                        rule,
                        n.span,
                        &n.path,
                        format!(
                            "{} would allow {} on {shown} but for its {} (found {}; needed {}): {consequence}",
                            stmt_name(s),
                            req.action,
                            n.part,
                            n.found,
                            n.needed,
                        ),
                    );
                    if n.part.ends_with("Principal") && n.found.contains(":root") {
                        d.help = Some(ROOT_DELEGATES.into());
                    }
                }
                None => {
                    sink.report(
                        rule,
                        policy.anchor,
                        "/Statement",
                        format!(
                            "No statement allows {} on {}: {}",
                            req.action, shown, consequence
                        ),
                    );
                }
            }
            let message = sink
                .diags
                .last()
                .map(|d| d.message.clone())
                .unwrap_or_default();
            sink.grants.push((message, req.action, shown.to_string()));
        }
    }
}

const ROOT_DELEGATES: &str = "An account's root principal delegates to that account's IAM policies: it covers only that account's own roles and users. Name the replication role, or its account's root (the role's own policy must then allow the action too).";

/// Up to four values, comma-separated.
fn list<'v>(values: impl Iterator<Item = &'v str>) -> String {
    let mut out = String::new();
    for (i, v) in values.enumerate() {
        if i == 4 {
            out.push_str(", ...");
            break;
        }
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(v);
    }
    out
}

/// A statement part that keeps an Allow from applying: its name (`Action`, `Principal`,
/// `Resource`, `Condition` or a `Not` form), span, path, the values it holds and what it needs.
struct Miss {
    part: &'static str,
    span: Span,
    path: String,
    found: String,
    needed: String,
}

/// If `s` is an Allow statement that would allow `req` but for one part, that part.
fn near_miss(s: &Statement, req: &Request, shown: &str) -> Option<Miss> {
    if !s.allow {
        return None;
    }
    let m = iam::matches(s, req);
    let misses = [
        !m.action,
        m.principal == iam::Tri::False,
        m.resource == iam::Tri::False,
        m.conditions == iam::Tri::False,
    ];
    if misses.iter().filter(|&&x| x).count() != 1 {
        return None;
    }
    let not = |yes: bool, a: &'static str, b: &'static str| if yes { a } else { b };
    let (part, span, found, needed) = match misses.iter().position(|&x| x) {
        Some(0) => (
            not(s.not_action, "NotAction", "Action"),
            s.action_span,
            list(s.actions.iter().map(|a| a.value.as_str())),
            req.action.to_string(),
        ),
        Some(1) => {
            let p = s.principal.as_ref()?;
            let span = match (p.entries.first(), p.entries.last()) {
                (Some(a), Some(b)) => Some(a.1.span.cover(b.1.span)),
                _ => None,
            };
            let entries: Vec<String> = p
                .entries
                .iter()
                .map(|(k, v)| format!("{k} {}", v.value))
                .collect();
            let needed = match &req.caller {
                Caller::Service(svc) => format!("Service {svc}"),
                Caller::Role {
                    arn: Some(a),
                    account: Some(c),
                } => format!("the replication role {a} or its account {c}"),
                Caller::Identity => "no Principal".to_string(),
                _ => "the replication role".to_string(),
            };
            let part = not(s.not_principal, "NotPrincipal", "Principal");
            (part, span, list(entries.iter().map(String::as_str)), needed)
        }
        Some(2) => (
            not(s.not_resource, "NotResource", "Resource"),
            s.resource_span,
            list(s.resources.iter().map(|r| r.value.as_str())),
            shown.to_string(),
        ),
        _ => {
            let c = s
                .conditions
                .iter()
                .find(|c| iam::eval_condition(c, req) == iam::Tri::False)?;
            let (span, path) = cond_span(s, &c.key.value)?;
            let value = req
                .condition_keys
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(&c.key.value));
            return Some(Miss {
                part: "Condition",
                span,
                path,
                found: format!(
                    "{} {} {}",
                    c.op,
                    c.key.value,
                    list(c.values.iter().map(|v| v.value.as_str()))
                ),
                needed: format!(
                    "{} {}",
                    c.key.value,
                    value.and_then(|(_, v)| v.as_deref()).unwrap_or("?")
                ),
            });
        }
    };
    Some(Miss {
        part,
        span: span.unwrap_or(s.span),
        path: format!("{}/{part}", s.path),
        found,
        needed,
    })
}

pub(super) fn cond_span(s: &Statement, key: &str) -> Option<(Span, String)> {
    let c = s
        .conditions
        .iter()
        .find(|c| c.key.value.eq_ignore_ascii_case(key))?;
    let span = match (c.values.first(), c.values.last()) {
        (Some(a), Some(b)) => a.span.cover(b.span),
        _ => c.key.span,
    };
    Some((span, c.path.clone()))
}
