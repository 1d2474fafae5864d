//! Does this policy allow this request? A Deny that surely matches wins; else the first Allow
//! that may match (conditions it cannot evaluate count as a maybe).

use super::{Cond, Policy, Statement};

/// One pattern element of an IAM string pattern.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tok {
    Lit(char),
    Star,
    One,
}

fn tokens(pattern: &str, wildcards: bool) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("${") {
            if let Some(end) = rest.find('}') {
                match &rest[2..end] {
                    "*" => out.push(Tok::Lit('*')),
                    "?" => out.push(Tok::Lit('?')),
                    "$" => out.push(Tok::Lit('$')),
                    // Another policy variable: its value is unknown, match anything.
                    _ => out.push(Tok::Star),
                }
                rest = &rest[end + 1..];
                continue;
            }
        }
        out.push(match c {
            '*' if wildcards => Tok::Star,
            '?' if wildcards => Tok::One,
            c => Tok::Lit(c),
        });
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// IAM `*`/`?` glob match (iterative, linear backtracking on the last star).
pub(crate) fn glob(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let p = tokens(pattern, true);
    let t: Vec<char> = text.chars().collect();
    let eq = |a: char, b: char| {
        if ignore_case {
            // What is compared case-insensitively here (action names; the ViaService, ARN and
            // bucket values replication needs) is ASCII, and ASCII folding keeps Unicode case
            // tables out of the wasm module.
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(Tok::Star) => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(Tok::One) => {
                pi += 1;
                ti += 1;
            }
            Some(Tok::Lit(c)) if eq(*c, t[ti]) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    while p.get(pi) == Some(&Tok::Star) {
        pi += 1;
    }
    pi == p.len()
}

/// Whether some text matches both IAM patterns (`*`, `?` and policy variables as in
/// [`glob`]): a pattern standing for an unknown value against a statement's pattern.
pub(crate) fn overlap(a: &str, b: &str) -> bool {
    let (a, b) = (tokens(a, true), tokens(b, true));
    // seen[i][j]: the suffixes a[i..] and b[j..] were already found to share no text.
    let mut seen = vec![vec![false; b.len() + 1]; a.len() + 1];
    let mut stack = vec![(0usize, 0usize)];
    while let Some((i, j)) = stack.pop() {
        if seen[i][j] {
            continue;
        }
        seen[i][j] = true;
        match (a.get(i), b.get(j)) {
            (None, None) => return true,
            (Some(Tok::Star), _) | (_, Some(Tok::Star)) => {
                // A star matches nothing more, or one more character of the other side.
                if a.get(i) == Some(&Tok::Star) {
                    stack.push((i + 1, j));
                    if j < b.len() {
                        stack.push((i, j + 1));
                    }
                }
                if b.get(j) == Some(&Tok::Star) {
                    stack.push((i, j + 1));
                    if i < a.len() {
                        stack.push((i + 1, j));
                    }
                }
            }
            (Some(x), Some(y)) => {
                let one = |t: &Tok| *t == Tok::One;
                let same = match (x, y) {
                    (Tok::Lit(c), Tok::Lit(d)) => c == d,
                    _ => one(x) || one(y),
                };
                if same {
                    stack.push((i + 1, j + 1));
                }
            }
            _ => {}
        }
    }
    false
}

/// The root principal of `account` in the partition a principal pattern names
/// (`arn:aws-cn:iam::*:root` -> `arn:aws-cn:iam::ACCOUNT:root`).
fn root_of(pattern: &str, account: &str) -> String {
    let partition = pattern.split(':').nth(1).unwrap_or("aws");
    format!("arn:{partition}:iam::{account}:root")
}

/// Exact comparison honouring `${*}`-style literals (no wildcards).
fn equals(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let p = tokens(pattern, false);
    if p.contains(&Tok::Star) {
        return true; // a policy variable: unknown value
    }
    let lit: String = p
        .iter()
        .map(|t| match t {
            Tok::Lit(c) => *c,
            _ => '*',
        })
        .collect();
    if ignore_case {
        lit.eq_ignore_ascii_case(text)
    } else {
        lit == text
    }
}

/// Three-valued logic for conditions we cannot always evaluate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tri {
    True,
    False,
    Unknown,
}

/// The request being checked.
#[derive(Clone, Debug)]
pub(crate) struct Request {
    pub action: &'static str,
    /// `None`: the resource is unknown (a placeholder); any Resource may match.
    pub resource: Option<String>,
    /// For an unknown resource: a pattern every value it can take matches (a Resource that
    /// shares no text with it surely does not match).
    pub resource_shape: Option<String>,
    /// Condition keys we model: `Some(value)` known, `None` unknown. Keys absent from this list
    /// are unknown too (we do not model them).
    pub condition_keys: Vec<(&'static str, Option<String>)>,
    /// For resource policies: who makes the request.
    pub caller: Caller,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Caller {
    /// Identity policies: no Principal element.
    Identity,
    /// A service principal (`s3.amazonaws.com`).
    Service(&'static str),
    /// The replication role: matches its ARN, its account (ID or root ARN), or `*`.
    Role {
        arn: Option<String>,
        account: Option<String>,
    },
}

pub(crate) fn eval_condition(c: &Cond, req: &Request) -> Tri {
    let mut op = c.op.as_str();
    for prefix in ["ForAnyValue:", "ForAllValues:"] {
        if let Some(rest) = op.strip_prefix(prefix) {
            op = rest;
        }
    }
    // Every key we model is present in the request, so `...IfExists` changes nothing.
    let op = op.strip_suffix("IfExists").unwrap_or(op);
    let Some((_, value)) = req
        .condition_keys
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(&c.key.value))
    else {
        return Tri::Unknown;
    };
    let Some(value) = value else {
        return Tri::Unknown;
    };
    let any = |f: &dyn Fn(&str) -> bool| c.values.iter().any(|v| f(&v.value));
    let r = match op {
        "StringEquals" | "ArnEquals" => any(&|v| equals(v, value, false)),
        "StringEqualsIgnoreCase" => any(&|v| equals(v, value, true)),
        "StringLike" | "ArnLike" => any(&|v| glob(v, value, false)),
        "StringNotEquals" | "ArnNotEquals" => !any(&|v| equals(v, value, false)),
        "StringNotEqualsIgnoreCase" => !any(&|v| equals(v, value, true)),
        "StringNotLike" | "ArnNotLike" => !any(&|v| glob(v, value, false)),
        _ => return Tri::Unknown,
    };
    if r {
        Tri::True
    } else {
        Tri::False
    }
}

fn principal_matches(s: &Statement, caller: &Caller) -> Tri {
    let Some(p) = &s.principal else {
        return if *caller == Caller::Identity {
            Tri::True
        } else {
            Tri::Unknown
        };
    };
    let hit = p.any
        || p.entries.iter().any(|(kind, v)| match caller {
            Caller::Identity => false,
            Caller::Service(svc) => {
                kind == "Service" && v.value.eq_ignore_ascii_case(svc)
                    || kind == "AWS" && v.value == "*"
            }
            Caller::Role { arn, account } => {
                kind == "AWS"
                    && (v.value == "*"
                        || arn.as_deref() == Some(v.value.as_str())
                        || account.as_deref().is_some_and(|a| {
                            v.value == a
                                || (v.value.starts_with("arn:")
                                    && (v.value.ends_with(&format!(":iam::{a}:root"))
                                        || glob(&v.value, &root_of(&v.value, a), false)))
                        }))
            }
        });
    if s.not_principal {
        if hit {
            Tri::False
        } else {
            Tri::Unknown
        }
    } else if hit {
        Tri::True
    } else {
        Tri::False
    }
}

/// How one statement relates to a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Match {
    pub action: bool,
    pub resource: Tri,
    pub principal: Tri,
    pub conditions: Tri,
}

impl Match {
    /// Could apply (unknowns count as yes): what an Allow needs.
    pub fn maybe(self) -> bool {
        self.action
            && self.resource != Tri::False
            && self.principal != Tri::False
            && self.conditions != Tri::False
    }
    /// Surely applies: what a Deny needs before we say it blocks.
    pub fn surely(self) -> bool {
        self.action
            && self.resource == Tri::True
            && self.principal == Tri::True
            && self.conditions == Tri::True
    }
}

pub(crate) fn action_matches(s: &Statement, action: &str) -> bool {
    let hit = s.actions.iter().any(|a| glob(&a.value, action, true));
    hit != s.not_action
}

pub(crate) fn matches(s: &Statement, req: &Request) -> Match {
    let resource = if !s.has_resource {
        Tri::True
    } else {
        match &req.resource {
            None => match &req.resource_shape {
                Some(shape) if !s.resources.iter().any(|p| overlap(&p.value, shape)) => {
                    if s.not_resource {
                        Tri::True
                    } else {
                        Tri::False
                    }
                }
                _ => Tri::Unknown,
            },
            Some(r) => {
                let hit = s.resources.iter().any(|p| glob(&p.value, r, false));
                if hit != s.not_resource {
                    Tri::True
                } else {
                    Tri::False
                }
            }
        }
    };
    let mut conditions = Tri::True;
    for c in &s.conditions {
        match eval_condition(c, req) {
            Tri::False => {
                conditions = Tri::False;
                break;
            }
            Tri::Unknown => conditions = Tri::Unknown,
            Tri::True => {}
        }
    }
    Match {
        action: action_matches(s, req.action),
        resource,
        principal: principal_matches(s, &req.caller),
        conditions,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Allowed(usize),
    Denied(usize),
    NotAllowed,
}

pub(crate) fn evaluate(policy: &Policy, req: &Request) -> Outcome {
    let mut allowed = None;
    for (i, s) in policy.statements.iter().enumerate() {
        let m = matches(s, req);
        if s.deny && m.surely() {
            return Outcome::Denied(i);
        }
        if s.allow && allowed.is_none() && m.maybe() {
            allowed = Some(i);
        }
    }
    allowed.map_or(Outcome::NotAllowed, Outcome::Allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("s3:Replicate*", "s3:ReplicateObject", true));
        assert!(glob("S3:replicateobject", "s3:ReplicateObject", true));
        assert!(!glob(
            "s3:GetObjectVersion",
            "s3:GetObjectVersionForReplication",
            true
        ));
        assert!(glob(
            "arn:aws:s3:::b/logs/*",
            "arn:aws:s3:::b/logs/\u{0}",
            false
        ));
        assert!(!glob("arn:aws:s3:::b/logs/*", "arn:aws:s3:::b/log", false));
        assert!(glob(
            "arn:aws:s3:::b/a${*}b*",
            "arn:aws:s3:::b/a*b/x",
            false
        ));
        assert!(!glob(
            "arn:aws:s3:::b/a${*}b*",
            "arn:aws:s3:::b/axb/x",
            false
        ));
        assert!(glob("*", "", false));
        assert!(glob("a?c", "abc", false));
        assert!(!glob("a?c", "ac", false));
        assert!(glob("*a*b*c*", "xxaxxbxxcxx", false));
        assert!(overlap("*", "arn:aws:kms:eu-west-1:111122223333:key/*"));
        assert!(overlap(
            "arn:aws:kms:*:111122223333:key/*",
            "arn:aws:kms:eu-west-1:111122223333:key/*"
        ));
        assert!(overlap(
            "arn:aws:kms:eu-west-1:111122223333:key/1234",
            "arn:aws:kms:eu-west-1:111122223333:key/*"
        ));
        assert!(overlap("arn:aws:kms:${aws:x}", "arn:aws:kms:*:1:key/*"));
        assert!(!overlap(
            "arn:aws:kms:eu-west-1:111122223333:alias/replica",
            "arn:aws:kms:eu-west-1:111122223333:key/*"
        ));
        assert!(!overlap(
            "arn:aws:kms:eu-west-1:111122223333:alias/*",
            "arn:aws:kms:eu-west-1:111122223333:key/*"
        ));
        // A star matches `:` and `/` too: these two share "...:key/:111122223333:alias/".
        assert!(overlap(
            "arn:aws:kms:*:111122223333:alias/*",
            "arn:aws:kms:eu-west-1:111122223333:key/*"
        ));
        assert!(!overlap("a?c", "ab"));
        assert!(overlap("a*c", "*bc"));
        assert!(equals(
            "s3.us-east-1.amazonaws.com",
            "s3.us-east-1.amazonaws.com",
            false
        ));
    }
}
