//! The sentences of an explanation: what an enabled rule does, where its destination is.

use crate::analysis::filter_set::ObjectSet;
use crate::context::Fact;
use crate::model::{Rule, SchemaVersion};

pub(super) fn join_list(items: &[String], last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., tail] => format!("{} {last} {tail}", init.join(", ")),
    }
}

pub(super) fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => std::iter::once(f.to_ascii_uppercase()).chain(c).collect(),
        None => String::new(),
    }
}

/// "objects under `logs/` tagged `env=prod` except those under `logs/tmp/`" (lower case).
pub(super) fn subject(set: &ObjectSet) -> String {
    let mut s = match (set.prefix.is_empty(), set.tags.is_empty()) {
        (true, true) => "all objects".to_string(),
        (true, false) => "objects".to_string(),
        (false, _) => format!("objects under `{}`", set.prefix),
    };
    if !set.tags.is_empty() {
        let tags: Vec<String> = set.tags.iter().map(|(k, v)| format!("`{k}={v}`")).collect();
        s.push_str(" tagged ");
        s.push_str(&join_list(&tags, "and"));
    }
    let mut except: Vec<String> = set
        .excluded_prefixes
        .iter()
        .map(|p| format!("under `{p}`"))
        .collect();
    except.extend(
        set.excluded_tags
            .iter()
            .map(|(k, v)| format!("tagged `{k}={v}`")),
    );
    if !except.is_empty() {
        s.push_str(" except those ");
        s.push_str(&join_list(&except, "or"));
    }
    s
}

/// "`acme-backup` (us-west-2, account 444455556666)".
pub(super) fn place(name: &str, region: &Option<Fact>, account: &Option<Fact>) -> String {
    let region = region
        .as_ref()
        .map_or("Region unknown".to_string(), |r| r.value.clone());
    match account {
        Some(a) => format!("`{name}` ({region}, account {})", a.value),
        None => format!("`{name}` ({region})"),
    }
}

pub(super) fn heading(rule: &Rule, index: usize) -> String {
    let label = capitalize(&rule.label(index));
    match rule.priority_value() {
        Some(p) => format!("{label} (priority {p})"),
        None => label,
    }
}

/// What an enabled rule does, as one sentence (without the heading).
pub(super) fn action(rule: &Rule, set: &ObjectSet, dest: &str, name: &str) -> String {
    let mut s = subject(set);
    if rule.sse_kms_enabled() {
        s.push_str(", including SSE-KMS and DSSE-KMS encrypted ones,");
    }
    s.push_str(" are copied to ");
    s.push_str(dest);
    match rule.storage_class() {
        Some(c) => s.push_str(&format!(" as {c}")),
        None => s.push_str(" in the source object's storage class"),
    }
    if rule.rtc_enabled() {
        s.push_str(" within 15 minutes (S3 RTC)");
    } else if rule.metrics_enabled() {
        s.push_str(" with replication metrics");
    }
    if rule.owner_override() {
        s.push_str(", owned by the destination account");
    }
    if rule.sse_kms_enabled() {
        if rule.use_source_mrk() {
            s.push_str(
                ", KMS-encrypted objects using the multi-Region replica of their source key",
            );
        } else if let Some(k) = rule.replica_kms_key() {
            s.push_str(&format!(
                ", KMS-encrypted objects re-encrypted with key `{k}`"
            ));
        } else {
            s.push_str(", but no replica KMS key is named (S3 rejects that)");
        }
    }
    let dm = match rule.schema_version() {
        Some(SchemaVersion::V1) => {
            "; delete markers from user deletes are copied too (V1 rules always do)"
        }
        _ if rule.copies_delete_markers() => "; delete markers are copied too",
        _ if rule.is_tag_based() => {
            "; delete markers are not copied (tag-based rules never copy them)"
        }
        _ => "; delete markers are not copied",
    };
    s.push_str(dm);
    if rule.replica_modifications() {
        s.push_str(&format!(
            "; metadata changes made to replicas held in the source bucket are copied back to `{name}` (ReplicaModifications)"
        ));
    }
    s
}
