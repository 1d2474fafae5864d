//! The rule registry. A rule check is a [`Check`] static declared with `declare_rule!` in its
//! own file beside its check; this module lists every code (the checks' and the catalogue's)
//! and runs the checks. It implements none of them.
//!
//! A code's tests: `tests/fixtures/rules/<CODE>/` (`bad*` must report it, `ok*` must not),
//! snapshots `core/tests/snapshots/rule_fixtures__<CODE>-*.snap`, run alone with
//! `cargo test -p s3-replication-lint --test rule_fixtures <CODE>`; unit tests of a family
//! sit in its `tests.rs` or at the end of the rule's file.

use crate::arn;
use crate::catalogue::{self, RuleMeta};
use crate::context::{DestinationContext, Fact, Resolved};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Document, Rule, Str};
use crate::source::Span;

pub mod cross_rule;
pub mod destination;
pub mod environment;
pub mod kms;
pub mod reference;
pub mod root;
pub mod rule_level;
pub mod support;
pub mod versioning;

/// A rule check: its code's metadata and the function that finds it. Declared with
/// `declare_rule!` beside the function; reads as its [`RuleMeta`] wherever one is expected
/// (`cx.report(&CODE, ...)`).
pub struct Check {
    pub meta: RuleMeta,
    pub run: fn(&mut RuleContext),
}

impl std::ops::Deref for Check {
    type Target = RuleMeta;

    fn deref(&self) -> &RuleMeta {
        &self.meta
    }
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

/// Every code, in code order: the checks' own and those the catalogue declares for the
/// parsers, the engine and the policy audit.
pub fn registry() -> &'static [&'static RuleMeta] {
    &REGISTRY
}

pub fn find(code: &str) -> Option<&'static RuleMeta> {
    REGISTRY
        .iter()
        .copied()
        .find(|r| r.code == code || r.name == code)
}

/// The rule checks the engine runs, in code order.
pub fn checks() -> impl Iterator<Item = &'static Check> {
    ENTRIES.iter().filter_map(|e| match e {
        Checked(rule) => Some(*rule),
        Reported(_) => None,
    })
}

