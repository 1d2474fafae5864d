//! What a check receives and where it reports: the document, the resolved deployment context,
//! per-document facts computed once, and the findings (built now or only if the engine keeps
//! them) and unverified facts it gathers.

use super::kms;
use crate::arn;
use crate::catalogue::RuleMeta;
use crate::context::{DestinationContext, Fact, Resolved};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Document, Rule, Str};
use crate::source::Span;

/// What a check sees, and where it reports.
pub struct CheckContext<'a> {
    pub doc: &'a Document,
    pub text: &'a str,
    pub ctx: &'a Resolved,
    /// Per-document facts several checks need, computed once.
    pub facts: Facts<'a>,
    diagnostics: Vec<Pending<'a>>,
    unverified: Vec<Unverified>,
}

/// A finding: built, or to be built only if it survives the engine's cap
/// ([`crate::engine::MAX_DIAGNOSTICS`]), which needs only its position, severity and code.
pub enum Pending<'a> {
    Ready(Diagnostic),
    Later {
        span: Span,
        severity: Severity,
        code: &'static str,
        build: Box<dyn FnOnce() -> Diagnostic + 'a>,
    },
}

impl Pending<'_> {
    /// What the engine orders findings by: position, severity, code.
    pub fn key(&self) -> (u32, Severity, &'static str) {
        match self {
            Pending::Ready(d) => (d.span.start, d.severity, d.code),
            Pending::Later {
                span,
                severity,
                code,
                ..
            } => (span.start, *severity, code),
        }
    }

    pub fn build(self) -> Diagnostic {
        match self {
            Pending::Ready(d) => d,
            Pending::Later { build, .. } => build(),
        }
    }
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

/// Text (a document path) built only when it is used: checks describe where a finding is
/// without formatting anything unless they report.
pub trait LazyText {
    fn build(self) -> String;
}

impl LazyText for String {
    fn build(self) -> String {
        self
    }
}

impl LazyText for &str {
    fn build(self) -> String {
        self.to_string()
    }
}

impl LazyText for &String {
    fn build(self) -> String {
        self.clone()
    }
}

impl<F: FnOnce() -> String> LazyText for F {
    fn build(self) -> String {
        self()
    }
}

/// `/Rules/<rule><tail>[<index><suffix>]`: a path inside one rule, formatted on demand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RulePath {
    pub rule: usize,
    pub tail: &'static str,
    /// A list index written after `tail`, then `suffix`.
    pub index: Option<usize>,
    pub suffix: &'static str,
}

impl RulePath {
    /// `/Rules/<rule><tail>`.
    pub fn new(rule: usize, tail: &'static str) -> RulePath {
        RulePath {
            rule,
            tail,
            index: None,
            suffix: "",
        }
    }

    /// `/Rules/<rule><tail><index>`.
    pub fn item(rule: usize, tail: &'static str, index: usize) -> RulePath {
        RulePath {
            rule,
            tail,
            index: Some(index),
            suffix: "",
        }
    }

    /// The same path with `suffix` appended (`/Key` of a tag); replaces an earlier suffix.
    pub fn with_suffix(self, suffix: &'static str) -> RulePath {
        RulePath { suffix, ..self }
    }

    pub fn build(self) -> String {
        let mut s = Rule::path(self.rule);
        s.push_str(self.tail);
        if let Some(k) = self.index {
            push_number(&mut s, k);
        }
        s.push_str(self.suffix);
        s
    }
}

impl LazyText for RulePath {
    fn build(self) -> String {
        RulePath::build(self)
    }
}

fn push_number(s: &mut String, n: usize) {
    use std::fmt::Write as _;
    let _ = write!(s, "{n}");
}

/// A deployment-context field name: plain (`sourceAccount`) or per destination
/// (`destinations.<bucket name>.<field>`), compared without formatting it.
#[derive(Clone, Copy, Debug)]
pub enum ContextField<'s> {
    Plain(&'s str),
    Destination(&'s str, &'static str),
}

