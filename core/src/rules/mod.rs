//! The rule registry. A rule check is a [`Check`] static declared with `declare_rule!` in its
//! own file beside its check; this module lists every code (the checks' and the catalogue's)
//! and runs the checks. It implements none of them; what a check receives and reports into is
//! [`CheckContext`] (`check_context.rs`).
//!
//! A code's tests: `tests/fixtures/rules/<CODE>/` (`bad*` must report it, `ok*` must not),
//! snapshots `core/tests/snapshots/rule_fixtures__<CODE>-*.snap`, run alone with
//! `cargo test -p s3-replication-lint --test rule_fixtures <CODE>`; unit tests of a family
//! sit in its `tests.rs` or at the end of the rule's file.

use crate::catalogue::{self, RuleMeta};

pub mod cross_rule;
pub mod destination;
pub mod environment;
pub mod kms;
pub mod reference;
pub mod root;
pub mod rule_level;
pub mod support;
pub mod versioning;

mod check_context;
pub use check_context::{
    CheckContext, ContextField, Facts, LazyText, Pending, ReplicaKey, RuleFacts, RulePath,
    Unverified,
};

/// A rule check: its code's metadata and the function that finds it. Declared with
/// `declare_rule!` beside the function; reads as its [`RuleMeta`] wherever one is expected
/// (`cx.report(&CODE, ...)`).
pub struct Check {
    pub meta: RuleMeta,
    pub run: fn(&mut CheckContext),
}

impl std::ops::Deref for Check {
    type Target = RuleMeta;

    fn deref(&self) -> &RuleMeta {
        &self.meta
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