/// A code of the registry: one that another part reports, or a rule check.
#[derive(Clone, Copy)]
enum Entry {
    Reported(&'static RuleMeta),
    Checked(&'static Check),
}
use Entry::{Checked, Reported};

static REGISTRY: [&RuleMeta; ENTRIES.len()] = metas();

/// [`ENTRIES`]' metadata, computed at compile time so `registry()` is a plain slice.
const fn metas() -> [&'static RuleMeta; ENTRIES.len()] {
    let mut out: [&RuleMeta; ENTRIES.len()] = [&catalogue::parse::MALFORMED; ENTRIES.len()];
    let mut i = 0;
    while i < ENTRIES.len() {
        out[i] = match ENTRIES[i] {
            Reported(meta) => meta,
            Checked(rule) => &rule.meta,
        };
        i += 1;
    }
    out
}

const ENTRIES: &[Entry] = &[
    // Parsers, lowering and template front ends (S3R0xx; S3R098 is the engine's).
    Reported(&catalogue::parse::MALFORMED),
    Reported(&catalogue::parse::UNKNOWN_MEMBER),
    Reported(&catalogue::parse::MISSING_MEMBER),
    Reported(&catalogue::parse::WRONG_TYPE),
    Reported(&catalogue::parse::REPEATED_MEMBER),
    Reported(&catalogue::parse::SIZE_LIMIT),
    Reported(&catalogue::parse::FORBIDDEN_MARKUP),
    Reported(&catalogue::parse::NAMESPACE),
    Reported(&catalogue::parse::ATTRIBUTE),
    Reported(&catalogue::parse::UNEXPECTED_TEXT),
    Reported(&catalogue::parse::DUPLICATE_KEY),
    Reported(&catalogue::parse::WRAPPED_OUTPUT),
    Reported(&catalogue::parse::NO_CONFIGURATION),
    Reported(&catalogue::parse::UNSUPPORTED_CONSTRUCT),
    Reported(&catalogue::parse::IAC_VALUE_DROPPED),
    Reported(&catalogue::engine::NOT_SHOWN),
    Reported(&catalogue::parse::INTERNAL_ERROR),
    // Root: the role and the rule count (S3R1xx).
    Checked(&root::role::EMPTY_ROLE),
    Checked(&root::role::NOT_A_ROLE_ARN),
    Checked(&root::role::ROLE_PARTITION),
    Checked(&root::role::ROLE_ACCOUNT),
    Checked(&root::rule_count::NO_RULES),
    Checked(&root::rule_count::TOO_MANY_RULES),
    // Each replication rule (S3R2xx).
    Checked(&rule_level::status::INVALID_STATUS),
    Checked(&rule_level::schema_version::NO_FILTER_OR_PREFIX),
    Checked(&rule_level::schema_version::FILTER_AND_PREFIX),
    Checked(&rule_level::schema_version::MIXED_VERSIONS),
    Checked(&rule_level::delete_markers::MISSING_DELETE_MARKER_REPLICATION),
    Checked(&rule_level::priority::MISSING_PRIORITY),
    Checked(&rule_level::priority::PRIORITY_IN_V1),
    Checked(&rule_level::delete_markers::DELETE_MARKER_REPLICATION_IN_V1),
    Checked(&rule_level::v1_limits::V2_FEATURE_IN_V1),
    Checked(&rule_level::priority::PRIORITY_TOO_LARGE),
    Checked(&rule_level::priority::NEGATIVE_PRIORITY),
    Checked(&rule_level::priority::DUPLICATE_PRIORITY),
    Checked(&rule_level::delete_markers::DELETE_MARKERS_WITH_TAGS),
    Checked(&rule_level::delete_markers::DELETE_MARKERS_WITHOUT_STATUS),
    Checked(&rule_level::id::ID_TOO_LONG),
    Checked(&rule_level::id::ID_NOT_ASCII),
    Checked(&rule_level::id::DUPLICATE_ID),
    Checked(&rule_level::id::MISSING_ID),
    Checked(&rule_level::prefix::PREFIX_TOO_LONG),
    Checked(&rule_level::prefix::PREFIX_WITHOUT_SLASH),
    Checked(&rule_level::prefix::PREFIX_GLOB),
    Checked(&rule_level::filter_shape::FILTER_MULTIPLE),
    Checked(&rule_level::filter_shape::AND_SINGLE),
    Checked(&rule_level::filter_shape::NOT_SHAPE),
    Checked(&rule_level::tags::EMPTY_TAG_KEY),
    Checked(&rule_level::tags::DUPLICATE_TAG_KEY),
    Checked(&rule_level::tags::CONTRADICTORY_TAGS),
    Checked(&rule_level::tags::TAG_LIMITS),
    Checked(&rule_level::tags::TAGS_AT_UPLOAD),
    Checked(&rule_level::new_features::NEW_FEATURES),
    Checked(&rule_level::deprecated::EXISTING_OBJECT_REPLICATION),
    Checked(&rule_level::deprecated::EMPTY_SOURCE_SELECTION),
    Checked(&rule_level::status::ALL_RULES_DISABLED),
    Checked(&rule_level::schema_version::LEGACY_V1),
    Checked(&rule_level::schema_version::V1_MULTIPLE_DESTINATIONS),
    Checked(&rule_level::whitespace::SURROUNDING_WHITESPACE),
    // Destination (S3R3xx).
    Checked(&destination::bucket::BUCKET_NOT_ARN),
    Checked(&destination::bucket::PARTITION_MISMATCH),
    Checked(&destination::bucket::BUCKET_NAME_INVALID),
    Checked(&destination::bucket::DIRECTORY_BUCKET),
    Checked(&destination::bucket::SAME_AS_SOURCE),
    Checked(&destination::ownership::ACCOUNT_INVALID),
    Checked(&destination::ownership::ACCOUNT_NOT_OWNER),
    Checked(&destination::ownership::ACCOUNT_CONFLICT),
    Checked(&destination::ownership::OVERRIDE_WITHOUT_ACCOUNT),
    Checked(&destination::ownership::OWNER_VALUE),
    Checked(&destination::ownership::OVERRIDE_SAME_ACCOUNT),
    Checked(&destination::ownership::CROSS_ACCOUNT_NO_OVERRIDE),
    Checked(&destination::ownership::MIXED_OWNERSHIP),
    Checked(&destination::storage_class::INVALID),
    Checked(&destination::storage_class::COSTLY),
    Checked(&destination::rtc::RTC_WITHOUT_METRICS),
    Checked(&destination::rtc::STATUS_MISMATCH),
    Checked(&destination::rtc::MINUTES),
    Checked(&destination::rtc::EVENT_THRESHOLD_MISSING),
    Checked(&destination::rtc::EVENT_THRESHOLD_WITHOUT_RTC),
    Checked(&destination::rtc::COST),
    Checked(&versioning::DESTINATION_VERSIONING),
    // Encryption and KMS (S3R4xx).
    Checked(&kms::pairing::MISSING_REPLICA_KEY),
    Checked(&kms::pairing::MISSING_SELECTION),
    Checked(&kms::pairing::KEY_UNUSED),
    Checked(&kms::replica_key::NOT_ARN),
    Checked(&kms::replica_key::INVALID),
    Checked(&kms::replica_key_region::REGION),
    Checked(&kms::replica_key::AWS_MANAGED),
    Checked(&kms::replica_key::OTHER_ACCOUNT),
    Checked(&kms::environment::REQUEST_RATE),
    Checked(&kms::environment::BUCKET_KEYS),
    Checked(&kms::environment::DESTINATION_DEFAULT_KMS),
    Checked(&kms::environment::SOURCE_KMS_NOT_SELECTED),
    Checked(&kms::environment::MRK_WITH_KEY),
    Checked(&kms::environment::MRK_SOURCE_KEYS),
    Checked(&kms::replica_key::ALIAS_ARN),
    Checked(&kms::source_key_region::SOURCE_KEY_REGION),
    // Cross-rule analysis (S3R5xx).
    Checked(&cross_rule::overlap::OVERLAP),
    Reported(&cross_rule::overlap::SHADOWED),
    Reported(&cross_rule::overlap::CONFLICTING_SETTINGS),
    Checked(&cross_rule::v1_prefixes::V1_OVERLAP),
    Checked(&cross_rule::v1_prefixes::MATCHES_NOTHING),
    Reported(&cross_rule::overlap::ANALYSIS_LIMIT),
    // Deployment context (S3R6xx; S3R600 is the engine's).
    Reported(&catalogue::engine::UNVERIFIED),
    Checked(&environment::context::OBJECT_LOCK),
    Checked(&environment::context::BATCH_REPLICATION),
    Checked(&environment::context::REGION_PARTITION),
    Checked(&versioning::SOURCE_VERSIONING),
    Checked(&environment::context::CONTEXT_CONFLICT),
    // Policy audit (S3R7xx), reported by crate::policy::audit.
    Reported(&catalogue::audit::POLICY_INVALID),
    Reported(&catalogue::audit::TRUST_S3),
    Reported(&catalogue::audit::SOURCE_BUCKET_ACCESS),
    Reported(&catalogue::audit::GET_OBJECT_VERSION),
    Reported(&catalogue::audit::SOURCE_OBJECT_READ),
    Reported(&catalogue::audit::SOURCE_ACL_READ),
    Reported(&catalogue::audit::SOURCE_TAGGING_READ),
    Reported(&catalogue::audit::REPLICATE_OBJECT),
    Reported(&catalogue::audit::REPLICATE_DELETE),
    Reported(&catalogue::audit::REPLICATE_TAGS),
    Reported(&catalogue::audit::OWNER_OVERRIDE),
    Reported(&catalogue::audit::SOURCE_KEY_DECRYPT),
    Reported(&catalogue::audit::REPLICA_KEY_ENCRYPT),
    Reported(&catalogue::audit::REPLICA_KEY_EXTRA),
    Reported(&catalogue::audit::KMS_VIA_SERVICE),
    Reported(&catalogue::audit::KMS_CONTEXT),
    Reported(&catalogue::audit::OBJECT_LOCK_READ),
    Reported(&catalogue::audit::BROAD_ACTION),
    Reported(&catalogue::audit::BROAD_RESOURCE),
    Reported(&catalogue::audit::UNKNOWN_ACTION),
    Reported(&catalogue::audit::BUCKET_POLICY_GRANT),
    Reported(&catalogue::audit::BUCKET_POLICY_OWNER_OVERRIDE),
    Reported(&catalogue::audit::KEY_POLICY_GRANT),
    Reported(&catalogue::audit::BATCH_INITIATE),
    Reported(&catalogue::audit::TRUST_BATCH),
    Reported(&catalogue::audit::BATCH_INVENTORY),
];

#[cfg(test)]
mod registry_tests {
    use super::*;

    #[test]
    fn codes_are_unique_well_formed_and_in_order() {
        let codes: Vec<&str> = registry().iter().map(|r| r.code).collect();
        for c in &codes {
            assert!(
                c.len() == 6 && c.starts_with("S3R") && c[3..].bytes().all(|b| b.is_ascii_digit()),
                "{c} is not S3R + three digits"
            );
        }
        for w in codes.windows(2) {
            assert!(
                w[0] < w[1],
                "{} then {}: not in code order (or repeated)",
                w[0],
                w[1]
            );
        }
    }

    #[test]
    fn names_are_unique_kebab_case_and_not_codes() {
        let mut names: Vec<&str> = registry().iter().map(|r| r.name).collect();
        for n in &names {
            assert!(
                !n.is_empty()
                    && n.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{n} is not kebab-case"
            );
            // `find` takes a code or a name.
            assert!(!n.starts_with("s3r"), "{n} looks like a code");
        }
        names.sort_unstable();
        for w in names.windows(2) {
            assert_ne!(w[0], w[1], "name used twice");
        }
    }

    #[test]
    fn checks_are_the_registry_entries_a_check_reports() {
        let checks: Vec<&str> = checks().map(|c| c.code).collect();
        let declared: Vec<&str> = registry()
            .iter()
            .filter(|r| r.reported_by == catalogue::ReportedBy::Check)
            .map(|r| r.code)
            .collect();
        // Every check is registered; the other `Check`-reported codes come from a check's pass
        // (S3R501, S3R502 and S3R505 from S3R500's).
        assert!(checks.iter().all(|c| declared.contains(c)));
        for code in ["S3R501", "S3R502", "S3R505"] {
            assert!(
                declared.contains(&code) && !checks.contains(&code),
                "{code}"
            );
        }
        assert_eq!(declared.len(), checks.len() + 3);
    }
}
