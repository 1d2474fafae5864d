//! "Will this object be replicated, where, and how?"
//!
//! [`simulate`] walks every rule for one described object (key, tags, encryption, delete
//! marker or not, replica or not) and answers per destination bucket: replicated or not, the
//! governing rule and the settings it applies, the other rules that also matched and why they
//! lost, and for every rule that did not match, why not.
//!
//! The S3 behaviour it models, with the documentation it rests on:
//! - A rule selects an object when it is `Enabled`, its filter matches (key prefix, every
//!   required tag, no exclusion), and, for SSE-KMS/DSSE-KMS objects, it opts in with
//!   `SourceSelectionCriteria/SseKmsEncryptedObjects` (documented as an additional filter).
//! - Among the rules that select an object for the same destination bucket, the highest
//!   `Priority` wins and its settings apply (storage class, key, delete markers, ...).
//! - Delete markers: V1 rules copy those created by user DELETE requests; V2 rules only with
//!   `DeleteMarkerReplication` Enabled; rules that filter on tags never (markers carry no tags).
//! - Replicas (objects written by replication) are not replicated again.
//! - SSE-C objects are replicated (since 2022); no opt-in is needed.

use crate::analysis::filter_set::{rule_object_set, ObjectSet, Unanalyzable};
use crate::arn;
use crate::context::{Fact, Resolved};
use crate::model::{Document, Rule, SchemaVersion};
use serde::Serialize;

/// AWS documentation pages cited by `simulate` and `explain` texts.
pub(crate) mod docs {
    pub const CONFIG: &str =
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html";
    pub const KMS: &str =
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html";
    pub const SELECTION: &str =
        "https://docs.aws.amazon.com/AmazonS3/latest/API/API_SourceSelectionCriteria.html";
    pub const DELETE_MARKERS: &str =
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/delete-marker-replication.html";
    pub const WHAT: &str = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-what-is-isnot-replicated.html";
    pub const REPLICA_MODS: &str =
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-for-metadata-changes.html";
    pub const RTC: &str =
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html";
    pub const OWNER: &str =
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-change-owner.html";
    pub const BATCH: &str =
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-batch-replication-batch.html";
}

/// How the source object is encrypted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ObjectEncryption"))]
pub enum Encryption {
    #[default]
    #[serde(rename = "none")]
    None,
    #[serde(rename = "SSE-S3")]
    SseS3,
    #[serde(rename = "SSE-KMS")]
    SseKms,
    #[serde(rename = "DSSE-KMS")]
    DsseKms,
    #[serde(rename = "SSE-C")]
    SseC,
}

impl Encryption {
    pub const ALL: [Encryption; 5] = [
        Encryption::None,
        Encryption::SseS3,
        Encryption::SseKms,
        Encryption::DsseKms,
        Encryption::SseC,
    ];

    /// The wire name: `none`, `SSE-S3`, `SSE-KMS`, `DSSE-KMS`, `SSE-C`.
    pub fn as_str(self) -> &'static str {
        match self {
            Encryption::None => "none",
            Encryption::SseS3 => "SSE-S3",
            Encryption::SseKms => "SSE-KMS",
            Encryption::DsseKms => "DSSE-KMS",
            Encryption::SseC => "SSE-C",
        }
    }

    /// Case-insensitive; also accepts the S3 header values `AES256`, `aws:kms`, `aws:kms:dsse`.
    pub fn parse(s: &str) -> Option<Encryption> {
        let s = s.trim();
        let found = Encryption::ALL
            .into_iter()
            .find(|e| e.as_str().eq_ignore_ascii_case(s));
        found.or_else(|| match s.to_ascii_lowercase().as_str() {
            "" => Some(Encryption::None),
            "aes256" | "sse_s3" | "sses3" => Some(Encryption::SseS3),
            "aws:kms" | "sse_kms" | "ssekms" => Some(Encryption::SseKms),
            "aws:kms:dsse" | "dsse_kms" | "dssekms" => Some(Encryption::DsseKms),
            "sse_c" | "ssec" => Some(Encryption::SseC),
            _ => None,
        })
    }

    /// SSE-KMS or DSSE-KMS: the objects `SseKmsEncryptedObjects` opts in.
    pub fn is_kms(self) -> bool {
        matches!(self, Encryption::SseKms | Encryption::DsseKms)
    }
}