impl ContextField<'_> {
    fn matches(self, s: &str) -> bool {
        match self {
            ContextField::Plain(f) => f == s,
            ContextField::Destination(bucket, field) => s
                .strip_prefix("destinations.")
                .and_then(|r| r.strip_prefix(bucket))
                .and_then(|r| r.strip_prefix('.'))
                .is_some_and(|r| r == field),
        }
    }

    fn build(self) -> String {
        match self {
            ContextField::Plain(f) => f.to_string(),
            ContextField::Destination(bucket, field) => {
                format!("destinations.{bucket}.{field}")
            }
        }
    }
}

/// What several checks need about each rule, computed once per document.
pub struct Facts<'a> {
    /// Per rule, in document order.
    pub rules: Vec<RuleFacts<'a>>,
    /// Every `ReplicaKmsKeyID` S3 would use (see [`kms::replica_keys`]), parsed.
    pub replica_keys: Vec<ReplicaKey<'a>>,
}

/// A `ReplicaKmsKeyID` of rule `rule` that S3 would use, parsed once for all KMS checks.
#[derive(Clone, Debug)]
pub struct ReplicaKey<'a> {
    pub rule: usize,
    pub key: &'a crate::model::Val<Str>,
    pub parsed: arn::KmsKeyRef<'a>,
}

impl ReplicaKey<'_> {
    pub fn path(&self) -> RulePath {
        RulePath::new(
            self.rule,
            "/Destination/EncryptionConfiguration/ReplicaKmsKeyID",
        )
    }
}

/// Facts about one rule.
#[derive(Clone, Copy, Default)]
pub struct RuleFacts<'a> {
    /// The destination bucket's name (from its ARN), if the rule has a destination bucket.
    pub bucket: Option<&'a str>,
    /// The deployment context's entry for the destination bucket.
    pub destination: Option<&'a DestinationContext>,
    /// The destination bucket value parsed as an ARN (any service), if it is one.
    pub bucket_arn: Option<arn::Arn<'a>>,
}

impl<'a> Facts<'a> {
    pub fn new(doc: &'a Document, ctx: &'a Resolved) -> Facts<'a> {
        // Context entries by bucket name (they may be keyed by name or ARN).
        let entries: Vec<(&str, &DestinationContext)> = ctx
            .raw
            .destinations
            .iter()
            .map(|(k, v)| (arn::bucket_name(k), v))
            .collect();
        // Rules mostly share a few destinations: remember the last names extracted.
        let mut recent: Vec<(&str, RuleFacts)> = Vec::new();
        let rules = doc
            .rules
            .iter()
            .map(|rule| {
                let Some(raw) = rule.destination_bucket() else {
                    return RuleFacts::default();
                };
                if let Some(&(_, facts)) = recent.iter().find(|(r, _)| *r == raw) {
                    return facts;
                }
                let bucket_arn = arn::Arn::parse(raw).ok();
                // As `arn::bucket_name`.
                let name = match bucket_arn {
                    Some(a) if a.service == "s3" => {
                        a.resource.split('/').next().unwrap_or(a.resource)
                    }
                    _ => raw,
                };
                // The first entry, as `Resolved::destination` finds it.
                let dest = entries.iter().find(|(k, _)| *k == name).map(|&(_, v)| v);
                let facts = RuleFacts {
                    bucket: Some(name),
                    destination: dest,
                    bucket_arn,
                };
                if recent.len() == 8 {
                    recent.remove(0);
                }
                recent.push((raw, facts));
                facts
            })
            .collect();
        let replica_keys = kms::replica_keys(doc)
            .map(|(rule, key)| ReplicaKey {
                rule,
                key,
                parsed: arn::KmsKeyRef::parse(key.as_str()),
            })
            .collect();
        Facts {
            rules,
            replica_keys,
        }
    }
}

impl<'a> CheckContext<'a> {
    pub fn new(doc: &'a Document, text: &'a str, ctx: &'a Resolved) -> CheckContext<'a> {
        CheckContext {
            doc,
            text,
            ctx,
            facts: Facts::new(doc, ctx),
            diagnostics: Vec::new(),
            unverified: Vec::new(),
        }
    }

    /// The destination bucket name of rule `i` (see [`RuleFacts::bucket`]).
    pub fn bucket(&self, i: usize) -> Option<&'a str> {
        self.facts.rules.get(i).and_then(|f| f.bucket)
    }

