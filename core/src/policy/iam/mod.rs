//! IAM policy documents read from a spanned JSON tree, and a small evaluator: does this
//! policy allow this request? Every value keeps its span so findings point into the text.
//!
//! `read.rs` reads a policy tree into these types (reporting what IAM would refuse);
//! `eval.rs` decides whether a policy allows a request.

mod eval;
mod read;

pub(crate) use eval::{eval_condition, evaluate, matches, Caller, Outcome, Request, Tri};

use crate::source::Span;

/// A string from the policy with where it is and its JSON path.
#[derive(Clone, Debug)]
pub(crate) struct Str {
    pub value: String,
    pub span: Span,
    pub path: String,
}

#[derive(Clone, Debug)]
pub(crate) struct Cond {
    /// Operator as written, e.g. `StringLike`, `ForAnyValue:StringEqualsIfExists`.
    pub op: String,
    pub key: Str,
    pub values: Vec<Str>,
    /// Path of the key member (`.../Condition/StringLike/kms:ViaService`).
    pub path: String,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Principal {
    /// `"Principal": "*"`.
    pub any: bool,
    /// (`AWS` / `Service` / `Federated` / `CanonicalUser`, value).
    pub entries: Vec<(String, Str)>,
}

#[derive(Clone, Debug)]
pub(crate) struct Statement {
    pub path: String,
    pub span: Span,
    pub sid: Option<String>,
    pub allow: bool,
    pub deny: bool,
    pub principal: Option<Principal>,
    pub not_principal: bool,
    pub actions: Vec<Str>,
    pub not_action: bool,
    /// The `Action`/`NotAction` member (whole member span), if present.
    pub action_span: Option<Span>,
    pub resources: Vec<Str>,
    pub not_resource: bool,
    pub has_resource: bool,
    pub resource_span: Option<Span>,
    pub conditions: Vec<Cond>,
}

#[derive(Clone, Debug)]
pub(crate) struct Policy {
    pub statements: Vec<Statement>,
    /// Where "nothing grants this" findings point: the `Statement` key, else the document.
    pub anchor: Span,
    /// The `Statement` array value (to insert a missing statement), if it is an array.
    pub statement_array: Option<Span>,
}

/// A structural problem that makes IAM refuse the document (S3R700).
#[derive(Clone, Debug)]
pub(crate) struct ShapeError {
    pub span: Span,
    pub path: String,
    pub message: String,
}
