//! The V1 -> V2 migration fix, shared by the legacy-schema warning, the mixed-schema error and
//! the V1 multi-destination error. Not a rule.
//!
//! Each V1 rule (rule-level `Prefix`, no `Filter`) becomes a V2 rule that selects and
//! replicates the same objects:
//! - `Prefix` moves into `Filter` (copied verbatim, so escaping is kept);
//! - `Priority` is added (distinct from every other priority in the document) unless present;
//! - `DeleteMarkerReplication` `Enabled` is added unless present, because a V1 rule replicates
//!   the delete markers of user DELETE requests and a V2 rule replicates none unless told to.
//!   V1 rules cannot filter on tags, so `Enabled` is always allowed.

use super::edit::{allocate_priorities, format_of, source_of, Layout, Node};
use crate::model::{Document, SchemaVersion};
use crate::source::Span;

pub const TITLE: &str =
    "Convert every V1 rule to V2 (Filter{Prefix}, a distinct Priority, DeleteMarkerReplication Enabled)";

/// One edit per V1 rule; empty when the document has no V1 rule.
pub fn v1_to_v2_edits(doc: &Document, text: &str) -> Vec<(Span, String)> {
    let format = format_of(doc, text);
    let v1: Vec<usize> = doc
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.schema_version() == Some(SchemaVersion::V1))
        .map(|(i, _)| i)
        .collect();
    let missing: Vec<usize> = v1
        .iter()
        .copied()
        .filter(|&i| doc.rules[i].priority.is_none())
        .collect();
    let priorities = allocate_priorities(doc, &missing);
    let mut next = priorities.into_iter();
    let mut edits = Vec::with_capacity(v1.len());
    for i in v1 {
        let rule = &doc.rules[i];
        let Some(prefix) = &rule.prefix else { continue };
        let raw = source_of(text, prefix.meta.span);
        if raw.is_empty() {
            continue;
        }
        let layout = Layout::of(text, format, &rule.meta, &prefix.meta);
        let mut nodes = Vec::new();
        if rule.priority.is_none() {
            let p = next.next().unwrap_or(0);
            nodes.push(Node::Leaf("Priority", p.to_string()));
        }
        nodes.push(Node::Block("Filter", vec![Node::Raw(raw.to_string())]));
        if rule.delete_marker_replication.is_none() {
            nodes.push(Node::status_block(
                "DeleteMarkerReplication",
                "Enabled",
                format,
            ));
        }
        edits.push((prefix.meta.span, layout.replace(&nodes)));
    }
    edits
}