impl std::str::FromStr for Encryption {
    type Err = String;
    fn from_str(s: &str) -> Result<Encryption, String> {
        Encryption::parse(s).ok_or_else(|| {
            format!("unknown encryption `{s}` (expected none, SSE-S3, SSE-KMS, DSSE-KMS or SSE-C)")
        })
    }
}

/// The object to simulate. Serialized as `{"key": "a/b", "tags": [["env","prod"]],
/// "encryption": "SSE-KMS", "deleteMarker": false, "isReplica": false}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectSpec {
    pub key: String,
    pub tags: Vec<(String, String)>,
    pub encryption: Encryption,
    pub delete_marker: bool,
    pub is_replica: bool,
}

impl ObjectSpec {
    /// A plain object with this key: no tags, no encryption, not a delete marker or replica.
    pub fn new(key: impl Into<String>) -> ObjectSpec {
        ObjectSpec {
            key: key.into(),
            ..ObjectSpec::default()
        }
    }
}

/// Why a rule does (not) replicate the object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "SimulationReason"))]
pub enum Reason {
    /// Governs its destination for this object and replicates it.
    Replicates,
    /// Selects the object, but a higher-priority rule governs the same destination.
    LowerPriority,
    /// `Status` is not `Enabled`.
    RuleDisabled,
    /// The key does not start with the rule's prefix.
    PrefixMismatch,
    /// A required tag is missing or has another value.
    TagMismatch,
    /// The object matches the rule's `Not` exclusion.
    ExcludedByNot,
    /// SSE-KMS/DSSE-KMS object, but the rule does not enable `SseKmsEncryptedObjects`.
    KmsNotSelected,
    /// A delete marker this rule does not replicate (V2 without Enabled, or a tag-based rule).
    DeleteMarkerNotReplicated,
    /// The object is itself a replica; S3 does not replicate replicas again.
    ReplicaNotReplicated,
    /// The rule has no destination bucket or a filter S3 rejects.
    InvalidRule,
}

/// A rule that also selected the object for a destination but did not govern it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AlsoMatched {
    pub id: Option<String>,
    pub index: usize,
    pub priority: Option<i64>,
    pub reason: Reason,
    pub detail: String,
}

/// The answer for one destination bucket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DestinationOutcome {
    /// As written in the first rule naming this bucket (usually an ARN).
    pub bucket: String,
    /// The bare bucket name.
    pub name: String,
    pub region: Option<Fact>,
    pub account: Option<Fact>,
    pub replicated: bool,
    /// The governing rule's ID (`None` when no rule selected the object, or it has no ID).
    pub rule: Option<String>,
    pub rule_index: Option<usize>,
    pub priority: Option<i64>,
    /// The replica's storage class, `"same as source"` when the rule sets none; `None` when
    /// nothing is replicated or the object is a delete marker.
    pub storage_class: Option<String>,
    /// How the replica is encrypted, in words; `None` when nothing is replicated.
    pub replica_encryption: Option<String>,
    /// The key SSE-KMS/DSSE-KMS replicas are encrypted with (KMS objects only).
    pub replica_kms_key_id: Option<String>,
    /// KMS objects only: S3 uses the source key's multi-Region replica.
    pub use_source_multi_region_key: bool,
    /// Replicas are owned by the destination account (`AccessControlTranslation`).
    pub owner_override: bool,
    /// S3 Replication Time Control applies (15-minute SLA; not for delete markers).
    pub rtc: bool,
    pub also_matched: Vec<AlsoMatched>,
    /// One or two plain sentences: what happens and why.
    pub detail: String,
}

