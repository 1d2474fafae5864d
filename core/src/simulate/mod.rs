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

mod destination;
pub(crate) mod docs;
mod matching;
mod outcome;
mod queries;
mod types;

use crate::arn;
use crate::context::Resolved;
use crate::model::Document;
use destination::destination_outcome;
use matching::{evaluate, Stage};
pub(crate) use queries::*;
pub use types::*;

/// Simulate one object against the whole configuration.
pub fn simulate(doc: &Document, object: &ObjectSpec, ctx: &Resolved) -> Simulation {
    let mut notes = Vec::new();
    let tags = object_tags(object, &mut notes);
    let stages: Vec<Stage> = doc
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| evaluate(r, i, object, &tags))
        .collect();
    let mut rule_out = rule_outcomes(doc, &stages);
    let destinations = destination_keys(doc)
        .iter()
        .map(|key| destination_outcome(doc, key, &stages, object, ctx, &mut rule_out))
        .collect();
    object_notes(doc, object, &rule_out, &mut notes);
    Simulation {
        destinations,
        rules: rule_out,
        notes,
    }
}

/// The object's tags as S3 sees them, noting what the input says that S3 would not hold.
fn object_tags<'a>(object: &'a ObjectSpec, notes: &mut Vec<String>) -> Vec<(&'a str, &'a str)> {
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
    tags
}

/// Every rule's verdict before priorities are compared.
fn rule_outcomes(doc: &Document, stages: &[Stage]) -> Vec<RuleOutcome> {
    doc.rules
        .iter()
        .enumerate()
        .zip(stages)
        .map(|((i, r), st)| {
            let (matched, reason, detail) = match st {
                Stage::Candidate => (true, Reason::Replicates, String::new()),
                Stage::Rejected(reason, d) => (false, *reason, d.clone()),
            };
            RuleOutcome {
                id: rule_id(r),
                index: i,
                priority: r.priority_value(),
                destination: r
                    .destination_bucket()
                    .map(|b| arn::bucket_name(b).to_string()),
                matched,
                reason,
                detail,
            }
        })
        .collect()
}

/// Facts about this object that hold whatever the rules say.
fn object_notes(
    doc: &Document,
    object: &ObjectSpec,
    rule_out: &[RuleOutcome],
    notes: &mut Vec<String>,
) {
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
        && doc.rules.iter().any(|r| r.is_enabled() && r.is_tag_based())
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
