//! The words of the drawing: rule names, short filters and keys, arrow labels and the full
//! sentence an arrow shows when focused.

use s3_replication_lint::explain::{DestinationGroup, RuleEdge};

/// Inline-code markers are for HTML; in the drawing they are noise.
fn plain(s: &str) -> String {
    s.replace('`', "")
}

pub(super) fn rule_name(r: &RuleEdge) -> String {
    match &r.id {
        Some(id) if !id.is_empty() => id.clone(),
        _ => format!("rule {}", r.index),
    }
}

/// The last part of a KMS key ARN or ID, enough to tell keys apart.
pub(super) fn short_key(k: &str) -> String {
    let tail = k.rsplit(['/', ':']).next().unwrap_or(k);
    if tail.chars().count() > 12 {
        let skip = tail.chars().count() - 8;
        format!("…{}", tail.chars().skip(skip).collect::<String>())
    } else {
        tail.to_string()
    }
}

/// Name and priority.
pub(super) fn label_name(r: &RuleEdge) -> String {
    let prio = r.priority.map_or(String::new(), |p| format!(" · P{p}"));
    format!("{}{prio}", rule_name(r))
}

/// The filter.
pub(super) fn label_filter(r: &RuleEdge) -> String {
    r.filter
        .as_deref()
        .map_or("unreadable filter".to_string(), short_filter)
}

/// `keys starting with "logs/" with tag env=prod` → `prefix logs/ + tag env=prod`.
pub(super) fn short_filter(f: &str) -> String {
    const LEAD: &str = "keys starting with \"";
    let mut out = String::new();
    let mut rest = f;
    while let Some(at) = rest.find(LEAD) {
        out.push_str(&rest[..at]);
        let after = &rest[at + LEAD.len()..];
        match after.find('"') {
            Some(end) => {
                out.push_str("prefix ");
                out.push_str(&after[..end]);
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[at..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.replace(" with tag ", " + tag ")
}

/// State (shadowed/disabled), storage class, KMS key, RTC, owner.
pub(super) fn label_settings(r: &RuleEdge, names: &Names) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !r.enabled {
        parts.push("disabled".into());
    } else if let Some(by) = r.shadowed_by {
        let by = name_of(names, by);
        parts.push(format!("shadowed by {by}"));
    }
    parts.push(format!(
        "→ {}",
        r.storage_class.as_deref().unwrap_or("same class")
    ));
    if r.kms_objects {
        parts.push(if r.use_source_multi_region_key {
            "KMS: source MRK".to_string()
        } else {
            match &r.replica_kms_key_id {
                Some(k) => format!("KMS {}", short_key(k)),
                None => "KMS: no key".to_string(),
            }
        });
    }
    if r.rtc {
        parts.push("RTC".into());
    }
    if r.owner_override {
        parts.push("owner→dest".into());
    }
    parts.join(" · ")
}

pub(super) fn edge_state(r: &RuleEdge) -> &'static str {
    if !r.enabled {
        "disabled"
    } else if r.shadowed_by.is_some() {
        "shadowed"
    } else {
        "active"
    }
}

/// Every destination's rules (to name a rule by its index).
pub(super) type Names = [DestinationGroup];

fn name_of(groups: &Names, i: usize) -> String {
    groups
        .iter()
        .flat_map(|g| &g.rules)
        .find(|r| r.index == i)
        .map_or_else(|| format!("rule {i}"), rule_name)
}

/// The full sentence of an arrow (its tooltip, accessible name and caption).
pub(super) fn sentence(r: &RuleEdge, names: &Names) -> String {
    let mut tip = plain(&r.sentence);
    if let (Some(by), true) = (r.shadowed_by, r.enabled) {
        let by = name_of(names, by);
        tip.push_str(&format!(
            " It never applies: {by} (higher priority) selects every object it does."
        ));
    }
    tip
}