/// The verdict of one rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RuleOutcome {
    pub id: Option<String>,
    pub index: usize,
    pub priority: Option<i64>,
    /// Bucket name of the rule's destination, if it names one.
    pub destination: Option<String>,
    /// The rule selects the object (enabled, filter and encryption criteria match).
    pub matched: bool,
    pub reason: Reason,
    pub detail: String,
}

/// The answer of [`simulate`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Simulation {
    /// One entry per distinct destination bucket, in document order.
    pub destinations: Vec<DestinationOutcome>,
    /// One entry per rule, in document order.
    pub rules: Vec<RuleOutcome>,
    /// Facts about this object that hold whatever the rules say.
    pub notes: Vec<String>,
}

impl Simulation {
    /// The outcome for a destination given by bucket name or ARN.
    pub fn destination(&self, bucket: &str) -> Option<&DestinationOutcome> {
        let name = arn::bucket_name(bucket);
        self.destinations.iter().find(|d| d.name == name)
    }
}

/// ``rule `id` `` or `rule #4` (for rules without an ID): the diagnostics' wording.
pub(crate) use crate::rules::destination::util::rule_label;

pub(crate) fn rule_id(rule: &Rule) -> Option<String> {
    rule.id.as_ref().map(|v| v.value.to_string())
}

pub(crate) fn priority(rule: &Rule) -> Option<i64> {
    rule.priority.as_ref().map(|p| p.value)
}

/// Orders rules for one destination: higher priority first, missing priority last, then
/// document order.
pub(crate) fn precedence(a: (usize, &Rule), b: (usize, &Rule)) -> std::cmp::Ordering {
    let pa = priority(a.1).map_or(i128::MIN, i128::from);
    let pb = priority(b.1).map_or(i128::MIN, i128::from);
    pb.cmp(&pa).then(a.0.cmp(&b.0))
}

/// A rule whose filter mentions a tag anywhere (including `Not`/`Or`): S3 never replicates
/// delete markers for it.
pub(crate) fn is_tag_based(rule: &Rule) -> bool {
    !rule.filter_tags().is_empty()
}

/// Does the rule copy delete markers (V1: yes; V2: when Enabled and not tag-based)?
pub(crate) fn copies_delete_markers(rule: &Rule) -> bool {
    match rule.schema_version() {
        Some(SchemaVersion::V1) => true,
        Some(SchemaVersion::V2) => rule.delete_markers_enabled() && !is_tag_based(rule),
        None => false,
    }
}

pub(crate) fn owner_override(rule: &Rule) -> bool {
    rule.destination
        .as_ref()
        .and_then(|d| d.access_control_translation.as_ref())
        .and_then(|a| a.owner.as_ref())
        .is_some_and(|o| o.value == "Destination")
}

pub(crate) fn rtc_enabled(rule: &Rule) -> bool {
    rule.destination
        .as_ref()
        .and_then(|d| d.replication_time.as_ref())
        .is_some_and(|r| r.is_enabled())
}

pub(crate) fn metrics_enabled(rule: &Rule) -> bool {
    rule.destination
        .as_ref()
        .and_then(|d| d.metrics.as_ref())
        .is_some_and(|m| m.is_enabled())
}

pub(crate) fn storage_class(rule: &Rule) -> Option<&str> {
    rule.destination
        .as_ref()?
        .storage_class
        .as_ref()
        .map(|s| s.as_str())
}

pub(crate) fn replica_kms_key(rule: &Rule) -> Option<&str> {
    rule.destination
        .as_ref()?
        .encryption_configuration
        .as_ref()?
        .replica_kms_key_id
        .as_ref()
        .map(|k| k.as_str())
}

pub(crate) use crate::rules::kms::use_source_mrk;

