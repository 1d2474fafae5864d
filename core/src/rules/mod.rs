//! The rule registry. A rule is a `RuleMeta` static living in its own file beside its check;
//! this module lists them and runs them. It implements none of them.

use crate::arn;
use crate::context::{DestinationContext, Fact, Resolved};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Document, Rule, Str};
use crate::source::Span;
use serde::Serialize;

pub mod cross_rule;
pub mod destination;
pub mod environment;
pub mod kms;
pub mod reference;
pub mod root;
pub mod rule_level;
pub mod support;
pub mod syntax;
pub mod versioning;

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

impl<'a> RuleContext<'a> {
    pub fn new(doc: &'a Document, text: &'a str, ctx: &'a Resolved) -> RuleContext<'a> {
        RuleContext {
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

    /// [`RuleContext::unverified`] for the field `destinations.<bucket>.<field>`.
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

/// Every rule, in code order.
pub fn registry() -> &'static [&'static RuleMeta] {
    REGISTRY
}

pub fn find(code: &str) -> Option<&'static RuleMeta> {
    REGISTRY
        .iter()
        .copied()
        .find(|r| r.code == code || r.name == code)
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
    &syntax::NO_CONFIGURATION,
    &syntax::UNSUPPORTED_CONSTRUCT,
    &syntax::IAC_VALUE_DROPPED,
    &syntax::INTERNAL_ERROR,
    &root::role::EMPTY_ROLE,
    &root::role::NOT_A_ROLE_ARN,
    &root::role::ROLE_PARTITION,
    &root::role::ROLE_ACCOUNT,
    &root::rule_count::NO_RULES,
    &root::rule_count::TOO_MANY_RULES,
    &rule_level::status::INVALID_STATUS,
    &rule_level::schema_version::NO_FILTER_OR_PREFIX,
    &rule_level::schema_version::FILTER_AND_PREFIX,
    &rule_level::schema_version::MIXED_VERSIONS,
    &rule_level::delete_markers::MISSING_DELETE_MARKER_REPLICATION,
    &rule_level::priority::MISSING_PRIORITY,
    &rule_level::priority::PRIORITY_IN_V1,
    &rule_level::delete_markers::DELETE_MARKER_REPLICATION_IN_V1,
    &rule_level::v1_limits::V2_FEATURE_IN_V1,
    &rule_level::priority::PRIORITY_TOO_LARGE,
    &rule_level::priority::NEGATIVE_PRIORITY,
    &rule_level::priority::DUPLICATE_PRIORITY,
    &rule_level::delete_markers::DELETE_MARKERS_WITH_TAGS,
    &rule_level::delete_markers::DELETE_MARKERS_WITHOUT_STATUS,
    &rule_level::id::ID_TOO_LONG,
    &rule_level::id::ID_NOT_ASCII,
    &rule_level::id::DUPLICATE_ID,
    &rule_level::id::MISSING_ID,
    &rule_level::prefix::PREFIX_TOO_LONG,
    &rule_level::prefix::PREFIX_WITHOUT_SLASH,
    &rule_level::prefix::PREFIX_GLOB,
    &rule_level::whitespace::SURROUNDING_WHITESPACE,
    &rule_level::filter_shape::FILTER_MULTIPLE,
    &rule_level::filter_shape::AND_SINGLE,
    &rule_level::filter_shape::NOT_SHAPE,
    &rule_level::tags::EMPTY_TAG_KEY,
    &rule_level::tags::DUPLICATE_TAG_KEY,
    &rule_level::tags::CONTRADICTORY_TAGS,
    &rule_level::tags::TAG_LIMITS,
    &rule_level::tags::TAGS_AT_UPLOAD,
    &rule_level::new_features::NEW_FEATURES,
    &rule_level::deprecated::EXISTING_OBJECT_REPLICATION,
    &rule_level::deprecated::EMPTY_SOURCE_SELECTION,
    &rule_level::status::ALL_RULES_DISABLED,
    &rule_level::schema_version::LEGACY_V1,
    &rule_level::schema_version::V1_MULTIPLE_DESTINATIONS,
    // Destination (S3R3xx).
    &destination::bucket::BUCKET_NOT_ARN,
    &destination::bucket::PARTITION_MISMATCH,
    &destination::bucket::BUCKET_NAME_INVALID,
    &destination::bucket::DIRECTORY_BUCKET,
    &destination::bucket::SAME_AS_SOURCE,
    &destination::ownership::ACCOUNT_INVALID,
    &destination::ownership::ACCOUNT_NOT_OWNER,
    &destination::ownership::ACCOUNT_CONFLICT,
    &destination::ownership::OVERRIDE_WITHOUT_ACCOUNT,
    &destination::ownership::OWNER_VALUE,
    &destination::ownership::OVERRIDE_SAME_ACCOUNT,
    &destination::ownership::CROSS_ACCOUNT_NO_OVERRIDE,
    &destination::ownership::MIXED_OWNERSHIP,
    &destination::storage_class::INVALID,
    &destination::storage_class::COSTLY,
    &destination::rtc::RTC_WITHOUT_METRICS,
    &destination::rtc::STATUS_MISMATCH,
    &destination::rtc::MINUTES,
    &destination::rtc::EVENT_THRESHOLD_MISSING,
    &destination::rtc::EVENT_THRESHOLD_WITHOUT_RTC,
    &destination::rtc::COST,
    &versioning::DESTINATION_VERSIONING,
    // Encryption and KMS (S3R4xx).
    &kms::pairing::MISSING_REPLICA_KEY,
    &kms::pairing::MISSING_SELECTION,
    &kms::pairing::KEY_UNUSED,
    &kms::replica_key::NOT_ARN,
    &kms::replica_key::INVALID,
    &kms::replica_key_region::REGION,
    &kms::replica_key::AWS_MANAGED,
    &kms::replica_key::OTHER_ACCOUNT,
    &kms::environment::REQUEST_RATE,
    &kms::environment::BUCKET_KEYS,
    &kms::environment::DESTINATION_DEFAULT_KMS,
    &kms::environment::SOURCE_KMS_NOT_SELECTED,
    &kms::environment::MRK_WITH_KEY,
    &kms::environment::MRK_SOURCE_KEYS,
    &kms::replica_key::ALIAS_ARN,
    &kms::source_key_region::SOURCE_KEY_REGION,
    // Cross-rule analysis (S3R5xx).
    &cross_rule::overlap::OVERLAP,
    &cross_rule::overlap::SHADOWED,
    &cross_rule::overlap::CONFLICTING_SETTINGS,
    &cross_rule::v1_prefixes::V1_OVERLAP,
    &cross_rule::v1_prefixes::MATCHES_NOTHING,
    &cross_rule::overlap::ANALYSIS_LIMIT,
    // Deployment context (S3R6xx).
    &environment::unverified::UNVERIFIED,
    &environment::context::OBJECT_LOCK,
    &environment::context::BATCH_REPLICATION,
    &environment::context::REGION_PARTITION,
    &versioning::SOURCE_VERSIONING,
    &environment::context::CONTEXT_CONFLICT,
    // Policy audit (S3R7xx), reported by crate::policy::audit.
    &crate::policy::audit_rules::POLICY_INVALID,
    &crate::policy::audit_rules::TRUST_S3,
    &crate::policy::audit_rules::SOURCE_BUCKET_ACCESS,
    &crate::policy::audit_rules::GET_OBJECT_VERSION,
    &crate::policy::audit_rules::SOURCE_OBJECT_READ,
    &crate::policy::audit_rules::SOURCE_ACL_READ,
    &crate::policy::audit_rules::SOURCE_TAGGING_READ,
    &crate::policy::audit_rules::REPLICATE_OBJECT,
    &crate::policy::audit_rules::REPLICATE_DELETE,
    &crate::policy::audit_rules::REPLICATE_TAGS,
    &crate::policy::audit_rules::OWNER_OVERRIDE,
    &crate::policy::audit_rules::SOURCE_KEY_DECRYPT,
    &crate::policy::audit_rules::REPLICA_KEY_ENCRYPT,
    &crate::policy::audit_rules::REPLICA_KEY_EXTRA,
    &crate::policy::audit_rules::KMS_VIA_SERVICE,
    &crate::policy::audit_rules::KMS_CONTEXT,
    &crate::policy::audit_rules::OBJECT_LOCK_READ,
    &crate::policy::audit_rules::BROAD_ACTION,
    &crate::policy::audit_rules::BROAD_RESOURCE,
    &crate::policy::audit_rules::UNKNOWN_ACTION,
    &crate::policy::audit_rules::BUCKET_POLICY_GRANT,
    &crate::policy::audit_rules::BUCKET_POLICY_OWNER_OVERRIDE,
    &crate::policy::audit_rules::KEY_POLICY_GRANT,
    &crate::policy::audit_rules::BATCH_INITIATE,
    &crate::policy::audit_rules::TRUST_BATCH,
    &crate::policy::audit_rules::BATCH_INVENTORY,
];
