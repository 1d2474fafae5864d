//! The plain-text forms of a simulation and an explanation (the CLI's `simulate` and
//! `explain` without `--format json`).

use crate::context::{Fact, Source};
use crate::explain::Explanation;
use crate::simulate::{Encryption, ObjectSpec, Reason, Simulation};

/// What a rule's verdict means, in a few words.
pub fn reason(reason: Reason) -> &'static str {
    match reason {
        Reason::Replicates => "replicates the object",
        Reason::LowerPriority => "matches, but a higher-priority rule governs",
        Reason::RuleDisabled => "disabled",
        Reason::PrefixMismatch => "prefix does not match",
        Reason::TagMismatch => "tags do not match",
        Reason::ExcludedByNot => "excluded by Not",
        Reason::KmsNotSelected => "KMS-encrypted objects not selected",
        Reason::DeleteMarkerNotReplicated => "does not replicate this delete marker",
        Reason::ReplicaNotReplicated => "matches, but replicas are not replicated again",
        Reason::InvalidRule => "invalid rule",
    }
}

fn rule_name(id: Option<&str>, index: usize) -> String {
    match id {
        Some(id) => format!("rule `{id}`"),
        None => format!("rule #{}", index + 1),
    }
}

fn priority(p: Option<i64>) -> String {
    p.map_or_else(|| "no priority".to_string(), |p| format!("priority {p}"))
}

/// `Region us-west-2 from the deployment context`; a fact read from code names no source
/// here (the configuration's address already says where it comes from).
fn fact(label: &str, f: &Fact) -> String {
    match f.source {
        Source::Code => format!("{label} {}", f.value),
        source => format!("{label} {} {}", f.value, source.describe()),
    }
}

fn object_line(o: &ObjectSpec) -> String {
    let mut facts = vec![if o.tags.is_empty() {
        "no tags".to_string()
    } else {
        let tags: Vec<String> = o.tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!("tags {}", tags.join(", "))
    }];
    facts.push(match o.encryption {
        Encryption::None => "not encrypted".to_string(),
        e => format!("encrypted with {}", e.as_str()),
    });
    if o.is_replica {
        facts.push("itself a replica".to_string());
    }
    let what = if o.delete_marker {
        "Delete marker"
    } else {
        "Object"
    };
    format!("{what} `{}` ({})", o.key, facts.join("; "))
}

fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The simulation of `object` in the configuration shown as `file`: per destination the
/// verdict and why, then every rule's, then the notes.
pub fn simulation(sim: &Simulation, object: &ObjectSpec, file: &str) -> String {
    let mut lines = vec![format!("{} in {file}", object_line(object)), String::new()];
    if sim.destinations.is_empty() {
        lines.push("No rule names a destination bucket.".to_string());
        lines.push(String::new());
    }
    for d in &sim.destinations {
        let facts: Vec<String> = [("Region", &d.region), ("account", &d.account)]
            .into_iter()
            .filter_map(|(label, f)| f.as_ref().map(|f| fact(label, f)))
            .collect();
        let facts = if facts.is_empty() {
            String::new()
        } else {
            format!(" ({})", facts.join("; "))
        };
        let by = match (d.replicated, &d.rule, d.rule_index) {
            (true, id, Some(index)) => format!(
                " by {} ({})",
                rule_name(id.as_deref(), index),
                priority(d.priority)
            ),
            _ => String::new(),
        };
        let verdict = if d.replicated {
            "REPLICATED"
        } else {
            "NOT REPLICATED"
        };
        lines.push(format!("{}{facts}: {verdict}{by}", d.name));
        lines.push(format!("  {}", d.detail));
        for a in &d.also_matched {
            lines.push(format!(
                "  also matched: {} ({}): {}",
                rule_name(a.id.as_deref(), a.index),
                priority(a.priority),
                reason(a.reason)
            ));
        }
        lines.push(String::new());
    }
    lines.push("Rules:".to_string());
    for r in &sim.rules {
        let to = r
            .destination
            .as_ref()
            .map_or_else(String::new, |d| format!(" -> {d}"));
        lines.push(format!(
            "  {} {} ({}){to}: {}",
            if r.matched { "+" } else { "-" },
            rule_name(r.id.as_deref(), r.index),
            priority(r.priority),
            reason(r.reason)
        ));
        // The governing rule's detail is its destination's answer, printed above.
        if r.reason != Reason::Replicates {
            lines.push(format!("      {}", upper_first(&r.detail)));
        }
    }
    if !sim.notes.is_empty() {
        lines.push(String::new());
        lines.push("Notes:".to_string());
        for n in &sim.notes {
            lines.push(format!("  - {n}"));
        }
    }
    lines.join("\n")
}

/// The opening sentence, one bullet per rule sentence, then what no rule replicates.
pub fn explanation(ex: &Explanation) -> String {
    let mut lines = Vec::new();
    let mut summary = ex.summary.iter();
    if let Some(opening) = summary.next() {
        lines.push(opening.clone());
        lines.push(String::new());
    }
    lines.extend(summary.map(|s| format!("- {s}")));
    if !ex.gaps.is_empty() {
        lines.push(String::new());
        lines.push("Not replicated:".to_string());
        lines.extend(ex.gaps.iter().map(|g| format!("- {g}")));
    }
    lines.join("\n")
}