pub(crate) fn replica_modifications(rule: &Rule) -> bool {
    rule.source_selection_criteria
        .as_ref()
        .and_then(|s| s.replica_modifications.as_ref())
        .is_some_and(|s| s.is_enabled())
}

pub(crate) fn account_element(rule: &Rule) -> Option<&str> {
    rule.destination
        .as_ref()?
        .account
        .as_ref()
        .map(|a| a.as_str())
}

pub(crate) fn describe_unanalyzable(u: Unanalyzable) -> &'static str {
    match u {
        Unanalyzable::NoFilter => "it has neither `Filter` nor a rule-level `Prefix`",
        Unanalyzable::FilterAndPrefix => "it has both `Filter` and a rule-level `Prefix`",
        Unanalyzable::Shape => {
            "its filter has more than one child, or an empty `And`, `Not` or `Or`"
        }
        Unanalyzable::IncompleteTag => "a tag in its filter lacks `Key` or `Value`",
    }
}

/// One destination bucket, as the rules name it.
pub(crate) struct DestinationKey<'a> {
    pub name: &'a str,
    pub written: &'a str,
    /// Indexes of the rules naming it, in document order.
    pub rules: Vec<usize>,
}

/// Distinct destination buckets (compared by bucket name), in document order.
pub(crate) fn destination_keys(doc: &Document) -> Vec<DestinationKey<'_>> {
    let mut out: Vec<DestinationKey> = Vec::new();
    for (i, rule) in doc.rules.iter().enumerate() {
        let Some(bucket) = rule.destination_bucket() else {
            continue;
        };
        let name = arn::bucket_name(bucket);
        match out.iter_mut().find(|d| d.name == name) {
            Some(d) => d.rules.push(i),
            None => out.push(DestinationKey {
                name,
                written: bucket,
                rules: vec![i],
            }),
        }
    }
    out
}

/// Destination Region and owner facts, the account taken from the first rule that names one.
pub(crate) fn destination_facts(
    doc: &Document,
    key: &DestinationKey,
    ctx: &Resolved,
) -> (Option<Fact>, Option<Fact>) {
    let account_el = key
        .rules
        .iter()
        .filter_map(|&i| doc.rules.get(i).and_then(account_element))
        .next();
    (
        ctx.destination_region(key.written),
        ctx.destination_account(key.written, account_el),
    )
}

/// Where a rule stands before priorities are compared.
enum Stage {
    Candidate,
    Rejected(Reason, String),
}

fn quote_tags(tags: &[(&str, &str)]) -> String {
    let parts: Vec<String> = tags.iter().map(|(k, v)| format!("`{k}={v}`")).collect();
    parts.join(", ")
}

/// Why `set` does not match the object (the first failing condition, in filter order).
fn mismatch(set: &ObjectSet, key: &str, tags: &[(&str, &str)]) -> (Reason, String) {
    if !key.starts_with(set.prefix) {
        return (
            Reason::PrefixMismatch,
            format!(
                "the key `{key}` does not start with the rule's prefix `{}` (prefixes are literal, case-sensitive starts-with matches)",
                set.prefix
            ),
        );
    }
    let mut problems = Vec::new();
    for (k, v) in &set.tags {
        match tags.iter().find(|(ok, _)| ok == k) {
            None => problems.push(format!(
                "the object has no tag `{k}` (the rule needs `{k}={v}`)"
            )),
            Some((_, ov)) if ov != v => problems.push(format!(
                "the object's tag `{k}` is `{ov}`, the rule needs `{k}={v}`"
            )),
            Some(_) => {}
        }
    }
    if !problems.is_empty() {
        return (
            Reason::TagMismatch,
            format!(
                "{}; every tag of the filter must be present with exactly that value ({})",
                problems.join("; "),
                docs::CONFIG
            ),
        );
    }
    if let Some(e) = set.excluded_prefixes.iter().find(|e| key.starts_with(**e)) {
        return (
            Reason::ExcludedByNot,
            format!("the key `{key}` starts with `{e}`, which the rule's `Not` excludes"),
        );
    }
    let hit: Vec<(&str, &str)> = set
        .excluded_tags
        .iter()
        .filter(|t| tags.contains(t))
        .copied()
        .collect();
    if !hit.is_empty() {
        return (
            Reason::ExcludedByNot,
            format!(
                "the object carries {}, which the rule's `Not` excludes",
                quote_tags(&hit)
            ),
        );
    }
    (
        Reason::PrefixMismatch,
        format!(
            "the rule's filter ({}) does not select this object",
            set.describe()
        ),
    )
}

