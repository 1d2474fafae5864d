//! The rule registry. A rule is a `RuleMeta` static living in its own file beside its check;
//! this module lists them and runs them. It implements none of them.

use crate::context::Resolved;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Document;
use crate::source::Span;
use serde::Serialize;

pub mod syntax;

/// How sure we are that S3 behaves as the rule says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    /// Seen in real S3 responses.
    Observed,
    /// Stated by AWS documentation.
    Documented,
    /// Only S3 emulators behave like this.
    Emulator,
    /// Our inference.
    Inferred,
}

impl Confidence {
    pub fn describe(self) -> &'static str {
        match self {
            Confidence::Observed => "observed in real S3 responses",
            Confidence::Documented => "stated in the AWS documentation",
            Confidence::Emulator => "reproduced only by S3 emulators; unverified on AWS",
            Confidence::Inferred => "inferred; no source confirms S3's exact behaviour",
        }
    }
}

/// Everything about a rule except its check: what the registry, docs and UIs show.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleMeta {
    /// Stable code, `S3R` + three digits. Never reused.
    pub code: &'static str,
    /// kebab-case name.
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    /// The S3 (or AWS CLI) error this rule mirrors, as users would search for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub s3_error: Option<&'static str>,
    pub confidence: Confidence,
    /// Markdown with the sections What it does / Why it matters / Example / Fix / References.
    pub docs: &'static str,
    /// `None` for codes the parsers emit.
    #[serde(skip)]
    pub check: Option<fn(&mut RuleContext)>,
}

/// What a check sees, and where it reports.
pub struct RuleContext<'a> {
    pub doc: &'a Document,
    pub text: &'a str,
    pub ctx: &'a Resolved,
    diagnostics: Vec<Diagnostic>,
    unverified: Vec<Unverified>,
}

/// A fact a check needed but could not find; reported once per context field.
#[derive(Debug, Clone)]
pub struct Unverified {
    pub code: &'static str,
    pub field: String,
    pub what: String,
    pub span: Span,
    pub path: String,
}

impl<'a> RuleContext<'a> {
    pub fn new(doc: &'a Document, text: &'a str, ctx: &'a Resolved) -> RuleContext<'a> {
        RuleContext {
            doc,
            text,
            ctx,
            diagnostics: Vec::new(),
            unverified: Vec::new(),
        }
    }

    /// Report a finding of `rule` at its default severity; returns it for `help`/`fix`.
    pub fn report(
        &mut self,
        rule: &'static RuleMeta,
        span: Span,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::new(rule.code, rule.severity, span, path, message));
        self.diagnostics.last_mut().expect("just pushed")
    }

    /// Say that `rule` could not check something because context field `field` is missing.
    pub fn unverified(
        &mut self,
        rule: &'static RuleMeta,
        field: impl Into<String>,
        what: impl Into<String>,
        span: Span,
        path: impl Into<String>,
    ) {
        self.unverified.push(Unverified {
            code: rule.code,
            field: field.into(),
            what: what.into(),
            span,
            path: path.into(),
        });
    }

    pub fn into_parts(self) -> (Vec<Diagnostic>, Vec<Unverified>) {
        (self.diagnostics, self.unverified)
    }
}

/// Every rule, in code order.
pub fn registry() -> &'static [&'static RuleMeta] {
    REGISTRY
}

pub fn find(code: &str) -> Option<&'static RuleMeta> {
    REGISTRY.iter().copied().find(|r| r.code == code || r.name == code)
}

static REGISTRY: &[&RuleMeta] = &[
    &syntax::MALFORMED,
    &syntax::UNKNOWN_MEMBER,
    &syntax::MISSING_MEMBER,
    &syntax::WRONG_TYPE,
    &syntax::REPEATED_MEMBER,
    &syntax::SIZE_LIMIT,
    &syntax::FORBIDDEN_MARKUP,
    &syntax::NAMESPACE,
    &syntax::ATTRIBUTE,
    &syntax::UNEXPECTED_TEXT,
    &syntax::DUPLICATE_KEY,
    &syntax::WRAPPED_OUTPUT,
    &syntax::INTERNAL_ERROR,
];
