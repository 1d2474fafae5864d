//! The rule registry. A rule is a `RuleMeta` static living in its own file beside its check;
//! this module lists them and runs them. It implements none of them.

use crate::context::Resolved;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Document;
use crate::source::Span;
use serde::Serialize;

pub mod cross_rule;
pub mod destination;
pub mod environment;
pub mod kms;
pub mod reference;
pub mod root;
pub mod rule_level;
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
    &crate::policy::audit_rules::BUCKET_POLICY_GRANT,
    &crate::policy::audit_rules::BUCKET_POLICY_OWNER_OVERRIDE,
    &crate::policy::audit_rules::KEY_POLICY_GRANT,
    &crate::policy::audit_rules::BATCH_INITIATE,
    &crate::policy::audit_rules::TRUST_BATCH,
    &crate::policy::audit_rules::BATCH_INVENTORY,
];