fn evaluate(rule: &Rule, index: usize, object: &ObjectSpec, tags: &[(&str, &str)]) -> Stage {
    if rule.destination_bucket().is_none() {
        return Stage::Rejected(
            Reason::InvalidRule,
            format!(
                "{} names no destination bucket; S3 rejects such a rule",
                rule_label(rule, index)
            ),
        );
    }
    let set = match rule_object_set(rule) {
        Ok(s) => s,
        Err(u) => {
            return Stage::Rejected(
                Reason::InvalidRule,
                format!(
                    "S3 rejects this rule because {}, so it replicates nothing",
                    describe_unanalyzable(u)
                ),
            )
        }
    };
    if !rule.is_enabled() {
        let status = match &rule.status {
            Some(s) if s.value == "Disabled" => "its Status is `Disabled`".to_string(),
            Some(s) => format!(
                "its Status is `{}`, not `Enabled` (values are case-sensitive)",
                s.value
            ),
            None => "it has no Status".to_string(),
        };
        let would = if set.matches(&object.key, tags) {
            "; its filter would otherwise select this object"
        } else {
            ""
        };
        return Stage::Rejected(
            Reason::RuleDisabled,
            format!("the rule is not in effect: {status}{would}"),
        );
    }
    if !set.matches(&object.key, tags) {
        let (reason, detail) = mismatch(&set, &object.key, tags);
        // A delete marker fails a tag filter because it has no tags: say that instead.
        if !(object.delete_marker && reason == Reason::TagMismatch) {
            return Stage::Rejected(reason, detail);
        }
    }
    if object.delete_marker
        && rule.schema_version() == Some(SchemaVersion::V2)
        && is_tag_based(rule)
    {
        return Stage::Rejected(
            Reason::DeleteMarkerNotReplicated,
            format!(
                "rules whose filter uses a tag never replicate delete markers, which carry no tags ({})",
                docs::DELETE_MARKERS
            ),
        );
    }
    if !object.delete_marker && object.encryption.is_kms() && !rule.sse_kms_enabled() {
        return Stage::Rejected(
            Reason::KmsNotSelected,
            format!(
                "the object is {}-encrypted and the rule does not set `SourceSelectionCriteria/SseKmsEncryptedObjects/Status` to `Enabled`, so this rule does not select it ({}); `SourceSelectionCriteria` is documented as an additional filter, so a lower-priority rule that opts in can still replicate it ({})",
                object.encryption.as_str(),
                docs::KMS,
                docs::SELECTION
            ),
        );
    }
    Stage::Candidate
}