    /// Rule `i`'s destination bucket parsed as an ARN.
    pub fn bucket_arn(&self, i: usize) -> Option<arn::Arn<'a>> {
        self.facts.rules.get(i).and_then(|f| f.bucket_arn)
    }

    /// The context entry of rule `i`'s destination bucket.
    pub fn destination(&self, i: usize) -> Option<&'a DestinationContext> {
        self.facts.rules.get(i).and_then(|f| f.destination)
    }

    /// [`Resolved::destination_region`] for rule `i`'s destination.
    pub fn destination_region(&self, i: usize) -> Option<Fact> {
        self.ctx.region_for(self.bucket(i)?, self.destination(i))
    }

    /// [`Resolved::destination_account`] for rule `i`'s destination.
    pub fn destination_account(&self, i: usize, account_element: Option<&str>) -> Option<Fact> {
        // Without a bucket, only the rule's own `Account` is known ("" names no bucket).
        let bucket = self.bucket(i).unwrap_or("");
        self.ctx
            .account_for(bucket, self.destination(i), account_element)
    }

    /// Report a finding of `rule` at its default severity; returns it for `help`/`fix`.
    pub fn report(
        &mut self,
        rule: &'static RuleMeta,
        span: Span,
        path: impl LazyText,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diagnostics.push(Pending::Ready(Diagnostic::new(
            rule.code,
            rule.severity,
            span,
            path.build(),
            message,
        )));
        match self.diagnostics.last_mut() {
            Some(Pending::Ready(d)) => d,
            _ => unreachable!("a ready diagnostic was just pushed"),
        }
    }

    /// Report a finding of `rule` at its default severity whose text is written only if the
    /// engine keeps it (documents with many findings show the first ones by position).
    /// `build` must return a diagnostic with this code, severity and span.
    pub fn report_later(
        &mut self,
        rule: &'static RuleMeta,
        span: Span,
        build: impl FnOnce() -> Diagnostic + 'a,
    ) {
        self.diagnostics.push(Pending::Later {
            span,
            severity: rule.severity,
            code: rule.code,
            build: Box::new(build),
        });
    }

    /// Say that `rule` could not check something because context field `field` is missing.
    pub fn unverified(
        &mut self,
        rule: &'static RuleMeta,
        field: &str,
        what: &'static str,
        span: Span,
        path: impl LazyText,
    ) {
        self.unverified_field(rule, ContextField::Plain(field), what, span, path);
    }

    /// [`CheckContext::unverified`] for the field `destinations.<bucket>.<field>`.
    pub fn unverified_destination(
        &mut self,
        rule: &'static RuleMeta,
        bucket: &str,
        field: &'static str,
        what: &'static str,
        span: Span,
        path: impl LazyText,
    ) {
        let bucket = arn::bucket_name(bucket.trim());
        self.unverified_field(
            rule,
            ContextField::Destination(bucket, field),
            what,
            span,
            path,
        );
    }

    /// Only the first item per field (its position) and the distinct `what (code)` per field
    /// reach the summary, so repeats are dropped here, before anything is formatted.
    fn unverified_field(
        &mut self,
        rule: &'static RuleMeta,
        field: ContextField,
        what: &'static str,
        span: Span,
        path: impl LazyText,
    ) {
        let mut known = false;
        for u in &self.unverified {
            if field.matches(&u.field) {
                if u.code == rule.code && u.what == what {
                    return;
                }
                known = true;
            }
        }
        self.unverified.push(Unverified {
            code: rule.code,
            field: field.build(),
            what: what.to_string(),
            span,
            // Only the first item of a field gives the summary its position.
            path: if known { String::new() } else { path.build() },
        });
    }

    /// The `n`th replica key of [`Facts::replica_keys`] (a cheap copy, so the caller may report
    /// while holding it).
    pub fn replica_key(&self, n: usize) -> ReplicaKey<'a> {
        self.facts.replica_keys[n].clone()
    }

    /// Every finding, built, and the unverified facts.
    pub fn into_parts(self) -> (Vec<Diagnostic>, Vec<Unverified>) {
        let built = self.diagnostics.into_iter().map(Pending::build).collect();
        (built, self.unverified)
    }

    /// The findings as reported (some not built yet), and the unverified facts.
    pub fn into_pending(self) -> (Vec<Pending<'a>>, Vec<Unverified>) {
        (self.diagnostics, self.unverified)
    }
}