fn replica_encryption(
    rule: &Rule,
    object: &ObjectSpec,
    bucket: &str,
    ctx: &Resolved,
) -> (String, Option<String>, bool) {
    match object.encryption {
        Encryption::SseKms | Encryption::DsseKms => {
            let kind = object.encryption.as_str();
            if use_source_mrk(rule) {
                (
                    format!("{kind} with the multi-Region replica of the source key in the destination Region (`UseSourceMultiRegionKey` Enabled; the source key must be a multi-Region `mrk-` key)"),
                    replica_kms_key(rule).map(str::to_string),
                    true,
                )
            } else if let Some(key) = replica_kms_key(rule) {
                (
                    format!("{kind} with the replica key `{key}`"),
                    Some(key.to_string()),
                    false,
                )
            } else {
                (
                    format!("{kind}, but the rule names no `ReplicaKmsKeyID`: S3 rejects a rule that opts in KMS objects without one ({})", docs::KMS),
                    None,
                    false,
                )
            }
        }
        Encryption::SseC => (
            format!(
                "SSE-C with the same customer-provided key; S3 has replicated SSE-C objects since 2022 without extra settings ({})",
                docs::KMS
            ),
            None,
            false,
        ),
        Encryption::None | Encryption::SseS3 => {
            let dest_default = ctx
                .destination(bucket)
                .and_then(|d| d.default_encryption.as_deref())
                .filter(|e| e.contains("KMS"));
            let text = match dest_default {
                Some(e) => format!(
                    "the destination bucket's default encryption ({e}, from the deployment context); the replica's ETag differs from the source's and the role needs `kms:GenerateDataKey` on that key ({})",
                    docs::KMS
                ),
                None if object.encryption == Encryption::SseS3 => format!(
                    "SSE-S3, like the source object (a destination whose default encryption is SSE-KMS or DSSE-KMS would apply that instead; {})",
                    docs::KMS
                ),
                None => format!(
                    "unencrypted at the source, so the replica gets the destination bucket's default encryption ({})",
                    docs::KMS
                ),
            };
            (text, None, false)
        }
    }
}

fn also_matched_detail(
    rule: &Rule,
    winner: &Rule,
    winner_index: usize,
    delete_marker: bool,
) -> String {
    let winner_label = rule_label(winner, winner_index);
    let mut s = match (priority(rule), priority(winner)) {
        (Some(p), Some(w)) if p == w => format!(
            "also selects the object with the same priority ({p}) as {winner_label}; S3 rejects duplicate priorities, so which one wins is undefined (this simulation takes the first in document order)"
        ),
        (Some(p), Some(w)) => format!(
            "also selects the object, but {winner_label} has a higher priority ({w} > {p}) for the same destination, so its settings apply ({})",
            docs::CONFIG
        ),
        (None, None) => format!(
            "also selects the object; V1 rules have no priority and S3 refuses V1 rules with overlapping prefixes, so this simulation takes {winner_label}, the first in document order"
        ),
        (None, Some(_)) => format!(
            "also selects the object, but has no Priority (S3 requires one in V2 rules); {winner_label} governs"
        ),
        (Some(_), None) => format!(
            "also selects the object; {winner_label} governs (it has no Priority, which S3 requires in V2 rules; this simulation takes the first in document order)"
        ),
    };
    if delete_marker && copies_delete_markers(rule) && !copies_delete_markers(winner) {
        s.push_str(
            "; its own delete-marker replication does not apply (the governing rule's settings decide; inferred from the documented priority behaviour)",
        );
    }
    s
}

/// Simulate one object against the whole configuration.
pub fn simulate(doc: &Document, object: &ObjectSpec, ctx: &Resolved) -> Simulation {
    let mut notes = Vec::new();
    if object.key.is_empty() {
        notes.push(
            "An S3 object key cannot be empty; the simulation treats it as the empty string."
                .to_string(),
        );
    }
    // Delete markers carry no tags; an object has at most one value per tag key.
    let tags: Vec<(&str, &str)> = if object.delete_marker {
        Vec::new()
    } else {
        object
            .tags
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    };
    if object.delete_marker && !object.tags.is_empty() {
        notes.push("Delete markers carry no tags, so the tags given were ignored.".to_string());
    }
    let mut seen: Vec<&str> = Vec::new();
    for (k, _) in &tags {
        if seen.contains(k) {
            notes.push(format!(
                "The tag key `{k}` is given twice; an S3 object holds one value per tag key."
            ));
        } else {
            seen.push(k);
        }
    }

    let stages: Vec<Stage> = doc
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| evaluate(r, i, object, &tags))
        .collect();
    let mut rule_out: Vec<RuleOutcome> = doc
        .rules
        .iter()
        .enumerate()
        .zip(&stages)
        .map(|((i, r), st)| {
            let (matched, reason, detail) = match st {
                Stage::Candidate => (true, Reason::Replicates, String::new()),
                Stage::Rejected(reason, d) => (false, *reason, d.clone()),
            };
            RuleOutcome {
                id: rule_id(r),
                index: i,
                priority: priority(r),
                destination: r
                    .destination_bucket()
                    .map(|b| arn::bucket_name(b).to_string()),
                matched,
                reason,
                detail,
            }
        })
        .collect();

    let mut destinations = Vec::new();
    for key in destination_keys(doc) {
        let (region, account) = destination_facts(doc, &key, ctx);
        let mut candidates: Vec<(usize, &Rule)> = key
            .rules
            .iter()
            .filter(|&&i| matches!(stages.get(i), Some(Stage::Candidate)))
            .filter_map(|&i| doc.rules.get(i).map(|r| (i, r)))
            .collect();
        crate::sort::sort_by(&mut candidates, |a, b| precedence(*a, *b)); // total order: ties broken by index
        let mut out = DestinationOutcome {
            bucket: key.written.to_string(),
            name: key.name.to_string(),
            region,
            account,
            replicated: false,
            rule: None,
            rule_index: None,
            priority: None,
            storage_class: None,
            replica_encryption: None,
            replica_kms_key_id: None,
            use_source_multi_region_key: false,
            owner_override: false,
            rtc: false,
            also_matched: Vec::new(),
            detail: String::new(),
        };
        let Some(&(wi, winner)) = candidates.first() else {
            out.detail = format!(
                "Not replicated to `{}`: no enabled rule for this bucket selects the object.",
                key.name
            );
            destinations.push(out);
            continue;
        };
        let label = rule_label(winner, wi);
        let prio = priority(winner).map_or(String::new(), |p| format!(" (priority {p})"));
        out.rule = rule_id(winner);
        out.rule_index = Some(wi);
        out.priority = priority(winner);
        for &(li, loser) in candidates.iter().skip(1) {
            let detail = also_matched_detail(loser, winner, wi, object.delete_marker);
            out.also_matched.push(AlsoMatched {
                id: rule_id(loser),
                index: li,
                priority: priority(loser),
                reason: Reason::LowerPriority,
                detail: detail.clone(),
            });
            if let Some(r) = rule_out.get_mut(li) {
                r.reason = Reason::LowerPriority;
                r.detail = detail;
            }
        }
        let (reason, detail) = if object.is_replica {
            let mut d = format!(
                "Not replicated to `{}`: {label}{prio} selects the object, but it is itself a replica and S3 does not replicate replicas again ({})",
                key.name,
                docs::WHAT
            );
            if replica_modifications(winner) {
                d.push_str(&format!(
                    ". Because the rule enables `ReplicaModifications`, changes to this replica's metadata (tags, ACL, Object Lock settings) are replicated to `{}` ({})",
                    key.name,
                    docs::REPLICA_MODS
                ));
            }
            d.push('.');
            (Reason::ReplicaNotReplicated, d)
        } else if object.delete_marker {
            if winner.schema_version() == Some(SchemaVersion::V1) {
                out.replicated = true;
                (
                    Reason::Replicates,
                    format!(
                        "Replicated to `{}` by {label}: V1 rules copy delete markers created by user DELETE requests (not those a lifecycle rule creates); deleting a specific version is never replicated ({}).",
                        key.name,
                        docs::DELETE_MARKERS
                    ),
                )
            } else if winner.delete_markers_enabled() {
                out.replicated = true;
                let rtc = if rtc_enabled(winner) {
                    " The 15-minute RTC guarantee does not cover delete markers."
                } else {
                    ""
                };
                (
                    Reason::Replicates,
                    format!(
                        "Replicated to `{}` by {label}{prio}: `DeleteMarkerReplication` is Enabled (delete markers created by lifecycle rules and deletes of a specific version are still not replicated; {}).{rtc}",
                        key.name,
                        docs::DELETE_MARKERS
                    ),
                )
            } else {
                (
                    Reason::DeleteMarkerNotReplicated,
                    format!(
                        "Not replicated to `{}`: {label}{prio} governs this key and its `DeleteMarkerReplication` is not Enabled, so the delete marker stays in the source bucket ({}).",
                        key.name,
                        docs::DELETE_MARKERS
                    ),
                )
            }
        } else {
            out.replicated = true;
            let (enc, kms_key, mrk) = replica_encryption(winner, object, key.written, ctx);
            let class = storage_class(winner).map_or("same as source".to_string(), str::to_string);
            let mut d = format!("Replicated to `{}` by {label}{prio}", key.name);
            match storage_class(winner) {
                Some(c) => d.push_str(&format!(" as {c}")),
                None => d.push_str(", keeping the source object's storage class"),
            }
            if owner_override(winner) {
                d.push_str(&format!(
                    "; the replica is owned by the destination account ({})",
                    docs::OWNER
                ));
            }
            if object.encryption.is_kms() || object.encryption == Encryption::SseC {
                d.push_str(&format!("; replica encryption: {enc}"));
            }
            if rtc_enabled(winner) {
                d.push_str(&format!(
                    "; S3 RTC aims to copy it within 15 minutes ({})",
                    docs::RTC
                ));
            }
            d.push('.');
            out.storage_class = Some(class);
            out.replica_encryption = Some(enc);
            out.replica_kms_key_id = kms_key;
            out.use_source_multi_region_key = mrk;
            out.owner_override = owner_override(winner);
            out.rtc = rtc_enabled(winner);
            (Reason::Replicates, d)
        };
        if let Some(r) = rule_out.get_mut(wi) {
            r.reason = reason;
            r.detail = detail.clone();
        }
        out.detail = detail;
        destinations.push(out);
    }

    // Object-level facts.
    if object.encryption == Encryption::SseC && !object.delete_marker && !object.is_replica {
        notes.push(format!(
            "SSE-C objects are replicated like any other object (since 2022; older documentation says otherwise) ({}).",
            docs::KMS
        ));
    }
    if object.encryption.is_kms()
        && !object.delete_marker
        && rule_out.iter().any(|r| r.reason == Reason::KmsNotSelected)
    {
        notes.push(format!(
            "{} objects are replicated only by rules that set `SseKmsEncryptedObjects` to Enabled ({}).",
            object.encryption.as_str(),
            docs::SELECTION
        ));
    }
    if !object.delete_marker
        && !object.tags.is_empty()
        && doc.rules.iter().any(|r| r.is_enabled() && is_tag_based(r))
    {
        notes.push(format!(
            "Tag filters see the tags the object had when it was uploaded; tagging it later does not replicate it (use S3 Batch Replication: {}).",
            docs::BATCH
        ));
    }
    if object.delete_marker {
        notes.push(format!(
            "Deleting a specific object version is never replicated, whatever the rules say ({}).",
            docs::DELETE_MARKERS
        ));
    }
    if object.is_replica {
        notes.push(format!(
            "A replica is not replicated again, so chains (A to B to C) do not forward objects; replicate from the source to each bucket directly ({}).",
            docs::WHAT
        ));
    }

    Simulation {
        destinations,
        rules: rule_out,
        notes,
    }
}

/// Parse `text` (XML or JSON, detected unless `format` is given) and simulate `object`;
/// `None` when the text does not yield a document.
pub fn simulate_text(
    text: &str,
    format: Option<crate::model::Format>,
    object: &ObjectSpec,
    context: &crate::context::DeploymentContext,
) -> Option<Simulation> {
    let doc = crate::parse(text, format).document?;
    let ctx = Resolved::new(context, &doc);
    Some(simulate(&doc, object, &ctx))
}
